/* SPDX-License-Identifier: MIT */
/*
 * test_diag.c - the decisions of one diagnosis
 *
 * Uses the shipped reasons and code tables with a small catalog of its own,
 * so that the checks pin the decision rules of docs/RULES.md (steps 5 to 7
 * and the text language order) rather than the wording of today's catalog.
 */
#include <sys/stat.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "mime.h"
#include "text.h"
#include "test.h"
#include "texts.h"

static const char *const catalog =
    "{\"source\": \"test\", \"rules\": ["
    "{\"id\": \"spf\", \"reason\": \"authfailure\", \"patterns\": "
    "[\"is not allowed to send\"], \"examples\": [\"x\"], \"text\": "
    "{\"en\": {\"title\": \"SPF says no for {ip|the IP}\", \"fix\": "
    "[\"Add ip4:{ip|<IP>} to {sender_domain|your domain}\"]}}},"
    "{\"id\": \"softperm\", \"reason\": \"blocked\", \"permanent\": false, "
    "\"fix_by\": \"retry\", \"patterns\": [\"try later please\"], "
    "\"examples\": [\"x\"]},"
    "{\"id\": \"mailbox-full\", \"reason\": \"mailboxfull\", \"patterns\": "
    "[\"over quota\"], \"examples\": [\"x\"]},"
    "{\"id\": \"no-user\", \"reason\": \"userunknown\", \"patterns\": "
    "[\"user unknown\"], \"examples\": [\"x\"]}"
    "]}";

static char dir[64];

static void
setup(void)
{
	char cwd[PATH_MAX], src[PATH_MAX + 64], dst[128];
	const char *files[] = { "reasons.json", "status-codes.json",
		"reply-codes.json", "lang", "messages.json", "providers.json" };
	FILE *f;

	(void)snprintf(dir, sizeof(dir), "/tmp/bouncedoc-diag-XXXXXX");
	if (mkdtemp(dir) == NULL || getcwd(cwd, sizeof(cwd)) == NULL)
		exit(1);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		(void)snprintf(src, sizeof(src), "%s/rules/%s", cwd, files[i]);
		(void)snprintf(dst, sizeof(dst), "%s/%s", dir, files[i]);
		if (symlink(src, dst) == -1)
			exit(1);
	}
	(void)snprintf(dst, sizeof(dst), "%s/catalog", dir);
	(void)mkdir(dst, 0700);
	(void)snprintf(dst, sizeof(dst), "%s/catalog/test.json", dir);
	f = fopen(dst, "w");
	if (f == NULL)
		exit(1);
	(void)fputs(catalog, f);
	(void)fclose(f);
}

static void
teardown(void)
{
	char cmd[128];

	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	(void)!system(cmd);
}

/* decision - the decision of r in the diagnosis's language */
static const char *
decision(const struct diag *d, const struct diag_result *r)
{
	return texts_render(d->arena, rules_texts(d->env->rules), d->lang,
	    r->decision);
}

static struct diag *
run(const struct diag_env *env, const char *text, enum lang l)
{
	return diag_new(env, span_cstr(text), l, 0);
}

static void
decisions(const struct diag_env *env)
{
	struct diag *d;
	const struct diag_result *r;

	d = run(env,
	    "550 5.7.1 192.0.2.7 is not allowed to send mail from "
	    "example.com",
	    LANG_EN);
	r = &d->results[0];
	CHECK_STR(r->reason->name, "authfailure", "SPF line: reason");
	CHECK(r->rule != NULL && strcmp(r->rule->id, "spf") == 0,
	    "SPF line: rule spf");
	CHECK(r->permanent && r->permanent_source == DIAG_PERM_STATUS,
	    "5.7.1 with 550: permanent, decided by the status");
	CHECK(!r->hard_bounce, "authfailure is no hard bounce");
	CHECK_STR(r->fix_by, "sender_admin", "authfailure: reason's fix_by");
	CHECK_STR(r->title, "SPF says no for 192.0.2.7",
	    "rule title with placeholder filled");
	CHECK(r->nfix == 1 &&
	        strcmp(r->fix[0], "Add ip4:192.0.2.7 to example.com") == 0,
	    "fix step with two placeholders filled: %s",
	    r->nfix > 0 ? r->fix[0] : "");
	CHECK(r->summary != NULL && r->summary[0] != '\0',
	    "summary falls back to the reason's");
	diag_free(d);

	/* what was repaired before the text got here is the input's own
	 * anomaly, decided by diag_new */
	d = diag_new(env, span_cstr("550 5.1.1 user unknown \xef\xbf\xbd"),
	    LANG_EN, TEXT_ANOM_UTF8);
	CHECK(d->bounce.anomalies & BOUNCE_ANOM_UTF8,
	    "repaired before: repaired_utf8");
	diag_free(d);
	d = run(env, "550 5.1.1 user unknown \xef\xbf\xbd", LANG_EN);
	CHECK(!(d->bounce.anomalies & BOUNCE_ANOM_UTF8),
	    "valid U+FFFD as it came: no anomaly");
	diag_free(d);

	d = run(env, "is not allowed to send", LANG_EN);
	r = &d->results[0];
	CHECK_STR(r->title, "SPF says no for the IP",
	    "placeholder fallback when the IP is unknown");
	CHECK(r->permanent_source == DIAG_PERM_REASON,
	    "no codes and no rule opinion: the reason decides");
	diag_free(d);

	d = run(env, "try later please", LANG_EN);
	r = &d->results[0];
	CHECK(!r->permanent && r->permanent_source == DIAG_PERM_RULE,
	    "no codes: the rule's permanent decides");
	CHECK_STR(r->fix_by, "retry", "the rule's fix_by wins");
	diag_free(d);

	d = run(env, "452 4.2.2 over quota", LANG_EN);
	r = &d->results[0];
	CHECK(!r->permanent && r->permanent_source == DIAG_PERM_STATUS,
	    "4.2.2: temporary by the status");
	CHECK_STR(r->reply_code, "452", "reply code found");
	CHECK_STR(r->status, "4.2.2", "status found");
	diag_free(d);

	d = run(env, "550 4.2.2 over quota", LANG_EN);
	r = &d->results[0];
	CHECK(r->permanent_source == DIAG_PERM_REASON,
	    "contradicting codes fall back to the reason");
	diag_free(d);

	d = run(env, "Delivery failed: 5.1.1", LANG_EN);
	r = &d->results[0];
	CHECK_STR(r->reason->name, "userunknown", "5.1.1 alone: userunknown");
	CHECK(r->rule == NULL, "no rule for a bare status");
	CHECK(strstr(decision(d, r), "5.1.1") != NULL,
	    "decision names the status: %s", decision(d, r));
	CHECK(r->hard_bounce, "userunknown is a hard bounce");
	diag_free(d);

	d = run(env, "550 User unknown (in reply to RCPT TO command)", LANG_EN);
	CHECK_STR(d->results[0].reason->name, "userunknown",
	    "unknown user refused at RCPT TO: userunknown");
	CHECK_STR(smtptext_stage_str(d->results[0].stage), "rcpt",
	    "stage rcpt");
	diag_free(d);
	d = run(env, "550 User unknown (in reply to end of DATA command)",
	    LANG_EN);
	CHECK_STR(d->results[0].reason->name, "filtered",
	    "the same refused after DATA: filtered");
	CHECK(strstr(decision(d, &d->results[0]), "after DATA") != NULL,
	    "decision explains the stage: %s", decision(d, &d->results[0]));
	diag_free(d);

	d = run(env, "550 5.2.0 User unknown", LANG_EN);
	CHECK_STR(d->results[0].reason->name, "filtered",
	    "unknown-user wording with X.2.0 (mailbox exists): filtered");
	diag_free(d);
	d = run(env, "550 5.1.1 User unknown", LANG_EN);
	CHECK_STR(d->results[0].reason->name, "userunknown",
	    "the same with 5.1.1: userunknown");
	diag_free(d);
	d = run(env, "550 5.2.1 <a@example.org>... User unknown", LANG_EN);
	CHECK_STR(d->results[0].reason->name, "filtered",
	    "unknown-user wording with X.2.1 and no stage: filtered");
	diag_free(d);
	d = run(env, "550 5.7.1 User unknown", LANG_EN);
	CHECK_STR(d->results[0].reason->name, "filtered",
	    "unknown-user wording with a policy status (X.7.1): filtered");
	diag_free(d);
	d = run(env,
	    "550 5.2.1 <a@example.org>... User unknown (in reply to RCPT TO "
	    "command)",
	    LANG_EN);
	CHECK_STR(d->results[0].reason->name, "userunknown",
	    "the same refused at RCPT TO: userunknown");
	diag_free(d);
	d = run(env,
	    "SMTP error from remote mail server after MAIL FROM:<a@example.org>:"
	    " 553 5.1.0 User unknown",
	    LANG_EN);
	CHECK_STR(d->results[0].reason->name, "rejected",
	    "unknown address at MAIL FROM is the sender's: rejected");
	diag_free(d);
	d = run(env,
	    "SMTP error from remote mail server after MAIL FROM:<a@example.org>:"
	    " 553 5.1.2 nope",
	    LANG_EN);
	CHECK_STR(d->results[0].reason->name, "rejected",
	    "no rule, the status says hostunknown, at MAIL FROM: the "
	    "reason's mail_from_reason, rejected");
	diag_free(d);

	d = run(env,
	    "SMTP error from remote mail server after MAIL FROM:"
	    "<a@example.org>: 550 sorry",
	    LANG_EN);
	CHECK_STR(d->results[0].reason->name, "rejected",
	    "an unexplained refusal at MAIL FROM: rejected");
	diag_free(d);
	d = run(env,
	    "SMTP error from remote mail server after initial "
	    "connection: 554 go away",
	    LANG_EN);
	CHECK_STR(d->results[0].reason->name, "blocked",
	    "an unexplained refusal at connection: blocked");
	diag_free(d);

	d = run(env, "550 5.0.0 nothing more to say", LANG_EN);
	CHECK_STR(d->results[0].reason->name, "onhold",
	    "a coded failure nothing explains: onhold");
	diag_free(d);
	d = run(env, "450 4.0.0 Temporary failure", LANG_EN);
	CHECK_STR(d->results[0].reason->name, "onhold",
	    "a temporary one too: onhold");
	diag_free(d);

	d = run(env, "hello world", LANG_EN);
	r = &d->results[0];
	CHECK_STR(r->reason->name, "undefined", "plain text: undefined");
	CHECK(strstr(decision(d, r), "not be a bounce") != NULL,
	    "decision says it may not be a bounce: %s", decision(d, r));
	diag_free(d);

	d = run(env, "  \n\t \r\n", LANG_EN);
	CHECK(bounce_is_empty(&d->bounce),
	    "white space only: nothing to diagnose");
	diag_free(d);
}

/* the DSN part of a multipart/report; fields is the recipient block */
#define REPORT(prose, fields)                                            \
	"From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>\n" \
	"To: sender@example.com\n"                                       \
	"Subject: Returned mail\n"                                       \
	"MIME-Version: 1.0\n"                                            \
	"Content-Type: multipart/report; report-type=delivery-status; "  \
	"boundary=\"B\"\n\n"                                             \
	"--B\nContent-Type: text/plain\n\n" prose "\n"                   \
	"--B\nContent-Type: message/delivery-status\n\n"                 \
	"Reporting-MTA: dns; mx.example.net\n\n" fields "\n--B--\n"

static void
messages(const struct diag_env *env)
{
	struct diag *d;
	const struct diag_result *r;

	/* Sendmail keeps the first line of a multi-line reply in the
	 * Diagnostic-Code; the transcript has the rest */
	d = run(env,
	    REPORT("... while talking to mx.example.org.:\n>>> DATA\n"
	           "<<< 550-5.7.1 The first line of the reply\n"
	           "<<< 550 5.7.1 says the user is over quota\n",
	        "Final-Recipient: rfc822; a@example.org\nAction: failed\n"
	        "Status: 5.7.1\n"
	        "Diagnostic-Code: smtp; 550-5.7.1 The first line of the reply\n"),
	    LANG_EN);
	r = &d->results[0];
	CHECK(strstr(r->diagnostic.ptr, "over quota") != NULL,
	    "the transcript completes a cut Diagnostic-Code: %s",
	    r->diagnostic.ptr);
	CHECK_STR(r->reason->name, "mailboxfull", "and the rule sees it all");
	diag_free(d);

	/* "X-Unix; 73" is a local program's exit status (sysexits.h): it
	 * decides the reason; the prose gives the text and the codes */
	d = run(env,
	    REPORT("----- Transcript of session follows -----\n"
	           "550 5.2.2 <a@example.org>... over quota\n",
	        "Final-Recipient: rfc822; a@example.org\nAction: failed\n"
	        "Status: 5.2.2\nDiagnostic-Code: X-Unix; 73\n"),
	    LANG_EN);
	r = &d->results[0];
	CHECK_STR(r->reason->name, "mailererror",
	    "exit status 73 (EX_CANTCREAT): the delivery program failed");
	CHECK(strstr(decision(d, r), "EX_CANTCREAT") != NULL,
	    "decision names the exit status: %s", decision(d, r));
	CHECK_STR(r->reply_code, "550", "the prose's reply code");
	CHECK(strstr(r->diagnostic.ptr, "over quota") != NULL,
	    "the prose is the diagnostic: %s", r->diagnostic.ptr);
	diag_free(d);
	d = run(env,
	    REPORT("failed\n",
	        "Final-Recipient: rfc822; a@example.org\nAction: failed\n"
	        "Status: 5.1.1\nDiagnostic-Code: X-Unix; 67\n"),
	    LANG_EN);
	CHECK_STR(d->results[0].reason->name, "userunknown",
	    "exit status 67 (EX_NOUSER): userunknown");
	diag_free(d);
	d = run(env,
	    REPORT("failed\n",
	        "Final-Recipient: rfc822; a@example.org\nAction: failed\n"
	        "Status: 4.3.0\nDiagnostic-Code: x-unix; temporary failure\n"),
	    LANG_EN);
	CHECK_STR(d->results[0].reason->name, "mailererror",
	    "an X-Unix Diagnostic-Code no rule explains: mailererror");
	diag_free(d);

	/* an unsubscribe request sent by a mail client is an opt-out */
	d = run(env,
	    "From: someone@example.org\nTo: opt-out-1@lists.example.com\n"
	    "Subject: unsubscribe\nX-Apple-Unsubscribe: true\n\n"
	    "Apple Mail sent this email to unsubscribe.\n",
	    LANG_EN);
	CHECK_STR(d->results[0].reason->name, "feedback",
	    "X-Apple-Unsubscribe: feedback");
	CHECK_STR(d->bounce.feedback_type, "opt-out", "of type opt-out");
	diag_free(d);

	/* a delay warning with no telling text */
	d = run(env,
	    REPORT("delayed\n",
	        "Final-Recipient: rfc822; a@example.org\nAction: delayed\n"
	        "Status: 4.0.0\n"),
	    LANG_EN);
	CHECK_STR(d->results[0].reason->name, "expired",
	    "Action: delayed with nothing else: expired");
	diag_free(d);

	/* PowerMTA's own category confirms an unknown user */
	d = run(env,
	    REPORT("failed\n",
	        "Final-Recipient: rfc822; a@example.org\nAction: failed\n"
	        "Status: 5.2.1\n"
	        "Diagnostic-Code: smtp; 550 5.2.1 <a@example.org>... User "
	        "unknown\nX-PowerMTA-BounceCategory: bad-mailbox\n"),
	    LANG_EN);
	CHECK_STR(d->results[0].reason->name, "userunknown",
	    "bad-mailbox keeps X.2.1 unknown-user wording userunknown");
	diag_free(d);
	d = run(env,
	    REPORT("failed\n",
	        "Final-Recipient: rfc822; a@example.org\nAction: failed\n"
	        "Status: 5.0.0\nDiagnostic-Code: smtp; 550 nope\n"
	        "X-PowerMTA-BounceCategory: quota-issues\n"),
	    LANG_EN);
	CHECK_STR(d->results[0].reason->name, "mailboxfull",
	    "with no rule, the MTA's category decides");
	diag_free(d);

	/* a gateway forwards the bounce as an attachment */
	d = run(env,
	    "From: postmaster@gw.example.net\nTo: sender@example.com\n"
	    "Subject: Returned mail: User unknown\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"O\"\n\n"
	    "--O\nContent-Type: text/plain\n\n"
	    "The following addresses had permanent delivery errors\n"
	    "--O\nContent-Type: message/rfc822\n\n" REPORT("failed\n",
	        "Final-Recipient: rfc822; a@example.org\nAction: failed\n"
	        "Status: 5.1.1\n"
	        "Diagnostic-Code: smtp; 550 5.1.1 User unknown\n") "--O--\n",
	    LANG_EN);
	r = &d->results[0];
	CHECK_STR(r->recipient, "a@example.org",
	    "the attached bounce's report names the recipient");
	CHECK_STR(r->reason->name, "userunknown", "and its reason");
	diag_free(d);

	/* the error and the recipient in separate paragraphs */
	d = run(env,
	    "From: postmaster@gw.example.net\nTo: sender@example.com\n"
	    "Subject: Undeliverable\n\nYour message could not be delivered "
	    "because of\n\n550 5.1.1 User unknown\n\n"
	    "The following recipients were affected:\n    a@example.org\n",
	    LANG_EN);
	r = &d->results[0];
	CHECK_STR(r->recipient, "a@example.org", "the one recipient");
	CHECK_STR(r->reply_code, "550", "the error written apart from it");
	CHECK_STR(r->reason->name, "userunknown", "reason from that error");
	diag_free(d);

	/* Sendmail's transcript: the host's reply above the recipient's
	 * status line is the recipient's; the lines below are not */
	d = run(env,
	    "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.jp>\n"
	    "To: s@example.jp\nSubject: Returned mail: Remote protocol "
	    "error\n\n   ----- Transcript of session follows -----\n"
	    "While talking to mx.example.edu:\n>>> MAIL From:<s@example.jp>\n"
	    "<<< 550 Insecure Mail Relay\n"
	    "554 <a@example.edu>... Remote protocol error\n"
	    "421 example.org (smtp)... Deferred: Connection timed out with "
	    "example.org\n",
	    LANG_EN);
	r = &d->results[0];
	CHECK_STR(r->recipient, "a@example.edu", "the transcript's recipient");
	CHECK_STR(r->reply_code, "550", "the host's reply, not Sendmail's 554");
	CHECK_STR(smtptext_stage_str(r->stage), "mail",
	    "refused at MAIL FROM, by the transcript");
	CHECK(strstr(r->diagnostic.ptr, "Connection timed out") == NULL,
	    "another host's line is not this recipient's: %s",
	    r->diagnostic.ptr);
	diag_free(d);

	/* delivery status fields written into the text, no report part */
	d = run(env,
	    "From: MAILER-DAEMON@ses.example.com\nTo: s@example.jp\n"
	    "Subject: Delivery Status Notification (Failure)\n\n"
	    "An error occurred while trying to deliver the mail to the "
	    "following recipients:\na@example.jp\n\nTechnical report:\n\n"
	    "Reporting-MTA: dsn; ses.example.com\n\nAction: failed\n"
	    "Final-Recipient: rfc822; a@example.jp\n"
	    "Diagnostic-Code: smtp; 550 5.2.2 <b@example.jp>... over quota\n"
	    "Status: 5.2.2\n",
	    LANG_EN);
	r = &d->results[0];
	CHECK(d->nresults == 1, "one result from the written report: %zu",
	    d->nresults);
	CHECK_STR(r->recipient, "a@example.jp", "its Final-Recipient");
	CHECK_STR(r->status, "5.2.2", "its Status");
	CHECK_STR(r->reason->name, "mailboxfull", "its Diagnostic-Code");
	diag_free(d);

	/* Final-Recipient that is no mailbox: a program, a source route,
	 * no local part */
	d = run(env,
	    REPORT("failed\n",
	        "Original-Recipient: rfc822;a@example.net\n"
	        "Final-Recipient: rfc822;@smtp.example.net:a@server\n"
	        "Action: failed\nStatus: 5.1.1\n"),
	    LANG_EN);
	CHECK_STR(d->results[0].recipient, "a@example.net",
	    "a source-routed Final-Recipient gives way to Original-Recipient");
	diag_free(d);
	d = run(env,
	    "X-Failed-Recipients: a@example.com\n" REPORT("failed\n",
	        "Final-Recipient: rfc822;|/usr/bin/prog a@example.com /home/a\n"
	        "Action: failed\nStatus: 5.0.0\n"),
	    LANG_EN);
	CHECK_STR(d->results[0].recipient, "a@example.com",
	    "a program as Final-Recipient: the mailbox written in it");
	diag_free(d);

	/* a feedback report about several recipients */
	d = run(env,
	    "From: fbl@isp.example\nTo: abuse@example.com\n"
	    "Subject: Abuse report\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/report; report-type=feedback-report; "
	    "boundary=\"F\"\n\n--F\nContent-Type: text/plain\n\nSpam.\n"
	    "--F\nContent-Type: message/feedback-report\n\n"
	    "Feedback-Type: abuse\nVersion: 1\n"
	    "Original-Rcpt-To: a@example.com\nOriginal-Rcpt-To: b@example.com\n"
	    "--F--\n",
	    LANG_EN);
	CHECK(d->nresults == 2, "one result per Original-Rcpt-To: %zu",
	    d->nresults);
	CHECK(d->nresults == 2 &&
	        strcmp(d->results[1].recipient, "b@example.com") == 0,
	    "the second recipient");
	CHECK_STR(d->results[0].reason->name, "feedback", "feedback");
	diag_free(d);

	/* a recipient delivered to a program */
	d = run(env,
	    REPORT("failed\n",
	        "Final-Recipient: rfc822; a@example.org\n"
	        "X-Actual-Recipient: rfc822; |/usr/bin/procmail -f-\n"
	        "Action: failed\nStatus: 5.5.0\n"),
	    LANG_EN);
	CHECK_STR(d->results[0].reason->name, "mailererror",
	    "a pipe recipient's failure is the program's: mailererror");
	diag_free(d);

	/* mail sent to oneself: the sender is the recipient too */
	d = run(env,
	    "From: MAILER-DAEMON@example.org\nTo: a@example.org\n"
	    "Subject: failure notice\n\nI'm afraid I wasn't able to deliver "
	    "your message to the following addresses.\n\n<a@example.org>:\n"
	    "192.0.2.1 does not like recipient.\nRemote host said: 552 "
	    "over quota\n",
	    LANG_EN);
	CHECK_STR(d->results[0].recipient, "a@example.org",
	    "the only address named is the recipient, sender or not");
	CHECK_STR(d->results[0].reason->name, "mailboxfull", "and its reason");
	diag_free(d);

	/* the envelope sender quoted in a reply is not a recipient */
	d = run(env,
	    "From: Mail Delivery System <Mailer-Daemon@mx.example.net>\n"
	    "To: sender@example.com\nSubject: Mail delivery failed\n\n"
	    "The following address(es) failed:\n\n  a@example.org\n"
	    "    SMTP error from remote mail server after MAIL "
	    "FROM:<sender@example.com> SIZE=1543:\n"
	    "    host mx.example.org [192.0.2.20]: 550 5.7.0 "
	    "<sender@example.com>... over quota\n",
	    LANG_EN);
	CHECK(d->nresults == 1, "one result, not one for the sender: %zu",
	    d->nresults);
	CHECK(strstr(d->results[0].diagnostic.ptr, "over quota") != NULL,
	    "the recipient's text runs past the quoted sender: %s",
	    d->results[0].diagnostic.ptr);
	diag_free(d);
}

static void
languages(const struct diag_env *env)
{
	struct diag *en = run(env, "452 4.2.2 over quota", LANG_EN);
	struct diag *ru = run(env, "452 4.2.2 over quota",
	    test_lang_of(texts_langs(rules_texts(env->rules)), "ru"));

	CHECK(strcmp(en->results[0].summary, ru->results[0].summary) != 0,
	    "ru summary differs from en");
	/* Cyrillic letters are 0xD0/0xD1 lead bytes in UTF-8 */
	CHECK(strchr(ru->results[0].summary, '\xd0') != NULL ||
	        strchr(ru->results[0].summary, '\xd1') != NULL,
	    "ru summary is Cyrillic: %s", ru->results[0].summary);
	CHECK(strcmp(en->results[0].fix_by_label,
	          ru->results[0].fix_by_label) != 0,
	    "fix_by label is translated");
	diag_free(en);
	diag_free(ru);
	/* the rule has only English texts: ru falls to the reason's ru title
	 * rather than mixing languages */
	ru = run(env, "192.0.2.7 is not allowed to send",
	    test_lang_of(texts_langs(rules_texts(env->rules)), "ru"));
	CHECK(strstr(ru->results[0].title, "SPF says no") == NULL,
	    "ru: reason's Russian title beats the rule's English one");
	diag_free(ru);
}

/* who must fix it: every reason, in every form, with every kind of
 * evidence a rule or a code table can bring */
static void
fix_by_rule(const struct diag_env *env)
{
	static const char *const evidence[] = { NULL, "sender", "sender_admin",
		"recipient", "recipient_admin", "retry" };
	const struct ruleset *rs = env->rules;
	size_t bad = 0;

	for (size_t i = 0; i < rules_reason_count(rs); i++) {
		const struct rules_reason *re = rules_reason_at(rs, i);

		for (size_t e = 0; e < sizeof(evidence) / sizeof(*evidence);
		     e++) {
			const char *perm =
			    diag_fix_by(re, true, true, evidence[e]);
			const char *temp =
			    diag_fix_by(re, true, false, evidence[e]);
			const char *none =
			    diag_fix_by(re, false, false, evidence[e]);

			/* a permanent failure: someone must act, never a
			 * retry */
			bad += !CHECK((perm != NULL &&
			                  strcmp(perm, "retry") != 0) ||
			        (!re->failure && test_streq(perm, re->fix_by)),
			    "%s, permanent, evidence %s: %s", re->name,
			    evidence[e] ? evidence[e] : "none",
			    perm ? perm : "(nobody)");
			/* a temporary failure: never "nothing to do" */
			bad += !CHECK(temp != NULL || !re->failure,
			    "%s, temporary, evidence %s: %s", re->name,
			    evidence[e] ? evidence[e] : "none",
			    temp ? temp : "(nobody)");
			/* evidence decides a temporary failure */
			if (evidence[e] != NULL && re->failure)
				bad += !CHECK_STR(temp, evidence[e], re->name);
			/* what is no failure: only its own actor */
			bad += !CHECK_STR(none, re->failure ? NULL : re->fix_by,
			    re->name);
		}
		/* a reason left to a retry has words of its own for when
		 * its codes say the failure is permanent: its usual ones
		 * promise a retry */
		if (re->failure && strcmp(re->fix_by, "retry") == 0)
			bad += !CHECK(re->when_permanent != NULL &&
			        ltext_in(&re->when_permanent->text.title,
			            LANG_EN) != NULL &&
			        re->when_permanent->text.fix.n > 0,
			    "%s: a title and fix steps of its own when "
			    "permanent",
			    re->name);
	}
	CHECK(bad == 0, "fix_by: every reason walked, %zu wrong", bad);
	CHECK(rules_reason_count(rs) >= 30, "%zu reasons walked",
	    rules_reason_count(rs));
	CHECK_STR(diag_fix_by(rules_reason(rs, "feedback"), false, false, NULL),
	    "sender", "a complaint: the sender suppresses the address");
	CHECK_STR(diag_fix_by(rules_reason(rs, "delivered"), false, false,
	              NULL),
	    NULL, "a delivery: nobody");
	CHECK_STR(diag_fix_by(rules_reason(rs, "vacation"), false, false, NULL),
	    NULL, "an automatic reply: nobody");
	CHECK_STR(diag_fix_by(rules_reason(rs, "onhold"), true, false, NULL),
	    "retry", "an unexplained temporary failure: a retry");
}

/* results that are no failure have no permanence and nobody to act; a
 * permanent failure is never left to a retry */
static void
permanence(const struct diag_env *env)
{
	struct diag *d;
	const struct diag_result *r;

	d = run(env, "550 permanent failure for one or more recipients",
	    LANG_EN);
	r = &d->results[0];
	CHECK(r->failure && r->permanent, "550: a permanent failure");
	CHECK(r->fix_by != NULL && strcmp(r->fix_by, "retry") != 0,
	    "550 unexplained: fix_by %s, not a retry",
	    r->fix_by ? r->fix_by : "(null)");
	for (size_t i = 0; i < r->nfix; i++)
		CHECK(strstr(r->fix[i], "Wait") == NULL &&
		        strstr(r->fix[i], "may still be delivered") == NULL,
		    "550: no step waits for a retry: %s", r->fix[i]);
	CHECK(strstr(r->explanation, "still retrying") == NULL,
	    "550: the explanation does not promise a retry: %s",
	    r->explanation);
	diag_free(d);

	d = run(env, "451 4.3.0 temporary failure, try again", LANG_EN);
	r = &d->results[0];
	CHECK(r->failure && !r->permanent && r->fix_by != NULL,
	    "451: temporary, and someone or a retry acts: %s",
	    r->fix_by ? r->fix_by : "(null)");
	diag_free(d);

	d = run(env, "450 4.1.1 user unknown", LANG_EN);
	r = &d->results[0];
	CHECK(r->failure && !r->permanent, "450 4.1.1: temporary");
	CHECK(strstr(r->title, "does not exist") == NULL,
	    "450 4.1.1: the title does not call the address gone: %s",
	    r->title);
	diag_free(d);

	d = run(env, "hello, see you tomorrow at the meeting", LANG_EN);
	r = &d->results[0];
	CHECK(!r->failure && r->permanent_source == DIAG_PERM_NONE &&
	        diag_perm_source_str(r->permanent_source) == NULL,
	    "text that is no bounce: no permanence");
	CHECK(r->fix_by == NULL && r->fix_by_label == NULL && !r->hard_bounce,
	    "text that is no bounce: nobody must act");
	diag_free(d);

	d = run(env, "554 5.0.0 no reason given at all here", LANG_EN);
	r = &d->results[0];
	CHECK(r->failure && r->permanent && r->fix_by != NULL,
	    "a code without words is still a failure: %s, %s", r->reason->name,
	    r->fix_by ? r->fix_by : "(null)");
	diag_free(d);
}

int
main(void)
{
	struct ruleset *rs = NULL;
	char *err = NULL;
	struct diag_env env = { NULL, NULL };

	setup();
	if (CHECK(rules_load(dir, TEST_RULES_FLAGS, &rs, &err) == 0,
	        "test catalog loads %s", err != NULL ? err : "")) {
		env.rules = rs;
		decisions(&env);
		languages(&env);
		fix_by_rule(&env);
		permanence(&env);
		env.mime = mime_decoder_new();
		messages(&env);
		mime_decoder_free(env.mime);
	}
	free(err);
	rules_free(rs);
	teardown();
	return test_done();
}
