/* SPDX-License-Identifier: MIT */
/*
 * langfmt.c - plural categories and integer formatting per language
 *
 * Two tables: rows of languages (primary subtags, or whole tags for a
 * regional variant) that share a plural rule, and rows that share a digit
 * grouping. The rules are CLDR's for integers (operands n = i, v = 0).
 * Not here: the texts of each form (texts.c).
 */
#include "langfmt.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

enum langfmt_rule {
	LANGFMT_ONE,       /* one: 1 (English, German, Spanish, ...) */
	LANGFMT_ONE_01,    /* one: 0, 1 (French, Brazilian, Hindi) */
	LANGFMT_NONE,      /* other only (Japanese, Chinese, Korean) */
	LANGFMT_EAST_SLAV, /* one, few, many (Russian, Ukrainian) */
	LANGFMT_POLISH,    /* one 1, few, many */
	LANGFMT_CZECH,     /* one 1, few 2-4, other */
	LANGFMT_BCS,       /* one, few, other (Croatian, Serbian) */
	LANGFMT_LITHUANIAN,
	LANGFMT_LATVIAN,
	LANGFMT_ROMANIAN,
	LANGFMT_SLOVENIAN,
	LANGFMT_ARABIC,
	LANGFMT_HEBREW,
	LANGFMT_IRISH,
};

/* A row of one of the two tables: the languages (space-separated) and
 * their plural rule, or their digit grouping. */
struct langfmt_row {
	const char *codes;
	enum langfmt_rule rule;
	const char *group;     /* thousands separator */
	unsigned min_grouping; /* digits before the first separator, at least */
};

/* U+00A0 no-break space and U+202F narrow no-break space, as CLDR has
 * them for these languages */
#define NBSP  "\xc2\xa0"
#define NNBSP "\xe2\x80\xaf"

static const struct langfmt_row langfmt_plurals[] = {
	{ "pt-PT", LANGFMT_ONE, NULL, 0 },
	{ "ja zh ko th vi id ms lo km my yue", LANGFMT_NONE, NULL, 0 },
	{ "fr pt hi bn fa", LANGFMT_ONE_01, NULL, 0 },
	{ "ru uk be", LANGFMT_EAST_SLAV, NULL, 0 },
	{ "pl", LANGFMT_POLISH, NULL, 0 },
	{ "cs sk", LANGFMT_CZECH, NULL, 0 },
	{ "hr sr bs", LANGFMT_BCS, NULL, 0 },
	{ "lt", LANGFMT_LITHUANIAN, NULL, 0 },
	{ "lv", LANGFMT_LATVIAN, NULL, 0 },
	{ "ro", LANGFMT_ROMANIAN, NULL, 0 },
	{ "sl", LANGFMT_SLOVENIAN, NULL, 0 },
	{ "ar", LANGFMT_ARABIC, NULL, 0 },
	{ "he", LANGFMT_HEBREW, NULL, 0 },
	{ "ga", LANGFMT_IRISH, NULL, 0 },
};

static const struct langfmt_row langfmt_groups[] = {
	{ "pt-PT", LANGFMT_ONE, NBSP, 2 },
	{ "de-CH", LANGFMT_ONE, "\xe2\x80\x99", 1 },
	{ "de nl it id da tr el ca ro sl hr sr bs vi", LANGFMT_ONE, ".", 1 },
	{ "es", LANGFMT_ONE, ".", 2 },
	{ "pt", LANGFMT_ONE, ".", 1 },
	{ "fr", LANGFMT_ONE, NNBSP, 1 },
	{ "ru uk be sv nb nn no fi et hu bg sk cs lt lv", LANGFMT_ONE, NBSP,
	    1 },
	{ "pl", LANGFMT_ONE, NBSP, 2 },
};

#define LANGFMT_N(v) (sizeof(v) / sizeof(*(v)))

static const char *const langfmt_order[] = { "zero", "one", "two", "few",
	"many", "other" };

/* langfmt_in - is word (len n) one of the space-separated list? */
static bool
langfmt_in(const char *list, const char *word, size_t n)
{
	const char *p = list;

	while (*p != '\0') {
		size_t k = strcspn(p, " ");

		if (k == n && memcmp(p, word, n) == 0)
			return true;
		p += k;
		while (*p == ' ')
			p++;
	}
	return false;
}

/* langfmt_match - the first row that names code: the whole code, else
 * its primary subtag; NULL when none does */
static const struct langfmt_row *
langfmt_match(const char *code, const struct langfmt_row *rows, size_t n)
{
	size_t primary = strcspn(code, "-_");

	for (int pass = 0; pass < 2; pass++) {
		size_t len = pass == 0 ? strlen(code) : primary;

		for (size_t i = 0; i < n; i++) {
			if (langfmt_in(rows[i].codes, code, len))
				return &rows[i];
		}
	}
	return NULL;
}

static enum langfmt_rule
langfmt_rule_of(const char *code)
{
	const struct langfmt_row *r =
	    langfmt_match(code, langfmt_plurals, LANGFMT_N(langfmt_plurals));

	return r != NULL ? r->rule : LANGFMT_ONE;
}

const char *
langfmt_plural(const char *code, unsigned long n)
{
	unsigned long d = n % 10, dd = n % 100;
	bool teen = dd >= 12 && dd <= 14;

	switch (langfmt_rule_of(code)) {
	case LANGFMT_NONE:
		return "other";
	case LANGFMT_ONE_01:
		return n <= 1 ? "one" : "other";
	case LANGFMT_EAST_SLAV:
		if (d == 1 && dd != 11)
			return "one";
		return d >= 2 && d <= 4 && !teen ? "few" : "many";
	case LANGFMT_POLISH:
		if (n == 1)
			return "one";
		return d >= 2 && d <= 4 && !teen ? "few" : "many";
	case LANGFMT_CZECH:
		if (n == 1)
			return "one";
		return n >= 2 && n <= 4 ? "few" : "other";
	case LANGFMT_BCS:
		if (d == 1 && dd != 11)
			return "one";
		return d >= 2 && d <= 4 && !teen ? "few" : "other";
	case LANGFMT_LITHUANIAN:
		if (dd >= 11 && dd <= 19)
			return "other";
		return d == 1 ? "one" : d >= 2 ? "few" : "other";
	case LANGFMT_LATVIAN:
		if (d == 0 || (dd >= 11 && dd <= 19))
			return "zero";
		return d == 1 ? "one" : "other";
	case LANGFMT_ROMANIAN:
		if (n == 1)
			return "one";
		return n == 0 || (dd >= 2 && dd <= 19) ? "few" : "other";
	case LANGFMT_SLOVENIAN:
		return dd == 1         ? "one" :
		    dd == 2            ? "two" :
		    dd == 3 || dd == 4 ? "few" :
		                         "other";
	case LANGFMT_ARABIC:
		return n == 0           ? "zero" :
		    n == 1              ? "one" :
		    n == 2              ? "two" :
		    dd >= 3 && dd <= 10 ? "few" :
		    dd >= 11            ? "many" :
		                          "other";
	case LANGFMT_HEBREW:
		return n == 1 ? "one" : n == 2 ? "two" : "other";
	case LANGFMT_IRISH:
		return n == 1         ? "one" :
		    n == 2            ? "two" :
		    n >= 3 && n <= 6  ? "few" :
		    n >= 7 && n <= 10 ? "many" :
		                        "other";
	default:
		return n == 1 ? "one" : "other";
	}
}

void
langfmt_forms(const char *code, const char *out[LANGFMT_MAX_FORMS + 1])
{
	size_t n = 0;

	/* every integer's category shows among 0..199 for these rules */
	for (size_t i = 0; i < LANGFMT_MAX_FORMS; i++) {
		for (unsigned long k = 0; k < 200; k++) {
			if (strcmp(langfmt_plural(code, k), langfmt_order[i]) ==
			    0) {
				out[n++] = langfmt_order[i];
				break;
			}
		}
	}
	out[n] = NULL;
}

void
langfmt_number(const char *code, unsigned long n, char out[LANGFMT_NUM_LEN])
{
	const struct langfmt_row *r =
	    langfmt_match(code, langfmt_groups, LANGFMT_N(langfmt_groups));
	const char *group = r != NULL ? r->group : ",";
	unsigned min = r != NULL ? r->min_grouping : 1;
	char digits[24];
	size_t len = (size_t)snprintf(digits, sizeof(digits), "%lu", n);
	size_t glen = strlen(group), o = 0;

	/* a separator every three digits once the number has at least
	 * 3 + min digits ("1234" stays whole in Spanish and Polish) */
	if (len < 3 + min) {
		memcpy(out, digits, len + 1);
		return;
	}
	for (size_t k = 0; k < len; k++) {
		if (k > 0 && (len - k) % 3 == 0) {
			memcpy(out + o, group, glen);
			o += glen;
		}
		out[o++] = digits[k];
	}
	out[o] = '\0';
}
