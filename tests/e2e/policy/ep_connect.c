/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Connect to an endpoint through libipn and say which entry served.
 *
 *   ep_connect --addrs "inet 10.0.0.1 80\ninet6 fd00::1 80" [TIMEOUT_MS]
 *   ep_connect --name NAME RUNDIR [TIMEOUT_MS]
 *
 * Prints "served index=I family=inet|inet6|ipn" and the failures before it;
 * exit 0 when an entry served, 1 when none did, 2 on bad use.
 */
#include "ipn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void unescape(char *s)
{
	char *o = s;
	for (; *s; s++) {
		if (s[0] == '\\' && s[1] == 'n') {
			*o++ = '\n';
			s++;
		} else {
			*o++ = *s;
		}
	}
	*o = 0;
}

int main(int argc, char **argv)
{
	char addrs[4096];
	uint32_t timeout = 1000;
	if (argc >= 3 && !strcmp(argv[1], "--addrs")) {
		snprintf(addrs, sizeof addrs, "%s", argv[2]);
		unescape(addrs);
		if (argc > 3)
			timeout = (uint32_t)atoi(argv[3]);
	} else if (argc >= 4 && !strcmp(argv[1], "--name")) {
		int n = ipn_endpoint_lookup(argv[3], argv[2], addrs, sizeof addrs);
		if (n < 0 || n >= (int)sizeof addrs) {
			fprintf(stderr, "ep_connect: lookup %s: error %d\n", argv[2], n);
			return 1;
		}
		if (argc > 4)
			timeout = (uint32_t)atoi(argv[4]);
	} else {
		fprintf(stderr, "usage: ep_connect --addrs LIST [MS] | --name NAME RUNDIR [MS]\n");
		return 2;
	}
	static const char *names[] = {"?", "inet", "inet6", "ipn"};
	struct ipn_endpoint_result r = {.size = sizeof r};
	int fd = ipn_endpoint_connect(addrs, timeout, &r);
	if (r.detail[0])
		fputs(r.detail, stdout);
	if (fd < 0) {
		printf("none served (error %d)\n", fd);
		return 1;
	}
	printf("served index=%d family=%s\n", r.index, names[r.family < 4 ? r.family : 0]);
	close(fd);
	return 0;
}
