/* SPDX-License-Identifier: MIT */
/*
 * taglist.h - tag=value lists: DKIM key records and signatures, DMARC
 * records (RFC 6376 §3.2, RFC 7489 §6.3)
 *
 * API: taglist_next(list, &pos, &tag) walks a list one tag-spec at a time
 * ("v=DKIM1; k = rsa;p=MIGf..."): the specs are separated by ';', an
 * empty one (";;", a final ';') is skipped, and the name and the value
 * come without the folding white space around them (space, tab, CR, LF:
 * RFC 6376 §2.8 FWS). A spec without '=' or with a name that is not
 * ALPHA *(ALPHA / DIGIT / "_") is returned as such, and the walk goes on
 * after it. taglist_walk calls a function for every spec, with its
 * place in the list. taglist_item walks a value's list of items separated by one
 * byte (',' for DMARC's rua=, ':' for fo=, h=, t=, ...), trimmed the same
 * way. taglist_unfold drops every FWS byte of a value (base64 in p=, a
 * folded d=). taglist_error words a bad spec as a message "taglist.*";
 * taglist_msg makes a message about a tag (its name and value as
 * arguments), taglist_too_long one about a list too long to read;
 * taglist_quote copies a piece of a record for a message, cut at
 * TAGLIST_QUOTE_MAX bytes.
 * What a tag means, its case and its duplicates are the callers' (DKIM
 * tag names are case-sensitive, DMARC's ABNF literals are not).
 * Not here: the records themselves (dmarcrec.c, dkimkey.c, dkimsig.c).
 * Ownership: spans are views of the list; copies and messages belong to
 * the arena.
 */
#ifndef TAGLIST_H
#define TAGLIST_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "span.h"

struct texts_msg;

#define TAGLIST_QUOTE_MAX 120 /* bytes of record text quoted in a message */

/* What taglist_next found. */
enum taglist_step {
	TAGLIST_TAG,       /* a tag-spec: name and value */
	TAGLIST_END,       /* nothing left */
	TAGLIST_NO_EQUALS, /* a spec without '=' (in spec) */
	TAGLIST_BAD_NAME,  /* a name that is no tag-name (in name) */
};

struct taglist_tag {
	struct span spec;  /* the whole spec without the FWS around it */
	struct span name;  /* without FWS */
	struct span value; /* without FWS at either end; may be empty */
	size_t offset;     /* of spec in the list */
};

/* The next tag-spec of list at or after *pos; *pos moves past it. out is
 * set for every step but TAGLIST_END. */
enum taglist_step taglist_next(struct span list, size_t *pos,
    struct taglist_tag *out);

/* Called by taglist_walk for every spec but the end: st is TAGLIST_TAG
 * or a bad spec's step; index counts the specs before it. */
typedef void taglist_fn(void *arg, enum taglist_step st,
    const struct taglist_tag *t, size_t index);

/* Calls fn for every spec of list, in order. */
void taglist_walk(struct span list, taglist_fn *fn, void *arg);

/* The next item of value at or after *pos, up to the byte sep or the
 * end, without FWS around it (it may be empty: "a,,b"). Returns false
 * when *pos is past the end. */
bool taglist_item(struct span value, char sep, size_t *pos,
    struct span *item_out);

/* Does any byte of s not belong in a tag value (RFC 6376 §3.2 VALCHAR
 * and FWS: 0x21-0x3a, 0x3c-0x7e, space, tab, CR, LF)? */
bool taglist_has_bad_byte(struct span s);

/* A NUL-terminated arena copy of value without any FWS byte. */
struct span taglist_unfold(struct arena *a, struct span value);

/* A NUL-terminated copy of s for a message: at most TAGLIST_QUOTE_MAX
 * bytes, "..." after a cut. */
const char *taglist_quote(struct arena *a, struct span s);

/* The message of a bad spec: "taglist.no_equals" {text} or
 * "taglist.tag_name" {tag}; NULL for TAGLIST_TAG and TAGLIST_END. */
const struct texts_msg *taglist_error(struct arena *a, enum taglist_step st,
    const struct taglist_tag *t);

/* A message id about tag t: arguments {tag} and {value}, quoted. */
struct texts_msg *taglist_msg(struct arena *a, const char *id,
    const struct taglist_tag *t);

/* The message id (a plural family) of a list of len bytes, more than the
 * max read: {n} is len, {max} max. */
struct texts_msg *taglist_too_long(struct arena *a, const char *id, size_t len,
    size_t max);

#endif
