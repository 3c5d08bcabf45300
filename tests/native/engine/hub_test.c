/* SPDX-License-Identifier: GPL-2.0-only */
#include "../check.h"
#include "policy.h"

static int has(const struct fwd *f, uint32_t port)
{
	for (uint32_t i = 0; i < f->n; i++)
		if (f->dst[i].port == port)
			return 1;
	return 0;
}

int main(void)
{
	struct portset r = {0};
	struct fwd_dst d[16];
	struct fwd f = {.dst = d};

	/* nobody to deliver to */
	CHECK_EQ(hub_forward(&r, 1, &f), IPN_DROP_NO_ROUTE);
	CHECK_EQ(portset_add(&r, 1), 0);
	CHECK_EQ(hub_forward(&r, 1, &f), IPN_DROP_NO_ROUTE); /* only the sender */

	for (uint32_t p = 2; p <= 5; p++)
		portset_add(&r, p);
	portset_add(&r, 3); /* twice: still once */
	CHECK_EQ(r.n, 5);
	CHECK_EQ(hub_forward(&r, 3, &f), FWD_OK);
	CHECK_EQ(f.n, 4);
	CHECK(has(&f, 1) && has(&f, 2) && has(&f, 4) && has(&f, 5) && !has(&f, 3));

	/* a sender that is not a reader (send-only member) reaches everyone */
	CHECK_EQ(hub_forward(&r, 9, &f), FWD_OK);
	CHECK_EQ(f.n, 5);

	/* removing a reader: it gets nothing more */
	portset_del(&r, 2);
	portset_del(&r, 2);
	CHECK_EQ(r.n, 4);
	CHECK_EQ(hub_forward(&r, 1, &f), FWD_OK);
	CHECK_EQ(f.n, 3);
	CHECK(!has(&f, 2) && !has(&f, 1));
	CHECK(!portset_has(&r, 2) && portset_has(&r, 5) && !portset_has(&r, 100000));

	/* large port numbers grow the set */
	CHECK_EQ(portset_add(&r, 65535), 0);
	CHECK(portset_has(&r, 65535));
	CHECK_EQ(hub_forward(&r, 1, &f), FWD_OK);
	CHECK(has(&f, 65535));
	for (uint32_t i = 0; i < f.n; i++)
		CHECK_EQ(f.dst[i].tag, 0);
	portset_free(&r);
	return check_done("hub");
}
