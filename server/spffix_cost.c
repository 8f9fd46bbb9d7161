/* SPDX-License-Identifier: MIT */
/*
 * spffix_cost.c - the answers an SPF fix reads, and its lookup count
 *
 * The records of include targets come from the answers the check already
 * has (lookup); one that is missing is named in pending[] unless the run
 * is final. The count follows RFC 7208 §4.6.4 through include:/redirect=
 * targets as they are published, each target counted once per run.
 * Not here: the corrected record (spffix.c, its text spffix_edit.c), the
 * providers (spffix_provider.c), RFC 7208 evaluation (spf.c).
 */
#include <string.h>

#include "ascii.h"
#include "spffix_int.h"
#include "spfname.h"

/*
 * Answers
 */

/* fx_need - a query the fix could use: ask for it unless final */
void
fx_need(struct fx *fx, const char *name, uint16_t type)
{
	if (fx->in->final)
		return;
	fx->missing = true;
	for (size_t i = 0; i < fx->npend; i++)
		if (fx->pend[i].type == type &&
		    strcmp(fx->pend[i].name, name) == 0)
			return;
	if (fx->npend < SPF_MAX_PENDING) {
		fx->pend[fx->npend].name = name;
		fx->pend[fx->npend].type = type;
		fx->npend++;
	}
}

const char *
fx_lower(struct fx *fx, const char *name)
{
	struct span s = span_cstr(name);

	if (s.len > 0 && s.ptr[s.len - 1] == '.')
		s.len--;
	return spfname_lower(fx->a, s);
}

/* fx_txt - the one SPF record of name, as RFC 7208 §4.5 selects it */
enum fx_txt
fx_txt(struct fx *fx, const char *name, const struct dnsmsg_answer **ans_out,
    struct span *out)
{
	const char *q = fx_lower(fx, name);
	const struct dnsmsg_answer *ans;
	size_t n = 0;

	*ans_out = NULL;
	if (fx->ov_name != NULL && strcmp(q, fx->ov_name) == 0) {
		*out = span_cstr(fx->ov_text);
		return FX_TXT_OK;
	}
	if (!spfname_is_queryable(span_cstr(q)))
		return FX_TXT_NONE;
	if ((ans = fx->lookup(fx->arg, q, DNSMSG_T_TXT)) == NULL) {
		fx_need(fx, q, DNSMSG_T_TXT);
		return FX_TXT_MISSING;
	}
	*ans_out = ans;
	if (ans->status == DNSMSG_NXDOMAIN)
		return FX_TXT_NXDOMAIN;
	if (ans->status == DNSMSG_NODATA)
		return FX_TXT_NONE;
	if (ans->status != DNSMSG_OK)
		return FX_TXT_ERROR;
	for (size_t i = 0; i < ans->nrecords; i++) {
		const struct dnsmsg_record *r = &ans->records[i];
		struct span t;

		if (r->type != DNSMSG_T_TXT || r->u.txt.data == NULL)
			continue;
		t = span_make(r->u.txt.data, r->u.txt.len);
		if (!spfrecord_is_spf(t))
			continue;
		if (n++ == 0)
			*out = t;
	}
	return n == 0 ? FX_TXT_NONE : n == 1 ? FX_TXT_OK : FX_TXT_MULTI;
}

/*
 * Counting lookups (RFC 7208 §4.6.4) through the include tree
 */

static unsigned fx_cost_text(struct fx *fx, struct span text, unsigned depth,
    bool *known);

bool
fx_has_macro(struct span s)
{
	return s.ptr != NULL && memchr(s.ptr, '%', s.len) != NULL;
}

/* fx_cost_name - the lookups the record of name costs (its own terms and
 * their targets'); *known cleared when a part of it could not be read */
unsigned
fx_cost_name(struct fx *fx, const char *name, unsigned depth, bool *known)
{
	const struct dnsmsg_answer *ans;
	struct fx_memo *m = NULL;
	struct span text = SPAN_NULL;
	const char *q = fx_lower(fx, name);
	enum fx_txt st;
	bool k = true;
	unsigned c;

	for (size_t i = 0; i < fx->nmemo; i++) {
		if (strcmp(fx->memo[i].name, q) == 0) {
			if (fx->memo[i].busy) {
				fx->loop = fx->memo[i].name;
				return 0; /* a loop: counted once */
			}
			*known = *known && fx->memo[i].known;
			return fx->memo[i].cost;
		}
	}
	if (depth > SPFFIX_MAX_DEPTH || fx->work >= FX_MAX_WORK) {
		*known = false;
		return 0;
	}
	st = fx_txt(fx, q, &ans, &text);
	if (st == FX_TXT_MISSING || st == FX_TXT_ERROR) {
		*known = false;
		return 0;
	}
	if (st != FX_TXT_OK)
		return 0; /* an error of its own, nothing to count */
	if (fx->nmemo < FX_MAX_MEMO) {
		m = &fx->memo[fx->nmemo++];
		m->name = q;
		m->busy = true;
	}
	c = fx_cost_text(fx, text, depth + 1, &k);
	if (m != NULL) {
		m->busy = false;
		m->cost = c;
		m->known = k;
	}
	*known = *known && k;
	return c;
}

/* fx_term_cost - one term: 0, 1, or 1 and its target's */
static unsigned
fx_term_cost(struct fx *fx, const struct spfrecord_term *t, bool has_all,
    unsigned depth, bool *known)
{
	const char *target;

	if (!spfrecord_counts_lookup(t->kind))
		return 0;
	/* RFC 7208 §6.1: redirect= is not used when the record has all */
	if (t->kind == SPFRECORD_REDIRECT && has_all)
		return 0;
	if (t->kind != SPFRECORD_INCLUDE && t->kind != SPFRECORD_REDIRECT)
		return 1;
	if (t->domain.ptr == NULL || fx_has_macro(t->domain)) {
		*known = false; /* depends on the sender */
		return 1;
	}
	target = arena_strndup(fx->a, t->domain.ptr, t->domain.len);
	return 1 + fx_cost_name(fx, target, depth, known);
}

bool
fx_has_all(const struct spfrecord *rec)
{
	for (size_t i = 0; i < rec->nterms; i++)
		if (rec->terms[i].kind == SPFRECORD_ALL)
			return true;
	return false;
}

static unsigned
fx_cost_text(struct fx *fx, struct span text, unsigned depth, bool *known)
{
	struct spfrecord rec;
	struct spfrecord_error err;
	unsigned n = 0;
	bool has_all;

	fx->work++;
	if (spfrecord_parse(fx->a, text, &rec, &err) == -1)
		return 0;
	has_all = fx_has_all(&rec);
	for (size_t i = 0; i < rec.nterms && n < FX_MAX_COST; i++)
		n += fx_term_cost(fx, &rec.terms[i], has_all, depth, known);
	return n < FX_MAX_COST ? n : FX_MAX_COST;
}

unsigned
fx_cost(struct fx *fx, const char *record, bool *known)
{
	return fx_cost_text(fx, span_cstr(record), 0, known);
}

/* fx_costly - the lookup terms of record, costliest first */
size_t
fx_costly(struct fx *fx, const char *record, struct fx_cost *out, size_t max)
{
	struct spfrecord rec;
	struct spfrecord_error err;
	size_t n = 0;
	bool has_all, known = true;

	if (spfrecord_parse(fx->a, span_cstr(record), &rec, &err) == -1)
		return 0;
	has_all = fx_has_all(&rec);
	for (size_t i = 0; i < rec.nterms; i++) {
		const struct spfrecord_term *t = &rec.terms[i];
		unsigned c = fx_term_cost(fx, t, has_all, 0, &known);
		size_t j;

		if (c == 0)
			continue;
		j = n < max ? n++ : max;
		/* insertion by cost, stable; the cheapest falls off */
		while (j > 0 && out[j - 1].cost < c) {
			if (j < max)
				out[j] = out[j - 1];
			j--;
		}
		if (j < max) {
			out[j].term =
			    arena_strndup(fx->a, t->text.ptr, t->text.len);
			out[j].cost = c;
		}
	}
	return n;
}
