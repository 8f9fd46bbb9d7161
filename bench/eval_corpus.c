/* SPDX-License-Identifier: MIT */
/*
 * eval_corpus.c - how often bouncedoc agrees with a labelled bounce corpus
 *
 * Reads ../shared/corpus/sisimai/cases.jsonl (one labelled case per
 * failed recipient of 589 real bounce emails), diagnoses every email once
 * and compares, per case: the reason (old Sisimai names mapped to the
 * current ones), the enhanced status code (only where the label is a real
 * RFC 3463 code, not one of Sisimai's internal 4.0.9xx/5.0.9xx), the reply
 * code, and the hard-bounce flag; then a second track with only the
 * case's diagnostic text pasted. Prints the agreement per field, the most
 * frequent confusions, and the single-thread speed over the whole corpus.
 * Usage: eval_corpus [--corpus DIR] [--rounds N] [--misses] [--floors]
 *   --misses       list every case whose reason, status or reply code
 *                  disagrees
 *   --floors       exit 1 below the agreed floors: whole-email reason and
 *                  status 90 %, error-text reason 75 %
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "corpus.h"
#include "diag.h"
#include "mime.h"

#define EVAL_MAX_CONFUSION 512

struct eval_case {
	const char *file, *recipient, *reason, *status, *replycode, *diag;
	int index;
	bool hard, status_internal;
};

struct eval_email {
	const char *file;
	char *data;
	size_t len;
};

struct eval_confusion {
	char key[96];
	int n;
};

struct eval_track {
	const char *name;
	int n, reason_ok, status_n, status_ok, reply_n, reply_ok, hard_ok;
	int rcpt_ok;
	struct eval_confusion conf[EVAL_MAX_CONFUSION];
	size_t nconf;
};

/* eval_reason - Sisimai 5.1 names → the current vocabulary (REASONS.md) */
static const char *
eval_reason(const char *r)
{
	if (strcmp(r, "speeding") == 0 || strcmp(r, "toomanyconn") == 0)
		return "ratelimited";
	if (strcmp(r, "mesgtoobig") == 0 || strcmp(r, "exceedlimit") == 0)
		return "emailtoolarge";
	return r;
}

static char *
eval_read(const char *path, size_t *len_out)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	(void)fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		(void)fclose(f);
		free(buf);
		return NULL;
	}
	(void)fclose(f);
	buf[n] = '\0';
	*len_out = (size_t)n;
	return buf;
}

static void
eval_confuse(struct eval_track *t, const char *want, const char *got)
{
	char key[96];

	(void)snprintf(key, sizeof(key), "%s -> %s", want, got);
	for (size_t i = 0; i < t->nconf; i++) {
		if (strcmp(t->conf[i].key, key) == 0) {
			t->conf[i].n++;
			return;
		}
	}
	if (t->nconf < EVAL_MAX_CONFUSION) {
		(void)snprintf(t->conf[t->nconf].key, sizeof(key), "%s", key);
		t->conf[t->nconf++].n = 1;
	}
}

/* eval_pick - the result for this case: same recipient, else by index */
static const struct diag_result *
eval_pick(const struct diag *d, const struct eval_case *c)
{
	for (size_t i = 0; i < d->nresults; i++) {
		const char *r = d->results[i].recipient;

		if (r != NULL && c->recipient[0] != '\0' &&
		    strcasecmp(r, c->recipient) == 0)
			return &d->results[i];
	}
	if ((size_t)c->index <= d->nresults && c->index > 0)
		return &d->results[c->index - 1];
	return &d->results[0];
}

static void
eval_compare(struct eval_track *t, const struct eval_case *c,
    const struct diag_result *r, bool misses)
{
	const char *want = eval_reason(c->reason);
	bool ok = strcmp(want, r->reason->name) == 0;

	t->n++;
	t->reason_ok += ok;
	if (!ok) {
		eval_confuse(t, want, r->reason->name);
		if (misses)
			(void)printf("  miss %-8s %-40s #%d %s -> %s\n",
			    t->name, c->file, c->index, want, r->reason->name);
	}
	if (c->status[0] != '\0' && !c->status_internal) {
		t->status_n++;
		bool sok =
		    r->status != NULL && strcmp(r->status, c->status) == 0;

		t->status_ok += sok;
		if (!sok && misses)
			(void)printf("  status-miss %-8s %-40s #%d %s -> %s\n",
			    t->name, c->file, c->index, c->status,
			    r->status != NULL ? r->status : "none");
	}
	if (c->replycode[0] != '\0') {
		t->reply_n++;
		bool rok = r->reply_code != NULL &&
		    strcmp(r->reply_code, c->replycode) == 0;

		t->reply_ok += rok;
		if (!rok && misses)
			(void)printf("  reply-miss %-8s %-40s #%d %s -> %s\n",
			    t->name, c->file, c->index, c->replycode,
			    r->reply_code != NULL ? r->reply_code : "none");
	}
	t->hard_ok += r->hard_bounce == c->hard;
	bool rcok =
	    r->recipient != NULL && strcasecmp(r->recipient, c->recipient) == 0;

	t->rcpt_ok += rcok;
	if (!rcok && misses && t->name[0] == 'w')
		(void)printf("  recipient-miss %-40s #%d %s -> %s\n", c->file,
		    c->index, c->recipient,
		    r->recipient != NULL ? r->recipient : "none");
}

static int
eval_conf_cmp(const void *a, const void *b)
{
	return ((const struct eval_confusion *)b)->n -
	    ((const struct eval_confusion *)a)->n;
}

static double
eval_pct(int a, int b)
{
	return b == 0 ? 100.0 : 100.0 * a / b;
}

static void
eval_print(struct eval_track *t)
{
	(void)printf("%s:\n", t->name);
	(void)printf("  reason     %4d/%-4d %5.1f%%\n", t->reason_ok, t->n,
	    eval_pct(t->reason_ok, t->n));
	(void)printf("  status     %4d/%-4d %5.1f%%  (cases with a real "
	             "RFC 3463 status)\n",
	    t->status_ok, t->status_n, eval_pct(t->status_ok, t->status_n));
	(void)printf("  reply code %4d/%-4d %5.1f%%  (cases with a reply "
	             "code)\n",
	    t->reply_ok, t->reply_n, eval_pct(t->reply_ok, t->reply_n));
	(void)printf("  hard/soft  %4d/%-4d %5.1f%%\n", t->hard_ok, t->n,
	    eval_pct(t->hard_ok, t->n));
	(void)printf("  recipient  %4d/%-4d %5.1f%%\n", t->rcpt_ok, t->n,
	    eval_pct(t->rcpt_ok, t->n));
	qsort(t->conf, t->nconf, sizeof(t->conf[0]), eval_conf_cmp);
	(void)printf("  most frequent misses (expected -> got):\n");
	for (size_t i = 0; i < t->nconf && i < 20; i++)
		(void)printf("    %3d  %s\n", t->conf[i].n, t->conf[i].key);
}

static const char *
eval_str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s != NULL ? s : "";
}

/* eval_load - the cases and the emails they name */
static size_t
eval_load(const char *dir, struct eval_case **cases_out,
    struct eval_email **emails_out, size_t *nemails_out)
{
	char path[4096], line[65536];
	FILE *f;
	struct eval_case *cases = NULL;
	struct eval_email *emails = NULL;
	size_t n = 0, ne = 0;

	(void)snprintf(path, sizeof(path), "%s/cases.jsonl", dir);
	if ((f = fopen(path, "r")) == NULL) {
		perror(path);
		exit(2);
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		json_t *o = json_loads(line, 0, NULL);
		struct eval_case *c;

		if (o == NULL)
			continue;
		cases = realloc(cases, (n + 1) * sizeof(*cases));
		c = &cases[n++];
		c->file = strdup(eval_str(o, "file"));
		c->recipient = strdup(eval_str(o, "recipient"));
		c->reason = strdup(eval_str(o, "reason"));
		c->status = strdup(eval_str(o, "status"));
		c->replycode = strdup(eval_str(o, "replycode"));
		c->diag = strdup(eval_str(o, "diagnosticcode"));
		c->index = (int)json_integer_value(json_object_get(o, "index"));
		c->hard = json_is_true(json_object_get(o, "hardbounce"));
		c->status_internal =
		    json_is_true(json_object_get(o, "status_internal"));
		json_decref(o);
		if (ne == 0 || strcmp(emails[ne - 1].file, c->file) != 0) {
			emails = realloc(emails, (ne + 1) * sizeof(*emails));
			emails[ne].file = c->file;
			(void)snprintf(path, sizeof(path), "%s/emails/%s", dir,
			    c->file);
			emails[ne].data = eval_read(path, &emails[ne].len);
			if (emails[ne].data == NULL) {
				perror(path);
				exit(2);
			}
			ne++;
		}
	}
	(void)fclose(f);
	*cases_out = cases;
	*emails_out = emails;
	*nemails_out = ne;
	return n;
}

int
main(int argc, char **argv)
{
	const char *dir = "../shared/corpus/sisimai";
	int rounds = 20, misses = 0;
	int floors = 0;
	double t0, t1;
	struct ruleset *rs = NULL;
	char *err = NULL;
	struct diag_env env = { NULL, NULL };
	struct eval_case *cases;
	struct eval_email *emails;
	size_t ncases, nemails, e = 0;
	static struct eval_track whole = { .name = "whole emails" };
	static struct eval_track text = { .name = "error text only" };

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--corpus") == 0 && i + 1 < argc)
			dir = argv[++i];
		else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
			rounds = atoi(argv[++i]);
		else if (strcmp(argv[i], "--misses") == 0)
			misses = 1;
		else if (strcmp(argv[i], "--floors") == 0)
			floors = 1;
	}
	if (rules_load("rules", 0, &rs, &err) == -1) {
		(void)fprintf(stderr, "%s\n", err);
		return 2;
	}
	env.rules = rs;
	env.mime = mime_decoder_new();
	ncases = eval_load(dir, &cases, &emails, &nemails);
	(void)printf("corpus: %zu emails, %zu cases\n", nemails, ncases);
	for (size_t i = 0; i < ncases; i++) {
		struct diag *d;

		while (strcmp(emails[e].file, cases[i].file) != 0)
			e++;
		d = diag_new(&env, span_make(emails[e].data, emails[e].len),
		    LANG_EN, 0);
		eval_compare(&whole, &cases[i], eval_pick(d, &cases[i]),
		    misses);
		diag_free(d);
		d = diag_new(&env, span_cstr(cases[i].diag), LANG_EN, 0);
		eval_compare(&text, &cases[i], &d->results[0], misses);
		diag_free(d);
	}
	eval_print(&whole);
	eval_print(&text);
	t0 = bench_now();
	for (int r = 0; r < rounds; r++) {
		for (size_t i = 0; i < nemails; i++)
			diag_free(diag_new(&env,
			    span_make(emails[i].data, emails[i].len), LANG_EN,
			    0));
	}
	t1 = bench_now();
	(void)printf("speed: %zu emails x %d rounds in %.2f s: %.0f emails/s, "
	             "%.1f us each (one thread)\n",
	    nemails, rounds, t1 - t0,
	    (double)(nemails * (size_t)rounds) / (t1 - t0),
	    (t1 - t0) / (double)(nemails * (size_t)rounds) * 1e6);
	mime_decoder_free(env.mime);
	rules_free(rs);
	if (floors &&
	    (eval_pct(whole.reason_ok, whole.n) < 90.0 ||
	        eval_pct(whole.status_ok, whole.status_n) < 90.0 ||
	        eval_pct(text.reason_ok, text.n) < 75.0)) {
		(void)fprintf(stderr,
		    "eval: below the floors (whole-email reason "
		    "and status 90%%, error-text reason 75%%)\n");
		return 1;
	}
	return 0;
}
