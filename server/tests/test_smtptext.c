/* SPDX-License-Identifier: MIT */
/*
 * test_smtptext.c - unit tests for smtptext.h: collapsing a reply into one
 * line, reply codes, enhanced status codes, the SMTP stage, recipient cues
 *
 * test_bounce.c checks the same functions as bounce.c uses them; these
 * checks pin the edges of each one on its own.
 */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "smtptext.h"
#include "test.h"

/* test_show - s for a check line, with newlines, tabs and CRs visible */
static const char *
test_show(const char *s, char *out, size_t outlen)
{
	size_t o = 0;

	for (; *s != '\0' && o + 3 < outlen; s++) {
		const char *esc = *s == '\n' ? "\\n" :
		    *s == '\t'               ? "\\t" :
		    *s == '\r'               ? "\\r" :
		                               NULL;

		if (esc != NULL) {
			memcpy(out + o, esc, 2);
			o += 2;
		} else {
			out[o++] = *s;
		}
	}
	out[o] = '\0';
	return out;
}

/* collapse - smtptext_collapse(text, max) is want, cut as told */
static void
collapse(struct arena *a, const char *text, size_t max, const char *want,
    bool want_cut)
{
	char shown[200];
	bool cut = !want_cut;
	struct span s = smtptext_collapse(a, span_cstr(text), max, &cut);

	(void)test_show(text, shown, sizeof(shown));
	CHECK(s.ptr != NULL && s.ptr[s.len] == '\0' && strlen(s.ptr) == s.len,
	    "collapse(\"%s\", %zu): NUL-terminated, len %zu", shown, max,
	    s.len);
	CHECK_STR(s.ptr, want, shown);
	CHECK(cut == want_cut, "collapse(\"%s\", %zu): cut is %s", shown, max,
	    want_cut ? "true" : "false");
}

static void
test_collapse_space(struct arena *a)
{
	collapse(a, "", 100, "", false);
	collapse(a, " \t\r\n ", 100, "", false);
	collapse(a, "  550  5.1.1\t\tUser\r\n unknown \n", 100,
	    "550 5.1.1 User unknown", false);
	collapse(a, "a\n\n\nb", 100, "a b", false);
	/* a vertical tab and a form feed are white space too */
	collapse(a, "a\v\fb", 100, "a b", false);
}

static void
test_collapse_multiline(struct arena *a)
{
	/* RFC 5321 §4.2.1: every line but the last has a hyphen; the
	 * repeated code and status go, the first line keeps its own */
	collapse(a,
	    "550-5.1.1 The account does not\n550-5.1.1 exist. Please try\n"
	    "550 5.1.1 again. - gsmtp",
	    200,
	    "550-5.1.1 The account does not exist. Please try again. - gsmtp",
	    false);
	/* without enhanced status codes */
	collapse(a,
	    "554-Transaction failed\n554-Reject due to policy.\n"
	    "554 For explanation visit x",
	    200,
	    "554-Transaction failed Reject due to policy. For explanation "
	    "visit x",
	    false);
	/* CRLF line ends */
	collapse(a, "451-4.7.1 Please\r\n451 4.7.1 retry\r\n", 200,
	    "451-4.7.1 Please retry", false);
	/* a different status on a later line is new information */
	collapse(a, "550-5.7.1 Blocked\n550 5.7.26 Unauthenticated", 200,
	    "550-5.7.1 Blocked 550 5.7.26 Unauthenticated", false);
	/* a different reply code is another reply */
	collapse(a, "550-5.7.1 Blocked\n421 4.7.0 Closing", 200,
	    "550-5.7.1 Blocked 421 4.7.0 Closing", false);
	/* a line with the code and no status drops only the code */
	collapse(a, "550-5.7.1 Blocked\n550-see\n550 https://x.example/", 200,
	    "550-5.7.1 Blocked see https://x.example/", false);
	/* mid-line, as a folded Diagnostic-Code carries them */
	collapse(a,
	    "smtp; 550-5.1.1 The email account does not exist. Please try "
	    "550-5.1.1 double-checking. 550 5.1.1 gsmtp",
	    200,
	    "smtp; 550-5.1.1 The email account does not exist. Please try "
	    "double-checking. gsmtp",
	    false);
	/* only at the start of a word: "x550-5.1.1" is no prefix */
	collapse(a, "550-5.1.1 a\nx550-5.1.1 b", 200,
	    "550-5.1.1 a x550-5.1.1 b", false);
	/* a code alone at the end of the text is no prefix */
	collapse(a, "550 5.1.1 gone 550", 200, "550 5.1.1 gone 550", false);
}

static void
test_collapse_cut(struct arena *a)
{
	collapse(a, "abc def", 7, "abc def", false);
	collapse(a, "abc def", 6, "abc de", true);
	collapse(a, "abc def", 4, "abc", true);
	collapse(a, "abc", 0, "", true);
	/* white space beyond the limit is no reason to say cut */
	collapse(a, "abc   ", 3, "abc", false);
	/* a 2-, 3- and 4-byte character never cut in half */
	collapse(a, "ab\xd1\x8f", 3, "ab", true);
	collapse(a, "ab\xd1\x8f", 4, "ab\xd1\x8f", false);
	collapse(a, "ab\xe2\x82\xac", 4, "ab", true);
	collapse(a, "ab\xe2\x82\xac", 3, "ab", true);
	collapse(a, "ab\xf0\x9f\x93\xa7", 5, "ab", true);
	collapse(a, "ab\xf0\x9f\x93\xa7 c", 6, "ab\xf0\x9f\x93\xa7", true);
	/* the cut drops the character, not the space before it */
	collapse(a, "ab \xd1\x8f", 4, "ab ", true);
}

static void
reply(struct arena *a, const char *text, const char *want)
{
	char what[200], shown[120];

	(void)snprintf(what, sizeof(what), "smtptext_reply_code(\"%s\")",
	    test_show(text, shown, sizeof(shown)));
	CHECK_STR(smtptext_reply_code(a, span_cstr(text)), want, what);
}

static void
test_reply_code(struct arena *a)
{
	/* classes 2 to 5, second digit 0 to 5 (RFC 5321 §4.2) */
	reply(a, "421 busy", "421");
	reply(a, "354 Start mail input", "354");
	reply(a, "500 syntax", "500");
	reply(a, "555 x", "555");
	reply(a, "556 null MX", "556");
	reply(a, "160 x", NULL);
	reply(a, "650 x", NULL);
	reply(a, "570 x", NULL);
	/* the failure wins over the positive replies before it */
	reply(a, "250 ok 354 go ahead 452 full", "452");
	reply(a, "250 ok 354 go ahead", "250");
	reply(a, "354 go ahead 250 ok", "354");
	/* what may follow the three digits */
	reply(a, "550;x", "550");
	reply(a, "550,x", "550");
	reply(a, "550\"", "550");
	reply(a, "550\tx", "550");
	reply(a, "550.x", NULL);
	reply(a, "550/x", NULL);
	reply(a, "550x", NULL);
	reply(a, "550-", "550");
	reply(a, "550-Mailbox", "550");
	reply(a, "550-. x", NULL);
	reply(a, "550- x", NULL);
	/* what may come before them */
	reply(a, "(550 x", "550");
	reply(a, "x;550 x", "550");
	reply(a, "id=550 x", NULL);
	reply(a, "v1.550 x", NULL);
	reply(a, "a_550 x", NULL);
	reply(a, "a@550 x", NULL);
	reply(a, "/550 x", NULL);
	/* IP addresses and sizes are no codes */
	reply(a, "[192.0.2.250] said", NULL);
	reply(a, "size 4500 bytes", NULL);
}

static void
status(struct arena *a, const char *text, char cls, const char *want)
{
	char what[200];

	(void)snprintf(what, sizeof(what), "smtptext_status(\"%s\", %c)", text,
	    cls == 0 ? '0' : cls);
	CHECK_STR(smtptext_status(a, span_cstr(text), cls), want, what);
}

static void
test_status(struct arena *a)
{
	/* RFC 3463 §2: class 2, 4 or 5; subject and detail 1 to 3 digits */
	status(a, "4.4.7 expired", 0, "4.4.7");
	status(a, "5.123.456", 0, "5.123.456");
	status(a, "5.1234.1", 0, NULL);
	status(a, "5.1.", 0, NULL);
	status(a, "5..1", 0, NULL);
	status(a, "1.1.1 x", 0, NULL);
	/* the multi-line prefix "550-5.1.1" holds one; "abc-5.1.1" not */
	status(a, "550-5.1.1 x", 0, "5.1.1");
	status(a, "abc-5.1.1 x", 0, NULL);
	status(a, "-5.1.1 x", 0, NULL);
	/* what may follow: not a letter, digit, '_' or '@' */
	status(a, "5.1.1@example.org", 0, NULL);
	status(a, "5.1.1_x", 0, NULL);
	status(a, "5.1.1a", 0, NULL);
	status(a, "(#5.1.1)", 0, "5.1.1");
	status(a, "5.1.1;", 0, "5.1.1");
	status(a, "5.1.1.", 0, "5.1.1");
	/* the class asked for; else the first that is no success */
	status(a, "2.0.0 ok then 4.2.2 full", '5', "4.2.2");
	status(a, "2.0.0 ok then 4.2.2 full then 5.2.2 over", '5', "5.2.2");
	status(a, "2.0.0 ok", '4', NULL);
	status(a, "5.1.1 gone then 4.4.1 retry", '4', "4.4.1");
	status(a, "5.1.1 gone then 4.4.1 retry", 0, "5.1.1");
}

struct stage_case {
	const char *text;
	enum smtptext_stage want;
};

static void
test_stage(void)
{
	static const struct stage_case cases[] = {
		/* Postfix: "(in reply to ... command)" */
		{ "(in reply to end of DATA command)", SMTPTEXT_STAGE_DATA },
		{ "(in reply to DATA command)", SMTPTEXT_STAGE_DATA },
		{ "(in reply to RCPT TO command)", SMTPTEXT_STAGE_RCPT },
		{ "(in reply to MAIL FROM command)", SMTPTEXT_STAGE_MAIL },
		{ "(in reply to HELO command)", SMTPTEXT_STAGE_HELO },
		{ "(IN REPLY TO EHLO COMMAND)", SMTPTEXT_STAGE_HELO },
		{ "in reply to the greeting", SMTPTEXT_STAGE_UNKNOWN },
		/* Exim: "after ..." */
		{ "SMTP error from remote mail server after initial connection:",
		    SMTPTEXT_STAGE_CONNECT },
		{ "after EHLO client.example.com: 554", SMTPTEXT_STAGE_HELO },
		{ "after MAIL FROM:<a@example.com> SIZE=1234: 550",
		    SMTPTEXT_STAGE_MAIL },
		{ "after RCPT TO:<b@example.org>: 550", SMTPTEXT_STAGE_RCPT },
		{ "after end of message: 550", SMTPTEXT_STAGE_DATA },
		{ "after DATA: 554", SMTPTEXT_STAGE_DATA },
		/* a cue must end at a word's end */
		{ "after dataset refresh", SMTPTEXT_STAGE_UNKNOWN },
		{ "after rcpts were counted", SMTPTEXT_STAGE_UNKNOWN },
		/* a lead-in without a cue does not stop the scan */
		{ "after all, in reply to RCPT TO command",
		    SMTPTEXT_STAGE_RCPT },
		/* the first cue in the text wins */
		{ "in reply to MAIL FROM command; after end of data",
		    SMTPTEXT_STAGE_MAIL },
		{ "after end of data; in reply to MAIL FROM command",
		    SMTPTEXT_STAGE_DATA },
		/* qmail */
		{ "192.0.2.1 does not like sender.", SMTPTEXT_STAGE_MAIL },
		{ "192.0.2.1 does not like recipient.", SMTPTEXT_STAGE_RCPT },
		{ "did not like our MAIL FROM", SMTPTEXT_STAGE_MAIL },
		{ "did not like our DATA", SMTPTEXT_STAGE_DATA },
		{ "most progress was HELO response", SMTPTEXT_STAGE_HELO },
		/* Yahoo's markers */
		{ "553 5.7.1 refused [MAIL_FROM]", SMTPTEXT_STAGE_MAIL },
		{ "554 delivery error [rcpt_to]", SMTPTEXT_STAGE_RCPT },
		{ "554 delivery error [DATA]", SMTPTEXT_STAGE_UNKNOWN },
		/* session transcripts: the command before the first refusal */
		{ ">>> EHLO client.example.com\n<<< 554 go away",
		    SMTPTEXT_STAGE_HELO },
		{ ">>> MAIL From:<a@example.com>\n<<< 553 sender refused",
		    SMTPTEXT_STAGE_MAIL },
		{ ">>> RCPT To:<b@example.org>\n<<< 250 ok\n>>> DATA\n<<< 354 "
		  "go\n<<< 550 content refused",
		    SMTPTEXT_STAGE_UNKNOWN },
		{ ">>> MAIL From:<a@example.com>\n<<< 250 ok\n>>> RCPT "
		  "To:<b@example.org>\n<<< 450 try later",
		    SMTPTEXT_STAGE_RCPT },
		{ ">>> QUIT\n<<< 550 x", SMTPTEXT_STAGE_UNKNOWN },
		{ "<<< 421 closing", SMTPTEXT_STAGE_UNKNOWN },
		{ ">>> RCPT To:<b@example.org>\n<<< 250 ok",
		    SMTPTEXT_STAGE_UNKNOWN },
		{ "", SMTPTEXT_STAGE_UNKNOWN },
	};
	char shown[200];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum smtptext_stage got =
		    smtptext_stage(span_cstr(cases[i].text));

		CHECK(got == cases[i].want,
		    "smtptext_stage(\"%s\"): %s, want %s",
		    test_show(cases[i].text, shown, sizeof(shown)),
		    smtptext_stage_str(got) != NULL ? smtptext_stage_str(got) :
		                                      "unknown",
		    smtptext_stage_str(cases[i].want) != NULL ?
		        smtptext_stage_str(cases[i].want) :
		        "unknown");
	}
	CHECK_STR(smtptext_stage_str(SMTPTEXT_STAGE_UNKNOWN), NULL,
	    "stage_str(UNKNOWN)");
	CHECK_STR(smtptext_stage_str(SMTPTEXT_STAGE_CONNECT), "connect",
	    "stage_str(CONNECT)");
	CHECK_STR(smtptext_stage_str(SMTPTEXT_STAGE_HELO), "helo",
	    "stage_str(HELO)");
	CHECK_STR(smtptext_stage_str(SMTPTEXT_STAGE_MAIL), "mail",
	    "stage_str(MAIL)");
	CHECK_STR(smtptext_stage_str(SMTPTEXT_STAGE_RCPT), "rcpt",
	    "stage_str(RCPT)");
	CHECK_STR(smtptext_stage_str(SMTPTEXT_STAGE_DATA), "data",
	    "stage_str(DATA)");
}

/* recipient - is the first "x@example.org" in text marked a recipient? */
static void
recipient(const char *text, bool want)
{
	static const char addr[] = "x@example.org";
	const char *p = strstr(text, addr);
	char shown[200];

	(void)test_show(text, shown, sizeof(shown));
	if (!CHECK(p != NULL, "test text \"%s\" holds the address", shown))
		return;
	CHECK(smtptext_recipient_at(span_cstr(text), (size_t)(p - text),
	          (size_t)(p - text) + sizeof(addr) - 1) == want,
	    "recipient_at(\"%s\") is %s", shown, want ? "true" : "false");
}

static void
test_recipient_at(void)
{
	/* the wording before the address */
	recipient("RCPT TO:<x@example.org>", true);
	recipient("rcpt to: <x@example.org>", true);
	recipient("Rcpt To:x@example.org", true);
	recipient("Recipient: <x@example.org>", true);
	recipient("Recipient address x@example.org", true);
	recipient("Final-Recipient: rfc822;x@example.org", true);
	recipient("Original-Recipient: rfc822;x@example.org", true);
	recipient("Delivery to x@example.org failed", true);
	recipient("Your message to x@example.org was not delivered", true);
	recipient("could not be delivered to x@example.org", true);
	recipient("MAIL FROM:<x@example.org>", false);
	recipient("From: x@example.org", false);
	recipient("sent by x@example.org today", false);
	/* Sendmail and Postfix put the address first */
	recipient("<x@example.org>... User unknown", true);
	recipient("<x@example.org>: host mx.example.org said:", true);
	recipient("<x@example.org> said no", false);
	recipient("<x@example.org>..", false);
	/* Exim: an indented address alone on its line */
	recipient("failed:\n  x@example.org\n    host mx", true);
	recipient("failed:\n\tx@example.org", true);
	recipient("failed:\n  x@example.org and more\n", false);
	recipient("failed:\nx@example.org\n", false);
}

int
main(void)
{
	struct arena *a = arena_new();

	test_collapse_space(a);
	test_collapse_multiline(a);
	test_collapse_cut(a);
	test_reply_code(a);
	test_status(a);
	test_stage();
	test_recipient_at();
	arena_free(a);
	return test_done();
}
