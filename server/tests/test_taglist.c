/* SPDX-License-Identifier: MIT */
/*
 * test_taglist.c - tag=value lists (RFC 6376 §3.2): specs, folding white
 * space, bad specs, item lists, unfolding and quoting
 */
#include <string.h>

#include "taglist.h"
#include "texts_msg.h"
#include "test.h"

/* walk - every step of list as "name=value" or "!no_equals:spec" or
 * "!bad_name:name", separated by '|' */
static const char *
walk(struct arena *a, const char *list)
{
	struct span l = span_cstr(list);
	struct taglist_tag t;
	enum taglist_step st;
	size_t pos = 0;
	char *out = arena_strndup(a, "", 0);

	while ((st = taglist_next(l, &pos, &t)) != TAGLIST_END) {
		const char *sep = out[0] != '\0' ? "|" : "";

		if (st == TAGLIST_TAG)
			out = arena_printf(a, "%s%s%.*s=%.*s", out, sep,
			    (int)t.name.len, t.name.ptr, (int)t.value.len,
			    t.value.ptr);
		else if (st == TAGLIST_NO_EQUALS)
			out = arena_printf(a, "%s%s!no_equals:%.*s", out, sep,
			    (int)t.spec.len, t.spec.ptr);
		else
			out = arena_printf(a, "%s%s!bad_name:%.*s", out, sep,
			    (int)t.name.len, t.name.ptr);
		if (t.spec.ptr != l.ptr + t.offset)
			return "offset wrong";
	}
	return out;
}

/* items - the items of value split at sep, separated by '|' */
static const char *
items(struct arena *a, const char *value, char sep)
{
	struct span item;
	size_t pos = 0;
	char *out = NULL;

	while (taglist_item(span_cstr(value), sep, &pos, &item))
		out = out == NULL ?
		    arena_printf(a, "%.*s", (int)item.len, item.ptr) :
		    arena_printf(a, "%s|%.*s", out, (int)item.len, item.ptr);
	return out != NULL ? out : "(none)";
}

static const struct {
	const char *list, *want;
} walks[] = {
	{ "v=DKIM1; k=rsa; p=MIGf", "v=DKIM1|k=rsa|p=MIGf" },
	{ "  a = 1 ;b=  two words \t;", "a=1|b=two words" },
	{ "a=1;;; ;b=2;", "a=1|b=2" },
	{ "a=\r\n\tfolded\r\n value", "a=folded\r\n value" },
	{ "a=", "a=" },
	{ "a=x=y", "a=x=y" },
	{ "junk; a=1", "!no_equals:junk|a=1" },
	{ "1a=2; _a=3; a-b=4; a_1=5",
	    "!bad_name:1a|!bad_name:_a|!bad_name:a-b|"
	    "a_1=5" },
	{ "=value", "!bad_name:" },
	{ "", "" },
	{ ";", "" },
};

/* count - taglist_fn: the specs seen and the index of each, as text */
static void
count(void *arg, enum taglist_step st, const struct taglist_tag *t,
    size_t index)
{
	char *s = arg;
	size_t n = strlen(s);

	(void)t;
	if (n + 2 < 32) {
		s[n] = st == TAGLIST_TAG ? 't' : 'x';
		s[n + 1] = (char)('0' + index);
		s[n + 2] = '\0';
	}
}

int
main(void)
{
	struct arena *a = arena_new();
	struct taglist_tag t;
	struct span s;
	size_t pos = 0;
	const char *q;
	char big[300], seen[32] = "";
	struct texts_msg *m;

	for (size_t i = 0; i < sizeof(walks) / sizeof(walks[0]); i++)
		CHECK_STR(walk(a, walks[i].list), walks[i].want,
		    arena_printf(a, "list %zu", i));

	CHECK_STR(items(a, "mailto:a@x, mailto:b@y ,c", ','),
	    "mailto:a@x|mailto:b@y|c", "items trimmed");
	CHECK_STR(items(a, "a,,b,", ','), "a||b|", "empty items kept");
	CHECK_STR(items(a, "", ':'), "", "an empty value is one item");
	CHECK_STR(items(a, "sha1:sha256", ':'), "sha1|sha256", "':' lists");

	s = taglist_unfold(a, span_cstr(" MIGf MA0G\r\n\tCSqG "));
	CHECK(span_eq_cstr(s, "MIGfMA0GCSqG") && s.ptr[s.len] == '\0',
	    "unfold drops every FWS byte");
	s = taglist_unfold(a, SPAN_NULL);
	CHECK(s.len == 0 && s.ptr != NULL && s.ptr[0] == '\0',
	    "unfold of nothing is \"\"");

	memset(big, 'x', sizeof(big));
	q = taglist_quote(a, span_make(big, sizeof(big)));
	CHECK(strlen(q) == TAGLIST_QUOTE_MAX + 3 &&
	        strcmp(q + TAGLIST_QUOTE_MAX, "...") == 0,
	    "quote cuts long text");
	CHECK_STR(taglist_quote(a, SPAN_LIT("short")), "short", "quote short");
	CHECK_STR(taglist_quote(a, SPAN_NULL), "", "quote nothing");

	CHECK(taglist_has_bad_byte(SPAN_LIT("a;b")), "';' is no value byte");
	CHECK(!taglist_has_bad_byte(SPAN_LIT("abc \t\r\n~!:")), "VALCHAR+FWS");
	CHECK(taglist_has_bad_byte(SPAN_LIT("a\x01")), "control byte");
	CHECK(taglist_has_bad_byte(SPAN_LIT("caf\xc3\xa9")), "non-ASCII");

	CHECK(taglist_next(SPAN_LIT("junk"), &pos, &t) == TAGLIST_NO_EQUALS &&
	        texts_msg_is(taglist_error(a, TAGLIST_NO_EQUALS, &t),
	            "taglist.no_equals"),
	    "no '=': taglist.no_equals");
	pos = 0;
	CHECK(taglist_next(SPAN_LIT("9=1"), &pos, &t) == TAGLIST_BAD_NAME &&
	        texts_msg_is(taglist_error(a, TAGLIST_BAD_NAME, &t),
	            "taglist.tag_name"),
	    "bad name: taglist.tag_name");
	CHECK(taglist_error(a, TAGLIST_TAG, &t) == NULL, "no error for a tag");

	taglist_walk(SPAN_LIT("a=1;; junk ;b=2;"), count, seen);
	CHECK_STR(seen, "t0x1t2", "walk: every spec, in order, indexed");
	pos = 0;
	(void)taglist_next(SPAN_LIT(" pct = 200 "), &pos, &t);
	m = taglist_msg(a, "dmarc.syntax.bad_pct", &t);
	CHECK(texts_msg_is(m, "dmarc.syntax.bad_pct") && m->nargs == 2 &&
	        strcmp(m->args[0].text, "pct") == 0 &&
	        strcmp(m->args[1].text, "200") == 0,
	    "msg: tag and value");
	m = taglist_too_long(a, "dkim.syntax.too_long", 9000, 8192);
	CHECK(m->has_n && m->n == 9000 && m->args[0].is_num &&
	        m->args[0].num == 8192,
	    "too_long: n and max");

	arena_free(a);
	return test_done();
}
