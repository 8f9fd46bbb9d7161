/* SPDX-License-Identifier: MIT */
/*
 * prefilter.c - literals a regular expression cannot match without
 *
 * The rule catalog has hundreds of patterns and a bounce text matches a
 * handful; running each pattern costs far more than looking for a word.
 * For each pattern this finds, per top-level branch, either the longest
 * run of plain characters every match must contain or, when that is
 * weaker, the alternatives of a mandatory group ("(?:dnsbl|rbl)"), and
 * unites the branches. Lookarounds, classes, escapes like \d and
 * quantified atoms end a run; optional groups are skipped.
 * Not here: compiling and running patterns (rules.c).
 */
#include "prefilter.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

#define PREFILTER_MAX_LIT  64
#define PREFILTER_MAX_ALTS 32

#define PREFILTER_NKEYS 65536 /* literals are indexed by two bytes */

struct prefilter_entry {
	uint32_t key; /* first two bytes */
	uint32_t id;
	const char *lit;
	size_t len;
};

struct prefilter {
	struct arena *arena;
	struct prefilter_entry *ents;
	size_t n, cap;
	uint32_t *start; /* PREFILTER_NKEYS + 1 offsets into ents */
};

struct prefilter_set {
	char lit[PREFILTER_MAX_ALTS][PREFILTER_MAX_LIT + 1];
	size_t len[PREFILTER_MAX_ALTS];
	size_t n;
	bool ok;
};

/* prefilter_fold_char - fold one character at s[i]; returns bytes read,
 * writes the folded bytes to out (1 or 2) and their count to *nout */
static size_t
prefilter_fold_char(const unsigned char *s, size_t n, unsigned char *out,
    size_t *nout)
{
	unsigned char c = s[0];

	*nout = 1;
	if (c < 0x80) {
		out[0] = (unsigned char)tolower(c);
		return 1;
	}
	if (n >= 2 && c == 0xd0 && s[1] >= 0x90 && s[1] <= 0x9f) {
		out[0] = 0xd0; /* А..П → а..п */
		out[1] = (unsigned char)(s[1] + 0x20);
		*nout = 2;
		return 2;
	}
	if (n >= 2 && c == 0xd0 && s[1] >= 0xa0 && s[1] <= 0xaf) {
		out[0] = 0xd1; /* Р..Я → р..я */
		out[1] = (unsigned char)(s[1] - 0x20);
		*nout = 2;
		return 2;
	}
	if (n >= 2 && c == 0xd0 && s[1] == 0x81) {
		out[0] = 0xd1; /* Ё → ё */
		out[1] = 0x91;
		*nout = 2;
		return 2;
	}
	if (n >= 3 && c == 0xe1 && s[1] == 0xb2 && s[2] >= 0x80 &&
	    s[2] <= 0x86) {
		/* U+1C80..U+1C86, old forms that caseless matching equates
		 * with в д о с т т ъ */
		static const unsigned char to[7][2] = { { 0xd0, 0xb2 },
			{ 0xd0, 0xb4 }, { 0xd0, 0xbe }, { 0xd1, 0x81 },
			{ 0xd1, 0x82 }, { 0xd1, 0x82 }, { 0xd1, 0x8a } };

		memcpy(out, to[s[2] - 0x80], 2);
		*nout = 2;
		return 3;
	}
	if (n >= 3 && c == 0xe2 && s[1] == 0x84 && s[2] == 0xaa) {
		out[0] = 'k'; /* U+212A KELVIN SIGN matches k caselessly */
		return 3;
	}
	if (n >= 2 && c == 0xc5 && s[1] == 0xbf) {
		out[0] = 's'; /* U+017F LONG S matches s caselessly */
		return 2;
	}
	/* any other character is copied whole (the input is valid UTF-8) */
	*nout = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	if (*nout > n)
		*nout = n;
	memcpy(out, s, *nout);
	return *nout;
}

struct span
prefilter_fold(struct arena *a, struct span t)
{
	unsigned char *out = arena_alloc(a, t.len + 1);
	const unsigned char *s = (const unsigned char *)t.ptr;
	size_t o = 0, i = 0, nout;

	while (i < t.len) {
		i += prefilter_fold_char(s + i, t.len - i, out + o, &nout);
		o += nout;
	}
	out[o] = '\0';
	return span_make((const char *)out, o);
}

static size_t
prefilter_skip_class(const char *p, size_t i, size_t to)
{
	i++;
	if (i < to && p[i] == '^')
		i++;
	if (i < to && p[i] == ']')
		i++;
	while (i < to && p[i] != ']') {
		if (p[i] == '\\' && i + 1 < to)
			i++;
		i++;
	}
	return i < to ? i + 1 : i;
}

/* prefilter_skip_group - index just past the ')' closing p[i] == '(' */
static size_t
prefilter_skip_group(const char *p, size_t i, size_t to)
{
	int depth = 0;

	while (i < to) {
		if (p[i] == '\\' && i + 1 < to) {
			i += 2;
			continue;
		}
		if (p[i] == '[') {
			i = prefilter_skip_class(p, i, to);
			continue;
		}
		if (p[i] == '(')
			depth++;
		else if (p[i] == ')' && --depth == 0)
			return i + 1;
		i++;
	}
	return i;
}

/* prefilter_skip_escape_arg - past the argument of \x41, \pL, \k<n>, \12 */
static size_t
prefilter_skip_escape_arg(const char *p, size_t i, size_t to, char e)
{
	if (i < to && (p[i] == '{' || p[i] == '<' || p[i] == '\'')) {
		char close = p[i] == '{' ? '}' : p[i] == '<' ? '>' : '\'';

		while (i < to && p[i] != close)
			i++;
		return i < to ? i + 1 : i;
	}
	if (e == 'x') {
		for (int k = 0;
		     k < 2 && i < to && isxdigit((unsigned char)p[i]); k++)
			i++;
	} else if (e == 'c' || e == 'p' || e == 'P') {
		if (i < to)
			i++;
	} else if ((e >= '0' && e <= '9') || e == 'g') {
		while (i < to && isdigit((unsigned char)p[i]))
			i++;
	}
	return i;
}

/* prefilter_quantifier - length of a quantifier at p[i] (0: none) and
 * whether it allows zero repetitions */
static size_t
prefilter_quantifier(const char *p, size_t i, size_t to, bool *optional)
{
	size_t j = i;

	*optional = false;
	if (i >= to)
		return 0;
	if (p[i] == '?' || p[i] == '*' || p[i] == '+') {
		*optional = p[i] != '+';
		j++;
	} else if (p[i] == '{' && i + 1 < to &&
	    isdigit((unsigned char)p[i + 1])) {
		*optional = p[i + 1] == '0';
		while (j < to && p[j] != '}')
			j++;
		if (j < to)
			j++;
	} else {
		return 0;
	}
	if (j < to && (p[j] == '?' || p[j] == '+'))
		j++; /* lazy or possessive */
	return j - i;
}

/* prefilter_russian - А..я, Ё, ё: the letters whose folding is known */
static bool
prefilter_russian(const unsigned char *s, size_t n)
{
	if (n < 2)
		return false;
	if (s[0] == 0xd0)
		return s[1] >= 0x90 || s[1] == 0x81;
	if (s[0] == 0xd1)
		return s[1] <= 0x8f || s[1] == 0x91;
	return false;
}

/* prefilter_score - how selective a set is: its shortest literal */
static size_t
prefilter_score(const struct prefilter_set *s)
{
	size_t m = SIZE_MAX;

	if (!s->ok || s->n == 0)
		return 0;
	for (size_t i = 0; i < s->n; i++)
		if (s->len[i] < m)
			m = s->len[i];
	return m;
}

static void prefilter_alts(const char *p, size_t from, size_t to,
    struct prefilter_set *out, int depth);

/* prefilter_take_run - offer the current run as a one-literal set */
static void
prefilter_take_run(struct prefilter_set *best, const char *run, size_t nrun)
{
	struct prefilter_set one;

	if (nrun == 0)
		return;
	one.ok = true;
	one.n = 1;
	one.len[0] = nrun;
	memcpy(one.lit[0], run, nrun);
	one.lit[0][nrun] = '\0';
	if (prefilter_score(&one) > prefilter_score(best))
		*best = one;
}

/* prefilter_branch - the best requirement of one branch p[from, to) */
static void
prefilter_branch(const char *p, size_t from, size_t to,
    struct prefilter_set *best, int depth)
{
	char run[PREFILTER_MAX_LIT];
	size_t nrun = 0, i = from, q, nb;
	bool optional;

	best->ok = false;
	best->n = 0;
	while (i < to) {
		unsigned char lit[4];
		size_t nlit = 0;
		char c = p[i];

		if (c == '(') {
			size_t end = prefilter_skip_group(p, i, to);
			bool plain = p[i + 1] != '?' || (p[i + 2] == ':');

			prefilter_take_run(best, run, nrun);
			nrun = 0;
			q = prefilter_quantifier(p, end, to, &optional);
			if (plain && !optional && depth < 4 && end - i > 2) {
				struct prefilter_set g;
				size_t inner = p[i + 1] == '?' ? i + 3 : i + 1;

				prefilter_alts(p, inner, end - 1, &g,
				    depth + 1);
				if (prefilter_score(&g) > prefilter_score(best))
					*best = g;
			}
			i = end + q;
			continue;
		}
		if (c == '\\' && i + 1 < to) {
			char e = p[i + 1];

			i += 2;
			if (isalnum((unsigned char)e) ||
			    (unsigned char)e >= 0x80) {
				i = prefilter_skip_escape_arg(p, i, to, e);
				prefilter_take_run(best, run, nrun);
				nrun = 0;
				i += prefilter_quantifier(p, i, to, &optional);
				continue;
			}
			lit[0] = (unsigned char)tolower((unsigned char)e);
			nlit = 1;
		} else if (c == '[' || c == '.' || c == '^' || c == '$') {
			i = c == '[' ? prefilter_skip_class(p, i, to) : i + 1;
			prefilter_take_run(best, run, nrun);
			nrun = 0;
			i += prefilter_quantifier(p, i, to, &optional);
			continue;
		} else {
			const unsigned char *s = (const unsigned char *)p + i;
			unsigned char f[4];

			nb = prefilter_fold_char(s, to - i, f, &nlit);
			/* only ASCII and the Russian alphabet are trusted */
			if ((s[0] >= 0x80 && !prefilter_russian(s, to - i)) ||
			    nb != nlit) {
				i += nb;
				prefilter_take_run(best, run, nrun);
				nrun = 0;
				i += prefilter_quantifier(p, i, to, &optional);
				continue;
			}
			memcpy(lit, f, nlit);
			i += nb;
		}
		q = prefilter_quantifier(p, i, to, &optional);
		if (q > 0 && optional) {
			/* the character may be absent: the run ends before it */
			prefilter_take_run(best, run, nrun);
			nrun = 0;
			i += q;
			continue;
		}
		if (nrun + nlit > sizeof(run)) {
			prefilter_take_run(best, run, nrun);
			nrun = 0;
		}
		memcpy(run + nrun, lit, nlit);
		nrun += nlit;
		if (q > 0) { /* "a+" or "a{2}": the character is there, once */
			prefilter_take_run(best, run, nrun);
			nrun = 0;
			i += q;
		}
	}
	prefilter_take_run(best, run, nrun);
}

/* prefilter_alts - unite the requirements of the branches of p[from, to) */
static void
prefilter_alts(const char *p, size_t from, size_t to, struct prefilter_set *out,
    int depth)
{
	size_t start = from, i = from;

	out->ok = true;
	out->n = 0;
	while (i <= to) {
		struct prefilter_set b;

		if (i < to && p[i] == '\\') {
			i += 2;
			continue;
		}
		if (i < to && (p[i] == '(' || p[i] == '[')) {
			i = p[i] == '(' ? prefilter_skip_group(p, i, to) :
			                  prefilter_skip_class(p, i, to);
			continue;
		}
		if (i < to && p[i] != '|') {
			i++;
			continue;
		}
		prefilter_branch(p, start, i, &b, depth);
		if (prefilter_score(&b) < 2 ||
		    out->n + b.n > PREFILTER_MAX_ALTS) {
			out->ok = false;
			return;
		}
		for (size_t k = 0; k < b.n; k++) {
			memcpy(out->lit[out->n], b.lit[k], b.len[k] + 1);
			out->len[out->n++] = b.len[k];
		}
		start = i + 1;
		i++;
	}
}

int
prefilter_literals(struct arena *a, const char *pattern,
    const char *const **lits_out, size_t *n_out)
{
	struct prefilter_set s;
	const char **lits;

	prefilter_alts(pattern, 0, strlen(pattern), &s, 0);
	if (!s.ok || s.n == 0)
		return -1;
	lits = arena_alloc(a, s.n * sizeof(*lits));
	for (size_t i = 0; i < s.n; i++)
		lits[i] = arena_strndup(a, s.lit[i], s.len[i]);
	*lits_out = lits;
	*n_out = s.n;
	return 0;
}

struct prefilter *
prefilter_new(void)
{
	struct prefilter *pf = xcalloc(1, sizeof(*pf));

	pf->arena = arena_new();
	return pf;
}

void
prefilter_free(struct prefilter *pf)
{
	if (pf == NULL)
		return;
	free(pf->ents);
	free(pf->start);
	arena_free(pf->arena);
	free(pf);
}

int
prefilter_add(struct prefilter *pf, const char *pattern, uint32_t id)
{
	const char *const *lits;
	size_t n;

	if (prefilter_literals(pf->arena, pattern, &lits, &n) == -1)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const unsigned char *l = (const unsigned char *)lits[i];

		if (pf->n == pf->cap) {
			pf->cap = pf->cap == 0 ? 256 : pf->cap * 2;
			pf->ents =
			    xrealloc(pf->ents, pf->cap * sizeof(*pf->ents));
		}
		pf->ents[pf->n++] =
		    (struct prefilter_entry){ (uint32_t)l[0] << 8 | l[1], id,
			    lits[i], strlen(lits[i]) };
	}
	return 0;
}

static int
prefilter_entry_cmp(const void *pa, const void *pb)
{
	const struct prefilter_entry *a = pa, *b = pb;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

void
prefilter_build(struct prefilter *pf)
{
	size_t e = 0;

	qsort(pf->ents, pf->n, sizeof(*pf->ents), prefilter_entry_cmp);
	free(pf->start);
	pf->start = xmalloc((PREFILTER_NKEYS + 1) * sizeof(*pf->start));
	for (uint32_t k = 0; k <= PREFILTER_NKEYS; k++) {
		while (e < pf->n && pf->ents[e].key < k)
			e++;
		pf->start[k] = (uint32_t)e;
	}
}

void
prefilter_scan(const struct prefilter *pf, struct span folded,
    unsigned char *hits)
{
	const unsigned char *t = (const unsigned char *)folded.ptr;

	for (size_t i = 0; i + 1 < folded.len; i++) {
		uint32_t key = (uint32_t)t[i] << 8 | t[i + 1];

		for (uint32_t e = pf->start[key]; e < pf->start[key + 1]; e++) {
			const struct prefilter_entry *en = &pf->ents[e];

			if (!hits[en->id] && en->len <= folded.len - i &&
			    memcmp(t + i, en->lit, en->len) == 0)
				hits[en->id] = 1;
		}
	}
}
