/* SPDX-License-Identifier: MIT */
/*
 * replay.c - run a libFuzzer target over files without libFuzzer
 *
 * Usage: replay_TARGET FILE|DIR ...: calls LLVMFuzzerTestOneInput once
 * per file (the files of a directory, not its subdirectories), so that
 * the fuzz corpus runs as a regression test under gcc, sanitizers or
 * valgrind. Prints one line per argument; exits non-zero when a path
 * cannot be read (a crash in the target ends the process anyway).
 */
#include <sys/stat.h>

#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define REPLAY_MAX_INPUT (16u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* replay_file - run one file; -1 if it cannot be read */
static int
replay_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	struct buf b;
	char chunk[65536];
	size_t n;
	int rc = 0;

	if (fp == NULL) {
		perror(path);
		return -1;
	}
	buf_init(&b, REPLAY_MAX_INPUT);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (buf_append(&b, chunk, n) == -1) {
			(void)fprintf(stderr, "%s: larger than %u bytes\n",
			    path, REPLAY_MAX_INPUT);
			rc = -1;
			break;
		}
	}
	if (ferror(fp)) {
		perror(path);
		rc = -1;
	}
	(void)fclose(fp);
	if (rc == 0)
		(void)LLVMFuzzerTestOneInput((const uint8_t *)b.data, b.len);
	buf_clear(&b);
	return rc;
}

/* replay_dir - every regular file of dir; returns the count or -1 */
static long
replay_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat sb;
	char path[4096];
	long count = 0;

	if (d == NULL) {
		perror(dir);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >=
		    (int)sizeof(path))
			continue;
		if (stat(path, &sb) == -1 || !S_ISREG(sb.st_mode))
			continue;
		if (replay_file(path) == -1) {
			count = -1;
			break;
		}
		count++;
	}
	(void)closedir(d);
	return count;
}

int
main(int argc, char **argv)
{
	struct stat sb;
	long n;
	int status = 0;

	if (argc < 2) {
		(void)fprintf(stderr, "usage: %s FILE|DIR ...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		if (stat(argv[i], &sb) == -1) {
			perror(argv[i]);
			status = 1;
			continue;
		}
		n = S_ISDIR(sb.st_mode) ? replay_dir(argv[i]) :
		                          (replay_file(argv[i]) == 0 ? 1 : -1);
		if (n < 0) {
			status = 1;
			continue;
		}
		(void)printf("replay: %s: %ld inputs ok\n", argv[i], n);
	}
	return status;
}
