/* SPDX-License-Identifier: MIT */
/*
 * orgdomain.c - the organisational domain of a name, through libpsl
 *
 * Debian 12's libpsl5 (0.21) is built with the list of the publicsuffix
 * package compiled in; psl_latest() loads the package's DAFSA file when
 * it is newer than that, else hands back the built-in list (a static one:
 * psl_free leaves it alone). Loading costs a file read, so it happens
 * once, at the first question, and the list is kept: the one mutable
 * global of the module, set once by the one thread.
 * Not here: DMARC (dmarccheck.c), name syntax elsewhere (spfname.c).
 */
#include "orgdomain.h"

#include <string.h>

#include <libpsl.h>

#include "ascii.h"

static psl_ctx_t *orgdomain_psl; /* NULL until loaded, or none there */
static bool orgdomain_loaded;

/* orgdomain_list - the list, loaded at the first call */
static const psl_ctx_t *
orgdomain_list(void)
{
	if (!orgdomain_loaded) {
		orgdomain_psl = psl_latest(NULL);
		orgdomain_loaded = true;
	}
	return orgdomain_psl;
}

bool
orgdomain_is_name(struct span name)
{
	size_t start = 0;

	if (name.len > 0 && name.ptr[name.len - 1] == '.')
		name.len--;
	if (name.len == 0 || name.len > ORGDOMAIN_MAX_NAME)
		return false;
	for (size_t i = 0; i <= name.len; i++) {
		char c = i < name.len ? name.ptr[i] : '.';

		if (c == '.') {
			if (i == start || i - start > ORGDOMAIN_MAX_LABEL ||
			    name.ptr[start] == '-' || name.ptr[i - 1] == '-')
				return false;
			start = i + 1;
		} else if (!ascii_is_alnum(c) && c != '-' && c != '_') {
			return false;
		}
	}
	return true;
}

/* orgdomain_is_address - is the last label all digits ("192.0.2.1")? */
static bool
orgdomain_is_address(struct span name)
{
	size_t i = name.len;

	while (i > 0 && name.ptr[i - 1] != '.')
		i--;
	return ascii_all(span_make(name.ptr + i, name.len - i), ASCII_DIGIT);
}

const char *
orgdomain_of(struct span name, char buf[ORGDOMAIN_MAX])
{
	const psl_ctx_t *psl;
	const char *reg;
	size_t n;

	if (!orgdomain_is_name(name))
		return NULL;
	if (name.ptr[name.len - 1] == '.')
		name.len--;
	if (orgdomain_is_address(name) || (psl = orgdomain_list()) == NULL)
		return NULL;
	/* libpsl wants lowercase: it compares bytes */
	ascii_lower(buf, name.ptr, name.len);
	buf[name.len] = '\0';
	reg = psl_registrable_domain(psl, buf);
	if (reg == NULL)
		return NULL;
	/* reg is a suffix of buf */
	n = strlen(reg);
	memmove(buf, reg, n + 1);
	return buf;
}

const char *
orgdomain_data(void)
{
	const psl_ctx_t *psl = orgdomain_list();

	if (psl == NULL)
		return NULL;
	return psl == psl_builtin() ? "builtin" : psl_dist_filename();
}

void
orgdomain_cleanup(void)
{
	/* psl_free ignores the built-in list */
	psl_free(orgdomain_psl);
	orgdomain_psl = NULL;
	orgdomain_loaded = false;
}
