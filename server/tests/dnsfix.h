/* SPDX-License-Identifier: MIT */
/*
 * dnsfix.h - the fixture DNS server of the tests
 *
 * API: build a zone (dnsfix_zone_new + dnsfix_add_*, or dnsfix_zone_load
 * from JSON), start a server on the test's event loop (dnsfix_new), hand
 * it the zone (dnsfix_set_zone), point the resolver at 127.0.0.1 and
 * dnsfix_port(), run the loop, then ask how many queries arrived
 * (dnsfix_queries) and dnsfix_free. The server answers real DNS over UDP
 * and TCP (RFC 1035 §4.2) from non-blocking sockets on the caller's loop,
 * so one test program can run the server and the resolver in one thread.
 * It only binds loopback addresses and only answers loopback peers.
 * build/dns-fixture (dnsfix_main.c) wraps the same code for the API
 * tests.
 *
 * Zone semantics (those of the SPF test suites' zonedata, see
 * ../shared/spf-testsuite/SOURCE.md):
 * - Names are text as in dnsmsg.h ("\." and "\DDD" escapes; any other
 *   byte is itself, so "foo:bar/baz.example.com" is a name), compared
 *   case-insensitively; a final dot is ignored. Each name holds an
 *   ordered list of entries: records (A, AAAA, MX, NS, PTR, CNAME, TXT,
 *   SPF, or any type with raw RDATA), "TXT: NONE" and the TIMEOUT marker.
 *   TTL per record, DNSFIX_TTL by default. "." (or "") is the root.
 * - The root is built in, as every resolver knows it: unless the zone
 *   names "." itself, the root exists and its NS record is
 *   DNSFIX_ROOT_NS, so the service's DNS canary (the root's NS,
 *   dnscanary.h) finds a resolver that answers correctly. A zone that
 *   names "." serves what it lists there instead (no NS entry: NODATA).
 * - TXT and SPF hold one record made of several character-strings (any
 *   bytes, NUL, CR, LF included); a string over 255 octets is split, and
 *   no strings at all is a record with empty RDATA.
 * - SPF entries are also served as TXT records, unless the name has a TXT
 *   entry of its own; "TXT: NONE" (dnsfix_add_txt_none) adds no record and
 *   only stops that copying.
 * - TIMEOUT: a query for a type with no record listed before the marker
 *   gets no answer at all; records listed after it are never served.
 * - CNAMEs are chased by the server as a recursive resolver would: the
 *   answer holds the chain and the records of the asked type at its end;
 *   a chain longer than DNSFIX_MAX_CNAMES (a loop) answers SERVFAIL.
 * - A name not in the zone: NXDOMAIN; a name without records of the type:
 *   NOERROR without answers (NODATA). Both carry an SOA in the authority
 *   section whose TTL and MINIMUM are the zone's negative TTL
 *   (DNSFIX_NEGATIVE_TTL by default), so RFC 2308 caching can be tested.
 * - Behaviours, per name (the name asked, before CNAMEs), for every name
 *   ("*", the root included) and on the server (dnsfix_set_behaviour);
 *   they add up: drop (never answer), refused, servfail, nxdomain (a
 *   resolver that lies: NXDOMAIN with the SOA for every name asked, the
 *   root included, whatever the zone holds), truncate (UDP answers carry
 *   TC=1 and no records; TCP gets the full answer) and delay_ms (answer
 *   that late, the largest of the three applies; other queries are served
 *   meanwhile). The first of drop, refused, servfail and nxdomain that
 *   is set decides.
 * - UDP answers larger than 512 octets, or than the EDNS payload size the
 *   query advertises (up to 4096), are sent with TC=1 and no records.
 * - A query that reaches the server is counted per (name, type) and
 *   transport before any behaviour applies, dropped ones included.
 *
 * Zone files (JSON, read by dnsfix_zone_load and build/dns-fixture --zone;
 * close to the suites' zonedata):
 *
 *   {
 *     "negative_ttl": 300,
 *     "names": {
 *       "example.com": [
 *         {"TXT": "v=spf1 -all"},
 *         {"TXT": ["v=spf1 ", "-all"], "ttl": 60},
 *         {"SPF": "v=spf1 -all"},
 *         {"A": "192.0.2.1"},
 *         {"AAAA": "2001:db8::1"},
 *         {"MX": [10, "mx.example.com"]},
 *         {"NS": "ns1.example.com"},
 *         {"PTR": "host.example.com"},
 *         {"CNAME": "other.example.com."},
 *         {"TXT": "NONE"},
 *         "TIMEOUT"
 *       ],
 *       "empty.example.com": [],
 *       ".": [{"NS": "a.root-servers.net"}]
 *     },
 *     "behaviour": {
 *       "slow.example.com": {"delay_ms": 3000},
 *       "bad.example.com": {"servfail": true},
 *       "lie.example.com": {"nxdomain": true},
 *       "*": {"truncate": true}
 *     }
 *   }
 *
 * - "names" maps a name to its entries in order; [] makes a name that
 *   exists without records; "." is the root (it replaces the built-in
 *   one). An entry is "TIMEOUT" or an object with one type key and an
 *   optional "ttl" (0 to 2147483647).
 * - A, AAAA: an address. MX: [preference, host]; host "" is the null MX
 *   (RFC 7505). NS, PTR, CNAME: a name. TXT, SPF: a string is one
 *   character-string, a list is one record of several strings, [] a record
 *   with empty RDATA. Strings are sent as their UTF-8 bytes (so "\u00e9"
 *   is two octets, as the suites mean "\xe9"); "\u0000", "\r" and "\n"
 *   give NUL, CR and LF. Bytes that are not UTF-8 need the C API.
 *   {"TXT": "NONE"} is the NONE entry; a literal record "NONE" is
 *   {"TXT": ["NONE"]}.
 * - "behaviour" maps a name, or "*" for every name, to an object of
 *   "drop", "servfail", "refused", "nxdomain", "truncate" (booleans) and
 *   "delay_ms" (0 to 600000).
 * - "negative_ttl" is optional. Unknown keys are errors.
 *
 * Ownership: a zone is owned by whoever holds it; dnsfix_set_zone takes
 * it. Names and strings passed to the dnsfix_add_* calls are copied.
 * Not here: DNS wire format (dnsmsg.c), the CLI (dnsfix_main.c).
 */
#ifndef DNSFIX_H
#define DNSFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dnsmsg.h"
#include "evloop.h"
#include "span.h"

#define DNSFIX_TTL          300
#define DNSFIX_NEGATIVE_TTL 300
#define DNSFIX_MAX_CNAMES   8
#define DNSFIX_EDNS_MAX     4096   /* largest UDP answer, whatever is asked */
#define DNSFIX_MAX_TCP      32     /* connections; more are closed at once */
#define DNSFIX_TCP_IDLE_MS  10000  /* a connection without traffic closes */
#define DNSFIX_TCP_OUT_MAX  262144 /* queued answers per connection */
#define DNSFIX_MAX_DELAYED  4096   /* answers waiting; more are dropped */
#define DNSFIX_MAX_DELAY_MS 600000
#define DNSFIX_RCVBUF       (4 << 20) /* the UDP socket's receive buffer */
#define DNSFIX_ROOT_NS      "a.root-servers.net" /* the built-in root's */

struct dnsfix_zone;
struct dnsfix;

/* What the server does to a query; see the semantics above. */
struct dnsfix_behaviour {
	bool drop;
	bool servfail;
	bool refused;
	bool nxdomain; /* lie: NXDOMAIN for every name, the root included */
	bool truncate;
	uint32_t delay_ms;
};

/*
 * Zones. Every dnsfix_add_* call appends one entry to name (creating
 * the name) and returns 0, or -1 for an invalid name, address, target or
 * RDATA over 65535 octets (nothing is added then).
 */

/* Returns owned (dnsfix_zone_free): an empty zone. */
struct dnsfix_zone *dnsfix_zone_new(void);
/* NULL is a no-op. */
void dnsfix_zone_free(struct dnsfix_zone *z);

/* Reads a zone file (the JSON format above). Returns owned, or NULL with
 * *err_out set to an owned message (free) naming the file and the place. */
struct dnsfix_zone *dnsfix_zone_load(const char *path, char **err_out);
/* The same from text in memory; what names it in messages. */
struct dnsfix_zone *dnsfix_zone_load_json(const char *text, size_t len,
    const char *what, char **err_out);

/* A name that exists, without adding a record. */
int dnsfix_add_name(struct dnsfix_zone *z, const char *name);
/* addr in the usual text form (inet_pton). */
int dnsfix_add_a(struct dnsfix_zone *z, const char *name, uint32_t ttl,
    const char *addr);
int dnsfix_add_aaaa(struct dnsfix_zone *z, const char *name, uint32_t ttl,
    const char *addr);
/* host "" is the null MX. */
int dnsfix_add_mx(struct dnsfix_zone *z, const char *name, uint32_t ttl,
    uint16_t preference, const char *host);
int dnsfix_add_ptr(struct dnsfix_zone *z, const char *name, uint32_t ttl,
    const char *target);
/* An NS record: the name of a server of the zone name. */
int dnsfix_add_ns(struct dnsfix_zone *z, const char *name, uint32_t ttl,
    const char *target);
int dnsfix_add_cname(struct dnsfix_zone *z, const char *name, uint32_t ttl,
    const char *target);
/* One TXT or SPF record (type DNSMSG_T_TXT or DNSMSG_T_SPF) of n
 * character-strings; n 0 is empty RDATA. */
int dnsfix_add_strings(struct dnsfix_zone *z, const char *name, uint16_t type,
    uint32_t ttl, const struct span *strings, size_t n);
/* A TXT or SPF record of the one string s. */
int dnsfix_add_txt(struct dnsfix_zone *z, const char *name, uint32_t ttl,
    const char *s);
int dnsfix_add_spf(struct dnsfix_zone *z, const char *name, uint32_t ttl,
    const char *s);
/* "TXT: NONE": no record, but the name's SPF entries are no longer
 * served as TXT. */
int dnsfix_add_txt_none(struct dnsfix_zone *z, const char *name);
/* The TIMEOUT marker; only the first one of a name counts. */
int dnsfix_add_timeout(struct dnsfix_zone *z, const char *name);
/* Any type with raw RDATA (copied), e.g. hostile RDATA for a test. */
int dnsfix_add_rr(struct dnsfix_zone *z, const char *name, uint16_t type,
    uint32_t ttl, const uint8_t *rdata, size_t rdlen);

/* The behaviour of queries for name, or for every name when name is NULL
 * or "*"; replaces an earlier one for the same name. Returns 0 or -1 for
 * an invalid name. */
int dnsfix_zone_behaviour(struct dnsfix_zone *z, const char *name,
    const struct dnsfix_behaviour *b);
/* TTL and MINIMUM of the SOA in negative answers. */
void dnsfix_zone_negative_ttl(struct dnsfix_zone *z, uint32_t ttl);

/*
 * Answering, without sockets (the server calls this; tests may too).
 * dnsfix_zone_reply reads one query and writes the answer into out (cap
 * octets, DNSMSG_MAX_MSG is always enough). z may be NULL (every name but
 * the built-in root is NXDOMAIN); global may be NULL. tcp selects the size limit and whether
 * "truncate" applies. reply->answer false means: send nothing (a dropped
 * query, the TIMEOUT marker, or something that is not a query at all).
 * Ownership: borrows everything; the message is in out[0, reply->len).
 */
struct dnsfix_reply {
	bool answer;       /* false: send nothing */
	bool has_question; /* qname and qtype were read */
	bool truncated;    /* TC was set */
	uint16_t rcode;
	uint16_t ancount;
	uint32_t delay_ms; /* send this much later */
	size_t len;
	uint16_t qtype;
	char qname[DNSMSG_MAX_TEXT]; /* lowercased, as dnsmsg_read_question */
	const char *why; /* static: "answer", "drop", "timeout", "response",
			    "unreadable", ... for logs and tests */
};

void dnsfix_zone_reply(const struct dnsfix_zone *z,
    const struct dnsfix_behaviour *global, struct span query, bool tcp,
    uint8_t *out, size_t cap, struct dnsfix_reply *reply);

/*
 * The server.
 */

/* Listens on addr (dotted IPv4 in 127.0.0.0/8) and port (0: an ephemeral
 * port, the same for UDP and TCP) with sockets registered on loop.
 * Serves an empty zone until dnsfix_set_zone. Returns owned
 * (dnsfix_free), or NULL with *err_out set (owned, free).
 * Ownership: borrows loop, which must outlive the server. */
struct dnsfix *dnsfix_new(struct evloop *loop, const char *addr, uint16_t port,
    char **err_out);
/* Closes the sockets and connections, drops answers still waiting for
 * their delay, frees the zone. NULL is a no-op. */
void dnsfix_free(struct dnsfix *f);

uint16_t dnsfix_port(const struct dnsfix *f);
/* Takes *z (NULL: an empty zone) and frees the zone served before; *z is
 * set to NULL. Answers already waiting for their delay are kept. */
void dnsfix_set_zone(struct dnsfix *f, struct dnsfix_zone **z);
/* The zone served, to add to it between queries. Returns a view valid
 * until dnsfix_set_zone or dnsfix_free. */
struct dnsfix_zone *dnsfix_zone(struct dnsfix *f);
/* The server-wide behaviour (copied); NULL resets it. */
void dnsfix_set_behaviour(struct dnsfix *f, const struct dnsfix_behaviour *b);
/* TCP limits: connections at once, and the idle time after which a
 * connection without traffic and without waiting answers is closed. */
void dnsfix_set_tcp_limits(struct dnsfix *f, size_t max_conns,
    uint32_t idle_ms);
/* One line per query on stderr. */
void dnsfix_set_verbose(struct dnsfix *f, bool verbose);

/* How many queries for (name, type) arrived, over both transports or over
 * TCP only; type 0 counts every type of name; name NULL counts every
 * name. Names are compared case-insensitively, a final dot ignored. */
unsigned long dnsfix_queries(const struct dnsfix *f, const char *name,
    uint16_t type);
unsigned long dnsfix_queries_tcp(const struct dnsfix *f, const char *name,
    uint16_t type);
void dnsfix_reset_counts(struct dnsfix *f);
/* TCP connections open now. */
size_t dnsfix_tcp_conns(const struct dnsfix *f);

#endif
