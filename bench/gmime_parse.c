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
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <gmime/gmime.h>

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
	int rounds = argc > 2 ? atoi(argv[2]) : 5;
	char pattern[4096];
	glob_t g;
	char **bufs;
	size_t *lens, parts = 0;
	double t0, t1;

	g_mime_init();
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
			GMimeStream *s =
			    g_mime_stream_mem_new_with_buffer(bufs[i], lens[i]);
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
	    g.gl_pathc, rounds,
	    (t1 - t0) / (double)(g.gl_pathc * (size_t)rounds) * 1e6,
	    (double)(g.gl_pathc * (size_t)rounds) / (t1 - t0),
	    parts / (size_t)rounds);
	return 0;
}
