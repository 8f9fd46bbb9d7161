/* SPDX-License-Identifier: MIT */
/*
 * reason.h - the reasons the code decides on by name
 *
 * API: enum reason lists each reason of the vocabulary (REASONS.md) that a
 * decision in the code names: a verdict from the structure of the bounce
 * (feedback, vacation, delivered), a fallback (expired, onhold,
 * undefined, ...), a mapping table (sysexits.h exit statuses, PowerMTA's
 * bounce categories), a rewrite (filtered, networkerror, rejected) or the
 * table of live checks (checks.c: authfailure calls for the SPF check).
 * reason_str gives the name
 * under which reasons.json defines it. rules_load (rules.h) resolves every
 * one of them to its reasons.json entry and refuses to load without it, so
 * no request ever looks a reason up by a name that may be missing.
 * REASON_NONE is "no reason named" (a zeroed struct says it).
 * Reasons that only data names (rules, code tables) are not listed here.
 */
#ifndef REASON_H
#define REASON_H

enum reason {
	REASON_NONE,
	REASON_AUTHFAILURE,
	REASON_BADREPUTATION,
	REASON_BLOCKED,
	REASON_CONTENTERROR,
	REASON_DELIVERED,
	REASON_EXPIRED,
	REASON_FEEDBACK,
	REASON_FILTERED,
	REASON_HOSTUNKNOWN,
	REASON_MAILBOXFULL,
	REASON_MAILERERROR,
	REASON_NETWORKERROR,
	REASON_NORELAYING,
	REASON_NOTACCEPT,
	REASON_ONHOLD,
	REASON_POLICYVIOLATION,
	REASON_REJECTED,
	REASON_REQUIREPTR,
	REASON_SPAMDETECTED,
	REASON_SUSPEND,
	REASON_SYSTEMERROR,
	REASON_UNDEFINED,
	REASON_USERUNKNOWN,
	REASON_VACATION,
	REASON_VIRUSDETECTED,
	REASON_COUNT,
};

/* The reason's name in reasons.json ("userunknown"); NULL for
 * REASON_NONE. Returns a static string. */
const char *reason_str(enum reason r);

#endif
