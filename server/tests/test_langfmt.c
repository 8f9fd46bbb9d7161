/* SPDX-License-Identifier: MIT */
/*
 * test_langfmt.c - plural categories and numbers per language (CLDR)
 */
#include <string.h>

#include "langfmt.h"
#include "test.h"

static void
test_plural(void)
{
	static const struct {
		const char *code;
		unsigned long n;
		const char *want;
	} c[] = {
		{ "en", 0, "other" },
		{ "en", 1, "one" },
		{ "en", 2, "other" },
		{ "de", 1, "one" },
		{ "fr", 0, "one" },
		{ "fr", 1, "one" },
		{ "fr", 2, "other" },
		{ "pt", 0, "one" },
		{ "pt-BR", 0, "one" },
		{ "pt-PT", 0, "other" },
		{ "pt-PT", 1, "one" },
		{ "ja", 1, "other" },
		{ "zh-Hant", 1, "other" },
		{ "ru", 1, "one" },
		{ "ru", 2, "few" },
		{ "ru", 5, "many" },
		{ "ru", 11, "many" },
		{ "ru", 12, "many" },
		{ "ru", 21, "one" },
		{ "ru", 22, "few" },
		{ "ru", 111, "many" },
		{ "ru", 0, "many" },
		{ "ru-RU", 3, "few" },
		{ "uk", 24, "few" },
		{ "pl", 1, "one" },
		{ "pl", 21, "many" },
		{ "pl", 22, "few" },
		{ "pl", 12, "many" },
		{ "cs", 1, "one" },
		{ "cs", 3, "few" },
		{ "cs", 5, "other" },
		{ "cs", 22, "other" },
		{ "hr", 21, "one" },
		{ "hr", 23, "few" },
		{ "hr", 25, "other" },
		{ "lt", 1, "one" },
		{ "lt", 11, "other" },
		{ "lt", 22, "few" },
		{ "lv", 0, "zero" },
		{ "lv", 21, "one" },
		{ "lv", 11, "zero" },
		{ "ro", 0, "few" },
		{ "ro", 19, "few" },
		{ "ro", 20, "other" },
		{ "sl", 102, "two" },
		{ "ar", 0, "zero" },
		{ "ar", 2, "two" },
		{ "ar", 105, "few" },
		{ "ar", 111, "many" },
		{ "ar", 100, "other" },
		{ "xx", 1, "one" },
		{ "xx", 7, "other" },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(*c); i++)
		CHECK_STR(langfmt_plural(c[i].code, c[i].n), c[i].want,
		    c[i].code);
}

/* test_forms_are - the forms of code, space-separated */
static bool
test_forms_are(const char *code, const char *want)
{
	const char *forms[LANGFMT_MAX_FORMS + 1];
	char got[64] = "";

	langfmt_forms(code, forms);
	for (size_t i = 0; forms[i] != NULL; i++) {
		if (i > 0)
			strcat(got, " ");
		strcat(got, forms[i]);
	}
	return CHECK_STR(got, want, code);
}

static void
test_forms(void)
{
	test_forms_are("en", "one other");
	test_forms_are("ru", "one few many");
	test_forms_are("pl", "one few many");
	test_forms_are("cs", "one few other");
	test_forms_are("ja", "other");
	test_forms_are("ar", "zero one two few many other");
	test_forms_are("lv", "zero one other");
	test_forms_are("xx", "one other");
}

static void
test_number(void)
{
	static const struct {
		const char *code;
		unsigned long n;
		const char *want;
	} c[] = {
		{ "en", 0, "0" },
		{ "en", 999, "999" },
		{ "en", 1000, "1,000" },
		{ "en", 1234567, "1,234,567" },
		{ "ru", 1234,
		    "1\xc2\xa0"
		    "234" },
		{ "de", 1234567, "1.234.567" },
		{ "es", 1234, "1234" },
		{ "es", 12345, "12.345" },
		{ "pl", 1234, "1234" },
		{ "pl", 12345,
		    "12\xc2\xa0"
		    "345" },
		{ "fr", 1234,
		    "1\xe2\x80\xaf"
		    "234" },
		{ "de-CH", 1234,
		    "1\xe2\x80\x99"
		    "234" },
		{ "xx", 1234, "1,234" },
		{ "en", 18446744073709551615ul, "18,446,744,073,709,551,615" },
		{ "fr", 18446744073709551615ul,
		    "18\xe2\x80\xaf"
		    "446\xe2\x80\xaf"
		    "744\xe2\x80\xaf"
		    "073\xe2\x80\xaf"
		    "709\xe2\x80\xaf"
		    "551\xe2\x80\xaf"
		    "615" },
	};

	char out[LANGFMT_NUM_LEN];

	for (size_t i = 0; i < sizeof(c) / sizeof(*c); i++) {
		langfmt_number(c[i].code, c[i].n, out);
		CHECK_STR(out, c[i].want, c[i].code);
	}
}

int
main(void)
{
	test_plural();
	test_forms();
	test_number();
	return test_done();
}
