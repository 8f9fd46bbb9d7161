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

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "smtptext.h"
#include "text.h"

/* bounce_recipient - an address the wording marks as the recipient */
static const char *
bounce_recipient(const struct bounce *b)
{
	/* the addresses came from this part of the text */
	struct span t = span_sub(b->text, 0, BOUNCE_MAX_SCAN);

	for (size_t i = 0; i < b->ent.emails.n; i++) {
		const char *e = b->ent.emails.v[i];
		size_t n = strlen(e);

		for (size_t pos = 0; pos + n <= t.len; pos++) {
			if (tolower((unsigned char)t.ptr[pos]) ==
			        tolower((unsigned char)e[0]) &&
			    strncasecmp(t.ptr + pos, e, n) == 0 &&
			    smtptext_recipient_at(t, pos, pos + n))
				return e;
		}
	}
	return NULL;
}

void
bounce_parse(struct arena *a, struct span input, struct bounce *out)
{
	unsigned anom = 0;
	bool cut = false;
	struct span scan;
	char cls;

	memset(out, 0, sizeof(*out));
	out->bytes = input.len;
	out->text = text_sanitize(a, input, TEXT_NORMALISE, &anom);
	if (anom & TEXT_ANOM_UTF8)
		out->anomalies |= BOUNCE_ANOM_UTF8;
	if (anom & TEXT_ANOM_CONTROL)
		out->anomalies |= BOUNCE_ANOM_CONTROL;
	out->lines = text_count_lines(out->text);
	out->diag = smtptext_collapse(a, out->text, BOUNCE_MAX_DIAG, &cut);
	if (cut)
		out->anomalies |= BOUNCE_ANOM_TRUNCATED;
	out->reply_code = smtptext_reply_code(a, out->diag);
	cls = out->reply_code != NULL && out->reply_code[0] != '2' &&
	        out->reply_code[0] != '3' ?
	    out->reply_code[0] :
	    0;
	out->status = smtptext_status(a, out->diag, cls);
	scan = span_sub(out->text, 0, BOUNCE_MAX_SCAN);
	if (scan.len < out->text.len)
		out->anomalies |= BOUNCE_ANOM_TRUNCATED;
	extract_entities(a, scan, &out->ent);
	if (out->ent.truncated)
		out->anomalies |= BOUNCE_ANOM_ENTITIES;
	out->recipient = bounce_recipient(out);
}
