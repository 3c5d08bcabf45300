/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * ipn: Inter Process Networking, the one ABI shared by the kernel module,
 * libipn (both backends) and the tests. Every number and struct that crosses
 * a boundary between them lives here and nowhere else.
 */
#ifndef _UAPI_LINUX_IPN_H
#define _UAPI_LINUX_IPN_H

#include <linux/types.h>
#include <linux/ioctl.h>

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
#define IPN_DROP_NOMEM 10     /* out of memory, or a table (MAC, flows) full */
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

/*
 * ======================================================================
 * The kernel module's user API: socket(AF_IPN, SOCK_RAW, policy).
 * Names and numbers of the original IPN API are kept where it had them;
 * everything marked "extension" is ours.
 * ======================================================================
 */

/* ---- address family ----
 * The module registers the family given by its `family` parameter and
 * publishes the number in IPN_FAMILY_PARAM; read it there at run time.
 * The default is AF_NETBEUI's old number, unused by Linux and without a
 * net-pf-N module alias (the original IPN borrowed it too). */
#define IPN_FAMILY_DEFAULT 13
#define IPN_FAMILY_PARAM "/sys/module/ipn/parameters/family"

/* socket protocol: an IPN_POLICY_* or IPN_ANY (connect: take the
 * network's policy; bind creating a network: IPN_SO_NETCONF's, else hub) */
#define IPN_ANY 0
#define IPN_BROADCAST IPN_POLICY_HUB
#define IPN_HUB IPN_POLICY_HUB
#define IPN_VDESWITCH IPN_POLICY_SWITCH

/* ---- limits and defaults of the module ---- */
#define IPN_DESCRLEN 128      /* IPN_SO_DESCR, NUL included */
#define IPN_OWNER_MAX 32      /* owner tag, NUL included */
#define IPN_PORTNO_ANY -1     /* IPN_SO_PORT: first free port */
#define IPN_FDB_MAX 4096      /* learned MAC addresses per switch */
#define IPN_FLOWS_MAX 4096    /* open flows per concast network */
#define IPN_REWRITE_MAX 256   /* rewrite rules per network namespace */
#define IPN_DEFAULT_PORTS 64
#define IPN_DEFAULT_MTU 1514
#define IPN_DEFAULT_QUEUE 64
#define IPN_DEFAULT_AGEING 300
#define IPN_DEFAULT_MODE 0770 /* creation mode, before the umask */

/* ---- socket option levels ----
 * SOL_IPN: core options (the original IPN used level 0). Options of a
 * policy use the policy's number as level (IPN_POLICY_SWITCH,
 * IPN_POLICY_CONCAST); level 1 is SOL_SOCKET and stays the kernel's. */
#define SOL_IPN 0

/* ---- core options (level SOL_IPN) ---- */
#define IPN_SO_PREBIND 0x80          /* bit: settable only before bind */
#define IPN_SO_PORT 0                /* int: port to connect at / connected port */
#define IPN_SO_DESCR 1               /* char[IPN_DESCRLEN]: this member's description */
#define IPN_SO_CHANGE_NUMNODES 2     /* int, bound: resize the network's ports */
#define IPN_SO_HANDLE_OOB 3          /* int: receive out-of-band messages */
#define IPN_SO_WANT_OOB_NUMNODES 4   /* int: membership notifications (needs HANDLE_OOB) */
#define IPN_SO_MTU (IPN_SO_PREBIND | 0)         /* int */
#define IPN_SO_NUMNODES (IPN_SO_PREBIND | 1)    /* int: max ports */
#define IPN_SO_MSGPOOLSIZE (IPN_SO_PREBIND | 2) /* int: per-port queue depth */
#define IPN_SO_FLAGS (IPN_SO_PREBIND | 3)       /* int: IPN_NET_* */
#define IPN_SO_MODE (IPN_SO_PREBIND | 4)        /* int: creation mode */
/* extensions */
#define IPN_SO_NETCONF 0x20   /* struct ipn_netconf: before bind: creation settings;
                               * bound: update the mutable ones; get: current */
#define IPN_SO_NETINFO 0x21   /* get, bound or connected: struct ipn_netent */
#define IPN_SO_NETLIST 0x22   /* get, any socket: struct ipn_list + ipn_netent[] */
#define IPN_SO_PORTLIST 0x23  /* get, bound or connected: ipn_list + ipn_portent[] */
#define IPN_SO_DESTROY 0x24   /* set, bound: terminate the network now */
#define IPN_SO_OBJECTS 0x25   /* get, any socket: struct ipn_objects */
#define IPN_SO_RECHECK 0x26   /* set, bound: members' rights follow the node's current
                               * owner, group and mode (none left: disconnected) */
#define IPN_SO_RIGHTS 0x27    /* get, connected: int, this member's IPN_RIGHT_* now */
#define IPN_SO_DETACH 0x28    /* set, bound: int port: remove the tap or grab there,
                               * whatever namespace it is in (CAP_NET_ADMIN) */
#define IPN_SO_ATTACH 0x29    /* int, before bind: bind attaches to an existing network,
                               * never creates one: IPN_ATTACH_MANAGE (x right), or
                               * IPN_ATTACH_READ (any right; the socket only reads) */
#define IPN_ATTACH_MANAGE 1
#define IPN_ATTACH_READ 2
#define IPN_SO_REWRITE_ADD 0x30  /* set: struct ipn_rewrite (CAP_NET_ADMIN) */
#define IPN_SO_REWRITE_DEL 0x31  /* set: rule name, NUL-terminated */
#define IPN_SO_REWRITE_LIST 0x32 /* get: ipn_list + ipn_rewrite[] */

/* IPN_SO_FLAGS and ipn_netconf.flags: IPN_NET_LOSSLESS, IPN_NET_PERSISTENT, */
#define IPN_FLAG_LOSSLESS IPN_NET_LOSSLESS
#define IPN_NET_EXCL 0x4           /* bind fails with EEXIST when the network exists
                                    * (IPN_FLAG_EXCL was 2 in the original) */
#define IPN_NET_LINGER 0x8         /* extension: with nothing attached the network waits
                                    * for members; it ends when one has joined and the
                                    * last port leaves (CAP_NET_ADMIN, like persistence) */
#define IPN_FLAG_TERMINATED 0x1000 /* read only: the network was destroyed */

/* ---- switch options (level IPN_POLICY_SWITCH) ---- */
#define IPN_SWITCH_SO_VLAN 1      /* struct ipn_port_vlan; get: .port on input */
#define IPN_SWITCH_SO_FDB 2       /* get: ipn_list + ipn_fdbent[] */
#define IPN_SWITCH_SO_FDB_FLUSH 3 /* set, bound: int port, -1: all */

struct ipn_fdbent {
	__u8 mac[6];
	__u16 vlan;
	__u32 port;
	__u32 age_ms;
};

/* ---- concast options (level IPN_POLICY_CONCAST) ---- */
#define IPN_CONCAST_SO_SPEC 1  /* get: struct ipn_concast_spec */
#define IPN_CONCAST_SO_FLOWS 2 /* get: ipn_list + ipn_flow[] */
#define IPN_CONCAST_SO_FLOW 3  /* get: struct ipn_flow, .key on input;
                                * set, bound: IPN_FLOW_OPEN in .flags creates or
                                * updates the flow, without it deletes it */

/* ---- settings of a network (IPN_SO_NETCONF) ---- */
struct ipn_netconf {
	__u32 policy;    /* IPN_POLICY_*; fixed at creation */
	__u32 max_ports; /* ports are numbered 1..max_ports */
	__u32 mtu;       /* largest message, bytes */
	__u32 queue;     /* per-port queue depth, messages */
	__u32 flags;     /* IPN_NET_* (IPN_FLAG_TERMINATED read only) */
	__u32 mode;      /* creation mode (umask applies); get: the node's mode */
	__u32 ageing_s;  /* switch: seconds a learned address lives */
	__u32 uid, gid;  /* read only: the node's owner */
	__u32 reserved[3];
	struct ipn_concast_spec concast; /* concast; fixed at creation */
	char name[IPN_NAME_MAX];    /* unique when not empty */
	char owner[IPN_OWNER_MAX];  /* owner tag: who manages it */
};

/* A listing (getsockopt): the header, then entries of entsize bytes. */
struct ipn_list {
	__u32 total;   /* entries that exist */
	__u32 count;   /* entries written after the header */
	__u32 entsize; /* size of one entry */
	__u32 start;   /* input: entries to skip (paging) */
};

/* One network (IPN_SO_NETINFO, IPN_SO_NETLIST, /proc/net/ipn). */
struct ipn_netent {
	struct ipn_netconf conf;
	char path[IPN_PATH_MAX]; /* the node, as seen by the caller (truncated) */
	__u32 members;     /* connected sockets */
	__u32 attachments; /* taps and grabs */
	__u32 readers, writers;
	__u32 bound;       /* bound (managing) sockets */
	__u32 flows;       /* concast: open flows */
	__u32 reserved[3];
	struct ipn_stats stats;
};

#define IPN_PORTKIND_SOCKET 2 /* a member socket */
#define IPN_PORTKIND_TAP 3
#define IPN_PORTKIND_GRAB 4
#define IPN_PORTF_PERSIST 0x1 /* tap or grab that outlives its socket */
#define IPN_PORTF_OOB 0x2     /* wants membership notifications */

/* One port (IPN_SO_PORTLIST). */
struct ipn_portent {
	__u32 port;
	__u32 kind;   /* IPN_PORTKIND_* */
	__u32 rights; /* IPN_RIGHT_READ | IPN_RIGHT_WRITE in effect */
	__s32 pid;    /* process that joined, in the caller's pid namespace; 0: none */
	__u32 uid, gid;
	__u32 flags;  /* IPN_PORTF_* */
	__u32 queued; /* messages waiting to be read */
	char ifname[IPN_IFNAME_MAX];
	char descr[IPN_DESCRLEN];
	struct ipn_stats stats; /* rx: sent by this port; tx: delivered to it */
};

/* Live objects of the module (IPN_SO_OBJECTS): leak checks. */
struct ipn_objects {
	__u64 nets, ports, fdb, flows, rewrites, reserved[3];
};

/* ---- out-of-band membership notification (recvmsg flags MSG_OOB) ---- */
#define IPN_OOB_NUMNODE_TAG 0
struct ipn_oob_numnodes {
	__s32 level;      /* IPN_ANY */
	__s32 tag;        /* IPN_OOB_NUMNODE_TAG */
	__s32 numreaders;
	__s32 numwriters;
};

/* ---- ioctls (original numbers; the argument is a struct ifreq, except
 * IPN_SETPERSIST which takes an int by value) ---- */
#define IPN_NODEFLAG_TAP 0x10  /* ifr_flags of IPN_CONN_NETDEV */
#define IPN_NODEFLAG_GRAB 0x20
#define IPN_CHECK _IOW('I', 199, int)             /* returns IPN_CHECK */
#define IPN_SETPERSIST_NETDEV _IOW('I', 200, int) /* tap/grab ifr_name outlives its socket */
#define IPN_CLRPERSIST_NETDEV _IOW('I', 201, int) /* ... no longer; unowned: removed now */
#define IPN_CONN_NETDEV _IOW('I', 202, int)       /* bound socket: create tap / grab
                                                   * ifr_name at IPN_SO_PORT */
#define IPN_JOIN_NETDEV _IOW('I', 203, int)       /* bound socket: own tap/grab ifr_name */
#define IPN_SETPERSIST _IOW('I', 204, int)        /* this socket's tap/grab: persist = arg */

/* ---- multicast-to-unicast rewrite (IPN_SO_REWRITE_*), per network namespace ---- */
#define IPN_REWRITE_PORTS 8
struct ipn_rewrite {
	char name[IPN_NAME_MAX];
	char in_ifname[IPN_IFNAME_MAX];  /* where the multicast arrives */
	char out_ifname[IPN_IFNAME_MAX]; /* whose MAC and IPv4 address it gets */
	__be32 group;   /* multicast range group/prefix */
	__u8 prefix;    /* 4..32 */
	__u8 nports;    /* ranges used in ports[]; 0: every port */
	__u16 reserved;
	__be32 addr;    /* new destination; 0: primary IPv4 address of out_ifname */
	struct { __u16 from, to; } ports[IPN_REWRITE_PORTS]; /* UDP dst, host order */
	__u32 reserved2;
	__u64 packets, bytes; /* read only */
};

#endif /* _UAPI_LINUX_IPN_H */
