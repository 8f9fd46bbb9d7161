/* SPDX-License-Identifier: MIT */
/*
 * test_texts.c - the table of texts by message id and its translations
 */
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "dnsbl_config.h"
#include "rules.h"
#include "test.h"
#include "texts.h"

static char dir[64];

/* ru_of - Russian in t's set of languages */
static enum lang
ru_of(const struct texts *t)
{
	return test_lang_of(texts_langs(t), "ru");
}

static void
write_file(const char *name, const char *content)
{
	char path[160];
	FILE *f;

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f == NULL || fputs(content, f) < 0)
		exit(1);
	(void)fclose(f);
}

static void
remove_dir(void)
{
	char cmd[128];

	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	(void)!system(cmd);
}

static void
make_dir(const char *ru)
{
	char sub[96];

	(void)snprintf(dir, sizeof(dir), "/tmp/bouncedoc-texts-XXXXXX");
	if (mkdtemp(dir) == NULL)
		exit(1);
	(void)snprintf(sub, sizeof(sub), "%s/lang", dir);
	(void)mkdir(sub, 0700);
	if (ru != NULL)
		write_file("lang/ru.json", ru);
}

static void
table(void)
{
	struct texts *t = NULL;
	struct ltext a, b, c;
	struct buf out;
	char *err = NULL;

	int r;

	make_dir("{\"x.title\": \"Заголовок {ip|IP}\", \"x.fix.0\": "
	         "\"Шаг\", \"gone.title\": \"Старое\"}");
	r = texts_load(dir, &t, &err);
	CHECK(r == 0, "loads: %s", err ? err : "");
	CHECK(texts_source(t, "x.title", "Title {ip|the IP}", "f.json", &a,
	          &err) == 0,
	    "a source");
	CHECK_STR(ltext_in(&a, LANG_EN), "Title {ip|the IP}", "English");
	CHECK_STR(ltext_in(&a, ru_of(t)), "Заголовок {ip|IP}",
	    "its translation");
	CHECK(texts_source(t, "x.summary", "Summary", "f.json", &b, &err) == 0,
	    "a source nobody translated");
	CHECK(ltext_in(&b, ru_of(t)) == NULL,
	    "no translation: NULL (the reader falls "
	    "back)");
	r = texts_source(t, "x.title", "Again", "g.json", &c, &err);
	CHECK(r == -1 && err != NULL && strstr(err, "g.json: x.title") != NULL,
	    "an id given twice is refused: %s", err ? err : "");
	free(err);
	err = NULL;
	CHECK(texts_source(t, "x.fix.0", "Step", "f.json", &c, &err) == 0,
	    "a step");
	r = texts_verify(t, &err);
	CHECK(r == 0, "placeholders kept: %s", err ? err : "");
	buf_init(&out, 1u << 20);
	CHECK(texts_export(t, &out) == 0, "export");
	CHECK(strcmp(buf_span(&out).ptr,
	          "{\"x.fix.0\":\"Step\",\"x.summary\":\"Summary\",\"x.title\":"
	          "\"Title {ip|the IP}\"}\n") == 0,
	    "export: every source in id order, no stale id: %s",
	    buf_span(&out).ptr);
	buf_reset(&out);
	CHECK(texts_check(t, ru_of(t), &out) == 2, "check ru: two findings");
	CHECK(strcmp(buf_span(&out).ptr,
	          "stale gone.title\nmissing x.summary\n") == 0,
	    "check ru lists stale and missing ids in order: %s",
	    buf_span(&out).ptr);
	buf_clear(&out);
	texts_free(t);
	remove_dir();
}

/* a translation that drops or adds a placeholder is refused, naming the
 * file and the id */
static void
placeholders(const char *ru, const char *want)
{
	struct texts *t = NULL;
	struct ltext a;
	char *err = NULL;

	make_dir(ru);
	if (CHECK(texts_load(dir, &t, &err) == 0, "loads")) {
		(void)texts_source(t, "x.title", "{ip|The IP} is in {list}",
		    "f.json", &a, &err);
		int r = texts_verify(t, &err);

		CHECK(r == -1 && err != NULL &&
		        strstr(err, "lang/ru.json: x.title") != NULL &&
		        strstr(err, want) != NULL,
		    "refused with \"%s\": %s", want, err ? err : "accepted");
	}
	free(err);
	texts_free(t);
	remove_dir();
}

static void
refusals(void)
{
	struct texts *t = NULL;
	char *err = NULL;

	placeholders("{\"x.title\": \"{ip|IP} в списке\"}",
	    "drops the placeholder {list}");
	placeholders("{\"x.title\": \"{ip|IP} в {list} {host}\"}",
	    "adds the placeholder {host}");
	/* braces doubled are literal, and the fallback is the language's */
	make_dir("{\"x.title\": \"{{{ip|Адрес}}} в {list|списке} {list}\"}");
	if (CHECK(texts_load(dir, &t, &err) == 0, "loads")) {
		struct ltext a;

		(void)texts_source(t, "x.title", "{ip|The IP} is in {list}",
		    "f.json", &a, &err);
		int r = texts_verify(t, &err);

		CHECK(r == 0, "the same names, in any order and number: %s",
		    err ? err : "");
	}
	texts_free(t);
	t = NULL;
	remove_dir();
	make_dir("{\"x.title\": 5}");
	(void)texts_load(dir, &t, &err);
	CHECK(t == NULL && err != NULL && strstr(err, "x.title") != NULL,
	    "a translation that is no string is refused: %s", err ? err : "");
	free(err);
	err = NULL;
	remove_dir();
	make_dir("[1]");
	(void)texts_load(dir, &t, &err);
	CHECK(t == NULL && err != NULL,
	    "a translation file that is no object is refused: %s",
	    err ? err : "");
	free(err);
	err = NULL;
	remove_dir();
	make_dir(NULL);
	CHECK(texts_load(dir, &t, &err) == 0,
	    "no translation file: nothing translated");
	texts_free(t);
	remove_dir();
}

/* what the code says: messages, their arguments and plural forms */
static void
messages(void)
{
	static const struct {
		unsigned long n;
		const char *en, *ru;
	} counts[] = {
		{ 1, "1 rule of x", "1 правило x" },
		{ 2, "2 rules of x", "2 правила x" },
		{ 5, "5 rules of x", "5 правил x" },
		{ 11, "11 rules of x", "11 правил x" },
		{ 21, "21 rules of x", "21 правило x" },
		{ 22, "22 rules of x", "22 правила x" },
		{ 112, "112 rules of x", "112 правил x" },
	};
	struct texts *t = NULL;
	struct arena *a = arena_new();
	struct texts_msg *m, *sub;
	struct buf out;
	char *err = NULL, path[160];
	int r;

	make_dir("{\"m.rule\": \"правило {rule}: {why}\", "
	         "\"m.n.one\": \"{n} правило {x}\", \"m.n.few\": "
	         "\"{n} правила {x}\", \"m.n.many\": \"{n} правил {x}\"}");
	write_file("messages.json",
	    "{\"m.rule\": \"rule {rule}: {why}\", \"m.why\": \"it matched\", "
	    "\"m.n.one\": \"{n} rule of {x}\", \"m.n.other\": "
	    "\"{n} rules of {x}\", \"m.opt\": \"type {type|not given}\"}");
	(void)snprintf(path, sizeof(path), "%s/messages.json", dir);
	if (!CHECK(texts_load(dir, &t, &err) == 0, "loads"))
		goto out;
	r = texts_load_messages(t, path, &err);
	CHECK(r == 0, "messages load: %s", err ? err : "");
	r = texts_verify(t, &err);
	CHECK(r == 0,
	    "plural forms English lacks keep the names of its "
	    "other form: %s",
	    err ? err : "");
	sub = texts_msg_new(a, "m.why");
	m = texts_msg_sub(texts_msg_arg(texts_msg_new(a, "m.rule"), "rule",
	                      "r1"),
	    "why", sub);
	CHECK_STR(texts_render(a, t, LANG_EN, m), "rule r1: it matched",
	    "English, with a sentence inside");
	CHECK_STR(texts_render(a, t, ru_of(t), m), "правило r1: it matched",
	    "Russian; the untranslated inner sentence in English");
	for (size_t i = 0; i < sizeof(counts) / sizeof(*counts); i++) {
		m = texts_msg_count(texts_msg_arg(texts_msg_new(a, "m.n"), "x",
		                        "x"),
		    counts[i].n);
		CHECK_STR(texts_render(a, t, LANG_EN, m), counts[i].en,
		    "English plural");
		CHECK_STR(texts_render(a, t, ru_of(t), m), counts[i].ru,
		    "Russian plural (one, few, many)");
	}
	{
		/* built with texts_msg_with, copied to another arena, the
		 * first one gone: the copy says the same */
		struct arena *b = arena_new(), *c = arena_new();
		char rule[] = "r2";
		const struct texts_msg *copy;

		m = texts_msg_sub(texts_msg_with(b, "m.rule", "rule", rule,
		                      TEXTS_MSG_END),
		    "why", texts_msg_new(b, "m.why"));
		copy = texts_msg_dup(c, m);
		rule[1] = '9';
		arena_free(b);
		CHECK_STR(texts_render(a, t, LANG_EN, copy),
		    "rule r2: it matched", "a copy keeps its texts");
		CHECK(texts_msg_is(copy, "m.rule") &&
		        !texts_msg_is(copy, "m.why") &&
		        !texts_msg_is(NULL, "m.rule") &&
		        texts_msg_dup(c, NULL) == NULL,
		    "texts_msg_is, texts_msg_dup of NULL");
		arena_free(c);
	}
	CHECK_STR(texts_render(a, t, LANG_EN, texts_msg_new(a, "m.opt")),
	    "type not given", "an argument not given takes the fallback");
	CHECK_STR(texts_render(a, t, LANG_EN, texts_msg_new(a, "m.nosuch")),
	    "m.nosuch", "an unknown id shows as itself");
	buf_init(&out, 1u << 16);
	(void)texts_check(t, ru_of(t), &out);
	CHECK(strcmp(buf_span(&out).ptr, "missing m.opt\nmissing m.why\n") == 0,
	    "check ru: the plural family is complete, two sentences missing: %s",
	    buf_span(&out).ptr);
	buf_clear(&out);
out:
	free(err);
	texts_free(t);
	arena_free(a);
	remove_dir();
}

/* the texts of one kind in one language, the languages served and one
 * text as a language has it */
static void
export_prefix(void)
{
	struct texts *t = NULL;
	struct buf out;
	const struct langs *ls;
	char *err = NULL, path[160];

	make_dir("{\"p.a\": \"А {x}\", \"p.n.one\": \"{n} один\", "
	         "\"p.n.few\": \"{n} несколько\", \"p.gone\": \"Старое\", "
	         "\"q.b\": \"Б\", \"language.name\": \"Русский\"}");
	write_file("messages.json",
	    "{\"p.b\": \"B\", \"p.a\": \"A {x}\", \"p.n.one\": \"{n} one\", "
	    "\"p.n.other\": \"{n} others\", \"q.b\": \"Q\", "
	    "\"language.name\": \"English\", \"pa\": \"no dot\"}");
	(void)snprintf(path, sizeof(path), "%s/messages.json", dir);
	if (!CHECK(texts_load(dir, &t, &err) == 0 &&
	            texts_load_messages(t, path, &err) == 0,
	        "loads: %s", err != NULL ? err : ""))
		goto out;
	buf_init(&out, 1u << 16);
	CHECK(texts_export_prefix(t, LANG_EN, "p.", &out) == 0, "export en");
	CHECK_STR(buf_span(&out).ptr,
	    "{\"p.a\":\"A {x}\",\"p.b\":\"B\",\"p.n.one\":\"{n} one\","
	    "\"p.n.other\":\"{n} others\"}",
	    "English: the ids of the prefix in order, placeholders kept");
	buf_reset(&out);
	CHECK(texts_export_prefix(t, ru_of(t), "p.", &out) == 0, "export ru");
	CHECK_STR(buf_span(&out).ptr,
	    "{\"p.a\":\"А {x}\",\"p.b\":\"B\",\"p.n.one\":\"{n} один\","
	    "\"p.n.few\":\"{n} несколько\",\"p.n.many\":\"{n} others\"}",
	    "Russian: English where it lacks a text, the forms one, few "
	    "and many (a missing one is English's other), no stale id");
	buf_reset(&out);
	CHECK(texts_export_prefix(t, ru_of(t), "x.", &out) == 0 &&
	        strcmp(buf_span(&out).ptr, "{}") == 0,
	    "a prefix nothing has: {}");
	buf_clear(&out);
	buf_init(&out, 16);
	CHECK(texts_export_prefix(t, LANG_EN, "p.", &out) == -1 && out.len == 0,
	    "a full buffer: -1, nothing appended");
	buf_clear(&out);
	ls = texts_langs(t);
	CHECK(ls->n == 2 && strcmp(ls->code[LANG_EN], "en") == 0 &&
	        strcmp(ls->code[1], "ru") == 0,
	    "languages: English, then Russian (it has a file)");
	CHECK_STR(texts_lookup(t, ru_of(t), "language.name"), "Русский",
	    "a language's own name");
	CHECK_STR(texts_lookup(t, LANG_EN, "language.name"), "English",
	    "English's own name");
	CHECK(texts_lookup(t, ru_of(t), "p.b") == NULL,
	    "lookup: no English fallback");
	CHECK(texts_lookup(t, LANG_EN, "nosuch") == NULL, "lookup: no id");
	texts_free(t);
	t = NULL;
	remove_dir();
	make_dir(NULL);
	CHECK(texts_load(dir, &t, &err) == 0 && texts_langs(t)->n == 1 &&
	        strcmp(texts_langs(t)->code[LANG_EN], "en") == 0,
	    "no translation file: English only");
out:
	free(err);
	texts_free(t);
	remove_dir();
}

/* the languages are the files: any code, in code order after English;
 * a file that is no language is refused */
static void
language_set(void)
{
	struct texts *t = NULL;
	struct arena *a = arena_new();
	const struct langs *ls;
	char *err = NULL, path[160];
	enum lang l;

	make_dir("{\"m.n.one\": \"{n} правило\", \"m.n.few\": \"{n} правила\", "
	         "\"m.n.many\": \"{n} правил\"}");
	write_file("lang/pt-BR.json",
	    "{\"m.n.one\": \"{n} regra\", "
	    "\"m.n.other\": \"{n} regras\"}");
	write_file("lang/de.json", "{\"m.n.one\": \"{n} Regel\"}");
	write_file("lang/README.txt", "not a translation");
	write_file("messages.json",
	    "{\"m.n.one\": \"{n} rule\", \"m.n.other\": \"{n} rules\", "
	    "\"m.max\": \"at most {max|many}\"}");
	(void)snprintf(path, sizeof(path), "%s/messages.json", dir);
	if (!CHECK(texts_load(dir, &t, &err) == 0 &&
	            texts_load_messages(t, path, &err) == 0,
	        "three translations load: %s", err != NULL ? err : ""))
		goto out;
	ls = texts_langs(t);
	CHECK(ls->n == 4 && strcmp(ls->code[0], "en") == 0 &&
	        strcmp(ls->code[1], "de") == 0 &&
	        strcmp(ls->code[2], "pt-BR") == 0 &&
	        strcmp(ls->code[3], "ru") == 0,
	    "English first, then every file's code in order (a file that is "
	    "no .json is no language)");
	CHECK(lang_parse(ls, span_cstr("pt-br"), &l) == 0 && l == 2 &&
	        lang_parse(ls, span_cstr("pt"), &l) == -1 &&
	        lang_parse(ls, span_cstr("de-AT"), &l) == 0 && l == 1,
	    "a whole tag, or a tag's primary subtag, names a file's language");
	CHECK_STR(texts_render(a, t, 2,
	              texts_msg_count(texts_msg_new(a, "m.n"), 0)),
	    "0 regra", "Brazilian Portuguese counts 0 as one");
	CHECK_STR(texts_render(a, t, 1,
	              texts_msg_count(texts_msg_new(a, "m.n"), 3)),
	    "3 rules", "a form German lacks is English's");
	CHECK_STR(texts_render(a, t, 3,
	              texts_msg_count(texts_msg_new(a, "m.n"), 1234)),
	    "1\xc2\xa0"
	    "234 правила",
	    "Russian groups thousands with a no-break space");
	CHECK_STR(texts_render(a, t, LANG_EN,
	              texts_msg_count(texts_msg_new(a, "m.n"), 1234567)),
	    "1,234,567 rules", "English groups thousands with commas");
	CHECK_STR(texts_render(a, t, 1,
	              texts_msg_num(texts_msg_new(a, "m.max"), "max", 4096)),
	    "at most 4.096", "a number argument as German writes it");
	CHECK_STR(texts_render(a, t, LANG_EN,
	              texts_msg_num(texts_msg_new(a, "m.max"), "max", 0)),
	    "at most 0", "a number argument 0 is a number, not the fallback");
	CHECK_STR(texts_render(a, t, LANG_EN,
	              texts_msg_arg(texts_msg_new(a, "m.max"), "max", NULL)),
	    "at most many", "a text argument NULL takes the fallback");
out:
	texts_free(t);
	t = NULL;
	free(err);
	err = NULL;
	remove_dir();
	make_dir(NULL);
	write_file("lang/Russian.json", "{}");
	CHECK(texts_load(dir, &t, &err) == -1 && err != NULL &&
	        strstr(err, "Russian.json") != NULL &&
	        strstr(err, "not a language code") != NULL,
	    "a file whose name is no language code is refused: %s",
	    err != NULL ? err : "");
	free(err);
	err = NULL;
	remove_dir();
	make_dir(NULL);
	write_file("lang/en.json", "{}");
	CHECK(texts_load(dir, &t, &err) == -1 && err != NULL &&
	        strstr(err, "English is the source") != NULL,
	    "an English translation is refused: %s", err != NULL ? err : "");
	free(err);
	remove_dir();
	arena_free(a);
}

/* the shipped catalog, with the blocklists' meanings (rules/dnsbl.json,
 * as `bouncedoc texts` loads them): its translation is complete and
 * consistent */
static void
shipped(void)
{
	struct ruleset *rs = NULL;
	struct dnsbl_config *bl = NULL;
	struct buf out;
	char *err = NULL;

	int r = rules_load("rules", TEST_RULES_FLAGS, &rs, &err);

	if (r == 0)
		r = dnsbl_config_load("rules/dnsbl.json",
		    rules_texts_writable(rs), &bl, &err);
	if (!CHECK(r == 0, "the catalog and the blocklists load: %s",
	        err ? err : "")) {
		free(err);
		rules_free(rs);
		return;
	}
	buf_init(&out, 1u << 20);
	CHECK(texts_export(rules_texts(rs), &out) == 0 &&
	        buf_span(&out).len > 10000,
	    "export of the shipped catalog: %zu bytes", buf_span(&out).len);
	buf_reset(&out);
	CHECK(texts_check(rules_texts(rs), ru_of(rules_texts(rs)), &out) == 0,
	    "Russian is complete: nothing missing, nothing stale%s%s",
	    buf_span(&out).len > 0 ? ":\n" : "",
	    buf_span(&out).len > 0 ? buf_span(&out).ptr : "");
	buf_reset(&out);
	CHECK(texts_export_prefix(rules_texts(rs), ru_of(rules_texts(rs)),
	          "page.", &out) == 0 &&
	        strstr(buf_span(&out).ptr, "\"page.deliveries.few\":") !=
	            NULL &&
	        strstr(buf_span(&out).ptr, "\"page.deliveries.many\":") !=
	            NULL &&
	        strstr(buf_span(&out).ptr, "\"page.deliveries.other\":") ==
	            NULL,
	    "the page's Russian texts: a plural family as one, few, many");
	buf_reset(&out);
	CHECK(texts_export_prefix(rules_texts(rs), LANG_EN, "page.", &out) ==
	            0 &&
	        strstr(buf_span(&out).ptr, "\"page.deliveries.other\":") !=
	            NULL &&
	        strstr(buf_span(&out).ptr, "\"page.deliveries.few\":") ==
	            NULL &&
	        strstr(buf_span(&out).ptr, "\"decision.") == NULL,
	    "the page's English texts: one and other, nothing but page.*");
	buf_clear(&out);
	CHECK_STR(texts_lookup(rules_texts(rs), ru_of(rules_texts(rs)),
	              "language.name"),
	    "Русский", "Russian names itself");
	dnsbl_config_free(bl);
	rules_free(rs);
}

int
main(void)
{
	table();
	refusals();
	messages();
	export_prefix();
	language_set();
	shipped();
	return test_done();
}
