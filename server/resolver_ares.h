/* SPDX-License-Identifier: MIT */
/*
 * resolver_ares.h - the c-ares backend of resolver.c
 *
 * API: resolver_ares_new(loop, servers, timeout_ms, tries) →
 * resolver_ares_query(backend, name, type, fn, arg) ... →
 * resolver_ares_free. One question, one call of fn: with the raw response
 * when a server answered (any RCODE), else with msg NULL and the status
 * that says why (timeout, servfail for a refused connection or a failing
 * server). c-ares retries on its own, falls back to TCP on truncation
 * (RFC 7766) and its sockets and timeouts live in our event loop
 * (ARES_OPT_SOCK_STATE_CB, ares_timeout, ares_process_fd).
 * Only resolver.c uses it; this is the one file that includes <ares.h>.
 * Ownership: msg is borrowed for the duration of fn.
 */
#ifndef RESOLVER_ARES_H
#define RESOLVER_ARES_H

#include <stddef.h>
#include <stdint.h>

#include "dnsmsg.h"
#include "evloop.h"

struct resolver_ares;

/* Called exactly once per query, never before resolver_ares_query
 * returns, and never after resolver_ares_free has started. */
typedef void resolver_ares_fn(void *arg, enum dnsmsg_status status,
    const uint8_t *msg, size_t len);

/* Returns owned, or NULL with *err_out (static text). servers NULL or "":
 * /etc/resolv.conf. */
struct resolver_ares *resolver_ares_new(struct evloop *loop,
    const char *servers, unsigned timeout_ms, unsigned tries,
    const char **err_out);
/* Drops every question in flight without calling its fn. NULL: no-op. */
void resolver_ares_free(struct resolver_ares *ra);
/* Ownership: copies name. */
void resolver_ares_query(struct resolver_ares *ra, const char *name,
    uint16_t type, resolver_ares_fn *fn, void *arg);

#endif
