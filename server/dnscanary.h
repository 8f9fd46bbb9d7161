/* SPDX-License-Identifier: MIT */
/*
 * dnscanary.h - the DNS canary: a resolver that lies is not evidence
 *
 * API: dnscanary_new(loop, resolver, &config) once the resolver is up
 * (main.c; cli.c for one probe before its diagnosis): it asks its first
 * question as soon as the loop runs and the next one interval_ms after
 * each answer, so a probe never overlaps the one before. dnscanary_healthy,
 * dnscanary_reason and dnscanary_unchecked read the state at any time
 * (checkrun.c before it starts live checks, api.c for /api/v1/spf);
 * dnscanary_counters is what /metrics shows. dnscanary_free before
 * resolver_free.
 * The question has a known answer: the NS records of the root zone, or
 * of a name the operator says must exist (a zone of their own). A probe
 * goes to the DNS servers every time (resolver_probe: never the cache,
 * whose answers say nothing of how the servers answer now), on a session
 * of its own with one question of budget and a deadline of its own. An
 * answer with NS records makes the canary healthy; NXDOMAIN, no NS
 * records, no answer in time, a failing server (SERVFAIL, REFUSED,
 * unreachable) or an unreadable answer make it failing, with the reason
 * as a message id (dns.canary.*). Before the first answer the state is
 * unknown, which counts as healthy: the service answers from its start.
 * Each change of state is logged: dns_canary_failing (warn, with the
 * reason), dns_canary_ok (info).
 * Not here: what a failing canary means for the checks (checkrun.c: they
 * are not started, and report dns.unchecked.resolver), the resolver
 * (resolver.c).
 * Ownership: dnscanary_new returns owned (dnscanary_free); it borrows the
 * loop and the resolver, which must outlive it, and copies config's name.
 */
#ifndef DNSCANARY_H
#define DNSCANARY_H

#include <stdbool.h>

#include "arena.h"
#include "evloop.h"
#include "metrics.h"
#include "resolver.h"
#include "texts_msg.h"

#define DNSCANARY_INTERVAL_MS 60000 /* from one answer to the next probe */
#define DNSCANARY_DEADLINE_MS 5000  /* of one probe */

enum dnscanary_state {
	DNSCANARY_UNKNOWN, /* no answer yet: counts as healthy */
	DNSCANARY_HEALTHY,
	DNSCANARY_FAILING,
};

struct dnscanary;

/* Called after each probe, once the state says what it found. May free
 * the canary. */
typedef void dnscanary_probed_fn(struct dnscanary *c, void *arg);

struct dnscanary_config {
	/* whose NS records must exist: "." (or "", or NULL) for the root
	 * zone, else a DNS name as text, a final dot allowed */
	const char *name;
	unsigned interval_ms;        /* 0: DNSCANARY_INTERVAL_MS */
	unsigned deadline_ms;        /* 0: DNSCANARY_DEADLINE_MS */
	dnscanary_probed_fn *probed; /* NULL, or called after each probe */
	void *arg;
};

/* Starts the canary: the first probe goes out from the loop, at once.
 * Returns owned (dnscanary_free).
 * Ownership: borrows loop and r; copies config (and its name). */
struct dnscanary *dnscanary_new(struct evloop *loop, struct resolver *r,
    const struct dnscanary_config *config);
/* Stops the canary: a probe in flight is dropped, probed is not called
 * again. NULL is a no-op; may be called from probed. */
void dnscanary_free(struct dnscanary *c);

/* What the last probe found (DNSCANARY_UNKNOWN before the first answer,
 * and for NULL). */
enum dnscanary_state dnscanary_state(const struct dnscanary *c);
/* Is the resolver answering correctly, as far as the canary knows?
 * True before the first answer, and for NULL (no canary). */
bool dnscanary_healthy(const struct dnscanary *c);
/* Why the canary is failing, as the id of a message (texts_msg.h) with
 * the argument {name} (dnscanary_name): "dns.canary.nxdomain_root",
 * ".nxdomain", ".nodata_root", ".nodata", ".timeout", ".servfail" or
 * ".malformed"; NULL when it is not failing (and for NULL). A static
 * string. */
const char *dnscanary_reason(const struct dnscanary *c);
/* The name asked about: "." for the root, else as configured without a
 * final dot. Returns a view valid until dnscanary_free. */
const char *dnscanary_name(const struct dnscanary *c);
/* What a live check reports instead of running while the canary is
 * failing: the message dns.unchecked.resolver, its {reason} the reason
 * with its {name}; NULL when the canary is not failing (and for NULL).
 * Returns a message in a (texts and all), which outlives later changes
 * of the canary. */
const struct texts_msg *dnscanary_unchecked(const struct dnscanary *c,
    struct arena *a);

/* The canary's numbers for /metrics (metrics_set_canary): healthy 1 or
 * 0, probes sent, probes failed. Returns a view valid until
 * dnscanary_free, kept up to date as the canary works. */
const struct metrics_canary *dnscanary_counters(const struct dnscanary *c);

#endif
