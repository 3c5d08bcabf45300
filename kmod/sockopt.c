// SPDX-License-Identifier: GPL-2.0
/*
 * ipn: socket options. Level SOL_IPN holds the original IPN options and
 * our extensions; level IPN_POLICY_<x> the options of policy x.
 */
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "ipn_core.h"

int ipn_opt_get_int(sockptr_t optval, unsigned int optlen, int *val)
{
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(val, optval, sizeof(int)))
		return -EFAULT;
	return 0;
}

/* Return a fixed-size value; the caller's buffer must hold it. */
int ipn_opt_put(char __user *optval, int __user *optlen, const void *val, int size)
{
	int len;

	if (get_user(len, optlen))
		return -EFAULT;
	if (len < size)
		return -EINVAL;
	if (copy_to_user(optval, val, size) || put_user(size, optlen))
		return -EFAULT;
	return 0;
}

/* A listing: read the header's `start`, work out how many entries fit. */
int ipn_list_begin(char __user *optval, int __user *optlen, u32 entsize, u32 max,
		   struct ipn_list *hdr, u32 *room)
{
	int len;

	if (get_user(len, optlen))
		return -EFAULT;
	if (len < (int)sizeof(*hdr))
		return -EINVAL;
	if (copy_from_user(hdr, optval, sizeof(*hdr)))
		return -EFAULT;
	hdr->total = 0;
	hdr->count = 0;
	hdr->entsize = entsize;
	*room = min_t(u32, (len - sizeof(*hdr)) / entsize, max);
	return 0;
}

int ipn_list_end(char __user *optval, int __user *optlen, const struct ipn_list *hdr)
{
	if (copy_to_user(optval, hdr, sizeof(*hdr)) ||
	    put_user((int)(sizeof(*hdr) + hdr->count * hdr->entsize), optlen))
		return -EFAULT;
	return 0;
}

/* Options that shape a network before bind (the original IPN_SO_PREBIND set). */
static int ipn_set_prebind(struct ipn_sock *is, int optname, int v)
{
	struct ipn_netconf *c = &is->pre;

	if (is->net || is->ndev)
		return -EISCONN;
	switch (optname) {
	case IPN_SO_MTU:
		if (v < IPN_MTU_MIN || v > IPN_MTU_MAX)
			return -EINVAL;
		c->mtu = v;
		return 0;
	case IPN_SO_NUMNODES:
		if (v < 1 || v > IPN_PORTS_MAX)
			return -EINVAL;
		c->max_ports = v;
		return 0;
	case IPN_SO_MSGPOOLSIZE:
		if (v < 1 || v > IPN_QUEUE_MAX)
			return -EINVAL;
		c->queue = v;
		return 0;
	case IPN_SO_FLAGS:
		if (v & ~(IPN_NET_LOSSLESS | IPN_NET_PERSISTENT | IPN_NET_LINGER | IPN_NET_EXCL))
			return -EINVAL;
		c->flags = v;
		return 0;
	case IPN_SO_MODE:
		if (v & ~0777)
			return -EINVAL;
		c->mode = v;
		return 0;
	}
	return -ENOPROTOOPT;
}

static int ipn_set_netconf(struct ipn_sock *is, sockptr_t optval, unsigned int optlen)
{
	struct ipn_netconf c;
	int err;

	if (optlen < sizeof(c))
		return -EINVAL;
	if (copy_from_sockptr(&c, optval, sizeof(c)))
		return -EFAULT;
	if (is->net) {
		if (!is->bound)
			return -EPERM;
		return ipn_net_update(is->net, &c);
	}
	if (is->ndev)
		return -EISCONN;
	if (!c.policy)
		c.policy = is->protocol;
	if (is->protocol && c.policy != is->protocol)
		return -EINVAL;
	c.flags &= ~IPN_FLAG_TERMINATED;
	c.uid = 0;
	c.gid = 0;
	err = ipn_netconf_check(&c);
	if (err)
		return err;
	is->pre = c;
	return 0;
}

static int ipn_set_core(struct ipn_sock *is, int optname, sockptr_t optval,
			unsigned int optlen)
{
	char descr[IPN_DESCRLEN];
	int v, err;

	switch (optname) {
	case IPN_SO_DESCR:
		if (optlen > IPN_DESCRLEN)
			return -EINVAL;
		memset(descr, 0, sizeof(descr));
		if (copy_from_sockptr(descr, optval, optlen))
			return -EFAULT;
		descr[IPN_DESCRLEN - 1] = 0;
		memcpy(is->descr, descr, sizeof(descr));
		if (is->port)
			memcpy(is->port->descr, descr, sizeof(descr));
		return 0;
	case IPN_SO_NETCONF:
		return ipn_set_netconf(is, optval, optlen);
	}

	err = ipn_opt_get_int(optval, optlen, &v);
	if (err)
		return err;
	switch (optname) {
	case IPN_SO_PORT:
		if (is->port || is->ndev)
			return -EISCONN;
		if (v != IPN_PORTNO_ANY && (v < 1 || v > IPN_PORTS_MAX))
			return -EINVAL;
		is->want_port = v;
		return 0;
	case IPN_SO_CHANGE_NUMNODES:
		if (!is->net)
			return -ENOTCONN;
		if (!is->bound)
			return -EPERM;
		if (is->net->terminated)
			return -ECONNRESET;
		return ipn_net_resize(is->net, v < 0 ? 0 : v);
	case IPN_SO_ATTACH:
		if (is->net || is->ndev)
			return -EISCONN;
		if (v < 0 || v > IPN_ATTACH_READ)
			return -EINVAL;
		is->attach = v;
		return 0;
	case IPN_SO_RECHECK:
		if (!is->net)
			return -ENOTCONN;
		if (!is->bound)
			return -EPERM;
		return ipn_net_recheck(is->net);
	case IPN_SO_HANDLE_OOB:
	case IPN_SO_WANT_OOB_NUMNODES:
		if (optname == IPN_SO_HANDLE_OOB)
			is->handle_oob = v != 0;
		else
			is->want_oob = v != 0;
		if (is->port && !is->port->dead) {
			spin_lock_bh(&is->port->net->lock);
			is->port->want_oob = is->want_oob && is->handle_oob;
			spin_unlock_bh(&is->port->net->lock);
		}
		if (is->port && !is->handle_oob)
			skb_queue_purge(&is->port->oobq);
		return 0;
	}
	if (optname & IPN_SO_PREBIND)
		return ipn_set_prebind(is, optname, v);
	return -ENOPROTOOPT;
}

static int ipn_destroy(struct ipn_sock *is)
{
	int err = 0;

	rtnl_lock();
	mutex_lock(&ipn_mutex);
	if (!is->net)
		err = -ENOTCONN;
	else if (!is->bound)
		err = -EPERM;
	else
		ipn_net_terminate(is->net);
	mutex_unlock(&ipn_mutex);
	rtnl_unlock();
	return err;
}

int ipn_setsockopt(struct socket *sock, int level, int optname, sockptr_t optval,
		   unsigned int optlen)
{
	struct ipn_sock *is = ipn_sk(sock->sk);
	struct ipn_net *net;
	int err, v;

	if (level == SOL_IPN) {
		switch (optname) {
		case IPN_SO_REWRITE_ADD:
			return ipn_rewrite_add(sock_net(sock->sk), optval, optlen);
		case IPN_SO_REWRITE_DEL:
			return ipn_rewrite_del(sock_net(sock->sk), optval, optlen);
		case IPN_SO_DESTROY:
			return ipn_destroy(is);
		case IPN_SO_DETACH:
			err = ipn_opt_get_int(optval, optlen, &v);
			return err ? err : ipn_netdev_detach_port(is, v);
		}
		lock_sock(sock->sk);
		mutex_lock(&ipn_mutex);
		err = ipn_set_core(is, optname, optval, optlen);
		mutex_unlock(&ipn_mutex);
		release_sock(sock->sk);
		return err;
	}
	if (level < 0 || level > IPN_POLICY_MAX)
		return -ENOPROTOOPT;
	lock_sock(sock->sk);
	mutex_lock(&ipn_mutex);
	net = is->net;
	if (!net)
		err = -ENOTCONN;
	else if (net->conf.policy != level || !net->policy->setsockopt)
		err = -ENOPROTOOPT;
	else if (net->terminated)
		err = -ECONNRESET;
	else
		err = net->policy->setsockopt(net, is, optname, optval, optlen);
	mutex_unlock(&ipn_mutex);
	release_sock(sock->sk);
	return err;
}

static int ipn_get_netlist(char __user *optval, int __user *optlen)
{
	struct ipn_netent *ents;
	struct ipn_list hdr;
	struct ipn_net *net;
	u32 room, idx = 0, n = 0;
	int err;

	err = ipn_list_begin(optval, optlen, sizeof(*ents), U32_MAX, &hdr, &room);
	if (err)
		return err;
	mutex_lock(&ipn_mutex);
	list_for_each_entry(net, &ipn_nets, node)
		n += ipn_net_live(net);
	room = min(room, n > hdr.start ? n - hdr.start : 0);
	ents = kvcalloc(max(room, 1U), sizeof(*ents), GFP_KERNEL);
	if (!ents) {
		mutex_unlock(&ipn_mutex);
		return -ENOMEM;
	}
	list_for_each_entry(net, &ipn_nets, node) {
		if (!ipn_net_live(net))
			continue;
		if (idx >= hdr.start && hdr.count < room)
			ipn_net_fill_ent(net, &ents[hdr.count++]);
		idx++;
	}
	mutex_unlock(&ipn_mutex);
	hdr.total = idx;
	err = -EFAULT;
	if (!copy_to_user(optval + sizeof(hdr), ents, hdr.count * sizeof(*ents)))
		err = ipn_list_end(optval, optlen, &hdr);
	kvfree(ents);
	return err;
}

/* ipn_mutex held */
static int ipn_get_portlist(struct ipn_net *net, char __user *optval, int __user *optlen)
{
	struct ipn_portent *ents;
	struct ipn_list hdr;
	struct ipn_port *p;
	u32 room, idx = 0;
	int err;

	err = ipn_list_begin(optval, optlen, sizeof(*ents), net->nports, &hdr, &room);
	if (err)
		return err;
	ents = kvcalloc(max(room, 1U), sizeof(*ents), GFP_KERNEL);
	if (!ents)
		return -ENOMEM;
	list_for_each_entry(p, &net->port_list, node) {
		if (idx >= hdr.start && hdr.count < room)
			ipn_port_fill_ent(p, &ents[hdr.count++]);
		idx++;
	}
	hdr.total = idx;
	err = -EFAULT;
	if (!copy_to_user(optval + sizeof(hdr), ents, hdr.count * sizeof(*ents)))
		err = ipn_list_end(optval, optlen, &hdr);
	kvfree(ents);
	return err;
}

/* ipn_mutex held */
static int ipn_get_core(struct ipn_sock *is, int optname, char __user *optval,
			int __user *optlen)
{
	struct ipn_net *net = is->net;
	char descr[IPN_DESCRLEN];
	struct ipn_netconf c;
	struct ipn_netent *e;
	int v, len, err;

	/* values are copied out of the socket and network objects first:
	 * their slab caches are not whitelisted for user copies */
	switch (optname) {
	case IPN_SO_DESCR:
		if (get_user(len, optlen))
			return -EFAULT;
		if (len <= 0)
			return -EINVAL;
		len = min(len, IPN_DESCRLEN);
		memcpy(descr, is->descr, sizeof(descr));
		if (copy_to_user(optval, descr, len) || put_user(len, optlen))
			return -EFAULT;
		return 0;
	case IPN_SO_NETCONF:
		if (net)
			ipn_net_fill_conf(net, &c);
		else
			c = is->pre;
		return ipn_opt_put(optval, optlen, &c, sizeof(c));
	case IPN_SO_NETINFO:
		if (!net)
			return -ENOTCONN;
		e = kmalloc(sizeof(*e), GFP_KERNEL);
		if (!e)
			return -ENOMEM;
		ipn_net_fill_ent(net, e);
		err = ipn_opt_put(optval, optlen, e, sizeof(*e));
		kfree(e);
		return err;
	case IPN_SO_PORTLIST:
		if (!net)
			return -ENOTCONN;
		return ipn_get_portlist(net, optval, optlen);
	}

	if (net)
		ipn_net_fill_conf(net, &c);
	else
		c = is->pre;
	switch (optname) {
	case IPN_SO_PORT:
		v = is->port ? is->port->num : is->ndev ? is->ndev->num : is->want_port;
		break;
	case IPN_SO_HANDLE_OOB:
		v = is->handle_oob;
		break;
	case IPN_SO_ATTACH:
		v = is->attach;
		break;
	case IPN_SO_RIGHTS:
		if (!is->port)
			return -ENOTCONN;
		v = is->port->dead ? 0 : is->port->rights;
		break;
	case IPN_SO_WANT_OOB_NUMNODES:
		v = is->want_oob;
		break;
	case IPN_SO_MTU:
		v = c.mtu;
		break;
	case IPN_SO_NUMNODES:
		v = c.max_ports;
		break;
	case IPN_SO_MSGPOOLSIZE:
		v = c.queue;
		break;
	case IPN_SO_FLAGS:
		v = c.flags;
		break;
	case IPN_SO_MODE:
		v = c.mode;
		break;
	default:
		return -ENOPROTOOPT;
	}
	return ipn_opt_put(optval, optlen, &v, sizeof(v));
}

int ipn_getsockopt(struct socket *sock, int level, int optname, char __user *optval,
		   int __user *optlen)
{
	struct ipn_sock *is = ipn_sk(sock->sk);
	struct ipn_objects o;
	struct ipn_net *net;
	int err;

	if (level == SOL_IPN) {
		switch (optname) {
		case IPN_SO_NETLIST:
			return ipn_get_netlist(optval, optlen);
		case IPN_SO_REWRITE_LIST:
			return ipn_rewrite_list(sock_net(sock->sk), optval, optlen);
		case IPN_SO_OBJECTS:
			memset(&o, 0, sizeof(o));
			o.nets = atomic64_read(&ipn_objects[IPN_OBJ_NET]);
			o.ports = atomic64_read(&ipn_objects[IPN_OBJ_PORT]);
			o.fdb = atomic64_read(&ipn_objects[IPN_OBJ_FDB]);
			o.flows = atomic64_read(&ipn_objects[IPN_OBJ_FLOW]);
			o.rewrites = atomic64_read(&ipn_objects[IPN_OBJ_REWRITE]);
			return ipn_opt_put(optval, optlen, &o, sizeof(o));
		}
		lock_sock(sock->sk);
		mutex_lock(&ipn_mutex);
		err = ipn_get_core(is, optname, optval, optlen);
		mutex_unlock(&ipn_mutex);
		release_sock(sock->sk);
		return err;
	}
	if (level < 0 || level > IPN_POLICY_MAX)
		return -ENOPROTOOPT;
	mutex_lock(&ipn_mutex);
	net = is->net;
	if (!net)
		err = -ENOTCONN;
	else if (net->conf.policy != level || !net->policy->getsockopt)
		err = -ENOPROTOOPT;
	else
		err = net->policy->getsockopt(net, is, optname, optval, optlen);
	mutex_unlock(&ipn_mutex);
	return err;
}
