/* SPDX-License-Identifier: MIT */
/*
 * api_check.h - the check endpoints: live checks without a bounce
 *
 * API: api_check is the handler of every check endpoint (GET
 * /api/v1/check, /api/v1/mx, /ptr, /dnsbl, /dmarc, /dkim; api.c routes
 * them here): it validates the parameters, runs the checks (checkrun.h)
 * and answers their JSON, or a problem document.
 * Ownership: borrows api and req; the request's work lives in an arena
 * of its own until the answer is sent.
 */
#ifndef API_CHECK_H
#define API_CHECK_H

#include "http.h"

struct api;

void api_check(struct api *api, struct http_req *req);

#endif
