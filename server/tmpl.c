/* SPDX-License-Identifier: MIT */
/*
 * tmpl.c - fill {name|fallback} placeholders in rule texts
 *
 * Not here: which names exist (diag.c answers the lookups).
 */
#include "tmpl.h"

#include <string.h>

#include "ascii.h"
#include "buf.h"

#define TMPL_MAX_NAME 32

/* tmpl_placeholder - parse "{name|fallback}" at p; returns its length */
static size_t
tmpl_placeholder(const char *p, struct span *name, struct span *fallback)
{
	const char *q = p + 1, *bar = NULL, *end;

	while (*q != '\0' && (ascii_is_alnum(*q) || *q == '_'))
		q++;
	if (q == p + 1 || (size_t)(q - p - 1) > TMPL_MAX_NAME)
		return 0;
	if (*q == '|')
		bar = q;
	end = strchr(q, '}');
	if (end == NULL || (bar == NULL && end != q))
		return 0;
	/* a fallback is plain text: no nested placeholders */
	if (bar != NULL && memchr(bar, '{', (size_t)(end - bar)) != NULL)
		return 0;
	*name = span_make(p + 1, (size_t)(q - p - 1));
	*fallback = bar == NULL ? SPAN_NULL :
	                          span_make(bar + 1, (size_t)(end - bar - 1));
	return (size_t)(end - p) + 1;
}

char *
tmpl_expand(struct arena *a, const char *tmpl, tmpl_lookup_fn *lookup,
    void *arg)
{
	struct buf b;
	const char *p = tmpl;
	char *out;

	buf_init(&b, 1u << 20);
	while (*p != '\0') {
		struct span name, fallback;
		const char *v;
		size_t n;

		if ((p[0] == '{' && p[1] == '{') ||
		    (p[0] == '}' && p[1] == '}')) {
			(void)buf_append_char(&b, p[0]);
			p += 2;
			continue;
		}
		if (p[0] == '{' &&
		    (n = tmpl_placeholder(p, &name, &fallback)) > 0) {
			v = lookup(name, arg);
			if (v != NULL)
				(void)buf_append(&b, v, strlen(v));
			else
				(void)buf_append_span(&b, fallback);
			p += n;
			continue;
		}
		/* copy the plain run up to the next brace in one go */
		n = strcspn(p + 1, "{}") + 1;
		(void)buf_append(&b, p, n);
		p += n;
	}
	out = arena_strndup(a, b.data == NULL ? "" : b.data, b.len);
	buf_clear(&b);
	return out;
}
