/* SPDX-License-Identifier: MIT */
/*
 * lang.h - response languages and texts kept in several of them
 *
 * API: enum lang lists the languages bouncedoc answers in; lang_parse maps
 * a tag ("ru", "ru-RU", "EN") to one; lang_from_accept picks the best one
 * from an Accept-Language header (RFC 9110 §12.5.4). struct ltext holds
 * one string per language; ltext_get falls back to English.
 * Ownership: ltext strings belong to whoever filled the struct (the
 * ruleset or the code tables) and live as long as it.
 */
#ifndef LANG_H
#define LANG_H

#include <stddef.h>

#include "span.h"

enum lang {
	LANG_EN,
	LANG_RU,
	LANG_COUNT,
};

struct ltext {
	const char *s[LANG_COUNT];
};

/* Steps of a fix, per language. */
struct lsteps {
	const char *const *steps[LANG_COUNT];
	/* per step, what kind of step it is ("spf_record": an edit of the
	 * sender's SPF record, which a verified record replaces) or NULL;
	 * NULL when no step of that language has a tag */
	const char *const *tags[LANG_COUNT];
	size_t n[LANG_COUNT];
};

const char *lang_str(enum lang l);
/* Returns 0 and sets *out for a known language tag, else -1. */
int lang_parse(struct span tag, enum lang *out);
/* Returns 0 and sets *out when the header names a language we speak. */
int lang_from_accept(const char *header, enum lang *out);

/* The text in l, else English, else NULL. */
const char *ltext_get(const struct ltext *t, enum lang l);

#endif
