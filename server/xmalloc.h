/* SPDX-License-Identifier: MIT */
/*
 * xmalloc.h - allocation that never returns NULL
 *
 * API: xmalloc, xcalloc, xrealloc, xstrdup, xstrndup behave like their libc
 * namesakes but abort the process with a log line when memory runs out.
 * Every input the service takes is bounded, so running out of memory is
 * exceptional and not worth a recovery path (house style §6).
 * Ownership: every result is owned by the caller and released with free().
 */
#ifndef XMALLOC_H
#define XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
