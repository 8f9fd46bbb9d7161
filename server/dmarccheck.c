/* SPDX-License-Identifier: MIT */
/*
 * dmarccheck.c - a domain's DMARC policy, looked up live (RFC 7489
 * §6.6.3), and alignment (§3.1)
 *
 * Both TXT lookups (the domain's _dmarc name and the organisational
 * domain's) go out before either answer is read, so a cold cache costs
 * one round trip; answers are then read in the order of the search: the
 * domain's first, the organisational domain's only when the domain has
 * no DMARC record.
 * Not here: the record's syntax (dmarcrec.c), the Public Suffix List
 * (orgdomain.c).
 */
#include "dmarccheck.h"

#include <string.h>

#include "ascii.h"
#include "dnsmsg.h"
#include "orgdomain.h"
#include "taglist.h"
#include "texts_msg.h"

#define DMARCCHECK_PREFIX "_dmarc."

struct dmarccheck;

/* One _dmarc name asked. */
struct dmarccheck_at {
	struct dmarccheck *c;
	const char *owner; /* the domain or the organisational domain */
	const char *name;  /* _dmarc.<owner> */
	const struct dnsmsg_answer *ans; /* NULL: not answered yet */
	bool counted;                    /* its records were looked at */
	size_t n;                        /* DMARC records in the answer */
	struct span first;               /* the first of them */
};

struct dmarccheck {
	struct resolver_session *s;
	struct arena *a;
	dmarccheck_done_fn *done;
	void *arg;
	struct dmarccheck_at at[2]; /* the domain, the organisational one */
	size_t nat;
	bool starting; /* answers from the cache wait until both are asked */
	bool finished;
	struct dmarccheck_result res;
};

static void
dmarccheck_finish(struct dmarccheck *c)
{
	c->finished = true;
	c->done(c->arg, &c->res);
}

static void
dmarccheck_add(struct dmarccheck *c, const char *code, enum finding_level level,
    const struct texts_msg *m)
{
	findings_add(c->a, &c->res.findings, code, level, m);
}

/* dmarccheck_failed - is the answer no answer (the DNS failed)? Sets
 * unchecked then. */
static bool
dmarccheck_failed(struct dmarccheck *c, const struct dmarccheck_at *at)
{
	const char *id = resolver_failure_id(c->s, at->ans);

	if (id != NULL)
		c->res.unchecked = texts_msg_new(c->a, id);
	else if (at->ans->status == DNSMSG_MALFORMED)
		c->res.unchecked =
		    texts_msg_with(c->a, "dmarc.unchecked.malformed", "name",
		        at->name, TEXTS_MSG_END);
	return c->res.unchecked != NULL;
}

/* dmarccheck_count - the DMARC records of an answer (§6.6.3 steps 2
 * and 4); the look-alikes become findings */
static void
dmarccheck_count(struct dmarccheck *c, struct dmarccheck_at *at)
{
	const struct dnsmsg_answer *ans = at->ans;

	at->counted = true;
	for (size_t i = 0; ans->status == DNSMSG_OK && i < ans->nrecords; i++) {
		const struct dnsmsg_record *r = &ans->records[i];
		struct span txt;

		if (r->type != DNSMSG_T_TXT)
			continue;
		txt = span_make(r->u.txt.data, r->u.txt.len);
		switch (dmarcrec_kind(txt)) {
		case DMARCREC_DMARC1:
			if (at->n++ == 0)
				at->first = txt;
			break;
		case DMARCREC_LOOKALIKE:
			dmarccheck_add(c, "dmarc_lookalike", FINDING_WARNING,
			    texts_msg_with(c->a, "dmarc.lookalike", "name",
			        at->name, "record", taglist_quote(c->a, txt),
			        TEXTS_MSG_END));
			break;
		case DMARCREC_OTHER:
			break;
		}
	}
}

/* dmarccheck_judge - the findings about a usable record's policy */
static void
dmarccheck_judge(struct dmarccheck *c, const struct dmarcrec *r)
{
	struct dmarccheck_result *res = &c->res;
	struct texts_msg *m;

	if (res->effective == DMARCREC_P_NONE) {
		dmarccheck_add(c, "dmarc_policy_none", FINDING_INFO,
		    texts_msg_with(c->a, "dmarc.policy_none", "domain",
		        res->domain, TEXTS_MSG_END));
	} else if (r->pct < 100) {
		m = texts_msg_with(c->a, "dmarc.pct", "policy",
		    dmarcrec_policy_str(res->effective), TEXTS_MSG_END);
		dmarccheck_add(c, "dmarc_pct", FINDING_INFO,
		    texts_msg_num(m, "pct", r->pct));
	}
	if (r->nrua == 0)
		dmarccheck_add(c, "dmarc_no_rua", FINDING_INFO,
		    texts_msg_with(c->a, "dmarc.no_rua", "domain",
		        res->found_at, TEXTS_MSG_END));
	/* the policies are in the order of their strength */
	if (r->sp != DMARCREC_P_UNSET && r->sp < r->p)
		dmarccheck_add(c, "dmarc_sp_weaker", FINDING_WARNING,
		    texts_msg_with(c->a, "dmarc.sp_weaker", "sp",
		        dmarcrec_policy_str(r->sp), "p",
		        dmarcrec_policy_str(r->p), TEXTS_MSG_END));
}

/* dmarccheck_use - the one DMARC record of at */
static void
dmarccheck_use(struct dmarccheck *c, const struct dmarccheck_at *at)
{
	struct dmarccheck_result *res = &c->res;
	struct dmarcrec *r = arena_alloc(c->a, sizeof(*r));
	char *text = arena_strndup(c->a, at->first.ptr, at->first.len);

	dmarcrec_parse(c->a, span_make(text, at->first.len), r);
	res->found_at = at->owner;
	res->record = text;
	res->rec = r;
	for (size_t i = 0; i < r->findings.n; i++)
		dmarccheck_add(c, r->findings.v[i].code, r->findings.v[i].level,
		    r->findings.v[i].msg);
	res->adkim = r->adkim;
	res->aspf = r->aspf;
	res->pct = r->pct;
	res->rua = r->rua;
	res->nrua = r->nrua;
	if (!r->usable)
		return;
	res->policy = r->p;
	res->subdomain_policy = r->sp != DMARCREC_P_UNSET ? r->sp : r->p;
	/* the organisational domain's record, for one of its subdomains */
	res->effective = at == &c->at[1] ? res->subdomain_policy : r->p;
	dmarccheck_judge(c, r);
}

/* dmarccheck_multiple - §6.6.3 step 5: more than one record where the
 * search stopped: no fallback, no DMARC */
static void
dmarccheck_multiple(struct dmarccheck *c, const struct dmarccheck_at *at)
{
	struct texts_msg *m = texts_msg_with(c->a, "dmarc.multiple", "name",
	    at->name, TEXTS_MSG_END);

	dmarccheck_add(c, "dmarc_multiple", FINDING_ERROR,
	    texts_msg_count(m, at->n));
}

/* dmarccheck_missing - no record at the domain, nor at its
 * organisational domain when that was asked too */
static void
dmarccheck_missing(struct dmarccheck *c)
{
	const struct texts_msg *m;

	if (c->nat == 2)
		m = texts_msg_with(c->a, "dmarc.missing_org", "domain",
		    c->res.domain, "org", c->res.org_domain, TEXTS_MSG_END);
	else
		m = texts_msg_with(c->a, "dmarc.missing", "domain",
		    c->res.domain, TEXTS_MSG_END);
	dmarccheck_add(c, "dmarc_missing", FINDING_WARNING, m);
}

/* dmarccheck_try - follow the search as far as the answers go */
static void
dmarccheck_try(struct dmarccheck *c)
{
	size_t i;

	for (i = 0; i < c->nat; i++) {
		struct dmarccheck_at *at = &c->at[i];

		if (at->ans == NULL)
			return;
		if (dmarccheck_failed(c, at))
			break;
		if (!at->counted)
			dmarccheck_count(c, at);
		if (at->n == 1)
			dmarccheck_use(c, at);
		else if (at->n > 1)
			dmarccheck_multiple(c, at);
		if (at->n > 0)
			break;
	}
	if (i == c->nat)
		dmarccheck_missing(c);
	dmarccheck_finish(c);
}

static void
dmarccheck_answered(void *arg, const struct dnsmsg_answer *ans)
{
	struct dmarccheck_at *at = arg;
	struct dmarccheck *c = at->c;

	at->ans = ans;
	if (!c->starting && !c->finished)
		dmarccheck_try(c);
}

/* dmarccheck_ask - add a _dmarc name to ask for */
static void
dmarccheck_ask(struct dmarccheck *c, const char *owner)
{
	struct dmarccheck_at *at = &c->at[c->nat++];

	at->c = c;
	at->owner = owner;
	at->name = arena_printf(c->a, DMARCCHECK_PREFIX "%s", owner);
}

/* dmarccheck_name - name without one final dot, if it is a name */
static bool
dmarccheck_name(struct span *name)
{
	if (!orgdomain_is_name(*name))
		return false;
	if (name->ptr[name->len - 1] == '.')
		name->len--;
	return true;
}

void
dmarccheck_start(struct resolver_session *s, struct arena *a,
    const struct dmarccheck_query *q, dmarccheck_done_fn *done, void *arg)
{
	struct dmarccheck *c = arena_zalloc(a, sizeof(*c));
	struct span name = span_cstr(q->domain);
	char org[ORGDOMAIN_MAX];

	c->s = s;
	c->a = a;
	c->done = done;
	c->arg = arg;
	c->res.pct = 100;
	if (!dmarccheck_name(&name) ||
	    name.len + strlen(DMARCCHECK_PREFIX) > ORGDOMAIN_MAX_NAME) {
		c->res.domain = taglist_quote(a, span_cstr(q->domain));
		dmarccheck_add(c, "dmarc_bad_domain", FINDING_ERROR,
		    texts_msg_with(a, "dmarc.bad_domain", "domain",
		        c->res.domain, TEXTS_MSG_END));
		dmarccheck_finish(c);
		return;
	}
	c->res.domain = ascii_lower_dup(a, name);
	if (orgdomain_of(name, org) != NULL)
		c->res.org_domain = arena_strndup(a, org, strlen(org));
	dmarccheck_ask(c, c->res.domain);
	if (c->res.org_domain != NULL &&
	    strcmp(c->res.org_domain, c->res.domain) != 0)
		dmarccheck_ask(c, c->res.org_domain);
	/* §6.6.3 step 3 asks for the fallback only after the first answer;
	 * asking both at once costs at most one spare query and saves a
	 * round trip */
	c->starting = true;
	for (size_t i = 0; i < c->nat; i++)
		resolver_lookup(s, c->at[i].name, DNSMSG_T_TXT,
		    dmarccheck_answered, &c->at[i]);
	c->starting = false;
	dmarccheck_try(c);
}

enum dmarccheck_alignment
dmarccheck_aligns(struct span from, struct span id, enum dmarcrec_align al)
{
	char fb[ORGDOMAIN_MAX], ib[ORGDOMAIN_MAX];
	const char *fo, *io;

	if (!dmarccheck_name(&from) || !dmarccheck_name(&id))
		return DMARCCHECK_ALIGN_BAD;
	if (ascii_ieq(from, id))
		return DMARCCHECK_ALIGNED;
	/* RFC 7489 §3.2: a name without an organisational domain (a public
	 * suffix) has only itself, and it differs */
	fo = orgdomain_of(from, fb);
	io = orgdomain_of(id, ib);
	if (fo == NULL || io == NULL || strcmp(fo, io) != 0)
		return DMARCCHECK_NOT_ALIGNED;
	return al == DMARCREC_STRICT ? DMARCCHECK_NOT_STRICT :
	                               DMARCCHECK_ALIGNED;
}

enum dmarccheck_alignment
dmarccheck_spf_aligns(struct span from_domain, struct span spf_domain,
    enum dmarcrec_align aspf)
{
	/* §3.1.2: the SPF-authenticated domain is MAIL FROM's (or HELO's
	 * when MAIL FROM is empty); the caller names it */
	return dmarccheck_aligns(from_domain, spf_domain, aspf);
}
