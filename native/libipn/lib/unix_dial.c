/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Connecting to the engine's sockets (engine.ctl, a network's ctl). */
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "unix_dial.h"

int unix_dial(const char *dir, const char *name, int type)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int n = snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	int s = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	if (connect(s, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		int e = -errno;
		close(s);
		return e;
	}
	return s;
}
