/* SPDX-License-Identifier: MIT */
/*
 * spffix_int.h - what the files of the SPF fix share (not an API)
 *
 * The state of one run of spffix_propose (struct fx) and the functions
 * one file of the fix offers the others: spffix_cost.c reads the answers
 * the check has and counts lookups through the include tree; spffix.c
 * builds, repairs and verifies the records, one strategy per result.
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

#endif
