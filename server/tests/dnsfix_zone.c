/* SPDX-License-Identifier: MIT */
/*
 * dnsfix_zone.c - the fixture DNS server's zones: building, JSON zone
 * files, and the answer to one query
 *
 * Names are keyed by their wire form, lowercased, in a hash table, so
 * "Example.COM.", "example.com" and "\069xample.com" are one name. Each
 * record keeps its RDATA in wire form and its position among the name's
 * entries, which is what the TIMEOUT marker compares with. Answers are
 * computed from the zone on every query; nothing is cached.
 * Not here: sockets, delays and counters (dnsfix.c), the wire format
 * (dnsmsg.c).
 */
#include "dnsfix.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "log.h"
#include "xmalloc.h"

#define DNSFIX_BUCKETS 1024u

struct dnsfix_rec {
	uint16_t type;
	uint32_t ttl;
	size_t pos; /* entry index within the name */
	uint8_t *rdata;
	size_t rdlen;
	char *target; /* CNAME: the name to chase, as text */
};

struct dnsfix_name {
	struct dnsfix_name *next; /* hash chain */
	uint8_t key[DNSMSG_MAX_NAME];
	size_t keylen;
	char *text; /* as given, without a final dot */
	struct dnsfix_rec *recs;
	size_t nrecs, caprecs;
	size_t nentries;   /* entries so far, markers included */
	size_t timeout_at; /* entry index of the TIMEOUT marker, or SIZE_MAX */
	bool has_txt;      /* a TXT entry of its own, NONE included */
};

struct dnsfix_rule {
	struct dnsfix_rule *next;
	uint8_t key[DNSMSG_MAX_NAME];
	size_t keylen;
	struct dnsfix_behaviour b;
};

struct dnsfix_zone {
	struct dnsfix_name *buckets[DNSFIX_BUCKETS];
	struct dnsfix_rule *rules;
	struct dnsfix_behaviour all;
	uint32_t negative_ttl;
};

/* dnsfix_key - a name as text to its lowercased wire form */
static int
dnsfix_key(const char *name, uint8_t *key, size_t *keylen_out)
{
	int n = dnsmsg_rdata_name(name, key, DNSMSG_MAX_NAME);

	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		if (key[i] >= 'A' && key[i] <= 'Z')
			key[i] = (uint8_t)(key[i] + ('a' - 'A'));
	}
	*keylen_out = (size_t)n;
	return 0;
}

static unsigned
dnsfix_hash(const uint8_t *key, size_t len)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ key[i]) * 16777619u;
	return h % DNSFIX_BUCKETS;
}

struct dnsfix_zone *
dnsfix_zone_new(void)
{
	struct dnsfix_zone *z = xcalloc(1, sizeof(*z));

	z->negative_ttl = DNSFIX_NEGATIVE_TTL;
	return z;
}

void
dnsfix_zone_free(struct dnsfix_zone *z)
{
	struct dnsfix_name *n, *nnext;
	struct dnsfix_rule *r, *rnext;

	if (z == NULL)
		return;
	for (size_t b = 0; b < DNSFIX_BUCKETS; b++) {
		for (n = z->buckets[b]; n != NULL; n = nnext) {
			nnext = n->next;
			for (size_t i = 0; i < n->nrecs; i++) {
				free(n->recs[i].rdata);
				free(n->recs[i].target);
			}
			free(n->recs);
			free(n->text);
			free(n);
		}
	}
	for (r = z->rules; r != NULL; r = rnext) {
		rnext = r->next;
		free(r);
	}
	free(z);
}

static struct dnsfix_name *
dnsfix_lookup(const struct dnsfix_zone *z, const uint8_t *key, size_t keylen)
{
	struct dnsfix_name *n;

	if (z == NULL)
		return NULL;
	for (n = z->buckets[dnsfix_hash(key, keylen)]; n != NULL; n = n->next) {
		if (n->keylen == keylen && memcmp(n->key, key, keylen) == 0)
			return n;
	}
	return NULL;
}

/* dnsfix_name_get - the entry of name, created when missing; NULL for an
 * invalid name */
static struct dnsfix_name *
dnsfix_name_get(struct dnsfix_zone *z, const char *name)
{
	uint8_t key[DNSMSG_MAX_NAME];
	size_t keylen, len = strlen(name);
	struct dnsfix_name *n;
	unsigned h;

	if (dnsfix_key(name, key, &keylen) == -1)
		return NULL;
	n = dnsfix_lookup(z, key, keylen);
	if (n != NULL)
		return n;
	n = xcalloc(1, sizeof(*n));
	memcpy(n->key, key, keylen);
	n->keylen = keylen;
	if (len > 1 && name[len - 1] == '.' && name[len - 2] != '\\')
		len--;
	n->text = xstrndup(name, len);
	n->timeout_at = SIZE_MAX;
	h = dnsfix_hash(key, keylen);
	n->next = z->buckets[h];
	z->buckets[h] = n;
	return n;
}

int
dnsfix_add_name(struct dnsfix_zone *z, const char *name)
{
	return dnsfix_name_get(z, name) == NULL ? -1 : 0;
}

/* dnsfix_add - append a record with RDATA (copied) to name */
static int
dnsfix_add(struct dnsfix_zone *z, const char *name, uint16_t type, uint32_t ttl,
    const uint8_t *rdata, size_t rdlen, const char *target)
{
	struct dnsfix_name *n;
	struct dnsfix_rec *r;

	if (rdlen > UINT16_MAX)
		return -1;
	n = dnsfix_name_get(z, name);
	if (n == NULL)
		return -1;
	if (n->nrecs == n->caprecs) {
		n->caprecs = n->caprecs == 0 ? 4 : 2 * n->caprecs;
		n->recs = xrealloc(n->recs, n->caprecs * sizeof(*n->recs));
	}
	r = &n->recs[n->nrecs++];
	r->type = type;
	r->ttl = ttl;
	r->pos = n->nentries++;
	r->rdata = xmalloc(rdlen + 1);
	if (rdlen > 0)
		memcpy(r->rdata, rdata, rdlen);
	r->rdlen = rdlen;
	r->target = target != NULL ? xstrdup(target) : NULL;
	if (type == DNSMSG_T_TXT)
		n->has_txt = true;
	return 0;
}

int
dnsfix_add_rr(struct dnsfix_zone *z, const char *name, uint16_t type,
    uint32_t ttl, const uint8_t *rdata, size_t rdlen)
{
	return dnsfix_add(z, name, type, ttl, rdata, rdlen, NULL);
}

int
dnsfix_add_a(struct dnsfix_zone *z, const char *name, uint32_t ttl,
    const char *addr)
{
	uint8_t a[4];

	if (inet_pton(AF_INET, addr, a) != 1)
		return -1;
	return dnsfix_add(z, name, DNSMSG_T_A, ttl, a, sizeof(a), NULL);
}

int
dnsfix_add_aaaa(struct dnsfix_zone *z, const char *name, uint32_t ttl,
    const char *addr)
{
	uint8_t a[16];

	if (inet_pton(AF_INET6, addr, a) != 1)
		return -1;
	return dnsfix_add(z, name, DNSMSG_T_AAAA, ttl, a, sizeof(a), NULL);
}

int
dnsfix_add_mx(struct dnsfix_zone *z, const char *name, uint32_t ttl,
    uint16_t preference, const char *host)
{
	uint8_t rd[2 + DNSMSG_MAX_NAME];
	int n = dnsmsg_rdata_mx(preference, host, rd, sizeof(rd));

	if (n < 0)
		return -1;
	return dnsfix_add(z, name, DNSMSG_T_MX, ttl, rd, (size_t)n, NULL);
}

/* dnsfix_add_target - a record whose RDATA is one name: PTR, NS, CNAME
 * (whose target the server chases) */
static int
dnsfix_add_target(struct dnsfix_zone *z, const char *name, uint16_t type,
    uint32_t ttl, const char *target)
{
	uint8_t rd[DNSMSG_MAX_NAME];
	int n = dnsmsg_rdata_name(target, rd, sizeof(rd));

	if (n < 0)
		return -1;
	return dnsfix_add(z, name, type, ttl, rd, (size_t)n,
	    type == DNSMSG_T_CNAME ? target : NULL);
}

int
dnsfix_add_ptr(struct dnsfix_zone *z, const char *name, uint32_t ttl,
    const char *target)
{
	return dnsfix_add_target(z, name, DNSMSG_T_PTR, ttl, target);
}

int
dnsfix_add_ns(struct dnsfix_zone *z, const char *name, uint32_t ttl,
    const char *target)
{
	return dnsfix_add_target(z, name, DNSMSG_T_NS, ttl, target);
}

int
dnsfix_add_cname(struct dnsfix_zone *z, const char *name, uint32_t ttl,
    const char *target)
{
	return dnsfix_add_target(z, name, DNSMSG_T_CNAME, ttl, target);
}

int
dnsfix_add_strings(struct dnsfix_zone *z, const char *name, uint16_t type,
    uint32_t ttl, const struct span *strings, size_t n)
{
	uint8_t *rd = xmalloc(UINT16_MAX);
	size_t len = 0;
	int rc = -1, m;

	for (size_t i = 0; i < n; i++) {
		m = dnsmsg_rdata_txt(strings[i].ptr, strings[i].len, rd + len,
		    UINT16_MAX - len);
		if (m < 0)
			goto out;
		len += (size_t)m;
	}
	rc = dnsfix_add(z, name, type, ttl, rd, len, NULL);
out:
	free(rd);
	return rc;
}

int
dnsfix_add_txt(struct dnsfix_zone *z, const char *name, uint32_t ttl,
    const char *s)
{
	struct span one = span_cstr(s);

	return dnsfix_add_strings(z, name, DNSMSG_T_TXT, ttl, &one, 1);
}

int
dnsfix_add_spf(struct dnsfix_zone *z, const char *name, uint32_t ttl,
    const char *s)
{
	struct span one = span_cstr(s);

	return dnsfix_add_strings(z, name, DNSMSG_T_SPF, ttl, &one, 1);
}

int
dnsfix_add_txt_none(struct dnsfix_zone *z, const char *name)
{
	struct dnsfix_name *n = dnsfix_name_get(z, name);

	if (n == NULL)
		return -1;
	n->has_txt = true;
	n->nentries++;
	return 0;
}

int
dnsfix_add_timeout(struct dnsfix_zone *z, const char *name)
{
	struct dnsfix_name *n = dnsfix_name_get(z, name);

	if (n == NULL)
		return -1;
	if (n->timeout_at == SIZE_MAX)
		n->timeout_at = n->nentries;
	n->nentries++;
	return 0;
}

int
dnsfix_zone_behaviour(struct dnsfix_zone *z, const char *name,
    const struct dnsfix_behaviour *b)
{
	uint8_t key[DNSMSG_MAX_NAME];
	size_t keylen;
	struct dnsfix_rule *r;

	if (name == NULL || strcmp(name, "*") == 0) {
		z->all = *b;
		return 0;
	}
	if (dnsfix_key(name, key, &keylen) == -1)
		return -1;
	for (r = z->rules; r != NULL; r = r->next) {
		if (r->keylen == keylen && memcmp(r->key, key, keylen) == 0) {
			r->b = *b;
			return 0;
		}
	}
	r = xcalloc(1, sizeof(*r));
	memcpy(r->key, key, keylen);
	r->keylen = keylen;
	r->b = *b;
	r->next = z->rules;
	z->rules = r;
	return 0;
}

void
dnsfix_zone_negative_ttl(struct dnsfix_zone *z, uint32_t ttl)
{
	z->negative_ttl = ttl;
}

/*
 * JSON zone files (the format is in dnsfix.h).
 */

struct dnsfix_load {
	struct dnsfix_zone *z;
	const char *what;
	char **err_out;
};

__attribute__((format(printf, 3, 4))) static int
dnsfix_load_err(struct dnsfix_load *l, const char *where, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	*l->err_out = xasprintf("%s: %s: %s", l->what, where, msg);
	return -1;
}

/* dnsfix_load_u32 - a JSON integer in [0, max] */
static int
dnsfix_load_u32(json_t *v, uint32_t max, uint32_t *out)
{
	json_int_t i;

	if (!json_is_integer(v))
		return -1;
	i = json_integer_value(v);
	if (i < 0 || (uint64_t)i > max)
		return -1;
	*out = (uint32_t)i;
	return 0;
}

/* dnsfix_load_strings - a TXT/SPF value: a string or a list of them */
static int
dnsfix_load_strings(struct dnsfix_load *l, const char *name, const char *type,
    json_t *v, uint32_t ttl, const char *where)
{
	uint16_t t = strcmp(type, "TXT") == 0 ? DNSMSG_T_TXT : DNSMSG_T_SPF;
	struct span *strs;
	size_t n;
	int rc;

	if (json_is_string(v)) {
		struct span one =
		    span_make(json_string_value(v), json_string_length(v));

		if (t == DNSMSG_T_TXT && span_eq_cstr(one, "NONE"))
			return dnsfix_add_txt_none(l->z, name);
		return dnsfix_add_strings(l->z, name, t, ttl, &one, 1);
	}
	if (!json_is_array(v))
		return dnsfix_load_err(l, where,
		    "%s wants a string or a list of strings", type);
	n = json_array_size(v);
	strs = xcalloc(n + 1, sizeof(*strs));
	for (size_t i = 0; i < n; i++) {
		json_t *s = json_array_get(v, i);

		if (!json_is_string(s)) {
			free(strs);
			return dnsfix_load_err(l, where,
			    "%s list item %zu is not a string", type, i);
		}
		strs[i] =
		    span_make(json_string_value(s), json_string_length(s));
	}
	rc = dnsfix_add_strings(l->z, name, t, ttl, strs, n);
	free(strs);
	return rc;
}

/* dnsfix_load_record - {"TYPE": value, "ttl": N} */
static int
dnsfix_load_record(struct dnsfix_load *l, const char *name, json_t *rec,
    const char *where)
{
	const char *type = NULL, *k, *s;
	json_t *v, *val = NULL;
	uint32_t ttl = DNSFIX_TTL, pref;
	int rc;

	json_object_foreach(rec, k, v)
	{
		if (strcmp(k, "ttl") == 0) {
			if (dnsfix_load_u32(v, INT32_MAX, &ttl) == -1)
				return dnsfix_load_err(l, where,
				    "ttl must be an integer 0..2147483647");
		} else if (type != NULL) {
			return dnsfix_load_err(l, where,
			    "one type per entry (%s and %s)", type, k);
		} else {
			type = k;
			val = v;
		}
	}
	if (type == NULL)
		return dnsfix_load_err(l, where, "an entry without a type");
	if (strcmp(type, "TXT") == 0 || strcmp(type, "SPF") == 0) {
		rc = dnsfix_load_strings(l, name, type, val, ttl, where);
		goto out;
	}
	if (strcmp(type, "MX") == 0) {
		json_t *host = json_array_get(val, 1);

		if (!json_is_array(val) || json_array_size(val) != 2 ||
		    dnsfix_load_u32(json_array_get(val, 0), UINT16_MAX,
		        &pref) == -1 ||
		    !json_is_string(host))
			return dnsfix_load_err(l, where,
			    "MX wants [preference, host]");
		rc = dnsfix_add_mx(l->z, name, ttl, (uint16_t)pref,
		    json_string_value(host));
		goto out;
	}
	if (!json_is_string(val))
		return dnsfix_load_err(l, where, "%s wants a string", type);
	s = json_string_value(val);
	if (strcmp(type, "A") == 0)
		rc = dnsfix_add_a(l->z, name, ttl, s);
	else if (strcmp(type, "AAAA") == 0)
		rc = dnsfix_add_aaaa(l->z, name, ttl, s);
	else if (strcmp(type, "PTR") == 0)
		rc = dnsfix_add_ptr(l->z, name, ttl, s);
	else if (strcmp(type, "NS") == 0)
		rc = dnsfix_add_ns(l->z, name, ttl, s);
	else if (strcmp(type, "CNAME") == 0)
		rc = dnsfix_add_cname(l->z, name, ttl, s);
	else
		return dnsfix_load_err(l, where, "unknown record type %s",
		    type);
out:
	if (rc == -1 && *l->err_out == NULL)
		return dnsfix_load_err(l, where, "invalid %s record", type);
	return rc;
}

static int
dnsfix_load_names(struct dnsfix_load *l, json_t *names)
{
	const char *name;
	json_t *list;
	char where[DNSMSG_MAX_TEXT + 64];

	if (!json_is_object(names))
		return dnsfix_load_err(l, "names", "must be an object");
	json_object_foreach(names, name, list)
	{
		size_t i;
		json_t *e;

		(void)snprintf(where, sizeof(where), "names.%s", name);
		if (!json_is_array(list))
			return dnsfix_load_err(l, where, "must be a list");
		if (dnsfix_add_name(l->z, name) == -1)
			return dnsfix_load_err(l, where, "invalid name");
		json_array_foreach(list, i, e)
		{
			(void)snprintf(where, sizeof(where), "names.%s[%zu]",
			    name, i);
			if (json_is_string(e) &&
			    strcmp(json_string_value(e), "TIMEOUT") == 0) {
				(void)dnsfix_add_timeout(l->z, name);
				continue;
			}
			if (!json_is_object(e))
				return dnsfix_load_err(l, where,
				    "an entry is \"TIMEOUT\" or an object");
			if (dnsfix_load_record(l, name, e, where) == -1)
				return -1;
		}
	}
	return 0;
}

static int
dnsfix_load_behaviour(struct dnsfix_load *l, json_t *obj)
{
	const char *name, *k;
	json_t *bo, *v;
	char where[DNSMSG_MAX_TEXT + 64];

	if (!json_is_object(obj))
		return dnsfix_load_err(l, "behaviour", "must be an object");
	json_object_foreach(obj, name, bo)
	{
		struct dnsfix_behaviour b;

		memset(&b, 0, sizeof(b));
		(void)snprintf(where, sizeof(where), "behaviour.%s", name);
		if (!json_is_object(bo))
			return dnsfix_load_err(l, where, "must be an object");
		json_object_foreach(bo, k, v)
		{
			bool *flag = strcmp(k, "drop") == 0 ? &b.drop :
			    strcmp(k, "servfail") == 0      ? &b.servfail :
			    strcmp(k, "refused") == 0       ? &b.refused :
			    strcmp(k, "nxdomain") == 0      ? &b.nxdomain :
			    strcmp(k, "truncate") == 0      ? &b.truncate :
			                                      NULL;

			if (flag != NULL && json_is_boolean(v)) {
				*flag = json_is_true(v);
			} else if (strcmp(k, "delay_ms") == 0) {
				if (dnsfix_load_u32(v, DNSFIX_MAX_DELAY_MS,
				        &b.delay_ms) == -1)
					return dnsfix_load_err(l, where,
					    "delay_ms must be 0..%u",
					    DNSFIX_MAX_DELAY_MS);
			} else {
				return dnsfix_load_err(l, where,
				    "unknown or invalid key %s", k);
			}
		}
		if (dnsfix_zone_behaviour(l->z, name, &b) == -1)
			return dnsfix_load_err(l, where, "invalid name");
	}
	return 0;
}

static struct dnsfix_zone *
dnsfix_load_doc(json_t *doc, const char *what, char **err_out)
{
	struct dnsfix_load l = { dnsfix_zone_new(), what, err_out };
	const char *k;
	json_t *v;
	uint32_t ttl;

	*err_out = NULL;
	if (!json_is_object(doc)) {
		(void)dnsfix_load_err(&l, "top level", "must be an object");
		goto fail;
	}
	json_object_foreach(doc, k, v)
	{
		if (strcmp(k, "names") == 0) {
			if (dnsfix_load_names(&l, v) == -1)
				goto fail;
		} else if (strcmp(k, "behaviour") == 0) {
			if (dnsfix_load_behaviour(&l, v) == -1)
				goto fail;
		} else if (strcmp(k, "negative_ttl") == 0) {
			if (dnsfix_load_u32(v, INT32_MAX, &ttl) == -1) {
				(void)dnsfix_load_err(&l, k,
				    "must be an integer 0..2147483647");
				goto fail;
			}
			dnsfix_zone_negative_ttl(l.z, ttl);
		} else {
			(void)dnsfix_load_err(&l, "top level", "unknown key %s",
			    k);
			goto fail;
		}
	}
	return l.z;
fail:
	dnsfix_zone_free(l.z);
	return NULL;
}

static struct dnsfix_zone *
dnsfix_load_result(json_t *doc, const json_error_t *jerr, const char *what,
    char **err_out)
{
	struct dnsfix_zone *z;

	if (doc == NULL) {
		*err_out =
		    xasprintf("%s: line %d: %s", what, jerr->line, jerr->text);
		return NULL;
	}
	z = dnsfix_load_doc(doc, what, err_out);
	json_decref(doc);
	return z;
}

struct dnsfix_zone *
dnsfix_zone_load(const char *path, char **err_out)
{
	json_error_t jerr;
	/* JSON_ALLOW_NUL: "\u0000" is a NUL inside a TXT string */
	json_t *doc = json_load_file(path,
	    JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);

	return dnsfix_load_result(doc, &jerr, path, err_out);
}

struct dnsfix_zone *
dnsfix_zone_load_json(const char *text, size_t len, const char *what,
    char **err_out)
{
	json_error_t jerr;
	json_t *doc = json_loadb(text, len,
	    JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);

	return dnsfix_load_result(doc, &jerr, what, err_out);
}

/*
 * Answering.
 */

/* dnsfix_behaviour_of - server-wide, zone-wide and per-name, added up */
static struct dnsfix_behaviour
dnsfix_behaviour_of(const struct dnsfix_zone *z,
    const struct dnsfix_behaviour *global, const uint8_t *key, size_t keylen)
{
	struct dnsfix_behaviour b, parts[3];
	const struct dnsfix_rule *r;
	size_t n = 0;

	memset(&b, 0, sizeof(b));
	if (global != NULL)
		parts[n++] = *global;
	if (z != NULL) {
		parts[n++] = z->all;
		for (r = z->rules; r != NULL; r = r->next) {
			if (r->keylen == keylen &&
			    memcmp(r->key, key, keylen) == 0) {
				parts[n++] = r->b;
				break;
			}
		}
	}
	for (size_t i = 0; i < n; i++) {
		b.drop |= parts[i].drop;
		b.servfail |= parts[i].servfail;
		b.refused |= parts[i].refused;
		b.nxdomain |= parts[i].nxdomain;
		b.truncate |= parts[i].truncate;
		if (parts[i].delay_ms > b.delay_ms)
			b.delay_ms = parts[i].delay_ms;
	}
	return b;
}

/* dnsfix_served - is rec served for qtype? SPF records also answer TXT
 * queries unless the name has a TXT entry of its own; nothing after the
 * TIMEOUT marker is served */
static bool
dnsfix_served(const struct dnsfix_name *n, const struct dnsfix_rec *rec,
    uint16_t qtype)
{
	if (rec->pos >= n->timeout_at)
		return false;
	if (rec->type == qtype)
		return true;
	return qtype == DNSMSG_T_TXT && rec->type == DNSMSG_T_SPF &&
	    !n->has_txt;
}

/* dnsfix_write_soa - the SOA of a negative answer (RFC 2308 §3): the
 * fixture is authoritative for every name, so the owner is the root */
static int
dnsfix_write_soa(const struct dnsfix_zone *z, struct dnsmsg_writer *w)
{
	uint32_t neg = z != NULL ? z->negative_ttl : DNSFIX_NEGATIVE_TTL;
	struct dnsmsg_soa soa = { "ns.fixture.invalid",
		"hostmaster.fixture.invalid", 1, 3600, 600, 86400, neg };
	uint8_t rd[2 * DNSMSG_MAX_NAME + 20];
	int n = dnsmsg_rdata_soa(&soa, rd, sizeof(rd));

	ASSERT(n > 0);
	return dnsmsg_write_authority(w, "", DNSMSG_T_SOA, neg, rd, (size_t)n);
}

/* dnsfix_resolve_root - the built-in root of a zone that does not name
 * "." (RFC 1034 §4.3.2: a resolver always knows the root's servers): its
 * NS record, NODATA for any other type. Returns 0, or -1 when full. */
static int
dnsfix_resolve_root(const struct dnsfix_zone *z, uint16_t qtype,
    struct dnsmsg_writer *w)
{
	uint8_t rd[DNSMSG_MAX_NAME];
	int n;

	if (qtype != DNSMSG_T_NS)
		return dnsfix_write_soa(z, w);
	n = dnsmsg_rdata_name(DNSFIX_ROOT_NS, rd, sizeof(rd));
	ASSERT(n > 0);
	return dnsmsg_write_rr(w, "", DNSMSG_T_NS, DNSFIX_TTL, rd, (size_t)n);
}

/*
 * dnsfix_resolve - the records for (qname, qtype) after the question in
 * w, chasing CNAMEs; sets *rcode. Returns 0, 1 when no answer must be sent
 * (TIMEOUT marker), -1 when the message is full.
 */
static int
dnsfix_resolve(const struct dnsfix_zone *z, const char *qname, uint16_t qtype,
    struct dnsmsg_writer *w, uint16_t *rcode)
{
	uint8_t key[DNSMSG_MAX_NAME];
	size_t keylen;
	const char *owner = qname;

	*rcode = DNSMSG_RCODE_NOERROR;
	for (unsigned hops = 0;; hops++) {
		const struct dnsfix_name *n;
		const struct dnsfix_rec *cname = NULL;
		size_t found = 0;

		if (dnsfix_key(owner, key, &keylen) == -1)
			return -1;
		n = dnsfix_lookup(z, key, keylen);
		if (n == NULL && keylen == 1)
			return dnsfix_resolve_root(z, qtype, w);
		if (n == NULL) {
			*rcode = DNSMSG_RCODE_NXDOMAIN;
			return dnsfix_write_soa(z, w);
		}
		for (size_t i = 0; i < n->nrecs; i++) {
			const struct dnsfix_rec *rec = &n->recs[i];

			if (dnsfix_served(n, rec, qtype)) {
				/* an SPF record copied as TXT keeps its
				 * RDATA; the type is the asked one */
				if (dnsmsg_write_rr(w, owner, qtype, rec->ttl,
				        rec->rdata, rec->rdlen) == -1)
					return -1;
				found++;
			} else if (rec->type == DNSMSG_T_CNAME &&
			    rec->pos < n->timeout_at && cname == NULL) {
				cname = rec;
			}
		}
		if (found > 0)
			return 0;
		if (cname == NULL) {
			if (n->timeout_at != SIZE_MAX)
				return 1;
			return dnsfix_write_soa(z, w);
		}
		if (hops == DNSFIX_MAX_CNAMES) {
			*rcode = DNSMSG_RCODE_SERVFAIL;
			return 0;
		}
		if (dnsmsg_write_rr(w, owner, DNSMSG_T_CNAME, cname->ttl,
		        cname->rdata, cname->rdlen) == -1)
			return -1;
		owner = cname->target;
	}
}

/* The header words of an answer, taken from the query. */
struct dnsfix_hdr {
	uint16_t id;
	uint16_t flags; /* QR, AA, RA, and RD as asked */
	uint16_t edns;  /* the query's EDNS payload size; 0 without OPT */
};

/* dnsfix_reply_header - header and question only, e.g. an error or TC */
static void
dnsfix_reply_header(struct dnsmsg_writer *w, const struct dnsfix_hdr *h,
    uint16_t extra, const struct dnsfix_reply *r)
{
	uint16_t flags = (uint16_t)(h->flags | extra);

	/* the question came from a query that fit, so this fits too */
	if (dnsmsg_write_header(w, h->id, flags,
	        r->has_question ? r->qname : NULL, r->qtype) == -1)
		ASSERT(dnsmsg_write_header(w, h->id, flags, NULL, 0) == 0);
	if (h->edns > 0)
		(void)dnsmsg_write_opt(w, DNSFIX_EDNS_MAX);
}

/* dnsfix_limit - the largest answer: RFC 1035 §4.2.1 for UDP, or what
 * the query's OPT allows (RFC 6891 §6.2.5) up to DNSFIX_EDNS_MAX */
static size_t
dnsfix_limit(const struct dnsfix_hdr *h, bool tcp)
{
	if (tcp)
		return DNSMSG_MAX_MSG;
	if (h->edns == 0)
		return DNSMSG_UDP_MAX;
	return h->edns > DNSFIX_EDNS_MAX ? DNSFIX_EDNS_MAX : h->edns;
}

/* dnsfix_reply_records - the zone's answer to the question in at most
 * limit octets, or TC without records when it does not fit. Returns false when nothing must be sent (the
 * TIMEOUT marker). */
static bool
dnsfix_reply_records(const struct dnsfix_zone *z, const struct dnsfix_hdr *h,
    bool nxdomain, size_t limit, uint8_t *out, size_t cap,
    struct dnsmsg_writer *w, struct dnsfix_reply *reply)
{
	uint16_t rcode = DNSMSG_RCODE_NOERROR;
	int rc;

	dnsmsg_writer_init(w, out, cap < limit ? cap : limit);
	(void)dnsmsg_write_header(w, h->id, h->flags, reply->qname,
	    reply->qtype);
	if (nxdomain) {
		/* the lie, shaped like the truth: NXDOMAIN with an SOA */
		rcode = DNSMSG_RCODE_NXDOMAIN;
		rc = dnsfix_write_soa(z, w);
	} else {
		rc = dnsfix_resolve(z, reply->qname, reply->qtype, w, &rcode);
	}
	if (rc == 1) {
		reply->why = "timeout";
		return false;
	}
	if (rc == 0 && rcode == DNSMSG_RCODE_SERVFAIL) {
		dnsfix_reply_header(w, h, rcode, reply);
		reply->why = "cname-loop";
		return true;
	}
	if (rc == 0 && h->edns > 0)
		rc = dnsmsg_write_opt(w, DNSFIX_EDNS_MAX);
	if (rc == -1) {
		dnsmsg_writer_init(w, out, cap);
		dnsfix_reply_header(w, h, DNSMSG_F_TC, reply);
		reply->why = "too-large";
		return true;
	}
	/* the RCODE goes in once the answer is known */
	out[3] = (uint8_t)(out[3] | rcode);
	reply->why = nxdomain ? "nxdomain" : "answer";
	return true;
}

void
dnsfix_zone_reply(const struct dnsfix_zone *z,
    const struct dnsfix_behaviour *global, struct span query, bool tcp,
    uint8_t *out, size_t cap, struct dnsfix_reply *reply)
{
	const uint8_t *q = (const uint8_t *)query.ptr;
	struct dnsfix_hdr h = { 0, 0, 0 };
	struct dnsmsg_writer w;
	struct dnsfix_behaviour b;
	uint8_t key[DNSMSG_MAX_NAME];
	size_t keylen;
	uint16_t qflags, rcode;

	memset(reply, 0, sizeof(*reply));
	reply->why = "unreadable";
	if (query.len < DNSMSG_HEADER_LEN)
		return;
	h.id = (uint16_t)(q[0] << 8 | q[1]);
	qflags = (uint16_t)(q[2] << 8 | q[3]);
	if ((qflags & DNSMSG_F_QR) != 0) {
		reply->why = "response"; /* never answer an answer */
		return;
	}
	h.flags = (uint16_t)(DNSMSG_F_QR | DNSMSG_F_AA | DNSMSG_F_RA |
	    (qflags & DNSMSG_F_RD));
	dnsmsg_writer_init(&w, out, cap);
	if (dnsmsg_read_question(query, &h.id, reply->qname, &reply->qtype,
	        &qflags) == -1 ||
	    dnsfix_key(reply->qname, key, &keylen) == -1 ||
	    dnsmsg_read_edns(query, &h.edns) == -1) {
		h.edns = 0;
		dnsfix_reply_header(&w, &h, DNSMSG_RCODE_FORMERR, reply);
		reply->why = "formerr";
		goto send;
	}
	reply->has_question = true;
	b = dnsfix_behaviour_of(z, global, key, keylen);
	reply->delay_ms = b.delay_ms;
	if (b.drop) {
		reply->why = "drop";
		return;
	}
	/* an OPCODE other than QUERY, then the failure behaviours */
	rcode = (qflags & 0x7800u) != 0 ? DNSMSG_RCODE_NOTIMP :
	    b.refused                   ? DNSMSG_RCODE_REFUSED :
	    b.servfail                  ? DNSMSG_RCODE_SERVFAIL :
	                                  DNSMSG_RCODE_NOERROR;
	if (rcode != DNSMSG_RCODE_NOERROR || (!tcp && b.truncate)) {
		dnsfix_reply_header(&w, &h,
		    rcode != DNSMSG_RCODE_NOERROR ? rcode : DNSMSG_F_TC, reply);
		reply->why = rcode == DNSMSG_RCODE_NOTIMP ? "notimp" :
		    rcode == DNSMSG_RCODE_REFUSED         ? "refused" :
		    rcode == DNSMSG_RCODE_SERVFAIL        ? "servfail" :
		                                            "truncate";
		goto send;
	}
	if (!dnsfix_reply_records(z, &h, b.nxdomain, dnsfix_limit(&h, tcp), out,
	        cap, &w, reply))
		return;
send:
	reply->answer = true;
	reply->len = w.len;
	reply->rcode = (uint16_t)(out[3] & DNSMSG_F_RCODE_MASK);
	reply->truncated = (out[2] & (DNSMSG_F_TC >> 8)) != 0;
	reply->ancount = w.ancount;
}
