/* SPDX-License-Identifier: MIT */
/*
 * spf.h - RFC 7208 check_host(), as a restartable evaluation
 *
 * API: spf_eval(arena, query, lookup, arg, &outcome, pending, &npending)
 * runs check_host() (RFC 7208 §4) from the start. It reads DNS data only
 * through lookup(arg, name, type); when lookup returns NULL (not fetched
 * yet) the evaluation stops with SPF_EVAL_PENDING and names in pending[]
 * the query it needs (first) and queries it will need next (prefetch
 * hints, e.g. the targets of include: terms). The caller fetches them and
 * calls spf_eval again; lookup must then return the same answers for the
 * same questions (the caller keeps them for the whole check), so a re-run
 * walks the same path further. SPF_EVAL_DONE fills the outcome: the
 * RFC 7208 §2.6 result, the explanation (§6.2, exp= expanded), the
 * lookup counts (§4.6.4) and a trace of every term evaluated.
 *
 * Restart and prefetch: each call is a pure function of the query and of
 * the answers lookup has; nothing is kept between calls (the walk runs in
 * a scratch arena freed before returning), and the same answers give the
 * same path, result and pending list. pending[0] is the one query the
 * walk cannot go on without; the rest are hints, in the order they will
 * likely be needed: the other MX hosts or PTR names of the term being
 * evaluated, then, for every record on the way (innermost first), the
 * first query of each term not yet evaluated (TXT of include:/redirect=,
 * A or AAAA of a, MX of mx, A of exists, the PTR of ptr), macros expanded
 * when they need no DNS themselves, and no more terms than the 10-lookup
 * budget has left. Hints already fetched are left out. Fetching any
 * subset is fine, as long as pending[0] is among them; lookup is also
 * called to test whether a hint is fetched, so it must have no side
 * effects.
 *
 * Limits: RFC 7208 §4.6.4 (10 DNS terms, 2 void lookups, more than 10
 * MX hosts is a permerror, PTR names past the 10th are ignored); records
 * over SPF_MAX_RECORD bytes are a permerror; the trace keeps
 * SPF_MAX_TRACE steps; macro expansions are bounded (spfmacro.h); query
 * strings over 1024 bytes are not checked.
 * Not here: fetching (spfcheck.c over resolver.h), the corrected record
 * (spffix.c), JSON (report.c / api.c), the record grammar (spfrecord.c),
 * macros (spfmacro.c), names (spfname.c), addresses (spfaddr.c).
 * Sentences: the reason, the trace's found texts and the default
 * explanation are messages (texts_msg.h, ids "spf.*" of
 * rules/messages.json), put into the reader's language only when the
 * answer is written (report.c); the evaluation never sees a language.
 * The record grammar's and the macros' own error texts (spfrecord.h,
 * spfmacro.h) are quoted in them as they are, in English.
 * Ownership: borrows query and lookup's answers; everything in the
 * outcome (messages included), and the names in pending[], belongs to
 * the arena.
 */
#ifndef SPF_H
#define SPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "dnsmsg.h"
#include "texts_msg.h"

#define SPF_MAX_DNS_TERMS 10 /* RFC 7208 §4.6.4 */
#define SPF_MAX_VOID      2  /* RFC 7208 §4.6.4 */
#define SPF_MAX_NAMES     10 /* MX and PTR names looked at, §4.6.4 */
#define SPF_MAX_PENDING   16
#define SPF_MAX_TRACE     256
#define SPF_MAX_RECORD    4096 /* longer records are a permerror */

/* RFC 7208 §2.6 */
enum spf_result {
	SPF_NONE,
	SPF_NEUTRAL,
	SPF_PASS,
	SPF_FAIL,
	SPF_SOFTFAIL,
	SPF_TEMPERROR,
	SPF_PERMERROR,
};

enum spf_eval_status {
	SPF_EVAL_DONE,
	SPF_EVAL_PENDING,
};

/* What a term came to in the trace. */
enum spf_term_outcome {
	SPF_TERM_NO_MATCH,    /* a mechanism that did not match; an unknown
				modifier (ignored, RFC 7208 §6); an exp=
				whose explanation could not be used */
	SPF_TERM_MATCH,       /* a mechanism matched: its qualifier decides */
	SPF_TERM_APPLIED,     /* a modifier took effect (redirect=, exp=) */
	SPF_TERM_NOT_REACHED, /* after the deciding term; listed for display */
	SPF_TERM_ERROR,       /* it raised temperror or permerror */
};

/*
 * The identity checked (RFC 7208 §2.3, §2.4, §4.3):
 * - MAIL FROM: <domain> is the part of sender after its last '@'
 *   (surrounding "<>" are dropped); no local-part, or no '@' at all,
 *   gives the local-part "postmaster".
 * - an empty or NULL sender, "<>" (the null reverse-path), or
 *   check_helo: <sender> is postmaster@helo and <domain> the HELO name.
 * - sender and helo are taken as SMTP carries them, whatever their
 *   bytes: a quoted local part keeps its quotes and spaces in %{l}, a
 *   HELO name that is no host name is still %{h} (§7.3).
 * - domain, when set, replaces <domain> (the macros keep <sender>).
 * A <domain> that is an address literal, has an empty label, a label
 * over 63 octets, a single label or bytes outside printable ASCII ends
 * in none without a lookup (§4.3), as does a missing HELO name when one
 * is needed, and an ip that is not an address (callers should check it:
 * that none says nothing about the domain).
 */
struct spf_query {
	const char *ip;     /* the client's address, IPv4 or IPv6 text; an
				 IPv4-mapped IPv6 address is IPv4 (§5) */
	const char *sender; /* MAIL FROM; "" or NULL: postmaster@helo (§2.4) */
	const char *helo;   /* HELO/EHLO name, or NULL */
	const char *domain; /* when set, check_host() for this domain
				 instead of the sender's (with the sender, or
				 postmaster@domain, for the macros) */
	const char *receiver; /* %{r} (§7.3), NULL: "unknown" */
	bool check_helo;      /* evaluate the HELO identity (§2.3) */
	uint64_t now;         /* %{t}: seconds since the epoch */
};

/* One term as evaluated, in order, includes and redirects nested: a
 * record's mechanisms as evaluated, then its terms that were not (after
 * the deciding one, unknown modifiers, an unused redirect=, exp=), then
 * an applied redirect= followed by the target's steps. A record that does
 * not parse has one step: the offending term, with the error in found. */
struct spf_trace_step {
	unsigned depth;     /* 0: the top record; +1 per include/redirect */
	const char *domain; /* whose record the term is in */
	const char *term;   /* as written: "include:_spf.example.com" */
	size_t offset;      /* of the term in that domain's record */
	size_t len;
	const char *lookup; /* what it looked up ("TXT _spf.example.com"),
			       or NULL */
	const struct texts_msg *found; /* what that gave, in short ("2
					  addresses", "NXDOMAIN (void
					  lookup)"), or NULL */
	enum spf_term_outcome outcome;
	unsigned lookups; /* DNS terms counted so far (§4.6.4) */
	unsigned voids;   /* void lookups so far */
};

struct spf_outcome {
	enum spf_result result;
	const char *domain;      /* the domain check_host() started with;
				    NULL when ip was not an address */
	const char *record;      /* its SPF record, or NULL if none */
	size_t record_len;       /* record may hold a NUL (a permerror) */
	const char *explanation; /* for fail: the domain's own text, exp=
				    expanded (RFC 7208 §6.2); NULL otherwise */
	const struct texts_msg *default_explanation; /* for fail without a
							usable exp=: ours
							("spf.explanation.
							default"); else NULL */
	const struct texts_msg *reason;        /* one plain sentence: why this
					   result ("-all matched", "two SPF
					   records", "more than 10 DNS
					   lookups", ...); never NULL */
	const struct spf_trace_step *decisive; /* the term that decided,
						  or NULL: for a match the
						  mechanism of the top record
						  (or of its redirect target),
						  an include: for a pass
						  inside; for an error the
						  term that raised it */
	unsigned lookups; /* DNS terms counted (§4.6.4); 11 when
				    the limit was passed */
	unsigned void_lookups;
	struct spf_trace_step *trace;
	size_t ntrace;
	bool trace_truncated; /* more steps than SPF_MAX_TRACE */
};

struct spf_pending {
	const char *name; /* lowercased, no final dot */
	uint16_t type;    /* DNSMSG_T_TXT, _A, _AAAA, _MX, _PTR */
};

/* The DNS data for (name, type), or NULL when it has not been fetched.
 * name is lowercased, without a final dot. The evaluator handles every
 * status of the answer (RFC 7208 §4.4, §5): OK without records of the
 * type counts as NODATA; TIMEOUT, SERVFAIL and MALFORMED are DNS errors
 * (temperror where §5 says so, skipped where §5.5 says so). */
typedef const struct dnsmsg_answer *spf_lookup_fn(void *arg, const char *name,
    uint16_t type);

/* Runs check_host() as described above. pending must hold
 * SPF_MAX_PENDING entries. Returns SPF_EVAL_DONE (outcome filled) or
 * SPF_EVAL_PENDING (pending[0..*npending_out) filled, outcome untouched).
 * Ownership: borrows q and the answers; results belong to the arena. */
enum spf_eval_status spf_eval(struct arena *a, const struct spf_query *q,
    spf_lookup_fn *lookup, void *arg, struct spf_outcome *out,
    struct spf_pending *pending, size_t *npending_out);

/* "none", "neutral", "pass", "fail", "softfail", "temperror",
 * "permerror". */
const char *spf_result_str(enum spf_result r);
/* "no-match", "match", "applied", "not-reached", "error". */
const char *spf_term_outcome_str(enum spf_term_outcome o);

#endif
