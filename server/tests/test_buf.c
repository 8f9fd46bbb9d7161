/* SPDX-License-Identifier: MIT */
/*
 * test_buf.c - unit tests for buf.h: growth, the ceiling, NUL, steal
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "test.h"
#include "xmalloc.h"

static bool
test_all(const char *p, size_t n, char c)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != c)
			return false;
	}
	return true;
}

static void
test_growth(void)
{
	struct buf b;
	char chunk[100];
	bool ok = true;

	buf_init(&b, 1u << 20);
	CHECK(b.len == 0, "a new buffer is empty");
	memset(chunk, 'x', sizeof(chunk));
	for (int i = 0; i < 1000; i++)
		ok = ok && buf_append(&b, chunk, sizeof(chunk)) == 0;
	CHECK(ok && b.len == 100000, "1000 appends of 100 bytes: len %zu",
	    b.len);
	CHECK(b.cap > b.len && b.data[b.len] == '\0',
	    "data stays NUL-terminated after growth");
	CHECK(test_all(b.data, b.len, 'x'), "grown data is intact");
	buf_clear(&b);
	CHECK(b.data == NULL && b.len == 0 && b.max == (1u << 20),
	    "buf_clear empties and keeps the ceiling");

	buf_init(&b, 1000);
	ok = true;
	for (int i = 0; i < 300; i++)
		ok = ok && buf_append_char(&b, (char)('a' + i % 26)) == 0;
	CHECK(ok && b.len == 300 && b.data[0] == 'a' && b.data[26] == 'a' &&
	        b.data[299] == (char)('a' + 299 % 26) && b.data[300] == '\0',
	    "buf_append_char 300 times");
	CHECK(buf_append_span(&b, SPAN_LIT("span")) == 0 &&
	        memcmp(b.data + 300, "span", 5) == 0,
	    "buf_append_span appends and terminates");
	CHECK(buf_append(&b, "", 0) == 0 && b.len == 304,
	    "appending 0 bytes is fine");
	buf_clear(&b);
}

static void
test_ceiling(void)
{
	struct buf b;
	char big[64];

	memset(big, 'y', sizeof(big));
	buf_init(&b, 10);
	CHECK(buf_append(&b, "12345", 5) == 0, "5 of 10 bytes");
	CHECK(buf_append(&b, big, 6) == -1, "an append to 11 of 10 fails");
	CHECK(b.len == 5 && strcmp(b.data, "12345") == 0,
	    "the failed append added nothing: \"%s\"", b.data);
	CHECK(buf_append(&b, "67890", 5) == 0 && b.len == 10,
	    "an append to exactly the ceiling succeeds");
	CHECK(strcmp(b.data, "1234567890") == 0 && b.data[10] == '\0',
	    "full buffer is NUL-terminated");
	CHECK(buf_append_char(&b, 'z') == -1 && b.len == 10,
	    "one more char past the ceiling fails");
	CHECK(buf_printf(&b, "%d", 1) == -1 && b.len == 10,
	    "buf_printf past the ceiling fails");
	CHECK(buf_append(&b, "", 0) == 0 && b.len == 10,
	    "appending 0 bytes to a full buffer is fine");
	CHECK(buf_append(&b, big, (size_t)-1) == -1 && b.len == 10,
	    "an absurd length (SIZE_MAX) is refused, not wrapped");
	buf_clear(&b);

	/* a first append that already passes the ceiling */
	buf_init(&b, 10);
	CHECK(buf_append(&b, big, 11) == -1 && b.len == 0,
	    "first append of 11 into 10 fails");
	CHECK(buf_append(&b, big, 10) == 0 && b.len == 10,
	    "first append of exactly 10 into 10 succeeds");
	buf_clear(&b);

	/* the long buf_printf path (>= 256 bytes) against the ceiling */
	buf_init(&b, 300);
	CHECK(buf_append(&b, "ab", 2) == 0, "2 bytes in a 300 buffer");
	CHECK(buf_printf(&b, "%0299d", 7) == -1 && b.len == 2 &&
	        strcmp(b.data, "ab") == 0,
	    "a 299-byte printf into 298 free bytes fails and adds nothing");
	CHECK(buf_printf(&b, "%0298d", 7) == 0 && b.len == 300 &&
	        b.data[299] == '7' && b.data[300] == '\0',
	    "a 298-byte printf filling the buffer exactly succeeds");
	buf_clear(&b);

	buf_init(&b, 0);
	CHECK(buf_append(&b, "a", 1) == -1 && b.len == 0,
	    "a ceiling of 0 refuses any byte");
	buf_clear(&b);
}

static void
test_printf(void)
{
	struct buf b;
	char want[1200];

	buf_init(&b, 1u << 16);
	CHECK(buf_printf(&b, "%s=%d;", "a", 1) == 0 &&
	        strcmp(b.data, "a=1;") == 0,
	    "short buf_printf");
	memset(want, 'L', 1000);
	want[1000] = '\0';
	CHECK(buf_printf(&b, "[%s]", want) == 0 && b.len == 4 + 1002,
	    "buf_printf of 1002 bytes: len %zu", b.len);
	CHECK(b.data[4] == '[' && test_all(b.data + 5, 1000, 'L') &&
	        b.data[1005] == ']' && b.data[1006] == '\0',
	    "long buf_printf output is complete and terminated");
	CHECK(buf_printf(&b, "%0256d", 5) == 0 && b.len == 1006 + 256 &&
	        b.data[1006] == '0' && b.data[1006 + 255] == '5' &&
	        b.data[1006 + 256] == '\0',
	    "a printf of exactly 256 bytes (the boundary) is complete");
	CHECK(buf_printf(&b, "%0255d", 6) == 0 && b.len == 1262 + 255 &&
	        b.data[1262 + 254] == '6' && b.data[b.len] == '\0',
	    "a printf of 255 bytes is complete");
	CHECK(buf_printf(&b, "%s", "") == 0 && b.len == 1517,
	    "an empty printf changes nothing");
	buf_clear(&b);
}

static void
test_steal_reset(void)
{
	struct buf b;
	char *p;
	size_t n = 99;

	buf_init(&b, 100);
	(void)buf_append(&b, "stolen", 6);
	p = buf_steal(&b, &n);
	CHECK(p != NULL && n == 6 && strcmp(p, "stolen") == 0,
	    "buf_steal hands over the data and its length");
	CHECK(b.data == NULL && b.len == 0 && b.max == 100,
	    "after buf_steal the buffer is empty and keeps its ceiling");
	free(p);
	CHECK(buf_append(&b, "again", 5) == 0 && strcmp(b.data, "again") == 0,
	    "a stolen-from buffer can be used again");
	buf_clear(&b);

	/* leave a dirty block of the size buf would allocate for reuse */
	p = xmalloc(64);
	memset(p, 'Z', 64);
	free(p);
	buf_init(&b, 100);
	n = 99;
	p = buf_steal(&b, &n);
	CHECK(p != NULL && n == 0, "buf_steal of a never-used buffer: len 0");
	CHECK(p != NULL && p[0] == '\0',
	    "buf_steal of a never-used buffer returns \"\" (NUL-terminated)");
	free(p);
	buf_clear(&b);

	buf_init(&b, 100);
	buf_reset(&b);
	CHECK(b.len == 0, "buf_reset of a never-used buffer is fine");
	(void)buf_append(&b, "abcdef", 6);
	buf_reset(&b);
	CHECK(b.len == 0 && b.data != NULL && b.data[0] == '\0',
	    "buf_reset empties and keeps data NUL-terminated");
	CHECK(buf_append(&b, "xy", 2) == 0 && strcmp(b.data, "xy") == 0,
	    "append after buf_reset starts from the beginning");
	buf_clear(&b);
	buf_clear(&b);
	CHECK(b.data == NULL, "buf_clear twice is fine");
}

int
main(void)
{
	test_growth();
	test_ceiling();
	test_printf();
	test_steal_reset();
	return test_done();
}
