// SPDX-License-Identifier: GPL-2.0
/*
 * ipn: a message entering a network. The policy picks the destinations
 * under the network's lock; member sockets get theirs queued there, net
 * devices get theirs after the lock is dropped.
 */
#include <linux/skbuff.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <asm/unaligned.h>
#include <linux/rcupdate.h>
#include "ipn_core.h"

struct ipn_cb {
	u8 kind;
};
#define IPN_CB(skb) ((struct ipn_cb *)(skb)->cb)

const struct ipn_policy *ipn_policy_get(u32 id)
{
	switch (id) {
	case IPN_POLICY_HUB:
		return &ipn_policy_hub;
	case IPN_POLICY_SWITCH:
		return &ipn_policy_switch;
	case IPN_POLICY_CONCAST:
		return &ipn_policy_concast;
	}
	return NULL;
}

static void ipn_drop_locked(struct ipn_net *net, struct ipn_port *port, int reason)
{
	net->stats.drops[reason]++;
	if (port)
		port->stats.drops[reason]++;
}

void ipn_count_drop(struct ipn_net *net, struct ipn_port *port, int reason)
{
	spin_lock_bh(&net->lock);
	ipn_drop_locked(net, port, reason);
	spin_unlock_bh(&net->lock);
}

/*
 * Copy skb (or its variant) to each destination of r. With `own` pointing
 * at skb, the caller gives skb away: its last destination gets it itself
 * instead of a clone, and *own becomes NULL. net->lock held.
 */
void ipn_deliver_locked(struct ipn_net *net, struct ipn_route *r, struct sk_buff *skb,
			struct sk_buff_head *deferred, struct sk_buff **own)
{
	unsigned int i, last = r->n;

	if (own && *own == skb)
		for (i = r->n; i-- > 0;)
			if (!r->variant[i]) {
				last = i;
				break;
			}
	for (i = 0; i < r->n; i++) {
		struct ipn_port *p = r->dest[i];
		struct sk_buff *s = r->variant[i] ? r->alt : skb;
		struct sk_buff *c;

		if (!s)
			continue;
		if (p->kind != IPN_PORTKIND_SOCKET && s->len < ETH_HLEN) {
			ipn_drop_locked(net, p, IPN_DROP_TOO_SMALL);
			continue;
		}
		if (i == last) {
			c = skb;
			*own = NULL;
		} else {
			c = skb_clone(s, GFP_ATOMIC);
		}
		if (!c) {
			ipn_drop_locked(net, p, IPN_DROP_NOMEM);
			continue;
		}
		if (p->kind == IPN_PORTKIND_SOCKET) {
			ipn_msgq_put(net, p, c);
			continue;
		}
		memset(c->cb, 0, sizeof(c->cb));
		IPN_CB(c)->kind = p->kind;
		c->dev = p->dev;
		__skb_queue_tail(deferred, c);
		ipn_stats_add(&net->stats, false, c->len);
		ipn_stats_add(&p->stats, false, c->len);
	}
}

/* Hand frames to taps (as received) and grabbed interfaces (to send). */
void ipn_deliver_deferred(struct sk_buff_head *deferred)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(deferred))) {
		u8 kind = IPN_CB(skb)->kind;

		memset(skb->cb, 0, sizeof(skb->cb));
		ipn_netdev_out(skb, kind);
	}
}

/* Over the MTU? On a switch an 802.1Q tag does not count against it. */
static bool ipn_too_big(struct ipn_net *net, struct sk_buff *skb)
{
	if (skb->len <= net->conf.mtu)
		return false;
	return net->conf.policy != IPN_POLICY_SWITCH || skb->len > net->conf.mtu + VLAN_HLEN ||
	       get_unaligned_be16(skb->data + 2 * ETH_ALEN) != ETH_P_8021Q;
}

/*
 * A message from port `from`. Consumes skb and returns 0, except on a
 * lossless network when lossless_ok and a destination queue is full:
 * then -EAGAIN and skb is left to the caller, nothing changed.
 */
int ipn_inject(struct ipn_port *from, struct sk_buff *skb, bool lossless_ok)
{
	struct ipn_net *net = from->net;
	struct ipn_route r = { .dest = NULL };
	struct sk_buff_head deferred;
	struct sk_buff *out;
	unsigned int i;
	int err;

	__skb_queue_head_init(&deferred);
	rcu_read_lock();
	spin_lock_bh(&net->lock);
	if (from->dead)
		goto unlock;
	if (!(from->rights & IPN_RIGHT_WRITE)) {
		ipn_drop_locked(net, from, IPN_DROP_NO_WRITE);
		goto unlock;
	}
	r.dest = net->dest;
	r.variant = net->variant;
	err = net->policy->route(net, from, skb, &r);
	if (!err && lossless_ok && (net->conf.flags & IPN_NET_LOSSLESS)) {
		for (i = 0; i < r.n; i++) {
			if (ipn_msgq_full(net, r.dest[i])) {
				spin_unlock_bh(&net->lock);
				rcu_read_unlock();
				kfree_skb(r.alt);
				return -EAGAIN;
			}
		}
	}
	ipn_stats_add(&net->stats, true, skb->len);
	ipn_stats_add(&from->stats, true, skb->len);
	if (ipn_too_big(net, skb)) {
		ipn_drop_locked(net, from, IPN_DROP_TOO_BIG);
		goto unlock;
	}
	if (err) {
		ipn_drop_locked(net, from, -err - 1);
		goto unlock;
	}
	out = net->policy->commit ? net->policy->commit(net, from, skb, &r) : skb;
	if (out) {
		bool other = out != skb; /* a message of the policy's own */

		if (!r.n)
			ipn_drop_locked(net, from, IPN_DROP_NO_ROUTE);
		else
			ipn_deliver_locked(net, &r, out, &deferred, other ? NULL : &skb);
		if (other)
			consume_skb(out);
	}
unlock:
	spin_unlock_bh(&net->lock);
	ipn_deliver_deferred(&deferred);
	rcu_read_unlock();
	kfree_skb(r.alt);
	consume_skb(skb); /* NULL when its last destination took it */
	return 0;
}
