/* SPDX-License-Identifier: MIT */
/*
 * report.h - a diagnosis as the API's JSON document
 *
 * API: report_diagnosis(d, &len) renders struct diag as the Diagnosis
 * object of openapi.yaml, in d->lang. report_problem renders an RFC 9457
 * problem document. Both are compact JSON, valid UTF-8.
 * Ownership: both return owned text (free(), or hand it to http_respond).
 */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>

struct diag;

char *report_diagnosis(const struct diag *d, size_t *len_out);
char *report_problem(const char *code, const char *title, unsigned status,
    const char *detail, size_t *len_out);

#endif
