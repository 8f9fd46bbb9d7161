/* SPDX-License-Identifier: MIT */
/*
 * checks_bench.c - the live checks of a diagnosis at once, one and 200
 *
 * Runs what GET /api/v1/check?ip=&domain= runs (SPF, DMARC, PTR with
 * forward confirmation, the blocklists of bench/dnsbl-8.json, MX) through
 * the service's real path: checkrun.c on one resolver session per run
 * (the service's DNS budget and checks deadline), resolver.c and c-ares,
 * against the fixture DNS server (server/tests/dnsfix.h) on 127.0.0.1.
 * The fixture runs in a child process on its own loop, so the measured
 * thread does only the service's work; every answer is delayed by
 * DELAY_MS, then by 0 ms.
 * Each sender N (senderN.example, client 45.90+N/256.N%256.25) has an
 * SPF record with two nested includes that fails the client (so the fix
 * runs too), a DMARC record, an MX with two exchanges, a PTR name
 * confirmed by its A record, and a listing on one of the 8 lists (A and
 * TXT). Phases, each on a fresh resolver (empty cache):
 * - one run, ROUNDS times: wall time, queries, queries per round trip
 *   (sampled in the middle of each), when each check reported, and the
 *   two bounds: the longest dependent chain and one query at a time;
 * - RUNS runs started at once, different senders, then all the same
 *   sender: total wall time, p50/p99/max per run;
 * - the same at 0 ms, and once more on the warm cache: CPU per run.
 * Every phase reports the checks not checked, the "not_checked" of the
 * answers' JSON (report_checks), the lookups that ended without an
 * answer, the datagrams the kernel dropped for a full socket buffer (Udp
 * RcvbufErrors, questions and answers) and the thread count before and
 * after.
 * Usage: build/bench/checks_bench [-n RUNS] [-d DELAY_MS] [-r ROUNDS]
 * (from the repository root: it reads rules/ and bench/dnsbl-8.json)
 */
#include <sys/resource.h>
#include <sys/wait.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "check_dmarc.h"
#include "check_dnsbl.h"
#include "check_mx.h"
#include "check_ptr.h"
#include "check_spf.h"
#include "checkrun.h"
#include "dnsbl_config.h"
#include "dnsfix.h"
#include "evloop.h"
#include "report.h"
#include "resolver.h"
#include "rules.h"

#define BENCH_RUNS_DEFAULT  200
#define BENCH_DELAY_DEFAULT 100
#define BENCH_ROUNDS        5
#define BENCH_MAX_RUNS      1000
#define BENCH_DEADLINE_MS   5000 /* --checks-deadline-ms default */
#define BENCH_BUDGET        100  /* --dns-budget default */
#define BENCH_DNS_TIMEOUT   1500 /* --dns-timeout-ms default */
#define BENCH_DNS_TRIES     2    /* --dns-tries default */
#define BENCH_SAFETY_MS     30000
#define BENCH_MAX_SAMPLES   64
#define BENCH_DNSBL_CONFIG  "bench/dnsbl-8.json"
#define BENCH_NKINDS        5
/* SPF: the sender's TXT, then _spf's, then _spf2's */
#define BENCH_CHAIN         3

/* One run: its own check_env first, so a wrapped start finds the run
 * from check_in.env. */
struct bench_run {
	struct check_env env;
	struct evloop *loop;
	unsigned *left; /* runs of the phase still going */
	struct arena *a;
	struct checkrun *run;
	uint64_t t0_us;
	uint64_t done_us;               /* from t0 */
	uint64_t kind_us[BENCH_NKINDS]; /* each check's report, from t0 */
	struct bench_run *self;         /* writable, from a const view */
};

/* What a phase came to. */
struct bench_phase {
	unsigned runs;
	uint64_t wall_us;
	uint64_t *run_us; /* sorted */
	uint64_t kind_us[BENCH_NKINDS];
	double cpu_us;
	unsigned unchecked;     /* checks that reported not checked */
	unsigned not_checked;   /* "not_checked" in the answers' JSON */
	unsigned long timeouts; /* lookups that ended without an answer */
	unsigned long sent;     /* questions sent */
	unsigned long joined;   /* lookups joined to one in flight */
	unsigned long rcvbuf;   /* datagrams the kernel dropped */
	long threads_before, threads_after;
	unsigned long waves[BENCH_MAX_SAMPLES];
	size_t nwaves;
};

struct bench_fixture {
	pid_t pid;
	int ctl; /* closing it stops the child */
	char servers[32];
};

struct bench_sampler {
	struct evloop *loop;
	const struct resolver *res;
	struct evloop_timer *timer;
	uint64_t start_ms;
	unsigned delay_ms;
	unsigned long at[BENCH_MAX_SAMPLES];
	size_t n;
};

struct bench {
	struct evloop *loop;
	struct ruleset *rules;
	struct dnsbl_config *dnsbl;
	struct bench_fixture fix;
	unsigned delay_ms;
	struct bench_run runs[BENCH_MAX_RUNS];
};

static const struct check_kind *const bench_real[BENCH_NKINDS] = {
	&check_spf_kind, &check_dmarc_kind, &check_ptr_kind, &check_dnsbl_kind,
	&check_mx_kind
};

struct bench_wrap {
	struct bench_run *r;
	size_t k;
	check_done_fn *done;
	void *arg;
};

static void
bench_die(const char *what, const char *why)
{
	(void)fprintf(stderr, "checks_bench: %s%s%s\n", what,
	    why != NULL ? ": " : "", why != NULL ? why : "");
	exit(1);
}

/* -- the zone and the fixture's process ------------------------------ */

static void
bench_sender(unsigned i, char ip[32], char dom[64], char rev[64])
{
	unsigned b = 90 + i / 256, c = i % 256;

	(void)snprintf(ip, 32, "45.%u.%u.25", b, c);
	(void)snprintf(dom, 64, "sender%u.example", i);
	(void)snprintf(rev, 64, "25.%u.%u.45.in-addr.arpa", c, b);
}

static void
bench_add(int rc, const char *name)
{
	if (rc == -1)
		bench_die("bad record", name);
}

static void
bench_zone_sender(struct dnsfix_zone *z, unsigned i)
{
	char ip[32], dom[64], rev[64], n[128], v[160];

	bench_sender(i, ip, dom, rev);
	(void)snprintf(v, sizeof(v),
	    "v=spf1 ip4:45.200.0.0/24 include:_spf.%s -all", dom);
	bench_add(dnsfix_add_txt(z, dom, DNSFIX_TTL, v), dom);
	(void)snprintf(n, sizeof(n), "_spf.%s", dom);
	(void)snprintf(v, sizeof(v),
	    "v=spf1 ip4:45.201.0.0/24 include:_spf2.%s ~all", dom);
	bench_add(dnsfix_add_txt(z, n, DNSFIX_TTL, v), n);
	(void)snprintf(n, sizeof(n), "_spf2.%s", dom);
	bench_add(dnsfix_add_txt(z, n, DNSFIX_TTL,
	              "v=spf1 ip4:45.202.0.0/24 -all"),
	    n);
	(void)snprintf(n, sizeof(n), "_dmarc.%s", dom);
	(void)snprintf(v, sizeof(v), "v=DMARC1; p=reject; rua=mailto:dmarc@%s",
	    dom);
	bench_add(dnsfix_add_txt(z, n, DNSFIX_TTL, v), n);
	for (unsigned k = 1; k <= 2; k++) {
		(void)snprintf(n, sizeof(n), "mx%u.%s", k, dom);
		bench_add(dnsfix_add_mx(z, dom, DNSFIX_TTL, (uint16_t)(10 * k),
		              n),
		    dom);
		(void)snprintf(v, sizeof(v), "45.203.%u.%u", i % 256, k);
		bench_add(dnsfix_add_a(z, n, DNSFIX_TTL, v), n);
	}
	(void)snprintf(n, sizeof(n), "mail.%s", dom);
	bench_add(dnsfix_add_ptr(z, rev, DNSFIX_TTL, n), rev);
	bench_add(dnsfix_add_a(z, n, DNSFIX_TTL, ip), n);
	/* bl1 lists the client and says why; the 7 others answer NXDOMAIN */
	(void)snprintf(n, sizeof(n), "%.*s.bl1.bench.example",
	    (int)(strlen(rev) - strlen(".in-addr.arpa")), rev);
	bench_add(dnsfix_add_a(z, n, DNSFIX_TTL, "127.0.0.2"), n);
	bench_add(dnsfix_add_txt(z, n, DNSFIX_TTL, "listed by the benchmark"),
	    n);
}

/* bench_child_ctl - the parent closed the pipe: stop */
static void
bench_child_ctl(struct evloop *loop, int fd, unsigned events, void *arg)
{
	(void)fd;
	(void)events;
	(void)arg;
	evloop_stop(loop);
}

/* bench_child - the fixture on its own loop until ctl closes */
static void
bench_child(int ctl, int out, unsigned nsenders, uint32_t delay_ms)
{
	const struct dnsfix_behaviour slow = { .delay_ms = delay_ms };
	struct evloop *loop;
	struct dnsfix_zone *z = dnsfix_zone_new();
	struct dnsfix *fix;
	char *err = NULL;
	uint16_t port;

	/* nothing of the parent's: its loop, its sockets */
	for (int fd = 3; fd < 1024; fd++) {
		if (fd != ctl && fd != out)
			(void)close(fd);
	}
	loop = evloop_new();
	fix = dnsfix_new(loop, "127.0.0.1", 0, &err);
	if (fix == NULL)
		bench_die("fixture DNS server", err);
	for (unsigned i = 0; i < nsenders; i++)
		bench_zone_sender(z, i);
	dnsfix_set_zone(fix, &z);
	if (delay_ms > 0)
		dnsfix_set_behaviour(fix, &slow);
	port = dnsfix_port(fix);
	if (write(out, &port, sizeof(port)) != (ssize_t)sizeof(port))
		bench_die("fixture DNS server", "cannot report its port");
	(void)close(out);
	if (evloop_fd_add(loop, ctl, EVLOOP_READ, bench_child_ctl, NULL) == -1)
		bench_die("fixture DNS server", "cannot watch its pipe");
	evloop_run(loop);
	evloop_fd_del(loop, ctl);
	dnsfix_free(fix);
	evloop_free(loop);
	_exit(0);
}

static void
bench_fixture_start(struct bench_fixture *bf, unsigned nsenders,
    uint32_t delay_ms)
{
	int ctl[2], port[2];
	uint16_t p;

	if (pipe(ctl) == -1 || pipe(port) == -1)
		bench_die("pipe", strerror(errno));
	(void)fflush(NULL);
	bf->pid = fork();
	if (bf->pid == -1)
		bench_die("fork", strerror(errno));
	if (bf->pid == 0) {
		(void)close(ctl[1]);
		(void)close(port[0]);
		bench_child(ctl[0], port[1], nsenders, delay_ms);
	}
	(void)close(ctl[0]);
	(void)close(port[1]);
	if (read(port[0], &p, sizeof(p)) != (ssize_t)sizeof(p))
		bench_die("fixture DNS server", "did not start");
	(void)close(port[0]);
	bf->ctl = ctl[1];
	(void)snprintf(bf->servers, sizeof(bf->servers), "127.0.0.1:%u",
	    (unsigned)p);
}

static void
bench_fixture_stop(struct bench_fixture *bf)
{
	(void)close(bf->ctl);
	(void)waitpid(bf->pid, NULL, 0);
}

/* -- what the process sees ------------------------------------------- */

static long
bench_threads(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long n = -1;

	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "Threads:", 8) == 0)
			n = strtol(line + 8, NULL, 10);
	}
	if (f != NULL)
		(void)fclose(f);
	return n;
}

/* bench_rcvbuf_errors - Udp RcvbufErrors of /proc/net/snmp: datagrams
 * dropped because a socket's receive buffer was full (all sockets of
 * the network namespace) */
static unsigned long
bench_rcvbuf_errors(void)
{
	FILE *f = fopen("/proc/net/snmp", "r");
	char head[1024], vals[1024];
	unsigned long v = 0;

	while (f != NULL && fgets(head, sizeof(head), f) != NULL) {
		char *h, *x, *hs, *xs;

		if (strncmp(head, "Udp: ", 5) != 0 ||
		    fgets(vals, sizeof(vals), f) == NULL)
			continue;
		h = strtok_r(head, " \n", &hs);
		x = strtok_r(vals, " \n", &xs);
		while (h != NULL && x != NULL) {
			if (strcmp(h, "RcvbufErrors") == 0)
				v = strtoul(x, NULL, 10);
			h = strtok_r(NULL, " \n", &hs);
			x = strtok_r(NULL, " \n", &xs);
		}
		break;
	}
	if (f != NULL)
		(void)fclose(f);
	return v;
}

static double
bench_cpu_us(void)
{
	struct rusage ru;

	(void)getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

/* -- the runs -------------------------------------------------------- */

static void
bench_wrap_done(void *arg, const struct check_result *r)
{
	struct bench_wrap *w = arg;

	w->r->kind_us[w->k] = evloop_now_us() - w->r->t0_us;
	w->done(w->arg, r);
}

/* bench_wrap_start - the real check's start, its report timed */
static void *
bench_wrap_start(size_t k, const struct check_in *in, check_done_fn *done,
    void *arg)
{
	const struct bench_run *cr = (const struct bench_run *)in->env;
	struct bench_wrap *w = arena_zalloc(in->a, sizeof(*w));

	*w = (struct bench_wrap){ cr->self, k, done, arg };
	return bench_real[k]->start(in, bench_wrap_done, w);
}

#define BENCH_WRAP(k)                                           \
	static void *bench_start_##k(const struct check_in *in, \
	    check_done_fn *done, void *arg)                     \
	{                                                       \
		return bench_wrap_start(k, in, done, arg);      \
	}
BENCH_WRAP(0)
BENCH_WRAP(1)
BENCH_WRAP(2)
BENCH_WRAP(3)
BENCH_WRAP(4)

static check_start_fn *const bench_starts[BENCH_NKINDS] = { bench_start_0,
	bench_start_1, bench_start_2, bench_start_3, bench_start_4 };

static void
bench_run_done(struct checkrun *run, void *arg)
{
	struct bench_run *r = arg;

	(void)run;
	r->done_us = evloop_now_us() - r->t0_us;
	if (--*r->left == 0)
		evloop_stop(r->loop);
}

/* bench_start - run r for sender i, as api_check.c starts
 * GET /api/v1/check?ip=&domain= */
static void
bench_start(struct bench *b, const struct checkrun_env *renv,
    struct check_kind *kinds, struct bench_run *r, unsigned i, uint64_t t0,
    unsigned *left)
{
	char ip[32], dom[64], rev[64];
	struct check_in in = { 0 };

	bench_sender(i, ip, dom, rev);
	*r = (struct bench_run){ .env = { b->rules, b->dnsbl, NULL },
		.loop = b->loop,
		.left = left,
		.a = arena_new(),
		.t0_us = t0 };
	r->self = r;
	in.env = &r->env;
	in.lang = LANG_EN;
	in.sending_ip = arena_strndup(r->a, ip, strlen(ip));
	in.sender_domain = in.domain = in.dkim_domain =
	    arena_strndup(r->a, dom, strlen(dom));
	r->run = checkrun_new(renv, r->a);
	for (size_t k = 0; k < BENCH_NKINDS; k++)
		(void)checkrun_add(r->run, &kinds[k], &in);
	++*left;
	checkrun_go(r->run, BENCH_DEADLINE_MS, bench_run_done, r);
	if (checkrun_is_done(r->run)) {
		r->done_us = evloop_now_us() - t0;
		--*left;
	}
}

static unsigned
bench_count(const char *s, const char *what)
{
	unsigned n = 0;

	for (const char *p = s; (p = strstr(p, what)) != NULL; p++)
		n++;
	return n;
}

/* bench_end - what run r came to, into ph; frees it */
static void
bench_end(struct bench *b, struct bench_run *r, struct bench_phase *ph,
    size_t i, bool show)
{
	const struct check_result *res;
	struct check_result real[BENCH_NKINDS];
	size_t n, len;
	char *json;

	res = checkrun_results(r->run, &n);
	if (n > BENCH_NKINDS)
		bench_die("more checks than asked for", NULL);
	/* report.c knows a check by its kind: the real one, not the wrap */
	for (size_t k = 0; k < n; k++) {
		real[k] = res[k];
		real[k].kind = bench_real[k];
		ph->unchecked += res[k].unchecked != NULL;
	}
	json = report_checks(rules_texts(b->rules), LANG_EN, real, n, &len);
	/* a status not_checked, or a reason given (null when checked) */
	ph->not_checked += bench_count(json, "\"not_checked\"") +
	    bench_count(json, "\"not_checked_reason\":\"");
	if (show)
		(void)printf("%s\n", json);
	free(json);
	ph->run_us[i] = r->done_us;
	for (size_t k = 0; k < BENCH_NKINDS; k++) {
		if (r->kind_us[k] > ph->kind_us[k])
			ph->kind_us[k] = r->kind_us[k];
	}
	checkrun_free(r->run);
	arena_free(r->a);
}

static void
bench_sample(struct evloop *loop, void *arg)
{
	struct bench_sampler *sp = arg;
	uint64_t next, now;

	sp->timer = NULL;
	if (sp->n == BENCH_MAX_SAMPLES)
		return;
	sp->at[sp->n++] = resolver_counters(sp->res)->sent;
	/* the middle of the next round trip */
	next = sp->start_ms + sp->delay_ms / 2 + sp->n * sp->delay_ms;
	now = evloop_now_ms();
	sp->timer = evloop_timer_add(loop, next > now ? next - now : 0,
	    bench_sample, sp);
}

static int
bench_cmp_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return a < b ? -1 : a > b;
}

static struct resolver *
bench_resolver(struct bench *b)
{
	const struct resolver_config rc = { b->fix.servers, BENCH_DNS_TIMEOUT,
		BENCH_DNS_TRIES };
	const char *err = NULL;
	struct resolver *res = resolver_new(b->loop, &rc, &err);

	if (res == NULL)
		bench_die("resolver", err);
	return res;
}

/* bench_phase - nruns runs started at once (sender i, or sender 0 for
 * all when !distinct) on res, or on a fresh resolver when res is NULL */
static void
bench_phase(struct bench *b, struct resolver *res, unsigned nruns,
    bool distinct, bool show, struct bench_phase *ph)
{
	struct check_kind kinds[BENCH_NKINDS];
	struct resolver *own = res == NULL ? bench_resolver(b) : NULL;
	struct resolver *r = own != NULL ? own : res;
	const struct checkrun_env renv = { b->loop, r, BENCH_BUDGET, NULL };
	const struct metrics_dns *cn = resolver_counters(r);
	unsigned long timeouts = cn->timeouts, sent = cn->sent,
	              joined = cn->joined, rcvbuf = bench_rcvbuf_errors();
	struct bench_sampler sp = { .loop = b->loop,
		.res = r,
		.delay_ms = b->delay_ms };
	unsigned left = 0;
	uint64_t t0;
	double cpu0;

	memset(ph, 0, sizeof(*ph));
	ph->runs = nruns;
	ph->run_us = calloc(nruns, sizeof(*ph->run_us));
	if (ph->run_us == NULL)
		bench_die("out of memory", NULL);
	for (size_t k = 0; k < BENCH_NKINDS; k++) {
		kinds[k] = *bench_real[k];
		kinds[k].start = bench_starts[k];
	}
	ph->threads_before = bench_threads();
	if (nruns == 1 && b->delay_ms >= 20) {
		sp.start_ms = evloop_now_ms();
		sp.timer = evloop_timer_add(b->loop, b->delay_ms / 2,
		    bench_sample, &sp);
	}
	cpu0 = bench_cpu_us();
	t0 = evloop_now_us();
	for (unsigned i = 0; i < nruns; i++)
		bench_start(b, &renv, kinds, &b->runs[i], distinct ? i : 0, t0,
		    &left);
	if (left > 0 && !evloop_run_for(b->loop, BENCH_SAFETY_MS))
		bench_die("runs did not end", NULL);
	ph->wall_us = evloop_now_us() - t0;
	ph->cpu_us = bench_cpu_us() - cpu0;
	evloop_timer_cancel(b->loop, sp.timer);
	for (size_t i = 0; i < sp.n; i++) {
		ph->waves[i] = sp.at[i] - (i > 0 ? sp.at[i - 1] : sent);
		if (ph->waves[i] > 0)
			ph->nwaves = i + 1;
	}
	for (unsigned i = 0; i < nruns; i++)
		bench_end(b, &b->runs[i], ph, i, show && i == 0);
	qsort(ph->run_us, nruns, sizeof(*ph->run_us), bench_cmp_u64);
	ph->threads_after = bench_threads();
	ph->timeouts = cn->timeouts - timeouts;
	ph->sent = cn->sent - sent;
	ph->joined = cn->joined - joined;
	ph->rcvbuf = bench_rcvbuf_errors() - rcvbuf;
	resolver_free(own);
}

/* -- reporting ------------------------------------------------------- */

static double
bench_ms(uint64_t us)
{
	return (double)us / 1e3;
}

static uint64_t
bench_pct(const struct bench_phase *ph, unsigned pct)
{
	size_t i = ((size_t)ph->runs * pct + 99) / 100;

	return ph->run_us[i > 0 ? i - 1 : 0];
}

static void
bench_print_health(const char *what, const struct bench_phase *ph)
{
	(void)printf("%s: %u checks not checked, %u \"not_checked\" in the "
	             "answers, %lu lookups without an answer, %lu datagrams "
	             "dropped by the kernel, threads %ld -> %ld\n",
	    what, ph->unchecked, ph->not_checked, ph->timeouts, ph->rcvbuf,
	    ph->threads_before, ph->threads_after);
}

static void
bench_print_many(const char *what, const struct bench_phase *ph)
{
	(void)printf("%s: %u runs, all done in %.1f ms; per run p50 %.1f ms, "
	             "p99 %.1f ms, max %.1f ms; %lu questions sent, %lu "
	             "joined; CPU %.0f us per run\n",
	    what, ph->runs, bench_ms(ph->wall_us), bench_ms(bench_pct(ph, 50)),
	    bench_ms(bench_pct(ph, 99)), bench_ms(ph->run_us[ph->runs - 1]),
	    ph->sent, ph->joined, ph->cpu_us / ph->runs);
	bench_print_health(what, ph);
}

static void
bench_single(struct bench *b, unsigned rounds, bool show)
{
	uint64_t wall[BENCH_ROUNDS * 4];
	struct bench_phase ph, first = { 0 };
	size_t alike = 0;

	for (unsigned round = 0; round < rounds; round++) {
		bench_phase(b, NULL, 1, true, show && round == 0, &ph);
		wall[round] = ph.wall_us;
		if (round == 0) {
			first = ph;
			first.run_us = NULL;
		} else if (ph.nwaves == first.nwaves &&
		    memcmp(ph.waves, first.waves,
		        ph.nwaves * sizeof(ph.waves[0])) == 0) {
			alike++;
		}
		if (ph.unchecked + ph.not_checked + ph.timeouts > 0)
			bench_print_health("single, a round", &ph);
		free(ph.run_us);
	}
	qsort(wall, rounds, sizeof(wall[0]), bench_cmp_u64);
	(void)printf("single at %u ms: median %.1f ms, min %.1f ms, max %.1f "
	             "ms over %u rounds; %lu questions sent (%lu joined); CPU "
	             "%.0f us\n",
	    b->delay_ms, bench_ms(wall[rounds / 2]), bench_ms(wall[0]),
	    bench_ms(wall[rounds - 1]), rounds, first.sent, first.joined,
	    first.cpu_us);
	(void)printf("single at %u ms, each check reported after:",
	    b->delay_ms);
	for (size_t k = 0; k < BENCH_NKINDS; k++)
		(void)printf(" %s %.1f ms", bench_real[k]->name,
		    bench_ms(first.kind_us[k]));
	(void)printf("\n");
	if (first.nwaves > 0) {
		(void)printf("single at %u ms, questions per round trip:",
		    b->delay_ms);
		for (size_t i = 0; i < first.nwaves; i++)
			(void)printf(" %lu", first.waves[i]);
		(void)printf(" (%zu round trips; %zu of %u rounds alike)\n",
		    first.nwaves, alike + 1, rounds);
		(void)printf("single at %u ms, bounds: longest dependent chain "
		             "%d answers = %u ms; one question at a time %lu x "
		             "%u ms = %lu ms\n",
		    b->delay_ms, BENCH_CHAIN, BENCH_CHAIN * b->delay_ms,
		    first.sent, b->delay_ms, first.sent * b->delay_ms);
	}
	bench_print_health("single", &first);
}

static void
bench_many(struct bench *b, unsigned nruns)
{
	struct bench_phase ph;
	char what[64];

	(void)snprintf(what, sizeof(what), "%u at once at %u ms, different",
	    nruns, b->delay_ms);
	bench_phase(b, NULL, nruns, true, false, &ph);
	bench_print_many(what, &ph);
	free(ph.run_us);
	(void)snprintf(what, sizeof(what), "%u at once at %u ms, same", nruns,
	    b->delay_ms);
	bench_phase(b, NULL, nruns, false, false, &ph);
	bench_print_many(what, &ph);
	free(ph.run_us);
}

/* bench_warm - nruns different runs on a cache that holds every answer */
static void
bench_warm(struct bench *b, unsigned nruns)
{
	struct resolver *res = bench_resolver(b);
	struct bench_phase ph;
	char what[64];

	bench_phase(b, res, nruns, true, false, &ph);
	free(ph.run_us);
	(void)snprintf(what, sizeof(what), "%u at once, warm cache", nruns);
	bench_phase(b, res, nruns, true, false, &ph);
	bench_print_many(what, &ph);
	free(ph.run_us);
	resolver_free(res);
}

static unsigned
bench_arg(const char *s, unsigned max)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v > max)
		bench_die("bad number", s);
	return (unsigned)v;
}

int
main(int argc, char **argv)
{
	static struct bench b;
	unsigned nruns = BENCH_RUNS_DEFAULT, delay = BENCH_DELAY_DEFAULT;
	unsigned rounds = BENCH_ROUNDS;
	bool show = false;
	char *err = NULL;
	int ch;

	while ((ch = getopt(argc, argv, "n:d:r:v")) != -1) {
		switch (ch) {
		case 'n':
			nruns = bench_arg(optarg, BENCH_MAX_RUNS);
			break;
		case 'd':
			delay = bench_arg(optarg, 10000);
			break;
		case 'r':
			rounds = bench_arg(optarg, BENCH_ROUNDS * 4);
			break;
		case 'v':
			show = true;
			break;
		default:
			(void)fprintf(stderr,
			    "usage: %s [-n RUNS] [-d DELAY_MS] [-r ROUNDS] "
			    "[-v]\n",
			    argv[0]);
			return 2;
		}
	}
	if (nruns == 0 || rounds == 0)
		bench_die("RUNS and ROUNDS start at 1", NULL);
	if (rules_load("rules", 0, &b.rules, &err) == -1)
		bench_die("rules", err);
	if (dnsbl_config_load(BENCH_DNSBL_CONFIG, rules_texts_writable(b.rules),
	        &b.dnsbl, &err) == -1)
		bench_die("blocklists", err);
	(void)printf("senders: SPF with two nested includes (fail, with the "
	             "fix), DMARC, PTR confirmed, MX with two exchanges, %zu "
	             "blocklists (one lists the client); budget %u, deadline "
	             "%u ms\n",
	    dnsbl_config_count(b.dnsbl), BENCH_BUDGET, BENCH_DEADLINE_MS);
	b.loop = evloop_new();
	for (int pass = 0; pass < 2; pass++) {
		b.delay_ms = pass == 0 ? delay : 0;
		if (pass == 1 && delay == 0)
			break;
		bench_fixture_start(&b.fix, nruns, b.delay_ms);
		bench_single(&b, rounds, show && pass == 0);
		bench_many(&b, nruns);
		if (b.delay_ms == 0)
			bench_warm(&b, nruns);
		bench_fixture_stop(&b.fix);
	}
	evloop_free(b.loop);
	dnsbl_config_free(b.dnsbl);
	rules_free(b.rules);
	return 0;
}
