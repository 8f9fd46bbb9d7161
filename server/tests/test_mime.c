/* SPDX-License-Identifier: MIT */
/*
 * test_mime.c - unit tests for mime.h: headers, encoded words, parameters,
 * the MIME tree, transfer and charset decoding, limits, and a smoke run
 * over the Sisimai bounce corpus
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "mime.h"
#include "test.h"
#include "text.h"

#define TEST_CORPUS "../shared/corpus/sisimai/emails"
#define FFFD        "\xef\xbf\xbd"

/* cjk serves test_to_utf8, so that its many charsets do not push the
 * corpus's converters out of dec's cache */
static struct mime_decoder *dec, *cjk;
static struct arena *ar;

/* test_cstr - a span as a C string for CHECK_STR; NULL stays NULL */
static const char *
test_cstr(struct span s)
{
	if (s.ptr == NULL)
		return NULL;
	return arena_strndup(ar, s.ptr, s.len);
}

static void
test_escaped(const char *label, const char *s)
{
	(void)printf("# %s \"", label);
	for (; s != NULL && *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == '"' || c == '\\')
			(void)printf("\\x%02x", c);
		else
			(void)putchar(c);
	}
	(void)printf("\"%s\n", s == NULL ? " (null)" : "");
}

/* like CHECK_STR, but values (which hold newlines) are shown escaped and
 * only on failure, so that every result stays one line */
static void
test_text(const char *got, const char *want, const char *what, const char *file,
    int line)
{
	if (!test_check(test_streq(got, want), file, line, "%s", what)) {
		test_escaped("got ", got);
		test_escaped("want", want);
	}
}

#define CHECK_TEXT(got, want, what) \
	test_text((got), (want), (what), __FILE__, __LINE__)

static void
test_parse_n(const char *in, size_t n, struct mime_message *m)
{
	mime_parse(dec, ar, span_make(in, n), m);
}

static void
test_parse(const char *in, struct mime_message *m)
{
	test_parse_n(in, strlen(in), m);
}

static const char *
test_hdr(const struct mime_part *p, const char *name)
{
	return test_cstr(mime_header_get(p, name));
}

static bool
test_utf8_ok(struct span s)
{
	const unsigned char *u = (const unsigned char *)s.ptr;
	size_t i = 0, l;

	while (i < s.len) {
		l = text_utf8_seqlen(u + i, s.len - i);
		if (l == 0)
			return false;
		i += l;
	}
	return true;
}

/* test_subject - the decoded Subject of a one-header message */
static const char *
test_subject(const char *raw, unsigned *anom_out)
{
	char in[1024];
	struct mime_message m;

	(void)snprintf(in, sizeof(in), "Subject: %s\nFrom: a@b\n\nx\n", raw);
	test_parse(in, &m);
	if (anom_out != NULL)
		*anom_out = m.anomalies;
	return test_hdr(m.root, "Subject");
}

static void
test_headers(void)
{
	struct mime_message m;
	unsigned anom;

	test_parse("From: a@b.example\r\nSubject: first\r\n  second\r\n"
	           "\tthird  \r\nX-Empty:\r\nTo : c@d.example\r\n\r\nbody\r\n",
	    &m);
	CHECK(m.nparts == 1 && m.root->nheaders == 4, "four fields, one part");
	CHECK_TEXT(test_hdr(m.root, "subject"), "first  second\tthird",
	    "folded Subject unfolded (RFC 5322 §2.2.3), trimmed");
	CHECK_TEXT(test_hdr(m.root, "X-EMPTY"), "", "empty value");
	CHECK_TEXT(test_hdr(m.root, "To"), "c@d.example",
	    "whitespace before the colon (obsolete syntax)");
	CHECK(mime_header_get(m.root, "Cc").ptr == NULL, "absent: ptr NULL");
	CHECK_TEXT(test_cstr(m.root->body), "body\r\n", "body after CRLF CRLF");
	CHECK(m.root->is_message && m.root->depth == 0, "root is a message");
	CHECK_TEXT(test_cstr(m.root->type), "text/plain", "default type");
	CHECK(m.anomalies == 0, "no anomalies (0x%x)", m.anomalies);

	test_parse("From MAILER-DAEMON Thu Apr 29 23:34:45 2010\n"
	           "From: a@b\nTo: c@d\n\nhello\n",
	    &m);
	CHECK(m.root->nheaders == 2 && m.anomalies == 0,
	    "mbox From line skipped");

	test_parse("From: a@b\nthis line has no colon\nTo: c@d\n\nx\n", &m);
	CHECK(m.root->nheaders == 2 && (m.anomalies & MIME_ANOM_BAD_HEADER),
	    "line without colon skipped and flagged");

	test_parse("Content-Type: multipart/mixed;\nboundary=\"b1\"\n\n--b1\n\n"
	           "one\n--b1--\n",
	    &m);
	CHECK(m.nparts == 2 && (m.anomalies & MIME_ANOM_BAD_HEADER),
	    "a parameter on a fold that lost its whitespace is kept");

	test_parse("Remote host said: 550 5.1.1 user unknown\nbye\n", &m);
	CHECK(m.root->nheaders == 0 && (m.anomalies & MIME_ANOM_NO_HEADERS),
	    "pasted SMTP text: no headers");
	CHECK_TEXT(test_cstr(m.root->body),
	    "Remote host said: 550 5.1.1 user unknown\nbye\n",
	    "pasted text is the body");

	CHECK_TEXT(test_subject("caf\xe9", &anom), "caf\xc3\xa9",
	    "raw ISO-8859-1 header byte converted");
	CHECK(anom & MIME_ANOM_8BIT_HEADER, "and flagged 8BIT_HEADER");
	CHECK_TEXT(test_subject("caf\xc3\xa9", &anom), "caf\xc3\xa9",
	    "raw UTF-8 header kept (RFC 6532)");
	CHECK((anom & MIME_ANOM_8BIT_HEADER) == 0, "and not flagged");
	CHECK_TEXT(test_subject("\x1b$B%F%9%H\x1b(B", &anom),
	    "\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88",
	    "raw ISO-2022-JP header converted");

	test_parse("Content-Type: text/plain; charset=windows-1251\n"
	           "Subject: \xcf\xf0\xe8\xe2\xe5\xf2\n\nx\n",
	    &m);
	CHECK_TEXT(test_hdr(m.root, "Subject"),
	    "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82",
	    "raw 8-bit header in the part's charset");
}

static void
test_encoded_words(void)
{
	unsigned anom;

	CHECK_TEXT(test_subject("=?UTF-8?B?w6nDqQ==?=", NULL),
	    "\xc3\xa9\xc3\xa9", "RFC 2047 B, UTF-8");
	CHECK_TEXT(test_subject("=?utf-8?b?w6nDqQ?=", NULL), "\xc3\xa9\xc3\xa9",
	    "B without padding, lower-case letters");
	CHECK_TEXT(test_subject("=?ISO-8859-1?Q?caf=E9_au_lait?=", NULL),
	    "caf\xc3\xa9 au lait", "RFC 2047 Q, ISO-8859-1, underscore");
	CHECK_TEXT(test_subject("=?iso-8859-1?q?caf=e9?=", NULL), "caf\xc3\xa9",
	    "Q with lower-case hex");
	CHECK_TEXT(test_subject("=?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?=", NULL),
	    "\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88", "B, ISO-2022-JP");
	CHECK_TEXT(test_subject("Re: =?UTF-8?Q?a?= =?UTF-8?Q?b?= end", NULL),
	    "Re: ab end", "adjacent words joined, text around kept");
	CHECK_TEXT(test_subject("=?UTF-8?Q?=C3?=\n =?UTF-8?Q?=A9?=", NULL),
	    "\xc3\xa9", "a character split across folded words");
	CHECK_TEXT(test_subject("=?UTF-8?Q?a?= =?ISO-8859-1?Q?=E9?=", NULL),
	    "a\xc3\xa9", "adjacent words in two charsets");
	CHECK_TEXT(test_subject("=?UTF-8*en?Q?hi?=", NULL), "hi",
	    "RFC 2231 language suffix ignored");
	CHECK_TEXT(test_subject("x=?UTF-8?Q?y?=z", NULL), "xyz",
	    "word inside a token (tolerated)");

	CHECK_TEXT(test_subject("=?UTF-8?X?abc?=", &anom),
	    "=?UTF-8?X?abc?=", "unknown encoding kept literally");
	CHECK(anom & MIME_ANOM_ENCODED_WORD, "and flagged");
	CHECK_TEXT(test_subject("=?UTF-8?Q?abc", &anom), "=?UTF-8?Q?abc",
	    "unterminated word kept literally");
	CHECK(anom & MIME_ANOM_ENCODED_WORD, "and flagged");
	CHECK_TEXT(test_subject("=?UTF-8?B?w6k@?=", &anom), "\xc3\xa9",
	    "bad base64 character skipped");
	CHECK(anom & MIME_ANOM_ENCODED_WORD, "and flagged");
	CHECK_TEXT(test_subject("=?UTF-8?Q?a=ZZ?=", &anom), "a=ZZ",
	    "bad Q escape kept");
	CHECK(anom & MIME_ANOM_ENCODED_WORD, "and flagged");
	CHECK_TEXT(test_subject("2+2 =? 4 ?= maybe", &anom),
	    "2+2 =? 4 ?= maybe", "'=?' that starts no word is text");
	CHECK((anom & MIME_ANOM_ENCODED_WORD) == 0, "and not flagged");
	CHECK_TEXT(test_subject("=?x-unknown?Q?caf=E9?=", &anom), "caf\xc3\xa9",
	    "unknown charset: ISO-8859-1 when not UTF-8");
	CHECK(anom & MIME_ANOM_CHARSET, "and flagged CHARSET");
	CHECK_TEXT(test_subject("=?utf-8?q?=FF?=", &anom), FFFD,
	    "invalid UTF-8 in a word repaired");
	CHECK_TEXT(test_subject("=?=?=?UTF-8?Q?ok?=", NULL), "=?=?ok",
	    "false starts before a word");
}

static void
test_params(void)
{
	struct span ct = SPAN_LIT(
	    "text/plain; charset=\"UTF-8\" (a comment; x=y); format=flowed;"
	    " q=\"a \\\"quoted\\\" \\\\ value\"; b=----=_Part_1;"
	    " empty=\"\"");
	struct span v;

	CHECK_TEXT(test_cstr(mime_param(dec, ar, ct, "charset")), "UTF-8",
	    "quoted value");
	CHECK_TEXT(test_cstr(mime_param(dec, ar, ct, "FORMAT")), "flowed",
	    "token value, name case-insensitive");
	CHECK_TEXT(test_cstr(mime_param(dec, ar, ct, "q")),
	    "a \"quoted\" \\ value", "quoted pairs undone");
	CHECK_TEXT(test_cstr(mime_param(dec, ar, ct, "b")), "----=_Part_1",
	    "unquoted value with '=' (tolerated)");
	v = mime_param(dec, ar, ct, "empty");
	CHECK(v.ptr != NULL && v.len == 0, "empty quoted value is present");
	CHECK(mime_param(dec, ar, ct, "x").ptr == NULL,
	    "parameter inside a comment is not seen");
	CHECK(mime_param(dec, ar, ct, "missing").ptr == NULL, "absent: NULL");
	CHECK(mime_param(dec, ar, ct, "plain").ptr == NULL,
	    "the subtype is no parameter");

	ct = SPAN_LIT("attachment; title*0*=us-ascii'en'This%20is%20;"
	              " title*1=\"a test\"; title*2*=%21");
	CHECK_TEXT(test_cstr(mime_param(dec, ar, ct, "title")),
	    "This is a test!", "RFC 2231 continuations joined");
	ct = SPAN_LIT("attachment; filename=\"fallback\";"
	              " filename*=iso-8859-1'fr'caf%E9.txt");
	CHECK_TEXT(test_cstr(mime_param(dec, ar, ct, "filename")),
	    "caf\xc3\xa9.txt", "RFC 2231 charset'lang'%XX, preferred");
	ct = SPAN_LIT("attachment; name*1=\"b\"; name=\"plain\"");
	CHECK_TEXT(test_cstr(mime_param(dec, ar, ct, "name")), "plain",
	    "continuations without section 0 ignored");
	ct = SPAN_LIT("attachment; filename=\"=?UTF-8?B?w6k=?=.pdf\"");
	CHECK_TEXT(test_cstr(mime_param(dec, ar, ct, "filename")),
	    "\xc3\xa9.pdf", "encoded word in a parameter (common, decoded)");
	ct = SPAN_LIT("multipart/mixed; boundary = \"x y\" ; ; charset");
	CHECK_TEXT(test_cstr(mime_param(dec, ar, ct, "boundary")), "x y",
	    "whitespace around '='");
	CHECK(mime_param(dec, ar, ct, "charset").ptr == NULL,
	    "name without '=' is no parameter");
}

static const char test_dsn[] =
    "Return-Path: <>\n"
    "From: Mail Delivery System <MAILER-DAEMON@mx.example>\n"
    "To: sender@example.org\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status;\n"
    "\tboundary=\"B1\"\n"
    "\n"
    "This is a MIME-encapsulated message.\n"
    "\n"
    "--B1\n"
    "Content-Description: Notification\n"
    "Content-Type: text/plain; charset=us-ascii\n"
    "\n"
    "<user@example.com>: host mx.example.com said: 550 5.1.1 no such user\n"
    "\n"
    "--B1\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Reporting-MTA: dns; mx.example\n"
    "\n"
    "Final-Recipient: rfc822; user@example.com\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "\n"
    "--B1\n"
    "Content-Type: message/rfc822\n"
    "\n"
    "From: sender@example.org\n"
    "To: user@example.com\n"
    "Subject: hello\n"
    "Content-Type: multipart/alternative; boundary=\"B2\"\n"
    "\n"
    "--B2\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "Content-Transfer-Encoding: quoted-printable\n"
    "\n"
    "Gr=C3=BC=C3=9Fe\n"
    "--B2\n"
    "Content-Type: text/html\n"
    "\n"
    "<p>hi</p>\n"
    "--B2--\n"
    "\n"
    "--B1--\n"
    "epilogue\n";

static void
test_tree(void)
{
	struct mime_message m;
	struct mime_part *r, *ds, *msg, *inner;

	test_parse(test_dsn, &m);
	r = m.root;
	CHECK(m.nparts == 7, "DSN: 7 parts (got %zu)", m.nparts);
	CHECK(m.anomalies == 0, "DSN: no anomalies (0x%x)", m.anomalies);
	CHECK_TEXT(test_cstr(r->type), "multipart/report", "root type");
	CHECK(r->nchildren == 3, "three report parts");
	if (m.nparts != 7 || r->nchildren != 3)
		return;
	CHECK(m.parts[0] == r && m.parts[1] == r->children[0] &&
	        m.parts[3] == r->children[2],
	    "parts in preorder");
	CHECK_TEXT(test_cstr(r->children[0]->body),
	    "<user@example.com>: host mx.example.com said: 550 5.1.1 no such "
	    "user\n",
	    "notification body (the CRLF before the delimiter is not in it)");
	ds = r->children[1];
	CHECK_TEXT(test_cstr(ds->type), "message/delivery-status",
	    "delivery-status part");
	CHECK(ds->nchildren == 0 && !ds->is_message,
	    "delivery-status is a leaf");
	CHECK_TEXT(test_cstr(ds->body),
	    "Reporting-MTA: dns; mx.example\n\nFinal-Recipient: rfc822; "
	    "user@example.com\nAction: failed\nStatus: 5.1.1\n",
	    "delivery-status body");
	msg = r->children[2];
	CHECK(msg->nchildren == 1 && msg->children[0]->is_message &&
	        msg->children[0]->depth == 2,
	    "message/rfc822 parsed into children[0]");
	inner = msg->children[0];
	CHECK_TEXT(test_hdr(inner, "Subject"), "hello", "inner Subject");
	CHECK_TEXT(test_cstr(inner->type), "multipart/alternative",
	    "inner type");
	CHECK(inner->nchildren == 2, "inner alternatives");
	if (inner->nchildren == 2) {
		CHECK_TEXT(test_cstr(inner->children[0]->body),
		    "Gr\xc3\xbc\xc3\x9f"
		    "e",
		    "inner QP body decoded");
		CHECK_TEXT(test_cstr(inner->children[1]->body), "<p>hi</p>",
		    "inner html body");
		CHECK(inner->children[1]->parent == inner, "parent link");
	}
	CHECK(msg->body.len > 0 && memcmp(msg->body.ptr, "From:", 5) == 0,
	    "message/rfc822 body is the raw message");
}

static void
test_rfc822_headers(void)
{
	struct mime_message m;
	struct mime_part *h;

	test_parse("Content-Type: multipart/report; boundary=x\n\n"
	           "--x\nContent-Type: text/plain\n\nfailed\n"
	           "--x\nContent-Type: text/rfc822-headers\n\n"
	           "From: a@b.example\nSubject: =?utf-8?q?s=C3=BCbj?=\n"
	           "Content-Type: multipart/mixed; boundary=zz\n\n"
	           "--zz\nnot parsed\n"
	           "--x--\n",
	    &m);
	CHECK(m.nparts == 4, "rfc822-headers: 4 parts (got %zu)", m.nparts);
	if (m.nparts != 4)
		return;
	h = m.parts[3];
	CHECK(h->headers_only && !h->is_message && h->nchildren == 0,
	    "header block child, headers only");
	CHECK_TEXT(test_hdr(h, "subject"),
	    "s\xc3\xbc"
	    "bj",
	    "its headers decoded");
	CHECK(h->body.len == 0, "no body");
	CHECK(m.anomalies == 0, "no anomalies (0x%x)", m.anomalies);

	test_parse("Content-Type: text/rfc822-headers\n"
	           "Content-Transfer-Encoding: base64\n\n"
	           "RnJvbTogYUBiCk1lc3NhZ2UtSUQ6IDx4QHk+Cg==\n",
	    &m);
	CHECK(m.nparts == 2 && m.parts[1]->nheaders == 2,
	    "encoded text/rfc822-headers decoded then parsed");
	if (m.nparts == 2)
		CHECK_TEXT(test_hdr(m.parts[1], "message-id"), "<x@y>",
		    "its Message-ID");

	test_parse("Content-Type: message/rfc822\n"
	           "Content-Transfer-Encoding: base64\n\n"
	           "U3ViamVjdDogaGkKCmJvZHkK\n",
	    &m);
	CHECK(m.nparts == 2 && m.parts[1]->is_message,
	    "base64 message/rfc822 (illegal, seen) parsed");
	if (m.nparts == 2)
		CHECK_TEXT(test_cstr(m.parts[1]->body), "body\n", "its body");

	test_parse("Content-Type: multipart/digest; boundary=d\n\n"
	           "--d\n\nSubject: one\n\nfirst\n--d\n\nSubject: two\n\n"
	           "second\n--d--\n",
	    &m);
	CHECK(m.nparts == 5, "digest: 5 parts (got %zu)", m.nparts);
	if (m.nparts == 5) {
		CHECK_TEXT(test_cstr(m.parts[1]->type), "message/rfc822",
		    "digest default type (RFC 2046 §5.1.5)");
		CHECK_TEXT(test_hdr(m.parts[4], "Subject"), "two",
		    "second digest message");
	}
}

static void
test_transfer(void)
{
	struct mime_message m;

	test_parse("Content-Type: text/plain; charset=utf-8\n"
	           "Content-Transfer-Encoding: BASE64\n\n"
	           "RMOpbGl2cmFuY2Ug\nw6ljaG91w6ll\n",
	    &m);
	CHECK_TEXT(test_cstr(m.root->body),
	    "D\xc3\xa9livrance \xc3\xa9"
	    "chou\xc3\xa9"
	    "e",
	    "base64 over lines");
	CHECK(m.anomalies == 0, "clean base64 (0x%x)", m.anomalies);

	test_parse("Content-Transfer-Encoding: base64\n\n"
	           "aGVs*bG8g\n!!\nd29y bGQ\n",
	    &m);
	CHECK_TEXT(test_cstr(m.root->body), "hello world",
	    "base64: junk skipped, missing padding tolerated");
	CHECK(m.anomalies & MIME_ANOM_BASE64, "and flagged");

	test_parse("Content-Type: text/plain; charset=iso-8859-1\n"
	           "Content-Transfer-Encoding: quoted-printable\n\n"
	           "caf=E9 cr=e8me =\nsoft=20\r\nbad =ZZ end=\n",
	    &m);
	CHECK_TEXT(test_cstr(m.root->body),
	    "caf\xc3\xa9 cr\xc3\xa8me soft \r\nbad =ZZ end",
	    "QP: =XX either case, soft breaks, bad escape kept");
	CHECK(m.anomalies & MIME_ANOM_QP, "and flagged QP");

	test_parse("Content-Type: text/plain; charset=windows-1251\n\n"
	           "\xcf\xf0\xe8\xe2\xe5\xf2",
	    &m);
	CHECK_TEXT(test_cstr(m.root->body),
	    "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82",
	    "windows-1251 body converted");
	test_parse("Content-Type: text/plain; charset=\"KOI8-R\"\n\n"
	           "\xf0\xd2\xc9\xd7\xc5\xd4",
	    &m);
	CHECK_TEXT(test_cstr(m.root->body),
	    "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82",
	    "koi8-r body converted");
	CHECK_TEXT(test_cstr(m.root->charset), "koi8-r", "charset lowercased");
	test_parse("Content-Type: text/plain; charset=iso-2022-jp\n\n"
	           "\x1b$BF|K\\8l$G$9\x1b(B\n",
	    &m);
	CHECK_TEXT(test_cstr(m.root->body),
	    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xa7\xe3\x81\x99\n",
	    "iso-2022-jp body converted");

	test_parse("Content-Type: text/plain; charset=x-martian\n\n"
	           "caf\xc3\xa9",
	    &m);
	CHECK_TEXT(test_cstr(m.root->body), "caf\xc3\xa9",
	    "unknown charset, valid UTF-8 kept");
	CHECK(m.anomalies & MIME_ANOM_CHARSET, "and flagged CHARSET");
	test_parse("Content-Type: text/plain; charset=x-martian\n\ncaf\xe9",
	    &m);
	CHECK_TEXT(test_cstr(m.root->body), "caf\xc3\xa9",
	    "unknown charset, else ISO-8859-1");
	test_parse("Content-Type: text/plain; charset=us-ascii\n\na\xff"
	           "b",
	    &m);
	CHECK_TEXT(test_cstr(m.root->body), "a" FFFD "b",
	    "8-bit junk in us-ascii repaired");
	CHECK(m.anomalies & MIME_ANOM_CHARSET, "and flagged CHARSET");
	test_parse("Content-Type: application/octet-stream\n"
	           "Content-Transfer-Encoding: base64\n\n/wA=\n",
	    &m);
	CHECK(m.root->body.len == 2 &&
	        (unsigned char)m.root->body.ptr[0] == 0xff &&
	        m.root->body.ptr[1] == '\0',
	    "binary leaf: bytes as decoded");
}

/* single-byte charsets only: their gconv modules load no libraries */
static const char *const test_many_cs[] = { "iso-8859-2", "iso-8859-3",
	"iso-8859-4", "iso-8859-5", "iso-8859-6", "iso-8859-7", "iso-8859-9",
	"iso-8859-10", "iso-8859-13", "iso-8859-14", "iso-8859-16",
	"windows-1250", "windows-1253", "windows-1254", "windows-1255",
	"windows-1256", "windows-1257", "windows-1258", "koi8-u", "cp866",
	"cp850", NULL };

static void
test_charset_churn(void)
{
	struct mime_decoder *d = mime_decoder_new();
	struct mime_message m;
	struct buf b;
	unsigned anom;
	struct span r;
	bool ok;

	/* more charsets than the cache holds, twice round */
	for (int k = 0; k < 2; k++) {
		ok = true;
		for (size_t i = 0; test_many_cs[i] != NULL; i++) {
			anom = 0;
			r = mime_to_utf8(d, ar, span_cstr(test_many_cs[i]),
			    SPAN_LIT("A\xe9"), &anom);
			ok = ok && test_utf8_ok(r) && r.len >= 2 &&
			    r.ptr[0] == 'A' && anom == 0;
		}
		CHECK(ok, "cache round %d: many charsets convert", k);
	}

	/* one message naming more charsets than it may open */
	buf_init(&b, 1u << 20);
	(void)buf_printf(&b, "Content-Type: multipart/mixed; boundary=c\n\n");
	for (size_t i = 0; test_many_cs[i] != NULL; i++)
		(void)buf_printf(&b,
		    "--c\nContent-Type: text/plain; charset=%s\n\nA\xe9\n",
		    test_many_cs[i]);
	(void)buf_printf(&b, "--c--\n");
	mime_parse(d, ar, span_make(b.data, b.len), &m);
	ok = true;
	for (size_t i = 1; i < m.nparts; i++)
		ok = ok && test_utf8_ok(m.parts[i]->body);
	CHECK(m.nparts == 22 && ok && (m.anomalies & MIME_ANOM_CHARSET),
	    "charsets past the open budget: unknown, still UTF-8 (0x%x)",
	    m.anomalies);
	buf_clear(&b);
	mime_decoder_free(d);
}

struct test_conv {
	const char *cs, *in, *want;
};

static const struct test_conv test_convs[] = {
	{ "shift_jis", "\x83\x65\x83\x58\x83\x67",
	    "\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88" },
	{ "SJIS", "\x87\x40", "\xe2\x91\xa0" }, /* NEC row 13: ① */
	{ "euc-jp", "\xa5\xc6\xa5\xb9\xa5\xc8",
	    "\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88" },
	{ "gb2312", "\xd6\xd0\xce\xc4", "\xe4\xb8\xad\xe6\x96\x87" },
	{ "GBK", "\xd6\xd0\xce\xc4", "\xe4\xb8\xad\xe6\x96\x87" },
	{ "big5", "\xa4\xa4\xa4\xe5", "\xe4\xb8\xad\xe6\x96\x87" },
	{ "ks_c_5601-1987", "\xc7\xd1\xb1\xb9", "\xed\x95\x9c\xea\xb5\xad" },
	{ "iso-8859-15", "\xa4", "\xe2\x82\xac" },
	{ "ISO_8859-2", "\xb1", "\xc4\x85" },
	{ "cp1252", "\x80", "\xe2\x82\xac" },
	{ "utf8", "ok", "ok" },
	{ "ANSI_X3.4-1968", "ok", "ok" },
	{ "unicode-1-1-utf-7", "+ZeVnLIqe-",
	    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e" },
	{ "iso-2022-jp", "\x1b$B\x2f\x21\x1b(B", FFFD FFFD },
	{ "euc-jp", "a\xa5", "a" FFFD },
};

static void
test_to_utf8(void)
{
	unsigned anom;
	struct span r;

	for (size_t i = 0; i < sizeof(test_convs) / sizeof(test_convs[0]);
	     i++) {
		anom = 0;
		r = mime_to_utf8(cjk, ar, span_cstr(test_convs[i].cs),
		    span_cstr(test_convs[i].in), &anom);
		CHECK_TEXT(test_cstr(r), test_convs[i].want, test_convs[i].cs);
	}
	anom = 0;
	r = mime_to_utf8(cjk, ar, SPAN_LIT("euc-jp"), SPAN_LIT("a\xa5"), &anom);
	CHECK(anom & MIME_ANOM_CHARSET, "truncated sequence flagged");
	anom = 0;
	r = mime_to_utf8(cjk, ar, SPAN_LIT("../../etc/x"), SPAN_LIT("x"),
	    &anom);
	CHECK(anom & MIME_ANOM_CHARSET, "odd charset name: unknown");
	test_charset_churn();
}

static void
test_multipart_faults(void)
{
	struct mime_message m;

	test_parse("Content-Type: multipart/mixed\n\n--x\nhello\n", &m);
	CHECK(m.nparts == 1 && (m.anomalies & MIME_ANOM_NO_BOUNDARY),
	    "multipart without boundary: one part, flagged");
	CHECK_TEXT(test_cstr(m.root->type), "text/plain", "treated as text");
	CHECK_TEXT(test_cstr(m.root->body), "--x\nhello\n", "raw content");

	test_parse("Content-Type: multipart/mixed; boundary=nowhere\n\ntext\n",
	    &m);
	CHECK(m.nparts == 1 && (m.anomalies & MIME_ANOM_NO_BOUNDARY),
	    "boundary never used: text, flagged");

	test_parse("Content-Type: multipart/mixed; boundary=b\n\npre\n--b\n\n"
	           "one\n--b\nContent-Type: text/plain\n\ntwo\nlast",
	    &m);
	CHECK(m.nparts == 3 && (m.anomalies & MIME_ANOM_UNCLOSED),
	    "unclosed multipart flagged");
	if (m.nparts == 3)
		CHECK_TEXT(test_cstr(m.parts[2]->body), "two\nlast",
		    "last part runs to the end");

	/* a nested multipart that reuses its parent's boundary, and one
	 * whose boundary extends the parent's */
	test_parse("Content-Type: multipart/mixed; boundary=b\n\n"
	           "--b\nContent-Type: multipart/alternative; boundary=b\n\n"
	           "--b\n\ninner1\n--b\n\ninner2\n--b--\n"
	           "--b\nContent-Type: multipart/mixed; boundary=bb\n\n"
	           "--bb\n\nx1\n--b\n\nouter3\n--b--\n",
	    &m);
	CHECK(m.nparts == 7, "nested boundaries: 7 parts (got %zu)", m.nparts);
	if (m.nparts == 7) {
		CHECK(m.root->nchildren == 3 && m.parts[1]->nchildren == 2,
		    "the inner multipart owns its (same) boundary");
		CHECK_TEXT(test_cstr(m.parts[3]->body), "inner2",
		    "inner2 body");
		CHECK(m.parts[4]->nchildren == 1 &&
		        (m.anomalies & MIME_ANOM_UNCLOSED),
		    "\"--b\" ends the unclosed \"bb\" multipart");
		CHECK_TEXT(test_cstr(m.parts[6]->body), "outer3",
		    "outer3 belongs to the outer multipart");
	}

	test_parse("Content-Type: multipart/mixed; boundary=\"b\"\n\n"
	           "--bx\n--b \t\r\n\npart\n--b-- \n",
	    &m);
	CHECK(m.nparts == 2 && m.anomalies == 0,
	    "\"--bx\" is no delimiter; trailing whitespace allowed");

	test_parse("Content-Type: multipart/mixed; boundary=b\n\n"
	           "--b\nno header line\nmore\n--b--\n",
	    &m);
	CHECK(m.nparts == 2 && (m.anomalies & MIME_ANOM_NO_HEADERS),
	    "body part without headers");
	if (m.nparts == 2)
		CHECK_TEXT(test_cstr(m.parts[1]->body), "no header line\nmore",
		    "its text is the body");
}

/* test_bomb - n levels of message/rfc822 */
static void
test_limits(void)
{
	struct mime_message m;
	struct buf b;
	unsigned maxd = 0;
	int i;

	buf_init(&b, 8u << 20);
	for (i = 0; i < 50; i++)
		(void)buf_printf(&b,
		    "Subject: level %d\n"
		    "Content-Type: message/rfc822\n\n",
		    i);
	(void)buf_printf(&b, "Subject: bottom\n\nbody\n");
	test_parse_n(b.data, b.len, &m);
	for (size_t k = 0; k < m.nparts; k++)
		if (m.parts[k]->depth > maxd)
			maxd = m.parts[k]->depth;
	CHECK(maxd == MIME_MAX_DEPTH && m.nparts == MIME_MAX_DEPTH + 1,
	    "depth bomb stops at MIME_MAX_DEPTH (depth %u, %zu parts)", maxd,
	    m.nparts);
	CHECK(m.anomalies & MIME_ANOM_DEPTH, "depth bomb flagged");
	CHECK(test_utf8_ok(m.parts[m.nparts - 1]->body),
	    "deepest part is a UTF-8 leaf");

	buf_reset(&b);
	for (i = 0; i < 50; i++)
		(void)buf_printf(&b,
		    "Content-Type: multipart/mixed; boundary=\"l%d\"\n\n--l%d\n",
		    i, i);
	test_parse_n(b.data, b.len, &m);
	CHECK((m.anomalies & MIME_ANOM_DEPTH) && m.nparts == MIME_MAX_DEPTH + 1,
	    "nested multipart bomb stops at the limit (%zu parts)", m.nparts);

	buf_reset(&b);
	(void)buf_printf(&b, "Content-Type: multipart/mixed; boundary=p\n\n");
	for (i = 0; i < 10000; i++)
		(void)buf_printf(&b, "--p\nContent-Type: text/plain\n\n%d\n",
		    i);
	(void)buf_printf(&b, "--p--\nepilogue\n");
	test_parse_n(b.data, b.len, &m);
	CHECK(m.nparts == MIME_MAX_PARTS, "part bomb: %zu parts", m.nparts);
	CHECK((m.anomalies & MIME_ANOM_PARTS) &&
	        !(m.anomalies & MIME_ANOM_UNCLOSED),
	    "part bomb flagged, multipart still closed (0x%x)", m.anomalies);
	CHECK_TEXT(test_cstr(m.parts[MIME_MAX_PARTS - 1]->body), "126",
	    "last kept part");

	buf_reset(&b);
	for (i = 0; i < MIME_MAX_HEADERS + 10; i++)
		(void)buf_printf(&b, "X-H%d: v\n", i);
	(void)buf_printf(&b, "Subject: late\n\nbody\n");
	test_parse_n(b.data, b.len, &m);
	CHECK(m.root->nheaders == MIME_MAX_HEADERS &&
	        (m.anomalies & MIME_ANOM_TOO_MANY_HDR),
	    "header count limit");
	CHECK_TEXT(test_cstr(m.root->body), "body\n", "body after many fields");

	buf_reset(&b);
	(void)buf_printf(&b, "Subject: ");
	for (i = 0; i < MIME_MAX_HEADER_LINE / 8 + 10; i++)
		(void)buf_printf(&b, "abcdefg\n ");
	(void)buf_printf(&b, "end\nFrom: a@b\n\nbody\n");
	test_parse_n(b.data, b.len, &m);
	CHECK(mime_header_get(m.root, "Subject").len <= MIME_MAX_HEADER_LINE &&
	        (m.anomalies & MIME_ANOM_LONG_HEADER),
	    "long folded header cut and flagged");
	CHECK_TEXT(test_hdr(m.root, "From"), "a@b", "next field intact");
	buf_clear(&b);
}

static void
test_odd_bytes(void)
{
	static const char nul[] = "Subject: a\0b\nFrom: x\n\nbo\0dy\n";
	static const char cr[] = "From: a@b\rSubject: old mac\r  folded\r\r"
	                         "body line 1\rbody line 2\r";
	struct mime_message m;

	test_parse_n(nul, sizeof(nul) - 1, &m);
	CHECK(m.root->nheaders == 2 && m.root->body.len == 6 &&
	        memcmp(m.root->body.ptr, "bo\0dy\n", 6) == 0,
	    "NUL bytes kept in headers and body");
	test_parse(cr, &m);
	CHECK(m.root->nheaders == 2, "CR-only line ends: two fields");
	CHECK_TEXT(test_hdr(m.root, "Subject"), "old mac  folded",
	    "CR-only folding");
	CHECK_TEXT(test_cstr(m.root->body), "body line 1\nbody line 2\n",
	    "CR-only body lines");
	test_parse("", &m);
	CHECK(m.nparts == 1 && m.root->body.len == 0 &&
	        (m.anomalies & MIME_ANOM_NO_HEADERS),
	    "empty input");
	mime_parse(dec, ar, SPAN_NULL, &m);
	CHECK(m.nparts == 1, "NULL input");
	test_parse("\xff\xfe\xfd\n\n\x80", &m);
	CHECK(test_utf8_ok(m.root->body), "binary junk: UTF-8 body");
}

struct test_looks {
	const char *in;
	bool want;
};

static const struct test_looks test_looks_cases[] = {
	{ "Subject: x\nFrom: y\n\nbody", true },
	{ "\n\r\nReturn-Path: <>\r\nReceived: from x\r\n\tby y\r\n", true },
	{ "From MAILER-DAEMON Mon Jan 1\nFrom: a\nTo: b\n", true },
	{ "X-Foo: 1\nX-Bar: 2\n", true },
	{ "Final-Recipient: rfc822; a@b\nStatus: 5.1.1\n", false },
	{ "550 5.1.1 user unknown", false },
	{ "Remote host said: 550 5.1.1 <a@b>... User unknown\n", false },
	{ "Subject: only one\n\nbody\nFrom: late\n", false },
	{ "   Subject: indented\nFrom: x\n", false },
	{ "", false },
	{ "Subject: x\nnot a field\nFrom: y\n", false },
};

static void
test_looks_like(void)
{
	for (size_t i = 0;
	     i < sizeof(test_looks_cases) / sizeof(test_looks_cases[0]); i++)
		CHECK(mime_looks_like_message(span_cstr(
		          test_looks_cases[i].in)) == test_looks_cases[i].want,
		    "looks like message: case %zu", i);
	CHECK(!mime_looks_like_message(SPAN_NULL), "NULL input");
}

static char *
test_slurp(const char *path, size_t *len_out)
{
	FILE *fp = fopen(path, "rb");
	struct buf b;
	char chunk[8192];
	size_t n;

	if (fp == NULL)
		return NULL;
	buf_init(&b, 16u << 20);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		(void)buf_append(&b, chunk, n);
	(void)fclose(fp);
	return buf_steal(&b, len_out);
}

/* test_declares_ds - has a line "Content-Type: message/delivery-status" */
static bool
test_declares_ds(const char *s, size_t len)
{
	static const char want[] = "content-type: message/delivery-status";
	size_t n = sizeof(want) - 1, i, k;

	for (i = 0; i + n <= len; i++) {
		if (i > 0 && s[i - 1] != '\n')
			continue;
		for (k = 0; k < n; k++) {
			char c = s[i + k];

			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if (c != want[k])
				break;
		}
		if (k == n)
			return true;
	}
	return false;
}

static void
test_corpus(void)
{
	DIR *d = opendir(TEST_CORPUS);
	struct dirent *e;
	struct mime_message m;
	char path[1024], *data;
	size_t len, files = 0, bad_parse = 0, bad_utf8 = 0, dsn = 0;
	size_t dsn_declared = 0, dsn_missing = 0;

	CHECK(d != NULL, "corpus directory %s", TEST_CORPUS);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		size_t nl = strlen(e->d_name);
		bool has_ds = false;

		if (nl < 5 || strcmp(e->d_name + nl - 4, ".eml") != 0)
			continue;
		(void)snprintf(path, sizeof(path), "%s/%s", TEST_CORPUS,
		    e->d_name);
		data = test_slurp(path, &len);
		if (data == NULL)
			continue;
		files++;
		mime_parse(dec, ar, span_make(data, len), &m);
		if (m.nparts < 1 || m.root == NULL)
			bad_parse++;
		for (size_t k = 0; k < m.nparts; k++) {
			const struct mime_part *p = m.parts[k];

			if (p->nchildren == 0 && p->type.len >= 5 &&
			    memcmp(p->type.ptr, "text/", 5) == 0 &&
			    !test_utf8_ok(p->body)) {
				bad_utf8++;
				printf("# %s part %zu not UTF-8\n", e->d_name,
				    k);
			}
			for (size_t h = 0; h < p->nheaders; h++)
				if (!test_utf8_ok(p->headers[h].value)) {
					bad_utf8++;
					printf("# %s header not UTF-8\n",
					    e->d_name);
				}
			if (span_eq_cstr(p->type, "message/delivery-status"))
				has_ds = true;
		}
		/*
		 * Six rfc3464-* samples hold no MIME delivery-status part at
		 * all (plain-text DSNs, or a multipart/report whose body
		 * never uses its boundary): check the files that declare one.
		 */
		if (strncmp(e->d_name, "rfc3464-", 8) == 0) {
			dsn++;
			if (test_declares_ds(data, len)) {
				dsn_declared++;
				if (!has_ds) {
					dsn_missing++;
					printf(
					    "# %s: no delivery-status part\n",
					    e->d_name);
				}
			}
		}
		free(data);
		arena_free(ar);
		ar = arena_new();
	}
	(void)closedir(d);
	CHECK(files == 589, "corpus: %zu files", files);
	CHECK(bad_parse == 0, "corpus: every file parses to >= 1 part");
	CHECK(bad_utf8 == 0,
	    "corpus: text leaves and headers are UTF-8 (%zu bad)", bad_utf8);
	CHECK(dsn == 20 && dsn_declared == 14 && dsn_missing == 0,
	    "corpus: rfc3464-* with a declared delivery-status part have one "
	    "(%zu of %zu declared, %zu missing)",
	    dsn_declared, dsn, dsn_missing);
}

int
main(void)
{
	dec = mime_decoder_new();
	cjk = mime_decoder_new();
	ar = arena_new();
	test_headers();
	test_encoded_words();
	test_params();
	test_tree();
	test_rfc822_headers();
	test_transfer();
	test_to_utf8();
	test_multipart_faults();
	test_limits();
	test_odd_bytes();
	test_looks_like();
	test_corpus();
	arena_free(ar);
	mime_decoder_free(dec);
	mime_decoder_free(cjk);
	return test_done();
}
