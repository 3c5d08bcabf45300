/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Interface helpers over rtnetlink, in the caller's network namespace: what
 * the daemon needs to configure a tap and to observe interfaces as they are.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ipn.h"
#include "nl.h"

static int ifindex_of(const char *ifname)
{
	if (!ifname || !*ifname || strnlen(ifname, IPN_IFNAME_MAX) >= IPN_IFNAME_MAX)
		return -EINVAL;
	unsigned idx = if_nametoindex(ifname);
	return idx ? (int)idx : -ENODEV;
}

static int link_info(const struct nlmsghdr *h, void *arg)
{
	struct ipn_if_info *o = arg;
	if (h->nlmsg_type != RTM_NEWLINK)
		return 0;
	struct ifinfomsg *ifi = NLMSG_DATA(h);
	o->index = ifi->ifi_index;
	o->flags = ifi->ifi_flags;
	int len = (int)IFLA_PAYLOAD(h);
	for (struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == IFLA_MTU && RTA_PAYLOAD(a) >= 4)
			memcpy(&o->mtu, RTA_DATA(a), 4);
		else if (a->rta_type == IFLA_ADDRESS && RTA_PAYLOAD(a) == 6)
			memcpy(o->mac, RTA_DATA(a), 6);
		else if (a->rta_type == IFLA_LINKINFO) {
			int l2 = (int)RTA_PAYLOAD(a);
			for (struct rtattr *b = RTA_DATA(a); RTA_OK(b, l2); b = RTA_NEXT(b, l2))
				if (b->rta_type == IFLA_INFO_KIND)
					snprintf(o->kind, sizeof(o->kind), "%.*s", (int)RTA_PAYLOAD(b),
						 (const char *)RTA_DATA(b));
		}
	}
	return 0;
}

int ipn_if_info(const char *ifname, struct ipn_if_info *out)
{
	int idx = ifindex_of(ifname);
	if (idx < 0 || !out)
		return idx < 0 ? idx : -EINVAL;
	struct nl_req r;
	struct ifinfomsg *ifi = nl_init(&r, RTM_GETLINK, 0, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = idx;
	memset(out, 0, sizeof(*out));
	return nl_talk(&r, link_info, out);
}

int ipn_if_set(const char *ifname, int32_t up, int32_t mtu)
{
	int idx = ifindex_of(ifname);
	if (idx < 0)
		return idx;
	if (up < -1 || up > 1 || mtu < -1 || mtu == 0)
		return -EINVAL;
	struct nl_req r;
	struct ifinfomsg *ifi = nl_init(&r, RTM_NEWLINK, 0, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = idx;
	if (up >= 0) {
		ifi->ifi_change = IFF_UP;
		ifi->ifi_flags = up ? IFF_UP : 0;
	}
	if (mtu > 0) {
		uint32_t m = (uint32_t)mtu;
		nl_attr(&r, IFLA_MTU, &m, sizeof(m));
	}
	return nl_talk(&r, NULL, NULL);
}

struct cidr {
	int family;
	uint8_t addr[16];
	int prefix;
};

static int parse_cidr(const char *s, struct cidr *c)
{
	char tmp[64];
	if (!s || strlen(s) >= sizeof(tmp))
		return -EINVAL;
	strcpy(tmp, s);
	char *slash = strchr(tmp, '/');
	if (!slash)
		return -EINVAL;
	*slash = 0;
	char *end;
	long p = strtol(slash + 1, &end, 10);
	if (*end || end == slash + 1)
		return -EINVAL;
	if (inet_pton(AF_INET, tmp, c->addr) == 1)
		c->family = AF_INET;
	else if (inet_pton(AF_INET6, tmp, c->addr) == 1)
		c->family = AF_INET6;
	else
		return -EINVAL;
	if (p < 0 || p > (c->family == AF_INET ? 32 : 128))
		return -EINVAL;
	c->prefix = (int)p;
	return 0;
}

static int addr_op(const char *ifname, const char *cidr, int type, int flags)
{
	int idx = ifindex_of(ifname);
	if (idx < 0)
		return idx;
	struct cidr c;
	if (parse_cidr(cidr, &c) < 0)
		return -EINVAL;
	struct nl_req r;
	struct ifaddrmsg *ifa = nl_init(&r, type, flags, sizeof(*ifa));
	ifa->ifa_family = (unsigned char)c.family;
	ifa->ifa_prefixlen = (unsigned char)c.prefix;
	ifa->ifa_index = (unsigned)idx;
	size_t alen = c.family == AF_INET ? 4 : 16;
	nl_attr(&r, IFA_LOCAL, c.addr, alen);
	nl_attr(&r, IFA_ADDRESS, c.addr, alen);
	return nl_talk(&r, NULL, NULL);
}

int ipn_if_addr_add(const char *ifname, const char *cidr)
{
	return addr_op(ifname, cidr, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
}

int ipn_if_addr_del(const char *ifname, const char *cidr)
{
	return addr_op(ifname, cidr, RTM_DELADDR, 0);
}

struct addrs {
	int index;
	char *buf;
	uint32_t cap, len;
	int rc;
};

static int addr_line(const struct nlmsghdr *h, void *arg)
{
	struct addrs *a = arg;
	if (h->nlmsg_type != RTM_NEWADDR)
		return 0;
	struct ifaddrmsg *ifa = NLMSG_DATA(h);
	if ((int)ifa->ifa_index != a->index)
		return 0;
	const void *addr = NULL;
	int len = (int)IFA_PAYLOAD(h);
	for (struct rtattr *x = IFA_RTA(ifa); RTA_OK(x, len); x = RTA_NEXT(x, len)) {
		if (x->rta_type == IFA_LOCAL)
			addr = RTA_DATA(x);
		else if (x->rta_type == IFA_ADDRESS && !addr)
			addr = RTA_DATA(x);
	}
	if (!addr)
		return 0;
	char txt[INET6_ADDRSTRLEN];
	if (!inet_ntop(ifa->ifa_family, addr, txt, sizeof(txt)))
		return 0;
	char line[INET6_ADDRSTRLEN + 8];
	int n = snprintf(line, sizeof(line), "%s/%u\n", txt, ifa->ifa_prefixlen);
	if (a->len + (uint32_t)n + 1 > a->cap) {
		a->rc = -ENOSPC;
		return 0;
	}
	memcpy(a->buf + a->len, line, (size_t)n + 1);
	a->len += (uint32_t)n;
	return 0;
}

int ipn_if_addrs(const char *ifname, char *buf, uint32_t cap)
{
	int idx = ifindex_of(ifname);
	if (idx < 0)
		return idx;
	if (!buf || !cap)
		return -EINVAL;
	buf[0] = 0;
	struct nl_req r;
	struct ifaddrmsg *ifa = nl_init(&r, RTM_GETADDR, NLM_F_DUMP, sizeof(*ifa));
	ifa->ifa_family = AF_UNSPEC;
	struct addrs a = {idx, buf, cap, 0, 0};
	int rc = nl_talk(&r, addr_line, &a);
	if (rc < 0)
		return rc;
	return a.rc < 0 ? a.rc : (int)a.len;
}
