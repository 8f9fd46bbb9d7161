/* SPDX-License-Identifier: MIT */
/*
 * smtptext.c - reading SMTP wording: codes, stage, recipients
 *
 * Not here: the rules that give the wording its meaning (rules.c), the
 * structure of whole messages (mime.c, dsn.c, message.c).
 */
#include "smtptext.h"

#include <stdint.h>
#include <string.h>

#include "ascii.h"

/* smtptext_status_len - length of an enhanced status code at s[j], or 0 */
static size_t
smtptext_status_len(struct span s, size_t j)
{
	size_t d = j;

	while (d < s.len && (ascii_is_digit(s.ptr[d]) || s.ptr[d] == '.'))
		d++;
	if (d > j + 4 && (d == s.len || s.ptr[d] == ' ' || s.ptr[d] == '-'))
		return d - j;
	return 0;
}

/*
 * smtptext_continuation - length of a multi-line reply's repeated prefix
 * at s[i] ("550-5.1.1 ", "550 5.1.1 ", "550-"), when it repeats the reply
 * code and status of the reply's first line (RFC 5321 §4.2.1); else 0. A
 * different status is new information and stays.
 */
static size_t
smtptext_continuation(struct span s, size_t i, const char *code,
    struct span status)
{
	size_t j = i + 4, n;

	if (code[0] == '\0' || i + 4 > s.len ||
	    memcmp(s.ptr + i, code, 3) != 0 ||
	    (s.ptr[i + 3] != '-' && s.ptr[i + 3] != ' '))
		return 0;
	n = smtptext_status_len(s, j);
	if (n == 0)
		return j - i;
	if (n != status.len || memcmp(s.ptr + j, status.ptr, n) != 0)
		return 0;
	return j + n + (j + n < s.len) - i;
}

/* smtptext_collapse - every run of white space becomes one space; the
 * prefixes that repeat on each line of a multi-line reply go, so that a
 * sentence wrapped over "550-5.7.1" lines reads as one (only the first
 * reply code in the text counts as the reply's) */
struct span
smtptext_collapse(struct arena *a, struct span s, size_t max, bool *cut)
{
	char *out = arena_alloc(a, (s.len < max ? s.len : max) + 1);
	size_t o = 0;
	bool space = true; /* drop leading white space */
	char code[4] = "";
	struct span first_status = SPAN_NULL;

	*cut = false;
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.ptr[i];
		size_t skip;

		if (ascii_is_space(c)) {
			space = true;
			continue;
		}
		/* folded fields (DSN Diagnostic-Code) put the prefixes
		 * mid-line: look at every word start */
		if (space || o == 0) {
			skip = smtptext_continuation(s, i, code, first_status);
			if (skip > 0) {
				i += skip - 1;
				space = true;
				continue;
			}
			if (code[0] == '\0' && i + 4 <= s.len && c >= '2' &&
			    c <= '5' && ascii_is_digit(s.ptr[i + 1]) &&
			    ascii_is_digit(s.ptr[i + 2]) &&
			    (s.ptr[i + 3] == '-' || s.ptr[i + 3] == ' ')) {
				memcpy(code, s.ptr + i, 3);
				first_status = span_make(s.ptr + i + 4,
				    smtptext_status_len(s, i + 4));
			}
		}
		if (o + (space && o > 0) + 1 > max) {
			*cut = true;
			break;
		}
		if (space && o > 0)
			out[o++] = ' ';
		space = false;
		out[o++] = (char)c;
	}
	/* never cut a UTF-8 sequence in half: drop a last one that is
	 * incomplete (text.c made the input valid, so only the cut can) */
	if (*cut) {
		size_t start = o, want;

		while (
		    start > 0 && ((unsigned char)out[start - 1] & 0xc0) == 0x80)
			start--;
		if (start > 0) {
			unsigned char lead = (unsigned char)out[start - 1];

			want = lead >= 0xf0 ? 4 :
			    lead >= 0xe0    ? 3 :
			    lead >= 0xc0    ? 2 :
			                      1;
			if (o - (start - 1) < want)
				o = start - 1;
		}
	}
	out[o] = '\0';
	return span_make(out, o);
}

/* smtptext_word_edge - may a code start or end next to this byte? */
static bool
smtptext_word_edge(const struct span *t, size_t i)
{
	unsigned char c;

	if (i >= t->len)
		return true;
	c = (unsigned char)t->ptr[i];
	return !ascii_is_alnum(c) && c != '.' && c != '_' && c != '@' &&
	    c != '/' && c != '=';
}

const char *
smtptext_reply_code(struct arena *a, struct span t)
{
	const char *fallback = NULL;

	for (size_t i = 0; i + 3 <= t.len; i++) {
		const char *p = t.ptr + i;
		char c4;

		if (p[0] < '2' || p[0] > '5' || p[1] < '0' || p[1] > '5' ||
		    !ascii_is_digit(p[2]))
			continue;
		if (i > 0 && !smtptext_word_edge(&t, i - 1))
			continue;
		c4 = i + 3 < t.len ? p[3] : ' ';
		/* "550 ", "550-" (multi-line), "550:", end of text */
		if (c4 != ' ' && c4 != '-' && c4 != ':' && c4 != ';' &&
		    c4 != ')' && c4 != '"' && c4 != '\n' && c4 != '\t' &&
		    c4 != ',')
			continue;
		if (c4 == '-' && i + 4 < t.len && !ascii_is_digit(p[4]) &&
		    !ascii_is_alpha(p[4]))
			continue;
		if (p[0] == '4' || p[0] == '5')
			return arena_strndup(a, p, 3);
		if (fallback == NULL)
			fallback = arena_strndup(a, p, 3);
	}
	return fallback;
}

/* smtptext_status_at - length of an enhanced status code at i, or 0 */
static size_t
smtptext_status_at(const struct span *t, size_t i)
{
	size_t j = i + 2, digits;

	if (i + 5 > t->len ||
	    (t->ptr[i] != '2' && t->ptr[i] != '4' && t->ptr[i] != '5') ||
	    t->ptr[i + 1] != '.')
		return 0;
	/* "550-5.1.1" is a multi-line reply; "abc-5.1.1" is not a code */
	if (i > 0 &&
	    (!smtptext_word_edge(t, i - 1) ||
	        (t->ptr[i - 1] == '-' &&
	            (i < 2 || !ascii_is_digit(t->ptr[i - 2])))))
		return 0;
	for (int part = 0; part < 2; part++) {
		digits = 0;
		while (j < t->len && ascii_is_digit(t->ptr[j]) && digits < 4) {
			j++;
			digits++;
		}
		if (digits == 0 || digits > 3)
			return 0;
		if (part == 0) {
			if (j >= t->len || t->ptr[j] != '.')
				return 0;
			j++;
		}
	}
	/* "5.1.1." ends a sentence; "5.1.1.4" is an address */
	if (j < t->len && t->ptr[j] == '.' && j + 1 < t->len &&
	    ascii_is_digit(t->ptr[j + 1]))
		return 0;
	if (j < t->len &&
	    (ascii_is_alnum(t->ptr[j]) || t->ptr[j] == '_' || t->ptr[j] == '@'))
		return 0;
	return j - i;
}

const char *
smtptext_status(struct arena *a, struct span t, char cls)
{
	const char *first = NULL;

	for (size_t i = 0; i < t.len; i++) {
		size_t n = smtptext_status_at(&t, i);

		if (n == 0)
			continue;
		if (cls == 0 || t.ptr[i] == cls)
			return arena_strndup(a, t.ptr + i, n);
		if (first == NULL && t.ptr[i] != '2')
			first = arena_strndup(a, t.ptr + i, n);
		i += n - 1;
	}
	return first;
}

/* smtptext_recipient_at - does the wording around t[pos, end) mark the
 * address there as the recipient? */
bool
smtptext_recipient_at(struct span t, size_t pos, size_t end)
{
	static const char *const cues[] = { "rcpt to:<", "rcpt to: <",
		"rcpt to:", "recipient: <", "recipient:<",
		"recipient: ", "recipient <", "recipient address <",
		"recipient address ", "original-recipient: rfc822;",
		"final-recipient: rfc822;", "final-recipient: rfc822; ",
		"delivery to ", "message to ", "your message to ",
		"delivered to ", NULL };
	const char *p = t.ptr;
	size_t ls = pos, le = end;

	/* "<user@example.com>... User unknown" (sendmail) and
	 * "<user@example.com>: host mx.example.com[...] said:" (Postfix) */
	if (pos > 0 && p[pos - 1] == '<' && end + 1 < t.len && p[end] == '>' &&
	    (p[end + 1] == ':' ||
	        (end + 3 < t.len && strncmp(p + end + 1, "...", 3) == 0)))
		return true;
	/* an address alone on its line, as Exim lists failed recipients */
	while (ls > 0 && ascii_is_wsp(p[ls - 1]))
		ls--;
	while (le < t.len && ascii_is_wsp(p[le]))
		le++;
	if ((ls == 0 || p[ls - 1] == '\n') && ls < pos &&
	    (le == t.len || p[le] == '\n'))
		return true;
	for (size_t c = 0; cues[c] != NULL; c++) {
		size_t n = strlen(cues[c]);

		if (pos >= n &&
		    ascii_ieq_cstr(span_make(p + pos - n, n), cues[c]))
			return true;
	}
	return false;
}

/*
 * The wording MTAs use to say which command a reply answered: a lead-in
 * ("in reply to ", "after ", "while ") and what follows it. The text is
 * scanned once for each lead-in; the first place any cue matches wins.
 */
struct smtptext_cue {
	const char *rest;
	enum smtptext_stage stage;
};

static const struct smtptext_cue smtptext_in_reply[] = {
	{ "end of data command", SMTPTEXT_STAGE_DATA },
	{ "data command", SMTPTEXT_STAGE_DATA },
	{ "rcpt to command", SMTPTEXT_STAGE_RCPT },
	{ "mail from command", SMTPTEXT_STAGE_MAIL },
	{ "helo command", SMTPTEXT_STAGE_HELO },
	{ "ehlo command", SMTPTEXT_STAGE_HELO },
	{ NULL, SMTPTEXT_STAGE_UNKNOWN },
};

static const struct smtptext_cue smtptext_after[] = {
	{ "end of data", SMTPTEXT_STAGE_DATA },
	{ "data", SMTPTEXT_STAGE_DATA },
	{ "end of message", SMTPTEXT_STAGE_DATA },
	{ "rcpt to", SMTPTEXT_STAGE_RCPT },
	{ "rcpt", SMTPTEXT_STAGE_RCPT },
	{ "mail from", SMTPTEXT_STAGE_MAIL },
	{ "helo", SMTPTEXT_STAGE_HELO },
	{ "ehlo", SMTPTEXT_STAGE_HELO },
	{ "initial connection", SMTPTEXT_STAGE_CONNECT },
	{ NULL, SMTPTEXT_STAGE_UNKNOWN },
};

/* qmail and its descendants: "did not like our RCPT TO", "most progress
 * was RCPT TO response" */
static const struct smtptext_cue smtptext_command[] = {
	{ "rcpt to", SMTPTEXT_STAGE_RCPT },
	{ "data", SMTPTEXT_STAGE_DATA },
	{ "mail from", SMTPTEXT_STAGE_MAIL },
	{ "helo", SMTPTEXT_STAGE_HELO },
	{ "ehlo", SMTPTEXT_STAGE_HELO },
	{ NULL, SMTPTEXT_STAGE_UNKNOWN },
};

/* qmail: "does not like recipient." */
static const struct smtptext_cue smtptext_likes[] = {
	{ "recipient", SMTPTEXT_STAGE_RCPT },
	{ "sender", SMTPTEXT_STAGE_MAIL },
	{ NULL, SMTPTEXT_STAGE_UNKNOWN },
};

/* Yahoo's markers at the end of a reply: "... [RCPT_TO]" */
static const struct smtptext_cue smtptext_marker[] = {
	{ "rcpt_to]", SMTPTEXT_STAGE_RCPT },
	{ "mail_from]", SMTPTEXT_STAGE_MAIL },
	{ NULL, SMTPTEXT_STAGE_UNKNOWN },
};

static const struct {
	const char *lead;
	const struct smtptext_cue *cues;
} smtptext_leads[] = {
	{ "in reply to ", smtptext_in_reply },
	{ "after ", smtptext_after },
	{ "did not like our ", smtptext_command },
	{ "most progress was ", smtptext_command },
	{ "does not like ", smtptext_likes },
	{ "[", smtptext_marker },
};

static const char *const smtptext_stage_names[] = {
	[SMTPTEXT_STAGE_UNKNOWN] = NULL,
	[SMTPTEXT_STAGE_CONNECT] = "connect",
	[SMTPTEXT_STAGE_HELO] = "helo",
	[SMTPTEXT_STAGE_MAIL] = "mail",
	[SMTPTEXT_STAGE_RCPT] = "rcpt",
	[SMTPTEXT_STAGE_DATA] = "data",
};

const char *
smtptext_stage_str(enum smtptext_stage s)
{
	return smtptext_stage_names[s];
}

/* smtptext_cue_at - the stage a cue list names at p, if any */
static bool
smtptext_cue_at(struct span t, size_t p, const struct smtptext_cue *cues,
    enum smtptext_stage *out)
{
	for (size_t i = 0; cues[i].rest != NULL; i++) {
		size_t n = strlen(cues[i].rest);

		if (p + n <= t.len &&
		    ascii_ieq_cstr(span_make(t.ptr + p, n), cues[i].rest) &&
		    (p + n == t.len || !ascii_is_alnum(t.ptr[p + n]))) {
			*out = cues[i].stage;
			return true;
		}
	}
	return false;
}

/*
 * smtptext_transcript_stage - a session transcript (Sendmail, Bigfoot,
 * Courier) writes each command as ">>> RCPT To:<x>" and each answer as
 * "<<< 550 ...": the failure answered the last command before the first
 * 4xx/5xx answer. With PIPELINING (RFC 2920) the refusal of RCPT TO is
 * read after DATA was sent, so DATA there does not tell the stage.
 */
static enum smtptext_stage
smtptext_transcript_stage(struct span t)
{
	enum smtptext_stage last = SMTPTEXT_STAGE_UNKNOWN, found;

	for (size_t i = 0; i + 4 < t.len; i++) {
		if (t.ptr[i] == '>' && memcmp(t.ptr + i, ">>> ", 4) == 0) {
			if (!smtptext_cue_at(t, i + 4, smtptext_command,
			        &found))
				found = SMTPTEXT_STAGE_UNKNOWN;
			last = found;
			i += 3;
		} else if (t.ptr[i] == '<' &&
		    memcmp(t.ptr + i, "<<< ", 4) == 0 && i + 4 < t.len &&
		    (t.ptr[i + 4] == '4' || t.ptr[i + 4] == '5')) {
			return last == SMTPTEXT_STAGE_DATA ?
			    SMTPTEXT_STAGE_UNKNOWN :
			    last;
		}
	}
	return SMTPTEXT_STAGE_UNKNOWN;
}

enum smtptext_stage
smtptext_stage(struct span t)
{
	const size_t nleads =
	    sizeof(smtptext_leads) / sizeof(smtptext_leads[0]);
	enum smtptext_stage found;

	/* the first letters of the leads, in both cases (filled once; the
	 * service has one thread) */
	static bool first[256], ready;

	if (!ready) {
		for (size_t l = 0; l < nleads; l++) {
			char c0 = smtptext_leads[l].lead[0];

			first[(unsigned char)ascii_tolower(c0)] = true;
			first[(unsigned char)ascii_toupper(c0)] = true;
		}
		ready = true;
	}

	/* one pass: the first cue in the text names the command that failed */
	for (size_t i = 0; i < t.len; i++) {
		char ch;

		if (!first[(unsigned char)t.ptr[i]])
			continue;
		ch = ascii_tolower(t.ptr[i]);
		for (size_t l = 0; l < nleads; l++) {
			const char *lead = smtptext_leads[l].lead;
			size_t n;

			if (lead[0] != ch)
				continue;
			n = strlen(lead);
			if (i + n <= t.len &&
			    ascii_ieq_cstr(span_make(t.ptr + i, n), lead) &&
			    smtptext_cue_at(t, i + n, smtptext_leads[l].cues,
			        &found))
				return found;
		}
	}
	return smtptext_transcript_stage(t);
}
