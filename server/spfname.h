/* SPDX-License-Identifier: MIT */
/*
 * spfname.h - domain names as SPF checks them (RFC 7208 §4.3, §7.1, §7.3)
 *
 * API: spfname_is_domain says whether a name can be check_host()'s
 * <domain> at all (§4.3: no address literal, labels of 1 to 63 octets,
 * more than one label; otherwise the result is "none").
 * spfname_is_queryable says whether a target name can be put in a DNS
 * query; a target that cannot is treated as non-existent. spfname_trim
 * applies §7.3 to an expanded name (final dot dropped, labels removed on
 * the left until it fits in 253 octets), spfname_lower makes the
 * lowercased copy used for queries, spfname_is_under is the suffix test
 * of ptr (§5.5), and spfname_is_toplabel the toplabel rule of §7.1.
 * Names compare ASCII case-insensitively (RFC 4343).
 * Not here: the domain-spec grammar (spfrecord.c), macros (spfmacro.c).
 * Ownership: spans borrow the caller's text; spfname_lower returns an
 * arena copy.
 */
#ifndef SPFNAME_H
#define SPFNAME_H

#include <stdbool.h>

#include "arena.h"
#include "span.h"

#define SPFNAME_MAX       253 /* a name's text without the final dot */
#define SPFNAME_MAX_LABEL 63

/* RFC 7208 §4.3: a well-formed multi-label domain name (one final dot
 * allowed); false for "[192.0.2.1]", empty labels, labels over 63 octets,
 * names over 253 octets, single labels, and bytes outside printable
 * ASCII. */
bool spfname_is_domain(struct span name);
/* Can name (without its final dot) be asked of the DNS: labels of 1 to
 * 63 octets, at most 253 octets, no NUL? */
bool spfname_is_queryable(struct span name);
/* RFC 7208 §7.3: drops one final dot, then whole labels on the left while
 * the name is longer than 253 octets. Returns a view into name. */
struct span spfname_trim(struct span name);
/* An arena copy of name, ASCII-lowercased, without a final dot. */
char *spfname_lower(struct arena *a, struct span name);
/* name equals suffix or ends in "." suffix (RFC 7208 §5.5), ignoring
 * case and a final dot on either. */
bool spfname_is_under(struct span name, struct span suffix);
/* RFC 7208 §7.1: toplabel = ( *alphanum ALPHA *alphanum ) /
 * ( 1*alphanum "-" *( alphanum / "-" ) alphanum ). */
bool spfname_is_toplabel(struct span label);

#endif
