/* SPDX-License-Identifier: MIT */
/*
 * check_dkim.h - the DKIM key check of a diagnosis, or of a selector
 *
 * API: check_dkim_kind is the check (check.h) that checks.c's table
 * calls for on an authentication refusal whose returned message carries
 * a DKIM-Signature, and that GET /api/v1/dkim runs for a domain and a
 * selector: the key record the signature names (dkimcheck.h). Its
 * check_result's data is the struct dkimcheck_result; its summary says
 * whether receivers can verify the signature with it now.
 * Not here: the lookup and the key (dkimcheck.c, dkimkey.c), the JSON
 * (report_check.c).
 * Ownership: the result is in the run's arena.
 */
#ifndef CHECK_DKIM_H
#define CHECK_DKIM_H

#include "check.h"

extern const struct check_kind check_dkim_kind;

#endif
