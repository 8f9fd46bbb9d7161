/* SPDX-License-Identifier: MIT */
/*
 * test.h - the unit test harness
 *
 * API: each test program is a main() calling CHECK(cond, fmt, ...) and
 * ending with return test_done(). Every check prints "ok N - what" or
 * "not ok N - what (file:line)"; test_done prints the closing line
 * "N passed, N failed" that CI reads and returns the exit status.
 * Tests run from the repository root (make unit-test does), so data paths
 * such as "rules" and "../shared" are relative to it.
 */
#ifndef TEST_H
#define TEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang.h"

static int test_passed, test_failed;

__attribute__((format(printf, 4, 5))) static inline bool
test_check(bool ok, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		test_passed++;
	else
		test_failed++;
	(void)printf("%s %d - ", ok ? "ok" : "not ok",
	    test_passed + test_failed);
	va_start(ap, fmt);
	(void)vprintf(fmt, ap);
	va_end(ap);
	if (!ok)
		(void)printf(" (%s:%d)", file, line);
	(void)printf("\n");
	return ok;
}

#define CHECK(cond, ...) test_check((cond), __FILE__, __LINE__, __VA_ARGS__)

static inline bool
test_streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* compare two strings, either may be NULL */
#define CHECK_STR(got, want, what)                                \
	test_check(test_streq((got), (want)), __FILE__, __LINE__, \
	    "%s: got \"%s\", want \"%s\"", (what),                \
	    (got) != NULL ? (got) : "(null)",                     \
	    (want) != NULL ? (want) : "(null)")

/* is the environment variable name set to val? */
static inline bool
test_env_is(const char *name, const char *val)
{
	const char *v = getenv(name);

	return v != NULL && strcmp(v, val) == 0;
}

#ifdef RULES_H
/* make valgrind sets BOUNCEDOC_REGEX_JIT=0: valgrind cannot follow JIT code */
#define TEST_RULES_FLAGS \
	(test_env_is("BOUNCEDOC_REGEX_JIT", "0") ? RULES_NO_JIT : 0u)
#endif

/* The language whose code is code in ls: tests name a language by its
 * code, not by its place in the set, which grows with every translation.
 * A set without it ends the test run. */
static inline enum lang
test_lang_of(const struct langs *ls, const char *code)
{
	for (size_t l = 0; l < ls->n; l++) {
		if (strcmp(ls->code[l], code) == 0)
			return (enum lang)l;
	}
	(void)printf("Bail out! no language %s\n", code);
	exit(1);
}

#ifdef TEXTS_H
/* test_texts_shipped - the texts of rules/ as the service loads them
 * (the translations and rules/messages.json), or NULL after a failed
 * check; free with texts_free. Include texts.h before test.h. */
static inline struct texts *
test_texts_shipped(void)
{
	struct texts *t = NULL;
	char *err = NULL;

	if (CHECK(texts_load("rules", &t, &err) == 0 &&
	            texts_load_messages(t, "rules/messages.json", &err) == 0,
	        "the shipped texts load: %s", err != NULL ? err : ""))
		return t;
	free(err);
	texts_free(t);
	return NULL;
}
#endif

#ifdef DNSFIX_H
/* test_dnsfix_new - the fixture DNS server on 127.0.0.1 (an ephemeral
 * port), on loop, serving an empty zone; NULL after a failed check. Free
 * with dnsfix_free. Include dnsfix.h before test.h. */
static inline struct dnsfix *
test_dnsfix_new(struct evloop *loop)
{
	char *err = NULL;
	struct dnsfix *f = dnsfix_new(loop, "127.0.0.1", 0, &err);

	if (!CHECK(f != NULL, "fixture DNS server starts: %s",
	        err != NULL ? err : ""))
		free(err);
	return f;
}

#ifdef RESOLVER_H
/* test_resolver_for - a resolver on loop that asks f and nothing else
 * (timeout_ms per try, tries), so no test reaches a real DNS server;
 * NULL after a failed check. Free with resolver_free. Include resolver.h
 * and dnsfix.h before test.h. */
static inline struct resolver *
test_resolver_for(struct evloop *loop, const struct dnsfix *f,
    unsigned timeout_ms, unsigned tries)
{
	char servers[32];
	const char *err = NULL;
	struct resolver_config rc = { servers, timeout_ms, tries };
	struct resolver *r;

	(void)snprintf(servers, sizeof(servers), "127.0.0.1:%u",
	    (unsigned)dnsfix_port(f));
	r = resolver_new(loop, &rc, &err);
	(void)CHECK(r != NULL, "resolver starts: %s", err != NULL ? err : "");
	return r;
}
#endif
#endif
#ifdef FINDING_H
#include "texts_msg.h"

/* test_findings_str - the codes (ids false) or the message ids (ids
 * true) of list, in order, separated by spaces; "" for none. Include
 * finding.h before test.h. */
static inline const char *
test_findings_str(struct arena *a, const struct findings *list, bool ids)
{
	char *out = arena_strndup(a, "", 0);

	for (size_t i = 0; i < list->n; i++)
		out = arena_printf(a, "%s%s%s", out, i > 0 ? " " : "",
		    ids ? list->v[i].msg->id : list->v[i].code);
	return out;
}
#endif

#if defined(TEXTS_H) && defined(FINDING_H)
/* test_findings_worded - does every finding of list read as a sentence
 * in every language of t: its id (or plural family) is known, no
 * placeholder is left? Include texts.h and finding.h before test.h. */
static inline bool
test_findings_worded(const struct texts *t, const struct findings *list,
    const char *what)
{
	const struct langs *ls = texts_langs(t);
	struct arena *a = arena_new();
	bool ok = true;

	for (size_t i = 0; i < list->n; i++) {
		for (size_t l = 0; l < ls->n; l++) {
			const struct texts_msg *m = list->v[i].msg;
			const char *s = texts_render(a, t, (enum lang)l, m);

			if (s == NULL || strcmp(s, m->id) == 0 ||
			    strchr(s, '{') != NULL) {
				(void)printf("# %s: %s in %s: \"%s\"\n", what,
				    m->id, ls->code[l], s != NULL ? s : "");
				ok = false;
			}
		}
	}
	arena_free(a);
	return CHECK(ok, "%s: every finding is worded in every language", what);
}
#endif

static inline int
test_done(void)
{
	(void)printf("%d passed, %d failed\n", test_passed, test_failed);
	(void)fflush(stdout);
	return test_failed == 0 ? 0 : 1;
}

#endif
