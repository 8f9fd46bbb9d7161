/* SPDX-License-Identifier: MIT */
/*
 * jsonload.c - reading the JSON data files under rules/
 *
 * Not here: what the data means (codes.c for status and reply codes,
 * rules.c for reasons and the rule catalog).
 */
#include "jsonload.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "texts.h"
#include "xmalloc.h"

json_t *
jsonload_file(const char *path, char **err_out)
{
	json_error_t jerr;
	json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);

	if (doc == NULL) {
		char where[64];

		(void)snprintf(where, sizeof(where), "line %d", jerr.line);
		(void)jsonload_err(err_out, path, where, "%s", jerr.text);
		return NULL;
	}
	if (!json_is_object(doc)) {
		(void)jsonload_err(err_out, path, "top level",
		    "expected a JSON object");
		json_decref(doc);
		return NULL;
	}
	return doc;
}

int
jsonload_err(char **err_out, const char *file, const char *where,
    const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	*err_out = xasprintf("%s: %s: %s", file, where, msg);
	return -1;
}

/* jsonload_str - copy a JSON string into the arena */
static const char *
jsonload_str(struct arena *a, json_t *s)
{
	return arena_strndup(a, json_string_value(s), json_string_length(s));
}

/* jsonload_english - obj must be {"en": {...}}: the English object */
static int
jsonload_english(const struct jsonload_texts *c, json_t *obj, json_t **out,
    const char *where)
{
	const char *key;
	json_t *v;

	*out = NULL;
	if (obj == NULL)
		return 0;
	if (!json_is_object(obj))
		return jsonload_err(c->err_out, c->file, where,
		    "\"text\" must be an object {\"en\": {...}}");
	json_object_foreach(obj, key, v)
	{
		if (strcmp(key, "en") != 0)
			return jsonload_err(c->err_out, c->file, where,
			    "\"text\" holds only \"en\"; the texts of %s "
			    "belong in lang/%s.json",
			    key, key);
	}
	*out = json_object_get(obj, "en");
	return 0;
}

int
jsonload_ltext(const struct jsonload_texts *c, json_t *obj, const char *field,
    bool required, const char *id, struct ltext *out, const char *where)
{
	json_t *en, *v;
	char full[256];

	memset(out, 0, sizeof(*out));
	if (jsonload_english(c, obj, &en, where) == -1)
		return -1;
	v = en == NULL ? NULL : json_object_get(en, field);
	if (v == NULL) {
		if (required)
			return jsonload_err(c->err_out, c->file, where,
			    "text.en.%s is required", field);
		return 0;
	}
	if (!json_is_string(v) || json_string_length(v) == 0)
		return jsonload_err(c->err_out, c->file, where,
		    "text.en.%s must be a non-empty string", field);
	(void)snprintf(full, sizeof(full), "%s.%s", id, field);
	return texts_source(c->texts, full, json_string_value(v), c->file, out,
	    c->err_out);
}

int
jsonload_label(const struct jsonload_texts *c, json_t *v, const char *id,
    struct ltext *out, const char *where)
{
	json_t *en;

	memset(out, 0, sizeof(*out));
	if (jsonload_english(c, v, &en, where) == -1)
		return -1;
	if (!json_is_string(en) || json_string_length(en) == 0)
		return jsonload_err(c->err_out, c->file, where,
		    "\"%s\" needs an \"en\" text", id);
	return texts_source(c->texts, id, json_string_value(en), c->file, out,
	    c->err_out);
}

int
jsonload_steps(const struct jsonload_texts *c, json_t *obj, const char *field,
    const char *id, struct lsteps *out, const char *where)
{
	struct ltext *steps;
	const char **tags = NULL;
	json_t *en, *v, *s;
	char full[256];
	size_t n;

	memset(out, 0, sizeof(*out));
	if (jsonload_english(c, obj, &en, where) == -1)
		return -1;
	v = en == NULL ? NULL : json_object_get(en, field);
	if (v == NULL)
		return 0;
	if (!json_is_array(v) || json_array_size(v) == 0)
		return jsonload_err(c->err_out, c->file, where,
		    "text.en.%s must be a non-empty array of strings", field);
	n = json_array_size(v);
	steps = arena_zalloc(c->arena, n * sizeof(*steps));
	for (size_t i = 0; i < n; i++) {
		/* a step is a string, or {"text": ..., "tag": ...} */
		json_t *tag;

		s = json_array_get(v, i);
		tag = json_is_object(s) ? json_object_get(s, "tag") : NULL;
		if (json_is_object(s))
			s = json_object_get(s, "text");
		if (!json_is_string(s) || json_string_length(s) == 0 ||
		    (tag != NULL &&
		        (!json_is_string(tag) || json_string_length(tag) == 0)))
			return jsonload_err(c->err_out, c->file, where,
			    "text.en.%s[%zu] must be a non-empty string or "
			    "{\"text\": string, \"tag\": string}",
			    field, i);
		(void)snprintf(full, sizeof(full), "%s.%s.%zu", id, field, i);
		if (texts_source(c->texts, full, json_string_value(s), c->file,
		        &steps[i], c->err_out) == -1)
			return -1;
		for (size_t l = 0; l < texts_langs(c->texts)->n; l++) {
			if (ltext_in(&steps[i], (enum lang)l) != NULL)
				out->langs |= (uint64_t)1 << l;
		}
		if (tag != NULL && tags == NULL)
			tags = arena_zalloc(c->arena, n * sizeof(*tags));
		if (tag != NULL)
			tags[i] = jsonload_str(c->arena, tag);
	}
	out->steps = steps;
	out->tags = tags;
	out->n = n;
	return 0;
}

int
jsonload_keys(json_t *obj, const char *const *allowed, const char *file,
    const char *where, char **err_out)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v)
	{
		size_t i;

		for (i = 0; allowed[i] != NULL; i++) {
			if (strcmp(key, allowed[i]) == 0)
				break;
		}
		if (allowed[i] == NULL)
			return jsonload_err(err_out, file, where,
			    "unknown field \"%s\"", key);
	}
	return 0;
}
