/* SPDX-License-Identifier: MIT */
/*
 * mxcheck.c - where mail to a domain goes: its MX records, checked live
 *
 * Two steps. The MX lookup of the domain decides what the exchanges are
 * (RFC 5321 §5.1: the MX records by preference, or the domain itself when
 * it has none; RFC 7505: none at all for a null MX). Then the A and AAAA
 * records of every exchange are asked at once, and when the last answer
 * is in, each exchange is read (its status, addresses and alias) and the
 * findings are written: only then is it known whether any exchange works,
 * which decides how bad one that does not is.
 * Not here: the address classes (ipclass.c), DNS (resolver.c), the
 * sentences in words (texts.c, rules/messages.json).
 */
#include "mxcheck.h"

#include <arpa/inet.h>

#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "ipclass.h"
#include "texts_msg.h"

/* One address lookup of one exchange. */
struct mxcheck_ask {
	struct mxcheck_slot *slot;
	const struct dnsmsg_answer *ans;
};

/* What the check keeps of one exchange beside its public part. */
struct mxcheck_slot {
	struct mxcheck *c;
	struct mxcheck_ask ask[2]; /* A, AAAA */
	bool nxdomain;
	size_t nclass[IPCLASS_COUNT];     /* its addresses by class */
	const char *first[IPCLASS_COUNT]; /* the first of each class */
};

struct mxcheck {
	struct resolver_session *s;
	struct arena *a;
	mxcheck_done_fn *done;
	void *arg;
	unsigned waiting; /* lookups asked and not answered (+1 while asking) */
	struct mxcheck_slot slots[MXCHECK_MAX_HOSTS];
	struct mxcheck_exchange xs[MXCHECK_MAX_HOSTS];
	struct mxcheck_result res;
};

/* The classes no server on the Internet can reach, in the order their
 * findings are written. Documentation addresses are not among them: the
 * examples use them (and so do the tests), an info finding says so. */
static const struct mxcheck_class {
	enum ipclass c;
	const char *code;
	const char *kind; /* the message naming the class */
} mxcheck_unreachable[] = {
	{ IPCLASS_UNSPECIFIED, "mx_unspecified_address",
	    "ipclass.unspecified" },
	{ IPCLASS_LOOPBACK, "mx_loopback_address", "ipclass.loopback" },
	{ IPCLASS_PRIVATE, "mx_private_address", "ipclass.private" },
	{ IPCLASS_LINK_LOCAL, "mx_link_local_address", "ipclass.link_local" },
	{ IPCLASS_CGNAT, "mx_cgnat_address", "ipclass.cgnat" },
	{ IPCLASS_MULTICAST, "mx_multicast_address", "ipclass.multicast" },
	{ IPCLASS_RESERVED, "mx_reserved_address", "ipclass.reserved" },
};

static void mxcheck_ask_all(struct mxcheck *c);

const char *
mxcheck_status_str(enum mxcheck_status st)
{
	switch (st) {
	case MXCHECK_RESOLVED:
		return "resolved";
	case MXCHECK_CNAME:
		return "cname";
	case MXCHECK_NO_ADDRESS:
		return "no_address";
	case MXCHECK_NOT_CHECKED:
		return "not_checked";
	case MXCHECK_IP_LITERAL:
		return "ip_literal";
	}
	return "not_checked";
}

static void
mxcheck_find(struct mxcheck *c, const char *code, enum finding_level level,
    const struct texts_msg *msg)
{
	findings_add(c->a, &c->res.findings, code, level, msg);
}

/* mxcheck_host_msg - a sentence about one exchange */
static struct texts_msg *
mxcheck_host_msg(struct mxcheck *c, const char *id,
    const struct mxcheck_exchange *x)
{
	return texts_msg_with(c->a, id, "host", x->host, "domain",
	    c->res.domain, TEXTS_MSG_END);
}

/* mxcheck_why - why an answer about name says nothing, or NULL when it
 * is one */
static const struct texts_msg *
mxcheck_why(struct mxcheck *c, const struct dnsmsg_answer *ans,
    const char *name)
{
	const char *id = resolver_failure_id(c->s, ans);

	if (id != NULL)
		return texts_msg_new(c->a, id);
	if (ans->status == DNSMSG_MALFORMED) {
		return texts_msg_with(c->a, "mx.unchecked.malformed", "name",
		    name, TEXTS_MSG_END);
	}
	return NULL;
}

/* mxcheck_is_literal - is an exchange an IP address written as a name:
 * "192.0.2.1", or an RFC 5321 §4.1.3 address literal "[192.0.2.1]",
 * "[IPv6:2001:db8::1]"? */
static bool
mxcheck_is_literal(const char *host)
{
	struct span h = span_cstr(host);
	enum ipclass c;

	if (h.len >= 2 && h.ptr[0] == '[' && h.ptr[h.len - 1] == ']') {
		h = span_sub(h, 1, h.len - 2);
		if (ascii_iprefix(h, span_cstr("ipv6:")))
			h = span_sub(h, 5, h.len - 5);
	}
	return ipclass_parse(h, &c) == 0;
}

static int
mxcheck_cmp(const void *x, const void *y)
{
	const struct dnsmsg_record *const *a = x, *const *b = y;

	if ((*a)->u.mx.preference != (*b)->u.mx.preference)
		return (*a)->u.mx.preference < (*b)->u.mx.preference ? -1 : 1;
	return strcmp((*a)->u.mx.host, (*b)->u.mx.host);
}

/* mxcheck_take - the exchanges of an MX answer, or the null MX */
static void
mxcheck_take(struct mxcheck *c, const struct dnsmsg_answer *ans)
{
	const struct dnsmsg_record **v =
	    arena_alloc(c->a, (ans->nrecords + 1) * sizeof(*v));
	size_t n = 0, kept;
	bool null = false;

	for (size_t i = 0; i < ans->nrecords; i++) {
		const struct dnsmsg_record *r = &ans->records[i];

		if (r->type != DNSMSG_T_MX)
			continue;
		/* RFC 7505 §3: the exchange "." (dnsmsg writes it "") */
		if (r->u.mx.host[0] == '\0')
			null = true;
		else
			v[n++] = r;
	}
	if (null && n == 0) {
		c->res.null_mx = true;
		mxcheck_find(c, "null_mx", FINDING_ERROR,
		    texts_msg_with(c->a, "mx.null", "domain", c->res.domain,
		        TEXTS_MSG_END));
		return;
	}
	if (null) {
		/* RFC 7505 §3: "MUST NOT advertise any other MX RR" */
		struct texts_msg *m = texts_msg_with(c->a, "mx.null_mixed",
		    "domain", c->res.domain, TEXTS_MSG_END);

		mxcheck_find(c, "null_mx_mixed", FINDING_WARNING,
		    texts_msg_count(m, n));
	}
	qsort(v, n, sizeof(*v), mxcheck_cmp);
	kept = n < MXCHECK_MAX_HOSTS ? n : MXCHECK_MAX_HOSTS;
	for (size_t i = 0; i < kept; i++) {
		c->xs[i].preference = v[i]->u.mx.preference;
		c->xs[i].host = v[i]->u.mx.host;
		if (mxcheck_is_literal(c->xs[i].host))
			c->xs[i].status = MXCHECK_IP_LITERAL;
	}
	c->res.nexchanges = kept;
	c->res.omitted = n - kept;
}

static void
mxcheck_mx_answered(void *arg, const struct dnsmsg_answer *ans)
{
	struct mxcheck *c = arg;

	switch (ans->status) {
	case DNSMSG_OK:
		mxcheck_take(c, ans);
		break;
	case DNSMSG_NODATA:
		/* RFC 5321 §5.1: no MX records, so the domain itself is the
		 * one exchange, with preference 0 (an implicit MX) */
		c->res.implicit = true;
		c->xs[0].host = c->res.domain;
		c->res.nexchanges = 1;
		break;
	case DNSMSG_NXDOMAIN:
		mxcheck_find(c, "domain_not_found", FINDING_ERROR,
		    texts_msg_with(c->a, "mx.nxdomain", "domain", c->res.domain,
		        TEXTS_MSG_END));
		break;
	default:
		c->res.unchecked = mxcheck_why(c, ans, c->res.domain);
		break;
	}
	mxcheck_ask_all(c);
}

/* mxcheck_alias - the name ans's chain of CNAMEs led host to, or NULL */
static const char *
mxcheck_alias(const char *host, const struct dnsmsg_answer *ans)
{
	if (ans->status != DNSMSG_OK && ans->status != DNSMSG_NODATA &&
	    ans->status != DNSMSG_NXDOMAIN) {
		return NULL;
	}
	if (ans->canonical == NULL || strcmp(ans->canonical, host) == 0)
		return NULL;
	return ans->canonical;
}

static const char *
mxcheck_addr_text(struct arena *a, const struct dnsmsg_record *r)
{
	char text[INET6_ADDRSTRLEN];
	bool v4 = r->type == DNSMSG_T_A;

	if (inet_ntop(v4 ? AF_INET : AF_INET6,
	        v4 ? (const void *)r->u.a : (const void *)r->u.aaaa, text,
	        sizeof(text)) == NULL) {
		return "?";
	}
	return arena_strndup(a, text, strlen(text));
}

/* mxcheck_addresses - an exchange's addresses: all of them classified,
 * at most MXCHECK_MAX_ADDRS kept, shared between the families so that
 * neither is crowded out (IPv4 first) */
static void
mxcheck_addresses(struct mxcheck *c, struct mxcheck_exchange *x,
    struct mxcheck_slot *sl)
{
	size_t have[2], want[2], kept[2] = { 0, 0 }, n = 0;
	const char **v;

	for (int f = 0; f < 2; f++) {
		const struct dnsmsg_answer *ans = sl->ask[f].ans;

		have[f] = ans->status == DNSMSG_OK ? ans->nrecords : 0;
		want[f] =
		    have[f] < MXCHECK_MAX_ADDRS ? have[f] : MXCHECK_MAX_ADDRS;
	}
	while (want[0] + want[1] > MXCHECK_MAX_ADDRS)
		want[want[0] > want[1] ? 0 : 1]--;
	v = arena_alloc(c->a, (want[0] + want[1] + 1) * sizeof(*v));
	for (int f = 0; f < 2; f++) {
		const struct dnsmsg_answer *ans = sl->ask[f].ans;

		for (size_t i = 0; i < have[f]; i++) {
			const struct dnsmsg_record *r = &ans->records[i];
			bool keep = kept[f] < want[f];
			const char *text = NULL;
			enum ipclass k;

			if (r->type == DNSMSG_T_A)
				k = ipclass_of_v4(r->u.a);
			else if (r->type == DNSMSG_T_AAAA)
				k = ipclass_of_v6(r->u.aaaa);
			else
				continue;
			if (keep || sl->nclass[k] == 0)
				text = mxcheck_addr_text(c->a, r);
			if (keep)
				v[n++] = text;
			else
				x->addresses_omitted++;
			kept[f] += keep;
			if (sl->nclass[k]++ == 0)
				sl->first[k] = text;
		}
	}
	x->addresses = v;
	x->naddresses = n;
}

/* mxcheck_read - an exchange's status, alias and addresses from its two
 * answers */
static void
mxcheck_read(struct mxcheck *c, size_t i)
{
	struct mxcheck_exchange *x = &c->xs[i];
	struct mxcheck_slot *sl = &c->slots[i];
	const struct dnsmsg_answer *a4 = sl->ask[0].ans, *a6 = sl->ask[1].ans;

	if (x->status == MXCHECK_IP_LITERAL)
		return;
	/* NXDOMAIN says the name has no records of any type (RFC 8020),
	 * whatever the other lookup came to */
	sl->nxdomain =
	    a4->status == DNSMSG_NXDOMAIN || a6->status == DNSMSG_NXDOMAIN;
	x->unchecked = mxcheck_why(c, a4, x->host);
	if (x->unchecked == NULL)
		x->unchecked = mxcheck_why(c, a6, x->host);
	/* RFC 5321 §5.1 allows the domain to be an alias, not an exchange
	 * named by an MX record (RFC 2181 §10.3) */
	if (!c->res.implicit) {
		x->canonical = mxcheck_alias(x->host, a4);
		if (x->canonical == NULL)
			x->canonical = mxcheck_alias(x->host, a6);
	}
	mxcheck_addresses(c, x, sl);
	if (x->naddresses > 0) {
		x->status =
		    x->canonical != NULL ? MXCHECK_CNAME : MXCHECK_RESOLVED;
	} else if (sl->nxdomain || x->unchecked == NULL) {
		x->status = MXCHECK_NO_ADDRESS;
		x->unchecked = NULL;
	} else {
		x->status = MXCHECK_NOT_CHECKED;
	}
}

/* mxcheck_address_findings - one finding per class of the exchange's
 * addresses that is not public */
static void
mxcheck_address_findings(struct mxcheck *c, size_t i)
{
	const struct mxcheck_exchange *x = &c->xs[i];
	const struct mxcheck_slot *sl = &c->slots[i];
	size_t n = sizeof(mxcheck_unreachable) / sizeof(mxcheck_unreachable[0]);
	struct texts_msg *m;

	for (size_t k = 0; k < n; k++) {
		const struct mxcheck_class *cl = &mxcheck_unreachable[k];

		if (sl->nclass[cl->c] == 0)
			continue;
		m = texts_msg_arg(mxcheck_host_msg(c, "mx.unreachable", x),
		    "address", sl->first[cl->c]);
		m = texts_msg_sub(m, "kind", texts_msg_new(c->a, cl->kind));
		mxcheck_find(c, cl->code, FINDING_ERROR,
		    texts_msg_count(m, sl->nclass[cl->c]));
	}
	if (sl->nclass[IPCLASS_DOCUMENTATION] > 0) {
		m = texts_msg_arg(mxcheck_host_msg(c, "mx.documentation", x),
		    "address", sl->first[IPCLASS_DOCUMENTATION]);
		mxcheck_find(c, "mx_documentation_address", FINDING_INFO,
		    texts_msg_count(m, sl->nclass[IPCLASS_DOCUMENTATION]));
	}
}

/* mxcheck_exchange_findings - what is wrong with one exchange; a dead
 * one is an error when no exchange is left to take the mail */
static void
mxcheck_exchange_findings(struct mxcheck *c, size_t i, enum finding_level dead,
    const struct texts_msg *effect)
{
	const struct mxcheck_exchange *x = &c->xs[i];
	bool nx = c->slots[i].nxdomain;
	struct texts_msg *m;

	if (x->status == MXCHECK_IP_LITERAL) {
		m = mxcheck_host_msg(c, "mx.ip_literal", x);
		mxcheck_find(c, "mx_ip_literal", dead,
		    texts_msg_sub(m, "effect", effect));
	} else if (x->status == MXCHECK_NO_ADDRESS) {
		m = mxcheck_host_msg(c,
		    nx ? "mx.host_nxdomain" : "mx.host_no_address", x);
		mxcheck_find(c, nx ? "mx_not_found" : "mx_no_address", dead,
		    texts_msg_sub(m, "effect", effect));
	}
	if (x->canonical != NULL) {
		m = mxcheck_host_msg(c, "mx.cname", x);
		mxcheck_find(c, "mx_is_cname", FINDING_WARNING,
		    texts_msg_arg(m, "canonical", x->canonical));
	}
	mxcheck_address_findings(c, i);
}

/* mxcheck_judge - every exchange read, then the findings */
static void
mxcheck_judge(struct mxcheck *c)
{
	size_t usable = 0, unknown = c->res.omitted;
	const struct texts_msg *effect;
	bool none;

	for (size_t i = 0; i < c->res.nexchanges; i++) {
		mxcheck_read(c, i);
		usable += c->xs[i].status == MXCHECK_RESOLVED ||
		    c->xs[i].status == MXCHECK_CNAME;
		unknown += c->xs[i].status == MXCHECK_NOT_CHECKED;
	}
	if (c->res.implicit) {
		/* no finding about an implicit MX that was not checked: its
		 * exchange says why */
		if (c->xs[0].status == MXCHECK_NO_ADDRESS) {
			mxcheck_find(c, "accepts_no_mail", FINDING_ERROR,
			    texts_msg_with(c->a, "mx.no_mail", "domain",
			        c->res.domain, TEXTS_MSG_END));
		} else if (usable > 0) {
			mxcheck_find(c, "implicit_mx", FINDING_INFO,
			    texts_msg_with(c->a, "mx.implicit", "domain",
			        c->res.domain, TEXTS_MSG_END));
			mxcheck_address_findings(c, 0);
		}
		return;
	}
	/* mail cannot be delivered only when every exchange is known dead */
	none = usable == 0 && unknown == 0;
	effect =
	    texts_msg_with(c->a, none ? "mx.effect.none" : "mx.effect.others",
	        "domain", c->res.domain, TEXTS_MSG_END);
	for (size_t i = 0; i < c->res.nexchanges; i++) {
		mxcheck_exchange_findings(c, i,
		    none ? FINDING_ERROR : FINDING_WARNING, effect);
	}
}

/* mxcheck_release - one lookup less to wait for; the last one ends the
 * check (after done, c may be gone with its arena) */
static void
mxcheck_release(struct mxcheck *c)
{
	if (--c->waiting > 0)
		return;
	if (c->res.unchecked == NULL)
		mxcheck_judge(c);
	c->done(c->arg, &c->res);
}

static void
mxcheck_addr_answered(void *arg, const struct dnsmsg_answer *ans)
{
	struct mxcheck_ask *k = arg;

	k->ans = ans;
	mxcheck_release(k->slot->c);
}

/* mxcheck_ask_all - A and AAAA of every exchange at once */
static void
mxcheck_ask_all(struct mxcheck *c)
{
	/* answers from the cache come inside resolver_lookup: the extra
	 * count keeps the check from ending before all are asked */
	c->waiting = 1;
	for (size_t i = 0; i < c->res.nexchanges; i++) {
		struct mxcheck_slot *sl = &c->slots[i];

		sl->c = c;
		if (c->xs[i].status == MXCHECK_IP_LITERAL)
			continue;
		for (int f = 0; f < 2; f++) {
			sl->ask[f].slot = sl;
			c->waiting++;
			resolver_lookup(c->s, c->xs[i].host,
			    f == 0 ? DNSMSG_T_A : DNSMSG_T_AAAA,
			    mxcheck_addr_answered, &sl->ask[f]);
		}
	}
	mxcheck_release(c);
}

void
mxcheck_start(struct resolver_session *s, struct arena *a, const char *domain,
    mxcheck_done_fn *done, void *arg)
{
	struct mxcheck *c = arena_zalloc(a, sizeof(*c));
	size_t len = strlen(domain);

	if (len > 0 && domain[len - 1] == '.')
		len--;
	c->s = s;
	c->a = a;
	c->done = done;
	c->arg = arg;
	c->res.domain = ascii_lower_dup(a, span_make(domain, len));
	c->res.exchanges = c->xs;
	resolver_lookup(s, c->res.domain, DNSMSG_T_MX, mxcheck_mx_answered, c);
}
