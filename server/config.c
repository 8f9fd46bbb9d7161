/* SPDX-License-Identifier: MIT */
/*
 * config.c - service configuration from defaults, environment and flags
 *
 * One table describes every option: its flag, its environment variable,
 * its type and its help line, so that --help, the environment and the
 * parser can never disagree. Not here: the rule catalog (rules.c).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ascii.h"
#include "xmalloc.h"

enum config_kind {
	CONFIG_LISTEN,
	CONFIG_DNS,
	CONFIG_CANARY,
	CONFIG_PATH,
	CONFIG_SIZE,
	CONFIG_UINT,
	CONFIG_LOG_LEVEL,
};

struct config_opt {
	const char *flag;
	const char *env;
	enum config_kind kind;
	size_t offset;
	unsigned long min, max;
	const char *arg;
	const char *help;
};

#define CFG_OFF(f) offsetof(struct config, f)

static const struct config_opt config_opts[] = {
	{ "listen", "BOUNCEDOC_LISTEN", CONFIG_LISTEN, 0, 0, 0, "ADDR:PORT",
	    "address and port to serve HTTP on (default 127.0.0.1:8080)" },
	{ "rules", "BOUNCEDOC_RULES", CONFIG_PATH, CFG_OFF(rules_dir), 0, 0,
	    "DIR",
	    "rule catalog directory (default: rules/ of the source tree, else "
	    "/usr/local/share/bouncedoc/rules)" },
	{ "static", "BOUNCEDOC_STATIC", CONFIG_PATH, CFG_OFF(static_dir), 0, 0,
	    "DIR",
	    "web page directory (default: static/ of the source tree, else "
	    "/usr/local/share/bouncedoc/static)" },
	{ "max-body", "BOUNCEDOC_MAX_BODY", CONFIG_SIZE, CFG_OFF(max_body),
	    1024, 64UL << 20, "BYTES",
	    "largest request body accepted (default 1048576)" },
	{ "max-connections", "BOUNCEDOC_MAX_CONNECTIONS", CONFIG_UINT,
	    CFG_OFF(max_connections), 1, 100000, "N",
	    "simultaneous client connections (default 1024)" },
	{ "connection-timeout", "BOUNCEDOC_CONNECTION_TIMEOUT", CONFIG_UINT,
	    CFG_OFF(connection_timeout_s), 1, 3600, "SECONDS",
	    "close idle client connections after this long (default 30)" },
	{ "regex-jit", "BOUNCEDOC_REGEX_JIT", CONFIG_UINT, CFG_OFF(regex_jit),
	    0, 1, "0|1",
	    "compile rule patterns to machine code (default 1; 0 under valgrind)" },
	{ "log-level", "BOUNCEDOC_LOG_LEVEL", CONFIG_LOG_LEVEL,
	    CFG_OFF(log_level), 0, 0, "LEVEL",
	    "debug, info or warn (default info)" },
	{ "dns", "BOUNCEDOC_DNS", CONFIG_DNS, CFG_OFF(dns_servers), 0, 0,
	    "HOST[:PORT][,...]",
	    "DNS servers for the live checks (default: /etc/resolv.conf)" },
	{ "dns-timeout-ms", "BOUNCEDOC_DNS_TIMEOUT_MS", CONFIG_UINT,
	    CFG_OFF(dns_timeout_ms), 10, 60000, "MS",
	    "wait this long for each DNS try (default 1500)" },
	{ "dns-tries", "BOUNCEDOC_DNS_TRIES", CONFIG_UINT, CFG_OFF(dns_tries),
	    1, 10, "N", "tries per DNS question and server (default 2)" },
	{ "checks-deadline-ms", "BOUNCEDOC_CHECKS_DEADLINE_MS", CONFIG_UINT,
	    CFG_OFF(checks_deadline_ms), 50, 120000, "MS",
	    "answer with what the live checks found by then (default 5000)" },
	{ "dns-budget", "BOUNCEDOC_DNS_BUDGET", CONFIG_UINT,
	    CFG_OFF(dns_budget), 1, 10000, "N",
	    "DNS questions one request may send (default 100)" },
	{ "dnsbl-config", "BOUNCEDOC_DNSBL_CONFIG", CONFIG_PATH,
	    CFG_OFF(dnsbl_config), 0, 0, "FILE",
	    "DNS blocklists to ask (default: dnsbl.json in the --rules "
	    "directory)" },
	{ "dnsbl-health-interval", "BOUNCEDOC_DNSBL_HEALTH_INTERVAL",
	    CONFIG_UINT, CFG_OFF(dnsbl_health_interval_s), 60, 86400, "SEC",
	    "self-test each blocklist zone every SEC seconds (default 3600)" },
	{ "dns-canary", "BOUNCEDOC_DNS_CANARY", CONFIG_CANARY,
	    CFG_OFF(dns_canary), 0, 0, "NAME|none",
	    "a zone whose NS records must resolve, asked at start and then "
	    "periodically; while the answer is wrong the live checks report "
	    "not checked (default . the root zone; none: no canary)" },
	{ "dns-canary-interval", "BOUNCEDOC_DNS_CANARY_INTERVAL", CONFIG_UINT,
	    CFG_OFF(dns_canary_interval_s), 1, 86400, "SECONDS",
	    "ask the DNS canary again this long after its last answer "
	    "(default 60)" },
};

#define CONFIG_NOPTS (sizeof(config_opts) / sizeof(config_opts[0]))

int
config_parse_listen(const char *s, char **host_out, unsigned short *port_out,
    const char **err_out)
{
	const char *colon, *host, *port;
	size_t hlen;
	char hbuf[INET6_ADDRSTRLEN + 1];
	unsigned char addr[sizeof(struct in6_addr)];
	char *end;
	unsigned long p;

	if (s[0] == '[') {
		colon = strstr(s, "]:");
		if (colon == NULL)
			goto bad;
		host = s + 1;
		hlen = (size_t)(colon - host);
		port = colon + 2;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL)
			goto bad;
		host = s;
		hlen = (size_t)(colon - s);
		port = colon + 1;
	}
	if (hlen == 0 || hlen >= sizeof(hbuf))
		goto bad;
	memcpy(hbuf, host, hlen);
	hbuf[hlen] = '\0';
	if (inet_pton(AF_INET, hbuf, addr) != 1 &&
	    inet_pton(AF_INET6, hbuf, addr) != 1) {
		*err_out = "the address must be a numeric IPv4 or IPv6 address";
		return -1;
	}
	errno = 0;
	p = strtoul(port, &end, 10);
	if (errno != 0 || *port == '\0' || *end != '\0' || p > 65535) {
		*err_out = "the port must be a number from 0 to 65535";
		return -1;
	}
	*host_out = xstrdup(hbuf);
	*port_out = (unsigned short)p;
	return 0;
bad:
	*err_out =
	    "expected ADDR:PORT, for example 127.0.0.1:8080 or [::1]:8080";
	return -1;
}

int
config_check_dns(const char *s, const char **err_out)
{
	const char *p = s;

	if (s[0] == '\0') {
		*err_out = "must not be empty";
		return -1;
	}
	while (*p != '\0') {
		size_t n = strcspn(p, ",");
		char item[INET6_ADDRSTRLEN + 16], *host = NULL;
		unsigned char addr[sizeof(struct in6_addr)];
		unsigned short port;
		const char *err;

		if (n == 0 || n >= sizeof(item)) {
			*err_out = "expected HOST[:PORT][,...], e.g. "
			           "127.0.0.1:5353 or [::1]:53";
			return -1;
		}
		memcpy(item, p, n);
		item[n] = '\0';
		/* a bare address (IPv4, or IPv6 without brackets) */
		if (inet_pton(AF_INET, item, addr) != 1 &&
		    inet_pton(AF_INET6, item, addr) != 1) {
			if (config_parse_listen(item, &host, &port, &err) ==
			    -1) {
				*err_out = err;
				return -1;
			}
			free(host);
			if (port == 0) {
				*err_out = "the port must be 1 to 65535";
				return -1;
			}
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* config_check_name - is s "." or a DNS name as text: labels of
 * letters, digits, '-' and '_', 1 to 63 octets each, at most 253 in all,
 * one final dot allowed (RFC 1035 §2.3.4)? */
static int
config_check_name(const char *s, const char **err_out)
{
	size_t len = strlen(s), label = 0;

	if (strcmp(s, ".") == 0)
		return 0;
	if (len > 0 && s[len - 1] == '.')
		len--;
	*err_out = "expected a DNS name, . (the root zone) or none";
	if (len == 0 || len > 253)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (label == 0)
				return -1;
			label = 0;
			continue;
		}
		if (!ascii_is_alnum(s[i]) && s[i] != '-' && s[i] != '_')
			return -1;
		if (++label > 63)
			return -1;
	}
	return label > 0 ? 0 : -1;
}

/* config_set - apply one option value; prints the error itself */
static int
config_set(struct config *cfg, const struct config_opt *o, const char *val,
    const char *from)
{
	char *base = (char *)cfg;
	const char *err = NULL;
	char *end;
	unsigned long v;

	switch (o->kind) {
	case CONFIG_LISTEN:
		free(cfg->listen_host);
		cfg->listen_host = NULL;
		if (config_parse_listen(val, &cfg->listen_host,
		        &cfg->listen_port, &err) == -1)
			goto bad;
		return 0;
	case CONFIG_DNS: {
		char **slot = (char **)(void *)(base + o->offset);

		if (config_check_dns(val, &err) == -1)
			goto bad;
		free(*slot);
		*slot = xstrdup(val);
		return 0;
	}
	case CONFIG_CANARY: {
		char **slot = (char **)(void *)(base + o->offset);

		if (strcmp(val, "none") != 0 &&
		    config_check_name(val, &err) == -1)
			goto bad;
		free(*slot);
		*slot = strcmp(val, "none") == 0 ? NULL : xstrdup(val);
		return 0;
	}
	case CONFIG_PATH: {
		char **slot = (char **)(void *)(base + o->offset);

		if (val[0] == '\0') {
			err = "must not be empty";
			goto bad;
		}
		free(*slot);
		*slot = xstrdup(val);
		return 0;
	}
	case CONFIG_SIZE:
	case CONFIG_UINT:
		errno = 0;
		v = strtoul(val, &end, 10);
		if (errno != 0 || val[0] == '\0' || val[0] == '-' ||
		    *end != '\0' || v < o->min || v > o->max) {
			err = "out of range";
			goto bad;
		}
		if (o->kind == CONFIG_SIZE)
			*(size_t *)(void *)(base + o->offset) = v;
		else
			*(unsigned *)(void *)(base + o->offset) = (unsigned)v;
		return 0;
	case CONFIG_LOG_LEVEL:
		if (log_level_parse(val, &cfg->log_level) == -1 ||
		    cfg->log_level == LOG_FATAL) {
			err = "expected debug, info or warn";
			goto bad;
		}
		return 0;
	}
bad:
	if (o->kind == CONFIG_SIZE || o->kind == CONFIG_UINT)
		(void)fprintf(stderr,
		    "bouncedoc: %s %s: %s (allowed %lu..%lu)\n", from, val, err,
		    o->min, o->max);
	else
		(void)fprintf(stderr, "bouncedoc: %s %s: %s\n", from, val, err);
	return -1;
}

static void
config_usage(FILE *f)
{
	(void)fprintf(f,
	    "usage: bouncedoc [OPTION]...\n"
	    "       bouncedoc diagnose [--lang en|ru] [--no-dns] FILE|-\n"
	    "Bounce diagnosis service: serves the web page and the REST API;\n"
	    "\"diagnose\" prints the API's answer for one bounce "
	    "(see diagnose --help).\n\n");
	for (size_t i = 0; i < CONFIG_NOPTS; i++) {
		char left[64];

		(void)snprintf(left, sizeof(left), "--%s %s",
		    config_opts[i].flag, config_opts[i].arg);
		(void)fprintf(f, "  %-28s %s\n  %-28s [env %s]\n", left,
		    config_opts[i].help, "", config_opts[i].env);
	}
	(void)fprintf(f, "  %-28s %s\n  %-28s %s\n", "--help",
	    "show this help and exit", "--version",
	    "show the version and exit");
}

/* config_default_dir - "<exe>/../name" when it exists, else the install dir */
static char *
config_default_dir(const char *name)
{
	char exe[PATH_MAX], path[PATH_MAX + 32];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash != NULL) {
			*slash = '\0';
			(void)snprintf(path, sizeof(path), "%s/../%s", exe,
			    name);
			if (access(path, R_OK) == 0)
				return xstrdup(path);
		}
	}
	(void)snprintf(path, sizeof(path), "/usr/local/share/bouncedoc/%s",
	    name);
	return xstrdup(path);
}

static void
config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->listen_host = xstrdup("127.0.0.1");
	cfg->listen_port = 8080;
	cfg->max_body = 1U << 20;
	cfg->max_connections = 1024;
	cfg->connection_timeout_s = 30;
	cfg->regex_jit = 1;
	cfg->log_level = LOG_INFO;
	cfg->dns_timeout_ms = 1500;
	cfg->dns_tries = 2;
	cfg->checks_deadline_ms = 5000;
	cfg->dns_budget = 100;
	cfg->dnsbl_health_interval_s = 3600;
	cfg->dns_canary = xstrdup(".");
	cfg->dns_canary_interval_s = 60;
}

/* config_load_args - config_load without the clean-up on early return */
static int
config_load_args(struct config *cfg, int argc, char **argv)
{
	struct option lopts[CONFIG_NOPTS + 3];
	char from[64];
	int c, idx;

	config_defaults(cfg);
	for (size_t i = 0; i < CONFIG_NOPTS; i++) {
		const char *v = getenv(config_opts[i].env);

		if (v != NULL &&
		    config_set(cfg, &config_opts[i], v, config_opts[i].env) ==
		        -1)
			return -1;
		lopts[i] = (struct option){ config_opts[i].flag,
			required_argument, NULL, (int)i };
	}
	lopts[CONFIG_NOPTS] = (struct option){ "help", no_argument, NULL, 'h' };
	lopts[CONFIG_NOPTS + 1] =
	    (struct option){ "version", no_argument, NULL, 'V' };
	lopts[CONFIG_NOPTS + 2] = (struct option){ NULL, 0, NULL, 0 };
	optind = 1;
	while ((c = getopt_long(argc, argv, "hV", lopts, &idx)) != -1) {
		if (c == 'h') {
			config_usage(stdout);
			return 1;
		}
		if (c == 'V') {
			(void)printf("bouncedoc %s\n", CONFIG_VERSION);
			return 1;
		}
		if (c < 0 || (size_t)c >= CONFIG_NOPTS) {
			config_usage(stderr);
			return -1;
		}
		(void)snprintf(from, sizeof(from), "--%s", config_opts[c].flag);
		if (config_set(cfg, &config_opts[c], optarg, from) == -1)
			return -1;
	}
	if (optind < argc) {
		(void)fprintf(stderr, "bouncedoc: unexpected argument '%s'\n",
		    argv[optind]);
		config_usage(stderr);
		return -1;
	}
	if (cfg->rules_dir == NULL)
		cfg->rules_dir = config_default_dir("rules");
	if (cfg->static_dir == NULL)
		cfg->static_dir = config_default_dir("static");
	if (cfg->dnsbl_config == NULL)
		cfg->dnsbl_config = xasprintf("%s/dnsbl.json", cfg->rules_dir);
	return 0;
}

int
config_load(struct config *cfg, int argc, char **argv)
{
	int r = config_load_args(cfg, argc, argv);

	if (r != 0)
		config_clear(cfg);
	return r;
}

void
config_clear(struct config *cfg)
{
	free(cfg->listen_host);
	free(cfg->rules_dir);
	free(cfg->static_dir);
	free(cfg->dns_servers);
	free(cfg->dnsbl_config);
	free(cfg->dns_canary);
	memset(cfg, 0, sizeof(*cfg));
}
