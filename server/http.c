/* SPDX-License-Identifier: MIT */
/*
 * http.c - libmicrohttpd glue: daemon, body under a cap, suspend/resume
 *
 * libmicrohttpd runs in external epoll mode: its epoll fd sits in our loop
 * and MHD_run is called when it is readable, when its own timeout passes,
 * after a connection was resumed (MHD 0.9.75 needs a run after
 * MHD_resume_connection before the next wait) and after a connection
 * closed: at the connection limit MHD takes the listening socket out of
 * its epoll set and puts it back only at the start of a later run, so the
 * run that frees a slot must be followed by another, or nothing would wake
 * the loop for the clients waiting in the listen backlog. A suspended
 * connection does not time out on its own, so whoever suspends must hold a
 * deadline; and MHD_stop_daemon must not run while connections are
 * suspended, which is why http_shutdown answers them first. The only file
 * that includes <microhttpd.h>. Not here: routes and JSON (api.c), files
 * (webui.c).
 */
#include "http.h"

#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "ascii.h"
#include "buf.h"
#include "log.h"
#include "xmalloc.h"

/* at most this many MHD runs before one sleep of the loop */
#define HTTP_MAX_RUNS 16

struct http_server {
	struct MHD_Daemon *mhd;
	struct evloop *loop;
	const struct config *cfg;
	struct metrics *metrics;
	http_handler_fn *handler;
	void *arg;
	int epfd;
	bool need_run;
	bool shutting_down;
	struct http_req *suspended; /* list of requests waiting for answers */
};

struct http_req {
	struct http_server *srv;
	struct MHD_Connection *conn;
	const char *method;
	const char *path;
	struct buf body;
	bool too_large;
	bool malformed;
	bool dispatched;
	bool suspended;
	struct MHD_Response *response;
	unsigned status;
	enum metrics_route route;
	uint64_t start_us;
	http_cancel_fn *cancel;
	void *cancel_arg;
	struct http_req *prev, *next; /* in srv->suspended */
};

static void
http_run(struct http_server *s)
{
	s->need_run = false;
	if (MHD_run(s->mhd) != MHD_YES)
		log_warn("http_run_failed", "%s", "");
}

static void
http_on_epoll(struct evloop *loop, int fd, unsigned events, void *arg)
{
	(void)loop;
	(void)fd;
	(void)events;
	http_run(arg);
}

/*
 * http_before_sleep - run MHD while it has work; bound the loop's sleep by
 * MHD's timeout, asked after the last run. need_run is set by a resume or
 * a closed connection during a run; a timeout of 0 means MHD has buffered
 * work that no fd will signal again (its sockets are edge-triggered). Both
 * are run now rather than spun on with a zero wait. Past HTTP_MAX_RUNS the
 * loop polls its fds once (wait 0) and comes back here.
 */
static int64_t
http_before_sleep(struct evloop *loop, void *arg)
{
	struct http_server *s = arg;
	MHD_UNSIGNED_LONG_LONG ms;

	(void)loop;
	for (int i = 0; i < HTTP_MAX_RUNS; i++) {
		if (!s->need_run) {
			if (MHD_get_timeout(s->mhd, &ms) != MHD_YES)
				return -1;
			if (ms > 0)
				return ms > INT32_MAX ? INT32_MAX : (int64_t)ms;
		}
		http_run(s);
	}
	return 0;
}

/* http_notify_connection - a closed connection may have freed a slot at
 * the connection limit: run MHD again so it listens again */
static void
http_notify_connection(void *cls, struct MHD_Connection *conn,
    void **socket_context, enum MHD_ConnectionNotificationCode toe)
{
	struct http_server *s = cls;

	(void)conn;
	(void)socket_context;
	if (toe == MHD_CONNECTION_NOTIFY_CLOSED)
		s->need_run = true;
}

__attribute__((format(printf, 2, 0))) static void
http_log(void *arg, const char *fmt, va_list ap)
{
	char msg[512], q[600];
	size_t n;

	(void)arg;
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		n--;
	log_warn("mhd", "msg=%s", log_quote(q, sizeof(q), msg, n));
}

/*
 * http_unescape - percent-decoding of paths and query values that leaves
 * "%00" as it is: a decoded NUL would silently cut the C string MHD hands
 * on, so "/app.js%00.css" would be served as "/app.js"
 */
static size_t
http_unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	size_t r = 0, w = 0;

	(void)cls;
	(void)conn;
	while (s[r] != '\0') {
		if (s[r] == '%' && ascii_is_xdigit(s[r + 1]) &&
		    ascii_is_xdigit(s[r + 2]) &&
		    !(s[r + 1] == '0' && s[r + 2] == '0')) {
			char hex[3] = { s[r + 1], s[r + 2], '\0' };

			s[w++] = (char)strtoul(hex, NULL, 16);
			r += 3;
		} else {
			s[w++] = s[r++];
		}
	}
	s[w] = '\0';
	return w;
}

static void
http_suspended_unlink(struct http_req *req)
{
	struct http_server *s = req->srv;

	if (req->prev != NULL)
		req->prev->next = req->next;
	else
		s->suspended = req->next;
	if (req->next != NULL)
		req->next->prev = req->prev;
	req->prev = req->next = NULL;
}

static void
http_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct http_req *req = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (req == NULL)
		return;
	ASSERT(!req->suspended);
	if (req->response != NULL)
		MHD_destroy_response(req->response);
	buf_clear(&req->body);
	free(req);
	*con_cls = NULL;
}

struct http_cl_ctx {
	const char *first;
	bool conflict;
};

static enum MHD_Result
http_cl_visit(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct http_cl_ctx *c = cls;

	(void)kind;
	if (!ascii_ieq_cstr(span_cstr(key), MHD_HTTP_HEADER_CONTENT_LENGTH))
		return MHD_YES;
	if (c->first == NULL)
		c->first = value;
	else if (strcmp(c->first, value) != 0)
		c->conflict = true;
	return MHD_YES;
}

/* http_content_length_conflict - RFC 9112 §6.3: differing Content-Length
 * fields make the message framing unknowable; it must be refused */
static bool
http_content_length_conflict(struct MHD_Connection *conn)
{
	struct http_cl_ctx c = { NULL, false };

	(void)MHD_get_connection_values(conn, MHD_HEADER_KIND, http_cl_visit,
	    &c);
	return c.conflict;
}

/* http_content_length_over - does a declared length pass the cap? */
static bool
http_content_length_over(struct MHD_Connection *conn, size_t max)
{
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);
	char *end;
	unsigned long long v;

	if (cl == NULL)
		return false;
	v = strtoull(cl, &end, 10);
	return *end == '\0' && v > max;
}

static enum MHD_Result
http_access(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct http_server *s = cls;
	struct http_req *req = *con_cls;

	(void)version;
	if (req == NULL) {
		req = xcalloc(1, sizeof(*req));
		req->srv = s;
		req->conn = conn;
		req->method = method;
		req->path = url;
		req->route = METRICS_ROUTE_OTHER;
		req->start_us = evloop_now_us();
		buf_init(&req->body, s->cfg->max_body);
		*con_cls = req;
		if (http_content_length_over(conn, s->cfg->max_body))
			req->too_large = true;
		if (http_content_length_conflict(conn))
			req->malformed = true;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (!req->too_large &&
		    buf_append(&req->body, upload_data, *upload_data_size) ==
		        -1) {
			req->too_large = true;
			buf_clear(&req->body);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (!req->dispatched) {
		req->dispatched = true;
		s->handler(req, s->arg);
		if (req->response == NULL) {
			/* the answer comes later: park the connection */
			req->suspended = true;
			req->next = s->suspended;
			if (s->suspended != NULL)
				s->suspended->prev = req;
			s->suspended = req;
			MHD_suspend_connection(conn);
			return MHD_YES;
		}
	}
	if (req->response == NULL)
		return MHD_NO;
	return MHD_queue_response(conn, req->status, req->response);
}

/* http_sockaddr - the listen address from config */
static socklen_t
http_sockaddr(const struct config *cfg, struct sockaddr_storage *ss, bool *v6)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, cfg->listen_host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons(cfg->listen_port);
		*v6 = false;
		return sizeof(*in4);
	}
	(void)inet_pton(AF_INET6, cfg->listen_host, &in6->sin6_addr);
	in6->sin6_family = AF_INET6;
	in6->sin6_port = htons(cfg->listen_port);
	*v6 = true;
	return sizeof(*in6);
}

struct http_server *
http_new(struct evloop *loop, const struct config *cfg, struct metrics *metrics,
    http_handler_fn *handler, void *arg, const char **err_out)
{
	struct http_server *s = xcalloc(1, sizeof(*s));
	struct sockaddr_storage ss;
	const union MHD_DaemonInfo *info;
	unsigned int flags =
	    MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	bool v6;

	s->loop = loop;
	s->cfg = cfg;
	s->metrics = metrics;
	s->handler = handler;
	s->arg = arg;
	(void)http_sockaddr(cfg, &ss, &v6);
	if (v6)
		flags |= MHD_USE_IPv6;
	s->mhd = MHD_start_daemon(flags, cfg->listen_port, NULL, NULL,
	    http_access, s, MHD_OPTION_EXTERNAL_LOGGER, http_log, s,
	    MHD_OPTION_UNESCAPE_CALLBACK, http_unescape, s,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)cfg->max_connections,
	    MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned int)cfg->connection_timeout_s,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)65536,
	    MHD_OPTION_NOTIFY_COMPLETED, http_completed, s,
	    MHD_OPTION_NOTIFY_CONNECTION, http_notify_connection, s,
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int)1024, MHD_OPTION_END);
	if (s->mhd == NULL) {
		*err_out = "cannot listen on that address (in use, or not "
		           "allowed?)";
		free(s);
		return NULL;
	}
	info = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	s->epfd = info->epoll_fd;
	if (evloop_fd_add(loop, s->epfd, EVLOOP_READ, http_on_epoll, s) == -1) {
		*err_out = "cannot watch the HTTP daemon's epoll descriptor";
		MHD_stop_daemon(s->mhd);
		free(s);
		return NULL;
	}
	evloop_hook_set(loop, http_before_sleep, s);
	return s;
}

void
http_shutdown(struct http_server *s)
{
	s->shutting_down = true;
	(void)MHD_quiesce_daemon(s->mhd);
	while (s->suspended != NULL) {
		struct http_req *req = s->suspended;

		ASSERT(req->cancel != NULL);
		req->cancel(req, req->cancel_arg);
		ASSERT(req->response != NULL);
	}
	/* let the answers go out before the daemon stops */
	for (int i = 0; i < 8; i++)
		http_run(s);
}

void
http_free(struct http_server *s)
{
	if (s == NULL)
		return;
	ASSERT(s->suspended == NULL);
	evloop_fd_del(s->loop, s->epfd);
	evloop_hook_set(s->loop, NULL, NULL);
	MHD_stop_daemon(s->mhd);
	free(s);
}

const char *
http_req_method(const struct http_req *req)
{
	return req->method;
}

const char *
http_req_path(const struct http_req *req)
{
	return req->path;
}

const char *
http_req_header(const struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *
http_req_query(const struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND,
	    name);
}

struct span
http_req_body(const struct http_req *req)
{
	return buf_span(&req->body);
}

bool
http_req_too_large(const struct http_req *req)
{
	return req->too_large;
}

bool
http_req_malformed(const struct http_req *req)
{
	return req->malformed;
}

void
http_req_set_route(struct http_req *req, enum metrics_route route)
{
	req->route = route;
}

void
http_req_on_cancel(struct http_req *req, http_cancel_fn *fn, void *arg)
{
	req->cancel = fn;
	req->cancel_arg = arg;
}

void
http_respond(struct http_req *req, unsigned status, const char *content_type,
    char *body, size_t len, const struct http_header *headers, size_t nheaders)
{
	struct MHD_Response *r;
	char path[256];
	uint64_t us;

	ASSERT(req->response == NULL);
	r = MHD_create_response_from_buffer(len, body,
	    body != NULL ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	ASSERT(r != NULL);
	if (content_type != NULL)
		(void)MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
		    content_type);
	(void)MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	for (size_t i = 0; i < nheaders; i++)
		(void)MHD_add_response_header(r, headers[i].name,
		    headers[i].value);
	if (req->srv->shutting_down || req->too_large || req->malformed)
		(void)MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION,
		    "close");
	req->response = r;
	req->status = status;
	us = evloop_now_us() - req->start_us;
	metrics_http_observe(req->srv->metrics, req->route, status, us);
	log_debug("http_request",
	    "method=%s path=%s status=%u bytes=%zu us=%llu", req->method,
	    log_quote(path, sizeof(path), req->path, strlen(req->path)), status,
	    len, (unsigned long long)us);
	if (req->suspended) {
		req->suspended = false;
		http_suspended_unlink(req);
		MHD_resume_connection(req->conn);
		req->srv->need_run = true;
	}
}
