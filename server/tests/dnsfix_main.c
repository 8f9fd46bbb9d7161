/* SPDX-License-Identifier: MIT */
/*
 * dnsfix_main.c - build/dns-fixture: the fixture DNS server as a program
 *
 * Usage: dns-fixture [--zone FILE.json] [--listen 127.0.0.1[:PORT]]
 *        [--port-file PATH] [--drop] [--servfail] [--refused]
 *        [--nxdomain] [--truncate] [--delay-ms N] [--verbose]
 *
 * Serves the zone file (format in dnsfix.h) over UDP and TCP on a
 * loopback address; port 0 (the default) picks a free one. When the
 * sockets listen, it prints "listening 127.0.0.1:PORT" on stdout and, with
 * --port-file, writes the port number to PATH (atomically, by rename), so
 * a harness can wait for the file. The flags set the server-wide
 * behaviour. SIGHUP reads the zone file again (a broken file keeps the
 * old zone and says why on stderr); SIGTERM and SIGINT stop it and remove
 * the port file. --verbose logs one line per query on stderr.
 * Not here: the server itself (dnsfix.c, dnsfix_zone.c).
 */
#include <sys/signalfd.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dnsfix.h"
#include "evloop.h"
#include "xmalloc.h"

struct dnsfix_main {
	struct dnsfix *fix;
	const char *zone_path;
	int status;
};

static void
dnsfix_main_usage(void)
{
	(void)fprintf(stderr,
	    "usage: dns-fixture [--zone FILE.json] "
	    "[--listen 127.0.0.1[:PORT]] [--port-file PATH]\n"
	    "       [--drop] [--servfail] [--refused] [--nxdomain] "
	    "[--truncate] [--delay-ms N] [--verbose]\n");
}

/* dnsfix_main_number - a decimal in [0, max]; 0 or -1 */
static int
dnsfix_main_number(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return -1;
	*out = v;
	return 0;
}

/* dnsfix_main_listen - "ADDR[:PORT]" into addr (cap bytes) and port */
static int
dnsfix_main_listen(const char *arg, char *addr, size_t cap, uint16_t *port)
{
	const char *colon = strrchr(arg, ':');
	size_t n = colon != NULL ? (size_t)(colon - arg) : strlen(arg);
	unsigned long p = 0;

	if (n == 0 || n >= cap)
		return -1;
	if (colon != NULL && dnsfix_main_number(colon + 1, 65535, &p) == -1)
		return -1;
	memcpy(addr, arg, n);
	addr[n] = '\0';
	*port = (uint16_t)p;
	return 0;
}

/* dnsfix_main_port_file - write the port, then rename into place */
static int
dnsfix_main_port_file(const char *path, uint16_t port)
{
	char *tmp = xasprintf("%s.tmp", path);
	FILE *fp = fopen(tmp, "w");
	int rc = -1;

	if (fp == NULL)
		goto out;
	if (fprintf(fp, "%u\n", (unsigned)port) < 0) {
		(void)fclose(fp);
		goto out;
	}
	if (fclose(fp) != 0 || rename(tmp, path) == -1)
		goto out;
	rc = 0;
out:
	if (rc == -1) {
		(void)fprintf(stderr, "dns-fixture: %s: %s\n", path,
		    strerror(errno));
		(void)unlink(tmp);
	}
	free(tmp);
	return rc;
}

static int
dnsfix_main_load(struct dnsfix_main *m)
{
	struct dnsfix_zone *z;
	char *err = NULL;

	if (m->zone_path == NULL)
		return 0;
	z = dnsfix_zone_load(m->zone_path, &err);
	if (z == NULL) {
		(void)fprintf(stderr, "dns-fixture: %s\n", err);
		free(err);
		return -1;
	}
	dnsfix_set_zone(m->fix, &z);
	return 0;
}

static void
dnsfix_main_signal(struct evloop *loop, int fd, unsigned events, void *arg)
{
	struct dnsfix_main *m = arg;
	struct signalfd_siginfo si;

	(void)events;
	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			if (dnsfix_main_load(m) == 0 && m->zone_path != NULL)
				(void)fprintf(stderr,
				    "dns-fixture: reloaded %s\n", m->zone_path);
			continue;
		}
		evloop_stop(loop);
	}
}

/* dnsfix_main_signals - TERM, INT and HUP through a signalfd */
static int
dnsfix_main_signals(struct evloop *loop, struct dnsfix_main *m)
{
	sigset_t set;
	int fd;

	(void)signal(SIGPIPE, SIG_IGN);
	(void)sigemptyset(&set);
	(void)sigaddset(&set, SIGTERM);
	(void)sigaddset(&set, SIGINT);
	(void)sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
		return -1;
	fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (fd == -1)
		return -1;
	if (evloop_fd_add(loop, fd, EVLOOP_READ, dnsfix_main_signal, m) == -1) {
		(void)close(fd);
		return -1;
	}
	return fd;
}

/* dnsfix_main_flags - the command line into the options and b; 0, -1 */
static int
dnsfix_main_flags(int argc, char **argv, struct dnsfix_main *m, char *addr,
    size_t addrcap, uint16_t *port, const char **port_file,
    struct dnsfix_behaviour *b, bool *verbose)
{
	static const struct option opts[] = {
		{ "zone", required_argument, NULL, 'z' },
		{ "listen", required_argument, NULL, 'l' },
		{ "port-file", required_argument, NULL, 'p' },
		{ "drop", no_argument, NULL, 'd' },
		{ "servfail", no_argument, NULL, 's' },
		{ "refused", no_argument, NULL, 'r' },
		{ "nxdomain", no_argument, NULL, 'n' },
		{ "truncate", no_argument, NULL, 't' },
		{ "delay-ms", required_argument, NULL, 'D' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long v;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'z':
			m->zone_path = optarg;
			break;
		case 'l':
			if (dnsfix_main_listen(optarg, addr, addrcap, port) ==
			    -1) {
				(void)fprintf(stderr,
				    "dns-fixture: bad --listen %s\n", optarg);
				return -1;
			}
			break;
		case 'p':
			*port_file = optarg;
			break;
		case 'd':
			b->drop = true;
			break;
		case 's':
			b->servfail = true;
			break;
		case 'r':
			b->refused = true;
			break;
		case 'n':
			b->nxdomain = true;
			break;
		case 't':
			b->truncate = true;
			break;
		case 'D':
			if (dnsfix_main_number(optarg, DNSFIX_MAX_DELAY_MS,
			        &v) == -1) {
				(void)fprintf(stderr,
				    "dns-fixture: bad --delay-ms %s\n", optarg);
				return -1;
			}
			b->delay_ms = (uint32_t)v;
			break;
		case 'v':
			*verbose = true;
			break;
		default:
			dnsfix_main_usage();
			return -1;
		}
	}
	if (optind != argc) {
		dnsfix_main_usage();
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct dnsfix_main m = { NULL, NULL, 0 };
	struct dnsfix_behaviour b;
	struct evloop *loop;
	char addr[64] = "127.0.0.1", *err = NULL;
	const char *port_file = NULL;
	uint16_t port = 0;
	bool verbose = false;
	int sigfd;

	memset(&b, 0, sizeof(b));
	if (dnsfix_main_flags(argc, argv, &m, addr, sizeof(addr), &port,
	        &port_file, &b, &verbose) == -1)
		return 2;
	loop = evloop_new();
	sigfd = dnsfix_main_signals(loop, &m);
	if (sigfd == -1) {
		(void)fprintf(stderr, "dns-fixture: signals: %s\n",
		    strerror(errno));
		evloop_free(loop);
		return 1;
	}
	m.fix = dnsfix_new(loop, addr, port, &err);
	if (m.fix == NULL) {
		(void)fprintf(stderr, "%s\n", err);
		free(err);
		m.status = 1;
		goto out;
	}
	dnsfix_set_behaviour(m.fix, &b);
	dnsfix_set_verbose(m.fix, verbose);
	if (dnsfix_main_load(&m) == -1 ||
	    (port_file != NULL &&
	        dnsfix_main_port_file(port_file, dnsfix_port(m.fix)) == -1)) {
		m.status = 1;
		goto out;
	}
	(void)printf("listening %s:%u\n", addr, (unsigned)dnsfix_port(m.fix));
	(void)fflush(stdout);
	evloop_run(loop);
	if (port_file != NULL)
		(void)unlink(port_file);
out:
	dnsfix_free(m.fix);
	evloop_fd_del(loop, sigfd);
	(void)close(sigfd);
	evloop_free(loop);
	return m.status;
}
