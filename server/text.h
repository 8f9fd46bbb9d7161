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

/*
 * Offset of the first occurrence of needle in hay ignoring ASCII case, or
 * SIZE_MAX. needle must be lowercase. Linear in hay and needle whatever
 * they hold (Knuth-Morris-Pratt), and scans with memchr for the first
 * letter in both cases, so it costs little more than a plain search.
 */
size_t text_ifind(struct span hay, const char *needle);

/*
 * Copy n bytes of src to dst with ASCII A-Z lowercased, which is what
 * tolower() does in the C locale; other bytes are copied as they are. dst
 * may be src. text_lower_ascii_run stops at the first byte that is not
 * ASCII and returns how many it copied.
 */
void text_lower_ascii(char *dst, const char *src, size_t n);
size_t text_lower_ascii_run(char *dst, const char *src, size_t n);

/* Count LF-terminated lines (a last line without LF counts too). */
size_t text_count_lines(struct span s);

#endif
