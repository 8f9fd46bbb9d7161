/* SPDX-License-Identifier: MIT */
/*
 * jsonpretty.c - build/tests/jsonpretty: one JSON document, indented
 *
 * Usage: jsonpretty < compact.json > pretty.json
 *
 * Reads one JSON document from stdin, checks it (jansson, duplicate keys
 * rejected: a key written twice is a bug of the writer that a re-parse
 * would hide) and writes it back with two-space indentation and one
 * member or element per line. Only white space between tokens changes:
 * strings and numbers are copied byte for byte, so an escape the service
 * wrote ("\u2028", "\"") stays as it was and the golden files hold the
 * service's exact answer. Empty objects and arrays stay "{}" and "[]".
 * Exits 1 (with the reason on stderr) for anything but one valid document.
 * Used by scripts/golden.sh. Not here: the comparison (diff -u).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define JSONPRETTY_MAX_INPUT (64u << 20)

/* jsonpretty_read - all of stdin, NUL-terminated; NULL when too large */
static char *
jsonpretty_read(size_t *len_out)
{
	size_t cap = 65536, len = 0, n;
	char *buf = malloc(cap + 1), *nb;

	if (buf == NULL)
		return NULL;
	while ((n = fread(buf + len, 1, cap - len, stdin)) > 0) {
		len += n;
		if (len < cap)
			continue;
		if (cap >= JSONPRETTY_MAX_INPUT ||
		    (nb = realloc(buf, cap * 2 + 1)) == NULL) {
			free(buf);
			return NULL;
		}
		buf = nb;
		cap *= 2;
	}
	buf[len] = '\0';
	*len_out = len;
	return buf;
}

static void
jsonpretty_newline(FILE *out, int depth)
{
	(void)fputc('\n', out);
	for (int i = 0; i < depth; i++)
		(void)fputs("  ", out);
}

/* jsonpretty_next - the first byte at or after i that is no white space */
static size_t
jsonpretty_next(const char *s, size_t len, size_t i)
{
	while (i < len && strchr(" \t\r\n", s[i]) != NULL)
		i++;
	return i;
}

/* jsonpretty_write - s (checked valid) with white space between tokens
 * replaced by the indentation */
static void
jsonpretty_write(const char *s, size_t len, FILE *out)
{
	int depth = 0;

	for (size_t i = jsonpretty_next(s, len, 0); i < len;
	     i = jsonpretty_next(s, len, i)) {
		char c = s[i];
		size_t k;

		if (c == '"') {
			/* a string, escapes included, as it is */
			for (k = i + 1; k < len && s[k] != '"'; k++)
				k += s[k] == '\\';
			(void)fwrite(s + i, 1, k + 1 - i, out);
			i = k + 1;
		} else if (c == '{' || c == '[') {
			k = jsonpretty_next(s, len, i + 1);
			(void)fputc(c, out);
			if (k < len && (s[k] == '}' || s[k] == ']')) {
				(void)fputc(s[k], out);
				i = k + 1;
				continue;
			}
			jsonpretty_newline(out, ++depth);
			i++;
		} else if (c == '}' || c == ']') {
			jsonpretty_newline(out, --depth);
			(void)fputc(c, out);
			i++;
		} else if (c == ',') {
			(void)fputc(',', out);
			jsonpretty_newline(out, depth);
			i++;
		} else if (c == ':') {
			(void)fputs(": ", out);
			i++;
		} else {
			/* a number, true, false or null */
			for (k = i;
			     k < len && strchr(" \t\r\n,:]}", s[k]) == NULL;
			     k++)
				;
			(void)fwrite(s + i, 1, k - i, out);
			i = k;
		}
	}
	(void)fputc('\n', out);
}

int
main(void)
{
	size_t len = 0;
	char *s = jsonpretty_read(&len);
	json_error_t err;
	json_t *doc;

	if (s == NULL) {
		(void)fprintf(stderr, "jsonpretty: input too large\n");
		return 1;
	}
	doc = json_loadb(s, len, JSON_REJECT_DUPLICATES, &err);
	if (doc == NULL) {
		(void)fprintf(stderr, "jsonpretty: line %d column %d: %s\n",
		    err.line, err.column, err.text);
		free(s);
		return 1;
	}
	json_decref(doc);
	jsonpretty_write(s, len, stdout);
	free(s);
	return fflush(stdout) == 0 ? 0 : 1;
}
