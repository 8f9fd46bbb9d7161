/* SPDX-License-Identifier: MIT */
/*
 * spfrecord.c - SPF record text: selection and parsing (RFC 7208 §4.5,
 * §4.6, §12)
 *
 * A record is split on spaces; a term that starts with a modifier name
 * followed by "=" is a modifier, anything else a directive (§4.6.1). The
 * prefix lengths of a and mx are read from the end of the term, because
 * a domain-spec may itself contain "/" and ":" (§7.1 macro-literal).
 * An error is a message "spfsyntax.*" whose arguments are the data: the
 * term's name, the value refused, the offset.
 * Not here: evaluation (spf.c), macros (spfmacro.c), the words of the
 * errors (rules/messages.json).
 */
#include "spfrecord.h"

#include <string.h>

#include "ascii.h"
#include "spfmacro.h"
#include "texts_msg.h"

static const struct {
	const char *name;
	enum spfrecord_kind kind;
} spfrecord_mechs[] = {
	{ "all", SPFRECORD_ALL },
	{ "include", SPFRECORD_INCLUDE },
	{ "a", SPFRECORD_A },
	{ "mx", SPFRECORD_MX },
	{ "ptr", SPFRECORD_PTR },
	{ "ip4", SPFRECORD_IP4 },
	{ "ip6", SPFRECORD_IP6 },
	{ "exists", SPFRECORD_EXISTS },
};

bool
spfrecord_is_spf(struct span txt)
{
	return ascii_iprefix(txt, SPAN_LIT("v=spf1")) &&
	    (txt.len == 6 || txt.ptr[6] == ' ');
}

bool
spfrecord_counts_lookup(enum spfrecord_kind k)
{
	return k == SPFRECORD_INCLUDE || k == SPFRECORD_A ||
	    k == SPFRECORD_MX || k == SPFRECORD_PTR || k == SPFRECORD_EXISTS ||
	    k == SPFRECORD_REDIRECT;
}

bool
spfrecord_is_mechanism(enum spfrecord_kind k)
{
	return k <= SPFRECORD_EXISTS;
}

const char *
spfrecord_kind_str(enum spfrecord_kind k)
{
	switch (k) {
	case SPFRECORD_REDIRECT:
		return "redirect";
	case SPFRECORD_EXP:
		return "exp";
	case SPFRECORD_UNKNOWN_MODIFIER:
		return "modifier";
	default:
		break;
	}
	for (size_t i = 0;
	     i < sizeof(spfrecord_mechs) / sizeof(spfrecord_mechs[0]); i++)
		if (spfrecord_mechs[i].kind == k)
			return spfrecord_mechs[i].name;
	return "?";
}

/* spfrecord_fail - fill err for the term t with a message; returns -1 */
static int
spfrecord_fail(struct spfrecord_error *err, const struct spfrecord_term *t,
    const struct texts_msg *msg)
{
	err->offset = t->offset;
	err->len = t->text.len;
	err->msg = msg;
	return -1;
}

/* spfrecord_msg - the message id with the argument name (a term's name) */
static struct texts_msg *
spfrecord_msg(struct arena *a, const char *id, const char *name)
{
	return texts_msg_arg(texts_msg_new(a, id), "name", name);
}

/* spfrecord_value - a piece of the record as an argument text */
static const char *
spfrecord_value(struct arena *a, struct span s)
{
	return arena_strndup(a, s.ptr, s.len);
}

/* spfrecord_msg_value - spfrecord_msg with the argument arg, the piece
 * of the record that is wrong */
static struct texts_msg *
spfrecord_msg_value(struct arena *a, const char *id, const char *name,
    const char *arg, struct span value)
{
	return texts_msg_arg(spfrecord_msg(a, id, name), arg,
	    spfrecord_value(a, value));
}

/* spfrecord_domain - check a domain-spec; -1 with err naming what and
 * the checker's reason */
static int
spfrecord_domain(struct arena *a, struct spfrecord_term *t, struct span spec,
    const char *what, struct spfrecord_error *err)
{
	const struct texts_msg *why = NULL;
	size_t off = 0;

	t->domain = spec;
	if (spfmacro_check(spec, SPFMACRO_DOMAIN, &off, &why) == 0)
		return 0;
	if (spec.len == 0)
		return spfrecord_fail(err, t,
		    spfrecord_msg(a, "spfsyntax.empty_domain", what));
	return spfrecord_fail(err, t,
	    texts_msg_sub(spfrecord_msg_value(a, "spfsyntax.bad_domain", what,
	                      "domain", spec),
	        "error", why));
}

/* spfrecord_tail_cidr - take "/" 1*DIGIT off the end of *s into *digits
 * (two slashes when dual) */
static bool
spfrecord_tail_cidr(struct span *s, bool dual, struct span *digits)
{
	size_t n = 0, slashes = dual ? 2 : 1;

	while (n < s->len && ascii_is_digit(s->ptr[s->len - 1 - n]))
		n++;
	if (n == 0 || s->len < n + slashes)
		return false;
	for (size_t i = 1; i <= slashes; i++)
		if (s->ptr[s->len - n - i] != '/')
			return false;
	*digits = span_make(s->ptr + s->len - n, n);
	s->len -= n + slashes;
	return true;
}

/* spfrecord_dual - RFC 7208 §5.3/§5.4: a and mx take [":" domain-spec]
 * [ip4-cidr-length] ["/" ip6-cidr-length] */
static int
spfrecord_dual(struct arena *a, struct spfrecord_term *t, struct span args,
    struct spfrecord_error *err)
{
	const char *name = spfrecord_kind_str(t->kind);
	struct span c4 = SPAN_NULL, c6 = SPAN_NULL;

	(void)spfrecord_tail_cidr(&args, true, &c6);
	(void)spfrecord_tail_cidr(&args, false, &c4);
	if (c4.ptr != NULL && spfaddr_parse_cidr(c4, 32, &t->cidr4) == -1)
		return spfrecord_fail(err, t,
		    spfrecord_msg_value(a, "spfsyntax.cidr4", name, "length",
		        c4));
	if (c6.ptr != NULL && spfaddr_parse_cidr(c6, 128, &t->cidr6) == -1)
		return spfrecord_fail(err, t,
		    spfrecord_msg_value(a, "spfsyntax.cidr6", name, "length",
		        c6));
	if (args.len == 0)
		return 0;
	if (args.ptr[0] != ':')
		return spfrecord_fail(err, t,
		    spfrecord_msg(a, "spfsyntax.dual_args", name));
	return spfrecord_domain(a, t, span_sub(args, 1, args.len), name, err);
}

/* spfrecord_ip - RFC 7208 §5.6: ip4:network[/len], ip6:network[/len] */
static int
spfrecord_ip(struct arena *a, struct spfrecord_term *t, struct span args,
    struct spfrecord_error *err)
{
	bool v6 = t->kind == SPFRECORD_IP6;
	const char *name = v6 ? "ip6" : "ip4";
	struct span net, cidr = SPAN_NULL;
	const char *slash;
	int rc;

	if (args.len < 2 || args.ptr[0] != ':')
		return spfrecord_fail(err, t,
		    texts_msg_with(a, "spfsyntax.no_address", "name", name,
		        "example", v6 ? "2001:db8::/32" : "192.0.2.0/24",
		        TEXTS_MSG_END));
	net = span_sub(args, 1, args.len);
	slash = memchr(net.ptr, '/', net.len);
	if (slash != NULL) {
		cidr = span_sub(net, (size_t)(slash - net.ptr) + 1, net.len);
		net.len = (size_t)(slash - net.ptr);
	}
	rc = v6 ? spfaddr_parse_ip6(net, &t->net) :
	          spfaddr_parse_ip4(net, &t->net);
	if (rc == -1)
		return spfrecord_fail(err, t,
		    spfrecord_msg_value(a,
		        v6 ? "spfsyntax.ip6_address" : "spfsyntax.ip4_address",
		        name, "value", net));
	if (cidr.ptr != NULL &&
	    spfaddr_parse_cidr(cidr, v6 ? 128 : 32,
	        v6 ? &t->cidr6 : &t->cidr4) == -1)
		return spfrecord_fail(err, t,
		    texts_msg_arg(spfrecord_msg_value(a, "spfsyntax.ip_cidr",
		                      name, "length", cidr),
		        "max", v6 ? "128" : "32"));
	return 0;
}

/* spfrecord_mechanism - a directive: [qualifier] mechanism */
static int
spfrecord_mechanism(struct arena *a, struct spfrecord_term *t,
    struct spfrecord_error *err)
{
	struct span s = t->text, name, args;
	size_t n = 0, i;
	bool found = false;

	t->qualifier = '+';
	if (s.len > 0 && strchr("+-~?", s.ptr[0]) != NULL) {
		t->qualifier = s.ptr[0];
		s = span_sub(s, 1, s.len);
	}
	while (n < s.len && s.ptr[n] != ':' && s.ptr[n] != '/')
		n++;
	name = span_sub(s, 0, n);
	args = span_sub(s, n, s.len);
	for (i = 0; i < sizeof(spfrecord_mechs) / sizeof(spfrecord_mechs[0]);
	     i++) {
		if (ascii_ieq_cstr(name, spfrecord_mechs[i].name)) {
			t->kind = spfrecord_mechs[i].kind;
			found = true;
			break;
		}
	}
	if (!found)
		return spfrecord_fail(err, t,
		    texts_msg_with(a, "spfsyntax.unknown_mechanism", "term",
		        spfrecord_value(a, t->text), TEXTS_MSG_END));
	switch (t->kind) {
	case SPFRECORD_ALL:
		if (args.len > 0)
			return spfrecord_fail(err, t,
			    texts_msg_new(a, "spfsyntax.all_args"));
		return 0;
	case SPFRECORD_INCLUDE:
	case SPFRECORD_EXISTS:
		if (args.len == 0 || args.ptr[0] != ':')
			return spfrecord_fail(err, t,
			    spfrecord_msg(a, "spfsyntax.no_domain",
			        spfrecord_kind_str(t->kind)));
		return spfrecord_domain(a, t, span_sub(args, 1, args.len),
		    spfrecord_kind_str(t->kind), err);
	case SPFRECORD_PTR:
		if (args.len == 0)
			return 0;
		if (args.ptr[0] != ':')
			return spfrecord_fail(err, t,
			    texts_msg_new(a, "spfsyntax.ptr_args"));
		return spfrecord_domain(a, t, span_sub(args, 1, args.len),
		    "ptr", err);
	case SPFRECORD_A:
	case SPFRECORD_MX:
		return spfrecord_dual(a, t, args, err);
	case SPFRECORD_IP4:
	case SPFRECORD_IP6:
		return spfrecord_ip(a, t, args, err);
	default:
		return -1;
	}
}

/* spfrecord_modifier_name - length of a modifier name followed by "=" at
 * the start of s (RFC 7208 §12: ALPHA *( ALPHA / DIGIT / "-" / "_" /
 * "." )), or 0 when s is not a modifier */
static size_t
spfrecord_modifier_name(struct span s)
{
	size_t n = 1;

	if (s.len == 0 || !ascii_is_alpha(s.ptr[0]))
		return 0;
	while (n < s.len &&
	    (ascii_is_alpha(s.ptr[n]) || ascii_is_digit(s.ptr[n]) ||
	        s.ptr[n] == '-' || s.ptr[n] == '_' || s.ptr[n] == '.'))
		n++;
	return n < s.len && s.ptr[n] == '=' ? n : 0;
}

/* spfrecord_modifier - redirect=, exp= or an unknown modifier (§6) */
static int
spfrecord_modifier(struct arena *a, struct spfrecord *rec,
    struct spfrecord_term *t, size_t namelen, struct spfrecord_error *err)
{
	struct span value = span_sub(t->text, namelen + 1, t->text.len);
	const struct texts_msg *why = NULL;
	size_t off = 0;

	t->name = span_sub(t->text, 0, namelen);
	if (ascii_ieq_cstr(t->name, "redirect") ||
	    ascii_ieq_cstr(t->name, "exp")) {
		bool redirect = ascii_ieq_cstr(t->name, "redirect");
		const char *what = redirect ? "redirect=" : "exp=";

		t->kind = redirect ? SPFRECORD_REDIRECT : SPFRECORD_EXP;
		/* RFC 7208 §6: each at most once */
		if ((redirect ? rec->redirect : rec->exp) != NULL)
			return spfrecord_fail(err, t,
			    spfrecord_msg(a, "spfsyntax.repeated", what));
		if (spfrecord_domain(a, t, value, what, err) == -1)
			return -1;
		if (redirect)
			rec->redirect = t;
		else
			rec->exp = t;
		return 0;
	}
	t->kind = SPFRECORD_UNKNOWN_MODIFIER;
	t->domain = value;
	if (spfmacro_check(value, SPFMACRO_MODIFIER, &off, &why) == -1)
		return spfrecord_fail(err, t,
		    texts_msg_sub(spfrecord_msg(a, "spfsyntax.modifier_value",
		                      spfrecord_value(a, t->name)),
		        "error", why));
	return 0;
}

/* spfrecord_bytes - RFC 7208 §12: a record is SP and VCHAR only */
static int
spfrecord_bytes(struct arena *a, struct span text, struct spfrecord_error *err)
{
	for (size_t i = 0; i < text.len; i++) {
		unsigned char c = (unsigned char)text.ptr[i];

		if (c >= 0x20 && c <= 0x7e)
			continue;
		size_t start = i, end = i;

		/* point at the whole term that holds the byte */
		while (start > 0 && text.ptr[start - 1] != ' ')
			start--;
		while (end < text.len && text.ptr[end] != ' ')
			end++;
		err->offset = start;
		err->len = end - start;
		err->msg = texts_msg_with(a,
		    c == 0        ? "spfsyntax.byte_nul" :
		        c >= 0x80 ? "spfsyntax.byte_non_ascii" :
		                    "spfsyntax.byte_control",
		    "byte", arena_printf(a, "%02X", c), "offset",
		    arena_printf(a, "%zu", i), TEXTS_MSG_END);
		return -1;
	}
	return 0;
}

int
spfrecord_parse(struct arena *a, struct span text, struct spfrecord *out,
    struct spfrecord_error *err_out)
{
	struct spfrecord rec;
	struct texts_msg *m;
	struct span tok;
	size_t i = 6, n = 0;

	memset(&rec, 0, sizeof(rec));
	rec.text = text;
	err_out->offset = 0;
	err_out->len = text.len;
	if (text.len > SPFRECORD_MAX_LEN) {
		m = texts_msg_new(a, "spfsyntax.too_long");
		(void)texts_msg_num(m, "max", SPFRECORD_MAX_LEN);
		err_out->msg = texts_msg_count(m, text.len);
		return -1;
	}
	if (!spfrecord_is_spf(text)) {
		err_out->msg = texts_msg_new(a, "spfsyntax.version");
		return -1;
	}
	if (spfrecord_bytes(a, text, err_out) == -1)
		return -1;
	for (size_t j = 6; j < text.len; j++)
		if (text.ptr[j] != ' ' && (j == 6 || text.ptr[j - 1] == ' '))
			n++;
	rec.terms = arena_zalloc(a, (n > 0 ? n : 1) * sizeof(*rec.terms));
	while (ascii_token(text, &i, ASCII_SP, &tok)) {
		struct spfrecord_term *t;
		size_t namelen;

		t = &rec.terms[rec.nterms++];
		t->offset = (size_t)(tok.ptr - text.ptr);
		t->text = tok;
		t->cidr4 = 32;
		t->cidr6 = 128;
		namelen = spfrecord_modifier_name(t->text);
		if ((namelen > 0 ?
		            spfrecord_modifier(a, &rec, t, namelen, err_out) :
		            spfrecord_mechanism(a, t, err_out)) == -1)
			return -1;
	}
	*out = rec;
	return 0;
}
