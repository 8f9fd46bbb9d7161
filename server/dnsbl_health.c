/* SPDX-License-Identifier: MIT */
/*
 * dnsbl_health.c - RFC 5782 §5 self-tests of the configured zones
 *
 * A round asks every testable zone for its two test entries at once, on
 * a resolver session and an arena of its own. When the last answer is in
 * (the session's deadline bounds the wait) a zero-delay loop timer ends
 * the round outside the resolver's callbacks: each zone's tests are
 * judged, the new states are written into a fresh arena (a why message
 * kept from an earlier round is copied over), the old arena goes, and the
 * next round is scheduled. Not here: reading an answer (dnsbl_zone.c).
 */
#include "dnsbl_health.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "dnsbl_zone.h"
#include "dnscanary.h"
#include "texts_msg.h"
#include "xmalloc.h"

/* What one test entry came to. */
enum dnsbl_health_outcome {
	DNSBL_HEALTH_PASS,
	DNSBL_HEALTH_FAIL,
	DNSBL_HEALTH_NONE, /* no answer: says nothing */
};

struct dnsbl_health_round;

/* One test entry of one zone. */
struct dnsbl_health_probe {
	struct dnsbl_health_round *round;
	const struct dnsbl_zone *z;
	const char *entry; /* "127.0.0.2", "test" */
	bool must_list;
	const struct dnsmsg_answer *ans; /* NULL: waiting */
};

struct dnsbl_health_round {
	struct dnsbl_health *h;
	struct arena *a;
	struct resolver_session *s;
	struct dnsbl_health_probe *probes;
	size_t nprobes;
	size_t waiting;
	bool starting; /* lookups still being issued */
};

struct dnsbl_health {
	struct evloop *loop;
	struct resolver *r;
	const struct dnsbl_config *cfg;
	struct dnsbl_health_opts opts;
	struct dnsbl_health_zone *zones;
	struct arena *state;        /* the zones' why messages */
	struct evloop_timer *timer; /* the next round, or this one's end */
	struct dnsbl_health_round *round;
	unsigned long rounds;
	bool running;
};

static void dnsbl_health_begin(struct evloop *loop, void *arg);

static const char *const dnsbl_health_names[] = { "unknown", "healthy",
	"unhealthy", "untested" };

const char *
dnsbl_health_state_str(enum dnsbl_health_state s)
{
	return (size_t)s <
	        sizeof(dnsbl_health_names) / sizeof(dnsbl_health_names[0]) ?
	    dnsbl_health_names[s] :
	    "unknown";
}

/* dnsbl_health_testable - does z get tested at all? */
static bool
dnsbl_health_testable(const struct dnsbl_zone *z)
{
	return z->retired == NULL &&
	    (z->test_listed != NULL || z->test_unlisted != NULL);
}

struct dnsbl_health *
dnsbl_health_new(struct evloop *loop, struct resolver *r,
    const struct dnsbl_config *cfg, const struct dnsbl_health_opts *opts)
{
	struct dnsbl_health *h = xcalloc(1, sizeof(*h));
	size_t n = dnsbl_config_count(cfg);

	h->loop = loop;
	h->r = r;
	h->cfg = cfg;
	if (opts != NULL)
		h->opts = *opts;
	if (h->opts.interval_ms == 0)
		h->opts.interval_ms = DNSBL_HEALTH_INTERVAL_MS;
	if (h->opts.deadline_ms == 0)
		h->opts.deadline_ms = DNSBL_HEALTH_DEADLINE_MS;
	h->zones = xcalloc(n + 1, sizeof(*h->zones));
	for (size_t i = 0; i < n; i++) {
		if (!dnsbl_health_testable(dnsbl_config_zone(cfg, i)))
			h->zones[i].state = DNSBL_HEALTH_UNTESTED;
	}
	h->state = arena_new();
	return h;
}

/* dnsbl_health_drop - free the round in flight, if any */
static void
dnsbl_health_drop(struct dnsbl_health *h)
{
	if (h->round == NULL)
		return;
	/* the session first: it drops the lookups still waiting */
	resolver_session_free(h->round->s);
	arena_free(h->round->a);
	free(h->round);
	h->round = NULL;
}

void
dnsbl_health_stop(struct dnsbl_health *h)
{
	evloop_timer_cancel(h->loop, h->timer);
	h->timer = NULL;
	dnsbl_health_drop(h);
	h->running = false;
}

void
dnsbl_health_free(struct dnsbl_health *h)
{
	if (h == NULL)
		return;
	dnsbl_health_stop(h);
	arena_free(h->state);
	free(h->zones);
	free(h);
}

const struct dnsbl_health_zone *
dnsbl_health_zone(const struct dnsbl_health *h, size_t i)
{
	return &h->zones[i];
}

void
dnsbl_health_counts(const struct dnsbl_health *h,
    struct dnsbl_health_counts *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < dnsbl_config_count(h->cfg); i++) {
		switch (h->zones[i].state) {
		case DNSBL_HEALTH_HEALTHY:
			out->healthy++;
			break;
		case DNSBL_HEALTH_UNHEALTHY:
			out->unhealthy++;
			break;
		case DNSBL_HEALTH_UNTESTED:
			out->untested++;
			break;
		default:
			out->unknown++;
			break;
		}
	}
	out->rounds = h->rounds;
}

/* dnsbl_health_outcome - one test entry's answer, judged; *why_out gets
 * the reason of a failure (in a) */
static enum dnsbl_health_outcome
dnsbl_health_outcome(struct arena *a, const struct dnsbl_health_probe *p,
    const struct texts_msg **why_out)
{
	struct dnsbl_read rd;

	dnsbl_zone_read(a, p->z, p->ans, &rd);
	switch (rd.status) {
	case DNSBL_LISTED:
		if (p->must_list)
			return DNSBL_HEALTH_PASS;
		*why_out = texts_msg_with(a, "dnsbl.health.listed", "entry",
		    p->entry, "code", rd.hits[0].code, TEXTS_MSG_END);
		return DNSBL_HEALTH_FAIL;
	case DNSBL_NOT_LISTED:
		if (!p->must_list)
			return DNSBL_HEALTH_PASS;
		*why_out = texts_msg_with(a, "dnsbl.health.not_listed", "entry",
		    p->entry, TEXTS_MSG_END);
		return DNSBL_HEALTH_FAIL;
	case DNSBL_REFUSED:
		*why_out =
		    texts_msg_sub(texts_msg_with(a, "dnsbl.health.refused",
		                      "entry", p->entry, TEXTS_MSG_END),
		        "why", rd.why);
		return DNSBL_HEALTH_FAIL;
	default:
		/* timeout, SERVFAIL, unreadable: leaves the state as it is */
		return DNSBL_HEALTH_NONE;
	}
}

/* dnsbl_health_judge - zone i's state after this round; its why goes
 * into the state arena next */
static void
dnsbl_health_judge(struct dnsbl_health *h, size_t i, struct arena *next)
{
	struct dnsbl_health_round *r = h->round;
	struct dnsbl_health_zone *st = &h->zones[i];
	const struct texts_msg *why = NULL;
	size_t tests = 0, passed = 0;
	bool failed = false;

	for (size_t k = 0; k < r->nprobes; k++) {
		const struct texts_msg *w = NULL;

		if (r->probes[k].z->index != i)
			continue;
		tests++;
		switch (dnsbl_health_outcome(r->a, &r->probes[k], &w)) {
		case DNSBL_HEALTH_PASS:
			passed++;
			break;
		case DNSBL_HEALTH_FAIL:
			if (!failed)
				why = w;
			failed = true;
			break;
		default:
			break;
		}
	}
	if (tests == 0)
		return;
	if (failed) {
		st->state = DNSBL_HEALTH_UNHEALTHY;
		st->why = why;
		st->failed++;
		st->tested_ms = evloop_now_ms();
	} else if (passed == tests) {
		st->state = DNSBL_HEALTH_HEALTHY;
		st->why = NULL;
		st->passed++;
		st->tested_ms = evloop_now_ms();
	} else {
		st->inconclusive++;
	}
	st->why = texts_msg_dup(next, st->why);
}

/* dnsbl_health_end - the round is over: judge, swap the states, plan the
 * next round (a loop timer, outside the resolver's callbacks) */
static void
dnsbl_health_end(struct evloop *loop, void *arg)
{
	struct dnsbl_health *h = arg;
	struct arena *next = arena_new();

	/* answers from a resolver that lies test nothing; before the canary
	 * has answered they count, but the next round comes soon, so that
	 * one on answers known to be true follows */
	enum dnscanary_state cs = h->opts.canary != NULL ?
	    dnscanary_state(h->opts.canary) :
	    DNSCANARY_HEALTHY;
	bool trusted = cs != DNSCANARY_FAILING;

	(void)loop;
	h->timer = NULL;
	for (size_t i = 0; i < dnsbl_config_count(h->cfg); i++) {
		struct dnsbl_health_zone *st = &h->zones[i];

		if (st->state == DNSBL_HEALTH_UNTESTED)
			continue;
		if (trusted) {
			dnsbl_health_judge(h, i, next);
		} else {
			st->inconclusive++;
			st->why = texts_msg_dup(next, st->why);
		}
	}
	arena_free(h->state);
	h->state = next;
	dnsbl_health_drop(h);
	h->rounds++;
	h->timer = evloop_timer_add(h->loop,
	    cs == DNSCANARY_HEALTHY || h->opts.retry_ms == 0 ?
	        h->opts.interval_ms :
	        h->opts.retry_ms,
	    dnsbl_health_begin, h);
	if (h->opts.round_done != NULL)
		h->opts.round_done(h->opts.arg, h);
}

/* dnsbl_health_over - the last answer is in: end the round from the loop */
static void
dnsbl_health_over(struct dnsbl_health_round *r)
{
	if (r->waiting == 0 && !r->starting)
		r->h->timer =
		    evloop_timer_add(r->h->loop, 0, dnsbl_health_end, r->h);
}

static void
dnsbl_health_answered(void *arg, const struct dnsmsg_answer *ans)
{
	struct dnsbl_health_probe *p = arg;

	p->ans = ans;
	p->round->waiting--;
	dnsbl_health_over(p->round);
}

/* dnsbl_health_probe_add - the question for one test entry */
static void
dnsbl_health_probe_add(struct dnsbl_health_round *r, const struct dnsbl_zone *z,
    const char *entry, bool must_list)
{
	struct dnsbl_health_probe *p = &r->probes[r->nprobes];
	struct dnsbl_ip ip;
	char qname[DNSMSG_MAX_TEXT];
	int ok;

	if (entry == NULL)
		return;
	if (z->kind == DNSBL_KIND_DOMAIN)
		ok = dnsbl_zone_qname_domain(z, entry, qname, sizeof(qname));
	else
		ok = dnsbl_ip_parse(entry, &ip) ?
		    dnsbl_zone_qname_ip(z, &ip, qname, sizeof(qname)) :
		    -1;
	if (ok == -1)
		return;
	*p = (struct dnsbl_health_probe){ .round = r,
		.z = z,
		.entry = entry,
		.must_list = must_list };
	r->nprobes++;
	r->waiting++;
	resolver_probe(r->s, arena_strndup(r->a, qname, strlen(qname)),
	    DNSMSG_T_A, dnsbl_health_answered, p);
}

/* dnsbl_health_begin - one round: every testable zone at once */
static void
dnsbl_health_begin(struct evloop *loop, void *arg)
{
	struct dnsbl_health *h = arg;
	struct dnsbl_health_round *r = xcalloc(1, sizeof(*r));
	size_t n = dnsbl_config_count(h->cfg);

	(void)loop;
	h->timer = NULL;
	r->h = h;
	r->a = arena_new();
	r->probes = arena_zalloc(r->a, (2 * n + 1) * sizeof(*r->probes));
	r->s = resolver_session_new(h->r, r->a,
	    evloop_now_ms() + h->opts.deadline_ms, (unsigned)(2 * n + 1));
	r->starting = true;
	h->round = r;
	for (size_t i = 0; i < n; i++) {
		const struct dnsbl_zone *z = dnsbl_config_zone(h->cfg, i);

		if (!dnsbl_health_testable(z))
			continue;
		dnsbl_health_probe_add(r, z, z->test_listed, true);
		dnsbl_health_probe_add(r, z, z->test_unlisted, false);
	}
	r->starting = false;
	dnsbl_health_over(r);
}

void
dnsbl_health_start(struct dnsbl_health *h)
{
	if (h->running)
		return;
	h->running = true;
	dnsbl_health_begin(h->loop, h);
}
