/* SPDX-License-Identifier: MIT */
/*
 * diagrun.h - one diagnosis and the live checks it calls for
 *
 * API: diagrun_start(env, input, opts, done, arg) makes the diagnosis
 * (diag_new), starts every check of the table (checks.h) that it calls
 * for and opts->checks selects, all at once on the one event loop and on
 * one resolver session with the diagnosis's deadline and DNS budget, and
 * returns the run. A run that has nothing to wait for (no check called
 * for, or all answered from the DNS cache) is done when diagrun_start
 * returns, and done is never called for it; otherwise done is called
 * exactly once, later, from the loop, when the last check has reported
 * or the deadline ended them (opts->deadline_ms after the start: the
 * session's lookups end then, a check that waits for more is cancelled,
 * and what could not be established is reported not checked). Read the
 * diagnosis with diagrun_diag and the checks' results with diagrun_checks
 * once diagrun_is_done. diagrun_free ends a run: one still running is
 * dropped, its checks stopped, and done is not called.
 * POST /api/v1/diagnose (each text of a batch is a run of its own) and
 * "bouncedoc diagnose" both come through here; the checks run through
 * checkrun.h, the one place that starts checks and counts what still
 * runs.
 * Not here: the diagnosis itself (diag.c), which checks a diagnosis calls
 * for (checks.c), running them (checkrun.c), the checks (check_spf.c,
 * ...), DNS (resolver.c), the JSON (report.c).
 * Ownership: diagrun_start returns owned (diagrun_free, also from inside
 * done); env and opts are borrowed (env until diagrun_free, opts during
 * diagrun_start), input is read during diagrun_start only. The run, its
 * diagnosis, its checks and their results live in the diagnosis's arena;
 * the resolver session is the run's.
 */
#ifndef DIAGRUN_H
#define DIAGRUN_H

#include <stdbool.h>
#include <stddef.h>

#include "check.h"
#include "checkrun.h"
#include "diag.h"

struct diagrun_env {
	const struct diag_env *diag;
	/* the checks' loop and resolver (NULL: no live checks at all) and
	 * the DNS questions one diagnosis may send */
	struct checkrun_env run;
	const struct check_env *checks;
};

struct diagrun_opts {
	enum lang lang;
	unsigned checks;      /* a selection of the table (checks_parse) */
	unsigned deadline_ms; /* for the checks, from diagrun_start */
	unsigned repaired;    /* TEXT_ANOM_* repaired before (diag_new) */
};

struct diagrun;

/* Called once, from the loop, for a run that was not done when
 * diagrun_start returned. */
typedef void diagrun_done_fn(struct diagrun *run, void *arg);

struct diagrun *diagrun_start(const struct diagrun_env *env, struct span input,
    const struct diagrun_opts *opts, diagrun_done_fn *done, void *arg);
/* NULL is a no-op. */
void diagrun_free(struct diagrun *run);

/* Has every check reported (or none started)? */
bool diagrun_is_done(const struct diagrun *run);
/* The diagnosis; complete from diagrun_start on. Returns a view valid
 * until diagrun_free. */
const struct diag *diagrun_diag(const struct diagrun *run);
/* The results of the checks the run started, in the table's order;
 * *n_out gets their number (0: none ran). Once diagrun_is_done. Returns
 * a view valid until diagrun_free. */
const struct check_result *diagrun_checks(const struct diagrun *run,
    size_t *n_out);

#endif
