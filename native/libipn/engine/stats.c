/* SPDX-License-Identifier: GPL-2.0-only */
/* Counters: every event counts on its network and, when known, its port. */
#include "engine.h"

void stat_drop(struct net *n, struct port *p, int reason)
{
	if (reason < 0 || reason >= IPN_DROP_MAX)
		reason = IPN_DROP_MALFORMED;
	n->stats.drops[reason]++;
	if (p)
		p->stats.drops[reason]++;
}

void stat_rx(struct net *n, struct port *p, uint32_t len)
{
	n->stats.rx_frames++;
	n->stats.rx_bytes += len;
	p->stats.rx_frames++;
	p->stats.rx_bytes += len;
}

void stat_tx(struct net *n, struct port *p, uint32_t len)
{
	n->stats.tx_frames++;
	n->stats.tx_bytes += len;
	p->stats.tx_frames++;
	p->stats.tx_bytes += len;
}
