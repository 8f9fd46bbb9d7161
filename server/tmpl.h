/* SPDX-License-Identifier: MIT */
/*
 * tmpl.h - fill {name|fallback} placeholders in rule texts
 *
 * API: tmpl_expand(arena, template, lookup, arg) copies the template,
 * replacing each {name|fallback} with lookup(name) or, when that returns
 * NULL, with the fallback text ({name} without a fallback becomes empty).
 * {{ and }} stand for literal braces; a brace that opens no well-formed
 * placeholder is copied as it is.
 * Ownership: the result belongs to the arena; lookup results are copied.
 */
#ifndef TMPL_H
#define TMPL_H

#include "arena.h"
#include "span.h"

typedef const char *tmpl_lookup_fn(struct span name, void *arg);

char *tmpl_expand(struct arena *a, const char *tmpl, tmpl_lookup_fn *lookup,
    void *arg);

#endif
