/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tap attachments: a tap interface (IFF_TAP | IFF_NO_PI) whose frames are the
 * network's. Not persistent: closing its fd deletes the interface, so
 * detaching (or the engine dying) never leaks it, wherever it was moved.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "engine.h"
#include "ifname.h"
#include "port_io.h"

static bool tap_fatal(int err)
{
	return err == EBADFD || err == EBADF || err == ENODEV;
}

static bool tap_flush(struct port *p)
{
	return port_flush_writev(p, p->ev.fd, tap_fatal);
}

static void tap_set_rx(struct port *p, bool on)
{
	ev_mod(&p->ev, on ? (p->ev.mask | EPOLLIN) : (p->ev.mask & ~(uint32_t)EPOLLIN));
}

static void tap_close(struct port *p)
{
	ev_del(&p->ev);
	if (p->ev.fd >= 0)
		close(p->ev.fd);
	p->ev.fd = -1;
	log_msg("%s: tap %s removed (port %u)", p->net->cfg.name, p->ifname, p->no);
}

static const struct port_ops tap_ops = {
	.flush = tap_flush,
	.set_rx = tap_set_rx,
	.close = tap_close,
};

/* Reads are batched by draining the fd up to the budget per wakeup. */
static int tap_rx(struct port *p)
{
	struct net *n = p->net;
	for (uint32_t i = 0; i < RX_BUDGET && !p->paused && p->net; i++) {
		struct pkt *k = pkt_get(&n->pool);
		if (!k)
			return 0;
		ssize_t r = read(p->ev.fd, k->buf + RX_HEADROOM, k->cap - RX_HEADROOM);
		if (r <= 0) {
			int err = r < 0 ? errno : EBADFD;
			pkt_put(&n->pool, k);
			if (err == EAGAIN || err == EINTR)
				return 0;
			log_msg("%s: tap %s: read: %s", n->cfg.name, p->ifname, strerror(err));
			return tap_fatal(err) ? -err : 0;
		}
		k->off = RX_HEADROOM;
		k->len = (uint32_t)r;
		deliver(p, k);
	}
	return 0;
}

static void on_tap(struct ev *ev, uint32_t events)
{
	port_io_event((struct port *)ev, events, tap_rx);
}

int tap_open(struct net *n, const char *ifname, int32_t want, const char **why)
{
	if (!ifname_ok(ifname))
		return *why = "interface name must be 1..15 bytes without '/', ':' or spaces", -EINVAL;
	if (if_nametoindex(ifname))
		return *why = "an interface with this name exists", -EEXIST;
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return *why = "cannot open /dev/net/tun", -errno;
	struct ifreq ifr = {0};
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		int e = -errno;
		close(fd);
		return *why = "cannot create the tap interface", e;
	}
	int err = 0;
	struct port *p = port_new(n, want, IPN_PORT_TAP, &tap_ops, &err);
	if (!p) {
		close(fd);
		return *why = err == -EBUSY ? "port in use or none free" : "port outside the network", err;
	}
	p->rights = IPN_RIGHT_READ | IPN_RIGHT_WRITE;
	snprintf(p->ifname, sizeof(p->ifname), "%s", ifname);
	snprintf(p->descr, sizeof(p->descr), "tap %s", ifname);
	if (ev_add(&p->ev, fd, EPOLLIN, on_tap) < 0) {
		close(fd);
		port_close(p);
		return *why = "epoll", -EIO;
	}
	port_activate(p);
	log_msg("%s: tap %s added at port %u", n->cfg.name, ifname, p->no);
	return (int)p->no;
}
