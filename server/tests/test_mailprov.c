/* SPDX-License-Identifier: MIT */
/*
 * test_mailprov.c - the provider table's loader (rules/providers.json)
 *
 * The shipped file loads; a bad entry stops the load with the file and
 * where it is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "mailprov.h"
#include "test.h"

/* load_text - write text to a scratch file and load it */
static int
load_text(struct arena *a, const char *text, char *path, size_t size,
    struct mailprov_table *out, char **err)
{
	int fd;
	FILE *f;

	(void)snprintf(path, size, "/tmp/bouncedoc-providers-XXXXXX");
	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		perror("mkstemp");
		exit(1);
	}
	(void)fputs(text, f);
	(void)fclose(f);
	return mailprov_load(path, a, out, err);
}

static void
test_shipped(struct arena *a)
{
	struct mailprov_table t = { NULL, 0 };
	char *err = NULL;
	const struct mailprov *g = NULL;

	if (!CHECK(mailprov_load("rules/providers.json", a, &t, &err) == 0,
	        "the shipped file loads: %s", err != NULL ? err : "")) {
		free(err);
		return;
	}
	CHECK(t.n >= 15, "it lists the providers (%zu)", t.n);
	for (size_t i = 0; i < t.n; i++) {
		if (strcmp(t.v[i].name, "Google Workspace") == 0)
			g = &t.v[i];
	}
	if (CHECK(g != NULL, "Google Workspace is there"))
		CHECK(strcmp(g->include, "_spf.google.com") == 0 &&
		        g->nptr == 2 &&
		        strcmp(g->ptr[0], "mail-*.google.com") == 0 &&
		        g->lookups == 4,
		    "with its include, patterns and cost");
}

static void
test_good(struct arena *a)
{
	struct mailprov_table t = { NULL, 0 };
	char path[64], *err = NULL;
	int r = load_text(a,
	    "{\"providers\": [{\"name\": \"Example Relay\", "
	    "\"include\": \"_spf.relay.example\", "
	    "\"ptr\": [\"out*.relay.example\", \"!in.relay.example\"], "
	    "\"lookups\": 2}]}",
	    path, sizeof(path), &t, &err);

	if (CHECK(r == 0, "an operator's provider loads: %s",
	        err != NULL ? err : ""))
		CHECK(t.n == 1 && strcmp(t.v[0].name, "Example Relay") == 0 &&
		        strcmp(t.v[0].include, "_spf.relay.example") == 0 &&
		        t.v[0].nptr == 2 &&
		        strcmp(t.v[0].ptr[1], "!in.relay.example") == 0 &&
		        t.v[0].lookups == 2,
		    "as written");
	free(err);
	(void)unlink(path);
}

/* refused - loading text fails naming the file and want */
static void
refused(struct arena *a, const char *what, const char *text, const char *want)
{
	struct mailprov_table t = { NULL, 0 };
	char path[64], *err = NULL;
	int r = load_text(a, text, path, sizeof(path), &t, &err);

	CHECK(r == -1 && err != NULL && strstr(err, path) != NULL &&
	        strstr(err, want) != NULL,
	    "%s is refused naming the file and \"%s\" (got: %s)", what, want,
	    err != NULL ? err : "loaded");
	free(err);
	(void)unlink(path);
}

#define GOOD_ENTRY                                                                   \
	"{\"name\": \"A\", \"include\": \"a.example\", \"ptr\": [\"*.a.example\"], " \
	"\"lookups\": 1}"

static void
test_bad(struct arena *a)
{
	refused(a, "not JSON", "{\"providers\": [", "");
	refused(a, "no list", "{\"providers\": {}}", "providers");
	refused(a, "an unknown top-level key",
	    "{\"providers\": [], \"extra\": 1}", "extra");
	refused(a, "an entry that is no object",
	    "{\"providers\": [" GOOD_ENTRY ", 3]}", "providers[1]");
	refused(a, "an unknown key",
	    "{\"providers\": [" GOOD_ENTRY ", {\"name\": \"B\", "
	    "\"include\": \"b.example\", \"ptr\": [\"b.example\"], "
	    "\"lookups\": 1, \"mx\": []}]}",
	    "providers[1]");
	refused(a, "no name",
	    "{\"providers\": [{\"include\": \"a.example\", "
	    "\"ptr\": [\"a.example\"], \"lookups\": 1}]}",
	    "providers[0]");
	refused(a, "an include that is no domain",
	    "{\"providers\": [{\"name\": \"A\", \"include\": \"a b\", "
	    "\"ptr\": [\"a.example\"], \"lookups\": 1}]}",
	    "providers[0]");
	refused(a, "an empty pattern list",
	    "{\"providers\": [{\"name\": \"A\", \"include\": \"a.example\", "
	    "\"ptr\": [], \"lookups\": 1}]}",
	    "providers[0]");
	refused(a, "a pattern with a space",
	    "{\"providers\": [" GOOD_ENTRY ", {\"name\": \"B\", "
	    "\"include\": \"b.example\", \"ptr\": [\"b.example\", \"x y\"], "
	    "\"lookups\": 1}]}",
	    "providers[1].ptr[1]");
	refused(a, "a bare \"!\"",
	    "{\"providers\": [{\"name\": \"A\", \"include\": \"a.example\", "
	    "\"ptr\": [\"!\"], \"lookups\": 1}]}",
	    "providers[0].ptr[0]");
	refused(a, "a cost past the limit",
	    "{\"providers\": [{\"name\": \"A\", \"include\": \"a.example\", "
	    "\"ptr\": [\"a.example\"], \"lookups\": 11}]}",
	    "providers[0]");
	refused(a, "no cost",
	    "{\"providers\": [{\"name\": \"A\", \"include\": \"a.example\", "
	    "\"ptr\": [\"a.example\"]}]}",
	    "providers[0]");
	refused(a, "a name listed twice",
	    "{\"providers\": [" GOOD_ENTRY ", " GOOD_ENTRY "]}",
	    "providers[1]");
}

int
main(void)
{
	struct arena *a = arena_new();

	test_shipped(a);
	test_good(a);
	test_bad(a);
	arena_free(a);
	return test_done();
}
