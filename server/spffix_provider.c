/* SPDX-License-Identifier: MIT */
/*
 * spffix_provider.c - the mail provider a name belongs to, and its include
 *
 * A provider of the table (rules/providers.json, handed in as plain C
 * through in.providers) is known by the names of its outbound servers:
 * patterns where '*' is any text, "!" in front for a name that is not
 * one. The hints of the bounce point at one: the confirmed PTR name
 * decides when there is one, else the first name that matches. The
 * provider's include: is usable when its own record can be read; while it
 * cannot, the include counts as many lookups as the table says.
 * Not here: reading the table (mailprov.c), putting the include: into a
 * record and checking that it authorises the client (spffix.c), the
 * lookup count itself (spffix_cost.c).
 */
#include "spffix_int.h"

#include <string.h>

#include "ascii.h"
#include "spfname.h"

/*
 * Names against the table's patterns
 */

/* fx_glob - does name match pattern ('*' is any text), ignoring case? */
static bool
fx_glob(struct span pat, struct span name)
{
	size_t p = 0, n = 0, star = SIZE_MAX, mark = 0;

	while (n < name.len) {
		if (p < pat.len && pat.ptr[p] == '*') {
			star = p++;
			mark = n;
		} else if (p < pat.len &&
		    ascii_tolower(pat.ptr[p]) == ascii_tolower(name.ptr[n])) {
			p++;
			n++;
		} else if (star != SIZE_MAX) {
			p = star + 1;
			n = ++mark;
		} else {
			return false;
		}
	}
	while (p < pat.len && pat.ptr[p] == '*')
		p++;
	return p == pat.len;
}

/* fx_matches - does name match one of p's patterns (positive when neg is
 * false, "!"-prefixed when it is true)? */
static bool
fx_matches(const struct mailprov *p, struct span name, bool neg)
{
	for (size_t i = 0; i < p->nptr; i++) {
		struct span pat = span_cstr(p->ptr[i]);

		if (pat.len > 0 && (pat.ptr[0] == '!') == neg &&
		    fx_glob(neg ? span_sub(pat, 1, pat.len) : pat, name))
			return true;
	}
	return false;
}

const struct mailprov *
spffix_provider_of(const struct mailprov_table *t, const char *name)
{
	struct span s = span_cstr(name);
	const char *at;

	if (s.ptr == NULL || t == NULL)
		return NULL;
	at = memchr(s.ptr, '@', s.len);
	while (at != NULL) {
		s = span_sub(s, (size_t)(at - s.ptr) + 1, s.len);
		at = memchr(s.ptr, '@', s.len);
	}
	if (s.len > 0 && s.ptr[s.len - 1] == '.')
		s.len--;
	if (s.len == 0 || !spfname_is_queryable(s))
		return NULL;
	for (size_t i = 0; i < t->n; i++) {
		const struct mailprov *p = &t->v[i];

		if (fx_matches(p, s, false) && !fx_matches(p, s, true))
			return p;
	}
	return NULL;
}

/*
 * The provider of this run's client, and its include:
 */

/* fx_provider - the provider the hints point at: the confirmed PTR name
 * decides when there is one; else the first name of the bounce */
const struct mailprov *
fx_provider(struct fx *fx, const char **via, bool *by_ptr)
{
	const struct spffix_hints *h = fx->in->hints;
	const struct mailprov *p;

	*via = NULL;
	*by_ptr = false;
	if (h == NULL)
		return NULL;
	if (h->ptr != NULL) {
		*via = h->ptr;
		*by_ptr = true;
		return spffix_provider_of(fx->in->providers, h->ptr);
	}
	for (size_t i = 0; i < h->nnames; i++) {
		if ((p = spffix_provider_of(fx->in->providers, h->names[i])) !=
		    NULL) {
			const char *at = strrchr(h->names[i], '@');

			*via = at != NULL ? at + 1 : h->names[i];
			return p;
		}
	}
	return NULL;
}

/* fx_usable - can p's include be used: 1 yes, 0 no (no record, several),
 * -1 not known (not fetched, a DNS error: the table is trusted) */
int
fx_usable(struct fx *fx, const struct mailprov *p)
{
	const struct dnsmsg_answer *ans;
	struct span t;

	switch (fx_txt(fx, p->include, &ans, &t)) {
	case FX_TXT_OK:
		return 1;
	case FX_TXT_MISSING:
	case FX_TXT_ERROR:
		return -1;
	default:
		return 0;
	}
}

/* fx_table_cost - what to add to the count for p's include when its
 * record could not be read: the table's cost less what was counted */
unsigned
fx_table_cost(struct fx *fx, const struct mailprov *p)
{
	bool known = true;
	unsigned now = 1 + fx_cost_name(fx, p->include, 0, &known);

	return !known && p->lookups > now ? p->lookups - now : 0;
}
