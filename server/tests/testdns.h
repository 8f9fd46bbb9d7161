/* SPDX-License-Identifier: MIT */
/*
 * testdns.h - the fixture DNS server and a resolver on one loop, for the
 * tests of the live checks
 *
 * API: testdns_init(&e, &zone, timeout_ms) starts the fixture server
 * (dnsfix.h) on 127.0.0.1 serving zone (taken), and a resolver that asks
 * only it, timeout_ms per try and one try; testdns_session makes a
 * session of the resolver in an arena with a deadline that many ms from
 * now; a struct testdns_waiter counts a check's callbacks
 * (testdns_called) and testdns_wait runs the loop until the first;
 * testdns_free stops both. Include test.h first.
 */
#ifndef TESTDNS_H
#define TESTDNS_H

#include <stdio.h>
#include <stdlib.h>

#include "dnsfix.h"
#include "evloop.h"
#include "resolver.h"

struct testdns {
	struct evloop *loop;
	struct dnsfix *fix;
	struct resolver *res;
};

/* Returns 0, or -1 after a failed check. */
static inline int
testdns_init(struct testdns *e, struct dnsfix_zone **z, unsigned timeout_ms)
{
	struct resolver_config rc;
	char servers[64], *err = NULL;
	const char *rerr = NULL;

	e->loop = evloop_new();
	e->res = NULL;
	e->fix = dnsfix_new(e->loop, "127.0.0.1", 0, &err);
	if (!CHECK(e->fix != NULL, "fixture server starts: %s",
	        err != NULL ? err : "")) {
		free(err);
		dnsfix_zone_free(*z);
		*z = NULL;
		return -1;
	}
	dnsfix_set_zone(e->fix, z);
	(void)snprintf(servers, sizeof(servers), "127.0.0.1:%u",
	    (unsigned)dnsfix_port(e->fix));
	rc = (struct resolver_config){ servers, timeout_ms, 1 };
	e->res = resolver_new(e->loop, &rc, &rerr);
	return CHECK(e->res != NULL, "resolver starts: %s",
	           rerr != NULL ? rerr : "") ?
	    0 :
	    -1;
}

static inline struct resolver_session *
testdns_session(struct testdns *e, struct arena *a, unsigned deadline_ms,
    unsigned budget)
{
	return resolver_session_new(e->res, a, evloop_now_ms() + deadline_ms,
	    budget);
}

/* One check waited for: how often its callback came. */
struct testdns_waiter {
	struct evloop *loop;
	int calls;
	bool in_loop; /* the loop runs for it: the callback stops it */
};

/* testdns_called - the check's callback came (call it from there) */
static inline void
testdns_called(struct testdns_waiter *w)
{
	w->calls++;
	if (w->in_loop)
		evloop_stop(w->loop);
}

/* testdns_wait - runs the loop until the check's callback has come or
 * ms passed. Returns true when it had come already, before the loop
 * ran (the check was done when its start returned). */
static inline bool
testdns_wait(struct testdns_waiter *w, uint64_t ms)
{
	if (w->calls > 0)
		return true;
	w->in_loop = true;
	(void)evloop_run_for(w->loop, ms);
	w->in_loop = false;
	return false;
}

static inline void
testdns_free(struct testdns *e)
{
	resolver_free(e->res);
	dnsfix_free(e->fix);
	evloop_free(e->loop);
}

#endif
