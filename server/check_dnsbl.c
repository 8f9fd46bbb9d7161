/* SPDX-License-Identifier: MIT */
/*
 * check_dnsbl.c - the blocklist check of a diagnosis, or of an IP alone
 *
 * Runs dnsbl on the run's session with the configured lists (check_env)
 * and says, for a diagnosis, what the lists say now against the
 * receiver's claim: listed (the refusal is explained), a list the bounce
 * named no longer lists the address (it was delisted since), or no list
 * does. A list that refused to answer, timed out or failed its health
 * test says nothing, and the summary says nothing it does not know. dnsbl
 * waits for nothing but the session's lookups: no cancel.
 * Not here: the lists and the lookups (dnsbl*.c), which diagnoses call
 * for it (checks.c), the JSON (report_check.c).
 */
#include "check_dnsbl.h"

#include "dnsbl.h"
#include "texts_msg.h"

struct check_dnsbl {
	const struct diag_result *why; /* NULL: no bounce */
	struct arena *a;
	struct dnsbl_query q;
	check_done_fn *done;
	void *arg;
};

/* check_dnsbl_zones - the blocklists (allow lists aside) in the given
 * status, as "zone, zone"; *n_out gets how many; *named_out whether a
 * zone the bounce names is among them */
static const char *
check_dnsbl_zones(struct arena *a, const struct dnsbl_result *r,
    enum dnsbl_status st, size_t *n_out, bool *named_out)
{
	const char *list = NULL;

	*n_out = 0;
	*named_out = false;
	for (size_t i = 0; i < r->nzones; i++) {
		const struct dnsbl_zone_result *z = &r->zones[i];

		if (z->status != st ||
		    (z->zone != NULL && z->zone->kind == DNSBL_KIND_ALLOW))
			continue;
		list = list == NULL ?
		    z->zone_name :
		    arena_printf(a, "%s, %s", list, z->zone_name);
		++*n_out;
		*named_out = *named_out || z->named;
	}
	return list;
}

/* check_dnsbl_summary - the receiver's claim against the lists now */
static const struct texts_msg *
check_dnsbl_summary(const struct check_dnsbl *c, const struct dnsbl_result *r)
{
	size_t nlisted, nclear;
	bool named_listed, named_clear;
	const char *listed =
	    check_dnsbl_zones(c->a, r, DNSBL_LISTED, &nlisted, &named_listed);
	/* the names of the lists that list nothing are not said */
	(void)check_dnsbl_zones(c->a, r, DNSBL_NOT_LISTED, &nclear,
	    &named_clear);
	const char *target = c->q.ip != NULL ? c->q.ip : c->q.domain;
	struct texts_msg *m;

	if (nlisted > 0)
		m = texts_msg_with(c->a, "dnsbl.summary.listed", "target",
		    target, "zones", listed, TEXTS_MSG_END);
	else if (named_clear)
		m = texts_msg_with(c->a, "dnsbl.summary.delisted", "target",
		    target, TEXTS_MSG_END);
	else if (nclear > 0)
		m = texts_msg_with(c->a, "dnsbl.summary.clear", "target",
		    target, TEXTS_MSG_END);
	else
		return NULL;
	return texts_msg_count(m, nlisted > 0 ? nlisted : nclear);
}

static void
check_dnsbl_done(void *arg, const struct dnsbl_result *r)
{
	struct check_dnsbl *c = arg;
	struct check_result out = { 0 };

	out.unchecked = r->unchecked;
	out.summary = r->unchecked == NULL && c->why != NULL ?
	    check_dnsbl_summary(c, r) :
	    NULL;
	out.data = r;
	c->done(c->arg, &out);
}

/* check_dnsbl_start - check_start_fn */
static void *
check_dnsbl_start(const struct check_in *in, check_done_fn *done, void *arg)
{
	struct check_dnsbl *c = arena_zalloc(in->a, sizeof(*c));

	c->why = in->why;
	c->a = in->a;
	c->done = done;
	c->arg = arg;
	c->q.ip = in->sending_ip;
	c->q.domain = in->domain;
	c->q.named = in->lists;
	c->q.nnamed = in->nlists;
	dnsbl_start(in->session, in->a, in->env->dnsbl, in->env->health, &c->q,
	    check_dnsbl_done, c);
	return c;
}

const struct check_kind check_dnsbl_kind = {
	.name = "dnsbl",
	.needs = CHECK_NEEDS_IP_OR_DOMAIN | CHECK_NEEDS_DNSBL,
	.start = check_dnsbl_start,
	.cancel = NULL,
};
