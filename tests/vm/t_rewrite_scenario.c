// SPDX-License-Identifier: GPL-2.0
/*
 * The scenario of tests/e2e/policy_rewrite.sh against the module's hook
 * instead of nftables: multicast UDP sent to a group on one veth arrives
 * as unicast at plain UDP servers bound on another interface's address,
 * with checksums the receiving stack verifies in software; ports outside
 * the rule are left alone; bad input changes nothing; removing the rule
 * stops the delivery.
 *
 *   ns S: s0 10.8.0.2 --veth-- rin 10.8.0.1 (ns R)    rto 10.9.0.1 (ns R, the target) --veth-- rtop
 *
 * The test itself runs in R; the sender in S.
 */
#include "common.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/ethtool.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>

struct msg {
	const char *group, *text;
	int port, csum; /* csum: -1 a UDP socket; 2 a raw frame with a wrong checksum */
};

/* checksum offload off: computed in software on the way out, verified on the way in */
static int offload_off(const char *ifname, unsigned int cmd)
{
	struct ethtool_value v = { .cmd = cmd, .data = 0 };
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM, 0), r;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = (void *)&v;
	r = ioctl(s, SIOCETHTOOL, &ifr);
	close(s);
	return r;
}

static int c_tx_off(void *p)
{
	(void)p;
	return offload_off("s0", ETHTOOL_STXCSUM) ? 1 : 0;
}

static unsigned short csum16(const unsigned char *b, size_t n, unsigned int sum)
{
	for (; n > 1; n -= 2, b += 2)
		sum += (b[0] << 8) | b[1];
	if (n)
		sum += b[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

/* in S: a datagram to the group, by a UDP socket or as a raw frame with a broken checksum */
static int c_send(void *p)
{
	struct msg *m = p;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(m->port) };
	struct in_addr src;
	int s;

	inet_pton(AF_INET, m->group, &to.sin_addr);
	inet_pton(AF_INET, "10.8.0.2", &src);
	if (m->csum < 0) {
		s = socket(AF_INET, SOCK_DGRAM, 0);
		if (setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, &src, sizeof(src)))
			return 1;
		return sendto(s, m->text, strlen(m->text), 0, (struct sockaddr *)&to, sizeof(to)) > 0 ? 0 : 2;
	}
	{
		unsigned char f[128] = { 0x01, 0x00, 0x5e }, ph[12];
		size_t plen = strlen(m->text), ulen = 8 + plen, tot = 20 + ulen;
		unsigned int g = ntohl(to.sin_addr.s_addr), sum = 0, i;
		struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_halen = 6 };
		struct ifreq ifr;
		unsigned short c;

		s = socket(AF_PACKET, SOCK_RAW, htons(0x0800));
		memset(&ifr, 0, sizeof(ifr));
		strcpy(ifr.ifr_name, "s0");
		if (s < 0 || ioctl(s, SIOCGIFHWADDR, &ifr))
			return 3;
		f[3] = (g >> 16) & 0x7f;
		f[4] = g >> 8;
		f[5] = g;
		memcpy(f + 6, ifr.ifr_hwaddr.sa_data, 6);
		f[12] = 0x08;
		f[14] = 0x45;
		f[16] = tot >> 8;
		f[17] = tot;
		f[22] = 1;
		f[23] = 17;
		memcpy(f + 26, &src, 4);
		memcpy(f + 30, &to.sin_addr, 4);
		c = csum16(f + 14, 20, 0);
		f[24] = c >> 8;
		f[25] = c;
		f[34] = 0x30;
		f[35] = 0x39;
		f[36] = m->port >> 8;
		f[37] = m->port;
		f[38] = ulen >> 8;
		f[39] = ulen;
		memcpy(f + 42, m->text, plen);
		memcpy(ph, &src, 4);
		memcpy(ph + 4, &to.sin_addr, 4);
		ph[8] = 0;
		ph[9] = 17;
		ph[10] = ulen >> 8;
		ph[11] = ulen;
		for (i = 0; i < 12; i += 2)
			sum += (ph[i] << 8) | ph[i + 1];
		c = csum16(f + 34, ulen, sum) ^ 0x0101; /* broken on purpose */
		f[40] = c >> 8;
		f[41] = c;
		ll.sll_ifindex = if_nametoindex("s0");
		memcpy(ll.sll_addr, f, 6);
		return sendto(s, f, 14 + tot, 0, (struct sockaddr *)&ll, sizeof(ll)) > 0 ? 0 : 4;
	}
}

static void send_from_s(const char *group, int port, const char *text, int csum)
{
	struct msg m = { group, text, port, csum };

	if (in_netns("ipnrw_s", c_send, &m))
		diag("  sending %s to %s:%d failed", text, group, port);
}

/* a plain UDP server on 10.9.0.1:port */
static int server(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	inet_pton(AF_INET, "10.9.0.1", &a.sin_addr);
	return bind(s, (struct sockaddr *)&a, sizeof(a)) ? -1 : s;
}

static int got(int s, const char *text)
{
	char buf[64];
	struct pollfd p = { .fd = s, .events = POLLIN };
	ssize_t n;

	if (poll(&p, 1, 2000) != 1)
		return 0;
	n = recv(s, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	if (n < 0)
		return 0;
	buf[n] = 0;
	return !strcmp(buf, text);
}

static int quiet(int s)
{
	struct pollfd p = { .fd = s, .events = POLLIN };

	return poll(&p, 1, 500) == 0;
}

/* a counter of /proc/net/snmp: proto "Udp", field "InDatagrams" */
static long snmp(const char *proto, const char *field)
{
	char head[1024], vals[1024], *h, *v, *hs, *vs;
	size_t pl = strlen(proto);
	long r = -1;
	FILE *f = fopen("/proc/net/snmp", "r");

	while (f && fgets(head, sizeof(head), f) && fgets(vals, sizeof(vals), f)) {
		if (strncmp(head, proto, pl) || head[pl] != ':')
			continue;
		for (h = strtok_r(head + pl + 1, " \n", &hs), v = strtok_r(vals + pl + 1, " \n", &vs);
		     h && v; h = strtok_r(NULL, " \n", &hs), v = strtok_r(NULL, " \n", &vs))
			if (!strcmp(h, field))
				r = atol(v);
	}
	if (f)
		fclose(f);
	return r;
}

static int rule_add(const char *name, const char *in, const char *out, const char *group, int prefix,
		    int nranges, const int (*ranges)[2])
{
	struct ipn_rewrite r;
	int s = isock(IPN_ANY), ret, i;

	memset(&r, 0, sizeof(r));
	snprintf(r.name, sizeof(r.name), "%s", name);
	snprintf(r.in_ifname, sizeof(r.in_ifname), "%s", in);
	snprintf(r.out_ifname, sizeof(r.out_ifname), "%s", out);
	inet_pton(AF_INET, group, &r.group);
	r.prefix = prefix;
	r.nports = nranges;
	for (i = 0; i < nranges; i++) {
		r.ports[i].from = ranges[i][0];
		r.ports[i].to = ranges[i][1];
	}
	ret = setsockopt(s, SOL_IPN, IPN_SO_REWRITE_ADD, &r, sizeof(r));
	close(s);
	return ret;
}

/* the rules, as "name:packets" separated by spaces */
static const char *listing(void)
{
	static char out[256];
	char buf[sizeof(struct ipn_list) + 8 * sizeof(struct ipn_rewrite)];
	struct ipn_list *h = (struct ipn_list *)buf;
	struct ipn_rewrite *r = (struct ipn_rewrite *)(h + 1);
	socklen_t l = sizeof(buf);
	int s = isock(IPN_ANY), i;
	size_t at = 0;

	out[0] = 0;
	memset(h, 0, sizeof(*h));
	if (!getsockopt(s, SOL_IPN, IPN_SO_REWRITE_LIST, buf, &l))
		for (i = 0; i < (int)h->count && at < sizeof(out) - 80; i++)
			at += snprintf(out + at, sizeof(out) - at, "%s%s:%llu", i ? " " : "", r[i].name,
				       (unsigned long long)r[i].packets);
	close(s);
	return out;
}

int main(void)
{
	static const int good[2][2] = { { 10000, 10000 }, { 10010, 10020 } };
	static const int overlap[1][2] = { { 10000, 10005 } };
	char before[256];
	int s10000, s10015, s10001, s10012, fd;

	tinit("rewrite_scenario");
	sh("%s netns add ipnrw_s; %s netns add ipnrw_r", IP, IP);
	sh("%s -n ipnrw_s link add s0 type veth peer name rin netns ipnrw_r", IP);
	sh("%s -n ipnrw_r link add rto type veth peer name rtop", IP);
	sh("%s -n ipnrw_s addr add 10.8.0.2/24 dev s0; %s -n ipnrw_s link set s0 up", IP, IP);
	sh("%s -n ipnrw_s route add 224.0.0.0/4 dev s0", IP);
	sh("%s -n ipnrw_r addr add 10.8.0.1/24 dev rin; %s -n ipnrw_r addr add 10.9.0.1/24 dev rto", IP, IP);
	sh("for i in lo rin rto rtop; do %s -n ipnrw_r link set $i up; done", IP);
	fd = open("/run/netns/ipnrw_r", O_RDONLY);
	ok(fd >= 0 && !setns(fd, CLONE_NEWNET), "sender namespace S: s0 -- rin, rto 10.9.0.1 in R (the test's)");
	close(fd);
	ok(!in_netns("ipnrw_s", c_tx_off, NULL) && !offload_off("rin", ETHTOOL_SRXCSUM),
	   "checksums computed in software out of s0, verified in software on rin");
	sh("echo 1 >/proc/sys/net/ipv4/conf/rin/drop_unicast_in_l2_multicast");

	/* bad input changes nothing */
	ok(rule_add("six", "rin", "rto", "10.0.0.0", 8, 0, NULL) < 0 && errno == EINVAL &&
	   rule_add("big", "rin", "rto", "239.0.0.0", 3, 0, NULL) < 0 && errno == EINVAL &&
	   !listing()[0], "a unicast range, a prefix below 4: refused (EINVAL), no rule made");

	WORKS(rule_add("cam-feed", "rin", "rto", "239.0.0.0", 8, 2, good),
	      "apply: cam-feed, from rin, udp 239.0.0.0/8 ports 10000 and 10010-10020, to rto");
	ok(rule_add("cam-feed", "rin", "rto", "239.1.0.0", 16, 1, overlap) < 0 && errno == EEXIST,
	   "applying a rule of the same name again: EEXIST");
	ok(!strcmp(listing(), "cam-feed:0"), "the listing: cam-feed, 0 packets (%s)", listing());

	s10000 = server(10000);
	s10015 = server(10015);
	s10001 = server(10001);
	s10012 = server(10012);
	ok(s10000 >= 0 && s10015 >= 0 && s10001 >= 0 && s10012 >= 0,
	   "plain UDP servers bound on 10.9.0.1:10000, :10015, :10001, :10012");
	send_from_s("239.1.2.3", 10000, "hello-10000", -1);
	send_from_s("239.200.0.9", 10015, "hello-10015", -1);
	send_from_s("239.1.2.3", 10001, "not-rewritten", -1);
	ok(got(s10000, "hello-10000"), "the server on 10.9.0.1:10000 got the datagram");
	ok(got(s10015, "hello-10015"), "port range 10010-10020 matches 10015");
	ok(quiet(s10001), "port 10001 is not rewritten");
	ok(snmp("Udp", "InDatagrams") == 2 && snmp("Udp", "InCsumErrors") == 0,
	   "verified in software: 2 datagrams in, no checksum error (%ld, %ld)",
	   snmp("Udp", "InDatagrams"), snmp("Udp", "InCsumErrors"));
	ok(snmp("Ip", "InHdrErrors") == 0, "no IP header errors");
	ok(!strcmp(listing(), "cam-feed:2"), "the rule counts 2 packets rewritten (%s)", listing());
	send_from_s("239.1.2.3", 10012, "broken-checksum", 2);
	ok(quiet(s10012) && snmp("Udp", "InCsumErrors") == 1,
	   "control: a datagram with a broken checksum is rewritten too, and the stack catches it");

	strcpy(before, listing());
	ok(rule_add("cam-feed", "rin", "rto", "10.1.0.0", 16, 0, NULL) < 0 && !strcmp(before, listing()),
	   "bad input after apply: the live rules unchanged");

	ok(setsockopt(isock(IPN_ANY), SOL_IPN, IPN_SO_REWRITE_DEL, "cam-feed", 9) == 0 && !listing()[0],
	   "remove: no rule left");
	send_from_s("239.1.2.3", 10000, "after-removal", -1);
	ok(quiet(s10000), "no delivery after removal");
	ok(setsockopt(isock(IPN_ANY), SOL_IPN, IPN_SO_REWRITE_DEL, "cam-feed", 9) < 0 && errno == ENOENT,
	   "remove again: nothing to do (ENOENT)");
	close(s10000);
	close(s10015);
	close(s10001);
	close(s10012);
	sh("%s netns del ipnrw_s; %s netns del ipnrw_r", IP, IP);
	return tdone();
}
