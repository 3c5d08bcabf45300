// SPDX-License-Identifier: GPL-2.0
/*
 * Access rights with a non-root uid: the node's r/w/x bits make a member
 * receive-only, send-only, refused, or a manager; privileged operations
 * need CAP_NET_ADMIN.
 */
#include "common.h"
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#define UID 1000
#define GID 1000

struct arg {
	const char *path;
	int ready;     /* pipe: the child writes a byte once connected */
};

static const char *make(const char *name, int mode, int *s)
{
	const char *path = tpath(name);

	*s = mknet_policy(path, IPN_HUB);
	chmod(path, mode);
	return path;
}

static int signal_ready(struct arg *a)
{
	return write(a->ready, "r", 1) == 1 ? 0 : -1;
}

/* 0602: may send, may not receive */
static int c_sendonly(void *p)
{
	struct arg *a = p;
	char b[16];
	int s = member(a->path, IPN_HUB);

	if (s < 0)
		return 1;
	if (send(s, "from-uid", 8, 0) != 8)
		return 2;
	if (recv(s, b, sizeof(b), MSG_DONTWAIT) != 0)
		return 3; /* end of file: no read right */
	return 0;
}

/* 0604: may receive, may not send */
static int c_recvonly(void *p)
{
	struct arg *a = p;
	char b[16];
	int s = member(a->path, IPN_HUB);

	if (s < 0)
		return 1;
	errno = 0;
	if (send(s, "x", 1, 0) != -1 || errno != EPIPE)
		return 2;
	signal_ready(a);
	if (rx_wait(s, b, sizeof(b), 3000) != 7 || memcmp(b, "to-uid!", 7))
		return 3;
	return 0;
}

static int c_connect_errno(void *p)
{
	struct arg *a = p;
	int s = member(a->path, IPN_HUB);

	return s < 0 ? errno : 0;
}

static int c_bind_errno(void *p)
{
	struct arg *a = p;
	int s = isock(IPN_ANY);

	return ibind(s, a->path) < 0 ? errno : 0;
}

static int c_manage(void *p)
{
	struct arg *a = p;
	struct ipn_netconf c;
	int s = isock(IPN_ANY);

	if (ibind(s, a->path) < 0)
		return 1;
	if (get_conf(s, &c) < 0)
		return 2;
	c.queue = 9;
	if (set_conf(s, &c) < 0)
		return 3;
	if (setint(s, SOL_IPN, IPN_SO_CHANGE_NUMNODES, 10) < 0)
		return 4;
	return 0;
}

/* a network of its own; then what needs CAP_NET_ADMIN */
static int c_privileged(void *p)
{
	struct arg *a = p;
	struct ipn_rewrite rw;
	struct ifreq ifr;
	struct stat st;
	int s = mknet_policy(a->path, IPN_HUB);

	if (s < 0)
		return 1;
	if (stat(a->path, &st) || st.st_uid != UID || (st.st_mode & 0777) != 0750)
		return 2; /* the default mode 0770 less the umask 027 */
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "ipnperm0");
	ifr.ifr_flags = IPN_NODEFLAG_TAP;
	errno = 0;
	if (ioctl(s, IPN_CONN_NETDEV, &ifr) != -1 || errno != EPERM)
		return 3;
	errno = 0;
	if (ioctl(s, IPN_CLRPERSIST_NETDEV, &ifr) != -1 || errno != EPERM)
		return 4;
	memset(&rw, 0, sizeof(rw));
	errno = 0;
	if (setsockopt(s, SOL_IPN, IPN_SO_REWRITE_ADD, &rw, sizeof(rw)) != -1 || errno != EPERM)
		return 5;
	{
		struct ipn_netconf c;
		int t = isock(IPN_ANY);

		get_conf(s, &c);
		c.flags |= IPN_NET_PERSISTENT;
		errno = 0;
		if (set_conf(s, &c) != -1 || errno != EPERM)
			return 7; /* a network without a process is a privilege */
		conf_init(&c, IPN_HUB);
		c.flags = IPN_NET_PERSISTENT;
		set_conf(t, &c);
		errno = 0;
		if (ibind(t, "/tmp/ipnt.perm.persist") != -1 || errno != EPERM)
			return 8;
		close(t);
	}
	{
		char buf[sizeof(struct ipn_list) + 4 * sizeof(struct ipn_netent)];
		socklen_t l = sizeof(buf);

		memset(buf, 0, sizeof(struct ipn_list));
		if (getsockopt(s, SOL_IPN, IPN_SO_NETLIST, buf, &l) < 0)
			return 6; /* observation is open to all */
	}
	return 0;
}

static int c_unmanaged_ops(void *p)
{
	struct arg *a = p;
	int s = member(a->path, IPN_HUB);

	if (s < 0)
		return 1;
	errno = 0;
	if (setint(s, SOL_IPN, IPN_SO_CHANGE_NUMNODES, 10) != -1 || errno != EPERM)
		return 2;
	errno = 0;
	if (setint(s, SOL_IPN, IPN_SO_DESTROY, 1) != -1 || errno != EPERM)
		return 3;
	return 0;
}

int main(void)
{
	struct ipn_netent e;
	struct arg a;
	char b[16];
	int s, r, fds[2];
	pid_t p;

	tinit("perm");
	umask(027);
	chmod("/tmp", 01777);

	a.path = make("sendonly", 0602, &s);
	r = member(a.path, IPN_HUB);
	ok(run_as(UID, GID, c_sendonly, &a) == 0,
	   "mode 0602: uid %d joins send-only (sends; reads end of file)", UID);
	ok(rx(r, b, sizeof(b)) == 8 && !memcmp(b, "from-uid", 8), "its message arrives");
	ok(!net_info(s, &e) && e.writers == 1 && e.readers == 1, "it counted as a writer only");
	close(r);
	close(s);

	a.path = make("recvonly", 0604, &s);
	r = member(a.path, IPN_HUB);
	if (pipe(fds))
		return 1;
	a.ready = fds[1];
	p = spawn_as(UID, GID, c_recvonly, &a);
	{
		struct pollfd pf = { .fd = fds[0], .events = POLLIN };

		if (poll(&pf, 1, 5000) == 1 && read(fds[0], b, 1) == 1)
			send(r, "to-uid!", 7, 0);
	}
	ok(wait_child(p) == 0, "mode 0604: receive-only (send fails with EPIPE; receives)");
	close(fds[0]);
	close(fds[1]);
	close(r);
	close(s);

	a.path = make("none", 0600, &s);
	ok(run_as(UID, GID, c_connect_errno, &a) == EACCES, "mode 0600: connect is refused, EACCES");
	ok(!net_info(s, &e) && e.stats.drops[IPN_DROP_REFUSED] == 1, "counted as refused");
	close(s);

	a.path = make("manage", 0601, &s);
	ok(run_as(UID, GID, c_connect_errno, &a) == EACCES, "mode 0601: connect is refused");
	ok(run_as(UID, GID, c_manage, &a) == 0, "but x lets it bind and change settings");
	ok(!net_info(s, &e) && e.conf.queue == 9 && e.conf.max_ports == 10, "the settings changed");
	close(s);

	a.path = make("nox", 0606, &s);
	ok(run_as(UID, GID, c_bind_errno, &a) == EACCES, "mode 0606: no x, bind is refused");
	ok(run_as(UID, GID, c_connect_errno, &a) == 0, "but it may join");
	ok(run_as(UID, GID, c_unmanaged_ops, &a) == 0,
	   "a member without x cannot resize or destroy (EPERM)");
	close(s);

	a.path = make("group", 0060, &s);
	chown(a.path, 0, GID);
	ok(run_as(UID, GID, c_connect_errno, &a) == 0, "mode 0060, group %d: the group may join", GID);
	ok(run_as(UID + 1, GID + 1, c_connect_errno, &a) == EACCES, "another group may not");
	close(s);

	a.path = tpath("own");
	ok(run_as(UID, GID, c_privileged, &a) == 0,
	   "a user's own network: owned by it, mode 0750; taps, grabs, rewrites, persistence need CAP_NET_ADMIN");
	unlink(a.path);
	return tdone();
}
