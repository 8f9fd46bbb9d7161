/* SPDX-License-Identifier: MIT */
/*
 * http.h - the HTTP server: libmicrohttpd glue
 *
 * API: http_new(loop, cfg, handler, arg) binds the listening socket and
 * nests libmicrohttpd's epoll fd in the service loop (no MHD threads).
 * For each request, once its whole body is in (at most cfg->max_body
 * bytes; beyond that the request is marked too large and the rest is
 * discarded), handler(req, arg) is called. The handler answers with
 * http_respond, either before it returns or later from another callback:
 * a request that has no answer when the handler returns is suspended and
 * resumed by http_respond (this is how slow checks wait without blocking
 * the loop). http_shutdown stops accepting, answers every suspended
 * request 503 through the cancel callback, and lets queued responses go
 * out; http_free closes everything.
 * Ownership: http_new returns owned (http_free). A struct http_req is
 * owned by this module; it is valid from the handler call until
 * http_respond returns. http_respond takes the body (malloc'd, freed by
 * libmicrohttpd) and copies the headers.
 */
#ifndef HTTP_H
#define HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "evloop.h"
#include "metrics.h"
#include "span.h"

struct http_server;
struct http_req;

struct http_header {
	const char *name;
	const char *value;
};

typedef void http_handler_fn(struct http_req *req, void *arg);
/* Called for a suspended request when the server shuts down; it must
 * answer the request (with http_respond) before returning. */
typedef void http_cancel_fn(struct http_req *req, void *arg);

/* Returns the server, or NULL with *err_out (static text) set. */
struct http_server *http_new(struct evloop *loop, const struct config *cfg,
    struct metrics *metrics, http_handler_fn *handler, void *arg,
    const char **err_out);
void http_shutdown(struct http_server *s);
void http_free(struct http_server *s);

const char *http_req_method(const struct http_req *req);
const char *http_req_path(const struct http_req *req);
/* A request header or query argument; NULL when absent. */
const char *http_req_header(const struct http_req *req, const char *name);
const char *http_req_query(const struct http_req *req, const char *name);
struct span http_req_body(const struct http_req *req);
bool http_req_too_large(const struct http_req *req);
/* The request's framing is broken (conflicting Content-Length fields). */
bool http_req_malformed(const struct http_req *req);
void http_req_set_route(struct http_req *req, enum metrics_route route);
/* Set the callback used if the request is still waiting at shutdown. */
void http_req_on_cancel(struct http_req *req, http_cancel_fn *fn, void *arg);

/*
 * Answer the request: status, content type, body (taken: malloc'd or
 * NULL with len 0) and extra headers (copied). Exactly once per request.
 */
void http_respond(struct http_req *req, unsigned status,
    const char *content_type, char *body, size_t len,
    const struct http_header *headers, size_t nheaders);

#endif
