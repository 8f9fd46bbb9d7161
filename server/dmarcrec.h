/* SPDX-License-Identifier: MIT */
/*
 * dmarcrec.h - a DMARC record's text: selection and parsing (RFC 7489
 * §6.3, §6.4, §6.6.3)
 *
 * API: dmarcrec_kind tells a DMARC record from the other TXT records of
 * a _dmarc name, and from one that only looks like one (a version in
 * another case, "v=DMARC2"), which receivers discard (§6.6.3 step 2).
 * dmarcrec_parse reads a record into its policy and options. It never
 * fails: what is wrong goes into the record's findings, with the tag, and
 * the tag keeps its default.
 * - The tag-list is RFC 6376 §3.2's (taglist.h). Tag names and keyword
 *   values are matched in any case, as §6.4's ABNF literals are
 *   ("P=Reject" is p=reject); the version is "DMARC1" exactly (%x44 ...).
 * - p= must come right after v= (§6.4); elsewhere it is still read, with
 *   a warning. A tag given twice keeps its first value (RFC 6376 §3.2
 *   makes the whole record invalid: an error). Unknown tags are ignored
 *   (§6.3), with a note; DMARCbis's np=, psd= and t= without one.
 * - §6.6.3 step 6: a record without a valid p=, or with an invalid sp=,
 *   counts as "v=DMARC1; p=none" when rua= holds a valid URI (p_assumed,
 *   p is none and sp unset), else it is not usable at all (usable false:
 *   no DMARC for the domain).
 * - rua= and ruf= are lists of URIs (dmarc-uri: a scheme, then no ',',
 *   '!', ';' or space; an optional size limit "!10m"); a mailto: URI
 *   needs an address. Invalid ones are left out; at most
 *   DMARCREC_MAX_URIS of each are kept.
 * - A record longer than DMARCREC_MAX_LEN is not read (not usable).
 * Findings: code "dmarc_syntax" (level error when the record or its
 * policy is not what it says, else warning), "dmarc_no_policy" (error:
 * the consequence of step 6), "dmarc_unknown_tag" (info); messages
 * "dmarc.syntax.*" and "taglist.*" with the tag and the value as data.
 * Not here: fetching and choosing the record, the organisational domain
 * and what the policy means for a domain (dmarccheck.c).
 * Ownership: borrows text, which must outlive the record; strings and
 * findings belong to the arena.
 */
#ifndef DMARCREC_H
#define DMARCREC_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "finding.h"
#include "span.h"

#define DMARCREC_MAX_LEN  4096 /* longer records are not read */
#define DMARCREC_MAX_URIS 8    /* rua= and ruf= URIs kept, each */

enum dmarcrec_kind {
	DMARCREC_OTHER,     /* not DMARC: ignored */
	DMARCREC_DMARC1,    /* "v" *WSP "=" *WSP "DMARC1", then ';', WSP or
			       the end */
	DMARCREC_LOOKALIKE, /* "v=dmarc" in some case, or after white
			       space, not the above: discarded by
			       receivers */
};

enum dmarcrec_policy {
	DMARCREC_P_UNSET, /* not given (sp), or no usable record */
	DMARCREC_P_NONE,
	DMARCREC_P_QUARANTINE,
	DMARCREC_P_REJECT,
};

enum dmarcrec_align {
	DMARCREC_RELAXED, /* r: the same organisational domain */
	DMARCREC_STRICT,  /* s: the same name */
};

struct dmarcrec {
	struct span text;
	bool usable;    /* false: receivers apply no DMARC (§6.6.3) */
	bool p_assumed; /* p=none taken for a missing or invalid p= or an
			   invalid sp=, because rua= is valid */
	enum dmarcrec_policy p;          /* UNSET only when not usable */
	enum dmarcrec_policy sp;         /* UNSET when not given (p applies) */
	enum dmarcrec_align adkim, aspf; /* relaxed unless given */
	unsigned pct;                    /* 100 unless given */
	unsigned long ri;                /* 86400 unless given */
	const char *fo;                  /* "0" unless given */
	const char *rf;                  /* "afrf" unless given */
	const char *rua[DMARCREC_MAX_URIS]; /* the valid ones, as written */
	size_t nrua;
	const char *ruf[DMARCREC_MAX_URIS];
	size_t nruf;
	struct findings findings;
};

/* What kind of TXT record txt is (§6.6.3 step 2). */
enum dmarcrec_kind dmarcrec_kind(struct span txt);

/* Reads text (any bytes; normally of kind DMARCREC_DMARC1, else it is
 * not usable) into out. */
void dmarcrec_parse(struct arena *a, struct span text, struct dmarcrec *out);

/* "none", "quarantine", "reject"; NULL for DMARCREC_P_UNSET. */
const char *dmarcrec_policy_str(enum dmarcrec_policy p);
/* "r", "s". */
const char *dmarcrec_align_str(enum dmarcrec_align al);

#endif
