/* SPDX-License-Identifier: MIT */
/*
 * log.h - structured logs to stderr
 *
 * API: log_init(level) once; then log_debug/log_info/log_warn(event, fmt,
 * ...) write one line "ts=... level=... event=EVENT key=value ...", where
 * fmt formats the key=value tail (may be ""). log_fatal logs and exits 1:
 * for a bad environment at start-up. ASSERT(x) is always compiled in: it
 * logs file and line and aborts (a bug, never bad input).
 * Values that may contain spaces or quotes go through log_quote first.
 */
#ifndef LOG_H
#define LOG_H

#include <stddef.h>

enum log_level {
	LOG_DEBUG,
	LOG_INFO,
	LOG_WARN,
	LOG_FATAL,
};

void log_init(enum log_level min);
int log_level_parse(const char *s, enum log_level *out);

void log_msg(enum log_level level, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
_Noreturn void log_fatal(const char *event, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
_Noreturn void log_assert_fail(const char *expr, const char *file, int line);

/*
 * Quote s (at most n bytes) for a log value: double quotes, with '"', '\\'
 * and control bytes escaped, cut to fit out. Returns out.
 */
char *log_quote(char *out, size_t outlen, const char *s, size_t n);

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)

#define ASSERT(x)                                                \
	do {                                                     \
		if (!(x))                                        \
			log_assert_fail(#x, __FILE__, __LINE__); \
	} while (0)

#endif
