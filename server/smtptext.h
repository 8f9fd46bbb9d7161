/* SPDX-License-Identifier: MIT */
/*
 * smtptext.h - reading SMTP wording: codes, stage, recipients
 *
 * API: small functions over text that describes an SMTP failure, shared by
 * the pasted-text path (bounce.c) and the whole-message path (message.c):
 * smtptext_collapse turns any text into the one-line form the rules match,
 * smtptext_reply_code and smtptext_status find the failure's codes (not
 * the digits of an IP address or a "250 OK" before them),
 * smtptext_stage tells which SMTP command the reply answered, and
 * smtptext_recipient_at whether the wording marks an address as the
 * recipient.
 * Ownership: results belong to the arena passed in.
 */
#ifndef SMTPTEXT_H
#define SMTPTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "span.h"

/* The SMTP command a reply answered (RFC 5321 §3). */
enum smtptext_stage {
	SMTPTEXT_STAGE_UNKNOWN,
	SMTPTEXT_STAGE_CONNECT,
	SMTPTEXT_STAGE_HELO,
	SMTPTEXT_STAGE_MAIL,
	SMTPTEXT_STAGE_RCPT,
	SMTPTEXT_STAGE_DATA,
};

/* Every run of white space becomes one space; at most max bytes, cut at a
 * character boundary; *cut tells whether anything was left out. */
struct span smtptext_collapse(struct arena *a, struct span s, size_t max,
    bool *cut);
/* The first reply code in text: 4xx/5xx preferred over 2xx/3xx. */
const char *smtptext_reply_code(struct arena *a, struct span text);
/* The first enhanced status code, preferring class cls ('4'/'5', or 0). */
const char *smtptext_status(struct arena *a, struct span text, char cls);
/* Which command the first stage wording in text names. */
enum smtptext_stage smtptext_stage(struct span text);
/* "data", "rcpt", ...; NULL for SMTPTEXT_STAGE_UNKNOWN. */
const char *smtptext_stage_str(enum smtptext_stage s);
/* Does the wording around t[pos, end) mark the address there as the
 * recipient ("RCPT TO:<", "<x>... User unknown", an Exim list line, ...)? */
bool smtptext_recipient_at(struct span t, size_t pos, size_t end);

#endif
