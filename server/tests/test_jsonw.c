/* SPDX-License-Identifier: MIT */
/*
 * test_jsonw.c - the JSON writer: structure, commas, escaping
 *
 * Every document written here is parsed back with jansson, so a missing
 * comma or a bad escape fails as it would in a client.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jsonw.h"
#include "test.h"

static json_t *
parse(const struct buf *b)
{
	json_error_t err;

	return json_loadb(b->data, b->len, JSON_ALLOW_NUL, &err);
}

static void
structure(void)
{
	struct buf b;
	struct jsonw w;
	json_t *doc;

	buf_init(&b, 4096);
	jsonw_init(&w, &b);
	jsonw_obj(&w);
	jsonw_kstr(&w, "a", "x");
	jsonw_kint(&w, "n", -42);
	jsonw_kbool(&w, "t", true);
	jsonw_kbool(&w, "f", false);
	jsonw_kstr(&w, "nul", NULL);
	jsonw_key(&w, "arr");
	jsonw_arr(&w);
	jsonw_int(&w, 1);
	jsonw_obj(&w);
	jsonw_end(&w);
	jsonw_arr(&w);
	jsonw_end(&w);
	jsonw_null(&w);
	jsonw_end(&w);
	jsonw_key(&w, "empty");
	jsonw_obj(&w);
	jsonw_end(&w);
	jsonw_end(&w);
	CHECK_STR(b.data,
	    "{\"a\":\"x\",\"n\":-42,\"t\":true,\"f\":false,\"nul\":null,"
	    "\"arr\":[1,{},[],null],\"empty\":{}}",
	    "nested document, commas placed");
	doc = parse(&b);
	CHECK(doc != NULL &&
	        json_integer_value(json_object_get(doc, "n")) == -42,
	    "jansson reads it back");
	json_decref(doc);
	buf_clear(&b);
}

static void
escaping(void)
{
	/* every byte 0x01..0x7f, a NUL inside a span, and UTF-8 */
	char raw[200];
	size_t n = 0;
	struct buf b;
	struct jsonw w;
	json_t *doc, *v;

	for (int c = 1; c < 0x80; c++)
		raw[n++] = (char)c;
	raw[n++] = '\0';
	memcpy(raw + n, "\xd0\x96\xf0\x9f\x98\x80", 6);
	n += 6;
	buf_init(&b, 4096);
	jsonw_init(&w, &b);
	jsonw_arr(&w);
	jsonw_strn(&w, span_make(raw, n));
	jsonw_end(&w);
	doc = parse(&b);
	v = doc != NULL ? json_array_get(doc, 0) : NULL;
	CHECK(v != NULL && json_string_length(v) == n &&
	        memcmp(json_string_value(v), raw, n) == 0,
	    "controls, quotes, backslash, NUL and UTF-8 round-trip");
	CHECK(strstr(b.data, "\\u001f") != NULL && strstr(b.data, "\\n") &&
	        strstr(b.data, "\\\"") && strstr(b.data, "\\\\"),
	    "escapes are the short and \\u forms");
	json_decref(doc);
	buf_clear(&b);
}

int
main(void)
{
	structure();
	escaping();
	return test_done();
}
