/* SPDX-License-Identifier: MIT */
/*
 * spfrecord.h - SPF record text: selection and parsing (RFC 7208 §4.5,
 * §4.6, §12)
 *
 * API: spfrecord_is_spf tells whether one TXT string is an SPF record
 * ("v=spf1" in any case, then a space or the end, §4.5).
 * spfrecord_parse reads a whole record into terms before anything is
 * evaluated, as §4.6 asks: any syntax error anywhere is a permerror. It
 * checks every byte (printable ASCII and spaces only, §3 and §12), each
 * mechanism with its arguments and prefix lengths, the domain-specs and
 * macro-strings (spfmacro_check), modifier names, and that redirect= and
 * exp= appear at most once (§6). Unknown modifiers are kept (and ignored
 * by the evaluator, §6); unknown mechanisms are errors (§5). An error is
 * a message (texts_msg.h: an id "spfsyntax.*", with the term, the value
 * or the offset as arguments), put into words by whoever shows it.
 * Not here: fetching and choosing among TXT records (spf.c), evaluating
 * terms (spf.c), expanding macros (spfmacro.c), the words of the errors
 * (rules/messages.json).
 * Ownership: borrows text, which must outlive the record; the term array
 * and the error message belong to the arena (a macro error inside the
 * message is static, spfmacro.h).
 */
#ifndef SPFRECORD_H
#define SPFRECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "span.h"
#include "spfaddr.h"

struct texts_msg;

#define SPFRECORD_MAX_LEN 4096 /* longer records are an error */

enum spfrecord_kind {
	/* mechanisms, RFC 7208 §5 */
	SPFRECORD_ALL,
	SPFRECORD_INCLUDE,
	SPFRECORD_A,
	SPFRECORD_MX,
	SPFRECORD_PTR,
	SPFRECORD_IP4,
	SPFRECORD_IP6,
	SPFRECORD_EXISTS,
	/* modifiers, RFC 7208 §6 */
	SPFRECORD_REDIRECT,
	SPFRECORD_EXP,
	SPFRECORD_UNKNOWN_MODIFIER,
};

struct spfrecord_term {
	enum spfrecord_kind kind;
	char qualifier;     /* '+', '-', '~' or '?'; '\0' for modifiers */
	size_t offset;      /* of the term in the record */
	struct span text;   /* the term as written */
	struct span domain; /* domain-spec, or the value of an unknown
			       modifier; .ptr NULL when none was given */
	struct span name;   /* a modifier's name */
	unsigned cidr4;     /* 32 unless given (a, mx, ip4) */
	unsigned cidr6;     /* 128 unless given (a, mx, ip6) */
	struct spfaddr net; /* ip4:, ip6: */
};

struct spfrecord {
	struct span text;
	struct spfrecord_term *terms; /* in record order */
	size_t nterms;
	const struct spfrecord_term *redirect; /* or NULL */
	const struct spfrecord_term *exp;      /* or NULL */
};

/* Where parsing stopped, for the reason and for highlighting. */
struct spfrecord_error {
	size_t offset;               /* in the record */
	size_t len;                  /* of the offending term (or byte) */
	const struct texts_msg *msg; /* what is wrong, in the arena */
};

/* RFC 7208 §4.5: "v=spf1" (any case) followed by a space or the end. */
bool spfrecord_is_spf(struct span txt);

/* Parses an SPF record (spfrecord_is_spf true). Returns 0, or -1 with
 * *err_out filled. Ownership: out's terms point into text and the arena. */
int spfrecord_parse(struct arena *a, struct span text, struct spfrecord *out,
    struct spfrecord_error *err_out);

/* Does the term cost one of the 10 DNS lookups of RFC 7208 §4.6.4
 * (include, a, mx, ptr, exists, redirect)? */
bool spfrecord_counts_lookup(enum spfrecord_kind k);
/* Is it a mechanism (rather than a modifier)? */
bool spfrecord_is_mechanism(enum spfrecord_kind k);
/* "all", "include", ..., "redirect", "exp", "modifier". */
const char *spfrecord_kind_str(enum spfrecord_kind k);

#endif
