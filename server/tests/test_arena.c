/* SPDX-License-Identifier: MIT */
/*
 * test_arena.c - unit tests for arena.h: alignment, big blocks, copies
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "test.h"

#define TEST_NALLOC 1000

static bool
test_aligned(const void *p)
{
	return ((uintptr_t)p % 16) == 0;
}

/* test_alignment - odd sizes, small and big mixed, never overlap */
static void
test_alignment(void)
{
	struct arena *a = arena_new();
	static unsigned char *ptrs[TEST_NALLOC];
	static size_t sizes[TEST_NALLOC];
	size_t misaligned = 0, clobbered = 0;

	for (size_t i = 0; i < TEST_NALLOC; i++) {
		/* 1, 3, 5, ... with a big block now and then */
		sizes[i] = (i % 97 == 0) ? 3000 + i : (i * 7) % 301 + 1;
		ptrs[i] = arena_alloc(a, sizes[i]);
		if (!test_aligned(ptrs[i]))
			misaligned++;
		memset(ptrs[i], (int)(i & 0xff), sizes[i]);
	}
	for (size_t i = 0; i < TEST_NALLOC; i++) {
		for (size_t k = 0; k < sizes[i]; k++) {
			if (ptrs[i][k] != (unsigned char)(i & 0xff)) {
				clobbered++;
				break;
			}
		}
	}
	CHECK(misaligned == 0, "%d allocations of odd sizes: %zu misaligned",
	    TEST_NALLOC, misaligned);
	CHECK(clobbered == 0, "no allocation overlaps another (%zu clobbered)",
	    clobbered);
	arena_free(a);
}

/* test_big - blocks past a quarter chunk and past a whole chunk */
static void
test_big(void)
{
	struct arena *a = arena_new();
	unsigned char *small1, *big1, *small2, *big2, *small3;
	size_t big1_len = 2049, big2_len = 8193 * 3;
	bool ok = true;

	big1 = arena_alloc(a, big1_len); /* big as the first allocation */
	small1 = arena_alloc(a, 10);
	big2 = arena_alloc(a, big2_len);
	small2 = arena_alloc(a, 100);
	small3 = arena_alloc(a, 8192);
	CHECK(test_aligned(big1) && test_aligned(big2) &&
	        test_aligned(small1) && test_aligned(small2) &&
	        test_aligned(small3),
	    "big allocations (2049, 24579, 8192) and the small ones between "
	    "them are 16-byte aligned");
	memset(big1, 0xa1, big1_len);
	memset(small1, 0xb2, 10);
	memset(big2, 0xc3, big2_len);
	memset(small2, 0xd4, 100);
	memset(small3, 0xe5, 8192);
	for (size_t i = 0; i < big1_len; i++)
		ok = ok && big1[i] == 0xa1;
	for (size_t i = 0; i < 10; i++)
		ok = ok && small1[i] == 0xb2;
	for (size_t i = 0; i < big2_len; i++)
		ok = ok && big2[i] == 0xc3;
	for (size_t i = 0; i < 100; i++)
		ok = ok && small2[i] == 0xd4;
	CHECK(ok, "big and small blocks keep their contents");
	CHECK(arena_used(a) >= big1_len + 10 + big2_len + 100 + 8192,
	    "arena_used counts the big blocks: %zu", arena_used(a));
	arena_free(a);
}

static void
test_copies(void)
{
	struct arena *a = arena_new();
	char *s, *p, *z;
	struct span sp;
	const char src[] = "hello\0world";
	char longfmt[600];

	CHECK(arena_used(a) == 0, "a new arena has used 0 bytes");
	s = arena_strndup(a, "abcdef", 3);
	CHECK_STR(s, "abc", "arena_strndup copies n bytes and terminates");
	s = arena_strndup(a, "", 0);
	CHECK_STR(s, "", "arena_strndup of 0 bytes is \"\"");
	s = arena_strndup(a, src, sizeof(src) - 1);
	CHECK(memcmp(s, src, sizeof(src)) == 0,
	    "arena_strndup copies embedded NULs and adds one at the end");

	p = arena_printf(a, "%s-%d-%05.1f", "x", 42, 3.14159);
	CHECK_STR(p, "x-42-003.1", "arena_printf formats");
	memset(longfmt, 'q', sizeof(longfmt) - 1);
	longfmt[sizeof(longfmt) - 1] = '\0';
	p = arena_printf(a, "<%s>", longfmt);
	CHECK(p != NULL && strlen(p) == sizeof(longfmt) + 1 && p[0] == '<' &&
	        p[sizeof(longfmt)] == '>',
	    "arena_printf of 601 bytes is complete");
	CHECK(test_aligned(p), "arena_printf result is aligned");

	sp = arena_span_dup(a, span_make("spanned text", 7));
	CHECK(sp.len == 7 && memcmp(sp.ptr, "spanned", 7) == 0 &&
	        sp.ptr[7] == '\0',
	    "arena_span_dup copies len bytes and NUL-terminates");
	sp = arena_span_dup(a, SPAN_NULL);
	CHECK(sp.len == 0 && sp.ptr != NULL && sp.ptr[0] == '\0',
	    "arena_span_dup of an empty span gives an empty string");

	z = arena_zalloc(a, 333);
	{
		bool zero = true;

		for (size_t i = 0; i < 333; i++)
			zero = zero && z[i] == 0;
		CHECK(zero && test_aligned(z), "arena_zalloc zeroes 333 bytes");
	}
	arena_free(a);
}

static void
test_used(void)
{
	struct arena *a = arena_new();
	size_t before;

	before = arena_used(a);
	(void)arena_alloc(a, 5);
	CHECK(arena_used(a) >= before + 5, "arena_used grows by at least 5");
	before = arena_used(a);
	(void)arena_alloc(a, 5000);
	CHECK(arena_used(a) >= before + 5000,
	    "arena_used grows by at least 5000");
	before = arena_used(a);
	(void)arena_strndup(a, "abc", 3);
	CHECK(arena_used(a) >= before + 4, "arena_strndup counts the NUL");
	arena_free(a);
	arena_free(NULL);
	CHECK(true, "arena_free(NULL) is a no-op");
}

int
main(void)
{
	test_alignment();
	test_big();
	test_copies();
	test_used();
	return test_done();
}
