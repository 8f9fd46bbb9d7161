/* SPDX-License-Identifier: MIT */
/*
 * api_check.c - the check endpoints: live checks without a bounce
 *
 * GET /api/v1/check?ip=&domain= runs every check that applies to a
 * sending IP and a sender domain at once and answers {"lang", "checks"}
 * shaped as in a diagnosis; GET /api/v1/mx, /ptr, /dnsbl, /dmarc and
 * /dkim run one check and answer its object alone. One table says, per
 * path, which checks run and which parameters they take; every check
 * runs through checkrun.h, with the deadline and the DNS budget of a
 * diagnosis, and the connection waits, suspended, for the answers.
 * Not here: the checks (check_*.c), their JSON (report_check.c), routing
 * and the other endpoints (api.c).
 */
#include "api_check.h"

#include <string.h>

#include <arpa/inet.h>

#include "api_int.h"
#include "ascii.h"
#include "check_dkim.h"
#include "check_dmarc.h"
#include "check_dnsbl.h"
#include "check_mx.h"
#include "check_ptr.h"
#include "check_spf.h"
#include "checkrun.h"
#include "orgdomain.h"
#include "report.h"
#include "texts.h"

/* The parameters a check endpoint takes. */
#define API_CHECK_IP       0x1u
#define API_CHECK_DOMAIN   0x2u
#define API_CHECK_SELECTOR 0x4u
#define API_CHECK_HELO     0x8u

#define API_CHECK_MAX_KINDS 8
#define API_CHECK_MAX_NAME  253 /* a domain name as text (RFC 1035) */

struct api_check_route {
	const char *path;
	unsigned takes;    /* API_CHECK_* it reads */
	unsigned requires; /* of which it needs all */
	unsigned one_of;   /* of which it needs at least one (0: none) */
	bool single;       /* answers the one check's object alone */
	const struct check_kind *kinds[API_CHECK_MAX_KINDS];
};

static const struct api_check_route api_check_routes[] = {
	{ "/api/v1/check", API_CHECK_IP | API_CHECK_DOMAIN | API_CHECK_HELO, 0,
	    API_CHECK_IP | API_CHECK_DOMAIN, false,
	    { &check_spf_kind, &check_dmarc_kind, &check_ptr_kind,
	        &check_dnsbl_kind, &check_mx_kind } },
	{ "/api/v1/dmarc", API_CHECK_DOMAIN, API_CHECK_DOMAIN, 0, true,
	    { &check_dmarc_kind } },
	{ "/api/v1/dkim", API_CHECK_DOMAIN | API_CHECK_SELECTOR,
	    API_CHECK_DOMAIN | API_CHECK_SELECTOR, 0, true,
	    { &check_dkim_kind } },
	{ "/api/v1/dnsbl", API_CHECK_IP | API_CHECK_DOMAIN, 0,
	    API_CHECK_IP | API_CHECK_DOMAIN, true, { &check_dnsbl_kind } },
	{ "/api/v1/mx", API_CHECK_DOMAIN, API_CHECK_DOMAIN, 0, true,
	    { &check_mx_kind } },
	{ "/api/v1/ptr", API_CHECK_IP | API_CHECK_HELO, API_CHECK_IP, 0, true,
	    { &check_ptr_kind } },
};

#define API_CHECK_NROUTES \
	(sizeof(api_check_routes) / sizeof(api_check_routes[0]))

/* A check request in flight; lives in its arena. */
struct api_check_job {
	const struct api *api;
	struct http_req *req;
	struct arena *arena;
	struct checkrun *run;
	enum lang lang;
	bool single;
};

static void
api_check_free(struct api_check_job *job)
{
	struct arena *a = job->arena;

	checkrun_free(job->run);
	arena_free(a);
}

static void
api_check_respond(struct api_check_job *job)
{
	const struct texts *t = api_texts_of(job->api);
	const struct check_result *r;
	const struct http_header h[] = { { "Cache-Control", "no-store" },
		{ "Content-Language", lang_str(texts_langs(t), job->lang) } };
	size_t n, len;
	char *body;

	r = checkrun_results(job->run, &n);
	body = job->single && n == 1 ?
	    report_check_one(t, job->lang, &r[0], &len) :
	    report_checks(t, job->lang, r, n, &len);
	http_respond(job->req, 200, "application/json", body, len, h, 2);
	api_check_free(job);
}

/* api_check_done - checkrun_done_fn: the checks that waited are done */
static void
api_check_done(struct checkrun *run, void *arg)
{
	(void)run;
	api_check_respond(arg);
}

/* api_check_cancel - the service is shutting down under a waiting
 * request */
static void
api_check_cancel(struct http_req *req, void *arg)
{
	struct api_check_job *job = arg;

	(void)req;
	api_problem_in(job->api, job->req, job->lang, 503, "shutting-down",
	    NULL, 0, "problem.shutting-down.detail", TEXTS_MSG_END);
	api_check_free(job);
}

/* api_check_invalid - answer invalid-parameter with the detail id for
 * the parameter name; returns -1 */
static int
api_check_invalid(const struct api *api, struct http_req *req, const char *id,
    const char *name)
{
	struct texts_msg m = { .id = id };

	(void)texts_msg_arg(&m, "name", name);
	return api_reject(api, req, 400, "invalid-parameter", &m);
}

/* api_check_names - the names of the parameters in the set, for a
 * detail */
static const char *
api_check_names(unsigned set)
{
	switch (set) {
	case API_CHECK_IP:
		return "ip";
	case API_CHECK_DOMAIN:
		return "domain";
	case API_CHECK_DOMAIN | API_CHECK_SELECTOR:
		return "domain, selector";
	default:
		return "ip, domain";
	}
}

/* api_check_params - the route's parameters into in, validated; 0, or
 * -1 with a 400 problem answered */
static int
api_check_params(const struct api *api, struct http_req *req,
    const struct api_check_route *rt, struct arena *a, struct check_in *in)
{
	const char *ip = NULL, *domain = NULL, *selector = NULL, *helo = NULL;
	unsigned char addr[16];
	unsigned given = 0;

	if (((rt->takes & API_CHECK_IP) &&
	        api_param(api, req, "ip", 64, false, &ip) == -1) ||
	    ((rt->takes & API_CHECK_DOMAIN) &&
	        api_param(api, req, "domain", API_CHECK_MAX_NAME + 1, false,
	            &domain) == -1) ||
	    ((rt->takes & API_CHECK_SELECTOR) &&
	        api_param(api, req, "selector", API_CHECK_MAX_NAME, false,
	            &selector) == -1) ||
	    ((rt->takes & API_CHECK_HELO) &&
	        api_param(api, req, "helo", 255, true, &helo) == -1))
		return -1;
	if (ip != NULL && inet_pton(AF_INET, ip, addr) != 1 &&
	    inet_pton(AF_INET6, ip, addr) != 1)
		return api_reject(api, req, 400, "invalid-parameter",
		    &(struct texts_msg){
		        .id = "problem.invalid-parameter.ip" });
	if (domain != NULL && !orgdomain_is_name(span_cstr(domain)))
		return api_check_invalid(api, req,
		    "problem.invalid-parameter.domain", "domain");
	if (selector != NULL && !orgdomain_is_name(span_cstr(selector)))
		return api_check_invalid(api, req,
		    "problem.invalid-parameter.domain", "selector");
	given = (ip != NULL ? API_CHECK_IP : 0) |
	    (domain != NULL ? API_CHECK_DOMAIN : 0) |
	    (selector != NULL ? API_CHECK_SELECTOR : 0) |
	    (helo != NULL ? API_CHECK_HELO : 0);
	if ((given & rt->requires) != rt->requires ||
	    (rt->one_of != 0 && (given & rt->one_of) == 0)) {
		struct texts_msg m = { .id = rt->one_of != 0 ?
			    "problem.invalid-parameter.needs_one" :
			    "problem.invalid-parameter.needs" };

		(void)texts_msg_arg(&m, "parameters",
		    api_check_names(
		        rt->one_of != 0 ? rt->one_of : rt->requires));
		return api_reject(api, req, 400, "invalid-parameter", &m);
	}
	/* the query strings are MHD's; the job may outlive the handler */
	in->sending_ip = ip != NULL ? arena_strndup(a, ip, strlen(ip)) : NULL;
	if (domain != NULL) {
		size_t n = strlen(domain);
		char *d = arena_strndup(a, domain, n);

		if (n > 0 && d[n - 1] == '.')
			d[--n] = '\0';
		ascii_lower(d, d, n);
		in->sender_domain = in->domain = d;
	}
	in->dkim_domain = in->domain;
	in->dkim_selector = selector != NULL ?
	    arena_strndup(a, selector, strlen(selector)) :
	    NULL;
	in->helo = helo != NULL ? arena_strndup(a, helo, strlen(helo)) : NULL;
	return 0;
}

/* api_check_applies - has in what kind needs? */
static bool
api_check_applies(const struct check_kind *kind, const struct check_in *in)
{
	unsigned needs = kind->needs;

	return !(((needs & CHECK_NEEDS_SENDING_IP) && in->sending_ip == NULL) ||
	    ((needs & CHECK_NEEDS_SENDER_DOMAIN) &&
	        in->sender_domain == NULL) ||
	    ((needs & CHECK_NEEDS_DOMAIN) && in->domain == NULL) ||
	    ((needs & CHECK_NEEDS_DKIM) &&
	        (in->dkim_domain == NULL || in->dkim_selector == NULL)) ||
	    ((needs & CHECK_NEEDS_DNSBL) &&
	        (in->env == NULL || in->env->dnsbl == NULL)) ||
	    ((needs & CHECK_NEEDS_IP_OR_DOMAIN) && in->sending_ip == NULL &&
	        in->domain == NULL) ||
	    (needs & (CHECK_NEEDS_RECIPIENT_DOMAIN | CHECK_NEEDS_REMOTE_HOST)));
}

void
api_check(struct api *api, struct http_req *req)
{
	const struct diagrun_env *re = api->env->diagrun;
	const struct api_check_route *rt = NULL;
	const char *lang = http_req_query(req, "lang");
	struct api_check_job *job;
	struct check_in in = { 0 };
	struct arena *a;
	enum lang l = LANG_EN;

	for (size_t i = 0; i < API_CHECK_NROUTES && rt == NULL; i++) {
		if (strcmp(api_check_routes[i].path, http_req_path(req)) == 0)
			rt = &api_check_routes[i];
	}
	ASSERT(rt != NULL);
	if (lang != NULL && api_lang_query(api, req, lang, &l) == -1)
		return;
	if (re == NULL || re->run.resolver == NULL) {
		api_problem(api, req, 503, "dns-unavailable", NULL, 0,
		    "problem.dns-unavailable.checks", TEXTS_MSG_END);
		return;
	}
	a = arena_new();
	if (api_check_params(api, req, rt, a, &in) == -1) {
		arena_free(a);
		return;
	}
	job = arena_zalloc(a, sizeof(*job));
	job->api = api;
	job->req = req;
	job->arena = a;
	job->lang = l;
	job->single = rt->single;
	job->run = checkrun_new(&re->run, a);
	in.env = re->checks;
	in.lang = l;
	for (size_t i = 0; i < API_CHECK_MAX_KINDS && rt->kinds[i] != NULL;
	     i++) {
		if (api_check_applies(rt->kinds[i], &in))
			(void)checkrun_add(job->run, rt->kinds[i], &in);
	}
	checkrun_go(job->run, api->env->cfg->checks_deadline_ms, api_check_done,
	    job);
	if (checkrun_is_done(job->run)) {
		api_check_respond(job);
		return;
	}
	http_req_on_cancel(req, api_check_cancel, job);
}
