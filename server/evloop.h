/* SPDX-License-Identifier: MIT */
/*
 * evloop.h - the service's one event loop
 *
 * API: evloop_new → evloop_fd_add / evloop_timer_add / evloop_hook_set →
 * evloop_run (returns after evloop_stop; evloop_run_for also after a
 * deadline) → evloop_free. epoll for file descriptors, a binary heap of
 * one-shot timers on CLOCK_MONOTONIC (c-ares's timeouts are one of them),
 * and a before-sleep hook that may shorten the next wait
 * (libmicrohttpd's timeout feeds it). This is the only place that blocks.
 * Callbacks run on the loop; they may add and remove fds and timers,
 * including their own.
 * Ownership: the loop owns its timers; a timer handle is valid until its
 * callback has started or evloop_timer_cancel returned. fds stay the
 * caller's; remove them before closing them.
 */
#ifndef EVLOOP_H
#define EVLOOP_H

#include <stdbool.h>
#include <stdint.h>

#define EVLOOP_READ  0x1u
#define EVLOOP_WRITE 0x2u

struct evloop;
struct evloop_timer;

typedef void evloop_fd_fn(struct evloop *loop, int fd, unsigned events,
    void *arg);
typedef void evloop_timer_fn(struct evloop *loop, void *arg);
/* Returns the longest the loop may sleep in ms, or -1 for no limit. */
typedef int64_t evloop_hook_fn(struct evloop *loop, void *arg);

struct evloop *evloop_new(void);
void evloop_free(struct evloop *loop);

/* Returns 0, or -1 (errno set) when epoll refuses the fd. */
int evloop_fd_add(struct evloop *loop, int fd, unsigned events,
    evloop_fd_fn *fn, void *arg);
int evloop_fd_mod(struct evloop *loop, int fd, unsigned events);
void evloop_fd_del(struct evloop *loop, int fd);

/* One-shot timer after ms milliseconds. Returns a handle owned by the loop. */
struct evloop_timer *evloop_timer_add(struct evloop *loop, uint64_t ms,
    evloop_timer_fn *fn, void *arg);
/* Cancel a pending timer; NULL is a no-op. */
void evloop_timer_cancel(struct evloop *loop, struct evloop_timer *t);

void evloop_hook_set(struct evloop *loop, evloop_hook_fn *fn, void *arg);

void evloop_run(struct evloop *loop);
/* evloop_run with a deadline: returns true when a callback called
 * evloop_stop, false when ms passed first (the loop stops then too). */
bool evloop_run_for(struct evloop *loop, uint64_t ms);
void evloop_stop(struct evloop *loop);

/* Milliseconds on the monotonic clock. */
uint64_t evloop_now_ms(void);
/* Microseconds on the monotonic clock. */
uint64_t evloop_now_us(void);

#endif
