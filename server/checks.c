/* SPDX-License-Identifier: MIT */
/*
 * checks.c - which live checks a diagnosis calls for, and their session
 *
 * A check table keeps the decision in one place: each entry says whether
 * the diagnosis wants it and starts it; a pending count ends the whole
 * when the last check reports. All checks share one resolver session, so
 * the deadline and the DNS budget hold for the request, not per check.
 * Not here: the checks themselves (spfcheck.c, spf.c), the JSON
 * (report.c).
 */
#include "checks.h"

#include <string.h>
#include <time.h>

#include "spfcheck.h"
#include "tmpl.h"

struct checks {
	const struct diag *d; /* borrowed */
	struct resolver_session *session;
	struct arena *a;
	checks_done_fn *done;
	void *arg;
	unsigned pending;
	bool starting; /* inside checks_start: hold done until the end */
	struct checks_spf *spf;
};

static void
checks_one_done(struct checks *c)
{
	if (--c->pending == 0 && !c->starting)
		c->done(c->arg);
}

/* checks_is_auth - a result of the diagnosis is an authentication refusal */
static bool
checks_is_auth(const struct diag *d)
{
	for (size_t i = 0; i < d->nresults; i++) {
		if (d->results[i].reason ==
		    rules_reason_of(d->env->rules, REASON_AUTHFAILURE))
			return true;
	}
	return false;
}

bool
checks_wants_spf(const struct diag *d)
{
	const struct extract_entities *e = &d->bounce.ent;

	return checks_is_auth(d) && e->sending_ip != NULL &&
	    e->sender_domain != NULL;
}

struct checks_step_ctx {
	const struct checks_spf *spf;
	const char *added;
};

/* checks_step_lookup - the placeholders of reasons.json's verified_steps */
static const char *
checks_step_lookup(struct span name, void *arg)
{
	const struct checks_step_ctx *sc = arg;

	if (span_eq_cstr(name, "domain"))
		return sc->spf->fix->domain;
	if (span_eq_cstr(name, "record"))
		return sc->spf->fix->record;
	if (span_eq_cstr(name, "added"))
		return sc->added;
	if (span_eq_cstr(name, "ip"))
		return sc->spf->query.ip;
	return NULL;
}

/* checks_spf_step - a fix that re-evaluates to pass is verified: its
 * record becomes the first fix step, in place of the steps that ask for
 * an SPF edit by hand (report.c) */
static const char *
checks_spf_step(const struct checks *c)
{
	const struct checks_spf *spf = c->spf;
	const struct ltext *t =
	    rules_verified_step(c->d->env->rules, "spf_record");
	struct checks_step_ctx sc = { spf, NULL };

	if (spf->unchecked != NULL || spf->fix == NULL ||
	    spf->fix->record == NULL || spf->fix->result_after == NULL ||
	    strcmp(spf->fix->result_after, "pass") != 0 || t == NULL)
		return NULL;
	sc.added = spf->fix->provider != NULL ?
	    arena_printf(c->a, "%s, %s", spf->fix->added, spf->fix->provider) :
	    spf->fix->added;
	return tmpl_expand(c->a, ltext_get(t, c->d->lang), checks_step_lookup,
	    &sc);
}

static void
checks_spf_done(void *arg, const struct spfcheck_result *r)
{
	struct checks *c = arg;

	c->spf->outcome = r->o;
	c->spf->unchecked = r->unchecked;
	c->spf->fix = r->fix;
	c->spf->ptr = r->ptr;
	c->spf->verified_step = checks_spf_step(c);
	checks_one_done(c);
}

/* checks_spf_hints - the names of the bounce that may point at the
 * sender's mail provider: hosts, domains, addresses (spffix only
 * matches outbound server names, so the receiving side does no harm) */
static void
checks_spf_hints(const struct diag *d, struct arena *a, struct spfcheck_opts *o)
{
	const struct extract_entities *e = &d->bounce.ent;
	const struct strlist *lists[] = { &e->hosts, &e->domains, &e->emails };
	size_t n = 0;
	const char **v;

	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		n += lists[i]->n;
	v = arena_alloc(a, (n > 0 ? n : 1) * sizeof(*v));
	n = 0;
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		for (size_t k = 0; k < lists[i]->n; k++)
			v[n++] = lists[i]->v[k];
	o->names = v;
	o->nnames = n;
}

struct checks *
checks_start(const struct checks_env *env, const struct diag *d,
    struct arena *a, checks_done_fn *done, void *arg)
{
	struct checks *c = arena_zalloc(a, sizeof(*c));

	c->d = d;
	c->a = a;
	c->done = done;
	c->arg = arg;
	c->starting = true;
	c->pending = 1; /* checks_start's own, released below */
	if (env->resolver != NULL && checks_wants_spf(d)) {
		struct spf_query *q;
		struct spfcheck_opts *opts = arena_zalloc(a, sizeof(*opts));

		c->session = resolver_session_new(env->resolver, a,
		    evloop_now_ms() + env->deadline_ms, env->dns_budget);
		c->spf = arena_zalloc(a, sizeof(*c->spf));
		q = &c->spf->query;
		q->ip = d->bounce.ent.sending_ip;
		q->domain = d->bounce.ent.sender_domain;
		q->now = (uint64_t)time(NULL);
		opts->fix = true;
		checks_spf_hints(d, a, opts);
		c->pending++;
		(void)spfcheck_start(c->session, a, q, opts, checks_spf_done,
		    c);
	}
	c->starting = false;
	checks_one_done(c);
	return c;
}

void
checks_free(struct checks *c)
{
	if (c == NULL)
		return;
	resolver_session_free(c->session);
	c->session = NULL;
}

const struct checks_spf *
checks_spf(const struct checks *c)
{
	return c != NULL ? c->spf : NULL;
}
