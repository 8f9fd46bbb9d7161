/* SPDX-License-Identifier: MIT */
/*
 * dnscanary.c - the DNS canary: a question whose answer is known
 *
 * One probe at a time, the first from the loop as soon as it runs: a
 * session and an arena of its own, one question (resolver_probe, so the
 * answer comes from the servers now, not from the cache), the session's
 * deadline as the probe's. Its answer sets the state, the session and
 * the arena go, and a loop timer starts the next probe interval_ms
 * later. A probe that the resolver ends at once (no room for another
 * question in flight) ends the same way, from inside resolver_probe, and
 * counts as no answer in time.
 * Not here: what the state means for the checks (checkrun.c), the
 * counters' text (metrics.c).
 */
#include "dnscanary.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xmalloc.h"

struct dnscanary {
	struct evloop *loop;
	struct resolver *r;
	char *name; /* "." for the root, else as given without a final dot */
	bool root;
	unsigned interval_ms;
	unsigned deadline_ms;
	dnscanary_probed_fn *probed;
	void *arg;
	enum dnscanary_state state;
	const char *reason;               /* static; NULL unless failing */
	struct resolver_session *session; /* the probe in flight, or NULL */
	struct arena *a;                  /* the probe's */
	struct evloop_timer *timer;       /* the next probe */
	struct metrics_canary counters;
};

static void dnscanary_start(struct dnscanary *c);

/* dnscanary_judge - what an answer to "NS of the name" says of the
 * resolver: NULL (correct) or the reason's message id */
static const char *
dnscanary_judge(const struct dnscanary *c, const struct dnsmsg_answer *ans)
{
	switch (ans->status) {
	case DNSMSG_OK:
		/* NOERROR with at least one NS record for the name */
		return NULL;
	case DNSMSG_NXDOMAIN:
		/* RFC 1034 §4.3.2: the root always exists; the operator's
		 * name was chosen because it does too */
		return c->root ? "dns.canary.nxdomain_root" :
		                 "dns.canary.nxdomain";
	case DNSMSG_NODATA:
		/* a zone has NS records at its apex (RFC 1034 §4.2.1) */
		return c->root ? "dns.canary.nodata_root" : "dns.canary.nodata";
	case DNSMSG_TIMEOUT:
		return "dns.canary.timeout";
	case DNSMSG_SERVFAIL:
		return "dns.canary.servfail";
	case DNSMSG_MALFORMED:
		break;
	}
	return "dns.canary.malformed";
}

/* dnscanary_set - the state after a probe; logs a change */
static void
dnscanary_set(struct dnscanary *c, const char *reason,
    enum dnsmsg_status status)
{
	if (reason != NULL) {
		c->counters.failures++;
		c->counters.healthy = 0;
		if (c->state != DNSCANARY_FAILING ||
		    strcmp(c->reason, reason) != 0)
			log_warn("dns_canary_failing",
			    "name=%s reason=%s dns=%s", c->name, reason,
			    dnsmsg_status_str(status));
		c->state = DNSCANARY_FAILING;
		c->reason = reason;
		return;
	}
	c->counters.healthy = 1;
	if (c->state != DNSCANARY_HEALTHY)
		log_info("dns_canary_ok", "name=%s", c->name);
	c->state = DNSCANARY_HEALTHY;
	c->reason = NULL;
}

/* dnscanary_tick - evloop_timer_fn: the next probe */
static void
dnscanary_tick(struct evloop *loop, void *arg)
{
	struct dnscanary *c = arg;

	(void)loop;
	c->timer = NULL;
	dnscanary_start(c);
}

/* dnscanary_answer - resolver_done_fn: the probe's answer */
static void
dnscanary_answer(void *arg, const struct dnsmsg_answer *ans)
{
	struct dnscanary *c = arg;

	dnscanary_set(c, dnscanary_judge(c, ans), ans->status);
	/* inside its own callback: the resolver frees it on return */
	resolver_session_free(c->session);
	c->session = NULL;
	arena_free(c->a);
	c->a = NULL;
	c->timer = evloop_timer_add(c->loop, c->interval_ms, dnscanary_tick, c);
	if (c->probed != NULL)
		c->probed(c, c->arg); /* last: it may free c */
}

/* dnscanary_start - send a probe; nothing may touch c after
 * resolver_probe, whose callback may have run and freed it */
static void
dnscanary_start(struct dnscanary *c)
{
	c->a = arena_new();
	c->session = resolver_session_new(c->r, c->a,
	    evloop_now_ms() + c->deadline_ms, 1);
	c->counters.probes++;
	resolver_probe(c->session, c->name, DNSMSG_T_NS, dnscanary_answer, c);
}

struct dnscanary *
dnscanary_new(struct evloop *loop, struct resolver *r,
    const struct dnscanary_config *config)
{
	struct dnscanary *c = xcalloc(1, sizeof(*c));
	const char *name = config->name != NULL ? config->name : "";
	size_t n = strlen(name);

	if (n > 0 && name[n - 1] == '.')
		n--;
	c->loop = loop;
	c->r = r;
	c->root = n == 0;
	c->name = c->root ? xstrdup(".") : xstrndup(name, n);
	c->interval_ms = config->interval_ms > 0 ? config->interval_ms :
	                                           DNSCANARY_INTERVAL_MS;
	c->deadline_ms = config->deadline_ms > 0 ? config->deadline_ms :
	                                           DNSCANARY_DEADLINE_MS;
	c->probed = config->probed;
	c->arg = config->arg;
	c->state = DNSCANARY_UNKNOWN;
	c->counters.healthy = 1;
	/* from the loop, so that probed never runs inside dnscanary_new */
	c->timer = evloop_timer_add(loop, 0, dnscanary_tick, c);
	return c;
}

void
dnscanary_free(struct dnscanary *c)
{
	if (c == NULL)
		return;
	/* a probe in flight is dropped without its callback */
	resolver_session_free(c->session);
	arena_free(c->a);
	evloop_timer_cancel(c->loop, c->timer);
	free(c->name);
	free(c);
}

enum dnscanary_state
dnscanary_state(const struct dnscanary *c)
{
	return c != NULL ? c->state : DNSCANARY_UNKNOWN;
}

bool
dnscanary_healthy(const struct dnscanary *c)
{
	return dnscanary_state(c) != DNSCANARY_FAILING;
}

const char *
dnscanary_reason(const struct dnscanary *c)
{
	return dnscanary_healthy(c) ? NULL : c->reason;
}

const char *
dnscanary_name(const struct dnscanary *c)
{
	return c->name;
}

const struct texts_msg *
dnscanary_unchecked(const struct dnscanary *c, struct arena *a)
{
	struct texts_msg *why;

	if (dnscanary_healthy(c))
		return NULL;
	why = texts_msg_with(a, c->reason, "name",
	    arena_strndup(a, c->name, strlen(c->name)), TEXTS_MSG_END);
	return texts_msg_sub(texts_msg_new(a, "dns.unchecked.resolver"),
	    "reason", why);
}

const struct metrics_canary *
dnscanary_counters(const struct dnscanary *c)
{
	return &c->counters;
}
