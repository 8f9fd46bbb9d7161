/* SPDX-License-Identifier: MIT */
/*
 * test_spfcheck.c - spfcheck's fix phases through the real path
 *
 * The fixture DNS server on 127.0.0.1, c-ares and the resolver answer an
 * SPF check that asks for a fix: the client's PTR name is looked up and
 * confirmed by its A/AAAA records, the provider's record is fetched for
 * spffix, and done comes exactly once, also when the PTR answer is late
 * (the session's deadline ends it), when the budget is spent, and from a
 * warm cache before spfcheck_start returns. The fixture counts what
 * reached it, which shows what was (not) asked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnsfix.h"
#include "mailprov.h"
#include "resolver.h"
#include "spfcheck.h"
#include "test.h"

struct env {
	struct evloop *loop;
	struct dnsfix *fix;
	struct resolver *res;
};

struct got {
	struct evloop *loop;
	int calls;
	bool in_loop;
	struct spfcheck_result r;
};

static void
got_done(void *arg, const struct spfcheck_result *r)
{
	struct got *g = arg;

	g->calls++;
	g->r = *r;
	if (g->in_loop)
		evloop_stop(g->loop);
}

static int
env_init(struct env *e)
{
	struct dnsfix_zone *z = dnsfix_zone_new();
	struct dnsfix_behaviour slow = { .delay_ms = 3000 };
	char *err = NULL;

	e->loop = evloop_new();
	e->fix = dnsfix_new(e->loop, "127.0.0.1", 0, &err);
	if (!CHECK(e->fix != NULL, "fixture server starts: %s",
	        err != NULL ? err : "")) {
		free(err);
		return -1;
	}
	(void)dnsfix_add_txt(z, "example.com", 300,
	    "v=spf1 ip4:198.51.100.0/24 -all");
	(void)dnsfix_add_txt(z, "_spf.google.com", 300,
	    "v=spf1 include:_netblocks.google.com ~all");
	(void)dnsfix_add_txt(z, "_netblocks.google.com", 300,
	    "v=spf1 ip4:192.0.2.0/25 ip6:2001:db8:4860::/48 ~all");
	/* 192.0.2.7 and 2001:db8:4860::7: Google's, confirmed */
	(void)dnsfix_add_ptr(z, "7.2.0.192.in-addr.arpa", 300,
	    "mail-wr1-f41.google.com");
	(void)dnsfix_add_a(z, "mail-wr1-f41.google.com", 300, "192.0.2.7");
	(void)dnsfix_add_ptr(z,
	    "7.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.8.4.8.b.d.0.1.0.0.2."
	    "ip6.arpa",
	    300, "mail-yw1-f99.google.com");
	(void)dnsfix_add_aaaa(z, "mail-yw1-f99.google.com", 300,
	    "2001:db8:4860::7");
	/* 192.0.2.8 claims a Google name that does not point back */
	(void)dnsfix_add_ptr(z, "8.2.0.192.in-addr.arpa", 300,
	    "mail-fake.google.com");
	(void)dnsfix_add_a(z, "mail-fake.google.com", 300, "192.0.2.99");
	/* 192.0.2.9's PTR answer comes after the deadline */
	(void)dnsfix_add_ptr(z, "9.2.0.192.in-addr.arpa", 300,
	    "mail-slow.google.com");
	(void)dnsfix_zone_behaviour(z, "9.2.0.192.in-addr.arpa", &slow);
	dnsfix_set_zone(e->fix, &z);
	e->res = test_resolver_for(e->loop, e->fix, 1000, 1);
	return e->res != NULL ? 0 : -1;
}

/* check - one check in its own session and arena; *sync tells whether
 * done came before spfcheck_start returned. The arena is handed back. */
static struct got
check(struct env *e, struct arena *a, const char *ip, const char *domain,
    const struct spfcheck_opts *opts, unsigned deadline_ms, unsigned budget,
    bool *sync, uint64_t *took_ms)
{
	struct spf_query *q = arena_zalloc(a, sizeof(*q));
	struct resolver_session *s;
	struct got g = { .loop = e->loop };
	uint64_t t0 = evloop_now_ms();

	q->ip = ip;
	q->domain = domain;
	q->now = 1700000000;
	s = resolver_session_new(e->res, a, t0 + deadline_ms, budget);
	(void)spfcheck_start(s, a, q, opts, got_done, &g);
	*sync = g.calls > 0;
	if (g.calls == 0) {
		g.in_loop = true;
		(void)evloop_run_for(e->loop, 10000);
		g.in_loop = false;
	}
	*took_ms = evloop_now_ms() - t0;
	resolver_session_free(s);
	return g;
}

int
main(void)
{
	struct env e;
	struct arena *a;
	struct got g;
	bool sync;
	uint64_t took;
	struct mailprov_table provs = { NULL, 0 };
	struct spfcheck_opts fix = { true, NULL, 0, &provs };
	struct arena *pa = arena_new();
	char *err = NULL;

	if (!CHECK(mailprov_load("rules/providers.json", pa, &provs, &err) == 0,
	        "the shipped providers load: %s", err != NULL ? err : "")) {
		free(err);
		arena_free(pa);
		return test_done();
	}
	if (env_init(&e) == -1) {
		arena_free(pa);
		return test_done();
	}

	/* a fail: PTR, its confirmation, Google's record for the fix */
	a = arena_new();
	g = check(&e, a, "192.0.2.7", "example.com", &fix, 5000, 50, &sync,
	    &took);
	if (CHECK(g.calls == 1, "done once (%d)", g.calls)) {
		CHECK(g.r.o->result == SPF_FAIL && g.r.unchecked == NULL,
		    "fail, checked");
		CHECK_STR(g.r.ptr, "mail-wr1-f41.google.com", "confirmed PTR");
		if (CHECK(g.r.fix != NULL, "a fix")) {
			CHECK_STR(g.r.fix->provider, "Google Workspace",
			    "provider from the PTR name");
			CHECK_STR(g.r.fix->added, "include:_spf.google.com",
			    "include added");
			CHECK_STR(g.r.fix->verified ?
			        spf_result_str(g.r.fix->result_after) :
			        NULL,
			    "pass", "verified with Google's record");
			CHECK(g.r.fix->lookups_after == 2,
			    "lookups after: 2 (got %u)",
			    g.r.fix->lookups_after);
		}
	}
	CHECK(dnsfix_queries(e.fix, "7.2.0.192.in-addr.arpa", DNSMSG_T_PTR) ==
	            1 &&
	        dnsfix_queries(e.fix, "mail-wr1-f41.google.com", DNSMSG_T_A) ==
	            1 &&
	        dnsfix_queries(e.fix, "_netblocks.google.com", DNSMSG_T_TXT) ==
	            1,
	    "PTR, A and the provider's records were asked once each");
	arena_free(a);

	/* the same from a warm cache: done before spfcheck_start returns */
	a = arena_new();
	g = check(&e, a, "192.0.2.7", "example.com", &fix, 5000, 50, &sync,
	    &took);
	CHECK(g.calls == 1 && sync, "warm: done once, at once");
	CHECK(g.r.fix != NULL && g.r.ptr != NULL && g.r.fix->provider != NULL,
	    "warm: the same fix");
	arena_free(a);

	/* IPv6: ip6.arpa and AAAA */
	a = arena_new();
	g = check(&e, a, "2001:db8:4860::7", "example.com", &fix, 5000, 50,
	    &sync, &took);
	if (CHECK(g.calls == 1 && g.r.fix != NULL, "IPv6: a fix")) {
		CHECK_STR(g.r.ptr, "mail-yw1-f99.google.com", "IPv6 PTR");
		CHECK_STR(g.r.fix->added, "include:_spf.google.com",
		    "IPv6 include");
	}
	arena_free(a);

	/* a PTR name whose address is another: no hint, the address */
	a = arena_new();
	g = check(&e, a, "192.0.2.8", "example.com", &fix, 5000, 50, &sync,
	    &took);
	if (CHECK(g.calls == 1 && g.r.fix != NULL, "unconfirmed: a fix")) {
		CHECK(g.r.ptr == NULL, "unconfirmed: no PTR name");
		CHECK_STR(g.r.fix->added, "ip4:192.0.2.8", "unconfirmed: ip4");
	}
	arena_free(a);

	/* the PTR answer comes late: the deadline ends it, done once */
	a = arena_new();
	g = check(&e, a, "192.0.2.9", "example.com", &fix, 400, 50, &sync,
	    &took);
	if (CHECK(g.calls == 1, "late PTR: done once")) {
		CHECK(took < 2500, "late PTR: within the deadline (%llu ms)",
		    (unsigned long long)took);
		CHECK(g.r.unchecked == NULL && g.r.o->result == SPF_FAIL,
		    "late PTR: the result still stands");
		CHECK(g.r.ptr == NULL && g.r.fix != NULL &&
		        g.r.fix->added != NULL &&
		        strcmp(g.r.fix->added, "ip4:192.0.2.9") == 0,
		    "late PTR: the fix without a hint");
	}
	arena_free(a);

	/* the budget spent by the evaluation: no PTR asked */
	a = arena_new();
	g = check(&e, a, "192.0.2.10", "example.com", &fix, 5000, 0, &sync,
	    &took);
	CHECK(g.calls == 1 && g.r.o->result == SPF_FAIL,
	    "no budget: a fail from the cache");
	CHECK(g.r.fix != NULL && g.r.ptr == NULL,
	    "no budget: a fix without a hint");
	CHECK(dnsfix_queries(e.fix, "10.2.0.192.in-addr.arpa", DNSMSG_T_PTR) ==
	        0,
	    "no budget: no PTR query");
	arena_free(a);

	/* no budget and nothing cached: not checked, and why (a message) */
	a = arena_new();
	g = check(&e, a, "192.0.2.12", "cold.example", &fix, 5000, 0, &sync,
	    &took);
	CHECK(g.calls == 1 && g.r.o->result == SPF_TEMPERROR &&
	        texts_msg_is(g.r.unchecked, "dns.unchecked.budget"),
	    "no budget, cold: not checked, the budget was spent");
	arena_free(a);

	/* no fix asked, or nothing to fix: no PTR */
	a = arena_new();
	g = check(&e, a, "192.0.2.11", "example.com", NULL, 5000, 50, &sync,
	    &took);
	CHECK(g.calls == 1 && g.r.fix == NULL && g.r.ptr == NULL,
	    "no opts: no fix");
	g = check(&e, a, "198.51.100.11", "example.com", &fix, 5000, 50, &sync,
	    &took);
	CHECK(g.calls == 1 && g.r.o->result == SPF_PASS && g.r.fix == NULL,
	    "pass: no fix");
	CHECK(dnsfix_queries(e.fix, "11.2.0.192.in-addr.arpa", DNSMSG_T_PTR) ==
	            0 &&
	        dnsfix_queries(e.fix, "11.100.51.198.in-addr.arpa",
	            DNSMSG_T_PTR) == 0,
	    "no PTR query without a fix to make");
	arena_free(a);

	resolver_free(e.res);
	dnsfix_free(e.fix);
	evloop_free(e.loop);
	arena_free(pa);
	return test_done();
}
