/* SPDX-License-Identifier: MIT */
/*
 * dkimkey.h - a DKIM key record's text (RFC 6376 §3.6.1, RFC 8301,
 * RFC 8463)
 *
 * API: dkimkey_parse reads the text of one key record (the strings of
 * one TXT record joined, §3.6.2.2) into the key it publishes and the
 * findings about it. It never fails.
 * - Tag names are case-sensitive (RFC 6376 §3.2): "P=" is not p=, and
 *   such a tag earns a warning; unknown tags are ignored. A tag given
 *   twice keeps its first value (an error: §3.2 makes the list invalid).
 * - v=, when present, must be the first tag and exactly "DKIM1", else
 *   verifiers discard the record. k= is rsa (the default) or ed25519
 *   (RFC 8463), in any case; another type cannot be used. h= must allow
 *   sha256 (RFC 8301 forbids sha1), s= must allow email or *. t=y is
 *   testing (verifiers treat the mail as unsigned), t=s strict.
 * - p= is required; empty, it revokes the key. It is base64 with folding
 *   white space allowed anywhere (§3.6.1). An RSA key is a DER
 *   SubjectPublicKeyInfo (or, as some publish it, a bare RSAPublicKey);
 *   its size is the modulus's bits, read with a bounds-checked DER
 *   reader. An Ed25519 key is the 32 bytes of the key alone (256 bits).
 *   RSA under 1024 bits is an error (RFC 8301 §3.2: verifiers reject its
 *   signatures), under 2048 a warning, over 4096 a warning (verifiers
 *   need not handle it).
 * Findings, by code: dkim_syntax (warning; error for a duplicate),
 * dkim_version, dkim_no_key (no p=), dkim_revoked, dkim_key_malformed,
 * dkim_unknown_key_type, dkim_hash, dkim_not_email, dkim_key_weak
 * (errors: signatures with this key fail); dkim_key_short,
 * dkim_key_large, dkim_testing (warnings). Messages "dkim.syntax.*",
 * "dkim.key.*" and "taglist.*".
 * Not here: the lookup and choosing among TXT records (dkimcheck.c), the
 * signature header (dkimsig.c), verifying signatures.
 * Ownership: borrows text, which must outlive the key; strings and
 * findings belong to the arena.
 */
#ifndef DKIMKEY_H
#define DKIMKEY_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "finding.h"
#include "span.h"

#define DKIMKEY_MAX_LEN 8192 /* longer records are not read */

enum dkimkey_type {
	DKIMKEY_RSA,
	DKIMKEY_ED25519,
	DKIMKEY_UNKNOWN, /* k= names another type */
};

struct dkimkey {
	struct span text;
	bool usable; /* a verifier can check signatures with it: no error
			finding */
	enum dkimkey_type type;
	const char *k; /* k= as written, "rsa" when not given */
	bool revoked;  /* p= is empty */
	bool testing;  /* t=y */
	bool strict;   /* t=s */
	unsigned bits; /* RSA modulus bits, 256 for Ed25519; 0 when the
			    key could not be read */
	const char *h; /* h= as written, or NULL */
	const char *s; /* s= as written, or NULL */
	const char *n; /* n= as written, or NULL */
	struct findings findings;
};

/* Reads text (any bytes) into out. */
void dkimkey_parse(struct arena *a, struct span text, struct dkimkey *out);

/* "rsa", "ed25519", "unknown". */
const char *dkimkey_type_str(enum dkimkey_type t);

#endif
