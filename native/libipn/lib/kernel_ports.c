/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The kernel backend on one network: switch VLANs, the port list, taps and
 * grabs, concast flows. Each call attaches a socket to the network for its
 * own duration: to manage (x right) or to read (any right).
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "ifname.h"
#include "kernel.h"

/* Find `net`, check its policy (0: any), attach; the socket or -errno. */
static int open_net(ipn_ctx *ctx, const char *net, uint32_t policy, int how, struct ipn_netent *e)
{
	int rc = kernel_find(ctx, K(ctx)->ls, net, e);
	if (rc < 0)
		return rc;
	if (policy == IPN_POLICY_SWITCH && e->conf.policy != policy)
		return ctx_fail(ctx, -EINVAL, "VLANs exist only on switch networks");
	if (policy == IPN_POLICY_CONCAST && e->conf.policy != policy)
		return ctx_fail(ctx, -EINVAL, "flows exist only on concast networks");
	return kernel_attach(ctx, K(ctx)->family, e, how);
}

int kernel_vlan_set(ipn_ctx *ctx, const char *net, const struct ipn_port_vlan *v)
{
	struct ipn_netent e;
	const char *why = NULL;
	int s = open_net(ctx, net, IPN_POLICY_SWITCH, IPN_ATTACH_MANAGE, &e);
	if (s < 0)
		return s;
	int rc = kernel_check_vlan(v, e.conf.max_ports, &why);
	if (rc < 0) {
		close(s);
		return ctx_fail(ctx, rc, "%s", why);
	}
	struct ipn_port_vlan pv = *v;
	pv.reserved = 0;
	if (setsockopt(s, IPN_POLICY_SWITCH, IPN_SWITCH_SO_VLAN, &pv, sizeof(pv)) < 0)
		rc = ctx_fail(ctx, -errno, "the kernel module refused the VLANs: %s", strerror(errno));
	close(s);
	return rc;
}

int kernel_vlan_get(ipn_ctx *ctx, const char *net, uint32_t port, struct ipn_port_vlan *out)
{
	struct ipn_netent e;
	int s = open_net(ctx, net, IPN_POLICY_SWITCH, IPN_ATTACH_READ, &e), rc = 0;
	if (s < 0)
		return s;
	if (port < 1 || port > e.conf.max_ports) {
		close(s);
		return ctx_fail(ctx, -EINVAL, "port outside the network");
	}
	memset(out, 0, sizeof(*out));
	out->port = port;
	socklen_t l = sizeof(*out);
	if (getsockopt(s, IPN_POLICY_SWITCH, IPN_SWITCH_SO_VLAN, out, &l) < 0)
		rc = ctx_fail(ctx, -errno, "cannot read the port's VLANs: %s", strerror(errno));
	out->port = port;
	close(s);
	return rc;
}

int kernel_port_list(ipn_ctx *ctx, const char *net, struct ipn_port_info *out, uint32_t max)
{
	struct ipn_netent e;
	void *all;
	int s = open_net(ctx, net, 0, IPN_ATTACH_READ, &e);
	if (s < 0)
		return s;
	int n = kernel_listing(ctx, s, SOL_IPN, IPN_SO_PORTLIST, sizeof(struct ipn_portent), &all);
	close(s);
	if (n < 0)
		return n;
	const struct ipn_portent *p = all;
	for (int i = 0; i < n && (uint32_t)i < max; i++) {
		struct ipn_port_info *o = &out[i];
		memset(o, 0, sizeof(*o));
		o->port = p[i].port;
		o->kind = p[i].kind; /* IPN_PORTKIND_SOCKET is IPN_PORT_NATIVE; taps, grabs alike */
		o->rights = p[i].rights;
		o->pid = p[i].pid;
		o->uid = p[i].uid;
		o->gid = p[i].gid;
		memcpy(o->ifname, p[i].ifname, sizeof(o->ifname));
		o->ifname[sizeof(o->ifname) - 1] = 0;
		snprintf(o->descr, sizeof(o->descr), "%.*s", (int)sizeof(o->descr) - 1, p[i].descr);
		o->stats = p[i].stats;
	}
	free(all);
	return n;
}

/* A tap or grab at `port` (<= 0: the first free); returns its port. */
static int netdev_add(ipn_ctx *ctx, const char *net, const char *ifname, int32_t port, bool tap)
{
	if (!ifname_ok(ifname))
		return ctx_fail(ctx, -EINVAL, "interface name must be 1..15 bytes without '/', ':' or spaces");
	if (tap && if_nametoindex(ifname))
		return ctx_fail(ctx, -EEXIST, "an interface with this name exists");
	if (!tap && !if_nametoindex(ifname))
		return ctx_fail(ctx, -ENODEV, "no such interface");
	struct ipn_netent e;
	int s = open_net(ctx, net, 0, IPN_ATTACH_MANAGE, &e), rc = 0;
	if (s < 0)
		return s;
	int want = port > 0 ? port : IPN_PORTNO_ANY;
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_flags = tap ? IPN_NODEFLAG_TAP : IPN_NODEFLAG_GRAB;
	if (port > 0 && (uint32_t)port > e.conf.max_ports) {
		rc = ctx_fail(ctx, -EINVAL, "port outside the network");
	} else if (setsockopt(s, SOL_IPN, IPN_SO_PORT, &want, sizeof(want)) < 0) {
		rc = ctx_fail(ctx, -errno, "port outside the network");
	} else if (ioctl(s, IPN_CONN_NETDEV, &ifr) < 0) {
		int err = errno;
		if (err == EADDRNOTAVAIL)
			rc = ctx_fail(ctx, -EBUSY, "port in use or none free");
		else if (err == EBUSY)
			rc = ctx_fail(ctx, -EBUSY, "the interface is already attached to a network");
		else if (err == EEXIST)
			rc = ctx_fail(ctx, -EEXIST, "an interface with this name exists");
		else if (err == ENODEV)
			rc = ctx_fail(ctx, -ENODEV, "no such interface");
		else if (err == EINVAL && !tap)
			rc = ctx_fail(ctx, -EINVAL, "only an Ethernet interface can be grabbed");
		else
			rc = ctx_fail(ctx, -err, "cannot %s: %s", tap ? "create the tap interface"
					 : "attach to the interface", strerror(err));
	} else if (ioctl(s, IPN_SETPERSIST, 1) < 0) {
		/* closing the socket removes it again */
		rc = ctx_fail(ctx, -errno, "cannot keep the interface attached: %s", strerror(errno));
	} else {
		socklen_t l = sizeof(want);
		rc = getsockopt(s, SOL_IPN, IPN_SO_PORT, &want, &l) < 0 ? -errno : want;
	}
	close(s);
	return rc;
}

int kernel_tap_add(ipn_ctx *ctx, const char *net, const char *ifname, int32_t port)
{
	return netdev_add(ctx, net, ifname, port, true);
}

int kernel_grab_add(ipn_ctx *ctx, const char *net, const char *ifname, int32_t port)
{
	return netdev_add(ctx, net, ifname, port, false);
}

int kernel_attach_del(ipn_ctx *ctx, const char *net, const char *ifname)
{
	struct ipn_netent e;
	void *all;
	int s = open_net(ctx, net, 0, IPN_ATTACH_MANAGE, &e), at = 0, rc = 0;
	if (s < 0)
		return s;
	int n = kernel_listing(ctx, s, SOL_IPN, IPN_SO_PORTLIST, sizeof(struct ipn_portent), &all);
	if (n < 0) {
		close(s);
		return n;
	}
	const struct ipn_portent *p = all;
	for (int i = 0; i < n && !at; i++)
		if ((p[i].kind == IPN_PORTKIND_TAP || p[i].kind == IPN_PORTKIND_GRAB) &&
		    !strncmp(p[i].ifname, ifname, sizeof(p[i].ifname)))
			at = (int)p[i].port;
	free(all);
	if (!at)
		rc = ctx_fail(ctx, -ENOENT, "no such tap or grab on this network");
	else if (setsockopt(s, SOL_IPN, IPN_SO_DETACH, &at, sizeof(at)) < 0)
		rc = ctx_fail(ctx, -errno, "cannot detach %s: %s", ifname, strerror(errno));
	close(s);
	return rc;
}

int kernel_flow_list(ipn_ctx *ctx, const char *net, struct ipn_flow *out, uint32_t max)
{
	struct ipn_netent e;
	void *all;
	int s = open_net(ctx, net, IPN_POLICY_CONCAST, IPN_ATTACH_READ, &e);
	if (s < 0)
		return s;
	int n = kernel_listing(ctx, s, IPN_POLICY_CONCAST, IPN_CONCAST_SO_FLOWS, sizeof(struct ipn_flow),
			       &all);
	close(s);
	if (n < 0)
		return n;
	memcpy(out, all, (size_t)((uint32_t)n < max ? (uint32_t)n : max) * sizeof(*out));
	free(all);
	return n;
}

int kernel_flow_get(ipn_ctx *ctx, const char *net, uint64_t key, struct ipn_flow *out)
{
	struct ipn_netent e;
	int s = open_net(ctx, net, IPN_POLICY_CONCAST, IPN_ATTACH_READ, &e), rc = 0;
	if (s < 0)
		return s;
	memset(out, 0, sizeof(*out));
	out->key = key;
	socklen_t l = sizeof(*out);
	if (getsockopt(s, IPN_POLICY_CONCAST, IPN_CONCAST_SO_FLOW, out, &l) < 0)
		rc = errno == ENOENT ? ctx_fail(ctx, -ENOENT, "no open flow with this key")
				     : ctx_fail(ctx, -errno, "cannot read the flow: %s", strerror(errno));
	close(s);
	return rc;
}

int kernel_flow_set(ipn_ctx *ctx, const char *net, const struct ipn_flow *flow)
{
	struct ipn_netent e;
	if (flow->flags & ~(uint32_t)IPN_FLOW_OPEN)
		return ctx_fail(ctx, -EINVAL, "unknown flow flags");
	int s = open_net(ctx, net, IPN_POLICY_CONCAST, IPN_ATTACH_MANAGE, &e), rc = 0;
	if (s < 0)
		return s;
	struct ipn_flow f = *flow;
	f.age_ms = 0;
	f.reserved = 0;
	if (setsockopt(s, IPN_POLICY_CONCAST, IPN_CONCAST_SO_FLOW, &f, sizeof(f)) < 0) {
		int err = errno;
		rc = ctx_fail(ctx, -err, "%s", err == ENOENT ? "no open flow with this key"
				 : err == ENOSPC ? "too many open flows" : strerror(err));
	}
	close(s);
	return rc;
}
