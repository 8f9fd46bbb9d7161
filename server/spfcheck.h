/* SPDX-License-Identifier: MIT */
/*
 * spfcheck.h - one SPF evaluation with live DNS
 *
 * API: spfcheck_start(session, arena, query, done, arg) runs spf_eval and
 * fetches through the resolver session what it asks for, in parallel
 * where the evaluator names queries ahead (include targets, a/mx names),
 * then runs it again, until it is done. done is called exactly once,
 * possibly before spfcheck_start returns; after that, answers still on
 * their way are kept for nobody. The caller frees the session before the
 * arena (that drops any lookup still waiting).
 * Every answer of one check is kept for the whole check, so each re-run
 * of the evaluator sees the same DNS, whatever the cache does meanwhile.
 * Not here: RFC 7208 (spf.c), DNS (resolver.c), the corrected record
 * (spffix.c).
 * Ownership: borrows session and query (until done); the check, its
 * answers and the outcome belong to the arena.
 */
#ifndef SPFCHECK_H
#define SPFCHECK_H

#include "arena.h"
#include "resolver.h"
#include "spf.h"

struct spfcheck;

/* o: the outcome. unchecked: NULL when the evaluation ran on real
 * answers; else why it could not (the DNS deadline passed, the DNS query
 * budget was spent, a DNS server did not answer or failed): then
 * o->result is temperror and must not be read as the domain's fault. */
typedef void spfcheck_done_fn(void *arg, const struct spf_outcome *o,
    const char *unchecked);

struct spfcheck *spfcheck_start(struct resolver_session *s, struct arena *a,
    const struct spf_query *q, spfcheck_done_fn *done, void *arg);

/* Lookups the evaluator needed (for metrics and tests). */
unsigned spfcheck_queries(const struct spfcheck *c);

#endif
