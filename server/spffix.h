/* SPDX-License-Identifier: MIT */
/*
 * spffix.h - a concrete fix for an SPF fail, softfail, permerror or none
 *
 * API: spffix_propose(arena, &in, lookup, arg, &fix, pending, &npending)
 * looks at a finished evaluation (in.o, for the query in.q) and proposes
 * what the domain's owner should publish:
 * - fail, softfail: the record with one term added in front of the term
 *   that decided (the final all, or the redirect= that led to it), the
 *   other terms and their qualifiers as written: include: of a known
 *   provider when the client's confirmed PTR name (or, without one, a
 *   host name the bounce gives) is one of its outbound servers and the
 *   provider's record really authorises the client, else ip4:/ip6: with
 *   the exact address (a /24 or /64 is only mentioned).
 * - none: a starter record, "v=spf1 <term> ~all"; nothing for a domain
 *   that does not exist.
 * - permerror: why in plain words, and a corrected record where the
 *   correction is mechanical: several records merged into one, a syntax
 *   error repaired ("ipv4:" → "ip4:", "include=" → "include:") or the
 *   offending term removed, an include: of a domain without SPF removed,
 *   repeated terms dropped and ptr replaced by ip4: of the client when
 *   there are too many lookups (otherwise the costliest includes are
 *   named), the terms whose lookups found nothing removed.
 * - pass, neutral, temperror: no fix (*fix_out NULL).
 * Every corrected record is evaluated again for the query with the
 * evaluator (spf.c), the domain's TXT answer replaced by the new record,
 * which gives result_after; lookups_after counts the DNS-querying terms
 * of the whole record, through its include:/redirect= targets as they
 * are published (the count RFC 7208 §4.6.4 limits to 10 for a client that
 * matches nothing); past 10 the fix carries a warning naming the
 * includes that cost most.
 *
 * DNS: none. Records are read through lookup (the answers the check
 * already has). Like spf_eval, a run that misses answers it could use
 * (the TXT records of include targets, the provider's record) returns
 * SPFFIX_PENDING with the queries in pending[]; the caller fetches them
 * and runs it again. With in.final set it never asks: what is missing
 * stays unknown (counted as one lookup; a provider's include then
 * counts as the provider table says, and result_after is NULL).
 *
 * Providers: spffix_provider_of(table, name) recognises the outbound
 * mail servers of well-known senders by name. The table is data
 * (rules/providers.json, loaded by mailprov.c with the catalog) handed
 * in through in.providers as plain C; the fix never reads a file.
 *
 * Sentences: why and warning are messages (texts_msg.h, ids "spffix.*"
 * of rules/messages.json) that may hold the evaluation's own (its
 * reason, a trace step's found); the fix never sees a language, report.c
 * puts them into words. The rest is data.
 * Not here: the PTR lookup and its confirmation (spfcheck.c), RFC 7208
 * (spf.c), JSON (report.c).
 * Ownership: borrows everything in in; the fix (its messages included)
 * and the pending names belong to the arena, except the provider's name,
 * which points into the table.
 */
#ifndef SPFFIX_H
#define SPFFIX_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "mailprov.h"
#include "spf.h"
#include "texts_msg.h"

#define SPFFIX_MAX_DEPTH 10 /* include levels followed for the count */

/* What the fix may go on besides the evaluation. */
struct spffix_hints {
	const char *ptr; /* the client's PTR name, confirmed by its A/AAAA
			    records, or NULL */
	const char *const *names; /* host names, domains and addresses the
				     bounce gives (any side), or NULL */
	size_t nnames;
};

struct spffix_in {
	const struct spf_query *q;
	const struct spf_outcome *o;
	const struct spffix_hints *hints; /* or NULL */
	bool final;                       /* ask for nothing more */
	/* the providers an include: may name; NULL: none */
	const struct mailprov_table *providers;
};

struct spffix {
	const char *domain;           /* where record goes: the domain checked,
				     or the included domain at fault */
	const char *record;           /* the corrected record, or NULL when
				     there is no mechanical correction */
	const char *added;            /* the term added, or NULL */
	const char *provider;         /* the provider recognised, or NULL */
	bool verified;                /* result_after is known: */
	enum spf_result result_after; /* what check_host() gives the query
				     with record published */
	const struct texts_msg *why;  /* plain sentences */
	const struct texts_msg *warning; /* more than 10 lookups, or NULL */
	unsigned lookups_after; /* DNS terms of record (of the record as it is
				   when there is no correction) */
};

enum spffix_status {
	SPFFIX_DONE,
	SPFFIX_PENDING,
};

/* Proposes the fix (above). pending must hold SPF_MAX_PENDING entries.
 * Returns SPFFIX_DONE with *fix_out set (NULL: no fix for this result)
 * or SPFFIX_PENDING with pending[0..*npending_out) filled. */
enum spffix_status spffix_propose(struct arena *a, const struct spffix_in *in,
    spf_lookup_fn *lookup, void *arg, const struct spffix **fix_out,
    struct spf_pending *pending, size_t *npending_out);

/* The provider of table whose outbound server name is, or NULL. name
 * may be a host name, a domain or an address (its domain is used); table
 * may be NULL (no provider). */
const struct mailprov *spffix_provider_of(const struct mailprov_table *table,
    const char *name);

#endif
