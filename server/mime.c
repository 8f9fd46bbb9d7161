/* SPDX-License-Identifier: MIT */
/*
 * mime.c - whole messages: headers, MIME tree, transfer and charset decoding
 *
 * One forward pass over the input. An entity is its header block, then a
 * body that runs to the next delimiter line of an enclosing multipart (or
 * to the end). Open multiparts keep their boundaries on a stack; each line
 * that starts with "--" is checked against it from the innermost boundary
 * outwards, so nested multiparts that reuse a boundary are not confused and
 * every byte is looked at a bounded number of times (linear time).
 * message/rfc822 content is parsed in place as part of the same pass; only
 * content that must be transfer-decoded first (an encoded text/rfc822-headers
 * or an illegally encoded message/rfc822) becomes a stream of its own.
 * Nothing is copied unless it changes: header values without folding or
 * encoding and identity-encoded UTF-8 bodies are spans into the input.
 * Charset conversion goes through glibc iconv, with the converters cached in
 * struct mime_decoder; UTF-8, US-ASCII and ISO-8859-1 are converted here.
 * GMime parsed and decoded our bounce corpus in ~56 µs per message; this
 * parser is the reason the per-message budget holds.
 * Not here: reading delivery-status fields (dsn.c); finding addresses and
 * codes in the decoded text (extract.c, bounce.c).
 */
#include "mime.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "buf.h"
#include "log.h"
#include "text.h"
#include "xmalloc.h"

#define MIME_CS_CACHE       16 /* iconv converters kept per decoder */
#define MIME_CS_NAME_MAX    40 /* longer charset names are unknown */
/* iconv_open calls per message: a cache miss may dlopen() a gconv module,
 * and a message naming many charsets must not make us do that for ever */
#define MIME_CS_OPEN_MAX    16
#define MIME_EW_CHARSET_MAX 64 /* charset token of an encoded word */
#define MIME_RFC2231_MAX    32 /* RFC 2231 sections per parameter */
/* the caller bounds the input (cfg->max_body), so this never bites */
#define MIME_SCRATCH_MAX    (SIZE_MAX / 4)
#define MIME_SCRATCH_KEEP   (256u * 1024u) /* larger scratch is freed */

#define MIME_FFFD "\xef\xbf\xbd"

#define MIME_B64_WSP 64 /* base64 table: skipped silently */
#define MIME_B64_PAD 65 /* '=' */
#define MIME_B64_BAD 66 /* anything else */

enum mime_cs_kind {
	MIME_CS_UTF8,   /* utf-8, us-ascii: validate, repair */
	MIME_CS_LATIN1, /* iso-8859-1: converted here */
	MIME_CS_ICONV,
	MIME_CS_UNKNOWN, /* UTF-8 if valid, else ISO-8859-1 */
};

struct mime_cs {
	char name[MIME_CS_NAME_MAX + 1]; /* lowercased, as declared */
	enum mime_cs_kind kind;
	iconv_t cd;
	bool ascii_safe; /* 7-bit text without ESC converts to itself */
};

/* the fields that decide how a part is decoded */
enum mime_field {
	MIME_F_OTHER,
	MIME_F_CONTENT_TYPE,
	MIME_F_CTE,
	MIME_F_DISPOSITION,
};

/* what a folded line continues while a header block is read */
enum mime_fold {
	MIME_FOLD_NONE, /* nothing yet: the block's first line */
	MIME_FOLD_KEPT, /* the last field kept */
	MIME_FOLD_SKIP, /* a field or line that was dropped */
};

/* one header field as read, before unfolding and decoding */
struct mime_raw_header {
	struct span name;
	enum mime_field kind;
	size_t vstart, vend; /* value bytes in the stream, folds included */
	bool folded;
};

struct mime_decoder {
	struct mime_cs cs[MIME_CS_CACHE];
	size_t ncs;
	size_t cs_next; /* the slot to reuse when the cache is full */
	unsigned opens; /* iconv_open calls in this call of the API */
	unsigned char b64[256];
	struct mime_raw_header raw[MIME_MAX_HEADERS]; /* one header block */
	struct buf out; /* mime_to_utf8: iconv output */
	struct buf hdr; /* a header value being decoded */
	struct buf run; /* bytes of adjacent RFC 2047 encoded words */
};

enum mime_where {
	MIME_AT_TOP,       /* the input itself */
	MIME_IN_MESSAGE,   /* content of message/rfc822 or message/global */
	MIME_IN_HEADERS,   /* content of text/rfc822-headers */
	MIME_IN_MULTIPART, /* a body part */
	MIME_IN_DIGEST,    /* a body part of multipart/digest */
};

enum mime_cte {
	MIME_CTE_IDENTITY, /* 7bit, 8bit, binary, absent or unknown */
	MIME_CTE_BASE64,
	MIME_CTE_QP,
};

/* a byte stream being parsed: the input, or decoded content */
struct mime_stream {
	const char *s;
	size_t len;
	struct span
	    bnd[MIME_MAX_DEPTH + 1]; /* open multiparts, outermost 1st */
	size_t nbnd;
};

/* what the header block says about the body */
struct mime_info {
	enum mime_cte cte;
	struct span boundary;
};

struct mime_ctx {
	struct mime_decoder *dec;
	struct arena *a;
	struct mime_part **parts;
	size_t nparts;
	unsigned anom;
};

struct mime_ew {
	struct span charset; /* without an RFC 2231 "*language" suffix */
	char enc;            /* 'b' or 'q' */
	struct span text;
	size_t end; /* just past "?=" */
};

/* charset names that glibc does not know, or that deserve a superset */
struct mime_alias {
	const char *name;
	enum mime_cs_kind kind;
	const char *iconv;
};

static const struct mime_alias mime_aliases[] = {
	{ "utf-8", MIME_CS_UTF8, NULL },
	{ "utf8", MIME_CS_UTF8, NULL },
	{ "us-ascii", MIME_CS_UTF8, NULL },
	{ "ascii", MIME_CS_UTF8, NULL },
	{ "ansi_x3.4-1968", MIME_CS_UTF8, NULL },
	{ "us", MIME_CS_UTF8, NULL },
	{ "iso-8859-1", MIME_CS_LATIN1, NULL },
	{ "iso8859-1", MIME_CS_LATIN1, NULL },
	{ "iso_8859-1", MIME_CS_LATIN1, NULL },
	{ "latin1", MIME_CS_LATIN1, NULL },
	{ "latin-1", MIME_CS_LATIN1, NULL },
	{ "l1", MIME_CS_LATIN1, NULL },
	{ "cp819", MIME_CS_LATIN1, NULL },
	{ "iso-2022-jp", MIME_CS_ICONV, "ISO-2022-JP" },
	{ "csiso2022jp", MIME_CS_ICONV, "ISO-2022-JP" },
	{ "iso-2022-jp-2", MIME_CS_ICONV, "ISO-2022-JP-2" },
	/* CP932 is Microsoft's Shift_JIS: it adds the NEC and IBM rows */
	{ "shift_jis", MIME_CS_ICONV, "CP932" },
	{ "shift-jis", MIME_CS_ICONV, "CP932" },
	{ "sjis", MIME_CS_ICONV, "CP932" },
	{ "x-sjis", MIME_CS_ICONV, "CP932" },
	{ "ms_kanji", MIME_CS_ICONV, "CP932" },
	{ "cp932", MIME_CS_ICONV, "CP932" },
	{ "windows-31j", MIME_CS_ICONV, "CP932" },
	{ "euc-jp", MIME_CS_ICONV, "EUC-JP" },
	{ "x-euc-jp", MIME_CS_ICONV, "EUC-JP" },
	{ "eucjp", MIME_CS_ICONV, "EUC-JP" },
	/* GB18030 decodes GB2312 and GBK text unchanged */
	{ "gb2312", MIME_CS_ICONV, "GB18030" },
	{ "gbk", MIME_CS_ICONV, "GB18030" },
	{ "gb18030", MIME_CS_ICONV, "GB18030" },
	{ "x-gbk", MIME_CS_ICONV, "GB18030" },
	{ "cp936", MIME_CS_ICONV, "GB18030" },
	{ "euc-cn", MIME_CS_ICONV, "GB18030" },
	{ "csgb2312", MIME_CS_ICONV, "GB18030" },
	{ "big5", MIME_CS_ICONV, "BIG5" },
	{ "x-big5", MIME_CS_ICONV, "BIG5" },
	{ "big5-hkscs", MIME_CS_ICONV, "BIG5-HKSCS" },
	/* CP949 (Unified Hangul Code) is a superset of EUC-KR */
	{ "ks_c_5601-1987", MIME_CS_ICONV, "CP949" },
	{ "ks_c_5601", MIME_CS_ICONV, "CP949" },
	{ "ksc5601", MIME_CS_ICONV, "CP949" },
	{ "euc-kr", MIME_CS_ICONV, "CP949" },
	{ "cp949", MIME_CS_ICONV, "CP949" },
	{ "x-windows-949", MIME_CS_ICONV, "CP949" },
	{ "iso-2022-kr", MIME_CS_ICONV, "ISO-2022-KR" },
	{ "koi8-r", MIME_CS_ICONV, "KOI8-R" },
	{ "koi8-u", MIME_CS_ICONV, "KOI8-U" },
	{ "utf-7", MIME_CS_ICONV, "UTF-7" },
	{ "unicode-1-1-utf-7", MIME_CS_ICONV, "UTF-7" },
	{ "utf-16", MIME_CS_ICONV, "UTF-16" },
	{ "utf-16le", MIME_CS_ICONV, "UTF-16LE" },
	{ "utf-16be", MIME_CS_ICONV, "UTF-16BE" },
	{ "tis-620", MIME_CS_ICONV, "TIS-620" },
	{ "windows-874", MIME_CS_ICONV, "CP874" },
	{ "cp874", MIME_CS_ICONV, "CP874" },
	{ "ibm866", MIME_CS_ICONV, "CP866" },
	{ "cp866", MIME_CS_ICONV, "CP866" },
	{ "cp850", MIME_CS_ICONV, "CP850" },
	{ "macintosh", MIME_CS_ICONV, "MACINTOSH" },
	{ "x-mac-roman", MIME_CS_ICONV, "MACINTOSH" },
	{ "viscii", MIME_CS_ICONV, "VISCII" },
	/* the logical-order Hebrew label: same bytes as ISO-8859-8 */
	{ "iso-8859-8-i", MIME_CS_ICONV, "ISO-8859-8" },
};

static const struct mime_cs mime_cs_utf8 = { "us-ascii", MIME_CS_UTF8, NULL,
	true };
static const struct mime_cs mime_cs_latin1 = { "iso-8859-1", MIME_CS_LATIN1,
	NULL, true };
static const struct mime_cs mime_cs_unknown = { "", MIME_CS_UNKNOWN, NULL,
	true };

static int mime_entity(struct mime_ctx *c, struct mime_stream *st, size_t *pos,
    struct mime_part *p, enum mime_where where);

/* ---- small helpers ---------------------------------------------------- */

static void
mime_put(struct buf *b, const void *p, size_t n)
{
	int rc = buf_append(b, p, n);

	ASSERT(rc == 0); /* MIME_SCRATCH_MAX is far above any input */
}

static struct span
mime_buf_dup(struct arena *a, const struct buf *b)
{
	return span_make(arena_strndup(a, b->data != NULL ? b->data : "",
	                     b->len),
	    b->len);
}

/* mime_utf8_prefix - length of the longest valid UTF-8 prefix of s */
static size_t
mime_utf8_prefix(const unsigned char *s, size_t n)
{
	size_t i = 0, l;

	while (i < n) {
		if (s[i] < 0x80) {
			/* ASCII runs are the common case: 8 bytes at a time */
			i += ascii_run_len(
			    span_make((const char *)s + i, n - i));
			continue;
		}
		l = text_utf8_seqlen(s + i, n - i);
		if (l == 0)
			return i;
		i += l;
	}
	return n;
}

static bool
mime_utf8_valid(struct span s)
{
	return mime_utf8_prefix((const unsigned char *)s.ptr, s.len) == s.len;
}

/* ---- charsets ------------------------------------------------------- */

/* mime_cs_probe - does 7-bit text without ESC convert to itself? */
static bool
mime_cs_probe(iconv_t cd)
{
	char in[128], out[512], *ip = in, *op = out;
	size_t n = 0, il, ol = sizeof(out), r;
	bool same;

	for (int ch = 0; ch < 128; ch++)
		if (ch != 0x1b)
			in[n++] = (char)ch;
	il = n;
	(void)iconv(cd, NULL, NULL, NULL, NULL);
	r = iconv(cd, &ip, &il, &op, &ol);
	same =
	    r != (size_t)-1 && sizeof(out) - ol == n && memcmp(in, out, n) == 0;
	(void)iconv(cd, NULL, NULL, NULL, NULL);
	return same;
}

/* mime_cs_family - iso-8859-N and windows-125N spelled any common way */
static const char *
mime_cs_family(const char *key, char *name, size_t size)
{
	static const char *const iso[] = { "iso-8859-", "iso8859-", "iso_8859-",
		NULL };
	static const char *const win[] = { "windows-", "cp", "x-cp", NULL };
	const char *rest;
	size_t i, n;

	for (i = 0; iso[i] != NULL; i++) {
		n = strlen(iso[i]);
		rest = key + n;
		if (strncmp(key, iso[i], n) == 0 && rest[0] >= '1' &&
		    rest[0] <= '9' &&
		    strspn(rest, "0123456789") == strlen(rest) &&
		    strlen(rest) <= 2) {
			(void)snprintf(name, size, "ISO-8859-%s", rest);
			return name;
		}
	}
	for (i = 0; win[i] != NULL; i++) {
		n = strlen(win[i]);
		rest = key + n;
		if (strncmp(key, win[i], n) == 0 &&
		    strncmp(rest, "125", 3) == 0 && rest[3] >= '0' &&
		    rest[3] <= '8' && rest[4] == '\0') {
			(void)snprintf(name, size, "CP%s", rest);
			return name;
		}
	}
	return NULL;
}

/*
 * mime_cs_resolve - fill a cache entry for key. Only names on the alias
 * list and the two families reach iconv_open: a charset name is attacker
 * input, and this keeps the rarely used gconv modules (and any bugs in
 * them) out of reach. Everything else is "unknown".
 */
static void
mime_cs_resolve(struct mime_decoder *dec, struct mime_cs *e, const char *key)
{
	const char *iname = NULL;
	char fam[32];

	(void)snprintf(e->name, sizeof(e->name), "%s", key);
	e->kind = MIME_CS_UNKNOWN;
	e->cd = (iconv_t)-1;
	e->ascii_safe = true;
	for (size_t i = 0; i < sizeof(mime_aliases) / sizeof(mime_aliases[0]);
	     i++) {
		if (strcmp(mime_aliases[i].name, key) == 0) {
			e->kind = mime_aliases[i].kind;
			iname = mime_aliases[i].iconv;
			break;
		}
	}
	if (e->kind == MIME_CS_UNKNOWN)
		iname = mime_cs_family(key, fam, sizeof(fam));
	if (e->kind == MIME_CS_UTF8 || e->kind == MIME_CS_LATIN1 ||
	    iname == NULL)
		return;
	if (dec->opens >= MIME_CS_OPEN_MAX) {
		e->kind = MIME_CS_UNKNOWN;
		e->name[0] = '\0'; /* not cached: a later call may open it */
		return;
	}
	dec->opens++;
	e->cd = iconv_open("UTF-8", iname);
	if (e->cd == (iconv_t)-1) {
		e->kind = MIME_CS_UNKNOWN;
		return;
	}
	e->kind = MIME_CS_ICONV;
	e->ascii_safe = mime_cs_probe(e->cd);
}

/*
 * mime_cs_lookup - the converter for a charset name. The pointer is valid
 * until the next lookup (a full cache reuses its slots in turn).
 */
static const struct mime_cs *
mime_cs_lookup(struct mime_decoder *dec, struct span name)
{
	char key[MIME_CS_NAME_MAX + 1];
	struct mime_cs *e;
	size_t i;

	name = ascii_trim(name, ASCII_FWS);
	if (name.len == 0)
		return &mime_cs_utf8; /* RFC 2045 §5.2: us-ascii */
	if (name.len > MIME_CS_NAME_MAX)
		return &mime_cs_unknown;
	for (i = 0; i < name.len; i++) {
		char ch = ascii_tolower(name.ptr[i]);

		if (!ascii_is(ch, ASCII_LOWER | ASCII_DIGIT) && ch != '-' &&
		    ch != '_' && ch != '.' && ch != ':')
			return &mime_cs_unknown;
		key[i] = ch;
	}
	key[i] = '\0';
	for (i = 0; i < dec->ncs; i++)
		if (strcmp(dec->cs[i].name, key) == 0)
			return &dec->cs[i];
	if (dec->ncs < MIME_CS_CACHE) {
		e = &dec->cs[dec->ncs++];
	} else {
		e = &dec->cs[dec->cs_next];
		dec->cs_next = (dec->cs_next + 1) % MIME_CS_CACHE;
		if (e->cd != (iconv_t)-1)
			(void)iconv_close(e->cd);
	}
	mime_cs_resolve(dec, e, key);
	return e;
}

/* mime_utf8_append - UTF-8 as is; each invalid byte becomes U+FFFD */
static void
mime_utf8_append(struct buf *out, struct span in, unsigned *anom)
{
	const unsigned char *s = (const unsigned char *)in.ptr;
	size_t i = 0, ok;

	while (i < in.len) {
		ok = mime_utf8_prefix(s + i, in.len - i);
		mime_put(out, s + i, ok);
		i += ok;
		if (i < in.len) {
			mime_put(out, MIME_FFFD, 3);
			*anom |= MIME_ANOM_CHARSET;
			i++;
		}
	}
}

static void
mime_latin1_append(struct buf *out, struct span in)
{
	const unsigned char *s = (const unsigned char *)in.ptr;
	size_t i = 0, j;
	char two[2];

	while (i < in.len) {
		for (j = i; j < in.len && s[j] < 0x80; j++)
			;
		mime_put(out, s + i, j - i);
		if (j == in.len)
			break;
		two[0] = (char)(0xc0 | (s[j] >> 6));
		two[1] = (char)(0x80 | (s[j] & 0x3f));
		mime_put(out, two, 2);
		i = j + 1;
	}
}

/*
 * mime_iconv_append - convert with iconv; an invalid or unconvertible
 * sequence costs one byte and becomes U+FFFD (EILSEQ), a truncated one at
 * the end becomes one U+FFFD (EINVAL). glibc's UTF-8 encoder only writes
 * valid UTF-8, so the result needs no second check.
 */
static void
mime_iconv_append(iconv_t cd, struct buf *out, struct span in, unsigned *anom)
{
	char chunk[4096], *op;
	/* iconv's prototype lacks const; it does not write the input */
	char *ip = (char *)(uintptr_t)in.ptr;
	size_t il = in.len, ol, r;
	int err;

	(void)iconv(cd, NULL, NULL, NULL, NULL);
	while (il > 0) {
		op = chunk;
		ol = sizeof(chunk);
		r = iconv(cd, &ip, &il, &op, &ol);
		err = errno;
		mime_put(out, chunk, sizeof(chunk) - ol);
		if (r != (size_t)-1 || err == E2BIG)
			continue;
		mime_put(out, MIME_FFFD, 3);
		*anom |= MIME_ANOM_CHARSET;
		if (err == EILSEQ) {
			ip++;
			il--;
		} else {
			break; /* EINVAL: incomplete at the end */
		}
	}
	op = chunk;
	ol = sizeof(chunk);
	(void)iconv(cd, NULL, NULL, &op, &ol);
	mime_put(out, chunk, sizeof(chunk) - ol);
}

/* mime_is_plain - 7-bit and free of ESC: no ISO 2022 shift can hide in it */
static bool
mime_is_plain(struct span in)
{
	return ascii_run_len(in) == in.len &&
	    (in.len == 0 || memchr(in.ptr, 0x1b, in.len) == NULL);
}

/* mime_conv_append - append in, converted from cs to UTF-8, to out */
static void
mime_conv_append(const struct mime_cs *cs, struct buf *out, struct span in,
    unsigned *anom)
{
	switch (cs->kind) {
	case MIME_CS_UTF8:
		mime_utf8_append(out, in, anom);
		break;
	case MIME_CS_LATIN1:
		mime_latin1_append(out, in);
		break;
	case MIME_CS_ICONV:
		if (cs->ascii_safe && mime_is_plain(in))
			mime_put(out, in.ptr, in.len);
		else
			mime_iconv_append(cs->cd, out, in, anom);
		break;
	case MIME_CS_UNKNOWN:
		*anom |= MIME_ANOM_CHARSET;
		if (mime_utf8_valid(in))
			mime_put(out, in.ptr, in.len);
		else
			mime_latin1_append(out, in);
		break;
	}
}

static struct span
mime_latin1(struct arena *a, struct span in)
{
	const unsigned char *s = (const unsigned char *)in.ptr;
	size_t high = 0, o = 0;
	char *out;

	for (size_t i = 0; i < in.len; i++)
		high += s[i] >> 7;
	if (high == 0)
		return in;
	out = arena_alloc(a, in.len + high + 1);
	for (size_t i = 0; i < in.len; i++) {
		if (s[i] < 0x80) {
			out[o++] = (char)s[i];
		} else {
			out[o++] = (char)(0xc0 | (s[i] >> 6));
			out[o++] = (char)(0x80 | (s[i] & 0x3f));
		}
	}
	out[o] = '\0';
	return span_make(out, o);
}

/* mime_convert - mime_to_utf8 inside a parse (shares its open budget) */
static struct span
mime_convert(struct mime_decoder *dec, struct arena *a, struct span charset,
    struct span bytes, unsigned *anom)
{
	const struct mime_cs *cs = mime_cs_lookup(dec, charset);
	unsigned an = 0;
	struct span r = bytes;

	if (bytes.len == 0)
		return bytes;
	switch (cs->kind) {
	case MIME_CS_UTF8:
		if (!mime_utf8_valid(bytes)) {
			r = text_sanitize(a, bytes, 0, NULL);
			an |= MIME_ANOM_CHARSET;
		}
		break;
	case MIME_CS_LATIN1:
		r = mime_latin1(a, bytes);
		break;
	case MIME_CS_UNKNOWN:
		an |= MIME_ANOM_CHARSET;
		if (!mime_utf8_valid(bytes))
			r = mime_latin1(a, bytes);
		break;
	case MIME_CS_ICONV:
		if (cs->ascii_safe && mime_is_plain(bytes))
			break;
		buf_reset(&dec->out);
		mime_iconv_append(cs->cd, &dec->out, bytes, &an);
		r = mime_buf_dup(a, &dec->out);
		break;
	}
	if (anom != NULL)
		*anom |= an;
	return r;
}

/* ---- transfer encodings ---------------------------------------------- */

/*
 * mime_b64_core - RFC 2045 §6.8 base64 into out (room for n / 4 * 3 + 3).
 * Whitespace is skipped; other foreign characters are skipped and set
 * *bad; '=' ends a quantum wherever it stands (concatenated encodings);
 * missing padding is tolerated. Returns the length written.
 */
static size_t
mime_b64_core(const unsigned char *tab, const unsigned char *s, size_t n,
    unsigned char *out, bool *bad)
{
	size_t i = 0, o = 0;
	uint32_t acc = 0;
	unsigned nacc = 0, v;

	while (i < n) {
		/* fast path: whole quanta of valid characters */
		while (nacc == 0 && i + 4 <= n) {
			uint32_t a0 = tab[s[i]], a1 = tab[s[i + 1]],
			         a2 = tab[s[i + 2]], a3 = tab[s[i + 3]];

			if ((a0 | a1 | a2 | a3) >= 64)
				break;
			acc = a0 << 18 | a1 << 12 | a2 << 6 | a3;
			out[o++] = (unsigned char)(acc >> 16);
			out[o++] = (unsigned char)(acc >> 8);
			out[o++] = (unsigned char)acc;
			i += 4;
		}
		if (i >= n)
			break;
		v = tab[s[i++]];
		if (v < 64) {
			acc = acc << 6 | v;
			if (++nacc == 4) {
				out[o++] = (unsigned char)(acc >> 16);
				out[o++] = (unsigned char)(acc >> 8);
				out[o++] = (unsigned char)acc;
				nacc = 0;
				acc = 0;
			}
			continue;
		}
		if (v == MIME_B64_WSP)
			continue;
		if (v == MIME_B64_BAD) {
			*bad = true;
			while (i < n && tab[s[i]] == MIME_B64_BAD)
				i++;
			continue;
		}
		/* '=': flush the partial quantum */
		if (nacc == 1)
			*bad = true;
		if (nacc >= 2)
			out[o++] = (unsigned char)(acc >> (nacc == 2 ? 4 : 10));
		if (nacc == 3)
			out[o++] = (unsigned char)(acc >> 2);
		nacc = 0;
		acc = 0;
	}
	if (nacc == 1)
		*bad = true;
	if (nacc >= 2)
		out[o++] = (unsigned char)(acc >> (nacc == 2 ? 4 : 10));
	if (nacc == 3)
		out[o++] = (unsigned char)(acc >> 2);
	return o;
}

static struct span
mime_b64_decode(struct mime_ctx *c, struct span in)
{
	unsigned char *out = arena_alloc(c->a, in.len / 4 * 3 + 4);
	bool bad = false;
	size_t n = mime_b64_core(c->dec->b64, (const unsigned char *)in.ptr,
	    in.len, out, &bad);

	if (bad)
		c->anom |= MIME_ANOM_BASE64;
	out[n] = '\0';
	return span_make((const char *)out, n);
}

/*
 * mime_qp_decode - RFC 2045 §6.7: "=XX" (either case) is a byte, "=" at
 * the end of a line (trailing whitespace allowed, rule 3) is a soft line
 * break; any other "=" stays as it is and is flagged.
 */
static struct span
mime_qp_decode(struct mime_ctx *c, struct span in)
{
	const char *s = in.ptr, *eq;
	char *out = arena_alloc(c->a, in.len + 1);
	size_t i = 0, o = 0, j, n = in.len;
	int hi, lo;

	while (i < n) {
		eq = memchr(s + i, '=', n - i);
		if (eq == NULL) {
			memcpy(out + o, s + i, n - i);
			o += n - i;
			break;
		}
		j = (size_t)(eq - s);
		memcpy(out + o, s + i, j - i);
		o += j - i;
		i = j + 1;
		for (j = i; j < n && ascii_is_wsp(s[j]); j++)
			;
		if (j == n || s[j] == '\n') {
			i = j < n ? j + 1 : n;
			continue;
		}
		if (s[j] == '\r') {
			i = j + 1 < n && s[j + 1] == '\n' ? j + 2 : j + 1;
			continue;
		}
		hi = i + 1 < n ? ascii_hex_value(s[i]) : -1;
		lo = i + 1 < n ? ascii_hex_value(s[i + 1]) : -1;
		if (hi >= 0 && lo >= 0) {
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
			continue;
		}
		out[o++] = '=';
		c->anom |= MIME_ANOM_QP;
	}
	out[o] = '\0';
	return span_make(out, o);
}

static struct span
mime_transfer_decode(struct mime_ctx *c, enum mime_cte cte, struct span raw)
{
	switch (cte) {
	case MIME_CTE_BASE64:
		return mime_b64_decode(c, raw);
	case MIME_CTE_QP:
		return mime_qp_decode(c, raw);
	case MIME_CTE_IDENTITY:
		break;
	}
	return raw;
}

/* ---- RFC 2047 encoded words ------------------------------------------- */

/*
 * mime_ew_parse - the encoded word "=?charset?enc?text?=" starting at s[i]
 * (RFC 2047 §2). *term caches the position of the first "?=" found so far
 * (n: none left): later words start further on, so a header full of "=?"
 * without an end is still read in linear time. Returns 0 for a word, -1
 * when s[i] starts no word, -2 for a malformed one (flagged by the caller).
 */
static int
mime_ew_parse(const char *s, size_t n, size_t i, size_t *term,
    struct mime_ew *ew)
{
	size_t p = i + 2, cs = p, star, k;
	const char *q;

	while (p < n && p - cs <= MIME_EW_CHARSET_MAX && s[p] != '?' &&
	    ascii_is(s[p], ASCII_TOKEN))
		p++;
	if (p >= n || s[p] != '?' || p == cs)
		return -1;
	/* RFC 2231 §5: charset*language */
	for (star = cs; star < p && s[star] != '*'; star++)
		;
	ew->charset = span_make(s + cs, star - cs);
	if (p + 2 >= n || s[p + 2] != '?')
		return -1;
	ew->enc = ascii_tolower(s[p + 1]);
	if (ew->enc != 'b' && ew->enc != 'q')
		return -2;
	p += 3;
	if (*term < p) {
		/* the last search found its "?=" before p: search on */
		*term = n;
		for (k = p; k + 1 < n; k++) {
			q = memchr(s + k, '?', n - k - 1);
			if (q == NULL)
				break;
			k = (size_t)(q - s);
			if (s[k + 1] == '=') {
				*term = k;
				break;
			}
		}
	}
	if (*term >= n)
		return -2;
	ew->text = span_make(s + p, *term - p);
	ew->end = *term + 2;
	return 0;
}

/* mime_ew_payload - the bytes an encoded word stands for */
static struct span
mime_ew_payload(struct mime_decoder *dec, struct arena *a,
    const struct mime_ew *ew, unsigned *anom)
{
	const char *s = ew->text.ptr;
	size_t n = ew->text.len, o = 0;
	unsigned char *out = arena_alloc(a, n + 4);
	bool bad = false;
	int hi, lo;

	if (ew->enc == 'b') {
		o = mime_b64_core(dec->b64, (const unsigned char *)s, n, out,
		    &bad);
	} else {
		/* RFC 2047 §4.2: "_" is a space, "=XX" a byte */
		for (size_t i = 0; i < n; i++) {
			if (s[i] == '_') {
				out[o++] = ' ';
			} else if (s[i] == '=' && i + 2 < n &&
			    (hi = ascii_hex_value(s[i + 1])) >= 0 &&
			    (lo = ascii_hex_value(s[i + 2])) >= 0) {
				out[o++] = (unsigned char)(hi << 4 | lo);
				i += 2;
			} else {
				if (s[i] == '=')
					bad = true;
				out[o++] = (unsigned char)s[i];
			}
		}
	}
	if (bad)
		*anom |= MIME_ANOM_ENCODED_WORD;
	return span_make((const char *)out, o);
}

/*
 * mime_hdr_raw - append header text that is not an encoded word. UTF-8 is
 * kept (RFC 6532); 7-bit text with ISO 2022 escapes is raw ISO-2022-JP
 * (Japanese mailers); other 8-bit bytes are in the part's charset or,
 * most often, ISO-8859-1.
 */
static void
mime_hdr_raw(struct mime_decoder *dec, struct buf *out, struct span seg,
    struct span charset, unsigned *anom)
{
	const struct mime_cs *cs;
	bool ascii = ascii_run_len(seg) == seg.len;

	if (ascii && (seg.len == 0 || memchr(seg.ptr, 0x1b, seg.len) == NULL)) {
		mime_put(out, seg.ptr, seg.len);
		return;
	}
	if (!ascii && mime_utf8_valid(seg)) {
		mime_put(out, seg.ptr, seg.len);
		return;
	}
	*anom |= MIME_ANOM_8BIT_HEADER;
	if (ascii) {
		cs = mime_cs_lookup(dec, SPAN_LIT("iso-2022-jp"));
	} else {
		cs = mime_cs_lookup(dec, charset);
		if (cs->kind == MIME_CS_UTF8 || cs->kind == MIME_CS_UNKNOWN)
			cs = &mime_cs_latin1;
	}
	mime_conv_append(cs, out, seg, anom);
}

static void
mime_ew_flush(struct mime_decoder *dec, struct span cs, unsigned *anom)
{
	if (dec->run.len == 0)
		return;
	mime_conv_append(mime_cs_lookup(dec, cs), &dec->hdr,
	    span_make(dec->run.data, dec->run.len), anom);
	buf_reset(&dec->run);
}

/* mime_has_words - might v hold an encoded word ("=?")? */
static bool
mime_has_words(struct span v)
{
	const char *eq;

	for (size_t i = 0; i + 1 < v.len; i = (size_t)(eq - v.ptr) + 1) {
		eq = memchr(v.ptr + i, '=', v.len - i - 1);
		if (eq == NULL)
			return false;
		if (eq[1] == '?')
			return true;
	}
	return false;
}

/*
 * mime_words_decode - a header value with RFC 2047 encoded words and raw
 * text to UTF-8. Whitespace between adjacent encoded words is dropped
 * (§6.2); the bytes of adjacent words in one charset are converted
 * together, so a character split across two words survives.
 */
static struct span
mime_words_decode(struct mime_decoder *dec, struct arena *a, struct span v,
    struct span charset, unsigned *anom)
{
	const char *s = v.ptr, *eq;
	size_t n = v.len, i = 0, lit = 0, term = 0;
	struct span run_cs = SPAN_NULL, pl;
	struct mime_ew ew;
	bool prev_ew = false;
	int rc;

	buf_reset(&dec->hdr);
	buf_reset(&dec->run);
	while (i + 1 < n) {
		eq = memchr(s + i, '=', n - i - 1);
		if (eq == NULL)
			break;
		i = (size_t)(eq - s);
		if (s[i + 1] != '?') {
			i++;
			continue;
		}
		rc = mime_ew_parse(s, n, i, &term, &ew);
		if (rc != 0) {
			if (rc == -2)
				*anom |= MIME_ANOM_ENCODED_WORD;
			i += 2;
			continue;
		}
		if (!prev_ew ||
		    !ascii_all(span_make(s + lit, i - lit), ASCII_FWS)) {
			mime_ew_flush(dec, run_cs, anom);
			mime_hdr_raw(dec, &dec->hdr,
			    span_make(s + lit, i - lit), charset, anom);
		}
		if (!ascii_ieq(run_cs, ew.charset))
			mime_ew_flush(dec, run_cs, anom);
		pl = mime_ew_payload(dec, a, &ew, anom);
		mime_put(&dec->run, pl.ptr, pl.len);
		run_cs = ew.charset;
		i = ew.end;
		lit = i;
		prev_ew = true;
	}
	mime_ew_flush(dec, run_cs, anom);
	mime_hdr_raw(dec, &dec->hdr, span_make(s + lit, n - lit), charset,
	    anom);
	return mime_buf_dup(a, &dec->hdr);
}

/* mime_field_kind - name classified (a length test rejects most names) */
static enum mime_field
mime_field_kind(struct span name)
{
	if (name.len < 12 || (name.ptr[0] != 'C' && name.ptr[0] != 'c'))
		return MIME_F_OTHER;
	if (ascii_ieq_cstr(name, "content-type"))
		return MIME_F_CONTENT_TYPE;
	if (ascii_ieq_cstr(name, "content-transfer-encoding"))
		return MIME_F_CTE;
	if (ascii_ieq_cstr(name, "content-disposition"))
		return MIME_F_DISPOSITION;
	return MIME_F_OTHER;
}

/* mime_hdr_decode - a header value as UTF-8; structured MIME fields keep
 * their encoded words for mime_param (RFC 2047 §5 bars them there) */
static struct span
mime_hdr_decode(struct mime_ctx *c, struct span v, struct span charset,
    bool structured)
{
	struct mime_decoder *dec = c->dec;
	bool ascii = ascii_run_len(v) == v.len;
	bool esc = v.len > 0 && memchr(v.ptr, 0x1b, v.len) != NULL;

	if (!structured && mime_has_words(v))
		return mime_words_decode(dec, c->a, v, charset, &c->anom);
	if (ascii && !esc)
		return v;
	if (!ascii && mime_utf8_valid(v))
		return v;
	buf_reset(&dec->hdr);
	mime_hdr_raw(dec, &dec->hdr, v, charset, &c->anom);
	return mime_buf_dup(c->a, &dec->hdr);
}

/* ---- header blocks --------------------------------------------------- */

/* mime_line - the line at p; *end_out excludes its CR LF or LF. Returns
 * where the next line starts. */
static size_t
mime_line(const char *s, size_t len, size_t p, size_t *end_out)
{
	const char *nl = memchr(s + p, '\n', len - p);
	size_t e = nl != NULL ? (size_t)(nl - s) : len;

	*end_out = e > p && s[e - 1] == '\r' ? e - 1 : e;
	return nl != NULL ? e + 1 : len;
}

/* mime_is_blank - an empty line, or one of only whitespace (which ends a
 * header block here: a body lost to a "folded" blank line costs more than
 * an odd fold) */
static bool
mime_is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!ascii_is_wsp(s[i]) && s[i] != '\r')
			return false;
	return true;
}

/*
 * mime_field_name - RFC 5322 §3.6.8: the field name (ftext, printable
 * ASCII but ':') at the start of a line, then ':' (obsolete syntax allows
 * whitespace before it, §4.5). Returns the name length, 0 if the line is
 * no field; *colon_out gets the offset of the colon.
 */
static size_t
mime_field_name(const char *s, size_t n, size_t *colon_out)
{
	size_t i = 0, nlen;

	while (i < n && ascii_is(s[i], ASCII_VCHAR) && s[i] != ':')
		i++;
	nlen = i;
	while (i < n && ascii_is_wsp(s[i]))
		i++;
	if (nlen == 0 || i >= n || s[i] != ':')
		return 0;
	*colon_out = i;
	return nlen;
}

/* mime_skip_intro - skip blank lines and an mbox "From " line */
static size_t
mime_skip_intro(const char *s, size_t len, size_t p)
{
	size_t next, end;

	while (p < len) {
		/* empty lines without a call: a run of them costs little */
		if (s[p] == '\n') {
			p++;
			continue;
		}
		if (s[p] == '\r' && p + 1 < len && s[p + 1] == '\n') {
			p += 2;
			continue;
		}
		next = mime_line(s, len, p, &end);
		if (!mime_is_blank(s + p, end - p))
			break;
		p = next;
	}
	if (len - p >= 5 && memcmp(s + p, "From ", 5) == 0)
		p = mime_line(s, len, p, &end);
	return p;
}

/*
 * mime_delim_at - is the line at p (which starts with "--") a delimiter of
 * an open multipart (RFC 2046 §5.1.1: "--" boundary, "--" for the close
 * delimiter, then optional whitespace)? The innermost multipart that has
 * the boundary owns the line. Returns its stack index, or -1.
 */
static int
mime_delim_at(const struct mime_stream *st, size_t p, bool *close_out)
{
	const char *s = st->s;
	size_t len = st->len, q;
	bool close;

	for (size_t k = st->nbnd; k-- > 0;) {
		struct span b = st->bnd[k];

		if (len - p < 2 + b.len || memcmp(s + p + 2, b.ptr, b.len) != 0)
			continue;
		q = p + 2 + b.len;
		close = q + 2 <= len && s[q] == '-' && s[q + 1] == '-';
		if (close)
			q += 2;
		while (q < len && (ascii_is_wsp(s[q]) || s[q] == '\r'))
			q++;
		if (q == len || s[q] == '\n') {
			*close_out = close;
			return (int)k;
		}
	}
	return -1;
}

/* mime_delim_line - mime_delim_at for the line starting at p; leading
 * whitespace is tolerated (the example in RFC 3464 §6 has it, and so do
 * bounces copied from it) */
static int
mime_delim_line(const struct mime_stream *st, size_t p, bool *close_out)
{
	const char *s = st->s;

	while (p < st->len && ascii_is_wsp(s[p]))
		p++;
	if (st->len - p < 2 || s[p] != '-' || s[p + 1] != '-')
		return -1;
	return mime_delim_at(st, p, close_out);
}

/* mime_find_delim - the first delimiter line at or after the line start
 * from; *line_out gets its offset (st->len at the end). Returns the stack
 * index of its multipart, or -1 at the end of the stream. */
static int
mime_find_delim(const struct mime_stream *st, size_t from, size_t *line_out)
{
	const char *s = st->s, *nl;
	size_t p = from;
	bool close;
	int k;

	while (st->nbnd > 0 && p + 2 <= st->len) {
		if ((s[p] == '-' && s[p + 1] == '-') || ascii_is_wsp(s[p])) {
			k = mime_delim_line(st, p, &close);
			if (k >= 0) {
				*line_out = p;
				return k;
			}
		}
		nl = memchr(s + p, '\n', st->len - p);
		if (nl == NULL)
			break;
		p = (size_t)(nl - s) + 1;
	}
	*line_out = st->len;
	return -1;
}

/* mime_body_end - RFC 2046 §5.1.1: the line break before a delimiter
 * belongs to the delimiter */
static size_t
mime_body_end(const struct mime_stream *st, size_t start, size_t line, int hit)
{
	size_t e = line;

	if (hit < 0)
		return e;
	if (e > start && st->s[e - 1] == '\n')
		e--;
	if (e > start && st->s[e - 1] == '\r')
		e--;
	return e;
}

static size_t
mime_next_line(const struct mime_stream *st, size_t p)
{
	size_t end;

	return mime_line(st->s, st->len, p, &end);
}

/* mime_text_first - the first line of a header block is no field: is it
 * the start of the body (rather than a junk line to skip)? */
static bool
mime_text_first(const struct mime_stream *st, size_t next,
    enum mime_where where)
{
	switch (where) {
	case MIME_AT_TOP:
		/* pasted text such as "550 5.1.1 user unknown" */
		return !mime_looks_like_message(span_make(st->s, st->len));
	case MIME_IN_MESSAGE:
	case MIME_IN_HEADERS:
		/* declared a message: skip a junk line if headers follow */
		return !mime_looks_like_message(
		    span_make(st->s + next, st->len - next));
	case MIME_IN_MULTIPART:
	case MIME_IN_DIGEST:
		break;
	}
	return true;
}

/*
 * mime_headers - read the header block at st->s[*pos] into dec->raw and
 * return the number of fields. *pos ends where the body starts (after the
 * empty line). *hit_out gets the stack index when a delimiter line of an
 * open multipart ends the block (*pos is then that line), else -1.
 */
static size_t
mime_headers(struct mime_ctx *c, struct mime_stream *st, size_t *pos,
    enum mime_where where, int *hit_out)
{
	struct mime_raw_header *raw = c->dec->raw;
	const char *s = st->s;
	size_t p = *pos, n = 0, next, end, colon, nlen;
	enum mime_fold cur = MIME_FOLD_NONE;
	bool close;
	int k;

	*hit_out = -1;
	if (where != MIME_IN_MULTIPART && where != MIME_IN_DIGEST)
		p = mime_skip_intro(s, st->len, p);
	while (p < st->len) {
		next = mime_line(s, st->len, p, &end);
		if (mime_is_blank(s + p, end - p)) {
			p = next;
			break;
		}
		if (st->nbnd > 0 && (s[p] == '-' || ascii_is_wsp(s[p]))) {
			k = mime_delim_line(st, p, &close);
			if (k >= 0) {
				*hit_out = k;
				break;
			}
		}
		if (ascii_is_wsp(s[p]) && cur != MIME_FOLD_NONE) {
			/* RFC 5322 §2.2.3: a folded line continues the field */
			if (cur == MIME_FOLD_KEPT) {
				raw[n - 1].vend = end;
				raw[n - 1].folded = true;
			}
			p = next;
			continue;
		}
		nlen = mime_field_name(s + p, end - p, &colon);
		if (nlen == 0 && cur == MIME_FOLD_KEPT &&
		    raw[n - 1].kind != MIME_F_OTHER &&
		    memchr(s + p, '=', end - p) != NULL) {
			/* a parameter on a fold that lost its whitespace */
			c->anom |= MIME_ANOM_BAD_HEADER;
			raw[n - 1].vend = end;
			raw[n - 1].folded = true;
			p = next;
			continue;
		}
		if (nlen == 0 && cur == MIME_FOLD_NONE && n == 0 &&
		    mime_text_first(st, next, where)) {
			c->anom |= MIME_ANOM_NO_HEADERS;
			break;
		}
		if (nlen == 0 || n == MIME_MAX_HEADERS) {
			c->anom |= nlen == 0 ? MIME_ANOM_BAD_HEADER :
			                       MIME_ANOM_TOO_MANY_HDR;
			cur = MIME_FOLD_SKIP;
			p = next;
			continue;
		}
		raw[n].name = span_make(s + p, nlen);
		raw[n].kind = mime_field_kind(raw[n].name);
		raw[n].vstart = p + colon + 1;
		raw[n].vend = end;
		raw[n].folded = false;
		n++;
		cur = MIME_FOLD_KEPT;
		p = next;
	}
	if (n == 0 && where != MIME_IN_MULTIPART && where != MIME_IN_DIGEST)
		c->anom |= MIME_ANOM_NO_HEADERS;
	*pos = p;
	return n;
}

/* mime_raw_value - a field value unfolded (RFC 5322 §2.2.3) and trimmed,
 * cut at MIME_MAX_HEADER_LINE; a view into the stream unless folded */
static struct span
mime_raw_value(struct mime_ctx *c, const struct mime_stream *st,
    const struct mime_raw_header *h)
{
	const char *s = st->s, *nl;
	size_t vs = h->vstart, ve = h->vend, o = 0, i, e, ce;
	char *out;

	if (ve - vs > MIME_MAX_HEADER_LINE) {
		ve = vs + MIME_MAX_HEADER_LINE;
		/* do not cut a UTF-8 sequence in two */
		for (i = 0;
		     i < 3 && ve > vs && ((unsigned char)s[ve] & 0xc0) == 0x80;
		     i++)
			ve--;
		c->anom |= MIME_ANOM_LONG_HEADER;
	}
	if (!h->folded)
		return ascii_trim(span_make(s + vs, ve - vs), ASCII_FWS);
	out = arena_alloc(c->a, ve - vs + 1);
	for (i = vs; i < ve;) {
		nl = memchr(s + i, '\n', ve - i);
		e = nl != NULL ? (size_t)(nl - s) : ve;
		ce = nl != NULL && e > i && s[e - 1] == '\r' ? e - 1 : e;
		memcpy(out + o, s + i, ce - i);
		o += ce - i;
		i = nl != NULL ? e + 1 : ve;
		/* a fold without whitespace (see mime_headers) still
		 * separates words; the LF dropped above makes room */
		if (nl != NULL && i < ve && !ascii_is_wsp(s[i]))
			out[o++] = ' ';
	}
	out[o] = '\0';
	return ascii_trim(span_make(out, o), ASCII_FWS);
}

/* ---- structured values: Content-Type and parameters ------------------ */

/* mime_skip_comment - RFC 5322 §3.2.2 comment at s[i] == '(', nested */
static size_t
mime_skip_comment(const char *s, size_t n, size_t i)
{
	size_t depth = 0;

	for (; i < n; i++) {
		if (s[i] == '\\') {
			i++;
		} else if (s[i] == '(') {
			depth++;
		} else if (s[i] == ')' && --depth == 0) {
			return i + 1;
		}
	}
	return n;
}

/* mime_quoted - the quoted string at s[i] == '"' (RFC 5322 §3.2.4), its
 * quoted pairs undone into *out when out is not NULL (copied only if
 * needed); returns the offset after the closing quote */
static size_t
mime_quoted(struct arena *a, const char *s, size_t n, size_t i,
    struct span *out)
{
	size_t start = ++i, o = 0;
	bool esc = false;
	char *d;

	for (; i < n && s[i] != '"'; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			esc = true;
			i++;
		}
	}
	if (out != NULL && !esc) {
		*out = span_make(s + start, i - start);
	} else if (out != NULL) {
		d = arena_alloc(a, i - start + 1);
		for (size_t j = start; j < i; j++) {
			if (s[j] == '\\' && j + 1 < i)
				j++;
			d[o++] = s[j];
		}
		d[o] = '\0';
		*out = span_make(d, o);
	}
	return i < n ? i + 1 : n;
}

struct mime_sections {
	struct span v[MIME_RFC2231_MAX];
	uint32_t set, enc; /* bit k: section k seen / is extended (%XX) */
};

/* mime_param_note - remember one name=value if its name is param: plain,
 * or an RFC 2231 §3-4 section ("param*", "param*N", "param*N*") */
static void
mime_param_note(struct span tok, const char *param, struct span val,
    struct span *plain, struct mime_sections *sec)
{
	size_t b = 0, i, k = 0;
	bool enc = false;

	while (b < tok.len && tok.ptr[b] != '*')
		b++;
	if (!ascii_ieq_cstr(span_make(tok.ptr, b), param))
		return;
	if (b == tok.len) {
		if (plain->ptr == NULL)
			*plain = val;
		return;
	}
	i = b + 1;
	if (i == tok.len) {
		enc = true; /* "param*": one extended section */
	} else {
		for (; i < tok.len && tok.ptr[i] >= '0' && tok.ptr[i] <= '9';
		     i++) {
			k = k * 10 + (size_t)(tok.ptr[i] - '0');
			if (k >= MIME_RFC2231_MAX)
				return;
		}
		if (i == b + 1 || (i < tok.len && tok.ptr[i] != '*') ||
		    (i < tok.len && i + 1 != tok.len))
			return;
		enc = i < tok.len;
	}
	if ((sec->set >> k) & 1u)
		return;
	sec->set |= 1u << k;
	if (enc)
		sec->enc |= 1u << k;
	sec->v[k] = val;
}

/* mime_sections_join - RFC 2231: sections 0, 1, ... in order, %XX of the
 * extended ones decoded; the first extended section starts with
 * charset'language' */
static struct span
mime_sections_join(struct arena *a, const struct mime_sections *sec,
    struct span *cs_out)
{
	size_t total = 0, o = 0, k;
	struct span v;
	const char *q1, *q2;
	char *out;
	int hi, lo;

	for (k = 0; k < MIME_RFC2231_MAX && ((sec->set >> k) & 1u); k++)
		total += sec->v[k].len;
	out = arena_alloc(a, total + 1);
	for (k = 0; k < MIME_RFC2231_MAX && ((sec->set >> k) & 1u); k++) {
		v = sec->v[k];
		if (!((sec->enc >> k) & 1u)) {
			memcpy(out + o, v.ptr, v.len);
			o += v.len;
			continue;
		}
		if (k == 0 && v.len > 0) {
			q1 = memchr(v.ptr, '\'', v.len);
			q2 = q1 != NULL ?
			    memchr(q1 + 1, '\'',
			        v.len - (size_t)(q1 + 1 - v.ptr)) :
			    NULL;
			if (q2 != NULL) {
				*cs_out =
				    span_make(v.ptr, (size_t)(q1 - v.ptr));
				v = span_make(q2 + 1,
				    v.len - (size_t)(q2 + 1 - v.ptr));
			}
		}
		for (size_t i = 0; i < v.len; i++) {
			if (v.ptr[i] == '%' && i + 2 < v.len &&
			    (hi = ascii_hex_value(v.ptr[i + 1])) >= 0 &&
			    (lo = ascii_hex_value(v.ptr[i + 2])) >= 0) {
				out[o++] = (char)(hi << 4 | lo);
				i += 2;
			} else {
				out[o++] = v.ptr[i];
			}
		}
	}
	out[o] = '\0';
	return span_make(out, o);
}

/*
 * mime_param_raw - find parameter param in a structured value (RFC 2045
 * §5.1): a token or quoted string, or RFC 2231 sections joined. Values
 * are read tolerantly: unquoted ones run to ';' or whitespace, so
 * boundary=----=_Part_1 works. Returns false if absent; *out gets bytes,
 * *cs_out (may be NULL) the RFC 2231 charset or an empty span.
 */
static bool
mime_param_raw(struct arena *a, struct span v, const char *param,
    struct span *out, struct span *cs_out)
{
	struct mime_sections sec;
	struct span plain = SPAN_NULL, tok, val, cs = SPAN_NULL;
	const char *s = v.ptr;
	size_t n = v.len, i = 0, j, ts;

	sec.set = sec.enc = 0;
	while (i < n) {
		if (s[i] == '(') {
			i = mime_skip_comment(s, n, i);
			continue;
		}
		if (s[i] == '"') {
			i = mime_quoted(a, s, n, i, NULL);
			continue;
		}
		if (!ascii_is(s[i], ASCII_TOKEN)) {
			i++;
			continue;
		}
		for (ts = i; i < n && ascii_is(s[i], ASCII_TOKEN); i++)
			;
		tok = span_make(s + ts, i - ts);
		for (j = i; j < n && ascii_is_wsp(s[j]); j++)
			;
		if (j >= n || s[j] != '=')
			continue;
		for (j++; j < n && ascii_is_wsp(s[j]); j++)
			;
		if (j < n && s[j] == '"') {
			i = mime_quoted(a, s, n, j, &val);
		} else {
			for (i = j; i < n && s[i] != ';' && !ascii_is_wsp(s[i]);
			     i++)
				;
			val = span_make(s + j, i - j);
		}
		mime_param_note(tok, param, val, &plain, &sec);
	}
	if (sec.set & 1u) {
		*out = mime_sections_join(a, &sec, &cs);
	} else if (plain.ptr != NULL) {
		*out = plain;
	} else {
		return false;
	}
	if (cs_out != NULL)
		*cs_out = cs;
	return true;
}

/* mime_type_parse - "type/subtype" lowercased, or false if malformed */
static bool
mime_type_parse(struct arena *a, struct span ct, struct span *out)
{
	const char *s = ct.ptr;
	size_t n = ct.len, i = 0, t0, t1, s0, s1;
	char *d;

	while (i < n && (ascii_is_wsp(s[i]) || s[i] == '(')) {
		if (s[i] == '(')
			i = mime_skip_comment(s, n, i);
		else
			i++;
	}
	for (t0 = i; i < n && ascii_is(s[i], ASCII_TOKEN); i++)
		;
	t1 = i;
	while (i < n && ascii_is_wsp(s[i]))
		i++;
	if (t1 == t0 || i >= n || s[i] != '/')
		return false;
	for (i++; i < n && ascii_is_wsp(s[i]); i++)
		;
	for (s0 = i; i < n && ascii_is(s[i], ASCII_TOKEN); i++)
		;
	s1 = i;
	if (s1 == s0)
		return false;
	if (s0 == t1 + 1) {
		*out = ascii_lower_span(a, span_make(s + t0, s1 - t0));
		return true;
	}
	d = arena_alloc(a, (t1 - t0) + 1 + (s1 - s0) + 1);
	memcpy(d, s + t0, t1 - t0);
	d[t1 - t0] = '/';
	memcpy(d + (t1 - t0) + 1, s + s0, s1 - s0);
	d[(t1 - t0) + 1 + (s1 - s0)] = '\0';
	*out = ascii_lower_span(a, span_make(d, (t1 - t0) + 1 + (s1 - s0)));
	return true;
}

/* mime_content_type - type, charset and boundary from Content-Type; RFC
 * 2045 §5.2 and RFC 2046 §5.1.5 defaults when absent or malformed */
static void
mime_content_type(struct mime_ctx *c, struct mime_part *p, struct span ct,
    enum mime_where where, struct mime_info *info)
{
	struct span v;

	info->boundary = SPAN_NULL;
	if (ct.ptr == NULL || !mime_type_parse(c->a, ct, &p->type))
		p->type = where == MIME_IN_DIGEST ? SPAN_LIT("message/rfc822") :
		                                    SPAN_LIT("text/plain");
	if (ct.ptr == NULL)
		return;
	/* as declared, but safe to show: a quoted value may hold anything */
	if (mime_param_raw(c->a, ct, "charset", &v, NULL))
		p->charset = mime_convert(c->dec, c->a, SPAN_LIT("utf-8"),
		    ascii_lower_span(c->a, ascii_trim(v, ASCII_FWS)), &c->anom);
	if (ascii_iprefix(p->type, SPAN_LIT("multipart/")) &&
	    mime_param_raw(c->a, ct, "boundary", &v, NULL)) {
		/* RFC 2046 §5.1.1: a boundary does not end in a space */
		while (v.len > 0 && ascii_is_wsp(v.ptr[v.len - 1]))
			v.len--;
		info->boundary = v;
	}
}

static enum mime_cte
mime_cte_parse(struct span v)
{
	size_t i = 0;

	v = ascii_trim(v, ASCII_FWS);
	if (v.len > 0 && v.ptr[0] == '"') {
		v.ptr++;
		v.len--;
	}
	while (i < v.len && ascii_is(v.ptr[i], ASCII_TOKEN))
		i++;
	v.len = i;
	if (ascii_ieq_cstr(v, "base64"))
		return MIME_CTE_BASE64;
	if (ascii_ieq_cstr(v, "quoted-printable"))
		return MIME_CTE_QP;
	return MIME_CTE_IDENTITY;
}

/*
 * mime_part_headers - the header block of p: fields decoded into
 * p->headers, type and charset set, transfer encoding and boundary into
 * *info. Returns as mime_headers.
 */
static int
mime_part_headers(struct mime_ctx *c, struct mime_stream *st, size_t *pos,
    struct mime_part *p, enum mime_where where, struct mime_info *info)
{
	const struct mime_raw_header *raw = c->dec->raw;
	struct span ct = SPAN_NULL, cte = SPAN_NULL, v;
	size_t n, i;
	int hit;

	n = mime_headers(c, st, pos, where, &hit);
	/* first the fields that decide how the rest is decoded */
	for (i = 0; i < n; i++) {
		if (ct.ptr == NULL && raw[i].kind == MIME_F_CONTENT_TYPE)
			ct = mime_raw_value(c, st, &raw[i]);
		else if (cte.ptr == NULL && raw[i].kind == MIME_F_CTE)
			cte = mime_raw_value(c, st, &raw[i]);
	}
	mime_content_type(c, p, ct, where, info);
	info->cte = mime_cte_parse(cte);
	p->nheaders = n;
	p->headers = arena_alloc(c->a, (n > 0 ? n : 1) * sizeof(*p->headers));
	for (i = 0; i < n; i++) {
		v = mime_raw_value(c, st, &raw[i]);
		p->headers[i].name = raw[i].name;
		p->headers[i].value = mime_hdr_decode(c, v, p->charset,
		    raw[i].kind != MIME_F_OTHER);
	}
	return hit;
}

/* ---- the tree -------------------------------------------------------- */

/* mime_part_new - a part, registered in preorder; NULL past the limit */
static struct mime_part *
mime_part_new(struct mime_ctx *c, struct mime_part *parent)
{
	struct mime_part *p, **kids;
	size_t n;

	if (c->nparts >= MIME_MAX_PARTS) {
		c->anom |= MIME_ANOM_PARTS;
		return NULL;
	}
	p = arena_zalloc(c->a, sizeof(*p));
	p->type = SPAN_LIT("text/plain");
	p->charset = SPAN_LIT("");
	p->body = SPAN_LIT("");
	p->parent = parent;
	c->parts[c->nparts++] = p;
	if (parent == NULL)
		return p;
	p->depth = parent->depth + 1;
	n = parent->nchildren;
	/* the capacity is the next power of two: grow when n is one */
	if ((n & (n - 1)) == 0) {
		kids = arena_alloc(c->a, (n == 0 ? 1 : 2 * n) * sizeof(*kids));
		if (n > 0)
			memcpy(kids, parent->children, n * sizeof(*kids));
		parent->children = kids;
	}
	parent->children[parent->nchildren++] = p;
	return p;
}

/* mime_leaf_body - transfer-decode; text to UTF-8 from its charset,
 * message/ leaves (delivery-status, feedback-report) as UTF-8 */
static struct span
mime_leaf_body(struct mime_ctx *c, const struct mime_part *p, enum mime_cte cte,
    struct span raw)
{
	struct span b = mime_transfer_decode(c, cte, raw);

	if (ascii_iprefix(p->type, SPAN_LIT("text/")))
		return mime_convert(c->dec, c->a, p->charset, b, &c->anom);
	if (ascii_iprefix(p->type, SPAN_LIT("message/")))
		return mime_convert(c->dec, c->a, SPAN_LIT("utf-8"), b,
		    &c->anom);
	return b;
}

/* mime_leaf_to - p is a leaf whose content ends at line (found: hit) */
static int
mime_leaf_to(struct mime_ctx *c, const struct mime_stream *st, size_t *pos,
    struct mime_part *p, const struct mime_info *info, size_t line, int hit)
{
	size_t start = *pos;
	struct span raw = span_make(st->s + start,
	    mime_body_end(st, start, line, hit) - start);

	p->body = mime_leaf_body(c, p, info->cte, raw);
	*pos = line;
	return hit;
}

static int
mime_leaf(struct mime_ctx *c, const struct mime_stream *st, size_t *pos,
    struct mime_part *p, const struct mime_info *info)
{
	size_t line;
	int hit = mime_find_delim(st, *pos, &line);

	return mime_leaf_to(c, st, pos, p, info, line, hit);
}

/* RFC 2045 §5.2: what cannot be a multipart is treated as plain text */
static int
mime_not_multipart(struct mime_ctx *c, const struct mime_stream *st,
    size_t *pos, struct mime_part *p, const struct mime_info *info, size_t line,
    int hit)
{
	c->anom |= MIME_ANOM_NO_BOUNDARY;
	p->type = SPAN_LIT("text/plain");
	return mime_leaf_to(c, st, pos, p, info, line, hit);
}

/*
 * mime_multipart - RFC 2046 §5.1: the body parts between delimiter lines;
 * preamble and epilogue are ignored. The transfer encoding is ignored too
 * (§6.4 allows only identity encodings), unless the boundary never shows,
 * and then the content is decoded as text.
 */
static int
mime_multipart(struct mime_ctx *c, struct mime_stream *st, size_t *pos,
    struct mime_part *p, const struct mime_info *info)
{
	struct mime_part *child;
	size_t start = *pos, line, k = st->nbnd;
	enum mime_where where = span_eq_cstr(p->type, "multipart/digest") ?
	    MIME_IN_DIGEST :
	    MIME_IN_MULTIPART;
	bool close;
	int hit;

	if (info->boundary.len == 0) {
		hit = mime_find_delim(st, start, &line);
		return mime_not_multipart(c, st, pos, p, info, line, hit);
	}
	if (p->depth >= MIME_MAX_DEPTH) {
		c->anom |= MIME_ANOM_DEPTH;
		return mime_leaf(c, st, pos, p, info);
	}
	ASSERT(k < sizeof(st->bnd) / sizeof(st->bnd[0]));
	st->bnd[st->nbnd++] = info->boundary;
	hit = mime_find_delim(st, start, &line);
	if (hit != (int)k) {
		st->nbnd--;
		return mime_not_multipart(c, st, pos, p, info, line, hit);
	}
	for (;;) {
		/* line is a delimiter of this multipart, the innermost open */
		if (mime_delim_line(st, line, &close) != (int)k || close)
			break;
		*pos = mime_next_line(st, line);
		child = mime_part_new(c, p);
		if (child == NULL) {
			hit = mime_find_delim(st, *pos, &line);
		} else {
			hit = mime_entity(c, st, pos, child, where);
			line = *pos;
		}
		if (hit != (int)k) {
			c->anom |= MIME_ANOM_UNCLOSED;
			st->nbnd--;
			goto out;
		}
	}
	st->nbnd--;
	hit = mime_find_delim(st, mime_next_line(st, line), &line);
out:
	p->body = span_make(st->s + start,
	    mime_body_end(st, start, line, hit) - start);
	*pos = line;
	return hit;
}

enum mime_embed {
	MIME_EMBED_NONE,
	MIME_EMBED_MESSAGE, /* message/rfc822, message/global (RFC 6532) */
	MIME_EMBED_HEADERS, /* text/rfc822-headers (RFC 6522), global */
};

static enum mime_embed
mime_embed_kind(struct span type)
{
	if (span_eq_cstr(type, "message/rfc822") ||
	    span_eq_cstr(type, "message/global"))
		return MIME_EMBED_MESSAGE;
	/* "text/rfc822-header" is a typo some MTAs made */
	if (span_eq_cstr(type, "text/rfc822-headers") ||
	    span_eq_cstr(type, "text/rfc822-header") ||
	    span_eq_cstr(type, "message/global-headers"))
		return MIME_EMBED_HEADERS;
	return MIME_EMBED_NONE;
}

/*
 * mime_embedded - a message or header block inside a part, parsed into
 * children[0]. Identity-encoded content is parsed in place, inside the
 * open multiparts; encoded content (RFC 2046 §5.2.1 forbids it for
 * message/rfc822, but it is seen) is decoded and parsed on its own.
 */
static int
mime_embedded(struct mime_ctx *c, struct mime_stream *st, size_t *pos,
    struct mime_part *p, const struct mime_info *info, enum mime_embed kind)
{
	struct mime_stream sub;
	struct mime_part *child;
	enum mime_where where =
	    kind == MIME_EMBED_HEADERS ? MIME_IN_HEADERS : MIME_IN_MESSAGE;
	size_t start = *pos, line, spos = 0;
	int hit;

	if (p->depth >= MIME_MAX_DEPTH) {
		c->anom |= MIME_ANOM_DEPTH;
		return mime_leaf(c, st, pos, p, info);
	}
	child = mime_part_new(c, p);
	if (child == NULL)
		return mime_leaf(c, st, pos, p, info);
	child->is_message = kind == MIME_EMBED_MESSAGE;
	child->headers_only = kind == MIME_EMBED_HEADERS;
	if (info->cte == MIME_CTE_IDENTITY) {
		hit = mime_entity(c, st, pos, child, where);
		p->body = span_make(st->s + start,
		    mime_body_end(st, start, *pos, hit) - start);
		return hit;
	}
	hit = mime_find_delim(st, start, &line);
	p->body = mime_transfer_decode(c, info->cte,
	    span_make(st->s + start,
	        mime_body_end(st, start, line, hit) - start));
	*pos = line;
	sub.s = p->body.ptr;
	sub.len = p->body.len;
	sub.nbnd = 0;
	(void)mime_entity(c, &sub, &spos, child, where);
	return hit;
}

/*
 * mime_entity - parse the entity (header block and body) at st->s[*pos]
 * into p. It ends at a delimiter line of an open multipart: returns that
 * multipart's stack index with *pos at the line, or -1 with *pos at the
 * end of the stream.
 */
static int
mime_entity(struct mime_ctx *c, struct mime_stream *st, size_t *pos,
    struct mime_part *p, enum mime_where where)
{
	struct mime_info info;
	enum mime_embed kind;
	size_t start;
	int hit;

	hit = mime_part_headers(c, st, pos, p, where, &info);
	start = *pos;
	if (hit >= 0 || where == MIME_IN_HEADERS) {
		/* RFC 6522 §4 text/rfc822-headers: headers, no body */
		if (hit < 0)
			hit = mime_find_delim(st, start, pos);
		p->body = span_make(st->s + start, 0);
		return hit;
	}
	if (ascii_iprefix(p->type, SPAN_LIT("multipart/")))
		return mime_multipart(c, st, pos, p, &info);
	kind = mime_embed_kind(p->type);
	if (kind != MIME_EMBED_NONE)
		return mime_embedded(c, st, pos, p, &info, kind);
	return mime_leaf(c, st, pos, p, &info);
}

/* mime_fix_cr - old Mac line ends (bare CR) become LF; a bare CR on the
 * first line decides it, and only then is the input copied */
static struct span
mime_fix_cr(struct arena *a, struct span in)
{
	const char *nl, *cr;
	char *out;
	size_t lim;

	if (in.len == 0)
		return in;
	nl = memchr(in.ptr, '\n', in.len);
	lim = nl != NULL ? (size_t)(nl - in.ptr) : in.len;
	cr = memchr(in.ptr, '\r', lim);
	if (cr == NULL || (cr + 1 < in.ptr + in.len && cr[1] == '\n'))
		return in;
	out = arena_alloc(a, in.len + 1);
	for (size_t i = 0; i < in.len; i++)
		out[i] = in.ptr[i] == '\r' &&
		        !(i + 1 < in.len && in.ptr[i + 1] == '\n') ?
		    '\n' :
		    in.ptr[i];
	out[in.len] = '\0';
	return span_make(out, in.len);
}

/* ---- public ----------------------------------------------------------- */

struct mime_decoder *
mime_decoder_new(void)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct mime_decoder *dec = xcalloc(1, sizeof(*dec));

	memset(dec->b64, MIME_B64_BAD, sizeof(dec->b64));
	for (size_t i = 0; i < 64; i++)
		dec->b64[(unsigned char)alphabet[i]] = (unsigned char)i;
	dec->b64[' '] = dec->b64['\t'] = MIME_B64_WSP;
	dec->b64['\r'] = dec->b64['\n'] = MIME_B64_WSP;
	dec->b64['='] = MIME_B64_PAD;
	buf_init(&dec->out, MIME_SCRATCH_MAX);
	buf_init(&dec->hdr, MIME_SCRATCH_MAX);
	buf_init(&dec->run, MIME_SCRATCH_MAX);
	return dec;
}

void
mime_decoder_free(struct mime_decoder *dec)
{
	if (dec == NULL)
		return;
	for (size_t i = 0; i < dec->ncs; i++)
		if (dec->cs[i].cd != (iconv_t)-1)
			(void)iconv_close(dec->cs[i].cd);
	buf_clear(&dec->out);
	buf_clear(&dec->hdr);
	buf_clear(&dec->run);
	free(dec);
}

void
mime_parse(struct mime_decoder *dec, struct arena *a, struct span input,
    struct mime_message *out)
{
	struct mime_ctx c;
	struct mime_stream st;
	struct mime_part *root;
	size_t pos = 0;

	if (input.ptr == NULL)
		input = SPAN_LIT("");
	input = mime_fix_cr(a, input);
	dec->opens = 0;
	c.dec = dec;
	c.a = a;
	c.parts = arena_alloc(a, MIME_MAX_PARTS * sizeof(*c.parts));
	c.nparts = 0;
	c.anom = 0;
	root = mime_part_new(&c, NULL);
	root->is_message = true;
	st.s = input.ptr;
	st.len = input.len;
	st.nbnd = 0;
	(void)mime_entity(&c, &st, &pos, root, MIME_AT_TOP);
	out->root = root;
	out->parts = c.parts;
	out->nparts = c.nparts;
	out->anomalies = c.anom;
	/* a huge message should not pin its scratch memory */
	if (dec->out.cap > MIME_SCRATCH_KEEP)
		buf_clear(&dec->out);
	if (dec->hdr.cap > MIME_SCRATCH_KEEP)
		buf_clear(&dec->hdr);
	if (dec->run.cap > MIME_SCRATCH_KEEP)
		buf_clear(&dec->run);
}

struct span
mime_to_utf8(struct mime_decoder *dec, struct arena *a, struct span charset,
    struct span bytes, unsigned *anom)
{
	dec->opens = 0;
	return mime_convert(dec, a, charset, bytes, anom);
}

struct span
mime_header_get(const struct mime_part *p, const char *name)
{
	if (p == NULL || name == NULL)
		return SPAN_NULL;
	for (size_t i = 0; i < p->nheaders; i++)
		if (ascii_ieq_cstr(p->headers[i].name, name))
			return p->headers[i].value;
	return SPAN_NULL;
}

struct span
mime_param(struct mime_decoder *dec, struct arena *a, struct span value,
    const char *param)
{
	struct span raw, cs;
	unsigned anom = 0;

	dec->opens = 0;
	if (value.ptr == NULL || param == NULL ||
	    !mime_param_raw(a, value, param, &raw, &cs))
		return SPAN_NULL;
	if (cs.len > 0)
		return mime_convert(dec, a, cs, raw, &anom);
	/* not allowed by RFC 2047 §5, written by many mailers anyway */
	if (mime_has_words(raw))
		return mime_words_decode(dec, a, raw, SPAN_NULL, &anom);
	return mime_convert(dec, a, SPAN_LIT("utf-8"), raw, &anom);
}

/* the fields that make a header block a message's (X-* too) */
static bool
mime_known_field(struct span name)
{
	static const char *const known[] = { "from", "to", "subject", "date",
		"received", "return-path", "message-id", "mime-version",
		"content-type", "delivered-to", NULL };

	if (ascii_iprefix(name, SPAN_LIT("x-")))
		return true;
	for (size_t i = 0; known[i] != NULL; i++)
		if (ascii_ieq_cstr(name, known[i]))
			return true;
	return false;
}

bool
mime_looks_like_message(struct span input)
{
	const char *s = input.ptr;
	size_t len = input.len, p, next, end, colon, nlen, fields = 0;
	size_t lines = 0;
	bool known = false;

	if (s == NULL)
		return false;
	p = mime_skip_intro(s, len, 0);
	while (p < len && lines++ < MIME_MAX_HEADERS) {
		next = mime_line(s, len, p, &end);
		if (mime_is_blank(s + p, end - p))
			break;
		if (ascii_is_wsp(s[p])) {
			if (fields == 0)
				return false;
			p = next;
			continue;
		}
		nlen = mime_field_name(s + p, end - p, &colon);
		if (nlen == 0)
			break;
		fields++;
		known = known || mime_known_field(span_make(s + p, nlen));
		if (fields >= 2 && known)
			return true;
		p = next;
	}
	return false;
}
