/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Native members: frames move through two rings in a sealed memfd shared
 * with the member (common/ring.h). The engine drains a member's tx ring in
 * batches and copies frames for it straight into its rx ring; eventfds only
 * ring when the other side announced it sleeps. The engine announces its own
 * sleep on a member's tx ring only when it is about to block in epoll_wait,
 * so a busy engine costs its members no wakeups.
 *
 * Everything read from shared memory is hostile: counters are checked
 * against the engine's own geometry, lengths against the slot size; a member
 * caught corrupting its rings is disconnected.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include "native.h"
#include "port_io.h"

static struct port *awake_list;

static struct native *nat(struct port *p)
{
	return p->priv;
}

static void list_del(struct port **head, struct port *p, size_t next_off)
{
	for (struct port **pp = head; *pp; pp = (struct port **)((char *)*pp + next_off))
		if (*pp == p) {
			*pp = *(struct port **)((char *)p + next_off);
			return;
		}
}

static void kick(int fd)
{
	uint64_t one = 1;
	if (write(fd, &one, sizeof(one)) < 0) {
		/* EAGAIN: the counter is saturated, the member will wake anyway */
	}
}

static void set_busy(struct port *p)
{
	if (p->busy)
		return;
	p->busy = true;
	p->busy_next = E.busy;
	E.busy = p;
}

void native_set_awake(struct port *p)
{
	struct native *x = nat(p);
	if (x->awake)
		return;
	x->awake = true;
	x->awake_next = awake_list;
	awake_list = p;
}

static void corrupt(struct port *p, const char *what)
{
	log_msg("%s: port %u corrupted its ring (%s): disconnected", p->net->cfg.name, p->no, what);
	stat_drop(p->net, p, IPN_DROP_MALFORMED);
	port_close(p);
}

/* Drain the member's tx ring (up to the budget) into the network; true when
 * it is empty. */
static bool native_rx(struct port *p)
{
	struct native *x = nat(p);
	struct net *n = p->net;
	uint32_t tail = x->tx_tail;
	uint32_t avail = ring_avail(&x->tx, tail);
	if (avail > x->tx.slots) {
		corrupt(p, "tx head");
		return false;
	}
	uint32_t todo = avail < RX_BUDGET ? avail : RX_BUDGET, done = 0;
	while (done < todo && !p->paused && p->net) {
		struct ipn_slot *s = ring_slot(&x->tx, tail);
		uint32_t len = *(volatile uint32_t *)&s->len;
		struct pkt *k = len <= x->tx.data_max && len + RX_HEADROOM <= n->pool.cap
					? pkt_get(&n->pool) : NULL;
		if (k) {
			memcpy(k->buf + RX_HEADROOM, s->data, len);
			k->off = RX_HEADROOM;
			k->len = len;
		}
		tail++;
		done++;
		if (k) {
			deliver(p, k);
		} else {
			stat_rx(n, p, len);
			stat_drop(n, p, len > x->tx.data_max ? IPN_DROP_TOO_BIG : IPN_DROP_QUEUE_FULL);
		}
	}
	if (!p->net)
		return false;
	x->tx_tail = tail;
	if (done && ring_release(&x->tx, tail))
		kick(x->space_fd);
	if (p->paused)
		return false;
	if (done < avail) {
		set_busy(p);
		return false;
	}
	if (p->leaving) /* a departed member sends nothing more */
		return true;
	native_set_awake(p);
	return true;
}

/* A departed member: read what is left; close once it is all delivered. */
static bool native_drain(struct port *p)
{
	return native_rx(p);
}

void native_poll_busy(void)
{
	struct port *list = E.busy;
	E.busy = NULL;
	while (list) {
		struct port *p = list;
		list = p->busy_next;
		p->busy = false;
		if (p->net && !p->paused && native_rx(p) && p->leaving && p->net)
			port_close(p);
	}
}

bool native_sleep_all(void)
{
	bool idle = true;
	while (awake_list) {
		struct port *p = awake_list;
		struct native *x = nat(p);
		awake_list = x->awake_next;
		x->awake = false;
		if (ring_cons_sleep(&x->tx, x->tx_tail)) {
			set_busy(p);
			idle = false;
		}
	}
	return idle;
}

/* Copy one frame into the next unpublished rx slot, inserting a tag if owed. */
static bool put_slot(struct port *p, struct pkt *k, uint16_t tag)
{
	struct native *x = nat(p);
	uint32_t len = k->len + (tag && k->len >= 12 ? 4 : 0);
	if (len > x->rx.data_max) {
		stat_drop(p->net, p, IPN_DROP_TOO_BIG);
		return true; /* consumed, not deliverable */
	}
	struct ipn_slot *s = ring_slot(&x->rx, x->rx_head);
	uint8_t *d = pkt_data(k);
	if (len != k->len) {
		uint16_t tci = (uint16_t)(k->prio | tag);
		memcpy(s->data, d, 12);
		s->data[12] = 0x81;
		s->data[13] = 0x00;
		s->data[14] = (uint8_t)(tci >> 8);
		s->data[15] = (uint8_t)tci;
		memcpy(s->data + 16, d + 12, k->len - 12);
	} else {
		memcpy(s->data, d, len);
	}
	s->len = len;
	x->rx_head++;
	stat_tx(p->net, p, len);
	return true;
}

/* Free rx slots; UINT32_MAX when the member corrupted the tail. */
static uint32_t rx_room(struct native *x)
{
	uint32_t used = x->rx_head - atomic_load_explicit(&x->rx.r->tail, memory_order_acquire);
	return used > x->rx.slots ? UINT32_MAX : x->rx.slots - used;
}

static bool native_direct(struct port *p, struct pkt *k, uint16_t tag)
{
	uint32_t room = rx_room(nat(p));
	if (room == 0 || room == UINT32_MAX)
		return false;
	return put_slot(p, k, tag);
}

static bool native_flush(struct port *p)
{
	struct native *x = nat(p);
	for (;;) {
		uint32_t room = rx_room(x);
		if (room == UINT32_MAX) {
			log_msg("%s: port %u corrupted its rx tail", p->net->cfg.name, p->no);
			stat_drop(p->net, p, IPN_DROP_MALFORMED);
			return false;
		}
		while (room && port_qlen(p)) {
			struct qent *e = &p->q[p->qhead++ & (p->qcap - 1)];
			put_slot(p, e->p, e->tag);
			pkt_put(&p->net->pool, e->p);
			room--;
		}
		if (x->rx_head != x->rx_published) {
			x->rx_published = x->rx_head;
			if (ring_publish(&x->rx, x->rx_head))
				kick(x->kick_fd);
		}
		if (!port_qlen(p))
			return true;
		/* full: ask the member to kick us when it frees slots */
		if (!ring_prod_wait(&x->rx, x->rx_head))
			return true;
	}
}

static void native_set_rx(struct port *p, bool on)
{
	if (on)
		set_busy(p);
}

static void native_close(struct port *p)
{
	struct native *x = nat(p);
	if (p->busy)
		list_del(&E.busy, p, offsetof(struct port, busy_next));
	p->busy = false;
	if (x) {
		if (x->awake) {
			for (struct port **pp = &awake_list; *pp; pp = &nat(*pp)->awake_next)
				if (*pp == p) {
					*pp = x->awake_next;
					break;
				}
		}
		if (x->map)
			munmap(x->map, x->map_size);
		if (x->kick_fd >= 0)
			close(x->kick_fd);
		if (x->space_fd >= 0)
			close(x->space_fd);
		free(x);
		p->priv = NULL;
	}
	ev_del(&p->ev);
	ev_del(&p->ctl_ev);
	if (p->ev.fd >= 0)
		close(p->ev.fd);
	if (p->ctl_ev.fd >= 0)
		close(p->ctl_ev.fd);
	p->ev.fd = p->ctl_ev.fd = -1;
	log_msg("%s: port %u (native, pid %d) left", p->net->cfg.name, p->no, (int)p->pid);
}

const struct port_ops native_ops = {
	.flush = native_flush,
	.set_rx = native_set_rx,
	.close = native_close,
	.direct = native_direct,
	.drain = native_drain,
};

/* The member kicked: frames to read, or rx slots freed. */
void native_on_kick(struct ev *ev, uint32_t events)
{
	struct port *p = (struct port *)ev;
	uint64_t v;
	(void)events;
	if (read(ev->fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		return;
	if (port_qlen(p))
		port_mark_dirty(p);
	if (!p->paused && native_rx(p) && p->leaving && p->net)
		port_close(p);
}

/* EOF on the join stream: the member left; deliver what it had queued. */
void native_on_ctl(struct ev *ev, uint32_t events)
{
	struct port *p = (struct port *)((char *)ev - offsetof(struct port, ctl_ev));
	char junk[64];
	ssize_t r = recv(ev->fd, junk, sizeof(junk), MSG_DONTWAIT);
	if (r > 0 || (r < 0 && (errno == EAGAIN || errno == EINTR)))
		if (!(events & (EPOLLHUP | EPOLLRDHUP | EPOLLERR)))
			return;
	port_leave(p);
}
