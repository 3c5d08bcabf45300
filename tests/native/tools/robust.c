/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ipn-robust: hostile and careless clients, to show the engine shrugs them
 * off. Each command prints what it did and exits non-zero when the engine
 * did not react as it must.
 *
 *   ipn-robust handshakes PATH      malformed joins: each must be dropped
 *   ipn-robust frames PATH          empty, runt, oversize and garbage frames
 *   ipn-robust churn PATH N         N join/leave cycles (VDE, native, abrupt)
 *   ipn-robust ringfuzz PATH        a native member corrupting its rings
 *   ipn-robust ctlfuzz RUNDIR       garbage on the control socket
 *   ipn-robust fuzz PATH RUNDIR N   N random join requests and control requests
 */
#include <errno.h>
#include <libvdeplug.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "ctl_proto.h"
#include "ipn.h"
#include "join_proto.h"
#include "ring.h"

#define VDE_MAGIC 0xfeedfaceu

struct vde_req {
	uint32_t magic, version, type;
	struct sockaddr_un sock;
	char descr[128];
} __attribute__((packed));

static int failures;

static void verdict(const char *what, int ok)
{
	printf("%s %s\n", ok ? "ok  " : "FAIL", what);
	failures += !ok;
}

static int dial(const char *dir, const char *name, int type)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/%s", dir, name);
	int s = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		perror("connect");
		exit(2);
	}
	return s;
}

/* Did the engine close the connection within `ms` (reading anything it says)? */
static int closed_within(int s, int ms)
{
	char buf[512];
	for (;;) {
		struct pollfd p = {s, POLLIN, 0};
		if (poll(&p, 1, ms) <= 0)
			return 0;
		ssize_t r = recv(s, buf, sizeof(buf), 0);
		if (r <= 0)
			return 1;
	}
}

/* Send `len` bytes as a join request and expect the engine to hang up. */
static void join_and(const char *path, const char *what, const void *req, size_t len, int ms,
		     bool vanish)
{
	int s = dial(path, "ctl", SOCK_STREAM);
	if (len && send(s, req, len, MSG_NOSIGNAL) < 0)
		perror("send");
	if (vanish)
		shutdown(s, SHUT_WR);
	verdict(what, closed_within(s, ms));
	close(s);
}

static void bad_join(const char *path, const char *what, const void *req, size_t len, int ms)
{
	join_and(path, what, req, len, ms, false);
}

static void vde_req_init(struct vde_req *r, const char *sockpath)
{
	memset(r, 0, sizeof(*r));
	r->magic = VDE_MAGIC;
	r->version = 3;
	r->sock.sun_family = AF_UNIX;
	snprintf(r->sock.sun_path, sizeof(r->sock.sun_path), "%s", sockpath);
}

static int handshakes(const char *path)
{
	char garbage[300];
	for (size_t i = 0; i < sizeof(garbage); i++)
		garbage[i] = (char)(i * 7 + 3);
	bad_join(path, "garbage join request", garbage, sizeof(garbage), 3000);
	struct vde_req r;
	vde_req_init(&r, "/nonexistent/sock");
	r.magic = 0x12345678;
	bad_join(path, "bad magic", &r, sizeof(r), 3000);
	vde_req_init(&r, "/nonexistent/sock");
	r.version = 2;
	bad_join(path, "VDE version 2", &r, sizeof(r), 3000);
	vde_req_init(&r, "/nonexistent/sock");
	r.sock.sun_family = AF_INET;
	bad_join(path, "address family not AF_UNIX", &r, sizeof(r), 3000);
	vde_req_init(&r, "");
	memcpy(r.sock.sun_path, "\0abstract", 9);
	bad_join(path, "abstract client socket", &r, sizeof(r), 3000);
	vde_req_init(&r, "");
	memset(r.sock.sun_path, 'A', sizeof(r.sock.sun_path));
	bad_join(path, "unterminated client path", &r, sizeof(r), 3000);
	vde_req_init(&r, "/nonexistent/sock");
	bad_join(path, "client socket that does not exist", &r, sizeof(r), 3000);
	vde_req_init(&r, "/etc/passwd");
	bad_join(path, "client 'socket' that is a file", &r, sizeof(r), 3000);
	vde_req_init(&r, "/nonexistent/sock");
	r.type = 5;
	bad_join(path, "unknown request type", &r, sizeof(r), 3000);
	vde_req_init(&r, "/nonexistent/sock");
	r.type = 70000u << 8;
	bad_join(path, "port beyond 65535", &r, sizeof(r), 3000);
	struct ipnj_req j = {.magic = IPNJ_MAGIC, .version = 99};
	bad_join(path, "native join, wrong version", &j, sizeof(j), 3000);
	j.version = IPNJ_VERSION;
	j.flags = IPN_JOIN_RDONLY | IPN_JOIN_WRONLY;
	bad_join(path, "native join shutting both halves", &j, sizeof(j), 3000);
	join_and(path, "3 bytes, then the client vanishes", "\xce\xfa\xed", 3, 3000, true);
	/* silence: the engine must give up after its handshake timeout */
	bad_join(path, "a silent connection", NULL, 0, 10000);
	vde_req_init(&r, "/nonexistent/sock");
	bad_join(path, "half a request, then silence", &r, 60, 10000);
	return failures ? 1 : 0;
}

static VDECONN *vopen(const char *path)
{
	char url[256];
	snprintf(url, sizeof(url), "vde://%s", path);
	VDECONN *c = vde_open(url, "ipn-robust", NULL);
	if (!c) {
		fprintf(stderr, "vde_open %s: %s\n", url, strerror(errno));
		exit(2);
	}
	return c;
}

static int frames(const char *path)
{
	VDECONN *c = vopen(path);
	static unsigned char f[20000];
	memset(f, 0xab, sizeof(f));
	int fd = vde_datafd(c);
	int sizes[] = {0, 1, 13, 9217, 9220, 15000};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (send(fd, f, (size_t)sizes[i], 0) < 0)
			fprintf(stderr, "send %d: %s\n", sizes[i], strerror(errno));
	/* random junk of plausible sizes */
	unsigned x = 12345;
	for (int i = 0; i < 200; i++) {
		for (int k = 0; k < 200; k++)
			f[k] = (unsigned char)((x = x * 1103515245 + 12345) >> 16);
		if (send(fd, f, 14 + (x % 180), 0) < 0)
			break;
	}
	vde_close(c);
	printf("sent 6 malformed and 200 garbage frames\n");
	return 0;
}

/* One native join the hard way, to get at the rings. */
static int raw_native(const char *path, struct ipnj_rep *rep, int fds[4])
{
	int s = dial(path, "ctl", SOCK_STREAM);
	struct ipnj_req j = {.magic = IPNJ_MAGIC, .version = IPNJ_VERSION};
	if (send(s, &j, sizeof(j), 0) != sizeof(j))
		exit(2);
	union {
		char b[CMSG_SPACE(4 * sizeof(int))];
		struct cmsghdr a;
	} u;
	struct iovec iov = {rep, sizeof(*rep)};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.b, .msg_controllen = sizeof(u.b)};
	if (recvmsg(s, &m, 0) != sizeof(*rep) || rep->result < 0)
		exit(2);
	memcpy(fds, CMSG_DATA(CMSG_FIRSTHDR(&m)), 4 * sizeof(int));
	return s;
}

static int ringfuzz(const char *path)
{
	struct ipnj_rep rep;
	int fds[4];
	int s = raw_native(path, &rep, fds);
	void *map = mmap(NULL, rep.map_size, PROT_READ | PROT_WRITE, MAP_SHARED, fds[0], 0);
	if (map == MAP_FAILED)
		exit(2);
	verdict("the ring memory cannot shrink", ftruncate(fds[0], 4096) < 0);
	struct ring_view tx = {(struct ipn_ring *)((char *)map + rep.tx_off), rep.slots, rep.slot_size,
			       rep.slot_size - 8};
	/* a slot claiming more than it holds: dropped as too big */
	ring_slot(&tx, 0)->len = 0xffffff;
	ring_slot(&tx, 1)->len = 60;
	atomic_store(&tx.r->head, 2);
	uint64_t one = 1;
	if (write(fds[1], &one, 8) < 0)
		exit(2);
	/* then a head far beyond the ring: the engine must hang up on us */
	usleep(100000);
	atomic_store(&tx.r->head, 2 + rep.slots * 10);
	if (write(fds[1], &one, 8) < 0)
		exit(2);
	verdict("a corrupted ring head gets the member disconnected", closed_within(s, 5000));
	munmap(map, rep.map_size);
	for (int i = 0; i < 4; i++)
		close(fds[i]);
	close(s);
	return failures ? 1 : 0;
}

static int churn(const char *path, long n)
{
	long vde = 0, native = 0, abrupt = 0;
	for (long i = 0; i < n; i++) {
		switch (i % 4) {
		case 0:
		case 1: {
			VDECONN *c = vopen(path);
			vde_close(c);
			vde++;
			break;
		}
		case 2: {
			ipn_member *m;
			int rc = ipn_join(path, 0, &m);
			if (rc < 0) {
				fprintf(stderr, "join: %s\n", ipn_strerror(rc));
				return 1;
			}
			ipn_leave(m);
			native++;
			break;
		}
		case 3: {
			/* a complete VDE request, then gone before the reply */
			int s = dial(path, "ctl", SOCK_STREAM);
			struct vde_req r;
			char me[108];
			snprintf(me, sizeof(me), "%s/.%05d-%05ld", path, (int)getpid(), i);
			vde_req_init(&r, me);
			if (send(s, &r, sizeof(r) - 128, 0) < 0)
				perror("send");
			close(s);
			abrupt++;
			break;
		}
		}
	}
	printf("churn: %ld vde, %ld native, %ld abrupt\n", vde, native, abrupt);
	return 0;
}

static int ctl_roundtrip(int s, const void *msg, size_t len, struct ipnc_rep *rep)
{
	if (send(s, msg, len, 0) < 0)
		return -errno;
	struct pollfd p = {s, POLLIN, 0};
	if (poll(&p, 1, 5000) <= 0)
		return -ETIMEDOUT;
	ssize_t r = recv(s, rep, sizeof(*rep), MSG_TRUNC);
	return r <= 0 ? -ECONNRESET : (int)r;
}

static int ctlfuzz(const char *rundir)
{
	struct ipnc_rep rep;
	char junk[600];
	memset(junk, 0x5a, sizeof(junk));
	int s = dial(rundir, "engine.ctl", SOCK_SEQPACKET);
	int r = ctl_roundtrip(s, junk, 17, &rep);
	verdict("a short control message is refused", r > 0 && rep.result == -EBADMSG);
	verdict("... and the connection closed", closed_within(s, 3000));
	close(s);

	s = dial(rundir, "engine.ctl", SOCK_SEQPACKET);
	struct ipnc_req rq;
	memset(&rq, 0x41, sizeof(rq));
	r = ctl_roundtrip(s, &rq, sizeof(rq), &rep);
	verdict("a request with a bad magic is refused", r > 0 && rep.result == -EBADMSG);
	close(s);

	s = dial(rundir, "engine.ctl", SOCK_SEQPACKET);
	memset(&rq, 0, sizeof(rq));
	rq.magic = IPNC_MAGIC;
	rq.version = 77;
	rq.op = IPNC_HELLO;
	r = ctl_roundtrip(s, &rq, sizeof(rq), &rep);
	verdict("a future protocol version is refused", r > 0 && rep.result == -EPROTONOSUPPORT);
	rq.version = IPNC_VERSION;
	rq.op = 999;
	r = ctl_roundtrip(s, &rq, sizeof(rq), &rep);
	verdict("an unknown op is refused", r > 0 && rep.result == -EOPNOTSUPP);
	rq.op = IPNC_NET_GET;
	memset(rq.net, 'n', sizeof(rq.net));
	r = ctl_roundtrip(s, &rq, sizeof(rq), &rep);
	verdict("an unterminated name is refused", r > 0 && rep.result == -EINVAL);
	rq.op = IPNC_NET_CREATE;
	memset(&rq.u, 0x7f, sizeof(rq.u));
	rq.u.cfg.size = sizeof(rq.u.cfg);
	r = ctl_roundtrip(s, &rq, sizeof(rq), &rep);
	verdict("a garbage network config is refused", r > 0 && rep.result == -EINVAL);
	memset(&rq, 0, sizeof(rq));
	rq.magic = IPNC_MAGIC;
	rq.version = IPNC_VERSION;
	rq.op = IPNC_NET_LIST;
	rq.offset = 0xffffffff;
	r = ctl_roundtrip(s, &rq, sizeof(rq), &rep);
	verdict("a list from a huge offset is empty", r > 0 && rep.result >= 0 && rep.count == 0);
	/* many requests without reading a reply: the engine must not block */
	rq.op = IPNC_NET_LIST;
	rq.offset = 0;
	for (int i = 0; i < 2000; i++)
		if (send(s, &rq, sizeof(rq), MSG_DONTWAIT) < 0)
			break;
	close(s);

	s = dial(rundir, "engine.ctl", SOCK_SEQPACKET);
	memset(&rq, 0, sizeof(rq));
	rq.magic = IPNC_MAGIC;
	rq.version = IPNC_VERSION;
	rq.op = IPNC_HELLO;
	r = ctl_roundtrip(s, &rq, sizeof(rq), &rep);
	verdict("the engine still answers afterwards", r > 0 && rep.result == 0);
	close(s);
	return failures ? 1 : 0;
}

static unsigned rnd_state = 2463534242u;

static unsigned rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* Random bytes, sometimes behind a valid magic and version to get deeper. */
static size_t random_join(uint8_t *b, size_t cap)
{
	size_t len = rnd() % cap;
	for (size_t i = 0; i < len; i++)
		b[i] = (uint8_t)rnd();
	if (len >= 8 && rnd() % 2) {
		uint32_t m = rnd() % 2 ? VDE_MAGIC : IPNJ_MAGIC, v = rnd() % 2 ? 3 : IPNJ_VERSION;
		memcpy(b, &m, 4);
		memcpy(b + 4, &v, 4);
	}
	return len;
}

static int fuzz(const char *path, const char *rundir, long n)
{
	uint8_t b[300];
	long closed = 0, answered = 0;
	for (long i = 0; i < n; i++) {
		size_t len = random_join(b, sizeof(b));
		int s = dial(path, "ctl", SOCK_STREAM);
		if (len && send(s, b, len, MSG_NOSIGNAL) < 0)
			perror("send");
		shutdown(s, SHUT_WR);
		closed += closed_within(s, 6000);
		close(s);
	}
	verdict("every random join request ended with the engine hanging up", closed == n);
	int c = dial(rundir, "engine.ctl", SOCK_SEQPACKET);
	for (long i = 0; i < n; i++) {
		struct ipnc_req rq;
		uint8_t *r = (uint8_t *)&rq;
		for (size_t k = 0; k < sizeof(rq); k++)
			r[k] = (uint8_t)rnd();
		rq.magic = IPNC_MAGIC;
		rq.version = IPNC_VERSION;
		rq.op = (uint16_t)(rnd() % (IPNC_OP_END + 2));
		if (rq.op == IPNC_SHUTDOWN || rq.op == IPNC_NET_DESTROY)
			rq.op = IPNC_HELLO; /* fuzz, but do not tear the test down */
		struct ipnc_rep rep;
		int got = ctl_roundtrip(c, &rq, sizeof(rq), &rep);
		if (got <= 0) {
			close(c);
			c = dial(rundir, "engine.ctl", SOCK_SEQPACKET);
			continue;
		}
		answered++;
	}
	close(c);
	printf("%ld of %ld random control requests answered\n", answered, n);
	verdict("random control requests are answered", answered > 0);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: ipn-robust handshakes|frames|churn|ringfuzz|ctlfuzz PATH [N]\n");
		return 2;
	}
	const char *cmd = argv[1], *path = argv[2];
	if (!strcmp(cmd, "handshakes"))
		return handshakes(path);
	if (!strcmp(cmd, "frames"))
		return frames(path);
	if (!strcmp(cmd, "churn") && argc > 3)
		return churn(path, atol(argv[3]));
	if (!strcmp(cmd, "ringfuzz"))
		return ringfuzz(path);
	if (!strcmp(cmd, "ctlfuzz"))
		return ctlfuzz(path);
	if (!strcmp(cmd, "fuzz") && argc > 4)
		return fuzz(path, argv[3], atol(argv[4]));
	fprintf(stderr, "ipn-robust: unknown command %s\n", cmd);
	return 2;
}
