/* SPDX-License-Identifier: MIT */
/*
 * test_lang.c - unit tests for lang.h: codes, tags, Accept-Language,
 * fallback
 */
#include <string.h>

#include "lang.h"
#include "test.h"

/* a set as the texts make it from en, de, pt-BR and ru files */
static const struct langs test_set = { { "en", "de", "pt-BR", "ru" }, 4 };

#define DE    ((enum lang)1)
#define PT_BR ((enum lang)2)
#define RU    ((enum lang)3)

/* test_parse_one - lang_parse(tag); returns the language or -1 */
static int
test_parse_one(const char *tag)
{
	enum lang l = LANG_MAX;

	if (lang_parse(&test_set, span_cstr(tag), &l) == -1)
		return -1;
	return (int)l;
}

static void
test_codes(void)
{
	static const char *const good[] = { "ru", "de", "pt-BR", "zh-Hant",
		"sr-Latn-RS", "xx", "haw" };
	static const char *const bad[] = { "", "r", "RU", "russian", "ru-",
		"-ru", "ru_RU", "ru.json", "ru-abcdefghi", "r1", "en us" };

	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++)
		CHECK(lang_code_valid(span_cstr(good[i])), "code %s", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		CHECK(!lang_code_valid(span_cstr(bad[i])), "no code: \"%s\"",
		    bad[i]);
}

static void
test_parse(void)
{
	enum lang l = LANG_MAX;

	CHECK(test_parse_one("en") == LANG_EN, "lang_parse(\"en\") is en");
	CHECK(test_parse_one("EN") == LANG_EN, "lang_parse(\"EN\") is en");
	CHECK(test_parse_one("ru") == RU, "lang_parse(\"ru\") is ru");
	CHECK(test_parse_one("ru-RU") == RU, "lang_parse(\"ru-RU\") is ru");
	CHECK(test_parse_one("ru_RU") == RU, "lang_parse(\"ru_RU\") is ru");
	CHECK(test_parse_one("en-GB") == LANG_EN,
	    "lang_parse(\"en-GB\") is en");
	CHECK(test_parse_one("pt-BR") == PT_BR, "lang_parse(\"pt-BR\")");
	CHECK(test_parse_one("pt_br") == PT_BR, "lang_parse(\"pt_br\")");
	CHECK(test_parse_one("pt") == -1,
	    "lang_parse(\"pt\") fails: only Brazilian is served");
	CHECK(test_parse_one("pt-PT") == -1,
	    "lang_parse(\"pt-PT\") fails: no pt file");
	CHECK(test_parse_one("de-CH") == DE, "lang_parse(\"de-CH\") is de");
	CHECK(test_parse_one("fr") == -1, "lang_parse(\"fr\") fails");
	CHECK(test_parse_one("") == -1, "lang_parse(\"\") fails");
	CHECK(test_parse_one("e") == -1, "lang_parse(\"e\") fails");
	CHECK(test_parse_one("eng") == -1, "lang_parse(\"eng\") fails");
	CHECK(test_parse_one("rus-RU") == -1, "lang_parse(\"rus-RU\") fails");
	CHECK(test_parse_one("-ru") == -1, "lang_parse(\"-ru\") fails");
	CHECK(lang_parse(&test_set, span_make("rux", 2), &l) == 0 && l == RU,
	    "lang_parse reads only the span's bytes (\"ru\" of \"rux\")");
	CHECK_STR(lang_str(&test_set, LANG_EN), "en", "lang_str(LANG_EN)");
	CHECK_STR(lang_str(&test_set, PT_BR), "pt-BR", "lang_str(pt-BR)");
}

/* test_accept_one - lang_from_accept(h); returns the language or -1 */
static int
test_accept_one(const char *h)
{
	enum lang l = LANG_MAX;

	if (lang_from_accept(&test_set, h, &l) == -1)
		return -1;
	return (int)l;
}

static void
test_accept(void)
{
	CHECK(test_accept_one("ru-RU,ru;q=0.9,en;q=0.8") == RU,
	    "Accept-Language ru-RU,ru;q=0.9,en;q=0.8 → ru");
	CHECK(test_accept_one("fr-FR,en;q=0.5") == LANG_EN,
	    "Accept-Language fr-FR,en;q=0.5 → en");
	CHECK(test_accept_one("en;q=0.2, ru;q=0.9") == RU,
	    "Accept-Language \"en;q=0.2, ru;q=0.9\" → ru (weight wins)");
	CHECK(test_accept_one("en, ru") == LANG_EN,
	    "Accept-Language \"en, ru\" → en (equal weights: first wins)");
	CHECK(test_accept_one("ru;q=0.5, en;q=0.5") == RU,
	    "Accept-Language \"ru;q=0.5, en;q=0.5\" → ru (first of equal)");
	CHECK(test_accept_one("fr-CH, fr;q=0.9, it;q=0.7, ru;q=0.1") == RU,
	    "Accept-Language with only a low-weight ru → ru");
	CHECK(test_accept_one("pt-BR, de;q=0.9") == PT_BR,
	    "Accept-Language pt-BR → pt-BR");
	CHECK(test_accept_one("fr") == -1, "Accept-Language fr → -1");
	CHECK(test_accept_one(NULL) == -1, "Accept-Language NULL → -1");
	CHECK(test_accept_one("*") == -1, "Accept-Language * → -1");
	CHECK(test_accept_one("") == -1, "Accept-Language \"\" → -1");
	CHECK(test_accept_one(",,, ;") == -1, "Accept-Language \",,, ;\" → -1");
	CHECK(test_accept_one("ru;q=0") == -1,
	    "Accept-Language ru;q=0 (not acceptable, RFC 9110) → -1");
	CHECK(test_accept_one("ru;q=0, en;q=0.1") == LANG_EN,
	    "Accept-Language \"ru;q=0, en;q=0.1\" → en");
	CHECK(test_accept_one("  RU-ru ;q=0.7 , en ; q=0.3") == RU,
	    "Accept-Language with spaces and upper case → ru");
}

static void
test_ltext(void)
{
	static const char *const both_s[] = { "hello", NULL, NULL, "привет" };
	static const char *const en_s[] = { "hello", NULL, NULL, NULL };
	struct ltext both = { both_s }, en_only = { en_s }, none = { NULL };

	CHECK_STR(ltext_get(&both, RU), "привет", "ltext_get ru");
	CHECK_STR(ltext_get(&both, LANG_EN), "hello", "ltext_get en");
	CHECK_STR(ltext_get(&en_only, RU), "hello",
	    "ltext_get ru falls back to en");
	CHECK_STR(ltext_in(&en_only, RU), NULL, "ltext_in ru: none");
	CHECK_STR(ltext_get(&none, RU), NULL, "ltext_get with no text is NULL");
	CHECK_STR(ltext_in(&none, LANG_EN), NULL, "ltext_in with no text");
}

int
main(void)
{
	test_codes();
	test_parse();
	test_accept();
	test_ltext();
	return test_done();
}
