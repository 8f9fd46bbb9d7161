/* SPDX-License-Identifier: MIT */
/*
 * dkimcheck.c - the DKIM key a signature names, looked up live (RFC 6376
 * §3.6.2)
 *
 * One TXT lookup; its answer is read as §3.6.2.2 says: NXDOMAIN or no
 * data means no key, several records leave the choice to the verifier.
 * Not here: the key record (dkimkey.c), names (orgdomain.c).
 */
#include "dkimcheck.h"

#include <string.h>

#include "ascii.h"
#include "dnsmsg.h"
#include "orgdomain.h"
#include "taglist.h"
#include "texts_msg.h"

#define DKIMCHECK_INFIX "._domainkey."

struct dkimcheck {
	struct resolver_session *s;
	struct arena *a;
	dkimcheck_done_fn *done;
	void *arg;
	struct dkimcheck_result res;
};

static void
dkimcheck_add(struct dkimcheck *c, const char *code, enum finding_level level,
    const struct texts_msg *m)
{
	findings_add(c->a, &c->res.findings, code, level, m);
}

/* dkimcheck_use - read the key record text */
static void
dkimcheck_use(struct dkimcheck *c, struct span txt)
{
	struct dkimcheck_result *res = &c->res;
	struct dkimkey *k = arena_alloc(c->a, sizeof(*k));
	char *text = arena_strndup(c->a, txt.ptr, txt.len);

	dkimkey_parse(c->a, span_make(text, txt.len), k);
	res->record = text;
	res->key = k;
	res->key_type =
	    k->type == DKIMKEY_UNKNOWN ? k->k : dkimkey_type_str(k->type);
	res->key_bits = k->bits;
	res->revoked = k->revoked;
	res->testing = k->testing;
	for (size_t i = 0; i < k->findings.n; i++)
		dkimcheck_add(c, k->findings.v[i].code, k->findings.v[i].level,
		    k->findings.v[i].msg);
}

/* dkimcheck_read - the TXT answer: missing, one record or several */
static void
dkimcheck_read(struct dkimcheck *c, const struct dnsmsg_answer *ans)
{
	const struct dnsmsg_record *first = NULL;
	struct texts_msg *m;
	size_t n = 0;

	for (size_t i = 0; ans->status == DNSMSG_OK && i < ans->nrecords; i++)
		if (ans->records[i].type == DNSMSG_T_TXT && n++ == 0)
			first = &ans->records[i];
	if (first == NULL) {
		dkimcheck_add(c, "dkim_missing", FINDING_ERROR,
		    texts_msg_with(c->a, "dkim.missing", "name", c->res.name,
		        "selector", c->res.selector, "domain", c->res.domain,
		        TEXTS_MSG_END));
		return;
	}
	if (n > 1) {
		m = texts_msg_with(c->a, "dkim.multiple", "name", c->res.name,
		    TEXTS_MSG_END);
		dkimcheck_add(c, "dkim_multiple", FINDING_WARNING,
		    texts_msg_count(m, n));
	}
	dkimcheck_use(c, span_make(first->u.txt.data, first->u.txt.len));
}

static void
dkimcheck_answered(void *arg, const struct dnsmsg_answer *ans)
{
	struct dkimcheck *c = arg;
	const char *id = resolver_failure_id(c->s, ans);

	if (id != NULL)
		c->res.unchecked = texts_msg_new(c->a, id);
	else if (ans->status == DNSMSG_MALFORMED)
		c->res.unchecked =
		    texts_msg_with(c->a, "dkim.unchecked.malformed", "name",
		        c->res.name, TEXTS_MSG_END);
	else
		dkimcheck_read(c, ans);
	c->done(c->arg, &c->res);
}

/* dkimcheck_name - a lowercased copy of a name without its final dot,
 * or NULL when it is no name */
static const char *
dkimcheck_name(struct arena *a, const char *s)
{
	struct span name = span_cstr(s);

	if (!orgdomain_is_name(name))
		return NULL;
	if (name.ptr[name.len - 1] == '.')
		name.len--;
	return ascii_lower_dup(a, name);
}

/* dkimcheck_valid - are selector and domain names that fit in a key's
 * name? Adds the findings when not. */
static bool
dkimcheck_valid(struct dkimcheck *c, const struct dkimcheck_query *q)
{
	struct dkimcheck_result *res = &c->res;

	res->selector = dkimcheck_name(c->a, q->selector);
	res->domain = dkimcheck_name(c->a, q->domain);
	if (res->selector != NULL && res->domain != NULL &&
	    strlen(res->selector) + strlen(DKIMCHECK_INFIX) +
	            strlen(res->domain) <=
	        ORGDOMAIN_MAX_NAME)
		return true;
	if (res->selector == NULL) {
		res->selector = taglist_quote(c->a, span_cstr(q->selector));
		dkimcheck_add(c, "dkim_bad_selector", FINDING_ERROR,
		    texts_msg_with(c->a, "dkim.bad_selector", "selector",
		        res->selector, TEXTS_MSG_END));
	}
	if (res->domain == NULL) {
		res->domain = taglist_quote(c->a, span_cstr(q->domain));
		dkimcheck_add(c, "dkim_bad_domain", FINDING_ERROR,
		    texts_msg_with(c->a, "dkim.bad_domain", "domain",
		        res->domain, TEXTS_MSG_END));
	}
	if (res->findings.n == 0)
		dkimcheck_add(c, "dkim_bad_selector", FINDING_ERROR,
		    texts_msg_with(c->a, "dkim.name_too_long", "selector",
		        res->selector, "domain", res->domain, TEXTS_MSG_END));
	return false;
}

void
dkimcheck_start(struct resolver_session *s, struct arena *a,
    const struct dkimcheck_query *q, dkimcheck_done_fn *done, void *arg)
{
	struct dkimcheck *c = arena_zalloc(a, sizeof(*c));

	c->s = s;
	c->a = a;
	c->done = done;
	c->arg = arg;
	if (!dkimcheck_valid(c, q)) {
		done(arg, &c->res);
		return;
	}
	c->res.name = arena_printf(a, "%s" DKIMCHECK_INFIX "%s",
	    c->res.selector, c->res.domain);
	resolver_lookup(s, c->res.name, DNSMSG_T_TXT, dkimcheck_answered, c);
}
