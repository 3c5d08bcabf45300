// SPDX-License-Identifier: GPL-2.0
/*
 * ipn: the AF_IPN socket family and its socket calls.
 *
 * bind(path) creates the network (a socket node with the access mode) or,
 * with the x right, attaches to an existing one to manage it; connect()
 * joins it as a member, the missing r/w rights turning into shut halves.
 */
#include <linux/module.h>
#include <linux/net.h>
#include <linux/poll.h>
#include <linux/un.h>
#include <linux/sched/signal.h>
#include <linux/rtnetlink.h>
#include <net/sock.h>
#include "ipn_core.h"

/* headroom of message buffers: room to add a VLAN tag or a link header */
#define IPN_HEADROOM 64

/*
 * Held from making a network's node until the network is in the table, so
 * that whoever finds a node without a network (peers racing to bind the
 * same path) can wait for the creation in flight before calling it stale.
 */
static DEFINE_MUTEX(ipn_create_mutex);

/* The network of a node, waiting for a creation in flight. ipn_mutex held. */
static struct ipn_net *ipn_find_settled(const struct inode *inode)
{
	struct ipn_net *net = ipn_net_find(inode);

	if (net)
		return net;
	mutex_unlock(&ipn_mutex);
	mutex_lock(&ipn_create_mutex);
	mutex_unlock(&ipn_create_mutex);
	mutex_lock(&ipn_mutex);
	return ipn_net_find(inode);
}

static struct proto ipn_proto = {
	.name = "IPN",
	.owner = THIS_MODULE,
	.obj_size = sizeof(struct ipn_sock),
};

/* Copy the path of a sockaddr_un into name (NUL-terminated). */
static int ipn_get_path(const struct sockaddr *uaddr, int len, char *name)
{
	const struct sockaddr_un *sun = (const struct sockaddr_un *)uaddr;
	int n;

	if (!uaddr || len <= (int)offsetof(struct sockaddr_un, sun_path) ||
	    len > (int)sizeof(*sun))
		return -EINVAL;
	if (sun->sun_family != ipn_family)
		return -EAFNOSUPPORT;
	n = len - offsetof(struct sockaddr_un, sun_path);
	memcpy(name, sun->sun_path, n);
	name[n] = 0;
	if (!name[0])
		return -EINVAL; /* no abstract names: networks live in the filesystem */
	return 0;
}

static int ipn_release(struct socket *sock)
{
	struct sock *sk = sock->sk;
	struct ipn_sock *is;
	bool rtnl = false;

	if (!sk)
		return 0;
	is = ipn_sk(sk);
	mutex_lock(&ipn_mutex);
	if (is->ndev) {
		/* taps and grabs need rtnl, which comes before ipn_mutex */
		mutex_unlock(&ipn_mutex);
		rtnl_lock();
		rtnl = true;
		mutex_lock(&ipn_mutex);
	}
	if (is->ndev)
		ipn_netdev_release(is);
	if (is->port) {
		if (!is->port->dead)
			ipn_port_detach(is->port);
		ipn_port_free(is->port);
		is->port = NULL;
	}
	if (is->net) {
		if (is->bound)
			is->net->nbound--;
		ipn_net_put(is->net);
		is->net = NULL;
	}
	mutex_unlock(&ipn_mutex);
	if (rtnl)
		rtnl_unlock();

	sock_orphan(sk);
	sock->sk = NULL;
	skb_queue_purge(&sk->sk_receive_queue);
	sock_put(sk);
	return 0;
}

/* Attach to an existing network to manage it: needs the x right. */
static int ipn_bind_existing(struct ipn_sock *is, const char *name)
{
	struct ipn_net *net;
	struct path path;
	int err;

	err = ipn_node_lookup(name, &path);
	if (err)
		return err;
	err = -EADDRINUSE;
	if (!S_ISSOCK(d_inode(path.dentry)->i_mode))
		goto out;
	err = -EEXIST;
	if (is->pre.flags & IPN_NET_EXCL)
		goto out;
	err = -EACCES;
	if (!ipn_may_manage(&path))
		goto out;
	mutex_lock(&ipn_mutex);
	net = ipn_find_settled(d_inode(path.dentry));
	if (!net || net->terminated) {
		err = -EADDRINUSE; /* a stale node: nobody serves it */
	} else if (is->protocol != IPN_ANY && is->protocol != net->conf.policy) {
		err = -EPROTO;
	} else {
		ipn_net_get(net);
		is->net = net;
		is->bound = true;
		net->nbound++;
		err = 0;
	}
	mutex_unlock(&ipn_mutex);
out:
	path_put(&path);
	return err;
}

/* IPN_ATTACH_READ: attach to an existing network to read it; any right will do. */
static int ipn_bind_observe(struct ipn_sock *is, const char *name)
{
	struct ipn_net *net;
	struct path path;
	int err;

	err = ipn_node_lookup(name, &path);
	if (err)
		return err;
	err = -ECONNREFUSED;
	if (!S_ISSOCK(d_inode(path.dentry)->i_mode))
		goto out;
	err = -EACCES;
	if (ipn_node_may(&path, MAY_READ) && ipn_node_may(&path, MAY_WRITE) &&
	    !ipn_may_manage(&path))
		goto out;
	mutex_lock(&ipn_mutex);
	net = ipn_find_settled(d_inode(path.dentry));
	if (!net || net->terminated) {
		err = -ECONNREFUSED;
	} else if (is->protocol != IPN_ANY && is->protocol != net->conf.policy) {
		err = -EPROTO;
	} else {
		ipn_net_get(net);
		is->net = net;
		err = 0;
	}
	mutex_unlock(&ipn_mutex);
out:
	path_put(&path);
	return err;
}

static int ipn_bind(struct socket *sock, struct sockaddr *uaddr, int len)
{
	struct sock *sk = sock->sk;
	struct ipn_sock *is = ipn_sk(sk);
	char name[IPN_PATH_MAX + 1];
	struct ipn_netconf conf;
	struct ipn_net *net;
	struct path path;
	int err;

	err = ipn_get_path(uaddr, len, name);
	if (err)
		return err;
	lock_sock(sk);
	err = -EISCONN;
	if (is->net || is->ndev)
		goto out;
	if (is->attach) {
		err = is->attach == IPN_ATTACH_READ ? ipn_bind_observe(is, name) :
						      ipn_bind_existing(is, name);
		goto out;
	}
	conf = is->pre;
	if (!conf.policy)
		conf.policy = is->protocol ? is->protocol : IPN_POLICY_HUB;
	net = ipn_net_create(&conf);
	if (IS_ERR(net)) {
		err = PTR_ERR(net);
		goto out;
	}
	mutex_lock(&ipn_mutex);
	err = ipn_net_claim(net);
	mutex_unlock(&ipn_mutex);
	if (err) {
		ipn_net_discard(net);
		goto out;
	}
	/* the filesystem may take its time: not under ipn_mutex */
	mutex_lock(&ipn_create_mutex);
	err = ipn_node_create(name, conf.mode, &path);
	if (err) {
		mutex_unlock(&ipn_create_mutex);
		ipn_net_discard(net);
		if (err == -EEXIST)
			err = ipn_bind_existing(is, name);
		goto out;
	}
	mutex_lock(&ipn_mutex);
	ipn_net_publish(net, &path); /* takes over the path and the first ref */
	is->net = net;
	is->bound = true;
	net->nbound++;
	mutex_unlock(&ipn_mutex);
	mutex_unlock(&ipn_create_mutex);
out:
	if (!err)
		strscpy(is->addr, name, sizeof(is->addr));
	release_sock(sk);
	return err;
}

static int ipn_connect(struct socket *sock, struct sockaddr *uaddr, int len, int flags)
{
	struct sock *sk = sock->sk;
	struct ipn_sock *is = ipn_sk(sk);
	char name[IPN_PATH_MAX + 1];
	struct ipn_port *port;
	struct ipn_net *net;
	struct path path;
	bool have_path = false;
	u8 rights = 0;
	int err;

	lock_sock(sk);
	if (!is->net || len > (int)sizeof(sa_family_t)) {
		err = ipn_get_path(uaddr, len, name);
		if (err)
			goto out;
		have_path = true;
	}
	err = -EISCONN;
	if (is->port || is->ndev)
		goto out;
	if (have_path) {
		err = ipn_node_lookup(name, &path);
		if (err)
			goto out;
	} else {
		path = is->net->path;
		path_get(&path);
	}
	/* r and w of the node, as the caller sees it; then what it shut itself */
	if (!ipn_node_may(&path, MAY_READ) && !(is->shut & RCV_SHUTDOWN))
		rights |= IPN_RIGHT_READ;
	if (!ipn_node_may(&path, MAY_WRITE) && !(is->shut & SEND_SHUTDOWN))
		rights |= IPN_RIGHT_WRITE;

	mutex_lock(&ipn_mutex);
	net = S_ISSOCK(d_inode(path.dentry)->i_mode) ? ipn_find_settled(d_inode(path.dentry)) : NULL;
	err = -ECONNREFUSED;
	if (!net || net->terminated)
		goto out_unlock;
	err = -EINVAL; /* bound to another network */
	if (is->net && is->net != net)
		goto out_unlock;
	err = -EPROTO;
	if (is->protocol != IPN_ANY && is->protocol != net->conf.policy)
		goto out_unlock;
	err = -EACCES;
	if (!rights) {
		spin_lock_bh(&net->lock);
		net->stats.drops[IPN_DROP_REFUSED]++;
		spin_unlock_bh(&net->lock);
		goto out_unlock;
	}
	err = -ENOMEM;
	port = ipn_port_alloc(IPN_PORTKIND_SOCKET);
	if (!port)
		goto out_unlock;
	port->sk = sk;
	port->cred = get_current_cred();
	port->rights = rights;
	port->want_oob = is->want_oob && is->handle_oob;
	memcpy(port->descr, is->descr, sizeof(port->descr));
	err = ipn_port_attach(net, port, is->want_port);
	if (err) {
		ipn_port_free(port);
		goto out_unlock;
	}
	if (!is->net) {
		ipn_net_get(net);
		is->net = net;
		strscpy(is->addr, name, sizeof(is->addr));
	}
	sk->sk_shutdown = (rights & IPN_RIGHT_READ ? 0 : RCV_SHUTDOWN) |
			  (rights & IPN_RIGHT_WRITE ? 0 : SEND_SHUTDOWN);
	sock->state = SS_CONNECTED;
	smp_store_release(&is->port, port);
out_unlock:
	mutex_unlock(&ipn_mutex);
	path_put(&path);
out:
	release_sock(sk);
	return err;
}

static int ipn_getname(struct socket *sock, struct sockaddr *uaddr, int peer)
{
	struct ipn_sock *is = ipn_sk(sock->sk);
	struct sockaddr_un *sun = (struct sockaddr_un *)uaddr;
	int len;

	mutex_lock(&ipn_mutex);
	if (!is->net) {
		mutex_unlock(&ipn_mutex);
		return -ENOTCONN;
	}
	sun->sun_family = ipn_family;
	len = strnlen(is->addr, sizeof(sun->sun_path));
	memcpy(sun->sun_path, is->addr, len);
	if (len < (int)sizeof(sun->sun_path))
		sun->sun_path[len++] = 0;
	mutex_unlock(&ipn_mutex);
	return offsetof(struct sockaddr_un, sun_path) + len;
}

static __poll_t ipn_poll(struct file *file, struct socket *sock, poll_table *wait)
{
	struct sock *sk = sock->sk;
	struct ipn_sock *is = ipn_sk(sk);
	struct ipn_port *port;
	__poll_t mask = 0;
	u8 shut;

	sock_poll_wait(file, sock, wait);
	port = smp_load_acquire(&is->port);
	if (!port)
		return 0;
	shut = READ_ONCE(sk->sk_shutdown);
	if (!skb_queue_empty_lockless(&sk->sk_receive_queue))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (!skb_queue_empty_lockless(&port->oobq))
		mask |= EPOLLPRI | EPOLLIN;
	if (shut & RCV_SHUTDOWN)
		mask |= EPOLLRDHUP | EPOLLIN | EPOLLRDNORM;
	if (shut == SHUTDOWN_MASK)
		mask |= EPOLLHUP;
	if (!(shut & SEND_SHUTDOWN) && ipn_port_writable(port))
		mask |= EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND;
	return mask;
}

static int ipn_shutdown(struct socket *sock, int how)
{
	struct sock *sk = sock->sk;
	struct ipn_sock *is = ipn_sk(sk);
	u8 mask;

	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	mask = how + 1; /* SHUT_RD -> RCV_SHUTDOWN, SHUT_WR -> SEND_SHUTDOWN */
	lock_sock(sk);
	mutex_lock(&ipn_mutex);
	is->shut |= mask;
	if (is->port && !is->port->dead) {
		u8 rights = is->port->rights;

		if (mask & RCV_SHUTDOWN)
			rights &= ~IPN_RIGHT_READ;
		if (mask & SEND_SHUTDOWN)
			rights &= ~IPN_RIGHT_WRITE;
		ipn_port_set_rights(is->port, rights);
	}
	if (is->port)
		WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | mask);
	mutex_unlock(&ipn_mutex);
	release_sock(sk);
	sk->sk_state_change(sk);
	return 0;
}

/* The network went away under a member: both halves are shut. */
void ipn_sock_terminated(struct ipn_port *port)
{
	struct sock *sk = port->sk;

	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	sk->sk_state_change(sk);
}

static int ipn_wait_room(struct sock *sk, struct ipn_port *port, u32 gen, long *timeo)
{
	struct ipn_net *net = port->net;
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	int err = 0;

	add_wait_queue(sk_sleep(sk), &wait);
	while (READ_ONCE(net->room_gen) == gen && !READ_ONCE(port->dead)) {
		if (READ_ONCE(sk->sk_shutdown) & SEND_SHUTDOWN) {
			err = -EPIPE; /* shut while waiting (another thread) */
			break;
		}
		if (!*timeo) {
			err = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {
			err = sock_intr_errno(*timeo);
			break;
		}
		*timeo = wait_woken(&wait, TASK_INTERRUPTIBLE, *timeo);
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	return err;
}

static int ipn_sendmsg(struct socket *sock, struct msghdr *msg, size_t len)
{
	struct sock *sk = sock->sk;
	struct ipn_port *port = smp_load_acquire(&ipn_sk(sk)->port);
	struct sk_buff *skb;
	struct ipn_net *net;
	long timeo;
	int err;

	if (!port)
		return -ENOTCONN;
	if (msg->msg_flags & MSG_OOB)
		return -EOPNOTSUPP;
	net = port->net;
	if (READ_ONCE(port->dead))
		return -ECONNRESET;
	if (!(READ_ONCE(port->rights) & IPN_RIGHT_WRITE)) {
		ipn_count_drop(net, port, IPN_DROP_NO_WRITE);
		return -EPIPE;
	}
	if (len > READ_ONCE(net->conf.mtu)) {
		ipn_count_drop(net, port, IPN_DROP_TOO_BIG);
		return -EMSGSIZE;
	}
	skb = alloc_skb(len + IPN_HEADROOM, GFP_KERNEL);
	if (!skb)
		return -ENOBUFS;
	skb_reserve(skb, IPN_HEADROOM);
	err = memcpy_from_msg(skb_put(skb, len), msg, len);
	if (err)
		goto drop;
	timeo = sock_sndtimeo(sk, msg->msg_flags & MSG_DONTWAIT);
	for (;;) {
		u32 gen = READ_ONCE(net->room_gen);

		/* lossless and a destination is full: -EAGAIN, skb kept */
		err = ipn_inject(port, skb, true);
		if (err != -EAGAIN)
			break;
		err = ipn_wait_room(sk, port, gen, &timeo);
		if (err)
			goto drop;
		if (READ_ONCE(port->dead)) {
			err = -ECONNRESET;
			goto drop;
		}
	}
	return err ? err : len;
drop:
	kfree_skb(skb);
	return err;
}

static int ipn_recvmsg(struct socket *sock, struct msghdr *msg, size_t size, int flags)
{
	struct sock *sk = sock->sk;
	struct ipn_sock *is = ipn_sk(sk);
	struct ipn_port *port = smp_load_acquire(&is->port);
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct sk_buff *skb;
	bool oob = false;
	size_t copied;
	long timeo;
	int err = 0;

	if (!port)
		return -ENOTCONN;
	if (flags & MSG_ERRQUEUE)
		return -EAGAIN; /* no error queue */
	timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	/* a message waiting: no need to join the wait queue */
	skb = ipn_msgq_get(port, flags, READ_ONCE(is->handle_oob), &oob);
	if (skb)
		goto got;
	add_wait_queue(sk_sleep(sk), &wait);
	for (;;) {
		skb = ipn_msgq_get(port, flags, READ_ONCE(is->handle_oob), &oob);
		if (skb)
			break;
		if (READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN)
			break; /* end of file */
		if (!timeo) {
			err = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {
			err = sock_intr_errno(timeo);
			break;
		}
		timeo = wait_woken(&wait, TASK_INTERRUPTIBLE, timeo);
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	if (!skb)
		return err;
got:
	copied = skb->len;
	if (copied > size) {
		copied = size;
		msg->msg_flags |= MSG_TRUNC;
	}
	if (oob)
		msg->msg_flags |= MSG_OOB;
	err = skb_copy_datagram_msg(skb, 0, msg, copied);
	if (!err)
		err = (flags & MSG_TRUNC) ? skb->len : copied;
	consume_skb(skb);
	return err;
}

static struct proto_ops ipn_ops = {
	.family = 0, /* set at init from the family parameter */
	.owner = THIS_MODULE,
	.release = ipn_release,
	.bind = ipn_bind,
	.connect = ipn_connect,
	.socketpair = sock_no_socketpair,
	.accept = sock_no_accept,
	.getname = ipn_getname,
	.poll = ipn_poll,
	.ioctl = ipn_ioctl,
	.gettstamp = sock_gettstamp,
	.listen = sock_no_listen,
	.shutdown = ipn_shutdown,
	.setsockopt = ipn_setsockopt,
	.getsockopt = ipn_getsockopt,
	.sendmsg = ipn_sendmsg,
	.recvmsg = ipn_recvmsg,
	.mmap = sock_no_mmap,
	.sendpage = sock_no_sendpage,
};

static int ipn_create(struct net *netns, struct socket *sock, int protocol, int kern)
{
	struct ipn_sock *is;
	struct sock *sk;

	if (sock->type != SOCK_RAW)
		return -ESOCKTNOSUPPORT;
	if (protocol < 0 || protocol > IPN_POLICY_MAX)
		return -EPROTONOSUPPORT;
	sk = sk_alloc(netns, ipn_family, GFP_KERNEL, &ipn_proto, kern);
	if (!sk)
		return -ENOMEM;
	sock->ops = &ipn_ops;
	sock->state = SS_UNCONNECTED;
	sock_init_data(sock, sk);
	is = ipn_sk(sk);
	memset((char *)is + sizeof(struct sock), 0, sizeof(*is) - sizeof(struct sock));
	is->protocol = protocol;
	is->want_port = IPN_PORTNO_ANY;
	ipn_netconf_default(&is->pre);
	is->pre.policy = protocol;
	return 0;
}

static struct net_proto_family ipn_family_ops = {
	.create = ipn_create,
	.owner = THIS_MODULE,
};

int ipn_af_init(void)
{
	int err;

	ipn_ops.family = ipn_family;
	ipn_family_ops.family = ipn_family;
	err = proto_register(&ipn_proto, 1);
	if (err)
		return err;
	err = sock_register(&ipn_family_ops);
	if (err) {
		pr_err("ipn: family %d: sock_register: %d\n", ipn_family, err);
		proto_unregister(&ipn_proto);
	}
	return err;
}

void ipn_af_exit(void)
{
	sock_unregister(ipn_family);
	proto_unregister(&ipn_proto);
}
