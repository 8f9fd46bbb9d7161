/* SPDX-License-Identifier: MIT */
/*
 * dnsmsg.c - DNS messages on the wire (RFC 1035 §4), read and written
 *
 * The reader never trusts a count or a length: every read is checked
 * against the message size, a name is expanded into a 255-octet buffer,
 * and a compression pointer must point before the labels read since the
 * previous jump, so the start of each run strictly decreases and no
 * message can make the expansion loop (DNSMSG_MAX_POINTERS caps it
 * anyway). The answer section is framed once into an array of offsets;
 * the CNAME chase and the record collection then compare owner names by
 * expanding them again, which keeps the memory per message small.
 * Not here: sockets and retries (resolver_ares.c), the fixture server that
 * uses the writers (tests/dnsfix.c).
 */
#include "dnsmsg.h"

#include <stdio.h>
#include <string.h>

#include "ascii.h"
#include "log.h"

/* One resource record as framed: offsets into the message. */
struct dnsmsg_rr {
	size_t owner; /* offset of the owner name */
	uint16_t type;
	uint16_t class;
	uint32_t ttl;
	size_t rdoff;
	size_t rdlen;
};

/* A message being read. */
struct dnsmsg_rd {
	const uint8_t *m;
	size_t len;
	size_t pos;
};

static uint16_t
dnsmsg_get16(const uint8_t *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static uint32_t
dnsmsg_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* dnsmsg_wire_eq - two wire names equal, ASCII case-insensitively (RFC
 * 4343); length octets are below 'A', so lowering them changes nothing */
static bool
dnsmsg_wire_eq(const uint8_t *x, size_t xlen, const uint8_t *y, size_t ylen)
{
	return ascii_ieq(span_make((const char *)x, xlen),
	    span_make((const char *)y, ylen));
}

/*
 * dnsmsg_name_expand - the name at off of m into out (wire form,
 * lowercased, uncompressed, at most DNSMSG_MAX_NAME octets). *end_out is
 * the offset just after the name where it was written (after its first
 * pointer). Returns 0 or -1.
 */
static int
dnsmsg_name_expand(const uint8_t *m, size_t len, size_t off, uint8_t *out,
    size_t *outlen_out, size_t *end_out)
{
	size_t pos = off, run = off, n = 0, end = 0;
	unsigned jumps = 0;
	bool jumped = false;

	for (;;) {
		uint8_t c;

		if (pos >= len)
			return -1;
		c = m[pos];
		if ((c & 0xc0) == 0xc0) {
			size_t target;

			if (pos + 1 >= len)
				return -1;
			target = (size_t)(c & 0x3f) << 8 | m[pos + 1];
			/* RFC 1035 §4.1.4: "a prior occurance"; before the
			 * current run, so the runs move strictly backwards */
			if (target >= run || ++jumps > DNSMSG_MAX_POINTERS)
				return -1;
			if (!jumped)
				end = pos + 2;
			jumped = true;
			pos = run = target;
			continue;
		}
		if ((c & 0xc0) != 0) /* 0x40, 0x80: no such label types */
			return -1;
		if (c == 0)
			break;
		if (c > len - pos - 1 || n + 1 + c + 1 > DNSMSG_MAX_NAME)
			return -1;
		out[n++] = c;
		ascii_lower((char *)out + n, (const char *)m + pos + 1, c);
		n += c;
		pos += 1 + (size_t)c;
	}
	out[n++] = 0;
	if (!jumped)
		end = pos + 1;
	*outlen_out = n;
	*end_out = end;
	return 0;
}

/* dnsmsg_wire_text - a wire name as escaped text into out (cap ≥
 * DNSMSG_MAX_TEXT is always enough); returns the text length */
static size_t
dnsmsg_wire_text(const uint8_t *w, char *out, size_t cap)
{
	size_t n = 0, i = 0;

	ASSERT(cap >= DNSMSG_MAX_TEXT);
	while (w[i] != 0) {
		size_t l = w[i++];

		if (n > 0)
			out[n++] = '.';
		for (size_t j = 0; j < l; j++, i++) {
			uint8_t c = w[i];

			if (c == '.' || c == '\\') {
				out[n++] = '\\';
				out[n++] = (char)c;
			} else if (c < 0x21 || c > 0x7e) {
				out[n++] = '\\';
				out[n++] = (char)('0' + c / 100);
				out[n++] = (char)('0' + c / 10 % 10);
				out[n++] = (char)('0' + c % 10);
			} else {
				out[n++] = (char)c;
			}
		}
	}
	out[n] = '\0';
	return n;
}

static const char *
dnsmsg_wire_dup(struct arena *a, const uint8_t *w)
{
	char text[DNSMSG_MAX_TEXT];
	size_t n = dnsmsg_wire_text(w, text, sizeof(text));

	return arena_strndup(a, text, n);
}

/* dnsmsg_text_escape - one "\X" or "\DDD" escape at s[*i] (the
 * backslash); returns the byte, or -1 */
static int
dnsmsg_text_escape(const char *s, size_t len, size_t *i)
{
	size_t j = *i + 1;
	unsigned v = 0;

	if (j >= len)
		return -1;
	if (s[j] < '0' || s[j] > '9') {
		*i = j;
		return (unsigned char)s[j];
	}
	if (len - j < 3)
		return -1;
	for (size_t k = 0; k < 3; k++) {
		if (s[j + k] < '0' || s[j + k] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[j + k] - '0');
	}
	if (v > 255)
		return -1;
	*i = j + 2;
	return (int)v;
}

int
dnsmsg_rdata_name(const char *name, uint8_t *out, size_t cap)
{
	uint8_t w[DNSMSG_MAX_NAME];
	size_t len = strlen(name), n = 1, lab = 0, llen = 0;

	if (len == 1 && name[0] == '.')
		len = 0;
	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)name[i];

		if (c == '.') {
			if (llen == 0) /* "a..b", ".a" */
				return -1;
			w[lab] = (uint8_t)llen;
			lab = n++;
			llen = 0;
			continue;
		}
		if (c == '\\')
			c = dnsmsg_text_escape(name, len, &i);
		if (c < 0)
			return -1;
		/* room for this octet and the root after it */
		if (llen == DNSMSG_MAX_LABEL || n + 2 > DNSMSG_MAX_NAME)
			return -1;
		w[n++] = (uint8_t)c;
		llen++;
	}
	if (llen > 0) {
		w[lab] = (uint8_t)llen;
		w[n++] = 0;
	} else {
		/* "" or a final dot: the length octet becomes the root */
		w[lab] = 0;
		n = lab + 1;
	}
	if (n > cap)
		return -1;
	memcpy(out, w, n);
	return (int)n;
}

/* dnsmsg_text_wire - qname as text to a lowercased wire name */
static int
dnsmsg_text_wire(const char *name, uint8_t *w, size_t *wlen_out)
{
	int n = dnsmsg_rdata_name(name, w, DNSMSG_MAX_NAME);

	if (n < 0)
		return -1;
	ascii_lower((char *)w, (const char *)w, (size_t)n);
	*wlen_out = (size_t)n;
	return 0;
}

/* dnsmsg_ttl - RFC 2181 §8: a TTL with the top bit set means zero */
static uint32_t
dnsmsg_ttl(uint32_t ttl)
{
	return (ttl & 0x80000000u) != 0 ? 0 : ttl;
}

/* dnsmsg_rr_read - frame the record at r->pos; 0 or -1 */
static int
dnsmsg_rr_read(struct dnsmsg_rd *r, struct dnsmsg_rr *rr)
{
	uint8_t name[DNSMSG_MAX_NAME];
	size_t nlen, end;
	const uint8_t *p;

	if (dnsmsg_name_expand(r->m, r->len, r->pos, name, &nlen, &end) == -1)
		return -1;
	if (r->len - end < 10)
		return -1;
	p = r->m + end;
	rr->owner = r->pos;
	rr->type = dnsmsg_get16(p);
	rr->class = dnsmsg_get16(p + 2);
	rr->ttl = dnsmsg_ttl(dnsmsg_get32(p + 4));
	rr->rdlen = dnsmsg_get16(p + 8);
	rr->rdoff = end + 10;
	if (rr->rdlen > r->len - rr->rdoff)
		return -1;
	r->pos = rr->rdoff + rr->rdlen;
	return 0;
}

/* dnsmsg_owner_is - is rr's owner the wire name w? */
static bool
dnsmsg_owner_is(const struct dnsmsg_rd *r, const struct dnsmsg_rr *rr,
    const uint8_t *w, size_t wlen)
{
	uint8_t name[DNSMSG_MAX_NAME];
	size_t nlen, end;

	if (dnsmsg_name_expand(r->m, r->len, rr->owner, name, &nlen, &end) ==
	    -1)
		return false;
	return dnsmsg_wire_eq(name, nlen, w, wlen);
}

/* dnsmsg_rdata_name_at - the name that fills rr's RDATA from off to its
 * end exactly; 0 or -1 */
static int
dnsmsg_rdata_name_at(const struct dnsmsg_rd *r, const struct dnsmsg_rr *rr,
    size_t off, uint8_t *w, size_t *wlen_out)
{
	size_t end;

	if (dnsmsg_name_expand(r->m, r->len, off, w, wlen_out, &end) == -1)
		return -1;
	return end == rr->rdoff + rr->rdlen ? 0 : -1;
}

/* dnsmsg_txt_decode - character-strings (RFC 1035 §3.3.14) joined */
static int
dnsmsg_txt_decode(struct arena *a, const struct dnsmsg_rd *r,
    const struct dnsmsg_rr *rr, struct dnsmsg_record *rec)
{
	const uint8_t *p = r->m + rr->rdoff;
	size_t i = 0, n = 0, nstrings = 0;
	char *data;

	while (i < rr->rdlen) {
		size_t l = p[i];

		if (l > rr->rdlen - i - 1)
			return -1;
		i += 1 + l;
		n += l;
		nstrings++;
	}
	data = arena_alloc(a, n + 1);
	for (i = 0, n = 0; i < rr->rdlen; i += 1 + (size_t)p[i]) {
		memcpy(data + n, p + i + 1, p[i]);
		n += p[i];
	}
	data[n] = '\0';
	rec->u.txt.data = data;
	rec->u.txt.len = n;
	rec->u.txt.nstrings = nstrings;
	return 0;
}

/* dnsmsg_record_decode - rr's RDATA by type; 0 or -1 */
static int
dnsmsg_record_decode(struct arena *a, const struct dnsmsg_rd *r,
    const struct dnsmsg_rr *rr, struct dnsmsg_record *rec)
{
	uint8_t w[DNSMSG_MAX_NAME];
	size_t wlen;

	memset(rec, 0, sizeof(*rec));
	rec->type = rr->type;
	rec->ttl = rr->ttl;
	switch (rr->type) {
	case DNSMSG_T_A:
		if (rr->rdlen != sizeof(rec->u.a))
			return -1;
		memcpy(rec->u.a, r->m + rr->rdoff, sizeof(rec->u.a));
		return 0;
	case DNSMSG_T_AAAA:
		if (rr->rdlen != sizeof(rec->u.aaaa))
			return -1;
		memcpy(rec->u.aaaa, r->m + rr->rdoff, sizeof(rec->u.aaaa));
		return 0;
	case DNSMSG_T_MX:
		if (rr->rdlen < 3 ||
		    dnsmsg_rdata_name_at(r, rr, rr->rdoff + 2, w, &wlen) == -1)
			return -1;
		rec->u.mx.preference = dnsmsg_get16(r->m + rr->rdoff);
		rec->u.mx.host = dnsmsg_wire_dup(a, w);
		return 0;
	case DNSMSG_T_NS:
	case DNSMSG_T_CNAME:
	case DNSMSG_T_PTR:
		if (dnsmsg_rdata_name_at(r, rr, rr->rdoff, w, &wlen) == -1)
			return -1;
		rec->u.name = dnsmsg_wire_dup(a, w);
		return 0;
	case DNSMSG_T_TXT:
	case DNSMSG_T_SPF:
		return dnsmsg_txt_decode(a, r, rr, rec);
	default:
		return 0;
	}
}

/* dnsmsg_section_read - frame n records at r->pos into rrs (room for
 * max, the rest is framed and dropped); returns the count kept, or -1.
 * With tc, a record cut short ends the section (and *cut_out is set). */
static long
dnsmsg_section_read(struct dnsmsg_rd *r, size_t n, struct dnsmsg_rr *rrs,
    size_t max, bool tc, bool *cut_out)
{
	struct dnsmsg_rr rr;
	size_t kept = 0;

	for (size_t i = 0; i < n; i++) {
		if (dnsmsg_rr_read(r, &rr) == -1) {
			if (!tc)
				return -1;
			*cut_out = true;
			break;
		}
		if (kept < max)
			rrs[kept++] = rr;
	}
	return (long)kept;
}

/* dnsmsg_question_check - the first question is (qw, qtype); the others
 * are skipped */
static int
dnsmsg_question_check(struct dnsmsg_rd *r, size_t qdcount, const uint8_t *qw,
    size_t qwlen, uint16_t qtype)
{
	uint8_t name[DNSMSG_MAX_NAME];
	size_t nlen, end;

	for (size_t i = 0; i < qdcount; i++) {
		if (dnsmsg_name_expand(r->m, r->len, r->pos, name, &nlen,
		        &end) == -1 ||
		    r->len - end < 4)
			return -1;
		if (i == 0 &&
		    (!dnsmsg_wire_eq(name, nlen, qw, qwlen) ||
		        dnsmsg_get16(r->m + end) != qtype))
			return -1;
		r->pos = end + 4;
	}
	return 0;
}

/* dnsmsg_chase - follow CNAMEs from cur (RFC 1034 §3.6.2) in the answer
 * records; cur becomes the final owner, *ttl the smallest CNAME TTL.
 * Returns 0, or -1 for a chain too long (a loop) or a bad target. */
static int
dnsmsg_chase(const struct dnsmsg_rd *r, const struct dnsmsg_rr *rrs, size_t n,
    uint16_t qtype, uint8_t *cur, size_t *curlen, uint32_t *ttl)
{
	unsigned hops = 0;

	for (;;) {
		const struct dnsmsg_rr *cname = NULL;

		for (size_t i = 0; i < n; i++) {
			if (rrs[i].class != DNSMSG_C_IN ||
			    !dnsmsg_owner_is(r, &rrs[i], cur, *curlen))
				continue;
			if (rrs[i].type == qtype)
				return 0;
			if (rrs[i].type == DNSMSG_T_CNAME && cname == NULL)
				cname = &rrs[i];
		}
		if (cname == NULL)
			return 0;
		if (++hops > DNSMSG_MAX_CNAMES ||
		    dnsmsg_rdata_name_at(r, cname, cname->rdoff, cur, curlen) ==
		        -1)
			return -1;
		if (cname->ttl < *ttl)
			*ttl = cname->ttl;
	}
}

/* dnsmsg_collect - the records of qtype owned by w into out */
static int
dnsmsg_collect(struct arena *a, const struct dnsmsg_rd *r,
    const struct dnsmsg_rr *rrs, size_t n, uint16_t qtype, const uint8_t *w,
    size_t wlen, struct dnsmsg_answer *out, uint32_t *ttl)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++) {
		if (rrs[i].type == qtype && rrs[i].class == DNSMSG_C_IN &&
		    dnsmsg_owner_is(r, &rrs[i], w, wlen))
			count++;
	}
	if (count == 0)
		return 0;
	if (count > DNSMSG_MAX_RECORDS)
		count = DNSMSG_MAX_RECORDS;
	out->records = arena_alloc(a, count * sizeof(*out->records));
	for (size_t i = 0; i < n && out->nrecords < count; i++) {
		struct dnsmsg_record *rec = &out->records[out->nrecords];

		if (rrs[i].type != qtype || rrs[i].class != DNSMSG_C_IN ||
		    !dnsmsg_owner_is(r, &rrs[i], w, wlen))
			continue;
		if (dnsmsg_record_decode(a, r, &rrs[i], rec) == -1)
			return -1;
		if (rec->ttl < *ttl)
			*ttl = rec->ttl;
		out->nrecords++;
	}
	return 0;
}

/* dnsmsg_negative_ttl - RFC 2308 §5: the first authority SOA's TTL or
 * MINIMUM, whichever is smaller; 0 without one. Reads the authority
 * section at r->pos; -1 when it is unreadable. */
static int
dnsmsg_negative_ttl(const struct dnsmsg_rd *rd, size_t nscount, bool tc,
    uint32_t *ttl_out)
{
	struct dnsmsg_rd r = *rd;
	struct dnsmsg_rr rr;
	uint8_t name[DNSMSG_MAX_NAME];
	size_t nlen, end;

	*ttl_out = 0;
	for (size_t i = 0; i < nscount; i++) {
		if (dnsmsg_rr_read(&r, &rr) == -1)
			return tc ? 0 : -1;
		if (rr.type != DNSMSG_T_SOA || rr.class != DNSMSG_C_IN)
			continue;
		/* MNAME and RNAME inside the RDATA, then five 32-bit fields */
		if (dnsmsg_name_expand(r.m, r.len, rr.rdoff, name, &nlen,
		        &end) == -1 ||
		    dnsmsg_name_expand(r.m, r.len, end, name, &nlen, &end) ==
		        -1 ||
		    end + 20 != rr.rdoff + rr.rdlen)
			return -1;
		*ttl_out = dnsmsg_ttl(dnsmsg_get32(r.m + end + 16));
		if (rr.ttl < *ttl_out)
			*ttl_out = rr.ttl;
		return 0;
	}
	return 0;
}

/* dnsmsg_parse_sections - everything after the header of an RCODE 0 or 3
 * answer; sets out's records, status and ttl; -1 when unreadable */
static int
dnsmsg_parse_sections(struct arena *a, struct dnsmsg_rd *r, uint16_t qtype,
    uint8_t *cur, size_t *curlen, struct dnsmsg_answer *out)
{
	size_t ancount = dnsmsg_get16(r->m + 6),
	       nscount = dnsmsg_get16(r->m + 8);
	/* a record takes at least 11 octets: no more fit than that */
	size_t room = (r->len - r->pos) / 11 + 1;
	struct dnsmsg_rr *rrs;
	uint32_t ttl = UINT32_MAX, negttl;
	bool cut = false;
	long n;

	rrs = arena_alloc(a,
	    (ancount < room ? ancount : room) * sizeof(*rrs) + 1);
	n = dnsmsg_section_read(r, ancount, rrs,
	    ancount < room ? ancount : room, out->truncated, &cut);
	if (n < 0 ||
	    dnsmsg_chase(r, rrs, (size_t)n, qtype, cur, curlen, &ttl) == -1)
		return -1;
	if (out->rcode == DNSMSG_RCODE_NOERROR &&
	    dnsmsg_collect(a, r, rrs, (size_t)n, qtype, cur, *curlen, out,
	        &ttl) == -1)
		return -1;
	if (out->nrecords > 0) {
		out->status = DNSMSG_OK;
		out->ttl = ttl;
		return 0;
	}
	out->status = out->rcode == DNSMSG_RCODE_NXDOMAIN ? DNSMSG_NXDOMAIN :
	                                                    DNSMSG_NODATA;
	if (cut)
		return 0;
	if (dnsmsg_negative_ttl(r, nscount, out->truncated, &negttl) == -1)
		return -1;
	out->ttl = negttl < ttl ? negttl : ttl;
	return 0;
}

enum dnsmsg_status
dnsmsg_parse(struct arena *a, struct span msg, const char *qname,
    uint16_t qtype, struct dnsmsg_answer *out)
{
	struct dnsmsg_rd r = { (const uint8_t *)msg.ptr, msg.len, 0 };
	uint8_t qw[DNSMSG_MAX_NAME], cur[DNSMSG_MAX_NAME];
	size_t qwlen, curlen;
	uint16_t flags;

	memset(out, 0, sizeof(*out));
	out->status = DNSMSG_MALFORMED;
	if (dnsmsg_text_wire(qname, qw, &qwlen) == -1) {
		out->canonical = arena_strndup(a, qname, strlen(qname));
		return out->status;
	}
	out->canonical = dnsmsg_wire_dup(a, qw);
	if (r.m == NULL || r.len < DNSMSG_HEADER_LEN)
		return out->status;
	flags = dnsmsg_get16(r.m + 2);
	out->rcode = flags & DNSMSG_F_RCODE_MASK;
	out->truncated = (flags & DNSMSG_F_TC) != 0;
	if ((flags & DNSMSG_F_QR) == 0)
		return out->status;
	r.pos = DNSMSG_HEADER_LEN;
	if (dnsmsg_question_check(&r, dnsmsg_get16(r.m + 4), qw, qwlen,
	        qtype) == -1)
		return out->status;
	if (out->rcode != DNSMSG_RCODE_NOERROR &&
	    out->rcode != DNSMSG_RCODE_NXDOMAIN) {
		out->status = DNSMSG_SERVFAIL;
		return out->status;
	}
	memcpy(cur, qw, qwlen);
	curlen = qwlen;
	if (dnsmsg_parse_sections(a, &r, qtype, cur, &curlen, out) == -1) {
		out->status = DNSMSG_MALFORMED;
		out->records = NULL;
		out->nrecords = 0;
		out->ttl = 0;
		return out->status;
	}
	out->canonical = dnsmsg_wire_dup(a, cur);
	return out->status;
}

const char *
dnsmsg_status_str(enum dnsmsg_status s)
{
	switch (s) {
	case DNSMSG_OK:
		return "ok";
	case DNSMSG_NXDOMAIN:
		return "nxdomain";
	case DNSMSG_NODATA:
		return "nodata";
	case DNSMSG_TIMEOUT:
		return "timeout";
	case DNSMSG_SERVFAIL:
		return "servfail";
	case DNSMSG_MALFORMED:
		return "malformed";
	}
	return "malformed";
}

const char *
dnsmsg_type_str(uint16_t type, char buf[16])
{
	switch (type) {
	case DNSMSG_T_A:
		return "A";
	case DNSMSG_T_NS:
		return "NS";
	case DNSMSG_T_CNAME:
		return "CNAME";
	case DNSMSG_T_SOA:
		return "SOA";
	case DNSMSG_T_PTR:
		return "PTR";
	case DNSMSG_T_MX:
		return "MX";
	case DNSMSG_T_TXT:
		return "TXT";
	case DNSMSG_T_AAAA:
		return "AAAA";
	case DNSMSG_T_OPT:
		return "OPT";
	case DNSMSG_T_SPF:
		return "SPF";
	default:
		(void)snprintf(buf, 16, "TYPE%u", (unsigned)type);
		return buf;
	}
}

/* Writing */

void
dnsmsg_writer_init(struct dnsmsg_writer *w, uint8_t *buf, size_t cap)
{
	memset(w, 0, sizeof(*w));
	w->buf = buf;
	w->cap = cap < DNSMSG_MAX_MSG ? cap : DNSMSG_MAX_MSG;
}

static int
dnsmsg_put(struct dnsmsg_writer *w, const void *p, size_t n)
{
	if (w->full || n > w->cap - w->len) {
		w->full = true;
		return -1;
	}
	if (n > 0)
		memcpy(w->buf + w->len, p, n);
	w->len += n;
	return 0;
}

static int
dnsmsg_put16(struct dnsmsg_writer *w, unsigned v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	return dnsmsg_put(w, b, sizeof(b));
}

static int
dnsmsg_put32(struct dnsmsg_writer *w, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
		(uint8_t)(v >> 8), (uint8_t)v };

	return dnsmsg_put(w, b, sizeof(b));
}

static void
dnsmsg_set16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* dnsmsg_writer_find - an earlier name equal to the wire name wn */
static bool
dnsmsg_writer_find(const struct dnsmsg_writer *w, const uint8_t *wn,
    size_t wnlen, uint16_t *off_out)
{
	uint8_t name[DNSMSG_MAX_NAME];
	size_t nlen, end;

	for (size_t i = 0; i < w->nnames; i++) {
		if (dnsmsg_name_expand(w->buf, w->len, w->names[i], name, &nlen,
		        &end) == 0 &&
		    dnsmsg_wire_eq(name, nlen, wn, wnlen)) {
			*off_out = w->names[i];
			return true;
		}
	}
	return false;
}

/* dnsmsg_write_name - a name as text, its longest known suffix replaced
 * by a pointer (RFC 1035 §4.1.4) */
static int
dnsmsg_write_name(struct dnsmsg_writer *w, const char *name)
{
	uint8_t wn[DNSMSG_MAX_NAME];
	int n = dnsmsg_rdata_name(name, wn, sizeof(wn));
	size_t i = 0, base = w->len;
	uint16_t ptr = 0;
	bool found = false;

	if (n < 0)
		return -1;
	while (wn[i] != 0) {
		found = dnsmsg_writer_find(w, wn + i, (size_t)n - i, &ptr);
		if (found)
			break;
		i += 1 + (size_t)wn[i];
	}
	if (dnsmsg_put(w, wn, i) == -1)
		return -1;
	for (size_t j = 0; j < i; j += 1 + (size_t)wn[j]) {
		if (base + j < 0x4000 && w->nnames < DNSMSG_WRITER_NAMES)
			w->names[w->nnames++] = (uint16_t)(base + j);
	}
	if (found)
		return dnsmsg_put16(w, 0xc000u | ptr);
	return dnsmsg_put(w, "", 1);
}

int
dnsmsg_write_header(struct dnsmsg_writer *w, uint16_t id, uint16_t flags,
    const char *qname, uint16_t qtype)
{
	uint8_t h[DNSMSG_HEADER_LEN];

	memset(h, 0, sizeof(h));
	dnsmsg_set16(h, id);
	dnsmsg_set16(h + 2, flags);
	dnsmsg_set16(h + 4, qname != NULL ? 1 : 0);
	w->len = 0;
	w->ancount = w->nscount = w->arcount = 0;
	w->section = 0;
	w->nnames = 0;
	w->full = false;
	if (dnsmsg_put(w, h, sizeof(h)) == -1)
		return -1;
	if (qname == NULL)
		return 0;
	if (dnsmsg_write_name(w, qname) == -1 || dnsmsg_put16(w, qtype) == -1 ||
	    dnsmsg_put16(w, DNSMSG_C_IN) == -1)
		return -1;
	return 0;
}

/* dnsmsg_write_record - one record in section (0, 1, 2), counted in the
 * header; nothing of it stays when it fails */
static int
dnsmsg_write_record(struct dnsmsg_writer *w, unsigned section, const char *name,
    uint16_t type, uint16_t class, uint32_t ttl, const uint8_t *rdata,
    size_t rdlen)
{
	uint16_t *count = section == 0 ? &w->ancount :
	    section == 1               ? &w->nscount :
	                                 &w->arcount;
	size_t len0 = w->len, nnames0 = w->nnames;

	ASSERT(w->len >= DNSMSG_HEADER_LEN && section >= w->section);
	if (rdlen > UINT16_MAX || *count == UINT16_MAX)
		return -1;
	if (dnsmsg_write_name(w, name) == -1 || dnsmsg_put16(w, type) == -1 ||
	    dnsmsg_put16(w, class) == -1 || dnsmsg_put32(w, ttl) == -1 ||
	    dnsmsg_put16(w, (unsigned)rdlen) == -1 ||
	    dnsmsg_put(w, rdata, rdlen) == -1) {
		w->len = len0;
		w->nnames = nnames0;
		return -1;
	}
	w->section = section;
	(*count)++;
	dnsmsg_set16(w->buf + 6, w->ancount);
	dnsmsg_set16(w->buf + 8, w->nscount);
	dnsmsg_set16(w->buf + 10, w->arcount);
	return 0;
}

int
dnsmsg_write_rr(struct dnsmsg_writer *w, const char *name, uint16_t type,
    uint32_t ttl, const uint8_t *rdata, size_t rdlen)
{
	return dnsmsg_write_record(w, 0, name, type, DNSMSG_C_IN, ttl, rdata,
	    rdlen);
}

int
dnsmsg_write_authority(struct dnsmsg_writer *w, const char *name, uint16_t type,
    uint32_t ttl, const uint8_t *rdata, size_t rdlen)
{
	return dnsmsg_write_record(w, 1, name, type, DNSMSG_C_IN, ttl, rdata,
	    rdlen);
}

int
dnsmsg_write_opt(struct dnsmsg_writer *w, uint16_t payload)
{
	/* RFC 6891 §6.1.2: root owner, CLASS = payload size, TTL = extended
	 * RCODE, version 0 and flags, no options */
	return dnsmsg_write_record(w, 2, "", DNSMSG_T_OPT, payload, 0, NULL, 0);
}

int
dnsmsg_rdata_txt(const void *data, size_t len, uint8_t *out, size_t cap)
{
	const uint8_t *p = data;
	size_t n = 0, off = 0;

	do {
		size_t l = len - off > 255 ? 255 : len - off;

		if (l + 1 > cap - n || n + l + 1 > UINT16_MAX)
			return -1;
		out[n] = (uint8_t)l;
		if (l > 0)
			memcpy(out + n + 1, p + off, l);
		n += l + 1;
		off += l;
	} while (off < len);
	return (int)n;
}

int
dnsmsg_rdata_mx(uint16_t preference, const char *host, uint8_t *out, size_t cap)
{
	int n;

	if (cap < 3)
		return -1;
	dnsmsg_set16(out, preference);
	n = dnsmsg_rdata_name(host, out + 2, cap - 2);
	return n < 0 ? -1 : n + 2;
}

int
dnsmsg_rdata_soa(const struct dnsmsg_soa *soa, uint8_t *out, size_t cap)
{
	const uint32_t v[5] = { soa->serial, soa->refresh, soa->retry,
		soa->expire, soa->minimum };
	int m, r;
	size_t n;

	m = dnsmsg_rdata_name(soa->mname, out, cap);
	if (m < 0)
		return -1;
	r = dnsmsg_rdata_name(soa->rname, out + m, cap - (size_t)m);
	if (r < 0)
		return -1;
	n = (size_t)m + (size_t)r;
	if (cap - n < sizeof(v))
		return -1;
	for (size_t i = 0; i < 5; i++, n += 4) {
		dnsmsg_set16(out + n, (unsigned)(v[i] >> 16));
		dnsmsg_set16(out + n + 2, (unsigned)(v[i] & 0xffffu));
	}
	return (int)n;
}

/* Reading queries */

int
dnsmsg_read_question(struct span msg, uint16_t *id_out, char *name_out,
    uint16_t *qtype_out, uint16_t *flags_out)
{
	const uint8_t *m = (const uint8_t *)msg.ptr;
	uint8_t name[DNSMSG_MAX_NAME];
	size_t nlen, end;

	if (m == NULL || msg.len < DNSMSG_HEADER_LEN ||
	    dnsmsg_get16(m + 4) != 1)
		return -1;
	if (dnsmsg_name_expand(m, msg.len, DNSMSG_HEADER_LEN, name, &nlen,
	        &end) == -1 ||
	    msg.len - end < 4 || dnsmsg_get16(m + end + 2) != DNSMSG_C_IN)
		return -1;
	*id_out = dnsmsg_get16(m);
	*flags_out = dnsmsg_get16(m + 2);
	*qtype_out = dnsmsg_get16(m + end);
	(void)dnsmsg_wire_text(name, name_out, DNSMSG_MAX_TEXT);
	return 0;
}

int
dnsmsg_read_edns(struct span msg, uint16_t *payload_out)
{
	struct dnsmsg_rd r = { (const uint8_t *)msg.ptr, msg.len, 0 };
	uint8_t name[DNSMSG_MAX_NAME];
	struct dnsmsg_rr rr;
	size_t nlen, end, qd, rrs, ar;

	if (r.m == NULL || r.len < DNSMSG_HEADER_LEN)
		return -1;
	qd = dnsmsg_get16(r.m + 4);
	rrs = (size_t)dnsmsg_get16(r.m + 6) + dnsmsg_get16(r.m + 8);
	ar = dnsmsg_get16(r.m + 10);
	r.pos = DNSMSG_HEADER_LEN;
	for (size_t i = 0; i < qd; i++) {
		if (dnsmsg_name_expand(r.m, r.len, r.pos, name, &nlen, &end) ==
		        -1 ||
		    r.len - end < 4)
			return -1;
		r.pos = end + 4;
	}
	for (size_t i = 0; i < rrs; i++) {
		if (dnsmsg_rr_read(&r, &rr) == -1)
			return -1;
	}
	*payload_out = 0;
	for (size_t i = 0; i < ar; i++) {
		if (dnsmsg_rr_read(&r, &rr) == -1)
			return -1;
		if (rr.type == DNSMSG_T_OPT) {
			/* RFC 6891 §6.2.5: below 512 is treated as 512 */
			*payload_out = rr.class < DNSMSG_UDP_MAX ?
			    DNSMSG_UDP_MAX :
			    rr.class;
			return 0;
		}
	}
	return 0;
}
