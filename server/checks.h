/* SPDX-License-Identifier: MIT */
/*
 * checks.h - the live DNS checks of one diagnosis
 *
 * API: checks_start(env, diag, arena, done, arg) looks at what the
 * diagnosis found and starts the checks it calls for (today: SPF, for an
 * authentication failure that names the refused IP and the sender's
 * domain, with a fix that may use the host names the bounce gives as
 * provider hints), all on one resolver session with the request's
 * deadline and DNS budget. done is called exactly once, when every check has an
 * outcome or could not run, possibly before checks_start returns. Read
 * the outcomes with checks_spf; checks_free ends the session (dropping
 * lookups still on their way) and must come before the arena goes.
 * Not here: RFC 7208 (spf.c), DNS (resolver.c), JSON (report.c).
 * Ownership: borrows env and diag (until checks_free); results belong to
 * the arena.
 */
#ifndef CHECKS_H
#define CHECKS_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "resolver.h"
#include "spf.h"
#include "spffix.h"

struct checks_env {
	struct resolver *resolver; /* NULL: no live checks at all */
	unsigned deadline_ms;      /* from the start of the checks */
	unsigned dns_budget;
};

/* One SPF evaluation and what it was asked. */
struct checks_spf {
	struct spf_query query;
	const struct spf_outcome *outcome; /* NULL until done */
	const struct texts_msg *unchecked; /* NULL, or why the result says
					      nothing */
	const struct spffix *fix;          /* the fix proposed, or NULL */
	const char *ptr; /* the client's confirmed PTR name, or NULL */
	/* when the fix was verified (the corrected record evaluated to
	 * pass): the step that replaces the fix steps tagged "spf_record",
	 * in the diagnosis's language; else NULL */
	const char *verified_step;
};

struct checks;

typedef void checks_done_fn(void *arg);

struct checks *checks_start(const struct checks_env *env, const struct diag *d,
    struct arena *a, checks_done_fn *done, void *arg);
void checks_free(struct checks *c);

/* The SPF check, or NULL when the diagnosis did not call for one. */
const struct checks_spf *checks_spf(const struct checks *c);
/* Would checks_start run the SPF check for this diagnosis? */
bool checks_wants_spf(const struct diag *d);

#endif
