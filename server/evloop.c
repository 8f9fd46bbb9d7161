/* SPDX-License-Identifier: MIT */
/*
 * evloop.c - epoll reactor with monotonic timers (Redis "ae" in spirit)
 *
 * fds are kept in an array indexed by fd; timers in a binary min-heap in
 * which each timer knows its index, so cancelling is O(log n).
 * Not here: what runs on the loop (http.c, later the resolver).
 */
#include "evloop.h"

#include <sys/epoll.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "xmalloc.h"

#define EVLOOP_MAX_EVENTS 64

struct evloop_fdent {
	evloop_fd_fn *fn;
	void *arg;
	bool used;
};

struct evloop_timer {
	uint64_t when;
	uint64_t seq;
	size_t idx;
	evloop_timer_fn *fn;
	void *arg;
};

struct evloop {
	int epfd;
	bool stop;
	struct evloop_fdent *fds;
	size_t nfds;
	struct evloop_timer **heap;
	size_t nheap, capheap;
	uint64_t seq;
	evloop_hook_fn *hook;
	void *hook_arg;
};

uint64_t
evloop_now_us(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

uint64_t
evloop_now_ms(void)
{
	return evloop_now_us() / 1000u;
}

struct evloop *
evloop_new(void)
{
	struct evloop *loop = xcalloc(1, sizeof(*loop));

	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd == -1)
		log_fatal("epoll_create", "error=%d", errno);
	return loop;
}

void
evloop_free(struct evloop *loop)
{
	if (loop == NULL)
		return;
	for (size_t i = 0; i < loop->nheap; i++)
		free(loop->heap[i]);
	free(loop->heap);
	free(loop->fds);
	(void)close(loop->epfd);
	free(loop);
}

static uint32_t
evloop_epoll_events(unsigned events)
{
	uint32_t e = 0;

	if (events & EVLOOP_READ)
		e |= EPOLLIN;
	if (events & EVLOOP_WRITE)
		e |= EPOLLOUT;
	return e;
}

int
evloop_fd_add(struct evloop *loop, int fd, unsigned events, evloop_fd_fn *fn,
    void *arg)
{
	struct epoll_event ev;

	ASSERT(fd >= 0);
	if ((size_t)fd >= loop->nfds) {
		size_t n = (size_t)fd + 64;

		loop->fds = xrealloc(loop->fds, n * sizeof(*loop->fds));
		memset(loop->fds + loop->nfds, 0,
		    (n - loop->nfds) * sizeof(*loop->fds));
		loop->nfds = n;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = evloop_epoll_events(events);
	ev.data.fd = fd;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) == -1)
		return -1;
	loop->fds[fd] = (struct evloop_fdent){ fn, arg, true };
	return 0;
}

int
evloop_fd_mod(struct evloop *loop, int fd, unsigned events)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.events = evloop_epoll_events(events);
	ev.data.fd = fd;
	return epoll_ctl(loop->epfd, EPOLL_CTL_MOD, fd, &ev);
}

void
evloop_fd_del(struct evloop *loop, int fd)
{
	if (fd < 0 || (size_t)fd >= loop->nfds || !loop->fds[fd].used)
		return;
	(void)epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
	loop->fds[fd].used = false;
}

/* evloop_timer_less - earlier deadline first, insertion order on ties */
static bool
evloop_timer_less(const struct evloop_timer *a, const struct evloop_timer *b)
{
	return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static void
evloop_heap_set(struct evloop *loop, size_t i, struct evloop_timer *t)
{
	loop->heap[i] = t;
	t->idx = i;
}

static void
evloop_heap_up(struct evloop *loop, size_t i)
{
	struct evloop_timer *t = loop->heap[i];

	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (!evloop_timer_less(t, loop->heap[parent]))
			break;
		evloop_heap_set(loop, i, loop->heap[parent]);
		i = parent;
	}
	evloop_heap_set(loop, i, t);
}

static void
evloop_heap_down(struct evloop *loop, size_t i)
{
	struct evloop_timer *t = loop->heap[i];

	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct evloop_timer *best = t;

		if (l < loop->nheap && evloop_timer_less(loop->heap[l], best)) {
			m = l;
			best = loop->heap[l];
		}
		if (r < loop->nheap && evloop_timer_less(loop->heap[r], best))
			m = r;
		if (m == i)
			break;
		evloop_heap_set(loop, i, loop->heap[m]);
		i = m;
	}
	evloop_heap_set(loop, i, t);
}

struct evloop_timer *
evloop_timer_add(struct evloop *loop, uint64_t ms, evloop_timer_fn *fn,
    void *arg)
{
	struct evloop_timer *t = xmalloc(sizeof(*t));

	t->when = evloop_now_ms() + ms;
	t->seq = loop->seq++;
	t->fn = fn;
	t->arg = arg;
	if (loop->nheap == loop->capheap) {
		loop->capheap = loop->capheap == 0 ? 16 : loop->capheap * 2;
		loop->heap =
		    xrealloc(loop->heap, loop->capheap * sizeof(*loop->heap));
	}
	loop->heap[loop->nheap++] = t;
	evloop_heap_up(loop, loop->nheap - 1);
	return t;
}

/* evloop_heap_remove - take t out of the heap without freeing it */
static void
evloop_heap_remove(struct evloop *loop, struct evloop_timer *t)
{
	size_t i = t->idx;
	struct evloop_timer *last;

	ASSERT(i < loop->nheap && loop->heap[i] == t);
	last = loop->heap[--loop->nheap];
	if (last == t)
		return;
	evloop_heap_set(loop, i, last);
	evloop_heap_up(loop, i);
	evloop_heap_down(loop, last->idx);
}

void
evloop_timer_cancel(struct evloop *loop, struct evloop_timer *t)
{
	if (t == NULL)
		return;
	evloop_heap_remove(loop, t);
	free(t);
}

void
evloop_hook_set(struct evloop *loop, evloop_hook_fn *fn, void *arg)
{
	loop->hook = fn;
	loop->hook_arg = arg;
}

void
evloop_stop(struct evloop *loop)
{
	loop->stop = true;
}

/* evloop_run_timers - fire every timer that is due */
static void
evloop_run_timers(struct evloop *loop)
{
	uint64_t now = evloop_now_ms();

	while (loop->nheap > 0 && loop->heap[0]->when <= now) {
		struct evloop_timer *t = loop->heap[0];
		evloop_timer_fn *fn = t->fn;
		void *arg = t->arg;

		evloop_heap_remove(loop, t);
		free(t);
		fn(loop, arg);
	}
}

/* evloop_wait_ms - how long epoll_wait may sleep */
static int
evloop_wait_ms(struct evloop *loop)
{
	int64_t wait = -1;

	if (loop->hook != NULL)
		wait = loop->hook(loop, loop->hook_arg);
	if (loop->nheap > 0) {
		uint64_t now = evloop_now_ms(), when = loop->heap[0]->when;
		int64_t t = when <= now ? 0 : (int64_t)(when - now);

		if (wait < 0 || t < wait)
			wait = t;
	}
	if (wait > 60000)
		wait = 60000;
	return (int)wait;
}

void
evloop_run(struct evloop *loop)
{
	struct epoll_event evs[EVLOOP_MAX_EVENTS];

	loop->stop = false;
	while (!loop->stop) {
		int n = epoll_wait(loop->epfd, evs, EVLOOP_MAX_EVENTS,
		    evloop_wait_ms(loop));

		if (n == -1) {
			if (errno == EINTR)
				continue;
			log_fatal("epoll_wait", "error=%d", errno);
		}
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;
			unsigned ev = 0;

			if ((size_t)fd >= loop->nfds || !loop->fds[fd].used)
				continue;
			if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
				ev |= EVLOOP_READ;
			if (evs[i].events & (EPOLLOUT | EPOLLHUP | EPOLLERR))
				ev |= EVLOOP_WRITE;
			loop->fds[fd].fn(loop, fd, ev, loop->fds[fd].arg);
		}
		evloop_run_timers(loop);
	}
}

/* evloop_run_for_expired - evloop_run_for's deadline */
static void
evloop_run_for_expired(struct evloop *loop, void *arg)
{
	*(bool *)arg = true;
	evloop_stop(loop);
}

bool
evloop_run_for(struct evloop *loop, uint64_t ms)
{
	bool expired = false;
	struct evloop_timer *t =
	    evloop_timer_add(loop, ms, evloop_run_for_expired, &expired);

	evloop_run(loop);
	if (!expired) /* a timer that has fired is gone */
		evloop_timer_cancel(loop, t);
	return !expired;
}
