/* SPDX-License-Identifier: MIT */
/*
 * dkimcheck.h - the DKIM key a signature names, looked up live (RFC 6376
 * §3.6.2)
 *
 * API: dkimcheck_start(session, arena, query, done, arg) checks that the
 * selector and the domain are DNS names, looks up the TXT records of
 * <selector>._domainkey.<domain> and reads the key record (dkimkey.h):
 * the strings of one TXT record joined (§3.6.2.2); with several records
 * the first is read (a verifier may pick any). done is called exactly
 * once, possibly before dkimcheck_start returns (from the cache, or for
 * a name that cannot be looked up); after that, an answer still on its
 * way is kept for nobody. The check waits for nothing but its session's
 * lookup, so the session's deadline ends it. The caller frees the
 * session before the arena.
 * Not here: the key record's syntax (dkimkey.c), the signature header
 * (dkimsig.c), verifying a signature, the diagnosis and its JSON.
 * Sentences (findings, why the check could not run) are messages
 * (texts_msg.h, ids "dkim.*", "taglist.*", "dns.unchecked.*").
 * Ownership: borrows session and query (until done); the result and
 * everything in it belong to the arena.
 */
#ifndef DKIMCHECK_H
#define DKIMCHECK_H

#include <stdbool.h>

#include "arena.h"
#include "dkimkey.h"
#include "finding.h"
#include "resolver.h"

struct dkimcheck_query {
	const char *domain;   /* d= of the signature */
	const char *selector; /* s= of the signature */
};

/*
 * What the check came to. Findings, by code:
 * - dkim_bad_selector, dkim_bad_domain (error): not a DNS name (labels
 *   of letters, digits, '-', '_'; orgdomain_is_name), or the key's name
 *   would be over 253 bytes; nothing was asked.
 * - dkim_missing (error): no TXT record at the key's name (NXDOMAIN or
 *   no data): signatures with this selector cannot be verified.
 * - dkim_multiple (warning): more than one TXT record there: which one a
 *   verifier uses is not defined.
 * - the key record's (dkimkey.h): errors mean signatures with this key
 *   fail whatever the message; dkim_key_short, dkim_key_large and
 *   dkim_testing are warnings.
 * With unchecked set, nothing is known about the key.
 */
struct dkimcheck_result {
	const char *domain;        /* lowercased, without a final dot */
	const char *selector;      /* lowercased */
	const char *name;          /* <selector>._domainkey.<domain>; NULL when
				 not asked */
	const char *record;        /* the key record read; NULL: none */
	const struct dkimkey *key; /* parsed; NULL with record */
	const char *key_type;      /* "rsa", "ed25519", or k= as written when
				 unknown; NULL with record */
	unsigned key_bits;         /* 0 when the key could not be read */
	bool revoked;              /* p= is empty */
	bool testing;              /* t=y */
	struct findings findings;
	/* NULL when the answer was real; else why not (a message
	 * "dns.unchecked.*", or "dkim.unchecked.malformed") */
	const struct texts_msg *unchecked;
};

typedef void dkimcheck_done_fn(void *arg, const struct dkimcheck_result *r);

/* Callback: done, exactly once, possibly before this returns. */
void dkimcheck_start(struct resolver_session *s, struct arena *a,
    const struct dkimcheck_query *q, dkimcheck_done_fn *done, void *arg);

#endif
