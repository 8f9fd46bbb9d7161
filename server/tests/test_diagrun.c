/* SPDX-License-Identifier: MIT */
/*
 * test_diagrun.c - a diagnosis and its live checks, through the real path
 *
 * The shipped catalog diagnoses the text; the table (checks.c) decides
 * which checks it calls for; the SPF check runs through spfcheck, the
 * resolver and c-ares against the fixture DNS server on 127.0.0.1. Shown
 * here: a diagnosis that calls for SPF is done once with the SPF result
 * (from the loop when it had to wait, at once from a warm cache, and
 * then done is not called); one that calls for nothing, or is asked for
 * no check, is done when diagrun_start returns; the deadline ends a
 * check that waits for a slow server with not_checked; runs started
 * together go on together; a run freed while it waits is never heard of
 * again; while the DNS canary finds the resolver lying, no check starts
 * and none asks anything (the diagnosis's run and a run of checkrun.h
 * alone, as GET /api/v1/check makes), every check reporting not checked
 * with dns.unchecked.resolver, and once it answers correctly again the
 * checks run. The fixture counts what reached it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_spf.h"
#include "checks.h"
#include "checkrun.h"
#include "diagrun.h"
#include "dnscanary.h"
#include "dnsfix.h"
#include "log.h"
#include "report.h"
#include "text.h"
#include "test.h"
#include "texts_msg.h"

#define AUTH_FAIL "550 5.7.1 192.0.2.7 is not allowed to send mail from "

struct env {
	struct evloop *loop;
	struct dnsfix *fix;
	struct resolver *res;
	struct ruleset *rules;
	struct diag_env denv;
	struct diagrun_env renv;
	struct check_env cenv;
};

struct got {
	struct evloop *loop;
	int calls;
	int *left; /* runs still to come; the loop stops at 0 */
};

static void
got_done(struct diagrun *run, void *arg)
{
	struct got *g = arg;

	(void)run;
	g->calls++;
	if (g->left != NULL && --*g->left == 0)
		evloop_stop(g->loop);
}

static int
env_init(struct env *e)
{
	struct dnsfix_zone *z;
	struct dnsfix_behaviour slow = { .delay_ms = 3000 };
	char *err = NULL;

	memset(e, 0, sizeof(*e));
	if (!CHECK(rules_load("rules", TEST_RULES_FLAGS, &e->rules, &err) == 0,
	        "the catalog loads %s", err != NULL ? err : "")) {
		free(err);
		return -1;
	}
	e->loop = evloop_new();
	if ((e->fix = test_dnsfix_new(e->loop)) == NULL)
		return -1;
	z = dnsfix_zone_new();
	(void)dnsfix_add_txt(z, "example.com", 300,
	    "v=spf1 ip4:198.51.100.0/24 -all");
	(void)dnsfix_add_txt(z, "example.net", 300,
	    "v=spf1 ip4:192.0.2.7 -all");
	/* 192.0.2.7 is Google's, confirmed: the fix is verified */
	(void)dnsfix_add_txt(z, "_spf.google.com", 300,
	    "v=spf1 include:_netblocks.google.com ~all");
	(void)dnsfix_add_txt(z, "_netblocks.google.com", 300,
	    "v=spf1 ip4:192.0.2.0/25 ~all");
	(void)dnsfix_add_ptr(z, "7.2.0.192.in-addr.arpa", 300,
	    "mail-wr1-f41.google.com");
	(void)dnsfix_add_a(z, "mail-wr1-f41.google.com", 300, "192.0.2.7");
	(void)dnsfix_add_txt(z, "slow.example.com", 300, "v=spf1 -all");
	(void)dnsfix_zone_behaviour(z, "slow.example.com", &slow);
	dnsfix_set_zone(e->fix, &z);
	if ((e->res = test_resolver_for(e->loop, e->fix, 1000, 1)) == NULL)
		return -1;
	e->denv = (struct diag_env){ e->rules, NULL };
	e->cenv = (struct check_env){ e->denv.rules, NULL, NULL };
	e->renv = (struct diagrun_env){ &e->denv, { e->loop, e->res, 50, NULL },
		&e->cenv };
	return 0;
}

static void
env_clear(struct env *e)
{
	resolver_free(e->res);
	dnsfix_free(e->fix);
	evloop_free(e->loop);
	rules_free(e->rules);
}

static struct diagrun_opts
opts(unsigned deadline_ms)
{
	struct diagrun_opts o = { LANG_EN, 0, deadline_ms, 0 };

	(void)checks_parse("auto", &o.checks);
	return o;
}

/* wait - run the loop until left runs are done, at most 10 s */
static void
wait(struct env *e, int *left)
{
	if (*left > 0)
		(void)evloop_run_for(e->loop, 10000);
}

/* spf - the SPF check's result of a done run (an authentication
 * refusal also calls for DMARC), or NULL */
static const struct check_result *
spf(const struct diagrun *run)
{
	size_t n;
	const struct check_result *c = diagrun_checks(run, &n);

	for (size_t i = 0; i < n; i++) {
		if (c[i].kind == &check_spf_kind)
			return &c[i];
	}
	return NULL;
}

/* json_has - does the run's JSON answer hold s? */
static bool
json_has(const struct diagrun *run, const char *s)
{
	size_t n, len;
	const struct check_result *c = diagrun_checks(run, &n);
	char *json = report_diagnosis(diagrun_diag(run), c, n, &len);
	bool found = json != NULL && strstr(json, s) != NULL;

	free(json);
	return found;
}

static void
table(struct env *e)
{
	unsigned sel = 99;
	struct check_in in = { 0 };
	struct diag *d;

	CHECK(checks_count() >= 1 && checks_kind(0) == &check_spf_kind &&
	        strcmp(checks_kind(0)->name, "spf") == 0,
	    "the table starts with the SPF check");
	CHECK(checks_parse("auto", &sel) == 0 &&
	        sel == (1u << checks_count()) - 1,
	    "auto selects every check of the table");
	CHECK(checks_parse(NULL, &sel) == 0 &&
	        sel == (1u << checks_count()) - 1,
	    "no value is auto");
	CHECK(checks_parse("none", &sel) == 0 && sel == 0,
	    "none selects no check");
	CHECK(checks_parse("spf", &sel) == -1 && checks_parse("", &sel) == -1,
	    "anything else is refused");

	d = diag_new(&e->denv, span_cstr(AUTH_FAIL "example.com"), LANG_EN, 0);
	if (CHECK(checks_wanted(0, d, &in),
	        "an authentication refusal with IP and domain calls for SPF")) {
		CHECK(in.why == &d->results[0], "the result that called");
		CHECK_STR(in.sending_ip, "192.0.2.7", "its IP");
		CHECK_STR(in.sender_domain, "example.com", "its sender domain");
	}
	diag_free(d);
	d = diag_new(&e->denv, span_cstr("550 5.7.1 SPF check failed"), LANG_EN,
	    0);
	CHECK(d->results[0].reason->name != NULL &&
	        strcmp(d->results[0].reason->name, "authfailure") == 0 &&
	        !checks_wanted(0, d, &in),
	    "an authentication refusal without the IP does not");
	diag_free(d);
	d = diag_new(&e->denv,
	    span_cstr("452 4.2.2 The email account that you tried to reach "
	              "is over quota."),
	    LANG_EN, 0);
	CHECK(!checks_wanted(0, d, &in), "a full mailbox does not");
	diag_free(d);
}

static void
spf_runs(struct env *e)
{
	struct diagrun_opts o = opts(5000);
	struct got g = { .loop = e->loop };
	int left = 1;
	struct diagrun *run;
	const struct check_result *c;
	const struct check_spf_result *s;

	g.left = &left;
	run = diagrun_start(&e->renv, span_cstr(AUTH_FAIL "example.com"), &o,
	    got_done, &g);
	CHECK(!diagrun_is_done(run) && g.calls == 0,
	    "cold: not done when start returns, done not called yet");
	wait(e, &left);
	CHECK(g.calls == 1 && diagrun_is_done(run), "cold: done once");
	if (CHECK((c = spf(run)) != NULL, "cold: one check, SPF")) {
		s = c->data;
		CHECK(c->unchecked == NULL && s->outcome->result == SPF_FAIL,
		    "cold: fail, checked");
		CHECK_STR(s->query.ip, "192.0.2.7", "cold: the IP asked");
		CHECK_STR(s->ptr, "mail-wr1-f41.google.com", "cold: PTR");
		CHECK(s->fix != NULL && s->fix->verified &&
		        s->fix->result_after == SPF_PASS,
		    "cold: a fix that passes");
		CHECK(c->verified_step != NULL &&
		        strstr(c->verified_step, "include:_spf.google.com") !=
		            NULL,
		    "cold: the verified step names the include: %s",
		    c->verified_step != NULL ? c->verified_step : "(null)");
		CHECK_STR(c->replaces, "spf_record", "cold: it replaces");
		CHECK(json_has(run,
		          "\"checks\":{\"spf\":{\"status\":\"checked\","
		          "\"summary\":\"The receiver's verdict holds now: the "
		          "SPF record of example.com does not allow 192.0.2.7 "
		          "(fail).\",\"ip\":\"192.0.2.7\""),
		    "cold: the answer has checks.spf, checked, the bounce's "
		    "claim confirmed");
	}
	diagrun_free(run);

	/* the same again: every answer from the cache */
	g.calls = 0;
	left = 1;
	run = diagrun_start(&e->renv, span_cstr(AUTH_FAIL "example.com"), &o,
	    got_done, &g);
	CHECK(diagrun_is_done(run) && g.calls == 0,
	    "warm: done when start returns, done never called");
	CHECK((c = spf(run)) != NULL && c->unchecked == NULL &&
	        c->verified_step != NULL,
	    "warm: the same result");
	(void)evloop_run_for(e->loop, 50);
	CHECK(g.calls == 0, "warm: nor later");
	diagrun_free(run);
	CHECK(dnsfix_queries(e->fix, "example.com", DNSMSG_T_TXT) == 1,
	    "the record was asked once for both");
}

static void
no_checks(struct env *e)
{
	struct diagrun_opts o = opts(5000);
	struct diagrun_env none = e->renv;
	struct got g = { .loop = e->loop };
	struct diagrun *run;
	size_t n = 99;

	run = diagrun_start(&e->renv,
	    span_cstr("452 4.2.2 The email account that you tried to reach is "
	              "over quota."),
	    &o, got_done, &g);
	CHECK(diagrun_is_done(run) && g.calls == 0 &&
	        diagrun_checks(run, &n) != NULL && n == 0,
	    "a full mailbox calls for nothing: done at once, no check");
	CHECK(json_has(run, "\"checks\":{}"), "checks is empty");
	diagrun_free(run);

	(void)checks_parse("none", &o.checks);
	run = diagrun_start(&e->renv, span_cstr(AUTH_FAIL "example.org"), &o,
	    got_done, &g);
	(void)diagrun_checks(run, &n);
	CHECK(diagrun_is_done(run) && n == 0,
	    "checks none: done at once, no check");
	diagrun_free(run);

	o = opts(5000);
	none.run.resolver = NULL;
	none.run.loop = NULL;
	run = diagrun_start(&none, span_cstr(AUTH_FAIL "example.org"), &o,
	    got_done, &g);
	(void)diagrun_checks(run, &n);
	CHECK(diagrun_is_done(run) && n == 0,
	    "no resolver: done at once, no check");
	diagrun_free(run);
	CHECK(g.calls == 0 &&
	        dnsfix_queries(e->fix, "example.org", DNSMSG_T_TXT) == 0,
	    "nothing was asked, done never called");

	o.repaired = TEXT_ANOM_UTF8;
	run = diagrun_start(&e->renv, span_cstr("550 5.1.1 user unknown"), &o,
	    got_done, &g);
	CHECK(diagrun_diag(run)->bounce.anomalies & BOUNCE_ANOM_UTF8,
	    "what was repaired before is the diagnosis's anomaly");
	diagrun_free(run);
}

static void
deadline(struct env *e)
{
	struct diagrun_opts o = opts(300);
	struct got g = { .loop = e->loop };
	int left = 1;
	struct diagrun *run;
	const struct check_result *c;
	uint64_t t0 = evloop_now_ms(), took;

	g.left = &left;
	run = diagrun_start(&e->renv, span_cstr(AUTH_FAIL "slow.example.com"),
	    &o, got_done, &g);
	CHECK(!diagrun_is_done(run), "slow: waits");
	wait(e, &left);
	took = evloop_now_ms() - t0;
	CHECK(g.calls == 1, "slow: done once");
	CHECK(took >= 290 && took < 2500, "slow: at the deadline (%llu ms)",
	    (unsigned long long)took);
	if (CHECK((c = spf(run)) != NULL, "slow: the SPF check reports")) {
		const struct check_spf_result *s = c->data;

		CHECK(texts_msg_is(c->unchecked, "dns.unchecked.deadline"),
		    "slow: not checked, for the deadline: %s",
		    c->unchecked != NULL ? c->unchecked->id : "(null)");
		CHECK(s->outcome->result == SPF_TEMPERROR &&
		        c->verified_step == NULL,
		    "slow: temperror, nothing verified");
		CHECK(json_has(run,
		          "\"spf\":{\"status\":\"not_checked\","
		          "\"not_checked_reason\":"),
		    "slow: the answer says not_checked and why");
	}
	diagrun_free(run);
}

static void
together(struct env *e)
{
	struct diagrun_opts fast = opts(5000), slow = opts(400);
	struct got gf = { .loop = e->loop }, gs = { .loop = e->loop };
	int left = 2;
	struct diagrun *rf, *rs;

	gf.left = gs.left = &left;
	rs = diagrun_start(&e->renv, span_cstr(AUTH_FAIL "slow.example.com"),
	    &slow, got_done, &gs);
	rf = diagrun_start(&e->renv, span_cstr(AUTH_FAIL "example.net"), &fast,
	    got_done, &gf);
	CHECK(!diagrun_is_done(rs) && !diagrun_is_done(rf),
	    "two runs wait together");
	wait(e, &left);
	CHECK(gf.calls == 1 && gs.calls == 1, "both done once");
	CHECK(spf(rf) != NULL && spf(rf)->unchecked == NULL &&
	        ((const struct check_spf_result *)spf(rf)->data)
	                ->outcome->result == SPF_PASS,
	    "the fast one passed, not held back by the slow one");
	CHECK(spf(rs) != NULL && spf(rs)->unchecked != NULL,
	    "the slow one ended at its own deadline");
	diagrun_free(rf);
	diagrun_free(rs);

	/* freed while it waits: done never comes, nothing is left behind */
	gs.calls = 0;
	gs.left = NULL;
	rs = diagrun_start(&e->renv, span_cstr(AUTH_FAIL "slow.example.com"),
	    &fast, got_done, &gs);
	CHECK(!diagrun_is_done(rs), "dropped: it waits");
	diagrun_free(rs);
	(void)evloop_run_for(e->loop, 500);
	CHECK(gs.calls == 0, "dropped: done never called");
}

/* canary_probed - dnscanary_probed_fn: stop the loop */
static void
canary_probed(struct dnscanary *c, void *arg)
{
	(void)c;
	evloop_stop(arg);
}

/* canary_after - a canary on the root, once it has had its answer */
static struct dnscanary *
canary_after(struct env *e)
{
	struct dnscanary_config cc = { ".", 600000, 1000, canary_probed,
		e->loop };
	struct dnscanary *c = dnscanary_new(e->loop, e->res, &cc);

	(void)evloop_run_for(e->loop, 5000);
	return c;
}

static void
canary(struct env *e)
{
	struct dnsfix_behaviour nx = { .nxdomain = true };
	struct diagrun_opts o = opts(5000);
	struct got g = { .loop = e->loop };
	struct dnscanary *lying, *honest;
	struct diagrun *run;
	const struct check_result *c;
	struct arena *a = arena_new();
	struct checkrun *cr;
	struct check_in in = { 0 };
	size_t n = 0;

	dnsfix_set_behaviour(e->fix, &nx);
	lying = canary_after(e);
	CHECK(!dnscanary_healthy(lying), "the canary finds the resolver lying");
	e->renv.run.canary = lying;
	dnsfix_reset_counts(e->fix);
	run = diagrun_start(&e->renv, span_cstr(AUTH_FAIL "example.org"), &o,
	    got_done, &g);
	CHECK(diagrun_is_done(run) && g.calls == 0,
	    "failing canary: done when start returns, done never called");
	if (CHECK((c = spf(run)) != NULL, "failing canary: SPF reports")) {
		CHECK(texts_msg_is(c->unchecked, "dns.unchecked.resolver") &&
		        c->data == NULL && c->verified_step == NULL,
		    "not checked for the resolver, without data: %s",
		    c->unchecked != NULL ? c->unchecked->id : "(null)");
		CHECK(c->unchecked != NULL && c->unchecked->nargs == 1 &&
		        texts_msg_is(c->unchecked->args[0].msg,
		            "dns.canary.nxdomain_root"),
		    "the canary's reason in it");
		CHECK(json_has(run,
		          "\"checks\":{\"spf\":{\"status\":\"not_checked\","
		          "\"not_checked_reason\":\"the DNS resolver is not "
		          "answering correctly (NXDOMAIN for the root zone, "
		          "which always exists), so nothing it says is "
		          "evidence\"},"),
		    "the answer: status and reason only, no finding");
	}
	diagrun_free(run);

	/* a run of checks alone, as GET /api/v1/check makes */
	in.env = &e->cenv;
	in.sending_ip = "192.0.2.7";
	in.sender_domain = in.domain = "example.org";
	cr = checkrun_new(&e->renv.run, a);
	CHECK(checkrun_add(cr, &check_spf_kind, &in), "checkrun: SPF added");
	checkrun_go(cr, 5000, NULL, NULL);
	c = checkrun_results(cr, &n);
	CHECK(checkrun_is_done(cr) && n == 1 && c[0].kind == &check_spf_kind &&
	        texts_msg_is(c[0].unchecked, "dns.unchecked.resolver") &&
	        c[0].data == NULL,
	    "checkrun: done at once, the check not checked");
	checkrun_free(cr);
	(void)evloop_run_for(e->loop, 50);
	CHECK(dnsfix_queries(e->fix, NULL, 0) == 0,
	    "no check asked anything (%lu queries)",
	    dnsfix_queries(e->fix, NULL, 0));

	dnsfix_set_behaviour(e->fix, NULL);
	honest = canary_after(e);
	e->renv.run.canary = honest;
	CHECK(dnscanary_healthy(honest),
	    "the resolver answers correctly again");
	g.calls = 0;
	{
		int left = 1;

		g.left = &left;
		run = diagrun_start(&e->renv,
		    span_cstr(AUTH_FAIL "example.org"), &o, got_done, &g);
		if (!diagrun_is_done(run))
			wait(e, &left);
	}
	CHECK((c = spf(run)) != NULL && c->data != NULL &&
	        !texts_msg_is(c->unchecked, "dns.unchecked.resolver"),
	    "healthy canary: the check runs");
	CHECK(dnsfix_queries(e->fix, "example.org", DNSMSG_T_TXT) == 1,
	    "and asks the server");
	diagrun_free(run);
	e->renv.run.canary = NULL;
	dnscanary_free(lying);
	dnscanary_free(honest);
	arena_free(a);
}

int
main(void)
{
	struct env e;

	/* the canary logs each change of state; the tests read the state */
	log_init(LOG_FATAL);
	if (env_init(&e) == 0) {
		table(&e);
		spf_runs(&e);
		no_checks(&e);
		deadline(&e);
		together(&e);
		canary(&e);
	}
	env_clear(&e);
	return test_done();
}
