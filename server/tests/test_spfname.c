/* SPDX-License-Identifier: MIT */
/*
 * test_spfname.c - unit tests for spfname.h: the initial-processing name
 * checks (RFC 7208 §4.3), §7.3 truncation, ptr suffixes, toplabels
 */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "spfname.h"
#include "test.h"

#define LABEL63 \
	"a23456789012345678901234567890123456789012345678901234567890123"

static void
test_domain(const char *name, bool want)
{
	CHECK(spfname_is_domain(span_cstr(name)) == want, "<domain> \"%s\" %s",
	    name, want ? "accepted" : "gives none");
}

static void
test_queryable(const char *name, bool want)
{
	CHECK(spfname_is_queryable(span_cstr(name)) == want, "\"%s\" %s", name,
	    want ? "can be queried" : "cannot be queried");
}

static void
test_under(const char *name, const char *suffix, bool want)
{
	CHECK(spfname_is_under(span_cstr(name), span_cstr(suffix)) == want,
	    "\"%s\" %s \"%s\"", name, want ? "is under" : "is not under",
	    suffix);
}

static void
test_toplabel(const char *label, bool want)
{
	CHECK(spfname_is_toplabel(span_cstr(label)) == want,
	    "toplabel \"%s\" %s", label, want ? "valid" : "invalid");
}

int
main(void)
{
	struct arena *a = arena_new();
	char longname[600];
	struct span t;

	/* RFC 7208 §4.3: malformed or single-label names give none */
	test_domain("example.com", true);
	test_domain("example.com.", true);
	test_domain("mail.EXAMPLE.net", true);
	test_domain("foo:bar/baz.example.com", true);
	test_domain(LABEL63 ".example.com", true);
	test_domain("A" LABEL63 ".example.com", false);
	test_domain("A...example.com", false);
	test_domain(".example.com", false);
	test_domain("example..com", false);
	test_domain("example.com..", false);
	test_domain("A2345678", false);
	test_domain("OEMCOMPUTER", false);
	test_domain("[1.2.3.5]", false);
	test_domain("[IPv6:2001:db8::1]", false);
	test_domain("", false);
	test_domain(".", false);
	test_domain("JUMPIN' JUPITER", false);
	test_domain("ex\tample.com", false);
	test_domain("b\xc3\xbcro.example", false);

	/* 253 octets is the most (without the final dot) */
	memset(longname, 0, sizeof(longname));
	for (size_t i = 0; i < 4; i++)
		memcpy(longname + i * 64, LABEL63 ".", 64);
	longname[253] = '\0';
	longname[252] = 'x';
	CHECK(strlen(longname) == 253 && spfname_is_domain(span_cstr(longname)),
	    "a 253-octet name is a domain");
	longname[253] = 'y';
	longname[254] = '\0';
	CHECK(!spfname_is_domain(span_cstr(longname)),
	    "a 254-octet name is not");

	/* what can be put in a query */
	test_queryable("mail.example.com", true);
	test_queryable("mail.example.com.", true);
	test_queryable("localhost", true);
	test_queryable("mail.example...com", false);
	test_queryable("a" LABEL63 ".example.com", false);
	test_queryable("", false);
	test_queryable(".", false);
	CHECK(!spfname_is_queryable(span_make("a\0b.com", 7)),
	    "a name with a NUL cannot be queried");

	/* RFC 7208 §7.3: trailing dot dropped, left labels removed */
	t = spfname_trim(SPAN_LIT("example.com."));
	CHECK(span_eq_cstr(t, "example.com"), "trim drops the final dot");
	t = spfname_trim(SPAN_LIT("foobar.somewhat.long.exp.example.com."
	                          "somewhat.long.exp.example.com.somewhat.long."
	                          "exp.example.com.somewhat.long.exp.example."
	                          "com.somewhat.long.exp.example.com.somewhat."
	                          "long.exp.example.com.somewhat.long.exp."
	                          "example.com.somewhat.long.exp.example.com."
	                          "example.com"));
	CHECK(t.len <= 253 && t.ptr[0] == 's' &&
	        span_eq(span_sub(t, 0, 9), SPAN_LIT("somewhat.")),
	    "a 258-octet name loses its left label \"foobar\"");
	memset(longname, 'a', 300);
	longname[300] = '\0';
	t = spfname_trim(span_cstr(longname));
	CHECK(t.len == 300, "a name without dots cannot be trimmed");

	CHECK_STR(spfname_lower(a, SPAN_LIT("Mail.EXAMPLE.com.")),
	    "mail.example.com", "spfname_lower");

	/* RFC 7208 §5.5: equal to or a subdomain of the target */
	test_under("mail.example.com", "example.com", true);
	test_under("example.com", "example.com", true);
	test_under("MAIL.Example.COM.", "example.com", true);
	test_under("mail.example.com", "EXAMPLE.com.", true);
	test_under("badexample.com", "example.com", false);
	test_under("com", "example.com", false);
	test_under("mail.example.com", "", false);

	/* RFC 7208 §7.1 toplabel */
	test_toplabel("com", true);
	test_toplabel("xn--zckzah", true);
	test_toplabel("1-2", true);
	test_toplabel("a1", true);
	test_toplabel("123", false);
	test_toplabel("-com", false);
	test_toplabel("com-", false);
	test_toplabel("a_b", false);
	test_toplabel("com/24", false);
	test_toplabel("", false);
	arena_free(a);
	return test_done();
}
