/* SPDX-License-Identifier: MIT */
/*
 * spf_bench.c - live SPF evaluations per second, and one cold evaluation
 *
 * Runs check_host() through the service's real path: spfcheck_start over
 * a resolver session, the resolver's cache and c-ares, against the
 * fixture DNS server (server/tests/dnsfix.h) on 127.0.0.1, all on one
 * event loop in one thread.
 * - warm: example.com (an ESP-like include tree, mx, ~ip4, -all) once per
 *   client address to fill the cache, then N evaluations per address,
 *   each with a new arena and resolver session as a request has; prints
 *   the rate per path and overall, and the queries that reached the
 *   fixture meanwhile (0: everything came from the cache).
 * - cold: cold.example, an include tree of 3 levels with a: terms in the
 *   leaves, every answer delayed by BENCH_DELAY_MS, a fresh resolver
 *   (empty cache) per round; prints the wall time of one evaluation,
 *   the queries, how many went out per round trip, and the two bounds:
 *   the dependency chain (answers that must come one after the other)
 *   and one query at a time.
 * Usage: build/bench/spf_bench [N]   (N evaluations per warm address)
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "dnsfix.h"
#include "evloop.h"
#include "resolver.h"
#include "spf.h"
#include "spfcheck.h"

#define BENCH_N_DEFAULT   20000
#define BENCH_COLD_ROUNDS 5
#define BENCH_DELAY_MS    50
#define BENCH_DEADLINE_MS 5000 /* the service's checks deadline */
#define BENCH_BUDGET      100  /* and DNS budget per request */
#define BENCH_SAFETY_MS   10000
#define BENCH_MAX_SAMPLES 64
#define BENCH_NOW         1764288000 /* %{t}, fixed */

/* A record of the fixture zone; pref is the MX preference. */
struct bench_rr {
	uint16_t type;
	const char *name;
	const char *value;
	uint16_t pref;
};

/* An ESP-like sender domain: own range, two include trees, mx, a
 * softfailed range, -all. 7 DNS terms (RFC 7208 §4.6.4). */
static const struct bench_rr bench_warm_zone[] = {
	{ DNSMSG_T_TXT, "example.com",
	    "v=spf1 ip4:192.0.2.0/24 include:_spf.a.example "
	    "include:_spf.b.example mx ~ip4:198.18.0.0/15 -all",
	    0 },
	{ DNSMSG_T_MX, "example.com", "mx1.example.com", 10 },
	{ DNSMSG_T_MX, "example.com", "mx2.example.com", 20 },
	{ DNSMSG_T_A, "example.com", "192.0.2.1", 0 },
	{ DNSMSG_T_A, "mx1.example.com", "203.0.113.200", 0 },
	{ DNSMSG_T_A, "mx2.example.com", "203.0.113.201", 0 },
	{ DNSMSG_T_TXT, "_spf.a.example",
	    "v=spf1 ip4:198.51.100.0/26 ip4:198.51.100.64/26 "
	    "ip6:2001:db8:a::/48 include:_spf1.a.example "
	    "include:_spf2.a.example ~all",
	    0 },
	{ DNSMSG_T_TXT, "_spf1.a.example",
	    "v=spf1 ip4:198.51.100.128/27 ip4:198.51.100.160/27 "
	    "ip6:2001:db8:a1::/48 ~all",
	    0 },
	{ DNSMSG_T_TXT, "_spf2.a.example",
	    "v=spf1 ip4:198.51.100.192/27 a:relay.a.example ~all", 0 },
	{ DNSMSG_T_A, "relay.a.example", "198.51.100.250", 0 },
	{ DNSMSG_T_TXT, "_spf.b.example",
	    "v=spf1 ip4:203.0.113.0/26 include:_spf1.b.example ?all", 0 },
	{ DNSMSG_T_TXT, "_spf1.b.example",
	    "v=spf1 ip4:203.0.113.64/27 ip6:2001:db8:b1::/48 -all", 0 },
};

/* cold.example → a, b; a → a1, a2; b → b1; a1 and b1 end in a: terms.
 * The answers that must come one after the other: TXT cold.example,
 * TXT a, TXT a1, A mail.a1 (4); queries in all: 6 TXT and 2 A. */
static const struct bench_rr bench_cold_zone[] = {
	{ DNSMSG_T_TXT, "cold.example",
	    "v=spf1 include:a.cold.example include:b.cold.example -all", 0 },
	{ DNSMSG_T_TXT, "a.cold.example",
	    "v=spf1 include:a1.cold.example include:a2.cold.example ~all", 0 },
	{ DNSMSG_T_TXT, "b.cold.example", "v=spf1 include:b1.cold.example ~all",
	    0 },
	{ DNSMSG_T_TXT, "a1.cold.example",
	    "v=spf1 ip4:192.0.2.0/25 a:mail.a1.cold.example ~all", 0 },
	{ DNSMSG_T_TXT, "a2.cold.example", "v=spf1 ip4:198.51.100.0/25 ~all",
	    0 },
	{ DNSMSG_T_TXT, "b1.cold.example",
	    "v=spf1 a:out.b1.cold.example ip4:203.0.113.0/25 ~all", 0 },
	{ DNSMSG_T_A, "mail.a1.cold.example", "192.0.2.200", 0 },
	{ DNSMSG_T_A, "out.b1.cold.example", "203.0.113.200", 0 },
};

#define BENCH_COLD_LEVELS  3 /* of TXT records */
#define BENCH_COLD_CHAIN   4 /* answers one after the other */
#define BENCH_COLD_QUERIES 8

struct bench_client {
	const char *what;
	const char *ip;
	enum spf_result want;
};

static const struct bench_client bench_clients[] = {
	{ "pass ip4 (top record)", "192.0.2.10", SPF_PASS },
	{ "pass include (3rd level, last)", "203.0.113.70", SPF_PASS },
	{ "pass mx", "203.0.113.201", SPF_PASS },
	{ "softfail ~ip4", "198.18.7.7", SPF_SOFTFAIL },
	{ "fail -all", "203.0.113.99", SPF_FAIL },
};

#define BENCH_NCLIENTS (sizeof(bench_clients) / sizeof(bench_clients[0]))

/* One evaluation's end, filled by bench_done. */
struct bench_run {
	struct evloop *loop;
	bool in_loop; /* evloop_run is waiting for us */
	bool done;
	bool checked; /* unchecked was NULL */
	enum spf_result result;
	unsigned terms;   /* DNS terms counted */
	unsigned answers; /* answers the check needed (spfcheck_queries) */
};

/* What the cold round's sampler saw: queries at the fixture in the
 * middle of each round trip. */
struct bench_sampler {
	struct evloop *loop;
	const struct dnsfix *fix;
	struct evloop_timer *timer;
	uint64_t start_ms;
	unsigned long at[BENCH_MAX_SAMPLES];
	size_t n;
};

static void
bench_die(const char *what)
{
	(void)fprintf(stderr, "spf_bench: %s\n", what);
	exit(1);
}

static void
bench_zone_add(struct dnsfix_zone *z, const struct bench_rr *rr, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int rc = -1;

		switch (rr[i].type) {
		case DNSMSG_T_TXT:
			rc = dnsfix_add_txt(z, rr[i].name, DNSFIX_TTL,
			    rr[i].value);
			break;
		case DNSMSG_T_A:
			rc = dnsfix_add_a(z, rr[i].name, DNSFIX_TTL,
			    rr[i].value);
			break;
		case DNSMSG_T_MX:
			rc = dnsfix_add_mx(z, rr[i].name, DNSFIX_TTL,
			    rr[i].pref, rr[i].value);
			break;
		default:
			break;
		}
		if (rc == -1) {
			(void)fprintf(stderr, "spf_bench: bad record %s\n",
			    rr[i].name);
			exit(1);
		}
	}
}

static void
bench_done(void *arg, const struct spfcheck_result *res)
{
	struct bench_run *r = arg;
	const struct spf_outcome *o = res->o;

	r->done = true;
	r->checked = res->unchecked == NULL;
	r->result = o->result;
	r->terms = o->lookups;
	if (r->in_loop)
		evloop_stop(r->loop);
}

/* bench_eval - one check as a request runs it: its own arena and session */
static void
bench_eval(struct evloop *loop, struct resolver *res, const struct spf_query *q,
    struct bench_run *r)
{
	struct arena *a = arena_new();
	struct resolver_session *s = resolver_session_new(res, a,
	    evloop_now_ms() + BENCH_DEADLINE_MS, BENCH_BUDGET);
	struct spfcheck *c;

	*r = (struct bench_run){ .loop = loop };
	c = spfcheck_start(s, a, q, NULL, bench_done, r);
	if (!r->done) {
		r->in_loop = true;
		(void)evloop_run_for(loop, BENCH_SAFETY_MS);
		r->in_loop = false;
	}
	r->answers = spfcheck_queries(c);
	resolver_session_free(s);
	arena_free(a);
	if (!r->done)
		bench_die("an evaluation did not end");
}

static struct resolver *
bench_resolver(struct evloop *loop, const struct dnsfix *fix)
{
	char servers[64];
	struct resolver_config rc;
	const char *err = NULL;
	struct resolver *res;

	(void)snprintf(servers, sizeof(servers), "127.0.0.1:%u",
	    (unsigned)dnsfix_port(fix));
	rc = (struct resolver_config){ servers, 1500, 2 };
	res = resolver_new(loop, &rc, &err);
	if (res == NULL)
		bench_die(err != NULL ? err : "resolver_new failed");
	return res;
}

static struct spf_query
bench_query(const char *ip, const char *sender)
{
	return (struct spf_query){ .ip = ip,
		.sender = sender,
		.helo = "mail.sender.example",
		.receiver = "bouncedoc.example",
		.now = BENCH_NOW };
}

static void
bench_sample(struct evloop *loop, void *arg)
{
	struct bench_sampler *sp = arg;
	uint64_t next, now;

	sp->timer = NULL;
	if (sp->n == BENCH_MAX_SAMPLES)
		return;
	sp->at[sp->n++] = dnsfix_queries(sp->fix, NULL, 0);
	/* the middle of the next round trip */
	next = sp->start_ms + BENCH_DELAY_MS / 2 + sp->n * BENCH_DELAY_MS;
	now = evloop_now_ms();
	sp->timer = evloop_timer_add(loop, next > now ? next - now : 0,
	    bench_sample, sp);
}

/* bench_waves - queries per round trip from the samples; returns how
 * many round trips sent something */
static size_t
bench_waves(const struct bench_sampler *sp, unsigned long *waves)
{
	unsigned long prev = 0;
	size_t n = 0;

	for (size_t i = 0; i < sp->n; i++) {
		waves[i] = sp->at[i] - prev;
		prev = sp->at[i];
		if (waves[i] > 0)
			n = i + 1;
	}
	return n;
}

static int
bench_cmp_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return a < b ? -1 : a > b;
}

static void
bench_warm(struct evloop *loop, struct dnsfix *fix, unsigned long n)
{
	struct resolver *res = bench_resolver(loop, fix);
	struct spf_query q[BENCH_NCLIENTS];
	struct bench_run r;
	unsigned long fill, warm;
	uint64_t total_us = 0;

	for (size_t i = 0; i < BENCH_NCLIENTS; i++) {
		q[i] = bench_query(bench_clients[i].ip, "bounces@example.com");
		bench_eval(loop, res, &q[i], &r);
		if (!r.checked || r.result != bench_clients[i].want) {
			(void)fprintf(stderr, "spf_bench: %s %s gave %s\n",
			    bench_clients[i].what, bench_clients[i].ip,
			    spf_result_str(r.result));
			exit(1);
		}
	}
	fill = dnsfix_queries(fix, NULL, 0);
	dnsfix_reset_counts(fix);
	(void)printf("warm: example.com (%u DNS terms), %lu evaluations per "
	             "address, new arena and session each\n",
	    r.terms, n);
	for (size_t i = 0; i < BENCH_NCLIENTS; i++) {
		uint64_t t0 = evloop_now_us(), us;

		for (unsigned long k = 0; k < n; k++) {
			bench_eval(loop, res, &q[i], &r);
			if (!r.checked || r.result != bench_clients[i].want)
				bench_die("a warm evaluation changed result");
		}
		us = evloop_now_us() - t0;
		total_us += us;
		(void)printf("warm %s %s: %s, %u answers, %.0f/s, %.2f us "
		             "each\n",
		    bench_clients[i].what, bench_clients[i].ip,
		    spf_result_str(r.result), r.answers,
		    (double)n * 1e6 / (double)us, (double)us / (double)n);
	}
	(void)printf("warm all paths: %.0f/s, %.2f us each\n",
	    (double)n * BENCH_NCLIENTS * 1e6 / (double)total_us,
	    (double)total_us / ((double)n * BENCH_NCLIENTS));
	warm = dnsfix_queries(fix, NULL, 0);
	(void)printf("warm queries to the fixture: %lu (the cache was filled "
	             "by %lu)\n",
	    warm, fill);
	resolver_free(res);
	if (warm != 0)
		bench_die("warm evaluations reached the DNS server");
}

static void
bench_cold(struct evloop *loop, struct dnsfix *fix)
{
	const struct dnsfix_behaviour slow = { .delay_ms = BENCH_DELAY_MS };
	struct spf_query q = bench_query("198.18.0.1", "bounces@cold.example");
	uint64_t wall[BENCH_COLD_ROUNDS];
	unsigned long waves[BENCH_MAX_SAMPLES], first[BENCH_MAX_SAMPLES];
	size_t nfirst = 0, alike = 0;
	unsigned long queries = 0;
	uint64_t sent = 0;
	struct bench_run r = { 0 };

	dnsfix_set_behaviour(fix, &slow);
	for (int round = 0; round < BENCH_COLD_ROUNDS; round++) {
		struct resolver *res = bench_resolver(loop, fix);
		struct bench_sampler sp = { .loop = loop, .fix = fix };
		uint64_t t0;
		size_t nw;

		dnsfix_reset_counts(fix);
		sp.start_ms = evloop_now_ms();
		sp.timer = evloop_timer_add(loop, BENCH_DELAY_MS / 2,
		    bench_sample, &sp);
		t0 = evloop_now_us();
		bench_eval(loop, res, &q, &r);
		wall[round] = evloop_now_us() - t0;
		evloop_timer_cancel(loop, sp.timer);
		if (!r.checked || r.result != SPF_FAIL)
			bench_die("the cold evaluation did not fail as it "
			          "should");
		nw = bench_waves(&sp, waves);
		if (round == 0) {
			nfirst = nw;
			memcpy(first, waves, nw * sizeof(waves[0]));
		}
		if (nw == nfirst &&
		    memcmp(first, waves, nw * sizeof(waves[0])) == 0)
			alike++;
		queries = dnsfix_queries(fix, NULL, 0);
		sent = resolver_counters(res)->sent;
		resolver_free(res);
	}
	dnsfix_set_behaviour(fix, NULL);
	qsort(wall, BENCH_COLD_ROUNDS, sizeof(wall[0]), bench_cmp_u64);
	(void)printf("cold: cold.example, includes %d levels deep, a: terms in "
	             "the leaves, every answer %d ms late, empty cache, "
	             "%d rounds\n",
	    BENCH_COLD_LEVELS, BENCH_DELAY_MS, BENCH_COLD_ROUNDS);
	(void)printf("cold result: %s (%u DNS terms)\n",
	    spf_result_str(r.result), r.terms);
	(void)printf("cold evaluation: median %.1f ms, min %.1f ms, max %.1f "
	             "ms\n",
	    (double)wall[BENCH_COLD_ROUNDS / 2] / 1e3, (double)wall[0] / 1e3,
	    (double)wall[BENCH_COLD_ROUNDS - 1] / 1e3);
	(void)printf("cold DNS queries: %lu at the fixture, %llu sent by the "
	             "resolver\n",
	    queries, (unsigned long long)sent);
	(void)printf("cold queries per round trip:");
	for (size_t i = 0; i < nfirst; i++)
		(void)printf(" %lu", first[i]);
	(void)printf(" (%zu round trips; %zu of %d rounds alike)\n", nfirst,
	    alike, BENCH_COLD_ROUNDS);
	(void)printf("cold bound, %d answers that depend on each other: %d "
	             "ms\n",
	    BENCH_COLD_CHAIN, BENCH_COLD_CHAIN * BENCH_DELAY_MS);
	(void)printf("cold bound, one query at a time: %d x %d ms = %d ms\n",
	    BENCH_COLD_QUERIES, BENCH_DELAY_MS,
	    BENCH_COLD_QUERIES * BENCH_DELAY_MS);
}

int
main(int argc, char **argv)
{
	unsigned long n = BENCH_N_DEFAULT;
	struct evloop *loop;
	struct dnsfix *fix;
	struct dnsfix_zone *z;
	char *err = NULL;

	if (argc > 1) {
		char *end;

		n = strtoul(argv[1], &end, 10);
		if (*end != '\0' || n == 0) {
			(void)fprintf(stderr, "usage: %s [N]\n", argv[0]);
			return 2;
		}
	}
	loop = evloop_new();
	fix = dnsfix_new(loop, "127.0.0.1", 0, &err);
	if (fix == NULL) {
		(void)fprintf(stderr, "spf_bench: fixture DNS server: %s\n",
		    err != NULL ? err : "?");
		free(err);
		return 1;
	}
	z = dnsfix_zone_new();
	bench_zone_add(z, bench_warm_zone,
	    sizeof(bench_warm_zone) / sizeof(bench_warm_zone[0]));
	bench_zone_add(z, bench_cold_zone,
	    sizeof(bench_cold_zone) / sizeof(bench_cold_zone[0]));
	dnsfix_set_zone(fix, &z);
	bench_warm(loop, fix, n);
	bench_cold(loop, fix);
	dnsfix_free(fix);
	evloop_free(loop);
	return 0;
}
