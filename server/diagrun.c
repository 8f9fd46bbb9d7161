/* SPDX-License-Identifier: MIT */
/*
 * diagrun.c - one diagnosis and the live checks it calls for
 *
 * The run owns the diagnosis, its resolver session, the checks it
 * started and the count of those still running; it is allocated in the
 * diagnosis's arena, so diag_free takes it with the rest. Completion is
 * held back while diagrun_start (or the deadline) is still working: a
 * check may report before its start returns (answers from the cache), and
 * done must come from the loop, once, after the caller has the run.
 * The deadline is the run's one loop timer, not the session's: it ends
 * the session's lookups (resolver_session_expire, the code a session's
 * own deadline runs, so the checks see what they always saw at the
 * deadline) and then cancels the checks that wait for more.
 * Not here: which checks a diagnosis calls for (checks.c), the checks
 * (check_spf.c, ...), the diagnosis (diag.c).
 */
#include "diagrun.h"

#include "checks.h"
#include "log.h"

struct diagrun_check {
	struct diagrun *run;
	const struct check_kind *kind;
	void *state;  /* the kind's, for cancel */
	bool running; /* started, not reported */
};

struct diagrun {
	const struct diagrun_env *env;
	struct diag *d;
	struct resolver_session *session; /* NULL until a check starts */
	struct evloop_timer *timer;       /* the deadline, while waiting */
	diagrun_done_fn *done;
	void *arg;
	struct diagrun_check checks[CHECKS_MAX];
	struct check_result results[CHECKS_MAX];
	size_t nchecks;
	unsigned pending; /* checks started and not reported */
	bool hold;        /* in diagrun_start or the deadline: no done yet */
	bool dropping;    /* in diagrun_free: reports go nowhere */
	bool is_done;
};

/* diagrun_finish - call done when the last check has reported; the
 * last thing any path does (the caller may free the run in done) */
static void
diagrun_finish(struct diagrun *run)
{
	if (run->pending > 0 || run->hold || run->dropping)
		return;
	run->is_done = true;
	evloop_timer_cancel(run->env->loop, run->timer);
	run->timer = NULL;
	run->done(run, run->arg);
}

/* diagrun_check_done - check_done_fn */
static void
diagrun_check_done(void *arg, const struct check_result *r)
{
	struct diagrun_check *c = arg;
	struct diagrun *run = c->run;
	struct check_result *out = &run->results[c - run->checks];

	ASSERT(c->running);
	c->running = false;
	*out = *r;
	out->kind = c->kind;
	run->pending--;
	diagrun_finish(run);
}

/* diagrun_cancel_checks - end now the checks that wait for more than the
 * session's lookups; each reports before its cancel returns */
static void
diagrun_cancel_checks(struct diagrun *run)
{
	for (size_t i = 0; i < run->nchecks; i++) {
		struct diagrun_check *c = &run->checks[i];

		if (c->running && c->kind->cancel != NULL)
			c->kind->cancel(c->state);
	}
}

static void
diagrun_deadline(struct evloop *loop, void *arg)
{
	struct diagrun *run = arg;

	(void)loop;
	run->timer = NULL;
	run->hold = true;
	resolver_session_expire(run->session);
	diagrun_cancel_checks(run);
	/* check.h: a check ends with its session's lookups or its cancel */
	ASSERT(run->pending == 0);
	run->hold = false;
	diagrun_finish(run);
}

/* diagrun_check_start - check i of the table, when the diagnosis calls
 * for it; the session is made for the first */
static void
diagrun_check_start(struct diagrun *run, size_t i)
{
	struct check_in in = { 0 };
	struct diagrun_check *c;

	if (!checks_wanted(i, run->d, &in))
		return;
	if (run->session == NULL)
		run->session = resolver_session_new(run->env->resolver,
		    run->d->arena, RESOLVER_NO_DEADLINE, run->env->dns_budget);
	in.d = run->d;
	in.session = run->session;
	in.a = run->d->arena;
	c = &run->checks[run->nchecks++];
	c->run = run;
	c->kind = checks_kind(i);
	c->running = true;
	run->results[c - run->checks].kind = c->kind;
	run->pending++;
	c->state = c->kind->start(&in, diagrun_check_done, c);
}

struct diagrun *
diagrun_start(const struct diagrun_env *env, struct span input,
    const struct diagrun_opts *opts, diagrun_done_fn *done, void *arg)
{
	struct diag *d = diag_new(env->diag, input, opts->lang, opts->repaired);
	struct diagrun *run = arena_zalloc(d->arena, sizeof(*run));
	uint64_t now = evloop_now_ms();
	uint64_t deadline_ms = now + opts->deadline_ms;

	run->env = env;
	run->d = d;
	run->done = done;
	run->arg = arg;
	run->hold = true;
	/* text with nothing to diagnose calls for nothing */
	if (env->resolver != NULL && !bounce_is_empty(&d->bounce)) {
		for (size_t i = 0; i < checks_count(); i++) {
			if (opts->checks & (1u << i))
				diagrun_check_start(run, i);
		}
	}
	run->hold = false;
	if (run->pending == 0) {
		run->is_done = true;
		return run;
	}
	now = evloop_now_ms();
	run->timer = evloop_timer_add(env->loop,
	    deadline_ms > now ? deadline_ms - now : 0, diagrun_deadline, run);
	return run;
}

void
diagrun_free(struct diagrun *run)
{
	if (run == NULL)
		return;
	if (!run->is_done) {
		/* stop what does not stop with the session; nobody hears */
		run->dropping = true;
		diagrun_cancel_checks(run);
		evloop_timer_cancel(run->env->loop, run->timer);
		run->timer = NULL;
	}
	resolver_session_free(run->session);
	diag_free(run->d); /* the run is in its arena */
}

bool
diagrun_is_done(const struct diagrun *run)
{
	return run->is_done;
}

const struct diag *
diagrun_diag(const struct diagrun *run)
{
	return run->d;
}

const struct check_result *
diagrun_checks(const struct diagrun *run, size_t *n_out)
{
	*n_out = run->nchecks;
	return run->results;
}
