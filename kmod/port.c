// SPDX-License-Identifier: GPL-2.0
/*
 * ipn: ports, the places where members attach to a network. Ports are
 * numbered 1..max_ports; a port is a member socket, a tap or a grab.
 */
#include <linux/slab.h>
#include <linux/cred.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include "ipn_core.h"

static struct kmem_cache *ipn_port_cache;

struct ipn_port *ipn_port_alloc(u8 kind)
{
	struct ipn_port *port = kmem_cache_zalloc(ipn_port_cache, GFP_KERNEL);

	if (!port)
		return NULL;
	INIT_LIST_HEAD(&port->node);
	skb_queue_head_init(&port->oobq);
	port->kind = kind;
	port->pid = get_task_pid(current, PIDTYPE_TGID);
	port->uid = current_euid();
	port->gid = current_egid();
	ipn_obj_inc(IPN_OBJ_PORT);
	return port;
}

/* ipn_mutex held; the port is detached (or was never attached). */
void ipn_port_free(struct ipn_port *port)
{
	skb_queue_purge(&port->oobq);
	put_pid(port->pid);
	if (port->cred)
		put_cred(port->cred);
	if (port->net)
		ipn_net_put(port->net);
	kmem_cache_free(ipn_port_cache, port);
	ipn_obj_dec(IPN_OBJ_PORT);
}

/* Give the port a number (want: 1..max_ports or IPN_PORTNO_ANY). */
int ipn_port_attach(struct ipn_net *net, struct ipn_port *port, int want)
{
	u32 n;
	int err;

	lockdep_assert_held(&ipn_mutex);
	if (net->terminated)
		return -ECONNREFUSED;
	if (want != IPN_PORTNO_ANY && (want < 1 || want > net->conf.max_ports))
		return -EINVAL;
	err = ipn_net_reserve(net, net->nports + 1);
	if (err)
		return err;
	port->net = net;
	if (want == IPN_PORTNO_ANY) {
		err = xa_alloc(&net->ports, &n, port, XA_LIMIT(1, net->conf.max_ports), GFP_KERNEL);
	} else {
		n = want;
		err = xa_insert(&net->ports, n, port, GFP_KERNEL);
	}
	if (err) {
		port->net = NULL;
		if (err != -EBUSY)
			return err;
		spin_lock_bh(&net->lock);
		net->stats.drops[IPN_DROP_REFUSED]++;
		spin_unlock_bh(&net->lock);
		return -EADDRNOTAVAIL;
	}
	ipn_net_get(net);
	port->num = n;
	if (port->kind == IPN_PORTKIND_SOCKET)
		net->had_member = true;
	spin_lock_bh(&net->lock);
	list_add_tail(&port->node, &net->port_list);
	net->nports++;
	if (port->kind != IPN_PORTKIND_SOCKET)
		net->nattach++;
	if (port->rights & IPN_RIGHT_READ)
		net->readers++;
	if (port->rights & IPN_RIGHT_WRITE)
		net->writers++;
	spin_unlock_bh(&net->lock);
	ipn_notify_numnodes(net);
	return 0;
}

/* Take the port off its network; it keeps its net ref until freed. */
void ipn_port_detach(struct ipn_port *port)
{
	struct ipn_net *net = port->net;

	lockdep_assert_held(&ipn_mutex);
	if (port->dead)
		return;
	spin_lock_bh(&net->lock);
	/* erased under the lock: readers use ports only while they hold it */
	xa_erase(&net->ports, port->num);
	list_del_init(&port->node);
	net->nports--;
	if (port->kind != IPN_PORTKIND_SOCKET)
		net->nattach--;
	if (port->rights & IPN_RIGHT_READ)
		net->readers--;
	if (port->rights & IPN_RIGHT_WRITE)
		net->writers--;
	WRITE_ONCE(port->dead, true);
	if (net->policy->port_gone)
		net->policy->port_gone(net, port);
	/* it may have been the full queue holding lossless senders back */
	ipn_wake_writers(net);
	spin_unlock_bh(&net->lock);
	ipn_msgq_purge(port);
	ipn_notify_numnodes(net);
	ipn_net_port_left(net);
}

/* New rights (shutdown, IPN_SO_RECHECK): readers and writers follow. */
void ipn_port_set_rights(struct ipn_port *port, u8 rights)
{
	struct ipn_net *net = port->net;
	u8 lost = port->rights & ~rights, gained = rights & ~port->rights;

	lockdep_assert_held(&ipn_mutex);
	if ((!lost && !gained) || port->dead)
		return;
	spin_lock_bh(&net->lock);
	if (lost & IPN_RIGHT_READ)
		net->readers--;
	if (lost & IPN_RIGHT_WRITE)
		net->writers--;
	if (gained & IPN_RIGHT_READ)
		net->readers++;
	if (gained & IPN_RIGHT_WRITE)
		net->writers++;
	WRITE_ONCE(port->rights, rights);
	if (lost & IPN_RIGHT_READ)
		ipn_wake_writers(net);
	spin_unlock_bh(&net->lock);
	if ((lost & IPN_RIGHT_READ) && port->sk)
		skb_queue_purge(&port->sk->sk_receive_queue);
	ipn_notify_numnodes(net);
}

void ipn_port_fill_ent(struct ipn_port *port, struct ipn_portent *e)
{
	struct ipn_net *net = port->net;

	memset(e, 0, sizeof(*e));
	e->port = port->num;
	e->kind = port->kind;
	e->rights = port->rights;
	e->pid = pid_vnr(port->pid);
	e->uid = from_kuid_munged(current_user_ns(), port->uid);
	e->gid = from_kgid_munged(current_user_ns(), port->gid);
	if (port->persist)
		e->flags |= IPN_PORTF_PERSIST;
	if (port->want_oob)
		e->flags |= IPN_PORTF_OOB;
	if (port->sk)
		e->queued = skb_queue_len(&port->sk->sk_receive_queue);
	if (port->dev)
		strscpy(e->ifname, port->dev->name, sizeof(e->ifname));
	memcpy(e->descr, port->descr, sizeof(e->descr));
	e->descr[sizeof(e->descr) - 1] = 0;
	spin_lock_bh(&net->lock);
	e->stats = port->stats;
	spin_unlock_bh(&net->lock);
}

int ipn_port_init(void)
{
	ipn_port_cache = KMEM_CACHE(ipn_port, 0);
	return ipn_port_cache ? 0 : -ENOMEM;
}

void ipn_port_exit(void)
{
	kmem_cache_destroy(ipn_port_cache);
}
