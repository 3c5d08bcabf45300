// SPDX-License-Identifier: GPL-2.0
/*
 * ipnt: small AF_IPN commands for the guest's shell checks.
 *   ipnt mknet PATH hub|switch|concast [persistent]
 *   ipnt tap PATH IFNAME | grab PATH IFNAME   (persistent, owned by nobody)
 *   ipnt clr IFNAME                           IPN_CLRPERSIST_NETDEV
 *   ipnt connect PATH                         prints OK or the errno name
 *   ipnt hold PATH                            a network and a member, until killed
 *   ipnt smoke                                a hub round trip
 *   ipnt ports PATH | list | objects
 */
#include "common.h"
#include <stdlib.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>

static int policy_of(const char *s)
{
	if (!strcmp(s, "hub"))
		return IPN_POLICY_HUB;
	if (!strcmp(s, "switch"))
		return IPN_POLICY_SWITCH;
	if (!strcmp(s, "concast"))
		return IPN_POLICY_CONCAST;
	return -1;
}

static int fail(const char *what)
{
	fprintf(stderr, "ipnt: %s: %s\n", what, strerror(errno));
	return 1;
}

static int cmd_mknet(const char *path, const char *pol, int persistent)
{
	struct ipn_netconf c;
	int p = policy_of(pol), s;

	if (p < 0)
		return fail("unknown policy");
	conf_init(&c, p);
	if (p == IPN_POLICY_CONCAST) {
		c.concast.key_type = IPN_FIELD_U16;
		c.concast.merge_fn = IPN_MERGE_COUNT;
		c.concast.output = IPN_CONCAST_OUT_SUMMARY;
		c.concast.done_count = 2;
	}
	if (persistent)
		c.flags |= IPN_NET_PERSISTENT;
	unlink(path);
	s = mknet(path, &c);
	if (s < 0)
		return fail("mknet");
	close(s);
	return 0;
}

static int cmd_netdev(const char *path, const char *ifname, int flag)
{
	struct ifreq ifr;
	int s = isock(IPN_ANY);

	if (ibind(s, path) < 0)
		return fail("bind");
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_flags = flag;
	if (ioctl(s, IPN_CONN_NETDEV, &ifr) < 0)
		return fail("IPN_CONN_NETDEV");
	if (ioctl(s, IPN_SETPERSIST, 1) < 0)
		return fail("IPN_SETPERSIST");
	printf("%s at port %d\n", ifr.ifr_name, port_of(s));
	close(s);
	return 0;
}

static int cmd_clr(const char *ifname)
{
	struct ifreq ifr;
	int s = isock(IPN_ANY);

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(s, IPN_CLRPERSIST_NETDEV, &ifr) < 0)
		return fail("IPN_CLRPERSIST_NETDEV");
	close(s);
	return 0;
}

static int cmd_connect(const char *path)
{
	int s = member(path, IPN_ANY);

	if (s < 0) {
		printf("%s\n", errno == ECONNREFUSED ? "ECONNREFUSED" : strerror(errno));
		return 1;
	}
	printf("OK\n");
	return 0;
}

static int cmd_hold(const char *path)
{
	int s = mknet_policy(path, IPN_POLICY_HUB), m = member(path, IPN_POLICY_HUB);

	if (s < 0 || m < 0)
		return fail("hold");
	printf("holding %s\n", path);
	fflush(stdout);
	for (;;)
		pause();
}

static int cmd_smoke(void)
{
	const char *path = tpath("smoke");
	int s = mknet_policy(path, IPN_POLICY_HUB), a = member(path, 0), b = member(path, 0);
	char buf[8];

	if (s < 0 || a < 0 || b < 0 || send(a, "smoke", 5, 0) != 5 || rx(b, buf, sizeof(buf)) != 5)
		return fail("smoke");
	close(a);
	close(b);
	close(s);
	unlink(path);
	return 0;
}

static int cmd_ports(const char *path)
{
	struct ipn_portent pe[64];
	int s = isock(IPN_ANY), n, i;

	if (ibind(s, path) < 0)
		return fail("bind");
	n = port_list(s, pe, 64);
	for (i = 0; i < n && i < 64; i++)
		printf("port %u kind %u rights %u pid %d if %s descr %s rx %llu tx %llu\n", pe[i].port,
		       pe[i].kind, pe[i].rights, pe[i].pid, pe[i].ifname, pe[i].descr,
		       (unsigned long long)pe[i].stats.rx_frames,
		       (unsigned long long)pe[i].stats.tx_frames);
	return n < 0;
}

static int cmd_objects(void)
{
	struct ipn_objects o;

	if (get_objects(&o) < 0)
		return fail("objects");
	printf("nets %llu ports %llu fdb %llu flows %llu rewrites %llu\n",
	       (unsigned long long)o.nets, (unsigned long long)o.ports,
	       (unsigned long long)o.fdb, (unsigned long long)o.flows,
	       (unsigned long long)o.rewrites);
	return 0;
}

int main(int argc, char **argv)
{
	tinit("ipnt");
	if (argc >= 4 && !strcmp(argv[1], "mknet"))
		return cmd_mknet(argv[2], argv[3], argc > 4 && !strcmp(argv[4], "persistent"));
	if (argc == 4 && !strcmp(argv[1], "tap"))
		return cmd_netdev(argv[2], argv[3], IPN_NODEFLAG_TAP);
	if (argc == 4 && !strcmp(argv[1], "grab"))
		return cmd_netdev(argv[2], argv[3], IPN_NODEFLAG_GRAB);
	if (argc == 3 && !strcmp(argv[1], "clr"))
		return cmd_clr(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "connect"))
		return cmd_connect(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "hold"))
		return cmd_hold(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "smoke"))
		return cmd_smoke();
	if (argc == 3 && !strcmp(argv[1], "ports"))
		return cmd_ports(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "objects"))
		return cmd_objects();
	fprintf(stderr, "usage: ipnt mknet|tap|grab|clr|connect|hold|smoke|ports|objects ...\n");
	return 2;
}
