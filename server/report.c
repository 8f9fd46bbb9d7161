/* SPDX-License-Identifier: MIT */
/*
 * report.c - a diagnosis as the API's JSON document
 *
 * The shape mirrors openapi.yaml (schemas Diagnosis, Result, Entities,
 * Problem, SpfCheck, ...); the api-tests validate every response against
 * it. Written with jsonw.h straight into one buffer: the response is
 * rendered on every request and a DOM would cost more than the diagnosis
 * itself.
 * Not here: the live checks' objects (report_check.c), HTTP status and
 * headers (api.c).
 */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "codes.h"
#include "diag.h"
#include "jsonw.h"
#include "report_int.h"
#include "smtptext.h"
#include "texts.h"

#define REPORT_MAX_DIAGNOSTIC 2000
#define REPORT_MAX_EXCERPT    200
#define REPORT_MAX_BYTES      (8u << 20)

static void
report_list(struct jsonw *w, const char *key, const struct strlist *l)
{
	jsonw_key(w, key);
	jsonw_arr(w);
	for (size_t i = 0; i < l->n; i++)
		jsonw_str(w, l->v[i]);
	jsonw_end(w);
}

/* report_explained - {"title", "description"} of a code table entry */
static void
report_explained(struct jsonw *w, const char *key, const struct codes_entry *e,
    enum lang l, bool with_rfc)
{
	const char *desc;

	jsonw_key(w, key);
	if (e == NULL) {
		jsonw_null(w);
		return;
	}
	desc = ltext_get(&e->description, l);
	jsonw_obj(w);
	jsonw_kstr(w, "title", ltext_get(&e->title, l));
	jsonw_kstr(w, "description", desc != NULL ? desc : "");
	if (with_rfc)
		jsonw_kstr(w, "rfc", e->rfc != NULL ? e->rfc : "RFC 3463");
	jsonw_end(w);
}

static void
report_status_info(struct jsonw *w, const struct codes *c, const char *status,
    enum lang l)
{
	struct codes_status st;
	const struct codes_entry *cls = NULL;

	jsonw_key(w, "status_info");
	if (status != NULL && codes_status_parse(span_cstr(status), &st) == 0)
		cls = codes_status_class(c, st.cls);
	if (cls == NULL) {
		jsonw_null(w);
		return;
	}
	jsonw_obj(w);
	jsonw_kstr(w, "code", status);
	report_explained(w, "class", cls, l, false);
	report_explained(w, "subject", codes_status_subject(c, st.subject), l,
	    false);
	report_explained(w, "detail",
	    codes_status_detail(c, st.subject, st.detail), l, true);
	jsonw_end(w);
}

static void
report_reply_info(struct jsonw *w, const struct codes *c, const char *code,
    enum lang l)
{
	const struct codes_entry *cls = NULL, *cat = NULL;
	unsigned v = 0;

	jsonw_key(w, "reply_code_info");
	if (code != NULL) {
		v = (unsigned)strtoul(code, NULL, 10);
		cls = codes_reply_class(c, v / 100);
		cat = codes_reply_category(c, (v / 10) % 10);
	}
	if (cls == NULL || cat == NULL) {
		jsonw_null(w);
		return;
	}
	jsonw_obj(w);
	jsonw_kstr(w, "code", code);
	report_explained(w, "class", cls, l, false);
	report_explained(w, "category", cat, l, false);
	report_explained(w, "detail", codes_reply_code(c, v), l, false);
	jsonw_end(w);
}

/* report_cut - at most max bytes of s, cut at a UTF-8 boundary */
static struct span
report_cut(struct span s, size_t max)
{
	size_t n = s.len;

	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s.ptr[n] & 0xc0) == 0x80)
			n--;
	}
	return span_make(s.ptr, n);
}

static void
report_matches(struct jsonw *w, const struct rules_verdict *v, struct span text)
{
	jsonw_key(w, "matched_rules");
	jsonw_arr(w);
	for (size_t i = 0; i < v->nmatches; i++) {
		const struct rules_match *m = &v->matches[i];
		const struct rule *r = m->rule;

		jsonw_obj(w);
		jsonw_kstr(w, "id", r->id);
		jsonw_kstr(w, "source", r->source);
		jsonw_kstr(w, "reason", r->reason->name);
		jsonw_kint(w, "priority", r->priority);
		jsonw_kint(w, "constraints",
		    (r->nreply_codes > 0) + (r->nstatus > 0));
		jsonw_kint(w, "position", (int64_t)m->pos);
		jsonw_key(w, "matched");
		jsonw_strn(w,
		    report_cut(span_make(text.ptr + m->pos, m->len),
		        REPORT_MAX_EXCERPT));
		jsonw_kbool(w, "won", i == 0);
		jsonw_end(w);
	}
	jsonw_end(w);
}

/* report_unevaluated - the rules pcre2 stopped at a limit (ids) */
static void
report_unevaluated(struct jsonw *w, const struct rules_verdict *v)
{
	jsonw_key(w, "unevaluated_rules");
	jsonw_arr(w);
	for (size_t i = 0; i < v->nunevaluated; i++)
		jsonw_str(w, v->unevaluated[i]->id);
	jsonw_end(w);
}

static void
report_rule(struct jsonw *w, const struct diag *d, const struct diag_result *r)
{
	const char *t;

	jsonw_key(w, "rule");
	if (r->rule == NULL) {
		jsonw_null(w);
		return;
	}
	t = ltext_get(&r->rule->text.title, d->lang);
	jsonw_obj(w);
	jsonw_kstr(w, "id", r->rule->id);
	jsonw_kstr(w, "source", r->rule->source);
	jsonw_kstr(w, "title", t != NULL ? t : r->title);
	jsonw_end(w);
}

static bool
report_step_is(const struct diag_result *r, size_t i, const char *tag)
{
	return r->fix_tags != NULL && r->fix_tags[i] != NULL &&
	    strcmp(r->fix_tags[i], tag) == 0;
}

/* report_has_tag - does a fix step of r carry tag? */
static bool
report_has_tag(const struct diag_result *r, const char *tag)
{
	for (size_t i = 0; i < r->nfix; i++) {
		if (report_step_is(r, i, tag))
			return true;
	}
	return false;
}

/* report_replaced - did a check verify a step in place of step i? */
static bool
report_replaced(const struct diag_result *r, size_t i,
    const struct check_result *checks, size_t nchecks)
{
	for (size_t k = 0; k < nchecks; k++) {
		if (checks[k].verified_step != NULL &&
		    report_step_is(r, i, checks[k].replaces))
			return true;
	}
	return false;
}

/* report_fix - the fix steps; a step a live check verified (the record
 * the SPF check evaluated to pass) comes first, in place of the steps
 * tagged for what it verified (they would propose something else than
 * what was checked to work) */
static void
report_fix(struct jsonw *w, const struct diag_result *r,
    const struct check_result *checks, size_t nchecks)
{
	jsonw_key(w, "fix");
	jsonw_arr(w);
	for (size_t k = 0; k < nchecks; k++) {
		if (checks[k].verified_step != NULL &&
		    report_has_tag(r, checks[k].replaces))
			jsonw_str(w, checks[k].verified_step);
	}
	for (size_t i = 0; i < r->nfix; i++) {
		if (!report_replaced(r, i, checks, nchecks))
			jsonw_str(w, r->fix[i]);
	}
	jsonw_end(w);
}

static void
report_result(struct jsonw *w, const struct diag *d,
    const struct diag_result *r, const struct check_result *checks,
    size_t nchecks)
{
	const struct codes *c = rules_codes(d->env->rules);

	jsonw_obj(w);
	jsonw_kstr(w, "recipient", r->recipient);
	jsonw_kstr(w, "reason", r->reason->name);
	jsonw_kstr(w, "title", r->title);
	/* what is no failure has no permanence */
	jsonw_key(w, "permanent");
	if (r->failure)
		jsonw_bool(w, r->permanent);
	else
		jsonw_null(w);
	jsonw_kstr(w, "permanent_source",
	    diag_perm_source_str(r->permanent_source));
	jsonw_kbool(w, "hard_bounce", r->hard_bounce);
	jsonw_kstr(w, "reply_code", r->reply_code);
	report_reply_info(w, c, r->reply_code, d->lang);
	jsonw_kstr(w, "status", r->status);
	report_status_info(w, c, r->status, d->lang);
	jsonw_kstr(w, "fix_by", r->fix_by);
	jsonw_kstr(w, "fix_by_label", r->fix_by_label);
	report_rule(w, d, r);
	report_matches(w, &r->verdict, r->diagnostic);
	report_unevaluated(w, &r->verdict);
	jsonw_kstr(w, "decision",
	    texts_render(d->arena, rules_texts(d->env->rules), d->lang,
	        r->decision));
	jsonw_kstr(w, "summary", r->summary);
	jsonw_kstr(w, "explanation", r->explanation);
	report_fix(w, r, checks, nchecks);
	jsonw_key(w, "diagnostic");
	jsonw_strn(w, report_cut(r->diagnostic, REPORT_MAX_DIAGNOSTIC));
	jsonw_kstr(w, "smtp_stage", smtptext_stage_str(r->stage));
	jsonw_kstr(w, "action", r->action_text);
	jsonw_kstr(w, "remote_mta", r->remote_mta);
	jsonw_end(w);
}

static void
report_entities(struct jsonw *w, const struct extract_entities *e)
{
	jsonw_key(w, "entities");
	jsonw_obj(w);
	report_list(w, "ips", &e->ips);
	report_list(w, "domains", &e->domains);
	report_list(w, "emails", &e->emails);
	report_list(w, "hosts", &e->hosts);
	report_list(w, "blocklists", &e->blocklists);
	report_list(w, "urls", &e->urls);
	jsonw_kstr(w, "sending_ip", e->sending_ip);
	jsonw_kstr(w, "sender_domain", e->sender_domain);
	jsonw_kstr(w, "remote_host", e->remote_host);
	jsonw_kstr(w, "remote_ip", e->remote_ip);
	jsonw_end(w);
}

struct report_anomaly {
	unsigned bit;
	const char *name;
};

static const struct report_anomaly report_anomaly_names[] = {
	{ BOUNCE_ANOM_UTF8, "repaired_utf8" },
	{ BOUNCE_ANOM_CONTROL, "control_characters" },
	{ BOUNCE_ANOM_TRUNCATED, "text_truncated" },
	{ BOUNCE_ANOM_ENTITIES, "too_many_entities" },
	{ BOUNCE_ANOM_MIME, "malformed_mime" },
	{ BOUNCE_ANOM_TOO_LONG, "entity_too_long" },
};

/* report_anomalies - what the input made odd: the parser's flags, and
 * pattern_limit when a result has rules pcre2 could not evaluate */
static void
report_anomalies(struct jsonw *w, const struct diag *d)
{
	const struct report_anomaly *names = report_anomaly_names;
	size_t n = sizeof(report_anomaly_names) / sizeof(names[0]);
	unsigned a = d->bounce.anomalies;

	jsonw_key(w, "anomalies");
	jsonw_arr(w);
	for (size_t i = 0; i < n; i++) {
		if (a & names[i].bit)
			jsonw_str(w, names[i].name);
	}
	for (size_t i = 0; i < d->nresults; i++) {
		if (d->results[i].verdict.nunevaluated > 0) {
			jsonw_str(w, "pattern_limit");
			break;
		}
	}
	jsonw_end(w);
}

char *
report_diagnosis(const struct diag *d, const struct check_result *checks,
    size_t nchecks, size_t *len_out)
{
	struct report_say say = { d->arena, rules_texts(d->env->rules),
		d->lang };
	struct buf b;
	struct jsonw w;

	buf_init(&b, REPORT_MAX_BYTES);
	jsonw_init(&w, &b);
	jsonw_obj(&w);
	jsonw_kstr(&w, "lang", lang_str(texts_langs(say.t), d->lang));
	jsonw_key(&w, "input");
	jsonw_obj(&w);
	jsonw_kint(&w, "bytes", (int64_t)d->bounce.bytes);
	jsonw_kint(&w, "lines", (int64_t)d->bounce.lines);
	jsonw_kstr(&w, "format", bounce_kind_str(d->bounce.kind));
	if (d->bounce.feedback_type != NULL)
		jsonw_kstr(&w, "feedback_type", d->bounce.feedback_type);
	jsonw_end(&w);
	jsonw_key(&w, "results");
	jsonw_arr(&w);
	for (size_t i = 0; i < d->nresults; i++)
		report_result(&w, d, &d->results[i], checks, nchecks);
	jsonw_end(&w);
	report_entities(&w, &d->bounce.ent);
	report_checks_member(&w, &say, checks, nchecks);
	report_anomalies(&w, d);
	jsonw_end(&w);
	return buf_steal(&b, len_out);
}

char *
report_problem(const char *code, const char *title, unsigned status,
    const char *detail, size_t *len_out)
{
	struct buf b;
	struct jsonw w;
	char type[96];

	(void)snprintf(type, sizeof(type), "urn:bouncedoc:problem:%s", code);
	buf_init(&b, 64u << 10);
	jsonw_init(&w, &b);
	jsonw_obj(&w);
	jsonw_kstr(&w, "type", type);
	jsonw_kstr(&w, "code", code);
	jsonw_kstr(&w, "title", title);
	jsonw_kint(&w, "status", status);
	jsonw_kstr(&w, "detail", detail);
	jsonw_end(&w);
	return buf_steal(&b, len_out);
}
