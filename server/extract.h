/* SPDX-License-Identifier: MIT */
/*
 * extract.h - find the things a bounce names: IPs, domains, addresses
 *
 * API: extract_entities(arena, text, &ent) scans a normalised bounce text
 * once and fills the lists (IPv4 and IPv6 addresses, domains, email
 * addresses, mail server host names, DNS blocklists, URLs), each in order
 * of first appearance without duplicates, and the roles the live checks
 * need: the IP that was refused, the envelope sender's domain, the
 * receiving server and its IP. Roles come from the wording around each
 * entity ("198.51.100.23 is not allowed to send", "host mx.example.com
 * [192.0.2.1]", "blocked using zen.spamhaus.org", SPF "Why?" URLs);
 * a role that the text does not state stays NULL.
 * The work is linear in the text and what is kept is bounded: at most
 * EXTRACT_MAX_PER_KIND entries per list, and the scan stops after
 * EXTRACT_MAX_TOKENS candidates; either sets truncated. A URL longer than
 * EXTRACT_MAX_URL or an address longer than EXTRACT_MAX_EMAIL is left out
 * and sets too_long.
 * Ownership: every string belongs to the arena.
 */
#ifndef EXTRACT_H
#define EXTRACT_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "span.h"

#define EXTRACT_MAX_PER_KIND 64
#define EXTRACT_MAX_TOKENS   8192 /* candidates read from one text */
#define EXTRACT_MAX_URL      2048 /* bytes of a URL that is listed */
/* RFC 5321 §4.5.3.1.3: a path is at most 256 bytes with its "<>" */
#define EXTRACT_MAX_EMAIL    254

struct strlist {
	const char **v;
	size_t n, cap;
};

struct extract_entities {
	struct strlist ips;
	struct strlist domains;
	struct strlist emails;
	struct strlist hosts;
	struct strlist blocklists;
	struct strlist urls;
	const char *sending_ip;
	const char *sender_domain;
	const char *remote_host;
	const char *remote_ip;
	/* the returned message's first DKIM-Signature: its d= and s= */
	const char *dkim_domain;
	const char *dkim_selector;
	bool truncated; /* more entities than listed */
	bool too_long;  /* a URL or address over its limit was left out */
};

void extract_entities(struct arena *a, struct span text,
    struct extract_entities *out);

/* Append s to l unless present (case-insensitive). Returns 0, -1 if full. */
int strlist_add(struct arena *a, struct strlist *l, const char *s);
bool strlist_has(const struct strlist *l, const char *s);

#endif
