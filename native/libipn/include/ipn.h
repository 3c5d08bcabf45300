/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libipn: the one C ABI over both ipn backends (kernel module, user engine).
 *
 * Flat on purpose, so that Deno.dlopen can call it: plain integers, pointers,
 * fixed-layout structs in caller-owned buffers, no implicit padding. Every
 * function returning int returns >= 0 on success and a negative errno on
 * failure (ipn_strerror() turns it into text; ipn_last_error() gives the
 * engine's explanation of the last failed control call). Structs that may
 * grow start with a `size` field the caller sets to sizeof(struct).
 *
 * Numbers and structs shared with the kernel module come from <linux/ipn.h>
 * (kmod/include/uapi/linux/ipn.h).
 *
 * Thread safety: a context serialises its own calls; members are not
 * thread-safe (one sender thread and one receiver thread per member is fine).
 */
#ifndef IPN_H
#define IPN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/ipn.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IPN_ABI_VERSION 1

/* ---- library and context ---- */

#define IPN_BACKEND_AUTO 0   /* kernel when the module is loaded, else user */
#define IPN_BACKEND_USER 1   /* the ipn-engine process */
#define IPN_BACKEND_KERNEL 2 /* AF_IPN sockets of kmod/ipn.ko */

typedef struct ipn_ctx ipn_ctx;

int ipn_abi_version(void);
/* Text for a negative (or positive) errno; static storage. */
const char *ipn_strerror(int err);

/*
 * Open a control context. `rundir` holds the engine's control socket
 * RUNDIR/engine.ctl, its pid file and log (user backend; NULL: /run/ipn).
 * The user backend starts the engine (the ipn-engine binary installed next
 * to the library: ../bin/ipn-engine, or $IPN_ENGINE) when none runs there;
 * the engine is a daemon and outlives the caller.
 */
int ipn_open(uint32_t backend, const char *rundir, ipn_ctx **out);
int ipn_close(ipn_ctx *ctx);
/* IPN_BACKEND_USER or IPN_BACKEND_KERNEL: what `auto` chose. */
int ipn_ctx_backend(ipn_ctx *ctx);
/*
 * Copy the explanation of the last failed call on `ctx` (e.g. "mtu must be
 * within 64..9216") into buf, NUL-terminated; returns its length, 0 when
 * there is none. With ctx NULL: why the last ipn_open() failed.
 */
int ipn_last_error(ipn_ctx *ctx, char *buf, uint32_t cap);
/*
 * Stop the engine cleanly: every network is destroyed (taps deleted, grabbed
 * interfaces released, paths removed) and the process exits. Needs root or
 * the engine's own uid. The context stays usable only for ipn_close().
 */
int ipn_shutdown(ipn_ctx *ctx);

/* ---- networks ---- */

struct ipn_net_config {
	uint32_t size;       /* sizeof(struct ipn_net_config) */
	uint32_t policy;     /* IPN_POLICY_* */
	uint32_t max_ports;  /* 1..IPN_PORTS_MAX; ports are numbered 1..max_ports */
	uint32_t mtu;        /* largest frame, IPN_MTU_MIN..IPN_MTU_MAX */
	uint32_t queue;      /* per-port queue depth, messages */
	uint32_t flags;      /* IPN_NET_* */
	uint32_t uid, gid, mode; /* access: owner, group, permission bits 0..0777 */
	uint32_t ageing_s;   /* switch: MAC table ageing; 0: 300 */
	struct ipn_concast_spec concast; /* concast only */
	char name[IPN_NAME_MAX];  /* [A-Za-z0-9_.-]+ */
	char path[IPN_PATH_MAX];  /* absolute; a directory the engine creates */
	char owner[32];      /* owner tag: who created it ("ipnd"); never touch others' */
};

struct ipn_net_info {
	struct ipn_net_config cfg;
	uint32_t members;     /* connected ports (any kind) */
	uint32_t attachments; /* taps, grabs */
	uint32_t flows;       /* concast: open flows */
	uint32_t reserved[2];
	struct ipn_stats stats;
};

/* Needs root (or the engine's uid). */
int ipn_net_create(ipn_ctx *ctx, const struct ipn_net_config *cfg);
/*
 * Change mutable settings (max_ports, mtu, queue, flags, access, ageing,
 * owner tag) of the network `cfg->name`. `path` ("" or equal), `policy` (0 or
 * equal) and the concast spec cannot change. An access change re-evaluates
 * connected members: those left without rights are disconnected.
 */
int ipn_net_update(ipn_ctx *ctx, const struct ipn_net_config *cfg);
int ipn_net_destroy(ipn_ctx *ctx, const char *name);
/* Fill up to `max`; return how many exist (call again with more room). */
int ipn_net_list(ipn_ctx *ctx, struct ipn_net_info *out, uint32_t max);
int ipn_net_get(ipn_ctx *ctx, const char *name, struct ipn_net_info *out);

/*
 * Switch VLAN membership of one port (1..max_ports), connected or not: it
 * applies to whatever joins at that port. Default: pvid 1, no trunk.
 */
int ipn_vlan_set(ipn_ctx *ctx, const char *net, const struct ipn_port_vlan *v);
int ipn_vlan_get(ipn_ctx *ctx, const char *net, uint32_t port, struct ipn_port_vlan *out);

/* ---- ports (members) ---- */

#define IPN_PORT_VDE 1    /* a libvdeplug client (vde_plug, qemu, ...) */
#define IPN_PORT_NATIVE 2 /* a libipn client (ipn_join) */
#define IPN_PORT_TAP 3
#define IPN_PORT_GRAB 4

struct ipn_port_info {
	uint32_t port;
	uint32_t kind;    /* IPN_PORT_* */
	uint32_t rights;  /* IPN_RIGHT_* granted at join */
	int32_t pid;
	uint32_t uid, gid;
	char ifname[IPN_IFNAME_MAX]; /* taps and grabs */
	char descr[64];
	struct ipn_stats stats; /* rx: from this port; tx: to this port */
};

/* Fill up to `max`; return how many exist. */
int ipn_port_list(ipn_ctx *ctx, const char *net, struct ipn_port_info *out, uint32_t max);

/* ---- attachments: taps and grabs ---- */

/*
 * Create tap `ifname` on the network at `port` (-1: first free); returns the
 * port. The tap lives in the engine's network namespace (kernel backend: the
 * caller's) and may be moved.
 */
int ipn_tap_add(ipn_ctx *ctx, const char *net, const char *ifname, int32_t port);
/* Attach the existing interface `ifname` (promiscuous) at `port`; returns it. */
int ipn_grab_add(ipn_ctx *ctx, const char *net, const char *ifname, int32_t port);
/* Detach; a tap is deleted, a grabbed interface is released (promiscuity restored). */
int ipn_attach_del(ipn_ctx *ctx, const char *net, const char *ifname);

/* ---- concast flow state ---- */

/* Fill up to `max`; return how many flows are open. */
int ipn_flow_list(ipn_ctx *ctx, const char *net, struct ipn_flow *out, uint32_t max);
int ipn_flow_get(ipn_ctx *ctx, const char *net, uint64_t key, struct ipn_flow *out);
/*
 * Set key's value, count and expect (creating the flow when needed); with
 * IPN_FLOW_OPEN clear in `flags`, close the flow without output.
 */
int ipn_flow_set(ipn_ctx *ctx, const char *net, const struct ipn_flow *flow);

/* ---- interfaces (rtnetlink, caller's namespace), for taps' settings and observation ---- */

struct ipn_if_info {
	int32_t index;
	uint32_t flags; /* IFF_* */
	uint32_t mtu;
	uint8_t mac[6];
	uint8_t reserved[2];
	char kind[16];  /* "tun", "veth", "vxlan", ... ("" for none) */
};

int ipn_if_info(const char *ifname, struct ipn_if_info *out);
int ipn_if_set(const char *ifname, int32_t up, int32_t mtu); /* -1: leave as is */
int ipn_if_addr_add(const char *ifname, const char *cidr);
int ipn_if_addr_del(const char *ifname, const char *cidr);
/*
 * Addresses as "a.b.c.d/n" or "x::y/n", one per line, NUL-terminated; returns
 * the length, -ENOSPC when cap is too small.
 */
int ipn_if_addrs(const char *ifname, char *buf, uint32_t cap);

/* ---- the client API: join a network as a member ---- */

typedef struct ipn_member ipn_member;

#define IPN_JOIN_RDONLY 0x1   /* shut the send half */
#define IPN_JOIN_WRONLY 0x2   /* shut the receive half */
#define IPN_JOIN_NONBLOCK 0x4 /* send/recv return -EAGAIN instead of waiting */

/*
 * Join the network at `path` (its directory). Frames travel through shared
 * memory rings; a system call happens only when a side goes to sleep.
 * On the kernel backend `path` is the network's socket node and a member is
 * an AF_IPN socket (one system call per frame, or per batch).
 * Refusals: -EACCES (no r nor w right), -EBUSY (no free port).
 */
int ipn_join(const char *path, uint32_t flags, ipn_member **out);
/*
 * Readable once frames wait or send space frees up, but only after a
 * receive or send returned -EAGAIN (that is when the member announces sleep).
 */
int ipn_member_fd(ipn_member *m);
int ipn_member_port(ipn_member *m);
/* IPN_RIGHT_READ | IPN_RIGHT_WRITE as granted (and not shut by flags). */
int ipn_member_rights(ipn_member *m);
/* Largest frame the network takes. */
int ipn_member_mtu(ipn_member *m);
ssize_t ipn_send(ipn_member *m, const void *buf, size_t len);
ssize_t ipn_recv(ipn_member *m, void *buf, size_t cap);
/*
 * Batches: `n` frames packed back to back in `buf`, lengths in `lens`.
 * send_batch returns how many were queued (all of them unless NONBLOCK);
 * recv_batch fills at most `max` frames that fit in `cap` and returns how
 * many (waits for at least one unless NONBLOCK).
 */
int ipn_send_batch(ipn_member *m, const void *buf, const uint32_t *lens, uint32_t n);
int ipn_recv_batch(ipn_member *m, void *buf, size_t cap, uint32_t *lens, uint32_t max);
/*
 * Make send/recv calls waiting on another thread return -ECANCELED, now and
 * from then on (call before ipn_leave() when another thread may be waiting).
 */
int ipn_member_interrupt(ipn_member *m);
/* Leave the network; no call on `m` may be in progress. */
int ipn_leave(ipn_member *m);

/* ---- policies: rewrite (nftables), bind, endpoint ---- */

/* Validate only (like `nft --check`): the kernel checks, nothing changes. */
#define IPN_NFT_CHECK 0x1

/*
 * Run an nftables script (the `nft -f` language) as ONE transaction: either
 * every command takes effect or none does. nft's messages go to `err`.
 */
int ipn_nft_apply(const char *script, uint32_t flags, char *err, uint32_t errcap);
/*
 * `nft list table FAMILY TABLE` into `buf`. Returns the length of the whole
 * listing (without NUL; call again with more room when >= cap), -ENOENT when
 * the table does not exist.
 */
int ipn_nft_list(const char *family, const char *table, char *buf, uint32_t cap);

/* What a rewrite needs to know about an interface. */
struct ipn_policy_if {
	uint32_t size;      /* sizeof(struct ipn_policy_if) */
	int32_t index;
	uint32_t hwtype;    /* ARPHRD_*: 1 is Ethernet */
	uint32_t flags;     /* IFF_* */
	uint8_t mac[8];
	uint32_t mac_len;   /* 0: no link-layer address (tun, ...) */
	char ipv4[16];      /* primary IPv4 address, "" when none */
};

/* -ENODEV when the interface does not exist (in the caller's namespace). */
int ipn_policy_if_probe(const char *ifname, struct ipn_policy_if *out);

/*
 * Check bind policy text (the form libipn_bind.so reads from IPN_BIND_POLICY).
 * 0, or -EINVAL with "line N: why" in `err`.
 */
int ipn_bind_policy_check(const char *text, char *err, uint32_t errcap);

#define IPN_EP_INET 1
#define IPN_EP_INET6 2
#define IPN_EP_IPN 3

struct ipn_endpoint_result {
	uint32_t size;      /* sizeof(struct ipn_endpoint_result) */
	int32_t index;      /* entry that served (0-based); -1 when none did */
	uint32_t family;    /* IPN_EP_* of that entry */
	int32_t error;      /* the last failure, negative errno */
	char detail[512];   /* one line per entry that failed, and why */
};

/*
 * Connect to the first entry that works, in order. `addrs` holds one entry
 * per line: "inet ADDR PORT", "inet6 ADDR PORT" or "ipn PATH" (a network:
 * its control socket PATH/ctl, or PATH itself when it is a socket). Each
 * entry gets `timeout_ms` (0: 3000). Returns a connected, blocking,
 * close-on-exec stream fd, or -errno of the last failure.
 */
int ipn_endpoint_connect(const char *addrs, uint32_t timeout_ms, struct ipn_endpoint_result *res);
/*
 * Resolve `name` from RUNDIR/endpoints.json (NULL rundir: /run/ipn) into
 * `buf` in ipn_endpoint_connect's form. Returns the length needed (without
 * NUL), -ENOENT for an unknown name or missing table, -EBADMSG when the
 * table is malformed.
 */
int ipn_endpoint_lookup(const char *rundir, const char *name, char *buf, uint32_t cap);

#ifdef __cplusplus
}
#endif
#endif /* IPN_H */
