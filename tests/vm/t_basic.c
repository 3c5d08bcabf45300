// SPDX-License-Identifier: GPL-2.0
/*
 * AF_IPN basics: sockets, bind/connect and their errors, the IPN_SO_*
 * options, hub delivery, shutdown halves, out-of-band membership
 * notifications, persistent and destroyed networks, listings.
 */
#include "common.h"
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/un.h>

static void t_socket(void)
{
	char b[8];
	int s;

	FAILS(socket(af_ipn, SOCK_DGRAM, 0), ESOCKTNOSUPPORT, "socket(SOCK_DGRAM) is refused");
	FAILS(socket(af_ipn, SOCK_RAW, 9), EPROTONOSUPPORT, "an unknown policy is refused");
	s = isock(IPN_HUB);
	ok(s >= 0, "socket(AF_IPN, SOCK_RAW, IPN_HUB)");
	ok(ioctl(s, IPN_CHECK, 0) == (int)IPN_CHECK, "ioctl IPN_CHECK answers IPN_CHECK");
	FAILS(send(s, "x", 1, 0), ENOTCONN, "send before connect: ENOTCONN");
	FAILS(recv(s, b, sizeof(b), MSG_DONTWAIT), ENOTCONN, "recv before connect: ENOTCONN");
	FAILS(listen(s, 1), EOPNOTSUPP, "listen: EOPNOTSUPP");
	close(s);
}

static void t_bind(void)
{
	const char *path = tpath("bind"), *file = tpath("file");
	struct sockaddr_un sun;
	socklen_t l = sizeof(sun);
	struct stat st;
	int s, s2, s3, fd;

	umask(022);
	s = isock(IPN_HUB);
	setint(s, SOL_IPN, IPN_SO_MODE, 0666);
	WORKS(ibind(s, path), "bind creates the network");
	memset(&st, 0, sizeof(st));
	stat(path, &st);
	ok(S_ISSOCK(st.st_mode) && (st.st_mode & 0777) == 0644,
	   "its node is a socket with the mode less the umask (%o)", st.st_mode & 0777);
	FAILS(ibind(s, path), EISCONN, "a second bind: EISCONN");
	FAILS(setint(s, SOL_IPN, IPN_SO_MTU, 1000), EISCONN, "a creation option after bind: EISCONN");
	ok(!getsockname(s, (struct sockaddr *)&sun, &l) && sun.sun_family == af_ipn &&
	   !strcmp(sun.sun_path, path), "getsockname gives the path");
	s2 = isock(IPN_ANY);
	WORKS(ibind(s2, path), "binding an existing network (root manages it)");
	s3 = isock(IPN_ANY);
	setint(s3, SOL_IPN, IPN_SO_FLAGS, IPN_NET_EXCL);
	FAILS(ibind(s3, path), EEXIST, "IPN_NET_EXCL: bind of an existing network fails");
	close(s3);
	s3 = isock(IPN_POLICY_SWITCH);
	FAILS(ibind(s3, path), EPROTO, "bind with another policy: EPROTO");
	FAILS(iconnect(s3, path), EPROTO, "connect with another policy: EPROTO");
	close(s3);

	fd = open(file, O_CREAT | O_WRONLY, 0644);
	close(fd);
	s3 = isock(IPN_ANY);
	FAILS(ibind(s3, file), EADDRINUSE, "bind on a regular file: EADDRINUSE");
	FAILS(iconnect(s3, file), ECONNREFUSED, "connect to a regular file: ECONNREFUSED");
	FAILS(iconnect(s3, tpath("none")), ENOENT, "connect to nothing: ENOENT");
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, path);
	FAILS(bind(s3, (struct sockaddr *)&sun, sizeof(sun)), EAFNOSUPPORT, "bind with AF_UNIX: EAFNOSUPPORT");
	sun.sun_family = af_ipn;
	FAILS(bind(s3, (struct sockaddr *)&sun, 2), EINVAL, "bind with no path: EINVAL");
	sun.sun_path[0] = 0;
	FAILS(bind(s3, (struct sockaddr *)&sun, sizeof(sun)), EINVAL, "abstract names: EINVAL");
	close(s3);
	unlink(file);

	close(s);
	close(s2);
	s3 = isock(IPN_ANY);
	FAILS(iconnect(s3, path), ECONNREFUSED, "after the last socket the node is stale: ECONNREFUSED");
	FAILS(ibind(s3, path), EADDRINUSE, "bind on a stale node: EADDRINUSE");
	close(s3);
	unlink(path);
}

static void t_options(void)
{
	const char *path = tpath("opts"), *p2 = tpath("opts2");
	struct ipn_netconf c, g;
	struct ipn_netent e;
	char d[IPN_DESCRLEN], line[512];
	socklen_t l;
	int s, m[4], v, i, found = 0;
	FILE *f;

	s = isock(IPN_HUB);
	v = -1;
	getint(s, SOL_IPN, IPN_SO_MTU, &v);
	ok(v == IPN_DEFAULT_MTU, "default MTU %d", v);
	v = -1;
	getint(s, SOL_IPN, IPN_SO_NUMNODES, &v);
	ok(v == IPN_DEFAULT_PORTS, "default ports %d", v);
	v = -1;
	getint(s, SOL_IPN, IPN_SO_MSGPOOLSIZE, &v);
	ok(v == IPN_DEFAULT_QUEUE, "default queue %d", v);
	FAILS(setint(s, SOL_IPN, IPN_SO_MTU, 10), EINVAL, "MTU below IPN_MTU_MIN: EINVAL");
	FAILS(setint(s, SOL_IPN, IPN_SO_NUMNODES, 0), EINVAL, "0 ports: EINVAL");
	FAILS(setint(s, SOL_IPN, IPN_SO_FLAGS, 0x100), EINVAL, "unknown flags: EINVAL");
	FAILS(setint(s, SOL_IPN, IPN_SO_MODE, 01777), EINVAL, "mode beyond 0777: EINVAL");
	WORKS(setint(s, SOL_IPN, IPN_SO_MTU, 600), "IPN_SO_MTU 600");
	WORKS(setint(s, SOL_IPN, IPN_SO_NUMNODES, 3), "IPN_SO_NUMNODES 3");
	WORKS(setint(s, SOL_IPN, IPN_SO_MSGPOOLSIZE, 7), "IPN_SO_MSGPOOLSIZE 7");
	ok(!get_conf(s, &c) && c.mtu == 600 && c.max_ports == 3 && c.queue == 7,
	   "IPN_SO_NETCONF shows the creation settings");
	strcpy(c.name, "optsnet");
	strcpy(c.owner, "tests");
	WORKS(set_conf(s, &c), "IPN_SO_NETCONF with a name and an owner tag");
	WORKS(ibind(s, path), "bind");
	ok(!get_conf(s, &g) && g.mtu == 600 && g.max_ports == 3 && g.queue == 7 &&
	   !strcmp(g.name, "optsnet") && !strcmp(g.owner, "tests") && g.policy == IPN_HUB &&
	   g.uid == 0, "the network has them");
	ok(!getint(s, SOL_IPN, IPN_SO_MTU, &v) && v == 600, "IPN_SO_MTU reads the network's MTU");

	i = mknet(p2, &c);
	ok(i < 0 && errno == EEXIST, "a second network with the same name: EEXIST");
	if (i >= 0)
		close(i);

	/* ports: IPN_SO_PORT, limits, resizing */
	m[0] = isock(IPN_HUB);
	setint(m[0], SOL_IPN, IPN_SO_PORT, 3);
	WORKS(iconnect(m[0], path), "connect at port 3");
	ok(port_of(m[0]) == 3, "IPN_SO_PORT reads 3");
	m[1] = isock(IPN_HUB);
	setint(m[1], SOL_IPN, IPN_SO_PORT, 3);
	FAILS(iconnect(m[1], path), EADDRNOTAVAIL, "port 3 taken: EADDRNOTAVAIL");
	setint(m[1], SOL_IPN, IPN_SO_PORT, 4);
	FAILS(iconnect(m[1], path), EINVAL, "port beyond the network's ports: EINVAL");
	FAILS(setint(m[1], SOL_IPN, IPN_SO_PORT, 0), EINVAL, "port 0 does not exist: EINVAL");
	setint(m[1], SOL_IPN, IPN_SO_PORT, IPN_PORTNO_ANY);
	WORKS(iconnect(m[1], path), "connect at the first free port");
	ok(port_of(m[1]) == 1, "which is 1");
	FAILS(iconnect(m[1], path), EISCONN, "connect twice: EISCONN");
	FAILS(setint(m[1], SOL_IPN, IPN_SO_PORT, 2), EISCONN, "IPN_SO_PORT once connected: EISCONN");
	m[2] = member(path, IPN_HUB);
	m[3] = member(path, IPN_HUB);
	ok(m[2] >= 0 && m[3] < 0 && errno == EADDRNOTAVAIL, "all 3 ports used: EADDRNOTAVAIL");
	FAILS(setint(m[0], SOL_IPN, IPN_SO_CHANGE_NUMNODES, 4), EPERM,
	      "IPN_SO_CHANGE_NUMNODES needs a bound (managing) socket");
	WORKS(setint(s, SOL_IPN, IPN_SO_CHANGE_NUMNODES, 4), "IPN_SO_CHANGE_NUMNODES 4");
	m[3] = member(path, IPN_HUB);
	ok(m[3] >= 0 && port_of(m[3]) == 4, "a fourth member joins at port 4");
	FAILS(setint(s, SOL_IPN, IPN_SO_CHANGE_NUMNODES, 2), EADDRINUSE,
	      "shrinking below used ports: EADDRINUSE");

	WORKS(setint(s, SOL_IPN, IPN_SO_CHANGE_NUMNODES, IPN_PORTS_MAX), "IPN_PORTS_MAX ports");
	i = isock(IPN_HUB);
	setint(i, SOL_IPN, IPN_SO_PORT, IPN_PORTS_MAX);
	WORKS(iconnect(i, path), "a member at port %d", IPN_PORTS_MAX);
	close(i);
	WORKS(setint(s, SOL_IPN, IPN_SO_CHANGE_NUMNODES, 4), "back to 4 ports");
	WORKS(setsockopt(m[0], SOL_IPN, IPN_SO_DESCR, "member zero", 12), "IPN_SO_DESCR");
	l = sizeof(d);
	ok(!getsockopt(m[0], SOL_IPN, IPN_SO_DESCR, d, &l) && !strcmp(d, "member zero"),
	   "IPN_SO_DESCR reads back");
	FAILS(setsockopt(m[0], SOL_IPN, IPN_SO_DESCR, d, IPN_DESCRLEN + 1), EINVAL,
	      "a description longer than IPN_DESCRLEN: EINVAL");
	{
		struct ipn_portent pe[8];
		int n = port_list(s, pe, 8), j, good = 1;

		ok(n == 4, "IPN_SO_PORTLIST lists 4 ports");
		for (j = 0; j < n && j < 8; j++) {
			if (pe[j].kind != IPN_PORTKIND_SOCKET || pe[j].pid != getpid() ||
			    pe[j].rights != (IPN_RIGHT_READ | IPN_RIGHT_WRITE))
				good = 0;
			if (pe[j].port == 3 && strcmp(pe[j].descr, "member zero"))
				good = 0;
		}
		ok(good, "with kind, pid, rights and description");
	}

	ok(!net_info(s, &e) && !strcmp(e.path, path) && e.members == 4 && e.bound == 1 &&
	   e.readers == 4 && e.writers == 4, "IPN_SO_NETINFO: path, 4 members, 1 bound");
	{
		char buf[sizeof(struct ipn_list) + 64 * sizeof(struct ipn_netent)];
		struct ipn_list *h = (struct ipn_list *)buf;
		struct ipn_netent *n = (struct ipn_netent *)(h + 1);
		int x = isock(IPN_ANY), j;

		memset(h, 0, sizeof(*h));
		l = sizeof(buf);
		ok(!getsockopt(x, SOL_IPN, IPN_SO_NETLIST, buf, &l) && h->entsize == sizeof(*n) &&
		   l == sizeof(*h) + h->count * sizeof(*n), "IPN_SO_NETLIST on any socket");
		for (j = 0; j < (int)h->count; j++)
			if (!strcmp(n[j].path, path) && !strcmp(n[j].conf.name, "optsnet"))
				found = 1;
		ok(found, "lists the network by path and name");
		h->start = h->total;
		l = sizeof(buf);
		ok(!getsockopt(x, SOL_IPN, IPN_SO_NETLIST, buf, &l) && h->count == 0,
		   "paging past the end lists nothing");
		close(x);
	}
	found = 0;
	f = fopen("/proc/net/ipn", "r");
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, path) && strstr(line, "hub 4 4 600 7") && strstr(line, "optsnet tests"))
			found = 1;
	if (f)
		fclose(f);
	ok(found, "/proc/net/ipn shows it");
	for (i = 0; i < 4; i++)
		close(m[i]);
	close(s);
	unlink(path);
}

static void t_hub(void)
{
	const char *path = tpath("hub");
	struct ipn_netconf c;
	struct ipn_netent e;
	char b[256];
	struct msghdr mh;
	struct iovec iov;
	int s, a, bb, cc;

	conf_init(&c, IPN_HUB);
	c.mtu = 100;
	s = mknet(path, &c);
	a = member(path, IPN_HUB);
	bb = member(path, IPN_ANY);
	cc = member(path, IPN_HUB);
	ok(s >= 0 && a >= 0 && bb >= 0 && cc >= 0, "a hub and 3 members (one joined with IPN_ANY)");
	WORKS(send(a, "hello", 5, 0), "A sends");
	ok(rx(bb, b, sizeof(b)) == 5 && !memcmp(b, "hello", 5), "B receives it");
	ok(rx(cc, b, sizeof(b)) == 5 && !memcmp(b, "hello", 5), "C receives it");
	ok(nothing(a), "the sender does not");
	FAILS(rx(s, b, sizeof(b)), ENOTCONN, "the bound, unconnected socket is no member");
	WORKS(send(bb, b, 100, 0), "a message of exactly the MTU");
	FAILS(send(bb, b, 101, 0), EMSGSIZE, "one byte more: EMSGSIZE");
	ok(drain(a) == 1 && drain(cc) == 1, "the MTU-sized message arrives");
	WORKS(send(a, "", 0, 0), "an empty message");
	{
		struct pollfd p = { .fd = bb, .events = POLLIN };

		ok(poll(&p, 1, 0) == 1 && recv(bb, b, sizeof(b), MSG_DONTWAIT) == 0 && nothing(bb),
		   "is delivered as an empty datagram");
		drain(cc);
	}
	send(a, "truncated", 9, 0);
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = b;
	iov.iov_len = 3;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	ok(recvmsg(bb, &mh, MSG_DONTWAIT) == 3 && (mh.msg_flags & MSG_TRUNC),
	   "a short buffer gets the start and MSG_TRUNC");
	ok(recv(cc, b, 2, MSG_DONTWAIT | MSG_TRUNC) == 9, "recv(MSG_TRUNC) returns the real length");
	send(a, "peek", 4, 0);
	ok(recv(bb, b, sizeof(b), MSG_DONTWAIT | MSG_PEEK) == 4 && rx(bb, b, sizeof(b)) == 4 &&
	   nothing(bb), "MSG_PEEK leaves the message queued");
	drain(cc);
	memset(&e, 0, sizeof(e));
	net_info(s, &e);
	ok(e.stats.rx_frames == 5 && e.stats.tx_frames == 10 && e.stats.drops[IPN_DROP_TOO_BIG] == 1,
	   "counters: 5 in, 10 out, 1 too big (%llu %llu %llu)",
	   (unsigned long long)e.stats.rx_frames, (unsigned long long)e.stats.tx_frames,
	   (unsigned long long)e.stats.drops[IPN_DROP_TOO_BIG]);
	close(bb);
	close(cc);
	send(a, "alone", 5, 0);
	ok(!net_info(s, &e) && e.stats.drops[IPN_DROP_NO_ROUTE] == 1, "alone on the hub: no route");
	close(a);
	close(s);
	unlink(path);
}

static void t_shutdown(void)
{
	const char *path = tpath("shut");
	struct ipn_netent e;
	char b[64];
	int s, a, bb, cc, d;

	s = mknet_policy(path, IPN_HUB);
	a = member(path, IPN_HUB);
	bb = member(path, IPN_HUB);
	cc = member(path, IPN_HUB);
	WORKS(shutdown(bb, SHUT_RD), "B shuts its receive half");
	ok(!net_info(s, &e) && e.readers == 2 && e.writers == 3, "2 readers, 3 writers");
	send(a, "x", 1, 0);
	ok(recv(bb, b, sizeof(b), MSG_DONTWAIT) == 0, "B reads end of file");
	ok(rx(cc, b, sizeof(b)) == 1, "C still receives");
	WORKS(send(bb, "y", 1, 0), "B still sends");
	ok(rx(a, b, sizeof(b)) == 1, "and A receives it");
	WORKS(shutdown(a, SHUT_WR), "A shuts its send half");
	FAILS(send(a, "z", 1, 0), EPIPE, "A's send: EPIPE");
	ok(!net_info(s, &e) && e.stats.drops[IPN_DROP_NO_WRITE] == 1, "counted as no-write");
	FAILS(shutdown(a, 7), EINVAL, "shutdown(7): EINVAL");
	d = isock(IPN_HUB);
	shutdown(d, SHUT_RDWR);
	FAILS(iconnect(d, path), EACCES, "connect after shutting both halves: EACCES");
	close(d);
	d = isock(IPN_HUB);
	shutdown(d, SHUT_WR);
	WORKS(iconnect(d, path), "shutdown(SHUT_WR) before connect, then connect");
	FAILS(send(d, "q", 1, 0), EPIPE, "it cannot send");
	close(d);
	close(a);
	close(bb);
	close(cc);
	close(s);
	unlink(path);
}

static int oob_read(int s, struct ipn_oob_numnodes *m)
{
	struct msghdr mh;
	struct iovec iov = { m, sizeof(*m) };
	ssize_t n;

	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	n = recvmsg(s, &mh, MSG_DONTWAIT);
	return n == sizeof(*m) && (mh.msg_flags & MSG_OOB);
}

static void t_oob(void)
{
	const char *path = tpath("oob");
	struct ipn_oob_numnodes m;
	struct pollfd p;
	int s, w, x, y;

	s = mknet_policy(path, IPN_HUB);
	w = isock(IPN_HUB);
	WORKS(setint(w, SOL_IPN, IPN_SO_HANDLE_OOB, 1), "IPN_SO_HANDLE_OOB");
	WORKS(setint(w, SOL_IPN, IPN_SO_WANT_OOB_NUMNODES, 1), "IPN_SO_WANT_OOB_NUMNODES");
	shutdown(w, SHUT_RD);
	iconnect(w, path);
	ok(oob_read(w, &m) && m.tag == IPN_OOB_NUMNODE_TAG && m.numreaders == 0 &&
	   m.numwriters == 1, "a send-only member learns: 0 readers, 1 writer");
	x = isock(IPN_HUB);
	shutdown(x, SHUT_WR);
	iconnect(x, path);
	p.fd = w;
	p.events = POLLPRI;
	ok(poll(&p, 1, 0) == 1 && (p.revents & POLLPRI), "a reader joins: POLLPRI");
	ok(oob_read(w, &m) && m.numreaders == 1 && m.numwriters == 1,
	   "the notification says 1 reader, 1 writer");
	y = member(path, IPN_HUB);
	ok(nothing(x), "members that did not ask get nothing");
	ok(oob_read(w, &m) && m.numreaders == 2 && m.numwriters == 2, "then 2 and 2");
	close(y);
	ok(oob_read(w, &m) && m.numreaders == 1 && m.numwriters == 1, "a member leaves: 1 and 1");
	send(w, "data", 4, 0);
	{
		char b[16];

		ok(rx(x, b, sizeof(b)) == 4, "data still flows");
	}
	close(x);
	close(w);
	close(s);
	unlink(path);
}

static void t_persist(void)
{
	const char *path = tpath("persist");
	struct ipn_netconf c;
	char b[16];
	int s, a, bb;

	conf_init(&c, IPN_HUB);
	c.flags = IPN_NET_PERSISTENT;
	s = mknet(path, &c);
	ok(s >= 0, "a persistent network");
	close(s);
	a = member(path, IPN_HUB);
	bb = member(path, IPN_HUB);
	ok(a >= 0 && bb >= 0, "outlives its creator: members join later");
	send(a, "p", 1, 0);
	ok(rx(bb, b, sizeof(b)) == 1, "and talk");
	close(a);
	close(bb);
	a = member(path, IPN_HUB);
	ok(a >= 0, "and it outlives its last member");
	close(a);
	s = isock(IPN_ANY);
	ibind(s, path);
	get_conf(s, &c);
	c.flags &= ~IPN_NET_PERSISTENT;
	WORKS(set_conf(s, &c), "persistence cleared through IPN_SO_NETCONF");
	close(s);
	s = isock(IPN_ANY);
	FAILS(iconnect(s, path), ECONNREFUSED, "then it ends with its last socket");
	close(s);
	unlink(path);
}

static void t_destroy(void)
{
	const char *path = tpath("destroy");
	struct pollfd p;
	char b[16];
	int s, a, bb, x;

	s = mknet_policy(path, IPN_HUB);
	a = member(path, IPN_HUB);
	bb = member(path, IPN_HUB);
	send(a, "queued", 6, 0);
	FAILS(setint(a, SOL_IPN, IPN_SO_DESTROY, 1), EPERM, "a member cannot destroy the network");
	WORKS(setint(s, SOL_IPN, IPN_SO_DESTROY, 1), "the managing socket destroys it");
	p.fd = bb;
	p.events = POLLIN;
	ok(poll(&p, 1, 0) == 1 && (p.revents & POLLHUP), "members see POLLHUP");
	ok(recv(bb, b, sizeof(b), 0) == 0, "and read end of file (queued messages dropped)");
	FAILS(send(a, "x", 1, 0), ECONNRESET, "sends fail: ECONNRESET");
	x = isock(IPN_ANY);
	FAILS(iconnect(x, path), ECONNREFUSED, "new members are refused");
	close(x);
	{
		struct ipn_netconf c;

		ok(!get_conf(s, &c) && (c.flags & IPN_FLAG_TERMINATED), "IPN_FLAG_TERMINATED is set");
	}
	close(a);
	close(bb);
	close(s);
	unlink(path);
}

/* the original IPN's peer-to-peer recipe: every peer runs bind(path); connect(NULL) */
static int peer(const char *path, int go, int joined, int leave)
{
	char b = 0;
	int s = isock(IPN_HUB), rc = 0;

	if (read(go, &b, 1) != 1)
		return 90;
	if (ibind(s, path) < 0)
		rc = errno;
	else if (iconnect(s, NULL) < 0)
		rc = 100 + errno;
	b = rc;
	if (write(joined, &b, 1) != 1 || read(leave, &b, 1) != 1) /* stay until all are in */
		return 91;
	return rc;
}

static void t_race(void)
{
	const char *path = tpath("race");
	int go[2], joined[2], leave[2], i, bad = 0, n = 8;
	pid_t p[8];
	char b[8];

	if (pipe(go) || pipe(joined) || pipe(leave))
		return;
	for (i = 0; i < n; i++) {
		p[i] = fork();
		if (p[i] == 0)
			_exit(peer(path, go[0], joined[1], leave[0]));
	}
	if (write(go[1], "gogogogo", n) != n)
		bad = -1;
	for (i = 0; i < n; i++)
		if (read(joined[0], b, 1) != 1)
			bad = -1;
	if (write(leave[1], "byebyebye", n) != n)
		bad = -1;
	for (i = 0; i < n; i++) {
		int rc = wait_child(p[i]);

		if (rc) {
			diag("  peer %d: %d", i, rc);
			bad++;
		}
	}
	ok(!bad, "%d peers racing to bind and connect the same new path all get in", n);
	for (i = 0; i < 2; i++) {
		close(go[i]);
		close(joined[i]);
		close(leave[i]);
	}
	unlink(path);
}

static void t_objects(struct ipn_objects *base)
{
	struct ipn_objects o = { 0 };

	ok(!get_objects(&o) && o.nets == base->nets && o.ports == base->ports,
	   "no network or port left behind (%llu nets, %llu ports)",
	   (unsigned long long)o.nets, (unsigned long long)o.ports);
}

int main(void)
{
	struct ipn_objects base = { 0 };

	tinit("basic");
	get_objects(&base);
	t_socket();
	t_bind();
	t_options();
	t_hub();
	t_shutdown();
	t_oob();
	t_persist();
	t_destroy();
	t_race();
	t_objects(&base);
	return tdone();
}
