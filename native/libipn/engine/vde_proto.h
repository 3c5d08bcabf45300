/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The vde_switch wire protocol as libvdeplug's vde:// plugin speaks it.
 *
 * A client connects a stream socket to PATH/ctl and sends one request:
 * magic 0xfeedface, version 3, a request type (0: any port; (N << 8): port
 * N; 1: port 0, taken here as any port), the sockaddr_un of the datagram
 * socket it bound, then up to 128 bytes of description (not NUL-terminated,
 * its length is whatever follows). The switch answers with the sockaddr_un
 * of a datagram socket of its own, connected to the client's; frames then
 * flow as datagrams between the two. Closing the stream leaves the switch.
 */
#ifndef IPN_VDE_PROTO_H
#define IPN_VDE_PROTO_H

#include <stdint.h>
#include <sys/un.h>

#define VDE_SWITCH_MAGIC 0xfeedfaceu
#define VDE_VERSION 3
#define VDE_REQ_NEW_CONTROL 0
#define VDE_REQ_NEW_PORT0 1
#define VDE_DESCR_MAX 128

struct vde_request_v3 {
	uint32_t magic;
	uint32_t version;
	uint32_t type;
	struct sockaddr_un sock;
	char description[VDE_DESCR_MAX];
} __attribute__((packed));

#define VDE_REQ_MIN (sizeof(struct vde_request_v3) - VDE_DESCR_MAX)

#endif
