/* SPDX-License-Identifier: MIT */
/*
 * fuzz_mime.c - libFuzzer target for mime.c
 *
 * Each input is parsed as a whole message under a fresh arena; every
 * part's Content-Type then goes through mime_param, and the input is also
 * converted from a charset picked by its first byte. The properties that
 * callers rely on are checked and a violation aborts, so the fuzzer
 * reports it like a crash: at least one part and at most MIME_MAX_PARTS,
 * a consistent tree no deeper than MIME_MAX_DEPTH, and valid UTF-8 in
 * every type, charset, header, text leaf and parameter.
 * Built by `make fuzz` (clang, libFuzzer) and, with replay.c, by `make
 * fuzz-replay`, which runs the corpus in corpus/mime/ as a regression test.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "mime.h"
#include "span.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* a few of each kind: fast paths, single-byte, stateful, multi-byte */
static const char *const fuzz_charsets[] = { "utf-8", "us-ascii", "iso-8859-1",
	"windows-1251", "koi8-r", "iso-2022-jp", "shift_jis", "euc-jp",
	"gb2312", "big5", "ks_c_5601-1987", "utf-7", "utf-16", "x-unknown" };

static void
fuzz_utf8(struct span s)
{
	const unsigned char *u = (const unsigned char *)s.ptr;
	size_t i = 0, l;

	if (s.len > 0 && s.ptr == NULL)
		abort();
	while (i < s.len) {
		l = text_utf8_seqlen(u + i, s.len - i);
		if (l == 0)
			abort();
		i += l;
	}
}

static void
fuzz_part(struct mime_decoder *dec, struct arena *a, const struct mime_part *p)
{
	static const char *const params[] = { "charset", "boundary", "name",
		"report-type" };
	struct span ct;

	if (p->depth > MIME_MAX_DEPTH)
		abort();
	if (p->parent != NULL && p->depth != p->parent->depth + 1)
		abort();
	for (size_t i = 0; i < p->nchildren; i++)
		if (p->children[i]->parent != p)
			abort();
	fuzz_utf8(p->type);
	fuzz_utf8(p->charset);
	for (size_t i = 0; i < p->nheaders; i++) {
		fuzz_utf8(p->headers[i].name);
		fuzz_utf8(p->headers[i].value);
	}
	if (p->nchildren == 0 && p->type.len >= 5 &&
	    memcmp(p->type.ptr, "text/", 5) == 0)
		fuzz_utf8(p->body);
	ct = mime_header_get(p, "Content-Type");
	if (ct.ptr == NULL)
		return;
	for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++)
		fuzz_utf8(mime_param(dec, a, ct, params[i]));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* one decoder for the whole run, as in the service: its converter
	 * cache carries over from input to input (never freed: LeakSanitizer
	 * only reports memory that nothing points to) */
	static struct mime_decoder *dec;
	struct span in = span_make((const char *)data, size);
	struct mime_message m;
	struct arena *a;
	unsigned anom = 0;
	size_t n;

	if (dec == NULL)
		dec = mime_decoder_new();
	a = arena_new();
	mime_parse(dec, a, in, &m);
	if (m.nparts < 1 || m.nparts > MIME_MAX_PARTS || m.parts[0] != m.root)
		abort();
	for (size_t i = 0; i < m.nparts; i++)
		fuzz_part(dec, a, m.parts[i]);
	(void)mime_looks_like_message(in);
	n = sizeof(fuzz_charsets) / sizeof(fuzz_charsets[0]);
	if (size > 0)
		fuzz_utf8(
		    mime_to_utf8(dec, a, span_cstr(fuzz_charsets[data[0] % n]),
		        span_make((const char *)data + 1, size - 1), &anom));
	arena_free(a);
	return 0;
}
