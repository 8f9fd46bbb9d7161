/* SPDX-License-Identifier: MIT */
/*
 * fuzz_spffix.c - libFuzzer target for the SPF fix (spffix.c)
 *
 * Each input is the TXT data of fuzz.example, split at newlines into up
 * to four TXT records ("v=spf1 " put in front of the first when it lacks
 * it), so one record, several records (merged by the fix) and records
 * that do not parse (repaired) all come up. Every other name is
 * NXDOMAIN, except a Google-like provider record. The evaluation runs
 * over that zone for a client with and without a provider's PTR name,
 * then the fix: with every answer at hand it must finish at once, give a
 * fix exactly for fail, softfail, permerror and none, and a corrected
 * record that parses and was evaluated again; every sentence is a
 * message whose arguments each have a name and a text or a message. A
 * violated property aborts, so the fuzzer reports it like a crash.
 * Built by `make fuzz` (clang, libFuzzer) and, with replay.c, by `make
 * fuzz-replay`, which runs the corpus in corpus/spffix/ as a regression
 * test.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "mailprov.h"
#include "spf.h"
#include "spffix.h"
#include "spfrecord.h"

#define FUZZ_MAX_TXT 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_zone {
	struct arena *a;
	struct dnsmsg_record txt[FUZZ_MAX_TXT];
	size_t ntxt;
	struct dnsmsg_record google;
};

static const struct dnsmsg_answer *
fuzz_lookup(void *arg, const char *name, uint16_t type)
{
	struct fuzz_zone *z = arg;
	struct dnsmsg_answer *ans = arena_zalloc(z->a, sizeof(*ans));

	ans->canonical = name;
	ans->status = DNSMSG_NXDOMAIN;
	if (strcasecmp(name, "fuzz.example") == 0) {
		ans->status = DNSMSG_OK;
		if (type == DNSMSG_T_TXT) {
			ans->records = z->txt;
			ans->nrecords = z->ntxt;
		}
	} else if (strcasecmp(name, "_spf.google.com") == 0) {
		ans->status = DNSMSG_OK;
		if (type == DNSMSG_T_TXT) {
			ans->records = &z->google;
			ans->nrecords = 1;
		}
	}
	return ans;
}

/* fuzz_txt - a TXT record of a copy of s (NUL after the last byte, as
 * dnsmsg.h promises) */
static void
fuzz_txt(struct arena *a, struct dnsmsg_record *r, const char *s, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->type = DNSMSG_T_TXT;
	r->u.txt.data = arena_strndup(a, s, len);
	r->u.txt.len = len;
	r->u.txt.nstrings = 1;
}

/* fuzz_msg_ok - m and its sub-messages are complete: every argument
 * has a value */
static bool
fuzz_msg_ok(const struct texts_msg *m)
{
	if (m->id == NULL || m->nargs > TEXTS_MAX_ARGS)
		return false;
	for (size_t i = 0; i < m->nargs; i++) {
		const struct texts_arg *g = &m->args[i];

		/* exactly one of a text, a message and a number */
		if (g->name == NULL ||
		    (g->text != NULL) + (g->msg != NULL) + g->is_num != 1 ||
		    (g->msg != NULL && !fuzz_msg_ok(g->msg)))
			return false;
	}
	return true;
}

static void
fuzz_one(struct fuzz_zone *z, const char *ptr)
{
	struct spf_query q;
	struct spf_outcome o;
	struct spf_pending pending[SPF_MAX_PENDING];
	size_t n = 0;
	const struct spffix *f = NULL;
	struct spffix_hints h = { ptr, NULL, 0 };
	/* one provider, as rules/providers.json writes it: the fuzzer
	 * reaches the provider paths without reading JSON */
	static const char *const google_ptr[] = { "mail-*.google.com",
		"mail-*.googlemail.com" };
	static const struct mailprov google = { "Google Workspace",
		"_spf.google.com", google_ptr, 2, 4 };
	static const struct mailprov_table providers = { &google, 1 };
	struct spffix_in in = { &q, &o, &h, false, &providers };
	struct spfrecord rec;
	struct spfrecord_error err;
	enum spf_result r;

	memset(&q, 0, sizeof(q));
	q.ip = "192.0.2.7";
	q.domain = "fuzz.example";
	q.now = 1;
	/* every answer is there: neither may stop */
	if (spf_eval(z->a, &q, fuzz_lookup, z, &o, pending, &n) !=
	    SPF_EVAL_DONE)
		abort();
	if (spffix_propose(z->a, &in, fuzz_lookup, z, &f, pending, &n) !=
	    SPFFIX_DONE)
		abort();
	if (!fuzz_msg_ok(o.reason))
		abort();
	for (size_t i = 0; i < o.ntrace; i++)
		if (o.trace[i].found != NULL && !fuzz_msg_ok(o.trace[i].found))
			abort();
	r = o.result;
	if ((r == SPF_PASS || r == SPF_NEUTRAL || r == SPF_TEMPERROR) !=
	    (f == NULL))
		abort();
	if (f == NULL)
		return;
	if (f->why == NULL || f->domain == NULL || !fuzz_msg_ok(f->why) ||
	    (f->warning != NULL && !fuzz_msg_ok(f->warning)))
		abort();
	if ((r == SPF_FAIL || r == SPF_SOFTFAIL) && f->record == NULL)
		abort();
	if (f->record != NULL &&
	    (spfrecord_parse(z->a, span_cstr(f->record), &rec, &err) == -1 ||
	        !f->verified))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_zone z;
	const char *s, *end;
	char *text;

	if (size > 8192)
		return 0;
	memset(&z, 0, sizeof(z));
	z.a = arena_new();
	text = arena_alloc(z.a, size + 8);
	if (size < 7 || strncasecmp((const char *)data, "v=spf1 ", 7) != 0) {
		memcpy(text, "v=spf1 ", 7);
		memcpy(text + 7, data, size);
		size += 7;
	} else {
		memcpy(text, data, size);
	}
	text[size] = '\0';
	s = text;
	end = text + size;
	while (s <= end && z.ntxt < FUZZ_MAX_TXT) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl != NULL ? (size_t)(nl - s) : (size_t)(end - s);

		fuzz_txt(z.a, &z.txt[z.ntxt++], s, len);
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	fuzz_txt(z.a, &z.google, "v=spf1 ip4:192.0.2.0/24 ~all", 28);
	fuzz_one(&z, NULL);
	fuzz_one(&z, "mail-x.google.com");
	arena_free(z.a);
	return 0;
}
