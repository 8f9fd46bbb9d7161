/* SPDX-License-Identifier: MIT */
/*
 * test_dkimsig.c - d=, s= and a= out of DKIM-Signature header values as
 * messages carry them: folded, with the header's name, with tags in any
 * order, duplicates, bad specs, and sizes
 */
#include <string.h>

#include "dkimsig.h"
#include "test.h"

static const struct {
	const char *name, *value;
	int rc;
	const char *d, *s, *a;
} sigs[] = {
	{ "Gmail's",
	    "v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n"
	    "        d=gmail.com; s=20230601; t=1700000000; x=1700604800;\r\n"
	    "        h=to:subject:message-id:date:from:mime-version:from:to;\r\n"
	    "        bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\r\n"
	    "        b=Xyz1ABC\r\n         def+/==",
	    0, "gmail.com", "20230601", "rsa-sha256" },
	{ "with the header name", "DKIM-Signature: v=1; d=example.com; s=sel",
	    0, "example.com", "sel", NULL },
	{ "name in other case",
	    "dkim-signature:d=example.com;s=sel;a=ed25519-sha256", 0,
	    "example.com", "sel", "ed25519-sha256" },
	{ "folded inside values", "d=exam\r\n ple.com; s = sel\r\n\tector1 ;",
	    0, "example.com", "selector1", NULL },
	{ "the first of duplicates", "d=a.example; s=one; d=b.example; s=two",
	    0, "a.example", "one", NULL },
	{ "an empty first keeps the place", "d=; d=b.example; s=x", -1, NULL,
	    "x", NULL },
	{ "names are case-sensitive", "D=example.com; S=sel", -1, NULL, NULL,
	    NULL },
	{ "bad specs skipped", "junk; 9=1; d=example.com; s=sel", 0,
	    "example.com", "sel", NULL },
	{ "no s=", "v=1; a=rsa-sha256; d=example.com; b=abc", -1, "example.com",
	    NULL, "rsa-sha256" },
	{ "empty", "", -1, NULL, NULL, NULL },
};

int
main(void)
{
	struct arena *a = arena_new();
	struct dkimsig sig;
	char *big;
	int rc;

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		rc = dkimsig_parse(a, span_cstr(sigs[i].value), &sig);
		CHECK(rc == sigs[i].rc, "%s: returns %d", sigs[i].name, rc);
		CHECK_STR(sig.d, sigs[i].d, sigs[i].name);
		CHECK_STR(sig.s, sigs[i].s, sigs[i].name);
		CHECK_STR(sig.a, sigs[i].a, sigs[i].name);
	}

	/* a value of DKIMSIG_MAX_VALUE is kept, a longer one is not */
	big = arena_alloc(a, DKIMSIG_MAX_LEN + 16);
	memcpy(big, "s=x; d=", 7);
	memset(big + 7, 'a', DKIMSIG_MAX_VALUE);
	CHECK(dkimsig_parse(a, span_make(big, 7 + DKIMSIG_MAX_VALUE), &sig) ==
	            0 &&
	        strlen(sig.d) == DKIMSIG_MAX_VALUE,
	    "d= of %d bytes kept", DKIMSIG_MAX_VALUE);
	big[7 + DKIMSIG_MAX_VALUE] = 'a';
	CHECK(dkimsig_parse(a, span_make(big, 8 + DKIMSIG_MAX_VALUE), &sig) ==
	            -1 &&
	        sig.d == NULL && sig.s != NULL,
	    "a longer d= is not");
	/* a header value over the limit is not read */
	memset(big, ' ', DKIMSIG_MAX_LEN + 1);
	memcpy(big, "d=example.com; s=sel;", 21);
	CHECK(dkimsig_parse(a, span_make(big, DKIMSIG_MAX_LEN + 1), &sig) ==
	            -1 &&
	        sig.d == NULL,
	    "a value over %d bytes is not read", DKIMSIG_MAX_LEN);
	CHECK(dkimsig_parse(a, span_make(big, DKIMSIG_MAX_LEN), &sig) == 0,
	    "at the limit it is");
	/* a NUL inside a value */
	CHECK(dkimsig_parse(a, SPAN_LIT("d=exa\0mple.com; s=sel"), &sig) ==
	            -1 &&
	        sig.d == NULL,
	    "a NUL in d=: not kept");
	arena_free(a);
	return test_done();
}
