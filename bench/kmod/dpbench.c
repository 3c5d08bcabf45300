// SPDX-License-Identifier: GPL-2.0
/*
 * dpbench: the data plane side by side inside one guest of Debian's
 * kernel: libipn's kernel backend (ipn.ko), libipn's user engine
 * (ipn-engine), vde_switch (hub mode, libvdeplug clients) and direct
 * AF_UNIX datagrams, with the same client workload:
 *
 *   one sender and one receiver in one thread; bursts of BURST frames
 *   (below every queue, so nothing is dropped): send them, then receive
 *   them, for a fixed time; frames/s delivered. Each figure is the median
 *   of REPS runs, the transports' runs interleaved.
 *
 * "one-call": one call per frame (send/recv, ipn_send/ipn_recv,
 * vde_send/vde_recv). "batched": one call per burst where the client API
 * has one (ipn_send_batch/ipn_recv_batch: sendmmsg/recvmmsg underneath for
 * the kernel, shared rings for the engine; sendmmsg/recvmmsg for AF_UNIX);
 * libvdeplug has none, so vde_switch only runs one-call. Prints JSON.
 *
 *   dpbench [seconds per run]
 *
 * Two passes: first everything on one CPU (the switch processes take turns
 * with the client, and no figure hangs on how fast emulated CPUs wake each
 * other), then spread over every CPU (a switch process runs beside the
 * client, as on a multicore host; under TCG those wake-ups are erratic).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <libvdeplug.h>
#include "ipn.h"

#define BURST 32
#define REPS 3
#define MAXF 2048

struct client {
	const char *name;
	/* one frame, or a burst of n frames of len bytes from buf */
	int (*send)(struct client *c, const uint8_t *buf, uint32_t len, int n, int batched);
	/* receive n frames; 0 or -1 */
	int (*recv)(struct client *c, int n, int batched);
	int tx, rx;
	ipn_member *mtx, *mrx;
	VDECONN *vtx, *vrx;
};

static uint8_t rxbuf[BURST * (MAXF + 4)];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- AF_UNIX datagrams ---- */

static int unix_send(struct client *c, const uint8_t *buf, uint32_t len, int n, int batched)
{
	struct mmsghdr mm[BURST];
	struct iovec iov = { (void *)buf, len };

	if (!batched) {
		for (int i = 0; i < n; i++)
			if (send(c->tx, buf, len, 0) != (ssize_t)len)
				return -1;
		return 0;
	}
	memset(mm, 0, sizeof(mm));
	for (int i = 0; i < n; i++) {
		mm[i].msg_hdr.msg_iov = &iov;
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	return sendmmsg(c->tx, mm, n, 0) == n ? 0 : -1;
}

static int unix_recv(struct client *c, int n, int batched)
{
	struct mmsghdr mm[BURST];
	struct iovec iov[BURST];
	int got = 0;

	if (!batched) {
		for (int i = 0; i < n; i++)
			if (recv(c->rx, rxbuf, MAXF, 0) <= 0)
				return -1;
		return 0;
	}
	while (got < n) {
		memset(mm, 0, sizeof(mm));
		for (int i = 0; i < n - got; i++) {
			iov[i] = (struct iovec){ rxbuf + i * MAXF, MAXF };
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
		}
		int r = recvmmsg(c->rx, mm, n - got, MSG_WAITFORONE, NULL);
		if (r <= 0)
			return -1;
		got += r;
	}
	return 0;
}

static int unix_open(struct client *c)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX, .sun_path = "/tmp/dpbench.unix" };

	unlink(sun.sun_path);
	c->rx = socket(AF_UNIX, SOCK_DGRAM, 0);
	c->tx = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (bind(c->rx, (struct sockaddr *)&sun, sizeof(sun)) ||
	    connect(c->tx, (struct sockaddr *)&sun, sizeof(sun)))
		return -1;
	c->send = unix_send;
	c->recv = unix_recv;
	return 0;
}

static void unix_close(struct client *c)
{
	close(c->tx);
	close(c->rx);
	unlink("/tmp/dpbench.unix");
}

/* ---- libipn members: the kernel backend or the user engine ---- */

static int ipn_tx(struct client *c, const uint8_t *buf, uint32_t len, int n, int batched)
{
	static uint8_t many[BURST * MAXF];
	uint32_t lens[BURST];

	if (!batched) {
		for (int i = 0; i < n; i++)
			if (ipn_send(c->mtx, buf, len) != (ssize_t)len)
				return -1;
		return 0;
	}
	for (int i = 0; i < n; i++) {
		memcpy(many + (size_t)i * len, buf, len);
		lens[i] = len;
	}
	return ipn_send_batch(c->mtx, many, lens, n) == n ? 0 : -1;
}

static int ipn_rx(struct client *c, int n, int batched)
{
	uint32_t lens[BURST];
	int got = 0;

	while (got < n) {
		int r = batched ? ipn_recv_batch(c->mrx, rxbuf, sizeof(rxbuf), lens, n - got)
				: (ipn_recv(c->mrx, rxbuf, MAXF) > 0 ? 1 : -1);
		if (r <= 0)
			return -1;
		got += r;
	}
	return 0;
}

static int ipn_net(ipn_ctx *ctx, const char *name, const char *path)
{
	struct ipn_net_config cfg = { .size = sizeof(cfg), .policy = IPN_POLICY_HUB, .max_ports = 8,
				      .mtu = MAXF, .queue = 256, .mode = 0600 };

	snprintf(cfg.name, sizeof(cfg.name), "%s", name);
	snprintf(cfg.path, sizeof(cfg.path), "%s", path);
	ipn_net_destroy(ctx, name);
	return ipn_net_create(ctx, &cfg);
}

static int ipn_members(struct client *c, const char *path)
{
	if (ipn_join(path, IPN_JOIN_WRONLY, &c->mtx) < 0 || ipn_join(path, IPN_JOIN_RDONLY, &c->mrx) < 0)
		return -1;
	c->send = ipn_tx;
	c->recv = ipn_rx;
	return 0;
}

/* ---- vde_switch as a hub, libvdeplug clients ---- */

static int vde_tx(struct client *c, const uint8_t *buf, uint32_t len, int n, int batched)
{
	(void)batched;
	for (int i = 0; i < n; i++)
		if (vde_send(c->vtx, buf, len, 0) != (ssize_t)len)
			return -1;
	return 0;
}

static int vde_rx(struct client *c, int n, int batched)
{
	(void)batched;
	for (int i = 0; i < n; i++)
		if (vde_recv(c->vrx, rxbuf, MAXF, 0) <= 0)
			return -1;
	return 0;
}

/* vde_switch as a daemon; its pid, or -1 */
static pid_t vde_start(const char *dir)
{
	char ctl[128], cmd[256];
	pid_t p = -1;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "vde_switch --hub -n 8 -d -s %s -p %s.pid </dev/null", dir, dir);
	if (system(cmd) != 0) {
		fprintf(stderr, "dpbench: %s failed\n", cmd);
		return -1;
	}
	/* it daemonises: wait for its control socket and its pid file */
	snprintf(ctl, sizeof(ctl), "%s/ctl", dir);
	snprintf(cmd, sizeof(cmd), "%s.pid", dir);
	for (int i = 0; i < 200 && p <= 0; i++) {
		f = access(ctl, F_OK) ? NULL : fopen(cmd, "r");
		if (!f || fscanf(f, "%d", &p) != 1)
			p = -1;
		if (f)
			fclose(f);
		if (p <= 0)
			usleep(50000);
	}
	return p;
}

/* ---- the workload ---- */

/* frames/s delivered over `secs` seconds, or -1 on a failure */
static double measure(struct client *c, uint32_t size, int batched, double secs)
{
	uint8_t frame[MAXF];
	long frames = 0;
	double t0, t;

	memset(frame, 0xa5, sizeof(frame));
	memset(frame, 0xff, 6); /* an Ethernet broadcast: every peer forwards it as is */
	frame[6] = 0x02;
	frame[11] = 0x01;
	frame[12] = 0x88;
	frame[13] = 0xb5;
	if (c->send(c, frame, size, BURST, batched) || c->recv(c, BURST, batched))
		return -1; /* warm up */
	t0 = now();
	do {
		if (c->send(c, frame, size, BURST, batched) || c->recv(c, BURST, batched))
			return -1;
		frames += BURST;
		t = now();
	} while (t - t0 < secs);
	return frames / (t - t0);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v)
{
	qsort(v, REPS, sizeof(*v), cmp);
	return v[REPS / 2];
}

/* process pid (0: us) on CPU 0 only, or on every CPU */
static void affinity(pid_t pid, int one)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	for (int c = 0; c < (one ? 1 : CPU_SETSIZE); c++)
		CPU_SET(c, &set);
	if (pid >= 0 && sched_setaffinity(pid, sizeof(set), &set))
		perror("sched_setaffinity");
}

static pid_t pid_in(const char *file)
{
	FILE *f = fopen(file, "r");
	int p = -1;

	if (f && fscanf(f, "%d", &p) != 1)
		p = -1;
	if (f)
		fclose(f);
	return p;
}

static double ratio(double a, double b)
{
	return a > 0 && b > 0 ? a / b : 0;
}

int main(int argc, char **argv)
{
	static const uint32_t sizes[] = { 64, 1500 };
	double secs = argc > 1 ? atof(argv[1]) : 0.5;
	struct client u = { .name = "unix" }, k = { .name = "kernel" }, e = { .name = "engine" },
		      v = { .name = "vde_switch" };
	ipn_ctx *kctx = NULL, *uctx = NULL;
	pid_t vp;
	FILE *f;
	int first = 1;

	signal(SIGPIPE, SIG_IGN);
	/* the first pass on one CPU; the switch processes inherit it */
	affinity(0, 1);
	/* AF_UNIX queues as deep as the networks' (its default is 10 in a fresh namespace) */
	f = fopen("/proc/sys/net/unix/max_dgram_qlen", "w");
	if (f) {
		fprintf(f, "256\n");
		fclose(f);
	}
	if (unix_open(&u) < 0) {
		perror("unix");
		return 1;
	}
	if (ipn_open(IPN_BACKEND_KERNEL, NULL, &kctx) < 0 || ipn_net(kctx, "dpk", "/tmp/dpbench.kernel") < 0 ||
	    ipn_members(&k, "/tmp/dpbench.kernel") < 0) {
		fprintf(stderr, "dpbench: kernel backend unavailable\n");
		return 1;
	}
	if (ipn_open(IPN_BACKEND_USER, "/tmp/dpbench-run", &uctx) < 0 ||
	    ipn_net(uctx, "dpe", "/tmp/dpbench.engine") < 0 || ipn_members(&e, "/tmp/dpbench.engine") < 0) {
		char why[200] = "";

		ipn_last_error(uctx, why, sizeof(why));
		fprintf(stderr, "dpbench: user engine unavailable: %s\n", why);
		return 1;
	}
	vp = vde_start("/tmp/dpbench.vde");
	v.vtx = vp > 0 ? vde_open("vde:///tmp/dpbench.vde", "dpbench-tx", NULL) : NULL;
	v.vrx = vp > 0 ? vde_open("vde:///tmp/dpbench.vde", "dpbench-rx", NULL) : NULL;
	if (!v.vtx || !v.vrx) {
		fprintf(stderr, "dpbench: vde_switch unavailable\n");
		return 1;
	}
	v.send = vde_tx;
	v.recv = vde_rx;

	printf("{\"bench\":\"kmod\",\"burst\":%d,\"seconds\":%.2f,\"repetitions\":%d,"
	       "\"unit\":\"frames/s\",\"vde_mode\":\"one-call\",\"results\":[", BURST, secs, REPS);
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1) { /* spread: us, vde_switch and the engine on every CPU */
			affinity(0, 0);
			affinity(vp, 0);
			affinity(pid_in("/tmp/dpbench-run/engine.pid"), 0);
		}
		for (int s = 0; s < 2; s++) {
			for (int b = 0; b < 2; b++) {
				/* interleaved repetitions, the median of each: the host may be busy */
				double ru[REPS], rk[REPS], re[REPS], rv[REPS];

				for (int i = 0; i < REPS; i++) {
					ru[i] = measure(&u, sizes[s], b, secs);
					rk[i] = measure(&k, sizes[s], b, secs);
					re[i] = measure(&e, sizes[s], b, secs);
					rv[i] = measure(&v, sizes[s], 0, secs);
				}
				double fu = median(ru), fk = median(rk), fe = median(re), fv = median(rv);

				printf("%s{\"cpus\":\"%s\",\"size\":%u,\"mode\":\"%s\",\"unix\":%.0f,"
				       "\"kernel\":%.0f,\"engine\":%.0f,\"vde_switch\":%.0f,"
				       "\"kernel_vs_vde\":%.2f,\"kernel_vs_unix\":%.2f,\"engine_vs_vde\":%.2f}",
				       first ? "" : ",", pass ? "spread" : "one", sizes[s],
				       b ? "batched" : "one-call", fu, fk, fe, fv, ratio(fk, fv), ratio(fk, fu),
				       ratio(fe, fv));
				first = 0;
				fflush(stdout);
			}
		}
	}
	printf("]}\n");
	unix_close(&u);
	ipn_leave(k.mtx);
	ipn_leave(k.mrx);
	ipn_leave(e.mtx);
	ipn_leave(e.mrx);
	ipn_net_destroy(kctx, "dpk");
	ipn_shutdown(uctx);
	ipn_close(kctx);
	ipn_close(uctx);
	vde_close(v.vtx);
	vde_close(v.vrx);
	kill(vp, SIGTERM);
	return 0;
}
