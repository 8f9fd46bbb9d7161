/* SPDX-License-Identifier: MIT */
/*
 * report.c - a diagnosis as the API's JSON document
 *
 * The shape mirrors openapi.yaml (schemas Diagnosis, Result, Entities,
 * Problem); the api-tests validate every response against it. Trees are
 * built with the reference-stealing jansson calls only (house style §7).
 * Not here: HTTP status and headers (api.c).
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "codes.h"
#include "diag.h"

#define REPORT_MAX_DIAGNOSTIC 2000

static json_t *
report_str(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
report_list(const struct strlist *l)
{
	json_t *a = json_array();

	for (size_t i = 0; i < l->n; i++)
		(void)json_array_append_new(a, json_string(l->v[i]));
	return a;
}

/* report_explained - {"title", "description"} of a code table entry */
static json_t *
report_explained(const struct codes_entry *e, enum lang l, bool with_rfc)
{
	const char *desc;
	json_t *o;

	if (e == NULL)
		return json_null();
	desc = ltext_get(&e->description, l);
	o = json_pack("{s:s, s:s}", "title", ltext_get(&e->title, l),
	    "description", desc != NULL ? desc : "");
	if (with_rfc)
		(void)json_object_set_new(o, "rfc",
		    json_string(e->rfc != NULL ? e->rfc : "RFC 3463"));
	return o;
}

static json_t *
report_status_info(const struct codes *c, const char *status, enum lang l)
{
	struct codes_status st;
	const struct codes_entry *cls;

	if (status == NULL || codes_status_parse(span_cstr(status), &st) == -1)
		return json_null();
	cls = codes_status_class(c, st.cls);
	if (cls == NULL)
		return json_null();
	return json_pack("{s:s, s:o, s:o, s:o}", "code", status, "class",
	    report_explained(cls, l, false), "subject",
	    report_explained(codes_status_subject(c, st.subject), l, false),
	    "detail",
	    report_explained(codes_status_detail(c, st.subject, st.detail), l,
		true));
}

static json_t *
report_reply_info(const struct codes *c, const char *code, enum lang l)
{
	const struct codes_entry *cls, *cat;
	unsigned v;

	if (code == NULL)
		return json_null();
	v = (unsigned)strtoul(code, NULL, 10);
	cls = codes_reply_class(c, v / 100);
	cat = codes_reply_category(c, (v / 10) % 10);
	if (cls == NULL || cat == NULL)
		return json_null();
	return json_pack("{s:s, s:o, s:o, s:o}", "code", code, "class",
	    report_explained(cls, l, false), "category",
	    report_explained(cat, l, false), "detail",
	    report_explained(codes_reply_code(c, v), l, false));
}

static json_t *
report_matches(const struct rules_verdict *v, struct span text)
{
	json_t *a = json_array();

	for (size_t i = 0; i < v->nmatches; i++) {
		const struct rules_match *m = &v->matches[i];
		const struct rule *r = m->rule;
		size_t len = m->len > 200 ? 200 : m->len;

		/* keep the excerpt whole UTF-8 */
		while (len > 0 && len < m->len &&
		    ((unsigned char)text.ptr[m->pos + len] & 0xc0) == 0x80)
			len--;
		(void)json_array_append_new(a,
		    json_pack("{s:s, s:s, s:s, s:i, s:i, s:I, s:s%, s:b}", "id",
			r->id, "source", r->source, "reason", r->reason->name,
			"priority", r->priority, "constraints",
			(r->nreply_codes > 0) + (r->nstatus > 0), "position",
			(json_int_t)m->pos, "matched", text.ptr + m->pos, len,
			"won", i == 0));
	}
	return a;
}

/* report_diagnostic - the matched text, cut at a UTF-8 boundary */
static json_t *
report_diagnostic(struct span s)
{
	size_t n = s.len;

	if (n > REPORT_MAX_DIAGNOSTIC) {
		n = REPORT_MAX_DIAGNOSTIC;
		while (n > 0 && ((unsigned char)s.ptr[n] & 0xc0) == 0x80)
			n--;
	}
	return json_stringn(s.ptr, n);
}

static json_t *
report_result(const struct diag *d, const struct diag_result *r)
{
	const struct codes *c = rules_codes(d->env->rules);
	json_t *fix = json_array(), *rule = json_null(), *o;

	for (size_t i = 0; i < r->nfix; i++)
		(void)json_array_append_new(fix, json_string(r->fix[i]));
	if (r->rule != NULL) {
		const char *t = ltext_get(&r->rule->text.title, d->lang);

		rule = json_pack("{s:s, s:s, s:s}", "id", r->rule->id, "source",
		    r->rule->source, "title", t != NULL ? t : r->title);
	}
	o = json_pack("{s:o, s:s, s:s, s:b, s:s, s:b, s:o, s:o, s:o, s:o}",
	    "recipient", report_str(r->recipient), "reason", r->reason->name,
	    "title", r->title, "permanent", r->permanent, "permanent_source",
	    diag_perm_source_str(r->permanent_source), "hard_bounce",
	    r->hard_bounce, "reply_code", report_str(r->reply_code),
	    "reply_code_info", report_reply_info(c, r->reply_code, d->lang),
	    "status", report_str(r->status), "status_info",
	    report_status_info(c, r->status, d->lang));
	(void)json_object_set_new(o, "fix_by", json_string(r->fix_by));
	(void)json_object_set_new(o, "fix_by_label",
	    json_string(r->fix_by_label));
	(void)json_object_set_new(o, "rule", rule);
	(void)json_object_set_new(o, "matched_rules",
	    report_matches(&r->verdict, r->diagnostic));
	(void)json_object_set_new(o, "decision", json_string(r->decision));
	(void)json_object_set_new(o, "summary", json_string(r->summary));
	(void)json_object_set_new(o, "explanation",
	    json_string(r->explanation));
	(void)json_object_set_new(o, "fix", fix);
	(void)json_object_set_new(o, "diagnostic",
	    report_diagnostic(r->diagnostic));
	return o;
}

static json_t *
report_entities(const struct extract_entities *e)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
	    "ips", report_list(&e->ips), "domains", report_list(&e->domains),
	    "emails", report_list(&e->emails), "hosts", report_list(&e->hosts),
	    "blocklists", report_list(&e->blocklists), "urls",
	    report_list(&e->urls), "sending_ip", report_str(e->sending_ip),
	    "sender_domain", report_str(e->sender_domain), "remote_host",
	    report_str(e->remote_host), "remote_ip", report_str(e->remote_ip));
}

static json_t *
report_anomalies(unsigned a)
{
	json_t *arr = json_array();

	if (a & BOUNCE_ANOM_UTF8)
		(void)json_array_append_new(arr, json_string("repaired_utf8"));
	if (a & BOUNCE_ANOM_CONTROL)
		(void)json_array_append_new(arr,
		    json_string("control_characters"));
	if (a & BOUNCE_ANOM_TRUNCATED)
		(void)json_array_append_new(arr, json_string("text_truncated"));
	if (a & BOUNCE_ANOM_ENTITIES)
		(void)json_array_append_new(arr,
		    json_string("too_many_entities"));
	return arr;
}

/* report_dump - serialise and free the tree */
static char *
report_dump(json_t *doc, size_t *len_out)
{
	char *s = json_dumps(doc, JSON_COMPACT);

	json_decref(doc);
	if (s == NULL)
		abort(); /* only on out of memory */
	*len_out = strlen(s);
	return s;
}

char *
report_diagnosis(const struct diag *d, size_t *len_out)
{
	json_t *results = json_array(), *doc;

	for (size_t i = 0; i < d->nresults; i++)
		(void)json_array_append_new(results,
		    report_result(d, &d->results[i]));
	doc = json_pack("{s:s, s:{s:I, s:I, s:s}, s:o, s:o, s:o, s:o}", "lang",
	    lang_str(d->lang), "input", "bytes", (json_int_t)d->bounce.bytes,
	    "lines", (json_int_t)d->bounce.lines, "format", "text", "results",
	    results, "entities", report_entities(&d->bounce.ent), "checks",
	    json_object(), "anomalies", report_anomalies(d->bounce.anomalies));
	return report_dump(doc, len_out);
}

char *
report_problem(const char *code, const char *title, unsigned status,
    const char *detail, size_t *len_out)
{
	json_t *doc = json_pack("{s:s++, s:s, s:s, s:i, s:s}", "type",
	    "urn:bouncedoc:problem:", code, "", "code", code, "title", title,
	    "status", (int)status, "detail", detail);

	return report_dump(doc, len_out);
}
