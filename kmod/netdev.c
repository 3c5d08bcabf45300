// SPDX-License-Identifier: GPL-2.0
/*
 * ipn: net devices on a network.
 *
 * A tap is an Ethernet interface whose traffic is the network's: what the
 * host sends on it enters the network, what the network delivers to its
 * port the host receives on it. A grab attaches an existing Ethernet
 * interface, bridge-style (rx handler, promiscuous): what arrives on the
 * wire enters the network, what the network delivers goes out on the
 * wire. Both can be removed at any time: by their socket's close (unless
 * persistent), IPN_CLRPERSIST_NETDEV, `ip link del` of the tap or the
 * grabbed interface, the network's end, or the module's unload.
 *
 * Taps and grabs are changed under rtnl, then ipn_mutex. The notifier
 * only takes ipn_mutex for ports it must detach itself, so devices can be
 * (un)registered with ipn_mutex held.
 */
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/rtnetlink.h>
#include <net/rtnetlink.h>
#include <net/sock.h>
#include <net/netfilter/nf_conntrack.h>
#include "ipn_core.h"

struct ipn_tap {
	struct ipn_port __rcu *port;
};

static void ipn_netdev_ingress_one(struct ipn_port *port, struct sk_buff *skb)
{
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		goto drop;
	if (skb_linearize(skb))
		goto drop;
	skb_dst_drop(skb);
	nf_reset_ct(skb);
	ipn_inject(port, skb, false);
	return;
drop:
	ipn_count_drop(port->net, port, IPN_DROP_MALFORMED);
	kfree_skb(skb);
}

/* A frame (data at its MAC header) from a tap or grab enters the network. */
static void ipn_netdev_ingress(struct ipn_port *port, struct sk_buff *skb)
{
	struct sk_buff *segs, *s, *next;

	if (!skb_is_gso(skb)) {
		ipn_netdev_ingress_one(port, skb);
		return;
	}
	/* members get frames as they would be on a wire */
	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs)) {
		ipn_count_drop(port->net, port, IPN_DROP_MALFORMED);
		kfree_skb(skb);
		return;
	}
	consume_skb(skb);
	skb_list_walk_safe(segs, s, next) {
		skb_mark_not_on_list(s);
		ipn_netdev_ingress_one(port, s);
	}
}

/* ---- taps ---- */

static netdev_tx_t ipn_tap_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct ipn_tap *t = netdev_priv(dev);
	struct ipn_port *port;

	rcu_read_lock();
	port = rcu_dereference(t->port);
	if (port) {
		dev_sw_netstats_tx_add(dev, 1, skb->len);
		ipn_netdev_ingress(port, skb);
	} else {
		dev->stats.tx_dropped++;
		kfree_skb(skb);
	}
	rcu_read_unlock();
	return NETDEV_TX_OK;
}

static int ipn_tap_init(struct net_device *dev)
{
	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	return dev->tstats ? 0 : -ENOMEM;
}

static void ipn_tap_uninit(struct net_device *dev)
{
	free_percpu(dev->tstats);
}

static const struct net_device_ops ipn_tap_ops = {
	.ndo_init = ipn_tap_init,
	.ndo_uninit = ipn_tap_uninit,
	.ndo_start_xmit = ipn_tap_xmit,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
	.ndo_get_stats64 = dev_get_tstats64,
};

static struct rtnl_link_ops ipn_link_ops = {
	.kind = "ipn",
	.dellink = unregister_netdevice_queue, /* `ip link del` removes a tap */
};

static void ipn_tap_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &ipn_tap_ops;
	dev->rtnl_link_ops = &ipn_link_ops;
	dev->needs_free_netdev = true;
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE | IFF_NO_QUEUE;
	/* made in the namespace of the socket, it may move to another one:
	 * the network's frames cross namespaces anyway */
	dev->features |= NETIF_F_LLTX;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = IPN_MTU_MAX - ETH_HLEN;
	eth_hw_addr_random(dev);
}

/* ---- grabs ---- */

static rx_handler_result_t ipn_grab_rx(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct ipn_port *port;

	if (unlikely(skb->pkt_type == PACKET_LOOPBACK))
		return RX_HANDLER_PASS;
	port = rcu_dereference(skb->dev->rx_handler_data);
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb)
		return RX_HANDLER_CONSUMED;
	skb_push(skb, skb->data - skb_mac_header(skb));
	if (skb_vlan_tag_present(skb)) {
		skb = __vlan_hwaccel_push_inside(skb);
		if (!skb)
			return RX_HANDLER_CONSUMED;
	}
	ipn_netdev_ingress(port, skb);
	return RX_HANDLER_CONSUMED;
}

/* The ipn port of a tap or grabbed interface. rtnl held. */
static struct ipn_port *ipn_netdev_port(struct net_device *dev)
{
	if (dev->netdev_ops == &ipn_tap_ops)
		return rtnl_dereference(((struct ipn_tap *)netdev_priv(dev))->port);
	if (rcu_access_pointer(dev->rx_handler) == ipn_grab_rx)
		return rtnl_dereference(dev->rx_handler_data);
	return NULL;
}

/* A frame the network delivers to a tap or grab (after ipn_net.lock). */
void ipn_netdev_out(struct sk_buff *skb, u8 kind)
{
	struct net_device *dev = skb->dev;

	/* a frame crossing the network may cross namespaces: start it afresh
	 * (a grab's promiscuous rx left PACKET_OTHERHOST on it, for one) */
	skb_scrub_packet(skb, true);
	if (kind == IPN_PORTKIND_TAP) {
		skb->protocol = eth_type_trans(skb, dev);
		dev_sw_netstats_rx_add(dev, skb->len + ETH_HLEN);
		netif_rx(skb);
		return;
	}
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	skb->protocol = eth_hdr(skb)->h_proto;
	dev_queue_xmit(skb);
}

/*
 * Take a tap or grab off its network and free its port; the tap is
 * deleted (unless it is going already), the grabbed interface released.
 * rtnl and ipn_mutex held.
 */
void ipn_netdev_detach(struct ipn_port *port, bool dev_going)
{
	struct net_device *dev = port->dev;

	port->detaching = true;
	ipn_port_detach(port);
	if (port->owner) {
		port->owner->ndev = NULL;
		port->owner = NULL;
	}
	if (port->kind == IPN_PORTKIND_GRAB) {
		netdev_rx_handler_unregister(dev); /* waits for readers */
		dev_set_promiscuity(dev, -1);
		dev_put(dev);
	} else {
		RCU_INIT_POINTER(((struct ipn_tap *)netdev_priv(dev))->port, NULL);
		dev_put(dev);
		if (dev_going)
			synchronize_net();
		else
			unregister_netdevice(dev); /* waits for readers */
	}
	ipn_port_free(port);
}

static int ipn_netdev_grab(struct ipn_net *net, struct ipn_port *port, struct net *netns,
			   const char *ifname, int want)
{
	struct net_device *dev = __dev_get_by_name(netns, ifname);
	int err;

	if (!dev)
		return -ENODEV;
	if (dev->type != ARPHRD_ETHER || (dev->flags & IFF_LOOPBACK) ||
	    dev->netdev_ops == &ipn_tap_ops || dev->addr_len != ETH_ALEN)
		return -EINVAL;
	if (netdev_is_rx_handler_busy(dev))
		return -EBUSY;
	dev_hold(dev);
	port->dev = dev;
	err = ipn_port_attach(net, port, want);
	if (err)
		goto out_put;
	err = netdev_rx_handler_register(dev, ipn_grab_rx, port);
	if (err)
		goto out_detach;
	err = dev_set_promiscuity(dev, 1);
	if (err) {
		netdev_rx_handler_unregister(dev);
		goto out_detach;
	}
	return 0;
out_detach:
	ipn_port_detach(port);
out_put:
	port->dev = NULL;
	dev_put(dev);
	return err;
}

static int ipn_netdev_tap(struct ipn_net *net, struct ipn_port *port, struct net *netns,
			  const char *ifname, int want)
{
	struct net_device *dev;
	int err;

	dev = alloc_netdev(sizeof(struct ipn_tap), ifname[0] ? ifname : "ipn%d",
			   ifname[0] ? NET_NAME_USER : NET_NAME_ENUM, ipn_tap_setup);
	if (!dev)
		return -ENOMEM;
	dev_net_set(dev, netns);
	dev->mtu = min_t(u32, net->conf.mtu - ETH_HLEN, dev->max_mtu);
	if (dev->mtu < dev->min_mtu)
		dev->mtu = dev->min_mtu;
	err = register_netdevice(dev);
	if (err) {
		free_netdev(dev);
		return err;
	}
	dev_hold(dev);
	port->dev = dev;
	err = ipn_port_attach(net, port, want);
	if (err) {
		port->dev = NULL;
		dev_put(dev);
		unregister_netdevice(dev);
		return err;
	}
	rcu_assign_pointer(((struct ipn_tap *)netdev_priv(dev))->port, port);
	return 0;
}

/* IPN_CONN_NETDEV: a tap or grab at the socket's IPN_SO_PORT. */
int ipn_netdev_connect(struct ipn_sock *is, const char *ifname, u32 kind, char *name_out)
{
	struct net *netns = sock_net(&is->sk);
	struct ipn_port *port;
	struct ipn_net *net;
	int err;

	if (!ns_capable(netns->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	lock_sock(&is->sk);
	rtnl_lock();
	mutex_lock(&ipn_mutex);
	net = is->net;
	err = -ENOTCONN;
	if (!net)
		goto out;
	err = -EPERM;
	if (!is->bound)
		goto out;
	err = -EISCONN;
	if (is->port || is->ndev)
		goto out;
	err = -ECONNRESET;
	if (net->terminated)
		goto out;
	err = -ENOMEM;
	port = ipn_port_alloc(kind);
	if (!port)
		goto out;
	port->rights = IPN_RIGHT_READ | IPN_RIGHT_WRITE;
	if (kind == IPN_PORTKIND_TAP)
		err = ipn_netdev_tap(net, port, netns, ifname, is->want_port);
	else
		err = ipn_netdev_grab(net, port, netns, ifname, is->want_port);
	if (err) {
		ipn_port_free(port);
		goto out;
	}
	strscpy(port->descr, kind == IPN_PORTKIND_TAP ? "tap" : "grab", sizeof(port->descr));
	port->owner = is;
	is->ndev = port;
	strscpy(name_out, port->dev->name, IFNAMSIZ);
out:
	mutex_unlock(&ipn_mutex);
	rtnl_unlock();
	release_sock(&is->sk);
	return err;
}

/* IPN_JOIN_NETDEV: this socket becomes the owner of an unowned tap/grab. */
int ipn_netdev_join(struct ipn_sock *is, const char *ifname)
{
	struct net_device *dev;
	struct ipn_port *port;
	int err;

	lock_sock(&is->sk);
	rtnl_lock();
	mutex_lock(&ipn_mutex);
	err = -ENOTCONN;
	if (!is->net)
		goto out;
	err = -EPERM;
	if (!is->bound)
		goto out;
	err = -EISCONN;
	if (is->port || is->ndev)
		goto out;
	err = -ENODEV;
	dev = __dev_get_by_name(sock_net(&is->sk), ifname);
	if (!dev)
		goto out;
	port = ipn_netdev_port(dev);
	err = -EADDRNOTAVAIL;
	if (!port || port->net != is->net)
		goto out;
	err = -EBUSY;
	if (port->owner)
		goto out;
	port->owner = is;
	is->ndev = port;
	err = 0;
out:
	mutex_unlock(&ipn_mutex);
	rtnl_unlock();
	release_sock(&is->sk);
	return err;
}

/* IPN_SETPERSIST_NETDEV / IPN_CLRPERSIST_NETDEV by interface name. */
int ipn_netdev_persist_by_name(struct net *netns, const char *ifname, bool on)
{
	struct net_device *dev;
	struct ipn_port *port;
	int err = 0;

	if (!ns_capable(netns->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	rtnl_lock();
	mutex_lock(&ipn_mutex);
	dev = __dev_get_by_name(netns, ifname);
	port = dev ? ipn_netdev_port(dev) : NULL;
	if (!dev) {
		err = -ENODEV;
	} else if (!port) {
		err = -EADDRNOTAVAIL;
	} else {
		port->persist = on;
		if (!on && !port->owner)
			ipn_netdev_detach(port, false);
	}
	mutex_unlock(&ipn_mutex);
	rtnl_unlock();
	return err;
}

/* IPN_SO_DETACH: remove the tap or grab at port `num`, wherever it is. */
int ipn_netdev_detach_port(struct ipn_sock *is, int num)
{
	struct ipn_port *port;
	int err;

	if (!ns_capable(sock_net(&is->sk)->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	lock_sock(&is->sk);
	rtnl_lock();
	mutex_lock(&ipn_mutex);
	err = -ENOTCONN;
	if (!is->net)
		goto out;
	err = -EPERM;
	if (!is->bound)
		goto out;
	err = -ECONNRESET;
	if (is->net->terminated)
		goto out;
	err = -EINVAL;
	if (num < 1 || num > (int)is->net->conf.max_ports)
		goto out;
	port = xa_load(&is->net->ports, num);
	err = -ENOENT;
	if (!port || port->kind == IPN_PORTKIND_SOCKET)
		goto out;
	ipn_netdev_detach(port, false);
	err = 0;
out:
	mutex_unlock(&ipn_mutex);
	rtnl_unlock();
	release_sock(&is->sk);
	return err;
}

/* IPN_SETPERSIST: the socket's own tap/grab. */
int ipn_netdev_set_persist(struct ipn_sock *is, bool on)
{
	int err = 0;

	mutex_lock(&ipn_mutex);
	if (is->ndev)
		is->ndev->persist = on;
	else
		err = -ENODEV;
	mutex_unlock(&ipn_mutex);
	return err;
}

int ipn_netdev_set_mac(struct ipn_sock *is, struct sockaddr *sa)
{
	struct net *netns = sock_net(&is->sk);
	int err;

	if (!ns_capable(netns->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	rtnl_lock();
	mutex_lock(&ipn_mutex);
	if (is->ndev && is->ndev->kind == IPN_PORTKIND_TAP)
		err = dev_set_mac_address(is->ndev->dev, sa, NULL);
	else
		err = -EADDRNOTAVAIL;
	mutex_unlock(&ipn_mutex);
	rtnl_unlock();
	return err;
}

/* The owning socket closes. rtnl and ipn_mutex held. */
void ipn_netdev_release(struct ipn_sock *is)
{
	struct ipn_port *port = is->ndev;

	if (port->persist) {
		port->owner = NULL;
		is->ndev = NULL;
	} else {
		ipn_netdev_detach(port, false);
	}
}

static int ipn_netdev_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct ipn_port *port;

	if (event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;
	/* a tap moving to another namespace stays on its network */
	if (dev->reg_state == NETREG_REGISTERED && dev->netdev_ops == &ipn_tap_ops)
		return NOTIFY_DONE;
	port = ipn_netdev_port(dev);
	if (!port || port->detaching)
		return NOTIFY_DONE;
	mutex_lock(&ipn_mutex);
	ipn_netdev_detach(port, true);
	mutex_unlock(&ipn_mutex);
	return NOTIFY_DONE;
}

static struct notifier_block ipn_netdev_nb = {
	.notifier_call = ipn_netdev_event,
};

int ipn_netdev_init(void)
{
	int err = rtnl_link_register(&ipn_link_ops);

	if (err)
		return err;
	err = register_netdevice_notifier(&ipn_netdev_nb);
	if (err)
		rtnl_link_unregister(&ipn_link_ops);
	return err;
}

void ipn_netdev_exit(void)
{
	unregister_netdevice_notifier(&ipn_netdev_nb);
	rtnl_link_unregister(&ipn_link_ops);
}
