/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A native member of an engine network: join over PATH/ctl, then move
 * frames through the shared rings (common/ring.h). A system call happens
 * only to wake a side that announced it sleeps, or to sleep.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "join_proto.h"
#include "member.h"
#include "unix_dial.h"
#include "ring.h"

#define JOIN_TIMEOUT_MS 10000

struct umember {
	int ctl;          /* the join stream; closing it leaves */
	int kick_engine;  /* eventfd: wake the engine */
	int rx_fd;        /* eventfd: frames wait in our rx ring */
	int space_fd;     /* eventfd: our tx ring has room */
	void *map;
	size_t map_size;
	struct ring_view rx, tx;
	uint32_t rx_tail;
	uint32_t tx_head, tx_published;
	atomic_bool interrupted;
};

static struct umember *UM(ipn_member *m)
{
	return m->priv;
}

static void kick(int fd)
{
	uint64_t one = 1;
	if (write(fd, &one, sizeof(one)) < 0) {
		/* counter saturated: the engine wakes anyway */
	}
}

/* Sleep until `fd` rings; -ECONNRESET if the engine dropped us meanwhile,
 * -ECANCELED once interrupted. */
static int wait_on(struct umember *u, int fd)
{
	struct pollfd p[2] = {{fd, POLLIN, 0}, {u->ctl, POLLIN | POLLRDHUP, 0}};
	for (;;) {
		if (atomic_load(&u->interrupted))
			return -ECANCELED;
		int r = poll(p, 2, -1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (p[1].revents)
			return -ECONNRESET;
		uint64_t v;
		if (read(fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
			return -errno;
		return atomic_load(&u->interrupted) ? -ECANCELED : 0;
	}
}

static void publish(struct umember *u)
{
	if (u->tx_head == u->tx_published)
		return;
	u->tx_published = u->tx_head;
	if (ring_publish(&u->tx, u->tx_head))
		kick(u->kick_engine);
}

static ssize_t u_send_batch(ipn_member *m, const void *buf, const uint32_t *lens, uint32_t n)
{
	struct umember *u = UM(m);
	if (!(m->rights & IPN_RIGHT_WRITE))
		return -EPERM;
	const uint8_t *p = buf;
	uint32_t i = 0;
	while (i < n) {
		uint32_t space = ring_space(&u->tx, u->tx_head);
		if (space == 0) {
			publish(u);
			if (m->flags & IPN_JOIN_NONBLOCK)
				return i ? (ssize_t)i : -EAGAIN;
			if (!ring_prod_wait(&u->tx, u->tx_head)) {
				int rc = wait_on(u, u->space_fd);
				if (rc < 0)
					return i ? (ssize_t)i : rc;
			}
			continue;
		}
		for (; space && i < n; space--, i++) {
			if (lens[i] > u->tx.data_max || lens[i] > m->mtu) {
				publish(u);
				return i ? (ssize_t)i : -EMSGSIZE;
			}
			struct ipn_slot *s = ring_slot(&u->tx, u->tx_head);
			memcpy(s->data, p, lens[i]);
			s->len = lens[i];
			p += lens[i];
			u->tx_head++;
		}
	}
	publish(u);
	return (ssize_t)n;
}

static int u_recv_batch(ipn_member *m, void *buf, size_t cap, uint32_t *lens, uint32_t max)
{
	struct umember *u = UM(m);
	if (!(m->rights & IPN_RIGHT_READ))
		return -EPERM;
	if (!max)
		return 0;
	uint32_t avail;
	while (!(avail = ring_avail(&u->rx, u->rx_tail))) {
		if (ring_cons_sleep(&u->rx, u->rx_tail))
			continue;
		if (m->flags & IPN_JOIN_NONBLOCK)
			return -EAGAIN;
		int rc = wait_on(u, u->rx_fd);
		if (rc < 0)
			return rc;
	}
	if (avail > u->rx.slots)
		return -EPROTO;
	uint8_t *out = buf;
	size_t used = 0;
	uint32_t n = 0;
	while (n < avail && n < max) {
		struct ipn_slot *s = ring_slot(&u->rx, u->rx_tail);
		uint32_t len = s->len <= u->rx.data_max ? s->len : u->rx.data_max;
		if (used + len > cap) {
			if (n)
				break;
			len = (uint32_t)cap; /* a lone frame larger than the buffer: truncated */
		}
		memcpy(out + used, s->data, len);
		lens[n++] = len;
		used += len;
		u->rx_tail++;
	}
	if (ring_release(&u->rx, u->rx_tail))
		kick(u->kick_engine);
	return (int)n;
}

static int u_fd(ipn_member *m)
{
	return UM(m)->rx_fd;
}

static void u_interrupt(ipn_member *m)
{
	struct umember *u = UM(m);
	atomic_store(&u->interrupted, true);
	kick(u->rx_fd);
	kick(u->space_fd);
}

static void u_leave(ipn_member *m)
{
	struct umember *u = UM(m);
	if (u->ctl >= 0)
		close(u->ctl);
	if (u->map)
		munmap(u->map, u->map_size);
	int fds[] = {u->kick_engine, u->rx_fd, u->space_fd};
	for (size_t i = 0; i < 3; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(u);
}

static const struct member_ops user_member_ops = {
	.send_batch = u_send_batch,
	.recv_batch = u_recv_batch,
	.fd = u_fd,
	.interrupt = u_interrupt,
	.leave = u_leave,
};

/* Receive the join reply and its descriptors (closing extras). */
static int read_reply(int s, struct ipnj_rep *rep, int fds[4])
{
	struct pollfd pfd = {s, POLLIN, 0};
	if (poll(&pfd, 1, JOIN_TIMEOUT_MS) <= 0)
		return -ETIMEDOUT;
	union {
		char buf[CMSG_SPACE(8 * sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = {rep, sizeof(*rep)};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			     .msg_controllen = sizeof(u.buf)};
	ssize_t r = recvmsg(s, &msg, MSG_CMSG_CLOEXEC);
	int got = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		int k = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		int *in = (int *)CMSG_DATA(c);
		for (int i = 0; i < k; i++) {
			if (got < 4)
				fds[got++] = in[i];
			else
				close(in[i]);
		}
	}
	if (r <= 0)
		return r == 0 ? -ECONNRESET : -errno;
	if ((size_t)r < sizeof(*rep) || rep->magic != IPNJ_MAGIC)
		return -EPROTO;
	if (rep->result < 0)
		return rep->result;
	return got == 4 ? 0 : -EPROTO;
}

static bool geometry_ok(const struct ipnj_rep *r)
{
	if (!r->slots || (r->slots & (r->slots - 1)) || r->slots > 65536)
		return false;
	if (r->slot_size < sizeof(struct ipn_slot) + 64 || r->slot_size % IPN_RING_ALIGN)
		return false;
	size_t one = ring_bytes(r->slots, r->slot_size);
	return r->rx_off % 4096 == 0 && r->tx_off % 4096 == 0 &&
	       (size_t)r->rx_off + one <= r->map_size && (size_t)r->tx_off + one <= r->map_size &&
	       (r->rx_off + one <= r->tx_off || r->tx_off + one <= r->rx_off);
}

int member_user_join(const char *path, uint32_t flags, ipn_member *m)
{
	int s = unix_dial(path, "ctl", SOCK_STREAM);
	if (s < 0)
		return s;
	struct ipnj_req rq = {.magic = IPNJ_MAGIC, .version = IPNJ_VERSION,
			      .flags = flags & (IPN_JOIN_RDONLY | IPN_JOIN_WRONLY)};
	snprintf(rq.descr, sizeof(rq.descr), "%s[%d]", program_invocation_short_name, (int)getpid());
	struct ipnj_rep rep;
	int fds[4] = {-1, -1, -1, -1};
	int rc = send(s, &rq, sizeof(rq), MSG_NOSIGNAL) == sizeof(rq) ? 0 : -ECONNRESET;
	if (rc == 0)
		rc = read_reply(s, &rep, fds);
	if (rc == 0 && !geometry_ok(&rep))
		rc = -EPROTO;
	void *map = MAP_FAILED;
	if (rc == 0) {
		map = mmap(NULL, rep.map_size, PROT_READ | PROT_WRITE, MAP_SHARED, fds[0], 0);
		if (map == MAP_FAILED)
			rc = -errno;
	}
	struct umember *u = rc == 0 ? calloc(1, sizeof(*u)) : NULL;
	if (rc == 0 && !u)
		rc = -ENOMEM;
	if (fds[0] >= 0)
		close(fds[0]);
	if (rc < 0) {
		if (map != MAP_FAILED)
			munmap(map, rep.map_size);
		for (int i = 1; i < 4; i++)
			if (fds[i] >= 0)
				close(fds[i]);
		close(s);
		return rc;
	}
	u->ctl = s;
	u->kick_engine = fds[1];
	u->rx_fd = fds[2];
	u->space_fd = fds[3];
	u->map = map;
	u->map_size = rep.map_size;
	uint32_t dmax = rep.slot_size - (uint32_t)sizeof(struct ipn_slot);
	u->rx = (struct ring_view){(struct ipn_ring *)((char *)map + rep.rx_off), rep.slots,
				   rep.slot_size, dmax};
	u->tx = (struct ring_view){(struct ipn_ring *)((char *)map + rep.tx_off), rep.slots,
				   rep.slot_size, dmax};
	/* start where the engine is (a fresh ring: all zero) */
	u->rx_tail = atomic_load(&u->rx.r->tail);
	u->tx_head = u->tx_published = atomic_load(&u->tx.r->head);
	m->ops = &user_member_ops;
	m->priv = u;
	m->port = rep.port;
	m->rights = rep.rights;
	m->mtu = rep.mtu;
	m->flags = flags;
	return 0;
}
