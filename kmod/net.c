// SPDX-License-Identifier: GPL-2.0
/*
 * ipn: network objects and the table of live networks.
 *
 * A network lives while something refers to it: a bound socket, a port
 * (member socket, tap, grab), its persistence, or its lingering (it waits
 * for a first member, and ends when the last port leaves after one came).
 * It is identified by the
 * inode of its filesystem node; names and owner tags are labels for
 * management tools.
 */
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/fs.h>
#include <linux/dcache.h>
#include <linux/cred.h>
#include <linux/rtnetlink.h>
#include "ipn_core.h"

LIST_HEAD(ipn_nets);
static struct kmem_cache *ipn_net_cache;

#define IPN_NET_HOLDS (IPN_NET_PERSISTENT | IPN_NET_LINGER) /* each holds a ref */
#define IPN_NET_SETTABLE (IPN_NET_LOSSLESS | IPN_NET_HOLDS | IPN_NET_EXCL)

void ipn_netconf_default(struct ipn_netconf *c)
{
	memset(c, 0, sizeof(*c));
	c->max_ports = IPN_DEFAULT_PORTS;
	c->mtu = IPN_DEFAULT_MTU;
	c->queue = IPN_DEFAULT_QUEUE;
	c->mode = IPN_DEFAULT_MODE;
	c->ageing_s = IPN_DEFAULT_AGEING;
	c->concast.receiver_port = -1;
}

static bool ipn_str_ok(const char *s, size_t size)
{
	return strnlen(s, size) < size;
}

/* Validate settings; policy 0 is accepted (it means "unchanged"). */
int ipn_netconf_check(const struct ipn_netconf *c)
{
	unsigned int i;

	if (c->policy > IPN_POLICY_MAX)
		return -EPROTONOSUPPORT;
	if (c->max_ports < 1 || c->max_ports > IPN_PORTS_MAX)
		return -EINVAL;
	if (c->mtu < IPN_MTU_MIN || c->mtu > IPN_MTU_MAX)
		return -EINVAL;
	if (c->queue < 1 || c->queue > IPN_QUEUE_MAX)
		return -EINVAL;
	if (c->flags & ~(IPN_NET_SETTABLE | IPN_FLAG_TERMINATED))
		return -EINVAL;
	if (c->mode & ~0777)
		return -EINVAL;
	if (c->ageing_s < 1 || c->ageing_s > 1000000)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(c->reserved); i++)
		if (c->reserved[i])
			return -EINVAL;
	if (!ipn_str_ok(c->name, sizeof(c->name)) || !ipn_str_ok(c->owner, sizeof(c->owner)))
		return -EINVAL;
	if (c->policy == IPN_POLICY_CONCAST)
		return ipn_concast_check(&c->concast, c->mtu);
	return 0;
}

struct ipn_net *ipn_net_find_name(const char *name)
{
	struct ipn_net *net;

	if (!name[0])
		return NULL;
	list_for_each_entry(net, &ipn_nets, node)
		if (!strcmp(net->conf.name, name))
			return net;
	return NULL;
}

struct ipn_net *ipn_net_find(const struct inode *inode)
{
	struct ipn_net *net;

	list_for_each_entry(net, &ipn_nets, node)
		if (net->path.dentry && d_inode(net->path.dentry) == inode)
			return net;
	return NULL;
}

/*
 * Make the route scratch hold n ports (it grows with the members, never
 * with max_ports: a large, empty network costs nothing). ipn_mutex held.
 */
int ipn_net_reserve(struct ipn_net *net, u32 n)
{
	struct ipn_port **dest, **old_dest;
	u8 *variant, *old_variant;
	u32 room;

	if (n <= net->ndest)
		return 0;
	room = max(n, 2 * net->ndest);
	room = max(room, 8U);
	dest = kvcalloc(room, sizeof(*dest), GFP_KERNEL);
	variant = kvcalloc(room, 1, GFP_KERNEL);
	if (!dest || !variant) {
		kvfree(dest);
		kvfree(variant);
		return -ENOMEM;
	}
	spin_lock_bh(&net->lock);
	old_dest = net->dest;
	old_variant = net->variant;
	net->dest = dest;
	net->variant = variant;
	net->ndest = room;
	spin_unlock_bh(&net->lock);
	kvfree(old_dest);
	kvfree(old_variant);
	return 0;
}

static void ipn_net_free_tables(struct ipn_net *net)
{
	xa_destroy(&net->ports);
	kvfree(net->dest);
	kvfree(net->variant);
}

/* A new network, not yet in the table (no node, no lock needed). */
struct ipn_net *ipn_net_create(const struct ipn_netconf *c)
{
	struct ipn_net *net;
	int err;

	err = ipn_netconf_check(c);
	if (err)
		return ERR_PTR(err);
	if (!c->policy)
		return ERR_PTR(-EINVAL);
	/* a network without a process behind it is a privilege */
	if ((c->flags & IPN_NET_HOLDS) && !capable(CAP_NET_ADMIN))
		return ERR_PTR(-EPERM);
	net = kmem_cache_zalloc(ipn_net_cache, GFP_KERNEL);
	if (!net)
		return ERR_PTR(-ENOMEM);
	xa_init_flags(&net->ports, XA_FLAGS_ALLOC1);
	err = ipn_net_reserve(net, 8);
	if (err)
		goto out_free;
	INIT_LIST_HEAD(&net->node);
	INIT_LIST_HEAD(&net->port_list);
	spin_lock_init(&net->lock);
	net->conf = *c;
	net->conf.flags &= IPN_NET_LOSSLESS | IPN_NET_HOLDS;
	net->policy = ipn_policy_get(c->policy);
	net->refs = 1;
	err = net->policy->init(net);
	if (err)
		goto out_tables;
	ipn_obj_inc(IPN_OBJ_NET);
	return net;
out_tables:
	ipn_net_free_tables(net);
out_free:
	kmem_cache_free(ipn_net_cache, net);
	return ERR_PTR(err);
}

/*
 * Enter the table while its node is being made: the name is taken, the
 * network is not found by inode nor listed yet. ipn_mutex held.
 */
int ipn_net_claim(struct ipn_net *net)
{
	if (ipn_net_find_name(net->conf.name))
		return -EEXIST;
	list_add_tail(&net->node, &ipn_nets);
	return 0;
}

/* Never published: leave the table (if claimed) and free. */
void ipn_net_discard(struct ipn_net *net)
{
	if (!list_empty(&net->node)) {
		mutex_lock(&ipn_mutex);
		list_del_init(&net->node);
		mutex_unlock(&ipn_mutex);
	}
	net->policy->fini(net);
	ipn_net_free_tables(net);
	kmem_cache_free(ipn_net_cache, net);
	ipn_obj_dec(IPN_OBJ_NET);
}

/* The node exists: the claimed network is live. ipn_mutex held. */
void ipn_net_publish(struct ipn_net *net, struct path *path)
{
	net->path = *path;
	if (net->conf.flags & IPN_NET_PERSISTENT)
		net->refs++;
	if (net->conf.flags & IPN_NET_LINGER)
		net->refs++;
}

void ipn_net_get(struct ipn_net *net)
{
	lockdep_assert_held(&ipn_mutex);
	net->refs++;
}

void ipn_net_put(struct ipn_net *net)
{
	lockdep_assert_held(&ipn_mutex);
	if (WARN_ON(net->refs <= 0) || --net->refs)
		return;
	list_del_init(&net->node);
	path_put(&net->path);
	net->policy->fini(net);
	ipn_net_free_tables(net);
	kmem_cache_free(ipn_net_cache, net);
	ipn_obj_dec(IPN_OBJ_NET);
}

/* Take or drop the ref a flag of IPN_NET_HOLDS stands for. */
static int ipn_net_set_hold(struct ipn_net *net, u32 flag, bool on)
{
	bool was = net->conf.flags & flag;

	if (on == was)
		return 0;
	if (net->terminated)
		return -ECONNRESET;
	if (on) {
		if (!capable(CAP_NET_ADMIN))
			return -EPERM;
		net->conf.flags |= flag;
		net->refs++;
	} else {
		net->conf.flags &= ~flag;
		ipn_net_put(net); /* the caller holds its own ref */
	}
	return 0;
}

int ipn_net_set_persistent(struct ipn_net *net, bool on)
{
	return ipn_net_set_hold(net, IPN_NET_PERSISTENT, on);
}

/*
 * A port was taken off: a lingering network that had a member ends with
 * its last port (the caller, the port, still holds a ref). ipn_mutex held.
 */
void ipn_net_port_left(struct ipn_net *net)
{
	if (!net->nports && net->had_member && (net->conf.flags & IPN_NET_LINGER)) {
		net->conf.flags &= ~IPN_NET_LINGER;
		ipn_net_put(net);
	}
}

/*
 * Members' rights follow the node as it is now: each member socket keeps
 * what its credentials still allow and it did not shut itself, gains what
 * they allow now, and is disconnected when left with neither (it reads end
 * of file, its sends fail with ECONNRESET). ipn_mutex held.
 */
int ipn_net_recheck(struct ipn_net *net)
{
	struct ipn_port *p, *tmp;
	u8 rights, shut;

	if (net->terminated)
		return -ECONNRESET;
	list_for_each_entry_safe(p, tmp, &net->port_list, node) {
		if (p->kind != IPN_PORTKIND_SOCKET || !p->cred)
			continue;
		shut = ipn_sk(p->sk)->shut;
		rights = ipn_node_rights(&net->path, p->cred, shut);
		if (rights == p->rights)
			continue;
		if (!rights) {
			ipn_port_detach(p);
			ipn_sock_terminated(p);
			continue;
		}
		ipn_port_set_rights(p, rights);
		WRITE_ONCE(p->sk->sk_shutdown, shut | (rights & IPN_RIGHT_READ ? 0 : RCV_SHUTDOWN) |
				      (rights & IPN_RIGHT_WRITE ? 0 : SEND_SHUTDOWN));
		p->sk->sk_state_change(p->sk);
	}
	return 0;
}

int ipn_net_resize(struct ipn_net *net, u32 max_ports)
{
	struct ipn_port *p;

	if (max_ports < 1 || max_ports > IPN_PORTS_MAX)
		return -EINVAL;
	list_for_each_entry(p, &net->port_list, node)
		if (p->num > max_ports)
			return -EADDRINUSE;
	if (max_ports < net->conf.max_ports && net->policy->resize)
		net->policy->resize(net, max_ports);
	spin_lock_bh(&net->lock);
	net->conf.max_ports = max_ports;
	spin_unlock_bh(&net->lock);
	return 0;
}

/* Change the mutable settings; policy and concast spec must not change. */
int ipn_net_update(struct ipn_net *net, const struct ipn_netconf *c)
{
	struct ipn_net *other;
	bool wake;
	int err;

	if (net->terminated)
		return -ECONNRESET;
	if (c->policy && c->policy != net->conf.policy)
		return -EINVAL;
	err = ipn_netconf_check(c);
	if (err)
		return err;
	if (net->conf.policy == IPN_POLICY_CONCAST &&
	    memcmp(&c->concast, &net->conf.concast, sizeof(c->concast)))
		return -EINVAL;
	if (c->flags & IPN_NET_EXCL)
		return -EINVAL;
	if ((c->flags & IPN_NET_HOLDS & ~net->conf.flags) && !capable(CAP_NET_ADMIN))
		return -EPERM;
	other = ipn_net_find_name(c->name);
	if (other && other != net)
		return -EEXIST;
	err = ipn_net_resize(net, c->max_ports);
	if (err)
		return err;
	spin_lock_bh(&net->lock);
	wake = c->queue > net->conf.queue ||
	       ((net->conf.flags & IPN_NET_LOSSLESS) && !(c->flags & IPN_NET_LOSSLESS));
	net->conf.mtu = c->mtu;
	net->conf.queue = c->queue;
	net->conf.flags = (net->conf.flags & ~IPN_NET_LOSSLESS) | (c->flags & IPN_NET_LOSSLESS);
	net->conf.ageing_s = c->ageing_s;
	memcpy(net->conf.name, c->name, sizeof(c->name));
	memcpy(net->conf.owner, c->owner, sizeof(c->owner));
	if (wake)
		ipn_wake_writers(net);
	spin_unlock_bh(&net->lock);
	/* new holds first: dropping an old one must not end the network */
	if (c->flags & IPN_NET_PERSISTENT)
		err = ipn_net_set_hold(net, IPN_NET_PERSISTENT, true);
	if (!err && (c->flags & IPN_NET_LINGER))
		err = ipn_net_set_hold(net, IPN_NET_LINGER, true);
	if (!err && !(c->flags & IPN_NET_PERSISTENT))
		err = ipn_net_set_hold(net, IPN_NET_PERSISTENT, false);
	if (!err && !(c->flags & IPN_NET_LINGER))
		err = ipn_net_set_hold(net, IPN_NET_LINGER, false);
	return err;
}

/*
 * Destroy a network now: members are disconnected (their sockets read end
 * of file, sends fail with ECONNRESET), taps deleted, grabs released, and
 * the network leaves the table. rtnl and ipn_mutex held.
 */
void ipn_net_terminate(struct ipn_net *net)
{
	struct ipn_port *p, *tmp;

	if (net->terminated)
		return;
	ipn_net_get(net);
	net->terminated = true;
	net->conf.flags |= IPN_FLAG_TERMINATED;
	list_del_init(&net->node);
	list_for_each_entry_safe(p, tmp, &net->port_list, node) {
		if (p->kind == IPN_PORTKIND_SOCKET) {
			ipn_port_detach(p);
			ipn_sock_terminated(p);
		} else {
			ipn_netdev_detach(p, false);
		}
	}
	if (net->conf.flags & IPN_NET_PERSISTENT) {
		net->conf.flags &= ~IPN_NET_PERSISTENT;
		ipn_net_put(net);
	}
	if (net->conf.flags & IPN_NET_LINGER) {
		net->conf.flags &= ~IPN_NET_LINGER;
		ipn_net_put(net);
	}
	ipn_net_put(net);
}

void ipn_net_cleanup_all(void)
{
	rtnl_lock();
	mutex_lock(&ipn_mutex);
	/* no socket is left, so no network is half made (claimed, unpublished) */
	while (!list_empty(&ipn_nets))
		ipn_net_terminate(list_first_entry(&ipn_nets, struct ipn_net, node));
	mutex_unlock(&ipn_mutex);
	rtnl_unlock();
}

void ipn_net_fill_conf(struct ipn_net *net, struct ipn_netconf *c)
{
	struct inode *inode = d_inode(net->path.dentry);

	*c = net->conf;
	c->mode = inode->i_mode & 0777;
	c->uid = from_kuid_munged(current_user_ns(), inode->i_uid);
	c->gid = from_kgid_munged(current_user_ns(), inode->i_gid);
}

void ipn_net_fill_ent(struct ipn_net *net, struct ipn_netent *e)
{
	char *buf, *p;

	memset(e, 0, sizeof(*e));
	ipn_net_fill_conf(net, &e->conf);
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (buf) {
		p = d_path(&net->path, buf, PATH_MAX);
		if (!IS_ERR(p))
			strscpy(e->path, p, sizeof(e->path));
		kfree(buf);
	}
	e->members = net->nports - net->nattach;
	e->attachments = net->nattach;
	e->readers = net->readers;
	e->writers = net->writers;
	e->bound = net->nbound;
	if (net->policy->nflows)
		e->flows = net->policy->nflows(net);
	spin_lock_bh(&net->lock);
	e->stats = net->stats;
	spin_unlock_bh(&net->lock);
}

int ipn_net_init(void)
{
	ipn_net_cache = KMEM_CACHE(ipn_net, 0);
	return ipn_net_cache ? 0 : -ENOMEM;
}

void ipn_net_exit(void)
{
	kmem_cache_destroy(ipn_net_cache);
}
