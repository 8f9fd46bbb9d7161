/* SPDX-License-Identifier: MIT */
/*
 * test_config.c - unit tests for config.h: listen addresses, flags, env
 *
 * config_load prints help, version and usage errors; the tests send that
 * output to /dev/null so that only the check lines remain.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "config.h"
#include "test.h"

static const char *const test_env_vars[] = { "BOUNCEDOC_LISTEN",
	"BOUNCEDOC_RULES", "BOUNCEDOC_STATIC", "BOUNCEDOC_MAX_BODY",
	"BOUNCEDOC_MAX_CONNECTIONS", "BOUNCEDOC_CONNECTION_TIMEOUT",
	"BOUNCEDOC_DEADLINE_MS", "BOUNCEDOC_REGEX_JIT", "BOUNCEDOC_LOG_LEVEL",
	"BOUNCEDOC_DNSBL_CONFIG", "BOUNCEDOC_DNSBL_HEALTH_INTERVAL",
	"BOUNCEDOC_DNS_CANARY", "BOUNCEDOC_DNS_CANARY_INTERVAL", NULL };

static void
test_listen_ok(const char *s, const char *host, unsigned short port)
{
	char *h = NULL;
	unsigned short p = 0;
	const char *err = NULL;
	int r = config_parse_listen(s, &h, &p, &err);

	CHECK(r == 0 && p == port, "config_parse_listen(\"%s\"): r %d port %u",
	    s, r, p);
	CHECK_STR(h, host, s);
	free(h);
}

static void
test_listen_bad(const char *s)
{
	char *h = NULL;
	unsigned short p = 0;
	const char *err = NULL;
	int r = config_parse_listen(s, &h, &p, &err);

	CHECK(r == -1 && err != NULL && h == NULL,
	    "config_parse_listen(\"%s\") fails: %s", s,
	    err != NULL ? err : "(no error)");
	free(h);
}

static void
test_listen(void)
{
	test_listen_ok("127.0.0.1:8080", "127.0.0.1", 8080);
	test_listen_ok("[::1]:9", "::1", 9);
	test_listen_ok("0.0.0.0:0", "0.0.0.0", 0);
	test_listen_ok("[2001:db8::1]:65535", "2001:db8::1", 65535);
	test_listen_bad("localhost:80");
	test_listen_bad("1.2.3.4");
	test_listen_bad("1.2.3.4:65536");
	test_listen_bad("1.2.3.4:");
	test_listen_bad(":80");
	test_listen_bad("1.2.3.4:80x");
	test_listen_bad("1.2.3.4:-1");
	test_listen_bad("1.2.3.4:99999999999999999999999");
	test_listen_bad("[::1]");
	test_listen_bad("[::1:80");
	test_listen_bad("[]:80");
	test_listen_bad("300.2.3.4:80");
	test_listen_bad("");
}

/*
 * test_load - config_load with argv (a NULL-terminated list after argv0),
 * its help and usage output sent to /dev/null
 */
static int
test_load(struct config *cfg, const char *const *args)
{
	char *argv[16];
	int argc = 0, r, null_fd, out_fd, err_fd;

	argv[argc++] = (char *)(uintptr_t) "bouncedoc";
	for (size_t i = 0; args[i] != NULL && argc < 15; i++)
		argv[argc++] = (char *)(uintptr_t)args[i];
	argv[argc] = NULL;
	(void)fflush(stdout);
	(void)fflush(stderr);
	null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	out_fd = dup(STDOUT_FILENO);
	err_fd = dup(STDERR_FILENO);
	if (null_fd != -1) {
		(void)dup2(null_fd, STDOUT_FILENO);
		(void)dup2(null_fd, STDERR_FILENO);
	}
	r = config_load(cfg, argc, argv);
	(void)fflush(stdout);
	(void)fflush(stderr);
	if (out_fd != -1) {
		(void)dup2(out_fd, STDOUT_FILENO);
		(void)close(out_fd);
	}
	if (err_fd != -1) {
		(void)dup2(err_fd, STDERR_FILENO);
		(void)close(err_fd);
	}
	if (null_fd != -1)
		(void)close(null_fd);
	return r;
}

static void
test_defaults(void)
{
	struct config cfg;
	static const char *const none[] = { NULL };
	int r;

	for (size_t i = 0; test_env_vars[i] != NULL; i++)
		(void)unsetenv(test_env_vars[i]);
	r = test_load(&cfg, none);
	CHECK(r == 0, "config_load with nothing given returns 0");
	if (r != 0)
		return;
	CHECK_STR(cfg.listen_host, "127.0.0.1", "default listen host");
	CHECK(cfg.listen_port == 8080, "default port 8080 (%u)",
	    cfg.listen_port);
	CHECK(cfg.max_body == 1048576, "default max_body 1048576 (%zu)",
	    cfg.max_body);
	CHECK(cfg.rules_dir != NULL && cfg.rules_dir[0] != '\0',
	    "default rules_dir is set: %s",
	    cfg.rules_dir != NULL ? cfg.rules_dir : "(null)");
	CHECK(cfg.static_dir != NULL, "default static_dir is set");
	CHECK(cfg.regex_jit == 1 && cfg.max_connections > 0,
	    "default JIT and connection limit are set");
	CHECK(cfg.regex_jit == 1, "regex JIT is on by default");
	CHECK(cfg.dnsbl_config != NULL && cfg.rules_dir != NULL &&
	        strncmp(cfg.dnsbl_config, cfg.rules_dir,
	            strlen(cfg.rules_dir)) == 0 &&
	        strcmp(cfg.dnsbl_config + strlen(cfg.rules_dir),
	            "/dnsbl.json") == 0,
	    "default dnsbl_config is <rules>/dnsbl.json: %s",
	    cfg.dnsbl_config != NULL ? cfg.dnsbl_config : "(null)");
	CHECK(cfg.dnsbl_health_interval_s == 3600,
	    "default zone health interval 3600 s (%u)",
	    cfg.dnsbl_health_interval_s);
	CHECK_STR(cfg.dns_canary, ".",
	    "the DNS canary asks the root by default");
	CHECK(cfg.dns_canary_interval_s == 60, "every 60 s by default (%u)",
	    cfg.dns_canary_interval_s);
	config_clear(&cfg);
	CHECK(cfg.listen_host == NULL && cfg.rules_dir == NULL,
	    "config_clear frees and clears");
}

static void
test_flags(void)
{
	struct config cfg;
	static const char *const listen[] = { "--listen", "[::1]:9000", NULL };
	static const char *const listen_eq[] = { "--listen=10.0.0.1:25", NULL };
	static const char *const body[] = { "--max-body", "2048", NULL };
	static const char *const body_low[] = { "--max-body", "10", NULL };
	static const char *const body_neg[] = { "--max-body", "-2048", NULL };
	static const char *const body_junk[] = { "--max-body", "2k", NULL };
	static const char *const unknown[] = { "--frobnicate", NULL };
	static const char *const stray[] = { "stray", NULL };
	static const char *const bad_listen[] = { "--listen", "localhost:80",
		NULL };
	static const char *const help[] = { "--help", NULL };
	static const char *const version[] = { "--version", NULL };
	static const char *const rules[] = { "--rules", "/tmp/r", "--listen",
		"127.0.0.2:1", NULL };
	static const char *const empty_rules[] = { "--rules", "", NULL };
	static const char *const dnsbl[] = { "--dnsbl-config", "/etc/bl.json",
		"--dnsbl-health-interval", "600", NULL };
	static const char *const dnsbl_short[] = { "--dnsbl-health-interval",
		"10", NULL };
	int r;

	r = test_load(&cfg, listen);
	CHECK(r == 0 && cfg.listen_port == 9000, "--listen [::1]:9000");
	CHECK_STR(cfg.listen_host, "::1", "--listen host");
	config_clear(&cfg);

	r = test_load(&cfg, listen_eq);
	CHECK(r == 0 && cfg.listen_port == 25, "--listen=10.0.0.1:25");
	CHECK_STR(cfg.listen_host, "10.0.0.1", "--listen= host");
	config_clear(&cfg);

	r = test_load(&cfg, body);
	CHECK(r == 0 && cfg.max_body == 2048, "--max-body 2048 (%zu)",
	    cfg.max_body);
	config_clear(&cfg);

	r = test_load(&cfg, rules);
	CHECK(r == 0, "--rules DIR --listen ADDR");
	CHECK_STR(cfg.rules_dir, "/tmp/r", "--rules sets rules_dir");
	CHECK(cfg.listen_port == 1, "the second flag is read too");
	CHECK_STR(cfg.dnsbl_config, "/tmp/r/dnsbl.json",
	    "--rules DIR moves the default blocklists file");
	config_clear(&cfg);

	r = test_load(&cfg, dnsbl);
	CHECK(r == 0 && cfg.dnsbl_health_interval_s == 600,
	    "--dnsbl-health-interval 600 (%u)", cfg.dnsbl_health_interval_s);
	CHECK_STR(cfg.dnsbl_config, "/etc/bl.json", "--dnsbl-config FILE");
	config_clear(&cfg);
	r = test_load(&cfg, dnsbl_short);
	CHECK(r == -1, "--dnsbl-health-interval 10 (below 60) fails: %d", r);
	config_clear(&cfg);

	/* failures: config_clear is still safe on what was filled */
	r = test_load(&cfg, body_low);
	CHECK(r == -1, "--max-body 10 (below the minimum) fails: %d", r);
	config_clear(&cfg);
	r = test_load(&cfg, body_neg);
	CHECK(r == -1, "--max-body -2048 fails: %d", r);
	config_clear(&cfg);
	r = test_load(&cfg, body_junk);
	CHECK(r == -1, "--max-body 2k fails: %d", r);
	config_clear(&cfg);
	r = test_load(&cfg, unknown);
	CHECK(r == -1, "an unknown flag fails with -1: %d", r);
	config_clear(&cfg);
	r = test_load(&cfg, stray);
	CHECK(r == -1, "a stray argument fails with -1: %d", r);
	config_clear(&cfg);
	r = test_load(&cfg, bad_listen);
	CHECK(r == -1, "--listen localhost:80 fails: %d", r);
	config_clear(&cfg);
	r = test_load(&cfg, empty_rules);
	CHECK(r == -1, "--rules \"\" fails: %d", r);
	config_clear(&cfg);

	r = test_load(&cfg, help);
	CHECK(r == 1, "--help returns 1: %d", r);
	config_clear(&cfg);
	r = test_load(&cfg, version);
	CHECK(r == 1, "--version returns 1: %d", r);
	config_clear(&cfg);

	/* after a run stopped early by --help, a new load parses afresh */
	r = test_load(&cfg, body);
	CHECK(r == 0 && cfg.max_body == 2048,
	    "config_load after --help parses again (%d, %zu)", r, cfg.max_body);
	config_clear(&cfg);
}

static void
test_env(void)
{
	struct config cfg;
	static const char *const none[] = { NULL };
	static const char *const body[] = { "--max-body", "2048", NULL };
	int r;

	(void)setenv("BOUNCEDOC_MAX_BODY", "4096", 1);
	r = test_load(&cfg, none);
	CHECK(r == 0 && cfg.max_body == 4096,
	    "BOUNCEDOC_MAX_BODY=4096 is picked up (%zu)", cfg.max_body);
	config_clear(&cfg);
	r = test_load(&cfg, body);
	CHECK(r == 0 && cfg.max_body == 2048,
	    "--max-body 2048 overrides BOUNCEDOC_MAX_BODY=4096 (%zu)",
	    cfg.max_body);
	config_clear(&cfg);
	(void)setenv("BOUNCEDOC_MAX_BODY", "10", 1);
	r = test_load(&cfg, none);
	CHECK(r == -1, "BOUNCEDOC_MAX_BODY=10 (below the minimum) fails");
	config_clear(&cfg);
	(void)unsetenv("BOUNCEDOC_MAX_BODY");

	(void)setenv("BOUNCEDOC_LISTEN", "[::1]:8443", 1);
	r = test_load(&cfg, none);
	CHECK(r == 0 && cfg.listen_port == 8443,
	    "BOUNCEDOC_LISTEN is picked up");
	CHECK_STR(cfg.listen_host, "::1", "BOUNCEDOC_LISTEN host");
	config_clear(&cfg);
	(void)unsetenv("BOUNCEDOC_LISTEN");

	(void)setenv("BOUNCEDOC_DNSBL_CONFIG", "/srv/lists.json", 1);
	r = test_load(&cfg, none);
	CHECK_STR(r == 0 ? cfg.dnsbl_config : NULL, "/srv/lists.json",
	    "BOUNCEDOC_DNSBL_CONFIG is picked up");
	config_clear(&cfg);
	(void)unsetenv("BOUNCEDOC_DNSBL_CONFIG");
}

static void
test_dns(void)
{
	static const char *const good[] = { "127.0.0.1", "127.0.0.1:5353",
		"127.0.0.1:5353,[::1]:53", "::1", "192.0.2.1,198.51.100.2:53" };
	static const char *const bad[] = { "", "localhost", "127.0.0.1:0",
		"127.0.0.1:70000", "127.0.0.1,,::1", "[::1]", "1.2.3.4:x" };
	const char *err;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		CHECK(config_check_dns(good[i], &err) == 0,
		    "DNS server list \"%s\" accepted", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = NULL;
		CHECK(config_check_dns(bad[i], &err) == -1 && err != NULL,
		    "DNS server list \"%s\" refused: %s", bad[i],
		    err != NULL ? err : "");
	}
}

static void
test_canary(void)
{
	struct config cfg;
	static const char *const none[] = { NULL };
	static const char *const off[] = { "--dns-canary", "none", NULL };
	static const char *const own[] = { "--dns-canary", "Canary.Example.",
		"--dns-canary-interval", "5", NULL };
	static const char *const root[] = { "--dns-canary", ".", NULL };
	static const char *const bad[][3] = {
		{ "--dns-canary", "", NULL },
		{ "--dns-canary", "a..b", NULL },
		{ "--dns-canary", "..", NULL },
		{ "--dns-canary", "has space.example", NULL },
		{ "--dns-canary-interval", "0", NULL },
		{ "--dns-canary-interval", "86401", NULL },
	};
	int r;

	r = test_load(&cfg, off);
	CHECK(r == 0 && cfg.dns_canary == NULL, "--dns-canary none: no canary");
	config_clear(&cfg);
	r = test_load(&cfg, own);
	CHECK(r == 0 && cfg.dns_canary_interval_s == 5,
	    "--dns-canary NAME --dns-canary-interval 5");
	CHECK_STR(cfg.dns_canary, "Canary.Example.", "the name as given");
	config_clear(&cfg);
	r = test_load(&cfg, root);
	CHECK(r == 0, "--dns-canary . (the root)");
	CHECK_STR(cfg.dns_canary, ".", "the root");
	config_clear(&cfg);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = test_load(&cfg, bad[i]);
		CHECK(r == -1, "%s \"%s\" refused", bad[i][0], bad[i][1]);
		config_clear(&cfg);
	}
	(void)setenv("BOUNCEDOC_DNS_CANARY", "none", 1);
	(void)setenv("BOUNCEDOC_DNS_CANARY_INTERVAL", "600", 1);
	r = test_load(&cfg, none);
	CHECK(r == 0 && cfg.dns_canary == NULL &&
	        cfg.dns_canary_interval_s == 600,
	    "BOUNCEDOC_DNS_CANARY=none, BOUNCEDOC_DNS_CANARY_INTERVAL=600");
	config_clear(&cfg);
	r = test_load(&cfg, root);
	CHECK(r == 0 && cfg.dns_canary != NULL,
	    "--dns-canary . overrides BOUNCEDOC_DNS_CANARY=none");
	config_clear(&cfg);
	(void)unsetenv("BOUNCEDOC_DNS_CANARY");
	(void)unsetenv("BOUNCEDOC_DNS_CANARY_INTERVAL");
}

int
main(void)
{
	test_listen();
	test_dns();
	test_defaults();
	test_flags();
	test_env();
	test_canary();
	return test_done();
}
