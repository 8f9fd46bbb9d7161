/* SPDX-License-Identifier: MIT */
/*
 * test_ipclass.c - unit tests for ipclass.h: the class of each range of
 * the special-purpose registries, its edges, IPv4-mapped addresses, and
 * text that is no address
 */
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "ipclass.h"
#include "test.h"

static void
test_text(const char *text, enum ipclass want)
{
	enum ipclass got = IPCLASS_PUBLIC;
	int rc = ipclass_parse(span_cstr(text), &got);

	CHECK(rc == 0 && got == want, "%s is %s (got %s)", text,
	    ipclass_str(want), rc == 0 ? ipclass_str(got) : "no address");
}

static void
test_not_address(const char *text)
{
	enum ipclass got = IPCLASS_UNSPECIFIED;

	CHECK(ipclass_parse(span_cstr(text), &got) == -1 &&
	        got == IPCLASS_UNSPECIFIED,
	    "\"%s\" is no address", text);
}

static const struct ipclass_case {
	const char *text;
	enum ipclass c;
} cases[] = {
	/* IPv4, each range and its edges */
	{ "0.0.0.0", IPCLASS_UNSPECIFIED },
	{ "0.0.0.1", IPCLASS_RESERVED },
	{ "0.255.255.255", IPCLASS_RESERVED },
	{ "1.0.0.1", IPCLASS_PUBLIC },
	{ "9.255.255.255", IPCLASS_PUBLIC },
	{ "10.0.0.1", IPCLASS_PRIVATE },
	{ "10.255.255.255", IPCLASS_PRIVATE },
	{ "11.0.0.0", IPCLASS_PUBLIC },
	{ "100.63.255.255", IPCLASS_PUBLIC },
	{ "100.64.0.0", IPCLASS_CGNAT },
	{ "100.127.255.255", IPCLASS_CGNAT },
	{ "100.128.0.0", IPCLASS_PUBLIC },
	{ "127.0.0.1", IPCLASS_LOOPBACK },
	{ "127.255.0.9", IPCLASS_LOOPBACK },
	{ "169.254.1.1", IPCLASS_LINK_LOCAL },
	{ "169.255.0.1", IPCLASS_PUBLIC },
	{ "172.15.255.255", IPCLASS_PUBLIC },
	{ "172.16.0.1", IPCLASS_PRIVATE },
	{ "172.31.255.255", IPCLASS_PRIVATE },
	{ "172.32.0.0", IPCLASS_PUBLIC },
	{ "192.0.0.1", IPCLASS_RESERVED },
	{ "192.0.0.9", IPCLASS_PUBLIC },
	{ "192.0.0.10", IPCLASS_PUBLIC },
	{ "192.0.0.170", IPCLASS_RESERVED },
	{ "192.0.1.1", IPCLASS_PUBLIC },
	{ "192.0.2.0", IPCLASS_DOCUMENTATION },
	{ "192.0.2.255", IPCLASS_DOCUMENTATION },
	{ "192.0.3.0", IPCLASS_PUBLIC },
	{ "192.88.99.1", IPCLASS_RESERVED },
	{ "192.167.255.255", IPCLASS_PUBLIC },
	{ "192.168.1.1", IPCLASS_PRIVATE },
	{ "192.169.0.0", IPCLASS_PUBLIC },
	{ "198.17.255.255", IPCLASS_PUBLIC },
	{ "198.18.0.1", IPCLASS_RESERVED },
	{ "198.19.255.255", IPCLASS_RESERVED },
	{ "198.20.0.0", IPCLASS_PUBLIC },
	{ "198.51.100.7", IPCLASS_DOCUMENTATION },
	{ "203.0.113.254", IPCLASS_DOCUMENTATION },
	{ "203.0.114.1", IPCLASS_PUBLIC },
	{ "223.255.255.255", IPCLASS_PUBLIC },
	{ "224.0.0.1", IPCLASS_MULTICAST },
	{ "239.255.255.255", IPCLASS_MULTICAST },
	{ "240.0.0.1", IPCLASS_RESERVED },
	{ "255.255.255.255", IPCLASS_RESERVED },
	/* IPv6 */
	{ "::", IPCLASS_UNSPECIFIED },
	{ "::1", IPCLASS_LOOPBACK },
	{ "::2", IPCLASS_RESERVED },
	{ "::192.0.2.1", IPCLASS_RESERVED }, /* IPv4-compatible */
	{ "::ffff:10.0.0.1", IPCLASS_PRIVATE },
	{ "::ffff:127.0.0.1", IPCLASS_LOOPBACK },
	{ "::ffff:192.0.2.1", IPCLASS_DOCUMENTATION },
	{ "::ffff:8.8.8.8", IPCLASS_PUBLIC },
	{ "64:ff9b::192.0.2.33", IPCLASS_PUBLIC },
	{ "64:ff9b:1::1", IPCLASS_RESERVED },
	{ "100::1", IPCLASS_RESERVED },
	{ "2001::1", IPCLASS_RESERVED },   /* Teredo */
	{ "2001:2::1", IPCLASS_RESERVED }, /* benchmarking */
	{ "2001:1::1", IPCLASS_PUBLIC },
	{ "2001:1::4", IPCLASS_RESERVED },
	{ "2001:3::1", IPCLASS_PUBLIC },
	{ "2001:4:112::1", IPCLASS_PUBLIC },
	{ "2001:4:113::1", IPCLASS_RESERVED },
	{ "2001:20::1", IPCLASS_PUBLIC },
	{ "2001:2f::1", IPCLASS_PUBLIC },
	{ "2001:30::1", IPCLASS_PUBLIC },
	{ "2001:1ff::1", IPCLASS_RESERVED },
	{ "2001:200::1", IPCLASS_PUBLIC },
	{ "2001:db8::1", IPCLASS_DOCUMENTATION },
	{ "2001:db8:ffff::1", IPCLASS_DOCUMENTATION },
	{ "2001:db9::1", IPCLASS_PUBLIC },
	{ "2002:c000:201::1", IPCLASS_PUBLIC }, /* 6to4 */
	{ "2a00:1450:4001::1", IPCLASS_PUBLIC },
	{ "3ffe::1", IPCLASS_PUBLIC },
	{ "3fff::1", IPCLASS_DOCUMENTATION },
	{ "3fff:fff::1", IPCLASS_DOCUMENTATION },
	{ "3fff:1000::1", IPCLASS_PUBLIC },
	{ "4000::1", IPCLASS_RESERVED },
	{ "5f00::1", IPCLASS_RESERVED },
	{ "fc00::1", IPCLASS_PRIVATE },
	{ "fd12:3456::1", IPCLASS_PRIVATE },
	{ "fe80::1", IPCLASS_LINK_LOCAL },
	{ "febf::1", IPCLASS_LINK_LOCAL },
	{ "fec0::1", IPCLASS_RESERVED },
	{ "ff02::1", IPCLASS_MULTICAST },
};

static const char *const not_addresses[] = { "", "192.0.2", "192.0.2.1.",
	"192.0.2.256", "192.0.2.01", " 192.0.2.1", "[192.0.2.1]",
	"2001:db8::1::1", "2001:db8::g", "mx.example.com",
	"2001:db8:0:0:0:0:0:0:1",
	"1111:2222:3333:4444:5555:6666:7777:8888:9999" };

int
main(void)
{
	uint8_t b4[4], b6[16];
	enum ipclass got;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		test_text(cases[i].text, cases[i].c);
	for (size_t i = 0; i < sizeof(not_addresses) / sizeof(*not_addresses);
	     i++)
		test_not_address(not_addresses[i]);
	CHECK(ipclass_parse(span_make("10.0.0.1\0", 9), &got) == -1,
	    "a NUL inside the text is no address");
	CHECK(ipclass_parse(span_make("10.0.0.19", 8), &got) == 0 &&
	        got == IPCLASS_PRIVATE,
	    "only the span's bytes are read");

	/* bytes */
	(void)inet_pton(AF_INET, "100.64.1.2", b4);
	CHECK(ipclass_of_v4(b4) == IPCLASS_CGNAT, "bytes: 100.64.1.2 is cgnat");
	(void)inet_pton(AF_INET6, "fe80::1234", b6);
	CHECK(ipclass_of_v6(b6) == IPCLASS_LINK_LOCAL,
	    "bytes: fe80::1234 is link-local");
	(void)inet_pton(AF_INET6, "::ffff:169.254.0.1", b6);
	CHECK(ipclass_of_v6(b6) == IPCLASS_LINK_LOCAL,
	    "bytes: an IPv4-mapped address is its IPv4 address");

	/* the names of the classes */
	for (unsigned c = 0; c < IPCLASS_COUNT; c++) {
		const char *name = ipclass_str((enum ipclass)c);

		CHECK(name != NULL && *name != '\0' &&
		        (c == 0 ||
		            strcmp(name, ipclass_str((enum ipclass)(c - 1))) !=
		                0),
		    "class %u is named %s", c, name != NULL ? name : "(null)");
	}
	CHECK_STR(ipclass_str(IPCLASS_LINK_LOCAL), "link_local", "name");
	return test_done();
}
