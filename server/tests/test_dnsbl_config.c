/* SPDX-License-Identifier: MIT */
/*
 * test_dnsbl_config.c - the blocklists' configuration (rules/dnsbl.json)
 *
 * The shipped file loads, with its meanings in English and Russian; an
 * operator's file loads with the RFC 5782 test entries by default and
 * its meanings in English where no translation has them; every kind of
 * bad entry stops the load with the file and where it is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "dnsbl_config.h"
#include "texts.h"
#include "texts_msg.h"
#include "test.h"

/* load_text - write text to a scratch file and load it into fresh texts;
 * *t_out gets the texts (free them), path the file's name */
static int
load_text(const char *text, char *path, size_t size, struct texts **t_out,
    struct dnsbl_config **out, char **err)
{
	int fd;
	FILE *f;

	(void)snprintf(path, size, "/tmp/bouncedoc-dnsbl-XXXXXX");
	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		perror("mkstemp");
		exit(1);
	}
	(void)fputs(text, f);
	(void)fclose(f);
	*t_out = test_texts_shipped();
	if (*t_out == NULL)
		exit(1);
	return dnsbl_config_load(path, *t_out, out, err);
}

/* render - a message id in a language, into the arena */
static const char *
render(struct arena *a, const struct texts *t, const char *lang, const char *id)
{
	return texts_render(a, t, test_lang_of(texts_langs(t), lang),
	    texts_msg_new(a, id));
}

static void
test_shipped(void)
{
	struct texts *t = test_texts_shipped();
	struct dnsbl_config *c = NULL;
	struct arena *a = arena_new();
	const struct dnsbl_zone *z;
	char *err = NULL;
	const char *s;

	if (t == NULL)
		return;
	if (!CHECK(dnsbl_config_load("rules/dnsbl.json", t, &c, &err) == 0,
	        "the shipped rules/dnsbl.json loads: %s",
	        err != NULL ? err : "")) {
		free(err);
		texts_free(t);
		arena_free(a);
		return;
	}
	CHECK(dnsbl_config_count(c) >= 12, "it lists the public lists (%zu)",
	    dnsbl_config_count(c));
	z = dnsbl_config_find(c, span_cstr("ZEN.Spamhaus.org."));
	if (CHECK(z != NULL, "zen.spamhaus.org, found in any case")) {
		CHECK(z->kind == DNSBL_KIND_IP && z->ipv6 && z->ncodes == 10 &&
		        z->nrefused == 3 && z->delist != NULL,
		    "ZEN: an IPv6-capable IP list, 10 codes, 3 refusals");
		CHECK_STR(z->test_listed, "127.0.0.2",
		    "ZEN's listed test entry");
		CHECK_STR(z->test_unlisted, "127.0.0.1",
		    "ZEN's unlisted test entry");
	}
	z = dnsbl_config_find(c, span_cstr("dbl.spamhaus.org"));
	if (CHECK(z != NULL && z->kind == DNSBL_KIND_DOMAIN,
	        "the DBL is a domain list")) {
		CHECK_STR(z->test_listed, "dbltest.com",
		    "the DBL's test point");
		CHECK(!z->ipv6, "a domain list takes no IPv6");
	}
	z = dnsbl_config_find(c, span_cstr("multi.uribl.com"));
	CHECK(z != NULL && z->bitmask && z->nbits == 3 && z->nrefused == 1,
	    "URIBL: a bitmask list of three bits and its refusal");
	z = dnsbl_config_find(c, span_cstr("list.dnswl.org"));
	CHECK(z != NULL && z->kind == DNSBL_KIND_ALLOW && z->noctets == 18,
	    "DNSWL: an allow list read by octets (14 categories, 4 levels)");
	z = dnsbl_config_find(c, span_cstr("dnsbl.sorbs.net"));
	CHECK(z != NULL && z->retired != NULL,
	    "SORBS is known, and retired (shut down in June 2024)");
	CHECK(dnsbl_config_find(c, span_cstr("abl.masterhost.ru")) == NULL,
	    "no list without documented codes");
	for (size_t i = 0; i < dnsbl_config_count(c); i++) {
		z = dnsbl_config_zone(c, i);
		if (z->ipv6 && strcmp(z->zone, "zen.spamhaus.org") != 0 &&
		    strcmp(z->zone, "all.s5h.net") != 0)
			CHECK(false, "%s takes IPv6 without documentation",
			    z->zone);
		CHECK(z->index == i, "%s: index %zu", z->zone, i);
	}

	s = render(a, t, "en", "dnsbl.zone.zen.spamhaus.org.127.0.0.4");
	CHECK(strncmp(s, "XBL: ", 5) == 0, "127.0.0.4 in English: %s", s);
	s = render(a, t, "ru", "dnsbl.zone.zen.spamhaus.org.127.0.0.4");
	CHECK(strstr(s, "взломанный узел") != NULL, "127.0.0.4 in Russian: %s",
	    s);
	s = render(a, t, "ru",
	    "dnsbl.zone.zen.spamhaus.org.refused.127.255.255.254");
	CHECK(strstr(s, "публичный") != NULL, "the refusal in Russian: %s", s);
	s = render(a, t, "ru", "dnsbl.zone.list.dnswl.org.octet4.3");
	CHECK(strstr(s, "доверие высокое") != NULL,
	    "a DNSWL trust level in Russian: %s", s);
	dnsbl_config_free(c);
	texts_free(t);
	arena_free(a);
}

static void
test_operator(void)
{
	struct texts *t = NULL;
	struct dnsbl_config *c = NULL;
	struct arena *a = arena_new();
	const struct dnsbl_zone *z;
	char path[64], *err = NULL;
	const char *s;
	int r = load_text("{\"zones\": ["
	                  "{\"zone\": \"BL.Example.net\", \"name\": \"Example "
	                  "BL\", \"kind\": \"ip\", \"codes\": {\"127.0.0.3\": "
	                  "{\"en\": \"an example listing\"}, \"127.0.0.2\": "
	                  "{\"en\": \"a test listing\"}}},"
	                  "{\"zone\": \"rhs.example.net\", \"name\": \"RHS\", "
	                  "\"kind\": \"domain\"},"
	                  "{\"zone\": \"quiet.example.net\", \"name\": \"Q\", "
	                  "\"kind\": \"allow\", \"test\": {}}]}",
	    path, sizeof(path), &t, &c, &err);

	if (!CHECK(r == 0, "an operator's file loads: %s",
	        err != NULL ? err : "")) {
		free(err);
		texts_free(t);
		arena_free(a);
		return;
	}
	z = dnsbl_config_zone(c, 0);
	CHECK_STR(z->zone, "bl.example.net", "the zone, lowercase");
	CHECK(z->ncodes == 2 && z->codes[0].value == 0x7f000002u &&
	        z->codes[1].value == 0x7f000003u,
	    "codes sorted by value");
	CHECK_STR(z->codes[1].id, "dnsbl.zone.bl.example.net.127.0.0.3",
	    "a code's message id");
	CHECK_STR(z->test_listed, "127.0.0.2", "RFC 5782 §5 default: listed");
	CHECK_STR(z->test_unlisted, "127.0.0.1",
	    "RFC 5782 §5 default: unlisted");
	z = dnsbl_config_zone(c, 1);
	CHECK_STR(z->test_listed, "test", "a domain list's listed entry");
	CHECK_STR(z->test_unlisted, "invalid",
	    "a domain list's unlisted entry");
	z = dnsbl_config_zone(c, 2);
	CHECK(z->test_listed == NULL && z->test_unlisted == NULL,
	    "\"test\": {} turns the test off");
	s = render(a, t, "ru", "dnsbl.zone.bl.example.net.127.0.0.3");
	CHECK_STR(s, "an example listing",
	    "an operator's meaning without translation reads in English");
	CHECK(dnsbl_config_find(c, span_cstr("nope.example.net")) == NULL,
	    "an unknown zone is not found");
	dnsbl_config_free(c);
	texts_free(t);
	(void)unlink(path);
	arena_free(a);
}

/* bad - a file that must be refused, with the file and want in the
 * error */
static void
bad(const char *what, const char *text, const char *want)
{
	struct texts *t = NULL;
	struct dnsbl_config *c = NULL;
	char path[64], *err = NULL;
	int r = load_text(text, path, sizeof(path), &t, &c, &err);

	CHECK(r == -1 && c == NULL && err != NULL &&
	        strncmp(err, path, strlen(path)) == 0 &&
	        strstr(err, want) != NULL,
	    "%s: refused with the file and \"%s\": %s", what, want,
	    err != NULL ? err : "(no error)");
	free(err);
	dnsbl_config_free(c);
	texts_free(t);
	(void)unlink(path);
}

#define ZONE_HEAD \
	"{\"zones\": [{\"zone\": \"bl.example.net\", \"name\": \"E\", "

static void
test_bad(void)
{
	char many[16384];
	size_t n;

	bad("unknown field", ZONE_HEAD "\"kind\": \"ip\", \"colour\": 1}]}",
	    "zones[0]: unknown field \"colour\"");
	bad("unknown top-level field", "{\"zones\": [], \"lists\": []}",
	    "top level: unknown field \"lists\"");
	bad("no zones", "{}", "zones: expected a list of zones");
	bad("bad code",
	    ZONE_HEAD "\"kind\": \"ip\", \"codes\": {\"127.0.0.256\": "
	              "{\"en\": \"x\"}}}]}",
	    "zones[0].codes[\"127.0.0.256\"]: not an IPv4 address in "
	    "127.0.0.0/8");
	bad("code outside 127/8",
	    ZONE_HEAD "\"kind\": \"ip\", \"codes\": {\"10.0.0.2\": "
	              "{\"en\": \"x\"}}}]}",
	    "zones[0].codes[\"10.0.0.2\"]");
	bad("leading zero",
	    ZONE_HEAD "\"kind\": \"ip\", \"codes\": "
	              "{\"127.0.0.02\": {\"en\": \"x\"}}}]}",
	    "not an IPv4 address");
	bad("a refusal as a listing",
	    ZONE_HEAD "\"kind\": \"ip\", \"codes\": {\"127.255.255.254\": "
	              "{\"en\": \"x\"}}}]}",
	    "is a refusal, never a listing");
	bad("bit 1 as a listing on a bitmask list",
	    ZONE_HEAD "\"kind\": \"domain\", \"bitmask\": true, \"codes\": "
	              "{\"127.0.0.3\": {\"en\": \"x\"}}}]}",
	    "is a refusal");
	bad("a code in two tables",
	    ZONE_HEAD "\"kind\": \"ip\", \"codes\": {\"127.0.0.2\": {\"en\": "
	              "\"x\"}}, \"refused\": {\"127.0.0.2\": {\"en\": "
	              "\"y\"}}}]}",
	    "127.0.0.2 is in both \"codes\" and \"refused\"");
	bad("a meaning as a plain string",
	    ZONE_HEAD "\"kind\": \"ip\", \"codes\": {\"127.0.0.2\": \"x\"}}]}",
	    "a meaning is {\"en\": \"text\"}");
	bad("a translation beside the English",
	    ZONE_HEAD "\"kind\": \"ip\", \"codes\": {\"127.0.0.2\": {\"en\": "
	              "\"x\", \"ru\": \"y\"}}}]}",
	    "lang/ru.json");
	bad("bad zone name",
	    "{\"zones\": [{\"zone\": \"bl..example.net\", \"name\": \"E\", "
	    "\"kind\": \"ip\"}]}",
	    "zones[0]: \"zone\" must be a domain name");
	bad("one-label zone",
	    "{\"zones\": [{\"zone\": \"localhost\", \"name\": \"E\", "
	    "\"kind\": \"ip\"}]}",
	    "\"zone\" must be a domain name");
	bad("zone with a space",
	    "{\"zones\": [{\"zone\": \"bl example.net\", \"name\": \"E\", "
	    "\"kind\": \"ip\"}]}",
	    "\"zone\" must be a domain name");
	bad("no name",
	    "{\"zones\": [{\"zone\": \"bl.example.net\", \"kind\": \"ip\"}]}",
	    "\"name\" must be a non-empty string");
	bad("bad kind", ZONE_HEAD "\"kind\": \"rhsbl\"}]}",
	    "\"kind\" must be \"ip\", \"domain\" or \"allow\"");
	bad("IPv6 on a domain list",
	    ZONE_HEAD "\"kind\": \"domain\", \"ipv6\": true}]}",
	    "a domain list takes no IPv6 queries");
	bad("bits without bitmask",
	    ZONE_HEAD "\"kind\": \"domain\", \"bits\": {\"2\": {\"en\": "
	              "\"x\"}}}]}",
	    "\"bits\" needs \"bitmask\": true");
	bad("bit 1",
	    ZONE_HEAD "\"kind\": \"domain\", \"bitmask\": true, \"bits\": "
	              "{\"1\": {\"en\": \"x\"}}}]}",
	    "zones[0].bits[\"1\"]: bit 1 means the query was refused");
	bad("not a single bit",
	    ZONE_HEAD "\"kind\": \"domain\", \"bitmask\": true, \"bits\": "
	              "{\"6\": {\"en\": \"x\"}}}]}",
	    "a bit is one of 2, 4, 8");
	bad("bad octet",
	    ZONE_HEAD "\"kind\": \"allow\", \"octets\": {\"1\": {}}}]}",
	    "the octets after 127");
	bad("bad delist URL",
	    ZONE_HEAD "\"kind\": \"ip\", \"delist\": \"ftp://x\"}]}",
	    "\"delist\" must be an http:// or https:// URL");
	bad("test entry of the wrong kind",
	    ZONE_HEAD "\"kind\": \"ip\", \"test\": {\"listed\": \"test\"}}]}",
	    "test.listed must be an IPv4 address");
	bad("unknown test field",
	    ZONE_HEAD "\"kind\": \"ip\", \"test\": {\"maybe\": \"x\"}}]}",
	    "zones[0].test: unknown field \"maybe\"");
	bad("duplicate zone",
	    "{\"zones\": [{\"zone\": \"bl.example.net\", \"name\": \"E\", "
	    "\"kind\": \"ip\"}, {\"zone\": \"BL.example.net\", \"name\": "
	    "\"F\", \"kind\": \"ip\"}]}",
	    "zones[1]: zone \"bl.example.net\" is already listed (zones[0])");
	bad("JSON syntax", "{\"zones\": [", "line ");
	n = (size_t)snprintf(many, sizeof(many), "{\"zones\": [");
	for (size_t i = 0; i <= DNSBL_MAX_ZONES; i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n,
		    "%s{\"zone\": \"z%zu.example.net\", \"name\": \"Z\", "
		    "\"kind\": \"ip\"}",
		    i > 0 ? ", " : "", i);
	(void)snprintf(many + n, sizeof(many) - n, "]}");
	bad("too many zones", many, "more than 128 zones");
}

static void
test_missing(void)
{
	struct texts *t = test_texts_shipped();
	struct dnsbl_config *c = NULL;
	char *err = NULL;

	if (t == NULL)
		return;
	CHECK(dnsbl_config_load("/nonexistent/dnsbl.json", t, &c, &err) == -1 &&
	        err != NULL && strstr(err, "/nonexistent/dnsbl.json") != NULL,
	    "a missing file is an error naming it: %s",
	    err != NULL ? err : "(none)");
	free(err);
	texts_free(t);
}

static void
test_addr(void)
{
	uint32_t v = 0;
	char buf[16];

	CHECK(dnsbl_addr_parse("127.0.1.255", &v) && v == 0x7f0001ffu,
	    "127.0.1.255 parses");
	CHECK_STR(dnsbl_addr_str(v, buf), "127.0.1.255", "and prints back");
	CHECK(!dnsbl_addr_parse("127.0.1", &v) &&
	        !dnsbl_addr_parse("127.0.0.1.", &v) &&
	        !dnsbl_addr_parse("127.0.0.1x", &v) &&
	        !dnsbl_addr_parse("1270.0.0.1", &v),
	    "bad addresses do not parse");
	CHECK_STR(dnsbl_kind_str(DNSBL_KIND_ALLOW), "allow", "kind names");
}

int
main(void)
{
	test_addr();
	test_shipped();
	test_operator();
	test_bad();
	test_missing();
	return test_done();
}
