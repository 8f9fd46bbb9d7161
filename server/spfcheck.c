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
 * After the evaluation come the phases of the fix, in order: the PTR of
 * the client, the A/AAAA of its names (the confirmation), then spffix,
 * re-run like the evaluator until it names nothing more. Those phases go
 * on when every lookup they wait for has an answer.
 * Not here: RFC 7208 itself (spf.c), the fix (spffix.c), the cache
 * (resolver.c).
 */
#include "spfcheck.h"

#include <stdint.h>
#include <string.h>

#include "ascii.h"
#include "spfaddr.h"
#include "spfname.h"
#include "texts_msg.h"

#define SPFCHECK_MAX_ANSWERS 128 /* far above what the limits allow */
#define SPFCHECK_FIX_ROUNDS  32  /* spffix runs, at most */

enum spfcheck_phase {
	SPFCHECK_EVAL,
	SPFCHECK_PTR,     /* the client's PTR names */
	SPFCHECK_CONFIRM, /* their A/AAAA records */
	SPFCHECK_FIX,
	SPFCHECK_DONE,
};

/* What a phase step came to. */
enum spfcheck_step {
	SPFCHECK_AGAIN,    /* go on at once */
	SPFCHECK_WAIT,     /* until an answer arrives */
	SPFCHECK_FINISHED, /* call done */
};

/* What spfcheck_need found. */
enum spfcheck_have {
	SPFCHECK_HAVE,    /* answered */
	SPFCHECK_WAITING, /* asked, not answered yet */
	SPFCHECK_FULL,    /* cannot be asked: the table is full */
};

struct spfcheck_answer {
	const char *name;
	uint16_t type;
	const struct dnsmsg_answer *ans; /* NULL: asked, not answered yet */
	struct spfcheck *c;
	bool later; /* a phase after the evaluation waits for it */
};

struct spfcheck {
	struct resolver_session *s;
	struct arena *a;
	const struct spf_query *q;
	struct spfcheck_opts opts;
	spfcheck_done_fn *done;
	void *arg;
	struct spfcheck_answer answers[SPFCHECK_MAX_ANSWERS];
	size_t nanswers;
	size_t neval;         /* answers the evaluation needed */
	unsigned waiting;     /* asked, not answered */
	unsigned later_waits; /* of those, what a later phase waits for */
	enum spfcheck_phase phase;
	bool running; /* inside spfcheck_advance: answers wait for it */
	bool rerun;   /* an answer arrived while running */
	bool final;   /* the fix may ask for nothing more */
	unsigned fix_rounds;
	const struct texts_msg *unchecked;
	struct spfaddr ip;
	const char *ptr_names[SPFCHECK_PTR_NAMES];
	size_t nptr;
	/* the client's reverse name, asked beside the evaluation when a fix
	 * may want it; NULL: not asked early */
	const char *rev;
	struct spfcheck_result res;
};

static void spfcheck_advance(struct spfcheck *c);

static struct spfcheck_answer *
spfcheck_find(struct spfcheck *c, const char *name, uint16_t type)
{
	for (size_t i = 0; i < c->nanswers; i++) {
		if (c->answers[i].type == type &&
		    ascii_ieq_cstr(span_cstr(c->answers[i].name), name))
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

/* spfcheck_why - why an answer is no real answer, or NULL (messages
 * "spfcheck.*" of rules/messages.json) */
static const struct texts_msg *
spfcheck_why(struct spfcheck *c, const struct dnsmsg_answer *ans)
{
	const char *id = resolver_failure_id(c->s, ans);

	return id != NULL ? texts_msg_new(c->a, id) : NULL;
}

static enum spfcheck_have spfcheck_need(struct spfcheck *c, const char *name,
    uint16_t type);

/* spfcheck_confirm_early - the client's PTR answer is in: ask its names'
 * addresses at once, so the confirmation does not wait for the
 * evaluation to end (they are hints until the fix needs them) */
static void
spfcheck_confirm_early(struct spfcheck *c, const struct dnsmsg_answer *ans)
{
	uint16_t type = c->ip.v6 ? DNSMSG_T_AAAA : DNSMSG_T_A;
	size_t n = 0;

	for (size_t i = 0; ans->status == DNSMSG_OK && i < ans->nrecords &&
	     n < SPFCHECK_PTR_NAMES;
	     i++) {
		const char *name = ans->records[i].u.name;

		if (ans->records[i].type != DNSMSG_T_PTR || name == NULL ||
		    !spfname_is_queryable(span_cstr(name)))
			continue;
		n++;
		(void)spfcheck_need(c, name, type);
	}
}

static void
spfcheck_answered(void *arg, const struct dnsmsg_answer *ans)
{
	struct spfcheck_answer *e = arg;
	struct spfcheck *c = e->c;
	bool later = e->later, nested = false;

	e->ans = ans;
	c->waiting--;
	if (c->phase != SPFCHECK_DONE && !c->running && c->rev != NULL &&
	    e->type == DNSMSG_T_PTR && e->name == c->rev &&
	    !resolver_session_exhausted(c->s) &&
	    !resolver_session_expired(c->s)) {
		/* answers from the cache come back inside: like those of an
		 * advance, they wait for the one below */
		c->running = true;
		spfcheck_confirm_early(c, ans);
		c->running = false;
		nested = c->rerun;
		c->rerun = false;
	}
	if (later) {
		e->later = false;
		c->later_waits--;
	}
	if (c->phase == SPFCHECK_DONE)
		return;
	if (c->phase == SPFCHECK_EVAL) {
		if (c->unchecked == NULL)
			c->unchecked = spfcheck_why(c, ans);
	} else if ((!later || c->later_waits > 0) && !nested) {
		/* the later phases go on once all they asked is here */
		return;
	}
	spfcheck_advance(c);
}

/* spfcheck_need - (name, type) for the current phase: asked unless it
 * was; a later phase is told when it arrives */
static enum spfcheck_have
spfcheck_need(struct spfcheck *c, const char *name, uint16_t type)
{
	struct spfcheck_answer *e = spfcheck_find(c, name, type);
	bool later = c->phase != SPFCHECK_EVAL;

	if (e == NULL) {
		if (c->nanswers == SPFCHECK_MAX_ANSWERS)
			return SPFCHECK_FULL;
		e = &c->answers[c->nanswers++];
		e->name = arena_strndup(c->a, name, strlen(name));
		e->type = type;
		e->c = c;
		e->later = later;
		c->later_waits += later;
		c->waiting++;
		/* the answer may come at once, from the cache */
		resolver_lookup(c->s, e->name, type, spfcheck_answered, e);
	} else if (e->ans == NULL && later && !e->later) {
		/* asked by the evaluation as a hint, needed now */
		e->later = true;
		c->later_waits++;
	}
	return e->ans != NULL ? SPFCHECK_HAVE : SPFCHECK_WAITING;
}

/* spfcheck_has_ptr - does a record have "ptr" in it, in any case? */
static bool
spfcheck_has_ptr(const char *rec)
{
	return ascii_ifind(span_cstr(rec), "ptr") != SIZE_MAX;
}

/* spfcheck_wants_fix - does the outcome get a fix, and a PTR hint? */
static bool
spfcheck_wants_fix(struct spfcheck *c, const struct spf_outcome *o, bool *ptr)
{
	*ptr = false;
	if (!c->opts.fix || o->domain == NULL || c->q->ip == NULL ||
	    spfaddr_parse_client(span_cstr(c->q->ip), &c->ip) == -1)
		return false;
	switch (o->result) {
	case SPF_FAIL:
	case SPF_SOFTFAIL:
	case SPF_NONE:
		*ptr = true;
		return true;
	case SPF_PERMERROR:
		/* the PTR name only helps to replace ptr terms */
		*ptr = spfcheck_has_ptr(o->record);
		return true;
	default:
		return false;
	}
}

static enum spfcheck_step
spfcheck_eval(struct spfcheck *c)
{
	struct spf_pending pending[SPF_MAX_PENDING];
	struct spf_outcome *o = arena_zalloc(c->a, sizeof(*o));
	size_t n = 0;
	bool ptr;

	if (spf_eval(c->a, c->q, spfcheck_lookup, c, o, pending, &n) ==
	    SPF_EVAL_DONE) {
		c->res.o = o;
		/* a temperror from our own limits or a silent server says
		 * nothing about the domain */
		c->res.unchecked =
		    o->result == SPF_TEMPERROR ? c->unchecked : NULL;
		c->neval = c->nanswers;
		if (!spfcheck_wants_fix(c, o, &ptr))
			return SPFCHECK_FINISHED;
		/* no budget or time left: the fix from what is here */
		c->final = resolver_session_exhausted(c->s) ||
		    resolver_session_expired(c->s);
		c->phase = ptr && !c->final ? SPFCHECK_PTR : SPFCHECK_FIX;
		return SPFCHECK_AGAIN;
	}
	if (c->nanswers == SPFCHECK_MAX_ANSWERS &&
	    spfcheck_find(c, pending[0].name, pending[0].type) == NULL) {
		/* cannot happen within RFC 7208's limits; end as a check
		 * that could not run rather than loop */
		o->result = SPF_TEMPERROR;
		o->reason = texts_msg_new(c->a, "spfcheck.too_much");
		c->res.o = o;
		c->res.unchecked = o->reason;
		c->neval = c->nanswers;
		return SPFCHECK_FINISHED;
	}
	for (size_t i = 0; i < n; i++)
		(void)spfcheck_need(c, pending[i].name, pending[i].type);
	/* answers from the cache arrived inside spfcheck_need */
	return spfcheck_lookup(c, pending[0].name, pending[0].type) != NULL ?
	    SPFCHECK_AGAIN :
	    SPFCHECK_WAIT;
}

/* spfcheck_ptr - the PTR names of the client (RFC 7208 §5.5's query) */
static enum spfcheck_step
spfcheck_ptr(struct spfcheck *c)
{
	char rev[SPFADDR_MAX_TEXT];
	const struct spfcheck_answer *e;
	const struct dnsmsg_answer *ans;

	(void)spfaddr_str(&c->ip, SPFADDR_REVERSE, rev);
	switch (spfcheck_need(c, rev, DNSMSG_T_PTR)) {
	case SPFCHECK_WAITING:
		return SPFCHECK_WAIT;
	case SPFCHECK_FULL:
		c->phase = SPFCHECK_FIX;
		return SPFCHECK_AGAIN;
	case SPFCHECK_HAVE:
		break;
	}
	e = spfcheck_find(c, rev, DNSMSG_T_PTR);
	ans = e->ans;
	for (size_t i = 0; ans->status == DNSMSG_OK && i < ans->nrecords &&
	     c->nptr < SPFCHECK_PTR_NAMES;
	     i++) {
		const char *name = ans->records[i].u.name;

		if (ans->records[i].type == DNSMSG_T_PTR && name != NULL &&
		    spfname_is_queryable(span_cstr(name)))
			c->ptr_names[c->nptr++] = name;
	}
	c->phase = c->nptr > 0 ? SPFCHECK_CONFIRM : SPFCHECK_FIX;
	return SPFCHECK_AGAIN;
}

/* spfcheck_has_ip - does an A/AAAA answer hold the client's address? */
static bool
spfcheck_has_ip(const struct spfcheck *c, const struct dnsmsg_answer *ans)
{
	for (size_t i = 0; ans->status == DNSMSG_OK && i < ans->nrecords; i++) {
		const struct dnsmsg_record *r = &ans->records[i];

		if (!c->ip.v6 && r->type == DNSMSG_T_A &&
		    memcmp(r->u.a, c->ip.b, 4) == 0)
			return true;
		if (c->ip.v6 && r->type == DNSMSG_T_AAAA &&
		    memcmp(r->u.aaaa, c->ip.b, 16) == 0)
			return true;
	}
	return false;
}

/* spfcheck_confirm - the first PTR name whose addresses hold the client
 * (forward-confirmed), in the order of the PTR answer */
static enum spfcheck_step
spfcheck_confirm(struct spfcheck *c)
{
	uint16_t type = c->ip.v6 ? DNSMSG_T_AAAA : DNSMSG_T_A;
	bool waiting = false;

	for (size_t i = 0; i < c->nptr; i++)
		if (spfcheck_need(c, c->ptr_names[i], type) == SPFCHECK_WAITING)
			waiting = true;
	if (waiting)
		return SPFCHECK_WAIT;
	for (size_t i = 0; i < c->nptr && c->res.ptr == NULL; i++) {
		const struct dnsmsg_answer *ans =
		    spfcheck_lookup(c, c->ptr_names[i], type);

		if (ans != NULL && spfcheck_has_ip(c, ans))
			c->res.ptr = c->ptr_names[i];
	}
	c->phase = SPFCHECK_FIX;
	return SPFCHECK_AGAIN;
}

static enum spfcheck_step
spfcheck_fix(struct spfcheck *c)
{
	struct spf_pending pending[SPF_MAX_PENDING];
	struct spffix_hints h = { c->res.ptr, c->opts.names, c->opts.nnames };
	struct spffix_in in = { c->q, c->res.o, &h, c->final,
		c->opts.providers };
	bool waiting = false;
	size_t n = 0;

	if (spffix_propose(c->a, &in, spfcheck_lookup, c, &c->res.fix, pending,
	        &n) == SPFFIX_DONE)
		return SPFCHECK_FINISHED;
	if (++c->fix_rounds >= SPFCHECK_FIX_ROUNDS ||
	    resolver_session_exhausted(c->s) || resolver_session_expired(c->s))
		c->final = true;
	for (size_t i = 0; i < n && !c->final; i++) {
		switch (spfcheck_need(c, pending[i].name, pending[i].type)) {
		case SPFCHECK_WAITING:
			waiting = true;
			break;
		case SPFCHECK_FULL:
			c->final = true;
			break;
		case SPFCHECK_HAVE:
			break;
		}
	}
	return waiting && !c->final ? SPFCHECK_WAIT : SPFCHECK_AGAIN;
}

static enum spfcheck_step
spfcheck_step(struct spfcheck *c)
{
	switch (c->phase) {
	case SPFCHECK_EVAL:
		return spfcheck_eval(c);
	case SPFCHECK_PTR:
		return spfcheck_ptr(c);
	case SPFCHECK_CONFIRM:
		return spfcheck_confirm(c);
	case SPFCHECK_FIX:
		return spfcheck_fix(c);
	case SPFCHECK_DONE:
		break;
	}
	return SPFCHECK_WAIT;
}

/* spfcheck_advance - run the phases as far as the answers allow; done
 * is the last thing it does (the caller may free the arena in it) */
static void
spfcheck_advance(struct spfcheck *c)
{
	enum spfcheck_step st = SPFCHECK_WAIT;

	if (c->running) {
		c->rerun = true;
		return;
	}
	c->running = true;
	do {
		c->rerun = false;
		while ((st = spfcheck_step(c)) == SPFCHECK_AGAIN)
			;
	} while (st == SPFCHECK_WAIT && c->rerun);
	c->running = false;
	if (st == SPFCHECK_FINISHED) {
		c->phase = SPFCHECK_DONE;
		c->done(c->arg, &c->res);
	}
}

/* spfcheck_ptr_early - a fix may want the client's PTR name: ask for it
 * beside the evaluation, so its answer is there when the evaluation
 * ends (an answer nobody needs costs one question of the budget) */
static void
spfcheck_ptr_early(struct spfcheck *c)
{
	char rev[SPFADDR_MAX_TEXT];
	struct spfcheck_answer *e;

	if (!c->opts.fix || c->q->ip == NULL ||
	    spfaddr_parse_client(span_cstr(c->q->ip), &c->ip) == -1)
		return;
	(void)spfaddr_str(&c->ip, SPFADDR_REVERSE, rev);
	if (spfcheck_need(c, rev, DNSMSG_T_PTR) == SPFCHECK_FULL)
		return;
	e = spfcheck_find(c, rev, DNSMSG_T_PTR);
	c->rev = e->name;
	/* from the cache: its names' addresses can be asked now too */
	if (e->ans != NULL)
		spfcheck_confirm_early(c, e->ans);
}

struct spfcheck *
spfcheck_start(struct resolver_session *s, struct arena *a,
    const struct spf_query *q, const struct spfcheck_opts *opts,
    spfcheck_done_fn *done, void *arg)
{
	struct spfcheck *c = arena_zalloc(a, sizeof(*c));

	c->s = s;
	c->a = a;
	c->q = q;
	if (opts != NULL)
		c->opts = *opts;
	c->done = done;
	c->arg = arg;
	/* answers from the cache come back inside: the advance below sees
	 * them */
	c->running = true;
	spfcheck_ptr_early(c);
	c->running = false;
	c->rerun = false;
	spfcheck_advance(c);
	return c;
}

unsigned
spfcheck_queries(const struct spfcheck *c)
{
	return (unsigned)c->neval;
}
