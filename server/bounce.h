/* SPDX-License-Identifier: MIT */
/*
 * bounce.h - a bounce, taken apart into failed deliveries
 *
 * API: bounce_parse(arena, input, &b) sanitises the input (text.h) and
 * finds each failed delivery it describes: for each, the one-line
 * diagnostic text the rules match against, the SMTP reply code and the
 * enhanced status code that the failure carries, the SMTP stage, and the
 * recipient where the text names it; and, for the whole bounce, the
 * entities (extract.h). A pasted fragment gives one failure. It never
 * fails: what was odd about the input is recorded in b.anomalies.
 * Ownership: everything in struct bounce belongs to the arena.
 */
#ifndef BOUNCE_H
#define BOUNCE_H

#include <stddef.h>

#include "arena.h"
#include "extract.h"
#include "reason.h"
#include "smtptext.h"
#include "span.h"

#define BOUNCE_MAX_DIAG 65536  /* bytes of diagnostic text matched */
#define BOUNCE_MAX_SCAN 262144 /* bytes scanned for entities */

#define BOUNCE_ANOM_UTF8      0x1u  /* invalid UTF-8 was repaired */
#define BOUNCE_ANOM_CONTROL   0x2u  /* control characters became spaces */
#define BOUNCE_ANOM_TRUNCATED 0x4u  /* only the first part was examined */
#define BOUNCE_ANOM_ENTITIES  0x8u  /* more entities than listed */
#define BOUNCE_ANOM_MIME      0x10u /* malformed MIME was worked around */
#define BOUNCE_ANOM_TOO_LONG  0x20u /* a URL or address too long to list */

/* What the input is. */
enum bounce_kind {
	BOUNCE_KIND_TEXT,      /* a pasted fragment */
	BOUNCE_KIND_DSN,       /* an RFC 3464 delivery status notification */
	BOUNCE_KIND_BODY,      /* a bounce email that states errors in prose */
	BOUNCE_KIND_FEEDBACK,  /* an RFC 5965 (ARF) feedback report */
	BOUNCE_KIND_AUTOREPLY, /* an RFC 3834 automatic reply */
	BOUNCE_KIND_MAIL,      /* an ordinary message, no bounce */
};

/* One failed (or, in a DSN, otherwise reported) delivery. */
struct bounce_failure {
	const char *recipient;  /* or NULL */
	struct span diag;       /* white space collapsed, <= BOUNCE_MAX_DIAG */
	const char *reply_code; /* "550", or NULL */
	const char *status;     /* "5.7.1", or NULL */
	const char *action;     /* DSN Action, lowercased, or NULL */
	const char *remote_mta; /* or NULL */
	/* the reporting MTA's own classification of the failure as a reason
	 * (PowerMTA's X-PowerMTA-BounceCategory), or REASON_NONE */
	enum reason mta_reason;
	/* the exit status of a local delivery program ("Diagnostic-Code:
	 * X-Unix; 75", sysexits.h), or 0 */
	int exit_status;
	bool local_program; /* Diagnostic-Code type X-Unix: not an SMTP reply */
	bool general; /* diag is the whole report, no text about this one */
	enum smtptext_stage stage;
};

struct bounce {
	struct span text; /* pasted text: sanitised, LF line ends; a whole
			     message: as received (mime.c decodes its parts) */
	size_t bytes;     /* of the input as received */
	size_t lines;
	enum bounce_kind kind;
	const char *feedback_type;       /* ARF Feedback-Type, or NULL */
	struct bounce_failure *failures; /* at least one */
	size_t nfailures;
	struct extract_entities ent;
	unsigned anomalies;
};

void bounce_parse(struct arena *a, struct span input, struct bounce *out);
/* Fill the reply code, status and stage of f from f->diag where they are
 * not set yet. */
void bounce_failure_codes(struct arena *a, struct bounce_failure *f);
/* Is there nothing to diagnose (empty or white space only)? */
bool bounce_is_empty(const struct bounce *b);
const char *bounce_kind_str(enum bounce_kind k);

#endif
