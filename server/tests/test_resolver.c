/* SPDX-License-Identifier: MIT */
/*
 * test_resolver.c - the resolver through c-ares against the fixture server
 *
 * One loop runs the fixture DNS server (dnsfix.c) on 127.0.0.1 and the
 * resolver pointed at it: every answer here crossed a real socket. The
 * fixture counts the queries that reach it, which shows caching, joining
 * and the TCP fallback; behaviours (drop, delay, servfail, truncate) and
 * the TIMEOUT marker give the failures. Questions beyond the limit on the
 * wire wait their turn (joined while they wait, dropped unsent when
 * nobody waits any more, ended by their session's deadline), and a burst
 * of answers larger than a default socket buffer holds arrives whole.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnsfix.h"
#include "resolver.h"
#include "test.h"

struct got {
	struct evloop *loop;
	int calls;
	enum dnsmsg_status status;
	size_t nrecords;
	const struct dnsmsg_answer *ans;
	struct resolver_session *free_me; /* freed inside the callback */
	bool stop;
};

static void
got_answer(void *arg, const struct dnsmsg_answer *ans)
{
	struct got *g = arg;

	g->calls++;
	g->status = ans->status;
	g->nrecords = ans->nrecords;
	g->ans = ans;
	if (g->free_me != NULL) {
		resolver_session_free(g->free_me);
		g->free_me = NULL;
	}
	if (g->stop)
		evloop_stop(g->loop);
}

/* run - the loop until a callback stops it, at most ms */
static void
run(struct evloop *loop, uint64_t ms)
{
	(void)evloop_run_for(loop, ms);
}

struct env {
	struct evloop *loop;
	struct dnsfix *fix;
	struct resolver *res;
	struct arena *a;
};

static int
env_init(struct env *e, unsigned timeout_ms, unsigned tries)
{
	struct dnsfix_zone *z;
	const struct span two[2] = { SPAN_LIT("v=spf1 "), SPAN_LIT("-all") };

	e->loop = evloop_new();
	if ((e->fix = test_dnsfix_new(e->loop)) == NULL)
		return -1;
	z = dnsfix_zone_new();
	(void)dnsfix_add_txt(z, "example.com", 300,
	    "v=spf1 ip4:192.0.2.0/24 -all");
	(void)dnsfix_add_strings(z, "split.example.com", DNSMSG_T_TXT, 300, two,
	    2);
	(void)dnsfix_add_a(z, "mail.example.com", 300, "192.0.2.10");
	(void)dnsfix_add_name(z, "empty.example.com");
	(void)dnsfix_add_timeout(z, "silent.example.com");
	(void)dnsfix_add_txt(z, "slow.example.com", 300, "v=spf1 -all");
	(void)dnsfix_add_txt(z, "bad.example.com", 300, "v=spf1 -all");
	(void)dnsfix_add_txt(z, "big.example.com", 300, "v=spf1 -all");
	(void)dnsfix_add_txt(z, "short.example.com", 1, "v=spf1 -all");
	/* RFC 2181 §11: any octet may be in a label, '/' and ':' included */
	(void)dnsfix_add_a(z, "foo:bar/baz.example.com", 300, "192.0.2.99");
	{
		struct dnsfix_behaviour slow = { .delay_ms = 3000 };
		struct dnsfix_behaviour bad = { .servfail = true };
		struct dnsfix_behaviour tc = { .truncate = true };

		(void)dnsfix_zone_behaviour(z, "slow.example.com", &slow);
		(void)dnsfix_zone_behaviour(z, "bad.example.com", &bad);
		(void)dnsfix_zone_behaviour(z, "big.example.com", &tc);
	}
	dnsfix_set_zone(e->fix, &z);
	e->res = test_resolver_for(e->loop, e->fix, timeout_ms, tries);
	if (e->res == NULL)
		return -1;
	e->a = arena_new();
	return 0;
}

static void
env_clear(struct env *e)
{
	resolver_free(e->res);
	dnsfix_free(e->fix);
	evloop_free(e->loop);
	arena_free(e->a);
}

/* ask - one lookup in a fresh session, run until it is answered */
static struct got
ask(struct env *e, const char *name, uint16_t type, unsigned deadline_ms,
    unsigned budget)
{
	struct resolver_session *s = resolver_session_new(e->res, e->a,
	    evloop_now_ms() + deadline_ms, budget);
	struct got g = { .loop = e->loop, .stop = true };

	resolver_lookup(s, name, type, got_answer, &g);
	if (g.calls == 0)
		run(e->loop, 10000);
	resolver_session_free(s);
	return g;
}

static void
answers(struct env *e)
{
	struct got g;

	g = ask(e, "example.com", DNSMSG_T_TXT, 5000, 10);
	CHECK(g.calls == 1 && g.status == DNSMSG_OK && g.nrecords == 1,
	    "TXT answered: calls %d status %s records %zu", g.calls,
	    dnsmsg_status_str(g.status), g.nrecords);
	CHECK(g.nrecords == 1 && g.ans->records[0].u.txt.len == 28 &&
	        memcmp(g.ans->records[0].u.txt.data,
	            "v=spf1 ip4:192.0.2.0/24 -all", 28) == 0,
	    "the record's text");
	CHECK(g.ans->ttl > 0 && g.ans->ttl <= 300, "its TTL: %u", g.ans->ttl);
	g = ask(e, "EXAMPLE.com.", DNSMSG_T_TXT, 5000, 10);
	CHECK(g.calls == 1 && g.status == DNSMSG_OK,
	    "same question in other case, with a final dot: answered");
	CHECK(dnsfix_queries(e->fix, "example.com", DNSMSG_T_TXT) == 1,
	    "... from the cache: the server saw one query (%lu)",
	    dnsfix_queries(e->fix, "example.com", DNSMSG_T_TXT));

	g = ask(e, "split.example.com", DNSMSG_T_TXT, 5000, 10);
	CHECK(g.status == DNSMSG_OK && g.nrecords == 1 &&
	        g.ans->records[0].u.txt.len == 11 &&
	        g.ans->records[0].u.txt.nstrings == 2,
	    "two character-strings joined into one record");

	g = ask(e, "mail.example.com", DNSMSG_T_A, 5000, 10);
	CHECK(g.status == DNSMSG_OK && g.nrecords == 1 &&
	        g.ans->records[0].u.a[0] == 192 &&
	        g.ans->records[0].u.a[3] == 10,
	    "A record");

	g = ask(e, "nowhere.example.com", DNSMSG_T_TXT, 5000, 10);
	CHECK(g.status == DNSMSG_NXDOMAIN, "NXDOMAIN: %s",
	    dnsmsg_status_str(g.status));
	g = ask(e, "nowhere.example.com", DNSMSG_T_TXT, 5000, 10);
	CHECK(g.status == DNSMSG_NXDOMAIN &&
	        dnsfix_queries(e->fix, "nowhere.example.com", 0) == 1,
	    "NXDOMAIN is cached too (RFC 2308): %lu queries",
	    dnsfix_queries(e->fix, "nowhere.example.com", 0));
	g = ask(e, "empty.example.com", DNSMSG_T_TXT, 5000, 10);
	CHECK(g.status == DNSMSG_NODATA, "NODATA: %s",
	    dnsmsg_status_str(g.status));

	g = ask(e, "bad.example.com", DNSMSG_T_TXT, 5000, 10);
	CHECK(g.status == DNSMSG_SERVFAIL, "SERVFAIL: %s",
	    dnsmsg_status_str(g.status));
	g = ask(e, "bad.example.com", DNSMSG_T_TXT, 5000, 10);
	CHECK(dnsfix_queries(e->fix, "bad.example.com", DNSMSG_T_TXT) >= 2,
	    "a failure is not cached: asked again");

	g = ask(e, "big.example.com", DNSMSG_T_TXT, 5000, 10);
	CHECK(g.status == DNSMSG_OK && g.nrecords == 1,
	    "a truncated UDP answer is fetched over TCP: %s",
	    dnsmsg_status_str(g.status));
	CHECK(dnsfix_queries_tcp(e->fix, "big.example.com", DNSMSG_T_TXT) >= 1,
	    "... the server saw the TCP query");

	g = ask(e, "foo:bar/baz.example.com", DNSMSG_T_A, 5000, 10);
	CHECK(g.status == DNSMSG_OK && g.nrecords == 1 &&
	        g.ans->records[0].u.a[3] == 99,
	    "a name with '/' and ':' is asked whole: %s",
	    dnsmsg_status_str(g.status));
	g = ask(e, "foo:bar/baz.example.com", DNSMSG_T_A, 5000, 10);
	CHECK(g.status == DNSMSG_OK &&
	        dnsfix_queries(e->fix, "foo:bar/baz.example.com", 0) == 1,
	    "... and found in the cache");

	/* the TTL is kept: a 1-second answer is asked again after it */
	g = ask(e, "short.example.com", DNSMSG_T_TXT, 5000, 10);
	g = ask(e, "short.example.com", DNSMSG_T_TXT, 5000, 10);
	CHECK(g.status == DNSMSG_OK &&
	        dnsfix_queries(e->fix, "short.example.com", 0) == 1,
	    "within its TTL: from the cache");
	run(e->loop, 1100);
	g = ask(e, "short.example.com", DNSMSG_T_TXT, 5000, 10);
	CHECK(g.status == DNSMSG_OK &&
	        dnsfix_queries(e->fix, "short.example.com", 0) == 2,
	    "after its TTL: asked again (%lu queries)",
	    dnsfix_queries(e->fix, "short.example.com", 0));

	g = ask(e, "a.b..example.com", DNSMSG_T_TXT, 5000, 10);
	CHECK(g.calls == 1 && g.status != DNSMSG_OK,
	    "an impossible name ends at once: %s", dnsmsg_status_str(g.status));
}

static void
failures(struct env *e)
{
	struct got g;
	struct resolver_session *s;

	g = ask(e, "silent.example.com", DNSMSG_T_TXT, 5000, 10);
	CHECK(g.calls == 1 && g.status == DNSMSG_TIMEOUT,
	    "no answer (TIMEOUT marker): timeout after the tries: %s",
	    dnsmsg_status_str(g.status));

	/* the session's deadline ends a lookup the server answers late */
	s = resolver_session_new(e->res, e->a, evloop_now_ms() + 100, 10);
	{
		struct got h = { .loop = e->loop, .stop = true };

		resolver_lookup(s, "slow.example.com", DNSMSG_T_TXT, got_answer,
		    &h);
		run(e->loop, 10000);
		CHECK(h.calls == 1 && h.status == DNSMSG_TIMEOUT,
		    "deadline before the delayed answer: timeout (%s)",
		    dnsmsg_status_str(h.status));
		CHECK(resolver_session_expired(s), "the session says so");
		CHECK(!resolver_session_exhausted(s), "not the budget");
	}
	resolver_session_free(s);

	/* the owner ends the session's time early: the waiting lookup ends
	 * at once with timeout, later ones too, the cache still answers */
	s = resolver_session_new(e->res, e->a, evloop_now_ms() + 5000, 10);
	{
		struct got h = { .loop = e->loop };
		struct got k = { .loop = e->loop };
		struct got c = { .loop = e->loop };

		resolver_lookup(s, "slow.example.com", DNSMSG_T_A, got_answer,
		    &h);
		CHECK(h.calls == 0, "expire: the lookup waits");
		resolver_session_expire(s);
		CHECK(h.calls == 1 && h.status == DNSMSG_TIMEOUT,
		    "expire: it ends at once with timeout (%s)",
		    dnsmsg_status_str(h.status));
		CHECK(resolver_session_expired(s),
		    "expire: the session says so");
		resolver_lookup(s, "never.example.com", DNSMSG_T_A, got_answer,
		    &k);
		CHECK(k.calls == 1 && k.status == DNSMSG_TIMEOUT,
		    "expire: a later lookup ends at once");
		resolver_lookup(s, "example.com", DNSMSG_T_TXT, got_answer, &c);
		CHECK(c.calls == 1 && c.status == DNSMSG_OK,
		    "expire: the cache still answers");
		CHECK(dnsfix_queries(e->fix, "never.example.com", DNSMSG_T_A) ==
		        0,
		    "expire: nothing more was sent");
	}
	resolver_session_free(s);

	/* the budget */
	s = resolver_session_new(e->res, e->a, evloop_now_ms() + 5000, 1);
	{
		struct got h1 = { .loop = e->loop, .stop = true };
		struct got h2 = { .loop = e->loop };

		resolver_lookup(s, "budget1.example.com", DNSMSG_T_A,
		    got_answer, &h1);
		resolver_lookup(s, "budget2.example.com", DNSMSG_T_A,
		    got_answer, &h2);
		CHECK(h2.calls == 1 && h2.status == DNSMSG_TIMEOUT,
		    "beyond the budget: ends at once");
		CHECK(resolver_session_exhausted(s), "the session says so");
		CHECK(resolver_session_sent(s) == 1, "one question sent");
		if (h1.calls == 0)
			run(e->loop, 10000);
		CHECK(h1.calls == 1 && h1.status == DNSMSG_NXDOMAIN,
		    "the first one answered");
		CHECK(dnsfix_queries(e->fix, "budget2.example.com", 0) == 0,
		    "the second never reached the server");
	}
	resolver_session_free(s);
}

/* probes - resolver_probe: past the cache, joining nobody, joined by
 * nobody, leaving the cache alone, counted */
static void
probes(struct env *e)
{
	struct resolver_session *s1, *s2, *s3;
	struct got g1 = { .loop = e->loop };
	struct got g2 = { .loop = e->loop };
	struct got g3 = { .loop = e->loop, .stop = true };
	uint64_t sent;
	struct got g;

	g = ask(e, "mail.example.com", DNSMSG_T_A, 5000, 10);
	CHECK(g.status == DNSMSG_OK, "an answer in the cache");
	sent = resolver_counters(e->res)->sent;
	dnsfix_reset_counts(e->fix);
	s1 = resolver_session_new(e->res, e->a, evloop_now_ms() + 5000, 1);
	resolver_probe(s1, "MAIL.example.com.", DNSMSG_T_A, got_answer, &g1);
	CHECK(g1.calls == 0 && resolver_session_pending(s1) == 1,
	    "a probe is not answered from the cache: it waits");
	run(e->loop, 10000);
	CHECK(g1.calls == 1 && g1.status == DNSMSG_OK &&
	        dnsfix_queries(e->fix, "mail.example.com", DNSMSG_T_A) == 1 &&
	        resolver_session_sent(s1) == 1,
	    "it went to the server, counted in its session's budget");
	resolver_session_free(s1);

	/* a lookup in flight, a probe of the same question, a lookup after
	 * the probe: the probe joins nobody and nobody joins it */
	dnsfix_reset_counts(e->fix);
	g1 = (struct got){ .loop = e->loop };
	s1 = resolver_session_new(e->res, e->a, evloop_now_ms() + 5000, 5);
	s2 = resolver_session_new(e->res, e->a, evloop_now_ms() + 5000, 5);
	s3 = resolver_session_new(e->res, e->a, evloop_now_ms() + 5000, 5);
	resolver_lookup(s1, "probe.example.com", DNSMSG_T_A, got_answer, &g1);
	resolver_probe(s2, "probe.example.com", DNSMSG_T_A, got_answer, &g2);
	resolver_lookup(s3, "probe.example.com", DNSMSG_T_A, got_answer, &g3);
	run(e->loop, 10000);
	if (g1.calls + g2.calls < 2)
		run(e->loop, 10000);
	CHECK(g1.calls == 1 && g2.calls == 1 && g3.calls == 1 &&
	        g2.status == DNSMSG_NXDOMAIN,
	    "all three answered");
	CHECK(dnsfix_queries(e->fix, "probe.example.com", DNSMSG_T_A) == 2,
	    "two queries: the lookups' one, the probe's own (%lu)",
	    dnsfix_queries(e->fix, "probe.example.com", DNSMSG_T_A));
	resolver_session_free(s1);
	resolver_session_free(s2);
	resolver_session_free(s3);
	CHECK(resolver_counters(e->res)->sent == sent + 3,
	    "the counters count probes as questions sent");

	/* a probe's answer does not go into the cache */
	dnsfix_reset_counts(e->fix);
	s1 = resolver_session_new(e->res, e->a, evloop_now_ms() + 5000, 1);
	g1 = (struct got){ .loop = e->loop, .stop = true };
	resolver_probe(s1, "probe2.example.com", DNSMSG_T_TXT, got_answer, &g1);
	run(e->loop, 10000);
	resolver_session_free(s1);
	g = ask(e, "probe2.example.com", DNSMSG_T_TXT, 5000, 10);
	CHECK(g1.status == DNSMSG_NXDOMAIN && g.status == DNSMSG_NXDOMAIN &&
	        dnsfix_queries(e->fix, "probe2.example.com", DNSMSG_T_TXT) == 2,
	    "a lookup after a probe is asked anew: the probe cached nothing");
}

/* Lookups that end together: how many ended, and how. */
struct many {
	struct evloop *loop;
	int left; /* the loop stops at 0 */
	int ok, timeouts, deadline;
	struct resolver_session *s; /* to read why a timeout came */
};

static void
many_answer(void *arg, const struct dnsmsg_answer *ans)
{
	struct many *m = arg;
	const char *why = resolver_failure_id(m->s, ans);

	m->ok += ans->status == DNSMSG_OK;
	m->timeouts += ans->status == DNSMSG_TIMEOUT;
	m->deadline +=
	    why != NULL && strcmp(why, "dns.unchecked.deadline") == 0;
	if (--m->left == 0)
		evloop_stop(m->loop);
}

/* queue_name - "qN.example.com" */
static const char *
queue_name(char *buf, size_t cap, int i)
{
	(void)snprintf(buf, cap, "q%d.example.com", i);
	return buf;
}

/* queue - 3 questions on the wire at most: the others wait their turn */
static void
queue(struct env *e)
{
	const struct dnsfix_behaviour slow = { .delay_ms = 40 };
	struct resolver *r = test_resolver_for(e->loop, e->fix, 2000, 1);
	const struct metrics_dns *cn;
	struct resolver_session *s, *s2, *gone, *brief;
	struct many m = { .loop = e->loop }, m2 = { .loop = e->loop };
	struct many mb = { .loop = e->loop }, mg = { .loop = e->loop };
	char name[64];

	if (r == NULL)
		return;
	resolver_set_max_inflight(r, 3);
	cn = resolver_counters(r);
	for (int i = 0; i < 10; i++)
		(void)dnsfix_add_a(dnsfix_zone(e->fix),
		    queue_name(name, sizeof(name), i), 300, "192.0.2.20");
	dnsfix_set_behaviour(e->fix, &slow);
	dnsfix_reset_counts(e->fix);
	s = resolver_session_new(r, e->a, evloop_now_ms() + 5000, 20);
	s2 = resolver_session_new(r, e->a, evloop_now_ms() + 5000, 20);
	gone = resolver_session_new(r, e->a, evloop_now_ms() + 5000, 20);
	brief = resolver_session_new(r, e->a, evloop_now_ms() + 10, 20);
	m.s = s;
	m2.s = s2;
	mg.s = gone;
	mb.s = brief;
	m.left = 8;
	for (int i = 0; i < 8; i++)
		resolver_lookup(s, queue_name(name, sizeof(name), i),
		    DNSMSG_T_A, many_answer, &m);
	CHECK(cn->sent == 3 && resolver_session_pending(s) == 8,
	    "8 questions: 3 go out, 5 wait (sent %llu)",
	    (unsigned long long)cn->sent);
	m2.left = 1;
	resolver_lookup(s2, "q7.example.com", DNSMSG_T_A, many_answer, &m2);
	CHECK(cn->joined == 1 && cn->sent == 3,
	    "a question that waits is joined, not asked twice");
	resolver_lookup(gone, "q8.example.com", DNSMSG_T_A, many_answer, &mg);
	resolver_session_free(gone);
	mb.left = 1;
	resolver_lookup(brief, "q9.example.com", DNSMSG_T_A, many_answer, &mb);
	/* each one that ends stops the loop */
	for (int i = 0; i < 3 && (m.left > 0 || m2.left > 0 || mb.left > 0);
	     i++)
		run(e->loop, 5000);
	CHECK(m.ok == 8 && m.timeouts == 0 && m2.ok == 1,
	    "every waiting question is answered in its turn (%d ok, %d "
	    "timeouts)",
	    m.ok, m.timeouts);
	CHECK(mb.timeouts == 1 && mb.deadline == 1,
	    "a question still waiting at its session's deadline ends with it");
	CHECK(mg.left == 0 && mg.ok == 0 && mg.timeouts == 0,
	    "a freed session's waiting question is dropped");
	CHECK(dnsfix_queries(e->fix, "q8.example.com", DNSMSG_T_A) == 0 &&
	        dnsfix_queries(e->fix, "q9.example.com", DNSMSG_T_A) == 0,
	    "a question nobody waits for any more is never sent");
	CHECK(dnsfix_queries(e->fix, "q7.example.com", DNSMSG_T_A) == 1 &&
	        cn->sent == 8,
	    "8 questions sent in all, each once (%llu)",
	    (unsigned long long)cn->sent);
	resolver_session_free(s);
	resolver_session_free(s2);
	resolver_session_free(brief);
	dnsfix_set_behaviour(e->fix, NULL);
	resolver_free(r);
}

#define BURST 400 /* answers: more than a default buffer's 256 datagrams */

/* burst - BURST answers arrive while the resolver's loop is not running
 * (the fixture runs on a loop of its own first): the resolver's socket
 * holds them all */
static void
burst(struct env *e)
{
	struct evloop *floop = evloop_new();
	struct dnsfix *fix = test_dnsfix_new(floop);
	struct resolver *r =
	    fix != NULL ? test_resolver_for(e->loop, fix, 1000, 1) : NULL;
	struct dnsfix_zone *z = dnsfix_zone_new();
	struct resolver_session *s;
	struct many m = { .loop = e->loop, .left = BURST };
	char name[64];

	if (r == NULL) {
		dnsfix_zone_free(z);
		dnsfix_free(fix);
		evloop_free(floop);
		return;
	}
	for (int i = 0; i < BURST; i++) {
		(void)snprintf(name, sizeof(name), "b%d.burst.example", i);
		(void)dnsfix_add_a(z, name, 300, "192.0.2.30");
	}
	dnsfix_set_zone(fix, &z);
	s = resolver_session_new(r, e->a, evloop_now_ms() + 5000, BURST);
	m.s = s;
	for (int i = 0; i < BURST; i++) {
		(void)snprintf(name, sizeof(name), "b%d.burst.example", i);
		resolver_lookup(s, name, DNSMSG_T_A, many_answer, &m);
	}
	/* the fixture reads every question and answers it; nobody reads the
	 * answers yet */
	(void)evloop_run_for(floop, 100);
	CHECK(dnsfix_queries(fix, NULL, 0) == BURST,
	    "the fixture got the %d questions (%lu)", BURST,
	    dnsfix_queries(fix, NULL, 0));
	run(e->loop, 3000);
	CHECK(m.ok == BURST && m.timeouts == 0,
	    "%d answers waiting at once all arrive (%d ok, %d timeouts)", BURST,
	    m.ok, m.timeouts);
	resolver_session_free(s);
	resolver_free(r);
	dnsfix_free(fix);
	evloop_free(floop);
}

static void
joining(struct env *e)
{
	struct resolver_session *s1, *s2, *s3;
	struct got g1 = { .loop = e->loop };
	struct got g2 = { .loop = e->loop, .stop = true };
	struct got g3 = { .loop = e->loop };

	/* a fresh name: nothing cached */
	s1 = resolver_session_new(e->res, e->a, evloop_now_ms() + 5000, 10);
	s2 = resolver_session_new(e->res, e->a, evloop_now_ms() + 5000, 10);
	s3 = resolver_session_new(e->res, e->a, evloop_now_ms() + 5000, 10);
	resolver_lookup(s1, "join.example.com", DNSMSG_T_MX, got_answer, &g1);
	resolver_lookup(s3, "join.example.com", DNSMSG_T_MX, got_answer, &g3);
	resolver_lookup(s2, "JOIN.example.com", DNSMSG_T_MX, got_answer, &g2);
	CHECK(resolver_session_pending(s1) == 1, "s1 waits");
	/* a session that goes while waiting hears nothing */
	resolver_session_free(s3);
	run(e->loop, 10000);
	CHECK(g1.calls == 1 && g2.calls == 1, "both waiters answered");
	CHECK(g3.calls == 0, "the freed session's lookup was dropped");
	CHECK(dnsfix_queries(e->fix, "join.example.com", DNSMSG_T_MX) == 1,
	    "one query for three identical questions in flight (%lu)",
	    dnsfix_queries(e->fix, "join.example.com", DNSMSG_T_MX));
	resolver_session_free(s1);
	resolver_session_free(s2);

	/* a session freed inside its own callback, with another lookup
	 * still waiting */
	s1 = resolver_session_new(e->res, e->a, evloop_now_ms() + 5000, 10);
	{
		struct got h = { .loop = e->loop, .stop = true, .free_me = s1 };
		struct got k = { .loop = e->loop };

		resolver_lookup(s1, "self1.example.com", DNSMSG_T_A, got_answer,
		    &h);
		resolver_lookup(s1, "slow.example.com", DNSMSG_T_A, got_answer,
		    &k);
		run(e->loop, 10000);
		CHECK(h.calls == 1 && k.calls == 0,
		    "freed inside its callback: the other lookup is dropped");
	}
}

int
main(void)
{
	struct env e;
	const struct metrics_dns *st;

	if (env_init(&e, 200, 2) == 0) {
		answers(&e);
		failures(&e);
		joining(&e);
		probes(&e);
		queue(&e);
		burst(&e);
		st = resolver_counters(e.res);
		CHECK(st->cache_hits >= 2 && st->joined >= 1 && st->sent >= 5,
		    "counters: hits %llu joined %llu sent %llu",
		    (unsigned long long)st->cache_hits,
		    (unsigned long long)st->joined,
		    (unsigned long long)st->sent);
		CHECK(st->cache_entries > 0 && st->lookups >= st->sent,
		    "counters: %llu entries, %llu lookups",
		    (unsigned long long)st->cache_entries,
		    (unsigned long long)st->lookups);
		env_clear(&e);
	}
	return test_done();
}
