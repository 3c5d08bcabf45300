// SPDX-License-Identifier: GPL-2.0
/*
 * ipnbench: the kernel backend's data path against raw AF_UNIX datagrams,
 * in one run, in the same kernel: a sender and a receiver socket, the
 * same frames, the same queue depth, no loss. Two workloads: one call per
 * frame (send/recv), and batches (sendmmsg/recvmmsg). Prints JSON.
 *
 *   ipnbench [frames] [batch]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <linux/ipn.h>

#define QUEUE 64
#define MAXBATCH 64

static int af_ipn = IPN_FAMILY_DEFAULT;

struct run {
	int tx, rx;      /* sockets */
	long frames;
	int size, batch;
	long got;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * One thread, bursts of a queue's depth: send them, then read them. Every
 * frame costs its calls and nothing waits, so the figure is the data
 * path's own cost (not the scheduler's), the same for both families.
 */
static double measure(struct run *r)
{
	static char frame[2048], bufs[MAXBATCH][2048];
	struct mmsghdr tx[MAXBATCH], rx[MAXBATCH];
	struct iovec tiov, riov[MAXBATCH];
	long done = 0;
	double t0;
	int i, n;

	memset(frame, 0xa5, sizeof(frame));
	tiov.iov_base = frame;
	tiov.iov_len = r->size;
	for (i = 0; i < MAXBATCH; i++) {
		memset(&tx[i], 0, sizeof(tx[i]));
		tx[i].msg_hdr.msg_iov = &tiov;
		tx[i].msg_hdr.msg_iovlen = 1;
		riov[i].iov_base = bufs[i];
		riov[i].iov_len = sizeof(bufs[i]);
		memset(&rx[i], 0, sizeof(rx[i]));
		rx[i].msg_hdr.msg_iov = &riov[i];
		rx[i].msg_hdr.msg_iovlen = 1;
	}
	r->got = 0;
	t0 = now();
	while (done < r->frames) {
		int burst = r->frames - done < QUEUE ? r->frames - done : QUEUE, k;

		for (k = 0; k < burst; k += n) {
			if (r->batch > 1)
				n = sendmmsg(r->tx, tx, burst - k < r->batch ? burst - k : r->batch, 0);
			else
				n = send(r->tx, frame, r->size, 0) == r->size;
			if (n <= 0)
				return -1;
		}
		for (k = 0; k < burst; k += n) {
			if (r->batch > 1)
				n = recvmmsg(r->rx, rx, burst - k < r->batch ? burst - k : r->batch,
					     MSG_DONTWAIT, NULL);
			else
				n = recv(r->rx, bufs[0], sizeof(bufs[0]), MSG_DONTWAIT) == r->size;
			if (n <= 0)
				return -1;
			r->got += n;
		}
		done += burst;
	}
	return r->got == r->frames ? r->frames / (now() - t0) : -1;
}

static int ipn_pair(const char *path, int *tx, int *rx)
{
	struct sockaddr_un sun = { 0 };
	struct ipn_netconf c;
	int s = socket(af_ipn, SOCK_RAW, IPN_POLICY_HUB);

	memset(&c, 0, sizeof(c));
	c.policy = IPN_POLICY_HUB;
	c.max_ports = 4;
	c.mtu = 2048;
	c.queue = QUEUE;
	c.flags = IPN_NET_LOSSLESS;
	c.mode = 0700;
	c.ageing_s = 300;
	c.concast.receiver_port = -1;
	unlink(path);
	sun.sun_family = af_ipn;
	strcpy(sun.sun_path, path);
	if (s < 0 || setsockopt(s, SOL_IPN, IPN_SO_NETCONF, &c, sizeof(c)) ||
	    bind(s, (struct sockaddr *)&sun, sizeof(sun)))
		return -1;
	*tx = socket(af_ipn, SOCK_RAW, IPN_POLICY_HUB);
	*rx = socket(af_ipn, SOCK_RAW, IPN_POLICY_HUB);
	shutdown(*tx, SHUT_RD);
	shutdown(*rx, SHUT_WR);
	if (connect(*tx, (struct sockaddr *)&sun, sizeof(sun)) ||
	    connect(*rx, (struct sockaddr *)&sun, sizeof(sun)))
		return -1;
	return s;
}

static int unix_pair(const char *path, int *tx, int *rx)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	strcpy(sun.sun_path, path);
	unlink(path);
	*rx = socket(AF_UNIX, SOCK_DGRAM, 0);
	*tx = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (bind(*rx, (struct sockaddr *)&sun, sizeof(sun)) ||
	    connect(*tx, (struct sockaddr *)&sun, sizeof(sun)))
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	static const int sizes[] = { 64, 1500 };
	long frames = argc > 1 ? atol(argv[1]) : 100000;
	int batch = argc > 2 ? atoi(argv[2]) : 32, i, b, first = 1;
	FILE *f = fopen(IPN_FAMILY_PARAM, "r");

	if (f) {
		if (fscanf(f, "%d", &af_ipn) != 1)
			af_ipn = IPN_FAMILY_DEFAULT;
		fclose(f);
	}
	if (batch < 2 || batch > MAXBATCH)
		batch = 32;
	/* the same queue depth on both sides */
	f = fopen("/proc/sys/net/unix/max_dgram_qlen", "w");
	if (f) {
		fprintf(f, "%d\n", QUEUE);
		fclose(f);
	}
	printf("{\"bench\":\"kmod\",\"frames\":%ld,\"batch\":%d,\"queue\":%d,\"results\":[", frames,
	       batch, QUEUE);
	for (i = 0; i < 2; i++) {
		for (b = 0; b < 2; b++) {
			struct run u = { .frames = frames, .size = sizes[i], .batch = b ? batch : 1 };
			struct run k = u;
			double fu, fk;
			int s;

			if (unix_pair("/tmp/ipnbench.unix", &u.tx, &u.rx) < 0)
				return 1;
			fu = measure(&u);
			close(u.tx);
			close(u.rx);
			s = ipn_pair("/tmp/ipnbench.ipn", &k.tx, &k.rx);
			if (s < 0) {
				perror("ipn");
				return 1;
			}
			fk = measure(&k);
			close(k.tx);
			close(k.rx);
			close(s);
			printf("%s{\"size\":%d,\"mode\":\"%s\",\"unix_fps\":%.0f,\"ipn_fps\":%.0f,"
			       "\"ipn_vs_unix\":%.2f}",
			       first ? "" : ",", sizes[i], b ? "batched" : "one-call", fu, fk,
			       fu > 0 ? fk / fu : 0);
			first = 0;
			fflush(stdout);
		}
	}
	printf("]}\n");
	unlink("/tmp/ipnbench.unix");
	unlink("/tmp/ipnbench.ipn");
	return 0;
}
