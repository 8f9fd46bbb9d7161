/* SPDX-License-Identifier: MIT */
/*
 * lang.h - the languages bouncedoc answers in, and texts kept in them
 *
 * The languages are data: English, the source, and one language per
 * translation file rules/lang/<code>.json (texts.c reads the directory and
 * owns the set). A language is its index in that set (enum lang); English
 * is always LANG_EN, index 0.
 *
 * API: lang_code_valid says whether a file name is a language code;
 * lang_parse maps a tag ("ru", "ru-RU", "EN", "pt_BR") to a language of
 * the set (the whole tag first, then its primary subtag);
 * lang_from_accept picks the best one from an Accept-Language header (RFC
 * 9110 §12.5.4); lang_str is a language's code. struct ltext is one text
 * in every language of the set; ltext_in gives it as a language has it,
 * ltext_get falls back to English. struct lsteps is the steps of a fix.
 * Ownership: the set's codes and the ltext strings belong to the texts
 * table (texts.h) and live as long as it.
 */
#ifndef LANG_H
#define LANG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "span.h"

enum lang {
	LANG_EN = 0,
	LANG_MAX = 64, /* languages in one set, English included */
};

/* The languages served: code[0] is "en", then the translations in code
 * order. */
struct langs {
	const char *code[LANG_MAX];
	size_t n;
};

/* One text in every language of the set: s[l] for l < the set's n, NULL
 * where l has no translation; s NULL: no text at all. */
struct ltext {
	const char *const *s;
};

/* Steps of a fix: step i is steps[i]; bit l of langs is set when at least
 * one step is translated into l (English's always is when n > 0). */
struct lsteps {
	const struct ltext *steps;
	/* per step, what kind of step it is ("spf_record": an edit of the
	 * sender's SPF record, which a verified record replaces) or NULL;
	 * NULL when no step has a tag */
	const char *const *tags;
	size_t n;
	uint64_t langs;
};

/* Is code a language code as a file name gives it: a primary subtag of
 * 2-3 lowercase letters, then subtags of 1-8 letters or digits, each
 * after a '-' ("ru", "pt-BR", "zh-Hant")? */
bool lang_code_valid(struct span code);
const char *lang_str(const struct langs *ls, enum lang l);
/* Returns 0 and sets *out for a tag naming a language of ls, else -1. */
int lang_parse(const struct langs *ls, struct span tag, enum lang *out);
/* Returns 0 and sets *out when the header names a language of ls. */
int lang_from_accept(const struct langs *ls, const char *header,
    enum lang *out);

/* The text as l has it, or NULL. */
const char *ltext_in(const struct ltext *t, enum lang l);
/* The text in l, else English, else NULL. */
const char *ltext_get(const struct ltext *t, enum lang l);

#endif
