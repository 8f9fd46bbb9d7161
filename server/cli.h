/* SPDX-License-Identifier: MIT */
/*
 * cli.h - "bouncedoc diagnose": the API's answer for a file or stdin
 *
 * API: cli_diagnose(argc, argv) with argv[0] == "diagnose" parses its own
 * options (--lang xx, --no-dns, --rules DIR, --help), reads the bounce
 * from FILE or "-" (stdin, at most CLI_MAX_INPUT bytes), prints the same
 * JSON document as POST /api/v1/diagnose to stdout and returns the exit
 * status (0; 1 when the input cannot be read or holds nothing to
 * diagnose; 2 on a usage error). For scripts and mail pipelines.
 */
#ifndef CLI_H
#define CLI_H

#define CLI_MAX_INPUT (64u << 20)

int cli_diagnose(int argc, char **argv);

#endif
