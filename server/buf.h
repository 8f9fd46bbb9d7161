/* SPDX-License-Identifier: MIT */
/*
 * buf.h - growable byte buffer with a hard ceiling
 *
 * API: buf_init(&b, max) → buf_append*(&b, ...) → read b.data/b.len →
 * buf_clear(&b). An append that would pass the ceiling appends nothing and
 * returns -1 (curl's dynbuf "toobig"), so a caller can answer "too large"
 * instead of growing without bound. data is always NUL-terminated.
 * Ownership: the buffer owns data; buf_steal hands it to the caller.
 */
#ifndef BUF_H
#define BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "span.h"

struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
};

void buf_init(struct buf *b, size_t max);
void buf_clear(struct buf *b);
void buf_reset(struct buf *b);

/* Returns 0, or -1 when the ceiling would be passed (nothing appended). */
int buf_append(struct buf *b, const void *data, size_t len);
int buf_append_span(struct buf *b, struct span s);
int buf_append_char(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Returns owned data (free()), leaves the buffer empty; *len_out gets len. */
char *buf_steal(struct buf *b, size_t *len_out);

static inline struct span
buf_span(const struct buf *b)
{
	return span_make(b->data, b->len);
}

#endif
