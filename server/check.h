/* SPDX-License-Identifier: MIT */
/*
 * check.h - what every live check of a diagnosis is: one small interface
 *
 * API: a check is a module (check_spf.c, ...) that exports one
 * const struct check_kind: its name (its key under "checks" in the
 * answer), the entities of the diagnosis it cannot run without
 * (CHECK_NEEDS_*), start and, when it waits for more than DNS, cancel.
 * Which reasons call for it is not the module's to say: checks.c's table
 * does. The runner of a diagnosis (diagrun.c) starts every check the
 * table calls for, all at once on the one event loop, each with a
 * struct check_in; a check reports exactly once through its done
 * callback with a struct check_result: the part every check has (checked
 * or not, why not, a fix step it verified) and its own data, which
 * report.c renders under checks.<name>.
 * Deadline: every check of a diagnosis shares its resolver session. When
 * the diagnosis's deadline passes, the runner ends the session's lookups
 * (resolver_session_expire): a check that waits only for those ends with
 * them and reports what it could not establish as not checked. A check
 * that waits for anything else has a cancel, which the runner calls
 * then, and also when it drops a diagnosis still running.
 * Not here: the table (checks.c), the runner (diagrun.c), the JSON
 * (report.c).
 * Ownership: everything a check allocates, its state and its result, is
 * in in->a, the diagnosis's arena; check_in is borrowed during start
 * only, what it points to lives as long as the diagnosis.
 */
#ifndef CHECK_H
#define CHECK_H

#include <stdbool.h>

#include "arena.h"
#include "diag.h"
#include "resolver.h"

struct texts_msg;

/* The entities of the diagnosis a check cannot run without. */
#define CHECK_NEEDS_SENDING_IP       0x1u /* the client the receiver refused */
#define CHECK_NEEDS_SENDER_DOMAIN    0x2u /* the envelope sender's domain */
#define CHECK_NEEDS_RECIPIENT_DOMAIN 0x4u /* of the result that called */
#define CHECK_NEEDS_REMOTE_HOST      0x8u /* the receiving MTA's name */

/* What a check is started with. */
struct check_in {
	const struct diag *d; /* finished; read only */
	/* the first result whose reason called for the check */
	const struct diag_result *why;
	/* the entities; each one in the kind's needs is not NULL */
	const char *sending_ip;
	const char *sender_domain;
	const char *recipient_domain;
	const char *remote_host;
	/* the diagnosis's: its deadline and DNS budget hold for all checks */
	struct resolver_session *session;
	struct arena *a; /* the diagnosis's */
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
	/* The check's own result (check_spf.h, ...), for report.c. */
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
