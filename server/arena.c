/* SPDX-License-Identifier: MIT */
/*
 * arena.c - request-scoped bump allocator
 *
 * Chunks of ARENA_CHUNK bytes are chained; a request larger than a quarter
 * chunk gets a chunk of its own so that big bodies do not waste the tail
 * of a shared chunk. Not here: long-lived allocation (xmalloc.c).
 */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

#define ARENA_CHUNK 8192
#define ARENA_ALIGN 16

struct arena_chunk {
	struct arena_chunk *next;
	size_t size;
	size_t used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

struct arena {
	struct arena_chunk *head;
	size_t total;
};

struct arena *
arena_new(void)
{
	struct arena *a = xmalloc(sizeof(*a));

	a->head = NULL;
	a->total = 0;
	return a;
}

void
arena_free(struct arena *a)
{
	struct arena_chunk *c, *next;

	if (a == NULL)
		return;
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

/* arena_chunk_new - a chunk holding at least size bytes, linked in */
static struct arena_chunk *
arena_chunk_new(struct arena *a, size_t size, int front)
{
	struct arena_chunk *c;

	c = xmalloc(sizeof(*c) + size);
	c->size = size;
	c->used = 0;
	if (front || a->head == NULL) {
		c->next = a->head;
		a->head = c;
	} else {
		/* keep the partly used head chunk first for small requests */
		c->next = a->head->next;
		a->head->next = c;
	}
	return c;
}

void *
arena_alloc(struct arena *a, size_t size)
{
	struct arena_chunk *c = a->head;
	size_t need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);

	if (need < size)
		abort();
	a->total += size;
	if (need > ARENA_CHUNK / 4) {
		c = arena_chunk_new(a, need, 0);
		c->used = need;
		return c->data;
	}
	if (c == NULL || c->size - c->used < need)
		c = arena_chunk_new(a, ARENA_CHUNK, 1);
	c->used += need;
	return c->data + c->used - need;
}

void *
arena_zalloc(struct arena *a, size_t size)
{
	void *p = arena_alloc(a, size);

	memset(p, 0, size);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	if (n > 0)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

struct span
arena_span_dup(struct arena *a, struct span s)
{
	return span_make(arena_strndup(a, s.ptr, s.len), s.len);
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return arena_strndup(a, "", 0);
	p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	(void)vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

size_t
arena_used(const struct arena *a)
{
	return a->total;
}
