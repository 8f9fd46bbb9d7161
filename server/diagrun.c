/* SPDX-License-Identifier: MIT */
/*
 * diagrun.c - one diagnosis and the live checks it calls for
 *
 * The run owns the diagnosis and the run of its checks (checkrun.h: the
 * session, the deadline, the count still running); it is allocated in
 * the diagnosis's arena, so diag_free takes it with the rest.
 * Not here: which checks a diagnosis calls for (checks.c), running them
 * (checkrun.c), the checks (check_spf.c, ...), the diagnosis (diag.c).
 */
#include "diagrun.h"

#include "checkrun.h"
#include "checks.h"

struct diagrun {
	struct diag *d;
	struct checkrun *checks;
	diagrun_done_fn *done;
	void *arg;
};

/* diagrun_checks_done - checkrun_done_fn */
static void
diagrun_checks_done(struct checkrun *checks, void *arg)
{
	struct diagrun *run = arg;

	(void)checks;
	run->done(run, run->arg);
}

struct diagrun *
diagrun_start(const struct diagrun_env *env, struct span input,
    const struct diagrun_opts *opts, diagrun_done_fn *done, void *arg)
{
	struct diag *d = diag_new(env->diag, input, opts->lang, opts->repaired);
	struct diagrun *run = arena_zalloc(d->arena, sizeof(*run));

	run->d = d;
	run->done = done;
	run->arg = arg;
	run->checks = checkrun_new(&env->run, d->arena);
	/* text with nothing to diagnose calls for nothing */
	if (!bounce_is_empty(&d->bounce)) {
		for (size_t i = 0; i < checks_count(); i++) {
			struct check_in in = { 0 };

			in.env = env->checks;
			in.lang = opts->lang;
			in.d = d;
			if ((opts->checks & (1u << i)) &&
			    checks_wanted(i, d, &in))
				(void)checkrun_add(run->checks, checks_kind(i),
				    &in);
		}
	}
	checkrun_go(run->checks, opts->deadline_ms, diagrun_checks_done, run);
	return run;
}

void
diagrun_free(struct diagrun *run)
{
	if (run == NULL)
		return;
	checkrun_free(run->checks);
	diag_free(run->d); /* the run is in its arena */
}

bool
diagrun_is_done(const struct diagrun *run)
{
	return checkrun_is_done(run->checks);
}

const struct diag *
diagrun_diag(const struct diagrun *run)
{
	return run->d;
}

const struct check_result *
diagrun_checks(const struct diagrun *run, size_t *n_out)
{
	return checkrun_results(run->checks, n_out);
}
