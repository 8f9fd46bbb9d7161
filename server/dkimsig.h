/* SPDX-License-Identifier: MIT */
/*
 * dkimsig.h - the tags of a DKIM-Signature header that name the key
 * (RFC 6376 §3.5)
 *
 * API: dkimsig_parse(arena, value, &sig) picks d= (the signing domain),
 * s= (the selector) and a= (the algorithm) out of a DKIM-Signature
 * header's value, as it comes from a message: folded over lines (the
 * CRLF and white space inside a value are dropped), with or without the
 * "DKIM-Signature:" name in front, with tags it does not need (b=, bh=,
 * h=, ...) and bad tag-specs skipped. A tag given twice keeps its first
 * value. Values longer than DKIMSIG_MAX_VALUE are not kept, and a value
 * over DKIMSIG_MAX_LEN bytes is not read at all.
 * Not here: the key record (dkimkey.c), the lookup (dkimcheck.c),
 * verifying the signature.
 * Ownership: borrows value for the call; the strings belong to the arena.
 */
#ifndef DKIMSIG_H
#define DKIMSIG_H

#include <stddef.h>

#include "arena.h"
#include "span.h"

#define DKIMSIG_MAX_LEN   65536 /* a header value read, at most */
#define DKIMSIG_MAX_VALUE 255   /* bytes of d=, s=, a= kept */

struct dkimsig {
	const char *d; /* as written, without white space; NULL: none */
	const char *s;
	const char *a;
};

/* Returns 0 when both d= and s= were found (not empty), else -1; out is
 * filled with what was found either way. */
int dkimsig_parse(struct arena *a, struct span value, struct dkimsig *out);

#endif
