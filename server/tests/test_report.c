/* SPDX-License-Identifier: MIT */
/*
 * test_report.c - unit tests for report.h: the JSON documents of the API
 *
 * Each answer is parsed back with jansson (duplicate keys rejected) and
 * checked for its shape: the members and their order (openapi.yaml),
 * their types, the fields that are null when there is nothing to say,
 * strings that survive any bytes the bounce held, the anomalies, and the
 * cut of long texts at a UTF-8 boundary. Diagnoses come from the shipped
 * rules through diag_new, or are built by hand where no input reaches a
 * path (pcre2 limits, long rule matches); the live SPF check runs
 * against the fixture DNS server on loopback.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "checks.h"
#include "diagrun.h"
#include "diag.h"
#include "dnsfix.h"
#include "evloop.h"
#include "mime.h"
#include "report.h"
#include "resolver.h"
#include "rules.h"
#include "spf.h"
#include "spffix.h"
#include "test.h"
#include "texts.h"

struct env {
	struct ruleset *rs;
	struct diag_env denv;
};

/* parse - text (len bytes) as one JSON document; NULL after a failed
 * check */
static json_t *
parse(const char *text, size_t len, const char *what)
{
	json_error_t err;
	json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	bool ctl = false;

	for (size_t i = 0; i < len; i++)
		ctl = ctl || (unsigned char)text[i] < 0x20;
	CHECK(!ctl, "%s: no raw control character in the JSON text", what);
	CHECK(j != NULL, "%s: one valid JSON document (%s)", what,
	    j == NULL ? err.text : "ok");
	return j;
}

/* render - d (and checks) as the API renders it, parsed */
static json_t *
render(const struct diag *d, const struct check_result *c, size_t nc,
    const char *what)
{
	size_t len = 0;
	char *text = report_diagnosis(d, c, nc, &len);
	json_t *j;

	CHECK(text != NULL && strlen(text) == len,
	    "%s: NUL-terminated, len %zu", what, len);
	j = parse(text, len, what);
	free(text);
	return j;
}

/* keys - does object o have exactly these members, in this order? */
static bool
keys(json_t *o, const char *const *want, const char *what)
{
	const char *k;
	json_t *v;
	size_t i = 0;
	bool ok = json_is_object(o);

	json_object_foreach(o, k, v)
	{
		(void)v;
		ok = ok && want[i] != NULL && strcmp(k, want[i]) == 0;
		i++;
	}
	ok = ok && want[i] == NULL;
	return CHECK(ok, "%s: the members of openapi.yaml, in order", what);
}

static const char *const top_keys[] = { "lang", "input", "results", "entities",
	"checks", "anomalies", NULL };
static const char *const input_keys[] = { "bytes", "lines", "format", NULL };
static const char *const result_keys[] = { "recipient", "reason", "title",
	"permanent", "permanent_source", "hard_bounce", "reply_code",
	"reply_code_info", "status", "status_info", "fix_by", "fix_by_label",
	"rule", "matched_rules", "unevaluated_rules", "decision", "summary",
	"explanation", "fix", "diagnostic", "smtp_stage", "action",
	"remote_mta", NULL };
static const char *const entity_keys[] = { "ips", "domains", "emails", "hosts",
	"blocklists", "urls", "sending_ip", "sender_domain", "remote_host",
	"remote_ip", NULL };
static const char *const match_keys[] = { "id", "source", "reason", "priority",
	"constraints", "position", "matched", "won", NULL };

static const char *
str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static bool
is_null(const json_t *o, const char *key)
{
	return json_is_null(json_object_get(o, key));
}

/* explained - {"title", "description"[, "rfc"]}, strings */
static bool
explained(json_t *o, bool rfc)
{
	static const char *const k2[] = { "title", "description", NULL };
	static const char *const k3[] = { "title", "description", "rfc", NULL };
	const char *const *want = rfc ? k3 : k2;
	const char *k;
	json_t *v;
	size_t i = 0;
	bool ok = json_is_object(o);

	json_object_foreach(o, k, v)
	{
		ok = ok && want[i] != NULL && strcmp(k, want[i]) == 0 &&
		    json_is_string(v) && json_string_length(v) > 0;
		i++;
	}
	return ok && want[i] == NULL;
}

static struct diag *
diagnose(const struct env *e, const char *text, enum lang l)
{
	return diag_new(&e->denv, span_cstr(text), l, 0);
}

static void
test_shape(const struct env *e)
{
	struct diag *d = diagnose(e,
	    "host mx.example.org[192.0.2.25] said: 550 5.1.1 "
	    "<bob@example.org>: Recipient address rejected: User unknown (in "
	    "reply to RCPT TO command)",
	    LANG_EN);
	json_t *j = render(d, NULL, 0, "userunknown"), *r, *m, *ri, *si;

	if (j == NULL)
		goto out;
	keys(j, top_keys, "Diagnosis");
	keys(json_object_get(j, "input"), input_keys, "input");
	CHECK_STR(str(j, "lang"), "en", "lang");
	CHECK(json_integer_value(json_object_get(json_object_get(j, "input"),
	          "bytes")) == (json_int_t)d->bounce.bytes,
	    "input.bytes");
	CHECK_STR(str(json_object_get(j, "input"), "format"), "text",
	    "input.format");
	CHECK(json_array_size(json_object_get(j, "results")) == 1,
	    "one result");
	r = json_array_get(json_object_get(j, "results"), 0);
	keys(r, result_keys, "Result");
	CHECK_STR(str(r, "recipient"), "bob@example.org", "recipient");
	CHECK_STR(str(r, "reason"), "userunknown", "reason");
	CHECK(json_is_true(json_object_get(r, "permanent")), "permanent true");
	CHECK_STR(str(r, "permanent_source"), "status", "permanent_source");
	CHECK(json_is_boolean(json_object_get(r, "hard_bounce")),
	    "hard_bounce is a boolean");
	CHECK_STR(str(r, "smtp_stage"), "rcpt", "smtp_stage");
	CHECK(is_null(r, "action") && is_null(r, "remote_mta"),
	    "pasted text: action and remote_mta null");
	ri = json_object_get(r, "reply_code_info");
	CHECK(json_is_object(ri) && test_streq(str(ri, "code"), "550") &&
	        explained(json_object_get(ri, "class"), false) &&
	        explained(json_object_get(ri, "category"), false) &&
	        explained(json_object_get(ri, "detail"), false),
	    "reply_code_info: code, class, category, detail");
	si = json_object_get(r, "status_info");
	CHECK(json_is_object(si) && test_streq(str(si, "code"), "5.1.1") &&
	        explained(json_object_get(si, "class"), false) &&
	        explained(json_object_get(si, "subject"), false) &&
	        explained(json_object_get(si, "detail"), true),
	    "status_info: code, class, subject, detail with its RFC");
	CHECK(json_is_object(json_object_get(r, "rule")) &&
	        str(json_object_get(r, "rule"), "id") != NULL,
	    "rule: the winner");
	m = json_array_get(json_object_get(r, "matched_rules"), 0);
	keys(m, match_keys, "matched_rules[0]");
	CHECK(json_is_true(json_object_get(m, "won")), "the first match won");
	CHECK(json_is_array(json_object_get(r, "unevaluated_rules")) &&
	        json_array_size(json_object_get(r, "unevaluated_rules")) == 0,
	    "unevaluated_rules: empty array");
	CHECK(json_is_array(json_object_get(r, "fix")) &&
	        json_array_size(json_object_get(r, "fix")) > 0 &&
	        json_is_string(json_array_get(json_object_get(r, "fix"), 0)),
	    "fix: an array of strings");
	keys(json_object_get(j, "entities"), entity_keys, "entities");
	CHECK(json_is_array(
	          json_object_get(json_object_get(j, "entities"), "ips")),
	    "entities.ips is an array");
	CHECK_STR(str(json_object_get(j, "entities"), "remote_ip"),
	    "192.0.2.25", "entities.remote_ip");
	CHECK(json_is_object(json_object_get(j, "checks")) &&
	        json_object_size(json_object_get(j, "checks")) == 0,
	    "no checks ran: checks is {}");
	CHECK(json_is_array(json_object_get(j, "anomalies")) &&
	        json_array_size(json_object_get(j, "anomalies")) == 0,
	    "anomalies: empty array");
out:
	json_decref(j);
	diag_free(d);
}

/* what is no failure has null where a failure has values */
static void
test_nullable(const struct env *e)
{
	struct diag *d = diagnose(e, "Hi Anna, are we still on for Thursday?",
	    test_lang_of(texts_langs(rules_texts(e->rs)), "ru"));
	json_t *j = render(d, NULL, 0, "ordinary text"), *r;

	if (j == NULL)
		goto out;
	CHECK_STR(str(j, "lang"), "ru", "lang ru");
	r = json_array_get(json_object_get(j, "results"), 0);
	CHECK(is_null(r, "permanent"), "no failure: permanent null");
	CHECK(is_null(r, "permanent_source"), "no failure: source null");
	CHECK(json_is_false(json_object_get(r, "hard_bounce")),
	    "no failure: hard_bounce false");
	CHECK(is_null(r, "recipient"), "recipient null");
	CHECK(is_null(r, "reply_code") && is_null(r, "reply_code_info"),
	    "no reply code: reply_code and reply_code_info null");
	CHECK(is_null(r, "status") && is_null(r, "status_info"),
	    "no status: status and status_info null");
	CHECK(is_null(r, "fix_by") && is_null(r, "fix_by_label"),
	    "nobody must act: fix_by and fix_by_label null");
	CHECK(is_null(r, "rule"), "no rule matched: rule null");
	CHECK(json_array_size(json_object_get(r, "matched_rules")) == 0,
	    "no rule matched: matched_rules []");
	CHECK(is_null(r, "smtp_stage"), "smtp_stage null");
	CHECK(is_null(json_object_get(j, "entities"), "sending_ip") &&
	        is_null(json_object_get(j, "entities"), "sender_domain") &&
	        is_null(json_object_get(j, "entities"), "remote_host") &&
	        is_null(json_object_get(j, "entities"), "remote_ip"),
	    "entities: the single values null");
	CHECK(str(r, "title") != NULL && str(r, "summary") != NULL &&
	        str(r, "explanation") != NULL && str(r, "decision") != NULL,
	    "the texts are there");
out:
	json_decref(j);
	diag_free(d);
}

static void
test_codes_unknown(const struct env *e)
{
	/* a reply code and a status the code tables do not describe */
	struct diag *d = diagnose(e, "559 5.9.9 no such thing", LANG_EN);
	json_t *j = render(d, NULL, 0, "unknown codes"), *r, *ri, *si;

	if (j == NULL)
		goto out;
	r = json_array_get(json_object_get(j, "results"), 0);
	CHECK_STR(str(r, "reply_code"), "559", "559: reply_code kept");
	ri = json_object_get(r, "reply_code_info");
	CHECK(json_is_object(ri) && json_is_null(json_object_get(ri, "detail")),
	    "559: class and category known, detail null");
	CHECK_STR(str(r, "status"), "5.9.9", "5.9.9: status kept");
	si = json_object_get(r, "status_info");
	CHECK(json_is_object(si) &&
	        explained(json_object_get(si, "class"), false) &&
	        json_is_null(json_object_get(si, "subject")) &&
	        json_is_null(json_object_get(si, "detail")),
	    "5.9.9: class known, subject and detail null");
out:
	json_decref(j);
	diag_free(d);
}

static void
test_message_kinds(const struct env *e)
{
	static const char arf[] =
	    "From: abuse@isp.example.net\n"
	    "To: fbl@example.com\n"
	    "Subject: report\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: multipart/report; report-type=feedback-report; "
	    "boundary=\"F\"\n\n"
	    "--F\n"
	    "Content-Type: message/feedback-report\n\n"
	    "Feedback-Type: abuse\n"
	    "Original-Rcpt-To: one@isp.example.net\n\n"
	    "--F--\n";
	static const char *const fb_keys[] = { "bytes", "lines", "format",
		"feedback_type", NULL };
	struct diag *d = diagnose(e, arf, LANG_EN);
	json_t *j = render(d, NULL, 0, "feedback report"), *r;

	if (j == NULL)
		goto out;
	keys(json_object_get(j, "input"), fb_keys,
	    "input of a feedback report");
	CHECK_STR(str(json_object_get(j, "input"), "format"), "feedback",
	    "input.format feedback");
	CHECK_STR(str(json_object_get(j, "input"), "feedback_type"), "abuse",
	    "input.feedback_type");
	r = json_array_get(json_object_get(j, "results"), 0);
	CHECK(is_null(r, "permanent") && test_streq(str(r, "fix_by"), "sender"),
	    "a complaint: no permanence, the sender acts");
out:
	json_decref(j);
	diag_free(d);
}

/* strings: whatever the bounce held comes back as it was (after the
 * sanitiser), and the document stays valid */
static void
test_escaping(const struct env *e)
{
	static const char hostile[] =
	    "550 5.1.1 \"quoted\" back\\slash </script><b>x</b> "
	    "\xe2\x80\xa8\xe2\x80\xa9 \xf0\x9f\x93\xa7 tab\there\x01\x1f\x7f "
	    "{\"k\": [1]} \xff end";
	struct diag *d = diagnose(e, hostile, LANG_EN);
	json_t *j = render(d, NULL, 0, "hostile"), *r, *an;
	const char *diag;

	if (j == NULL)
		goto out;
	r = json_array_get(json_object_get(j, "results"), 0);
	diag = str(r, "diagnostic");
	CHECK(diag != NULL && d->results[0].diagnostic.len == strlen(diag) &&
	        memcmp(diag, d->results[0].diagnostic.ptr, strlen(diag)) == 0,
	    "the diagnostic round-trips byte for byte (%s)",
	    diag != NULL ? diag : "(null)");
	CHECK(diag != NULL && strstr(diag, "\"quoted\" back\\slash") != NULL &&
	        strstr(diag, "</script>") != NULL &&
	        strstr(diag, "\xe2\x80\xa8") != NULL &&
	        strstr(diag, "\xf0\x9f\x93\xa7") != NULL,
	    "quotes, backslashes, markup, U+2028 and 4-byte UTF-8 kept");
	an = json_object_get(j, "anomalies");
	CHECK(json_array_size(an) == 2 &&
	        test_streq(json_string_value(json_array_get(an, 0)),
	            "repaired_utf8") &&
	        test_streq(json_string_value(json_array_get(an, 1)),
	            "control_characters"),
	    "anomalies: repaired_utf8, control_characters");
out:
	json_decref(j);
	diag_free(d);
}

/* valid_utf8 - is s (n bytes) valid UTF-8 (jansson's own check)? */
static bool
valid_utf8(const char *s, size_t n)
{
	json_t *v = json_stringn(s, n);
	bool ok = v != NULL;

	json_decref(v);
	return ok;
}

/* the diagnostic is cut at 2000 bytes, never inside a character */
static void
test_cut(const struct env *e)
{
	char text[4096];

	for (int odd = 0; odd < 2; odd++) {
		size_t o = (size_t)snprintf(text, sizeof(text), "550 5.1.1 %s",
		    odd ? "x" : "");
		struct diag *d;
		json_t *j;
		const char *diag;
		size_t n;

		/* "я" is two bytes: the 2000th byte ends one or starts one */
		while (o + 3 < sizeof(text)) {
			memcpy(text + o, "\xd1\x8f", 2);
			o += 2;
		}
		text[o] = '\0';
		d = diagnose(e, text, LANG_EN);
		j = render(d, NULL, 0, "a long diagnostic");
		diag = str(json_array_get(json_object_get(j, "results"), 0),
		    "diagnostic");
		n = diag != NULL ? strlen(diag) : 0;
		CHECK(d->results[0].diagnostic.len > 2000 &&
		        n == (odd ? 1999u : 2000u),
		    "%zu bytes of diagnostic: %zu shown, cut %s a character",
		    d->results[0].diagnostic.len, n, odd ? "before" : "after");
		CHECK(diag != NULL && valid_utf8(diag, n) &&
		        memcmp(diag, d->results[0].diagnostic.ptr, n) == 0,
		    "the cut diagnostic is the start of the text, valid UTF-8");
		json_decref(j);
		diag_free(d);
	}
}

/* a diagnosis made by hand: what no input reaches */
static void
test_by_hand(const struct env *e)
{
	static char text[1024];
	static const char *ips[] = { "192.0.2.1", "198.51.100.\"2\"" };
	struct rules_match m[2];
	const struct rule *un[1];
	struct diag_result res[2];
	const char *fix[] = { "step \"one\"", "step\ntwo" };
	struct diag d;
	json_t *j, *r, *an, *ex;
	size_t o = 0;

	/* a match longer than the 200 bytes shown, Cyrillic at the cut */
	text[o++] = 'x';
	while (o + 2 < sizeof(text)) {
		memcpy(text + o, "\xd1\x8f", 2);
		o += 2;
	}
	text[o] = '\0';
	memset(&d, 0, sizeof(d));
	memset(res, 0, sizeof(res));
	d.arena = arena_new();
	d.env = &e->denv;
	d.lang = LANG_EN;
	d.bounce.kind = BOUNCE_KIND_DSN;
	d.bounce.anomalies = BOUNCE_ANOM_UTF8 | BOUNCE_ANOM_CONTROL |
	    BOUNCE_ANOM_TRUNCATED | BOUNCE_ANOM_ENTITIES | BOUNCE_ANOM_MIME |
	    BOUNCE_ANOM_TOO_LONG;
	d.bounce.ent.ips.v = ips;
	d.bounce.ent.ips.n = 2;
	d.bounce.ent.sending_ip = "192.0.2.1";
	m[0] = (struct rules_match){ rules_at(e->rs, 0), 0, o };
	m[1] = (struct rules_match){ rules_at(e->rs, 1), 1, 4 };
	un[0] = rules_at(e->rs, 2);
	for (size_t i = 0; i < 2; i++) {
		res[i].reason = rules_reason_of(e->rs, REASON_USERUNKNOWN);
		res[i].failure = true;
		res[i].permanent = i == 0;
		res[i].permanent_source = DIAG_PERM_REPLY;
		res[i].title = "t";
		res[i].summary = "s";
		res[i].explanation = "e";
		res[i].decision = texts_msg_new(d.arena, "why.only");
		res[i].fix = fix;
		res[i].nfix = 2;
		res[i].diagnostic = span_make(text, o);
		res[i].verdict.unevaluated = un;
		res[i].verdict.nunevaluated = 1;
	}
	res[0].recipient = "a\"b\\c@example.org";
	res[0].rule = m[0].rule;
	res[0].verdict.matches = m;
	res[0].verdict.nmatches = 2;
	res[0].stage = SMTPTEXT_STAGE_DATA;
	res[0].action = DSN_ACTION_FAILED;
	res[0].action_text = "failed";
	res[0].remote_mta = "mx.example.org";
	d.results = res;
	d.nresults = 2;
	j = render(&d, NULL, 0, "a diagnosis by hand");
	if (j == NULL)
		return;
	CHECK_STR(str(json_object_get(j, "input"), "format"), "dsn",
	    "input.format dsn");
	an = json_object_get(j, "anomalies");
	CHECK(json_array_size(an) == 7,
	    "every anomaly, pattern_limit once (%zu)", json_array_size(an));
	{
		static const char *const names[] = { "repaired_utf8",
			"control_characters", "text_truncated",
			"too_many_entities", "malformed_mime",
			"entity_too_long", "pattern_limit" };
		bool ok = true;

		for (size_t i = 0; i < 7; i++)
			ok = ok &&
			    test_streq(json_string_value(json_array_get(an, i)),
			        names[i]);
		CHECK(ok, "anomalies: the flags' names, in order");
	}
	r = json_array_get(json_object_get(j, "results"), 0);
	CHECK_STR(str(r, "recipient"), "a\"b\\c@example.org",
	    "a recipient with quotes and backslashes");
	CHECK(json_is_true(json_object_get(r, "permanent")) &&
	        json_is_false(json_object_get(json_array_get(json_object_get(j,
	                                                         "results"),
	                                          1),
	            "permanent")),
	    "permanent true and false");
	CHECK_STR(str(r, "permanent_source"), "reply_code",
	    "permanent_source reply_code");
	CHECK_STR(str(r, "decision"), "the only rule whose wording matched",
	    "the decision, a message, in words");
	CHECK_STR(str(r, "smtp_stage"), "data", "smtp_stage");
	CHECK_STR(str(r, "action"), "failed", "action");
	CHECK_STR(str(r, "remote_mta"), "mx.example.org", "remote_mta");
	CHECK(json_array_size(json_object_get(r, "fix")) == 2 &&
	        test_streq(json_string_value(
	                       json_array_get(json_object_get(r, "fix"), 1)),
	            "step\ntwo"),
	    "fix steps as given, newline escaped and back");
	CHECK(json_array_size(json_object_get(r, "unevaluated_rules")) == 1 &&
	        test_streq(json_string_value(
	                       json_array_get(json_object_get(r,
	                                          "unevaluated_rules"),
	                           0)),
	            un[0]->id),
	    "unevaluated_rules: the rule ids");
	ex = json_object_get(json_array_get(json_object_get(r, "matched_rules"),
	                         0),
	    "matched");
	CHECK(json_string_length(ex) == 199 &&
	        memcmp(json_string_value(ex), text, 199) == 0,
	    "a long match: 200 bytes at most, cut before a character (%zu)",
	    json_string_length(ex));
	CHECK(json_integer_value(
	          json_object_get(json_array_get(json_object_get(r,
	                                             "matched_rules"),
	                              1),
	              "position")) == 1 &&
	        json_is_false(
	            json_object_get(json_array_get(json_object_get(r,
	                                               "matched_rules"),
	                                1),
	                "won")),
	    "the second match: its position, did not win");
	CHECK(is_null(json_array_get(json_object_get(j, "results"), 1), "rule"),
	    "no winner: rule null");
	CHECK_STR(json_string_value(
	              json_array_get(json_object_get(json_object_get(j,
	                                                 "entities"),
	                                 "ips"),
	                  1)),
	    "198.51.100.\"2\"", "entity lists escaped");
	json_decref(j);
	arena_free(d.arena);
}

/* the SpfCheck object of GET /api/v1/spf */
static void
test_spf(const struct env *e)
{
	const struct texts *tx = rules_texts(e->denv.rules);
	struct arena *a = arena_new();
	static const char *const spf_keys[] = { "status", "ip", "ptr", "domain",
		"result", "reason", "explanation", "record", "decisive_term",
		"lookups", "void_lookups", "trace", "fix", NULL };
	static const char *const spf_keys_all[] = { "status",
		"not_checked_reason", "ip", "ptr", "sender", "domain", "helo",
		"result", "reason", "explanation", "record", "decisive_term",
		"lookups", "void_lookups", "trace", "fix", NULL };
	static const char *const fix_keys[] = { "domain", "record", "added",
		"provider", "result_after", "why", "warning", "lookups_after",
		NULL };
	struct spf_query q = { 0 };
	struct spf_outcome o = { 0 };
	struct spf_trace_step t[2];
	struct spffix fix = { 0 };
	size_t len;
	char *text;
	json_t *j, *tr;

	q.ip = "192.0.2.7";
	o.result = SPF_FAIL;
	o.domain = "example.com";
	o.reason =
	    texts_msg_arg(texts_msg_arg(texts_msg_new(a, "spf.reason.ends_in"),
	                      "term", "-all"),
	        "ip", "192.0.2.7");
	text = report_spf(tx, LANG_EN, &q, &o, NULL, NULL, NULL, &len);
	j = parse(text, len, "SpfCheck");
	free(text);
	if (j != NULL) {
		keys(j, spf_keys, "SpfCheck");
		CHECK_STR(str(j, "status"), "checked", "status checked");
		CHECK_STR(str(j, "result"), "fail", "result fail");
		CHECK(is_null(j, "ptr") && is_null(j, "record") &&
		        is_null(j, "explanation") &&
		        is_null(j, "decisive_term") && is_null(j, "fix"),
		    "nothing known: null");
		CHECK(json_array_size(json_object_get(j, "trace")) == 0,
		    "no trace: []");
		CHECK_STR(str(j, "reason"),
		    "the record ends in \"-all\" and no earlier term matched "
		    "192.0.2.7",
		    "reason, a message in words");
	}
	json_decref(j);

	memset(t, 0, sizeof(t));
	t[0] = (struct spf_trace_step){ 0, "example.com",
		"include:_spf.example.net", 7, 24, "TXT _spf.example.net",
		texts_msg_arg(texts_msg_new(a, "spf.found.void"), "status",
		    "NXDOMAIN"),
		SPF_TERM_NO_MATCH, 1, 0 };
	t[1] = (struct spf_trace_step){ 0, "example.com", "-all", 32, 4, NULL,
		NULL, SPF_TERM_MATCH, 1, 0 };
	o.record = "v=spf1 include:_spf.example.net -all";
	o.explanation = "192.0.2.7 is not allowed";
	o.decisive = &t[1];
	o.trace = t;
	o.ntrace = 2;
	o.lookups = 1;
	q.sender = "news@example.com";
	q.helo = "mail.example.com";
	fix = (struct spffix){ .domain = "example.com",
		.record = "v=spf1 include:_spf.example.net ip4:192.0.2.7 -all",
		.added = "ip4:192.0.2.7",
		.verified = true,
		.result_after = SPF_PASS,
		.lookups_after = 1 };
	fix.why = texts_msg_arg(texts_msg_arg(texts_msg_new(a,
	                                          "spffix.change.replaced"),
	                            "from", "a"),
	    "to", "b");
	text = report_spf(tx, LANG_EN, &q, &o,
	    texts_msg_new(a, "dns.unchecked.deadline"), &fix,
	    "mail.example.com", &len);
	j = parse(text, len, "SpfCheck, every member");
	free(text);
	if (j == NULL) {
		arena_free(a);
		return;
	}
	keys(j, spf_keys_all, "SpfCheck with sender, helo and a reason");
	CHECK_STR(str(j, "status"), "not_checked", "status not_checked");
	CHECK_STR(str(j, "not_checked_reason"),
	    "the DNS deadline of this diagnosis passed", "not_checked_reason");
	CHECK_STR(str(json_array_get(json_object_get(j, "trace"), 0), "found"),
	    "NXDOMAIN (void lookup)", "trace found, a message in words");
	CHECK_STR(str(json_object_get(j, "fix"), "why"), "\"a\" → \"b\"",
	    "fix why, a message in words");
	CHECK(json_integer_value(
	          json_object_get(json_object_get(j, "decisive_term"),
	              "offset")) == 32,
	    "decisive_term.offset");
	tr = json_object_get(j, "trace");
	CHECK(json_array_size(tr) == 2 &&
	        test_streq(str(json_array_get(tr, 0), "outcome"), "no-match") &&
	        test_streq(str(json_array_get(tr, 1), "outcome"), "match") &&
	        is_null(json_array_get(tr, 1), "lookup"),
	    "trace: the steps, outcomes as strings, null lookups");
	keys(json_object_get(j, "fix"), fix_keys, "SpfFix");
	CHECK(is_null(json_object_get(j, "fix"), "provider") &&
	        is_null(json_object_get(j, "fix"), "warning"),
	    "SpfFix: provider and warning null");
	json_decref(j);
	arena_free(a);
}

static void
test_problem(void)
{
	static const char *const problem_keys[] = { "type", "code", "title",
		"status", "detail", NULL };
	size_t len;
	char *text = report_problem("invalid-json", "Invalid \"JSON\"", 400,
	    "line 1: unexpected '}'", &len);
	json_t *j = parse(text, len, "Problem");

	free(text);
	if (j != NULL) {
		keys(j, problem_keys, "Problem");
		CHECK_STR(str(j, "type"), "urn:bouncedoc:problem:invalid-json",
		    "Problem.type");
		CHECK_STR(str(j, "title"), "Invalid \"JSON\"", "Problem.title");
		CHECK(json_integer_value(json_object_get(j, "status")) == 400,
		    "Problem.status");
	}
	json_decref(j);
	text = report_problem("not-found", "Not found", 404, NULL, &len);
	j = parse(text, len, "Problem without detail");
	free(text);
	CHECK(j != NULL && is_null(j, "detail"), "Problem.detail null");
	json_decref(j);
}

struct wait {
	struct evloop *loop;
	bool done;
};

static void
run_done(struct diagrun *run, void *arg)
{
	struct wait *w = arg;

	(void)run;
	w->done = true;
	evloop_stop(w->loop);
}

/* the live SPF check: its object under checks, and the verified record
 * as the first fix step in place of the steps tagged spf_record */
static void
test_checks(const struct env *e)
{
	struct evloop *loop = evloop_new();
	struct dnsfix_zone *z;
	struct dnsfix *fix;
	struct resolver *res = NULL;
	struct diagrun_env re;
	struct check_env ce = { e->rs, NULL, NULL };
	struct diagrun_opts ro;
	struct diagrun *run = NULL;
	const struct check_result *cr = NULL;
	const struct diag *d;
	const char *text =
	    "550 5.7.1 192.0.2.7 is not allowed to send mail from example.com";
	struct wait w = { loop, false };
	json_t *j = NULL, *r, *steps, *spf;
	size_t tagged = 0, nc = 0;

	if ((fix = test_dnsfix_new(loop)) == NULL)
		goto out;
	z = dnsfix_zone_new();
	(void)dnsfix_add_txt(z, "example.com", 300,
	    "v=spf1 ip4:198.51.100.0/24 -all");
	dnsfix_set_zone(fix, &z);
	if ((res = test_resolver_for(loop, fix, 1000, 1)) == NULL)
		goto out;
	re = (struct diagrun_env){ &e->denv, { loop, res, 50, NULL }, &ce };
	memset(&ro, 0, sizeof(ro));
	ro.lang = LANG_EN;
	ro.deadline_ms = 5000;
	(void)checks_parse("auto", &ro.checks);
	run = diagrun_start(&re, span_cstr(text), &ro, run_done, &w);
	if (!diagrun_is_done(run))
		(void)evloop_run_for(loop, 10000);
	if (diagrun_is_done(run))
		cr = diagrun_checks(run, &nc);
	/* SPF first in the table; DMARC runs beside it */
	if (!CHECK(cr != NULL && nc >= 1 && cr[0].verified_step != NULL,
	        "the SPF check ran and verified its fix"))
		goto out;
	d = diagrun_diag(run);
	j = render(d, cr, nc, "with the SPF check");
	if (j == NULL)
		goto out;
	spf = json_object_get(json_object_get(j, "checks"), "spf");
	CHECK(json_is_object(spf) && test_streq(str(spf, "result"), "fail") &&
	        test_streq(str(json_object_get(spf, "fix"), "record"),
	            "v=spf1 ip4:198.51.100.0/24 ip4:192.0.2.7 -all"),
	    "checks.spf: the result and the fix");
	r = json_array_get(json_object_get(j, "results"), 0);
	steps = json_object_get(r, "fix");
	for (size_t i = 0; i < d->results[0].nfix; i++)
		tagged += d->results[0].fix_tags != NULL &&
		    test_streq(d->results[0].fix_tags[i], "spf_record");
	CHECK(tagged > 0, "the catalog's SPF steps are tagged spf_record");
	CHECK(json_array_size(steps) == d->results[0].nfix - tagged + 1,
	    "fix: the tagged steps replaced by one (%zu of %zu)",
	    json_array_size(steps), d->results[0].nfix);
	CHECK_STR(json_string_value(json_array_get(steps, 0)),
	    cr[0].verified_step, "fix[0]: the verified record");
	for (size_t i = 0, k = 1; i < d->results[0].nfix; i++) {
		const char *got;

		if (d->results[0].fix_tags != NULL &&
		    test_streq(d->results[0].fix_tags[i], "spf_record"))
			continue;
		got = json_string_value(json_array_get(steps, k++));
		CHECK_STR(got, d->results[0].fix[i],
		    "an untagged step stays, in order");
	}
out:
	json_decref(j);
	diagrun_free(run);
	resolver_free(res);
	dnsfix_free(fix);
	evloop_free(loop);
}

int
main(void)
{
	struct env e;
	char *err = NULL;

	if (rules_load("rules", TEST_RULES_FLAGS, &e.rs, &err) == -1) {
		CHECK(false, "rules_load: %s", err);
		free(err);
		return test_done();
	}
	e.denv.rules = e.rs;
	e.denv.mime = mime_decoder_new();
	test_shape(&e);
	test_nullable(&e);
	test_codes_unknown(&e);
	test_message_kinds(&e);
	test_escaping(&e);
	test_cut(&e);
	test_by_hand(&e);
	test_spf(&e);
	test_problem();
	test_checks(&e);
	mime_decoder_free(e.denv.mime);
	rules_free(e.rs);
	return test_done();
}
