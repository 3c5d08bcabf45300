// SPDX-License-Identifier: GPL-2.0
/*
 * ipn: the switch policy, a learning Ethernet switch with 802.1Q VLANs.
 *
 * Each port has an untagged VLAN (pvid; default 1, 0 for none) and a set
 * of tagged (trunk) VLANs. An untagged or priority-tagged (VID 0) frame
 * belongs to its ingress port's pvid, a tagged one to its tag, which must
 * be one of the port's VLANs; other frames are dropped (IPN_DROP_VLAN). Source addresses are learned per
 * VLAN and age out after ageing_s. A frame to a known unicast address
 * goes to that port only; broadcast, multicast and unknown destinations
 * are flooded to every other port of the VLAN. On the way out the tag is
 * removed for a port whose pvid is the VLAN and added for a trunk port.
 */
#include <linux/slab.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/hash.h>
#include <linux/jiffies.h>
#include <asm/unaligned.h>
#include "ipn_core.h"

#define SW_HASH_BITS 8
#define SW_VLAN_BITS 4096

struct sw_vlan {
	struct rcu_head rcu;
	u16 pvid;
	DECLARE_BITMAP(trunk, SW_VLAN_BITS);
};

struct sw_fdb {
	struct hlist_node h;
	struct ipn_port *port;
	unsigned long seen;
	u16 vlan;
	u8 mac[ETH_ALEN];
};

struct sw_priv {
	struct xarray vlan;      /* by port; none: pvid 1, no trunk */
	struct hlist_head fdb[1 << SW_HASH_BITS];
	u32 nfdb;
};

static struct kmem_cache *sw_fdb_cache;

/* under RCU (the data path) or ipn_mutex */
static u16 sw_pvid(struct sw_priv *sw, u32 num)
{
	struct sw_vlan *v = xa_load(&sw->vlan, num);

	return v ? v->pvid : 1;
}

static bool sw_trunk(struct sw_priv *sw, u32 num, u16 vid)
{
	struct sw_vlan *v = xa_load(&sw->vlan, num);

	return v && test_bit(vid, v->trunk);
}

static bool sw_member(struct sw_priv *sw, u32 num, u16 vid)
{
	return sw_pvid(sw, num) == vid || sw_trunk(sw, num, vid);
}

static u32 sw_hash(const u8 *mac, u16 vid)
{
	return hash_32(get_unaligned((const u32 *)(mac + 2)) ^ vid ^
		       ((u32)mac[0] << 16) ^ ((u32)mac[1] << 24), SW_HASH_BITS);
}

static bool sw_expired(struct ipn_net *net, struct sw_fdb *e)
{
	return time_after(jiffies, e->seen + (unsigned long)net->conf.ageing_s * HZ);
}

static void sw_fdb_del(struct sw_priv *sw, struct sw_fdb *e)
{
	hlist_del(&e->h);
	kmem_cache_free(sw_fdb_cache, e);
	sw->nfdb--;
	ipn_obj_dec(IPN_OBJ_FDB);
}

static struct sw_fdb *sw_find(struct sw_priv *sw, const u8 *mac, u16 vid)
{
	struct sw_fdb *e;

	hlist_for_each_entry(e, &sw->fdb[sw_hash(mac, vid)], h)
		if (e->vlan == vid && ether_addr_equal(e->mac, mac))
			return e;
	return NULL;
}

static void sw_gc(struct ipn_net *net, struct sw_priv *sw)
{
	struct hlist_node *tmp;
	struct sw_fdb *e;
	unsigned int b;

	for (b = 0; b < ARRAY_SIZE(sw->fdb); b++)
		hlist_for_each_entry_safe(e, tmp, &sw->fdb[b], h)
			if (sw_expired(net, e))
				sw_fdb_del(sw, e);
}

static void sw_learn(struct ipn_net *net, struct sw_priv *sw, const u8 *mac, u16 vid,
		     struct ipn_port *port)
{
	struct sw_fdb *e = sw_find(sw, mac, vid);

	if (e) {
		e->port = port;
		e->seen = jiffies;
		return;
	}
	if (sw->nfdb >= IPN_FDB_MAX) {
		sw_gc(net, sw);
		if (sw->nfdb >= IPN_FDB_MAX)
			return; /* full of live entries: those frames keep flooding */
	}
	e = kmem_cache_alloc(sw_fdb_cache, GFP_ATOMIC);
	if (!e)
		return;
	ether_addr_copy(e->mac, mac);
	e->vlan = vid;
	e->port = port;
	e->seen = jiffies;
	hlist_add_head(&e->h, &sw->fdb[sw_hash(mac, vid)]);
	sw->nfdb++;
	ipn_obj_inc(IPN_OBJ_FDB);
}

static void sw_forget_port(struct sw_priv *sw, struct ipn_port *port)
{
	struct hlist_node *tmp;
	struct sw_fdb *e;
	unsigned int b;

	for (b = 0; b < ARRAY_SIZE(sw->fdb); b++)
		hlist_for_each_entry_safe(e, tmp, &sw->fdb[b], h)
			if (!port || e->port == port)
				sw_fdb_del(sw, e);
}

/* The frame with its 802.1Q tag taken out, or put in. */
static struct sk_buff *sw_retag(struct sk_buff *skb, bool tagged, u16 vid)
{
	struct sk_buff *n;

	if (tagged) {
		n = skb_copy(skb, GFP_ATOMIC);
		if (!n)
			return NULL;
		memmove(n->data + VLAN_HLEN, n->data, 2 * ETH_ALEN);
		skb_pull(n, VLAN_HLEN);
		return n;
	}
	n = skb_copy_expand(skb, VLAN_HLEN, 0, GFP_ATOMIC);
	if (!n)
		return NULL;
	skb_push(n, VLAN_HLEN);
	memmove(n->data, n->data + VLAN_HLEN, 2 * ETH_ALEN);
	put_unaligned_be16(ETH_P_8021Q, n->data + 2 * ETH_ALEN);
	put_unaligned_be16(vid, n->data + 2 * ETH_ALEN + 2);
	return n;
}

static void sw_add(struct sw_priv *sw, struct ipn_route *r, struct ipn_port *p, u16 vid,
		   bool tagged)
{
	bool want_tag = sw_pvid(sw, p->num) != vid;

	r->variant[r->n] = want_tag != tagged;
	r->dest[r->n++] = p;
}

static int sw_route(struct ipn_net *net, struct ipn_port *from, struct sk_buff *skb,
		    struct ipn_route *r)
{
	struct sw_priv *sw = net->priv;
	const u8 *dst, *src;
	struct ipn_port *p;
	bool tagged, alt = false;
	unsigned int i;
	u16 vid, tci;

	if (skb->len < ETH_HLEN)
		return IPN_DROP(IPN_DROP_TOO_SMALL);
	tagged = get_unaligned_be16(skb->data + 2 * ETH_ALEN) == ETH_P_8021Q;
	if (tagged) {
		if (skb->len < VLAN_ETH_HLEN)
			return IPN_DROP(IPN_DROP_TOO_SMALL);
		tci = get_unaligned_be16(skb->data + 2 * ETH_ALEN + 2);
		vid = tci & VLAN_VID_MASK;
		if (vid == VLAN_N_VID - 1)
			return IPN_DROP(IPN_DROP_VLAN);
		if (!vid) {
			/* a priority tag: the frame is the port's untagged one,
			 * and its priority stays when it leaves tagged */
			vid = sw_pvid(sw, from->num);
			if (!vid)
				return IPN_DROP(IPN_DROP_VLAN);
			if (skb_ensure_writable(skb, VLAN_ETH_HLEN))
				return IPN_DROP(IPN_DROP_NOMEM);
			put_unaligned_be16((tci & ~VLAN_VID_MASK) | vid,
					   skb->data + 2 * ETH_ALEN + 2);
		} else if (!sw_member(sw, from->num, vid)) {
			/* a port trunks its tags; its own pvid tagged is accepted too */
			return IPN_DROP(IPN_DROP_VLAN);
		}
	} else {
		vid = sw_pvid(sw, from->num);
		if (!vid)
			return IPN_DROP(IPN_DROP_VLAN);
	}
	dst = skb->data;
	src = skb->data + ETH_ALEN;
	if (!is_multicast_ether_addr(src))
		sw_learn(net, sw, src, vid, from);

	if (!is_multicast_ether_addr(dst)) {
		struct sw_fdb *e = sw_find(sw, dst, vid);

		if (e && !sw_expired(net, e)) {
			p = e->port;
			if (p == from)
				goto variants; /* on the sender's own segment: nobody */
			if ((p->rights & IPN_RIGHT_READ) && sw_member(sw, p->num, vid)) {
				sw_add(sw, r, p, vid, tagged);
				goto variants;
			}
			/* learned where it cannot be delivered now: flood */
		}
	}
	list_for_each_entry(p, &net->port_list, node)
		if (p != from && (p->rights & IPN_RIGHT_READ) && sw_member(sw, p->num, vid))
			sw_add(sw, r, p, vid, tagged);
variants:
	for (i = 0; i < r->n; i++)
		alt |= r->variant[i];
	if (alt) {
		r->alt = sw_retag(skb, tagged, vid);
		if (!r->alt)
			return IPN_DROP(IPN_DROP_NOMEM);
	}
	return 0;
}

static int sw_init(struct ipn_net *net)
{
	struct sw_priv *sw = kzalloc(sizeof(*sw), GFP_KERNEL);

	if (!sw)
		return -ENOMEM;
	xa_init(&sw->vlan);
	net->priv = sw;
	return 0;
}

static void sw_fini(struct ipn_net *net)
{
	struct sw_priv *sw = net->priv;
	struct sw_vlan *v;
	unsigned long i;

	sw_forget_port(sw, NULL);
	xa_for_each(&sw->vlan, i, v)
		kfree_rcu(v, rcu);
	xa_destroy(&sw->vlan);
	kfree(sw);
}

/* Fewer ports: forget the VLANs of the ports gone. */
static void sw_resize(struct ipn_net *net, u32 max_ports)
{
	struct sw_priv *sw = net->priv;
	struct sw_vlan *v;
	unsigned long i;

	xa_for_each_start(&sw->vlan, i, v, max_ports + 1) {
		xa_erase(&sw->vlan, i);
		kfree_rcu(v, rcu);
	}
}

static void sw_port_gone(struct ipn_net *net, struct ipn_port *port)
{
	sw_forget_port(net->priv, port);
}

static struct sw_vlan *sw_vlan_from(const struct ipn_port_vlan *pv)
{
	struct sw_vlan *v;
	unsigned int b;

	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return ERR_PTR(-ENOMEM);
	v->pvid = pv->pvid;
	for (b = 0; b < SW_VLAN_BITS; b++)
		if (pv->trunk[b / 8] & (1 << (b % 8)))
			__set_bit(b, v->trunk);
	return v;
}

static int sw_set_vlan(struct ipn_net *net, sockptr_t optval, unsigned int optlen)
{
	struct sw_priv *sw = net->priv;
	struct sw_vlan *v = NULL, *old;
	struct ipn_port_vlan *pv;
	struct ipn_port *port;
	bool any = false;
	unsigned int b;
	int err;

	if (optlen < sizeof(*pv))
		return -EINVAL;
	pv = kmalloc(sizeof(*pv), GFP_KERNEL);
	if (!pv)
		return -ENOMEM;
	err = -EFAULT;
	if (copy_from_sockptr(pv, optval, sizeof(*pv)))
		goto out;
	err = -EINVAL;
	if (pv->port < 1 || pv->port > net->conf.max_ports || pv->pvid >= VLAN_N_VID - 1 ||
	    pv->reserved)
		goto out;
	/* bit v of trunk[] is VLAN v; 0 and 4095 are not VLANs */
	if ((pv->trunk[0] & 1) || (pv->trunk[sizeof(pv->trunk) - 1] & 0x80))
		goto out;
	for (b = 0; b < sizeof(pv->trunk); b++)
		any |= pv->trunk[b] != 0;
	if (pv->pvid != 1 || any) {
		v = sw_vlan_from(pv);
		if (IS_ERR(v)) {
			err = PTR_ERR(v);
			goto out;
		}
	}
	old = xa_store(&sw->vlan, pv->port, v, GFP_KERNEL);
	if (xa_is_err(old)) {
		kfree(v);
		err = xa_err(old);
		goto out;
	}
	if (old)
		kfree_rcu(old, rcu); /* the data path may still look at it */
	spin_lock_bh(&net->lock);
	port = xa_load(&net->ports, pv->port);
	if (port)
		sw_forget_port(sw, port);
	spin_unlock_bh(&net->lock);
	err = 0;
out:
	kfree(pv);
	return err;
}

static int sw_setsockopt(struct ipn_net *net, struct ipn_sock *is, int optname,
			 sockptr_t optval, unsigned int optlen)
{
	struct ipn_port *p;
	int port, err;

	if (!is->bound)
		return -EPERM;
	switch (optname) {
	case IPN_SWITCH_SO_VLAN:
		return sw_set_vlan(net, optval, optlen);
	case IPN_SWITCH_SO_FDB_FLUSH:
		err = ipn_opt_get_int(optval, optlen, &port);
		if (err)
			return err;
		if (port != -1 && (port < 1 || port > (int)net->conf.max_ports))
			return -EINVAL;
		spin_lock_bh(&net->lock);
		if (port == -1)
			sw_forget_port(net->priv, NULL);
		else if ((p = xa_load(&net->ports, port)))
			sw_forget_port(net->priv, p);
		spin_unlock_bh(&net->lock);
		return 0;
	}
	return -ENOPROTOOPT;
}

static int sw_get_vlan(struct ipn_net *net, char __user *optval, int __user *optlen)
{
	struct sw_priv *sw = net->priv;
	struct ipn_port_vlan *pv;
	struct sw_vlan *v;
	unsigned int b;
	int len, err;

	if (get_user(len, optlen))
		return -EFAULT;
	if (len < (int)sizeof(*pv))
		return -EINVAL;
	pv = kzalloc(sizeof(*pv), GFP_KERNEL);
	if (!pv)
		return -ENOMEM;
	err = -EFAULT;
	if (copy_from_user(&pv->port, optval, sizeof(pv->port)))
		goto out;
	err = -EINVAL;
	if (pv->port < 1 || pv->port > net->conf.max_ports)
		goto out;
	rcu_read_lock();
	v = xa_load(&sw->vlan, pv->port);
	pv->pvid = v ? v->pvid : 1;
	if (v)
		for (b = 0; b < SW_VLAN_BITS; b++)
			if (test_bit(b, v->trunk))
				pv->trunk[b / 8] |= 1 << (b % 8);
	rcu_read_unlock();
	err = ipn_opt_put(optval, optlen, pv, sizeof(*pv));
out:
	kfree(pv);
	return err;
}

static int sw_get_fdb(struct ipn_net *net, char __user *optval, int __user *optlen)
{
	struct sw_priv *sw = net->priv;
	struct ipn_fdbent *ents;
	struct ipn_list hdr;
	struct sw_fdb *e;
	u32 room, idx = 0, b;
	int err;

	err = ipn_list_begin(optval, optlen, sizeof(*ents), IPN_FDB_MAX, &hdr, &room);
	if (err)
		return err;
	ents = kvcalloc(max(room, 1U), sizeof(*ents), GFP_KERNEL);
	if (!ents)
		return -ENOMEM;
	spin_lock_bh(&net->lock);
	for (b = 0; b < ARRAY_SIZE(sw->fdb); b++) {
		hlist_for_each_entry(e, &sw->fdb[b], h) {
			if (sw_expired(net, e))
				continue;
			if (idx >= hdr.start && hdr.count < room) {
				struct ipn_fdbent *f = &ents[hdr.count++];

				ether_addr_copy(f->mac, e->mac);
				f->vlan = e->vlan;
				f->port = e->port->num;
				f->age_ms = jiffies_to_msecs(jiffies - e->seen);
			}
			idx++;
		}
	}
	spin_unlock_bh(&net->lock);
	hdr.total = idx;
	err = -EFAULT;
	if (!copy_to_user(optval + sizeof(hdr), ents, hdr.count * sizeof(*ents)))
		err = ipn_list_end(optval, optlen, &hdr);
	kvfree(ents);
	return err;
}

static int sw_getsockopt(struct ipn_net *net, struct ipn_sock *is, int optname,
			 char __user *optval, int __user *optlen)
{
	switch (optname) {
	case IPN_SWITCH_SO_VLAN:
		return sw_get_vlan(net, optval, optlen);
	case IPN_SWITCH_SO_FDB:
		return sw_get_fdb(net, optval, optlen);
	}
	return -ENOPROTOOPT;
}

const struct ipn_policy ipn_policy_switch = {
	.id = IPN_POLICY_SWITCH,
	.name = "switch",
	.init = sw_init,
	.fini = sw_fini,
	.resize = sw_resize,
	.port_gone = sw_port_gone,
	.route = sw_route,
	.setsockopt = sw_setsockopt,
	.getsockopt = sw_getsockopt,
};

int ipn_switch_init(void)
{
	sw_fdb_cache = KMEM_CACHE(sw_fdb, 0);
	return sw_fdb_cache ? 0 : -ENOMEM;
}

void ipn_switch_exit(void)
{
	kmem_cache_destroy(sw_fdb_cache);
}
