/* SPDX-License-Identifier: MIT */
/*
 * spfcheck.c - drives the restartable evaluator with the resolver
 *
 * spf_eval stops where it needs an answer it does not have and names the
 * questions; this file asks the resolver (every question once per check),
 * keeps the answers in a small table of its own, and runs the evaluator
 * again when a needed answer arrives. The evaluator's prefetch hints go
 * out at the same time as the question it needs now, so an include tree
 * is fetched level by level, not term by term.
 * Not here: RFC 7208 itself (spf.c), the cache (resolver.c).
 */
#include "spfcheck.h"

#include <string.h>
#include <strings.h>

#define SPFCHECK_MAX_ANSWERS 128 /* far above what the limits allow */

struct spfcheck_answer {
	const char *name;
	uint16_t type;
	const struct dnsmsg_answer *ans; /* NULL: asked, not answered yet */
	struct spfcheck *c;
};

struct spfcheck {
	struct resolver_session *s;
	struct arena *a;
	const struct spf_query *q;
	spfcheck_done_fn *done;
	void *arg;
	struct spfcheck_answer answers[SPFCHECK_MAX_ANSWERS];
	size_t nanswers;
	unsigned waiting; /* asked, not answered */
	bool finished;
	bool running; /* inside spfcheck_run: answers wait for it */
	bool rerun;   /* an answer arrived while running */
	const char *unchecked;
};

static void spfcheck_run(struct spfcheck *c);

static struct spfcheck_answer *
spfcheck_find(struct spfcheck *c, const char *name, uint16_t type)
{
	for (size_t i = 0; i < c->nanswers; i++) {
		if (c->answers[i].type == type &&
		    strcasecmp(c->answers[i].name, name) == 0)
			return &c->answers[i];
	}
	return NULL;
}

/* spfcheck_lookup - spf_lookup_fn over the check's own answers */
static const struct dnsmsg_answer *
spfcheck_lookup(void *arg, const char *name, uint16_t type)
{
	struct spfcheck_answer *e = spfcheck_find(arg, name, type);

	return e != NULL ? e->ans : NULL;
}

/* spfcheck_why - why an answer is no real answer, or NULL */
static const char *
spfcheck_why(struct spfcheck *c, const struct dnsmsg_answer *ans)
{
	if (ans->status != DNSMSG_TIMEOUT && ans->status != DNSMSG_SERVFAIL)
		return NULL;
	if (resolver_session_exhausted(c->s))
		return "the DNS query budget of this diagnosis was spent";
	if (resolver_session_expired(c->s))
		return "the DNS deadline of this diagnosis passed";
	return ans->status == DNSMSG_TIMEOUT ?
	    "a DNS server did not answer in time" :
	    "a DNS server failed to answer (SERVFAIL, refused or unreachable)";
}

static void
spfcheck_answered(void *arg, const struct dnsmsg_answer *ans)
{
	struct spfcheck_answer *e = arg;
	struct spfcheck *c = e->c;

	e->ans = ans;
	c->waiting--;
	if (c->finished)
		return;
	if (c->unchecked == NULL)
		c->unchecked = spfcheck_why(c, ans);
	if (c->running) {
		c->rerun = true;
		return;
	}
	spfcheck_run(c);
}

/* spfcheck_ask - one question to the resolver, unless asked already */
static void
spfcheck_ask(struct spfcheck *c, const char *name, uint16_t type)
{
	struct spfcheck_answer *e;

	if (spfcheck_find(c, name, type) != NULL ||
	    c->nanswers == SPFCHECK_MAX_ANSWERS)
		return;
	e = &c->answers[c->nanswers++];
	e->name = arena_strndup(c->a, name, strlen(name));
	e->type = type;
	e->c = c;
	c->waiting++;
	resolver_lookup(c->s, e->name, type, spfcheck_answered, e);
}

static void
spfcheck_run(struct spfcheck *c)
{
	struct spf_pending pending[SPF_MAX_PENDING];
	struct spf_outcome *o = arena_zalloc(c->a, sizeof(*o));
	size_t n = 0;

	c->running = true;
	do {
		c->rerun = false;
		if (spf_eval(c->a, c->q, spfcheck_lookup, c, o, pending, &n) ==
		    SPF_EVAL_DONE) {
			c->running = false;
			c->finished = true;
			/* a temperror from our own limits or a silent server
			 * says nothing about the domain */
			c->done(c->arg, o,
			    o->result == SPF_TEMPERROR ? c->unchecked : NULL);
			return;
		}
		if (c->nanswers == SPFCHECK_MAX_ANSWERS &&
		    spfcheck_find(c, pending[0].name, pending[0].type) ==
		        NULL) {
			/* cannot happen within RFC 7208's limits; end as a
			 * check that could not run rather than loop */
			c->running = false;
			c->finished = true;
			o->result = SPF_TEMPERROR;
			o->reason = "the evaluation asked for more DNS data "
			            "than a check may fetch";
			c->done(c->arg, o, o->reason);
			return;
		}
		for (size_t i = 0; i < n; i++)
			spfcheck_ask(c, pending[i].name, pending[i].type);
		/* answers from the cache arrived inside spfcheck_ask */
	} while (c->rerun ||
	    spfcheck_lookup(c, pending[0].name, pending[0].type) != NULL);
	c->running = false;
}

struct spfcheck *
spfcheck_start(struct resolver_session *s, struct arena *a,
    const struct spf_query *q, spfcheck_done_fn *done, void *arg)
{
	struct spfcheck *c = arena_zalloc(a, sizeof(*c));

	c->s = s;
	c->a = a;
	c->q = q;
	c->done = done;
	c->arg = arg;
	spfcheck_run(c);
	return c;
}

unsigned
spfcheck_queries(const struct spfcheck *c)
{
	return (unsigned)c->nanswers;
}
