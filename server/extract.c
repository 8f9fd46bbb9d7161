/* SPDX-License-Identifier: MIT */
/*
 * extract.c - find the things a bounce names
 *
 * One left-to-right pass cuts the text into candidate tokens (URLs, email
 * addresses, IPv4 and IPv6 addresses, domain names); a second pass gives
 * tokens their roles from the words around them. Everything is bounded:
 * the pass is linear (a run of characters that several tokens start in is
 * read once, and a URL once however many "http://" it holds), it reads at
 * most EXTRACT_MAX_TOKENS candidates, and every list holds at most
 * EXTRACT_MAX_PER_KIND.
 * Not here: reply and status codes (bounce.c); DNS checks of what is found
 * (later modules through resolver.h).
 */
#include "extract.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include "ascii.h"

#define EXTRACT_V6_MAX 64 /* an IPv6 address in text is shorter */

enum extract_kind {
	EXTRACT_URL,
	EXTRACT_EMAIL,
	EXTRACT_IP,
	EXTRACT_DOMAIN,
};

struct extract_tok {
	enum extract_kind kind;
	size_t start, end; /* byte range in the text */
	const char *val;   /* normalised value (arena) */
	bool in_url;
};

/*
 * What extract_word reads of a run of address characters (atext, '.' and
 * '@'): the same for every start inside the run, so it is read once and
 * the pass stays linear however many words the run holds.
 */
struct extract_arun {
	size_t end;      /* end of the run, or 0 */
	size_t at;       /* its last '@', or SIZE_MAX: no address in it */
	size_t dom_end;  /* end of the domain after at, without trailing
	                      dots and dashes */
	bool dom_ok;     /* that domain is one */
	size_t base;     /* where a local part may start at the earliest:
	                      after an earlier '@', or 0 */
	size_t base_url; /* the same inside a URL, where it also starts
	                      after the last '=' ("identity=user@...") */
	size_t from;     /* base with leading dots skipped */
	size_t from_url; /* base_url with leading dots skipped */
};

struct extract_scan {
	struct arena *a;
	struct span text;
	const char *lower; /* ASCII-lowercased copy: same offsets */
	struct extract_tok *toks;
	size_t ntoks, cap;
	bool stopped;   /* EXTRACT_MAX_TOKENS were read: the rest is not */
	bool too_long;  /* a URL or an address over its limit was left out */
	size_t url_end; /* tokens before this offset are inside a URL */
	/* the runs that extract_word scans are the same for every start
	 * inside them: remember their ends so the pass stays linear */
	size_t hex_end;            /* end of the hex/colon/dot run, or 0 */
	size_t hex_trim;           /* its end without trailing dots, colons */
	struct extract_arun arun;  /* the address-character run */
	struct strlist server_ips; /* IPs written next to a server's name */
};

/* a word of a list, with its length: the lists are read for every token */
struct extract_word {
	const char *s;
	size_t n;
};

#define EXTRACT_W(lit)                 \
	{                              \
		(lit), sizeof(lit) - 1 \
	}
#define EXTRACT_W_END   \
	{               \
		NULL, 0 \
	}

/* host names of receiving servers usually start like this */
static const struct extract_word extract_host_prefixes[] = { EXTRACT_W("mx"),
	EXTRACT_W("mail"), EXTRACT_W("smtp"), EXTRACT_W("mta"),
	EXTRACT_W("relay"), EXTRACT_W("inbound"), EXTRACT_W("in-"),
	EXTRACT_W("aspmx"), EXTRACT_W("alt1.aspmx"), EXTRACT_W("mx1"),
	EXTRACT_W("mx2"), EXTRACT_W("mailin"), EXTRACT_W("mailhost"),
	EXTRACT_W("gmail-smtp-in"), EXTRACT_W("mxs"), EXTRACT_W("mxa"),
	EXTRACT_W("mxb"), EXTRACT_W("edge"), EXTRACT_W("mail-"),
	EXTRACT_W_END };

/* public DNS blocklists and reputation lists, by zone suffix */
static const struct extract_word extract_dnsbl_suffixes[] = {
	EXTRACT_W("spamhaus.org"), EXTRACT_W("spamcop.net"),
	EXTRACT_W("barracudacentral.org"), EXTRACT_W("sorbs.net"),
	EXTRACT_W("abuseat.org"), EXTRACT_W("uceprotect.net"),
	EXTRACT_W("surriel.com"), EXTRACT_W("mailspike.net"),
	EXTRACT_W("manitu.net"), EXTRACT_W("dronebl.org"), EXTRACT_W("s5h.net"),
	EXTRACT_W("spameatingmonkey.net"), EXTRACT_W("junkemailfilter.com"),
	EXTRACT_W("senderscore.com"), EXTRACT_W("invaluement.com"),
	EXTRACT_W("nordspam.com"), EXTRACT_W("0spam.org"),
	EXTRACT_W("spamrats.com"), EXTRACT_W("lashback.com"),
	EXTRACT_W("backscatterer.org"), EXTRACT_W("dnswl.org"),
	EXTRACT_W("gbudb.net"), EXTRACT_W("blocklist.de"),
	EXTRACT_W("msrbl.net"), EXTRACT_W("anti-spam.org.cn"), EXTRACT_W_END
};

/* words that say the next name is a blocklist */
static const struct extract_word extract_dnsbl_cues[] = { EXTRACT_W(
	                                                      "blocked using "),
	EXTRACT_W("listed in "), EXTRACT_W("listed on "),
	EXTRACT_W("listed at "), EXTRACT_W("listed by "), EXTRACT_W("list at "),
	EXTRACT_W("blacklisted by "), EXTRACT_W("blocklisted by "),
	EXTRACT_W("blacklisted at "), EXTRACT_W("rbl "), EXTRACT_W("dnsbl "),
	EXTRACT_W("blacklist "), EXTRACT_W("blocklist "),
	EXTRACT_W("black list "), EXTRACT_W("found in "),
	EXTRACT_W("listed in the "), EXTRACT_W("blocked by "), EXTRACT_W_END };

/* file names that look like domains */
static const struct extract_word extract_not_tlds[] = { EXTRACT_W("txt"),
	EXTRACT_W("pdf"), EXTRACT_W("doc"), EXTRACT_W("docx"), EXTRACT_W("xls"),
	EXTRACT_W("xlsx"), EXTRACT_W("htm"), EXTRACT_W("html"),
	EXTRACT_W("php"), EXTRACT_W("jpg"), EXTRACT_W("jpeg"), EXTRACT_W("png"),
	EXTRACT_W("gif"), EXTRACT_W("exe"), EXTRACT_W("dll"), EXTRACT_W("bat"),
	EXTRACT_W("scr"), EXTRACT_W("eml"), EXTRACT_W("cgi"), EXTRACT_W("asp"),
	EXTRACT_W("aspx"), EXTRACT_W("json"), EXTRACT_W("xml"), EXTRACT_W("js"),
	EXTRACT_W("zip"), EXTRACT_W("rar"), EXTRACT_W("cfg"), EXTRACT_W("conf"),
	EXTRACT_W("pm"), EXTRACT_W("pl"), EXTRACT_W("py"), EXTRACT_W("c"),
	EXTRACT_W("h"), EXTRACT_W_END };

/*
 * The tokeniser's own classes, one table built by the compiler: each byte
 * of a word is asked whether it may continue an IPv6 address, an address
 * or a host name, and one lookup answers what would otherwise be a class
 * of ascii.h and several comparisons. Digits, letters and spaces are
 * ascii.h's.
 */
#define EXTRACT_V6    0x01u /* hex digits, ':' and '.': an IPv6 address */
#define EXTRACT_ATEXT 0x02u /* RFC 5322 atext, '.' and '@' */
#define EXTRACT_NAME  0x04u /* letters, digits, '.' and '-': a host name */

#define EXTRACT_IS_DIGIT(c) ((c) >= '0' && (c) <= '9')
#define EXTRACT_IS_ALPHA(c) \
	(((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z'))
#define EXTRACT_IS_HEXALPHA(c) \
	(((c) >= 'a' && (c) <= 'f') || ((c) >= 'A' && (c) <= 'F'))
#define EXTRACT_IS_SPECIAL(c)                                                  \
	((c) == '!' || (c) == '#' || (c) == '$' || (c) == '%' || (c) == '&' || \
	    (c) == '\'' || (c) == '*' || (c) == '+' || (c) == '/' ||           \
	    (c) == '=' || (c) == '?' || (c) == '^' || (c) == '_' ||            \
	    (c) == '`' || (c) == '{' || (c) == '|' || (c) == '}' ||            \
	    (c) == '~' || (c) == '.' || (c) == '-' || (c) == '@')
#define EXTRACT_CLASS(c)                                                       \
	((EXTRACT_IS_DIGIT(c) ? EXTRACT_V6 : 0u) |                             \
	    (EXTRACT_IS_DIGIT(c) || EXTRACT_IS_ALPHA(c) ?                      \
	            EXTRACT_ATEXT | EXTRACT_NAME :                             \
	            0u) |                                                      \
	    (EXTRACT_IS_HEXALPHA(c) || (c) == ':' || (c) == '.' ? EXTRACT_V6 : \
	                                                          0u) |        \
	    (EXTRACT_IS_SPECIAL(c) ? EXTRACT_ATEXT : 0u) |                     \
	    ((c) == '.' || (c) == '-' ? EXTRACT_NAME : 0u))
#define EXTRACT_C4(c)                                                     \
	EXTRACT_CLASS(c), EXTRACT_CLASS((c) + 1), EXTRACT_CLASS((c) + 2), \
	    EXTRACT_CLASS((c) + 3)
#define EXTRACT_C16(c)                                           \
	EXTRACT_C4(c), EXTRACT_C4((c) + 4), EXTRACT_C4((c) + 8), \
	    EXTRACT_C4((c) + 12)
#define EXTRACT_C64(c)                                                \
	EXTRACT_C16(c), EXTRACT_C16((c) + 16), EXTRACT_C16((c) + 32), \
	    EXTRACT_C16((c) + 48)

static const unsigned char extract_class[256] = { EXTRACT_C64(0),
	EXTRACT_C64(64), EXTRACT_C64(128), EXTRACT_C64(192) };

static inline bool
extract_is(char c, unsigned cls)
{
	return (extract_class[(unsigned char)c] & cls) != 0;
}

int
strlist_add(struct arena *a, struct strlist *l, const char *s)
{
	if (strlist_has(l, s))
		return 0;
	if (l->n == EXTRACT_MAX_PER_KIND)
		return -1;
	if (l->n == l->cap) {
		const char **nv;

		l->cap = l->cap == 0 ? 8 : l->cap * 2;
		nv = arena_alloc(a, l->cap * sizeof(*nv));
		if (l->n > 0)
			memcpy(nv, l->v, l->n * sizeof(*nv));
		l->v = nv;
	}
	l->v[l->n++] = s;
	return 0;
}

bool
strlist_has(const struct strlist *l, const char *s)
{
	struct span ss = span_cstr(s);

	for (size_t i = 0; i < l->n; i++) {
		if (ascii_ieq_cstr(ss, l->v[i]))
			return true;
	}
	return false;
}

/* extract_in_list - is s[0, n) one of the (lowercase) words? */
static bool
extract_in_list(const char *s, size_t n, const struct extract_word *list)
{
	for (size_t i = 0; list[i].s != NULL; i++) {
		/* a first byte equal but for case differs only in 0x20 */
		if (list[i].n == n && (s[0] | 0x20) == list[i].s[0] &&
		    ascii_ieq(span_make(s, n), span_make(list[i].s, n)))
			return true;
	}
	return false;
}

/* extract_has - does s[0, n) hold c? (a word's few bytes: no call) */
static bool
extract_has(const char *s, size_t n, char c)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == c)
			return true;
	}
	return false;
}

/* extract_domain_ok - RFC 1035 shaped name with a plausible TLD */
static bool
extract_domain_ok(const char *s, size_t n)
{
	size_t label = 0, labels = 1, last = 0;
	bool alpha_tld = true;

	if (n < 3 || n > 253 || s[0] == '.' || s[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '.') {
			if (label == 0 || s[i - 1] == '-')
				return false;
			label = 0;
			labels++;
			last = i + 1;
			alpha_tld = true;
			continue;
		}
		if (!ascii_is_alnum(c) && c != '-')
			return false;
		if (++label > 63)
			return false;
		if (!ascii_is_alpha(c) && c != '-')
			alpha_tld = false;
	}
	if (labels < 2 || label == 0)
		return false;
	/* a TLD is letters (or an IDN's "xn--" form), at least two */
	if (n - last < 2 ||
	    (!alpha_tld &&
	        !ascii_iprefix(span_make(s + last, n - last),
	            SPAN_LIT("xn--"))))
		return false;
	return !extract_in_list(s + last, n - last, extract_not_tlds);
}

static bool
extract_ipv4_ok(const char *s, size_t n)
{
	char tmp[16];
	struct in_addr a;

	if (n < 7 || n > 15)
		return false;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	return inet_pton(AF_INET, tmp, &a) == 1;
}

/* extract_ipv6 - normalised text of an IPv6 address, or NULL */
static const char *
extract_ipv6(struct arena *a, const char *s, size_t n)
{
	char tmp[EXTRACT_V6_MAX], out[INET6_ADDRSTRLEN];
	struct in6_addr addr;
	size_t colons = 0;

	if (n < 3 || n >= sizeof(tmp))
		return NULL;
	for (size_t i = 0; i < n; i++)
		colons += s[i] == ':';
	if (colons < 2)
		return NULL;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (inet_pton(AF_INET6, tmp, &addr) != 1 ||
	    inet_ntop(AF_INET6, &addr, out, sizeof(out)) == NULL)
		return NULL;
	return arena_strndup(a, out, strlen(out));
}

static void
extract_push(struct extract_scan *sc, enum extract_kind kind, size_t start,
    size_t end, const char *val)
{
	if (sc->ntoks == EXTRACT_MAX_TOKENS) {
		sc->stopped = true;
		return;
	}
	if (sc->ntoks == sc->cap) {
		struct extract_tok *nt;

		sc->cap = sc->cap == 0 ? 32 : sc->cap * 2;
		nt = arena_alloc(sc->a, sc->cap * sizeof(*nt));
		if (sc->ntoks > 0)
			memcpy(nt, sc->toks, sc->ntoks * sizeof(*nt));
		sc->toks = nt;
	}
	sc->toks[sc->ntoks++] =
	    (struct extract_tok){ kind, start, end, val, start < sc->url_end };
}

/*
 * extract_url - an http(s) URL at i; returns where the tokens inside it
 * are read from, or i. The caller starts no URL before url_end: a URL
 * ends once, however many "http://" it holds.
 */
static size_t
extract_url(struct extract_scan *sc, size_t i)
{
	const char *t = sc->lower;
	size_t n = sc->text.len, e;

	if (!((n - i > 7 && memcmp(t + i, "http://", 7) == 0) ||
	        (n - i > 8 && memcmp(t + i, "https://", 8) == 0)))
		return i;
	e = i;
	while (e < n && !ascii_is_space(t[e]) &&
	    strchr("<>\"'", t[e]) == NULL && (unsigned char)t[e] >= 0x21)
		e++;
	/* trailing punctuation belongs to the sentence, not the URL */
	while (e > i && strchr(".,;:)]", t[e - 1]) != NULL)
		e--;
	if (e - i <= EXTRACT_MAX_URL)
		extract_push(sc, EXTRACT_URL, i, e,
		    arena_strndup(sc->a, sc->text.ptr + i, e - i));
	else
		sc->too_long = true;
	sc->url_end = e;
	return i + (t[i + 4] == 's' ? 8 : 7);
}

/* extract_hex_run - the end of the IPv6-shaped run (hex digits, colons,
 * dots) at i without its trailing dots and colons, at least i */
static size_t
extract_hex_run(struct extract_scan *sc, size_t i)
{
	const char *s = sc->text.ptr;
	size_t n = sc->text.len, e;

	if (i >= sc->hex_end) {
		for (e = i; e < n && extract_is(s[e], EXTRACT_V6); e++)
			;
		sc->hex_end = e;
		while (e > i && (s[e - 1] == '.' || s[e - 1] == ':'))
			e--;
		sc->hex_trim = e;
	}
	return sc->hex_trim > i ? sc->hex_trim : i;
}

/* extract_skip_dots - the first byte at or after p that is no dot (a
 * local part does not start with one), at most at */
static size_t
extract_skip_dots(const char *s, size_t p, size_t at)
{
	while (p < at && s[p] == '.')
		p++;
	return p;
}

/* extract_addr_run - read the run of address characters at i */
static void
extract_addr_run(struct extract_scan *sc, size_t i)
{
	const char *s = sc->text.ptr;
	size_t n = sc->text.len, e, prev = SIZE_MAX, eq = SIZE_MAX, de;
	struct extract_arun *r = &sc->arun;

	r->at = SIZE_MAX;
	for (e = i; e < n && extract_is(s[e], EXTRACT_ATEXT); e++) {
		if (s[e] == '@') {
			prev = r->at;
			r->at = e;
		}
	}
	r->end = e;
	if (r->at == SIZE_MAX)
		return;
	for (size_t k = r->at; k > i && eq == SIZE_MAX; k--) {
		if (s[k - 1] == '=')
			eq = k - 1;
	}
	de = e;
	while (de > r->at + 1 && (s[de - 1] == '.' || s[de - 1] == '-'))
		de--;
	r->dom_end = de;
	r->dom_ok = extract_domain_ok(s + r->at + 1, de - r->at - 1);
	/* RFC 5322 §3.4.1: an unquoted local part holds no '@' */
	r->base = prev != SIZE_MAX ? prev + 1 : 0;
	r->base_url = eq != SIZE_MAX && eq + 1 > r->base ? eq + 1 : r->base;
	r->from = extract_skip_dots(s, r->base, r->at);
	r->from_url = extract_skip_dots(s, r->base_url, r->at);
}

/* extract_address - an address in the run that i is in, or i: the local
 * part from i (or where the run says) to the run's last '@' */
static size_t
extract_address(struct extract_scan *sc, size_t i)
{
	const char *s = sc->text.ptr;
	struct extract_arun *r = &sc->arun;
	bool in_url = i < sc->url_end;
	size_t base, ls, de;
	char *v;

	if (i >= r->end)
		extract_addr_run(sc, i);
	if (r->at == SIZE_MAX || r->at <= i || !r->dom_ok)
		return i;
	base = in_url ? r->base_url : r->base;
	if (base > i)
		ls = in_url ? r->from_url : r->from;
	else
		ls = extract_skip_dots(s, i, r->at);
	if (ls >= r->at)
		return i;
	de = r->dom_end;
	if (de - ls > EXTRACT_MAX_EMAIL) {
		/* no address, and no shorter one cut out of the same run */
		sc->too_long = true;
		r->at = SIZE_MAX;
		return i;
	}
	v = arena_strndup(sc->a, s + ls, de - ls);
	/* the domain lowercased, the local part kept */
	ascii_lower(v + (r->at - ls), v + (r->at - ls), de - r->at);
	extract_push(sc, EXTRACT_EMAIL, ls, de, v);
	return r->end;
}

/* extract_word - an address, IP or domain starting at i; returns its end */
static size_t
extract_word(struct extract_scan *sc, size_t i)
{
	const char *s = sc->text.ptr;
	size_t n = sc->text.len, e, d;
	const char *v6 = NULL;

	if (n - i > 5 && (s[i] | 0x20) == 'i' &&
	    ascii_iprefix(span_make(s + i, n - i), SPAN_LIT("ipv6:")))
		i += 5;
	/* IPv6: hex digits, colons and an optional dotted tail; an address
	 * has colons (most words have none: skip the parse) and fits in
	 * EXTRACT_V6_MAX bytes */
	e = extract_hex_run(sc, i);
	if (e - i >= 3 && e - i < EXTRACT_V6_MAX &&
	    extract_has(s + i, e - i, ':') &&
	    (v6 = extract_ipv6(sc->a, s + i, e - i)) != NULL &&
	    (e == n || !ascii_is_alnum(s[e]))) {
		extract_push(sc, EXTRACT_IP, i, e, v6);
		return e;
	}
	e = extract_address(sc, i);
	if (e != i)
		return e;
	for (d = i; d < n && extract_is(s[d], EXTRACT_NAME); d++)
		;
	e = d;
	while (e > i && (s[e - 1] == '.' || s[e - 1] == '-'))
		e--;
	/* addresses and names have a dot; most words have none */
	if (e > i && (d == n || s[d] != '@') &&
	    extract_has(s + i, e - i, '.')) {
		if (extract_ipv4_ok(s + i, e - i)) {
			/* "1.2.3.4.5" or "1.2.3.4:25"-like runs stay whole */
			if (d == e || e + 1 >= n || !ascii_is_digit(s[e + 1]))
				extract_push(sc, EXTRACT_IP, i, e,
				    arena_strndup(sc->a, s + i, e - i));
		} else if (extract_domain_ok(s + i, e - i)) {
			extract_push(sc, EXTRACT_DOMAIN, i, e,
			    ascii_lower_dup(sc->a, span_make(s + i, e - i)));
		}
	}
	return d > i ? d : i + 1;
}

/* extract_tokens - the first pass; it stops after EXTRACT_MAX_TOKENS */
static void
extract_tokens(struct extract_scan *sc)
{
	const char *s = sc->text.ptr;
	size_t n = sc->text.len, i = 0;

	while (i < n && !sc->stopped) {
		unsigned char c = (unsigned char)s[i];
		size_t next;

		if ((c == 'h' || c == 'H') && i >= sc->url_end) {
			next = extract_url(sc, i);
			if (next != i) {
				i = next;
				continue;
			}
		}
		if (ascii_is_alnum(c) || c == ':') {
			i = extract_word(sc, i);
			continue;
		}
		i++;
	}
}

/* extract_before - does the wording just before pos end with cue (up to
 * slack bytes between)? The window is a few bytes: compared in place. */
static bool
extract_before(const struct extract_scan *sc, size_t pos,
    const struct extract_word *cue, size_t slack)
{
	size_t n = cue->n, from;

	if (pos < n)
		return false;
	from = pos - n > slack ? pos - n - slack : 0;
	for (size_t p = from; p <= pos - n; p++) {
		if (sc->lower[p] == cue->s[0] &&
		    memcmp(sc->lower + p, cue->s, n) == 0)
			return true;
	}
	return false;
}

/* extract_after - does the wording just after end start with cue? */
static bool
extract_after(const struct extract_scan *sc, size_t end,
    const struct extract_word *cue, size_t slack)
{
	size_t n = cue->n;

	for (size_t k = 0; k <= slack; k++) {
		if (end + k + n > sc->text.len)
			return false;
		if (memcmp(sc->lower + end + k, cue->s, n) == 0)
			return true;
	}
	return false;
}

static bool
extract_any_before(const struct extract_scan *sc, size_t pos,
    const struct extract_word *cues, size_t slack)
{
	for (size_t i = 0; cues[i].s != NULL; i++) {
		if (extract_before(sc, pos, &cues[i], slack))
			return true;
	}
	return false;
}

static bool
extract_any_after(const struct extract_scan *sc, size_t end,
    const struct extract_word *cues, size_t slack)
{
	for (size_t i = 0; cues[i].s != NULL; i++) {
		if (extract_after(sc, end, &cues[i], slack))
			return true;
	}
	return false;
}

static bool
extract_is_dnsbl(const struct extract_scan *sc, const struct extract_tok *t)
{
	size_t n = t->end - t->start;

	/* a domain token's value is its text lowercased: n bytes */
	for (size_t i = 0; extract_dnsbl_suffixes[i].s != NULL; i++) {
		size_t m = extract_dnsbl_suffixes[i].n;

		if (n >= m &&
		    memcmp(t->val + n - m, extract_dnsbl_suffixes[i].s, m) ==
		        0 &&
		    (n == m || t->val[n - m - 1] == '.'))
			return true;
	}
	return extract_any_before(sc, t->start, extract_dnsbl_cues, 10);
}

/* extract_host_attached - the IP token right after a host name, if any:
 * "mx.example.com [192.0.2.1]", "(192.0.2.1)", "mx.example.com:192.0.2.1" */
static const struct extract_tok *
extract_host_attached(const struct extract_scan *sc, size_t ti)
{
	const struct extract_tok *t = &sc->toks[ti], *n;
	size_t gap;

	if (ti + 1 >= sc->ntoks)
		return NULL;
	n = &sc->toks[ti + 1];
	if (n->kind != EXTRACT_IP || n->start < t->end)
		return NULL;
	gap = n->start - t->end;
	if (gap > 3)
		return NULL;
	for (size_t k = t->end; k < n->start; k++) {
		if (strchr(" [(:", sc->text.ptr[k]) == NULL)
			return NULL;
	}
	return n;
}

static bool
extract_is_host(const struct extract_scan *sc, size_t ti)
{
	static const struct extract_word cues[] = { EXTRACT_W("host "),
		EXTRACT_W("host: "), EXTRACT_W("host="),
		EXTRACT_W("connected to "), EXTRACT_W("connect to "),
		EXTRACT_W("remote-mta: dns; "), EXTRACT_W("remote-mta: dns;"),
		EXTRACT_W("server "), EXTRACT_W("mail exchanger "),
		EXTRACT_W("mx "), EXTRACT_W("relay "),
		EXTRACT_W("reporting-mta: dns; "), EXTRACT_W("from "),
		EXTRACT_W_END };
	static const struct extract_word from = EXTRACT_W("from ");
	const struct extract_tok *t = &sc->toks[ti];
	size_t n = t->end - t->start;

	if (t->kind != EXTRACT_DOMAIN || t->in_url)
		return false;
	if (extract_host_attached(sc, ti) != NULL)
		return true;
	for (size_t i = 0; extract_host_prefixes[i].s != NULL; i++) {
		const struct extract_word *w = &extract_host_prefixes[i];
		size_t m = w->n;

		/* t->val is n bytes and NUL-terminated: val[m] exists */
		if (m <= n && memcmp(t->val, w->s, m) == 0 &&
		    (ascii_is_digit(t->val[m]) || t->val[m] == '.' ||
		        t->val[m] == '-' || w->s[m - 1] == '-'))
			return true;
	}
	/* "from" alone names senders too often; only the others decide */
	return extract_any_before(sc, t->start, cues, 0) &&
	    !extract_before(sc, t->start, &from, 0);
}

/* extract_ci_find - case-insensitive strstr (ASCII); needle lowercase */
static const char *
extract_ci_find(const char *hay, const char *needle)
{
	size_t at = ascii_ifind(span_cstr(hay), needle);

	return at == SIZE_MAX ? NULL : hay + at;
}

/* extract_url_param - value of "name=" in an SPF Why? style URL */
static const char *
extract_url_param(struct arena *a, const char *url, const char *name)
{
	const char *p = extract_ci_find(url, name);
	size_t n = strlen(name), len = 0;

	if (p == NULL)
		return NULL;
	p += n;
	while (p[len] != '\0' && strchr(";&#", p[len]) == NULL)
		len++;
	return len == 0 ? NULL : arena_strndup(a, p, len);
}

/* extract_domain_of - the domain of an address or name */
static const char *
extract_domain_of(struct arena *a, const char *s)
{
	const char *at = strrchr(s, '@');
	const char *d = at != NULL ? at + 1 : s;

	if (!extract_domain_ok(d, strlen(d)))
		return NULL;
	return ascii_lower_dup(a, span_make(d, strlen(d)));
}

/* extract_sender_cue - wording that puts the envelope sender's domain
 * right after it (SPF and DMARC refusals) */
static bool
extract_sender_cue(const struct extract_scan *sc, const struct extract_tok *t)
{
	static const struct extract_word before[] = { EXTRACT_W("send from "),
		EXTRACT_W("send from <"), EXTRACT_W("send mail from "),
		EXTRACT_W("send mail from <"), EXTRACT_W("send mail for "),
		EXTRACT_W("domain of "), EXTRACT_W("domain of <"),
		EXTRACT_W("identity="), EXTRACT_W("mfrom="),
		EXTRACT_W("mail from "), EXTRACT_W("mail from <"),
		EXTRACT_W("mail from:<"), EXTRACT_W("mail from: <"),
		EXTRACT_W("sender "), EXTRACT_W("sender <"),
		EXTRACT_W("sender domain "), EXTRACT_W("email from "),
		EXTRACT_W("mail from domain "), EXTRACT_W("dmarc policy of "),
		EXTRACT_W("envelope-from="), EXTRACT_W("envelope from "),
		EXTRACT_W("smtp.mailfrom="), EXTRACT_W("spf record of "),
		EXTRACT_W("designate "), EXTRACT_W_END };
	static const struct extract_word after[] = {
		EXTRACT_W(" is not allowed to send"),
		EXTRACT_W(" does not designate"), EXTRACT_W("'s spf"),
		EXTRACT_W(" spf record"), EXTRACT_W(" dmarc"), EXTRACT_W_END
	};

	return extract_any_before(sc, t->start, before, 1) ||
	    extract_any_after(sc, t->end, after, 1);
}

static bool
extract_sending_ip_cue(const struct extract_scan *sc,
    const struct extract_tok *t)
{
	static const struct extract_word before[] = { EXTRACT_W("ip="),
		EXTRACT_W("client host ["), EXTRACT_W("client host "),
		EXTRACT_W("sending ip ("), EXTRACT_W("sending ip "),
		EXTRACT_W("your ip "), EXTRACT_W("your ip address "),
		EXTRACT_W("ip address "), EXTRACT_W("client ip "),
		EXTRACT_W("client ["), EXTRACT_W("connecting ip "),
		EXTRACT_W("ip "), EXTRACT_W("ip: "), EXTRACT_W("ip ("),
		EXTRACT_W("address ["), EXTRACT_W("client-ip="),
		EXTRACT_W("from ["), EXTRACT_W("sender ip "),
		EXTRACT_W("originating ip "), EXTRACT_W("source ip "),
		EXTRACT_W_END };
	static const struct extract_word after[] = {
		EXTRACT_W(" is not allowed"), EXTRACT_W(" is in "),
		EXTRACT_W(" is listed"), EXTRACT_W(" listed"),
		EXTRACT_W(" blocked"), EXTRACT_W("] blocked"),
		EXTRACT_W(" is blacklisted"), EXTRACT_W(" is blocklisted"),
		EXTRACT_W(" has been blocked"), EXTRACT_W(" has a poor"),
		EXTRACT_W(" is on "), EXTRACT_W(" found in"),
		EXTRACT_W(" not permitted"), EXTRACT_W(" is not permitted"),
		EXTRACT_W(" rejected"), EXTRACT_W(" has no ptr"),
		EXTRACT_W(" does not have"), EXTRACT_W_END
	};

	return extract_any_before(sc, t->start, before, 1) ||
	    extract_any_after(sc, t->end, after, 1);
}

/* extract_roles - the second pass: sort tokens into lists and roles */
static void
extract_roles(struct extract_scan *sc, struct extract_entities *out)
{
	struct arena *a = sc->a;
	int full = 0;

	for (size_t i = 0; i < sc->ntoks; i++) {
		struct extract_tok *t = &sc->toks[i];
		const struct extract_tok *ip;

		switch (t->kind) {
		case EXTRACT_URL:
			full |= strlist_add(a, &out->urls, t->val);
			break;
		case EXTRACT_EMAIL:
			full |= strlist_add(a, &out->emails, t->val);
			if (out->sender_domain == NULL &&
			    extract_sender_cue(sc, t))
				out->sender_domain =
				    extract_domain_of(a, t->val);
			break;
		case EXTRACT_IP:
			full |= strlist_add(a, &out->ips, t->val);
			if (out->sending_ip == NULL &&
			    extract_sending_ip_cue(sc, t))
				out->sending_ip = t->val;
			break;
		case EXTRACT_DOMAIN:
			if (extract_is_dnsbl(sc, t)) {
				full |=
				    strlist_add(a, &out->blocklists, t->val);
			} else if (extract_is_host(sc, i)) {
				full |= strlist_add(a, &out->hosts, t->val);
				ip = extract_host_attached(sc, i);
				if (ip != NULL)
					(void)strlist_add(a, &sc->server_ips,
					    ip->val);
				if (out->remote_host == NULL) {
					out->remote_host = t->val;
					out->remote_ip = ip ? ip->val : NULL;
				}
			} else if (!t->in_url) {
				full |= strlist_add(a, &out->domains, t->val);
				if (out->sender_domain == NULL &&
				    extract_sender_cue(sc, t))
					out->sender_domain = t->val;
			}
			break;
		}
	}
	out->truncated = full != 0 || sc->stopped;
	out->too_long = sc->too_long;
}

/* extract_spf_urls - SPF "Why?" URLs name the identity and the IP */
static void
extract_spf_urls(struct arena *a, struct extract_entities *out)
{
	for (size_t i = 0; i < out->urls.n; i++) {
		const char *u = out->urls.v[i], *v;

		if (extract_ci_find(u, "why?") == NULL &&
		    extract_ci_find(u, "identity=") == NULL)
			continue;
		v = extract_url_param(a, u, "identity=");
		if (v != NULL && out->sender_domain == NULL)
			out->sender_domain = extract_domain_of(a, v);
		v = extract_url_param(a, u, "ip=");
		if (v != NULL && out->sending_ip == NULL &&
		    strlist_has(&out->ips, v))
			out->sending_ip = v;
	}
}

void
extract_entities(struct arena *a, struct span text,
    struct extract_entities *out)
{
	struct extract_scan sc;

	memset(out, 0, sizeof(*out));
	memset(&sc, 0, sizeof(sc));
	sc.a = a;
	sc.text = text;
	sc.lower = ascii_lower_dup(a, text);
	extract_tokens(&sc);
	extract_roles(&sc, out);
	extract_spf_urls(a, out);
	/* with one IP that is not the receiving server's, that IP is the one
	 * the bounce is about */
	if (out->sending_ip == NULL) {
		for (size_t i = 0; i < out->ips.n; i++) {
			if (strlist_has(&sc.server_ips, out->ips.v[i]))
				continue;
			if (out->sending_ip != NULL) {
				out->sending_ip = NULL;
				break;
			}
			out->sending_ip = out->ips.v[i];
		}
	}
}
