/* SPDX-License-Identifier: GPL-2.0-only */
/* A tiny test harness: CHECK counts passes and failures, check_done() reports. */
#ifndef IPN_CHECK_H
#define IPN_CHECK_H

#include <stdio.h>

static int check_pass, check_fail;

#define CHECK(cond)                                                                   \
	do {                                                                          \
		if (cond) {                                                           \
			check_pass++;                                                 \
		} else {                                                              \
			check_fail++;                                                 \
			fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                     \
	} while (0)

#define CHECK_EQ(a, b)                                                                      \
	do {                                                                                \
		long long _a = (long long)(a), _b = (long long)(b);                         \
		if (_a == _b) {                                                             \
			check_pass++;                                                       \
		} else {                                                                    \
			check_fail++;                                                       \
			fprintf(stderr, "FAIL %s:%d: %s == %s (%lld != %lld)\n", __FILE__, \
				__LINE__, #a, #b, _a, _b);                                  \
		}                                                                           \
	} while (0)

/* Print "name: N passed, M failed" and return the exit status. */
static inline int check_done(const char *name)
{
	printf("%-10s %d passed, %d failed\n", name, check_pass, check_fail);
	return check_fail ? 1 : 0;
}

#endif
