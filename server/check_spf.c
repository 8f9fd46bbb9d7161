/* SPDX-License-Identifier: MIT */
/*
 * check_spf.c - the SPF check of a diagnosis
 *
 * Turns what the diagnosis found into an SPF query and spfcheck options
 * (the refused IP, the sender domain, the bounce's names as provider
 * hints), runs spfcheck on the diagnosis's resolver session, and turns
 * its outcome into the check's result: checked or not, and, when the fix
 * was verified, the sentence that replaces the fix steps asking for an
 * SPF edit by hand. spfcheck waits for nothing but the session's
 * lookups, so the check has no cancel: the deadline ends it through the
 * session.
 * Not here: RFC 7208 (spf.c), the DNS phases (spfcheck.c), which
 * diagnoses call for it (checks.c), the JSON (report.c).
 */
#include "check_spf.h"

#include <stdint.h>
#include <string.h>
#include <time.h>

#include "rules.h"
#include "spfcheck.h"
#include "tmpl.h"

struct check_spf {
	const struct check_env *env;
	const struct diag *d; /* NULL: no bounce */
	enum lang lang;
	struct arena *a;
	check_done_fn *done;
	void *arg;
	struct spfcheck_opts opts;
	struct check_spf_result res;
};

struct check_spf_step_ctx {
	const struct check_spf_result *res;
	const char *added;
};

/* check_spf_step_lookup - the placeholders of reasons.json's
 * verified_steps */
static const char *
check_spf_step_lookup(struct span name, void *arg)
{
	const struct check_spf_step_ctx *sc = arg;

	if (span_eq_cstr(name, "domain"))
		return sc->res->fix->domain;
	if (span_eq_cstr(name, "record"))
		return sc->res->fix->record;
	if (span_eq_cstr(name, "added"))
		return sc->added;
	if (span_eq_cstr(name, "ip"))
		return sc->res->query.ip;
	return NULL;
}

/* check_spf_step - a fix that re-evaluates to pass is verified: its
 * record becomes the first fix step, in place of the steps that ask for
 * an SPF edit by hand (report.c) */
static const char *
check_spf_step(const struct check_spf *c, const struct texts_msg *unchecked)
{
	const struct check_spf_result *res = &c->res;
	const struct ltext *t =
	    rules_verified_step(c->env->rules, "spf_record");
	struct check_spf_step_ctx sc = { res, NULL };

	if (unchecked != NULL || res->fix == NULL || res->fix->record == NULL ||
	    !res->fix->verified || res->fix->result_after != SPF_PASS ||
	    t == NULL)
		return NULL;
	sc.added = res->fix->provider != NULL ?
	    arena_printf(c->a, "%s, %s", res->fix->added, res->fix->provider) :
	    res->fix->added;
	return tmpl_expand(c->a, ltext_get(t, c->lang), check_spf_step_lookup,
	    &sc);
}

/* check_spf_summary - the receiver refused for SPF: does the domain's
 * record refuse the client now? */
static const struct texts_msg *
check_spf_summary(const struct check_spf *c, const struct spfcheck_result *r)
{
	static const char *const ids[] = {
		[SPF_NONE] = "spf.summary.none",
		[SPF_NEUTRAL] = "spf.summary.neutral",
		[SPF_PASS] = "spf.summary.pass_now",
		[SPF_FAIL] = "spf.summary.confirmed",
		[SPF_SOFTFAIL] = "spf.summary.confirmed",
		[SPF_TEMPERROR] = "spf.summary.temperror",
		[SPF_PERMERROR] = "spf.summary.permerror",
	};

	if (c->d == NULL || r->unchecked != NULL || r->o->domain == NULL)
		return NULL;
	/* the receiver evaluated a record: a domain absent now contradicts
	 * the bounce more than it explains it */
	return texts_msg_with(c->a,
	    texts_msg_is(r->o->reason, "spf.reason.nxdomain") ?
	        "spf.summary.nxdomain" :
	        ids[r->o->result],
	    "ip", c->res.query.ip, "domain", r->o->domain, "result",
	    spf_result_str(r->o->result), TEXTS_MSG_END);
}

static void
check_spf_done(void *arg, const struct spfcheck_result *r)
{
	struct check_spf *c = arg;
	struct check_result out = { 0 };

	c->res.outcome = r->o;
	c->res.fix = r->fix;
	c->res.ptr = r->ptr;
	out.unchecked = r->unchecked;
	out.summary = check_spf_summary(c, r);
	out.verified_step = check_spf_step(c, r->unchecked);
	out.replaces = "spf_record";
	out.data = &c->res;
	c->done(c->arg, &out);
}

/* check_spf_start - check_start_fn */
static void *
check_spf_start(const struct check_in *in, check_done_fn *done, void *arg)
{
	struct check_spf *c = arena_zalloc(in->a, sizeof(*c));
	struct spf_query *q = &c->res.query;

	c->env = in->env;
	c->d = in->d;
	c->lang = in->lang;
	c->a = in->a;
	c->done = done;
	c->arg = arg;
	q->ip = in->sending_ip;
	q->domain = in->sender_domain;
	q->now = (uint64_t)time(NULL);
	c->opts.fix = true;
	c->opts.providers = rules_providers(in->env->rules);
	c->opts.names = in->hints;
	c->opts.nnames = in->nhints;
	(void)spfcheck_start(in->session, in->a, q, &c->opts, check_spf_done,
	    c);
	return c;
}

const struct check_kind check_spf_kind = {
	.name = "spf",
	.needs = CHECK_NEEDS_SENDING_IP | CHECK_NEEDS_SENDER_DOMAIN,
	.start = check_spf_start,
	.cancel = NULL,
};
