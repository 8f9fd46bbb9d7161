/* SPDX-License-Identifier: MIT */
/*
 * api.h - the routes of the service and the REST API
 *
 * API: api_new(env) prepares the route table; api_handle is the
 * http_handler_fn given to http_new: it routes each request (the page's
 * files, /healthz, /metrics, /openapi.yaml, POST /api/v1/diagnose,
 * GET /api/v1/spf, GET /api/v1/languages and /api/v1/texts: the
 * languages served and the page's texts in one), validates it, runs the diagnosis and the live checks
 * it calls for through diagrun.h (the connection waits, suspended, while
 * DNS answers come in) and answers with JSON or an RFC 9457 problem
 * document. Mirrors openapi.yaml.
 * Ownership: api_new returns owned (api_free); env is borrowed and must
 * outlive it (env->diag->rules holds the texts api_new reads).
 */
#ifndef API_H
#define API_H

#include "diagrun.h"
#include "http.h"
#include "metrics.h"
#include "webui.h"

struct api_env {
	const struct config *cfg;
	const struct diag_env *diag;
	const struct webui *webui;
	struct metrics *metrics;
	/* the diagnoses and their live checks; its resolver also serves
	 * GET /api/v1/spf */
	const struct diagrun_env *diagrun;
};

struct api;

struct api *api_new(const struct api_env *env);
void api_free(struct api *api);

void api_handle(struct http_req *req, void *arg);

#endif
