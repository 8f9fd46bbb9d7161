/* SPDX-License-Identifier: MIT */
/*
 * webui.h - the files of the web page, served from memory
 *
 * API: webui_load(dir) reads, once at start-up, every file of the static
 * directory whose extension is on the allowlist (html, js, css, svg, png,
 * ico, txt, json, webmanifest) plus any extra file given by path (the API
 * description), computes each one's ETag and content type, and keeps them
 * in memory. webui_find maps a request path to a file ("/" is index.html);
 * nothing outside the loaded set can ever be served.
 * Ownership: webui_load returns owned (webui_free); files are views valid
 * until webui_free.
 */
#ifndef WEBUI_H
#define WEBUI_H

#include <stddef.h>

struct webui_file {
	char *name; /* "/index.html" */
	const char *content_type;
	char *etag; /* quoted */
	char *data;
	size_t len;
};

struct webui;

/* Returns 0, or -1 with *err_out (owned, free()) naming the file. */
int webui_load(const char *dir, const char *const *extra, size_t nextra,
    struct webui **out, char **err_out);
void webui_free(struct webui *w);

const struct webui_file *webui_find(const struct webui *w, const char *path);
/* The ETag of a body that stays the same until a restart: quoted, owned
 * (free()). The page's files and the API's fixed documents use it. */
char *webui_etag(const char *data, size_t len);

#endif
