/* SPDX-License-Identifier: MIT */
/*
 * codes.c - tables of SMTP reply codes and enhanced status codes
 *
 * The tables are data (rules/status-codes.json, rules/reply-codes.json) so
 * that a new IANA registration is a data change. Lookups are array
 * indexing. Not here: choosing a reason (rules.c, diag.c).
 */
#include "codes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ascii.h"
#include "jsonload.h"
#include "xmalloc.h"

struct codes {
	struct arena *arena;
	const struct codes_entry *st_class[10];
	const struct codes_entry *st_subject[CODES_MAX_SUBJECT + 1];
	const struct codes_entry
	    *st_detail[CODES_MAX_SUBJECT + 1][CODES_MAX_DETAIL + 1];
	const struct codes_entry *rp_class[10];
	const struct codes_entry *rp_category[10];
	const struct codes_entry *rp_code[1000];
};

static const char *const codes_entry_keys[] = { "rfc", "reason", "fix_by",
	"text", NULL };

/* codes_num - parse a decimal number of 1..3 digits, the whole span */
static int
codes_num(struct span s, unsigned *out)
{
	unsigned v = 0;

	if (s.len == 0 || s.len > 3)
		return -1;
	for (size_t i = 0; i < s.len; i++) {
		if (!ascii_is_digit(s.ptr[i]))
			return -1;
		v = v * 10 + (unsigned)(s.ptr[i] - '0');
	}
	*out = v;
	return 0;
}

int
codes_status_parse(struct span s, struct codes_status *out)
{
	const char *d1, *d2;
	struct codes_status st;

	if (s.len == 0)
		return -1;
	d1 = memchr(s.ptr, '.', s.len);
	if (d1 == NULL)
		return -1;
	d2 = memchr(d1 + 1, '.', s.len - (size_t)(d1 + 1 - s.ptr));
	if (d2 == NULL)
		return -1;
	if (codes_num(span_make(s.ptr, (size_t)(d1 - s.ptr)), &st.cls) == -1 ||
	    codes_num(span_make(d1 + 1, (size_t)(d2 - d1 - 1)), &st.subject) ==
	        -1 ||
	    codes_num(span_make(d2 + 1, s.len - (size_t)(d2 + 1 - s.ptr)),
	        &st.detail) == -1)
		return -1;
	/* RFC 3463 §2: class is 2, 4 or 5 */
	if (st.cls != 2 && st.cls != 4 && st.cls != 5)
		return -1;
	*out = st;
	return 0;
}

/* codes_entry_load - one {"rfc", "reason", "fix_by", "text"} object; its
 * texts have the message ids "IDBASE.WHERE.title" and ".description" */
static const struct codes_entry *
codes_entry_load(const struct jsonload_texts *tc, const char *idbase, json_t *v,
    const char *where)
{
	struct arena *a = tc->arena;
	const char *file = tc->file;
	char **err_out = tc->err_out;
	struct codes_entry *e = arena_zalloc(a, sizeof(*e));
	char id[128];
	json_t *text = json_object_get(v, "text");
	const char *fields[] = { "rfc", "reason", "fix_by" };
	const char **slots[] = { &e->rfc, &e->reason, &e->fix_by };

	if (!json_is_object(v)) {
		(void)jsonload_err(err_out, file, where, "expected an object");
		return NULL;
	}
	if (jsonload_keys(v, codes_entry_keys, file, where, err_out) == -1)
		return NULL;
	for (size_t i = 0; i < 3; i++) {
		json_t *s = json_object_get(v, fields[i]);

		if (s == NULL)
			continue;
		if (!json_is_string(s)) {
			(void)jsonload_err(err_out, file, where,
			    "\"%s\" must be a string", fields[i]);
			return NULL;
		}
		*slots[i] = arena_strndup(a, json_string_value(s),
		    json_string_length(s));
	}
	(void)snprintf(id, sizeof(id), "%s.%s", idbase, where);
	e->id = arena_strndup(a, id, strlen(id));
	if (jsonload_ltext(tc, text, "title", true, id, &e->title, where) ==
	        -1 ||
	    jsonload_ltext(tc, text, "description", false, id, &e->description,
	        where) == -1)
		return NULL;
	return e;
}

/*
 * codes_table_load - read doc[name] whose keys are parsed by keyfn into
 * an index of table (size n); each key must map to a distinct slot
 */
typedef int codes_key_fn(const char *key, size_t *idx_out);

static int
codes_table_load(const struct jsonload_texts *tc, const char *idbase,
    json_t *doc, const char *name, codes_key_fn *keyfn,
    const struct codes_entry **table, size_t n)
{
	const char *file = tc->file;
	char **err_out = tc->err_out;
	json_t *obj = json_object_get(doc, name), *v;
	const char *key;

	if (!json_is_object(obj))
		return jsonload_err(err_out, file, name,
		    "missing object \"%s\"", name);
	json_object_foreach(obj, key, v)
	{
		char where[96];
		size_t idx;

		(void)snprintf(where, sizeof(where), "%s.%s", name, key);
		if (keyfn(key, &idx) == -1 || idx >= n)
			return jsonload_err(err_out, file, where,
			    "malformed code \"%s\"", key);
		if (table[idx] != NULL)
			return jsonload_err(err_out, file, where,
			    "\"%s\" names a code already defined", key);
		table[idx] = codes_entry_load(tc, idbase, v, where);
		if (table[idx] == NULL)
			return -1;
	}
	return 0;
}

static int
codes_key_digit(const char *key, size_t *idx_out)
{
	unsigned v;

	if (codes_num(span_cstr(key), &v) == -1 || strlen(key) != 1)
		return -1;
	*idx_out = v;
	return 0;
}

static int
codes_key_reply(const char *key, size_t *idx_out)
{
	unsigned v;

	if (strlen(key) != 3 || codes_num(span_cstr(key), &v) == -1 ||
	    v < 200 || v > 599)
		return -1;
	*idx_out = v;
	return 0;
}

/* "7.26" → 7 * (CODES_MAX_DETAIL + 1) + 26 */
static int
codes_key_detail(const char *key, size_t *idx_out)
{
	const char *dot = strchr(key, '.');
	unsigned s, d;

	if (dot == NULL ||
	    codes_num(span_make(key, (size_t)(dot - key)), &s) == -1 ||
	    codes_num(span_cstr(dot + 1), &d) == -1 || s > CODES_MAX_SUBJECT ||
	    d > CODES_MAX_DETAIL)
		return -1;
	*idx_out = s * (CODES_MAX_DETAIL + 1) + d;
	return 0;
}

/* codes_load_file - read one of the two files; the message ids of their
 * texts begin with "status." and "reply." */
static int
codes_load_file(struct codes *c, struct texts *texts, const char *dir,
    const char *name, char **err_out)
{
	char path[4096];
	struct jsonload_texts tc = { c->arena, texts, path, err_out };
	json_t *doc;
	int r = -1;

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	doc = jsonload_file(path, err_out);
	if (doc == NULL)
		return -1;
	if (strcmp(name, "status-codes.json") == 0) {
		if (codes_table_load(&tc, "status", doc, "classes",
		        codes_key_digit, c->st_class, 10) == -1 ||
		    codes_table_load(&tc, "status", doc, "subjects",
		        codes_key_digit, c->st_subject,
		        CODES_MAX_SUBJECT + 1) == -1 ||
		    codes_table_load(&tc, "status", doc, "details",
		        codes_key_detail, &c->st_detail[0][0],
		        (CODES_MAX_SUBJECT + 1) * (CODES_MAX_DETAIL + 1)) == -1)
			goto out;
	} else {
		if (codes_table_load(&tc, "reply", doc, "classes",
		        codes_key_digit, c->rp_class, 10) == -1 ||
		    codes_table_load(&tc, "reply", doc, "categories",
		        codes_key_digit, c->rp_category, 10) == -1 ||
		    codes_table_load(&tc, "reply", doc, "codes",
		        codes_key_reply, c->rp_code, 1000) == -1)
			goto out;
	}
	r = 0;
out:
	json_decref(doc);
	return r;
}

int
codes_load(const char *dir, struct texts *texts, struct codes **out,
    char **err_out)
{
	struct codes *c = xcalloc(1, sizeof(*c));

	c->arena = arena_new();
	if (codes_load_file(c, texts, dir, "status-codes.json", err_out) ==
	        -1 ||
	    codes_load_file(c, texts, dir, "reply-codes.json", err_out) == -1) {
		codes_free(c);
		return -1;
	}
	*out = c;
	return 0;
}

void
codes_free(struct codes *c)
{
	if (c == NULL)
		return;
	arena_free(c->arena);
	free(c);
}

const struct codes_entry *
codes_status_class(const struct codes *c, unsigned cls)
{
	return cls < 10 ? c->st_class[cls] : NULL;
}

const struct codes_entry *
codes_status_subject(const struct codes *c, unsigned subject)
{
	return subject <= CODES_MAX_SUBJECT ? c->st_subject[subject] : NULL;
}

const struct codes_entry *
codes_status_detail(const struct codes *c, unsigned subject, unsigned detail)
{
	if (subject > CODES_MAX_SUBJECT || detail > CODES_MAX_DETAIL)
		return NULL;
	return c->st_detail[subject][detail];
}

const struct codes_entry *
codes_reply_class(const struct codes *c, unsigned first)
{
	return first < 10 ? c->rp_class[first] : NULL;
}

const struct codes_entry *
codes_reply_category(const struct codes *c, unsigned second)
{
	return second < 10 ? c->rp_category[second] : NULL;
}

const struct codes_entry *
codes_reply_code(const struct codes *c, unsigned code)
{
	return code < 1000 ? c->rp_code[code] : NULL;
}

int
codes_visit(const struct codes *c, codes_visit_fn *fn, void *arg)
{
	char what[32];

	for (unsigned s = 0; s <= CODES_MAX_SUBJECT; s++) {
		for (unsigned d = 0; d <= CODES_MAX_DETAIL; d++) {
			if (c->st_detail[s][d] == NULL)
				continue;
			(void)snprintf(what, sizeof(what), "status X.%u.%u", s,
			    d);
			if (fn(c->st_detail[s][d], what, arg) == -1)
				return -1;
		}
	}
	for (unsigned i = 0; i < 1000; i++) {
		if (c->rp_code[i] == NULL)
			continue;
		(void)snprintf(what, sizeof(what), "reply %u", i);
		if (fn(c->rp_code[i], what, arg) == -1)
			return -1;
	}
	return 0;
}
