/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The control server at RUNDIR/engine.ctl (SOCK_SEQPACKET): one fixed-size
 * request in, one reply out. A request of the wrong size, magic or version,
 * or a reply the client will not take, ends the connection; the engine never
 * blocks on a control client.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "ctl_proto.h"
#include "engine.h"

struct client {
	struct ev ev;
	struct ctl_peer who;
};

static uint8_t *reply_buf;

static void client_release(void *obj)
{
	struct client *c = obj;
	free(c->who.groups);
	free(c);
}

static void client_close(struct client *c)
{
	ev_del(&c->ev);
	close(c->ev.fd);
	E.nclients--;
	defer_free(c, client_release);
}

static void on_client(struct ev *ev, uint32_t events)
{
	struct client *c = (struct client *)ev;
	struct ipnc_req rq;
	(void)events;
	ssize_t r = recv(ev->fd, &rq, sizeof(rq), MSG_DONTWAIT | MSG_TRUNC);
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r <= 0) {
		client_close(c);
		return;
	}
	struct ipnc_rep *rp = (struct ipnc_rep *)reply_buf;
	memset(rp, 0, sizeof(*rp));
	rp->magic = IPNC_MAGIC;
	rp->version = IPNC_VERSION;
	const char *why = NULL;
	bool fatal = false;
	if ((size_t)r != sizeof(rq) || rq.magic != IPNC_MAGIC) {
		rp->result = -EBADMSG;
		why = "malformed control request";
		fatal = true;
	} else {
		rp->op = rq.op;
		rp->seq = rq.seq;
		if (rq.version != IPNC_VERSION) {
			rp->result = -EPROTONOSUPPORT;
			rp->total = IPNC_VERSION;
			why = "control protocol version mismatch (library and engine differ)";
		} else {
			uint32_t room = IPNC_MSG_MAX - (uint32_t)sizeof(*rp);
			rp->result = ctl_dispatch(&c->who, &rq, rp, reply_buf + sizeof(*rp), room, &why);
		}
	}
	if (rp->result < 0 && why)
		snprintf(rp->error, sizeof(rp->error), "%s", why);
	size_t item = 0;
	switch (rp->op) {
	case IPNC_NET_LIST: case IPNC_NET_GET: item = sizeof(struct ipn_net_info); break;
	case IPNC_PORT_LIST: item = sizeof(struct ipn_port_info); break;
	case IPNC_FLOW_LIST: case IPNC_FLOW_GET: item = sizeof(struct ipn_flow); break;
	case IPNC_VLAN_GET: item = sizeof(struct ipn_port_vlan); break;
	}
	if (rp->result < 0)
		rp->count = 0;
	size_t len = sizeof(*rp) + item * rp->count;
	if (send(ev->fd, reply_buf, len, MSG_DONTWAIT | MSG_NOSIGNAL) != (ssize_t)len || fatal)
		client_close(c);
	if (rq.op == IPNC_SHUTDOWN && rp->result == 0 && (size_t)r == sizeof(rq))
		E.stop = true;
}

static void on_accept(struct ev *ev, uint32_t events)
{
	(void)events;
	for (int i = 0; i < 16; i++) {
		int fd = accept4(ev->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		struct client *c = calloc(1, sizeof(*c));
		struct ucred cr;
		socklen_t cl = sizeof(cr);
		if (!c || getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &cl) < 0) {
			free(c);
			close(fd);
			continue;
		}
		c->who.pid = cr.pid;
		c->who.uid = cr.uid;
		c->who.gid = cr.gid;
		gid_t g[64];
		socklen_t gl = sizeof(g);
		if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, g, &gl) == 0 && gl &&
		    (c->who.groups = malloc(gl))) {
			memcpy(c->who.groups, g, gl);
			c->who.ngroups = (int)(gl / sizeof(gid_t));
		}
		if (ev_add(&c->ev, fd, EPOLLIN, on_client) < 0) {
			close(fd);
			client_release(c);
			continue;
		}
		E.nclients++;
		E.had_client = true;
	}
}

int ctl_listen(void)
{
	reply_buf = malloc(IPNC_MSG_MAX);
	if (!reply_buf)
		return -ENOMEM;
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int n = snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/engine.ctl", E.rundir);
	if (n < 0 || (size_t)n >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	int s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	unlink(sun.sun_path); /* we hold the engine lock: whatever is there is stale */
	if (bind(s, (struct sockaddr *)&sun, sizeof(sun)) < 0 || listen(s, 64) < 0) {
		int e = -errno;
		close(s);
		return e;
	}
	/* anyone may talk to the engine; each request is checked against its rights */
	chmod(sun.sun_path, 0666);
	return ev_add(&E.ctl_ev, s, EPOLLIN, on_accept);
}
