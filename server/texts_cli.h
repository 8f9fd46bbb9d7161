/* SPDX-License-Identifier: MIT */
/*
 * texts_cli.h - "bouncedoc texts": the message catalog for translators
 *
 * API: texts_cli(argc, argv) with argv[0] == "texts" runs
 *   texts export [--rules DIR]          every message id with its English
 *                                        text, one JSON object, to stdout
 *   texts check LANG [--rules DIR]       the ids LANG lacks ("missing ID")
 *                                        or English no longer has ("stale
 *                                        ID"), one per line
 * and returns the exit status: 0; 1 when check found anything or the
 * catalog does not load (a translation whose placeholders differ from the
 * English, for one); 2 on a usage error.
 */
#ifndef TEXTS_CLI_H
#define TEXTS_CLI_H

int texts_cli(int argc, char **argv);

#endif
