/* SPDX-License-Identifier: GPL-2.0-only */
#include <stdlib.h>
#include "../check.h"
#include "hmap.h"

static bool odd(uint64_t k, uint64_t v, void *arg)
{
	(void)v;
	(void)arg;
	return k & 1;
}

int main(void)
{
	struct hmap m = {0};
	CHECK(hmap_get(&m, 1) == NULL);
	CHECK(!hmap_del(&m, 1));
	int ok = 1;
	for (uint64_t k = 0; k < 10000; k++)
		ok &= hmap_put(&m, k * 7919, k) == 0;
	CHECK(ok);
	CHECK_EQ(m.n, 10000);
	ok = 1;
	for (uint64_t k = 0; k < 10000; k++) {
		uint64_t *v = hmap_get(&m, k * 7919);
		ok &= v && *v == k;
	}
	CHECK(ok);
	hmap_put(&m, 7919, 42); /* replace */
	CHECK_EQ(*hmap_get(&m, 7919), 42);
	CHECK_EQ(m.n, 10000);
	/* delete half, the rest stays reachable (backward shift keeps clusters) */
	ok = 1;
	for (uint64_t k = 0; k < 10000; k += 2)
		ok &= hmap_del(&m, k * 7919);
	CHECK(ok);
	for (uint64_t k = 0; k < 10000; k++)
		ok &= (hmap_get(&m, k * 7919) != NULL) == (k % 2 == 1);
	CHECK(ok);
	/* filter: keys k*7919 with k odd are odd keys */
	hmap_filter(&m, odd, NULL);
	CHECK_EQ(m.n, 0);
	/* random churn against a shadow array */
	uint64_t shadow[512] = {0};
	srand(1);
	ok = 1;
	for (int i = 0; i < 200000; i++) {
		uint64_t k = (uint64_t)(rand() % 512);
		if (rand() & 1) {
			hmap_put(&m, k, k + 1);
			shadow[k] = k + 1;
		} else {
			bool had = hmap_del(&m, k);
			ok &= had == (shadow[k] != 0);
			shadow[k] = 0;
		}
	}
	for (uint64_t k = 0; k < 512; k++) {
		uint64_t *v = hmap_get(&m, k);
		ok &= shadow[k] ? (v && *v == shadow[k]) : !v;
	}
	CHECK(ok);
	hmap_free(&m);
	return check_done("hmap");
}
