/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How a benchmark process reaches the others: a libvdeplug connection (any
 * VDE switch: ours, vde_switch, vdeplug4's switch:// and hub://), a raw
 * AF_UNIX datagram socket (no switch at all: the floor), or libipn's native
 * member API (shared-memory rings, batches).
 */
#ifndef IPN_BENCH_TRANSPORT_H
#define IPN_BENCH_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define BATCH 64

struct tp;

struct tp_ops {
	/* Send n frames of `len` bytes from buf (all the same); returns sent. */
	int (*send)(struct tp *t, const uint8_t *buf, size_t len, int n);
	/* Receive up to max frames into bufs (stride `cap`) within timeout_ms;
	 * lens filled; returns how many (0 on timeout). */
	int (*recv)(struct tp *t, uint8_t *bufs, size_t cap, uint32_t *lens, int max, int timeout_ms);
	void (*close)(struct tp *t);
};

struct tp {
	const struct tp_ops *ops;
	void *h;
	int fd;
	/* unix: where to send (one or more peers) */
	int npeers;
	char peers[8][108];
};

/* kind: "vde" (target: a VDE URL), "native" (target: a network path) or
 * "unix" (target: this process' own socket path; peers added after).
 * Native members of a pure sender block when their ring is full. */
struct tp *tp_open(const char *kind, const char *target, int sender);
void tp_add_peer(struct tp *t, const char *path);

uint64_t now_ns(void);

#endif
