/* SPDX-License-Identifier: MIT */
/*
 * checks.c - the table of live checks: which reasons call for which check
 *
 * One line per check: the module's kind and the reasons that call for
 * it. A diagnosis calls for a check when one of its results has such a
 * reason and the diagnosis has every entity the kind needs; nothing else
 * decides, so adding a check is its module and one line here.
 * Not here: the checks (check_spf.c, ...), starting them and waiting for
 * them (diagrun.c), their JSON (report.c).
 */
#include "checks.h"

#include <string.h>

#include "ascii.h"

#include "check_dkim.h"
#include "check_dmarc.h"
#include "check_dnsbl.h"
#include "check_mx.h"
#include "check_ptr.h"
#include "check_spf.h"

#define CHECKS_MAX_REASONS 8

/* Which domain a check of a domain (CHECK_NEEDS_DOMAIN) is about. */
enum checks_domain {
	CHECKS_DOMAIN_NONE,
	CHECKS_DOMAIN_RECIPIENT, /* of the result that called for it */
	CHECKS_DOMAIN_SENDER,
};

struct checks_entry {
	const struct check_kind *kind;
	enum checks_domain domain;
	/* the reasons that call for it; the list ends at REASON_NONE */
	enum reason reasons[CHECKS_MAX_REASONS];
};

static const struct checks_entry checks_table[] = {
	/* the receiver refused the client as not allowed to send for the
	 * sender's domain: is it, by the domain's SPF record? */
	{ &check_spf_kind, CHECKS_DOMAIN_NONE, { REASON_AUTHFAILURE } },
	/* ... and what the sender's domain asks receivers to do with mail
	 * that fails (DMARC), and the key of the message's DKIM signature */
	{ &check_dmarc_kind, CHECKS_DOMAIN_SENDER, { REASON_AUTHFAILURE } },
	{ &check_dkim_kind, CHECKS_DOMAIN_NONE, { REASON_AUTHFAILURE } },
	/* the receiver refused the sending IP itself: its reverse DNS */
	{ &check_ptr_kind, CHECKS_DOMAIN_NONE,
	    { REASON_REQUIREPTR, REASON_BLOCKED, REASON_BADREPUTATION,
	        REASON_SPAMDETECTED } },
	/* the receiver refused the sending IP: is it on blocklists now?
	 * (the sender's domain on the domain lists) */
	{ &check_dnsbl_kind, CHECKS_DOMAIN_SENDER,
	    { REASON_BLOCKED, REASON_BADREPUTATION, REASON_SPAMDETECTED } },
	/* the recipient's domain may be at fault: where its mail goes */
	{ &check_mx_kind, CHECKS_DOMAIN_RECIPIENT,
	    { REASON_USERUNKNOWN, REASON_HOSTUNKNOWN, REASON_NOTACCEPT,
	        REASON_NETWORKERROR, REASON_EXPIRED } },
};

#define CHECKS_N (sizeof(checks_table) / sizeof(checks_table[0]))

_Static_assert(CHECKS_N <= CHECKS_MAX, "a selection has a bit per check");
_Static_assert(CHECKS_MAX < sizeof(unsigned) * 8, "CHECKS_MAX fits");

size_t
checks_count(void)
{
	return CHECKS_N;
}

const struct check_kind *
checks_kind(size_t i)
{
	return checks_table[i].kind;
}

/* checks_calls - does the entry list the result's reason? */
static bool
checks_calls(const struct checks_entry *t, const struct diag *d,
    const struct diag_result *r)
{
	for (size_t k = 0; k < CHECKS_MAX_REASONS; k++) {
		if (t->reasons[k] == REASON_NONE)
			break;
		if (r->reason == rules_reason_of(d->env->rules, t->reasons[k]))
			return true;
	}
	return false;
}

/* checks_hints - the names of the bounce that may point at the sender's
 * mail provider: hosts, domains, addresses (a check that matches outbound
 * server names takes no harm from the receiving side's) */
static void
checks_hints(const struct diag *d, struct check_in *in)
{
	const struct extract_entities *e = &d->bounce.ent;
	const struct strlist *lists[] = { &e->hosts, &e->domains, &e->emails };
	size_t n = 0;
	const char **v;

	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		n += lists[i]->n;
	v = arena_alloc(d->arena, (n > 0 ? n : 1) * sizeof(*v));
	n = 0;
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		for (size_t k = 0; k < lists[i]->n; k++)
			v[n++] = lists[i]->v[k];
	in->hints = v;
	in->nhints = n;
}

/* checks_named_domain - the one domain a bounce without a recipient
 * names that is none of the others it knows (the sender's, the receiving
 * host's, a blocklist's): "no MX records for domain2.example"; NULL
 * when there is none, or more than one */
static const char *
checks_named_domain(const struct extract_entities *e)
{
	const char *found = NULL;

	for (size_t i = 0; i < e->domains.n; i++) {
		const char *dom = e->domains.v[i];

		if ((e->sender_domain != NULL &&
		        ascii_ieq_cstr(span_cstr(dom), e->sender_domain)) ||
		    (e->remote_host != NULL &&
		        ascii_ieq_cstr(span_cstr(dom), e->remote_host)) ||
		    strlist_has(&e->blocklists, dom) ||
		    strlist_has(&e->hosts, dom))
			continue;
		if (found != NULL)
			return NULL;
		found = dom;
	}
	return found;
}

bool
checks_wanted(size_t i, const struct diag *d, struct check_in *in)
{
	const struct checks_entry *t = &checks_table[i];
	const struct extract_entities *e = &d->bounce.ent;
	unsigned needs = t->kind->needs;

	for (size_t k = 0; k < d->nresults; k++) {
		const struct diag_result *r = &d->results[k];
		const char *at =
		    r->recipient != NULL ? strrchr(r->recipient, '@') : NULL;
		const char *rdomain =
		    at != NULL && at[1] != '\0' ? at + 1 : NULL;
		const char *domain = t->domain == CHECKS_DOMAIN_RECIPIENT ?
		    (rdomain != NULL ? rdomain : checks_named_domain(e)) :
		    t->domain == CHECKS_DOMAIN_SENDER ? e->sender_domain :
		                                        NULL;

		if (!checks_calls(t, d, r) ||
		    ((needs & CHECK_NEEDS_SENDING_IP) &&
		        e->sending_ip == NULL) ||
		    ((needs & CHECK_NEEDS_SENDER_DOMAIN) &&
		        e->sender_domain == NULL) ||
		    ((needs & CHECK_NEEDS_RECIPIENT_DOMAIN) &&
		        rdomain == NULL) ||
		    ((needs & CHECK_NEEDS_REMOTE_HOST) &&
		        e->remote_host == NULL) ||
		    ((needs & CHECK_NEEDS_DOMAIN) && domain == NULL) ||
		    ((needs & CHECK_NEEDS_DNSBL) &&
		        (in->env == NULL || in->env->dnsbl == NULL)) ||
		    ((needs & CHECK_NEEDS_IP_OR_DOMAIN) &&
		        e->sending_ip == NULL && domain == NULL) ||
		    ((needs & CHECK_NEEDS_DKIM) &&
		        (e->dkim_domain == NULL || e->dkim_selector == NULL)))
			continue;
		in->why = r;
		in->sending_ip = e->sending_ip;
		in->sender_domain = e->sender_domain;
		in->recipient_domain = rdomain;
		in->remote_host = e->remote_host;
		in->domain = domain;
		in->lists = e->blocklists.v;
		in->dkim_domain = e->dkim_domain;
		in->dkim_selector = e->dkim_selector;
		in->nlists = e->blocklists.n;
		checks_hints(d, in);
		return true;
	}
	return false;
}

int
checks_parse(const char *value, unsigned *sel_out)
{
	if (value == NULL || strcmp(value, "auto") == 0) {
		*sel_out = (1u << CHECKS_N) - 1;
		return 0;
	}
	if (strcmp(value, "none") == 0) {
		*sel_out = 0;
		return 0;
	}
	return -1;
}
