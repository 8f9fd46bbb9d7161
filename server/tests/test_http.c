/* SPDX-License-Identifier: MIT */
/*
 * test_http.c - unit tests for http.h: the connection limit and the loop
 *
 * A server on 127.0.0.1 with --max-connections 1 and --connection-timeout 1
 * and plain TCP clients whose sockets sit in the same loop. The slot must
 * come back both when a client closes its connection and when the idle
 * timeout closes it, without anything else waking the loop; and a server
 * with an idle connection must sleep, not spin. Every wait is bounded by
 * evloop_run_for; alarm() kills a test that hangs anyway.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "evloop.h"
#include "http.h"
#include "metrics.h"
#include "xmalloc.h"
#include "test.h"

#define TEST_ANSWER_MS 2000 /* a free slot answers in well under this */

static const char test_request[] = "GET /x HTTP/1.1\r\nHost: t\r\n\r\n";

/* a client connection and what it has read */
struct test_client {
	int fd;
	char in[1024];
	size_t len;
	bool eof;
	bool answered;
};

static void
test_handler(struct http_req *req, void *arg)
{
	(void)arg;
	http_respond(req, 200, "text/plain", xstrdup("ok"), 2, NULL, 0);
}

/* test_client_read - collect the answer; stop the loop once it is whole or
 * the server has closed the connection */
static void
test_client_read(struct evloop *loop, int fd, unsigned events, void *arg)
{
	struct test_client *c = arg;
	ssize_t n;

	(void)events;
	n = recv(fd, c->in + c->len, sizeof(c->in) - 1 - c->len, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		c->eof = true;
		evloop_fd_del(loop, fd);
		evloop_stop(loop);
		return;
	}
	c->len += (size_t)n;
	c->in[c->len] = '\0';
	if (strstr(c->in, "\r\n\r\nok") != NULL) {
		c->answered = true;
		evloop_stop(loop);
	}
}

/* test_free_port - a loopback port that was free a moment ago */
static unsigned short
test_free_port(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	unsigned short port = 0;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sin, &len) == 0)
		port = ntohs(sin.sin_port);
	if (fd >= 0)
		(void)close(fd);
	return port;
}

/* test_client_open - connect (the kernel completes it even at the limit,
 * from the listen backlog) and send one keep-alive request */
static bool
test_client_open(struct evloop *loop, struct test_client *c,
    unsigned short port)
{
	struct sockaddr_in sin;

	memset(c, 0, sizeof(*c));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (c->fd < 0)
		return false;
	if (connect(c->fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    send(c->fd, test_request, sizeof(test_request) - 1, 0) !=
	        (ssize_t)(sizeof(test_request) - 1) ||
	    evloop_fd_add(loop, c->fd, EVLOOP_READ, test_client_read, c) != 0) {
		(void)close(c->fd);
		c->fd = -1;
		return false;
	}
	return true;
}

static void
test_client_close(struct evloop *loop, struct test_client *c)
{
	if (c->fd < 0)
		return;
	evloop_fd_del(loop, c->fd);
	(void)close(c->fd);
	c->fd = -1;
}

/* test_run_until - run the loop until the client is answered or closed,
 * or ms pass; returns the time taken */
static uint64_t
test_run_until(struct evloop *loop, const struct test_client *c, uint64_t ms)
{
	uint64_t start = evloop_now_ms();

	while (!c->answered && !c->eof && evloop_now_ms() - start < ms)
		(void)evloop_run_for(loop, ms - (evloop_now_ms() - start));
	return evloop_now_ms() - start;
}

/* test_cpu_ms - CPU time this process has used */
static uint64_t
test_cpu_ms(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void
test_limit(struct evloop *loop, unsigned short port)
{
	struct test_client a, b, c;
	uint64_t ms, cpu;

	/* a takes the only slot; b waits in the backlog until a leaves */
	CHECK(test_client_open(loop, &a, port), "client a connects");
	ms = test_run_until(loop, &a, TEST_ANSWER_MS);
	CHECK(a.answered, "client a is answered (%llu ms)",
	    (unsigned long long)ms);
	CHECK(test_client_open(loop, &b, port), "client b connects");
	ms = test_run_until(loop, &b, 300);
	CHECK(!b.answered && !b.eof,
	    "at the limit client b waits, neither answered nor closed");
	test_client_close(loop, &a);
	ms = test_run_until(loop, &b, TEST_ANSWER_MS);
	CHECK(b.answered, "client a closes: client b is answered (%llu ms)",
	    (unsigned long long)ms);

	/* b now holds the slot, idle: the loop must sleep, not spin */
	cpu = test_cpu_ms();
	(void)evloop_run_for(loop, 400);
	cpu = test_cpu_ms() - cpu;
	CHECK(cpu < 100,
	    "an idle keep-alive connection costs no CPU (%llu ms "
	    "in 400 ms)",
	    (unsigned long long)cpu);

	/* the idle timeout closes b; then c, with nothing else to wake the
	 * loop, must still be taken */
	b.answered = false;
	ms = test_run_until(loop, &b, 3000);
	CHECK(b.eof, "the idle timeout closes client b (%llu ms)",
	    (unsigned long long)ms);
	test_client_close(loop, &b);
	(void)evloop_run_for(loop, 100);
	CHECK(test_client_open(loop, &c, port), "client c connects");
	ms = test_run_until(loop, &c, TEST_ANSWER_MS);
	CHECK(c.answered, "after the timeout client c is answered (%llu ms)",
	    (unsigned long long)ms);
	test_client_close(loop, &c);
	test_client_close(loop, &b);
	test_client_close(loop, &a);

	/* with no connection at all the loop sleeps too */
	(void)evloop_run_for(loop, 100);
	cpu = test_cpu_ms();
	(void)evloop_run_for(loop, 400);
	cpu = test_cpu_ms() - cpu;
	CHECK(cpu < 100, "an idle server costs no CPU (%llu ms in 400 ms)",
	    (unsigned long long)cpu);
}

int
main(void)
{
	char host[] = "127.0.0.1";
	struct config cfg;
	struct evloop *loop;
	struct metrics *metrics;
	struct http_server *srv = NULL;
	const char *err = NULL;

	(void)alarm(60);
	log_init(LOG_WARN);
	memset(&cfg, 0, sizeof(cfg));
	cfg.listen_host = host;
	cfg.max_body = 1024;
	cfg.max_connections = 1;
	cfg.connection_timeout_s = 1;
	loop = evloop_new();
	metrics = metrics_new();
	/* a port found free can be taken before http_new binds it */
	for (int i = 0; i < 5 && srv == NULL; i++) {
		cfg.listen_port = test_free_port();
		srv = http_new(loop, &cfg, metrics, test_handler, NULL, &err);
	}
	if (CHECK(srv != NULL, "http_new on 127.0.0.1: %s",
	        err != NULL ? err : "ok"))
		test_limit(loop, cfg.listen_port);
	if (srv != NULL) {
		http_shutdown(srv);
		http_free(srv);
	}
	metrics_free(metrics);
	evloop_free(loop);
	return test_done();
}
