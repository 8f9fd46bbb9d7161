/* SPDX-License-Identifier: MIT */
/*
 * dnsbl_zone.c - the name a blocklist is asked, and what its answer says
 *
 * RFC 5782 is the whole protocol: an A query for the reversed address
 * (or the domain) under the zone; an answer in 127.0.0.0/8 lists it,
 * NXDOMAIN does not. Everything beyond is the lists' own vocabulary,
 * which comes from the configuration; the few answers that are refusals
 * whatever a configuration says are decided here, once, for the check
 * and the health test alike.
 * Not here: the tables (dnsbl_config.c), the lookups (dnsbl.c,
 * dnsbl_health.c).
 */
#include "dnsbl_zone.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "ascii.h"
#include "texts_msg.h"

#define DNSBL_ZONE_MAX_NAME 253 /* RFC 1035 §2.3.4, as text */

/* How one address of an answer reads. */
enum dnsbl_zone_kind {
	DNSBL_ZONE_LISTING,
	DNSBL_ZONE_NEUTRAL,
	DNSBL_ZONE_REFUSAL,
};

/* ::ffff:0:0/96, IPv4-mapped addresses (RFC 4291 §2.5.5.2) */
static const uint8_t dnsbl_zone_mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0xff, 0xff };
static const uint8_t dnsbl_zone_zero[15];
static const char dnsbl_zone_hex[] = "0123456789abcdef";

static const char *const dnsbl_status_names[] = { "listed", "not_listed",
	"refused", "timeout", "error", "unhealthy", "not_queried",
	"not_configured" };

const char *
dnsbl_status_str(enum dnsbl_status s)
{
	return (size_t)s <
	        sizeof(dnsbl_status_names) / sizeof(dnsbl_status_names[0]) ?
	    dnsbl_status_names[s] :
	    "error";
}

bool
dnsbl_ip_parse(const char *s, struct dnsbl_ip *out)
{
	uint8_t b[16];

	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, s, b) == 1) {
		memcpy(out->b, b, 4);
		return true;
	}
	if (inet_pton(AF_INET6, s, b) != 1)
		return false;
	if (memcmp(b, dnsbl_zone_mapped, sizeof(dnsbl_zone_mapped)) == 0) {
		/* ::ffff:a.b.c.d is a.b.c.d on the wire (RFC 4291 §2.5.5.2) */
		memcpy(out->b, b + 12, 4);
		return true;
	}
	out->v6 = true;
	memcpy(out->b, b, 16);
	return true;
}

/* dnsbl_ip_reserved4 - RFC 6890 ranges that are nobody's public address */
static bool
dnsbl_ip_reserved4(const uint8_t *b)
{
	return b[0] == 0 || b[0] == 10 || b[0] == 127 || b[0] >= 224 ||
	    (b[0] == 100 && (b[1] & 0xc0) == 64) ||
	    (b[0] == 169 && b[1] == 254) ||
	    (b[0] == 172 && (b[1] & 0xf0) == 16) ||
	    (b[0] == 192 && b[1] == 168);
}

bool
dnsbl_ip_reserved(const struct dnsbl_ip *ip)
{
	if (!ip->v6)
		return dnsbl_ip_reserved4(ip->b);
	/* ::, ::1, fc00::/7 (ULA), fe80::/10 (link-local), ff00::/8 */
	return (memcmp(ip->b, dnsbl_zone_zero, 15) == 0 && ip->b[15] <= 1) ||
	    (ip->b[0] & 0xfe) == 0xfc || ip->b[0] == 0xff ||
	    (ip->b[0] == 0xfe && (ip->b[1] & 0xc0) == 0x80);
}

/* dnsbl_zone_fits - is the name written (n bytes, or a truncation) a DNS
 * name? */
static int
dnsbl_zone_fits(int n, size_t cap)
{
	return n < 0 || (size_t)n >= cap || n > DNSBL_ZONE_MAX_NAME ? -1 : 0;
}

int
dnsbl_zone_qname_ip(const struct dnsbl_zone *z, const struct dnsbl_ip *ip,
    char *out, size_t cap)
{
	char nib[16 * 4 + 1];
	size_t k = 0;

	if (!ip->v6)
		/* RFC 5782 §2.1: the octets in reverse order */
		return dnsbl_zone_fits(snprintf(out, cap, "%u.%u.%u.%u.%s",
		                           (unsigned)ip->b[3],
		                           (unsigned)ip->b[2],
		                           (unsigned)ip->b[1],
		                           (unsigned)ip->b[0], z->zone),
		    cap);
	/* RFC 5782 §2.4: 32 nibbles, least significant first */
	for (int i = 15; i >= 0; i--) {
		nib[k++] = dnsbl_zone_hex[ip->b[i] & 0xf];
		nib[k++] = '.';
		nib[k++] = dnsbl_zone_hex[ip->b[i] >> 4];
		nib[k++] = '.';
	}
	nib[k] = '\0';
	return dnsbl_zone_fits(snprintf(out, cap, "%s%s", nib, z->zone), cap);
}

int
dnsbl_zone_qname_domain(const struct dnsbl_zone *z, const char *domain,
    char *out, size_t cap)
{
	size_t len = strlen(domain);
	int n;

	if (!dnsbl_name_ok(domain))
		return -1;
	if (domain[len - 1] == '.')
		len--;
	/* RFC 5782 §3: the name itself, prepended to the zone */
	n = snprintf(out, cap, "%.*s.%s", (int)len, domain, z->zone);
	if (dnsbl_zone_fits(n, cap) == -1)
		return -1;
	ascii_lower(out, out, len);
	return 0;
}

/* dnsbl_zone_find - the entry of value in a table, or NULL */
static const struct dnsbl_code *
dnsbl_zone_find(const struct dnsbl_code *v, size_t n, unsigned octet,
    uint32_t value)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i].octet == octet && v[i].value == value)
			return &v[i];
	}
	return NULL;
}

/* dnsbl_zone_meanings - a listing's meanings: its code's, else its bits',
 * else its octets', else unknown */
static void
dnsbl_zone_meanings(struct arena *a, const struct dnsbl_zone *z, uint32_t addr,
    const char *code, struct dnsbl_hit *h)
{
	const struct texts_msg **m = arena_zalloc(a, 9 * sizeof(*m));
	const struct dnsbl_code *c;
	size_t n = 0;

	if ((c = dnsbl_zone_find(z->codes, z->ncodes, 0, addr)) != NULL) {
		m[n++] = texts_msg_new(a, c->id);
	} else if (z->bitmask) {
		for (uint32_t bit = 2; bit <= 128; bit <<= 1) {
			if ((addr & bit) == 0)
				continue;
			c = dnsbl_zone_find(z->bits, z->nbits, 0, bit);
			m[n++] = c != NULL ?
			    texts_msg_new(a, c->id) :
			    texts_msg_num(texts_msg_new(a,
			                      "dnsbl.meaning.bit_"
			                      "unknown"),
			        "bit", bit);
		}
	} else {
		for (unsigned o = 2; o <= 4; o++) {
			c = dnsbl_zone_find(z->octets, z->noctets, o,
			    (addr >> (8 * (4 - o))) & 0xffu);
			if (c != NULL)
				m[n++] = texts_msg_new(a, c->id);
		}
	}
	if (n == 0)
		m[n++] = texts_msg_with(a, "dnsbl.meaning.unknown", "code",
		    code, TEXTS_MSG_END);
	h->meanings = m;
	h->nmeanings = n;
}

/* dnsbl_zone_classify - what one address of an answer is; h gets its
 * code and meanings (for a refusal: its reason) */
static enum dnsbl_zone_kind
dnsbl_zone_classify(struct arena *a, const struct dnsbl_zone *z, uint32_t addr,
    struct dnsbl_hit *h)
{
	const struct texts_msg **m = arena_zalloc(a, sizeof(*m));
	const struct dnsbl_code *c;
	char buf[16];
	const char *code;

	(void)dnsbl_addr_str(addr, buf);
	code = arena_strndup(a, buf, strlen(buf));
	h->code = code;
	h->meanings = m;
	h->nmeanings = 1;
	if ((addr >> 24) != 127) {
		/* RFC 5782 §2.1: answers are in 127.0.0.0/8; anything else
		 * comes from a resolver that rewrites NXDOMAIN or a zone whose
		 * domain lapsed (bl.spamcop.net, 2021) */
		m[0] = texts_msg_with(a, "dnsbl.refused.not_blocklist", "code",
		    code, TEXTS_MSG_END);
		return DNSBL_ZONE_REFUSAL;
	}
	if ((c = dnsbl_zone_find(z->refused, z->nrefused, 0, addr)) != NULL) {
		m[0] = texts_msg_new(a, c->id);
		return DNSBL_ZONE_REFUSAL;
	}
	if ((addr & 0xffffff00u) == 0x7fffff00u || addr == 0x7f0001ffu) {
		m[0] = texts_msg_with(a, "dnsbl.refused.error_code", "code",
		    code, TEXTS_MSG_END);
		return DNSBL_ZONE_REFUSAL;
	}
	if (z->bitmask && (addr & 1u) != 0) {
		/* URIBL: "All queries that we refuse, we return a 127.0.0.1
		 * response to, as bit 0x1 is not used for domain
		 * classification" */
		m[0] = texts_msg_with(a, "dnsbl.refused.bitmask", "code", code,
		    TEXTS_MSG_END);
		return DNSBL_ZONE_REFUSAL;
	}
	if ((c = dnsbl_zone_find(z->neutral, z->nneutral, 0, addr)) != NULL) {
		m[0] = texts_msg_new(a, c->id);
		return DNSBL_ZONE_NEUTRAL;
	}
	dnsbl_zone_meanings(a, z, addr, code, h);
	return DNSBL_ZONE_LISTING;
}

void
dnsbl_zone_read(struct arena *a, const struct dnsbl_zone *z,
    const struct dnsmsg_answer *ans, struct dnsbl_read *out)
{
	struct dnsbl_hit *hit[3];
	size_t n[3] = { 0, 0, 0 };
	enum dnsbl_zone_kind k;

	memset(out, 0, sizeof(*out));
	if (ans->status == DNSMSG_NXDOMAIN || ans->status == DNSMSG_NODATA) {
		out->status = DNSBL_NOT_LISTED;
		return;
	}
	if (ans->status != DNSMSG_OK) {
		out->status = DNSBL_ERROR;
		return;
	}
	for (size_t i = 0; i < 3; i++)
		hit[i] = arena_zalloc(a, (ans->nrecords + 1) * sizeof(**hit));
	for (size_t r = 0; r < ans->nrecords; r++) {
		const uint8_t *b = ans->records[r].u.a;
		uint32_t addr = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
		    (uint32_t)b[2] << 8 | b[3];
		struct dnsbl_hit h;
		bool seen = false;

		if (ans->records[r].type != DNSMSG_T_A)
			continue;
		k = dnsbl_zone_classify(a, z, addr, &h);
		for (size_t i = 0; i < n[k]; i++)
			seen = seen || strcmp(hit[k][i].code, h.code) == 0;
		if (!seen)
			hit[k][n[k]++] = h;
	}
	/* a refusal anywhere: nothing of this answer is trusted */
	k = n[DNSBL_ZONE_REFUSAL] > 0 ? DNSBL_ZONE_REFUSAL :
	    n[DNSBL_ZONE_LISTING] > 0 ? DNSBL_ZONE_LISTING :
	                                DNSBL_ZONE_NEUTRAL;
	out->status = k == DNSBL_ZONE_REFUSAL ? DNSBL_REFUSED :
	    k == DNSBL_ZONE_LISTING           ? DNSBL_LISTED :
	                                        DNSBL_NOT_LISTED;
	out->hits = hit[k];
	out->nhits = n[k];
	if (k == DNSBL_ZONE_REFUSAL)
		out->why = hit[k][0].meanings[0];
}
