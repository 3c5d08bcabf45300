/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VDE members: the handshake reply and the datagram port behind it.
 *
 * The engine runs as root and sends to an address the client names, so it
 * only connects to a socket the client owns: it opens the path O_PATH and
 * O_NOFOLLOW, checks owner and type on that very inode, and connects
 * through /proc/self/fd (no window to swap the file).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include "engine.h"
#include "port_io.h"
#include "vde_proto.h"

static bool vde_fatal(int err)
{
	return err == ECONNREFUSED || err == ENOTCONN || err == EPIPE || err == ECONNRESET ||
	       err == EBADF || err == EDESTADDRREQ;
}

static bool vde_flush(struct port *p)
{
	return port_flush_mmsg(p, p->ev.fd, vde_fatal);
}

static void vde_set_rx(struct port *p, bool on)
{
	ev_mod(&p->ev, on ? (p->ev.mask | EPOLLIN) : (p->ev.mask & ~(uint32_t)EPOLLIN));
}

static void vde_close(struct port *p)
{
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	bool joined = p->ev.fd >= 0;
	if (dir_port_path(p->net, p->no, path, sizeof(path)) == 0)
		unlink(path);
	ev_del(&p->ev);
	ev_del(&p->ctl_ev);
	if (p->ev.fd >= 0)
		close(p->ev.fd);
	if (p->ctl_ev.fd >= 0)
		close(p->ctl_ev.fd);
	p->ev.fd = p->ctl_ev.fd = -1;
	if (joined)
		log_msg("%s: port %u (vde, pid %d) left", p->net->cfg.name, p->no, (int)p->pid);
}

static bool vde_drain(struct port *p);

static const struct port_ops vde_ops = {
	.flush = vde_flush,
	.set_rx = vde_set_rx,
	.close = vde_close,
	.drain = vde_drain,
};

static int vde_rx(struct port *p)
{
	return port_rx_mmsg(p, p->ev.fd, NULL);
}

static void on_data(struct ev *ev, uint32_t events)
{
	port_io_event((struct port *)ev, events, vde_rx);
}

/*
 * After the handshake the stream carries nothing; EOF means the member left.
 * What it sent before leaving is still delivered.
 */
static void on_ctl(struct ev *ev, uint32_t events)
{
	struct port *p = (struct port *)((char *)ev - offsetof(struct port, ctl_ev));
	char junk[256];
	ssize_t r = recv(ev->fd, junk, sizeof(junk), MSG_DONTWAIT);
	if (r > 0 || (r < 0 && (errno == EAGAIN || errno == EINTR)))
		if (!(events & (EPOLLHUP | EPOLLRDHUP | EPOLLERR)))
			return;
	port_leave(p);
}

static bool vde_drain(struct port *p)
{
	return vde_rx(p) != 0;
}

/* Point a refused client at a dead socket so its connect() fails clearly. */
static void refuse(struct pending *pd, const char *name, const char *why)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int k = snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/%s", pd->net->cfg.path, name);
	if (k > 0 && (size_t)k < sizeof(sun.sun_path) && send(pd->ev.fd, &sun, sizeof(sun), MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
		/* the client went away: nothing more to tell it */
	}
	stat_drop(pd->net, NULL, IPN_DROP_REFUSED);
	log_msg("%s: refused vde join from pid %d uid %u: %s", pd->net->cfg.name, (int)pd->pid,
		(unsigned)pd->uid, why);
}

/* Connect `s` to the client's socket, if it is the client's own. */
static int connect_client(int s, const char *path, uid_t uid)
{
	int fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct stat st;
	int rc = 0;
	if (fstat(fd, &st) < 0)
		rc = -errno;
	else if (!S_ISSOCK(st.st_mode) || (uid != 0 && st.st_uid != uid))
		rc = -EPERM;
	if (rc == 0) {
		struct sockaddr_un sun = {.sun_family = AF_UNIX};
		snprintf(sun.sun_path, sizeof(sun.sun_path), "/proc/self/fd/%d", fd);
		if (connect(s, (struct sockaddr *)&sun, sizeof(sun)) < 0)
			rc = -errno;
	}
	close(fd);
	return rc;
}

static void describe(struct port *p, const uint8_t *d, uint32_t len)
{
	uint32_t j = 0;
	for (uint32_t i = 0; i < len && d[i] && j < sizeof(p->descr) - 1; i++)
		p->descr[j++] = (d[i] >= 0x20 && d[i] < 0x7f) ? (char)d[i] : '?';
	p->descr[j] = 0;
}

int vde_port_open(struct pending *pd, const uint8_t *buf, uint32_t len)
{
	struct vde_request_v3 rq;
	memset(&rq, 0, sizeof(rq));
	memcpy(&rq, buf, len < sizeof(rq) ? len : sizeof(rq));
	if (rq.version != VDE_VERSION || rq.sock.sun_family != AF_UNIX || rq.sock.sun_path[0] == 0 ||
	    !memchr(rq.sock.sun_path, 0, sizeof(rq.sock.sun_path)))
		return -EBADMSG;
	int32_t want = 0;
	if (rq.type == VDE_REQ_NEW_PORT0)
		want = 0;
	else if ((rq.type & 0xff) == VDE_REQ_NEW_CONTROL && (rq.type >> 8) <= IPN_PORTS_MAX)
		want = (int32_t)(rq.type >> 8);
	else
		return -EBADMSG;

	struct net *n = pd->net;
	uint32_t rights = port_rights(n, pd->uid, pd->gid, pd->groups, pd->ngroups) &
			  (IPN_RIGHT_READ | IPN_RIGHT_WRITE);
	if (!rights) {
		refuse(pd, ".denied", "neither r nor w");
		return -EACCES;
	}
	int err = 0;
	struct port *p = port_new(n, want, IPN_PORT_VDE, &vde_ops, &err);
	if (!p) {
		refuse(pd, ".full", err == -EBUSY ? (want ? "port taken" : "no free port")
						  : "port outside the network");
		return err;
	}
	p->rights = rights;
	p->pid = pd->pid;
	p->uid = pd->uid;
	p->gid = pd->gid;
	describe(p, (const uint8_t *)rq.description, len > VDE_REQ_MIN ? len - (uint32_t)VDE_REQ_MIN : 0);

	struct sockaddr_un me = {.sun_family = AF_UNIX};
	dir_port_path(n, p->no, me.sun_path, sizeof(me.sun_path));
	int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int rc = s < 0 ? -errno : 0;
	if (rc == 0) {
		unlink(me.sun_path);
		if (bind(s, (struct sockaddr *)&me, sizeof(me)) < 0)
			rc = -errno;
	}
	if (rc == 0) {
		/* the member connects its datagram socket to ours: it needs w on it */
		if (chown(me.sun_path, pd->uid, pd->gid) < 0 && pd->uid != E.uid)
			chmod(me.sun_path, 0666);
		else
			chmod(me.sun_path, 0600);
		rc = connect_client(s, rq.sock.sun_path, pd->uid);
	}
	if (rc == 0 && send(pd->ev.fd, &me, sizeof(me), MSG_DONTWAIT | MSG_NOSIGNAL) != sizeof(me))
		rc = -EPIPE;
	if (rc < 0) {
		log_msg("%s: vde join from pid %d failed: %s", n->cfg.name, (int)pd->pid, strerror(-rc));
		if (s >= 0)
			close(s);
		unlink(me.sun_path);
		p->ev.fd = -1;
		p->ctl_ev.fd = -1;
		port_close(p);
		stat_drop(n, NULL, IPN_DROP_MALFORMED);
		return rc == -EPERM ? -EACCES : -EIO;
	}
	/* the pending connection becomes the port's control stream */
	int ctl = pd->ev.fd;
	ev_del(&pd->ev);
	pd->ev.fd = -1;
	p->groups = pd->groups;
	p->ngroups = pd->ngroups;
	pd->groups = NULL;
	pd->ngroups = 0;
	ev_add(&p->ev, s, EPOLLIN, on_data);
	ev_add(&p->ctl_ev, ctl, EPOLLIN | EPOLLRDHUP, on_ctl);
	port_activate(p);
	pending_free(pd);
	log_msg("%s: port %u (vde, pid %d uid %u, %s%s) joined: %s", n->cfg.name, p->no, (int)p->pid,
		(unsigned)p->uid, rights & IPN_RIGHT_READ ? "r" : "", rights & IPN_RIGHT_WRITE ? "w" : "",
		p->descr);
	return 0;
}
