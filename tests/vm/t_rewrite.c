// SPDX-License-Identifier: GPL-2.0
/*
 * The rewrite hook: multicast UDP arriving on ra (from namespace rs) to a
 * group in 239.0.0.0/8, port 10000, becomes unicast to rb's MAC and IPv4
 * address and reaches a plain UDP socket bound to that address, as if it
 * had come in on rb. Checksums are checked by the receiving stack itself
 * with raw frames that carry a computed, a wrong and no UDP checksum.
 *
 *   rs: rap 10.8.0.2 --veth-- ra 10.8.0.1 (init)      rb 10.9.0.1 (init) --veth-- rbp (rt)
 */
#include "common.h"
#include <arpa/inet.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>

struct sendarg {
	const char *group;
	int port;
	int csum; /* raw frames: 0 none, 1 right, 2 wrong; -1: a UDP socket */
};

static int rule(const char *name, const char *in, const char *out, const char *group, int prefix,
		int from, int to, const char *addr)
{
	struct ipn_rewrite r;
	int s = isock(IPN_ANY), ret;

	memset(&r, 0, sizeof(r));
	snprintf(r.name, sizeof(r.name), "%s", name);
	snprintf(r.in_ifname, sizeof(r.in_ifname), "%s", in);
	snprintf(r.out_ifname, sizeof(r.out_ifname), "%s", out);
	inet_pton(AF_INET, group, &r.group);
	r.prefix = prefix;
	if (from) {
		r.nports = 1;
		r.ports[0].from = from;
		r.ports[0].to = to;
	}
	if (addr)
		inet_pton(AF_INET, addr, &r.addr);
	ret = setsockopt(s, SOL_IPN, IPN_SO_REWRITE_ADD, &r, sizeof(r));
	close(s);
	return ret;
}

static int rule_del(const char *name)
{
	int s = isock(IPN_ANY), r = setsockopt(s, SOL_IPN, IPN_SO_REWRITE_DEL, name, strlen(name) + 1);

	close(s);
	return r;
}

static unsigned short csum16(const void *p, size_t n, unsigned int sum)
{
	const unsigned char *b = p;

	for (; n > 1; n -= 2, b += 2)
		sum += (b[0] << 8) | b[1];
	if (n)
		sum += b[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

/* an Ethernet/IPv4/UDP multicast frame out of rap, built by hand */
static int raw_send(int s, int ifindex, const unsigned char *src_mac, struct in_addr saddr,
		    struct in_addr group, int port, int csum)
{
	unsigned char f[128], ph[12];
	const char *payload = "raw-frame";
	size_t plen = strlen(payload), ulen = 8 + plen, tot = 20 + ulen;
	struct sockaddr_ll ll;
	unsigned int g = ntohl(group.s_addr);
	unsigned short c;

	memset(f, 0, sizeof(f));
	f[0] = 0x01; f[1] = 0x00; f[2] = 0x5e;
	f[3] = (g >> 16) & 0x7f; f[4] = g >> 8; f[5] = g;
	memcpy(f + 6, src_mac, 6);
	f[12] = 0x08; f[13] = 0x00;
	f[14] = 0x45; f[16] = tot >> 8; f[17] = tot; f[22] = 1; f[23] = 17;
	memcpy(f + 26, &saddr, 4);
	memcpy(f + 30, &group, 4);
	c = csum16(f + 14, 20, 0);
	f[24] = c >> 8; f[25] = c;
	f[34] = 0x12; f[35] = 0x34; f[36] = port >> 8; f[37] = port;
	f[38] = ulen >> 8; f[39] = ulen;
	memcpy(f + 42, payload, plen);
	if (csum) {
		memcpy(ph, &saddr, 4);
		memcpy(ph + 4, &group, 4);
		ph[8] = 0; ph[9] = 17; ph[10] = ulen >> 8; ph[11] = ulen;
		{
			unsigned int sum = 0;
			size_t i;

			for (i = 0; i < 12; i += 2)
				sum += (ph[i] << 8) | ph[i + 1];
			c = csum16(f + 34, ulen, sum);
		}
		if (!c)
			c = 0xffff;
		if (csum == 2)
			c ^= 0x0101;
		f[40] = c >> 8; f[41] = c;
	}
	memset(&ll, 0, sizeof(ll));
	ll.sll_family = AF_PACKET;
	ll.sll_ifindex = ifindex;
	ll.sll_halen = 6;
	memcpy(ll.sll_addr, f, 6);
	return sendto(s, f, 14 + tot, 0, (struct sockaddr *)&ll, sizeof(ll)) == (ssize_t)(14 + tot) ? 0 : 1;
}

/* in rs: one multicast datagram out of rap */
static int c_send(void *p)
{
	struct sendarg *a = p;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(a->port) };
	struct in_addr src;
	struct ifreq ifr;
	int s;

	inet_pton(AF_INET, a->group, &to.sin_addr);
	inet_pton(AF_INET, "10.8.0.2", &src);
	if (a->csum < 0) {
		s = socket(AF_INET, SOCK_DGRAM, 0);
		if (setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, &src, sizeof(src)))
			return 1;
		return sendto(s, "hello-mc", 8, 0, (struct sockaddr *)&to, sizeof(to)) == 8 ? 0 : 2;
	}
	s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_IP));
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "rap");
	if (s < 0 || ioctl(s, SIOCGIFHWADDR, &ifr))
		return 3;
	return raw_send(s, if_nametoindex("rap"), (unsigned char *)ifr.ifr_hwaddr.sa_data, src,
			to.sin_addr, a->port, a->csum) ? 4 : 0;
}

static int from_rs(const char *group, int port, int csum)
{
	struct sendarg a = { group, port, csum };

	return in_netns("rs", c_send, &a);
}

static int server(const char *addr, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int s = socket(AF_INET, SOCK_DGRAM, 0), one = 1;

	inet_pton(AF_INET, addr, &a.sin_addr);
	setsockopt(s, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&a, sizeof(a)))
		return -1;
	return s;
}

/* wait for a datagram: its text, interface and addresses */
static int got(int s, const char *text, int ifindex, const char *dst, const char *src)
{
	char buf[64], cbuf[256];
	struct sockaddr_in from;
	struct iovec iov = { buf, sizeof(buf) - 1 };
	struct msghdr mh = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov,
			     .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct in_pktinfo *pi = NULL;
	struct cmsghdr *cm;
	struct in_addr want_dst, want_src;
	struct pollfd p = { .fd = s, .events = POLLIN };
	ssize_t n;

	if (poll(&p, 1, 2000) != 1)
		return 0;
	n = recvmsg(s, &mh, MSG_DONTWAIT);
	if (n < 0)
		return 0;
	buf[n] = 0;
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO)
			pi = (struct in_pktinfo *)CMSG_DATA(cm);
	inet_pton(AF_INET, dst, &want_dst);
	inet_pton(AF_INET, src, &want_src);
	if (strcmp(buf, text) || !pi || pi->ipi_ifindex != ifindex ||
	    pi->ipi_addr.s_addr != want_dst.s_addr || from.sin_addr.s_addr != want_src.s_addr) {
		diag("  got '%s' if %d", buf, pi ? pi->ipi_ifindex : -1);
		return 0;
	}
	return 1;
}

/* Udp InCsumErrors of this namespace */
static long udp_csum_errors(void)
{
	char line[512], *p;
	long v = -1;
	int i, seen = 0;
	FILE *f = fopen("/proc/net/snmp", "r");

	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "Udp: ", 5))
			continue;
		if (!seen++)
			continue; /* the header line */
		for (p = strtok(line + 5, " "), i = 0; p && i < 6; p = strtok(NULL, " "), i++)
			;
		if (p)
			v = atol(p); /* InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors */
	}
	if (f)
		fclose(f);
	return v;
}

static int quiet(int s)
{
	struct pollfd p = { .fd = s, .events = POLLIN };

	return poll(&p, 1, 500) == 0;
}

static int list_packets(const char *name)
{
	char buf[sizeof(struct ipn_list) + 8 * sizeof(struct ipn_rewrite)];
	struct ipn_list *h = (struct ipn_list *)buf;
	struct ipn_rewrite *r = (struct ipn_rewrite *)(h + 1);
	socklen_t l = sizeof(buf);
	int s = isock(IPN_ANY), i, n = -1;

	memset(h, 0, sizeof(*h));
	if (!getsockopt(s, SOL_IPN, IPN_SO_REWRITE_LIST, buf, &l))
		for (i = 0; i < (int)h->count; i++)
			if (!strcmp(r[i].name, name))
				n = r[i].packets;
	close(s);
	return n;
}

int main(void)
{
	struct ipn_objects o = { 0 };
	int s, s2, s5, rb;

	tinit("rewrite");
	sh("%s netns add rs; %s netns add rt", IP, IP);
	sh("%s link add ra type veth peer name rap netns rs", IP);
	sh("%s link add rb type veth peer name rbp netns rt", IP);
	sh("%s addr add 10.8.0.1/24 dev ra; %s link set ra up", IP, IP);
	sh("%s -n rs addr add 10.8.0.2/24 dev rap; %s -n rs link set rap up", IP, IP);
	sh("%s addr add 10.9.0.1/24 dev rb; %s addr add 10.9.0.5/24 dev rb; %s link set rb up", IP, IP, IP);
	sh("%s -n rt addr add 10.9.0.2/24 dev rbp; %s -n rt link set rbp up", IP, IP);
	rb = if_nametoindex("rb");
	s = server("10.9.0.1", 10000);
	s2 = server("10.9.0.1", 10001);
	s5 = server("10.9.0.5", 10000);
	ok(s >= 0 && s2 >= 0 && s5 >= 0, "UDP servers on 10.9.0.1:10000, :10001 and 10.9.0.5:10000");

	from_rs("239.1.2.3", 10000, -1);
	ok(quiet(s), "without a rule the multicast reaches no server");
	WORKS(rule("cam", "ra", "rb", "239.0.0.0", 8, 10000, 10000, NULL),
	      "rule cam: ra, 239.0.0.0/8, port 10000 -> rb");
	from_rs("239.1.2.3", 10000, -1);
	ok(got(s, "hello-mc", rb, "10.9.0.1", "10.8.0.2"),
	   "a plain UDP socket on 10.9.0.1 gets it, as if received on rb, from 10.8.0.2");
	from_rs("239.1.2.3", 10001, -1);
	ok(quiet(s2), "another port is left alone");
	from_rs("224.5.5.5", 10000, -1);
	ok(quiet(s), "a group outside the range is left alone");
	from_rs("239.1.2.3", 10000, 1);
	ok(got(s, "raw-frame", rb, "10.9.0.1", "10.8.0.2"),
	   "a frame with a computed UDP checksum passes the receiver's check after the rewrite");
	{
		long before = udp_csum_errors();

		from_rs("239.1.2.3", 10000, 2);
		ok(quiet(s) && udp_csum_errors() == before + 1,
		   "a frame with a wrong UDP checksum still fails it (InCsumErrors %ld -> %ld)",
		   before, udp_csum_errors());
	}
	from_rs("239.1.2.3", 10000, 0);
	ok(got(s, "raw-frame", rb, "10.9.0.1", "10.8.0.2"), "a frame without UDP checksum passes");
	ok(list_packets("cam") == 4, "IPN_SO_REWRITE_LIST counts 4 rewritten packets");

	FAILS(rule("cam", "ra", "rb", "239.0.0.0", 8, 0, 0, NULL), EEXIST, "the same name twice: EEXIST");
	FAILS(rule("x", "ra", "rb", "10.0.0.0", 8, 0, 0, NULL), EINVAL, "a unicast range: EINVAL");
	FAILS(rule("x", "ra", "rb", "239.0.0.0", 33, 0, 0, NULL), EINVAL, "prefix 33: EINVAL");
	FAILS(rule("x", "ra", "rb", "239.1.0.0", 8, 0, 0, NULL), EINVAL, "host bits set: EINVAL");
	FAILS(rule("x", "ra", "ra", "239.0.0.0", 8, 0, 0, NULL), EINVAL, "in and out the same: EINVAL");
	FAILS(rule("x", "ra", "rb", "239.0.0.0", 8, 20, 10, NULL), EINVAL, "an empty port range: EINVAL");
	FAILS(rule("", "ra", "rb", "239.0.0.0", 8, 0, 0, NULL), EINVAL, "no name: EINVAL");
	FAILS(rule_del("nosuch"), ENOENT, "deleting an unknown rule: ENOENT");

	WORKS(rule_del("cam"), "deleting rule cam");
	from_rs("239.1.2.3", 10000, -1);
	ok(quiet(s), "the multicast is left alone again");
	WORKS(rule("cam5", "ra", "rb", "239.1.2.0", 24, 0, 0, "10.9.0.5"),
	      "a rule to an explicit address 10.9.0.5, every port");
	from_rs("239.1.2.3", 10000, -1);
	ok(got(s5, "hello-mc", rb, "10.9.0.5", "10.8.0.2") && quiet(s),
	   "the server on 10.9.0.5 gets it, the one on 10.9.0.1 does not");
	get_objects(&o);
	ok(o.rewrites == 1, "1 rule alive");
	sh("%s netns del rs; %s netns del rt", IP, IP);
	WORKS(rule_del("cam5"), "deleting it");
	get_objects(&o);
	ok(o.rewrites == 0, "no rule left behind");
	return tdone();
}
