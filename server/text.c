/* SPDX-License-Identifier: MIT */
/*
 * text.c - make untrusted bytes safe text
 *
 * Every byte a user sends passes here before anything else reads it, so
 * that parsers, regexes (compiled with PCRE2_UTF) and the JSON encoder only
 * ever see valid UTF-8. Not here: finding things in the text (extract.c).
 */
#include "text.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

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

struct span
text_sanitize(struct arena *a, struct span in, unsigned flags,
    unsigned *anom_out)
{
	const unsigned char *s = (const unsigned char *)in.ptr;
	/* worst case: every byte becomes the 3-byte U+FFFD */
	char *out = arena_alloc(a, in.len * 3 + 1);
	size_t o = 0, i = 0, len;
	unsigned anom = 0;
	bool norm = (flags & TEXT_NORMALISE) != 0;

	while (i < in.len) {
		unsigned char c = s[i];

		if (c < 0x80) {
			if (norm && c == '\r') {
				out[o++] = '\n';
				i += (i + 1 < in.len && s[i + 1] == '\n') ? 2 :
				                                            1;
				continue;
			}
			if (norm &&
			    ((c < 0x20 && c != '\t' && c != '\n') ||
			        c == 0x7f)) {
				anom |= TEXT_ANOM_CONTROL;
				c = ' ';
			}
			out[o++] = (char)c;
			i++;
			continue;
		}
		len = text_utf8_seqlen(s + i, in.len - i);
		if (len == 0) {
			anom |= TEXT_ANOM_UTF8;
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
			continue;
		}
		/* C1 controls (U+0080..U+009F) are as unwelcome as C0 ones */
		if (norm && len == 2 && c == 0xc2 && s[i + 1] < 0xa0) {
			anom |= TEXT_ANOM_CONTROL;
			out[o++] = ' ';
		} else {
			memcpy(out + o, s + i, len);
			o += len;
		}
		i += len;
	}
	out[o] = '\0';
	if (anom_out != NULL)
		*anom_out = anom;
	return span_make(out, o);
}

size_t
text_count_lines(struct span s)
{
	size_t n = 0;
	const char *p = s.ptr, *end = s.ptr + s.len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		n++;
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return n;
}

size_t
text_ifind(struct span hay, const char *needle)
{
	size_t n = strlen(needle), i = 0;
	unsigned char lo, up;

	if (n == 0)
		return 0;
	lo = (unsigned char)needle[0];
	up = (unsigned char)toupper(lo);
	while (n <= hay.len && i <= hay.len - n) {
		const char *a = memchr(hay.ptr + i, lo, hay.len - n + 1 - i);
		const char *b = lo == up ?
		    NULL :
		    memchr(hay.ptr + i, up, hay.len - n + 1 - i);
		const char *p = a == NULL ? b : (b == NULL || a < b ? a : b);

		if (p == NULL)
			return SIZE_MAX;
		i = (size_t)(p - hay.ptr);
		if (strncasecmp(p + 1, needle + 1, n - 1) == 0)
			return i;
		i++;
	}
	return SIZE_MAX;
}
