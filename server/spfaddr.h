/* SPDX-License-Identifier: MIT */
/*
 * spfaddr.h - IP addresses and CIDR prefixes for SPF (RFC 7208 §5.6)
 *
 * API: spfaddr_parse_client reads the client's address, IPv4 or IPv6; an
 * IPv4-mapped IPv6 address becomes IPv4 (RFC 7208 §5, "MUST still be
 * considered an IPv4 address"). spfaddr_parse_ip4 / spfaddr_parse_ip6 read
 * the networks of the ip4: and ip6: mechanisms with the grammar of §12
 * (no leading zeros in an ip4-network), spfaddr_parse_cidr a prefix length
 * ("0" or a number without leading zeros, at most max), and spfaddr_match
 * compares two addresses of one family under a prefix. spfaddr_str writes
 * the text forms: readable (%{c}, RFC 5952 for IPv6), dotted (%{i}: a
 * dotted quad, or 32 dot-separated uppercase nibbles for IPv6, §7.3) and
 * the reverse name of the PTR lookup (§5.5, "4.3.2.1.in-addr.arpa",
 * lowercase).
 * Not here: domain names (spfname.c), macros (spfmacro.c).
 * Ownership: pure functions; text goes into the caller's buffer of
 * SPFADDR_MAX_TEXT bytes.
 */
#ifndef SPFADDR_H
#define SPFADDR_H

#include <stdbool.h>
#include <stdint.h>

#include "span.h"

/* the longest form: 32 nibbles and dots, "ip6.arpa", NUL */
#define SPFADDR_MAX_TEXT 80

struct spfaddr {
	bool v6;
	uint8_t b[16]; /* network order; IPv4 uses b[0..3] */
};

enum spfaddr_form {
	SPFADDR_READABLE, /* "192.0.2.3", "2001:db8::cb01" */
	SPFADDR_DOTTED,   /* "192.0.2.3", "2.0.0.1.0.D.B.8...C.B.0.1" */
	SPFADDR_REVERSE,  /* "3.2.0.192.in-addr.arpa", "...ip6.arpa" */
};

/* The client's address. Returns 0, or -1 when s is not an address. */
int spfaddr_parse_client(struct span s, struct spfaddr *out);
/* ip4-network of RFC 7208 §12: four decimal octets, no leading zeros. */
int spfaddr_parse_ip4(struct span s, struct spfaddr *out);
/* ip6-network: RFC 4291 §2.2 text, kept as IPv6 even when mapped. */
int spfaddr_parse_ip6(struct span s, struct spfaddr *out);
/* A prefix length: "0" or 1-9 followed by digits, no more than max.
 * Returns 0, or -1 for anything else. */
int spfaddr_parse_cidr(struct span s, unsigned max, unsigned *out);

/* Same family and the first prefix bits equal. */
bool spfaddr_match(const struct spfaddr *ip, const struct spfaddr *net,
    unsigned prefix);

/* Writes the form asked for into out (NUL-terminated) and returns out. */
char *spfaddr_str(const struct spfaddr *a, enum spfaddr_form form,
    char out[SPFADDR_MAX_TEXT]);

#endif
