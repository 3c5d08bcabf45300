/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef IPN_IFNAME_H
#define IPN_IFNAME_H

#include <stdbool.h>
#include <string.h>

/* A Linux interface name: 1..15 bytes, no '/', ':' or whitespace. */
static inline bool ifname_ok(const char *s)
{
	size_t n = strnlen(s, 16);
	if (n == 0 || n > 15 || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '/' || s[i] == ':' || (unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return false;
	return true;
}

#endif
