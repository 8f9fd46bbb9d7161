/* SPDX-License-Identifier: MIT */
/*
 * bounce.h - a pasted bounce text, taken apart
 *
 * API: bounce_parse(arena, input, &b) sanitises the input (text.h), builds
 * the one-line diagnostic text the rules match against, finds the SMTP
 * reply code and the enhanced status code that the failure carries, the
 * recipient where the text names it, and the entities (extract.h). It
 * never fails: what was odd about the input is recorded in b.anomalies.
 * Ownership: everything in struct bounce belongs to the arena.
 */
#ifndef BOUNCE_H
#define BOUNCE_H

#include <stddef.h>

#include "arena.h"
#include "extract.h"
#include "span.h"

#define BOUNCE_MAX_DIAG 65536  /* bytes of diagnostic text matched */
#define BOUNCE_MAX_SCAN 262144 /* bytes scanned for entities */

#define BOUNCE_ANOM_UTF8      0x1u /* invalid UTF-8 was repaired */
#define BOUNCE_ANOM_CONTROL   0x2u /* control characters became spaces */
#define BOUNCE_ANOM_TRUNCATED 0x4u /* only the first part was examined */
#define BOUNCE_ANOM_ENTITIES  0x8u /* more entities than listed */

struct bounce {
	struct span text; /* sanitised input, LF line ends */
	struct span diag; /* white space collapsed, at most BOUNCE_MAX_DIAG */
	size_t bytes;     /* of the input as received */
	size_t lines;
	const char *reply_code; /* "550", or NULL */
	const char *status;     /* "5.7.1", or NULL */
	const char *recipient;  /* or NULL */
	struct extract_entities ent;
	unsigned anomalies;
};

void bounce_parse(struct arena *a, struct span input, struct bounce *out);

#endif
