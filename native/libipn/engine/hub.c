/* SPDX-License-Identifier: GPL-2.0-only */
/* Hub: every frame goes to every member that may receive, except its sender. */
#include "policy.h"

int hub_forward(const struct portset *readers, uint32_t in_port, struct fwd *out)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < readers->n; i++) {
		uint32_t p = readers->list[i];
		if (p == in_port)
			continue;
		out->dst[n].port = p;
		out->dst[n].tag = 0;
		n++;
	}
	out->n = n;
	out->skip = 0;
	out->prio = 0;
	return n ? FWD_OK : IPN_DROP_NO_ROUTE;
}
