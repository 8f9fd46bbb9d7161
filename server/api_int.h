/* SPDX-License-Identifier: MIT */
/*
 * api_int.h - what the files of the REST API share (not an API)
 *
 * api.c routes requests and answers the diagnosis, SPF, the languages
 * and the page; api_check.c answers the check endpoints (GET
 * /api/v1/mx, /ptr, /dnsbl, /dmarc, /dkim, /check). Both answer errors
 * the same way: RFC 9457 problem documents whose title and detail are
 * catalog messages in the request's language. Only api*.c include this.
 */
#ifndef API_INT_H
#define API_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "api.h"
#include "lang.h"
#include "texts_msg.h"

/* An answer made once: its JSON body and the ETag of it. */
struct api_doc {
	char *body; /* NULL: none */
	size_t len;
	char *etag;
};

struct api {
	const struct api_env *env;
	time_t started;
	struct api_doc languages;
	struct api_doc texts[LANG_MAX]; /* per language served */
};

const struct texts *api_texts_of(const struct api *api);
/* The language of an answer that is no diagnosis: ?lang= when it names
 * a language served, else Accept-Language, else English. */
enum lang api_req_lang(const struct api *api, struct http_req *req);

/* Answer with a problem document in l whose title is the message
 * "problem.CODE.title" and whose detail is detail; hdrs go with it. */
void api_problem_send(const struct api *api, struct http_req *req, enum lang l,
    unsigned status, const char *code, const struct http_header *hdrs,
    size_t nhdrs, const struct texts_msg *detail);
/* The same with the detail the message detail_id with text arguments
 * (pairs of name and text, ended by TEXTS_MSG_END). */
void api_problem_in(const struct api *api, struct http_req *req, enum lang l,
    unsigned status, const char *code, const struct http_header *hdrs,
    size_t nhdrs, const char *detail_id, ...) __attribute__((sentinel));
/* api_problem_in in the language of the request (api_req_lang). */
#define api_problem(api, req, ...) \
	api_problem_in(api, req, api_req_lang(api, req), __VA_ARGS__)
/* api_problem_send in the language of the request; returns -1. */
int api_reject(const struct api *api, struct http_req *req, unsigned status,
    const char *code, const struct texts_msg *m);

/* The lang query parameter v as a language, or a 400 problem answered
 * and -1. */
int api_lang_query(const struct api *api, struct http_req *req, const char *v,
    enum lang *out);
/* The query argument name into *out (NULL when absent): at most max
 * octets of printable UTF-8, without spaces unless spaces. Returns 0, or
 * -1 with a 400 problem answered. */
int api_param(const struct api *api, struct http_req *req, const char *name,
    size_t max, bool spaces, const char **out);

#endif
