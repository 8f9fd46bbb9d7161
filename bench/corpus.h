/* SPDX-License-Identifier: MIT */
/*
 * corpus.h - what the benchmarks share: a clock and the bounce corpus
 *
 * API: bench_now() is the monotonic clock in seconds; bench_load(dir)
 * reads every *.eml of dir into memory (exits on an unreadable file).
 * Ownership: bench_load returns owned arrays the benchmark keeps until it
 * exits.
 */
#ifndef BENCH_CORPUS_H
#define BENCH_CORPUS_H

#include <stddef.h>

struct bench_corpus {
	char **data;
	size_t *len;
	size_t n;
};

double bench_now(void);
struct bench_corpus bench_load(const char *dir);

#endif
