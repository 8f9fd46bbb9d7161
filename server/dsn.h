/* SPDX-License-Identifier: MIT */
/*
 * dsn.h - RFC 3464 delivery status notifications, field by field
 *
 * API: dsn_parse(arena, body, &report) reads the content of a
 * message/delivery-status part (or message/global-delivery-status, RFC
 * 6533): the per-message field block, then one block per recipient,
 * blocks separated by empty lines (RFC 3464 §2.1; a line of white space
 * counts as empty). Field names are case-insensitive; folded lines are
 * unfolded (joined by one space); CR LF or LF. "type;" prefixes are split
 * off (Final-Recipient: rfc822; <user@example.com> → address
 * user@example.com, type rfc822) for the typed RFC 3464 fields when the
 * prefix is an atom, and for other fields only when it is a registered
 * type name (rfc822, utf-8, x400, unknown, dns, smtp) or x-something.
 * Unknown fields are kept in the generic lists so that X- extensions
 * (X-Postfix-Sender, X-Original-Message-ID, X-Actual-Recipient, ...) can
 * be read. The lists hold values as written (unfolded, trimmed, type
 * split, <> stripped from addresses); the named members are normalised
 * (action lowercased, status reduced to its leading code) and hold the
 * first occurrence of their field.
 * Tolerant (house style §2.5): a Final-Recipient (or an
 * Original-Recipient/Final-Recipient pair) repeated within a block starts
 * a new recipient, recipient fields in the per-message block start the
 * first recipient, per-message fields go to the report only before the
 * first recipient; junk lines are skipped. Anomalies are flagged in
 * report.anomalies. Bounded: at most DSN_MAX_RECIPIENTS recipients (the
 * rest of the body is ignored) and DSN_MAX_FIELDS listed fields per block;
 * linear time, no recursion, any bytes (NUL included) are safe.
 * Ownership: everything belongs to the arena; spans may point into body,
 * which must outlive the report.
 */
#ifndef DSN_H
#define DSN_H

#include <stddef.h>

#include "arena.h"
#include "span.h"

#define DSN_MAX_RECIPIENTS 256
#define DSN_MAX_FIELDS     64 /* per block */

#define DSN_ANOM_NO_RECIPIENT 0x1u /* no per-recipient block found */
#define DSN_ANOM_BAD_LINE     0x2u /* a line that is no field was skipped */
#define DSN_ANOM_TOO_MANY     0x4u /* recipients or fields beyond the limits */

/* RFC 3464 §2.3.3: what happened to the message for one recipient. */
enum dsn_action {
	DSN_ACTION_NONE, /* no Action field */
	DSN_ACTION_FAILED,
	DSN_ACTION_DELAYED,
	DSN_ACTION_DELIVERED,
	DSN_ACTION_RELAYED,
	DSN_ACTION_EXPANDED,
	DSN_ACTION_OTHER, /* a value RFC 3464 does not define */
};

/* The Action value (any case; NULL: none) as an enum. */
enum dsn_action dsn_action_parse(const char *value);

struct dsn_field {
	struct span name;  /* as written */
	struct span type;  /* "rfc822", "dns", "smtp", ... or empty */
	struct span value; /* after the "type;" prefix, unfolded, trimmed */
};

struct dsn_recipient {
	struct span final_recipient;    /* address, without "rfc822;" */
	struct span original_recipient; /* address, without "rfc822;" */
	struct span action;             /* lowercased: failed, delayed, ... */
	struct span status;             /* leading code "5.1.1", or the text */
	struct span remote_mta;         /* host or address, without "dns;" */
	struct span diagnostic_type;    /* "smtp", "x-unix", ... */
	struct span diagnostic_code;    /* the text after "smtp;" */
	struct span last_attempt_date;
	struct span will_retry_until;
	struct dsn_field *fields; /* every field of the block, in order */
	size_t nfields;
};

struct dsn_report {
	struct span reporting_mta; /* without "dns;" */
	struct span received_from_mta;
	struct span arrival_date;
	struct dsn_field *fields; /* every per-message field, in order */
	size_t nfields;
	struct dsn_recipient *recipients;
	size_t nrecipients;
	unsigned anomalies;
};

/* Parses body into *out, which is overwritten entirely. Never fails: a
 * malformed body gives a partial report and anomaly bits; a field that is
 * absent has an empty span with ptr NULL.
 * Ownership: borrows body (spans point into it) and allocates from a. */
void dsn_parse(struct arena *a, struct span body, struct dsn_report *out);

/* Returns the value of the first field named name (ASCII case-insensitive)
 * in a field list, or an empty span with ptr NULL when there is none.
 * Ownership: returns a view valid as long as the report. */
struct span dsn_field_get(const struct dsn_field *fields, size_t n,
    const char *name);

#endif
