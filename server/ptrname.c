/* SPDX-License-Identifier: MIT */
/*
 * ptrname.c - generic and dynamic host names: the address in the name,
 * and the words of a small table
 *
 * The verdict is a score: the address written in the name counts 3, each
 * dynamic or residential word 2 (two at most), each generic word 1 (two
 * at most), and a mail server's word takes 2 off; 2 or more is generic.
 * So the address alone is enough ("ec2-54-210-33-7..."), as is one pool
 * word ("unassigned.example.net") or two generic ones ("static-ip"); one
 * generic word is not ("host.example.com"), and a mail server's word
 * clears one pool word or the address ("smtp-203-0-113-46...") but not
 * the address with a generic word beside it.
 * The words are a table at file scope rather than a file under rules/:
 * they are tuned together with these weights and the way a label is cut
 * into words, and test_ptrcheck.c holds the names that pin them down; a
 * word changed without both would move verdicts silently.
 * Not here: the lookups (ptrcheck.c).
 */
#include "ptrname.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "ascii.h"

#define PTRNAME_W_ADDRESS  3
#define PTRNAME_W_POOL     2
#define PTRNAME_W_GENERIC  1
#define PTRNAME_W_MAIL     2
#define PTRNAME_MAX_COUNT  2 /* words of one kind counted, at most */
#define PTRNAME_GENERIC_AT 2
#define PTRNAME_MAX_RUNS   64 /* runs of digits looked at */
#define PTRNAME_FORM_MAX   48 /* the longest address form, NUL included */

enum ptrname_kind {
	PTRNAME_POOL,    /* a dynamic or residential pool */
	PTRNAME_GENERIC, /* a provider's name for one of many addresses */
	PTRNAME_MAIL,    /* a mail server */
};

struct ptrname_word {
	const char *word; /* lowercase */
	enum ptrname_kind kind;
	bool prefix; /* also the start of a longer part ("mailgw") */
};

static const struct ptrname_word ptrname_words[] = {
	{ "dynamic", PTRNAME_POOL, true },
	{ "dyn", PTRNAME_POOL, false },
	{ "dynip", PTRNAME_POOL, false },
	{ "dhcp", PTRNAME_POOL, true },
	{ "pool", PTRNAME_POOL, false },
	{ "ppp", PTRNAME_POOL, false },
	{ "pppoe", PTRNAME_POOL, false },
	{ "dsl", PTRNAME_POOL, false },
	{ "adsl", PTRNAME_POOL, false },
	{ "vdsl", PTRNAME_POOL, false },
	{ "xdsl", PTRNAME_POOL, false },
	{ "sdsl", PTRNAME_POOL, false },
	{ "cable", PTRNAME_POOL, false },
	{ "broadband", PTRNAME_POOL, false },
	{ "dial", PTRNAME_POOL, false },
	{ "dialup", PTRNAME_POOL, false },
	{ "dialin", PTRNAME_POOL, false },
	{ "dip", PTRNAME_POOL, false }, /* dial-in pool (t-ipconnect.de) */
	{ "residential", PTRNAME_POOL, true },
	{ "customer", PTRNAME_POOL, false },
	{ "cust", PTRNAME_POOL, false },
	{ "subscriber", PTRNAME_POOL, false },
	{ "mobile", PTRNAME_POOL, false },
	{ "3g", PTRNAME_POOL, false },
	{ "4g", PTRNAME_POOL, false },
	{ "5g", PTRNAME_POOL, false },
	{ "lte", PTRNAME_POOL, false },
	{ "gprs", PTRNAME_POOL, false },
	{ "wireless", PTRNAME_POOL, false },
	{ "wifi", PTRNAME_POOL, false },
	{ "wlan", PTRNAME_POOL, false },
	{ "cpe", PTRNAME_POOL, false },
	{ "ftth", PTRNAME_POOL, false },
	{ "fios", PTRNAME_POOL, false }, /* Verizon's residential fibre */
	{ "hsd", PTRNAME_POOL, false },  /* "high-speed data" (Comcast) */
	{ "unassigned", PTRNAME_POOL, false },
	{ "host", PTRNAME_GENERIC, false },
	{ "ip", PTRNAME_GENERIC, false },
	{ "ipv4", PTRNAME_GENERIC, false },
	{ "ipv6", PTRNAME_GENERIC, false },
	{ "static", PTRNAME_GENERIC, false },
	{ "staticip", PTRNAME_GENERIC, false },
	{ "client", PTRNAME_GENERIC, false },
	{ "clients", PTRNAME_GENERIC, false },
	{ "user", PTRNAME_GENERIC, false },
	{ "users", PTRNAME_GENERIC, false },
	{ "res", PTRNAME_GENERIC, false },
	{ "home", PTRNAME_GENERIC, false },
	{ "nat", PTRNAME_GENERIC, false },
	{ "rev", PTRNAME_GENERIC, false },
	{ "reverse", PTRNAME_GENERIC, false },
	{ "addr", PTRNAME_GENERIC, false },
	{ "range", PTRNAME_GENERIC, false },
	{ "node", PTRNAME_GENERIC, false },
	{ "unknown", PTRNAME_GENERIC, false },
	{ "mail", PTRNAME_MAIL, true },
	{ "smtp", PTRNAME_MAIL, true },
	{ "email", PTRNAME_MAIL, false },
	{ "mx", PTRNAME_MAIL, false },
	{ "mxout", PTRNAME_MAIL, false },
	{ "mta", PTRNAME_MAIL, false },
	{ "out", PTRNAME_MAIL, false },
	{ "outbound", PTRNAME_MAIL, false },
	{ "outgoing", PTRNAME_MAIL, false },
	{ "relay", PTRNAME_MAIL, false },
};

#define PTRNAME_NWORDS (sizeof(ptrname_words) / sizeof(*ptrname_words))

/* The words found in a name's labels. */
struct ptrname_tally {
	unsigned n[3]; /* per kind */
	const char *first[3];
};

/* A run of decimal digits in the name. */
struct ptrname_run {
	size_t at, len;
	uint64_t value; /* saturates far above any address form */
};

/* ptrname_word_of - the table's entry for one part of a label ("dsl1" is
 * "dsl"), or NULL */
static const struct ptrname_word *
ptrname_word_of(struct span part)
{
	struct span bare = part;

	while (bare.len > 0 && ascii_is_digit(bare.ptr[bare.len - 1]))
		bare.len--;
	for (size_t i = 0; i < PTRNAME_NWORDS; i++) {
		const struct ptrname_word *w = &ptrname_words[i];
		struct span ws = span_cstr(w->word);

		if (ascii_ieq(part, ws) ||
		    (bare.len > 0 && ascii_ieq(bare, ws)) ||
		    (w->prefix && ascii_iprefix(part, ws)))
			return w;
	}
	return NULL;
}

/* ptrname_label - the words of one label, cut at '-' and '_' */
static void
ptrname_label(struct span label, struct ptrname_tally *t)
{
	size_t i = 0;

	while (i < label.len) {
		size_t j = i;
		const struct ptrname_word *w;

		while (
		    j < label.len && label.ptr[j] != '-' && label.ptr[j] != '_')
			j++;
		w = ptrname_word_of(span_make(label.ptr + i, j - i));
		if (w != NULL) {
			if (t->first[w->kind] == NULL)
				t->first[w->kind] = w->word;
			t->n[w->kind]++;
		}
		i = j + 1;
	}
}

/* ptrname_tally - the words of every label but the last two */
static void
ptrname_tally(struct span name, struct ptrname_tally *t)
{
	size_t nlabels = 1, label = 0, start = 0;

	for (size_t i = 0; i < name.len; i++)
		nlabels += name.ptr[i] == '.';
	for (size_t i = 0; i <= name.len && label + 2 < nlabels; i++) {
		if (i < name.len && name.ptr[i] != '.')
			continue;
		ptrname_label(span_make(name.ptr + start, i - start), t);
		label++;
		start = i + 1;
	}
}

static size_t
ptrname_runs(struct span name, struct ptrname_run *runs)
{
	size_t n = 0, i = 0;

	while (i < name.len && n < PTRNAME_MAX_RUNS) {
		struct ptrname_run *r;

		if (!ascii_is_digit(name.ptr[i])) {
			i++;
			continue;
		}
		r = &runs[n++];
		r->at = i;
		r->value = 0;
		for (; i < name.len && ascii_is_digit(name.ptr[i]); i++)
			if (r->value < 100000000000000ull)
				r->value = r->value * 10 +
				    (uint64_t)(name.ptr[i] - '0');
		r->len = i - r->at;
	}
	return n;
}

/* ptrname_octets - do four runs, one '-', '.' or '_' apart, spell the
 * address forwards or backwards ("203-0-113-45", "45.113.0.203",
 * "203.000.113.045")? */
static bool
ptrname_octets(struct span name, const struct ptrname_run *r,
    const uint8_t ip[4])
{
	bool fwd = true, back = true;

	for (size_t k = 0; k < 4; k++) {
		char sep = k > 0 ? name.ptr[r[k].at - 1] : '-';

		if (r[k].len > 3 ||
		    (k > 0 && r[k].at != r[k - 1].at + r[k - 1].len + 1) ||
		    (sep != '-' && sep != '.' && sep != '_'))
			return false;
		fwd = fwd && r[k].value == ip[k];
		back = back && r[k].value == ip[3 - k];
	}
	return fwd || back;
}

/* ptrname_number - is one run the address as twelve padded digits
 * ("203000113045", either way round) or as one number ("3405803821")? */
static bool
ptrname_number(const struct ptrname_run *r, const uint8_t ip[4])
{
	uint64_t pad = 0, back = 0, num = 0;

	for (size_t k = 0; k < 4; k++) {
		pad = pad * 1000 + ip[k];
		back = back * 1000 + ip[3 - k];
		num = num << 8 | ip[k];
	}
	if (r->len == 12)
		return r->value == pad || r->value == back;
	return r->len >= 8 && r->len <= 10 && r->value == num;
}

/* ptrname_find - where needle (lowercase) stands in hay with no hex digit
 * just before or after it, or SIZE_MAX */
static size_t
ptrname_find(struct span hay, const char *needle)
{
	size_t n = strlen(needle), off = 0;

	while (off < hay.len) {
		size_t at = ascii_ifind(span_sub(hay, off, hay.len), needle);

		if (at == SIZE_MAX)
			return SIZE_MAX;
		at += off;
		if ((at == 0 || !ascii_is_xdigit(hay.ptr[at - 1])) &&
		    (at + n == hay.len || !ascii_is_xdigit(hay.ptr[at + n])))
			return at;
		off = at + 1;
	}
	return SIZE_MAX;
}

/* ptrname_forms - the first of n forms found in name, copied, or NULL */
static const char *
ptrname_forms(struct arena *a, struct span name, char forms[][PTRNAME_FORM_MAX],
    size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t at = forms[i][0] != '\0' ? ptrname_find(name, forms[i]) :
		                                  SIZE_MAX;

		if (at != SIZE_MAX)
			return arena_strndup(a, name.ptr + at,
			    strlen(forms[i]));
	}
	return NULL;
}

static const char *
ptrname_find_v4(struct arena *a, struct span name, const uint8_t ip[4])
{
	struct ptrname_run runs[PTRNAME_MAX_RUNS];
	size_t n = ptrname_runs(name, runs);
	char hex[2][PTRNAME_FORM_MAX];

	for (size_t i = 0; i < n; i++) {
		if (i + 3 < n && ptrname_octets(name, &runs[i], ip))
			return arena_strndup(a, name.ptr + runs[i].at,
			    runs[i + 3].at + runs[i + 3].len - runs[i].at);
		if (ptrname_number(&runs[i], ip))
			return arena_strndup(a, name.ptr + runs[i].at,
			    runs[i].len);
	}
	(void)snprintf(hex[0], sizeof(hex[0]), "%02x%02x%02x%02x", ip[0], ip[1],
	    ip[2], ip[3]);
	(void)snprintf(hex[1], sizeof(hex[1]), "%02x%02x%02x%02x", ip[3], ip[2],
	    ip[1], ip[0]);
	return ptrname_forms(a, name, hex, 2);
}

/* ptrname_find_v6 - the whole address with '-' for ':', or its interface
 * identifier (the low 64 bits, RFC 4291 §2.5.1) as groups, as 16 hex
 * digits, or as reversed nibbles; not the identifier when it is zero */
static const char *
ptrname_find_v6(struct arena *a, struct span name, const uint8_t ip[16])
{
	char f[6][PTRNAME_FORM_MAX];
	unsigned g[4];
	size_t len = 0;
	bool zero = true;

	memset(f, 0, sizeof(f));
	if (inet_ntop(AF_INET6, ip, f[0], sizeof(f[0])) != NULL)
		for (char *p = f[0]; *p != '\0'; p++)
			*p = *p == ':' ? '-' : *p;
	for (size_t k = 0; k < 4; k++) {
		g[k] = (unsigned)ip[8 + 2 * k] << 8 | ip[9 + 2 * k];
		zero = zero && g[k] == 0;
	}
	if (!zero) {
		(void)snprintf(f[1], sizeof(f[1]), "%x-%x-%x-%x", g[0], g[1],
		    g[2], g[3]);
		(void)snprintf(f[2], sizeof(f[2]), "%x.%x.%x.%x", g[0], g[1],
		    g[2], g[3]);
		(void)snprintf(f[3], sizeof(f[3]), "%04x-%04x-%04x-%04x", g[0],
		    g[1], g[2], g[3]);
		(void)snprintf(f[4], sizeof(f[4]), "%04x%04x%04x%04x", g[0],
		    g[1], g[2], g[3]);
		for (size_t i = 16; i-- > 8;) {
			len += (size_t)snprintf(f[5] + len, sizeof(f[5]) - len,
			    "%x.%x%s", ip[i] & 0xfu, ip[i] >> 4,
			    i > 8 ? "." : "");
		}
	}
	return ptrname_forms(a, name, f, 6);
}

void
ptrname_judge(struct arena *a, struct span name, const uint8_t *ip, bool v6,
    struct ptrname_verdict *out)
{
	struct ptrname_tally t;
	unsigned pool, generic;
	int score;

	memset(out, 0, sizeof(*out));
	memset(&t, 0, sizeof(t));
	if (name.len > 0 && name.ptr[name.len - 1] == '.')
		name.len--;
	out->address =
	    v6 ? ptrname_find_v6(a, name, ip) : ptrname_find_v4(a, name, ip);
	ptrname_tally(name, &t);
	pool = t.n[PTRNAME_POOL] < PTRNAME_MAX_COUNT ? t.n[PTRNAME_POOL] :
	                                               PTRNAME_MAX_COUNT;
	generic = t.n[PTRNAME_GENERIC] < PTRNAME_MAX_COUNT ?
	    t.n[PTRNAME_GENERIC] :
	    PTRNAME_MAX_COUNT;
	score = (out->address != NULL ? PTRNAME_W_ADDRESS : 0) +
	    PTRNAME_W_POOL * (int)pool + PTRNAME_W_GENERIC * (int)generic -
	    (t.n[PTRNAME_MAIL] > 0 ? PTRNAME_W_MAIL : 0);
	out->word = t.first[PTRNAME_POOL] != NULL ? t.first[PTRNAME_POOL] :
	                                            t.first[PTRNAME_GENERIC];
	out->mail_word = t.first[PTRNAME_MAIL];
	out->generic = score >= PTRNAME_GENERIC_AT;
	out->dynamic = out->generic && pool > 0;
}
