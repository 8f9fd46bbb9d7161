/* SPDX-License-Identifier: MIT */
/*
 * jsonw.h - write JSON straight into a buffer
 *
 * API: jsonw_init(&w, buf) → jsonw_obj / jsonw_key / jsonw_str / ... /
 * jsonw_end → read the buffer. Commas are placed by the writer; nesting is
 * at most JSONW_MAX_DEPTH. Strings must be valid UTF-8 (everything the
 * service emits has passed text.c); quotes, backslashes and control
 * characters are escaped (RFC 8259 §7). Responses are rendered this way
 * rather than through a DOM because it is several times faster and the
 * response shape is fixed.
 * Ownership: the writer borrows the buffer; the buffer keeps the text.
 */
#ifndef JSONW_H
#define JSONW_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "span.h"

#define JSONW_MAX_DEPTH 16

struct jsonw {
	struct buf *b;
	int depth;
	bool first[JSONW_MAX_DEPTH];
	char close[JSONW_MAX_DEPTH];
};

void jsonw_init(struct jsonw *w, struct buf *b);
void jsonw_obj(struct jsonw *w);
void jsonw_arr(struct jsonw *w);
void jsonw_end(struct jsonw *w);
void jsonw_key(struct jsonw *w, const char *key);
void jsonw_str(struct jsonw *w, const char *s); /* NULL writes null */
void jsonw_strn(struct jsonw *w, struct span s);
void jsonw_null(struct jsonw *w);
void jsonw_bool(struct jsonw *w, bool v);
void jsonw_int(struct jsonw *w, int64_t v);

/* Shorthands for "key": value inside an object. */
void jsonw_kstr(struct jsonw *w, const char *key, const char *s);
void jsonw_kbool(struct jsonw *w, const char *key, bool v);
void jsonw_kint(struct jsonw *w, const char *key, int64_t v);

#endif
