/* SPDX-License-Identifier: MIT */
/*
 * jsonload.h - reading the JSON data files under rules/
 *
 * API: jsonload_file reads and parses one file; the jsonload_ltext and
 * jsonload_steps helpers read multilingual texts ({"en": ..., "ru": ...})
 * into a struct ltext / struct lsteps, copying strings into a long-lived
 * arena. Errors come back as text naming the file and the JSON path.
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

/* Returns the parsed document, or NULL with *err_out set. */
json_t *jsonload_file(const char *path, char **err_out);

/* Set *err_out to "FILE: WHERE: MSG" (owned). Returns -1 for tail calls. */
int jsonload_err(char **err_out, const char *file, const char *where,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Read obj[lang][field] for every language of obj into *out. obj is a
 * {"en": {...}, "ru": {...}} object. With required, English must be there.
 * Returns 0 or -1 (error set).
 */
int jsonload_ltext(struct arena *a, json_t *obj, const char *field,
    bool required, struct ltext *out, const char *file, const char *where,
    char **err_out);
int jsonload_steps(struct arena *a, json_t *obj, const char *field,
    struct lsteps *out, const char *file, const char *where, char **err_out);

/* Is every key of obj one of the NULL-terminated list? Sets error if not. */
int jsonload_keys(json_t *obj, const char *const *allowed, const char *file,
    const char *where, char **err_out);

#endif
