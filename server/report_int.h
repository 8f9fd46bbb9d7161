/* SPDX-License-Identifier: MIT */
/*
 * report_int.h - what the files of the JSON answers share (not an API)
 *
 * report.c writes a diagnosis; report_check.c writes the live checks'
 * objects (under a diagnosis's "checks", or alone for the check
 * endpoints). Only report*.c include this.
 */
#ifndef REPORT_INT_H
#define REPORT_INT_H

#include <stddef.h>

#include "arena.h"
#include "jsonw.h"
#include "lang.h"

struct check_result;
struct texts;
struct texts_msg;

/* Where and in what language the checks' sentences (messages) are put
 * into words. */
struct report_say {
	struct arena *a;
	const struct texts *t;
	enum lang l;
};

/* key: the message in the answer's language, or null */
void report_kmsg(struct jsonw *w, const struct report_say *say, const char *key,
    const struct texts_msg *m);
/* "checks": {name: object, ...} of the nchecks results */
void report_checks_member(struct jsonw *w, const struct report_say *say,
    const struct check_result *checks, size_t nchecks);

#endif
