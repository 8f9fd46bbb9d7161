/* SPDX-License-Identifier: MIT */
/*
 * ascii.h - ASCII byte classes, case folding, comparison, trimming, tokens
 *
 * API: every parser asks this module about bytes instead of <ctype.h> or
 * strcasecmp: the answers are fixed. They are the C locale's for bytes
 * below 0x80, and a byte from 0x80 up is in no class and is never folded,
 * whatever the process locale (nothing here reads it). A byte may be
 * passed as char, unsigned char or int; only its low 8 bits count, so a
 * negative char and EOF are bytes from 0x80 up, never undefined behaviour.
 *
 * Byte tests: ascii_is(c, ASCII_*) for any union of the classes below, and
 * ascii_is_digit, _alpha, _alnum, _xdigit, _upper, _space and _wsp for the
 * common ones; ascii_tolower, ascii_toupper; ascii_hex_value.
 * Spans: ascii_ieq and ascii_ieq_cstr (equality ignoring case),
 * ascii_iprefix, ascii_ifind (search), ascii_trim and ascii_all (by
 * class), ascii_token (the next token between separators of a class).
 * Lowercasing: ascii_lower and ascii_lower_run (in place or into a
 * buffer, 8 bytes at a time), ascii_lower_dup and ascii_lower_span (into
 * an arena). Word-at-a-time scans: ascii_word, ASCII_HIGHS, ASCII_ONES,
 * and ascii_run_len (the length of the leading ASCII run).
 * Ownership: spans are borrowed for the call; results that are spans of
 * the input are views of it; copies are owned by the arena passed in.
 * Not here: UTF-8 (text.h), Unicode case folding (prefilter.c).
 */
#ifndef ASCII_H
#define ASCII_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "span.h"

/* Byte classes: bits of ascii_class[], to be tested with ascii_is. */
#define ASCII_DIGIT    0x001u /* 0-9 */
#define ASCII_UPPER    0x002u /* A-Z */
#define ASCII_LOWER    0x004u /* a-z */
#define ASCII_HEXALPHA 0x008u /* a-f and A-F */
#define ASCII_SP       0x010u /* space */
#define ASCII_HTAB     0x020u /* horizontal tab */
#define ASCII_CRLF     0x040u /* CR and LF */
#define ASCII_VTFF     0x080u /* vertical tab and form feed */
#define ASCII_TOKEN    0x100u /* RFC 2045 §5.1 token: VCHAR but tspecials */
#define ASCII_VCHAR    0x200u /* RFC 5234 VCHAR: visible, 0x21-0x7e */

#define ASCII_ALPHA  (ASCII_UPPER | ASCII_LOWER)
#define ASCII_ALNUM  (ASCII_ALPHA | ASCII_DIGIT)
#define ASCII_XDIGIT (ASCII_DIGIT | ASCII_HEXALPHA)
/* RFC 5234 WSP */
#define ASCII_WSP    (ASCII_SP | ASCII_HTAB)
/* the bytes of RFC 5322 §3.2.2 folding white space */
#define ASCII_FWS    (ASCII_WSP | ASCII_CRLF)
/* the C locale's white space (isspace) */
#define ASCII_SPACE  (ASCII_FWS | ASCII_VTFF)

/* The classes of each byte; 0 from 0x80 up. Read it through ascii_is. */
extern const uint16_t ascii_class[256];

/* ascii_is - is byte c in one of the classes cls (ASCII_* bits)? */
static inline bool
ascii_is(int c, unsigned cls)
{
	return (ascii_class[(unsigned char)c] & cls) != 0u;
}

static inline bool
ascii_is_digit(int c)
{
	return ascii_is(c, ASCII_DIGIT);
}

static inline bool
ascii_is_alpha(int c)
{
	return ascii_is(c, ASCII_ALPHA);
}

static inline bool
ascii_is_alnum(int c)
{
	return ascii_is(c, ASCII_ALNUM);
}

static inline bool
ascii_is_xdigit(int c)
{
	return ascii_is(c, ASCII_XDIGIT);
}

static inline bool
ascii_is_upper(int c)
{
	return ascii_is(c, ASCII_UPPER);
}

/* ascii_is_space - space, tab, CR, LF, vertical tab or form feed */
static inline bool
ascii_is_space(int c)
{
	return ascii_is(c, ASCII_SPACE);
}

/* ascii_is_wsp - space or tab (RFC 5234 WSP) */
static inline bool
ascii_is_wsp(int c)
{
	return ascii_is(c, ASCII_WSP);
}

/* ascii_tolower - A-Z to a-z; every other byte as it is */
static inline char
ascii_tolower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}

/* ascii_toupper - a-z to A-Z; every other byte as it is */
static inline char
ascii_toupper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - ('a' - 'A')) : c;
}

/*
 * Word-at-a-time scans read 8 bytes at once: ascii_word loads them (any
 * alignment, memory order); ASCII_HIGHS has the top bit of each byte, so a
 * word is all ASCII when w & ASCII_HIGHS is 0, and ASCII_ONES a 1 in each.
 */
#define ASCII_ONES  0x0101010101010101ull
#define ASCII_HIGHS 0x8080808080808080ull

static inline uint64_t
ascii_word(const void *s)
{
	uint64_t w;

	memcpy(&w, s, sizeof(w));
	return w;
}

/* ascii_run_len - how many bytes at the start of s are ASCII (below 0x80),
 * read 8 at a time */
static inline size_t
ascii_run_len(struct span s)
{
	const unsigned char *p = (const unsigned char *)s.ptr;
	size_t i = 0;

	while (s.len - i >= 8 && (ascii_word(p + i) & ASCII_HIGHS) == 0)
		i += 8;
	while (i < s.len && p[i] < 0x80)
		i++;
	return i;
}

/* ascii_hex_value - the value of hex digit c (either case), or -1 */
static inline int
ascii_hex_value(int c)
{
	unsigned char b = (unsigned char)c;

	if (ascii_is(b, ASCII_DIGIT))
		return b - '0';
	if (ascii_is(b, ASCII_HEXALPHA))
		return (b | 0x20) - 'a' + 10;
	return -1;
}

/*
 * ascii_ieq - are a and b the same length and equal but for ASCII case?
 * Every byte counts, NUL included. ascii_ieq_cstr compares s with the
 * NUL-terminated string lit (any case) the same way, without strlen.
 */
bool ascii_ieq(struct span a, struct span b);
bool ascii_ieq_cstr(struct span s, const char *lit);

/* ascii_iprefix - does s start with prefix, ignoring ASCII case? An empty
 * prefix starts every span. */
bool ascii_iprefix(struct span s, struct span prefix);

/*
 * ascii_ifind - offset of the first occurrence of needle in hay ignoring
 * ASCII case, or SIZE_MAX; 0 for an empty needle. needle is
 * NUL-terminated and must be lowercase. Linear in hay and needle whatever
 * they hold (Knuth-Morris-Pratt), and scans with memchr for the first
 * letter in both cases, so it costs little more than a plain search.
 */
size_t ascii_ifind(struct span hay, const char *needle);

/* ascii_trim - s without the bytes of the classes cls at either end (a
 * view of s) */
struct span ascii_trim(struct span s, unsigned cls);

/* ascii_all - is every byte of s in the classes cls? True for empty s. */
bool ascii_all(struct span s, unsigned cls);

/*
 * ascii_token - the next token of s at or after *pos: the separators (the
 * bytes of the classes sep) are skipped, and the token runs to the next
 * separator or the end. Returns true, with the token (a view of s) in
 * *tok_out and *pos just after it; false when only separators are left
 * (then *pos and *tok_out are not changed).
 */
bool ascii_token(struct span s, size_t *pos, unsigned sep,
    struct span *tok_out);

/*
 * ascii_lower - copy n bytes of src to dst with A-Z lowercased; dst may be
 * src. ascii_lower_run does the same but stops at the first byte from
 * 0x80 up and returns how many bytes it copied. Both take 8 bytes at a
 * time while they are ASCII.
 */
void ascii_lower(char *dst, const char *src, size_t n);
size_t ascii_lower_run(char *dst, const char *src, size_t n);

/* ascii_lower_dup - a NUL-terminated lowercased copy of s.
 * Ownership: the copy is owned by the arena. */
char *ascii_lower_dup(struct arena *a, struct span s);

/* ascii_lower_span - s lowercased: s itself when it holds no A-Z, else a
 * NUL-terminated copy owned by the arena */
struct span ascii_lower_span(struct arena *a, struct span s);

#endif
