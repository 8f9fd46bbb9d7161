/* SPDX-License-Identifier: MIT */
/*
 * check_dmarc.h - the DMARC check of a diagnosis, or of a domain alone
 *
 * API: check_dmarc_kind is the check (check.h) that checks.c's table
 * calls for on an authentication refusal (for the sender's domain), and
 * that GET /api/v1/dmarc and /api/v1/check run for a domain: its DMARC
 * record, else its organisational domain's (dmarccheck.h). Its
 * check_result's data is the struct dmarccheck_result; its summary says
 * what the policy asks receivers to do with mail that fails.
 * Not here: the lookups and the record (dmarccheck.c, dmarcrec.c), the
 * JSON (report_check.c).
 * Ownership: the result is in the run's arena.
 */
#ifndef CHECK_DMARC_H
#define CHECK_DMARC_H

#include "check.h"

extern const struct check_kind check_dmarc_kind;

#endif
