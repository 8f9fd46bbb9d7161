/* SPDX-License-Identifier: MIT */
/*
 * dnsbl_zone.h - one blocklist zone: the name to ask, what its answer says
 *
 * API: dnsbl_ip_parse reads the address a check asks about (an
 * IPv4-mapped IPv6 address counts as its IPv4 address); dnsbl_ip_reserved
 * tells an address no public list can list (private, loopback, link-local,
 * multicast); dnsbl_name_ok (dnsbl_config.h) a domain name that can be
 * asked.
 * dnsbl_zone_qname_ip and dnsbl_zone_qname_domain build the name to ask:
 * RFC 5782 §2.1 (IPv4: d.c.b.a.zone), §2.4 (IPv6: 32 reversed nibbles),
 * §3 (domain.zone). dnsbl_zone_read reads a zone's answer to an A query
 * into a status (listed, not_listed, refused) and its codes, each with its
 * meanings as messages (texts_msg.h; the config's ids, or dnsbl.*).
 * How an answer is read, in order, for each address of the answer:
 * - outside 127.0.0.0/8: a refusal, "not a blocklist answer" (RFC 5782
 *   §2.1; a resolver or a lapsed domain that answers every name);
 * - one of the zone's "refused" codes: a refusal with the list's reason;
 * - 127.255.255.0/24 and 127.0.1.255 (Spamhaus's error codes), and on a
 *   bitmask list 127.0.0.1 or any answer with bit 1 set (URIBL, SURBL):
 *   a refusal, whatever the zone says;
 * - one of the zone's "neutral" codes: it describes, it does not list;
 * - else a listing, its meanings: the exact code's, else one per bit set
 *   (bitmask lists), else one per octet with a meaning ("octets"), else
 *   "a code the list does not document".
 * One refusal among the addresses makes the whole answer a refusal (its
 * listings are not trusted); else one listing makes it listed; NXDOMAIN,
 * NODATA and neutral answers only are not_listed.
 * Not here: the zones' tables (dnsbl_config.c), asking (dnsbl.c,
 * dnsbl_health.c).
 * Ownership: what dnsbl_zone_read returns belongs to the arena; borrows
 * the zone and the answer.
 */
#ifndef DNSBL_ZONE_H
#define DNSBL_ZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "dnsbl_config.h"
#include "dnsmsg.h"

struct texts_msg;

/* What one zone said about one IP address or domain. */
enum dnsbl_status {
	DNSBL_LISTED,         /* an A answer that is a listing */
	DNSBL_NOT_LISTED,     /* NXDOMAIN (or NODATA, or neutral codes only) */
	DNSBL_REFUSED,        /* an answer that is a refusal, not a listing */
	DNSBL_TIMEOUT,        /* no answer in time: says nothing */
	DNSBL_ERROR,          /* the DNS failed: says nothing */
	DNSBL_UNHEALTHY,      /* failed its health test: not asked */
	DNSBL_NOT_QUERIED,    /* not asked, and why */
	DNSBL_NOT_CONFIGURED, /* named by the bounce, not configured */
};

/* An IP address to ask about: IPv4 in b[0..3] (v6 false) or IPv6. */
struct dnsbl_ip {
	bool v6;
	uint8_t b[16];
};

/* One code of an answer and what it means. */
struct dnsbl_hit {
	const char *code; /* "127.0.0.4" */
	const struct texts_msg *const *meanings;
	size_t nmeanings;
};

/* A zone's answer to an A query, read. */
struct dnsbl_read {
	enum dnsbl_status status; /* listed, not_listed, refused or error */
	/* listed: the listing codes; not_listed: neutral codes (a
	 * reputation level), if any; refused: the refusal codes, each with
	 * its reason */
	const struct dnsbl_hit *hits;
	size_t nhits;
	const struct texts_msg *why; /* refused: the first reason */
};

/* "listed", "not_listed", "refused", "timeout", "error", "unhealthy",
 * "not_queried", "not_configured" */
const char *dnsbl_status_str(enum dnsbl_status s);

/* Returns true with *out set for an IPv4 or IPv6 address in text. */
bool dnsbl_ip_parse(const char *s, struct dnsbl_ip *out);
/* Is ip in a range no public list lists (RFC 6890: private, loopback,
 * link-local, shared, multicast, reserved; ULA, unspecified)? */
bool dnsbl_ip_reserved(const struct dnsbl_ip *ip);

/* The name to ask zone z about ip / domain, into out (cap bytes),
 * lowercase. Returns 0, or -1 when it does not fit a DNS name (253
 * bytes as text) or the input is not one. */
int dnsbl_zone_qname_ip(const struct dnsbl_zone *z, const struct dnsbl_ip *ip,
    char *out, size_t cap);
int dnsbl_zone_qname_domain(const struct dnsbl_zone *z, const char *domain,
    char *out, size_t cap);

/* Reads ans (an answer to an A query of z): see the overview. An answer
 * that is no answer (timeout, servfail, malformed) reads as DNSBL_ERROR
 * without codes; the caller says why. */
void dnsbl_zone_read(struct arena *a, const struct dnsbl_zone *z,
    const struct dnsmsg_answer *ans, struct dnsbl_read *out);

#endif
