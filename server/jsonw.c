/* SPDX-License-Identifier: MIT */
/*
 * jsonw.c - write JSON straight into a buffer
 *
 * Not here: reading JSON (jansson, in api.c and jsonload.c).
 */
#include "jsonw.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

void
jsonw_init(struct jsonw *w, struct buf *b)
{
	w->b = b;
	w->depth = 0;
	w->first[0] = true;
}

/* jsonw_sep - the comma before a value that is not the first */
static void
jsonw_sep(struct jsonw *w)
{
	if (!w->first[w->depth])
		(void)buf_append_char(w->b, ',');
	w->first[w->depth] = false;
}

static void
jsonw_open(struct jsonw *w, char c)
{
	jsonw_sep(w);
	(void)buf_append_char(w->b, c);
	ASSERT(w->depth + 1 < JSONW_MAX_DEPTH);
	w->first[++w->depth] = true;
	w->close[w->depth] = c == '{' ? '}' : ']';
}

void
jsonw_obj(struct jsonw *w)
{
	jsonw_open(w, '{');
}

void
jsonw_arr(struct jsonw *w)
{
	jsonw_open(w, '[');
}

void
jsonw_end(struct jsonw *w)
{
	ASSERT(w->depth > 0);
	(void)buf_append_char(w->b, w->close[w->depth--]);
}

static void
jsonw_escape(struct jsonw *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t run = 0;

	(void)buf_append_char(w->b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[6];
		size_t elen = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		(void)buf_append(w->b, s + run, i - run);
		run = i + 1;
		esc[0] = '\\';
		switch (c) {
		case '"':
		case '\\':
			esc[1] = (char)c;
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		default:
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			elen = 6;
			break;
		}
		(void)buf_append(w->b, esc, elen);
	}
	(void)buf_append(w->b, s + run, n - run);
	(void)buf_append_char(w->b, '"');
}

void
jsonw_key(struct jsonw *w, const char *key)
{
	jsonw_sep(w);
	jsonw_escape(w, key, strlen(key));
	(void)buf_append_char(w->b, ':');
	w->first[w->depth] = true; /* the value takes no comma */
}

void
jsonw_strn(struct jsonw *w, struct span s)
{
	jsonw_sep(w);
	jsonw_escape(w, s.ptr, s.len);
}

void
jsonw_str(struct jsonw *w, const char *s)
{
	if (s == NULL)
		jsonw_null(w);
	else
		jsonw_strn(w, span_cstr(s));
}

void
jsonw_null(struct jsonw *w)
{
	jsonw_sep(w);
	(void)buf_append(w->b, "null", 4);
}

void
jsonw_bool(struct jsonw *w, bool v)
{
	jsonw_sep(w);
	(void)buf_append(w->b, v ? "true" : "false", v ? 4 : 5);
}

void
jsonw_int(struct jsonw *w, int64_t v)
{
	jsonw_sep(w);
	(void)buf_printf(w->b, "%" PRId64, v);
}

void
jsonw_kstr(struct jsonw *w, const char *key, const char *s)
{
	jsonw_key(w, key);
	jsonw_str(w, s);
}

void
jsonw_kbool(struct jsonw *w, const char *key, bool v)
{
	jsonw_key(w, key);
	jsonw_bool(w, v);
}

void
jsonw_kint(struct jsonw *w, const char *key, int64_t v)
{
	jsonw_key(w, key);
	jsonw_int(w, v);
}
