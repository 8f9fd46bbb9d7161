/* SPDX-License-Identifier: MIT */
/*
 * spfcheck.h - one SPF evaluation with live DNS, and its fix
 *
 * API: spfcheck_start(session, arena, query, opts, done, arg) runs
 * spf_eval and fetches through the resolver session what it asks for, in
 * parallel where the evaluator names queries ahead (include targets, a/mx
 * names), then runs it again, until it is done. With opts->fix, a fail,
 * softfail, none or permerror then gets a fix (spffix.h): for the first
 * three (and a permerror whose record uses ptr) the client's PTR name is
 * looked up and confirmed by its A/AAAA records as a provider hint,
 * then spffix_propose runs, again fetching what it names (the TXT
 * records of include targets, the provider's record), on the same
 * session, so the deadline and the budget hold for it too; none of this
 * is tried once the session's budget is spent or its deadline passed,
 * and a lookup that fails only leaves the hint out. done is called
 * exactly once, possibly before spfcheck_start returns; after that,
 * answers still on their way are kept for nobody. The caller frees the
 * session before the arena (that drops any lookup still waiting).
 * Every answer of one check is kept for the whole check, so each re-run
 * of the evaluator sees the same DNS, whatever the cache does meanwhile.
 * Not here: RFC 7208 (spf.c), DNS (resolver.c), the corrected record
 * (spffix.c).
 * Sentences (the outcome's, the fix's, why a check could not run) are
 * messages (texts_msg.h); the check never sees a language.
 * Ownership: borrows session, query and opts (until done); the check,
 * its answers, the outcome and the fix belong to the arena.
 */
#ifndef SPFCHECK_H
#define SPFCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "resolver.h"
#include "spf.h"
#include "spffix.h"

#define SPFCHECK_PTR_NAMES 3 /* PTR names of the client confirmed, at most */

struct spfcheck_opts {
	bool fix; /* propose a fix for fail, softfail, none, permerror */
	const char *const *names; /* hints from the bounce (spffix_hints) */
	size_t nnames;
	/* the providers a fix may include (spffix_in); NULL: none */
	const struct mailprov_table *providers;
};

struct spfcheck;

/* What a check came to; belongs to the arena. */
struct spfcheck_result {
	const struct spf_outcome *o;
	/* NULL when the evaluation ran on real answers; else why it could
	 * not (the DNS deadline passed, the DNS query budget was spent, a
	 * DNS server did not answer or failed), a message "spfcheck.*":
	 * then o->result is temperror and must not be read as the domain's
	 * fault */
	const struct texts_msg *unchecked;
	const struct spffix *fix; /* NULL: none asked for, or none to give */
	const char *ptr; /* the client's PTR name, confirmed by its address
			    records; NULL when not looked up or none */
};

typedef void spfcheck_done_fn(void *arg, const struct spfcheck_result *r);

/* opts may be NULL: no fix. */
struct spfcheck *spfcheck_start(struct resolver_session *s, struct arena *a,
    const struct spf_query *q, const struct spfcheck_opts *opts,
    spfcheck_done_fn *done, void *arg);

/* Lookups the evaluator needed (for metrics and tests), the fix's not
 * counted. */
unsigned spfcheck_queries(const struct spfcheck *c);

#endif
