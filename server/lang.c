/* SPDX-License-Identifier: MIT */
/*
 * lang.c - the languages bouncedoc answers in
 *
 * Not here: which languages there are (the translation files, read by
 * texts.c) and the texts themselves (texts.c).
 */
#include "lang.h"

#include <stdlib.h>
#include <string.h>

#include "ascii.h"

static bool
lang_is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

bool
lang_code_valid(struct span code)
{
	size_t i = 0, n;

	while (i < code.len && lang_is_lower(code.ptr[i]))
		i++;
	if (i < 2 || i > 3)
		return false;
	while (i < code.len) {
		if (code.ptr[i++] != '-')
			return false;
		n = 0;
		while (i < code.len && ascii_is_alnum(code.ptr[i])) {
			i++;
			n++;
		}
		if (n < 1 || n > 8)
			return false;
	}
	return true;
}

const char *
lang_str(const struct langs *ls, enum lang l)
{
	return (size_t)l < ls->n ? ls->code[l] : ls->code[LANG_EN];
}

/* lang_tag_eq - does tag equal code, ignoring case, '_' as '-'? */
static bool
lang_tag_eq(struct span tag, const char *code)
{
	size_t n = strlen(code);

	if (tag.len != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = tag.ptr[i] == '_' ? '-' : tag.ptr[i];

		if (ascii_tolower(c) != ascii_tolower(code[i]))
			return false;
	}
	return true;
}

int
lang_parse(const struct langs *ls, struct span tag, enum lang *out)
{
	size_t n = 0;

	/* the whole tag first: "pt-BR" is Brazilian when there is one */
	for (size_t i = 0; i < ls->n; i++) {
		if (lang_tag_eq(tag, ls->code[i])) {
			*out = (enum lang)i;
			return 0;
		}
	}
	/* then its primary subtag: "ru-RU" and "ru" are both Russian */
	while (n < tag.len && tag.ptr[n] != '-' && tag.ptr[n] != '_')
		n++;
	if (n == tag.len)
		return -1;
	for (size_t i = 0; i < ls->n; i++) {
		if (lang_tag_eq(span_make(tag.ptr, n), ls->code[i])) {
			*out = (enum lang)i;
			return 0;
		}
	}
	return -1;
}

/* lang_accept_q - parse ";q=0.8" parameters; default 1 (RFC 9110 §12.4.2) */
static double
lang_accept_q(const char *p, const char *end)
{
	while (p < end) {
		while (p < end && (*p == ';' || *p == ' ' || *p == '\t'))
			p++;
		if (end - p >= 2 && (p[0] == 'q' || p[0] == 'Q') &&
		    p[1] == '=') {
			char tmp[16];
			size_t n = (size_t)(end - p - 2);

			if (n >= sizeof(tmp))
				n = sizeof(tmp) - 1;
			memcpy(tmp, p + 2, n);
			tmp[n] = '\0';
			return strtod(tmp, NULL);
		}
		while (p < end && *p != ';')
			p++;
	}
	return 1.0;
}

int
lang_from_accept(const struct langs *ls, const char *header, enum lang *out)
{
	const char *p = header;
	double best_q = 0.0;
	int found = -1;

	if (header == NULL)
		return -1;
	while (*p != '\0') {
		const char *item = p, *end, *tag_end;
		enum lang l;
		double q;

		while (*p != '\0' && *p != ',')
			p++;
		end = p;
		if (*p == ',')
			p++;
		while (item < end && ascii_is_space(*item))
			item++;
		tag_end = item;
		while (tag_end < end && *tag_end != ';' &&
		    !ascii_is_space(*tag_end))
			tag_end++;
		if (lang_parse(ls, span_make(item, (size_t)(tag_end - item)),
		        &l) == -1)
			continue;
		q = lang_accept_q(tag_end, end);
		/* the first of equal weights wins: the user's order */
		if (q > best_q) {
			best_q = q;
			*out = l;
			found = 0;
		}
	}
	return found;
}

const char *
ltext_in(const struct ltext *t, enum lang l)
{
	return t->s != NULL ? t->s[l] : NULL;
}

const char *
ltext_get(const struct ltext *t, enum lang l)
{
	if (t->s == NULL)
		return NULL;
	return t->s[l] != NULL ? t->s[l] : t->s[LANG_EN];
}
