/* SPDX-License-Identifier: MIT */
/*
 * ipclass.h - what kind of address an IPv4 or IPv6 address is
 *
 * A mail server on the Internet needs a public address: one that a
 * sender anywhere can reach. The special-purpose address registries of
 * IANA (RFC 6890 and the RFCs after it) say which ranges are not: private
 * networks (RFC 1918, RFC 4193), loopback, link-local, the shared space
 * of carrier-grade NAT (RFC 6598), the documentation ranges (RFC 5737,
 * RFC 3849, RFC 9637), multicast, the unspecified address and the rest
 * reserved. The MX check reports an exchange's addresses by class; the
 * reverse-DNS and blocklist checks can ask the same of a client address.
 *
 * API: ipclass_of_v4 and ipclass_of_v6 classify bytes in network order,
 * ipclass_parse classifies text (and so tells whether a text is an
 * address at all); ipclass_str names a class. An IPv4-mapped IPv6
 * address (::ffff:0:0/96, RFC 4291 §2.5.5.2) is classified as the IPv4
 * address it carries: that is where a dual-stack host connects.
 * Not here: address text forms and CIDR matching for SPF (spfaddr.c).
 * Ownership: pure functions.
 */
#ifndef IPCLASS_H
#define IPCLASS_H

#include <stdint.h>

#include "span.h"

enum ipclass {
	IPCLASS_PUBLIC,        /* none of the others: globally reachable */
	IPCLASS_PRIVATE,       /* RFC 1918; fc00::/7 unique local, RFC 4193 */
	IPCLASS_LOOPBACK,      /* 127.0.0.0/8, ::1 */
	IPCLASS_LINK_LOCAL,    /* 169.254.0.0/16 (RFC 3927), fe80::/10 */
	IPCLASS_CGNAT,         /* 100.64.0.0/10, RFC 6598 */
	IPCLASS_DOCUMENTATION, /* RFC 5737, 2001:db8::/32, 3fff::/20 */
	IPCLASS_MULTICAST,     /* 224.0.0.0/4, ff00::/8 */
	IPCLASS_RESERVED,      /* the other special-purpose ranges */
	IPCLASS_UNSPECIFIED,   /* 0.0.0.0, :: */
};

#define IPCLASS_COUNT ((unsigned)IPCLASS_UNSPECIFIED + 1)

/* b: 4 bytes, network order. */
enum ipclass ipclass_of_v4(const uint8_t *b);
/* b: 16 bytes, network order. */
enum ipclass ipclass_of_v6(const uint8_t *b);

/* Text: a dotted quad ("192.0.2.1", no leading zeros) or RFC 4291 §2.2
 * IPv6 text, nothing around it. Returns 0 with *out set, or -1 when s is
 * not an address. */
int ipclass_parse(struct span s, enum ipclass *out);

/* "public", "private", "loopback", "link_local", "cgnat",
 * "documentation", "multicast", "reserved", "unspecified". */
const char *ipclass_str(enum ipclass c);

#endif
