/* SPDX-License-Identifier: MIT */
/*
 * check_ptr.h - the reverse-DNS check of a diagnosis, or of an IP alone
 *
 * API: check_ptr_kind is the check (check.h) that checks.c's table calls
 * for when the receiver refused the sending IP itself (a reverse-DNS
 * requirement, a block, a bad reputation, spam) and that GET
 * /api/v1/ptr and /api/v1/check run for an IP: its PTR names, their
 * forward confirmation, a generic-looking name and the HELO name
 * (ptrcheck.h). Its check_result's data is the struct ptrcheck_result;
 * its summary weighs the receiver's claim against DNS now.
 * Not here: the lookups and their judgement (ptrcheck.c, ptrname.c), the
 * JSON (report_check.c).
 * Ownership: the result is in the run's arena.
 */
#ifndef CHECK_PTR_H
#define CHECK_PTR_H

#include "check.h"

extern const struct check_kind check_ptr_kind;

#endif
