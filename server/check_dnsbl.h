/* SPDX-License-Identifier: MIT */
/*
 * check_dnsbl.h - the blocklist check of a diagnosis, or of an IP alone
 *
 * API: check_dnsbl_kind is the check (check.h) that checks.c's table
 * calls for when the receiver refused the sending IP (a block, a bad
 * reputation, spam), and that GET /api/v1/dnsbl and /api/v1/check run:
 * every configured blocklist asked at once about the IP (and the sender
 * domain on domain lists), and the lists the bounce names (dnsbl.h). Its
 * check_result's data is the struct dnsbl_result; its summary weighs the
 * receiver's claim against the listings now.
 * Not here: the lists and the lookups (dnsbl*.c), the JSON
 * (report_check.c).
 * Ownership: the result is in the run's arena.
 */
#ifndef CHECK_DNSBL_H
#define CHECK_DNSBL_H

#include "check.h"

extern const struct check_kind check_dnsbl_kind;

#endif
