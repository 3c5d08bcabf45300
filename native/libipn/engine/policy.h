/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the pure policy cores (hub.c, switch.c, concast.c) share: the set of
 * ports that may receive and the forwarding decision for one frame. The
 * cores do no I/O and keep no clock: the caller passes `now` in ms, so unit
 * tests drive them directly.
 */
#ifndef IPN_POLICY_H
#define IPN_POLICY_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/ipn.h>

/* A core returns FWD_OK or an IPN_DROP_* reason. */
#define FWD_OK (-1)

/* Dense set of port numbers with O(1) add, remove and membership. */
struct portset {
	uint32_t *list;  /* members, unordered */
	uint32_t *pos;   /* pos[port] = index in list + 1; 0: absent */
	uint32_t n;
	uint32_t max;    /* ports 0..max-1 fit in pos */
};

int portset_add(struct portset *s, uint32_t port);
void portset_del(struct portset *s, uint32_t port);
static inline bool portset_has(const struct portset *s, uint32_t port)
{
	return port < s->max && s->pos[port] != 0;
}
void portset_free(struct portset *s);

struct fwd_dst {
	uint32_t port;
	uint16_t tag;  /* egress VLAN tag to insert (VID), 0: send untagged */
	uint16_t reserved;
};

/* Where one frame goes; `dst` has room for every port of the network. */
struct fwd {
	struct fwd_dst *dst;
	uint32_t n;
	uint16_t skip;     /* bytes the core removed at the front (a stripped tag) */
	uint16_t prio;     /* PCP/DEI bits (TCI & 0xf000) of the ingress tag */
};

int hub_forward(const struct portset *readers, uint32_t in_port, struct fwd *out);

#endif
