/* SPDX-License-Identifier: MIT */
/*
 * ptrcheck.c - reverse DNS of one address, confirmed forward, and the HELO
 *
 * The address is read (inet_pton) and written back, its reverse name made,
 * and the PTR and HELO lookups go out together; the PTR answer sends out
 * the A/AAAA lookups of its names, all at once. Each answer is read when
 * it comes (what it says of the address, or why it says nothing: the
 * session's state then is what resolver_failure_id must see). A count of
 * the lookups still waiting, plus one while lookups are being sent (an
 * answer from the cache comes back inside resolver_lookup), says when the
 * last answer is in: the answers then become verdicts and findings, and
 * done is called, as the last thing.
 * The special-purpose address ranges (RFC 6890) are a small table here:
 * no other module asks for them yet.
 * Not here: generic names (ptrname.c), caching and deadlines
 * (resolver.c).
 */
#include "ptrcheck.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ascii.h"
#include "texts_msg.h"

#define PTRCHECK_ADDR_TEXT 48  /* an address as text, NUL included */
#define PTRCHECK_NAME_MAX  253 /* RFC 1035 §2.3.4, as text */
#define PTRCHECK_LABEL_MAX 63
#define PTRCHECK_HELO      PTRCHECK_MAX_NAMES /* the HELO's wait */

/* A special-purpose range: RFC 6890 and the RFCs it lists. */
struct ptrcheck_range {
	const char *net;
	unsigned prefix;
	const char *rfc;
};

static const struct ptrcheck_range ptrcheck_ranges[] = {
	{ "0.0.0.0", 8, "RFC 1122" },
	{ "10.0.0.0", 8, "RFC 1918" },
	{ "100.64.0.0", 10, "RFC 6598" },
	{ "127.0.0.0", 8, "RFC 1122" },
	{ "169.254.0.0", 16, "RFC 3927" },
	{ "172.16.0.0", 12, "RFC 1918" },
	{ "192.0.0.0", 24, "RFC 6890" },
	{ "192.0.2.0", 24, "RFC 5737" },
	{ "192.168.0.0", 16, "RFC 1918" },
	{ "198.18.0.0", 15, "RFC 2544" },
	{ "198.51.100.0", 24, "RFC 5737" },
	{ "203.0.113.0", 24, "RFC 5737" },
	{ "224.0.0.0", 4, "RFC 5771" },
	{ "240.0.0.0", 4, "RFC 1112" },
	{ "::", 128, "RFC 4291" },
	{ "::1", 128, "RFC 4291" },
	{ "100::", 64, "RFC 6666" },
	{ "2001:db8::", 32, "RFC 3849" },
	{ "fc00::", 7, "RFC 4193" },
	{ "fe80::", 10, "RFC 4291" },
	{ "ff00::", 8, "RFC 4291" },
};

struct ptrcheck_addr {
	bool v6;
	uint8_t b[16]; /* network order; IPv4 in b[0..3] */
};

struct ptrcheck;

/* Whose answer a forward lookup brings: a name's, or the HELO's. */
struct ptrcheck_wait {
	struct ptrcheck *c;
	size_t i; /* index of names, or PTRCHECK_HELO */
};

struct ptrcheck {
	struct resolver_session *s;
	struct arena *a;
	ptrcheck_done_fn *done;
	void *arg;
	struct ptrcheck_addr ip;
	const char *type;      /* "A" or "AAAA", for the sentences */
	const char *rfc;       /* the RFC of the reserved range */
	struct span helo_bare; /* the HELO name without a final dot */
	char *helo_lookup;     /* the HELO name looked up, or NULL */
	unsigned waiting;      /* lookups not answered */
	unsigned sending;      /* lookups going out (nested): done waits */
	bool finished;
	bool helo_is_ptr; /* the HELO names one of the PTR names */
	size_t nptr;      /* distinct PTR names in the answer */
	const struct dnsmsg_answer *ptr;
	const struct dnsmsg_answer *fwd[PTRCHECK_MAX_NAMES + 1];
	struct ptrcheck_wait waits[PTRCHECK_MAX_NAMES + 1];
	struct ptrcheck_name names[PTRCHECK_MAX_NAMES];
	const char *const *helo_addrs;
	size_t helo_naddrs;
	struct ptrcheck_result res;
};

/* ptrcheck_addr_parse - IPv4 or IPv6 text; IPv4-mapped IPv6 becomes
 * IPv4. Returns 0, or -1 when s is no address. */
static int
ptrcheck_addr_parse(struct span s, struct ptrcheck_addr *out)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff,
		0xff };
	char buf[PTRCHECK_ADDR_TEXT];

	s = ascii_trim(s, ASCII_SPACE);
	if (s.len == 0 || s.len >= sizeof(buf))
		return -1;
	memcpy(buf, s.ptr, s.len);
	buf[s.len] = '\0';
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, buf, out->b) == 1)
		return 0;
	if (inet_pton(AF_INET6, buf, out->b) != 1)
		return -1;
	if (memcmp(out->b, mapped, sizeof(mapped)) == 0) {
		memmove(out->b, out->b + 12, 4);
		memset(out->b + 4, 0, 12);
		return 0;
	}
	out->v6 = true;
	return 0;
}

static bool
ptrcheck_addr_eq(const struct ptrcheck_addr *x, const struct ptrcheck_addr *y)
{
	return x->v6 == y->v6 && memcmp(x->b, y->b, sizeof(x->b)) == 0;
}

/* ptrcheck_addr_str - the address (4 or 16 bytes) as text, in the arena */
static char *
ptrcheck_addr_str(struct arena *a, bool v6, const uint8_t *b)
{
	char buf[PTRCHECK_ADDR_TEXT];

	if (inet_ntop(v6 ? AF_INET6 : AF_INET, b, buf, sizeof(buf)) == NULL)
		buf[0] = '\0';
	return arena_strndup(a, buf, strlen(buf));
}

/* ptrcheck_reverse - the name of the PTR lookup (RFC 1035 §3.5, RFC 3596
 * §2.5: the nibbles of an IPv6 address, lowest first) */
static char *
ptrcheck_reverse(struct arena *a, const struct ptrcheck_addr *ip)
{
	char buf[80];
	size_t len = 0;

	if (!ip->v6)
		return arena_printf(a, "%u.%u.%u.%u.in-addr.arpa", ip->b[3],
		    ip->b[2], ip->b[1], ip->b[0]);
	for (size_t i = sizeof(ip->b); i-- > 0;)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%x.%x.",
		    ip->b[i] & 0xfu, ip->b[i] >> 4);
	return arena_printf(a, "%sip6.arpa", buf);
}

/* ptrcheck_in_prefix - are the first bits of x and y equal? */
static bool
ptrcheck_in_prefix(const uint8_t *x, const uint8_t *y, unsigned bits)
{
	size_t whole = bits / 8;
	unsigned rest = bits % 8;
	uint8_t mask = (uint8_t)(0xffu << (8 - rest));

	if (memcmp(x, y, whole) != 0)
		return false;
	return rest == 0 || (x[whole] & mask) == (y[whole] & mask);
}

/* ptrcheck_reserved - the special-purpose range ip is in ("10.0.0.0/8")
 * and the RFC that sets it aside, or NULL */
static const char *
ptrcheck_reserved(struct arena *a, const struct ptrcheck_addr *ip,
    const char **rfc_out)
{
	size_t n = sizeof(ptrcheck_ranges) / sizeof(*ptrcheck_ranges);

	for (size_t i = 0; i < n; i++) {
		const struct ptrcheck_range *r = &ptrcheck_ranges[i];
		struct ptrcheck_addr net;

		if (ptrcheck_addr_parse(span_cstr(r->net), &net) == -1 ||
		    net.v6 != ip->v6 ||
		    !ptrcheck_in_prefix(ip->b, net.b, r->prefix))
			continue;
		*rfc_out = r->rfc;
		return arena_printf(a, "%s/%u", r->net, r->prefix);
	}
	return NULL;
}

/* ptrcheck_is_fqdn - two or more labels of 1 to 63 letters, digits, '-'
 * (not first or last) and '_', the last label not all digits, at most 253
 * octets (RFC 1035 §2.3.1, RFC 5321 §2.3.5; no final dot) */
static bool
ptrcheck_is_fqdn(struct span h)
{
	size_t labels = 0, start = 0;
	bool digits = true;

	if (h.len == 0 || h.len > PTRCHECK_NAME_MAX)
		return false;
	for (size_t i = 0; i <= h.len; i++) {
		if (i < h.len && h.ptr[i] != '.') {
			if (!ascii_is_alnum(h.ptr[i]) && h.ptr[i] != '-' &&
			    h.ptr[i] != '_')
				return false;
			digits = digits && ascii_is_digit(h.ptr[i]);
			continue;
		}
		if (i == start || i - start > PTRCHECK_LABEL_MAX ||
		    h.ptr[start] == '-' || h.ptr[i - 1] == '-')
			return false;
		labels++;
		start = i + 1;
		if (i < h.len)
			digits = true;
	}
	return labels >= 2 && !digits;
}

/* ptrcheck_literal - is h an address literal (RFC 5321 §4.1.3:
 * "[192.0.2.7]", "[IPv6:2001:db8::7]"), or a bare address? *valid_out
 * tells whether it holds an address, put in *out. */
static bool
ptrcheck_literal(struct span h, struct ptrcheck_addr *out, bool *valid_out)
{
	struct span in;

	*valid_out = ptrcheck_addr_parse(h, out) == 0;
	if (*valid_out)
		return true;
	if (h.len < 2 || h.ptr[0] != '[' || h.ptr[h.len - 1] != ']')
		return false;
	in = span_make(h.ptr + 1, h.len - 2);
	if (ascii_iprefix(in, SPAN_LIT("IPv6:")))
		*valid_out =
		    ptrcheck_addr_parse(span_sub(in, 5, in.len), out) == 0 &&
		    out->v6;
	else
		*valid_out = ptrcheck_addr_parse(in, out) == 0 && !out->v6 &&
		    memchr(in.ptr, ':', in.len) == NULL;
	return true;
}

static const struct texts_msg *
ptrcheck_msg(struct ptrcheck *c, const char *id)
{
	return texts_msg_new(c->a, id);
}

/* ptrcheck_resolve - what an A/AAAA answer says of the address: YES, NO,
 * or UNKNOWN with *why_out set; its addresses as text into *addrs_out */
static enum ptrcheck_tri
ptrcheck_resolve(struct ptrcheck *c, const struct dnsmsg_answer *ans,
    const struct texts_msg **why_out, const char *const **addrs_out,
    size_t *naddrs_out)
{
	uint16_t type = c->ip.v6 ? DNSMSG_T_AAAA : DNSMSG_T_A;
	const char *id = resolver_failure_id(c->s, ans);
	const char **addrs;
	bool found = false;
	size_t n = 0;

	if (id != NULL || ans->status == DNSMSG_MALFORMED) {
		*why_out = ptrcheck_msg(c,
		    id != NULL ? id : "ptr.unchecked.malformed");
		return PTRCHECK_UNKNOWN;
	}
	if (ans->status != DNSMSG_OK)
		return PTRCHECK_NO;
	addrs = arena_alloc(c->a, PTRCHECK_MAX_ADDRS * sizeof(*addrs));
	for (size_t i = 0; i < ans->nrecords; i++) {
		const struct dnsmsg_record *r = &ans->records[i];
		const uint8_t *b = c->ip.v6 ? r->u.aaaa : r->u.a;

		if (r->type != type)
			continue;
		found = found || memcmp(b, c->ip.b, c->ip.v6 ? 16 : 4) == 0;
		if (n < PTRCHECK_MAX_ADDRS)
			addrs[n++] = ptrcheck_addr_str(c->a, c->ip.v6, b);
	}
	*addrs_out = addrs;
	*naddrs_out = n;
	return found ? PTRCHECK_YES : PTRCHECK_NO;
}

/* ptrcheck_join - texts joined with ", " (data, like the names in them) */
static const char *
ptrcheck_join(struct ptrcheck *c, const char *const *v, size_t n)
{
	const char *s = "";

	for (size_t i = 0; i < n; i++)
		s = arena_printf(c->a, "%s%s%s", s, i > 0 ? ", " : "", v[i]);
	return s;
}

/* ptrcheck_status - why an answer holds no record of type: NXDOMAIN or
 * none of that type */
static const struct texts_msg *
ptrcheck_status(struct ptrcheck *c, const struct dnsmsg_answer *ans,
    const char *type)
{
	if (ans != NULL && ans->status == DNSMSG_NXDOMAIN)
		return ptrcheck_msg(c, "ptr.status.nxdomain");
	return texts_msg_with(c->a, "ptr.status.nodata", "type", type,
	    TEXTS_MSG_END);
}

/* ptrcheck_signal - what made a name generic, as a sentence part */
static const struct texts_msg *
ptrcheck_signal(struct ptrcheck *c, const struct ptrname_verdict *v)
{
	if (v->address != NULL && v->word != NULL)
		return texts_msg_with(c->a, "ptr.signal.both", "found",
		    v->address, "word", v->word, TEXTS_MSG_END);
	if (v->address != NULL)
		return texts_msg_with(c->a, "ptr.signal.address", "found",
		    v->address, TEXTS_MSG_END);
	return texts_msg_with(c->a, "ptr.signal.word", "word",
	    v->word != NULL ? v->word : "", TEXTS_MSG_END);
}

/* ptrcheck_add - a finding whose sentence names the address */
static struct texts_msg *
ptrcheck_add(struct ptrcheck *c, const char *code, enum finding_level level,
    const char *id)
{
	struct texts_msg *m = texts_msg_with(c->a, id, "ip", c->res.ip, "type",
	    c->type, TEXTS_MSG_END);

	findings_add(c->a, &c->res.findings, code, level, m);
	return m;
}

/* ptrcheck_unconfirmed - a finding about a name whose A/AAAA records do
 * not hold the address: why it has none (ans), or those it has */
static struct texts_msg *
ptrcheck_unconfirmed(struct ptrcheck *c, const char *code,
    enum finding_level level, const char *id, const struct dnsmsg_answer *ans,
    const char *const *addrs, size_t naddrs)
{
	struct texts_msg *m = ptrcheck_add(c, code, level, id);

	if (naddrs == 0)
		return texts_msg_sub(m, "why",
		    ptrcheck_status(c, ans, c->type));
	return texts_msg_arg(m, "addresses", ptrcheck_join(c, addrs, naddrs));
}

/* ptrcheck_verdicts - fcrdns, the primary name, and the HELO's match */
static void
ptrcheck_verdicts(struct ptrcheck *c)
{
	struct ptrcheck_result *r = &c->res;
	struct ptrcheck_helo *h = &r->helo;
	bool unknown = false;

	r->fcrdns = PTRCHECK_NO;
	for (size_t i = 0; i < r->nnames; i++) {
		if (c->names[i].confirmed == PTRCHECK_YES &&
		    r->fcrdns != PTRCHECK_YES) {
			r->fcrdns = PTRCHECK_YES;
			r->primary = &c->names[i];
		}
		unknown = unknown || c->names[i].confirmed == PTRCHECK_UNKNOWN;
	}
	if (r->fcrdns == PTRCHECK_NO && unknown)
		r->fcrdns = PTRCHECK_UNKNOWN;
	if (r->primary == NULL && r->nnames > 0)
		r->primary = &c->names[0];
	if (r->primary != NULL)
		r->generic = r->primary->generic;
	if (h->name == NULL || h->literal)
		return;
	h->matches_ptr = PTRCHECK_NO;
	for (size_t i = 0; i < r->nnames && !c->helo_is_ptr; i++) {
		if (!ascii_ieq_cstr(c->helo_bare, c->names[i].name))
			continue;
		c->helo_is_ptr = true;
		if (c->names[i].confirmed != PTRCHECK_NO)
			h->matches_ptr = c->names[i].confirmed;
	}
}

/* ptrcheck_name_findings - no PTR, names not confirmed, generic, many */
static void
ptrcheck_name_findings(struct ptrcheck *c)
{
	struct ptrcheck_result *r = &c->res;
	enum finding_level lvl =
	    r->fcrdns == PTRCHECK_NO ? FINDING_ERROR : FINDING_WARNING;
	struct texts_msg *m;
	const char *names[PTRCHECK_MAX_NAMES];

	if (r->nnames == 0) {
		m = ptrcheck_add(c, "ptr_missing", FINDING_ERROR,
		    "ptr.missing");
		(void)texts_msg_arg(m, "reverse", r->reverse);
		(void)texts_msg_sub(m, "why",
		    ptrcheck_status(c, c->ptr, "PTR"));
		return;
	}
	for (size_t i = 0; i < r->nnames; i++) {
		const struct ptrcheck_name *n = &c->names[i];

		names[i] = n->name;
		if (n->confirmed != PTRCHECK_NO)
			continue;
		m = ptrcheck_unconfirmed(c, "ptr_not_confirmed", lvl,
		    n->naddrs == 0 ? "ptr.not_confirmed.unresolved" :
		                     "ptr.not_confirmed.elsewhere",
		    c->fwd[i], n->addrs, n->naddrs);
		(void)texts_msg_arg(m, "name", n->name);
	}
	if (r->generic.generic) {
		m = ptrcheck_add(c, "ptr_generic",
		    r->generic.dynamic ? FINDING_ERROR : FINDING_WARNING,
		    r->generic.dynamic ? "ptr.generic.dynamic" :
		                         "ptr.generic.name");
		(void)texts_msg_arg(m, "name", r->primary->name);
		(void)texts_msg_sub(m, "why", ptrcheck_signal(c, &r->generic));
	}
	if (c->nptr > 1) {
		m = ptrcheck_add(c, "ptr_many_names", FINDING_WARNING,
		    "ptr.many");
		(void)texts_msg_count(m, c->nptr);
		(void)texts_msg_arg(m, "names",
		    ptrcheck_join(c, names, r->nnames));
	}
	if (r->names_left_out > 0) {
		m = ptrcheck_add(c, "ptr_names_left_out", FINDING_INFO,
		    "ptr.left_out");
		(void)texts_msg_count(m, r->names_left_out);
		(void)texts_msg_num(m, "max", PTRCHECK_MAX_NAMES);
	}
}

/* ptrcheck_helo_add - a finding about the HELO name */
static struct texts_msg *
ptrcheck_helo_add(struct ptrcheck *c, const char *code,
    enum finding_level level, const char *id)
{
	return texts_msg_arg(ptrcheck_add(c, code, level, id), "helo",
	    c->res.helo.name);
}

/* ptrcheck_helo_findings - RFC 5321 §4.1.4: the client's FQDN, which
 * many receivers also compare with the PTR name and look up */
static void
ptrcheck_helo_findings(struct ptrcheck *c)
{
	const struct ptrcheck_helo *h = &c->res.helo;
	struct texts_msg *m;

	if (h->name == NULL)
		return;
	if (h->literal) {
		(void)ptrcheck_helo_add(c, "ptr_helo_literal", FINDING_WARNING,
		    "ptr.helo.literal");
		return;
	}
	if (!h->fqdn) {
		(void)ptrcheck_helo_add(c, "ptr_helo_not_fqdn", FINDING_ERROR,
		    "ptr.helo.not_fqdn");
		return;
	}
	if (!c->helo_is_ptr && c->res.primary != NULL) {
		m = ptrcheck_helo_add(c, "ptr_helo_mismatch", FINDING_WARNING,
		    "ptr.helo.mismatch");
		(void)texts_msg_arg(m, "ptr", c->res.primary->name);
	}
	if (h->resolves_to_ip == PTRCHECK_NO) {
		m = ptrcheck_unconfirmed(c, "ptr_helo_unresolved",
		    FINDING_WARNING,
		    c->helo_naddrs == 0 ? "ptr.helo.unresolved" :
		                          "ptr.helo.elsewhere",
		    c->fwd[PTRCHECK_HELO], c->helo_addrs, c->helo_naddrs);
		(void)texts_msg_arg(m, "helo", h->name);
	}
}

/* ptrcheck_judge - every answer is in: verdicts, then findings */
static void
ptrcheck_judge(struct ptrcheck *c)
{
	ptrcheck_verdicts(c);
	ptrcheck_name_findings(c);
	ptrcheck_helo_findings(c);
	if (c->res.reserved != NULL) {
		struct texts_msg *m = ptrcheck_add(c, "ptr_reserved_ip",
		    FINDING_INFO, "ptr.reserved");

		(void)texts_msg_arg(m, "range", c->res.reserved);
		(void)texts_msg_arg(m, "rfc", c->rfc);
	}
}

/* ptrcheck_finish - the result, then done: the last thing the check
 * does (the caller may free the arena in done) */
static void
ptrcheck_finish(struct ptrcheck *c)
{
	if (c->finished)
		return;
	c->finished = true;
	if (c->res.unchecked == NULL)
		ptrcheck_judge(c);
	c->done(c->arg, &c->res);
}

/* ptrcheck_settle - finish once nothing is waiting, or once the PTR
 * lookup failed, unless lookups are going out (an answer from the cache
 * comes back inside resolver_lookup, and the sender still needs c) */
static void
ptrcheck_settle(struct ptrcheck *c)
{
	if (c->sending == 0 && (c->waiting == 0 || c->res.unchecked != NULL))
		ptrcheck_finish(c);
}

static void
ptrcheck_forward_answered(void *arg, const struct dnsmsg_answer *ans)
{
	struct ptrcheck_wait *w = arg;
	struct ptrcheck *c = w->c;

	if (c->finished)
		return;
	c->fwd[w->i] = ans;
	if (w->i == PTRCHECK_HELO) {
		c->res.helo.resolves_to_ip = ptrcheck_resolve(c, ans,
		    &c->res.helo.unchecked, &c->helo_addrs, &c->helo_naddrs);
	} else {
		struct ptrcheck_name *n = &c->names[w->i];

		n->confirmed = ptrcheck_resolve(c, ans, &n->unchecked,
		    &n->addrs, &n->naddrs);
	}
	c->waiting--;
	ptrcheck_settle(c);
}

/* ptrcheck_forward - look up the A/AAAA records of name for wait i */
static void
ptrcheck_forward(struct ptrcheck *c, size_t i, const char *name)
{
	c->waits[i] = (struct ptrcheck_wait){ c, i };
	c->waiting++;
	resolver_lookup(c->s, name, c->ip.v6 ? DNSMSG_T_AAAA : DNSMSG_T_A,
	    ptrcheck_forward_answered, &c->waits[i]);
}

/* ptrcheck_names - the distinct PTR names of the answer: the first
 * PTRCHECK_MAX_NAMES kept and looked up, the others counted */
static void
ptrcheck_names(struct ptrcheck *c, const struct dnsmsg_answer *ans)
{
	const char *seen[DNSMSG_MAX_RECORDS];
	size_t nseen = 0, kept = 0;

	for (size_t i = 0; i < ans->nrecords && nseen < DNSMSG_MAX_RECORDS;
	     i++) {
		const char *name = ans->records[i].u.name;
		bool dup = false;

		if (ans->records[i].type != DNSMSG_T_PTR || name == NULL ||
		    name[0] == '\0')
			continue;
		for (size_t k = 0; k < nseen && !dup; k++)
			dup = ascii_ieq_cstr(span_cstr(seen[k]), name);
		if (dup)
			continue;
		seen[nseen++] = name;
		if (kept == PTRCHECK_MAX_NAMES)
			continue;
		c->names[kept].name = name;
		c->names[kept].confirmed = PTRCHECK_UNKNOWN;
		ptrname_judge(c->a, span_cstr(name), c->ip.b, c->ip.v6,
		    &c->names[kept].generic);
		kept++;
	}
	c->nptr = nseen;
	c->res.nnames = kept;
	c->res.names_left_out = nseen - kept;
	c->sending++;
	for (size_t i = 0; i < kept; i++)
		ptrcheck_forward(c, i, c->names[i].name);
	c->sending--;
}

static void
ptrcheck_ptr_answered(void *arg, const struct dnsmsg_answer *ans)
{
	struct ptrcheck *c = arg;
	const char *id;

	if (c->finished)
		return;
	c->ptr = ans;
	c->waiting--;
	id = resolver_failure_id(c->s, ans);
	if (id != NULL || ans->status == DNSMSG_MALFORMED)
		/* nothing to judge: done now, whatever else is on its way */
		c->res.unchecked = ptrcheck_msg(c,
		    id != NULL ? id : "ptr.unchecked.malformed");
	else if (ans->status == DNSMSG_OK)
		ptrcheck_names(c, ans);
	ptrcheck_settle(c);
}

/* ptrcheck_helo_read - what the HELO name is; an FQDN is looked up */
static void
ptrcheck_helo_read(struct ptrcheck *c, const char *helo)
{
	struct ptrcheck_helo *h = &c->res.helo;
	struct span s = ascii_trim(span_cstr(helo), ASCII_SPACE);
	struct ptrcheck_addr lit;
	bool valid;

	if (s.len == 0)
		return;
	h->name = arena_strndup(c->a, s.ptr, s.len);
	if (ptrcheck_literal(s, &lit, &valid)) {
		h->literal = true;
		h->matches_ptr = PTRCHECK_NO;
		h->resolves_to_ip = valid && ptrcheck_addr_eq(&lit, &c->ip) ?
		    PTRCHECK_YES :
		    PTRCHECK_NO;
		return;
	}
	if (s.ptr[s.len - 1] == '.')
		s.len--;
	c->helo_bare = s;
	h->fqdn = ptrcheck_is_fqdn(s);
	if (h->fqdn)
		c->helo_lookup = ascii_lower_dup(c->a, s);
}

void
ptrcheck_start(struct resolver_session *s, struct arena *a,
    const struct ptrcheck_query *q, ptrcheck_done_fn *done, void *arg)
{
	struct ptrcheck *c = arena_zalloc(a, sizeof(*c));

	c->s = s;
	c->a = a;
	c->done = done;
	c->arg = arg;
	c->res.names = c->names;
	if (q->ip == NULL ||
	    ptrcheck_addr_parse(span_cstr(q->ip), &c->ip) == -1) {
		c->res.unchecked = texts_msg_with(a, "ptr.unchecked.not_ip",
		    "ip", q->ip != NULL ? q->ip : "", TEXTS_MSG_END);
		ptrcheck_finish(c);
		return;
	}
	c->type = c->ip.v6 ? "AAAA" : "A";
	c->res.v6 = c->ip.v6;
	c->res.ip = ptrcheck_addr_str(a, c->ip.v6, c->ip.b);
	c->res.reverse = ptrcheck_reverse(a, &c->ip);
	c->res.reserved = ptrcheck_reserved(a, &c->ip, &c->rfc);
	if (q->helo != NULL)
		ptrcheck_helo_read(c, q->helo);
	/* the PTR first: with one query of budget left, it is the one
	 * that matters */
	c->sending++;
	c->waiting = 1;
	resolver_lookup(s, c->res.reverse, DNSMSG_T_PTR, ptrcheck_ptr_answered,
	    c);
	if (c->helo_lookup != NULL && c->res.unchecked == NULL)
		ptrcheck_forward(c, PTRCHECK_HELO, c->helo_lookup);
	c->sending--;
	ptrcheck_settle(c);
}
