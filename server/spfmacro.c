/* SPDX-License-Identifier: MIT */
/*
 * spfmacro.c - SPF macros (RFC 7208 §7)
 *
 * One tokenizer (spfmacro_next) serves the checker, the expander and
 * spfmacro_uses, so that what is accepted is exactly what is expanded.
 * Its errors are static messages without arguments: where the fault is
 * travels beside them as an offset.
 * Not here: where the values come from (spf.c), the words of the errors
 * (rules/messages.json, "spfsyntax.*").
 */
#include "spfmacro.h"

#include <string.h>

#include "ascii.h"
#include "buf.h"
#include "spfname.h"
#include "texts_msg.h"

/* a digit transformer above this takes every part anyway */
#define SPFMACRO_MAX_DIGITS 1000

enum spfmacro_tok_kind {
	SPFMACRO_TOK_LITERAL, /* a run of macro-literal (and SP in exp) */
	SPFMACRO_TOK_ESCAPE,  /* "%%", "%_", "%-" */
	SPFMACRO_TOK_MACRO,   /* "%{" letter transformers delimiters "}" */
};

/* the errors (RFC 7208 §7.1, §7.3), each a message without arguments */
enum spfmacro_err {
	SPFMACRO_ERR_UNCLOSED,
	SPFMACRO_ERR_LETTER,
	SPFMACRO_ERR_EXP_ONLY,
	SPFMACRO_ERR_ZERO,
	SPFMACRO_ERR_CHAR,
	SPFMACRO_ERR_SPACE,
	SPFMACRO_ERR_BYTE,
	SPFMACRO_ERR_PERCENT,
	SPFMACRO_ERR_TOPLABEL,
	SPFMACRO_ERR_EMPTY,
	SPFMACRO_ERR_TOO_LONG,
};

static const struct texts_msg spfmacro_errs[] = {
	[SPFMACRO_ERR_UNCLOSED] = { .id = "spfsyntax.macro_unclosed" },
	[SPFMACRO_ERR_LETTER] = { .id = "spfsyntax.macro_letter" },
	[SPFMACRO_ERR_EXP_ONLY] = { .id = "spfsyntax.macro_exp_only" },
	[SPFMACRO_ERR_ZERO] = { .id = "spfsyntax.macro_zero" },
	[SPFMACRO_ERR_CHAR] = { .id = "spfsyntax.macro_char" },
	[SPFMACRO_ERR_SPACE] = { .id = "spfsyntax.space" },
	[SPFMACRO_ERR_BYTE] = { .id = "spfsyntax.byte" },
	[SPFMACRO_ERR_PERCENT] = { .id = "spfsyntax.percent" },
	[SPFMACRO_ERR_TOPLABEL] = { .id = "spfsyntax.toplabel" },
	[SPFMACRO_ERR_EMPTY] = { .id = "spfsyntax.spec_empty" },
	[SPFMACRO_ERR_TOO_LONG] = { .id = "spfsyntax.expansion_too_long" },
};

struct spfmacro_tok {
	enum spfmacro_tok_kind kind;
	size_t off, len; /* in the string */
	char letter;     /* MACRO: as written; ESCAPE: '%', '_' or '-' */
	unsigned digits; /* 0: none */
	bool reverse;
	struct span delims; /* empty: "." */
};

/* spfmacro_fail - *err is the error e; returns -1 */
static int
spfmacro_fail(const struct texts_msg **err, enum spfmacro_err e)
{
	*err = &spfmacro_errs[e];
	return -1;
}

static bool
spfmacro_is_delim(char c)
{
	return c != '\0' && strchr(".-+,/_=", c) != NULL;
}

/* spfmacro_letter_ok - RFC 7208 §7.1: c, r and t only in explanations */
static bool
spfmacro_letter_ok(char c, enum spfmacro_where where)
{
	c = ascii_tolower(c);
	if (c == '\0')
		return false;
	if (strchr("slodipvh", c) != NULL)
		return true;
	return where != SPFMACRO_DOMAIN && strchr("crt", c) != NULL;
}

/* spfmacro_macro - read "%{...}" at i; returns 0 or -1 with *err */
static int
spfmacro_macro(struct span s, size_t i, enum spfmacro_where where,
    struct spfmacro_tok *t, const struct texts_msg **err)
{
	size_t j = i + 2;
	bool any_digit = false;

	if (j >= s.len)
		return spfmacro_fail(err, SPFMACRO_ERR_UNCLOSED);
	t->letter = s.ptr[j++];
	if (!spfmacro_letter_ok(t->letter, SPFMACRO_EXP))
		return spfmacro_fail(err, SPFMACRO_ERR_LETTER);
	if (!spfmacro_letter_ok(t->letter, where))
		return spfmacro_fail(err, SPFMACRO_ERR_EXP_ONLY);
	while (j < s.len && s.ptr[j] >= '0' && s.ptr[j] <= '9') {
		any_digit = true;
		if (t->digits <= SPFMACRO_MAX_DIGITS)
			t->digits = t->digits * 10 + (unsigned)(s.ptr[j] - '0');
		j++;
	}
	if (any_digit && t->digits == 0)
		return spfmacro_fail(err, SPFMACRO_ERR_ZERO);
	if (j < s.len && ascii_tolower(s.ptr[j]) == 'r') {
		t->reverse = true;
		j++;
	}
	t->delims.ptr = s.ptr + j;
	while (j < s.len && spfmacro_is_delim(s.ptr[j]))
		j++;
	t->delims.len = (size_t)(s.ptr + j - t->delims.ptr);
	if (j >= s.len || s.ptr[j] != '}')
		return spfmacro_fail(err, SPFMACRO_ERR_CHAR);
	t->kind = SPFMACRO_TOK_MACRO;
	t->len = j + 1 - i;
	return 0;
}

/* spfmacro_next - the token at *i, which it advances. Returns 1 for a
 * token, 0 at the end, -1 for a syntax error (*i at the fault). */
static int
spfmacro_next(struct span s, size_t *i, enum spfmacro_where where,
    struct spfmacro_tok *t, const struct texts_msg **err)
{
	size_t j = *i;

	if (j >= s.len)
		return 0;
	memset(t, 0, sizeof(*t));
	t->off = j;
	if (s.ptr[j] != '%') {
		while (j < s.len && s.ptr[j] != '%') {
			char c = s.ptr[j];

			/* macro-literal = %x21-24 / %x26-7E; SP in exp text */
			if ((c < '!' || c > '~') &&
			    !(c == ' ' && where == SPFMACRO_EXP)) {
				*i = j;
				return spfmacro_fail(err,
				    c == ' ' ? SPFMACRO_ERR_SPACE :
				               SPFMACRO_ERR_BYTE);
			}
			j++;
		}
		t->kind = SPFMACRO_TOK_LITERAL;
		t->len = j - t->off;
		*i = j;
		return 1;
	}
	if (j + 1 < s.len && strchr("%_-", s.ptr[j + 1]) != NULL &&
	    s.ptr[j + 1] != '\0') {
		t->kind = SPFMACRO_TOK_ESCAPE;
		t->letter = s.ptr[j + 1];
		t->len = 2;
		*i = j + 2;
		return 1;
	}
	if (j + 1 >= s.len || s.ptr[j + 1] != '{')
		return spfmacro_fail(err, SPFMACRO_ERR_PERCENT);
	if (spfmacro_macro(s, j, where, t, err) == -1)
		return -1;
	*i = j + t->len;
	return 1;
}

/* spfmacro_check_end - RFC 7208 §7.1 domain-end = ( "." toplabel [ "." ]
 * ) / macro-expand, for the literal run tail that ends the string */
static int
spfmacro_check_end(struct span tail, const struct texts_msg **err)
{
	const char *dot;

	if (tail.len > 0 && tail.ptr[tail.len - 1] == '.')
		tail.len--;
	dot = NULL;
	for (size_t i = tail.len; i-- > 0 && dot == NULL;)
		if (tail.ptr[i] == '.')
			dot = tail.ptr + i;
	if (dot == NULL ||
	    !spfname_is_toplabel(
	        span_make(dot + 1, (size_t)(tail.ptr + tail.len - dot - 1))))
		return spfmacro_fail(err, SPFMACRO_ERR_TOPLABEL);
	return 0;
}

int
spfmacro_check(struct span s, enum spfmacro_where where, size_t *erroff_out,
    const struct texts_msg **err_out)
{
	struct spfmacro_tok t;
	const struct texts_msg *err = NULL;
	size_t i = 0, tail = 0;
	int rc;

	memset(&t, 0, sizeof(t));
	while ((rc = spfmacro_next(s, &i, where, &t, &err)) == 1)
		if (t.kind != SPFMACRO_TOK_LITERAL)
			tail = i;
	if (rc == -1) {
		*erroff_out = i;
		*err_out = err;
		return -1;
	}
	if (where != SPFMACRO_DOMAIN)
		return 0;
	if (s.len == 0) {
		*erroff_out = 0;
		return spfmacro_fail(err_out, SPFMACRO_ERR_EMPTY);
	}
	/* ends in a macro-expand: fine; else the literal tail decides */
	if (tail == s.len)
		return 0;
	if (spfmacro_check_end(span_sub(s, tail, s.len), &err) == -1) {
		*erroff_out = tail;
		*err_out = err;
		return -1;
	}
	return 0;
}

bool
spfmacro_uses(struct span s, char letter)
{
	struct spfmacro_tok t;
	const struct texts_msg *err = NULL;
	size_t i = 0;

	while (spfmacro_next(s, &i, SPFMACRO_EXP, &t, &err) == 1)
		if (t.kind == SPFMACRO_TOK_MACRO &&
		    ascii_tolower(t.letter) == ascii_tolower(letter))
			return true;
	return false;
}

static struct span
spfmacro_value(const struct spfmacro_vars *v, char letter)
{
	struct span r = SPAN_NULL;

	switch (ascii_tolower(letter)) {
	case 's':
		r = v->s;
		break;
	case 'l':
		r = v->l;
		break;
	case 'o':
		r = v->o;
		break;
	case 'd':
		r = v->d;
		break;
	case 'i':
		r = v->i;
		break;
	case 'p':
		r = v->p;
		break;
	case 'v':
		r = v->v;
		break;
	case 'h':
		r = v->h;
		break;
	case 'c':
		r = v->c;
		break;
	case 'r':
		r = v->r;
		break;
	case 't':
		r = v->t;
		break;
	default:
		break;
	}
	return r.ptr == NULL ? SPAN_LIT("unknown") : r;
}

/* spfmacro_url_append - RFC 7208 §7.3: an uppercase macro letter
 * URL-encodes everything outside the unreserved set of RFC 3986 */
static int
spfmacro_url_append(struct buf *b, struct span s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.ptr[i];
		char enc[3];

		if (ascii_is_alnum(c) || c == '-' || c == '.' || c == '_' ||
		    c == '~') {
			if (buf_append_char(b, (char)c) == -1)
				return -1;
			continue;
		}
		enc[0] = '%';
		enc[1] = hex[c >> 4];
		enc[2] = hex[c & 0xfu];
		if (buf_append(b, enc, sizeof(enc)) == -1)
			return -1;
	}
	return 0;
}

/* spfmacro_is_in - is c one of the delimiters? */
static bool
spfmacro_is_in(struct span delims, char c)
{
	return memchr(delims.ptr, c, delims.len) != NULL;
}

/* spfmacro_join - append part to tmp, after a "." unless it is the first */
static int
spfmacro_join(struct buf *tmp, bool first, const char *p, size_t len)
{
	if (!first && buf_append_char(tmp, '.') == -1)
		return -1;
	return buf_append(tmp, p, len);
}

/* spfmacro_transform - RFC 7208 §7.3: split on the delimiters, reverse
 * with "r", keep the rightmost digits parts, join with "." */
static int
spfmacro_transform(struct buf *b, const struct spfmacro_tok *t,
    struct span value)
{
	struct span delims = t->delims.len > 0 ? t->delims : SPAN_LIT(".");
	size_t nparts = 1, skip, start = 0, end = value.len, idx, k = 0;
	struct buf tmp;
	int rc = 0;

	for (size_t i = 0; i < value.len; i++)
		if (spfmacro_is_in(delims, value.ptr[i]))
			nparts++;
	/* the parts left out: those on the left of the (reversed) list */
	skip = t->digits > 0 && t->digits < nparts ? nparts - t->digits : 0;
	buf_init(&tmp, SPFMACRO_MAX_OUT);
	if (!t->reverse) {
		for (size_t i = 0; i <= value.len && rc == 0; i++) {
			if (i < value.len &&
			    !spfmacro_is_in(delims, value.ptr[i]))
				continue;
			if (k >= skip)
				rc = spfmacro_join(&tmp, k == skip,
				    value.ptr + start, i - start);
			k++;
			start = i + 1;
		}
	} else {
		/* right to left: part idx is [i, end); reversed, the parts
		 * kept are those with idx <= nparts - 1 - skip */
		idx = nparts;
		for (size_t i = value.len + 1; i-- > 0 && rc == 0;) {
			if (i > 0 && !spfmacro_is_in(delims, value.ptr[i - 1]))
				continue;
			idx--;
			if (idx <= nparts - 1 - skip)
				rc = spfmacro_join(&tmp,
				    idx == nparts - 1 - skip, value.ptr + i,
				    end - i);
			if (i > 0)
				end = i - 1;
		}
	}
	if (rc == 0) {
		if (ascii_is_upper(t->letter))
			rc = spfmacro_url_append(b, buf_span(&tmp));
		else
			rc = buf_append_span(b, buf_span(&tmp));
	}
	buf_clear(&tmp);
	return rc;
}

int
spfmacro_expand(struct arena *a, struct span s, enum spfmacro_where where,
    const struct spfmacro_vars *v, struct span *out,
    const struct texts_msg **err_out)
{
	struct spfmacro_tok t;
	const struct texts_msg *err = NULL;
	struct buf b;
	size_t i = 0;
	int rc;

	buf_init(&b, SPFMACRO_MAX_OUT);
	while ((rc = spfmacro_next(s, &i, where, &t, &err)) == 1) {
		int ok = 0;

		if (t.kind == SPFMACRO_TOK_LITERAL)
			ok = buf_append(&b, s.ptr + t.off, t.len);
		else if (t.kind == SPFMACRO_TOK_ESCAPE)
			ok = t.letter == '%' ? buf_append_char(&b, '%') :
			    t.letter == '_'  ? buf_append_char(&b, ' ') :
			                       buf_append(&b, "%20", 3);
		else
			ok = spfmacro_transform(&b, &t,
			    spfmacro_value(v, t.letter));
		if (ok == -1) {
			rc = spfmacro_fail(&err, SPFMACRO_ERR_TOO_LONG);
			break;
		}
	}
	if (rc == -1) {
		buf_clear(&b);
		*err_out = err;
		return -1;
	}
	out->ptr = arena_strndup(a, b.data != NULL ? b.data : "", b.len);
	out->len = b.len;
	buf_clear(&b);
	return 0;
}
