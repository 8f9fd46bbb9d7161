/* SPDX-License-Identifier: MIT */
/*
 * bounce.c - a pasted bounce text, taken apart
 *
 * A pasted bounce may be one SMTP reply, a paragraph from a bounce email
 * or a whole transcript. The codes that matter are the failure's: a 4xx or
 * 5xx reply and an enhanced status code of the same class (RFC 3463 §2),
 * not the "250 OK" lines around them nor the digits of an IP address.
 * Not here: the rules (rules.c), the entities (extract.c), whole MIME
 * messages.
 */
#include "bounce.h"

#include <stdint.h>
#include <string.h>

#include "ascii.h"
#include "smtptext.h"
#include "text.h"

/* bounce_recipient - an address the wording marks as the recipient; each
 * address's occurrences are found with ascii_ifind, which is linear, and
 * lie at least half the address apart (it holds one '@'), so the search
 * is linear in the text for each of the listed addresses */
static const char *
bounce_recipient(struct span text, const struct strlist *emails)
{
	/* the addresses came from this part of the text */
	struct span t = span_sub(text, 0, BOUNCE_MAX_SCAN);
	char low[EXTRACT_MAX_EMAIL + 1];

	for (size_t i = 0; i < emails->n; i++) {
		const char *e = emails->v[i];
		size_t n = strlen(e), pos = 0, q;

		if (n >= sizeof(low))
			continue;
		ascii_lower(low, e, n + 1);
		while ((q = ascii_ifind(span_sub(t, pos, t.len - pos), low)) !=
		    SIZE_MAX) {
			if (smtptext_recipient_at(t, pos + q, pos + q + n))
				return e;
			pos += q + 1;
		}
	}
	return NULL;
}

static const char *const bounce_kind_names[] = {
	[BOUNCE_KIND_TEXT] = "text",
	[BOUNCE_KIND_DSN] = "dsn",
	[BOUNCE_KIND_BODY] = "bounce",
	[BOUNCE_KIND_FEEDBACK] = "feedback",
	[BOUNCE_KIND_AUTOREPLY] = "autoreply",
	[BOUNCE_KIND_MAIL] = "mail",
};

const char *
bounce_kind_str(enum bounce_kind k)
{
	return bounce_kind_names[k];
}

bool
bounce_is_empty(const struct bounce *b)
{
	return b->kind == BOUNCE_KIND_TEXT && b->failures[0].diag.len == 0;
}

void
bounce_failure_codes(struct arena *a, struct bounce_failure *f)
{
	char cls;

	if (f->reply_code == NULL)
		f->reply_code = smtptext_reply_code(a, f->diag);
	cls = f->reply_code != NULL && f->reply_code[0] != '2' &&
	        f->reply_code[0] != '3' ?
	    f->reply_code[0] :
	    0;
	if (f->status == NULL)
		f->status = smtptext_status(a, f->diag, cls);
	if (f->stage == SMTPTEXT_STAGE_UNKNOWN)
		f->stage = smtptext_stage(f->diag);
}

void
bounce_parse(struct arena *a, struct span input, struct bounce *out)
{
	unsigned anom = 0;
	bool cut = false;
	struct span scan;
	struct bounce_failure *f;

	memset(out, 0, sizeof(*out));
	out->bytes = input.len;
	out->text = text_sanitize(a, input, TEXT_NORMALISE, &anom);
	if (anom & TEXT_ANOM_UTF8)
		out->anomalies |= BOUNCE_ANOM_UTF8;
	if (anom & TEXT_ANOM_CONTROL)
		out->anomalies |= BOUNCE_ANOM_CONTROL;
	out->lines = text_count_lines(out->text);
	out->kind = BOUNCE_KIND_TEXT;
	out->failures = f = arena_zalloc(a, sizeof(*f));
	out->nfailures = 1;
	f->diag = smtptext_collapse(a, out->text, BOUNCE_MAX_DIAG, &cut);
	if (cut)
		out->anomalies |= BOUNCE_ANOM_TRUNCATED;
	bounce_failure_codes(a, f);
	scan = span_sub(out->text, 0, BOUNCE_MAX_SCAN);
	if (scan.len < out->text.len)
		out->anomalies |= BOUNCE_ANOM_TRUNCATED;
	extract_entities(a, scan, &out->ent);
	if (out->ent.truncated)
		out->anomalies |= BOUNCE_ANOM_ENTITIES;
	if (out->ent.too_long)
		out->anomalies |= BOUNCE_ANOM_TOO_LONG;
	f->recipient = bounce_recipient(out->text, &out->ent.emails);
}
