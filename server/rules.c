/* SPDX-License-Identifier: MIT */
/*
 * rules.c - load the rule catalog and classify diagnostic texts
 *
 * Everything is loaded and checked at start-up; a bad file stops the
 * service with the file, the rule id and the reason, and so does a reason
 * that something names but reasons.json lacks. Patterns are compiled once
 * with JIT; each evaluation uses one match-data block and a match context
 * with match and depth limits, so a hostile text cannot make a pattern run
 * away; a pattern stopped at a limit is reported in the verdict, never
 * taken for "no match". pcre2 allocates through xmalloc: running out of
 * memory is fatal here as everywhere (house style §6), so no pcre2 call
 * returns NULL for want of memory. The only file that includes <pcre2.h>.
 * Not here: extracting codes and entities from the text (bounce.c,
 * extract.c); turning a verdict into a diagnosis (diag.c).
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include "rules.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#include "jsonload.h"
#include "log.h"
#include "mailprov.h"
#include "prefilter.h"
#include "texts.h"
#include "xmalloc.h"

#define RULES_MATCH_LIMIT 200000
#define RULES_DEPTH_LIMIT 5000
#define RULES_MAX_ID      64

static const char *const rules_fix_by_values[] = { "sender", "sender_admin",
	"recipient", "recipient_admin", "retry" };
#define RULES_NFIX_BY 5

/* The tags a fix step may carry (struct lsteps): each names the kind of
 * step a live check can verify, and reasons.json's "verified_steps" has
 * the sentence that replaces such steps when one did. */
static const char *const rules_step_tags[] = { "spf_record" };
#define RULES_NSTEP_TAGS 1

/*
 * A pattern can only match a text that contains its literals (folded, see
 * prefilter.h): one prefilter scan of the text names the few patterns
 * worth running, and the rules they belong to. always: no literal is
 * required, always run.
 */
struct rules_pattern {
	pcre2_code *re;
	uint32_t id; /* index in the prefilter's hit table */
	bool always; /* no literal set: always run */
};

struct rules_compiled {
	struct rules_pattern *pat;
	size_t npat;
};

struct ruleset {
	struct arena *arena;
	struct texts *texts; /* every text, by message id, translated */
	struct codes *codes;
	struct mailprov_table providers; /* providers.json, in arena */
	struct rules_reason *reasons;
	size_t nreasons;
	const struct rules_reason *known[REASON_COUNT]; /* by reason.h */
	struct ltext fix_by_labels[RULES_NFIX_BY];
	struct ltext verified_steps[RULES_NSTEP_TAGS];
	struct rule *rules;
	struct rules_compiled *compiled;
	size_t nrules, caprules;
	pcre2_general_context *gctx; /* xmalloc for every pcre2 allocation */
	pcre2_compile_context *cctx;
	pcre2_match_context *mctx;
	unsigned flags;
	struct prefilter *prefilter;
	uint32_t npatterns;
	size_t *pattern_rule; /* the rule of each pattern id */
	size_t *always_rules; /* rules with a pattern that always runs */
	size_t nalways;
};

/* rules_loadctx - what the loader carries while reading one file */
struct rules_loadctx {
	struct ruleset *rs;
	unsigned flags;
	const char *file;
	char **err_out;
};

static void *
rules_pcre2_alloc(PCRE2_SIZE size, void *arg)
{
	(void)arg;
	return xmalloc(size);
}

static void
rules_pcre2_free(void *p, void *arg)
{
	(void)arg;
	free(p);
}

static int
rules_step_tag_index(const char *s)
{
	for (int i = 0; i < RULES_NSTEP_TAGS; i++) {
		if (strcmp(s, rules_step_tags[i]) == 0)
			return i;
	}
	return -1;
}

static int
rules_fix_by_index(const char *s)
{
	for (int i = 0; i < RULES_NFIX_BY; i++) {
		if (strcmp(s, rules_fix_by_values[i]) == 0)
			return i;
	}
	return -1;
}

/* rules_texts_ctx - where the texts of the file being read go */
static struct jsonload_texts
rules_texts_ctx(const struct rules_loadctx *lc)
{
	struct jsonload_texts c = { lc->rs->arena, lc->rs->texts, lc->file,
		lc->err_out };

	return c;
}

/* rules_text_load - title/summary/explanation/fix of a reason or rule,
 * with the message ids "ID.title", ..., "ID.fix.N" */
static int
rules_text_load(struct rules_loadctx *lc, json_t *text, bool required,
    const char *id, struct rules_text *out, const char *where)
{
	static const char *const keys[] = { "title", "summary", "explanation",
		"fix", NULL };
	struct jsonload_texts c = rules_texts_ctx(lc);
	json_t *en = json_is_object(text) ? json_object_get(text, "en") : NULL;

	memset(out, 0, sizeof(*out));
	if (text == NULL && !required)
		return 0;
	if (!json_is_object(text))
		return jsonload_err(lc->err_out, lc->file, where,
		    "\"text\" must be an object {\"en\": {...}}");
	if (en != NULL &&
	    (!json_is_object(en) ||
	        jsonload_keys(en, keys, lc->file, where, lc->err_out) == -1))
		return jsonload_err(lc->err_out, lc->file, where,
		    "text.en must be an object with title, summary, "
		    "explanation and fix");
	if (jsonload_ltext(&c, text, "title", required, id, &out->title,
	        where) == -1 ||
	    jsonload_ltext(&c, text, "summary", required, id, &out->summary,
	        where) == -1 ||
	    jsonload_ltext(&c, text, "explanation", required, id,
	        &out->explanation, where) == -1 ||
	    jsonload_steps(&c, text, "fix", id, &out->fix, where) == -1)
		return -1;
	if (required && out->fix.n == 0)
		return jsonload_err(lc->err_out, lc->file, where,
		    "text.en.fix is required");
	for (size_t i = 0; out->fix.tags != NULL && i < out->fix.n; i++) {
		const char *tag = out->fix.tags[i];

		if (tag != NULL && rules_step_tag_index(tag) == -1)
			return jsonload_err(lc->err_out, lc->file, where,
			    "unknown fix step tag \"%s\"", tag);
	}
	return 0;
}

/* rules_label_load - {"en": "..."} with the message id "SECTION.NAME" */
static int
rules_label_load(struct rules_loadctx *lc, json_t *v, const char *section,
    const char *name, struct ltext *out)
{
	struct jsonload_texts c = rules_texts_ctx(lc);
	char id[128];

	(void)snprintf(id, sizeof(id), "%s.%s", section, name);
	return jsonload_label(&c, v, id, out, section);
}

/* rules_fix_by_load - a fix_by value; null (nobody) only when nullable */
static int
rules_fix_by_load(struct rules_loadctx *lc, json_t *v, bool nullable,
    const char **out, const char *where)
{
	*out = NULL;
	if (json_is_null(v) && nullable)
		return 0;
	if (!json_is_string(v) ||
	    rules_fix_by_index(json_string_value(v)) == -1)
		return jsonload_err(lc->err_out, lc->file, where,
		    "\"fix_by\" must be sender, sender_admin, recipient, "
		    "recipient_admin or retry%s",
		    nullable ? ", or null" : "");
	*out = rules_fix_by_values[rules_fix_by_index(json_string_value(v))];
	return 0;
}

/* rules_variant_load - when_permanent / when_temporary of a reason:
 * {"fix_by": ..., "text": {...}}, both optional */
static int
rules_variant_load(struct rules_loadctx *lc, json_t *v, const char *id,
    const struct rules_variant **out, const char *where)
{
	static const char *const keys[] = { "fix_by", "text", NULL };
	struct rules_variant *var;
	json_t *fix;

	*out = NULL;
	if (v == NULL)
		return 0;
	if (!json_is_object(v) ||
	    jsonload_keys(v, keys, lc->file, where, lc->err_out) == -1)
		return jsonload_err(lc->err_out, lc->file, where,
		    "when_permanent and when_temporary are objects with "
		    "fix_by and text");
	var = arena_zalloc(lc->rs->arena, sizeof(*var));
	fix = json_object_get(v, "fix_by");
	if ((fix != NULL &&
	        rules_fix_by_load(lc, fix, false, &var->fix_by, where) == -1) ||
	    rules_text_load(lc, json_object_get(v, "text"), false, id,
	        &var->text, where) == -1)
		return -1;
	*out = var;
	return 0;
}

/* rules_mail_from - a "mail_from_reason" value (may be absent): the
 * reason it names, which reasons.json must define */
static int
rules_mail_from(const struct ruleset *rs, json_t *v,
    const struct rules_reason **out, const char *file, const char *where,
    char **err_out)
{
	*out = NULL;
	if (v == NULL)
		return 0;
	if (!json_is_string(v))
		return jsonload_err(err_out, file, where,
		    "\"mail_from_reason\" must be a reason name");
	*out = rules_reason(rs, json_string_value(v));
	if (*out == NULL)
		return jsonload_err(err_out, file, where,
		    "\"mail_from_reason\": unknown reason \"%s\"",
		    json_string_value(v));
	return 0;
}

/* rules_reasons_resolve - the reasons the code names (reason.h), once:
 * a reasons.json without one of them stops the loading, not a request */
static int
rules_reasons_resolve(struct ruleset *rs, const char *path, char **err_out)
{
	for (enum reason k = REASON_NONE + 1; k < REASON_COUNT; k++) {
		rs->known[k] = rules_reason(rs, reason_str(k));
		if (rs->known[k] == NULL)
			return jsonload_err(err_out, path, "reasons",
			    "no \"%s\" entry, but the service decides on that "
			    "reason by name",
			    reason_str(k));
	}
	return 0;
}

/* rules_reasons_load - reasons.json: fix_by labels and every reason */
static int
rules_reasons_load(struct ruleset *rs, const char *dir, char **err_out)
{
	static const char *const keys[] = { "failure", "permanent",
		"hard_bounce", "fix_by", "when_permanent", "when_temporary",
		"mail_from_reason", "text", NULL };
	char path[4096];
	struct rules_loadctx lc = { rs, 0, path, err_out };
	json_t *doc, *reasons, *labels, *v;
	const char *name;
	size_t i = 0;
	int r = -1;

	(void)snprintf(path, sizeof(path), "%s/reasons.json", dir);
	if ((doc = jsonload_file(path, err_out)) == NULL)
		return -1;
	labels = json_object_get(doc, "fix_by");
	reasons = json_object_get(doc, "reasons");
	if (!json_is_object(labels) || !json_is_object(reasons)) {
		(void)jsonload_err(err_out, path, "top level",
		    "\"fix_by\" and \"reasons\" objects are required");
		goto out;
	}
	for (int f = 0; f < RULES_NFIX_BY; f++) {
		if (rules_label_load(&lc,
		        json_object_get(labels, rules_fix_by_values[f]),
		        "fix_by", rules_fix_by_values[f],
		        &rs->fix_by_labels[f]) == -1)
			goto out;
	}
	/* the sentence of a verified step, for every step tag */
	for (int t = 0; t < RULES_NSTEP_TAGS; t++) {
		if (rules_label_load(&lc,
		        json_object_get(json_object_get(doc, "verified_steps"),
		            rules_step_tags[t]),
		        "verified_steps", rules_step_tags[t],
		        &rs->verified_steps[t]) == -1)
			goto out;
	}
	rs->nreasons = json_object_size(reasons);
	rs->reasons =
	    arena_zalloc(rs->arena, rs->nreasons * sizeof(*rs->reasons));
	json_object_foreach(reasons, name, v)
	{
		struct rules_reason *re = &rs->reasons[i++];
		json_t *perm = json_object_get(v, "permanent");
		json_t *hard = json_object_get(v, "hard_bounce");
		json_t *fix = json_object_get(v, "fix_by");
		json_t *failure = json_object_get(v, "failure");
		char where[96], id[96], idp[128], idt[128];

		(void)snprintf(where, sizeof(where), "reason %s", name);
		if (!json_is_object(v) ||
		    jsonload_keys(v, keys, path, where, err_out) == -1)
			goto out;
		if (!json_is_boolean(perm) || !json_is_boolean(hard) ||
		    (failure != NULL && !json_is_boolean(failure))) {
			(void)jsonload_err(err_out, path, where,
			    "permanent and hard_bounce (booleans) are "
			    "required, failure is a boolean");
			goto out;
		}
		re->name = arena_strndup(rs->arena, name, strlen(name));
		re->failure = failure == NULL || json_is_true(failure);
		re->permanent = json_is_true(perm);
		re->hard_bounce = json_is_true(hard);
		/* only what is no failure may have nobody to act on it */
		(void)snprintf(id, sizeof(id), "reason.%s", name);
		(void)snprintf(idp, sizeof(idp), "reason.%s.when_permanent",
		    name);
		(void)snprintf(idt, sizeof(idt), "reason.%s.when_temporary",
		    name);
		if (rules_fix_by_load(&lc, fix, !re->failure, &re->fix_by,
		        where) == -1 ||
		    rules_text_load(&lc, json_object_get(v, "text"), true, id,
		        &re->text, where) == -1 ||
		    rules_variant_load(&lc,
		        json_object_get(v, "when_permanent"), idp,
		        &re->when_permanent, where) == -1 ||
		    rules_variant_load(&lc,
		        json_object_get(v, "when_temporary"), idt,
		        &re->when_temporary, where) == -1)
			goto out;
		/* a permanent failure is never left to a retry (diag.c) */
		if (re->failure && strcmp(re->fix_by, "retry") == 0 &&
		    (re->when_permanent == NULL ||
		        re->when_permanent->fix_by == NULL ||
		        strcmp(re->when_permanent->fix_by, "retry") == 0)) {
			(void)jsonload_err(err_out, path, where,
			    "a failure left to a retry needs when_permanent "
			    "with another fix_by, for the times its codes "
			    "are permanent");
			goto out;
		}
	}
	/* a second pass: mail_from_reason names a reason of this file */
	i = 0;
	json_object_foreach(reasons, name, v)
	{
		struct rules_reason *re = &rs->reasons[i++];
		char where[96];

		(void)snprintf(where, sizeof(where), "reason %s", name);
		if (rules_mail_from(rs, json_object_get(v, "mail_from_reason"),
		        &re->mail_from_reason, path, where, err_out) == -1)
			goto out;
	}
	r = rules_reasons_resolve(rs, path, err_out);
out:
	json_decref(doc);
	return r;
}

/* rules_code_list - "reply_codes" or "status": validated pattern strings */
static int
rules_code_list(struct rules_loadctx *lc, json_t *v, bool status,
    const char *const **out, size_t *n_out, const char *where)
{
	const char **list;
	size_t i;
	json_t *s;

	*out = NULL;
	*n_out = 0;
	if (v == NULL)
		return 0;
	if (!json_is_array(v) || json_array_size(v) == 0 ||
	    json_array_size(v) > 32)
		return jsonload_err(lc->err_out, lc->file, where,
		    "\"%s\" must be a list of 1 to 32 codes",
		    status ? "status" : "reply_codes");
	list = arena_alloc(lc->rs->arena, json_array_size(v) * sizeof(*list));
	json_array_foreach(v, i, s)
	{
		const char *c = json_string_value(s);
		bool ok;

		if (status) {
			ok = c != NULL && rules_status_matches(c, NULL);
		} else {
			ok = c != NULL && strlen(c) == 3 && c[0] >= '2' &&
			    c[0] <= '5' && rules_reply_matches(c, NULL);
		}
		if (!ok)
			return jsonload_err(lc->err_out, lc->file, where,
			    "malformed %s pattern \"%s\"",
			    status ? "status" : "reply code", c ? c : "?");
		list[i] = arena_strndup(lc->rs->arena, c, strlen(c));
	}
	*out = list;
	*n_out = json_array_size(v);
	return 0;
}

/* rules_compile - compile the patterns of one rule */
static int
rules_compile(struct rules_loadctx *lc, json_t *pats,
    struct rules_compiled *out, const char *where)
{
	size_t i;
	json_t *p;

	if (!json_is_array(pats) || json_array_size(pats) == 0 ||
	    json_array_size(pats) > RULES_MAX_PATTERNS)
		return jsonload_err(lc->err_out, lc->file, where,
		    "\"patterns\" must be a list of 1 to %d strings",
		    RULES_MAX_PATTERNS);
	out->pat = xcalloc(json_array_size(pats), sizeof(*out->pat));
	out->npat = 0;
	json_array_foreach(pats, i, p)
	{
		int errcode;
		PCRE2_SIZE erroff;
		PCRE2_UCHAR msg[256];
		pcre2_code *re;

		if (!json_is_string(p) || json_string_length(p) == 0)
			return jsonload_err(lc->err_out, lc->file, where,
			    "patterns[%zu] must be a non-empty string", i);
		re = pcre2_compile((PCRE2_SPTR)json_string_value(p),
		    json_string_length(p),
		    PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP |
		        PCRE2_MATCH_INVALID_UTF,
		    &errcode, &erroff, lc->rs->cctx);
		if (re == NULL) {
			(void)pcre2_get_error_message(errcode, msg,
			    sizeof(msg));
			return jsonload_err(lc->err_out, lc->file, where,
			    "patterns[%zu] does not compile at offset %zu: %s",
			    i, (size_t)erroff, (const char *)msg);
		}
		/* JIT is an optimisation: without it (e.g. unsupported CPU)
		 * the interpreter gives the same answers */
		if ((lc->flags & RULES_NO_JIT) == 0)
			(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
		out->pat[out->npat].re = re;
		out->pat[out->npat].id = lc->rs->npatterns;
		out->pat[out->npat].always =
		    prefilter_add(lc->rs->prefilter, json_string_value(p),
		        lc->rs->npatterns) == -1;
		lc->rs->npatterns++;
		out->npat++;
	}
	return 0;
}

/* rules_examples - the rule's examples, checked by the test suite */
static int
rules_examples(struct rules_loadctx *lc, json_t *v, struct rule *r,
    const char *where)
{
	const char **ex;
	size_t i;
	json_t *s;

	if (!json_is_array(v) || json_array_size(v) == 0)
		return jsonload_err(lc->err_out, lc->file, where,
		    "\"examples\" must list at least one bounce text");
	ex = arena_alloc(lc->rs->arena, json_array_size(v) * sizeof(*ex));
	json_array_foreach(v, i, s)
	{
		if (!json_is_string(s) || json_string_length(s) == 0)
			return jsonload_err(lc->err_out, lc->file, where,
			    "examples[%zu] must be a non-empty string", i);
		ex[i] = arena_strndup(lc->rs->arena, json_string_value(s),
		    json_string_length(s));
	}
	r->examples = ex;
	r->nexamples = json_array_size(v);
	return 0;
}

static bool
rules_id_valid(const char *id)
{
	size_t n = strlen(id);

	if (n == 0 || n > RULES_MAX_ID || id[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = id[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		        c == '-'))
			return false;
	}
	return true;
}

/* rules_rule_load - one element of "rules" */
static int
rules_rule_load(struct rules_loadctx *lc, json_t *v, const char *source,
    size_t idx)
{
	static const char *const keys[] = { "id", "reason", "patterns",
		"priority", "reply_codes", "status", "permanent", "fix_by",
		"mail_from_reason", "text", "examples", NULL };
	struct ruleset *rs = lc->rs;
	struct rule *r;
	struct rules_compiled *c;
	const char *id = json_string_value(json_object_get(v, "id"));
	const char *reason = json_string_value(json_object_get(v, "reason"));
	json_t *prio = json_object_get(v, "priority");
	json_t *perm = json_object_get(v, "permanent");
	json_t *fix = json_object_get(v, "fix_by");
	char where[128], tid[128];

	if (id == NULL)
		(void)snprintf(where, sizeof(where), "rules[%zu]", idx);
	else
		(void)snprintf(where, sizeof(where), "rule %.*s", RULES_MAX_ID,
		    id);
	if (!json_is_object(v))
		return jsonload_err(lc->err_out, lc->file, where,
		    "a rule must be an object");
	if (jsonload_keys(v, keys, lc->file, where, lc->err_out) == -1)
		return -1;
	if (id == NULL || !rules_id_valid(id))
		return jsonload_err(lc->err_out, lc->file, where,
		    "\"id\" must match [a-z0-9][a-z0-9-]* (at most %d)",
		    RULES_MAX_ID);
	for (size_t i = 0; i < rs->nrules; i++) {
		if (strcmp(rs->rules[i].id, id) == 0)
			return jsonload_err(lc->err_out, lc->file, where,
			    "duplicate id (first defined in source %s)",
			    rs->rules[i].source);
	}
	if (reason == NULL || rules_reason(rs, reason) == NULL)
		return jsonload_err(lc->err_out, lc->file, where,
		    "unknown reason \"%s\"", reason ? reason : "");
	(void)snprintf(tid, sizeof(tid), "rule.%s", id);
	if (rs->nrules == rs->caprules) {
		rs->caprules = rs->caprules == 0 ? 64 : rs->caprules * 2;
		rs->rules =
		    xrealloc(rs->rules, rs->caprules * sizeof(*rs->rules));
		rs->compiled = xrealloc(rs->compiled,
		    rs->caprules * sizeof(*rs->compiled));
	}
	r = &rs->rules[rs->nrules];
	c = &rs->compiled[rs->nrules];
	memset(r, 0, sizeof(*r));
	memset(c, 0, sizeof(*c));
	rs->nrules++;
	r->id = arena_strndup(rs->arena, id, strlen(id));
	r->source = source;
	r->reason = rules_reason(rs, reason);
	r->order = rs->nrules - 1;
	r->priority = RULES_DEFAULT_PRIO;
	r->permanent = -1;
	if (prio != NULL) {
		if (!json_is_integer(prio) || json_integer_value(prio) < 0 ||
		    json_integer_value(prio) > 100)
			return jsonload_err(lc->err_out, lc->file, where,
			    "\"priority\" must be an integer 0..100");
		r->priority = (int)json_integer_value(prio);
	}
	if (perm != NULL) {
		if (!json_is_boolean(perm))
			return jsonload_err(lc->err_out, lc->file, where,
			    "\"permanent\" must be true or false");
		r->permanent = json_is_true(perm) ? 1 : 0;
	}
	if (fix != NULL) {
		if (!json_is_string(fix) ||
		    rules_fix_by_index(json_string_value(fix)) == -1)
			return jsonload_err(lc->err_out, lc->file, where,
			    "\"fix_by\" must be sender, sender_admin, "
			    "recipient, recipient_admin or retry");
		r->fix_by = rules_fix_by_values[rules_fix_by_index(
		    json_string_value(fix))];
	}
	if (rules_mail_from(rs, json_object_get(v, "mail_from_reason"),
	        &r->mail_from_reason, lc->file, where, lc->err_out) == -1)
		return -1;
	if (rules_code_list(lc, json_object_get(v, "reply_codes"), false,
	        &r->reply_codes, &r->nreply_codes, where) == -1 ||
	    rules_code_list(lc, json_object_get(v, "status"), true, &r->status,
	        &r->nstatus, where) == -1 ||
	    rules_text_load(lc, json_object_get(v, "text"), false, tid,
	        &r->text, where) == -1 ||
	    rules_examples(lc, json_object_get(v, "examples"), r, where) ==
	        -1 ||
	    rules_compile(lc, json_object_get(v, "patterns"), c, where) == -1)
		return -1;
	return 0;
}

/* rules_file_load - one catalog file */
static int
rules_file_load(struct ruleset *rs, unsigned flags, const char *path,
    const char *stem, char **err_out)
{
	static const char *const keys[] = { "source", "description", "rules",
		NULL };
	struct rules_loadctx lc = { rs, flags, path, err_out };
	json_t *doc, *list, *v;
	const char *source;
	size_t i;
	int r = -1;

	if ((doc = jsonload_file(path, err_out)) == NULL)
		return -1;
	if (jsonload_keys(doc, keys, path, "top level", err_out) == -1)
		goto out;
	source = json_string_value(json_object_get(doc, "source"));
	if (source == NULL || strcmp(source, stem) != 0) {
		(void)jsonload_err(err_out, path, "source",
		    "\"source\" must be the file name without .json (\"%s\")",
		    stem);
		goto out;
	}
	source = arena_strndup(rs->arena, source, strlen(source));
	list = json_object_get(doc, "rules");
	if (!json_is_array(list)) {
		(void)jsonload_err(err_out, path, "rules",
		    "\"rules\" must be a list");
		goto out;
	}
	json_array_foreach(list, i, v)
	{
		if (rules_rule_load(&lc, v, source, i) == -1)
			goto out;
	}
	r = 0;
out:
	json_decref(doc);
	return r;
}

static int
rules_json_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 5 &&
	    strcmp(d->d_name + n - 5, ".json") == 0;
}

/* rules_catalog_load - every catalog/NAME.json, in name order */
static int
rules_catalog_load(struct ruleset *rs, const char *dir, unsigned flags,
    char **err_out)
{
	char cdir[4096], path[4400];
	struct dirent **names = NULL;
	int n, r = 0;

	(void)snprintf(cdir, sizeof(cdir), "%s/catalog", dir);
	n = scandir(cdir, &names, rules_json_filter, alphasort);
	if (n < 0)
		return jsonload_err(err_out, cdir, "directory",
		    "cannot be read");
	for (int i = 0; i < n; i++) {
		char stem[256];
		size_t len = strlen(names[i]->d_name) - 5;

		if (r == 0) {
			(void)snprintf(stem, sizeof(stem), "%.*s", (int)len,
			    names[i]->d_name);
			(void)snprintf(path, sizeof(path), "%s/%s", cdir,
			    names[i]->d_name);
			r = rules_file_load(rs, flags, path, stem, err_out);
		}
		free(names[i]);
	}
	free(names);
	if (r == 0 && rs->nrules == 0)
		return jsonload_err(err_out, cdir, "directory",
		    "holds no rules");
	return r;
}

/* rules_codes_check - every fallback reason in the code tables exists;
 * lc->file is the rules directory */
static int
rules_codes_check(const struct codes_entry *e, const char *what, void *arg)
{
	struct rules_loadctx *lc = arg;
	char path[4400];

	/* codes_visit names the entries "status X.n.n" and "reply NNN" */
	(void)snprintf(path, sizeof(path), "%s/%s", lc->file,
	    strncmp(what, "status", 6) == 0 ? "status-codes.json" :
	                                      "reply-codes.json");
	if (e->reason != NULL && rules_reason(lc->rs, e->reason) == NULL)
		return jsonload_err(lc->err_out, path, what,
		    "unknown reason \"%s\"", e->reason);
	if (e->fix_by != NULL && rules_fix_by_index(e->fix_by) == -1)
		return jsonload_err(lc->err_out, path, what,
		    "unknown fix_by \"%s\"", e->fix_by);
	return 0;
}

/* rules_index_patterns - which rule each pattern id belongs to, and the
 * rules that must run whatever the prefilter finds */
static void
rules_index_patterns(struct ruleset *rs)
{
	rs->pattern_rule =
	    xcalloc(rs->npatterns + 1, sizeof(*rs->pattern_rule));
	rs->always_rules = xcalloc(rs->nrules + 1, sizeof(*rs->always_rules));
	for (size_t i = 0; i < rs->nrules; i++) {
		bool always = false;

		for (size_t j = 0; j < rs->compiled[i].npat; j++) {
			rs->pattern_rule[rs->compiled[i].pat[j].id] = i;
			always = always || rs->compiled[i].pat[j].always;
		}
		if (always)
			rs->always_rules[rs->nalways++] = i;
	}
}

int
rules_load(const char *dir, unsigned flags, struct ruleset **out,
    char **err_out)
{
	struct ruleset *rs = xcalloc(1, sizeof(*rs));
	struct rules_loadctx lc = { rs, flags, dir, err_out };
	char msgs[4096], provs[4096];

	rs->flags = flags;

	rs->arena = arena_new();
	rs->prefilter = prefilter_new();
	rs->gctx = pcre2_general_context_create(rules_pcre2_alloc,
	    rules_pcre2_free, NULL);
	rs->cctx = pcre2_compile_context_create(rs->gctx);
	rs->mctx = pcre2_match_context_create(rs->gctx);
	ASSERT(rs->gctx != NULL && rs->cctx != NULL && rs->mctx != NULL);
	(void)pcre2_set_match_limit(rs->mctx, RULES_MATCH_LIMIT);
	(void)pcre2_set_depth_limit(rs->mctx, RULES_DEPTH_LIMIT);
	(void)snprintf(msgs, sizeof(msgs), "%s/messages.json", dir);
	(void)snprintf(provs, sizeof(provs), "%s/providers.json", dir);
	if (texts_load(dir, &rs->texts, err_out) == -1 ||
	    texts_load_messages(rs->texts, msgs, err_out) == -1 ||
	    codes_load(dir, rs->texts, &rs->codes, err_out) == -1 ||
	    rules_reasons_load(rs, dir, err_out) == -1 ||
	    codes_visit(rs->codes, rules_codes_check, &lc) == -1 ||
	    rules_catalog_load(rs, dir, flags, err_out) == -1 ||
	    mailprov_load(provs, rs->arena, &rs->providers, err_out) == -1 ||
	    texts_verify(rs->texts, err_out) == -1) {
		rules_free(rs);
		return -1;
	}
	prefilter_build(rs->prefilter);
	rules_index_patterns(rs);
	*out = rs;
	return 0;
}

void
rules_free(struct ruleset *rs)
{
	if (rs == NULL)
		return;
	for (size_t i = 0; i < rs->nrules; i++) {
		for (size_t j = 0; j < rs->compiled[i].npat; j++)
			pcre2_code_free(rs->compiled[i].pat[j].re);
		free(rs->compiled[i].pat);
	}
	free(rs->compiled);
	free(rs->rules);
	free(rs->pattern_rule);
	free(rs->always_rules);
	texts_free(rs->texts);
	pcre2_match_context_free(rs->mctx);
	pcre2_compile_context_free(rs->cctx);
	pcre2_general_context_free(rs->gctx);
	prefilter_free(rs->prefilter);
	codes_free(rs->codes);
	arena_free(rs->arena);
	free(rs);
}

size_t
rules_count(const struct ruleset *rs)
{
	return rs->nrules;
}

const struct rule *
rules_at(const struct ruleset *rs, size_t i)
{
	return i < rs->nrules ? &rs->rules[i] : NULL;
}

const struct rules_reason *
rules_reason(const struct ruleset *rs, const char *name)
{
	for (size_t i = 0; i < rs->nreasons; i++) {
		if (strcmp(rs->reasons[i].name, name) == 0)
			return &rs->reasons[i];
	}
	return NULL;
}

const struct rules_reason *
rules_reason_of(const struct ruleset *rs, enum reason r)
{
	ASSERT(r != REASON_NONE);
	return rs->known[r];
}

size_t
rules_reason_count(const struct ruleset *rs)
{
	return rs->nreasons;
}

const struct rules_reason *
rules_reason_at(const struct ruleset *rs, size_t i)
{
	return i < rs->nreasons ? &rs->reasons[i] : NULL;
}

const struct ltext *
rules_fix_by_label(const struct ruleset *rs, const char *fix_by)
{
	int i = fix_by != NULL ? rules_fix_by_index(fix_by) : -1;

	return i < 0 ? NULL : &rs->fix_by_labels[i];
}

const struct ltext *
rules_verified_step(const struct ruleset *rs, const char *tag)
{
	int i = tag != NULL ? rules_step_tag_index(tag) : -1;

	return i < 0 ? NULL : &rs->verified_steps[i];
}

const struct texts *
rules_texts(const struct ruleset *rs)
{
	return rs->texts;
}

struct texts *
rules_texts_writable(struct ruleset *rs)
{
	return rs->texts;
}

const struct mailprov_table *
rules_providers(const struct ruleset *rs)
{
	return &rs->providers;
}

const struct codes *
rules_codes(const struct ruleset *rs)
{
	return rs->codes;
}

bool
rules_reply_matches(const char *pattern, const char *code)
{
	if (strlen(pattern) != 3)
		return false;
	for (size_t i = 0; i < 3; i++) {
		char p = pattern[i];

		if (p != 'x' && (p < '0' || p > '9'))
			return false;
		if (code != NULL && p != 'x' && p != code[i])
			return false;
	}
	return code == NULL || strlen(code) == 3;
}

/* rules_status_part - next dotted part: "*" or 1..3 digits */
static const char *
rules_status_part(const char *p, bool *star, unsigned *num)
{
	size_t n = 0;

	*star = false;
	*num = 0;
	if (*p == '*') {
		*star = true;
		return p + 1;
	}
	while (p[n] >= '0' && p[n] <= '9' && n < 4) {
		*num = *num * 10 + (unsigned)(p[n] - '0');
		n++;
	}
	return n == 0 || n > 3 ? NULL : p + n;
}

bool
rules_status_matches(const char *pattern, const char *status)
{
	const char *p = pattern, *s = status;

	for (int i = 0; i < 3; i++) {
		bool pstar, sstar;
		unsigned pn, sn;

		p = rules_status_part(p, &pstar, &pn);
		if (p == NULL || (i == 0 && pstar))
			return false;
		if (s != NULL) {
			s = rules_status_part(s, &sstar, &sn);
			if (s == NULL || sstar || (!pstar && pn != sn))
				return false;
		}
		if (i < 2) {
			if (*p != '.' || (s != NULL && *s != '.'))
				return false;
			p++;
			if (s != NULL)
				s++;
		}
	}
	return *p == '\0' && (s == NULL || *s == '\0');
}

/* rules_applies - do the rule's code constraints hold for this bounce? */
static bool
rules_applies(const struct rule *r, const char *reply_code, const char *status)
{
	bool ok;

	if (reply_code != NULL && r->nreply_codes > 0) {
		ok = false;
		for (size_t i = 0; i < r->nreply_codes && !ok; i++)
			ok = rules_reply_matches(r->reply_codes[i], reply_code);
		if (!ok)
			return false;
	}
	if (status != NULL && r->nstatus > 0) {
		/* X.0.0 says only "permanent" or "temporary" (RFC 3463
		 * §3.1): only its class can contradict a rule */
		bool class_only = strcmp(status + 1, ".0.0") == 0;

		ok = false;
		for (size_t i = 0; i < r->nstatus && !ok; i++)
			ok = class_only ?
			    r->status[i][0] == '*' ||
			        r->status[i][0] == status[0] :
			    rules_status_matches(r->status[i], status);
		if (!ok)
			return false;
	}
	return true;
}

static int
rules_nconstraints(const struct rule *r)
{
	return (r->nreply_codes > 0) + (r->nstatus > 0);
}

/* rules_rank_cmp - docs/RULES.md step 4: priority, constraints, position,
 * catalog order */
static int
rules_rank_cmp(const void *pa, const void *pb)
{
	const struct rules_match *a = pa, *b = pb;

	if (a->rule->priority != b->rule->priority)
		return a->rule->priority > b->rule->priority ? -1 : 1;
	if (rules_nconstraints(a->rule) != rules_nconstraints(b->rule))
		return rules_nconstraints(a->rule) >
		        rules_nconstraints(b->rule) ?
		    -1 :
		    1;
	if (a->pos != b->pos)
		return a->pos < b->pos ? -1 : 1;
	return a->rule->order < b->rule->order ? -1 : 1;
}

/* rules_why - why matches[0] beat matches[1] */
static const struct texts_msg *
rules_why(struct arena *a, const struct rules_verdict *v)
{
	const struct rules_match *w = &v->matches[0], *n = &v->matches[1];
	const char *id;

	if (v->nmatches == 1)
		return texts_msg_new(a, "why.only");
	if (w->rule->priority != n->rule->priority)
		return texts_msg_count(texts_msg_arg(texts_msg_new(a,
		                                         "why.priority"),
		                           "priority",
		                           arena_printf(a, "%d",
		                               w->rule->priority)),
		    v->nmatches);
	if (rules_nconstraints(w->rule) != rules_nconstraints(n->rule))
		id = "why.constraints";
	else if (w->pos != n->pos)
		id = "why.earlier";
	else
		id = "why.catalog";
	return texts_msg_arg(texts_msg_new(a, id), "rule", n->rule->id);
}

/* rules_candidate - may pt match, by what the prefilter found? */
static bool
rules_candidate(const struct rules_pattern *pt, const unsigned char *hits,
    bool nofilter)
{
	return pt->always || nofilter || hits[pt->id];
}

/* rules_prefilter - mark the rules that have a candidate pattern in text;
 * hits gets the candidate patterns */
static unsigned char *
rules_prefilter(const struct ruleset *rs, struct arena *a, struct span text,
    unsigned char *hits)
{
	unsigned char *rule_hit = arena_zalloc(a, rs->nrules + 1);
	uint32_t *ids = arena_alloc(a, (rs->npatterns + 1) * sizeof(*ids));
	size_t n;

	n = prefilter_scan(rs->prefilter, prefilter_fold(a, text), hits, ids);
	for (size_t k = 0; k < n; k++)
		rule_hit[rs->pattern_rule[ids[k]]] = 1;
	for (size_t k = 0; k < rs->nalways; k++)
		rule_hit[rs->always_rules[k]] = 1;
	return rule_hit;
}

/* rules_grow - room for one more element in an arena array of *cap */
static void *
rules_grow(struct arena *a, void *v, size_t n, size_t *cap, size_t size)
{
	void *nv;

	if (n < *cap)
		return v;
	*cap = *cap == 0 ? 8 : *cap * 2;
	nv = arena_alloc(a, *cap * size);
	if (n > 0)
		memcpy(nv, v, n * size);
	return nv;
}

/*
 * rules_eval - run the candidate patterns of one rule; *best_out and
 * *len_out get its earliest match (SIZE_MAX: none). Returns false when a
 * pattern could not be evaluated: pcre2 stopped it at the match, depth,
 * heap or JIT stack limit (any other pcre2 error leaves it as unknown).
 */
static bool
rules_eval(const struct ruleset *rs, const struct rules_compiled *c,
    struct span text, const unsigned char *hits, pcre2_match_data *md,
    size_t *best_out, size_t *len_out)
{
	bool nofilter = (rs->flags & RULES_NO_PREFILTER) != 0, ok = true;

	*best_out = SIZE_MAX;
	*len_out = 0;
	for (size_t j = 0; j < c->npat; j++) {
		const struct rules_pattern *pt = &c->pat[j];
		PCRE2_SIZE *ov;
		int rc;

		if (!rules_candidate(pt, hits, nofilter))
			continue;
		rc = pcre2_match(pt->re, (PCRE2_SPTR)text.ptr, text.len, 0,
		    PCRE2_NO_UTF_CHECK, md, rs->mctx);
		if (rc == PCRE2_ERROR_NOMATCH)
			continue;
		if (rc < 0) {
			ok = false;
			continue;
		}
		ov = pcre2_get_ovector_pointer(md);
		if (ov[0] < *best_out) {
			*best_out = ov[0];
			*len_out = ov[1] - ov[0];
		}
	}
	return ok;
}

int
rules_classify(const struct ruleset *rs, struct arena *a, struct span text,
    const char *reply_code, const char *status, struct rules_verdict *out)
{
	/* never NULL: pcre2 allocates with xmalloc */
	pcre2_match_data *md = pcre2_match_data_create(1, rs->gctx);
	bool nofilter = (rs->flags & RULES_NO_PREFILTER) != 0;
	unsigned char *hits = arena_zalloc(a, rs->npatterns + 1);
	unsigned char *rule_hit = rules_prefilter(rs, a, text, hits);
	struct rules_match *m = NULL;
	const struct rule **unev = NULL;
	size_t n = 0, cap = 0, nunev = 0, capunev = 0;

	ASSERT(md != NULL);
	for (size_t i = 0; i < rs->nrules; i++) {
		const struct rule *r = &rs->rules[i];
		size_t best, blen;

		/* the prefilter's answer costs a byte; the code constraints
		 * parse strings: ask it first */
		if ((!nofilter && !rule_hit[i]) ||
		    !rules_applies(r, reply_code, status))
			continue;
		if (!rules_eval(rs, &rs->compiled[i], text, hits, md, &best,
		        &blen)) {
			unev =
			    rules_grow(a, unev, nunev, &capunev, sizeof(*unev));
			unev[nunev++] = r;
		}
		if (best == SIZE_MAX)
			continue;
		m = rules_grow(a, m, n, &cap, sizeof(*m));
		m[n++] = (struct rules_match){ r, best, blen };
	}
	pcre2_match_data_free(md);
	if (n > 1)
		qsort(m, n, sizeof(*m), rules_rank_cmp);
	out->matches = m;
	out->nmatches = n;
	out->why = n == 0 ? NULL : rules_why(a, out);
	out->unevaluated = unev;
	out->nunevaluated = nunev;
	return nunev == 0 ? 0 : -1;
}
