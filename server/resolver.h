/* SPDX-License-Identifier: MIT */
/*
 * resolver.h - asynchronous DNS for the checks, inside the one event loop
 *
 * API: resolver_new(loop, &config) once at start-up (owned by main),
 * then per diagnosis resolver_session_new(resolver, arena, deadline,
 * budget) → resolver_lookup(session, name, type, done, arg) as often as
 * the checks need (resolver_probe for a question the cache must not
 * answer) → resolver_session_free(session). resolver_free at
 * shutdown, after every session is gone.
 * Every lookup ends in exactly one call of done with the answer as data
 * (struct dnsmsg_answer: ok / nxdomain / nodata / timeout / servfail /
 * malformed), possibly before resolver_lookup returns (a cache hit). The
 * answers of the network are cached for their TTL (bounded by
 * RESOLVER_MAX_TTL, negative answers per RFC 2308) and shared by all
 * sessions; identical questions in flight are sent once and answer every
 * waiter. At most RESOLVER_MAX_INFLIGHT distinct questions are on the
 * wire at once; the next ones wait, in order, for an answer to free a
 * place (a burst of diagnoses is paced, not failed). A session has a
 * deadline and
 * a query budget: when the deadline
 * passes, its waiting lookups end with status timeout; a lookup beyond
 * the budget ends at once with status timeout and the session remembers
 * it (resolver_session_exhausted), so a check can say why it could not
 * finish. Truncated UDP answers are retried over TCP by the backend.
 * Not here: the wire format (dnsmsg.c), the c-ares glue (resolver_ares.c),
 * what the answers mean (spf.c, and the other checks).
 * Ownership: the resolver owns its cache; answers handed to done are
 * copies in the session's arena, valid until that arena is freed.
 */
#ifndef RESOLVER_H
#define RESOLVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "dnsmsg.h"
#include "evloop.h"
#include "metrics.h"

#define RESOLVER_MAX_TTL      86400 /* seconds a positive answer is kept */
#define RESOLVER_NEG_TTL      300   /* negative answers without an SOA */
#define RESOLVER_MAX_NEG_TTL  3600  /* RFC 2308 §5 suggests 1-3 hours */
#define RESOLVER_CACHE_MAX    10000 /* entries; the oldest go first */
#define RESOLVER_MAX_INFLIGHT 1024  /* questions on the wire; more wait */
/* A session's deadline kept by its owner, who ends the session's time
 * with resolver_session_expire (a diagnosis's deadline covers its checks,
 * not only their lookups: diagrun.c) */
#define RESOLVER_NO_DEADLINE  UINT64_MAX

struct resolver_config {
	const char *servers; /* "127.0.0.1:5353,[::1]:53"; NULL or "":
				the system's /etc/resolv.conf */
	unsigned timeout_ms; /* per try */
	unsigned tries;
};

struct resolver;
struct resolver_session;

/* Called exactly once per lookup, possibly before resolver_lookup
 * returns. Ownership: ans belongs to the session's arena. */
typedef void resolver_done_fn(void *arg, const struct dnsmsg_answer *ans);

/* Returns owned (resolver_free), or NULL with *err_out set (static text)
 * when the backend cannot start (bad server list). Ownership: borrows
 * loop, which must outlive the resolver; copies config. */
struct resolver *resolver_new(struct evloop *loop,
    const struct resolver_config *config, const char **err_out);
/* Every session must be freed first. NULL is a no-op. */
void resolver_free(struct resolver *r);
/* The most distinct questions on the wire at once (at least 1;
 * RESOLVER_MAX_INFLIGHT until set), for the tests, which show the queue
 * with a few. Before the first lookup. */
void resolver_set_max_inflight(struct resolver *r, size_t n);

/* A diagnosis's view of DNS: answers go into a (borrowed, must outlive
 * the session), lookups end at deadline_ms (evloop_now_ms() scale; or
 * RESOLVER_NO_DEADLINE: when the owner says), at most budget questions
 * may go to the network (cache hits are free).
 * Returns owned (resolver_session_free). */
struct resolver_session *resolver_session_new(struct resolver *r,
    struct arena *a, uint64_t deadline_ms, unsigned budget);
/* Ends the session: its waiting lookups are dropped without a call of
 * their done. NULL is a no-op. */
void resolver_session_free(struct resolver_session *s);

/* Ends the session's time now, as its deadline does: every lookup still
 * waiting ends with status timeout, and later ones end at once (cache
 * hits apart), with resolver_session_expired true. For the owner of a
 * deadline (RESOLVER_NO_DEADLINE). Callback: each waiting lookup's done,
 * before this returns; one of them may free the session. */
void resolver_session_expire(struct resolver_session *s);

/* Asks for (name, type); name may end in a dot and is matched without
 * case ("." or "" is the root). Callback: see resolver_done_fn. */
void resolver_lookup(struct resolver_session *s, const char *name,
    uint16_t type, resolver_done_fn *done, void *arg);
/* resolver_lookup for a question whose answer must come from the servers
 * now (the DNS canary, dnscanary.h): it is never answered from the cache
 * and never joins a question in flight (nor does any lookup join it); it
 * counts like any lookup (the session's budget and deadline, the
 * counters), and its answer goes to done alone, not into the cache, so
 * other sessions see nothing of it. Callback: see resolver_done_fn; done
 * comes from the loop unless the budget or the deadline ends the probe at
 * once. */
void resolver_probe(struct resolver_session *s, const char *name, uint16_t type,
    resolver_done_fn *done, void *arg);

/* Lookups of this session still waiting for an answer. */
size_t resolver_session_pending(const struct resolver_session *s);
/* Questions this session sent to the network. */
unsigned resolver_session_sent(const struct resolver_session *s);
/* Did a lookup end because the budget was spent (true) ... */
bool resolver_session_exhausted(const struct resolver_session *s);
/* ... or because the deadline passed? */
bool resolver_session_expired(const struct resolver_session *s);

/* Why ans says nothing about the name, as the id of a message
 * (texts_msg.h): "dns.unchecked.budget" (the session's query budget was
 * spent), ".deadline" (its time is over), ".timeout" (a server did not
 * answer in time) or ".servfail" (a server failed: SERVFAIL, REFUSED,
 * unreachable); NULL when the answer is one (ok, nxdomain, nodata) or
 * unreadable (malformed, which the caller judges). A static string. */
const char *resolver_failure_id(const struct resolver_session *s,
    const struct dnsmsg_answer *ans);

/* The resolver's counters (metrics.h renders them): every
 * resolver_lookup call, cache hits, lookups joined to a question in
 * flight, questions sent, lookups that ended with status timeout, and
 * the answers in the cache now. Returns a view valid until
 * resolver_free, kept up to date as the resolver works. */
const struct metrics_dns *resolver_counters(const struct resolver *r);

#endif
