/* SPDX-License-Identifier: MIT */
/*
 * message.c - a whole bounce email, taken apart into failed deliveries
 *
 * Order of evidence: an ARF report is a report; a DSN part (RFC 3464)
 * says per recipient what happened, and its Diagnostic-Code is the remote
 * server's own words; without one, the human-readable part is cut into
 * one block per recipient it names ("<user@example.com>: host ... said:",
 * an Exim list line, "RCPT TO:<...>", ...) and each block is a
 * diagnostic. Headers tell automatic replies (RFC 3834 Auto-Submitted)
 * and ordinary mail from bounces.
 * Not here: MIME decoding (mime.c), DSN fields (dsn.c), SMTP wording
 * (smtptext.c), the rules (rules.c).
 */
#include "message.h"

#include <stdint.h>
#include <string.h>

#include "ascii.h"
#include "dkimsig.h"
#include "dsn.h"
#include "smtptext.h"
#include "text.h"

/* where the returned copy of the original message starts in a prose
 * bounce; nothing after it describes the failure */
static const char *const message_copy_marks[] = {
	"------ this is a copy of the message",
	"--- below this line is a copy of the message",
	"----- original message -----",
	"------- returned message --------",
	"--- the header of the original message is following",
	"----- unsent message follows -----",
	"----- original message follows -----",
	"original message headers:",
	"------=_part", /* nothing useful after a nested MIME boundary */
	"--- original message follows",
	"-- the header and top 20 lines of the message follows --",
	NULL,
};

/* ctx - what one parse carries */
struct message_ctx {
	struct mime_decoder *dec;
	struct arena *a;
	struct mime_message msg;
	struct bounce *b;
	const struct mime_part *dsn;
	const struct mime_part *feedback;
	const struct mime_part *human;
	const struct mime_part *original; /* the returned message */
	struct span prose;                /* human text, cut at the copy */
	struct dsn_report report;         /* fields of the feedback part */
	const char *sender; /* the transcript's "MAIL FROM:<x>", or NULL */
	size_t report_recipients; /* recipient blocks of the DSN */
};

static bool
message_type_is(const struct mime_part *p, const char *type)
{
	return span_eq_cstr(p->type, type);
}

/* message_in_returned - is p inside a returned (attached) message? */
static bool
message_in_returned(const struct mime_part *p)
{
	for (const struct mime_part *q = p->parent; q != NULL; q = q->parent) {
		if (q->is_message && q->parent != NULL)
			return true;
	}
	return false;
}

/* message_find_parts - the report, the human text and the returned copy */
static void
message_find_parts(struct message_ctx *c)
{
	const struct mime_part *html = NULL;

	for (size_t i = 0; i < c->msg.nparts; i++) {
		const struct mime_part *p = c->msg.parts[i];

		if (p->depth > 0 && (p->is_message || p->headers_only) &&
		    c->original == NULL && !message_in_returned(p))
			c->original = p;
		if (message_in_returned(p) || (p->is_message && p->depth > 0))
			continue;
		if (c->dsn == NULL &&
		    (message_type_is(p, "message/delivery-status") ||
		        message_type_is(p, "message/global-delivery-status")))
			c->dsn = p;
		else if (c->feedback == NULL &&
		    message_type_is(p, "message/feedback-report"))
			c->feedback = p;
		else if (c->human == NULL && message_type_is(p, "text/plain") &&
		    p->nchildren == 0)
			c->human = p;
		else if (html == NULL && message_type_is(p, "text/html"))
			html = p;
	}
	if (c->human == NULL)
		c->human = html;
	/* a gateway that forwards a bounce as an attachment: with no report
	 * of its own, the attached bounce's report is the one */
	for (size_t i = 0; c->dsn == NULL && i < c->msg.nparts; i++) {
		const struct mime_part *p = c->msg.parts[i];

		if (!message_type_is(p, "message/delivery-status") ||
		    c->original == NULL || p->depth > c->original->depth + 2)
			continue;
		for (const struct mime_part *q = p->parent; q != NULL;
		     q = q->parent) {
			if (q == c->original) {
				c->dsn = p;
				break;
			}
		}
	}
}

/* message_cut_copy - the prose up to the returned copy of the message;
 * the marks stand at the start of a line */
static struct span
message_cut_copy(struct span t)
{
	size_t i = 0;

	while (i < t.len) {
		const char *nl = memchr(t.ptr + i, '\n', t.len - i);
		size_t end = nl != NULL ? (size_t)(nl - t.ptr) : t.len, p = i;

		while (p < end && ascii_is_wsp(t.ptr[p]))
			p++;
		for (size_t m = 0; p < end && message_copy_marks[m] != NULL;
		     m++) {
			if (ascii_tolower(t.ptr[p]) ==
			        message_copy_marks[m][0] &&
			    ascii_iprefix(span_sub(t, p, t.len),
			        span_cstr(message_copy_marks[m])))
				return span_make(t.ptr, i);
		}
		i = end + 1;
	}
	return t;
}

/* message_strip_html - tags removed, for bounces that only have HTML */
static struct span
message_strip_html(struct arena *a, struct span h)
{
	char *out = arena_alloc(a, h.len + 1);
	size_t o = 0;
	bool tag = false;

	for (size_t i = 0; i < h.len; i++) {
		char ch = h.ptr[i];

		if (ch == '<') {
			tag = true;
			out[o++] = ' ';
		} else if (ch == '>') {
			tag = false;
		} else if (!tag) {
			out[o++] = ch;
		}
	}
	out[o] = '\0';
	return span_make(out, o);
}

static const char *
message_cstr(struct arena *a, struct span s)
{
	if (s.ptr == NULL || s.len == 0)
		return NULL;
	return arena_strndup(a, s.ptr, s.len);
}

/* message_address - an address without angle brackets, lowercased
 * domain, or NULL */
static const char *
message_address(struct arena *a, struct span s)
{
	char *p, *at;

	while (s.len > 0 && (s.ptr[0] == '<' || ascii_is_space(s.ptr[0])))
		s = span_sub(s, 1, s.len - 1);
	while (s.len > 0 &&
	    (s.ptr[s.len - 1] == '>' || ascii_is_space(s.ptr[s.len - 1])))
		s.len--;
	if (s.len == 0 || memchr(s.ptr, '@', s.len) == NULL)
		return NULL;
	/* a field may hold any byte, NUL included: work on the span */
	p = arena_strndup(a, s.ptr, s.len);
	for (size_t i = 0; i < s.len; i++) {
		if ((unsigned char)p[i] < 0x20)
			return NULL; /* no address has control characters */
	}
	at = strrchr(p, '@');
	ascii_lower(at, at, strlen(at));
	return p;
}

/* message_ifind_any - ascii_ifind for a needle in any case */
static size_t
message_ifind_any(struct span hay, const char *needle)
{
	char low[512];
	size_t n = strlen(needle);

	if (n >= sizeof(low))
		return SIZE_MAX;
	ascii_lower(low, needle, n + 1);
	return ascii_ifind(hay, low);
}

/* message_contains_any - does s hold one of the lowercase words? */
static bool
message_contains_any(struct span s, const char *const *words)
{
	for (size_t i = 0; words[i] != NULL && s.ptr != NULL; i++) {
		if (ascii_ifind(s, words[i]) != SIZE_MAX)
			return true;
	}
	return false;
}

/* message_sender_in - the address after the first "MAIL FROM:<" of t,
 * lowercased, or NULL */
static const char *
message_sender_in(struct arena *a, struct span t)
{
	size_t p = ascii_ifind(t, "mail from:"), e;

	if (p == SIZE_MAX)
		return NULL;
	p += 10;
	while (p < t.len && (t.ptr[p] == '<' || t.ptr[p] == ' '))
		p++;
	e = p;
	while (e < t.len && !ascii_is_space(t.ptr[e]) && t.ptr[e] != '>')
		e++;
	return message_address(a, span_make(t.ptr + p, e - p));
}

/* message_code_at - does a reply code ("550 ", "421-") start at t[i]? */
static bool
message_code_at(struct span t, size_t i)
{
	return i + 4 <= t.len && (t.ptr[i] == '4' || t.ptr[i] == '5') &&
	    ascii_is_digit(t.ptr[i + 1]) && ascii_is_digit(t.ptr[i + 2]) &&
	    (t.ptr[i + 3] == ' ' || t.ptr[i + 3] == '-');
}

/* message_transcript_line - is the line at t[i] part of a Sendmail session
 * transcript ("While talking to mx:", ">>> RCPT To:<x>", "<<< 550 ...")? */
static bool
message_transcript_line(struct span t, size_t i)
{
	static const char *const marks[] = { ">>> ", "<<< ",
		"while talking to ", "... while talking to ", NULL };

	for (size_t m = 0; marks[m] != NULL; m++) {
		if (ascii_iprefix(span_sub(t, i, t.len), span_cstr(marks[m])))
			return true;
	}
	/* the status line of a host: "421 mx.example.org (smtp)... Deferred" */
	if (message_code_at(t, i) && i + 4 < t.len && t.ptr[i + 4] != '<') {
		const char *nl = memchr(t.ptr + i, '\n', t.len - i);
		struct span line = span_make(t.ptr + i,
		    nl != NULL ? (size_t)(nl - (t.ptr + i)) : t.len - i);

		return ascii_ifind(line, " (smtp)... ") != SIZE_MAX;
	}
	return false;
}

/*
 * message_transcript_block - Sendmail writes the session with a host
 * ("While talking to mx: >>> MAIL From:<s> <<< 550 Insecure Mail Relay")
 * and then one status line per recipient ("554 <x>... Remote protocol
 * error"). The recipient's block is its status line and the transcript
 * lines just above it; the lines below belong to other recipients.
 */
static struct span
message_transcript_block(struct span t, size_t ls, size_t at, size_t end)
{
	size_t b = ls, e = end;

	for (int lines = 0; b > 0 && lines < 32; lines++) {
		size_t pl = b - 1;

		while (pl > 0 && t.ptr[pl - 1] != '\n')
			pl--;
		while (pl < b && (t.ptr[pl] == ' ' || t.ptr[pl] == '\t'))
			pl++;
		if (!message_transcript_line(t, pl))
			break;
		b = pl;
	}
	while (e < t.len && t.ptr[e] != '\n')
		e++;
	/* without a transcript above it, the status line's own code (the
	 * reporting MTA's) goes: "554 <x>... 550 Host unknown" */
	if (b == ls)
		b = at;
	return span_make(t.ptr + b, e - b);
}

/* message_word_edge - does an address in prose end before this byte? */
static bool
message_word_edge(char c)
{
	return ascii_is_space(c) || c == '<' || c == ':';
}

/*
 * message_block_end - where the block that starts at start ends, given that
 * the next recipient's address starts at next: before the bracket that
 * opens it ("<carol@example.net>: host ..."), and before the reply code on
 * its line when the line starts with one ("550 5.1.1 <erin@example.org>...
 * User unknown"): both belong to the next recipient
 */
static size_t
message_block_end(struct span t, size_t start, size_t next)
{
	size_t end = next, ls;

	while (end > start &&
	    (t.ptr[end - 1] == '<' || t.ptr[end - 1] == ' ' ||
	        t.ptr[end - 1] == '\t'))
		end--;
	ls = end;
	while (ls > start && t.ptr[ls - 1] != '\n')
		ls--;
	if (ls == start || !message_code_at(t, ls))
		return end;
	for (size_t i = ls; i < end; i++) {
		if (!ascii_is_digit(t.ptr[i]) && t.ptr[i] != '.' &&
		    t.ptr[i] != ' ' && t.ptr[i] != '-')
			return end;
	}
	return ls;
}

/* message_block_for - the prose about one recipient: from where the text
 * names it to where it names the next one (sender, or NULL: the envelope
 * sender, which is never a recipient) */
static struct span
message_block_for(struct span prose, const char *rcpt, const char *sender)
{
	size_t n = rcpt != NULL ? strlen(rcpt) : 0, start = SIZE_MAX, end;

	if (n == 0 || (start = message_ifind_any(prose, rcpt)) == SIZE_MAX)
		return SPAN_NULL;
	end = start + n;
	/* the line that names the recipient belongs to it ("Your message
	 * wasn't delivered to x because ..."), unless it is Sendmail's own
	 * status line ("554 <x>... Remote protocol error", "554 <x>... 550
	 * Host unknown"), whose code is not the remote server's */
	{
		size_t ls = start, q = end;

		while (ls > 0 && prose.ptr[ls - 1] != '\n' && end - ls < 512)
			ls--;
		while (q < prose.len && strchr(">.: ", prose.ptr[q]) != NULL)
			q++;
		if (!(message_code_at(prose, ls) &&
		        (prose.ptr[ls + 4] == '<' ||
		            message_code_at(prose, q))))
			start = ls;
		else if (prose.ptr[ls + 4] == '<')
			return message_transcript_block(prose, ls, start, end);
	}
	/* up to the next address that the wording marks as a recipient; ls
	 * follows the start of the word at p, so the window is read once */
	for (size_t p = end, ls = end;
	     p < prose.len && p - start < MESSAGE_MAX_BLOCK; p++) {
		const char *at;
		size_t le, lmax;

		if (message_word_edge(prose.ptr[p])) {
			ls = p + 1;
			continue;
		}
		if (prose.ptr[p] != '@')
			continue;
		/* a word this long is no address: read no further */
		lmax = prose.len - ls > MESSAGE_MAX_BLOCK ?
		    ls + MESSAGE_MAX_BLOCK :
		    prose.len;
		le = p;
		while (le < lmax &&
		    (ascii_is_alnum(prose.ptr[le]) ||
		        strchr("@.-_", prose.ptr[le]) != NULL))
			le++;
		at = prose.ptr + ls;
		if (!ascii_ieq_cstr(span_make(at, le - ls), rcpt)) {
			/* the envelope sender, quoted in a reply, is not
			 * the next recipient */
			if (smtptext_recipient_at(prose, ls, le) &&
			    (sender == NULL ||
			        !ascii_ieq_cstr(span_make(at, le - ls),
			            sender)))
				return span_make(prose.ptr + start,
				    message_block_end(prose, start, ls) -
				        start);
		}
		/* the loop steps over prose[le]: the word ends there */
		p = le;
		if (p < prose.len && message_word_edge(prose.ptr[p]))
			ls = p + 1;
	}
	end = prose.len - start > MESSAGE_MAX_BLOCK ?
	    start + MESSAGE_MAX_BLOCK :
	    prose.len;
	return span_make(prose.ptr + start, end - start);
}

/* message_failure_text - the diagnostic of one failure from a text */
static void
message_failure_text(struct message_ctx *c, struct bounce_failure *f,
    struct span text)
{
	bool cut;

	f->diag = smtptext_collapse(c->a, text, BOUNCE_MAX_DIAG, &cut);
	if (cut)
		c->b->anomalies |= BOUNCE_ANOM_TRUNCATED;
}

static struct bounce_failure *
message_add(struct message_ctx *c)
{
	struct bounce *b = c->b;

	if (b->nfailures == MESSAGE_MAX_FAILURES)
		return NULL;
	if ((b->nfailures & (b->nfailures - 1)) == 0) {
		struct bounce_failure *nf = arena_zalloc(c->a,
		    (b->nfailures == 0 ? 1 : b->nfailures * 2) * sizeof(*nf));

		if (b->nfailures > 0)
			memcpy(nf, b->failures, b->nfailures * sizeof(*nf));
		b->failures = nf;
	}
	memset(&b->failures[b->nfailures], 0, sizeof(*b->failures));
	return &b->failures[b->nfailures++];
}

/* message_clean - sanitised text; what was repaired is reported */
static struct span
message_clean(struct message_ctx *c, struct span v)
{
	unsigned anom = 0;
	struct span t = text_sanitize(c->a, v, TEXT_NORMALISE, &anom);

	if (anom & TEXT_ANOM_CONTROL)
		c->b->anomalies |= BOUNCE_ANOM_CONTROL;
	if (anom & TEXT_ANOM_UTF8)
		c->b->anomalies |= BOUNCE_ANOM_UTF8;
	return t;
}

/* message_field_text - a DSN field as UTF-8: fields should be ASCII
 * (RFC 3464 §2.1.2) but Japanese MTAs write ISO-2022-JP into them, and
 * others raw UTF-8 or Latin-1 */
static struct span
message_field_text(struct message_ctx *c, struct span v)
{
	unsigned anom = 0;

	if (memchr(v.ptr, 0x1b, v.len) != NULL)
		v = mime_to_utf8(c->dec, c->a, SPAN_LIT("iso-2022-jp"), v,
		    &anom);
	else
		v = mime_to_utf8(c->dec, c->a, SPAN_LIT("utf-8"), v, &anom);
	/* control characters become spaces, as in pasted text */
	return message_clean(c, v);
}

/* PowerMTA's bounce categories (X-PowerMTA-BounceCategory), as reasons */
struct message_category {
	const char *name;
	enum reason reason;
};

static const struct message_category message_pmta_categories[] = {
	{ "bad-mailbox", REASON_USERUNKNOWN },
	{ "bad-domain", REASON_HOSTUNKNOWN },
	{ "inactive-mailbox", REASON_SUSPEND },
	{ "quota-issues", REASON_MAILBOXFULL },
	{ "message-expired", REASON_EXPIRED },
	{ "no-answer-from-host", REASON_NETWORKERROR },
	{ "bad-connection", REASON_NETWORKERROR },
	{ "routing-errors", REASON_NETWORKERROR },
	{ "policy-related", REASON_POLICYVIOLATION },
	{ "spam-related", REASON_SPAMDETECTED },
	{ "virus-related", REASON_VIRUSDETECTED },
	{ "content-related", REASON_CONTENTERROR },
	{ "invalid-sender", REASON_REJECTED },
	{ "relaying-issues", REASON_NORELAYING },
	{ "protocol-errors", REASON_SYSTEMERROR },
	{ NULL, REASON_NONE },
};

/* message_mta_reason - the reason the reporting MTA's own category field
 * names, or REASON_NONE ("other" and unknown categories say nothing) */
static enum reason
message_mta_reason(const struct dsn_recipient *d)
{
	struct span v =
	    dsn_field_get(d->fields, d->nfields, "X-PowerMTA-BounceCategory");

	for (size_t i = 0; v.ptr != NULL && message_pmta_categories[i].name;
	     i++) {
		const char *n = message_pmta_categories[i].name;

		if (ascii_ieq_cstr(v, n))
			return message_pmta_categories[i].reason;
	}
	return REASON_NONE;
}

/*
 * message_transcript_reply - Sendmail's Diagnostic-Code holds only the
 * first line of a multi-line reply; its session transcript has all of it
 * ("<<< 550-5.7.1 ..." lines). Returns the whole reply when the transcript
 * has one that starts with code, else SPAN_NULL.
 */
static struct span
message_transcript_reply(struct message_ctx *c, struct span code)
{
	struct span t = c->prose;
	size_t p = 0, q, n = code.len < 40 ? code.len : 40;
	char *out;
	size_t o = 0;

	if (n < 8)
		return SPAN_NULL;
	for (;;) {
		const char *m = p < t.len ?
		    memchr(t.ptr + p, code.ptr[0], t.len - p) :
		    NULL;

		if (m == NULL)
			return SPAN_NULL;
		q = (size_t)(m - t.ptr);
		if (q + n > t.len)
			return SPAN_NULL;
		if (memcmp(m, code.ptr, n) != 0) {
			p = q + 1;
			continue;
		}
		if (q >= 4 && memcmp(t.ptr + q - 4, "<<< ", 4) == 0)
			break;
		p = q + 1;
	}
	out = arena_alloc(c->a, t.len - q + 1);
	/* this line and the following "<<< " lines of the same reply code */
	for (size_t l = q - 4; l + 7 < t.len &&
	     memcmp(t.ptr + l, "<<< ", 4) == 0 &&
	     memcmp(t.ptr + l + 4, code.ptr, 3) == 0;) {
		const char *nl = memchr(t.ptr + l, '\n', t.len - l);
		size_t e = nl != NULL ? (size_t)(nl - t.ptr) : t.len;

		memcpy(out + o, t.ptr + l + 4, e - l - 4);
		o += e - l - 4;
		out[o++] = '\n';
		/* the last line of a reply has a space after the code */
		if (t.ptr[l + 7] == ' ' || nl == NULL)
			break;
		l = e + 1;
	}
	out[o] = '\0';
	return span_make(out, o);
}

/* message_has_words - does s hold a word of letters (not only a number)? */
static bool
message_has_words(struct span s)
{
	size_t run = 0;

	for (size_t i = 0; i < s.len; i++) {
		run = ascii_is_alpha(s.ptr[i]) ? run + 1 : 0;
		if (run == 2)
			return true;
	}
	return false;
}

/* message_pipe_recipient - was the address delivered to a program
 * ("X-Actual-Recipient: rfc822; |/usr/bin/procmail", Sendmail)? */
static bool
message_pipe_recipient(const struct dsn_recipient *d)
{
	struct span v =
	    dsn_field_get(d->fields, d->nfields, "X-Actual-Recipient");

	return v.len > 0 && v.ptr[0] == '|';
}

/* message_exit_status - "Diagnostic-Code: X-Unix; 75": the exit status
 * of the local delivery program, or 0 */
static int
message_exit_status(const struct dsn_recipient *d)
{
	struct span t = d->diagnostic_type, v = d->diagnostic_code;
	int n = 0;

	if (!ascii_ieq_cstr(t, "x-unix") || v.len == 0 || v.len > 3)
		return 0;
	for (size_t i = 0; i < v.len; i++) {
		if (!ascii_is_digit(v.ptr[i]))
			return 0;
		n = n * 10 + (v.ptr[i] - '0');
	}
	return n;
}

/*
 * message_prose_dsn - delivery status fields written into the text itself
 * ("Technical report: Reporting-MTA: ... Final-Recipient: ..."), by MTAs
 * that send no message/delivery-status part or whose MIME structure is
 * broken. True when they name a recipient with an Action or a Status.
 */
static bool
message_prose_dsn(struct message_ctx *c, struct dsn_report *r)
{
	struct span t = c->prose;
	size_t p = 0, at = SIZE_MAX, rep;

	/* the first "Final-Recipient:" at the start of a line */
	while ((rep = ascii_ifind(span_sub(t, p, t.len - p),
	            "final-recipient:")) != SIZE_MAX) {
		rep += p;
		if (rep == 0 || t.ptr[rep - 1] == '\n') {
			at = rep;
			break;
		}
		p = rep + 1;
	}
	if (at == SIZE_MAX)
		return false;
	/* with the per-message fields just above it */
	rep = ascii_ifind(span_sub(t, 0, at), "reporting-mta:");
	if (rep != SIZE_MAX && at - rep < 1024 &&
	    (rep == 0 || t.ptr[rep - 1] == '\n'))
		at = rep;
	dsn_parse(c->a, span_sub(t, at, t.len - at), r);
	for (size_t i = 0; i < r->nrecipients; i++) {
		if (r->recipients[i].action.len > 0 ||
		    r->recipients[i].status.len > 0)
			return true;
	}
	return false;
}

static const char *message_fallback_recipient(struct message_ctx *c);

/* message_mailbox - the first plain mailbox (local@domain, no spaces, not
 * a program or a source route) in s, or NULL */
static const char *
message_mailbox(struct arena *a, struct span s)
{
	size_t i = 0;

	while (i < s.len) {
		size_t b, e;

		while (i < s.len && strchr(" \t<>,;", s.ptr[i]) != NULL)
			i++;
		b = i;
		while (i < s.len && strchr(" \t<>,;", s.ptr[i]) == NULL)
			i++;
		e = i;
		/* "@relay.example:user@example.org" (RFC 5321 §4.1.2) */
		for (size_t k = b; k < e; k++) {
			if (s.ptr[k] == ':' && s.ptr[b] == '@')
				b = k + 1;
		}
		if (e > b && s.ptr[b] != '@' && s.ptr[b] != '|' &&
		    memchr(s.ptr + b, '@', e - b) != NULL &&
		    s.ptr[e - 1] != '@')
			return message_address(a, span_make(s.ptr + b, e - b));
	}
	return NULL;
}

/*
 * message_dsn_recipient - Final-Recipient when it is a mailbox; when it is
 * a program ("|/usr/bin/procmail"), a source route or has no local part,
 * the Original-Recipient, then a mailbox written inside it, then the one
 * address X-Failed-Recipients names
 */
static const char *
message_dsn_recipient(struct message_ctx *c, const struct dsn_recipient *d)
{
	const char *r = NULL;
	struct span fr = d->final_recipient;

	if (fr.len > 0 && fr.ptr[0] != '@' && fr.ptr[0] != '|' &&
	    memchr(fr.ptr, ' ', fr.len) == NULL)
		r = message_address(c->a, fr);
	if (r == NULL || r[0] == '@')
		r = message_mailbox(c->a, d->original_recipient);
	if (r == NULL)
		r = message_mailbox(c->a, fr);
	if (r == NULL) {
		struct span x =
		    mime_header_get(c->msg.root, "X-Failed-Recipients");

		if (x.ptr != NULL && memchr(x.ptr, ',', x.len) == NULL)
			r = message_mailbox(c->a, x);
	}
	/* "Final-Recipient: rfc822; @mx.example.org": the returned
	 * message's addressee */
	if (r == NULL && c->report_recipients == 1)
		r = message_fallback_recipient(c);
	return r;
}

/* message_from_dsn - one failure per recipient block of the DSN part */
static void
message_from_dsn(struct message_ctx *c, const struct dsn_report *r)
{
	c->report_recipients = r->nrecipients;
	for (size_t i = 0; i < r->nrecipients; i++) {
		const struct dsn_recipient *d = &r->recipients[i];
		struct bounce_failure *f = message_add(c);
		struct span block;

		if (f == NULL)
			break;
		f->recipient = message_dsn_recipient(c, d);
		f->action = message_cstr(c->a, d->action);
		f->remote_mta = message_cstr(c->a, d->remote_mta);
		f->mta_reason = message_mta_reason(d);
		f->exit_status = message_exit_status(d);
		f->local_program =
		    ascii_ieq_cstr(d->diagnostic_type, "x-unix") ||
		    message_pipe_recipient(d);
		block = message_block_for(c->prose, f->recipient, c->sender);
		if (d->diagnostic_code.len > 0 &&
		    !message_has_words(d->diagnostic_code) &&
		    (block.len > 0 || c->prose.len > 0)) {
			/* "X-Unix; 255": a local program's exit status; the
			 * prose says what happened */
			message_failure_text(c, f,
			    block.len > 0 ? block : c->prose);
			f->general = block.len == 0;
		} else if (d->diagnostic_code.len > 0) {
			struct span dc =
			    message_field_text(c, d->diagnostic_code);
			struct span full = message_transcript_reply(c, dc);

			message_failure_text(c, f,
			    full.len > dc.len ? full : dc);
		} else if (block.len > 0) {
			message_failure_text(c, f, block);
		} else {
			message_failure_text(c, f, c->prose);
			f->general = true;
		}
		if (d->status.len > 0 && d->status.len < 16 &&
		    ascii_is_digit(d->status.ptr[0]))
			f->status = message_cstr(c->a, d->status);
		/* "5.0.0" says only "permanent": a code in the remote
		 * server's own words says more (RFC 3463 §3.1, X.0.0) */
		if (f->status != NULL && strcmp(f->status + 1, ".0.0") == 0) {
			const char *own =
			    smtptext_status(c->a, f->diag, f->status[0]);

			if (own != NULL)
				f->status = own;
		}
		/* the prose says which command failed ("in reply to end of
		 * DATA command"); the Diagnostic-Code rarely does */
		if (block.len > 0) {
			bool cut;

			f->stage = smtptext_stage(smtptext_collapse(c->a, block,
			    MESSAGE_MAX_BLOCK, &cut));
		}
		bounce_failure_codes(c->a, f);
	}
}

/* message_prose_pass - a failure for each address the prose marks as a
 * recipient, except sender (or NULL) */
static void
message_prose_pass(struct message_ctx *c, const struct strlist *emails,
    struct span failed, const char *sender)
{
	for (size_t i = 0; i < emails->n; i++) {
		const char *e = emails->v[i];
		size_t n = strlen(e);
		bool named = failed.ptr != NULL && failed.len >= n;

		if (sender != NULL && ascii_ieq_cstr(span_cstr(e), sender))
			continue;

		if (named && message_ifind_any(failed, e) != SIZE_MAX)
			goto take;
		for (size_t p = 0, q;
		     (q = message_ifind_any(span_sub(c->prose, p,
		                                c->prose.len - p),
		          e)) != SIZE_MAX;
		     p += q + 1) {
			if (smtptext_recipient_at(c->prose, p + q, p + q + n))
				goto take;
		}
		continue;
take : {
	struct bounce_failure *f = message_add(c);

	if (f == NULL)
		return;
	f->recipient = e;
	message_failure_text(c, f, message_block_for(c->prose, e, sender));
	bounce_failure_codes(c->a, f);
}
	}
}

/* message_from_prose - failures from the recipients the prose names */
static void
message_from_prose(struct message_ctx *c, const struct strlist *emails)
{
	const struct mime_part *root = c->msg.root;
	struct span failed = mime_header_get(root, "X-Failed-Recipients");
	/* the envelope sender is no recipient, unless it is the only
	 * address the report names (mail sent to oneself; X-Failed-Recipients
	 * names the recipient otherwise) */
	for (int pass = 0;
	     pass < (failed.ptr != NULL ? 1 : 2) && c->b->nfailures == 0;
	     pass++) {
		const char *sender = pass == 0 ? c->sender : NULL;

		message_prose_pass(c, emails, failed, sender);
	}
	/* one recipient whose lines carry no code: the error is written
	 * apart from it ("Could not be delivered because of 550 5.1.1 User
	 * unknown. The following recipients were affected: x") */
	if (c->b->nfailures == 1 && c->b->failures[0].reply_code == NULL &&
	    c->b->failures[0].status == NULL &&
	    (smtptext_reply_code(c->a, c->prose) != NULL ||
	        smtptext_status(c->a, c->prose, 0) != NULL)) {
		struct bounce_failure *f = &c->b->failures[0];

		message_failure_text(c, f, c->prose);
		bounce_failure_codes(c->a, f);
	}
}

/* message_is_autoreply - RFC 3834 §5 and the usual headers and subjects */
static bool
message_is_autoreply(const struct mime_part *root)
{
	static const char *const subjects[] = { "auto:", "automatic reply",
		"auto reply", "autoreply", "auto-reply", "auto response",
		"autoresponse", "out of office", "out of the office",
		"vacation", "abwesenheitsnotiz", "réponse automatique",
		"автоответ", "автоматический ответ", NULL };
	struct span as = mime_header_get(root, "Auto-Submitted");
	struct span subj = mime_header_get(root, "Subject");

	if (ascii_iprefix(as, SPAN_LIT("auto-replied")))
		return true;
	if (mime_header_get(root, "X-Autoreply").ptr != NULL ||
	    mime_header_get(root, "X-Autorespond").ptr != NULL)
		return true;
	return message_contains_any(subj, subjects);
}

/* message_is_unsubscribe - a mail client's answer to a List-Unsubscribe
 * mailto: link (RFC 2369): the recipient opts out. Apple Mail marks it with
 * X-Apple-Unsubscribe. */
static bool
message_is_unsubscribe(const struct mime_part *root)
{
	struct span v = mime_header_get(root, "X-Apple-Unsubscribe");

	return ascii_iprefix(v, SPAN_LIT("true"));
}

/* message_is_complaint - a feedback report in another shape than ARF
 * (Hotmail's JMRP, ESP complaint notices) */
static bool
message_is_complaint(const struct mime_part *root, struct span prose)
{
	static const char *const subjects[] = { "complaint about message",
		"abuse report", "feedback loop", "spam complaint",
		"email abuse", NULL };
	/* Amazon SES event notifications are JSON */
	static const char *const json[] = {
		"\"notificationtype\":\"complaint\"",
		"\"eventtype\":\"complaint\"", NULL
	};

	return mime_header_get(root, "X-HmXmrOriginalRecipient").ptr != NULL ||
	    message_contains_any(mime_header_get(root, "Subject"), subjects) ||
	    message_contains_any(span_sub(prose, 0, 4096), json);
}

/* message_from_mailer - does the bounce come from a mail system? */
static bool
message_from_mailer(struct arena *a, const struct mime_part *root,
    struct span prose)
{
	static const char *const words[] = { "mailer-daemon", "postmaster",
		"mail delivery", "undeliver", "returned mail",
		"delivery status", "delivery failure", "failure notice",
		"could not be delivered", "not delivered", "nondeliverable",
		"non-deliverable", "delivery has failed", "rejected", "bounce",
		"unzustellbar", "non remis", "не доставлен", "недоставлен",
		NULL };
	struct span from = mime_header_get(root, "From");
	struct span subj = mime_header_get(root, "Subject");

	if (mime_header_get(root, "X-Failed-Recipients").ptr != NULL)
		return true;
	static const char *const prose_words[] = { "could not be delivered",
		"couldn't be delivered", "undeliverable", "delivery failed",
		"delivery has failed", "was not delivered", "wasn't delivered",
		"unable to deliver", "permanent error", "permanent failure",
		"delivery to the following recipient", "following address",
		"failed recipient", "не может быть доставлено",
		"не удалось доставить", NULL };

	if (message_contains_any(from, words) ||
	    message_contains_any(subj, words) ||
	    message_contains_any(span_sub(prose, 0, 4096), prose_words))
		return true;
	/* a reply code in the prose is a mail system talking */
	return smtptext_reply_code(a, prose) != NULL;
}

/* message_dkim - the returned message's DKIM-Signature: the domain and
 * selector whose key receivers looked up to verify it */
static void
message_dkim(struct message_ctx *c, struct extract_entities *e)
{
	struct span v;
	struct dkimsig sig;

	if (c->original == NULL)
		return;
	v = mime_header_get(c->original, "DKIM-Signature");
	if (v.ptr == NULL || dkimsig_parse(c->a, v, &sig) == -1 ||
	    sig.d == NULL || sig.s == NULL)
		return;
	e->dkim_domain = ascii_lower_dup(c->a, span_cstr(sig.d));
	e->dkim_selector = ascii_lower_dup(c->a, span_cstr(sig.s));
}

/* message_sender_domain - the envelope sender's domain: the DSN's
 * X-Postfix-Sender, the returned message's Return-Path or From, or the
 * bounce's own To: (a bounce goes back to the envelope sender) */
static const char *
message_sender_domain(struct message_ctx *c, const struct dsn_report *r)
{
	struct span cand[4] = { SPAN_NULL, SPAN_NULL, SPAN_NULL, SPAN_NULL };
	size_t n = 0;

	if (r != NULL)
		cand[n++] =
		    dsn_field_get(r->fields, r->nfields, "X-Postfix-Sender");
	if (c->original != NULL) {
		cand[n++] = mime_header_get(c->original, "Return-Path");
		cand[n++] = mime_header_get(c->original, "From");
	}
	cand[n++] = mime_header_get(c->msg.root, "To");
	for (size_t i = 0; i < n; i++) {
		const char *at;
		size_t end;

		if (cand[i].ptr == NULL)
			continue;
		at = memchr(cand[i].ptr, '@', cand[i].len);
		if (at == NULL)
			continue;
		at++;
		end = 0;
		while (at + end < cand[i].ptr + cand[i].len &&
		    (ascii_is_alnum(at[end]) || at[end] == '.' ||
		        at[end] == '-'))
			end++;
		while (end > 0 && at[end - 1] == '.')
			end--;
		if (end > 2 && memchr(at, '.', end) != NULL)
			return ascii_lower_dup(c->a, span_make(at, end));
	}
	return NULL;
}

/* message_host_ip - the address the prose writes next to host
 * ("host mx.example.org[192.0.2.25] said:"), if it is one of the IPs */
static const char *
message_host_ip(struct message_ctx *c, const char *host)
{
	size_t p = message_ifind_any(c->prose, host), b, n = 0;
	char ip[64];

	if (p == SIZE_MAX)
		return NULL;
	b = p + strlen(host);
	while (b < c->prose.len && c->prose.ptr[b] == ' ')
		b++;
	if (b >= c->prose.len ||
	    (c->prose.ptr[b] != '[' && c->prose.ptr[b] != '('))
		return NULL;
	b++;
	while (b + n < c->prose.len && n + 1 < sizeof(ip) &&
	    strchr("0123456789abcdefABCDEF:.", c->prose.ptr[b + n]) != NULL) {
		ip[n] = c->prose.ptr[b + n];
		n++;
	}
	ip[n] = '\0';
	for (size_t i = 0; i < c->b->ent.ips.n; i++) {
		if (ascii_ieq_cstr(span_cstr(c->b->ent.ips.v[i]), ip))
			return c->b->ent.ips.v[i];
	}
	return NULL;
}

/*
 * message_remote_host - the server that refused: the DSN's Remote-MTA says
 * so outright; otherwise the first server the prose names that is not the
 * one writing the report (Reporting-MTA, "the mail system at host X")
 */
static void
message_remote_host(struct message_ctx *c, const struct dsn_report *r)
{
	struct extract_entities *e = &c->b->ent;
	struct span rep = r != NULL ? r->reporting_mta : SPAN_NULL;
	size_t at = ascii_ifind(c->prose, "mail system at host ");
	char *reporting = NULL;

	for (size_t i = 0; i < c->b->nfailures; i++) {
		const char *m = c->b->failures[i].remote_mta;

		if (m != NULL && strchr(m, '.') != NULL) {
			if (e->remote_host == NULL ||
			    !ascii_ieq_cstr(span_cstr(e->remote_host), m))
				e->remote_ip = message_host_ip(c, m);
			e->remote_host = m;
			return;
		}
	}
	if (rep.len > 0)
		reporting = arena_strndup(c->a, rep.ptr, rep.len);
	else if (at != SIZE_MAX) {
		struct span h = span_sub(c->prose, at + 20, 255);
		size_t n = 0;

		while (n < h.len &&
		    (ascii_is_alnum(h.ptr[n]) || h.ptr[n] == '.' ||
		        h.ptr[n] == '-'))
			n++;
		while (n > 0 && h.ptr[n - 1] == '.')
			n--;
		reporting = arena_strndup(c->a, h.ptr, n);
	}
	if (reporting == NULL || e->remote_host == NULL ||
	    !ascii_ieq_cstr(span_cstr(e->remote_host), reporting))
		return;
	e->remote_host = NULL;
	e->remote_ip = NULL;
	for (size_t i = 0; i < e->hosts.n; i++) {
		if (!ascii_ieq_cstr(span_cstr(e->hosts.v[i]), reporting)) {
			e->remote_host = e->hosts.v[i];
			break;
		}
	}
}

/* message_entities - from the prose and the DSN text */
static void
message_entities(struct message_ctx *c, const struct dsn_report *r)
{
	struct bounce *b = c->b;
	struct span scan = span_sub(c->prose, 0, BOUNCE_MAX_SCAN);
	size_t dlen = c->dsn != NULL ? c->dsn->body.len : 0;
	char *both;

	/* one text, so that roles are read from all the wording; the prose
	 * is clean already, the DSN part is raw bytes */
	struct span d = SPAN_NULL;

	if (dlen > BOUNCE_MAX_SCAN - scan.len)
		dlen = BOUNCE_MAX_SCAN - scan.len;
	if (dlen > 0)
		d = text_sanitize(c->a, span_make(c->dsn->body.ptr, dlen),
		    TEXT_NORMALISE, NULL);
	both = arena_alloc(c->a, scan.len + d.len + 2);
	memcpy(both, scan.ptr, scan.len);
	both[scan.len] = '\n';
	if (d.len > 0)
		memcpy(both + scan.len + 1, d.ptr, d.len);
	both[scan.len + 1 + d.len] = '\0';
	extract_entities(c->a, span_make(both, scan.len + 1 + d.len), &b->ent);
	if (b->ent.truncated)
		b->anomalies |= BOUNCE_ANOM_ENTITIES;
	if (b->ent.too_long)
		b->anomalies |= BOUNCE_ANOM_TOO_LONG;
	{
		const char *sd = message_sender_domain(c, r);

		if (sd != NULL)
			b->ent.sender_domain = sd;
	}
	message_dkim(c, &b->ent);
	message_remote_host(c, r);
}

/* message_is_mailer_address - postmaster@, mailer-daemon@ and the like:
 * the bounce's own addresses, never the failed recipient */
static bool
message_is_mailer_address(const char *e)
{
	static const char *const locals[] = { "mailer-daemon@", "postmaster@",
		"no-reply@", "noreply@", "bounce", "daemon@", NULL };

	for (size_t i = 0; locals[i] != NULL; i++) {
		if (ascii_iprefix(span_cstr(e), span_cstr(locals[i])))
			return true;
	}
	return false;
}

/* message_header_address - the first address in a header of p */
static const char *
message_header_address(struct message_ctx *c, const struct mime_part *p,
    const char *name)
{
	struct span v;
	const char *at, *b, *e;

	if (p == NULL)
		return NULL;
	v = mime_header_get(p, name);
	if (v.ptr == NULL || (at = memchr(v.ptr, '@', v.len)) == NULL)
		return NULL;
	b = at;
	while (b > v.ptr && strchr(" <,:;\"\t(", b[-1]) == NULL)
		b--;
	e = at;
	while (e < v.ptr + v.len && strchr(" >,;\"\t)", *e) == NULL)
		e++;
	return message_address(c->a, span_make(b, (size_t)(e - b)));
}

/*
 * message_fallback_recipient - who the report is about when no recipient
 * block named one: X-Failed-Recipients; for a feedback report its
 * Original-Rcpt-To and the reported message's To; for an automatic reply
 * its sender; for a bounce the returned message's To, else the one
 * address in the prose that is neither the bounce's addressee (the
 * original sender) nor a mail system's own
 */
static const char *
message_fallback_recipient(struct message_ctx *c)
{
	const struct mime_part *root = c->msg.root;
	const char *r, *sender;
	struct strlist *emails = &c->b->ent.emails;

	r = message_address(c->a, mime_header_get(root, "X-Failed-Recipients"));
	if (r != NULL)
		return r;
	switch (c->b->kind) {
	case BOUNCE_KIND_FEEDBACK:
		if (c->feedback != NULL) {
			const struct dsn_report *fr = &c->report;

			r = message_address(c->a,
			    dsn_field_get(fr->fields, fr->nfields,
			        "Original-Rcpt-To"));
			if (r == NULL)
				r = message_address(c->a,
				    dsn_field_get(fr->fields, fr->nfields,
				        "Removal-Recipient"));
		}
		if (r != NULL)
			return r;
		break; /* the reported message's To, or the one address */
	case BOUNCE_KIND_AUTOREPLY:
		return message_header_address(c, root, "From");
	case BOUNCE_KIND_BODY:
	case BOUNCE_KIND_DSN:
		break;
	default:
		return NULL;
	}
	r = message_header_address(c, c->original, "To");
	if (r != NULL)
		return r;
	sender = message_header_address(c, root, "To");
	for (size_t i = 0; i < emails->n; i++) {
		const char *e = emails->v[i];

		if ((sender == NULL || !ascii_ieq_cstr(span_cstr(e), sender)) &&
		    !message_is_mailer_address(e))
			return e;
	}
	return NULL;
}

/* message_from_feedback - one result per Original-Rcpt-To of a feedback
 * report (RFC 5965 §3.2: it may repeat, once per recipient) */
static void
message_from_feedback(struct message_ctx *c)
{
	const struct dsn_report *fr = &c->report;

	for (size_t i = 0; i < fr->nfields; i++) {
		const struct dsn_field *fl = &fr->fields[i];
		const char *r;
		struct bounce_failure *f;

		if (!ascii_ieq_cstr(fl->name, "Original-Rcpt-To") ||
		    (r = message_mailbox(c->a, fl->value)) == NULL)
			continue;
		for (size_t k = 0; k < c->b->nfailures; k++) {
			if (ascii_ieq_cstr(span_cstr(
			                       c->b->failures[k].recipient),
			        r))
				goto next;
		}
		if ((f = message_add(c)) == NULL)
			return;
		message_failure_text(c, f, c->prose);
		f->general = true;
		bounce_failure_codes(c->a, f);
		f->recipient = r;
next:;
	}
}

/* message_human - the human-readable text, cut at the returned copy */
static struct span
message_human(struct message_ctx *c)
{
	struct span t;

	if (c->human == NULL)
		return c->msg.root->nchildren == 0 ? c->msg.root->body :
		                                     SPAN_NULL;
	t = c->human->body;
	if (message_type_is(c->human, "text/html"))
		t = message_strip_html(c->a, t);
	return t;
}

void
message_parse(struct mime_decoder *dec, struct arena *a, struct span input,
    struct bounce *out)
{
	struct message_ctx c;
	struct dsn_report r;
	bool have_dsn = false;
	struct bounce_failure *f;

	memset(&c, 0, sizeof(c));
	c.dec = dec;
	c.a = a;
	c.b = out;
	memset(out, 0, sizeof(*out));
	out->bytes = input.len;
	mime_parse(dec, a, input, &c.msg);
	out->text = input;
	out->lines = text_count_lines(input);
	if (c.msg.anomalies != 0)
		out->anomalies |= BOUNCE_ANOM_MIME;
	message_find_parts(&c);
	c.prose = message_cut_copy(message_clean(&c, message_human(&c)));
	c.sender = message_sender_in(a, c.prose);
	/* else the returned message's envelope sender, else the bounce's
	 * addressee: a bounce goes back to the envelope sender */
	if (c.sender == NULL && c.original != NULL)
		c.sender = message_address(a,
		    mime_header_get(c.original, "Return-Path"));
	if (c.sender == NULL)
		c.sender = message_header_address(&c, c.msg.root, "To");
	if (c.dsn != NULL) {
		dsn_parse(a, c.dsn->body, &r);
		have_dsn = r.nrecipients > 0;
	} else {
		have_dsn = message_prose_dsn(&c, &r);
	}
	if (c.feedback == NULL && !have_dsn &&
	    message_is_unsubscribe(c.msg.root)) {
		out->kind = BOUNCE_KIND_FEEDBACK;
		out->feedback_type = "opt-out";
	} else if (c.feedback == NULL && !have_dsn &&
	    message_is_complaint(c.msg.root, c.prose)) {
		out->kind = BOUNCE_KIND_FEEDBACK;
	} else if (c.feedback != NULL) {
		/* RFC 5965 §3.1: the report's fields are header-shaped */
		dsn_parse(a, c.feedback->body, &c.report);
		out->kind = BOUNCE_KIND_FEEDBACK;
		out->feedback_type = message_cstr(a,
		    dsn_field_get(c.report.fields, c.report.nfields,
		        "Feedback-Type"));
	} else if (have_dsn) {
		out->kind = BOUNCE_KIND_DSN;
		message_from_dsn(&c, &r);
	} else if (message_from_mailer(a, c.msg.root, c.prose)) {
		/* before the auto-reply test: bounces carry Auto-Submitted
		 * too (RFC 3834 §5 asks mail systems to set it) */
		out->kind = BOUNCE_KIND_BODY;
	} else if (message_is_autoreply(c.msg.root)) {
		out->kind = BOUNCE_KIND_AUTOREPLY;
	} else {
		out->kind = BOUNCE_KIND_MAIL;
	}
	message_entities(&c, have_dsn ? &r : NULL);
	if (out->kind == BOUNCE_KIND_BODY)
		message_from_prose(&c, &out->ent.emails);
	if (out->kind == BOUNCE_KIND_FEEDBACK && c.feedback != NULL)
		message_from_feedback(&c);
	if (out->nfailures == 0) {
		/* one failure from the whole prose (or nothing for mail) */
		f = message_add(&c);
		message_failure_text(&c, f, c.prose);
		f->general = true;
		bounce_failure_codes(a, f);
		f->recipient = message_fallback_recipient(&c);
	}
}
