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
 * quantified atoms end a run; optional groups are skipped. A pattern of one
 * branch needs all of its runs and mandatory groups, not just the best:
 * the index keeps up to PREFILTER_MAX_SETS of them per pattern, and a
 * pattern is a candidate only when every one of its sets occurs.
 * Not here: compiling and running patterns (rules.c).
 */
#include "prefilter.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "xmalloc.h"

#define PREFILTER_MAX_LIT   64
#define PREFILTER_MAX_ALTS  32
/* required sets per pattern: one bit each in the scan's hit byte */
#define PREFILTER_MAX_SETS  8
/* shorter literals occur in nearly every text: they are worth indexing
 * only when the pattern has nothing better */
#define PREFILTER_MIN_EXTRA 3

/* a literal of one of a pattern's sets, as added */
struct prefilter_entry {
	const char *lit;
	size_t len;
	uint32_t id;
	unsigned char bit; /* which of the pattern's sets */
};

/* what an occurrence of a literal marks: a set of a pattern */
struct prefilter_target {
	uint32_t id;
	unsigned char bit;
};

/* a node of the automaton: the literal prefix spelt from the root; what
 * a scan reads at every byte, in 16 bytes */
struct prefilter_node {
	uint32_t fail; /* the node of its longest proper suffix */
	uint32_t out;  /* itself or the nearest node on its fail chain where a
	                  literal ends; 0: none (no literal ends at the root) */
	uint32_t child, nchild; /* children: nodes [child, child + nchild) */
};

/* the targets of the literal ending at a node: targets[target, + n) */
struct prefilter_ends {
	uint32_t target, n;
};

/*
 * The literals of all patterns in one Aho-Corasick automaton (a trie of
 * the literals with failure links), so that one pass over a text finds
 * every occurrence of every literal, however many share a prefix. The
 * nodes are numbered breadth first: the short prefixes that a text visits
 * most sit together at the front, and a node's children are consecutive,
 * with the bytes that lead to them (in byte order) in byte[].
 */
struct prefilter {
	struct arena *arena;
	struct prefilter_entry *ents; /* until prefilter_build */
	size_t n, cap;
	struct prefilter_node *nodes; /* nodes[0] is the root */
	unsigned char *byte;          /* the byte that leads to each node */
	size_t nnodes;
	struct prefilter_target *targets;
	struct prefilter_ends *ends; /* per node */
	uint32_t root[256];          /* the root's children by byte; 0: none */
	unsigned char *need; /* per id: the bits of all its sets, 0: none */
	size_t nneed;
};

struct prefilter_set {
	char lit[PREFILTER_MAX_ALTS][PREFILTER_MAX_LIT + 1];
	size_t len[PREFILTER_MAX_ALTS];
	size_t n;
	bool ok;
};

/* prefilter_req - the sets that every match of a pattern needs */
struct prefilter_req {
	struct prefilter_set set[PREFILTER_MAX_SETS];
	size_t n;
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
		out[0] = (unsigned char)ascii_tolower((char)c);
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
	size_t o = 0, i = 0, nout, run;

	while (i < t.len) {
		/* ASCII folds to itself lowercased, several bytes at a time */
		run = ascii_lower_run((char *)out + o, t.ptr + i, t.len - i);
		i += run;
		o += run;
		if (i == t.len)
			break;
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
		for (int k = 0; k < 2 && i < to && ascii_is_xdigit(p[i]); k++)
			i++;
	} else if (e == 'c' || e == 'p' || e == 'P') {
		if (i < to)
			i++;
	} else if ((e >= '0' && e <= '9') || e == 'g') {
		while (i < to && ascii_is_digit(p[i]))
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
	} else if (p[i] == '{' && i + 1 < to && ascii_is_digit(p[i + 1])) {
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

/* prefilter_caseless - a letter of a script without case (Hebrew, Arabic,
 * Devanagari, kana, CJK ideographs): caseless matching equates it with
 * nothing else, so it folds to itself */
static bool
prefilter_caseless(const unsigned char *s, size_t n)
{
	uint32_t cp;

	if (n >= 2 && s[0] >= 0xc0 && s[0] < 0xe0)
		cp = (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3fu);
	else if (n >= 3 && s[0] >= 0xe0 && s[0] < 0xf0)
		cp = (uint32_t)(s[0] & 0x0f) << 12 |
		    (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3fu);
	else
		return false;
	return (cp >= 0x0590 && cp <= 0x06ff) ||
	    (cp >= 0x0900 && cp <= 0x097f) || (cp >= 0x3040 && cp <= 0x30ff) ||
	    (cp >= 0x4e00 && cp <= 0x9fff);
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
    struct prefilter_set *out, int depth, struct prefilter_req *req);

static bool
prefilter_set_eq(const struct prefilter_set *a, const struct prefilter_set *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		if (a->len[i] != b->len[i] ||
		    memcmp(a->lit[i], b->lit[i], a->len[i]) != 0)
			return false;
	}
	return true;
}

/* prefilter_offer - s is needed by the branch: keep it as best if it is
 * more selective, and (req != NULL) among the branch's other needs */
static void
prefilter_offer(struct prefilter_set *best, struct prefilter_req *req,
    const struct prefilter_set *s)
{
	size_t score = prefilter_score(s), low = 0;

	if (score > prefilter_score(best))
		*best = *s;
	if (req == NULL || score < PREFILTER_MIN_EXTRA)
		return;
	for (size_t i = 0; i < req->n; i++) {
		if (prefilter_set_eq(&req->set[i], s))
			return;
		if (prefilter_score(&req->set[i]) <
		    prefilter_score(&req->set[low]))
			low = i;
	}
	if (req->n < PREFILTER_MAX_SETS)
		req->set[req->n++] = *s;
	else if (score > prefilter_score(&req->set[low]))
		req->set[low] = *s;
}

/* prefilter_take_run - offer the current run as a one-literal set */
static void
prefilter_take_run(struct prefilter_set *best, struct prefilter_req *req,
    const char *run, size_t nrun)
{
	struct prefilter_set one;

	if (nrun == 0)
		return;
	one.ok = true;
	one.n = 1;
	one.len[0] = nrun;
	memcpy(one.lit[0], run, nrun);
	one.lit[0][nrun] = '\0';
	prefilter_offer(best, req, &one);
}

/* prefilter_branch - the best requirement of one branch p[from, to); with
 * req, also the others (up to PREFILTER_MAX_SETS) */
static void
prefilter_branch(const char *p, size_t from, size_t to,
    struct prefilter_set *best, int depth, struct prefilter_req *req)
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

			prefilter_take_run(best, req, run, nrun);
			nrun = 0;
			q = prefilter_quantifier(p, end, to, &optional);
			if (plain && !optional && depth < 4 && end - i > 2) {
				struct prefilter_set g;
				size_t inner = p[i + 1] == '?' ? i + 3 : i + 1;

				prefilter_alts(p, inner, end - 1, &g, depth + 1,
				    NULL);
				prefilter_offer(best, req, &g);
			}
			i = end + q;
			continue;
		}
		if (c == '\\' && i + 1 < to) {
			char e = p[i + 1];

			i += 2;
			if (ascii_is_alnum(e) || (unsigned char)e >= 0x80) {
				i = prefilter_skip_escape_arg(p, i, to, e);
				prefilter_take_run(best, req, run, nrun);
				nrun = 0;
				i += prefilter_quantifier(p, i, to, &optional);
				continue;
			}
			lit[0] = (unsigned char)ascii_tolower(e);
			nlit = 1;
		} else if (c == '[' || c == '.' || c == '^' || c == '$') {
			i = c == '[' ? prefilter_skip_class(p, i, to) : i + 1;
			prefilter_take_run(best, req, run, nrun);
			nrun = 0;
			i += prefilter_quantifier(p, i, to, &optional);
			continue;
		} else {
			const unsigned char *s = (const unsigned char *)p + i;
			unsigned char f[4];

			nb = prefilter_fold_char(s, to - i, f, &nlit);
			/* only ASCII, the Russian alphabet and scripts
			 * without case are trusted */
			if ((s[0] >= 0x80 && !prefilter_russian(s, to - i) &&
			        !prefilter_caseless(s, to - i)) ||
			    nb != nlit) {
				i += nb;
				prefilter_take_run(best, req, run, nrun);
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
			prefilter_take_run(best, req, run, nrun);
			nrun = 0;
			i += q;
			continue;
		}
		if (nrun + nlit > sizeof(run)) {
			prefilter_take_run(best, req, run, nrun);
			nrun = 0;
		}
		memcpy(run + nrun, lit, nlit);
		nrun += nlit;
		if (q > 0) { /* "a+" or "a{2}": the character is there, once */
			prefilter_take_run(best, req, run, nrun);
			nrun = 0;
			i += q;
		}
	}
	prefilter_take_run(best, req, run, nrun);
}

/* prefilter_alts - unite the requirements of the branches of p[from, to);
 * with req and a single branch, req gets all that branch needs */
static void
prefilter_alts(const char *p, size_t from, size_t to, struct prefilter_set *out,
    int depth, struct prefilter_req *req)
{
	size_t start = from, i = from, nbranches = 0;

	out->ok = true;
	out->n = 0;
	if (req != NULL)
		req->n = 0;
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
		prefilter_branch(p, start, i, &b, depth, req);
		nbranches++;
		if (prefilter_score(&b) < 2 ||
		    out->n + b.n > PREFILTER_MAX_ALTS) {
			out->ok = false;
			break;
		}
		for (size_t k = 0; k < b.n; k++) {
			memcpy(out->lit[out->n], b.lit[k], b.len[k] + 1);
			out->len[out->n++] = b.len[k];
		}
		start = i + 1;
		i++;
	}
	/* the needs of one branch among several say nothing of the others */
	if (req != NULL && (!out->ok || nbranches != 1))
		req->n = 0;
}

int
prefilter_literals(struct arena *a, const char *pattern,
    const char *const **lits_out, size_t *n_out)
{
	struct prefilter_set s;
	const char **lits;

	prefilter_alts(pattern, 0, strlen(pattern), &s, 0, NULL);
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
	free(pf->nodes);
	free(pf->byte);
	free(pf->targets);
	free(pf->ends);
	free(pf->need);
	arena_free(pf->arena);
	free(pf);
}

/* prefilter_index - add the literals of set s, the bit'th set of id */
static void
prefilter_index(struct prefilter *pf, const struct prefilter_set *s,
    uint32_t id, unsigned char bit)
{
	for (size_t i = 0; i < s->n; i++) {
		if (pf->n == pf->cap) {
			pf->cap = pf->cap == 0 ? 256 : pf->cap * 2;
			pf->ents =
			    xrealloc(pf->ents, pf->cap * sizeof(*pf->ents));
		}
		pf->ents[pf->n++] =
		    (struct prefilter_entry){ arena_strndup(pf->arena,
			                          s->lit[i], s->len[i]),
			    s->len[i], id, bit };
	}
}

int
prefilter_add(struct prefilter *pf, const char *pattern, uint32_t id)
{
	struct prefilter_set best;
	struct prefilter_req req;
	unsigned char need = 1;

	prefilter_alts(pattern, 0, strlen(pattern), &best, 0, &req);
	if (!best.ok || best.n == 0)
		return -1;
	prefilter_index(pf, &best, id, 1);
	for (size_t i = 0; i < req.n && need != 0xff; i++) {
		unsigned char bit = (unsigned char)((need + 1) & ~need);

		if (prefilter_set_eq(&req.set[i], &best))
			continue;
		prefilter_index(pf, &req.set[i], id, bit);
		need |= bit;
	}
	if (id >= pf->nneed) {
		size_t n = (size_t)id + 1;

		pf->need = xrealloc(pf->need, n);
		memset(pf->need + pf->nneed, 0, n - pf->nneed);
		pf->nneed = n;
	}
	pf->need[id] = need;
	return 0;
}

/* prefilter_entry_cmp - by literal (so that the trie grows in byte
 * order and equal literals are neighbours), then by what they mark */
static int
prefilter_entry_cmp(const void *pa, const void *pb)
{
	const struct prefilter_entry *a = pa, *b = pb;
	int c = memcmp(a->lit, b->lit, a->len < b->len ? a->len : b->len);

	if (c != 0)
		return c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	return a->bit < b->bit ? -1 : a->bit > b->bit;
}

/* prefilter_child - the child of node s (not the root) for byte c, or 0 */
static inline uint32_t
prefilter_child(const struct prefilter *pf, uint32_t s, unsigned char c)
{
	const struct prefilter_node *n = &pf->nodes[s];
	uint32_t lo = n->child, hi = n->child + n->nchild;

	/* most nodes have one child; a few near the root have dozens */
	while (hi - lo > 4) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (pf->byte[mid] <= c)
			lo = mid;
		else
			hi = mid;
	}
	for (; lo < hi; lo++) {
		if (pf->byte[lo] == c)
			return lo;
	}
	return 0;
}

/* prefilter_step - the automaton's move from s on byte c */
static inline uint32_t
prefilter_step(const struct prefilter *pf, uint32_t s, unsigned char c)
{
	uint32_t next;

	for (;;) {
		if (s == 0)
			return pf->root[c];
		if ((next = prefilter_child(pf, s, c)) != 0)
			return next;
		s = pf->nodes[s].fail;
	}
}

/* prefilter_trie_add - grow the trie by the sorted entries: a new node is
 * always the last child of its parent, and the path of the previous
 * literal is the only one that can be shared. The trie is in first-child
 * and next-sibling form; end[v] is one past the last entry ending at v. */
static size_t
prefilter_trie_add(const struct prefilter *pf, uint32_t *first, uint32_t *next,
    unsigned char *byte, uint32_t *end)
{
	uint32_t path[PREFILTER_MAX_LIT + 1] = { 0 };
	size_t prevlen = 0, nn = 1;

	for (size_t i = 0; i < pf->n; i++) {
		const struct prefilter_entry *en = &pf->ents[i];
		size_t p = 0;

		while (i > 0 && p < prevlen && p < en->len &&
		    pf->ents[i - 1].lit[p] == en->lit[p])
			p++;
		for (; p < en->len; p++) {
			uint32_t v = (uint32_t)nn++;

			byte[v] = (unsigned char)en->lit[p];
			if (p < prevlen && path[p + 1] != 0)
				next[path[p + 1]] = v;
			else
				first[path[p]] = v;
			path[p + 1] = v;
			/* deeper nodes of the previous path are not shared */
			if (p + 2 <= PREFILTER_MAX_LIT)
				path[p + 2] = 0;
		}
		prevlen = en->len;
		end[path[en->len]] = (uint32_t)i + 1;
	}
	return nn;
}

/* prefilter_trie - the trie of the sorted literals, renumbered breadth
 * first, with each node's targets */
static void
prefilter_trie(struct prefilter *pf, size_t maxnodes)
{
	uint32_t *first = xcalloc(maxnodes, sizeof(*first));
	uint32_t *next = xcalloc(maxnodes, sizeof(*next));
	uint32_t *end = xcalloc(maxnodes, sizeof(*end));
	uint32_t *queue = xcalloc(maxnodes, sizeof(*queue));
	unsigned char *byte = xcalloc(maxnodes, 1);
	size_t nn = prefilter_trie_add(pf, first, next, byte, end);
	size_t head = 0, tail = 1;

	pf->targets = xcalloc(pf->n + 1, sizeof(*pf->targets));
	for (size_t i = 0; i < pf->n; i++)
		pf->targets[i] = (struct prefilter_target){ pf->ents[i].id,
			pf->ents[i].bit };
	pf->nodes = xcalloc(nn, sizeof(*pf->nodes));
	pf->ends = xcalloc(nn, sizeof(*pf->ends));
	pf->byte = xcalloc(nn, 1);
	pf->nnodes = nn;
	/* queue[k] is the old number of the node numbered k; equal literals
	 * are neighbours, so a node's targets end at end[v] and start after
	 * the previous literal's */
	queue[0] = 0;
	while (head < tail) {
		uint32_t v = queue[head], k = (uint32_t)head++;
		struct prefilter_node *nd = &pf->nodes[k];

		nd->child = (uint32_t)tail;
		for (uint32_t c = first[v]; c != 0; c = next[c]) {
			pf->byte[tail] = byte[c];
			queue[tail++] = c;
		}
		nd->nchild = (uint32_t)tail - nd->child;
		if (end[v] != 0) {
			uint32_t b = end[v] - 1;

			while (b > 0 &&
			    pf->ents[b - 1].len == pf->ents[b].len &&
			    memcmp(pf->ents[b - 1].lit, pf->ents[b].lit,
			        pf->ents[b].len) == 0)
				b--;
			pf->ends[k].target = b;
			pf->ends[k].n = end[v] - b;
		}
	}
	free(first);
	free(next);
	free(end);
	free(queue);
	free(byte);
}

/* prefilter_links - failure and output links, breadth first (the
 * numbering's order) so that every shorter suffix is linked before it is
 * needed */
static void
prefilter_links(struct prefilter *pf)
{
	struct prefilter_node *root = &pf->nodes[0];

	memset(pf->root, 0, sizeof(pf->root));
	for (uint32_t k = root->child; k < root->child + root->nchild; k++)
		pf->root[pf->byte[k]] = k;
	for (uint32_t u = 1; u < pf->nnodes; u++) {
		struct prefilter_node *n = &pf->nodes[u];

		/* the root's children keep fail 0: the root */
		n->out = pf->ends[u].n > 0 ? u : pf->nodes[n->fail].out;
		for (uint32_t v = n->child; v < n->child + n->nchild; v++)
			pf->nodes[v].fail =
			    prefilter_step(pf, n->fail, pf->byte[v]);
	}
}

void
prefilter_build(struct prefilter *pf)
{
	size_t maxnodes = 1;

	qsort(pf->ents, pf->n, sizeof(*pf->ents), prefilter_entry_cmp);
	for (size_t i = 0; i < pf->n; i++)
		maxnodes += pf->ents[i].len;
	free(pf->nodes);
	free(pf->byte);
	free(pf->targets);
	free(pf->ends);
	prefilter_trie(pf, maxnodes);
	prefilter_links(pf);
}

size_t
prefilter_scan(const struct prefilter *pf, struct span folded,
    unsigned char *hits, uint32_t *ids_out)
{
	const unsigned char *t = (const unsigned char *)folded.ptr;
	uint32_t s = 0;
	size_t ntouched = 0, n = 0;

	/* first each set that occurs sets its bit in its pattern's byte;
	 * ids_out lists the patterns touched */
	for (size_t i = 0; i < folded.len; i++) {
		s = prefilter_step(pf, s, t[i]);
		for (uint32_t o = pf->nodes[s].out; o != 0;
		     o = pf->nodes[pf->nodes[o].fail].out) {
			const struct prefilter_ends *en = &pf->ends[o];

			for (uint32_t k = en->target; k < en->target + en->n;
			     k++) {
				const struct prefilter_target *tg =
				    &pf->targets[k];

				if (hits[tg->id] == 0)
					ids_out[ntouched++] = tg->id;
				hits[tg->id] |= tg->bit;
			}
		}
	}
	/* then a pattern is a candidate when all its sets occurred */
	for (size_t k = 0; k < ntouched; k++) {
		uint32_t id = ids_out[k];

		hits[id] = hits[id] == pf->need[id];
		if (hits[id])
			ids_out[n++] = id;
	}
	return n;
}
