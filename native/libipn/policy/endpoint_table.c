/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The published endpoint table, RUNDIR/endpoints.json, written by the
 * daemon (world-readable, replaced atomically) so that unprivileged programs
 * resolve endpoint names without talking to it:
 *
 *   {"version": 1, "endpoints": {"db": [
 *      {"family": "inet", "address": "10.0.0.2", "port": 5432},
 *      {"family": "ipn", "path": "/run/ipn/lab"}]}}
 */
#include "ipn.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"

#define TABLE_MAX (4 << 20)

static char *read_table(const char *rundir, size_t *len)
{
	char path[4096];
	if (snprintf(path, sizeof path, "%s/endpoints.json", rundir ? rundir : "/run/ipn") >=
	    (int)sizeof path) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	char *buf = NULL;
	if (fstat(fd, &st) || st.st_size > TABLE_MAX) {
		errno = errno ? errno : EFBIG;
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		goto out;
	size_t n = 0;
	while (n < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + n, (size_t)st.st_size - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	buf[n] = 0;
	*len = n;
out:
	close(fd);
	return buf;
}

/* Append one line to the caller's buffer, counting what it would need. */
static void emit(char *buf, uint32_t cap, size_t *n, const char *line)
{
	size_t k = strlen(line);
	if (buf && *n + k < cap) {
		memcpy(buf + *n, line, k);
		buf[*n + k] = 0;
	}
	*n += k;
}

/* One address object into its text form. */
static int entry(struct json *j, char *line, size_t cap)
{
	char key[32], family[8] = "", address[256] = "", path[4096] = "";
	unsigned long port = 0;
	int first = 1, r;
	if (json_open(j, '{'))
		return -1;
	while ((r = json_next(j, '}', &first, key, sizeof key)) == 1) {
		if (!strcmp(key, "family"))
			r = json_string(j, family, sizeof family);
		else if (!strcmp(key, "address"))
			r = json_string(j, address, sizeof address);
		else if (!strcmp(key, "path"))
			r = json_string(j, path, sizeof path);
		else if (!strcmp(key, "port"))
			r = json_uint(j, &port);
		else
			r = json_skip(j);
		if (r)
			return -1;
	}
	if (r)
		return -1;
	if (!strcmp(family, "ipn") && path[0] == '/' && !strchr(path, '\n'))
		r = snprintf(line, cap, "ipn %s\n", path);
	else if ((!strcmp(family, "inet") || !strcmp(family, "inet6")) && address[0] &&
		 !strpbrk(address, " \t\n") && port >= 1 && port <= 65535)
		r = snprintf(line, cap, "%s %s %lu\n", family, address, port);
	else
		return -1;
	return r < 0 || (size_t)r >= cap ? -1 : 0;
}

/* Find `name` in the "endpoints" object; -ENOENT or -EBADMSG. */
static int find(struct json *j, const char *name, char *buf, uint32_t cap, size_t *n)
{
	char key[256], line[4200];
	int first = 1, r, found = 0;
	if (json_open(j, '{'))
		return -EBADMSG;
	while ((r = json_next(j, '}', &first, key, sizeof key)) == 1) {
		if (strcmp(key, "endpoints")) {
			if (json_skip(j))
				return -EBADMSG;
			continue;
		}
		int f2 = 1;
		char ep[256];
		if (json_open(j, '{'))
			return -EBADMSG;
		while ((r = json_next(j, '}', &f2, ep, sizeof ep)) == 1) {
			if (strcmp(ep, name) || found) {
				if (json_skip(j))
					return -EBADMSG;
				continue;
			}
			int f3 = 1;
			if (json_open(j, '['))
				return -EBADMSG;
			while ((r = json_next(j, ']', &f3, NULL, 0)) == 1) {
				if (entry(j, line, sizeof line))
					return -EBADMSG;
				emit(buf, cap, n, line);
			}
			if (r)
				return -EBADMSG;
			found = 1;
		}
		if (r)
			return -EBADMSG;
	}
	if (r || json_done(j))
		return -EBADMSG;
	return found ? 0 : -ENOENT;
}

int ipn_endpoint_lookup(const char *rundir, const char *name, char *buf, uint32_t cap)
{
	if (!name || !*name)
		return -EINVAL;
	if (buf && cap)
		buf[0] = 0;
	size_t len = 0;
	char *text = read_table(rundir, &len);
	if (!text)
		return -errno;
	struct json j;
	json_init(&j, text, len);
	size_t n = 0;
	int rc = find(&j, name, buf, cap, &n);
	free(text);
	if (rc)
		return rc;
	if (n > INT32_MAX)
		return -EOVERFLOW;
	if (!buf || n >= cap)
		return (int)n; /* too small: ask again with more room */
	if (n)
		buf[--n] = 0; /* lines are separated, not terminated */
	return (int)n;
}
