/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * How a native (libipn) member joins: on the network's PATH/ctl stream
 * socket, where VDE clients send their 0xfeedface request, a native client
 * sends struct ipnj_req. The reply carries, on success, four descriptors
 * (SCM_RIGHTS): the sealed memfd holding both rings, the eventfd that wakes
 * the engine, the eventfd that tells the member frames wait in its rx ring,
 * and the one that tells it its tx ring has room again (two, so a receiving
 * and a sending thread never steal each other's wakeups). The stream stays
 * open: closing it leaves the network.
 */
#ifndef IPN_JOIN_PROTO_H
#define IPN_JOIN_PROTO_H

#include <stdint.h>

#define IPNJ_MAGIC 0x4a4e5049u /* "IPNJ" */
#define IPNJ_VERSION 1

struct ipnj_req {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;     /* IPN_JOIN_RDONLY / IPN_JOIN_WRONLY */
	uint32_t reserved;
	char descr[64];
};

struct ipnj_rep {
	uint32_t magic;
	int32_t result;     /* 0 or -errno (-EACCES, -EBUSY, ...) */
	uint32_t port;
	uint32_t rights;    /* IPN_RIGHT_READ | IPN_RIGHT_WRITE */
	uint32_t mtu;
	uint32_t slots;     /* per ring, a power of two */
	uint32_t slot_size; /* bytes per slot, header included */
	uint32_t map_size;  /* bytes of the memfd */
	uint32_t rx_off;    /* engine -> member ring */
	uint32_t tx_off;    /* member -> engine ring */
	char error[96];
};

#endif
