/* SPDX-License-Identifier: MIT */
/*
 * test_spf.c - unit tests for spf.h without DNS data: initial processing
 * (RFC 7208 §2.3, §2.4, §4.1, §4.3) ends in none before any lookup, and
 * otherwise the first run stops with the TXT query of <domain>. The
 * evaluation over DNS answers is tested through the real path (fixture
 * DNS server, c-ares, resolver), not here; the one walk over answers
 * below checks the language of the sentences (reason, found, the default
 * explanation): English unchanged, Russian for LANG_RU.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "spf.h"
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

/* test_has_cyrillic - does s hold a UTF-8 Cyrillic letter (U+0400..)? */
static bool
test_has_cyrillic(const char *s)
{
	for (; s != NULL && s[0] != '\0'; s++)
		if ((unsigned char)s[0] == 0xd0 || (unsigned char)s[0] == 0xd1)
			return true;
	return false;
}

/* test_lang - the same walk in English and in Russian */
static void
test_lang(struct arena *a)
{
	struct spf_pending pending[SPF_MAX_PENDING];
	struct spf_outcome en, ru;
	struct spf_query q;
	size_t n = 0;

	memset(&q, 0, sizeof(q));
	q.ip = "192.0.2.7";
	q.sender = "foo@example.com";
	if (!CHECK(spf_eval(a, &q, test_answers, NULL, &en, pending, &n) ==
	                SPF_EVAL_DONE &&
	            en.result == SPF_FAIL && en.ntrace == 3,
	        "English: fail, three steps"))
		return;
	CHECK_STR(en.reason,
	    "the record ends in \"-all\" and no earlier term matched 192.0.2.7",
	    "English reason");
	CHECK_STR(en.explanation,
	    "192.0.2.7 is not allowed to send mail from example.com",
	    "English default explanation");
	CHECK_STR(en.trace[0].found, "NXDOMAIN (void lookup)",
	    "English found of a:");
	CHECK_STR(en.trace[2].found, "unknown modifier, ignored (RFC 7208 §6)",
	    "English found of foo=");

	q.lang = LANG_RU;
	if (!CHECK(spf_eval(a, &q, test_answers, NULL, &ru, pending, &n) ==
	                SPF_EVAL_DONE &&
	            ru.result == SPF_FAIL && ru.ntrace == 3,
	        "Russian: fail, three steps"))
		return;
	CHECK_STR(ru.reason,
	    "запись заканчивается на \"-all\", и ни один предыдущий терм не совпал с 192.0.2.7",
	    "Russian reason");
	CHECK(test_has_cyrillic(ru.explanation) &&
	        strstr(ru.explanation, "192.0.2.7") != NULL &&
	        strstr(ru.explanation, "example.com") != NULL,
	    "Russian default explanation: \"%s\"", ru.explanation);
	CHECK(test_has_cyrillic(ru.trace[0].found) &&
	        strstr(ru.trace[0].found, "NXDOMAIN") != NULL,
	    "Russian found of a:: \"%s\"", ru.trace[0].found);
	CHECK(test_has_cyrillic(ru.trace[2].found),
	    "Russian found of foo=: \"%s\"", ru.trace[2].found);
	CHECK(!test_has_cyrillic(en.reason) &&
	        !test_has_cyrillic(en.trace[0].found),
	    "no Cyrillic in English");

	/* a none before any lookup speaks the language too */
	memset(&q, 0, sizeof(q));
	q.ip = "1.2.3.5";
	q.sender = "";
	q.lang = LANG_RU;
	test_none(a, &q, "Russian: no sender and no HELO", "HELO");
	if (CHECK(spf_eval(a, &q, test_nothing_yet, NULL, &ru, pending, &n) ==
	            SPF_EVAL_DONE,
	        "Russian none: done"))
		CHECK(test_has_cyrillic(ru.reason),
		    "Russian none reason: \"%s\"", ru.reason);
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

	test_calls = 0;
	st = spf_eval(a, q, test_nothing_yet, NULL, &out, pending, &n);
	if (!CHECK(st == SPF_EVAL_DONE && out.result == SPF_NONE,
	        "%s: none without DNS", what))
		return;
	CHECK(test_calls == 0, "%s: no lookup asked", what);
	CHECK(out.reason != NULL && strstr(out.reason, word) != NULL,
	    "%s: reason \"%s\" mentions \"%s\"", what,
	    out.reason != NULL ? out.reason : "", word);
	CHECK(out.explanation == NULL && out.decisive == NULL &&
	        out.ntrace == 0 && out.lookups == 0 && out.record == NULL,
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
	arena_free(a);
	return test_done();
}
