/* SPDX-License-Identifier: MIT */
/*
 * dnsbl.c - one blocklist check: every configured zone at once
 *
 * dnsbl_start decides for each zone whether it can be asked (its kind,
 * IPv6, its health, a retired list) and sends all A queries before any
 * answer is read; the diagnosis has one deadline, so a dozen lists must
 * never wait for one another. Each answer is read by dnsbl_zone.c; a
 * listing adds a TXT query for the list's reason. The check counts the
 * lookups it waits for, and calls done when the count falls to zero
 * (after the last lookup went out, so answers from the cache during
 * start-up cannot end it early).
 * Not here: what an answer means (dnsbl_zone.c), the zones
 * (dnsbl_config.c), their health (dnsbl_health.c).
 */
#include "dnsbl.h"

#include <string.h>

#include "ascii.h"
#include "text.h"
#include "texts_msg.h"

struct dnsbl_check;

/* One zone's lookups. */
struct dnsbl_slot {
	struct dnsbl_check *c;
	struct dnsbl_zone_result *r;
	bool ask; /* an A query goes out */
};

struct dnsbl_check {
	struct resolver_session *s;
	struct arena *a;
	const struct dnsbl_config *cfg;
	const struct dnsbl_health *health;
	dnsbl_done_fn *done;
	void *arg;
	struct dnsbl_zone_result *res;
	struct dnsbl_slot *slots;
	size_t nres;
	size_t waiting;
	bool starting; /* lookups still going out */
	bool has_ip;
	struct dnsbl_ip ip;
	const char *ip_text; /* the query's address, as given */
	const char *domain;  /* lowercase, no final dot; NULL: none usable */
};

/* dnsbl_msg - a message with the zone's names as arguments */
static struct texts_msg *
dnsbl_msg(struct dnsbl_check *c, const char *id,
    const struct dnsbl_zone_result *r)
{
	struct texts_msg *m = texts_msg_new(c->a, id);

	(void)texts_msg_arg(m, "zone", r->zone_name);
	if (r->zone != NULL)
		(void)texts_msg_arg(m, "list", r->zone->name);
	if (r->target != NULL)
		(void)texts_msg_arg(m, "target", r->target);
	return m;
}

/* dnsbl_plan_ip - an IP or allow zone: ask about the address, or why
 * not; true when it is asked */
static bool
dnsbl_plan_ip(struct dnsbl_check *c, struct dnsbl_zone_result *r)
{
	char qname[DNSMSG_MAX_TEXT];

	if (!c->has_ip) {
		r->detail = dnsbl_msg(c, "dnsbl.not_queried.no_ip", r);
		return false;
	}
	r->target = c->ip_text;
	if (dnsbl_ip_reserved(&c->ip)) {
		r->detail = dnsbl_msg(c, "dnsbl.not_queried.reserved", r);
		return false;
	}
	if (c->ip.v6 && !r->zone->ipv6) {
		r->detail = dnsbl_msg(c, "dnsbl.not_queried.ipv6", r);
		return false;
	}
	if (dnsbl_zone_qname_ip(r->zone, &c->ip, qname, sizeof(qname)) == -1) {
		r->detail = dnsbl_msg(c, "dnsbl.not_queried.too_long", r);
		return false;
	}
	r->qname = arena_strndup(c->a, qname, strlen(qname));
	return true;
}

/* dnsbl_plan_domain - a domain zone */
static bool
dnsbl_plan_domain(struct dnsbl_check *c, struct dnsbl_zone_result *r)
{
	char qname[DNSMSG_MAX_TEXT];

	if (c->domain == NULL) {
		r->detail = dnsbl_msg(c, "dnsbl.not_queried.no_domain", r);
		return false;
	}
	r->target = c->domain;
	if (dnsbl_zone_qname_domain(r->zone, c->domain, qname, sizeof(qname)) ==
	    -1) {
		r->detail = dnsbl_msg(c, "dnsbl.not_queried.too_long", r);
		return false;
	}
	r->qname = arena_strndup(c->a, qname, strlen(qname));
	return true;
}

/* dnsbl_plan - zone z's entry: asked, or why not */
static bool
dnsbl_plan(struct dnsbl_check *c, const struct dnsbl_zone *z,
    struct dnsbl_zone_result *r)
{
	const struct dnsbl_health_zone *hz =
	    c->health != NULL ? dnsbl_health_zone(c->health, z->index) : NULL;
	bool ask;

	r->zone = z;
	r->zone_name = z->zone;
	r->status = DNSBL_NOT_QUERIED;
	r->health = hz != NULL ? hz->state : DNSBL_HEALTH_UNKNOWN;
	if (z->retired != NULL) {
		r->health = DNSBL_HEALTH_UNTESTED;
		r->detail =
		    texts_msg_sub(dnsbl_msg(c, "dnsbl.not_queried.retired", r),
		        "why", texts_msg_new(c->a, z->retired));
		return false;
	}
	ask = z->kind == DNSBL_KIND_DOMAIN ? dnsbl_plan_domain(c, r) :
	                                     dnsbl_plan_ip(c, r);
	if (!ask)
		return false;
	if (r->health == DNSBL_HEALTH_UNHEALTHY) {
		/* its answers are not trusted: asking would only spend the
		 * budget and the list's quota */
		r->status = DNSBL_UNHEALTHY;
		r->qname = NULL;
		r->detail = texts_msg_sub(dnsbl_msg(c, "dnsbl.unhealthy", r),
		    "why", texts_msg_dup(c->a, hz->why));
		return false;
	}
	if (r->health == DNSBL_HEALTH_UNKNOWN)
		r->note = dnsbl_msg(c, "dnsbl.health.unknown", r);
	return true;
}

/* dnsbl_txt_keep - a TXT answer as bounded, printable UTF-8 text */
static const char *
dnsbl_txt_keep(struct dnsbl_check *c, const struct dnsmsg_answer *ans)
{
	char buf[DNSBL_MAX_TXT];
	size_t n = 0;
	struct span t;
	char *s;

	for (size_t i = 0; i < ans->nrecords && n < sizeof(buf); i++) {
		const struct dnsmsg_record *rec = &ans->records[i];
		size_t k;

		if (rec->type != DNSMSG_T_TXT)
			continue;
		if (n > 0 && n + 2 < sizeof(buf)) {
			memcpy(buf + n, "; ", 2);
			n += 2;
		}
		k = rec->u.txt.len < sizeof(buf) - n ? rec->u.txt.len :
		                                       sizeof(buf) - n;
		memcpy(buf + n, rec->u.txt.data, k);
		n += k;
	}
	/* a cut in the middle of a UTF-8 sequence drops the sequence */
	if (n == sizeof(buf)) {
		while (n > 0 && ((unsigned char)buf[n - 1] & 0xc0) == 0x80)
			n--;
		if (n > 0 && (unsigned char)buf[n - 1] >= 0xc0)
			n--;
	}
	if (n == 0)
		return NULL;
	t = text_sanitize(c->a, span_make(buf, n), TEXT_NORMALISE, NULL);
	s = arena_strndup(c->a, t.ptr, t.len);
	for (char *p = s; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	}
	return s;
}

static void dnsbl_finish(struct dnsbl_check *c);

/* dnsbl_waited - one lookup less to wait for */
static void
dnsbl_waited(struct dnsbl_check *c)
{
	c->waiting--;
	if (c->waiting == 0 && !c->starting)
		dnsbl_finish(c);
}

static void
dnsbl_txt_answered(void *arg, const struct dnsmsg_answer *ans)
{
	struct dnsbl_slot *sl = arg;

	if (ans->status == DNSMSG_OK)
		sl->r->txt = dnsbl_txt_keep(sl->c, ans);
	dnsbl_waited(sl->c);
}

/* dnsbl_failed - the A lookup brought no answer: timeout or error */
static void
dnsbl_failed(struct dnsbl_check *c, struct dnsbl_zone_result *r,
    const char *why)
{
	r->status = strcmp(why, "dns.unchecked.timeout") == 0 ||
	        strcmp(why, "dns.unchecked.deadline") == 0 ?
	    DNSBL_TIMEOUT :
	    DNSBL_ERROR;
	r->detail = texts_msg_new(c->a, why);
}

static void
dnsbl_answered(void *arg, const struct dnsmsg_answer *ans)
{
	struct dnsbl_slot *sl = arg;
	struct dnsbl_check *c = sl->c;
	struct dnsbl_zone_result *r = sl->r;
	const char *why = resolver_failure_id(c->s, ans);
	struct dnsbl_read rd;

	if (why != NULL) {
		dnsbl_failed(c, r, why);
		dnsbl_waited(c);
		return;
	}
	dnsbl_zone_read(c->a, r->zone, ans, &rd);
	r->status = rd.status;
	r->hits = rd.hits;
	r->nhits = rd.nhits;
	if (rd.status == DNSBL_ERROR)
		r->detail = dnsbl_msg(c, "dnsbl.error.malformed", r);
	if (rd.status == DNSBL_REFUSED)
		r->detail = texts_msg_sub(dnsbl_msg(c, "dnsbl.refused", r),
		    "why", rd.why);
	if (rd.status == DNSBL_LISTED) {
		/* the list's own words, from the same name (RFC 5782 §2.1) */
		c->waiting++;
		resolver_lookup(c->s, r->qname, DNSMSG_T_TXT,
		    dnsbl_txt_answered, sl);
	}
	dnsbl_waited(c);
}

/* dnsbl_findings - what the answers say about the address or domain */
static void
dnsbl_findings(struct dnsbl_check *c, struct dnsbl_result *res)
{
	for (size_t i = 0; i < c->nres; i++) {
		const struct dnsbl_zone_result *r = &c->res[i];
		bool allow =
		    r->zone != NULL && r->zone->kind == DNSBL_KIND_ALLOW;

		if (r->status == DNSBL_LISTED && allow) {
			res->allowlisted = true;
			findings_add(c->a, &res->findings, "dnsbl_allowlisted",
			    FINDING_INFO,
			    dnsbl_msg(c, "dnsbl.finding.allowlisted", r));
		} else if (r->status == DNSBL_LISTED) {
			res->listed = true;
			findings_add(c->a, &res->findings, "dnsbl_listed",
			    FINDING_ERROR,
			    dnsbl_msg(c,
			        r->named ? "dnsbl.finding.listed_named" :
			                   "dnsbl.finding.listed",
			        r));
		} else if (r->status == DNSBL_NOT_LISTED && r->named &&
		    !allow) {
			findings_add(c->a, &res->findings,
			    "dnsbl_named_not_listed", FINDING_INFO,
			    dnsbl_msg(c, "dnsbl.finding.named_not_listed", r));
		}
	}
}

/* dnsbl_unchecked - NULL when a blocklist could say listed or not; else
 * why none could */
static const struct texts_msg *
dnsbl_unchecked(struct dnsbl_check *c)
{
	const struct texts_msg *failed = NULL;
	bool refused = false, unhealthy = false;

	if (dnsbl_config_count(c->cfg) == 0)
		return texts_msg_new(c->a, "dnsbl.unchecked.no_zones");
	for (size_t i = 0; i < c->nres; i++) {
		const struct dnsbl_zone_result *r = &c->res[i];

		if (r->zone == NULL || r->zone->kind == DNSBL_KIND_ALLOW)
			continue;
		if (r->status == DNSBL_LISTED || r->status == DNSBL_NOT_LISTED)
			return NULL;
		if ((r->status == DNSBL_TIMEOUT || r->status == DNSBL_ERROR) &&
		    failed == NULL)
			failed = r->detail;
		refused = refused || r->status == DNSBL_REFUSED;
		unhealthy = unhealthy || r->status == DNSBL_UNHEALTHY;
	}
	if (failed != NULL)
		return failed;
	return texts_msg_new(c->a,
	    refused       ? "dnsbl.unchecked.refused" :
	        unhealthy ? "dnsbl.unchecked.unhealthy" :
	                    "dnsbl.unchecked.nothing");
}

static void
dnsbl_finish(struct dnsbl_check *c)
{
	struct dnsbl_result *res = arena_zalloc(c->a, sizeof(*res));

	res->zones = c->res;
	res->nzones = c->nres;
	dnsbl_findings(c, res);
	res->unchecked = dnsbl_unchecked(c);
	if (res->unchecked != NULL)
		res->listed = false;
	c->done(c->arg, res);
}

/* dnsbl_named - the zones the bounce names: lowercase, no final dot,
 * each once, at most DNSBL_MAX_NAMED; into out, how many */
static size_t
dnsbl_named(struct dnsbl_check *c, const struct dnsbl_query *q,
    const char **out)
{
	size_t n = 0;

	for (size_t i = 0; i < q->nnamed && n < DNSBL_MAX_NAMED; i++) {
		const char *s = q->named[i];
		size_t len;
		char *name;
		bool seen = false;

		if (s == NULL || !dnsbl_name_ok(s) || strchr(s, '.') == NULL)
			continue;
		len = strlen(s);
		if (s[len - 1] == '.')
			len--;
		name = ascii_lower_dup(c->a, span_make(s, len));
		for (size_t k = 0; k < n; k++)
			seen = seen || strcmp(out[k], name) == 0;
		if (!seen)
			out[n++] = name;
	}
	return n;
}

/* dnsbl_target - the address and the domain of the query, as usable */
static void
dnsbl_target(struct dnsbl_check *c, const struct dnsbl_query *q)
{
	if (q->ip != NULL && dnsbl_ip_parse(q->ip, &c->ip)) {
		c->has_ip = true;
		c->ip_text = arena_strndup(c->a, q->ip, strlen(q->ip));
	}
	if (q->domain != NULL && dnsbl_name_ok(q->domain)) {
		size_t len = strlen(q->domain);

		if (q->domain[len - 1] == '.')
			len--;
		c->domain = ascii_lower_dup(c->a, span_make(q->domain, len));
	}
}

void
dnsbl_start(struct resolver_session *s, struct arena *a,
    const struct dnsbl_config *cfg, const struct dnsbl_health *health,
    const struct dnsbl_query *q, dnsbl_done_fn *done, void *arg)
{
	struct dnsbl_check *c = arena_zalloc(a, sizeof(*c));
	const char *named[DNSBL_MAX_NAMED];
	size_t nnamed, nzones = dnsbl_config_count(cfg), n;

	*c = (struct dnsbl_check){ .s = s,
		.a = a,
		.cfg = cfg,
		.health = health,
		.done = done,
		.arg = arg };
	dnsbl_target(c, q);
	nnamed = dnsbl_named(c, q, named);
	c->res = arena_zalloc(a, (nzones + nnamed + 1) * sizeof(*c->res));
	c->slots = arena_zalloc(a, (nzones + nnamed + 1) * sizeof(*c->slots));
	for (size_t i = 0; i < nzones; i++) {
		c->slots[i] = (struct dnsbl_slot){ c, &c->res[i], false };
		c->slots[i].ask =
		    dnsbl_plan(c, dnsbl_config_zone(cfg, i), &c->res[i]);
	}
	n = nzones;
	for (size_t k = 0; k < nnamed; k++) {
		const struct dnsbl_zone *z =
		    dnsbl_config_find(cfg, span_cstr(named[k]));

		if (z != NULL) {
			c->res[z->index].named = true;
			continue;
		}
		/* the operator chose the lists: an unknown zone is not asked */
		c->res[n] = (struct dnsbl_zone_result){ .zone_name = named[k],
			.status = DNSBL_NOT_CONFIGURED,
			.health = DNSBL_HEALTH_UNTESTED,
			.named = true };
		c->res[n].detail =
		    dnsbl_msg(c, "dnsbl.not_configured", &c->res[n]);
		n++;
	}
	c->nres = n;
	/* every question goes out before any answer counts */
	c->starting = true;
	for (size_t i = 0; i < nzones; i++) {
		if (!c->slots[i].ask)
			continue;
		c->waiting++;
		resolver_lookup(s, c->res[i].qname, DNSMSG_T_A, dnsbl_answered,
		    &c->slots[i]);
	}
	c->starting = false;
	if (c->waiting == 0)
		dnsbl_finish(c);
}
