/* SPDX-License-Identifier: MIT */
/*
 * finding.h - what a live check found wrong, as data and a sentence
 *
 * A finding is a stable code that tools key on ("null_mx",
 * "mx_is_cname", "ptr_not_confirmed", ...), a level and a sentence in no
 * language yet (texts_msg.h), rendered by report.c as
 * {"code", "level", "text"} in the answer's problems. Checks (MX, reverse
 * DNS, blocklists, DMARC, DKIM) collect theirs in a struct findings.
 * API: findings_add(arena, list, code, level, msg) appends one (the list
 * grows in the arena); findings_find gives the first of a code, or NULL;
 * finding_level_str names a level.
 * Ownership: the list and its entries live in the arena; code is a
 * string literal, msg belongs to the arena.
 */
#ifndef FINDING_H
#define FINDING_H

#include <stddef.h>

#include "arena.h"

struct texts_msg;

enum finding_level {
	FINDING_ERROR,   /* mail fails, or will, because of it */
	FINDING_WARNING, /* against a standard or a good practice; mail may
			    suffer */
	FINDING_INFO,    /* worth knowing, not wrong */
};

struct finding {
	const char *code;
	enum finding_level level;
	const struct texts_msg *msg;
};

struct findings {
	struct finding *v;
	size_t n, cap;
};

void findings_add(struct arena *a, struct findings *list, const char *code,
    enum finding_level level, const struct texts_msg *msg);
const struct finding *findings_find(const struct findings *list,
    const char *code);
/* "error", "warning", "info" */
const char *finding_level_str(enum finding_level l);

#endif
