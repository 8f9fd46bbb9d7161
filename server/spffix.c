/* SPDX-License-Identifier: MIT */
/*
 * spffix.c - a concrete fix for an SPF fail, softfail, permerror or none
 *
 * One strategy per result, chosen by spffix_propose: fail and softfail
 * get a term in front of the one that decided (a provider's include: or
 * the client's address), none a starter record, permerror the correction
 * its cause allows (records merged or repaired, an include: of nothing or
 * a void term removed, repeats and ptr dropped) or just why.
 * Each run starts from the outcome and the answers lookup has, in a
 * scratch arena; a run that misses a record it could use names it in
 * pending[] and the caller runs it again (the pattern of spf_eval). The
 * corrected record is built from the published text (terms kept as
 * written), then evaluated again by spf_eval with the domain's TXT answer
 * replaced, so result_after is what check_host() would say, not a guess.
 * Sentences are messages ("spffix.*" of rules/messages.json, texts_msg.h)
 * whose arguments are data and other messages; the language they are
 * read in is chosen when the answer is written (report.c).
 * Not here: the provider a name belongs to (spffix_provider.c), editing
 * and repairing the record's text (spffix_edit.c), reading the answers
 * and counting lookups (spffix_cost.c), DNS (spfcheck.c), RFC 7208
 * itself (spf.c), the record grammar (spfrecord.c).
 */
#include "spffix.h"
#include "spffix_int.h"

#include <string.h>

#include "ascii.h"
#include "buf.h"
#include "spfaddr.h"
#include "spfname.h"
#include "spfrecord.h"

/*
 * Sentences: messages of rules/messages.json ("spffix.*"), in the scratch
 * arena until spffix_propose copies the fix
 */

struct texts_msg *
fx_msg(struct fx *fx, const char *id)
{
	return texts_msg_new(fx->a, id);
}

/* fx_then - the message id whose {why} is the sentence so far */
static struct texts_msg *
fx_then(struct fx *fx, const char *id, const struct texts_msg *why)
{
	return texts_msg_sub(fx_msg(fx, id), "why", why);
}

/* fx_note - append one change to the list (NULL: none yet) */
void
fx_note(struct fx *fx, const struct texts_msg **list,
    const struct texts_msg *change)
{
	struct texts_msg *m;

	if (*list == NULL) {
		*list = change;
		return;
	}
	m = fx_msg(fx, "spffix.changes");
	(void)texts_msg_sub(m, "list", *list);
	(void)texts_msg_sub(m, "change", change);
	*list = m;
}

/* fx_changes - the change list as an argument ("" when empty) */
static struct texts_msg *
fx_changes(struct texts_msg *m, const struct texts_msg *list)
{
	return list != NULL ? texts_msg_sub(m, "changes", list) :
	                      texts_msg_arg(m, "changes", "");
}

/*
 * Re-evaluation with a record replaced
 */

struct fx_over {
	struct fx *fx;
	const char *name;
	struct dnsmsg_answer ans;
	struct dnsmsg_record rec;
};

static const struct dnsmsg_answer *
fx_over_lookup(void *arg, const char *name, uint16_t type)
{
	struct fx_over *ov = arg;

	if (type == DNSMSG_T_TXT && strcmp(name, ov->name) == 0)
		return &ov->ans;
	return ov->fx->lookup(ov->fx->arg, name, type);
}

/* fx_verify - the result the query gets when domain publishes record
 * instead, into *out; false while unknown (DNS data still needed) */
static bool
fx_verify(struct fx *fx, const char *domain, const char *record,
    enum spf_result *out)
{
	struct spf_pending pending[SPF_MAX_PENDING];
	struct spf_outcome o;
	struct fx_over ov;
	size_t n = 0;

	memset(&ov, 0, sizeof(ov));
	ov.fx = fx;
	ov.name = fx_lower(fx, domain);
	ov.ans.status = DNSMSG_OK;
	ov.ans.canonical = ov.name;
	ov.ans.records = &ov.rec;
	ov.ans.nrecords = 1;
	ov.rec.type = DNSMSG_T_TXT;
	ov.rec.u.txt.data = record;
	ov.rec.u.txt.len = strlen(record);
	ov.rec.u.txt.nstrings = 1;
	if (spf_eval(fx->a, fx->in->q, fx_over_lookup, &ov, &o, pending, &n) ==
	    SPF_EVAL_DONE) {
		*out = o.result;
		return true;
	}
	for (size_t i = 0; i < n; i++)
		fx_need(fx, pending[i].name, pending[i].type);
	return false;
}

/*
 * Common parts of a fix
 */

static const char *
fx_ip_term(struct fx *fx)
{
	return arena_printf(fx->a, "%s:%s", fx->ip.v6 ? "ip6" : "ip4",
	    fx->ip_text);
}

/* fx_neighbours - the /24 or /64 around the client, as a term */
static const char *
fx_neighbours(struct fx *fx)
{
	struct spfaddr n = fx->ip;
	char text[SPFADDR_MAX_TEXT];

	if (n.v6)
		memset(n.b + 8, 0, 8);
	else
		n.b[3] = 0;
	(void)spfaddr_str(&n, SPFADDR_READABLE, text);
	return arena_printf(fx->a, "%s:%s/%u", n.v6 ? "ip6" : "ip4", text,
	    n.v6 ? 64u : 24u);
}

/* fx_includes - does the record have include:target (any qualifier)? */
static bool
fx_includes(const struct spfrecord *rec, const char *target)
{
	struct span t = span_cstr(target);

	for (size_t i = 0; i < rec->nterms; i++) {
		struct span d = rec->terms[i].domain;

		if (rec->terms[i].kind != SPFRECORD_INCLUDE || d.ptr == NULL)
			continue;
		if (d.len > 0 && d.ptr[d.len - 1] == '.')
			d.len--;
		if (ascii_ieq(d, t))
			return true;
	}
	return false;
}

/* fx_costly_text - "include:a (4 lookups), mx (1)"; NULL when n is 0 */
static const struct texts_msg *
fx_costly_text(struct fx *fx, const struct fx_cost *c, size_t n)
{
	struct texts_msg *s = NULL, *m;

	if (n > FX_MAX_LISTED)
		n = FX_MAX_LISTED;
	for (size_t i = 0; i < n; i++) {
		if (i == 0) {
			m = fx_msg(fx, "spffix.costly");
			(void)texts_msg_count(m, c[i].cost);
		} else {
			m = fx_msg(fx, "spffix.costly_more");
			(void)texts_msg_sub(m, "list", s);
			(void)texts_msg_num(m, "cost", c[i].cost);
		}
		(void)texts_msg_arg(m, "term", c[i].term);
		s = m;
	}
	return s;
}

/* fx_costly_arg - the costliest terms as the argument "costly" */
static void
fx_costly_arg(struct fx *fx, struct texts_msg *m, const struct fx_cost *c,
    size_t n)
{
	const struct texts_msg *list = fx_costly_text(fx, c, n);

	if (list != NULL)
		(void)texts_msg_sub(m, "costly", list);
	else
		(void)texts_msg_arg(m, "costly", "");
}

/* fx_lookups - lookups_after of record and, past the limit, the warning;
 * extra is added to the count (a provider's include not readable),
 * alt a term that would need no lookup, or NULL */
static void
fx_lookups(struct fx *fx, const char *record, unsigned extra, const char *alt)
{
	struct fx_cost c[FX_MAX_LISTED];
	bool known = true;
	unsigned n = fx_cost(fx, record, &known) + extra;
	struct texts_msg *w;
	size_t nc;

	fx->fix->lookups_after = n;
	if (n <= SPF_MAX_DNS_TERMS)
		return;
	nc = fx_costly(fx, record, c, FX_MAX_LISTED);
	w = fx_msg(fx, "spffix.warning");
	(void)texts_msg_count(w, n);
	(void)texts_msg_num(w, "max", SPF_MAX_DNS_TERMS);
	fx_costly_arg(fx, w, c, nc);
	if (alt != NULL)
		w = texts_msg_arg(texts_msg_sub(fx_msg(fx,
		                                    "spffix.warning_alt"),
		                      "warning", w),
		    "term", alt);
	fx->fix->warning = w;
}

/* fx_after - the sentence on result_after, appended to why */
static void
fx_after(struct fx *fx)
{
	struct spffix *f = fx->fix;
	enum spf_result r = f->result_after;
	struct texts_msg *m;

	if (!f->verified || f->record == NULL)
		return;
	m = fx_then(fx,
	    fx->o->result == SPF_PERMERROR &&
	            (r == SPF_FAIL || r == SPF_SOFTFAIL) ?
	        "spffix.after_add" :
	        "spffix.after",
	    f->why);
	(void)texts_msg_arg(m, "ip", fx->ip_text);
	(void)texts_msg_arg(m, "result", spf_result_str(r));
	f->why = m;
}

/*
 * fail and softfail
 */

/* fx_anchor - where the new term goes: in front of the deciding term of
 * the top record, else of its redirect=, else of its last all, else at
 * the end (text.len) */
static size_t
fx_anchor(struct fx *fx, const struct spfrecord *rec, struct span *anchor)
{
	const struct spf_trace_step *d = fx->o->decisive;

	*anchor = SPAN_NULL;
	if (d != NULL && d->depth == 0 && d->domain != NULL &&
	    ascii_ieq_cstr(span_cstr(d->domain), fx->o->domain)) {
		for (size_t i = 0; i < rec->nterms; i++) {
			if (rec->terms[i].offset == d->offset &&
			    spfrecord_is_mechanism(rec->terms[i].kind)) {
				*anchor = rec->terms[i].text;
				return d->offset;
			}
		}
	}
	if (rec->redirect != NULL && !fx_has_all(rec)) {
		*anchor = rec->redirect->text;
		return rec->redirect->offset;
	}
	for (size_t i = rec->nterms; i-- > 0;) {
		if (rec->terms[i].kind == SPFRECORD_ALL) {
			*anchor = rec->terms[i].text;
			return rec->terms[i].offset;
		}
	}
	return rec->text.len;
}

static const struct texts_msg *
fx_where(struct fx *fx, struct span anchor)
{
	if (anchor.ptr == NULL)
		return fx_msg(fx, "spffix.where_end");
	return texts_msg_arg(fx_msg(fx, "spffix.where_before"), "term",
	    arena_strndup(fx->a, anchor.ptr, anchor.len));
}

static void
fx_fail(struct fx *fx)
{
	const struct spf_outcome *o = fx->o;
	struct spffix *f = fx->fix;
	struct spfrecord rec;
	struct spfrecord_error err;
	struct span text = span_make(o->record, o->record_len), anchor;
	const struct mailprov *p, *already = NULL, *uncovered = NULL;
	const char *via, *ip_term = fx_ip_term(fx), *base;
	enum spf_result res = SPF_NONE;
	const struct texts_msg *where, *lead, *mods = NULL, *junk = NULL;
	struct texts_msg *m;
	unsigned extra = 0;
	size_t at;
	bool by_ptr;

	if (o->record == NULL || spfrecord_parse(fx->a, text, &rec, &err) == -1)
		return;
	lead = texts_msg_with(fx->a, "spffix.fail_lead", "domain", o->domain,
	    "ip", fx->ip_text, "result", spf_result_str(o->result), "term",
	    o->decisive != NULL ? o->decisive->term : "", TEXTS_MSG_END);
	/* "include=x" ignored as a modifier: corrected first, and maybe
	 * enough */
	base = fx_fix_modifiers(fx, o->record, &mods);
	if (base != o->record) {
		if (fx_verify(fx, o->domain, base, &res) && res == SPF_PASS) {
			f->record = base;
			f->verified = true;
			f->result_after = res;
			f->why =
			    fx_changes(fx_then(fx, "spffix.corrected", lead),
			        mods);
			fx_lookups(fx, base, 0, NULL);
			fx_after(fx);
			return;
		}
		lead = fx_changes(fx_then(fx, "spffix.also_corrected", lead),
		    mods);
	}
	at = fx_anchor(fx, &rec, &anchor);
	where = fx_where(fx, anchor);
	p = fx_provider(fx, &via, &by_ptr);
	if (p != NULL && fx_includes(&rec, p->include)) {
		already = p;
		p = NULL;
	}
	if (p != NULL && fx_usable(fx, p) == 0) {
		uncovered = p; /* its record is not there to include */
		p = NULL;
	}
	if (p != NULL) {
		const char *inc = arena_printf(fx->a, "include:%s", p->include);
		const char *cand = fx_insert(fx, text, at, inc);

		if (base != o->record)
			cand = fx_fix_modifiers(fx, cand, &junk);
		bool known = fx_verify(fx, o->domain, cand, &res);

		if (known && res != SPF_PASS && res != SPF_PERMERROR &&
		    res != SPF_TEMPERROR) {
			uncovered = p; /* its record does not list the client */
			p = NULL;
		} else {
			f->record = cand;
			f->added = inc;
			f->provider = p->name;
			f->verified = known;
			f->result_after = res;
			extra = fx_table_cost(fx, p);
		}
	}
	if (p == NULL) {
		f->record = fx_insert(fx, text, at, ip_term);
		if (base != o->record)
			f->record = fx_fix_modifiers(fx, f->record, &junk);
		f->added = ip_term;
		f->verified =
		    fx_verify(fx, o->domain, f->record, &f->result_after);
	}
	if (p != NULL) {
		m = fx_then(fx,
		    by_ptr ? "spffix.fail_provider_ptr" :
		             "spffix.fail_provider_named",
		    lead);
		(void)texts_msg_arg(m, "host", via);
		(void)texts_msg_arg(m, "provider", p->name);
		(void)texts_msg_arg(m, "include", p->include);
		(void)texts_msg_arg(m, by_ptr ? "ip" : "domain",
		    by_ptr ? fx->ip_text : o->domain);
	} else {
		m = fx_then(fx, "spffix.fail_ip", lead);
		(void)texts_msg_arg(m, "term", ip_term);
		(void)texts_msg_arg(m, "range", fx_neighbours(fx));
	}
	(void)texts_msg_sub(m, "where", where);
	f->why = m;
	if (already != NULL) {
		m = fx_then(fx, "spffix.fail_already", f->why);
		(void)texts_msg_arg(m, "include", already->include);
		(void)texts_msg_arg(m, "provider", already->name);
		(void)texts_msg_arg(m, "ip", fx->ip_text);
		f->why = m;
	}
	if (uncovered != NULL) {
		m = fx_then(fx,
		    by_ptr ? "spffix.fail_uncovered_ptr" :
		             "spffix.fail_uncovered_named",
		    f->why);
		(void)texts_msg_arg(m, "host", via);
		(void)texts_msg_arg(m, "provider", uncovered->name);
		(void)texts_msg_arg(m, "include", uncovered->include);
		(void)texts_msg_arg(m, "ip", fx->ip_text);
		f->why = m;
	}
	fx_lookups(fx, f->record, extra, p != NULL ? ip_term : NULL);
	fx_after(fx);
}

/*
 * none
 */

static void
fx_none(struct fx *fx)
{
	const struct spf_outcome *o = fx->o;
	struct spffix *f = fx->fix;
	const struct dnsmsg_answer *ans;
	const struct mailprov *p;
	struct span text;
	const char *via, *ip_term = fx_ip_term(fx);
	struct texts_msg *m;
	unsigned extra = 0;
	bool by_ptr;

	switch (fx_txt(fx, o->domain, &ans, &text)) {
	case FX_TXT_MISSING:
		return;
	case FX_TXT_NXDOMAIN:
		f->why = texts_msg_arg(fx_msg(fx, "spffix.none_nxdomain"),
		    "domain", o->domain);
		return;
	case FX_TXT_NONE:
		break;
	default:
		fx->fix = NULL;
		return;
	}
	p = fx_provider(fx, &via, &by_ptr);
	if (p != NULL && fx_usable(fx, p) != 0) {
		const char *inc = arena_printf(fx->a, "include:%s", p->include);
		const char *cand = arena_printf(fx->a, "v=spf1 %s ~all", inc);

		enum spf_result res;
		bool known = fx_verify(fx, o->domain, cand, &res);

		if (!known || res == SPF_PASS) {
			f->record = cand;
			f->added = inc;
			f->provider = p->name;
			f->verified = known;
			f->result_after = res;
			extra = fx_table_cost(fx, p);
		}
	}
	if (f->record == NULL) {
		f->record = arena_printf(fx->a, "v=spf1 %s ~all", ip_term);
		f->added = ip_term;
		f->verified =
		    fx_verify(fx, o->domain, f->record, &f->result_after);
	}
	m = texts_msg_arg(fx_msg(fx, "spffix.none"), "domain", o->domain);
	if (f->provider != NULL) {
		struct texts_msg *whom = fx_msg(fx,
		    by_ptr ? "spffix.none_whom_ptr" : "spffix.none_whom_named");

		(void)texts_msg_arg(whom, "provider", f->provider);
		(void)texts_msg_arg(whom, "host", via);
		if (by_ptr)
			(void)texts_msg_arg(whom, "ip", fx->ip_text);
		(void)texts_msg_sub(m, "whom", whom);
	} else {
		(void)texts_msg_arg(m, "whom", fx->ip_text);
	}
	f->why = m;
	fx_lookups(fx, f->record, extra, f->provider != NULL ? ip_term : NULL);
	fx_after(fx);
}

/*
 * permerror
 */

/* fx_multi - several SPF records at domain: merge them */
static void
fx_multi(struct fx *fx, const char *domain, const struct dnsmsg_answer *ans)
{
	struct spffix *f = fx->fix;
	const struct texts_msg *changes = NULL;
	struct texts_msg *m = fx_msg(fx, "spffix.multi");
	size_t n;
	const struct texts_msg *e;
	const char *alls, *merged = fx_merge(fx, ans, &n, &alls);

	f->domain = domain;
	f->record = fx_repair(fx, merged, &changes, &e);
	(void)texts_msg_count(m, n);
	if (ascii_ieq_cstr(span_cstr(domain), fx->o->domain))
		(void)texts_msg_arg(m, "whose", domain);
	else
		(void)texts_msg_sub(m, "whose",
		    texts_msg_arg(texts_msg_arg(fx_msg(fx,
		                                    "spffix.multi_included"),
		                      "domain", domain),
		        "top", fx->o->domain));
	f->why = m;
	if (alls != NULL)
		f->why = texts_msg_arg(fx_then(fx, "spffix.multi_alls", f->why),
		    "alls", alls);
	if (changes != NULL)
		f->why =
		    fx_changes(fx_then(fx, "spffix.multi_unparsed", f->why),
		        changes);
}

/* fx_syntax - the record of domain does not parse: repair it */
static void
fx_syntax(struct fx *fx, const char *domain, const char *record)
{
	struct spffix *f = fx->fix;
	const struct texts_msg *changes = NULL, *e;
	struct texts_msg *m;

	f->domain = domain;
	f->record = fx_repair(fx, record, &changes, &e);
	m = fx_msg(fx,
	    f->record != NULL ? "spffix.syntax" : "spffix.syntax_unusable");
	(void)texts_msg_arg(m, "domain", domain);
	if (e != NULL)
		(void)texts_msg_sub(m, "error", e);
	else
		(void)texts_msg_arg(m, "error", "?");
	if (f->record != NULL)
		(void)fx_changes(m, changes);
	f->why = m;
}

/* fx_record_of - the published record of domain (the top record from the
 * outcome); NULL when it cannot be had */
static const char *
fx_record_of(struct fx *fx, const char *domain)
{
	const struct dnsmsg_answer *ans;
	struct span t;

	if (fx->ov_name != NULL &&
	    strcmp(fx_lower(fx, domain), fx->ov_name) == 0)
		return fx->ov_text;
	if (ascii_ieq_cstr(span_cstr(domain), fx->o->domain) &&
	    fx->o->record != NULL)
		return fx_text(fx, span_make(fx->o->record, fx->o->record_len));
	if (fx_txt(fx, domain, &ans, &t) != FX_TXT_OK)
		return NULL;
	return fx_text(fx, t);
}

/* fx_reduce - the record without repeated lookup terms, its ptr terms
 * replaced by ip4:/ip6: of the client when its confirmed name is under
 * the ptr's domain (the term authorised it) and removed otherwise.
 * Returns the new record, or NULL when nothing changed; notes the
 * changes. */
static const char *
fx_reduce(struct fx *fx, const char *record, const char *domain,
    const struct texts_msg **changes, const char **added)
{
	struct spfrecord rec;
	struct spfrecord_error err;
	struct buf b;
	const char *hptr = fx->in->hints != NULL ? fx->in->hints->ptr : NULL;
	bool changed = false;

	*added = NULL;
	if (spfrecord_parse(fx->a, span_cstr(record), &rec, &err) == -1)
		return NULL;
	buf_init(&b, FX_RECORD_BUF);
	(void)buf_append(&b, record, 6);
	for (size_t i = 0; i < rec.nterms; i++) {
		const struct spfrecord_term *t = &rec.terms[i];
		const char *term =
		    arena_strndup(fx->a, t->text.ptr, t->text.len);
		bool dup = false;

		for (size_t j = 0; j < i && !dup; j++)
			dup = spfrecord_counts_lookup(t->kind) &&
			    rec.terms[j].kind == t->kind &&
			    ascii_ieq(rec.terms[j].text, t->text);
		if (dup) {
			fx_note(fx, changes,
			    texts_msg_arg(fx_msg(fx, "spffix.change.repeated"),
			        "term", term));
			changed = true;
			continue;
		}
		if (t->kind == SPFRECORD_PTR) {
			struct span under = t->domain.ptr != NULL ?
			    t->domain :
			    span_cstr(domain);

			changed = true;
			if (hptr != NULL && !fx_has_macro(under) &&
			    spfname_is_under(span_cstr(hptr), under)) {
				*added = fx_ip_term(fx);
				fx_note(fx, changes,
				    texts_msg_arg(
				        texts_msg_arg(fx_msg(fx,
				                          "spffix.change.ptr"),
				            "term", term),
				        "added", *added));
				(void)buf_printf(&b, " %s", *added);
			} else {
				fx_note(fx, changes,
				    texts_msg_arg(
				        fx_msg(fx, "spffix.change.ptr_removed"),
				        "term", term));
			}
			continue;
		}
		(void)buf_printf(&b, " %.*s", (int)t->text.len, t->text.ptr);
	}
	if (!changed) {
		buf_clear(&b);
		return NULL;
	}
	return fx_buf_str(fx, &b);
}

/* fx_too_many - more than 10 lookups: drop repeats and ptr if that is
 * enough, else name the costliest terms */
static void
fx_too_many(struct fx *fx)
{
	const struct spf_outcome *o = fx->o;
	struct spffix *f = fx->fix;
	struct fx_cost c[FX_MAX_LISTED];
	const struct texts_msg *changes = NULL;
	struct texts_msg *m;
	bool known = true;
	const char *top = fx_record_of(fx, o->domain), *reduced, *added;
	unsigned total, after;
	size_t nc;

	if (top == NULL)
		return;
	total = after = fx_cost(fx, top, &known);
	if (fx->loop != NULL) {
		f->lookups_after = o->lookups;
		f->why = texts_msg_num(texts_msg_with(fx->a, "spffix.loop",
		                           "domain", o->domain, "loop",
		                           fx->loop, TEXTS_MSG_END),
		    "max", SPF_MAX_DNS_TERMS);
		return;
	}
	if (total <= SPF_MAX_DNS_TERMS) {
		/* targets the count could not follow (macros): the
		 * evaluation's own count */
		total = after = o->lookups;
		known = false;
	}
	nc = fx_costly(fx, top, c, FX_MAX_LISTED);
	reduced = fx_reduce(fx, top, o->domain, &changes, &added);
	if (reduced != NULL) {
		bool k2 = true;

		after = fx_cost(fx, reduced, &k2);
	}
	f->lookups_after = total;
	if (reduced != NULL && after <= SPF_MAX_DNS_TERMS) {
		f->record = reduced;
		f->added = added;
		f->lookups_after = after;
		m = fx_changes(fx_msg(fx, "spffix.too_many_corrected"),
		    changes);
		changes = NULL; /* all of them said */
	} else {
		m = fx_msg(fx, "spffix.too_many");
		if (known)
			(void)texts_msg_num(m, "count", total);
		else
			(void)texts_msg_sub(m, "count",
			    texts_msg_num(fx_msg(fx, "spffix.at_least"),
			        "lookups", total));
		fx_costly_arg(fx, m, c, nc);
	}
	(void)texts_msg_count(m, total);
	(void)texts_msg_arg(m, "domain", o->domain);
	(void)texts_msg_num(m, "max", SPF_MAX_DNS_TERMS);
	f->why = m;
	if (changes != NULL)
		f->why = fx_changes(fx_then(fx, "spffix.too_many_also", f->why),
		    changes);
}

/* fx_is_void_step - a lookup that found nothing: spf.c says so with the
 * message "spf.found.void" */
static bool
fx_is_void_step(const struct spf_trace_step *s)
{
	return s->found != NULL && texts_msg_is(s->found, "spf.found.void");
}

/* fx_voids - more than 2 lookups found nothing: remove those terms of the
 * top record, name them all */
static void
fx_voids(struct fx *fx)
{
	const struct spf_outcome *o = fx->o;
	struct spffix *f = fx->fix;
	const char *rec = fx_record_of(fx, o->domain), *names = "";
	size_t nlisted = 0;

	for (size_t i = 0; i < o->ntrace && nlisted < FX_VOID_LISTED; i++) {
		const struct spf_trace_step *s = &o->trace[i];

		if (!fx_is_void_step(s))
			continue;
		names = arena_printf(fx->a, "%s%s\"%s\" (%s)", names,
		    nlisted++ == 0 ? "" : ", ", s->term, s->domain);
	}
	/* descending offsets keep the earlier ones valid */
	for (size_t i = o->ntrace; rec != NULL && i-- > 0;) {
		const struct spf_trace_step *s = &o->trace[i];

		if (fx_is_void_step(s) && s->depth == 0 &&
		    ascii_ieq_cstr(span_cstr(s->domain), o->domain) &&
		    s->offset + s->len <= strlen(rec))
			f->record = rec =
			    fx_remove(fx, span_cstr(rec), s->offset, s->len);
	}
	f->why = texts_msg_num(texts_msg_with(fx->a, "spffix.voids", "domain",
	                           o->domain, "terms", names, TEXTS_MSG_END),
	    "max", SPF_MAX_VOID);
}

/* fx_term_kind - the kind of one term as written, -1 if it does not
 * parse */
static int
fx_term_kind(struct fx *fx, const char *term, struct spfrecord_term *out)
{
	struct spfrecord rec;
	struct spfrecord_error err;

	if (spfrecord_parse(fx->a,
	        span_cstr(arena_printf(fx->a, "v=spf1 %s", term)), &rec,
	        &err) == -1 ||
	    rec.nterms != 1)
		return -1;
	*out = rec.terms[0];
	return (int)out->kind;
}

/* fx_term_msg - the message id about the term of step d in its record */
static struct texts_msg *
fx_term_msg(struct fx *fx, const char *id, const struct spf_trace_step *d)
{
	return texts_msg_arg(texts_msg_arg(fx_msg(fx, id), "term", d->term),
	    "domain", d->domain);
}

/* fx_drop - the decisive term cannot work: the record without it; why
 * is the message id, with the term and its domain; returns the message
 * (more arguments may follow) */
static struct texts_msg *
fx_drop(struct fx *fx, const struct spf_trace_step *d, const char *record,
    const char *why)
{
	struct spffix *f = fx->fix;
	struct texts_msg *m = fx_term_msg(fx, why, d);

	f->domain = d->domain;
	if (record != NULL && d->offset + d->len <= strlen(record))
		f->record = fx_remove(fx, span_cstr(record), d->offset, d->len);
	f->why = m;
	return m;
}

static void
fx_permerror(struct fx *fx)
{
	const struct spf_outcome *o = fx->o;
	const struct spf_trace_step *d = o->decisive;
	struct spffix *f = fx->fix;
	const struct dnsmsg_answer *ans;
	struct spfrecord_term t;
	struct spfrecord rec;
	struct spfrecord_error err;
	struct span txt;
	const char *record, *target;
	enum fx_txt st;
	int kind;

	if (o->lookups > SPF_MAX_DNS_TERMS) {
		fx_too_many(fx);
		return;
	}
	if (o->void_lookups > SPF_MAX_VOID) {
		fx_voids(fx);
		return;
	}
	if (d == NULL) {
		if (fx_txt(fx, o->domain, &ans, &txt) == FX_TXT_MULTI)
			fx_multi(fx, o->domain, ans);
		return;
	}
	if ((record = fx_record_of(fx, d->domain)) == NULL)
		return;
	if (spfrecord_parse(fx->a, span_cstr(record), &rec, &err) == -1) {
		fx_syntax(fx, d->domain, record);
		return;
	}
	kind = fx_term_kind(fx, d->term, &t);
	if ((kind == SPFRECORD_INCLUDE || kind == SPFRECORD_REDIRECT) &&
	    d->lookup != NULL && strncmp(d->lookup, "TXT ", 4) == 0) {
		target = d->lookup + 4;
		st = fx_txt(fx, target, &ans, &txt);
		if (st == FX_TXT_MULTI) {
			fx_multi(fx, target, ans);
		} else if (st == FX_TXT_NONE || st == FX_TXT_NXDOMAIN) {
			struct texts_msg *m =
			    fx_drop(fx, d, record, "spffix.dangling");

			(void)texts_msg_arg(m, "target", target);
			(void)texts_msg_arg(m, "section",
			    kind == SPFRECORD_INCLUDE ? "5.2" : "6.1");
		} else if (st == FX_TXT_OK) {
			const char *inner = fx_text(fx, txt);

			if (spfrecord_parse(fx->a, span_cstr(inner), &rec,
			        &err) == -1)
				fx_syntax(fx, target, inner);
		}
		return;
	}
	/* spf.c's found for more MX hosts than §4.6.4 allows */
	if (kind == SPFRECORD_MX &&
	    texts_msg_is(d->found, "spf.found.mx_hosts")) {
		struct texts_msg *m = fx_term_msg(fx, "spffix.mx_limit", d);

		f->domain = d->domain;
		(void)texts_msg_sub(m, "found", d->found);
		(void)texts_msg_num(m, "max", SPF_MAX_NAMES);
		f->why = m;
		return;
	}
	if (d->lookup == NULL && kind >= 0 && spfrecord_counts_lookup(t.kind))
		/* the target could not be expanded or is no name */
		(void)texts_msg_sub(fx_drop(fx, d, record,
		                        "spffix.unusable_term"),
		    "reason", o->reason);
}

/*
 * The run
 */

/* fx_permerror_after - the result and the lookups with the correction:
 * the corrected record is read instead of the published one(s), so an
 * included domain's correction counts in the top record's total */
static void
fx_permerror_after(struct fx *fx)
{
	struct spffix *f = fx->fix;
	const char *top;
	bool known = true;

	if (f->record != NULL) {
		const struct texts_msg *changes = NULL;
		const char *r = fx_fix_modifiers(fx, f->record, &changes);

		if (r != f->record)
			f->why = fx_changes(fx_then(fx, "spffix.also_corrected",
			                        f->why),
			    changes);
		f->record = r;
		fx->ov_name = fx_lower(fx, f->domain);
		fx->ov_text = f->record;
		f->verified =
		    fx_verify(fx, f->domain, f->record, &f->result_after);
	}
	if (fx->o->lookups > SPF_MAX_DNS_TERMS) {
		fx_after(fx); /* fx_too_many counted */
		return;
	}
	top = fx_record_of(fx, fx->o->domain);
	if (f->record != NULL && top != NULL)
		fx_lookups(fx, top, 0, NULL);
	else if (top != NULL)
		f->lookups_after = fx_cost(fx, top, &known);
	fx_after(fx);
}

/* fx_generic - a permerror without a mechanical correction */
static void
fx_generic(struct fx *fx)
{
	fx->fix->why = texts_msg_sub(texts_msg_arg(fx_msg(fx, "spffix.generic"),
	                                 "domain", fx->o->domain),
	    "reason", fx->o->reason);
}

static const char *
fx_dup(struct arena *a, const char *s)
{
	return s == NULL ? NULL : arena_strndup(a, s, strlen(s));
}

enum spffix_status
spffix_propose(struct arena *a, const struct spffix_in *in,
    spf_lookup_fn *lookup, void *arg, const struct spffix **fix_out,
    struct spf_pending *pending, size_t *npending_out)
{
	const struct spf_outcome *o = in->o;
	struct arena *tmp;
	struct fx *fx;
	struct spffix *out;

	*fix_out = NULL;
	*npending_out = 0;
	if (o->domain == NULL || in->q->ip == NULL ||
	    (o->result != SPF_FAIL && o->result != SPF_SOFTFAIL &&
	        o->result != SPF_NONE && o->result != SPF_PERMERROR))
		return SPFFIX_DONE;
	tmp = arena_new();
	fx = arena_zalloc(tmp, sizeof(*fx));
	fx->a = tmp;
	fx->in = in;
	fx->o = o;
	fx->lookup = lookup;
	fx->arg = arg;
	fx->fix = arena_zalloc(tmp, sizeof(*fx->fix));
	fx->fix->domain = o->domain;
	if (spfaddr_parse_client(span_cstr(in->q->ip), &fx->ip) == -1 ||
	    !spfname_is_domain(span_cstr(o->domain))) {
		arena_free(tmp);
		return SPFFIX_DONE;
	}
	(void)spfaddr_str(&fx->ip, SPFADDR_READABLE, fx->ip_text);
	switch (o->result) {
	case SPF_FAIL:
	case SPF_SOFTFAIL:
		fx_fail(fx);
		break;
	case SPF_NONE:
		fx_none(fx);
		break;
	default:
		fx_permerror(fx);
		if (fx->fix != NULL && fx->fix->why == NULL)
			fx_generic(fx);
		if (fx->fix != NULL)
			fx_permerror_after(fx);
		break;
	}
	if (fx->missing) {
		for (size_t i = 0; i < fx->npend; i++) {
			pending[i].name = fx_dup(a, fx->pend[i].name);
			pending[i].type = fx->pend[i].type;
		}
		*npending_out = fx->npend;
		arena_free(tmp);
		return SPFFIX_PENDING;
	}
	if (fx->fix != NULL && fx->fix->why != NULL) {
		out = arena_zalloc(a, sizeof(*out));
		out->domain = fx_dup(a, fx->fix->domain);
		out->record = fx_dup(a, fx->fix->record);
		out->added = fx_dup(a, fx->fix->added);
		out->provider = fx->fix->provider; /* the table's */
		out->verified = fx->fix->verified;
		out->result_after = fx->fix->result_after;
		out->why = texts_msg_dup(a, fx->fix->why);
		out->warning = texts_msg_dup(a, fx->fix->warning);
		out->lookups_after = fx->fix->lookups_after;
		*fix_out = out;
	}
	arena_free(tmp);
	return SPFFIX_DONE;
}
