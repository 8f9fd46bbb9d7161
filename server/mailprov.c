/* SPDX-License-Identifier: MIT */
/*
 * mailprov.c - reading rules/providers.json
 *
 * Every entry is checked before the service starts: known keys only, a
 * name, a domain name to include, at least one host name pattern and a
 * lookup cost within RFC 7208's limit. The first bad entry stops the load
 * with the file and where. Not here: matching a host name against the
 * patterns (spffix_provider.c), which is SPF's business.
 */
#include "mailprov.h"

#include <stdio.h>
#include <string.h>

#include "ascii.h"
#include "jsonload.h"

#define MAILPROV_MAX_NAME 253 /* RFC 1035 §2.3.4, as text */

static const char *const mailprov_top_keys[] = { "providers", NULL };
static const char *const mailprov_keys[] = { "name", "include", "ptr",
	"lookups", NULL };

/* mailprov_host_ok - letters, digits, '-', '_', '.' and, in a pattern,
 * '*'; not empty, no empty label, not too long */
static int
mailprov_host_ok(const char *s, int pattern)
{
	size_t len = strlen(s);

	if (len == 0 || len > MAILPROV_MAX_NAME || s[0] == '.' ||
	    strstr(s, "..") != NULL)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (!ascii_is_alnum(c) && c != '-' && c != '_' && c != '.' &&
		    !(pattern && c == '*'))
			return 0;
	}
	return 1;
}

/* mailprov_string - a non-empty string, copied to the arena */
static const char *
mailprov_string(json_t *v, struct arena *a)
{
	const char *s = json_string_value(v);

	if (s == NULL || s[0] == '\0')
		return NULL;
	return arena_strndup(a, s, strlen(s));
}

/* mailprov_patterns - the "ptr" list of one entry */
static int
mailprov_patterns(json_t *v, struct arena *a, struct mailprov *p,
    const char *path, const char *where, char **err_out)
{
	const char **pats;
	char at[96];

	if (!json_is_array(v) || json_array_size(v) == 0)
		return jsonload_err(err_out, path, where,
		    "\"ptr\" must be a non-empty list of host name patterns");
	pats = arena_alloc(a, json_array_size(v) * sizeof(*pats));
	for (size_t i = 0; i < json_array_size(v); i++) {
		const char *s = mailprov_string(json_array_get(v, i), a);

		(void)snprintf(at, sizeof(at), "%s.ptr[%zu]", where, i);
		if (s == NULL || !mailprov_host_ok(s[0] == '!' ? s + 1 : s, 1))
			return jsonload_err(err_out, path, at,
			    "expected a host name pattern (letters, digits, "
			    "'-', '.', '*'; '!' first to exclude)");
		pats[i] = s;
	}
	p->ptr = pats;
	p->nptr = json_array_size(v);
	return 0;
}

/* mailprov_entry - one provider */
static int
mailprov_entry(json_t *v, struct arena *a, struct mailprov *p, const char *path,
    const char *where, char **err_out)
{
	json_t *lk;

	if (!json_is_object(v))
		return jsonload_err(err_out, path, where, "expected an object");
	if (jsonload_keys(v, mailprov_keys, path, where, err_out) == -1)
		return -1;
	if ((p->name = mailprov_string(json_object_get(v, "name"), a)) == NULL)
		return jsonload_err(err_out, path, where,
		    "\"name\" must be a non-empty string");
	p->include = mailprov_string(json_object_get(v, "include"), a);
	if (p->include == NULL || !mailprov_host_ok(p->include, 0))
		return jsonload_err(err_out, path, where,
		    "\"include\" must be a domain name");
	if (mailprov_patterns(json_object_get(v, "ptr"), a, p, path, where,
	        err_out) == -1)
		return -1;
	lk = json_object_get(v, "lookups");
	if (!json_is_integer(lk) || json_integer_value(lk) < 1 ||
	    json_integer_value(lk) > MAILPROV_MAX_LOOKUPS)
		return jsonload_err(err_out, path, where,
		    "\"lookups\" must be a whole number from 1 to %d",
		    MAILPROV_MAX_LOOKUPS);
	p->lookups = (unsigned)json_integer_value(lk);
	return 0;
}

int
mailprov_load(const char *path, struct arena *a, struct mailprov_table *out,
    char **err_out)
{
	json_t *doc, *list;
	struct mailprov *v;
	size_t n;
	char where[64];
	int rc = -1;

	if ((doc = jsonload_file(path, err_out)) == NULL)
		return -1;
	if (jsonload_keys(doc, mailprov_top_keys, path, "top level", err_out) ==
	    -1)
		goto out;
	list = json_object_get(doc, "providers");
	if (!json_is_array(list)) {
		(void)jsonload_err(err_out, path, "providers",
		    "expected a list of providers");
		goto out;
	}
	n = json_array_size(list);
	v = arena_zalloc(a, (n + 1) * sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		(void)snprintf(where, sizeof(where), "providers[%zu]", i);
		if (mailprov_entry(json_array_get(list, i), a, &v[i], path,
		        where, err_out) == -1)
			goto out;
		for (size_t j = 0; j < i; j++) {
			if (strcmp(v[j].name, v[i].name) == 0) {
				(void)jsonload_err(err_out, path, where,
				    "provider \"%s\" is already listed",
				    v[i].name);
				goto out;
			}
		}
	}
	out->v = v;
	out->n = n;
	rc = 0;
out:
	json_decref(doc);
	return rc;
}
