/* SPDX-License-Identifier: MIT */
/*
 * test_spfmacro.c - unit tests for spfmacro.h: every example of RFC 7208
 * §7.4, the transformers, delimiters, escapes, URL encoding, the letters
 * allowed where, and the domain-spec grammar of §7.1; an error is checked
 * by its message id
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "spfaddr.h"
#include "spfmacro.h"
#include "test.h"
#include "texts_msg.h"

static struct arena *test_arena;

/* test_vars - the values of RFC 7208 §7.4: <sender>
 * strong-bad@email.example.com, client 192.0.2.3 (or 2001:db8::cb01),
 * validated name mx.example.org */
static struct spfmacro_vars
test_vars(const char *ip)
{
	static char dotted[SPFADDR_MAX_TEXT], readable[SPFADDR_MAX_TEXT];
	struct spfmacro_vars v;
	struct spfaddr a;

	memset(&v, 0, sizeof(v));
	(void)spfaddr_parse_client(span_cstr(ip), &a);
	v.s = SPAN_LIT("strong-bad@email.example.com");
	v.l = SPAN_LIT("strong-bad");
	v.o = SPAN_LIT("email.example.com");
	v.d = SPAN_LIT("email.example.com");
	v.i = span_cstr(spfaddr_str(&a, SPFADDR_DOTTED, dotted));
	v.c = span_cstr(spfaddr_str(&a, SPFADDR_READABLE, readable));
	v.v = a.v6 ? SPAN_LIT("ip6") : SPAN_LIT("in-addr");
	v.p = SPAN_LIT("mx.example.org");
	v.h = SPAN_LIT("mx.example.org");
	v.r = SPAN_NULL; /* "unknown" */
	v.t = SPAN_LIT("1234567890");
	return v;
}

/* test_err - the id of an error message, for the "ok" lines */
static const char *
test_err(const struct texts_msg *err)
{
	return err != NULL ? err->id : "no error";
}

static void
test_expand_in(const struct spfmacro_vars *v, enum spfmacro_where where,
    const char *in, const char *want)
{
	struct span out = SPAN_NULL;
	const struct texts_msg *err = NULL;
	char what[200];
	int rc;

	rc = spfmacro_expand(test_arena, span_cstr(in), where, v, &out, &err);
	(void)snprintf(what, sizeof(what), "expand \"%s\"", in);
	if (!CHECK(rc == 0, "%s works (%s)", what, test_err(err)))
		return;
	CHECK_STR(out.ptr, want, what);
	CHECK(out.len == strlen(want), "%s: length", what);
}

/* test_expand_bad - in must not expand for where: the error id */
static void
test_expand_bad(const struct spfmacro_vars *v, enum spfmacro_where where,
    const char *in, const char *id)
{
	struct span out = SPAN_NULL;
	const struct texts_msg *err = NULL;

	CHECK(spfmacro_expand(test_arena, span_cstr(in), where, v, &out,
	          &err) == -1 &&
	        texts_msg_is(err, id),
	    "expand \"%s\" is the error %s (%s)", in, id, test_err(err));
}

static void
test_expand(const char *ip, const char *in, const char *want)
{
	struct spfmacro_vars v = test_vars(ip);

	test_expand_in(&v, SPFMACRO_DOMAIN, in, want);
}

/* test_expand_nocase - as test_expand, ignoring ASCII case */
static void
test_expand_nocase(const char *ip, const char *in, const char *want)
{
	struct spfmacro_vars v = test_vars(ip);
	struct span out = SPAN_NULL;
	const struct texts_msg *err = NULL;

	CHECK(spfmacro_expand(test_arena, span_cstr(in), SPFMACRO_DOMAIN, &v,
	          &out, &err) == 0 &&
	        strcasecmp(out.ptr, want) == 0,
	    "expand \"%s\" is \"%s\" ignoring case", in, want);
}

/* test_syntax - in is checked for where: accepted when id is NULL, else
 * refused with the error id */
static void
test_syntax(const char *in, enum spfmacro_where where, const char *id)
{
	const struct texts_msg *err = NULL;
	size_t off = 0;
	int rc;

	rc = spfmacro_check(span_cstr(in), where, &off, &err);
	if (id == NULL)
		CHECK(rc == 0, "check \"%s\" (%d) ok (%s)", in, (int)where,
		    test_err(err));
	else
		CHECK(rc == -1 && texts_msg_is(err, id),
		    "check \"%s\" (%d) refused: %s (%s)", in, (int)where, id,
		    test_err(err));
}

int
main(void)
{
	struct spfmacro_vars v;
	const struct texts_msg *err = NULL;
	struct span out;
	size_t off = 0;
	char big[1100];

	test_arena = arena_new();

	/* RFC 7208 §7.4, the first table */
	test_expand("192.0.2.3", "%{s}", "strong-bad@email.example.com");
	test_expand("192.0.2.3", "%{o}", "email.example.com");
	test_expand("192.0.2.3", "%{d}", "email.example.com");
	test_expand("192.0.2.3", "%{d4}", "email.example.com");
	test_expand("192.0.2.3", "%{d3}", "email.example.com");
	test_expand("192.0.2.3", "%{d2}", "example.com");
	test_expand("192.0.2.3", "%{d1}", "com");
	test_expand("192.0.2.3", "%{dr}", "com.example.email");
	test_expand("192.0.2.3", "%{d2r}", "example.email");
	test_expand("192.0.2.3", "%{l}", "strong-bad");
	test_expand("192.0.2.3", "%{l-}", "strong.bad");
	test_expand("192.0.2.3", "%{lr}", "strong-bad");
	test_expand("192.0.2.3", "%{lr-}", "bad.strong");
	test_expand("192.0.2.3", "%{l1r-}", "strong");

	/* RFC 7208 §7.4, the second table */
	test_expand("192.0.2.3", "%{ir}.%{v}._spf.%{d2}",
	    "3.2.0.192.in-addr._spf.example.com");
	test_expand("192.0.2.3", "%{lr-}.lp._spf.%{d2}",
	    "bad.strong.lp._spf.example.com");
	test_expand("192.0.2.3", "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}",
	    "bad.strong.lp.3.2.0.192.in-addr._spf.example.com");
	test_expand("192.0.2.3", "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}",
	    "3.2.0.192.in-addr.strong.lp._spf.example.com");
	test_expand("192.0.2.3", "%{d2}.trusted-domains.example.net",
	    "example.com.trusted-domains.example.net");

	/* RFC 7208 §7.4, IPv6: the RFC writes the nibbles in lowercase, the
	 * openspf suite (v-macro-ip6) in uppercase; names ignore case (RFC
	 * 4343), and the suite decides the text */
	test_expand_nocase("2001:db8::cb01", "%{ir}.%{v}._spf.%{d2}",
	    "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2."
	    "ip6._spf.example.com");
	test_expand("2001:db8::cb01", "%{ir}.%{v}._spf.%{d2}",
	    "1.0.B.C.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.B.D.0.1.0.0.2."
	    "ip6._spf.example.com");
	test_expand("2001:db8::cb01", "%{i}",
	    "2.0.0.1.0.D.B.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.C.B.0.1");
	test_expand("::ffff:192.0.2.3", "%{i}.%{v}", "192.0.2.3.in-addr");

	/* the other letters, and uppercase letters in the macro */
	test_expand("192.0.2.3", "%{p}", "mx.example.org");
	test_expand("192.0.2.3", "%{p2}.trusted-domains.example.net",
	    "example.org.trusted-domains.example.net");
	test_expand("192.0.2.3", "%{h}", "mx.example.org");
	test_expand("192.0.2.3", "%{D2}", "example.com");
	test_expand("192.0.2.3", "%{dR}", "com.example.email");

	/* RFC 7208 §7.3: digits beyond the parts, several delimiters */
	test_expand("192.0.2.3", "%{d9}", "email.example.com");
	test_expand("192.0.2.3", "%{d99999999999999999999}",
	    "email.example.com");
	test_expand("192.0.2.3", "%{d02}", "example.com");
	test_expand("192.0.2.3", "%{l.-}", "strong.bad");
	v = test_vars("192.0.2.3");
	test_expand_bad(&v, SPFMACRO_DOMAIN, "%{s@}", "spfsyntax.macro_char");
	test_expand_bad(&v, SPFMACRO_DOMAIN, "%{d0}", "spfsyntax.macro_zero");
	v = test_vars("1.2.3.4");
	v.l = SPAN_LIT("philip-gladstone-test");
	test_expand_in(&v, SPFMACRO_DOMAIN, "%{i}.%{l2r-}.user.%{d2}",
	    "1.2.3.4.gladstone.philip.user.example.com");
	v.l = SPAN_LIT("foo-bar+zip+quux");
	test_expand_in(&v, SPFMACRO_DOMAIN, "%{l2r+-}.user.%{d2}",
	    "bar.foo.user.example.com");
	v.l = SPAN_LIT("a,b/c_d=e+f-g.h");
	test_expand_in(&v, SPFMACRO_DOMAIN, "%{l.-+,/_=}", "a.b.c.d.e.f.g.h");
	test_expand_in(&v, SPFMACRO_DOMAIN, "%{l3r.-+,/_=}", "c.b.a");
	v.l = SPAN_LIT("..x..");
	test_expand_in(&v, SPFMACRO_DOMAIN, "%{lr}", "..x..");
	test_expand_in(&v, SPFMACRO_DOMAIN, "%{l2}", ".");
	v.l = SPAN_LIT("");
	test_expand_in(&v, SPFMACRO_DOMAIN, "%{l}x.com", "x.com");

	/* RFC 7208 §7.1 escapes */
	test_expand("192.0.2.3",
	    "macro%%percent%_%_space%-url-space.example.com",
	    "macro%percent  space%20url-space.example.com");

	/* RFC 7208 §7.3: uppercase URL-encodes all but the unreserved set */
	v = test_vars("192.0.2.3");
	v.l = SPAN_LIT("~jack&jill=up-a_b3.c");
	test_expand_in(&v, SPFMACRO_EXP, "http://example.com/why.html?l=%{L}",
	    "http://example.com/why.html?l=~jack%26jill%3Dup-a_b3.c");
	test_expand("192.0.2.3", "%{S}", "strong-bad%40email.example.com");
	v.l = SPAN_LIT("a b\x7f/\xc3\xa9");
	test_expand_in(&v, SPFMACRO_DOMAIN, "%{L}.x.com",
	    "a%20b%7F%2F%C3%A9.x.com");
	test_expand_in(&v, SPFMACRO_DOMAIN, "%{L1/}.x.com", "%C3%A9.x.com");

	/* explanation text: spaces and c, r, t */
	v = test_vars("2001:db8::cb01");
	test_expand_in(&v, SPFMACRO_EXP,
	    "%{c} is queried as %{ir}.%{v}.arpa at %{t} by %{r}",
	    "2001:db8::cb01 is queried as "
	    "1.0.B.C.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.B.D.0.1.0.0.2."
	    "ip6.arpa at 1234567890 by unknown");
	test_expand_in(&v, SPFMACRO_EXP, "This is a test.", "This is a test.");
	test_expand_in(&v, SPFMACRO_EXP, "", "");
	test_expand_bad(&v, SPFMACRO_EXP, "The %{x}-files.",
	    "spfsyntax.macro_letter");
	test_expand_bad(&v, SPFMACRO_DOMAIN, "%{c}.example.com",
	    "spfsyntax.macro_exp_only");
	test_expand_bad(&v, SPFMACRO_DOMAIN, "a b.example.com",
	    "spfsyntax.space");

	/* the size ceiling */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	v.l = span_cstr(big);
	CHECK(spfmacro_expand(test_arena, SPAN_LIT("%{l}%{l}%{l}"),
	          SPFMACRO_EXP, &v, &out, &err) == 0 &&
	        out.len == 3 * (sizeof(big) - 1),
	    "three 1099-byte values fit");
	CHECK(spfmacro_expand(test_arena, SPAN_LIT("%{L}%{L}"), SPFMACRO_EXP,
	          &v, &out, &err) == 0,
	    "URL-encoding x changes nothing");
	memset(big, ' ', sizeof(big) - 1);
	CHECK(spfmacro_expand(test_arena, SPAN_LIT("%{L}%{L}"), SPFMACRO_EXP,
	          &v, &out, &err) == -1 &&
	        texts_msg_is(err, "spfsyntax.expansion_too_long"),
	    "a URL-encoded expansion over SPFMACRO_MAX_OUT is an error");

	/* syntax: RFC 7208 §7.1 */
	test_syntax("%{d}", SPFMACRO_DOMAIN, NULL);
	test_syntax("%(ir).sbl.example.com", SPFMACRO_DOMAIN,
	    "spfsyntax.percent");
	test_syntax("foo%(ir).sbl.example.com", SPFMACRO_DOMAIN,
	    "spfsyntax.percent");
	test_syntax("foo%.sbl.example.com", SPFMACRO_DOMAIN,
	    "spfsyntax.percent");
	test_syntax("%", SPFMACRO_MODIFIER, "spfsyntax.percent");
	test_syntax("abc%", SPFMACRO_MODIFIER, "spfsyntax.percent");
	test_syntax("%abc", SPFMACRO_MODIFIER, "spfsyntax.percent");
	test_syntax("%{d", SPFMACRO_MODIFIER, "spfsyntax.macro_char");
	test_syntax("%{", SPFMACRO_MODIFIER, "spfsyntax.macro_unclosed");
	test_syntax("%{}", SPFMACRO_MODIFIER, "spfsyntax.macro_letter");
	test_syntax("%{d2r-x}", SPFMACRO_MODIFIER, "spfsyntax.macro_char");
	test_syntax("%{dr2}", SPFMACRO_MODIFIER, "spfsyntax.macro_char");
	test_syntax("%{a}.example.com", SPFMACRO_DOMAIN,
	    "spfsyntax.macro_letter");
	test_syntax("%{r}.example.com", SPFMACRO_DOMAIN,
	    "spfsyntax.macro_exp_only");
	test_syntax("%{C}.example.com", SPFMACRO_DOMAIN,
	    "spfsyntax.macro_exp_only");
	test_syntax("%{t}.example.com", SPFMACRO_DOMAIN,
	    "spfsyntax.macro_exp_only");
	test_syntax("%{r}", SPFMACRO_MODIFIER, NULL);
	test_syntax("%{c} %{r} %{t}", SPFMACRO_EXP, NULL);
	test_syntax("", SPFMACRO_MODIFIER, NULL);
	test_syntax("+", SPFMACRO_MODIFIER, NULL);
	test_syntax("a b", SPFMACRO_MODIFIER, "spfsyntax.space");
	test_syntax("tab\there", SPFMACRO_EXP, "spfsyntax.byte");
	CHECK(spfmacro_check(SPAN_LIT("\xef\xbb\xbf"
	                              "Explanation"),
	          SPFMACRO_EXP, &off, &err) == -1 &&
	        off == 0 && texts_msg_is(err, "spfsyntax.byte"),
	    "non-ASCII explanation text is refused at offset 0");
	CHECK(spfmacro_check(span_make("a\0b", 3), SPFMACRO_EXP, &off, &err) ==
	            -1 &&
	        off == 1 && texts_msg_is(err, "spfsyntax.byte"),
	    "a NUL is refused at its offset");

	/* domain-end = ( "." toplabel [ "." ] ) / macro-expand */
	test_syntax("example.com", SPFMACRO_DOMAIN, NULL);
	test_syntax("example.com.", SPFMACRO_DOMAIN, NULL);
	test_syntax("_spf.%{d2}", SPFMACRO_DOMAIN, NULL);
	test_syntax("%{d}.d.spf.example.com.", SPFMACRO_DOMAIN, NULL);
	test_syntax("msg8.%{D2}", SPFMACRO_DOMAIN, NULL);
	test_syntax("%{H}.bar", SPFMACRO_DOMAIN, NULL);
	test_syntax("foo.example.xn--zckzah", SPFMACRO_DOMAIN, NULL);
	test_syntax("foo:bar/baz.example.com", SPFMACRO_DOMAIN, NULL);
	test_syntax("mail.example...com", SPFMACRO_DOMAIN, NULL);
	test_syntax(".com", SPFMACRO_DOMAIN, NULL);
	test_syntax("x%%", SPFMACRO_DOMAIN, NULL);
	test_syntax("", SPFMACRO_DOMAIN, "spfsyntax.spec_empty");
	test_syntax("foo-bar", SPFMACRO_DOMAIN, "spfsyntax.toplabel");
	test_syntax("museum", SPFMACRO_DOMAIN, "spfsyntax.toplabel");
	test_syntax("museum.", SPFMACRO_DOMAIN, "spfsyntax.toplabel");
	test_syntax("abc.123", SPFMACRO_DOMAIN, "spfsyntax.toplabel");
	test_syntax("111.222.33.44", SPFMACRO_DOMAIN, "spfsyntax.toplabel");
	test_syntax("example.-com", SPFMACRO_DOMAIN, "spfsyntax.toplabel");
	test_syntax("example.com:8080", SPFMACRO_DOMAIN, "spfsyntax.toplabel");
	test_syntax("ip5.example.com/24", SPFMACRO_DOMAIN,
	    "spfsyntax.toplabel");
	test_syntax("example.com..", SPFMACRO_DOMAIN, "spfsyntax.toplabel");
	test_syntax("%{d}.", SPFMACRO_DOMAIN, "spfsyntax.toplabel");
	test_syntax("%{d}com", SPFMACRO_DOMAIN, "spfsyntax.toplabel");
	test_syntax("-all", SPFMACRO_DOMAIN, "spfsyntax.toplabel");

	CHECK(spfmacro_uses(SPAN_LIT("connect from %{p}"), 'p'),
	    "uses p in explanation text");
	CHECK(spfmacro_uses(SPAN_LIT("%{P2}.x.com"), 'p'), "uses P");
	CHECK(!spfmacro_uses(SPAN_LIT("%%{p}.x.com"), 'p'),
	    "%%{p} is a literal, not a macro");
	CHECK(!spfmacro_uses(SPAN_LIT("%{d}.x.com"), 'p'), "does not use p");
	arena_free(test_arena);
	return test_done();
}
