/* SPDX-License-Identifier: MIT */
/*
 * fuzz_dmarcrec.c - libFuzzer target for the DMARC record parser
 * (dmarcrec.c, taglist.c)
 *
 * Each input is a TXT record's data (any bytes). Its kind is asked, then
 * it is parsed as it is and with "v=DMARC1; " put in front. The
 * properties the check relies on are checked, and a violation aborts so
 * the fuzzer reports it like a crash: a usable record has a policy, an
 * assumed one is none without sp, an unusable one has neither; pct is
 * 0 to 100; at most DMARCREC_MAX_URIS URIs, each a string; every finding
 * has a code and a message "dmarc.*" or "taglist.*", and an unusable
 * record has an error among them.
 * Built by `make fuzz` (clang, libFuzzer) and, with replay.c, by `make
 * fuzz-replay`, which runs the corpus in corpus/dmarcrec/ as a regression
 * test.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "dmarcrec.h"
#include "finding.h"
#include "texts_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_check(struct span text)
{
	struct arena *a = arena_new();
	struct dmarcrec r;
	bool error = false;

	dmarcrec_parse(a, text, &r);
	if (r.text.ptr != text.ptr || r.pct > 100 ||
	    r.nrua > DMARCREC_MAX_URIS || r.nruf > DMARCREC_MAX_URIS ||
	    r.fo == NULL || r.rf == NULL)
		abort();
	if (r.usable ? r.p == DMARCREC_P_UNSET :
	               r.p != DMARCREC_P_UNSET || r.p_assumed)
		abort();
	if (r.p_assumed && (r.p != DMARCREC_P_NONE || r.sp != DMARCREC_P_UNSET))
		abort();
	for (size_t i = 0; i < r.nrua; i++)
		if (r.rua[i] == NULL || strlen(r.rua[i]) == 0)
			abort();
	for (size_t i = 0; i < r.findings.n; i++) {
		const struct finding *f = &r.findings.v[i];

		if (f->code == NULL || f->msg == NULL ||
		    (strncmp(f->msg->id, "dmarc.", 6) != 0 &&
		        strncmp(f->msg->id, "taglist.", 8) != 0))
			abort();
		error |= f->level == FINDING_ERROR;
	}
	if (!r.usable && !error)
		abort();
	arena_free(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct span in = span_make((const char *)data, size);
	char *buf;

	if (size > 2 * DMARCREC_MAX_LEN)
		return 0;
	if (dmarcrec_kind(in) > DMARCREC_LOOKALIKE)
		abort();
	fuzz_check(in);
	buf = malloc(size + 10);
	if (buf == NULL)
		return 0;
	memcpy(buf, "v=DMARC1; ", 10);
	if (size > 0)
		memcpy(buf + 10, data, size);
	fuzz_check(span_make(buf, size + 10));
	free(buf);
	return 0;
}
