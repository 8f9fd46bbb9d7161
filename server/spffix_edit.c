/* SPDX-License-Identifier: MIT */
/*
 * spffix_edit.c - the text of an SPF record, edited and repaired
 *
 * A corrected record is the published text with terms spliced in or cut
 * out, the other terms kept as written. A record that does not parse is
 * repaired one error at a time (spfrecord.c names where): a misspelt
 * mechanism or an "all" with punctuation rewritten, a value that went
 * into the next term joined again, else the term removed; a mechanism
 * written as a modifier ("include=x") becomes the mechanism meant.
 * Several records of one name are merged into one. Each change is noted
 * as a message ("spffix.change.*"); every text is in the scratch arena.
 * Not here: which fix a result calls for, and the sentences around it
 * (spffix.c), the record grammar (spfrecord.c).
 */
#include "spffix_int.h"

#include <string.h>

#include "ascii.h"
#include "buf.h"

/*
 * Record text
 */

/* fx_splice - text with [off, off + len) replaced by ins */
static const char *
fx_splice(struct fx *fx, struct span text, size_t off, size_t len,
    struct span ins)
{
	return arena_printf(fx->a, "%.*s%.*s%.*s", (int)off, text.ptr,
	    (int)ins.len, ins.ptr, (int)(text.len - off - len),
	    text.ptr + off + len);
}

/* fx_insert - term in front of the term at off, or at the end */
const char *
fx_insert(struct fx *fx, struct span text, size_t off, const char *term)
{
	while (off >= text.len && text.len > 0 && text.ptr[text.len - 1] == ' ')
		text.len--;
	if (off >= text.len)
		return arena_printf(fx->a, "%.*s %s", (int)text.len, text.ptr,
		    term);
	return fx_splice(fx, text, off, 0,
	    span_cstr(arena_printf(fx->a, "%s ", term)));
}

/* fx_remove - the term at [off, off + len) and the spaces after it (or
 * before it, at the end) */
const char *
fx_remove(struct fx *fx, struct span text, size_t off, size_t len)
{
	size_t end = off + len;

	while (end < text.len && text.ptr[end] == ' ')
		end++;
	if (end == text.len)
		while (off > 0 && text.ptr[off - 1] == ' ')
			off--;
	return fx_splice(fx, text, off, end - off, SPAN_LIT(""));
}

static bool
fx_is_qualifier(char c)
{
	return c == '+' || c == '-' || c == '~' || c == '?';
}

/* fx_is_all - "all" with an optional qualifier */
static bool
fx_is_all(struct span tok)
{
	if (tok.len > 0 && fx_is_qualifier(tok.ptr[0]))
		tok = span_sub(tok, 1, tok.len);
	return ascii_ieq_cstr(tok, "all");
}

const char *
fx_buf_str(struct fx *fx, struct buf *b)
{
	const char *s =
	    arena_strndup(fx->a, b->data != NULL ? b->data : "", b->len);

	buf_clear(b);
	return s;
}

/* fx_text - a record as a C string; a NUL byte (which makes a record
 * invalid) becomes DEL, which is just as invalid and can be removed */
const char *
fx_text(struct fx *fx, struct span t)
{
	char *s = arena_strndup(fx->a, t.ptr, t.len);

	for (size_t i = 0; i < t.len; i++)
		if (s[i] == '\0')
			s[i] = 0x7f;
	return s;
}

/*
 * Syntax repairs
 */

/* the misspellings of mechanism names that records carry, and the
 * mechanisms a term may have meant */
static const struct fx_typo {
	const char *bad, *good;
} fx_typos[] = {
	{ "ipv4", "ip4" },
	{ "ipv6", "ip6" },
	{ "inlcude", "include" },
	{ "incude", "include" },
	{ "includes", "include" },
};

static const char *const fx_mechs[] = { "include", "ip4", "ip6", "a", "mx",
	"ptr", "exists" };

/* fx_repair_tok - a likely intended form of a term that does not parse,
 * or NULL */
static const char *
fx_repair_tok(struct fx *fx, struct span tok)
{
	struct span q = SPAN_NULL, rest = tok, name;
	const char *good = NULL;
	size_t nlen;

	if (tok.len > 0 && fx_is_qualifier(tok.ptr[0])) {
		q = span_make(tok.ptr, 1);
		rest = span_sub(tok, 1, tok.len);
	}
	/* "-all." "~all," */
	if (ascii_iprefix(rest, SPAN_LIT("all")) && rest.len > 3 &&
	    strspn(rest.ptr + 3, ".,;") >= rest.len - 3)
		return arena_printf(fx->a, "%.*sall", (int)q.len, q.ptr);
	nlen = strcspn(arena_strndup(fx->a, rest.ptr, rest.len), ":=/");
	name = span_make(rest.ptr, nlen);
	for (size_t i = 0; i < sizeof(fx_typos) / sizeof(fx_typos[0]); i++)
		if (ascii_ieq_cstr(name, fx_typos[i].bad))
			good = fx_typos[i].good;
	for (size_t i = 0;
	     good == NULL && i < sizeof(fx_mechs) / sizeof(fx_mechs[0]); i++)
		if (ascii_ieq_cstr(name, fx_mechs[i]))
			good = fx_mechs[i];
	if (good != NULL) {
		/* "include=x" → "include:x" */
		char sep = nlen < rest.len && rest.ptr[nlen] == '=' ? ':' :
		    nlen < rest.len ? rest.ptr[nlen] :
		                      '\0';
		struct span tail =
		    span_sub(rest, nlen + (sep != '\0'), rest.len);

		while (tail.len > 0 && strchr(",;", tail.ptr[tail.len - 1]))
			tail.len--;
		if (sep == '\0')
			return arena_printf(fx->a, "%.*s%s", (int)q.len, q.ptr,
			    good);
		return arena_printf(fx->a, "%.*s%s%c%.*s", (int)q.len, q.ptr,
		    good, sep, (int)tail.len, tail.ptr);
	}
	return NULL;
}

/* fx_fix_modifiers - "include=x", "ip4=..." and the like parse as
 * unknown modifiers, which RFC 7208 §6 ignores: a silent mistake. Each
 * becomes the mechanism meant ("include:x"), noted in changes, when the
 * record still parses. Returns text itself when nothing changed. */
const char *
fx_fix_modifiers(struct fx *fx, const char *text,
    const struct texts_msg **changes)
{
	struct spfrecord rec, chk;
	struct spfrecord_error err;
	const char *cur = text;

	if (spfrecord_parse(fx->a, span_cstr(text), &rec, &err) == -1)
		return text;
	/* from the end, so the offsets before stay valid */
	for (size_t i = rec.nterms; i-- > 0;) {
		const struct spfrecord_term *t = &rec.terms[i];
		const char *good, *cand;
		struct texts_msg *m;

		if (t->kind != SPFRECORD_UNKNOWN_MODIFIER ||
		    (good = fx_repair_tok(fx,
		         span_make(t->text.ptr, t->name.len + 1))) == NULL)
			continue;
		/* fx_repair_tok gave "include:" for "include=" */
		cand = fx_splice(fx, span_cstr(cur), t->offset, t->name.len + 1,
		    span_cstr(good));
		if (spfrecord_parse(fx->a, span_cstr(cand), &chk, &err) == -1)
			continue;
		m = fx_msg(fx, "spffix.change.modifier");
		(void)texts_msg_arg(m, "term",
		    arena_strndup(fx->a, t->text.ptr, t->text.len));
		(void)texts_msg_arg(m, "meant",
		    arena_printf(fx->a, "%s%.*s", good,
		        (int)(t->text.len - t->name.len - 1),
		        t->text.ptr + t->name.len + 1));
		fx_note(fx, changes, m);
		cur = cand; /* the terms before i keep their offsets */
	}
	return cur;
}

/* fx_parses - does text parse, or does its first error come after at? */
static bool
fx_parses(struct fx *fx, const char *text, size_t at)
{
	struct spfrecord rec;
	struct spfrecord_error err;

	return spfrecord_parse(fx->a, span_cstr(text), &rec, &err) == 0 ||
	    err.offset > at;
}

/* fx_replaced - the change "from" → "to" */
static const struct texts_msg *
fx_replaced(struct fx *fx, struct span from, const char *to)
{
	struct texts_msg *m = fx_msg(fx, "spffix.change.replaced");

	(void)texts_msg_arg(m, "from",
	    arena_strndup(fx->a, from.ptr, from.len));
	(void)texts_msg_arg(m, "to", to);
	return m;
}

/* fx_repair - text made to parse: terms repaired or removed, each change
 * noted in changes; NULL when it cannot be (too long, bad version) */
const char *
fx_repair(struct fx *fx, const char *text, const struct texts_msg **changes,
    const struct texts_msg **first_err)
{
	const char *cur = text;

	*first_err = NULL;
	for (unsigned round = 0; round < FX_MAX_ROUNDS; round++) {
		struct spfrecord rec;
		struct spfrecord_error err;
		struct span s = span_cstr(cur), tok, next;
		size_t ts, te, pos;
		const char *fixed, *cand;

		if (spfrecord_parse(fx->a, s, &rec, &err) == 0)
			return fx_fix_modifiers(fx, cur, changes);
		if (*first_err == NULL)
			*first_err = err.msg;
		/* too long, or the version itself: nothing to repair */
		if (s.len > SPFRECORD_MAX_LEN || err.offset < 6 ||
		    err.offset >= s.len)
			return NULL;
		ts = err.offset;
		while (ts > 0 && s.ptr[ts - 1] != ' ')
			ts--;
		te = err.offset + (err.len > 0 ? err.len : 1);
		if (te > s.len)
			te = s.len;
		while (te < s.len && s.ptr[te] != ' ')
			te++;
		tok = span_make(s.ptr + ts, te - ts);
		fixed =
		    ascii_all(tok, ASCII_VCHAR) ? fx_repair_tok(fx, tok) : NULL;
		if (fixed != NULL) {
			cand = fx_splice(fx, s, ts, tok.len, span_cstr(fixed));
			if (fx_parses(fx, cand, ts + strlen(fixed))) {
				fx_note(fx, changes,
				    fx_replaced(fx, tok, fixed));
				cur = cand;
				continue;
			}
		}
		/* "ip4: 192.0.2.1": the value went into the next term */
		pos = te;
		if (tok.len > 0 && strchr(":=", tok.ptr[tok.len - 1]) != NULL &&
		    ascii_token(s, &pos, ASCII_SP, &next) &&
		    ascii_all(next, ASCII_VCHAR)) {
			const char *joined = arena_printf(fx->a, "%.*s%.*s",
			    (int)tok.len, tok.ptr, (int)next.len, next.ptr);

			fixed = fx_repair_tok(fx, span_cstr(joined));
			if (fixed == NULL)
				fixed = joined;
			cand = fx_splice(fx, s, ts,
			    (size_t)(next.ptr + next.len - tok.ptr),
			    span_cstr(fixed));
			if (fx_parses(fx, cand, ts + strlen(fixed))) {
				fx_note(fx, changes,
				    fx_replaced(fx,
				        span_make(tok.ptr,
				            (size_t)(next.ptr + next.len -
				                tok.ptr)),
				        fixed));
				cur = cand;
				continue;
			}
		}
		fx_note(fx, changes,
		    ascii_all(tok, ASCII_VCHAR) ?
		        texts_msg_arg(fx_msg(fx, "spffix.change.removed"),
		            "term", arena_strndup(fx->a, tok.ptr, tok.len)) :
		        fx_msg(fx, "spffix.change.removed_bytes"));
		cur = fx_remove(fx, s, ts, tok.len);
	}
	return NULL;
}

/*
 * Several records in one
 */

/* fx_merge - one record from the SPF records of ans: the terms of each
 * in order without repeats, one all (the first record's), redirect= only
 * without all, the first exp= */
const char *
fx_merge(struct fx *fx, const struct dnsmsg_answer *ans, size_t *nrec,
    const char **alls_out)
{
	struct buf b, alls;
	struct span all = SPAN_NULL, redirect = SPAN_NULL, exp = SPAN_NULL;
	struct span seen[256];
	size_t nseen = 0, nalls = 0;
	const char *r;

	*nrec = 0;
	buf_init(&b, FX_RECORD_BUF);
	buf_init(&alls, 1024);
	(void)buf_append(&b, "v=spf1", 6);
	for (size_t i = 0; i < ans->nrecords; i++) {
		const struct dnsmsg_record *rr = &ans->records[i];
		struct span t, tok;
		size_t pos = 6;

		if (rr->type != DNSMSG_T_TXT || rr->u.txt.data == NULL)
			continue;
		t = span_make(rr->u.txt.data, rr->u.txt.len);
		if (!spfrecord_is_spf(t))
			continue;
		(*nrec)++;
		while (ascii_token(t, &pos, ASCII_SP, &tok)) {
			bool dup = false;

			if (!ascii_all(tok, ASCII_VCHAR))
				continue;
			if (fx_is_all(tok)) {
				bool known_all = false;

				if (all.ptr == NULL)
					all = tok;
				for (size_t k = 0; k < nseen; k++)
					if (span_eq(seen[k], tok))
						known_all = true;
				if (!known_all && nalls < FX_ALL_NOTE)
					(void)buf_printf(&alls, "%s\"%.*s\"",
					    nalls++ > 0 ? ", " : "",
					    (int)tok.len, tok.ptr);
				if (!known_all && nseen < 256)
					seen[nseen++] = tok;
				continue;
			}
			if (ascii_iprefix(tok, SPAN_LIT("redirect="))) {
				if (redirect.ptr == NULL)
					redirect = tok;
				continue;
			}
			if (ascii_iprefix(tok, SPAN_LIT("exp="))) {
				if (exp.ptr == NULL)
					exp = tok;
				continue;
			}
			for (size_t k = 0; k < nseen && !dup; k++)
				dup = ascii_ieq(seen[k], tok);
			if (dup)
				continue;
			if (nseen < 256)
				seen[nseen++] = tok;
			(void)buf_printf(&b, " %.*s", (int)tok.len, tok.ptr);
		}
	}
	if (all.ptr != NULL)
		(void)buf_printf(&b, " %.*s", (int)all.len, all.ptr);
	else if (redirect.ptr != NULL)
		(void)buf_printf(&b, " %.*s", (int)redirect.len, redirect.ptr);
	if (exp.ptr != NULL)
		(void)buf_printf(&b, " %.*s", (int)exp.len, exp.ptr);
	*alls_out = nalls > 1 ? fx_buf_str(fx, &alls) : NULL;
	buf_clear(&alls);
	r = fx_buf_str(fx, &b);
	return r;
}
