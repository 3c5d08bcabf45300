// SPDX-License-Identifier: GPL-2.0
/*
 * Switch delivery through libipn's kernel backend, case for case with the
 * user engine's tests/native/engine/switch_test.c (learning, flooding,
 * moves, ageing, a port that leaves, runts; VLANs: access, trunk, hybrid
 * ports, tags removed and added with their priority, priority tags, VID
 * 4095, per-VLAN learning, invalid settings). Where the engine's test
 * reads its table, this one watches where frames go.
 */
#include "libt.h"

/* Ethernet frame to dst (-1: broadcast) from address src, tag vid (-1: none) with priority 5 */
static uint32_t frame(uint8_t *f, int dst, int src, int vid, int mark)
{
	uint32_t o = 12;

	memset(f, 0, 64);
	if (dst < 0)
		memset(f, 0xff, 6);
	else
		f[0] = 0x02, f[5] = (uint8_t)dst;
	f[6] = 0x02;
	f[11] = (uint8_t)src;
	if (vid >= 0) {
		f[12] = 0x81;
		f[13] = 0x00;
		f[14] = (uint8_t)(0xa0 | (vid >> 8));
		f[15] = (uint8_t)vid;
		o = 16;
	}
	f[o] = 0x88;
	f[o + 1] = 0xb5;
	f[o + 2] = (uint8_t)mark;
	return 64;
}

static ipn_member *m[6];

static void to(int from, int dst, int src, int vid, int mark)
{
	uint8_t f[64];

	ipn_send(m[from], f, frame(f, dst, src, vid, mark));
}

/* what port p got: -1 nothing; else its tag's TCI (0: untagged) */
static int tci(int p, int mark)
{
	uint8_t f[128];
	ssize_t n = lt_recv(m[p], f, sizeof(f), 1000);
	int tagged;

	if (n < 18)
		return -1;
	tagged = f[12] == 0x81 && f[13] == 0x00;
	if (f[tagged ? 18 : 14] != mark)
		return -2;
	return tagged ? (f[14] << 8 | f[15]) : 0;
}

static int untagged(int p, int mark)
{
	return tci(p, mark) == 0;
}

static int quiet(int p)
{
	return lt_quiet(m[p]);
}

static void set_vlan(const char *net, uint32_t port, uint16_t pvid, const int *trunk)
{
	struct ipn_port_vlan v = { .port = port, .pvid = pvid };

	for (; trunk && *trunk; trunk++)
		v.trunk[*trunk >> 3] |= 1 << (*trunk & 7);
	if (ipn_vlan_set(ctx, net, &v) < 0)
		diag("  vlan_set %u: %s", port, lt_why());
}

static void learning(void)
{
	struct ipn_net_config c;
	int i;

	lt_cfg(&c, "learn", IPN_POLICY_SWITCH);
	ipn_net_create(ctx, &c);
	for (i = 1; i <= 4; i++)
		m[i] = lt_join("learn", 0);
	to(1, 2, 1, -1, 'a');
	ok(untagged(2, 'a') && untagged(3, 'a') && untagged(4, 'a') && quiet(1),
	   "unknown destination floods to everyone but the sender");
	to(2, 1, 2, -1, 'b');
	ok(untagged(1, 'b') && quiet(3) && quiet(4), "the reply goes only to port 1");
	to(1, 2, 1, -1, 'c');
	ok(untagged(2, 'c') && quiet(3) && quiet(4), "now 2 is learned too");
	to(1, -1, 1, -1, 'd');
	ok(untagged(2, 'd') && untagged(3, 'd') && untagged(4, 'd'), "broadcast floods even when learned");
	to(1, 1, 7, -1, 'e');
	ok(quiet(2) && quiet(3) && quiet(4) && lt_drops("learn", IPN_DROP_NO_ROUTE) == 1,
	   "a frame to an address on the sender's own port: dropped, no route");
	to(3, 2, 1, -1, 'f');
	lt_drain(m[2]);
	to(2, 1, 2, -1, 'g');
	ok(untagged(3, 'g') && quiet(1), "station 1 moved to port 3: its frames follow");
	to(2, 9, 2, -1, 'i');
	lt_drain(m[1]);
	lt_drain(m[3]);
	lt_drain(m[4]);
	ipn_leave(m[2]);
	to(1, 2, 1, -1, 'j');
	ok(untagged(3, 'j') && untagged(4, 'j'), "the learned port left: frames to it flood around");
	{
		uint8_t f[64];

		frame(f, 3, 4, -1, 'k');
		ok(ipn_send(m[1], f, 13) == 13 && lt_drops("learn", IPN_DROP_TOO_SMALL) == 1,
		   "a runt (13 bytes) is dropped as too small");
	}
	for (i = 1; i <= 4; i++)
		if (i != 2)
			ipn_leave(m[i]);
}

static void ageing(void)
{
	struct ipn_net_config c;
	int i;

	lt_cfg(&c, "age", IPN_POLICY_SWITCH);
	c.ageing_s = 1;
	ipn_net_create(ctx, &c);
	for (i = 1; i <= 3; i++)
		m[i] = lt_join("age", 0);
	to(2, -1, 2, -1, 'x');
	lt_drain(m[1]);
	lt_drain(m[3]);
	to(1, 2, 1, -1, 'y');
	ok(untagged(2, 'y') && quiet(3), "ageing 1 s: a fresh address is known");
	msleep(2200);
	to(1, 2, 1, -1, 'z');
	ok(untagged(2, 'z') && untagged(3, 'z'), "after the ageing time frames to it flood again");
	for (i = 1; i <= 3; i++)
		ipn_leave(m[i]);
}

static void vlans(void)
{
	struct ipn_port_vlan v;
	int i;

	lt_net("vlan", IPN_POLICY_SWITCH);
	ok(!ipn_vlan_get(ctx, "vlan", 7, &v) && v.pvid == 1 && !v.trunk[1],
	   "a fresh port: untagged in VLAN 1, no trunk");
	set_vlan("vlan", 1, 10, NULL);
	set_vlan("vlan", 2, 10, NULL);
	set_vlan("vlan", 3, 20, NULL);
	set_vlan("vlan", 4, 0, (int[]){ 10, 20, 0 });
	set_vlan("vlan", 5, 1, (int[]){ 10, 0 });
	ok(!ipn_vlan_get(ctx, "vlan", 4, &v) && v.pvid == 0 && v.trunk[1] == 1 << 2 &&
	   v.trunk[2] == 1 << 4 && v.port == 4, "port 4 reads back: trunk 10 and 20, no pvid");
	for (i = 1; i <= 5; i++)
		m[i] = lt_join("vlan", 0);

	to(1, -1, 1, -1, 'A');
	ok(untagged(2, 'A') && quiet(3) && (tci(4, 'A') & 0xfff) == 10 && (tci(5, 'A') & 0xfff) == 10,
	   "untagged broadcast in VLAN 10: port 2 untagged, trunks 4 and 5 tagged 10, not port 3");
	to(4, -1, 4, 20, 'B');
	ok(untagged(3, 'B') && quiet(1) && quiet(2) && quiet(5),
	   "tagged 20 from the trunk: only port 3, untagged");
	to(4, -1, 4, -1, 'C');
	to(4, -1, 4, 30, 'C');
	to(1, -1, 1, 20, 'C');
	to(4, -1, 4, 4095, 'C');
	ok(quiet(1) && quiet(2) && quiet(3) && quiet(5) && lt_drops("vlan", IPN_DROP_VLAN) == 4,
	   "dropped as VLAN: untagged on the trunk-only port, tag 30 there, tag 20 on an access port "
	   "of 10, VID 4095");
	to(3, -1, 3, 0, 'D');
	ok(tci(4, 'D') == (0xa000 | 20) && quiet(1) && quiet(5),
	   "a priority tag (VID 0) is the port's untagged VLAN: the trunk gets VID 20, priority 5");
	to(1, -1, 1, 10, 'E');
	ok(untagged(2, 'E') && tci(4, 'E') == (0xa000 | 10) && tci(5, 'E') == (0xa000 | 10),
	   "a tagged frame for the port's own VLAN is accepted: untagged to 2, tag and priority kept on trunks");
	{
		uint8_t f[64];

		frame(f, -1, 1, 10, 'F');
		ipn_send(m[1], f, 17);
		ok(lt_drops("vlan", IPN_DROP_TOO_SMALL) == 1 && quiet(2), "cut inside the tag: too small");
	}
	to(4, -1, 7, 10, 'G');
	to(3, -1, 7, -1, 'G');
	lt_drain(m[1]);
	lt_drain(m[2]);
	lt_drain(m[4]);
	lt_drain(m[5]);
	to(1, 7, 1, -1, 'H');
	ok((tci(4, 'H') & 0xfff) == 10 && quiet(3) && quiet(2) && quiet(5),
	   "the same address in VLANs 10 and 20 is two entries: unicast in 10 goes to the trunk only");

	v = (struct ipn_port_vlan){ .port = 1, .pvid = 4095 };
	ok(lt_err(ipn_vlan_set(ctx, "vlan", &v), -EINVAL, "pvid outside 0..4094"), "pvid 4095: EINVAL");
	v.pvid = 1;
	v.trunk[0] = 1;
	ok(lt_err(ipn_vlan_set(ctx, "vlan", &v), -EINVAL, "trunk VLANs must be within 1..4094"),
	   "trunk VLAN 0: EINVAL");
	v.trunk[0] = 0;
	v.port = 0;
	ok(lt_err(ipn_vlan_set(ctx, "vlan", &v), -EINVAL, "port outside the network"), "port 0: EINVAL");
	ok(!ipn_vlan_get(ctx, "vlan", 1, &v) && v.pvid == 10, "port 1 kept VLAN 10");
	ok(lt_err(ipn_vlan_get(ctx, "vlan", 33, &v), -EINVAL, "port outside"), "vlan_get port 33: EINVAL");
	for (i = 1; i <= 5; i++)
		ipn_leave(m[i]);
}

int main(void)
{
	tinit("lib_switch");
	ok(lt_open() == IPN_BACKEND_KERNEL, "kernel backend");
	learning();
	ageing();
	vlans();
	ok(ipn_net_list(ctx, NULL, 0) == 0, "the networks ended with their last member");
	ipn_close(ctx);
	return tdone();
}
