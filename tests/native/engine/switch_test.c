/* SPDX-License-Identifier: GPL-2.0-only */
#include <string.h>
#include "../check.h"
#include "switch.h"

static const uint8_t BCAST[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
static uint8_t mac(int n, uint8_t *m)
{
	uint8_t a[6] = {0x02, 0, 0, 0, 0, (uint8_t)n};
	memcpy(m, a, 6);
	return 0;
}

/* Build an Ethernet frame dst<-src, tagged with `vid` when vid >= 0. */
static uint32_t frame(uint8_t *f, int dst, int src, int vid)
{
	memset(f, 0, 64);
	if (dst < 0)
		memcpy(f, BCAST, 6);
	else
		mac(dst, f);
	mac(src, f + 6);
	uint32_t o = 12;
	if (vid >= 0) {
		f[12] = 0x81;
		f[13] = 0x00;
		f[14] = (uint8_t)(0xa0 | (vid >> 8)); /* PCP 5 */
		f[15] = (uint8_t)vid;
		o = 16;
	}
	f[o] = 0x08;
	f[o + 1] = 0x00;
	return 60;
}

static int dst_tag(const struct fwd *f, uint32_t port)
{
	for (uint32_t i = 0; i < f->n; i++)
		if (f->dst[i].port == port)
			return f->dst[i].tag;
	return -1; /* not a destination */
}

static void set_vlan(struct sw *sw, uint32_t port, uint16_t pvid, const int *trunk)
{
	struct ipn_port_vlan v = {.port = port, .pvid = pvid};
	for (; trunk && *trunk; trunk++)
		v.trunk[*trunk >> 3] |= 1 << (*trunk & 7);
	const char *why = NULL;
	CHECK_EQ(vlan_set(&sw->vlans, &v, &why), 0);
}

static void learning(void)
{
	struct sw sw;
	sw_init(&sw, 10);
	struct portset r = {0};
	for (uint32_t p = 1; p <= 4; p++)
		portset_add(&r, p);
	struct fwd_dst d[8];
	struct fwd f = {.dst = d};
	uint8_t buf[64];

	/* unknown destination floods to everyone but the sender */
	CHECK_EQ(sw_forward(&sw, &r, 1, buf, frame(buf, 2, 1, -1), 1000, &f), FWD_OK);
	CHECK_EQ(f.n, 3);
	CHECK(dst_tag(&f, 1) < 0 && dst_tag(&f, 2) == 0 && dst_tag(&f, 3) == 0);
	uint8_t m1[6];
	mac(1, m1);
	CHECK_EQ(sw_lookup(&sw, 1, m1, 1000), 1);

	/* the reply goes only to port 1; now 2 is learned too */
	CHECK_EQ(sw_forward(&sw, &r, 2, buf, frame(buf, 1, 2, -1), 1001, &f), FWD_OK);
	CHECK_EQ(f.n, 1);
	CHECK_EQ(d[0].port, 1);
	CHECK_EQ(sw_forward(&sw, &r, 1, buf, frame(buf, 2, 1, -1), 1002, &f), FWD_OK);
	CHECK_EQ(f.n, 1);
	CHECK_EQ(d[0].port, 2);

	/* broadcast floods even when learned */
	CHECK_EQ(sw_forward(&sw, &r, 1, buf, frame(buf, -1, 1, -1), 1003, &f), FWD_OK);
	CHECK_EQ(f.n, 3);

	/* a frame to a MAC on the sender's own port is filtered */
	CHECK_EQ(sw_forward(&sw, &r, 1, buf, frame(buf, 1, 7, -1), 1004, &f), IPN_DROP_NO_ROUTE);

	/* station moves: 1 now talks from port 3 */
	CHECK_EQ(sw_forward(&sw, &r, 3, buf, frame(buf, 2, 1, -1), 1005, &f), FWD_OK);
	CHECK_EQ(sw_lookup(&sw, 1, m1, 1005), 3);

	/* ageing: after 10 s without traffic from 2, frames to 2 flood again */
	uint8_t m2[6];
	mac(2, m2);
	CHECK_EQ(sw_lookup(&sw, 1, m2, 1001 + 10000), 2);
	CHECK_EQ(sw_lookup(&sw, 1, m2, 1002 + 10000), 0);
	CHECK_EQ(sw_forward(&sw, &r, 3, buf, frame(buf, 2, 1, -1), 1002 + 10000, &f), FWD_OK);
	CHECK_EQ(f.n, 3);
	uint32_t before = sw.mac.n;
	sw_expire(&sw, 20000);
	CHECK(sw.mac.n < before);
	CHECK_EQ(sw_lookup(&sw, 1, m2, 20000), 0);

	/* a learned port that stops reading (left) is flooded around */
	CHECK_EQ(sw_forward(&sw, &r, 2, buf, frame(buf, 9, 2, -1), 20001, &f), FWD_OK);
	portset_del(&r, 2);
	CHECK_EQ(sw_forward(&sw, &r, 1, buf, frame(buf, 2, 1, -1), 20002, &f), FWD_OK);
	CHECK_EQ(f.n, 2);
	sw_port_forget(&sw, 2);
	CHECK_EQ(sw_lookup(&sw, 1, m2, 20002), 0);
	CHECK_EQ(sw_lookup(&sw, 1, m1, 20002), 1);

	/* runts and a multicast source (not learned) */
	CHECK_EQ(sw_forward(&sw, &r, 1, buf, 13, 20003, &f), IPN_DROP_TOO_SMALL);
	frame(buf, 3, 4, -1);
	buf[6] |= 1;
	CHECK_EQ(sw_forward(&sw, &r, 1, buf, 60, 20004, &f), FWD_OK);
	uint8_t m4[6];
	mac(4, m4);
	m4[0] |= 1;
	CHECK_EQ(sw_lookup(&sw, 1, m4, 20004), 0);
	portset_free(&r);
	sw_fini(&sw);
}

static void vlans(void)
{
	struct sw sw;
	sw_init(&sw, 0);
	CHECK_EQ(sw.ageing_ms, 300000);
	struct portset r = {0};
	for (uint32_t p = 1; p <= 5; p++)
		portset_add(&r, p);
	struct fwd_dst d[8];
	struct fwd f = {.dst = d};
	uint8_t buf[64];

	/* 1,2: access VLAN 10; 3: access VLAN 20; 4: trunk 10+20, no pvid;
	 * 5: pvid 1 (default) with trunk 10 */
	set_vlan(&sw, 1, 10, NULL);
	set_vlan(&sw, 2, 10, NULL);
	set_vlan(&sw, 3, 20, NULL);
	set_vlan(&sw, 4, 0, (int[]){10, 20, 0});
	set_vlan(&sw, 5, 1, (int[]){10, 0});

	/* untagged broadcast on VLAN 10: port 2 untagged, 4 and 5 tagged 10 */
	CHECK_EQ(sw_forward(&sw, &r, 1, buf, frame(buf, -1, 1, -1), 1, &f), FWD_OK);
	CHECK_EQ(f.n, 3);
	CHECK_EQ(dst_tag(&f, 2), 0);
	CHECK_EQ(dst_tag(&f, 3), -1);
	CHECK_EQ(dst_tag(&f, 4), 10);
	CHECK_EQ(dst_tag(&f, 5), 10);
	CHECK_EQ(f.skip, 0);

	/* tagged 20 from the trunk: stripped; only port 3 (untagged) gets it */
	uint32_t len = frame(buf, -1, 4, 20);
	CHECK_EQ(sw_forward(&sw, &r, 4, buf, len, 2, &f), FWD_OK);
	CHECK_EQ(f.skip, 4);
	CHECK_EQ(f.prio, 0xa000);
	CHECK_EQ(f.n, 1);
	CHECK_EQ(dst_tag(&f, 3), 0);
	/* after the strip, the untagged frame starts at skip */
	CHECK(buf[4] == 0xff && buf[4 + 11] == 4 && buf[4 + 12] == 0x08);

	/* untagged frame on the trunk-only port is dropped */
	CHECK_EQ(sw_forward(&sw, &r, 4, buf, frame(buf, -1, 4, -1), 3, &f), IPN_DROP_VLAN);
	/* tag not allowed on this port */
	CHECK_EQ(sw_forward(&sw, &r, 4, buf, frame(buf, -1, 4, 30), 4, &f), IPN_DROP_VLAN);
	CHECK_EQ(sw_forward(&sw, &r, 1, buf, frame(buf, -1, 1, 20), 5, &f), IPN_DROP_VLAN);
	/* VID 4095 is reserved */
	CHECK_EQ(sw_forward(&sw, &r, 4, buf, frame(buf, -1, 4, 4095), 6, &f), IPN_DROP_VLAN);
	/* a priority tag (VID 0) means the port's untagged VLAN */
	CHECK_EQ(sw_forward(&sw, &r, 3, buf, frame(buf, -1, 3, 0), 7, &f), FWD_OK);
	CHECK_EQ(f.skip, 4);
	CHECK_EQ(f.n, 1);
	CHECK_EQ(dst_tag(&f, 4), 20);
	/* a tagged frame for the port's own pvid is accepted and sent untagged */
	CHECK_EQ(sw_forward(&sw, &r, 1, buf, frame(buf, -1, 1, 10), 8, &f), FWD_OK);
	CHECK_EQ(dst_tag(&f, 2), 0);
	CHECK_EQ(dst_tag(&f, 4), 10);
	frame(buf, -1, 1, 10);
	CHECK_EQ(sw_forward(&sw, &r, 1, buf, 17, 9, &f), IPN_DROP_TOO_SMALL); /* cut inside the tag */

	/* the same MAC in two VLANs are two entries */
	sw_forward(&sw, &r, 4, buf, frame(buf, -1, 7, 10), 10, &f);
	sw_forward(&sw, &r, 3, buf, frame(buf, -1, 7, -1), 11, &f);
	uint8_t m7[6];
	mac(7, m7);
	CHECK_EQ(sw_lookup(&sw, 10, m7, 12), 4);
	CHECK_EQ(sw_lookup(&sw, 20, m7, 12), 3);
	/* unicast to 7 in VLAN 10 from port 1 reaches the trunk, tagged */
	CHECK_EQ(sw_forward(&sw, &r, 1, buf, frame(buf, 7, 1, -1), 13, &f), FWD_OK);
	CHECK_EQ(f.n, 1);
	CHECK_EQ(dst_tag(&f, 4), 10);

	/* invalid configurations are refused */
	const char *why = NULL;
	struct ipn_port_vlan bad = {.port = 1, .pvid = 4095};
	CHECK_EQ(vlan_set(&sw.vlans, &bad, &why), -22);
	CHECK(why != NULL);
	bad.pvid = 1;
	bad.trunk[0] = 1; /* VLAN 0 */
	CHECK_EQ(vlan_set(&sw.vlans, &bad, &why), -22);
	bad.trunk[0] = 0;
	bad.port = 0;
	CHECK_EQ(vlan_set(&sw.vlans, &bad, &why), -22);
	CHECK_EQ(vlan_get(&sw.vlans, 1)->pvid, 10);
	CHECK_EQ(vlan_get(&sw.vlans, 99)->pvid, 1);
	portset_free(&r);
	sw_fini(&sw);
}

int main(void)
{
	learning();
	vlans();
	return check_done("switch");
}
