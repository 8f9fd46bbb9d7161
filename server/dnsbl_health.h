/* SPDX-License-Identifier: MIT */
/*
 * dnsbl_health.h - does each blocklist zone still answer as a blocklist?
 *
 * A list whose domain lapsed, a resolver that rewrites NXDOMAIN, or a
 * list that refuses our resolver (Spamhaus and URIBL refuse public
 * resolvers) would make every check say "listed" or say nothing true.
 * RFC 5782 §5 gives each list test entries: IPv4 lists must list
 * 127.0.0.2 and must not list 127.0.0.1; domain lists must list "test"
 * and must not list "invalid" (the zone's own entries come from the
 * configuration, dnsbl_config.h). A zone fails its test when the entry
 * that must be listed is not, the entry that must not be listed is,
 * either answer is a refusal or lies outside 127.0.0.0/8; it is then
 * unhealthy and the check does not trust (nor ask) it. A test that got
 * no answer (timeout, SERVFAIL) changes nothing: the state stays what it
 * was, unknown before the first conclusive test. Neither does a round
 * that ends while the resolver's canary (dnscanary.h) finds it lying:
 * its answers are no evidence. Until the canary finds the resolver
 * healthy (failing, or not answered yet) the next round comes soon
 * (retry_ms), so a round on answers known to be true follows.
 * The test questions always go to the servers, past the cache, so a
 * lie cached earlier is never read as a test's answer.
 *
 * API: dnsbl_health_new(loop, resolver, config, opts) → dnsbl_health_start
 * (the first round of tests goes out at once and start-up does not wait
 * for it; then one round every opts->interval_ms) → the check reads a
 * zone's state with dnsbl_health_zone, metrics with dnsbl_health_counts
 * → dnsbl_health_stop (before the resolver is freed; drops a round in
 * flight) → dnsbl_health_free. Everything runs on the loop; a round asks
 * all zones at once on a resolver session of its own (its deadline:
 * opts->deadline_ms), and the state changes only when a round ends, from
 * a loop timer. opts->round_done, when set, is called after each round.
 * Ownership: borrows loop, resolver and config (they must outlive it);
 * dnsbl_health_new returns owned (dnsbl_health_free). A zone's state is
 * a view valid until the next round ends (copy its why to keep it).
 * Not here: what an answer means (dnsbl_zone.c), the check (dnsbl.c).
 */
#ifndef DNSBL_HEALTH_H
#define DNSBL_HEALTH_H

#include <stddef.h>
#include <stdint.h>

#include "dnsbl_config.h"
#include "evloop.h"
#include "resolver.h"

struct texts_msg;

#define DNSBL_HEALTH_INTERVAL_MS 3600000u /* --dnsbl-health-interval */
#define DNSBL_HEALTH_DEADLINE_MS 10000u   /* one round's DNS time */

enum dnsbl_health_state {
	DNSBL_HEALTH_UNKNOWN,   /* no conclusive test yet */
	DNSBL_HEALTH_HEALTHY,   /* passed its last conclusive test */
	DNSBL_HEALTH_UNHEALTHY, /* failed it: its answers are not trusted */
	DNSBL_HEALTH_UNTESTED,  /* no test entries, or retired: never tested */
};

/* One zone's state: plain data for the check and for metrics. */
struct dnsbl_health_zone {
	enum dnsbl_health_state state;
	/* unhealthy: why (a message dnsbl.health.*), else NULL */
	const struct texts_msg *why;
	uint64_t tested_ms; /* evloop_now_ms of the last conclusive test; 0 */
	unsigned long passed, failed, inconclusive; /* tests so far */
};

struct dnsbl_health_counts {
	size_t healthy, unhealthy, unknown, untested; /* zones now */
	unsigned long rounds;                         /* rounds finished */
};

struct dnsbl_health;
struct dnscanary;

typedef void dnsbl_health_round_fn(void *arg, const struct dnsbl_health *h);

struct dnsbl_health_opts {
	uint64_t interval_ms; /* between rounds; 0: DNSBL_HEALTH_INTERVAL_MS */
	uint64_t deadline_ms; /* a round's DNS time; 0: the default */
	/* the resolver's canary (dnscanary.h), or NULL: a round whose end
	 * finds the canary failing judges no zone (its answers are no
	 * evidence); until the canary is healthy the next round comes
	 * after retry_ms (0: interval_ms) */
	const struct dnscanary *canary;
	uint64_t retry_ms;
	dnsbl_health_round_fn *round_done; /* after each round, or NULL */
	void *arg;
};

/* Every zone starts unknown (untested when it has no test entry).
 * opts may be NULL. Returns owned (dnsbl_health_free). */
struct dnsbl_health *dnsbl_health_new(struct evloop *loop, struct resolver *r,
    const struct dnsbl_config *cfg, const struct dnsbl_health_opts *opts);
/* Sends the first round now and schedules the next; returns at once. A
 * second call while running does nothing. */
void dnsbl_health_start(struct dnsbl_health *h);
/* Cancels the next round and drops the one in flight (no round_done).
 * The states stay as they are. */
void dnsbl_health_stop(struct dnsbl_health *h);
/* Stops first. NULL is a no-op. */
void dnsbl_health_free(struct dnsbl_health *h);

/* The state of the configuration's zone i (dnsbl_zone.index). */
const struct dnsbl_health_zone *dnsbl_health_zone(const struct dnsbl_health *h,
    size_t i);
void dnsbl_health_counts(const struct dnsbl_health *h,
    struct dnsbl_health_counts *out);
/* "unknown", "healthy", "unhealthy", "untested" */
const char *dnsbl_health_state_str(enum dnsbl_health_state s);

#endif
