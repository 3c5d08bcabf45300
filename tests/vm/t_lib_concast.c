// SPDX-License-Identifier: GPL-2.0
/*
 * Concast through libipn's kernel backend, case for case with the user
 * engine's tests/native/engine/concast_test.c (merge functions, field
 * width, dedup, summary by timeout, flow state, short messages, spec
 * checks) and tests/e2e/engine_concast.sh (several senders into one
 * receiver port; senders get nothing; flows read, set and completed;
 * summary to every reader; drop counters).
 */
#include "libt.h"
#include <endian.h>

/* messages: u16 key (BE) at 0, a tag byte at 3, u32 value (BE) at 4 */
static uint32_t msg(uint8_t *m, uint16_t key, uint32_t value, uint8_t tag)
{
	memset(m, 0, 16);
	m[0] = key >> 8;
	m[1] = key;
	m[3] = tag;
	m[4] = value >> 24;
	m[5] = value >> 16;
	m[6] = value >> 8;
	m[7] = value;
	return 16;
}

static int cc_net(const char *name, int fn, int value, int out, int count, int ms, int recv)
{
	struct ipn_net_config c;

	lt_cfg(&c, name, IPN_POLICY_CONCAST);
	c.concast.key_type = IPN_FIELD_U16;
	c.concast.merge_fn = fn;
	if (value) {
		c.concast.value_type = IPN_FIELD_U32;
		c.concast.value_offset = 4;
	}
	c.concast.output = out;
	c.concast.done_count = count;
	c.concast.done_timeout_ms = ms;
	c.concast.receiver_port = recv;
	return ipn_net_create(ctx, &c);
}

static void send_msg(ipn_member *s, uint16_t key, uint32_t value, uint8_t tag)
{
	uint8_t m[16];

	ipn_send(s, m, msg(m, key, value, tag));
}

/* the next output: 1 when it is the message (key, value, tag) */
static int got_msg(ipn_member *r, uint16_t key, uint32_t value, uint8_t tag)
{
	uint8_t m[64];
	ssize_t n = lt_recv(r, m, sizeof(m), 2000);
	uint32_t v = (uint32_t)m[4] << 24 | m[5] << 16 | m[6] << 8 | m[7];

	if (n != 16 || ((m[0] << 8) | m[1]) != key || v != value || m[3] != tag) {
		diag("  got %zd bytes: key %u value %u tag %u", n, (m[0] << 8) | m[1], v, m[3]);
		return 0;
	}
	return 1;
}

static int got_summary(ipn_member *r, uint64_t key, uint64_t value, uint32_t count, int ms)
{
	struct ipn_concast_summary s;
	ssize_t n = lt_recv(r, &s, sizeof(s), ms);

	if (n != sizeof(s) || be64toh(s.key) != key || be64toh(s.value) != value ||
	    be32toh(s.count) != count) {
		diag("  got %zd bytes: key %llu value %llu count %u", n,
		     (unsigned long long)be64toh(s.key), (unsigned long long)be64toh(s.value),
		     be32toh(s.count));
		return 0;
	}
	return 1;
}

/* feed values for key 7 from one sender; the merged value the receiver saw */
static int64_t merge(const char *name, int fn, const uint32_t *vals, int n)
{
	ipn_member *r, *s;
	uint8_t m[64];
	int64_t v = -1;

	cc_net(name, fn, 1, IPN_CONCAST_OUT_MESSAGE, n, 0, -1);
	r = lt_join(name, IPN_JOIN_RDONLY);
	s = lt_join(name, IPN_JOIN_WRONLY);
	for (int i = 0; i < n; i++)
		send_msg(s, 7, vals[i], (uint8_t)(i + 1));
	if (lt_recv(r, m, sizeof(m), 2000) == 16 && m[3] == 1 && m[1] == 7)
		v = (uint32_t)m[4] << 24 | m[5] << 16 | m[6] << 8 | m[7];
	if (!lt_quiet(r) || lt_members(name) != 2) /* exactly one output, from the first message */
		v = -2;
	ipn_leave(s);
	ipn_leave(r);
	return v;
}

static void merge_functions(void)
{
	uint32_t v[] = { 5, 3, 9, 4 }, big[] = { 0xffffffffu, 2 };

	ok(merge("count", IPN_MERGE_COUNT, v, 4) == 4, "count of 4 messages: 4, in the first message");
	ok(merge("sum", IPN_MERGE_SUM, v, 4) == 21, "sum: 21");
	ok(merge("min", IPN_MERGE_MIN, v, 4) == 3, "min: 3");
	ok(merge("max", IPN_MERGE_MAX, v, 4) == 9, "max: 9");
	ok(merge("first", IPN_MERGE_FIRST, v, 4) == 5, "first: 5");
	ok(merge("last", IPN_MERGE_LAST, v, 4) == 4, "last: 4, written into the first message");
	ok(merge("wrap", IPN_MERGE_SUM, big, 2) == 1, "written back at the field's width: 0xffffffff + 2 = 1");
}

static void dedup(void)
{
	ipn_member *r, *s;

	cc_net("dedup", IPN_MERGE_DEDUP, 0, IPN_CONCAST_OUT_MESSAGE, 3, 0, -1);
	r = lt_join("dedup", IPN_JOIN_RDONLY);
	s = lt_join("dedup", IPN_JOIN_WRONLY);
	send_msg(s, 1, 0, 1);
	send_msg(s, 1, 0, 2);
	send_msg(s, 2, 0, 3);
	ok(got_msg(r, 1, 0, 1) && got_msg(r, 2, 0, 3) && lt_quiet(r),
	   "dedup: the first message of each key passes at once, the repeat does not");
	send_msg(s, 1, 0, 4);
	{
		struct ipn_net_info i;

		ok(lt_quiet(r) && !ipn_net_get(ctx, "dedup", &i) && i.flows == 1,
		   "the third of key 1 completes its flow silently: 1 flow open");
	}
	send_msg(s, 1, 0, 5);
	ok(got_msg(r, 1, 0, 5), "then key 1 passes again");
	ipn_leave(s);
	ipn_leave(r);
}

static void summary_and_timeout(void)
{
	ipn_member *r, *s;
	uint64_t t0;

	cc_net("tmo", IPN_MERGE_SUM, 1, IPN_CONCAST_OUT_SUMMARY, 0, 1000, -1);
	r = lt_join("tmo", IPN_JOIN_RDONLY);
	s = lt_join("tmo", IPN_JOIN_WRONLY);
	t0 = now_ms();
	send_msg(s, 1, 10, 0);
	send_msg(s, 2, 1, 0);
	send_msg(s, 1, 5, 0);
	ok(lt_quiet(r), "timeout 1 s: nothing at once");
	ok(got_summary(r, 1, 15, 2, 5000) && now_ms() - t0 >= 990,
	   "then the summary of key 1: value 15, count 2 (after %llu ms)",
	   (unsigned long long)(now_ms() - t0));
	ok(got_summary(r, 2, 1, 1, 3000), "then key 2's, in the order the flows began");
	ipn_leave(s);
	ipn_leave(r);
}

static void flows(void)
{
	struct ipn_flow f, list[4];
	ipn_member *r, *s;

	cc_net("flows", IPN_MERGE_SUM, 1, IPN_CONCAST_OUT_MESSAGE, 0, 0, -1);
	r = lt_join("flows", IPN_JOIN_RDONLY);
	s = lt_join("flows", IPN_JOIN_WRONLY);
	send_msg(s, 3, 10, 1);
	send_msg(s, 4, 1, 1);
	msleep(50);
	ok(!ipn_flow_get(ctx, "flows", 3, &f) && f.key == 3 && f.value == 10 && f.count == 1 &&
	   f.flags == IPN_FLOW_OPEN && f.age_ms >= 40 && f.age_ms < 5000,
	   "flow 3: value 10, count 1, open, %llu ms old", (unsigned long long)f.age_ms);
	ok(lt_err(ipn_flow_get(ctx, "flows", 5, &f), -ENOENT, "no open flow with this key"),
	   "flow 5: ENOENT");
	ok(ipn_flow_list(ctx, "flows", list, 4) == 2 && list[0].key == 3 && list[1].key == 4,
	   "the list: 3, then 4 (oldest first)");
	ok(ipn_flow_list(ctx, "flows", list, 1) == 2 && list[0].key == 3, "with room for 1: says 2 exist");
	f = (struct ipn_flow){ .key = 3, .value = 100, .count = 1, .expect = 2, .flags = IPN_FLOW_OPEN };
	ok(!ipn_flow_set(ctx, "flows", &f) && lt_quiet(r), "flow 3 set: 100, 1 of 2 expected");
	send_msg(s, 3, 5, 2);
	ok(got_msg(r, 3, 105, 1), "the next message completes it: 105, in the first message (tag 1)");
	f = (struct ipn_flow){ .key = 4 };
	ok(!ipn_flow_set(ctx, "flows", &f) && ipn_flow_list(ctx, "flows", list, 4) == 0 && lt_quiet(r),
	   "closing flow 4 drops it without output");
	ok(lt_err(ipn_flow_set(ctx, "flows", &f), -ENOENT, "no open flow"), "closing it again: ENOENT");
	f = (struct ipn_flow){ .key = 9, .count = 3, .expect = 3, .flags = IPN_FLOW_OPEN };
	ok(!ipn_flow_set(ctx, "flows", &f) && ipn_flow_list(ctx, "flows", list, 4) == 0 && lt_quiet(r),
	   "a flow set done completes at once; without a message, nothing is sent");
	f.flags = 0x10;
	ok(lt_err(ipn_flow_set(ctx, "flows", &f), -EINVAL, "unknown flow flags"), "unknown flags: EINVAL");
	ok(lt_err(ipn_flow_list(ctx, "learnt", list, 4), -ENOENT, "no such network"), "unknown network: ENOENT");
	ipn_leave(s);
	ipn_leave(r);
}

static void fields_and_checks(void)
{
	struct ipn_net_config c;
	ipn_member *r, *s;
	uint8_t m[16] = { 0 };

	cc_net("short", IPN_MERGE_SUM, 1, IPN_CONCAST_OUT_MESSAGE, 2, 0, -1);
	r = lt_join("short", IPN_JOIN_RDONLY);
	s = lt_join("short", IPN_JOIN_WRONLY);
	ipn_send(s, m, 1);
	ipn_send(s, m, 7);
	ok(lt_drops("short", IPN_DROP_CONCAST) == 2, "1 and 7 bytes: too short for the fields, counted");
	ipn_send(s, m, 8);
	ipn_send(s, m, 8);
	ok(lt_recv(r, m, sizeof(m), 2000) == 8, "8 bytes hold them: merged and sent");
	ipn_leave(s);
	ipn_leave(r);

	lt_cfg(&c, "le", IPN_POLICY_CONCAST);
	c.concast = (struct ipn_concast_spec){ .key_type = IPN_FIELD_U16 | IPN_FIELD_LE,
		.merge_fn = IPN_MERGE_SUM, .value_type = IPN_FIELD_U32 | IPN_FIELD_LE, .value_offset = 2,
		.output = IPN_CONCAST_OUT_SUMMARY, .done_count = 2, .receiver_port = -1 };
	ipn_net_create(ctx, &c);
	r = lt_join("le", IPN_JOIN_RDONLY);
	s = lt_join("le", IPN_JOIN_WRONLY);
	ipn_send(s, (uint8_t[]){ 0x34, 0x12, 1, 0, 0, 0 }, 6);
	ipn_send(s, (uint8_t[]){ 0x34, 0x12, 2, 0, 0, 0 }, 6);
	ok(got_summary(r, 0x1234, 3, 2, 2000), "little-endian key and value fields");
	ipn_leave(s);
	ipn_leave(r);

	struct { int fn, vt, vo, out, recv; const char *why; } bad[] = {
		{ IPN_MERGE_SUM, 0, 0, IPN_CONCAST_OUT_MESSAGE, -1, "needs a value field" },
		{ IPN_MERGE_SUM, IPN_FIELD_U32, 4, 3, -1, "output must be message or summary" },
		{ 8, IPN_FIELD_U32, 4, IPN_CONCAST_OUT_MESSAGE, -1, "unknown concast merge function" },
		{ IPN_MERGE_SUM, IPN_FIELD_U32, 1511, IPN_CONCAST_OUT_MESSAGE, -1, "beyond the MTU" },
		{ IPN_MERGE_DEDUP, IPN_FIELD_U8, 4, IPN_CONCAST_OUT_MESSAGE, -1, "dedup takes no value field" },
		{ IPN_MERGE_COUNT, 0, 0, IPN_CONCAST_OUT_SUMMARY, -2, "receiver port outside" },
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		lt_cfg(&c, "bad", IPN_POLICY_CONCAST);
		c.concast = (struct ipn_concast_spec){ .key_type = IPN_FIELD_U16, .merge_fn = bad[i].fn,
			.value_type = bad[i].vt, .value_offset = bad[i].vo, .output = bad[i].out,
			.done_count = 2, .receiver_port = bad[i].recv };
		ok(lt_err(ipn_net_create(ctx, &c), -EINVAL, bad[i].why), "spec refused: %s", bad[i].why);
	}
	lt_cfg(&c, "keytype", IPN_POLICY_CONCAST);
	c.concast = (struct ipn_concast_spec){ .key_type = 5, .merge_fn = IPN_MERGE_COUNT,
		.output = IPN_CONCAST_OUT_MESSAGE, .done_count = 2, .receiver_port = 3 };
	ok(lt_err(ipn_net_create(ctx, &c), -EINVAL, "key type"), "key type 5: EINVAL");
	c.concast.key_type = IPN_FIELD_U16;
	ok(ipn_net_create(ctx, &c) == 0, "receiver port 3 is fine");
	ipn_net_destroy(ctx, "keytype");
}

/* engine_concast.sh: several senders, one receiver port, flows while open */
static void e2e(void)
{
	ipn_member *recv1, *s1, *s2;

	cc_net("sum3", IPN_MERGE_SUM, 1, IPN_CONCAST_OUT_MESSAGE, 3, 0, 1);
	recv1 = lt_join("sum3", IPN_JOIN_RDONLY);
	s1 = lt_join("sum3", 0);
	s2 = lt_join("sum3", IPN_JOIN_WRONLY);
	ok(ipn_member_port(recv1) == 1 && ipn_member_port(s1) == 2, "receiver at port 1, senders after");
	send_msg(s1, 7, 10, 1);
	send_msg(s2, 9, 1000, 1);
	send_msg(s1, 7, 20, 2);
	send_msg(s2, 9, 2000, 2);
	send_msg(s2, 7, 30, 3);
	send_msg(s1, 9, 3000, 3);
	ok(got_msg(recv1, 7, 60, 1) && got_msg(recv1, 9, 6000, 1), "key 7 merged to 60, key 9 to 6000");
	ok(lt_quiet(s1) && lt_tx("sum3") == 2, "senders get nothing (even one that may read): 2 frames delivered");
	send_msg(s1, 4, 5, 1);
	send_msg(s2, 4, 6, 2);
	{
		struct ipn_flow f;
		int k;

		for (k = 0; k < 20 && (ipn_flow_get(ctx, "sum3", 4, &f) || f.count != 2); k++)
			msleep(50);
		ok(f.key == 4 && f.value == 11 && f.count == 2, "flow 4 read while open: value 11, count 2");
		f = (struct ipn_flow){ .key = 4, .value = 100, .count = 2, .expect = 3, .flags = IPN_FLOW_OPEN };
		ipn_flow_set(ctx, "sum3", &f);
	}
	send_msg(s1, 4, 1, 3);
	ok(got_msg(recv1, 4, 101, 1), "set to 100, completed by the next message: 101");
	ipn_send(s2, (uint8_t[]){ 0, 7 }, 2);
	ok(lt_drops("sum3", IPN_DROP_CONCAST) == 1, "a 2-byte message: counted as drop_concast");
	ipn_leave(s1);
	ipn_leave(s2);
	ipn_leave(recv1);

	{
		struct ipn_net_config c;
		ipn_member *a, *b, *w;

		lt_cfg(&c, "max", IPN_POLICY_CONCAST);
		c.concast = (struct ipn_concast_spec){ .key_type = IPN_FIELD_U32, .merge_fn = IPN_MERGE_MAX,
			.value_type = IPN_FIELD_U16, .value_offset = 4, .output = IPN_CONCAST_OUT_SUMMARY,
			.done_timeout_ms = 300, .receiver_port = -1 };
		ipn_net_create(ctx, &c);
		a = lt_join("max", IPN_JOIN_RDONLY);
		b = lt_join("max", IPN_JOIN_RDONLY);
		w = lt_join("max", IPN_JOIN_WRONLY);
		ipn_send(w, (uint8_t[]){ 0, 0, 0, 0x2a, 0, 5, 0, 0 }, 8);
		ipn_send(w, (uint8_t[]){ 0, 0, 0, 0x2a, 0, 9, 0, 0 }, 8);
		ipn_send(w, (uint8_t[]){ 0, 0, 0, 0x2a, 0, 7, 0, 0 }, 8);
		ok(got_summary(a, 42, 9, 3, 3000) && got_summary(b, 42, 9, 3, 3000),
		   "summary after the timeout to every reader: key 42, max 9, count 3");
		ipn_leave(w);
		ipn_leave(a);
		ipn_leave(b);
	}
}

int main(void)
{
	tinit("lib_concast");
	ok(lt_open() == IPN_BACKEND_KERNEL, "kernel backend");
	merge_functions();
	dedup();
	summary_and_timeout();
	flows();
	fields_and_checks();
	e2e();
	ok(ipn_net_list(ctx, NULL, 0) == 0, "every network ended with its last member");
	ipn_close(ctx);
	return tdone();
}
