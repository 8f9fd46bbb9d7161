/* SPDX-License-Identifier: MIT */
/*
 * extract.c - find the things a bounce names
 *
 * One left-to-right pass cuts the text into candidate tokens (URLs, email
 * addresses, IPv4 and IPv6 addresses, domain names); a second pass gives
 * tokens their roles from the words around them. Everything is bounded:
 * the pass is linear and every list holds at most EXTRACT_MAX_PER_KIND.
 * Not here: reply and status codes (bounce.c); DNS checks of what is found
 * (later modules through resolver.h).
 */
#include "extract.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#define EXTRACT_CONTEXT 48 /* bytes of wording looked at around a token */

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

struct extract_scan {
	struct arena *a;
	struct span text;
	const char *lower; /* ASCII-lowercased copy: same offsets */
	struct extract_tok *toks;
	size_t ntoks, cap;
	size_t url_end; /* tokens before this offset are inside a URL */
	/* the runs that extract_word scans are the same for every start
	 * inside them: remember their ends so the pass stays linear */
	size_t hex_end;            /* end of the hex/colon/dot run, or 0 */
	size_t atext_end;          /* end of the address-character run, or 0 */
	size_t atext_at;           /* last '@' in that run, or SIZE_MAX */
	struct strlist server_ips; /* IPs written next to a server's name */
};

/* host names of receiving servers usually start like this */
static const char *const extract_host_prefixes[] = { "mx", "mail", "smtp",
	"mta", "relay", "inbound", "in-", "aspmx", "alt1.aspmx", "mx1", "mx2",
	"mailin", "mailhost", "gmail-smtp-in", "mxs", "mxa", "mxb", "edge",
	"mail-", NULL };

/* public DNS blocklists and reputation lists, by zone suffix */
static const char *const extract_dnsbl_suffixes[] = { "spamhaus.org",
	"spamcop.net", "barracudacentral.org", "sorbs.net", "abuseat.org",
	"uceprotect.net", "surriel.com", "mailspike.net", "manitu.net",
	"dronebl.org", "s5h.net", "spameatingmonkey.net", "junkemailfilter.com",
	"senderscore.com", "invaluement.com", "nordspam.com", "0spam.org",
	"spamrats.com", "lashback.com", "backscatterer.org", "dnswl.org",
	"gbudb.net", "blocklist.de", "msrbl.net", "anti-spam.org.cn", NULL };

/* words that say the next name is a blocklist */
static const char *const extract_dnsbl_cues[] = { "blocked using ",
	"listed in ", "listed on ", "listed at ", "listed by ", "list at ",
	"blacklisted by ", "blocklisted by ", "blacklisted at ", "rbl ",
	"dnsbl ", "blacklist ", "blocklist ", "black list ", "found in ",
	"listed in the ", "blocked by ", NULL };

/* file names that look like domains */
static const char *const extract_not_tlds[] = { "txt", "pdf", "doc", "docx",
	"xls", "xlsx", "htm", "html", "php", "jpg", "jpeg", "png", "gif", "exe",
	"dll", "bat", "scr", "eml", "cgi", "asp", "aspx", "json", "xml", "js",
	"zip", "rar", "cfg", "conf", "pm", "pl", "py", "c", "h", NULL };

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
	for (size_t i = 0; i < l->n; i++) {
		if (strcasecmp(l->v[i], s) == 0)
			return true;
	}
	return false;
}

static bool
extract_in_list(const char *s, size_t n, const char *const *list)
{
	for (size_t i = 0; list[i] != NULL; i++) {
		if (strlen(list[i]) == n && strncasecmp(s, list[i], n) == 0)
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
		if (!isalnum((unsigned char)c) && c != '-')
			return false;
		if (++label > 63)
			return false;
		if (!isalpha((unsigned char)c) && c != '-')
			alpha_tld = false;
	}
	if (labels < 2 || label == 0)
		return false;
	/* a TLD is letters (or an IDN's "xn--" form), at least two */
	if (n - last < 2 ||
	    (!alpha_tld && strncasecmp(s + last, "xn--", 4) != 0))
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
	char tmp[64], out[INET6_ADDRSTRLEN];
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

static char *
extract_lower_dup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_strndup(a, s, n);

	for (size_t i = 0; i < n; i++)
		p[i] = (char)tolower((unsigned char)p[i]);
	return p;
}

static void
extract_push(struct extract_scan *sc, enum extract_kind kind, size_t start,
    size_t end, const char *val)
{
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

static bool
extract_is_atext(char c)
{
	return isalnum((unsigned char)c) ||
	    (c != '\0' && strchr("!#$%&'*+/=?^_`{|}~.-@", c) != NULL);
}

/* extract_url - an http(s) URL at i; returns its end or i */
static size_t
extract_url(struct extract_scan *sc, size_t i)
{
	const char *t = sc->lower;
	size_t n = sc->text.len, e;

	if (!((n - i > 7 && memcmp(t + i, "http://", 7) == 0) ||
	        (n - i > 8 && memcmp(t + i, "https://", 8) == 0)))
		return i;
	e = i;
	while (e < n && !isspace((unsigned char)t[e]) &&
	    strchr("<>\"'", t[e]) == NULL && (unsigned char)t[e] >= 0x21)
		e++;
	/* trailing punctuation belongs to the sentence, not the URL */
	while (e > i && strchr(".,;:)]", t[e - 1]) != NULL)
		e--;
	extract_push(sc, EXTRACT_URL, i, e,
	    arena_strndup(sc->a, sc->text.ptr + i, e - i));
	sc->url_end = e;
	return i + (t[i + 4] == 's' ? 8 : 7);
}

/* extract_word - an address, IP or domain starting at i; returns its end */
static size_t
extract_word(struct extract_scan *sc, size_t i)
{
	const char *s = sc->text.ptr;
	size_t n = sc->text.len, e = i, at = SIZE_MAX, d;
	const char *v6 = NULL;

	if (n - i > 5 && strncasecmp(s + i, "ipv6:", 5) == 0)
		i += 5;
	/* IPv6: hex digits, colons and an optional dotted tail */
	if (i >= sc->hex_end) {
		for (e = i; e < n &&
		     (isxdigit((unsigned char)s[e]) || s[e] == ':' ||
		         s[e] == '.');
		     e++)
			;
		sc->hex_end = e;
	}
	e = sc->hex_end;
	while (e > i && (s[e - 1] == '.' || s[e - 1] == ':'))
		e--;
	/* an address has colons; most words have none, skip the parse */
	if (e - i >= 3 && memchr(s + i, ':', e - i) != NULL &&
	    (v6 = extract_ipv6(sc->a, s + i, e - i)) != NULL &&
	    (e == n || !isalnum((unsigned char)s[e]))) {
		extract_push(sc, EXTRACT_IP, i, e, v6);
		return e;
	}
	if (i >= sc->atext_end) {
		sc->atext_at = SIZE_MAX;
		for (e = i; e < n && extract_is_atext(s[e]); e++) {
			if (s[e] == '@')
				sc->atext_at = e;
		}
		sc->atext_end = e;
	}
	e = sc->atext_end;
	at = sc->atext_at != SIZE_MAX && sc->atext_at >= i ? sc->atext_at :
	                                                     SIZE_MAX;
	if (at != SIZE_MAX && at > i) {
		size_t ls = i, de = e;

		/* "identity=user@example.com" inside an SPF "Why?" URL */
		if (i < sc->url_end) {
			for (size_t k = ls; k < at; k++) {
				if (s[k] == '=')
					ls = k + 1;
			}
		}
		while (ls < at && s[ls] == '.')
			ls++;
		while (de > at + 1 && (s[de - 1] == '.' || s[de - 1] == '-'))
			de--;
		if (ls < at && extract_domain_ok(s + at + 1, de - at - 1)) {
			char *v = arena_strndup(sc->a, s + ls, de - ls);

			for (size_t k = at - ls; v[k] != '\0'; k++)
				v[k] = (char)tolower((unsigned char)v[k]);
			extract_push(sc, EXTRACT_EMAIL, ls, de, v);
			return e;
		}
	}
	for (d = i; d < n &&
	     (isalnum((unsigned char)s[d]) || s[d] == '.' || s[d] == '-');
	     d++)
		;
	e = d;
	while (e > i && (s[e - 1] == '.' || s[e - 1] == '-'))
		e--;
	/* addresses and names have a dot; most words have none */
	if (e > i && (d == n || s[d] != '@') &&
	    memchr(s + i, '.', e - i) != NULL) {
		if (extract_ipv4_ok(s + i, e - i)) {
			/* "1.2.3.4.5" or "1.2.3.4:25"-like runs stay whole */
			if (d == e || !isdigit((unsigned char)s[e + 1]))
				extract_push(sc, EXTRACT_IP, i, e,
				    arena_strndup(sc->a, s + i, e - i));
		} else if (extract_domain_ok(s + i, e - i)) {
			extract_push(sc, EXTRACT_DOMAIN, i, e,
			    extract_lower_dup(sc->a, s + i, e - i));
		}
	}
	return d > i ? d : i + 1;
}

/* extract_tokens - the first pass */
static void
extract_tokens(struct extract_scan *sc)
{
	const char *s = sc->text.ptr;
	size_t n = sc->text.len, i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t next;

		if (c == 'h' || c == 'H') {
			next = extract_url(sc, i);
			if (next != i) {
				i = next;
				continue;
			}
		}
		if (isalnum(c) || c == ':') {
			i = extract_word(sc, i);
			continue;
		}
		i++;
	}
}

/* extract_before - does the wording just before pos end with cue (up to
 * slack bytes between)? */
static bool
extract_before(const struct extract_scan *sc, size_t pos, const char *cue,
    size_t slack)
{
	size_t n = strlen(cue), from;
	const char *p, *last;

	if (pos < n)
		return false;
	from = pos - n > slack ? pos - n - slack : 0;
	last = sc->lower + pos - n;
	for (p = sc->lower + from;
	     (p = memchr(p, cue[0], (size_t)(last - p) + 1)) != NULL; p++) {
		if (memcmp(p, cue, n) == 0)
			return true;
		if (p == last)
			break;
	}
	return false;
}

/* extract_after - does the wording just after end start with cue? */
static bool
extract_after(const struct extract_scan *sc, size_t end, const char *cue,
    size_t slack)
{
	size_t n = strlen(cue);

	for (size_t k = 0; k <= slack; k++) {
		if (end + k + n > sc->text.len)
			return false;
		if (memcmp(sc->lower + end + k, cue, n) == 0)
			return true;
	}
	return false;
}

static bool
extract_any_before(const struct extract_scan *sc, size_t pos,
    const char *const *cues, size_t slack)
{
	for (size_t i = 0; cues[i] != NULL; i++) {
		if (extract_before(sc, pos, cues[i], slack))
			return true;
	}
	return false;
}

static bool
extract_any_after(const struct extract_scan *sc, size_t end,
    const char *const *cues, size_t slack)
{
	for (size_t i = 0; cues[i] != NULL; i++) {
		if (extract_after(sc, end, cues[i], slack))
			return true;
	}
	return false;
}

static bool
extract_is_dnsbl(const struct extract_scan *sc, const struct extract_tok *t)
{
	size_t n = strlen(t->val);

	for (size_t i = 0; extract_dnsbl_suffixes[i] != NULL; i++) {
		size_t m = strlen(extract_dnsbl_suffixes[i]);

		if (n >= m &&
		    strcmp(t->val + n - m, extract_dnsbl_suffixes[i]) == 0 &&
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
	static const char *const cues[] = { "host ",
		"host: ", "host=", "connected to ", "connect to ",
		"remote-mta: dns; ", "remote-mta: dns;", "server ",
		"mail exchanger ", "mx ", "relay ", "reporting-mta: dns; ",
		"from ", NULL };
	const struct extract_tok *t = &sc->toks[ti];

	if (t->kind != EXTRACT_DOMAIN || t->in_url)
		return false;
	if (extract_host_attached(sc, ti) != NULL)
		return true;
	for (size_t i = 0; extract_host_prefixes[i] != NULL; i++) {
		size_t m = strlen(extract_host_prefixes[i]);

		if (strncmp(t->val, extract_host_prefixes[i], m) == 0 &&
		    (isdigit((unsigned char)t->val[m]) || t->val[m] == '.' ||
		        t->val[m] == '-' ||
		        extract_host_prefixes[i][m - 1] == '-'))
			return true;
	}
	/* "from" alone names senders too often; only the others decide */
	return extract_any_before(sc, t->start, cues, 0) &&
	    !extract_before(sc, t->start, "from ", 0);
}

/* extract_ci_find - case-insensitive strstr (ASCII) */
static const char *
extract_ci_find(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay != '\0'; hay++) {
		if (strncasecmp(hay, needle, n) == 0)
			return hay;
	}
	return NULL;
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
	return extract_lower_dup(a, d, strlen(d));
}

/* extract_sender_cue - wording that puts the envelope sender's domain
 * right after it (SPF and DMARC refusals) */
static bool
extract_sender_cue(const struct extract_scan *sc, const struct extract_tok *t)
{
	static const char *const before[] = { "send from ", "send from <",
		"send mail from ", "send mail from <", "send mail for ",
		"domain of ", "domain of <",
		"identity=", "mfrom=", "mail from ", "mail from <",
		"mail from:<", "mail from: <", "sender ", "sender <",
		"sender domain ", "email from ", "mail from domain ",
		"dmarc policy of ", "envelope-from=", "envelope from ",
		"smtp.mailfrom=", "spf record of ", "designate ", NULL };
	static const char *const after[] = { " is not allowed to send",
		" does not designate", "'s spf", " spf record", " dmarc",
		NULL };

	return extract_any_before(sc, t->start, before, 1) ||
	    extract_any_after(sc, t->end, after, 1);
}

static bool
extract_sending_ip_cue(const struct extract_scan *sc,
    const struct extract_tok *t)
{
	static const char *const before[] = { "ip=", "client host [",
		"client host ", "sending ip (", "sending ip ", "your ip ",
		"your ip address ", "ip address ", "client ip ", "client [",
		"connecting ip ", "ip ", "ip: ", "ip (", "address [",
		"client-ip=", "from [", "sender ip ", "originating ip ",
		"source ip ", NULL };
	static const char *const after[] = { " is not allowed", " is in ",
		" is listed", " listed", " blocked", "] blocked",
		" is blacklisted", " is blocklisted", " has been blocked",
		" has a poor", " is on ", " found in", " not permitted",
		" is not permitted", " rejected", " has no ptr",
		" does not have", NULL };

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
	out->truncated = full != 0;
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
	sc.lower = extract_lower_dup(a, text.ptr, text.len);
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
