/* SPDX-License-Identifier: MIT */
/*
 * test_dkimcheck.c - the DKIM key check through the real path: the
 * fixture DNS server on 127.0.0.1, c-ares and the resolver
 *
 * A key present (its record in several character-strings, joined), a
 * short key, an Ed25519 key, a revoked key, no key (NXDOMAIN and no
 * data), several TXT records, a selector or a domain that is no name
 * (a finding, no query), a timeout and SERVFAIL (unchecked, never "no
 * key"), a warm cache (done before start returns); done exactly once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dkimcheck.h"
#include "texts.h"
#include "finding.h"
#include "texts_msg.h"
#include "test.h"
#include "testdns.h"
#include "testkeys.h"

#define KEY2048 "v=DKIM1; k=rsa; p=" TESTKEY_RSA2048

struct got {
	struct testdns_waiter w;
	struct dkimcheck_result r;
};

static void
got_done(void *arg, const struct dkimcheck_result *r)
{
	struct got *g = arg;

	g->r = *r;
	testdns_called(&g->w);
}

/* check - one check in its own session; *sync: done came before
 * dkimcheck_start returned */
static struct got
check(struct testdns *e, struct arena *a, const char *selector,
    const char *domain, bool *sync)
{
	struct resolver_session *s = testdns_session(e, a, 5000, 20);
	struct dkimcheck_query q = { domain, selector };
	struct got g = { .w = { .loop = e->loop } };

	dkimcheck_start(s, a, &q, got_done, &g);
	*sync = testdns_wait(&g.w, 5000);
	resolver_session_free(s);
	return g;
}

static struct dnsfix_zone *
zone(void)
{
	struct dnsfix_zone *z = dnsfix_zone_new();
	struct dnsfix_behaviour drop = { .drop = true };
	struct dnsfix_behaviour servfail = { .servfail = true };
	/* one record of three strings, cut inside p= */
	const struct span split[] = { SPAN_LIT("v=DKIM1; k=rsa; p=MIIBIjAN"),
		SPAN_LIT("BgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAtlSqD19rUevVKo"),
		span_cstr(TESTKEY_RSA2048 + 58) };

	(void)dnsfix_add_strings(z, "s1._domainkey.example.com", DNSMSG_T_TXT,
	    300, split, 3);
	(void)dnsfix_add_txt(z, "long._domainkey.example.com", 300, KEY2048);
	(void)dnsfix_add_txt(z, "short._domainkey.example.com", 300,
	    "v=DKIM1; p=" TESTKEY_RSA1024);
	(void)dnsfix_add_txt(z, "ed._domainkey.example.com", 300,
	    "v=DKIM1; k=ed25519; p=" TESTKEY_ED25519);
	(void)dnsfix_add_txt(z, "old._domainkey.example.com", 300,
	    "v=DKIM1; k=rsa; t=y; p=");
	(void)dnsfix_add_a(z, "empty._domainkey.example.com", 300, "192.0.2.1");
	(void)dnsfix_add_txt(z, "two._domainkey.example.com", 300, KEY2048);
	(void)dnsfix_add_txt(z, "two._domainkey.example.com", 300,
	    "v=DKIM1; p=");
	(void)dnsfix_zone_behaviour(z, "slow._domainkey.example.com", &drop);
	(void)dnsfix_zone_behaviour(z, "fail._domainkey.example.com",
	    &servfail);
	return z;
}

static void
live(struct testdns *e, const struct texts *t)
{
	struct arena *a = arena_new();
	struct got g;
	bool sync;

	g = check(e, a, "S1", "Example.COM.", &sync);
	if (CHECK(g.w.calls == 1 && g.r.unchecked == NULL, "s1: done once")) {
		CHECK_STR(g.r.name, "s1._domainkey.example.com", "s1: name");
		CHECK_STR(g.r.record, KEY2048, "s1: the strings joined");
		CHECK_STR(g.r.key_type, "rsa", "s1: rsa");
		CHECK(g.r.key_bits == 2048 && !g.r.revoked && !g.r.testing &&
		        g.r.key != NULL && g.r.key->usable,
		    "s1: 2048 bits, usable");
		CHECK_STR(test_findings_str(a, &g.r.findings, false), "",
		    "s1: no findings");
	}
	g = check(e, a, "s1", "example.com", &sync);
	CHECK(g.w.calls == 1 && sync && g.r.key_bits == 2048,
	    "warm cache: done at once");

	g = check(e, a, "long", "example.com", &sync);
	CHECK(g.w.calls == 1 && g.r.key_bits == 2048 && g.r.findings.n == 0,
	    "a record over 255 bytes (split by the server): 2048 bits");

	g = check(e, a, "short", "example.com", &sync);
	CHECK(g.r.key_bits == 1024 &&
	        strcmp(test_findings_str(a, &g.r.findings, false),
	            "dkim_key_short") == 0,
	    "1024 bits: a warning");

	g = check(e, a, "ed", "example.com", &sync);
	CHECK(g.r.key_bits == 256 && g.r.key_type != NULL &&
	        strcmp(g.r.key_type, "ed25519") == 0 && g.r.findings.n == 0,
	    "ed25519: 256 bits");

	g = check(e, a, "old", "example.com", &sync);
	CHECK(g.r.revoked && g.r.testing && g.r.key_bits == 0 &&
	        strcmp(test_findings_str(a, &g.r.findings, false),
	            "dkim_testing dkim_revoked") == 0,
	    "revoked (and testing)");
	if (t != NULL)
		(void)test_findings_worded(t, &g.r.findings, "revoked");

	g = check(e, a, "gone", "example.com", &sync);
	CHECK(g.w.calls == 1 && g.r.unchecked == NULL && g.r.record == NULL &&
	        g.r.key_type == NULL &&
	        strcmp(test_findings_str(a, &g.r.findings, false),
	            "dkim_missing") == 0,
	    "NXDOMAIN: missing");
	if (t != NULL)
		(void)test_findings_worded(t, &g.r.findings, "missing");
	g = check(e, a, "empty", "example.com", &sync);
	CHECK(g.r.unchecked == NULL &&
	        strcmp(test_findings_str(a, &g.r.findings, false),
	            "dkim_missing") == 0,
	    "no TXT (NODATA): missing");

	g = check(e, a, "two", "example.com", &sync);
	CHECK(strcmp(test_findings_str(a, &g.r.findings, false),
	          "dkim_multiple") == 0 &&
	        g.r.key_bits == 2048,
	    "two records: a warning, the first read");
	if (t != NULL)
		(void)test_findings_worded(t, &g.r.findings, "two");

	dnsfix_reset_counts(e->fix);
	g = check(e, a, "bad selector", "example.com", &sync);
	CHECK(g.w.calls == 1 && sync && g.r.name == NULL &&
	        strcmp(test_findings_str(a, &g.r.findings, false),
	            "dkim_bad_selector") == 0,
	    "bad selector: a finding, at once");
	g = check(e, a, "s1", "-example.com", &sync);
	CHECK(strcmp(test_findings_str(a, &g.r.findings, false),
	          "dkim_bad_domain") == 0,
	    "bad domain: a finding");
	g = check(e, a, "", "", &sync);
	CHECK(strcmp(test_findings_str(a, &g.r.findings, false),
	          "dkim_bad_selector dkim_bad_domain") == 0,
	    "both empty: two findings");
	if (t != NULL)
		(void)test_findings_worded(t, &g.r.findings, "bad names");
	g = check(e, a,
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.com",
	    &sync);
	CHECK(strcmp(test_findings_str(a, &g.r.findings, false),
	          "dkim_bad_selector") == 0 &&
	        texts_msg_is(g.r.findings.v[0].msg, "dkim.name_too_long"),
	    "a key name over 253 bytes: a finding");
	if (t != NULL)
		(void)test_findings_worded(t, &g.r.findings, "too long");
	CHECK(dnsfix_queries(e->fix, NULL, 0) == 0, "bad names: no query");

	g = check(e, a, "slow", "example.com", &sync);
	CHECK(g.w.calls == 1 &&
	        texts_msg_is(g.r.unchecked, "dns.unchecked.timeout") &&
	        g.r.findings.n == 0 && g.r.record == NULL,
	    "timeout: unchecked, no finding");
	g = check(e, a, "fail", "example.com", &sync);
	CHECK(g.w.calls == 1 &&
	        texts_msg_is(g.r.unchecked, "dns.unchecked.servfail") &&
	        g.r.findings.n == 0,
	    "servfail: unchecked");
	arena_free(a);
}

int
main(void)
{
	struct dnsfix_zone *z = zone();
	struct texts *t = test_texts_shipped();
	struct testdns e;

	if (testdns_init(&e, &z, 300) == 0)
		live(&e, t);
	testdns_free(&e);
	texts_free(t);
	return test_done();
}
