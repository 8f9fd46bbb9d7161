/* SPDX-License-Identifier: MIT */
/*
 * check_spf.h - the SPF check of a diagnosis
 *
 * API: check_spf_kind is the check (check.h) that checks.c's table calls
 * for an authentication refusal: it evaluates the sender domain's SPF
 * record for the refused client (spfcheck.h, with a fix for fail,
 * softfail, none and permerror, the bounce's host names, domains and
 * addresses as hints to the sender's provider). Its check_result's data
 * is a struct check_spf_result; a fix that re-evaluates to pass becomes
 * the verified step, replacing the fix steps tagged "spf_record".
 * Not here: RFC 7208 (spf.c), the DNS phases (spfcheck.c), the JSON
 * (report.c).
 * Ownership: the result and all it points to are in the diagnosis's
 * arena.
 */
#ifndef CHECK_SPF_H
#define CHECK_SPF_H

#include "check.h"
#include "spf.h"
#include "spffix.h"

struct check_spf_result {
	struct spf_query query;            /* what was asked */
	const struct spf_outcome *outcome; /* never NULL */
	const struct spffix *fix;          /* the fix proposed, or NULL */
	const char *ptr; /* the client's confirmed PTR name, or NULL */
};

extern const struct check_kind check_spf_kind;

#endif
