/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Learning Ethernet switch, VLAN-aware: the MAC table is keyed by (VLAN,
 * MAC); unknown unicast, multicast and broadcast flood within the frame's
 * VLAN; entries age out. Pure: the caller passes the time.
 */
#ifndef IPN_SWITCH_H
#define IPN_SWITCH_H

#include "hmap.h"
#include "policy.h"
#include "vlan.h"

struct sw {
	struct hmap mac;   /* vid << 48 | mac  ->  port << 48 | last seen (ms) */
	struct vlan_table vlans;
	uint64_t ageing_ms;
};

void sw_init(struct sw *sw, uint32_t ageing_s);
void sw_fini(struct sw *sw);
void sw_set_ageing(struct sw *sw, uint32_t ageing_s);
/*
 * Forward one frame from `in_port`. May strip an 802.1Q tag in place
 * (out->skip bytes at the front are then dead). Returns FWD_OK or a drop
 * reason.
 */
int sw_forward(struct sw *sw, const struct portset *readers, uint32_t in_port, uint8_t *frame,
	       uint32_t len, uint64_t now_ms, struct fwd *out);
/* Forget what was learned on a port (it left, or its VLANs changed). */
void sw_port_forget(struct sw *sw, uint32_t port);
/* Drop entries older than the ageing time. */
void sw_expire(struct sw *sw, uint64_t now_ms);
/* Port the table maps (vid, mac) to, 0 when unknown or aged. */
uint32_t sw_lookup(const struct sw *sw, uint16_t vid, const uint8_t mac[6], uint64_t now_ms);

#endif
