/* SPDX-License-Identifier: MIT */
/*
 * test_rules.c - the rule catalog: loading, validation, classification
 *
 * Checks that the shipped catalog loads, covers the reason vocabulary of
 * ../shared/REASONS.md, and that every example of every rule classifies to
 * that very rule; then that broken catalogs are refused with the file and
 * rule named, that a reasons.json without a reason the code or the data
 * names is refused with the file and the name, that the winner order of
 * docs/RULES.md holds, and that a pattern stopped by a pcre2 limit leaves
 * its rule reported as unevaluated rather than as not matching.
 */
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bounce.h"
#include "rules.h"
#include "test.h"
#include "texts.h"
#include "xmalloc.h"

/* vocabulary_check - every reason row of REASONS.md is in reasons.json */
static void
vocabulary_check(const struct ruleset *rs)
{
	FILE *f = fopen("../shared/REASONS.md", "r");
	char line[1024], name[64];
	size_t n = 0;

	if (!CHECK(f != NULL, "../shared/REASONS.md is readable"))
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "| %63[a-z] |", name) != 1 ||
		    strcmp(name, "reason") == 0)
			continue;
		n++;
		CHECK(rules_reason(rs, name) != NULL, "reason %s is defined",
		    name);
	}
	(void)fclose(f);
	CHECK(n >= 34 && n == rules_reason_count(rs),
	    "reasons.json has exactly the %zu reasons of REASONS.md (has %zu)",
	    n, rules_reason_count(rs));
}

/* examples_check - every example classifies to its own rule */
static void
examples_check(const struct ruleset *rs)
{
	size_t total = 0, bad = 0;

	for (size_t i = 0; i < rules_count(rs); i++) {
		const struct rule *r = rules_at(rs, i);

		for (size_t j = 0; j < r->nexamples; j++) {
			struct arena *a = arena_new();
			struct bounce b;
			struct rules_verdict v;
			const char *got;

			bounce_parse(a, span_cstr(r->examples[j]), &b);
			(void)rules_classify(rs, a, b.failures[0].diag,
			    b.failures[0].reply_code, b.failures[0].status, &v);
			got = v.nmatches > 0 ? v.matches[0].rule->id : "(none)";
			total++;
			if (strcmp(got, r->id) != 0) {
				bad++;
				CHECK(false,
				    "example of %s classifies to %s: %s", r->id,
				    got, r->examples[j]);
			}
			arena_free(a);
		}
	}
	CHECK(total > 0 && bad == 0,
	    "%zu of %zu rule examples classify to their own rule", total - bad,
	    total);
}

static void
write_file(const char *dir, const char *name, const char *content)
{
	char path[512];
	FILE *f;

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f == NULL) {
		perror(path);
		exit(1);
	}
	(void)fputs(content, f);
	(void)fclose(f);
}

/* reasons_json - a reasons.json with every reason the code names
 * (reason.h) but omit (NULL: none), after extra ("", or entries each
 * followed by ", ") */
static const char *
reasons_json(const char *omit, const char *extra)
{
	static char out[8192];
	bool first = true;
	size_t n;

	n = (size_t)snprintf(out, sizeof(out),
	    "{\"fix_by\": {\"sender\": {\"en\": \"S\"}, \"sender_admin\": "
	    "{\"en\": \"SA\"}, \"recipient\": {\"en\": \"R\"}, "
	    "\"recipient_admin\": {\"en\": \"RA\"}, \"retry\": {\"en\": "
	    "\"N\"}}, \"verified_steps\": {\"spf_record\": {\"en\": "
	    "\"V\"}}, \"reasons\": {%s",
	    extra);
	for (enum reason k = REASON_NONE + 1; k < REASON_COUNT; k++) {
		if (omit != NULL && strcmp(omit, reason_str(k)) == 0)
			continue;
		n += (size_t)snprintf(out + n, sizeof(out) - n,
		    "%s\"%s\": {\"permanent\": true, \"hard_bounce\": false, "
		    "\"fix_by\": \"sender\", \"text\": {\"en\": {\"title\": "
		    "\"t\", \"summary\": \"s\", \"explanation\": \"e\", "
		    "\"fix\": [\"f\"]}}}",
		    first ? "" : ", ", reason_str(k));
		first = false;
	}
	(void)snprintf(out + n, sizeof(out) - n, "}}");
	if (n + 3 > sizeof(out)) {
		(void)fprintf(stderr, "reasons_json: buffer too small\n");
		exit(1);
	}
	return out;
}

static const char *const minimal_status =
    "{\"classes\": {}, \"subjects\": {}, \"details\": {}}";
static const char *const minimal_reply =
    "{\"classes\": {}, \"categories\": {}, \"codes\": {}}";

/* make_dir_with - a scratch rules directory: these reasons and status
 * codes, and one catalog file */
static char *
make_dir_with(const char *reasons, const char *status, const char *catalog)
{
	static char dir[64];
	char sub[96];

	(void)snprintf(dir, sizeof(dir), "/tmp/bouncedoc-rules-XXXXXX");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	(void)snprintf(sub, sizeof(sub), "%s/catalog", dir);
	(void)mkdir(sub, 0700);
	write_file(dir, "reasons.json", reasons);
	write_file(dir, "status-codes.json", status);
	write_file(dir, "reply-codes.json", minimal_reply);
	{
		char cwd[4096], src[4200], dst[128];

		/* the code's own sentences, as shipped */
		if (getcwd(cwd, sizeof(cwd)) == NULL)
			exit(1);
		(void)snprintf(src, sizeof(src), "%s/rules/messages.json", cwd);
		(void)snprintf(dst, sizeof(dst), "%s/messages.json", dir);
		if (symlink(src, dst) == -1)
			exit(1);
		(void)snprintf(src, sizeof(src), "%s/rules/providers.json",
		    cwd);
		(void)snprintf(dst, sizeof(dst), "%s/providers.json", dir);
		if (symlink(src, dst) == -1)
			exit(1);
	}
	write_file(sub, "test.json", catalog);
	return dir;
}

/* make_dir - a scratch rules directory with one catalog file */
static char *
make_dir(const char *catalog)
{
	return make_dir_with(reasons_json(NULL, ""), minimal_status, catalog);
}

static void
remove_dir(const char *dir)
{
	char cmd[128];

	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	(void)!system(cmd);
}

/* refused - loading this catalog fails with an error that names want */
static void
refused(const char *what, const char *catalog, const char *want)
{
	char *dir = make_dir(catalog), *err = NULL;
	struct ruleset *rs = NULL;
	int r = rules_load(dir, TEST_RULES_FLAGS, &rs, &err);

	CHECK(r == -1 && err != NULL && strstr(err, want) != NULL &&
	        strstr(err, "test.json") != NULL,
	    "%s is refused naming \"%s\" (got: %s)", what, want,
	    err != NULL ? err : "loaded");
	free(err);
	rules_free(rs);
	remove_dir(dir);
}

#define RULE(body) "{\"source\": \"test\", \"rules\": [" body "]}"
#define GOOD       "\"reason\": \"blocked\", \"examples\": [\"x\"]"

static void
refusals(void)
{
	refused("a duplicate id",
	    RULE("{\"id\": \"a\", \"patterns\": [\"x\"], " GOOD "},"
	         "{\"id\": \"a\", \"patterns\": [\"y\"], " GOOD "}"),
	    "rule a: duplicate id");
	refused("an unknown reason",
	    RULE("{\"id\": \"b\", \"patterns\": [\"x\"], \"reason\": "
	         "\"nosuch\", \"examples\": [\"x\"]}"),
	    "unknown reason \"nosuch\"");
	refused("a pattern that does not compile",
	    RULE("{\"id\": \"c\", \"patterns\": [\"(unclosed\"], " GOOD "}"),
	    "rule c: patterns[0] does not compile");
	refused("a priority out of range",
	    RULE(
	        "{\"id\": \"d\", \"patterns\": [\"x\"], \"priority\": 101, " GOOD
	        "}"),
	    "priority");
	refused("a rule without examples",
	    RULE("{\"id\": \"e\", \"patterns\": [\"x\"], \"reason\": "
	         "\"blocked\"}"),
	    "examples");
	refused("an unknown field",
	    RULE("{\"id\": \"f\", \"patterns\": [\"x\"], \"colour\": 1, " GOOD
	         "}"),
	    "unknown field \"colour\"");
	refused("a malformed reply code",
	    RULE("{\"id\": \"g\", \"patterns\": [\"x\"], \"reply_codes\": "
	         "[\"6xx\"], " GOOD "}"),
	    "malformed reply code");
	refused("a malformed status",
	    RULE("{\"id\": \"h\", \"patterns\": [\"x\"], \"status\": "
	         "[\"5.x.1\"], " GOOD "}"),
	    "malformed status");
	refused("a bad id",
	    RULE("{\"id\": \"Bad Id\", \"patterns\": [\"x\"], " GOOD "}"),
	    "\"id\" must match");
	refused("a source that is not the file name",
	    "{\"source\": \"other\", \"rules\": []}", "source");
	refused("a bad fix_by",
	    RULE(
	        "{\"id\": \"i\", \"patterns\": [\"x\"], \"fix_by\": \"me\", " GOOD
	        "}"),
	    "fix_by");
	refused("invalid JSON", "{\"source\": \"test\", \"rules\": [", "line");
	refused("an unknown fix step tag",
	    RULE("{\"id\": \"k\", \"patterns\": [\"x\"], \"reason\": "
	         "\"blocked\", \"examples\": [\"x\"], \"text\": {\"en\": "
	         "{\"fix\": [{\"text\": \"t\", \"tag\": \"nosuch\"}]}}}"),
	    "unknown fix step tag \"nosuch\"");
	refused("a fix step object without text",
	    RULE("{\"id\": \"l\", \"patterns\": [\"x\"], \"reason\": "
	         "\"blocked\", \"examples\": [\"x\"], \"text\": {\"en\": "
	         "{\"fix\": [{\"tag\": \"spf_record\"}]}}}"),
	    "fix[0] must be a non-empty string");
	refused("a rule's unknown mail_from_reason",
	    RULE("{\"id\": \"j\", \"patterns\": [\"x\"], "
	         "\"mail_from_reason\": \"nosuch\", " GOOD "}"),
	    "rule j: \"mail_from_reason\": unknown reason \"nosuch\"");
}

/* refused_reasons - loading with these reasons and status codes fails
 * with an error that names want */
static void
refused_reasons(const char *what, const char *reasons, const char *status,
    const char *want)
{
	char *dir = make_dir_with(reasons, status,
	    RULE("{\"id\": \"a\", \"patterns\": [\"x\"], " GOOD "}"));
	char *err = NULL;
	struct ruleset *rs = NULL;
	int r = rules_load(dir, TEST_RULES_FLAGS, &rs, &err);

	CHECK(r == -1 && err != NULL && strstr(err, want) != NULL,
	    "%s is refused naming \"%s\" (got: %s)", what, want,
	    err != NULL ? err : "loaded");
	free(err);
	rules_free(rs);
	remove_dir(dir);
}

/* missing_reasons - every reason named anywhere must be in reasons.json:
 * one the code decides on (each of reason.h), one a reason or a code
 * table names; loading stops with the file and the name */
static void
missing_reasons(void)
{
	char want[128];

	for (enum reason k = REASON_NONE + 1; k < REASON_COUNT; k++) {
		(void)snprintf(want, sizeof(want),
		    "reasons.json: reasons: no \"%s\" entry", reason_str(k));
		refused_reasons("a reasons.json without a reason of the code",
		    reasons_json(reason_str(k), ""), minimal_status, want);
	}
	refused_reasons("a reason's unknown mail_from_reason",
	    reasons_json(NULL,
	        "\"odd\": {\"permanent\": true, \"hard_bounce\": false, "
	        "\"fix_by\": \"sender\", \"mail_from_reason\": \"nosuch\", "
	        "\"text\": {\"en\": {\"title\": \"t\", \"summary\": \"s\", "
	        "\"explanation\": \"e\", \"fix\": [\"f\"]}}}, "),
	    minimal_status,
	    "reasons.json: reason odd: \"mail_from_reason\": unknown reason "
	    "\"nosuch\"");
	refused_reasons("a failure left to a retry without a permanent form",
	    reasons_json(NULL,
	        "\"odd\": {\"permanent\": false, \"hard_bounce\": false, "
	        "\"fix_by\": \"retry\", \"text\": {\"en\": {\"title\": "
	        "\"t\", \"summary\": \"s\", \"explanation\": \"e\", "
	        "\"fix\": [\"f\"]}}}, "),
	    minimal_status,
	    "reason odd: a failure left to a retry needs "
	    "when_permanent");
	refused_reasons("nobody to act on a failure",
	    reasons_json(NULL,
	        "\"odd\": {\"permanent\": true, \"hard_bounce\": false, "
	        "\"fix_by\": null, \"text\": {\"en\": {\"title\": "
	        "\"t\", \"summary\": \"s\", \"explanation\": \"e\", "
	        "\"fix\": [\"f\"]}}}, "),
	    minimal_status, "reason odd: \"fix_by\" must be sender");
	refused_reasons("no sentence for a verified SPF record",
	    "{\"fix_by\": {\"sender\": {\"en\": \"S\"}, \"sender_admin\": "
	    "{\"en\": \"SA\"}, \"recipient\": {\"en\": \"R\"}, "
	    "\"recipient_admin\": {\"en\": \"RA\"}, \"retry\": {\"en\": "
	    "\"N\"}}, \"reasons\": {}}",
	    minimal_status,
	    "\"verified_steps.spf_record\" needs an \"en\" text");
	refused_reasons("a status code's unknown reason",
	    reasons_json(NULL, ""),
	    "{\"classes\": {}, \"subjects\": {}, \"details\": {\"1.1\": "
	    "{\"rfc\": \"RFC 3463\", \"reason\": \"nosuch\", \"text\": "
	    "{\"en\": {\"title\": \"t\", \"description\": \"d\"}}}}}",
	    "status-codes.json: status X.1.1: unknown reason \"nosuch\"");
}

/* winner - classify text with a scratch catalog; the winner's id */
static const char *
winner(struct ruleset *rs, struct arena *a, const char *text, const char *code,
    const char *status, const char **why)
{
	struct rules_verdict v;

	(void)rules_classify(rs, a, span_cstr(text), code, status, &v);
	*why = v.why != NULL ?
	    texts_render(a, rules_texts(rs), LANG_EN, v.why) :
	    NULL;
	return v.nmatches > 0 ? v.matches[0].rule->id : NULL;
}

static void
ordering(void)
{
	char *dir = make_dir(RULE(
	    "{\"id\": \"low\", \"patterns\": [\"denied\"], \"priority\": 20, " GOOD
	    "},"
	    "{\"id\": \"high\", \"patterns\": [\"access denied\"], "
	    "\"priority\": 70, " GOOD "},"
	    "{\"id\": \"plain\", \"patterns\": [\"refused\"], " GOOD "},"
	    "{\"id\": \"coded\", \"patterns\": [\"refused\"], \"reply_codes\": "
	    "[\"55x\"], " GOOD "},"
	    "{\"id\": \"late\", \"patterns\": [\"omega\"], " GOOD "},"
	    "{\"id\": \"early\", \"patterns\": [\"alpha\"], " GOOD "},"
	    "{\"id\": \"first\", \"patterns\": [\"same\"], " GOOD "},"
	    "{\"id\": \"second\", \"patterns\": [\"same\"], " GOOD "},"
	    "{\"id\": \"only4\", \"patterns\": [\"quota\"], \"status\": "
	    "[\"4.*.*\"], " GOOD "}"));
	struct ruleset *rs = NULL;
	struct arena *a = arena_new();
	char *err = NULL;
	const char *why;

	if (!CHECK(rules_load(dir, TEST_RULES_FLAGS, &rs, &err) == 0,
	        "scratch catalog loads %s", err ? err : ""))
		goto out;
	CHECK_STR(winner(rs, a, "Access denied", NULL, NULL, &why), "high",
	    "higher priority wins");
	CHECK(why != NULL && strstr(why, "highest priority") != NULL,
	    "why names the priority: %s", why);
	CHECK_STR(winner(rs, a, "550 refused", "550", NULL, &why), "coded",
	    "more constraints win a priority tie");
	CHECK_STR(winner(rs, a, "450 refused", "450", NULL, &why), "plain",
	    "a rule whose constraint fails is no candidate");
	CHECK_STR(winner(rs, a, "refused", NULL, NULL, &why), "coded",
	    "a constraint is ignored when the bounce has no such code");
	CHECK_STR(winner(rs, a, "alpha then omega", NULL, NULL, &why), "early",
	    "the earlier match wins a tie");
	CHECK(why != NULL && strstr(why, "earlier") != NULL, "why: %s", why);
	CHECK_STR(winner(rs, a, "omega then alpha", NULL, NULL, &why), "late",
	    "position, not catalog order");
	CHECK_STR(winner(rs, a, "same", NULL, NULL, &why), "first",
	    "catalog order breaks the last tie");
	CHECK_STR(winner(rs, a, "5.2.2 quota", NULL, "5.2.2", &why), NULL,
	    "status constraint 4.*.* refuses 5.2.2");
	CHECK_STR(winner(rs, a, "quota", NULL, "4.2.2", &why), "only4",
	    "status constraint 4.*.* takes 4.2.2");
	CHECK_STR(winner(rs, a, "quota", NULL, "4.0.0", &why), "only4",
	    "X.0.0 says only the class: 4.*.* takes 4.0.0");
	CHECK_STR(winner(rs, a, "quota", NULL, "5.0.0", &why), NULL,
	    "X.0.0 of another class: 4.*.* refuses 5.0.0");
	CHECK_STR(winner(rs, a, "nothing here", NULL, NULL, &why), NULL,
	    "no candidate, no winner");
	CHECK(why == NULL, "no why without a winner");
out:
	free(err);
	rules_free(rs);
	arena_free(a);
	remove_dir(dir);
}

/*
 * pattern_limit - a pattern that backtracks without end on its input is
 * stopped by the match limit ((a|aa)+c), one that nests too deep by the
 * depth limit or, under JIT, the JIT stack ((a|ab)*c). Their rules are
 * reported as unevaluated, in catalog order, not taken for "no match";
 * the other rules are evaluated as usual.
 */
static void
pattern_limit(void)
{
	char *dir = make_dir(RULE(
	    "{\"id\": \"runaway\", \"patterns\": [\"(?:a|aa)+c\"], " GOOD "},"
	    "{\"id\": \"deep\", \"patterns\": [\"(?:a|ab)*c\"], " GOOD "},"
	    "{\"id\": \"plain\", \"patterns\": [\"aaa\"], \"priority\": "
	    "10, " GOOD "}"));
	struct ruleset *rs = NULL;
	struct arena *a = arena_new();
	struct rules_verdict v;
	size_t n = 30000;
	char *err = NULL, *text = xmalloc(n + 4);
	int r;

	memset(text, 'a', n);
	memcpy(text + n, "x c", 4);
	if (!CHECK(rules_load(dir, TEST_RULES_FLAGS, &rs, &err) == 0,
	        "limit catalog loads %s", err != NULL ? err : ""))
		goto out;
	r = rules_classify(rs, a, span_cstr(text), NULL, NULL, &v);
	CHECK(r == -1, "classify says a pattern could not be evaluated");
	if (CHECK(v.nunevaluated == 2, "two rules unevaluated (got %zu)",
	        v.nunevaluated)) {
		CHECK_STR(v.unevaluated[0]->id, "runaway",
		    "the match limit stopped the first");
		CHECK_STR(v.unevaluated[1]->id, "deep",
		    "the depth (or JIT stack) limit stopped the second");
	}
	CHECK(v.nmatches == 1 && strcmp(v.matches[0].rule->id, "plain") == 0,
	    "the other rule still matches (%zu matches)", v.nmatches);
	r = rules_classify(rs, a, span_cstr("aac"), NULL, NULL, &v);
	CHECK(r == 0 && v.nunevaluated == 0 && v.unevaluated == NULL,
	    "a short text is evaluated in full");
	CHECK(v.nmatches == 2 && strcmp(v.matches[0].rule->id, "runaway") == 0,
	    "and both patterns match it (%zu matches)", v.nmatches);
out:
	free(text);
	free(err);
	rules_free(rs);
	arena_free(a);
	remove_dir(dir);
}

static void
code_patterns(void)
{
	CHECK(rules_reply_matches("5xx", "550"), "5xx takes 550");
	CHECK(rules_reply_matches("55x", "554"), "55x takes 554");
	CHECK(!rules_reply_matches("55x", "541"), "55x refuses 541");
	CHECK(rules_reply_matches("421", "421"), "421 takes 421");
	CHECK(!rules_reply_matches("421", "450"), "421 refuses 450");
	CHECK(rules_status_matches("5.7.*", "5.7.26"), "5.7.* takes 5.7.26");
	CHECK(rules_status_matches("5.*.*", "5.1.1"), "5.*.* takes 5.1.1");
	CHECK(!rules_status_matches("5.7.*", "5.1.1"), "5.7.* refuses 5.1.1");
	CHECK(rules_status_matches("4.2.2", "4.2.2"), "exact status");
	CHECK(!rules_status_matches("4.2.2", "4.2.20"), "4.2.2 refuses 4.2.20");
	CHECK(!rules_status_matches("*.1.1", NULL), "class may not be *");
	CHECK(rules_status_matches("5.7.*", NULL), "5.7.* is well formed");
	CHECK(!rules_status_matches("5.7", NULL), "5.7 is malformed");
}

int
main(void)
{
	struct ruleset *rs = NULL;
	char *err = NULL;

	if (CHECK(rules_load("rules", TEST_RULES_FLAGS, &rs, &err) == 0,
	        "the shipped catalog loads: %s", err != NULL ? err : "ok")) {
		CHECK(rules_count(rs) >= 100, "the catalog has %zu rules",
		    rules_count(rs));
		vocabulary_check(rs);
		examples_check(rs);
	}
	free(err);
	rules_free(rs);
	refusals();
	missing_reasons();
	ordering();
	pattern_limit();
	code_patterns();
	return test_done();
}
