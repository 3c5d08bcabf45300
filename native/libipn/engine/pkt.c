/* SPDX-License-Identifier: GPL-2.0-only */
/* Packet buffers: a free list per network, sized by its MTU. */
#include <stdlib.h>
#include "engine.h"

#define POOL_KEEP 4096 /* free buffers kept for reuse */

struct pkt *pkt_get(struct pool *pl)
{
	struct pkt *p = pl->free;
	if (p) {
		pl->free = p->next;
		pl->nfree--;
	} else {
		p = malloc(sizeof(*p) + pl->cap);
		if (!p)
			return NULL;
		p->cap = pl->cap;
	}
	p->refs = 1;
	p->off = 0;
	p->len = 0;
	p->prio = 0;
	return p;
}

void pkt_put(struct pool *pl, struct pkt *p)
{
	if (--p->refs)
		return;
	if (p->cap != pl->cap || pl->nfree >= POOL_KEEP) {
		free(p);
		return;
	}
	p->next = pl->free;
	pl->free = p;
	pl->nfree++;
}

void pool_drain(struct pool *pl)
{
	while (pl->free) {
		struct pkt *p = pl->free;
		pl->free = p->next;
		free(p);
	}
	pl->nfree = 0;
}

void pool_set_cap(struct pool *pl, uint32_t cap)
{
	if (cap != pl->cap)
		pool_drain(pl);
	pl->cap = cap;
}
