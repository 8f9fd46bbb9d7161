/* SPDX-License-Identifier: MIT */
/*
 * arena.h - request-scoped bump allocator
 *
 * API: arena_new() → arena_alloc / arena_strndup / arena_printf ... →
 * arena_free(). Everything derived from one diagnosis lives in its arena
 * and is released at once (h2o's per-request pool), so parsers need almost
 * no free() calls. Allocations are 16-byte aligned; memory is not zeroed
 * unless arena_zalloc is used.
 * Ownership: arena_new returns owned (arena_free). Every pointer returned by
 * the allocating calls is owned by the arena and valid until arena_free.
 */
#ifndef ARENA_H
#define ARENA_H

#include <stdarg.h>
#include <stddef.h>

#include "span.h"

struct arena;

struct arena *arena_new(void);
void arena_free(struct arena *a);

void *arena_alloc(struct arena *a, size_t size);
void *arena_zalloc(struct arena *a, size_t size);
char *arena_strndup(struct arena *a, const char *s, size_t n);
struct span arena_span_dup(struct arena *a, struct span s);
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Bytes handed out so far (for metrics and tests). */
size_t arena_used(const struct arena *a);

#endif
