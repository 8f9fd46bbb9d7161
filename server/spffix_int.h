/* SPDX-License-Identifier: MIT */
/*
 * spffix_int.h - what the files of the SPF fix share (not an API)
 *
 * The state of one run of spffix_propose (struct fx) and the functions
 * one file of the fix offers the others:
 * - spffix.c: one strategy per result and spffix_propose, which picks
 *   one; the sentences and the re-evaluation of a corrected record;
 * - spffix_edit.c: the record's text edited (terms put in or taken out),
 *   repaired until it parses, several records merged into one;
 * - spffix_provider.c: the mail provider the hints point at, whether its
 *   include: can be used, what it costs while its record is unknown;
 * - spffix_cost.c: the answers the check has, and the lookups counted
 *   through the include tree.
 * Everything a function returns is in the run's scratch arena (fx->a).
 * Only spffix*.c include this.
 */
#ifndef SPFFIX_INT_H
#define SPFFIX_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spfaddr.h"
#include "spffix.h"
#include "spfrecord.h"

struct buf;

#define FX_MAX_MEMO    64   /* include targets whose cost is remembered */
#define FX_MAX_WORK    2000 /* records parsed while counting, at most */
#define FX_MAX_COST    999
#define FX_MAX_ROUNDS  16 /* syntax repairs of one record */
#define FX_MAX_LISTED  4  /* costly terms named in a warning */
#define FX_RECORD_BUF  (SPFRECORD_MAX_LEN * 2)
#define FX_ALL_NOTE    3 /* different all terms named when merging */
#define FX_VOID_LISTED 8

enum fx_txt {
	FX_TXT_OK,   /* one SPF record */
	FX_TXT_NONE, /* the name exists, no SPF record */
	FX_TXT_NXDOMAIN,
	FX_TXT_MULTI,   /* more than one SPF record */
	FX_TXT_ERROR,   /* no usable answer (timeout, SERVFAIL, ...) */
	FX_TXT_MISSING, /* not fetched (asked for, unless final) */
};

struct fx_memo {
	const char *name;
	unsigned cost;
	bool known;
	bool busy;
};

/* A term of a record and what it costs, for the warnings. */
struct fx_cost {
	const char *term;
	unsigned cost;
};

struct fx {
	struct arena *a; /* scratch */
	const struct spffix_in *in;
	const struct spf_outcome *o;
	spf_lookup_fn *lookup;
	void *arg;
	struct spf_pending pend[SPF_MAX_PENDING];
	size_t npend;
	bool missing;
	struct spfaddr ip;
	char ip_text[SPFADDR_MAX_TEXT];
	struct fx_memo memo[FX_MAX_MEMO];
	size_t nmemo;
	unsigned work;
	struct spffix *fix;
	/* the corrected record, read instead of the published one(s) */
	const char *ov_name;
	const char *ov_text;
	const char *loop; /* a record met again inside itself */
};

/*
 * Answers and lookup counting (spffix_cost.c)
 */

unsigned fx_cost(struct fx *fx, const char *record, bool *known);

/* fx_cost_name - the lookups the record of name costs (its own terms and
 * their targets'); *known cleared when a part of it could not be read */
unsigned fx_cost_name(struct fx *fx, const char *name, unsigned depth,
    bool *known);

/* fx_costly - the lookup terms of record, costliest first */
size_t fx_costly(struct fx *fx, const char *record, struct fx_cost *out,
    size_t max);

bool fx_has_all(const struct spfrecord *rec);

bool fx_has_macro(struct span s);

const char *fx_lower(struct fx *fx, const char *name);

/* fx_need - a query the fix could use: ask for it unless final */
void fx_need(struct fx *fx, const char *name, uint16_t type);

/* fx_txt - the one SPF record of name, as RFC 7208 §4.5 selects it */
enum fx_txt fx_txt(struct fx *fx, const char *name,
    const struct dnsmsg_answer **ans_out, struct span *out);

/*
 * Record text and syntax repairs (spffix_edit.c)
 */

/* fx_insert - term in front of the term at off, or at the end (off at or
 * past text.len) */
const char *fx_insert(struct fx *fx, struct span text, size_t off,
    const char *term);

/* fx_remove - the term at [off, off + len) and the spaces after it (or
 * before it, at the end) */
const char *fx_remove(struct fx *fx, struct span text, size_t off, size_t len);

/* fx_buf_str - the text of b, copied; b is cleared */
const char *fx_buf_str(struct fx *fx, struct buf *b);

/* fx_text - a record as a C string; a NUL byte (which makes a record
 * invalid) becomes DEL, which is just as invalid and can be removed */
const char *fx_text(struct fx *fx, struct span t);

/* fx_fix_modifiers - text with each "include=x", "ip4=..." (an unknown
 * modifier, ignored by RFC 7208 §6) made the mechanism meant, noted in
 * changes; text itself when nothing changed */
const char *fx_fix_modifiers(struct fx *fx, const char *text,
    const struct texts_msg **changes);

/* fx_repair - text made to parse: terms repaired or removed, each change
 * noted in changes, *first_err the parser's first complaint; NULL when it
 * cannot be (too long, bad version) */
const char *fx_repair(struct fx *fx, const char *text,
    const struct texts_msg **changes, const struct texts_msg **first_err);

/* fx_merge - one record from the SPF records of ans (*nrec of them);
 * *alls_out names their different all terms when there are several, else
 * NULL */
const char *fx_merge(struct fx *fx, const struct dnsmsg_answer *ans,
    size_t *nrec, const char **alls_out);

/*
 * Providers (spffix_provider.c)
 */

/* fx_provider - the provider the hints point at (the confirmed PTR name
 * decides when there is one, else the first name of the bounce that
 * matches), or NULL; *via is that name, *by_ptr whether it is the PTR */
const struct mailprov *fx_provider(struct fx *fx, const char **via,
    bool *by_ptr);

/* fx_usable - can p's include be used: 1 yes, 0 no (no record, several),
 * -1 not known (not fetched, a DNS error: the table is trusted) */
int fx_usable(struct fx *fx, const struct mailprov *p);

/* fx_table_cost - what to add to the count for p's include when its
 * record could not be read: the table's cost less what was counted */
unsigned fx_table_cost(struct fx *fx, const struct mailprov *p);

/*
 * Sentences (spffix.c)
 */

/* fx_msg - a new message with id ("spffix.*") */
struct texts_msg *fx_msg(struct fx *fx, const char *id);

/* fx_note - append one change to the list (NULL: none yet) */
void fx_note(struct fx *fx, const struct texts_msg **list,
    const struct texts_msg *change);

#endif
