/* SPDX-License-Identifier: MIT */
/*
 * mime_parse.c - how fast server/mime.c parses and decodes the corpus
 *
 * The same loop as bench/gmime_parse.c: every email of the corpus, every
 * part decoded (mime_parse decodes leaf bodies as it goes), several
 * rounds, one thread, one arena per email.
 * Usage: build/bench/mime_parse [CORPUS_DIR] [ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "corpus.h"
#include "mime.h"

int
main(int argc, char **argv)
{
	const char *dir =
	    argc > 1 ? argv[1] : "../shared/corpus/sisimai/emails";
	int rounds = argc > 2 ? atoi(argv[2]) : 20;
	struct bench_corpus c = bench_load(dir);
	size_t parts = 0;
	struct mime_decoder *dec = mime_decoder_new();
	double t0, t1;

	t0 = bench_now();
	for (int r = 0; r < rounds; r++) {
		for (size_t i = 0; i < c.n; i++) {
			struct arena *a = arena_new();
			struct mime_message m;

			mime_parse(dec, a, span_make(c.data[i], c.len[i]), &m);
			parts += m.nparts;
			arena_free(a);
		}
	}
	t1 = bench_now();
	(void)printf("mime.c: %zu emails x %d rounds: %.1f us each, %.0f "
	             "emails/s (%zu parts)\n",
	    c.n, rounds, (t1 - t0) / (double)(c.n * (size_t)rounds) * 1e6,
	    (double)(c.n * (size_t)rounds) / (t1 - t0), parts / (size_t)rounds);
	mime_decoder_free(dec);
	return 0;
}
