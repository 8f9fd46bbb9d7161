/* SPDX-License-Identifier: MIT */
/*
 * lang.c - response languages
 *
 * Not here: the texts themselves (the JSON files under rules/, loaded by rules.c and
 * codes.c).
 */
#include "lang.h"

#include <stdlib.h>
#include <string.h>

#include "ascii.h"

static const char *const lang_names[LANG_COUNT] = {
	[LANG_EN] = "en",
	[LANG_RU] = "ru",
};

const char *
lang_str(enum lang l)
{
	return lang_names[l];
}

int
lang_parse(struct span tag, enum lang *out)
{
	size_t n = 0;

	/* the primary subtag decides: "ru-RU" and "ru" are both Russian */
	while (n < tag.len && tag.ptr[n] != '-' && tag.ptr[n] != '_')
		n++;
	for (int i = 0; i < LANG_COUNT; i++) {
		if (ascii_ieq_cstr(span_make(tag.ptr, n), lang_names[i])) {
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
lang_from_accept(const char *header, enum lang *out)
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
		if (lang_parse(span_make(item, (size_t)(tag_end - item)), &l) ==
		    -1)
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
ltext_get(const struct ltext *t, enum lang l)
{
	if (t->s[l] != NULL)
		return t->s[l];
	return t->s[LANG_EN];
}
