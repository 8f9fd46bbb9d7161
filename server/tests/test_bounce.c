/* SPDX-License-Identifier: MIT */
/*
 * test_bounce.c - unit tests for bounce.h: codes, diag text, recipient
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "bounce.h"
#include "smtptext.h"
#include "test.h"
#include "text.h"

/* test_escape - text for a check line: newlines shown as \n */
static const char *
test_escape(const char *s, char *out, size_t outlen)
{
	size_t o = 0;

	for (; *s != '\0' && o + 3 < outlen; s++) {
		if (*s == '\n') {
			out[o++] = '\\';
			out[o++] = 'n';
		} else {
			out[o++] = *s;
		}
	}
	out[o] = '\0';
	return out;
}

static void
test_reply(struct arena *a, const char *text, const char *want)
{
	char what[160], esc[100];

	(void)snprintf(what, sizeof(what), "smtptext_reply_code(\"%s\")",
	    test_escape(text, esc, sizeof(esc)));
	CHECK_STR(smtptext_reply_code(a, span_cstr(text)), want, what);
}

static void
test_status(struct arena *a, const char *text, char cls, const char *want)
{
	char what[160];

	(void)snprintf(what, sizeof(what), "smtptext_status(\"%s\", %s%c)",
	    text, cls == 0 ? "0" : "'", cls == 0 ? ' ' : cls);
	CHECK_STR(smtptext_status(a, span_cstr(text), cls), want, what);
}

static void
test_reply_codes(struct arena *a)
{
	test_reply(a, "550 5.1.1 x", "550");
	test_reply(a, "250 OK ... 550 denied", "550");
	test_reply(a, "smtp;550 x", "550");
	test_reply(a, "550-5.1.1 The email", "550");
	test_reply(a, "203.0.113.9 x", NULL);
	test_reply(a, "port 25", NULL);
	test_reply(a, "20 RCPTs", NULL);
	test_reply(a, "451:", "451");
	test_reply(a, "host 123 said", NULL);
	test_reply(a, "550", "550");
	test_reply(a, "250 OK", "250");
	test_reply(a, "250 OK then 421 busy", "421");
	test_reply(a, "said: 554\n", "554");
	test_reply(a, "(552)", "552");
	test_reply(a, "code=550 x", NULL);
	test_reply(a, "5505 x", NULL);
	test_reply(a, "a550 x", NULL);
	test_reply(a, "559 x", "559");
	test_reply(a, "599 x", NULL);
	test_reply(a, "560 x", NULL);
	test_reply(a, "", NULL);
	test_reply(a, "55", NULL);
}

static void
test_status_codes(struct arena *a)
{
	test_status(a, "550 5.7.1 x", 0, "5.7.1");
	test_status(a, "#5.5.0 smtp", 0, "5.5.0");
	test_status(a, "192.0.2.7", 0, NULL);
	test_status(a, "5.1.0p3", 0, NULL);
	test_status(a, "ends 5.1.1.", 0, "5.1.1");
	test_status(a, "4.2.2 then 5.1.1", '5', "5.1.1");
	test_status(a, "4.2.2 then 5.1.1", 0, "4.2.2");
	test_status(a, "4.2.2 only", '5', "4.2.2");
	test_status(a, "2.0.0 ok", '5', NULL);
	test_status(a, "2.0.0 ok", 0, "2.0.0");
	test_status(a, "5.7.26", 0, "5.7.26");
	test_status(a, "5.7.1000", 0, NULL);
	test_status(a, "5.1.1.4 x", 0, NULL);
	test_status(a, "v5.1.1", 0, NULL);
	test_status(a, "3.1.1", 0, NULL);
	test_status(a, "(5.4.1)", 0, "5.4.1");
	test_status(a, "", 0, NULL);
}

/* test_valid_utf8 - is every byte of s part of a valid sequence? */
static bool
test_valid_utf8(struct span s)
{
	size_t i = 0, n;

	while (i < s.len) {
		n = text_utf8_seqlen((const unsigned char *)s.ptr + i,
		    s.len - i);
		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

static void
test_parse_basic(struct arena *a)
{
	struct bounce b;
	static const char crlf[] = "550 5.1.1 <user@example.org>: Recipient\r\n"
	                           "   address rejected:\r\n"
	                           "\tUser unknown\r\n";
	static const char nul[] = "550 bad\0byte \xff here";

	bounce_parse(a, span_make(crlf, sizeof(crlf) - 1), &b);
	CHECK(b.bytes == sizeof(crlf) - 1, "bytes counts the input (%zu)",
	    b.bytes);
	CHECK(b.lines == 3, "CRLF input: 3 lines (%zu)", b.lines);
	CHECK(memchr(b.text.ptr, '\r', b.text.len) == NULL,
	    "CRLF input: no CR in text");
	CHECK(b.failures[0].diag.len == strlen(b.failures[0].diag.ptr),
	    "diag.len matches its NUL-terminated string");
	CHECK_STR(b.failures[0].diag.ptr,
	    "550 5.1.1 <user@example.org>: Recipient address rejected: User "
	    "unknown",
	    "diag collapses white space and newlines");
	CHECK_STR(b.failures[0].reply_code, "550", "bounce_parse reply_code");
	CHECK_STR(b.failures[0].status, "5.1.1", "bounce_parse status");
	CHECK(b.anomalies == 0, "clean input: no anomalies (0x%x)",
	    b.anomalies);

	bounce_parse(a, span_make(nul, sizeof(nul) - 1), &b);
	CHECK((b.anomalies & BOUNCE_ANOM_UTF8) != 0,
	    "invalid UTF-8 sets BOUNCE_ANOM_UTF8");
	CHECK((b.anomalies & BOUNCE_ANOM_CONTROL) != 0,
	    "NUL sets BOUNCE_ANOM_CONTROL");
	CHECK((b.anomalies & BOUNCE_ANOM_TRUNCATED) == 0,
	    "a short text is not truncated");
	CHECK_STR(b.failures[0].diag.ptr, "550 bad byte \xef\xbf\xbd here",
	    "NUL becomes a space and 0xFF U+FFFD in diag");

	bounce_parse(a, span_make("  \n\t \r\n ", 8), &b);
	CHECK(b.failures[0].diag.len == 0 && b.failures[0].reply_code == NULL &&
	        b.failures[0].status == NULL && b.failures[0].recipient == NULL,
	    "white space only: empty diag, nothing found");
	bounce_parse(a, span_make("", 0), &b);
	CHECK(b.failures[0].diag.len == 0 && b.lines == 0 && b.anomalies == 0,
	    "empty input");

	/* the status of the reply's class wins */
	bounce_parse(a, SPAN_LIT("warning 4.4.7 delayed; now 550 5.1.1 gone"),
	    &b);
	CHECK_STR(b.failures[0].status, "5.1.1",
	    "status follows the 5xx reply's class");
	bounce_parse(a, SPAN_LIT("connected to 192.0.2.25 port 25"), &b);
	CHECK(b.failures[0].reply_code == NULL && b.failures[0].status == NULL,
	    "IP and port digits are no codes");
}

static void
test_parse_long(struct arena *a)
{
	static char big[BOUNCE_MAX_DIAG + 4096];
	struct bounce b;
	size_t o = 0;

	/* "я" is 2 bytes: after one ASCII byte the cut lands inside one */
	big[o++] = 'x';
	for (; o + 2 <= sizeof(big); o += 2)
		memcpy(big + o, "\xd1\x8f", 2);
	bounce_parse(a, span_make(big, o), &b);
	CHECK((b.anomalies & BOUNCE_ANOM_TRUNCATED) != 0,
	    "%zu bytes of Cyrillic: BOUNCE_ANOM_TRUNCATED", o);
	CHECK(b.failures[0].diag.len <= BOUNCE_MAX_DIAG, "diag.len %zu <= %d",
	    b.failures[0].diag.len, BOUNCE_MAX_DIAG);
	CHECK(b.failures[0].diag.len >= BOUNCE_MAX_DIAG - 4,
	    "diag keeps nearly all it may (%zu)", b.failures[0].diag.len);
	CHECK(test_valid_utf8(b.failures[0].diag),
	    "diag is valid UTF-8 at the cut");
	CHECK(b.failures[0].diag.ptr[b.failures[0].diag.len] == '\0',
	    "diag is NUL-terminated");

	/* the same with the cut landing between characters */
	bounce_parse(a, span_make(big + 1, o - 1), &b);
	CHECK((b.anomalies & BOUNCE_ANOM_TRUNCATED) != 0 &&
	        b.failures[0].diag.len <= BOUNCE_MAX_DIAG &&
	        test_valid_utf8(b.failures[0].diag),
	    "Cyrillic cut at a character boundary: truncated, valid (%zu)",
	    b.failures[0].diag.len);

	/* white space that collapses keeps a text under the limit whole */
	memset(big, ' ', sizeof(big));
	memcpy(big + sizeof(big) - 9, "550 5.1.1", 9);
	bounce_parse(a, span_make(big, sizeof(big)), &b);
	CHECK((b.anomalies & BOUNCE_ANOM_TRUNCATED) == 0,
	    "long white space collapsing to 9 bytes is not truncated");
	CHECK_STR(b.failures[0].diag.ptr, "550 5.1.1",
	    "leading white space dropped");
}

static void
test_recipient(struct arena *a)
{
	struct bounce b;

	bounce_parse(a, SPAN_LIT("RCPT TO:<user@example.org> 550 5.1.1 x"), &b);
	CHECK_STR(b.failures[0].recipient, "user@example.org",
	    "recipient from RCPT TO:<>");
	bounce_parse(a,
	    SPAN_LIT("----- Transcript -----\n<user@example.org>... User "
	             "unknown\n550 5.1.1"),
	    &b);
	CHECK_STR(b.failures[0].recipient, "user@example.org",
	    "recipient from \"<user@example.org>... User unknown\"");
	bounce_parse(a,
	    SPAN_LIT("Final-Recipient: rfc822; bob@example.net\nStatus: "
	             "5.1.1\n"),
	    &b);
	CHECK_STR(b.failures[0].recipient, "bob@example.net",
	    "recipient from Final-Recipient");
	bounce_parse(a,
	    SPAN_LIT("550 5.7.1 sender@example.com is not allowed to send"),
	    &b);
	CHECK_STR(b.failures[0].recipient, NULL,
	    "a sender address is no recipient");

	/* the domain is case-insensitive: "EXAMPLE.org" names the same */
	bounce_parse(a, SPAN_LIT("RCPT TO:<User@EXAMPLE.org> 550 5.1.1 x"), &b);
	CHECK_STR(b.failures[0].recipient, "User@example.org",
	    "recipient from RCPT TO:<User@EXAMPLE.org>");
	/* the cue is at the second mention of the address */
	bounce_parse(a,
	    SPAN_LIT("mail for user@example.org failed: RCPT "
	             "TO:<user@example.org> 550 5.1.1 User unknown"),
	    &b);
	CHECK_STR(b.failures[0].recipient, "user@example.org",
	    "recipient cued at the address's second mention");
}

static void
test_entities(struct arena *a)
{
	struct bounce b;

	bounce_parse(a,
	    SPAN_LIT("554 5.7.1 Service unavailable; Client host "
	             "[198.51.100.23] blocked using zen.spamhaus.org"),
	    &b);
	CHECK_STR(b.ent.sending_ip, "198.51.100.23",
	    "bounce_parse fills the entities");
	CHECK(strlist_has(&b.ent.blocklists, "zen.spamhaus.org"),
	    "bounce_parse finds the blocklist");
}

static void
continuations(void)
{
	struct arena *a = arena_new();
	bool cut;
	struct span c = smtptext_collapse(a,
	    span_cstr("550-5.1.1 The email account that you tried to reach "
	              "does not exist. Please try\n550-5.1.1 double-checking "
	              "the address\n550 5.1.1 for typos. x - gsmtp"),
	    1000, &cut);

	CHECK_STR(c.ptr,
	    "550-5.1.1 The email account that you tried to reach does not "
	    "exist. Please try double-checking the address for typos. x - "
	    "gsmtp",
	    "multi-line reply prefixes removed after the first line");
	c = smtptext_collapse(a,
	    span_cstr("smtp; 550-5.7.1 Messages with multiple 550 5.7.1 "
	              "addresses in From: are not accepted"),
	    1000, &cut);
	CHECK_STR(c.ptr,
	    "smtp; 550-5.7.1 Messages with multiple addresses in From: are "
	    "not accepted",
	    "a folded field's prefixes removed mid-line");
	arena_free(a);
}

struct stage_case {
	const char *text;
	const char *want;
};

static void
stages(void)
{
	static const struct stage_case cases[] = {
		{ "host mx.example.org[192.0.2.1] said: 550 Unknown user "
		  "(in reply to end of DATA command)",
		    "data" },
		{ "said: 550 5.1.1 User unknown (in reply to RCPT TO command)",
		    "rcpt" },
		{ "SMTP error from remote mail server after end of data: 550 x",
		    "data" },
		{ "SMTP error from remote mail server after RCPT TO:<a@b.example>: "
		  "550 x",
		    "rcpt" },
		{ "550 5.1.1 user unknown", NULL },
		{ "in reply to MAIL FROM command", "mail" },
		{ "SMTP error from remote server after RCPT command: 550 x",
		    "rcpt" },
		{ "mx.example.org [192.0.2.25] did not like our RCPT TO: 550 x",
		    "rcpt" },
		{ "Sorry, no SMTP connection got far enough; most progress was "
		  "RCPT TO response; remote host 192.0.2.1 said: 550 x",
		    "rcpt" },
		{ "192.0.2.1 does not like recipient. Remote host said: 550 x",
		    "rcpt" },
		{ "554 delivery error: dd Sorry [RCPT_TO]", "rcpt" },
		{ "... while talking to mx.example.org.: >>> MAIL From:<a@b.example> "
		  "<<< 250 ok >>> RCPT To:<c@d.example> <<< 553 Invalid recipient",
		    "rcpt" },
		/* PIPELINING: RCPT TO's refusal is read after DATA was sent */
		{ ">>> DATA <<< 550 5.1.1 <c@d.example>... User unknown",
		    NULL },
		{ "<<< 550 refused before any command", NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_STR(smtptext_stage_str(
		              smtptext_stage(span_cstr(cases[i].text))),
		    cases[i].want, cases[i].text);
}

static double
test_seconds(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* a pasted text: head, then unit repeated (for half of it when unit2 is
 * set, then mid and unit2 repeated) */
struct test_rep {
	const char *what;
	const char *head, *unit, *mid, *unit2;
};

static const struct test_rep test_reps[] = {
	{ "http:// after a bounce line",
	    "550 5.1.1 <user@example.com>: Recipient address rejected: User "
	    "unknown\n",
	    "http://", NULL, NULL },
	{ "URLs of URLs, addresses, names and IPs",
	    "550 5.1.1 <user@example.com>: User unknown\n",
	    "https://a.example/?u=http://b.example/&e=c@d.example "
	    "www.e.example/ 192.0.2.1 ",
	    NULL, NULL },
	{ "an address as long as the text", "550 5.1.1 User unknown: ", "a",
	    "@b.example ", "a" },
	/* the head is 64 long addresses (test_rep_fill) */
	{ "64 long addresses, then what each starts with", NULL, "a", NULL,
	    NULL },
	{ "colons", "550 5.1.1 User unknown\n", ":", NULL, NULL },
	{ "reply codes", "", "550 ", NULL, NULL },
	{ "multi-line reply prefixes", "550-5.1.1 x\n", "550-5.1.1 ", NULL,
	    NULL },
	{ "status codes", "", "5.1.1 ", NULL, NULL },
	{ "stage cues", "550 x ", "in reply to ", NULL, NULL },
	{ "transcript lines", "", ">>> RCPT TO:<a@b.example> ", NULL, NULL },
	{ "recipient cues", "550 5.1.1 ", "RCPT TO:<", NULL, NULL },
	{ "recipient lines", "550 5.1.1 User unknown\n", "a@b.example\n", NULL,
	    NULL },
};

static void
test_rep_fill(const struct test_rep *r, char *text, size_t n)
{
	size_t o = 0, half = r->unit2 != NULL ? n / 2 : n;

	if (r->head == NULL) {
		for (int k = 0; k < 64; k++) {
			memset(text + o, 'a', 240);
			o += 240;
			o += (size_t)snprintf(text + o, n - o, "@x%d.example, ",
			    k);
		}
	}
	for (const char *p = r->head != NULL ? r->head : ""; *p != '\0'; p++)
		text[o++] = *p;
	for (size_t k = 0; o < half; k++)
		text[o++] = r->unit[k % strlen(r->unit)];
	for (const char *p = r->mid != NULL ? r->mid : ""; *p != '\0'; p++)
		text[o++] = *p;
	for (size_t k = 0; r->unit2 != NULL && o < n; k++)
		text[o++] = r->unit2[k % strlen(r->unit2)];
}

static double
test_rep_run(const struct test_rep *r, char *text, size_t n)
{
	struct arena *a = arena_new();
	struct bounce b;
	double t0;

	test_rep_fill(r, text, n);
	t0 = test_seconds();
	bounce_parse(a, span_make(text, n), &b);
	t0 = test_seconds() - t0;
	arena_free(a);
	return t0;
}

/*
 * test_linear - a pasted text of 64 KiB and of 1 MiB, each trigger of what
 * bounce_parse looks for repeated (codes, stage wording, recipients,
 * entities): milliseconds, and about 16 times as long for 1 MiB as for
 * 64 KiB (less: only the first BOUNCE_MAX_SCAN bytes are scanned for
 * entities); a quadratic path takes seconds already for 64 KiB. The
 * bounds are generous, so that a busy machine does not fail them (64 KiB
 * under a quarter of a second, the fastest of three runs; 1 MiB under 64
 * times that and a quarter of a second more, two seconds in all), and 30
 * times that under valgrind. When 64 KiB is too slow the 1 MiB run is
 * skipped.
 */
static void
test_linear(void)
{
	static char text[1 << 20];
	const double limit = test_env_is("BOUNCEDOC_REGEX_JIT", "0") ? 30 : 1;

	for (size_t i = 0; i < sizeof(test_reps) / sizeof(test_reps[0]); i++) {
		const struct test_rep *r = &test_reps[i];
		double ts, tb;

		/* the fastest of three: a busy machine only adds time */
		ts = test_rep_run(r, text, 64 * 1024);
		for (int k = 0; k < 2; k++) {
			double t = test_rep_run(r, text, 64 * 1024);

			ts = t < ts ? t : ts;
		}
		if (!CHECK(ts < limit / 4, "bounce_parse: %s, 64 KiB: %.1f ms",
		        r->what, ts * 1e3))
			continue;
		tb = test_rep_run(r, text, sizeof(text));
		CHECK(tb < 2 * limit && tb < 64 * ts + limit / 4,
		    "bounce_parse: %s, 1 MiB: %.1f ms (linear)", r->what,
		    tb * 1e3);
	}
}

static void
test_recipient_long(struct arena *a)
{
	static char text[4096];
	struct bounce b;
	size_t o;

	/* "http://" inside a URL starts no other: the address in it is one
	 * address, and the recipient */
	bounce_parse(a,
	    SPAN_LIT("RCPT TO:<user@example.org> 550 5.7.1 see "
	             "http://a.example/http://b.example/http://c.example/"),
	    &b);
	CHECK(b.ent.urls.n == 1 &&
	        (b.anomalies & (BOUNCE_ANOM_ENTITIES | BOUNCE_ANOM_TOO_LONG)) ==
	            0,
	    "one URL, no anomaly (%zu URLs)", b.ent.urls.n);
	CHECK_STR(b.failures[0].recipient, "user@example.org",
	    "the recipient beside a URL of URLs");

	/* an address longer than any real one is no recipient, and the
	 * answer says that something was left out */
	memcpy(text, "RCPT TO:<", 9);
	o = 9;
	memset(text + o, 'x', 300);
	o += 300;
	memcpy(text + o, "@example.org> 550 5.1.1 unknown", 32);
	bounce_parse(a, span_cstr(text), &b);
	CHECK(b.ent.emails.n == 0 && b.failures[0].recipient == NULL &&
	        (b.anomalies & BOUNCE_ANOM_TOO_LONG) != 0,
	    "a 312-byte address is left out: BOUNCE_ANOM_TOO_LONG");
}

int
main(void)
{
	struct arena *a = arena_new();

	test_reply_codes(a);
	test_status_codes(a);
	test_parse_basic(a);
	test_parse_long(a);
	test_recipient(a);
	test_entities(a);
	test_recipient_long(a);
	arena_free(a);
	stages();
	continuations();
	test_linear();
	return test_done();
}
