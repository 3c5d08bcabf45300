/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What each control request does, and who may do it: creating networks and
 * stopping the engine need root (or the engine's uid); changing a network
 * needs x on it; reading a network needs any right on it.
 */
#include <errno.h>
#include <string.h>
#include "ctl_proto.h"
#include "engine.h"

static uint32_t rights_of(const struct ctl_peer *who, const struct net *n)
{
	return port_rights(n, who->uid, who->gid, who->groups, who->ngroups);
}

static bool terminated(const char *s, size_t cap)
{
	return memchr(s, 0, cap) != NULL;
}

static void net_info(const struct net *n, struct ipn_net_info *o)
{
	memset(o, 0, sizeof(*o));
	o->cfg = n->cfg;
	o->members = n->members;
	o->attachments = n->attachments;
	o->flows = n->cfg.policy == IPN_POLICY_CONCAST ? cc_flow_count(&n->cc) : 0;
	o->stats = n->stats;
}

static void port_info(const struct port *p, struct ipn_port_info *o)
{
	memset(o, 0, sizeof(*o));
	o->port = p->no;
	o->kind = p->kind;
	o->rights = p->rights;
	o->pid = p->pid;
	o->uid = p->uid;
	o->gid = p->gid;
	memcpy(o->ifname, p->ifname, sizeof(o->ifname));
	memcpy(o->descr, p->descr, sizeof(o->descr));
	o->stats = p->stats;
}

static int list_nets(const struct ctl_peer *who, const struct ipnc_req *rq, struct ipnc_rep *rp,
		     uint8_t *out, uint32_t room)
{
	uint32_t fit = room / sizeof(struct ipn_net_info), idx = 0;
	for (const struct net *n = E.nets; n; n = n->next) {
		if (!rights_of(who, n))
			continue;
		if (idx >= rq->offset && rp->count < fit)
			net_info(n, (struct ipn_net_info *)out + rp->count++);
		idx++;
	}
	rp->total = idx;
	return (int)idx;
}

static int list_ports(const struct net *n, const struct ipnc_req *rq, struct ipnc_rep *rp,
		      uint8_t *out, uint32_t room)
{
	uint32_t fit = room / sizeof(struct ipn_port_info), idx = 0;
	for (uint32_t i = 1; i < n->ports_len; i++) {
		const struct port *p = n->ports[i];
		if (!p || p->ev.dead)
			continue;
		if (idx >= rq->offset && rp->count < fit)
			port_info(p, (struct ipn_port_info *)out + rp->count++);
		idx++;
	}
	rp->total = idx;
	return (int)idx;
}

static struct port *find_attachment(struct net *n, const char *ifname)
{
	for (uint32_t i = 1; i < n->ports_len; i++) {
		struct port *p = n->ports[i];
		if (p && (p->kind == IPN_PORT_TAP || p->kind == IPN_PORT_GRAB) &&
		    !strcmp(p->ifname, ifname))
			return p;
	}
	return NULL;
}

int ctl_dispatch(const struct ctl_peer *who, const struct ipnc_req *rq, struct ipnc_rep *rp,
		 uint8_t *out, uint32_t room, const char **why)
{
	bool boss = who->uid == 0 || who->uid == E.uid;
	int rc;
	if (!terminated(rq->net, sizeof(rq->net)) || !terminated(rq->ifname, sizeof(rq->ifname)))
		return *why = "unterminated name in request", -EINVAL;
	switch (rq->op) {
	case IPNC_HELLO:
		rp->total = IPNC_VERSION;
		return 0;
	case IPNC_SHUTDOWN:
		if (!boss)
			return *why = "stopping the engine needs root", -EPERM;
		return 0;
	case IPNC_NET_CREATE:
		if (!boss)
			return *why = "creating networks needs root", -EPERM;
		return net_create(&rq->u.cfg, why);
	case IPNC_NET_LIST:
		return list_nets(who, rq, rp, out, room);
	default:
		break;
	}
	if (rq->op >= IPNC_OP_END || rq->op == 0)
		return *why = "unknown control operation", -EOPNOTSUPP;

	/* everything else names a network */
	const char *name = rq->op == IPNC_NET_UPDATE ? rq->u.cfg.name : rq->net;
	if (rq->op == IPNC_NET_UPDATE && !terminated(rq->u.cfg.name, sizeof(rq->u.cfg.name)))
		return *why = "unterminated name in request", -EINVAL;
	struct net *n = net_find(name);
	uint32_t r = n ? rights_of(who, n) : 0;
	if (!n || !r)
		return *why = "no such network", -ENOENT;
	bool manage = rq->op == IPNC_NET_UPDATE || rq->op == IPNC_NET_DESTROY ||
		      rq->op == IPNC_VLAN_SET || rq->op == IPNC_TAP_ADD || rq->op == IPNC_GRAB_ADD ||
		      rq->op == IPNC_ATTACH_DEL || rq->op == IPNC_FLOW_SET;
	if (manage && !(r & IPN_RIGHT_EXEC))
		return *why = "managing this network needs the x right", -EPERM;
	bool concast = n->cfg.policy == IPN_POLICY_CONCAST;

	switch (rq->op) {
	case IPNC_NET_UPDATE:
		return net_update(n, &rq->u.cfg, why);
	case IPNC_NET_DESTROY:
		net_destroy(n);
		return 0;
	case IPNC_NET_GET:
		net_info(n, (struct ipn_net_info *)out);
		rp->count = rp->total = 1;
		return 0;
	case IPNC_VLAN_SET:
		if (n->cfg.policy != IPN_POLICY_SWITCH)
			return *why = "VLANs exist only on switch networks", -EINVAL;
		if (rq->u.vlan.port > n->cfg.max_ports)
			return *why = "port outside the network", -EINVAL;
		rc = vlan_set(&n->sw.vlans, &rq->u.vlan, why);
		if (rc == 0)
			sw_port_forget(&n->sw, rq->u.vlan.port); /* what it learned may be wrong now */
		return rc;
	case IPNC_VLAN_GET:
		if (n->cfg.policy != IPN_POLICY_SWITCH)
			return *why = "VLANs exist only on switch networks", -EINVAL;
		if (rq->port < 1 || (uint32_t)rq->port > n->cfg.max_ports)
			return *why = "port outside the network", -EINVAL;
		memcpy(out, vlan_get(&n->sw.vlans, (uint32_t)rq->port), sizeof(struct ipn_port_vlan));
		((struct ipn_port_vlan *)out)->port = (uint32_t)rq->port;
		rp->count = rp->total = 1;
		return 0;
	case IPNC_PORT_LIST:
		return list_ports(n, rq, rp, out, room);
	case IPNC_TAP_ADD:
		return tap_open(n, rq->ifname, rq->port, why);
	case IPNC_GRAB_ADD:
		return grab_open(n, rq->ifname, rq->port, why);
	case IPNC_ATTACH_DEL: {
		struct port *p = find_attachment(n, rq->ifname);
		if (!p)
			return *why = "no such tap or grab on this network", -ENOENT;
		port_close(p);
		return 0;
	}
	case IPNC_FLOW_LIST:
		if (!concast)
			return *why = "flows exist only on concast networks", -EINVAL;
		rp->count = cc_flow_list(&n->cc, rq->offset, E.now, (struct ipn_flow *)out,
					 room / sizeof(struct ipn_flow));
		rp->total = cc_flow_count(&n->cc);
		return (int)rp->total;
	case IPNC_FLOW_GET:
		if (!concast)
			return *why = "flows exist only on concast networks", -EINVAL;
		if (cc_flow_get(&n->cc, rq->key, E.now, (struct ipn_flow *)out) < 0)
			return *why = "no open flow with this key", -ENOENT;
		rp->count = rp->total = 1;
		return 0;
	case IPNC_FLOW_SET:
		if (!concast)
			return *why = "flows exist only on concast networks", -EINVAL;
		if (rq->u.flow.flags & ~(uint32_t)IPN_FLOW_OPEN)
			return *why = "unknown flow flags", -EINVAL;
		concast_flow_set(n, &rq->u.flow, &rc);
		if (rc == -ENOENT)
			*why = "no open flow with this key";
		else if (rc == -ENOSPC)
			*why = "too many open flows";
		return rc;
	}
	return *why = "unknown control operation", -EOPNOTSUPP;
}
