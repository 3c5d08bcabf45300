/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ipn: objects shared by the module's files.
 *
 * Locking, outermost first:
 *   lock_sock          one socket's state; filesystem work (bind, connect)
 *                      happens under it, never under ipn_mutex
 *   ipn_create_mutex   a network's node being made (af_ipn.c)
 *   rtnl_lock          taps and grabs (netdev registration, rx handlers)
 *   ipn_mutex          every control-plane change: the network table,
 *                      network refs, port attach/detach, socket state
 *   ipn_net.lock       (spin, BH) the data path of one network: its port
 *                      table, policy state, counters
 *   socket queue locks
 * The data path never sleeps and never takes ipn_mutex. Deliveries to net
 * devices are collected under ipn_net.lock and handed to the stack after
 * it is dropped, inside one RCU read section.
 */
#ifndef IPN_CORE_H
#define IPN_CORE_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/path.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/netdevice.h>
#include <linux/sockptr.h>
#include <linux/xarray.h>
#include <net/sock.h>
#include <linux/ipn.h>

extern int ipn_family;
extern struct mutex ipn_mutex;

struct ipn_net;
struct ipn_port;
struct ipn_sock;

/* ---- live object counters (IPN_SO_OBJECTS) ---- */
enum ipn_obj { IPN_OBJ_NET, IPN_OBJ_PORT, IPN_OBJ_FDB, IPN_OBJ_FLOW, IPN_OBJ_REWRITE, IPN_OBJ_MAX };
extern atomic64_t ipn_objects[IPN_OBJ_MAX];
static inline void ipn_obj_inc(enum ipn_obj o) { atomic64_inc(&ipn_objects[o]); }
static inline void ipn_obj_dec(enum ipn_obj o) { atomic64_dec(&ipn_objects[o]); }

/* ---- a route: where one message goes (filled under ipn_net.lock) ---- */
struct ipn_route {
	struct ipn_port **dest; /* ipn_net.dest */
	u8 *variant;            /* per destination: 0 the message, 1 alt */
	unsigned int n;
	struct sk_buff *alt;    /* a second form of the message (switch: re-tagged) */
};

/* ---- a delivery policy ---- */
struct ipn_policy {
	u32 id;
	const char *name;
	int (*init)(struct ipn_net *net);   /* ipn_mutex held */
	void (*fini)(struct ipn_net *net);  /* ipn_mutex held, no ports left */
	void (*resize)(struct ipn_net *net, u32 max_ports); /* ipn_mutex held */
	/* ipn_net.lock held: a port left; forget what is known about it */
	void (*port_gone)(struct ipn_net *net, struct ipn_port *port);
	/*
	 * ipn_net.lock held. Fill r with the destinations of skb (sent by
	 * from) without side effects other than learning. Return 0, or
	 * -(IPN_DROP_* + 1) to drop it.
	 */
	int (*route)(struct ipn_net *net, struct ipn_port *from, struct sk_buff *skb,
		     struct ipn_route *r);
	/*
	 * Optional, ipn_net.lock held, after route() and the lossless check:
	 * account skb and return what to deliver to r's destinations now
	 * (NULL: nothing; skb itself, or a new skb the caller frees).
	 */
	struct sk_buff *(*commit)(struct ipn_net *net, struct ipn_port *from,
				  struct sk_buff *skb, struct ipn_route *r);
	/* Options at level == id; ipn_mutex held, is attached to net. */
	int (*setsockopt)(struct ipn_net *net, struct ipn_sock *is, int optname,
			  sockptr_t optval, unsigned int optlen);
	int (*getsockopt)(struct ipn_net *net, struct ipn_sock *is, int optname,
			  char __user *optval, int __user *optlen);
	/* Optional: open concast flows, for the listings. ipn_mutex held. */
	u32 (*nflows)(struct ipn_net *net);
};

extern const struct ipn_policy ipn_policy_hub;
extern const struct ipn_policy ipn_policy_switch;
extern const struct ipn_policy ipn_policy_concast;
const struct ipn_policy *ipn_policy_get(u32 id);

/* ---- a network ---- */
struct ipn_net {
	struct list_head node;       /* ipn_nets */
	int refs;                    /* bound sockets + ports + persistence */
	struct path path;            /* its filesystem node */
	const struct ipn_policy *policy;
	void *priv;                  /* the policy's state */
	spinlock_t lock;
	struct ipn_netconf conf;     /* settings (mode/uid/gid come from the node) */
	struct xarray ports;         /* by port number; changed under ipn_mutex */
	struct ipn_port **dest;      /* route scratch, room for ndest ports */
	u8 *variant;
	u32 ndest;
	struct list_head port_list;  /* attached ports, join order */
	u32 nports, readers, writers, nbound, nattach;
	u32 room_gen;                /* lossless: bumped when queue room appears */
	bool terminated;
	bool had_member;             /* a member socket joined once (IPN_NET_LINGER) */
	struct ipn_stats stats;
};

/* ---- a port: a member socket, a tap or a grabbed interface ---- */
struct ipn_port {
	struct list_head node;       /* ipn_net.port_list */
	struct ipn_net *net;
	u32 num;
	u8 kind;                     /* IPN_PORTKIND_* */
	u8 rights;                   /* IPN_RIGHT_READ | IPN_RIGHT_WRITE */
	bool dead;                   /* detached from its network */
	bool want_oob;               /* membership notifications */
	bool persist;                /* netdev: outlives its socket */
	bool detaching;              /* netdev: being removed by us (rtnl) */
	struct sock *sk;             /* socket ports */
	struct net_device *dev;      /* netdev ports */
	struct ipn_sock *owner;      /* netdev ports: owning socket, or NULL */
	const struct cred *cred;     /* socket ports: who joined (IPN_SO_RECHECK) */
	struct sk_buff_head oobq;    /* socket ports: out-of-band messages */
	struct pid *pid;
	kuid_t uid;
	kgid_t gid;
	char descr[IPN_DESCRLEN];
	struct ipn_stats stats;
};

/* ---- the socket ---- */
struct ipn_sock {
	struct sock sk;              /* first */
	u32 protocol;                /* requested policy or IPN_ANY */
	struct ipn_net *net;         /* bound or connected network (holds a ref) */
	struct ipn_port *port;       /* connected: our port (set once) */
	struct ipn_port *ndev;       /* a tap/grab this socket owns */
	bool bound;                  /* holds the manage right */
	u8 attach;                   /* IPN_SO_ATTACH: what bind attaches as */
	bool handle_oob;
	bool want_oob;
	u8 shut;                     /* RCV_SHUTDOWN | SEND_SHUTDOWN asked for */
	int want_port;               /* IPN_SO_PORT before connect */
	char addr[IPN_PATH_MAX + 1]; /* path given to bind/connect */
	char descr[IPN_DESCRLEN];
	struct ipn_netconf pre;      /* creation settings */
};

static inline struct ipn_sock *ipn_sk(const struct sock *sk)
{
	return (struct ipn_sock *)sk;
}

/* ---- net.c: the network table and network objects ---- */
void ipn_netconf_default(struct ipn_netconf *c);
int ipn_netconf_check(const struct ipn_netconf *c);
struct ipn_net *ipn_net_create(const struct ipn_netconf *c);
int ipn_net_claim(struct ipn_net *net);
void ipn_net_discard(struct ipn_net *net);  /* never published */
static inline bool ipn_net_live(const struct ipn_net *net)
{
	return net->path.dentry; /* published: it has its node */
}
void ipn_net_publish(struct ipn_net *net, struct path *path);
struct ipn_net *ipn_net_find(const struct inode *inode);
struct ipn_net *ipn_net_find_name(const char *name);
void ipn_net_get(struct ipn_net *net);
void ipn_net_put(struct ipn_net *net);
int ipn_net_update(struct ipn_net *net, const struct ipn_netconf *c);
int ipn_net_resize(struct ipn_net *net, u32 max_ports);
int ipn_net_reserve(struct ipn_net *net, u32 n);
int ipn_net_set_persistent(struct ipn_net *net, bool on);
void ipn_net_port_left(struct ipn_net *net);
int ipn_net_recheck(struct ipn_net *net);
void ipn_net_terminate(struct ipn_net *net);   /* rtnl + ipn_mutex held */
void ipn_net_fill_conf(struct ipn_net *net, struct ipn_netconf *c);
void ipn_net_fill_ent(struct ipn_net *net, struct ipn_netent *e);
extern struct list_head ipn_nets;
void ipn_net_cleanup_all(void);               /* module unload */

/* ---- node.c: filesystem nodes ---- */
int ipn_node_create(const char *name, umode_t mode, struct path *res);
int ipn_node_lookup(const char *name, struct path *res);
int ipn_node_may(const struct path *path, int mask);
u8 ipn_node_rights(const struct path *path, const struct cred *cred, u8 shut);
bool ipn_may_manage(const struct path *path);

/* ---- port.c: ports ---- */
struct ipn_port *ipn_port_alloc(u8 kind);
void ipn_port_free(struct ipn_port *port);
int ipn_port_attach(struct ipn_net *net, struct ipn_port *port, int want);
void ipn_port_detach(struct ipn_port *port);
void ipn_port_set_rights(struct ipn_port *port, u8 rights);
void ipn_port_fill_ent(struct ipn_port *port, struct ipn_portent *e);

/* ---- msgq.c: member queues ---- */
void ipn_msgq_purge(struct ipn_port *port);
bool ipn_msgq_full(struct ipn_net *net, struct ipn_port *port);
int ipn_msgq_put(struct ipn_net *net, struct ipn_port *port, struct sk_buff *skb);
void ipn_msgq_oob(struct ipn_net *net, struct ipn_port *port, const void *data, size_t len);
struct sk_buff *ipn_msgq_get(struct ipn_port *port, int flags, bool oob_ok, bool *oob);
void ipn_wake_writers(struct ipn_net *net);
bool ipn_port_writable(struct ipn_port *port);
void ipn_notify_numnodes(struct ipn_net *net);

/* ---- dispatch.c: a message entering a network ---- */
#define IPN_DROP(reason) (-((reason) + 1))
int ipn_inject(struct ipn_port *from, struct sk_buff *skb, bool lossless_ok);
void ipn_deliver_locked(struct ipn_net *net, struct ipn_route *r, struct sk_buff *skb,
			struct sk_buff_head *deferred, struct sk_buff **own);
void ipn_deliver_deferred(struct sk_buff_head *deferred);
void ipn_count_drop(struct ipn_net *net, struct ipn_port *port, int reason);

/* ---- netdev.c: taps and grabs ---- */
int ipn_netdev_init(void);
void ipn_netdev_exit(void);
int ipn_netdev_connect(struct ipn_sock *is, const char *ifname, u32 kind, char *name_out);
int ipn_netdev_join(struct ipn_sock *is, const char *ifname);
int ipn_netdev_persist_by_name(struct net *netns, const char *ifname, bool on);
void ipn_netdev_release(struct ipn_sock *is);  /* rtnl + ipn_mutex held */
void ipn_netdev_detach(struct ipn_port *port, bool dev_going);
int ipn_netdev_detach_port(struct ipn_sock *is, int num);
int ipn_netdev_set_persist(struct ipn_sock *is, bool on);
int ipn_netdev_set_mac(struct ipn_sock *is, struct sockaddr *sa);
void ipn_netdev_out(struct sk_buff *skb, u8 kind);

/* ---- rewrite.c: the multicast-to-unicast hook ---- */
int ipn_rewrite_init(void);
void ipn_rewrite_exit(void);
int ipn_rewrite_add(struct net *netns, sockptr_t optval, unsigned int optlen);
int ipn_rewrite_del(struct net *netns, sockptr_t optval, unsigned int optlen);
int ipn_rewrite_list(struct net *netns, char __user *optval, int __user *optlen);

/* ---- sockopt.c, ioctl.c ---- */
int ipn_setsockopt(struct socket *sock, int level, int optname, sockptr_t optval,
		   unsigned int optlen);
int ipn_getsockopt(struct socket *sock, int level, int optname, char __user *optval,
		   int __user *optlen);
int ipn_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg);
int ipn_opt_get_int(sockptr_t optval, unsigned int optlen, int *val);
int ipn_opt_put(char __user *optval, int __user *optlen, const void *val, int size);
int ipn_list_begin(char __user *optval, int __user *optlen, u32 entsize, u32 max,
		   struct ipn_list *hdr, u32 *room);
int ipn_list_end(char __user *optval, int __user *optlen, const struct ipn_list *hdr);

/* ---- stats.c: counters and /proc/net/ipn ---- */
static inline void ipn_stats_add(struct ipn_stats *s, bool rx, unsigned int len)
{
	if (rx) {
		s->rx_frames++;
		s->rx_bytes += len;
	} else {
		s->tx_frames++;
		s->tx_bytes += len;
	}
}
int ipn_stats_init(void);
void ipn_stats_exit(void);

/* ---- module init and unload of each part ---- */
int ipn_net_init(void);
void ipn_net_exit(void);
int ipn_port_init(void);
void ipn_port_exit(void);
int ipn_switch_init(void);
void ipn_switch_exit(void);
int ipn_concast_init(void);
void ipn_concast_exit(void);
int ipn_concast_check(const struct ipn_concast_spec *spec, u32 mtu);

/* ---- af_ipn.c ---- */
int ipn_af_init(void);
void ipn_af_exit(void);
void ipn_sock_terminated(struct ipn_port *port);

#endif /* IPN_CORE_H */
