/* SPDX-License-Identifier: MIT */
/*
 * fuzz_dnsmsg.c - libFuzzer target for dnsmsg.c
 *
 * Each input is read as a DNS message: dnsmsg_read_question and
 * dnsmsg_read_edns run on it; then dnsmsg_parse reads it as the answer
 * to its own question (so the fuzzer gets past the question check) and
 * to a fixed one. The properties callers rely on are checked, and a
 * violation aborts so the fuzzer reports it like a crash: DNSMSG_OK if
 * and only if there are records, at most DNSMSG_MAX_RECORDS, all of the
 * asked type, canonical always set, TXT data NUL-terminated. An OK answer
 * is then written again with the writers and parsed back, which must
 * give the same records (the text form of names survives the trip).
 * Built by `make fuzz` (clang, libFuzzer) and, with replay.c, by `make
 * fuzz-replay`, which runs the corpus in corpus/dnsmsg/ as a regression
 * test.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "dnsmsg.h"
#include "span.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint16_t fuzz_types[] = { DNSMSG_T_A, DNSMSG_T_AAAA, DNSMSG_T_MX,
	DNSMSG_T_TXT, DNSMSG_T_SPF, DNSMSG_T_PTR, DNSMSG_T_CNAME, DNSMSG_T_NS,
	DNSMSG_T_SOA };

static void
fuzz_check(const struct dnsmsg_answer *ans, uint16_t qtype)
{
	if (ans->canonical == NULL || ans->nrecords > DNSMSG_MAX_RECORDS)
		abort();
	if ((ans->status == DNSMSG_OK) != (ans->nrecords > 0))
		abort();
	if (ans->status == DNSMSG_TIMEOUT)
		abort();
	for (size_t i = 0; i < ans->nrecords; i++) {
		const struct dnsmsg_record *r = &ans->records[i];

		/* ttl is the smallest of those used; RFC 2181 §8 */
		if (r->type != qtype || r->ttl < ans->ttl ||
		    r->ttl > 0x7fffffffu)
			abort();
		if ((qtype == DNSMSG_T_TXT || qtype == DNSMSG_T_SPF) &&
		    (r->u.txt.data == NULL ||
		        r->u.txt.data[r->u.txt.len] != '\0' ||
		        (r->u.txt.nstrings == 0 && r->u.txt.len != 0)))
			abort();
	}
}

/* fuzz_rdata - rec as RDATA again; the length, or -1 for no check */
static int
fuzz_rdata(const struct dnsmsg_record *r, uint8_t *rd, size_t cap)
{
	switch (r->type) {
	case DNSMSG_T_A:
		memcpy(rd, r->u.a, 4);
		return 4;
	case DNSMSG_T_AAAA:
		memcpy(rd, r->u.aaaa, 16);
		return 16;
	case DNSMSG_T_MX:
		return dnsmsg_rdata_mx(r->u.mx.preference, r->u.mx.host, rd,
		    cap);
	case DNSMSG_T_PTR:
	case DNSMSG_T_CNAME:
	case DNSMSG_T_NS:
		return dnsmsg_rdata_name(r->u.name, rd, cap);
	case DNSMSG_T_TXT:
	case DNSMSG_T_SPF:
		if (r->u.txt.nstrings == 0)
			return 0;
		return dnsmsg_rdata_txt(r->u.txt.data, r->u.txt.len, rd, cap);
	default:
		return -1;
	}
}

static bool
fuzz_same(const struct dnsmsg_record *x, const struct dnsmsg_record *y)
{
	if (x->type != y->type || x->ttl != y->ttl)
		return false;
	switch (x->type) {
	case DNSMSG_T_A:
		return memcmp(x->u.a, y->u.a, 4) == 0;
	case DNSMSG_T_AAAA:
		return memcmp(x->u.aaaa, y->u.aaaa, 16) == 0;
	case DNSMSG_T_MX:
		return x->u.mx.preference == y->u.mx.preference &&
		    strcmp(x->u.mx.host, y->u.mx.host) == 0;
	case DNSMSG_T_PTR:
	case DNSMSG_T_CNAME:
	case DNSMSG_T_NS:
		return strcmp(x->u.name, y->u.name) == 0;
	case DNSMSG_T_TXT:
	case DNSMSG_T_SPF:
		return x->u.txt.len == y->u.txt.len &&
		    (x->u.txt.nstrings == 0) == (y->u.txt.nstrings == 0) &&
		    memcmp(x->u.txt.data, y->u.txt.data, x->u.txt.len) == 0;
	default:
		return true;
	}
}

/* fuzz_roundtrip - an OK answer written and parsed again is the same */
static void
fuzz_roundtrip(struct arena *a, const struct dnsmsg_answer *ans, uint16_t qtype)
{
	static uint8_t buf[DNSMSG_MAX_MSG], rd[DNSMSG_MAX_MSG];
	struct dnsmsg_writer w;
	struct dnsmsg_answer again;
	int n;

	if (ans->status != DNSMSG_OK)
		return;
	dnsmsg_writer_init(&w, buf, sizeof(buf));
	if (dnsmsg_write_header(&w, 1, DNSMSG_F_QR, ans->canonical, qtype) ==
	    -1)
		abort(); /* a name we gave out must be writable */
	for (size_t i = 0; i < ans->nrecords; i++) {
		n = fuzz_rdata(&ans->records[i], rd, sizeof(rd));
		if (n < 0 && ans->records[i].type != qtype)
			abort();
		if (n < 0)
			return; /* a type kept without RDATA */
		if (dnsmsg_write_rr(&w, ans->canonical, qtype,
		        ans->records[i].ttl, rd, (size_t)n) == -1) {
			if (!w.full)
				abort();
			return; /* too large as one message */
		}
	}
	if (dnsmsg_parse(a, span_make((const char *)buf, w.len), ans->canonical,
	        qtype, &again) != DNSMSG_OK ||
	    again.nrecords != ans->nrecords ||
	    strcmp(again.canonical, ans->canonical) != 0)
		abort();
	for (size_t i = 0; i < ans->nrecords; i++) {
		if (!fuzz_same(&ans->records[i], &again.records[i]))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct span msg = span_make((const char *)data, size);
	char name[DNSMSG_MAX_TEXT];
	uint16_t id, qtype, flags, payload;
	struct dnsmsg_answer ans;
	struct arena *a = arena_new();

	(void)dnsmsg_read_edns(msg, &payload);
	if (dnsmsg_read_question(msg, &id, name, &qtype, &flags) == 0) {
		(void)dnsmsg_parse(a, msg, name, qtype, &ans);
		fuzz_check(&ans, qtype);
		fuzz_roundtrip(a, &ans, qtype);
	}
	qtype = fuzz_types[size % (sizeof(fuzz_types) / sizeof(fuzz_types[0]))];
	(void)dnsmsg_parse(a, msg, "example.com", qtype, &ans);
	fuzz_check(&ans, qtype);
	fuzz_roundtrip(a, &ans, qtype);
	arena_free(a);
	return 0;
}
