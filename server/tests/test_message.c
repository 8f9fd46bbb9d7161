/* SPDX-License-Identifier: MIT */
/*
 * test_message.c - unit tests for message.h: a whole bounce email taken
 * apart into failed deliveries
 *
 * One failure per recipient of a DSN, the prose cut into one block per
 * recipient where there is no DSN, what tells feedback reports, automatic
 * replies and ordinary mail from bounces, a bounce forwarded as an
 * attachment, the entities of the whole message, and the limits.
 */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "message.h"
#include "mime.h"
#include "test.h"

struct env {
	struct mime_decoder *dec;
	struct arena *a;
};

static struct bounce
parse(struct env *e, const char *msg)
{
	struct bounce b;

	message_parse(e->dec, e->a, span_cstr(msg), &b);
	return b;
}

/* failure - the failure for rcpt, or NULL */
static const struct bounce_failure *
failure(const struct bounce *b, const char *rcpt)
{
	for (size_t i = 0; i < b->nfailures; i++) {
		if (test_streq(b->failures[i].recipient, rcpt))
			return &b->failures[i];
	}
	return NULL;
}

static bool
has(struct span s, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; s.ptr != NULL && i + n <= s.len; i++) {
		if (memcmp(s.ptr + i, needle, n) == 0)
			return true;
	}
	return false;
}

#define DSN_HEAD                                                        \
	"Return-Path: <>\n"                                             \
	"From: MAILER-DAEMON@mail.example.com (Mail Delivery System)\n" \
	"To: alice@example.com\n"                                       \
	"Subject: Undelivered Mail Returned to Sender\n"                \
	"MIME-Version: 1.0\n"                                           \
	"Content-Type: multipart/report; report-type=delivery-status;"  \
	" boundary=\"B\"\n\n"

static const char dsn_two[] = DSN_HEAD
    "--B\n"
    "Content-Type: text/plain\n\n"
    "This is the mail system at host mail.example.com.\n\n"
    "<bob@example.org>: host mx.example.org[192.0.2.25] said: 550 5.1.1\n"
    "    <bob@example.org>: Recipient address rejected: User unknown (in\n"
    "    reply to RCPT TO command)\n\n"
    "<carol@example.net>: host mx.example.net[198.51.100.7] said: 452\n"
    "    4.2.2 Mailbox full (in reply to end of DATA command)\n\n"
    "--B\n"
    "Content-Type: message/delivery-status\n\n"
    "Reporting-MTA: dns; mail.example.com\n"
    "X-Postfix-Sender: rfc822; alice@sender.example.com\n\n"
    "Final-Recipient: rfc822; bob@example.org\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "Remote-MTA: dns; mx.example.org\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <bob@example.org>: Recipient address\n"
    "    rejected: User unknown\n\n"
    "Final-Recipient: rfc822; Carol@EXAMPLE.net\n"
    "Action: Delayed\n"
    "Status: 4.2.2\n"
    "Remote-MTA: dns; mx.example.net\n"
    "Diagnostic-Code: smtp; 452 4.2.2 Mailbox full\n\n"
    "--B--\n";

static void
test_dsn(struct env *e)
{
	struct bounce b = parse(e, dsn_two);
	const struct bounce_failure *f1, *f2;

	CHECK(b.kind == BOUNCE_KIND_DSN, "DSN: kind %s",
	    bounce_kind_str(b.kind));
	CHECK(b.nfailures == 2, "DSN: one failure per recipient (%zu)",
	    b.nfailures);
	CHECK(b.bytes == sizeof(dsn_two) - 1 && b.text.len == b.bytes,
	    "DSN: bytes and text are the input as received");
	CHECK(b.lines > 20, "DSN: lines counted (%zu)", b.lines);
	f1 = failure(&b, "bob@example.org");
	f2 = failure(&b, "Carol@example.net");
	if (!CHECK(f1 != NULL && f2 != NULL,
	        "DSN: both recipients, the domain lowercased"))
		return;
	CHECK_STR(f1->reply_code, "550", "DSN 1: reply code");
	CHECK_STR(f1->status, "5.1.1", "DSN 1: status");
	CHECK_STR(f1->action, "failed", "DSN 1: action");
	CHECK_STR(f1->remote_mta, "mx.example.org", "DSN 1: remote MTA");
	CHECK_STR(f1->diag.ptr,
	    "550 5.1.1 <bob@example.org>: Recipient address rejected: User "
	    "unknown",
	    "DSN 1: the Diagnostic-Code, unfolded");
	CHECK(f1->stage == SMTPTEXT_STAGE_RCPT,
	    "DSN 1: the stage from the prose about it");
	CHECK(!f1->general, "DSN 1: the diagnostic is about it");
	CHECK_STR(f2->reply_code, "452", "DSN 2: reply code");
	CHECK_STR(f2->status, "4.2.2", "DSN 2: status");
	CHECK_STR(f2->action, "delayed", "DSN 2: action lowercased");
	CHECK(f2->stage == SMTPTEXT_STAGE_DATA,
	    "DSN 2: its own stage, not the first recipient's");
	CHECK_STR(b.ent.sender_domain, "sender.example.com",
	    "DSN: sender domain from X-Postfix-Sender");
	CHECK_STR(b.ent.remote_host, "mx.example.org",
	    "DSN: remote host from the first Remote-MTA");
	CHECK_STR(b.ent.remote_ip, "192.0.2.25",
	    "DSN: remote IP from the prose next to that host");
	CHECK(b.anomalies == 0, "DSN: no anomalies (0x%x)", b.anomalies);
}

/* the DSN says little, the prose and transcript say more */
static const char dsn_sparse[] = DSN_HEAD
    "--B\n"
    "Content-Type: text/plain\n\n"
    "   ----- Transcript of session follows -----\n"
    "... while talking to mx.example.org.:\n"
    ">>> DATA\n"
    "<<< 550-5.7.1 This message looks like\n"
    "<<< 550-5.7.1 unsolicited mail and\n"
    "<<< 550 5.7.1 was blocked.\n"
    "554 5.0.0 Service unavailable\n\n"
    "--B\n"
    "Content-Type: message/delivery-status\n\n"
    "Reporting-MTA: dns; mail.example.com\n\n"
    "Final-Recipient: rfc822; dave@example.org\n"
    "Action: failed\n"
    "Status: 5.7.1\n"
    "Diagnostic-Code: smtp; 550-5.7.1 This message looks like\n\n"
    "Final-Recipient: rfc822; erin@example.org\n"
    "Action: failed\n"
    "Status: 5.0.0\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <erin@example.org>: User unknown\n\n"
    "Final-Recipient: rfc822; @mx.example.org\n"
    "Original-Recipient: rfc822; frank@example.org\n"
    "Action: failed\n"
    "Status: 5.2.2\n"
    "Diagnostic-Code: X-Unix; 75\n"
    "X-Actual-Recipient: rfc822; |/usr/bin/procmail\n"
    "X-PowerMTA-BounceCategory: quota-issues\n\n"
    "Final-Recipient: rfc822; |/usr/bin/vacation\n"
    "Action: failed\n"
    "Status: 5.3.0\n"
    "Diagnostic-Code: smtp; 554 5.3.0 \x01unknown\x7f mailer error\n\n"
    "--B--\n";

/* what a local delivery program reported */
static const char dsn_local[] =
    DSN_HEAD "--B\n"
             "Content-Type: message/delivery-status\n\n"
             "Final-Recipient: rfc822; gus@example.org\n"
             "Action: failed\n"
             "Status: 5.3.0\n"
             "Diagnostic-Code: X-Unix; 67\n\n"
             "Final-Recipient: rfc822; hal@example.org\n"
             "X-Actual-Recipient: rfc822; |/usr/bin/procmail\n"
             "Action: failed\n"
             "Status: 5.3.0\n"
             "Diagnostic-Code: smtp; 554 5.3.0 procmail failed\n\n"
             "Final-Recipient: rfc822; ida@example.org\n"
             "Action: failed\n"
             "Status: 5.1.1\n"
             "Diagnostic-Code: smtp; 550 5.1.1 unknown\n\n"
             "--B--\n";

static void
test_dsn_fields(struct env *e)
{
	struct bounce b = parse(e, dsn_sparse);
	const struct bounce_failure *f;

	CHECK(b.kind == BOUNCE_KIND_DSN && b.nfailures == 4,
	    "sparse DSN: 4 failures (%zu)", b.nfailures);
	f = failure(&b, "dave@example.org");
	CHECK(f != NULL && has(f->diag, "unsolicited mail and was blocked"),
	    "a Diagnostic-Code holding the first line of a multi-line reply: "
	    "the whole reply from the transcript (%s)",
	    f != NULL ? f->diag.ptr : "no failure");
	f = failure(&b, "erin@example.org");
	CHECK_STR(f != NULL ? f->status : NULL, "5.1.1",
	    "Status 5.0.0: the remote server's own code says more");
	f = failure(&b, "frank@example.org");
	if (CHECK(f != NULL,
	        "Final-Recipient without a local part: Original-Recipient")) {
		CHECK(f->exit_status == 75, "X-Unix; 75: exit status (%d)",
		    f->exit_status);
		CHECK(f->local_program, "X-Unix: a local program");
		CHECK(f->mta_reason == REASON_MAILBOXFULL,
		    "X-PowerMTA-BounceCategory quota-issues: mailboxfull");
		CHECK(f->diag.len > 0 && !has(f->diag, "X-Unix"),
		    "a bare exit status: the diagnostic is the prose");
	}
	f = b.nfailures == 4 ? &b.failures[3] : NULL;
	CHECK(f != NULL && f->recipient == NULL,
	    "a program as Final-Recipient is no recipient");
	CHECK(f != NULL && has(f->diag, "unknown mailer error") &&
	        !has(f->diag, "\x01"),
	    "control characters in a field become spaces");
	CHECK((b.anomalies & BOUNCE_ANOM_CONTROL) != 0,
	    "control characters in a field: BOUNCE_ANOM_CONTROL");

	b = parse(e, dsn_local);
	f = failure(&b, "gus@example.org");
	CHECK(f != NULL && f->local_program && f->exit_status == 67,
	    "X-Unix without a program recipient: a local program, status 67");
	f = failure(&b, "hal@example.org");
	CHECK(f != NULL && f->local_program && f->exit_status == 0,
	    "a program in X-Actual-Recipient: a local program, no status");
	f = failure(&b, "ida@example.org");
	CHECK(f != NULL && !f->local_program && f->exit_status == 0 &&
	        f->mta_reason == REASON_NONE,
	    "an SMTP reply: no local program, no MTA reason");
}

/* Postfix's prose without a DSN part: one block per recipient */
static const char prose_postfix[] =
    "From: MAILER-DAEMON@mail.example.com (Mail Delivery System)\n"
    "To: alice@example.com\n"
    "Subject: Undelivered Mail Returned to Sender\n\n"
    "This is the mail system at host mail.example.com.\n\n"
    "<bob@example.org>: host mx.example.org[192.0.2.25] said: 550 5.1.1\n"
    "    User unknown. Mail from alice@example.com refused (in reply to\n"
    "    RCPT TO command)\n\n"
    "<carol@example.net>: host mx.example.net[198.51.100.7] said: 552\n"
    "    5.2.2 Mailbox full (in reply to end of DATA command)\n\n"
    "------ This is a copy of the message, including all the headers.\n\n"
    "To: bob@example.org, carol@example.net, zed@example.org\n"
    "Subject: hello\n\n"
    "RCPT TO:<zed@example.org>\n";

static void
test_prose(struct env *e)
{
	struct bounce b = parse(e, prose_postfix);
	const struct bounce_failure *f1, *f2;

	CHECK(b.kind == BOUNCE_KIND_BODY, "prose bounce: kind %s",
	    bounce_kind_str(b.kind));
	CHECK(b.nfailures == 2,
	    "prose: one failure per recipient named before the copy (%zu)",
	    b.nfailures);
	f1 = failure(&b, "bob@example.org");
	f2 = failure(&b, "carol@example.net");
	if (!CHECK(f1 != NULL && f2 != NULL, "prose: both recipients"))
		return;
	CHECK(has(f1->diag, "User unknown") && !has(f1->diag, "Mailbox full"),
	    "prose 1: its block only (%s)", f1->diag.ptr);
	CHECK(has(f1->diag, "Mail from alice@example.com refused"),
	    "prose 1: the sender quoted in it does not end the block");
	CHECK(has(f2->diag, "Mailbox full") && !has(f2->diag, "User unknown"),
	    "prose 2: its block only (%s)", f2->diag.ptr);
	CHECK(f1->diag.len > 0 && f1->diag.ptr[f1->diag.len - 1] == ')',
	    "prose 1: the bracket that opens the next address is not in it");
	CHECK_STR(f1->reply_code, "550", "prose 1: reply code");
	CHECK_STR(f1->status, "5.1.1", "prose 1: status");
	CHECK(f1->stage == SMTPTEXT_STAGE_RCPT, "prose 1: stage");
	CHECK_STR(f2->reply_code, "552", "prose 2: reply code");
	CHECK(f2->stage == SMTPTEXT_STAGE_DATA, "prose 2: stage");
	CHECK(f1->action == NULL && f1->remote_mta == NULL,
	    "prose: no DSN fields");
	CHECK_STR(b.ent.sender_domain, "example.com",
	    "prose: sender domain from the bounce's To");
	CHECK(!strlist_has(&b.ent.emails, "zed@example.org"),
	    "the returned copy is not read for entities");
}

/* Exim lists the failed addresses, indented */
static const char prose_exim[] =
    "From: Mail Delivery System <Mailer-Daemon@smtp.example.com>\n"
    "To: paul@example.com\n"
    "X-Failed-Recipients: anna@example.org, boris@example.net\n"
    "Auto-Submitted: auto-replied\n"
    "Subject: Mail delivery failed: returning message to sender\n\n"
    "A message that you sent could not be delivered to one or more of\n"
    "its recipients. This is a permanent error. The following address(es)\n"
    "failed:\n\n"
    "  anna@example.org\n"
    "    host mx.example.org [192.0.2.40]\n"
    "    SMTP error from remote mail server after RCPT "
    "TO:<anna@example.org>:\n"
    "    550 5.1.1 <anna@example.org>: User unknown\n"
    "  boris@example.net\n"
    "    host mx.example.net [198.51.100.60]\n"
    "    SMTP error from remote mail server after end of data:\n"
    "    552 5.3.4 Message too big\n";

static void
test_prose_exim(struct env *e)
{
	struct bounce b = parse(e, prose_exim);
	const struct bounce_failure *f1, *f2;

	CHECK(b.kind == BOUNCE_KIND_BODY,
	    "Exim: Auto-Submitted does not make a bounce an automatic reply "
	    "(%s)",
	    bounce_kind_str(b.kind));
	f1 = failure(&b, "anna@example.org");
	f2 = failure(&b, "boris@example.net");
	if (!CHECK(b.nfailures == 2 && f1 != NULL && f2 != NULL,
	        "Exim: both listed addresses (%zu)", b.nfailures))
		return;
	CHECK(f1->stage == SMTPTEXT_STAGE_RCPT && has(f1->diag, "5.1.1") &&
	        !has(f1->diag, "5.3.4"),
	    "Exim 1: its lines (%s)", f1->diag.ptr);
	CHECK(f2->stage == SMTPTEXT_STAGE_DATA && has(f2->diag, "5.3.4") &&
	        !has(f2->diag, "5.1.1"),
	    "Exim 2: its lines (%s)", f2->diag.ptr);
}

/* Sendmail: a status line per recipient; the session transcript just
 * above the first one belongs to it */
static const char prose_sendmail[] =
    "From: Mail Delivery Subsystem <MAILER-DAEMON@mail.example.com>\n"
    "To: carol@example.com\n"
    "Subject: Returned mail: see transcript for details\n\n"
    "   ----- Transcript of session follows -----\n"
    "... while talking to mx.example.org.:\n"
    ">>> MAIL From:<carol@example.com>\n"
    "<<< 553 5.1.8 Sender domain refused\n"
    "554 <dave@example.org>... Remote protocol error\n"
    "550 5.1.1 <erin@example.org>... User unknown\n";

static void
test_prose_sendmail(struct env *e)
{
	struct bounce b = parse(e, prose_sendmail);
	const struct bounce_failure *f1, *f2;

	f1 = failure(&b, "dave@example.org");
	f2 = failure(&b, "erin@example.org");
	if (!CHECK(b.kind == BOUNCE_KIND_BODY && b.nfailures == 2 &&
	            f1 != NULL && f2 != NULL,
	        "Sendmail: two recipients (%zu)", b.nfailures))
		return;
	CHECK(has(f1->diag, "553 5.1.8 Sender domain refused") &&
	        has(f1->diag, "Remote protocol error") &&
	        !has(f1->diag, "User unknown"),
	    "Sendmail 1: the transcript and its status line (%s)",
	    f1->diag.ptr);
	CHECK_STR(f1->reply_code, "553",
	    "Sendmail 1: the remote server's code, not the status line's");
	CHECK(f1->stage == SMTPTEXT_STAGE_MAIL, "Sendmail 1: stage mail");
	CHECK_STR(f2->diag.ptr, "550 5.1.1 <erin@example.org>... User unknown",
	    "Sendmail 2: its status line alone");
}

/* Sendmail's status lines with enhanced codes, one per recipient */
static const char prose_status_lines[] =
    "From: Mail Delivery Subsystem <MAILER-DAEMON@mail.example.com>\n"
    "To: carol@example.com\n"
    "Subject: Returned mail: see transcript for details\n\n"
    "   ----- Transcript of session follows -----\n"
    "554 5.0.0 <dave@example.org>... Service unavailable\n"
    "550 5.1.1 <erin@example.org>... User unknown\n";

static void
test_prose_status_lines(struct env *e)
{
	struct bounce b = parse(e, prose_status_lines);
	const struct bounce_failure *f1, *f2;

	f1 = failure(&b, "dave@example.org");
	f2 = failure(&b, "erin@example.org");
	if (!CHECK(b.nfailures == 2 && f1 != NULL && f2 != NULL,
	        "status lines: two recipients (%zu)", b.nfailures))
		return;
	CHECK_STR(f1->diag.ptr,
	    "554 5.0.0 <dave@example.org>... Service unavailable",
	    "status line 1: without the code of the next line");
	CHECK_STR(f2->diag.ptr, "550 5.1.1 <erin@example.org>... User unknown",
	    "status line 2: its line");
}

static void
test_prose_fallbacks(struct env *e)
{
	static const char xfailed[] =
	    "From: Mail Delivery System <Mailer-Daemon@mail.example.com>\n"
	    "To: wendy@example.com\n"
	    "X-Failed-Recipients: victor@example.org\n"
	    "Subject: Mail delivery failed\n\n"
	    "A message that you sent could not be delivered.\n"
	    "The mail server said: 552 5.3.4 Message size exceeds limit\n";
	static const char self[] =
	    "From: MAILER-DAEMON@mail.example.com\n"
	    "To: alice@example.com\n"
	    "Subject: Undelivered Mail Returned to Sender\n\n"
	    "<alice@example.com>: host mx.example.com[192.0.2.1] said: 552\n"
	    "    5.2.2 Mailbox full (in reply to RCPT TO command)\n";
	static const char apart[] =
	    "From: postmaster@mail.example.net\n"
	    "To: tom@example.com\n"
	    "Subject: Undeliverable\n\n"
	    "Could not be delivered because of 550 5.1.1 User unknown.\n"
	    "The following recipients were affected:\n"
	    "Recipient: uma@example.net\n";
	static const char html[] =
	    "From: postmaster@mail.example.net\n"
	    "To: leo@example.com\n"
	    "Subject: Undeliverable: Meeting\n"
	    "Content-Type: text/html\n\n"
	    "<p>Your message to <b>mia@example.net</b> couldn't be "
	    "delivered.</p><p>550 5.1.10 Recipient not found</p>\n";
	struct bounce b;

	b = parse(e, xfailed);
	CHECK(b.nfailures == 1 &&
	        test_streq(b.failures[0].recipient, "victor@example.org") &&
	        b.failures[0].general,
	    "no recipient in the prose: X-Failed-Recipients, general");
	CHECK_STR(b.failures[0].status, "5.3.4",
	    "X-Failed-Recipients: codes from the whole prose");
	b = parse(e, self);
	CHECK(b.nfailures == 1 &&
	        test_streq(b.failures[0].recipient, "alice@example.com"),
	    "mail to oneself: the envelope sender is the recipient");
	b = parse(e, apart);
	CHECK(b.nfailures == 1 &&
	        test_streq(b.failures[0].recipient, "uma@example.net"),
	    "the error apart from the one recipient: recipient found");
	CHECK_STR(b.failures[0].status, "5.1.1",
	    "the error apart from the one recipient: its code is read");
	b = parse(e, html);
	CHECK(b.kind == BOUNCE_KIND_BODY && b.nfailures == 1 &&
	        test_streq(b.failures[0].recipient, "mia@example.net"),
	    "an HTML-only bounce: read without its tags");
	CHECK(!has(b.failures[0].diag, "<b>") &&
	        test_streq(b.failures[0].status, "5.1.10"),
	    "an HTML-only bounce: no tags in the diagnostic (%s)",
	    b.failures[0].diag.ptr);
}

/* a prose bounce writing the DSN fields into its text */
static const char prose_fields[] =
    "From: postmaster@mail.example.net\n"
    "To: tom@example.com\n"
    "Subject: Undeliverable: Budget\n\n"
    "Delivery has failed to these recipients or groups:\n\n"
    "Technical report:\n\n"
    "Reporting-MTA: dns; mail.example.net\n\n"
    "Final-Recipient: rfc822; uma@example.net\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "Diagnostic-Code: smtp; 550 5.1.1 RESOLVER.ADR.RecipNotFound\n";

static void
test_prose_dsn(struct env *e)
{
	struct bounce b = parse(e, prose_fields);

	CHECK(b.kind == BOUNCE_KIND_DSN && b.nfailures == 1 &&
	        test_streq(b.failures[0].recipient, "uma@example.net") &&
	        test_streq(b.failures[0].action, "failed"),
	    "DSN fields in the prose: read as a DSN (%s)",
	    bounce_kind_str(b.kind));
	CHECK(has(b.failures[0].diag, "RecipNotFound"),
	    "DSN fields in the prose: the Diagnostic-Code");
}

static const char arf[] =
    "From: abuse@isp.example.net\n"
    "To: fbl@example.com\n"
    "Subject: FW: offer\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=feedback-report; "
    "boundary=\"F\"\n\n"
    "--F\n"
    "Content-Type: text/plain\n\n"
    "This is an email abuse report for an email message received from IP "
    "198.51.100.23\n\n"
    "--F\n"
    "Content-Type: message/feedback-report\n\n"
    "Feedback-Type: abuse\n"
    "User-Agent: SomeGenerator/1.0\n"
    "Version: 1\n"
    "Original-Rcpt-To: <one@isp.example.net>\n"
    "Original-Rcpt-To: two@isp.example.net\n"
    "Original-Rcpt-To: ONE@isp.example.net\n"
    "Source-IP: 198.51.100.23\n\n"
    "--F\n"
    "Content-Type: message/rfc822\n\n"
    "From: news@example.com\n"
    "To: one@isp.example.net\n"
    "Subject: offer\n\n"
    "Buy.\n"
    "--F--\n";

static void
test_feedback(struct env *e)
{
	struct bounce b = parse(e, arf);
	static const char jmrp[] =
	    "From: staff@hotmail.example\n"
	    "To: fbl@example.com\n"
	    "Subject: Weekly offers\n"
	    "X-HmXmrOriginalRecipient: <nina@hotmail.example>\n\n"
	    "Buy now.\n";
	static const char abuse[] = "From: fbl@isp.example.net\n"
	                            "To: fbl@example.com\n"
	                            "Subject: Abuse report for your mail\n\n"
	                            "A user marked your mail as spam.\n";
	static const char unsub[] =
	    "From: Oscar <oscar@icloud.example>\n"
	    "To: unsubscribe@lists.example.com\n"
	    "Subject: unsubscribe\n"
	    "X-Apple-Unsubscribe: true\n\n"
	    "This message was automatically generated by Mail.\n";

	CHECK(b.kind == BOUNCE_KIND_FEEDBACK, "ARF: kind %s",
	    bounce_kind_str(b.kind));
	CHECK_STR(b.feedback_type, "abuse", "ARF: Feedback-Type");
	CHECK(b.nfailures == 2 && failure(&b, "one@isp.example.net") != NULL &&
	        failure(&b, "two@isp.example.net") != NULL,
	    "ARF: one result per Original-Rcpt-To, repeats joined (%zu)",
	    b.nfailures);
	CHECK(b.nfailures > 0 && b.failures[0].general,
	    "ARF: the report's text is general");
	b = parse(e, jmrp);
	CHECK(b.kind == BOUNCE_KIND_FEEDBACK && b.feedback_type == NULL,
	    "JMRP complaint: feedback without a type (%s)",
	    bounce_kind_str(b.kind));
	b = parse(e, abuse);
	CHECK(b.kind == BOUNCE_KIND_FEEDBACK,
	    "an abuse report subject: feedback (%s)", bounce_kind_str(b.kind));
	b = parse(e, unsub);
	CHECK(b.kind == BOUNCE_KIND_FEEDBACK,
	    "X-Apple-Unsubscribe: feedback (%s)", bounce_kind_str(b.kind));
	CHECK_STR(b.feedback_type, "opt-out", "X-Apple-Unsubscribe: opt-out");
}

static void
test_autoreply_and_mail(struct env *e)
{
	static const char ooo[] = "From: Jack Smith <Jack.Smith@EXAMPLE.org>\n"
	                          "To: alice@example.com\n"
	                          "Subject: Out of Office: report\n"
	                          "Auto-Submitted: auto-replied\n\n"
	                          "I am out of the office until Monday.\n";
	static const char subj[] = "From: Jack <jack@example.org>\n"
	                           "To: alice@example.com\n"
	                           "Subject: Out of the office\n\n"
	                           "Back on Monday.\n";
	static const char daemon[] = "From: MAILER-DAEMON@mail.example.com\n"
	                             "To: alice@example.com\n"
	                             "Subject: Note\n\n"
	                             "Sorry, I gave up on bob@example.org.\n";
	static const char xauto[] = "From: anna@example.ru\n"
	                            "To: boris@example.com\n"
	                            "Subject: Re: report\n"
	                            "X-Autoreply: yes\n\n"
	                            "Hello.\n";
	/* "Re: отчёт (автоответ)", as an encoded word */
	static const char rusubj[] =
	    "From: anna@example.ru\n"
	    "To: boris@example.com\n"
	    "Subject: =?UTF-8?B?UmU6INC+0YLRh9GR0YIgKNCw0LLRgtC+0L7RgtCy0LXRgik=?=\n\n"
	    "Hello.\n";
	static const char mail[] =
	    "From: Paul <paul@example.com>\n"
	    "To: anna@example.org\n"
	    "Subject: Thursday\n\n"
	    "Are we still on for Thursday? Write to bob@example.net.\n";
	struct bounce b;

	b = parse(e, ooo);
	CHECK(b.kind == BOUNCE_KIND_AUTOREPLY, "Auto-Submitted: kind %s",
	    bounce_kind_str(b.kind));
	CHECK(b.nfailures == 1 &&
	        test_streq(b.failures[0].recipient, "Jack.Smith@example.org"),
	    "automatic reply: the recipient is who replied");
	b = parse(e, subj);
	CHECK(b.kind == BOUNCE_KIND_AUTOREPLY,
	    "an out-of-office subject alone: automatic reply (%s)",
	    bounce_kind_str(b.kind));
	b = parse(e, daemon);
	CHECK(b.kind == BOUNCE_KIND_BODY &&
	        test_streq(b.failures[0].recipient, "bob@example.org"),
	    "from MAILER-DAEMON: a bounce, whatever it says (%s)",
	    bounce_kind_str(b.kind));
	b = parse(e, xauto);
	CHECK(b.kind == BOUNCE_KIND_AUTOREPLY, "X-Autoreply: kind %s",
	    bounce_kind_str(b.kind));
	CHECK(b.nfailures == 1 &&
	        test_streq(b.failures[0].recipient, "anna@example.ru"),
	    "X-Autoreply: the recipient is who replied");
	b = parse(e, rusubj);
	CHECK(b.kind == BOUNCE_KIND_AUTOREPLY,
	    "a Russian subject (encoded word): automatic reply (%s)",
	    bounce_kind_str(b.kind));
	b = parse(e, mail);
	CHECK(b.kind == BOUNCE_KIND_MAIL, "ordinary mail: kind %s",
	    bounce_kind_str(b.kind));
	CHECK(b.nfailures == 1 && b.failures[0].recipient == NULL &&
	        b.failures[0].reply_code == NULL &&
	        b.failures[0].status == NULL,
	    "ordinary mail: one result, no recipient, no codes");
}

static const char forwarded[] =
    "From: Helen <helen@example.com>\n"
    "To: helpdesk@example.com\n"
    "Subject: Fwd: Undelivered Mail\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"O\"\n\n"
    "--O\n"
    "Content-Type: text/plain\n\n"
    "Could you look at this? Thanks, helen@example.com\n\n"
    "--O\n"
    "Content-Type: message/rfc822\n\n"
    "From: MAILER-DAEMON@mail.example.com\n"
    "To: helen@example.com\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status; "
    "boundary=\"I\"\n\n"
    "--I\n"
    "Content-Type: text/plain\n\n"
    "Your message could not be delivered.\n\n"
    "--I\n"
    "Content-Type: message/delivery-status\n\n"
    "Reporting-MTA: dns; mail.example.com\n\n"
    "Final-Recipient: rfc822; ivan@example.org\n"
    "Action: failed\n"
    "Status: 5.7.1\n"
    "Diagnostic-Code: smtp; 554 5.7.1 Client host [198.51.100.23] "
    "blocked using zen.spamhaus.org\n\n"
    "--I--\n\n"
    "--O--\n";

/* a bounce that returns a message which was itself a bounce: the outer
 * report counts, not the one inside the returned copy */
static const char bounce_of_bounce[] = DSN_HEAD
    "--B\n"
    "Content-Type: message/delivery-status\n\n"
    "Reporting-MTA: dns; mail.example.com\n\n"
    "Final-Recipient: rfc822; outer@example.org\n"
    "Action: failed\n"
    "Status: 5.1.1\n\n"
    "--B\n"
    "Content-Type: message/rfc822\n\n"
    "From: MAILER-DAEMON@other.example.net\n"
    "To: outer@example.org\n"
    "Content-Type: multipart/report; report-type=delivery-status; "
    "boundary=\"R\"\n\n"
    "--R\n"
    "Content-Type: text/plain\n\n"
    "<inner@example.net>: host mx.example.net[203.0.113.99] said: 552\n"
    "    5.2.2 Mailbox full (in reply to RCPT TO command)\n\n"
    "--R\n"
    "Content-Type: message/delivery-status\n\n"
    "Final-Recipient: rfc822; inner@example.net\n"
    "Action: failed\n"
    "Status: 5.2.2\n\n"
    "--R--\n\n"
    "--B--\n";

static void
test_nested(struct env *e)
{
	struct bounce b = parse(e, forwarded);

	CHECK(b.kind == BOUNCE_KIND_DSN && b.nfailures == 1 &&
	        test_streq(b.failures[0].recipient, "ivan@example.org"),
	    "a bounce forwarded as an attachment: its DSN (%s, %zu)",
	    bounce_kind_str(b.kind), b.nfailures);
	CHECK_STR(b.failures[0].status, "5.7.1", "forwarded: status");
	CHECK(has(b.failures[0].diag, "zen.spamhaus.org"),
	    "forwarded: the attached Diagnostic-Code");
	b = parse(e, bounce_of_bounce);
	CHECK(b.kind == BOUNCE_KIND_DSN && b.nfailures == 1 &&
	        test_streq(b.failures[0].recipient, "outer@example.org"),
	    "a returned bounce: the outer report only (%zu)", b.nfailures);
	CHECK(b.nfailures == 1 &&
	        b.failures[0].stage == SMTPTEXT_STAGE_UNKNOWN &&
	        !strlist_has(&b.ent.ips, "203.0.113.99"),
	    "a returned bounce: its text is not the bounce's prose");
}

static void
test_charsets(struct env *e)
{
	/* "550 5.1.1 <ryo@example.jp>: " and "ユーザ" in ISO-2022-JP */
	static const char jp[] =
	    DSN_HEAD "--B\n"
	             "Content-Type: message/delivery-status\n\n"
	             "Final-Recipient: rfc822; ryo@example.jp\n"
	             "Action: failed\n"
	             "Status: 5.1.1\n"
	             "Diagnostic-Code: smtp; 550 5.1.1 <ryo@example.jp>: "
	             "\x1b$B%f!<%6\x1b(B unknown\n\n"
	             "--B--\n";
	/* KOI8-R prose: "Пользователь не найден" */
	static const char koi[] =
	    "From: MAILER-DAEMON@mail.example.ru\n"
	    "To: yuri@example.ru\n"
	    "Subject: Undelivered mail\n"
	    "Content-Type: text/plain; charset=koi8-r\n\n"
	    "<zoya@example.ru>: host mx.example.ru[192.0.2.5] said: 550 "
	    "\xf0\xcf\xcc\xd8\xda\xcf\xd7\xc1\xd4\xc5\xcc\xd8 \xce\xc5 "
	    "\xce\xc1\xca\xc4\xc5\xce (in reply to RCPT TO command)\n";
	struct bounce b;

	b = parse(e, jp);
	CHECK(b.nfailures == 1 &&
	        has(b.failures[0].diag, "\xe3\x83\xa6\xe3\x83\xbc\xe3\x82\xb6"),
	    "ISO-2022-JP in a Diagnostic-Code: UTF-8 (%s)",
	    b.nfailures > 0 ? b.failures[0].diag.ptr : "");
	b = parse(e, koi);
	CHECK(b.nfailures == 1 &&
	        has(b.failures[0].diag,
	            "\xd0\x9f\xd0\xbe\xd0\xbb\xd1\x8c\xd0\xb7\xd0\xbe\xd0\xb2"
	            "\xd0\xb0\xd1\x82\xd0\xb5\xd0\xbb\xd1\x8c"),
	    "KOI8-R prose: UTF-8 in the diagnostic");
	CHECK(b.nfailures == 1 &&
	        test_streq(b.failures[0].recipient, "zoya@example.ru"),
	    "KOI8-R prose: recipient");
}

static void
test_anomalies(struct env *e)
{
	static const char unclosed[] =
	    DSN_HEAD "--B\n"
	             "Content-Type: message/delivery-status\n\n"
	             "Final-Recipient: rfc822; mia@example.org\n"
	             "Action: failed\n"
	             "Status: 5.1.1\n";
	struct bounce b = parse(e, unclosed);

	CHECK((b.anomalies & BOUNCE_ANOM_MIME) != 0,
	    "an unclosed multipart: BOUNCE_ANOM_MIME (0x%x)", b.anomalies);
	CHECK(b.kind == BOUNCE_KIND_DSN && b.nfailures == 1 &&
	        test_streq(b.failures[0].recipient, "mia@example.org"),
	    "an unclosed multipart is still read");
}

/* limits: at most MESSAGE_MAX_FAILURES results (a DSN holds no more
 * recipient blocks than that, DSN_MAX_RECIPIENTS, so both limits meet
 * here), MESSAGE_MAX_BLOCK bytes of prose per recipient */
static void
test_limits(struct env *e)
{
	struct buf m;
	struct bounce b;
	bool named = true;

	buf_init(&m, 1u << 20);
	(void)buf_append_span(&m,
	    span_cstr(DSN_HEAD "--B\n"
	                       "Content-Type: "
	                       "message/delivery-status\n\n"
	                       "Reporting-MTA: dns; x.example\n\n"));
	for (int i = 0; i < 300; i++)
		(void)buf_printf(&m,
		    "Final-Recipient: rfc822; u%d@example.org\n"
		    "Action: failed\nStatus: 5.1.1\n\n",
		    i);
	(void)buf_append_span(&m, span_cstr("--B--\n"));
	message_parse(e->dec, e->a, buf_span(&m), &b);
	CHECK(b.nfailures == MESSAGE_MAX_FAILURES,
	    "300 DSN recipients: %d results (%zu)", MESSAGE_MAX_FAILURES,
	    b.nfailures);
	for (size_t i = 0; i < b.nfailures; i++) {
		char want[48];

		(void)snprintf(want, sizeof(want), "u%zu@example.org", i);
		named = named && test_streq(b.failures[i].recipient, want);
	}
	CHECK(named, "300 DSN recipients: the first ones, in order");

	buf_clear(&m);
	buf_init(&m, 1u << 20);
	(void)buf_append_span(&m,
	    span_cstr("From: MAILER-DAEMON@mail.example.com\n"
	              "To: alice@example.com\n"
	              "Subject: Undelivered Mail Returned to Sender\n\n"
	              "<bob@example.org>: host mx.example.org[192.0.2.25] "
	              "said: 550 5.1.1 User unknown"));
	for (int i = 0; i < 2000; i++)
		(void)buf_append_span(&m, span_cstr(" and more"));
	(void)buf_append_span(&m, span_cstr("\n"));
	message_parse(e->dec, e->a, buf_span(&m), &b);
	CHECK(b.nfailures == 1 &&
	        test_streq(b.failures[0].recipient, "bob@example.org"),
	    "a long prose block: its recipient");
	CHECK(b.nfailures == 1 && b.failures[0].diag.len <= MESSAGE_MAX_BLOCK &&
	        b.failures[0].diag.len > MESSAGE_MAX_BLOCK / 2,
	    "a long prose block: at most %d bytes (%zu)", MESSAGE_MAX_BLOCK,
	    b.nfailures == 1 ? b.failures[0].diag.len : 0);
	buf_clear(&m);
}

int
main(void)
{
	struct env e;

	e.dec = mime_decoder_new();
	e.a = arena_new();
	test_dsn(&e);
	test_dsn_fields(&e);
	test_prose(&e);
	test_prose_exim(&e);
	test_prose_sendmail(&e);
	test_prose_status_lines(&e);
	test_prose_fallbacks(&e);
	test_prose_dsn(&e);
	test_feedback(&e);
	test_autoreply_and_mail(&e);
	test_nested(&e);
	test_charsets(&e);
	test_anomalies(&e);
	test_limits(&e);
	arena_free(e.a);
	mime_decoder_free(e.dec);
	return test_done();
}
