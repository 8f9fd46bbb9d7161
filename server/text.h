/* SPDX-License-Identifier: MIT */
/*
 * text.h - make untrusted bytes safe text
 *
 * API: text_sanitize(arena, in, flags, &anom) returns a copy of in that is
 * valid UTF-8 (each byte that does not start a valid sequence becomes
 * U+FFFD, so a damaged character shows as one mark per byte); with
 * TEXT_NORMALISE it also turns CR LF and lone CR into LF and NUL and other
 * C0/C1 control characters (except tab and LF) into spaces.
 * anom_out gets TEXT_ANOM_* bits for what was repaired (may be NULL).
 * Ownership: the result is owned by the arena.
 */
#ifndef TEXT_H
#define TEXT_H

#include "arena.h"
#include "span.h"

#define TEXT_NORMALISE 0x1u

#define TEXT_ANOM_UTF8    0x1u /* invalid UTF-8 was replaced */
#define TEXT_ANOM_CONTROL 0x2u /* NUL or control characters became spaces */

struct span text_sanitize(struct arena *a, struct span in, unsigned flags,
    unsigned *anom_out);

/* Length of the valid UTF-8 sequence at s[0..n), or 0 if invalid. */
size_t text_utf8_seqlen(const unsigned char *s, size_t n);

/* Count LF-terminated lines (a last line without LF counts too). */
size_t text_count_lines(struct span s);

#endif
