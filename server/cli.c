/* SPDX-License-Identifier: MIT */
/*
 * cli.c - "bouncedoc diagnose": the API's answer for a file or stdin
 *
 * Same rules, same decisions, same live checks (diagrun.c), same JSON as
 * the service (report.c); only the transport differs: the checks run on
 * a loop and a resolver of this command's own. The DNS canary
 * (dnscanary.h) is asked once, before the diagnosis, and waited for: a
 * command that runs once has no earlier answer to go by, and one
 * question bounded by the canary's deadline is cheap next to a check
 * that would take a lying resolver's NXDOMAIN for a fact. Not here: the
 * HTTP service (main.c, api.c).
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "checks.h"
#include "config.h"
#include "diagrun.h"
#include "dnsbl_config.h"
#include "dnscanary.h"
#include "evloop.h"
#include "log.h"
#include "mime.h"
#include "report.h"
#include "resolver.h"
#include "rules.h"
#include "texts.h"
#include "xmalloc.h"

static void
cli_usage(FILE *f)
{
	(void)fprintf(f,
	    "usage: bouncedoc diagnose [--lang LANG] [--no-dns] [--dns SERVERS] "
	    "[--rules DIR] FILE|-\n"
	    "Diagnose the bounce in FILE (or standard input for -) and print "
	    "the JSON\nanswer of POST /api/v1/diagnose, live DNS checks "
	    "included.\n\n"
	    "  --lang LANG    language of the texts: en, or any with a file\n"
	    "                 under the catalog's lang/ (default en)\n"
	    "  --no-dns       answer from the text alone, like ?checks=none\n"
	    "  --dns SERVERS  DNS servers, HOST[:PORT][,...] (default as for "
	    "the service:\n"
	    "                 BOUNCEDOC_DNS, else /etc/resolv.conf)\n"
	    "  --rules DIR    rule catalog directory (default as for the "
	    "service)\n\n"
	    "Before the checks the DNS canary is asked once (BOUNCEDOC_DNS_CANARY,"
	    "\ndefault the root zone, none: not asked); while its answer is "
	    "wrong,\nevery check reports not checked.\n");
}

/* cli_read - the whole input, at most CLI_MAX_INPUT bytes */
static int
cli_read(const char *path, struct buf *b)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char chunk[65536];
	size_t n;
	int r = 0;

	if (f == NULL) {
		(void)fprintf(stderr, "bouncedoc: %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (buf_append(b, chunk, n) == -1) {
			(void)fprintf(stderr,
			    "bouncedoc: %s: larger than %u "
			    "bytes\n",
			    path, CLI_MAX_INPUT);
			r = -1;
			break;
		}
	}
	if (r == 0 && ferror(f)) {
		(void)fprintf(stderr, "bouncedoc: %s: read error\n", path);
		r = -1;
	}
	if (f != stdin)
		(void)fclose(f);
	return r;
}

/* cli_done - diagrun_done_fn: the checks have reported */
static void
cli_done(struct diagrun *run, void *arg)
{
	(void)run;
	evloop_stop(arg);
}

/* The one probe of the DNS canary this command waits for. */
struct cli_probe {
	struct evloop *loop;
	bool answered;
};

/* cli_probed - dnscanary_probed_fn: stop the loop after the first probe
 * (a later one, during the checks, must not) */
static void
cli_probed(struct dnscanary *c, void *arg)
{
	struct cli_probe *p = arg;

	(void)c;
	if (!p->answered)
		evloop_stop(p->loop);
	p->answered = true;
}

/* cli_canary - the DNS canary, asked once and waited for (its deadline
 * bounds the wait); NULL when there is none */
static struct dnscanary *
cli_canary(const struct config *cfg, struct evloop *loop, struct resolver *res,
    struct cli_probe *p)
{
	struct dnscanary_config cc = { cfg->dns_canary, 0, 0, cli_probed, p };
	struct dnscanary *c;

	if (res == NULL || cfg->dns_canary == NULL)
		return NULL;
	p->loop = loop;
	c = dnscanary_new(loop, res, &cc);
	evloop_run(loop);
	return c;
}

/* cli_resolver - the DNS for the live checks, on a loop of their own;
 * NULL (and the answer has no checks) when it cannot start */
static struct resolver *
cli_resolver(const struct config *cfg, const char *servers, struct evloop *loop)
{
	struct resolver_config rc = { servers, cfg->dns_timeout_ms,
		cfg->dns_tries };
	const char *err = NULL;
	struct resolver *res = resolver_new(loop, &rc, &err);

	if (res == NULL)
		(void)fprintf(stderr, "bouncedoc: DNS: %s\n", err);
	return res;
}

/* cli_lang - --lang as a language the catalog has, or -1 (said) */
static int
cli_lang(const struct ruleset *rs, const char *tag, enum lang *out)
{
	const struct langs *ls = texts_langs(rules_texts(rs));

	if (lang_parse(ls, span_cstr(tag), out) == 0)
		return 0;
	(void)fprintf(stderr, "bouncedoc: --lang %s: the languages are", tag);
	for (size_t l = 0; l < ls->n; l++)
		(void)fprintf(stderr, "%s %s", l > 0 ? "," : "", ls->code[l]);
	(void)fputc('\n', stderr);
	return -1;
}

int
cli_diagnose(int argc, char **argv)
{
	static const struct option lopts[] = { { "lang", required_argument,
		                                   NULL, 'l' },
		{ "no-dns", no_argument, NULL, 'n' },
		{ "dns", required_argument, NULL, 'd' },
		{ "rules", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	enum lang lang = LANG_EN;
	const char *rules_dir = NULL, *path, *dns = NULL, *derr = NULL;
	const char *lang_tag = NULL;
	bool no_dns = false;
	struct evloop *loop = NULL;
	struct resolver *res = NULL;
	struct dnscanary *canary = NULL;
	struct cli_probe probe = { NULL, false };
	struct config cfg;
	struct ruleset *rs = NULL;
	struct diag_env env = { NULL, NULL };
	struct diagrun_env renv;
	struct check_env cenv;
	struct dnsbl_config *bl = NULL;
	char *blpath;
	struct diagrun_opts opts = { 0 };
	struct diagrun *run = NULL;
	const struct diag *d;
	const struct check_result *checks;
	size_t nchecks;
	struct buf in;
	char *err = NULL, *json;
	size_t len;
	int c, r = 1;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", lopts, NULL)) != -1) {
		if (c == 'l')
			lang_tag = optarg;
		if (c == 'r')
			rules_dir = optarg;
		if (c == 'n')
			no_dns = true;
		if (c == 'd') {
			if (config_check_dns(optarg, &derr) == -1) {
				(void)fprintf(stderr,
				    "bouncedoc: --dns %s: %s\n", optarg, derr);
				return 2;
			}
			dns = optarg;
		}
		if (c == 'h') {
			cli_usage(stdout);
			return 0;
		}
		if (c == '?') {
			cli_usage(stderr);
			return 2;
		}
	}
	if (optind + 1 != argc) {
		cli_usage(stderr);
		return 2;
	}
	path = argv[optind];
	/* the service's defaults and BOUNCEDOC_* environment decide where
	 * the rules are, unless --rules says */
	if (config_load(&cfg, 1, (char *[]){ argv[0], NULL }) != 0)
		return 2;
	/* stdout is the answer; stderr gets warnings only (a failing DNS
	 * canary) */
	log_init(LOG_WARN);
	buf_init(&in, CLI_MAX_INPUT);
	if (rules_load(rules_dir != NULL ? rules_dir : cfg.rules_dir,
	        cfg.regex_jit ? 0 : RULES_NO_JIT, &rs, &err) == -1) {
		(void)fprintf(stderr, "bouncedoc: %s\n", err);
		free(err);
		goto out;
	}
	/* the blocklists: beside the rules given, else the service's */
	blpath = rules_dir != NULL ? xasprintf("%s/dnsbl.json", rules_dir) :
	                             xstrdup(cfg.dnsbl_config);
	r = dnsbl_config_load(blpath, rules_texts_writable(rs), &bl, &err);
	free(blpath);
	if (r == -1) {
		(void)fprintf(stderr, "bouncedoc: %s\n", err);
		free(err);
		r = 1;
		goto out;
	}
	r = 1;
	if (lang_tag != NULL && cli_lang(rs, lang_tag, &lang) == -1) {
		r = 2;
		goto out;
	}
	if (cli_read(path, &in) == -1)
		goto out;
	env.rules = rs;
	env.mime = mime_decoder_new();
	if (!no_dns) {
		loop = evloop_new();
		res = cli_resolver(&cfg, dns != NULL ? dns : cfg.dns_servers,
		    loop);
		canary = cli_canary(&cfg, loop, res, &probe);
	}
	cenv = (struct check_env){ rs, bl, NULL };
	renv = (struct diagrun_env){ &env,
		{ loop, res, cfg.dns_budget, canary }, &cenv };
	opts.lang = lang;
	opts.deadline_ms = cfg.checks_deadline_ms;
	(void)checks_parse(no_dns ? "none" : "auto", &opts.checks);
	run = diagrun_start(&renv, buf_span(&in), &opts, cli_done, loop);
	/* the run's deadline bounds the wait */
	if (!diagrun_is_done(run))
		evloop_run(loop);
	d = diagrun_diag(run);
	if (bounce_is_empty(&d->bounce)) {
		(void)fprintf(stderr, "bouncedoc: %s: nothing to diagnose\n",
		    path);
		goto out;
	}
	checks = diagrun_checks(run, &nchecks);
	json = report_diagnosis(d, checks, nchecks, &len);
	(void)fwrite(json, 1, len, stdout);
	(void)fputc('\n', stdout);
	free(json);
	r = 0;
out:
	diagrun_free(run);
	dnscanary_free(canary);
	resolver_free(res);
	evloop_free(loop);
	mime_decoder_free(env.mime);
	buf_clear(&in);
	dnsbl_config_free(bl);
	rules_free(rs);
	config_clear(&cfg);
	return r;
}
