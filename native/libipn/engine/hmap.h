/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Open-addressing hash map from u64 keys to u64 values (linear probing,
 * backward-shift deletion, no tombstones). Used for the MAC table and the
 * concast flows.
 */
#ifndef IPN_HMAP_H
#define IPN_HMAP_H

#include <stdbool.h>
#include <stdint.h>

struct hmap_ent {
	uint64_t key;
	uint64_t val;
	bool used;
};

struct hmap {
	struct hmap_ent *e;
	uint32_t cap;  /* power of two */
	uint32_t n;
};

/* Pointer to the value, or NULL. */
uint64_t *hmap_get(const struct hmap *m, uint64_t key);
/* Insert or replace; -ENOMEM on failure. */
int hmap_put(struct hmap *m, uint64_t key, uint64_t val);
bool hmap_del(struct hmap *m, uint64_t key);
/* Delete every entry for which fn returns true. */
void hmap_filter(struct hmap *m, bool (*fn)(uint64_t key, uint64_t val, void *arg), void *arg);
void hmap_free(struct hmap *m);

#endif
