/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Interface facts a rewrite needs: index, link type, MAC, primary IPv4. */
#include "ipn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>

int ipn_policy_if_probe(const char *ifname, struct ipn_policy_if *out)
{
	if (!ifname || !out || out->size < sizeof *out || strlen(ifname) >= IFNAMSIZ)
		return -EINVAL;
	memset(out, 0, sizeof *out);
	out->size = sizeof *out;
	unsigned idx = if_nametoindex(ifname);
	if (!idx)
		return -ENODEV;
	out->index = (int32_t)idx;

	struct ifaddrs *all;
	if (getifaddrs(&all))
		return -errno;
	for (struct ifaddrs *a = all; a; a = a->ifa_next) {
		/* IPv4 addresses with a label ("eth0:1") are listed under the label */
		if (!a->ifa_addr || strcmp(a->ifa_name, ifname))
			continue;
		if (a->ifa_addr->sa_family == AF_PACKET) {
			const struct sockaddr_ll *ll = (const void *)a->ifa_addr;
			out->hwtype = ll->sll_hatype;
			out->flags = a->ifa_flags;
			if (ll->sll_halen <= sizeof out->mac) {
				memcpy(out->mac, ll->sll_addr, ll->sll_halen);
				out->mac_len = ll->sll_halen;
			}
		} else if (a->ifa_addr->sa_family == AF_INET && !out->ipv4[0]) {
			/* the kernel lists the primary address first */
			const struct sockaddr_in *in = (const void *)a->ifa_addr;
			inet_ntop(AF_INET, &in->sin_addr, out->ipv4, sizeof out->ipv4);
		}
	}
	freeifaddrs(all);
	return 0;
}

/* Deno reads these structs by offset (runtime/policy/ffi.ts). */
_Static_assert(sizeof(struct ipn_policy_if) == 44, "struct ipn_policy_if layout");
_Static_assert(sizeof(struct ipn_endpoint_result) == 528, "struct ipn_endpoint_result layout");
