/* SPDX-License-Identifier: MIT */
/*
 * report.c - a diagnosis as the API's JSON document
 *
 * The shape mirrors openapi.yaml (schemas Diagnosis, Result, Entities,
 * Problem, SpfCheck, ...); the api-tests validate every response against
 * it. Written with jsonw.h straight into one buffer: the response is
 * rendered on every request and a DOM would cost more than the diagnosis
 * itself. A live check hands over its result as data (check.h); the part
 * every check has is rendered here once, the check's own fields by its
 * entry in report_checks, so the checks never see JSON.
 * Not here: HTTP status and headers (api.c).
 */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "check_spf.h"
#include "codes.h"
#include "diag.h"
#include "jsonw.h"
#include "smtptext.h"
#include "spf.h"
#include "spffix.h"
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

/* Where and in what language the checks' sentences (messages) are put
 * into words. */
struct report_say {
	struct arena *a;
	const struct texts *t;
	enum lang l;
};

/* report_kmsg - key: the message in the answer's language, or null */
static void
report_kmsg(struct jsonw *w, const struct report_say *say, const char *key,
    const struct texts_msg *m)
{
	jsonw_kstr(w, key,
	    m != NULL ? texts_render(say->a, say->t, say->l, m) : NULL);
}

static void report_spf_fields(struct jsonw *w, const struct report_say *say,
    const struct spf_query *q, const struct spf_outcome *o,
    const struct spffix *fix, const char *ptr);

/* The fields of one check's object after status and not_checked_reason. */
typedef void report_check_fn(struct jsonw *w, const struct report_say *say,
    const void *data);

/* report_check_spf - the SpfCheck fields of the SPF check's result */
static void
report_check_spf(struct jsonw *w, const struct report_say *say,
    const void *data)
{
	const struct check_spf_result *s = data;

	report_spf_fields(w, say, &s->query, s->outcome, s->fix, s->ptr);
}

/* Each check's own fields, by kind; a check without a line here shows
 * only its status. */
static const struct {
	const struct check_kind *kind;
	report_check_fn *fields;
} report_checks[] = {
	{ &check_spf_kind, report_check_spf },
};

/* report_status - the fields every check object begins with */
static void
report_status(struct jsonw *w, const struct report_say *say,
    const struct texts_msg *unchecked)
{
	jsonw_kstr(w, "status", unchecked == NULL ? "checked" : "not_checked");
	if (unchecked != NULL)
		report_kmsg(w, say, "not_checked_reason", unchecked);
}

/* report_check - checks.<name>: the check's object */
static void
report_check(struct jsonw *w, const struct report_say *say,
    const struct check_result *c)
{
	jsonw_key(w, c->kind->name);
	jsonw_obj(w);
	report_status(w, say, c->unchecked);
	for (size_t i = 0; i < sizeof(report_checks) / sizeof(report_checks[0]);
	     i++) {
		if (report_checks[i].kind == c->kind)
			report_checks[i].fields(w, say, c->data);
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
	jsonw_key(&w, "checks");
	jsonw_obj(&w);
	for (size_t i = 0; i < nchecks; i++)
		report_check(&w, &say, &checks[i]);
	jsonw_end(&w);
	report_anomalies(&w, d);
	jsonw_end(&w);
	return buf_steal(&b, len_out);
}

/* report_spf_fix - the SpfFix object of openapi.yaml, or null */
static void
report_spf_fix(struct jsonw *w, const struct report_say *say,
    const struct spffix *fix)
{
	if (fix == NULL) {
		jsonw_null(w);
		return;
	}
	jsonw_obj(w);
	jsonw_kstr(w, "domain", fix->domain);
	jsonw_kstr(w, "record", fix->record);
	jsonw_kstr(w, "added", fix->added);
	jsonw_kstr(w, "provider", fix->provider);
	jsonw_kstr(w, "result_after",
	    fix->verified ? spf_result_str(fix->result_after) : NULL);
	report_kmsg(w, say, "why", fix->why);
	report_kmsg(w, say, "warning", fix->warning);
	jsonw_kint(w, "lookups_after", fix->lookups_after);
	jsonw_end(w);
}

/* report_spf_fields - the SpfCheck object of openapi.yaml after its
 * status */
static void
report_spf_fields(struct jsonw *w, const struct report_say *say,
    const struct spf_query *q, const struct spf_outcome *o,
    const struct spffix *fix, const char *ptr)
{
	jsonw_kstr(w, "ip", q->ip);
	jsonw_kstr(w, "ptr", ptr);
	if (q->sender != NULL)
		jsonw_kstr(w, "sender", q->sender);
	jsonw_kstr(w, "domain", o->domain);
	if (q->helo != NULL)
		jsonw_kstr(w, "helo", q->helo);
	jsonw_kstr(w, "result", spf_result_str(o->result));
	report_kmsg(w, say, "reason", o->reason);
	/* the domain's own explanation (exp=) as it is, else ours */
	if (o->explanation != NULL)
		jsonw_kstr(w, "explanation", o->explanation);
	else
		report_kmsg(w, say, "explanation", o->default_explanation);
	jsonw_kstr(w, "record", o->record);
	jsonw_key(w, "decisive_term");
	if (o->decisive != NULL) {
		jsonw_obj(w);
		jsonw_kstr(w, "domain", o->decisive->domain);
		jsonw_kstr(w, "term", o->decisive->term);
		jsonw_kint(w, "depth", o->decisive->depth);
		jsonw_kint(w, "offset", (int64_t)o->decisive->offset);
		jsonw_kint(w, "length", (int64_t)o->decisive->len);
		jsonw_end(w);
	} else {
		jsonw_null(w);
	}
	jsonw_kint(w, "lookups", o->lookups);
	jsonw_kint(w, "void_lookups", o->void_lookups);
	jsonw_key(w, "trace");
	jsonw_arr(w);
	for (size_t i = 0; i < o->ntrace; i++) {
		const struct spf_trace_step *t = &o->trace[i];

		jsonw_obj(w);
		jsonw_kint(w, "depth", t->depth);
		jsonw_kstr(w, "domain", t->domain);
		jsonw_kstr(w, "term", t->term);
		jsonw_kint(w, "offset", (int64_t)t->offset);
		jsonw_kint(w, "length", (int64_t)t->len);
		jsonw_kstr(w, "lookup", t->lookup);
		report_kmsg(w, say, "found", t->found);
		jsonw_kstr(w, "outcome", spf_term_outcome_str(t->outcome));
		jsonw_kint(w, "lookups", t->lookups);
		jsonw_kint(w, "void_lookups", t->voids);
		jsonw_end(w);
	}
	jsonw_end(w);
	jsonw_key(w, "fix");
	report_spf_fix(w, say, fix);
}

char *
report_spf(const struct texts *t, enum lang l, const struct spf_query *q,
    const struct spf_outcome *o, const struct texts_msg *unchecked,
    const struct spffix *fix, const char *ptr, size_t *len_out)
{
	struct report_say say = { arena_new(), t, l };
	struct buf b;
	struct jsonw w;
	char *body;

	buf_init(&b, 4u << 20);
	jsonw_init(&w, &b);
	jsonw_obj(&w);
	report_status(&w, &say, unchecked);
	report_spf_fields(&w, &say, q, o, fix, ptr);
	jsonw_end(&w);
	body = buf_steal(&b, len_out);
	arena_free(say.a);
	return body;
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
