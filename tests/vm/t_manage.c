// SPDX-License-Identifier: GPL-2.0
/*
 * What a management library needs from the module: bind that only
 * attaches (to manage, or to read with any right), lingering networks
 * that outlive their creator until members came and went, members' rights
 * re-evaluated after chmod, a member's own rights, taps that move to
 * another namespace and are removed by port from anywhere.
 */
#include "common.h"
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#define UID 1000
#define GID 1000

static int listed(const char *name)
{
	char buf[sizeof(struct ipn_list) + 32 * sizeof(struct ipn_netent)];
	struct ipn_list *h = (struct ipn_list *)buf;
	struct ipn_netent *e = (struct ipn_netent *)(h + 1);
	socklen_t l = sizeof(buf);
	int s = isock(IPN_ANY), i, found = 0;

	memset(h, 0, sizeof(*h));
	if (!getsockopt(s, SOL_IPN, IPN_SO_NETLIST, buf, &l))
		for (i = 0; i < (int)h->count; i++)
			found |= !strcmp(e[i].conf.name, name);
	close(s);
	return found;
}

/* a socket attached with IPN_SO_ATTACH `how`; -1 and errno on failure */
static int attach(const char *path, int how)
{
	int s = isock(IPN_ANY), e;

	if (setint(s, SOL_IPN, IPN_SO_ATTACH, how) < 0 || ibind(s, path) < 0) {
		e = errno;
		close(s);
		errno = e;
		return -1;
	}
	return s;
}

/* a network made by a socket that is closed at once */
static int lingering(const char *path, const char *name, int policy, int flags)
{
	struct ipn_netconf c;
	int s;

	conf_init(&c, policy);
	c.flags = flags;
	snprintf(c.name, sizeof(c.name), "%s", name);
	s = mknet(path, &c);
	if (s < 0)
		return -1;
	close(s);
	return 0;
}

static int tap(const char *path, const char *ifname, int persist)
{
	struct ifreq ifr;
	int s = attach(path, IPN_ATTACH_MANAGE), r;

	if (s < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_flags = IPN_NODEFLAG_TAP;
	r = ioctl(s, IPN_CONN_NETDEV, &ifr);
	if (r == 0 && persist)
		r = ioctl(s, IPN_SETPERSIST, 1);
	if (r < 0 || persist) {
		close(s);
		return r;
	}
	return s;
}

static int port_of_if(int s, const char *ifname)
{
	struct ipn_portent pe[16];
	int n = port_list(s, pe, 16), i;

	for (i = 0; i < n && i < 16; i++)
		if (!strcmp(pe[i].ifname, ifname))
			return pe[i].port;
	return 0;
}

static int no_create_uid(void *p)
{
	struct ipn_netconf c;
	int s = isock(IPN_ANY);

	conf_init(&c, IPN_HUB);
	c.flags = IPN_NET_LINGER;
	if (set_conf(s, &c) < 0 || ibind(s, p) == 0)
		return 1;
	return errno == EPERM ? 0 : 2;
}

static void t_attach(void)
{
	const char *path = tpath("att"), *missing = tpath("missing");
	struct ipn_netconf c;
	struct stat st;
	int s, a, v = -1;

	s = mknet_policy(path, IPN_HUB);
	FAILS(attach(missing, IPN_ATTACH_MANAGE), ENOENT, "IPN_ATTACH_MANAGE of a missing path: ENOENT");
	ok(stat(missing, &st) < 0, "and nothing was created there");
	FAILS(attach(missing, IPN_ATTACH_READ), ENOENT, "IPN_ATTACH_READ of it: ENOENT");
	close(open(missing, O_CREAT | O_WRONLY, 0600));
	FAILS(attach(missing, IPN_ATTACH_MANAGE), EADDRINUSE, "of a plain file: EADDRINUSE");
	FAILS(attach(missing, IPN_ATTACH_READ), ECONNREFUSED, "reading a plain file: ECONNREFUSED");
	unlink(missing);
	a = attach(path, IPN_ATTACH_MANAGE);
	ok(a >= 0, "IPN_ATTACH_MANAGE of the network");
	ok(!get_conf(a, &c) && c.policy == IPN_HUB, "manages it (IPN_SO_NETCONF reads it)");
	c.mtu = 1000;
	WORKS(set_conf(a, &c), "and changes it");
	ok(!getint(a, SOL_IPN, IPN_SO_ATTACH, &v) && v == IPN_ATTACH_MANAGE, "IPN_SO_ATTACH reads back");
	FAILS(setint(a, SOL_IPN, IPN_SO_ATTACH, IPN_ATTACH_READ), EISCONN, "after bind: EISCONN");
	close(a);
	a = isock(IPN_ANY);
	FAILS(setint(a, SOL_IPN, IPN_SO_ATTACH, 3), EINVAL, "IPN_SO_ATTACH 3: EINVAL");
	close(a);
	a = attach(path, IPN_ATTACH_READ);
	ok(a >= 0, "IPN_ATTACH_READ of the network");
	FAILS(set_conf(a, &c), EPERM, "a reading socket cannot change it: EPERM");
	FAILS(setint(a, SOL_IPN, IPN_SO_DESTROY, 1), EPERM, "nor destroy it");
	close(a);
	close(s);
	unlink(path);
}

/* as uid 1000: reading needs a right, any right */
static int c_read(void *p)
{
	struct ipn_netent e;
	struct ipn_portent pe[4];
	int s = attach(p, IPN_ATTACH_READ);

	if (s < 0)
		return errno == EACCES ? 10 : 1;
	if (net_info(s, &e) || port_list(s, pe, 4) < 0)
		return 2;
	if (setint(s, SOL_IPN, IPN_SO_DESTROY, 1) == 0 || errno != EPERM)
		return 3;
	if (attach(p, IPN_ATTACH_MANAGE) >= 0 || errno != EACCES)
		return 4;
	return 0;
}

static void t_attach_uid(void)
{
	const char *path = tpath("attuid");
	int s = mknet_policy(path, IPN_HUB);

	chmod(path, 0602);
	ok(run_as(UID, GID, c_read, (void *)path) == 0,
	   "uid 1000 with w only reads the network, port list included; cannot manage it");
	chmod(path, 0600);
	ok(run_as(UID, GID, c_read, (void *)path) == 10, "with no right: EACCES");
	close(s);
	unlink(path);
}

static void t_rights(void)
{
	const char *path = tpath("rights");
	int s = mknet_policy(path, IPN_HUB), m = member(path, 0), v = -1, u = isock(IPN_ANY);

	ok(!getint(m, SOL_IPN, IPN_SO_RIGHTS, &v) && v == (IPN_RIGHT_READ | IPN_RIGHT_WRITE),
	   "IPN_SO_RIGHTS of a member: rw");
	shutdown(m, SHUT_WR);
	ok(!getint(m, SOL_IPN, IPN_SO_RIGHTS, &v) && v == IPN_RIGHT_READ, "after SHUT_WR: r");
	FAILS(getint(u, SOL_IPN, IPN_SO_RIGHTS, &v), ENOTCONN, "of an unconnected socket: ENOTCONN");
	FAILS(getint(s, SOL_IPN, IPN_SO_RIGHTS, &v), ENOTCONN, "of a managing socket: ENOTCONN");
	close(u);
	close(m);
	close(s);
	unlink(path);
}

static void t_linger(void)
{
	const char *path = tpath("linger");
	struct ipn_netconf c;
	int m, t, s;

	ok(run_as(UID, GID, no_create_uid, (void *)tpath("lingeruid")) == 0,
	   "IPN_NET_LINGER needs CAP_NET_ADMIN (EPERM for uid 1000)");
	ok(!lingering(path, "lg1", IPN_HUB, IPN_NET_LINGER) && listed("lg1"),
	   "a lingering network outlives the socket that made it");
	ok(tap(path, "lgt0", 1) == 0 && sh("%s link show lgt0 >/dev/null 2>&1", IP) == 0,
	   "a persistent tap on it");
	s = attach(path, IPN_ATTACH_MANAGE);
	WORKS(setint(s, SOL_IPN, IPN_SO_DETACH, port_of_if(s, "lgt0")), "the tap removed again");
	close(s);
	ok(listed("lg1"), "taps coming and going do not end it: it waits for a member");
	m = member(path, 0);
	ok(m >= 0 && listed("lg1"), "a member joins");
	t = tap(path, "lgt1", 1);
	close(m);
	ok(t == 0 && listed("lg1"), "the member leaves while a tap is attached: it lives on");
	s = attach(path, IPN_ATTACH_MANAGE);
	setint(s, SOL_IPN, IPN_SO_DETACH, port_of_if(s, "lgt1"));
	ok(listed("lg1"), "while a managing socket is bound the last port can leave");
	close(s);
	ok(!listed("lg1"), "then it ends with that socket");
	unlink(path);

	ok(!lingering(path, "lg2", IPN_HUB, IPN_NET_LINGER), "another lingering network");
	m = member(path, 0);
	close(m);
	ok(!listed("lg2"), "its member joins and leaves: it ends");
	m = member(path, 0);
	ok(m < 0 && errno == ECONNREFUSED, "its node is stale: ECONNREFUSED");
	unlink(path);

	ok(!lingering(path, "lg3", IPN_HUB, IPN_NET_PERSISTENT), "a persistent network");
	close(member(path, 0));
	s = attach(path, IPN_ATTACH_MANAGE);
	get_conf(s, &c);
	c.flags = IPN_NET_LINGER;
	WORKS(set_conf(s, &c), "updated from persistent to lingering after a member came and went");
	close(s);
	ok(listed("lg3"), "it waits for the next member");
	close(member(path, 0));
	ok(!listed("lg3"), "whose leaving ends it");
	unlink(path);

	ok(!lingering(path, "lg4", IPN_HUB, IPN_NET_LINGER), "a lingering network");
	s = attach(path, IPN_ATTACH_MANAGE);
	get_conf(s, &c);
	ok(c.flags & IPN_NET_LINGER, "IPN_SO_NETCONF shows IPN_NET_LINGER");
	c.flags = 0;
	WORKS(set_conf(s, &c), "lingering cleared");
	close(s);
	ok(!listed("lg4"), "it ends with the managing socket");
	unlink(path);
}

/* ---- IPN_SO_RECHECK: a member of uid 1000, its socket handed to us ---- */

static int c_join(void *p)
{
	char **a = p;
	int fd = member(a[0], 0), sp = atoi(a[1]);
	char one = 1;
	struct iovec iov = { &one, 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			     .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

	if (fd < 0)
		return 1;
	if (a[2])
		shutdown(fd, SHUT_WR);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sp, &mh, 0) == 1 ? 0 : 2;
}

static int join_as(const char *path, int shut_wr)
{
	int sp[2], fd = -1;
	char num[16], one;
	char *a[3] = { (char *)path, num, shut_wr ? "shut" : NULL };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { &one, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			     .msg_controllen = sizeof(u.buf) };

	socketpair(AF_UNIX, SOCK_DGRAM, 0, sp);
	snprintf(num, sizeof(num), "%d", sp[1]);
	if (run_as(UID, GID, c_join, a) == 0 && recvmsg(sp[0], &mh, 0) == 1 && CMSG_FIRSTHDR(&mh))
		memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&mh)), sizeof(int));
	close(sp[0]);
	close(sp[1]);
	return fd;
}

static int rights(int s)
{
	int v = -1;

	return getint(s, SOL_IPN, IPN_SO_RIGHTS, &v) < 0 ? -1 : v;
}

static void t_recheck(void)
{
	const char *path = tpath("recheck");
	int s = mknet_policy(path, IPN_HUB), m, w, r;
	char b[16];

	chmod(path, 0666);
	m = join_as(path, 0);
	w = join_as(path, 1);
	r = member(path, 0);
	ok(m >= 0 && w >= 0 && rights(m) == 6 && rights(w) == 4,
	   "uid 1000 joins a 0666 network: rw, and r for one that shut its write half");
	chmod(path, 0664);
	ok(rights(m) == 6, "chmod alone changes nothing for connected members");
	FAILS(setint(m, SOL_IPN, IPN_SO_RECHECK, 1), EPERM, "a member cannot recheck: EPERM");
	WORKS(setint(s, SOL_IPN, IPN_SO_RECHECK, 1), "0664, then IPN_SO_RECHECK");
	ok(rights(m) == 4 && send(m, "x", 1, 0) < 0 && errno == EPIPE, "the member lost w: EPIPE");
	send(r, "to-m", 4, 0);
	ok(rx_wait(m, b, sizeof(b), 1000) == 4, "it still receives");
	chmod(path, 0666);
	WORKS(setint(s, SOL_IPN, IPN_SO_RECHECK, 1), "0666, recheck");
	ok(rights(m) == 6 && send(m, "back", 4, 0) == 4 && rx_wait(r, b, sizeof(b), 1000) == 4,
	   "w is back: it sends, root's member receives");
	ok(rights(w) == 4, "the one that shut its write half stays receive-only");
	drain(w);
	chmod(path, 0660);
	WORKS(setint(s, SOL_IPN, IPN_SO_RECHECK, 1), "0660, recheck");
	ok(rights(m) == 0 && recv(m, b, sizeof(b), MSG_DONTWAIT) == 0 && send(m, "x", 1, 0) < 0 &&
	   errno == ECONNRESET, "no right left: disconnected (end of file, ECONNRESET)");
	{
		struct ipn_portent pe[8];

		ok(port_list(s, pe, 8) == 1 && pe[0].uid == 0, "only root's member is still listed");
	}
	close(m);
	close(w);
	close(r);
	close(s);
	unlink(path);
}

static void t_moving_tap(void)
{
	const char *path = tpath("mv");
	int s, port, m, v;

	sh("%s netns add mv; %s -n mv link set lo up", IP, IP);
	s = mknet_policy(path, IPN_POLICY_SWITCH);
	ok(tap(path, "mvt0", 1) == 0 && tap(path, "mvt1", 1) == 0, "two persistent taps");
	WORKS(sh("%s link set mvt1 netns mv", IP), "one moves to namespace mv");
	port = port_of_if(s, "mvt1");
	ok(port > 0 && sh("%s -n mv link show mvt1 >/dev/null 2>&1", IP) == 0,
	   "it is still on the network (port %d), living in mv", port);
	sh("%s addr add 10.66.0.1/24 dev mvt0; %s link set mvt0 up", IP, IP);
	sh("%s -n mv addr add 10.66.0.2/24 dev mvt1; %s -n mv link set mvt1 up", IP, IP);
	ok(sh("ping -c 2 -W 3 10.66.0.2 >/dev/null 2>&1") == 0, "the host pings mv through it");
	m = member(path, 0);
	FAILS(setint(m, SOL_IPN, IPN_SO_DETACH, port), EPERM, "a member cannot detach: EPERM");
	FAILS(setint(s, SOL_IPN, IPN_SO_DETACH, port_of(m)), ENOENT,
	      "IPN_SO_DETACH of a member socket's port: ENOENT");
	FAILS(setint(s, SOL_IPN, IPN_SO_DETACH, 60), ENOENT, "of a free port: ENOENT");
	FAILS(setint(s, SOL_IPN, IPN_SO_DETACH, 65), EINVAL, "beyond the network: EINVAL");
	WORKS(setint(s, SOL_IPN, IPN_SO_DETACH, port), "IPN_SO_DETACH of the moved tap's port");
	ok(sh("%s -n mv link show mvt1 >/dev/null 2>&1", IP) != 0 && !port_of_if(s, "mvt1"),
	   "deleted in mv, off the network");
	ok(tap(path, "mvt2", 1) == 0 && !sh("%s link set mvt2 netns mv", IP), "another tap moved to mv");
	sh("%s netns del mv", IP);
	for (v = 0; v < 50 && port_of_if(s, "mvt2"); v++)
		msleep(100);
	ok(!port_of_if(s, "mvt2"), "deleting the namespace takes it off the network");
	setint(s, SOL_IPN, IPN_SO_DETACH, port_of_if(s, "mvt0"));
	close(m);
	close(s);
	unlink(path);
}

int main(void)
{
	struct ipn_objects o = { 0 };

	tinit("manage");
	t_attach();
	t_attach_uid();
	t_rights();
	t_linger();
	t_recheck();
	t_moving_tap();
	get_objects(&o);
	ok(o.nets == 0 && o.ports == 0, "nothing left behind (%llu networks, %llu ports)",
	   (unsigned long long)o.nets, (unsigned long long)o.ports);
	return tdone();
}
