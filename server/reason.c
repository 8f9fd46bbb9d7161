/* SPDX-License-Identifier: MIT */
/*
 * reason.c - the names of the reasons the code decides on
 *
 * Not here: what a reason means and its texts (rules/reasons.json, loaded
 * by rules.c); the decisions that name them (diag.c, message.c,
 * checks.c).
 */
#include "reason.h"

#include <stddef.h>

static const char *const reason_names[REASON_COUNT] = {
	[REASON_NONE] = NULL,
	[REASON_AUTHFAILURE] = "authfailure",
	[REASON_BADREPUTATION] = "badreputation",
	[REASON_BLOCKED] = "blocked",
	[REASON_CONTENTERROR] = "contenterror",
	[REASON_DELIVERED] = "delivered",
	[REASON_EXPIRED] = "expired",
	[REASON_FEEDBACK] = "feedback",
	[REASON_FILTERED] = "filtered",
	[REASON_HOSTUNKNOWN] = "hostunknown",
	[REASON_MAILBOXFULL] = "mailboxfull",
	[REASON_MAILERERROR] = "mailererror",
	[REASON_NETWORKERROR] = "networkerror",
	[REASON_NORELAYING] = "norelaying",
	[REASON_NOTACCEPT] = "notaccept",
	[REASON_ONHOLD] = "onhold",
	[REASON_POLICYVIOLATION] = "policyviolation",
	[REASON_REJECTED] = "rejected",
	[REASON_REQUIREPTR] = "requireptr",
	[REASON_SPAMDETECTED] = "spamdetected",
	[REASON_SUSPEND] = "suspend",
	[REASON_SYSTEMERROR] = "systemerror",
	[REASON_UNDEFINED] = "undefined",
	[REASON_USERUNKNOWN] = "userunknown",
	[REASON_VACATION] = "vacation",
	[REASON_VIRUSDETECTED] = "virusdetected",
};

const char *
reason_str(enum reason r)
{
	return (unsigned)r < REASON_COUNT ? reason_names[r] : NULL;
}
