/* SPDX-License-Identifier: MIT */
/*
 * dnsbl.h - is an IP address or a domain on the configured DNS blocklists?
 *
 * API: dnsbl_start(session, arena, config, health, query, done, arg) asks
 * every configured zone at once, on the resolver session (so the
 * diagnosis's deadline and DNS budget hold), and calls done exactly once,
 * possibly before dnsbl_start returns (every answer in the cache), with a
 * struct dnsbl_result. It waits for nothing but the session's lookups:
 * when the session expires they end as timeouts and the check finishes
 * with what it has. The caller frees the session before the arena (that
 * drops any lookup still waiting, and done is then never called).
 *
 * What is asked: IP zones and allow lists about query->ip (IPv4: the
 * reversed octets under the zone, RFC 5782 §2.1; IPv6: 32 reversed
 * nibbles, §2.4, only on zones that take IPv6), domain zones about
 * query->domain (domain.zone, §3). For a listing the TXT record of the
 * same name (the list's reason, often with a URL) is fetched too, at most
 * DNSBL_MAX_TXT bytes kept; TXT is asked only for listings, which spares
 * the public lists' query quotas. Zones the bounce names (query->named:
 * "blocked using zen.spamhaus.org") are marked; a name that is no
 * configured zone is reported not_configured and never asked: the
 * operator chose the lists.
 *
 * What the result means (struct dnsbl_result):
 * - listed: some configured zone that is not an allow list listed the
 *   address or the domain (status listed). Nothing else makes it true.
 * - zones: one entry per configured zone, in configuration order, then
 *   one per named zone that is not configured. Each has a status (enum
 *   dnsbl_status, dnsbl_zone.h): listed (hits: every listing code of the
 *   answer with its meanings, txt: the list's TXT), not_listed (NXDOMAIN;
 *   hits may hold neutral codes such as a reputation level), refused
 *   (the list refused the query, or answered outside 127.0.0.0/8: hits
 *   and detail say why, and the detail advises a recursive resolver of
 *   one's own and a check of the zone name; it says nothing about the
 *   address), timeout / error (DNS failed: detail is why, a
 *   dns.unchecked.* message; never listed nor not listed), unhealthy (the
 *   zone failed its health test: not asked, its answers are not trusted;
 *   detail says which test failed), not_queried (detail: IPv6 on an
 *   IPv4-only list, no IP address or domain for the zone's kind, a
 *   private address, a name too long, a retired list), not_configured
 *   (named by the bounce). health is the zone's health when the check
 *   started; note says when it was not known yet.
 * - findings: dnsbl_listed (error) per listing zone, dnsbl_allowlisted
 *   (info) per allow list that lists it, dnsbl_named_not_listed (info)
 *   when the bounce names a zone that answers not listed now.
 * - unchecked: NULL, unless no blocklist (allow lists aside) could say
 *   listed or not listed at all; then why (dns.unchecked.* when DNS
 *   failed, else a dnsbl.unchecked.* message), and listed is false.
 *
 * Sentences are messages (texts_msg.h): dnsbl.* of rules/messages.json,
 * and the zones' meanings under the config's ids (dnsbl.zone.*).
 * Not here: the zones (dnsbl_config.h), reading an answer (dnsbl_zone.h),
 * the health test (dnsbl_health.h).
 * Ownership: borrows session, config, health and query until done; the
 * result and everything in it belongs to the arena, except the zones it
 * points to (the config's, which outlive every check).
 */
#ifndef DNSBL_H
#define DNSBL_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "dnsbl_config.h"
#include "dnsbl_health.h"
#include "dnsbl_zone.h"
#include "finding.h"
#include "resolver.h"

#define DNSBL_MAX_NAMED 16  /* zones named by the bounce, at most */
#define DNSBL_MAX_TXT   512 /* bytes of a list's TXT reason kept */

struct texts_msg;

struct dnsbl_query {
	const char *ip;           /* IPv4 or IPv6 address, or NULL */
	const char *domain;       /* domain name, or NULL */
	const char *const *named; /* zones the bounce names */
	size_t nnamed;
};

/* One zone's answer about the query. */
struct dnsbl_zone_result {
	const struct dnsbl_zone *zone; /* the config's; NULL: not_configured */
	const char *zone_name;         /* the zone, lowercase */
	const char *target; /* the IP address or domain asked about, or NULL */
	const char *qname;  /* the name asked, or NULL when not asked */
	enum dnsbl_status status;
	const struct dnsbl_hit *hits;
	size_t nhits;
	const struct texts_msg *detail; /* why (all but listed, not_listed) */
	const struct texts_msg *note;   /* the zone's health not known yet */
	const char *txt; /* listed: the list's TXT (UTF-8, bounded), or NULL */
	enum dnsbl_health_state health;
	bool named; /* the bounce names this zone */
};

struct dnsbl_result {
	bool listed;      /* on some blocklist (allow lists not counted) */
	bool allowlisted; /* on some allow list */
	const struct dnsbl_zone_result *zones;
	size_t nzones;
	struct findings findings;
	const struct texts_msg *unchecked; /* NULL, or why nothing could say */
};

typedef void dnsbl_done_fn(void *arg, const struct dnsbl_result *r);

/* health may be NULL (every zone's health unknown). */
void dnsbl_start(struct resolver_session *s, struct arena *a,
    const struct dnsbl_config *cfg, const struct dnsbl_health *health,
    const struct dnsbl_query *q, dnsbl_done_fn *done, void *arg);

#endif
