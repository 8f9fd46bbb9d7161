/* SPDX-License-Identifier: MIT */
/*
 * fuzz_dkimkey.c - libFuzzer target for the DKIM key record parser with
 * its base64 and DER readers (dkimkey.c), and the DKIM-Signature tags
 * (dkimsig.c)
 *
 * Each input is parsed as a key record as it is, as "p=" and the input
 * (the base64 and DER readers see any bytes), and with k=ed25519; and as
 * a DKIM-Signature header value. A violated property aborts, so the
 * fuzzer reports it like a crash: a usable key has no error finding and
 * is neither revoked nor of an unknown type; a revoked key has no size;
 * an Ed25519 key is 256 bits or none; every finding has a code and a
 * message "dkim.*" or "taglist.*"; d= and s= come back together with 0,
 * without white space.
 * Built by `make fuzz` (clang, libFuzzer) and, with replay.c, by `make
 * fuzz-replay`, which runs the corpus in corpus/dkimkey/ as a regression
 * test.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "dkimkey.h"
#include "dkimsig.h"
#include "finding.h"
#include "texts_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_key(struct span text)
{
	struct arena *a = arena_new();
	struct dkimkey k;
	bool error = false;

	dkimkey_parse(a, text, &k);
	for (size_t i = 0; i < k.findings.n; i++) {
		const struct finding *f = &k.findings.v[i];

		if (f->code == NULL || f->msg == NULL ||
		    (strncmp(f->msg->id, "dkim.", 5) != 0 &&
		        strncmp(f->msg->id, "taglist.", 8) != 0))
			abort();
		error |= f->level == FINDING_ERROR;
	}
	if (k.usable && (error || k.revoked || k.type == DKIMKEY_UNKNOWN))
		abort();
	if ((k.revoked && k.bits != 0) ||
	    (k.type == DKIMKEY_ED25519 && k.bits != 0 && k.bits != 256) ||
	    k.k == NULL)
		abort();
	arena_free(a);
}

static void
fuzz_sig(struct span value)
{
	struct arena *a = arena_new();
	struct dkimsig sig;
	int rc = dkimsig_parse(a, value, &sig);

	if ((rc == 0) != (sig.d != NULL && sig.s != NULL))
		abort();
	if (sig.d != NULL && (sig.d[0] == '\0' || strpbrk(sig.d, " \t\r\n")))
		abort();
	arena_free(a);
}

/* fuzz_with - the input after a prefix */
static void
fuzz_with(const char *prefix, const uint8_t *data, size_t size)
{
	size_t n = strlen(prefix);
	char *buf = malloc(n + size + 1);

	if (buf == NULL)
		return;
	memcpy(buf, prefix, n);
	if (size > 0)
		memcpy(buf + n, data, size);
	fuzz_key(span_make(buf, n + size));
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct span in = span_make((const char *)data, size);

	if (size > 2 * DKIMKEY_MAX_LEN)
		return 0;
	fuzz_key(in);
	fuzz_with("p=", data, size);
	fuzz_with("k=ed25519; p=", data, size);
	fuzz_sig(in);
	return 0;
}
