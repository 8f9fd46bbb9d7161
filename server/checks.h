/* SPDX-License-Identifier: MIT */
/*
 * checks.h - the table of live checks: which reasons call for which check
 *
 * API: the table lists every check (check.h) in the order they start and
 * are reported, each with the reasons that call for it. checks_count and
 * checks_kind walk it; checks_wanted(i, d, &in) says whether diagnosis d
 * calls for check i: a result's reason is one of the entry's and d has
 * every entity the kind needs, which it puts into in. A selection is a
 * bit mask over the table (bit i: check i may run); checks_parse turns
 * the request option (?checks=, --no-dns) into one.
 * Not here: the checks themselves (check_spf.c, ...), running them
 * (diagrun.c).
 * Ownership: kinds are static; checks_wanted puts views of d into in.
 */
#ifndef CHECKS_H
#define CHECKS_H

#include <stdbool.h>
#include <stddef.h>

#include "check.h"
#include "diag.h"

#define CHECKS_MAX 16 /* entries the table may have: bits of a selection */

size_t checks_count(void);
/* i < checks_count() */
const struct check_kind *checks_kind(size_t i);

/* Does d call for check i? If so, sets in->why and the entities (the rest
 * of in is the caller's) and returns true; else leaves in alone. */
bool checks_wanted(size_t i, const struct diag *d, struct check_in *in);

/* The selection a request asks for: "auto" (also NULL, the default) is
 * every check of the table, each run when the diagnosis calls for it;
 * "none" is no check. Returns 0, or -1 for any other value. */
int checks_parse(const char *value, unsigned *sel_out);

#endif
