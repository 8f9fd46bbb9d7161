/* SPDX-License-Identifier: MIT */
/*
 * fuzz_spf.c - libFuzzer target for the SPF record parser and the macro
 * expander (spfrecord.c, spfmacro.c, spfname.c, spfaddr.c)
 *
 * Each input is a TXT record's data (any bytes). It is parsed as an SPF
 * record, with "v=spf1 " put in front when it lacks it; every term must
 * lie inside the record, in order, with sane prefixes, and a failure
 * must point inside the record with a message "spfsyntax.*". Every
 * domain-spec is expanded with fixed macro values and trimmed as a query
 * name would be. The whole input also goes through the checker and the
 * expander as explanation text and as a modifier value, which must agree
 * (the expander may refuse only for size), and through the address and
 * name parsers. A violated property aborts, so the fuzzer reports it like
 * a crash.
 * Built by `make fuzz` (clang, libFuzzer) and, with replay.c, by `make
 * fuzz-replay`, which runs the corpus in corpus/spf/ as a regression test.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "spfaddr.h"
#include "spfmacro.h"
#include "spfname.h"
#include "spfrecord.h"
#include "texts_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct spfmacro_vars fuzz_vars = {
	.s = { "strong-bad@email.example.com", 28 },
	.l = { "strong-bad", 10 },
	.o = { "email.example.com", 17 },
	.d = { "email.example.com", 17 },
	.i = { "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2",
	    63 },
	.p = { NULL, 0 },
	.v = { "ip6", 3 },
	.h = { "mx.example.org", 14 },
	.c = { "2001:db8::cb01", 14 },
	.r = { "receiver.example.net", 20 },
	.t = { "1234567890", 10 },
};

/* fuzz_expand - check and expand must agree for where */
static void
fuzz_expand(struct arena *a, struct span s, enum spfmacro_where where)
{
	const struct texts_msg *err = NULL;
	struct span out;
	size_t off = 0;
	int checked, expanded;

	checked = spfmacro_check(s, where, &off, &err);
	if (checked == -1 && (err == NULL || off > s.len))
		abort();
	expanded = spfmacro_expand(a, s, where, &fuzz_vars, &out, &err);
	if (expanded == 0 &&
	    (out.ptr == NULL || out.len > SPFMACRO_MAX_OUT ||
	        out.ptr[out.len] != '\0'))
		abort();
	/* the expander refuses what the checker refuses, and beyond that
	 * only an expansion that is too long */
	if (where != SPFMACRO_DOMAIN && checked == -1 && expanded == 0)
		abort();
	if (checked == 0 && expanded == -1 &&
	    !texts_msg_is(err, "spfsyntax.expansion_too_long"))
		abort();
}

/* fuzz_term - the properties of one parsed term */
static void
fuzz_term(struct arena *a, const struct spfrecord *r, size_t i)
{
	const struct spfrecord_term *t = &r->terms[i];
	struct span out, name;
	const struct texts_msg *err = NULL;
	size_t off = 0;

	if (t->offset + t->text.len > r->text.len ||
	    t->text.ptr != r->text.ptr + t->offset || t->text.len == 0 ||
	    (i > 0 && t->offset <= r->terms[i - 1].offset) || t->cidr4 > 32 ||
	    t->cidr6 > 128 || t->kind > SPFRECORD_UNKNOWN_MODIFIER)
		abort();
	if (spfrecord_is_mechanism(t->kind) &&
	    strchr("+-~?", t->qualifier) == NULL)
		abort();
	if (t->domain.ptr == NULL || t->kind == SPFRECORD_UNKNOWN_MODIFIER)
		return;
	/* a parsed domain-spec passes the checker and always expands */
	if (spfmacro_check(t->domain, SPFMACRO_DOMAIN, &off, &err) != 0)
		abort();
	if (spfmacro_expand(a, t->domain, SPFMACRO_DOMAIN, &fuzz_vars, &out,
	        &err) == -1)
		return;
	name = spfname_trim(out);
	if (name.len > SPFNAME_MAX && memchr(name.ptr, '.', name.len) != NULL)
		abort();
	(void)spfname_is_queryable(name);
	(void)spfname_lower(a, name);
}

/* fuzz_record - parse text (with "v=spf1 " in front unless it has it) */
static void
fuzz_record(struct arena *a, struct span in)
{
	struct spfrecord r;
	struct spfrecord_error err;
	struct span text = in;
	char *buf;

	if (!spfrecord_is_spf(in)) {
		buf = arena_alloc(a, in.len + 8);
		memcpy(buf, "v=spf1 ", 7);
		if (in.len > 0)
			memcpy(buf + 7, in.ptr, in.len);
		text = span_make(buf, in.len + 7);
	}
	memset(&err, 0, sizeof(err));
	if (spfrecord_parse(a, text, &r, &err) == -1) {
		/* an error is one of the parser's messages */
		if (err.msg == NULL ||
		    strncmp(err.msg->id, "spfsyntax.", 10) != 0 ||
		    err.offset + err.len > text.len)
			abort();
		return;
	}
	if (r.text.ptr != text.ptr ||
	    (r.redirect != NULL &&
	        (r.redirect < r.terms || r.redirect >= r.terms + r.nterms ||
	            r.redirect->kind != SPFRECORD_REDIRECT)) ||
	    (r.exp != NULL &&
	        (r.exp < r.terms || r.exp >= r.terms + r.nterms ||
	            r.exp->kind != SPFRECORD_EXP)))
		abort();
	for (size_t i = 0; i < r.nterms; i++)
		fuzz_term(a, &r, i);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct span in = span_make((const char *)data, size);
	struct arena *a;
	struct spfaddr ip;
	char text[SPFADDR_MAX_TEXT];
	unsigned cidr;

	if (size > 2 * SPFRECORD_MAX_LEN)
		return 0;
	a = arena_new();
	fuzz_record(a, in);
	fuzz_expand(a, in, SPFMACRO_EXP);
	fuzz_expand(a, in, SPFMACRO_MODIFIER);
	fuzz_expand(a, in, SPFMACRO_DOMAIN);
	(void)spfmacro_uses(in, 'p');
	if (spfaddr_parse_client(in, &ip) == 0) {
		for (int f = SPFADDR_READABLE; f <= SPFADDR_REVERSE; f++)
			if (strlen(spfaddr_str(&ip, (enum spfaddr_form)f,
			        text)) >= SPFADDR_MAX_TEXT)
				abort();
		if (!spfaddr_match(&ip, &ip, ip.v6 ? 128 : 32))
			abort();
	}
	if (spfaddr_parse_cidr(in, 128, &cidr) == 0 && cidr > 128)
		abort();
	(void)spfname_is_domain(in);
	(void)spfname_is_toplabel(in);
	arena_free(a);
	return 0;
}
