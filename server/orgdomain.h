/* SPDX-License-Identifier: MIT */
/*
 * orgdomain.h - host names as the checks take them, and their
 * organisational domain (RFC 7489 §3.2, the Public Suffix List)
 *
 * API: orgdomain_is_name tells whether a name can be looked up as the
 * DMARC and DKIM checks do; orgdomain_of gives the organisational domain
 * of a name: the public suffix it ends in (the longest rule of the list
 * that matches, wildcards and exceptions applied) and one label more
 * ("mail.example.co.uk" → "example.co.uk"). The list is libpsl's, in both
 * of its sections (ICANN and private), as DMARC receivers use it.
 * Where the list comes from: psl_latest(), the first time orgdomain_of
 * runs: the newer of the file of Debian's publicsuffix package
 * (/usr/share/publicsuffix/public_suffix_list.dafsa) and the list built
 * into Debian's libpsl5 (from the same package at build time), so a bare
 * Debian 12 without publicsuffix still has one. orgdomain_data says which
 * is in use; orgdomain_cleanup drops it (at shutdown, for leak checkers).
 * The loaded list is the one process-wide state of this module: loaded
 * once, never changed after, read by the one thread.
 * Not here: what DMARC makes of the organisational domain (dmarccheck.c).
 * This is the only file that includes <libpsl.h>.
 * Ownership: names are borrowed; orgdomain_of writes into the caller's
 * buffer.
 */
#ifndef ORGDOMAIN_H
#define ORGDOMAIN_H

#include <stdbool.h>

#include "span.h"

#define ORGDOMAIN_MAX       254 /* a name as text (253 bytes) and its NUL */
#define ORGDOMAIN_MAX_NAME  253
#define ORGDOMAIN_MAX_LABEL 63

/* Is name made of labels of 1 to 63 bytes of letters, digits, '-' (not
 * first or last) and '_', at most 253 bytes, with one final dot allowed?
 * A single label is a name ("selector1"). */
bool orgdomain_is_name(struct span name);

/* The organisational domain of name (RFC 7489 §3.2), lowercased and
 * without a final dot, written into buf. Returns buf, or NULL when name
 * is no name (orgdomain_is_name, or its last label is all digits: an
 * address), when it is a public suffix itself ("co.uk", "com": no label
 * is left to add), or when no list could be loaded. */
const char *orgdomain_of(struct span name, char buf[ORGDOMAIN_MAX]);

/* Where the list in use comes from: a file's path, "builtin" (libpsl's
 * own), or NULL when there is none. Loads it if it is not yet. A static
 * string. */
const char *orgdomain_data(void);

/* Frees the list; the next orgdomain_of loads it again. */
void orgdomain_cleanup(void);

#endif
