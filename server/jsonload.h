/* SPDX-License-Identifier: MIT */
/*
 * jsonload.h - reading the JSON data files under rules/
 *
 * API: jsonload_file reads and parses one file; the jsonload_ltext,
 * jsonload_steps and jsonload_label helpers read an English text and, by
 * its message id, its translations (texts.h) into a struct ltext / struct
 * lsteps, copying strings into a long-lived arena. Errors come back as text naming the file and the JSON path.
 * Only data loaders (codes.c, rules.c) use this module; it is the one place
 * besides api.c and report.c that sees jansson.
 * Ownership: jsonload_file returns an owned json_t (json_decref); strings
 * copied by the helpers belong to the arena passed in; *err_out is owned
 * (free).
 */
#ifndef JSONLOAD_H
#define JSONLOAD_H

#include <jansson.h>
#include <stdbool.h>

#include "arena.h"
#include "lang.h"

struct texts;

/* Returns the parsed document, or NULL with *err_out set. */
json_t *jsonload_file(const char *path, char **err_out);

/* Set *err_out to "FILE: WHERE: MSG" (owned). Returns -1 for tail calls. */
int jsonload_err(char **err_out, const char *file, const char *where,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Where the texts of one file go: the arena that keeps them, the table of
 * message ids that holds their translations, the file for errors. */
struct jsonload_texts {
	struct arena *arena;
	struct texts *texts;
	const char *file;
	char **err_out;
};

/*
 * Read the English obj.en.field into out with its translations (texts.h)
 * under the message id "ID.field". obj is {"en": {...}} (NULL: no text); translations live in
 * rules/lang/<code>.json, never beside the English. With required,
 * English must be there. Returns 0 or -1 (error set).
 */
int jsonload_ltext(const struct jsonload_texts *c, json_t *obj,
    const char *field, bool required, const char *id, struct ltext *out,
    const char *where);
/* The same for a list of steps: step i is "ID.field.i"; out->langs marks
 * each language with at least one step translated. */
int jsonload_steps(const struct jsonload_texts *c, json_t *obj,
    const char *field, const char *id, struct lsteps *out, const char *where);
/* A label {"en": "..."} with the message id id. */
int jsonload_label(const struct jsonload_texts *c, json_t *v, const char *id,
    struct ltext *out, const char *where);

/* Is every key of obj one of the NULL-terminated list? Sets error if not. */
int jsonload_keys(json_t *obj, const char *const *allowed, const char *file,
    const char *where, char **err_out);

#endif
