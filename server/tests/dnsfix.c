/* SPDX-License-Identifier: MIT */
/*
 * dnsfix.c - the fixture DNS server of the tests: UDP and TCP on
 * loopback, on the caller's event loop
 *
 * One UDP socket and one listening TCP socket on the same port. A UDP
 * query is answered from the socket callback, or later from a timer when
 * a delay applies; a TCP connection reads length-prefixed queries (RFC
 * 1035 §4.2.2) into a buffer of one maximal message, answers each in
 * turn and queues the answers in an output buffer with a ceiling. Every
 * socket is non-blocking; nothing here waits. Connections are limited in
 * number and closed after an idle time, and answers waiting for their
 * delay are limited too, so a test that misbehaves cannot exhaust
 * anything. Only loopback peers are answered.
 * Not here: what the answer is (dnsfix_zone.c), the CLI (dnsfix_main.c).
 */
#include "dnsfix.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "xmalloc.h"

#define DNSFIX_COUNT_BUCKETS 256u
#define DNSFIX_MAX_COUNTED   65536 /* distinct (name, type) counted */
#define DNSFIX_READS_PER_CB  64    /* datagrams or reads per callback */
#define DNSFIX_BIND_TRIES    16

struct dnsfix_count {
	struct dnsfix_count *next;
	char *name;
	uint16_t type;
	unsigned long udp, tcp;
};

struct dnsfix_conn {
	struct dnsfix_conn *prev, *next;
	struct dnsfix *fix;
	int fd;
	struct evloop_timer *idle;
	size_t delayed; /* answers waiting for their delay */
	struct buf out; /* framed answers not yet sent */
	size_t outoff;  /* sent part of out */
	size_t inlen;
	uint8_t in[2 + DNSMSG_MAX_MSG];
};

struct dnsfix_delayed {
	struct dnsfix_delayed *prev, *next;
	struct dnsfix *fix;
	struct dnsfix_conn *conn; /* TCP; NULL for UDP */
	struct sockaddr_in peer;  /* UDP */
	struct evloop_timer *timer;
	size_t len;
	uint8_t msg[];
};

struct dnsfix {
	struct evloop *loop;
	int udp, tcp;
	uint16_t port;
	struct dnsfix_zone *zone;
	struct dnsfix_behaviour global;
	bool verbose;
	size_t max_conns;
	uint32_t idle_ms;
	struct dnsfix_conn *conns;
	size_t nconns;
	struct dnsfix_delayed *delayed;
	size_t ndelayed;
	struct dnsfix_count *counts[DNSFIX_COUNT_BUCKETS];
	size_t ncounted;
	uint8_t rbuf[DNSMSG_MAX_MSG + 1];
	uint8_t obuf[DNSMSG_MAX_MSG];
};

static void dnsfix_conn_close(struct dnsfix_conn *c);

static bool
dnsfix_is_loopback(const struct sockaddr_in *sin)
{
	return sin->sin_family == AF_INET &&
	    (ntohl(sin->sin_addr.s_addr) >> 24) == 127;
}

/* dnsfix_count_name - a name as counted: lowercased, no final dot */
static void
dnsfix_count_name(const char *name, char *out, size_t cap)
{
	size_t n = strlen(name), i;

	if (n > 1 && name[n - 1] == '.' && name[n - 2] != '\\')
		n--;
	if (n == 1 && name[0] == '.')
		n = 0;
	for (i = 0; i < n && i + 1 < cap; i++) {
		char c = name[i];

		out[i] = c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
	}
	out[i] = '\0';
}

static unsigned
dnsfix_count_hash(const char *name)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (const char *p = name; *p != '\0'; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	return h % DNSFIX_COUNT_BUCKETS;
}

/* dnsfix_count - one more query for (name, type); name as the question
 * reader gives it (lowercased, no final dot) */
static void
dnsfix_count(struct dnsfix *f, const char *name, uint16_t type, bool tcp)
{
	unsigned h = dnsfix_count_hash(name);
	struct dnsfix_count *c;

	for (c = f->counts[h]; c != NULL; c = c->next) {
		if (c->type == type && strcmp(c->name, name) == 0)
			break;
	}
	if (c == NULL) {
		if (f->ncounted == DNSFIX_MAX_COUNTED)
			return;
		c = xcalloc(1, sizeof(*c));
		c->name = xstrdup(name);
		c->type = type;
		c->next = f->counts[h];
		f->counts[h] = c;
		f->ncounted++;
	}
	if (tcp)
		c->tcp++;
	else
		c->udp++;
}

static unsigned long
dnsfix_count_get(const struct dnsfix *f, const char *name, uint16_t type,
    bool tcp_only)
{
	char key[DNSMSG_MAX_TEXT];
	unsigned long n = 0;

	if (name != NULL)
		dnsfix_count_name(name, key, sizeof(key));
	for (size_t b = 0; b < DNSFIX_COUNT_BUCKETS; b++) {
		for (const struct dnsfix_count *c = f->counts[b]; c != NULL;
		     c = c->next) {
			if ((name != NULL && strcmp(c->name, key) != 0) ||
			    (type != 0 && c->type != type))
				continue;
			n += c->tcp + (tcp_only ? 0 : c->udp);
		}
	}
	return n;
}

unsigned long
dnsfix_queries(const struct dnsfix *f, const char *name, uint16_t type)
{
	return dnsfix_count_get(f, name, type, false);
}

unsigned long
dnsfix_queries_tcp(const struct dnsfix *f, const char *name, uint16_t type)
{
	return dnsfix_count_get(f, name, type, true);
}

void
dnsfix_reset_counts(struct dnsfix *f)
{
	struct dnsfix_count *c, *next;

	for (size_t b = 0; b < DNSFIX_COUNT_BUCKETS; b++) {
		for (c = f->counts[b]; c != NULL; c = next) {
			next = c->next;
			free(c->name);
			free(c);
		}
		f->counts[b] = NULL;
	}
	f->ncounted = 0;
}

/* UDP */

static void
dnsfix_udp_send(struct dnsfix *f, const struct sockaddr_in *peer,
    const uint8_t *msg, size_t len)
{
	/* the socket is bound to loopback; checked again all the same */
	if (!dnsfix_is_loopback(peer))
		return;
	/* a full socket buffer loses the datagram, as UDP may */
	(void)sendto(f->udp, msg, len, MSG_DONTWAIT | MSG_NOSIGNAL,
	    (const struct sockaddr *)peer, sizeof(*peer));
}

/* Delayed answers */

static void
dnsfix_delayed_unlink(struct dnsfix_delayed *d)
{
	struct dnsfix *f = d->fix;

	if (d->prev != NULL)
		d->prev->next = d->next;
	else
		f->delayed = d->next;
	if (d->next != NULL)
		d->next->prev = d->prev;
	f->ndelayed--;
	if (d->conn != NULL)
		d->conn->delayed--;
}

static int dnsfix_conn_queue(struct dnsfix_conn *c, const uint8_t *msg,
    size_t len);

static void
dnsfix_delayed_fire(struct evloop *loop, void *arg)
{
	struct dnsfix_delayed *d = arg;

	(void)loop;
	dnsfix_delayed_unlink(d);
	if (d->conn != NULL)
		(void)dnsfix_conn_queue(d->conn, d->msg, d->len);
	else
		dnsfix_udp_send(d->fix, &d->peer, d->msg, d->len);
	free(d);
}

static void
dnsfix_delayed_add(struct dnsfix *f, struct dnsfix_conn *c,
    const struct sockaddr_in *peer, const uint8_t *msg, size_t len, uint32_t ms)
{
	struct dnsfix_delayed *d;

	if (f->ndelayed == DNSFIX_MAX_DELAYED)
		return;
	d = xcalloc(1, sizeof(*d) + len);
	d->fix = f;
	d->conn = c;
	if (peer != NULL)
		d->peer = *peer;
	d->len = len;
	memcpy(d->msg, msg, len);
	d->next = f->delayed;
	if (f->delayed != NULL)
		f->delayed->prev = d;
	f->delayed = d;
	f->ndelayed++;
	if (c != NULL)
		c->delayed++;
	d->timer = evloop_timer_add(f->loop, ms, dnsfix_delayed_fire, d);
}

/* dnsfix_delayed_cancel - those of c, or all for NULL */
static void
dnsfix_delayed_cancel(struct dnsfix *f, const struct dnsfix_conn *c)
{
	struct dnsfix_delayed *d, *next;

	for (d = f->delayed; d != NULL; d = next) {
		next = d->next;
		if (c != NULL && d->conn != c)
			continue;
		evloop_timer_cancel(f->loop, d->timer);
		dnsfix_delayed_unlink(d);
		free(d);
	}
}

/* One query, either transport */

static void
dnsfix_log(const struct dnsfix *f, const struct sockaddr_in *peer, bool tcp,
    const struct dnsfix_reply *r)
{
	char addr[INET_ADDRSTRLEN] = "?", tbuf[16];
	char name[DNSMSG_MAX_TEXT + 2];

	if (!f->verbose)
		return;
	(void)inet_ntop(AF_INET, &peer->sin_addr, addr, sizeof(addr));
	(void)snprintf(name, sizeof(name), "%s.", r->qname);
	if (!r->answer) {
		(void)fprintf(stderr,
		    "dns-fixture: %s %s:%u %s %s -> %s, "
		    "no answer\n",
		    tcp ? "tcp" : "udp", addr, (unsigned)ntohs(peer->sin_port),
		    r->has_question ? name : "-",
		    r->has_question ? dnsmsg_type_str(r->qtype, tbuf) : "-",
		    r->why);
		return;
	}
	(void)fprintf(stderr,
	    "dns-fixture: %s %s:%u %s %s -> %s rcode=%u an=%u%s delay_ms=%u\n",
	    tcp ? "tcp" : "udp", addr, (unsigned)ntohs(peer->sin_port),
	    r->has_question ? name : "-",
	    r->has_question ? dnsmsg_type_str(r->qtype, tbuf) : "-", r->why,
	    (unsigned)r->rcode, (unsigned)r->ancount, r->truncated ? " tc" : "",
	    (unsigned)r->delay_ms);
}

/* dnsfix_handle - answer the query q; -1 when c was closed */
static int
dnsfix_handle(struct dnsfix *f, struct dnsfix_conn *c,
    const struct sockaddr_in *peer, const uint8_t *q, size_t qlen)
{
	struct dnsfix_reply r;
	bool tcp = c != NULL;

	dnsfix_zone_reply(f->zone, &f->global, span_make((const char *)q, qlen),
	    tcp, f->obuf, sizeof(f->obuf), &r);
	if (r.has_question)
		dnsfix_count(f, r.qname, r.qtype, tcp);
	dnsfix_log(f, peer, tcp, &r);
	if (!r.answer)
		return 0;
	if (r.delay_ms > 0) {
		dnsfix_delayed_add(f, c, peer, f->obuf, r.len, r.delay_ms);
		return 0;
	}
	if (tcp)
		return dnsfix_conn_queue(c, f->obuf, r.len);
	dnsfix_udp_send(f, peer, f->obuf, r.len);
	return 0;
}

static void
dnsfix_udp_cb(struct evloop *loop, int fd, unsigned events, void *arg)
{
	struct dnsfix *f = arg;
	struct sockaddr_in peer;
	socklen_t plen;
	ssize_t n;

	(void)loop;
	(void)events;
	for (int i = 0; i < DNSFIX_READS_PER_CB; i++) {
		plen = sizeof(peer);
		n = recvfrom(fd, f->rbuf, sizeof(f->rbuf), MSG_DONTWAIT,
		    (struct sockaddr *)&peer, &plen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return; /* EAGAIN, or an ICMP error of an earlier send */
		}
		if (plen != sizeof(peer) || !dnsfix_is_loopback(&peer) ||
		    (size_t)n > DNSMSG_MAX_MSG)
			continue;
		(void)dnsfix_handle(f, NULL, &peer, f->rbuf, (size_t)n);
	}
}

/* TCP */

static void
dnsfix_conn_close(struct dnsfix_conn *c)
{
	struct dnsfix *f = c->fix;

	dnsfix_delayed_cancel(f, c);
	evloop_timer_cancel(f->loop, c->idle);
	evloop_fd_del(f->loop, c->fd);
	(void)close(c->fd);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		f->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	f->nconns--;
	buf_clear(&c->out);
	free(c);
}

static void dnsfix_idle_cb(struct evloop *loop, void *arg);

static void
dnsfix_conn_touch(struct dnsfix_conn *c)
{
	evloop_timer_cancel(c->fix->loop, c->idle);
	c->idle =
	    evloop_timer_add(c->fix->loop, c->fix->idle_ms, dnsfix_idle_cb, c);
}

static void
dnsfix_idle_cb(struct evloop *loop, void *arg)
{
	struct dnsfix_conn *c = arg;

	(void)loop;
	c->idle = NULL;
	/* an answer still on its way keeps the connection */
	if (c->delayed > 0 || c->outoff < c->out.len) {
		dnsfix_conn_touch(c);
		return;
	}
	dnsfix_conn_close(c);
}

/* dnsfix_conn_flush - send what is queued; -1 when c was closed */
static int
dnsfix_conn_flush(struct dnsfix_conn *c)
{
	while (c->outoff < c->out.len) {
		ssize_t n = send(c->fd, c->out.data + c->outoff,
		    c->out.len - c->outoff, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			(void)evloop_fd_mod(c->fix->loop, c->fd,
			    EVLOOP_READ | EVLOOP_WRITE);
			return 0;
		}
		if (n <= 0) {
			dnsfix_conn_close(c);
			return -1;
		}
		c->outoff += (size_t)n;
	}
	buf_reset(&c->out);
	c->outoff = 0;
	(void)evloop_fd_mod(c->fix->loop, c->fd, EVLOOP_READ);
	return 0;
}

/* dnsfix_conn_queue - one answer with its length prefix; -1 when c was
 * closed (a client that does not read its answers) */
static int
dnsfix_conn_queue(struct dnsfix_conn *c, const uint8_t *msg, size_t len)
{
	uint8_t pre[2] = { (uint8_t)(len >> 8), (uint8_t)len };

	if (buf_append(&c->out, pre, sizeof(pre)) == -1 ||
	    buf_append(&c->out, msg, len) == -1) {
		dnsfix_conn_close(c);
		return -1;
	}
	return dnsfix_conn_flush(c);
}

/* dnsfix_conn_input - answer every complete query in c->in; -1 when c
 * was closed */
static int
dnsfix_conn_input(struct dnsfix_conn *c, const struct sockaddr_in *peer)
{
	size_t off = 0;

	while (c->inlen - off >= 2) {
		size_t mlen = (size_t)c->in[off] << 8 | c->in[off + 1];

		if (c->inlen - off - 2 < mlen)
			break;
		if (dnsfix_handle(c->fix, c, peer, c->in + off + 2, mlen) == -1)
			return -1;
		off += 2 + mlen;
	}
	memmove(c->in, c->in + off, c->inlen - off);
	c->inlen -= off;
	return 0;
}

static void
dnsfix_conn_cb(struct evloop *loop, int fd, unsigned events, void *arg)
{
	struct dnsfix_conn *c = arg;
	struct sockaddr_in peer;
	socklen_t plen = sizeof(peer);

	(void)loop;
	if ((events & EVLOOP_WRITE) != 0 && dnsfix_conn_flush(c) == -1)
		return;
	if ((events & EVLOOP_READ) == 0)
		return;
	memset(&peer, 0, sizeof(peer));
	(void)getpeername(fd, (struct sockaddr *)&peer, &plen);
	for (int i = 0; i < DNSFIX_READS_PER_CB; i++) {
		/* the buffer holds one maximal message and its prefix, and
		 * complete messages are taken out: there is always room */
		ssize_t n = recv(fd, c->in + c->inlen, sizeof(c->in) - c->inlen,
		    MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			dnsfix_conn_close(c);
			return;
		}
		c->inlen += (size_t)n;
		if (dnsfix_conn_input(c, &peer) == -1)
			return;
	}
	dnsfix_conn_touch(c);
}

static void
dnsfix_accept_cb(struct evloop *loop, int fd, unsigned events, void *arg)
{
	struct dnsfix *f = arg;
	struct dnsfix_conn *c;
	struct sockaddr_in peer;
	socklen_t plen;
	int cfd;

	(void)events;
	for (int i = 0; i < DNSFIX_READS_PER_CB; i++) {
		plen = sizeof(peer);
		/* accept4 wants _GNU_SOURCE; fcntl is POSIX */
		cfd = accept(fd, (struct sockaddr *)&peer, &plen);
		if (cfd == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return;
		}
		if (f->nconns >= f->max_conns || plen != sizeof(peer) ||
		    !dnsfix_is_loopback(&peer) ||
		    fcntl(cfd, F_SETFL, O_NONBLOCK) == -1 ||
		    fcntl(cfd, F_SETFD, FD_CLOEXEC) == -1) {
			(void)close(cfd);
			continue;
		}
		c = xcalloc(1, sizeof(*c));
		c->fix = f;
		c->fd = cfd;
		buf_init(&c->out, DNSFIX_TCP_OUT_MAX);
		if (evloop_fd_add(loop, cfd, EVLOOP_READ, dnsfix_conn_cb, c) ==
		    -1) {
			(void)close(cfd);
			buf_clear(&c->out);
			free(c);
			continue;
		}
		c->next = f->conns;
		if (f->conns != NULL)
			f->conns->prev = c;
		f->conns = c;
		f->nconns++;
		dnsfix_conn_touch(c);
	}
}

/* Life cycle */

/* dnsfix_listen - UDP and TCP sockets on addr:port; 0 or -1 (errno) */
static int
dnsfix_listen(struct dnsfix *f, const struct sockaddr_in *addr)
{
	struct sockaddr_in sin = *addr;
	socklen_t len = sizeof(sin);
	int one = 1, rcvbuf = DNSFIX_RCVBUF;

	f->udp = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	/* a burst of questions (hundreds of checks at once) waits here while
	 * the loop is busy; the kernel caps the size (net.core.rmem_max) */
	if (f->udp != -1)
		(void)setsockopt(f->udp, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		    sizeof(rcvbuf));
	if (f->udp == -1 ||
	    bind(f->udp, (const struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(f->udp, (struct sockaddr *)&sin, &len) == -1)
		return -1;
	f->tcp = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (f->tcp == -1 ||
	    setsockopt(f->tcp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ==
	        -1 ||
	    bind(f->tcp, (const struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(f->tcp, 64) == -1)
		return -1;
	f->port = ntohs(sin.sin_port);
	return 0;
}

static void
dnsfix_unlisten(struct dnsfix *f)
{
	if (f->udp != -1)
		(void)close(f->udp);
	if (f->tcp != -1)
		(void)close(f->tcp);
	f->udp = f->tcp = -1;
}

struct dnsfix *
dnsfix_new(struct evloop *loop, const char *addr, uint16_t port, char **err_out)
{
	struct dnsfix *f;
	struct sockaddr_in sin;
	int err = 0;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1 ||
	    !dnsfix_is_loopback(&sin)) {
		*err_out = xasprintf("dns fixture: %s is not a loopback IPv4 "
		                     "address (127.0.0.0/8)",
		    addr);
		return NULL;
	}
	f = xcalloc(1, sizeof(*f));
	f->loop = loop;
	f->udp = f->tcp = -1;
	f->zone = dnsfix_zone_new();
	f->max_conns = DNSFIX_MAX_TCP;
	f->idle_ms = DNSFIX_TCP_IDLE_MS;
	/* an ephemeral UDP port may be taken for TCP: try another */
	for (int i = 0; i < DNSFIX_BIND_TRIES; i++) {
		if (dnsfix_listen(f, &sin) == 0)
			break;
		err = errno;
		dnsfix_unlisten(f);
		if (port != 0 || err != EADDRINUSE)
			break;
	}
	if (f->udp == -1 ||
	    evloop_fd_add(loop, f->udp, EVLOOP_READ, dnsfix_udp_cb, f) == -1 ||
	    evloop_fd_add(loop, f->tcp, EVLOOP_READ, dnsfix_accept_cb, f) ==
	        -1) {
		if (err == 0)
			err = errno;
		*err_out = xasprintf("dns fixture: cannot listen on %s:%u: %s",
		    addr, (unsigned)port, strerror(err));
		evloop_fd_del(loop, f->udp);
		dnsfix_unlisten(f);
		dnsfix_zone_free(f->zone);
		free(f);
		return NULL;
	}
	return f;
}

void
dnsfix_free(struct dnsfix *f)
{
	if (f == NULL)
		return;
	while (f->conns != NULL)
		dnsfix_conn_close(f->conns);
	dnsfix_delayed_cancel(f, NULL);
	evloop_fd_del(f->loop, f->udp);
	evloop_fd_del(f->loop, f->tcp);
	dnsfix_unlisten(f);
	dnsfix_reset_counts(f);
	dnsfix_zone_free(f->zone);
	free(f);
}

uint16_t
dnsfix_port(const struct dnsfix *f)
{
	return f->port;
}

void
dnsfix_set_zone(struct dnsfix *f, struct dnsfix_zone **z)
{
	dnsfix_zone_free(f->zone);
	f->zone = *z != NULL ? *z : dnsfix_zone_new();
	*z = NULL;
}

struct dnsfix_zone *
dnsfix_zone(struct dnsfix *f)
{
	return f->zone;
}

void
dnsfix_set_behaviour(struct dnsfix *f, const struct dnsfix_behaviour *b)
{
	if (b != NULL)
		f->global = *b;
	else
		memset(&f->global, 0, sizeof(f->global));
}

void
dnsfix_set_tcp_limits(struct dnsfix *f, size_t max_conns, uint32_t idle_ms)
{
	f->max_conns = max_conns;
	f->idle_ms = idle_ms;
}

void
dnsfix_set_verbose(struct dnsfix *f, bool verbose)
{
	f->verbose = verbose;
}

size_t
dnsfix_tcp_conns(const struct dnsfix *f)
{
	return f->nconns;
}
