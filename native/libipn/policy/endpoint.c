/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Endpoints: one name over several families, tried in order. inet and inet6
 * entries are TCP connections with a timeout; an ipn entry is a network
 * path, reached through its control socket (PATH/ctl for a VDE-style
 * directory, PATH itself when it is a socket).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "ipn.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Non-blocking connect, wait up to `ms`; the fd is left blocking on success. */
static int connect_within(int fd, const struct sockaddr *sa, socklen_t len, int ms)
{
	if (connect(fd, sa, len) == 0)
		goto done;
	if (errno != EINPROGRESS)
		return -errno;
	long long end = now_ms() + ms;
	for (;;) {
		long long left = end - now_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		struct pollfd p = {.fd = fd, .events = POLLOUT};
		int rc = poll(&p, 1, (int)left);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			return -errno;
		if (rc == 0)
			return -ETIMEDOUT;
		break;
	}
	int e = 0;
	socklen_t el = sizeof e;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el))
		return -errno;
	if (e)
		return -e;
done:
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return 0;
}

static int try_inet(int family, const char *host, const char *port, int ms)
{
	struct addrinfo hints = {.ai_family = family, .ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_NUMERICSERV};
	struct addrinfo *res;
	int g = getaddrinfo(host, port, &hints, &res);
	if (g)
		return g == EAI_SYSTEM ? -errno : -EHOSTUNREACH;
	int rc = -EHOSTUNREACH;
	for (struct addrinfo *a = res; a; a = a->ai_next) {
		int fd = socket(a->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			rc = -errno;
			continue;
		}
		rc = connect_within(fd, a->ai_addr, a->ai_addrlen, ms);
		if (!rc) {
			freeaddrinfo(res);
			return fd;
		}
		close(fd);
	}
	freeaddrinfo(res);
	return rc;
}

static int try_ipn(const char *path, int ms)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	struct stat st;
	if (stat(path, &st))
		return -errno;
	int n = S_ISDIR(st.st_mode) ? snprintf(sun.sun_path, sizeof sun.sun_path, "%s/ctl", path)
				    : snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
	if (n < 0 || (size_t)n >= sizeof sun.sun_path)
		return -ENAMETOOLONG;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	int rc = connect_within(fd, (struct sockaddr *)&sun, sizeof sun, ms);
	if (rc) {
		close(fd);
		return rc;
	}
	return fd;
}

static void note(struct ipn_endpoint_result *res, const char *entry, int err)
{
	if (!res)
		return;
	size_t used = strlen(res->detail);
	snprintf(res->detail + used, sizeof res->detail - used, "%s: %s\n", entry, strerror(-err));
}

struct entry {
	int family; /* IPN_EP_* */
	char host[256];
	char port[8];
	const char *path; /* into the line buffer */
	char line[512];
};

/* Take the next line of `*s` as an entry; 0, or -EINVAL when malformed. */
static int next_entry(const char **s, struct entry *e)
{
	const char *nl = strchr(*s, '\n');
	size_t n = nl ? (size_t)(nl - *s) : strlen(*s);
	if (n >= sizeof e->line)
		return -EINVAL;
	memcpy(e->line, *s, n);
	e->line[n] = 0;
	*s += n + (nl ? 1 : 0);
	char fam[8], extra[2];
	if (!strncmp(e->line, "ipn /", 5)) {
		e->family = IPN_EP_IPN;
		e->path = e->line + 4;
		return 0;
	}
	if (sscanf(e->line, "%7s %255s %7s %1s", fam, e->host, e->port, extra) != 3)
		return -EINVAL;
	if (!strcmp(fam, "inet"))
		e->family = IPN_EP_INET;
	else if (!strcmp(fam, "inet6"))
		e->family = IPN_EP_INET6;
	else
		return -EINVAL;
	return 0;
}

int ipn_endpoint_connect(const char *addrs, uint32_t timeout_ms, struct ipn_endpoint_result *res)
{
	if (!addrs || (res && res->size < sizeof *res))
		return -EINVAL;
	if (res) {
		memset(res, 0, sizeof *res);
		res->size = sizeof *res;
		res->index = -1;
	}
	struct entry e;
	/* a malformed list is refused before anything is tried */
	for (const char *s = addrs; *s;)
		if (next_entry(&s, &e))
			return -EINVAL;
	int ms = timeout_ms ? (int)(timeout_ms > 600000 ? 600000 : timeout_ms) : 3000;
	int last = 0, index = 0;
	for (const char *s = addrs; *s; index++) {
		next_entry(&s, &e);
		int fd = e.family == IPN_EP_IPN
				 ? try_ipn(e.path, ms)
				 : try_inet(e.family == IPN_EP_INET ? AF_INET : AF_INET6, e.host, e.port, ms);
		if (fd >= 0) {
			if (res) {
				res->index = index;
				res->family = (uint32_t)e.family;
				res->error = last;
			}
			return fd;
		}
		last = fd;
		note(res, e.line, fd);
	}
	if (!index)
		last = -ENOENT; /* an empty list */
	if (res)
		res->error = last;
	return last;
}
