/* SPDX-License-Identifier: MIT */
/*
 * check_dnsbl.c - the blocklist check of a diagnosis, or of an IP alone
 *
 * Runs dnsbl on the run's session with the configured lists (check_env)
 * and says, for a diagnosis, what the lists say now against the
 * receiver's claim: listed (the refusal is explained), a list the bounce
 * named no longer lists the address (it was delisted since), or no list
 * does, each said of the target those lists were asked about (the
 * address, else the domain: a listed domain is never said of the
 * address). A list that refused to answer, timed out or failed its health
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

/* What the lists say about one of the query's targets. */
struct check_dnsbl_said {
	const char *target; /* the address or domain, as the lists were asked */
	const char *zones;  /* "zone, zone", or NULL */
	size_t n;
	bool named; /* a zone the bounce names is among them */
};

/* check_dnsbl_zones - the blocklists of kind (the address's, or the
 * domain's) in the given status, and the target they were asked about */
static struct check_dnsbl_said
check_dnsbl_zones(struct arena *a, const struct dnsbl_result *r,
    enum dnsbl_kind kind, enum dnsbl_status st)
{
	struct check_dnsbl_said s = { NULL, NULL, 0, false };

	for (size_t i = 0; i < r->nzones; i++) {
		const struct dnsbl_zone_result *z = &r->zones[i];

		if (z->status != st || z->zone == NULL || z->zone->kind != kind)
			continue;
		s.target = z->target;
		s.zones = s.zones == NULL ?
		    z->zone_name :
		    arena_printf(a, "%s, %s", s.zones, z->zone_name);
		s.n++;
		s.named = s.named || z->named;
	}
	return s;
}

/* check_dnsbl_summary - the receiver's claim against the lists now.
 * Each sentence is about the one target the lists it counts were asked
 * about: the address first (what receivers refuse), else the domain. */
static const struct texts_msg *
check_dnsbl_summary(const struct check_dnsbl *c, const struct dnsbl_result *r)
{
	static const enum dnsbl_kind kinds[] = { DNSBL_KIND_IP,
		DNSBL_KIND_DOMAIN };

	/* in order of precedence: listed, a named list clear, clear */
	static const char *const ids[] = { "dnsbl.summary.listed",
		"dnsbl.summary.delisted", "dnsbl.summary.clear" };
	struct check_dnsbl_said said[3][2];

	for (size_t k = 0; k < 2; k++) {
		said[0][k] = check_dnsbl_zones(c->a, r, kinds[k], DNSBL_LISTED);
		said[1][k] = said[2][k] =
		    check_dnsbl_zones(c->a, r, kinds[k], DNSBL_NOT_LISTED);
		said[1][k].n = said[1][k].named ? said[1][k].n : 0;
	}
	for (size_t i = 0; i < 3; i++) {
		for (size_t k = 0; k < 2; k++) {
			const struct check_dnsbl_said *s = &said[i][k];

			if (s->n == 0)
				continue;
			/* only the listed sentence names the lists */
			return texts_msg_count(texts_msg_with(c->a, ids[i],
			                           "target", s->target, "zones",
			                           s->zones, TEXTS_MSG_END),
			    s->n);
		}
	}
	return NULL;
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
