/* SPDX-License-Identifier: GPL-2.0-only */
/* Native members: what the data path (native_port.c) and the join
 * (native_join.c) share. */
#ifndef IPN_NATIVE_H
#define IPN_NATIVE_H

#include "engine.h"
#include "ring.h"

#define SLOTS_MIN 64
#define SLOTS_MAX 4096

struct native {
	struct ring_view rx, tx;  /* rx: engine -> member; tx: member -> engine */
	uint32_t rx_head;         /* next rx slot the engine fills (published at flush) */
	uint32_t rx_published;
	uint32_t tx_tail;         /* next tx slot the engine reads */
	void *map;
	size_t map_size;
	int kick_fd;              /* wakes the member: frames in its rx ring */
	int space_fd;             /* wakes the member: room in its tx ring */
	bool awake;               /* must announce sleep before the engine blocks */
	struct port *awake_next;
};

extern const struct port_ops native_ops;
void native_on_kick(struct ev *ev, uint32_t events);
void native_on_ctl(struct ev *ev, uint32_t events);
/* A fresh member: tell it, before the engine blocks, that the engine sleeps. */
void native_set_awake(struct port *p);

#endif
