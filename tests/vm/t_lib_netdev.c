// SPDX-License-Identifier: GPL-2.0
/*
 * Taps and grabs through libipn's kernel backend, the cases of
 * tests/e2e/engine_tap_switch.sh and engine_grab.sh: two taps on a switch,
 * moved into namespaces and configured there with libipn's interface
 * helpers, ping each other; learned unicast spares a third tap; removal
 * deletes taps wherever they are; a grabbed veth carries traffic, is
 * promiscuous while grabbed, does not read back its own frames, counts
 * frames over the MTU, is released unchanged, and leaves when deleted.
 */
#include "libt.h"
#include <unistd.h>
#include <net/if.h>
#include <linux/if_packet.h>

static int ping(const char *ns, const char *addr, int count)
{
	return sh("%s netns exec %s ping -c %d -i 0.05 -W 2 %s >/dev/null 2>&1", IP, ns, count, addr) == 0;
}

static int ping_retry(const char *ns, const char *addr)
{
	for (int i = 0; i < 10; i++)
		if (ping(ns, addr, 1))
			return 1;
	return 0;
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

/* inside a namespace: configure a tap with libipn's helpers and check it */
static int c_configure(void *p)
{
	const char **a = p;
	struct ipn_if_info i;
	char addrs[256];

	if (ipn_if_addr_add(a[0], a[1]) || ipn_if_set(a[0], 1, 1400))
		return 1;
	if (ipn_if_info(a[0], &i) || strcmp(i.kind, "ipn") || i.mtu != 1400 || !(i.flags & IFF_UP))
		return 2;
	if (ipn_if_addrs(a[0], addrs, sizeof(addrs)) < 0 || !strstr(addrs, a[1]))
		return 3;
	return 0;
}

static uint64_t port_stat(const char *net, uint32_t port, int tx)
{
	const struct ipn_port_info *p = lt_port(net, port);

	return !p ? 0 : tx ? p->stats.tx_frames : p->stats.rx_frames;
}

static void taps(void)
{
	const char *a1[] = { "lt1", "10.77.0.1/24" }, *a2[] = { "lt2", "10.77.0.2/24" };
	struct ipn_net_info i;
	struct ipn_port_info pl[8];
	uint64_t before;
	int n, k, taps = 0;

	/* IPv6 off, as the engine's tests do: no autoconfiguration chatter */
	sh("%s netns add ts1; %s netns add ts2", IP, IP);
	sh("for n in ts1 ts2; do %s netns exec $n sysctl -qw net.ipv6.conf.all.disable_ipv6=1 "
	   "net.ipv6.conf.default.disable_ipv6=1; done", IP);
	lt_net("tsw", IPN_POLICY_SWITCH);
	ok(ipn_tap_add(ctx, "tsw", "lt1", -1) == 1, "the first tap at port 1");
	ok(ipn_tap_add(ctx, "tsw", "lt2", 5) == 5, "the second at the port asked for, 5");
	ok(lt_err(ipn_tap_add(ctx, "tsw", "lt2", -1), -EEXIST, "an interface with this name exists"),
	   "a taken name: EEXIST");
	ok(lt_err(ipn_tap_add(ctx, "tsw", "bad/name", -1), -EINVAL, "interface name"), "a bad name: EINVAL");
	ok(lt_err(ipn_tap_add(ctx, "tsw", "lt9", 5), -EBUSY, "port in use"), "a taken port: EBUSY");
	ok(lt_err(ipn_tap_add(ctx, "tsw", "lt9", 99), -EINVAL, "port outside the network"),
	   "a port beyond the network: EINVAL");
	sh("%s link set lt1 netns ts1; %s link set lt2 netns ts2", IP, IP);
	ok(in_netns("ts1", c_configure, a1) == 0 && in_netns("ts2", c_configure, a2) == 0,
	   "moved into ts1 and ts2, configured there with ipn_if_* (kind ipn, mtu 1400, up, address)");
	ok(ping_retry("ts1", "10.77.0.2") && ping("ts1", "10.77.0.2", 5), "ts1 pings ts2 through the switch");
	ipn_net_get(ctx, "tsw", &i);
	ok(i.stats.rx_frames >= 12 && i.stats.tx_frames >= 12 && !i.stats.drops[IPN_DROP_QUEUE_FULL],
	   "counters: rx %llu, tx %llu, no queue drops", (unsigned long long)i.stats.rx_frames,
	   (unsigned long long)i.stats.tx_frames);
	n = ipn_port_list(ctx, "tsw", pl, 8);
	for (k = 0; k < n && k < 8; k++)
		taps += pl[k].kind == IPN_PORT_TAP;
	ok(taps == 2 && i.attachments == 2, "both taps listed, 2 attachments");

	ok(ipn_tap_add(ctx, "tsw", "lt3", -1) == 2, "a third tap (port 2) stays here, up");
	sh("%s link set lt3 up", IP);
	before = port_stat("tsw", 2, 1);
	ping("ts1", "10.77.0.2", 20);
	ok(port_stat("tsw", 2, 1) - before < 5, "learned unicast is not flooded to it (%llu frames)",
	   (unsigned long long)(port_stat("tsw", 2, 1) - before));
	WORKS(ipn_attach_del(ctx, "tsw", "lt1"), "detach lt1 (in ts1)");
	WORKS(ipn_attach_del(ctx, "tsw", "lt3"), "detach lt3");
	ok(sh("%s -n ts1 link show lt1 >/dev/null 2>&1", IP) != 0 &&
	   sh("%s link show lt3 >/dev/null 2>&1", IP) != 0, "both deleted, wherever they were");
	ok(!ipn_net_get(ctx, "tsw", &i) && i.attachments == 1, "1 attachment left");
	ok(lt_err(ipn_attach_del(ctx, "tsw", "lt1"), -ENOENT, "no such tap or grab"), "again: ENOENT");
	WORKS(ipn_net_destroy(ctx, "tsw"), "destroy the network");
	ok(sh("%s -n ts2 link show lt2 >/dev/null 2>&1", IP) != 0 && access(lt_path("tsw"), F_OK) < 0,
	   "its tap in ts2 and its node are gone");
	sh("%s netns del ts1; %s netns del ts2", IP, IP);
}

static void grabs(void)
{
	uint64_t rx, tx;
	int k;

	sh("%s netns add gr1; %s netns add gr2", IP, IP);
	sh("%s link add lgv type veth peer name lgvp netns gr1", IP);
	sh("%s -n gr1 addr add 10.78.0.1/24 dev lgvp; %s -n gr1 link set lgvp up", IP, IP);
	sh("%s link set lgv up", IP);
	ok(promisc("lgv") == 0, "the veth is not promiscuous");
	lt_net("gsw", IPN_POLICY_SWITCH);
	ok(ipn_grab_add(ctx, "gsw", "lgv", -1) == 1 && promisc("lgv") == 1, "grabbed: promiscuous");
	ok(lt_err(ipn_grab_add(ctx, "gsw", "nosuch0", -1), -ENODEV, "no such interface"),
	   "grabbing a missing interface: ENODEV");
	ok(lt_err(ipn_grab_add(ctx, "gsw", "lgv", -1), -EBUSY, "already attached"),
	   "grabbing it twice: EBUSY");
	ok(ipn_tap_add(ctx, "gsw", "lgt", -1) == 2, "a tap beside it");
	sh("%s link set lgt netns gr2; %s -n gr2 addr add 10.78.0.2/24 dev lgt; %s -n gr2 link set lgt up",
	   IP, IP, IP);
	ok(ping_retry("gr2", "10.78.0.1") && ping("gr2", "10.78.0.1", 10),
	   "gr2 (the tap) reaches gr1 behind the grabbed veth");
	rx = port_stat("gsw", 1, 0);
	tx = port_stat("gsw", 1, 1);
	ok(tx >= 11 && rx <= tx + 3, "the grab does not read back what it sends: rx %llu, tx %llu",
	   (unsigned long long)rx, (unsigned long long)tx);
	{
		struct ipn_net_info i;
		struct ipn_net_config c;

		ipn_net_get(ctx, "gsw", &i);
		c = i.cfg;
		c.mtu = 600;
		ipn_net_update(ctx, &c);
	}
	ping("gr1", "-s 1000 10.78.0.2", 1);
	ok(lt_drops("gsw", IPN_DROP_TOO_BIG) >= 1, "frames over the MTU (600) are counted as too big");
	WORKS(ipn_attach_del(ctx, "gsw", "lgv"), "release the grab");
	ok(promisc("lgv") == 0 && sh("%s link show lgv >/dev/null 2>&1", IP) == 0,
	   "the veth exists, no longer promiscuous");
	ok(ipn_grab_add(ctx, "gsw", "lgv", -1) > 0, "grabbed again");
	sh("%s link del lgv", IP);
	for (k = 0; k < 50 && lt_port("gsw", 1); k++)
		msleep(100);
	ok(!lt_port("gsw", 1), "deleting the interface takes its grab off the network");
	ipn_net_destroy(ctx, "gsw");
	sh("%s netns del gr1; %s netns del gr2", IP, IP);
}

/* a switch takes an 802.1Q-tagged frame of MTU + 4 from a device, as the engine does */
static void tagged_mtu(void)
{
	struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_halen = 6 };
	ipn_member *m;
	uint8_t f[1600], r[1600];
	int s, seen = 0;
	ssize_t n;

	lt_net("tmtu", IPN_POLICY_SWITCH);
	ipn_tap_add(ctx, "tmtu", "ltm", -1);
	sh("%s link set ltm up", IP);
	m = lt_join("tmtu", 0);
	for (uint32_t port = 1; port <= 2; port++) {
		struct ipn_port_vlan v = { .port = port, .pvid = 1 };

		v.trunk[0] = 1 << 5;
		ipn_vlan_set(ctx, "tmtu", &v);
	}
	/* 1518 bytes out of the tap: the host sends a full frame tagged VLAN 5 */
	memset(f, 0xab, sizeof(f));
	memset(f, 0xff, 6);
	f[6] = 0x02;
	f[12] = 0x81;
	f[13] = 0x00;
	f[14] = 0;
	f[15] = 5;
	f[16] = 0x88;
	f[17] = 0xb5;
	s = socket(AF_PACKET, SOCK_RAW, 0);
	ll.sll_ifindex = (int)if_nametoindex("ltm");
	ok(sendto(s, f, 1518, 0, (struct sockaddr *)&ll, sizeof(ll)) == 1518,
	   "a 1518-byte frame tagged VLAN 5 sent on the tap (MTU 1500)");
	close(s);
	while ((n = lt_recv(m, r, sizeof(r), 500)) >= 0)
		seen |= n == 1518 && r[12] == 0x81 && r[15] == 5;
	ok(seen && lt_drops("tmtu", IPN_DROP_TOO_BIG) == 0,
	   "the 1514-MTU switch passes it whole: the tag does not count against the MTU");
	ipn_leave(m);
	ipn_net_destroy(ctx, "tmtu");
}

int main(void)
{
	tinit("lib_netdev");
	ok(lt_open() == IPN_BACKEND_KERNEL, "kernel backend");
	taps();
	grabs();
	tagged_mtu();
	ok(ipn_net_list(ctx, NULL, 0) == 0, "no network left");
	ipn_close(ctx);
	return tdone();
}
