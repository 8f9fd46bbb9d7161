/* SPDX-License-Identifier: MIT */
/*
 * corpus.c - what the benchmarks share: a clock and the bounce corpus
 */
#include "corpus.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

double
bench_now(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct bench_corpus
bench_load(const char *dir)
{
	struct bench_corpus c = { NULL, NULL, 0 };
	char pattern[4096];
	glob_t g;

	(void)snprintf(pattern, sizeof(pattern), "%s/*.eml", dir);
	if (glob(pattern, 0, NULL, &g) != 0) {
		(void)fprintf(stderr, "no emails in %s\n", dir);
		exit(1);
	}
	c.data = calloc(g.gl_pathc, sizeof(*c.data));
	c.len = calloc(g.gl_pathc, sizeof(*c.len));
	if (c.data == NULL || c.len == NULL)
		exit(1);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		FILE *f = fopen(g.gl_pathv[i], "rb");
		long n;

		if (f == NULL || fseek(f, 0, SEEK_END) != 0 ||
		    (n = ftell(f)) < 0) {
			perror(g.gl_pathv[i]);
			exit(1);
		}
		rewind(f);
		c.len[i] = (size_t)n;
		c.data[i] = malloc(c.len[i] + 1);
		if (c.data[i] == NULL ||
		    fread(c.data[i], 1, c.len[i], f) != c.len[i]) {
			perror(g.gl_pathv[i]);
			exit(1);
		}
		(void)fclose(f);
	}
	c.n = g.gl_pathc;
	globfree(&g);
	return c;
}
