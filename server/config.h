/* SPDX-License-Identifier: MIT */
/*
 * config.h - service configuration
 *
 * API: config_load(&cfg, argc, argv) fills struct config from defaults,
 * then BOUNCEDOC_* environment variables, then command-line flags (later
 * wins), validates it once and returns 0; it returns 1 after printing
 * --help or --version (the caller exits 0) and -1 after printing a usage
 * error (the caller exits 2); in those two cases nothing stays allocated.
 * After that the struct is read-only. config_clear frees what a
 * successful config_load allocated (and is harmless after a failed one).
 * Ownership: the strings in struct config belong to it.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>

#include "log.h"

#define CONFIG_VERSION "0.1.0"

struct config {
	char *listen_host; /* numeric IPv4 or IPv6 address */
	unsigned short listen_port;
	char *rules_dir;
	char *static_dir;
	size_t max_body; /* bytes; larger request bodies get 413 */
	unsigned max_connections;
	unsigned connection_timeout_s; /* idle keep-alive connections */
	unsigned regex_jit; /* 1: JIT-compile patterns (0 for valgrind) */
	enum log_level log_level;
	char *dns_servers; /* "HOST[:PORT],..." or NULL: /etc/resolv.conf */
	unsigned dns_timeout_ms; /* per try */
	unsigned dns_tries;
	unsigned checks_deadline_ms; /* live checks of one request */
	unsigned dns_budget;         /* DNS questions one request may send */
	char *dnsbl_config; /* blocklists; default <rules_dir>/dnsbl.json */
	unsigned dnsbl_health_interval_s; /* between zone self-tests */
	/* the DNS canary (dnscanary.h): the name whose NS records must
	 * resolve, "." for the root zone (the default); NULL: no canary
	 * (--dns-canary none) */
	char *dns_canary;
	unsigned dns_canary_interval_s; /* between its questions */
};

int config_load(struct config *cfg, int argc, char **argv);
void config_clear(struct config *cfg);

/* Is s a DNS server list: "HOST[:PORT][,...]" with numeric IPv4, or IPv6
 * as "ADDR" or "[ADDR]:PORT"? Returns 0, or -1 with *err_out set. */
int config_check_dns(const char *s, const char **err_out);

/* Split "host:port" or "[v6]:port". Returns 0, or -1 with *err_out set. */
int config_parse_listen(const char *s, char **host_out,
    unsigned short *port_out, const char **err_out);

#endif
