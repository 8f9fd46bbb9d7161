/* SPDX-License-Identifier: MIT */
/*
 * gmime_parse.c - how fast GMime 3 parses and decodes the bounce corpus
 *
 * The measurement behind writing our own MIME parser (server/mime.c):
 * parse every email of the corpus with GMime, walk every part and decode
 * its content, several rounds, one thread; compare with the same loop
 * over mime_parse in bench/mime_parse.c. Needs libgmime-3.0-dev
 * (make deps). Usage: build/bench/gmime_parse [CORPUS_DIR] [ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <gmime/gmime.h>

#include "corpus.h"

static void
bench_part(GMimeObject *parent, GMimeObject *part, gpointer data)
{
	GMimeDataWrapper *w;
	GMimeStream *s;

	(void)parent;
	(*(size_t *)data)++;
	if (!GMIME_IS_PART(part))
		return;
	w = g_mime_part_get_content(GMIME_PART(part));
	if (w == NULL)
		return;
	s = g_mime_stream_mem_new();
	(void)g_mime_data_wrapper_write_to_stream(w, s);
	g_object_unref(s);
}

int
main(int argc, char **argv)
{
	const char *dir =
	    argc > 1 ? argv[1] : "../shared/corpus/sisimai/emails";
	int rounds = argc > 2 ? atoi(argv[2]) : 5;
	struct bench_corpus c;
	size_t parts = 0;
	double t0, t1;

	g_mime_init();
	c = bench_load(dir);
	t0 = bench_now();
	for (int r = 0; r < rounds; r++) {
		for (size_t i = 0; i < c.n; i++) {
			GMimeStream *s =
			    g_mime_stream_mem_new_with_buffer(c.data[i],
			        c.len[i]);
			GMimeParser *p = g_mime_parser_new_with_stream(s);
			GMimeMessage *m =
			    g_mime_parser_construct_message(p, NULL);

			if (m != NULL) {
				g_mime_message_foreach(m, bench_part, &parts);
				g_object_unref(m);
			}
			g_object_unref(p);
			g_object_unref(s);
		}
	}
	t1 = bench_now();
	(void)printf("gmime: %zu emails x %d rounds: %.1f us each, %.0f "
	             "emails/s (%zu parts)\n",
	    c.n, rounds, (t1 - t0) / (double)(c.n * (size_t)rounds) * 1e6,
	    (double)(c.n * (size_t)rounds) / (t1 - t0), parts / (size_t)rounds);
	return 0;
}
