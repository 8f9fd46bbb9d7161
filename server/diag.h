/* SPDX-License-Identifier: MIT */
/*
 * diag.h - one diagnosis: a bounce in, results out
 *
 * API: diag_new(env, input, lang, repaired) parses the bounce (a whole
 * message with message.h, a pasted fragment with bounce.h), classifies
 * it (rules.h) and decides, per failed delivery, the reason, whether it is
 * permanent, who must fix it and the texts in the requested language, with
 * placeholders filled from the entities found, and what was odd about the
 * input (bounce.anomalies, with what was repaired before the text got
 * here). diag_free releases it all.
 * A diagnosis is complete when diag_new returns and is not changed after:
 * the live checks it calls for (diagrun.h, checks.h) read it and keep
 * their results beside it.
 * Ownership: diag_new returns owned (diag_free); everything reachable from
 * struct diag lives in its arena. env is borrowed and must outlive it.
 */
#ifndef DIAG_H
#define DIAG_H

#include <stdbool.h>
#include <stddef.h>

#include "bounce.h"
#include "dsn.h"
#include "lang.h"
#include "rules.h"
#include "smtptext.h"

struct mime_decoder;
struct texts_msg;

struct diag_env {
	const struct ruleset *rules;
	struct mime_decoder
	    *mime; /* NULL: every input is read as pasted text */
};

/* What decided `permanent`: docs/RULES.md step 7. */
enum diag_perm_source {
	DIAG_PERM_NONE, /* no failure, so no permanence */
	DIAG_PERM_STATUS,
	DIAG_PERM_REPLY,
	DIAG_PERM_RULE,
	DIAG_PERM_REASON,
};

struct diag_result {
	const char *recipient; /* or NULL */
	const struct rules_reason *reason;
	/* false: a delivery, an automatic reply, a complaint, ordinary mail
	 * or text that is no bounce; permanent and hard_bounce are false and
	 * mean nothing */
	bool failure;
	bool permanent;
	enum diag_perm_source permanent_source;
	bool hard_bounce;
	const char *reply_code;   /* or NULL */
	const char *status;       /* or NULL */
	const char *fix_by;       /* NULL: nobody must act */
	const char *fix_by_label; /* NULL with fix_by */
	const struct rule *rule;  /* the winner, or NULL */
	struct rules_verdict verdict;
	/* why this reason: a sentence in no language yet (texts.h) */
	const struct texts_msg *decision;
	const char *title;
	const char *summary;
	const char *explanation;
	const char *const *fix;
	const char *const *fix_tags; /* per step, or NULL: struct lsteps */
	size_t nfix;
	struct span diagnostic;
	enum smtptext_stage stage; /* the command the refusal answered */
	enum dsn_action action;    /* the DSN's Action */
	const char
	    *action_text; /* as the DSN writes it (lowercased), or NULL */
	const char *remote_mta;
	enum reason mta_reason; /* the reporting MTA's own, or REASON_NONE */
	int exit_status;    /* a local delivery program's (sysexits.h), or 0 */
	bool local_program; /* the failure came from a local program */
	bool general;       /* the diagnostic is the whole report's text */
};

struct diag {
	struct arena *arena;
	const struct diag_env *env;
	enum lang lang;
	struct bounce bounce;
	struct diag_result *results;
	size_t nresults;
};

/* repaired: TEXT_ANOM_* bits (text.h) of what was repaired in input
 * before it got here (a JSON body's invalid UTF-8, replaced so that the
 * JSON could be read); they are the input's anomalies as much as what
 * the parsers repair. 0 for input as it came. */
struct diag *diag_new(const struct diag_env *env, struct span input,
    enum lang lang, unsigned repaired);
void diag_free(struct diag *d);

/* NULL for DIAG_PERM_NONE */
const char *diag_perm_source_str(enum diag_perm_source s);

/*
 * diag_fix_by - who must act: docs/RULES.md step 8, the one rule for every
 * result. evidence is the actor the winning rule or the code table names
 * (NULL: none). Returns a fix_by value, or NULL when nobody must act.
 */
const char *diag_fix_by(const struct rules_reason *reason, bool failure,
    bool permanent, const char *evidence);

/*
 * diag_variant - the reason's texts and actor for this permanence when it
 * differs from the reason's default (when_permanent / when_temporary), or
 * NULL.
 */
const struct rules_variant *diag_variant(const struct rules_reason *reason,
    bool failure, bool permanent);

#endif
