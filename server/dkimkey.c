/* SPDX-License-Identifier: MIT */
/*
 * dkimkey.c - a DKIM key record's text (RFC 6376 §3.6.1)
 *
 * One pass over the tag-list (taglist.c), then the key: base64 decoded
 * strictly, and for RSA the few DER elements that lead to the modulus
 * (X.690 §8.1: tag, length, contents; only the definite form, at most
 * four length octets, every length checked against what is left).
 * Not here: the lookup (dkimcheck.c), the signature (dkimsig.c).
 */
#include "dkimkey.h"

#include <stdint.h>
#include <string.h>

#include "ascii.h"
#include "taglist.h"
#include "texts_msg.h"

#define DKIMKEY_ED25519_LEN 32 /* RFC 8463 §4.2: the key alone */
#define DKIMKEY_RSA_MIN     1024
#define DKIMKEY_RSA_GOOD    2048
#define DKIMKEY_RSA_MAX     4096 /* RFC 8301 §3.2: verifiers go this far */

#define DKIMKEY_DER_INTEGER 0x02
#define DKIMKEY_DER_BITS    0x03
#define DKIMKEY_DER_OID     0x06
#define DKIMKEY_DER_SEQ     0x30

enum dkimkey_tag {
	DKIMKEY_T_V,
	DKIMKEY_T_H,
	DKIMKEY_T_K,
	DKIMKEY_T_N,
	DKIMKEY_T_P,
	DKIMKEY_T_S,
	DKIMKEY_T_T,
	DKIMKEY_T_UNKNOWN,
};

static const char *const dkimkey_tag_names[] = { "v", "h", "k", "n", "p", "s",
	"t" };

/* What a DER key turned out to be. */
enum dkimkey_der_kind {
	DKIMKEY_DER_RSA,     /* an RSA key: bits known */
	DKIMKEY_DER_ED25519, /* a SubjectPublicKeyInfo of Ed25519 */
	DKIMKEY_DER_OTHER,   /* a SubjectPublicKeyInfo of another algorithm */
	DKIMKEY_DER_BAD,     /* no public key */
};

/* 1.2.840.113549.1.1.1 rsaEncryption, 1.3.101.112 Ed25519 (RFC 8410) */
static const unsigned char dkimkey_oid_rsa[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7,
	0x0d, 0x01, 0x01, 0x01 };
static const unsigned char dkimkey_oid_ed25519[] = { 0x2b, 0x65, 0x70 };

/* A DER element's contents, or what is left to read. */
struct dkimkey_der {
	const unsigned char *p;
	size_t len;
};

/* What one parse carries besides the key. */
struct dkimkey_ctx {
	struct arena *a;
	struct dkimkey *key;
	struct span p; /* p='s value; .ptr NULL when there is none */
	unsigned seen; /* the tags read, 1 << enum dkimkey_tag */
};

const char *
dkimkey_type_str(enum dkimkey_type t)
{
	switch (t) {
	case DKIMKEY_RSA:
		return "rsa";
	case DKIMKEY_ED25519:
		return "ed25519";
	default:
		return "unknown";
	}
}

/* dkimkey_add - a finding; an error makes the key unusable */
static void
dkimkey_add(struct dkimkey_ctx *c, const char *code, enum finding_level level,
    const struct texts_msg *m)
{
	if (level == FINDING_ERROR)
		c->key->usable = false;
	findings_add(c->a, &c->key->findings, code, level, m);
}

/* dkimkey_der_read - the next element of in: its tag and contents */
static int
dkimkey_der_read(struct dkimkey_der *in, unsigned *tag_out,
    struct dkimkey_der *body_out)
{
	size_t len, i = 2, n;

	if (in->len < 2 || (in->p[0] & 0x1f) == 0x1f)
		return -1; /* no high tag numbers in a public key */
	len = in->p[1];
	if (len >= 0x80) {
		n = len & 0x7f;
		/* 0x80 is the indefinite form, which DER forbids */
		if (n == 0 || n > 4 || in->len - 2 < n)
			return -1;
		len = 0;
		while (n-- > 0)
			len = len << 8 | in->p[i++];
	}
	if (len > in->len - i)
		return -1;
	*tag_out = in->p[0];
	body_out->p = in->p + i;
	body_out->len = len;
	in->p += i + len;
	in->len -= i + len;
	return 0;
}

/* dkimkey_der_modulus - RSAPublicKey (RFC 8017 §A.1.1) contents:
 * modulus and exponent; the modulus's bits */
static enum dkimkey_der_kind
dkimkey_der_modulus(struct dkimkey_der seq, unsigned *bits_out)
{
	struct dkimkey_der n, e;
	unsigned tag, tag_e;
	unsigned char top;

	if (dkimkey_der_read(&seq, &tag, &n) == -1 ||
	    tag != DKIMKEY_DER_INTEGER ||
	    dkimkey_der_read(&seq, &tag_e, &e) == -1 ||
	    tag_e != DKIMKEY_DER_INTEGER || e.len == 0)
		return DKIMKEY_DER_BAD;
	while (n.len > 0 && n.p[0] == 0) {
		n.p++;
		n.len--;
	}
	if (n.len == 0 || n.len > UINT32_MAX / 8)
		return DKIMKEY_DER_BAD;
	*bits_out = (unsigned)(n.len - 1) * 8;
	for (top = n.p[0]; top != 0; top >>= 1)
		(*bits_out)++;
	return DKIMKEY_DER_RSA;
}

/* dkimkey_der_key - a SubjectPublicKeyInfo (RFC 5280 §4.1) or a bare
 * RSAPublicKey */
static enum dkimkey_der_kind
dkimkey_der_key(const unsigned char *der, size_t len, unsigned *bits_out)
{
	struct dkimkey_der in = { der, len }, seq, alg, oid, bits, key;
	struct dkimkey_der rest;
	unsigned tag;

	if (dkimkey_der_read(&in, &tag, &seq) == -1 || tag != DKIMKEY_DER_SEQ)
		return DKIMKEY_DER_BAD;
	rest = seq;
	if (dkimkey_der_read(&rest, &tag, &alg) == -1)
		return DKIMKEY_DER_BAD;
	if (tag == DKIMKEY_DER_INTEGER)
		return dkimkey_der_modulus(seq, bits_out);
	if (tag != DKIMKEY_DER_SEQ ||
	    dkimkey_der_read(&alg, &tag, &oid) == -1 || tag != DKIMKEY_DER_OID)
		return DKIMKEY_DER_BAD;
	if (oid.len == sizeof(dkimkey_oid_ed25519) &&
	    memcmp(oid.p, dkimkey_oid_ed25519, oid.len) == 0)
		return DKIMKEY_DER_ED25519;
	if (oid.len != sizeof(dkimkey_oid_rsa) ||
	    memcmp(oid.p, dkimkey_oid_rsa, oid.len) != 0)
		return DKIMKEY_DER_OTHER;
	/* the BIT STRING: no unused bits, then the RSAPublicKey */
	if (dkimkey_der_read(&rest, &tag, &bits) == -1 ||
	    tag != DKIMKEY_DER_BITS || bits.len < 1 || bits.p[0] != 0)
		return DKIMKEY_DER_BAD;
	bits.p++;
	bits.len--;
	if (dkimkey_der_read(&bits, &tag, &key) == -1 || tag != DKIMKEY_DER_SEQ)
		return DKIMKEY_DER_BAD;
	return dkimkey_der_modulus(key, bits_out);
}

/* dkimkey_b64 - the value of a base64 character, or -1 */
static int
dkimkey_b64(char ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+')
		return 62;
	if (ch == '/')
		return 63;
	return -1;
}

/* dkimkey_base64 - RFC 6376 §3.6.1 base64string (no white space left):
 * characters of the alphabet, then at most two '=' that complete the
 * last group; a group cut short without them is accepted. Returns the
 * number of bytes written to out (room for s.len / 4 * 3 + 2), or -1. */
static long
dkimkey_base64(struct span s, unsigned char *out)
{
	size_t n = 0, chars = 0, pad = 0;
	uint32_t acc = 0;

	while (pad < 2 && s.len > 0 && s.ptr[s.len - 1] == '=') {
		s.len--;
		pad++;
	}
	for (size_t i = 0; i < s.len; i++) {
		int v = dkimkey_b64(s.ptr[i]);

		if (v < 0)
			return -1;
		acc = acc << 6 | (uint32_t)v;
		if (++chars % 4 == 0) {
			out[n++] = (unsigned char)(acc >> 16);
			out[n++] = (unsigned char)(acc >> 8);
			out[n++] = (unsigned char)acc;
			acc = 0;
		}
	}
	switch (chars % 4) {
	case 0:
		return pad == 0 ? (long)n : -1;
	case 1:
		return -1;
	case 2:
		if (pad == 1)
			return -1;
		out[n++] = (unsigned char)(acc >> 4);
		return (long)n;
	default:
		if (pad == 2)
			return -1;
		out[n++] = (unsigned char)(acc >> 10);
		out[n++] = (unsigned char)(acc >> 2);
		return (long)n;
	}
}

/* dkimkey_bits - a finding about the key's size, with the size */
static void
dkimkey_bits(struct dkimkey_ctx *c, const char *code, enum finding_level level,
    const char *id)
{
	dkimkey_add(c, code, level,
	    texts_msg_num(texts_msg_new(c->a, id), "bits", c->key->bits));
}

/* dkimkey_rsa - the size of an RSA key and what it means */
static void
dkimkey_rsa(struct dkimkey_ctx *c, const unsigned char *der, size_t len)
{
	struct dkimkey *k = c->key;

	switch (dkimkey_der_key(der, len, &k->bits)) {
	case DKIMKEY_DER_RSA:
		break;
	case DKIMKEY_DER_ED25519:
		dkimkey_add(c, "dkim_key_malformed", FINDING_ERROR,
		    texts_msg_new(c->a, "dkim.key.ed25519_as_rsa"));
		return;
	default:
		dkimkey_add(c, "dkim_key_malformed", FINDING_ERROR,
		    texts_msg_new(c->a, "dkim.key.not_rsa"));
		return;
	}
	if (k->bits < DKIMKEY_RSA_MIN)
		dkimkey_bits(c, "dkim_key_weak", FINDING_ERROR,
		    "dkim.key.rsa_weak");
	else if (k->bits < DKIMKEY_RSA_GOOD)
		dkimkey_bits(c, "dkim_key_short", FINDING_WARNING,
		    "dkim.key.rsa_short");
	else if (k->bits > DKIMKEY_RSA_MAX)
		dkimkey_bits(c, "dkim_key_large", FINDING_WARNING,
		    "dkim.key.rsa_large");
}

/* dkimkey_ed25519 - RFC 8463 §4.2: p= is the 32 bytes of the key */
static void
dkimkey_ed25519(struct dkimkey_ctx *c, const unsigned char *key, size_t len)
{
	unsigned bits = 0;
	struct texts_msg *m;

	if (len == DKIMKEY_ED25519_LEN) {
		c->key->bits = 8 * DKIMKEY_ED25519_LEN;
	} else if (dkimkey_der_key(key, len, &bits) == DKIMKEY_DER_ED25519) {
		dkimkey_add(c, "dkim_key_malformed", FINDING_ERROR,
		    texts_msg_new(c->a, "dkim.key.ed25519_spki"));
	} else {
		m = texts_msg_new(c->a, "dkim.key.ed25519_size");
		dkimkey_add(c, "dkim_key_malformed", FINDING_ERROR,
		    texts_msg_count(m, len));
	}
}

/* dkimkey_key - p=: revoked, or decoded and sized */
static void
dkimkey_key(struct dkimkey_ctx *c)
{
	struct dkimkey *k = c->key;
	struct span b64;
	unsigned char *raw;
	long n;

	if (c->p.ptr == NULL) {
		dkimkey_add(c, "dkim_no_key", FINDING_ERROR,
		    texts_msg_new(c->a, "dkim.syntax.no_p"));
		return;
	}
	b64 = taglist_unfold(c->a, c->p);
	if (b64.len == 0) {
		/* §3.6.1: "An empty value means that this public key has
		 * been revoked." */
		k->revoked = true;
		dkimkey_add(c, "dkim_revoked", FINDING_ERROR,
		    texts_msg_new(c->a, "dkim.key.revoked"));
		return;
	}
	raw = arena_alloc(c->a, b64.len / 4 * 3 + 3);
	n = dkimkey_base64(b64, raw);
	if (n <= 0) {
		dkimkey_add(c, "dkim_key_malformed", FINDING_ERROR,
		    texts_msg_new(c->a, "dkim.key.base64"));
		return;
	}
	if (k->type == DKIMKEY_RSA)
		dkimkey_rsa(c, raw, (size_t)n);
	else if (k->type == DKIMKEY_ED25519)
		dkimkey_ed25519(c, raw, (size_t)n);
}

/* dkimkey_has - does the ':' list v hold one of the words (any case)? */
static bool
dkimkey_has(struct span v, const char *w1, const char *w2)
{
	struct span item;
	size_t pos = 0;

	while (taglist_item(v, ':', &pos, &item))
		if (ascii_ieq_cstr(item, w1) ||
		    (w2 != NULL && ascii_ieq_cstr(item, w2)))
			return true;
	return false;
}

/* dkimkey_problem - a finding about tag t, with its name and value */
static void
dkimkey_problem(struct dkimkey_ctx *c, const char *code,
    enum finding_level level, const char *id, const struct taglist_tag *t)
{
	dkimkey_add(c, code, level, taglist_msg(c->a, id, t));
}

/* dkimkey_value - one known tag's value */
static void
dkimkey_value(struct dkimkey_ctx *c, const struct taglist_tag *t,
    enum dkimkey_tag tag, size_t index)
{
	struct dkimkey *k = c->key;

	switch (tag) {
	case DKIMKEY_T_V:
		/* §3.6.1: the first tag, and records whose v= has another
		 * value MUST be discarded */
		if (!span_eq_cstr(t->value, "DKIM1"))
			dkimkey_problem(c, "dkim_version", FINDING_ERROR,
			    "dkim.syntax.version", t);
		else if (index != 0)
			dkimkey_problem(c, "dkim_syntax", FINDING_WARNING,
			    "dkim.syntax.v_not_first", t);
		break;
	case DKIMKEY_T_H:
		k->h = taglist_quote(c->a, t->value);
		/* RFC 8301 §3.1: sha1 MUST NOT be used */
		if (!dkimkey_has(t->value, "sha256", NULL))
			dkimkey_problem(c, "dkim_hash", FINDING_ERROR,
			    dkimkey_has(t->value, "sha1", NULL) ?
			        "dkim.key.sha1_only" :
			        "dkim.key.hash_unknown",
			    t);
		break;
	case DKIMKEY_T_K:
		k->k = taglist_quote(c->a, t->value);
		if (ascii_ieq_cstr(t->value, "ed25519"))
			k->type = DKIMKEY_ED25519;
		else if (!ascii_ieq_cstr(t->value, "rsa"))
			k->type = DKIMKEY_UNKNOWN;
		if (k->type == DKIMKEY_UNKNOWN)
			dkimkey_problem(c, "dkim_unknown_key_type",
			    FINDING_ERROR, "dkim.key.unknown_type", t);
		break;
	case DKIMKEY_T_N:
		k->n = taglist_quote(c->a, t->value);
		break;
	case DKIMKEY_T_P:
		c->p = t->value;
		break;
	case DKIMKEY_T_S:
		k->s = taglist_quote(c->a, t->value);
		if (!dkimkey_has(t->value, "email", "*"))
			dkimkey_problem(c, "dkim_not_email", FINDING_ERROR,
			    "dkim.key.not_email", t);
		break;
	case DKIMKEY_T_T:
		k->testing = dkimkey_has(t->value, "y", NULL);
		k->strict = dkimkey_has(t->value, "s", NULL);
		if (k->testing)
			dkimkey_add(c, "dkim_testing", FINDING_WARNING,
			    texts_msg_new(c->a, "dkim.key.testing"));
		break;
	default:
		break;
	}
}

/* dkimkey_tag - one tag-spec (taglist_fn) */
static void
dkimkey_tag(void *arg, enum taglist_step st, const struct taglist_tag *t,
    size_t index)
{
	struct dkimkey_ctx *c = arg;
	enum dkimkey_tag tag = DKIMKEY_T_UNKNOWN;

	if (st != TAGLIST_TAG) {
		dkimkey_add(c, "dkim_syntax", FINDING_WARNING,
		    taglist_error(c->a, st, t));
		return;
	}
	for (size_t i = 0; i < DKIMKEY_T_UNKNOWN; i++) {
		if (span_eq_cstr(t->name, dkimkey_tag_names[i])) {
			tag = (enum dkimkey_tag)i;
		} else if (ascii_ieq_cstr(t->name, dkimkey_tag_names[i])) {
			/* §3.2: tags are case-sensitive; "P=" is not p= */
			dkimkey_add(c, "dkim_syntax", FINDING_WARNING,
			    texts_msg_with(c->a, "dkim.syntax.tag_case", "tag",
			        taglist_quote(c->a, t->name), "want",
			        dkimkey_tag_names[i], TEXTS_MSG_END));
		}
	}
	if (tag == DKIMKEY_T_UNKNOWN)
		return; /* §3.6.1: unrecognised tags MUST be ignored */
	if ((c->seen & (1u << tag)) != 0) {
		dkimkey_problem(c, "dkim_syntax", FINDING_ERROR,
		    "dkim.syntax.duplicate", t);
		return;
	}
	c->seen |= 1u << tag;
	dkimkey_value(c, t, tag, index);
}

void
dkimkey_parse(struct arena *a, struct span text, struct dkimkey *out)
{
	struct dkimkey_ctx c = { a, out, SPAN_NULL, 0 };

	memset(out, 0, sizeof(*out));
	out->text = text;
	out->usable = true;
	out->type = DKIMKEY_RSA;
	out->k = "rsa";
	if (text.len > DKIMKEY_MAX_LEN) {
		dkimkey_add(&c, "dkim_syntax", FINDING_ERROR,
		    taglist_too_long(a, "dkim.syntax.too_long", text.len,
		        DKIMKEY_MAX_LEN));
		return;
	}
	taglist_walk(text, dkimkey_tag, &c);
	dkimkey_key(&c);
}
