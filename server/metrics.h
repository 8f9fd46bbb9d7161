/* SPDX-License-Identifier: MIT */
/*
 * metrics.h - counters and histograms, Prometheus text output
 *
 * API: metrics_new() at start-up; metrics_http_observe after each
 * response, metrics_reason_inc after each diagnosis, and
 * metrics_pattern_limit_add with the rules it could not evaluate (a pcre2
 * limit stopped a pattern); metrics_set_dns once the resolver is up;
 * metrics_render writes the Prometheus text exposition format 0.0.4 for
 * GET /metrics, the DNS resolver's counters included.
 * A fixed table: routes and status codes are closed sets, reasons are at
 * most METRICS_MAX_REASONS distinct names (the reason vocabulary).
 * Ownership: metrics_new returns owned (metrics_free); names passed in are
 * copied; the DNS counters and the canary's are borrowed
 * (metrics_set_dns, metrics_set_canary).
 */
#ifndef METRICS_H
#define METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define METRICS_MAX_REASONS 64

enum metrics_route {
	METRICS_ROUTE_DIAGNOSE,
	METRICS_ROUTE_SPF,
	METRICS_ROUTE_CHECK,
	METRICS_ROUTE_MX,
	METRICS_ROUTE_PTR,
	METRICS_ROUTE_DNSBL,
	METRICS_ROUTE_DMARC,
	METRICS_ROUTE_DKIM,
	METRICS_ROUTE_LANGUAGES,
	METRICS_ROUTE_TEXTS,
	METRICS_ROUTE_HEALTH,
	METRICS_ROUTE_METRICS,
	METRICS_ROUTE_OPENAPI,
	METRICS_ROUTE_STATIC,
	METRICS_ROUTE_OTHER,
	METRICS_ROUTE_COUNT,
};

/* The DNS resolver's counters: resolver.c keeps them up to date
 * (resolver_counters), metrics_render shows them. */
struct metrics_dns {
	uint64_t lookups; /* lookups the checks asked for */
	uint64_t cache_hits;
	uint64_t joined;   /* answered by a question already in flight */
	uint64_t sent;     /* questions handed to the DNS servers */
	uint64_t timeouts; /* lookups that ended without an answer (timeout,
			      deadline or budget) */
	uint64_t cache_entries; /* answers in the cache now */
};

/* The DNS canary's state: dnscanary.c keeps it up to date
 * (dnscanary_counters), metrics_render shows it. */
struct metrics_canary {
	uint64_t healthy;  /* 1: the resolver answered the canary correctly
			      (or not yet at all), 0: it is failing */
	uint64_t probes;   /* canary questions asked */
	uint64_t failures; /* probes whose answer was wrong or missing */
};

struct metrics;

struct metrics *metrics_new(void);
void metrics_free(struct metrics *m);

void metrics_http_observe(struct metrics *m, enum metrics_route route,
    unsigned status, uint64_t duration_us);
void metrics_reason_inc(struct metrics *m, const char *reason);
/* n more rule evaluations stopped by a pcre2 limit (rules.h). */
void metrics_pattern_limit_add(struct metrics *m, size_t n);
void metrics_set_rules(struct metrics *m, unsigned long rules);
/* The DNS counters to render, or NULL for none (the default). Ownership:
 * borrows dns, which must stay valid while it is set: set NULL before the
 * resolver goes. */
void metrics_set_dns(struct metrics *m, const struct metrics_dns *dns);
/* The DNS canary's state to render, or NULL for none (the default: no
 * canary). Ownership: borrows c, which must stay valid while it is set:
 * set NULL before the canary goes. */
void metrics_set_canary(struct metrics *m, const struct metrics_canary *c);

/* Append the exposition text; returns 0, or -1 if b's ceiling was hit. */
int metrics_render(const struct metrics *m, struct buf *b);

#endif
