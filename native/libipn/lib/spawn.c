/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Start ipn-engine for a rundir and wait until it serves (or says why not).
 * The binary is $IPN_ENGINE, else ../bin/ipn-engine next to this library.
 * posix_spawn keeps this safe in multithreaded callers (the Deno daemon).
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "backend.h"

#define READY_TIMEOUT_MS 10000

extern char **environ;

static int engine_path(char *out, size_t cap)
{
	const char *env = getenv("IPN_ENGINE");
	if (env && *env) {
		snprintf(out, cap, "%s", env);
		return 0;
	}
	Dl_info info;
	if (!dladdr((void *)engine_path, &info) || !info.dli_fname)
		return -ENOENT;
	char lib[PATH_MAX];
	if (!realpath(info.dli_fname, lib))
		return -errno;
	int n = snprintf(out, cap, "%s/../bin/ipn-engine", dirname(lib));
	return (n < 0 || (size_t)n >= cap) ? -ENAMETOOLONG : 0;
}

int spawn_engine(const char *rundir, char *why, size_t cap)
{
	char exe[PATH_MAX];
	int rc = engine_path(exe, sizeof(exe));
	if (rc == 0 && access(exe, X_OK) < 0)
		rc = -errno;
	if (rc < 0) {
		snprintf(why, cap, "cannot find the ipn-engine binary (%s)", strerror(-rc));
		return rc;
	}
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	/* the engine gets the write end as fd 3 (dup2 clears close-on-exec) */
	posix_spawn_file_actions_adddup2(&fa, p[1], 3);
	posix_spawnattr_t at;
	posix_spawnattr_init(&at);
	sigset_t none;
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK);
	char *argv[] = {exe, "--rundir", (char *)rundir, "--ready-fd", "3", NULL};
	pid_t pid;
	rc = posix_spawn(&pid, exe, &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(p[1]);
	if (rc != 0) {
		close(p[0]);
		snprintf(why, cap, "cannot start %s: %s", exe, strerror(rc));
		return -rc;
	}
	char msg[256];
	size_t have = 0;
	struct pollfd pfd = {p[0], POLLIN, 0};
	while (have < sizeof(msg) - 1 && poll(&pfd, 1, READY_TIMEOUT_MS) > 0) {
		ssize_t r = read(p[0], msg + have, sizeof(msg) - 1 - have);
		if (r <= 0)
			break;
		have += (size_t)r;
	}
	msg[have] = 0;
	close(p[0]);
	int status;
	waitpid(pid, &status, 0); /* the first fork exits at once */
	if (!strncmp(msg, "ok", 2) || !strncmp(msg, "running", 7))
		return 0;
	msg[strcspn(msg, "\n")] = 0;
	snprintf(why, cap, "the engine did not start: %s", have ? msg : "no word from it");
	return -EIO;
}
