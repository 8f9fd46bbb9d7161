/* SPDX-License-Identifier: MIT */
/*
 * mailprov.h - the mail providers an SPF fix may propose (rules/providers.json)
 *
 * API: mailprov_load(path, arena, &table, &err) reads the provider table
 * once at start-up (rules_load calls it); the table is plain C data that
 * the SPF fix (spffix.h) reads through its options and never sees JSON.
 * Each provider: its name, the domain its SPF record lives at (what
 * include: names), the outbound host names its servers' PTR names match
 * ('*' is any text; a pattern starting with '!' excludes), and what its
 * include: cost in lookups when the file was written (used only when the
 * record itself cannot be read). Only outbound names belong there, never
 * a provider's inbound MX names: the bounce names the receiving server
 * too.
 * Errors name the file and the entry ("providers[3].ptr[1]").
 * Ownership: the table and its strings belong to the arena passed in;
 * *err_out is owned (free).
 */
#ifndef MAILPROV_H
#define MAILPROV_H

#include <stddef.h>

#include "arena.h"

#define MAILPROV_MAX_LOOKUPS 10 /* RFC 7208 §4.6.4: more could never pass */

struct mailprov {
	const char *name;       /* "Google Workspace" */
	const char *include;    /* "_spf.google.com" */
	const char *const *ptr; /* outbound host name patterns */
	size_t nptr;
	unsigned lookups; /* 1..MAILPROV_MAX_LOOKUPS */
};

struct mailprov_table {
	const struct mailprov *v;
	size_t n;
};

/* Returns 0 with *out filled, or -1 with *err_out set. */
int mailprov_load(const char *path, struct arena *a, struct mailprov_table *out,
    char **err_out);

#endif
