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
#include "test.h"

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
		"reply-codes.json" };
	FILE *f;

	(void)snprintf(dir, sizeof(dir), "/tmp/bouncedoc-diag-XXXXXX");
	if (mkdtemp(dir) == NULL || getcwd(cwd, sizeof(cwd)) == NULL)
		exit(1);
	for (size_t i = 0; i < 3; i++) {
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

static struct diag *
run(const struct diag_env *env, const char *text, enum lang l)
{
	return diag_new(env, span_cstr(text), l);
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
	CHECK(strstr(r->decision, "5.1.1") != NULL,
	    "decision names the status: %s", r->decision);
	CHECK(r->hard_bounce, "userunknown is a hard bounce");
	diag_free(d);

	d = run(env, "550 User unknown (in reply to RCPT TO command)", LANG_EN);
	CHECK_STR(d->results[0].reason->name, "userunknown",
	    "unknown user refused at RCPT TO: userunknown");
	CHECK_STR(d->results[0].stage, "rcpt", "stage rcpt");
	diag_free(d);
	d = run(env, "550 User unknown (in reply to end of DATA command)",
	    LANG_EN);
	CHECK_STR(d->results[0].reason->name, "filtered",
	    "the same refused after DATA: filtered");
	CHECK(strstr(d->results[0].decision, "after DATA") != NULL,
	    "decision explains the stage: %s", d->results[0].decision);
	diag_free(d);

	d = run(env, "550 5.2.0 User unknown", LANG_EN);
	CHECK_STR(d->results[0].reason->name, "filtered",
	    "unknown-user wording with X.2.0 (mailbox exists): filtered");
	diag_free(d);
	d = run(env, "550 5.1.1 User unknown", LANG_EN);
	CHECK_STR(d->results[0].reason->name, "userunknown",
	    "the same with 5.1.1: userunknown");
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

	d = run(env, "hello world", LANG_EN);
	r = &d->results[0];
	CHECK_STR(r->reason->name, "undefined", "plain text: undefined");
	CHECK(strstr(r->decision, "not be a bounce") != NULL,
	    "decision says it may not be a bounce: %s", r->decision);
	diag_free(d);

	d = run(env, "  \n\t \r\n", LANG_EN);
	CHECK(bounce_is_empty(&d->bounce),
	    "white space only: nothing to diagnose");
	diag_free(d);
}

static void
languages(const struct diag_env *env)
{
	struct diag *en = run(env, "452 4.2.2 over quota", LANG_EN);
	struct diag *ru = run(env, "452 4.2.2 over quota", LANG_RU);

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
	ru = run(env, "192.0.2.7 is not allowed to send", LANG_RU);
	CHECK(strstr(ru->results[0].title, "SPF says no") == NULL,
	    "ru: reason's Russian title beats the rule's English one");
	diag_free(ru);
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
	}
	free(err);
	rules_free(rs);
	teardown();
	return test_done();
}
