/* SPDX-License-Identifier: MIT */
/*
 * message.h - a whole bounce email, taken apart into failed deliveries
 *
 * API: message_parse(dec, arena, input, &b) reads a complete message
 * (mime.h) and fills the same struct bounce as bounce_parse does for a
 * pasted fragment: one failure per recipient of an RFC 3464 delivery
 * status notification (dsn.h), or per recipient named in the prose of a
 * bounce that has no DSN part (Exim, qmail, Sendmail, Exchange and the
 * big providers write such bounces); ARF feedback reports, automatic
 * replies and ordinary mail are recognised as what they are. The entities
 * come from the bounce's human-readable part and its DSN fields, the
 * envelope sender's domain from X-Postfix-Sender, the returned message's
 * headers or the bounce's own To:.
 * Ownership: everything belongs to the arena; dec is borrowed.
 */
#ifndef MESSAGE_H
#define MESSAGE_H

#include "arena.h"
#include "bounce.h"
#include "mime.h"
#include "span.h"

#define MESSAGE_MAX_FAILURES 256
#define MESSAGE_MAX_BLOCK    4096 /* bytes of prose kept per recipient */

void message_parse(struct mime_decoder *dec, struct arena *a, struct span input,
    struct bounce *out);

#endif
