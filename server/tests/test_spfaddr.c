/* SPDX-License-Identifier: MIT */
/*
 * test_spfaddr.c - unit tests for spfaddr.h: addresses, prefixes and
 * their text forms (RFC 7208 §5.6, §7.3, RFC 5952)
 */
#include <stdio.h>
#include <string.h>

#include "spfaddr.h"
#include "test.h"

static void
test_ip4(const char *text, bool ok)
{
	struct spfaddr a;

	CHECK((spfaddr_parse_ip4(span_cstr(text), &a) == 0) == ok,
	    "ip4-network \"%s\" %s", text, ok ? "accepted" : "refused");
}

static void
test_ip6(const char *text, bool ok)
{
	struct spfaddr a;

	CHECK((spfaddr_parse_ip6(span_cstr(text), &a) == 0) == ok,
	    "ip6-network \"%s\" %s", text, ok ? "accepted" : "refused");
}

static void
test_cidr(const char *text, unsigned max, int want)
{
	unsigned v = 999;
	int rc = spfaddr_parse_cidr(span_cstr(text), max, &v);

	if (want < 0)
		CHECK(rc == -1, "prefix \"%s\" (max %u) refused", text, max);
	else
		CHECK(rc == 0 && v == (unsigned)want, "prefix \"%s\" is %d",
		    text, want);
}

/* test_form - text (client syntax) written in form */
static void
test_form(const char *text, enum spfaddr_form form, const char *want)
{
	struct spfaddr a;
	char out[SPFADDR_MAX_TEXT];
	char what[128];

	(void)snprintf(what, sizeof(what), "form %d of %s", (int)form, text);
	if (!CHECK(spfaddr_parse_client(span_cstr(text), &a) == 0, "%s parses",
	        text))
		return;
	CHECK_STR(spfaddr_str(&a, form, out), want, what);
}

static void
test_match(const char *ip, const char *net, bool v6net, unsigned prefix,
    bool want)
{
	struct spfaddr a, n;
	int rc;

	rc = spfaddr_parse_client(span_cstr(ip), &a);
	rc |= v6net ? spfaddr_parse_ip6(span_cstr(net), &n) :
	              spfaddr_parse_ip4(span_cstr(net), &n);
	CHECK(rc == 0 && spfaddr_match(&a, &n, prefix) == want, "%s %s %s/%u",
	    ip, want ? "in" : "not in", net, prefix);
}

int
main(void)
{
	struct spfaddr a;

	/* RFC 7208 §12 ip4-network: qnum without leading zeros */
	test_ip4("192.0.2.1", true);
	test_ip4("0.0.0.0", true);
	test_ip4("255.255.255.255", true);
	test_ip4("1.2.3", false);
	test_ip4("1.2.3.4.5", false);
	test_ip4("01.2.3.4", false);
	test_ip4("1.2.03.4", false);
	test_ip4("256.1.1.1", false);
	test_ip4("1.2.3.4:8080", false);
	test_ip4("1.2.3.4/24", false);
	test_ip4("1.2.3.", false);
	test_ip4("1..2.3", false);
	test_ip4("1234.1.1.1", false);
	test_ip4("", false);
	test_ip4("a.b.c.d", false);

	/* RFC 4291 §2.2 text, as ip6: takes it */
	test_ip6("2001:db8::1", true);
	test_ip6("::1.1.1.1", true);
	test_ip6("Cafe:Babe:8000::", true);
	test_ip6("::FFFF:1.2.3.4", true);
	test_ip6("::", true);
	test_ip6(":CAFE::BABE", false);
	test_ip6("2001:db8::1::2", false);
	test_ip6("2001:db8:1:2:3:4:5:6:7", false);
	test_ip6("192.0.2.1", false);
	test_ip6("", false);
	test_ip6("2001:0db8:0000:0000:0000:0000:0000:0001:", false);
	test_ip6("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255x", false);
	CHECK(spfaddr_parse_ip6(span_make("::1\0x", 5), &a) == -1,
	    "ip6-network with a NUL refused");
	CHECK(spfaddr_parse_ip6(SPAN_LIT("::FFFF:1.2.3.4"), &a) == 0 && a.v6,
	    "an ip6: network stays IPv6 even when IPv4-mapped");

	/* the client: RFC 7208 §5, IPv4-mapped IPv6 is IPv4 */
	CHECK(spfaddr_parse_client(SPAN_LIT("::ffff:1.2.3.4"), &a) == 0 &&
	        !a.v6 && a.b[0] == 1 && a.b[3] == 4,
	    "::ffff:1.2.3.4 is the IPv4 client 1.2.3.4");
	CHECK(spfaddr_parse_client(SPAN_LIT("::FFFF:1.2.3.4"), &a) == 0 &&
	        !a.v6,
	    "::FFFF:1.2.3.4 is IPv4 as well");
	CHECK(spfaddr_parse_client(SPAN_LIT("2001:db8::1"), &a) == 0 && a.v6,
	    "2001:db8::1 is IPv6");
	CHECK(spfaddr_parse_client(SPAN_LIT("::1.2.3.4"), &a) == 0 && a.v6,
	    "an IPv4-compatible address stays IPv6");
	CHECK(spfaddr_parse_client(SPAN_LIT("mail.example.com"), &a) == -1,
	    "a name is not a client address");
	CHECK(spfaddr_parse_client(SPAN_LIT(""), &a) == -1,
	    "an empty client address is refused");

	/* prefix lengths: "0" / %x31-39 0*2DIGIT, within the family */
	test_cidr("0", 32, 0);
	test_cidr("24", 32, 24);
	test_cidr("32", 32, 32);
	test_cidr("33", 32, -1);
	test_cidr("032", 32, -1);
	test_cidr("00", 32, -1);
	test_cidr("128", 128, 128);
	test_cidr("129", 128, -1);
	test_cidr("1000", 128, -1);
	test_cidr("", 32, -1);
	test_cidr("2a", 32, -1);
	test_cidr("/24", 32, -1);

	/* matching */
	test_match("192.0.2.7", "192.0.2.0", false, 24, true);
	test_match("192.0.3.7", "192.0.2.0", false, 24, false);
	test_match("192.0.2.7", "192.0.2.7", false, 32, true);
	test_match("192.0.2.8", "192.0.2.7", false, 32, false);
	test_match("192.0.2.7", "192.0.2.6", false, 31, true);
	test_match("192.0.2.7", "1.1.1.1", false, 0, true);
	test_match("192.0.2.129", "192.0.2.128", false, 25, true);
	test_match("192.0.2.127", "192.0.2.128", false, 25, false);
	test_match("::ffff:1.2.3.4", "1.2.3.4", false, 32, true);
	test_match("::ffff:1.2.3.4", "::ffff:1.2.3.4", true, 128, false);
	test_match("1.2.3.4", "::1.1.1.1", true, 0, false);
	test_match("DEAF:BABE::CAB:FEE", "::1.1.1.1", true, 0, true);
	test_match("CAFE:BABE:8000::", "Cafe:Babe:8000::", true, 33, true);
	test_match("CAFE:BABE:7FFF::", "Cafe:Babe:8000::", true, 33, false);
	test_match("cafe:babe::1", "cafe:babe::", true, 64, true);
	test_match("2001:db8::1", "1.2.3.4", false, 0, false);
	test_match("192.0.2.7", "192.0.2.0", false, 40, false);

	/* RFC 5952 readable form (%{c}) */
	test_form("2001:db8::cb01", SPFADDR_READABLE, "2001:db8::cb01");
	test_form("2001:0DB8:0000:0000:0000:0000:0000:CB01", SPFADDR_READABLE,
	    "2001:db8::cb01");
	test_form("2001:db8:0:0:1:0:0:1", SPFADDR_READABLE,
	    "2001:db8::1:0:0:1");
	test_form("2001:0:0:1:0:0:0:1", SPFADDR_READABLE, "2001:0:0:1::1");
	test_form("2001:db8:0:1:1:1:1:1", SPFADDR_READABLE,
	    "2001:db8:0:1:1:1:1:1");
	test_form("::", SPFADDR_READABLE, "::");
	test_form("::2", SPFADDR_READABLE, "::2");
	test_form("1::", SPFADDR_READABLE, "1::");
	test_form("CAFE:BABE::1", SPFADDR_READABLE, "cafe:babe::1");
	test_form("192.0.2.3", SPFADDR_READABLE, "192.0.2.3");
	test_form("::ffff:192.0.2.3", SPFADDR_READABLE, "192.0.2.3");

	/* RFC 7208 §7.3 %{i}: dotted quad, or nibbles for IPv6 (uppercase,
	 * as the openspf suite expects) */
	test_form("192.0.2.3", SPFADDR_DOTTED, "192.0.2.3");
	test_form("2001:db8::cb01", SPFADDR_DOTTED,
	    "2.0.0.1.0.D.B.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.C.B.0.1");

	/* RFC 7208 §5.5 reverse names */
	test_form("192.0.2.3", SPFADDR_REVERSE, "3.2.0.192.in-addr.arpa");
	test_form("2001:db8::cb01", SPFADDR_REVERSE,
	    "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2."
	    "ip6.arpa");
	test_form("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", SPFADDR_REVERSE,
	    "f.f.f.f.f.f.f.f.f.f.f.f.f.f.f.f.f.f.f.f.f.f.f.f.f.f.f.f.f.f.f.f."
	    "ip6.arpa");
	return test_done();
}
