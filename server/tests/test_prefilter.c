/* SPDX-License-Identifier: MIT */
/*
 * test_prefilter.c - required literals of patterns, and that the filter
 * never hides a match
 *
 * The last check is the one that matters: over the whole shipped catalog,
 * classifying every rule example with the prefilter gives exactly the same
 * candidates as running every pattern.
 */
#include <stdlib.h>
#include <string.h>

#include "bounce.h"
#include "prefilter.h"
#include "rules.h"
#include "test.h"

/* literals - the literal set of pattern, joined by '|', or "(none)" */
static const char *
literals(struct arena *a, const char *pattern)
{
	const char *const *l;
	size_t n;
	char *out;
	size_t len = 0;

	if (prefilter_literals(a, pattern, &l, &n) == -1)
		return "(none)";
	out = arena_alloc(a, 1024);
	out[0] = '\0';
	for (size_t i = 0; i < n && len < 900; i++) {
		len += (size_t)snprintf(out + len, 1024 - len, "%s%s",
		    i > 0 ? "|" : "", l[i]);
	}
	return out;
}

static void
extraction(void)
{
	struct arena *a = arena_new();
	static const char *const cases[][2] = {
		{ "\\bUser unknown\\b", "user unknown" },
		{ "mailbox (?:is )?full", "mailbox " },
		{ "(?:dnsbl|rbl)s?\\b", "dnsbl|rbl" },
		{ "foo|barbaz", "foo|barbaz" },
		{ "ab?cdef", "cdef" },
		{ "colou?r", "colo" },
		{ "x+yz", "yz" },
		{ "a.b", "(none)" },
		{ "\\d+ bytes", " bytes" },
		{ "\\x41BCD", "bcd" },
		{ "\\pLxyz", "xyz" },
		{ "openspf\\.(?:net|org)/why", "openspf." },
		{ "(?i)abc", "abc" },
		{ "[abc]defg", "defg" },
		{ "(?=foo)barbaz", "barbaz" },
		{ "quota|", "(none)" },
		{ "ab{0,2}cd", "cd" },
		{ "ЯЩИК переполнен", "ящик переполнен" },
		{ "ч[её]рн\\S* списк", " списк" },
		{ "(?:abc)?", "(none)" },
		{ "(a|b)cd", "cd" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_STR(literals(a, cases[i][0]), cases[i][1], cases[i][0]);
	arena_free(a);
}

static void
folding(void)
{
	struct arena *a = arena_new();
	struct span f = prefilter_fold(a,
	    span_cstr("MAILBOX Ящик ЁЖ \xe2\x84\xaa"
	              "elvin \xc5\xbfpam"));

	CHECK_STR(f.ptr, "mailbox ящик ёж kelvin spam",
	    "ASCII, Russian, Kelvin sign and long s fold");
	struct prefilter *pf = prefilter_new();
	unsigned char hits[2] = { 0, 0 };

	CHECK(prefilter_add(pf, "\\bKelvin\\b", 0) == 0 &&
	        prefilter_add(pf, "over quota", 1) == 0,
	    "both patterns have literals");
	prefilter_build(pf);
	prefilter_scan(pf, f, hits);
	CHECK(hits[0] == 1, "folded text holds the literal of pattern 0");
	CHECK(hits[1] == 0, "and not the literal of pattern 1");
	prefilter_free(pf);
	arena_free(a);
}

/* same_verdicts - the filter changes no classification of any example */
static void
same_verdicts(void)
{
	struct ruleset *with = NULL, *without = NULL;
	char *err = NULL;
	size_t texts = 0, differ = 0;

	if (!CHECK(rules_load("rules", TEST_RULES_FLAGS, &with, &err) == 0 &&
	            rules_load("rules", TEST_RULES_FLAGS | RULES_NO_PREFILTER,
	                &without, &err) == 0,
	        "catalog loads twice"))
		goto out;
	for (size_t i = 0; i < rules_count(with); i++) {
		const struct rule *r = rules_at(with, i);

		for (size_t j = 0; j < r->nexamples; j++) {
			struct arena *a = arena_new();
			struct bounce b;
			struct rules_verdict v1, v2;

			bounce_parse(a, span_cstr(r->examples[j]), &b);
			(void)rules_classify(with, a, b.failures[0].diag,
			    b.failures[0].reply_code, b.failures[0].status,
			    &v1);
			(void)rules_classify(without, a, b.failures[0].diag,
			    b.failures[0].reply_code, b.failures[0].status,
			    &v2);
			texts++;
			if (v1.nmatches != v2.nmatches) {
				differ++;
			} else {
				for (size_t k = 0; k < v1.nmatches; k++) {
					if (strcmp(v1.matches[k].rule->id,
					        v2.matches[k].rule->id) != 0 ||
					    v1.matches[k].pos !=
					        v2.matches[k].pos) {
						differ++;
						break;
					}
				}
			}
			arena_free(a);
		}
	}
	CHECK(texts > 100 && differ == 0,
	    "all %zu examples: same candidates with and without the filter "
	    "(%zu differ)",
	    texts, differ);
out:
	free(err);
	rules_free(with);
	rules_free(without);
}

int
main(void)
{
	extraction();
	folding();
	same_verdicts();
	return test_done();
}
