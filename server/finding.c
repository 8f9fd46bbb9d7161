/* SPDX-License-Identifier: MIT */
/*
 * finding.c - what a live check found wrong
 *
 * Not here: the checks that find (mxcheck.c, ...), the JSON (report.c).
 */
#include "finding.h"

#include <string.h>

void
findings_add(struct arena *a, struct findings *list, const char *code,
    enum finding_level level, const struct texts_msg *msg)
{
	if (list->n == list->cap) {
		size_t cap = list->cap == 0 ? 8 : list->cap * 2;
		struct finding *v = arena_alloc(a, cap * sizeof(*v));

		if (list->n > 0)
			memcpy(v, list->v, list->n * sizeof(*v));
		list->v = v;
		list->cap = cap;
	}
	list->v[list->n++] = (struct finding){ code, level, msg };
}

const struct finding *
findings_find(const struct findings *list, const char *code)
{
	for (size_t i = 0; i < list->n; i++) {
		if (strcmp(list->v[i].code, code) == 0)
			return &list->v[i];
	}
	return NULL;
}

const char *
finding_level_str(enum finding_level l)
{
	switch (l) {
	case FINDING_ERROR:
		return "error";
	case FINDING_WARNING:
		return "warning";
	default:
		return "info";
	}
}
