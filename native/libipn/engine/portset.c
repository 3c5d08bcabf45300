/* SPDX-License-Identifier: GPL-2.0-only */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "policy.h"

int portset_add(struct portset *s, uint32_t port)
{
	if (portset_has(s, port))
		return 0;
	if (port >= s->max) {
		uint32_t max = s->max ? s->max : 64;
		while (max <= port)
			max *= 2;
		uint32_t *pos = realloc(s->pos, max * sizeof(*pos));
		uint32_t *list = realloc(s->list, max * sizeof(*list));
		if (pos)
			s->pos = pos;
		if (list)
			s->list = list;
		if (!pos || !list)
			return -ENOMEM;
		memset(pos + s->max, 0, (max - s->max) * sizeof(*pos));
		s->max = max;
	}
	s->list[s->n++] = port;
	s->pos[port] = s->n;
	return 0;
}

void portset_del(struct portset *s, uint32_t port)
{
	if (!portset_has(s, port))
		return;
	uint32_t i = s->pos[port] - 1, last = s->list[--s->n];
	s->list[i] = last;
	s->pos[last] = i + 1;
	s->pos[port] = 0;
}

void portset_free(struct portset *s)
{
	free(s->list);
	free(s->pos);
	memset(s, 0, sizeof(*s));
}
