/* SPDX-License-Identifier: MIT */
/*
 * check_dmarc.c - the DMARC check of a diagnosis, or of a domain alone
 *
 * Runs dmarccheck on the run's session for the domain the caller chose
 * (the sender's) and says, for a diagnosis, what the domain's policy
 * asks receivers to do with mail that fails authentication: reject or
 * quarantine it (the refusal follows the domain's own policy), nothing
 * (the receiver refused on its own), or there is no policy. dmarccheck
 * waits for nothing but the session's lookups: no cancel.
 * Not here: the lookups (dmarccheck.c), which diagnoses call for it
 * (checks.c), the JSON (report_check.c).
 */
#include "check_dmarc.h"

#include "dmarccheck.h"
#include "texts_msg.h"

struct check_dmarc {
	const struct diag_result *why; /* NULL: no bounce */
	struct arena *a;
	struct dmarccheck_query q;
	check_done_fn *done;
	void *arg;
};

/* check_dmarc_summary - the domain's policy for mail that fails */
static const struct texts_msg *
check_dmarc_summary(const struct check_dmarc *c,
    const struct dmarccheck_result *r)
{
	const char *id;

	switch (r->effective) {
	case DMARCREC_P_REJECT:
	case DMARCREC_P_QUARANTINE:
		id = "dmarc.summary.enforced";
		break;
	case DMARCREC_P_NONE:
		id = "dmarc.summary.monitor";
		break;
	default:
		id = "dmarc.summary.none";
		break;
	}
	return texts_msg_with(c->a, id, "domain", r->domain, "policy",
	    dmarcrec_policy_str(r->effective), TEXTS_MSG_END);
}

static void
check_dmarc_done(void *arg, const struct dmarccheck_result *r)
{
	struct check_dmarc *c = arg;
	struct check_result out = { 0 };

	out.unchecked = r->unchecked;
	out.summary = r->unchecked == NULL && c->why != NULL ?
	    check_dmarc_summary(c, r) :
	    NULL;
	out.data = r;
	c->done(c->arg, &out);
}

/* check_dmarc_start - check_start_fn */
static void *
check_dmarc_start(const struct check_in *in, check_done_fn *done, void *arg)
{
	struct check_dmarc *c = arena_zalloc(in->a, sizeof(*c));

	c->why = in->why;
	c->a = in->a;
	c->done = done;
	c->arg = arg;
	c->q.domain = in->domain;
	dmarccheck_start(in->session, in->a, &c->q, check_dmarc_done, c);
	return c;
}

const struct check_kind check_dmarc_kind = {
	.name = "dmarc",
	.needs = CHECK_NEEDS_DOMAIN,
	.start = check_dmarc_start,
	.cancel = NULL,
};
