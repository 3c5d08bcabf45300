/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Connections on a network's PATH/ctl until they become ports. The first
 * bytes say who speaks: 0xfeedface (a libvdeplug client, vde_proto.c) or
 * "IPNJ" (a libipn member, native_port.c). Anything else, an early EOF or
 * silence past HANDSHAKE_MS is counted as malformed and dropped.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include "engine.h"
#include "join_proto.h"
#include "vde_proto.h"

static void pending_release(void *obj)
{
	struct pending *pd = obj;
	free(pd->groups);
	free(pd);
}

void pending_free(struct pending *pd)
{
	for (struct pending **pp = &E.pending; *pp; pp = &(*pp)->next)
		if (*pp == pd) {
			*pp = pd->next;
			break;
		}
	ev_del(&pd->ev);
	if (pd->ev.fd >= 0)
		close(pd->ev.fd);
	pd->ev.fd = -1;
	pd->net->npending--;
	defer_free(pd, pending_release);
}

static void malformed(struct pending *pd, const char *what)
{
	stat_drop(pd->net, NULL, IPN_DROP_MALFORMED);
	log_msg("%s: dropped a join from pid %d uid %u: %s", pd->net->cfg.name, (int)pd->pid,
		(unsigned)pd->uid, what);
	pending_free(pd);
}

void pending_expire(void)
{
	for (struct pending *pd = E.pending, *next; pd; pd = next) {
		next = pd->next;
		if (E.now >= pd->deadline)
			malformed(pd, "no complete request in time");
	}
}

static void on_pending(struct ev *ev, uint32_t events)
{
	struct pending *pd = (struct pending *)ev;
	(void)events;
	ssize_t r = recv(ev->fd, pd->buf + pd->have, sizeof(pd->buf) - pd->have, MSG_DONTWAIT);
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r <= 0) {
		malformed(pd, r == 0 ? "closed before a complete request" : "read error");
		return;
	}
	pd->have += (uint32_t)r;
	if (pd->have < 4)
		return;
	uint32_t magic;
	memcpy(&magic, pd->buf, 4);
	int rc;
	if (magic == VDE_SWITCH_MAGIC) {
		if (pd->have < VDE_REQ_MIN)
			return;
		rc = vde_port_open(pd, pd->buf, pd->have);
	} else if (magic == IPNJ_MAGIC) {
		if (pd->have < sizeof(struct ipnj_req))
			return;
		rc = native_port_open(pd, pd->buf, pd->have);
	} else {
		malformed(pd, "unknown protocol");
		return;
	}
	if (rc == -EBADMSG)
		malformed(pd, "malformed request");
	else if (rc < 0)
		pending_free(pd); /* refused, already answered and counted */
	/* else: the port took over the connection */
}

static void peer_groups(struct pending *pd, int fd)
{
	gid_t g[64];
	socklen_t len = sizeof(g);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, g, &len) < 0)
		return;
	int n = (int)(len / sizeof(gid_t));
	if (n && (pd->groups = malloc((size_t)n * sizeof(gid_t)))) {
		memcpy(pd->groups, g, (size_t)n * sizeof(gid_t));
		pd->ngroups = n;
	}
	/* more than 64 groups: only the first 64 count (documented) */
}

void vde_accept(struct ev *ev, uint32_t events)
{
	struct net *n = (struct net *)((char *)ev - offsetof(struct net, ctl_ev));
	(void)events;
	for (int i = 0; i < 64; i++) {
		int fd = accept4(ev->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
				log_msg("%s: accept: %m", n->cfg.name);
			return;
		}
		if (n->npending >= PENDING_MAX) {
			/* a flood of silent connections: keep serving the rest */
			close(fd);
			stat_drop(n, NULL, IPN_DROP_REFUSED);
			continue;
		}
		struct pending *pd = calloc(1, sizeof(*pd));
		struct ucred cr;
		socklen_t cl = sizeof(cr);
		if (!pd || getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &cl) < 0) {
			free(pd);
			close(fd);
			continue;
		}
		pd->net = n;
		pd->pid = cr.pid;
		pd->uid = cr.uid;
		pd->gid = cr.gid;
		peer_groups(pd, fd);
		pd->deadline = E.now + HANDSHAKE_MS;
		if (ev_add(&pd->ev, fd, EPOLLIN | EPOLLRDHUP, on_pending) < 0) {
			close(fd);
			free(pd->groups);
			free(pd);
			continue;
		}
		pd->next = E.pending;
		E.pending = pd;
		n->npending++;
	}
}
