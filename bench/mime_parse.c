/* SPDX-License-Identifier: MIT */
/*
 * mime_parse.c - how fast server/mime.c parses and decodes the corpus
 *
 * The same loop as bench/gmime_parse.c: every email of the corpus, every
 * part decoded (mime_parse decodes leaf bodies as it goes), several
 * rounds, one thread, one arena per email.
 * Usage: build/bench/mime_parse [CORPUS_DIR] [ROUNDS]
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "mime.h"

static double
bench_now(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	const char *dir =
	    argc > 1 ? argv[1] : "../shared/corpus/sisimai/emails";
	int rounds = argc > 2 ? atoi(argv[2]) : 20;
	char pattern[4096];
	glob_t g;
	char **bufs;
	size_t *lens, parts = 0;
	struct mime_decoder *dec = mime_decoder_new();
	double t0, t1;

	(void)snprintf(pattern, sizeof(pattern), "%s/*.eml", dir);
	if (glob(pattern, 0, NULL, &g) != 0)
		return 1;
	bufs = calloc(g.gl_pathc, sizeof(*bufs));
	lens = calloc(g.gl_pathc, sizeof(*lens));
	for (size_t i = 0; i < g.gl_pathc; i++) {
		FILE *f = fopen(g.gl_pathv[i], "rb");

		if (f == NULL)
			return 1;
		(void)fseek(f, 0, SEEK_END);
		lens[i] = (size_t)ftell(f);
		rewind(f);
		bufs[i] = malloc(lens[i]);
		if (fread(bufs[i], 1, lens[i], f) != lens[i])
			return 1;
		(void)fclose(f);
	}
	t0 = bench_now();
	for (int r = 0; r < rounds; r++) {
		for (size_t i = 0; i < g.gl_pathc; i++) {
			struct arena *a = arena_new();
			struct mime_message m;

			mime_parse(dec, a, span_make(bufs[i], lens[i]), &m);
			parts += m.nparts;
			arena_free(a);
		}
	}
	t1 = bench_now();
	(void)printf("mime.c: %zu emails x %d rounds: %.1f us each, %.0f "
	             "emails/s (%zu parts)\n",
	    g.gl_pathc, rounds,
	    (t1 - t0) / (double)(g.gl_pathc * (size_t)rounds) * 1e6,
	    (double)(g.gl_pathc * (size_t)rounds) / (t1 - t0),
	    parts / (size_t)rounds);
	mime_decoder_free(dec);
	return 0;
}
