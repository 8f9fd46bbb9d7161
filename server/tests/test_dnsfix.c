/* SPDX-License-Identifier: MIT */
/*
 * test_dnsfix.c - unit tests for dnsfix.h: the fixture DNS server on an
 * event loop, queried over real UDP and TCP sockets from the same loop
 *
 * The client is non-blocking and every wait has a deadline: a poll timer
 * checks every few milliseconds whether what the test waits for has
 * happened, and a deadline timer ends the wait regardless. Timing checks
 * are lower bounds only ("the delayed answer took at least its delay"),
 * never upper bounds. alarm() ends a test that hangs anyway.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "dnsfix.h"
#include "dnsmsg.h"
#include "evloop.h"
#include "test.h"

#define T_WAIT_MS     5000 /* deadline for an answer that must come */
#define T_SILENCE_MS  300  /* how long "no answer" is waited for */
#define T_DELAY_MS    400
#define T_POLL_MS     2
#define T_MAX_ANSWERS 4
#define T_MAX_WATCH   8

/* One client socket: UDP (one query, one answer) or TCP (length-prefixed
 * queries and answers). */
struct t_client {
	struct evloop *loop;
	int fd;
	bool tcp;
	bool connecting;
	bool eof;
	uint8_t out[4096];
	size_t outlen, outoff;
	uint8_t in[2 * (2 + DNSMSG_MAX_MSG)];
	size_t inlen;
	size_t want; /* answers expected */
	size_t got;
	size_t off[T_MAX_ANSWERS], len[T_MAX_ANSWERS];
	uint64_t sent_ms, got_ms[T_MAX_ANSWERS];
};

static struct evloop *t_loop;
static struct dnsfix *t_fix;
static uint16_t t_port;
static uint16_t t_id = 1000;
static uint16_t t_edns; /* EDNS payload the queries advertise; 0: none */

static bool
t_client_done(const struct t_client *c)
{
	return c->eof || c->got >= c->want;
}

/* t_client_read - what has arrived; answers are framed in c->in */
static void
t_client_read(struct t_client *c)
{
	ssize_t n;

	for (;;) {
		n = recv(c->fd, c->in + c->inlen, sizeof(c->in) - c->inlen,
		    MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return;
		if (n == 0 && c->tcp) {
			c->eof = true;
			return;
		}
		if (!c->tcp) {
			if (c->got < T_MAX_ANSWERS) {
				c->off[c->got] = c->inlen;
				c->len[c->got] = (size_t)n;
				c->got_ms[c->got++] = evloop_now_ms();
			}
			c->inlen += (size_t)n;
			continue;
		}
		c->inlen += (size_t)n;
		/* frames after those already taken */
		for (;;) {
			size_t at = c->got == 0 ?
			    0 :
			    c->off[c->got - 1] + c->len[c->got - 1];
			size_t l;

			if (c->got == T_MAX_ANSWERS || c->inlen - at < 2)
				break;
			l = (size_t)c->in[at] << 8 | c->in[at + 1];
			if (c->inlen - at - 2 < l)
				break;
			c->off[c->got] = at + 2;
			c->len[c->got] = l;
			c->got_ms[c->got++] = evloop_now_ms();
		}
	}
}

static void
t_client_flush(struct t_client *c)
{
	while (c->outoff < c->outlen) {
		ssize_t n = send(c->fd, c->out + c->outoff,
		    c->outlen - c->outoff, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n <= 0)
			break;
		c->outoff += (size_t)n;
	}
	(void)evloop_fd_mod(c->loop, c->fd,
	    EVLOOP_READ | (c->outoff < c->outlen ? EVLOOP_WRITE : 0u));
}

static void
t_client_cb(struct evloop *loop, int fd, unsigned events, void *arg)
{
	struct t_client *c = arg;

	(void)loop;
	(void)fd;
	if (c->connecting && (events & EVLOOP_WRITE) != 0)
		c->connecting = false;
	if (!c->connecting && (events & EVLOOP_WRITE) != 0)
		t_client_flush(c);
	if ((events & EVLOOP_READ) != 0)
		t_client_read(c);
}

/* t_client_open - a socket connected (or connecting) to the fixture */
static bool
t_client_open(struct t_client *c, bool tcp)
{
	struct sockaddr_in sin;
	int rc;

	memset(c, 0, sizeof(*c));
	c->loop = t_loop;
	c->tcp = tcp;
	c->fd = socket(AF_INET,
	    (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd == -1)
		return false;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(t_port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	rc = connect(c->fd, (struct sockaddr *)&sin, sizeof(sin));
	if (rc == -1 && errno != EINPROGRESS) {
		(void)close(c->fd);
		return false;
	}
	c->connecting = rc == -1;
	return evloop_fd_add(t_loop, c->fd,
	           EVLOOP_READ | (c->connecting ? EVLOOP_WRITE : 0u),
	           t_client_cb, c) == 0;
}

static void
t_client_close(struct t_client *c)
{
	evloop_fd_del(t_loop, c->fd);
	(void)close(c->fd);
	c->fd = -1;
}

/* t_client_send - one message (framed over TCP), sent as soon as it can */
static void
t_client_send(struct t_client *c, const uint8_t *msg, size_t len)
{
	if (c->want == 0)
		c->sent_ms = evloop_now_ms();
	c->want++;
	if (!c->tcp) {
		(void)send(c->fd, msg, len, MSG_DONTWAIT | MSG_NOSIGNAL);
		return;
	}
	if (c->outlen + 2 + len > sizeof(c->out))
		return;
	c->out[c->outlen++] = (uint8_t)(len >> 8);
	c->out[c->outlen++] = (uint8_t)len;
	memcpy(c->out + c->outlen, msg, len);
	c->outlen += len;
	if (!c->connecting)
		t_client_flush(c);
}

/* t_query - a query for (name, type) with a fresh id into buf */
static size_t
t_query(uint8_t *buf, size_t cap, const char *name, uint16_t type)
{
	struct dnsmsg_writer w;

	dnsmsg_writer_init(&w, buf, cap);
	if (dnsmsg_write_header(&w, t_id++, DNSMSG_F_RD, name, type) == -1)
		return 0;
	if (t_edns > 0)
		(void)dnsmsg_write_opt(&w, t_edns);
	return w.len;
}

/* Waiting */

struct t_wait {
	struct t_client *watch[T_MAX_WATCH];
	size_t nwatch;
	bool (*pred)(void *);
	void *arg;
	bool deadline;
	struct evloop_timer *poll;
};

static bool
t_wait_done(const struct t_wait *w)
{
	if (w->pred != NULL)
		return w->pred(w->arg);
	for (size_t i = 0; i < w->nwatch; i++) {
		if (!t_client_done(w->watch[i]))
			return false;
	}
	return true;
}

static void
t_poll_cb(struct evloop *loop, void *arg)
{
	struct t_wait *w = arg;

	w->poll = NULL;
	if (t_wait_done(w)) {
		evloop_stop(loop);
		return;
	}
	w->poll = evloop_timer_add(loop, T_POLL_MS, t_poll_cb, w);
}

static void
t_deadline_cb(struct evloop *loop, void *arg)
{
	struct t_wait *w = arg;

	w->deadline = true;
	evloop_stop(loop);
}

/* t_run - the loop until w is done or ms passed; true when done */
static bool
t_run(struct t_wait *w, uint64_t ms)
{
	struct evloop_timer *dl;

	w->deadline = false;
	dl = evloop_timer_add(t_loop, ms, t_deadline_cb, w);
	w->poll = evloop_timer_add(t_loop, 0, t_poll_cb, w);
	evloop_run(t_loop);
	evloop_timer_cancel(t_loop, w->poll);
	w->poll = NULL;
	if (!w->deadline)
		evloop_timer_cancel(t_loop, dl);
	return t_wait_done(w);
}

/* t_run_clients - until every client is done, or ms */
static bool
t_run_clients(struct t_client **cs, size_t n, uint64_t ms)
{
	struct t_wait w;

	memset(&w, 0, sizeof(w));
	for (size_t i = 0; i < n && i < T_MAX_WATCH; i++)
		w.watch[w.nwatch++] = cs[i];
	return t_run(&w, ms);
}

/* t_sleep - run the loop for ms (the server works meanwhile) */
static void
t_sleep(uint64_t ms)
{
	struct t_wait w;

	memset(&w, 0, sizeof(w));
	w.nwatch = 1;
	{
		struct t_client never;

		memset(&never, 0, sizeof(never));
		never.want = 1;
		w.watch[0] = &never;
		(void)t_run(&w, ms);
	}
}

/* Asking */

static uint8_t t_last[DNSMSG_MAX_MSG]; /* the last answer, raw */
static size_t t_last_len;
static uint64_t t_last_ms; /* how long it took */

/* t_ask - one query, its answer parsed into ans; false when no answer
 * came before ms */
static bool
t_ask(struct arena *a, const char *name, uint16_t type, bool tcp, uint64_t ms,
    struct dnsmsg_answer *ans)
{
	static struct t_client c;
	struct t_client *cp = &c;
	uint8_t q[600];
	size_t qlen = t_query(q, sizeof(q), name, type);
	bool ok;

	memset(ans, 0, sizeof(*ans));
	ans->status = DNSMSG_TIMEOUT;
	t_last_len = 0;
	if (qlen == 0 || !t_client_open(&c, tcp))
		return false;
	t_client_send(&c, q, qlen);
	ok = t_run_clients(&cp, 1, ms) && c.got > 0;
	if (ok) {
		memcpy(t_last, c.in + c.off[0], c.len[0]);
		t_last_len = c.len[0];
		t_last_ms = c.got_ms[0] - c.sent_ms;
		(void)dnsmsg_parse(a,
		    span_make((const char *)t_last, t_last_len), name, type,
		    ans);
	}
	t_client_close(&c);
	return ok;
}

static uint16_t
t_last_ancount(void)
{
	if (t_last_len < 12)
		return 0;
	return (uint16_t)(t_last[6] << 8 | t_last[7]);
}

static bool
t_last_tc(void)
{
	return t_last_len >= 12 && (t_last[2] & (DNSMSG_F_TC >> 8)) != 0;
}

/* t_silent - queries (name[i], type[i]) at once over UDP and TCP; true
 * when none of them is answered within T_SILENCE_MS */
static bool
t_silent(const char *const *names, const uint16_t *types, size_t n)
{
	static struct t_client cs[T_MAX_WATCH];
	struct t_client *cp[T_MAX_WATCH];
	uint8_t q[600];
	size_t m = 0, qlen;
	bool quiet = true;

	for (size_t i = 0; i < n && m + 2 <= T_MAX_WATCH; i++) {
		for (int tcp = 0; tcp <= 1; tcp++) {
			qlen = t_query(q, sizeof(q), names[i], types[i]);
			if (!t_client_open(&cs[m], tcp == 1))
				return false;
			t_client_send(&cs[m], q, qlen);
			cp[m] = &cs[m];
			m++;
		}
	}
	(void)t_run_clients(cp, m, T_SILENCE_MS);
	for (size_t i = 0; i < m; i++) {
		quiet = quiet && cs[i].got == 0;
		t_client_close(&cs[i]);
	}
	return quiet;
}

/* Tests */

static void
test_new(void)
{
	static const char *const bad[] = { "0.0.0.0", "192.0.2.1", "::1",
		"localhost", "10.0.0.1" };
	char *err;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct dnsfix *f;

		err = NULL;
		f = dnsfix_new(t_loop, bad[i], 0, &err);
		CHECK(f == NULL && err != NULL, "refuses to listen on %s: %s",
		    bad[i], err != NULL ? err : "(listening)");
		dnsfix_free(f);
		free(err);
	}
	err = NULL;
	t_fix = dnsfix_new(t_loop, "127.0.0.1", 0, &err);
	CHECK(t_fix != NULL, "listens on 127.0.0.1:0 (%s)",
	    err != NULL ? err : "ok");
	free(err);
	if (t_fix == NULL)
		exit(test_done());
	t_port = dnsfix_port(t_fix);
	CHECK(t_port != 0, "an ephemeral port: %u", (unsigned)t_port);
}

/* t_zone_basic - records of every type, built in code */
static void
t_zone_basic(void)
{
	struct dnsfix_zone *z = dnsfix_zone_new();
	struct span multi[2] = { SPAN_LIT("v=spf1 "), SPAN_LIT("-all") };
	struct span odd = SPAN_LIT("a\0b\r\nc");
	int rc = 0;

	rc |= dnsfix_add_a(z, "Example.COM.", 60, "192.0.2.1");
	rc |= dnsfix_add_a(z, "example.com", DNSFIX_TTL, "192.0.2.2");
	rc |= dnsfix_add_aaaa(z, "example.com", DNSFIX_TTL, "2001:db8::1");
	rc |=
	    dnsfix_add_mx(z, "example.com", DNSFIX_TTL, 10, "MX.example.com.");
	rc |= dnsfix_add_txt(z, "example.com", DNSFIX_TTL, "v=spf1 mx -all");
	rc |= dnsfix_add_mx(z, "nullmx.example.com", DNSFIX_TTL, 0, "");
	rc |= dnsfix_add_strings(z, "multi.example.com", DNSMSG_T_TXT, 30,
	    multi, 2);
	rc |= dnsfix_add_strings(z, "multi.example.com", DNSMSG_T_TXT, 30, NULL,
	    0);
	rc |= dnsfix_add_strings(z, "multi.example.com", DNSMSG_T_TXT, 30, &odd,
	    1);
	rc |= dnsfix_add_ptr(z, "1.2.0.192.in-addr.arpa", DNSFIX_TTL,
	    "Host.Example.com.");
	rc |= dnsfix_add_cname(z, "alias.example.com", 100, "example.com");
	rc |= dnsfix_add_cname(z, "alias2.example.com", 200,
	    "ALIAS.example.com.");
	rc |=
	    dnsfix_add_cname(z, "loop1.example.com", 100, "loop2.example.com");
	rc |=
	    dnsfix_add_cname(z, "loop2.example.com", 100, "loop1.example.com");
	rc |= dnsfix_add_cname(z, "dangling.example.com", 100,
	    "nowhere.example.com");
	rc |= dnsfix_add_name(z, "empty.example.com");
	rc |= dnsfix_add_rr(z, "raw.example.com", 257, 300,
	    (const uint8_t *)"\0\5issueca", 9);
	CHECK(rc == 0, "zone built in code");
	CHECK(dnsfix_add_a(z, "x.example", 1, "192.0.2.300") == -1 &&
	        dnsfix_add_aaaa(z, "x.example", 1, "192.0.2.1") == -1 &&
	        dnsfix_add_cname(z, "x..example", 1, "a") == -1 &&
	        dnsfix_add_ptr(z, "x.example", 1, "a..b") == -1,
	    "invalid addresses and names are -1");
	dnsfix_zone_negative_ttl(z, 77);
	dnsfix_set_zone(t_fix, &z);
	CHECK(z == NULL, "set_zone takes the zone");
}

static void
test_types(struct arena *a)
{
	struct dnsmsg_answer ans;
	const struct dnsmsg_record *r;
	bool ok;

	t_zone_basic();
	for (int tcp = 0; tcp <= 1; tcp++) {
		const char *tr = tcp ? "tcp" : "udp";

		ok = t_ask(a, "example.com", DNSMSG_T_A, tcp, T_WAIT_MS, &ans);
		CHECK(ok && ans.status == DNSMSG_OK && ans.nrecords == 2 &&
		        ans.records[0].u.a[3] == 1 && ans.ttl == 60,
		    "%s: A, two records, ttl 60 (%s)", tr,
		    dnsmsg_status_str(ans.status));
		CHECK(t_ask(a, "EXAMPLE.Com.", DNSMSG_T_AAAA, tcp, T_WAIT_MS,
		          &ans) &&
		        ans.status == DNSMSG_OK && ans.nrecords == 1 &&
		        ans.records[0].u.aaaa[15] == 1,
		    "%s: AAAA, name case-insensitive", tr);
		CHECK(t_ask(a, "example.com", DNSMSG_T_MX, tcp, T_WAIT_MS,
		          &ans) &&
		        ans.nrecords == 1 &&
		        ans.records[0].u.mx.preference == 10 &&
		        test_streq(ans.records[0].u.mx.host, "mx.example.com"),
		    "%s: MX", tr);
		CHECK(t_ask(a, "nullmx.example.com", DNSMSG_T_MX, tcp,
		          T_WAIT_MS, &ans) &&
		        ans.nrecords == 1 &&
		        test_streq(ans.records[0].u.mx.host, ""),
		    "%s: null MX", tr);
		CHECK(t_ask(a, "1.2.0.192.in-addr.arpa", DNSMSG_T_PTR, tcp,
		          T_WAIT_MS, &ans) &&
		        ans.nrecords == 1 &&
		        test_streq(ans.records[0].u.name, "host.example.com"),
		    "%s: PTR", tr);
		CHECK(t_ask(a, "multi.example.com", DNSMSG_T_TXT, tcp,
		          T_WAIT_MS, &ans) &&
		        ans.nrecords == 3,
		    "%s: three TXT records", tr);
		r = ans.records;
		CHECK(ans.nrecords == 3 && r[0].u.txt.nstrings == 2 &&
		        r[0].u.txt.len == 11 &&
		        memcmp(r[0].u.txt.data, "v=spf1 -all", 11) == 0 &&
		        r[1].u.txt.nstrings == 0 && r[1].u.txt.len == 0 &&
		        r[2].u.txt.len == 6 &&
		        memcmp(r[2].u.txt.data, "a\0b\r\nc", 6) == 0 &&
		        ans.ttl == 30,
		    "%s: multi-string, empty, and NUL/CR/LF TXT records", tr);
		CHECK(t_ask(a, "raw.example.com", 257, tcp, T_WAIT_MS, &ans) &&
		        ans.status == DNSMSG_OK && ans.records[0].type == 257,
		    "%s: a record with raw RDATA", tr);
	}
}

static void
test_negative(struct arena *a)
{
	struct dnsmsg_answer ans;
	bool ok =
	    t_ask(a, "nx.example.com", DNSMSG_T_A, false, T_WAIT_MS, &ans);

	CHECK(ok && ans.status == DNSMSG_NXDOMAIN && ans.ttl == 77,
	    "NXDOMAIN with the SOA's negative TTL (%s, ttl %u)",
	    dnsmsg_status_str(ans.status), ans.ttl);
	CHECK(t_ask(a, "example.com", DNSMSG_T_PTR, false, T_WAIT_MS, &ans) &&
	        ans.status == DNSMSG_NODATA && ans.ttl == 77,
	    "NODATA for a type the name has not");
	CHECK(t_ask(a, "empty.example.com", DNSMSG_T_A, true, T_WAIT_MS,
	          &ans) &&
	        ans.status == DNSMSG_NODATA,
	    "a name without records: NODATA");
	CHECK(t_ask(a, "com", DNSMSG_T_A, false, T_WAIT_MS, &ans) &&
	        ans.status == DNSMSG_NXDOMAIN,
	    "a parent of a name is not in the zone");
}

static void
test_cname(struct arena *a)
{
	struct dnsmsg_answer ans;
	bool ok =
	    t_ask(a, "alias2.example.com", DNSMSG_T_A, false, T_WAIT_MS, &ans);

	CHECK(ok && ans.status == DNSMSG_OK && ans.nrecords == 2 &&
	        test_streq(ans.canonical, "example.com") && ans.ttl == 60 &&
	        t_last_ancount() == 4,
	    "CNAME chain chased by the server: 2 CNAMEs + 2 A (%u)",
	    (unsigned)t_last_ancount());
	CHECK(t_ask(a, "alias.example.com", DNSMSG_T_CNAME, false, T_WAIT_MS,
	          &ans) &&
	        ans.nrecords == 1 &&
	        test_streq(ans.records[0].u.name, "example.com") &&
	        t_last_ancount() == 1,
	    "a CNAME query gets the CNAME only");
	CHECK(t_ask(a, "dangling.example.com", DNSMSG_T_A, false, T_WAIT_MS,
	          &ans) &&
	        ans.status == DNSMSG_NXDOMAIN && t_last_ancount() == 1 &&
	        test_streq(ans.canonical, "nowhere.example.com"),
	    "a CNAME to a missing name: NXDOMAIN with the CNAME (RFC 6604)");
	CHECK(t_ask(a, "loop1.example.com", DNSMSG_T_A, true, T_WAIT_MS,
	          &ans) &&
	        ans.status == DNSMSG_SERVFAIL,
	    "a CNAME loop: SERVFAIL");
}

static const char t_spf_zone[] =
    "{\"names\": {\n"
    " \"both.example.net\": [{\"TXT\": \"txt\"},"
    " {\"SPF\": \"spf\"}],\n"
    " \"spfonly.example.net\": [{\"SPF\": \"spf\"},"
    " {\"TXT\": \"NONE\"}],\n"
    " \"copy.example.net\": [{\"SPF\": [\"a\", "
    "\"b\"], \"ttl\": 20}],\n"
    " \"spftimeout.example.net\": [{\"TXT\": "
    "\"txt\"}, \"TIMEOUT\"],\n"
    " \"txttimeout.example.net\": [{\"SPF\": "
    "\"spf\"}, {\"TXT\": \"NONE\"}, \"TIMEOUT\"],\n"
    " \"copytimeout.example.net\": [{\"SPF\": "
    "\"spf\"}, \"TIMEOUT\"],\n"
    " \"alltimeout.example.net\": [\"TIMEOUT\"],\n"
    " \"after.example.net\": [{\"A\": "
    "\"192.0.2.1\"}, \"TIMEOUT\", {\"AAAA\": "
    "\"::1\"}],\n"
    " \"literal.example.net\": [{\"TXT\": "
    "[\"NONE\"]}, {\"TXT\": \"x\\u0000y\"}]\n"
    "}}";

static bool
t_txt_is(const struct dnsmsg_answer *ans, uint16_t type, const char *s)
{
	size_t n = strlen(s);

	return ans->status == DNSMSG_OK && ans->nrecords == 1 &&
	    ans->records[0].type == type && ans->records[0].u.txt.len == n &&
	    memcmp(ans->records[0].u.txt.data, s, n) == 0;
}

/* test_spf_rules - the suites' zonedata semantics, from a JSON zone */
static void
test_spf_rules(struct arena *a)
{
	static const char *const quiet_names[] = { "spftimeout.example.net",
		"txttimeout.example.net", "alltimeout.example.net",
		"after.example.net" };
	static const uint16_t quiet_types[] = { DNSMSG_T_SPF, DNSMSG_T_TXT,
		DNSMSG_T_A, DNSMSG_T_AAAA };
	struct dnsfix_zone *z;
	struct dnsmsg_answer ans;
	char *err = NULL;

	z = dnsfix_zone_load_json(t_spf_zone, sizeof(t_spf_zone) - 1,
	    "spf zone", &err);
	CHECK(z != NULL, "SPF zone loaded (%s)", err != NULL ? err : "ok");
	free(err);
	if (z == NULL)
		return;
	dnsfix_set_zone(t_fix, &z);

	CHECK(t_ask(a, "both.example.net", DNSMSG_T_TXT, false, T_WAIT_MS,
	          &ans) &&
	        t_txt_is(&ans, DNSMSG_T_TXT, "txt"),
	    "a name with TXT and SPF: TXT answers its own only");
	CHECK(t_ask(a, "both.example.net", DNSMSG_T_SPF, false, T_WAIT_MS,
	          &ans) &&
	        t_txt_is(&ans, DNSMSG_T_SPF, "spf"),
	    "and SPF answers type 99");
	CHECK(t_ask(a, "copy.example.net", DNSMSG_T_TXT, false, T_WAIT_MS,
	          &ans) &&
	        t_txt_is(&ans, DNSMSG_T_TXT, "ab") &&
	        ans.records[0].u.txt.nstrings == 2 && ans.ttl == 20,
	    "SPF only: served as TXT too, strings and TTL kept");
	CHECK(t_ask(a, "spfonly.example.net", DNSMSG_T_TXT, false, T_WAIT_MS,
	          &ans) &&
	        ans.status == DNSMSG_NODATA,
	    "TXT: NONE stops the copying: NODATA");
	CHECK(t_ask(a, "spfonly.example.net", DNSMSG_T_SPF, false, T_WAIT_MS,
	          &ans) &&
	        t_txt_is(&ans, DNSMSG_T_SPF, "spf"),
	    "TXT: NONE leaves SPF alone");
	CHECK(t_ask(a, "spftimeout.example.net", DNSMSG_T_TXT, false, T_WAIT_MS,
	          &ans) &&
	        t_txt_is(&ans, DNSMSG_T_TXT, "txt"),
	    "TIMEOUT: a TXT listed before the marker is answered");
	CHECK(t_ask(a, "txttimeout.example.net", DNSMSG_T_SPF, true, T_WAIT_MS,
	          &ans) &&
	        t_txt_is(&ans, DNSMSG_T_SPF, "spf"),
	    "TIMEOUT: an SPF listed before the marker is answered");
	CHECK(t_ask(a, "copytimeout.example.net", DNSMSG_T_TXT, false,
	          T_WAIT_MS, &ans) &&
	        t_txt_is(&ans, DNSMSG_T_TXT, "spf"),
	    "TIMEOUT: an SPF before the marker is copied to TXT");
	CHECK(t_ask(a, "after.example.net", DNSMSG_T_A, false, T_WAIT_MS,
	          &ans) &&
	        ans.status == DNSMSG_OK,
	    "TIMEOUT: an A before the marker is answered");
	CHECK(t_ask(a, "literal.example.net", DNSMSG_T_TXT, false, T_WAIT_MS,
	          &ans) &&
	        ans.nrecords == 2 && ans.records[0].u.txt.len == 4 &&
	        memcmp(ans.records[1].u.txt.data, "x\0y", 3) == 0,
	    "[\"NONE\"] is a literal record; \\u0000 is a NUL");
	CHECK(t_silent(quiet_names, quiet_types, 4),
	    "TIMEOUT: no answer over UDP or TCP for SPF after the marker, TXT "
	    "with only NONE before it, a bare marker, an AAAA after it");
	CHECK(dnsfix_queries(t_fix, "alltimeout.example.net", DNSMSG_T_A) == 2,
	    "unanswered queries are counted");
}

static void
test_behaviours(struct arena *a)
{
	static const char *const names[] = { "example.com" };
	static const uint16_t types[] = { DNSMSG_T_A };
	static const char *const dropn[] = { "drop.example.com" };
	struct dnsfix_behaviour b;
	struct dnsmsg_answer ans;
	struct dnsfix_zone *z;

	t_zone_basic();
	z = dnsfix_zone(t_fix);
	(void)dnsfix_add_a(z, "drop.example.com", 1, "192.0.2.9");
	(void)dnsfix_add_a(z, "tc.example.com", 1, "192.0.2.9");
	(void)dnsfix_add_a(z, "fail.example.com", 1, "192.0.2.9");
	dnsfix_reset_counts(t_fix);

	memset(&b, 0, sizeof(b));
	b.drop = true;
	dnsfix_set_behaviour(t_fix, &b);
	CHECK(t_silent(names, types, 1),
	    "server-wide drop: no answer over UDP or TCP");
	CHECK(dnsfix_queries(t_fix, "example.com", DNSMSG_T_A) == 2 &&
	        dnsfix_queries_tcp(t_fix, "example.com", DNSMSG_T_A) == 1,
	    "dropped queries reached the server: 2, 1 over TCP");
	dnsfix_set_behaviour(t_fix, NULL);

	CHECK(dnsfix_zone_behaviour(z, "DROP.example.com.", &b) == 0,
	    "per-name behaviour set");
	CHECK(t_silent(dropn, types, 1), "per-name drop");
	CHECK(t_ask(a, "example.com", DNSMSG_T_A, false, T_WAIT_MS, &ans) &&
	        ans.status == DNSMSG_OK,
	    "other names are answered");

	memset(&b, 0, sizeof(b));
	b.servfail = true;
	(void)dnsfix_zone_behaviour(z, "fail.example.com", &b);
	CHECK(t_ask(a, "fail.example.com", DNSMSG_T_A, false, T_WAIT_MS,
	          &ans) &&
	        ans.status == DNSMSG_SERVFAIL && ans.rcode == 2,
	    "per-name servfail");
	b.servfail = false;
	b.refused = true;
	(void)dnsfix_zone_behaviour(z, "fail.example.com", &b);
	CHECK(t_ask(a, "fail.example.com", DNSMSG_T_A, true, T_WAIT_MS, &ans) &&
	        ans.status == DNSMSG_SERVFAIL && ans.rcode == 5,
	    "per-name refused: rcode 5");
	b.refused = false;
	b.servfail = true;
	(void)dnsfix_zone_behaviour(z, "*", &b);
	CHECK(t_ask(a, "example.com", DNSMSG_T_A, false, T_WAIT_MS, &ans) &&
	        ans.status == DNSMSG_SERVFAIL,
	    "zone-wide servfail (\"*\")");
	memset(&b, 0, sizeof(b));
	(void)dnsfix_zone_behaviour(z, NULL, &b);

	b.truncate = true;
	(void)dnsfix_zone_behaviour(z, "tc.example.com", &b);
	dnsfix_reset_counts(t_fix);
	CHECK(t_ask(a, "tc.example.com", DNSMSG_T_A, false, T_WAIT_MS, &ans) &&
	        ans.truncated && t_last_tc() && t_last_ancount() == 0 &&
	        ans.nrecords == 0,
	    "truncate: the UDP answer has TC and no records");
	CHECK(t_ask(a, "tc.example.com", DNSMSG_T_A, true, T_WAIT_MS, &ans) &&
	        ans.status == DNSMSG_OK && !ans.truncated && ans.nrecords == 1,
	    "truncate: the TCP retry gets the full answer");
	CHECK(dnsfix_queries(t_fix, "tc.example.com", DNSMSG_T_A) == 2 &&
	        dnsfix_queries_tcp(t_fix, "tc.example.com", DNSMSG_T_A) == 1,
	    "truncate: one query per transport");
	memset(&b, 0, sizeof(b));
	b.truncate = true;
	dnsfix_set_behaviour(t_fix, &b);
	CHECK(t_ask(a, "example.com", DNSMSG_T_MX, false, T_WAIT_MS, &ans) &&
	        ans.truncated && ans.nrecords == 0,
	    "server-wide truncate");
	dnsfix_set_behaviour(t_fix, NULL);
}

/* test_large - an answer over 512 octets: TC over plain UDP, whole over
 * UDP with EDNS and over TCP */
static void
test_large(struct arena *a)
{
	struct dnsfix_zone *z = dnsfix_zone(t_fix);
	char s[101];
	struct dnsmsg_answer ans;
	bool ok;

	memset(s, 'q', 100);
	s[100] = '\0';
	for (int i = 0; i < 20; i++)
		(void)dnsfix_add_txt(z, "big.example.com", DNSFIX_TTL, s);
	CHECK(t_ask(a, "big.example.com", DNSMSG_T_TXT, false, T_WAIT_MS,
	          &ans) &&
	        t_last_tc() && ans.nrecords == 0 && t_last_len <= 512,
	    "2 KB over UDP without EDNS: TC, no records");
	t_edns = 4096;
	ok = t_ask(a, "big.example.com", DNSMSG_T_TXT, false, T_WAIT_MS, &ans);
	CHECK(ok && !t_last_tc() && ans.nrecords == 20,
	    "with EDNS 4096: the whole answer over UDP (%zu octets)",
	    t_last_len);
	t_edns = 1232;
	CHECK(t_ask(a, "big.example.com", DNSMSG_T_TXT, false, T_WAIT_MS,
	          &ans) &&
	        t_last_tc() && t_last_len <= 1232,
	    "with EDNS 1232: TC");
	t_edns = 0;
	CHECK(t_ask(a, "big.example.com", DNSMSG_T_TXT, true, T_WAIT_MS,
	          &ans) &&
	        ans.nrecords == 20,
	    "over TCP: the whole answer");
}

/* test_delay - a slow name is answered late, and others meanwhile */
static void
test_delay(struct arena *a)
{
	struct dnsfix_zone *z = dnsfix_zone(t_fix);
	struct dnsfix_behaviour b;
	static struct t_client slow, fast, slowtcp;
	struct t_client *cs[3] = { &slow, &fast, &slowtcp };
	struct dnsmsg_answer ans;
	uint8_t q[600];
	size_t qlen;
	bool done;

	memset(&b, 0, sizeof(b));
	b.delay_ms = T_DELAY_MS;
	(void)dnsfix_add_a(z, "slow.example.com", 1, "192.0.2.5");
	(void)dnsfix_zone_behaviour(z, "slow.example.com", &b);

	if (!t_client_open(&slow, false) || !t_client_open(&fast, false) ||
	    !t_client_open(&slowtcp, true)) {
		CHECK(false, "clients open");
		return;
	}
	qlen = t_query(q, sizeof(q), "slow.example.com", DNSMSG_T_A);
	t_client_send(&slow, q, qlen);
	qlen = t_query(q, sizeof(q), "slow.example.com", DNSMSG_T_A);
	t_client_send(&slowtcp, q, qlen);
	qlen = t_query(q, sizeof(q), "example.com", DNSMSG_T_A);
	t_client_send(&fast, q, qlen);
	done = t_run_clients(cs, 3, T_WAIT_MS);
	CHECK(done && slow.got == 1 && slowtcp.got == 1 && fast.got == 1,
	    "all three answered");
	CHECK(slow.got == 1 && slow.got_ms[0] - slow.sent_ms >= T_DELAY_MS,
	    "UDP: the delayed answer took at least %d ms (%llu)", T_DELAY_MS,
	    (unsigned long long)(slow.got_ms[0] - slow.sent_ms));
	CHECK(slowtcp.got == 1 &&
	        slowtcp.got_ms[0] - slowtcp.sent_ms >= T_DELAY_MS,
	    "TCP: the delayed answer took at least %d ms", T_DELAY_MS);
	CHECK(fast.got == 1 && slow.got == 1 &&
	        fast.got_ms[0] <= slow.got_ms[0],
	    "a query for another name was answered meanwhile");
	if (slow.got == 1) {
		(void)dnsmsg_parse(a,
		    span_make((const char *)slow.in + slow.off[0], slow.len[0]),
		    "slow.example.com", DNSMSG_T_A, &ans);
		CHECK(ans.status == DNSMSG_OK, "the delayed answer is whole");
	}
	t_client_close(&slow);
	t_client_close(&fast);
	t_client_close(&slowtcp);

	/* a client that leaves before its delayed answer */
	if (!t_client_open(&slowtcp, true))
		return;
	qlen = t_query(q, sizeof(q), "slow.example.com", DNSMSG_T_A);
	t_client_send(&slowtcp, q, qlen);
	t_sleep(50);
	CHECK(dnsfix_tcp_conns(t_fix) == 1, "the connection waits");
	t_client_close(&slowtcp);
	t_sleep(T_DELAY_MS + 100);
	CHECK(dnsfix_tcp_conns(t_fix) == 0,
	    "a connection closed by the client before its answer is gone");
}

/* test_tcp - pipelining, split writes, garbage, limits, idle timeout */
static void
test_tcp(struct arena *a)
{
	static struct t_client c, d, e;
	struct t_client *cp[3] = { &c, &d, &e };
	struct dnsmsg_answer ans;
	uint8_t q1[600], q2[600];
	size_t l1, l2, n;
	uint16_t id1, id2;

	if (!t_client_open(&c, true))
		return;
	l1 = t_query(q1, sizeof(q1), "example.com", DNSMSG_T_A);
	l2 = t_query(q2, sizeof(q2), "example.com", DNSMSG_T_MX);
	id1 = (uint16_t)(q1[0] << 8 | q1[1]);
	id2 = (uint16_t)(q2[0] << 8 | q2[1]);
	t_client_send(&c, q1, l1);
	t_client_send(&c, q2, l2);
	CHECK(t_run_clients(cp, 1, T_WAIT_MS) && c.got == 2 &&
	        (c.in[c.off[0]] << 8 | c.in[c.off[0] + 1]) == id1 &&
	        (c.in[c.off[1]] << 8 | c.in[c.off[1] + 1]) == id2,
	    "two pipelined queries on one connection: two answers in order");
	t_client_close(&c);

	/* one query in two writes */
	if (!t_client_open(&c, true))
		return;
	l1 = t_query(q1 + 2, sizeof(q1) - 2, "example.com", DNSMSG_T_A);
	q1[0] = (uint8_t)(l1 >> 8);
	q1[1] = (uint8_t)l1;
	c.want = 1;
	c.sent_ms = evloop_now_ms();
	t_sleep(20);
	(void)send(c.fd, q1, 5, MSG_NOSIGNAL);
	t_sleep(30);
	CHECK(c.got == 0, "half a query: no answer yet");
	(void)send(c.fd, q1 + 5, l1 + 2 - 5, MSG_NOSIGNAL);
	CHECK(t_run_clients(cp, 1, T_WAIT_MS) && c.got == 1,
	    "the rest of it: answered");
	(void)dnsmsg_parse(a,
	    span_make((const char *)c.in + c.off[0], c.len[0]), "example.com",
	    DNSMSG_T_A, &ans);
	CHECK(ans.status == DNSMSG_OK, "and the answer parses");
	/* garbage: a 3-octet message is not answered, the connection stays */
	(void)send(c.fd, "\0\3abc", 5, MSG_NOSIGNAL);
	l2 = t_query(q2, sizeof(q2), "example.com", DNSMSG_T_AAAA);
	t_client_send(&c, q2, l2);
	CHECK(t_run_clients(cp, 1, T_WAIT_MS) && c.got == 2 && !c.eof,
	    "garbage is skipped; the next query on the connection answered");
	t_client_close(&c);
	t_sleep(20);

	/* at most 2 connections; idle ones close after 150 ms */
	dnsfix_set_tcp_limits(t_fix, 2, 150);
	(void)t_client_open(&c, true);
	(void)t_client_open(&d, true);
	t_sleep(30);
	(void)t_client_open(&e, true);
	e.want = 1;
	CHECK(t_run_clients(cp + 2, 1, T_WAIT_MS) && e.eof,
	    "a third connection is closed at once");
	n = dnsfix_tcp_conns(t_fix);
	CHECK(n == 2, "two connections open: %zu", n);
	c.want = d.want = 1;
	CHECK(t_run_clients(cp, 2, T_WAIT_MS) && c.eof && d.eof &&
	        dnsfix_tcp_conns(t_fix) == 0,
	    "idle connections are closed");
	t_client_close(&c);
	t_client_close(&d);
	t_client_close(&e);
	dnsfix_set_tcp_limits(t_fix, DNSFIX_MAX_TCP, DNSFIX_TCP_IDLE_MS);
}

static void
test_counts(struct arena *a)
{
	struct dnsmsg_answer ans;

	dnsfix_reset_counts(t_fix);
	CHECK(dnsfix_queries(t_fix, NULL, 0) == 0, "counts reset");
	(void)t_ask(a, "example.com", DNSMSG_T_A, false, T_WAIT_MS, &ans);
	(void)t_ask(a, "EXAMPLE.com", DNSMSG_T_A, true, T_WAIT_MS, &ans);
	(void)t_ask(a, "example.com", DNSMSG_T_TXT, false, T_WAIT_MS, &ans);
	(void)t_ask(a, "nx.example.com", DNSMSG_T_A, false, T_WAIT_MS, &ans);
	CHECK(dnsfix_queries(t_fix, "Example.COM.", DNSMSG_T_A) == 2 &&
	        dnsfix_queries_tcp(t_fix, "example.com", DNSMSG_T_A) == 1,
	    "per (name, type), case and final dot ignored");
	CHECK(dnsfix_queries(t_fix, "example.com", 0) == 3 &&
	        dnsfix_queries(t_fix, NULL, 0) == 4 &&
	        dnsfix_queries(t_fix, NULL, DNSMSG_T_A) == 3 &&
	        dnsfix_queries(t_fix, "nx.example.com", DNSMSG_T_A) == 1 &&
	        dnsfix_queries(t_fix, "other.example", DNSMSG_T_A) == 0,
	    "every type, every name, names not in the zone");
}

/* test_reply - dnsfix_zone_reply without sockets */
static void
test_reply(void)
{
	static uint8_t out[DNSMSG_MAX_MSG];
	struct dnsfix_reply r;
	uint8_t q[600];
	size_t n;

	n = t_query(q, sizeof(q), "example.com", DNSMSG_T_A);
	dnsfix_zone_reply(NULL, NULL, span_make((const char *)q, n), false, out,
	    sizeof(out), &r);
	CHECK(r.answer && r.rcode == DNSMSG_RCODE_NXDOMAIN &&
	        test_streq(r.qname, "example.com") && r.qtype == DNSMSG_T_A,
	    "no zone: NXDOMAIN");
	n = t_query(q, sizeof(q), ".", DNSMSG_T_NS);
	dnsfix_zone_reply(NULL, NULL, span_make((const char *)q, n), false, out,
	    sizeof(out), &r);
	CHECK(r.answer && r.rcode == DNSMSG_RCODE_NOERROR && r.ancount == 1 &&
	        test_streq(r.qname, ""),
	    "no zone: the built-in root still has its NS record");
	n = t_query(q, sizeof(q), "example.com", DNSMSG_T_A);
	q[2] |= DNSMSG_F_QR >> 8;
	dnsfix_zone_reply(NULL, NULL, span_make((const char *)q, n), false, out,
	    sizeof(out), &r);
	CHECK(!r.answer && test_streq(r.why, "response"),
	    "a response is never answered");
	q[2] &= (uint8_t) ~(DNSMSG_F_QR >> 8);
	q[2] |= 2 << 3; /* OPCODE 2, STATUS */
	dnsfix_zone_reply(NULL, NULL, span_make((const char *)q, n), false, out,
	    sizeof(out), &r);
	CHECK(r.answer && r.rcode == DNSMSG_RCODE_NOTIMP, "OPCODE 2: NOTIMP");
	dnsfix_zone_reply(NULL, NULL, span_make((const char *)q, 5), false, out,
	    sizeof(out), &r);
	CHECK(!r.answer, "5 octets: no answer");
	q[2] = 0;
	q[5] = 0; /* QDCOUNT 0 */
	dnsfix_zone_reply(NULL, NULL, span_make((const char *)q, 12), false,
	    out, sizeof(out), &r);
	CHECK(r.answer && r.rcode == DNSMSG_RCODE_FORMERR && !r.has_question &&
	        r.len == 12 && out[0] == q[0] && out[1] == q[1],
	    "no question: FORMERR with the id");
}

static void
test_json_errors(void)
{
	static const char *const bad[] = {
		"[]",
		"{\"nam\": {}}",
		"{\"names\": []}",
		"{\"names\": {\"a.example\": {}}}",
		"{\"names\": {\"a.example\": [{\"A\": \"1.2.3\"}]}}",
		"{\"names\": {\"a.example\": [{\"AAAA\": \"1.2.3.4\"}]}}",
		"{\"names\": {\"a.example\": [{\"MX\": [10]}]}}",
		"{\"names\": {\"a.example\": [{\"MX\": [70000, \"h\"]}]}}",
		"{\"names\": {\"a.example\": [{\"TXT\": 5}]}}",
		"{\"names\": {\"a.example\": [{\"TXT\": [\"a\", 5]}]}}",
		"{\"names\": {\"a.example\": [{\"NAPTR\": \"x\"}]}}",
		"{\"names\": {\"a.example\": [{\"A\": \"1.2.3.4\", \"B\": 1}]}}",
		"{\"names\": {\"a.example\": [{\"ttl\": 5}]}}",
		"{\"names\": {\"a.example\": [{\"A\": \"1.2.3.4\", \"ttl\": "
		"-1}]}}",
		"{\"names\": {\"a.example\": [\"TIMEOUTS\"]}}",
		"{\"names\": {\"a..example\": []}}",
		"{\"names\": {\"a.example\": [{\"CNAME\": \"b..c\"}]}}",
		"{\"names\": {\"a.example\": [], \"a.example\": []}}",
		"{\"behaviour\": {\"x\": {\"delay\": 5}}}",
		"{\"behaviour\": {\"x\": {\"delay_ms\": 600001}}}",
		"{\"behaviour\": {\"x\": {\"drop\": 1}}}",
		"{\"negative_ttl\": \"5\"}",
		"{\"names\": {",
	};
	bool all = true;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *err = NULL;
		struct dnsfix_zone *z =
		    dnsfix_zone_load_json(bad[i], strlen(bad[i]), "t", &err);

		if (z != NULL || err == NULL || strncmp(err, "t: ", 3) != 0) {
			all = false;
			(void)printf("# accepted or no error: %s\n", bad[i]);
		}
		dnsfix_zone_free(z);
		free(err);
	}
	CHECK(all, "%zu broken zone files refused with a message",
	    sizeof(bad) / sizeof(bad[0]));
}

/* test_json_file - a zone file with every type and behaviours */
static void
test_json_file(struct arena *a)
{
	static const char zone[] =
	    "{\"negative_ttl\": 42, \"names\": {"
	    "\"f.example\": [{\"A\": \"192.0.2.1\", \"ttl\": 9},"
	    " {\"AAAA\": \"2001:db8::2\"}, {\"MX\": [5, \"m.f.example.\"]},"
	    " {\"PTR\": \"p.example\"}, {\"TXT\": []}],"
	    "\"c.example\": [{\"CNAME\": \"f.example\"}],"
	    "\"e.example\": []},"
	    "\"behaviour\": {\"c.example\": {\"delay_ms\": 1, \"drop\": false,"
	    " \"truncate\": false, \"servfail\": false, \"refused\": false}}}";
	char path[] = "/tmp/test_dnsfix_XXXXXX";
	struct dnsfix_zone *z;
	struct dnsmsg_answer ans;
	char *err = NULL;
	int fd = mkstemp(path);

	if (fd == -1 ||
	    write(fd, zone, sizeof(zone) - 1) != (ssize_t)(sizeof(zone) - 1)) {
		CHECK(false, "temporary zone file written");
		if (fd != -1)
			(void)close(fd);
		return;
	}
	(void)close(fd);
	z = dnsfix_zone_load(path, &err);
	(void)unlink(path);
	CHECK(z != NULL, "zone file loaded (%s)", err != NULL ? err : "ok");
	free(err);
	err = NULL;
	CHECK(dnsfix_zone_load("/nonexistent/zone.json", &err) == NULL &&
	        err != NULL && strstr(err, "/nonexistent/zone.json") != NULL,
	    "a missing file: error names it");
	free(err);
	if (z == NULL)
		return;
	dnsfix_set_zone(t_fix, &z);
	CHECK(t_ask(a, "c.example", DNSMSG_T_A, false, T_WAIT_MS, &ans) &&
	        ans.status == DNSMSG_OK && ans.ttl == 9 &&
	        ans.records[0].u.a[3] == 1,
	    "file: CNAME to an A with its ttl");
	CHECK(t_ask(a, "f.example", DNSMSG_T_MX, false, T_WAIT_MS, &ans) &&
	        ans.nrecords == 1 &&
	        test_streq(ans.records[0].u.mx.host, "m.f.example"),
	    "file: MX");
	CHECK(t_ask(a, "f.example", DNSMSG_T_PTR, false, T_WAIT_MS, &ans) &&
	        ans.nrecords == 1 &&
	        test_streq(ans.records[0].u.name, "p.example"),
	    "file: PTR");
	CHECK(t_ask(a, "f.example", DNSMSG_T_TXT, false, T_WAIT_MS, &ans) &&
	        ans.nrecords == 1 && ans.records[0].u.txt.nstrings == 0,
	    "file: TXT [] is a record with empty RDATA");
	CHECK(t_ask(a, "e.example", DNSMSG_T_AAAA, true, T_WAIT_MS, &ans) &&
	        ans.status == DNSMSG_NODATA && ans.ttl == 42,
	    "file: an empty name; negative_ttl");
}

/* t_serve - serve the zone of a JSON text (an empty one when it does not
 * load, which fails a check) */
static void
t_serve(const char *json, const char *what)
{
	char *err = NULL;
	struct dnsfix_zone *z =
	    dnsfix_zone_load_json(json, strlen(json), what, &err);

	CHECK(z != NULL, "%s: the zone loads (%s)", what,
	    err != NULL ? err : "ok");
	free(err);
	dnsfix_set_zone(t_fix, &z);
}

/* test_root - the built-in root, NS records, "." in a zone file, and
 * the lie (nxdomain) */
static void
test_root(struct arena *a)
{
	struct dnsmsg_answer ans;
	struct dnsfix_behaviour b = { .nxdomain = true };

	t_serve("{\"names\": {\"example.org\": [{\"NS\": "
	        "\"ns1.example.org.\", \"ttl\": 60}, {\"NS\": "
	        "\"ns2.example.org\"}], \"lie.example.org\": [{\"A\": "
	        "\"192.0.2.1\"}]}, \"behaviour\": {\"lie.example.org\": "
	        "{\"nxdomain\": true}}}",
	    "NS entries");
	CHECK(t_ask(a, ".", DNSMSG_T_NS, false, T_WAIT_MS, &ans) &&
	        ans.status == DNSMSG_OK && ans.nrecords == 1 &&
	        test_streq(ans.records[0].u.name, DNSFIX_ROOT_NS),
	    "the built-in root: its NS record (%s)",
	    dnsmsg_status_str(ans.status));
	CHECK(t_ask(a, "", DNSMSG_T_A, true, T_WAIT_MS, &ans) &&
	        ans.status == DNSMSG_NODATA,
	    "the built-in root exists: NODATA for A");
	CHECK(t_ask(a, "example.org", DNSMSG_T_NS, false, T_WAIT_MS, &ans) &&
	        ans.status == DNSMSG_OK && ans.nrecords == 2 &&
	        test_streq(ans.records[0].u.name, "ns1.example.org") &&
	        ans.ttl == 60,
	    "NS entries of a zone file");
	CHECK(t_ask(a, "lie.example.org", DNSMSG_T_A, false, T_WAIT_MS, &ans) &&
	        ans.status == DNSMSG_NXDOMAIN,
	    "per-name nxdomain: a name that exists is denied");
	dnsfix_set_behaviour(t_fix, &b);
	CHECK(t_ask(a, ".", DNSMSG_T_NS, true, T_WAIT_MS, &ans) &&
	        ans.status == DNSMSG_NXDOMAIN && ans.ttl > 0,
	    "server-wide nxdomain: the root denied too, with an SOA");
	dnsfix_set_behaviour(t_fix, NULL);

	t_serve("{\"names\": {\"example.org\": [{\"NS\": "
	        "\"ns.example.org\"}]}, \"behaviour\": {\"*\": "
	        "{\"nxdomain\": true}}}",
	    "\"*\": nxdomain");
	CHECK(t_ask(a, ".", DNSMSG_T_NS, false, T_WAIT_MS, &ans) &&
	        ans.status == DNSMSG_NXDOMAIN &&
	        t_ask(a, "example.org", DNSMSG_T_NS, false, T_WAIT_MS, &ans) &&
	        ans.status == DNSMSG_NXDOMAIN,
	    "zone-wide nxdomain: every name, the root included");

	t_serve("{\"names\": {\".\": [{\"NS\": \"ns.root.example\"}],"
	        " \"example.org\": []}}",
	    "a zone naming \".\"");
	CHECK(t_ask(a, ".", DNSMSG_T_NS, false, T_WAIT_MS, &ans) &&
	        ans.status == DNSMSG_OK && ans.nrecords == 1 &&
	        test_streq(ans.records[0].u.name, "ns.root.example"),
	    "a zone's own root replaces the built-in one");
	t_serve("{\"names\": {\".\": []}}", "a root without NS");
	CHECK(t_ask(a, ".", DNSMSG_T_NS, false, T_WAIT_MS, &ans) &&
	        ans.status == DNSMSG_NODATA,
	    "a zone's root without NS entries: NODATA");
}

int
main(void)
{
	struct arena *a = arena_new();

	(void)alarm(120);
	t_loop = evloop_new();
	test_new();
	test_types(a);
	test_negative(a);
	test_cname(a);
	test_spf_rules(a);
	test_behaviours(a);
	test_large(a);
	test_delay(a);
	test_tcp(a);
	test_counts(a);
	test_reply();
	test_json_errors();
	test_json_file(a);
	test_root(a);
	dnsfix_free(t_fix);
	evloop_free(t_loop);
	arena_free(a);
	return test_done();
}
