/* SPDX-License-Identifier: MIT */
/*
 * check_mx.c - the MX check of a diagnosis, or of a domain alone
 *
 * Runs mxcheck on the run's session for the domain the caller chose (the
 * failed recipient's, or the one a bounce names) and says, for a
 * diagnosis, what DNS shows now against the receiver's claim: the domain
 * is gone or takes no mail (the claim holds), its servers cannot be
 * reached (its administrator must act), or all is well now (the address
 * itself was refused, or the receiver's trouble was passing). mxcheck
 * waits for nothing but the session's lookups, so the check has no
 * cancel.
 * Not here: the lookups (mxcheck.c), which diagnoses call for it
 * (checks.c), the JSON (report_check.c).
 */
#include "check_mx.h"

#include "mxcheck.h"
#include "rules.h"
#include "texts_msg.h"

struct check_mx {
	const struct diag_result *why; /* NULL: no bounce */
	const struct check_env *env;
	struct arena *a;
	check_done_fn *done;
	void *arg;
};

/* check_mx_broken - does no exchange have an address, and none is
 * unknown? */
static bool
check_mx_broken(const struct mxcheck_result *r)
{
	for (size_t i = 0; i < r->nexchanges; i++) {
		enum mxcheck_status st = r->exchanges[i].status;

		if (st == MXCHECK_RESOLVED || st == MXCHECK_CNAME ||
		    st == MXCHECK_NOT_CHECKED)
			return false;
	}
	return r->nexchanges > 0;
}

/* check_mx_summary - the receiver's claim against what DNS says now */
static const struct texts_msg *
check_mx_summary(const struct check_mx *c, const struct mxcheck_result *r)
{
	const char *id;

	if (c->why == NULL || r->unchecked != NULL)
		return NULL;
	if (findings_find(&r->findings, "domain_not_found") != NULL)
		id = "mx.summary.no_domain";
	else if (r->null_mx ||
	    findings_find(&r->findings, "accepts_no_mail") != NULL)
		id = "mx.summary.no_mail";
	else if (check_mx_broken(r))
		id = "mx.summary.broken";
	else if (c->why->reason ==
	    rules_reason_of(c->env->rules, REASON_USERUNKNOWN))
		id = "mx.summary.fine_mailbox";
	else
		id = "mx.summary.fine_now";
	return texts_msg_with(c->a, id, "domain", r->domain, "host",
	    r->nexchanges > 0 ? r->exchanges[0].host : r->domain,
	    TEXTS_MSG_END);
}

/* check_mx_unchecked - why nothing was established: the MX lookup
 * failed, or no exchange could be looked up at all */
static const struct texts_msg *
check_mx_unchecked(const struct mxcheck_result *r)
{
	if (r->unchecked != NULL || r->nexchanges == 0)
		return r->unchecked;
	for (size_t i = 0; i < r->nexchanges; i++) {
		if (r->exchanges[i].status != MXCHECK_NOT_CHECKED)
			return NULL;
	}
	return r->exchanges[0].unchecked;
}

static void
check_mx_done(void *arg, const struct mxcheck_result *r)
{
	struct check_mx *c = arg;
	struct check_result out = { 0 };

	out.unchecked = check_mx_unchecked(r);
	out.summary = out.unchecked == NULL ? check_mx_summary(c, r) : NULL;
	out.data = r;
	c->done(c->arg, &out);
}

/* check_mx_start - check_start_fn */
static void *
check_mx_start(const struct check_in *in, check_done_fn *done, void *arg)
{
	struct check_mx *c = arena_zalloc(in->a, sizeof(*c));

	c->why = in->why;
	c->env = in->env;
	c->a = in->a;
	c->done = done;
	c->arg = arg;
	mxcheck_start(in->session, in->a, in->domain, check_mx_done, c);
	return c;
}

const struct check_kind check_mx_kind = {
	.name = "mx",
	.needs = CHECK_NEEDS_DOMAIN,
	.start = check_mx_start,
	.cancel = NULL,
};
