/* SPDX-License-Identifier: MIT */
/*
 * test_dkimkey.c - DKIM key records (RFC 6376 §3.6.1, RFC 8301, RFC
 * 8463): real RSA keys of 512 to 4096 bits (SubjectPublicKeyInfo and bare
 * RSAPublicKey), Ed25519, revoked keys, garbage, hostile DER, and the
 * tags; each with its type, size and the findings' message ids, every
 * finding worded in every shipped language
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dkimkey.h"
#include "texts.h"
#include "finding.h"
#include "texts_msg.h"
#include "test.h"
#include "testkeys.h"

#define RSA     DKIMKEY_RSA
#define ED      DKIMKEY_ED25519
#define UNKNOWN DKIMKEY_UNKNOWN

/* One record: what it parses to. ids: the findings' message ids, in
 * order, separated by spaces. */
struct key_case {
	const char *name;
	const char *text;
	bool usable;
	enum dkimkey_type type;
	unsigned bits;
	bool revoked, testing;
	const char *ids;
};

static const struct key_case keys[] = {
	{ "RSA 2048", "v=DKIM1; k=rsa; p=" TESTKEY_RSA2048, true, RSA, 2048,
	    false, false, "" },
	{ "RSA 2048 bare RSAPublicKey", "v=DKIM1; p=" TESTKEY_RSA2048_PKCS1,
	    true, RSA, 2048, false, false, "" },
	{ "RSA 4096", "p=" TESTKEY_RSA4096, true, RSA, 4096, false, false, "" },
	{ "RSA 1024: short", "v=DKIM1; k=rsa; p=" TESTKEY_RSA1024, true, RSA,
	    1024, false, false, "dkim.key.rsa_short" },
	{ "RSA 512: weak", "v=DKIM1; p=" TESTKEY_RSA512, false, RSA, 512, false,
	    false, "dkim.key.rsa_weak" },
	{ "Ed25519", "v=DKIM1; k=ed25519; p=" TESTKEY_ED25519, true, ED, 256,
	    false, false, "" },
	{ "Ed25519 K in capitals", "v=DKIM1; k=Ed25519; p=" TESTKEY_ED25519,
	    true, ED, 256, false, false, "" },
	{ "Ed25519 in a SubjectPublicKeyInfo",
	    "v=DKIM1; k=ed25519; p=" TESTKEY_ED25519_SPKI, false, ED, 0, false,
	    false, "dkim.key.ed25519_spki" },
	{ "Ed25519 of 31 bytes",
	    "k=ed25519; p=hZB/9nt7zVT8gffdTjKuCoh6yRoLpB8W/buwoRw/Mg==", false,
	    ED, 0, false, false, "dkim.key.ed25519_size" },
	{ "Ed25519 without k=", "v=DKIM1; p=" TESTKEY_ED25519, false, RSA, 0,
	    false, false, "dkim.key.not_rsa" },
	{ "Ed25519 SubjectPublicKeyInfo without k=",
	    "v=DKIM1; p=" TESTKEY_ED25519_SPKI, false, RSA, 0, false, false,
	    "dkim.key.ed25519_as_rsa" },
	{ "revoked", "v=DKIM1; p=", false, RSA, 0, true, false,
	    "dkim.key.revoked" },
	{ "revoked, white space only", "v=DKIM1; k=rsa; p= \t ;", false, RSA, 0,
	    true, false, "dkim.key.revoked" },
	{ "garbage", "v=DKIM1; p=!!!not*base64", false, RSA, 0, false, false,
	    "dkim.key.base64" },
	{ "base64 of no key", "v=DKIM1; p=aGVsbG8gd29ybGQ=", false, RSA, 0,
	    false, false, "dkim.key.not_rsa" },
	{ "bad padding", "p=QUJD=", false, RSA, 0, false, false,
	    "dkim.key.base64" },
	{ "padding inside", "p=QU=JD", false, RSA, 0, false, false,
	    "dkim.key.base64" },
	{ "one char too many", "p=QUJDR", false, RSA, 0, false, false,
	    "dkim.key.base64" },
	{ "truncated key", "p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAtlSq",
	    false, RSA, 0, false, false, "dkim.key.not_rsa" },
	{ "unknown k", "v=DKIM1; k=dsa; p=" TESTKEY_RSA2048, false, UNKNOWN, 0,
	    false, false, "dkim.key.unknown_type" },
	{ "testing", "v=DKIM1; t=y; p=" TESTKEY_RSA2048, true, RSA, 2048, false,
	    true, "dkim.key.testing" },
	{ "testing and strict", "v=DKIM1; t = s : y ; p=" TESTKEY_RSA2048, true,
	    RSA, 2048, false, true, "dkim.key.testing" },
	{ "unknown flag", "v=DKIM1; t=x; p=" TESTKEY_RSA2048, true, RSA, 2048,
	    false, false, "" },
	{ "h=sha1 only", "v=DKIM1; h=sha1; p=" TESTKEY_RSA2048, false, RSA,
	    2048, false, false, "dkim.key.sha1_only" },
	{ "h=sha1:sha256", "v=DKIM1; h=sha1:sha256; p=" TESTKEY_RSA2048, true,
	    RSA, 2048, false, false, "" },
	{ "h=md5", "v=DKIM1; h=md5; p=" TESTKEY_RSA2048, false, RSA, 2048,
	    false, false, "dkim.key.hash_unknown" },
	{ "s=email", "v=DKIM1; s=email; p=" TESTKEY_RSA2048, true, RSA, 2048,
	    false, false, "" },
	{ "s=*", "v=DKIM1; s=*; p=" TESTKEY_RSA2048, true, RSA, 2048, false,
	    false, "" },
	{ "s=tlsrpt", "v=DKIM1; s=tlsrpt; p=" TESTKEY_RSA2048, false, RSA, 2048,
	    false, false, "dkim.key.not_email" },
	{ "v not first", "k=rsa; v=DKIM1; p=" TESTKEY_RSA2048, true, RSA, 2048,
	    false, false, "dkim.syntax.v_not_first" },
	{ "v=DKIM2", "v=DKIM2; p=" TESTKEY_RSA2048, false, RSA, 2048, false,
	    false, "dkim.syntax.version" },
	{ "v=dkim1", "v=dkim1; p=" TESTKEY_RSA2048, false, RSA, 2048, false,
	    false, "dkim.syntax.version" },
	{ "no p", "v=DKIM1; k=rsa", false, RSA, 0, false, false,
	    "dkim.syntax.no_p" },
	{ "P in capitals", "v=DKIM1; P=" TESTKEY_RSA2048, false, RSA, 0, false,
	    false, "dkim.syntax.tag_case dkim.syntax.no_p" },
	{ "duplicate p: the first", "v=DKIM1; p=" TESTKEY_RSA2048 "; p=", false,
	    RSA, 2048, false, false, "dkim.syntax.duplicate" },
	{ "bad specs and notes",
	    "v=DKIM1; junk; 9=1; n=a note; x=unknown; p=" TESTKEY_RSA2048, true,
	    RSA, 2048, false, false, "taglist.no_equals taglist.tag_name" },
	{ "empty", "", false, RSA, 0, false, false, "dkim.syntax.no_p" },
};

static void
check_key(struct arena *a, const struct texts *t, const struct key_case *c,
    const char *text)
{
	struct dkimkey k;

	dkimkey_parse(a, span_cstr(text), &k);
	CHECK(k.usable == c->usable, "%s: usable %d", c->name, k.usable);
	CHECK(k.type == c->type && k.bits == c->bits, "%s: %s, %u bits",
	    c->name, dkimkey_type_str(k.type), k.bits);
	CHECK(k.revoked == c->revoked && k.testing == c->testing,
	    "%s: revoked %d, testing %d", c->name, k.revoked, k.testing);
	CHECK_STR(test_findings_str(a, &k.findings, true), c->ids, c->name);
	if (t != NULL && k.findings.n > 0)
		(void)test_findings_worded(t, &k.findings, c->name);
}

/* b64 - base64 of n bytes, NUL-terminated, in the arena */
static char *
b64(struct arena *a, const unsigned char *p, size_t n)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = arena_alloc(a, (n + 2) / 3 * 4 + 1), *o = out;

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;

		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		*o++ = alphabet[v >> 18 & 63];
		*o++ = alphabet[v >> 12 & 63];
		*o++ = i + 1 < n ? alphabet[v >> 6 & 63] : '=';
		*o++ = i + 2 < n ? alphabet[v & 63] : '=';
	}
	*o = '\0';
	return out;
}

/* der_key - the bits and findings of the record "p=<base64 of der>" */
static unsigned
der_key(struct arena *a, const unsigned char *der, size_t n,
    const char **ids_out)
{
	struct dkimkey k;

	dkimkey_parse(a, span_cstr(arena_printf(a, "p=%s", b64(a, der, n))),
	    &k);
	*ids_out = test_findings_str(a, &k.findings, true);
	return k.bits;
}

/* hostile - DER a bounds check must refuse */
static void
hostile(struct arena *a)
{
	static const unsigned char huge_len[] = { 0x30, 0x84, 0xff, 0xff, 0xff,
		0xff, 0x02, 0x01, 0x01 };
	static const unsigned char indefinite[] = { 0x30, 0x80, 0x02, 0x01,
		0x01, 0x02, 0x01, 0x03, 0x00, 0x00 };
	static const unsigned char five_octets[] = { 0x30, 0x85, 0x00, 0x00,
		0x00, 0x00, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x03 };
	static const unsigned char inner_over[] = { 0x30, 0x06, 0x02, 0x7f,
		0x01, 0x02, 0x01, 0x03 };
	static const unsigned char zero_mod[] = { 0x30, 0x06, 0x02, 0x01, 0x00,
		0x02, 0x01, 0x03 };
	static const unsigned char no_exp[] = { 0x30, 0x03, 0x02, 0x01, 0x7f };
	static const unsigned char high_tag[] = { 0x3f, 0x01, 0x00 };
	static const unsigned char other_alg[] = { 0x30, 0x0e, 0x30, 0x07, 0x06,
		0x05, 0x2b, 0x0e, 0x03, 0x02, 0x0c, 0x03, 0x03, 0x00, 0x01,
		0x02 };

	const struct {
		const char *name;
		const unsigned char *der;
		size_t n;
	} bad[] = {
		{ "length 2^32-1", huge_len, sizeof(huge_len) },
		{ "indefinite length", indefinite, sizeof(indefinite) },
		{ "five length octets", five_octets, sizeof(five_octets) },
		{ "inner length past the end", inner_over, sizeof(inner_over) },
		{ "modulus 0", zero_mod, sizeof(zero_mod) },
		{ "no exponent", no_exp, sizeof(no_exp) },
		{ "high tag number", high_tag, sizeof(high_tag) },
		{ "DSA SubjectPublicKeyInfo", other_alg, sizeof(other_alg) },
	};

	unsigned char big[1100];
	const char *got;
	unsigned bits;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		bits = der_key(a, bad[i].der, bad[i].n, &got);
		CHECK(bits == 0 && strcmp(got, "dkim.key.not_rsa") == 0,
		    "hostile DER, %s: not an RSA key (%s)", bad[i].name, got);
	}
	/* an RSAPublicKey with a modulus of 1025 octets, the first 0x01:
	 * 8193 bits, built here rather than generated */
	big[0] = 0x30;
	big[1] = 0x82;
	big[2] = 1034 >> 8;
	big[3] = 1034 & 0xff;
	big[4] = 0x02;
	big[5] = 0x82;
	big[6] = 1025 >> 8;
	big[7] = 1025 & 0xff;
	big[8] = 0x01;
	memset(big + 9, 0xa5, 1024);
	big[1033] = 0x02;
	big[1034] = 0x03;
	big[1035] = 0x01;
	big[1036] = 0x00;
	big[1037] = 0x01;
	bits = der_key(a, big, 1038, &got);
	CHECK(bits == 8193 && strcmp(got, "dkim.key.rsa_large") == 0,
	    "8193 bits: large (%u, %s)", bits, got);
	/* leading zero octets of the modulus do not count */
	big[8] = 0x00;
	big[9] = 0x00;
	bits = der_key(a, big, 1038, &got);
	CHECK(bits == 8 * 1023, "leading zeros skipped (%u)", bits);
}

int
main(void)
{
	struct arena *a = arena_new();
	struct texts *t = test_texts_shipped();
	struct dkimkey k;
	char *text, *huge;
	size_t n = 0;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		check_key(a, t, &keys[i], keys[i].text);

	/* folded over lines, as DNS tools print it: white space anywhere
	 * in p= (RFC 6376 §3.6.1) */
	text = arena_alloc(a, 2 * sizeof(TESTKEY_RSA4096) + 32);
	n = (size_t)snprintf(text, 32, "v=DKIM1; k=rsa; p=");
	for (size_t i = 0; i < sizeof(TESTKEY_RSA4096) - 1; i++) {
		if (i > 0 && i % 60 == 0) {
			memcpy(text + n, "\r\n\t ", 4);
			n += 4;
		}
		text[n++] = TESTKEY_RSA4096[i];
	}
	text[n] = '\0';
	check_key(a, t,
	    &(struct key_case){ "RSA 4096 folded", NULL, true, RSA, 4096, false,
	        false, "" },
	    text);

	dkimkey_parse(a,
	    SPAN_LIT(
	        "v=DKIM1; h=sha256; k=rsa; n=hello; s=email; t=s; p=" TESTKEY_RSA2048),
	    &k);
	CHECK_STR(k.h, "sha256", "h kept");
	CHECK_STR(k.s, "email", "s kept");
	CHECK_STR(k.n, "hello", "n kept");
	CHECK_STR(k.k, "rsa", "k kept");
	CHECK(k.strict && !k.testing, "t=s: strict");
	dkimkey_parse(a, SPAN_LIT("p=" TESTKEY_RSA2048), &k);
	CHECK_STR(k.k, "rsa", "k default");

	huge = arena_alloc(a, DKIMKEY_MAX_LEN + 2);
	memset(huge, 'A', DKIMKEY_MAX_LEN + 1);
	memcpy(huge, "v=DKIM1; p=", 11);
	dkimkey_parse(a, span_make(huge, DKIMKEY_MAX_LEN + 1), &k);
	CHECK(!k.usable && k.findings.n == 1 &&
	        texts_msg_is(k.findings.v[0].msg, "dkim.syntax.too_long"),
	    "huge: too long, not read");
	if (t != NULL)
		(void)test_findings_worded(t, &k.findings, "huge");

	hostile(a);
	texts_free(t);
	arena_free(a);
	return test_done();
}
