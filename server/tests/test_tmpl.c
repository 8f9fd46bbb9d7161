/* SPDX-License-Identifier: MIT */
/*
 * test_tmpl.c - unit tests for tmpl.h: {name|fallback} placeholders
 */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "test.h"
#include "tmpl.h"

static int test_lookups;

/* test_lookup - knows "ip", "domain", "b" and the 32-character name */
static const char *
test_lookup(struct span name, void *arg)
{
	(void)arg;
	test_lookups++;
	if (span_eq_cstr(name, "ip"))
		return "192.0.2.1";
	if (span_eq_cstr(name, "domain"))
		return "example.com";
	if (span_eq_cstr(name, "b"))
		return "B";
	if (span_eq_cstr(name, "empty"))
		return "";
	if (span_eq_cstr(name, "n2345678901234567890123456789012"))
		return "LONG";
	return NULL;
}

static void
test_expand(struct arena *a, const char *tmpl, const char *want)
{
	char *got = tmpl_expand(a, tmpl, test_lookup, NULL);
	char what[160];

	(void)snprintf(what, sizeof(what), "tmpl_expand(\"%s\")", tmpl);
	CHECK_STR(got, want, what);
}

int
main(void)
{
	struct arena *a = arena_new();

	/* lookups */
	test_expand(a, "IP {ip|unknown} is listed", "IP 192.0.2.1 is listed");
	test_expand(a, "IP {nope|unknown} is listed", "IP unknown is listed");
	test_expand(a, "[{ip}]", "[192.0.2.1]");
	test_expand(a, "[{nope}]", "[]");
	test_expand(a, "[{nope|}]", "[]");
	test_expand(a, "[{empty|fallback}]", "[]");
	test_expand(a, "{ip}{domain}", "192.0.2.1example.com");
	test_expand(a, "{domain|x} and {nope|y} and {ip|z}",
	    "example.com and y and 192.0.2.1");
	test_expand(a, "{ip|a|b}", "192.0.2.1");
	test_expand(a, "{nope|a|b}", "a|b");
	test_expand(a, "{nope|fall back, with spaces.}",
	    "fall back, with spaces.");
	test_expand(a, "", "");
	test_expand(a, "no placeholders", "no placeholders");

	/* literals */
	test_expand(a, "{{", "{");
	test_expand(a, "}}", "}");
	test_expand(a, "a {{ip}} b", "a {ip} b");
	test_expand(a, "{{{ip}}}", "{192.0.2.1}");
	test_expand(a, "}", "}");
	test_expand(a, "x}", "x}");

	/* malformed: copied as is */
	test_expand(a, "{", "{");
	test_expand(a, "x{", "x{");
	test_expand(a, "{ x }", "{ x }");
	test_expand(a, "{a|b", "{a|b");
	test_expand(a, "{ip", "{ip");
	test_expand(a, "{}", "{}");
	test_expand(a, "{|x}", "{|x}");
	test_expand(a, "{a b}", "{a b}");
	test_expand(a, "{ip-x}", "{ip-x}");
	/* the outer brace opens nothing well formed; the inner {b} does */
	test_expand(a, "{a{b}|c}", "{aB|c}");
	test_expand(a, "{a{nope}|c}", "{a|c}");
	/* a fallback is plain text: "{ip|x{b}y}" is no placeholder */
	test_expand(a, "{ip|x{b}y}", "{ip|xBy}");

	/* names of 32 characters are fine, 33 are not */
	test_expand(a, "{n2345678901234567890123456789012}", "LONG");
	test_expand(a, "{n2345678901234567890123456789012|f}", "LONG");
	test_expand(a, "{n23456789012345678901234567890123|f}",
	    "{n23456789012345678901234567890123|f}");
	test_expand(a, "{n23456789012345678901234567890123}",
	    "{n23456789012345678901234567890123}");

	/* UTF-8 */
	test_expand(a, "{nope|адрес не найден} 😀", "адрес не найден 😀");
	test_expand(a, "Адрес {ip|?}: «{domain}»",
	    "Адрес 192.0.2.1: «example.com»");

	test_lookups = 0;
	(void)tmpl_expand(a, "{{ip}} {ip} {nope|x} {a b}", test_lookup, NULL);
	CHECK(test_lookups == 2, "lookup runs once per placeholder (%d)",
	    test_lookups);

	arena_free(a);
	return test_done();
}
