/* SPDX-License-Identifier: MIT */
/*
 * test_evloop.c - unit tests for evloop.h: timers, cancel, fds, the hook
 *
 * Every wait is bounded: timers are 0-20 ms, each run has a watchdog timer
 * that stops the loop, and alarm() kills a test that hangs anyway.
 */
#include <stdbool.h>
#include <stdint.h>
#include <unistd.h>

#include "evloop.h"
#include "test.h"

#define TEST_NTIMERS  50
#define TEST_WATCHDOG 2000 /* ms; a run that reaches it has failed */

struct test_tm {
	struct evloop_timer *t;
	uint64_t lo, hi; /* the deadline lies in [lo, hi] */
	uint64_t fired_at;
	int fired;
	int order;
	bool cancelled;
};

struct test_run {
	struct test_tm tm[TEST_NTIMERS];
	int nfired;
	int expect;
	bool watchdog;
};

static struct test_run test_run;

static void
test_watchdog_cb(struct evloop *loop, void *arg)
{
	(void)arg;
	test_run.watchdog = true;
	evloop_stop(loop);
}

static void
test_tm_cb(struct evloop *loop, void *arg)
{
	struct test_tm *m = arg;

	m->fired++;
	m->fired_at = evloop_now_ms();
	m->order = test_run.nfired++;
	m->t = NULL;
	if (test_run.nfired == test_run.expect)
		evloop_stop(loop);
}

/* test_add - add timer i after ms, recording its deadline bounds */
static void
test_add(struct evloop *loop, int i, uint64_t ms)
{
	struct test_tm *m = &test_run.tm[i];

	m->lo = evloop_now_ms() + ms;
	m->t = evloop_timer_add(loop, ms, test_tm_cb, m);
	m->hi = evloop_now_ms() + ms;
	m->fired = 0;
	m->order = -1;
	m->cancelled = false;
}

/* test_check_order - fired timers in deadline order, none early */
static void
test_check_order(const char *what)
{
	const struct test_tm *byorder[TEST_NTIMERS] = { NULL };
	int bad_order = 0, early = 0, twice = 0;

	for (int i = 0; i < TEST_NTIMERS; i++) {
		const struct test_tm *m = &test_run.tm[i];

		if (m->fired > 1)
			twice++;
		if (m->fired == 0)
			continue;
		if (m->order >= 0 && m->order < TEST_NTIMERS)
			byorder[m->order] = m;
		if (m->fired_at < m->lo)
			early++;
	}
	for (int k = 1; k < test_run.nfired && k < TEST_NTIMERS; k++) {
		/* b fired after a although b's deadline was surely earlier */
		if (byorder[k] != NULL && byorder[k - 1] != NULL &&
		    byorder[k]->hi < byorder[k - 1]->lo)
			bad_order++;
	}
	CHECK(bad_order == 0, "%s: timers fire in deadline order (%d not)",
	    what, bad_order);
	CHECK(early == 0, "%s: no timer fires before its deadline (%d early)",
	    what, early);
	CHECK(twice == 0, "%s: no timer fires twice", what);
}

static void
test_timer_order(void)
{
	struct evloop *loop = evloop_new();
	static const uint64_t ms[] = { 20, 5, 15, 0, 10, 3, 18, 8 };
	const int n = (int)(sizeof(ms) / sizeof(ms[0]));
	struct evloop_timer *wd;

	test_run = (struct test_run){ .expect = n };
	for (int i = 0; i < n; i++)
		test_add(loop, i, ms[i]);
	wd = evloop_timer_add(loop, TEST_WATCHDOG, test_watchdog_cb, NULL);
	evloop_run(loop);
	CHECK(!test_run.watchdog && test_run.nfired == n,
	    "8 timers 0-20 ms all fire (%d)", test_run.nfired);
	/* the delays differ by 2 ms or more: with the adds done within 1 ms
	 * (not so under valgrind) the order is exactly that of the delays */
	if (test_run.tm[n - 1].hi - ms[n - 1] <=
	    test_run.tm[0].lo - ms[0] + 1) {
		CHECK(test_run.tm[3].order == 0 && test_run.tm[5].order == 1 &&
		        test_run.tm[6].order == n - 2 &&
		        test_run.tm[0].order == n - 1,
		    "0 ms fires first, then 3 ms; 18 ms, then 20 ms last");
	}
	test_check_order("8 timers");
	if (!test_run.watchdog)
		evloop_timer_cancel(loop, wd);
	evloop_free(loop);
}

/* test_lcg - deterministic pseudo-random numbers */
static uint32_t
test_lcg(uint32_t *state)
{
	*state = *state * 1103515245u + 12345u;
	return (*state >> 16) & 0x7fff;
}

static void
test_timer_cancel(void)
{
	struct evloop *loop = evloop_new();
	struct evloop_timer *wd;
	uint32_t seed = 42;
	int cancelled_fired = 0, missing = 0;

	test_run = (struct test_run){ .expect = TEST_NTIMERS - 4 };
	/* timer 0 has the earliest deadline: it is at the heap top */
	test_add(loop, 0, 0);
	for (int i = 1; i < TEST_NTIMERS; i++)
		test_add(loop, i, 2 + test_lcg(&seed) % 19);
	wd = evloop_timer_add(loop, TEST_WATCHDOG, test_watchdog_cb, NULL);
	/* the top, two in the middle, and the last one added */
	evloop_timer_cancel(loop, test_run.tm[0].t);
	evloop_timer_cancel(loop, test_run.tm[25].t);
	evloop_timer_cancel(loop, test_run.tm[13].t);
	evloop_timer_cancel(loop, test_run.tm[TEST_NTIMERS - 1].t);
	test_run.tm[0].cancelled = true;
	test_run.tm[25].cancelled = true;
	test_run.tm[13].cancelled = true;
	test_run.tm[TEST_NTIMERS - 1].cancelled = true;
	evloop_timer_cancel(loop, NULL);
	CHECK(true, "evloop_timer_cancel(NULL) is a no-op");

	evloop_run(loop);
	for (int i = 0; i < TEST_NTIMERS; i++) {
		if (test_run.tm[i].cancelled && test_run.tm[i].fired != 0)
			cancelled_fired++;
		if (!test_run.tm[i].cancelled && test_run.tm[i].fired != 1)
			missing++;
	}
	CHECK(!test_run.watchdog, "50 timers: the run ends (%d fired)",
	    test_run.nfired);
	CHECK(cancelled_fired == 0, "cancelled timers never fire (%d did)",
	    cancelled_fired);
	CHECK(missing == 0, "every other timer fires once (%d did not)",
	    missing);
	test_check_order("50 timers with 4 cancelled");
	if (!test_run.watchdog)
		evloop_timer_cancel(loop, wd);
	evloop_free(loop);
}

/* a timer whose callback cancels another pending timer */
struct test_canceller {
	struct evloop_timer *victim;
	bool victim_fired;
	int ran;
};

static void
test_victim_cb(struct evloop *loop, void *arg)
{
	struct test_canceller *c = arg;

	(void)loop;
	c->victim_fired = true;
}

static void
test_canceller_cb(struct evloop *loop, void *arg)
{
	struct test_canceller *c = arg;

	c->ran++;
	evloop_timer_cancel(loop, c->victim);
	c->victim = NULL;
}

static void
test_stop_cb(struct evloop *loop, void *arg)
{
	(void)arg;
	evloop_stop(loop);
}

static void
test_cancel_from_callback(void)
{
	struct evloop *loop = evloop_new();
	struct test_canceller c = { NULL, false, 0 };

	/* the same deadline: insertion order decides, canceller first */
	(void)evloop_timer_add(loop, 2, test_canceller_cb, &c);
	c.victim = evloop_timer_add(loop, 2, test_victim_cb, &c);
	(void)evloop_timer_add(loop, 15, test_stop_cb, NULL);
	evloop_run(loop);
	CHECK(c.ran == 1 && !c.victim_fired,
	    "a callback cancels a due timer of the same deadline");
	evloop_free(loop);
}

/* a timer callback that adds another timer */
struct test_chain {
	int step;
	uint64_t t0, t1, t2;
};

static void
test_chain_cb(struct evloop *loop, void *arg)
{
	struct test_chain *ch = arg;

	ch->step++;
	if (ch->step == 1) {
		ch->t1 = evloop_now_ms();
		(void)evloop_timer_add(loop, 5, test_chain_cb, ch);
	} else {
		ch->t2 = evloop_now_ms();
		evloop_stop(loop);
	}
}

static void
test_timer_from_callback(void)
{
	struct evloop *loop = evloop_new();
	struct test_chain ch = { 0, 0, 0, 0 };

	test_run = (struct test_run){ .expect = -1 };
	ch.t0 = evloop_now_ms();
	(void)evloop_timer_add(loop, 3, test_chain_cb, &ch);
	(void)evloop_timer_add(loop, TEST_WATCHDOG, test_watchdog_cb, NULL);
	evloop_run(loop);
	CHECK(ch.step == 2 && !test_run.watchdog,
	    "a timer added by a timer callback fires (step %d)", ch.step);
	CHECK(ch.t1 >= ch.t0 + 3 && ch.t2 >= ch.t1 + 5,
	    "each fires after its own delay (+%llu, +%llu ms)",
	    (unsigned long long)(ch.t1 - ch.t0),
	    (unsigned long long)(ch.t2 - ch.t1));
	/* the watchdog timer is still pending: evloop_free frees it */
	evloop_free(loop);
}

/* fd callbacks on a pipe */
struct test_pipe {
	int calls;
	unsigned events;
	char got;
	ssize_t nread;
};

static void
test_pipe_cb(struct evloop *loop, int fd, unsigned events, void *arg)
{
	struct test_pipe *tp = arg;

	tp->calls++;
	tp->events = events;
	tp->nread = read(fd, &tp->got, 1);
	evloop_stop(loop);
}

static void
test_fd(void)
{
	struct evloop *loop = evloop_new();
	struct test_pipe tp = { 0, 0, 0, 0 };
	struct evloop_timer *wd;
	int fds[2];

	if (pipe(fds) == -1) {
		CHECK(false, "pipe()");
		evloop_free(loop);
		return;
	}
	test_run = (struct test_run){ .expect = -1 };
	CHECK(evloop_fd_add(loop, fds[0], EVLOOP_READ, test_pipe_cb, &tp) == 0,
	    "evloop_fd_add on a pipe");
	CHECK(write(fds[1], "!", 1) == 1, "write a byte to the pipe");
	wd = evloop_timer_add(loop, TEST_WATCHDOG, test_watchdog_cb, NULL);
	evloop_run(loop);
	CHECK(!test_run.watchdog && tp.calls == 1,
	    "the read callback runs once and stops the loop (%d calls)",
	    tp.calls);
	CHECK((tp.events & EVLOOP_READ) != 0 && tp.nread == 1 && tp.got == '!',
	    "the callback sees EVLOOP_READ and reads the byte");

	/* nothing to read: the callback must not run again */
	tp.calls = 0;
	(void)evloop_timer_add(loop, 10, test_stop_cb, NULL);
	evloop_run(loop);
	CHECK(tp.calls == 0, "an idle fd gets no callback");

	/* a removed fd gets no callback even when readable */
	evloop_fd_del(loop, fds[0]);
	CHECK(write(fds[1], "?", 1) == 1, "write another byte");
	(void)evloop_timer_add(loop, 10, test_stop_cb, NULL);
	evloop_run(loop);
	CHECK(tp.calls == 0, "a removed fd gets no callback");
	evloop_fd_del(loop, fds[0]);
	CHECK(true, "removing an fd twice is a no-op");
	CHECK(evloop_fd_add(loop, fds[0], EVLOOP_READ, test_pipe_cb, &tp) == 0,
	    "the fd can be added again");
	(void)evloop_timer_add(loop, 10, test_stop_cb, NULL);
	evloop_run(loop);
	CHECK(tp.calls == 1 && tp.got == '?', "re-added fd is read again");
	evloop_fd_del(loop, fds[0]);

	CHECK(evloop_fd_add(loop, fds[1], EVLOOP_WRITE, test_pipe_cb, &tp) == 0,
	    "evloop_fd_add for writing");
	tp.calls = 0;
	tp.events = 0;
	(void)evloop_timer_add(loop, 10, test_stop_cb, NULL);
	evloop_run(loop);
	CHECK(tp.calls >= 1 && (tp.events & EVLOOP_WRITE) != 0,
	    "a writable pipe gets EVLOOP_WRITE");
	evloop_fd_del(loop, fds[1]);
	(void)close(fds[0]);
	(void)close(fds[1]);
	CHECK(evloop_fd_add(loop, fds[0], EVLOOP_READ, test_pipe_cb, &tp) == -1,
	    "evloop_fd_add of a closed fd returns -1");
	if (!test_run.watchdog)
		evloop_timer_cancel(loop, wd);
	evloop_free(loop);
}

/* the before-sleep hook bounds the wait */
struct test_hook {
	int calls;
	int stop_after;
	int64_t ret;
};

static int64_t
test_hook_cb(struct evloop *loop, void *arg)
{
	struct test_hook *h = arg;

	if (++h->calls >= h->stop_after)
		evloop_stop(loop);
	return h->ret;
}

static void
test_hook(void)
{
	struct evloop *loop = evloop_new();
	struct test_hook h = { 0, 5, 0 };
	uint64_t t0, dt;

	/* no fds, no timers: only the hook's 0 keeps epoll from sleeping */
	evloop_hook_set(loop, test_hook_cb, &h);
	t0 = evloop_now_ms();
	evloop_run(loop);
	dt = evloop_now_ms() - t0;
	CHECK(h.calls == 5, "the hook runs before each wait (%d calls)",
	    h.calls);
	CHECK(dt < 500, "a hook returning 0 means no sleep (%llu ms)",
	    (unsigned long long)dt);

	/* a far timer: the hook's 2 ms bound wins */
	h = (struct test_hook){ 0, 4, 2 };
	(void)evloop_timer_add(loop, 600000, test_watchdog_cb, NULL);
	t0 = evloop_now_ms();
	evloop_run(loop);
	dt = evloop_now_ms() - t0;
	CHECK(h.calls == 4 && dt < 500,
	    "a hook returning 2 bounds the sleep under a 10 min timer "
	    "(%d calls, %llu ms)",
	    h.calls, (unsigned long long)dt);

	/* the hook says "no limit" (-1): a 5 ms timer still wakes the loop */
	h = (struct test_hook){ 0, 1000000, -1 };
	(void)evloop_timer_add(loop, 5, test_stop_cb, NULL);
	t0 = evloop_now_ms();
	evloop_run(loop);
	dt = evloop_now_ms() - t0;
	CHECK(dt >= 4 && dt < 500,
	    "a hook returning -1 leaves the wait to the timer (%llu ms)",
	    (unsigned long long)dt);
	evloop_hook_set(loop, NULL, NULL);
	evloop_free(loop);
}

static void
test_clock(void)
{
	uint64_t a = evloop_now_us(), b = evloop_now_us();
	uint64_t ms = evloop_now_ms();

	CHECK(b >= a, "evloop_now_us is monotonic");
	CHECK(ms >= a / 1000 && ms <= evloop_now_us() / 1000 + 1,
	    "evloop_now_ms agrees with evloop_now_us");
	evloop_free(NULL);
	CHECK(true, "evloop_free(NULL) is a no-op");
}

/* evloop_run_for: a stop before the deadline, then the deadline */
static void
test_run_for(void)
{
	struct evloop *loop = evloop_new();
	uint64_t t0;

	(void)evloop_timer_add(loop, 5, test_stop_cb, NULL);
	CHECK(evloop_run_for(loop, 10000),
	    "run_for: stopped by a callback before its deadline");
	t0 = evloop_now_ms();
	CHECK(!evloop_run_for(loop, 20), "run_for: nothing stops it: false");
	CHECK(evloop_now_ms() - t0 >= 20, "... after at least its deadline");
	/* its own timer is gone either way: the loop is empty again */
	(void)evloop_timer_add(loop, 5, test_stop_cb, NULL);
	CHECK(evloop_run_for(loop, 10000), "run_for again after a deadline");
	evloop_free(loop);
}

int
main(void)
{
	(void)alarm(30);
	test_clock();
	test_timer_order();
	test_timer_cancel();
	test_cancel_from_callback();
	test_timer_from_callback();
	test_fd();
	test_hook();
	test_run_for();
	return test_done();
}
