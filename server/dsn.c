/* SPDX-License-Identifier: MIT */
/*
 * dsn.c - RFC 3464 delivery-status fields, line by line
 *
 * One forward pass over the body, without recursion or backtracking: each
 * line is a field, the continuation of the previous field, an empty line
 * (block separator, RFC 3464 §2.1) or junk. A finished field is routed to
 * the report or to a recipient; that routing is where the tolerance for
 * real-world DSNs lives (missing blank lines, recipient fields inside the
 * per-message block, per-message blocks split in two). The fields of the
 * open block are collected in a fixed scratch array of DSN_MAX_FIELDS and
 * copied to the arena, exactly sized, when the block is left.
 * Not here: finding the delivery-status part (mime.c), what a status code
 * means (codes.c), free-text bounces without a DSN (bounce.c).
 */
#include "dsn.h"

#include <stdbool.h>
#include <string.h>

#include "ascii.h"

enum dsn_key {
	DSN_KEY_OTHER,
	/* RFC 3464 §2.2 per-message fields */
	DSN_KEY_ORIGINAL_ENVELOPE_ID,
	DSN_KEY_REPORTING_MTA,
	DSN_KEY_DSN_GATEWAY,
	DSN_KEY_RECEIVED_FROM_MTA,
	DSN_KEY_ARRIVAL_DATE,
	/* RFC 3464 §2.3 per-recipient fields */
	DSN_KEY_ORIGINAL_RECIPIENT,
	DSN_KEY_FINAL_RECIPIENT,
	DSN_KEY_ACTION,
	DSN_KEY_STATUS,
	DSN_KEY_REMOTE_MTA,
	DSN_KEY_DIAGNOSTIC_CODE,
	DSN_KEY_LAST_ATTEMPT_DATE,
	DSN_KEY_FINAL_LOG_ID,
	DSN_KEY_WILL_RETRY_UNTIL
};

#define DSN_F_MSG   0x1u /* a per-message field */
#define DSN_F_RCPT  0x2u /* a per-recipient field */
#define DSN_F_TYPED 0x4u /* the value starts with "type;" */
#define DSN_F_ADDR  0x8u /* the value is an address: strip <> */

static const struct dsn_known {
	const char *name;
	enum dsn_key key;
	unsigned flags;
} dsn_known[] = {
	{ "Original-Envelope-Id", DSN_KEY_ORIGINAL_ENVELOPE_ID, DSN_F_MSG },
	{ "Reporting-MTA", DSN_KEY_REPORTING_MTA, DSN_F_MSG | DSN_F_TYPED },
	{ "DSN-Gateway", DSN_KEY_DSN_GATEWAY, DSN_F_MSG | DSN_F_TYPED },
	{ "Received-From-MTA", DSN_KEY_RECEIVED_FROM_MTA,
	    DSN_F_MSG | DSN_F_TYPED },
	{ "Arrival-Date", DSN_KEY_ARRIVAL_DATE, DSN_F_MSG },
	{ "Original-Recipient", DSN_KEY_ORIGINAL_RECIPIENT,
	    DSN_F_RCPT | DSN_F_TYPED | DSN_F_ADDR },
	{ "Final-Recipient", DSN_KEY_FINAL_RECIPIENT,
	    DSN_F_RCPT | DSN_F_TYPED | DSN_F_ADDR },
	{ "Action", DSN_KEY_ACTION, DSN_F_RCPT },
	{ "Status", DSN_KEY_STATUS, DSN_F_RCPT },
	{ "Remote-MTA", DSN_KEY_REMOTE_MTA, DSN_F_RCPT | DSN_F_TYPED },
	{ "Diagnostic-Code", DSN_KEY_DIAGNOSTIC_CODE,
	    DSN_F_RCPT | DSN_F_TYPED },
	{ "Last-Attempt-Date", DSN_KEY_LAST_ATTEMPT_DATE, DSN_F_RCPT },
	{ "Final-Log-ID", DSN_KEY_FINAL_LOG_ID, DSN_F_RCPT },
	{ "Will-Retry-Until", DSN_KEY_WILL_RETRY_UNTIL, DSN_F_RCPT },
};

/*
 * Type names an unknown field may start with (the IANA address, MTA-name
 * and diagnostic type registries of RFC 3464 §7, RFC 6533 §3 "utf-8"):
 * "X-Postfix-Sender: rfc822; a@b" is split, "X-Display-Name: Doe; J" not.
 */
static const char *const dsn_registered_types[] = { "rfc822", "utf-8", "x400",
	"unknown", "dns", "smtp", NULL };

/* a header field whose value is still being read (it may be folded) */
struct dsn_pending {
	struct span name;
	const char *vstart, *vend; /* raw value, continuation lines included */
	bool open;
	bool folded;
};

struct dsn_parser {
	struct arena *a;
	struct dsn_report *out;
	size_t cap;                               /* recipients allocated */
	struct dsn_field scratch[DSN_MAX_FIELDS]; /* fields of the open block */
	size_t nscratch;
	bool in_rcpt;   /* fields go to the last recipient, not the report */
	bool msg_done;  /* the per-message block has ended */
	bool in_block;  /* a field was routed since the last empty line */
	bool new_block; /* the open recipient's block has ended */
	bool has_fr;    /* the open recipient has a Final-Recipient */
	bool has_or;    /* ... an Original-Recipient */
	bool last_fr;   /* its last field was Final-Recipient */
	bool loose_or;  /* its last field was an Original-Recipient after
			   other fields: maybe the next recipient's first */
	bool stop;      /* DSN_MAX_RECIPIENTS reached: ignore the rest */
};

/* dsn_is_ftext - RFC 5322 §3.6.8: printable US-ASCII except ':' */
static bool
dsn_is_ftext(char c)
{
	return ascii_is(c, ASCII_VCHAR) && c != ':';
}

static const struct dsn_known *
dsn_lookup(struct span name)
{
	for (size_t i = 0; i < sizeof(dsn_known) / sizeof(dsn_known[0]); i++) {
		if (ascii_ieq_cstr(name, dsn_known[i].name))
			return &dsn_known[i];
	}
	return NULL;
}

/*
 * dsn_is_type - RFC 3464 §2.1.2: address-type, mta-name-type and
 * diagnostic-type are atoms. We also want a letter first, so that "550;"
 * is no type; registered_only limits unknown fields to the known names.
 */
static bool
dsn_is_type(struct span t, bool registered_only)
{
	if (t.len == 0 || t.len > 64 || !ascii_is_alpha(t.ptr[0]))
		return false;
	for (size_t i = 0; i < t.len; i++) {
		char c = t.ptr[i];

		if (!ascii_is_alpha(c) && !ascii_is_digit(c) && c != '-' &&
		    c != '_' && c != '.' && c != '+')
			return false;
	}
	if (!registered_only)
		return true;
	if (t.len > 2 && ascii_tolower(t.ptr[0]) == 'x' && t.ptr[1] == '-')
		return true;
	for (size_t i = 0; dsn_registered_types[i] != NULL; i++) {
		if (ascii_ieq_cstr(t, dsn_registered_types[i]))
			return true;
	}
	return false;
}

/* dsn_split_type - "rfc822; a@b" → type "rfc822", value "a@b" */
static void
dsn_split_type(const struct dsn_known *k, struct dsn_field *f)
{
	const char *semi;
	struct span type;
	size_t off;

	if (k != NULL && (k->flags & DSN_F_TYPED) == 0u)
		return;
	if (f->value.len == 0)
		return;
	semi = memchr(f->value.ptr, ';', f->value.len);
	if (semi == NULL)
		return;
	off = (size_t)(semi - f->value.ptr);
	type = ascii_trim(span_make(f->value.ptr, off), ASCII_SPACE);
	if (!dsn_is_type(type, k == NULL))
		return;
	f->type = type;
	f->value =
	    ascii_trim(span_sub(f->value, off + 1, f->value.len), ASCII_SPACE);
}

/* dsn_strip_addr - "<user@example.com>" → "user@example.com" */
static struct span
dsn_strip_addr(struct span v)
{
	v = ascii_trim(v, ASCII_SPACE);
	if (v.len >= 2 && v.ptr[0] == '<' && v.ptr[v.len - 1] == '>')
		v = ascii_trim(span_make(v.ptr + 1, v.len - 2), ASCII_SPACE);
	return v;
}

/*
 * dsn_status_code - the leading RFC 3463 code of a Status value
 * ("5.0.0 (permanent failure)" → "5.0.0"), or the value itself when it
 * does not start with class "." subject "." detail.
 */
static struct span
dsn_status_code(struct span s)
{
	size_t i = 1;

	if (s.len == 0 ||
	    (s.ptr[0] != '2' && s.ptr[0] != '4' && s.ptr[0] != '5'))
		return s;
	for (int part = 0; part < 2; part++) {
		size_t digits = 0;

		if (i >= s.len || s.ptr[i] != '.')
			return s;
		i++;
		while (i < s.len && digits < 3 && ascii_is_digit(s.ptr[i])) {
			i++;
			digits++;
		}
		if (digits == 0)
			return s;
	}
	/* "5.1.1234" or "5.1.1.2" is no code followed by a comment */
	if (i < s.len &&
	    (ascii_is_digit(s.ptr[i]) ||
	        (s.ptr[i] == '.' && i + 1 < s.len &&
	            ascii_is_digit(s.ptr[i + 1]))))
		return s;
	return span_make(s.ptr, i);
}

/*
 * dsn_unfold - RFC 5322 §2.2.3 unfolding: the lines of raw, each trimmed,
 * joined by one space. The result is never longer than raw.
 */
static struct span
dsn_unfold(struct arena *a, struct span raw)
{
	char *buf = arena_alloc(a, raw.len);
	size_t n = 0, i = 0;

	while (i < raw.len) {
		const char *nl = memchr(raw.ptr + i, '\n', raw.len - i);
		size_t e = nl != NULL ? (size_t)(nl - raw.ptr) : raw.len;
		struct span seg =
		    ascii_trim(span_make(raw.ptr + i, e - i), ASCII_SPACE);

		if (seg.len > 0) {
			if (n > 0)
				buf[n++] = ' ';
			memcpy(buf + n, seg.ptr, seg.len);
			n += seg.len;
		}
		i = e + 1;
	}
	return span_make(buf, n);
}

static void
dsn_set(struct span *dst, struct span v)
{
	/* RFC 3464 allows each field once; the first one wins */
	if (dst->ptr == NULL)
		*dst = v;
}

/* dsn_store - append f to the open block's list, unless it is full */
static bool
dsn_store(struct dsn_parser *p, const struct dsn_field *f)
{
	if (p->nscratch == DSN_MAX_FIELDS) {
		p->out->anomalies |= DSN_ANOM_TOO_MANY;
		return false;
	}
	p->scratch[p->nscratch++] = *f;
	return true;
}

/* dsn_flush - hand the open block's list to its owner, report or recipient */
static void
dsn_flush(struct dsn_parser *p)
{
	struct dsn_field *copy = NULL;

	if (p->nscratch > 0) {
		copy = arena_alloc(p->a, p->nscratch * sizeof(*copy));
		memcpy(copy, p->scratch, p->nscratch * sizeof(*copy));
	}
	if (p->in_rcpt) {
		struct dsn_recipient *r =
		    &p->out->recipients[p->out->nrecipients - 1];

		r->fields = copy;
		r->nfields = p->nscratch;
	} else {
		p->out->fields = copy;
		p->out->nfields = p->nscratch;
	}
	p->nscratch = 0;
}

/* dsn_rcpt_start - close the open block and open a new recipient */
static bool
dsn_rcpt_start(struct dsn_parser *p)
{
	struct dsn_report *out = p->out;

	dsn_flush(p);
	if (out->nrecipients == DSN_MAX_RECIPIENTS) {
		out->anomalies |= DSN_ANOM_TOO_MANY;
		p->stop = true;
		return false;
	}
	if (out->nrecipients == p->cap) {
		size_t cap = p->cap == 0 ? 4 : p->cap * 2;
		struct dsn_recipient *r;

		if (cap > DSN_MAX_RECIPIENTS)
			cap = DSN_MAX_RECIPIENTS;
		r = arena_alloc(p->a, cap * sizeof(*r));
		if (out->nrecipients > 0)
			memcpy(r, out->recipients,
			    out->nrecipients * sizeof(*r));
		out->recipients = r;
		p->cap = cap;
	}
	memset(&out->recipients[out->nrecipients], 0, sizeof(*out->recipients));
	out->nrecipients++;
	p->in_rcpt = true;
	p->new_block = false;
	p->has_fr = false;
	p->has_or = false;
	p->last_fr = false;
	p->loose_or = false;
	return true;
}

static void
dsn_msg_add(struct dsn_parser *p, enum dsn_key key, const struct dsn_field *f)
{
	struct dsn_report *out = p->out;

	(void)dsn_store(p, f);
	switch (key) {
	case DSN_KEY_REPORTING_MTA:
		dsn_set(&out->reporting_mta, f->value);
		break;
	case DSN_KEY_RECEIVED_FROM_MTA:
		dsn_set(&out->received_from_mta, f->value);
		break;
	case DSN_KEY_ARRIVAL_DATE:
		dsn_set(&out->arrival_date, f->value);
		break;
	default:
		break;
	}
}

static void
dsn_rcpt_add(struct dsn_parser *p, enum dsn_key key, const struct dsn_field *f)
{
	struct dsn_recipient *r = &p->out->recipients[p->out->nrecipients - 1];
	bool stored = dsn_store(p, f);

	p->loose_or = false;
	switch (key) {
	case DSN_KEY_FINAL_RECIPIENT:
		dsn_set(&r->final_recipient, f->value);
		p->has_fr = true;
		break;
	case DSN_KEY_ORIGINAL_RECIPIENT:
		/*
		 * Postfix writes it right after Final-Recipient, the RFC 3464
		 * §3 examples right before. After other fields it may open
		 * the next recipient of a block that lacks its empty line:
		 * dsn_rcpt_split moves it if a Final-Recipient follows.
		 */
		dsn_set(&r->original_recipient, f->value);
		p->loose_or = stored && p->has_fr && !p->last_fr;
		p->has_or = true;
		break;
	case DSN_KEY_ACTION:
		if (r->action.ptr == NULL)
			r->action = ascii_lower_span(p->a, f->value);
		break;
	case DSN_KEY_STATUS:
		dsn_set(&r->status, dsn_status_code(f->value));
		break;
	case DSN_KEY_REMOTE_MTA:
		dsn_set(&r->remote_mta, f->value);
		break;
	case DSN_KEY_DIAGNOSTIC_CODE:
		if (r->diagnostic_code.ptr == NULL) {
			r->diagnostic_type = f->type;
			r->diagnostic_code = f->value;
		}
		break;
	case DSN_KEY_LAST_ATTEMPT_DATE:
		dsn_set(&r->last_attempt_date, f->value);
		break;
	case DSN_KEY_WILL_RETRY_UNTIL:
		dsn_set(&r->will_retry_until, f->value);
		break;
	default:
		break;
	}
	p->last_fr = key == DSN_KEY_FINAL_RECIPIENT;
}

/*
 * dsn_rcpt_split - a second Final-Recipient in one block: the empty line
 * before it is missing. A loose Original-Recipient just before it goes
 * with it ("Original-Recipient, Final-Recipient" pair).
 */
static bool
dsn_rcpt_split(struct dsn_parser *p)
{
	struct dsn_field moved = { 0 };
	bool move = p->loose_or;

	if (move) {
		moved = p->scratch[--p->nscratch];
		p->out->recipients[p->out->nrecipients - 1].original_recipient =
		    SPAN_NULL;
	}
	if (!dsn_rcpt_start(p))
		return false;
	if (move)
		dsn_rcpt_add(p, DSN_KEY_ORIGINAL_RECIPIENT, &moved);
	return true;
}

/* dsn_route - decide whether f belongs to the report or which recipient */
static void
dsn_route(struct dsn_parser *p, const struct dsn_known *k,
    const struct dsn_field *f)
{
	enum dsn_key key = k != NULL ? k->key : DSN_KEY_OTHER;
	unsigned flags = k != NULL ? k->flags : 0u;
	bool to_rcpt;

	if (p->stop)
		return;
	p->in_block = true;
	if (!p->in_rcpt) {
		/*
		 * RFC 3464 §2.1: the first block is per-message. A recipient
		 * field in it means the empty line is missing; a per-message
		 * field in a later block, before any recipient, still belongs
		 * to the report (a per-message block split in two).
		 */
		if (!p->msg_done)
			to_rcpt = (flags & DSN_F_RCPT) != 0u;
		else
			to_rcpt = (flags & DSN_F_MSG) == 0u;
		if (!to_rcpt) {
			dsn_msg_add(p, key, f);
			return;
		}
		if (!dsn_rcpt_start(p))
			return;
	} else if (p->new_block) {
		if (!dsn_rcpt_start(p))
			return;
	} else if (key == DSN_KEY_FINAL_RECIPIENT && p->has_fr) {
		if (!dsn_rcpt_split(p))
			return;
	} else if (key == DSN_KEY_ORIGINAL_RECIPIENT && p->has_or) {
		if (!dsn_rcpt_start(p))
			return;
	}
	dsn_rcpt_add(p, key, f);
}

/* dsn_pending_end - the pending field is complete: build and route it */
static void
dsn_pending_end(struct dsn_parser *p, struct dsn_pending *pend)
{
	struct span raw;
	const struct dsn_known *k;
	struct dsn_field f;

	if (!pend->open)
		return;
	pend->open = false;
	raw = span_make(pend->vstart, (size_t)(pend->vend - pend->vstart));
	k = dsn_lookup(pend->name);
	f.name = pend->name;
	f.type = SPAN_NULL;
	f.value =
	    pend->folded ? dsn_unfold(p->a, raw) : ascii_trim(raw, ASCII_SPACE);
	dsn_split_type(k, &f);
	if (k != NULL && (k->flags & DSN_F_ADDR) != 0u)
		f.value = dsn_strip_addr(f.value);
	dsn_route(p, k, &f);
}

static void
dsn_line(struct dsn_parser *p, struct dsn_pending *pend, struct span line)
{
	size_t i = 0;
	struct span name;

	if (ascii_all(line, ASCII_SPACE)) {
		dsn_pending_end(p, pend);
		if (p->in_block) {
			p->in_block = false;
			if (p->in_rcpt)
				p->new_block = true;
			else
				p->msg_done = true;
		}
		return;
	}
	if (ascii_is_wsp(line.ptr[0])) {
		/* RFC 5322 §2.2.3: white space first continues the field */
		if (pend->open) {
			pend->vend = line.ptr + line.len;
			pend->folded = true;
		} else {
			p->out->anomalies |= DSN_ANOM_BAD_LINE;
		}
		return;
	}
	dsn_pending_end(p, pend);
	while (i < line.len && dsn_is_ftext(line.ptr[i]))
		i++;
	name = span_make(line.ptr, i);
	/* tolerate "Status : 5.0.0" (RFC 822 allowed it, old MTAs write it) */
	while (i < line.len && ascii_is_wsp(line.ptr[i]))
		i++;
	if (name.len == 0 || i == line.len || line.ptr[i] != ':') {
		p->out->anomalies |= DSN_ANOM_BAD_LINE;
		return;
	}
	pend->open = true;
	pend->folded = false;
	pend->name = name;
	pend->vstart = line.ptr + i + 1;
	pend->vend = line.ptr + line.len;
}

void
dsn_parse(struct arena *a, struct span body, struct dsn_report *out)
{
	struct dsn_parser p;
	struct dsn_pending pend;
	const char *s, *end;

	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	memset(&pend, 0, sizeof(pend));
	p.a = a;
	p.out = out;
	s = body.ptr;
	end = body.ptr != NULL ? body.ptr + body.len : NULL;
	while (s != end && !p.stop) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *eol = nl != NULL ? nl : end;

		dsn_line(&p, &pend, span_make(s, (size_t)(eol - s)));
		s = nl != NULL ? nl + 1 : end;
	}
	dsn_pending_end(&p, &pend);
	if (!p.stop)
		dsn_flush(&p);
	if (out->nrecipients == 0)
		out->anomalies |= DSN_ANOM_NO_RECIPIENT;
}

struct span
dsn_field_get(const struct dsn_field *fields, size_t n, const char *name)
{
	if (fields == NULL || name == NULL)
		return SPAN_NULL;
	for (size_t i = 0; i < n; i++) {
		if (ascii_ieq_cstr(fields[i].name, name))
			return fields[i].value;
	}
	return SPAN_NULL;
}

/* RFC 3464 §2.3.3: the values of Action */
static const struct dsn_action_name {
	const char *name;
	enum dsn_action action;
} dsn_action_names[] = {
	{ "failed", DSN_ACTION_FAILED },
	{ "delayed", DSN_ACTION_DELAYED },
	{ "delivered", DSN_ACTION_DELIVERED },
	{ "relayed", DSN_ACTION_RELAYED },
	{ "expanded", DSN_ACTION_EXPANDED },
};

enum dsn_action
dsn_action_parse(const char *value)
{
	const size_t n = sizeof(dsn_action_names) / sizeof(dsn_action_names[0]);

	if (value == NULL)
		return DSN_ACTION_NONE;
	for (size_t i = 0; i < n; i++) {
		if (ascii_ieq_cstr(span_cstr(value), dsn_action_names[i].name))
			return dsn_action_names[i].action;
	}
	return DSN_ACTION_OTHER;
}
