/* SPDX-License-Identifier: MIT */
/*
 * check.h - what every live check of a diagnosis is: one small interface
 *
 * API: a check is a module (check_spf.c, ...) that exports one
 * const struct check_kind: its name (its key under "checks" in the
 * answer), the entities of the diagnosis it cannot run without
 * (CHECK_NEEDS_*), start and, when it waits for more than DNS, cancel.
 * Which reasons call for it is not the module's to say: checks.c's table
 * does. The runner (checkrun.c) starts the checks a diagnosis calls for,
 * or those an endpoint asks for without a bounce (then check_in.d is
 * NULL), all at once on the one event loop, each with a struct check_in;
 * a check reports exactly once through its done callback with a struct
 * check_result: the part every check has (checked or not, why not, a fix
 * step it verified) and its own data, which report.c renders under
 * checks.<name>.
 * Deadline: every check of a run shares its resolver session. When the
 * run's deadline passes, the runner ends the session's lookups
 * (resolver_session_expire): a check that waits only for those ends with
 * them and reports what it could not establish as not checked. A check
 * that waits for anything else has a cancel, which the runner calls
 * then, and also when it drops a run still going.
 * Not here: the table (checks.c), the runner (checkrun.c), the JSON
 * (report.c).
 * Ownership: everything a check allocates, its state and its result, is
 * in in->a, the run's arena; check_in is borrowed during start only,
 * what it points to lives as long as the run.
 */
#ifndef CHECK_H
#define CHECK_H

#include <stdbool.h>

#include "arena.h"
#include "diag.h"
#include "resolver.h"

struct dnsbl_config;
struct dnsbl_health;
struct ruleset;
struct texts_msg;

/* The entities of the diagnosis a check cannot run without. */
#define CHECK_NEEDS_SENDING_IP       0x1u  /* the client the receiver refused */
#define CHECK_NEEDS_SENDER_DOMAIN    0x2u  /* the envelope sender's domain */
#define CHECK_NEEDS_RECIPIENT_DOMAIN 0x4u  /* of the result that called */
#define CHECK_NEEDS_REMOTE_HOST      0x8u  /* the receiving MTA's name */
#define CHECK_NEEDS_DOMAIN           0x10u /* check_in.domain */
#define CHECK_NEEDS_DKIM             0x20u /* dkim_domain and selector */
#define CHECK_NEEDS_DNSBL            0x40u /* blocklists configured */
#define CHECK_NEEDS_IP_OR_DOMAIN     0x80u /* sending_ip, or domain */

/* What every check may read, for the life of the process: the catalog
 * (mail providers, texts), the blocklists and their health. */
struct check_env {
	const struct ruleset *rules;
	const struct dnsbl_config *dnsbl;  /* NULL: no blocklist configured */
	const struct dnsbl_health *health; /* NULL: zones not tested */
};

/* What a check is started with. */
struct check_in {
	const struct check_env *env;
	enum lang lang; /* of a sentence the check words itself */
	/* the finished diagnosis (read only) and the first result whose
	 * reason called for the check; NULL for a check asked for without a
	 * bounce (GET /api/v1/check, /api/v1/mx, ...) */
	const struct diag *d;
	const struct diag_result *why;
	/* the entities; each one in the kind's needs is not NULL */
	const char *sending_ip;
	const char *sender_domain;
	const char *recipient_domain;
	const char *remote_host;
	/* the domain a check of a domain is about (CHECK_NEEDS_DOMAIN): the
	 * recipient's or the sender's, as the caller chose */
	const char *domain;
	const char *helo;         /* the client's HELO name, or NULL */
	const char *const *lists; /* blocklist zones the bounce names */
	size_t nlists;
	/* a DKIM signature of the returned message: its d= and s= */
	const char *dkim_domain;
	const char *dkim_selector;
	/* names that may point at the sender's mail provider (hints) */
	const char *const *hints;
	size_t nhints;
	/* the run's: its deadline and DNS budget hold for all checks */
	struct resolver_session *session;
	struct arena *a; /* the run's */
};

/* What a check came to. */
struct check_result {
	const struct check_kind *kind; /* set by the runner */
	/* NULL: checked, on real answers; else why the result says nothing
	 * (status not_checked): the deadline, the DNS budget, a DNS server
	 * that failed. A sentence in no language yet (texts_msg.h). */
	const struct texts_msg *unchecked;
	/* A fix step the check verified, in the diagnosis's language, or
	 * NULL: it replaces the results' fix steps tagged `replaces` (the
	 * tags of reasons.json), which would propose something else. */
	const char *verified_step;
	const char *replaces;
	/* What the check found now against what the bounce claimed, in one
	 * sentence ("the receiver refused for SPF, but SPF passes now"), or
	 * NULL: no bounce, or nothing checked. */
	const struct texts_msg *summary;
	/* The check's own result (check_spf.h, ...), for report.c; NULL
	 * when it has none (not checked before anything was established) */
	const void *data;
};

/* Called exactly once per check, possibly before start returns.
 * Ownership: r is borrowed until done returns (copy it). */
typedef void check_done_fn(void *arg, const struct check_result *r);
/* Starts the check; returns its state (in in->a), handed to cancel. */
typedef void *check_start_fn(const struct check_in *in, check_done_fn *done,
    void *arg);
/* The check still runs and must end now: it asks nothing more and calls
 * done before returning, with what it could not establish not checked. */
typedef void check_cancel_fn(void *state);

struct check_kind {
	const char *name; /* the key under "checks" in the answer */
	unsigned needs;   /* CHECK_NEEDS_* */
	check_start_fn *start;
	/* NULL: the check waits for nothing but the lookups of its session,
	 * so ending those ends it */
	check_cancel_fn *cancel;
};

#endif
