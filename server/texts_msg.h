/* SPDX-License-Identifier: MIT */
/*
 * texts_msg.h - a sentence not yet in any language
 *
 * A message is an id of rules/messages.json and its named arguments, each
 * a text (data: a domain, a term, an address, a number) or another
 * message (a sentence of its own, put into the same language). Code that
 * must not see the reader's language (the SPF evaluator, its record and
 * macro parsers, and its fix) builds these; texts_render (texts.h) puts
 * them into words when the answer is written.
 *
 * API: texts_msg_new(arena, id) starts one; texts_msg_arg, texts_msg_num
 * and texts_msg_sub add a text, a number (written as the reader's language
 * writes numbers: "1,234", "1 234") or a message argument (at most
 * TEXTS_MAX_ARGS; more are dropped), texts_msg_count makes the id a
 * plural family with the count n ({n}: "ID.one", "ID.other", ...); each
 * returns the message. texts_msg_with(arena, id, name, text, ...,
 * TEXTS_MSG_END) is texts_msg_new with text arguments. texts_msg_dup copies a message, its texts and its
 * sub-messages into another arena. texts_msg_is tests the id.
 * Ownership: a message belongs to the arena it was made in (one without
 * arguments may also be a static const, { .id = "..." }); it borrows
 * its id, its argument names and its argument texts (the ids and names
 * are string literals in practice; texts_msg_dup copies the texts, not
 * the ids and names).
 * Not here: the texts themselves and rendering (texts.c).
 */
#ifndef TEXTS_MSG_H
#define TEXTS_MSG_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

#define TEXTS_MAX_ARGS 8
#define TEXTS_MSG_END  ((const char *)NULL) /* ends texts_msg_with's list */

struct texts_msg;

struct texts_arg {
	const char *name;
	const char *text;            /* or NULL: */
	const struct texts_msg *msg; /* a sentence of its own, or NULL: */
	bool is_num;                 /* a number, num, or (false) none: */
	unsigned long num;           /* the fallback of the placeholder */
};

struct texts_msg {
	const char *id;
	bool has_n;
	unsigned long n;
	size_t nargs;
	struct texts_arg args[TEXTS_MAX_ARGS];
};

struct texts_msg *texts_msg_new(struct arena *a, const char *id);
struct texts_msg *texts_msg_arg(struct texts_msg *m, const char *name,
    const char *text);
struct texts_msg *texts_msg_sub(struct texts_msg *m, const char *name,
    const struct texts_msg *sub);
struct texts_msg *texts_msg_num(struct texts_msg *m, const char *name,
    unsigned long n);
struct texts_msg *texts_msg_count(struct texts_msg *m, unsigned long n);

/* A new message with text arguments: pairs of name and text (const char
 * *), ended by TEXTS_MSG_END. */
struct texts_msg *texts_msg_with(struct arena *a, const char *id, ...)
    __attribute__((sentinel));

/* A copy of m (NULL for NULL) in a: the message, its argument texts and,
 * recursively, its sub-messages. */
const struct texts_msg *texts_msg_dup(struct arena *a,
    const struct texts_msg *m);

/* Is m the message id? (false for NULL) */
bool texts_msg_is(const struct texts_msg *m, const char *id);

#endif
