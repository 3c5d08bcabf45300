/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Grabs: an existing interface attached bridge-style through an AF_PACKET
 * socket. Promiscuity comes from a PACKET_MR_PROMISC membership, which the
 * kernel reference-counts and drops when the socket closes: releasing (or
 * the engine dying) restores the interface. PACKET_IGNORE_OUTGOING keeps the
 * frames we send from coming back; tags the NIC stripped (aux data) are put
 * back so VLANs survive.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include "engine.h"

/* Receive buffer of a grab's packet socket, bytes. */
#define GRAB_RCVBUF (4 << 20)
#include "ifname.h"
#include "port_io.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

struct grab {
	int ifindex;
};

static bool grab_fatal(int err)
{
	return err == ENODEV || err == ENXIO || err == EBADF;
}

static bool grab_flush(struct port *p)
{
	return port_flush_mmsg(p, p->ev.fd, grab_fatal);
}

static void grab_set_rx(struct port *p, bool on)
{
	ev_mod(&p->ev, on ? (p->ev.mask | EPOLLIN) : (p->ev.mask & ~(uint32_t)EPOLLIN));
}

static void grab_close(struct port *p)
{
	ev_del(&p->ev);
	if (p->ev.fd >= 0)
		close(p->ev.fd);
	p->ev.fd = -1;
	log_msg("%s: released %s (port %u)", p->net->cfg.name, p->ifname, p->no);
	free(p->priv);
	p->priv = NULL;
}

static const struct port_ops grab_ops = {
	.flush = grab_flush,
	.set_rx = grab_set_rx,
	.close = grab_close,
};

/* Put back an 802.1Q tag the driver moved into aux data. */
static bool grab_fixup(struct port *p, struct pkt *k, struct msghdr *m)
{
	(void)p;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA)
			continue;
		struct tpacket_auxdata aux;
		memcpy(&aux, CMSG_DATA(c), sizeof(aux));
		if (!(aux.tp_status & TP_STATUS_VLAN_VALID) || k->len < 12 || k->off < 4)
			break;
		uint16_t tpid = (aux.tp_status & TP_STATUS_VLAN_TPID_VALID) ? aux.tp_vlan_tpid : 0x8100;
		uint8_t *d = pkt_data(k);
		memmove(d - 4, d, 12);
		k->off -= 4;
		k->len += 4;
		d -= 4;
		d[12] = (uint8_t)(tpid >> 8);
		d[13] = (uint8_t)tpid;
		d[14] = (uint8_t)(aux.tp_vlan_tci >> 8);
		d[15] = (uint8_t)aux.tp_vlan_tci;
		break;
	}
	return true;
}

static int grab_rx(struct port *p)
{
	int r = port_rx_mmsg(p, p->ev.fd, grab_fixup);
	if (r == -ENETDOWN || r == -ENETRESET) {
		/* the link went down (an error the socket reports once): keep
		 * the grab while the interface exists */
		struct grab *g = p->priv;
		char name[IF_NAMESIZE];
		if (if_indextoname((unsigned)g->ifindex, name) && !strcmp(name, p->ifname))
			return 0;
	}
	return r;
}

static void on_grab(struct ev *ev, uint32_t events)
{
	port_io_event((struct port *)ev, events, grab_rx);
}

/*
 * Interfaces can vanish under a grab (deleted, moved to another namespace)
 * and the packet socket does not always say so: watch rtnetlink's link
 * events and release grabs of interfaces that are gone.
 */
static struct ev linkmon;

static void release_gone(int ifindex)
{
	for (struct net *n = E.nets; n; n = n->next)
		for (uint32_t i = 0; i < n->ports_len; i++) {
			struct port *p = n->ports[i];
			if (!p || p->kind != IPN_PORT_GRAB || !p->priv)
				continue;
			struct grab *g = p->priv;
			char name[IF_NAMESIZE];
			bool gone = ifindex ? g->ifindex == ifindex
					    : !if_indextoname((unsigned)g->ifindex, name) || strcmp(name, p->ifname);
			if (gone) {
				log_msg("%s: %s disappeared", n->cfg.name, p->ifname);
				port_close(p);
			}
		}
}

static void on_link(struct ev *ev, uint32_t events)
{
	(void)events;
	char buf[8192];
	for (;;) {
		ssize_t r = recv(ev->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (r < 0 && errno == ENOBUFS) {
			release_gone(0); /* events were lost: check every grab */
			continue;
		}
		if (r <= 0)
			return;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)r); h = NLMSG_NEXT(h, r))
			if (h->nlmsg_type == RTM_DELLINK && h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct ifinfomsg)))
				release_gone(((struct ifinfomsg *)NLMSG_DATA(h))->ifi_index);
	}
}

static void linkmon_start(void)
{
	if (linkmon.fn)
		return;
	int s = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK};
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    ev_add(&linkmon, s, EPOLLIN, on_link) < 0) {
		log_msg("cannot watch interface removals: %m");
		if (s >= 0)
			close(s);
		linkmon.fn = NULL;
	}
}

static bool attached_anywhere(const char *ifname)
{
	for (struct net *n = E.nets; n; n = n->next)
		for (uint32_t i = 0; i < n->ports_len; i++)
			if (n->ports[i] && n->ports[i]->ifname[0] && !strcmp(n->ports[i]->ifname, ifname))
				return true;
	return false;
}

int grab_open(struct net *n, const char *ifname, int32_t want, const char **why)
{
	if (!ifname_ok(ifname))
		return *why = "interface name must be 1..15 bytes without '/', ':' or spaces", -EINVAL;
	int ifindex = (int)if_nametoindex(ifname);
	if (!ifindex)
		return *why = "no such interface", -ENODEV;
	if (attached_anywhere(ifname))
		return *why = "the interface is already attached to a network", -EBUSY;
	/* protocol 0: receive nothing until bound to this one interface */
	int s = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0)
		return *why = "cannot open a packet socket", -errno;
	int one = 1;
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = ifindex,
	};
	struct packet_mreq mr = {.mr_ifindex = ifindex, .mr_type = PACKET_MR_PROMISC};
	if (setsockopt(s, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) < 0 ||
	    setsockopt(s, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)) < 0 ||
	    bind(s, (struct sockaddr *)&sll, sizeof(sll)) < 0 ||
	    setsockopt(s, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0) {
		int e = -errno;
		close(s);
		return *why = "cannot attach to the interface", e;
	}
	/*
	 * A grabbed interface (an uplink above all) delivers bursts faster than
	 * one loop turn drains them; the default buffer (~200 KiB) drops them in
	 * the kernel, uncounted by us. Best effort: FORCE needs CAP_NET_ADMIN.
	 */
	int rcvbuf = GRAB_RCVBUF;
	if (setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
		setsockopt(s, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	struct grab *g = calloc(1, sizeof(*g));
	int err = -ENOMEM;
	struct port *p = g ? port_new(n, want, IPN_PORT_GRAB, &grab_ops, &err) : NULL;
	if (!p) {
		free(g);
		close(s);
		return *why = err == -EBUSY ? "port in use or none free" : "port outside the network", err;
	}
	g->ifindex = ifindex;
	p->priv = g;
	p->rights = IPN_RIGHT_READ | IPN_RIGHT_WRITE;
	snprintf(p->ifname, sizeof(p->ifname), "%s", ifname);
	snprintf(p->descr, sizeof(p->descr), "grab %s", ifname);
	if (ev_add(&p->ev, s, EPOLLIN, on_grab) < 0) {
		close(s);
		port_close(p);
		return *why = "epoll", -EIO;
	}
	port_activate(p);
	linkmon_start();
	log_msg("%s: grabbed %s at port %u", n->cfg.name, ifname, p->no);
	return (int)p->no;
}
