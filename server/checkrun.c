/* SPDX-License-Identifier: MIT */
/*
 * checkrun.c - live checks run together: one session, one deadline
 *
 * The run owns the resolver session, the checks it started and the count
 * of those still running. Completion is held back while checkrun_go (or
 * the deadline) is still working: a check may report before its start
 * returns (answers from the cache), and done must come from the loop,
 * once, after the caller has the run. The deadline is the run's one loop
 * timer, not the session's: it ends the session's lookups
 * (resolver_session_expire, the code a session's own deadline runs, so
 * the checks see what they always saw at the deadline) and then cancels
 * the checks that wait for more. A resolver that the DNS canary caught
 * answering wrongly is not asked at all: an answer from it would be
 * taken for a fact about the domain (NXDOMAIN read as "the domain does
 * not exist"), so no check starts and each reports why.
 * Not here: which checks (checks.c, api_check.c), the checks themselves
 * (check_spf.c, ...).
 */
#include "checkrun.h"

#include "dnscanary.h"
#include "log.h"

struct checkrun_check {
	struct checkrun *run;
	const struct check_kind *kind;
	struct check_in in;
	void *state;  /* the kind's, for cancel */
	bool running; /* started, not reported */
};

struct checkrun {
	const struct checkrun_env *env;
	struct arena *a;
	struct resolver_session *session; /* NULL until a check starts */
	struct evloop_timer *timer;       /* the deadline, while waiting */
	checkrun_done_fn *done;
	void *arg;
	struct checkrun_check checks[CHECKRUN_MAX];
	struct check_result results[CHECKRUN_MAX];
	size_t nchecks;
	unsigned pending; /* checks started and not reported */
	bool hold;        /* in checkrun_go or the deadline: no done yet */
	bool dropping;    /* in checkrun_free: reports go nowhere */
	bool is_done;
};

struct checkrun *
checkrun_new(const struct checkrun_env *env, struct arena *a)
{
	struct checkrun *run = arena_zalloc(a, sizeof(*run));

	run->env = env;
	run->a = a;
	return run;
}

bool
checkrun_add(struct checkrun *run, const struct check_kind *kind,
    const struct check_in *in)
{
	struct checkrun_check *c;

	if (run->nchecks == CHECKRUN_MAX)
		return false;
	for (size_t i = 0; i < run->nchecks; i++) {
		if (run->checks[i].kind == kind)
			return false;
	}
	c = &run->checks[run->nchecks++];
	c->run = run;
	c->kind = kind;
	c->in = *in;
	run->results[c - run->checks].kind = kind;
	return true;
}

/* checkrun_finish - call done when the last check has reported; the
 * last thing any path does (the caller may free the run in done) */
static void
checkrun_finish(struct checkrun *run)
{
	if (run->pending > 0 || run->hold || run->dropping)
		return;
	run->is_done = true;
	evloop_timer_cancel(run->env->loop, run->timer);
	run->timer = NULL;
	run->done(run, run->arg);
}

/* checkrun_check_done - check_done_fn */
static void
checkrun_check_done(void *arg, const struct check_result *r)
{
	struct checkrun_check *c = arg;
	struct checkrun *run = c->run;
	struct check_result *out = &run->results[c - run->checks];

	ASSERT(c->running);
	c->running = false;
	*out = *r;
	out->kind = c->kind;
	run->pending--;
	checkrun_finish(run);
}

/* checkrun_cancel_checks - end now the checks that wait for more than
 * the session's lookups; each reports before its cancel returns */
static void
checkrun_cancel_checks(struct checkrun *run)
{
	for (size_t i = 0; i < run->nchecks; i++) {
		struct checkrun_check *c = &run->checks[i];

		if (c->running && c->kind->cancel != NULL)
			c->kind->cancel(c->state);
	}
}

static void
checkrun_deadline(struct evloop *loop, void *arg)
{
	struct checkrun *run = arg;

	(void)loop;
	run->timer = NULL;
	run->hold = true;
	resolver_session_expire(run->session);
	checkrun_cancel_checks(run);
	/* check.h: a check ends with its session's lookups or its cancel */
	ASSERT(run->pending == 0);
	run->hold = false;
	checkrun_finish(run);
}

/* checkrun_unchecked - every check's result without starting it: not
 * checked, for why (one message for all, in the run's arena) */
static void
checkrun_unchecked(struct checkrun *run, const struct texts_msg *why)
{
	for (size_t i = 0; i < run->nchecks; i++) {
		run->results[i] = (struct check_result){ 0 };
		run->results[i].kind = run->checks[i].kind;
		run->results[i].unchecked = why;
	}
}

void
checkrun_go(struct checkrun *run, unsigned deadline_ms, checkrun_done_fn *done,
    void *arg)
{
	uint64_t now = evloop_now_ms(), deadline = now + deadline_ms;
	const struct texts_msg *lying;

	run->done = done;
	run->arg = arg;
	run->hold = true;
	if (run->env->resolver == NULL)
		run->nchecks = 0; /* no DNS: no live check runs */
	if (run->nchecks > 0 &&
	    (lying = dnscanary_unchecked(run->env->canary, run->a)) != NULL)
		checkrun_unchecked(run, lying); /* and no session: no query */
	else if (run->nchecks > 0)
		run->session = resolver_session_new(run->env->resolver, run->a,
		    RESOLVER_NO_DEADLINE, run->env->dns_budget);
	for (size_t i = 0; run->session != NULL && i < run->nchecks; i++) {
		struct checkrun_check *c = &run->checks[i];

		c->in.session = run->session;
		c->in.a = run->a;
		c->running = true;
		run->pending++;
		c->state = c->kind->start(&c->in, checkrun_check_done, c);
	}
	run->hold = false;
	if (run->pending == 0) {
		run->is_done = true;
		return;
	}
	now = evloop_now_ms();
	run->timer = evloop_timer_add(run->env->loop,
	    deadline > now ? deadline - now : 0, checkrun_deadline, run);
}

void
checkrun_free(struct checkrun *run)
{
	if (run == NULL)
		return;
	if (!run->is_done) {
		/* stop what does not stop with the session; nobody hears */
		run->dropping = true;
		checkrun_cancel_checks(run);
		evloop_timer_cancel(run->env->loop, run->timer);
		run->timer = NULL;
	}
	resolver_session_free(run->session);
	run->session = NULL;
}

bool
checkrun_is_done(const struct checkrun *run)
{
	return run->is_done;
}

const struct check_result *
checkrun_results(const struct checkrun *run, size_t *n_out)
{
	*n_out = run->nchecks;
	return run->results;
}
