// SPDX-License-Identifier: GPL-2.0
/*
 * Taps and grabs carrying real traffic between network namespaces:
 *
 *   n1: g1p 10.7.0.1 --veth-- g1 (grabbed) \
 *                                           switch /tmp/...lab -- tap ipnt0 10.7.0.3 (init ns)
 *   n2: g2p 10.7.0.2 --veth-- g2 (grabbed) /          \-- tap ipnt3 10.7.0.4 (in n3)
 *                                                      \-- member socket
 * then their removal in every way, and the errors.
 */
#include "common.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

static const char *lab;

static int ping(const char *ns, const char *addr)
{
	return sh("%s netns exec %s ping -c 2 -W 3 %s >/dev/null 2>&1", IP, ns, addr) == 0;
}

static int no_ping(const char *ns, const char *addr)
{
	return sh("%s netns exec %s ping -c 1 -W 1 %s >/dev/null 2>&1", IP, ns, addr) != 0;
}

static int promisc(const char *ifname)
{
	char path[64];
	unsigned int flags = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/flags", ifname);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%x", &flags) != 1)
		flags = 0;
	fclose(f);
	return !!(flags & 0x100);
}

/* a socket bound to the lab network with a tap or grab: -1 and errno on error */
static int netdev(const char *ifname, int flag, char *name_out)
{
	struct ifreq ifr;
	int s = isock(IPN_ANY), e;

	if (ibind(s, lab) < 0)
		goto fail;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_flags = flag;
	if (ioctl(s, IPN_CONN_NETDEV, &ifr) < 0)
		goto fail;
	if (name_out)
		memcpy(name_out, ifr.ifr_name, IFNAMSIZ);
	return s;
fail:
	e = errno;
	close(s);
	errno = e;
	return -1;
}

static int ifreq_ioctl(int s, unsigned long req, const char *ifname)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	return ioctl(s, req, &ifr);
}

static int count_kind(int s, unsigned int kind, const char *ifname)
{
	struct ipn_portent pe[16];
	int n = port_list(s, pe, 16), i, c = 0;

	for (i = 0; i < n && i < 16; i++)
		if (pe[i].kind == kind && (!ifname || !strcmp(pe[i].ifname, ifname)))
			c++;
	return c;
}

/* inside n3: a persistent tap on the lab network, owned by nobody */
static int c_tap_in_ns(void *p)
{
	char name[IFNAMSIZ];
	int s = netdev("ipnt3", IPN_NODEFLAG_TAP, name);

	(void)p;
	if (s < 0)
		return 1;
	if (ioctl(s, IPN_SETPERSIST, 1) < 0)
		return 2;
	return 0;
}

static int c_clr_in_ns(void *p)
{
	int s = isock(IPN_ANY);

	return ifreq_ioctl(s, IPN_CLRPERSIST_NETDEV, (const char *)p) < 0 ? errno : 0;
}

#define TCP_BYTES (1 << 20)

static int c_tcp_server(void *p)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(5001) };
	int *ready = p, s, c, one = 1;
	long total = 0;
	char buf[65536];
	ssize_t n;

	inet_pton(AF_INET, "10.7.0.2", &a.sin_addr);
	s = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) || listen(s, 1))
		return 1;
	if (write(*ready, "r", 1) != 1)
		return 2;
	c = accept(s, NULL, NULL);
	if (c < 0)
		return 3;
	while ((n = read(c, buf, sizeof(buf))) > 0)
		total += n;
	return total == TCP_BYTES ? 0 : 4;
}

static int c_tcp_client(void *p)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(5001) };
	static char buf[TCP_BYTES];
	long off = 0;
	ssize_t n;
	int s;

	(void)p;
	inet_pton(AF_INET, "10.7.0.2", &a.sin_addr);
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(s, (struct sockaddr *)&a, sizeof(a)))
		return 1;
	memset(buf, 'T', sizeof(buf));
	while (off < TCP_BYTES && (n = write(s, buf + off, TCP_BYTES - off)) > 0)
		off += n;
	close(s);
	return off == TCP_BYTES ? 0 : 2;
}

static int tcp_transfer(void)
{
	int fds[2], rs, rc;
	char b;
	pid_t srv;
	struct pollfd p;

	if (pipe(fds))
		return 0;
	srv = spawn_netns("n2", c_tcp_server, &fds[1]);
	p.fd = fds[0];
	p.events = POLLIN;
	if (poll(&p, 1, 5000) != 1 || read(fds[0], &b, 1) != 1) {
		kill(srv, 9);
		wait_child(srv);
		return 0;
	}
	rc = in_netns("n1", c_tcp_client, NULL);
	rs = wait_child(srv);
	close(fds[0]);
	close(fds[1]);
	return rc == 0 && rs == 0;
}

/* a member asks who has 10.7.0.3 (the tap's host side) and gets the answer */
static int arp_through_tap(int m)
{
	unsigned char f[64] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 0x99,
				0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, 1,
				0x02, 0, 0, 0, 0, 0x99, 10, 7, 0, 99,
				0, 0, 0, 0, 0, 0, 10, 7, 0, 3 };
	unsigned char r[128];
	ssize_t n;
	int i;

	drain(m);
	if (send(m, f, 60, 0) != 60)
		return 0;
	for (i = 0; i < 20; i++) {
		n = rx_wait(m, r, sizeof(r), 500);
		if (n >= 42 && r[12] == 0x08 && r[13] == 0x06 && r[21] == 2 && r[5] == 0x99 &&
		    !memcmp(r + 28, "\x0a\x07\x00\x03", 4))
			return 1;
	}
	return 0;
}

static void setup(void)
{
	sh("%s netns add n1; %s netns add n2; %s netns add n3", IP, IP, IP);
	sh("%s link add g1 type veth peer name g1p netns n1", IP);
	sh("%s link add g2 type veth peer name g2p netns n2", IP);
	sh("%s link set g1 up; %s link set g2 up", IP, IP);
	sh("%s -n n1 addr add 10.7.0.1/24 dev g1p; %s -n n1 link set g1p up", IP, IP);
	sh("%s -n n2 addr add 10.7.0.2/24 dev g2p; %s -n n2 link set g2p up", IP, IP);
	sh("%s -n n1 link set lo up; %s -n n2 link set lo up; %s -n n3 link set lo up", IP, IP, IP);
}

int main(void)
{
	struct ipn_objects base = { 0 }, o = { 0 };
	char name[IFNAMSIZ];
	struct ifreq ifr;
	int s, g1, g2, t0, m, x, e;

	tinit("netdev");
	get_objects(&base);
	setup();
	lab = tpath("lab");
	s = mknet_policy(lab, IPN_POLICY_SWITCH);
	ok(s >= 0, "a switch network");
	ok(no_ping("n1", "10.7.0.2"), "n1 cannot reach n2 yet");

	g1 = netdev("g1", IPN_NODEFLAG_GRAB, name);
	g2 = netdev("g2", IPN_NODEFLAG_GRAB, name);
	ok(g1 >= 0 && g2 >= 0, "grab g1 and g2 (veth ends of n1 and n2)");
	ok(promisc("g1") == 1 && promisc("g2") == 1, "grabbed interfaces are promiscuous");
	ok(count_kind(s, IPN_PORTKIND_GRAB, "g1") == 1 && count_kind(s, IPN_PORTKIND_GRAB, "g2") == 1,
	   "IPN_SO_PORTLIST shows both grabs by name");
	ok(ping("n1", "10.7.0.2"), "n1 pings n2 through grab - switch - grab");
	ok(tcp_transfer(), "1 MiB of TCP from n1 to n2 through the switch (offloads resegmented)");

	t0 = netdev("ipnt%d", IPN_NODEFLAG_TAP, name);
	ok(t0 >= 0 && !strcmp(name, "ipnt0"), "a tap from the template ipnt%%d: %s", name);
	sh("%s addr add 10.7.0.3/24 dev ipnt0; %s link set ipnt0 up", IP, IP);
	ok(ping("n1", "10.7.0.3"), "n1 pings the host through the tap");
	m = member(lab, IPN_POLICY_SWITCH);
	ok(m >= 0 && arp_through_tap(m), "a member socket's ARP request is answered through the tap");

	ok(in_netns("n3", c_tap_in_ns, NULL) == 0, "a persistent tap made inside namespace n3");
	ok(sh("%s link show ipnt3 >/dev/null 2>&1", IP) != 0 &&
	   sh("%s -n n3 link show ipnt3 >/dev/null 2>&1", IP) == 0, "it lives in n3");
	sh("%s -n n3 addr add 10.7.0.4/24 dev ipnt3; %s -n n3 link set ipnt3 up", IP, IP);
	ok(ping("n1", "10.7.0.4") && ping("n3", "10.7.0.2"), "n1 and n3, n3 and n2 talk through it");
	{
		struct ipn_portent pe[16];
		int n = port_list(s, pe, 16), i, busy = 1;

		for (i = 0; i < n && i < 16; i++)
			if (pe[i].kind != IPN_PORTKIND_SOCKET &&
			    (!pe[i].stats.rx_frames || !pe[i].stats.tx_frames))
				busy = 0;
		ok(n == 5 && busy, "5 ports; every tap and grab counted frames both ways");
	}

	/* errors */
	FAILS(netdev("nosuch0", IPN_NODEFLAG_GRAB, NULL), ENODEV, "grab of a missing interface: ENODEV");
	FAILS(netdev("lo", IPN_NODEFLAG_GRAB, NULL), EINVAL, "grab of loopback: EINVAL");
	FAILS(netdev("g1", IPN_NODEFLAG_GRAB, NULL), EBUSY, "grab of a grabbed interface: EBUSY");
	FAILS(netdev("ipnt0", IPN_NODEFLAG_GRAB, NULL), EINVAL, "grab of an ipn tap: EINVAL");
	FAILS(netdev("ipnt0", IPN_NODEFLAG_TAP, NULL), EEXIST, "a tap with a taken name: EEXIST");
	FAILS(netdev("x", IPN_NODEFLAG_TAP | IPN_NODEFLAG_GRAB, NULL), EINVAL, "tap and grab at once: EINVAL");
	x = isock(IPN_ANY);
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "ipnx0");
	ifr.ifr_flags = IPN_NODEFLAG_TAP;
	FAILS(ioctl(x, IPN_CONN_NETDEV, &ifr), ENOTCONN, "a tap from an unbound socket: ENOTCONN");
	FAILS(ioctl(m, IPN_CONN_NETDEV, &ifr), EPERM, "from a member (no manage right): EPERM");
	FAILS(ioctl(g1, IPN_CONN_NETDEV, &ifr), EISCONN, "a second device on one socket: EISCONN");
	FAILS(ioctl(x, IPN_SETPERSIST, 1), ENODEV, "IPN_SETPERSIST without a device: ENODEV");
	FAILS(ifreq_ioctl(x, IPN_CLRPERSIST_NETDEV, "g1p0"), ENODEV, "IPN_CLRPERSIST_NETDEV of nothing: ENODEV");
	FAILS(ifreq_ioctl(x, IPN_SETPERSIST_NETDEV, "lo"), EADDRNOTAVAIL,
	      "IPN_SETPERSIST_NETDEV of a foreign interface: EADDRNOTAVAIL");
	close(x);
	{
		struct ifreq hw;

		memset(&hw, 0, sizeof(hw));
		hw.ifr_hwaddr.sa_family = 1;
		memcpy(hw.ifr_hwaddr.sa_data, "\x02\x11\x22\x33\x44\x55", 6);
		WORKS(ioctl(t0, SIOCSIFHWADDR, &hw), "SIOCSIFHWADDR sets the tap's MAC address");
		ok(sh("%s link show ipnt0 | grep -q 02:11:22:33:44:55", IP) == 0, "ip link shows it");
		FAILS(ioctl(g1, SIOCSIFHWADDR, &hw), EADDRNOTAVAIL, "not on a grab: EADDRNOTAVAIL");
	}

	/* removal in every way */
	ok(sh("%s link del ipnt0", IP) == 0 && count_kind(s, IPN_PORTKIND_TAP, "ipnt0") == 0,
	   "ip link del of a tap takes its port off");
	ok(no_ping("n1", "10.7.0.3"), "and its traffic stops");
	FAILS(ioctl(t0, IPN_SETPERSIST, 1), ENODEV, "its socket no longer has a device");
	close(t0);
	ok(in_netns("n3", c_clr_in_ns, "ipnt3") == 0, "IPN_CLRPERSIST_NETDEV of the unowned tap in n3");
	ok(sh("%s -n n3 link show ipnt3 >/dev/null 2>&1", IP) != 0 &&
	   count_kind(s, IPN_PORTKIND_TAP, NULL) == 0, "deletes it");
	close(g2);
	ok(promisc("g2") == 0 && count_kind(s, IPN_PORTKIND_GRAB, "g2") == 0,
	   "closing a grab's socket releases the interface");
	ok(no_ping("n1", "10.7.0.2"), "n1 and n2 are cut off again");
	ok(sh("%s link del g1", IP) == 0 && count_kind(s, IPN_PORTKIND_GRAB, NULL) == 0,
	   "deleting a grabbed interface takes its port off");
	FAILS(ioctl(g1, IPN_SETPERSIST, 1), ENODEV, "and its socket has no device");
	close(g1);

	/* persistence and IPN_JOIN_NETDEV */
	t0 = netdev("ipnp0", IPN_NODEFLAG_TAP, NULL);
	ioctl(t0, IPN_SETPERSIST, 1);
	close(t0);
	ok(count_kind(s, IPN_PORTKIND_TAP, "ipnp0") == 1, "a persistent tap outlives its socket");
	x = isock(IPN_ANY);
	ibind(x, lab);
	WORKS(ifreq_ioctl(x, IPN_JOIN_NETDEV, "ipnp0"), "IPN_JOIN_NETDEV: a new socket owns it");
	e = isock(IPN_ANY);
	ibind(e, lab);
	FAILS(ifreq_ioctl(e, IPN_JOIN_NETDEV, "ipnp0"), EBUSY, "a second owner: EBUSY");
	close(e);
	WORKS(ioctl(x, IPN_SETPERSIST, 0), "IPN_SETPERSIST 0");
	close(x);
	ok(count_kind(s, IPN_PORTKIND_TAP, NULL) == 0 &&
	   sh("%s link show ipnp0 >/dev/null 2>&1", IP) != 0, "then closing its owner deletes it");

	/* a network destroyed under its devices */
	sh("%s link add g5 type veth peer name g5p", IP);
	g1 = netdev("g5", IPN_NODEFLAG_GRAB, NULL);
	t0 = netdev("ipnd0", IPN_NODEFLAG_TAP, NULL);
	ioctl(t0, IPN_SETPERSIST, 1);
	close(t0);
	WORKS(setint(s, SOL_IPN, IPN_SO_DESTROY, 1), "destroying the network");
	ok(promisc("g5") == 0 && sh("%s link show ipnd0 >/dev/null 2>&1", IP) != 0,
	   "releases its grab and deletes its persistent tap");
	close(g1);
	close(m);
	close(s);
	sh("%s link del g5; %s netns del n1; %s netns del n2; %s netns del n3", IP, IP, IP, IP);
	unlink(lab);
	get_objects(&o);
	ok(o.ports == base.ports && o.nets == base.nets, "no port or network left behind");
	return tdone();
}
