/* SPDX-License-Identifier: MIT */
/*
 * metrics.h - counters and histograms, Prometheus text output
 *
 * API: metrics_new() at start-up; metrics_http_observe after each
 * response, metrics_reason_inc after each diagnosis, and
 * metrics_pattern_limit_add with the rules it could not evaluate (a pcre2
 * limit stopped a pattern); metrics_render writes
 * the Prometheus text exposition format 0.0.4 for GET /metrics.
 * A fixed table: routes and status codes are closed sets, reasons are at
 * most METRICS_MAX_REASONS distinct names (the reason vocabulary).
 * Ownership: metrics_new returns owned (metrics_free); names passed in are
 * copied.
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
	METRICS_ROUTE_HEALTH,
	METRICS_ROUTE_METRICS,
	METRICS_ROUTE_OPENAPI,
	METRICS_ROUTE_STATIC,
	METRICS_ROUTE_OTHER,
	METRICS_ROUTE_COUNT,
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

/* Append the exposition text; returns 0, or -1 if b's ceiling was hit. */
int metrics_render(const struct metrics *m, struct buf *b);
/* One more sample for a metric kept elsewhere (the DNS resolver's
 * counters): its HELP and TYPE lines and the value. type is "counter" or
 * "gauge". Returns 0, or -1 when b is full. */
int metrics_render_one(struct buf *b, const char *name, const char *type,
    const char *help, unsigned long long value);

#endif
