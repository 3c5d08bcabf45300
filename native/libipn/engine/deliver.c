/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One frame from a member: check it, ask the network's policy where it goes,
 * queue it on each destination. Concast outputs leave through concast_emit.
 */
#include <errno.h>
#include <string.h>
#include <sys/timerfd.h>
#include "engine.h"

uint32_t net_frame_max(const struct net *n)
{
	return n->cfg.mtu;
}

static bool too_big(const struct net *n, const struct pkt *k)
{
	if (k->len <= n->cfg.mtu)
		return false;
	/* an 802.1Q tag does not count against the MTU */
	const uint8_t *d = k->buf + k->off;
	return n->cfg.policy == IPN_POLICY_CONCAST || k->len > n->cfg.mtu + 4 ||
	       !(d[12] == 0x81 && d[13] == 0x00);
}

static void concast_emit(void *arg, const uint8_t *msg, uint32_t len)
{
	struct net *n = arg;
	struct pkt *k = pkt_get(&n->pool);
	if (!k) {
		stat_drop(n, NULL, IPN_DROP_QUEUE_FULL);
		return;
	}
	if (len > k->cap)
		len = k->cap;
	memcpy(k->buf, msg, len);
	k->len = len;
	int32_t rp = n->cc.spec.receiver_port;
	uint32_t sent = 0;
	if (rp >= 0) {
		struct port *d = (uint32_t)rp < n->ports_len ? n->ports[rp] : NULL;
		if (d && portset_has(&n->readers, d->no))
			sent += port_enqueue(d, NULL, k, 0);
	} else {
		for (uint32_t i = 0; i < n->readers.n; i++)
			sent += port_enqueue(n->ports[n->readers.list[i]], NULL, k, 0);
	}
	if (!sent && (rp >= 0 || !n->readers.n))
		stat_drop(n, NULL, IPN_DROP_NO_ROUTE);
	pkt_put(&n->pool, k);
}

/* Keep the network's concast timer at the next flow deadline. */
void concast_timer_arm(struct net *n)
{
	uint64_t at = cc_next_deadline(&n->cc);
	if (at == n->timer_at || n->timer_fd < 0)
		return;
	n->timer_at = at;
	struct itimerspec its = {0};
	if (at != UINT64_MAX) {
		uint64_t in = at > E.now ? at - E.now : 1;
		its.it_value.tv_sec = (time_t)(in / 1000);
		its.it_value.tv_nsec = (long)(in % 1000) * 1000000;
	}
	timerfd_settime(n->timer_fd, 0, &its, NULL);
}

void concast_expire(struct net *n)
{
	cc_expire(&n->cc, E.now, concast_emit, n);
	concast_timer_arm(n);
}

void concast_flow_set(struct net *n, const struct ipn_flow *f, int *rc)
{
	*rc = cc_flow_set(&n->cc, f, E.now, concast_emit, n);
	concast_timer_arm(n);
}

/* Takes the caller's reference to k. */
void deliver(struct port *in, struct pkt *k)
{
	struct net *n = in->net;
	stat_rx(n, in, k->len);
	if (!(in->rights & IPN_RIGHT_WRITE)) {
		stat_drop(n, in, IPN_DROP_NO_WRITE);
		goto out;
	}
	if (too_big(n, k)) {
		stat_drop(n, in, IPN_DROP_TOO_BIG);
		goto out;
	}
	struct fwd f = {.dst = n->fwd};
	int r;
	switch (n->cfg.policy) {
	case IPN_POLICY_HUB:
		r = hub_forward(&n->readers, in->no, &f);
		break;
	case IPN_POLICY_SWITCH:
		r = sw_forward(&n->sw, &n->readers, in->no, pkt_data(k), k->len, E.now, &f);
		k->off += f.skip;
		k->len -= f.skip;
		k->prio = f.prio;
		break;
	default:
		r = cc_ingress(&n->cc, pkt_data(k), k->len, E.now, concast_emit, n);
		concast_timer_arm(n);
		goto drop;
	}
	for (uint32_t i = 0; i < f.n; i++)
		port_enqueue(n->ports[f.dst[i].port], in, k, f.dst[i].tag);
drop:
	if (r != FWD_OK)
		stat_drop(n, in, r);
out:
	pkt_put(&n->pool, k);
}
