/* SPDX-License-Identifier: MIT */
/*
 * diag_bench.c - diagnoses per second, one thread, no HTTP
 *
 * Runs every example text of the rule catalog (several hundred real-world
 * wordings) through diag_new and report_diagnosis in a loop and prints
 * the rate and the mean time per diagnosis, for the classification alone
 * and with the JSON rendering. Usage: build/bench/diag_bench [ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "corpus.h"
#include "diag.h"
#include "report.h"

int
main(int argc, char **argv)
{
	struct ruleset *rs = NULL;
	char *err = NULL;
	struct diag_env env = { NULL, NULL };
	int rounds = argc > 1 ? atoi(argv[1]) : 50;
	size_t n = 0;
	double t0, t1, t2;

	if (rules_load("rules", 0, &rs, &err) == -1) {
		(void)fprintf(stderr, "%s\n", err);
		return 1;
	}
	env.rules = rs;
	t0 = bench_now();
	for (int r = 0; r < rounds; r++) {
		for (size_t i = 0; i < rules_count(rs); i++) {
			const struct rule *rule = rules_at(rs, i);

			for (size_t j = 0; j < rule->nexamples; j++) {
				diag_free(diag_new(&env,
				    span_cstr(rule->examples[j]), LANG_EN, 0));
				n++;
			}
		}
	}
	t1 = bench_now();
	for (int r = 0; r < rounds; r++) {
		for (size_t i = 0; i < rules_count(rs); i++) {
			const struct rule *rule = rules_at(rs, i);

			for (size_t j = 0; j < rule->nexamples; j++) {
				struct diag *d = diag_new(&env,
				    span_cstr(rule->examples[j]), LANG_EN, 0);
				size_t len;

				free(report_diagnosis(d, NULL, 0, &len));
				diag_free(d);
			}
		}
	}
	t2 = bench_now();
	(void)printf("texts: %zu (%zu rules, %d rounds)\n", n / (size_t)rounds,
	    rules_count(rs), rounds);
	(void)printf("diagnose: %.0f/s, %.1f us each\n", (double)n / (t1 - t0),
	    (t1 - t0) / (double)n * 1e6);
	(void)printf("diagnose+json: %.0f/s, %.1f us each\n",
	    (double)n / (t2 - t1), (t2 - t1) / (double)n * 1e6);
	rules_free(rs);
	return 0;
}
