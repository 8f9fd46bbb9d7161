/* SPDX-License-Identifier: MIT */
/*
 * texts.h - every text of the catalog, by message id, in every language
 *
 * English is the source: the texts of the files under rules/ (reasons,
 * rules, code tables, labels), each known by a message id that says where
 * it comes from: "reason.userunknown.title", "rule.spf-fail.fix.0",
 * "status.details.1.1.title", "fix_by.sender". A translation is one file,
 * rules/lang/<code>.json: a JSON object, message id → text, nothing else.
 *
 * API: texts_load(dir) finds the languages (English and one per file under
 * dir/lang/) and reads each translation. The catalog loaders then hand
 * each English text to texts_source, which fills a struct ltext with its
 * translations. texts_verify, once every source is in, refuses a
 * translation whose placeholders ({name|fallback}, tmpl.h) are not those
 * of its English text. texts_export (every id with its English text) and
 * texts_check (the ids a language lacks, or has but English no longer
 * has) serve `bouncedoc texts`. What the code says comes from
 * rules/messages.json (texts_load_messages) as texts_msg values
 * (texts_msg.h), which stay free of any language until texts_render.
 * texts_langs is the set of languages served (lang.h), texts_lookup gives one text as
 * it is (a language's name, "language.name"), and texts_export_prefix
 * gives every text of one kind in one language (the web page's, "page.*",
 * for GET /api/v1/texts).
 * Ownership: texts_load returns owned (texts_free); every string it hands
 * out lives as long as it; *err_out is owned (free).
 */
#ifndef TEXTS_H
#define TEXTS_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "lang.h"
#include "texts_msg.h"

struct texts;

/* Reads dir/lang/<code>.json for every such file: each is a language
 * served. A file whose name is no language code is an error. Returns 0,
 * or -1 with *err_out. */
int texts_load(const char *dir, struct texts **out, char **err_out);
void texts_free(struct texts *t);

/*
 * The English text of id: out becomes its text in every language of the
 * set (English english, each other the translation of id or NULL). where
 * names the file for errors; an id given twice is an error. Returns 0, or
 * -1 with *err_out.
 */
int texts_source(struct texts *t, const char *id, const char *english,
    const char *where, struct ltext *out, char **err_out);

/*
 * The messages the code says (rules/messages.json, {"id": "English"}):
 * sources like the catalog's, without a struct ltext. Returns 0, or -1
 * with *err_out.
 */
int texts_load_messages(struct texts *t, const char *path, char **err_out);

/* The sentence in l (English where l has no translation), its
 * placeholders filled from its arguments. Into the arena. */
char *texts_render(struct arena *a, const struct texts *t, enum lang l,
    const struct texts_msg *m);

/* Does every translation keep the placeholders of its English text?
 * Returns 0, or -1 with *err_out naming the file and the id. */
int texts_verify(const struct texts *t, char **err_out);

/* Every message id with its English text, as one JSON object, ids in
 * order, into out. Returns 0, or -1 if out is full. */
int texts_export(const struct texts *t, struct buf *out);

/* The languages the service answers in: English, then each language
 * with a translation file, in code order. Valid until texts_free. */
const struct langs *texts_langs(const struct texts *t);

/* The text of id as l has it: for English its source, else the
 * translation; NULL when l has none (no English fallback). A view valid
 * until texts_free. */
const char *texts_lookup(const struct texts *t, enum lang l, const char *id);

/*
 * Every message whose id starts with prefix, in l, as one JSON object
 * {"id": "text", ...} into out (no newline after it), in id order, the
 * forms of a plural family together in the language's order. A text
 * l lacks is the English one. A plural family ("ID.one", "ID.other" in
 * English) comes with exactly the forms l tells apart (English "ID.one",
 * "ID.other"; Russian "ID.one", "ID.few", "ID.many"; langfmt.h); a form l lacks is
 * English's form of the same name, else English's "ID.other". Ids that
 * English no longer has are left out. Placeholders stay as they are.
 * Returns 0, or -1 (nothing appended) if out is full.
 */
int texts_export_prefix(const struct texts *t, enum lang l, const char *prefix,
    struct buf *out);

/* One line per id that l lacks ("missing ID") or that English no longer
 * has ("stale ID"), in id order, into out. Returns how many. */
size_t texts_check(const struct texts *t, enum lang l, struct buf *out);

#endif
