// SPDX-License-Identifier: GPL-2.0
/*
 * The switch policy: learning, flooding of broadcast/multicast/unknown
 * destinations, ageing, VLAN isolation, tag removal and insertion, the
 * MAC table listing.
 */
#include "common.h"
#include <stdlib.h>
#include <unistd.h>

#define HDR 14

static void mac(unsigned char *m, int n)
{
	static const unsigned char base[6] = { 0x02, 0, 0, 0, 0, 0 };

	memcpy(m, base, 6);
	m[5] = n;
}

/* an Ethernet frame; vid 0: untagged. Returns its length. */
static int frame(unsigned char *f, const unsigned char *dst, int src, int vid, int mark)
{
	int o = 12;

	memcpy(f, dst, 6);
	mac(f + 6, src);
	if (vid) {
		f[o++] = 0x81;
		f[o++] = 0x00;
		f[o++] = vid >> 8;
		f[o++] = vid & 0xff;
	}
	f[o++] = 0x88;
	f[o++] = 0xb5;
	memset(f + o, mark, 46);
	return o + 46;
}

static int to(int s, int dst, int src, int vid, int mark)
{
	unsigned char f[128], d[6];
	int n;

	if (dst == 255)
		memset(d, 0xff, 6);
	else
		mac(d, dst);
	n = frame(f, d, src, vid, mark);
	return send(s, f, n, 0) == n ? 0 : -1;
}

/* what s received: -1 nothing; else the mark byte, *vid the tag (0: none) */
static int got(int s, int *vid)
{
	unsigned char f[256];
	ssize_t n = rx(s, f, sizeof(f));
	int o = 12;

	if (n < 0)
		return -1;
	*vid = 0;
	if (n >= 18 && f[12] == 0x81 && f[13] == 0x00) {
		*vid = ((f[14] << 8) | f[15]) & 0xfff;
		o = 16;
	}
	if (n < o + 2 + 46 || f[o] != 0x88 || f[o + 1] != 0xb5)
		return -2;
	return f[o + 2];
}

/* a frame with an 802.1Q tag of exactly this TCI, broadcast from address 9 */
static int tci_to(int s, int tci, int mark)
{
	unsigned char f[128];
	int n;

	memset(f, 0xff, 6);
	mac(f + 6, 9);
	f[12] = 0x81;
	f[13] = 0x00;
	f[14] = tci >> 8;
	f[15] = tci & 0xff;
	f[16] = 0x88;
	f[17] = 0xb5;
	memset(f + 18, mark, 46);
	n = 64;
	return send(s, f, n, 0) == n ? 0 : -1;
}

/* a tagged frame received with this TCI (priority and VID) */
static int got_tci(int s, int mark, int tci)
{
	unsigned char f[256];
	ssize_t n = rx(s, f, sizeof(f));

	if (n < 64 || f[12] != 0x81 || f[13] != 0x00) {
		diag("  %zd bytes, not tagged", n);
		return 0;
	}
	if (((f[14] << 8) | f[15]) != tci || f[18] != mark)
		diag("  TCI 0x%04x mark %c", (f[14] << 8) | f[15], f[18]);
	return ((f[14] << 8) | f[15]) == tci && f[18] == mark;
}

static int got_untagged(int s, int mark)
{
	int v = -1;

	return got(s, &v) == mark && v == 0;
}

static int got_tagged(int s, int mark, int vid)
{
	int v = -1;

	return got(s, &v) == mark && v == vid;
}

static int fdb(int s, struct ipn_fdbent *e, int max)
{
	char buf[sizeof(struct ipn_list) + 64 * sizeof(struct ipn_fdbent)];
	struct ipn_list *h = (struct ipn_list *)buf;
	socklen_t l = sizeof(struct ipn_list) + max * sizeof(*e);

	memset(h, 0, sizeof(*h));
	if (getsockopt(s, IPN_POLICY_SWITCH, IPN_SWITCH_SO_FDB, buf, &l) < 0)
		return -1;
	memcpy(e, h + 1, h->count * sizeof(*e));
	return h->count;
}

static int fdb_port(int s, int m, int vid)
{
	struct ipn_fdbent e[64];
	unsigned char want[6];
	int n = fdb(s, e, 64), i;

	mac(want, m);
	for (i = 0; i < n; i++)
		if (!memcmp(e[i].mac, want, 6) && e[i].vlan == vid)
			return e[i].port;
	return 0;
}

static void t_learning(void)
{
	const char *path = tpath("sw");
	struct ipn_netent e;
	unsigned char f[64], mc[6] = { 0x01, 0x00, 0x5e, 0, 0, 1 };
	int s, m[5], i;

	s = mknet_policy(path, IPN_POLICY_SWITCH);
	for (i = 1; i <= 4; i++)
		m[i] = member(path, IPN_POLICY_SWITCH);
	ok(s >= 0 && m[4] >= 0 && port_of(m[4]) == 4, "a switch with members at ports 1-4");
	send(m[1], f, 10, 0);
	ok(nothing(m[2]) && nothing(m[3]) && nothing(m[4]), "a 10-byte frame is dropped");
	to(m[1], 2, 1, 0, 'a');
	ok(got_untagged(m[2], 'a') && got_untagged(m[3], 'a') && got_untagged(m[4], 'a'),
	   "unknown destination: flooded to ports 2, 3, 4");
	ok(nothing(m[1]), "not back to the sender");
	to(m[2], 1, 2, 0, 'b');
	ok(got_untagged(m[1], 'b') && nothing(m[3]) && nothing(m[4]),
	   "the reply goes only to the learned port 1");
	to(m[1], 2, 1, 0, 'c');
	ok(got_untagged(m[2], 'c') && nothing(m[3]) && nothing(m[4]), "and back only to port 2");
	to(m[3], 255, 3, 0, 'd');
	ok(got_untagged(m[1], 'd') && got_untagged(m[2], 'd') && got_untagged(m[4], 'd'),
	   "broadcast: flooded");
	memcpy(f, mc, 6);
	mac(f + 6, 4);
	f[12] = 0x08;
	f[13] = 0x00;
	memset(f + 14, 'e', 46);
	send(m[4], f, 60, 0);
	ok(drain(m[1]) == 1 && drain(m[2]) == 1 && drain(m[3]) == 1, "multicast: flooded");
	ok(fdb_port(s, 1, 1) == 1 && fdb_port(s, 2, 1) == 2 && fdb_port(s, 3, 1) == 3 &&
	   fdb_port(s, 4, 1) == 4, "IPN_SWITCH_SO_FDB lists the 4 addresses, VLAN 1");
	to(m[4], 3, 1, 0, 'f'); /* address 1 moves to port 4 */
	drain(m[3]);
	ok(fdb_port(s, 1, 1) == 4, "an address seen on another port moves there");
	to(m[2], 1, 2, 0, 'g');
	ok(got_untagged(m[4], 'g') && nothing(m[1]), "and its frames follow it");
	to(m[4], 1, 4, 0, 'h');
	ok(nothing(m[1]) && nothing(m[2]) && nothing(m[3]), "a frame to the sender's own port: nobody");
	ok(!net_info(s, &e) && e.stats.drops[IPN_DROP_TOO_SMALL] == 1 &&
	   e.stats.drops[IPN_DROP_NO_ROUTE] == 1, "counted: 1 too small, 1 no route");
	to(m[2], 1, 2, 0, 'k'); /* 2 is known again (1 is on port 4 now) */
	drain(m[4]);
	shutdown(m[2], SHUT_RD);
	to(m[1], 2, 1, 0, 'l');
	ok(got_untagged(m[3], 'l') && got_untagged(m[4], 'l'),
	   "a learned port that stops reading: frames to it flood around");
	close(m[2]);
	to(m[1], 2, 1, 0, 'i');
	ok(got_untagged(m[3], 'i') && got_untagged(m[4], 'i'),
	   "a port leaves: its addresses are forgotten, frames flood");
	WORKS(setint(s, IPN_POLICY_SWITCH, IPN_SWITCH_SO_FDB_FLUSH, -1), "IPN_SWITCH_SO_FDB_FLUSH");
	ok(fdb_port(s, 3, 1) == 0, "the table is empty");
	FAILS(setint(m[1], IPN_POLICY_SWITCH, IPN_SWITCH_SO_FDB_FLUSH, -1), EPERM,
	      "a member cannot flush it");
	FAILS(setint(s, IPN_POLICY_CONCAST, IPN_CONCAST_SO_FLOW, 0), ENOPROTOOPT,
	      "concast options on a switch: ENOPROTOOPT");
	for (i = 1; i <= 4; i++)
		if (i != 2)
			close(m[i]);
	close(s);
	unlink(path);
}

static void t_ageing(void)
{
	const char *path = tpath("age");
	struct ipn_netconf c;
	int s, a, b, cc;

	conf_init(&c, IPN_POLICY_SWITCH);
	c.ageing_s = 1;
	s = mknet(path, &c);
	a = member(path, 0);
	b = member(path, 0);
	cc = member(path, 0);
	to(b, 255, 2, 0, 'x');
	drain(a);
	drain(cc);
	to(a, 2, 1, 0, 'y');
	ok(got_untagged(b, 'y') && nothing(cc), "ageing 1 s: a fresh address is known");
	msleep(2200);
	ok(fdb_port(s, 2, 1) == 0, "after 2 s it is no longer listed");
	to(a, 2, 1, 0, 'z');
	ok(got_untagged(b, 'z') && got_untagged(cc, 'z'), "and frames to it flood again");
	close(a);
	close(b);
	close(cc);
	close(s);
	unlink(path);
}

static int set_vlan(int s, int port, int pvid, const int *trunk)
{
	struct ipn_port_vlan v;

	memset(&v, 0, sizeof(v));
	v.port = port;
	v.pvid = pvid;
	for (; trunk && *trunk; trunk++)
		v.trunk[*trunk / 8] |= 1 << (*trunk % 8);
	return setsockopt(s, IPN_POLICY_SWITCH, IPN_SWITCH_SO_VLAN, &v, sizeof(v));
}

static void t_vlan(void)
{
	const char *path = tpath("vlan");
	static const int tr[] = { 10, 20, 0 }, bad0[] = { 0, 0 };
	struct ipn_port_vlan v;
	struct ipn_netent e;
	socklen_t l;
	int s, m[5], i, bad[] = { 4095, 0 };

	s = mknet_policy(path, IPN_POLICY_SWITCH);
	WORKS(set_vlan(s, 1, 10, NULL), "port 1: untagged VLAN 10");
	WORKS(set_vlan(s, 2, 10, NULL), "port 2: untagged VLAN 10");
	WORKS(set_vlan(s, 3, 20, NULL), "port 3: untagged VLAN 20");
	WORKS(set_vlan(s, 4, 0, tr), "port 4: trunk of VLANs 10 and 20, no untagged VLAN");
	FAILS(set_vlan(s, 0, 1, NULL), EINVAL, "port 0: EINVAL");
	FAILS(set_vlan(s, 65, 1, NULL), EINVAL, "a port beyond the network: EINVAL");
	FAILS(set_vlan(s, 1, 4095, NULL), EINVAL, "pvid 4095: EINVAL");
	FAILS(set_vlan(s, 1, 1, bad), EINVAL, "trunk VLAN 4095: EINVAL");
	(void)bad0;
	memset(&v, 0, sizeof(v));
	v.port = 4;
	l = sizeof(v);
	ok(!getsockopt(s, IPN_POLICY_SWITCH, IPN_SWITCH_SO_VLAN, &v, &l) && v.pvid == 0 &&
	   v.trunk[1] == (1 << 2) && v.trunk[2] == (1 << 4) && v.trunk[0] == 0,
	   "IPN_SWITCH_SO_VLAN reads port 4 back");
	for (i = 1; i <= 4; i++)
		m[i] = member(path, 0);
	FAILS(set_vlan(m[1], 1, 1, NULL), EPERM, "a member cannot change VLANs");

	to(m[1], 255, 1, 0, 'A');
	ok(got_untagged(m[2], 'A'), "VLAN 10 broadcast from port 1: port 2 gets it untagged");
	ok(nothing(m[3]), "port 3 (VLAN 20) does not");
	ok(got_tagged(m[4], 'A', 10), "the trunk gets it tagged 10 (tag added)");
	to(m[4], 255, 4, 20, 'B');
	ok(got_untagged(m[3], 'B'), "tagged 20 from the trunk: port 3 gets it untagged (tag removed)");
	ok(nothing(m[1]) && nothing(m[2]), "VLAN 10 ports do not");
	to(m[4], 255, 4, 10, 'C');
	ok(got_untagged(m[1], 'C') && got_untagged(m[2], 'C') && nothing(m[3]),
	   "tagged 10 from the trunk: ports 1 and 2, untagged");
	to(m[4], 255, 4, 30, 'D');
	to(m[4], 255, 4, 0, 'E');
	to(m[1], 255, 1, 20, 'F');
	tci_to(m[4], 0xa000, 'E');
	tci_to(m[4], 4095, 'E');
	ok(nothing(m[1]) && nothing(m[2]) && nothing(m[3]) && nothing(m[4]),
	   "dropped: VLAN 30 on the trunk, untagged or priority-tagged on the trunk (no pvid), "
	   "another VLAN's tag on an access port, VID 4095");
	ok(!net_info(s, &e) && e.stats.drops[IPN_DROP_VLAN] == 5, "5 VLAN drops counted");
	to(m[1], 255, 1, 10, 'K');
	ok(got_untagged(m[2], 'K') && got_tagged(m[4], 'K', 10) && nothing(m[3]),
	   "its own VLAN tagged on an access port: accepted, out untagged on 2, tagged on the trunk");
	tci_to(m[3], 0xa000, 'L');
	ok(got_tci(m[4], 'L', 0xa000 | 20) && nothing(m[1]) && nothing(m[2]),
	   "a priority tag (VID 0) on port 3 is VLAN 20: the trunk gets VID 20, priority 5 kept");
	tci_to(m[1], 0x6000, 'M');
	ok(got_untagged(m[2], 'M') && got_tci(m[4], 'M', 0x6000 | 10),
	   "and on port 1 VLAN 10: untagged on port 2 (tag removed), VID 10 priority 3 on the trunk");
	to(m[3], 4, 3, 0, 'G');  /* learned: 3 in VLAN 20 */
	to(m[4], 3, 4, 20, 'H');
	ok(got_untagged(m[3], 'H') && nothing(m[1]), "learned per VLAN: unicast in VLAN 20");
	drain(m[4]);
	to(m[1], 3, 1, 0, 'I');
	ok(nothing(m[3]) && got_tagged(m[4], 'I', 10) && got_untagged(m[2], 'I'),
	   "the same address in VLAN 10 is unknown there: flooded in VLAN 10 only");
	ok(fdb_port(s, 3, 20) == 3 && fdb_port(s, 3, 10) == 0 && fdb_port(s, 1, 10) == 1,
	   "the table holds addresses per VLAN");
	WORKS(set_vlan(s, 3, 10, NULL), "port 3 moves to VLAN 10");
	to(m[1], 255, 1, 0, 'J');
	ok(got_untagged(m[3], 'J'), "and now hears VLAN 10");
	for (i = 1; i <= 4; i++)
		close(m[i]);
	close(s);
	unlink(path);
}

int main(void)
{
	struct ipn_objects o = { 0 };

	tinit("switch");
	t_learning();
	t_ageing();
	t_vlan();
	get_objects(&o);
	ok(o.fdb == 0 && o.nets == 0, "no MAC table entry left behind (%llu)", (unsigned long long)o.fdb);
	return tdone();
}
