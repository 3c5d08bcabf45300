/* SPDX-License-Identifier: GPL-2.0-only */
#include <string.h>
#include "switch.h"

#define SEEN_MASK ((1ULL << 48) - 1)

void sw_init(struct sw *sw, uint32_t ageing_s)
{
	memset(sw, 0, sizeof(*sw));
	sw_set_ageing(sw, ageing_s);
}

void sw_fini(struct sw *sw)
{
	hmap_free(&sw->mac);
	vlan_table_free(&sw->vlans);
}

void sw_set_ageing(struct sw *sw, uint32_t ageing_s)
{
	sw->ageing_ms = (uint64_t)(ageing_s ? ageing_s : 300) * 1000;
}

static inline uint64_t mac_key(uint16_t vid, const uint8_t *m)
{
	return (uint64_t)vid << 48 | (uint64_t)m[0] << 40 | (uint64_t)m[1] << 32 |
	       (uint64_t)m[2] << 24 | (uint64_t)m[3] << 16 | (uint64_t)m[4] << 8 | m[5];
}

static inline bool fresh(const struct sw *sw, uint64_t val, uint64_t now)
{
	return now - (val & SEEN_MASK) <= sw->ageing_ms;
}

uint32_t sw_lookup(const struct sw *sw, uint16_t vid, const uint8_t mac[6], uint64_t now_ms)
{
	uint64_t *v = hmap_get(&sw->mac, mac_key(vid, mac));
	return v && fresh(sw, *v, now_ms) ? (uint32_t)(*v >> 48) : 0;
}

static void flood(struct sw *sw, const struct portset *readers, uint32_t in_port, uint16_t vid,
		  struct fwd *out)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < readers->n; i++) {
		uint32_t p = readers->list[i];
		if (p == in_port)
			continue;
		const struct ipn_port_vlan *c = vlan_get(&sw->vlans, p);
		if (!vlan_member(c, vid))
			continue;
		out->dst[n].port = p;
		out->dst[n].tag = vlan_egress_tag(c, vid);
		n++;
	}
	out->n = n;
}

int sw_forward(struct sw *sw, const struct portset *readers, uint32_t in_port, uint8_t *frame,
	       uint32_t len, uint64_t now_ms, struct fwd *out)
{
	out->n = 0;
	out->skip = 0;
	out->prio = 0;
	if (len < ETH_HLEN_)
		return IPN_DROP_TOO_SMALL;
	const struct ipn_port_vlan *in = vlan_get(&sw->vlans, in_port);
	uint16_t vid = in->pvid;
	if ((frame[12] << 8 | frame[13]) == ETH_P_8021Q_) {
		if (len < ETH_HLEN_ + 4)
			return IPN_DROP_TOO_SMALL;
		uint16_t tci = frame[14] << 8 | frame[15];
		uint16_t tvid = tci & 0xfff;
		out->prio = tci & 0xf000;
		if (tvid == 0xfff)
			return IPN_DROP_VLAN;
		if (tvid != 0) { /* VID 0 is a priority tag: the frame is untagged */
			if (!vlan_member(in, tvid))
				return IPN_DROP_VLAN;
			vid = tvid;
		}
		/* strip the tag: frames are kept untagged, VLAN on the side */
		memmove(frame + 4, frame, 12);
		out->skip = 4;
		frame += 4;
	}
	if (vid == 0) /* untagged frame on a trunk-only port */
		return IPN_DROP_VLAN;

	const uint8_t *dst = frame, *src = frame + 6;
	if (!(src[0] & 1)) {
		uint64_t val = (uint64_t)in_port << 48 | (now_ms & SEEN_MASK);
		(void)hmap_put(&sw->mac, mac_key(vid, src), val); /* no memory: just don't learn */
	}
	if (!(dst[0] & 1)) {
		uint64_t *v = hmap_get(&sw->mac, mac_key(vid, dst));
		if (v && fresh(sw, *v, now_ms)) {
			uint32_t p = (uint32_t)(*v >> 48);
			if (p == in_port)
				return IPN_DROP_NO_ROUTE; /* it is on the sender's own segment */
			const struct ipn_port_vlan *c = vlan_get(&sw->vlans, p);
			if (portset_has(readers, p) && vlan_member(c, vid)) {
				out->dst[0].port = p;
				out->dst[0].tag = vlan_egress_tag(c, vid);
				out->n = 1;
				return FWD_OK;
			}
		}
	}
	flood(sw, readers, in_port, vid, out);
	return out->n ? FWD_OK : IPN_DROP_NO_ROUTE;
}

static bool on_port(uint64_t key, uint64_t val, void *arg)
{
	(void)key;
	return (uint32_t)(val >> 48) == *(uint32_t *)arg;
}

void sw_port_forget(struct sw *sw, uint32_t port)
{
	hmap_filter(&sw->mac, on_port, &port);
}

struct expire_arg {
	const struct sw *sw;
	uint64_t now;
};

static bool stale(uint64_t key, uint64_t val, void *arg)
{
	(void)key;
	struct expire_arg *a = arg;
	return !fresh(a->sw, val, a->now);
}

void sw_expire(struct sw *sw, uint64_t now_ms)
{
	struct expire_arg a = {sw, now_ms};
	hmap_filter(&sw->mac, stale, &a);
}
