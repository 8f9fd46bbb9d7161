/* SPDX-License-Identifier: MIT */
/*
 * mxcheck.h - where mail to a domain goes: its MX records, checked live
 *
 * For one domain (a bounce's recipient or sender domain) the check looks
 * up the MX records and reads them as a sending server would (RFC 5321
 * §5.1): a null MX (RFC 7505) says the domain accepts no mail; no MX
 * record at all makes the domain's own A/AAAA the one exchange (an
 * implicit MX); a domain that does not exist accepts nothing. The
 * exchanges, sorted by preference then name (at most MXCHECK_MAX_HOSTS,
 * the count of the others kept), are then looked up, A and AAAA of all of
 * them at once, and judged: a name that does not resolve, an alias
 * (CNAME, RFC 2181 §10.3), an IP address written where a name belongs,
 * addresses no server on the Internet can reach (ipclass.h). Each is a
 * finding (finding.h) with a sentence in no language yet (texts_msg.h,
 * ids "mx.*" and "ipclass.*").
 * A lookup that fails (timeout, SERVFAIL, the session's deadline or
 * budget) is never read as the domain's fault: when it is the MX lookup,
 * the whole result is unchecked; when it is an exchange's, that exchange
 * alone is not checked (or, when its other family answered, its
 * addresses are incomplete), with the reason.
 *
 * API: mxcheck_start(session, arena, domain, done, arg); done is called
 * exactly once, possibly before mxcheck_start returns, with the result.
 * The check waits for nothing but the session's lookups, so ending those
 * (the deadline, resolver_session_expire) ends it; freeing the session
 * before done drops it without a call. mxcheck_status_str names an
 * exchange's status for the answer.
 * Not here: the address classes (ipclass.c), DNS (resolver.c), when a
 * diagnosis calls for the check and the JSON (check and report modules).
 * Ownership: borrows the session (until done) and domain (during the
 * call); the check and its result belong to the arena.
 */
#ifndef MXCHECK_H
#define MXCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "finding.h"
#include "resolver.h"

#define MXCHECK_MAX_HOSTS 10 /* exchanges looked up; the rest are counted */
#define MXCHECK_MAX_ADDRS 8  /* addresses kept per exchange, both families */

enum mxcheck_status {
	MXCHECK_RESOLVED,    /* it has addresses */
	MXCHECK_CNAME,       /* it has addresses, through an alias */
	MXCHECK_NO_ADDRESS,  /* NXDOMAIN, or neither A nor AAAA */
	MXCHECK_NOT_CHECKED, /* a lookup failed and no address is known */
	MXCHECK_IP_LITERAL,  /* an address written as the name: not looked
				up */
};

struct mxcheck_exchange {
	uint16_t preference;
	const char *host; /* lowercased, without the final dot */
	enum mxcheck_status status;
	/* the name the alias leads to, when host is one (status cname, or
	 * no_address at the end of the chain); NULL otherwise and for an
	 * implicit MX, where an alias is allowed (RFC 5321 §5.1) */
	const char *canonical;
	const char *const *addresses; /* text (RFC 5952), IPv4 first */
	size_t naddresses;
	size_t addresses_omitted; /* beyond MXCHECK_MAX_ADDRS */
	/* NULL when every lookup of the exchange answered; else why one did
	 * not (a "dns.unchecked.*" or "mx.unchecked.*" message): the status
	 * is not_checked, or, with addresses of one family, those of the
	 * other are unknown */
	const struct texts_msg *unchecked;
};

struct mxcheck_result {
	const char *domain; /* lowercased, without the final dot */
	bool null_mx;       /* the one MX record is "." (RFC 7505) */
	bool implicit;      /* no MX: the domain itself is the exchange */
	const struct mxcheck_exchange *exchanges; /* nexchanges of them */
	size_t nexchanges;
	/* MX records beyond MXCHECK_MAX_HOSTS, of those read: an answer
	 * of more than DNSMSG_MAX_RECORDS is read that far */
	size_t omitted;
	struct findings findings;
	/* NULL: the MX lookup answered. Else why it did not (the deadline,
	 * the budget, a DNS server that failed: resolver_failure_id; an
	 * answer that cannot be read): the result says nothing about the
	 * domain, and nothing else is set */
	const struct texts_msg *unchecked;
};

/* Ownership: r belongs to the arena of mxcheck_start. */
typedef void mxcheck_done_fn(void *arg, const struct mxcheck_result *r);

/* Checks where mail to domain goes. Callback: done, exactly once,
 * possibly before this returns. */
void mxcheck_start(struct resolver_session *s, struct arena *a,
    const char *domain, mxcheck_done_fn *done, void *arg);

/* "resolved", "cname", "no_address", "not_checked", "ip_literal". */
const char *mxcheck_status_str(enum mxcheck_status st);

#endif
