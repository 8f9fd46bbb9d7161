/* SPDX-License-Identifier: MIT */
/*
 * dnsbl_config.h - the DNS blocklists the service asks (rules/dnsbl.json)
 *
 * API: dnsbl_config_load(path, texts, &config, &err) reads the zones once
 * at start-up (--dnsbl-config, default <rules dir>/dnsbl.json); the
 * configuration is then one immutable object that the check (dnsbl.h) and
 * the zone health (dnsbl_health.h) read, and dnsbl_config_free frees it
 * after both are gone. dnsbl_config_count and dnsbl_config_zone walk the
 * zones in file order; dnsbl_config_find looks one up by its name.
 *
 * A zone is a DNS zone that answers A queries (RFC 5782): kind "ip" lists
 * IP addresses (reversed octets, or 32 reversed nibbles for IPv6 when
 * ipv6 is true), "domain" lists domain names (RHSBL: domain.zone), "allow"
 * lists trusted IP addresses (an allow list: a listing is good news).
 * What its answers mean is data: exact codes that are listings ("codes"),
 * answers that describe without listing ("neutral", a reputation level),
 * refusals ("refused": typo in the zone name, a public resolver, over
 * quota), the bits of a bitmask list's last octet ("bitmask", "bits",
 * SURBL and URIBL style) and the meaning of single octets ("octets", e.g.
 * list.dnswl.org's 127.0.category.trust). Each meaning is English text
 * {"en": "..."} registered in the texts table under the message id
 * dnsbl.zone.<zone>.<code> (".refused.<code>", ".bit.<value>",
 * ".octet<n>.<value>", ".retired"), so rules/lang/<code>.json translates
 * it like any catalog text; an operator's own zones read in English where
 * no translation has their ids. The health test entries (RFC 5782 §5)
 * default to 127.0.0.2 listed / 127.0.0.1 not listed for IP and allow
 * lists and "test" / "invalid" for domain lists; "test": {} turns the
 * test off. A zone with "retired" is never asked: it stays known so that
 * a bounce naming it can be answered.
 * Errors name the file and the place ("zones[2].codes[\"127.0.0.256\"]:
 * not an IPv4 address in 127.0.0.0/8"); unknown fields are errors.
 * Not here: what an answer means for one check (dnsbl_zone.c), the check
 * (dnsbl.c), the health test (dnsbl_health.c).
 * Ownership: dnsbl_config_load returns owned (dnsbl_config_free); zones,
 * their strings and ids are views valid until then; borrows texts (its
 * table keeps the meanings); *err_out is owned (free).
 */
#ifndef DNSBL_CONFIG_H
#define DNSBL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "span.h"

struct texts;

#define DNSBL_MAX_ZONES    128 /* zones in one configuration */
#define DNSBL_MAX_CODES    256 /* entries in one table of a zone */
#define DNSBL_MAX_ZONE_LEN 189 /* 253 octets less 64 for IPv6 nibbles */

enum dnsbl_kind {
	DNSBL_KIND_IP,     /* DNSBL: IP addresses */
	DNSBL_KIND_DOMAIN, /* RHSBL: domain names */
	DNSBL_KIND_ALLOW,  /* allow list of IP addresses */
};

/* One documented answer and the message id of what it means. */
struct dnsbl_code {
	uint32_t value; /* codes, neutral, refused: the address 127.x.y.z in
			   host order; bits: the bit's value (2..128);
			   octets: the octet's value */
	unsigned octet; /* octets: which one (2, 3 or 4); else 0 */
	const char *id; /* "dnsbl.zone.zen.spamhaus.org.127.0.0.2" */
};

struct dnsbl_zone {
	size_t index;     /* position in the configuration */
	const char *zone; /* "zen.spamhaus.org", lowercase */
	const char *name; /* "Spamhaus ZEN" */
	enum dnsbl_kind kind;
	bool ipv6;    /* takes IPv6 queries (nibbles, RFC 5782 §2.4) */
	bool bitmask; /* the last octet is a set of bits; bit 1 refuses */
	const struct dnsbl_code *codes; /* exact answers that are listings */
	size_t ncodes;
	const struct dnsbl_code *neutral; /* exact answers, not listings */
	size_t nneutral;
	const struct dnsbl_code *refused; /* exact answers that are refusals */
	size_t nrefused;
	const struct dnsbl_code *bits; /* bitmask: one meaning per bit */
	size_t nbits;
	const struct dnsbl_code *octets; /* one meaning per octet value */
	size_t noctets;
	const char *delist; /* URL: how to get delisted, or NULL */
	const char *info;   /* URL: the list's documentation, or NULL */
	/* RFC 5782 §5 test entries (an IPv4 address, or for domain lists a
	 * name under the zone); NULL: not tested */
	const char *test_listed;
	const char *test_unlisted;
	const char *retired; /* message id of why it is no longer asked, or
				NULL */
};

struct dnsbl_config;

/*
 * Reads the file at path and registers each meaning's English text in
 * texts (texts_source). Returns 0 with *out set, or -1 with *err_out
 * ("FILE: WHERE: WHAT"). Ownership: returns owned (dnsbl_config_free);
 * borrows texts, which must outlive the configuration.
 */
int dnsbl_config_load(const char *path, struct texts *texts,
    struct dnsbl_config **out, char **err_out);
/* NULL is a no-op. */
void dnsbl_config_free(struct dnsbl_config *c);

size_t dnsbl_config_count(const struct dnsbl_config *c);
/* The i-th zone, or NULL past the end. */
const struct dnsbl_zone *dnsbl_config_zone(const struct dnsbl_config *c,
    size_t i);
/* The zone named name (any case, a final dot ignored), or NULL. */
const struct dnsbl_zone *dnsbl_config_find(const struct dnsbl_config *c,
    struct span name);

/* "ip", "domain", "allow" */
const char *dnsbl_kind_str(enum dnsbl_kind k);
/* An address 127.x.y.z (host order) as text, into buf; returns buf. */
const char *dnsbl_addr_str(uint32_t addr, char buf[16]);
/* Is s a dotted IPv4 address? Sets *out (host order). */
bool dnsbl_addr_parse(const char *s, uint32_t *out);
/* Is s a domain name as text: labels of letters, digits, '-' and '_' of
 * 1 to 63 bytes, at most 253 bytes (RFC 1035 §2.3.4), a final dot
 * allowed? */
bool dnsbl_name_ok(const char *s);

#endif
