/* SPDX-License-Identifier: MIT */
/*
 * test_dmarccheck.c - the DMARC check through the real path: the fixture
 * DNS server on 127.0.0.1, c-ares, the resolver, the Public Suffix List
 *
 * A domain's own record, the organisational domain's record as the
 * fallback (sub.example.co.uk → example.co.uk), both asked at once (two
 * slow answers cost one wait), no record, several, a look-alike, the
 * policy that applies to a subdomain, a record at the domain that does
 * not wait for the organisational domain's answer, DNS failures
 * (timeout, SERVFAIL, the deadline: unchecked, never "no record"), a
 * name that cannot be asked, a warm cache (done before start returns);
 * done exactly once each time. Then alignment (RFC 7489 §3.1) without
 * DNS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmarccheck.h"
#include "texts.h"
#include "finding.h"
#include "orgdomain.h"
#include "texts_msg.h"
#include "test.h"
#include "testdns.h"

#define TIMEOUT_MS 600 /* per try, one try */

struct got {
	struct testdns_waiter w;
	struct dmarccheck_result r;
};

static void
got_done(void *arg, const struct dmarccheck_result *r)
{
	struct got *g = arg;

	g->r = *r;
	testdns_called(&g->w);
}

/* check - one check of domain in its own session; *sync: done came
 * before dmarccheck_start returned */
static struct got
check(struct testdns *e, struct arena *a, const char *domain,
    unsigned deadline_ms, bool *sync, uint64_t *took_ms)
{
	struct resolver_session *s = testdns_session(e, a, deadline_ms, 20);
	struct dmarccheck_query q = { domain };
	struct got g = { .w = { .loop = e->loop } };
	uint64_t t0 = evloop_now_ms();

	dmarccheck_start(s, a, &q, got_done, &g);
	*sync = testdns_wait(&g.w, 5000);
	*took_ms = evloop_now_ms() - t0;
	resolver_session_free(s);
	return g;
}

static struct dnsfix_zone *
zone(void)
{
	struct dnsfix_zone *z = dnsfix_zone_new();
	struct dnsfix_behaviour slow = { .delay_ms = 250 };
	struct dnsfix_behaviour drop = { .drop = true };
	struct dnsfix_behaviour servfail = { .servfail = true };
	struct dnsfix_behaviour late = { .delay_ms = 2000 };

	(void)dnsfix_add_txt(z, "_dmarc.reject.example", 300,
	    "v=DMARC1; p=reject; rua=mailto:dmarc@reject.example");
	(void)dnsfix_add_txt(z, "_dmarc.reject.example", 300,
	    "google-site-verification=abc");
	(void)dnsfix_add_txt(z, "_dmarc.none.example", 300, "v=DMARC1; p=none");
	(void)dnsfix_add_txt(z, "_dmarc.example.co.uk", 300,
	    "v=DMARC1; p=reject; sp=quarantine; pct=30; "
	    "rua=mailto:d@example.co.uk");
	(void)dnsfix_add_txt(z, "_dmarc.two.example", 300, "v=DMARC1; p=none");
	(void)dnsfix_add_txt(z, "_dmarc.two.example", 300,
	    "v=DMARC1; p=reject");
	(void)dnsfix_add_txt(z, "_dmarc.look.example", 300,
	    "v=dmarc1; p=reject");
	(void)dnsfix_add_txt(z, "_dmarc.weak.example", 300,
	    "v=DMARC1; p=reject; sp=none; rua=mailto:d@weak.example");
	(void)dnsfix_add_txt(z, "_dmarc.bad.example", 300,
	    "v=DMARC1; p=block; foo=bar");
	/* both names answer late: asked at once, the check waits once */
	(void)dnsfix_zone_behaviour(z, "_dmarc.a.slow.example", &slow);
	(void)dnsfix_zone_behaviour(z, "_dmarc.slow.example", &slow);
	/* DNS failures */
	(void)dnsfix_zone_behaviour(z, "_dmarc.drop.example", &drop);
	(void)dnsfix_zone_behaviour(z, "_dmarc.servfail.example", &servfail);
	(void)dnsfix_zone_behaviour(z, "_dmarc.late.example", &late);
	/* the organisational domain's answer never comes */
	(void)dnsfix_zone_behaviour(z, "_dmarc.droporg.example", &drop);
	(void)dnsfix_add_txt(z, "_dmarc.fast.droporg.example", 300,
	    "v=DMARC1; p=quarantine; rua=mailto:d@droporg.example");
	return z;
}

/* live - the checks against the fixture */
static void
live(struct testdns *e, const struct texts *t)
{
	struct arena *a;
	struct got g;
	bool sync;
	uint64_t took;

	/* the domain's own record; the other TXT record is not DMARC */
	a = arena_new();
	g = check(e, a, "Reject.Example.", 5000, &sync, &took);
	if (CHECK(g.w.calls == 1 && g.r.unchecked == NULL,
	        "reject: done once")) {
		CHECK_STR(g.r.domain, "reject.example", "reject: domain");
		CHECK_STR(g.r.org_domain, "reject.example", "reject: org");
		CHECK_STR(g.r.found_at, "reject.example", "reject: found at");
		CHECK_STR(g.r.record,
		    "v=DMARC1; p=reject; rua=mailto:dmarc@reject.example",
		    "reject: record");
		CHECK(g.r.policy == DMARCREC_P_REJECT &&
		        g.r.subdomain_policy == DMARCREC_P_REJECT &&
		        g.r.effective == DMARCREC_P_REJECT,
		    "reject: p, sp and effective reject");
		CHECK(g.r.nrua == 1 && g.r.pct == 100 &&
		        g.r.aspf == DMARCREC_RELAXED,
		    "reject: rua, pct, aspf");
		CHECK_STR(test_findings_str(a, &g.r.findings, false), "",
		    "reject: no findings");
	}
	CHECK(dnsfix_queries(e->fix, "_dmarc.reject.example", DNSMSG_T_TXT) ==
	        1,
	    "reject: one query");
	arena_free(a);

	/* the same from the cache: done before start returns */
	a = arena_new();
	g = check(e, a, "reject.example", 5000, &sync, &took);
	CHECK(g.w.calls == 1 && sync && g.r.policy == DMARCREC_P_REJECT,
	    "warm cache: done at once");
	arena_free(a);

	/* p=none and no rua */
	a = arena_new();
	g = check(e, a, "none.example", 5000, &sync, &took);
	CHECK(g.w.calls == 1 && g.r.effective == DMARCREC_P_NONE,
	    "none: policy none");
	CHECK_STR(test_findings_str(a, &g.r.findings, false),
	    "dmarc_policy_none dmarc_no_rua",
	    "none: monitoring only, no reports");
	if (t != NULL)
		(void)test_findings_worded(t, &g.r.findings, "none");
	arena_free(a);

	/* no record at the domain: the organisational domain's, through
	 * the Public Suffix List; sp= applies to the subdomain */
	a = arena_new();
	g = check(e, a, "sub.example.co.uk", 5000, &sync, &took);
	if (CHECK(g.w.calls == 1 && g.r.unchecked == NULL, "sub: done once")) {
		CHECK_STR(g.r.org_domain, "example.co.uk", "sub: org via PSL");
		CHECK_STR(g.r.found_at, "example.co.uk", "sub: found at org");
		CHECK(g.r.policy == DMARCREC_P_REJECT &&
		        g.r.subdomain_policy == DMARCREC_P_QUARANTINE &&
		        g.r.effective == DMARCREC_P_QUARANTINE,
		    "sub: p reject, sp quarantine applies");
		CHECK_STR(test_findings_str(a, &g.r.findings, false),
		    "dmarc_pct dmarc_sp_weaker", "sub: pct, sp weaker");
		if (t != NULL)
			(void)test_findings_worded(t, &g.r.findings, "sub");
	}
	CHECK(dnsfix_queries(e->fix, "_dmarc.sub.example.co.uk",
	          DNSMSG_T_TXT) == 1 &&
	        dnsfix_queries(e->fix, "_dmarc.example.co.uk", DNSMSG_T_TXT) ==
	            1,
	    "sub: both names asked once");
	arena_free(a);

	/* the organisational domain itself: p applies */
	a = arena_new();
	g = check(e, a, "example.co.uk", 5000, &sync, &took);
	CHECK(g.w.calls == 1 && g.r.effective == DMARCREC_P_REJECT &&
	        strcmp(test_findings_str(a, &g.r.findings, false),
	            "dmarc_pct dmarc_sp_weaker") == 0,
	    "org itself: reject, pct");
	arena_free(a);

	/* two slow answers: asked at the same time, one wait */
	a = arena_new();
	g = check(e, a, "a.slow.example", 5000, &sync, &took);
	CHECK(g.w.calls == 1 && g.r.unchecked == NULL, "slow: done once");
	CHECK(took >= 240 && took < 480,
	    "slow: both asked at once (%llu ms for two 250 ms answers)",
	    (unsigned long long)took);
	CHECK_STR(test_findings_str(a, &g.r.findings, false), "dmarc_missing",
	    "slow: no record");
	CHECK(g.r.findings.n == 1 &&
	        texts_msg_is(g.r.findings.v[0].msg, "dmarc.missing_org"),
	    "slow: neither the domain nor its org");
	if (t != NULL)
		(void)test_findings_worded(t, &g.r.findings, "slow");
	arena_free(a);

	/* NXDOMAIN, no org fallback to ask */
	a = arena_new();
	g = check(e, a, "nothing.example", 5000, &sync, &took);
	CHECK(g.w.calls == 1 && g.r.unchecked == NULL && g.r.found_at == NULL &&
	        g.r.policy == DMARCREC_P_UNSET,
	    "nxdomain: checked, no policy");
	CHECK(g.r.findings.n == 1 &&
	        texts_msg_is(g.r.findings.v[0].msg, "dmarc.missing"),
	    "nxdomain: dmarc.missing");
	if (t != NULL)
		(void)test_findings_worded(t, &g.r.findings, "nxdomain");
	arena_free(a);

	/* two records: no DMARC, and no fallback from the org domain */
	a = arena_new();
	g = check(e, a, "two.example", 5000, &sync, &took);
	CHECK(g.w.calls == 1 && g.r.found_at == NULL && g.r.record == NULL &&
	        g.r.policy == DMARCREC_P_UNSET,
	    "two: no policy");
	CHECK_STR(test_findings_str(a, &g.r.findings, false), "dmarc_multiple",
	    "two: multiple");
	if (t != NULL)
		(void)test_findings_worded(t, &g.r.findings, "two");
	arena_free(a);
	a = arena_new();
	g = check(e, a, "x.two.example", 5000, &sync, &took);
	CHECK_STR(test_findings_str(a, &g.r.findings, false), "dmarc_multiple",
	    "two at the org domain: multiple");
	arena_free(a);

	/* a look-alike is discarded */
	a = arena_new();
	g = check(e, a, "look.example", 5000, &sync, &took);
	CHECK_STR(test_findings_str(a, &g.r.findings, false),
	    "dmarc_lookalike dmarc_missing", "look-alike: noted, no record");
	if (t != NULL)
		(void)test_findings_worded(t, &g.r.findings, "look-alike");
	arena_free(a);

	/* sp=none: the domain has reject, its subdomains none */
	a = arena_new();
	g = check(e, a, "weak.example", 5000, &sync, &took);
	CHECK(g.r.effective == DMARCREC_P_REJECT &&
	        strcmp(test_findings_str(a, &g.r.findings, false),
	            "dmarc_sp_weaker") == 0,
	    "weak: reject, sp weaker");
	arena_free(a);
	a = arena_new();
	g = check(e, a, "mail.weak.example", 5000, &sync, &took);
	CHECK(g.r.effective == DMARCREC_P_NONE &&
	        strcmp(test_findings_str(a, &g.r.findings, false),
	            "dmarc_policy_none dmarc_sp_weaker") == 0,
	    "subdomain of weak: none applies");
	arena_free(a);

	/* syntax: p invalid, no rua: not usable */
	a = arena_new();
	g = check(e, a, "bad.example", 5000, &sync, &took);
	CHECK(g.r.found_at != NULL && g.r.policy == DMARCREC_P_UNSET &&
	        g.r.rec != NULL && !g.r.rec->usable,
	    "bad: found, not usable");
	CHECK_STR(test_findings_str(a, &g.r.findings, false),
	    "dmarc_syntax dmarc_unknown_tag "
	    "dmarc_no_policy",
	    "bad: the record's findings");
	arena_free(a);

	/* DNS failures: unchecked, no finding about a missing record */
	a = arena_new();
	g = check(e, a, "drop.example", 5000, &sync, &took);
	CHECK(g.w.calls == 1 &&
	        texts_msg_is(g.r.unchecked, "dns.unchecked.timeout") &&
	        g.r.findings.n == 0 && g.r.policy == DMARCREC_P_UNSET,
	    "timeout: unchecked, no finding");
	arena_free(a);
	a = arena_new();
	g = check(e, a, "servfail.example", 5000, &sync, &took);
	CHECK(g.w.calls == 1 &&
	        texts_msg_is(g.r.unchecked, "dns.unchecked.servfail") &&
	        g.r.findings.n == 0,
	    "servfail: unchecked");
	arena_free(a);
	a = arena_new();
	g = check(e, a, "late.example", 150, &sync, &took);
	CHECK(g.w.calls == 1 &&
	        texts_msg_is(g.r.unchecked, "dns.unchecked.deadline") &&
	        took < 1000,
	    "deadline: unchecked in time (%llu ms)", (unsigned long long)took);
	arena_free(a);
	a = arena_new();
	g = check(e, a, "sub.droporg.example", 5000, &sync, &took);
	CHECK(g.w.calls == 1 &&
	        texts_msg_is(g.r.unchecked, "dns.unchecked.timeout") &&
	        g.r.findings.n == 0,
	    "org domain times out: unchecked");
	arena_free(a);

	/* a record at the domain: the org domain's answer is not awaited */
	a = arena_new();
	g = check(e, a, "fast.droporg.example", 5000, &sync, &took);
	CHECK(g.w.calls == 1 && g.r.unchecked == NULL &&
	        g.r.effective == DMARCREC_P_QUARANTINE && took < TIMEOUT_MS,
	    "record at the domain: done without the org's answer (%llu ms)",
	    (unsigned long long)took);
	arena_free(a);

	/* names that cannot be asked */
	a = arena_new();
	dnsfix_reset_counts(e->fix);
	g = check(e, a, "exa mple.com", 5000, &sync, &took);
	CHECK(g.w.calls == 1 && sync && g.r.unchecked == NULL &&
	        strcmp(test_findings_str(a, &g.r.findings, false),
	            "dmarc_bad_domain") == 0,
	    "bad name: a finding, at once");
	g = check(e, a, "", 5000, &sync, &took);
	CHECK(g.w.calls == 1 &&
	        strcmp(test_findings_str(a, &g.r.findings, false),
	            "dmarc_bad_domain") == 0,
	    "empty name: a finding");
	if (t != NULL)
		(void)test_findings_worded(t, &g.r.findings, "bad name");
	CHECK(dnsfix_queries(e->fix, NULL, 0) == 0, "bad names: no query");
	arena_free(a);
}

static const struct {
	const char *from, *id;
	enum dmarcrec_align al;
	enum dmarccheck_alignment want;
} aligns[] = {
	{ "example.com", "example.com", DMARCREC_STRICT, DMARCCHECK_ALIGNED },
	{ "Example.COM.", "example.com", DMARCREC_STRICT, DMARCCHECK_ALIGNED },
	{ "example.com", "bounce.example.com", DMARCREC_RELAXED,
	    DMARCCHECK_ALIGNED },
	{ "example.com", "bounce.example.com", DMARCREC_STRICT,
	    DMARCCHECK_NOT_STRICT },
	{ "news.example.com", "mail.example.com", DMARCREC_RELAXED,
	    DMARCCHECK_ALIGNED },
	{ "example.com", "example.net", DMARCREC_RELAXED,
	    DMARCCHECK_NOT_ALIGNED },
	{ "example.com", "mailer.example.net", DMARCREC_RELAXED,
	    DMARCCHECK_NOT_ALIGNED },
	{ "a.example.co.uk", "b.example.co.uk", DMARCREC_RELAXED,
	    DMARCCHECK_ALIGNED },
	{ "example.co.uk", "other.co.uk", DMARCREC_RELAXED,
	    DMARCCHECK_NOT_ALIGNED },
	{ "co.uk", "example.co.uk", DMARCREC_RELAXED, DMARCCHECK_NOT_ALIGNED },
	/* the private section: blogspot.com is a suffix */
	{ "alice.blogspot.com", "bob.blogspot.com", DMARCREC_RELAXED,
	    DMARCCHECK_NOT_ALIGNED },
	{ "example.com", "", DMARCREC_RELAXED, DMARCCHECK_ALIGN_BAD },
	{ "a..example.com", "example.com", DMARCREC_RELAXED,
	    DMARCCHECK_ALIGN_BAD },
};

int
main(void)
{
	struct dnsfix_zone *z = zone();
	struct texts *t = test_texts_shipped();
	struct testdns e;

	CHECK(orgdomain_data() != NULL, "the Public Suffix List is found: %s",
	    orgdomain_data() != NULL ? orgdomain_data() : "none");
	if (testdns_init(&e, &z, TIMEOUT_MS) == 0)
		live(&e, t);
	testdns_free(&e);

	for (size_t i = 0; i < sizeof(aligns) / sizeof(aligns[0]); i++)
		CHECK(dmarccheck_spf_aligns(span_cstr(aligns[i].from),
		          span_cstr(aligns[i].id),
		          aligns[i].al) == aligns[i].want,
		    "align %s with %s (%s)", aligns[i].from, aligns[i].id,
		    dmarcrec_align_str(aligns[i].al));
	texts_free(t);
	orgdomain_cleanup();
	return test_done();
}
