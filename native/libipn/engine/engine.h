/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The engine's shared state: one epoll loop hosting many networks. Objects
 * closed while an epoll batch is being handled are only marked dead and freed
 * once the batch is done, so pending events never touch freed memory.
 */
#ifndef IPN_ENGINE_H
#define IPN_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "ipn.h"
#include "concast.h"
#include "policy.h"
#include "switch.h"

#define RX_BATCH 64      /* frames read per system call */
#define RX_BUDGET 256    /* frames read from one port before others get a turn */
#define TX_BATCH 64      /* frames written per system call */
#define HANDSHAKE_MS 5000
#define PENDING_MAX 128  /* joins in handshake per network; more are refused */

struct ev;
typedef void (*ev_fn)(struct ev *ev, uint32_t events);

/* Something in the epoll set. */
struct ev {
	ev_fn fn;
	int fd;
	uint32_t mask;
	bool dead;
};

/* A frame buffer; shared (refcounted) between the queues it is on. */
struct pkt {
	struct pkt *next; /* free list */
	uint32_t refs;
	uint32_t cap;     /* bytes in buf */
	uint32_t len;
	uint16_t off;     /* data = buf + off */
	uint16_t prio;    /* switch: PCP/DEI of the ingress tag, for re-tagging */
	uint8_t buf[];
};

struct pool {
	struct pkt *free;
	uint32_t nfree;
	uint32_t cap;     /* buffer size of new packets */
};

struct qent {
	struct pkt *p;
	uint16_t tag;     /* VID to insert on egress, 0: none */
};

struct port;
struct port_ops {
	/* Write queued frames; false when the port broke and must close. */
	bool (*flush)(struct port *p);
	/* Start or stop reading the port (lossless backpressure). */
	void (*set_rx)(struct port *p, bool on);
	/* Release kind-specific resources (fds, interface, mapping). */
	void (*close)(struct port *p);
	/* Native ports copy straight into the member's ring when they can. */
	bool (*direct)(struct port *p, struct pkt *k, uint16_t tag);
	/* Read what a departed member left; true once nothing is left. */
	bool (*drain)(struct port *p);
};

struct net;

struct port {
	struct ev ev;           /* data fd */
	struct ev ctl_ev;       /* VDE/native: the control stream (EOF = leave) */
	const struct port_ops *ops;
	struct net *net;
	uint32_t no;
	uint32_t kind;          /* IPN_PORT_* */
	uint32_t rights;        /* IPN_RIGHT_READ | IPN_RIGHT_WRITE */
	uint32_t join_flags;
	pid_t pid;
	uid_t uid;
	gid_t gid;
	gid_t *groups;
	int ngroups;
	char ifname[IPN_IFNAME_MAX];
	char descr[64];
	struct ipn_stats stats;

	/* egress queue: ring of qent, qcap a power of two */
	struct qent *q;
	uint32_t qhead, qtail, qcap;
	bool dirty;             /* on the engine's flush list */
	bool out_wait;          /* waiting to be writable */
	struct port *dirty_next;

	/* lossless: senders paused because this port's queue is full */
	bool paused;
	uint32_t *waiters;
	uint32_t nwaiters, waiters_cap;

	bool leaving;           /* the member left; its last frames are still read */
	bool busy;              /* native: more to read without a new kick */
	struct port *busy_next;
	void *priv;
};

struct net {
	struct net *next;
	struct ipn_net_config cfg;
	struct ipn_stats stats;
	struct ev ctl_ev;       /* PATH/ctl listener */
	int timer_fd;           /* concast timeouts */
	struct ev timer_ev;
	uint64_t timer_at;
	struct port **ports;    /* [0..cfg.max_ports] */
	uint32_t ports_len;
	uint32_t members;
	uint32_t attachments;
	uint32_t npending;      /* connections on PATH/ctl still in handshake */
	struct portset readers;
	struct pool pool;
	struct fwd_dst *fwd;    /* scratch for forwarding decisions */
	struct sw sw;
	struct concast cc;
	bool dead;
	bool had_member;        /* a non-persistent network goes with its last member */
};

/* A connection on PATH/ctl before its handshake completes. */
struct pending {
	struct ev ev;
	struct net *net;
	struct pending *next;
	uint64_t deadline;
	pid_t pid;
	uid_t uid;
	gid_t gid;
	gid_t *groups;
	int ngroups;
	uint32_t have;
	uint8_t buf[256];
};

struct engine {
	int epfd;
	char rundir[IPN_PATH_MAX];
	uid_t uid;
	struct ev ctl_ev;       /* RUNDIR/engine.ctl */
	struct ev tick_ev;      /* housekeeping timer, 1 s */
	struct net *nets;
	uint32_t nnets;
	uint32_t nclients;
	bool had_client;
	struct pending *pending;
	struct port *dirty;
	struct port *busy;
	void *deferred;         /* objects freed after the batch */
	uint64_t now;           /* ms, CLOCK_MONOTONIC, refreshed per loop turn */
	bool stop;
	bool idle_exit;         /* exit with no network and no control client */
};

extern struct engine E;

/* loop.c */
int loop_init(void);
int ev_add(struct ev *ev, int fd, uint32_t mask, ev_fn fn);
int ev_mod(struct ev *ev, uint32_t mask);
void ev_del(struct ev *ev);
void defer_free(void *obj, void (*fn)(void *));
uint64_t clock_ms(void);
void loop_run(void);

/* log.c */
int log_open(const char *path);
void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* pkt.c */
struct pkt *pkt_get(struct pool *pl);
void pkt_put(struct pool *pl, struct pkt *p);
void pool_set_cap(struct pool *pl, uint32_t cap);
void pool_drain(struct pool *pl);
static inline uint8_t *pkt_data(struct pkt *p)
{
	return p->buf + p->off;
}

/* stats.c */
void stat_drop(struct net *n, struct port *p, int reason);
void stat_rx(struct net *n, struct port *p, uint32_t len);
void stat_tx(struct net *n, struct port *p, uint32_t len);

/* port.c */
struct port *port_new(struct net *n, int32_t want, uint32_t kind, const struct port_ops *ops,
		      int *err);
void port_activate(struct port *p);
void port_close(struct port *p);
void port_leave(struct port *p);
bool port_enqueue(struct port *dst, struct port *src, struct pkt *k, uint16_t tag);
void port_mark_dirty(struct port *p);
void port_drained(struct port *p);
void port_flush_all(void);
static inline uint32_t port_qlen(const struct port *p)
{
	return p->qtail - p->qhead;
}
uint32_t port_rights(const struct net *n, uid_t uid, gid_t gid, const gid_t *groups, int ngroups);

/* deliver.c */
void deliver(struct port *in, struct pkt *k);
void concast_timer_arm(struct net *n);
void concast_expire(struct net *n);
void concast_flow_set(struct net *n, const struct ipn_flow *f, int *rc);

/* net.c */
struct net *net_find(const char *name);
int net_create(const struct ipn_net_config *cfg, const char **why);
int net_update(struct net *n, const struct ipn_net_config *cfg, const char **why);
void net_destroy(struct net *n);
void net_member_left(struct net *n);
uint32_t net_frame_max(const struct net *n);

/* dir.c: the network's directory on disk */
int dir_create(const struct ipn_net_config *cfg, int *ctl_fd, const char **why);
void dir_apply_access(const struct ipn_net_config *cfg);
void dir_remove(const struct ipn_net_config *cfg);
int dir_port_path(const struct net *n, uint32_t port, char *out, size_t cap);

/* vde_proto.c / native_port.c: handshakes on PATH/ctl */
void vde_accept(struct ev *ev, uint32_t events);
void pending_expire(void);
void pending_free(struct pending *pd);
int vde_port_open(struct pending *pd, const uint8_t *req, uint32_t len);
int native_port_open(struct pending *pd, const uint8_t *req, uint32_t len);
void native_poll_busy(void);
bool native_sleep_all(void);

/* tap.c / grab.c */
int tap_open(struct net *n, const char *ifname, int32_t port, const char **why);
int grab_open(struct net *n, const char *ifname, int32_t port, const char **why);

/* ctl.c / ctl_ops.c */
int ctl_listen(void);
void ctl_close_all(void);
struct ipnc_req;
struct ipnc_rep;
struct ctl_peer {
	pid_t pid;
	uid_t uid;
	gid_t gid;
	gid_t *groups;
	int ngroups;
};
int ctl_dispatch(const struct ctl_peer *who, const struct ipnc_req *rq, struct ipnc_rep *rp,
		 uint8_t *payload, uint32_t room, const char **why);

#endif
