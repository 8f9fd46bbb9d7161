/* SPDX-License-Identifier: MIT */
/*
 * check_dkim.c - the DKIM key check of a diagnosis, or of a selector
 *
 * Runs dkimcheck on the run's session for the domain and selector of the
 * returned message's DKIM-Signature (or those asked for) and says, for a
 * diagnosis, whether receivers can verify that signature now: the key is
 * missing, revoked or unusable (signatures fail), or it is there. The
 * check waits for nothing but the session's lookups: no cancel.
 * Not here: the lookup (dkimcheck.c), which diagnoses call for it
 * (checks.c), the JSON (report_check.c).
 */
#include "check_dkim.h"

#include "dkimcheck.h"
#include "texts_msg.h"

struct check_dkim {
	const struct diag_result *why; /* NULL: no bounce */
	struct arena *a;
	struct dkimcheck_query q;
	check_done_fn *done;
	void *arg;
};

/* check_dkim_summary - can receivers verify the signature now? */
static const struct texts_msg *
check_dkim_summary(const struct check_dkim *c, const struct dkimcheck_result *r)
{
	bool error = false;
	const char *id;

	for (size_t i = 0; i < r->findings.n; i++)
		error = error || r->findings.v[i].level == FINDING_ERROR;
	if (r->record == NULL)
		id = "dkim.summary.missing";
	else if (r->revoked)
		id = "dkim.summary.revoked";
	else if (r->key_bits == 0 || error)
		id = "dkim.summary.unusable";
	else
		id = "dkim.summary.usable";
	return texts_msg_with(c->a, id, "domain", r->domain, "selector",
	    r->selector, TEXTS_MSG_END);
}

static void
check_dkim_done(void *arg, const struct dkimcheck_result *r)
{
	struct check_dkim *c = arg;
	struct check_result out = { 0 };

	out.unchecked = r->unchecked;
	out.summary = r->unchecked == NULL && c->why != NULL ?
	    check_dkim_summary(c, r) :
	    NULL;
	out.data = r;
	c->done(c->arg, &out);
}

/* check_dkim_start - check_start_fn */
static void *
check_dkim_start(const struct check_in *in, check_done_fn *done, void *arg)
{
	struct check_dkim *c = arena_zalloc(in->a, sizeof(*c));

	c->why = in->why;
	c->a = in->a;
	c->done = done;
	c->arg = arg;
	c->q.domain = in->dkim_domain;
	c->q.selector = in->dkim_selector;
	dkimcheck_start(in->session, in->a, &c->q, check_dkim_done, c);
	return c;
}

const struct check_kind check_dkim_kind = {
	.name = "dkim",
	.needs = CHECK_NEEDS_DKIM,
	.start = check_dkim_start,
	.cancel = NULL,
};
