/* SPDX-License-Identifier: MIT */
/*
 * test_dnsbl_zone.c - the names a blocklist is asked, what its answers say
 *
 * Without DNS: RFC 5782 query names (reversed octets, IPv6 nibbles,
 * domain.zone), the addresses no public list lists, and the reading of
 * answers: listings with their meanings (exact codes, bits, octets,
 * unknown codes), neutral answers, and every answer that is a refusal and
 * never a listing (the zone's refusal codes, Spamhaus's error range, bit
 * 1 of bitmask lists, anything outside 127.0.0.0/8).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "dnsbl_zone.h"
#include "texts_msg.h"
#include "test.h"

static const struct dnsbl_code codes[] = {
	{ 0x7f000002u, 0, "t.code.2" },
	{ 0x7f000004u, 0, "t.code.4" },
};
static const struct dnsbl_code refused[] = {
	{ 0x7ffffffeu, 0, "t.refused.254" },
};
static const struct dnsbl_code neutral[] = {
	{ 0x7f00000fu, 0, "t.neutral.15" },
};
static const struct dnsbl_code bits[] = {
	{ 2, 0, "t.bit.2" },
	{ 4, 0, "t.bit.4" },
};
static const struct dnsbl_code octets[] = {
	{ 10, 3, "t.octet3.10" },
	{ 3, 4, "t.octet4.3" },
};

static const struct dnsbl_zone zen = { .zone = "zen.example",
	.name = "ZEN",
	.kind = DNSBL_KIND_IP,
	.ipv6 = true,
	.codes = codes,
	.ncodes = 2,
	.neutral = neutral,
	.nneutral = 1,
	.refused = refused,
	.nrefused = 1 };
static const struct dnsbl_zone uri = { .zone = "multi.example",
	.name = "URI",
	.kind = DNSBL_KIND_DOMAIN,
	.bitmask = true,
	.bits = bits,
	.nbits = 2 };
static const struct dnsbl_zone wl = { .zone = "wl.example",
	.name = "WL",
	.kind = DNSBL_KIND_ALLOW,
	.octets = octets,
	.noctets = 2 };

/* One answer and how it must read: the first hit's code and meanings. */
struct read_case {
	const struct dnsbl_zone *z;
	uint32_t addrs[3]; /* host order */
	size_t n;
	enum dnsbl_status status;
	size_t nhits;
	const char *code;
	const char *m0, *m1;
	const char *what;
};

static const struct read_case read_cases[] = {
	{ &zen, { 0x7f000004u }, 1, DNSBL_LISTED, 1, "127.0.0.4", "t.code.4",
	    NULL, "127.0.0.4: listed, its meaning from the table" },
	{ &zen, { 0x7f000002u, 0x7f000004u, 0x7f000002u }, 3, DNSBL_LISTED, 2,
	    "127.0.0.2", "t.code.2", NULL, "two codes, one twice: two hits" },
	{ &zen, { 0x7f000063u }, 1, DNSBL_LISTED, 1, "127.0.0.99",
	    "dnsbl.meaning.unknown", NULL,
	    "an undocumented 127.x code lists, its meaning unknown" },
	{ &zen, { 0x7ffffffeu }, 1, DNSBL_REFUSED, 1, "127.255.255.254",
	    "t.refused.254", NULL,
	    "127.255.255.254: refused with the list's reason, never listed" },
	{ &zen, { 0x7f000002u, 0x7ffffffeu }, 2, DNSBL_REFUSED, 1,
	    "127.255.255.254", "t.refused.254", NULL,
	    "a listing beside a refusal is not trusted" },
	{ &uri, { 0x7ffffffcu }, 1, DNSBL_REFUSED, 1, "127.255.255.252",
	    "dnsbl.refused.error_code", NULL,
	    "Spamhaus's error range is refused where not configured too" },
	{ &zen, { 0x7f0001ffu }, 1, DNSBL_REFUSED, 1, "127.0.1.255",
	    "dnsbl.refused.error_code", NULL, "127.0.1.255: refused" },
	{ &zen, { 0xc6336407u }, 1, DNSBL_REFUSED, 1, "198.51.100.7",
	    "dnsbl.refused.not_blocklist", NULL,
	    "outside 127/8: refused, not a blocklist answer" },
	{ &zen, { 0x7f00000fu }, 1, DNSBL_NOT_LISTED, 1, "127.0.0.15",
	    "t.neutral.15", NULL, "a neutral code: not listed, the code kept" },
	{ &zen, { 0x7f00000fu, 0x7f000004u }, 2, DNSBL_LISTED, 1, "127.0.0.4",
	    "t.code.4", NULL, "a listing beside a neutral code: the listing" },
	{ &uri, { 0x7f000001u }, 1, DNSBL_REFUSED, 1, "127.0.0.1",
	    "dnsbl.refused.bitmask", NULL,
	    "127.0.0.1 from a bitmask list: refused" },
	{ &uri, { 0x7f000003u }, 1, DNSBL_REFUSED, 1, "127.0.0.3",
	    "dnsbl.refused.bitmask", NULL,
	    "bit 1 with bit 2: refused, never a listing" },
	{ &uri, { 0x7f000006u }, 1, DNSBL_LISTED, 1, "127.0.0.6", "t.bit.2",
	    "t.bit.4", "bits 2 and 4: listed, two meanings" },
	{ &uri, { 0x7f000012u }, 1, DNSBL_LISTED, 1, "127.0.0.18", "t.bit.2",
	    "dnsbl.meaning.bit_unknown", "bits 2 and 16: an undocumented bit" },
	{ &wl, { 0x7f000a03u }, 1, DNSBL_LISTED, 1, "127.0.10.3", "t.octet3.10",
	    "t.octet4.3",
	    "127.0.10.3 on an allow list: a category and a trust level" },
	{ &wl, { 0x7f006303u }, 1, DNSBL_LISTED, 1, "127.0.99.3", "t.octet4.3",
	    NULL, "an unknown category: the trust level only" },
	{ &wl, { 0x7f006363u }, 1, DNSBL_LISTED, 1, "127.0.99.99",
	    "dnsbl.meaning.unknown", NULL, "nothing known: unknown" },
};

/* answer - an answer of the given status with A records (host order) */
static struct dnsmsg_answer
answer(struct arena *a, enum dnsmsg_status st, const uint32_t *addrs, size_t n)
{
	struct dnsmsg_answer ans = { .status = st };
	struct dnsmsg_record *r = arena_zalloc(a, (n + 1) * sizeof(*r));

	for (size_t i = 0; i < n; i++) {
		r[i].type = DNSMSG_T_A;
		r[i].u.a[0] = (uint8_t)(addrs[i] >> 24);
		r[i].u.a[1] = (uint8_t)(addrs[i] >> 16);
		r[i].u.a[2] = (uint8_t)(addrs[i] >> 8);
		r[i].u.a[3] = (uint8_t)addrs[i];
	}
	ans.records = r;
	ans.nrecords = n;
	return ans;
}

static void
test_names(void)
{
	struct dnsbl_ip ip;
	char q[DNSMSG_MAX_TEXT], longname[300];

	CHECK(dnsbl_ip_parse("192.0.2.1", &ip) && !ip.v6, "IPv4 parses");
	CHECK(dnsbl_zone_qname_ip(&zen, &ip, q, sizeof(q)) == 0,
	    "an IPv4 name fits");
	CHECK_STR(q, "1.2.0.192.zen.example", "RFC 5782 §2.1: reversed octets");
	CHECK(dnsbl_ip_parse("::ffff:198.51.100.7", &ip) && !ip.v6,
	    "an IPv4-mapped IPv6 address is its IPv4 address");
	(void)dnsbl_zone_qname_ip(&zen, &ip, q, sizeof(q));
	CHECK_STR(q, "7.100.51.198.zen.example", "asked as IPv4");
	CHECK(dnsbl_ip_parse("2001:DB8::1", &ip) && ip.v6, "IPv6 parses");
	(void)dnsbl_zone_qname_ip(&zen, &ip, q, sizeof(q));
	CHECK_STR(q,
	    "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2."
	    "zen.example",
	    "RFC 5782 §2.4: 32 reversed nibbles, lowercase");
	CHECK(!dnsbl_ip_parse("192.0.2", &ip) && !dnsbl_ip_parse("host", &ip),
	    "non-addresses do not parse");
	CHECK(dnsbl_zone_qname_domain(&uri, "Mail.Example.COM.", q,
	          sizeof(q)) == 0,
	    "a domain name fits");
	CHECK_STR(q, "mail.example.com.multi.example",
	    "RFC 5782 §3: domain.zone, lowercase, no final dot");
	CHECK(dnsbl_zone_qname_domain(&uri, "a..example", q, sizeof(q)) == -1 &&
	        dnsbl_zone_qname_domain(&uri, "a b.example", q, sizeof(q)) ==
	            -1,
	    "a name that is no domain is not asked");
	memset(longname, 'a', sizeof(longname));
	for (size_t i = 60; i < 250; i += 61)
		longname[i] = '.';
	longname[250] = '\0';
	CHECK(dnsbl_name_ok(longname) &&
	        dnsbl_zone_qname_domain(&uri, longname, q, sizeof(q)) == -1,
	    "a domain too long under the zone is not asked");
}

static void
test_reserved(void)
{
	static const char *const yes[] = { "10.1.2.3", "127.0.0.2",
		"192.168.1.1", "172.16.0.1", "169.254.1.1", "100.64.0.1",
		"224.0.0.1", "0.0.0.0", "255.255.255.255", "::1",
		"::", "fe80::1", "fd00::1", "ff02::1", "::ffff:10.0.0.1" };
	static const char *const no[] = { "192.0.2.1", "8.8.8.8", "172.32.0.1",
		"100.128.0.1", "2001:db8::1", "2a00:1450::1" };
	struct dnsbl_ip ip;

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		CHECK(dnsbl_ip_parse(yes[i], &ip) && dnsbl_ip_reserved(&ip),
		    "%s is on no public list", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		CHECK(dnsbl_ip_parse(no[i], &ip) && !dnsbl_ip_reserved(&ip),
		    "%s may be listed", no[i]);
}

static void
test_no_answer(struct arena *a)
{
	struct dnsmsg_answer ans;
	struct dnsbl_read rd;

	ans = answer(a, DNSMSG_NXDOMAIN, NULL, 0);
	dnsbl_zone_read(a, &zen, &ans, &rd);
	CHECK(rd.status == DNSBL_NOT_LISTED && rd.nhits == 0,
	    "NXDOMAIN: not listed");
	ans = answer(a, DNSMSG_NODATA, NULL, 0);
	dnsbl_zone_read(a, &zen, &ans, &rd);
	CHECK(rd.status == DNSBL_NOT_LISTED, "NODATA: not listed");
	ans = answer(a, DNSMSG_TIMEOUT, NULL, 0);
	dnsbl_zone_read(a, &zen, &ans, &rd);
	CHECK(rd.status == DNSBL_ERROR && rd.nhits == 0,
	    "a timeout is no answer: error, never listed");
	CHECK_STR(dnsbl_status_str(DNSBL_NOT_CONFIGURED), "not_configured",
	    "status names");
}

static void
test_read(struct arena *a)
{
	for (size_t i = 0; i < sizeof(read_cases) / sizeof(read_cases[0]);
	     i++) {
		const struct read_case *c = &read_cases[i];
		struct dnsmsg_answer ans = answer(a, DNSMSG_OK, c->addrs, c->n);
		struct dnsbl_read rd;
		const char *m0, *m1;

		dnsbl_zone_read(a, c->z, &ans, &rd);
		m0 = rd.nhits > 0 && rd.hits[0].nmeanings > 0 ?
		    rd.hits[0].meanings[0]->id :
		    NULL;
		m1 = rd.nhits > 0 && rd.hits[0].nmeanings > 1 ?
		    rd.hits[0].meanings[1]->id :
		    NULL;
		CHECK(rd.status == c->status && rd.nhits == c->nhits &&
		        test_streq(rd.nhits > 0 ? rd.hits[0].code : NULL,
		            c->code) &&
		        test_streq(m0, c->m0) && test_streq(m1, c->m1) &&
		        (c->status != DNSBL_REFUSED || rd.why != NULL),
		    "%s: %s, %zu hit(s), %s, %s", c->what,
		    dnsbl_status_str(rd.status), rd.nhits,
		    m0 != NULL ? m0 : "-", m1 != NULL ? m1 : "-");
	}
}

int
main(void)
{
	struct arena *a = arena_new();

	test_names();
	test_reserved();
	test_no_answer(a);
	test_read(a);
	arena_free(a);
	return test_done();
}
