/* SPDX-License-Identifier: MIT */
/*
 * langfmt.h - how a language counts: plural categories and numbers
 *
 * Rules by language code, from the Unicode CLDR plural rules and number
 * symbols for integers: Russian tells one, few and many apart ("1 запись,
 * 2 записи, 5 записей"), French counts 0 as one, Japanese has no plural,
 * and a thousands separator is ",", ".", a no-break space or nothing. A
 * code this table lacks counts like English (one, other) and groups with
 * ",". The primary subtag decides ("ru-RU" is "ru"), except where a
 * region counts otherwise ("pt-PT").
 *
 * API: langfmt_plural is the CLDR category of an integer ("zero", "one",
 * "two", "few", "many", "other"); langfmt_forms lists the categories a
 * language uses, in CLDR order; langfmt_number writes an integer as the
 * language writes it.
 * Ownership: returned names are static.
 */
#ifndef LANGFMT_H
#define LANGFMT_H

#include <stddef.h>

#define LANGFMT_MAX_FORMS 6
#define LANGFMT_NUM_LEN   48 /* room for any unsigned long, grouped */

const char *langfmt_plural(const char *code, unsigned long n);
/* The categories code uses, NULL-terminated, into out. */
void langfmt_forms(const char *code, const char *out[LANGFMT_MAX_FORMS + 1]);
/* n with the language's thousands separator, into out. */
void langfmt_number(const char *code, unsigned long n,
    char out[LANGFMT_NUM_LEN]);

#endif
