/* SPDX-License-Identifier: MIT */
/*
 * taglist.c - tag=value lists (RFC 6376 §3.2)
 *
 * Not here: what the tags mean (dmarcrec.c, dkimkey.c, dkimsig.c).
 */
#include "taglist.h"

#include <string.h>

#include "ascii.h"
#include "texts_msg.h"

/* taglist_is_name - RFC 6376 §3.2: tag-name = ALPHA *ALNUMPUNC */
static bool
taglist_is_name(struct span s)
{
	if (s.len == 0 || !ascii_is_alpha(s.ptr[0]))
		return false;
	for (size_t i = 1; i < s.len; i++)
		if (!ascii_is_alnum(s.ptr[i]) && s.ptr[i] != '_')
			return false;
	return true;
}

enum taglist_step
taglist_next(struct span list, size_t *pos, struct taglist_tag *out)
{
	size_t start, end;
	const char *eq;
	struct span spec;

	for (;;) {
		if (*pos >= list.len)
			return TAGLIST_END;
		start = *pos;
		end = start;
		while (end < list.len && list.ptr[end] != ';')
			end++;
		*pos = end < list.len ? end + 1 : end;
		spec = ascii_trim(span_make(list.ptr + start, end - start),
		    ASCII_FWS);
		if (spec.len > 0)
			break;
	}
	out->spec = spec;
	out->offset = (size_t)(spec.ptr - list.ptr);
	eq = memchr(spec.ptr, '=', spec.len);
	if (eq == NULL) {
		out->name = spec;
		out->value = span_make(spec.ptr + spec.len, 0);
		return TAGLIST_NO_EQUALS;
	}
	out->name =
	    ascii_trim(span_make(spec.ptr, (size_t)(eq - spec.ptr)), ASCII_FWS);
	out->value = ascii_trim(span_make(eq + 1,
	                            spec.len - (size_t)(eq - spec.ptr) - 1),
	    ASCII_FWS);
	return taglist_is_name(out->name) ? TAGLIST_TAG : TAGLIST_BAD_NAME;
}

void
taglist_walk(struct span list, taglist_fn *fn, void *arg)
{
	struct taglist_tag t;
	enum taglist_step st;
	size_t pos = 0, index = 0;

	while ((st = taglist_next(list, &pos, &t)) != TAGLIST_END)
		fn(arg, st, &t, index++);
}

bool
taglist_item(struct span value, char sep, size_t *pos, struct span *item_out)
{
	size_t start = *pos, end;

	if (start > value.len)
		return false;
	end = start;
	while (end < value.len && value.ptr[end] != sep)
		end++;
	/* past the end after the last item: an empty value is one item,
	 * and so is what follows a final separator */
	*pos = end < value.len ? end + 1 : value.len + 1;
	*item_out =
	    ascii_trim(span_make(value.ptr + start, end - start), ASCII_FWS);
	return true;
}

bool
taglist_has_bad_byte(struct span s)
{
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.ptr[i];

		if (c == ';' || (c < 0x21 && !ascii_is(c, ASCII_FWS)) ||
		    c > 0x7e)
			return true;
	}
	return false;
}

struct span
taglist_unfold(struct arena *a, struct span value)
{
	char *out = arena_alloc(a, value.len + 1);
	size_t n = 0;

	for (size_t i = 0; i < value.len; i++)
		if (!ascii_is(value.ptr[i], ASCII_FWS))
			out[n++] = value.ptr[i];
	out[n] = '\0';
	return span_make(out, n);
}

const char *
taglist_quote(struct arena *a, struct span s)
{
	char *out;

	if (s.len == 0)
		return "";
	if (s.len <= TAGLIST_QUOTE_MAX)
		return arena_strndup(a, s.ptr, s.len);
	out = arena_alloc(a, TAGLIST_QUOTE_MAX + 4);
	memcpy(out, s.ptr, TAGLIST_QUOTE_MAX);
	memcpy(out + TAGLIST_QUOTE_MAX, "...", 4);
	return out;
}

const struct texts_msg *
taglist_error(struct arena *a, enum taglist_step st,
    const struct taglist_tag *t)
{
	switch (st) {
	case TAGLIST_NO_EQUALS:
		return texts_msg_with(a, "taglist.no_equals", "text",
		    taglist_quote(a, t->spec), TEXTS_MSG_END);
	case TAGLIST_BAD_NAME:
		return texts_msg_with(a, "taglist.tag_name", "tag",
		    taglist_quote(a, t->name), TEXTS_MSG_END);
	default:
		return NULL;
	}
}

struct texts_msg *
taglist_msg(struct arena *a, const char *id, const struct taglist_tag *t)
{
	struct texts_msg *m = texts_msg_new(a, id);

	(void)texts_msg_arg(m, "tag", taglist_quote(a, t->name));
	return texts_msg_arg(m, "value", taglist_quote(a, t->value));
}

struct texts_msg *
taglist_too_long(struct arena *a, const char *id, size_t len, size_t max)
{
	struct texts_msg *m = texts_msg_count(texts_msg_new(a, id), len);

	return texts_msg_num(m, "max", max);
}
