/* SPDX-License-Identifier: MIT */
/*
 * report_check.c - the live checks' objects of the API's JSON answers
 *
 * A live check hands over its result as data (check.h); the part every
 * check has (status, not_checked_reason) is written here once, the
 * check's own fields by its line in report_check_kinds, so the checks never
 * see JSON. The same object stands under a diagnosis's "checks", in
 * GET /api/v1/check's "checks", and alone as the answer of a check's own
 * endpoint (SpfCheck for GET /api/v1/spf, ...); openapi.yaml describes
 * each.
 * Not here: the diagnosis (report.c), HTTP (api.c, api_check.c).
 */
#include "report.h"

#include <stdlib.h>

#include "buf.h"
#include "check.h"
#include "check_dkim.h"
#include "check_dmarc.h"
#include "check_dnsbl.h"
#include "check_mx.h"
#include "check_ptr.h"
#include "check_spf.h"
#include "dkimcheck.h"
#include "dmarccheck.h"
#include "dnsbl.h"
#include "dnsbl_health.h"
#include "finding.h"
#include "mxcheck.h"
#include "ptrcheck.h"
#include "report_int.h"
#include "spf.h"
#include "spffix.h"
#include "texts.h"

#define REPORT_CHECK_MAX_BYTES (4u << 20)

void
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

/* report_problems - "problems": what a check found wrong, each a stable
 * code, a level and a sentence */
static void
report_problems(struct jsonw *w, const struct report_say *say,
    const struct findings *f)
{
	jsonw_key(w, "problems");
	jsonw_arr(w);
	for (size_t i = 0; i < f->n; i++) {
		jsonw_obj(w);
		jsonw_kstr(w, "code", f->v[i].code);
		jsonw_kstr(w, "level", finding_level_str(f->v[i].level));
		report_kmsg(w, say, "text", f->v[i].msg);
		jsonw_end(w);
	}
	jsonw_end(w);
}

/* report_strs - key: a list of strings */
static void
report_strs(struct jsonw *w, const char *key, const char *const *v, size_t n)
{
	jsonw_key(w, key);
	jsonw_arr(w);
	for (size_t i = 0; i < n; i++)
		jsonw_str(w, v[i]);
	jsonw_end(w);
}

/* report_tri - key: true, false, or null when not known */
static void
report_tri(struct jsonw *w, const char *key, enum ptrcheck_tri t)
{
	if (t == PTRCHECK_UNKNOWN)
		jsonw_kstr(w, key, NULL);
	else
		jsonw_kbool(w, key, t == PTRCHECK_YES);
}

/* report_check_mx - the MxCheck fields */
static void
report_check_mx(struct jsonw *w, const struct report_say *say, const void *data)
{
	const struct mxcheck_result *r = data;

	jsonw_kstr(w, "domain", r->domain);
	jsonw_kbool(w, "null_mx", r->null_mx);
	jsonw_kbool(w, "implicit", r->implicit);
	jsonw_key(w, "mx");
	jsonw_arr(w);
	for (size_t i = 0; i < r->nexchanges; i++) {
		const struct mxcheck_exchange *x = &r->exchanges[i];

		jsonw_obj(w);
		jsonw_kint(w, "preference", x->preference);
		jsonw_kstr(w, "host", x->host);
		jsonw_kstr(w, "status", mxcheck_status_str(x->status));
		jsonw_kstr(w, "alias_of", x->canonical);
		report_strs(w, "addresses", x->addresses, x->naddresses);
		jsonw_kint(w, "addresses_omitted",
		    (int64_t)x->addresses_omitted);
		report_kmsg(w, say, "not_checked_reason", x->unchecked);
		jsonw_end(w);
	}
	jsonw_end(w);
	jsonw_kint(w, "omitted", (int64_t)r->omitted);
	report_problems(w, say, &r->findings);
}

/* report_check_ptr - the PtrCheck fields */
static void
report_check_ptr(struct jsonw *w, const struct report_say *say,
    const void *data)
{
	const struct ptrcheck_result *r = data;
	const struct ptrcheck_helo *h = &r->helo;

	jsonw_kstr(w, "ip", r->ip);
	jsonw_kstr(w, "reverse", r->reverse);
	jsonw_key(w, "names");
	jsonw_arr(w);
	for (size_t i = 0; i < r->nnames; i++) {
		const struct ptrcheck_name *n = &r->names[i];

		jsonw_obj(w);
		jsonw_kstr(w, "name", n->name);
		report_tri(w, "confirmed", n->confirmed);
		report_strs(w, "addresses", n->addrs, n->naddrs);
		report_kmsg(w, say, "not_checked_reason", n->unchecked);
		jsonw_end(w);
	}
	jsonw_end(w);
	jsonw_kint(w, "names_omitted", (int64_t)r->names_left_out);
	report_tri(w, "fcrdns", r->fcrdns);
	jsonw_kbool(w, "generic", r->generic.generic);
	jsonw_kbool(w, "dynamic", r->generic.dynamic);
	jsonw_kstr(w, "reserved", r->reserved);
	jsonw_key(w, "helo");
	if (h->name != NULL) {
		jsonw_obj(w);
		jsonw_kstr(w, "name", h->name);
		jsonw_kbool(w, "literal", h->literal);
		jsonw_kbool(w, "fqdn", h->fqdn);
		report_tri(w, "matches_ptr", h->matches_ptr);
		report_tri(w, "resolves_to_ip", h->resolves_to_ip);
		report_kmsg(w, say, "not_checked_reason", h->unchecked);
		jsonw_end(w);
	} else {
		jsonw_null(w);
	}
	report_problems(w, say, &r->findings);
}

/* report_dnsbl_meaning - "meaning": the meanings of every code a list
 * answered, in the answer's language, joined; null without one */
static void
report_dnsbl_meaning(struct jsonw *w, const struct report_say *say,
    const struct dnsbl_zone_result *z)
{
	struct buf b;

	buf_init(&b, 1u << 16);
	for (size_t i = 0; i < z->nhits; i++) {
		for (size_t k = 0; k < z->hits[i].nmeanings; k++) {
			if (b.len > 0)
				(void)buf_append(&b, "; ", 2);
			(void)buf_printf(&b, "%s",
			    texts_render(say->a, say->t, say->l,
			        z->hits[i].meanings[k]));
		}
	}
	jsonw_kstr(w, "meaning", b.len > 0 ? buf_span(&b).ptr : NULL);
	buf_clear(&b);
}

/* report_check_dnsbl - the DnsblCheck fields */
static void
report_check_dnsbl(struct jsonw *w, const struct report_say *say,
    const void *data)
{
	const struct dnsbl_result *r = data;

	jsonw_kbool(w, "listed", r->listed);
	jsonw_kbool(w, "allowlisted", r->allowlisted);
	jsonw_key(w, "lists");
	jsonw_arr(w);
	for (size_t i = 0; i < r->nzones; i++) {
		const struct dnsbl_zone_result *z = &r->zones[i];

		jsonw_obj(w);
		jsonw_kstr(w, "zone", z->zone_name);
		jsonw_kstr(w, "name", z->zone != NULL ? z->zone->name : NULL);
		jsonw_kstr(w, "kind",
		    z->zone != NULL ? dnsbl_kind_str(z->zone->kind) : NULL);
		jsonw_kstr(w, "target", z->target);
		jsonw_kstr(w, "status", dnsbl_status_str(z->status));
		jsonw_key(w, "codes");
		jsonw_arr(w);
		for (size_t k = 0; k < z->nhits; k++)
			jsonw_str(w, z->hits[k].code);
		jsonw_end(w);
		report_dnsbl_meaning(w, say, z);
		jsonw_kstr(w, "txt", z->txt);
		report_kmsg(w, say, "detail", z->detail);
		report_kmsg(w, say, "note", z->note);
		jsonw_kstr(w, "health", dnsbl_health_state_str(z->health));
		jsonw_kbool(w, "named", z->named);
		jsonw_kstr(w, "delist",
		    z->zone != NULL ? z->zone->delist : NULL);
		jsonw_end(w);
	}
	jsonw_end(w);
	report_problems(w, say, &r->findings);
}

/* report_policy - key: a DMARC policy, or null when there is none */
static void
report_policy(struct jsonw *w, const char *key, enum dmarcrec_policy p)
{
	jsonw_kstr(w, key,
	    p == DMARCREC_P_UNSET ? NULL : dmarcrec_policy_str(p));
}

/* report_check_dmarc - the DmarcCheck fields */
static void
report_check_dmarc(struct jsonw *w, const struct report_say *say,
    const void *data)
{
	const struct dmarccheck_result *r = data;
	bool has = r->found_at != NULL;

	jsonw_kstr(w, "domain", r->domain);
	jsonw_kstr(w, "org_domain", r->org_domain);
	jsonw_kstr(w, "found_at", r->found_at);
	jsonw_kstr(w, "record", r->record);
	report_policy(w, "policy", r->policy);
	report_policy(w, "subdomain_policy", r->subdomain_policy);
	report_policy(w, "effective_policy", r->effective);
	jsonw_kstr(w, "adkim", has ? dmarcrec_align_str(r->adkim) : NULL);
	jsonw_kstr(w, "aspf", has ? dmarcrec_align_str(r->aspf) : NULL);
	if (has)
		jsonw_kint(w, "pct", r->pct);
	else
		jsonw_kstr(w, "pct", NULL);
	report_strs(w, "rua", r->rua, r->nrua);
	report_problems(w, say, &r->findings);
}

/* report_check_dkim - the DkimCheck fields */
static void
report_check_dkim(struct jsonw *w, const struct report_say *say,
    const void *data)
{
	const struct dkimcheck_result *r = data;

	jsonw_kstr(w, "domain", r->domain);
	jsonw_kstr(w, "selector", r->selector);
	jsonw_kstr(w, "name", r->name);
	jsonw_kstr(w, "record", r->record);
	jsonw_kstr(w, "key_type", r->key_type);
	if (r->key_bits > 0)
		jsonw_kint(w, "key_bits", r->key_bits);
	else
		jsonw_kstr(w, "key_bits", NULL);
	jsonw_kbool(w, "revoked", r->revoked);
	jsonw_kbool(w, "testing", r->testing);
	report_problems(w, say, &r->findings);
}

/* Each check's own fields, by kind; a check without a line here shows
 * only its status. */
static const struct {
	const struct check_kind *kind;
	report_check_fn *fields;
} report_check_kinds[] = {
	{ &check_spf_kind, report_check_spf },
	{ &check_mx_kind, report_check_mx },
	{ &check_ptr_kind, report_check_ptr },
	{ &check_dnsbl_kind, report_check_dnsbl },
	{ &check_dmarc_kind, report_check_dmarc },
	{ &check_dkim_kind, report_check_dkim },
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

/* report_summary - what the check found against the bounce's claim */
static void
report_summary(struct jsonw *w, const struct report_say *say,
    const struct check_result *c)
{
	report_kmsg(w, say, "summary", c->summary);
}

/* report_check_object - the check's object: its status, then its own
 * fields when it has a result */
static void
report_check_object(struct jsonw *w, const struct report_say *say,
    const struct check_result *c)
{
	jsonw_obj(w);
	report_status(w, say, c->unchecked);
	/* a check never started (check.h: data NULL) has its status only */
	if (c->data != NULL)
		report_summary(w, say, c);
	for (size_t i = 0; c->data != NULL &&
	     i < sizeof(report_check_kinds) / sizeof(report_check_kinds[0]);
	     i++) {
		if (report_check_kinds[i].kind == c->kind)
			report_check_kinds[i].fields(w, say, c->data);
	}
	jsonw_end(w);
}

/* report_check - checks.<name>: the check's object */
static void
report_check(struct jsonw *w, const struct report_say *say,
    const struct check_result *c)
{
	jsonw_key(w, c->kind->name);
	report_check_object(w, say, c);
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

void
report_checks_member(struct jsonw *w, const struct report_say *say,
    const struct check_result *checks, size_t nchecks)
{
	jsonw_key(w, "checks");
	jsonw_obj(w);
	for (size_t i = 0; i < nchecks; i++)
		report_check(w, say, &checks[i]);
	jsonw_end(w);
}

/* report_check_doc - a document of its own: the JSON fill writes, in l */
static char *
report_check_doc(const struct texts *t, enum lang l,
    void (
        *fill)(struct jsonw *w, const struct report_say *say, const void *arg),
    const void *arg, size_t *len_out)
{
	struct report_say say = { arena_new(), t, l };
	struct buf b;
	struct jsonw w;
	char *body;

	buf_init(&b, REPORT_CHECK_MAX_BYTES);
	jsonw_init(&w, &b);
	fill(&w, &say, arg);
	body = buf_steal(&b, len_out);
	arena_free(say.a);
	return body;
}

struct report_checks_arg {
	const struct check_result *checks;
	size_t n;
};

static void
report_checks_fill(struct jsonw *w, const struct report_say *say,
    const void *arg)
{
	const struct report_checks_arg *c = arg;

	jsonw_obj(w);
	jsonw_kstr(w, "lang", lang_str(texts_langs(say->t), say->l));
	report_checks_member(w, say, c->checks, c->n);
	jsonw_end(w);
}

char *
report_checks(const struct texts *t, enum lang l,
    const struct check_result *checks, size_t nchecks, size_t *len_out)
{
	struct report_checks_arg c = { checks, nchecks };

	return report_check_doc(t, l, report_checks_fill, &c, len_out);
}

static void
report_one_fill(struct jsonw *w, const struct report_say *say, const void *arg)
{
	report_check_object(w, say, arg);
}

char *
report_check_one(const struct texts *t, enum lang l,
    const struct check_result *r, size_t *len_out)
{
	return report_check_doc(t, l, report_one_fill, r, len_out);
}
