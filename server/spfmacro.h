/* SPDX-License-Identifier: MIT */
/*
 * spfmacro.h - SPF macros (RFC 7208 §7)
 *
 * API: spfmacro_check checks a macro-string against the grammar of §7.1
 * (and §12) for the place it stands in: a domain-spec (which must also end
 * in a top-level label or a macro, and may use only the letters
 * s l o d i p v h), explanation text (spaces and c r t as well) or the
 * value of an unknown modifier (any macro letter). spfmacro_expand expands
 * a checked string with the values in struct spfmacro_vars: transformers
 * (a digit count of right-hand parts, "r" to reverse), delimiters
 * ". - + , / _ =", "%%", "%_", "%-", and an uppercase letter URL-encodes
 * its value (§7.3). spfmacro_uses tells whether a string needs a letter,
 * so that the evaluator looks up %{p} (a DNS walk) only when it must.
 * An error is a message (texts_msg.h, an id "spfsyntax.*" without
 * arguments), put into words by whoever shows it.
 * Not here: where the values come from (spf.c), domain names after
 * expansion (spfname.c).
 * Ownership: borrows the string and the values; the expansion belongs to
 * the arena; an error message is static.
 */
#ifndef SPFMACRO_H
#define SPFMACRO_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "span.h"

struct texts_msg;

/* expansions longer than this are an error, never truncated text */
#define SPFMACRO_MAX_OUT 4096

enum spfmacro_where {
	SPFMACRO_DOMAIN,   /* domain-spec of a mechanism, redirect=, exp= */
	SPFMACRO_EXP,      /* the explanation string fetched by exp= */
	SPFMACRO_MODIFIER, /* the value of an unknown modifier */
};

/* The value of each macro letter (RFC 7208 §7.2). A value with a NULL
 * pointer expands to "unknown". */
struct spfmacro_vars {
	struct span s; /* <sender> */
	struct span l; /* local-part of <sender> */
	struct span o; /* domain of <sender> */
	struct span d; /* <domain> */
	struct span i; /* <ip>: dotted quad, or dotted nibbles for IPv6 */
	struct span p; /* the validated domain name of <ip> */
	struct span v; /* "in-addr" or "ip6" */
	struct span h; /* HELO/EHLO domain */
	struct span c; /* SMTP client IP, readable (exp only) */
	struct span r; /* domain of the receiving MTA (exp only) */
	struct span t; /* timestamp (exp only) */
};

/* Checks s for where. Returns 0, or -1 with *err_out, the message that
 * says what is wrong (static), and *erroff_out, the offset in s of the
 * fault. */
int spfmacro_check(struct span s, enum spfmacro_where where, size_t *erroff_out,
    const struct texts_msg **err_out);

/* Does s (checked) contain a macro of this letter, in either case? */
bool spfmacro_uses(struct span s, char letter);

/* Expands s for where into *out. Returns 0, or -1 with *err_out (a
 * static message) when s breaks the grammar or the result would pass
 * SPFMACRO_MAX_OUT. Ownership: out points into the arena
 * (NUL-terminated). */
int spfmacro_expand(struct arena *a, struct span s, enum spfmacro_where where,
    const struct spfmacro_vars *v, struct span *out,
    const struct texts_msg **err_out);

#endif
