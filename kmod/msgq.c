// SPDX-License-Identifier: GPL-2.0
/*
 * ipn: the queues of member sockets. Each member has a data queue (the
 * socket's receive queue) and an out-of-band queue, both at most
 * `queue` messages deep. A full queue drops (lossy) or, on a lossless
 * network, holds the senders back until its reader makes room.
 */
#include <linux/skbuff.h>
#include <linux/poll.h>
#include <net/sock.h>
#include "ipn_core.h"

void ipn_msgq_purge(struct ipn_port *port)
{
	if (port->sk)
		skb_queue_purge(&port->sk->sk_receive_queue);
	skb_queue_purge(&port->oobq);
}

/*
 * Would a message to port wait (lossless) or drop (lossy)? A queue holds
 * at most `queue` messages and at most SO_RCVBUF bytes, so a member's
 * kernel memory stays bounded whatever the network's settings.
 * net->lock held.
 */
bool ipn_msgq_full(struct ipn_net *net, struct ipn_port *port)
{
	struct sock *sk = port->sk;

	return port->kind == IPN_PORTKIND_SOCKET &&
	       (skb_queue_len(&sk->sk_receive_queue) >= net->conf.queue ||
		atomic_read(&sk->sk_rmem_alloc) >= READ_ONCE(sk->sk_rcvbuf));
}

/* Queue skb (ours) for a member socket. net->lock held. */
int ipn_msgq_put(struct ipn_net *net, struct ipn_port *port, struct sk_buff *skb)
{
	struct sock *sk = port->sk;
	unsigned int len = skb->len;

	if (ipn_msgq_full(net, port)) {
		kfree_skb(skb);
		net->stats.drops[IPN_DROP_QUEUE_FULL]++;
		port->stats.drops[IPN_DROP_QUEUE_FULL]++;
		return -ENOBUFS;
	}
	skb_set_owner_r(skb, sk);
	skb_queue_tail(&sk->sk_receive_queue, skb);
	sk->sk_data_ready(sk);
	ipn_stats_add(&net->stats, false, len);
	ipn_stats_add(&port->stats, false, len);
	return 0;
}

/* Queue an out-of-band message. net->lock held. */
void ipn_msgq_oob(struct ipn_net *net, struct ipn_port *port, const void *data, size_t len)
{
	struct sk_buff *skb;

	if (skb_queue_len(&port->oobq) >= net->conf.queue) {
		net->stats.drops[IPN_DROP_QUEUE_FULL]++;
		port->stats.drops[IPN_DROP_QUEUE_FULL]++;
		return;
	}
	skb = alloc_skb(len, GFP_ATOMIC);
	if (!skb) {
		net->stats.drops[IPN_DROP_NOMEM]++;
		return;
	}
	skb_put_data(skb, data, len);
	skb_queue_tail(&port->oobq, skb);
	port->sk->sk_data_ready(port->sk);
}

static struct sk_buff *ipn_msgq_peek(struct sk_buff_head *q)
{
	struct sk_buff *skb;

	spin_lock_bh(&q->lock);
	skb = skb_peek(q);
	if (skb)
		skb_get(skb);
	spin_unlock_bh(&q->lock);
	return skb;
}

/* The next message for a reader: out-of-band first when it handles them. */
struct sk_buff *ipn_msgq_get(struct ipn_port *port, int flags, bool oob_ok, bool *oob)
{
	struct ipn_net *net = port->net;
	struct sk_buff_head *q;
	struct sk_buff *skb;
	u32 was;

	*oob = false;
	if (oob_ok || (flags & MSG_OOB)) {
		q = &port->oobq;
		skb = (flags & MSG_PEEK) ? ipn_msgq_peek(q) : skb_dequeue(q);
		if (skb) {
			*oob = true;
			return skb;
		}
		if (flags & MSG_OOB)
			return NULL;
	}
	q = &port->sk->sk_receive_queue;
	if (flags & MSG_PEEK)
		return ipn_msgq_peek(q);
	spin_lock_bh(&q->lock);
	was = skb_queue_len(q);
	skb = __skb_dequeue(q);
	spin_unlock_bh(&q->lock);
	/* a full queue got room: lossless senders retry (the byte bound is
	 * rarely what fills it, so any read near it wakes them too) */
	if (skb && (READ_ONCE(net->conf.flags) & IPN_NET_LOSSLESS) &&
	    (was >= READ_ONCE(net->conf.queue) ||
	     atomic_read(&port->sk->sk_rmem_alloc) >= READ_ONCE(port->sk->sk_rcvbuf))) {
		spin_lock_bh(&net->lock);
		ipn_wake_writers(net);
		spin_unlock_bh(&net->lock);
	}
	return skb;
}

static void ipn_wake_sk_out(struct sock *sk)
{
	struct socket_wq *wq;

	rcu_read_lock();
	wq = rcu_dereference(sk->sk_wq);
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_poll(&wq->wait, EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND);
	rcu_read_unlock();
}

/* Room appeared somewhere: senders waiting on a lossless network retry. */
void ipn_wake_writers(struct ipn_net *net)
{
	struct ipn_port *p;

	lockdep_assert_held(&net->lock);
	WRITE_ONCE(net->room_gen, net->room_gen + 1);
	list_for_each_entry(p, &net->port_list, node)
		if (p->kind == IPN_PORTKIND_SOCKET && (p->rights & IPN_RIGHT_WRITE))
			ipn_wake_sk_out(p->sk);
}

/* poll's EPOLLOUT: lossy networks always; lossless when no reader is full. */
bool ipn_port_writable(struct ipn_port *port)
{
	struct ipn_net *net = port->net;
	struct ipn_port *p;
	bool ok = true;

	if (READ_ONCE(port->dead))
		return false;
	if (!(READ_ONCE(net->conf.flags) & IPN_NET_LOSSLESS))
		return true;
	spin_lock_bh(&net->lock);
	list_for_each_entry(p, &net->port_list, node) {
		if (p != port && (p->rights & IPN_RIGHT_READ) && ipn_msgq_full(net, p)) {
			ok = false;
			break;
		}
	}
	spin_unlock_bh(&net->lock);
	return ok;
}

/* Tell members that asked how many readers and writers there are now. */
void ipn_notify_numnodes(struct ipn_net *net)
{
	struct ipn_oob_numnodes m = { .level = IPN_ANY, .tag = IPN_OOB_NUMNODE_TAG };
	struct ipn_port *p;

	lockdep_assert_held(&ipn_mutex);
	spin_lock_bh(&net->lock);
	m.numreaders = net->readers;
	m.numwriters = net->writers;
	list_for_each_entry(p, &net->port_list, node)
		if (p->kind == IPN_PORTKIND_SOCKET && p->want_oob)
			ipn_msgq_oob(net, p, &m, sizeof(m));
	spin_unlock_bh(&net->lock);
}
