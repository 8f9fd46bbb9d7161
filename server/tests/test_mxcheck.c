/* SPDX-License-Identifier: MIT */
/*
 * test_mxcheck.c - the MX check through the real path
 *
 * The fixture DNS server on 127.0.0.1, c-ares and the resolver answer
 * mxcheck for domains of every kind: two exchanges (IPv4 and IPv6), a
 * null MX alone and among other records, an implicit MX, no mail at all,
 * a domain that does not exist, exchanges that do not resolve (one of
 * two, all), an alias, IP literals, private and loopback addresses,
 * documentation addresses (info only), 200 and 1,000 MX records, an
 * exchange with many addresses, SERVFAIL and an unreadable MX answer
 * (unchecked), a deadline that passes while one exchange's lookups wait
 * (a partial result), a spent budget; and every finding's sentence in
 * English and Russian. The fixture counts what reached it, which shows what was
 * (not) asked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnsfix.h"
#include "mxcheck.h"
#include "resolver.h"
#include "texts.h"
#include "texts_msg.h"
#include "test.h"

struct env {
	struct evloop *loop;
	struct dnsfix *fix;
	struct resolver *res;
	struct texts *texts;
	enum lang ru;
};

struct got {
	struct evloop *loop;
	int calls;
	bool in_loop;
	bool sync;        /* done came before mxcheck_start returned */
	uint64_t took_ms; /* from start to done */
	const struct mxcheck_result *r;
};

static void
got_done(void *arg, const struct mxcheck_result *r)
{
	struct got *g = arg;

	g->calls++;
	g->r = r;
	if (g->in_loop)
		evloop_stop(g->loop);
}

static void
zone_add(struct dnsfix_zone *z)
{
	struct dnsfix_behaviour servfail = { .servfail = true };
	static const uint8_t bad_mx[] = { 0, 10, 3, 'm', 'x' };
	char name[64];

	/* two exchanges, written out of order: mx1 (v4 + v6), mx2 (v4) */
	(void)dnsfix_add_mx(z, "ok.example", 300, 20, "mx2.ok.example");
	(void)dnsfix_add_mx(z, "ok.example", 300, 10, "mx1.ok.example");
	(void)dnsfix_add_a(z, "mx1.ok.example", 300, "192.0.2.10");
	(void)dnsfix_add_aaaa(z, "mx1.ok.example", 300, "2001:db8::10");
	(void)dnsfix_add_a(z, "mx2.ok.example", 300, "198.51.100.20");

	(void)dnsfix_add_mx(z, "null.example", 300, 0, "");
	(void)dnsfix_add_mx(z, "nullmix.example", 300, 0, "");
	(void)dnsfix_add_mx(z, "nullmix.example", 300, 10, "mx1.ok.example");

	(void)dnsfix_add_a(z, "implicit.example", 300, "203.0.113.5");
	/* an alias of a domain without MX: allowed (RFC 5321 §5.1) */
	(void)dnsfix_add_cname(z, "aliased.example", 300, "implicit.example");
	(void)dnsfix_add_txt(z, "nomail.example", 300, "v=spf1 -all");

	(void)dnsfix_add_mx(z, "onedead.example", 300, 10, "mx1.ok.example");
	(void)dnsfix_add_mx(z, "onedead.example", 300, 20,
	    "gone.onedead.example");
	(void)dnsfix_add_mx(z, "alldead.example", 300, 10,
	    "gone.alldead.example");
	(void)dnsfix_add_mx(z, "alldead.example", 300, 20,
	    "empty.alldead.example");
	(void)dnsfix_add_txt(z, "empty.alldead.example", 300, "no address");

	(void)dnsfix_add_mx(z, "cname.example", 300, 10, "alias.cname.example");
	(void)dnsfix_add_cname(z, "alias.cname.example", 300, "mx1.ok.example");

	(void)dnsfix_add_mx(z, "literal.example", 300, 10, "192.0.2.1");
	(void)dnsfix_add_mx(z, "literal.example", 300, 20,
	    "[ipv6:2001:db8::1]");
	(void)dnsfix_add_mx(z, "literal.example", 300, 30, "mx1.ok.example");
	(void)dnsfix_add_mx(z, "onlyliteral.example", 300, 10, "[192.0.2.2]");

	(void)dnsfix_add_mx(z, "private.example", 300, 10,
	    "mx.private.example");
	(void)dnsfix_add_a(z, "mx.private.example", 300, "10.0.0.1");
	(void)dnsfix_add_a(z, "mx.private.example", 300, "127.0.0.1");
	(void)dnsfix_add_aaaa(z, "mx.private.example", 300, "fd00::1");

	/* 200 exchanges, preferences 1..200 in a shuffled order */
	for (unsigned i = 0; i < 200; i++) {
		(void)snprintf(name, sizeof(name), "mx%03u.many.example", i);
		(void)dnsfix_add_mx(z, "many.example", 300,
		    (uint16_t)((i * 7) % 200 + 1), name);
		(void)dnsfix_add_a(z, name, 300, "192.0.2.77");
	}
	/* a hostile zone: 1,000 exchanges, none of which exists */
	for (unsigned i = 0; i < 1000; i++) {
		(void)snprintf(name, sizeof(name), "x%04u.huge.example", i);
		(void)dnsfix_add_mx(z, "huge.example", 300, (uint16_t)(i % 50),
		    name);
	}
	/* 12 IPv4 and 3 IPv6 addresses */
	(void)dnsfix_add_mx(z, "addrs.example", 300, 10, "big.addrs.example");
	for (unsigned i = 1; i <= 12; i++) {
		(void)snprintf(name, sizeof(name), "192.0.2.%u", i);
		(void)dnsfix_add_a(z, "big.addrs.example", 300, name);
	}
	for (unsigned i = 1; i <= 3; i++) {
		(void)snprintf(name, sizeof(name), "2001:db8::%u", i);
		(void)dnsfix_add_aaaa(z, "big.addrs.example", 300, name);
	}

	(void)dnsfix_add_mx(z, "sf.example", 300, 10, "mx1.ok.example");
	(void)dnsfix_zone_behaviour(z, "sf.example", &servfail);
	(void)dnsfix_add_rr(z, "badmx.example", DNSMSG_T_MX, 300, bad_mx,
	    sizeof(bad_mx));

	/* a deadline while two exchanges wait: silent never answers, half
	 * answers AAAA only */
	(void)dnsfix_add_mx(z, "slow.example", 300, 10, "mx1.ok.example");
	(void)dnsfix_add_mx(z, "slow.example", 300, 20, "silent.slow.example");
	(void)dnsfix_add_mx(z, "slow.example", 300, 30, "half.slow.example");
	(void)dnsfix_add_timeout(z, "silent.slow.example");
	(void)dnsfix_add_aaaa(z, "half.slow.example", 300, "2001:db8::30");
	(void)dnsfix_add_timeout(z, "half.slow.example");

	/* one exchange dead, the other unknown when the deadline passes */
	(void)dnsfix_add_mx(z, "unsure.example", 300, 10,
	    "gone.unsure.example");
	(void)dnsfix_add_mx(z, "unsure.example", 300, 20,
	    "silent.slow.example");

	(void)dnsfix_add_mx(z, "budget.example", 300, 10, "mx.budget.example");
	(void)dnsfix_add_a(z, "mx.budget.example", 300, "192.0.2.50");
	(void)dnsfix_add_mx(z, "budget0.example", 300, 10, "mx1.ok.example");
}

static int
env_init(struct env *e)
{
	struct dnsfix_zone *z;

	e->loop = evloop_new();
	if ((e->fix = test_dnsfix_new(e->loop)) == NULL)
		return -1;
	z = dnsfix_zone_new();
	zone_add(z);
	dnsfix_set_zone(e->fix, &z);
	if ((e->res = test_resolver_for(e->loop, e->fix, 1000, 1)) == NULL)
		return -1;
	e->texts = test_texts_shipped();
	if (e->texts == NULL)
		return -1;
	e->ru = test_lang_of(texts_langs(e->texts), "ru");
	return 0;
}

/* check - one check of domain in its own session on a (which keeps the
 * result) */
static struct got
check(struct env *e, struct arena *a, const char *domain, unsigned deadline_ms,
    unsigned budget)
{
	struct resolver_session *s;
	struct got g = { .loop = e->loop };
	uint64_t t0 = evloop_now_ms();

	s = resolver_session_new(e->res, a, t0 + deadline_ms, budget);
	mxcheck_start(s, a, domain, got_done, &g);
	g.sync = g.calls > 0;
	if (g.calls == 0) {
		g.in_loop = true;
		(void)evloop_run_for(e->loop, 10000);
		g.in_loop = false;
	}
	g.took_ms = evloop_now_ms() - t0;
	resolver_session_free(s);
	return g;
}

static const struct finding *
finding_of(const struct mxcheck_result *r, const char *code)
{
	return findings_find(&r->findings, code);
}

/* has - a finding of code at level */
static bool
has(const struct mxcheck_result *r, const char *code, enum finding_level level)
{
	const struct finding *f = finding_of(r, code);

	return f != NULL && f->level == level;
}

/* codes - the findings' codes, for messages */
static const char *
codes(struct arena *a, const struct mxcheck_result *r)
{
	const char *s = "";

	for (size_t i = 0; i < r->findings.n; i++) {
		s = arena_printf(a, "%s%s%s/%s", s, i > 0 ? " " : "",
		    r->findings.v[i].code,
		    finding_level_str(r->findings.v[i].level));
	}
	return s;
}

static const char *
id_of(const struct texts_msg *m)
{
	return m != NULL ? m->id : NULL;
}

/* rendered - every sentence of r (findings, why unchecked) reads in
 * English and Russian, placeholders filled */
static void
rendered(struct env *e, struct arena *a, const struct mxcheck_result *r,
    const char *what)
{
	const struct texts_msg *m[64];
	size_t n = 0;

	for (size_t i = 0; i < r->findings.n && n < 64; i++)
		m[n++] = r->findings.v[i].msg;
	if (r->unchecked != NULL && n < 64)
		m[n++] = r->unchecked;
	for (size_t i = 0; i < r->nexchanges && n < 64; i++) {
		if (r->exchanges[i].unchecked != NULL)
			m[n++] = r->exchanges[i].unchecked;
	}
	for (size_t i = 0; i < n; i++) {
		const char *en = texts_render(a, e->texts, LANG_EN, m[i]);
		const char *ru = texts_render(a, e->texts, e->ru, m[i]);
		bool ok = strchr(en, '{') == NULL && strchr(ru, '{') == NULL &&
		    strncmp(en, m[i]->id, strlen(m[i]->id)) != 0 &&
		    strcmp(en, ru) != 0 && strstr(ru, "\xd0") != NULL;

		if (!CHECK(ok, "%s: %s reads in English and Russian", what,
		        m[i]->id)) {
			(void)printf("#   %s\n#   %s\n", en, ru);
		}
	}
}

static void
test_normal(struct env *e)
{
	struct arena *a = arena_new();
	struct got g = check(e, a, "OK.Example.", 5000, 50);
	const struct mxcheck_result *r = g.r;

	if (!CHECK(g.calls == 1 && r != NULL, "normal: done once (%d)",
	        g.calls)) {
		goto out;
	}
	CHECK_STR(r->domain, "ok.example", "normal: the domain, lowercased");
	CHECK(r->unchecked == NULL && !r->null_mx && !r->implicit &&
	        r->nexchanges == 2 && r->omitted == 0,
	    "normal: checked, two exchanges");
	if (r->nexchanges == 2) {
		const struct mxcheck_exchange *x = r->exchanges;

		CHECK(x[0].preference == 10 && x[1].preference == 20,
		    "normal: sorted by preference");
		CHECK_STR(x[0].host, "mx1.ok.example", "normal: first");
		CHECK(x[0].status == MXCHECK_RESOLVED && x[0].naddresses == 2 &&
		        x[0].unchecked == NULL && x[0].canonical == NULL,
		    "normal: mx1 resolved, two addresses");
		if (x[0].naddresses == 2) {
			CHECK_STR(x[0].addresses[0], "192.0.2.10", "mx1 v4");
			CHECK_STR(x[0].addresses[1], "2001:db8::10", "mx1 v6");
		}
		CHECK(x[1].status == MXCHECK_RESOLVED && x[1].naddresses == 1,
		    "normal: mx2 resolved, one address");
		CHECK_STR(mxcheck_status_str(x[0].status), "resolved",
		    "status name");
	}
	/* documentation addresses: info, never an error */
	CHECK(r->findings.n == 2 &&
	        has(r, "mx_documentation_address", FINDING_INFO) &&
	        r->findings.v[1].level == FINDING_INFO,
	    "normal: only info findings for documentation addresses (%s)",
	    codes(a, r));
	rendered(e, a, r, "normal");
	CHECK(dnsfix_queries(e->fix, "mx1.ok.example", DNSMSG_T_A) == 1 &&
	        dnsfix_queries(e->fix, "mx1.ok.example", DNSMSG_T_AAAA) == 1,
	    "normal: A and AAAA asked once");
out:
	arena_free(a);

	/* the same again, from the cache: done before mxcheck_start
	 * returns */
	a = arena_new();
	g = check(e, a, "ok.example", 5000, 50);
	CHECK(g.calls == 1 && g.sync && g.r->nexchanges == 2,
	    "warm cache: done once, at once");
	arena_free(a);
}

static void
test_null(struct env *e)
{
	struct arena *a = arena_new();
	struct got g = check(e, a, "null.example", 5000, 50);
	const struct finding *f;

	if (CHECK(g.calls == 1, "null MX: done once")) {
		CHECK(g.r->null_mx && g.r->nexchanges == 0 &&
		        g.r->unchecked == NULL,
		    "null MX: null_mx, no exchange");
		CHECK(g.r->findings.n == 1 &&
		        has(g.r, "null_mx", FINDING_ERROR),
		    "null MX: one error (%s)", codes(a, g.r));
		if ((f = finding_of(g.r, "null_mx")) != NULL) {
			CHECK(strstr(texts_render(a, e->texts, LANG_EN, f->msg),
			          "accepts no mail") != NULL &&
			        strstr(texts_render(a, e->texts, e->ru, f->msg),
			            "нулевую MX-запись") != NULL,
			    "null MX: says so in English and Russian");
		}
		rendered(e, a, g.r, "null MX");
	}
	CHECK(dnsfix_queries(e->fix, "", 0) == 0,
	    "null MX: the root not asked");
	arena_free(a);

	a = arena_new();
	g = check(e, a, "nullmix.example", 5000, 50);
	if (CHECK(g.calls == 1, "null MX mixed: done once")) {
		CHECK(!g.r->null_mx && g.r->nexchanges == 1 &&
		        test_streq(g.r->exchanges[0].host, "mx1.ok.example") &&
		        g.r->exchanges[0].status == MXCHECK_RESOLVED,
		    "null MX mixed: the other record is the exchange");
		CHECK(has(g.r, "null_mx_mixed", FINDING_WARNING) &&
		        !has(g.r, "null_mx", FINDING_ERROR),
		    "null MX mixed: a misconfiguration (%s)", codes(a, g.r));
		rendered(e, a, g.r, "null MX mixed");
	}
	arena_free(a);
}

static void
test_implicit(struct env *e)
{
	struct arena *a = arena_new();
	struct got g = check(e, a, "implicit.example", 5000, 50);

	if (CHECK(g.calls == 1, "implicit MX: done once")) {
		CHECK(g.r->implicit && !g.r->null_mx && g.r->nexchanges == 1,
		    "implicit MX: one exchange");
		if (g.r->nexchanges == 1) {
			const struct mxcheck_exchange *x = g.r->exchanges;

			CHECK(test_streq(x->host, "implicit.example") &&
			        x->preference == 0 &&
			        x->status == MXCHECK_RESOLVED &&
			        x->naddresses == 1 &&
			        test_streq(x->addresses[0], "203.0.113.5"),
			    "implicit MX: the domain's own A record");
		}
		CHECK(has(g.r, "implicit_mx", FINDING_INFO) &&
		        has(g.r, "mx_documentation_address", FINDING_INFO) &&
		        g.r->findings.n == 2,
		    "implicit MX: info findings (%s)", codes(a, g.r));
		rendered(e, a, g.r, "implicit MX");
	}
	arena_free(a);

	a = arena_new();
	g = check(e, a, "aliased.example", 5000, 50);
	CHECK(g.calls == 1 && g.r->implicit && g.r->nexchanges == 1 &&
	        g.r->exchanges[0].status == MXCHECK_RESOLVED &&
	        g.r->exchanges[0].canonical == NULL &&
	        finding_of(g.r, "mx_is_cname") == NULL &&
	        has(g.r, "implicit_mx", FINDING_INFO),
	    "implicit MX of an alias: resolved, no CNAME finding (%s)",
	    codes(a, g.r));
	arena_free(a);

	a = arena_new();
	g = check(e, a, "nomail.example", 5000, 50);
	if (CHECK(g.calls == 1, "no MX, no A: done once")) {
		CHECK(g.r->implicit && g.r->nexchanges == 1 &&
		        g.r->exchanges[0].status == MXCHECK_NO_ADDRESS,
		    "no MX, no A: the implicit exchange has no address");
		CHECK(g.r->findings.n == 1 &&
		        has(g.r, "accepts_no_mail", FINDING_ERROR),
		    "no MX, no A: accepts no mail (%s)", codes(a, g.r));
		rendered(e, a, g.r, "no mail");
	}
	arena_free(a);

	a = arena_new();
	g = check(e, a, "missing.example", 5000, 50);
	if (CHECK(g.calls == 1, "NXDOMAIN: done once")) {
		CHECK(g.r->unchecked == NULL && g.r->nexchanges == 0 &&
		        !g.r->implicit && g.r->findings.n == 1 &&
		        has(g.r, "domain_not_found", FINDING_ERROR),
		    "NXDOMAIN: the domain does not exist (%s)", codes(a, g.r));
		rendered(e, a, g.r, "NXDOMAIN");
	}
	CHECK(dnsfix_queries(e->fix, "missing.example", DNSMSG_T_A) == 0,
	    "NXDOMAIN: no A lookup");
	arena_free(a);
}

static void
test_dead(struct env *e)
{
	struct arena *a = arena_new();
	struct got g = check(e, a, "onedead.example", 5000, 50);

	if (CHECK(g.calls == 1 && g.r->nexchanges == 2,
	        "one dead exchange: two exchanges")) {
		CHECK(g.r->exchanges[0].status == MXCHECK_RESOLVED &&
		        g.r->exchanges[1].status == MXCHECK_NO_ADDRESS &&
		        g.r->exchanges[1].naddresses == 0 &&
		        g.r->exchanges[1].unchecked == NULL,
		    "one dead exchange: resolved and no_address");
		CHECK(has(g.r, "mx_not_found", FINDING_WARNING),
		    "one dead exchange: a warning, the other takes the mail "
		    "(%s)",
		    codes(a, g.r));
		rendered(e, a, g.r, "one dead");
	}
	arena_free(a);

	a = arena_new();
	g = check(e, a, "alldead.example", 5000, 50);
	if (CHECK(g.calls == 1 && g.r->nexchanges == 2,
	        "all dead: two exchanges")) {
		CHECK(g.r->exchanges[0].status == MXCHECK_NO_ADDRESS &&
		        g.r->exchanges[1].status == MXCHECK_NO_ADDRESS,
		    "all dead: both no_address");
		CHECK(has(g.r, "mx_not_found", FINDING_ERROR) &&
		        has(g.r, "mx_no_address", FINDING_ERROR) &&
		        g.r->findings.n == 2,
		    "all dead: NXDOMAIN and no A/AAAA, errors (%s)",
		    codes(a, g.r));
		if (g.r->findings.n > 0) {
			CHECK(strstr(texts_render(a, e->texts, LANG_EN,
			                 g.r->findings.v[0].msg),
			          "cannot be delivered") != NULL,
			    "all dead: mail cannot be delivered");
		}
		rendered(e, a, g.r, "all dead");
	}
	arena_free(a);
}

static void
test_cname_literal(struct env *e)
{
	struct arena *a = arena_new();
	struct got g = check(e, a, "cname.example", 5000, 50);

	if (CHECK(g.calls == 1 && g.r->nexchanges == 1,
	        "CNAME: one exchange")) {
		const struct mxcheck_exchange *x = g.r->exchanges;

		CHECK(x->status == MXCHECK_CNAME &&
		        test_streq(x->canonical, "mx1.ok.example") &&
		        x->naddresses == 2,
		    "CNAME: resolved through the alias (%s, %s)",
		    mxcheck_status_str(x->status),
		    x->canonical != NULL ? x->canonical : "(null)");
		CHECK(has(g.r, "mx_is_cname", FINDING_WARNING),
		    "CNAME: a warning (%s)", codes(a, g.r));
		rendered(e, a, g.r, "CNAME");
	}
	arena_free(a);

	a = arena_new();
	g = check(e, a, "literal.example", 5000, 50);
	if (CHECK(g.calls == 1 && g.r->nexchanges == 3,
	        "IP literals: three exchanges")) {
		const struct mxcheck_exchange *x = g.r->exchanges;

		CHECK(x[0].status == MXCHECK_IP_LITERAL &&
		        x[1].status == MXCHECK_IP_LITERAL &&
		        x[2].status == MXCHECK_RESOLVED && x[0].naddresses == 0,
		    "IP literals: \"192.0.2.1\" and \"[ipv6:2001:db8::1]\"");
		CHECK(has(g.r, "mx_ip_literal", FINDING_WARNING),
		    "IP literals: warnings, a real exchange is left (%s)",
		    codes(a, g.r));
		rendered(e, a, g.r, "IP literal");
	}
	CHECK(dnsfix_queries(e->fix, "192.0.2.1", 0) == 0 &&
	        dnsfix_queries(e->fix, "[ipv6:2001:db8::1]", 0) == 0,
	    "IP literals: not looked up");
	arena_free(a);

	a = arena_new();
	g = check(e, a, "onlyliteral.example", 5000, 50);
	CHECK(g.calls == 1 && g.r->nexchanges == 1 &&
	        g.r->exchanges[0].status == MXCHECK_IP_LITERAL &&
	        has(g.r, "mx_ip_literal", FINDING_ERROR),
	    "an IP literal alone: an error (%s)", codes(a, g.r));
	arena_free(a);
}

static void
test_addresses(struct env *e)
{
	struct arena *a = arena_new();
	struct got g = check(e, a, "private.example", 5000, 50);
	const struct finding *f;

	if (CHECK(g.calls == 1 && g.r->nexchanges == 1,
	        "private: one exchange")) {
		CHECK(g.r->exchanges[0].status == MXCHECK_RESOLVED &&
		        g.r->exchanges[0].naddresses == 3,
		    "private: resolved, three addresses");
		CHECK(has(g.r, "mx_private_address", FINDING_ERROR) &&
		        has(g.r, "mx_loopback_address", FINDING_ERROR) &&
		        g.r->findings.n == 2,
		    "private: errors for private and loopback (%s)",
		    codes(a, g.r));
		if ((f = finding_of(g.r, "mx_private_address")) != NULL) {
			const char *en =
			    texts_render(a, e->texts, LANG_EN, f->msg);

			CHECK(strstr(en, "2 addresses") != NULL &&
			        strstr(en, "10.0.0.1") != NULL &&
			        strstr(en, "RFC 1918") != NULL,
			    "private: two, the first named: %s", en);
		}
		if ((f = finding_of(g.r, "mx_loopback_address")) != NULL) {
			CHECK(strstr(texts_render(a, e->texts, LANG_EN, f->msg),
			          "127.0.0.1") != NULL,
			    "loopback: the address named");
		}
		rendered(e, a, g.r, "private");
	}
	arena_free(a);

	a = arena_new();
	g = check(e, a, "addrs.example", 5000, 50);
	if (CHECK(g.calls == 1 && g.r->nexchanges == 1,
	        "many addresses: one exchange")) {
		const struct mxcheck_exchange *x = g.r->exchanges;

		CHECK(x->naddresses == MXCHECK_MAX_ADDRS &&
		        x->addresses_omitted == 7,
		    "many addresses: %d kept, 7 left out (%zu, %zu)",
		    MXCHECK_MAX_ADDRS, x->naddresses, x->addresses_omitted);
		if (x->naddresses == MXCHECK_MAX_ADDRS) {
			CHECK(test_streq(x->addresses[0], "192.0.2.1") &&
			        test_streq(x->addresses[4], "192.0.2.5") &&
			        test_streq(x->addresses[5], "2001:db8::1") &&
			        test_streq(x->addresses[7], "2001:db8::3"),
			    "many addresses: five IPv4, then the three IPv6");
		}
		if ((f = finding_of(g.r, "mx_documentation_address")) != NULL) {
			CHECK(strstr(texts_render(a, e->texts, LANG_EN, f->msg),
			          "15 addresses") != NULL,
			    "many addresses: all 15 counted");
		}
		rendered(e, a, g.r, "many addresses");
	}
	arena_free(a);
}

static void
test_many(struct env *e)
{
	struct arena *a = arena_new();
	size_t before = arena_used(a);
	struct got g;
	bool sorted = true;

	dnsfix_reset_counts(e->fix);
	g = check(e, a, "many.example", 5000, 50);
	if (CHECK(g.calls == 1 && g.r->unchecked == NULL,
	        "200 MX records: done once, checked")) {
		CHECK(g.r->nexchanges == MXCHECK_MAX_HOSTS &&
		        g.r->omitted == 190,
		    "200 MX records: %d kept, 190 left out (%zu, %zu)",
		    MXCHECK_MAX_HOSTS, g.r->nexchanges, g.r->omitted);
		for (size_t i = 0; i < g.r->nexchanges; i++) {
			sorted = sorted &&
			    g.r->exchanges[i].preference == i + 1 &&
			    g.r->exchanges[i].status == MXCHECK_RESOLVED;
		}
		CHECK(sorted,
		    "200 MX records: the ten lowest preferences, "
		    "in order, resolved");
		CHECK(g.r->findings.n == MXCHECK_MAX_HOSTS,
		    "200 MX records: one finding per exchange kept (%zu)",
		    g.r->findings.n);
	}
	CHECK(dnsfix_queries(e->fix, NULL, DNSMSG_T_A) == MXCHECK_MAX_HOSTS &&
	        dnsfix_queries(e->fix, NULL, DNSMSG_T_AAAA) ==
	            MXCHECK_MAX_HOSTS,
	    "200 MX records: only the kept exchanges asked (%lu A)",
	    dnsfix_queries(e->fix, NULL, DNSMSG_T_A));
	CHECK(dnsfix_queries_tcp(e->fix, "many.example", DNSMSG_T_MX) == 1,
	    "200 MX records: the answer came over TCP");
	/* the answer itself is most of it */
	CHECK(arena_used(a) - before < 64 * 1024 && g.took_ms < 1000,
	    "200 MX records: small and fast (%zu bytes, %llu ms)",
	    arena_used(a) - before, (unsigned long long)g.took_ms);
	arena_free(a);

	/* 1,000: dnsmsg reads DNSMSG_MAX_RECORDS of them; the exchanges
	 * left out may work, so the dead ones kept are no error */
	a = arena_new();
	before = arena_used(a);
	g = check(e, a, "huge.example", 5000, 50);
	if (CHECK(g.calls == 1 && g.r->unchecked == NULL,
	        "1,000 MX records: done once, checked")) {
		CHECK(g.r->nexchanges == MXCHECK_MAX_HOSTS &&
		        g.r->omitted ==
		            DNSMSG_MAX_RECORDS - MXCHECK_MAX_HOSTS &&
		        g.r->exchanges[0].preference == 0,
		    "1,000 MX records: %d kept, %d left out (%zu, %zu)",
		    MXCHECK_MAX_HOSTS, DNSMSG_MAX_RECORDS - MXCHECK_MAX_HOSTS,
		    g.r->nexchanges, g.r->omitted);
		CHECK(g.r->findings.n == MXCHECK_MAX_HOSTS &&
		        has(g.r, "mx_not_found", FINDING_WARNING) &&
		        !has(g.r, "mx_not_found", FINDING_ERROR),
		    "1,000 MX records: the dead ones kept are warnings (%s)",
		    codes(a, g.r));
	}
	CHECK(arena_used(a) - before < 128 * 1024 && g.took_ms < 1000,
	    "1,000 MX records: small and fast (%zu bytes, %llu ms)",
	    arena_used(a) - before, (unsigned long long)g.took_ms);
	arena_free(a);
}

static void
test_unchecked(struct env *e)
{
	struct arena *a = arena_new();
	struct got g = check(e, a, "sf.example", 5000, 50);

	if (CHECK(g.calls == 1, "SERVFAIL: done once")) {
		CHECK_STR(id_of(g.r->unchecked), "dns.unchecked.servfail",
		    "SERVFAIL: unchecked");
		CHECK(g.r->findings.n == 0 && g.r->nexchanges == 0 &&
		        !g.r->implicit,
		    "SERVFAIL: no finding, no exchange");
		rendered(e, a, g.r, "SERVFAIL");
	}
	CHECK(dnsfix_queries(e->fix, "sf.example", DNSMSG_T_A) == 0,
	    "SERVFAIL: no fallback to A (not an implicit MX)");
	arena_free(a);

	a = arena_new();
	g = check(e, a, "badmx.example", 5000, 50);
	if (CHECK(g.calls == 1, "unreadable MX answer: done once")) {
		CHECK_STR(id_of(g.r->unchecked), "mx.unchecked.malformed",
		    "unreadable MX answer: unchecked");
		CHECK(g.r->findings.n == 0, "unreadable MX answer: no finding");
		rendered(e, a, g.r, "unreadable");
	}
	arena_free(a);
}

static void
test_deadline(struct env *e)
{
	struct arena *a = arena_new();
	struct got g = check(e, a, "slow.example", 300, 50);

	if (!CHECK(g.calls == 1 && g.r->nexchanges == 3,
	        "deadline: done once, three exchanges")) {
		goto out;
	}
	CHECK(g.took_ms >= 250 && g.took_ms < 1000,
	    "deadline: done when the deadline passed (%llu ms)",
	    (unsigned long long)g.took_ms);
	CHECK(g.r->unchecked == NULL, "deadline: a partial result");
	CHECK(g.r->exchanges[0].status == MXCHECK_RESOLVED &&
	        g.r->exchanges[0].unchecked == NULL,
	    "deadline: mx1 resolved");
	CHECK(g.r->exchanges[1].status == MXCHECK_NOT_CHECKED &&
	        g.r->exchanges[1].naddresses == 0,
	    "deadline: the silent exchange not checked (%s)",
	    mxcheck_status_str(g.r->exchanges[1].status));
	CHECK_STR(id_of(g.r->exchanges[1].unchecked), "dns.unchecked.deadline",
	    "deadline: the silent exchange's reason");
	CHECK(g.r->exchanges[2].status == MXCHECK_RESOLVED &&
	        g.r->exchanges[2].naddresses == 1 &&
	        test_streq(g.r->exchanges[2].addresses[0], "2001:db8::30"),
	    "deadline: the half exchange has its IPv6 address");
	CHECK_STR(id_of(g.r->exchanges[2].unchecked), "dns.unchecked.deadline",
	    "deadline: ... and says its IPv4 addresses are unknown");
	CHECK(finding_of(g.r, "mx_not_found") == NULL &&
	        finding_of(g.r, "mx_no_address") == NULL,
	    "deadline: never \"does not resolve\" (%s)", codes(a, g.r));
	rendered(e, a, g.r, "deadline");
out:
	arena_free(a);

	/* the only other exchange unknown: the dead one is no error */
	a = arena_new();
	g = check(e, a, "unsure.example", 300, 50);
	if (CHECK(g.calls == 1 && g.r->nexchanges == 2,
	        "one dead, one unknown: two exchanges")) {
		CHECK(g.r->exchanges[0].status == MXCHECK_NO_ADDRESS &&
		        g.r->exchanges[1].status == MXCHECK_NOT_CHECKED,
		    "one dead, one unknown: no_address and not_checked");
		CHECK(has(g.r, "mx_not_found", FINDING_WARNING),
		    "one dead, one unknown: a warning, not an error (%s)",
		    codes(a, g.r));
	}
	arena_free(a);
}

static void
test_budget(struct env *e)
{
	struct arena *a = arena_new();
	struct got g = check(e, a, "budget.example", 5000, 1);

	if (CHECK(g.calls == 1 && g.r->nexchanges == 1,
	        "budget of one: the MX answered")) {
		CHECK(g.r->unchecked == NULL &&
		        g.r->exchanges[0].status == MXCHECK_NOT_CHECKED,
		    "budget of one: the exchange not checked");
		CHECK_STR(id_of(g.r->exchanges[0].unchecked),
		    "dns.unchecked.budget", "budget of one: why");
		CHECK(g.r->findings.n == 0, "budget of one: no finding (%s)",
		    codes(a, g.r));
		rendered(e, a, g.r, "budget");
	}
	CHECK(dnsfix_queries(e->fix, "mx.budget.example", 0) == 0,
	    "budget of one: the exchange not asked");
	arena_free(a);

	a = arena_new();
	g = check(e, a, "budget0.example", 5000, 0);
	if (CHECK(g.calls == 1, "no budget: done once")) {
		CHECK_STR(id_of(g.r->unchecked), "dns.unchecked.budget",
		    "no budget: unchecked");
		CHECK(g.r->findings.n == 0 && g.r->nexchanges == 0,
		    "no budget: nothing else");
	}
	arena_free(a);
}

int
main(void)
{
	struct env e = { 0 };

	if (env_init(&e) == 0) {
		test_normal(&e);
		test_null(&e);
		test_implicit(&e);
		test_dead(&e);
		test_cname_literal(&e);
		test_addresses(&e);
		test_many(&e);
		test_unchecked(&e);
		test_deadline(&e);
		test_budget(&e);
	}
	texts_free(e.texts);
	resolver_free(e.res);
	dnsfix_free(e.fix);
	evloop_free(e.loop);
	return test_done();
}
