// SPDX-License-Identifier: GPL-2.0
/*
 * Hub delivery through libipn's kernel backend, case for case with the
 * user engine's tests/native/engine/hub_test.c: nobody to deliver to,
 * every reader but the sender, a send-only sender reaching everyone, a
 * reader that left, a high port number.
 */
#include "libt.h"

static int got(ipn_member *m, const char *text)
{
	char b[64];
	ssize_t n = lt_recv(m, b, sizeof(b), 1000);

	return n == (ssize_t)strlen(text) && !memcmp(b, text, (size_t)n);
}

int main(void)
{
	struct ipn_net_config c;
	ipn_member *m[6], *w;
	int i, all;

	tinit("lib_hub");
	ok(lt_open() == IPN_BACKEND_KERNEL, "kernel backend");
	lt_net("hub", IPN_POLICY_HUB);
	m[1] = lt_join("hub", 0);
	ok(ipn_send(m[1], "alone", 5) == 5 && lt_drops("hub", IPN_DROP_NO_ROUTE) == 1,
	   "nobody to deliver to (only the sender reads): dropped, counted as no route");
	for (i = 2; i <= 5; i++)
		m[i] = lt_join("hub", 0);
	ok(m[5] && ipn_member_port(m[5]) == 5, "5 members at ports 1-5");
	ipn_send(m[3], "from3", 5);
	for (i = 1, all = 1; i <= 5; i++)
		if (i != 3)
			all &= got(m[i], "from3");
	ok(all && lt_quiet(m[3]), "from port 3: ports 1, 2, 4, 5 get it, not the sender");
	w = lt_join("hub", IPN_JOIN_WRONLY);
	ok(w && ipn_member_rights(w) == IPN_RIGHT_WRITE, "a send-only member (port 6)");
	ipn_send(w, "fromw", 5);
	for (i = 1, all = 1; i <= 5; i++)
		all &= got(m[i], "fromw");
	ok(all, "what it sends reaches all 5 readers");
	ipn_leave(m[2]);
	ipn_send(m[1], "after", 5);
	ok(got(m[3], "after") && got(m[4], "after") && got(m[5], "after") && lt_quiet(m[1]),
	   "a reader left: the 3 others get it, the sender does not");
	ok(lt_tx("hub") == 4 + 5 + 3, "12 deliveries counted");

	lt_cfg(&c, "hubbig", IPN_POLICY_HUB);
	c.max_ports = 65535;
	ipn_net_create(ctx, &c);
	ok(ipn_tap_add(ctx, "hubbig", "hb65535", 65535) == 65535, "a tap at port 65535");
	sh("%s link set hb65535 up", IP);
	m[0] = lt_join("hubbig", 0);
	{
		unsigned char f[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x88, 0xb5 };
		const struct ipn_port_info *p;

		ipn_send(m[0], f, sizeof(f));
		p = lt_port("hubbig", 65535);
		ok(p && p->kind == IPN_PORT_TAP && p->stats.tx_frames == 1,
		   "a member's frame reaches port 65535");
	}
	ipn_leave(m[0]);
	ipn_leave(w);
	for (i = 1; i <= 5; i++)
		if (i != 2)
			ipn_leave(m[i]);
	ok(ipn_net_get(ctx, "hub", &(struct ipn_net_info){ 0 }) == -ENOENT,
	   "its last member left: the hub ended");
	ipn_net_destroy(ctx, "hubbig");
	ok(sh("%s link show hb65535 >/dev/null 2>&1", IP) != 0, "destroying the other removed its tap");
	ipn_close(ctx);
	return tdone();
}
