/* SPDX-License-Identifier: MIT */
/*
 * metrics.c - counters and histograms for monitoring probes
 *
 * The DNS counters are the resolver's own (struct metrics_dns, kept by
 * resolver.c), the canary's state the canary's (struct metrics_canary,
 * dnscanary.c); this file only shows them.
 * Not here: logging (log.c); the HTTP route (api.c).
 */
#include "metrics.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xmalloc.h"

/* the status codes the service answers with; anything else counts as 0 */
static const unsigned metrics_codes[] = { 200, 304, 400, 404, 405, 413, 415,
	422, 500, 503 };
#define METRICS_NCODES (sizeof(metrics_codes) / sizeof(metrics_codes[0]))

/* latency bucket bounds in microseconds */
static const uint64_t metrics_bounds[] = { 100, 250, 500, 1000, 2500, 5000,
	10000, 25000, 50000, 100000, 250000, 500000, 1000000, 2500000,
	5000000 };
#define METRICS_NBOUNDS (sizeof(metrics_bounds) / sizeof(metrics_bounds[0]))

static const char *const metrics_route_names[METRICS_ROUTE_COUNT] = {
	[METRICS_ROUTE_DIAGNOSE] = "diagnose",
	[METRICS_ROUTE_SPF] = "spf",
	[METRICS_ROUTE_CHECK] = "check",
	[METRICS_ROUTE_MX] = "mx",
	[METRICS_ROUTE_PTR] = "ptr",
	[METRICS_ROUTE_DNSBL] = "dnsbl",
	[METRICS_ROUTE_DMARC] = "dmarc",
	[METRICS_ROUTE_DKIM] = "dkim",
	[METRICS_ROUTE_LANGUAGES] = "languages",
	[METRICS_ROUTE_TEXTS] = "texts",
	[METRICS_ROUTE_HEALTH] = "healthz",
	[METRICS_ROUTE_METRICS] = "metrics",
	[METRICS_ROUTE_OPENAPI] = "openapi",
	[METRICS_ROUTE_STATIC] = "static",
	[METRICS_ROUTE_OTHER] = "other",
};

struct metrics_hist {
	uint64_t buckets[METRICS_NBOUNDS];
	uint64_t count;
	uint64_t sum_us;
};

struct metrics {
	uint64_t requests[METRICS_ROUTE_COUNT][METRICS_NCODES + 1];
	struct metrics_hist latency[METRICS_ROUTE_COUNT];
	char *reason_names[METRICS_MAX_REASONS];
	uint64_t reason_counts[METRICS_MAX_REASONS];
	size_t nreasons;
	uint64_t pattern_limit;
	unsigned long rules;
	time_t started;
	const struct metrics_dns *dns;       /* borrowed; NULL: no DNS */
	const struct metrics_canary *canary; /* borrowed; NULL: no canary */
};

struct metrics *
metrics_new(void)
{
	struct metrics *m = xcalloc(1, sizeof(*m));

	m->started = time(NULL);
	return m;
}

void
metrics_free(struct metrics *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->nreasons; i++)
		free(m->reason_names[i]);
	free(m);
}

void
metrics_http_observe(struct metrics *m, enum metrics_route route,
    unsigned status, uint64_t duration_us)
{
	size_t c = METRICS_NCODES;
	struct metrics_hist *h = &m->latency[route];

	for (size_t i = 0; i < METRICS_NCODES; i++) {
		if (metrics_codes[i] == status) {
			c = i;
			break;
		}
	}
	m->requests[route][c]++;
	for (size_t i = 0; i < METRICS_NBOUNDS; i++) {
		if (duration_us <= metrics_bounds[i])
			h->buckets[i]++;
	}
	h->count++;
	h->sum_us += duration_us;
}

void
metrics_reason_inc(struct metrics *m, const char *reason)
{
	for (size_t i = 0; i < m->nreasons; i++) {
		if (strcmp(m->reason_names[i], reason) == 0) {
			m->reason_counts[i]++;
			return;
		}
	}
	if (m->nreasons == METRICS_MAX_REASONS)
		return;
	m->reason_names[m->nreasons] = xstrdup(reason);
	m->reason_counts[m->nreasons++] = 1;
}

void
metrics_pattern_limit_add(struct metrics *m, size_t n)
{
	m->pattern_limit += n;
}

void
metrics_set_rules(struct metrics *m, unsigned long rules)
{
	m->rules = rules;
}

void
metrics_set_dns(struct metrics *m, const struct metrics_dns *dns)
{
	m->dns = dns;
}

void
metrics_set_canary(struct metrics *m, const struct metrics_canary *c)
{
	m->canary = c;
}

/* metrics_render_http - the request counter and latency histogram */
static int
metrics_render_http(const struct metrics *m, struct buf *b)
{
	int r = 0;

	r |= buf_printf(b,
	    "# HELP bouncedoc_http_requests_total HTTP "
	    "requests answered, by route and status code.\n"
	    "# TYPE bouncedoc_http_requests_total counter\n");
	for (size_t rt = 0; rt < METRICS_ROUTE_COUNT; rt++) {
		for (size_t c = 0; c <= METRICS_NCODES; c++) {
			if (m->requests[rt][c] == 0)
				continue;
			r |= buf_printf(b,
			    "bouncedoc_http_requests_total{route=\"%s\","
			    "code=\"%u\"} %llu\n",
			    metrics_route_names[rt],
			    c < METRICS_NCODES ? metrics_codes[c] : 0,
			    (unsigned long long)m->requests[rt][c]);
		}
	}
	r |= buf_printf(b,
	    "# HELP bouncedoc_http_request_duration_seconds "
	    "Time from the last request byte to the response.\n"
	    "# TYPE bouncedoc_http_request_duration_seconds "
	    "histogram\n");
	for (size_t rt = 0; rt < METRICS_ROUTE_COUNT; rt++) {
		const struct metrics_hist *h = &m->latency[rt];
		const char *name = metrics_route_names[rt];

		for (size_t i = 0; i < METRICS_NBOUNDS; i++)
			r |= buf_printf(b,
			    "bouncedoc_http_request_duration_seconds_bucket{"
			    "route=\"%s\",le=\"%g\"} %llu\n",
			    name, (double)metrics_bounds[i] / 1e6,
			    (unsigned long long)h->buckets[i]);
		r |= buf_printf(b,
		    "bouncedoc_http_request_duration_seconds_bucket{route="
		    "\"%s\",le=\"+Inf\"} %llu\n"
		    "bouncedoc_http_request_duration_seconds_sum{route=\"%s\"}"
		    " %.6f\n"
		    "bouncedoc_http_request_duration_seconds_count{route="
		    "\"%s\"} %llu\n",
		    name, (unsigned long long)h->count, name,
		    (double)h->sum_us / 1e6, name,
		    (unsigned long long)h->count);
	}
	return r;
}

/* metrics_render_one - one sample with its HELP and TYPE lines */
static int
metrics_render_one(struct buf *b, const char *name, const char *type,
    const char *help, uint64_t value)
{
	return buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n%s %llu\n", name,
	    help, name, type, name, (unsigned long long)value);
}

/* metrics_render_dns - the resolver's counters */
static int
metrics_render_dns(const struct metrics_dns *d, struct buf *b)
{
	int r = 0;

	r |= metrics_render_one(b, "bouncedoc_dns_lookups_total", "counter",
	    "DNS lookups asked by the live checks.", d->lookups);
	r |= metrics_render_one(b, "bouncedoc_dns_cache_hits_total", "counter",
	    "DNS lookups answered from the cache.", d->cache_hits);
	r |= metrics_render_one(b, "bouncedoc_dns_joined_total", "counter",
	    "DNS lookups answered by an identical question in flight.",
	    d->joined);
	r |= metrics_render_one(b, "bouncedoc_dns_queries_sent_total",
	    "counter", "DNS questions sent to the DNS servers.", d->sent);
	r |= metrics_render_one(b, "bouncedoc_dns_timeouts_total", "counter",
	    "DNS lookups that ended without an answer (timeout, deadline or "
	    "budget).",
	    d->timeouts);
	r |= metrics_render_one(b, "bouncedoc_dns_cache_entries", "gauge",
	    "Answers in the DNS cache.", d->cache_entries);
	return r;
}

/* metrics_render_canary - the DNS canary's state */
static int
metrics_render_canary(const struct metrics_canary *c, struct buf *b)
{
	int r = 0;

	r |= metrics_render_one(b, "bouncedoc_dns_canary_healthy", "gauge",
	    "1 while the DNS resolver answers the canary question correctly "
	    "(or before its first answer), 0 while live checks are not run "
	    "because it does not.",
	    c->healthy);
	r |= metrics_render_one(b, "bouncedoc_dns_canary_probes_total",
	    "counter", "DNS canary questions asked.", c->probes);
	r |= metrics_render_one(b, "bouncedoc_dns_canary_failures_total",
	    "counter", "DNS canary questions answered wrongly or not at all.",
	    c->failures);
	return r;
}

int
metrics_render(const struct metrics *m, struct buf *b)
{
	int r = metrics_render_http(m, b);

	r |= buf_printf(b,
	    "# HELP bouncedoc_diagnoses_total Diagnoses made, "
	    "by reason of the first result.\n"
	    "# TYPE bouncedoc_diagnoses_total counter\n");
	for (size_t i = 0; i < m->nreasons; i++)
		r |= buf_printf(b,
		    "bouncedoc_diagnoses_total{reason=\"%s\"} "
		    "%llu\n",
		    m->reason_names[i],
		    (unsigned long long)m->reason_counts[i]);
	r |= buf_printf(b,
	    "# HELP bouncedoc_pattern_limit_total Rules left unevaluated "
	    "against a text because pcre2 stopped one of their patterns at "
	    "its match, depth, heap or JIT stack limit.\n"
	    "# TYPE bouncedoc_pattern_limit_total counter\n"
	    "bouncedoc_pattern_limit_total %llu\n",
	    (unsigned long long)m->pattern_limit);
	r |= buf_printf(b,
	    "# HELP bouncedoc_rules_loaded Rules in the loaded catalog.\n"
	    "# TYPE bouncedoc_rules_loaded gauge\n"
	    "bouncedoc_rules_loaded %lu\n"
	    "# HELP bouncedoc_start_time_seconds Start time of the process.\n"
	    "# TYPE bouncedoc_start_time_seconds gauge\n"
	    "bouncedoc_start_time_seconds %lld\n",
	    m->rules, (long long)m->started);
	if (m->dns != NULL)
		r |= metrics_render_dns(m->dns, b);
	if (m->canary != NULL)
		r |= metrics_render_canary(m->canary, b);
	return r == 0 ? 0 : -1;
}
