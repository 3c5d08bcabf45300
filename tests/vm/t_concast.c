// SPDX-License-Identifier: GPL-2.0
/*
 * The concast policy: every merge function, completion by count and by
 * timeout, message and summary outputs, receiver_port, little-endian
 * fields, and the flow state (list, get, set, delete).
 */
#include "common.h"
#include <endian.h>
#include <stdlib.h>
#include <unistd.h>

struct net {
	int s, r, w[3]; /* managing socket, receiver, senders */
	const char *path;
};

static void spec_init(struct ipn_concast_spec *c, int fn, int out, int count, int ms)
{
	memset(c, 0, sizeof(*c));
	c->key_type = IPN_FIELD_U16;
	c->key_offset = 0;
	c->merge_fn = fn;
	if (fn == IPN_MERGE_SUM || fn == IPN_MERGE_MIN || fn == IPN_MERGE_MAX ||
	    fn == IPN_MERGE_FIRST || fn == IPN_MERGE_LAST) {
		c->value_type = IPN_FIELD_U32;
		c->value_offset = 2;
	}
	c->output = out;
	c->done_count = count;
	c->done_timeout_ms = ms;
	c->receiver_port = -1;
}

/* a concast network: the receiver reads only, the 3 senders only send */
static int open_net(struct net *n, const char *name, const struct ipn_concast_spec *spec)
{
	struct ipn_netconf c;
	int i;

	conf_init(&c, IPN_POLICY_CONCAST);
	c.concast = *spec;
	n->path = tpath(name);
	n->s = mknet(n->path, &c);
	if (n->s < 0)
		return -1;
	n->r = isock(IPN_POLICY_CONCAST);
	shutdown(n->r, SHUT_WR);
	if (iconnect(n->r, n->path) < 0)
		return -1;
	for (i = 0; i < 3; i++) {
		n->w[i] = isock(IPN_POLICY_CONCAST);
		shutdown(n->w[i], SHUT_RD);
		if (iconnect(n->w[i], n->path) < 0)
			return -1;
	}
	return 0;
}

static void close_net(struct net *n)
{
	int i;

	for (i = 0; i < 3; i++)
		close(n->w[i]);
	close(n->r);
	close(n->s);
	unlink(n->path);
}

/* key (u16 BE), value (u32 BE), then a marker byte */
static int msg(int s, int key, unsigned int value, int mark)
{
	unsigned char m[8];

	m[0] = key >> 8;
	m[1] = key;
	m[2] = value >> 24;
	m[3] = value >> 16;
	m[4] = value >> 8;
	m[5] = value;
	m[6] = mark;
	m[7] = 0;
	return send(s, m, sizeof(m), 0) == sizeof(m) ? 0 : -1;
}

static int summary(int s, unsigned long long *key, unsigned long long *value, unsigned int *count)
{
	struct ipn_concast_summary sum;

	if (rx(s, &sum, sizeof(sum)) != sizeof(sum))
		return 0;
	*key = be64toh(sum.key);
	*value = be64toh(sum.value);
	*count = be32toh(sum.count);
	return 1;
}

static int is_summary(int s, unsigned long long key, unsigned long long value, unsigned int count)
{
	unsigned long long k = 0, v = 0;
	unsigned int c = 0;

	if (!summary(s, &k, &v, &c)) {
		diag("  no summary");
		return 0;
	}
	if (k != key || v != value || c != count)
		diag("  summary key %llu value %llu count %u", k, v, c);
	return k == key && v == value && c == count;
}

/* the output message: key, value and marker */
static int is_message(int s, int key, unsigned int value, int mark)
{
	unsigned char m[16];
	ssize_t n = rx(s, m, sizeof(m));

	if (n != 8) {
		diag("  message of %zd bytes", n);
		return 0;
	}
	return ((m[0] << 8) | m[1]) == key &&
	       (unsigned int)((m[2] << 24) | (m[3] << 16) | (m[4] << 8) | m[5]) == value &&
	       m[6] == mark;
}

static void t_merge(void)
{
	struct ipn_concast_spec sp;
	struct net n;

	spec_init(&sp, IPN_MERGE_COUNT, IPN_CONCAST_OUT_SUMMARY, 3, 0);
	ok(!open_net(&n, "count", &sp), "count, done after 3, summary output");
	msg(n.w[0], 7, 0, 'a');
	msg(n.w[1], 7, 0, 'b');
	ok(nothing(n.r), "2 messages: nothing yet");
	msg(n.w[2], 7, 0, 'c');
	ok(is_summary(n.r, 7, 3, 3), "the third completes the flow: key 7, value 3, count 3");
	{
		char b[64];

		ok(rx(n.w[0], b, sizeof(b)) == 0, "senders (no r right) get no output: end of file");
	}
	msg(n.w[0], 7, 0, 'd');
	ok(nothing(n.r), "the key starts a new flow afterwards");
	close_net(&n);

	spec_init(&sp, IPN_MERGE_SUM, IPN_CONCAST_OUT_SUMMARY, 3, 0);
	open_net(&n, "sum", &sp);
	msg(n.w[0], 1, 10, 0);
	msg(n.w[1], 2, 1000, 0);
	msg(n.w[1], 1, 20, 0);
	msg(n.w[2], 1, 30, 0);
	ok(is_summary(n.r, 1, 60, 3), "sum: 10 + 20 + 30 = 60, flows keyed apart");
	close_net(&n);

	spec_init(&sp, IPN_MERGE_MIN, IPN_CONCAST_OUT_SUMMARY, 3, 0);
	open_net(&n, "min", &sp);
	msg(n.w[0], 1, 5, 0);
	msg(n.w[1], 1, 3, 0);
	msg(n.w[2], 1, 9, 0);
	ok(is_summary(n.r, 1, 3, 3), "min of 5, 3, 9 is 3");
	close_net(&n);

	spec_init(&sp, IPN_MERGE_MAX, IPN_CONCAST_OUT_SUMMARY, 3, 0);
	open_net(&n, "max", &sp);
	msg(n.w[0], 1, 5, 0);
	msg(n.w[1], 1, 3, 0);
	msg(n.w[2], 1, 9, 0);
	ok(is_summary(n.r, 1, 9, 3), "max of 5, 3, 9 is 9");
	close_net(&n);

	spec_init(&sp, IPN_MERGE_SUM, IPN_CONCAST_OUT_MESSAGE, 2, 0);
	open_net(&n, "summsg", &sp);
	msg(n.w[0], 4, 100, 'x');
	msg(n.w[1], 4, 23, 'y');
	ok(is_message(n.r, 4, 123, 'x'), "message output: the first message, the sum written in");
	close_net(&n);

	spec_init(&sp, IPN_MERGE_FIRST, IPN_CONCAST_OUT_MESSAGE, 3, 0);
	open_net(&n, "first", &sp);
	msg(n.w[0], 4, 1, 'x');
	msg(n.w[1], 4, 2, 'y');
	msg(n.w[2], 4, 3, 'z');
	ok(is_message(n.r, 4, 1, 'x'), "first: the first message");
	close_net(&n);

	spec_init(&sp, IPN_MERGE_LAST, IPN_CONCAST_OUT_MESSAGE, 3, 0);
	open_net(&n, "last", &sp);
	msg(n.w[0], 4, 1, 'x');
	msg(n.w[1], 4, 2, 'y');
	msg(n.w[2], 4, 3, 'z');
	ok(is_message(n.r, 4, 3, 'x'), "last with a value field: the first message, the last value");
	close_net(&n);

	spec_init(&sp, IPN_MERGE_LAST, IPN_CONCAST_OUT_MESSAGE, 3, 0);
	sp.value_type = 0;
	sp.value_offset = 0;
	open_net(&n, "lastmsg", &sp);
	msg(n.w[0], 4, 1, 'x');
	msg(n.w[1], 4, 2, 'y');
	msg(n.w[2], 4, 3, 'z');
	ok(is_message(n.r, 4, 3, 'z'), "last without one: the last message as it is");
	close_net(&n);

	spec_init(&sp, IPN_MERGE_FIRST, IPN_CONCAST_OUT_SUMMARY, 2, 0);
	sp.value_type = 0;
	sp.value_offset = 0;
	open_net(&n, "firstsum", &sp);
	msg(n.w[0], 4, 1, 'x');
	msg(n.w[1], 4, 2, 'y');
	ok(is_summary(n.r, 4, 0, 2), "first without a value field: the summary's value is 0");
	close_net(&n);

	spec_init(&sp, IPN_MERGE_DEDUP, IPN_CONCAST_OUT_SUMMARY, 2, 0);
	open_net(&n, "dedupsum", &sp);
	msg(n.w[0], 5, 1, 'p');
	msg(n.w[1], 5, 2, 'q');
	ok(is_message(n.r, 5, 1, 'p') && nothing(n.r),
	   "dedup with summary output: the first message still passes as it is");
	close_net(&n);

	spec_init(&sp, IPN_MERGE_DEDUP, IPN_CONCAST_OUT_MESSAGE, 3, 0);
	open_net(&n, "dedup", &sp);
	msg(n.w[0], 6, 1, 'p');
	ok(is_message(n.r, 6, 1, 'p'), "dedup: the first message passes at once");
	msg(n.w[1], 6, 2, 'q');
	msg(n.w[2], 6, 3, 'r');
	ok(nothing(n.r), "its duplicates do not");
	msg(n.w[0], 6, 4, 's');
	ok(is_message(n.r, 6, 4, 's'), "after 3 the flow is done: the key passes again");
	close_net(&n);

	spec_init(&sp, IPN_MERGE_SUM, IPN_CONCAST_OUT_SUMMARY, 2, 0);
	sp.key_type = IPN_FIELD_U16 | IPN_FIELD_LE;
	sp.value_type = IPN_FIELD_U32 | IPN_FIELD_LE;
	open_net(&n, "le", &sp);
	{
		unsigned char m[6] = { 0x34, 0x12, 0x01, 0, 0, 0 };

		send(n.w[0], m, 6, 0);
		m[2] = 0x02;
		send(n.w[1], m, 6, 0);
	}
	ok(is_summary(n.r, 0x1234, 3, 2), "little-endian key and value fields");
	close_net(&n);
}

static void t_done(void)
{
	struct ipn_concast_spec sp;
	uint64_t t0;
	struct net n;
	int s2, got;

	spec_init(&sp, IPN_MERGE_COUNT, IPN_CONCAST_OUT_SUMMARY, 0, 1000);
	open_net(&n, "timeout", &sp);
	t0 = now_ms();
	msg(n.w[0], 5, 0, 0);
	msg(n.w[1], 5, 0, 0);
	ok(nothing(n.r), "timeout 1 s: nothing at once");
	got = readable(n.r, 5000);
	ok(got && now_ms() - t0 >= 950, "the flow completes by its timeout (%llu ms)",
	   (unsigned long long)(now_ms() - t0));
	ok(is_summary(n.r, 5, 2, 2), "with the 2 messages merged");
	close_net(&n);

	spec_init(&sp, IPN_MERGE_COUNT, IPN_CONCAST_OUT_SUMMARY, 10, 200);
	open_net(&n, "both", &sp);
	msg(n.w[0], 3, 0, 0);
	msg(n.w[1], 3, 0, 0);
	msg(n.w[2], 3, 0, 0);
	readable(n.r, 3000);
	ok(is_summary(n.r, 3, 3, 3), "count 10 or 200 ms: 3 messages complete by time");
	close_net(&n);

	spec_init(&sp, IPN_MERGE_COUNT, IPN_CONCAST_OUT_SUMMARY, 2, 0);
	open_net(&n, "recvport", &sp);
	s2 = isock(IPN_POLICY_CONCAST);
	shutdown(s2, SHUT_WR);
	iconnect(s2, n.path);
	msg(n.w[0], 9, 0, 0);
	msg(n.w[1], 9, 0, 0);
	ok(is_summary(n.r, 9, 2, 2) && is_summary(s2, 9, 2, 2), "receiver_port -1: every reader");
	close(s2);
	close_net(&n);

	spec_init(&sp, IPN_MERGE_COUNT, IPN_CONCAST_OUT_SUMMARY, 2, 0);
	sp.receiver_port = 6;
	open_net(&n, "recvport6", &sp);
	s2 = isock(IPN_POLICY_CONCAST);
	shutdown(s2, SHUT_WR);
	setint(s2, SOL_IPN, IPN_SO_PORT, 6);
	iconnect(s2, n.path);
	msg(n.w[0], 9, 0, 0);
	msg(n.w[1], 9, 0, 0);
	ok(is_summary(s2, 9, 2, 2) && nothing(n.r), "receiver_port 6: only port 6");
	close(s2);
	close_net(&n);
}

static int flow_get(int s, unsigned long long key, struct ipn_flow *f)
{
	socklen_t l = sizeof(*f);

	memset(f, 0, sizeof(*f));
	f->key = key;
	return getsockopt(s, IPN_POLICY_CONCAST, IPN_CONCAST_SO_FLOW, f, &l);
}

static int flow_set(int s, unsigned long long key, unsigned long long value, unsigned count,
		    unsigned expect, unsigned flags)
{
	struct ipn_flow f;

	memset(&f, 0, sizeof(f));
	f.key = key;
	f.value = value;
	f.count = count;
	f.expect = expect;
	f.flags = flags;
	return setsockopt(s, IPN_POLICY_CONCAST, IPN_CONCAST_SO_FLOW, &f, sizeof(f));
}

static void t_flows(void)
{
	char buf[sizeof(struct ipn_list) + 16 * sizeof(struct ipn_flow)];
	struct ipn_list *h = (struct ipn_list *)buf;
	struct ipn_concast_spec sp, got;
	struct ipn_netent e;
	struct ipn_flow f;
	socklen_t l;
	struct net n;

	spec_init(&sp, IPN_MERGE_SUM, IPN_CONCAST_OUT_SUMMARY, 3, 0);
	open_net(&n, "flows", &sp);
	l = sizeof(got);
	ok(!getsockopt(n.r, IPN_POLICY_CONCAST, IPN_CONCAST_SO_SPEC, &got, &l) &&
	   !memcmp(&got, &sp, sizeof(sp)), "IPN_CONCAST_SO_SPEC reads the spec");
	msg(n.w[0], 8, 5, 0);
	msg(n.w[1], 8, 6, 0);
	msg(n.w[0], 11, 1, 0);
	ok(!flow_get(n.r, 8, &f) && f.key == 8 && f.value == 11 && f.count == 2 &&
	   (f.flags & IPN_FLOW_OPEN), "IPN_CONCAST_SO_FLOW reads flow 8: value 11, count 2");
	FAILS(flow_get(n.r, 99, &f), ENOENT, "an unknown flow: ENOENT");
	memset(h, 0, sizeof(*h));
	l = sizeof(buf);
	ok(!getsockopt(n.r, IPN_POLICY_CONCAST, IPN_CONCAST_SO_FLOWS, buf, &l) && h->total == 2 &&
	   h->count == 2 && ((struct ipn_flow *)(h + 1))[0].key == 8 &&
	   ((struct ipn_flow *)(h + 1))[1].key == 11, "IPN_CONCAST_SO_FLOWS lists 8 and 11, oldest first");
	FAILS(flow_set(n.w[0], 9, 100, 1, 2, IPN_FLOW_OPEN), EPERM, "a member cannot set flows");
	WORKS(flow_set(n.s, 9, 100, 1, 2, IPN_FLOW_OPEN), "the manager opens flow 9: 100, 1 of 2");
	ok(!flow_get(n.r, 9, &f) && f.value == 100 && f.count == 1 && f.expect == 2,
	   "it reads back");
	msg(n.w[2], 9, 5, 0);
	ok(is_summary(n.r, 9, 105, 2), "one more message completes it: 105, count 2");
	WORKS(flow_set(n.s, 8, 0, 0, 0, 0), "deleting flow 8");
	FAILS(flow_get(n.r, 8, &f), ENOENT, "it is gone");
	FAILS(flow_set(n.s, 8, 0, 0, 0, 0), ENOENT, "deleting it again: ENOENT");
	WORKS(flow_set(n.s, 11, 50, 3, 0, IPN_FLOW_OPEN), "setting flow 11 to its done count");
	ok(is_summary(n.r, 11, 50, 3), "completes it at once");
	FAILS(flow_set(n.s, 12, 0, 0, 0, 0x80), EINVAL, "unknown flow flags: EINVAL");
	{
		unsigned char m[1] = { 1 };

		send(n.w[0], m, 1, 0);
	}
	ok(nothing(n.r) && !net_info(n.s, &e) && e.stats.drops[IPN_DROP_CONCAST] == 1,
	   "a message too short for its fields is dropped and counted");
	close_net(&n);
}

/* what a flow table full, a done-less spec and receiver port 0 do */
static void t_edges(void)
{
	struct ipn_concast_spec sp;
	struct ipn_netent e;
	struct ipn_flow f;
	struct net n;
	int i, bad = 0;

	spec_init(&sp, IPN_MERGE_SUM, IPN_CONCAST_OUT_SUMMARY, 0, 0);
	ok(!open_net(&n, "nodone", &sp), "a spec without a done condition is accepted");
	msg(n.w[0], 1, 5, 0);
	msg(n.w[1], 1, 6, 0);
	msg(n.w[2], 1, 7, 0);
	ok(nothing(n.r) && !flow_get(n.r, 1, &f) && f.count == 3 && f.value == 18,
	   "its flows stay open: key 1, 3 messages, 18");
	WORKS(flow_set(n.s, 1, 18, 3, 4, IPN_FLOW_OPEN), "an expect of 4 is set on the flow");
	msg(n.w[0], 1, 2, 0);
	ok(is_summary(n.r, 1, 20, 4), "the fourth message completes it: 20, count 4");
	ok(!net_info(n.s, &e) && e.flows == 0, "no flow open (IPN_SO_NETINFO's flows)");
	msg(n.w[0], 2, 1, 0);
	msg(n.w[0], 3, 1, 0);
	ok(!net_info(n.s, &e) && e.flows == 2, "two flows open: the listing counts 2");
	for (i = 0; i < IPN_FLOWS_MAX; i++)
		if (flow_set(n.s, 1000 + i, 0, 0, 0, IPN_FLOW_OPEN) < 0)
			bad++;
	ok(bad == 2 && errno == ENOSPC, "flows up to IPN_FLOWS_MAX, then ENOSPC (%d refused)", bad);
	msg(n.w[1], 7, 1, 0);
	ok(!net_info(n.s, &e) && e.stats.drops[IPN_DROP_FLOWS] == 1,
	   "a message for a new key with the table full: dropped, counted as IPN_DROP_FLOWS");
	close_net(&n);

	spec_init(&sp, IPN_MERGE_COUNT, IPN_CONCAST_OUT_SUMMARY, 2, 0);
	sp.receiver_port = 0;
	ok(!open_net(&n, "recv0", &sp), "receiver port 0 is accepted");
	msg(n.w[0], 1, 0, 0);
	msg(n.w[1], 1, 0, 0);
	ok(nothing(n.r) && !net_info(n.s, &e) && e.stats.drops[IPN_DROP_NO_ROUTE] == 1,
	   "nobody is port 0: the output is dropped, counted as no route");
	close_net(&n);
}

static void t_spec_checks(void)
{
	struct ipn_concast_spec sp;
	struct ipn_netconf c;
	int s = isock(IPN_POLICY_CONCAST);

	conf_init(&c, IPN_POLICY_CONCAST);
	spec_init(&c.concast, IPN_MERGE_SUM, IPN_CONCAST_OUT_SUMMARY, 2, 0);
	c.concast.value_type = 0;
	c.concast.value_offset = 0;
	FAILS(set_conf(s, &c), EINVAL, "sum without a value field: EINVAL");
	spec_init(&c.concast, IPN_MERGE_DEDUP, IPN_CONCAST_OUT_SUMMARY, 2, 0);
	c.concast.value_type = IPN_FIELD_U8;
	FAILS(set_conf(s, &c), EINVAL, "dedup with a value field: EINVAL");
	spec_init(&c.concast, IPN_MERGE_COUNT, IPN_CONCAST_OUT_SUMMARY, 2, 0);
	c.concast.receiver_port = -2;
	FAILS(set_conf(s, &c), EINVAL, "receiver port -2: EINVAL");
	spec_init(&c.concast, IPN_MERGE_COUNT, IPN_CONCAST_OUT_SUMMARY, 2, 0);
	c.concast.key_offset = 1513;
	FAILS(set_conf(s, &c), EINVAL, "a key beyond the MTU: EINVAL");
	spec_init(&c.concast, 9, IPN_CONCAST_OUT_SUMMARY, 2, 0);
	FAILS(set_conf(s, &c), EINVAL, "merge function 9: EINVAL");
	spec_init(&c.concast, IPN_MERGE_COUNT, 3, 2, 0);
	FAILS(set_conf(s, &c), EINVAL, "output 3: EINVAL");
	spec_init(&c.concast, IPN_MERGE_COUNT, IPN_CONCAST_OUT_SUMMARY, 2, 0);
	c.concast.key_type = 0x13;
	FAILS(set_conf(s, &c), EINVAL, "key type 0x13: EINVAL");
	spec_init(&sp, IPN_MERGE_COUNT, IPN_CONCAST_OUT_SUMMARY, 2, 0);
	c.concast = sp;
	WORKS(set_conf(s, &c), "a valid spec");
	close(s);
}

int main(void)
{
	struct ipn_objects o = { 0 };

	tinit("concast");
	t_merge();
	t_done();
	t_flows();
	t_edges();
	t_spec_checks();
	get_objects(&o);
	ok(o.flows == 0 && o.nets == 0, "no flow left behind (%llu)", (unsigned long long)o.flows);
	return tdone();
}
