// SPDX-License-Identifier: GPL-2.0
/*
 * Queues: a lossy network drops at a full queue and counts it; a lossless
 * one holds senders back (EAGAIN with MSG_DONTWAIT, blocking otherwise,
 * EPOLLOUT when there is room), and loses nothing.
 */
#include "common.h"
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/time.h>

#define Q 4

struct sender {
	int s, n, flags;
	int sent, err;
	volatile int done;
};

static void *send_thread(void *p)
{
	struct sender *t = p;
	unsigned char m[8];
	int i;

	for (i = 0; i < t->n; i++) {
		memset(m, 0, sizeof(m));
		m[0] = i >> 8;
		m[1] = i;
		if (send(t->s, m, sizeof(m), t->flags) != sizeof(m)) {
			t->err = errno;
			break;
		}
		t->sent++;
	}
	t->done = 1;
	return NULL;
}

static int writable(int s)
{
	struct pollfd p = { .fd = s, .events = POLLOUT };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLOUT);
}

static int open_net(const char *path, int lossless, int *a, int *b)
{
	struct ipn_netconf c;
	int s;

	conf_init(&c, IPN_HUB);
	c.queue = Q;
	if (lossless)
		c.flags = IPN_NET_LOSSLESS;
	s = mknet(path, &c);
	*a = member(path, IPN_HUB);
	*b = member(path, IPN_HUB);
	return s;
}

static void t_lossy(void)
{
	const char *path = tpath("lossy");
	struct ipn_portent pe[4];
	struct ipn_netent e;
	int s, a, b, i, n;

	s = open_net(path, 0, &a, &b);
	for (i = 0; i < Q + 2; i++)
		send(a, "m", 1, MSG_DONTWAIT);
	ok(writable(a), "lossy: a sender stays writable");
	ok(drain(b) == Q, "a queue of %d keeps %d of %d messages", Q, Q, Q + 2);
	ok(!net_info(s, &e) && e.stats.drops[IPN_DROP_QUEUE_FULL] == 2, "2 drops counted");
	n = port_list(s, pe, 4);
	ok(n == 2 && pe[1].stats.drops[IPN_DROP_QUEUE_FULL] == 2 && pe[1].stats.tx_frames == Q,
	   "on the receiver's port too");
	close(a);
	close(b);
	close(s);
	unlink(path);
}

static void t_rcvbuf(void)
{
	const char *path = tpath("rcvbuf");
	struct ipn_netconf c;
	char big[1400];
	int s, a, b, i, rcv = 4096, n;

	conf_init(&c, IPN_HUB);
	c.queue = 1000;
	s = mknet(path, &c);
	a = member(path, IPN_HUB);
	b = member(path, IPN_HUB);
	setsockopt(b, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	memset(big, 'b', sizeof(big));
	for (i = 0; i < 100; i++)
		send(a, big, sizeof(big), 0);
	n = drain(b);
	ok(n > 0 && n < 20, "a queue of 1000 also stops at SO_RCVBUF bytes: %d of 100 kept", n);
	close(a);
	close(b);
	close(s);
	unlink(path);
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void t_lossless(void)
{
	const char *path = tpath("lossless");
	struct sender t = { 0 };
	struct sigaction sa;
	struct itimerval it;
	struct timeval tv;
	struct ipn_netconf c;
	pthread_t th;
	uint64_t t0;
	char buf[16];
	int s, a, b, i, in_order = 1;

	s = open_net(path, 1, &a, &b);
	for (i = 0; i < Q; i++)
		send(a, "m", 1, MSG_DONTWAIT);
	FAILS(send(a, "m", 1, MSG_DONTWAIT), EAGAIN, "lossless: a full queue gives EAGAIN");
	ok(!writable(a), "and poll reports the sender not writable");
	ok(rx(b, buf, sizeof(buf)) == 1, "the reader takes one");
	ok(writable(a), "the sender is writable again");
	WORKS(send(a, "m", 1, MSG_DONTWAIT), "and sends");

	t.s = a;
	t.n = 1;
	pthread_create(&th, NULL, send_thread, &t);
	msleep(300);
	ok(!t.done, "a blocking send waits while the queue is full");
	rx(b, buf, sizeof(buf));
	for (i = 0; i < 100 && !t.done; i++)
		msleep(20);
	ok(t.done && t.sent == 1, "and resumes when the reader makes room");
	pthread_join(th, NULL);

	tv.tv_sec = 0;
	tv.tv_usec = 200000;
	setsockopt(a, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	t0 = now_ms();
	FAILS(send(a, "m", 1, 0), EAGAIN, "SO_SNDTIMEO 200 ms: EAGAIN");
	ok(now_ms() - t0 >= 150, "after the timeout (%llu ms)", (unsigned long long)(now_ms() - t0));
	tv.tv_usec = 0;
	setsockopt(a, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	memset(&it, 0, sizeof(it));
	it.it_value.tv_usec = 200000;
	setitimer(ITIMER_REAL, &it, NULL);
	FAILS(send(a, "m", 1, 0), EINTR, "a signal interrupts a blocked send: EINTR");

	/* the reader leaves: nobody holds the sender back */
	memset(&t, 0, sizeof(t));
	t.s = a;
	t.n = 1;
	pthread_create(&th, NULL, send_thread, &t);
	msleep(200);
	ok(!t.done, "blocked again");
	close(b);
	for (i = 0; i < 100 && !t.done; i++)
		msleep(20);
	ok(t.done && t.sent == 1, "the full reader leaves: the send completes");
	pthread_join(th, NULL);

	/* lossless loses nothing: 500 messages through a queue of 4 */
	b = member(path, IPN_HUB);
	memset(&t, 0, sizeof(t));
	t.s = a;
	t.n = 500;
	pthread_create(&th, NULL, send_thread, &t);
	for (i = 0; i < 500; i++) {
		unsigned char m[8];

		if (rx_wait(b, m, sizeof(m), 5000) != 8)
			break;
		if (((m[0] << 8) | m[1]) != i)
			in_order = 0;
	}
	pthread_join(th, NULL);
	ok(i == 500 && in_order && t.sent == 500, "500 messages through a queue of 4, all in order");

	/* blocked, then the network turns lossy: the sender goes on */
	for (i = 0; i < Q; i++)
		send(a, "m", 1, MSG_DONTWAIT);
	memset(&t, 0, sizeof(t));
	t.s = a;
	t.n = 1;
	pthread_create(&th, NULL, send_thread, &t);
	msleep(200);
	get_conf(s, &c);
	c.flags &= ~IPN_NET_LOSSLESS;
	WORKS(set_conf(s, &c), "the network turns lossy");
	for (i = 0; i < 100 && !t.done; i++)
		msleep(20);
	ok(t.done && t.sent == 1, "the blocked sender goes on");
	pthread_join(th, NULL);
	c.flags |= IPN_NET_LOSSLESS;
	set_conf(s, &c);

	/* blocked, then the network is destroyed */
	memset(&t, 0, sizeof(t));
	t.s = a;
	t.n = 1;
	pthread_create(&th, NULL, send_thread, &t);
	msleep(200);
	setint(s, SOL_IPN, IPN_SO_DESTROY, 1);
	for (i = 0; i < 100 && !t.done; i++)
		msleep(20);
	ok(t.done && t.err == ECONNRESET, "destroyed under a blocked sender: ECONNRESET");
	pthread_join(th, NULL);
	close(a);
	close(b);
	close(s);
	unlink(path);
}

static void t_slowest(void)
{
	const char *path = tpath("slowest");
	int s, a, b, c, i;

	s = open_net(path, 1, &a, &b);
	c = member(path, IPN_HUB);
	for (i = 0; i < Q; i++) {
		send(a, "m", 1, MSG_DONTWAIT);
		drain(c);
	}
	FAILS(send(a, "m", 1, MSG_DONTWAIT), EAGAIN, "the slowest reader holds everyone back");
	ok(nothing(c), "the fast reader got nothing of the refused message");
	drain(b);
	WORKS(send(a, "m", 1, MSG_DONTWAIT), "until it reads");
	close(a);
	close(b);
	close(c);
	close(s);
	unlink(path);
}

int main(void)
{
	tinit("lossless");
	t_lossy();
	t_rcvbuf();
	t_lossless();
	t_slowest();
	return tdone();
}
