/* SPDX-License-Identifier: MIT */
/*
 * diag.c - one diagnosis: a bounce in, results out
 *
 * The decisions documented in docs/RULES.md ("How a bounce is
 * classified") live here: which reason when no rule matched, what makes a
 * failure permanent, who must fix it, and which language each text comes
 * from. Not here: matching (rules.c), the live checks (diagrun.c,
 * checks.c), JSON (report.c), HTTP (api.c).
 */
#include "diag.h"

#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "message.h"
#include "mime.h"
#include "text.h"
#include "texts.h"
#include "tmpl.h"
#include "xmalloc.h"

/* a rule this specific decides even for a message without bounce headers */
#define DIAG_STRONG_RULE 50

static const char *const diag_perm_names[] = {
	[DIAG_PERM_NONE] = NULL,
	[DIAG_PERM_STATUS] = "status",
	[DIAG_PERM_REPLY] = "reply_code",
	[DIAG_PERM_RULE] = "rule",
	[DIAG_PERM_REASON] = "reason",
};

const char *
diag_perm_source_str(enum diag_perm_source s)
{
	return diag_perm_names[s];
}

/* The texts a result may take its words from, in order (diag_texts). */
#define DIAG_NTEXTS 3

enum diag_field {
	DIAG_TITLE,
	DIAG_SUMMARY,
	DIAG_EXPLANATION
};

static const struct ltext *
diag_field_of(const struct rules_text *t, enum diag_field f)
{
	switch (f) {
	case DIAG_TITLE:
		return &t->title;
	case DIAG_SUMMARY:
		return &t->summary;
	default:
		return &t->explanation;
	}
}

/* diag_pick - a text field in lang from the first text that has it, then
 * the same in English, so that one answer keeps one language */
static const char *
diag_pick(const struct rules_text *const texts[DIAG_NTEXTS], enum diag_field f,
    enum lang l)
{
	for (int pass = 0; pass < 2; pass++) {
		enum lang want = pass == 0 ? l : LANG_EN;

		for (size_t i = 0; i < DIAG_NTEXTS; i++) {
			const struct ltext *t = texts[i] != NULL ?
			    diag_field_of(texts[i], f) :
			    NULL;

			if (t != NULL && ltext_in(t, want) != NULL)
				return ltext_in(t, want);
		}
	}
	return "";
}

struct diag_lookup_ctx {
	const struct diag *d;
	const struct diag_result *r;
};

/* diag_lookup - the placeholder names of docs/RULES.md */
static const char *
diag_lookup(struct span name, void *arg)
{
	const struct diag_lookup_ctx *c = arg;
	const struct extract_entities *e = &c->d->bounce.ent;
	const char *at;

	if (span_eq_cstr(name, "ip"))
		return e->sending_ip;
	if (span_eq_cstr(name, "sender_domain"))
		return e->sender_domain;
	if (span_eq_cstr(name, "remote_host"))
		return e->remote_host;
	if (span_eq_cstr(name, "blocklist"))
		return e->blocklists.n > 0 ? e->blocklists.v[0] : NULL;
	if (span_eq_cstr(name, "recipient"))
		return c->r->recipient;
	if (span_eq_cstr(name, "recipient_domain")) {
		at = c->r->recipient ? strrchr(c->r->recipient, '@') : NULL;
		return at != NULL ? at + 1 : NULL;
	}
	if (span_eq_cstr(name, "reply_code"))
		return c->r->reply_code;
	if (span_eq_cstr(name, "status"))
		return c->r->status;
	return NULL;
}

/* diag_then - a decision that adds to the one so far: id's sentence
 * with {decision} and one more argument (name NULL: none) */
static void
diag_then(struct diag *d, struct diag_result *r, const char *id,
    const char *name, const char *value)
{
	struct texts_msg *m = texts_msg_new(d->arena, id);

	(void)texts_msg_sub(m, "decision", r->decision);
	if (name != NULL)
		(void)texts_msg_arg(m, name, value);
	r->decision = m;
}

/* diag_not_failure - reports that are no failure: feedback, auto-replies,
 * successful deliveries, ordinary mail. Returns true when r is decided. */
static bool
diag_not_failure(struct diag *d, struct diag_result *r)
{
	enum reason name = REASON_NONE;

	switch (d->bounce.kind) {
	case BOUNCE_KIND_FEEDBACK:
		name = REASON_FEEDBACK;
		r->decision =
		    texts_msg_arg(texts_msg_new(d->arena, "decision.feedback"),
		        "type", d->bounce.feedback_type);
		break;
	case BOUNCE_KIND_AUTOREPLY:
		name = REASON_VACATION;
		r->decision = texts_msg_new(d->arena, "decision.autoreply");
		break;
	case BOUNCE_KIND_MAIL:
		/* wording a rule knows well is a bounce whatever the headers
		 * say (list servers and gateways write from ordinary
		 * addresses) */
		if (r->verdict.nmatches > 0 &&
		    r->verdict.matches[0].rule->priority >= DIAG_STRONG_RULE)
			break;
		name = REASON_UNDEFINED;
		r->decision = texts_msg_new(d->arena, "decision.ordinary_mail");
		break;
	default:
		break;
	}
	if (name == REASON_NONE &&
	    (r->action == DSN_ACTION_DELIVERED ||
	        r->action == DSN_ACTION_RELAYED ||
	        r->action == DSN_ACTION_EXPANDED)) {
		name = REASON_DELIVERED;
		r->decision =
		    texts_msg_arg(texts_msg_new(d->arena, "decision.delivered"),
		        "action", r->action_text);
	}
	if (name == REASON_NONE)
		return false;
	r->reason = rules_reason_of(d->env->rules, name);
	r->failure = false;
	return true;
}

/* diag_stage - RFC 5321 §3.3: an address that does not exist is refused
 * at RCPT TO; a refusal after DATA means the server accepted the
 * recipient and a filter decided on the content */
static void
diag_stage(struct diag *d, struct diag_result *r)
{
	const struct ruleset *rs = d->env->rules;
	/* the rule's own view of a refusal at MAIL FROM, else its reason's */
	const struct rules_reason *at_mail =
	    r->rule != NULL && r->rule->mail_from_reason != NULL ?
	    r->rule->mail_from_reason :
	    r->reason->mail_from_reason;

	if (at_mail != NULL && r->stage == SMTPTEXT_STAGE_MAIL) {
		r->reason = at_mail;
		diag_then(d, r, "decision.at_mail_from", "reason",
		    r->reason->name);
		return;
	}
	if (r->reason != rules_reason_of(rs, REASON_USERUNKNOWN))
		return;
	/* the sending MTA classified it the same way */
	if (r->mta_reason == REASON_USERUNKNOWN)
		return;
	/* RFC 3463 §3.3: X.2.0 says "the mailbox exists, but something
	 * about it caused this DSN"; with "unknown user" wording the
	 * receiving side hides a refusal behind it (mobile carriers' domain
	 * filters answer this way) */
	if (r->status != NULL && strcmp(r->status + 1, ".2.0") == 0) {
		r->reason = rules_reason_of(rs, REASON_FILTERED);
		diag_then(d, r, "decision.x20_filtered", "status", r->status);
		return;
	}
	/* X.2.1 ("mailbox disabled, not accepting messages") also says the
	 * mailbox exists; X.7.x says a policy refused the message. Unless
	 * the refusal came at RCPT TO, the wording is a cover for a filter. */
	if (r->status != NULL && r->stage != SMTPTEXT_STAGE_RCPT &&
	    (strcmp(r->status + 1, ".2.1") == 0 ||
	        strncmp(r->status + 1, ".7.", 3) == 0)) {
		r->reason = rules_reason_of(rs, REASON_FILTERED);
		diag_then(d, r, "decision.policy_filtered", "status",
		    r->status);
		return;
	}
	if (r->stage != SMTPTEXT_STAGE_DATA)
		return;
	r->reason = rules_reason_of(rs, REASON_FILTERED);
	diag_then(d, r, "decision.after_data_filtered", NULL, NULL);
}

/* diag_transient_dns - a domain that "does not exist" is a permanent
 * fact; the same lookup answered with a temporary code (4.x.x, 4xx) is
 * a DNS failure the sender expects to pass */
static void
diag_transient_dns(struct diag *d, struct diag_result *r)
{
	char c = r->status != NULL ? r->status[0] :
	    r->reply_code != NULL  ? r->reply_code[0] :
	                             0;

	if (c != '4' ||
	    r->reason != rules_reason_of(d->env->rules, REASON_HOSTUNKNOWN))
		return;
	r->reason = rules_reason_of(d->env->rules, REASON_NETWORKERROR);
	diag_then(d, r, "decision.temporary_dns", NULL, NULL);
}

/* sysexits.h: what a local delivery program's exit status says */
struct diag_sysexit {
	int status;
	const char *meaning; /* a message id: "EX_NOUSER, no such user" */
	enum reason reason;
};

static const struct diag_sysexit diag_sysexits[] = {
	{ 67, "sysexit.67", REASON_USERUNKNOWN },
	{ 68, "sysexit.68", REASON_HOSTUNKNOWN },
	{ 69, "sysexit.69", REASON_MAILERERROR },
	{ 70, "sysexit.70", REASON_MAILERERROR },
	{ 71, "sysexit.71", REASON_MAILERERROR },
	{ 72, "sysexit.72", REASON_MAILERERROR },
	{ 73, "sysexit.73", REASON_MAILERERROR },
	{ 74, "sysexit.74", REASON_MAILERERROR },
	{ 75, "sysexit.75", REASON_MAILERERROR },
	{ 76, "sysexit.76", REASON_MAILERERROR },
	{ 77, "sysexit.77", REASON_SYSTEMERROR },
	{ 78, "sysexit.78", REASON_SYSTEMERROR },
	{ 0, NULL, REASON_MAILERERROR }, /* any other status */
};

/* diag_exit_status - "Diagnostic-Code: X-Unix; 71": the failure was a
 * local delivery program's (procmail, maildrop, a pipe), and its exit
 * status says more than the prose around it */
static bool
diag_exit_status(struct diag *d, struct diag_result *r, int status)
{
	const struct diag_sysexit *e = diag_sysexits;
	struct texts_msg *m;

	if (status == 0)
		return false;
	while (e->meaning != NULL && e->status != status)
		e++;
	r->rule = NULL;
	r->reason = rules_reason_of(d->env->rules, e->reason);
	m = texts_msg_new(d->arena,
	    e->meaning != NULL ? "decision.exit_status_named" :
	                         "decision.exit_status");
	(void)texts_msg_arg(m, "status", arena_printf(d->arena, "%d", status));
	if (e->meaning != NULL)
		(void)texts_msg_sub(m, "meaning",
		    texts_msg_new(d->arena, e->meaning));
	r->decision = m;
	return true;
}

/* diag_by_code - the reason and actor a code table entry names for code,
 * and the decision id that says so ({code}, {title}, {reason}) */
static void
diag_by_code(struct diag *d, struct diag_result *r, const struct codes_entry *e,
    const char *id, const char *code, const char **fix_by_out)
{
	struct texts_msg *m = texts_msg_new(d->arena, id);

	r->reason = rules_reason(d->env->rules, e->reason);
	*fix_by_out = e->fix_by;
	(void)texts_msg_arg(m, "code", code);
	(void)texts_msg_arg(m, "reason", e->reason);
	(void)texts_msg_sub(m, "title",
	    texts_msg_new(d->arena, arena_printf(d->arena, "%s.title", e->id)));
	r->decision = m;
}

/* diag_reason - steps 4 and 5: the winning rule, else what the codes say */
static void
diag_reason(struct diag *d, struct diag_result *r, const char **fix_by_out)
{
	const struct ruleset *rs = d->env->rules;
	const struct codes *codes = rules_codes(rs);
	struct codes_status st;
	const struct codes_entry *e;

	*fix_by_out = NULL;
	if (diag_not_failure(d, r) || diag_exit_status(d, r, r->exit_status))
		return;
	if (r->verdict.nmatches > 0) {
		r->rule = r->verdict.matches[0].rule;
		r->reason = r->rule->reason;
		*fix_by_out = r->rule->fix_by;
		r->decision =
		    texts_msg_sub(texts_msg_arg(texts_msg_new(d->arena,
		                                    "decision.rule"),
		                      "rule", r->rule->id),
		        "why", r->verdict.why);
		return;
	}
	/* RFC 3464 §2.3.3: a delay warning; what is late is the message,
	 * and it expires if the retries keep failing */
	if (r->action == DSN_ACTION_DELAYED) {
		r->reason = rules_reason_of(rs, REASON_EXPIRED);
		r->decision = texts_msg_new(d->arena, "decision.delayed");
		return;
	}
	if (r->local_program) {
		r->reason = rules_reason_of(rs, REASON_MAILERERROR);
		r->decision = texts_msg_new(d->arena, "decision.local_program");
		return;
	}
	if (r->mta_reason != REASON_NONE) {
		r->reason = rules_reason_of(rs, r->mta_reason);
		r->decision = texts_msg_arg(texts_msg_new(d->arena,
		                                "decision.mta_category"),
		    "reason", r->reason->name);
		return;
	}
	/* the code tables name reasons by string: rules_load refused any
	 * that reasons.json lacks, so these lookups find one */
	if (r->status != NULL &&
	    codes_status_parse(span_cstr(r->status), &st) == 0 &&
	    (e = codes_status_detail(codes, st.subject, st.detail)) != NULL &&
	    e->reason != NULL) {
		diag_by_code(d, r, e, "decision.status_code", r->status,
		    fix_by_out);
		return;
	}
	if (r->reply_code != NULL &&
	    (e = codes_reply_code(codes,
	         (unsigned)strtoul(r->reply_code, NULL, 10))) != NULL &&
	    e->reason != NULL) {
		diag_by_code(d, r, e, "decision.reply_code", r->reply_code,
		    fix_by_out);
		return;
	}
	/* RFC 5321 §3.3-§3.4: a refusal of MAIL FROM is about the sender,
	 * one before MAIL FROM (greeting, HELO) about the client itself */
	if (r->stage == SMTPTEXT_STAGE_MAIL) {
		r->reason = rules_reason_of(rs, REASON_REJECTED);
		r->decision =
		    texts_msg_new(d->arena, "decision.mail_from_refused");
		return;
	}
	if (r->stage == SMTPTEXT_STAGE_CONNECT ||
	    r->stage == SMTPTEXT_STAGE_HELO) {
		r->reason = rules_reason_of(rs, REASON_BLOCKED);
		r->decision =
		    texts_msg_new(d->arena, "decision.before_mail_refused");
		return;
	}
	/* a failure is certain (codes say so, or a bounce has text about this
	 * recipient) but nothing says why */
	if (r->diagnostic.len > 0 &&
	    (r->reply_code != NULL || r->status != NULL ||
	        ((d->bounce.kind == BOUNCE_KIND_DSN ||
	             d->bounce.kind == BOUNCE_KIND_BODY) &&
	            !r->general))) {
		r->reason = rules_reason_of(rs, REASON_ONHOLD);
		r->decision = texts_msg_new(d->arena, "decision.onhold");
		return;
	}
	r->reason = rules_reason_of(rs, REASON_UNDEFINED);
	/* with a code it failed, for a reason nobody can tell; without one
	 * it may be no bounce at all */
	r->failure = r->reply_code != NULL || r->status != NULL;
	r->decision = texts_msg_new(d->arena,
	    r->failure ? "decision.undefined_codes" :
	                 "decision.undefined_text");
}

/* diag_permanent - step 7: the bounce's own codes first; what is no
 * failure has no permanence */
static void
diag_permanent(struct diag_result *r)
{
	char sc = r->status != NULL ? r->status[0] : 0;
	char rc = r->reply_code != NULL ? r->reply_code[0] : 0;

	if (!r->failure) {
		r->permanent = false;
		r->permanent_source = DIAG_PERM_NONE;
		return;
	}
	if (sc != 0 && rc != 0 && ((sc == '5') != (rc == '5'))) {
		sc = 0; /* the codes contradict each other */
		rc = 0;
	}
	if (sc != 0) {
		r->permanent = sc == '5';
		r->permanent_source = DIAG_PERM_STATUS;
	} else if (rc != 0) {
		r->permanent = rc == '5';
		r->permanent_source = DIAG_PERM_REPLY;
	} else if (r->rule != NULL && r->rule->permanent != -1) {
		r->permanent = r->rule->permanent == 1;
		r->permanent_source = DIAG_PERM_RULE;
	} else {
		r->permanent = r->reason->permanent;
		r->permanent_source = DIAG_PERM_REASON;
	}
}

const struct rules_variant *
diag_variant(const struct rules_reason *reason, bool failure, bool permanent)
{
	if (!failure || !reason->failure)
		return NULL;
	return permanent ? reason->when_permanent : reason->when_temporary;
}

const char *
diag_fix_by(const struct rules_reason *reason, bool failure, bool permanent,
    const char *evidence)
{
	const struct rules_variant *var =
	    diag_variant(reason, failure, permanent);
	const char *who;

	/* a report of something else: only its own actor (a complaint: the
	 * sender suppresses the address), else nobody */
	if (!failure || !reason->failure)
		return reason->failure ? NULL : reason->fix_by;
	who = evidence != NULL                 ? evidence :
	    var != NULL && var->fix_by != NULL ? var->fix_by :
	                                         reason->fix_by;
	/* a retry cannot cure a permanent failure: the actor the reason
	 * names for its permanent form (rules.c requires one) */
	if (permanent && strcmp(who, "retry") == 0) {
		if (var != NULL && var->fix_by != NULL &&
		    strcmp(var->fix_by, "retry") != 0)
			who = var->fix_by;
		else if (strcmp(reason->fix_by, "retry") != 0)
			who = reason->fix_by;
		else
			who = "sender";
	}
	return who;
}

/* diag_texts - title, summary, explanation and fix in d->lang: those of
 * the reason's form for this permanence (a rule's words are written for
 * the reason's usual permanence, and would contradict it), else the
 * rule's, else the reason's */
static void
diag_texts(struct diag *d, struct diag_result *r)
{
	const struct rules_variant *var =
	    diag_variant(r->reason, r->failure, r->permanent);
	const struct rules_text *texts[] = {
		var != NULL ? &var->text : NULL,
		r->rule != NULL ? &r->rule->text : NULL,
		&r->reason->text,
	};
	struct diag_lookup_ctx lc = { d, r };
	const struct lsteps *steps = &r->reason->text.fix;
	enum lang l = LANG_EN;
	const char **fix;
	size_t n;

	r->title = tmpl_expand(d->arena, diag_pick(texts, DIAG_TITLE, d->lang),
	    diag_lookup, &lc);
	r->summary = tmpl_expand(d->arena,
	    diag_pick(texts, DIAG_SUMMARY, d->lang), diag_lookup, &lc);
	r->explanation = tmpl_expand(d->arena,
	    diag_pick(texts, DIAG_EXPLANATION, d->lang), diag_lookup, &lc);
	/* the same order as diag_pick: the first list with a step in the
	 * reader's language, else the first list (the reason always has
	 * one); a step the list lacks in that language is English */
	for (int pass = 0; pass < 2; pass++) {
		enum lang want = pass == 0 ? d->lang : LANG_EN;

		for (size_t i = 0; i < DIAG_NTEXTS; i++) {
			if (texts[i] != NULL && texts[i]->fix.n > 0 &&
			    (texts[i]->fix.langs >> want & 1) != 0) {
				steps = &texts[i]->fix;
				l = want;
				goto found;
			}
		}
	}
found:
	n = steps->n;
	fix = arena_alloc(d->arena, (n == 0 ? 1 : n) * sizeof(*fix));
	for (size_t i = 0; i < n; i++)
		fix[i] = tmpl_expand(d->arena, ltext_get(&steps->steps[i], l),
		    diag_lookup, &lc);
	r->fix = fix;
	r->fix_tags = steps->tags;
	r->nfix = n;
}

/* diag_result_make - the result for one failed delivery */
static void
diag_result_make(struct diag *d, const struct bounce_failure *f,
    struct diag_result *r)
{
	const struct ruleset *rs = d->env->rules;
	const char *fix_by;
	const struct ltext *label;

	memset(r, 0, sizeof(*r));
	r->recipient = f->recipient;
	r->reply_code = f->reply_code;
	r->status = f->status;
	r->diagnostic = f->diag;
	r->stage = f->stage;
	r->action = dsn_action_parse(f->action);
	r->action_text = f->action;
	r->remote_mta = f->remote_mta;
	r->mta_reason = f->mta_reason;
	r->exit_status = f->exit_status;
	r->local_program = f->local_program;
	r->general = f->general;
	r->failure = true;
	(void)rules_classify(rs, d->arena, f->diag, r->reply_code, r->status,
	    &r->verdict);
	diag_reason(d, r, &fix_by);
	diag_stage(d, r);
	diag_transient_dns(d, r);
	r->failure = r->failure && r->reason->failure;
	diag_permanent(r);
	r->hard_bounce = r->failure && r->reason->hard_bounce &&
	    (r->reason != rules_reason_of(rs, REASON_NOTACCEPT) ||
	        r->permanent);
	r->fix_by = diag_fix_by(r->reason, r->failure, r->permanent, fix_by);
	label = rules_fix_by_label(rs, r->fix_by);
	r->fix_by_label = label != NULL ? ltext_get(label, d->lang) : r->fix_by;
	diag_texts(d, r);
}

struct diag *
diag_new(const struct diag_env *env, struct span input, enum lang lang,
    unsigned repaired)
{
	struct diag *d = xcalloc(1, sizeof(*d));

	d->arena = arena_new();
	d->env = env;
	d->lang = lang;
	if (env->mime != NULL && mime_looks_like_message(input))
		message_parse(env->mime, d->arena, input, &d->bounce);
	else
		bounce_parse(d->arena, input, &d->bounce);
	if (repaired & TEXT_ANOM_UTF8)
		d->bounce.anomalies |= BOUNCE_ANOM_UTF8;
	if (repaired & TEXT_ANOM_CONTROL)
		d->bounce.anomalies |= BOUNCE_ANOM_CONTROL;
	d->nresults = d->bounce.nfailures;
	d->results = arena_alloc(d->arena, d->nresults * sizeof(*d->results));
	for (size_t i = 0; i < d->nresults; i++)
		diag_result_make(d, &d->bounce.failures[i], &d->results[i]);
	return d;
}

void
diag_free(struct diag *d)
{
	if (d == NULL)
		return;
	arena_free(d->arena);
	free(d);
}
