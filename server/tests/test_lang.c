/* SPDX-License-Identifier: MIT */
/*
 * test_lang.c - unit tests for lang.h: tags, Accept-Language, fallback
 */
#include <string.h>

#include "lang.h"
#include "test.h"

/* test_parse_one - lang_parse(tag); returns the language or -1 */
static int
test_parse_one(const char *tag)
{
	enum lang l = LANG_COUNT;

	if (lang_parse(span_cstr(tag), &l) == -1)
		return -1;
	return (int)l;
}

static void
test_parse(void)
{
	enum lang l = LANG_COUNT;

	CHECK(test_parse_one("en") == LANG_EN, "lang_parse(\"en\") is en");
	CHECK(test_parse_one("EN") == LANG_EN, "lang_parse(\"EN\") is en");
	CHECK(test_parse_one("ru") == LANG_RU, "lang_parse(\"ru\") is ru");
	CHECK(test_parse_one("ru-RU") == LANG_RU,
	    "lang_parse(\"ru-RU\") is ru");
	CHECK(test_parse_one("ru_RU") == LANG_RU,
	    "lang_parse(\"ru_RU\") is ru");
	CHECK(test_parse_one("en-GB") == LANG_EN,
	    "lang_parse(\"en-GB\") is en");
	CHECK(test_parse_one("de") == -1, "lang_parse(\"de\") fails");
	CHECK(test_parse_one("") == -1, "lang_parse(\"\") fails");
	CHECK(test_parse_one("e") == -1, "lang_parse(\"e\") fails");
	CHECK(test_parse_one("eng") == -1, "lang_parse(\"eng\") fails");
	CHECK(test_parse_one("rus-RU") == -1, "lang_parse(\"rus-RU\") fails");
	CHECK(test_parse_one("-ru") == -1, "lang_parse(\"-ru\") fails");
	CHECK(lang_parse(span_make("rux", 2), &l) == 0 && l == LANG_RU,
	    "lang_parse reads only the span's bytes (\"ru\" of \"rux\")");
	CHECK_STR(lang_str(LANG_EN), "en", "lang_str(LANG_EN)");
	CHECK_STR(lang_str(LANG_RU), "ru", "lang_str(LANG_RU)");
}

/* test_accept_one - lang_from_accept(h); returns the language or -1 */
static int
test_accept_one(const char *h)
{
	enum lang l = LANG_COUNT;

	if (lang_from_accept(h, &l) == -1)
		return -1;
	return (int)l;
}

static void
test_accept(void)
{
	CHECK(test_accept_one("ru-RU,ru;q=0.9,en;q=0.8") == LANG_RU,
	    "Accept-Language ru-RU,ru;q=0.9,en;q=0.8 → ru");
	CHECK(test_accept_one("de-DE,en;q=0.5") == LANG_EN,
	    "Accept-Language de-DE,en;q=0.5 → en");
	CHECK(test_accept_one("en;q=0.2, ru;q=0.9") == LANG_RU,
	    "Accept-Language \"en;q=0.2, ru;q=0.9\" → ru (weight wins)");
	CHECK(test_accept_one("en, ru") == LANG_EN,
	    "Accept-Language \"en, ru\" → en (equal weights: first wins)");
	CHECK(test_accept_one("ru;q=0.5, en;q=0.5") == LANG_RU,
	    "Accept-Language \"ru;q=0.5, en;q=0.5\" → ru (first of equal)");
	CHECK(test_accept_one("fr-CH, fr;q=0.9, de;q=0.7, ru;q=0.1") == LANG_RU,
	    "Accept-Language with only a low-weight ru → ru");
	CHECK(test_accept_one("de") == -1, "Accept-Language de → -1");
	CHECK(test_accept_one(NULL) == -1, "Accept-Language NULL → -1");
	CHECK(test_accept_one("*") == -1, "Accept-Language * → -1");
	CHECK(test_accept_one("") == -1, "Accept-Language \"\" → -1");
	CHECK(test_accept_one(",,, ;") == -1, "Accept-Language \",,, ;\" → -1");
	CHECK(test_accept_one("ru;q=0") == -1,
	    "Accept-Language ru;q=0 (not acceptable, RFC 9110) → -1");
	CHECK(test_accept_one("ru;q=0, en;q=0.1") == LANG_EN,
	    "Accept-Language \"ru;q=0, en;q=0.1\" → en");
	CHECK(test_accept_one("  RU-ru ;q=0.7 , en ; q=0.3") == LANG_RU,
	    "Accept-Language with spaces and upper case → ru");
}

static void
test_ltext(void)
{
	struct ltext both = { { [LANG_EN] = "hello", [LANG_RU] = "привет" } };
	struct ltext en_only = { { [LANG_EN] = "hello" } };
	struct ltext none = { { NULL } };

	CHECK_STR(ltext_get(&both, LANG_RU), "привет", "ltext_get ru");
	CHECK_STR(ltext_get(&both, LANG_EN), "hello", "ltext_get en");
	CHECK_STR(ltext_get(&en_only, LANG_RU), "hello",
	    "ltext_get ru falls back to en");
	CHECK_STR(ltext_get(&none, LANG_RU), NULL,
	    "ltext_get with no text is NULL");
}

int
main(void)
{
	test_parse();
	test_accept();
	test_ltext();
	return test_done();
}
