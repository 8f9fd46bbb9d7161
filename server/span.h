/* SPDX-License-Identifier: MIT */
/*
 * span.h - string view: a pointer and a length
 *
 * API: text crosses module boundaries as a struct span, never as an implicit
 * NUL-terminated pointer into someone else's buffer. A span borrows its
 * bytes; whoever made it says how long they live.
 */
#ifndef SPAN_H
#define SPAN_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct span {
	const char *ptr;
	size_t len;
};

#define SPAN_LIT(s) ((struct span){ (s), sizeof(s) - 1 })
#define SPAN_NULL   ((struct span){ NULL, 0 })

static inline struct span
span_make(const char *ptr, size_t len)
{
	return (struct span){ ptr, len };
}

static inline struct span
span_cstr(const char *s)
{
	return (struct span){ s, s == NULL ? 0 : strlen(s) };
}

static inline bool
span_is_empty(struct span s)
{
	return s.len == 0;
}

static inline bool
span_eq(struct span a, struct span b)
{
	return a.len == b.len &&
	    (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static inline bool
span_eq_cstr(struct span a, const char *b)
{
	return span_eq(a, span_cstr(b));
}

/* span_sub - the part [off, off + len) clamped to the span */
static inline struct span
span_sub(struct span s, size_t off, size_t len)
{
	if (off > s.len)
		off = s.len;
	if (len > s.len - off)
		len = s.len - off;
	return (struct span){ s.ptr + off, len };
}

#endif
