/* SPDX-License-Identifier: MIT */
/*
 * text.c - make untrusted bytes safe text
 *
 * Every byte a user sends passes here before anything else reads it, so
 * that parsers, regexes (compiled with PCRE2_UTF) and the JSON encoder only
 * ever see valid UTF-8. Not here: finding things in the text (extract.c),
 * ASCII classes, case folding and search (ascii.c).
 */
#include "text.h"

#include <stdint.h>
#include <string.h>

#include "ascii.h"

size_t
text_utf8_seqlen(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1fu;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0fu;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07u;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3fu);
	}
	/* RFC 3629 §3: no overlongs, no surrogates, nothing past U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/* text_zero8 - the top bit of each byte of x that is zero (exact: no
 * carry crosses a byte) */
static inline uint64_t
text_zero8(uint64_t x)
{
	return ~(((x & ~ASCII_HIGHS) + ~ASCII_HIGHS) | x) & ASCII_HIGHS;
}

/* text_plain8 - are the 8 bytes of w copied unchanged by text_sanitize?
 * ASCII, and with normalising also no C0 control but tab and LF, and no
 * DEL. For ASCII bytes, adding 0x60 sets the top bit exactly of those
 * from 0x20 up. */
static inline bool
text_plain8(uint64_t w, bool norm)
{
	uint64_t ctl;

	if ((w & ASCII_HIGHS) != 0)
		return false;
	if (!norm)
		return true;
	ctl = ~(w + ASCII_ONES * 0x60) & ASCII_HIGHS;
	ctl &= ~text_zero8(w ^ (ASCII_ONES * '\t'));
	ctl &= ~text_zero8(w ^ (ASCII_ONES * '\n'));
	return (ctl | text_zero8(w ^ (ASCII_ONES * 0x7f))) == 0;
}

/* text_sanitize_char - repair one character at s[*i]; returns the
 * anomaly bits of what it did */
static inline unsigned
text_sanitize_char(const unsigned char *s, size_t n, size_t *i, char *out,
    size_t *o, bool norm)
{
	unsigned char c = s[*i];
	size_t len;

	if (c < 0x80) {
		if (norm && c == '\r') {
			out[(*o)++] = '\n';
			*i += (*i + 1 < n && s[*i + 1] == '\n') ? 2 : 1;
			return 0;
		}
		(*i)++;
		if (norm &&
		    ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)) {
			out[(*o)++] = ' ';
			return TEXT_ANOM_CONTROL;
		}
		out[(*o)++] = (char)c;
		return 0;
	}
	len = text_utf8_seqlen(s + *i, n - *i);
	if (len == 0) {
		memcpy(out + *o, "\xef\xbf\xbd", 3);
		*o += 3;
		(*i)++;
		return TEXT_ANOM_UTF8;
	}
	/* C1 controls (U+0080..U+009F) are as unwelcome as C0 ones */
	if (norm && len == 2 && c == 0xc2 && s[*i + 1] < 0xa0) {
		out[(*o)++] = ' ';
		*i += len;
		return TEXT_ANOM_CONTROL;
	}
	memcpy(out + *o, s + *i, len);
	*o += len;
	*i += len;
	return 0;
}

/* Most input is plain ASCII: 8 bytes that need no repair are copied at
 * once, and only a word with something else in it goes byte by byte. */
struct span
text_sanitize(struct arena *a, struct span in, unsigned flags,
    unsigned *anom_out)
{
	const unsigned char *s = (const unsigned char *)in.ptr;
	/* worst case: every byte becomes the 3-byte U+FFFD */
	char *out = arena_alloc(a, in.len * 3 + 1);
	size_t o = 0, i = 0, end;
	unsigned anom = 0;
	bool norm = (flags & TEXT_NORMALISE) != 0;

	while (i < in.len) {
		if (in.len - i >= 8 && text_plain8(ascii_word(s + i), norm)) {
			memcpy(out + o, s + i, 8);
			o += 8;
			i += 8;
			continue;
		}
		end = in.len - i >= 8 ? i + 8 : in.len;
		while (i < end)
			anom |=
			    text_sanitize_char(s, in.len, &i, out, &o, norm);
	}
	out[o] = '\0';
	if (anom_out != NULL)
		*anom_out = anom;
	return span_make(out, o);
}

/* The lines are the LFs, and one more for text after the last LF; the
 * LFs are counted 8 bytes at a time: a byte of w ^ LF is zero exactly
 * where an LF is, and the multiplication adds the 0/1 bytes up. */
size_t
text_count_lines(struct span s)
{
	const unsigned char *p = (const unsigned char *)s.ptr;
	size_t n = 0, i = 0;

	for (; s.len - i >= 8; i += 8) {
		uint64_t lf =
		    text_zero8(ascii_word(p + i) ^ (ASCII_ONES * '\n'));

		n += (size_t)(((lf >> 7) * ASCII_ONES) >> 56);
	}
	for (; i < s.len; i++)
		n += p[i] == '\n';
	if (s.len > 0 && p[s.len - 1] != '\n')
		n++;
	return n;
}
