/* SPDX-License-Identifier: MIT */
/*
 * test_text.c - unit tests for text.h: UTF-8 repair and normalisation
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "test.h"
#include "text.h"

#define FFFD "\xef\xbf\xbd"

struct test_case {
	const char *what;
	const char *in;
	size_t inlen; /* 0: strlen(in) */
	unsigned flags;
	const char *want;
	size_t wantlen; /* 0: strlen(want) */
	unsigned anom;
};

static const struct test_case test_cases[] = {
	{ "ASCII unchanged", "plain text\twith tab\n", 0, 0,
	    "plain text\twith tab\n", 0, 0 },
	{ "Cyrillic unchanged",
	    "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82", 0,
	    TEXT_NORMALISE, "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82",
	    0, 0 },
	{ "emoji (4 bytes) unchanged", "ok \xf0\x9f\x98\x80!", 0,
	    TEXT_NORMALISE, "ok \xf0\x9f\x98\x80!", 0, 0 },
	{ "3-byte euro sign and U+FFFD itself unchanged", "\xe2\x82\xac " FFFD,
	    0, 0, "\xe2\x82\xac " FFFD, 0, 0 },
	{ "largest code point U+10FFFF unchanged", "\xf4\x8f\xbf\xbf", 0, 0,
	    "\xf4\x8f\xbf\xbf", 0, 0 },
	{ "lone continuation byte", "a\x80z", 0, 0, "a" FFFD "z", 0,
	    TEXT_ANOM_UTF8 },
	{ "two lone continuation bytes", "\xbf\x80", 0, 0, FFFD FFFD, 0,
	    TEXT_ANOM_UTF8 },
	{ "truncated 3-byte sequence at the end (each byte)", "ab\xe2\x82", 0,
	    0, "ab" FFFD FFFD, 0, TEXT_ANOM_UTF8 },
	{ "truncated 2-byte sequence at the end", "ab\xd0", 0, 0, "ab" FFFD, 0,
	    TEXT_ANOM_UTF8 },
	{ "truncated 4-byte sequence then ASCII",
	    "\xf0\x9f\x98"
	    "A",
	    0, 0, FFFD FFFD FFFD "A", 0, TEXT_ANOM_UTF8 },
	{ "overlong C0 80", "x\xc0\x80y", 0, 0, "x" FFFD FFFD "y", 0,
	    TEXT_ANOM_UTF8 },
	{ "overlong E0 80 80", "\xe0\x80\x80", 0, 0, FFFD FFFD FFFD, 0,
	    TEXT_ANOM_UTF8 },
	{ "surrogate ED A0 80", "\xed\xa0\x80", 0, 0, FFFD FFFD FFFD, 0,
	    TEXT_ANOM_UTF8 },
	{ "F5 (past U+10FFFF)", "\xf5\x80\x80\x80", 0, 0, FFFD FFFD FFFD FFFD,
	    0, TEXT_ANOM_UTF8 },
	{ "F4 90 (past U+10FFFF)", "\xf4\x90\x80\x80", 0, 0,
	    FFFD FFFD FFFD FFFD, 0, TEXT_ANOM_UTF8 },
	{ "0xFF", "\xff", 0, 0, FFFD, 0, TEXT_ANOM_UTF8 },
	{ "0xFE and 0xFF with normalising", "a\xfe\xff", 0, TEXT_NORMALISE,
	    "a" FFFD FFFD, 0, TEXT_ANOM_UTF8 },
	{ "without NORMALISE CR and NUL are kept", "a\r\n\0b", 5, 0, "a\r\n\0b",
	    5, 0 },
	{ "CRLF becomes LF", "a\r\nb\r\n", 0, TEXT_NORMALISE, "a\nb\n", 0, 0 },
	{ "lone CR becomes LF", "a\rb\r", 0, TEXT_NORMALISE, "a\nb\n", 0, 0 },
	{ "CR CR LF becomes two LF", "a\r\r\nb", 0, TEXT_NORMALISE, "a\n\nb", 0,
	    0 },
	{ "NUL becomes a space", "a\0b", 3, TEXT_NORMALISE, "a b", 0,
	    TEXT_ANOM_CONTROL },
	{ "C0 controls and DEL become spaces",
	    "\x01\x07\x08\x0b\x0c\x1b\x1f\x7f", 0, TEXT_NORMALISE, "        ",
	    0, TEXT_ANOM_CONTROL },
	{ "tab and LF kept", "\ta\n", 0, TEXT_NORMALISE, "\ta\n", 0, 0 },
	{ "C1 controls U+0080 and U+009F become spaces",
	    "a\xc2\x80"
	    "b\xc2\x9f"
	    "c",
	    0, TEXT_NORMALISE, "a b c", 0, TEXT_ANOM_CONTROL },
	{ "U+0085 (NEL) becomes a space", "x\xc2\x85y", 0, TEXT_NORMALISE,
	    "x y", 0, TEXT_ANOM_CONTROL },
	{ "U+00A0 (not a control) kept", "x\xc2\xa0y", 0, TEXT_NORMALISE,
	    "x\xc2\xa0y", 0, 0 },
	{ "C1 kept without NORMALISE", "x\xc2\x85y", 0, 0, "x\xc2\x85y", 0, 0 },
	{ "both anomalies", "\x80\x01", 0, TEXT_NORMALISE, FFFD " ", 0,
	    TEXT_ANOM_UTF8 | TEXT_ANOM_CONTROL },
	{ "empty input", "", 0, TEXT_NORMALISE, "", 0, 0 },
};

static void
test_sanitize_table(void)
{
	struct arena *a = arena_new();

	for (size_t i = 0; i < sizeof(test_cases) / sizeof(test_cases[0]);
	     i++) {
		const struct test_case *c = &test_cases[i];
		size_t inlen = c->inlen != 0 ? c->inlen : strlen(c->in);
		size_t wantlen = c->wantlen != 0 ? c->wantlen : strlen(c->want);
		unsigned anom = 0xdead;
		struct span out;

		out =
		    text_sanitize(a, span_make(c->in, inlen), c->flags, &anom);
		CHECK(out.len == wantlen &&
		        memcmp(out.ptr, c->want, wantlen) == 0 &&
		        out.ptr[out.len] == '\0',
		    "text_sanitize: %s (len %zu, want %zu)", c->what, out.len,
		    wantlen);
		CHECK(anom == c->anom,
		    "text_sanitize: %s: anomalies 0x%x, "
		    "want 0x%x",
		    c->what, anom, c->anom);
	}
	arena_free(a);
}

/* test_valid_utf8 - is the span valid UTF-8 by text_utf8_seqlen? */
static bool
test_valid_utf8(struct span s)
{
	const unsigned char *p = (const unsigned char *)s.ptr;
	size_t i = 0, n;

	while (i < s.len) {
		n = text_utf8_seqlen(p + i, s.len - i);
		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

static void
test_sanitize_all_bytes(void)
{
	struct arena *a = arena_new();
	unsigned char in[512];
	struct span out;
	unsigned anom;
	bool ctl = false;

	/* every byte value, twice, in two orders */
	for (size_t i = 0; i < 256; i++) {
		in[i] = (unsigned char)i;
		in[511 - i] = (unsigned char)i;
	}
	out = text_sanitize(a, span_make((const char *)in, sizeof(in)),
	    TEXT_NORMALISE, &anom);
	CHECK(test_valid_utf8(out), "all 256 byte values: output is UTF-8");
	for (size_t i = 0; i < out.len; i++) {
		unsigned char c = (unsigned char)out.ptr[i];

		if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
			ctl = true;
	}
	CHECK(!ctl, "all 256 byte values: no C0 control or DEL remains");
	CHECK(memchr(out.ptr, '\r', out.len) == NULL,
	    "all 256 byte values: no CR remains");
	CHECK(anom == (TEXT_ANOM_UTF8 | TEXT_ANOM_CONTROL),
	    "all 256 byte values: both anomaly bits");
	out = text_sanitize(a, span_make("ok", 2), TEXT_NORMALISE, NULL);
	CHECK(out.len == 2, "anom_out may be NULL");
	arena_free(a);
}

static void
test_seqlen(void)
{
	CHECK(text_utf8_seqlen((const unsigned char *)"A", 1) == 1,
	    "seqlen ASCII 1");
	CHECK(text_utf8_seqlen((const unsigned char *)"\xd0\x9f", 2) == 2,
	    "seqlen Cyrillic 2");
	CHECK(text_utf8_seqlen((const unsigned char *)"\xe2\x82\xac", 3) == 3,
	    "seqlen euro 3");
	CHECK(text_utf8_seqlen((const unsigned char *)"\xf0\x9f\x98\x80", 4) ==
	        4,
	    "seqlen emoji 4");
	CHECK(text_utf8_seqlen((const unsigned char *)"\xf0\x9f\x98\x80", 3) ==
	        0,
	    "seqlen of a sequence longer than n is 0");
	CHECK(text_utf8_seqlen((const unsigned char *)"\xc1\xbf", 2) == 0,
	    "seqlen overlong C1 BF is 0");
	CHECK(text_utf8_seqlen((const unsigned char *)"\xef\xbf\xbf", 3) == 3,
	    "seqlen U+FFFF 3 (a noncharacter is still UTF-8)");
}

static void
test_count_lines(void)
{
	CHECK(text_count_lines(span_make("", 0)) == 0, "\"\" has 0 lines");
	CHECK(text_count_lines(SPAN_LIT("a")) == 1, "\"a\" has 1 line");
	CHECK(text_count_lines(SPAN_LIT("a\n")) == 1, "\"a\\n\" has 1 line");
	CHECK(text_count_lines(SPAN_LIT("a\nb")) == 2, "\"a\\nb\" has 2 lines");
	CHECK(text_count_lines(SPAN_LIT("\n\n")) == 2,
	    "\"\\n\\n\" has 2 lines");
	CHECK(text_count_lines(SPAN_LIT("a\nb\n")) == 2,
	    "\"a\\nb\\n\" has 2 lines");
}

/* test_xorshift - deterministic pseudo-random numbers */
static uint64_t
test_xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* test_sanitize_ref - text_sanitize as one byte at a time, the way it was
 * written before the 8-byte fast path */
static size_t
test_sanitize_ref(const unsigned char *s, size_t n, bool norm, char *out,
    unsigned *anom)
{
	size_t o = 0, i = 0, len;

	*anom = 0;
	while (i < n) {
		unsigned char c = s[i];

		if (c < 0x80) {
			if (norm && c == '\r') {
				out[o++] = '\n';
				i += (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
				continue;
			}
			if (norm &&
			    ((c < 0x20 && c != '\t' && c != '\n') ||
			        c == 0x7f)) {
				*anom |= TEXT_ANOM_CONTROL;
				c = ' ';
			}
			out[o++] = (char)c;
			i++;
			continue;
		}
		len = text_utf8_seqlen(s + i, n - i);
		if (len == 0) {
			*anom |= TEXT_ANOM_UTF8;
			memcpy(out + o, FFFD, 3);
			o += 3;
			i++;
		} else if (norm && len == 2 && c == 0xc2 && s[i + 1] < 0xa0) {
			*anom |= TEXT_ANOM_CONTROL;
			out[o++] = ' ';
			i += len;
		} else {
			memcpy(out + o, s + i, len);
			o += len;
			i += len;
		}
	}
	return o;
}

/* the word-at-a-time path must give what the byte loop gives, wherever in
 * a word the special bytes fall */
static void
test_sanitize_words(void)
{
	static const unsigned char pieces[][3] = { { 'a' }, { 'Z' }, { ' ' },
		{ '~' }, { '\t' }, { '\n' }, { '\r' }, { 0 }, { 0x1f },
		{ 0x7f }, { 0xff }, { 0x80 }, { 0xc2, 0x85 }, { 0xc2, 0xa0 },
		{ 0xd0, 0x96 }, { 0xe2, 0x82, 0xac }, { 0xe2, 0x82 } };
	struct arena *a = arena_new();
	uint64_t seed = 0x2545f4914f6cdd1du;
	unsigned char in[80];
	char want[80 * 3 + 1];
	size_t bad = 0;

	for (int round = 0; round < 20000; round++) {
		size_t n = 0, target = test_xorshift(&seed) % 70, wlen;
		unsigned wanom, anom;
		struct span got;
		bool norm = (round & 1) != 0;

		while (n < target) {
			const unsigned char *p =
			    pieces[test_xorshift(&seed) % 17];
			size_t k = p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 ? 2 : 1;

			/* mostly plain letters, as in real text */
			if (test_xorshift(&seed) % 4 != 0)
				p = pieces[test_xorshift(&seed) % 4];
			if (p[0] == 0xe2 && p[2] == 0)
				k = 2; /* the truncated euro sign */
			memcpy(in + n, p, k);
			n += k;
		}
		wlen = test_sanitize_ref(in, n, norm, want, &wanom);
		got = text_sanitize(a, span_make((const char *)in, n),
		    norm ? TEXT_NORMALISE : 0, &anom);
		if (got.len != wlen || memcmp(got.ptr, want, wlen) != 0 ||
		    anom != wanom)
			bad++;
	}
	CHECK(bad == 0,
	    "text_sanitize: 20000 random mixes equal the byte loop (%zu "
	    "differ)",
	    bad);
	arena_free(a);
}

static void
test_count_lines_words(void)
{
	static char buf[100];
	uint64_t seed = 0x243f6a8885a308d3u;
	size_t bad = 0;

	for (int round = 0; round < 5000; round++) {
		size_t n = test_xorshift(&seed) % sizeof(buf), want = 0;

		for (size_t i = 0; i < n; i++) {
			uint64_t r = test_xorshift(&seed) % 8;

			buf[i] = r == 0 ? '\n' : r == 1 ? (char)0x8a : 'x';
			want += buf[i] == '\n';
		}
		if (n > 0 && buf[n - 1] != '\n')
			want++;
		if (text_count_lines(span_make(buf, n)) != want)
			bad++;
	}
	CHECK(bad == 0,
	    "text_count_lines: 5000 random texts, LFs at every offset of "
	    "a word (%zu differ)",
	    bad);
}

int
main(void)
{
	test_sanitize_table();
	test_sanitize_all_bytes();
	test_sanitize_words();
	test_seqlen();
	test_count_lines();
	test_count_lines_words();
	return test_done();
}
