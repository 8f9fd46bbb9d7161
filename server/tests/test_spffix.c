/* SPDX-License-Identifier: MIT */
/*
 * test_spffix.c - unit tests for spffix.h, without DNS
 *
 * One zone in memory answers both the evaluation (spf_eval, which gives
 * the outcome a fix starts from) and the fix; every case checks the
 * corrected record, where the new term went, the provider, the lookup
 * count, the warning and why, and that the corrected record, published
 * instead, gives the query the result the fix says (evaluated again
 * here, independently of spffix's own check). Names can be hidden from
 * the fix to test the restartable run (SPFFIX_PENDING) and final mode.
 * The fix never sees a language: why and warning are messages, read here
 * as the shipped texts (rules/) put them, in the case's language.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "mailprov.h"
#include "spf.h"
#include "spffix.h"
#include "spfrecord.h"
#include "test.h"
#include "texts.h"

#define T_TIMEOUT 0xffff /* a record type: the name times out */

struct zrec {
	const char *name;
	uint16_t type;
	const char *value;
	unsigned pref; /* MX */
};

/* The zone: the fixture of the API tests and more. */
static const struct zrec zone[] = {
	{ "example.com", DNSMSG_T_TXT,
	    "v=spf1 ip4:198.51.100.0/24 include:_spf.example.net -all", 0 },
	{ "_spf.example.net", DNSMSG_T_TXT, "v=spf1 ip4:203.0.113.0/24 ~all",
	    0 },
	{ "quals.example", DNSMSG_T_TXT,
	    "v=spf1 ?ip4:198.51.100.1 ~ip4:198.51.100.2 -all", 0 },
	{ "deny.example", DNSMSG_T_TXT, "v=spf1 -ip4:192.0.2.0/24 +all", 0 },
	{ "redir.example", DNSMSG_T_TXT,
	    "v=spf1 ip4:198.51.100.1 redirect=_spf.redir.example", 0 },
	{ "_spf.redir.example", DNSMSG_T_TXT, "v=spf1 ~all", 0 },
	{ "noall.example", DNSMSG_T_TXT, "v=spf1 -ip4:192.0.2.7 exp=x.example",
	    0 },
	{ "softfail.example", DNSMSG_T_TXT, "v=spf1 ~all", 0 },
	{ "neutral.example", DNSMSG_T_TXT, "v=spf1 ?all", 0 },
	{ "nospf.example", DNSMSG_T_TXT, "google-site-verification=abc", 0 },
	{ "bare.example", DNSMSG_T_A, "192.0.2.1", 0 },
	{ "slow.example", T_TIMEOUT, NULL, 0 },
	/* Google, shaped like the real records */
	{ "_spf.google.com", DNSMSG_T_TXT,
	    "v=spf1 include:_netblocks.google.com ~all", 0 },
	{ "_netblocks.google.com", DNSMSG_T_TXT,
	    "v=spf1 ip4:192.0.2.0/25 ip6:2001:db8:4860::/48 ~all", 0 },
	{ "has-google.example", DNSMSG_T_TXT,
	    "v=spf1 include:_spf.google.com -all", 0 },
	{ "typo-include.example", DNSMSG_T_TXT,
	    "v=spf1 include=_spf.google.com -all", 0 },
	/* lookups: big and big2 cost 5 each */
	{ "big.example", DNSMSG_T_TXT,
	    "v=spf1 include:b1.example include:b2.example include:b3.example "
	    "include:b4.example -all",
	    0 },
	{ "big2.example", DNSMSG_T_TXT,
	    "v=spf1 include:b5.example include:b6.example include:b7.example "
	    "include:b8.example -all",
	    0 },
	{ "b1.example", DNSMSG_T_TXT, "v=spf1 ip4:203.0.113.1 -all", 0 },
	{ "b2.example", DNSMSG_T_TXT, "v=spf1 ip4:203.0.113.2 -all", 0 },
	{ "b3.example", DNSMSG_T_TXT, "v=spf1 ip4:203.0.113.3 -all", 0 },
	{ "b4.example", DNSMSG_T_TXT, "v=spf1 ip4:203.0.113.4 -all", 0 },
	{ "b5.example", DNSMSG_T_TXT, "v=spf1 ip4:203.0.113.5 -all", 0 },
	{ "b6.example", DNSMSG_T_TXT, "v=spf1 ip4:203.0.113.6 -all", 0 },
	{ "b7.example", DNSMSG_T_TXT, "v=spf1 ip4:203.0.113.7 -all", 0 },
	{ "b8.example", DNSMSG_T_TXT, "v=spf1 ip4:203.0.113.8 -all", 0 },
	{ "near-limit.example", DNSMSG_T_TXT,
	    "v=spf1 include:big.example include:big2.example -all", 0 },
	{ "too-many.example", DNSMSG_T_TXT,
	    "v=spf1 include:big.example include:big.example ptr -all", 0 },
	{ "way-too-many.example", DNSMSG_T_TXT,
	    "v=spf1 include:big.example include:big2.example mx -all", 0 },
	{ "way-too-many.example", DNSMSG_T_MX, "mx.way-too-many.example", 10 },
	{ "ptr-many.example", DNSMSG_T_TXT,
	    "v=spf1 include:big.example include:big.example ptr -all", 0 },
	/* permerrors */
	{ "two.example", DNSMSG_T_TXT, "v=spf1 ip4:198.51.100.1 -all", 0 },
	{ "two.example", DNSMSG_T_TXT,
	    "v=spf1 ip4:198.51.100.1 include:_spf.example.net ~all", 0 },
	{ "three.example", DNSMSG_T_TXT, "v=spf1 a -all", 0 },
	{ "three.example", DNSMSG_T_TXT, "v=spf1 redirect=_spf.example.net",
	    0 },
	{ "three.example", DNSMSG_T_TXT, "v=spf1 mx ?all exp=e.example", 0 },
	{ "three.example", DNSMSG_T_TXT, "other text", 0 },
	{ "unknown.example", DNSMSG_T_TXT, "v=spf1 foo ip4:198.51.100.1 -all",
	    0 },
	{ "ipv4.example", DNSMSG_T_TXT, "v=spf1 ipv4:198.51.100.1 -all", 0 },
	{ "space.example", DNSMSG_T_TXT,
	    "v=spf1 ip4: 198.51.100.1 include=_spf.example.net -all.", 0 },
	{ "comma.example", DNSMSG_T_TXT,
	    "v=spf1 include:_spf.example.net, ip4:198.51.100.1 -all", 0 },
	{ "dangling.example", DNSMSG_T_TXT,
	    "v=spf1 ip4:198.51.100.0/24 include:nospf.example -all", 0 },
	{ "inc-two.example", DNSMSG_T_TXT, "v=spf1 include:two.example -all",
	    0 },
	{ "inc-bad.example", DNSMSG_T_TXT,
	    "v=spf1 include:unknown.example -all", 0 },
	{ "voids.example", DNSMSG_T_TXT,
	    "v=spf1 a:n1.example ip4:198.51.100.1 a:n2.example mx:n3.example "
	    "-all",
	    0 },
	{ "mx-many.example", DNSMSG_T_TXT, "v=spf1 mx -all", 0 },
	{ "mx-many.example", DNSMSG_T_MX, "m1.example", 1 },
	{ "mx-many.example", DNSMSG_T_MX, "m2.example", 2 },
	{ "mx-many.example", DNSMSG_T_MX, "m3.example", 3 },
	{ "mx-many.example", DNSMSG_T_MX, "m4.example", 4 },
	{ "mx-many.example", DNSMSG_T_MX, "m5.example", 5 },
	{ "mx-many.example", DNSMSG_T_MX, "m6.example", 6 },
	{ "mx-many.example", DNSMSG_T_MX, "m7.example", 7 },
	{ "mx-many.example", DNSMSG_T_MX, "m8.example", 8 },
	{ "mx-many.example", DNSMSG_T_MX, "m9.example", 9 },
	{ "mx-many.example", DNSMSG_T_MX, "m10.example", 10 },
	{ "mx-many.example", DNSMSG_T_MX, "m11.example", 11 },
	{ "mx.way-too-many.example", DNSMSG_T_A, "198.51.100.25", 0 },
	{ "nul.example", DNSMSG_T_TXT, "v=spf1 ip4:198.51.100.1 \x01 -all", 0 },
	{ "loop.example", DNSMSG_T_TXT,
	    "v=spf1 ip4:198.51.100.1 include:loop2.example -all", 0 },
	{ "loop2.example", DNSMSG_T_TXT, "v=spf1 include:loop.example -all",
	    0 },
	{ "macro-many.example", DNSMSG_T_TXT,
	    "v=spf1 include:big.example include:big2.example "
	    "exists:%{i}.x.example -all",
	    0 },
};

#define ZONE_N (sizeof(zone) / sizeof(zone[0]))

/* What the lookup knows: the zone, less the hidden names; the record of
 * over (when set) replaced by over_text. */
struct tzone {
	struct arena *a;
	const char *hide[4];
	const char *over;
	const char *over_text;
};

static bool
tz_hidden(const struct tzone *z, const char *name)
{
	for (size_t i = 0; i < 4; i++)
		if (z->hide[i] != NULL && strcasecmp(z->hide[i], name) == 0)
			return true;
	return false;
}

static void
tz_fill(struct dnsmsg_record *r, const struct zrec *z)
{
	r->type = z->type;
	r->ttl = 300;
	switch (z->type) {
	case DNSMSG_T_A:
		(void)inet_pton(AF_INET, z->value, r->u.a);
		break;
	case DNSMSG_T_AAAA:
		(void)inet_pton(AF_INET6, z->value, r->u.aaaa);
		break;
	case DNSMSG_T_MX:
		r->u.mx.preference = (uint16_t)z->pref;
		r->u.mx.host = z->value;
		break;
	case DNSMSG_T_PTR:
		r->u.name = z->value;
		break;
	default:
		r->u.txt.data = z->value;
		r->u.txt.len = strlen(z->value);
		r->u.txt.nstrings = 1;
		break;
	}
}

static const struct dnsmsg_answer *
tz_lookup(void *arg, const char *name, uint16_t type)
{
	struct tzone *z = arg;
	struct dnsmsg_answer *ans;
	bool exists = false, timeout = false;
	size_t n = 0;

	if (tz_hidden(z, name))
		return NULL;
	ans = arena_zalloc(z->a, sizeof(*ans));
	ans->canonical = name;
	ans->records = arena_zalloc(z->a, (ZONE_N + 1) * sizeof(*ans->records));
	if (z->over != NULL && type == DNSMSG_T_TXT &&
	    strcasecmp(z->over, name) == 0) {
		struct zrec r = { name, DNSMSG_T_TXT, z->over_text, 0 };

		tz_fill(&ans->records[0], &r);
		ans->nrecords = 1;
		return ans;
	}
	for (size_t i = 0; i < ZONE_N; i++) {
		if (strcasecmp(zone[i].name, name) != 0)
			continue;
		exists = true;
		if (zone[i].type == T_TIMEOUT)
			timeout = true;
		if (zone[i].type == type)
			tz_fill(&ans->records[n++], &zone[i]);
	}
	ans->nrecords = n;
	ans->status = timeout ? DNSMSG_TIMEOUT :
	    n > 0             ? DNSMSG_OK :
	    exists            ? DNSMSG_NODATA :
	                        DNSMSG_NXDOMAIN;
	return ans;
}

/* One case: the query, the hints, the language the answer is read in. */
struct tcase {
	const char *ip;
	const char *domain;
	const char *ptr;
	const char *const *names;
	size_t nnames;
	const char *lang; /* the code, or NULL: English */
	const char *hide; /* hidden from the fix */
	bool final;
	/* NULL: the shipped rules/providers.json */
	const struct mailprov_table *providers;
};

struct tres {
	struct spf_outcome o;
	const struct spffix *fix;
	enum spffix_status st;
	struct spf_pending pending[SPF_MAX_PENDING];
	size_t npending;
};

static struct texts *test_texts; /* the shipped texts, from rules/ */
static struct mailprov_table test_providers; /* rules/providers.json */
static struct arena *test_arena;             /* of the sentences rendered */
static enum lang test_lang;                  /* of the case run last */

/* say - a message of the last case's fix in its language; NULL for NULL */
static const char *
say(const struct texts_msg *m)
{
	return m != NULL ? texts_render(test_arena, test_texts, test_lang, m) :
	                   NULL;
}

/* the message ids of the SPF code, and the languages they must speak */
static const char *const said_ids[] = { "spf.reason.", "spf.found.",
	"spf.match.", "spf.status.", "spf.count.", "spf.explanation.",
	"spfsyntax.", "spffix.", "spfcheck." };

/* said - m has a text for each of its ids in every language served: a
 * message id without one would show as the id itself */
static bool
said(const struct texts_msg *m)
{
	for (size_t l = 0; m != NULL && l < texts_langs(test_texts)->n; l++) {
		const char *s =
		    texts_render(test_arena, test_texts, (enum lang)l, m);

		for (size_t i = 0; i < sizeof(said_ids) / sizeof(*said_ids);
		     i++)
			if (strstr(s, said_ids[i]) != NULL)
				return false;
	}
	return true;
}

/* after - the corrected record's result as the answer names it, or NULL
 * when it is not known */
static const char *
after(const struct spffix *f)
{
	return f->verified ? spf_result_str(f->result_after) : NULL;
}

/* run - the evaluation over the whole zone, then the fix */
static void
run(struct arena *a, const struct tcase *tc, struct tres *r)
{
	static struct spf_query q;
	struct tzone z = { a, { NULL }, NULL, NULL };
	struct spffix_hints h = { tc->ptr, tc->names, tc->nnames };
	struct spffix_in in;
	size_t n = 0;

	memset(&q, 0, sizeof(q));
	q.ip = tc->ip;
	q.domain = tc->domain;
	q.now = 1700000000;
	memset(r, 0, sizeof(*r));
	test_lang = tc->lang != NULL ?
	    test_lang_of(texts_langs(test_texts), tc->lang) :
	    LANG_EN;
	if (!CHECK(spf_eval(a, &q, tz_lookup, &z, &r->o, r->pending, &n) ==
	            SPF_EVAL_DONE,
	        "%s: evaluated", tc->domain))
		return;
	z.hide[0] = tc->hide;
	in = (struct spffix_in){ &q, &r->o, &h, tc->final,
		tc->providers != NULL ? tc->providers : &test_providers };
	r->st = spffix_propose(a, &in, tz_lookup, &z, &r->fix, r->pending,
	    &r->npending);
}

/* reeval - the result of the query with record published at domain */
static const char *
reeval(struct arena *a, const char *ip, const char *top, const char *domain,
    const char *record)
{
	struct spf_query q;
	struct tzone z = { a, { NULL }, domain, record };
	struct spf_pending pending[SPF_MAX_PENDING];
	struct spf_outcome o;
	size_t n = 0;

	memset(&q, 0, sizeof(q));
	q.ip = ip;
	q.domain = top;
	if (spf_eval(a, &q, tz_lookup, &z, &o, pending, &n) != SPF_EVAL_DONE)
		return "pending";
	return spf_result_str(o.result);
}

static bool
has(const char *s, const char *word)
{
	return s != NULL && strstr(s, word) != NULL;
}

/* fix - run a case that must give a fix; checks what every fix holds */
static const struct spffix *
fix(struct arena *a, const struct tcase *tc, struct tres *r)
{
	const struct spffix *f;
	struct spfrecord rec;
	struct spfrecord_error err;
	bool ok;

	run(a, tc, r);
	if (!CHECK(r->st == SPFFIX_DONE && r->fix != NULL,
	        "%s %s: a fix (result %s)", tc->domain, tc->ip,
	        spf_result_str(r->o.result)))
		return NULL;
	f = r->fix;
	CHECK(f->why != NULL && f->domain != NULL, "%s: why and domain",
	    tc->domain);
	ok = said(f->why) && said(f->warning) && said(r->o.reason) &&
	    said(r->o.default_explanation);
	for (size_t i = 0; i < r->o.ntrace; i++)
		ok = ok && said(r->o.trace[i].found);
	CHECK(ok, "%s: every sentence has its English and Russian texts",
	    tc->domain);
	if (f->record != NULL) {
		CHECK(spfrecord_parse(a, span_cstr(f->record), &rec, &err) == 0,
		    "%s: the corrected record \"%s\" parses", tc->domain,
		    f->record);
		if (f->verified)
			CHECK_STR(reeval(a, tc->ip, tc->domain, f->domain,
			              f->record),
			    after(f), "result_after, evaluated again");
	}
	return f;
}

static void
test_fail(struct arena *a)
{
	struct tres r;
	const struct spffix *f;
	static const char *const gmail_rx[] = { "gmail-smtp-in.l.google.com",
		"example.com" };

	/* the exact address before -all; the other terms as written */
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.99", .domain = "example.com" }, &r);
	if (f != NULL) {
		CHECK_STR(f->record,
		    "v=spf1 ip4:198.51.100.0/24 include:_spf.example.net "
		    "ip4:192.0.2.99 -all",
		    "fail: ip4 before -all");
		CHECK_STR(f->added, "ip4:192.0.2.99", "fail: added");
		CHECK_STR(f->domain, "example.com", "fail: domain");
		CHECK(f->provider == NULL && f->warning == NULL,
		    "fail: no provider, no warning");
		CHECK_STR(after(f), "pass", "fail: passes after");
		CHECK(f->lookups_after == 1, "fail: 1 lookup after (got %u)",
		    f->lookups_after);
		CHECK(has(say(f->why), "\"-all\"") &&
		        has(say(f->why), "192.0.2.0/24"),
		    "fail: why names the deciding term and the /24: %s",
		    say(f->why));
	}
	/* qualifiers preserved */
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7", .domain = "quals.example" },
	    &r);
	if (f != NULL)
		CHECK_STR(f->record,
		    "v=spf1 ?ip4:198.51.100.1 ~ip4:198.51.100.2 ip4:192.0.2.7 "
		    "-all",
		    "qualifiers kept");
	/* the deciding term is not the final all: in front of it */
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7", .domain = "deny.example" }, &r);
	if (f != NULL) {
		CHECK_STR(f->record,
		    "v=spf1 ip4:192.0.2.7 -ip4:192.0.2.0/24 +all",
		    "before the deciding -ip4");
		CHECK_STR(after(f), "pass", "deny: passes after");
	}
	/* softfail through redirect=: before the redirect */
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7", .domain = "redir.example" },
	    &r);
	if (f != NULL) {
		CHECK(r.o.result == SPF_SOFTFAIL, "redirect gives softfail");
		CHECK_STR(f->record,
		    "v=spf1 ip4:198.51.100.1 ip4:192.0.2.7 "
		    "redirect=_spf.redir.example",
		    "before redirect=");
		CHECK(has(say(f->why), "redirect="), "why says where: %s",
		    say(f->why));
	}
	/* no all, no redirect: at the end */
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7", .domain = "noall.example" },
	    &r);
	if (f != NULL)
		CHECK_STR(f->record,
		    "v=spf1 ip4:192.0.2.7 -ip4:192.0.2.7 exp=x.example",
		    "before the deciding term, exp= kept");
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.8", .domain = "softfail.example" },
	    &r);
	if (f != NULL)
		CHECK_STR(f->record, "v=spf1 ip4:192.0.2.8 ~all", "softfail");
	/* IPv6, and IPv4-mapped IPv6 is IPv4 */
	f = fix(a,
	    &(struct tcase){ .ip = "2001:db8::7", .domain = "example.com" },
	    &r);
	if (f != NULL) {
		CHECK_STR(f->added, "ip6:2001:db8::7", "ip6 term");
		CHECK(has(say(f->why), "ip6:2001:db8::/64"),
		    "the /64 is named: %s", say(f->why));
	}
	f = fix(a,
	    &(struct tcase){ .ip = "::ffff:192.0.2.7",
	        .domain = "example.com" },
	    &r);
	if (f != NULL)
		CHECK_STR(f->added, "ip4:192.0.2.7", "IPv4-mapped: ip4");
	/* the receiving side's names are no provider hint */
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7",
	        .domain = "example.com",
	        .names = gmail_rx,
	        .nnames = 2 },
	    &r);
	if (f != NULL)
		CHECK(f->provider == NULL, "an inbound Gmail name is no hint");
	/* include=... is ignored as a modifier: correcting it is enough */
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7",
	        .domain = "typo-include.example" },
	    &r);
	if (f != NULL) {
		CHECK_STR(f->record, "v=spf1 include:_spf.google.com -all",
		    "include= corrected");
		CHECK(f->added == NULL, "nothing added");
		CHECK_STR(after(f), "pass", "include= corrected: pass");
		CHECK(has(say(f->why), "unknown modifier"), "why: %s",
		    say(f->why));
	}
}

static void
test_provider(struct arena *a)
{
	struct tres r;
	const struct spffix *f;
	static const char *const bounce[] = { "mx.example.org",
		"MAILER-DAEMON@mail-yw1-f99.google.com" };

	/* the confirmed PTR name is Google's, whose record lists it */
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7",
	        .domain = "example.com",
	        .ptr = "mail-wr1-f41.google.com" },
	    &r);
	if (f != NULL) {
		CHECK_STR(f->record,
		    "v=spf1 ip4:198.51.100.0/24 include:_spf.example.net "
		    "include:_spf.google.com -all",
		    "provider include before -all");
		CHECK_STR(f->added, "include:_spf.google.com", "added");
		CHECK_STR(f->provider, "Google Workspace", "provider");
		CHECK_STR(after(f), "pass", "provider: pass");
		CHECK(f->lookups_after == 3, "1 + Google's 2 (got %u)",
		    f->lookups_after);
		CHECK(has(say(f->why), "mail-wr1-f41.google.com") &&
		        has(say(f->why), "PTR"),
		    "why says how: %s", say(f->why));
	}
	/* a name in the bounce (an address's domain), no PTR */
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.99",
	        .domain = "example.com",
	        .names = bounce,
	        .nnames = 2 },
	    &r);
	if (f != NULL) {
		CHECK_STR(f->provider, "Google Workspace", "bounce hint");
		CHECK(has(say(f->why), "bounce"), "why: %s", say(f->why));
	}
	/* a confirmed PTR that is no provider's wins over the bounce */
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.99",
	        .domain = "example.com",
	        .ptr = "host.example.org",
	        .names = bounce,
	        .nnames = 2 },
	    &r);
	if (f != NULL)
		CHECK(f->provider == NULL, "PTR first");
	/* Google's record does not list the client: the address itself */
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.200",
	        .domain = "example.com",
	        .names = bounce,
	        .nnames = 2 },
	    &r);
	if (f != NULL) {
		CHECK_STR(f->added, "ip4:192.0.2.200", "uncovered: ip4");
		CHECK(f->provider == NULL, "uncovered: no provider");
		CHECK(has(say(f->why), "does not authorise"), "why: %s",
		    say(f->why));
	}
	/* the provider's record is not there (no amazonses.com here) */
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7",
	        .domain = "example.com",
	        .ptr = "a8-23.smtp-out.amazonses.com" },
	    &r);
	if (f != NULL) {
		CHECK_STR(f->added, "ip4:192.0.2.7", "no provider record: ip4");
		CHECK(f->provider == NULL && has(say(f->why), "Amazon SES"),
		    "why names it: %s", say(f->why));
	}
	/* already included, yet not listed */
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.200",
	        .domain = "has-google.example",
	        .ptr = "mail-x.google.com" },
	    &r);
	if (f != NULL) {
		CHECK_STR(f->added, "ip4:192.0.2.200", "already included: ip4");
		CHECK(has(say(f->why), "already includes"), "why: %s",
		    say(f->why));
	}
	/* Google's record cannot be had: asked for, then the table's count */
	run(a,
	    &(struct tcase){ .ip = "192.0.2.7",
	        .domain = "example.com",
	        .ptr = "mail-wr1-f41.google.com",
	        .hide = "_spf.google.com" },
	    &r);
	CHECK(r.st == SPFFIX_PENDING && r.npending >= 1 &&
	        strcmp(r.pending[0].name, "_spf.google.com") == 0 &&
	        r.pending[0].type == DNSMSG_T_TXT,
	    "pending: the provider's record is asked for");
	run(a,
	    &(struct tcase){ .ip = "192.0.2.7",
	        .domain = "example.com",
	        .ptr = "mail-wr1-f41.google.com",
	        .hide = "_spf.google.com",
	        .final = true },
	    &r);
	if (CHECK(r.st == SPFFIX_DONE && r.fix != NULL, "final: done")) {
		CHECK_STR(r.fix->added, "include:_spf.google.com",
		    "final: include");
		CHECK(!r.fix->verified, "final: result unknown");
		CHECK(r.fix->lookups_after == 1 + 4,
		    "final: Google counted as the table says (got %u)",
		    r.fix->lookups_after);
	}
}

static void
test_names(void)
{
	static const struct {
		const char *name, *include;
	} cases[] = {
		{ "mail-wr1-f41.google.com", "_spf.google.com" },
		{ "MAIL-SOR-F65.GOOGLE.COM.", "_spf.google.com" },
		{ "mail-eur05am6on2101.outbound.protection.outlook.com",
		    "spf.protection.outlook.com" },
		{ "a8-23.smtp-out.amazonses.com", "amazonses.com" },
		{ "bounce@amazonses.com", "amazonses.com" },
		{ "o1.ptr1234.sendgrid.net", "sendgrid.net" },
		{ "m228-12.mailgun.net", "mailgun.org" },
		{ "mail132-5.atl131.mandrillapp.com", "spf.mandrillapp.com" },
		{ "mail180-16.suw21.mcdlv.net", "spf.mandrillapp.com" },
		{ "sender4-op-o12.zoho.com", "zoho.com" },
		{ "sender-of-o51.zoho.eu", "zoho.eu" },
		{ "mta202a-ord.mtasv.net", "spf.mtasv.net" },
		{ "mta-12-34.sparkpostmail.com", "sparkpostmail.com" },
		{ "ab.sender-sib.com", "spf.brevo.com" },
		{ "o1.p25.mailjet.com", "spf.mailjet.com" },
		{ "forward500a.mail.yandex.net", "_spf.yandex.net" },
		{ "f123.i.mail.ru", "_spf.mail.ru" },
		{ "10.mo581.mail-out.ovh.net", "mx.ovh.com" },
		{ "out1-smtp.messagingengine.com", "spf.messagingengine.com" },
		{ "wout2-smtp.messagingengine.com", "spf.messagingengine.com" },
		{ "mail-4323.protonmail.ch", "_spf.protonmail.ch" },
		/* inbound servers, look-alikes, not names at all */
		{ "gmail-smtp-in.l.google.com", NULL },
		{ "aspmx.l.google.com", NULL },
		{ "google.com", NULL },
		{ "example-com.mail.protection.outlook.com", NULL },
		{ "mx.sendgrid.net", NULL },
		{ "mxa.mailgun.org", NULL },
		{ "mx.zoho.com", NULL },
		{ "mx.yandex.net", NULL },
		{ "mxs.mail.ru", NULL },
		{ "in1-smtp.messagingengine.com", NULL },
		{ "mail.protonmail.ch", NULL },
		{ "in.mailjet.com", NULL },
		{ "mail-x.google.com.evil.example", NULL },
		{ "", NULL },
		{ "a..b", NULL },
	};
	const struct mailprov_table *t = &test_providers;
	const struct mailprov *p;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		p = spffix_provider_of(t, cases[i].name);
		CHECK_STR(p != NULL ? p->include : NULL, cases[i].include,
		    cases[i].name);
	}
	CHECK(spffix_provider_of(t, NULL) == NULL, "NULL is no provider");
	CHECK(spffix_provider_of(NULL, "mail-wr1-f41.google.com") == NULL,
	    "no table, no provider");
	CHECK(t->n >= 15, "the table has the providers asked for (%zu)", t->n);
	for (size_t i = 0; i < t->n; i++)
		CHECK(t->v[i].name != NULL && t->v[i].include != NULL &&
		        t->v[i].nptr > 0 && t->v[i].lookups >= 1,
		    "table row %zu complete", i);
}

/* test_operator_provider - a provider added to the data, not the code */
static void
test_operator_provider(struct arena *a)
{
	static const char *const pats[] = { "*.relay.example.net",
		"!in.relay.example.net" };
	static const struct mailprov relay[] = { { "Example Relay",
	    "_spf.example.net", pats, 2, 1 } };
	static const struct mailprov_table t = { relay, 1 };
	struct tres r;
	const struct spffix *f;

	f = fix(a,
	    &(struct tcase){ .ip = "203.0.113.9",
	        .domain = "softfail.example",
	        .ptr = "out1.relay.example.net",
	        .providers = &t },
	    &r);
	if (f != NULL) {
		CHECK_STR(f->added, "include:_spf.example.net",
		    "the added provider's include");
		CHECK_STR(f->provider, "Example Relay", "its name");
		CHECK_STR(after(f), "pass", "the include passes");
	}
	/* an excluded name of the same provider */
	f = fix(a,
	    &(struct tcase){ .ip = "203.0.113.9",
	        .domain = "softfail.example",
	        .ptr = "in.relay.example.net",
	        .providers = &t },
	    &r);
	if (f != NULL) {
		CHECK(f->provider == NULL, "an excluded name is no hint");
		CHECK_STR(f->added, "ip4:203.0.113.9", "the address instead");
	}
	/* the shipped table does not know it */
	f = fix(a,
	    &(struct tcase){ .ip = "203.0.113.9",
	        .domain = "softfail.example",
	        .ptr = "out1.relay.example.net" },
	    &r);
	if (f != NULL)
		CHECK(f->provider == NULL, "not in the shipped table");
}

static void
test_limit(struct arena *a)
{
	struct tres r;
	const struct spffix *f;

	/* already at 10: an ip4 keeps it there, no warning */
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.99",
	        .domain = "near-limit.example" },
	    &r);
	if (f != NULL) {
		CHECK(f->lookups_after == 10, "10 lookups (got %u)",
		    f->lookups_after);
		CHECK(f->warning == NULL, "no warning at 10");
	}
	/* Google's include takes it to 12: warned, the costliest named */
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7",
	        .domain = "near-limit.example",
	        .ptr = "mail-wr1-f41.google.com" },
	    &r);
	if (f != NULL) {
		CHECK_STR(f->added, "include:_spf.google.com", "include kept");
		CHECK(f->lookups_after == 12, "12 lookups (got %u)",
		    f->lookups_after);
		CHECK(has(say(f->warning), "12") &&
		        has(say(f->warning),
		            "include:big.example (5 lookups)") &&
		        has(say(f->warning), "ip4:192.0.2.7 instead"),
		    "warning: %s",
		    say(f->warning) ? say(f->warning) : "(null)");
		CHECK_STR(after(f), "permerror",
		    "the record with the include is a permerror");
	}
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7",
	        .domain = "near-limit.example",
	        .ptr = "mail-wr1-f41.google.com",
	        .lang = "ru" },
	    &r);
	if (f != NULL)
		CHECK(has(say(f->warning), "12 DNS-запросов") &&
		        has(say(f->warning), "(5 DNS-запросов)") &&
		        has(say(f->why), "SPF-запись"),
		    "warning in Russian: %s",
		    say(f->warning) ? say(f->warning) : "");
}

static void
test_none(struct arena *a)
{
	struct tres r;
	const struct spffix *f;

	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7", .domain = "nospf.example" },
	    &r);
	if (f != NULL) {
		CHECK(r.o.result == SPF_NONE, "none");
		CHECK_STR(f->record, "v=spf1 ip4:192.0.2.7 ~all", "starter");
		CHECK_STR(after(f), "pass", "starter passes");
		CHECK(f->lookups_after == 0, "starter: no lookup");
	}
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7",
	        .domain = "bare.example",
	        .ptr = "mail-wr1-f41.google.com" },
	    &r);
	if (f != NULL) {
		CHECK_STR(f->record, "v=spf1 include:_spf.google.com ~all",
		    "starter with the provider");
		CHECK(f->lookups_after == 2, "starter: Google's 2 (got %u)",
		    f->lookups_after);
	}
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7", .domain = "missing.example" },
	    &r);
	if (f != NULL) {
		CHECK(f->record == NULL, "NXDOMAIN: no record");
		CHECK(has(say(f->why), "NXDOMAIN"), "why: %s", say(f->why));
	}
	/* none for a name that is no domain: no fix */
	run(a, &(struct tcase){ .ip = "192.0.2.7", .domain = "localhost" }, &r);
	CHECK(r.st == SPFFIX_DONE && r.fix == NULL,
	    "no fix for a single label");
	run(a, &(struct tcase){ .ip = "not-an-ip", .domain = "example.com" },
	    &r);
	CHECK(r.st == SPFFIX_DONE && r.fix == NULL, "no fix without a client");
}

static void
test_no_fix(struct arena *a)
{
	struct tres r;

	run(a, &(struct tcase){ .ip = "198.51.100.7", .domain = "example.com" },
	    &r);
	CHECK(r.o.result == SPF_PASS && r.fix == NULL, "pass: no fix");
	run(a,
	    &(struct tcase){ .ip = "192.0.2.7", .domain = "neutral.example" },
	    &r);
	CHECK(r.o.result == SPF_NEUTRAL && r.fix == NULL, "neutral: no fix");
	run(a, &(struct tcase){ .ip = "192.0.2.7", .domain = "slow.example" },
	    &r);
	CHECK(r.o.result == SPF_TEMPERROR && r.fix == NULL,
	    "temperror: no fix");
}

static void
test_permerror(struct arena *a)
{
	struct tres r;
	const struct spffix *f;

	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7", .domain = "two.example" }, &r);
	if (f != NULL) {
		CHECK(r.o.result == SPF_PERMERROR, "two records: permerror");
		CHECK_STR(f->record,
		    "v=spf1 ip4:198.51.100.1 include:_spf.example.net -all",
		    "merged, terms once, the first all");
		CHECK(has(say(f->why), "2 SPF records") &&
		        has(say(f->why), "§4.5") &&
		        has(say(f->why), "end differently"),
		    "why: %s", say(f->why));
		CHECK_STR(after(f), "fail", "merged: fail for the IP");
		CHECK(has(say(f->why), "added as well"),
		    "says the IP still fails");
		CHECK(f->lookups_after == 1, "merged: 1 lookup");
	}
	f = fix(a,
	    &(struct tcase){ .ip = "198.51.100.1", .domain = "two.example" },
	    &r);
	if (f != NULL)
		CHECK_STR(after(f), "pass", "merged: the listed IP passes");
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7", .domain = "three.example" },
	    &r);
	if (f != NULL)
		CHECK_STR(f->record, "v=spf1 a mx -all exp=e.example",
		    "three merged: redirect= dropped beside all");
	/* syntax */
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7", .domain = "unknown.example" },
	    &r);
	if (f != NULL) {
		CHECK_STR(f->record, "v=spf1 ip4:198.51.100.1 -all",
		    "unknown mechanism removed");
		CHECK(has(say(f->why), "removed \"foo\"") &&
		        has(say(f->why), "§4.6"),
		    "why: %s", say(f->why));
	}
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7", .domain = "ipv4.example" }, &r);
	if (f != NULL)
		CHECK_STR(f->record, "v=spf1 ip4:198.51.100.1 -all",
		    "ipv4 → ip4");
	f = fix(a,
	    &(struct tcase){ .ip = "198.51.100.1", .domain = "space.example" },
	    &r);
	if (f != NULL) {
		CHECK_STR(f->record,
		    "v=spf1 ip4:198.51.100.1 include:_spf.example.net -all",
		    "joined, include= and -all. corrected");
		CHECK_STR(after(f), "pass", "space: passes after");
	}
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7", .domain = "comma.example" },
	    &r);
	if (f != NULL)
		CHECK_STR(f->record,
		    "v=spf1 include:_spf.example.net ip4:198.51.100.1 -all",
		    "a trailing comma dropped");
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7", .domain = "nul.example" }, &r);
	if (f != NULL) {
		CHECK_STR(f->record, "v=spf1 ip4:198.51.100.1 -all",
		    "a control byte removed");
		CHECK(has(say(f->why), "not printable"), "why: %s",
		    say(f->why));
	}
	/* include: of a domain without SPF */
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7", .domain = "dangling.example" },
	    &r);
	if (f != NULL) {
		CHECK_STR(f->record, "v=spf1 ip4:198.51.100.0/24 -all",
		    "dangling include removed");
		CHECK(has(say(f->why), "§5.2"), "why: %s", say(f->why));
	}
	/* the included domain is at fault: its record is corrected */
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7", .domain = "inc-two.example" },
	    &r);
	if (f != NULL) {
		CHECK_STR(f->domain, "two.example", "the included domain");
		CHECK_STR(f->record,
		    "v=spf1 ip4:198.51.100.1 include:_spf.example.net -all",
		    "its records merged");
		CHECK(has(say(f->why), "included by inc-two.example"),
		    "why: %s", say(f->why));
		CHECK_STR(after(f), "fail", "then the top record fails");
		CHECK(f->lookups_after == 2, "include + its include (got %u)",
		    f->lookups_after);
	}
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7", .domain = "inc-bad.example" },
	    &r);
	if (f != NULL) {
		CHECK_STR(f->domain, "unknown.example", "included, bad syntax");
		CHECK_STR(f->record, "v=spf1 ip4:198.51.100.1 -all",
		    "its record repaired");
	}
	/* void lookups */
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7", .domain = "voids.example" },
	    &r);
	if (f != NULL) {
		CHECK(r.o.void_lookups > 2, "voids: over the limit");
		CHECK_STR(f->record, "v=spf1 ip4:198.51.100.1 -all",
		    "the void terms removed");
		CHECK(has(say(f->why), "a:n1.example") &&
		        has(say(f->why), "mx:n3.example"),
		    "why names them: %s", say(f->why));
	}
	/* more than 10 MX hosts */
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7", .domain = "mx-many.example" },
	    &r);
	if (f != NULL) {
		CHECK(f->record == NULL, "mx: no mechanical fix");
		CHECK(texts_msg_is(f->why, "spffix.mx_limit") &&
		        has(say(f->why), "11 MX hosts"),
		    "why: %s", say(f->why));
	}
	/* the same fixes whatever language the answer is read in */
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7",
	        .domain = "voids.example",
	        .lang = "ru" },
	    &r);
	if (f != NULL)
		CHECK(test_streq(f->record, "v=spf1 ip4:198.51.100.1 -all") &&
		        has(say(f->why), "a:n1.example"),
		    "voids, in Russian: the void terms removed: %s",
		    say(f->why));
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7",
	        .domain = "mx-many.example",
	        .lang = "ru" },
	    &r);
	if (f != NULL)
		CHECK(texts_msg_is(f->why, "spffix.mx_limit") &&
		        has(say(f->why), "11 MX-хостов"),
		    "mx, in Russian: %s", say(f->why));
}

static void
test_too_many(struct arena *a)
{
	struct tres r;
	const struct spffix *f;

	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7", .domain = "too-many.example" },
	    &r);
	if (f != NULL) {
		CHECK(r.o.lookups > 10, "too many: over the limit");
		CHECK_STR(f->record, "v=spf1 include:big.example -all",
		    "repeat and ptr removed");
		CHECK(f->lookups_after == 5, "then 5 (got %u)",
		    f->lookups_after);
		CHECK(has(say(f->why), "11 DNS lookups") &&
		        has(say(f->why), "repeated") &&
		        has(say(f->why), "§5.5"),
		    "why: %s", say(f->why));
	}
	/* the client's confirmed name is under the domain: ptr → ip4 */
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7",
	        .domain = "ptr-many.example",
	        .ptr = "mail.ptr-many.example" },
	    &r);
	if (f != NULL) {
		CHECK_STR(f->record,
		    "v=spf1 include:big.example ip4:192.0.2.7 -all",
		    "ptr replaced by the client's address");
		CHECK_STR(f->added, "ip4:192.0.2.7", "added");
		CHECK_STR(after(f), "pass", "then it passes");
	}
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7",
	        .domain = "way-too-many.example" },
	    &r);
	if (f != NULL) {
		CHECK(f->record == NULL, "no mechanical fix");
		CHECK(f->lookups_after == 11, "11 (got %u)", f->lookups_after);
		CHECK(has(say(f->why),
		          "include:big.example (5 lookups), "
		          "include:big2.example (5), mx (1)"),
		    "the costliest named: %s", say(f->why));
	}
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7",
	        .domain = "way-too-many.example",
	        .lang = "ru" },
	    &r);
	if (f != NULL)
		CHECK(has(say(f->why), "11 DNS-запросов") &&
		        has(say(f->why), "(5 DNS-запросов)"),
		    "Russian: %s", say(f->why));
	/* a loop: named, no count that could mislead */
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7", .domain = "loop.example" }, &r);
	if (f != NULL) {
		CHECK(r.o.result == SPF_PERMERROR && f->record == NULL,
		    "loop: no mechanical fix");
		CHECK(has(say(f->why), "a loop") &&
		        has(say(f->why), "loop.example"),
		    "loop: why: %s", say(f->why));
	}
	/* exists: with a macro counts one; the total is exact here */
	f = fix(a,
	    &(struct tcase){ .ip = "192.0.2.7",
	        .domain = "macro-many.example" },
	    &r);
	if (f != NULL)
		CHECK(f->lookups_after == 11 &&
		        has(say(f->why), "11 DNS lookups"),
		    "macro: 11: %s", say(f->why));
	/* an include target the fix has not seen yet is asked for */
	run(a,
	    &(struct tcase){ .ip = "192.0.2.7",
	        .domain = "way-too-many.example",
	        .hide = "b8.example" },
	    &r);
	CHECK(r.st == SPFFIX_PENDING && r.npending == 1 &&
	        strcmp(r.pending[0].name, "b8.example") == 0,
	    "too many: the unseen include target is asked for");
	run(a,
	    &(struct tcase){ .ip = "192.0.2.7",
	        .domain = "way-too-many.example",
	        .hide = "b8.example",
	        .final = true },
	    &r);
	if (CHECK(r.st == SPFFIX_DONE && r.fix != NULL, "final: done"))
		CHECK(r.fix->lookups_after == 11 &&
		        has(say(r.fix->why), "at least 11"),
		    "final: counted as one, \"at least\": %s", say(r.fix->why));
}

int
main(void)
{
	struct arena *a = arena_new();
	char *err = NULL;

	if (!CHECK(texts_load("rules", &test_texts, &err) == 0 &&
	            texts_load_messages(test_texts, "rules/messages.json",
	                &err) == 0 &&
	            mailprov_load("rules/providers.json", a, &test_providers,
	                &err) == 0,
	        "the shipped texts and providers load: %s",
	        err != NULL ? err : "")) {
		free(err);
		texts_free(test_texts);
		arena_free(a);
		return test_done();
	}
	test_arena = a;
	test_names();
	test_fail(a);
	test_provider(a);
	test_operator_provider(a);
	test_limit(a);
	test_none(a);
	test_no_fix(a);
	test_permerror(a);
	test_too_many(a);
	texts_free(test_texts);
	arena_free(a);
	return test_done();
}
