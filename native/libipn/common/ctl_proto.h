/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The control protocol between libipn and ipn-engine: fixed structs over a
 * SOCK_SEQPACKET socket at RUNDIR/engine.ctl. One request, one reply. The
 * engine rejects any request whose length, magic, version, op or strings
 * are not exactly right, and never blocks on a client.
 *
 * The first exchange on a connection is IPNC_HELLO; a version mismatch is
 * answered with -EPROTONOSUPPORT and the engine's version in `total`.
 */
#ifndef IPN_CTL_PROTO_H
#define IPN_CTL_PROTO_H

#include <stdint.h>
#include "ipn.h"

#define IPNC_MAGIC 0x434e5049u /* "IPNC" */
#define IPNC_VERSION 1
#define IPNC_MSG_MAX 65536     /* largest reply */
#define IPNC_ERR_MAX 160

enum ipnc_op {
	IPNC_HELLO = 1,
	IPNC_NET_CREATE,
	IPNC_NET_UPDATE,
	IPNC_NET_DESTROY,
	IPNC_NET_LIST,   /* items: struct ipn_net_info, from `offset` */
	IPNC_NET_GET,
	IPNC_VLAN_SET,
	IPNC_VLAN_GET,
	IPNC_PORT_LIST,  /* items: struct ipn_port_info, from `offset` */
	IPNC_TAP_ADD,
	IPNC_GRAB_ADD,
	IPNC_ATTACH_DEL,
	IPNC_FLOW_LIST,  /* items: struct ipn_flow, from `offset` */
	IPNC_FLOW_GET,
	IPNC_FLOW_SET,
	IPNC_SHUTDOWN,
	IPNC_OP_END
};

struct ipnc_req {
	uint32_t magic;
	uint16_t version;
	uint16_t op;
	uint32_t seq;
	uint32_t offset;  /* lists: first item wanted */
	int32_t port;     /* vlan_get, tap/grab add */
	uint32_t reserved;
	uint64_t key;     /* flow_get */
	char net[IPN_NAME_MAX];
	char ifname[IPN_IFNAME_MAX];
	union {
		struct ipn_net_config cfg;
		struct ipn_port_vlan vlan;
		struct ipn_flow flow;
		uint8_t raw[528];
	} u;
};

struct ipnc_rep {
	uint32_t magic;
	uint16_t version;
	uint16_t op;
	uint32_t seq;
	int32_t result;   /* >= 0 or -errno */
	uint32_t total;   /* lists: items that exist */
	uint32_t count;   /* items following this header */
	char error[IPNC_ERR_MAX]; /* why it failed, for people */
	/* `count` items follow */
};

#endif
