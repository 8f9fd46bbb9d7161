/* SPDX-License-Identifier: MIT */
/*
 * main.c - bouncedoc: configuration, subsystems in order, the loop,
 * orderly shutdown
 *
 * Start-up fails loudly and early: a bad flag, rule file or port stops the
 * process before it serves anything. SIGTERM and SIGINT arrive through a
 * signalfd in the loop, so shutdown runs as ordinary loop code.
 */
#include <sys/signalfd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api.h"
#include "cli.h"
#include "config.h"
#include "diag.h"
#include "diagrun.h"
#include "dnsbl_config.h"
#include "dnsbl_health.h"
#include "dnscanary.h"
#include "evloop.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "mime.h"
#include "resolver.h"
#include "rules.h"
#include "texts_cli.h"
#include "webui.h"
#include "xmalloc.h"

static void
main_on_signal(struct evloop *loop, int fd, unsigned events, void *arg)
{
	struct signalfd_siginfo si;
	char name[16];

	(void)events;
	(void)arg;
	if (read(fd, &si, sizeof(si)) != (ssize_t)sizeof(si))
		return;
	(void)snprintf(name, sizeof(name), "%s",
	    si.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT");
	log_info("shutdown", "signal=%s", name);
	evloop_stop(loop);
}

/* main_signals - route SIGTERM/SIGINT into the loop; ignore SIGPIPE */
static int
main_signals(struct evloop *loop)
{
	sigset_t set;
	int fd;

	(void)signal(SIGPIPE, SIG_IGN);
	(void)sigemptyset(&set);
	(void)sigaddset(&set, SIGTERM);
	(void)sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
		log_fatal("signals", "%s", "msg=\"sigprocmask failed\"");
	fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (fd == -1 ||
	    evloop_fd_add(loop, fd, EVLOOP_READ, main_on_signal, NULL) == -1)
		log_fatal("signals", "%s", "msg=\"signalfd failed\"");
	return fd;
}

/* main_openapi_path - the API description beside the static directory */
static char *
main_openapi_path(const char *static_dir)
{
	return xasprintf("%s/../openapi.yaml", static_dir);
}

int
main(int argc, char **argv)
{
	struct config cfg;
	struct ruleset *rules = NULL;
	struct webui *webui = NULL;
	struct metrics *metrics;
	struct evloop *loop;
	struct http_server *srv;
	struct api *api;
	struct diag_env denv;
	struct api_env aenv;
	struct diagrun_env renv;
	struct check_env cenv;
	struct dnsbl_config *dnsbl = NULL;
	struct dnsbl_health *health;
	struct resolver *resolver;
	struct resolver_config rcfg;
	struct dnscanary *canary = NULL;
	const char *herr = NULL;
	char *err = NULL, *openapi, q[600];
	int r, sigfd;

	if (argc > 1 && strcmp(argv[1], "diagnose") == 0)
		return cli_diagnose(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "texts") == 0)
		return texts_cli(argc - 1, argv + 1);
	r = config_load(&cfg, argc, argv);
	if (r != 0)
		return r == 1 ? 0 : 2;
	log_init(cfg.log_level);
	if (rules_load(cfg.rules_dir, cfg.regex_jit ? 0 : RULES_NO_JIT, &rules,
	        &err) == -1)
		log_fatal("rules_invalid", "error=%s",
		    log_quote(q, sizeof(q), err, strlen(err)));
	/* the blocklists' meanings join the catalog's texts */
	if (dnsbl_config_load(cfg.dnsbl_config, rules_texts_writable(rules),
	        &dnsbl, &err) == -1)
		log_fatal("dnsbl_invalid", "error=%s",
		    log_quote(q, sizeof(q), err, strlen(err)));
	openapi = main_openapi_path(cfg.static_dir);
	if (webui_load(cfg.static_dir, (const char *const *)&openapi, 1, &webui,
	        &err) == -1)
		log_fatal("static_invalid", "error=%s",
		    log_quote(q, sizeof(q), err, strlen(err)));
	free(openapi);
	metrics = metrics_new();
	metrics_set_rules(metrics, rules_count(rules));
	loop = evloop_new();
	sigfd = main_signals(loop);
	rcfg = (struct resolver_config){ cfg.dns_servers, cfg.dns_timeout_ms,
		cfg.dns_tries };
	resolver = resolver_new(loop, &rcfg, &herr);
	if (resolver == NULL)
		log_fatal("dns_invalid", "servers=%s error=%s",
		    cfg.dns_servers != NULL ? cfg.dns_servers : "system",
		    log_quote(q, sizeof(q), herr, strlen(herr)));
	metrics_set_dns(metrics, resolver_counters(resolver));
	if (cfg.dns_canary != NULL) {
		struct dnscanary_config cc = { cfg.dns_canary,
			cfg.dns_canary_interval_s * 1000u, 0, NULL, NULL };

		canary = dnscanary_new(loop, resolver, &cc);
		metrics_set_canary(metrics, dnscanary_counters(canary));
	}
	/* the zones' self-tests run from the loop; start-up does not wait */
	health = dnsbl_health_new(loop, resolver, dnsbl,
	    &(struct dnsbl_health_opts){
	        .interval_ms = (uint64_t)cfg.dnsbl_health_interval_s * 1000,
	        .canary = canary,
	        .retry_ms = (uint64_t)cfg.dns_canary_interval_s * 1000 });
	dnsbl_health_start(health);
	denv = (struct diag_env){ rules, mime_decoder_new() };
	cenv = (struct check_env){ rules, dnsbl, health };
	renv = (struct diagrun_env){ &denv,
		{ loop, resolver, cfg.dns_budget, canary }, &cenv };
	aenv = (struct api_env){ &cfg, &denv, webui, metrics, &renv };
	api = api_new(&aenv);
	srv = http_new(loop, &cfg, metrics, api_handle, api, &herr);
	if (srv == NULL) {
		log_fatal("listen_failed", "addr=%s port=%u error=%s",
		    cfg.listen_host, cfg.listen_port,
		    log_quote(q, sizeof(q), herr, strlen(herr)));
		return 1; /* not reached */
	}
	log_info("listening", "addr=%s port=%u rules=%zu version=%s dns=%s",
	    cfg.listen_host, cfg.listen_port, rules_count(rules),
	    CONFIG_VERSION,
	    cfg.dns_servers != NULL ? cfg.dns_servers : "system");
	evloop_run(loop);
	/* suspended requests are answered (and their DNS sessions freed)
	 * before the resolver goes */
	http_shutdown(srv);
	http_free(srv);
	api_free(api);
	/* the self-tests read the canary: they stop first */
	dnsbl_health_stop(health);
	metrics_set_canary(metrics, NULL);
	dnscanary_free(canary);
	metrics_set_dns(metrics, NULL);
	resolver_free(resolver);
	dnsbl_health_free(health);
	dnsbl_config_free(dnsbl);
	evloop_fd_del(loop, sigfd);
	(void)close(sigfd);
	evloop_free(loop);
	metrics_free(metrics);
	mime_decoder_free(denv.mime);
	webui_free(webui);
	rules_free(rules);
	config_clear(&cfg);
	log_info("stopped", "%s", "");
	return 0;
}
