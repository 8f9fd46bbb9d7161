/* SPDX-License-Identifier: MIT */
/*
 * webui.c - the files of the web page, served from memory
 *
 * The page is a handful of small files, so they are read once at start-up:
 * serving them costs no system call and no path ever reaches the file
 * system, which rules out traversal by construction. Not here: HTTP
 * headers and conditional requests (api.c).
 */
#include "webui.h"

#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xmalloc.h"

#define WEBUI_MAX_FILE  (4u << 20)
#define WEBUI_MAX_FILES 64

struct webui {
	struct webui_file files[WEBUI_MAX_FILES];
	size_t n;
};

static const struct {
	const char *ext;
	const char *type;
} webui_types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".txt", "text/plain; charset=utf-8" },
	{ ".json", "application/json" },
	{ ".webmanifest", "application/manifest+json" },
	{ ".yaml", "application/yaml" },
};

static const char *
webui_type_of(const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < sizeof(webui_types) / sizeof(webui_types[0]);
	     i++) {
		size_t m = strlen(webui_types[i].ext);

		if (n > m && strcmp(name + n - m, webui_types[i].ext) == 0)
			return webui_types[i].type;
	}
	return NULL;
}

/* webui_read - a whole regular file, at most WEBUI_MAX_FILE bytes */
static int
webui_read(const char *path, struct buf *b, char **err_out)
{
	FILE *f = fopen(path, "rb");
	char chunk[8192];
	size_t n;
	int r = 0;

	if (f == NULL) {
		*err_out = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (buf_append(b, chunk, n) == -1) {
			*err_out = xasprintf("%s: larger than %u bytes", path,
			    WEBUI_MAX_FILE);
			r = -1;
			break;
		}
	}
	if (r == 0 && ferror(f)) {
		*err_out = xasprintf("%s: read error", path);
		r = -1;
	}
	(void)fclose(f);
	return r;
}

/* webui_add - load one file under the request path "/" + base name */
static int
webui_add(struct webui *w, const char *path, const char *base, char **err_out)
{
	struct webui_file *f;
	const char *type = webui_type_of(base);
	struct buf b;

	if (type == NULL)
		return 0;
	if (w->n == WEBUI_MAX_FILES) {
		*err_out =
		    xasprintf("%s: more than %d files", path, WEBUI_MAX_FILES);
		return -1;
	}
	buf_init(&b, WEBUI_MAX_FILE);
	if (webui_read(path, &b, err_out) == -1) {
		buf_clear(&b);
		return -1;
	}
	f = &w->files[w->n++];
	f->content_type = type;
	f->len = b.len;
	f->data = buf_steal(&b, NULL);
	f->name = xasprintf("/%s", base);
	f->etag = webui_etag(f->data, f->len);
	return 0;
}

static int
webui_filter(const struct dirent *d)
{
	return d->d_name[0] != '.' && webui_type_of(d->d_name) != NULL;
}

int
webui_load(const char *dir, const char *const *extra, size_t nextra,
    struct webui **out, char **err_out)
{
	struct webui *w = xcalloc(1, sizeof(*w));
	struct dirent **names = NULL;
	char path[4096];
	int n, r = 0;

	n = scandir(dir, &names, webui_filter, alphasort);
	if (n < 0) {
		*err_out = xasprintf("%s: %s", dir, strerror(errno));
		free(w);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		struct stat st;

		(void)snprintf(path, sizeof(path), "%s/%s", dir,
		    names[i]->d_name);
		if (r == 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode))
			r = webui_add(w, path, names[i]->d_name, err_out);
		free(names[i]);
	}
	free(names);
	for (size_t i = 0; i < nextra && r == 0; i++) {
		const char *slash = strrchr(extra[i], '/');

		r = webui_add(w, extra[i], slash ? slash + 1 : extra[i],
		    err_out);
	}
	if (r == 0 && webui_find(w, "/") == NULL) {
		*err_out = xasprintf("%s: no index.html", dir);
		r = -1;
	}
	if (r == -1) {
		webui_free(w);
		return -1;
	}
	*out = w;
	return 0;
}

void
webui_free(struct webui *w)
{
	if (w == NULL)
		return;
	for (size_t i = 0; i < w->n; i++) {
		free(w->files[i].name);
		free(w->files[i].etag);
		free(w->files[i].data);
	}
	free(w);
}

const struct webui_file *
webui_find(const struct webui *w, const char *path)
{
	if (strcmp(path, "/") == 0)
		path = "/index.html";
	for (size_t i = 0; i < w->n; i++) {
		if (strcmp(w->files[i].name, path) == 0)
			return &w->files[i];
	}
	return NULL;
}

char *
webui_etag(const char *data, size_t len)
{
	uint64_t h = 14695981039346656037ULL; /* FNV-1a, 64 bits */

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)data[i];
		h *= 1099511628211ULL;
	}
	return xasprintf("\"%016llx\"", (unsigned long long)h);
}
