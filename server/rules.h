/* SPDX-License-Identifier: MIT */
/*
 * rules.h - the rule catalog: load once, classify many times
 *
 * API: rules_load(dir) reads reasons.json, the code tables (codes.h),
 * every catalog/NAME.json and the mail providers (mailprov.h), validates
 * everything, compiles each pattern with pcre2 (caseless, UTF, Unicode
 * properties, JIT) and returns an immutable
 * ruleset, or an error naming the file, the rule id and what is wrong.
 * Every reason named anywhere must be defined in reasons.json: by a rule,
 * a code table, another reason, or the code itself (reason.h; those are
 * resolved once here and fetched with rules_reason_of).
 * rules_classify matches one diagnostic text against every rule and picks
 * the winner deterministically (docs/RULES.md, "How a bounce is
 * classified"); the verdict lists every candidate and why the winner won,
 * and every rule it could not evaluate because pcre2 stopped a pattern at
 * its match, depth, heap or JIT stack limit.
 * Single-threaded; the ruleset is never changed after loading.
 * Ownership: rules_load returns owned (rules_free). Rules, reasons and
 * texts are views valid until rules_free. A verdict's arrays and strings
 * belong to the arena passed to rules_classify.
 */
#ifndef RULES_H
#define RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "codes.h"
#include "lang.h"
#include "reason.h"
#include "span.h"

struct mailprov_table;
struct texts;
struct texts_msg;

#define RULES_MAX_PATTERNS 32
#define RULES_DEFAULT_PRIO 50

/* Plain-language texts of a reason or a rule. */
struct rules_text {
	struct ltext title;
	struct ltext summary;
	struct ltext explanation;
	struct lsteps fix;
};

/* What a reason says when the codes make it permanent, or temporary,
 * against its default: its own actor and texts. */
struct rules_variant {
	const char *fix_by;     /* NULL: the reason's */
	struct rules_text text; /* a missing text: the reason's */
};

struct rules_reason {
	const char *name;
	/* false: a report of something that is no failed delivery (a
	 * delivery, an automatic reply, a complaint) */
	bool failure;
	bool permanent;
	bool hard_bounce;
	const char *fix_by; /* NULL only when failure is false: nobody */
	const struct rules_variant *when_permanent; /* or NULL */
	const struct rules_variant *when_temporary; /* or NULL */
	/* what the reason becomes when the refusal came at MAIL FROM (an
	 * unknown address or domain there is the sender's), or NULL */
	const struct rules_reason *mail_from_reason;
	struct rules_text text;
};

struct rule {
	const char *id;
	const char *source;
	const struct rules_reason *reason;
	int priority;
	int permanent;      /* -1 when the rule does not say */
	const char *fix_by; /* NULL: the reason's */
	/* the reason when the refusal came at MAIL FROM (wording that does
	 * not say whom it refuses), or NULL */
	const struct rules_reason *mail_from_reason;
	const char *const *reply_codes;
	size_t nreply_codes;
	const char *const *status;
	size_t nstatus;
	struct rules_text text;
	const char *const *examples;
	size_t nexamples;
	size_t order; /* position in the catalog */
};

struct rules_match {
	const struct rule *rule;
	size_t pos; /* byte offset of the match in the text */
	size_t len;
};

struct rules_verdict {
	struct rules_match *matches; /* winner first, then by rank */
	size_t nmatches;
	/* why matches[0] won, a sentence in no language yet (texts.h); NULL
	 * when nothing matched */
	const struct texts_msg *why;
	/* rules with a pattern pcre2 stopped at a limit, in catalog order:
	 * whether (or where) that pattern matches is unknown; such a rule is
	 * also in matches when another of its patterns matched */
	const struct rule **unevaluated;
	size_t nunevaluated;
};

struct ruleset;

#define RULES_NO_JIT       0x1u /* interpret patterns (valgrind cannot follow JIT) */
#define RULES_NO_PREFILTER 0x2u /* run every pattern (tests of the prefilter) */

int rules_load(const char *dir, unsigned flags, struct ruleset **out,
    char **err_out);
void rules_free(struct ruleset *rs);

size_t rules_count(const struct ruleset *rs);
const struct rule *rules_at(const struct ruleset *rs, size_t i);
/* The reason of that name, or NULL. */
const struct rules_reason *rules_reason(const struct ruleset *rs,
    const char *name);
/* A reason the code names; never NULL: rules_load refused a reasons.json
 * without it. r must not be REASON_NONE. */
const struct rules_reason *rules_reason_of(const struct ruleset *rs,
    enum reason r);
size_t rules_reason_count(const struct ruleset *rs);
/* The i-th reason of reasons.json, or NULL past the end. */
const struct rules_reason *rules_reason_at(const struct ruleset *rs, size_t i);
/* The label of a fix_by value, or NULL for an unknown value. */
const struct ltext *rules_fix_by_label(const struct ruleset *rs,
    const char *fix_by);
/* The sentence (a template: {domain}, {record}, {added}, {ip}) that
 * replaces the fix steps tagged tag when a live check verified the fix,
 * or NULL for an unknown tag. */
const struct ltext *rules_verified_step(const struct ruleset *rs,
    const char *tag);
/* Every text of the catalog by message id, and its translations. */
const struct texts *rules_texts(const struct ruleset *rs);
/* The same table, for a loader of texts kept beside the catalog (the
 * blocklists' meanings, dnsbl_config.h) at start-up, before any request
 * reads it. */
struct texts *rules_texts_writable(struct ruleset *rs);
const struct codes *rules_codes(const struct ruleset *rs);
/* The mail providers an SPF fix may propose (rules/providers.json). */
const struct mailprov_table *rules_providers(const struct ruleset *rs);

/*
 * Match text (valid UTF-8, see text.h) against every rule. reply_code
 * ("550") and status ("5.7.1") may be NULL. Returns 0 and fills *out;
 * -1 when a pattern could not be evaluated (pcre2 stopped it at a limit
 * on hostile input): out->unevaluated names its rules, and *out still
 * holds the candidates found by the other patterns.
 */
int rules_classify(const struct ruleset *rs, struct arena *a, struct span text,
    const char *reply_code, const char *status, struct rules_verdict *out);

/* Does code ("550") satisfy the pattern ("5xx", "55x", "550")? */
bool rules_reply_matches(const char *pattern, const char *code);
/* Does status ("5.7.1") satisfy the pattern ("5.7.*", "5.*.*")? */
bool rules_status_matches(const char *pattern, const char *status);

#endif
