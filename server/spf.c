/* SPDX-License-Identifier: MIT */
/*
 * spf.c - RFC 7208 check_host(), as a restartable evaluation
 *
 * Every spf_eval call walks check_host() from the start in a scratch
 * arena. Each DNS answer comes from lookup(); the first one missing stops
 * the walk (SPF_EVAL_PENDING) with that query first in pending[], then
 * the queries the walk is sure or likely to ask next: the other hosts of
 * an mx or names of a ptr being checked, and the targets of the terms not
 * yet evaluated in every record on the way (include:/redirect= TXT, the
 * A/AAAA of a, the MX of mx, the A of exists, the PTR of ptr), within the
 * DNS-term budget left. Nothing depends on anything but the answers, so a
 * re-run with more answers walks the same path further. A finished walk
 * is copied into the caller's arena and the scratch arena is freed, so
 * the pending runs cost the caller nothing but the pending names.
 * Limits (RFC 7208 §4.6.4): 10 DNS terms, 2 void lookups, 10 MX hosts
 * (more is a permerror), 10 PTR names (the rest ignored); the trace holds
 * SPF_MAX_TRACE steps, macro expansions SPFMACRO_MAX_OUT bytes, records
 * SPF_MAX_RECORD bytes.
 * Not here: record grammar (spfrecord.c), macros (spfmacro.c), names
 * (spfname.c), addresses (spfaddr.c), fetching (the driver over
 * resolver.h).
 */
#include "spf.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "spfaddr.h"
#include "spfmacro.h"
#include "spfname.h"
#include "spfrecord.h"

/* include/redirect nesting; the 10-term limit stops a loop long before */
#define SPF_MAX_DEPTH 16
/* sender, HELO, domain and receiver longer than this are not checked */
#define SPF_MAX_INPUT 1024

#define SPF_NO_STEP ((size_t)-1)

_Static_assert(SPFRECORD_MAX_LEN == SPF_MAX_RECORD,
    "spf.h and spfrecord.h must agree on the longest record");

/* A record being evaluated: where the walk is, for the prefetch hints. */
struct spf_frame {
	const struct spfrecord *rec;
	const char *domain;
	size_t next; /* the first term not evaluated yet */
};

/* What check_host() came to for one domain. */
struct spf_host {
	enum spf_result result;
	const struct texts_msg *why; /* the reason sentence */
	size_t decisive;             /* trace index, or SPF_NO_STEP */
	const char *record;          /* the record's text, or NULL */
	size_t record_len;
	/* the exp= that applies if the result is fail (RFC 7208 §6.2): the
	 * deciding record's, after redirects, never an included one's */
	const struct spfrecord_term *exp;
	const char *exp_domain;
	size_t exp_step;
};

enum spf_mkind {
	SPF_M_NO_MATCH,
	SPF_M_MATCH,
	SPF_M_ERROR,
	SPF_M_PENDING,
};

/* What one mechanism came to. */
struct spf_mres {
	enum spf_mkind kind;
	enum spf_result err;         /* SPF_M_ERROR: temperror or permerror */
	const struct texts_msg *why; /* MATCH: what matched; ERROR: the
					reason */
	size_t decisive;             /* ERROR raised deeper: that step */
};

/* Where a target name stands after expansion. */
enum spf_tstat {
	SPF_T_OK,
	SPF_T_INVALID, /* cannot be queried: treated as non-existent */
	SPF_T_PENDING,
	SPF_T_ERROR,
};

struct spf_eval {
	struct arena *a; /* scratch, freed when spf_eval returns */
	const struct spf_query *q;
	spf_lookup_fn *lookup;
	void *arg;

	struct spfaddr ip;
	char ip_dotted[SPFADDR_MAX_TEXT];
	char ip_readable[SPFADDR_MAX_TEXT];
	char ip_reverse[SPFADDR_MAX_TEXT];
	char now[24];
	struct spfmacro_vars vars;
	const char *top_domain;

	unsigned lookups;
	unsigned voids;

	bool pending;
	struct spf_pending pend[SPF_MAX_PENDING];
	size_t npend;

	struct spf_trace_step *trace;
	size_t ntrace;
	bool truncated;
	struct spf_trace_step spare; /* written when the trace is full */

	struct spf_frame frames[SPF_MAX_DEPTH + 1];
	size_t nframes;

	/* %{p}: the validated names of <ip>, once known (RFC 7208 §7.3) */
	bool p_known;
	const char *p_names[SPF_MAX_NAMES];
	size_t np;
};

static bool spf_check_host(struct spf_eval *ev, const char *domain,
    unsigned depth, bool top, struct spf_host *h);

const char *
spf_result_str(enum spf_result r)
{
	switch (r) {
	case SPF_NONE:
		return "none";
	case SPF_NEUTRAL:
		return "neutral";
	case SPF_PASS:
		return "pass";
	case SPF_FAIL:
		return "fail";
	case SPF_SOFTFAIL:
		return "softfail";
	case SPF_TEMPERROR:
		return "temperror";
	case SPF_PERMERROR:
		return "permerror";
	}
	return "?";
}

const char *
spf_term_outcome_str(enum spf_term_outcome o)
{
	switch (o) {
	case SPF_TERM_NO_MATCH:
		return "no-match";
	case SPF_TERM_MATCH:
		return "match";
	case SPF_TERM_APPLIED:
		return "applied";
	case SPF_TERM_NOT_REACHED:
		return "not-reached";
	case SPF_TERM_ERROR:
		return "error";
	}
	return "?";
}

static const char *
spf_type_str(uint16_t type)
{
	switch (type) {
	case DNSMSG_T_A:
		return "A";
	case DNSMSG_T_AAAA:
		return "AAAA";
	case DNSMSG_T_MX:
		return "MX";
	case DNSMSG_T_PTR:
		return "PTR";
	case DNSMSG_T_TXT:
		return "TXT";
	default:
		return "?";
	}
}

/*
 * The sentences: messages of rules/messages.json ("spf.*"), in the
 * scratch arena until spf_outcome_fill copies them
 */

static struct texts_msg *
spf_msg(struct spf_eval *ev, const char *id)
{
	return texts_msg_new(ev->a, id);
}

/* spf_count - argument name of m: the count n, as the message
 * "spf.count.N" up to ten (English writes "two", "three"), else in
 * digits */
static struct texts_msg *
spf_count(struct spf_eval *ev, struct texts_msg *m, const char *name, size_t n)
{
	static const char *const words[] = { "spf.count.0", "spf.count.1",
		"spf.count.2", "spf.count.3", "spf.count.4", "spf.count.5",
		"spf.count.6", "spf.count.7", "spf.count.8", "spf.count.9",
		"spf.count.10" };

	if (n < sizeof(words) / sizeof(words[0]))
		return texts_msg_sub(m, name, spf_msg(ev, words[n]));
	return texts_msg_num(m, name, n);
}

/*
 * Fetching and the pending list
 */

/* spf_pend_add - add (name, type) to pending[] unless it is there */
static void
spf_pend_add(struct spf_eval *ev, const char *name, uint16_t type)
{
	for (size_t i = 0; i < ev->npend; i++)
		if (ev->pend[i].type == type &&
		    strcmp(ev->pend[i].name, name) == 0)
			return;
	if (ev->npend < SPF_MAX_PENDING) {
		ev->pend[ev->npend].name = name;
		ev->pend[ev->npend].type = type;
		ev->npend++;
	}
}

/* spf_hint - a query the walk will (likely) ask next, if not fetched */
static void
spf_hint(struct spf_eval *ev, const char *name, uint16_t type)
{
	if (!ev->pending || ev->npend >= SPF_MAX_PENDING ||
	    !spfname_is_queryable(span_cstr(name)))
		return;
	if (ev->lookup(ev->arg, name, type) == NULL)
		spf_pend_add(ev, name, type);
}

/* spf_fetch - the answer for (name, type), or NULL: then the walk stops
 * and the query goes first in pending[] (later ones become hints) */
static const struct dnsmsg_answer *
spf_fetch(struct spf_eval *ev, const char *name, uint16_t type)
{
	const struct dnsmsg_answer *ans = ev->lookup(ev->arg, name, type);

	if (ans == NULL) {
		ev->pending = true;
		spf_pend_add(ev, name, type);
	}
	return ans;
}

static size_t
spf_nrecords(const struct dnsmsg_answer *ans, uint16_t type)
{
	size_t n = 0;

	for (size_t i = 0; i < ans->nrecords; i++)
		if (ans->records[i].type == type)
			n++;
	return n;
}

/* spf_status - the answer's status, NOERROR without records of the type
 * counting as NODATA */
static enum dnsmsg_status
spf_status(const struct dnsmsg_answer *ans, uint16_t type)
{
	if (ans->status == DNSMSG_OK && spf_nrecords(ans, type) == 0)
		return DNSMSG_NODATA;
	return ans->status;
}

static bool
spf_is_void(enum dnsmsg_status st)
{
	return st == DNSMSG_NXDOMAIN || st == DNSMSG_NODATA;
}

static const struct texts_msg *
spf_status_text(struct spf_eval *ev, enum dnsmsg_status st)
{
	switch (st) {
	case DNSMSG_OK:
		return spf_msg(ev, "spf.status.ok");
	case DNSMSG_NXDOMAIN:
		return spf_msg(ev, "spf.status.nxdomain");
	case DNSMSG_NODATA:
		return spf_msg(ev, "spf.status.nodata");
	case DNSMSG_TIMEOUT:
		return spf_msg(ev, "spf.status.timeout");
	case DNSMSG_SERVFAIL:
		return spf_msg(ev, "spf.status.servfail");
	case DNSMSG_MALFORMED:
		return spf_msg(ev, "spf.status.malformed");
	}
	return spf_msg(ev, "spf.status.unknown");
}

/* spf_dns_why - the temperror sentence for a failed lookup (RFC 7208 §5:
 * "the topmost check_host() returns temperror") */
static const struct texts_msg *
spf_dns_why(struct spf_eval *ev, const char *name, uint16_t type,
    enum dnsmsg_status st)
{
	const char *id = st == DNSMSG_TIMEOUT ? "spf.reason.dns_timeout" :
	    st == DNSMSG_SERVFAIL             ? "spf.reason.dns_servfail" :
	                                        "spf.reason.dns_malformed";

	return texts_msg_with(ev->a, id, "type", spf_type_str(type), "name",
	    name, TEXTS_MSG_END);
}

/*
 * The trace
 */

/* spf_step_new - a trace step for text at offset in domain's record;
 * SPF_NO_STEP when the trace is full */
static size_t
spf_step_new(struct spf_eval *ev, unsigned depth, const char *domain,
    struct span text, size_t offset, enum spf_term_outcome o)
{
	struct spf_trace_step *s;

	if (ev->ntrace >= SPF_MAX_TRACE) {
		ev->truncated = true;
		return SPF_NO_STEP;
	}
	s = &ev->trace[ev->ntrace];
	memset(s, 0, sizeof(*s));
	s->depth = depth;
	s->domain = domain;
	s->term = arena_strndup(ev->a, text.ptr, text.len);
	s->offset = offset;
	s->len = text.len;
	s->outcome = o;
	s->lookups = ev->lookups;
	s->voids = ev->voids;
	return ev->ntrace++;
}

static struct spf_trace_step *
spf_step(struct spf_eval *ev, size_t idx)
{
	return idx == SPF_NO_STEP ? &ev->spare : &ev->trace[idx];
}

/* spf_step_done - set a step's outcome and running counts */
static void
spf_step_done(struct spf_eval *ev, size_t idx, enum spf_term_outcome o)
{
	struct spf_trace_step *s = spf_step(ev, idx);

	s->outcome = o;
	s->lookups = ev->lookups;
	s->voids = ev->voids;
}

/*
 * Names: expansion of domain-specs and %{p}
 */

static bool spf_ptr_walk(struct spf_eval *ev, const struct dnsmsg_answer *ans,
    const char *suffix, bool first_only, const char **names, size_t *n_out,
    size_t *seen_out, size_t *under_out);

/* spf_p_ready - RFC 7208 §7.3 "p": the validated names of <ip>, from the
 * first 10 PTR names (§4.6.4); DNS errors give no names ("unknown").
 * Returns false while answers are missing (and only fetches when fetch
 * is true). */
static bool
spf_p_ready(struct spf_eval *ev, bool fetch)
{
	const struct dnsmsg_answer *ans;
	size_t seen = 0, under = 0;

	if (ev->p_known)
		return true;
	if (!fetch)
		return false;
	if ((ans = spf_fetch(ev, ev->ip_reverse, DNSMSG_T_PTR)) == NULL)
		return false;
	ev->np = 0;
	if (spf_status(ans, DNSMSG_T_PTR) == DNSMSG_OK &&
	    !spf_ptr_walk(ev, ans, NULL, false, ev->p_names, &ev->np, &seen,
	        &under))
		return false;
	ev->p_known = true;
	return true;
}

/* spf_p_pick - RFC 7208 §7.3: the name equal to or under <domain> if
 * one is validated, else the first, else "unknown" */
static struct span
spf_p_pick(const struct spf_eval *ev, const char *domain)
{
	for (size_t i = 0; i < ev->np; i++)
		if (spfname_is_under(span_cstr(ev->p_names[i]),
		        span_cstr(domain)))
			return span_cstr(ev->p_names[i]);
	if (ev->np > 0)
		return span_cstr(ev->p_names[0]);
	return SPAN_LIT("unknown");
}

/* spf_expand - expand s for where with <domain> = domain; %{p} is looked
 * up first when s uses it (and fetch allows) */
static enum spf_tstat
spf_expand(struct spf_eval *ev, struct span s, enum spfmacro_where where,
    const char *domain, bool fetch, struct span *out,
    const struct texts_msg **err)
{
	struct spfmacro_vars v = ev->vars;

	if (spfmacro_uses(s, 'p')) {
		if (!spf_p_ready(ev, fetch))
			return SPF_T_PENDING;
		v.p = spf_p_pick(ev, domain);
	}
	v.d = span_cstr(domain);
	if (spfmacro_expand(ev->a, s, where, &v, out, err) == -1)
		return SPF_T_ERROR;
	return SPF_T_OK;
}

/* spf_target - the <target-name> of a term (RFC 7208 §4.8): the
 * expanded domain-spec, or domain when there is none; §7.3 trimming.
 * *name_out keeps its case (for %{d}), *query_out is lowercased. */
static enum spf_tstat
spf_target(struct spf_eval *ev, struct span spec, const char *domain,
    bool fetch, const char **name_out, const char **query_out,
    const struct texts_msg **err)
{
	struct span s = span_cstr(domain);
	enum spf_tstat st;

	if (spec.ptr != NULL) {
		st = spf_expand(ev, spec, SPFMACRO_DOMAIN, domain, fetch, &s,
		    err);
		if (st != SPF_T_OK)
			return st;
	}
	s = spfname_trim(s);
	*name_out = arena_strndup(ev->a, s.ptr, s.len);
	*query_out = spfname_lower(ev->a, s);
	return spfname_is_queryable(s) ? SPF_T_OK : SPF_T_INVALID;
}

/*
 * Prefetch hints
 */

/* spf_hint_term - the first query term t would ask (without fetching) */
static void
spf_hint_term(struct spf_eval *ev, const struct spfrecord_term *t,
    const char *domain)
{
	const struct texts_msg *err = NULL;
	const char *name, *query;
	uint16_t type;

	switch (t->kind) {
	case SPFRECORD_INCLUDE:
	case SPFRECORD_REDIRECT:
		type = DNSMSG_T_TXT;
		break;
	case SPFRECORD_A:
		type = ev->ip.v6 ? DNSMSG_T_AAAA : DNSMSG_T_A;
		break;
	case SPFRECORD_MX:
		type = DNSMSG_T_MX;
		break;
	case SPFRECORD_EXISTS:
		type = DNSMSG_T_A;
		break;
	case SPFRECORD_PTR:
		spf_hint(ev, ev->ip_reverse, DNSMSG_T_PTR);
		return;
	default:
		return;
	}
	if (spf_target(ev, t->domain, domain, false, &name, &query, &err) ==
	    SPF_T_OK)
		spf_hint(ev, query, type);
}

/* spf_hints - after a stop: the targets of the terms still to come in
 * each record on the way, innermost first, within the DNS-term budget */
static void
spf_hints(struct spf_eval *ev)
{
	unsigned budget = ev->lookups < SPF_MAX_DNS_TERMS ?
	    SPF_MAX_DNS_TERMS - ev->lookups :
	    0;

	for (size_t f = ev->nframes; f-- > 0;) {
		const struct spf_frame *fr = &ev->frames[f];

		for (size_t i = fr->next; i < fr->rec->nterms; i++) {
			const struct spfrecord_term *t = &fr->rec->terms[i];

			if (!spfrecord_counts_lookup(t->kind))
				continue;
			if (budget == 0 || ev->npend >= SPF_MAX_PENDING)
				return;
			budget--;
			spf_hint_term(ev, t, fr->domain);
		}
	}
}

/*
 * Mechanisms (RFC 7208 §5)
 */

/* spf_why_macro - a domain-spec whose macros cannot be expanded */
static const struct texts_msg *
spf_why_macro(struct spf_eval *ev, const char *term,
    const struct texts_msg *err)
{
	return texts_msg_sub(texts_msg_with(ev->a, "spf.reason.macro", "term",
	                         term, TEXTS_MSG_END),
	    "error", err);
}

static void
spf_mres_error(struct spf_mres *m, enum spf_result r,
    const struct texts_msg *why)
{
	m->kind = SPF_M_ERROR;
	m->err = r;
	m->why = why;
}

/* spf_void - RFC 7208 §4.6.4: count a void lookup; past the limit the
 * term is a permerror. Returns false then. */
static bool
spf_void(struct spf_eval *ev, struct spf_mres *m)
{
	if (++ev->voids <= SPF_MAX_VOID)
		return true;
	spf_mres_error(m, SPF_PERMERROR,
	    texts_msg_num(spf_msg(ev, "spf.reason.void_limit"), "max",
	        SPF_MAX_VOID));
	return false;
}

/* spf_addr_of - the address in an A or AAAA record */
static struct spfaddr
spf_addr_of(const struct dnsmsg_record *r)
{
	struct spfaddr x;

	memset(&x, 0, sizeof(x));
	x.v6 = r->type == DNSMSG_T_AAAA;
	memcpy(x.b, x.v6 ? r->u.aaaa : r->u.a, x.v6 ? 16 : 4);
	return x;
}

/* spf_match_addrs - does an A/AAAA answer hold <ip> under the term's
 * prefix? *n_out counts the addresses */
static bool
spf_match_addrs(const struct spf_eval *ev, const struct dnsmsg_answer *ans,
    const struct spfrecord_term *t, size_t *n_out)
{
	uint16_t type = ev->ip.v6 ? DNSMSG_T_AAAA : DNSMSG_T_A;
	bool hit = false;

	for (size_t i = 0; i < ans->nrecords; i++) {
		struct spfaddr x;

		if (ans->records[i].type != type)
			continue;
		(*n_out)++;
		x = spf_addr_of(&ans->records[i]);
		if (spfaddr_match(&ev->ip, &x, ev->ip.v6 ? t->cidr6 : t->cidr4))
			hit = true;
	}
	return hit;
}

/* spf_target_step - expand a term's target and note the lookup in the
 * step; returns the status, with m set for PENDING and ERROR */
static enum spf_tstat
spf_target_step(struct spf_eval *ev, size_t idx, const struct spfrecord_term *t,
    const char *domain, uint16_t type, const char **name, const char **query,
    struct spf_mres *m)
{
	const struct texts_msg *err = NULL;
	enum spf_tstat st;

	st = spf_target(ev, t->domain, domain, true, name, query, &err);
	if (st == SPF_T_PENDING)
		m->kind = SPF_M_PENDING;
	else if (st == SPF_T_ERROR)
		spf_mres_error(m, SPF_PERMERROR,
		    spf_why_macro(ev, spf_step(ev, idx)->term, err));
	else if (st == SPF_T_INVALID)
		spf_step(ev, idx)->found = texts_msg_with(ev->a,
		    "spf.found.invalid_name", "name", *name, TEXTS_MSG_END);
	else
		spf_step(ev, idx)->lookup =
		    arena_printf(ev->a, "%s %s", spf_type_str(type), *query);
	return st;
}

/* spf_answer - fetch for a mechanism: NULL with m set when the walk
 * stops, the term errs (temperror) or the lookup is void (no match) */
static const struct dnsmsg_answer *
spf_answer(struct spf_eval *ev, size_t idx, const char *query, uint16_t type,
    struct spf_mres *m)
{
	const struct dnsmsg_answer *ans = spf_fetch(ev, query, type);
	enum dnsmsg_status st;

	if (ans == NULL) {
		m->kind = SPF_M_PENDING;
		return NULL;
	}
	st = spf_status(ans, type);
	if (st == DNSMSG_OK)
		return ans;
	spf_step(ev, idx)->found = spf_is_void(st) ?
	    texts_msg_sub(spf_msg(ev, "spf.found.void"), "status",
	        spf_status_text(ev, st)) :
	    spf_status_text(ev, st);
	if (!spf_is_void(st))
		spf_mres_error(m, SPF_TEMPERROR,
		    spf_dns_why(ev, query, type, st));
	else if (spf_void(ev, m))
		m->kind = SPF_M_NO_MATCH;
	return NULL;
}

/* spf_mech_a - RFC 7208 §5.3 */
static void
spf_mech_a(struct spf_eval *ev, size_t idx, const struct spfrecord_term *t,
    const char *domain, struct spf_mres *m)
{
	uint16_t type = ev->ip.v6 ? DNSMSG_T_AAAA : DNSMSG_T_A;
	const struct dnsmsg_answer *ans;
	const char *name, *query;
	size_t n = 0;

	if (spf_target_step(ev, idx, t, domain, type, &name, &query, m) !=
	    SPF_T_OK)
		return;
	if ((ans = spf_answer(ev, idx, query, type, m)) == NULL)
		return;
	if (spf_match_addrs(ev, ans, t, &n)) {
		m->kind = SPF_M_MATCH;
		m->why = texts_msg_with(ev->a, "spf.match.a", "ip",
		    ev->ip_readable, "name", name, TEXTS_MSG_END);
	}
	spf_step(ev, idx)->found =
	    texts_msg_count(spf_msg(ev, "spf.found.addresses"), n);
}

/* spf_mx_hosts - the MX hosts of ans by preference (a stable order),
 * at most SPF_MAX_NAMES; returns how many */
static size_t
spf_mx_hosts(const struct dnsmsg_answer *ans,
    const struct dnsmsg_record *hosts[SPF_MAX_NAMES])
{
	size_t n = 0;

	for (size_t i = 0; i < ans->nrecords && n < SPF_MAX_NAMES; i++) {
		const struct dnsmsg_record *r = &ans->records[i];
		size_t j = n;

		if (r->type != DNSMSG_T_MX)
			continue;
		while (j > 0 &&
		    hosts[j - 1]->u.mx.preference > r->u.mx.preference) {
			hosts[j] = hosts[j - 1];
			j--;
		}
		hosts[j] = r;
		n++;
	}
	return n;
}

/* spf_mx_walk - RFC 7208 §5.4: the addresses of the MX hosts, in order,
 * until one matches; a DNS error on a host is a temperror. Returns the
 * matching host, or NULL (m->kind PENDING or ERROR when the walk stops) */
static const char *
spf_mx_walk(struct spf_eval *ev, size_t idx, const struct spfrecord_term *t,
    const struct dnsmsg_record *const *hosts, size_t nhosts, size_t *naddr,
    struct spf_mres *m)
{
	uint16_t type = ev->ip.v6 ? DNSMSG_T_AAAA : DNSMSG_T_A;
	const struct dnsmsg_answer *aa;
	enum dnsmsg_status st;
	bool missing = false;

	for (size_t i = 0; i < nhosts; i++) {
		const char *h = hosts[i]->u.mx.host, *hq;

		/* a null MX (RFC 7505) has no address to match */
		if (h == NULL || !spfname_is_queryable(span_cstr(h)))
			continue;
		hq = spfname_lower(ev->a, span_cstr(h));
		if (missing) {
			spf_hint(ev, hq, type);
			continue;
		}
		if ((aa = spf_fetch(ev, hq, type)) == NULL) {
			missing = true;
			continue;
		}
		st = spf_status(aa, type);
		if (st == DNSMSG_OK && spf_match_addrs(ev, aa, t, naddr))
			return hq;
		if (st == DNSMSG_OK || spf_is_void(st))
			continue;
		spf_step(ev, idx)->found =
		    texts_msg_sub(texts_msg_with(ev->a, "spf.found.mx_host_dns",
		                      "type", spf_type_str(type), "host", hq,
		                      TEXTS_MSG_END),
		        "status", spf_status_text(ev, st));
		spf_mres_error(m, SPF_TEMPERROR, spf_dns_why(ev, hq, type, st));
		return NULL;
	}
	if (missing)
		m->kind = SPF_M_PENDING;
	return NULL;
}

/* spf_mech_mx - RFC 7208 §5.4; more than 10 MX hosts is a permerror
 * (§4.6.4), a null MX (RFC 7505) has no hosts */
static void
spf_mech_mx(struct spf_eval *ev, size_t idx, const struct spfrecord_term *t,
    const char *domain, struct spf_mres *m)
{
	const struct dnsmsg_record *hosts[SPF_MAX_NAMES];
	const struct dnsmsg_answer *ans;
	const char *name, *query, *host;
	size_t nmx, nhosts, naddr = 0;

	if (spf_target_step(ev, idx, t, domain, DNSMSG_T_MX, &name, &query,
	        m) != SPF_T_OK)
		return;
	if ((ans = spf_answer(ev, idx, query, DNSMSG_T_MX, m)) == NULL)
		return;
	nmx = spf_nrecords(ans, DNSMSG_T_MX);
	if (nmx > SPF_MAX_NAMES) {
		spf_step(ev, idx)->found =
		    texts_msg_count(spf_msg(ev, "spf.found.mx_hosts"), nmx);
		spf_mres_error(m, SPF_PERMERROR,
		    texts_msg_count(texts_msg_num(texts_msg_with(ev->a,
		                                      "spf.reason.mx_limit",
		                                      "name", name,
		                                      TEXTS_MSG_END),
		                        "max", SPF_MAX_NAMES),
		        nmx));
		return;
	}
	nhosts = spf_mx_hosts(ans, hosts);
	host = spf_mx_walk(ev, idx, t, hosts, nhosts, &naddr, m);
	if (m->kind == SPF_M_PENDING || m->kind == SPF_M_ERROR)
		return;
	if (nhosts == 1 &&
	    !spfname_is_queryable(span_cstr(hosts[0]->u.mx.host)))
		spf_step(ev, idx)->found = spf_msg(ev, "spf.found.null_mx");
	else
		spf_step(ev, idx)->found =
		    texts_msg_sub(texts_msg_sub(spf_msg(ev, "spf.found.mx"),
		                      "hosts",
		                      texts_msg_count(spf_msg(ev,
		                                          "spf.found.mx_hosts"),
		                          nhosts)),
		        "addresses",
		        texts_msg_count(spf_msg(ev, "spf.found.addresses"),
		            naddr));
	if (host != NULL) {
		m->kind = SPF_M_MATCH;
		m->why = texts_msg_with(ev->a, "spf.match.mx", "ip",
		    ev->ip_readable, "host", host, "name", name, TEXTS_MSG_END);
	}
}

/* spf_ptr_validate - is <ip> among the addresses of name? false with
 * *missing set when the answer is not there yet */
static bool
spf_ptr_validate(struct spf_eval *ev, const char *name, bool *missing)
{
	uint16_t type = ev->ip.v6 ? DNSMSG_T_AAAA : DNSMSG_T_A;
	const struct dnsmsg_answer *aa;
	struct spfrecord_term exact;
	size_t n = 0;

	if (*missing) {
		spf_hint(ev, name, type);
		return false;
	}
	if ((aa = spf_fetch(ev, name, type)) == NULL) {
		*missing = true;
		return false;
	}
	/* RFC 7208 §5.5: a DNS error on the A lookup skips the name */
	if (spf_status(aa, type) != DNSMSG_OK)
		return false;
	memset(&exact, 0, sizeof(exact));
	exact.cidr4 = 32;
	exact.cidr6 = 128;
	return spf_match_addrs(ev, aa, &exact, &n);
}

/* spf_ptr_walk - RFC 7208 §5.5: validate the first 10 PTR names of ans
 * (§4.6.4), only those under suffix when it is set (which gives ptr the
 * same answer with fewer lookups), into names[] (SPF_MAX_NAMES), up to
 * the first when first_only. Returns false while answers are missing. */
static bool
spf_ptr_walk(struct spf_eval *ev, const struct dnsmsg_answer *ans,
    const char *suffix, bool first_only, const char **names, size_t *n_out,
    size_t *seen_out, size_t *under_out)
{
	bool missing = false;

	for (size_t i = 0; i < ans->nrecords && *seen_out < SPF_MAX_NAMES;
	     i++) {
		const struct dnsmsg_record *r = &ans->records[i];
		const char *pn;

		if (r->type != DNSMSG_T_PTR)
			continue;
		(*seen_out)++;
		if (r->u.name == NULL ||
		    !spfname_is_queryable(span_cstr(r->u.name)) ||
		    (suffix != NULL &&
		        !spfname_is_under(span_cstr(r->u.name),
		            span_cstr(suffix))))
			continue;
		(*under_out)++;
		pn = spfname_lower(ev->a, span_cstr(r->u.name));
		if (spf_ptr_validate(ev, pn, &missing) && !missing) {
			names[(*n_out)++] = pn;
			if (first_only)
				break;
		}
	}
	return !missing;
}

/* spf_mech_ptr - RFC 7208 §5.5: a PTR lookup error is no match */
static void
spf_mech_ptr(struct spf_eval *ev, size_t idx, const struct spfrecord_term *t,
    const char *domain, struct spf_mres *m)
{
	const struct dnsmsg_answer *ans;
	const char *name, *query, *valid[SPF_MAX_NAMES];
	const struct texts_msg *err = NULL;
	struct texts_msg *names;
	size_t nvalid = 0, seen = 0, under = 0;
	enum dnsmsg_status st;
	enum spf_tstat ts;

	ts = spf_target(ev, t->domain, domain, true, &name, &query, &err);
	if (ts == SPF_T_PENDING || ts == SPF_T_ERROR) {
		m->kind = SPF_M_PENDING;
		if (ts == SPF_T_ERROR)
			spf_mres_error(m, SPF_PERMERROR,
			    spf_why_macro(ev, spf_step(ev, idx)->term, err));
		return;
	}
	spf_step(ev, idx)->lookup =
	    arena_printf(ev->a, "PTR %s", ev->ip_reverse);
	if ((ans = spf_fetch(ev, ev->ip_reverse, DNSMSG_T_PTR)) == NULL) {
		m->kind = SPF_M_PENDING;
		return;
	}
	st = spf_status(ans, DNSMSG_T_PTR);
	if (st != DNSMSG_OK) {
		spf_step(ev, idx)->found =
		    texts_msg_sub(spf_msg(ev,
		                      spf_is_void(st) ? "spf.found.void" :
		                                        "spf.found.ptr_error"),
		        "status", spf_status_text(ev, st));
		if (!spf_is_void(st) || spf_void(ev, m))
			m->kind = SPF_M_NO_MATCH;
		return;
	}
	if (!spf_ptr_walk(ev, ans, query, true, valid, &nvalid, &seen,
	        &under)) {
		m->kind = SPF_M_PENDING;
		return;
	}
	names = texts_msg_count(spf_msg(ev, "spf.found.names"), seen);
	spf_step(ev, idx)->found = texts_msg_sub(nvalid > 0 ?
	        texts_msg_with(ev->a, "spf.found.ptr_validated", "name",
	            valid[0], TEXTS_MSG_END) :
	        texts_msg_num(texts_msg_with(ev->a, "spf.found.ptr_none",
	                          "domain", query, TEXTS_MSG_END),
	            "under", under),
	    "names", names);
	if (nvalid > 0) {
		m->kind = SPF_M_MATCH;
		m->why = texts_msg_with(ev->a, "spf.match.ptr", "ip",
		    ev->ip_readable, "name", valid[0], "domain", query,
		    TEXTS_MSG_END);
	}
}

/* spf_mech_exists - RFC 7208 §5.7: an A lookup whatever the client */
static void
spf_mech_exists(struct spf_eval *ev, size_t idx, const struct spfrecord_term *t,
    const char *domain, struct spf_mres *m)
{
	const char *name, *query;

	if (spf_target_step(ev, idx, t, domain, DNSMSG_T_A, &name, &query, m) !=
	    SPF_T_OK)
		return;
	if (spf_answer(ev, idx, query, DNSMSG_T_A, m) == NULL)
		return;
	spf_step(ev, idx)->found = spf_msg(ev, "spf.found.exists");
	m->kind = SPF_M_MATCH;
	m->why = texts_msg_with(ev->a, "spf.match.exists", "name", name,
	    TEXTS_MSG_END);
}

/* spf_mech_ip - RFC 7208 §5.6: ip4 for IPv4 clients (IPv4-mapped
 * included), ip6 for the others */
static void
spf_mech_ip(struct spf_eval *ev, size_t idx, const struct spfrecord_term *t,
    struct spf_mres *m)
{
	unsigned prefix = t->net.v6 ? t->cidr6 : t->cidr4;
	const char *colon = memchr(t->text.ptr, ':', t->text.len);
	struct span net = SPAN_NULL;

	if (t->net.v6 != ev->ip.v6) {
		spf_step(ev, idx)->found = spf_msg(ev,
		    ev->ip.v6 ? "spf.found.ip4_for_v6" :
		                "spf.found.ip6_for_v4");
		return;
	}
	if (!spfaddr_match(&ev->ip, &t->net, prefix))
		return;
	m->kind = SPF_M_MATCH;
	/* the network as written: after "ip4:" and up to the prefix */
	if (colon != NULL)
		net = span_sub(t->text, (size_t)(colon - t->text.ptr) + 1,
		    t->text.len);
	if (net.ptr != NULL && memchr(net.ptr, '/', net.len) != NULL)
		net.len = (size_t)((const char *)memchr(net.ptr, '/', net.len) -
		    net.ptr);
	m->why = prefix == (t->net.v6 ? 128u : 32u) ?
	    texts_msg_with(ev->a, "spf.match.ip", "ip", ev->ip_readable,
	        TEXTS_MSG_END) :
	    texts_msg_with(ev->a, "spf.match.ip_net", "ip", ev->ip_readable,
	        "network",
	        arena_printf(ev->a, "%.*s/%u", (int)net.len,
	            net.ptr != NULL ? net.ptr : "", prefix),
	        TEXTS_MSG_END);
}

/* spf_mech_include - RFC 7208 §5.2: pass matches; fail, softfail and
 * neutral do not; temperror and permerror carry over; none is a
 * permerror */
static void
spf_mech_include(struct spf_eval *ev, size_t idx,
    const struct spfrecord_term *t, const char *domain, unsigned depth,
    struct spf_mres *m)
{
	const char *name, *query;
	struct spf_host h;
	enum spf_tstat st;

	st =
	    spf_target_step(ev, idx, t, domain, DNSMSG_T_TXT, &name, &query, m);
	if (st == SPF_T_PENDING || st == SPF_T_ERROR)
		return;
	if (st == SPF_T_INVALID) {
		spf_mres_error(m, SPF_PERMERROR,
		    texts_msg_with(ev->a, "spf.reason.include_invalid", "term",
		        spf_step(ev, idx)->term, "name", name, TEXTS_MSG_END));
		return;
	}
	if (!spf_check_host(ev, name, depth + 1, false, &h)) {
		m->kind = SPF_M_PENDING;
		return;
	}
	spf_step(ev, idx)->found = texts_msg_with(ev->a, "spf.found.gives",
	    "result", spf_result_str(h.result), TEXTS_MSG_END);
	switch (h.result) {
	case SPF_PASS:
		m->kind = SPF_M_MATCH;
		m->why = texts_msg_with(ev->a, "spf.match.include", "name",
		    name, "ip", ev->ip_readable, TEXTS_MSG_END);
		break;
	case SPF_FAIL:
	case SPF_SOFTFAIL:
	case SPF_NEUTRAL:
		m->kind = SPF_M_NO_MATCH;
		break;
	case SPF_NONE:
		spf_step(ev, idx)->found = spf_msg(ev, "spf.found.no_record");
		spf_mres_error(m, SPF_PERMERROR,
		    texts_msg_sub(texts_msg_with(ev->a,
		                      "spf.reason.include_none", "term",
		                      spf_step(ev, idx)->term, TEXTS_MSG_END),
		        "why", h.why));
		break;
	default:
		spf_mres_error(m, h.result, h.why);
		m->decisive = h.decisive;
		break;
	}
}

/* spf_mech - evaluate mechanism t (its step is idx) */
static void
spf_mech(struct spf_eval *ev, size_t idx, const struct spfrecord_term *t,
    const char *domain, unsigned depth, struct spf_mres *m)
{
	memset(m, 0, sizeof(*m));
	m->kind = SPF_M_NO_MATCH;
	m->decisive = SPF_NO_STEP;
	switch (t->kind) {
	case SPFRECORD_ALL:
		m->kind = SPF_M_MATCH;
		break;
	case SPFRECORD_INCLUDE:
		spf_mech_include(ev, idx, t, domain, depth, m);
		break;
	case SPFRECORD_A:
		spf_mech_a(ev, idx, t, domain, m);
		break;
	case SPFRECORD_MX:
		spf_mech_mx(ev, idx, t, domain, m);
		break;
	case SPFRECORD_PTR:
		spf_mech_ptr(ev, idx, t, domain, m);
		break;
	case SPFRECORD_IP4:
	case SPFRECORD_IP6:
		spf_mech_ip(ev, idx, t, m);
		break;
	case SPFRECORD_EXISTS:
		spf_mech_exists(ev, idx, t, domain, m);
		break;
	default:
		break;
	}
}

/*
 * Records (RFC 7208 §4.6, §4.7, §6)
 */

static enum spf_result
spf_qualifier_result(char q)
{
	switch (q) {
	case '-':
		return SPF_FAIL;
	case '~':
		return SPF_SOFTFAIL;
	case '?':
		return SPF_NEUTRAL;
	default:
		return SPF_PASS;
	}
}

/* spf_count_lookup - RFC 7208 §4.6.4: one more DNS term; the 11th is a
 * permerror. Returns false then, with h set. */
static bool
spf_count_lookup(struct spf_eval *ev, struct spf_host *h)
{
	if (++ev->lookups <= SPF_MAX_DNS_TERMS)
		return true;
	h->result = SPF_PERMERROR;
	h->why = texts_msg_num(spf_msg(ev, "spf.reason.lookup_limit"), "max",
	    SPF_MAX_DNS_TERMS);
	return false;
}

/* spf_why_match - the reason sentence for a mechanism that matched */
static const struct texts_msg *
spf_why_match(struct spf_eval *ev, const struct spfrecord *rec, size_t i,
    const struct spf_mres *m)
{
	const struct spfrecord_term *t = &rec->terms[i];
	const char *term = arena_strndup(ev->a, t->text.ptr, t->text.len);
	bool last = true;

	if (t->kind != SPFRECORD_ALL)
		return texts_msg_sub(texts_msg_with(ev->a, "spf.reason.matched",
		                         "term", term, TEXTS_MSG_END),
		    "why", m->why);
	for (size_t k = i + 1; k < rec->nterms; k++)
		if (spfrecord_is_mechanism(rec->terms[k].kind))
			last = false;
	if (last && i > 0)
		return texts_msg_with(ev->a, "spf.reason.ends_in", "term", term,
		    "ip", ev->ip_readable, TEXTS_MSG_END);
	return texts_msg_with(ev->a, "spf.reason.all", "term", term,
	    TEXTS_MSG_END);
}

/* spf_rest - list the terms of rec not evaluated (from the mechanisms
 * after decided, and the modifiers); the redirect only when skip is not
 * set. Records the exp= step in h. */
static void
spf_rest(struct spf_eval *ev, const struct spfrecord *rec, const char *domain,
    unsigned depth, bool top, size_t decided, bool skip_redirect,
    struct spf_host *h)
{
	for (size_t i = 0; i < rec->nterms; i++) {
		const struct spfrecord_term *t = &rec->terms[i];
		size_t idx;
		const char *found = NULL; /* a message id */

		if (spfrecord_is_mechanism(t->kind) &&
		    (decided == SPF_NO_STEP || i <= decided))
			continue;
		if (t->kind == SPFRECORD_REDIRECT && skip_redirect)
			continue;
		idx = spf_step_new(ev, depth, domain, t->text, t->offset,
		    SPF_TERM_NOT_REACHED);
		switch (t->kind) {
		case SPFRECORD_UNKNOWN_MODIFIER:
			spf_step(ev, idx)->outcome = SPF_TERM_NO_MATCH;
			found = "spf.found.unknown_modifier";
			break;
		case SPFRECORD_REDIRECT:
			found = "spf.found.redirect_unused";
			break;
		case SPFRECORD_EXP:
			if (!top)
				found = "spf.found.exp_included";
			else if (skip_redirect)
				found = "spf.found.exp_replaced";
			h->exp_step = idx;
			break;
		default:
			break;
		}
		spf_step(ev, idx)->found =
		    found != NULL ? spf_msg(ev, found) : NULL;
	}
}

/* spf_redirect - RFC 7208 §6.1: no mechanism matched, so the result is
 * that of check_host() for the target; a target without a record is a
 * permerror. Returns false when the walk stops. */
static bool
spf_redirect(struct spf_eval *ev, const struct spfrecord *rec,
    const char *domain, unsigned depth, bool top, struct spf_host *h)
{
	const struct spfrecord_term *t = rec->redirect;
	const struct texts_msg *err = NULL;
	const char *name, *query;
	struct spf_host sub;
	enum spf_tstat st;
	size_t idx;

	idx = spf_step_new(ev, depth, domain, t->text, t->offset,
	    SPF_TERM_APPLIED);
	h->decisive = idx;
	if (!spf_count_lookup(ev, h)) {
		spf_step_done(ev, idx, SPF_TERM_ERROR);
		return true;
	}
	st = spf_target(ev, t->domain, domain, true, &name, &query, &err);
	if (st == SPF_T_PENDING)
		return false;
	h->result = SPF_PERMERROR;
	if (st == SPF_T_ERROR || st == SPF_T_INVALID) {
		h->why = st == SPF_T_ERROR ?
		    spf_why_macro(ev, spf_step(ev, idx)->term, err) :
		    texts_msg_with(ev->a, "spf.reason.redirect_invalid", "term",
		        spf_step(ev, idx)->term, "name", name, TEXTS_MSG_END);
		spf_step_done(ev, idx, SPF_TERM_ERROR);
		return true;
	}
	spf_step(ev, idx)->lookup = arena_printf(ev->a, "TXT %s", query);
	spf_step_done(ev, idx, SPF_TERM_APPLIED);
	if (!spf_check_host(ev, name, depth + 1, top, &sub))
		return false;
	spf_step(ev, idx)->found = sub.result == SPF_NONE ?
	    spf_msg(ev, "spf.found.no_record") :
	    texts_msg_with(ev->a, "spf.found.gives", "result",
	        spf_result_str(sub.result), TEXTS_MSG_END);
	if (sub.result == SPF_NONE) {
		spf_step(ev, idx)->outcome = SPF_TERM_ERROR;
		h->why =
		    texts_msg_sub(texts_msg_with(ev->a,
		                      "spf.reason.redirect_none", "term",
		                      spf_step(ev, idx)->term, TEXTS_MSG_END),
		        "why", sub.why);
		return true;
	}
	h->result = sub.result;
	/* an error speaks for itself; a match says whose record it was */
	h->why = sub.result == SPF_TEMPERROR || sub.result == SPF_PERMERROR ?
	    sub.why :
	    texts_msg_sub(texts_msg_with(ev->a, "spf.reason.redirect", "domain",
	                      domain, "target", name, TEXTS_MSG_END),
	        "why", sub.why);
	if (sub.decisive != SPF_NO_STEP)
		h->decisive = sub.decisive;
	h->exp = sub.exp;
	h->exp_domain = sub.exp_domain;
	h->exp_step = sub.exp_step;
	return true;
}

/* spf_record_eval - RFC 7208 §4.6-§4.7: the mechanisms in order, then
 * redirect= or neutral. top: this record's exp= may apply (the top
 * record and its redirect targets, not included ones). Returns false
 * when the walk stops. */
static bool
spf_record_eval(struct spf_eval *ev, const struct spfrecord *rec,
    const char *domain, unsigned depth, bool top, struct spf_host *h)
{
	struct spf_frame *fr = &ev->frames[ev->nframes++];
	size_t decided = SPF_NO_STEP;
	struct spf_mres m;

	fr->rec = rec;
	fr->domain = domain;
	fr->next = 0;
	h->exp = top ? rec->exp : NULL;
	h->exp_domain = domain;
	for (size_t i = 0; i < rec->nterms && decided == SPF_NO_STEP; i++) {
		const struct spfrecord_term *t = &rec->terms[i];
		size_t idx;

		if (!spfrecord_is_mechanism(t->kind))
			continue;
		fr->next = i + 1;
		idx = spf_step_new(ev, depth, domain, t->text, t->offset,
		    SPF_TERM_NO_MATCH);
		if (spfrecord_counts_lookup(t->kind) &&
		    !spf_count_lookup(ev, h)) {
			spf_step_done(ev, idx, SPF_TERM_ERROR);
			h->decisive = idx;
			decided = i;
			break;
		}
		spf_mech(ev, idx, t, domain, depth, &m);
		if (m.kind == SPF_M_PENDING)
			return false;
		if (m.kind == SPF_M_NO_MATCH) {
			spf_step_done(ev, idx, SPF_TERM_NO_MATCH);
			continue;
		}
		decided = i;
		if (m.kind == SPF_M_MATCH) {
			spf_step_done(ev, idx, SPF_TERM_MATCH);
			h->result = spf_qualifier_result(t->qualifier);
			h->why = spf_why_match(ev, rec, i, &m);
			h->decisive = idx;
		} else {
			spf_step_done(ev, idx, SPF_TERM_ERROR);
			h->result = m.err;
			h->why = m.why;
			h->decisive =
			    m.decisive != SPF_NO_STEP ? m.decisive : idx;
		}
	}
	fr->next = rec->nterms;
	if (decided != SPF_NO_STEP || rec->redirect == NULL) {
		spf_rest(ev, rec, domain, depth, top, decided, false, h);
		if (decided == SPF_NO_STEP) {
			/* RFC 7208 §4.7: nothing matched, no redirect= */
			h->result = SPF_NEUTRAL;
			h->why = texts_msg_with(ev->a, "spf.reason.neutral",
			    "domain", domain, "ip", ev->ip_readable,
			    TEXTS_MSG_END);
		}
		ev->nframes--;
		return true;
	}
	spf_rest(ev, rec, domain, depth, top, decided, true, h);
	h->exp = NULL;
	if (!spf_redirect(ev, rec, domain, depth, top, h))
		return false;
	ev->nframes--;
	return true;
}

/* spf_select - RFC 7208 §4.5: the one TXT record that is an SPF record;
 * 0 for none, -1 for more than one (h set), 1 with *out */
static int
spf_select(struct spf_eval *ev, const struct dnsmsg_answer *ans,
    const char *domain, struct span *out, struct spf_host *h)
{
	size_t n = 0, ntxt = 0;

	for (size_t i = 0; i < ans->nrecords; i++) {
		const struct dnsmsg_record *r = &ans->records[i];
		struct span txt;

		if (r->type != DNSMSG_T_TXT)
			continue;
		ntxt++;
		txt = span_make(r->u.txt.data, r->u.txt.len);
		if (txt.ptr == NULL || !spfrecord_is_spf(txt))
			continue;
		if (n++ == 0)
			*out = txt;
	}
	if (n > 1) {
		h->result = SPF_PERMERROR;
		h->why = spf_count(ev,
		    texts_msg_count(texts_msg_with(ev->a, "spf.reason.records",
		                        "domain", domain, TEXTS_MSG_END),
		        n),
		    "count", n);
		return -1;
	}
	if (n == 0) {
		h->result = SPF_NONE;
		h->why = ntxt == 1 ?
		    texts_msg_with(ev->a, "spf.reason.no_spf_one", "domain",
		        domain, TEXTS_MSG_END) :
		    spf_count(ev,
		        texts_msg_count(texts_msg_with(ev->a,
		                            "spf.reason.no_spf", "domain",
		                            domain, TEXTS_MSG_END),
		            ntxt),
		        "count", ntxt);
	}
	return n == 1 ? 1 : 0;
}

/* spf_check_host - RFC 7208 §4: fetch, select, parse, evaluate the
 * record of domain. Returns false when the walk stops (pending). */
static bool
spf_check_host(struct spf_eval *ev, const char *domain, unsigned depth,
    bool top, struct spf_host *h)
{
	const struct dnsmsg_answer *ans;
	struct spfrecord *rec;
	struct spfrecord_error perr;
	enum dnsmsg_status st;
	struct span text = SPAN_NULL;
	const char *query = spfname_lower(ev->a, span_cstr(domain));
	size_t idx;

	memset(h, 0, sizeof(*h));
	h->decisive = SPF_NO_STEP;
	h->exp_step = SPF_NO_STEP;
	if (depth > SPF_MAX_DEPTH) {
		h->result = SPF_PERMERROR;
		h->why = spf_msg(ev, "spf.reason.too_deep");
		return true;
	}
	if ((ans = spf_fetch(ev, query, DNSMSG_T_TXT)) == NULL)
		return false;
	/* RFC 7208 §4.4: errors are temperror, NXDOMAIN (and no TXT) none */
	st = spf_status(ans, DNSMSG_T_TXT);
	if (st != DNSMSG_OK) {
		h->result = spf_is_void(st) ? SPF_NONE : SPF_TEMPERROR;
		h->why = st == DNSMSG_NXDOMAIN ?
		    texts_msg_with(ev->a, "spf.reason.nxdomain", "domain",
		        domain, TEXTS_MSG_END) :
		    st == DNSMSG_NODATA ?
		    texts_msg_with(ev->a, "spf.reason.no_txt", "domain", domain,
		        TEXTS_MSG_END) :
		    spf_dns_why(ev, query, DNSMSG_T_TXT, st);
		return true;
	}
	if (spf_select(ev, ans, domain, &text, h) != 1)
		return true;
	h->record = arena_strndup(ev->a, text.ptr, text.len);
	h->record_len = text.len;
	rec = arena_zalloc(ev->a, sizeof(*rec));
	if (spfrecord_parse(ev->a, span_make(h->record, text.len), rec,
	        &perr) == -1) {
		/* RFC 7208 §4.6: any syntax error is a permerror */
		idx = spf_step_new(ev, depth, domain,
		    span_make(h->record + perr.offset, perr.len), perr.offset,
		    SPF_TERM_ERROR);
		spf_step(ev, idx)->found =
		    texts_msg_sub(spf_msg(ev, "spf.found.syntax"), "error",
		        perr.msg);
		h->result = SPF_PERMERROR;
		h->why =
		    texts_msg_sub(texts_msg_with(ev->a, "spf.reason.invalid",
		                      "domain", domain, TEXTS_MSG_END),
		        "error", perr.msg);
		h->decisive = idx;
		return true;
	}
	return spf_record_eval(ev, rec, domain, depth, top, h);
}

/*
 * The explanation (RFC 7208 §6.2) and the identity (§2.3, §2.4, §4.3)
 */

/* spf_exp_text - the explanation from exp=, or NULL (any problem: the
 * default explanation). Returns false when the walk stops. */
static bool
spf_exp_text(struct spf_eval *ev, const struct spf_host *h, const char **out)
{
	struct spf_trace_step *s = spf_step(ev, h->exp_step);
	const struct dnsmsg_answer *ans;
	const struct dnsmsg_record *r = NULL;
	const struct texts_msg *err = NULL;
	const char *name, *query;
	struct span text;
	enum spf_tstat st;

	*out = NULL;
	s->outcome = SPF_TERM_NO_MATCH;
	st = spf_target(ev, h->exp->domain, h->exp_domain, true, &name, &query,
	    &err);
	if (st == SPF_T_PENDING)
		return false;
	if (st != SPF_T_OK) {
		s->found = spf_msg(ev, "spf.found.exp_unusable");
		return true;
	}
	s->lookup = arena_printf(ev->a, "TXT %s", query);
	/* not counted against the limits (RFC 7208 §4.6.4, §6.2) */
	if ((ans = ev->lookup(ev->arg, query, DNSMSG_T_TXT)) == NULL) {
		ev->pending = true;
		spf_pend_add(ev, query, DNSMSG_T_TXT);
		return false;
	}
	if (spf_status(ans, DNSMSG_T_TXT) != DNSMSG_OK ||
	    spf_nrecords(ans, DNSMSG_T_TXT) != 1) {
		s->found = spf_status(ans, DNSMSG_T_TXT) == DNSMSG_OK ?
		    spf_msg(ev, "spf.found.exp_many") :
		    texts_msg_sub(spf_msg(ev, "spf.found.exp_status"), "status",
		        spf_status_text(ev, spf_status(ans, DNSMSG_T_TXT)));
		return true;
	}
	for (size_t i = 0; i < ans->nrecords; i++)
		if (ans->records[i].type == DNSMSG_T_TXT)
			r = &ans->records[i];
	text = span_make(r->u.txt.data, r->u.txt.len);
	if (text.ptr == NULL ||
	    spf_expand(ev, text, SPFMACRO_EXP, h->exp_domain, true, &text,
	        &err) != SPF_T_OK) {
		if (ev->pending)
			return false;
		s->found = err != NULL ?
		    texts_msg_sub(spf_msg(ev, "spf.found.exp_error"), "error",
		        err) :
		    spf_msg(ev, "spf.found.exp_empty");
		return true;
	}
	s->outcome = SPF_TERM_APPLIED;
	s->found = spf_msg(ev, "spf.found.exp_found");
	*out = text.ptr;
	return true;
}

/* spf_explain - RFC 7208 §6.2, for fail only: exp= expanded into *out,
 * else the default explanation into *dflt. Returns false when the walk
 * stops. */
static bool
spf_explain(struct spf_eval *ev, struct spf_host *h, const char **out,
    const struct texts_msg **dflt)
{
	const char *text = NULL;

	*out = NULL;
	*dflt = NULL;
	if (h->result != SPF_FAIL) {
		if (h->exp != NULL)
			spf_step(ev, h->exp_step)->found =
			    spf_msg(ev, "spf.found.exp_not_fail");
		return true;
	}
	if (h->exp != NULL && !spf_exp_text(ev, h, &text))
		return false;
	if (text != NULL)
		*out = text;
	else
		*dflt = texts_msg_with(ev->a, "spf.explanation.default", "ip",
		    ev->ip_readable, "domain", ev->top_domain, TEXTS_MSG_END);
	return true;
}

/* spf_none - a result of none with its reason, before any lookup */
static bool
spf_none(struct spf_host *h, const struct texts_msg *why)
{
	h->result = SPF_NONE;
	h->why = why;
	return false;
}

/* spf_input_ok - a query string that is set and not too long */
static bool
spf_input_ok(const char *s)
{
	return s != NULL && s[0] != '\0' && strlen(s) <= SPF_MAX_INPUT;
}

/* spf_sender - <sender> (RFC 7208 §2.3, §2.4): MAIL FROM, or
 * postmaster@helo for an empty one (also "<>", the null reverse-path of
 * RFC 5321 §4.5.5) and for the HELO check; "<>" dropped. Returns false
 * with h set when there is none to check. */
static bool
spf_sender(struct spf_eval *ev, struct spf_host *h, struct span *out)
{
	const struct spf_query *q = ev->q;
	struct span s = span_cstr(q->sender);

	if (s.len >= 2 && s.ptr[0] == '<' && s.ptr[s.len - 1] == '>')
		s = span_sub(s, 1, s.len - 2);
	if (q->check_helo || !spf_input_ok(q->sender) || s.len == 0) {
		if (!spf_input_ok(q->helo) && !spf_input_ok(q->domain))
			return spf_none(h,
			    spf_msg(ev,
			        q->check_helo ? "spf.reason.no_helo" :
			                        "spf.reason.no_sender"));
		s = span_cstr(spf_input_ok(q->helo) ? q->helo : q->domain);
		s = span_cstr(
		    arena_printf(ev->a, "postmaster@%.*s", (int)s.len, s.ptr));
	}
	*out = s;
	return true;
}

/* spf_vars - the macro values (RFC 7208 §7.2) for <sender> s: local-part
 * before the last '@' ("postmaster" when empty or missing, §4.3) */
static void
spf_vars(struct spf_eval *ev, struct span s)
{
	const struct spf_query *q = ev->q;
	struct arena *a = ev->a;
	struct span local = SPAN_NULL, dom = s;

	for (size_t i = s.len; i-- > 0;) {
		if (s.ptr[i] == '@') {
			local = span_make(s.ptr, i);
			dom = span_sub(s, i + 1, s.len);
			break;
		}
	}
	if (local.len == 0)
		local = SPAN_LIT("postmaster");
	if (dom.len > 0 && dom.ptr[dom.len - 1] == '.')
		dom.len--;
	ev->vars.l = span_cstr(arena_strndup(a, local.ptr, local.len));
	ev->vars.o = span_cstr(arena_strndup(a, dom.ptr, dom.len));
	ev->vars.s = span_cstr(arena_printf(a, "%.*s@%.*s", (int)local.len,
	    local.ptr, (int)dom.len, dom.ptr));
	ev->vars.i = span_cstr(ev->ip_dotted);
	ev->vars.c = span_cstr(ev->ip_readable);
	ev->vars.v = ev->ip.v6 ? SPAN_LIT("ip6") : SPAN_LIT("in-addr");
	ev->vars.h =
	    spf_input_ok(q->helo) ? span_cstr(q->helo) : SPAN_LIT("unknown");
	ev->vars.r = spf_input_ok(q->receiver) ? span_cstr(q->receiver) :
	                                         SPAN_LIT("unknown");
	(void)snprintf(ev->now, sizeof(ev->now), "%" PRIu64, q->now);
	ev->vars.t = span_cstr(ev->now);
}

/* spf_identity - the client, <sender>, <domain> and the macro values
 * (RFC 7208 §2.3, §2.4, §4.1, §4.3, §7.2). Returns false with h set
 * when check_host() cannot start (result none). */
static bool
spf_identity(struct spf_eval *ev, struct spf_host *h)
{
	const struct spf_query *q = ev->q;
	struct arena *a = ev->a;
	struct span s, dom;

	if (q->ip == NULL ||
	    spfaddr_parse_client(span_cstr(q->ip), &ev->ip) == -1)
		return spf_none(h,
		    texts_msg_with(ev->a, "spf.reason.not_ip", "ip",
		        q->ip != NULL ? q->ip : "", TEXTS_MSG_END));
	(void)spfaddr_str(&ev->ip, SPFADDR_DOTTED, ev->ip_dotted);
	(void)spfaddr_str(&ev->ip, SPFADDR_READABLE, ev->ip_readable);
	(void)spfaddr_str(&ev->ip, SPFADDR_REVERSE, ev->ip_reverse);
	if ((q->helo != NULL && strlen(q->helo) > SPF_MAX_INPUT) ||
	    (q->sender != NULL && strlen(q->sender) > SPF_MAX_INPUT) ||
	    (q->domain != NULL && strlen(q->domain) > SPF_MAX_INPUT) ||
	    (q->receiver != NULL && strlen(q->receiver) > SPF_MAX_INPUT))
		return spf_none(h,
		    texts_msg_num(spf_msg(ev, "spf.reason.too_long"), "max",
		        SPF_MAX_INPUT));
	if (!spf_sender(ev, h, &s))
		return false;
	spf_vars(ev, s);
	dom = spf_input_ok(q->domain) ? span_cstr(q->domain) : ev->vars.o;
	if (dom.len > 0 && dom.ptr[dom.len - 1] == '.')
		dom.len--;
	ev->top_domain = arena_strndup(a, dom.ptr, dom.len);
	/* RFC 7208 §4.3: malformed and single-label names give none */
	if (dom.len > 0 && dom.ptr[0] == '[')
		return spf_none(h,
		    texts_msg_with(ev->a, "spf.reason.address_literal",
		        "domain", ev->top_domain, TEXTS_MSG_END));
	if (!spfname_is_domain(dom))
		return spf_none(h,
		    texts_msg_with(ev->a, "spf.reason.not_domain", "domain",
		        ev->top_domain, TEXTS_MSG_END));
	return true;
}

/*
 * The outcome
 */

static const char *
spf_dup(struct arena *a, const char *s)
{
	return s == NULL ? NULL : arena_strndup(a, s, strlen(s));
}

/* spf_outcome_fill - copy the finished walk into the caller's arena */
static void
spf_outcome_fill(struct arena *a, const struct spf_eval *ev,
    const struct spf_host *h, const char *explanation,
    const struct texts_msg *dflt, struct spf_outcome *out)
{
	const char *last_in = NULL, *last_out = NULL;

	memset(out, 0, sizeof(*out));
	out->result = h->result;
	out->domain = spf_dup(a, ev->top_domain);
	if (h->record != NULL) {
		out->record = arena_strndup(a, h->record, h->record_len);
		out->record_len = h->record_len;
	}
	out->explanation = spf_dup(a, explanation);
	out->default_explanation = texts_msg_dup(a, dflt);
	out->reason = texts_msg_dup(a, h->why);
	out->lookups = ev->lookups;
	out->void_lookups = ev->voids;
	out->ntrace = ev->ntrace;
	out->trace_truncated = ev->truncated;
	out->trace = arena_alloc(a,
	    (ev->ntrace > 0 ? ev->ntrace : 1) * sizeof(*out->trace));
	for (size_t i = 0; i < ev->ntrace; i++) {
		const struct spf_trace_step *s = &ev->trace[i];
		struct spf_trace_step *d = &out->trace[i];

		*d = *s;
		/* consecutive steps share their domain string */
		if (s->domain != last_in) {
			last_in = s->domain;
			last_out = spf_dup(a, s->domain);
		}
		d->domain = last_out;
		d->term = arena_strndup(a, s->term, s->len);
		d->lookup = spf_dup(a, s->lookup);
		d->found = texts_msg_dup(a, s->found);
	}
	if (h->decisive != SPF_NO_STEP && h->decisive < ev->ntrace)
		out->decisive = &out->trace[h->decisive];
}

enum spf_eval_status
spf_eval(struct arena *a, const struct spf_query *q, spf_lookup_fn *lookup,
    void *arg, struct spf_outcome *out, struct spf_pending *pending,
    size_t *npending_out)
{
	struct arena *tmp = arena_new();
	struct spf_eval *ev = arena_zalloc(tmp, sizeof(*ev));
	const char *explanation = NULL;
	const struct texts_msg *dflt = NULL;
	struct spf_host h;
	bool done;

	ev->a = tmp;
	ev->q = q;
	ev->lookup = lookup;
	ev->arg = arg;
	ev->trace = arena_alloc(tmp, SPF_MAX_TRACE * sizeof(*ev->trace));
	memset(&h, 0, sizeof(h));
	h.decisive = SPF_NO_STEP;
	h.exp_step = SPF_NO_STEP;
	if (!spf_identity(ev, &h))
		done = true;
	else
		done = spf_check_host(ev, ev->top_domain, 0, true, &h) &&
		    spf_explain(ev, &h, &explanation, &dflt);
	if (!done) {
		spf_hints(ev);
		for (size_t i = 0; i < ev->npend; i++) {
			pending[i].name = spf_dup(a, ev->pend[i].name);
			pending[i].type = ev->pend[i].type;
		}
		*npending_out = ev->npend;
		arena_free(tmp);
		return SPF_EVAL_PENDING;
	}
	spf_outcome_fill(a, ev, &h, explanation, dflt, out);
	arena_free(tmp);
	return SPF_EVAL_DONE;
}
