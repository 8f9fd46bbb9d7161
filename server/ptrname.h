/* SPDX-License-Identifier: MIT */
/*
 * ptrname.h - does a host name look like an access provider's generic name?
 *
 * Receivers refuse or distrust mail from an address whose PTR name looks
 * like the name a provider gives to each address of a pool
 * ("c-73-45-12-9.hsd1.ca.comcast.net") rather than the name of a mail
 * server ("mail.example.com"): Spamhaus's PBL policy, Microsoft, and MTAs
 * with generic-rDNS checks do. Two signals make the verdict:
 * - the address written into the name, in any common form: dotted,
 *   dashed, reversed, zero-padded, twelve padded digits, one decimal
 *   number, hex ("cb00712d"); for IPv6 the interface identifier (the low
 *   64 bits) as groups, as hex digits or as reversed nibbles, or the
 *   whole address with '-' for ':';
 * - words of a table (ptrname.c): a dynamic or residential pool's
 *   ("dynamic", "dsl", "pool", "cable", "mobile", ...), generic ones
 *   ("host", "ip", "static", "client", ...), and a mail server's
 *   ("mail", "smtp", "mx", "out", "relay", "mta", ...), which lower the
 *   verdict: "a8-57.smtp-out.amazonses.com" is a mail server.
 * Words count as whole parts of a label (split at '-' and '_', trailing
 * digits dropped: "dsl1", "host86"), in every label but the last two (the
 * top-level domain and, roughly, the domain registered: "mail.home.pl" is
 * not a home address, and "smtp.dyn.com" is not dynamic). The address
 * counts anywhere in the name.
 * API: ptrname_judge(arena, name, ip, v6, &verdict). A pure function.
 * Not here: the DNS (ptrcheck.c).
 * Ownership: borrows name and ip; verdict's word strings are static, its
 * address text belongs to the arena.
 */
#ifndef PTRNAME_H
#define PTRNAME_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "span.h"

struct ptrname_verdict {
	bool generic; /* looks like a provider's name for one of many
			 addresses, not a mail server's own */
	bool dynamic; /* generic, and a dynamic or residential pool's word
			 matched ("dsl", "pool", "dynamic") */
	const char *address;   /* the address as the name writes it
				  ("203-0-113-45", "cb00712d"), or NULL */
	const char *word;      /* the first pool or generic word matched
				  (a dynamic one first), or NULL */
	const char *mail_word; /* a mail server's word found ("smtp"), which
				  lowered the verdict, or NULL */
};

/* Judges name (text, any case, a final dot allowed) for the address ip
 * (network order: 4 bytes, or 16 with v6). Always fills *out. */
void ptrname_judge(struct arena *a, struct span name, const uint8_t *ip,
    bool v6, struct ptrname_verdict *out);

#endif
