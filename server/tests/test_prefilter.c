/* SPDX-License-Identifier: MIT */
/*
 * test_prefilter.c - required literals of patterns, and that the filter
 * never hides a match
 *
 * The last check is the one that matters: over the whole shipped catalog,
 * classifying every rule example with the prefilter gives exactly the same
 * candidates as running every pattern.
 */
#include <stdint.h>
#include <stdio.h>
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
		/* scripts without case match only themselves */
		{ "連絡しようとしたグループ", "連絡しようとしたグループ" },
		{ "שניסית ליצור", "שניסית ליצור" },
		/* Greek has case and is not folded: no literal */
		{ "ομάδα", "(none)" },
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
	uint32_t ids[2];

	CHECK(prefilter_add(pf, "\\bKelvin\\b", 0) == 0 &&
	        prefilter_add(pf, "over quota", 1) == 0,
	    "both patterns have literals");
	prefilter_build(pf);
	CHECK(prefilter_scan(pf, f, hits, ids) == 1 && ids[0] == 0,
	    "one candidate: pattern 0");
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

/* scan_one - is pattern id 0 a candidate for text, in an index of the
 * given patterns? */
static bool
scan_one(struct prefilter *pf, const char *text, size_t npat)
{
	struct arena *a = arena_new();
	unsigned char *hits = arena_zalloc(a, npat + 1);
	uint32_t *ids = arena_alloc(a, (npat + 1) * sizeof(*ids));
	bool hit;

	(void)prefilter_scan(pf, prefilter_fold(a, span_cstr(text)), hits, ids);
	hit = hits[0] == 1;
	arena_free(a);
	return hit;
}

/* a pattern of one branch needs every run and mandatory group it has */
static void
conjunction(void)
{
	struct prefilter *pf = prefilter_new();

	CHECK(prefilter_add(pf, "\\bmailbox (?:is )?(?:full|over quota)\\b",
	          0) == 0 &&
	        prefilter_add(pf, "\\b(?:user|mailbox) unknown|no such user",
	            1) == 0,
	    "both patterns have literals");
	prefilter_build(pf);
	CHECK(scan_one(pf, "550 Mailbox is FULL", 2),
	    "\"mailbox\" and \"full\": a candidate");
	CHECK(!scan_one(pf, "552 mailbox unavailable", 2),
	    "\"mailbox\" alone: no candidate");
	CHECK(!scan_one(pf, "the disk is full", 2),
	    "\"full\" alone: no candidate");
	CHECK(scan_one(pf, "full: the mailbox is", 2),
	    "both in another order: still a candidate (the regex decides)");
	prefilter_free(pf);
}

/* test_xorshift - deterministic pseudo-random numbers */
static uint64_t
test_xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * automaton - the index finds exactly the patterns whose literals occur:
 * random literals over a small alphabet share prefixes and are suffixes of
 * each other (what the automaton's failure links are for), and the
 * patterns "X.*Y" need both runs. Checked against strstr.
 */
static void
automaton(void)
{
	enum {
		NPAT = 120,
		NTEXT = 400
	};

	static const char alpha[] = "abc ";
	char pat[NPAT][2][8], re[32], text[48];
	bool two[NPAT];
	uint64_t seed = 0x13198a2e03707344u;
	struct prefilter *pf = prefilter_new();
	struct arena *a = arena_new();
	unsigned char hits[NPAT];
	uint32_t ids[NPAT];
	size_t bad = 0, nadded = 0, ncand = 0;

	for (size_t p = 0; p < NPAT; p++) {
		two[p] = p % 3 == 0;
		for (size_t k = 0; k < 2; k++) {
			size_t n = 3 + test_xorshift(&seed) % 4;

			for (size_t i = 0; i < n; i++)
				pat[p][k][i] = alpha[test_xorshift(&seed) % 4];
			pat[p][k][n] = '\0';
		}
		(void)snprintf(re, sizeof(re), "%.7s%s%.7s", pat[p][0],
		    two[p] ? ".*" : "", two[p] ? pat[p][1] : "");
		nadded += prefilter_add(pf, re, (uint32_t)p) == 0;
	}
	prefilter_build(pf);
	for (size_t t = 0; t < NTEXT; t++) {
		size_t n = test_xorshift(&seed) % (sizeof(text) - 1), got;

		for (size_t i = 0; i < n; i++)
			text[i] = alpha[test_xorshift(&seed) % 4];
		text[n] = '\0';
		memset(hits, 0, sizeof(hits));
		got = prefilter_scan(pf, prefilter_fold(a, span_cstr(text)),
		    hits, ids);
		for (size_t p = 0; p < NPAT; p++) {
			bool want = strstr(text, pat[p][0]) != NULL &&
			    (!two[p] || strstr(text, pat[p][1]) != NULL);

			bad += (hits[p] == 1) != want;
			ncand += want;
		}
		for (size_t k = 0; k < got; k++)
			bad += hits[ids[k]] != 1;
	}
	CHECK(nadded == NPAT && bad == 0,
	    "%d random patterns over %d random texts: candidates are exactly "
	    "the patterns whose literals occur (%zu expected, %zu wrong)",
	    NPAT, NTEXT, ncand, bad);
	arena_free(a);
	prefilter_free(pf);
}

int
main(void)
{
	extraction();
	folding();
	conjunction();
	automaton();
	same_verdicts();
	return test_done();
}
