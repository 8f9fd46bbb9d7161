/* SPDX-License-Identifier: MIT */
/*
 * test_metrics.c - unit tests for metrics.h: the Prometheus text
 *
 * The pattern-limit counter is exposed from the start at 0, with its HELP
 * and TYPE lines, so that an alert on it needs no special case, and it
 * adds up what each diagnosis reports. The DNS resolver's counters are
 * shown once they are set, and read at each rendering.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "test.h"

/* sample - the value of the unlabelled sample name, or -1 when absent */
static long long
sample(const struct metrics *m, const char *name)
{
	struct buf b;
	char want[128];
	const char *p;
	long long v = -1;

	buf_init(&b, 1u << 20);
	if (metrics_render(m, &b) == 0) {
		(void)buf_append(&b, "", 1); /* NUL-terminate for strstr */
		(void)snprintf(want, sizeof(want), "\n%s ", name);
		p = strstr(b.data, want);
		if (p != NULL)
			v = strtoll(p + strlen(want), NULL, 10);
	}
	buf_clear(&b);
	return v;
}

/* has_line - does the rendered text contain the whole line? */
static bool
has_line(const struct metrics *m, const char *line)
{
	struct buf b;
	char want[256];
	bool found;

	buf_init(&b, 1u << 20);
	(void)metrics_render(m, &b);
	(void)buf_append(&b, "", 1);
	(void)snprintf(want, sizeof(want), "\n%s\n", line);
	found = strstr(b.data, want) != NULL;
	buf_clear(&b);
	return found;
}

int
main(void)
{
	struct metrics *m = metrics_new();

	CHECK(sample(m, "bouncedoc_pattern_limit_total") == 0,
	    "bouncedoc_pattern_limit_total is 0 before any diagnosis");
	CHECK(has_line(m, "# TYPE bouncedoc_pattern_limit_total counter"),
	    "it is typed as a counter");
	metrics_pattern_limit_add(m, 0);
	CHECK(sample(m, "bouncedoc_pattern_limit_total") == 0,
	    "a diagnosis with every rule evaluated adds nothing");
	metrics_pattern_limit_add(m, 2);
	metrics_pattern_limit_add(m, 1);
	CHECK(sample(m, "bouncedoc_pattern_limit_total") == 3,
	    "it adds up the rules left unevaluated (got %lld)",
	    sample(m, "bouncedoc_pattern_limit_total"));

	{
		struct metrics_dns dns = { 0 };

		CHECK(sample(m, "bouncedoc_dns_lookups_total") == -1,
		    "no DNS counters before the resolver is set");
		metrics_set_dns(m, &dns);
		dns.lookups = 7;
		dns.cache_hits = 3;
		dns.joined = 1;
		dns.sent = 4;
		dns.timeouts = 2;
		dns.cache_entries = 5;
		CHECK(sample(m, "bouncedoc_dns_lookups_total") == 7 &&
		        sample(m, "bouncedoc_dns_cache_hits_total") == 3 &&
		        sample(m, "bouncedoc_dns_joined_total") == 1 &&
		        sample(m, "bouncedoc_dns_queries_sent_total") == 4 &&
		        sample(m, "bouncedoc_dns_timeouts_total") == 2 &&
		        sample(m, "bouncedoc_dns_cache_entries") == 5,
		    "the DNS counters as the resolver has them now");
		CHECK(has_line(m,
		          "# TYPE bouncedoc_dns_lookups_total counter") &&
		        has_line(m, "# TYPE bouncedoc_dns_cache_entries gauge"),
		    "lookups is a counter, cache entries a gauge");
		metrics_set_dns(m, NULL);
		CHECK(sample(m, "bouncedoc_dns_lookups_total") == -1,
		    "none once unset");
	}
	{
		struct metrics_canary c = { 1, 0, 0 };

		CHECK(sample(m, "bouncedoc_dns_canary_healthy") == -1,
		    "no canary gauge without a canary");
		metrics_set_canary(m, &c);
		CHECK(sample(m, "bouncedoc_dns_canary_healthy") == 1 &&
		        has_line(m,
		            "# TYPE bouncedoc_dns_canary_healthy gauge"),
		    "the canary gauge: 1 before its first answer");
		c.healthy = 0;
		c.probes = 3;
		c.failures = 2;
		CHECK(sample(m, "bouncedoc_dns_canary_healthy") == 0 &&
		        sample(m, "bouncedoc_dns_canary_probes_total") == 3 &&
		        sample(m, "bouncedoc_dns_canary_failures_total") == 2,
		    "0 while failing; probes and failures counted");
		metrics_set_canary(m, NULL);
		CHECK(sample(m, "bouncedoc_dns_canary_healthy") == -1,
		    "none once unset");
	}
	metrics_free(m);
	return test_done();
}
