/* SPDX-License-Identifier: MIT */
/*
 * codes.h - what SMTP reply codes and enhanced status codes mean
 *
 * API: codes_load(dir) reads status-codes.json (the IANA registry of RFC
 * 3463 enhanced status codes) and reply-codes.json (RFC 5321 §4.2) once at
 * start-up; the lookups then answer with an entry holding multilingual
 * title and description and, for specific codes, a fallback reason and
 * fix_by used when no rule matched. codes_status_parse and
 * codes_reply_parse split a code into its numbers.
 * Ownership: codes_load returns owned (codes_free); entries are views valid
 * until codes_free.
 */
#ifndef CODES_H
#define CODES_H

#include <stdbool.h>

#include "lang.h"
#include "span.h"

#define CODES_MAX_SUBJECT 7
#define CODES_MAX_DETAIL  99

struct codes_entry {
	const char
	    *id; /* of its texts: "status.details.1.1", "reply.codes.550" */
	struct ltext title;
	struct ltext description;
	const char *rfc;    /* may be NULL */
	const char *reason; /* fallback reason, may be NULL */
	const char *fix_by; /* fallback fix_by, may be NULL */
};

/* An enhanced status code, RFC 3463 §2: class.subject.detail */
struct codes_status {
	unsigned cls, subject, detail;
};

struct codes;
struct texts;

/* Returns 0 and *out, or -1 with *err_out (owned) naming file and entry. */
int codes_load(const char *dir, struct texts *texts, struct codes **out,
    char **err_out);
void codes_free(struct codes *c);

/* Parse "5.7.1". Returns 0 when s is a well-formed code. */
int codes_status_parse(struct span s, struct codes_status *out);

const struct codes_entry *codes_status_class(const struct codes *c,
    unsigned cls);
const struct codes_entry *codes_status_subject(const struct codes *c,
    unsigned subject);
const struct codes_entry *codes_status_detail(const struct codes *c,
    unsigned subject, unsigned detail);

const struct codes_entry *codes_reply_class(const struct codes *c,
    unsigned first);
const struct codes_entry *codes_reply_category(const struct codes *c,
    unsigned second);
const struct codes_entry *codes_reply_code(const struct codes *c,
    unsigned code);

/* Visit every entry that carries a fallback reason (for validation). */
typedef int codes_visit_fn(const struct codes_entry *e, const char *what,
    void *arg);
int codes_visit(const struct codes *c, codes_visit_fn *fn, void *arg);

#endif
