/* SPDX-License-Identifier: MIT */
/*
 * texts_msg.c - a sentence not yet in any language
 *
 * A message id with its arguments, in an arena; nothing here knows a
 * language or a text. Not here: the texts and rendering (texts.c).
 */
#include "texts_msg.h"

#include <stdarg.h>
#include <string.h>

struct texts_msg *
texts_msg_new(struct arena *a, const char *id)
{
	struct texts_msg *m = arena_zalloc(a, sizeof(*m));

	m->id = id;
	return m;
}

static struct texts_msg *
texts_msg_add(struct texts_msg *m, const char *name, const char *text,
    const struct texts_msg *sub, bool is_num, unsigned long n)
{
	if (m->nargs < TEXTS_MAX_ARGS) {
		m->args[m->nargs].name = name;
		m->args[m->nargs].text = text;
		m->args[m->nargs].msg = sub;
		m->args[m->nargs].is_num = is_num;
		m->args[m->nargs].num = n;
		m->nargs++;
	}
	return m;
}

struct texts_msg *
texts_msg_arg(struct texts_msg *m, const char *name, const char *text)
{
	return texts_msg_add(m, name, text, NULL, false, 0);
}

struct texts_msg *
texts_msg_sub(struct texts_msg *m, const char *name,
    const struct texts_msg *sub)
{
	return texts_msg_add(m, name, NULL, sub, false, 0);
}

struct texts_msg *
texts_msg_num(struct texts_msg *m, const char *name, unsigned long n)
{
	return texts_msg_add(m, name, NULL, NULL, true, n);
}

struct texts_msg *
texts_msg_count(struct texts_msg *m, unsigned long n)
{
	m->has_n = true;
	m->n = n;
	return m;
}

struct texts_msg *
texts_msg_with(struct arena *a, const char *id, ...)
{
	struct texts_msg *m = texts_msg_new(a, id);
	const char *name;
	va_list ap;

	va_start(ap, id);
	while ((name = va_arg(ap, const char *)) != NULL)
		(void)texts_msg_arg(m, name, va_arg(ap, const char *));
	va_end(ap);
	return m;
}

const struct texts_msg *
texts_msg_dup(struct arena *a, const struct texts_msg *m)
{
	struct texts_msg *c;

	if (m == NULL)
		return NULL;
	c = arena_alloc(a, sizeof(*c));
	*c = *m;
	for (size_t i = 0; i < c->nargs; i++) {
		struct texts_arg *g = &c->args[i];

		if (g->text != NULL)
			g->text = arena_strndup(a, g->text, strlen(g->text));
		g->msg = texts_msg_dup(a, g->msg);
	}
	return c;
}

bool
texts_msg_is(const struct texts_msg *m, const char *id)
{
	return m != NULL && strcmp(m->id, id) == 0;
}
