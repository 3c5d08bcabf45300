// SPDX-License-Identifier: GPL-2.0
/*
 * ipn: re-projection of multicast UDP as unicast (a netfilter hook).
 *
 * A rule matches IPv4 UDP datagrams arriving on in_ifname whose
 * destination is in a multicast range and whose destination port is in
 * one of the rule's port ranges. A match gets the MAC address of
 * out_ifname as Ethernet destination and the rule's address (default: the
 * primary IPv4 address of out_ifname) as IP destination, and is received
 * again as if it had arrived on out_ifname, so that a plain UDP socket
 * bound to that address (or to that device) gets it.
 *
 * Checksums: the IP header checksum is recomputed. The UDP checksum
 * covers the destination address through the pseudo-header, so it is
 * updated incrementally for the address change: a datagram that was
 * correct stays correct and a corrupt one stays detectably corrupt
 * (recomputing it from the data would bless corruption; clearing it, as
 * IPv4 allows, would drop the protection). A zero UDP checksum ("none")
 * stays zero; a result of zero is sent as 0xffff (RFC 768).
 *
 * Fragments are left alone: only a first fragment would carry the port.
 * Rules live per network namespace; the hook is registered in a namespace
 * while it has rules.
 */
#include <linux/ip.h>
#include <linux/udp.h>
#include <linux/inetdevice.h>
#include <linux/etherdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <net/ip.h>
#include <net/checksum.h>
#include <net/netns/generic.h>
#include <net/net_namespace.h>
#include <net/netfilter/nf_conntrack.h>
#include "ipn_core.h"

struct rw_rule {
	struct list_head node;
	struct rcu_head rcu;
	struct ipn_rewrite r;   /* as set; counters below */
	u32 lo, hi;             /* the group range, host order */
	atomic64_t packets, bytes;
};

struct rw_net {
	struct list_head rules;
	unsigned int count;
	bool hooked;
};

static unsigned int rw_id;
static DEFINE_MUTEX(rw_mutex);

static bool rw_port_ok(const struct ipn_rewrite *r, u16 port)
{
	unsigned int i;

	if (!r->nports)
		return true;
	for (i = 0; i < r->nports; i++)
		if (port >= r->ports[i].from && port <= r->ports[i].to)
			return true;
	return false;
}

static __be32 rw_target(const struct rw_rule *rule, struct net_device *out)
{
	const struct in_ifaddr *ifa;
	struct in_device *in_dev;

	if (rule->r.addr)
		return rule->r.addr;
	in_dev = __in_dev_get_rcu(out);
	if (!in_dev)
		return 0;
	ifa = rcu_dereference(in_dev->ifa_list);
	return ifa ? ifa->ifa_local : 0;
}

/* Rewrite a matched datagram in place; false: leave it as it is. */
static bool rw_apply(struct sk_buff *skb, struct net_device *out, __be32 daddr)
{
	struct udphdr *uh;
	struct iphdr *iph;
	unsigned int ihl;
	__be32 old;

	if (skb_unclone(skb, GFP_ATOMIC))
		return false;
	ihl = ip_hdrlen(skb);
	if (skb_ensure_writable(skb, ihl + sizeof(*uh)))
		return false;
	iph = ip_hdr(skb);
	uh = (struct udphdr *)((u8 *)iph + ihl);
	old = iph->daddr;
	iph->daddr = daddr;
	ip_send_check(iph);
	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		inet_proto_csum_replace4(&uh->check, skb, old, daddr, true);
	} else if (uh->check) {
		inet_proto_csum_replace4(&uh->check, skb, old, daddr, true);
		if (!uh->check)
			uh->check = CSUM_MANGLED_0;
	}
	if (skb_mac_header_was_set(skb) && skb_mac_header_len(skb) >= ETH_HLEN)
		ether_addr_copy(eth_hdr(skb)->h_dest, out->dev_addr);
	skb->pkt_type = PACKET_HOST;
	return true;
}

static unsigned int rw_hook(void *priv, struct sk_buff *skb, const struct nf_hook_state *state)
{
	struct rw_net *rn = net_generic(state->net, rw_id);
	struct udphdr _uh, *uh;
	const struct iphdr *iph;
	struct net_device *out;
	struct rw_rule *rule;
	__be32 daddr;
	u32 group;

	if (!state->in || skb->pkt_type == PACKET_LOOPBACK)
		return NF_ACCEPT; /* our own multicast, looped back */
	iph = ip_hdr(skb);
	if (iph->protocol != IPPROTO_UDP || !ipv4_is_multicast(iph->daddr) ||
	    ip_is_fragment(iph))
		return NF_ACCEPT;
	uh = skb_header_pointer(skb, ip_hdrlen(skb), sizeof(_uh), &_uh);
	if (!uh)
		return NF_ACCEPT;
	group = ntohl(iph->daddr);
	list_for_each_entry_rcu(rule, &rn->rules, node) {
		if (group < rule->lo || group > rule->hi ||
		    strncmp(state->in->name, rule->r.in_ifname, IFNAMSIZ) ||
		    !rw_port_ok(&rule->r, ntohs(uh->dest)))
			continue;
		out = dev_get_by_name_rcu(state->net, rule->r.out_ifname);
		if (!out || !(out->flags & IFF_UP) || out == state->in)
			return NF_ACCEPT;
		daddr = rw_target(rule, out);
		if (!daddr || !rw_apply(skb, out, daddr))
			return NF_ACCEPT;
		atomic64_inc(&rule->packets);
		atomic64_add(skb->len, &rule->bytes);
		/* received again, on the target interface */
		nf_reset_ct(skb);
		skb_dst_drop(skb);
		skb->dev = out;
		skb->skb_iif = out->ifindex;
		netif_rx(skb);
		return NF_STOLEN;
	}
	return NF_ACCEPT;
}

static const struct nf_hook_ops rw_ops = {
	.hook = rw_hook,
	.pf = NFPROTO_IPV4,
	.hooknum = NF_INET_PRE_ROUTING,
	/* before defragmentation and conntrack see the multicast address */
	.priority = NF_IP_PRI_RAW_BEFORE_DEFRAG,
};

static int rw_check(struct ipn_rewrite *r)
{
	unsigned int i;
	u32 g = ntohl(r->group);

	if (strnlen(r->name, sizeof(r->name)) >= sizeof(r->name) || !r->name[0] ||
	    strnlen(r->in_ifname, IFNAMSIZ) >= IFNAMSIZ || !r->in_ifname[0] ||
	    strnlen(r->out_ifname, IFNAMSIZ) >= IFNAMSIZ || !r->out_ifname[0] ||
	    !strcmp(r->in_ifname, r->out_ifname))
		return -EINVAL;
	if (r->prefix < 4 || r->prefix > 32 || !ipv4_is_multicast(r->group))
		return -EINVAL;
	if (r->prefix < 32 && (g & (0xffffffffU >> r->prefix)))
		return -EINVAL; /* host bits set */
	if (r->nports > IPN_REWRITE_PORTS || r->reserved || r->reserved2)
		return -EINVAL;
	for (i = 0; i < r->nports; i++)
		if (r->ports[i].from > r->ports[i].to)
			return -EINVAL;
	if (r->addr && (ipv4_is_multicast(r->addr) || ipv4_is_lbcast(r->addr) ||
			ipv4_is_zeronet(r->addr)))
		return -EINVAL;
	return 0;
}

static struct rw_rule *rw_find(struct rw_net *rn, const char *name)
{
	struct rw_rule *rule;

	list_for_each_entry(rule, &rn->rules, node)
		if (!strcmp(rule->r.name, name))
			return rule;
	return NULL;
}

int ipn_rewrite_add(struct net *netns, sockptr_t optval, unsigned int optlen)
{
	struct rw_net *rn = net_generic(netns, rw_id);
	struct rw_rule *rule;
	int err;

	if (!ns_capable(netns->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	if (optlen < sizeof(rule->r))
		return -EINVAL;
	rule = kzalloc(sizeof(*rule), GFP_KERNEL);
	if (!rule)
		return -ENOMEM;
	err = -EFAULT;
	if (copy_from_sockptr(&rule->r, optval, sizeof(rule->r)))
		goto out_free;
	rule->r.packets = 0;
	rule->r.bytes = 0;
	err = rw_check(&rule->r);
	if (err)
		goto out_free;
	rule->lo = ntohl(rule->r.group);
	rule->hi = rule->lo | (rule->r.prefix == 32 ? 0 : 0xffffffffU >> rule->r.prefix);
	mutex_lock(&rw_mutex);
	err = -EEXIST;
	if (rw_find(rn, rule->r.name))
		goto out_unlock;
	err = -ENOSPC;
	if (rn->count >= IPN_REWRITE_MAX)
		goto out_unlock;
	if (!rn->hooked) {
		err = nf_register_net_hook(netns, &rw_ops);
		if (err)
			goto out_unlock;
		rn->hooked = true;
	}
	list_add_tail_rcu(&rule->node, &rn->rules);
	rn->count++;
	ipn_obj_inc(IPN_OBJ_REWRITE);
	mutex_unlock(&rw_mutex);
	return 0;
out_unlock:
	mutex_unlock(&rw_mutex);
out_free:
	kfree(rule);
	return err;
}

static void rw_del(struct net *netns, struct rw_net *rn, struct rw_rule *rule)
{
	list_del_rcu(&rule->node);
	kfree_rcu(rule, rcu);
	ipn_obj_dec(IPN_OBJ_REWRITE);
	if (!--rn->count && rn->hooked) {
		nf_unregister_net_hook(netns, &rw_ops);
		rn->hooked = false;
	}
}

int ipn_rewrite_del(struct net *netns, sockptr_t optval, unsigned int optlen)
{
	struct rw_net *rn = net_generic(netns, rw_id);
	char name[IPN_NAME_MAX];
	struct rw_rule *rule;
	int err = -ENOENT;

	if (!ns_capable(netns->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	if (optlen < 1)
		return -EINVAL;
	memset(name, 0, sizeof(name));
	if (copy_from_sockptr(name, optval, min_t(unsigned int, optlen, sizeof(name) - 1)))
		return -EFAULT;
	mutex_lock(&rw_mutex);
	rule = rw_find(rn, name);
	if (rule) {
		rw_del(netns, rn, rule);
		err = 0;
	}
	mutex_unlock(&rw_mutex);
	return err;
}

int ipn_rewrite_list(struct net *netns, char __user *optval, int __user *optlen)
{
	struct rw_net *rn = net_generic(netns, rw_id);
	struct ipn_rewrite *ents;
	struct rw_rule *rule;
	struct ipn_list hdr;
	u32 room, idx = 0;
	int err;

	err = ipn_list_begin(optval, optlen, sizeof(*ents), IPN_REWRITE_MAX, &hdr, &room);
	if (err)
		return err;
	ents = kvcalloc(max(room, 1U), sizeof(*ents), GFP_KERNEL);
	if (!ents)
		return -ENOMEM;
	mutex_lock(&rw_mutex);
	list_for_each_entry(rule, &rn->rules, node) {
		if (idx >= hdr.start && hdr.count < room) {
			struct ipn_rewrite *e = &ents[hdr.count++];

			*e = rule->r;
			e->packets = atomic64_read(&rule->packets);
			e->bytes = atomic64_read(&rule->bytes);
		}
		idx++;
	}
	mutex_unlock(&rw_mutex);
	hdr.total = idx;
	err = -EFAULT;
	if (!copy_to_user(optval + sizeof(hdr), ents, hdr.count * sizeof(*ents)))
		err = ipn_list_end(optval, optlen, &hdr);
	kvfree(ents);
	return err;
}

static int __net_init rw_net_init(struct net *netns)
{
	struct rw_net *rn = net_generic(netns, rw_id);

	INIT_LIST_HEAD(&rn->rules);
	rn->count = 0;
	rn->hooked = false;
	return 0;
}

static void __net_exit rw_net_exit(struct net *netns)
{
	struct rw_net *rn = net_generic(netns, rw_id);
	struct rw_rule *rule, *tmp;

	mutex_lock(&rw_mutex);
	list_for_each_entry_safe(rule, tmp, &rn->rules, node)
		rw_del(netns, rn, rule);
	mutex_unlock(&rw_mutex);
}

static struct pernet_operations rw_net_ops = {
	.init = rw_net_init,
	.exit = rw_net_exit,
	.id = &rw_id,
	.size = sizeof(struct rw_net),
};

int ipn_rewrite_init(void)
{
	return register_pernet_subsys(&rw_net_ops);
}

void ipn_rewrite_exit(void)
{
	unregister_pernet_subsys(&rw_net_ops);
	rcu_barrier(); /* kfree_rcu of rules */
}
