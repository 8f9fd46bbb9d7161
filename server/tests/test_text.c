/* SPDX-License-Identifier: MIT */
/*
 * test_text.c - unit tests for text.h: UTF-8 repair and normalisation
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <time.h>

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

/* test_ifind_ref - the obvious search */
static size_t
test_ifind_ref(struct span hay, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; n <= hay.len && i <= hay.len - n; i++) {
		if (strncasecmp(hay.ptr + i, needle, n) == 0)
			return i;
	}
	return SIZE_MAX;
}

static void
test_ifind(void)
{
	static char hay[4096];
	static const char alpha[] = "aAbB -";
	static const char *const needles[] = { "a", "ab", "ba", "b-a", "aab",
		"-", " b", "bbbb", "a a" };
	uint64_t seed = 0x9e3779b97f4a7c15u;
	size_t bad = 0;

	/* one case everywhere and the other only at the end: the search
	 * must not look for the absent case again at every candidate */
	memset(hay, 'a', sizeof(hay));
	hay[sizeof(hay) - 2] = 'A';
	hay[sizeof(hay) - 1] = 'x';
	CHECK(text_ifind(span_make(hay, sizeof(hay)), "ax") == sizeof(hay) - 2,
	    "text_ifind: \"ax\" after 4094 lowercase a, found in upper case");
	CHECK(text_ifind(SPAN_LIT("Mail System at HOST x"),
	          "mail system at host ") == 0,
	    "text_ifind: mixed case at the start");
	CHECK(text_ifind(SPAN_LIT("ab"), "abc") == SIZE_MAX,
	    "text_ifind: needle longer than the text");
	CHECK(text_ifind(SPAN_LIT("ab"), "") == 0, "text_ifind: empty needle");
	for (int round = 0; round < 5000; round++) {
		size_t n = test_xorshift(&seed) % 24;
		const char *needle = needles[test_xorshift(&seed) % 9];

		for (size_t i = 0; i < n; i++)
			hay[i] = alpha[test_xorshift(&seed) % 6];
		if (text_ifind(span_make(hay, n), needle) !=
		    test_ifind_ref(span_make(hay, n), needle))
			bad++;
	}
	CHECK(bad == 0,
	    "text_ifind: 5000 random texts agree with the obvious search "
	    "(%zu differ)",
	    bad);
}

/* test_ifind_long - needles long and self-similar enough to exercise the
 * partial-match table (on the stack and, past 256 bytes, on the heap) */
static void
test_ifind_long(void)
{
	static char hay[2048], needle[600];
	static const char alpha[] = "aAb";
	uint64_t seed = 0x452821e638d01377u;
	size_t bad = 0;

	for (int round = 0; round < 3000; round++) {
		size_t hn = test_xorshift(&seed) % sizeof(hay);
		size_t nn = 1 + test_xorshift(&seed) % (sizeof(needle) - 1);
		size_t period = 1 + test_xorshift(&seed) % 7;

		for (size_t i = 0; i < nn; i++)
			needle[i] = i < period ?
			    "ab"[test_xorshift(&seed) % 2] :
			    needle[i - period];
		if (test_xorshift(&seed) % 4 == 0)
			needle[test_xorshift(&seed) % nn] = 'b';
		needle[nn] = '\0';
		for (size_t i = 0; i < hn; i++)
			hay[i] = alpha[test_xorshift(&seed) % 3];
		/* the needle, in upper case, somewhere in half the texts */
		if (hn > nn && test_xorshift(&seed) % 2 == 0) {
			size_t at = test_xorshift(&seed) % (hn - nn);

			for (size_t i = 0; i < nn; i++)
				hay[at + i] =
				    (char)toupper((unsigned char)needle[i]);
		}
		if (text_ifind(span_make(hay, hn), needle) !=
		    test_ifind_ref(span_make(hay, hn), needle))
			bad++;
	}
	CHECK(bad == 0,
	    "text_ifind: 3000 random periodic needles of up to 600 bytes "
	    "agree with the obvious search (%zu differ)",
	    bad);
}

static double
test_seconds(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* test_ifind_time - seconds to find "aaa...a@", half of n bytes long, at
 * the end of n bytes of "AAA..." */
static double
test_ifind_time(char *hay, char *needle, size_t n, size_t *at_out)
{
	double t0;

	memset(needle, 'a', n / 2 - 1);
	memcpy(needle + n / 2 - 1, "@", 2);
	memset(hay, 'A', n);
	memcpy(hay + n - n / 2, needle, n / 2);
	t0 = test_seconds();
	*at_out = text_ifind(span_make(hay, n), needle);
	return test_seconds() - t0;
}

/*
 * test_ifind_linear - a needle whose every prefix matches everywhere: the
 * obvious search compares half the needle at each offset, quadratic when
 * the needle grows with the text (an address as long as the bounce);
 * text_ifind reads each byte about once. 64 KiB with a 32 KiB needle
 * takes well under a millisecond (the obvious search: tens), 1 MiB with a
 * 512 KiB needle about 16 times as long. The bounds are generous (1/64 s,
 * then 64 times that and a quarter of a second more, one second in all),
 * and 30 times that under valgrind. When 64 KiB is too slow the 1 MiB run
 * is skipped: it would take minutes.
 */
static void
test_ifind_linear(void)
{
	static char hay[1 << 20], needle[(1 << 19) + 1];
	const double limit = test_env_is("BOUNCEDOC_REGEX_JIT", "0") ? 30 : 1;
	size_t at, small = 64 * 1024;
	double ts, tb;

	ts = test_ifind_time(hay, needle, small, &at);
	if (!CHECK(ts < limit / 64 && at == small / 2,
	        "text_ifind: a 32 KiB needle at the end of 64 KiB of its "
	        "prefix, found in %.2f ms",
	        ts * 1e3))
		return;
	tb = test_ifind_time(hay, needle, sizeof(hay), &at);
	CHECK(tb < limit && tb < 64 * ts + limit / 4 && at == sizeof(hay) / 2,
	    "text_ifind: the same with 512 KiB in 1 MiB in %.2f ms (linear)",
	    tb * 1e3);
	hay[sizeof(hay) - 1] = 'b';
	CHECK(text_ifind(span_make(hay, sizeof(hay)), needle) == SIZE_MAX,
	    "text_ifind: and not found when its last byte differs");
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

static void
test_lower_ascii(void)
{
	unsigned char in[64];
	char out[64];
	uint64_t seed = 0x452821e638d01377u;
	size_t bad = 0, run;

	for (int round = 0; round < 2000; round++) {
		size_t n = test_xorshift(&seed) % sizeof(in), stop = n;

		for (size_t i = 0; i < n; i++) {
			in[i] = (unsigned char)test_xorshift(&seed);
			/* mostly ASCII, so that runs are long */
			if (test_xorshift(&seed) % 8 != 0)
				in[i] &= 0x7f;
			if (in[i] >= 0x80 && stop == n)
				stop = i;
		}
		text_lower_ascii(out, (const char *)in, n);
		for (size_t i = 0; i < n; i++) {
			if ((unsigned char)out[i] !=
			    (in[i] < 0x80 ? tolower(in[i]) : in[i]))
				bad++;
		}
		run = text_lower_ascii_run(out, (const char *)in, n);
		if (run != stop)
			bad++;
	}
	CHECK(bad == 0,
	    "text_lower_ascii: every byte as tolower() in the C locale, and "
	    "the run stops at the first non-ASCII byte (%zu wrong)",
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
	test_ifind();
	test_ifind_long();
	test_ifind_linear();
	test_lower_ascii();
	return test_done();
}
