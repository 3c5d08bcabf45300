/* SPDX-License-Identifier: GPL-2.0-only */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "vlan.h"

static const struct ipn_port_vlan vlan_default = {.pvid = VLAN_DEFAULT};

const struct ipn_port_vlan *vlan_get(const struct vlan_table *t, uint32_t port)
{
	uint64_t *v = hmap_get(&t->ports, port);
	return v ? (const struct ipn_port_vlan *)(uintptr_t)*v : &vlan_default;
}

int vlan_set(struct vlan_table *t, const struct ipn_port_vlan *v, const char **why)
{
	if (v->port == 0 || v->port > IPN_PORTS_MAX) {
		*why = "port outside 1..65535";
		return -EINVAL;
	}
	if (v->pvid > IPN_VLAN_MAX) {
		*why = "pvid outside 0..4094";
		return -EINVAL;
	}
	if ((v->trunk[0] & 1) || (v->trunk[511] & 0x80)) {
		*why = "trunk VLANs must be within 1..4094";
		return -EINVAL;
	}
	uint64_t *old = hmap_get(&t->ports, v->port);
	struct ipn_port_vlan *c = old ? (struct ipn_port_vlan *)(uintptr_t)*old : malloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	memcpy(c, v, sizeof(*c));
	c->reserved = 0;
	if (!old && hmap_put(&t->ports, v->port, (uintptr_t)c) < 0) {
		free(c);
		return -ENOMEM;
	}
	return 0;
}

static bool free_one(uint64_t key, uint64_t val, void *arg)
{
	(void)key;
	(void)arg;
	free((void *)(uintptr_t)val);
	return true;
}

void vlan_table_free(struct vlan_table *t)
{
	hmap_filter(&t->ports, free_one, NULL);
	hmap_free(&t->ports);
}
