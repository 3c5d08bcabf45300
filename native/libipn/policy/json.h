/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A small pull reader for JSON documents that libipn publishes itself
 * (endpoints.json): strings, integers, objects, arrays, true/false/null.
 * Every function returns 0 on success and -1 on malformed input.
 */
#ifndef IPN_JSON_H
#define IPN_JSON_H

#include <stddef.h>

struct json {
	const char *p, *end;
	int depth;
};

void json_init(struct json *j, const char *text, size_t len);
/* Open an object or array: `open` is '{' or '['. */
int json_open(struct json *j, char open);
/*
 * Next member of an open object (key into `key`, the ':' consumed) or next
 * element of an open array (key NULL). Returns 1 when there is one, 0 at the
 * closing bracket (consumed), -1 on error. `*first` starts at 1.
 */
int json_next(struct json *j, char close, int *first, char *key, size_t keycap);
/* A string value into `out` (NUL-terminated, UTF-8), truncation is an error. */
int json_string(struct json *j, char *out, size_t cap);
/* A non-negative integer value. */
int json_uint(struct json *j, unsigned long *out);
/* Skip any value. */
int json_skip(struct json *j);
/* Only whitespace is left. */
int json_done(struct json *j);

#endif
