/* SPDX-License-Identifier: MIT */
/*
 * dmarccheck.h - a domain's DMARC policy, looked up live (RFC 7489), and
 * SPF alignment with a From domain
 *
 * API: dmarccheck_start(session, arena, query, done, arg) looks up the
 * TXT records of _dmarc.<domain> and, at the same time, those of
 * _dmarc.<organisational domain> when that is another name (orgdomain.h),
 * then applies RFC 7489 §6.6.3: the TXT records that start with
 * v=DMARC1 count; exactly one at the domain is its record; none there
 * and exactly one at the organisational domain is that one's (the
 * fallback); more than one where the search stops means no DMARC at all;
 * a TXT record that only looks like DMARC (dmarcrec_kind) is noted and
 * left out. The check finishes as soon as the answers it needs are in:
 * a record at the domain does not wait for the organisational domain's
 * answer. done is called exactly once, possibly before dmarccheck_start
 * returns (from the cache, or for a name that cannot be looked up); after
 * that, answers still on their way are kept for nobody. The check waits
 * for nothing but its session's lookups, so the session's deadline ends
 * it. The caller frees the session before the arena.
 * dmarccheck_aligns and dmarccheck_spf_aligns answer the alignment
 * question of RFC 7489 §3.1 without DNS.
 * Not here: the record's syntax (dmarcrec.c), the Public Suffix List
 * (orgdomain.c), SPF itself (spfcheck.c), the diagnosis and the answer's
 * JSON.
 * Sentences (findings, why the check could not run) are messages
 * (texts_msg.h, ids "dmarc.*", "taglist.*", "dns.unchecked.*"); the
 * check never sees a language.
 * Ownership: borrows session and query (until done); the result and
 * everything in it belong to the arena.
 */
#ifndef DMARCCHECK_H
#define DMARCCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "dmarcrec.h"
#include "finding.h"
#include "resolver.h"
#include "span.h"

struct dmarccheck_query {
	const char *domain; /* the From domain (RFC5322.From); a final dot
			       and any case are fine */
};

/*
 * What the check came to. Findings, by code:
 * - dmarc_bad_domain (error): the domain is no name that can be looked
 *   up; nothing was asked.
 * - dmarc_missing (warning): no DMARC record at the domain, nor at its
 *   organisational domain: receivers apply no DMARC policy.
 * - dmarc_multiple (error): more than one DMARC record where the search
 *   stopped: receivers apply no DMARC (§6.6.3 step 5).
 * - dmarc_lookalike (warning): a TXT record that looks like DMARC but
 *   does not start with v=DMARC1: receivers discard it.
 * - dmarc_syntax, dmarc_no_policy, dmarc_unknown_tag: the record's
 *   (dmarcrec.h).
 * - dmarc_policy_none (info): the policy that applies to the domain is
 *   none: monitoring only, failing mail is not quarantined or rejected.
 * - dmarc_pct (info): pct below 100 with quarantine or reject: the
 *   policy applies to that share of the failing mail, the next weaker
 *   one to the rest (§6.6.4).
 * - dmarc_no_rua (info): no valid rua= URI: nobody gets aggregate
 *   reports.
 * - dmarc_sp_weaker (warning): sp= is weaker than p=.
 * With unchecked set, findings say nothing about missing records.
 */
struct dmarccheck_result {
	const char *domain;     /* lowercased, without a final dot */
	const char *org_domain; /* its organisational domain (RFC 7489 §3.2),
				   which may be domain itself; NULL when the
				   domain is a public suffix or no name */
	const char *found_at;   /* the domain or org_domain: whose _dmarc
				   record is used; NULL: none is (also for
				   dmarc_multiple, which names the place) */
	const char *record;     /* that record's text; NULL with found_at */
	const struct dmarcrec *rec; /* parsed; NULL with found_at */
	/* p= (none when assumed by §6.6.3 step 6); UNSET: no DMARC policy
	 * (no record, several, or a record not usable) */
	enum dmarcrec_policy policy;
	enum dmarcrec_policy subdomain_policy; /* sp=, else p=; UNSET as
						  above */
	/* what receivers apply to mail from domain: the subdomain policy
	 * when the record is the organisational domain's and domain is a
	 * subdomain of it (RFC 7489 §6.3 sp), else the policy */
	enum dmarcrec_policy effective;
	enum dmarcrec_align adkim, aspf; /* relaxed without a record */
	unsigned pct;                    /* 100 without a record */
	const char *const *rua;          /* the valid rua= URIs */
	size_t nrua;
	struct findings findings;
	/* NULL when the answers were real; else why not (a message
	 * "dns.unchecked.*", or "dmarc.unchecked.malformed"): then no
	 * record was used and nothing is known about the domain's DMARC */
	const struct texts_msg *unchecked;
};

typedef void dmarccheck_done_fn(void *arg, const struct dmarccheck_result *r);

/* Callback: done, exactly once, possibly before this returns. */
void dmarccheck_start(struct resolver_session *s, struct arena *a,
    const struct dmarccheck_query *q, dmarccheck_done_fn *done, void *arg);

/* Whether an identifier's domain aligns with the From domain. */
enum dmarccheck_alignment {
	DMARCCHECK_ALIGNED,     /* in the mode asked */
	DMARCCHECK_NOT_STRICT,  /* the same organisational domain, but
				   strict mode asks for the same name */
	DMARCCHECK_NOT_ALIGNED, /* different organisational domains */
	DMARCCHECK_ALIGN_BAD,   /* a name that is none (orgdomain.h) */
};

/* RFC 7489 §3.1: does the authenticated domain id align with the From
 * domain from in mode al? Relaxed: the same organisational domain (a
 * name that is a public suffix stands for itself); strict: the same
 * name. Names compare without case and a final dot. */
enum dmarccheck_alignment dmarccheck_aligns(struct span from, struct span id,
    enum dmarcrec_align al);

/* RFC 7489 §3.1.2: would an SPF pass for the envelope sender's domain
 * spf_domain align with from_domain under aspf? (The SPF result itself
 * is the caller's: only a pass counts for DMARC.) */
enum dmarccheck_alignment dmarccheck_spf_aligns(struct span from_domain,
    struct span spf_domain, enum dmarcrec_align aspf);

#endif
