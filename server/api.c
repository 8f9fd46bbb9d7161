/* SPDX-License-Identifier: MIT */
/*
 * api.c - the routes of the service and the REST API
 *
 * One table maps method and path to a handler; a path that exists with
 * another method gets 405 with Allow, anything else 404. Every error is an
 * RFC 9457 problem document with a stable code (openapi.yaml, schema
 * Problem), produced here and nowhere else.
 * The languages served and the web page's texts in each (GET
 * /api/v1/languages, /api/v1/texts) change only with a restart: their
 * answers are made once, by api_new, and carry an ETag.
 * Not here: HTTP mechanics (http.c), the diagnosis and its live checks
 * (diagrun.c), its JSON (report.c), the page's files (webui.c), the texts
 * themselves (texts.c).
 */
#include "api.h"
#include "api_check.h"
#include "api_int.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>

#include <jansson.h>

#include "ascii.h"
#include "buf.h"
#include "check_spf.h"
#include "checks.h"
#include "dnscanary.h"
#include "jsonw.h"
#include "report.h"
#include "rules.h"
#include "spfcheck.h"
#include "text.h"
#include "texts.h"
#include "xmalloc.h"

#define API_CSP                                                           \
	"default-src 'self'; img-src 'self' data:; style-src 'self'; "    \
	"script-src 'self'; connect-src 'self'; frame-ancestors 'none'; " \
	"base-uri 'none'; form-action 'self'"

#define API_MAX_BATCH 100 /* messages in one batch request */

/* the message ids of the web page's texts (rules/messages.json) */
#define API_PAGE_PREFIX "page."

typedef void api_route_fn(struct api *api, struct http_req *req);

struct api_route {
	const char *method;
	const char *path; /* NULL: any path the web page has */
	enum metrics_route metric;
	api_route_fn *fn;
};

static void api_diagnose(struct api *api, struct http_req *req);
static void api_spf(struct api *api, struct http_req *req);
static void api_languages(struct api *api, struct http_req *req);
static void api_texts(struct api *api, struct http_req *req);
static void api_health(struct api *api, struct http_req *req);
static void api_metrics(struct api *api, struct http_req *req);
static void api_static(struct api *api, struct http_req *req);

static const struct api_route api_routes[] = {
	{ "POST", "/api/v1/diagnose", METRICS_ROUTE_DIAGNOSE, api_diagnose },
	{ "GET", "/api/v1/spf", METRICS_ROUTE_SPF, api_spf },
	{ "GET", "/api/v1/check", METRICS_ROUTE_CHECK, api_check },
	{ "GET", "/api/v1/mx", METRICS_ROUTE_MX, api_check },
	{ "GET", "/api/v1/ptr", METRICS_ROUTE_PTR, api_check },
	{ "GET", "/api/v1/dnsbl", METRICS_ROUTE_DNSBL, api_check },
	{ "GET", "/api/v1/dmarc", METRICS_ROUTE_DMARC, api_check },
	{ "GET", "/api/v1/dkim", METRICS_ROUTE_DKIM, api_check },
	{ "GET", "/api/v1/languages", METRICS_ROUTE_LANGUAGES, api_languages },
	{ "GET", "/api/v1/texts", METRICS_ROUTE_TEXTS, api_texts },
	{ "GET", "/healthz", METRICS_ROUTE_HEALTH, api_health },
	{ "GET", "/metrics", METRICS_ROUTE_METRICS, api_metrics },
	{ "GET", "/openapi.yaml", METRICS_ROUTE_OPENAPI, api_static },
	{ "GET", NULL, METRICS_ROUTE_STATIC, api_static },
};

#define API_NROUTES (sizeof(api_routes) / sizeof(api_routes[0]))

/* api_doc_set - d becomes the JSON in b, with its ETag */
static void
api_doc_set(struct api_doc *d, struct buf *b)
{
	d->body = buf_steal(b, &d->len);
	d->etag = webui_etag(d->body, d->len);
}

/* api_docs_make - the answers of GET /api/v1/languages and, for each
 * language served, GET /api/v1/texts */
static void
api_docs_make(struct api *api, const struct texts *t)
{
	const struct langs *ls = texts_langs(t);
	struct jsonw w;
	struct buf b;

	buf_init(&b, SIZE_MAX / 2);
	jsonw_init(&w, &b);
	jsonw_obj(&w);
	jsonw_key(&w, "languages");
	jsonw_arr(&w);
	for (size_t l = 0; l < ls->n; l++) {
		const char *name =
		    texts_lookup(t, (enum lang)l, "language.name");

		jsonw_obj(&w);
		jsonw_kstr(&w, "code", ls->code[l]);
		/* a language that does not name itself goes by its code */
		jsonw_kstr(&w, "name", name != NULL ? name : ls->code[l]);
		jsonw_end(&w);
	}
	jsonw_end(&w);
	jsonw_kstr(&w, "default", ls->code[LANG_EN]);
	jsonw_end(&w);
	api_doc_set(&api->languages, &b);
	for (size_t l = 0; l < ls->n; l++) {
		buf_init(&b, SIZE_MAX / 2);
		/* a code is letters, digits and '-' (lang_code_valid) */
		(void)buf_printf(&b,
		    "{\"lang\":\"%s\",\"texts\":", ls->code[l]);
		(void)texts_export_prefix(t, (enum lang)l, API_PAGE_PREFIX, &b);
		(void)buf_append_char(&b, '}');
		api_doc_set(&api->texts[l], &b);
	}
}

struct api *
api_new(const struct api_env *env)
{
	struct api *api = xcalloc(1, sizeof(*api));

	api->env = env;
	api->started = time(NULL);
	api_docs_make(api, rules_texts(env->diag->rules));
	return api;
}

void
api_free(struct api *api)
{
	if (api == NULL)
		return;
	free(api->languages.body);
	free(api->languages.etag);
	for (size_t l = 0; l < LANG_MAX; l++) {
		free(api->texts[l].body);
		free(api->texts[l].etag);
	}
	free(api);
}

const struct texts *
api_texts_of(const struct api *api)
{
	return rules_texts(api->env->diag->rules);
}

/* api_req_lang - the language of an answer that is no diagnosis: ?lang=
 * when it names a language served, else Accept-Language, else English */
enum lang
api_req_lang(const struct api *api, struct http_req *req)
{
	const struct langs *ls = texts_langs(api_texts_of(api));
	const char *q = http_req_query(req, "lang");
	enum lang l = LANG_EN;

	if (q != NULL && lang_parse(ls, span_cstr(q), &l) == 0)
		return l;
	(void)lang_from_accept(ls, http_req_header(req, "Accept-Language"), &l);
	return l;
}

/* api_problem_body - an RFC 9457 problem document in l: its title is the
 * message "problem.CODE.title", its detail the message detail */
static char *
api_problem_body(const struct api *api, enum lang l, unsigned status,
    const char *code, const struct texts_msg *detail, size_t *len_out)
{
	struct arena *a = arena_new();
	const struct texts *t = api_texts_of(api);
	char id[80];
	char *body;

	(void)snprintf(id, sizeof(id), "problem.%s.title", code);
	body = report_problem(code, texts_render(a, t, l, texts_msg_new(a, id)),
	    status, texts_render(a, t, l, detail), len_out);
	arena_free(a);
	return body;
}

/* api_problem_send - answer with the problem document of
 * api_problem_body, hdrs added to the answer's headers */
void
api_problem_send(const struct api *api, struct http_req *req, enum lang l,
    unsigned status, const char *code, const struct http_header *hdrs,
    size_t nhdrs, const struct texts_msg *detail)
{
	struct http_header h[4];
	size_t n = 0, len;
	char *body;

	ASSERT(nhdrs < sizeof(h) / sizeof(h[0]));
	while (hdrs != NULL && n < nhdrs && n + 1 < sizeof(h) / sizeof(h[0])) {
		h[n] = hdrs[n];
		n++;
	}
	h[n++] = (struct http_header){ "Content-Language",
		lang_str(texts_langs(api_texts_of(api)), l) };
	body = api_problem_body(api, l, status, code, detail, &len);
	http_respond(req, status, "application/problem+json", body, len, h, n);
}

/*
 * api_problem_in - answer with an RFC 9457 problem document in l: the
 * detail is the message detail_id with text arguments (pairs of name and
 * text, ended by TEXTS_MSG_END), hdrs added to the answer's headers
 */
void
api_problem_in(const struct api *api, struct http_req *req, enum lang l,
    unsigned status, const char *code, const struct http_header *hdrs,
    size_t nhdrs, const char *detail_id, ...)
{
	struct texts_msg detail = { .id = detail_id };
	const char *name;
	va_list ap;

	va_start(ap, detail_id);
	while ((name = va_arg(ap, const char *)) != NULL)
		(void)texts_msg_arg(&detail, name, va_arg(ap, const char *));
	va_end(ap);
	api_problem_send(api, req, l, status, code, hdrs, nhdrs, &detail);
}

/* api_reject - answer with a problem document whose detail is m, in the
 * language of the request; returns -1 */
int
api_reject(const struct api *api, struct http_req *req, unsigned status,
    const char *code, const struct texts_msg *m)
{
	api_problem_send(api, req, api_req_lang(api, req), status, code, NULL,
	    0, m);
	return -1;
}

/* api_lang_list - the codes of the languages served, quoted, for a
 * detail: "en", "ru" */
static const char *
api_lang_list(const struct api *api, char *out, size_t outlen)
{
	const struct langs *ls = texts_langs(api_texts_of(api));
	size_t n = 0;

	out[0] = '\0';
	for (size_t l = 0; l < ls->n && n < outlen; l++)
		n += (size_t)snprintf(out + n, outlen - n, "%s\"%s\"",
		    l > 0 ? ", " : "", ls->code[l]);
	return out;
}

/* api_lang_query - the lang query parameter v as a language, or a 400
 * problem answered and -1 */
int
api_lang_query(const struct api *api, struct http_req *req, const char *v,
    enum lang *out)
{
	char list[LANG_MAX * 16];

	if (lang_parse(texts_langs(api_texts_of(api)), span_cstr(v), out) == 0)
		return 0;
	api_problem(api, req, 400, "invalid-parameter", NULL, 0,
	    "problem.invalid-parameter.lang", "langs",
	    api_lang_list(api, list, sizeof(list)), TEXTS_MSG_END);
	return -1;
}

static void
api_json(struct http_req *req, char *body, size_t len,
    const struct http_header *hdrs, size_t nhdrs)
{
	http_respond(req, 200, "application/json", body, len, hdrs, nhdrs);
}

static void
api_health(struct api *api, struct http_req *req)
{
	char *body = xasprintf("{\"status\":\"ok\",\"version\":\"%s\","
	                       "\"uptime_seconds\":%lld,\"rules\":%zu}",
	    CONFIG_VERSION, (long long)(time(NULL) - api->started),
	    rules_count(api->env->diag->rules));
	static const struct http_header h[] = { { "Cache-Control",
	    "no-store" } };

	api_json(req, body, strlen(body), h, 1);
}

static void
api_metrics(struct api *api, struct http_req *req)
{
	struct buf b;
	size_t len;
	char *body;

	buf_init(&b, 1u << 20);
	(void)metrics_render(api->env->metrics, &b);
	body = buf_steal(&b, &len);
	http_respond(req, 200, "text/plain; version=0.0.4; charset=utf-8", body,
	    len, NULL, 0);
}

/* api_respond_tagged - a body that stays loaded until a restart, with
 * its ETag and the headers in extra; 304 when If-None-Match names the
 * ETag. Its content may change with a restart: clients ask each time. */
static void
api_respond_tagged(struct http_req *req, const char *type, const char *data,
    size_t len, const char *etag, const struct http_header *extra,
    size_t nextra)
{
	const char *inm = http_req_header(req, "If-None-Match");
	struct http_header h[6];
	size_t n = 0;

	ASSERT(nextra + 2 <= sizeof(h) / sizeof(h[0]));
	h[n++] = (struct http_header){ "ETag", etag };
	h[n++] = (struct http_header){ "Cache-Control", "no-cache" };
	for (size_t i = 0; i < nextra; i++)
		h[n++] = extra[i];
	if (inm != NULL && strstr(inm, etag) != NULL) {
		http_respond(req, 304, NULL, NULL, 0, h, n);
		return;
	}
	/* hand MHD a copy it may free, keeping ownership simple */
	http_respond(req, 200, type, xstrndup(data, len), len, h, n);
}

/* api_static - the page's files and the API description, with ETags */
static void
api_static(struct api *api, struct http_req *req)
{
	const struct webui_file *f =
	    webui_find(api->env->webui, http_req_path(req));
	struct http_header h[2];
	size_t n = 0;

	if (f == NULL) {
		api_problem(api, req, 404, "not-found", NULL, 0,
		    "problem.not-found.detail", TEXTS_MSG_END);
		return;
	}
	if (strncmp(f->content_type, "text/html", 9) == 0) {
		h[n++] =
		    (struct http_header){ "Content-Security-Policy", API_CSP };
		h[n++] =
		    (struct http_header){ "Referrer-Policy", "no-referrer" };
	}
	api_respond_tagged(req, f->content_type, f->data, f->len, f->etag, h,
	    n);
}

/* api_doc_respond - a document made by api_new, with the headers in
 * extra */
static void
api_doc_respond(struct http_req *req, const struct api_doc *d,
    const struct http_header *extra, size_t nextra)
{
	api_respond_tagged(req, "application/json", d->body, d->len, d->etag,
	    extra, nextra);
}

static void
api_languages(struct api *api, struct http_req *req)
{
	api_doc_respond(req, &api->languages, NULL, 0);
}

/* api_texts - the web page's texts in the language asked for (?lang=,
 * else Accept-Language); a language that is not served gets English */
static void
api_texts(struct api *api, struct http_req *req)
{
	const struct langs *ls = texts_langs(api_texts_of(api));
	const char *q = http_req_query(req, "lang");
	enum lang l = LANG_EN;
	struct http_header h[2];

	if (q != NULL && api_lang_query(api, req, q, &l) == -1)
		return;
	if (q == NULL) /* no language we speak in it: English */
		(void)lang_from_accept(ls,
		    http_req_header(req, "Accept-Language"), &l);
	h[0] = (struct http_header){ "Content-Language", lang_str(ls, l) };
	h[1] = (struct http_header){ "Vary", "Accept-Language" };
	api_doc_respond(req, &api->texts[l], h, 2);
}

/* api_media_type - the media type of a Content-Type, lowercased */
static void
api_media_type(const char *ct, char *out, size_t outlen)
{
	size_t n = 0;

	while (ct != NULL && *ct == ' ')
		ct++;
	while (ct != NULL && ct[n] != '\0' && ct[n] != ';' && ct[n] != ' ' &&
	    n + 1 < outlen) {
		out[n] = ascii_tolower(ct[n]);
		n++;
	}
	out[n] = '\0';
}

/* api_request - what a diagnose request asks for, after validation */
struct api_request {
	struct span *texts; /* one, or the batch's messages */
	size_t ntexts;
	bool batch;
	enum lang lang;
	bool lang_set;
	unsigned checks;     /* the selection of checks.h */
	unsigned repaired;   /* TEXT_ANOM_* of the JSON body */
	struct arena *arena; /* holds the repaired JSON body */
};

/* api_bad_request - answer invalid-request with the detail id and at
 * most one argument (name NULL: none); returns -1 */
static int
api_bad_request(const struct api *api, struct http_req *req, const char *id,
    const char *name, const char *text)
{
	struct texts_msg m = { .id = id };

	if (name != NULL)
		(void)texts_msg_arg(&m, name, text);
	return api_reject(api, req, 400, "invalid-request", &m);
}

/* api_json_fields - {"text": "..."} or {"messages": [...]}, "lang" */
static int
api_json_fields(const struct api *api, struct http_req *req, json_t *doc,
    struct api_request *ar)
{
	json_t *text = json_object_get(doc, "text");
	json_t *msgs = json_object_get(doc, "messages");
	json_t *lang = json_object_get(doc, "lang"), *v;
	const char *key;
	char arg[LANG_MAX * 16];
	size_t i;

	if (!json_is_object(doc) || (text == NULL) == (msgs == NULL))
		return api_bad_request(api, req, "problem.invalid-request.body",
		    NULL, NULL);
	json_object_foreach(doc, key, v)
	{
		if (strcmp(key, "text") != 0 && strcmp(key, "lang") != 0 &&
		    strcmp(key, "messages") != 0) {
			(void)snprintf(arg, sizeof(arg), "%.64s", key);
			return api_bad_request(api, req,
			    "problem.invalid-request.field", "field", arg);
		}
	}
	if (lang != NULL &&
	    (!json_is_string(lang) ||
	        lang_parse(texts_langs(api_texts_of(api)),
	            span_cstr(json_string_value(lang)), &ar->lang) == -1))
		return api_bad_request(api, req, "problem.invalid-request.lang",
		    "langs", api_lang_list(api, arg, sizeof(arg)));
	ar->lang_set = lang != NULL;
	if (text != NULL) {
		if (!json_is_string(text))
			return api_bad_request(api, req,
			    "problem.invalid-request.text", NULL, NULL);
		ar->texts = arena_alloc(ar->arena, sizeof(*ar->texts));
		ar->texts[0] = arena_span_dup(ar->arena,
		    span_make(json_string_value(text),
		        json_string_length(text)));
		ar->ntexts = 1;
		return 0;
	}
	if (!json_is_array(msgs) || json_array_size(msgs) == 0 ||
	    json_array_size(msgs) > API_MAX_BATCH) {
		struct texts_msg m = { .id =
			                   "problem.invalid-request.messages" };

		return api_reject(api, req, 400, "invalid-request",
		    texts_msg_num(&m, "max", API_MAX_BATCH));
	}
	ar->texts =
	    arena_alloc(ar->arena, json_array_size(msgs) * sizeof(*ar->texts));
	json_array_foreach(msgs, i, v)
	{
		if (!json_is_string(v))
			return api_bad_request(api, req,
			    "problem.invalid-request.message", NULL, NULL);
		ar->texts[i] = arena_span_dup(ar->arena,
		    span_make(json_string_value(v), json_string_length(v)));
	}
	ar->ntexts = json_array_size(msgs);
	ar->batch = true;
	return 0;
}

/* api_json_error_id - the message saying what is wrong with a body
 * jansson refused */
static const char *
api_json_error_id(enum json_error_code code)
{
	switch (code) {
	case json_error_invalid_utf8:
		return "problem.invalid-json.utf8";
	case json_error_premature_end_of_input:
		return "problem.invalid-json.end";
	case json_error_end_of_input_expected:
		return "problem.invalid-json.trailing";
	case json_error_null_character:
	case json_error_null_byte_in_key:
		return "problem.invalid-json.nul";
	case json_error_stack_overflow:
		return "problem.invalid-json.depth";
	case json_error_numeric_overflow:
		return "problem.invalid-json.number";
	case json_error_duplicate_key:
		return "problem.invalid-json.duplicate_key";
	default:
		return "problem.invalid-json.syntax";
	}
}

/* api_parse_json - the JSON body; 0 or -1 (answered) */
static int
api_parse_json(const struct api *api, struct http_req *req, struct span body,
    struct api_request *ar)
{
	json_error_t jerr;
	json_t *doc;
	struct span fixed = text_sanitize(ar->arena, body, 0, &ar->repaired);
	int r;

	doc = json_loadb(fixed.ptr, fixed.len, JSON_ALLOW_NUL | JSON_DECODE_ANY,
	    &jerr);
	if (doc == NULL) {
		struct texts_msg detail = { .id =
			                        "problem.invalid-json.detail" };
		struct texts_msg what = { .id = api_json_error_id(
			                      json_error_code(&jerr)) };

		(void)texts_msg_sub(&detail, "problem", &what);
		(void)texts_msg_num(&detail, "line", (unsigned long)jerr.line);
		(void)texts_msg_num(&detail, "column",
		    (unsigned long)jerr.column);
		return api_reject(api, req, 400, "invalid-json", &detail);
	}
	r = api_json_fields(api, req, doc, ar);
	json_decref(doc);
	return r;
}

/* api_parse_query - ?lang= and ?checks=; 0 or -1 (answered) */
static int
api_parse_query(const struct api *api, struct http_req *req,
    struct api_request *ar)
{
	const char *lang = http_req_query(req, "lang");
	const char *checks = http_req_query(req, "checks");

	if (lang != NULL) {
		if (api_lang_query(api, req, lang, &ar->lang) == -1)
			return -1;
		ar->lang_set = true;
	}
	if (checks_parse(checks, &ar->checks) == -1) {
		api_problem(api, req, 400, "invalid-parameter", NULL, 0,
		    "problem.invalid-parameter.checks", TEXTS_MSG_END);
		return -1;
	}
	return 0;
}

static const struct http_header api_accept_post[] = { { "Accept-Post",
    "application/json, text/plain, message/rfc822" } };

/* api_parse_body - the bounce text from a JSON or plain-text body */
static int
api_parse_body(const struct api *api, struct http_req *req,
    struct api_request *ar)
{
	char media[64];
	struct span body = http_req_body(req);
	enum lang qlang = ar->lang;
	bool qset = ar->lang_set;

	api_media_type(http_req_header(req, "Content-Type"), media,
	    sizeof(media));
	if (strcmp(media, "application/json") != 0 &&
	    strcmp(media, "text/plain") != 0 &&
	    strcmp(media, "message/rfc822") != 0) {
		api_problem(api, req, 415, "unsupported-media-type",
		    api_accept_post, 1, "problem.unsupported-media-type.detail",
		    TEXTS_MSG_END);
		return -1;
	}
	if (body.len == 0) {
		api_problem(api, req, 400, "empty-body", NULL, 0,
		    "problem.empty-body.detail", TEXTS_MSG_END);
		return -1;
	}
	if (strcmp(media, "application/json") != 0) {
		/* the bounce's own bytes, whatever they are */
		ar->texts = arena_alloc(ar->arena, sizeof(*ar->texts));
		ar->texts[0] = body;
		ar->ntexts = 1;
		return 0;
	}
	if (api_parse_json(api, req, body, ar) == -1)
		return -1;
	if (qset) { /* the query string wins over the body */
		ar->lang = qlang;
		ar->lang_set = true;
	}
	return 0;
}

/*
 * A diagnose request in flight: one diagnosis run per text (diagrun.h),
 * all started at once. It lives in the request's arena; the connection
 * stays suspended until every run is done (each run's deadline bounds
 * that).
 */
struct api_job {
	struct api *api;
	struct http_req *req;
	struct api_request ar;
	struct diagrun **runs;
	size_t n;
};

/* api_diagnosis_json - one diagnosis as JSON into out; false when the
 * text holds nothing to diagnose (then out has the problem document) */
static bool
api_diagnosis_json(struct api_job *job, size_t i, struct buf *out)
{
	const struct diag *d = diagrun_diag(job->runs[i]);
	const struct check_result *checks;
	size_t nchecks;
	char *json;
	size_t len;
	bool ok = !bounce_is_empty(&d->bounce);

	if (ok) {
		metrics_reason_inc(job->api->env->metrics,
		    d->results[0].reason->name);
		for (size_t k = 0; k < d->nresults; k++)
			metrics_pattern_limit_add(job->api->env->metrics,
			    d->results[k].verdict.nunevaluated);
		checks = diagrun_checks(job->runs[i], &nchecks);
		json = report_diagnosis(d, checks, nchecks, &len);
	} else {
		json = api_problem_body(job->api, job->ar.lang, 422,
		    "empty-text",
		    &(struct texts_msg){ .id = "problem.empty-text.detail" },
		    &len);
	}
	(void)buf_append(out, json, len);
	free(json);
	return ok;
}

/* api_job_free - the runs (which stop what still runs), then the arena
 * the texts are in */
static void
api_job_free(struct api_job *job)
{
	struct arena *a = job->ar.arena;

	for (size_t i = 0; i < job->n; i++)
		diagrun_free(job->runs[i]);
	arena_free(a);
}

/* api_job_respond - every run is done: the answer */
static void
api_job_respond(struct api_job *job)
{
	const char *lang =
	    lang_str(texts_langs(api_texts_of(job->api)), job->ar.lang);
	struct http_header h[2];
	struct buf out;
	size_t len;
	char *body;

	buf_init(&out, SIZE_MAX / 2);
	h[0] = (struct http_header){ "Content-Language", lang };
	h[1] = (struct http_header){ "Cache-Control", "no-store" };
	if (!job->ar.batch) {
		bool ok = api_diagnosis_json(job, 0, &out);

		body = buf_steal(&out, &len);
		if (ok)
			api_json(job->req, body, len, h, 2);
		else
			http_respond(job->req, 422, "application/problem+json",
			    body, len, h, 1);
	} else {
		(void)buf_printf(&out, "{\"lang\":\"%s\",\"diagnoses\":[",
		    lang);
		for (size_t i = 0; i < job->n; i++) {
			if (i > 0)
				(void)buf_append_char(&out, ',');
			(void)api_diagnosis_json(job, i, &out);
		}
		(void)buf_append(&out, "]}", 2);
		body = buf_steal(&out, &len);
		api_json(job->req, body, len, h, 2);
	}
	api_job_free(job);
}

/* api_job_is_done - is every run done? */
static bool
api_job_is_done(const struct api_job *job)
{
	for (size_t i = 0; i < job->n; i++) {
		if (!diagrun_is_done(job->runs[i]))
			return false;
	}
	return true;
}

/* api_job_run_done - diagrun_done_fn: a run that waited is done; it
 * comes from the loop, after api_diagnose started every run */
static void
api_job_run_done(struct diagrun *run, void *arg)
{
	struct api_job *job = arg;

	(void)run;
	if (api_job_is_done(job))
		api_job_respond(job);
}

/* api_job_cancel - the service is shutting down under a waiting request */
static void
api_job_cancel(struct http_req *req, void *arg)
{
	struct api_job *job = arg;

	(void)req;
	api_problem_in(job->api, job->req, job->ar.lang, 503, "shutting-down",
	    NULL, 0, "problem.shutting-down.detail", TEXTS_MSG_END);
	api_job_free(job);
}

static void
api_diagnose(struct api *api, struct http_req *req)
{
	struct arena *arena;
	struct api_job *job;
	struct diagrun_opts opts;

	if (http_req_too_large(req)) {
		struct texts_msg m = { .id =
			                   "problem.payload-too-large.detail" };

		(void)api_reject(api, req, 413, "payload-too-large",
		    texts_msg_num(&m, "max", api->env->cfg->max_body));
		return;
	}
	arena = arena_new();
	job = arena_zalloc(arena, sizeof(*job));
	job->api = api;
	job->req = req;
	job->ar.lang = LANG_EN;
	job->ar.arena = arena;
	if (api_parse_query(api, req, &job->ar) == -1 ||
	    api_parse_body(api, req, &job->ar) == -1) {
		arena_free(arena);
		return;
	}
	if (!job->ar.lang_set &&
	    lang_from_accept(texts_langs(api_texts_of(api)),
	        http_req_header(req, "Accept-Language"), &job->ar.lang) == 0)
		job->ar.lang_set = true;
	opts = (struct diagrun_opts){ job->ar.lang, job->ar.checks,
		api->env->cfg->checks_deadline_ms, job->ar.repaired };
	job->n = job->ar.ntexts;
	job->runs = arena_zalloc(arena, job->n * sizeof(*job->runs));
	for (size_t i = 0; i < job->n; i++)
		job->runs[i] = diagrun_start(api->env->diagrun,
		    job->ar.texts[i], &opts, api_job_run_done, job);
	if (api_job_is_done(job)) {
		api_job_respond(job);
		return;
	}
	/* the connection waits, suspended, for the checks */
	http_req_on_cancel(req, api_job_cancel, job);
}

/* -- GET /api/v1/spf -------------------------------------------------- */

/* RFC 5321 §4.5.3.1: the longest local part and domain a server must
 * take; an address is at most both with the '@' between */
#define API_SPF_MAX_LOCAL  64
#define API_SPF_MAX_DOMAIN 255
#define API_SPF_MAX_SENDER (API_SPF_MAX_LOCAL + 1 + API_SPF_MAX_DOMAIN)

struct api_spf_job {
	const struct api *api;
	struct http_req *req;
	struct arena *arena;
	struct resolver_session *session;
	struct spf_query q;
	struct spfcheck_opts opts;
	bool starting;
	bool answered;
	struct spfcheck_result r;
	const struct texts *texts; /* the answer's sentences, */
	enum lang lang;            /* in this language */
};

static void
api_spf_respond(struct api_spf_job *job)
{
	size_t len;
	char *body = report_spf(job->texts, job->lang, &job->q, job->r.o,
	    job->r.unchecked, job->r.fix, job->r.ptr, &len);
	const struct http_header h[] = { { "Cache-Control", "no-store" },
		{ "Content-Language",
		    lang_str(texts_langs(job->texts), job->lang) } };
	struct arena *a = job->arena;

	http_respond(job->req, 200, "application/json", body, len, h, 2);
	resolver_session_free(job->session);
	arena_free(a);
}

/* api_spf_unchecked - the answer while the DNS canary finds the resolver
 * lying: the check is not started, and says why (as a check of a
 * diagnosis would, checkrun.c) */
static void
api_spf_unchecked(const struct api *api, struct http_req *req, enum lang l,
    const struct texts_msg *why)
{
	const struct texts *t = api_texts_of(api);
	const struct check_result r = { .kind = &check_spf_kind,
		.unchecked = why };
	const struct http_header h[] = { { "Cache-Control", "no-store" },
		{ "Content-Language", lang_str(texts_langs(t), l) } };
	size_t len;
	char *body = report_check_one(t, l, &r, &len);

	http_respond(req, 200, "application/json", body, len, h, 2);
}

static void
api_spf_done(void *arg, const struct spfcheck_result *r)
{
	struct api_spf_job *job = arg;

	job->r = *r;
	job->answered = true;
	if (!job->starting)
		api_spf_respond(job);
}

static void
api_spf_cancel(struct http_req *req, void *arg)
{
	struct api_spf_job *job = arg;
	struct arena *a = job->arena;

	(void)req;
	api_problem_in(job->api, job->req, job->lang, 503, "shutting-down",
	    NULL, 0, "problem.shutting-down.detail", TEXTS_MSG_END);
	resolver_session_free(job->session);
	arena_free(a);
}

/* api_param_fault - what makes v unfit as a query argument (a message id),
 * or NULL: it must be UTF-8 text without control characters (C0, DEL,
 * C1) and, unless spaces, without spaces. *at_out gets the fault's
 * offset. */
static const char *
api_param_fault(const char *v, size_t len, bool spaces, size_t *at_out)
{
	const unsigned char *s = (const unsigned char *)v;
	size_t n;

	for (size_t i = 0; i < len; i += n) {
		*at_out = i;
		n = text_utf8_seqlen(s + i, len - i);
		if (n == 0)
			return "problem.invalid-parameter.not_utf8";
		/* C0, DEL, and C1 (U+0080..U+009F, 0xc2 0x80..0x9f) */
		if (s[i] < 0x20 || s[i] == 0x7f ||
		    (s[i] == 0xc2 && s[i + 1] < 0xa0))
			return "problem.invalid-parameter.control";
		if (s[i] == ' ' && !spaces)
			return "problem.invalid-parameter.space";
	}
	return NULL;
}

/* api_param - a query argument of at most max octets; spaces: it
 * may hold spaces (an address or a HELO name as SMTP carries them) */
int
api_param(const struct api *api, struct http_req *req, const char *name,
    size_t max, bool spaces, const char **out)
{
	const char *v = http_req_query(req, name);
	struct texts_msg detail = { 0 }, fault = { 0 };
	size_t len, at = 0;

	*out = v;
	if (v == NULL)
		return 0;
	len = strlen(v);
	if (len > max) {
		detail.id = "problem.invalid-parameter.too_long";
		(void)texts_msg_arg(&detail, "name", name);
		(void)texts_msg_num(&detail, "length", len);
		(void)texts_msg_num(&detail, "max", max);
		return api_reject(api, req, 400, "invalid-parameter", &detail);
	}
	if ((fault.id = api_param_fault(v, len, spaces, &at)) != NULL) {
		detail.id = spaces ? "problem.invalid-parameter.text" :
		                     "problem.invalid-parameter.token";
		(void)texts_msg_arg(&detail, "name", name);
		(void)texts_msg_num(&detail, "at", at + 1);
		(void)texts_msg_sub(&detail, "fault", &fault);
		return api_reject(api, req, 400, "invalid-parameter", &detail);
	}
	return 0;
}

/* api_spf_sender - the RFC 5321 §4.5.3.1 sizes of the sender's parts:
 * the local part (before the last '@', "<>" dropped) at most 64 octets,
 * the domain at most 255 */
static int
api_spf_sender(const struct api *api, struct http_req *req, const char *sender)
{
	struct span s = span_cstr(sender);
	struct span local = SPAN_NULL, dom;
	struct texts_msg m = { 0 };
	bool lp;

	if (s.len >= 2 && s.ptr[0] == '<' && s.ptr[s.len - 1] == '>')
		s = span_sub(s, 1, s.len - 2);
	dom = s;
	for (size_t i = s.len; i-- > 0;) {
		if (s.ptr[i] == '@') {
			local = span_sub(s, 0, i);
			dom = span_sub(s, i + 1, s.len - i - 1);
			break;
		}
	}
	if (local.len <= API_SPF_MAX_LOCAL && dom.len <= API_SPF_MAX_DOMAIN)
		return 0;
	lp = local.len > API_SPF_MAX_LOCAL;
	m.id = lp ? "problem.invalid-parameter.sender_local" :
	            "problem.invalid-parameter.sender_domain";
	(void)texts_msg_num(&m, "length", lp ? local.len : dom.len);
	(void)texts_msg_num(&m, "max",
	    lp ? API_SPF_MAX_LOCAL : API_SPF_MAX_DOMAIN);
	return api_reject(api, req, 400, "invalid-parameter", &m);
}

static void
api_spf(struct api *api, struct http_req *req)
{
	const struct diagrun_env *re = api->env->diagrun;
	struct api_spf_job *job;
	struct arena *arena;
	const struct texts_msg *why;
	const char *ip, *sender, *helo, *domain, *lang;
	enum lang l = LANG_EN;
	unsigned char addr[16];

	/* sender and helo as SMTP carries them: RFC 7208 says what a
	 * quoted local part with spaces (%{l}, §7.3) and a HELO name that
	 * is no host name (%{h}, §7.3; the HELO identity, §2.3) come to,
	 * so they are evaluated, not refused */
	if (api_param(api, req, "ip", 64, false, &ip) == -1 ||
	    api_param(api, req, "sender", API_SPF_MAX_SENDER, true, &sender) ==
	        -1 ||
	    (sender != NULL && api_spf_sender(api, req, sender) == -1) ||
	    api_param(api, req, "helo", API_SPF_MAX_DOMAIN, true, &helo) ==
	        -1 ||
	    api_param(api, req, "domain", API_SPF_MAX_DOMAIN, false, &domain) ==
	        -1 ||
	    api_param(api, req, "lang", 16, false, &lang) == -1)
		return;
	if (lang != NULL && api_lang_query(api, req, lang, &l) == -1)
		return;
	if (ip == NULL ||
	    (inet_pton(AF_INET, ip, addr) != 1 &&
	        inet_pton(AF_INET6, ip, addr) != 1)) {
		api_problem(api, req, 400, "invalid-parameter", NULL, 0,
		    "problem.invalid-parameter.ip", TEXTS_MSG_END);
		return;
	}
	if (http_req_query(req, "sender") == NULL && domain == NULL &&
	    helo == NULL) {
		api_problem(api, req, 400, "invalid-parameter", NULL, 0,
		    "problem.invalid-parameter.identity", TEXTS_MSG_END);
		return;
	}
	if (re == NULL || re->run.resolver == NULL) {
		api_problem(api, req, 503, "dns-unavailable", NULL, 0,
		    "problem.dns-unavailable.spf", TEXTS_MSG_END);
		return;
	}
	arena = arena_new();
	if ((why = dnscanary_unchecked(re->run.canary, arena)) != NULL) {
		api_spf_unchecked(api, req, l, why);
		arena_free(arena);
		return;
	}
	job = arena_zalloc(arena, sizeof(*job));
	job->api = api;
	job->req = req;
	job->arena = arena;
	/* the query strings are MHD's; the job may outlive the handler */
	job->q.ip = arena_strndup(arena, ip, strlen(ip));
	job->q.sender = sender != NULL ?
	    arena_strndup(arena, sender, strlen(sender)) :
	    NULL;
	job->q.helo =
	    helo != NULL ? arena_strndup(arena, helo, strlen(helo)) : NULL;
	job->q.domain = domain != NULL ?
	    arena_strndup(arena, domain, strlen(domain)) :
	    NULL;
	/* only a HELO name: RFC 7208 §2.3, the HELO identity */
	job->q.check_helo = sender == NULL && domain == NULL;
	job->q.now = (uint64_t)time(NULL);
	job->session = resolver_session_new(re->run.resolver, arena,
	    evloop_now_ms() + api->env->cfg->checks_deadline_ms,
	    re->run.dns_budget);
	job->opts.fix = true;
	job->opts.providers = rules_providers(api->env->diag->rules);
	/* the sentences (reason, trace, not-checked reason, the fix) are
	 * put into lang when the answer is written; the rest is data */
	job->texts = api_texts_of(api);
	job->lang = l;
	job->starting = true;
	(void)spfcheck_start(job->session, arena, &job->q, &job->opts,
	    api_spf_done, job);
	job->starting = false;
	if (job->answered) {
		api_spf_respond(job);
		return;
	}
	http_req_on_cancel(req, api_spf_cancel, job);
}

void
api_handle(struct http_req *req, void *arg)
{
	struct api *api = arg;
	const char *method = http_req_method(req), *path = http_req_path(req);
	bool path_known = false;
	char allow[64] = "";

	if (http_req_malformed(req)) {
		api_problem(api, req, 400, "bad-request", NULL, 0,
		    "problem.bad-request.content_length", TEXTS_MSG_END);
		return;
	}
	if (strcmp(method, "HEAD") == 0)
		method = "GET"; /* libmicrohttpd drops the body for HEAD */
	for (size_t i = 0; i < API_NROUTES; i++) {
		const struct api_route *r = &api_routes[i];
		bool match = r->path != NULL ?
		    strcmp(r->path, path) == 0 :
		    webui_find(api->env->webui, path) != NULL;

		if (!match)
			continue;
		path_known = true;
		if (strcmp(r->method, method) == 0) {
			http_req_set_route(req, r->metric);
			r->fn(api, req);
			return;
		}
		(void)snprintf(allow + strlen(allow),
		    sizeof(allow) - strlen(allow), "%s%s",
		    allow[0] != '\0' ? ", " : "", r->method);
	}
	if (path_known) {
		struct http_header h = { "Allow", allow };
		char m[20];

		(void)snprintf(m, sizeof(m), "%.16s", method);
		api_problem(api, req, 405, "method-not-allowed", &h, 1,
		    "problem.method-not-allowed.detail", "method", m, "allow",
		    allow, TEXTS_MSG_END);
		return;
	}
	api_static(api, req);
}
