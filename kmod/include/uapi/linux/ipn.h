/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * ipn: Inter Process Networking, the one ABI shared by the kernel module,
 * libipn (both backends) and the tests. Every number and struct that crosses
 * a boundary between them lives here and nowhere else.
 */
#ifndef _UAPI_LINUX_IPN_H
#define _UAPI_LINUX_IPN_H

#include <linux/types.h>

/* ---- delivery policies: socket(AF_IPN, SOCK_RAW, policy) ---- */
#define IPN_POLICY_HUB 1     /* IPN_BROADCAST in the original IPN */
#define IPN_POLICY_SWITCH 2  /* learning Ethernet switch, VLAN-aware */
#define IPN_POLICY_CONCAST 3 /* many-to-one merge */
#define IPN_POLICY_MAX 3

/* ---- network flags ---- */
#define IPN_NET_LOSSLESS 0x1   /* hold senders back instead of dropping */
#define IPN_NET_PERSISTENT 0x2 /* survive the last member leaving */

/* ---- limits ---- */
#define IPN_MTU_MIN 64
#define IPN_MTU_MAX 9216
#define IPN_PORTS_MAX 65535
#define IPN_QUEUE_MAX 65536
#define IPN_VLAN_MAX 4094
#define IPN_NAME_MAX 64  /* network names, NUL included */
#define IPN_PATH_MAX 108 /* sizeof(sockaddr_un.sun_path) */
#define IPN_IFNAME_MAX 16

/* ---- access rights, as the mode bits of the network's inode ---- */
#define IPN_RIGHT_READ 4  /* may receive */
#define IPN_RIGHT_WRITE 2 /* may send */
#define IPN_RIGHT_EXEC 1  /* may manage */

/* ---- concast: fields, merge functions, output ---- */
#define IPN_FIELD_U8 1
#define IPN_FIELD_U16 2
#define IPN_FIELD_U32 3
#define IPN_FIELD_U64 4
#define IPN_FIELD_LE 0x80 /* or-ed into a field type: little-endian */

#define IPN_MERGE_COUNT 1
#define IPN_MERGE_SUM 2
#define IPN_MERGE_MIN 3
#define IPN_MERGE_MAX 4
#define IPN_MERGE_FIRST 5
#define IPN_MERGE_LAST 6
#define IPN_MERGE_DEDUP 7

#define IPN_CONCAST_OUT_MESSAGE 1 /* first message, merged value written back */
#define IPN_CONCAST_OUT_SUMMARY 2 /* struct ipn_concast_summary */

/* How a concast network merges; all offsets in bytes from message start. */
struct ipn_concast_spec {
	__u16 key_type;      /* IPN_FIELD_* (| IPN_FIELD_LE) */
	__u16 key_offset;
	__u16 merge_fn;      /* IPN_MERGE_* */
	__u16 value_type;    /* IPN_FIELD_*; 0 when merge_fn needs no field */
	__u16 value_offset;
	__u16 output;        /* IPN_CONCAST_OUT_* */
	__u32 done_count;    /* flow done after this many messages; 0: no count */
	__u32 done_timeout_ms; /* flow done this long after its first; 0: none */
	__s32 receiver_port; /* port receiving merged messages; -1: every reader */
	__u32 reserved[2];
};

/* Per-key flow state of a concast network, readable and settable. */
struct ipn_flow {
	__u64 key;
	__u64 value;      /* merged value so far */
	__u32 count;      /* messages merged so far */
	__u32 expect;     /* done after this many for this key; 0: network default */
	__u64 age_ms;     /* since the flow's first message (read only) */
	__u32 flags;      /* IPN_FLOW_* */
	__u32 reserved;
};
#define IPN_FLOW_OPEN 0x1

/* What the receiver gets with IPN_CONCAST_OUT_SUMMARY (network byte order). */
struct ipn_concast_summary {
	__be64 key;
	__be64 value;
	__be32 count;
	__be32 reserved;
};

/* ---- counters ---- */
#define IPN_DROP_QUEUE_FULL 0 /* receiver's queue full (lossy) */
#define IPN_DROP_TOO_BIG 1    /* larger than the MTU */
#define IPN_DROP_TOO_SMALL 2  /* shorter than the policy needs */
#define IPN_DROP_NO_WRITE 3   /* sender lacks the w right or shut it */
#define IPN_DROP_VLAN 4       /* tag not allowed on the ingress port */
#define IPN_DROP_MALFORMED 5  /* bad framing or handshake */
#define IPN_DROP_NO_ROUTE 6   /* nobody to deliver to */
#define IPN_DROP_CONCAST 7    /* concast: key/value field outside the message */
#define IPN_DROP_REFUSED 8    /* connections refused (no rights, no free port) */
#define IPN_DROP_FLOWS 9      /* concast: too many open flows */
#define IPN_DROP_MAX 16

struct ipn_stats {
	__u64 rx_frames;  /* frames received from members */
	__u64 rx_bytes;
	__u64 tx_frames;  /* frames delivered to members */
	__u64 tx_bytes;
	__u64 drops[IPN_DROP_MAX];
};

/* ---- switch VLAN configuration of one port ---- */
struct ipn_port_vlan {
	__u32 port;
	__u16 pvid;          /* untagged VLAN; 0: none (tagged only) */
	__u16 reserved;
	__u8 trunk[512];     /* bitmap of tagged VLANs, bit v = VLAN v */
};

#endif /* _UAPI_LINUX_IPN_H */
