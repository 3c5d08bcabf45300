/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A small pull reader for the JSON documents libipn publishes. */
#include "json.h"

#include <string.h>

#define JSON_MAX_DEPTH 32

void json_init(struct json *j, const char *text, size_t len)
{
	j->p = text;
	j->end = text + len;
	j->depth = 0;
}

static void ws(struct json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int peek(struct json *j)
{
	ws(j);
	return j->p < j->end ? (unsigned char)*j->p : -1;
}

static int eat(struct json *j, char c)
{
	if (peek(j) != (unsigned char)c)
		return -1;
	j->p++;
	return 0;
}

int json_open(struct json *j, char open)
{
	if (j->depth >= JSON_MAX_DEPTH || eat(j, open))
		return -1;
	j->depth++;
	return 0;
}

int json_next(struct json *j, char close, int *first, char *key, size_t keycap)
{
	if (peek(j) == (unsigned char)close) {
		j->p++;
		j->depth--;
		return 0;
	}
	if (!*first && eat(j, ','))
		return -1;
	*first = 0;
	if (key && (json_string(j, key, keycap) || eat(j, ':')))
		return -1;
	return 1;
}

static int hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* Append one code point as UTF-8. */
static int put_utf8(char *out, size_t cap, size_t *n, unsigned cp)
{
	char b[4];
	size_t k;
	if (cp < 0x80) {
		b[0] = (char)cp;
		k = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		k = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		k = 3;
	} else {
		b[0] = (char)(0xf0 | cp >> 18);
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		k = 4;
	}
	if (out) {
		if (*n + k >= cap)
			return -1;
		memcpy(out + *n, b, k);
	}
	*n += k;
	return 0;
}

int json_string(struct json *j, char *out, size_t cap)
{
	if (eat(j, '"'))
		return -1;
	size_t n = 0;
	while (j->p < j->end) {
		unsigned char c = (unsigned char)*j->p++;
		if (c == '"') {
			if (out)
				out[n] = 0;
			return 0;
		}
		if (c < 0x20)
			return -1;
		unsigned cp = c;
		if (c == '\\') {
			if (j->p >= j->end)
				return -1;
			char e = *j->p++;
			switch (e) {
			case '"': case '\\': case '/': cp = (unsigned char)e; break;
			case 'b': cp = '\b'; break;
			case 'f': cp = '\f'; break;
			case 'n': cp = '\n'; break;
			case 'r': cp = '\r'; break;
			case 't': cp = '\t'; break;
			case 'u':
				if (j->end - j->p < 4 || hex4(j->p, &cp))
					return -1;
				j->p += 4;
				if (cp >= 0xd800 && cp < 0xdc00) { /* surrogate pair */
					unsigned lo;
					if (j->end - j->p < 6 || j->p[0] != '\\' || j->p[1] != 'u' ||
					    hex4(j->p + 2, &lo) || lo < 0xdc00 || lo >= 0xe000)
						return -1;
					j->p += 6;
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				} else if (cp >= 0xdc00 && cp < 0xe000) {
					return -1;
				}
				if (cp == 0)
					return -1; /* would truncate a C string */
				break;
			default:
				return -1;
			}
			if (put_utf8(out, cap, &n, cp))
				return -1;
			continue;
		}
		/* raw bytes (UTF-8 passes through unchanged) */
		if (out) {
			if (n + 1 >= cap)
				return -1;
			out[n] = (char)c;
		}
		n++;
	}
	return -1;
}

int json_uint(struct json *j, unsigned long *out)
{
	int c = peek(j);
	if (c < '0' || c > '9')
		return -1;
	unsigned long v = 0;
	while (j->p < j->end && *j->p >= '0' && *j->p <= '9') {
		if (v > 1000000000UL)
			return -1;
		v = v * 10 + (unsigned long)(*j->p++ - '0');
	}
	if (j->p < j->end && (*j->p == '.' || *j->p == 'e' || *j->p == 'E'))
		return -1;
	*out = v;
	return 0;
}

static int literal(struct json *j, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, word, n))
		return -1;
	j->p += n;
	return 0;
}

int json_skip(struct json *j)
{
	int c = peek(j);
	if (c == '"')
		return json_string(j, NULL, 0);
	if (c == '{' || c == '[') {
		char close = c == '{' ? '}' : ']';
		char key[256];
		int first = 1, r;
		if (json_open(j, (char)c))
			return -1;
		while ((r = json_next(j, close, &first, c == '{' ? key : NULL, sizeof key)) == 1)
			if (json_skip(j))
				return -1;
		return r;
	}
	if (c == 't')
		return literal(j, "true");
	if (c == 'f')
		return literal(j, "false");
	if (c == 'n')
		return literal(j, "null");
	if (c == '-' || (c >= '0' && c <= '9')) {
		if (c == '-')
			j->p++;
		int digits = 0;
		while (j->p < j->end && strchr("0123456789.eE+-", *j->p)) {
			j->p++;
			digits++;
		}
		return digits ? 0 : -1;
	}
	return -1;
}

int json_done(struct json *j)
{
	return peek(j) == -1 ? 0 : -1;
}
