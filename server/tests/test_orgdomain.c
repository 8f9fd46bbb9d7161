/* SPDX-License-Identifier: MIT */
/*
 * test_orgdomain.c - host names and their organisational domain through
 * the Public Suffix List (libpsl: the publicsuffix package's file, or
 * the list built into Debian's libpsl5)
 */
#include <stdio.h>
#include <string.h>

#include "orgdomain.h"
#include "test.h"

static const struct {
	const char *name;
	bool ok;
} names[] = {
	{ "example.com", true },
	{ "example.com.", true },
	{ "selector1", true },
	{ "s1._domainkey.example.com", true },
	{ "xn--80ak6aa92e.xn--p1ai", true },
	{ "a-b.example", true },
	{ "", false },
	{ ".", false },
	{ "a..b", false },
	{ ".example.com", false },
	{ "example.com..", false },
	{ "-a.example", false },
	{ "a-.example", false },
	{ "exa mple.com", false },
	{ "ex@mple.com", false },
	{ "caf\xc3\xa9.example", false },
	{ "[192.0.2.1]", false },
};

static const struct {
	const char *name, *org;
} orgs[] = {
	{ "example.com", "example.com" },
	{ "mail.example.com", "example.com" },
	{ "a.b.c.example.com.", "example.com" },
	{ "MAIL.Example.COM", "example.com" },
	{ "sub.example.co.uk", "example.co.uk" },
	{ "example.co.uk", "example.co.uk" },
	{ "co.uk", NULL },
	{ "com", NULL },
	{ "www.example.xn--p1ai", "example.xn--p1ai" },
	/* a name under a TLD the list lacks: the default rule "*" */
	{ "mail.example.invalid", "example.invalid" },
	/* the private section counts too, as DMARC receivers use it */
	{ "alice.blogspot.com", "alice.blogspot.com" },
	{ "192.0.2.1", NULL },
	{ "a..example.com", NULL },
	{ "", NULL },
};

int
main(void)
{
	char buf[ORGDOMAIN_MAX], longname[300];
	const char *data = orgdomain_data();

	(void)printf("# public suffix list: %s\n",
	    data != NULL ? data : "none");
	CHECK(data != NULL, "libpsl has a list (file or built in)");

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		CHECK(orgdomain_is_name(span_cstr(names[i].name)) ==
		        names[i].ok,
		    "is_name \"%s\": %s", names[i].name,
		    names[i].ok ? "yes" : "no");
	memset(longname, 'a', sizeof(longname));
	for (size_t i = 63; i < sizeof(longname); i += 64)
		longname[i] = '.';
	CHECK(orgdomain_is_name(span_make(longname, 253)) &&
	        !orgdomain_is_name(span_make(longname, 254)),
	    "253 bytes are a name, 254 are not");
	longname[63] = 'a';
	CHECK(!orgdomain_is_name(span_make(longname, 100)),
	    "a label of 64 bytes is not");

	for (size_t i = 0; i < sizeof(orgs) / sizeof(orgs[0]); i++)
		CHECK_STR(orgdomain_of(span_cstr(orgs[i].name), buf),
		    orgs[i].org, orgs[i].name);

	/* dropped and loaded again */
	orgdomain_cleanup();
	CHECK_STR(orgdomain_of(SPAN_LIT("x.example.co.uk"), buf),
	    "example.co.uk", "after cleanup");
	orgdomain_cleanup();
	return test_done();
}
