/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The engine logs to RUNDIR/engine.log (stderr in the foreground). A daemon
 * that runs for months must not fill the disk: past LOG_MAX bytes the log
 * moves to engine.log.1 (replacing the previous one) and starts afresh.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "engine.h"

#define LOG_MAX (8 << 20)

static int log_fd = 2;
static char log_path[IPN_PATH_MAX + 16];
static off_t log_size;

int log_open(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (fd < 0)
		return -1;
	struct stat st;
	log_size = fstat(fd, &st) == 0 ? st.st_size : 0;
	if (log_fd > 2)
		close(log_fd);
	log_fd = fd;
	snprintf(log_path, sizeof(log_path), "%s", path);
	return 0;
}

static void rotate(void)
{
	char old[sizeof(log_path) + 2];
	snprintf(old, sizeof(old), "%s.1", log_path);
	if (rename(log_path, old) == 0)
		log_open(log_path);
}

void log_msg(const char *fmt, ...)
{
	char line[512];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	size_t n = strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%SZ ", &tm);
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	if (k < 0)
		return;
	n += (size_t)k < sizeof(line) - n - 1 ? (size_t)k : sizeof(line) - n - 2;
	line[n++] = '\n';
	if (write(log_fd, line, n) < 0) {
		/* nowhere left to complain */
	}
	log_size += (off_t)n;
	if (log_path[0] && log_size > LOG_MAX)
		rotate();
}
