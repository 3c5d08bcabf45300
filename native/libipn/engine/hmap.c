/* SPDX-License-Identifier: GPL-2.0-only */
#include <errno.h>
#include <stdlib.h>
#include "hmap.h"

static inline uint32_t hash64(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return (uint32_t)k;
}

uint64_t *hmap_get(const struct hmap *m, uint64_t key)
{
	if (!m->cap)
		return NULL;
	uint32_t mask = m->cap - 1;
	for (uint32_t i = hash64(key) & mask;; i = (i + 1) & mask) {
		struct hmap_ent *e = &m->e[i];
		if (!e->used)
			return NULL;
		if (e->key == key)
			return &e->val;
	}
}

static int grow(struct hmap *m)
{
	uint32_t cap = m->cap ? m->cap * 2 : 64;
	struct hmap_ent *e = calloc(cap, sizeof(*e)), *old = m->e;
	if (!e)
		return -ENOMEM;
	uint32_t ocap = m->cap;
	m->e = e;
	m->cap = cap;
	m->n = 0;
	for (uint32_t i = 0; i < ocap; i++)
		if (old[i].used)
			hmap_put(m, old[i].key, old[i].val);
	free(old);
	return 0;
}

int hmap_put(struct hmap *m, uint64_t key, uint64_t val)
{
	/* keep the load under 1/2 so probes stay short */
	if ((m->n + 1) * 2 > m->cap && grow(m) < 0)
		return -ENOMEM;
	uint32_t mask = m->cap - 1;
	for (uint32_t i = hash64(key) & mask;; i = (i + 1) & mask) {
		struct hmap_ent *e = &m->e[i];
		if (!e->used) {
			e->used = true;
			e->key = key;
			e->val = val;
			m->n++;
			return 0;
		}
		if (e->key == key) {
			e->val = val;
			return 0;
		}
	}
}

static void del_at(struct hmap *m, uint32_t i)
{
	uint32_t mask = m->cap - 1;
	m->e[i].used = false;
	m->n--;
	/* shift back later entries of the cluster that may now be unreachable */
	for (uint32_t j = (i + 1) & mask; m->e[j].used; j = (j + 1) & mask) {
		uint32_t home = hash64(m->e[j].key) & mask;
		/* move j to i when home is not cyclically in (i, j] */
		bool stay = (i <= j) ? (i < home && home <= j) : (i < home || home <= j);
		if (stay)
			continue;
		m->e[i] = m->e[j];
		m->e[j].used = false;
		i = j;
	}
}

bool hmap_del(struct hmap *m, uint64_t key)
{
	if (!m->cap)
		return false;
	uint32_t mask = m->cap - 1;
	for (uint32_t i = hash64(key) & mask;; i = (i + 1) & mask) {
		if (!m->e[i].used)
			return false;
		if (m->e[i].key == key) {
			del_at(m, i);
			return true;
		}
	}
}

void hmap_filter(struct hmap *m, bool (*fn)(uint64_t key, uint64_t val, void *arg), void *arg)
{
	/* backward shifts may move an unvisited entry into a visited slot: rescan
	 * a slot after deleting it */
	for (uint32_t i = 0; i < m->cap;) {
		if (m->e[i].used && fn(m->e[i].key, m->e[i].val, arg))
			del_at(m, i);
		else
			i++;
	}
}

void hmap_free(struct hmap *m)
{
	free(m->e);
	m->e = NULL;
	m->cap = m->n = 0;
}
