/* SPDX-License-Identifier: MIT */
/*
 * test_spf_suite.c - the RFC 7208 and RFC 4408 conformance suites, run
 * through the real path
 *
 * The suites under ../shared/spf-testsuite/ are read as they are (libyaml). Each scenario's
 * zonedata becomes the zone of the fixture DNS server on 127.0.0.1
 * (dnsfix.c); a resolver pointed at it (c-ares, resolver.c) answers the
 * SPF check (spfcheck.c driving spf.c). A test passes when the result is
 * one of those the suite accepts and, where the suite gives one, the
 * explanation matches ("DEFAULT": the default explanation). Each scenario
 * gets a fresh resolver, so no cache crosses zones. The TIMEOUT marker
 * costs one short DNS timeout per test that meets it.
 * Usage: test_spf_suite [SUITE.yml ...] (default: both suites).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "dnsfix.h"
#include "resolver.h"
#include "spfcheck.h"
#include "spfrecord.h"
#include "test.h"
#include "texts_msg.h"

#define SUITE_DNS_TIMEOUT_MS 150

struct suite_ctx {
	struct evloop *loop;
	struct dnsfix *fix;
	yaml_document_t *doc;
	const char *suite;
	int passed, failed;
};

static yaml_node_t *
suite_get(yaml_document_t *d, yaml_node_t *map, const char *key)
{
	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(d, p->key);

		if (k != NULL && k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, key) == 0)
			return yaml_document_get_node(d, p->value);
	}
	return NULL;
}

/* suite_str - a scalar's text and length (may hold NUL), or NULL */
static const char *
suite_str(yaml_node_t *n, size_t *len_out)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return NULL;
	if (len_out != NULL)
		*len_out = n->data.scalar.length;
	return (const char *)n->data.scalar.value;
}

/* suite_strings - TXT/SPF value: one string, or a list of strings (one
 * record), [] a record without strings */
static void
suite_add_strings(struct suite_ctx *c, struct dnsfix_zone *z, const char *name,
    uint16_t type, yaml_node_t *v)
{
	struct span parts[64];
	size_t n = 0, len = 0;
	const char *s;

	if (v->type == YAML_SCALAR_NODE) {
		s = suite_str(v, &len);
		if (type == DNSMSG_T_TXT && strcmp(s, "NONE") == 0) {
			(void)dnsfix_add_txt_none(z, name);
			return;
		}
		parts[n++] = span_make(s, len);
	} else if (v->type == YAML_SEQUENCE_NODE) {
		for (yaml_node_item_t *i = v->data.sequence.items.start;
		     i < v->data.sequence.items.top && n < 64; i++) {
			s = suite_str(yaml_document_get_node(c->doc, *i), &len);
			if (s != NULL)
				parts[n++] = span_make(s, len);
		}
	}
	(void)dnsfix_add_strings(z, name, type, DNSFIX_TTL, parts, n);
}

/* suite_add_entry - one element of a name's zonedata list */
static void
suite_add_entry(struct suite_ctx *c, struct dnsfix_zone *z, const char *name,
    yaml_node_t *e)
{
	yaml_node_pair_t *p;
	const char *type;
	yaml_node_t *v;

	if (e->type == YAML_SCALAR_NODE) {
		if (strcmp(suite_str(e, NULL), "TIMEOUT") == 0)
			(void)dnsfix_add_timeout(z, name);
		return;
	}
	if (e->type != YAML_MAPPING_NODE)
		return;
	p = e->data.mapping.pairs.start;
	type = suite_str(yaml_document_get_node(c->doc, p->key), NULL);
	v = yaml_document_get_node(c->doc, p->value);
	if (type == NULL || v == NULL)
		return;
	if (strcmp(type, "TXT") == 0)
		suite_add_strings(c, z, name, DNSMSG_T_TXT, v);
	else if (strcmp(type, "SPF") == 0)
		suite_add_strings(c, z, name, DNSMSG_T_SPF, v);
	else if (strcmp(type, "A") == 0)
		(void)dnsfix_add_a(z, name, DNSFIX_TTL, suite_str(v, NULL));
	else if (strcmp(type, "AAAA") == 0)
		(void)dnsfix_add_aaaa(z, name, DNSFIX_TTL, suite_str(v, NULL));
	else if (strcmp(type, "PTR") == 0)
		(void)dnsfix_add_ptr(z, name, DNSFIX_TTL, suite_str(v, NULL));
	else if (strcmp(type, "CNAME") == 0)
		(void)dnsfix_add_cname(z, name, DNSFIX_TTL, suite_str(v, NULL));
	else if (strcmp(type, "MX") == 0 && v->type == YAML_SEQUENCE_NODE &&
	    v->data.sequence.items.top - v->data.sequence.items.start == 2) {
		const char *pref =
		    suite_str(yaml_document_get_node(c->doc,
		                  v->data.sequence.items.start[0]),
		        NULL);
		const char *host =
		    suite_str(yaml_document_get_node(c->doc,
		                  v->data.sequence.items.start[1]),
		        NULL);

		(void)dnsfix_add_mx(z, name, DNSFIX_TTL,
		    (uint16_t)strtoul(pref != NULL ? pref : "0", NULL, 10),
		    host != NULL ? host : "");
	} else {
		CHECK(false, "%s: zonedata type %s of %s is understood",
		    c->suite, type, name);
	}
}

static struct dnsfix_zone *
suite_zone(struct suite_ctx *c, yaml_node_t *zd)
{
	struct dnsfix_zone *z = dnsfix_zone_new();

	if (zd == NULL || zd->type != YAML_MAPPING_NODE)
		return z;
	for (yaml_node_pair_t *p = zd->data.mapping.pairs.start;
	     p < zd->data.mapping.pairs.top; p++) {
		const char *name =
		    suite_str(yaml_document_get_node(c->doc, p->key), NULL);
		yaml_node_t *list = yaml_document_get_node(c->doc, p->value);

		if (name == NULL)
			continue;
		(void)dnsfix_add_name(z, name);
		if (list == NULL || list->type != YAML_SEQUENCE_NODE)
			continue;
		for (yaml_node_item_t *i = list->data.sequence.items.start;
		     i < list->data.sequence.items.top; i++)
			suite_add_entry(c, z, name,
			    yaml_document_get_node(c->doc, *i));
	}
	return z;
}

struct suite_run {
	struct evloop *loop;
	const struct spf_outcome *o;
	const struct texts_msg *unchecked;
	const struct spffix *fix;
	bool done;
};

static void
suite_done(void *arg, const struct spfcheck_result *res)
{
	struct suite_run *r = arg;

	r->o = res->o;
	r->unchecked = res->unchecked;
	r->fix = res->fix;
	r->done = true;
	evloop_stop(r->loop);
}

/* suite_fix_ok - the fix of a finished check holds together: one for
 * fail, softfail and permerror (none: when the domain is valid), none
 * otherwise; a corrected record parses */
static bool
suite_fix_ok(struct arena *a, const struct suite_run *run, const char **why)
{
	const struct spffix *f = run->fix;
	enum spf_result r = run->o->result;
	struct spfrecord rec;
	struct spfrecord_error err;

	*why = "";
	if (r == SPF_PASS || r == SPF_NEUTRAL || r == SPF_TEMPERROR) {
		*why = "a fix for a result that needs none";
		return f == NULL;
	}
	if (f == NULL) {
		*why = "no fix";
		return r == SPF_NONE;
	}
	if (f->why == NULL || f->domain == NULL) {
		*why = "a fix without why or domain";
		return false;
	}
	if (f->record != NULL &&
	    spfrecord_parse(a, span_cstr(f->record), &rec, &err) == -1) {
		*why = arena_printf(a,
		    "the corrected record does not parse (%s)", err.msg->id);
		return false;
	}
	if ((r == SPF_FAIL || r == SPF_SOFTFAIL) &&
	    (f->record == NULL || f->added == NULL)) {
		*why = "fail without a corrected record";
		return false;
	}
	return true;
}

/* suite_accepts - is result one of the test's results? */
static bool
suite_accepts(struct suite_ctx *c, yaml_node_t *want, const char *got)
{
	if (want == NULL)
		return false;
	if (want->type == YAML_SCALAR_NODE)
		return strcmp(suite_str(want, NULL), got) == 0;
	for (yaml_node_item_t *i = want->data.sequence.items.start;
	     i < want->data.sequence.items.top; i++) {
		const char *w =
		    suite_str(yaml_document_get_node(c->doc, *i), NULL);

		if (w != NULL && strcmp(w, got) == 0)
			return true;
	}
	return false;
}

static void
suite_test(struct suite_ctx *c, struct resolver *res, const char *scenario,
    const char *tname, yaml_node_t *t)
{
	struct arena *a = arena_new();
	struct spf_query q;
	struct suite_run run = { c->loop, NULL, NULL, NULL, false };
	/* every check also proposes its fix: the suites' zones make a good
	 * stress test of spffix */
	struct spfcheck_opts opts = { true, NULL, 0, NULL };
	const char *fix_why = "";
	struct resolver_session *s;
	const char *spec = suite_str(suite_get(c->doc, t, "spec"), NULL);
	const char *want_exp =
	    suite_str(suite_get(c->doc, t, "explanation"), NULL);
	yaml_node_t *want = suite_get(c->doc, t, "result");
	bool ok;

	memset(&q, 0, sizeof(q));
	q.ip = suite_str(suite_get(c->doc, t, "host"), NULL);
	q.sender = suite_str(suite_get(c->doc, t, "mailfrom"), NULL);
	q.helo = suite_str(suite_get(c->doc, t, "helo"), NULL);
	q.now = 1700000000;
	s = resolver_session_new(res, a, evloop_now_ms() + 20000, 1000);
	(void)spfcheck_start(s, a, &q, &opts, suite_done, &run);
	if (!run.done)
		(void)evloop_run_for(c->loop, 30000);
	ok = run.done && suite_accepts(c, want, spf_result_str(run.o->result));
	if (ok && want_exp != NULL && strcmp(want_exp, "DEFAULT") != 0)
		ok = run.o->explanation != NULL &&
		    strcmp(run.o->explanation, want_exp) == 0;
	if (ok && want_exp != NULL && strcmp(want_exp, "DEFAULT") == 0)
		ok = run.o->default_explanation != NULL;
	if (ok)
		c->passed++;
	else
		c->failed++;
	if (run.done)
		CHECK(suite_fix_ok(a, &run, &fix_why),
		    "%s %s/%s: fix for %s: %s", c->suite, scenario, tname,
		    spf_result_str(run.o->result),
		    run.fix != NULL && run.fix->record != NULL ?
		        run.fix->record :
		        fix_why);
	CHECK(ok, "%s %s/%s (spec %s): %s%s%s%s", c->suite, scenario, tname,
	    spec != NULL ? spec : "?",
	    run.done ? spf_result_str(run.o->result) : "no answer",
	    run.done && run.o->explanation != NULL ? ", explanation \"" : "",
	    run.done && run.o->explanation != NULL ? run.o->explanation : "",
	    run.done && run.o->explanation != NULL ? "\"" : "");
	resolver_session_free(s);
	arena_free(a);
}

static void
suite_scenario(struct suite_ctx *c)
{
	yaml_node_t *root = yaml_document_get_root_node(c->doc);
	yaml_node_t *tests = suite_get(c->doc, root, "tests");
	const char *scenario =
	    suite_str(suite_get(c->doc, root, "description"), NULL);
	struct dnsfix_zone *z =
	    suite_zone(c, suite_get(c->doc, root, "zonedata"));
	struct resolver *res;

	dnsfix_set_zone(c->fix, &z);
	res = test_resolver_for(c->loop, c->fix, SUITE_DNS_TIMEOUT_MS, 1);
	if (res == NULL)
		return;
	if (tests != NULL && tests->type == YAML_MAPPING_NODE) {
		for (yaml_node_pair_t *p = tests->data.mapping.pairs.start;
		     p < tests->data.mapping.pairs.top; p++)
			suite_test(c, res, scenario != NULL ? scenario : "?",
			    suite_str(yaml_document_get_node(c->doc, p->key),
			        NULL),
			    yaml_document_get_node(c->doc, p->value));
	}
	resolver_free(res);
}

static void
suite_file(struct suite_ctx *c, const char *path)
{
	FILE *f = fopen(path, "rb");
	yaml_parser_t parser;
	yaml_document_t doc;
	const char *base = strrchr(path, '/');

	c->suite = base != NULL ? base + 1 : path;
	c->passed = c->failed = 0;
	if (!CHECK(f != NULL, "%s is readable", path))
		return;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	for (;;) {
		if (!yaml_parser_load(&parser, &doc)) {
			CHECK(false, "%s: YAML error: %s", path,
			    parser.problem != NULL ? parser.problem : "?");
			break;
		}
		if (yaml_document_get_root_node(&doc) == NULL) {
			yaml_document_delete(&doc);
			break;
		}
		c->doc = &doc;
		suite_scenario(c);
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	(void)fclose(f);
	(void)printf("# %s: %d of %d tests pass\n", c->suite, c->passed,
	    c->passed + c->failed);
}

int
main(int argc, char **argv)
{
	static const char *const suites[] = {
		"../shared/spf-testsuite/rfc7208-tests.yml",
		"../shared/spf-testsuite/rfc4408-tests.yml",
	};
	struct suite_ctx c;

	memset(&c, 0, sizeof(c));
	c.loop = evloop_new();
	if ((c.fix = test_dnsfix_new(c.loop)) == NULL) {
		evloop_free(c.loop);
		return test_done();
	}
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			suite_file(&c, argv[i]);
	} else {
		for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
			suite_file(&c, suites[i]);
	}
	dnsfix_free(c.fix);
	evloop_free(c.loop);
	return test_done();
}
