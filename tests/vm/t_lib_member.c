// SPDX-License-Identifier: GPL-2.0
/*
 * libipn's client API on the kernel backend: joining (rights, flags, port,
 * MTU, refusals), one frame per call and batches (sendmmsg/recvmmsg
 * underneath), the member's descriptor, lossless back-pressure,
 * interrupting a waiting call, the network going away, leaving.
 */
#include "libt.h"
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static int fd_ready(ipn_member *m, int ms)
{
	struct pollfd p = { ipn_member_fd(m), POLLIN, 0 };

	return poll(&p, 1, ms) == 1;
}

static void t_join(void)
{
	struct ipn_net_config c;
	const struct ipn_port_info *p;
	ipn_member *a, *b, *x;
	char descr[64];

	lt_cfg(&c, "mhub", IPN_POLICY_HUB);
	c.mtu = 1000;
	c.max_ports = 3;
	ipn_net_create(ctx, &c);
	a = lt_join("mhub", 0);
	ok(a && ipn_member_port(a) == 1 && ipn_member_rights(a) == (IPN_RIGHT_READ | IPN_RIGHT_WRITE) &&
	   ipn_member_mtu(a) == 1000, "join: port 1, rights rw, MTU 1000");
	b = lt_join("mhub", IPN_JOIN_RDONLY);
	x = lt_join("mhub", IPN_JOIN_WRONLY);
	ok(b && x && ipn_member_rights(b) == IPN_RIGHT_READ && ipn_member_rights(x) == IPN_RIGHT_WRITE,
	   "IPN_JOIN_RDONLY: r; IPN_JOIN_WRONLY: w");
	ok(ipn_join(lt_path("mhub"), 0, &(ipn_member *){ 0 }) == -EBUSY, "a fourth of 3 ports: EBUSY");
	ok(ipn_join(lt_path("mhub"), IPN_JOIN_RDONLY | IPN_JOIN_WRONLY, &(ipn_member *){ 0 }) == -EINVAL,
	   "both halves shut: EINVAL");
	ok(ipn_join("tmp/rel", 0, &(ipn_member *){ 0 }) == -EINVAL, "a relative path: EINVAL");
	ok(ipn_join("/tmp/no-such-net", 0, &(ipn_member *){ 0 }) == -ENOENT, "a missing path: ENOENT");
	ok(ipn_join(lt_path("mhub"), 0x80, &(ipn_member *){ 0 }) == -EINVAL, "unknown flags: EINVAL");
	snprintf(descr, sizeof(descr), "t_lib_member[%d]", (int)getpid());
	p = lt_port("mhub", 2);
	ok(p && p->kind == IPN_PORT_NATIVE && p->rights == IPN_RIGHT_READ && p->pid == getpid() &&
	   !strcmp(p->descr, descr), "the port list: native, r, our pid, described as %s", descr);
	{
		char big[1001] = { 0 };

		ok(ipn_send(a, big, 1001) == -EMSGSIZE && ipn_send(a, big, 1000) == 1000,
		   "a frame over the MTU: EMSGSIZE; at the MTU: sent");
		ok(ipn_send(b, big, 10) == -EPERM && ipn_recv(x, big, 10) == -EPERM,
		   "sending without w, receiving without r: EPERM");
		lt_drain(b);
	}
	ipn_leave(x);
	ok(lt_port("mhub", 3) == NULL && lt_members("mhub") == 2, "leaving frees the port");
	ipn_leave(a);
	ipn_leave(b);
}

static void t_batches(void)
{
	static uint8_t out[100 * 200], in[65536];
	uint32_t lens[100], got[100];
	ipn_member *s, *r;
	int i, n = 0, calls = 0, good = 1;
	size_t off = 0, total = 0;

	lt_net("mbatch", IPN_POLICY_HUB);
	s = lt_join("mbatch", IPN_JOIN_WRONLY);
	r = lt_join("mbatch", IPN_JOIN_RDONLY);
	for (i = 0; i < 100; i++) {
		lens[i] = 60 + i;
		memset(out + total, i, lens[i]);
		total += lens[i];
	}
	ok(ipn_send_batch(s, out, lens, 100) == 100, "a batch of 100 frames of 60..159 bytes");
	while (n < 100 && calls < 100) {
		int k;

		fd_ready(r, 1000);
		k = ipn_recv_batch(r, in, sizeof(in), got, 100 - n);
		calls++;
		if (k <= 0)
			continue;
		size_t at = 0;
		for (int j = 0; j < k; j++) {
			good &= got[j] == lens[n + j] && in[at] == (uint8_t)(n + j) &&
				in[at + got[j] - 1] == (uint8_t)(n + j);
			at += got[j];
		}
		off += at;
		n += k;
	}
	ok(n == 100 && good && off == total, "received in order and intact, packed back to back, "
	   "in %d calls", calls);
	ipn_send_batch(s, out, lens, 10);
	fd_ready(r, 1000);
	msleep(100);
	ok(ipn_recv_batch(r, in, 3 * 1514, got, 10) <= 3, "room for 3 MTUs: at most 3 frames");
	lt_drain(r);
	ipn_send(s, out, 150);
	ok(lt_recv(r, in, 100, 1000) == 100, "a frame larger than the buffer: truncated to it");
	ok(ipn_recv(r, in, sizeof(in)) == -EAGAIN && !fd_ready(r, 100),
	   "nothing waiting: EAGAIN, the descriptor is not readable");
	ipn_send(s, out, 60);
	ok(fd_ready(r, 1000) && ipn_recv(r, in, sizeof(in)) == 60, "a frame: readable, received");
	ipn_leave(s);
	ipn_leave(r);
}

struct waiter {
	ipn_member *m;
	int send;
	ssize_t rc;
};

static void *waiting(void *p)
{
	struct waiter *w = p;
	char b[64] = { 0 };

	w->rc = w->send ? ipn_send(w->m, b, 60) : ipn_recv(w->m, b, sizeof(b));
	return NULL;
}

static void t_lossless(void)
{
	struct ipn_net_config c;
	ipn_member *s, *r, *bs;
	uint8_t b[64] = { 0 };
	uint32_t lens[10] = { 60, 60, 60, 60, 60, 60, 60, 60, 60, 60 };
	uint8_t ten[600] = { 0 };
	struct waiter w;
	pthread_t t;

	lt_cfg(&c, "mll", IPN_POLICY_HUB);
	c.flags = IPN_NET_LOSSLESS;
	c.queue = 4;
	ipn_net_create(ctx, &c);
	s = lt_join("mll", IPN_JOIN_WRONLY);
	r = lt_join("mll", IPN_JOIN_RDONLY);
	ok(ipn_send_batch(s, ten, lens, 10) == 4, "lossless, queue 4, non-blocking: 4 of 10 queued");
	ok(ipn_send(s, b, 60) == -EAGAIN && !fd_ready(s, 100),
	   "the next: EAGAIN; the sender's descriptor waits");
	ok(ipn_recv(r, b, sizeof(b)) == 60 && fd_ready(s, 1000), "the reader takes one: the sender's is readable");
	ok(ipn_send(s, b, 60) == 60, "and it sends again");
	lt_drain(r);
	ok(ipn_join(lt_path("mll"), IPN_JOIN_WRONLY, &bs) == 0, "a blocking sender");
	ipn_send_batch(bs, ten, lens, 4);
	w = (struct waiter){ bs, 1, 0 };
	pthread_create(&t, NULL, waiting, &w);
	msleep(300);
	ok(w.rc == 0, "the queue full, its next send waits");
	ipn_member_interrupt(bs);
	pthread_join(t, NULL);
	ok(w.rc == -ECANCELED && ipn_send(bs, b, 60) == -ECANCELED,
	   "ipn_member_interrupt: -ECANCELED, now and from then on");
	ipn_leave(bs);
	lt_drain(r);
	ok(ipn_join(lt_path("mll"), IPN_JOIN_RDONLY, &bs) == 0, "a blocking receiver");
	w = (struct waiter){ bs, 0, 0 };
	pthread_create(&t, NULL, waiting, &w);
	msleep(300);
	ok(w.rc == 0, "it waits for a frame");
	ipn_send(s, b, 60);
	pthread_join(t, NULL);
	ok(w.rc == 60, "a frame comes: it returns with it");
	w = (struct waiter){ bs, 0, 0 };
	pthread_create(&t, NULL, waiting, &w);
	msleep(300);
	ipn_member_interrupt(bs);
	pthread_join(t, NULL);
	ok(w.rc == -ECANCELED, "interrupted while waiting: -ECANCELED");
	ipn_leave(bs);
	ok(ipn_join(lt_path("mll"), IPN_JOIN_RDONLY, &bs) == 0, "another blocking receiver");
	w = (struct waiter){ bs, 0, 0 };
	pthread_create(&t, NULL, waiting, &w);
	msleep(300);
	ipn_net_destroy(ctx, "mll");
	pthread_join(t, NULL);
	ok(w.rc == -ECONNRESET && ipn_send(s, b, 60) == -ECONNRESET,
	   "the network destroyed: the waiting receiver and a sender get ECONNRESET");
	ipn_leave(bs);
	ipn_leave(s);
	ipn_leave(r);
}

int main(void)
{
	tinit("lib_member");
	ok(lt_open() == IPN_BACKEND_KERNEL, "kernel backend");
	t_join();
	t_batches();
	t_lossless();
	ok(ipn_net_list(ctx, NULL, 0) == 0, "no network left");
	ipn_close(ctx);
	return tdone();
}
