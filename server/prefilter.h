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
 * text once and marks every id whose literals occur (one Aho-Corasick
 * automaton of all the literals), which is what a classification of
 * hundreds of patterns needs. A pattern of one branch may need several
 * literal sets ("mailbox" and "(?:full|over quota)"): it is marked only
 * when a literal of each occurs.
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
/* Set hits[id] = 1 for each id whose literal sets all occur in folded,
 * else 0, and list those ids in ids_out (in no particular order). hits
 * has one byte per id and is zeroed by the caller; ids_out has room for
 * one entry per id. Returns how many ids it listed. */
size_t prefilter_scan(const struct prefilter *pf, struct span folded,
    unsigned char *hits, uint32_t *ids_out);

#endif
