/* SPDX-License-Identifier: MIT */
/*
 * test_codes.c - unit tests for codes.h: parsing, the tables, bad files
 *
 * The real tables (rules/status-codes.json, rules/reply-codes.json) are
 * checked when they exist; the loader's errors are checked with small
 * files written to a temporary directory.
 */
#include <sys/stat.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codes.h"
#include "test.h"
#include "texts.h"

/* the code tables' texts live in a table of texts that outlives them */
static struct texts *test_texts;

static int
test_codes_load(const char *dir, struct codes **out, char **err_out)
{
	texts_free(test_texts);
	test_texts = NULL;
	if (texts_load(dir, &test_texts, err_out) == -1)
		return -1;
	return codes_load(dir, test_texts, out, err_out);
}

/* a minimal valid pair of files */
#define TEST_STATUS_OK                                                         \
	"{\"classes\": {\"5\": {\"text\": {\"en\": {\"title\": \"Perm\"}}}},"  \
	" \"subjects\": {\"1\": {\"text\": {\"en\": {\"title\": \"Addr\"}}}}," \
	" \"details\": {\"1.1\": {\"reason\": \"userunknown\", \"text\":"      \
	" {\"en\": {\"title\": \"Bad mailbox\"}}}}}"
#define TEST_REPLY_OK                                                            \
	"{\"classes\": {\"5\": {\"text\": {\"en\": {\"title\": \"Neg\"}}}},"     \
	" \"categories\": {\"5\": {\"text\": {\"en\": {\"title\": \"Mail\"}}}}," \
	" \"codes\": {\"550\": {\"rfc\": \"RFC 5321\", \"text\": {\"en\":"       \
	" {\"title\": \"Unavailable\"}}}}}"

static void
test_parse_one(const char *s, bool ok, unsigned cls, unsigned subject,
    unsigned detail)
{
	struct codes_status st = { 99, 99, 99 };
	int r = codes_status_parse(span_cstr(s), &st);

	if (ok) {
		CHECK(r == 0 && st.cls == cls && st.subject == subject &&
		        st.detail == detail,
		    "codes_status_parse(\"%s\") = %u.%u.%u", s, st.cls,
		    st.subject, st.detail);
	} else {
		CHECK(r == -1 && st.cls == 99,
		    "codes_status_parse(\"%s\") fails and leaves *out", s);
	}
}

static void
test_status_parse(void)
{
	test_parse_one("5.7.1", true, 5, 7, 1);
	test_parse_one("4.2.2", true, 4, 2, 2);
	test_parse_one("2.0.0", true, 2, 0, 0);
	test_parse_one("5.7.26", true, 5, 7, 26);
	test_parse_one("5.999.999", true, 5, 999, 999);
	test_parse_one("3.1.1", false, 0, 0, 0);
	test_parse_one("5.7", false, 0, 0, 0);
	test_parse_one("5.1000.1", false, 0, 0, 0);
	test_parse_one("5.1.1000", false, 0, 0, 0);
	test_parse_one("a.b.c", false, 0, 0, 0);
	test_parse_one("5..1", false, 0, 0, 0);
	test_parse_one("5.1.", false, 0, 0, 0);
	test_parse_one(".1.1", false, 0, 0, 0);
	test_parse_one("5.1.1.1", false, 0, 0, 0);
	test_parse_one("5.1.1 ", false, 0, 0, 0);
	test_parse_one(" 5.1.1", false, 0, 0, 0);
	test_parse_one("6.1.1", false, 0, 0, 0);
	test_parse_one("5.-1.1", false, 0, 0, 0);
	test_parse_one("", false, 0, 0, 0);
}

static void
test_real_tables(void)
{
	struct codes *c = NULL;
	char *err = NULL;
	const struct codes_entry *e;
	int r;

	if (access("rules/status-codes.json", R_OK) != 0 ||
	    access("rules/reply-codes.json", R_OK) != 0) {
		CHECK(true, "# SKIP rules/*-codes.json not there yet");
		return;
	}
	r = test_codes_load("rules", &c, &err);
	CHECK(r == 0 && c != NULL, "codes_load(\"rules\"): %s",
	    err != NULL ? err : "ok");
	free(err);
	if (r != 0)
		return;

	e = codes_status_detail(c, 1, 1);
	CHECK(e != NULL && ltext_in(&e->title, LANG_EN) != NULL &&
	        ltext_in(&e->title, LANG_EN)[0] != '\0',
	    "X.1.1 has an English title: %s",
	    e != NULL && ltext_in(&e->title, LANG_EN) != NULL ?
	        ltext_in(&e->title, LANG_EN) :
	        "(none)");
	CHECK_STR(e != NULL ? e->reason : NULL, "userunknown",
	    "X.1.1 fallback reason");
	CHECK(e != NULL &&
	        ltext_get(&e->title,
	            test_lang_of(texts_langs(test_texts), "ru")) != NULL,
	    "X.1.1 title in Russian (or English)");
	e = codes_status_class(c, 5);
	CHECK(e != NULL && ltext_get(&e->title, LANG_EN) != NULL,
	    "class 5 has a title: %s",
	    e != NULL && ltext_in(&e->title, LANG_EN) != NULL ?
	        ltext_in(&e->title, LANG_EN) :
	        "(none)");
	CHECK(codes_status_class(c, 4) != NULL &&
	        codes_status_class(c, 2) != NULL,
	    "classes 2 and 4 are there");
	CHECK(codes_status_class(c, 3) == NULL &&
	        codes_status_class(c, 10) == NULL,
	    "classes 3 and 10 are not");
	CHECK(codes_status_subject(c, 7) != NULL &&
	        codes_status_subject(c, 8) == NULL,
	    "subject 7 is there, 8 is not");
	e = codes_reply_code(c, 550);
	CHECK(e != NULL && ltext_get(&e->title, LANG_EN) != NULL,
	    "reply code 550 has an entry with a title");
	CHECK(codes_reply_class(c, 5) != NULL &&
	        codes_reply_category(c, 5) != NULL,
	    "reply class 5 and category 5 are there");
	CHECK(codes_reply_code(c, 299) == NULL, "reply code 299 is NULL");
	CHECK(codes_reply_code(c, 5500) == NULL, "reply code 5500 is NULL");
	CHECK(codes_status_detail(c, 7, 99) == NULL, "status X.7.99 is NULL");
	CHECK(codes_status_detail(c, 9, 1) == NULL &&
	        codes_status_detail(c, 1, 100) == NULL,
	    "status X.9.1 and X.1.100 are NULL");
	codes_free(c);
	codes_free(NULL);
	CHECK(true, "codes_free(NULL) is a no-op");
}

static bool
test_write(const char *dir, const char *name, const char *body)
{
	char path[512];
	FILE *f;
	bool ok;

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f == NULL)
		return false;
	ok = fputs(body, f) >= 0;
	return fclose(f) == 0 && ok;
}

/* test_bad - codes_load of dir with the two bodies fails naming file */
static void
test_bad(const char *dir, const char *what, const char *status,
    const char *reply, const char *file, const char *needle)
{
	struct codes *c = NULL;
	char *err = NULL;
	int r;

	if (!test_write(dir, "status-codes.json", status) ||
	    !test_write(dir, "reply-codes.json", reply)) {
		CHECK(false, "%s: write the files", what);
		return;
	}
	r = test_codes_load(dir, &c, &err);
	CHECK(r == -1 && c == NULL, "%s: codes_load fails", what);
	CHECK(err != NULL && strstr(err, file) != NULL &&
	        (needle == NULL || strstr(err, needle) != NULL),
	    "%s: the error names %s%s%s: %s", what, file,
	    needle != NULL ? " and " : "", needle != NULL ? needle : "",
	    err != NULL ? err : "(none)");
	free(err);
	if (r == 0)
		codes_free(c);
}

static void
test_bad_files(void)
{
	char dir[] = "/tmp/test_codes.XXXXXX";
	struct codes *c = NULL;
	char *err = NULL;
	int r;

	if (mkdtemp(dir) == NULL) {
		CHECK(false, "mkdtemp");
		return;
	}

	/* the control: the minimal files load, with their translation */
	{
		char lang[512];

		(void)snprintf(lang, sizeof(lang), "%s/lang", dir);
		(void)mkdir(lang, 0700);
		(void)test_write(lang, "ru.json",
		    "{\"status.details.1.1.title\": \"Нет ящика\"}");
	}
	(void)test_write(dir, "status-codes.json", TEST_STATUS_OK);
	(void)test_write(dir, "reply-codes.json", TEST_REPLY_OK);
	r = test_codes_load(dir, &c, &err);
	CHECK(r == 0, "minimal files load: %s", err != NULL ? err : "ok");
	free(err);
	err = NULL;
	if (r == 0) {
		const struct codes_entry *e = codes_status_detail(c, 1, 1);

		CHECK(e != NULL && e->reason != NULL &&
		        strcmp(e->reason, "userunknown") == 0,
		    "minimal: X.1.1 reason");
		CHECK_STR(e != NULL ?
		        ltext_get(&e->title,
		            test_lang_of(texts_langs(test_texts), "ru")) :
		        NULL,
		    "Нет ящика", "minimal: X.1.1 Russian title");
		CHECK_STR(e != NULL ? e->rfc : NULL, NULL,
		    "minimal: X.1.1 has no rfc");
		e = codes_reply_code(c, 550);
		CHECK_STR(e != NULL ? e->rfc : NULL, "RFC 5321",
		    "minimal: 550 rfc");
		CHECK(codes_reply_code(c, 551) == NULL,
		    "minimal: 551 is missing");
		codes_free(c);
	}

	test_bad(dir, "bad JSON", "{\"classes\": {", TEST_REPLY_OK,
	    "status-codes.json", NULL);
	test_bad(dir, "bad JSON in the reply file", TEST_STATUS_OK,
	    "{\"classes\": {}, \"categories\": {}, \"codes\": {,}}",
	    "reply-codes.json", NULL);
	test_bad(dir, "top level is an array", "[]", TEST_REPLY_OK,
	    "status-codes.json", NULL);
	test_bad(dir, "unknown key",
	    "{\"classes\": {\"5\": {\"titel\": \"x\", \"text\": {\"en\": "
	    "{\"title\": \"P\"}}}}, \"subjects\": {}, \"details\": {}}",
	    TEST_REPLY_OK, "status-codes.json", "titel");
	test_bad(dir, "detail key 9.9",
	    "{\"classes\": {}, \"subjects\": {}, \"details\": {\"9.9\": "
	    "{\"text\": {\"en\": {\"title\": \"N\"}}}}}",
	    TEST_REPLY_OK, "status-codes.json", "9.9");
	test_bad(dir, "detail key 1.100",
	    "{\"classes\": {}, \"subjects\": {}, \"details\": {\"1.100\": "
	    "{\"text\": {\"en\": {\"title\": \"N\"}}}}}",
	    TEST_REPLY_OK, "status-codes.json", "1.100");
	test_bad(dir, "detail key 1.x",
	    "{\"classes\": {}, \"subjects\": {}, \"details\": {\"1.x\": "
	    "{\"text\": {\"en\": {\"title\": \"N\"}}}}}",
	    TEST_REPLY_OK, "status-codes.json", "1.x");
	test_bad(dir, "class key 55",
	    "{\"classes\": {\"55\": {\"text\": {\"en\": {\"title\": \"N\"}}}},"
	    " \"subjects\": {}, \"details\": {}}",
	    TEST_REPLY_OK, "status-codes.json", "55");
	test_bad(dir, "reply key 650", TEST_STATUS_OK,
	    "{\"classes\": {}, \"categories\": {}, \"codes\": {\"650\": "
	    "{\"text\": {\"en\": {\"title\": \"N\"}}}}}",
	    "reply-codes.json", "650");
	test_bad(dir, "reply key 55", TEST_STATUS_OK,
	    "{\"classes\": {}, \"categories\": {}, \"codes\": {\"55\": "
	    "{\"text\": {\"en\": {\"title\": \"N\"}}}}}",
	    "reply-codes.json", "55");
	test_bad(dir, "missing text.en.title",
	    "{\"classes\": {}, \"subjects\": {}, \"details\": {\"1.1\": "
	    "{\"text\": {\"ru\": {\"title\": \"Только по-русски\"}}}}}",
	    TEST_REPLY_OK, "status-codes.json", "lang/ru.json");
	test_bad(dir, "no English title",
	    "{\"classes\": {}, \"subjects\": {}, \"details\": {\"1.1\": "
	    "{\"text\": {\"en\": {\"description\": \"D\"}}}}}",
	    TEST_REPLY_OK, "status-codes.json", "text.en.title");
	test_bad(dir, "missing text", TEST_STATUS_OK,
	    "{\"classes\": {}, \"categories\": {}, \"codes\": {\"550\": "
	    "{\"rfc\": \"RFC 5321\"}}}",
	    "reply-codes.json", "text.en.title");
	test_bad(dir, "empty title",
	    "{\"classes\": {\"5\": {\"text\": {\"en\": {\"title\": \"\"}}}},"
	    " \"subjects\": {}, \"details\": {}}",
	    TEST_REPLY_OK, "status-codes.json", "title");
	test_bad(dir, "reason not a string",
	    "{\"classes\": {}, \"subjects\": {}, \"details\": {\"1.1\": "
	    "{\"reason\": 5, \"text\": {\"en\": {\"title\": \"N\"}}}}}",
	    TEST_REPLY_OK, "status-codes.json", "reason");
	test_bad(dir, "missing \"details\"",
	    "{\"classes\": {}, \"subjects\": {}}", TEST_REPLY_OK,
	    "status-codes.json", "details");
	test_bad(dir, "entry not an object", TEST_STATUS_OK,
	    "{\"classes\": {}, \"categories\": {}, \"codes\": {\"550\": "
	    "\"Unavailable\"}}",
	    "reply-codes.json", "550");
	test_bad(dir, "duplicate key",
	    "{\"classes\": {}, \"subjects\": {}, \"details\": {\"1.1\": "
	    "{\"text\": {\"en\": {\"title\": \"A\"}}}, \"1.1\": "
	    "{\"text\": {\"en\": {\"title\": \"B\"}}}}}",
	    TEST_REPLY_OK, "status-codes.json", NULL);
	/* "1.01" is the slot of "1.1": the second would silently replace
	 * the first (codes.c: "each key must map to a distinct slot") */
	test_bad(dir, "two keys for one slot (1.1 and 1.01)",
	    "{\"classes\": {}, \"subjects\": {}, \"details\": {\"1.1\": "
	    "{\"text\": {\"en\": {\"title\": \"A\"}}}, \"1.01\": "
	    "{\"text\": {\"en\": {\"title\": \"B\"}}}}}",
	    TEST_REPLY_OK, "status-codes.json", "1.01");

	/* a missing file */
	{
		char path[512];

		(void)snprintf(path, sizeof(path), "%s/reply-codes.json", dir);
		(void)unlink(path);
		(void)test_write(dir, "status-codes.json", TEST_STATUS_OK);
		c = NULL;
		r = test_codes_load(dir, &c, &err);
		CHECK(r == -1 && c == NULL && err != NULL &&
		        strstr(err, "reply-codes.json") != NULL,
		    "a missing reply-codes.json: %s",
		    err != NULL ? err : "(none)");
		free(err);
	}

	{
		char path[512];

		(void)snprintf(path, sizeof(path), "%s/status-codes.json", dir);
		(void)unlink(path);
		(void)snprintf(path, sizeof(path), "%s/reply-codes.json", dir);
		(void)unlink(path);
		(void)snprintf(path, sizeof(path), "%s/lang/ru.json", dir);
		(void)unlink(path);
		(void)snprintf(path, sizeof(path), "%s/lang", dir);
		(void)rmdir(path);
	}
	(void)rmdir(dir);
}

/*
 * test_status_parse_null - SPAN_NULL (span.h's empty span) is a span like
 * any other; codes_status_parse must not hand its NULL pointer to memchr
 * (undefined behaviour: under SANITIZE=undefined this aborts, so it runs
 * last).
 */
static void
test_status_parse_null(void)
{
	struct codes_status st = { 99, 99, 99 };

	(void)fflush(stdout); /* keep the lines above if UBSan aborts */
	CHECK(codes_status_parse(SPAN_NULL, &st) == -1 && st.cls == 99,
	    "codes_status_parse(SPAN_NULL) fails");
}

int
main(void)
{
	test_status_parse();
	test_real_tables();
	test_bad_files();
	test_status_parse_null();
	texts_free(test_texts);
	return test_done();
}
