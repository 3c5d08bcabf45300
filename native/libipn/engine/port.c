/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Ports: numbering, egress queues, flushing, and lossless backpressure.
 *
 * A destination whose queue reaches the network's depth either drops (lossy,
 * counted as queue_full) or, in a lossless network, takes the frame anyway
 * and pauses the sender (it stops being read) until the queue drains to half
 * its depth. A sender overshoots a queue by at most the batch it was reading.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include "access.h"
#include "engine.h"

uint32_t port_rights(const struct net *n, uid_t uid, gid_t gid, const gid_t *groups, int ngroups)
{
	struct access_who who = {uid, gid, groups, ngroups};
	return access_rights(&who, n->cfg.uid, n->cfg.gid, n->cfg.mode, E.uid);
}

static uint32_t pow2(uint32_t v)
{
	uint32_t p = 4;
	while (p < v)
		p *= 2;
	return p;
}

static int ports_grow(struct net *n, uint32_t no)
{
	if (no < n->ports_len)
		return 0;
	uint32_t len = n->ports_len ? n->ports_len : 16;
	while (len <= no)
		len *= 2;
	struct port **a = realloc(n->ports, len * sizeof(*a));
	if (!a)
		return -ENOMEM;
	memset(a + n->ports_len, 0, (len - n->ports_len) * sizeof(*a));
	n->ports = a;
	n->ports_len = len;
	return 0;
}

struct port *port_new(struct net *n, int32_t want, uint32_t kind, const struct port_ops *ops,
		      int *err)
{
	uint32_t no = 0;
	if (want > 0) {
		if ((uint32_t)want > n->cfg.max_ports) {
			*err = -EINVAL;
			return NULL;
		}
		if ((uint32_t)want < n->ports_len && n->ports[want]) {
			*err = -EBUSY;
			return NULL;
		}
		no = (uint32_t)want;
	} else {
		for (uint32_t i = 1; i <= n->cfg.max_ports && !no; i++)
			if (i >= n->ports_len || !n->ports[i])
				no = i;
		if (!no) {
			*err = -EBUSY;
			return NULL;
		}
	}
	struct port *p = calloc(1, sizeof(*p));
	if (!p || ports_grow(n, no) < 0) {
		free(p);
		*err = -ENOMEM;
		return NULL;
	}
	p->qcap = pow2(n->cfg.queue);
	p->q = malloc(p->qcap * sizeof(*p->q));
	if (!p->q) {
		free(p);
		*err = -ENOMEM;
		return NULL;
	}
	p->net = n;
	p->no = no;
	p->kind = kind;
	p->ops = ops;
	p->ev.fd = -1;
	p->ctl_ev.fd = -1;
	n->ports[no] = p;
	if (kind == IPN_PORT_TAP || kind == IPN_PORT_GRAB)
		n->attachments++;
	else
		n->members++;
	return p;
}

/* The port starts receiving (if it may) once its handshake is complete. */
void port_activate(struct port *p)
{
	if (p->rights & IPN_RIGHT_READ)
		portset_add(&p->net->readers, p->no);
	if (p->kind == IPN_PORT_VDE || p->kind == IPN_PORT_NATIVE)
		p->net->had_member = true;
}

static void resume_waiters(struct port *p)
{
	struct net *n = p->net;
	/* detach the list first: a resumed sender may pause on p again */
	uint32_t *w = p->waiters, nw = p->nwaiters;
	p->waiters = NULL;
	p->nwaiters = p->waiters_cap = 0;
	for (uint32_t i = 0; i < nw && n; i++) {
		uint32_t no = w[i];
		struct port *s = no < n->ports_len ? n->ports[no] : NULL;
		if (s && s->paused && !s->ev.dead) {
			s->paused = false;
			s->ops->set_rx(s, true);
			/* a departed member may have nothing left to wake us for */
			if (s->leaving && s->ops->drain(s) && s->net)
				port_close(s);
		}
	}
	free(w);
}

static void add_waiter(struct port *dst, struct port *src)
{
	for (uint32_t i = 0; i < dst->nwaiters; i++)
		if (dst->waiters[i] == src->no)
			return;
	if (dst->nwaiters == dst->waiters_cap) {
		uint32_t cap = dst->waiters_cap ? dst->waiters_cap * 2 : 8;
		uint32_t *w = realloc(dst->waiters, cap * sizeof(*w));
		if (!w)
			return; /* the sender stays paused until any drain of dst */
		dst->waiters = w;
		dst->waiters_cap = cap;
	}
	dst->waiters[dst->nwaiters++] = src->no;
}

static void queue_clear(struct port *p)
{
	while (p->qhead != p->qtail)
		pkt_put(&p->net->pool, p->q[p->qhead++ & (p->qcap - 1)].p);
}

static void port_free(void *obj)
{
	struct port *p = obj;
	free(p->q);
	free(p->waiters);
	free(p->groups);
	free(p);
}

void port_close(struct port *p)
{
	if (p->ev.dead && p->ctl_ev.dead && !p->net)
		return;
	struct net *n = p->net;
	if (!n)
		return;
	p->ops->close(p);
	ev_del(&p->ev);
	ev_del(&p->ctl_ev);
	portset_del(&n->readers, p->no);
	if (n->cfg.policy == IPN_POLICY_SWITCH)
		sw_port_forget(&n->sw, p->no);
	n->ports[p->no] = NULL;
	if (p->kind == IPN_PORT_TAP || p->kind == IPN_PORT_GRAB)
		n->attachments--;
	else
		n->members--;
	queue_clear(p);
	resume_waiters(p);
	p->net = NULL;
	defer_free(p, port_free);
	net_member_left(n);
}

/*
 * The member hung up. It gets nothing more, but what it sent before leaving
 * is still delivered, under backpressure in a lossless network: the port
 * closes once drained (at once when nothing is pending).
 */
void port_leave(struct port *p)
{
	if (!p->net || p->leaving)
		return;
	p->leaving = true;
	portset_del(&p->net->readers, p->no);
	ev_del(&p->ctl_ev);
	if (p->ctl_ev.fd >= 0)
		close(p->ctl_ev.fd);
	p->ctl_ev.fd = -1;
	queue_clear(p);
	resume_waiters(p);
	if (p->paused || !p->ops->drain(p))
		return;
	if (p->net)
		port_close(p);
}

void port_mark_dirty(struct port *p)
{
	if (p->dirty)
		return;
	p->dirty = true;
	p->dirty_next = E.dirty;
	E.dirty = p;
}

static bool queue_grow(struct port *p)
{
	uint32_t cap = p->qcap * 2;
	struct qent *q = malloc(cap * sizeof(*q));
	if (!q)
		return false;
	uint32_t n = port_qlen(p);
	for (uint32_t i = 0; i < n; i++)
		q[i] = p->q[(p->qhead + i) & (p->qcap - 1)];
	free(p->q);
	p->q = q;
	p->qcap = cap;
	p->qhead = 0;
	p->qtail = n;
	return true;
}

bool port_enqueue(struct port *dst, struct port *src, struct pkt *k, uint16_t tag)
{
	struct net *n = dst->net;
	uint32_t len = port_qlen(dst);
	if (len == 0 && dst->ops->direct && dst->ops->direct(dst, k, tag)) {
		port_mark_dirty(dst);
		return true;
	}
	bool lossless = n->cfg.flags & IPN_NET_LOSSLESS;
	if (len >= n->cfg.queue && !lossless) {
		stat_drop(n, dst, IPN_DROP_QUEUE_FULL);
		return false;
	}
	if (len == dst->qcap && !queue_grow(dst)) {
		stat_drop(n, dst, IPN_DROP_QUEUE_FULL);
		return false;
	}
	k->refs++;
	dst->q[dst->qtail++ & (dst->qcap - 1)] = (struct qent){k, tag};
	port_mark_dirty(dst);
	if (lossless && len + 1 >= n->cfg.queue && src && src != dst) {
		add_waiter(dst, src);
		if (!src->paused) {
			src->paused = true;
			src->ops->set_rx(src, false);
		}
	}
	return true;
}

/* After a flush: let paused senders go once the queue is half empty. */
void port_drained(struct port *p)
{
	if (p->nwaiters && port_qlen(p) <= p->net->cfg.queue / 2)
		resume_waiters(p);
}

void port_flush_all(void)
{
	while (E.dirty) {
		struct port *p = E.dirty;
		E.dirty = p->dirty_next;
		p->dirty = false;
		if (!p->net)
			continue;
		if (!p->ops->flush(p)) {
			port_close(p);
			continue;
		}
		port_drained(p);
	}
}
