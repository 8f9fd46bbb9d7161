/* SPDX-License-Identifier: MIT */
/*
 * checkrun.h - live checks run together: one session, one deadline
 *
 * API: checkrun_new(env, arena) makes a run; checkrun_add(run, kind, in)
 * adds a check (check.h) with what it is started with (the run fills in
 * the session and the arena); checkrun_go(run, deadline_ms, done, arg)
 * starts them all at once on the one event loop, on one resolver session
 * with the DNS budget of env and the deadline deadline_ms from now. A
 * run with nothing to wait for (no check, or every one answered from the
 * DNS cache) is done when checkrun_go returns, and done is never called;
 * otherwise done is called exactly once, later, from the loop, when the
 * last check has reported or the deadline ended them (the session's
 * lookups end then, a check that waits for more is cancelled, and what
 * could not be established is reported not checked). While env's DNS
 * canary says the resolver does not answer correctly, checkrun_go starts
 * no check and asks nothing: every check reports not checked with
 * dns.unchecked.resolver (dnscanary_unchecked) and no data, and the run
 * is done when checkrun_go returns. checkrun_results
 * gives the results in the order added, once checkrun_is_done.
 * checkrun_free ends a run: one still running is dropped, its checks
 * stopped, and done is not called.
 * This is the one place that starts checks and counts what still runs: a
 * diagnosis's checks (diagrun.c) and the check endpoints (api_check.c)
 * come through here.
 * Not here: which checks a diagnosis calls for (checks.c), the checks
 * (check_spf.c, ...), DNS (resolver.c).
 * Ownership: the run, its checks and their results live in the arena,
 * which outlives the run; the session is the run's (freed by
 * checkrun_free, which the owner calls before freeing the arena); env is
 * borrowed until checkrun_free.
 */
#ifndef CHECKRUN_H
#define CHECKRUN_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "check.h"
#include "evloop.h"
#include "resolver.h"

#define CHECKRUN_MAX 16 /* checks in one run */

struct dnscanary;

struct checkrun_env {
	struct evloop *loop;
	struct resolver *resolver;
	unsigned dns_budget; /* DNS questions one run may send */
	/* NULL: no canary; else while it is failing no check starts: each
	 * reports not checked with dns.unchecked.resolver */
	const struct dnscanary *canary;
};

struct checkrun;

/* Called once, from the loop, for a run that was not done when
 * checkrun_go returned. */
typedef void checkrun_done_fn(struct checkrun *run, void *arg);

struct checkrun *checkrun_new(const struct checkrun_env *env, struct arena *a);
/* Adds kind, started with a copy of in (session and a set by the run).
 * Returns false (and adds nothing) when the run is full or kind is
 * there already. Before checkrun_go. */
bool checkrun_add(struct checkrun *run, const struct check_kind *kind,
    const struct check_in *in);
void checkrun_go(struct checkrun *run, unsigned deadline_ms,
    checkrun_done_fn *done, void *arg);
/* NULL is a no-op. */
void checkrun_free(struct checkrun *run);

/* Has every check reported (or none started)? */
bool checkrun_is_done(const struct checkrun *run);
/* The results in the order added; *n_out gets their number. Once
 * checkrun_is_done. A view valid as long as the arena. */
const struct check_result *checkrun_results(const struct checkrun *run,
    size_t *n_out);

#endif
