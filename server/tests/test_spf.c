/* SPDX-License-Identifier: MIT */
/*
 * test_spf.c - unit tests for spf.h without DNS data: initial processing
 * (RFC 7208 §2.3, §2.4, §4.1, §4.3) ends in none before any lookup, and
 * otherwise the first run stops with the TXT query of <domain>. The
 * evaluation over DNS answers is tested through the real path (fixture
 * DNS server, c-ares, resolver), not here; the one walk over answers
 * below checks that the sentences (reason, found, the default
 * explanation) are messages, which the shipped texts (rules/) put into
 * English and Russian.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "spf.h"
#include "texts.h"
#include "test.h"

static unsigned test_calls;

/* test_nothing_yet - nothing has been fetched */
static const struct dnsmsg_answer *
test_nothing_yet(void *arg, const char *name, uint16_t type)
{
	(void)arg;
	(void)name;
	(void)type;
	test_calls++;
	return NULL;
}

static void test_none(struct arena *a, const struct spf_query *q,
    const char *what, const char *word);

/* test_answers - example.com has "v=spf1 a:gone.example.com foo=bar
 * -all"; every other name is NXDOMAIN */
static const struct dnsmsg_answer *
test_answers(void *arg, const char *name, uint16_t type)
{
	static const char rec[] = "v=spf1 a:gone.example.com foo=bar -all";
	static struct dnsmsg_record txt;
	static struct dnsmsg_answer ok, nx;

	(void)arg;
	txt.type = DNSMSG_T_TXT;
	txt.u.txt.data = rec;
	txt.u.txt.len = sizeof(rec) - 1;
	txt.u.txt.nstrings = 1;
	ok.status = DNSMSG_OK;
	ok.records = &txt;
	ok.nrecords = 1;
	nx.status = DNSMSG_NXDOMAIN;
	nx.rcode = 3;
	if (strcmp(name, "example.com") == 0 && type == DNSMSG_T_TXT)
		return &ok;
	return &nx;
}

static struct texts *test_texts; /* the shipped texts, from rules/ */
static enum lang lang_ru;

/* test_say - m in l, from the shipped texts; NULL for NULL */
static const char *
test_say(struct arena *a, enum lang l, const struct texts_msg *m)
{
	return m != NULL ? texts_render(a, test_texts, l, m) : NULL;
}

/* test_has_cyrillic - does s hold a UTF-8 Cyrillic letter (U+0400..)? */
static bool
test_has_cyrillic(const char *s)
{
	for (; s != NULL && s[0] != '\0'; s++)
		if ((unsigned char)s[0] == 0xd0 || (unsigned char)s[0] == 0xd1)
			return true;
	return false;
}

/* test_lang - one walk, no language: its sentences are messages, which
 * the shipped texts put into English and into Russian */
static void
test_lang(struct arena *a)
{
	struct spf_pending pending[SPF_MAX_PENDING];
	struct spf_outcome o;
	struct spf_query q;
	size_t n = 0;
	const char *s;

	memset(&q, 0, sizeof(q));
	q.ip = "192.0.2.7";
	q.sender = "foo@example.com";
	if (!CHECK(spf_eval(a, &q, test_answers, NULL, &o, pending, &n) ==
	                SPF_EVAL_DONE &&
	            o.result == SPF_FAIL && o.ntrace == 3,
	        "fail, three steps"))
		return;
	CHECK(texts_msg_is(o.reason, "spf.reason.ends_in") &&
	        o.explanation == NULL &&
	        texts_msg_is(o.default_explanation,
	            "spf.explanation.default") &&
	        texts_msg_is(o.trace[0].found, "spf.found.void") &&
	        texts_msg_is(o.trace[2].found, "spf.found.unknown_modifier"),
	    "the sentences are messages");
	CHECK_STR(test_say(a, LANG_EN, o.reason),
	    "the record ends in \"-all\" and no earlier term matched 192.0.2.7",
	    "English reason");
	CHECK_STR(test_say(a, LANG_EN, o.default_explanation),
	    "192.0.2.7 is not allowed to send mail from example.com",
	    "English default explanation");
	CHECK_STR(test_say(a, LANG_EN, o.trace[0].found),
	    "NXDOMAIN (void lookup)", "English found of a:");
	CHECK_STR(test_say(a, LANG_EN, o.trace[2].found),
	    "unknown modifier, ignored (RFC 7208 §6)", "English found of foo=");
	CHECK_STR(test_say(a, lang_ru, o.reason),
	    "запись заканчивается на \"-all\", и ни один предыдущий терм не совпал с 192.0.2.7",
	    "Russian reason");
	CHECK_STR(test_say(a, lang_ru, o.default_explanation),
	    "192.0.2.7 не разрешено отправлять почту от имени example.com",
	    "Russian default explanation");
	CHECK_STR(test_say(a, lang_ru, o.trace[0].found),
	    "NXDOMAIN (пустой ответ, void lookup)", "Russian found of a:");
	s = test_say(a, lang_ru, o.trace[2].found);
	CHECK(test_has_cyrillic(s), "Russian found of foo=: \"%s\"", s);

	/* a none before any lookup is a message too */
	memset(&q, 0, sizeof(q));
	q.ip = "1.2.3.5";
	q.sender = "";
	if (CHECK(spf_eval(a, &q, test_nothing_yet, NULL, &o, pending, &n) ==
	            SPF_EVAL_DONE,
	        "none: done")) {
		s = test_say(a, lang_ru, o.reason);
		CHECK(texts_msg_is(o.reason, "spf.reason.no_sender") &&
		        test_has_cyrillic(s),
		    "Russian none reason: \"%s\"", s);
	}
}

/* One TXT record of a name, for test_zone. */
struct test_txt {
	const char *name, *record;
	struct dnsmsg_record rr;
	struct dnsmsg_answer ans;
};

/* test_zone - the TXT record of each name of the list arg (ended by a
 * NULL name); every other name is NXDOMAIN */
static const struct dnsmsg_answer *
test_zone(void *arg, const char *name, uint16_t type)
{
	static struct dnsmsg_answer nx = { .status = DNSMSG_NXDOMAIN,
		.rcode = 3 };

	for (struct test_txt *t = arg; t->name != NULL; t++) {
		if (type != DNSMSG_T_TXT || strcmp(name, t->name) != 0)
			continue;
		t->rr.type = DNSMSG_T_TXT;
		t->rr.u.txt.data = t->record;
		t->rr.u.txt.len = strlen(t->record);
		t->rr.u.txt.nstrings = 1;
		t->ans.status = DNSMSG_OK;
		t->ans.records = &t->rr;
		t->ans.nrecords = 1;
		return &t->ans;
	}
	return &nx;
}

/* test_syntax_lang - a syntax error of the record, and one of the macros
 * of an explanation, are sentences of the reader's language; what the
 * record holds stays as it is */
static void
test_syntax_lang(struct arena *a)
{
	struct test_txt bad[] = {
		{ .name = "example.com",
		    .record = "v=spf1 ip4:192.0.2.300 -all" },
		{ .name = NULL },
	};
	struct test_txt exp[] = {
		{ .name = "example.com",
		    .record = "v=spf1 -all exp=why.example.com" },
		{ .name = "why.example.com", .record = "%{x} may not send" },
		{ .name = NULL },
	};
	struct spf_pending pending[SPF_MAX_PENDING];
	const struct texts_msg *found = NULL;
	struct spf_outcome o;
	struct spf_query q;
	size_t n = 0;

	memset(&q, 0, sizeof(q));
	q.ip = "192.0.2.7";
	q.sender = "foo@example.com";
	if (CHECK(spf_eval(a, &q, test_zone, bad, &o, pending, &n) ==
	                SPF_EVAL_DONE &&
	            o.result == SPF_PERMERROR && o.ntrace == 1,
	        "a syntax error: permerror, one step")) {
		CHECK(texts_msg_is(o.reason, "spf.reason.invalid") &&
		        texts_msg_is(o.trace[0].found, "spf.found.syntax"),
		    "a syntax error is a message");
		CHECK_STR(test_say(a, LANG_EN, o.reason),
		    "the SPF record of example.com is invalid: ip4 has an invalid IPv4 address \"192.0.2.300\" (four decimal numbers 0-255, none left out, no leading zeros)",
		    "English syntax error");
		CHECK_STR(test_say(a, lang_ru, o.reason),
		    "SPF-запись example.com некорректна: у ip4 недопустимый адрес IPv4 «192.0.2.300» (нужны четыре десятичных числа от 0 до 255, без пропусков и ведущих нулей)",
		    "Russian syntax error");
		CHECK_STR(test_say(a, lang_ru, o.trace[0].found),
		    "у ip4 недопустимый адрес IPv4 «192.0.2.300» (нужны четыре десятичных числа от 0 до 255, без пропусков и ведущих нулей)",
		    "Russian found of the term");
	}
	if (!CHECK(spf_eval(a, &q, test_zone, exp, &o, pending, &n) ==
	                SPF_EVAL_DONE &&
	            o.result == SPF_FAIL,
	        "an explanation with a bad macro: fail"))
		return;
	for (size_t i = 0; i < o.ntrace; i++)
		if (texts_msg_is(o.trace[i].found, "spf.found.exp_error"))
			found = o.trace[i].found;
	CHECK_STR(test_say(a, LANG_EN, found),
	    "unknown macro letter (RFC 7208 §7.2 has s l o d i p v h c r t): default explanation",
	    "English found of exp=");
	CHECK_STR(test_say(a, lang_ru, found),
	    "неизвестная буква макроса (в RFC 7208 §7.2 есть s l o d i p v h c r t): объяснение по умолчанию",
	    "Russian found of exp=");
}

/* test_plurals - counts take the form of each language: English one and
 * other, Russian one, few and many; counts in words where English has
 * them */
static void
test_plurals(struct arena *a)
{
	static const struct {
		unsigned long n;
		const char *en, *ru;
	} c[] = {
		{ 1, "1 address", "1 адрес" },
		{ 2, "2 addresses", "2 адреса" },
		{ 5, "5 addresses", "5 адресов" },
		{ 11, "11 addresses", "11 адресов" },
		{ 21, "21 addresses", "21 адрес" },
		{ 22, "22 addresses", "22 адреса" },
	};
	struct texts_msg *m;

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		m = texts_msg_count(texts_msg_new(a, "spf.found.addresses"),
		    c[i].n);
		CHECK_STR(test_say(a, LANG_EN, m), c[i].en, "English plural");
		CHECK_STR(test_say(a, lang_ru, m), c[i].ru, "Russian plural");
	}
	m = texts_msg_count(
	    texts_msg_arg(texts_msg_sub(texts_msg_new(a, "spf.reason.records"),
	                      "count", texts_msg_new(a, "spf.count.3")),
	        "domain", "example.com"),
	    3);
	CHECK_STR(test_say(a, LANG_EN, m),
	    "example.com has three SPF records; RFC 7208 §4.5 allows one",
	    "English count in words");
	CHECK_STR(test_say(a, lang_ru, m),
	    "у example.com 3 SPF-записи, а RFC 7208 §4.5 допускает только одну",
	    "Russian count in digits");
}

/* test_none - q ends in none before any lookup, the reason holding word */
static void
test_none(struct arena *a, const struct spf_query *q, const char *what,
    const char *word)
{
	struct spf_pending pending[SPF_MAX_PENDING];
	struct spf_outcome out;
	size_t n = 99;
	enum spf_eval_status st;
	const char *reason;

	test_calls = 0;
	st = spf_eval(a, q, test_nothing_yet, NULL, &out, pending, &n);
	if (!CHECK(st == SPF_EVAL_DONE && out.result == SPF_NONE,
	        "%s: none without DNS", what))
		return;
	CHECK(test_calls == 0, "%s: no lookup asked", what);
	reason = test_say(a, LANG_EN, out.reason);
	CHECK(reason != NULL && strstr(reason, word) != NULL,
	    "%s: reason \"%s\" mentions \"%s\"", what,
	    reason != NULL ? reason : "", word);
	CHECK(out.explanation == NULL && out.default_explanation == NULL &&
	        out.decisive == NULL && out.ntrace == 0 && out.lookups == 0 &&
	        out.record == NULL,
	    "%s: nothing else in the outcome", what);
}

/* test_first - q stops at once, asking for the TXT record of want */
static void
test_first(struct arena *a, const struct spf_query *q, const char *what,
    const char *want)
{
	struct spf_pending pending[SPF_MAX_PENDING];
	struct spf_outcome out;
	size_t n = 99;
	enum spf_eval_status st;

	memset(&out, 0x5a, sizeof(out));
	st = spf_eval(a, q, test_nothing_yet, NULL, &out, pending, &n);
	if (!CHECK(st == SPF_EVAL_PENDING && n == 1, "%s: pending, one query",
	        what))
		return;
	CHECK(pending[0].type == DNSMSG_T_TXT, "%s: a TXT query", what);
	CHECK_STR(pending[0].name, want, what);
	CHECK(((const unsigned char *)&out)[0] == 0x5a,
	    "%s: outcome untouched while pending", what);
}

static struct spf_query
test_query(const char *ip, const char *sender, const char *helo)
{
	struct spf_query q;

	memset(&q, 0, sizeof(q));
	q.ip = ip;
	q.sender = sender;
	q.helo = helo;
	return q;
}

int
main(void)
{
	struct arena *a = arena_new();
	struct spf_query q;

	if ((test_texts = test_texts_shipped()) == NULL) {
		arena_free(a);
		return test_done();
	}
	lang_ru = test_lang_of(texts_langs(test_texts), "ru");

	/* names */
	CHECK_STR(spf_result_str(SPF_NONE), "none", "result name");
	CHECK_STR(spf_result_str(SPF_NEUTRAL), "neutral", "result name");
	CHECK_STR(spf_result_str(SPF_PASS), "pass", "result name");
	CHECK_STR(spf_result_str(SPF_FAIL), "fail", "result name");
	CHECK_STR(spf_result_str(SPF_SOFTFAIL), "softfail", "result name");
	CHECK_STR(spf_result_str(SPF_TEMPERROR), "temperror", "result name");
	CHECK_STR(spf_result_str(SPF_PERMERROR), "permerror", "result name");
	CHECK_STR(spf_term_outcome_str(SPF_TERM_NO_MATCH), "no-match",
	    "outcome name");
	CHECK_STR(spf_term_outcome_str(SPF_TERM_MATCH), "match",
	    "outcome name");
	CHECK_STR(spf_term_outcome_str(SPF_TERM_APPLIED), "applied",
	    "outcome name");
	CHECK_STR(spf_term_outcome_str(SPF_TERM_NOT_REACHED), "not-reached",
	    "outcome name");
	CHECK_STR(spf_term_outcome_str(SPF_TERM_ERROR), "error",
	    "outcome name");

	/* RFC 7208 §4.3: malformed domains give none, with no lookup */
	q = test_query("1.2.3.5",
	    "lyme.eater@A123456789012345678901234567890123456789012345678901"
	    "234567890123.example.com",
	    "mail.example.net");
	test_none(a, &q, "a 64-octet label", "§4.3");
	q = test_query("1.2.3.5", "lyme.eater@A...example.com",
	    "mail.example.net");
	test_none(a, &q, "empty labels", "not a valid");
	q = test_query("1.2.3.5", "", "A2345678");
	test_none(a, &q, "a HELO that is not a FQDN", "A2345678");
	q = test_query("1.2.3.5", "", "[1.2.3.5]");
	test_none(a, &q, "a HELO address literal", "address literal");
	q = test_query("1.2.3.5", "foo@[1.2.3.5]", "OEMCOMPUTER");
	test_none(a, &q, "a sender address literal", "address literal");
	q = test_query("1.2.3.5", "", NULL);
	test_none(a, &q, "no sender and no HELO", "no HELO");
	q = test_query("1.2.3.5", "foo@example.com", NULL);
	q.check_helo = true;
	test_none(a, &q, "the HELO check without a HELO", "no HELO");
	q = test_query("1.2.3.5", "foo@example.com", "OEMCOMPUTER");
	q.check_helo = true;
	test_none(a, &q, "the HELO check of a single label", "OEMCOMPUTER");
	q = test_query("mail.example.com", "foo@example.com",
	    "mail.example.com");
	test_none(a, &q, "a client that is not an address", "not an IP");
	q = test_query(NULL, "foo@example.com", "mail.example.com");
	test_none(a, &q, "no client address", "not an IP");

	/* otherwise the first run asks for the TXT record of <domain> */
	q = test_query("192.0.2.7", "Foo@Example.COM.", "mail.example.net");
	test_first(a, &q, "the sender's domain, lowercased", "example.com");
	q = test_query("192.0.2.7", "", "Mail.Example.NET");
	test_first(a, &q, "an empty sender: postmaster@helo (§2.4)",
	    "mail.example.net");
	q = test_query("192.0.2.7", NULL, "mail.example.net");
	test_first(a, &q, "a NULL sender", "mail.example.net");
	q = test_query("192.0.2.7", "<>", "mail.example.net");
	test_first(a, &q, "the null reverse-path \"<>\"", "mail.example.net");
	q = test_query("192.0.2.7", "foo@example.com", "mx.example.org");
	q.check_helo = true;
	test_first(a, &q, "the HELO identity (§2.3)", "mx.example.org");
	q = test_query("2001:db8::1", "foo@example.com", "mx.example.org");
	q.domain = "other.example";
	test_first(a, &q, "an explicit domain", "other.example");
	q = test_query("::ffff:192.0.2.7", "@example.net", "mx.example.org");
	test_first(a, &q, "no local-part (§4.3)", "example.net");
	q = test_query("192.0.2.7", "example.org", "mx.example.org");
	test_first(a, &q, "a sender without '@'", "example.org");
	q = test_query("192.0.2.7", "<a@b@example.org>", "mx.example.org");
	test_first(a, &q, "angle brackets and the last '@'", "example.org");

	test_lang(a);
	test_syntax_lang(a);
	test_plurals(a);
	texts_free(test_texts);
	arena_free(a);
	return test_done();
}
