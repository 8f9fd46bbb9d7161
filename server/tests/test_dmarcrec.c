/* SPDX-License-Identifier: MIT */
/*
 * test_dmarcrec.c - DMARC records (RFC 7489 §6.3, §6.4, §6.6.3): which
 * TXT records are DMARC, and a table of records with their policy, their
 * options and the findings' message ids, in order; every finding worded
 * in every shipped language
 */
#include <stdio.h>
#include <string.h>

#include "dmarcrec.h"
#include "texts.h"
#include "finding.h"
#include "texts_msg.h"
#include "test.h"

#define P_UNSET DMARCREC_P_UNSET
#define P_NONE  DMARCREC_P_NONE
#define P_QUAR  DMARCREC_P_QUARANTINE
#define P_REJ   DMARCREC_P_REJECT
#define R       DMARCREC_RELAXED
#define S       DMARCREC_STRICT

static const struct {
	const char *txt;
	enum dmarcrec_kind kind;
} kinds[] = {
	{ "v=DMARC1", DMARCREC_DMARC1 },
	{ "v=DMARC1;p=none", DMARCREC_DMARC1 },
	{ "v = DMARC1 ; p=none", DMARCREC_DMARC1 },
	{ "v=DMARC1\tp=none", DMARCREC_DMARC1 },
	{ "V=DMARC1; p=none", DMARCREC_DMARC1 },
	{ "v=dmarc1; p=none", DMARCREC_LOOKALIKE },
	{ "v=DMARC10; p=none", DMARCREC_LOOKALIKE },
	{ "v=DMARC2", DMARCREC_LOOKALIKE },
	{ " v=DMARC1; p=none", DMARCREC_LOOKALIKE },
	{ "v=spf1 -all", DMARCREC_OTHER },
	{ "google-site-verification=abc", DMARCREC_OTHER },
	{ "p=reject; v=DMARC1", DMARCREC_OTHER },
	{ "", DMARCREC_OTHER },
};

/* One record: what it parses to. ids: the findings' message ids, in
 * order, separated by spaces. */
struct rec_case {
	const char *name;
	const char *text;
	bool usable, assumed;
	enum dmarcrec_policy p, sp;
	enum dmarcrec_align adkim, aspf;
	unsigned pct;
	size_t nrua, nruf;
	const char *ids;
};

static const struct rec_case recs[] = {
	{ "valid", "v=DMARC1; p=reject; rua=mailto:d@example.com", true, false,
	    P_REJ, P_UNSET, R, R, 100, 1, 0, "" },
	{ "every tag",
	    "v=DMARC1; p=quarantine; sp=reject; adkim=s; aspf=s; pct=50; "
	    "rua=mailto:a@example.com,mailto:b@example.net!10m; "
	    "ruf=mailto:f@example.com; fo=1:d; rf=afrf; ri=3600",
	    true, false, P_QUAR, P_REJ, S, S, 50, 2, 1, "" },
	{ "p missing, rua valid: p=none", "v=DMARC1; rua=mailto:d@example.com",
	    true, true, P_NONE, P_UNSET, R, R, 100, 1, 0,
	    "dmarc.syntax.no_p dmarc.syntax.as_none" },
	{ "p missing, no rua: unusable", "v=DMARC1", false, false, P_UNSET,
	    P_UNSET, R, R, 100, 0, 0,
	    "dmarc.syntax.no_p dmarc.syntax.unusable" },
	{ "bad p, rua valid: p=none",
	    "v=DMARC1; p=block; sp=reject; rua=mailto:d@example.com", true,
	    true, P_NONE, P_UNSET, R, R, 100, 1, 0,
	    "dmarc.syntax.bad_policy dmarc.syntax.as_none" },
	{ "bad p, rua invalid: unusable",
	    "v=DMARC1; p=block; rua=d@example.com", false, false, P_UNSET,
	    P_UNSET, R, R, 100, 0, 0,
	    "dmarc.syntax.bad_policy dmarc.syntax.bad_uri "
	    "dmarc.syntax.unusable" },
	{ "bad sp, rua valid: p=none",
	    "v=DMARC1; p=reject; sp=deny; rua=mailto:d@example.com", true, true,
	    P_NONE, P_UNSET, R, R, 100, 1, 0,
	    "dmarc.syntax.bad_policy dmarc.syntax.as_none" },
	{ "empty sp", "v=DMARC1; p=reject; sp=; rua=mailto:d@example.com", true,
	    true, P_NONE, P_UNSET, R, R, 100, 1, 0,
	    "dmarc.syntax.empty dmarc.syntax.as_none" },
	{ "uppercase names and values",
	    "v=DMARC1; P=REJECT; SP=Quarantine; ADKIM=S; Aspf=R; PCT=070; "
	    "RUA=MAILTO:D@EXAMPLE.COM; FO=D:S; RF=AFRF",
	    true, false, P_REJ, P_QUAR, S, R, 70, 1, 0, "" },
	{ "white space",
	    "v = DMARC1 ;  p = reject ;\t rua = mailto:a@example.com "
	    ",  mailto:b@example.com ;\r\n aspf = s ;;",
	    true, false, P_REJ, P_UNSET, R, S, 100, 2, 0, "" },
	{ "unknown tags",
	    "v=DMARC1; p=none; foo=bar; np=reject; psd=n; t=y; "
	    "rua=mailto:a@example.com",
	    true, false, P_NONE, P_UNSET, R, R, 100, 1, 0,
	    "dmarc.syntax.unknown_tag" },
	{ "duplicate tag: the first",
	    "v=DMARC1; p=reject; p=none; rua=mailto:a@example.com; "
	    "rua=mailto:b@example.com",
	    true, false, P_REJ, P_UNSET, R, R, 100, 1, 0,
	    "dmarc.syntax.duplicate dmarc.syntax.duplicate" },
	{ "duplicate v", "v=DMARC1; v=DMARC1; p=none", true, false, P_NONE,
	    P_UNSET, R, R, 100, 0, 0,
	    "dmarc.syntax.duplicate dmarc.syntax.p_not_second" },
	{ "p not second", "v=DMARC1; rua=mailto:a@example.com; p=reject", true,
	    false, P_REJ, P_UNSET, R, R, 100, 1, 0,
	    "dmarc.syntax.p_not_second" },
	{ "bad option values",
	    "v=DMARC1; p=none; adkim=x; aspf=; pct=101; ri=abc; fo=2; "
	    "rf=iodef; rua=mailto:a@example.com",
	    true, false, P_NONE, P_UNSET, R, R, 100, 1, 0,
	    "dmarc.syntax.bad_align dmarc.syntax.empty dmarc.syntax.bad_pct "
	    "dmarc.syntax.bad_ri dmarc.syntax.bad_fo dmarc.syntax.bad_rf" },
	{ "pct out of form", "v=DMARC1; p=reject; pct=1000; pct=5", true, false,
	    P_REJ, P_UNSET, R, R, 100, 0, 0,
	    "dmarc.syntax.bad_pct dmarc.syntax.duplicate" },
	{ "pct 0", "v=DMARC1; p=reject; pct=0", true, false, P_REJ, P_UNSET, R,
	    R, 0, 0, 0, "" },
	{ "bad URIs",
	    "v=DMARC1; p=reject; rua=dmarc@example.com, mailto:, "
	    "mailto:a@example.com!10x, mailto:@example.com, "
	    "https://example.com/dmarc, mailto:b@example.com!5g",
	    true, false, P_REJ, P_UNSET, R, R, 100, 2, 0,
	    "dmarc.syntax.bad_uri dmarc.syntax.bad_uri dmarc.syntax.bad_uri "
	    "dmarc.syntax.bad_uri" },
	{ "size beyond 64 bits",
	    "v=DMARC1; p=reject; rua=mailto:a@example.com!18446744073709551616",
	    true, false, P_REJ, P_UNSET, R, R, 100, 0, 0,
	    "dmarc.syntax.bad_uri" },
	{ "too many URIs",
	    "v=DMARC1; p=reject; rua=mailto:1@e.example,mailto:2@e.example,"
	    "mailto:3@e.example,mailto:4@e.example,mailto:5@e.example,"
	    "mailto:6@e.example,mailto:7@e.example,mailto:8@e.example,"
	    "mailto:9@e.example,mailto:10@e.example",
	    true, false, P_REJ, P_UNSET, R, R, 100, DMARCREC_MAX_URIS, 0,
	    "dmarc.syntax.too_many_uris" },
	{ "bad specs",
	    "v=DMARC1; p=reject; junk; 1x=2; rua=mailto:a@example.com", true,
	    false, P_REJ, P_UNSET, R, R, 100, 1, 0,
	    "taglist.no_equals taglist.tag_name" },
	{ "not DMARC", "v=spf1 -all", false, false, P_UNSET, P_UNSET, R, R, 100,
	    0, 0, "dmarc.syntax.version" },
	{ "version in small letters", "v=dmarc1; p=reject", false, false,
	    P_UNSET, P_UNSET, R, R, 100, 0, 0, "dmarc.syntax.version" },
};

static void
check_rec(struct arena *a, const struct texts *t, const struct rec_case *c)
{
	struct dmarcrec r;

	dmarcrec_parse(a, span_cstr(c->text), &r);
	CHECK(r.usable == c->usable && r.p_assumed == c->assumed,
	    "%s: usable %d, p assumed %d", c->name, r.usable, r.p_assumed);
	CHECK(r.p == c->p && r.sp == c->sp, "%s: p=%s sp=%s", c->name,
	    dmarcrec_policy_str(r.p) != NULL ? dmarcrec_policy_str(r.p) : "-",
	    dmarcrec_policy_str(r.sp) != NULL ? dmarcrec_policy_str(r.sp) :
	                                        "-");
	CHECK(r.adkim == c->adkim && r.aspf == c->aspf && r.pct == c->pct,
	    "%s: adkim=%s aspf=%s pct=%u", c->name, dmarcrec_align_str(r.adkim),
	    dmarcrec_align_str(r.aspf), r.pct);
	CHECK(r.nrua == c->nrua && r.nruf == c->nruf, "%s: %zu rua, %zu ruf",
	    c->name, r.nrua, r.nruf);
	CHECK_STR(test_findings_str(a, &r.findings, true), c->ids, c->name);
	if (t != NULL && r.findings.n > 0)
		(void)test_findings_worded(t, &r.findings, c->name);
}

int
main(void)
{
	struct arena *a = arena_new();
	struct texts *t = test_texts_shipped();
	struct dmarcrec r;
	char *huge;

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		CHECK(dmarcrec_kind(span_cstr(kinds[i].txt)) == kinds[i].kind,
		    "kind of \"%s\"", kinds[i].txt);
	for (size_t i = 0; i < sizeof(recs) / sizeof(recs[0]); i++)
		check_rec(a, t, &recs[i]);

	/* the values kept */
	dmarcrec_parse(a,
	    SPAN_LIT("v=DMARC1; p=reject; rua=mailto:a@example.com!10m, "
	             "mailto:b@example.com; fo=1:d; rf=afrf; ri=3600"),
	    &r);
	CHECK_STR(r.rua[0], "mailto:a@example.com!10m", "rua[0] as written");
	CHECK_STR(r.rua[1], "mailto:b@example.com", "rua[1]");
	CHECK_STR(r.fo, "1:d", "fo");
	CHECK(r.ri == 3600, "ri");
	dmarcrec_parse(a, SPAN_LIT("v=DMARC1; p=none"), &r);
	CHECK_STR(r.fo, "0", "fo default");
	CHECK_STR(r.rf, "afrf", "rf default");
	CHECK(r.ri == 86400, "ri default");

	/* a huge record is not read */
	huge = arena_alloc(a, 2 * DMARCREC_MAX_LEN);
	memset(huge, 'x', 2 * DMARCREC_MAX_LEN);
	memcpy(huge, "v=DMARC1; p=reject; a=", 22);
	dmarcrec_parse(a, span_make(huge, 2 * DMARCREC_MAX_LEN), &r);
	CHECK(!r.usable && r.findings.n == 1 &&
	        texts_msg_is(r.findings.v[0].msg, "dmarc.syntax.too_long") &&
	        r.findings.v[0].msg->n == 2 * DMARCREC_MAX_LEN,
	    "huge: too long, not read");
	if (t != NULL)
		(void)test_findings_worded(t, &r.findings, "huge");
	/* at the limit it is: many unknown tags */
	dmarcrec_parse(a, span_make(huge, DMARCREC_MAX_LEN), &r);
	CHECK(r.usable && r.p == DMARCREC_P_REJECT && r.findings.n == 1,
	    "at the limit: read");

	/* any bytes */
	dmarcrec_parse(a, SPAN_LIT("v=DMARC1; p=re\0ect; \xff=\x01"), &r);
	CHECK(!r.usable, "NUL and high bytes: not usable, no crash");

	CHECK(dmarcrec_policy_str(DMARCREC_P_UNSET) == NULL &&
	        strcmp(dmarcrec_policy_str(DMARCREC_P_QUARANTINE),
	            "quarantine") == 0,
	    "policy names");
	texts_free(t);
	arena_free(a);
	return test_done();
}
