/* SPDX-License-Identifier: MIT */
/*
 * resolver_ares.c - c-ares 1.18 in the service's event loop
 *
 * The channel's sockets are registered with the loop as c-ares opens
 * them (ARES_OPT_SOCK_STATE_CB); readiness calls ares_process_fd, and one
 * loop timer, re-armed after every call into c-ares, follows
 * ares_timeout. Answers are handed on raw: resolver.c reads them with
 * dnsmsg.c, which keeps TTLs and every TXT string as sent (the legacy
 * ares_parse_* functions drop both).
 * Not here: caching, joining and budgets (resolver.c).
 */
#include "resolver_ares.h"

#include <sys/select.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <ares.h>

#include "log.h"
#include "xmalloc.h"

#define RESOLVER_ARES_MAX_FDS 64
/* The UDP socket's receive buffer: a burst of diagnoses sends up to
 * RESOLVER_MAX_INFLIGHT questions at once and their answers come back
 * together, while the thread is busy with the first of them; the
 * default buffer (208 KiB, about 256 small datagrams on Linux) drops the
 * rest, and each dropped answer costs a retry after the timeout. The
 * kernel grants at most net.core.rmem_max (doubled). */
#define RESOLVER_ARES_RCVBUF  (4 << 20)

struct resolver_ares_fd {
	int fd;
	unsigned events;
};

struct resolver_ares {
	struct evloop *loop;
	ares_channel channel;
	struct evloop_timer *timer;
	struct resolver_ares_fd fds[RESOLVER_ARES_MAX_FDS];
	size_t nfds;
	bool destroying;
	struct resolver_ares_query *deferred; /* answered inside _query */
	struct evloop_timer *defer_timer;
	struct evloop_timer *arm_timer; /* resolver_ares_arm_soon's */
};

/* One question; freed after its fn has been called. */
struct resolver_ares_query {
	struct resolver_ares *ra;
	resolver_ares_fn *fn;
	void *arg;
	bool inside;   /* ares_query has not returned yet */
	bool finished; /* c-ares called back */
	enum dnsmsg_status status;
	uint8_t *msg; /* copy, when c-ares called back inside ares_query */
	size_t len;
	struct resolver_ares_query *next; /* on ra->deferred */
};

static void resolver_ares_arm_soon(struct resolver_ares *ra);

/* resolver_ares_status - what a c-ares failure without an answer means */
static enum dnsmsg_status
resolver_ares_status(int status)
{
	switch (status) {
	case ARES_ENOTFOUND:
	case ARES_EBADNAME:
		/* a name no server can have (RFC 1035 §2.3.4 limits) */
		return DNSMSG_NXDOMAIN;
	case ARES_ENODATA:
		return DNSMSG_NODATA;
	case ARES_EFORMERR:
	case ARES_EBADRESP:
		return DNSMSG_MALFORMED;
	case ARES_ETIMEOUT:
		return DNSMSG_TIMEOUT;
	default:
		/* ESERVFAIL, EREFUSED, ECONNREFUSED, ENOTIMP, ... */
		return DNSMSG_SERVFAIL;
	}
}

static void
resolver_ares_finish(struct resolver_ares_query *q)
{
	q->fn(q->arg, q->status, q->msg, q->len);
	free(q->msg);
	free(q);
}

static void
resolver_ares_callback(void *arg, int status, int timeouts, unsigned char *abuf,
    int alen)
{
	struct resolver_ares_query *q = arg;

	(void)timeouts;
	if (q->ra->destroying || status == ARES_EDESTRUCTION ||
	    status == ARES_ECANCELLED) {
		free(q);
		return;
	}
	q->status = resolver_ares_status(status);
	q->finished = true;
	if (abuf != NULL && alen > 0 &&
	    (status == ARES_SUCCESS || status == ARES_ENODATA ||
	        status == ARES_ENOTFOUND || status == ARES_ESERVFAIL ||
	        status == ARES_EREFUSED)) {
		q->msg = xmalloc((size_t)alen);
		memcpy(q->msg, abuf, (size_t)alen);
		q->len = (size_t)alen;
	}
	if (q->inside) {
		/* the contract: never before resolver_ares_query returns */
		q->next = q->ra->deferred;
		q->ra->deferred = q;
		return;
	}
	resolver_ares_finish(q);
}

static void
resolver_ares_deferred(struct evloop *loop, void *arg)
{
	struct resolver_ares *ra = arg;
	struct resolver_ares_query *q;

	(void)loop;
	ra->defer_timer = NULL;
	while ((q = ra->deferred) != NULL) {
		ra->deferred = q->next;
		resolver_ares_finish(q);
	}
}

static void
resolver_ares_on_fd(struct evloop *loop, int fd, unsigned events, void *arg)
{
	struct resolver_ares *ra = arg;

	(void)loop;
	ares_process_fd(ra->channel,
	    (events & EVLOOP_READ) ? fd : ARES_SOCKET_BAD,
	    (events & EVLOOP_WRITE) ? fd : ARES_SOCKET_BAD);
	resolver_ares_arm_soon(ra);
}

static void
resolver_ares_on_timer(struct evloop *loop, void *arg)
{
	struct resolver_ares *ra = arg;

	(void)loop;
	ra->timer = NULL;
	ares_process_fd(ra->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	resolver_ares_arm_soon(ra);
}

/* resolver_ares_arm - one loop timer at c-ares's next timeout */
static void
resolver_ares_arm(struct resolver_ares *ra)
{
	struct timeval tv, *tvp;
	uint64_t ms;

	if (ra->destroying)
		return;
	evloop_timer_cancel(ra->loop, ra->timer);
	ra->timer = NULL;
	tvp = ares_timeout(ra->channel, NULL, &tv);
	if (tvp == NULL)
		return; /* nothing in flight */
	ms = (uint64_t)tvp->tv_sec * 1000u + (uint64_t)tvp->tv_usec / 1000u;
	/* round up: a timer that fires before the timeout does nothing */
	if (tvp->tv_usec % 1000 != 0)
		ms++;
	ra->timer = evloop_timer_add(ra->loop, ms, resolver_ares_on_timer, ra);
}

static void
resolver_ares_on_arm(struct evloop *loop, void *arg)
{
	struct resolver_ares *ra = arg;

	(void)loop;
	ra->arm_timer = NULL;
	resolver_ares_arm(ra);
}

/* resolver_ares_arm_soon - resolver_ares_arm once the callbacks of this
 * turn of the loop are done (a timer due now runs before the loop
 * sleeps): c-ares 1.18's ares_timeout walks every query in flight, and a
 * burst of answers sends a burst of questions */
static void
resolver_ares_arm_soon(struct resolver_ares *ra)
{
	if (ra->arm_timer == NULL && !ra->destroying)
		ra->arm_timer =
		    evloop_timer_add(ra->loop, 0, resolver_ares_on_arm, ra);
}

/* resolver_ares_sock_state - c-ares opened, changed or closed a socket */
static void
resolver_ares_sock_state(void *data, ares_socket_t fd, int readable,
    int writable)
{
	struct resolver_ares *ra = data;
	unsigned events =
	    (readable ? EVLOOP_READ : 0u) | (writable ? EVLOOP_WRITE : 0u);
	size_t i;

	for (i = 0; i < ra->nfds && ra->fds[i].fd != fd; i++)
		;
	if (events == 0) {
		if (i < ra->nfds) {
			evloop_fd_del(ra->loop, fd);
			ra->fds[i] = ra->fds[--ra->nfds];
		}
		return;
	}
	if (i < ra->nfds) {
		if (ra->fds[i].events != events &&
		    evloop_fd_mod(ra->loop, fd, events) == 0)
			ra->fds[i].events = events;
		return;
	}
	if (ra->nfds == RESOLVER_ARES_MAX_FDS ||
	    evloop_fd_add(ra->loop, fd, events, resolver_ares_on_fd, ra) ==
	        -1) {
		log_warn("dns_socket_unwatched", "fd=%d", fd);
		return;
	}
	ra->fds[ra->nfds].fd = fd;
	ra->fds[ra->nfds].events = events;
	ra->nfds++;
}

struct resolver_ares *
resolver_ares_new(struct evloop *loop, const char *servers, unsigned timeout_ms,
    unsigned tries, const char **err_out)
{
	struct resolver_ares *ra = xcalloc(1, sizeof(*ra));
	struct ares_options opt;
	int mask = ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS |
	    ARES_OPT_TRIES | ARES_OPT_FLAGS | ARES_OPT_EDNSPSZ |
	    ARES_OPT_SOCK_RCVBUF;

	if (ares_library_init(ARES_LIB_INIT_ALL) != ARES_SUCCESS) {
		*err_out = "c-ares cannot be initialised";
		free(ra);
		return NULL;
	}
	ra->loop = loop;
	memset(&opt, 0, sizeof(opt));
	opt.sock_state_cb = resolver_ares_sock_state;
	opt.sock_state_cb_data = ra;
	opt.timeout = (int)(timeout_ms > 0 ? timeout_ms : 1000);
	opt.tries = (int)(tries > 0 ? tries : 1);
	/* EDNS0 with a 1232-octet payload (the DNS flag day size) keeps most
	 * TXT answers on UDP; TCP takes the rest (RFC 7766) */
	opt.flags = ARES_FLAG_EDNS | ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES;
	opt.ednspsz = 1232;
	opt.socket_receive_buffer_size = RESOLVER_ARES_RCVBUF;
	if (ares_init_options(&ra->channel, &opt, mask) != ARES_SUCCESS) {
		*err_out =
		    "c-ares cannot create a channel (is /etc/resolv.conf "
		    "readable?)";
		ares_library_cleanup();
		free(ra);
		return NULL;
	}
	if (servers != NULL && servers[0] != '\0' &&
	    ares_set_servers_ports_csv(ra->channel, servers) != ARES_SUCCESS) {
		*err_out = "bad DNS server list (want HOST[:PORT][,...], IPv6 "
		           "as [ADDR]:PORT)";
		ares_destroy(ra->channel);
		ares_library_cleanup();
		free(ra);
		return NULL;
	}
	return ra;
}

void
resolver_ares_free(struct resolver_ares *ra)
{
	struct resolver_ares_query *q;

	if (ra == NULL)
		return;
	ra->destroying = true;
	evloop_timer_cancel(ra->loop, ra->timer);
	evloop_timer_cancel(ra->loop, ra->defer_timer);
	evloop_timer_cancel(ra->loop, ra->arm_timer);
	while ((q = ra->deferred) != NULL) {
		ra->deferred = q->next;
		free(q->msg);
		free(q);
	}
	ares_destroy(ra->channel);
	for (size_t i = 0; i < ra->nfds; i++)
		evloop_fd_del(ra->loop, ra->fds[i].fd);
	ares_library_cleanup();
	free(ra);
}

void
resolver_ares_query(struct resolver_ares *ra, const char *name, uint16_t type,
    resolver_ares_fn *fn, void *arg)
{
	struct resolver_ares_query *q = xcalloc(1, sizeof(*q));

	q->ra = ra;
	q->fn = fn;
	q->arg = arg;
	q->inside = true;
	/* RFC 1035 class IN; no search list (ares_query never searches) */
	ares_query(ra->channel, name, 1 /* C_IN */, type,
	    resolver_ares_callback, q);
	if (q->finished) {
		/* the callback ran inside ares_query: deliver from the loop */
		q->inside = false;
		if (ra->defer_timer == NULL)
			ra->defer_timer = evloop_timer_add(ra->loop, 0,
			    resolver_ares_deferred, ra);
	} else {
		q->inside = false;
	}
	resolver_ares_arm_soon(ra);
}
