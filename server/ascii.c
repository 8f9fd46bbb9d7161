/* SPDX-License-Identifier: MIT */
/*
 * ascii.c - ASCII byte classes, case folding, comparison, trimming, tokens
 *
 * One table of byte classes, built by the compiler, answers every "is this
 * a digit / letter / space / token byte" of the parsers; case folding is
 * arithmetic on A-Z alone. Neither depends on the process locale, so a
 * byte from 0x80 up (UTF-8, Latin-1) is never taken for a letter or
 * folded. Lowercasing and case-insensitive search read 8 bytes at a time
 * where they can: they run over whole bounces. Not here: UTF-8 validity
 * (text.c), Unicode case folding for the rule prefilter (prefilter.c).
 */
#include "ascii.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

#define ASCII_IFIND_STACK 256 /* needle bytes whose table fits the stack */

/* RFC 2045 §5.1 tspecials */
#define ASCII_IS_TSPECIAL(c)                                                   \
	((c) == '(' || (c) == ')' || (c) == '<' || (c) == '>' || (c) == '@' || \
	    (c) == ',' || (c) == ';' || (c) == ':' || (c) == '\\' ||           \
	    (c) == '"' || (c) == '/' || (c) == '[' || (c) == ']' ||            \
	    (c) == '?' || (c) == '=')
#define ASCII_CLASS_OF(c)                                                     \
	(((c) >= '0' && (c) <= '9' ? ASCII_DIGIT : 0u) |                      \
	    ((c) >= 'A' && (c) <= 'Z' ? ASCII_UPPER : 0u) |                   \
	    ((c) >= 'a' && (c) <= 'z' ? ASCII_LOWER : 0u) |                   \
	    (((c) >= 'a' && (c) <= 'f') || ((c) >= 'A' && (c) <= 'F') ?       \
	            ASCII_HEXALPHA :                                          \
	            0u) |                                                     \
	    ((c) == ' ' ? ASCII_SP : 0u) | ((c) == '\t' ? ASCII_HTAB : 0u) |  \
	    ((c) == '\r' || (c) == '\n' ? ASCII_CRLF : 0u) |                  \
	    ((c) == '\v' || (c) == '\f' ? ASCII_VTFF : 0u) |                  \
	    ((c) > ' ' && (c) < 0x7f ? ASCII_VCHAR : 0u) |                    \
	    ((c) > ' ' && (c) < 0x7f && !ASCII_IS_TSPECIAL(c) ? ASCII_TOKEN : \
	                                                        0u))
#define ASCII_C4(c)                                                          \
	ASCII_CLASS_OF(c), ASCII_CLASS_OF((c) + 1), ASCII_CLASS_OF((c) + 2), \
	    ASCII_CLASS_OF((c) + 3)
#define ASCII_C16(c) \
	ASCII_C4(c), ASCII_C4((c) + 4), ASCII_C4((c) + 8), ASCII_C4((c) + 12)
#define ASCII_C64(c)                                            \
	ASCII_C16(c), ASCII_C16((c) + 16), ASCII_C16((c) + 32), \
	    ASCII_C16((c) + 48)

const uint16_t ascii_class[256] = { ASCII_C64(0), ASCII_C64(64) };

bool
ascii_ieq(struct span a, struct span b)
{
	if (a.len != b.len)
		return false;
	for (size_t i = 0; i < a.len; i++)
		if (ascii_tolower(a.ptr[i]) != ascii_tolower(b.ptr[i]))
			return false;
	return true;
}

bool
ascii_ieq_cstr(struct span s, const char *lit)
{
	size_t i;

	for (i = 0; i < s.len; i++)
		if (lit[i] == '\0' ||
		    ascii_tolower(s.ptr[i]) != ascii_tolower(lit[i]))
			return false;
	return lit[i] == '\0';
}

bool
ascii_iprefix(struct span s, struct span prefix)
{
	return s.len >= prefix.len &&
	    ascii_ieq(span_make(s.ptr, prefix.len), prefix);
}

struct span
ascii_trim(struct span s, unsigned cls)
{
	while (s.len > 0 && ascii_is(s.ptr[0], cls)) {
		s.ptr++;
		s.len--;
	}
	while (s.len > 0 && ascii_is(s.ptr[s.len - 1], cls))
		s.len--;
	return s;
}

bool
ascii_all(struct span s, unsigned cls)
{
	for (size_t i = 0; i < s.len; i++)
		if (!ascii_is(s.ptr[i], cls))
			return false;
	return true;
}

bool
ascii_token(struct span s, size_t *pos, unsigned sep, struct span *tok_out)
{
	size_t i = *pos, start;

	while (i < s.len && ascii_is(s.ptr[i], sep))
		i++;
	if (i >= s.len)
		return false;
	start = i;
	while (i < s.len && !ascii_is(s.ptr[i], sep))
		i++;
	*tok_out = span_make(s.ptr + start, i - start);
	*pos = i;
	return true;
}

/* ascii_lower8 - A-Z lowercased in a word of ASCII bytes: a byte's top
 * bit is set after adding 0x80 - 'A' when it is >= 'A', and after adding
 * 0x80 - 'Z' - 1 when it is > 'Z'; no carry crosses bytes */
static inline uint64_t
ascii_lower8(uint64_t w)
{
	uint64_t ge_a = w + ASCII_ONES * (0x80 - 'A');
	uint64_t gt_z = w + ASCII_ONES * (0x80 - 'Z' - 1);

	return w | ((ge_a & ~gt_z & ASCII_HIGHS) >> 2);
}

size_t
ascii_lower_run(char *dst, const char *src, size_t n)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t i = 0;

	for (; n - i >= 8; i += 8) {
		uint64_t w = ascii_word(s + i);

		if ((w & ASCII_HIGHS) != 0)
			break;
		w = ascii_lower8(w);
		memcpy(dst + i, &w, sizeof(w));
	}
	for (; i < n && s[i] < 0x80; i++)
		dst[i] =
		    (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 0x20 : s[i]);
	return i;
}

void
ascii_lower(char *dst, const char *src, size_t n)
{
	size_t i = 0;

	while (i < n) {
		i += ascii_lower_run(dst + i, src + i, n - i);
		if (i < n) {
			dst[i] = src[i];
			i++;
		}
	}
}

char *
ascii_lower_dup(struct arena *a, struct span s)
{
	char *p = arena_strndup(a, s.ptr, s.len);

	ascii_lower(p, p, s.len);
	return p;
}

struct span
ascii_lower_span(struct arena *a, struct span s)
{
	size_t i = 0;
	char *p;

	while (i < s.len && !ascii_is_upper(s.ptr[i]))
		i++;
	if (i == s.len)
		return s;
	p = arena_strndup(a, s.ptr, s.len);
	ascii_lower(p + i, p + i, s.len - i);
	return span_make(p, s.len);
}

/* ascii_next - offset of the next c in hay[from, last], or SIZE_MAX */
static size_t
ascii_next(struct span hay, size_t from, unsigned char c, size_t last)
{
	const char *p;

	if (from > last)
		return SIZE_MAX;
	p = memchr(hay.ptr + from, c, last + 1 - from);
	return p != NULL ? (size_t)(p - hay.ptr) : SIZE_MAX;
}

/* ascii_ifind_borders - KMP failure function of the needle: b[k] is the
 * length of the longest proper prefix of needle[0, k] that also ends it */
static void
ascii_ifind_borders(const char *needle, size_t n, size_t *b)
{
	size_t j = 0;

	b[0] = 0;
	for (size_t k = 1; k < n; k++) {
		while (j > 0 && needle[k] != needle[j])
			j = b[j - 1];
		if (needle[k] == needle[j])
			j++;
		b[k] = j;
	}
}

/*
 * Knuth-Morris-Pratt, so that the search is linear whatever the text
 * ("aaaa..." against "aaa...@x" reads each byte once, not once per
 * candidate). While no prefix of the needle is matched, memchr skips to
 * the next first letter; the next occurrence of each case of it is looked
 * up again only once it has been passed, so that memchr reads each byte
 * once per case however often one case occurs and the other does not.
 */
size_t
ascii_ifind(struct span hay, const char *needle)
{
	size_t n = strlen(needle), last, lp, up, j = 0, i = 0, found = SIZE_MAX;
	size_t small[ASCII_IFIND_STACK], *b;
	unsigned char lo, hi;

	if (n == 0)
		return 0;
	if (n > hay.len)
		return SIZE_MAX;
	b = n <= ASCII_IFIND_STACK ? small : xmalloc(n * sizeof(*b));
	ascii_ifind_borders(needle, n, b);
	last = hay.len - n;
	lo = (unsigned char)needle[0];
	hi = (unsigned char)ascii_toupper(needle[0]);
	lp = ascii_next(hay, 0, lo, last);
	up = lo == hi ? SIZE_MAX : ascii_next(hay, 0, hi, last);
	while (i < hay.len) {
		char c;

		if (j == 0) {
			if (lp < i)
				lp = ascii_next(hay, i, lo, last);
			if (up < i)
				up = ascii_next(hay, i, hi, last);
			i = lp < up ? lp : up;
			if (i == SIZE_MAX)
				break;
		}
		c = ascii_tolower(hay.ptr[i]);

		while (j > 0 && c != needle[j])
			j = b[j - 1];
		if (c == needle[j])
			j++;
		i++;
		if (j == n) {
			found = i - n;
			break;
		}
	}
	if (b != small)
		free(b);
	return found;
}
