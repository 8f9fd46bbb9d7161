/* SPDX-License-Identifier: MIT */
/*
 * dmarcrec.c - a DMARC record's text: selection and parsing (RFC 7489
 * §6.3, §6.4, §6.6.3)
 *
 * One pass over the tag-list (taglist.c); each known tag's value is
 * checked against §6.4's ABNF, and §6.6.3 step 6 is applied at the end.
 * Not here: fetching, choosing, the organisational domain (dmarccheck.c).
 */
#include "dmarcrec.h"

#include <string.h>

#include "ascii.h"
#include "taglist.h"
#include "texts_msg.h"

#define DMARCREC_RI_DEFAULT 86400ul

enum dmarcrec_tag {
	DMARCREC_T_V,
	DMARCREC_T_P,
	DMARCREC_T_SP,
	DMARCREC_T_RUA,
	DMARCREC_T_RUF,
	DMARCREC_T_ADKIM,
	DMARCREC_T_ASPF,
	DMARCREC_T_PCT,
	DMARCREC_T_RI,
	DMARCREC_T_FO,
	DMARCREC_T_RF,
	/* DMARCbis (draft-ietf-dmarc-dmarcbis): known, not used here, so
	 * they earn no "unknown tag" note */
	DMARCREC_T_NP,
	DMARCREC_T_PSD,
	DMARCREC_T_T,
	DMARCREC_T_UNKNOWN,
};

static const char *const dmarcrec_tag_names[] = { "v", "p", "sp", "rua", "ruf",
	"adkim", "aspf", "pct", "ri", "fo", "rf", "np", "psd", "t" };

static const char *const dmarcrec_policy_names[] = { NULL, "none", "quarantine",
	"reject" };

/* What one parse carries besides the record. */
struct dmarcrec_ctx {
	struct arena *a;
	struct dmarcrec *r;
	bool p_ok;     /* a valid p= was read */
	bool sp_bad;   /* an sp= was given and is not valid */
	unsigned seen; /* the tags read, 1 << enum dmarcrec_tag */
};

/* dmarcrec_version - §6.4: dmarc-version = "v" *WSP "=" *WSP %x44 %x4d
 * %x41 %x52 %x43 %x31, at the start of txt */
static enum dmarcrec_kind
dmarcrec_version(struct span txt)
{
	size_t i = 0;

	if (txt.len == 0 || ascii_tolower(txt.ptr[0]) != 'v')
		return DMARCREC_OTHER;
	for (i = 1; i < txt.len && ascii_is_wsp(txt.ptr[i]); i++)
		;
	if (i == txt.len || txt.ptr[i] != '=')
		return DMARCREC_OTHER;
	for (i++; i < txt.len && ascii_is_wsp(txt.ptr[i]); i++)
		;
	if (!ascii_iprefix(span_sub(txt, i, txt.len), SPAN_LIT("dmarc")))
		return DMARCREC_OTHER;
	if (txt.len - i >= 6 && memcmp(txt.ptr + i, "DMARC1", 6) == 0 &&
	    (txt.len - i == 6 || txt.ptr[i + 6] == ';' ||
	        ascii_is_wsp(txt.ptr[i + 6])))
		return DMARCREC_DMARC1;
	return DMARCREC_LOOKALIKE;
}

enum dmarcrec_kind
dmarcrec_kind(struct span txt)
{
	struct span trimmed = ascii_trim(txt, ASCII_SPACE);

	/* a version after white space is not at the start (§6.6.3 step
	 * 2): receivers may discard the record */
	if (trimmed.ptr != txt.ptr)
		return dmarcrec_version(trimmed) == DMARCREC_OTHER ?
		    DMARCREC_OTHER :
		    DMARCREC_LOOKALIKE;
	return dmarcrec_version(txt);
}

const char *
dmarcrec_policy_str(enum dmarcrec_policy p)
{
	return (size_t)p < sizeof(dmarcrec_policy_names) /
	            sizeof(dmarcrec_policy_names[0]) ?
	    dmarcrec_policy_names[p] :
	    NULL;
}

const char *
dmarcrec_align_str(enum dmarcrec_align al)
{
	return al == DMARCREC_STRICT ? "s" : "r";
}

static void
dmarcrec_add(struct dmarcrec_ctx *c, const char *code, enum finding_level level,
    const struct texts_msg *m)
{
	findings_add(c->a, &c->r->findings, code, level, m);
}

/* dmarcrec_problem - a finding "dmarc_syntax" about tag t (its name and
 * value as arguments) */
static void
dmarcrec_problem(struct dmarcrec_ctx *c, enum finding_level level,
    const char *id, const struct taglist_tag *t)
{
	dmarcrec_add(c, "dmarc_syntax", level, taglist_msg(c->a, id, t));
}

static enum dmarcrec_tag
dmarcrec_tag_of(struct span name)
{
	for (size_t i = 0; i < DMARCREC_T_UNKNOWN; i++)
		if (ascii_ieq_cstr(name, dmarcrec_tag_names[i]))
			return (enum dmarcrec_tag)i;
	return DMARCREC_T_UNKNOWN;
}

/* dmarcrec_number - 1 to maxdigits digits, no more than max */
static bool
dmarcrec_number(struct span s, size_t maxdigits, unsigned long max,
    unsigned long *out)
{
	unsigned long v = 0;

	if (s.len == 0 || s.len > maxdigits || !ascii_all(s, ASCII_DIGIT))
		return false;
	for (size_t i = 0; i < s.len; i++)
		v = v * 10 + (unsigned long)(s.ptr[i] - '0');
	if (v > max)
		return false;
	*out = v;
	return true;
}

static bool
dmarcrec_policy_of(struct span v, enum dmarcrec_policy *out)
{
	for (size_t i = DMARCREC_P_NONE; i <= DMARCREC_P_REJECT; i++) {
		if (ascii_ieq_cstr(v, dmarcrec_policy_names[i])) {
			*out = (enum dmarcrec_policy)i;
			return true;
		}
	}
	return false;
}

/* dmarcrec_size_ok - §6.4: "!" 1*DIGIT [ "k" / "m" / "g" / "t" ], the
 * number within an unsigned 64-bit integer */
static bool
dmarcrec_size_ok(struct span s)
{
	size_t n = 0;

	while (n < s.len && ascii_is_digit(s.ptr[n]))
		n++;
	if (n == 0 || n > 20 ||
	    (n == 20 && memcmp(s.ptr, "18446744073709551615", 20) > 0))
		return false;
	return n == s.len ||
	    (n + 1 == s.len && strchr("kmgtKMGT", s.ptr[n]) != NULL);
}

/* dmarcrec_uri_ok - §6.4 dmarc-uri: an RFC 3986 scheme, ':', then
 * visible characters but the ones that must be encoded; mailto: needs
 * an address */
static bool
dmarcrec_uri_ok(struct span u)
{
	const char *bang = memchr(u.ptr, '!', u.len);
	struct span uri = u, rest;
	size_t i = 1, at;

	if (bang != NULL) {
		uri.len = (size_t)(bang - u.ptr);
		if (!dmarcrec_size_ok(span_sub(u, uri.len + 1, u.len)))
			return false;
	}
	if (uri.len == 0 || !ascii_is_alpha(uri.ptr[0]))
		return false;
	while (i < uri.len &&
	    (ascii_is_alnum(uri.ptr[i]) || strchr("+-.", uri.ptr[i]) != NULL))
		i++;
	if (i == uri.len || uri.ptr[i] != ':' || i + 1 == uri.len)
		return false;
	rest = span_sub(uri, i + 1, uri.len);
	if (!ascii_all(rest, ASCII_VCHAR) ||
	    memchr(rest.ptr, ',', rest.len) != NULL ||
	    memchr(rest.ptr, ';', rest.len) != NULL)
		return false;
	if (!ascii_ieq_cstr(span_make(uri.ptr, i), "mailto"))
		return true;
	/* RFC 6068: mailto:local@domain, headers after '?' */
	for (at = 0; at < rest.len && rest.ptr[at] != '?'; at++)
		;
	rest.len = at;
	at = 0;
	while (at < rest.len && rest.ptr[at] != '@')
		at++;
	return at > 0 && at + 1 < rest.len;
}

/* dmarcrec_uris - rua= or ruf=: the valid URIs into v */
static void
dmarcrec_uris(struct dmarcrec_ctx *c, const struct taglist_tag *t,
    const char **v, size_t *n)
{
	struct span item;
	size_t pos = 0;
	bool full = false;
	struct texts_msg *m;

	while (taglist_item(t->value, ',', &pos, &item)) {
		if (!dmarcrec_uri_ok(item)) {
			dmarcrec_add(c, "dmarc_syntax", FINDING_WARNING,
			    texts_msg_with(c->a, "dmarc.syntax.bad_uri", "tag",
			        taglist_quote(c->a, t->name), "uri",
			        taglist_quote(c->a, item), TEXTS_MSG_END));
		} else if (*n < DMARCREC_MAX_URIS) {
			v[(*n)++] = taglist_quote(c->a, item);
		} else if (!full) {
			full = true;
			m = texts_msg_with(c->a, "dmarc.syntax.too_many_uris",
			    "tag", taglist_quote(c->a, t->name), TEXTS_MSG_END);
			dmarcrec_add(c, "dmarc_syntax", FINDING_WARNING,
			    texts_msg_num(m, "max", DMARCREC_MAX_URIS));
		}
	}
}

/* dmarcrec_list_ok - items separated by ':', each accepted by ok */
static bool
dmarcrec_list_ok(struct span v, bool (*ok)(struct span))
{
	struct span item;
	size_t pos = 0;

	while (taglist_item(v, ':', &pos, &item))
		if (!ok(item))
			return false;
	return true;
}

/* dmarcrec_fo_ok - §6.4: "0" / "1" / "d" / "s" */
static bool
dmarcrec_fo_ok(struct span item)
{
	return item.len == 1 && strchr("01dsDS", item.ptr[0]) != NULL;
}

/* dmarcrec_rf_ok - §6.3: the registered formats; only afrf is */
static bool
dmarcrec_rf_ok(struct span item)
{
	return ascii_ieq_cstr(item, "afrf");
}

static void
dmarcrec_align(struct dmarcrec_ctx *c, const struct taglist_tag *t,
    enum dmarcrec_align *out)
{
	if (ascii_ieq_cstr(t->value, "s"))
		*out = DMARCREC_STRICT;
	else if (!ascii_ieq_cstr(t->value, "r"))
		dmarcrec_problem(c, FINDING_WARNING, "dmarc.syntax.bad_align",
		    t);
}

static void
dmarcrec_policy(struct dmarcrec_ctx *c, const struct taglist_tag *t,
    enum dmarcrec_tag tag)
{
	enum dmarcrec_policy p;

	if (!dmarcrec_policy_of(t->value, &p)) {
		if (tag == DMARCREC_T_SP)
			c->sp_bad = true;
		dmarcrec_problem(c, FINDING_ERROR, "dmarc.syntax.bad_policy",
		    t);
	} else if (tag == DMARCREC_T_P) {
		c->r->p = p;
		c->p_ok = true;
	} else {
		c->r->sp = p;
	}
}

/* dmarcrec_value - the value of a known tag other than v= */
static void
dmarcrec_value(struct dmarcrec_ctx *c, const struct taglist_tag *t,
    enum dmarcrec_tag tag)
{
	struct dmarcrec *r = c->r;
	unsigned long n;

	switch (tag) {
	case DMARCREC_T_P:
	case DMARCREC_T_SP:
		dmarcrec_policy(c, t, tag);
		break;
	case DMARCREC_T_RUA:
		dmarcrec_uris(c, t, r->rua, &r->nrua);
		break;
	case DMARCREC_T_RUF:
		dmarcrec_uris(c, t, r->ruf, &r->nruf);
		break;
	case DMARCREC_T_ADKIM:
		dmarcrec_align(c, t, &r->adkim);
		break;
	case DMARCREC_T_ASPF:
		dmarcrec_align(c, t, &r->aspf);
		break;
	case DMARCREC_T_PCT:
		if (dmarcrec_number(t->value, 3, 100, &n))
			r->pct = (unsigned)n;
		else
			dmarcrec_problem(c, FINDING_WARNING,
			    "dmarc.syntax.bad_pct", t);
		break;
	case DMARCREC_T_RI:
		if (dmarcrec_number(t->value, 10, 0xfffffffful, &n))
			r->ri = n;
		else
			dmarcrec_problem(c, FINDING_WARNING,
			    "dmarc.syntax.bad_ri", t);
		break;
	case DMARCREC_T_FO:
		if (dmarcrec_list_ok(t->value, dmarcrec_fo_ok))
			r->fo = taglist_quote(c->a, t->value);
		else
			dmarcrec_problem(c, FINDING_WARNING,
			    "dmarc.syntax.bad_fo", t);
		break;
	case DMARCREC_T_RF:
		if (dmarcrec_list_ok(t->value, dmarcrec_rf_ok))
			r->rf = taglist_quote(c->a, t->value);
		else
			dmarcrec_problem(c, FINDING_WARNING,
			    "dmarc.syntax.bad_rf", t);
		break;
	default:
		break;
	}
}

/* dmarcrec_tag - one tag-spec (taglist_fn) */
static void
dmarcrec_tag(void *arg, enum taglist_step st, const struct taglist_tag *t,
    size_t index)
{
	struct dmarcrec_ctx *c = arg;
	enum dmarcrec_tag tag = dmarcrec_tag_of(t->name);
	bool policy = tag == DMARCREC_T_P || tag == DMARCREC_T_SP;

	if (st != TAGLIST_TAG) {
		dmarcrec_add(c, "dmarc_syntax", FINDING_WARNING,
		    taglist_error(c->a, st, t));
		return;
	}
	if (tag == DMARCREC_T_UNKNOWN) {
		/* §6.3: unknown tags MUST be ignored */
		dmarcrec_add(c, "dmarc_unknown_tag", FINDING_INFO,
		    texts_msg_with(c->a, "dmarc.syntax.unknown_tag", "tag",
		        taglist_quote(c->a, t->name), TEXTS_MSG_END));
		return;
	}
	if ((c->seen & (1u << tag)) != 0) {
		/* RFC 6376 §3.2: a duplicate invalidates the whole list */
		dmarcrec_problem(c, FINDING_ERROR, "dmarc.syntax.duplicate", t);
		return;
	}
	c->seen |= 1u << tag;
	if (tag == DMARCREC_T_V || tag >= DMARCREC_T_NP)
		return; /* v= was checked by dmarcrec_kind */
	if (tag == DMARCREC_T_P && index != 1)
		dmarcrec_problem(c, FINDING_WARNING,
		    "dmarc.syntax.p_not_second", t);
	if (t->value.len == 0) {
		c->sp_bad |= tag == DMARCREC_T_SP;
		dmarcrec_problem(c, policy ? FINDING_ERROR : FINDING_WARNING,
		    "dmarc.syntax.empty", t);
		return;
	}
	dmarcrec_value(c, t, tag);
}

/* dmarcrec_step6 - RFC 7489 §6.6.3 step 6: no valid p=, or an invalid
 * sp=: p=none when rua= has a valid URI, else no DMARC at all */
static void
dmarcrec_step6(struct dmarcrec_ctx *c)
{
	struct dmarcrec *r = c->r;

	if ((c->seen & (1u << DMARCREC_T_P)) == 0)
		dmarcrec_add(c, "dmarc_syntax", FINDING_ERROR,
		    texts_msg_new(c->a, "dmarc.syntax.no_p"));
	if (c->p_ok && !c->sp_bad) {
		r->usable = true;
		return;
	}
	r->sp = DMARCREC_P_UNSET;
	if (r->nrua > 0) {
		r->usable = true;
		r->p_assumed = true;
		r->p = DMARCREC_P_NONE;
		dmarcrec_add(c, "dmarc_no_policy", FINDING_ERROR,
		    texts_msg_new(c->a, "dmarc.syntax.as_none"));
	} else {
		r->p = DMARCREC_P_UNSET;
		dmarcrec_add(c, "dmarc_no_policy", FINDING_ERROR,
		    texts_msg_new(c->a, "dmarc.syntax.unusable"));
	}
}

void
dmarcrec_parse(struct arena *a, struct span text, struct dmarcrec *out)
{
	struct dmarcrec_ctx c = { a, out, false, false, 0 };

	memset(out, 0, sizeof(*out));
	out->text = text;
	out->pct = 100;
	out->ri = DMARCREC_RI_DEFAULT;
	out->fo = "0";
	out->rf = "afrf";
	if (text.len > DMARCREC_MAX_LEN) {
		dmarcrec_add(&c, "dmarc_syntax", FINDING_ERROR,
		    taglist_too_long(a, "dmarc.syntax.too_long", text.len,
		        DMARCREC_MAX_LEN));
		return;
	}
	if (dmarcrec_kind(text) != DMARCREC_DMARC1) {
		dmarcrec_add(&c, "dmarc_syntax", FINDING_ERROR,
		    texts_msg_new(a, "dmarc.syntax.version"));
		return;
	}
	taglist_walk(text, dmarcrec_tag, &c);
	dmarcrec_step6(&c);
}
