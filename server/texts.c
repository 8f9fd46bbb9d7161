/* SPDX-License-Identifier: MIT */
/*
 * texts.c - every text of the catalog, by message id, in every language
 *
 * One table of message ids: each holds its English source (handed in by
 * the catalog loaders) and its translation per language (read from
 * rules/lang/<code>.json). Open addressing on a power-of-two index; the
 * table is filled at start-up and read-only afterwards. Not here: the id
 * of each text (the loaders, jsonload.c), choosing between a rule's and a
 * reason's texts (diag.c).
 */
#include "texts.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "jsonload.h"
#include "jsonw.h"
#include "langfmt.h"
#include "tmpl.h"
#include "xmalloc.h"

/* a text has at most this many distinct placeholders */
#define TEXTS_MAX_NAMES 32

struct texts_entry {
	const char *id;
	/* per language of the set: [LANG_EN] the English source (NULL: a
	 * stale id), then the translations (NULL: none) */
	const char **s;
};

struct texts {
	struct arena *arena;
	struct texts_entry *v;
	size_t n, cap;
	uint32_t *index; /* 1 + position in v, or 0; size icap */
	size_t icap;
	struct langs langs;
	const char *file[LANG_MAX]; /* the translation file read */
};

static uint32_t
texts_hash(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void texts_reindex(struct texts *t);

/* texts_slot - the index slot of id: its entry's, or the empty one
 * where it would go */
static size_t
texts_slot(const struct texts *t, const char *id)
{
	size_t mask = t->icap - 1, i = texts_hash(id) & mask;

	while (t->index[i] != 0 && strcmp(t->v[t->index[i] - 1].id, id) != 0)
		i = (i + 1) & mask;
	return i;
}

/* texts_get - the entry of id, or NULL */
static const struct texts_entry *
texts_get(const struct texts *t, const char *id)
{
	size_t i = texts_slot(t, id);

	return t->index[i] != 0 ? &t->v[t->index[i] - 1] : NULL;
}

/* texts_find - the entry of id, a new one when there is none */
static struct texts_entry *
texts_find(struct texts *t, const char *id)
{
	size_t i = texts_slot(t, id);

	if (t->index[i] != 0)
		return &t->v[t->index[i] - 1];
	if (t->n == t->cap) {
		t->cap = t->cap * 2;
		t->v = xrealloc(t->v, t->cap * sizeof(*t->v));
	}
	memset(&t->v[t->n], 0, sizeof(t->v[t->n]));
	t->v[t->n].id = arena_strndup(t->arena, id, strlen(id));
	t->v[t->n].s = arena_zalloc(t->arena, t->langs.n * sizeof(char *));
	t->index[i] = (uint32_t)++t->n;
	if (t->n * 2 > t->icap)
		texts_reindex(t);
	return &t->v[t->n - 1];
}

/* texts_reindex - a twice larger index, keeping the load under one half */
static void
texts_reindex(struct texts *t)
{
	size_t mask;

	free(t->index);
	t->icap *= 2;
	t->index = xcalloc(t->icap, sizeof(*t->index));
	mask = t->icap - 1;
	for (size_t k = 0; k < t->n; k++) {
		size_t i = texts_hash(t->v[k].id) & mask;

		while (t->index[i] != 0)
			i = (i + 1) & mask;
		t->index[i] = (uint32_t)(k + 1);
	}
}

static int texts_add_source(struct texts *t, const char *id,
    const char *english, const char *where, char **err_out);

/* texts_read - one file {"id": "text", ...}: the translation into l, or
 * for LANG_EN the English of what the code says (rules/messages.json) */
static int
texts_read(struct texts *t, enum lang l, const char *path, char **err_out)
{
	json_t *doc, *v;
	const char *id;
	int r = -1;

	if ((doc = jsonload_file(path, err_out)) == NULL)
		return -1;
	json_object_foreach(doc, id, v)
	{
		if (!json_is_string(v) || json_string_length(v) == 0) {
			(void)jsonload_err(err_out, path, id,
			    "a text is a non-empty string");
			goto out;
		}
		if (l == LANG_EN) {
			if (texts_add_source(t, id, json_string_value(v), path,
			        err_out) == -1)
				goto out;
			continue;
		}
		texts_find(t, id)->s[l] = arena_strndup(t->arena,
		    json_string_value(v), json_string_length(v));
	}
	if (l != LANG_EN)
		t->file[l] = arena_strndup(t->arena, path, strlen(path));
	r = 0;
out:
	json_decref(doc);
	return r;
}

static int
texts_code_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* texts_scan - the set of languages: English, then the code of every
 * rules/lang/<code>.json in code order. A file whose name is no language
 * code, English's own, or one too many is an error. */
static int
texts_scan(struct texts *t, const char *langdir, char **err_out)
{
	DIR *d = opendir(langdir);
	struct dirent *de;
	int r = 0;

	t->langs.code[LANG_EN] = "en";
	t->langs.n = 1;
	/* no directory: English only */
	if (d == NULL)
		return errno == ENOENT ?
		    0 :
		    jsonload_err(err_out, langdir, "",
		        "cannot read the directory: %s", strerror(errno));
	while (r == 0 && (de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		struct span code = span_make(de->d_name, len - 5);

		if (len <= 5 || strcmp(de->d_name + len - 5, ".json") != 0 ||
		    de->d_name[0] == '.')
			continue;
		if (!lang_code_valid(code))
			r = jsonload_err(err_out, langdir, de->d_name,
			    "not a language code (\"ru\", \"pt-BR\"): a "
			    "translation is lang/<code>.json");
		else if (span_eq_cstr(code, "en"))
			r = jsonload_err(err_out, langdir, de->d_name,
			    "English is the source: its texts live in the "
			    "catalog and messages.json");
		else if (t->langs.n == LANG_MAX)
			r = jsonload_err(err_out, langdir, de->d_name,
			    "more than %d translations", LANG_MAX - 1);
		else
			t->langs.code[t->langs.n++] =
			    arena_strndup(t->arena, code.ptr, code.len);
	}
	(void)closedir(d);
	qsort(&t->langs.code[1], t->langs.n - 1, sizeof(*t->langs.code),
	    texts_code_cmp);
	return r;
}

int
texts_load(const char *dir, struct texts **out, char **err_out)
{
	struct texts *t = xcalloc(1, sizeof(*t));
	char path[4096];

	t->arena = arena_new();
	t->cap = 1024;
	t->v = xmalloc(t->cap * sizeof(*t->v));
	t->icap = 4096;
	t->index = xcalloc(t->icap, sizeof(*t->index));
	(void)snprintf(path, sizeof(path), "%s/lang", dir);
	if (texts_scan(t, path, err_out) == -1) {
		texts_free(t);
		return -1;
	}
	for (size_t l = 1; l < t->langs.n; l++) {
		(void)snprintf(path, sizeof(path), "%s/lang/%s.json", dir,
		    t->langs.code[l]);
		if (texts_read(t, (enum lang)l, path, err_out) == -1) {
			texts_free(t);
			return -1;
		}
	}
	*out = t;
	return 0;
}

void
texts_free(struct texts *t)
{
	if (t == NULL)
		return;
	arena_free(t->arena);
	free(t->v);
	free(t->index);
	free(t);
}

/* texts_add_source - the English text of id; an id given twice is an
 * error */
static int
texts_add_source(struct texts *t, const char *id, const char *english,
    const char *where, char **err_out)
{
	struct texts_entry *e = texts_find(t, id);

	if (e->s[LANG_EN] != NULL)
		return jsonload_err(err_out, where, id,
		    "two texts have this message id");
	e->s[LANG_EN] = arena_strndup(t->arena, english, strlen(english));
	return 0;
}

int
texts_source(struct texts *t, const char *id, const char *english,
    const char *where, struct ltext *out, char **err_out)
{
	const struct texts_entry *e;

	if (texts_add_source(t, id, english, where, err_out) == -1)
		return -1;
	e = texts_get(t, id);
	out->s = e->s;
	return 0;
}

int
texts_load_messages(struct texts *t, const char *path, char **err_out)
{
	return texts_read(t, LANG_EN, path, err_out);
}

/* texts_plural - the CLDR plural category of the integer n in l */
static const char *
texts_plural(const struct texts *t, enum lang l, unsigned long n)
{
	return langfmt_plural(t->langs.code[l], n);
}

/* texts_text - the text of id in l, else in English, else NULL */
static const char *
texts_text(const struct texts *t, enum lang l, const char *id)
{
	const struct texts_entry *e = texts_get(t, id);

	if (e == NULL)
		return NULL;
	if (l != LANG_EN && e->s[l] != NULL && e->s[LANG_EN] != NULL)
		return e->s[l];
	return e->s[LANG_EN];
}

/* texts_number - n as l writes numbers, into the arena */
static const char *
texts_number(struct arena *a, const struct texts *t, enum lang l,
    unsigned long n)
{
	char s[LANGFMT_NUM_LEN];

	langfmt_number(t->langs.code[l], n, s);
	return arena_strndup(a, s, strlen(s));
}

struct texts_render_ctx {
	struct arena *a;
	const struct texts *t;
	enum lang l;
	const struct texts_msg *m;
	char n[LANGFMT_NUM_LEN];
};

static const char *
texts_render_lookup(struct span name, void *arg)
{
	const struct texts_render_ctx *c = arg;

	if (c->m->has_n && span_eq_cstr(name, "n"))
		return c->n;
	for (size_t i = 0; i < c->m->nargs; i++) {
		const struct texts_arg *g = &c->m->args[i];

		if (!span_eq_cstr(name, g->name))
			continue;
		if (g->msg != NULL)
			return texts_render(c->a, c->t, c->l, g->msg);
		if (g->is_num)
			return texts_number(c->a, c->t, c->l, g->num);
		return g->text; /* NULL: the placeholder's fallback */
	}
	return NULL;
}

char *
texts_render(struct arena *a, const struct texts *t, enum lang l,
    const struct texts_msg *m)
{
	struct texts_render_ctx c = { a, t, l, m, "" };
	const char *text;
	char id[160];

	if (m->has_n) {
		langfmt_number(t->langs.code[l], m->n, c.n);
		(void)snprintf(id, sizeof(id), "%s.%s", m->id,
		    texts_plural(t, l, m->n));
		text = texts_text(t, l, id);
		/* a form English lacks ("few") lives in the translation only */
		if (text == NULL && l != LANG_EN) {
			const struct texts_entry *e = texts_get(t, id);

			text = e != NULL ? e->s[l] : NULL;
		}
		if (text == NULL) {
			(void)snprintf(id, sizeof(id), "%s.%s", m->id,
			    texts_plural(t, LANG_EN, m->n));
			text = texts_text(t, LANG_EN, id);
		}
	} else {
		text = texts_text(t, l, m->id);
	}
	/* an id without a text is a bug of the code, not of the input: it
	 * shows as itself rather than as nothing */
	return tmpl_expand(a, text != NULL ? text : m->id, texts_render_lookup,
	    &c);
}

/* texts_forms - the plural forms l tells apart, in CLDR order,
 * NULL-terminated into out */
static void
texts_forms(const struct texts *t, enum lang l,
    const char *out[LANGFMT_MAX_FORMS + 1])
{
	langfmt_forms(t->langs.code[l], out);
}

/* texts_family - the English "BASE.other" of a plural form "BASE.FORM"
 * (FORM one, few, many or other), or NULL when id is none */
static const struct texts_entry *
texts_family(const struct texts *t, const char *id)
{
	static const char *const forms[] = { "zero", "one", "two", "few",
		"many", "other" };
	const char *dot = strrchr(id, '.');
	const struct texts_entry *e;
	char other[160];

	if (dot == NULL || (size_t)(dot - id) + 7 > sizeof(other))
		return NULL;
	for (size_t i = 0; i < sizeof(forms) / sizeof(*forms); i++) {
		if (strcmp(dot + 1, forms[i]) != 0)
			continue;
		(void)snprintf(other, sizeof(other), "%.*s.other",
		    (int)(dot - id), id);
		e = texts_get(t, other);
		return e != NULL && e->s[LANG_EN] != NULL ? e : NULL;
	}
	return NULL;
}

/* The distinct placeholder names of a text, as tmpl.h reads them. */
struct texts_names {
	struct span v[TEXTS_MAX_NAMES];
	size_t n;
	bool overflow;
};

static const char *
texts_names_add(struct span name, void *arg)
{
	struct texts_names *nm = arg;

	for (size_t i = 0; i < nm->n; i++) {
		if (span_eq(nm->v[i], name))
			return NULL;
	}
	if (nm->n == TEXTS_MAX_NAMES)
		nm->overflow = true;
	else
		nm->v[nm->n++] = name;
	return NULL;
}

static void
texts_names(struct arena *a, const char *text, struct texts_names *out)
{
	memset(out, 0, sizeof(*out));
	(void)tmpl_expand(a, text, texts_names_add, out);
}

/* texts_names_missing - the first name of a that b lacks, or NULL */
static const struct span *
texts_names_missing(const struct texts_names *a, const struct texts_names *b)
{
	for (size_t i = 0; i < a->n; i++) {
		size_t k = 0;

		while (k < b->n && !span_eq(a->v[i], b->v[k]))
			k++;
		if (k == b->n)
			return &a->v[i];
	}
	return NULL;
}

int
texts_verify(const struct texts *t, char **err_out)
{
	struct arena *a = arena_new();
	struct texts_names src, tr;
	const struct span *bad;
	int r = 0;

	for (size_t k = 0; k < t->n && r == 0; k++) {
		const struct texts_entry *e = &t->v[k];
		const struct texts_entry *fam = texts_family(t, e->id);
		/* a plural form English lacks ("few") keeps the names of
		 * English's "other" */
		const char *english = e->s[LANG_EN] != NULL ? e->s[LANG_EN] :
		    fam != NULL                             ? fam->s[LANG_EN] :
		                                              NULL;

		if (english == NULL)
			continue; /* stale: texts_check reports it */
		texts_names(a, english, &src);
		for (size_t l = 1; l < t->langs.n && r == 0; l++) {
			if (e->s[l] == NULL)
				continue;
			texts_names(a, e->s[l], &tr);
			if ((bad = texts_names_missing(&src, &tr)) != NULL)
				r = jsonload_err(err_out, t->file[l], e->id,
				    "the translation drops the placeholder "
				    "{%.*s} of the English text",
				    (int)bad->len, bad->ptr);
			else if ((bad = texts_names_missing(&tr, &src)) != NULL)
				r = jsonload_err(err_out, t->file[l], e->id,
				    "the translation adds the placeholder {%.*s}, "
				    "which the English text does not have",
				    (int)bad->len, bad->ptr);
		}
	}
	arena_free(a);
	return r;
}

static int
texts_cmp(const void *a, const void *b)
{
	const struct texts_entry *const *x = a, *const *y = b;

	return strcmp((*x)->id, (*y)->id);
}

/* texts_sorted - the entries in id order (owned array) */
static const struct texts_entry **
texts_sorted(const struct texts *t)
{
	const struct texts_entry **v = xmalloc((t->n + 1) * sizeof(*v));

	for (size_t k = 0; k < t->n; k++)
		v[k] = &t->v[k];
	qsort(v, t->n, sizeof(*v), texts_cmp);
	return v;
}

int
texts_export(const struct texts *t, struct buf *out)
{
	const struct texts_entry **v = texts_sorted(t);
	struct jsonw w;

	jsonw_init(&w, out);
	jsonw_obj(&w);
	for (size_t k = 0; k < t->n; k++) {
		if (v[k]->s[LANG_EN] != NULL)
			jsonw_kstr(&w, v[k]->id, v[k]->s[LANG_EN]);
	}
	jsonw_end(&w);
	free(v);
	return buf_append_char(out, '\n');
}

const struct langs *
texts_langs(const struct texts *t)
{
	return &t->langs;
}

const char *
texts_lookup(const struct texts *t, enum lang l, const char *id)
{
	const struct texts_entry *e = texts_get(t, id);

	if (e == NULL)
		return NULL;
	return l == LANG_EN ? e->s[LANG_EN] : e->s[l];
}

/* texts_export_family - the forms of l of the plural family whose
 * English "BASE.other" is fam */
static void
texts_export_family(const struct texts *t, enum lang l,
    const struct texts_entry *fam, struct jsonw *w)
{
	const char *forms[LANGFMT_MAX_FORMS + 1];
	int base = (int)(strlen(fam->id) - strlen(".other"));
	char id[160];

	texts_forms(t, l, forms);
	for (size_t i = 0; forms[i] != NULL; i++) {
		const struct texts_entry *f;
		const char *text = NULL;

		(void)snprintf(id, sizeof(id), "%.*s.%s", base, fam->id,
		    forms[i]);
		if ((f = texts_get(t, id)) != NULL)
			text = l == LANG_EN || f->s[l] == NULL ? f->s[LANG_EN] :
			                                         f->s[l];
		jsonw_kstr(w, id, text != NULL ? text : fam->s[LANG_EN]);
	}
}

int
texts_export_prefix(const struct texts *t, enum lang l, const char *prefix,
    struct buf *out)
{
	const struct texts_entry **v = texts_sorted(t);
	size_t plen = strlen(prefix);
	struct jsonw w;
	struct buf b;
	int r;

	/* written apart and appended whole: a full out gets nothing */
	buf_init(&b, SIZE_MAX / 2);
	jsonw_init(&w, &b);
	jsonw_obj(&w);
	for (size_t k = 0; k < t->n; k++) {
		const struct texts_entry *e = v[k], *fam;

		if (strncmp(e->id, prefix, plen) != 0)
			continue;
		if ((fam = texts_family(t, e->id)) != NULL) {
			if (fam == e)
				texts_export_family(t, l, fam, &w);
		} else if (e->s[LANG_EN] != NULL) {
			jsonw_kstr(&w, e->id,
			    l != LANG_EN && e->s[l] != NULL ? e->s[l] :
			                                      e->s[LANG_EN]);
		}
	}
	jsonw_end(&w);
	free(v);
	r = buf_append(out, b.data, b.len);
	buf_clear(&b);
	return r;
}

size_t
texts_check(const struct texts *t, enum lang l, struct buf *out)
{
	const struct texts_entry **v = texts_sorted(t);
	const char *forms[LANGFMT_MAX_FORMS + 1];
	size_t bad = 0;
	char id[160];

	texts_forms(t, l, forms);
	for (size_t k = 0; k < t->n; k++) {
		const struct texts_entry *e = v[k], *f;
		const struct texts_entry *fam = texts_family(t, e->id);

		if (fam != NULL) {
			/* a plural family: the forms of l, checked once */
			if (fam != e)
				continue;
			for (size_t i = 0; forms[i] != NULL; i++) {
				(void)snprintf(id, sizeof(id), "%.*s.%s",
				    (int)(strlen(e->id) - strlen(".other")),
				    e->id, forms[i]);
				f = texts_get(t, id);
				if (l != LANG_EN &&
				    (f == NULL || f->s[l] == NULL)) {
					(void)buf_printf(out, "missing %s\n",
					    id);
					bad++;
				}
			}
			continue;
		}
		if (e->s[LANG_EN] != NULL && e->s[l] == NULL && l != LANG_EN) {
			(void)buf_printf(out, "missing %s\n", e->id);
			bad++;
		} else if (e->s[LANG_EN] == NULL && e->s[l] != NULL) {
			(void)buf_printf(out, "stale %s\n", e->id);
			bad++;
		}
	}
	free(v);
	return bad;
}
