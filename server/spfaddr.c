/* SPDX-License-Identifier: MIT */
/*
 * spfaddr.c - IP addresses and CIDR prefixes for SPF (RFC 7208 §5.6)
 *
 * IPv6 text goes through inet_pton on a bounded copy; IPv4 is read here,
 * because the SPF grammar is stricter than inet_aton (no leading zeros,
 * exactly four parts).
 * Not here: DNS names (spfname.c), the ip4:/ip6: terms (spfrecord.c).
 */
#include "spfaddr.h"

#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

/* the longest IPv6 text: 8 groups of 4 and 7 colons, or 6 groups and a
 * dotted quad */
#define SPFADDR_MAX_IP6_TEXT 45

static const char spfaddr_hex[] = "0123456789abcdef";
static const char spfaddr_HEX[] = "0123456789ABCDEF";

int
spfaddr_parse_ip4(struct span s, struct spfaddr *out)
{
	struct spfaddr a;
	size_t i = 0;

	memset(&a, 0, sizeof(a));
	for (int part = 0; part < 4; part++) {
		unsigned v = 0;
		size_t start = i;

		if (part > 0) {
			if (i >= s.len || s.ptr[i] != '.')
				return -1;
			start = ++i;
		}
		while (i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9' &&
		    i - start < 3) {
			v = v * 10 + (unsigned)(s.ptr[i] - '0');
			i++;
		}
		/* RFC 7208 §12 qnum: 0-255 without leading zeros */
		if (i == start || v > 255 ||
		    (s.ptr[start] == '0' && i - start > 1))
			return -1;
		a.b[part] = (uint8_t)v;
	}
	if (i != s.len)
		return -1;
	*out = a;
	return 0;
}

int
spfaddr_parse_ip6(struct span s, struct spfaddr *out)
{
	char text[SPFADDR_MAX_IP6_TEXT + 1];
	struct spfaddr a;

	if (s.len == 0 || s.len > SPFADDR_MAX_IP6_TEXT ||
	    memchr(s.ptr, '\0', s.len) != NULL)
		return -1;
	memcpy(text, s.ptr, s.len);
	text[s.len] = '\0';
	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET6, text, a.b) != 1)
		return -1;
	a.v6 = true;
	*out = a;
	return 0;
}

int
spfaddr_parse_client(struct span s, struct spfaddr *out)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff,
		0xff };
	struct spfaddr a;

	if (spfaddr_parse_ip4(s, out) == 0)
		return 0;
	if (spfaddr_parse_ip6(s, &a) == -1)
		return -1;
	/* RFC 7208 §5: an IPv4-mapped IPv6 address is an IPv4 client */
	if (memcmp(a.b, mapped, sizeof(mapped)) == 0) {
		memmove(a.b, a.b + 12, 4);
		memset(a.b + 4, 0, 12);
		a.v6 = false;
	}
	*out = a;
	return 0;
}

int
spfaddr_parse_cidr(struct span s, unsigned max, unsigned *out)
{
	unsigned v = 0;

	/* RFC 7208 §12: "0" / %x31-39 0*2DIGIT, so at most three digits */
	if (s.len == 0 || s.len > 3 || (s.ptr[0] == '0' && s.len > 1))
		return -1;
	for (size_t i = 0; i < s.len; i++) {
		if (s.ptr[i] < '0' || s.ptr[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s.ptr[i] - '0');
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

bool
spfaddr_match(const struct spfaddr *ip, const struct spfaddr *net,
    unsigned prefix)
{
	unsigned max = ip->v6 ? 128 : 32;
	unsigned full, rest;

	if (ip->v6 != net->v6)
		return false;
	if (prefix > max)
		prefix = max;
	full = prefix / 8;
	rest = prefix % 8;
	if (memcmp(ip->b, net->b, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((ip->b[full] ^ net->b[full]) & (0xffu << (8 - rest)) & 0xffu) ==
	    0;
}

/* spfaddr_readable6 - RFC 5952: lowercase, no leading zeros, the longest
 * run of two or more zero groups (the first of equals) as "::" */
static void
spfaddr_readable6(const uint8_t b[16], char *out, size_t cap)
{
	unsigned g[8];
	int best = -1, bestlen = 0;
	size_t n = 0;

	for (int i = 0; i < 8; i++)
		g[i] = (unsigned)b[2 * i] << 8 | b[2 * i + 1];
	for (int i = 0; i < 8;) {
		int j = i;

		while (j < 8 && g[j] == 0)
			j++;
		if (j - i > bestlen && j - i >= 2) {
			best = i;
			bestlen = j - i;
		}
		i = j > i ? j : i + 1;
	}
	out[0] = '\0';
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			n += (size_t)snprintf(out + n, cap - n, "::");
			i += bestlen - 1;
			continue;
		}
		n += (size_t)snprintf(out + n, cap - n, "%s%x",
		    (i == 0 || i == best + bestlen) ? "" : ":", g[i]);
	}
}

char *
spfaddr_str(const struct spfaddr *a, enum spfaddr_form form,
    char out[SPFADDR_MAX_TEXT])
{
	size_t n = 0;

	if (!a->v6) {
		if (form == SPFADDR_REVERSE)
			(void)snprintf(out, SPFADDR_MAX_TEXT,
			    "%u.%u.%u.%u.in-addr.arpa", a->b[3], a->b[2],
			    a->b[1], a->b[0]);
		else
			(void)snprintf(out, SPFADDR_MAX_TEXT, "%u.%u.%u.%u",
			    a->b[0], a->b[1], a->b[2], a->b[3]);
		return out;
	}
	if (form == SPFADDR_READABLE) {
		spfaddr_readable6(a->b, out, SPFADDR_MAX_TEXT);
		return out;
	}
	/* RFC 7208 §7.3: IPv6 %{i} is 32 nibbles, high first, dotted; the
	 * reverse name lists them low first (RFC 3596 §2.5). %{i} is written
	 * in uppercase, as the openspf suite (and pyspf) expect in
	 * explanations; §7.4 shows lowercase, and DNS names ignore case
	 * (RFC 4343), so queries are the same either way. */
	for (int i = 0; i < 32; i++) {
		int k = form == SPFADDR_REVERSE ? 31 - i : i;
		unsigned byte = a->b[k / 2];
		unsigned nib = k % 2 == 0 ? byte >> 4 : byte & 0xfu;

		if (i > 0)
			out[n++] = '.';
		out[n++] = form == SPFADDR_REVERSE ? spfaddr_hex[nib] :
		                                     spfaddr_HEX[nib];
	}
	out[n] = '\0';
	if (form == SPFADDR_REVERSE)
		(void)snprintf(out + n, SPFADDR_MAX_TEXT - n, ".ip6.arpa");
	return out;
}
