/* SPDX-License-Identifier: MIT */
/*
 * prefilter.h - literals a regular expression cannot match without
 *
 * API: prefilter_literals(arena, pattern, &lits, &n) reads a PCRE2 pattern
 * (as written in the rule catalog: caseless, UTF) and returns a set of
 * literal strings such that every match contains at least one of them; it
 * returns -1 when it cannot name such a set (then the pattern must always
 * run). prefilter_fold folds a text the same way the literals are folded
 * (ASCII and Cyrillic lowercased, and the non-ASCII letters that caseless
 * Unicode matching equates with ASCII or Russian ones mapped to them).
 * The analysis is conservative: anything it does not understand only
 * makes the set smaller or absent, never wrong.
 *
 * The index: prefilter_new → prefilter_add(pattern, id)
 * for each → prefilter_build; then prefilter_scan passes over a folded
 * text once and marks every id one of whose literals occurs (an index of
 * the literals by their first two bytes), which is what a classification
 * of hundreds of patterns needs.
 * Ownership: literals and folded text belong to the arena; prefilter_new
 * returns owned (prefilter_free).
 */
#ifndef PREFILTER_H
#define PREFILTER_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "span.h"

int prefilter_literals(struct arena *a, const char *pattern,
    const char *const **lits_out, size_t *n_out);
struct span prefilter_fold(struct arena *a, struct span text);

struct prefilter;

struct prefilter *prefilter_new(void);
void prefilter_free(struct prefilter *pf);
/* Index the literals of pattern under id. Returns 0, or -1 when the
 * pattern has no literal set: such a pattern must always run. */
int prefilter_add(struct prefilter *pf, const char *pattern, uint32_t id);
void prefilter_build(struct prefilter *pf);
/* Set hits[id] = 1 for each id with a literal in folded. hits has one
 * byte per id and is zeroed by the caller. */
void prefilter_scan(const struct prefilter *pf, struct span folded,
    unsigned char *hits);

#endif
