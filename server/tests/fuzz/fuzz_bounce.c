/* SPDX-License-Identifier: MIT */
/*
 * fuzz_bounce.c - libFuzzer target for a whole diagnosis
 *
 * Each input goes through diag_new as the service runs it (the rule
 * catalog and a MIME decoder, both loaded once) and then report_diagnosis:
 * MIME, DSN fields, prose splitting, entity extraction, classification,
 * templates and the JSON writer. The answer language follows the input's
 * length (odd: Russian). The properties callers rely on are checked and a
 * violation aborts, so the fuzzer reports it like a crash: at least one
 * and at most MESSAGE_MAX_FAILURES results, each with a reason; a JSON
 * document that jansson parses (so valid UTF-8, no NUL) as an object with
 * a non-empty "results" array, unless the input has nothing to diagnose.
 * The catalog is read from "rules" (run from the repository root), or
 * from $BOUNCEDOC_RULES; BOUNCEDOC_REGEX_JIT=0 turns the pcre2 JIT off
 * (for valgrind).
 * Built by `make fuzz` (clang, libFuzzer) and, with replay.c, by `make
 * fuzz-replay`, which runs the corpus in corpus/bounce/ as a regression
 * test.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounce.h"
#include "diag.h"
#include "lang.h"
#include "message.h"
#include "mime.h"
#include "report.h"
#include "rules.h"
#include "span.h"
#include "texts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fuzz_env - the catalog and the decoder, once for the whole run as in
 * the service (never freed: LeakSanitizer only reports memory that
 * nothing points to) */
static const struct diag_env *
fuzz_env(void)
{
	static struct diag_env env;
	static struct ruleset *rs;
	const char *dir = getenv("BOUNCEDOC_RULES");
	const char *jit = getenv("BOUNCEDOC_REGEX_JIT");
	char *err = NULL;

	if (rs != NULL)
		return &env;
	if (dir == NULL || dir[0] == '\0')
		dir = "rules";
	if (rules_load(dir,
	        jit != NULL && strcmp(jit, "0") == 0 ? RULES_NO_JIT : 0, &rs,
	        &err) == -1) {
		(void)fprintf(stderr,
		    "fuzz_bounce: cannot load the rule catalog from %s (run "
		    "from the repository root or set BOUNCEDOC_RULES): %s\n",
		    dir, err != NULL ? err : "?");
		abort();
	}
	env.rules = rs;
	env.mime = mime_decoder_new();
	return &env;
}

/* fuzz_check_json - the rendered diagnosis is an object that jansson
 * accepts, with a non-empty results array of objects with a reason */
static void
fuzz_check_json(const char *json, size_t len, bool empty)
{
	json_error_t jerr;
	json_t *doc = json_loadb(json, len, 0, &jerr);
	json_t *results, *r;
	size_t i;

	if (doc == NULL || !json_is_object(doc)) {
		(void)fprintf(stderr, "fuzz_bounce: invalid JSON: %s at %d\n",
		    doc == NULL ? jerr.text : "not an object", jerr.position);
		abort();
	}
	results = json_object_get(doc, "results");
	if (!json_is_array(results) ||
	    (!empty && json_array_size(results) == 0))
		abort();
	json_array_foreach(results, i, r)
	{
		if (!json_is_string(json_object_get(r, "reason")) ||
		    !json_is_string(json_object_get(r, "diagnostic")))
			abort();
	}
	if (!json_is_object(json_object_get(doc, "entities")) ||
	    !json_is_array(json_object_get(doc, "anomalies")))
		abort();
	json_decref(doc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct diag_env *env = fuzz_env();
	/* every language served, by the input's size */
	enum lang l =
	    (enum lang)(size % texts_langs(rules_texts(env->rules))->n);
	struct diag *d;
	char *json;
	size_t len = 0;
	bool empty;

	d = diag_new(env, span_make((const char *)data, size), l, 0);
	if (d->nresults < 1 || d->nresults > MESSAGE_MAX_FAILURES)
		abort();
	for (size_t i = 0; i < d->nresults; i++) {
		const struct diag_result *r = &d->results[i];

		if (r->reason == NULL || r->title == NULL ||
		    r->summary == NULL || r->decision == NULL)
			abort();
		/* a failure has someone to act, a permanent one never a
		 * retry; what is no failure has no permanence */
		if (r->failure &&
		    (r->fix_by == NULL ||
		        (r->permanent && strcmp(r->fix_by, "retry") == 0)))
			abort();
		if (!r->failure &&
		    (r->permanent || r->hard_bounce ||
		        r->permanent_source != DIAG_PERM_NONE))
			abort();
	}
	empty = bounce_is_empty(&d->bounce);
	json = report_diagnosis(d, NULL, 0, &len);
	if (json == NULL || strlen(json) != len)
		abort();
	fuzz_check_json(json, len, empty);
	free(json);
	diag_free(d);
	return 0;
}
