/* SPDX-License-Identifier: MIT */
/*
 * dkimsig.c - d=, s= and a= of a DKIM-Signature header (RFC 6376 §3.5)
 *
 * Not here: the key record (dkimkey.c), the lookup (dkimcheck.c).
 */
#include "dkimsig.h"

#include <string.h>

#include "ascii.h"
#include "taglist.h"

/* dkimsig_take - an unfolded copy of the first value of a tag (bit in
 * *seen) into *out */
static void
dkimsig_take(struct arena *a, struct span value, unsigned bit, unsigned *seen,
    const char **out)
{
	struct span v;

	if ((*seen & bit) != 0)
		return;
	*seen |= bit;
	if (value.len > DKIMSIG_MAX_VALUE * 2)
		return;
	v = taglist_unfold(a, value);
	if (v.len > 0 && v.len <= DKIMSIG_MAX_VALUE &&
	    memchr(v.ptr, '\0', v.len) == NULL)
		*out = v.ptr;
}

int
dkimsig_parse(struct arena *a, struct span value, struct dkimsig *out)
{
	struct span name = SPAN_LIT("DKIM-Signature:");
	struct taglist_tag t;
	enum taglist_step st;
	size_t pos = 0;
	unsigned seen = 0;

	memset(out, 0, sizeof(*out));
	if (value.len > DKIMSIG_MAX_LEN)
		return -1;
	if (ascii_iprefix(value, name))
		pos = name.len;
	while ((st = taglist_next(value, &pos, &t)) != TAGLIST_END) {
		if (st != TAGLIST_TAG || t.name.len != 1)
			continue;
		/* §3.2: tag names are case-sensitive */
		switch (t.name.ptr[0]) {
		case 'd':
			dkimsig_take(a, t.value, 1u, &seen, &out->d);
			break;
		case 's':
			dkimsig_take(a, t.value, 2u, &seen, &out->s);
			break;
		case 'a':
			dkimsig_take(a, t.value, 4u, &seen, &out->a);
			break;
		default:
			break;
		}
	}
	return out->d != NULL && out->s != NULL ? 0 : -1;
}
