/* SPDX-License-Identifier: MIT */
/*
 * spfname.c - domain names as SPF checks them (RFC 7208 §4.3, §7.1, §7.3)
 *
 * Not here: the domain-spec grammar (spfrecord.c), macros (spfmacro.c).
 */
#include "spfname.h"

#include <string.h>

#include "ascii.h"

/* spfname_strip_dot - name without one final dot */
static struct span
spfname_strip_dot(struct span name)
{
	if (name.len > 0 && name.ptr[name.len - 1] == '.')
		name.len--;
	return name;
}

/* spfname_labels - count the labels of name (no final dot); 0 when a
 * label is empty or longer than 63 octets */
static size_t
spfname_labels(struct span name)
{
	size_t n = 0, start = 0;

	for (size_t i = 0; i <= name.len; i++) {
		if (i < name.len && name.ptr[i] != '.')
			continue;
		if (i == start || i - start > SPFNAME_MAX_LABEL)
			return 0;
		n++;
		start = i + 1;
	}
	return n;
}

bool
spfname_is_queryable(struct span name)
{
	name = spfname_strip_dot(name);
	if (name.len == 0 || name.len > SPFNAME_MAX ||
	    memchr(name.ptr, '\0', name.len) != NULL)
		return false;
	return spfname_labels(name) > 0;
}

bool
spfname_is_domain(struct span name)
{
	name = spfname_strip_dot(name);
	if (name.len == 0 || name.len > SPFNAME_MAX || name.ptr[0] == '[')
		return false;
	if (!ascii_all(name, ASCII_VCHAR))
		return false;
	/* RFC 7208 §4.3: "not a multi-label domain name" gives none */
	return spfname_labels(name) >= 2;
}

struct span
spfname_trim(struct span name)
{
	name = spfname_strip_dot(name);
	while (name.len > SPFNAME_MAX) {
		const char *dot = memchr(name.ptr, '.', name.len);

		if (dot == NULL)
			break;
		name = span_sub(name, (size_t)(dot - name.ptr) + 1, name.len);
	}
	return name;
}

char *
spfname_lower(struct arena *a, struct span name)
{
	return ascii_lower_dup(a, spfname_strip_dot(name));
}

bool
spfname_is_under(struct span name, struct span suffix)
{
	size_t off;

	name = spfname_strip_dot(name);
	suffix = spfname_strip_dot(suffix);
	if (suffix.len == 0 || name.len < suffix.len)
		return false;
	off = name.len - suffix.len;
	if (off > 0 && name.ptr[off - 1] != '.')
		return false;
	return ascii_ieq(span_sub(name, off, suffix.len), suffix);
}

bool
spfname_is_toplabel(struct span label)
{
	bool alpha = false, dash = false;

	if (label.len == 0 || !ascii_is_alnum(label.ptr[0]) ||
	    !ascii_is_alnum(label.ptr[label.len - 1]))
		return false;
	for (size_t i = 0; i < label.len; i++) {
		char c = label.ptr[i];

		if (c == '-')
			dash = true;
		else if (!ascii_is_alnum(c))
			return false;
		else if (!ascii_is_digit(c))
			alpha = true;
	}
	/* all digits is an address part, not a top-level label */
	return alpha || dash;
}
