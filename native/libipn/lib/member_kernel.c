/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A member of a kernel network: one AF_IPN socket connected to the node.
 * One frame per send/recv; batches go through sendmmsg/recvmmsg, one
 * system call per batch. The member's descriptor is an epoll set over the
 * socket: readable when frames wait and, after a send returned -EAGAIN,
 * when sending would not wait.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "kernel.h"
#include "member.h"

#define BATCH_MAX 64 /* messages per system call */

struct kmember {
	int s;
	int ep;           /* epoll set over s: ipn_member_fd */
	bool want_out;    /* EPOLLOUT armed after -EAGAIN */
	atomic_bool interrupted;
};

static struct kmember *KM(ipn_member *m)
{
	return m->priv;
}

/* What the epoll set waits for: frames (and end of file) when the member
 * reads; send room only when armed, or a lossy sender would always wake. */
static uint32_t events(const ipn_member *m, bool out)
{
	return (m->rights & IPN_RIGHT_READ ? EPOLLIN | EPOLLRDHUP : 0) | (out ? EPOLLOUT : 0);
}

static void arm_out(ipn_member *m, bool on)
{
	struct kmember *k = KM(m);
	if (k->want_out == on)
		return;
	struct epoll_event ev = {.events = events(m, on), .data.fd = k->s};
	if (epoll_ctl(k->ep, EPOLL_CTL_MOD, k->s, &ev) == 0)
		k->want_out = on;
}

/* An errno of the socket as the ABI says it. */
static int member_err(struct kmember *k, int err)
{
	if (atomic_load(&k->interrupted))
		return -ECANCELED;
	if (err == EPIPE)
		return -EPERM; /* the w right was taken away */
	return -err;
}

static ssize_t k_send_batch(ipn_member *m, const void *buf, const uint32_t *lens, uint32_t n)
{
	struct kmember *k = KM(m);
	if (!(m->rights & IPN_RIGHT_WRITE))
		return -EPERM;
	if (atomic_load(&k->interrupted))
		return -ECANCELED;
	bool nonblock = m->flags & IPN_JOIN_NONBLOCK;
	int flags = MSG_NOSIGNAL | (nonblock ? MSG_DONTWAIT : 0);
	const uint8_t *p = buf;
	uint32_t done = 0;
	while (done < n) {
		struct mmsghdr mm[BATCH_MAX];
		struct iovec iov[BATCH_MAX];
		uint32_t c = 0;
		for (const uint8_t *q = p; c < BATCH_MAX && done + c < n; c++) {
			uint32_t len = lens[done + c];
			if (len > m->mtu)
				break;
			iov[c] = (struct iovec){(void *)q, len};
			memset(&mm[c], 0, sizeof(mm[c]));
			mm[c].msg_hdr.msg_iov = &iov[c];
			mm[c].msg_hdr.msg_iovlen = 1;
			q += len;
		}
		if (c == 0)
			return done ? (ssize_t)done : -EMSGSIZE;
		int r = c == 1 ? (send(k->s, iov[0].iov_base, iov[0].iov_len, flags) < 0 ? -1 : 1)
			       : sendmmsg(k->s, mm, c, flags);
		if (r < 0) {
			if (errno == EINTR && !atomic_load(&k->interrupted))
				continue;
			if (errno == EAGAIN)
				arm_out(m, true);
			return done ? (ssize_t)done : member_err(k, errno);
		}
		for (int i = 0; i < r; i++)
			p += lens[done + (uint32_t)i];
		done += (uint32_t)r;
		if ((uint32_t)r < c && nonblock) {
			arm_out(m, true);
			return (ssize_t)done;
		}
	}
	arm_out(m, false);
	return (ssize_t)n;
}

/* End of file on the socket: the network ended or our rights went. */
static int ended(struct kmember *k)
{
	return atomic_load(&k->interrupted) ? -ECANCELED : -ECONNRESET;
}

static int k_recv_batch(ipn_member *m, void *buf, size_t cap, uint32_t *lens, uint32_t max)
{
	struct kmember *k = KM(m);
	if (!(m->rights & IPN_RIGHT_READ))
		return -EPERM;
	if (!max)
		return 0;
	if (atomic_load(&k->interrupted))
		return -ECANCELED;
	/* each message gets a slot of one MTU (and a VLAN tag, which a switch
	 * does not count against it); packed back to back afterwards */
	size_t slot = m->mtu + 4;
	uint32_t want = max < BATCH_MAX ? max : BATCH_MAX;
	if (cap / slot < want)
		want = (uint32_t)(cap / slot);
	if (want == 0) {
		want = 1; /* a lone frame larger than the buffer: truncated */
		slot = cap;
	}
	struct mmsghdr mm[BATCH_MAX];
	struct iovec iov[BATCH_MAX];
	for (uint32_t i = 0; i < want; i++) {
		iov[i] = (struct iovec){(uint8_t *)buf + i * slot, slot};
		memset(&mm[i], 0, sizeof(mm[i]));
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	int flags = m->flags & IPN_JOIN_NONBLOCK ? MSG_DONTWAIT : MSG_WAITFORONE;
	int r;
	do {
		if (want == 1) { /* one frame: the plainer call */
			ssize_t got = recv(k->s, iov[0].iov_base, iov[0].iov_len, flags & MSG_DONTWAIT);
			mm[0].msg_len = got < 0 ? 0 : (unsigned int)got;
			r = got < 0 ? -1 : 1;
		} else {
			r = recvmmsg(k->s, mm, want, flags, NULL);
		}
	} while (r < 0 && errno == EINTR && !atomic_load(&k->interrupted));
	if (r < 0)
		return member_err(k, errno);
	size_t at = 0;
	int n = 0;
	for (int i = 0; i < r; i++) {
		uint32_t len = mm[i].msg_len;
		if (len == 0) {
			/* end of file, or an empty message: the socket's state tells
			 * (at end of file recvmmsg fills every slot with it) */
			struct epoll_event ev;
			if (epoll_wait(k->ep, &ev, 1, 0) == 1 && (ev.events & (EPOLLRDHUP | EPOLLHUP)))
				return n ? n : ended(k);
		}
		if (at != (size_t)i * slot)
			memmove((uint8_t *)buf + at, (uint8_t *)buf + (size_t)i * slot, len);
		lens[n++] = len;
		at += len;
	}
	return n;
}

static int k_fd(ipn_member *m)
{
	return KM(m)->ep;
}

static void k_interrupt(ipn_member *m)
{
	struct kmember *k = KM(m);
	atomic_store(&k->interrupted, true);
	shutdown(k->s, SHUT_RDWR); /* wakes a receiver (end of file) and a waiting sender */
}

static void k_leave(ipn_member *m)
{
	struct kmember *k = KM(m);
	close(k->s);
	close(k->ep);
	free(k);
}

static const struct member_ops kernel_member_ops = {
	.send_batch = k_send_batch,
	.recv_batch = k_recv_batch,
	.fd = k_fd,
	.interrupt = k_interrupt,
	.leave = k_leave,
};

bool member_kernel_path(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISSOCK(st.st_mode) && kernel_family() > 0;
}

int member_kernel_join(const char *path, uint32_t flags, ipn_member *m)
{
	int family = kernel_family();
	if (family < 0)
		return family;
	struct sockaddr_un sun;
	socklen_t len = kernel_addr(family, path, &sun);
	if (!len)
		return -ENAMETOOLONG;
	struct kmember *k = calloc(1, sizeof(*k));
	if (!k)
		return -ENOMEM;
	k->s = kernel_socket(family);
	k->ep = epoll_create1(EPOLL_CLOEXEC);
	int rc = k->s < 0 ? k->s : k->ep < 0 ? -errno : 0;
	char descr[IPN_DESCRLEN];
	snprintf(descr, sizeof(descr), "%s[%d]", program_invocation_short_name, (int)getpid());
	if (rc == 0 && setsockopt(k->s, SOL_IPN, IPN_SO_DESCR, descr, (socklen_t)strlen(descr) + 1) < 0)
		rc = -errno;
	/* a half shut before connecting is a right not taken */
	if (rc == 0 && (flags & IPN_JOIN_RDONLY) && shutdown(k->s, SHUT_WR) < 0)
		rc = -errno;
	if (rc == 0 && (flags & IPN_JOIN_WRONLY) && shutdown(k->s, SHUT_RD) < 0)
		rc = -errno;
	if (rc == 0 && connect(k->s, (struct sockaddr *)&sun, len) < 0)
		rc = errno == EADDRNOTAVAIL ? -EBUSY : -errno; /* no free port */
	int port = 0, rights = 0, mtu = 0;
	socklen_t l = sizeof(int);
	if (rc == 0 && (getsockopt(k->s, SOL_IPN, IPN_SO_PORT, &port, &l) < 0 ||
			getsockopt(k->s, SOL_IPN, IPN_SO_RIGHTS, &rights, &l) < 0 ||
			getsockopt(k->s, SOL_IPN, IPN_SO_MTU, &mtu, &l) < 0))
		rc = -errno;
	m->rights = (uint32_t)rights;
	struct epoll_event ev = {.events = events(m, false), .data.fd = k->s};
	if (rc == 0 && epoll_ctl(k->ep, EPOLL_CTL_ADD, k->s, &ev) < 0)
		rc = -errno;
	if (rc < 0) {
		if (k->s >= 0)
			close(k->s);
		if (k->ep >= 0)
			close(k->ep);
		free(k);
		return rc;
	}
	m->ops = &kernel_member_ops;
	m->priv = k;
	m->port = (uint32_t)port;
	m->rights = (uint32_t)rights;
	m->mtu = (uint32_t)mtu;
	m->flags = flags;
	return 0;
}
