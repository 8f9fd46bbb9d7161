/* SPDX-License-Identifier: MIT */
/*
 * test_dnscanary.c - the DNS canary against the fixture DNS server
 *
 * The canary asks through the real resolver and c-ares; the fixture
 * answers the root's NS record on its own (dnsfix.h) and lies on demand
 * (the nxdomain behaviour), drops, fails or delays. Shown here: unknown
 * before the first answer, which counts as healthy; healthy on a correct
 * answer; failing with the reason for NXDOMAIN everywhere, no answer, a
 * failing server, no NS records and an unreadable answer; healthy again
 * on the next probe after a recovery; a name of the operator's instead of
 * the root; no canary at all (NULL); a healthy answer in the cache does
 * not hide a resolver that now lies (and the probe leaves the cache
 * alone); probes never overlap; a canary freed with a probe in flight
 * hears nothing more; the sentence a live check reports, in English and
 * Russian; the counters /metrics shows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnscanary.h"
#include "dnsfix.h"
#include "log.h"
#include "texts.h"
#include "test.h"

struct env {
	struct evloop *loop;
	struct dnsfix *fix;
	struct resolver *res;
};

/* What the probed callback saw. */
struct seen {
	struct evloop *loop;
	int probes;
	int stop_after; /* stop the loop at this many probes (0: never) */
	bool free_it;   /* free the canary from inside the callback */
};

static void
seen_probed(struct dnscanary *c, void *arg)
{
	struct seen *s = arg;

	s->probes++;
	if (s->free_it)
		dnscanary_free(c);
	if (s->stop_after > 0 && s->probes >= s->stop_after)
		evloop_stop(s->loop);
}

static int
env_init(struct env *e)
{
	struct dnsfix_zone *z = dnsfix_zone_new();
	struct resolver_config rc;
	char servers[64], *err = NULL;
	const char *rerr = NULL;
	static const uint8_t garbage[] = { 0xc0, 0xff }; /* a bad pointer */

	memset(e, 0, sizeof(*e));
	e->loop = evloop_new();
	e->fix = dnsfix_new(e->loop, "127.0.0.1", 0, &err);
	if (!CHECK(e->fix != NULL, "fixture server starts: %s",
	        err != NULL ? err : "")) {
		free(err);
		return -1;
	}
	(void)dnsfix_add_ns(z, "example.com", 300, "ns1.example.com");
	(void)dnsfix_add_a(z, "ns1.example.com", 300, "192.0.2.53");
	(void)dnsfix_add_a(z, "www.example.com", 300, "192.0.2.80");
	(void)dnsfix_add_rr(z, "broken.example.com", DNSMSG_T_NS, 300, garbage,
	    sizeof(garbage));
	dnsfix_set_zone(e->fix, &z);
	(void)snprintf(servers, sizeof(servers), "127.0.0.1:%u",
	    (unsigned)dnsfix_port(e->fix));
	/* 300 ms per try, one try: the tests of silence stay short */
	rc = (struct resolver_config){ servers, 300, 1 };
	e->res = resolver_new(e->loop, &rc, &rerr);
	return CHECK(e->res != NULL, "resolver starts: %s",
	           rerr != NULL ? rerr : "") ?
	    0 :
	    -1;
}

static void
env_clear(struct env *e)
{
	resolver_free(e->res);
	dnsfix_free(e->fix);
	evloop_free(e->loop);
}

/* lie - the fixture's server-wide behaviour: b, or none (NULL) */
static void
lie(struct env *e, const struct dnsfix_behaviour *b)
{
	dnsfix_set_behaviour(e->fix, b);
}

/* canary - a canary on name whose callback stops the loop after each
 * probe; interval long unless the test says */
static struct dnscanary *
canary(struct env *e, const char *name, unsigned interval_ms, struct seen *s)
{
	struct dnscanary_config cc = { name, interval_ms, 1000, seen_probed,
		s };

	s->loop = e->loop;
	return dnscanary_new(e->loop, e->res, &cc);
}

/* probe - run the loop until the canary's next probe has ended */
static void
probe(struct env *e, struct seen *s)
{
	s->stop_after = s->probes + 1;
	(void)evloop_run_for(e->loop, 5000);
}

/* failing_with - one probe against behaviour b: failing with reason? */
static void
failing_with(struct env *e, const struct dnsfix_behaviour *b, const char *name,
    const char *reason, const char *what)
{
	struct seen s = { 0 };
	struct dnscanary *c = canary(e, name, 600000, &s);

	lie(e, b);
	probe(e, &s);
	CHECK(s.probes == 1 && dnscanary_state(c) == DNSCANARY_FAILING &&
	        !dnscanary_healthy(c),
	    "%s: failing", what);
	CHECK_STR(dnscanary_reason(c), reason, what);
	dnscanary_free(c);
	lie(e, NULL);
}

static void
healthy(struct env *e)
{
	struct seen s = { 0 };
	struct dnscanary *c = canary(e, NULL, 600000, &s);
	const struct metrics_canary *m = dnscanary_counters(c);

	CHECK(dnscanary_state(c) == DNSCANARY_UNKNOWN && dnscanary_healthy(c) &&
	        dnscanary_reason(c) == NULL && m->healthy == 1 &&
	        m->probes == 0,
	    "before the first answer: unknown, which counts as healthy");
	CHECK_STR(dnscanary_name(c), ".", "no name: the root");
	probe(e, &s);
	CHECK(s.probes == 1 && dnscanary_state(c) == DNSCANARY_HEALTHY &&
	        dnscanary_healthy(c) && dnscanary_reason(c) == NULL,
	    "the root's NS answered: healthy");
	CHECK(dnsfix_queries(e->fix, ".", DNSMSG_T_NS) == 1,
	    "one question reached the server: NS of the root (%lu)",
	    dnsfix_queries(e->fix, ".", DNSMSG_T_NS));
	CHECK(m->healthy == 1 && m->probes == 1 && m->failures == 0,
	    "counters: healthy 1, probes 1, failures 0");
	dnscanary_free(c);
	dnsfix_reset_counts(e->fix);
}

static void
failures(struct env *e)
{
	struct dnsfix_behaviour nx = { .nxdomain = true };
	struct dnsfix_behaviour drop = { .drop = true };
	struct dnsfix_behaviour fail = { .servfail = true };
	struct dnsfix_behaviour refused = { .refused = true };

	failing_with(e, &nx, ".", "dns.canary.nxdomain_root",
	    "NXDOMAIN for every name, the root included");
	failing_with(e, &nx, "example.com", "dns.canary.nxdomain",
	    "NXDOMAIN for the operator's name");
	failing_with(e, &drop, NULL, "dns.canary.timeout", "no answer in time");
	failing_with(e, &fail, NULL, "dns.canary.servfail", "SERVFAIL");
	failing_with(e, &refused, NULL, "dns.canary.servfail", "REFUSED");
	failing_with(e, NULL, "nosuch.example.com", "dns.canary.nxdomain",
	    "an operator's name that does not exist");
	failing_with(e, NULL, "www.example.com", "dns.canary.nodata",
	    "a name without NS records");
	failing_with(e, NULL, "broken.example.com", "dns.canary.malformed",
	    "an NS record that cannot be read");
}

static void
deadline(struct env *e)
{
	struct dnsfix_behaviour slow = { .delay_ms = 3000 };
	struct seen s = { 0 };
	struct dnscanary_config cc = { ".", 600000, 100, seen_probed, &s };
	struct dnscanary *c;
	uint64_t t0 = evloop_now_ms();

	/* c-ares would wait 300 ms; the probe's own deadline is shorter */
	s.loop = e->loop;
	lie(e, &slow);
	c = dnscanary_new(e->loop, e->res, &cc);
	probe(e, &s);
	CHECK(s.probes == 1 && !dnscanary_healthy(c) &&
	        test_streq(dnscanary_reason(c), "dns.canary.timeout") &&
	        evloop_now_ms() - t0 < 290,
	    "the probe's deadline ends it: timeout after %llu ms",
	    (unsigned long long)(evloop_now_ms() - t0));
	dnscanary_free(c);
	lie(e, NULL);
}

static void
recovery(struct env *e)
{
	struct dnsfix_behaviour nx = { .nxdomain = true };
	struct seen s = { 0 };
	struct dnscanary *c = canary(e, NULL, 20, &s);
	const struct metrics_canary *m = dnscanary_counters(c);

	probe(e, &s);
	CHECK(dnscanary_state(c) == DNSCANARY_HEALTHY, "healthy at first");
	lie(e, &nx);
	probe(e, &s);
	CHECK(dnscanary_state(c) == DNSCANARY_FAILING && m->healthy == 0 &&
	        m->failures == 1,
	    "the resolver starts lying: the next probe finds it");
	probe(e, &s);
	CHECK(dnscanary_state(c) == DNSCANARY_FAILING && m->failures == 2,
	    "still lying: still failing");
	lie(e, NULL);
	probe(e, &s);
	CHECK(dnscanary_state(c) == DNSCANARY_HEALTHY && m->healthy == 1 &&
	        dnscanary_reason(c) == NULL && m->probes == 4,
	    "it answers correctly again: healthy again (probes %llu)",
	    (unsigned long long)m->probes);
	dnscanary_free(c);
}

static void
custom_name(struct env *e)
{
	struct seen s = { 0 };
	struct dnscanary *c = canary(e, "Example.COM.", 600000, &s);

	CHECK_STR(dnscanary_name(c), "Example.COM", "the name, no final dot");
	dnsfix_reset_counts(e->fix);
	probe(e, &s);
	CHECK(dnscanary_state(c) == DNSCANARY_HEALTHY,
	    "the operator's zone has NS records: healthy");
	CHECK(dnsfix_queries(e->fix, "example.com", DNSMSG_T_NS) == 1 &&
	        dnsfix_queries(e->fix, ".", 0) == 0,
	    "its NS asked, not the root's");
	dnscanary_free(c);
}

static void
no_canary(void)
{
	struct arena *a = arena_new();

	CHECK(dnscanary_healthy(NULL) && dnscanary_reason(NULL) == NULL &&
	        dnscanary_state(NULL) == DNSCANARY_UNKNOWN &&
	        dnscanary_unchecked(NULL, a) == NULL,
	    "no canary (--dns-canary none): healthy, no reason");
	dnscanary_free(NULL);
	arena_free(a);
}

/* lookup_done - resolver_done_fn: the answer's status */
static void
lookup_done(void *arg, const struct dnsmsg_answer *ans)
{
	*(enum dnsmsg_status *)arg = ans->status;
}

/* lookup_root - an ordinary lookup of the root's NS: its status */
static enum dnsmsg_status
lookup_root(struct env *e)
{
	struct arena *a = arena_new();
	struct resolver_session *s =
	    resolver_session_new(e->res, a, evloop_now_ms() + 2000, 5);
	enum dnsmsg_status st = DNSMSG_MALFORMED;
	bool waiting = true;

	resolver_lookup(s, ".", DNSMSG_T_NS, lookup_done, &st);
	while (waiting) {
		waiting = resolver_session_pending(s) > 0;
		if (waiting)
			(void)evloop_run_for(e->loop, 50);
	}
	resolver_session_free(s);
	arena_free(a);
	return st;
}

static void
cache_bypassed(struct env *e)
{
	struct dnsfix_behaviour nx = { .nxdomain = true };
	struct seen s = { 0 };
	struct dnscanary *c;

	dnsfix_reset_counts(e->fix);
	CHECK(lookup_root(e) == DNSMSG_OK && lookup_root(e) == DNSMSG_OK &&
	        dnsfix_queries(e->fix, ".", DNSMSG_T_NS) == 1,
	    "a lookup of the root's NS is cached");
	lie(e, &nx);
	c = canary(e, NULL, 600000, &s);
	probe(e, &s);
	CHECK(dnscanary_state(c) == DNSCANARY_FAILING &&
	        test_streq(dnscanary_reason(c), "dns.canary.nxdomain_root"),
	    "the healthy answer in the cache does not hide a lying resolver");
	CHECK(dnsfix_queries(e->fix, ".", DNSMSG_T_NS) == 2,
	    "the probe went to the server (%lu queries)",
	    dnsfix_queries(e->fix, ".", DNSMSG_T_NS));
	CHECK(lookup_root(e) == DNSMSG_OK &&
	        dnsfix_queries(e->fix, ".", DNSMSG_T_NS) == 2,
	    "and left the cache as it was: lookups still get the cached answer");
	dnscanary_free(c);
	lie(e, NULL);
}

static void
no_overlap(struct env *e)
{
	struct dnsfix_behaviour slow = { .delay_ms = 150 };
	struct seen s = { .stop_after = 0 };
	struct dnscanary *c = canary(e, NULL, 1, &s);

	lie(e, &slow);
	dnsfix_reset_counts(e->fix);
	(void)evloop_run_for(e->loop, 700);
	CHECK(s.probes >= 2 && s.probes <= 5 &&
	        dnsfix_queries(e->fix, ".", DNSMSG_T_NS) <=
	            (unsigned long)s.probes + 1,
	    "answers take 150 ms, the interval is 1 ms: one probe after "
	    "another (%d in 700 ms, %lu queries)",
	    s.probes, dnsfix_queries(e->fix, ".", DNSMSG_T_NS));
	dnscanary_free(c);
	lie(e, NULL);
}

static void
freed(struct env *e)
{
	struct dnsfix_behaviour slow = { .delay_ms = 200 };
	struct seen s = { 0 };
	struct dnscanary *c;

	lie(e, &slow);
	c = canary(e, NULL, 600000, &s);
	(void)evloop_run_for(e->loop, 50);
	dnscanary_free(c); /* the probe waits for its answer */
	(void)evloop_run_for(e->loop, 400);
	CHECK(s.probes == 0, "freed with a probe in flight: no callback");
	lie(e, NULL);

	s = (struct seen){ .free_it = true };
	c = canary(e, NULL, 10, &s);
	(void)evloop_run_for(e->loop, 300);
	CHECK(s.probes == 1, "freed from its own callback: no more probes");
}

static void
sentence(struct env *e)
{
	struct dnsfix_behaviour nx = { .nxdomain = true };
	struct texts *t = test_texts_shipped();
	struct arena *a = arena_new();
	struct seen s = { 0 };
	struct dnscanary *c = canary(e, NULL, 600000, &s);
	const struct texts_msg *m;
	const char *en, *ru;

	probe(e, &s);
	CHECK(dnscanary_unchecked(c, a) == NULL,
	    "healthy: nothing to report instead of a check");
	dnscanary_free(c);
	lie(e, &nx);
	c = canary(e, NULL, 600000, &s);
	probe(e, &s);
	m = dnscanary_unchecked(c, a);
	CHECK(texts_msg_is(m, "dns.unchecked.resolver") && m->nargs == 1 &&
	        texts_msg_is(m->args[0].msg, "dns.canary.nxdomain_root"),
	    "failing: dns.unchecked.resolver with the reason");
	if (t != NULL && m != NULL) {
		const struct langs *ls = texts_langs(t);

		en = texts_render(a, t, LANG_EN, m);
		ru = texts_render(a, t, test_lang_of(ls, "ru"), m);
		CHECK_STR(en,
		    "the DNS resolver is not answering correctly (NXDOMAIN for "
		    "the root zone, which always exists), so nothing it says is "
		    "evidence",
		    "in English");
		CHECK(ru != NULL && strstr(ru, "DNS") != NULL &&
		        strstr(ru, "NXDOMAIN") != NULL &&
		        strstr(ru, "{") == NULL,
		    "in Russian: %s", ru != NULL ? ru : "(null)");
	}
	dnscanary_free(c);
	lie(e, NULL);
	c = canary(e, "www.example.com", 600000, &s);
	probe(e, &s);
	m = dnscanary_unchecked(c, a);
	if (t != NULL && m != NULL)
		CHECK(strstr(texts_render(a, t, LANG_EN, m),
		          "www.example.com") != NULL,
		    "the operator's name is in the sentence: %s",
		    texts_render(a, t, LANG_EN, m));
	dnscanary_free(c);
	arena_free(a);
	texts_free(t);
}

int
main(void)
{
	struct env e;

	/* the canary logs each change of state; the tests read the state */
	log_init(LOG_FATAL);
	if (env_init(&e) == 0) {
		healthy(&e);
		failures(&e);
		deadline(&e);
		recovery(&e);
		custom_name(&e);
		no_canary();
		cache_bypassed(&e);
		no_overlap(&e);
		freed(&e);
		sentence(&e);
	}
	env_clear(&e);
	return test_done();
}
