/* SPDX-License-Identifier: MIT */
/*
 * resolver.c - sessions, the TTL cache and in-flight joining over c-ares
 *
 * A question (lowercased name, type) is answered from the cache while its
 * TTL lasts; else it joins the flight already asking it, or starts one
 * (resolver_ares.c). A finished flight stores the raw response in the
 * cache and hands every waiter its own parsed copy. A probe
 * (resolver_probe, the DNS canary's) skips all of that: it always sends
 * its own question and its answer goes to its asker alone. Sessions
 * bound what one diagnosis may do: a deadline (one loop timer, or the
 * owner's: resolver_session_expire) and a budget of questions sent.
 * Questions beyond the limit on the wire wait in a queue, first come
 * first sent, each answer sending the next: they can be joined while
 * they wait, and one left without waiters is dropped unsent.
 * Callbacks may start lookups and free sessions, their own included: a
 * session freed during a callback is only marked, and freed when the
 * delivery that called it returns.
 * Not here: the wire format (dnsmsg.c), sockets and retries
 * (resolver_ares.c).
 */
#include "resolver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "log.h"
#include "resolver_ares.h"
#include "xmalloc.h"

#define RESOLVER_BUCKETS 4096 /* power of two */
#define RESOLVER_KEY_MAX (DNSMSG_MAX_NAME + 8)

struct resolver_waiter {
	struct resolver_session *s;
	struct resolver_flight *flight;
	resolver_done_fn *done;
	void *arg;
	char *name;
	uint16_t type;
	struct resolver_waiter *fnext, *fprev; /* the flight's waiters */
	struct resolver_waiter *snext, *sprev; /* the session's waiters */
};

struct resolver_flight {
	struct resolver *r;
	char *key;
	char *name; /* the key's name part */
	uint16_t type;
	bool probe;  /* resolver_probe's: joined by nobody, never cached */
	bool queued; /* waits for a place on the wire */
	struct resolver_waiter *waiters;
	struct resolver_flight *hnext; /* hash chain */
	struct resolver_flight *qnext; /* the queue, while queued */
};

struct resolver_entry {
	char *key;
	uint8_t *msg;
	size_t len;
	uint64_t expires_ms;
	struct resolver_entry *hnext;         /* hash chain */
	struct resolver_entry *lnext, *lprev; /* age list, oldest first */
};

struct resolver {
	struct evloop *loop;
	struct resolver_ares *backend;
	struct resolver_entry *cache[RESOLVER_BUCKETS];
	struct resolver_entry *oldest, *newest;
	/* the questions asked: on the wire, or queued for a place */
	struct resolver_flight *flights[RESOLVER_BUCKETS];
	size_t nflights; /* on the wire */
	size_t max_inflight;
	struct resolver_flight *qhead, *qtail; /* the queue */
	size_t nsessions;
	struct metrics_dns counters; /* cache_entries: the cache's size */
};

struct resolver_session {
	struct resolver *r;
	struct arena *a;
	uint64_t deadline_ms;
	unsigned budget;
	unsigned sent;
	bool exhausted;
	bool expired;
	bool dead;      /* freed inside a callback: free when it returns */
	unsigned depth; /* callbacks of this session running */
	struct resolver_waiter *waiters;
	size_t pending;
	struct evloop_timer *timer;
};

/* resolver_key - "name/type", lowercased, without the final dot; -1 for a
 * name too long to be one */
static int
resolver_key(const char *name, uint16_t type, char out[RESOLVER_KEY_MAX])
{
	size_t n = strlen(name);

	if (n > 0 && name[n - 1] == '.')
		n--;
	if (n > DNSMSG_MAX_NAME)
		return -1;
	ascii_lower(out, name, n);
	(void)snprintf(out + n, RESOLVER_KEY_MAX - n, "/%u", (unsigned)type);
	return 0;
}

/* resolver_key_namelen - the name's part of a key: up to the last '/'
 * (names may hold '/' themselves, RFC 2181 §11) */
static size_t
resolver_key_namelen(const char *key)
{
	return (size_t)(strrchr(key, '/') - key);
}

/* resolver_hash - FNV-1a of the key */
static size_t
resolver_hash(const char *key)
{
	uint32_t h = 2166136261u;

	for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
		h ^= *p;
		h *= 16777619u;
	}
	return h & (RESOLVER_BUCKETS - 1);
}

/* -- the cache ------------------------------------------------------- */

static void
resolver_entry_drop(struct resolver *r, struct resolver_entry *e)
{
	struct resolver_entry **pp = &r->cache[resolver_hash(e->key)];

	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	if (e->lprev != NULL)
		e->lprev->lnext = e->lnext;
	else
		r->oldest = e->lnext;
	if (e->lnext != NULL)
		e->lnext->lprev = e->lprev;
	else
		r->newest = e->lprev;
	r->counters.cache_entries--;
	free(e->key);
	free(e->msg);
	free(e);
}

/* resolver_cache_get - a live entry for key, dropping an expired one */
static struct resolver_entry *
resolver_cache_get(struct resolver *r, const char *key)
{
	struct resolver_entry *e = r->cache[resolver_hash(key)];

	while (e != NULL && strcmp(e->key, key) != 0)
		e = e->hnext;
	if (e != NULL && e->expires_ms <= evloop_now_ms()) {
		resolver_entry_drop(r, e);
		return NULL;
	}
	return e;
}

static void
resolver_cache_put(struct resolver *r, const char *key, const uint8_t *msg,
    size_t len, uint32_t ttl)
{
	struct resolver_entry *e = resolver_cache_get(r, key);
	size_t h = resolver_hash(key);

	if (e != NULL)
		resolver_entry_drop(r, e);
	while (r->counters.cache_entries >= RESOLVER_CACHE_MAX)
		resolver_entry_drop(r, r->oldest);
	e = xcalloc(1, sizeof(*e));
	e->key = xstrdup(key);
	e->msg = xmalloc(len);
	memcpy(e->msg, msg, len);
	e->len = len;
	e->expires_ms = evloop_now_ms() + (uint64_t)ttl * 1000u;
	e->hnext = r->cache[h];
	r->cache[h] = e;
	e->lprev = r->newest;
	if (r->newest != NULL)
		r->newest->lnext = e;
	else
		r->oldest = e;
	r->newest = e;
	r->counters.cache_entries++;
}

/* -- delivering answers ---------------------------------------------- */

static void resolver_session_destroy(struct resolver_session *s);

/* resolver_unlink - take w off its flight's and its session's lists */
static void
resolver_unlink(struct resolver_waiter *w)
{
	struct resolver_session *s = w->s;

	if (w->flight != NULL) {
		if (w->fprev != NULL)
			w->fprev->fnext = w->fnext;
		else
			w->flight->waiters = w->fnext;
		if (w->fnext != NULL)
			w->fnext->fprev = w->fprev;
		w->flight = NULL;
	}
	if (w->sprev != NULL)
		w->sprev->snext = w->snext;
	else
		s->waiters = w->snext;
	if (w->snext != NULL)
		w->snext->sprev = w->sprev;
	s->pending--;
}

/* resolver_call - run one done callback; a session freed inside it goes
 * when the outermost callback of that session returns */
static void
resolver_call(struct resolver_session *s, resolver_done_fn *done, void *arg,
    const struct dnsmsg_answer *ans)
{
	s->depth++;
	done(arg, ans);
	s->depth--;
	if (s->dead && s->depth == 0)
		resolver_session_destroy(s);
}

/* resolver_status_answer - an answer that is only a status */
static struct dnsmsg_answer *
resolver_status_answer(struct arena *a, enum dnsmsg_status st, const char *name)
{
	struct dnsmsg_answer *ans = arena_zalloc(a, sizeof(*ans));

	ans->status = st;
	ans->canonical = arena_strndup(a, name, strlen(name));
	return ans;
}

/* resolver_deliver - w's answer from a message (or only a status) */
static void
resolver_deliver(struct resolver_waiter *w, enum dnsmsg_status st,
    const uint8_t *msg, size_t len)
{
	struct resolver_session *s = w->s;
	struct dnsmsg_answer *ans;
	resolver_done_fn *done = w->done;
	void *arg = w->arg;

	if (msg != NULL) {
		ans = arena_zalloc(s->a, sizeof(*ans));
		(void)dnsmsg_parse(s->a, span_make((const char *)msg, len),
		    w->name, w->type, ans);
	} else {
		ans = resolver_status_answer(s->a, st, w->name);
	}
	if (ans->status == DNSMSG_TIMEOUT)
		s->r->counters.timeouts++;
	free(w->name);
	free(w);
	resolver_call(s, done, arg, ans);
}

static void resolver_flight_done(void *arg, enum dnsmsg_status st,
    const uint8_t *msg, size_t len);

/* resolver_flight_unhash - f can no longer be joined */
static void
resolver_flight_unhash(struct resolver_flight *f)
{
	struct resolver_flight **pp = &f->r->flights[resolver_hash(f->key)];

	while (*pp != f)
		pp = &(*pp)->hnext;
	*pp = f->hnext;
}

static void
resolver_flight_free(struct resolver_flight *f)
{
	free(f->key);
	free(f->name);
	free(f);
}

/* resolver_flight_send - f goes on the wire; its answer comes from the
 * loop, never inside this call (resolver_ares.h) */
static void
resolver_flight_send(struct resolver_flight *f)
{
	struct resolver *r = f->r;

	r->nflights++;
	r->counters.sent++;
	resolver_ares_query(r->backend, f->name, f->type, resolver_flight_done,
	    f);
}

/* resolver_queue_send - the waiting questions take the free places, in
 * the order they came; one nobody waits for any more goes unsent */
static void
resolver_queue_send(struct resolver *r)
{
	struct resolver_flight *f;

	while (r->nflights < r->max_inflight && (f = r->qhead) != NULL) {
		r->qhead = f->qnext;
		if (r->qhead == NULL)
			r->qtail = NULL;
		f->queued = false;
		f->qnext = NULL;
		if (f->waiters == NULL) {
			resolver_flight_unhash(f);
			resolver_flight_free(f);
			continue;
		}
		resolver_flight_send(f);
	}
}

/* resolver_flight_done - the backend's answer to a flight */
static void
resolver_flight_done(void *arg, enum dnsmsg_status st, const uint8_t *msg,
    size_t len)
{
	struct resolver_flight *f = arg;
	struct resolver *r = f->r;
	struct resolver_waiter *w;

	resolver_flight_unhash(f);
	r->nflights--;
	/* the freed place first: the waiters below may ask again, behind
	 * the queue */
	resolver_queue_send(r);
	if (msg != NULL) {
		struct arena *tmp = arena_new();
		struct dnsmsg_answer ans;
		uint32_t ttl;

		(void)dnsmsg_parse(tmp, span_make((const char *)msg, len),
		    f->name, f->type, &ans);
		/* RFC 2308 §5: negative answers for the SOA's minimum */
		if (ans.status == DNSMSG_OK)
			ttl = ans.ttl < RESOLVER_MAX_TTL ? ans.ttl :
			                                   RESOLVER_MAX_TTL;
		else if (ans.status == DNSMSG_NXDOMAIN ||
		    ans.status == DNSMSG_NODATA)
			ttl = ans.ttl == 0 ? RESOLVER_NEG_TTL :
			    ans.ttl < RESOLVER_MAX_NEG_TTL ?
			                     ans.ttl :
			                     RESOLVER_MAX_NEG_TTL;
		else
			ttl = 0; /* failures are asked again next time */
		/* a probe's answer tells how the servers answer now, for its
		 * asker alone: the cache stays what the lookups made it */
		if (ttl > 0 && !f->probe)
			resolver_cache_put(r, f->key, msg, len, ttl);
		arena_free(tmp);
	}
	/* each callback may free sessions, whose waiters then leave this
	 * list: take the head each time */
	while ((w = f->waiters) != NULL) {
		resolver_unlink(w);
		resolver_deliver(w, st, msg, len);
	}
	resolver_flight_free(f);
}

/* -- sessions -------------------------------------------------------- */

void
resolver_session_expire(struct resolver_session *s)
{
	struct resolver_waiter *w;

	if (s->dead)
		return;
	evloop_timer_cancel(s->r->loop, s->timer);
	s->timer = NULL;
	s->expired = true;
	s->depth++; /* the loop below must not see s freed */
	while ((w = s->waiters) != NULL && !s->dead) {
		resolver_unlink(w);
		resolver_deliver(w, DNSMSG_TIMEOUT, NULL, 0);
	}
	s->depth--;
	if (s->dead && s->depth == 0)
		resolver_session_destroy(s);
}

static void
resolver_session_deadline(struct evloop *loop, void *arg)
{
	struct resolver_session *s = arg;

	(void)loop;
	s->timer = NULL;
	resolver_session_expire(s);
}

struct resolver_session *
resolver_session_new(struct resolver *r, struct arena *a, uint64_t deadline_ms,
    unsigned budget)
{
	struct resolver_session *s = xcalloc(1, sizeof(*s));

	s->r = r;
	s->a = a;
	s->deadline_ms = deadline_ms;
	s->budget = budget;
	r->nsessions++;
	return s;
}

/* resolver_session_destroy - free s and every waiter it still has */
static void
resolver_session_destroy(struct resolver_session *s)
{
	struct resolver_waiter *w;

	while ((w = s->waiters) != NULL) {
		resolver_unlink(w);
		free(w->name);
		free(w);
	}
	evloop_timer_cancel(s->r->loop, s->timer);
	s->r->nsessions--;
	free(s);
}

void
resolver_session_free(struct resolver_session *s)
{
	if (s == NULL)
		return;
	if (s->depth > 0) {
		struct resolver_waiter *w;

		/* inside one of its callbacks: no more calls, free later */
		s->dead = true;
		while ((w = s->waiters) != NULL) {
			resolver_unlink(w);
			free(w->name);
			free(w);
		}
		return;
	}
	resolver_session_destroy(s);
}

size_t
resolver_session_pending(const struct resolver_session *s)
{
	return s->pending;
}

unsigned
resolver_session_sent(const struct resolver_session *s)
{
	return s->sent;
}

bool
resolver_session_exhausted(const struct resolver_session *s)
{
	return s->exhausted;
}

bool
resolver_session_expired(const struct resolver_session *s)
{
	return s->expired;
}

const char *
resolver_failure_id(const struct resolver_session *s,
    const struct dnsmsg_answer *ans)
{
	if (ans->status != DNSMSG_TIMEOUT && ans->status != DNSMSG_SERVFAIL)
		return NULL;
	if (resolver_session_exhausted(s))
		return "dns.unchecked.budget";
	if (resolver_session_expired(s))
		return "dns.unchecked.deadline";
	return ans->status == DNSMSG_TIMEOUT ? "dns.unchecked.timeout" :
	                                       "dns.unchecked.servfail";
}

/* -- lookups --------------------------------------------------------- */

/* resolver_ask - resolver_lookup, or resolver_probe when probe: then no
 * cache and no joining either way */
static void
resolver_ask(struct resolver_session *s, const char *name, uint16_t type,
    bool probe, resolver_done_fn *done, void *arg)
{
	struct resolver *r = s->r;
	char key[RESOLVER_KEY_MAX];
	struct resolver_entry *e;
	struct resolver_flight *f;
	struct resolver_waiter *w;
	size_t h;
	uint64_t now = evloop_now_ms();
	bool joined;

	r->counters.lookups++;
	if (s->dead)
		return;
	if (resolver_key(name, type, key) == -1) {
		/* RFC 1035 §2.3.4: no such name can exist */
		resolver_call(s, done, arg,
		    resolver_status_answer(s->a, DNSMSG_NXDOMAIN, name));
		return;
	}
	if (!probe && (e = resolver_cache_get(r, key)) != NULL) {
		struct dnsmsg_answer *ans = arena_zalloc(s->a, sizeof(*ans));
		char *lname =
		    arena_strndup(s->a, key, resolver_key_namelen(key));

		r->counters.cache_hits++;
		(void)dnsmsg_parse(s->a,
		    span_make((const char *)e->msg, e->len), lname, type, ans);
		resolver_call(s, done, arg, ans);
		return;
	}
	if (s->expired || now >= s->deadline_ms) {
		s->expired = true;
		r->counters.timeouts++;
		resolver_call(s, done, arg,
		    resolver_status_answer(s->a, DNSMSG_TIMEOUT, name));
		return;
	}
	h = resolver_hash(key);
	/* a probe joins nobody and nobody joins a probe */
	for (f = probe ? NULL : r->flights[h];
	     f != NULL && (f->probe || strcmp(f->key, key) != 0); f = f->hnext)
		;
	joined = f != NULL;
	if (joined) {
		r->counters.joined++;
	} else if (s->sent >= s->budget) {
		s->exhausted = true;
		r->counters.timeouts++;
		resolver_call(s, done, arg,
		    resolver_status_answer(s->a, DNSMSG_TIMEOUT, name));
		return;
	}
	w = xcalloc(1, sizeof(*w));
	w->s = s;
	w->done = done;
	w->arg = arg;
	w->name = xstrndup(key, resolver_key_namelen(key));
	w->type = type;
	w->snext = s->waiters;
	if (s->waiters != NULL)
		s->waiters->sprev = w;
	s->waiters = w;
	s->pending++;
	if (s->timer == NULL && s->deadline_ms != RESOLVER_NO_DEADLINE)
		s->timer = evloop_timer_add(r->loop, s->deadline_ms - now,
		    resolver_session_deadline, s);
	if (f == NULL) {
		f = xcalloc(1, sizeof(*f));
		f->r = r;
		f->key = xstrdup(key);
		f->name = xstrdup(w->name);
		f->type = type;
		f->probe = probe;
		f->hnext = r->flights[h];
		r->flights[h] = f;
		s->sent++;
	}
	w->flight = f;
	w->fnext = f->waiters;
	if (f->waiters != NULL)
		f->waiters->fprev = w;
	f->waiters = w;
	if (joined)
		return;
	if (r->nflights < r->max_inflight && r->qhead == NULL) {
		resolver_flight_send(f);
		return;
	}
	f->queued = true;
	if (r->qtail != NULL)
		r->qtail->qnext = f;
	else
		r->qhead = f;
	r->qtail = f;
}

void
resolver_lookup(struct resolver_session *s, const char *name, uint16_t type,
    resolver_done_fn *done, void *arg)
{
	resolver_ask(s, name, type, false, done, arg);
}

void
resolver_probe(struct resolver_session *s, const char *name, uint16_t type,
    resolver_done_fn *done, void *arg)
{
	resolver_ask(s, name, type, true, done, arg);
}

/* -- the resolver ---------------------------------------------------- */

struct resolver *
resolver_new(struct evloop *loop, const struct resolver_config *config,
    const char **err_out)
{
	struct resolver *r = xcalloc(1, sizeof(*r));

	r->loop = loop;
	r->max_inflight = RESOLVER_MAX_INFLIGHT;
	r->backend = resolver_ares_new(loop, config->servers,
	    config->timeout_ms, config->tries, err_out);
	if (r->backend == NULL) {
		free(r);
		return NULL;
	}
	return r;
}

void
resolver_free(struct resolver *r)
{
	if (r == NULL)
		return;
	ASSERT(r->nsessions == 0);
	/* flights have no waiters left; the backend drops their callbacks */
	resolver_ares_free(r->backend);
	for (size_t i = 0; i < RESOLVER_BUCKETS; i++) {
		struct resolver_flight *f = r->flights[i], *next;

		for (; f != NULL; f = next) {
			next = f->hnext;
			resolver_flight_free(f);
		}
	}
	while (r->oldest != NULL)
		resolver_entry_drop(r, r->oldest);
	free(r);
}

void
resolver_set_max_inflight(struct resolver *r, size_t n)
{
	ASSERT(n > 0 && r->nflights == 0 && r->qhead == NULL);
	r->max_inflight = n;
}

const struct metrics_dns *
resolver_counters(const struct resolver *r)
{
	return &r->counters;
}
