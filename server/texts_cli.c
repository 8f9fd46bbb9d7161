/* SPDX-License-Identifier: MIT */
/*
 * texts_cli.c - "bouncedoc texts export|check": the catalog for translators
 *
 * Loads the catalog the way the service does (so a translation the
 * service would refuse is refused here too), with the blocklists'
 * meanings (dnsbl_config.h: <rules>/dnsbl.json, or --dnsbl-config when no
 * --rules is given), and prints what a translator works from. Not here:
 * the table of texts (texts.c).
 */
#include "texts_cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "dnsbl_config.h"
#include "rules.h"
#include "texts.h"
#include "xmalloc.h"

#define TEXTS_CLI_MAX_OUT (64u << 20)

static void
texts_cli_usage(FILE *f)
{
	(void)fprintf(f,
	    "usage: bouncedoc texts export [--rules DIR]\n"
	    "       bouncedoc texts check LANG [--rules DIR]\n"
	    "export prints every message id with its English text as one "
	    "JSON object;\ncheck lists the ids the translation "
	    "rules/lang/LANG.json lacks (missing)\nor has but English no "
	    "longer has (stale), and exits 1 when there are any.\n"
	    "The blocklists' texts come from DIR/dnsbl.json (without "
	    "--rules: --dnsbl-config's file).\n");
}

/* texts_cli_lang - the language whose file is lang/CODE.json, or -1
 * (said) */
static int
texts_cli_lang(const struct texts *t, const char *code, enum lang *out)
{
	const struct langs *ls = texts_langs(t);

	for (size_t l = 1; l < ls->n; l++) {
		if (strcmp(ls->code[l], code) == 0) {
			*out = (enum lang)l;
			return 0;
		}
	}
	(void)fprintf(stderr,
	    "bouncedoc: texts check: no translation lang/%s.json\n", code);
	return -1;
}

int
texts_cli(int argc, char **argv)
{
	static const struct option lopts[] = { { "rules", required_argument,
		                                   NULL, 'r' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	const char *rules_dir = NULL, *verb, *code = NULL;
	struct ruleset *rs = NULL;
	struct dnsbl_config *bl = NULL;
	struct config cfg;
	char *blpath;
	enum lang l = LANG_EN;
	struct buf out;
	char *err = NULL;
	int c, r = 1;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", lopts, NULL)) != -1) {
		if (c == 'r')
			rules_dir = optarg;
		if (c == 'h') {
			texts_cli_usage(stdout);
			return 0;
		}
		if (c == '?') {
			texts_cli_usage(stderr);
			return 2;
		}
	}
	verb = optind < argc ? argv[optind] : "";
	if (!((strcmp(verb, "export") == 0 && optind + 1 == argc) ||
	        (strcmp(verb, "check") == 0 && optind + 2 == argc))) {
		texts_cli_usage(stderr);
		return 2;
	}
	if (strcmp(verb, "check") == 0)
		code = argv[optind + 1];
	if (config_load(&cfg, 1, (char *[]){ argv[0], NULL }) != 0)
		return 2;
	r = rules_load(rules_dir != NULL ? rules_dir : cfg.rules_dir,
	    RULES_NO_JIT, &rs, &err);
	blpath = rules_dir != NULL ? xasprintf("%s/dnsbl.json", rules_dir) :
	                             xstrdup(cfg.dnsbl_config);
	config_clear(&cfg);
	if (r == 0)
		r = dnsbl_config_load(blpath, rules_texts_writable(rs), &bl,
		    &err);
	free(blpath);
	if (r == -1) {
		(void)fprintf(stderr, "bouncedoc: %s\n", err);
		free(err);
		rules_free(rs);
		return 1;
	}
	if (code != NULL && texts_cli_lang(rules_texts(rs), code, &l) == -1) {
		dnsbl_config_free(bl);
		rules_free(rs);
		return 2;
	}
	buf_init(&out, TEXTS_CLI_MAX_OUT);
	if (strcmp(verb, "export") == 0)
		r = texts_export(rules_texts(rs), &out) == 0 ? 0 : 1;
	else
		r = texts_check(rules_texts(rs), l, &out) == 0 ? 0 : 1;
	if (out.len > 0) /* nothing to say: an empty buffer has no bytes */
		(void)fwrite(buf_span(&out).ptr, 1, out.len, stdout);
	buf_clear(&out);
	dnsbl_config_free(bl);
	rules_free(rs);
	return r;
}
