/* SPDX-License-Identifier: MIT */
/*
 * ipclass.c - what kind of address an IPv4 or IPv6 address is
 *
 * Two tables of prefixes, each read from the top, the first match wins:
 * a range that a wider one contains comes before it (192.0.0.9/32, a
 * globally reachable anycast address, before 192.0.0.0/24). The ranges
 * are those of IANA's IPv4 and IPv6 Special-Purpose Address Registries
 * (RFC 6890) as of 2024, with multicast from the address space
 * registries; an IPv6 address outside 2000::/3 that no entry names is
 * space the IETF has not allocated (RFC 4291 §2.4), so reserved.
 * Not here: parsing addresses for SPF (spfaddr.c), the checks that use
 * the classes (mxcheck.c).
 */
#include "ipclass.h"

#include <arpa/inet.h>

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* INET6_ADDRSTRLEN without the NUL: the longest text inet_pton reads */
#define IPCLASS_MAX_TEXT 45

struct ipclass_range {
	uint8_t net[16]; /* network order; the bytes after bits are 0 */
	unsigned bits;
	enum ipclass c;
};

static const struct ipclass_range ipclass_v4[] = {
	{ { 0, 0, 0, 0 }, 32, IPCLASS_UNSPECIFIED },
	{ { 0 }, 8, IPCLASS_RESERVED },     /* "this network", RFC 791 */
	{ { 10 }, 8, IPCLASS_PRIVATE },     /* RFC 1918 */
	{ { 100, 64 }, 10, IPCLASS_CGNAT }, /* RFC 6598 */
	{ { 127 }, 8, IPCLASS_LOOPBACK },
	{ { 169, 254 }, 16, IPCLASS_LINK_LOCAL },
	{ { 172, 16 }, 12, IPCLASS_PRIVATE },
	/* PCP and TURN anycast (RFC 7723, RFC 8155): globally reachable */
	{ { 192, 0, 0, 9 }, 32, IPCLASS_PUBLIC },
	{ { 192, 0, 0, 10 }, 32, IPCLASS_PUBLIC },
	{ { 192, 0, 0 }, 24, IPCLASS_RESERVED },      /* IETF protocol use */
	{ { 192, 0, 2 }, 24, IPCLASS_DOCUMENTATION }, /* TEST-NET-1 */
	{ { 192, 88, 99 }, 24, IPCLASS_RESERVED },    /* 6to4, RFC 7526 */
	{ { 192, 168 }, 16, IPCLASS_PRIVATE },
	{ { 198, 18 }, 15, IPCLASS_RESERVED },           /* benchmarking */
	{ { 198, 51, 100 }, 24, IPCLASS_DOCUMENTATION }, /* TEST-NET-2 */
	{ { 203, 0, 113 }, 24, IPCLASS_DOCUMENTATION },  /* TEST-NET-3 */
	{ { 224 }, 4, IPCLASS_MULTICAST },
	{ { 240 }, 4, IPCLASS_RESERVED }, /* and the limited broadcast */
};

static const struct ipclass_range ipclass_v6[] = {
	{ { 0 }, 128, IPCLASS_UNSPECIFIED },
	{ { [15] = 1 }, 128, IPCLASS_LOOPBACK },
	/* the NAT64 well-known prefix (RFC 6052) is globally reachable,
	 * its local-use neighbour (RFC 8215) is not */
	{ { 0, 0x64, 0xff, 0x9b }, 96, IPCLASS_PUBLIC },
	{ { 0, 0x64, 0xff, 0x9b, 0, 1 }, 48, IPCLASS_RESERVED },
	{ { 0x01 }, 64, IPCLASS_RESERVED }, /* discard-only, RFC 6666 */
	/* 2001::/23, IETF protocol assignments (Teredo, benchmarking,
	 * ...), except the ones the registry calls globally reachable */
	{ { 0x20, 0x01, 0, 0x01, [15] = 1 }, 128, IPCLASS_PUBLIC },
	{ { 0x20, 0x01, 0, 0x01, [15] = 2 }, 128, IPCLASS_PUBLIC },
	{ { 0x20, 0x01, 0, 0x01, [15] = 3 }, 128, IPCLASS_PUBLIC },
	{ { 0x20, 0x01, 0, 0x03 }, 32, IPCLASS_PUBLIC },             /* AMT */
	{ { 0x20, 0x01, 0, 0x04, 0x01, 0x12 }, 48, IPCLASS_PUBLIC }, /* AS112 */
	{ { 0x20, 0x01, 0, 0x20 }, 28, IPCLASS_PUBLIC }, /* ORCHIDv2 */
	{ { 0x20, 0x01, 0, 0x30 }, 28, IPCLASS_PUBLIC }, /* DRIP */
	{ { 0x20, 0x01 }, 23, IPCLASS_RESERVED },
	{ { 0x20, 0x01, 0x0d, 0xb8 }, 32, IPCLASS_DOCUMENTATION },
	{ { 0x3f, 0xff }, 20, IPCLASS_DOCUMENTATION }, /* RFC 9637 */
	{ { 0x5f }, 16, IPCLASS_RESERVED },            /* SRv6, RFC 9602 */
	{ { 0xfc }, 7, IPCLASS_PRIVATE },
	{ { 0xfe, 0x80 }, 10, IPCLASS_LINK_LOCAL },
	{ { 0xfe, 0xc0 }, 10, IPCLASS_RESERVED }, /* site-local, RFC 3879 */
	{ { 0xff }, 8, IPCLASS_MULTICAST },
	{ { 0x20 }, 3, IPCLASS_PUBLIC }, /* global unicast */
	{ { 0 }, 0, IPCLASS_RESERVED },  /* not allocated */
};

/* ipclass_in - are the first bits of b those of net? */
static bool
ipclass_in(const uint8_t *b, const uint8_t *net, unsigned bits)
{
	size_t whole = bits / 8;
	unsigned rest = bits % 8;

	if (memcmp(b, net, whole) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((b[whole] ^ net[whole]) & (0xffu << (8 - rest)) & 0xffu) == 0;
}

static enum ipclass
ipclass_find(const uint8_t *b, const struct ipclass_range *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (ipclass_in(b, t[i].net, t[i].bits))
			return t[i].c;
	}
	return IPCLASS_PUBLIC;
}

enum ipclass
ipclass_of_v4(const uint8_t *b)
{
	return ipclass_find(b, ipclass_v4,
	    sizeof(ipclass_v4) / sizeof(ipclass_v4[0]));
}

enum ipclass
ipclass_of_v6(const uint8_t *b)
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (memcmp(b, mapped, sizeof(mapped)) == 0)
		return ipclass_of_v4(b + 12);
	return ipclass_find(b, ipclass_v6,
	    sizeof(ipclass_v6) / sizeof(ipclass_v6[0]));
}

int
ipclass_parse(struct span s, enum ipclass *out)
{
	char text[IPCLASS_MAX_TEXT + 1];
	uint8_t b[16];

	if (s.len == 0 || s.len > IPCLASS_MAX_TEXT ||
	    memchr(s.ptr, '\0', s.len) != NULL) {
		return -1;
	}
	memcpy(text, s.ptr, s.len);
	text[s.len] = '\0';
	if (inet_pton(AF_INET, text, b) == 1)
		*out = ipclass_of_v4(b);
	else if (inet_pton(AF_INET6, text, b) == 1)
		*out = ipclass_of_v6(b);
	else
		return -1;
	return 0;
}

const char *
ipclass_str(enum ipclass c)
{
	switch (c) {
	case IPCLASS_PUBLIC:
		return "public";
	case IPCLASS_PRIVATE:
		return "private";
	case IPCLASS_LOOPBACK:
		return "loopback";
	case IPCLASS_LINK_LOCAL:
		return "link_local";
	case IPCLASS_CGNAT:
		return "cgnat";
	case IPCLASS_DOCUMENTATION:
		return "documentation";
	case IPCLASS_MULTICAST:
		return "multicast";
	case IPCLASS_RESERVED:
		return "reserved";
	case IPCLASS_UNSPECIFIED:
		return "unspecified";
	}
	return "reserved";
}
