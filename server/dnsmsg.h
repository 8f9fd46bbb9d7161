/* SPDX-License-Identifier: MIT */
/*
 * dnsmsg.h - DNS messages on the wire (RFC 1035 §4), read and written
 *
 * API: dnsmsg_parse(arena, msg, qname, qtype, &answer) reads a response
 * into the records of the asked type that answer the question, following
 * the CNAME chain inside the answer section (RFC 1034 §3.6.2), with their
 * TTLs and the response code. dnsmsg_writer_init → dnsmsg_write_header →
 * dnsmsg_write_rr ... → dnsmsg_write_authority ... → dnsmsg_write_opt
 * writes a message: the fixture DNS server of the tests answers with
 * them, and tests build queries and hostile answers. dnsmsg_read_question
 * and dnsmsg_read_edns read a query (the fixture's side).
 * Names are compared ASCII case-insensitively (RFC 4343). Everything is
 * bounded by the message size; compression pointers may only point
 * backwards and at most DNSMSG_MAX_POINTERS are followed per name, so a
 * hostile message cannot loop.
 *
 * Names as text: dotted, without the final dot, "" is the root. Label
 * bytes that would make the text ambiguous or unprintable are escaped as
 * in master files (RFC 1035 §5.1) and as c-ares's ares_expand_name does:
 * '.' and '\' as "\." and "\\", bytes outside 0x21..0x7e as "\DDD"
 * (decimal). The writers read the same escapes back, so text → wire →
 * text is exact.
 *
 * Not here: sending and retrying (resolver_ares.c), caching and
 * budgets (resolver.c).
 * Ownership: parsed data belongs to the arena; built messages go into a
 * caller's buffer.
 */
#ifndef DNSMSG_H
#define DNSMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "span.h"

#define DNSMSG_T_A     1
#define DNSMSG_T_NS    2
#define DNSMSG_T_CNAME 5
#define DNSMSG_T_SOA   6
#define DNSMSG_T_PTR   12
#define DNSMSG_T_MX    15
#define DNSMSG_T_TXT   16
#define DNSMSG_T_AAAA  28
#define DNSMSG_T_OPT   41 /* EDNS(0) pseudo-record, RFC 6891 §6.1 */
#define DNSMSG_T_SPF   99

#define DNSMSG_C_IN 1

/* The second 16-bit word of the header (RFC 1035 §4.1.1). */
#define DNSMSG_F_QR         0x8000u /* a response */
#define DNSMSG_F_AA         0x0400u
#define DNSMSG_F_TC         0x0200u /* truncated: retry over TCP */
#define DNSMSG_F_RD         0x0100u
#define DNSMSG_F_RA         0x0080u
#define DNSMSG_F_RCODE_MASK 0x000fu

#define DNSMSG_RCODE_NOERROR  0
#define DNSMSG_RCODE_FORMERR  1
#define DNSMSG_RCODE_SERVFAIL 2
#define DNSMSG_RCODE_NXDOMAIN 3
#define DNSMSG_RCODE_NOTIMP   4
#define DNSMSG_RCODE_REFUSED  5

#define DNSMSG_HEADER_LEN   12
#define DNSMSG_UDP_MAX      512   /* without EDNS (RFC 1035 §4.2.1) */
#define DNSMSG_MAX_MSG      65535 /* the TCP length prefix (§4.2.2) */
#define DNSMSG_MAX_NAME     255   /* octets, wire form (RFC 1035 §2.3.4) */
#define DNSMSG_MAX_LABEL    63
#define DNSMSG_MAX_TEXT     1024 /* a name as escaped text, NUL included */
#define DNSMSG_MAX_POINTERS 32
#define DNSMSG_MAX_CNAMES   16  /* longer chains are treated as loops */
#define DNSMSG_MAX_RECORDS  256 /* kept per answer; the rest is dropped */
#define DNSMSG_WRITER_NAMES 64  /* names remembered for compression */

/* What a lookup came to: data, not an error (house style §6). */
enum dnsmsg_status {
	DNSMSG_OK,        /* at least one record of the asked type */
	DNSMSG_NXDOMAIN,  /* RCODE 3: the name does not exist */
	DNSMSG_NODATA,    /* the name exists, no record of that type */
	DNSMSG_TIMEOUT,   /* no answer before the deadline */
	DNSMSG_SERVFAIL,  /* RCODE 2 or 5 (refused): the server failed */
	DNSMSG_MALFORMED, /* an answer that cannot be read */
};

/* One record of the asked type. Names are lowercased, without the final
 * dot; "" is the root (a null MX, RFC 7505). Types other than those in
 * the union keep only type and ttl. */
struct dnsmsg_record {
	uint16_t type;
	uint32_t ttl;

	union {
		uint8_t a[4];     /* A, network order */
		uint8_t aaaa[16]; /* AAAA, network order */

		struct {
			uint16_t preference;
			const char *host;
		} mx;

		const char *name; /* PTR, CNAME, NS target */

		/* TXT and SPF: the character-strings joined without
		 * separators (RFC 7208 §3.3); may hold any byte, NUL included,
		 * and has a NUL after the last byte; nstrings 0 is a record
		 * with empty RDATA */
		struct {
			const char *data;
			size_t len;
			size_t nstrings;
		} txt;
	} u;
};

struct dnsmsg_answer {
	enum dnsmsg_status status;
	uint16_t rcode;        /* as received; 0 when there was no answer */
	bool truncated;        /* TC was set on the message parsed */
	uint32_t ttl;          /* the smallest TTL of the records used (for
			    NXDOMAIN/NODATA: the SOA minimum, RFC 2308 §5),
			    0 when unknown */
	const char *canonical; /* the name the records belong to after
				  CNAMEs, lowercased */
	struct dnsmsg_record *records;
	size_t nrecords;
};

/* SOA RDATA (RFC 1035 §3.3.13), for the writers. */
struct dnsmsg_soa {
	const char *mname;
	const char *rname;
	uint32_t serial;
	uint32_t refresh;
	uint32_t retry;
	uint32_t expire;
	uint32_t minimum; /* the negative-caching TTL, RFC 2308 §4 */
};

/*
 * Reads a response message msg for the question (qname, qtype). Never
 * fails: an unreadable message gives status DNSMSG_MALFORMED.
 *
 * - The header must say QR (a response). The first question, when there
 *   is one, must be (qname, qtype); further questions are skipped.
 * - RCODE 0 with records of qtype for the final owner: DNSMSG_OK; without:
 *   DNSMSG_NODATA. RCODE 3: DNSMSG_NXDOMAIN (RFC 6604: it applies to the
 *   last name of the chain). RCODE 2 and 5, and every other non-zero RCODE
 *   (FORMERR, NOTIMP, ...: the server did not answer the question):
 *   DNSMSG_SERVFAIL, without reading the sections.
 * - The answer section is read whole; CNAMEs are followed from qname
 *   (unless qtype is CNAME) until an owner that holds records of qtype or
 *   has no CNAME. A chain of more than DNSMSG_MAX_CNAMES (a loop) is
 *   DNSMSG_MALFORMED, as is a used record whose RDATA is unreadable.
 *   Records of other classes than IN are ignored; at most
 *   DNSMSG_MAX_RECORDS are kept.
 * - ttl: the smallest TTL of the CNAMEs and records used; for NXDOMAIN
 *   and NODATA the smaller of the first authority SOA's TTL and MINIMUM
 *   (RFC 2308 §5) and the CNAMEs' TTLs, 0 without an SOA. A TTL with the
 *   top bit set counts as 0 (RFC 2181 §8).
 * - With TC set, a section cut short ends the reading without making the
 *   message malformed: the records read so far are used, and truncated
 *   tells the caller that more exists.
 * The additional section is not read.
 * Returns the status, also stored in out->status; canonical is always set
 * (to qname, lowercased, when the message is unreadable).
 * Ownership: borrows msg and qname; out's strings and records belong to
 * the arena.
 */
enum dnsmsg_status dnsmsg_parse(struct arena *a, struct span msg,
    const char *qname, uint16_t qtype, struct dnsmsg_answer *out);

/* "ok", "nxdomain", "nodata", "timeout", "servfail", "malformed". */
const char *dnsmsg_status_str(enum dnsmsg_status s);
/* "A", "TXT", ..., or "TYPE123" written into buf. Returns a static string
 * or buf. */
const char *dnsmsg_type_str(uint16_t type, char buf[16]);

/*
 * Writing messages (RFC 1035 §4.1). A writer over a caller's buffer of
 * cap bytes (at most DNSMSG_MAX_MSG are used). Every call returns -1 once
 * the message would not fit, and sets full; the message written so far
 * stays valid (a record that does not fit is not half written), so the
 * caller can answer with TC set, or fail. -1 also comes back for an
 * invalid name (an empty label, a label over 63 octets, a name over 255
 * octets), without setting full. Records go in section order: answers,
 * then authority, then the OPT record; writing an earlier section after
 * a later one is a bug (ASSERT). Owner names are compressed against the
 * names written before (RFC 1035 §4.1.4); RDATA is copied as given.
 * Ownership: the writer borrows buf; buf[0, len) is the message.
 */
struct dnsmsg_writer {
	uint8_t *buf;
	size_t cap;
	size_t len;
	uint16_t ancount;
	uint16_t nscount;
	uint16_t arcount;
	unsigned section; /* 0 answer, 1 authority, 2 additional */
	bool full;
	size_t nnames;
	uint16_t names[DNSMSG_WRITER_NAMES]; /* offsets of earlier labels */
};

void dnsmsg_writer_init(struct dnsmsg_writer *w, uint8_t *buf, size_t cap);
/* Starts the message over: header and, unless qname is NULL, one
 * question of class IN. flags is the second 16-bit word (QR, AA, TC, RD,
 * RA, RCODE: the DNSMSG_F_ and DNSMSG_RCODE_ values). qname is a name as
 * text ("" or "." is the root). Returns 0 or -1. */
int dnsmsg_write_header(struct dnsmsg_writer *w, uint16_t id, uint16_t flags,
    const char *qname, uint16_t qtype);
/* One answer record of class IN with raw RDATA (rdlen ≤ 65535). Returns
 * 0 or -1. */
int dnsmsg_write_rr(struct dnsmsg_writer *w, const char *name, uint16_t type,
    uint32_t ttl, const uint8_t *rdata, size_t rdlen);
/* One authority record of class IN, e.g. the SOA of a negative answer
 * (RFC 2308 §3). Returns 0 or -1. */
int dnsmsg_write_authority(struct dnsmsg_writer *w, const char *name,
    uint16_t type, uint32_t ttl, const uint8_t *rdata, size_t rdlen);
/* The EDNS(0) OPT record in the additional section, advertising payload
 * as the UDP size (RFC 6891 §6.1.2). Returns 0 or -1. */
int dnsmsg_write_opt(struct dnsmsg_writer *w, uint16_t payload);

/*
 * RDATA helpers: write into out (cap bytes) and return the length
 * written, or -1 when it does not fit or the input is invalid.
 * - dnsmsg_rdata_name: a name as text in wire form, without compression
 *   (PTR, CNAME, NS); "" and "." are the root; one final dot is dropped.
 * - dnsmsg_rdata_txt: len bytes of data (any bytes) as character-strings
 *   of at most 255 octets each (RFC 1035 §3.3.14); len 0 writes one empty
 *   string. Several calls one after the other build a record of several
 *   strings; a record of no strings is empty RDATA.
 * - dnsmsg_rdata_mx: preference and exchange (RFC 1035 §3.3.9); host ""
 *   is the null MX (RFC 7505).
 * - dnsmsg_rdata_soa: RFC 1035 §3.3.13.
 */
int dnsmsg_rdata_name(const char *name, uint8_t *out, size_t cap);
int dnsmsg_rdata_txt(const void *data, size_t len, uint8_t *out, size_t cap);
int dnsmsg_rdata_mx(uint16_t preference, const char *host, uint8_t *out,
    size_t cap);
int dnsmsg_rdata_soa(const struct dnsmsg_soa *soa, uint8_t *out, size_t cap);

/* Reads the header and question of a query: id, name (lowercased, as
 * text, without the final dot), type and the flags word. QR is not
 * checked: the caller decides what to do with a response (flags_out).
 * The question must be the only one (QDCOUNT 1) and of class IN.
 * Returns 0, or -1 for a malformed query.
 * Ownership: name goes into the caller's buffer of DNSMSG_MAX_TEXT. */
int dnsmsg_read_question(struct span msg, uint16_t *id_out, char *name_out,
    uint16_t *qtype_out, uint16_t *flags_out);
/* Looks for an OPT record in the additional section of a query (RFC 6891
 * §6.1.1). Returns 0 with *payload_out set to the advertised UDP payload
 * size (at least DNSMSG_UDP_MAX), or to 0 when there is no OPT; -1 for a
 * message that cannot be read that far. */
int dnsmsg_read_edns(struct span msg, uint16_t *payload_out);

#endif
