/* SPDX-License-Identifier: GPL-2.0-only */
#include <errno.h>
#include <libvdeplug.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "ipn.h"
#include "transport.h"

uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int wait_in(int fd, int timeout_ms)
{
	struct pollfd p = {fd, POLLIN, 0};
	return poll(&p, 1, timeout_ms);
}

/* ---- libvdeplug: one system call per frame, as every VDE client does ---- */

static int vde_tx(struct tp *t, const uint8_t *buf, size_t len, int n)
{
	for (int i = 0; i < n; i++)
		if (vde_send(t->h, buf, len, 0) < 0)
			return i;
	return n;
}

static int vde_rx(struct tp *t, uint8_t *bufs, size_t cap, uint32_t *lens, int max, int timeout_ms)
{
	if (wait_in(t->fd, timeout_ms) <= 0)
		return 0;
	int n = 0;
	while (n < max) {
		ssize_t r = vde_recv(t->h, bufs + (size_t)n * cap, cap, 0);
		if (r <= 0)
			break;
		lens[n++] = (uint32_t)r;
		if (wait_in(t->fd, 0) <= 0)
			break;
	}
	return n;
}

static void vde_cl(struct tp *t)
{
	vde_close(t->h);
}

static const struct tp_ops vde_ops = {vde_tx, vde_rx, vde_cl};

/* ---- raw AF_UNIX datagrams between the processes ---- */

static int unix_tx(struct tp *t, const uint8_t *buf, size_t len, int n)
{
	for (int i = 0; i < n; i++)
		for (int k = 0; k < t->npeers; k++) {
			struct sockaddr_un sun = {.sun_family = AF_UNIX};
			memcpy(sun.sun_path, t->peers[k], sizeof(sun.sun_path));
			if (sendto(t->fd, buf, len, 0, (struct sockaddr *)&sun, sizeof(sun)) < 0)
				return i;
		}
	return n;
}

static int unix_rx(struct tp *t, uint8_t *bufs, size_t cap, uint32_t *lens, int max, int timeout_ms)
{
	if (wait_in(t->fd, timeout_ms) <= 0)
		return 0;
	int n = 0;
	while (n < max) {
		ssize_t r = recv(t->fd, bufs + (size_t)n * cap, cap, MSG_DONTWAIT);
		if (r <= 0)
			break;
		lens[n++] = (uint32_t)r;
	}
	return n;
}

static void unix_cl(struct tp *t)
{
	close(t->fd);
}

static const struct tp_ops unix_ops = {unix_tx, unix_rx, unix_cl};

/* ---- libipn native members: batches through shared rings ---- */

static int nat_tx(struct tp *t, const uint8_t *buf, size_t len, int n)
{
	static uint8_t batch[BATCH * 1600];
	static uint32_t lens[BATCH];
	int sent = 0;
	while (sent < n) {
		int k = n - sent < BATCH ? n - sent : BATCH;
		for (int i = 0; i < k; i++) {
			memcpy(batch + (size_t)i * len, buf, len);
			lens[i] = (uint32_t)len;
		}
		int r = ipn_send_batch(t->h, batch, lens, (uint32_t)k);
		if (r <= 0)
			return sent;
		sent += r;
	}
	return sent;
}

static int nat_rx(struct tp *t, uint8_t *bufs, size_t cap, uint32_t *lens, int max, int timeout_ms)
{
	for (;;) {
		int r = ipn_recv_batch(t->h, bufs, cap * (size_t)max, lens, (uint32_t)max);
		if (r > 0) {
			/* frames come packed; spread them to the caller's stride */
			size_t off = 0;
			for (int i = 0; i < r; i++)
				off += lens[i];
			for (int i = r - 1; i >= 0; i--) {
				off -= lens[i];
				memmove(bufs + (size_t)i * cap, bufs + off, lens[i]);
			}
			return r;
		}
		if (r != -EAGAIN)
			return 0;
		if (wait_in(t->fd, timeout_ms) <= 0)
			return 0;
		uint64_t v;
		if (read(t->fd, &v, sizeof(v)) < 0) {
			/* spurious wakeup */
		}
	}
}

static void nat_cl(struct tp *t)
{
	ipn_leave(t->h);
}

static const struct tp_ops nat_ops = {nat_tx, nat_rx, nat_cl};

struct tp *tp_open(const char *kind, const char *target, int sender)
{
	struct tp *t = calloc(1, sizeof(*t));
	if (!strcmp(kind, "vde")) {
		t->h = vde_open((char *)target, "ipn-bench", NULL);
		if (!t->h) {
			fprintf(stderr, "ipn-bench: vde_open %s: %s\n", target, strerror(errno));
			exit(1);
		}
		t->fd = vde_datafd(t->h);
		t->ops = &vde_ops;
	} else if (!strcmp(kind, "unix")) {
		struct sockaddr_un sun = {.sun_family = AF_UNIX};
		snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", target);
		t->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		unlink(target);
		if (bind(t->fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
			perror("ipn-bench: bind");
			exit(1);
		}
		t->ops = &unix_ops;
	} else {
		ipn_member *m;
		int rc = ipn_join(target, sender ? IPN_JOIN_WRONLY : IPN_JOIN_NONBLOCK, &m);
		if (rc < 0) {
			fprintf(stderr, "ipn-bench: join %s: %s\n", target, ipn_strerror(rc));
			exit(1);
		}
		t->h = m;
		t->fd = ipn_member_fd(m);
		t->ops = &nat_ops;
	}
	return t;
}

void tp_add_peer(struct tp *t, const char *path)
{
	if (t->npeers < 8)
		snprintf(t->peers[t->npeers++], sizeof(t->peers[0]), "%s", path);
}
