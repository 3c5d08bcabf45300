/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A native member joins: rights checked, a port, a sealed memfd with both
 * rings, three eventfds, all handed over with SCM_RIGHTS (join_proto.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include "join_proto.h"
#include "native.h"

static void reply(int fd, const struct ipnj_rep *rep, const int *fds, int nfds)
{
	struct iovec iov = {(void *)rep, sizeof(*rep)};
	union {
		char buf[CMSG_SPACE(4 * sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
	if (nfds) {
		memset(&u, 0, sizeof(u));
		m.msg_control = u.buf;
		m.msg_controllen = CMSG_SPACE((size_t)nfds * sizeof(int));
		struct cmsghdr *c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN((size_t)nfds * sizeof(int));
		memcpy(CMSG_DATA(c), fds, (size_t)nfds * sizeof(int));
	}
	if (sendmsg(fd, &m, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
		/* the member left; its port (if any) goes with the stream */
	}
}

static int refuse(struct pending *pd, int err, const char *why)
{
	struct ipnj_rep rep = {.magic = IPNJ_MAGIC, .result = err};
	snprintf(rep.error, sizeof(rep.error), "%s", why);
	reply(pd->ev.fd, &rep, NULL, 0);
	stat_drop(pd->net, NULL, IPN_DROP_REFUSED);
	log_msg("%s: refused native join from pid %d uid %u: %s", pd->net->cfg.name, (int)pd->pid,
		(unsigned)pd->uid, why);
	return err;
}

static uint32_t pow2_clamp(uint32_t v)
{
	uint32_t p = SLOTS_MIN;
	while (p < v && p < SLOTS_MAX)
		p *= 2;
	return p;
}

/* The shared memory: rx ring, then tx ring, sealed against resizing. */
static int make_rings(struct native *x, uint32_t slots, uint32_t slot_size, int *memfd,
		      struct ipnj_rep *rep)
{
	size_t one = ring_bytes(slots, slot_size);
	one = (one + 4095) & ~(size_t)4095;
	size_t size = 2 * one;
	int fd = memfd_create("ipn-rings", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size) < 0 ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0) {
		int e = -errno;
		close(fd);
		return e;
	}
	void *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		int e = -errno;
		close(fd);
		return e;
	}
	x->map = map;
	x->map_size = size;
	x->rx = (struct ring_view){map, slots, slot_size, slot_size - (uint32_t)sizeof(struct ipn_slot)};
	x->tx = (struct ring_view){(struct ipn_ring *)((char *)map + one), slots, slot_size,
				   slot_size - (uint32_t)sizeof(struct ipn_slot)};
	rep->slots = slots;
	rep->slot_size = slot_size;
	rep->map_size = (uint32_t)size;
	rep->rx_off = 0;
	rep->tx_off = (uint32_t)one;
	*memfd = fd;
	return 0;
}

int native_port_open(struct pending *pd, const uint8_t *buf, uint32_t len)
{
	struct ipnj_req rq;
	if (len < sizeof(rq))
		return -EBADMSG;
	memcpy(&rq, buf, sizeof(rq));
	uint32_t shut = IPN_JOIN_RDONLY | IPN_JOIN_WRONLY;
	if (rq.version != IPNJ_VERSION || (rq.flags & ~shut) || (rq.flags & shut) == shut ||
	    rq.reserved)
		return -EBADMSG;
	struct net *n = pd->net;
	uint32_t rights = port_rights(n, pd->uid, pd->gid, pd->groups, pd->ngroups) &
			  (IPN_RIGHT_READ | IPN_RIGHT_WRITE);
	if (rq.flags & IPN_JOIN_RDONLY)
		rights &= ~(uint32_t)IPN_RIGHT_WRITE;
	if (rq.flags & IPN_JOIN_WRONLY)
		rights &= ~(uint32_t)IPN_RIGHT_READ;
	if (!rights)
		return refuse(pd, -EACCES, "access denied: neither r nor w on this network");
	int err = 0;
	struct port *p = port_new(n, 0, IPN_PORT_NATIVE, &native_ops, &err);
	if (!p)
		return refuse(pd, -EBUSY, "no free port on this network");
	struct native *x = calloc(1, sizeof(*x));
	struct ipnj_rep rep = {.magic = IPNJ_MAGIC, .port = p->no, .rights = rights, .mtu = n->cfg.mtu};
	int memfd = -1, efd = -1, rc = x ? 0 : -ENOMEM;
	if (x) {
		x->kick_fd = x->space_fd = -1;
		p->priv = x;
		rc = make_rings(x, pow2_clamp(n->cfg.queue), ring_slot_size(n->cfg.mtu + 4), &memfd,
				&rep);
	}
	if (rc == 0) {
		efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		x->kick_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		x->space_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (efd < 0 || x->kick_fd < 0 || x->space_fd < 0)
			rc = -errno;
	}
	if (rc < 0) {
		if (memfd >= 0)
			close(memfd);
		if (efd >= 0)
			close(efd);
		port_close(p);
		return refuse(pd, rc, "the engine could not set up the member's rings");
	}
	p->rights = rights;
	p->join_flags = rq.flags;
	p->pid = pd->pid;
	p->uid = pd->uid;
	p->gid = pd->gid;
	uint32_t j = 0;
	for (uint32_t i = 0; i < sizeof(rq.descr) && rq.descr[i] && j < sizeof(p->descr) - 1; i++)
		p->descr[j++] = (rq.descr[i] >= 0x20 && rq.descr[i] < 0x7f) ? rq.descr[i] : '?';
	int fds[4] = {memfd, efd, x->kick_fd, x->space_fd};
	reply(pd->ev.fd, &rep, fds, 4);
	close(memfd);
	int ctl = pd->ev.fd;
	ev_del(&pd->ev);
	pd->ev.fd = -1;
	p->groups = pd->groups;
	p->ngroups = pd->ngroups;
	pd->groups = NULL;
	pd->ngroups = 0;
	ev_add(&p->ev, efd, EPOLLIN, native_on_kick);
	ev_add(&p->ctl_ev, ctl, EPOLLIN | EPOLLRDHUP, native_on_ctl);
	port_activate(p);
	pending_free(pd);
	native_set_awake(p);
	log_msg("%s: port %u (native, pid %d uid %u, %s%s) joined: %s", n->cfg.name, p->no,
		(int)p->pid, (unsigned)p->uid, rights & IPN_RIGHT_READ ? "r" : "",
		rights & IPN_RIGHT_WRITE ? "w" : "", p->descr);
	return 0;
}
