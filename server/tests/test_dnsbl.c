/* SPDX-License-Identifier: MIT */
/*
 * test_dnsbl.c - the blocklist check and the zones' health, through DNS
 *
 * The fixture DNS server on 127.0.0.1, c-ares and the resolver answer
 * the check for the shipped lists (rules/dnsbl.json: a ZEN listing with
 * its TXT reason, not listed, a public-resolver refusal, URIBL's bits and
 * refusal, the DBL, IPv6 nibbles, the DNSWL allow list, zones the bounce
 * names) and for lists of the test's own: a zone that times out while
 * the others answer, an answer outside 127/8, the deadline before any
 * answer, 100 zones at once and a budget that bounds them. The health
 * test runs on the same loop: start-up does not wait for it, a zone that
 * fails is not asked (its answer is not trusted), a DNS failure leaves
 * the state as it was. The check of a diagnosis (check_dnsbl.c) sums up
 * each target with the lists asked about it: a listed domain is not said
 * of the address. Every sentence renders in English and Russian.
 * No query leaves the machine: the resolver asks only the fixture.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_dnsbl.h"
#include "dnsbl.h"
#include "dnsfix.h"
#include "texts.h"
#include "texts_msg.h"
#include "test.h"

#define NMANY 100

struct env {
	struct evloop *loop;
	struct dnsfix *fix;
	struct resolver *res;
	struct texts *t;           /* shipped texts, with both configs' */
	struct dnsbl_config *ship; /* rules/dnsbl.json */
	struct dnsbl_config *own;  /* the test's lists */
	struct dnsbl_config *many; /* NMANY zones */
};

struct got {
	struct evloop *loop;
	int calls;
	bool in_loop;
	bool sync;
	uint64_t took_ms;
	unsigned sent;
	const struct dnsbl_result *r;
};

static const char own_json[] =
    "{\"zones\": ["
    "{\"zone\": \"a.bl.example\", \"name\": \"List A\", \"kind\": \"ip\", "
    "\"codes\": {\"127.0.0.2\": {\"en\": \"listed on A\"}}},"
    "{\"zone\": \"slow.bl.example\", \"name\": \"Slow list\", \"kind\": "
    "\"ip\"},"
    "{\"zone\": \"wild.bl.example\", \"name\": \"Wild list\", \"kind\": "
    "\"ip\"},"
    "{\"zone\": \"sick.bl.example\", \"name\": \"Sick list\", \"kind\": "
    "\"ip\", \"refused\": {\"127.255.255.254\": {\"en\": \"a public "
    "resolver\"}}},"
    "{\"zone\": \"gone.bl.example\", \"name\": \"Gone list\", \"kind\": "
    "\"ip\"},"
    "{\"zone\": \"good.bl.example\", \"name\": \"Good list\", \"kind\": "
    "\"ip\"},"
    "{\"zone\": \"quiet.bl.example\", \"name\": \"Quiet list\", \"kind\": "
    "\"ip\", \"test\": {}}]}";

enum own_zone {
	OWN_A,
	OWN_SLOW,
	OWN_WILD,
	OWN_SICK,
	OWN_GONE,
	OWN_GOOD,
	OWN_QUIET
};

static void
got_done(void *arg, const struct dnsbl_result *r)
{
	struct got *g = arg;

	g->calls++;
	g->r = r;
	if (g->in_loop)
		evloop_stop(g->loop);
}

/* drop - no answer ever for name */
static void
drop(struct dnsfix_zone *z, const char *name)
{
	struct dnsfix_behaviour b = { .drop = true };

	(void)dnsfix_zone_behaviour(z, name, &b);
}

/* zone_all - the fixture's data; second: the health test's second
 * round (the sick list recovered, the good list's test does not answer) */
static struct dnsfix_zone *
zone_all(bool second)
{
	struct dnsfix_zone *z = dnsfix_zone_new();
	char name[128], longtxt[700];

	/* the shipped lists */
	(void)dnsfix_add_a(z, "10.2.0.192.zen.spamhaus.org", 300, "127.0.0.4");
	(void)dnsfix_add_txt(z, "10.2.0.192.zen.spamhaus.org", 300,
	    "Listed by XBL, see https://check.spamhaus.org/query/ip/192.0.2.10");
	(void)dnsfix_add_a(z, "30.2.0.192.zen.spamhaus.org", 300,
	    "127.255.255.254");
	(void)dnsfix_add_a(z,
	    "5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2."
	    "zen.spamhaus.org",
	    300, "127.0.0.3");
	(void)dnsfix_add_a(z, "refused.example.multi.uribl.com", 300,
	    "127.0.0.1");
	(void)dnsfix_add_a(z, "spammy.example.multi.uribl.com", 300,
	    "127.0.0.6");
	memset(longtxt, 'x', sizeof(longtxt));
	longtxt[3] = '\001';
	longtxt[sizeof(longtxt) - 1] = '\0';
	(void)dnsfix_add_txt(z, "spammy.example.multi.uribl.com", 300, longtxt);
	(void)dnsfix_add_a(z, "spammy.example.dbl.spamhaus.org", 300,
	    "127.0.1.2");
	(void)dnsfix_add_a(z, "40.2.0.192.list.dnswl.org", 300, "127.0.10.3");
	/* the test's lists: what the check sees */
	(void)dnsfix_add_a(z, "50.2.0.192.a.bl.example", 300, "127.0.0.2");
	(void)dnsfix_add_a(z, "51.2.0.192.a.bl.example", 300, "127.0.0.2");
	(void)dnsfix_add_a(z, "50.2.0.192.wild.bl.example", 300,
	    "198.51.100.7");
	drop(z, "50.2.0.192.slow.bl.example");
	drop(z, "51.2.0.192.slow.bl.example");
	/* and what their health test sees (TTL 0: asked again each round) */
	(void)dnsfix_add_a(z, "2.0.0.127.a.bl.example", 0, "127.0.0.2");
	(void)dnsfix_add_a(z, "1.0.0.127.a.bl.example", 0, "127.0.0.2");
	drop(z, "2.0.0.127.slow.bl.example");
	drop(z, "1.0.0.127.slow.bl.example");
	(void)dnsfix_add_a(z, "2.0.0.127.wild.bl.example", 0, "198.51.100.7");
	(void)dnsfix_add_a(z, "1.0.0.127.wild.bl.example", 0, "198.51.100.7");
	(void)dnsfix_add_a(z, "2.0.0.127.sick.bl.example", 0,
	    second ? "127.0.0.2" : "127.255.255.254");
	(void)dnsfix_add_a(z, "2.0.0.127.good.bl.example", 0, "127.0.0.2");
	if (second)
		drop(z, "2.0.0.127.good.bl.example");
	/* many lists */
	for (int i = 0; i < NMANY; i++) {
		(void)snprintf(name, sizeof(name),
		    "60.2.0.192.z%d.many.example", i);
		(void)dnsfix_add_a(z, name, 300, "127.0.0.2");
		(void)snprintf(name, sizeof(name),
		    "61.2.0.192.z%d.many.example", i);
		(void)dnsfix_add_a(z, name, 300, "127.0.0.2");
	}
	return z;
}

/* load_config - a configuration from text, its meanings into e->t */
static struct dnsbl_config *
load_config(struct env *e, const char *text)
{
	struct dnsbl_config *c = NULL;
	char path[64], *err = NULL;
	int fd;
	FILE *f;

	(void)snprintf(path, sizeof(path), "/tmp/bouncedoc-dnsbl-XXXXXX");
	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		perror("mkstemp");
		exit(1);
	}
	(void)fputs(text, f);
	(void)fclose(f);
	if (!CHECK(dnsbl_config_load(path, e->t, &c, &err) == 0,
	        "a test configuration loads: %s", err != NULL ? err : ""))
		exit(1);
	(void)unlink(path);
	return c;
}

static int
env_init(struct env *e)
{
	struct dnsfix_zone *z = zone_all(false);
	struct resolver_config rc;
	char servers[64], *err = NULL, *many;
	const char *rerr = NULL;
	size_t n, cap = 64 * NMANY + 64;

	memset(e, 0, sizeof(*e));
	if ((e->t = test_texts_shipped()) == NULL)
		return -1;
	if (!CHECK(dnsbl_config_load("rules/dnsbl.json", e->t, &e->ship,
	               &err) == 0,
	        "the shipped lists load: %s", err != NULL ? err : ""))
		return -1;
	e->own = load_config(e, own_json);
	many = malloc(cap);
	n = (size_t)snprintf(many, cap, "{\"zones\": [");
	for (int i = 0; i < NMANY; i++)
		n += (size_t)snprintf(many + n, cap - n,
		    "%s{\"zone\": \"z%d.many.example\", \"name\": \"Z%d\", "
		    "\"kind\": \"ip\"}",
		    i > 0 ? "," : "", i, i);
	(void)snprintf(many + n, cap - n, "]}");
	e->many = load_config(e, many);
	free(many);

	e->loop = evloop_new();
	e->fix = dnsfix_new(e->loop, "127.0.0.1", 0, &err);
	if (!CHECK(e->fix != NULL, "fixture server starts: %s",
	        err != NULL ? err : "")) {
		free(err);
		return -1;
	}
	dnsfix_set_zone(e->fix, &z);
	(void)snprintf(servers, sizeof(servers), "127.0.0.1:%u",
	    (unsigned)dnsfix_port(e->fix));
	rc = (struct resolver_config){ servers, 400, 1 };
	e->res = resolver_new(e->loop, &rc, &rerr);
	return CHECK(e->res != NULL, "resolver starts: %s",
	           rerr != NULL ? rerr : "") ?
	    0 :
	    -1;
}

/* check - one check in its own session; the result lives in a */
static struct got
check(struct env *e, struct arena *a, const struct dnsbl_config *cfg,
    const struct dnsbl_health *h, const struct dnsbl_query *q,
    unsigned deadline_ms, unsigned budget)
{
	struct resolver_session *s;
	struct got g = { .loop = e->loop };
	uint64_t t0 = evloop_now_ms();

	s = resolver_session_new(e->res, a, t0 + deadline_ms, budget);
	dnsbl_start(s, a, cfg, h, q, got_done, &g);
	g.sync = g.calls > 0;
	if (g.calls == 0) {
		g.in_loop = true;
		(void)evloop_run_for(e->loop, 10000);
		g.in_loop = false;
	}
	g.took_ms = evloop_now_ms() - t0;
	g.sent = resolver_session_sent(s);
	resolver_session_free(s);
	return g;
}

/* zone - the result of the zone named name, or NULL */
static const struct dnsbl_zone_result *
zone(const struct dnsbl_result *r, const char *name)
{
	for (size_t i = 0; r != NULL && i < r->nzones; i++) {
		if (strcmp(r->zones[i].zone_name, name) == 0)
			return &r->zones[i];
	}
	return NULL;
}

static const char *
status(const struct dnsbl_zone_result *z)
{
	return z != NULL ? dnsbl_status_str(z->status) : "(no zone)";
}

/* has_finding - is there a finding with this code? */
static bool
has_finding(const struct dnsbl_result *r, const char *code)
{
	return r != NULL && findings_find(&r->findings, code) != NULL;
}

/* say - m in language lang; "" for NULL */
static const char *
say(struct env *e, struct arena *a, const char *lang, const struct texts_msg *m)
{
	if (m == NULL)
		return "";
	return texts_render(a, e->t, test_lang_of(texts_langs(e->t), lang), m);
}

/* A tally of sentences rendered, and the first one that is not. */
struct said {
	size_t n, bad;
	const char *first_bad;
};

/* said_one - m in both languages: never its bare id, no placeholder
 * left */
static void
said_one(struct env *e, struct arena *a, const struct texts_msg *m,
    struct said *t)
{
	static const char *const langs[] = { "en", "ru" };

	for (size_t l = 0; m != NULL && l < 2; l++) {
		const char *s = say(e, a, langs[l], m);

		t->n++;
		if (strncmp(s, "dnsbl.", 6) == 0 || strchr(s, '{') != NULL) {
			t->bad++;
			t->first_bad = s;
		}
	}
}

/* all_said - every sentence of a result renders in English and Russian */
static void
all_said(struct env *e, struct arena *a, const struct dnsbl_result *r,
    const char *what)
{
	struct said t = { 0, 0, NULL };

	for (size_t i = 0; i < r->nzones; i++) {
		const struct dnsbl_zone_result *z = &r->zones[i];

		said_one(e, a, z->detail, &t);
		said_one(e, a, z->note, &t);
		for (size_t k = 0; k < z->nhits; k++) {
			for (size_t j = 0; j < z->hits[k].nmeanings; j++)
				said_one(e, a, z->hits[k].meanings[j], &t);
		}
	}
	for (size_t i = 0; i < r->findings.n; i++)
		said_one(e, a, r->findings.v[i].msg, &t);
	CHECK(t.bad == 0 && t.n > 0,
	    "%s: all %zu sentences render in English and Russian%s%s", what,
	    t.n, t.first_bad != NULL ? "; not: " : "",
	    t.first_bad != NULL ? t.first_bad : "");
}

static void
test_zen_listed(struct env *e)
{
	struct arena *a = arena_new();
	struct dnsbl_query q = { .ip = "192.0.2.10" };
	const struct dnsbl_zone_result *z;
	struct got g;
	const char *s;

	dnsfix_reset_counts(e->fix);
	g = check(e, a, e->ship, NULL, &q, 3000, 100);
	if (!CHECK(g.calls == 1 && g.r != NULL, "ZEN listing: done once"))
		goto out;
	CHECK(g.r->listed && g.r->unchecked == NULL && !g.r->allowlisted,
	    "192.0.2.10 is listed");
	z = zone(g.r, "zen.spamhaus.org");
	if (CHECK(z != NULL && z->status == DNSBL_LISTED && z->nhits == 1,
	        "zen.spamhaus.org: listed (%s)", status(z))) {
		CHECK_STR(z->hits[0].code, "127.0.0.4", "with 127.0.0.4");
		CHECK(z->hits[0].nmeanings == 1 &&
		        texts_msg_is(z->hits[0].meanings[0],
		            "dnsbl.zone.zen.spamhaus.org.127.0.0.4"),
		    "its meaning is the config's text");
		CHECK_STR(z->txt,
		    "Listed by XBL, see "
		    "https://check.spamhaus.org/query/ip/192.0.2.10",
		    "the list's TXT reason");
		CHECK_STR(z->qname, "10.2.0.192.zen.spamhaus.org",
		    "the name asked");
		CHECK(z->zone->delist != NULL && !z->named,
		    "the delist URL is at hand; not named");
		CHECK(z->health == DNSBL_HEALTH_UNKNOWN &&
		        texts_msg_is(z->note, "dnsbl.health.unknown"),
		    "health unknown, and said");
		s = say(e, a, "en", z->hits[0].meanings[0]);
		CHECK(strncmp(s, "XBL: an exploited host", 22) == 0,
		    "meaning in English: %s", s);
		s = say(e, a, "ru", z->hits[0].meanings[0]);
		CHECK(strncmp(s, "XBL: взломанный узел", 24) == 0,
		    "meaning in Russian: %s", s);
	}
	CHECK(has_finding(g.r, "dnsbl_listed") && g.r->findings.n == 1,
	    "one finding: dnsbl_listed");
	if (g.r->findings.n > 0) {
		s = say(e, a, "en", g.r->findings.v[0].msg);
		CHECK_STR(s,
		    "192.0.2.10 is listed on Spamhaus ZEN (zen.spamhaus.org).",
		    "the finding in English");
		s = say(e, a, "ru", g.r->findings.v[0].msg);
		CHECK_STR(s,
		    "192.0.2.10 находится в списке Spamhaus ZEN "
		    "(zen.spamhaus.org).",
		    "the finding in Russian");
	}
	z = zone(g.r, "bl.spamcop.net");
	CHECK(z != NULL && z->status == DNSBL_NOT_LISTED && z->txt == NULL,
	    "bl.spamcop.net: not listed (%s)", status(z));
	z = zone(g.r, "dbl.spamhaus.org");
	CHECK(z != NULL && z->status == DNSBL_NOT_QUERIED &&
	        texts_msg_is(z->detail, "dnsbl.not_queried.no_domain"),
	    "a domain list without a domain: not queried, and why");
	z = zone(g.r, "dnsbl.sorbs.net");
	CHECK(z != NULL && z->status == DNSBL_NOT_QUERIED &&
	        texts_msg_is(z->detail, "dnsbl.not_queried.retired") &&
	        dnsfix_queries(e->fix, "10.2.0.192.dnsbl.sorbs.net", 0) == 0,
	    "the retired SORBS: not queried");
	z = zone(g.r, "list.dnswl.org");
	CHECK(z != NULL && z->status == DNSBL_NOT_LISTED,
	    "the allow list answered: not listed");
	CHECK(dnsfix_queries(e->fix, "10.2.0.192.zen.spamhaus.org",
	          DNSMSG_T_A) == 1 &&
	        dnsfix_queries(e->fix, "10.2.0.192.zen.spamhaus.org",
	            DNSMSG_T_TXT) == 1,
	    "ZEN: one A query, one TXT query");
	CHECK(dnsfix_queries(e->fix, NULL, DNSMSG_T_TXT) == 1,
	    "TXT is asked only where listed");
	all_said(e, a, g.r, "ZEN listing");

	/* again: every answer in the cache, done before dnsbl_start returns */
	g = check(e, a, e->ship, NULL, &q, 3000, 100);
	CHECK(g.calls == 1 && g.sync && g.r->listed,
	    "from a warm cache: done once, at once");
out:
	arena_free(a);
}

static void
test_not_listed_refused(struct env *e)
{
	struct arena *a = arena_new();
	struct dnsbl_query q = { .ip = "192.0.2.20" };
	const struct dnsbl_zone_result *z;
	struct got g;
	const char *s;

	g = check(e, a, e->ship, NULL, &q, 3000, 100);
	CHECK(g.calls == 1 && !g.r->listed && g.r->unchecked == NULL &&
	        g.r->findings.n == 0,
	    "192.0.2.20: not listed anywhere, no finding");
	z = zone(g.r, "zen.spamhaus.org");
	CHECK(z != NULL && z->status == DNSBL_NOT_LISTED && z->nhits == 0,
	    "ZEN: NXDOMAIN is not listed (%s)", status(z));

	q.ip = "192.0.2.30";
	g = check(e, a, e->ship, NULL, &q, 3000, 100);
	z = zone(g.r, "zen.spamhaus.org");
	CHECK(g.calls == 1 && !g.r->listed && g.r->unchecked == NULL,
	    "127.255.255.254 from ZEN never lists (listed %d)",
	    g.r != NULL && g.r->listed);
	if (CHECK(z != NULL && z->status == DNSBL_REFUSED && z->nhits == 1,
	        "ZEN: refused (%s)", status(z))) {
		CHECK_STR(z->hits[0].code, "127.255.255.254",
		    "the refusal code");
		CHECK(dnsfix_queries(e->fix, "30.2.0.192.zen.spamhaus.org",
		          DNSMSG_T_TXT) == 0,
		    "no TXT for a refusal");
		s = say(e, a, "en", z->detail);
		CHECK(strstr(s, "public or open resolver") != NULL &&
		        strstr(s, "a recursive resolver of your own") != NULL &&
		        strstr(s, "zone name") != NULL,
		    "reason and advice in English: %s", s);
		s = say(e, a, "ru", z->detail);
		CHECK(strstr(s, "публичный или открытый резолвер") != NULL &&
		        strstr(s, "собственный рекурсивный") != NULL,
		    "reason and advice in Russian: %s", s);
	}
	CHECK(!has_finding(g.r, "dnsbl_listed"), "a refusal is no finding");
	all_said(e, a, g.r, "ZEN refusal");
	arena_free(a);
}

static void
test_domains(struct env *e)
{
	struct arena *a = arena_new();
	struct dnsbl_query q = { .domain = "Refused.Example." };
	const struct dnsbl_zone_result *z;
	struct got g;

	g = check(e, a, e->ship, NULL, &q, 3000, 100);
	z = zone(g.r, "multi.uribl.com");
	CHECK(z != NULL && z->status == DNSBL_REFUSED && z->nhits == 1 &&
	        strcmp(z->hits[0].code, "127.0.0.1") == 0,
	    "URIBL's 127.0.0.1 (bit 1): refused (%s)", status(z));
	CHECK_STR(z != NULL ? z->qname : NULL,
	    "refused.example.multi.uribl.com", "asked lowercase, no dot");
	CHECK(!g.r->listed && g.r->unchecked == NULL,
	    "not listed; the DBL and SURBL answered");
	z = zone(g.r, "zen.spamhaus.org");
	CHECK(z != NULL && z->status == DNSBL_NOT_QUERIED &&
	        texts_msg_is(z->detail, "dnsbl.not_queried.no_ip"),
	    "an IP list without an IP: not queried");

	q.domain = "spammy.example";
	g = check(e, a, e->ship, NULL, &q, 3000, 100);
	CHECK(g.r->listed && g.r->findings.n == 2,
	    "spammy.example: listed twice");
	z = zone(g.r, "multi.uribl.com");
	if (CHECK(z != NULL && z->status == DNSBL_LISTED && z->nhits == 1 &&
	            z->hits[0].nmeanings == 2,
	        "URIBL bits 2+4: listed with two meanings (%s)", status(z))) {
		CHECK(texts_msg_is(z->hits[0].meanings[0],
		          "dnsbl.zone.multi.uribl.com.bit.2") &&
		        texts_msg_is(z->hits[0].meanings[1],
		            "dnsbl.zone.multi.uribl.com.bit.4"),
		    "black and grey");
		CHECK(z->txt != NULL && strlen(z->txt) <= DNSBL_MAX_TXT &&
		        strchr(z->txt, '\001') == NULL,
		    "a long TXT is cut to %d bytes, control characters gone "
		    "(%zu)",
		    DNSBL_MAX_TXT, z->txt != NULL ? strlen(z->txt) : 0);
	}
	z = zone(g.r, "dbl.spamhaus.org");
	CHECK(z != NULL && z->status == DNSBL_LISTED &&
	        strcmp(z->hits[0].code, "127.0.1.2") == 0,
	    "DBL: listed 127.0.1.2 (%s)", status(z));
	all_said(e, a, g.r, "domain lists");
	arena_free(a);
}

static void
test_ipv6_allow(struct env *e)
{
	struct arena *a = arena_new();
	struct dnsbl_query q = { .ip = "2001:db8::25" };
	const struct dnsbl_zone_result *z;
	struct got g;

	dnsfix_reset_counts(e->fix);
	g = check(e, a, e->ship, NULL, &q, 3000, 100);
	z = zone(g.r, "zen.spamhaus.org");
	CHECK(z != NULL && z->status == DNSBL_LISTED &&
	        strcmp(z->hits[0].code, "127.0.0.3") == 0,
	    "IPv6 on ZEN: listed by its nibble name (%s)", status(z));
	CHECK(dnsfix_queries(e->fix,
	          "5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0."
	          "0.2.zen.spamhaus.org",
	          DNSMSG_T_A) == 1,
	    "the 32 nibbles were asked");
	z = zone(g.r, "all.s5h.net");
	CHECK(z != NULL && z->status == DNSBL_NOT_LISTED,
	    "S5H takes IPv6 too (%s)", status(z));
	z = zone(g.r, "bl.spamcop.net");
	CHECK(z != NULL && z->status == DNSBL_NOT_QUERIED &&
	        texts_msg_is(z->detail, "dnsbl.not_queried.ipv6"),
	    "an IPv4-only list: not queried, and said");
	CHECK(dnsfix_queries(e->fix, NULL, DNSMSG_T_A) == 2,
	    "only the two IPv6 lists were asked (%lu)",
	    dnsfix_queries(e->fix, NULL, DNSMSG_T_A));
	all_said(e, a, g.r, "IPv6");

	q.ip = "192.0.2.40";
	g = check(e, a, e->ship, NULL, &q, 3000, 100);
	z = zone(g.r, "list.dnswl.org");
	CHECK(g.r->allowlisted && !g.r->listed &&
	        has_finding(g.r, "dnsbl_allowlisted") &&
	        !has_finding(g.r, "dnsbl_listed"),
	    "on the allow list: allowlisted, not listed");
	CHECK(z != NULL && z->status == DNSBL_LISTED && z->nhits == 1 &&
	        z->hits[0].nmeanings == 2,
	    "127.0.10.3: a category and a trust level");
	all_said(e, a, g.r, "allow list");

	q.ip = "10.1.2.3";
	dnsfix_reset_counts(e->fix);
	g = check(e, a, e->ship, NULL, &q, 3000, 100);
	z = zone(g.r, "zen.spamhaus.org");
	CHECK(g.calls == 1 && g.sync &&
	        texts_msg_is(g.r->unchecked, "dnsbl.unchecked.nothing") &&
	        z != NULL &&
	        texts_msg_is(z->detail, "dnsbl.not_queried.reserved"),
	    "a private address: nothing asked, unchecked, and why");
	CHECK(dnsfix_queries(e->fix, NULL, 0) == 0, "no query sent");
	arena_free(a);
}

static void
test_named(struct env *e)
{
	static const char *const named[] = { "zen.spamhaus.org",
		"abl.masterhost.ru", "ZEN.SPAMHAUS.ORG.", "bl.spamcop.net",
		"not a zone" };
	struct arena *a = arena_new();
	struct dnsbl_query q = { .ip = "192.0.2.10",
		.named = named,
		.nnamed = 5 };
	const struct dnsbl_zone_result *z;
	struct got g;
	const char *s;

	dnsfix_reset_counts(e->fix);
	g = check(e, a, e->ship, NULL, &q, 3000, 100);
	CHECK(g.r->nzones == dnsbl_config_count(e->ship) + 1,
	    "one more entry: the unknown zone, once (%zu)", g.r->nzones);
	z = zone(g.r, "zen.spamhaus.org");
	CHECK(z != NULL && z->named && z->status == DNSBL_LISTED,
	    "ZEN, named by the bounce, lists it");
	CHECK(has_finding(g.r, "dnsbl_listed") &&
	        has_finding(g.r, "dnsbl_named_not_listed"),
	    "listed where named; named SpamCop does not list it now");
	for (size_t i = 0; i < g.r->findings.n; i++) {
		if (strcmp(g.r->findings.v[i].code, "dnsbl_listed") != 0)
			continue;
		s = say(e, a, "en", g.r->findings.v[i].msg);
		CHECK(strstr(s, "the list the bounce names") != NULL,
		    "the finding says the bounce names it: %s", s);
	}
	z = zone(g.r, "abl.masterhost.ru");
	CHECK(z != NULL && z->zone == NULL &&
	        z->status == DNSBL_NOT_CONFIGURED && z->named &&
	        texts_msg_is(z->detail, "dnsbl.not_configured"),
	    "abl.masterhost.ru: not configured (%s)", status(z));
	CHECK(dnsfix_queries(e->fix, "10.2.0.192.abl.masterhost.ru", 0) == 0,
	    "an unknown zone is never asked");
	if (z != NULL) {
		s = say(e, a, "ru", z->detail);
		CHECK(strstr(s, "abl.masterhost.ru") != NULL &&
		        strstr(s, "не запрашивался") != NULL,
		    "said in Russian: %s", s);
	}
	all_said(e, a, g.r, "named zones");
	arena_free(a);
}

struct summed {
	struct evloop *loop;
	bool in_loop;
	int calls;
	const struct texts_msg *summary;
};

/* summed_done - check_done_fn: keep the summary */
static void
summed_done(void *arg, const struct check_result *r)
{
	struct summed *s = arg;

	s->calls++;
	s->summary = r->summary;
	if (s->in_loop)
		evloop_stop(s->loop);
}

/* summary - the check of a diagnosis (check_dnsbl.c) about ip and
 * domain, the bounce naming named: its summary in English */
static const char *
summary(struct env *e, struct arena *a, const char *ip, const char *domain,
    const char *named)
{
	static const struct diag_result why = { 0 };
	const struct check_env cenv = { NULL, e->ship, NULL };
	const char *lists[1] = { named };
	struct summed s = { .loop = e->loop };
	struct check_in in = { .env = &cenv,
		.why = &why,
		.sending_ip = ip,
		.domain = domain,
		.lists = lists,
		.nlists = named != NULL ? 1 : 0,
		.a = a };

	in.session =
	    resolver_session_new(e->res, a, evloop_now_ms() + 3000, 100);
	(void)check_dnsbl_kind.start(&in, summed_done, &s);
	if (s.calls == 0) {
		s.in_loop = true;
		(void)evloop_run_for(e->loop, 10000);
	}
	resolver_session_free(in.session);
	CHECK(s.calls == 1, "the check is done once (%d)", s.calls);
	return say(e, a, "en", s.summary);
}

/* The summary says of each target what the lists asked about it say:
 * a listed domain is not said of the address, nor the other way. */
static void
test_summary_targets(struct env *e)
{
	struct arena *a = arena_new();
	const char *s;

	s = summary(e, a, "192.0.2.99", "spammy.example", NULL);
	CHECK(strstr(s,
	          "claim holds now: spammy.example is listed on 2 "
	          "blocklists (dbl.spamhaus.org, multi.uribl.com)") != NULL &&
	        strstr(s, "192.0.2.99") == NULL,
	    "only the domain is listed: the summary says so: %s", s);
	s = summary(e, a, "192.0.2.10", "spammy.example", NULL);
	CHECK(strstr(s,
	          "claim holds now: 192.0.2.10 is listed on "
	          "zen.spamhaus.org.") != NULL,
	    "the address is listed: the summary is about it: %s", s);
	s = summary(e, a, "192.0.2.99", "clean.example", "dbl.spamhaus.org");
	CHECK(strstr(s, "but clean.example is not listed there now") != NULL,
	    "the named domain list does not list the domain now: %s", s);
	s = summary(e, a, "192.0.2.99", "clean.example", NULL);
	CHECK(strstr(s, "192.0.2.99 is on none of the") != NULL,
	    "nothing listed: said of the address: %s", s);
	arena_free(a);
}

static void
test_partial(struct env *e)
{
	struct arena *a = arena_new();
	struct dnsbl_query q = { .ip = "192.0.2.50" };
	const struct dnsbl_zone_result *z;
	struct dnsfix_behaviour slow = { .delay_ms = 2000 };
	struct got g;

	g = check(e, a, e->own, NULL, &q, 3000, 100);
	CHECK(g.calls == 1 && g.r->listed && g.r->unchecked == NULL,
	    "a zone times out, the others answer: listed, checked");
	z = zone(g.r, "slow.bl.example");
	CHECK(z != NULL && z->status == DNSBL_TIMEOUT && z->nhits == 0 &&
	        texts_msg_is(z->detail, "dns.unchecked.timeout"),
	    "the slow zone: timeout, neither listed nor not (%s)", status(z));
	z = zone(g.r, "a.bl.example");
	CHECK(z != NULL && z->status == DNSBL_LISTED, "list A: listed (%s)",
	    status(z));
	z = zone(g.r, "wild.bl.example");
	CHECK(z != NULL && z->status == DNSBL_REFUSED && z->nhits == 1 &&
	        strcmp(z->hits[0].code, "198.51.100.7") == 0 &&
	        z->hits[0].nmeanings == 1 &&
	        texts_msg_is(z->hits[0].meanings[0],
	            "dnsbl.refused.not_blocklist"),
	    "an answer outside 127/8: refused, not a blocklist answer (%s)",
	    status(z));
	CHECK(g.took_ms < 2000, "the timeout costs one try, not more (%llu ms)",
	    (unsigned long long)g.took_ms);
	all_said(e, a, g.r, "partial");

	/* the deadline before any answer */
	dnsfix_set_behaviour(e->fix, &slow);
	q.ip = "192.0.2.99";
	g = check(e, a, e->own, NULL, &q, 200, 100);
	dnsfix_set_behaviour(e->fix, NULL);
	CHECK(g.calls == 1 && !g.r->listed &&
	        texts_msg_is(g.r->unchecked, "dns.unchecked.deadline"),
	    "deadline before any answer: unchecked, the deadline passed");
	CHECK(g.took_ms < 1000, "done at the deadline (%llu ms)",
	    (unsigned long long)g.took_ms);
	z = zone(g.r, "a.bl.example");
	CHECK(z != NULL && z->status == DNSBL_TIMEOUT,
	    "every zone: timeout (%s)", status(z));
	arena_free(a);
}

static void
test_many(struct env *e)
{
	struct arena *a = arena_new();
	struct dnsbl_query q = { .ip = "192.0.2.60" };
	struct dnsfix_behaviour slow = { .delay_ms = 300 };
	struct got g;
	size_t listed = 0, failed = 0;

	dnsfix_reset_counts(e->fix);
	dnsfix_set_behaviour(e->fix, &slow);
	g = check(e, a, e->many, NULL, &q, 5000, 300);
	dnsfix_set_behaviour(e->fix, NULL);
	for (size_t i = 0; g.r != NULL && i < g.r->nzones; i++)
		listed += g.r->zones[i].status == DNSBL_LISTED;
	CHECK(g.calls == 1 && listed == NMANY,
	    "%d zones, each answering after 300 ms: all listed (%zu)", NMANY,
	    listed);
	CHECK(g.took_ms < 1500,
	    "asked in parallel: %llu ms (one after another: %d s)",
	    (unsigned long long)g.took_ms, NMANY * 3 / 10 * 2);
	CHECK(dnsfix_queries(e->fix, NULL, DNSMSG_T_A) == NMANY,
	    "one A query per zone (%lu)",
	    dnsfix_queries(e->fix, NULL, DNSMSG_T_A));

	/* the session's budget bounds the queries */
	q.ip = "192.0.2.61";
	listed = 0;
	g = check(e, a, e->many, NULL, &q, 5000, 40);
	for (size_t i = 0; g.r != NULL && i < g.r->nzones; i++) {
		listed += g.r->zones[i].status == DNSBL_LISTED;
		failed += g.r->zones[i].status == DNSBL_ERROR &&
		    texts_msg_is(g.r->zones[i].detail, "dns.unchecked.budget");
	}
	CHECK(g.calls == 1 && g.sent <= 40 && listed == 40 &&
	        failed == NMANY - 40 && g.r->unchecked == NULL,
	    "a budget of 40: %u sent, %zu listed, %zu not checked (budget)",
	    g.sent, listed, failed);
	arena_free(a);
}

static void
health_round(void *arg, const struct dnsbl_health *h)
{
	(void)h;
	evloop_stop(arg);
}

/* state - zone i's health state */
static enum dnsbl_health_state
state(const struct dnsbl_health *h, size_t i)
{
	return dnsbl_health_zone(h, i)->state;
}

/* why_is - is zone i unhealthy because of id? */
static bool
why_is(const struct dnsbl_health *h, size_t i, const char *id)
{
	return state(h, i) == DNSBL_HEALTH_UNHEALTHY &&
	    texts_msg_is(dnsbl_health_zone(h, i)->why, id);
}

static void
test_health(struct env *e)
{
	struct dnsbl_health_opts o = { .interval_ms = 3600000,
		.deadline_ms = 2000,
		.round_done = health_round,
		.arg = e->loop };
	struct dnsbl_health *h = dnsbl_health_new(e->loop, e->res, e->own, &o);
	struct dnsbl_health_counts n;
	struct dnsfix_zone *z;
	struct arena *a = arena_new();
	struct dnsbl_query q = { .ip = "192.0.2.51" };
	const struct dnsbl_zone_result *r;
	struct got g;
	uint64_t t0 = evloop_now_ms();
	const char *s;

	dnsbl_health_start(h);
	dnsbl_health_counts(h, &n);
	CHECK(evloop_now_ms() - t0 < 100 && n.rounds == 0 && n.unknown == 6 &&
	        n.untested == 1,
	    "start-up does not wait: every zone unknown (%zu), one untested",
	    n.unknown);
	CHECK(evloop_run_for(e->loop, 5000), "the first round ends");
	dnsbl_health_counts(h, &n);
	CHECK(n.rounds == 1 && n.healthy == 1 && n.unhealthy == 4 &&
	        n.unknown == 1 && n.untested == 1,
	    "1 healthy, 4 unhealthy, 1 unknown, 1 untested (%zu %zu %zu %zu)",
	    n.healthy, n.unhealthy, n.unknown, n.untested);
	CHECK(state(h, OWN_GOOD) == DNSBL_HEALTH_HEALTHY &&
	        dnsbl_health_zone(h, OWN_GOOD)->tested_ms > 0,
	    "good: 127.0.0.2 listed, 127.0.0.1 not: healthy");
	CHECK(why_is(h, OWN_A, "dnsbl.health.listed"),
	    "A lists 127.0.0.1: unhealthy");
	CHECK(why_is(h, OWN_WILD, "dnsbl.health.refused"),
	    "wild answers outside 127/8: unhealthy");
	CHECK(why_is(h, OWN_SICK, "dnsbl.health.refused"),
	    "sick refuses (127.255.255.254): unhealthy");
	CHECK(why_is(h, OWN_GONE, "dnsbl.health.not_listed"),
	    "gone does not list 127.0.0.2: unhealthy");
	CHECK(state(h, OWN_SLOW) == DNSBL_HEALTH_UNKNOWN &&
	        dnsbl_health_zone(h, OWN_SLOW)->inconclusive == 1,
	    "slow does not answer: still unknown");
	CHECK(state(h, OWN_QUIET) == DNSBL_HEALTH_UNTESTED,
	    "quiet has no test entries: untested");
	s = say(e, a, "en", dnsbl_health_zone(h, OWN_A)->why);
	CHECK(strstr(s, "127.0.0.1") != NULL, "why, in English: %s", s);
	s = say(e, a, "ru", dnsbl_health_zone(h, OWN_GONE)->why);
	CHECK(strstr(s, "127.0.0.2") != NULL && strstr(s, "нет") != NULL,
	    "why, in Russian: %s", s);

	/* the check trusts no unhealthy zone, and does not ask it */
	dnsfix_reset_counts(e->fix);
	g = check(e, a, e->own, h, &q, 3000, 100);
	r = zone(g.r, "a.bl.example");
	CHECK(g.calls == 1 && !g.r->listed,
	    "A would list 192.0.2.51, but A is unhealthy: not listed");
	CHECK(r != NULL && r->status == DNSBL_UNHEALTHY && r->qname == NULL &&
	        dnsfix_queries(e->fix, "51.2.0.192.a.bl.example", 0) == 0,
	    "A: unhealthy, not asked (%s)", status(r));
	if (r != NULL) {
		s = say(e, a, "en", r->detail);
		CHECK(strstr(s, "List A failed its self-test") != NULL &&
		        strstr(s, "127.0.0.1") != NULL,
		    "and why: %s", s);
	}
	r = zone(g.r, "good.bl.example");
	CHECK(r != NULL && r->status == DNSBL_NOT_LISTED && r->note == NULL &&
	        r->health == DNSBL_HEALTH_HEALTHY,
	    "good: asked, healthy, no note");
	r = zone(g.r, "slow.bl.example");
	CHECK(r != NULL && r->status == DNSBL_TIMEOUT &&
	        texts_msg_is(r->note, "dnsbl.health.unknown"),
	    "slow: asked though its health is unknown, and said");
	r = zone(g.r, "quiet.bl.example");
	CHECK(r != NULL && r->status == DNSBL_NOT_LISTED && r->note == NULL,
	    "quiet (untested): asked, no note");
	CHECK(g.r->unchecked == NULL, "two healthy answers: checked");
	all_said(e, a, g.r, "unhealthy zones");

	/* a second round: sick recovered; good's test gets no answer */
	z = zone_all(true);
	dnsfix_set_zone(e->fix, &z);
	dnsbl_health_stop(h);
	dnsbl_health_start(h);
	CHECK(evloop_run_for(e->loop, 5000), "the second round ends");
	dnsbl_health_counts(h, &n);
	CHECK(n.rounds == 2 && state(h, OWN_SICK) == DNSBL_HEALTH_HEALTHY &&
	        dnsbl_health_zone(h, OWN_SICK)->why == NULL,
	    "sick lists 127.0.0.2 again: healthy");
	CHECK(state(h, OWN_GOOD) == DNSBL_HEALTH_HEALTHY &&
	        dnsbl_health_zone(h, OWN_GOOD)->inconclusive == 1 &&
	        dnsbl_health_zone(h, OWN_GOOD)->passed == 1,
	    "good's test unanswered: the state stays healthy");
	CHECK(why_is(h, OWN_A, "dnsbl.health.listed"),
	    "A: still unhealthy, the reason kept");
	dnsbl_health_stop(h);

	/* stop drops a round in flight; free after stop is clean */
	dnsbl_health_start(h);
	dnsbl_health_stop(h);
	dnsbl_health_counts(h, &n);
	CHECK(n.rounds == 2, "a dropped round changes nothing");
	dnsbl_health_free(h);
	CHECK_STR(dnsbl_health_state_str(DNSBL_HEALTH_UNTESTED), "untested",
	    "state names");
	arena_free(a);
}

static void
test_nothing(struct env *e)
{
	struct arena *a = arena_new();
	struct dnsbl_query q = { 0 };
	struct got g;

	g = check(e, a, e->ship, NULL, &q, 3000, 100);
	CHECK(g.calls == 1 && g.sync && !g.r->listed &&
	        texts_msg_is(g.r->unchecked, "dnsbl.unchecked.nothing"),
	    "no address, no domain: unchecked at once");
	arena_free(a);
}

int
main(void)
{
	struct env e;

	if (env_init(&e) == -1)
		return test_done();
	test_zen_listed(&e);
	test_not_listed_refused(&e);
	test_domains(&e);
	test_ipv6_allow(&e);
	test_named(&e);
	test_summary_targets(&e);
	test_partial(&e);
	test_many(&e);
	test_health(&e);
	test_nothing(&e);
	resolver_free(e.res);
	dnsfix_free(e.fix);
	evloop_free(e.loop);
	dnsbl_config_free(e.many);
	dnsbl_config_free(e.own);
	dnsbl_config_free(e.ship);
	texts_free(e.t);
	return test_done();
}
