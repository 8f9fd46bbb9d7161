/* SPDX-License-Identifier: MIT */
/*
 * report.h - a diagnosis as the API's JSON document
 *
 * API: report_diagnosis(d, checks, nchecks, &len) renders struct diag and
 * the results of its live checks (diagrun_checks) as the Diagnosis object
 * of openapi.yaml, in d->lang; report_spf renders one SPF evaluation
 * (SpfCheck); report_checks and report_check_one render checks run
 * without a bounce (report_check.c). report_problem renders an RFC 9457
 * problem document. All
 * are compact JSON, valid UTF-8.
 * Ownership: all return owned text (free(), or hand it to http_respond);
 * the arguments are borrowed.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>

#include "lang.h"

struct check_result;
struct diag;
struct spf_outcome;
struct spf_query;
struct spffix;
struct texts;
struct texts_msg;

/* checks: the results of the live checks that ran, nchecks of them (0,
 * and NULL, when none ran): each under checks.<name>, and a fix step one
 * of them verified in place of the steps it replaces. */
char *report_diagnosis(const struct diag *d, const struct check_result *checks,
    size_t nchecks, size_t *len_out);
/* One SPF evaluation (GET /api/v1/spf): the SpfCheck object, its
 * sentences from t in l. unchecked: NULL, or why the result says nothing
 * about the domain; fix: the fix proposed, or NULL; ptr: the client's
 * confirmed PTR name, or NULL. Borrows all of them. */
char *report_spf(const struct texts *t, enum lang l, const struct spf_query *q,
    const struct spf_outcome *o, const struct texts_msg *unchecked,
    const struct spffix *fix, const char *ptr, size_t *len_out);
/* The results of checks asked for without a bounce (GET /api/v1/check):
 * {"lang", "checks": {name: object, ...}}, as in a diagnosis. */
char *report_checks(const struct texts *t, enum lang l,
    const struct check_result *checks, size_t nchecks, size_t *len_out);
/* One check's object alone (GET /api/v1/mx, /api/v1/ptr, ...). */
char *report_check_one(const struct texts *t, enum lang l,
    const struct check_result *r, size_t *len_out);
char *report_problem(const char *code, const char *title, unsigned status,
    const char *detail, size_t *len_out);

#endif
