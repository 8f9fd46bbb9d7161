/* SPDX-License-Identifier: MIT */
/*
 * test_ptrcheck.c - the reverse-DNS check through the real path
 *
 * The fixture DNS server on 127.0.0.1, c-ares and the resolver answer
 * ptrcheck: PTR names confirmed or not by their A/AAAA records, no PTR,
 * many PTR names, forward lookups that time out or are ended by the
 * deadline, a PTR lookup that fails (unchecked, never a finding), the
 * HELO name in every shape, generic names of many providers, and the
 * sentences of every result in English and Russian. The fixture counts
 * what reached it, which shows what was (not) asked.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnsfix.h"
#include "ptrcheck.h"
#include "resolver.h"
#include "texts.h"
#include "test.h"

struct env {
	struct evloop *loop;
	struct dnsfix *fix;
	struct resolver *res;
	struct dnsfix_zone *z;
	struct texts *texts;
	struct arena *said; /* the sentences rendered */
};

struct got {
	struct evloop *loop;
	int calls;
	bool in_loop;
	bool sync; /* done before ptrcheck_start returned */
	uint64_t took_ms;
	struct ptrcheck_result r;
};

/* A name of the generic table: its address, and the verdict expected. */
struct gcase {
	const char *ip;
	const char *name;
	bool generic;
	bool dynamic;
	const char *address; /* as the name writes it, or NULL */
};

static const struct gcase gcases[] = {
	{ "73.45.12.9", "c-73-45-12-9.hsd1.ca.comcast.net", true, true,
	    "73-45-12-9" },
	{ "71.105.22.3", "pool-71-105-22-3.nycmny.fios.verizon.net", true, true,
	    "71-105-22-3" },
	{ "187.156.12.3", "dsl-187-156-12-3-dyn.prod-infinitum.com.mx", true,
	    true, "187-156-12-3" },
	{ "94.66.3.1", "ppp-94-66-3-1.home.otenet.gr", true, true,
	    "94-66-3-1" },
	{ "91.11.18.52", "p5b0b1234.dip0.t-ipconnect.de", true, true,
	    "5b0b1234" },
	{ "98.27.14.201", "cpe-98-27-14-201.rochester.res.rr.com", true, true,
	    "98-27-14-201" },
	{ "116.224.33.17", "17.33.224.116.broad.xw.sh.dynamic.163data.com.cn",
	    true, true, "17.33.224.116" },
	{ "187.141.21.5", "customer-187-141-021-005.uninet-ide.com.mx", true,
	    true, "187-141-021-005" },
	{ "94.37.120.19", "dynamic-adsl-94-37-120-19.clienti.tiscali.it", true,
	    true, "94-37-120-19" },
	{ "78.34.201.9", "xdsl-78-34-201-9.nc.de", true, true, "78-34-201-9" },
	{ "166.170.5.20", "mobile-166-170-5-20.mycingular.net", true, true,
	    "166-170-5-20" },
	{ "104.149.1.2", "unassigned.psychz.net", true, true, NULL },
	{ "77.251.125.130", "dhcp-077-251-125-130.chello.nl", true, true,
	    "077-251-125-130" },
	{ "74.160.12.9", "adsl-074-160-012-009.sip.bct.bellsouth.net", true,
	    true, "074-160-012-009" },
	{ "2a02:8108:1240:5c00:1c4a:3f2e:9b01:77d4",
	    "2a02-8108-1240-5c00-1c4a-3f2e-9b01-77d4.dyn.example-isp.de", true,
	    true, "2a02-8108-1240-5c00-1c4a-3f2e-9b01-77d4" },
	{ "2a02:8108:1240:5c00:1c4a:3f2e:9b01:77d5",
	    "host-1c4a3f2e9b0177d5.cable.example-isp.de", true, true,
	    "1c4a3f2e9b0177d5" },
	{ "2a02:8108:1240:5c00::1:2:3",
	    "3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.pool.example-isp.de", true, true,
	    "3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0" },
	{ "86.150.2.1", "host86-150-2-1.range86-150.btcentralplus.com", true,
	    false, "86-150-2-1" },
	{ "203.0.113.45", "203-0-113-45.static.example.net", true, false,
	    "203-0-113-45" },
	{ "68.100.12.34", "ip68-100-12-34.ri.ri.cox.net", true, false,
	    "68-100-12-34" },
	{ "88.198.44.12", "static.12.44.198.88.clients.your-server.de", true,
	    false, "12.44.198.88" },
	{ "54.210.33.7", "ec2-54-210-33-7.compute-1.amazonaws.com", true, false,
	    "54-210-33-7" },
	{ "73.45.12.11", "mail-73-45-12-11.static.example-isp.net", true, false,
	    "73-45-12-11" },
	{ "81.2.69.171", "ip1359103403.example-isp.net", true, false,
	    "1359103403" },
	{ "81.2.69.172", "host.static.example-isp.net", true, false, NULL },
	{ "81.2.69.180", "mx1.example.org", false, false, NULL },
	{ "209.85.221.41", "mail-wr1-f41.google.com", false, false, NULL },
	{ "54.240.8.57", "a8-57.smtp-out.amazonses.com", false, false, NULL },
	{ "40.107.243.41",
	    "mail-dm6nam12on2041.outbound.protection.outlook.com", false, false,
	    NULL },
	{ "205.201.135.6", "mail135-6.atl141.mcsv.net", false, false, NULL },
	{ "149.72.1.2", "o1.ptr2817.sendgrid.net", false, false, NULL },
	{ "81.2.69.181", "smtp-81-2-69-181.example.net", false, false,
	    "81-2-69-181" },
	{ "81.2.69.182", "poole-mail.example.co.uk", false, false, NULL },
	{ "81.2.69.183", "smtp.dyn.com", false, false, NULL },
	{ "81.2.69.184", "mail.home.pl", false, false, NULL },
	{ "81.2.69.185", "server1.example.com", false, false, NULL },
	{ "192.30.252.212", "out-12.smtp.github.com", false, false, NULL },
	{ "81.2.69.186", "host.example.com", false, false, NULL },
	{ "2a00:1450:4864:20::1b", "mail-yw1-f27.google.com", false, false,
	    NULL },
};

#define NGCASES (sizeof(gcases) / sizeof(*gcases))

static void
got_done(void *arg, const struct ptrcheck_result *r)
{
	struct got *g = arg;

	g->calls++;
	g->r = *r;
	if (g->in_loop)
		evloop_stop(g->loop);
}

/* rev - the reverse name of ip (a test's own reading of RFC 3596 §2.5) */
static const char *
rev(const char *ip)
{
	static char out[128];
	static const char hex[] = "0123456789abcdef";
	uint8_t b[16];
	char *p = out;

	if (inet_pton(AF_INET, ip, b) == 1) {
		(void)snprintf(out, sizeof(out), "%u.%u.%u.%u.in-addr.arpa",
		    b[3], b[2], b[1], b[0]);
		return out;
	}
	if (inet_pton(AF_INET6, ip, b) != 1)
		return "invalid";
	for (int i = 31; i >= 0; i--) {
		*p++ = hex[i % 2 == 0 ? b[i / 2] >> 4 : b[i / 2] & 0xf];
		*p++ = '.';
	}
	(void)snprintf(p, sizeof(out) - 64, "ip6.arpa");
	return out;
}

/* host - ip's PTR name, whose A/AAAA record points back at it */
static void
host(struct dnsfix_zone *z, const char *ip, const char *name)
{
	(void)dnsfix_add_ptr(z, rev(ip), 300, name);
	if (strchr(ip, ':') != NULL)
		(void)dnsfix_add_aaaa(z, name, 300, ip);
	else
		(void)dnsfix_add_a(z, name, 300, ip);
}

static void
zone_fill(struct dnsfix_zone *z)
{
	struct dnsfix_behaviour slow = { .delay_ms = 3000 };
	struct dnsfix_behaviour fail = { .servfail = true };
	char name[64];

	host(z, "81.2.69.160", "mail.example.com");
	(void)dnsfix_add_a(z, "smtp.example.com", 300, "81.2.69.160");
	(void)dnsfix_add_a(z, "other.example.com", 300, "81.2.69.99");
	(void)dnsfix_add_a(z, "slowhelo.example.com", 300, "81.2.69.160");
	(void)dnsfix_zone_behaviour(z, "slowhelo.example.com", &slow);
	(void)dnsfix_add_a(z, "slowhelo2.example.com", 300, "81.2.69.167");
	(void)dnsfix_zone_behaviour(z, "slowhelo2.example.com", &slow);
	(void)dnsfix_add_ptr(z,
	    "7.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.0.0.4.6.8.4.0.5.4.1.0.0.a.2."
	    "ip6.arpa",
	    300, "mail-yw1-f99.google.com");
	(void)dnsfix_add_aaaa(z, "mail-yw1-f99.google.com", 300,
	    "2a00:1450:4864:20::7");
	(void)dnsfix_add_name(z, rev("81.2.69.162")); /* NODATA */
	(void)dnsfix_add_ptr(z, rev("81.2.69.163"), 300, "gone.example.com");
	(void)dnsfix_add_ptr(z, rev("81.2.69.164"), 300,
	    "elsewhere.example.com");
	(void)dnsfix_add_a(z, "elsewhere.example.com", 300, "81.2.69.99");
	(void)dnsfix_add_a(z, "elsewhere.example.com", 300, "81.2.69.98");
	(void)dnsfix_add_ptr(z, rev("81.2.69.165"), 300, "a.example.com");
	(void)dnsfix_add_a(z, "a.example.com", 300, "81.2.69.99");
	host(z, "81.2.69.165", "mx2.example.com");
	(void)dnsfix_add_ptr(z, rev("81.2.69.166"), 300, "silent.example.com");
	(void)dnsfix_add_timeout(z, "silent.example.com");
	(void)dnsfix_add_ptr(z, rev("81.2.69.167"), 300, "bad.example.com");
	(void)dnsfix_zone_behaviour(z, rev("81.2.69.167"), &fail);
	for (int i = 0; i < 50; i++) {
		(void)snprintf(name, sizeof(name), "host%d.many.example", i);
		host(z, "81.2.69.168", name);
	}
	(void)dnsfix_add_ptr(z, rev("81.2.69.170"), 300, "slowa.example.com");
	(void)dnsfix_add_a(z, "slowa.example.com", 300, "81.2.69.170");
	(void)dnsfix_zone_behaviour(z, "slowa.example.com", &slow);
	(void)dnsfix_add_ptr(z, rev("81.2.69.173"), 300, "late.example.com");
	(void)dnsfix_zone_behaviour(z, rev("81.2.69.173"), &slow);
	host(z, "10.1.2.3", "relay.corp.example");
	for (size_t i = 0; i < NGCASES; i++)
		host(z, gcases[i].ip, gcases[i].name);
}

static int
env_init(struct env *e)
{
	char *err = NULL;

	e->loop = evloop_new();
	e->said = arena_new();
	e->texts = test_texts_shipped();
	e->fix = dnsfix_new(e->loop, "127.0.0.1", 0, &err);
	if (!CHECK(e->fix != NULL && e->texts != NULL,
	        "fixture server and texts: %s", err != NULL ? err : "")) {
		free(err);
		return -1;
	}
	e->z = dnsfix_zone_new();
	zone_fill(e->z);
	dnsfix_set_zone(e->fix, &e->z);
	e->res = test_resolver_for(e->loop, e->fix, 1000, 1);
	return e->res != NULL ? 0 : -1;
}

/* run - one check in its own session of arena a */
static struct got
run(struct env *e, struct arena *a, const char *ip, const char *helo,
    unsigned deadline_ms, unsigned budget)
{
	struct ptrcheck_query q = { ip, helo };
	struct resolver_session *s;
	struct got g = { .loop = e->loop };
	uint64_t t0 = evloop_now_ms();

	s = resolver_session_new(e->res, a, t0 + deadline_ms, budget);
	ptrcheck_start(s, a, &q, got_done, &g);
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

/* finding - the finding of code, or NULL */
static const struct finding *
finding(const struct ptrcheck_result *r, const char *code)
{
	return findings_find(&r->findings, code);
}

static bool
has(const struct ptrcheck_result *r, const char *code, enum finding_level level)
{
	const struct finding *f = finding(r, code);

	return f != NULL && f->level == level;
}

/* say - m in the language of code */
static const char *
say(struct env *e, const struct texts_msg *m, const char *code)
{
	return texts_render(e->said, e->texts,
	    test_lang_of(texts_langs(e->texts), code), m);
}

/* spoken - m reads in English and in Russian: no message id or
 * placeholder left, and the Russian is a translation (Cyrillic) */
static bool
spoken(struct env *e, const struct texts_msg *m)
{
	const char *en = say(e, m, "en"), *ru = say(e, m, "ru");

	return strstr(en, "ptr.") == NULL && strchr(en, '{') == NULL &&
	    strstr(ru, "ptr.") == NULL && strchr(ru, '{') == NULL &&
	    strcmp(en, ru) != 0 && strstr(ru, "\xd0") != NULL;
}

/* all_spoken - every sentence of a result reads in both languages */
static bool
all_spoken(struct env *e, const struct ptrcheck_result *r)
{
	bool ok = r->unchecked == NULL || spoken(e, r->unchecked);

	for (size_t i = 0; i < r->findings.n; i++)
		ok = ok && spoken(e, r->findings.v[i].msg);
	for (size_t i = 0; i < r->nnames; i++)
		ok = ok &&
		    (r->names[i].unchecked == NULL ||
		        spoken(e, r->names[i].unchecked));
	return ok &&
	    (r->helo.unchecked == NULL || spoken(e, r->helo.unchecked));
}

static void
test_confirmed(struct env *e)
{
	struct arena *a = arena_new();
	struct got g = run(e, a, "81.2.69.160", NULL, 5000, 50);

	if (CHECK(g.calls == 1 && g.r.unchecked == NULL,
	        "IPv4: done once, checked")) {
		CHECK_STR(g.r.ip, "81.2.69.160", "IPv4: ip");
		CHECK_STR(g.r.reverse, "160.69.2.81.in-addr.arpa",
		    "IPv4: reverse name");
		CHECK(g.r.nnames == 1 && g.r.names_left_out == 0 &&
		        g.r.names[0].confirmed == PTRCHECK_YES &&
		        g.r.fcrdns == PTRCHECK_YES,
		    "IPv4: one name, forward-confirmed");
		CHECK_STR(g.r.primary != NULL ? g.r.primary->name : NULL,
		    "mail.example.com", "IPv4: primary name");
		CHECK(g.r.names[0].naddrs == 1 &&
		        strcmp(g.r.names[0].addrs[0], "81.2.69.160") == 0,
		    "IPv4: the name's address");
		CHECK(g.r.findings.n == 0 && !g.r.generic.generic &&
		        g.r.reserved == NULL && g.r.helo.name == NULL,
		    "IPv4: nothing found (%zu findings)", g.r.findings.n);
	}
	CHECK(dnsfix_queries(e->fix, "160.69.2.81.in-addr.arpa",
	          DNSMSG_T_PTR) == 1 &&
	        dnsfix_queries(e->fix, "mail.example.com", DNSMSG_T_A) == 1,
	    "IPv4: PTR and A asked once each");
	arena_free(a);

	/* the same from a warm cache: done before ptrcheck_start returns */
	a = arena_new();
	g = run(e, a, "81.2.69.160", NULL, 5000, 50);
	CHECK(g.calls == 1 && g.sync && g.r.fcrdns == PTRCHECK_YES,
	    "warm: done once, at once, confirmed");
	g = run(e, a, "::ffff:81.2.69.160", NULL, 5000, 50);
	CHECK(g.calls == 1 && !g.r.v6 && g.r.fcrdns == PTRCHECK_YES &&
	        g.r.ip != NULL && strcmp(g.r.ip, "81.2.69.160") == 0,
	    "IPv4-mapped IPv6 is IPv4");
	arena_free(a);

	a = arena_new();
	g = run(e, a, "2a00:1450:4864:20::7", NULL, 5000, 50);
	if (CHECK(g.calls == 1 && g.r.unchecked == NULL && g.r.v6,
	        "IPv6: done once, checked")) {
		CHECK_STR(g.r.reverse,
		    "7.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.0.0.4.6.8.4.0.5.4.1.0.0."
		    "a.2.ip6.arpa",
		    "IPv6: nibble name");
		CHECK(g.r.nnames == 1 && g.r.fcrdns == PTRCHECK_YES &&
		        g.r.findings.n == 0,
		    "IPv6: forward-confirmed by AAAA, nothing found");
		CHECK_STR(g.r.ip, "2a00:1450:4864:20::7", "IPv6: ip");
	}
	CHECK(dnsfix_queries(e->fix, "mail-yw1-f99.google.com",
	          DNSMSG_T_AAAA) == 1 &&
	        dnsfix_queries(e->fix, "mail-yw1-f99.google.com", DNSMSG_T_A) ==
	            0,
	    "IPv6: AAAA asked, not A");
	arena_free(a);
}

static void
test_not_confirmed(struct env *e)
{
	struct arena *a = arena_new();
	struct got g = run(e, a, "81.2.69.161", NULL, 5000, 50);
	const struct finding *f;

	CHECK(g.calls == 1 && g.r.unchecked == NULL && g.r.nnames == 0 &&
	        g.r.fcrdns == PTRCHECK_NO && g.r.primary == NULL &&
	        has(&g.r, "ptr_missing", FINDING_ERROR) && g.r.findings.n == 1,
	    "NXDOMAIN: no PTR, an error, fcrdns false");
	f = finding(&g.r, "ptr_missing");
	CHECK(f != NULL && strstr(say(e, f->msg, "en"), "NXDOMAIN") != NULL,
	    "NXDOMAIN: said");
	CHECK(all_spoken(e, &g.r), "NXDOMAIN: in English and Russian");

	g = run(e, a, "81.2.69.162", NULL, 5000, 50);
	f = finding(&g.r, "ptr_missing");
	CHECK(g.calls == 1 && f != NULL &&
	        strstr(say(e, f->msg, "en"), "no PTR record)") != NULL,
	    "NODATA: no PTR, said");

	g = run(e, a, "81.2.69.163", NULL, 5000, 50);
	CHECK(g.calls == 1 && g.r.nnames == 1 &&
	        g.r.names[0].confirmed == PTRCHECK_NO &&
	        g.r.names[0].naddrs == 0 && g.r.fcrdns == PTRCHECK_NO &&
	        has(&g.r, "ptr_not_confirmed", FINDING_ERROR),
	    "a PTR name that does not resolve: not confirmed, an error");
	CHECK(all_spoken(e, &g.r), "unresolved name: in both languages");

	g = run(e, a, "81.2.69.164", NULL, 5000, 50);
	f = finding(&g.r, "ptr_not_confirmed");
	CHECK(g.calls == 1 && g.r.nnames == 1 &&
	        g.r.names[0].confirmed == PTRCHECK_NO &&
	        g.r.names[0].naddrs == 2 && g.r.fcrdns == PTRCHECK_NO &&
	        f != NULL && f->level == FINDING_ERROR,
	    "a PTR name resolving elsewhere: not confirmed, an error");
	CHECK(f != NULL &&
	        strstr(say(e, f->msg, "en"), "81.2.69.99, 81.2.69.98") != NULL,
	    "elsewhere: the addresses named");
	CHECK(all_spoken(e, &g.r), "elsewhere: in both languages");

	g = run(e, a, "81.2.69.165", NULL, 5000, 50);
	CHECK(g.calls == 1 && g.r.nnames == 2 && g.r.fcrdns == PTRCHECK_YES &&
	        g.r.names[0].confirmed == PTRCHECK_NO &&
	        g.r.names[1].confirmed == PTRCHECK_YES,
	    "two names, the second confirms");
	CHECK_STR(g.r.primary != NULL ? g.r.primary->name : NULL,
	    "mx2.example.com", "two names: the confirmed one is primary");
	CHECK(has(&g.r, "ptr_not_confirmed", FINDING_WARNING) &&
	        has(&g.r, "ptr_many_names", FINDING_WARNING) &&
	        g.r.findings.n == 2,
	    "two names: a warning for each problem, no error");
	CHECK(all_spoken(e, &g.r), "two names: in both languages");
	arena_free(a);
}

static void
test_failures(struct env *e)
{
	struct arena *a = arena_new();
	struct got g = run(e, a, "81.2.69.166", NULL, 5000, 50);

	CHECK(g.calls == 1 && g.r.unchecked == NULL && g.r.nnames == 1 &&
	        g.r.names[0].confirmed == PTRCHECK_UNKNOWN &&
	        texts_msg_is(g.r.names[0].unchecked, "dns.unchecked.timeout") &&
	        g.r.fcrdns == PTRCHECK_UNKNOWN && g.r.findings.n == 0,
	    "forward lookup times out: not checked, fcrdns unknown, nothing "
	    "found");
	CHECK(all_spoken(e, &g.r), "timeout: in both languages");

	g = run(e, a, "81.2.69.167", "slowhelo2.example.com", 5000, 50);
	CHECK(g.calls == 1 &&
	        texts_msg_is(g.r.unchecked, "dns.unchecked.servfail") &&
	        g.r.findings.n == 0 && g.r.nnames == 0,
	    "PTR servfail: unchecked, no finding");
	CHECK(g.took_ms < 2000,
	    "PTR servfail: done without waiting for the HELO (%llu ms)",
	    (unsigned long long)g.took_ms);
	CHECK(dnsfix_queries(e->fix, "bad.example.com", 0) == 0,
	    "PTR servfail: nothing asked after it");
	arena_free(a);

	/* the deadline while the forward lookup waits */
	a = arena_new();
	g = run(e, a, "81.2.69.170", NULL, 400, 50);
	CHECK(g.calls == 1 && g.took_ms < 2500,
	    "deadline: done once, in time (%llu ms)",
	    (unsigned long long)g.took_ms);
	CHECK(g.r.unchecked == NULL && g.r.nnames == 1 &&
	        g.r.names[0].confirmed == PTRCHECK_UNKNOWN &&
	        texts_msg_is(g.r.names[0].unchecked,
	            "dns.unchecked.deadline") &&
	        g.r.fcrdns == PTRCHECK_UNKNOWN && g.r.findings.n == 0,
	    "deadline: the name not checked, fcrdns unknown");
	arena_free(a);

	/* the deadline while the PTR lookup itself waits */
	a = arena_new();
	g = run(e, a, "81.2.69.173", NULL, 300, 50);
	CHECK(g.calls == 1 && g.took_ms < 2500 &&
	        texts_msg_is(g.r.unchecked, "dns.unchecked.deadline") &&
	        g.r.findings.n == 0,
	    "late PTR: unchecked, the deadline");
	CHECK(all_spoken(e, &g.r), "late PTR: in both languages");
	arena_free(a);

	a = arena_new();
	g = run(e, a, "81.2.69.200", NULL, 5000, 0);
	CHECK(g.calls == 1 && g.sync &&
	        texts_msg_is(g.r.unchecked, "dns.unchecked.budget") &&
	        dnsfix_queries(e->fix, rev("81.2.69.200"), 0) == 0,
	    "no budget: unchecked at once, nothing asked");
	g = run(e, a, "not-an-ip", "mail.example.com", 5000, 50);
	CHECK(g.calls == 1 && g.sync && g.r.ip == NULL &&
	        texts_msg_is(g.r.unchecked, "ptr.unchecked.not_ip") &&
	        all_spoken(e, &g.r),
	    "not an address: unchecked at once, said");
	arena_free(a);
}

static void
test_many(struct env *e)
{
	struct arena *a = arena_new();
	struct got g;
	unsigned long fwd;
	const struct finding *f;

	dnsfix_reset_counts(e->fix);
	g = run(e, a, "81.2.69.168", NULL, 5000, 50);
	fwd = dnsfix_queries(e->fix, NULL, DNSMSG_T_A);
	CHECK(g.calls == 1 && g.r.unchecked == NULL &&
	        g.r.nnames == PTRCHECK_MAX_NAMES &&
	        g.r.names_left_out == 50 - PTRCHECK_MAX_NAMES,
	    "50 PTR names: %d kept, the rest counted (%zu, %zu)",
	    PTRCHECK_MAX_NAMES, g.r.nnames, g.r.names_left_out);
	CHECK(fwd == PTRCHECK_MAX_NAMES &&
	        dnsfix_queries(e->fix, "host5.many.example", 0) == 0,
	    "50 PTR names: only the kept ones looked up (%lu)", fwd);
	CHECK(g.r.fcrdns == PTRCHECK_YES &&
	        has(&g.r, "ptr_many_names", FINDING_WARNING) &&
	        has(&g.r, "ptr_names_left_out", FINDING_INFO),
	    "50 PTR names: confirmed, many, left out");
	f = finding(&g.r, "ptr_many_names");
	CHECK(f != NULL &&
	        strstr(say(e, f->msg, "en"), "50 PTR names") != NULL &&
	        strstr(say(e, f->msg, "ru"), "50 PTR-имён") != NULL,
	    "50 PTR names: counted in both languages");
	f = finding(&g.r, "ptr_names_left_out");
	CHECK(f != NULL &&
	        strstr(say(e, f->msg, "ru"), "45 PTR-имён не проверялись") !=
	            NULL,
	    "left out: the Russian plural");
	CHECK(all_spoken(e, &g.r), "many: in both languages");
	arena_free(a);
}

static void
test_generic(struct env *e)
{
	struct arena *a = arena_new();
	size_t right = 0;

	for (size_t i = 0; i < NGCASES; i++) {
		const struct gcase *c = &gcases[i];
		struct got g = run(e, a, c->ip, NULL, 5000, 50);
		const struct ptrname_verdict *v = &g.r.generic;
		bool ok = g.calls == 1 && g.r.fcrdns == PTRCHECK_YES &&
		    v->generic == c->generic && v->dynamic == c->dynamic &&
		    test_streq(v->address, c->address);

		right += ok;
		CHECK(ok, "%s: %s%s, address %s (got %s%s, %s)", c->name,
		    c->generic ? "generic" : "not generic",
		    c->dynamic ? ", dynamic" : "",
		    c->address != NULL ? c->address : "none",
		    v->generic ? "generic" : "not generic",
		    v->dynamic ? ", dynamic" : "",
		    v->address != NULL ? v->address : "none");
		CHECK(has(&g.r, "ptr_generic",
		          c->dynamic ? FINDING_ERROR : FINDING_WARNING) ==
		            c->generic &&
		        all_spoken(e, &g.r),
		    "%s: the finding, in both languages", c->name);
	}
	CHECK(right == NGCASES && NGCASES >= 25, "%zu of %zu names right",
	    right, NGCASES);
	arena_free(a);
}

static void
test_generic_signals(struct env *e)
{
	struct arena *a = arena_new();
	struct got g = run(e, a, "94.66.3.1", NULL, 5000, 50);
	const struct finding *f = finding(&g.r, "ptr_generic");

	CHECK_STR(g.r.generic.word, "ppp", "the pool word");
	CHECK(f != NULL &&
	        strstr(say(e, f->msg, "en"),
	            "94-66-3-1, and it has the word \"ppp\"") != NULL &&
	        strstr(say(e, f->msg, "ru"), "«ppp»") != NULL,
	    "the signals said");
	g = run(e, a, "54.240.8.57", NULL, 5000, 50);
	CHECK_STR(g.r.generic.mail_word, "smtp", "the mail word");
	g = run(e, a, "203.0.113.45", NULL, 5000, 50);
	f = finding(&g.r, "ptr_reserved_ip");
	CHECK(f != NULL && f->level == FINDING_INFO && g.r.reserved != NULL &&
	        strcmp(g.r.reserved, "203.0.113.0/24") == 0 &&
	        strstr(say(e, f->msg, "en"), "RFC 5737") != NULL,
	    "a documentation address: an info finding");
	g = run(e, a, "10.1.2.3", NULL, 5000, 50);
	CHECK(g.calls == 1 && g.r.fcrdns == PTRCHECK_YES &&
	        has(&g.r, "ptr_reserved_ip", FINDING_INFO) &&
	        g.r.findings.n == 1 &&
	        dnsfix_queries(e->fix, "3.2.1.10.in-addr.arpa", DNSMSG_T_PTR) ==
	            1,
	    "a private address: looked up all the same, an info finding");
	CHECK(all_spoken(e, &g.r), "private: in both languages");
	arena_free(a);
}

static void
test_helo(struct env *e)
{
	struct arena *a = arena_new();
	struct got g =
	    run(e, a, "81.2.69.160", " MAIL.Example.com. ", 5000, 50);

	CHECK(g.calls == 1 && g.r.helo.fqdn && !g.r.helo.literal &&
	        g.r.helo.matches_ptr == PTRCHECK_YES &&
	        g.r.helo.resolves_to_ip == PTRCHECK_YES && g.r.findings.n == 0,
	    "HELO = the PTR name (case, final dot): matches, resolves");
	CHECK_STR(g.r.helo.name, "MAIL.Example.com.", "HELO: as given");

	g = run(e, a, "81.2.69.160", "smtp.example.com", 5000, 50);
	CHECK(g.calls == 1 && g.r.helo.matches_ptr == PTRCHECK_NO &&
	        g.r.helo.resolves_to_ip == PTRCHECK_YES &&
	        has(&g.r, "ptr_helo_mismatch", FINDING_WARNING) &&
	        g.r.findings.n == 1,
	    "HELO another name of the address: a mismatch");
	CHECK(all_spoken(e, &g.r), "mismatch: in both languages");

	g = run(e, a, "81.2.69.160", "other.example.com", 5000, 50);
	CHECK(g.calls == 1 && g.r.helo.resolves_to_ip == PTRCHECK_NO &&
	        has(&g.r, "ptr_helo_mismatch", FINDING_WARNING) &&
	        has(&g.r, "ptr_helo_unresolved", FINDING_WARNING),
	    "HELO resolving elsewhere: mismatch and unresolved");
	CHECK(all_spoken(e, &g.r), "HELO elsewhere: in both languages");

	g = run(e, a, "81.2.69.160", "ghost.example.com", 5000, 50);
	CHECK(g.calls == 1 && g.r.helo.resolves_to_ip == PTRCHECK_NO &&
	        has(&g.r, "ptr_helo_unresolved", FINDING_WARNING) &&
	        all_spoken(e, &g.r),
	    "HELO that does not exist: unresolved, said");

	dnsfix_reset_counts(e->fix);
	g = run(e, a, "81.2.69.160", "[81.2.69.160]", 5000, 50);
	CHECK(g.calls == 1 && g.r.helo.literal && !g.r.helo.fqdn &&
	        g.r.helo.resolves_to_ip == PTRCHECK_YES &&
	        g.r.helo.matches_ptr == PTRCHECK_NO &&
	        has(&g.r, "ptr_helo_literal", FINDING_WARNING) &&
	        g.r.findings.n == 1,
	    "HELO address literal: a warning");
	CHECK(all_spoken(e, &g.r), "literal: in both languages");
	g = run(e, a, "81.2.69.160", "[IPv6:2a00:1450:4864:20::7]", 5000, 50);
	CHECK(g.calls == 1 && g.r.helo.literal &&
	        g.r.helo.resolves_to_ip == PTRCHECK_NO,
	    "HELO IPv6 literal of another address");
	CHECK(dnsfix_queries(e->fix, NULL, DNSMSG_T_A) == 0,
	    "literals: nothing looked up");

	g = run(e, a, "81.2.69.160", "mailserver", 5000, 50);
	CHECK(g.calls == 1 && !g.r.helo.fqdn && !g.r.helo.literal &&
	        g.r.helo.resolves_to_ip == PTRCHECK_UNKNOWN &&
	        has(&g.r, "ptr_helo_not_fqdn", FINDING_ERROR) &&
	        g.r.findings.n == 1 &&
	        dnsfix_queries(e->fix, "mailserver", 0) == 0,
	    "HELO not an FQDN: an error, not looked up");
	CHECK(all_spoken(e, &g.r), "not FQDN: in both languages");
	g = run(e, a, "81.2.69.160", "mail.123", 5000, 50);
	CHECK(g.calls == 1 && !g.r.helo.fqdn, "numeric top label: no FQDN");

	g = run(e, a, "81.2.69.163", "gone.example.com", 5000, 50);
	CHECK(g.calls == 1 && g.r.helo.matches_ptr == PTRCHECK_NO &&
	        finding(&g.r, "ptr_helo_mismatch") == NULL &&
	        has(&g.r, "ptr_not_confirmed", FINDING_ERROR),
	    "HELO = an unconfirmed PTR name: no match, no mismatch said");
	arena_free(a);

	/* the HELO's lookup runs beside the PTR's; the deadline ends it */
	a = arena_new();
	g = run(e, a, "81.2.69.160", "slowhelo.example.com", 400, 50);
	CHECK(g.calls == 1 && g.took_ms < 2500 && g.r.fcrdns == PTRCHECK_YES &&
	        g.r.helo.resolves_to_ip == PTRCHECK_UNKNOWN &&
	        texts_msg_is(g.r.helo.unchecked, "dns.unchecked.deadline") &&
	        finding(&g.r, "ptr_helo_unresolved") == NULL,
	    "slow HELO: not checked, no finding (%llu ms)",
	    (unsigned long long)g.took_ms);
	arena_free(a);
}

int
main(void)
{
	struct env e;

	memset(&e, 0, sizeof(e));
	if (env_init(&e) == 0) {
		test_confirmed(&e);
		test_not_confirmed(&e);
		test_failures(&e);
		test_many(&e);
		test_generic(&e);
		test_generic_signals(&e);
		test_helo(&e);
	}
	resolver_free(e.res);
	dnsfix_free(e.fix);
	dnsfix_zone_free(e.z);
	texts_free(e.texts);
	arena_free(e.said);
	evloop_free(e.loop);
	return test_done();
}
