/* SPDX-License-Identifier: MIT */
/*
 * check_ptr.c - the reverse-DNS check of a diagnosis, or of an IP alone
 *
 * Runs ptrcheck on the run's session for the sending IP (and the HELO
 * name, when known) and says, for a diagnosis, what reverse DNS shows
 * now against the receiver's claim: no PTR name, one that does not point
 * back, one that looks like a dynamic pool's (the claim holds, or may
 * explain a block), or a confirmed name (the receiver's lookup failed,
 * or the record was fixed since). ptrcheck waits for nothing but the
 * session's lookups, so the check has no cancel.
 * Not here: the lookups (ptrcheck.c), which diagnoses call for it
 * (checks.c), the JSON (report_check.c).
 */
#include "check_ptr.h"

#include "ptrcheck.h"
#include "rules.h"
#include "texts_msg.h"

struct check_ptr {
	const struct diag_result *why; /* NULL: no bounce */
	const struct check_env *env;
	struct arena *a;
	struct ptrcheck_query q;
	check_done_fn *done;
	void *arg;
};

/* check_ptr_summary - the receiver's claim against reverse DNS now */
static const struct texts_msg *
check_ptr_summary(const struct check_ptr *c, const struct ptrcheck_result *r)
{
	bool asked =
	    c->why->reason == rules_reason_of(c->env->rules, REASON_REQUIREPTR);
	const char *id;

	/* the receiver asked for reverse DNS: its complaint holds or not;
	 * else (a block, a reputation) reverse DNS may add to the cause */
	if (r->nnames == 0)
		id = asked ? "ptr.summary.missing" : "ptr.summary.missing_too";
	else if (r->fcrdns == PTRCHECK_NO)
		id = asked ? "ptr.summary.not_confirmed" :
		             "ptr.summary.not_confirmed_too";
	else if (r->fcrdns == PTRCHECK_UNKNOWN)
		return NULL;
	else if (r->generic.generic)
		id = "ptr.summary.generic";
	else if (asked)
		id = "ptr.summary.fine_now";
	else
		id = "ptr.summary.fine";
	return texts_msg_with(c->a, id, "ip", r->ip, "name",
	    r->primary != NULL ? r->primary->name : "", TEXTS_MSG_END);
}

static void
check_ptr_done(void *arg, const struct ptrcheck_result *r)
{
	struct check_ptr *c = arg;
	struct check_result out = { 0 };

	out.unchecked = r->unchecked;
	out.summary = r->unchecked == NULL && c->why != NULL ?
	    check_ptr_summary(c, r) :
	    NULL;
	out.data = r;
	c->done(c->arg, &out);
}

/* check_ptr_start - check_start_fn */
static void *
check_ptr_start(const struct check_in *in, check_done_fn *done, void *arg)
{
	struct check_ptr *c = arena_zalloc(in->a, sizeof(*c));

	c->why = in->why;
	c->env = in->env;
	c->a = in->a;
	c->done = done;
	c->arg = arg;
	c->q.ip = in->sending_ip;
	c->q.helo = in->helo;
	ptrcheck_start(in->session, in->a, &c->q, check_ptr_done, c);
	return c;
}

const struct check_kind check_ptr_kind = {
	.name = "ptr",
	.needs = CHECK_NEEDS_SENDING_IP,
	.start = check_ptr_start,
	.cancel = NULL,
};
