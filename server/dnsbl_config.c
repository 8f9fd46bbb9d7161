/* SPDX-License-Identifier: MIT */
/*
 * dnsbl_config.c - reading rules/dnsbl.json (or --dnsbl-config)
 *
 * Every zone is checked before the service starts: known keys only, a
 * zone name that is a domain name short enough for any question under
 * it, a kind, codes that are addresses in 127.0.0.0/8 and never one of
 * the answers that are refusals by nature (a listing code of
 * 127.255.255.254 would make every public-resolver refusal a listing),
 * bits that are single bits above bit 1, URLs, test entries of the
 * zone's kind. Each meaning's English goes into the texts table under
 * its message id. The first bad entry stops the load with the file and
 * where. Not here: reading an answer with these tables (dnsbl_zone.c).
 */
#include "dnsbl_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ascii.h"
#include "jsonload.h"
#include "texts.h"
#include "xmalloc.h"

#define DNSBL_CONFIG_MAX_NAME 253 /* RFC 1035 §2.3.4, as text */
#define DNSBL_CONFIG_MAX_URL  512
#define DNSBL_CONFIG_ID_MAX   320

struct dnsbl_config {
	struct arena *arena;
	struct dnsbl_zone *zones;
	size_t n;
};

/* One file being read. */
struct dnsbl_load {
	const char *path;
	struct arena *a;
	struct jsonload_texts jt;
	char **err_out;
};

/* What the keys of a table are. */
enum dnsbl_keys {
	DNSBL_KEYS_ADDR,  /* 127.x.y.z */
	DNSBL_KEYS_BIT,   /* 2, 4, ..., 128 */
	DNSBL_KEYS_OCTET, /* 0..255 */
};

static const char *const dnsbl_top_keys[] = { "zones", NULL };
static const char *const dnsbl_zone_keys[] = { "zone", "name", "kind", "ipv6",
	"codes", "neutral", "refused", "bitmask", "bits", "octets", "delist",
	"info", "test", "retired", NULL };
static const char *const dnsbl_test_keys[] = { "listed", "unlisted", NULL };
static const char *const dnsbl_kinds[] = { "ip", "domain", "allow" };

const char *
dnsbl_kind_str(enum dnsbl_kind k)
{
	return (size_t)k < sizeof(dnsbl_kinds) / sizeof(dnsbl_kinds[0]) ?
	    dnsbl_kinds[k] :
	    "ip";
}

const char *
dnsbl_addr_str(uint32_t addr, char buf[16])
{
	(void)snprintf(buf, 16, "%u.%u.%u.%u", (unsigned)(addr >> 24),
	    (unsigned)(addr >> 16) & 0xffu, (unsigned)(addr >> 8) & 0xffu,
	    (unsigned)addr & 0xffu);
	return buf;
}

/* dnsbl_config_number - a decimal 0..max without leading zeros; the
 * number of bytes read, or 0 */
static size_t
dnsbl_config_number(const char *s, unsigned max, unsigned *out)
{
	unsigned v = 0;
	size_t i = 0;

	while (i < 4 && ascii_is_digit(s[i])) {
		v = v * 10 + (unsigned)(s[i] - '0');
		i++;
	}
	if (i == 0 || i == 4 || v > max || (s[0] == '0' && i > 1))
		return 0;
	*out = v;
	return i;
}

bool
dnsbl_addr_parse(const char *s, uint32_t *out)
{
	uint32_t addr = 0;
	unsigned v;

	for (int k = 0; k < 4; k++) {
		size_t n = dnsbl_config_number(s, 255, &v);

		if (n == 0 || (k < 3 && s[n] != '.') ||
		    (k == 3 && s[n] != '\0'))
			return false;
		addr = addr << 8 | v;
		s += n + (k < 3);
	}
	*out = addr;
	return true;
}

bool
dnsbl_name_ok(const char *s)
{
	size_t len = strlen(s), label = 0;

	if (len > 0 && s[len - 1] == '.')
		len--;
	if (len == 0 || len > DNSBL_CONFIG_MAX_NAME || s[0] == '.')
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (label == 0)
				return false;
			label = 0;
		} else if (ascii_is_alnum(s[i]) || s[i] == '-' || s[i] == '_') {
			if (++label > 63)
				return false;
		} else {
			return false;
		}
	}
	return true;
}

/* dnsbl_config_zone_ok - a zone: a domain name of two labels or more,
 * without a final dot, with room under it for any question */
static bool
dnsbl_config_zone_ok(const char *s)
{
	size_t len = strlen(s);

	return dnsbl_name_ok(s) && len <= DNSBL_MAX_ZONE_LEN &&
	    s[len - 1] != '.' && strchr(s, '.') != NULL;
}

/* dnsbl_config_string - a non-empty string without control characters,
 * copied to the arena; NULL if it is not one */
static const char *
dnsbl_config_string(struct arena *a, json_t *v)
{
	const char *s = json_string_value(v);

	if (s == NULL || s[0] == '\0')
		return NULL;
	for (const char *p = s; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return NULL;
	}
	return arena_strndup(a, s, strlen(s));
}

/* dnsbl_config_url - NULL (absent) or an http(s) URL without spaces */
static int
dnsbl_config_url(struct dnsbl_load *l, json_t *v, const char **out,
    const char *where, const char *field)
{
	const char *s;

	*out = NULL;
	if (v == NULL)
		return 0;
	s = dnsbl_config_string(l->a, v);
	if (s == NULL || strlen(s) > DNSBL_CONFIG_MAX_URL ||
	    strchr(s, ' ') != NULL ||
	    (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0))
		return jsonload_err(l->err_out, l->path, where,
		    "\"%s\" must be an http:// or https:// URL", field);
	*out = s;
	return 0;
}

/* dnsbl_config_refusal - is addr an answer that is a refusal whatever
 * the zone says (dnsbl_zone.c reads answers the same way)? */
static bool
dnsbl_config_refusal(const struct dnsbl_zone *z, uint32_t addr)
{
	/* Spamhaus: 127.255.255.0/24 are errors, 127.0.1.255 "IP queries
	 * not allowed" (DBL) */
	if ((addr & 0xffffff00u) == 0x7fffff00u || addr == 0x7f0001ffu)
		return true;
	/* URIBL, SURBL: bit 1 is never a classification */
	return z->bitmask && (addr == 0x7f000001u || (addr & 1u) != 0);
}

/* dnsbl_config_key - the value of one key of a table; 0 or -1 */
static int
dnsbl_config_key(struct dnsbl_load *l, const char *key, enum dnsbl_keys keys,
    uint32_t *out, const char *at)
{
	unsigned v;

	switch (keys) {
	case DNSBL_KEYS_ADDR:
		if (!dnsbl_addr_parse(key, out) || (*out >> 24) != 127)
			return jsonload_err(l->err_out, l->path, at,
			    "not an IPv4 address in 127.0.0.0/8 (RFC 5782 "
			    "§2.1)");
		return 0;
	case DNSBL_KEYS_BIT:
		if (strcmp(key, "1") == 0)
			return jsonload_err(l->err_out, l->path, at,
			    "bit 1 means the query was refused; it never "
			    "classifies");
		if (dnsbl_config_number(key, 128, &v) != strlen(key) || v < 2 ||
		    (v & (v - 1)) != 0)
			return jsonload_err(l->err_out, l->path, at,
			    "a bit is one of 2, 4, 8, 16, 32, 64, 128");
		*out = v;
		return 0;
	case DNSBL_KEYS_OCTET:
		if (dnsbl_config_number(key, 255, &v) != strlen(key))
			return jsonload_err(l->err_out, l->path, at,
			    "an octet value is a number from 0 to 255");
		*out = v;
		return 0;
	}
	return -1;
}

static int
dnsbl_config_code_cmp(const void *a, const void *b)
{
	const struct dnsbl_code *x = a, *y = b;

	if (x->octet != y->octet)
		return x->octet < y->octet ? -1 : 1;
	return x->value < y->value ? -1 : x->value > y->value;
}

/*
 * dnsbl_config_table - one table of meanings ("codes", "bits", ...):
 * an object of key → {"en": "..."}, each text registered under
 * "<prefix>.<key>". Appends to *v / *n (grown in the arena).
 */
static int
dnsbl_config_table(struct dnsbl_load *l, const struct dnsbl_zone *z,
    json_t *obj, enum dnsbl_keys keys, unsigned octet, const char *field,
    const char *prefix, struct dnsbl_code **v, size_t *n, const char *where)
{
	const char *key;
	json_t *val;
	char at[DNSBL_CONFIG_ID_MAX], id[DNSBL_CONFIG_ID_MAX];
	struct ltext lt;
	size_t add;

	if (obj == NULL)
		return 0;
	if (!json_is_object(obj))
		return jsonload_err(l->err_out, l->path, where,
		    "\"%s\" must be an object", field);
	add = json_object_size(obj);
	if (*n + add > DNSBL_MAX_CODES)
		return jsonload_err(l->err_out, l->path, where,
		    "\"%s\" has more than %d entries", field, DNSBL_MAX_CODES);
	{
		struct dnsbl_code *nv =
		    arena_zalloc(l->a, (*n + add + 1) * sizeof(*nv));

		if (*n > 0)
			memcpy(nv, *v, *n * sizeof(*nv));
		*v = nv;
	}
	json_object_foreach(obj, key, val)
	{
		struct dnsbl_code *c = &(*v)[*n];

		(void)snprintf(at, sizeof(at), "%s.%s[\"%s\"]", where, field,
		    key);
		if (dnsbl_config_key(l, key, keys, &c->value, at) == -1)
			return -1;
		if (!json_is_object(val))
			return jsonload_err(l->err_out, l->path, at,
			    "a meaning is {\"en\": \"text\"}; its translations "
			    "go in lang/<code>.json");
		(void)snprintf(id, sizeof(id), "dnsbl.zone.%s.%s%s", z->zone,
		    prefix, key);
		if (jsonload_label(&l->jt, val, id, &lt, at) == -1)
			return -1;
		c->octet = octet;
		c->id = arena_strndup(l->a, id, strlen(id));
		(*n)++;
	}
	qsort(*v, *n, sizeof(**v), dnsbl_config_code_cmp);
	return 0;
}

/* dnsbl_config_octets - "octets": {"3": {...}, "4": {...}} */
static int
dnsbl_config_octets(struct dnsbl_load *l, struct dnsbl_zone *z, json_t *obj,
    const char *where)
{
	struct dnsbl_code *v = NULL;
	size_t n = 0;
	const char *key;
	json_t *val;
	char prefix[24], field[40];

	if (obj == NULL)
		return 0;
	if (!json_is_object(obj))
		return jsonload_err(l->err_out, l->path, where,
		    "\"octets\" must be an object of \"2\", \"3\", \"4\"");
	json_object_foreach(obj, key, val)
	{
		unsigned o;

		if (dnsbl_config_number(key, 4, &o) != strlen(key) || o < 2)
			return jsonload_err(l->err_out, l->path, where,
			    "octets[\"%s\"]: the octets after 127 are \"2\", "
			    "\"3\" and \"4\"",
			    key);
		(void)snprintf(prefix, sizeof(prefix), "octet%u.", o);
		(void)snprintf(field, sizeof(field), "octets[\"%u\"]", o);
		if (dnsbl_config_table(l, z, val, DNSBL_KEYS_OCTET, o, field,
		        prefix, &v, &n, where) == -1)
			return -1;
	}
	z->octets = v;
	z->noctets = n;
	return 0;
}

/* dnsbl_config_overlap - no address in two of codes, neutral, refused;
 * no listing that is a refusal by nature */
static int
dnsbl_config_overlap(struct dnsbl_load *l, const struct dnsbl_zone *z,
    const char *where)
{
	const struct {
		const struct dnsbl_code *v;
		size_t n;
		const char *name;
	} t[] = { { z->codes, z->ncodes, "codes" },
		{ z->neutral, z->nneutral, "neutral" },
		{ z->refused, z->nrefused, "refused" } };

	char buf[16];

	for (size_t i = 0; i < 2; i++) {
		for (size_t k = 0; k < t[i].n; k++) {
			if (dnsbl_config_refusal(z, t[i].v[k].value))
				return jsonload_err(l->err_out, l->path, where,
				    "%s[\"%s\"] is a refusal, never a listing: "
				    "put it under \"refused\"",
				    t[i].name,
				    dnsbl_addr_str(t[i].v[k].value, buf));
		}
	}
	for (size_t i = 0; i < 3; i++) {
		for (size_t j = i + 1; j < 3; j++) {
			for (size_t k = 0; k < t[i].n; k++) {
				for (size_t m = 0; m < t[j].n; m++) {
					if (t[i].v[k].value != t[j].v[m].value)
						continue;
					return jsonload_err(l->err_out, l->path,
					    where,
					    "%s is in both \"%s\" and \"%s\"",
					    dnsbl_addr_str(t[i].v[k].value,
					        buf),
					    t[i].name, t[j].name);
				}
			}
		}
	}
	return 0;
}

/* dnsbl_config_test_entry - one test entry of the zone's kind */
static int
dnsbl_config_test_entry(struct dnsbl_load *l, const struct dnsbl_zone *z,
    json_t *v, const char *key, const char **out, const char *where)
{
	const char *s;
	uint32_t addr;

	if (v == NULL) {
		*out = NULL;
		return 0;
	}
	s = dnsbl_config_string(l->a, v);
	if (z->kind == DNSBL_KIND_DOMAIN) {
		if (s == NULL || !dnsbl_name_ok(s))
			return jsonload_err(l->err_out, l->path, where,
			    "test.%s must be a domain name (RFC 5782 §5: "
			    "\"test\", \"invalid\")",
			    key);
		*out = ascii_lower_dup(l->a, span_cstr(s));
		return 0;
	}
	if (s == NULL || !dnsbl_addr_parse(s, &addr))
		return jsonload_err(l->err_out, l->path, where,
		    "test.%s must be an IPv4 address (RFC 5782 §5: 127.0.0.2, "
		    "127.0.0.1)",
		    key);
	*out = s;
	return 0;
}

/* dnsbl_config_test - "test": absent (RFC 5782 §5 defaults), {} (none),
 * or {"listed": ..., "unlisted": ...} */
static int
dnsbl_config_test(struct dnsbl_load *l, struct dnsbl_zone *z, json_t *t,
    const char *where)
{
	bool domain = z->kind == DNSBL_KIND_DOMAIN;
	char at[80];

	if (t == NULL) {
		z->test_listed = domain ? "test" : "127.0.0.2";
		z->test_unlisted = domain ? "invalid" : "127.0.0.1";
		return 0;
	}
	if (!json_is_object(t))
		return jsonload_err(l->err_out, l->path, where,
		    "\"test\" must be an object {\"listed\": ..., "
		    "\"unlisted\": ...}");
	(void)snprintf(at, sizeof(at), "%s.test", where);
	if (jsonload_keys(t, dnsbl_test_keys, l->path, at, l->err_out) == -1)
		return -1;
	if (dnsbl_config_test_entry(l, z, json_object_get(t, "listed"),
	        "listed", &z->test_listed, where) == -1)
		return -1;
	return dnsbl_config_test_entry(l, z, json_object_get(t, "unlisted"),
	    "unlisted", &z->test_unlisted, where);
}

/* dnsbl_config_head - zone, name, kind, ipv6, bitmask */
static int
dnsbl_config_head(struct dnsbl_load *l, json_t *v, struct dnsbl_zone *z,
    const char *where)
{
	const char *s;
	json_t *b;
	size_t k;

	s = dnsbl_config_string(l->a, json_object_get(v, "zone"));
	if (s == NULL || !dnsbl_config_zone_ok(s))
		return jsonload_err(l->err_out, l->path, where,
		    "\"zone\" must be a domain name of two labels or more, at "
		    "most %d bytes (letters, digits, '-', '_', '.')",
		    DNSBL_MAX_ZONE_LEN);
	z->zone = ascii_lower_dup(l->a, span_cstr(s));
	if ((z->name = dnsbl_config_string(l->a, json_object_get(v, "name"))) ==
	    NULL)
		return jsonload_err(l->err_out, l->path, where,
		    "\"name\" must be a non-empty string");
	s = json_string_value(json_object_get(v, "kind"));
	for (k = 0; s != NULL && k < sizeof(dnsbl_kinds) / sizeof(*dnsbl_kinds);
	     k++) {
		if (strcmp(s, dnsbl_kinds[k]) == 0)
			break;
	}
	if (s == NULL || k == sizeof(dnsbl_kinds) / sizeof(*dnsbl_kinds))
		return jsonload_err(l->err_out, l->path, where,
		    "\"kind\" must be \"ip\", \"domain\" or \"allow\"");
	z->kind = (enum dnsbl_kind)k;
	b = json_object_get(v, "ipv6");
	if (b != NULL && !json_is_boolean(b))
		return jsonload_err(l->err_out, l->path, where,
		    "\"ipv6\" must be true or false");
	z->ipv6 = json_is_true(b);
	if (z->ipv6 && z->kind == DNSBL_KIND_DOMAIN)
		return jsonload_err(l->err_out, l->path, where,
		    "a domain list takes no IPv6 queries (\"ipv6\")");
	b = json_object_get(v, "bitmask");
	if (b != NULL && !json_is_boolean(b))
		return jsonload_err(l->err_out, l->path, where,
		    "\"bitmask\" must be true or false");
	z->bitmask = json_is_true(b);
	if (json_object_get(v, "bits") != NULL && !z->bitmask)
		return jsonload_err(l->err_out, l->path, where,
		    "\"bits\" needs \"bitmask\": true");
	return 0;
}

/* The tables of one zone read alike: field, keys, id prefix. */
static const struct {
	const char *field;
	enum dnsbl_keys keys;
	const char *prefix;
} dnsbl_tables[] = {
	{ "codes", DNSBL_KEYS_ADDR, "" },
	{ "neutral", DNSBL_KEYS_ADDR, "" },
	{ "refused", DNSBL_KEYS_ADDR, "refused." },
	{ "bits", DNSBL_KEYS_BIT, "bit." },
};

/* dnsbl_config_tables - codes, neutral, refused, bits */
static int
dnsbl_config_tables(struct dnsbl_load *l, json_t *v, struct dnsbl_zone *z,
    const char *where)
{
	const struct dnsbl_code **out[] = { &z->codes, &z->neutral, &z->refused,
		&z->bits };
	size_t *n[] = { &z->ncodes, &z->nneutral, &z->nrefused, &z->nbits };

	for (size_t i = 0; i < sizeof(dnsbl_tables) / sizeof(*dnsbl_tables);
	     i++) {
		struct dnsbl_code *t = NULL;

		if (dnsbl_config_table(l, z,
		        json_object_get(v, dnsbl_tables[i].field),
		        dnsbl_tables[i].keys, 0, dnsbl_tables[i].field,
		        dnsbl_tables[i].prefix, &t, n[i], where) == -1)
			return -1;
		*out[i] = t;
	}
	return 0;
}

/* dnsbl_config_zone_read - one zone */
static int
dnsbl_config_zone_read(struct dnsbl_load *l, json_t *v, struct dnsbl_zone *z,
    const char *where)
{
	json_t *r;
	struct ltext lt;
	char id[DNSBL_CONFIG_ID_MAX];

	if (!json_is_object(v))
		return jsonload_err(l->err_out, l->path, where,
		    "expected an object");
	if (jsonload_keys(v, dnsbl_zone_keys, l->path, where, l->err_out) ==
	        -1 ||
	    dnsbl_config_head(l, v, z, where) == -1 ||
	    dnsbl_config_tables(l, v, z, where) == -1 ||
	    dnsbl_config_octets(l, z, json_object_get(v, "octets"), where) ==
	        -1 ||
	    dnsbl_config_overlap(l, z, where) == -1 ||
	    dnsbl_config_url(l, json_object_get(v, "delist"), &z->delist, where,
	        "delist") == -1 ||
	    dnsbl_config_url(l, json_object_get(v, "info"), &z->info, where,
	        "info") == -1 ||
	    dnsbl_config_test(l, z, json_object_get(v, "test"), where) == -1)
		return -1;
	if ((r = json_object_get(v, "retired")) != NULL) {
		(void)snprintf(id, sizeof(id), "dnsbl.zone.%s.retired",
		    z->zone);
		if (!json_is_object(r))
			return jsonload_err(l->err_out, l->path, where,
			    "\"retired\" is {\"en\": \"why the list is no "
			    "longer asked\"}");
		if (jsonload_label(&l->jt, r, id, &lt, where) == -1)
			return -1;
		z->retired = arena_strndup(l->a, id, strlen(id));
	}
	return 0;
}

/* dnsbl_config_zones - the "zones" list */
static int
dnsbl_config_zones(struct dnsbl_load *l, json_t *list, struct dnsbl_config *c)
{
	char where[64];
	size_t n;

	if (!json_is_array(list))
		return jsonload_err(l->err_out, l->path, "zones",
		    "expected a list of zones");
	if ((n = json_array_size(list)) > DNSBL_MAX_ZONES)
		return jsonload_err(l->err_out, l->path, "zones",
		    "more than %d zones", DNSBL_MAX_ZONES);
	c->zones = arena_zalloc(c->arena, (n + 1) * sizeof(*c->zones));
	for (size_t i = 0; i < n; i++) {
		struct dnsbl_zone *z = &c->zones[i];

		(void)snprintf(where, sizeof(where), "zones[%zu]", i);
		z->index = i;
		for (size_t j = 0; j < i; j++) {
			const char *s = json_string_value(
			    json_object_get(json_array_get(list, i), "zone"));

			if (s != NULL &&
			    ascii_ieq_cstr(span_cstr(s), c->zones[j].zone))
				return jsonload_err(l->err_out, l->path, where,
				    "zone \"%s\" is already listed (zones[%zu])",
				    c->zones[j].zone, j);
		}
		if (dnsbl_config_zone_read(l, json_array_get(list, i), z,
		        where) == -1)
			return -1;
		c->n = i + 1;
	}
	return 0;
}

int
dnsbl_config_load(const char *path, struct texts *texts,
    struct dnsbl_config **out, char **err_out)
{
	struct dnsbl_config *c = xcalloc(1, sizeof(*c));
	struct dnsbl_load l;
	json_t *doc;
	int r = -1;

	c->arena = arena_new();
	l = (struct dnsbl_load){ path, c->arena,
		{ c->arena, texts, path, err_out }, err_out };
	if ((doc = jsonload_file(path, err_out)) == NULL) {
		dnsbl_config_free(c);
		return -1;
	}
	if (jsonload_keys(doc, dnsbl_top_keys, path, "top level", err_out) ==
	        0 &&
	    dnsbl_config_zones(&l, json_object_get(doc, "zones"), c) == 0 &&
	    texts_verify(texts, err_out) == 0)
		r = 0;
	json_decref(doc);
	if (r == -1) {
		dnsbl_config_free(c);
		return -1;
	}
	*out = c;
	return 0;
}

void
dnsbl_config_free(struct dnsbl_config *c)
{
	if (c == NULL)
		return;
	arena_free(c->arena);
	free(c);
}

size_t
dnsbl_config_count(const struct dnsbl_config *c)
{
	return c->n;
}

const struct dnsbl_zone *
dnsbl_config_zone(const struct dnsbl_config *c, size_t i)
{
	return i < c->n ? &c->zones[i] : NULL;
}

const struct dnsbl_zone *
dnsbl_config_find(const struct dnsbl_config *c, struct span name)
{
	if (name.len > 0 && name.ptr[name.len - 1] == '.')
		name.len--;
	for (size_t i = 0; i < c->n; i++) {
		if (ascii_ieq(name, span_cstr(c->zones[i].zone)))
			return &c->zones[i];
	}
	return NULL;
}
