/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Batched I/O for ports backed by a datagram-like fd: recvmmsg into packet
 * buffers, sendmmsg (or writev for taps) from the egress queue. An 802.1Q tag
 * owed on egress is inserted with a three-part iovec, never by copying.
 */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include "port_io.h"

int port_rx_mmsg(struct port *p, int fd, rx_fixup_fn fixup)
{
	struct net *n = p->net;
	struct mmsghdr mm[RX_BATCH];
	struct iovec iov[RX_BATCH];
	struct pkt *k[RX_BATCH] = {0};
	uint8_t cbuf[RX_BATCH][RX_CMSG_ROOM];
	uint32_t got = 0;
	int rc = 0; /* 1 once the fd is empty */

	while (got < RX_BUDGET && !p->paused && p->net) {
		uint32_t want = 0;
		for (; want < RX_BATCH; want++) {
			if (!k[want] && !(k[want] = pkt_get(&n->pool)))
				break;
			iov[want].iov_base = k[want]->buf + RX_HEADROOM;
			iov[want].iov_len = k[want]->cap - RX_HEADROOM;
			memset(&mm[want].msg_hdr, 0, sizeof(mm[want].msg_hdr));
			mm[want].msg_hdr.msg_iov = &iov[want];
			mm[want].msg_hdr.msg_iovlen = 1;
			if (fixup) {
				mm[want].msg_hdr.msg_control = cbuf[want];
				mm[want].msg_hdr.msg_controllen = RX_CMSG_ROOM;
			}
		}
		if (!want)
			break;
		int r = recvmmsg(fd, mm, want, MSG_DONTWAIT, NULL);
		if (r < 0) {
			if (errno == EAGAIN)
				rc = 1;
			else if (errno != EINTR)
				rc = -errno;
			break;
		}
		for (int i = 0; i < r; i++) {
			struct pkt *x = k[i];
			k[i] = NULL;
			x->off = RX_HEADROOM;
			x->len = mm[i].msg_len;
			if (mm[i].msg_hdr.msg_flags & MSG_TRUNC) {
				stat_rx(n, p, x->len);
				stat_drop(n, p, IPN_DROP_TOO_BIG);
				pkt_put(&n->pool, x);
				continue;
			}
			if (fixup && !fixup(p, x, &mm[i].msg_hdr)) {
				pkt_put(&n->pool, x);
				continue;
			}
			deliver(p, x);
			if (!p->net)
				break;
		}
		/* move leftover buffers to the front for the next round */
		uint32_t j = 0;
		for (uint32_t i = 0; i < RX_BATCH; i++)
			if (k[i]) {
				struct pkt *t = k[i];
				k[i] = NULL;
				k[j++] = t;
			}
		got += (uint32_t)r;
		if ((uint32_t)r < want) {
			rc = 1; /* the socket had no more */
			break;
		}
		if (!p->net)
			break;
	}
	for (uint32_t i = 0; i < RX_BATCH; i++)
		if (k[i])
			pkt_put(&n->pool, k[i]);
	return rc;
}

/* Fill iovecs for queue entry e; returns how many. */
static int egress_iov(struct qent *e, uint8_t tagbuf[4], struct iovec *iov)
{
	struct pkt *k = e->p;
	uint8_t *d = pkt_data(k);
	if (!e->tag || k->len < 12) {
		iov[0] = (struct iovec){d, k->len};
		return 1;
	}
	uint16_t tci = (uint16_t)(k->prio | e->tag);
	tagbuf[0] = 0x81;
	tagbuf[1] = 0x00;
	tagbuf[2] = (uint8_t)(tci >> 8);
	tagbuf[3] = (uint8_t)tci;
	iov[0] = (struct iovec){d, 12};
	iov[1] = (struct iovec){tagbuf, 4};
	iov[2] = (struct iovec){d + 12, k->len - 12};
	return 3;
}

static uint32_t egress_len(const struct qent *e)
{
	return e->p->len + (e->tag && e->p->len >= 12 ? 4 : 0);
}

static void pop(struct port *p, uint32_t n, bool count)
{
	for (uint32_t i = 0; i < n; i++) {
		struct qent *e = &p->q[p->qhead++ & (p->qcap - 1)];
		if (count)
			stat_tx(p->net, p, egress_len(e));
		pkt_put(&p->net->pool, e->p);
	}
}

static void want_out(struct port *p, bool on)
{
	p->out_wait = on;
	uint32_t m = on ? (p->ev.mask | EPOLLOUT) : (p->ev.mask & ~(uint32_t)EPOLLOUT);
	ev_mod(&p->ev, m);
}

bool port_flush_mmsg(struct port *p, int fd, tx_error_fn fatal)
{
	struct mmsghdr mm[TX_BATCH];
	struct iovec iov[TX_BATCH][3];
	uint8_t tags[TX_BATCH][4];

	while (port_qlen(p)) {
		uint32_t n = port_qlen(p) < TX_BATCH ? port_qlen(p) : TX_BATCH;
		for (uint32_t i = 0; i < n; i++) {
			struct qent *e = &p->q[(p->qhead + i) & (p->qcap - 1)];
			memset(&mm[i].msg_hdr, 0, sizeof(mm[i].msg_hdr));
			mm[i].msg_hdr.msg_iov = iov[i];
			mm[i].msg_hdr.msg_iovlen = (size_t)egress_iov(e, tags[i], iov[i]);
		}
		int r = sendmmsg(fd, mm, n, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (r > 0) {
			pop(p, (uint32_t)r, true);
			continue;
		}
		if (r < 0 && (errno == EAGAIN || errno == ENOBUFS)) {
			if (!p->out_wait)
				want_out(p, true);
			return true;
		}
		if (r < 0 && errno == EINTR)
			continue;
		int err = r < 0 ? errno : EIO;
		if (fatal(err))
			return false;
		/* this frame cannot go (interface down, ...): drop it, go on */
		stat_drop(p->net, p, IPN_DROP_NO_ROUTE);
		pop(p, 1, false);
	}
	if (p->out_wait)
		want_out(p, false);
	return true;
}

bool port_flush_writev(struct port *p, int fd, tx_error_fn fatal)
{
	while (port_qlen(p)) {
		struct qent *e = &p->q[p->qhead & (p->qcap - 1)];
		struct iovec iov[3];
		uint8_t tag[4];
		int cnt = egress_iov(e, tag, iov);
		ssize_t r = writev(fd, iov, cnt);
		if (r >= 0) {
			pop(p, 1, true);
			continue;
		}
		if (errno == EAGAIN) {
			if (!p->out_wait)
				want_out(p, true);
			return true;
		}
		if (errno == EINTR)
			continue;
		if (fatal(errno))
			return false;
		stat_drop(p->net, p, IPN_DROP_NO_ROUTE);
		pop(p, 1, false);
	}
	if (p->out_wait)
		want_out(p, false);
	return true;
}

void port_io_event(struct port *p, uint32_t events, int (*rx)(struct port *p))
{
	if (events & EPOLLOUT)
		port_mark_dirty(p);
	if ((events & (EPOLLIN | EPOLLERR | EPOLLHUP)) && !p->paused) {
		int r = rx(p);
		if (p->net && (r < 0 || (r == 1 && p->leaving)))
			port_close(p); /* broken, or a departed member fully drained */
	}
}
