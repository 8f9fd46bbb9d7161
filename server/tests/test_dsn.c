/* SPDX-License-Identifier: MIT */
/*
 * test_dsn.c - unit tests for dsn.h: RFC 3464 fields, sloppy DSNs, limits
 *
 * Hand-written DSNs in the shapes Postfix, Sendmail and Exchange produce,
 * the tolerance cases (missing empty lines, no types, junk), the limits,
 * random bytes, and the sisimai corpus (../shared/corpus/sisimai/emails):
 * the message/delivery-status part of every rfc3464-* and lhost-postfix-*
 * message, found naively here, must give a recipient with a status in at
 * least 80% of those files.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "dsn.h"
#include "test.h"
#include "xmalloc.h"

#define TEST_CORPUS "../shared/corpus/sisimai/emails"

/* str - a span as a NUL-terminated arena string ("" for an absent one) */
static const char *
str(struct arena *a, struct span s)
{
	return arena_strndup(a, s.ptr != NULL ? s.ptr : "", s.len);
}

static void
parse(struct arena *a, const char *text, struct dsn_report *r)
{
	dsn_parse(a, span_cstr(text), r);
}

static const char postfix_dsn[] =
    "Reporting-MTA: dns; smtp.example.com\n"
    "X-Postfix-Queue-ID: 7874F1FB8E\n"
    "X-Postfix-Sender: rfc822; kijitora@example.jp\n"
    "Arrival-Date: Sat, 21 Jun 2014 18:34:34 +0000 (UTC)\n"
    "\n"
    "Final-Recipient: rfc822; filtered@example.co.jp\n"
    "Original-Recipient: rfc822;filtered@example.co.jp\n"
    "Action: failed\n"
    "Status: 5.2.1\n"
    "Remote-MTA: dns; mx.example.co.jp\n"
    "Diagnostic-Code: smtp; 550 5.2.1 <filtered@example.co.jp>... User\n"
    "    Unknown\n"
    "\n"
    "Final-Recipient: rfc822; userunknown@example.co.jp\n"
    "Original-Recipient: rfc822;userunknown@example.co.jp\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "Remote-MTA: dns; mx.example.co.jp\n"
    "Diagnostic-Code: X-Postfix; host mx.example.co.jp said: 550 5.1.1\n"
    "\n";

static void
test_postfix(void)
{
	struct arena *a = arena_new();
	struct dsn_report r;
	const struct dsn_recipient *p;

	parse(a, postfix_dsn, &r);
	CHECK(r.anomalies == 0, "postfix: no anomalies (0x%x)", r.anomalies);
	CHECK_STR(str(a, r.reporting_mta), "smtp.example.com",
	    "postfix: Reporting-MTA without dns;");
	CHECK_STR(str(a, r.arrival_date),
	    "Sat, 21 Jun 2014 18:34:34 +0000 (UTC)", "postfix: Arrival-Date");
	CHECK(r.received_from_mta.ptr == NULL, "postfix: no Received-From-MTA");
	CHECK(r.nfields == 4, "postfix: 4 per-message fields (%zu)", r.nfields);
	CHECK_STR(str(a,
	              dsn_field_get(r.fields, r.nfields, "x-postfix-queue-id")),
	    "7874F1FB8E", "postfix: X-Postfix-Queue-ID, name case-insensitive");
	CHECK_STR(str(a,
	              dsn_field_get(r.fields, r.nfields, "X-Postfix-Sender")),
	    "kijitora@example.jp", "postfix: X-Postfix-Sender value");
	CHECK(r.nfields == 4 && span_eq_cstr(r.fields[2].type, "rfc822") &&
	        span_eq_cstr(r.fields[2].name, "X-Postfix-Sender"),
	    "postfix: X-Postfix-Sender type rfc822, fields in order");
	CHECK(dsn_field_get(r.fields, r.nfields, "Final-Recipient").ptr == NULL,
	    "postfix: an absent field has ptr NULL");
	if (!CHECK(r.nrecipients == 2, "postfix: 2 recipients (%zu)",
	        r.nrecipients)) {
		arena_free(a);
		return;
	}
	p = &r.recipients[0];
	CHECK_STR(str(a, p->final_recipient), "filtered@example.co.jp",
	    "postfix: 1st Final-Recipient");
	CHECK_STR(str(a, p->original_recipient), "filtered@example.co.jp",
	    "postfix: 1st Original-Recipient (no space after ;)");
	CHECK_STR(str(a, p->action), "failed", "postfix: 1st Action");
	CHECK_STR(str(a, p->status), "5.2.1", "postfix: 1st Status");
	CHECK_STR(str(a, p->remote_mta), "mx.example.co.jp",
	    "postfix: 1st Remote-MTA");
	CHECK_STR(str(a, p->diagnostic_type), "smtp",
	    "postfix: 1st diagnostic type");
	CHECK_STR(str(a, p->diagnostic_code),
	    "550 5.2.1 <filtered@example.co.jp>... User Unknown",
	    "postfix: 1st Diagnostic-Code unfolded");
	CHECK(p->nfields == 6, "postfix: 1st recipient has 6 fields (%zu)",
	    p->nfields);
	CHECK(p->last_attempt_date.ptr == NULL &&
	        p->will_retry_until.ptr == NULL,
	    "postfix: absent dates have ptr NULL");
	p = &r.recipients[1];
	CHECK_STR(str(a, p->final_recipient), "userunknown@example.co.jp",
	    "postfix: 2nd Final-Recipient");
	CHECK_STR(str(a, p->status), "5.1.1", "postfix: 2nd Status");
	CHECK_STR(str(a, p->diagnostic_type), "X-Postfix",
	    "postfix: 2nd diagnostic type as written");
	CHECK_STR(str(a, p->diagnostic_code),
	    "host mx.example.co.jp said: 550 5.1.1",
	    "postfix: 2nd Diagnostic-Code");
	CHECK(p->nfields == 6 &&
	        span_eq_cstr(p->fields[5].name, "Diagnostic-Code"),
	    "postfix: 2nd recipient fields in order");
	arena_free(a);
}

static void
test_sendmail(void)
{
	struct arena *a = arena_new();
	struct dsn_report r;
	const struct dsn_recipient *p;

	parse(a,
	    "Reporting-MTA: dns; mail.example.net\n"
	    "Received-From-MTA: DNS; client.example.org\n"
	    "Arrival-Date: Mon, 3 Feb 2020 10:00:00 +0100\n"
	    "\n"
	    "Final-Recipient: RFC822; bob@example.com\n"
	    "X-Actual-Recipient: RFC822; bob@mailhost.example.com\n"
	    "Action: failed\n"
	    "Status: 5.1.1\n"
	    "Remote-MTA: DNS; mx.example.com\n"
	    "Diagnostic-Code: SMTP; 550 5.1.1 <bob@example.com>... User "
	    "unknown\n"
	    "Last-Attempt-Date: Mon, 3 Feb 2020 10:00:05 +0100\n",
	    &r);
	CHECK(r.anomalies == 0 && r.nrecipients == 1,
	    "sendmail: 1 recipient, no anomalies (%zu, 0x%x)", r.nrecipients,
	    r.anomalies);
	CHECK_STR(str(a, r.received_from_mta), "client.example.org",
	    "sendmail: Received-From-MTA without DNS;");
	CHECK(r.nfields == 3 && span_eq_cstr(r.fields[1].type, "DNS"),
	    "sendmail: type kept as written (DNS)");
	if (r.nrecipients != 1) {
		arena_free(a);
		return;
	}
	p = &r.recipients[0];
	CHECK_STR(str(a, p->final_recipient), "bob@example.com",
	    "sendmail: Final-Recipient with RFC822;");
	CHECK(p->original_recipient.ptr == NULL,
	    "sendmail: no Original-Recipient");
	CHECK_STR(str(a, p->remote_mta), "mx.example.com",
	    "sendmail: Remote-MTA");
	CHECK_STR(str(a, p->diagnostic_type), "SMTP",
	    "sendmail: diagnostic type");
	CHECK_STR(str(a, p->diagnostic_code),
	    "550 5.1.1 <bob@example.com>... User unknown",
	    "sendmail: Diagnostic-Code");
	CHECK_STR(str(a, p->last_attempt_date),
	    "Mon, 3 Feb 2020 10:00:05 +0100", "sendmail: Last-Attempt-Date");
	CHECK_STR(str(a,
	              dsn_field_get(p->fields, p->nfields,
	                  "X-Actual-Recipient")),
	    "bob@mailhost.example.com", "sendmail: X-Actual-Recipient value");
	CHECK(p->nfields == 7 && span_eq_cstr(p->fields[1].type, "RFC822"),
	    "sendmail: X-Actual-Recipient type split (registered name)");
	arena_free(a);
}

static void
test_exchange(void)
{
	struct arena *a = arena_new();
	struct dsn_report r;
	const struct dsn_recipient *p;

	parse(a,
	    "Reporting-MTA: dns;AM6PR10MB1234.EURPRD10.PROD.OUTLOOK.COM\n"
	    "Received-From-MTA: dns;mail.example.org\n"
	    "Arrival-Date: Tue, 4 Feb 2020 09:00:00 +0000\n"
	    "X-MS-Exchange-Message-Is-Ndr: \n"
	    "\n"
	    "Final-Recipient: rfc822;nobody@contoso.example\n"
	    "Action: failed\n"
	    "Status: 5.1.10\n"
	    "Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; "
	    "Recipient   \n"
	    " nobody@contoso.example not found by SMTP address lookup\n"
	    "\t  (and folded twice)\n"
	    "Remote-MTA: dns;mx.contoso.example\n"
	    "X-Display-Name: Doe; John\n"
	    "X-Supplementary-Info: <mx.contoso.example #5.1.10 smtp;550 "
	    "5.1.10>\n",
	    &r);
	CHECK(r.anomalies == 0 && r.nrecipients == 1,
	    "exchange: 1 recipient, no anomalies (%zu, 0x%x)", r.nrecipients,
	    r.anomalies);
	CHECK_STR(str(a, r.reporting_mta),
	    "AM6PR10MB1234.EURPRD10.PROD.OUTLOOK.COM",
	    "exchange: Reporting-MTA with dns; without space");
	CHECK(r.nfields == 4, "exchange: 4 per-message fields (%zu)",
	    r.nfields);
	CHECK(r.nfields == 4 && r.fields[3].value.ptr != NULL &&
	        r.fields[3].value.len == 0,
	    "exchange: an empty X- field is present with an empty value");
	if (r.nrecipients != 1) {
		arena_free(a);
		return;
	}
	p = &r.recipients[0];
	CHECK_STR(str(a, p->status), "5.1.10", "exchange: Status 5.1.10");
	CHECK_STR(str(a, p->diagnostic_code),
	    "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient "
	    "nobody@contoso.example not found by SMTP address lookup (and "
	    "folded twice)",
	    "exchange: Diagnostic-Code over 3 lines unfolded with one space");
	CHECK_STR(str(a, p->diagnostic_type), "smtp",
	    "exchange: diagnostic type");
	CHECK_STR(str(a, p->remote_mta), "mx.contoso.example",
	    "exchange: Remote-MTA after Diagnostic-Code");
	CHECK(p->nfields == 7, "exchange: 7 recipient fields (%zu)",
	    p->nfields);
	CHECK_STR(str(a,
	              dsn_field_get(p->fields, p->nfields, "x-display-name")),
	    "Doe; John", "exchange: X-Display-Name keeps its ';'");
	CHECK(p->nfields == 7 && p->fields[5].type.ptr == NULL,
	    "exchange: no type for a non-registered prefix");
	CHECK_STR(str(a,
	              dsn_field_get(p->fields, p->nfields,
	                  "X-Supplementary-Info")),
	    "<mx.contoso.example #5.1.10 smtp;550 5.1.10>",
	    "exchange: X-Supplementary-Info whole");
	arena_free(a);
}

static void
test_missing_blank(void)
{
	struct arena *a = arena_new();
	struct dsn_report r;

	/* Postfix order: Final-Recipient, Original-Recipient */
	parse(a,
	    "Reporting-MTA: dns; a.example\n\n"
	    "Final-Recipient: rfc822; one@example.com\n"
	    "Original-Recipient: rfc822; one@example.org\n"
	    "Action: failed\n"
	    "Status: 5.1.1\n"
	    "Final-Recipient: rfc822; two@example.com\n"
	    "Original-Recipient: rfc822; two@example.org\n"
	    "Action: delayed\n"
	    "Status: 4.2.2\n",
	    &r);
	CHECK(r.nrecipients == 2, "no blank (FR, OR): 2 recipients (%zu)",
	    r.nrecipients);
	if (r.nrecipients == 2) {
		CHECK_STR(str(a, r.recipients[0].original_recipient),
		    "one@example.org", "no blank (FR, OR): 1st OR");
		CHECK_STR(str(a, r.recipients[1].final_recipient),
		    "two@example.com", "no blank (FR, OR): 2nd FR");
		CHECK_STR(str(a, r.recipients[1].original_recipient),
		    "two@example.org", "no blank (FR, OR): 2nd OR");
		CHECK_STR(str(a, r.recipients[1].status), "4.2.2",
		    "no blank (FR, OR): 2nd status");
		CHECK(r.recipients[0].nfields == 4 &&
		        r.recipients[1].nfields == 4,
		    "no blank (FR, OR): 4 fields each");
	}

	/* RFC 3464 §3 order: Original-Recipient, Final-Recipient */
	parse(a,
	    "Reporting-MTA: dns; a.example\n\n"
	    "Original-Recipient: rfc822;one@example.org\n"
	    "Final-Recipient: rfc822;one@example.com\n"
	    "Action: failed\n"
	    "Status: 5.0.0\n"
	    "Original-Recipient: rfc822;two@example.org\n"
	    "Final-Recipient: rfc822;two@example.com\n"
	    "Action: failed\n"
	    "Status: 5.0.0\n",
	    &r);
	CHECK(r.nrecipients == 2, "no blank (OR, FR): 2 recipients (%zu)",
	    r.nrecipients);
	if (r.nrecipients == 2) {
		CHECK_STR(str(a, r.recipients[0].final_recipient),
		    "one@example.com", "no blank (OR, FR): 1st FR");
		CHECK_STR(str(a, r.recipients[1].original_recipient),
		    "two@example.org", "no blank (OR, FR): 2nd OR");
		CHECK_STR(str(a, r.recipients[1].final_recipient),
		    "two@example.com", "no blank (OR, FR): 2nd FR");
	}

	/* the first lacks an Original-Recipient: the OR goes with the FR */
	parse(a,
	    "Final-Recipient: rfc822;one@example.com\n"
	    "Action: failed\n"
	    "Status: 5.0.0\n"
	    "Original-Recipient: rfc822;two@example.org\n"
	    "Final-Recipient: rfc822;two@example.com\n"
	    "Action: failed\n"
	    "Status: 5.0.0\n",
	    &r);
	CHECK(r.nrecipients == 2, "no blank (FR; OR, FR): 2 recipients (%zu)",
	    r.nrecipients);
	if (r.nrecipients == 2) {
		CHECK(r.recipients[0].original_recipient.ptr == NULL &&
		        r.recipients[0].nfields == 3,
		    "no blank (FR; OR, FR): the OR left the 1st recipient");
		CHECK_STR(str(a, r.recipients[1].original_recipient),
		    "two@example.org", "no blank (FR; OR, FR): 2nd OR");
		CHECK(r.recipients[1].nfields == 4 &&
		        span_eq_cstr(r.recipients[1].fields[0].name,
		            "Original-Recipient"),
		    "no blank (FR; OR, FR): 2nd recipient starts with the OR");
	}

	/* an OR after other fields and no FR after it stays */
	parse(a,
	    "Final-Recipient: rfc822;one@example.com\n"
	    "Action: failed\n"
	    "Original-Recipient: rfc822;one@example.org\n",
	    &r);
	CHECK(r.nrecipients == 1 &&
	        span_eq_cstr(r.recipients[0].original_recipient,
	            "one@example.org"),
	    "a late OR without a following FR stays with its recipient");
	arena_free(a);
}

static void
test_msg_then_rcpt(void)
{
	struct arena *a = arena_new();
	struct dsn_report r;

	parse(a,
	    "Reporting-MTA: dns; mx.example.net\n"
	    "X-Queue-ID: 42\n"
	    "Arrival-Date: Thu, 9 Apr 2008 23:34:45 +0900\n"
	    "Final-Recipient: rfc822; a@example.com\n"
	    "Action: failed\n"
	    "Status: 5.2.2\n"
	    "Reporting-MTA: dns; late.example.net\n",
	    &r);
	CHECK(r.nfields == 3 && r.nrecipients == 1 && r.anomalies == 0,
	    "per-message block then Final-Recipient: 3 + 1 recipient (%zu, "
	    "%zu, 0x%x)",
	    r.nfields, r.nrecipients, r.anomalies);
	CHECK_STR(str(a, r.reporting_mta), "mx.example.net",
	    "per-message block then FR: Reporting-MTA");
	if (r.nrecipients == 1) {
		CHECK_STR(str(a, r.recipients[0].final_recipient),
		    "a@example.com", "per-message block then FR: the FR");
		CHECK(r.recipients[0].nfields == 4,
		    "a per-message field after recipient fields stays with the "
		    "recipient (%zu)",
		    r.recipients[0].nfields);
	}

	/* Action first, then the addresses (Amazon SES does that) */
	parse(a,
	    "Reporting-MTA: dns; inbound-smtp.us-west-2.amazonaws.com\n"
	    "Action: failed\n"
	    "Final-Recipient: rfc822; b@example.com\n"
	    "Original-Recipient: rfc822; b@example.com\n"
	    "Status: 4.3.0\n",
	    &r);
	CHECK(r.nfields == 1 && r.nrecipients == 1 &&
	        r.recipients[0].nfields == 4 &&
	        span_eq_cstr(r.recipients[0].action, "failed") &&
	        span_eq_cstr(r.recipients[0].final_recipient, "b@example.com"),
	    "Action in the per-message block opens the recipient");

	/* a per-message block split by an empty line */
	parse(a,
	    "\n\n"
	    "Reporting-MTA: dns; one.example\n"
	    "\n"
	    "Arrival-Date: Mon, 1 Jan 2024 00:00:00 +0000\n"
	    "\n"
	    "Final-Recipient: rfc822; c@example.com\n"
	    "Status: 5.0.0\n",
	    &r);
	CHECK(r.nfields == 2 && r.arrival_date.ptr != NULL &&
	        r.nrecipients == 1 && r.recipients[0].nfields == 2,
	    "a per-message block split in two stays the report's");

	/* no per-message block at all */
	parse(a, "Final-Recipient: rfc822; d@example.com\nStatus: 5.0.0\n", &r);
	CHECK(r.nfields == 0 && r.fields == NULL && r.nrecipients == 1,
	    "a DSN without per-message block");
	arena_free(a);
}

static void
test_crlf(void)
{
	struct arena *a = arena_new();
	struct dsn_report r;
	const struct dsn_recipient *p;

	parse(a,
	    "Reporting-MTA: dns; crlf.example\r\n"
	    "\r\n"
	    "Final-Recipient: rfc822; <one@example.com>\r\n"
	    "Action: failed\r\n"
	    "Status: 5.1.1\r\n"
	    "Diagnostic-Code: smtp; 550 5.1.1\r\n"
	    "  no such user\r\n"
	    " \t \r\n"
	    "Final-Recipient: rfc822; two@example.com\r\n"
	    "Status: 4.4.1\r\n",
	    &r);
	CHECK(r.anomalies == 0 && r.nrecipients == 2,
	    "crlf: 2 recipients, white-space line separates (%zu, 0x%x)",
	    r.nrecipients, r.anomalies);
	CHECK_STR(str(a, r.reporting_mta), "crlf.example",
	    "crlf: no CR in Reporting-MTA");
	if (r.nrecipients != 2) {
		arena_free(a);
		return;
	}
	p = &r.recipients[0];
	CHECK_STR(str(a, p->final_recipient), "one@example.com",
	    "crlf: <> stripped");
	CHECK_STR(str(a, p->status), "5.1.1", "crlf: Status");
	CHECK_STR(str(a, p->diagnostic_code), "550 5.1.1 no such user",
	    "crlf: folded Diagnostic-Code without CR");
	CHECK_STR(str(a, r.recipients[1].status), "4.4.1",
	    "crlf: last line without CR LF");
	arena_free(a);
}

static void
test_untyped(void)
{
	struct arena *a = arena_new();
	struct dsn_report r;
	const struct dsn_recipient *p;

	parse(a,
	    "Reporting-MTA: mx.example.net\n"
	    "\n"
	    "Final-Recipient:   < user@example.com >  \n"
	    "Remote-MTA: mx.example.com\n"
	    "Diagnostic-Code: 550 5.1.1 <user@example.com>; unknown user\n"
	    "Status: 5.1.1\n"
	    "\n"
	    "Final-Recipient: utf-8; j\xc3\xb6ran@b\xc3\xbc"
	    "cher.example\n"
	    "Original-Recipient: rfc822;\n"
	    "Diagnostic-Code: 550; weird\n",
	    &r);
	CHECK_STR(str(a, r.reporting_mta), "mx.example.net",
	    "untyped: Reporting-MTA");
	CHECK(r.nfields == 1 && r.fields[0].type.ptr == NULL,
	    "untyped: Reporting-MTA has no type");
	if (!CHECK(r.nrecipients == 2, "untyped: 2 recipients (%zu)",
	        r.nrecipients)) {
		arena_free(a);
		return;
	}
	p = &r.recipients[0];
	CHECK_STR(str(a, p->final_recipient), "user@example.com",
	    "untyped: address without type, <> and white space stripped");
	CHECK(p->fields[0].type.ptr == NULL, "untyped: FR type empty");
	CHECK_STR(str(a, p->remote_mta), "mx.example.com",
	    "untyped: Remote-MTA");
	CHECK(p->diagnostic_type.ptr == NULL,
	    "untyped: no diagnostic type when the prefix is no atom");
	CHECK_STR(str(a, p->diagnostic_code),
	    "550 5.1.1 <user@example.com>; unknown user",
	    "untyped: Diagnostic-Code whole");
	p = &r.recipients[1];
	CHECK_STR(str(a, p->final_recipient),
	    "j\xc3\xb6ran@b\xc3\xbc"
	    "cher.example",
	    "RFC 6533 utf-8 address");
	CHECK(span_eq_cstr(p->fields[0].type, "utf-8"),
	    "RFC 6533 utf-8 address type");
	CHECK(p->original_recipient.ptr != NULL &&
	        p->original_recipient.len == 0,
	    "\"rfc822;\" alone gives an empty address that is present");
	CHECK(p->diagnostic_type.ptr == NULL &&
	        span_eq_cstr(p->diagnostic_code, "550; weird"),
	    "a type must start with a letter");
	arena_free(a);
}

static const struct test_status {
	const char *in, *want;
} test_statuses[] = {
	{ "5.0.0 (permanent failure)", "5.0.0" },
	{ "  4.4.7  ", "4.4.7" },
	{ "5.7.26", "5.7.26" },
	{ "2.1.5", "2.1.5" },
	{ "4.0.0 (cat.example.net: host name lookup failure)", "4.0.0" },
	{ "5.1.1.", "5.1.1" },
	{ "5.1.1234", "5.1.1234" },
	{ "5.1.1.2", "5.1.1.2" },
	{ "3.1.1", "3.1.1" },
	{ "5.1", "5.1" },
	{ "unknown (see below)", "unknown (see below)" },
	{ "", "" },
};

static void
test_action_status(void)
{
	struct arena *a = arena_new();
	struct dsn_report r;
	size_t nst = sizeof(test_statuses) / sizeof(test_statuses[0]);

	parse(a, "Final-Recipient: rfc822; a@b\nAction: Failed\n", &r);
	CHECK(r.nrecipients == 1 &&
	        span_eq_cstr(r.recipients[0].action, "failed"),
	    "Action: Failed → failed");
	CHECK(r.nrecipients == 1 &&
	        span_eq_cstr(r.recipients[0].fields[1].value, "Failed"),
	    "the field list keeps \"Failed\" as written");
	parse(a, "Final-Recipient: rfc822; a@b\nAction:  DELAYED \n", &r);
	CHECK(r.nrecipients == 1 &&
	        span_eq_cstr(r.recipients[0].action, "delayed"),
	    "Action: DELAYED → delayed");
	for (size_t i = 0; i < nst; i++) {
		char *text = arena_printf(a,
		    "Final-Recipient: rfc822; a@b\nStatus: %s\n",
		    test_statuses[i].in);

		parse(a, text, &r);
		CHECK(r.nrecipients == 1 &&
		        span_eq_cstr(r.recipients[0].status,
		            test_statuses[i].want),
		    "Status: \"%s\" → \"%s\" (got \"%s\")", test_statuses[i].in,
		    test_statuses[i].want,
		    r.nrecipients == 1 ? str(a, r.recipients[0].status) : "");
	}
	parse(a,
	    "Final-Recipient: rfc822; a@b\nStatus: 5.0.0 (permanent failure)\n",
	    &r);
	CHECK(r.nrecipients == 1 &&
	        span_eq_cstr(r.recipients[0].fields[1].value,
	            "5.0.0 (permanent failure)"),
	    "the field list keeps the status comment");
	parse(a, "Final-Recipient: rfc822; a@b\nStatus: 5.1.1\nStatus: 4.0.0\n",
	    &r);
	CHECK(r.nrecipients == 1 &&
	        span_eq_cstr(r.recipients[0].status, "5.1.1") &&
	        r.recipients[0].nfields == 3,
	    "a repeated Status: the first wins, both are listed");
	arena_free(a);
}

static void
test_junk(void)
{
	struct arena *a = arena_new();
	struct dsn_report r;

	parse(a,
	    "   orphan continuation\n"
	    "Reporting-MTA: dns; junk.example\n"
	    "this line is junk: it has a colon after spaces\n"
	    "----- no colon here\n"
	    ": empty name\n"
	    "Arrival-Date : Mon, 1 Jan 2024 00:00:00 +0000\n"
	    "\n"
	    "Final-Recipient: rfc822; a@example.com\n"
	    "St\xc3\xa4tus: 5.1.1\n"
	    "Status: 5.1.1\n"
	    "Diagnostic-Code: smtp; 550 first line\n"
	    "junk in the middle\n"
	    " continuation after junk\n",
	    &r);
	CHECK((r.anomalies & DSN_ANOM_BAD_LINE) != 0u,
	    "junk: DSN_ANOM_BAD_LINE (0x%x)", r.anomalies);
	CHECK((r.anomalies & ~DSN_ANOM_BAD_LINE) == 0u,
	    "junk: no other anomaly (0x%x)", r.anomalies);
	CHECK(r.nfields == 2, "junk: 2 per-message fields (%zu)", r.nfields);
	CHECK_STR(str(a, r.reporting_mta), "junk.example",
	    "junk: Reporting-MTA");
	CHECK_STR(str(a, r.arrival_date), "Mon, 1 Jan 2024 00:00:00 +0000",
	    "junk: \"Arrival-Date :\" with space before the colon");
	if (r.nrecipients == 1) {
		CHECK(r.recipients[0].nfields == 3,
		    "junk: 3 recipient fields (%zu)", r.recipients[0].nfields);
		CHECK_STR(str(a, r.recipients[0].diagnostic_code),
		    "550 first line", "junk: junk ends the folded field");
	} else {
		CHECK(false, "junk: 1 recipient (%zu)", r.nrecipients);
	}
	arena_free(a);
}

static void
test_limits(void)
{
	struct arena *a = arena_new();
	struct dsn_report r;
	struct buf b;
	bool ok = true;

	buf_init(&b, 1u << 20);
	(void)buf_printf(&b, "Reporting-MTA: dns; many.example\n\n");
	for (int i = 0; i < 300; i++)
		ok = ok &&
		    buf_printf(&b,
		        "Final-Recipient: rfc822; user%d@example.com\n"
		        "Action: failed\nStatus: 5.1.1\n\n",
		        i) == 0;
	CHECK(ok, "300 recipients built");
	dsn_parse(a, buf_span(&b), &r);
	CHECK(r.nrecipients == DSN_MAX_RECIPIENTS,
	    "300 recipients → %d kept (%zu)", DSN_MAX_RECIPIENTS,
	    r.nrecipients);
	CHECK((r.anomalies & DSN_ANOM_TOO_MANY) != 0u,
	    "300 recipients: DSN_ANOM_TOO_MANY (0x%x)", r.anomalies);
	if (r.nrecipients == DSN_MAX_RECIPIENTS) {
		CHECK_STR(str(a, r.recipients[0].final_recipient),
		    "user0@example.com", "300 recipients: the first");
		CHECK_STR(str(a, r.recipients[255].final_recipient),
		    "user255@example.com", "300 recipients: the 256th");
		CHECK(r.recipients[255].nfields == 3,
		    "300 recipients: the 256th is complete");
	}

	/* same without empty lines: the splits count too */
	buf_reset(&b);
	for (int i = 0; i < 300; i++)
		(void)buf_printf(&b,
		    "Original-Recipient: rfc822; o%d@example.com\n"
		    "Final-Recipient: rfc822; f%d@example.com\n",
		    i, i);
	dsn_parse(a, buf_span(&b), &r);
	CHECK(r.nrecipients == DSN_MAX_RECIPIENTS &&
	        (r.anomalies & DSN_ANOM_TOO_MANY) != 0u &&
	        span_eq_cstr(r.recipients[255].original_recipient,
	            "o255@example.com") &&
	        span_eq_cstr(r.recipients[255].final_recipient,
	            "f255@example.com"),
	    "300 OR/FR pairs without empty lines → 256 pairs kept");

	/* more fields than DSN_MAX_FIELDS in one block */
	buf_reset(&b);
	for (int i = 0; i < 70; i++)
		(void)buf_printf(&b, "X-Field-%d: %d\n", i, i);
	(void)buf_printf(&b,
	    "Reporting-MTA: dns; last.example\n\n"
	    "Final-Recipient: rfc822; a@example.com\n");
	dsn_parse(a, buf_span(&b), &r);
	CHECK(r.nfields == DSN_MAX_FIELDS &&
	        (r.anomalies & DSN_ANOM_TOO_MANY) != 0u,
	    "71 per-message fields → %d listed, DSN_ANOM_TOO_MANY (%zu)",
	    DSN_MAX_FIELDS, r.nfields);
	CHECK_STR(str(a, r.reporting_mta), "last.example",
	    "a known field past the list limit still fills its member");
	CHECK(r.nrecipients == 1, "the recipient after a full block parses");
	buf_clear(&b);
	arena_free(a);
}

static void
test_empty(void)
{
	struct arena *a = arena_new();
	struct dsn_report r;
	static const char *const in[] = { "", "\n", "\n\n  \r\n\t\n\r\n",
		"   \t  ", NULL };

	dsn_parse(a, SPAN_NULL, &r);
	CHECK(r.nrecipients == 0 && r.nfields == 0 &&
	        r.anomalies == DSN_ANOM_NO_RECIPIENT && r.recipients == NULL,
	    "SPAN_NULL: nothing, DSN_ANOM_NO_RECIPIENT");
	for (size_t i = 0; in[i] != NULL; i++) {
		parse(a, in[i], &r);
		CHECK(r.nrecipients == 0 && r.nfields == 0 &&
		        r.anomalies == DSN_ANOM_NO_RECIPIENT,
		    "blank input %zu: nothing, DSN_ANOM_NO_RECIPIENT (0x%x)", i,
		    r.anomalies);
	}
	parse(a, "Reporting-MTA: dns; lonely.example\n\n", &r);
	CHECK(r.nrecipients == 0 && r.nfields == 1 &&
	        r.anomalies == DSN_ANOM_NO_RECIPIENT,
	    "per-message block only: DSN_ANOM_NO_RECIPIENT");
	CHECK(dsn_field_get(NULL, 0, "Status").ptr == NULL,
	    "dsn_field_get on an empty list");
	arena_free(a);
}

static void
test_nul(void)
{
	struct arena *a = arena_new();
	struct dsn_report r;
	static const char in[] = "Final-Recipient: rfc822; a\0b@example.com\n"
	                         "Sta\0tus: 5.1.1\n"
	                         "Status: 5.1.1\n";

	dsn_parse(a, span_make(in, sizeof(in) - 1), &r);
	CHECK(r.nrecipients == 1 && r.recipients[0].final_recipient.len == 15 &&
	        memcmp(r.recipients[0].final_recipient.ptr, "a\0b@example.com",
	            15) == 0,
	    "NUL inside a value is kept as a byte");
	CHECK(r.nrecipients == 1 &&
	        span_eq_cstr(r.recipients[0].status, "5.1.1") &&
	        (r.anomalies & DSN_ANOM_BAD_LINE) != 0u,
	    "NUL inside a name makes a bad line");
	arena_free(a);
}

static uint64_t
test_rng(uint64_t *s)
{
	/* xorshift64: reproducible, no rand() (house style §6) */
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* sane - the structural limits hold, every span fits the input size */
static bool
sane(const struct dsn_report *r, size_t len)
{
	if (r->nrecipients > DSN_MAX_RECIPIENTS || r->nfields > DSN_MAX_FIELDS)
		return false;
	for (size_t i = 0; i < r->nfields; i++) {
		if (r->fields[i].name.len == 0 || r->fields[i].value.len > len)
			return false;
	}
	for (size_t i = 0; i < r->nrecipients; i++) {
		const struct dsn_recipient *p = &r->recipients[i];

		if (p->nfields > DSN_MAX_FIELDS || p->nfields == 0 ||
		    p->diagnostic_code.len > len || p->status.len > len)
			return false;
		for (size_t j = 0; j < p->nfields; j++) {
			if (p->fields[j].value.len > len)
				return false;
		}
	}
	return true;
}

static void
test_random(void)
{
	static const char *const tok[] = { "Final-Recipient",
		"Original-Recipient", "Status", "Action", "Reporting-MTA",
		"Diagnostic-Code", "X-A", ":", ";", " ", "\t", "\n", "\r\n",
		"\n\n", "rfc822", "<", ">", "5.1.1", "\0", "\xff" };
	size_t len = 1u << 20;
	char *in = xmalloc(len);
	uint64_t seed = 0x9e3779b97f4a7c15u;

	for (int round = 0; round < 4; round++) {
		struct arena *a = arena_new();
		struct dsn_report r;
		size_t n = 0;

		if (round < 2) {
			for (size_t i = 0; i < len; i++)
				in[i] = (char)(test_rng(&seed) >> 56);
		} else {
			while (n < len) {
				size_t t = (size_t)(test_rng(&seed) %
				    (sizeof(tok) / sizeof(tok[0])));
				size_t tl = strlen(tok[t]);

				if (tl == 0) /* the "\0" token */
					tl = 1;
				if (tl > len - n)
					tl = len - n;
				memcpy(in + n, tok[t], tl);
				n += tl;
			}
		}
		dsn_parse(a, span_make(in, len), &r);
		CHECK(sane(&r, len),
		    "1 MiB of random %s (round %d): %zu recipients, limits hold",
		    round < 2 ? "bytes" : "DSN tokens", round, r.nrecipients);
		arena_free(a);
	}
	free(in);
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* find_ci - the first case-insensitive occurrence of needle, or -1 */
static long
find_ci(struct span hay, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= hay.len; i++) {
		size_t j = 0;

		while (j < n && lower(hay.ptr[i + j]) == lower(needle[j]))
			j++;
		if (j == n)
			return (long)i;
	}
	return -1;
}

/* next_line - the offset after the line that holds offset i */
static size_t
next_line(struct span s, size_t i)
{
	const char *nl = memchr(s.ptr + i, '\n', s.len - i);

	return nl != NULL ? (size_t)(nl - s.ptr) + 1 : s.len;
}

/*
 * dsn_part - the naive message/delivery-status part: from the line after
 * the first empty line after the Content-Type line, up to a line that
 * starts with "--" (the next boundary).
 */
static struct span
dsn_part(struct span msg)
{
	long at = find_ci(msg, "Content-Type: message/delivery-status");
	size_t i, start, end;

	if (at < 0)
		return SPAN_NULL;
	i = next_line(msg, (size_t)at);
	while (i < msg.len) {
		size_t e = next_line(msg, i);
		bool empty = e - i <= 2 &&
		    (msg.ptr[i] == '\n' || (msg.ptr[i] == '\r' && e - i == 2));

		i = e;
		if (empty)
			break;
	}
	start = end = i;
	while (end < msg.len &&
	    !(msg.len - end >= 2 && msg.ptr[end] == '-' &&
	        msg.ptr[end + 1] == '-'))
		end = next_line(msg, end);
	return span_make(msg.ptr + start, end - start);
}

static bool
read_file(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	char chunk[8192];
	size_t n;
	bool ok = true;

	if (f == NULL)
		return false;
	buf_reset(b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		ok = ok && buf_append(b, chunk, n) == 0;
	(void)fclose(f);
	return ok;
}

/* spot checks on one corpus file with three recipients in RFC order */
static void
corpus_rfc3464_35(struct arena *a, const struct dsn_report *r)
{
	CHECK(r->nrecipients == 3, "rfc3464-35: 3 recipients (%zu)",
	    r->nrecipients);
	if (r->nrecipients != 3)
		return;
	CHECK_STR(str(a, r->recipients[0].status), "5.0.0",
	    "rfc3464-35: \"5.0.0 (permanent failure)\"");
	CHECK_STR(str(a, r->recipients[0].diagnostic_code),
	    "550 'kijitora@nyaan.example.com' is not a registered gateway "
	    "user",
	    "rfc3464-35: folded Diagnostic-Code");
	CHECK_STR(str(a, r->recipients[1].action), "delayed",
	    "rfc3464-35: 2nd Action");
	CHECK_STR(str(a, r->recipients[2].remote_mta), "neko.example.or.jp",
	    "rfc3464-35: 3rd Remote-MTA after Diagnostic-Code");
}

static void
test_corpus(void)
{
	DIR *d = opendir(TEST_CORPUS);
	struct dirent *e;
	struct buf b, miss;
	size_t files = 0, parts = 0, good = 0;

	if (!CHECK(d != NULL, TEST_CORPUS " is readable"))
		return;
	buf_init(&b, 16u << 20);
	buf_init(&miss, 1u << 16);
	while ((e = readdir(d)) != NULL) {
		struct arena *a;
		struct dsn_report r;
		struct span part;
		char path[1024];
		bool found = false;

		if (strncmp(e->d_name, "rfc3464-", 8) != 0 &&
		    strncmp(e->d_name, "lhost-postfix-", 14) != 0)
			continue;
		files++;
		(void)snprintf(path, sizeof(path), "%s/%s", TEST_CORPUS,
		    e->d_name);
		if (!CHECK(read_file(path, &b), "read %s", path))
			continue;
		part = dsn_part(buf_span(&b));
		if (part.ptr == NULL) {
			(void)buf_printf(&miss, " %s(no part)", e->d_name);
			continue;
		}
		parts++;
		a = arena_new();
		dsn_parse(a, part, &r);
		for (size_t i = 0; i < r.nrecipients; i++)
			found = found || r.recipients[i].status.len > 0;
		if (found)
			good++;
		else
			(void)buf_printf(&miss, " %s(no status)", e->d_name);
		if (strcmp(e->d_name, "rfc3464-35.eml") == 0)
			corpus_rfc3464_35(a, &r);
		arena_free(a);
	}
	(void)closedir(d);
	(void)printf("# corpus: %zu files, %zu with a delivery-status part, "
	             "%zu with a recipient status (%.1f%%)\n",
	    files, parts, good,
	    files > 0 ? 100.0 * (double)good / (double)files : 0.0);
	if (miss.len > 0)
		(void)printf("# corpus misses:%s\n", miss.data);
	CHECK(files >= 50, "corpus: %zu rfc3464-/lhost-postfix- files", files);
	CHECK(files > 0 && good * 5 >= files * 4,
	    "corpus: a recipient status in %zu of %zu files (>= 80%%)", good,
	    files);
	buf_clear(&miss);
	buf_clear(&b);
}

int
main(void)
{
	test_postfix();
	test_sendmail();
	test_exchange();
	test_missing_blank();
	test_msg_then_rcpt();
	test_crlf();
	test_untyped();
	test_action_status();
	test_junk();
	test_limits();
	test_empty();
	test_nul();
	test_random();
	test_corpus();
	CHECK(dsn_action_parse("failed") == DSN_ACTION_FAILED &&
	        dsn_action_parse("Delivered") == DSN_ACTION_DELIVERED &&
	        dsn_action_parse("relayed") == DSN_ACTION_RELAYED &&
	        dsn_action_parse("expanded") == DSN_ACTION_EXPANDED &&
	        dsn_action_parse("DELAYED") == DSN_ACTION_DELAYED,
	    "the five actions of RFC 3464 §2.3.3, in any case");
	CHECK(dsn_action_parse(NULL) == DSN_ACTION_NONE &&
	        dsn_action_parse("bounced") == DSN_ACTION_OTHER &&
	        dsn_action_parse("") == DSN_ACTION_OTHER,
	    "no action, and one RFC 3464 does not define");
	return test_done();
}
