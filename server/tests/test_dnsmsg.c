/* SPDX-License-Identifier: MIT */
/*
 * test_dnsmsg.c - unit tests for dnsmsg.h: written messages parsed back
 * for every type, compression, CNAME chains, TXT strings, negative
 * answers and their TTLs, the query readers, and hostile input (pointer
 * loops, forward pointers, cut messages, lying counts, long labels and
 * names, random damage), which must come out MALFORMED or -1, never
 * crash.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "dnsmsg.h"
#include "test.h"

#define T_RESP (DNSMSG_F_QR | DNSMSG_F_AA | DNSMSG_F_RD | DNSMSG_F_RA)

/* A message being built with the writer. */
struct t_msg {
	struct dnsmsg_writer w;
	uint8_t buf[DNSMSG_MAX_MSG];
};

static struct t_msg t_m;

static void
t_start(uint16_t flags, const char *qname, uint16_t qtype)
{
	dnsmsg_writer_init(&t_m.w, t_m.buf, sizeof(t_m.buf));
	if (dnsmsg_write_header(&t_m.w, 0x4242, flags, qname, qtype) == -1)
		CHECK(false, "header for %s", qname);
}

static void
t_rr(const char *name, uint16_t type, uint32_t ttl, const void *rd, size_t len)
{
	if (dnsmsg_write_rr(&t_m.w, name, type, ttl, rd, len) == -1)
		CHECK(false, "rr %s type %u", name, (unsigned)type);
}

static void
t_name_rr(const char *name, uint16_t type, uint32_t ttl, const char *target)
{
	uint8_t rd[DNSMSG_MAX_NAME];
	int n = dnsmsg_rdata_name(target, rd, sizeof(rd));

	CHECK(n > 0, "rdata name %s", target);
	t_rr(name, type, ttl, rd, n > 0 ? (size_t)n : 0);
}

static void
t_txt_rr(const char *name, uint16_t type, uint32_t ttl, const char *s)
{
	uint8_t rd[1024];
	int n = dnsmsg_rdata_txt(s, strlen(s), rd, sizeof(rd));

	t_rr(name, type, ttl, rd, n > 0 ? (size_t)n : 0);
}

static void
t_soa(uint32_t ttl, uint32_t minimum)
{
	struct dnsmsg_soa soa = { "ns.example.com", "hostmaster.example.com",
		2024010101, 3600, 600, 86400, minimum };
	uint8_t rd[600];
	int n = dnsmsg_rdata_soa(&soa, rd, sizeof(rd));

	CHECK(n > 0 &&
	        dnsmsg_write_authority(&t_m.w, "example.com", DNSMSG_T_SOA, ttl,
	            rd, (size_t)n) == 0,
	    "SOA in the authority section");
}

static enum dnsmsg_status
t_parse_bytes(struct arena *a, const uint8_t *p, size_t len, const char *qname,
    uint16_t qtype, struct dnsmsg_answer *ans)
{
	return dnsmsg_parse(a, span_make((const char *)p, len), qname, qtype,
	    ans);
}

static enum dnsmsg_status
t_parse(struct arena *a, const char *qname, uint16_t qtype,
    struct dnsmsg_answer *ans)
{
	return t_parse_bytes(a, t_m.buf, t_m.w.len, qname, qtype, ans);
}

static void
test_types(struct arena *a)
{
	static const uint8_t ip4[4] = { 192, 0, 2, 1 },
	                     ip4b[4] = { 192, 0, 2, 2 };
	static const uint8_t ip6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 1 };
	struct dnsmsg_answer ans;
	uint8_t rd[300];
	int n;

	t_start(T_RESP, "example.com", DNSMSG_T_A);
	t_rr("example.com", DNSMSG_T_A, 300, ip4, 4);
	t_rr("example.com", DNSMSG_T_A, 60, ip4b, 4);
	CHECK(t_parse(a, "example.com", DNSMSG_T_A, &ans) == DNSMSG_OK &&
	        ans.nrecords == 2 && memcmp(ans.records[0].u.a, ip4, 4) == 0 &&
	        memcmp(ans.records[1].u.a, ip4b, 4) == 0,
	    "A: two records, in order");
	CHECK(ans.ttl == 60 && ans.records[0].ttl == 300 && ans.rcode == 0 &&
	        !ans.truncated,
	    "A: ttl is the smallest (%u)", ans.ttl);
	CHECK_STR(ans.canonical, "example.com", "A: canonical");
	CHECK(t_parse(a, "EXAMPLE.Com.", DNSMSG_T_A, &ans) == DNSMSG_OK &&
	        ans.nrecords == 2,
	    "A: qname case and final dot do not matter");
	CHECK_STR(ans.canonical, "example.com", "canonical is lowercased");

	t_start(T_RESP, "example.com", DNSMSG_T_AAAA);
	t_rr("example.com", DNSMSG_T_AAAA, 300, ip6, 16);
	CHECK(t_parse(a, "example.com", DNSMSG_T_AAAA, &ans) == DNSMSG_OK &&
	        ans.nrecords == 1 &&
	        memcmp(ans.records[0].u.aaaa, ip6, 16) == 0 &&
	        ans.records[0].type == DNSMSG_T_AAAA,
	    "AAAA");

	t_start(T_RESP, "example.com", DNSMSG_T_MX);
	n = dnsmsg_rdata_mx(10, "MX1.Example.com.", rd, sizeof(rd));
	t_rr("example.com", DNSMSG_T_MX, 300, rd, (size_t)n);
	n = dnsmsg_rdata_mx(0, "", rd, sizeof(rd));
	t_rr("example.com", DNSMSG_T_MX, 300, rd, (size_t)n);
	CHECK(t_parse(a, "example.com", DNSMSG_T_MX, &ans) == DNSMSG_OK &&
	        ans.nrecords == 2 && ans.records[0].u.mx.preference == 10 &&
	        ans.records[1].u.mx.preference == 0,
	    "MX: two records");
	CHECK_STR(ans.records[0].u.mx.host, "mx1.example.com",
	    "MX host lowercased, no final dot");
	CHECK_STR(ans.records[1].u.mx.host, "", "null MX is the root");

	t_start(T_RESP, "1.2.0.192.in-addr.arpa", DNSMSG_T_PTR);
	t_name_rr("1.2.0.192.in-addr.arpa", DNSMSG_T_PTR, 300,
	    "Host.Example.COM.");
	CHECK(t_parse(a, "1.2.0.192.in-addr.arpa", DNSMSG_T_PTR, &ans) ==
	        DNSMSG_OK,
	    "PTR");
	CHECK_STR(ans.nrecords == 1 ? ans.records[0].u.name : NULL,
	    "host.example.com", "PTR target lowercased");

	t_start(T_RESP, "alias.example.com", DNSMSG_T_CNAME);
	t_name_rr("alias.example.com", DNSMSG_T_CNAME, 300, "target.example");
	CHECK(t_parse(a, "alias.example.com", DNSMSG_T_CNAME, &ans) ==
	            DNSMSG_OK &&
	        ans.nrecords == 1,
	    "CNAME asked for is not followed");
	CHECK_STR(ans.records[0].u.name, "target.example", "CNAME target");
	CHECK_STR(ans.canonical, "alias.example.com", "CNAME: canonical");

	t_start(T_RESP, "example.com", DNSMSG_T_NS);
	t_name_rr("example.com", DNSMSG_T_NS, 300, "ns1.example.com");
	CHECK(t_parse(a, "example.com", DNSMSG_T_NS, &ans) == DNSMSG_OK &&
	        test_streq(ans.records[0].u.name, "ns1.example.com"),
	    "NS");

	t_start(T_RESP, "example.com", 257);
	t_rr("example.com", 257, 300, (const uint8_t *)"\0\5issueca", 9);
	CHECK(t_parse(a, "example.com", 257, &ans) == DNSMSG_OK &&
	        ans.nrecords == 1 && ans.records[0].type == 257 &&
	        ans.records[0].ttl == 300,
	    "another type: type and ttl kept");
}

static void
test_txt(struct arena *a)
{
	struct dnsmsg_answer ans;
	uint8_t rd[1200], big[600];
	const struct dnsmsg_record *r;
	int n, m;

	t_start(T_RESP, "example.com", DNSMSG_T_TXT);
	t_txt_rr("example.com", DNSMSG_T_TXT, 300, "v=spf1 -all");
	CHECK(t_parse(a, "example.com", DNSMSG_T_TXT, &ans) == DNSMSG_OK &&
	        ans.nrecords == 1,
	    "TXT: one record");
	r = &ans.records[0];
	CHECK(r->u.txt.len == 11 && r->u.txt.nstrings == 1 &&
	        memcmp(r->u.txt.data, "v=spf1 -all", 11) == 0 &&
	        r->u.txt.data[11] == '\0',
	    "TXT: data, length, one string, NUL after");

	/* several strings joined without separators (RFC 7208 §3.3) */
	n = dnsmsg_rdata_txt("v=spf1 ", 7, rd, sizeof(rd));
	m = dnsmsg_rdata_txt("ip4:192.0.2.1 -all", 18, rd + n,
	    sizeof(rd) - (size_t)n);
	t_start(T_RESP, "example.com", DNSMSG_T_TXT);
	t_rr("example.com", DNSMSG_T_TXT, 300, rd, (size_t)(n + m));
	/* empty RDATA: a record with no strings */
	t_rr("example.com", DNSMSG_T_TXT, 300, NULL, 0);
	/* one empty string */
	n = dnsmsg_rdata_txt("", 0, rd, sizeof(rd));
	CHECK(n == 1 && rd[0] == 0, "an empty string is one length octet");
	t_rr("example.com", DNSMSG_T_TXT, 300, rd, (size_t)n);
	CHECK(t_parse(a, "example.com", DNSMSG_T_TXT, &ans) == DNSMSG_OK &&
	        ans.nrecords == 3,
	    "TXT: three records");
	r = ans.records;
	CHECK(r[0].u.txt.nstrings == 2 && r[0].u.txt.len == 25 &&
	        memcmp(r[0].u.txt.data, "v=spf1 ip4:192.0.2.1 -all", 25) == 0,
	    "TXT: two strings joined");
	CHECK(r[1].u.txt.nstrings == 0 && r[1].u.txt.len == 0 &&
	        r[1].u.txt.data != NULL,
	    "TXT: empty RDATA is kept, nstrings 0");
	CHECK(r[2].u.txt.nstrings == 1 && r[2].u.txt.len == 0,
	    "TXT: one empty string");

	/* arbitrary bytes, and strings over 255 octets split */
	memset(big, 'x', sizeof(big));
	memcpy(big + 10, "\0\r\n\xff", 4);
	n = dnsmsg_rdata_txt(big, 600, rd, sizeof(rd));
	CHECK(n == 603 && rd[0] == 255 && rd[256] == 255 && rd[512] == 90,
	    "600 octets become strings of 255, 255, 90 (%d)", n);
	t_start(T_RESP, "example.com", DNSMSG_T_SPF);
	t_rr("example.com", DNSMSG_T_SPF, 300, rd, (size_t)n);
	CHECK(t_parse(a, "example.com", DNSMSG_T_SPF, &ans) == DNSMSG_OK &&
	        ans.nrecords == 1 && ans.records[0].type == DNSMSG_T_SPF &&
	        ans.records[0].u.txt.nstrings == 3 &&
	        ans.records[0].u.txt.len == 600 &&
	        memcmp(ans.records[0].u.txt.data, big, 600) == 0,
	    "SPF (99): NUL, CR, LF and 0xff kept with the length");
	CHECK(dnsmsg_rdata_txt(big, 600, rd, 602) == -1,
	    "rdata_txt: too small a buffer is -1");
}

/* test_compression - the writer compresses owners; the reader follows
 * pointers in owners and RDATA */
static void
test_compression(struct arena *a)
{
	static const uint8_t ip4[4] = { 192, 0, 2, 1 };
	/* question example.com at 12; MX RDATA "mail" + pointer to 12 */
	static const uint8_t msg[] = { 0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0,
		0, 0, 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
		0, 15, 0, 1, 0xc0, 12, 0, 15, 0, 1, 0, 0, 1, 0, 0, 9, 0, 5, 4,
		'm', 'a', 'i', 'l', 0xc0, 12 };
	struct dnsmsg_answer ans;

	t_start(T_RESP, "example.com", DNSMSG_T_A);
	t_rr("example.com", DNSMSG_T_A, 300, ip4, 4);
	t_rr("www.EXAMPLE.com", DNSMSG_T_A, 300, ip4, 4);
	/* 12 header + 13 name + 4; rr 1 owner is a pointer to 12 */
	CHECK(t_m.buf[29] == 0xc0 && t_m.buf[30] == 12,
	    "an owner equal to the question is a pointer to it");
	CHECK(t_m.buf[45] == 3 && t_m.buf[49] == 0xc0 && t_m.buf[50] == 12,
	    "www.example.com is a label and a pointer to the suffix");
	CHECK(t_parse(a, "www.example.com", DNSMSG_T_A, &ans) ==
	        DNSMSG_MALFORMED,
	    "a question mismatch is malformed");
	CHECK(t_parse(a, "example.com", DNSMSG_T_A, &ans) == DNSMSG_OK &&
	        ans.nrecords == 1,
	    "only the owner asked for counts");

	CHECK(t_parse_bytes(a, msg, sizeof(msg), "example.com", DNSMSG_T_MX,
	          &ans) == DNSMSG_OK &&
	        ans.nrecords == 1 && ans.records[0].u.mx.preference == 5 &&
	        test_streq(ans.records[0].u.mx.host, "mail.example.com") &&
	        ans.ttl == 256,
	    "MX host compressed inside RDATA");
}

static void
test_cname(struct arena *a)
{
	static const uint8_t ip4[4] = { 192, 0, 2, 7 };
	struct dnsmsg_answer ans;
	enum dnsmsg_status st;
	char from[32], to[32];

	/* the chain out of order, owners in another case */
	t_start(T_RESP, "alias.example.com", DNSMSG_T_A);
	t_name_rr("B.example.com", DNSMSG_T_CNAME, 100, "target.example.net");
	t_rr("target.example.net", DNSMSG_T_A, 300, ip4, 4);
	t_name_rr("ALIAS.example.com", DNSMSG_T_CNAME, 50, "b.example.com");
	t_rr("alias.example.com", DNSMSG_T_TXT, 10, "\0", 1);
	CHECK(t_parse(a, "alias.example.com", DNSMSG_T_A, &ans) == DNSMSG_OK &&
	        ans.nrecords == 1 && memcmp(ans.records[0].u.a, ip4, 4) == 0,
	    "CNAME chain followed (RFC 1034 §3.6.2)");
	CHECK_STR(ans.canonical, "target.example.net", "canonical after chain");
	CHECK(ans.ttl == 50, "chain ttl includes the CNAMEs (%u)", ans.ttl);

	t_start(T_RESP, "alias.example.com", DNSMSG_T_A);
	t_name_rr("alias.example.com", DNSMSG_T_CNAME, 50, "gone.example.com");
	t_soa(600, 120);
	CHECK(t_parse(a, "alias.example.com", DNSMSG_T_A, &ans) ==
	            DNSMSG_NODATA &&
	        ans.ttl == 50 && test_streq(ans.canonical, "gone.example.com"),
	    "chain to a name without records: NODATA at the target");

	t_start(T_RESP | DNSMSG_RCODE_NXDOMAIN, "alias.example.com",
	    DNSMSG_T_A);
	t_name_rr("alias.example.com", DNSMSG_T_CNAME, 500, "gone.example.com");
	t_soa(600, 120);
	CHECK(t_parse(a, "alias.example.com", DNSMSG_T_A, &ans) ==
	            DNSMSG_NXDOMAIN &&
	        ans.ttl == 120 && test_streq(ans.canonical, "gone.example.com"),
	    "NXDOMAIN at the end of a chain (RFC 6604)");

	/* a loop */
	t_start(T_RESP, "a.example", DNSMSG_T_A);
	t_name_rr("a.example", DNSMSG_T_CNAME, 50, "b.example");
	t_name_rr("b.example", DNSMSG_T_CNAME, 50, "a.example");
	CHECK(t_parse(a, "a.example", DNSMSG_T_A, &ans) == DNSMSG_MALFORMED &&
	        ans.nrecords == 0 && ans.canonical != NULL,
	    "a CNAME loop is malformed");
	t_start(T_RESP, "a.example", DNSMSG_T_A);
	t_name_rr("a.example", DNSMSG_T_CNAME, 50, "a.example");
	CHECK(t_parse(a, "a.example", DNSMSG_T_A, &ans) == DNSMSG_MALFORMED,
	    "a CNAME to itself is malformed");

	/* the longest chain allowed, and one more */
	for (int len = DNSMSG_MAX_CNAMES; len <= DNSMSG_MAX_CNAMES + 1; len++) {
		t_start(T_RESP, "c0.example", DNSMSG_T_A);
		for (int i = 0; i < len; i++) {
			(void)snprintf(from, sizeof(from), "c%d.example", i);
			(void)snprintf(to, sizeof(to), "c%d.example", i + 1);
			t_name_rr(from, DNSMSG_T_CNAME, 50, to);
		}
		t_rr(to, DNSMSG_T_A, 50, ip4, 4);
		st = t_parse(a, "c0.example", DNSMSG_T_A, &ans);
		CHECK(st ==
		        (len == DNSMSG_MAX_CNAMES ? DNSMSG_OK :
		                                    DNSMSG_MALFORMED),
		    "a chain of %d CNAMEs: %s", len, dnsmsg_status_str(st));
	}
}

static void
test_negative(struct arena *a)
{
	static const uint8_t ip4[4] = { 192, 0, 2, 7 };
	struct dnsmsg_answer ans;

	t_start(T_RESP | DNSMSG_RCODE_NXDOMAIN, "nx.example.com", DNSMSG_T_A);
	t_soa(3600, 300);
	CHECK(t_parse(a, "nx.example.com", DNSMSG_T_A, &ans) ==
	            DNSMSG_NXDOMAIN &&
	        ans.ttl == 300 && ans.rcode == 3 && ans.nrecords == 0,
	    "NXDOMAIN: ttl from SOA MINIMUM (RFC 2308 §5)");

	t_start(T_RESP, "example.com", DNSMSG_T_AAAA);
	t_soa(60, 300);
	CHECK(t_parse(a, "example.com", DNSMSG_T_AAAA, &ans) == DNSMSG_NODATA &&
	        ans.ttl == 60,
	    "NODATA: the SOA's own TTL when smaller");

	t_start(T_RESP, "example.com", DNSMSG_T_AAAA);
	t_rr("example.com", DNSMSG_T_A, 300, ip4, 4);
	CHECK(t_parse(a, "example.com", DNSMSG_T_AAAA, &ans) == DNSMSG_NODATA &&
	        ans.ttl == 0,
	    "NODATA without SOA: ttl 0 (unknown)");

	t_start(T_RESP | DNSMSG_RCODE_NXDOMAIN, "nx.example.com", DNSMSG_T_A);
	CHECK(t_parse(a, "nx.example.com", DNSMSG_T_A, &ans) ==
	            DNSMSG_NXDOMAIN &&
	        ans.ttl == 0,
	    "NXDOMAIN without SOA");

	t_start(T_RESP | DNSMSG_RCODE_SERVFAIL, "example.com", DNSMSG_T_A);
	CHECK(t_parse(a, "example.com", DNSMSG_T_A, &ans) == DNSMSG_SERVFAIL &&
	        ans.rcode == 2,
	    "RCODE 2: servfail");
	t_start(T_RESP | DNSMSG_RCODE_REFUSED, "example.com", DNSMSG_T_A);
	CHECK(t_parse(a, "example.com", DNSMSG_T_A, &ans) == DNSMSG_SERVFAIL &&
	        ans.rcode == 5,
	    "RCODE 5 (refused): servfail");
	t_start(T_RESP | DNSMSG_RCODE_FORMERR, "example.com", DNSMSG_T_A);
	CHECK(t_parse(a, "example.com", DNSMSG_T_A, &ans) == DNSMSG_SERVFAIL,
	    "RCODE 1 (formerr): servfail");
	t_start(T_RESP | DNSMSG_RCODE_SERVFAIL, NULL, 0);
	CHECK(t_parse(a, "example.com", DNSMSG_T_A, &ans) == DNSMSG_SERVFAIL,
	    "servfail without a question");

	t_start(T_RESP, NULL, 0);
	t_rr("example.com", DNSMSG_T_A, 0x80000010u, ip4, 4);
	CHECK(t_parse(a, "example.com", DNSMSG_T_A, &ans) == DNSMSG_OK &&
	        ans.ttl == 0 && ans.records[0].ttl == 0,
	    "no question is fine; a TTL with the top bit is 0 (RFC 2181 §8)");
}

static void
test_limits(struct arena *a)
{
	static const uint8_t ip4[4] = { 192, 0, 2, 7 };
	struct dnsmsg_answer ans;
	uint8_t small[60];
	struct dnsmsg_writer w;
	size_t len;
	int rc;

	t_start(T_RESP, "example.com", DNSMSG_T_A);
	for (int i = 0; i < 300; i++)
		t_rr("example.com", DNSMSG_T_A, 300, ip4, 4);
	CHECK(t_parse(a, "example.com", DNSMSG_T_A, &ans) == DNSMSG_OK &&
	        ans.nrecords == DNSMSG_MAX_RECORDS,
	    "300 records: %d kept", DNSMSG_MAX_RECORDS);

	/* a record that does not fit leaves the message as it was */
	dnsmsg_writer_init(&w, small, sizeof(small));
	CHECK(dnsmsg_write_header(&w, 1, T_RESP, "example.com", DNSMSG_T_A) ==
	        0,
	    "small buffer: header fits");
	rc = dnsmsg_write_rr(&w, "example.com", DNSMSG_T_A, 300, ip4, 4);
	len = w.len;
	CHECK(rc == 0 && !w.full, "small buffer: one record fits");
	rc = dnsmsg_write_rr(&w, "www.example.com", DNSMSG_T_A, 300, ip4, 4);
	CHECK(rc == -1 && w.full && w.len == len && w.ancount == 1,
	    "small buffer: the second is refused, nothing half written");
	CHECK(dnsmsg_write_rr(&w, "example.com", DNSMSG_T_A, 300, ip4, 1) == -1,
	    "once full, every write is -1");
	CHECK(t_parse_bytes(a, small, w.len, "example.com", DNSMSG_T_A, &ans) ==
	            DNSMSG_OK &&
	        ans.nrecords == 1,
	    "what was written still parses");

	dnsmsg_writer_init(&w, small, sizeof(small));
	CHECK(dnsmsg_write_header(&w, 1, T_RESP, "example.com", DNSMSG_T_A) ==
	            0 &&
	        dnsmsg_write_rr(&w, "a..b", DNSMSG_T_A, 1, ip4, 4) == -1 &&
	        !w.full,
	    "an invalid owner is -1 without full");
}

static void
test_names(struct arena *a)
{
	uint8_t w[DNSMSG_MAX_NAME + 10];
	char name[400], text[DNSMSG_MAX_TEXT];
	struct dnsmsg_answer ans;
	uint16_t id, qtype, flags;

	CHECK(dnsmsg_rdata_name("", w, sizeof(w)) == 1 && w[0] == 0,
	    "\"\" is the root");
	CHECK(dnsmsg_rdata_name(".", w, sizeof(w)) == 1, "\".\" is the root");
	CHECK(dnsmsg_rdata_name("a.b.", w, sizeof(w)) == 5 &&
	        memcmp(w, "\1a\1b\0", 5) == 0,
	    "final dot dropped");
	CHECK(dnsmsg_rdata_name("a..b", w, sizeof(w)) == -1 &&
	        dnsmsg_rdata_name(".a", w, sizeof(w)) == -1 &&
	        dnsmsg_rdata_name("a.b..", w, sizeof(w)) == -1,
	    "empty labels are -1");
	memset(name, 'x', 63);
	(void)snprintf(name + 63, sizeof(name) - 63, ".com");
	CHECK(dnsmsg_rdata_name(name, w, sizeof(w)) == 69,
	    "a 63-octet label is fine");
	memset(name, 'x', 64);
	(void)snprintf(name + 64, sizeof(name) - 64, ".com");
	CHECK(dnsmsg_rdata_name(name, w, sizeof(w)) == -1,
	    "a 64-octet label is -1");
	/* 4 labels of 63: 4 * 64 + 1 = 257 octets */
	for (int i = 0; i < 4; i++) {
		memset(name + i * 64, 'y', 63);
		name[i * 64 + 63] = '.';
	}
	name[4 * 64 - 1] = '\0';
	CHECK(dnsmsg_rdata_name(name, w, sizeof(w)) == -1,
	    "a name over 255 octets is -1");
	name[3 * 64 + 61] = '\0'; /* 3 * 64 + 62 + 1 = 255 */
	CHECK(dnsmsg_rdata_name(name, w, sizeof(w)) == 255,
	    "a name of exactly 255 octets is fine");
	CHECK(dnsmsg_rdata_name("abc", w, 4) == -1 &&
	        dnsmsg_rdata_name("abc", w, 5) == 5,
	    "rdata_name respects cap");
	CHECK(dnsmsg_rdata_name("a\\.b.c\\\\d.\\000\\255x", w, sizeof(w)) ==
	            13 &&
	        memcmp(w, "\3a.b\3c\\d\3\0\377x\0", 13) == 0,
	    "escapes: \\. \\\\ \\DDD");
	CHECK(dnsmsg_rdata_name("a\\256", w, sizeof(w)) == -1 &&
	        dnsmsg_rdata_name("a\\", w, sizeof(w)) == -1 &&
	        dnsmsg_rdata_name("a\\1x", w, sizeof(w)) == -1,
	    "bad escapes are -1");

	/* escapes come back out of the reader the same way */
	t_start(T_RESP, "4.3.2.1.in-addr.arpa", DNSMSG_T_PTR);
	t_name_rr("4.3.2.1.in-addr.arpa", DNSMSG_T_PTR, 300,
	    "A\\.b.sp\\032ce.\\000\\255");
	CHECK(t_parse(a, "4.3.2.1.in-addr.arpa", DNSMSG_T_PTR, &ans) ==
	        DNSMSG_OK,
	    "PTR with odd bytes");
	CHECK_STR(ans.records[0].u.name, "a\\.b.sp\\032ce.\\000\\255",
	    "odd bytes escaped like c-ares");

	/* read_question: the fixture's side */
	dnsmsg_writer_init(&t_m.w, t_m.buf, sizeof(t_m.buf));
	CHECK(dnsmsg_write_header(&t_m.w, 77, DNSMSG_F_RD, "WWW.Ex\\.ample.",
	          DNSMSG_T_TXT) == 0,
	    "query written");
	CHECK(dnsmsg_read_question(span_make((const char *)t_m.buf, t_m.w.len),
	          &id, text, &qtype, &flags) == 0 &&
	        id == 77 && qtype == DNSMSG_T_TXT && flags == DNSMSG_F_RD,
	    "read_question: id, type, flags");
	CHECK_STR(text, "www.ex\\.ample", "read_question: name lowercased");
	CHECK(dnsmsg_read_question(span_make((const char *)t_m.buf,
	                               t_m.w.len - 1),
	          &id, text, &qtype, &flags) == -1,
	    "read_question: cut short is -1");
	t_m.buf[5] = 2;
	CHECK(dnsmsg_read_question(span_make((const char *)t_m.buf, t_m.w.len),
	          &id, text, &qtype, &flags) == -1,
	    "read_question: two questions are -1");
	t_m.buf[5] = 1;
	t_m.buf[t_m.w.len - 1] = 3; /* class CH */
	CHECK(dnsmsg_read_question(span_make((const char *)t_m.buf, t_m.w.len),
	          &id, text, &qtype, &flags) == -1,
	    "read_question: class other than IN is -1");
}

static void
test_edns(void)
{
	uint16_t payload = 1;

	dnsmsg_writer_init(&t_m.w, t_m.buf, sizeof(t_m.buf));
	(void)dnsmsg_write_header(&t_m.w, 1, 0, "example.com", DNSMSG_T_A);
	CHECK(dnsmsg_read_edns(span_make((const char *)t_m.buf, t_m.w.len),
	          &payload) == 0 &&
	        payload == 0,
	    "no OPT: payload 0");
	CHECK(dnsmsg_write_opt(&t_m.w, 1232) == 0 && t_m.w.arcount == 1,
	    "OPT written");
	CHECK(dnsmsg_read_edns(span_make((const char *)t_m.buf, t_m.w.len),
	          &payload) == 0 &&
	        payload == 1232,
	    "OPT read back: %u", payload);
	(void)dnsmsg_write_header(&t_m.w, 1, 0, "example.com", DNSMSG_T_A);
	(void)dnsmsg_write_opt(&t_m.w, 100);
	CHECK(dnsmsg_read_edns(span_make((const char *)t_m.buf, t_m.w.len),
	          &payload) == 0 &&
	        payload == DNSMSG_UDP_MAX,
	    "a payload under 512 counts as 512 (RFC 6891 §6.2.5)");
	CHECK(dnsmsg_read_edns(span_make((const char *)t_m.buf, t_m.w.len - 2),
	          &payload) == -1,
	    "a cut OPT is -1");
}

static void
test_truncated(struct arena *a)
{
	static const uint8_t ip4[4] = { 192, 0, 2, 7 };
	struct dnsmsg_answer ans;
	size_t full;

	t_start(T_RESP | DNSMSG_F_TC, "example.com", DNSMSG_T_A);
	CHECK(t_parse(a, "example.com", DNSMSG_T_A, &ans) == DNSMSG_NODATA &&
	        ans.truncated,
	    "TC without records: nodata, truncated");

	t_start(T_RESP | DNSMSG_F_TC, "example.com", DNSMSG_T_A);
	t_rr("example.com", DNSMSG_T_A, 300, ip4, 4);
	t_rr("example.com", DNSMSG_T_A, 300, ip4, 4);
	full = t_m.w.len;
	CHECK(t_parse_bytes(a, t_m.buf, full - 3, "example.com", DNSMSG_T_A,
	          &ans) == DNSMSG_OK &&
	        ans.nrecords == 1 && ans.truncated,
	    "TC and a record cut short: the records before it are used");
	t_m.buf[2] &= (uint8_t) ~(DNSMSG_F_TC >> 8);
	CHECK(t_parse_bytes(a, t_m.buf, full - 3, "example.com", DNSMSG_T_A,
	          &ans) == DNSMSG_MALFORMED,
	    "without TC the same message is malformed");
}

/* Hostile input. The owner at 12 ("\1a\0") is followed by the records. */

/* t_raw - parse p as the answer to ("a", qtype): the question's type is
 * set to qtype first, so only the part under test can be wrong */
static enum dnsmsg_status
t_raw(struct arena *a, const uint8_t *p, size_t len, uint16_t qtype)
{
	struct dnsmsg_answer ans;
	uint8_t m[1200];

	if (p == NULL || len < 19)
		return t_parse_bytes(a, p, len, "a", qtype, &ans);
	memcpy(m, p, len);
	m[15] = (uint8_t)(qtype >> 8);
	m[16] = (uint8_t)qtype;
	return t_parse_bytes(a, m, len, "a", qtype, &ans);
}

static void
test_hostile(struct arena *a)
{
	/* header: QR, qd 1, an 1; question "a" A */
	static const uint8_t hdr[] = { 0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
		1, 'a', 0, 0, 1, 0, 1 };
	uint8_t m[1200];
	size_t n;

#define T_MSG(...)                                              \
	do {                                                    \
		static const uint8_t tail_[] = { __VA_ARGS__ }; \
		memcpy(m, hdr, sizeof(hdr));                    \
		memcpy(m + sizeof(hdr), tail_, sizeof(tail_));  \
		n = sizeof(hdr) + sizeof(tail_);                \
	} while (0)

	T_MSG(0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4);
	CHECK(t_raw(a, m, n, DNSMSG_T_A) == DNSMSG_OK, "the control is fine");

	/* an owner that points at itself, and a loop of two pointers */
	T_MSG(0xc0, 19, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4);
	CHECK(t_raw(a, m, n, DNSMSG_T_A) == DNSMSG_MALFORMED,
	    "pointer to itself");
	T_MSG(0xc0, 21, 0xc0, 19, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4);
	CHECK(t_raw(a, m, n, DNSMSG_T_A) == DNSMSG_MALFORMED,
	    "pointer forwards (a loop of two)");
	/* a label and a pointer back to it: backwards, yet a loop */
	T_MSG(1, 'b', 0xc0, 19, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4);
	CHECK(t_raw(a, m, n, DNSMSG_T_A) == DNSMSG_MALFORMED,
	    "pointer back into its own run");
	T_MSG(0xc0, 200, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4);
	CHECK(t_raw(a, m, n, DNSMSG_T_A) == DNSMSG_MALFORMED,
	    "pointer past the end");
	T_MSG(0xc0);
	CHECK(t_raw(a, m, n, DNSMSG_T_A) == DNSMSG_MALFORMED, "half a pointer");
	T_MSG(0x40, 'a', 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4);
	CHECK(t_raw(a, m, n, DNSMSG_T_A) == DNSMSG_MALFORMED,
	    "label type 0x40 (a length over 63)");
	T_MSG(0x80, 'a', 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4);
	CHECK(t_raw(a, m, n, DNSMSG_T_A) == DNSMSG_MALFORMED,
	    "label type 0x80");
	T_MSG(0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 1, 0, 5, 1, 2, 3, 4);
	CHECK(t_raw(a, m, n, DNSMSG_T_A) == DNSMSG_MALFORMED,
	    "RDLENGTH past the end");
	T_MSG(0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 1, 0, 3, 1, 2, 3);
	CHECK(t_raw(a, m, n, DNSMSG_T_A) == DNSMSG_MALFORMED,
	    "an A record of 3 octets");
	T_MSG(0xc0, 12, 0, 16, 0, 1, 0, 0, 0, 1, 0, 4, 3, 'a', 'b', 'c');
	CHECK(t_raw(a, m, n, DNSMSG_T_TXT) == DNSMSG_OK, "the TXT control");
	T_MSG(0xc0, 12, 0, 16, 0, 1, 0, 0, 0, 1, 0, 4, 5, 'a', 'b', 'c');
	CHECK(t_raw(a, m, n, DNSMSG_T_TXT) == DNSMSG_MALFORMED,
	    "a character-string longer than its RDATA");
	T_MSG(0xc0, 12, 0, 15, 0, 1, 0, 0, 0, 1, 0, 6, 0, 1, 1, 'x', 0, 9);
	CHECK(t_raw(a, m, n, DNSMSG_T_MX) == DNSMSG_MALFORMED,
	    "an MX host that does not end with the RDATA");
	T_MSG(0xc0, 12, 0, 15, 0, 1, 0, 0, 0, 1, 0, 2, 0, 1);
	CHECK(t_raw(a, m, n, DNSMSG_T_MX) == DNSMSG_MALFORMED,
	    "an MX without a host");
	T_MSG(0xc0, 12, 0, 12, 0, 1, 0, 0, 0, 1, 0, 2, 0xc0, 12);
	CHECK(t_raw(a, m, n, DNSMSG_T_PTR) == DNSMSG_OK, "the PTR control");
	T_MSG(0xc0, 12, 0, 12, 0, 1, 0, 0, 0, 1, 0, 2, 0xc0, 40);
	CHECK(t_raw(a, m, n, DNSMSG_T_PTR) == DNSMSG_MALFORMED,
	    "a PTR target pointing forwards");
	T_MSG(0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4);
	m[7] = 0xff; /* ancount 255 */
	CHECK(t_raw(a, m, n, DNSMSG_T_A) == DNSMSG_MALFORMED,
	    "ANCOUNT larger than the message");
	m[6] = 0xff;
	CHECK(t_raw(a, m, n, DNSMSG_T_A) == DNSMSG_MALFORMED, "ANCOUNT 65535");
	T_MSG(0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4);
	m[5] = 9;
	CHECK(t_raw(a, m, n, DNSMSG_T_A) == DNSMSG_MALFORMED,
	    "QDCOUNT larger than the message");
	T_MSG(0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4);
	m[2] = 0x01; /* QR clear */
	CHECK(t_raw(a, m, n, DNSMSG_T_A) == DNSMSG_MALFORMED,
	    "a query is not an answer");
	/* NODATA with an authority count that lies */
	T_MSG(0xc0, 12, 0, 16, 0, 1, 0, 0, 0, 1, 0, 0);
	m[9] = 3;
	CHECK(t_raw(a, m, n, DNSMSG_T_A) == DNSMSG_MALFORMED,
	    "NSCOUNT larger than the message");
	T_MSG(0xc0, 12, 0, 16, 0, 1, 0, 0, 0, 1, 0, 0, 0xc0, 12, 0, 6, 0, 1, 0,
	    0, 0, 1, 0, 3, 0, 0, 0);
	m[9] = 1;
	CHECK(t_raw(a, m, n, DNSMSG_T_A) == DNSMSG_MALFORMED,
	    "an SOA too short for its fields");
	CHECK(t_raw(a, m, 5, DNSMSG_T_A) == DNSMSG_MALFORMED &&
	        t_raw(a, NULL, 0, DNSMSG_T_A) == DNSMSG_MALFORMED,
	    "shorter than a header; nothing at all");
#undef T_MSG
}

/* t_link - at m[n], a record (TXT, empty) owned by label + a pointer to
 * prev, or by the root-terminated name when prev is 0 */
static size_t
t_link(uint8_t *m, size_t n, const uint8_t *label, size_t llen, size_t prev)
{
	memcpy(m + n, label, llen);
	n += llen;
	if (prev != 0) {
		m[n++] = (uint8_t)(0xc0 | prev >> 8);
		m[n++] = (uint8_t)prev;
	} else {
		m[n++] = 0;
	}
	memcpy(m + n, "\0\20\0\1\0\0\0\1\0\0", 10);
	return n + 10;
}

/* test_long_names - pointer chains longer than DNSMSG_MAX_POINTERS and
 * names over 255 octets through compression; the names are owners of
 * earlier records, no question */
static void
test_long_names(struct arena *a)
{
	static const uint8_t hdr[] = { 0, 1, 0x81, 0x80, 0, 0, 0, 0, 0, 0, 0,
		0 };
	static const uint8_t x[] = { 1, 'x' };
	uint8_t m[4096], y[128], z[128];
	struct dnsmsg_answer ans;
	enum dnsmsg_status st;
	size_t n, prev, owner, nrr;
	char q[200];

	/* link k expands to k + 1 labels through k pointers; the A record
	 * owned by a pointer to the last link takes one more */
	for (int links = 30; links <= 32; links++) {
		size_t k = 0;

		memcpy(m, hdr, sizeof(hdr));
		n = sizeof(hdr);
		owner = n;
		n = t_link(m, n, x, sizeof(x), 0);
		nrr = 1;
		for (int i = 0; i < links; i++) {
			prev = owner;
			owner = n;
			n = t_link(m, n, x, sizeof(x), prev);
			nrr++;
		}
		m[n++] = (uint8_t)(0xc0 | owner >> 8);
		m[n++] = (uint8_t)owner;
		memcpy(m + n, "\0\1\0\1\0\0\0\1\0\4\1\2\3\4", 14);
		n += 14;
		m[7] = (uint8_t)(nrr + 1);
		for (int i = 0; i <= links; i++) {
			q[k++] = 'x';
			q[k++] = '.';
		}
		q[k - 1] = '\0';
		st = t_parse_bytes(a, m, n, q, DNSMSG_T_A, &ans);
		CHECK(st ==
		        (links + 1 <= DNSMSG_MAX_POINTERS ? DNSMSG_OK :
		                                            DNSMSG_MALFORMED),
		    "a name behind %d pointers: %s", links + 1,
		    dnsmsg_status_str(st));
	}

	/* 129 octets of y, then 64 or 128 octets of z in front of it */
	y[0] = 63;
	memset(y + 1, 'y', 63);
	y[64] = 63;
	memset(y + 65, 'y', 63);
	z[0] = 63;
	memset(z + 1, 'z', 63);
	z[64] = 63;
	memset(z + 65, 'z', 63);
	for (size_t zlen = 64; zlen <= 128; zlen += 64) {
		memcpy(m, hdr, sizeof(hdr));
		n = t_link(m, sizeof(hdr), y, sizeof(y), 0);
		n = t_link(m, n, z, zlen, sizeof(hdr));
		m[7] = 2;
		st = t_parse_bytes(a, m, n, "y", DNSMSG_T_A, &ans);
		CHECK(st == (zlen == 64 ? DNSMSG_NODATA : DNSMSG_MALFORMED),
		    "a name of %zu octets made with a pointer: %s",
		    zlen + sizeof(y) + 1, dnsmsg_status_str(st));
	}
}

/* test_damage - every prefix and many random changes of good messages:
 * no crash, and the answer keeps its invariants */
static uint32_t t_rng = 2463534242u;

static uint32_t
t_next(void)
{
	t_rng ^= t_rng << 13; /* xorshift32 */
	t_rng ^= t_rng >> 17;
	t_rng ^= t_rng << 5;
	return t_rng;
}

static bool
t_sane(const struct dnsmsg_answer *ans, uint16_t qtype)
{
	if (ans->canonical == NULL || ans->nrecords > DNSMSG_MAX_RECORDS)
		return false;
	if ((ans->status == DNSMSG_OK) != (ans->nrecords > 0))
		return false;
	for (size_t i = 0; i < ans->nrecords; i++) {
		if (ans->records[i].type != qtype)
			return false;
	}
	return true;
}

static void
test_damage(void)
{
	static const uint16_t types[] = { DNSMSG_T_TXT, DNSMSG_T_MX, DNSMSG_T_A,
		DNSMSG_T_PTR };
	uint8_t good[2048], m[2048], rd[300];
	size_t len;
	bool sane = true, prefixes = true;
	size_t ans_end;
	struct dnsmsg_answer ans;
	int n;

	t_start(T_RESP, "alias.example.com", DNSMSG_T_TXT);
	t_name_rr("alias.example.com", DNSMSG_T_CNAME, 60, "example.com");
	t_txt_rr("example.com", DNSMSG_T_TXT, 300, "v=spf1 mx -all");
	n = dnsmsg_rdata_mx(10, "mx.example.com", rd, sizeof(rd));
	t_rr("example.com", DNSMSG_T_MX, 300, rd, (size_t)n);
	t_name_rr("example.com", DNSMSG_T_PTR, 300, "ptr.example.com");
	ans_end = t_m.w.len;
	t_soa(300, 60);
	len = t_m.w.len;
	memcpy(good, t_m.buf, len);
	for (size_t cut = 0; cut < len; cut++) {
		struct arena *a = arena_new();

		for (size_t t = 0; t < 4; t++) {
			(void)dnsmsg_parse(a,
			    span_make((const char *)good, cut),
			    "alias.example.com", types[t], &ans);
			sane = sane && t_sane(&ans, types[t]);
			/* the authority section is only read for negative
			 * answers: a cut there may leave a good TXT answer */
			prefixes = prefixes &&
			    (ans.status == DNSMSG_MALFORMED ||
			        (cut >= ans_end && types[t] == DNSMSG_T_TXT));
		}
		arena_free(a);
	}
	CHECK(prefixes, "every cut of a good message is malformed (%zu)", len);
	for (int round = 0; round < 20000; round++) {
		struct arena *a = arena_new();
		uint16_t qtype = types[t_next() % 4];
		unsigned nflips = 1 + t_next() % 4;

		memcpy(m, good, len);
		m[32] = (uint8_t)qtype; /* the question's type */
		for (unsigned i = 0; i < nflips; i++)
			m[t_next() % len] = (uint8_t)t_next();
		(void)dnsmsg_parse(a,
		    span_make((const char *)m, len - t_next() % 3),
		    "alias.example.com", qtype, &ans);
		sane = sane && t_sane(&ans, qtype);
		arena_free(a);
	}
	CHECK(sane, "20000 damaged messages: no crash, answers consistent");
}

static void
test_strings(void)
{
	char buf[16];

	CHECK(test_streq(dnsmsg_status_str(DNSMSG_OK), "ok") &&
	        test_streq(dnsmsg_status_str(DNSMSG_NXDOMAIN), "nxdomain") &&
	        test_streq(dnsmsg_status_str(DNSMSG_NODATA), "nodata") &&
	        test_streq(dnsmsg_status_str(DNSMSG_TIMEOUT), "timeout") &&
	        test_streq(dnsmsg_status_str(DNSMSG_SERVFAIL), "servfail") &&
	        test_streq(dnsmsg_status_str(DNSMSG_MALFORMED), "malformed"),
	    "status strings");
	CHECK(test_streq(dnsmsg_type_str(DNSMSG_T_TXT, buf), "TXT") &&
	        test_streq(dnsmsg_type_str(DNSMSG_T_SPF, buf), "SPF") &&
	        test_streq(dnsmsg_type_str(DNSMSG_T_AAAA, buf), "AAAA") &&
	        test_streq(dnsmsg_type_str(65535, buf), "TYPE65535"),
	    "type strings");
}

int
main(void)
{
	struct arena *a = arena_new();
	struct dnsmsg_answer ans;

	test_types(a);
	test_txt(a);
	test_compression(a);
	test_cname(a);
	test_negative(a);
	test_limits(a);
	test_names(a);
	test_edns();
	test_truncated(a);
	test_hostile(a);
	test_long_names(a);
	test_damage();
	test_strings();
	CHECK(dnsmsg_parse(a, SPAN_LIT("x"), "a..b", DNSMSG_T_A, &ans) ==
	            DNSMSG_MALFORMED &&
	        test_streq(ans.canonical, "a..b"),
	    "an invalid qname: malformed, canonical as given");
	arena_free(a);
	return test_done();
}
