/* SPDX-License-Identifier: MIT */
/*
 * mime.h - whole messages: headers, MIME tree, transfer and charset decoding
 *
 * API: mime_decoder_new() once (it caches charset converters), then for
 * each message mime_parse(dec, arena, input, &msg): RFC 5322 headers
 * (unfolded, RFC 2047 encoded words decoded to UTF-8), the MIME tree
 * (RFC 2045/2046 multipart, RFC 6522 multipart/report, message/rfc822 and
 * message/global parsed as nested messages, text/rfc822-headers parsed as a
 * header block), leaf bodies decoded from base64 / quoted-printable and
 * converted from their charset to UTF-8. Parsing never fails: a malformed
 * message gives a best-effort tree and MIME_ANOM_* bits in msg.anomalies.
 * Hard limits: MIME_MAX_DEPTH nesting, MIME_MAX_PARTS parts,
 * MIME_MAX_HEADERS header fields per part, header lines of at most
 * MIME_MAX_HEADER_LINE bytes; what lies beyond is skipped and flagged.
 * mime_looks_like_message tells a whole message from a pasted fragment.
 * Single-threaded: a decoder must not be shared between threads.
 * Ownership: mime_decoder_new returns owned (mime_decoder_free). Everything
 * in struct mime_message and its parts belongs to the arena; spans point
 * into the arena or into input (which must outlive the message).
 */
#ifndef MIME_H
#define MIME_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "span.h"

#define MIME_MAX_DEPTH       8
#define MIME_MAX_PARTS       128
#define MIME_MAX_HEADERS     512
#define MIME_MAX_HEADER_LINE 65536

#define MIME_ANOM_NO_HEADERS   0x0001u /* a message or part began with text */
#define MIME_ANOM_BAD_HEADER   0x0002u /* a header line without a colon */
#define MIME_ANOM_LONG_HEADER  0x0004u /* a header was cut at the limit */
#define MIME_ANOM_NO_BOUNDARY  0x0008u /* multipart without (used) boundary */
#define MIME_ANOM_UNCLOSED     0x0010u /* multipart without closing delimiter */
#define MIME_ANOM_DEPTH        0x0020u /* nesting deeper than the limit */
#define MIME_ANOM_PARTS        0x0040u /* more parts than the limit */
#define MIME_ANOM_BASE64       0x0080u /* invalid base64 was skipped */
#define MIME_ANOM_QP           0x0100u /* invalid quoted-printable kept as is */
#define MIME_ANOM_CHARSET      0x0200u /* unknown charset or bad bytes repaired */
#define MIME_ANOM_8BIT_HEADER  0x0400u /* raw non-ASCII in headers (repaired) */
#define MIME_ANOM_ENCODED_WORD 0x0800u /* malformed RFC 2047 encoded word */
#define MIME_ANOM_TOO_MANY_HDR 0x1000u /* more header fields than the limit */

struct mime_header {
	struct span name;  /* as written, without the colon */
	struct span value; /* unfolded, trimmed, encoded words decoded, UTF-8 */
};

struct mime_part {
	struct mime_header *headers;
	size_t nheaders;
	struct span type; /* "text/plain", lowercased; default per RFC 2045 §5.2
			     (message/rfc822 inside multipart/digest) */
	struct span charset; /* lowercased, as declared (repaired to UTF-8);
				empty if none */
	/*
	 * The content. Leaf parts: transfer-decoded and, for text/ types,
	 * converted to UTF-8 (always valid UTF-8 for text types). multipart/:
	 * the raw content between the headers and the end of the part.
	 * message/rfc822, message/global, text/rfc822-headers: the raw
	 * (transfer-decoded) content, parsed into children[0].
	 */
	struct span body;
	struct mime_part *parent;
	struct mime_part **children;
	size_t nchildren;
	unsigned depth;    /* 0 for the top-level message */
	bool is_message;   /* a whole message: top level or message/rfc822 */
	bool headers_only; /* text/rfc822-headers: headers, no body */
};

struct mime_message {
	struct mime_part *root;
	struct mime_part **parts; /* every part, in document order (preorder) */
	size_t nparts;
	unsigned anomalies;
};

struct mime_decoder;

struct mime_decoder *mime_decoder_new(void);
void mime_decoder_free(struct mime_decoder *dec);

/*
 * Parse input into *out (always at least the root part). A multipart
 * without a boundary parameter, or whose boundary never appears, becomes a
 * text/plain leaf (MIME_ANOM_NO_BOUNDARY). Borrows input (spans may point
 * into it; a copy is made only for old-Mac CR line ends); everything else
 * belongs to a.
 */
void mime_parse(struct mime_decoder *dec, struct arena *a, struct span input,
    struct mime_message *out);

/* The first header named name (case-insensitive), or an empty span with
 * ptr NULL when absent. */
struct span mime_header_get(const struct mime_part *p, const char *name);
/*
 * The value of parameter param of a structured header value such as
 * Content-Type (RFC 2045 §5.1, quoted strings, RFC 2231 continuations and
 * charset'lang'%XX encoding decoded to UTF-8; RFC 2047 encoded words, not
 * allowed there but common in file names, decoded too). Empty span with
 * ptr NULL if absent. The result is a view into value or arena memory.
 * Header values from mime_parse keep the encoded words of Content-Type,
 * Content-Disposition and Content-Transfer-Encoding for this function.
 */
struct span mime_param(struct mime_decoder *dec, struct arena *a,
    struct span value, const char *param);
/* Does input begin like an RFC 5322 message (a few header fields, e.g.
 * From:/Received:/Return-Path:/Content-Type:, before the first empty line)?
 * Also true for an mbox "From " line followed by headers. */
bool mime_looks_like_message(struct span input);

/*
 * Convert bytes in charset to valid UTF-8 (an empty charset means
 * us-ascii; unknown charsets: treated as ISO-8859-1 if the bytes are not
 * valid UTF-8; invalid bytes become U+FFFD). Sets MIME_ANOM_CHARSET in
 * *anom (may be NULL) when the charset was unknown or something was
 * repaired. Returns bytes itself when they need no change, else a copy in
 * the arena.
 */
struct span mime_to_utf8(struct mime_decoder *dec, struct arena *a,
    struct span charset, struct span bytes, unsigned *anom);

#endif
