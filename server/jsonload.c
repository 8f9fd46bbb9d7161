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

int
jsonload_ltext(struct arena *a, json_t *obj, const char *field, bool required,
    struct ltext *out, const char *file, const char *where, char **err_out)
{
	memset(out, 0, sizeof(*out));
	if (obj != NULL && !json_is_object(obj))
		return jsonload_err(err_out, file, where,
		    "\"text\" must be an object keyed by language");
	for (int l = 0; l < LANG_COUNT; l++) {
		json_t *t = obj == NULL ?
		    NULL :
		    json_object_get(obj, lang_str((enum lang)l));
		json_t *v = t == NULL ? NULL : json_object_get(t, field);

		if (v == NULL)
			continue;
		if (!json_is_string(v) || json_string_length(v) == 0)
			return jsonload_err(err_out, file, where,
			    "text.%s.%s must be a non-empty string",
			    lang_str((enum lang)l), field);
		out->s[l] = jsonload_str(a, v);
	}
	if (required && out->s[LANG_EN] == NULL)
		return jsonload_err(err_out, file, where,
		    "text.en.%s is required", field);
	return 0;
}

int
jsonload_steps(struct arena *a, json_t *obj, const char *field,
    struct lsteps *out, const char *file, const char *where, char **err_out)
{
	memset(out, 0, sizeof(*out));
	for (int l = 0; l < LANG_COUNT && obj != NULL; l++) {
		json_t *t = json_object_get(obj, lang_str((enum lang)l));
		json_t *v = t == NULL ? NULL : json_object_get(t, field);
		const char **steps, **tags;
		size_t i;
		json_t *s;

		if (v == NULL)
			continue;
		if (!json_is_array(v) || json_array_size(v) == 0)
			return jsonload_err(err_out, file, where,
			    "text.%s.%s must be a non-empty array of strings",
			    lang_str((enum lang)l), field);
		steps = arena_alloc(a, json_array_size(v) * sizeof(*steps));
		tags = NULL;
		json_array_foreach(v, i, s)
		{
			/* a step is a string, or {"text": ..., "tag": ...} */
			json_t *tag = json_is_object(s) ?
			    json_object_get(s, "tag") :
			    NULL;

			if (json_is_object(s))
				s = json_object_get(s, "text");
			if (!json_is_string(s) || json_string_length(s) == 0 ||
			    (tag != NULL &&
			        (!json_is_string(tag) ||
			            json_string_length(tag) == 0)))
				return jsonload_err(err_out, file, where,
				    "text.%s.%s[%zu] must be a non-empty string "
				    "or {\"text\": string, \"tag\": string}",
				    lang_str((enum lang)l), field, i);
			steps[i] = jsonload_str(a, s);
			if (tag != NULL && tags == NULL)
				tags = arena_zalloc(a,
				    json_array_size(v) * sizeof(*tags));
			if (tag != NULL)
				tags[i] = jsonload_str(a, tag);
		}
		out->steps[l] = steps;
		out->tags[l] = tags;
		out->n[l] = json_array_size(v);
	}
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
