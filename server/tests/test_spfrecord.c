/* SPDX-License-Identifier: MIT */
/*
 * test_spfrecord.c - unit tests for spfrecord.h: record selection (RFC
 * 7208 §4.5) and parsing with the grammar of §4.6, §5, §6 and §12; each
 * error is a message, checked by its id and by what the shipped texts
 * (rules/) make of it
 */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "spfrecord.h"
#include "texts.h"
#include "test.h"

static struct arena *test_arena;
static struct texts *test_texts; /* the shipped texts, from rules/ */

/* test_say - m in l, from the shipped texts; "" for NULL */
static const char *
test_say(enum lang l, const struct texts_msg *m)
{
	return m != NULL ? texts_render(test_arena, test_texts, l, m) : "";
}

static void
test_is_spf(const char *txt, size_t len, bool want)
{
	CHECK(spfrecord_is_spf(span_make(txt, len)) == want, "\"%s\" %s", txt,
	    want ? "is an SPF record" : "is not an SPF record");
}

/* test_parse_bad - rec must fail; the error covers the term at
 * [off, off+len) and is the message id. Returns the error, or NULL. */
static const struct texts_msg *
test_parse_bad(const char *raw, size_t reclen, size_t off, size_t len,
    const char *id)
{
	struct spfrecord r;
	struct spfrecord_error err;
	char rec[80];
	int rc;

	/* a printable name for the record, for the "ok" lines */
	for (size_t i = 0; i < sizeof(rec); i++) {
		rec[i] =
		    i < reclen && raw[i] >= ' ' && raw[i] <= '~' ? raw[i] : '?';
		if (i == reclen || i == sizeof(rec) - 1) {
			rec[i] = '\0';
			break;
		}
	}
	memset(&err, 0, sizeof(err));
	rc = spfrecord_parse(test_arena, span_make(raw, reclen), &r, &err);
	if (!CHECK(rc == -1, "\"%s\" is a permerror", rec))
		return NULL;
	CHECK(err.offset == off && err.len == len,
	    "\"%s\": error at %zu+%zu, want %zu+%zu (%s)", rec, err.offset,
	    err.len, off, len, test_say(LANG_EN, err.msg));
	if (!CHECK(texts_msg_is(err.msg, id), "\"%s\": error %s, want %s", rec,
	        err.msg != NULL ? err.msg->id : "(none)", id))
		return NULL;
	return err.msg;
}

/* test_bad - as test_parse_bad; the error in English mentions word */
static void
test_bad(const char *raw, size_t reclen, size_t off, size_t len, const char *id,
    const char *word)
{
	const struct texts_msg *m;
	const char *en;

	if ((m = test_parse_bad(raw, reclen, off, len, id)) == NULL)
		return;
	en = test_say(LANG_EN, m);
	CHECK(strstr(en, word) != NULL, "%s: \"%s\" mentions \"%s\"", id, en,
	    word);
}

static void
test_bad_term(const char *rec, const char *term, const char *id,
    const char *word)
{
	const char *at = strstr(rec, term);

	test_bad(rec, strlen(rec), at != NULL ? (size_t)(at - rec) : 9999,
	    strlen(term), id, word);
}

/* test_bad_says - rec fails at [off, off+len) with the message id, which
 * reads en in English and ru in Russian */
static void
test_bad_says(const char *rec, size_t reclen, size_t off, size_t len,
    const char *id, const char *en, const char *ru)
{
	const struct texts_msg *m = test_parse_bad(rec, reclen, off, len, id);

	if (m == NULL)
		return;
	CHECK_STR(test_say(LANG_EN, m), en, id);
	CHECK_STR(test_say(test_lang_of(texts_langs(test_texts), "ru"), m), ru,
	    id);
}

/* test_parse - rec must parse into nterms terms */
static bool
test_parse(const char *rec, size_t nterms, struct spfrecord *r)
{
	struct spfrecord_error err;

	memset(&err, 0, sizeof(err));
	if (!CHECK(spfrecord_parse(test_arena, span_cstr(rec), r, &err) == 0,
	        "\"%s\" parses (%s)", rec, test_say(LANG_EN, err.msg)))
		return false;
	return CHECK(r->nterms == nterms, "\"%s\": %zu terms, want %zu", rec,
	    r->nterms, nterms);
}

int
main(void)
{
	struct spfrecord r;
	const struct spfrecord_term *t;
	char big[SPFRECORD_MAX_LEN + 20];

	test_arena = arena_new();
	if ((test_texts = test_texts_shipped()) == NULL) {
		arena_free(test_arena);
		return test_done();
	}

	/* RFC 7208 §4.5 */
	test_is_spf("v=spf1", 6, true);
	test_is_spf("v=spf1 -all", 11, true);
	test_is_spf("V=SpF1 a", 8, true);
	test_is_spf("v=spf1mx", 8, false);
	test_is_spf("v=spf10", 7, false);
	test_is_spf("v=spf1\tall", 10, false);
	test_is_spf(" v=spf1", 7, false);
	test_is_spf("v=spf", 5, false);
	test_is_spf("", 0, false);
	test_is_spf("v=spf1\0 a", 9, false);
	test_is_spf("spf2.0/pra -all", 15, false);

	/* terms, spaces, offsets */
	if (test_parse("v=spf1 a  -all ", 2, &r)) {
		CHECK(r.terms[0].kind == SPFRECORD_A &&
		        r.terms[0].offset == 7 && r.terms[0].qualifier == '+' &&
		        r.terms[0].domain.ptr == NULL,
		    "\"a\" at 7 with no domain");
		CHECK(r.terms[1].kind == SPFRECORD_ALL &&
		        r.terms[1].offset == 10 &&
		        r.terms[1].qualifier == '-' &&
		        span_eq_cstr(r.terms[1].text, "-all"),
		    "\"-all\" at 10");
	}
	(void)test_parse("v=spf1", 0, &r);
	(void)test_parse("v=spf1 ", 0, &r);
	if (test_parse("v=spf1 ?all ~all +all -all all", 5, &r))
		CHECK(r.terms[0].qualifier == '?' &&
		        r.terms[1].qualifier == '~' &&
		        r.terms[2].qualifier == '+' &&
		        r.terms[3].qualifier == '-' &&
		        r.terms[4].qualifier == '+',
		    "qualifiers");
	if (test_parse("v=spf1 A:foo:bar/baz.example.com MX/24//64 iP4:1.2.3.4",
	        3, &r)) {
		t = &r.terms[0];
		CHECK(t->kind == SPFRECORD_A &&
		        span_eq_cstr(t->domain, "foo:bar/baz.example.com") &&
		        t->cidr4 == 32 && t->cidr6 == 128,
		    "a domain may hold ':' and '/'");
		t = &r.terms[1];
		CHECK(t->kind == SPFRECORD_MX && t->domain.ptr == NULL &&
		        t->cidr4 == 24 && t->cidr6 == 64,
		    "mx/24//64");
		t = &r.terms[2];
		CHECK(t->kind == SPFRECORD_IP4 && t->cidr4 == 32 &&
		        !t->net.v6 && t->net.b[0] == 1 && t->net.b[3] == 4,
		    "ip4 is case-insensitive, /32 by default");
	}
	if (test_parse("v=spf1 a:foo.example.com/24 a//0 mx:%{d}//97 "
	               "ip6:Cafe:Babe:8000::/33 ip6:::1 ptr ptr:example.com "
	               "exists:%{i}.%{s1}.100/86400.rate.%{d} "
	               "include:_spf.example.com",
	        9, &r)) {
		CHECK(span_eq_cstr(r.terms[0].domain, "foo.example.com") &&
		        r.terms[0].cidr4 == 24,
		    "a:domain/24");
		CHECK(r.terms[1].cidr4 == 32 && r.terms[1].cidr6 == 0, "a//0");
		CHECK(span_eq_cstr(r.terms[2].domain, "%{d}") &&
		        r.terms[2].cidr6 == 97,
		    "mx:%%{d}//97");
		CHECK(r.terms[3].kind == SPFRECORD_IP6 && r.terms[3].net.v6 &&
		        r.terms[3].cidr6 == 33 && r.terms[3].net.b[0] == 0xca,
		    "ip6:Cafe:Babe:8000::/33");
		CHECK(r.terms[4].cidr6 == 128, "ip6 is /128 by default");
		CHECK(r.terms[5].kind == SPFRECORD_PTR &&
		        r.terms[5].domain.ptr == NULL,
		    "ptr without a domain");
		CHECK(span_eq_cstr(r.terms[6].domain, "example.com"),
		    "ptr:example.com");
		CHECK(r.terms[7].kind == SPFRECORD_EXISTS &&
		        span_eq_cstr(r.terms[7].domain,
		            "%{i}.%{s1}.100/86400.rate.%{d}"),
		    "exists with '/' inside");
		CHECK(r.terms[8].kind == SPFRECORD_INCLUDE &&
		        spfrecord_counts_lookup(r.terms[8].kind),
		    "include counts as a DNS term");
	}

	/* modifiers: RFC 7208 §6 */
	if (test_parse("v=spf1 moo.cow-far_out=man:dog/cat default=+ x= "
	               "REDIRECT=_spf.example.com Exp=explain.%{d} -all",
	        6, &r)) {
		CHECK(r.terms[0].kind == SPFRECORD_UNKNOWN_MODIFIER &&
		        span_eq_cstr(r.terms[0].name, "moo.cow-far_out") &&
		        span_eq_cstr(r.terms[0].domain, "man:dog/cat"),
		    "unknown modifier kept with name and value");
		CHECK(r.terms[2].kind == SPFRECORD_UNKNOWN_MODIFIER &&
		        r.terms[2].domain.len == 0,
		    "an empty unknown modifier");
		CHECK(r.redirect == &r.terms[3] &&
		        span_eq_cstr(r.redirect->domain, "_spf.example.com") &&
		        spfrecord_counts_lookup(r.redirect->kind),
		    "redirect= (any case)");
		CHECK(r.exp == &r.terms[4] && r.exp->qualifier == '\0' &&
		        !spfrecord_counts_lookup(r.exp->kind),
		    "exp= (any case), not a DNS term");
		CHECK(!spfrecord_is_mechanism(r.terms[4].kind) &&
		        spfrecord_is_mechanism(r.terms[5].kind),
		    "mechanism or modifier");
	}
	(void)test_parse("v=spf1 ip4=1.2.3.4", 1, &r);

	/* syntax errors: RFC 7208 §4.6, each a permerror on its term */
	test_bad_term("v=spf1 ip4:1.2.3.4 -all moo", "moo",
	    "spfsyntax.unknown_mechanism", "unknown mechanism");
	test_bad_term("v=spf1 moo.cow/far_out=man:dog/cat ip4:1.2.3.4 -all",
	    "moo.cow/far_out=man:dog/cat", "spfsyntax.unknown_mechanism",
	    "unknown mechanism");
	test_bad_term("v=spf1 moo.cow:far_out=man:dog/cat -all",
	    "moo.cow:far_out=man:dog/cat", "spfsyntax.unknown_mechanism",
	    "unknown mechanism");
	test_bad_term("v=spf1 ip4:1.2.3.4 redirect:t2.example.com",
	    "redirect:t2.example.com", "spfsyntax.unknown_mechanism",
	    "unknown mechanism");
	test_bad_term("v=spf1 1up=foo", "1up=foo",
	    "spfsyntax.unknown_mechanism", "unknown mechanism");
	test_bad_term("v=spf1 =all", "=all", "spfsyntax.unknown_mechanism",
	    "unknown mechanism");
	test_bad_term("v=spf1 +redirect=x.example.com",
	    "+redirect=x.example.com", "spfsyntax.unknown_mechanism",
	    "unknown mechanism");
	test_bad_term("v=spf1 -all.", "-all.", "spfsyntax.unknown_mechanism",
	    "unknown mechanism");
	test_bad_term("v=spf1 -all:foobar", "-all:foobar", "spfsyntax.all_args",
	    "all takes");
	test_bad_term("v=spf1 -all/8", "-all/8", "spfsyntax.all_args",
	    "all takes");
	test_bad_term("v=spf1 ptr/0 -all", "ptr/0", "spfsyntax.ptr_args",
	    "prefix");
	test_bad_term("v=spf1 ptr:", "ptr:", "spfsyntax.empty_domain",
	    "needs a domain");
	test_bad_term("v=spf1 a: -all", "a:", "spfsyntax.empty_domain",
	    "needs a domain");
	test_bad_term("v=spf1 mx: -all", "mx:", "spfsyntax.empty_domain",
	    "needs a domain");
	test_bad_term("v=spf1 a/33 -all", "a/33", "spfsyntax.cidr4",
	    "IPv4 prefix");
	test_bad_term("v=spf1 mx//129 -all", "mx//129", "spfsyntax.cidr6",
	    "IPv6 prefix");
	test_bad_term("v=spf1 a/24/64 -all", "a/24/64", "spfsyntax.cidr4",
	    "IPv4 prefix");
	test_bad_term("v=spf1 a:foo.example.com/032", "a:foo.example.com/032",
	    "spfsyntax.cidr4", "IPv4 prefix");
	test_bad_term("v=spf1 a//", "a//", "spfsyntax.dual_args",
	    "something other than");
	test_bad_term("v=spf1 a:foo-bar -all", "a:foo-bar",
	    "spfsyntax.bad_domain", "top-level label");
	test_bad_term("v=spf1 a:museum.", "a:museum.", "spfsyntax.bad_domain",
	    "top-level label");
	test_bad_term("v=spf1 a:111.222.33.44", "a:111.222.33.44",
	    "spfsyntax.bad_domain", "top-level label");
	test_bad_term("v=spf1 mx:example.com:8080", "mx:example.com:8080",
	    "spfsyntax.bad_domain", "top-level label");
	test_bad_term("v=spf1 a:%{a}.example.com -all", "a:%{a}.example.com",
	    "spfsyntax.bad_domain", "unknown macro letter");
	test_bad_term("v=spf1 ip4", "ip4", "spfsyntax.no_address",
	    "needs an address");
	test_bad_term("v=spf1 -all ip6", "ip6", "spfsyntax.no_address",
	    "needs an address");
	test_bad_term("v=spf1 ip4:", "ip4:", "spfsyntax.no_address",
	    "needs an address");
	test_bad_term("v=spf1 ip4:1.2.3", "ip4:1.2.3", "spfsyntax.ip4_address",
	    "invalid IPv4 address");
	test_bad_term("v=spf1 ip4:1.2.3.4:8080", "ip4:1.2.3.4:8080",
	    "spfsyntax.ip4_address", "invalid IPv4 address");
	test_bad_term("v=spf1 ip4:1.2.3.4/33 -all", "ip4:1.2.3.4/33",
	    "spfsyntax.ip_cidr", "prefix length /33");
	test_bad_term("v=spf1 ip4:1.2.3.4/032 -all", "ip4:1.2.3.4/032",
	    "spfsyntax.ip_cidr", "prefix length /032");
	test_bad_term("v=spf1 ip4:1.2.3.4//32", "ip4:1.2.3.4//32",
	    "spfsyntax.ip_cidr", "prefix length //32");
	test_bad_term("v=spf1 ip6:::1.1.1.1/129", "ip6:::1.1.1.1/129",
	    "spfsyntax.ip_cidr", "prefix length /129");
	test_bad_term("v=spf1 ip6:::1.1.1.1//33", "ip6:::1.1.1.1//33",
	    "spfsyntax.ip_cidr", "prefix length //33");
	test_bad_term("v=spf1 ip6::CAFE::BABE", "ip6::CAFE::BABE",
	    "spfsyntax.ip6_address", "invalid IPv6 address");
	test_bad_term("v=spf1 include +all", "include", "spfsyntax.no_domain",
	    "needs a domain");
	test_bad_term("v=spf1 include: -all",
	    "include:", "spfsyntax.empty_domain", "needs a domain");
	test_bad_term("v=spf1 include:ip5.example.com/24 -all",
	    "include:ip5.example.com/24", "spfsyntax.bad_domain",
	    "top-level label");
	test_bad_term("v=spf1 exists", "exists", "spfsyntax.no_domain",
	    "needs a domain");
	test_bad_term("v=spf1 exists:", "exists:", "spfsyntax.empty_domain",
	    "needs a domain");
	test_bad_term("v=spf1 exists:mail.example.com/24",
	    "exists:mail.example.com/24", "spfsyntax.bad_domain",
	    "top-level label");
	test_bad_term("v=spf1 exists:%(ir).sbl.example.com ?all",
	    "exists:%(ir).sbl.example.com", "spfsyntax.bad_domain",
	    "'%' must be followed");
	test_bad_term("v=spf1 -all exp=%{r}.example.com",
	    "exp=%{r}.example.com", "spfsyntax.bad_domain",
	    "only in explanation");
	test_bad_term("v=spf1 ?all redirect=", "redirect=",
	    "spfsyntax.empty_domain", "needs a domain");
	test_bad_term("v=spf1 exp= -all", "exp=", "spfsyntax.empty_domain",
	    "needs a domain");
	test_bad_term("v=spf1 redirect=-all ?all", "redirect=-all",
	    "spfsyntax.bad_domain", "top-level label");
	test_bad_term("v=spf1 exp=-all", "exp=-all", "spfsyntax.bad_domain",
	    "top-level label");
	test_bad_term(
	    "v=spf1 redirect=a.example.com -all redirect=b.example.com",
	    "redirect=b.example.com", "spfsyntax.repeated", "more than once");
	test_bad_term("v=spf1 exp=a.example.com -all exp=b.example.com",
	    "exp=b.example.com", "spfsyntax.repeated", "more than once");
	test_bad_term("v=spf1 -all foo=%abc", "foo=%abc",
	    "spfsyntax.modifier_value", "modifier foo=");

	/* bytes: RFC 7208 §12, SP and VCHAR only */
	test_bad("v=spf1 a:\xef\xbb\xbfgarbage.example.net -all", 36, 7, 24,
	    "spfsyntax.byte_non_ascii", "non-ASCII byte (0xEF) at offset 9");
	test_bad("v=spf1 a:ctrl.example.com\rptr -all", 34, 7, 22,
	    "spfsyntax.byte_control", "control character (0x0D)");
	test_bad("v=spf1 ip4:192.0.2.5\n include:x.example.com ~all", 48, 7, 14,
	    "spfsyntax.byte_control", "control character (0x0A)");
	test_bad("v=spf1 a:foo.example.com\0", 25, 7, 18, "spfsyntax.byte_nul",
	    "NUL byte");
	test_bad("v=spf1\ta", 8, 0, 8, "spfsyntax.version", "does not start");

	/* length */
	memset(big, 0, sizeof(big));
	memcpy(big, "v=spf1", 6);
	memset(big + 6, ' ', SPFRECORD_MAX_LEN - 6);
	CHECK(spfrecord_parse(test_arena, span_make(big, SPFRECORD_MAX_LEN), &r,
	          &(struct spfrecord_error){ 0 }) == 0,
	    "a record of SPFRECORD_MAX_LEN bytes is read");
	test_bad(big, SPFRECORD_MAX_LEN + 1, 0, SPFRECORD_MAX_LEN + 1,
	    "spfsyntax.too_long", "more than");
	test_bad("v=spf10 a", 9, 0, 9, "spfsyntax.version", "does not start");

	/* the words: the sentence is the reader's language, the data (term,
	 * value, byte, offset, length) stays as the record has it */
	test_bad_says("v=spf1 ip4:1.2.3 -all", 21, 7, 9,
	    "spfsyntax.ip4_address",
	    "ip4 has an invalid IPv4 address \"1.2.3\" (four decimal numbers 0-255, none left out, no leading zeros)",
	    "у ip4 недопустимый адрес IPv4 «1.2.3» (нужны четыре десятичных числа от 0 до 255, без пропусков и ведущих нулей)");
	test_bad_says("v=spf1 a:foo-bar -all", 21, 7, 9, "spfsyntax.bad_domain",
	    "a has an invalid domain \"foo-bar\": a domain must end in a top-level label such as \".com\" (not all digits) or in a macro (RFC 7208 §7.1)",
	    "у a недопустимый домен «foo-bar»: домен должен заканчиваться меткой верхнего уровня вроде «.com» (не из одних цифр) или макросом (RFC 7208 §7.1)");
	test_bad_says("v=spf1 -all x=%{d0}", 19, 12, 7,
	    "spfsyntax.modifier_value",
	    "modifier x= has an invalid value: a macro's digit transformer must not be zero (RFC 7208 §7.3)",
	    "у модификатора x= недопустимое значение: число частей в преобразователе макроса не может быть нулём (RFC 7208 §7.3)");
	test_bad_says("v=spf1 {name}", 13, 7, 6, "spfsyntax.unknown_mechanism",
	    "unknown mechanism \"{name}\" (RFC 7208 §5 has all, include, a, mx, ptr, ip4, ip6, exists)",
	    "неизвестный механизм «{name}» (в RFC 7208 §5 есть all, include, a, mx, ptr, ip4, ip6, exists)");
	test_bad_says("v=spf1 a:\xef\xbb\xbfgarbage.example.net -all", 36, 7,
	    24, "spfsyntax.byte_non_ascii",
	    "the record contains a non-ASCII byte (0xEF) at offset 9; only printable ASCII and spaces are allowed",
	    "в записи есть байт вне ASCII (0xEF) на смещении 9; допустимы только печатные символы ASCII и пробелы");
	test_bad_says(big, SPFRECORD_MAX_LEN + 1, 0, SPFRECORD_MAX_LEN + 1,
	    "spfsyntax.too_long",
	    "the record is 4,097 bytes long, more than the 4,096 this checker "
	    "reads",
	    "запись занимает 4\xc2\xa0"
	    "097 байт, а эта проверка читает не больше "
	    "4\xc2\xa0"
	    "096");
	test_bad_says(big, SPFRECORD_MAX_LEN + 6, 0, SPFRECORD_MAX_LEN + 6,
	    "spfsyntax.too_long",
	    "the record is 4,102 bytes long, more than the 4,096 this checker "
	    "reads",
	    "запись занимает 4\xc2\xa0"
	    "102 байта, а эта проверка читает не больше "
	    "4\xc2\xa0"
	    "096");

	/* names */
	CHECK_STR(spfrecord_kind_str(SPFRECORD_EXISTS), "exists", "kind name");
	CHECK_STR(spfrecord_kind_str(SPFRECORD_REDIRECT), "redirect",
	    "kind name");
	texts_free(test_texts);
	arena_free(test_arena);
	return test_done();
}
