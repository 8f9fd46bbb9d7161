/* SPDX-License-Identifier: MIT */
/*
 * check_mx.h - the MX check of a diagnosis, or of a domain alone
 *
 * API: check_mx_kind is the check (check.h) that checks.c's table calls
 * for when a recipient's domain may be at fault (an unknown user or
 * host, a domain that accepts no mail, a network error, an expired
 * delivery), and that GET /api/v1/mx and /api/v1/check run for a domain.
 * It looks up where mail to check_in.domain goes (mxcheck.h); its
 * check_result's data is the struct mxcheck_result, and its summary
 * weighs the receiver's claim against what DNS says now.
 * Not here: the lookups and their judgement (mxcheck.c), the JSON
 * (report_check.c).
 * Ownership: the result is in the run's arena.
 */
#ifndef CHECK_MX_H
#define CHECK_MX_H

#include "check.h"

extern const struct check_kind check_mx_kind;

#endif
