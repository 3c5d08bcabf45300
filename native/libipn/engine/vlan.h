/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * 802.1Q on switch ports: each port has an untagged VLAN (pvid, 0 = none)
 * and a bitmap of tagged (trunk) VLANs. Ports without a configuration are
 * untagged members of VLAN 1. Pure: no I/O.
 */
#ifndef IPN_VLAN_H
#define IPN_VLAN_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/ipn.h>
#include "hmap.h"

#define ETH_HLEN_ 14
#define ETH_P_8021Q_ 0x8100
#define VLAN_DEFAULT 1

struct vlan_table {
	struct hmap ports; /* port -> struct ipn_port_vlan * */
};

/* The port's configuration (the default one when none was set). */
const struct ipn_port_vlan *vlan_get(const struct vlan_table *t, uint32_t port);
/* Validate and store; -EINVAL with a reason in *why. */
int vlan_set(struct vlan_table *t, const struct ipn_port_vlan *v, const char **why);
void vlan_table_free(struct vlan_table *t);

static inline bool vlan_trunk_has(const struct ipn_port_vlan *v, uint16_t vid)
{
	return (v->trunk[vid >> 3] >> (vid & 7)) & 1;
}

/* Port carries `vid` at all (untagged or tagged). */
static inline bool vlan_member(const struct ipn_port_vlan *v, uint16_t vid)
{
	return v->pvid == vid || vlan_trunk_has(v, vid);
}

/* Egress tag for `vid` on this port: the VID when tagged, 0 when untagged. */
static inline uint16_t vlan_egress_tag(const struct ipn_port_vlan *v, uint16_t vid)
{
	return v->pvid == vid ? 0 : vid;
}

#endif
