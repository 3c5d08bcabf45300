// SPDX-License-Identifier: GPL-2.0
/*
 * ipnlib: libipn's backend choice from the shell of the guest.
 *
 *   ipnlib open auto|user|kernel [RUNDIR]
 *
 * Prints "backend user|kernel", or "error: ERRNO-TEXT: why" and exits 1.
 */
#include <stdio.h>
#include <string.h>
#include "ipn.h"

int main(int argc, char **argv)
{
	const char *names[] = { "auto", "user", "kernel" };
	uint32_t b = 3;
	char why[200] = "";
	ipn_ctx *ctx;
	int rc;

	for (uint32_t i = 0; argc >= 3 && i < 3; i++)
		if (!strcmp(argv[2], names[i]))
			b = i;
	if (argc < 3 || strcmp(argv[1], "open") || b == 3) {
		fprintf(stderr, "usage: ipnlib open auto|user|kernel [RUNDIR]\n");
		return 2;
	}
	rc = ipn_open(b, argc > 3 ? argv[3] : "/tmp/ipnlib-run", &ctx);
	if (rc < 0) {
		ipn_last_error(NULL, why, sizeof(why));
		printf("error: %s: %s\n", ipn_strerror(rc), why);
		return 1;
	}
	printf("backend %s\n", names[ipn_ctx_backend(ctx)]);
	ipn_close(ctx);
	return 0;
}
