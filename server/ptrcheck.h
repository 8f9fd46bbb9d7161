/* SPDX-License-Identifier: MIT */
/*
 * ptrcheck.h - reverse DNS of one IP address: its PTR names, their
 * forward confirmation (FCrDNS), generic names, and the HELO name
 *
 * API: ptrcheck_start(session, arena, query, done, arg) asks, at once
 * and in parallel, for the PTR records of query->ip (the reverse name:
 * "d.c.b.a.in-addr.arpa", or 32 nibbles under ip6.arpa, RFC 3596 §2.5)
 * and for the A (IPv4) or AAAA (IPv6) records of the HELO name when it
 * is a fully qualified name; when the PTR answer is in, for the A/AAAA
 * records of every PTR name kept, all at once. done is called exactly
 * once, possibly before ptrcheck_start returns: when every lookup has
 * ended (answered, failed, or ended by the session's deadline or
 * budget), or at once when the PTR lookup itself fails. Answers that
 * arrive after that are dropped. The check waits for nothing but its
 * session's lookups, so the session's deadline ends it. The caller frees
 * the session before the arena (that drops any lookup still waiting).
 *
 * What the result means:
 * - unchecked: NULL when the check ran on real answers. Else why not, a
 *   message: "ptr.unchecked.not_ip" (query->ip is no address),
 *   "dns.unchecked.budget|deadline|timeout|servfail" (the PTR lookup
 *   failed, resolver_failure_id) or "ptr.unchecked.malformed" (its
 *   answer could not be read). Then nothing else but ip, v6, reverse
 *   and reserved may be read, and the findings are empty: a check that
 *   could not run found nothing.
 * - names: the distinct PTR names of the address, in the answer's order,
 *   at most PTRCHECK_MAX_NAMES; names_left_out counts the others (not
 *   looked up). None: the reverse name has no PTR record (NXDOMAIN or
 *   NODATA).
 * - names[i].confirmed: YES when the name's A/AAAA records hold the
 *   address (forward-confirmed), NO when they do not or there are none
 *   (NXDOMAIN, NODATA), UNKNOWN when that lookup failed (unchecked says
 *   why): a name not checked is never "not confirmed".
 * - fcrdns: YES when a name confirms; else UNKNOWN when a name could not
 *   be checked (it might have confirmed); else NO (no PTR name, or every
 *   one checked and none confirms).
 * - primary: the name receivers most likely use, the first confirmed one,
 *   else the first one; NULL without names. generic is its verdict
 *   (ptrname.h; all false and NULL without names).
 * - helo: set when query->helo is a non-empty name. literal: an address
 *   literal ("[192.0.2.7]", "[IPv6:...]", or a bare address); fqdn: a
 *   name of two or more labels of letters, digits, '-' and '_', the last
 *   not all digits. matches_ptr: YES when it names a confirmed PTR name
 *   (case and a final dot ignored), UNKNOWN when it names one that could
 *   not be checked, else NO. resolves_to_ip: for a literal, whether it is
 *   the address; for an FQDN, whether its A/AAAA records hold the address
 *   (UNKNOWN when that lookup failed, with unchecked saying why); UNKNOWN
 *   for anything else (not looked up).
 * - reserved: the special-purpose range the address is in ("10.0.0.0/8"),
 *   NULL for a public address. Such an address is looked up all the same.
 * - findings (finding.h), in this order, codes:
 *   ptr_missing (error: no PTR name),
 *   ptr_not_confirmed (per name answering NO; error when fcrdns is NO,
 *   else warning), ptr_generic (the primary name looks generic: error
 *   when dynamic, else warning), ptr_many_names (warning: more than one
 *   PTR name), ptr_names_left_out (info), ptr_helo_literal (warning),
 *   ptr_helo_not_fqdn (error), ptr_helo_mismatch (warning: an FQDN that
 *   names no PTR name while the address has one), ptr_helo_unresolved
 *   (warning: an FQDN whose A/AAAA records do not hold the address),
 *   ptr_reserved_ip (info).
 *
 * Not here: what makes a name generic (ptrname.c), DNS (resolver.c), the
 * JSON (report.c).
 * Sentences are messages (texts_msg.h, ids "ptr.*"); the check never sees
 * a language.
 * Ownership: borrows session and query (until done); the check, its
 * answers and its result belong to the arena.
 */
#ifndef PTRCHECK_H
#define PTRCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "finding.h"
#include "ptrname.h"
#include "resolver.h"

#define PTRCHECK_MAX_NAMES 5 /* PTR names kept and confirmed */
#define PTRCHECK_MAX_ADDRS 8 /* addresses kept per name */

/* yes, no, or not known: the lookup that would tell failed */
enum ptrcheck_tri {
	PTRCHECK_UNKNOWN,
	PTRCHECK_NO,
	PTRCHECK_YES,
};

struct ptrcheck_query {
	const char *ip;   /* IPv4 or IPv6 text; IPv4-mapped counts as IPv4 */
	const char *helo; /* the HELO/EHLO name the bounce shows, or NULL */
};

struct ptrcheck_name {
	const char *name; /* lowercased, without the final dot */
	enum ptrcheck_tri confirmed;
	const struct texts_msg *unchecked; /* why confirmed is UNKNOWN */
	const char *const *addrs; /* its A/AAAA records as text, at most
				     PTRCHECK_MAX_ADDRS */
	size_t naddrs;
	struct ptrname_verdict generic; /* does the name look generic? */
};

struct ptrcheck_helo {
	const char *name; /* as given, trimmed; NULL: none given */
	bool literal;
	bool fqdn;
	enum ptrcheck_tri matches_ptr;
	enum ptrcheck_tri resolves_to_ip;
	const struct texts_msg *unchecked; /* why resolves_to_ip is UNKNOWN
					      after a lookup */
};

struct ptrcheck_result {
	const char *ip; /* as the address is usually written; NULL when
			   query->ip is none */
	bool v6;
	const char *reverse; /* the name asked for PTR */
	const char *reserved;
	const struct ptrcheck_name *names;
	size_t nnames;
	size_t names_left_out;
	enum ptrcheck_tri fcrdns;
	const struct ptrcheck_name *primary;
	struct ptrname_verdict generic;
	struct ptrcheck_helo helo;
	struct findings findings;
	const struct texts_msg *unchecked;
};

/* Called exactly once. Ownership: r belongs to the arena. */
typedef void ptrcheck_done_fn(void *arg, const struct ptrcheck_result *r);

/* Starts the check; see the API above. */
void ptrcheck_start(struct resolver_session *s, struct arena *a,
    const struct ptrcheck_query *q, ptrcheck_done_fn *done, void *arg);

#endif
