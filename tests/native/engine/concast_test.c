/* SPDX-License-Identifier: GPL-2.0-only */
#include <endian.h>
#include <string.h>
#include "../check.h"
#include "concast.h"
#include "netcfg.h"

/* What the receiver got. */
static struct {
	int n;
	uint8_t msg[8][64];
	uint32_t len[8];
} got;

static void emit(void *arg, const uint8_t *msg, uint32_t len)
{
	(void)arg;
	if (got.n < 8) {
		memcpy(got.msg[got.n], msg, len);
		got.len[got.n] = len;
	}
	got.n++;
}

/* message: u16 key (BE) at 0, u32 value (BE) at 4, a tag byte at 8 */
static uint32_t msg(uint8_t *m, uint16_t key, uint32_t value, uint8_t tag)
{
	memset(m, 0, 16);
	cc_field_write(m, IPN_FIELD_U16, key);
	cc_field_write(m + 4, IPN_FIELD_U32, value);
	m[8] = tag;
	return 16;
}

static struct ipn_concast_spec spec(uint16_t fn, uint16_t out, uint32_t count, uint32_t tmo)
{
	struct ipn_concast_spec s = {
		.key_type = IPN_FIELD_U16, .key_offset = 0,
		.merge_fn = fn,
		.value_type = (fn == IPN_MERGE_DEDUP) ? 0 : IPN_FIELD_U32, .value_offset = 4,
		.output = out, .done_count = count, .done_timeout_ms = tmo, .receiver_port = -1,
	};
	return s;
}

/* Feed values for key 7 and return the merged value the receiver saw. */
static int64_t merge(uint16_t fn, const uint32_t *vals, int n)
{
	struct ipn_concast_spec s = spec(fn, IPN_CONCAST_OUT_MESSAGE, (uint32_t)n, 0);
	const char *why = NULL;
	CHECK_EQ(netcfg_check_concast(&s, 1500, &why), 0);
	struct concast cc;
	cc_init(&cc, &s);
	memset(&got, 0, sizeof(got));
	uint8_t m[16];
	for (int i = 0; i < n; i++)
		CHECK_EQ(cc_ingress(&cc, m, msg(m, 7, vals[i], (uint8_t)(i + 1)), 100 + i, emit, NULL),
			 FWD_OK);
	CHECK_EQ(got.n, 1);
	CHECK_EQ(cc_flow_count(&cc), 0);
	cc_fini(&cc);
	if (got.n != 1)
		return -1;
	CHECK_EQ(got.msg[0][8], 1); /* the first message carries the result */
	CHECK_EQ(cc_field_read(got.msg[0], IPN_FIELD_U16), 7);
	return (int64_t)cc_field_read(got.msg[0] + 4, IPN_FIELD_U32);
}

static void merge_functions(void)
{
	uint32_t v[] = {5, 3, 9, 4};
	CHECK_EQ(merge(IPN_MERGE_COUNT, v, 4), 4);
	CHECK_EQ(merge(IPN_MERGE_SUM, v, 4), 21);
	CHECK_EQ(merge(IPN_MERGE_MIN, v, 4), 3);
	CHECK_EQ(merge(IPN_MERGE_MAX, v, 4), 9);
	CHECK_EQ(merge(IPN_MERGE_FIRST, v, 4), 5);
	CHECK_EQ(merge(IPN_MERGE_LAST, v, 4), 4);
	uint32_t big[] = {0xffffffffu, 2};
	CHECK_EQ(merge(IPN_MERGE_SUM, big, 2), 1); /* written back at the field's width */
}

static void dedup(void)
{
	struct ipn_concast_spec s = spec(IPN_MERGE_DEDUP, IPN_CONCAST_OUT_MESSAGE, 3, 0);
	struct concast cc;
	cc_init(&cc, &s);
	memset(&got, 0, sizeof(got));
	uint8_t m[16];
	cc_ingress(&cc, m, msg(m, 1, 0, 1), 0, emit, NULL);
	cc_ingress(&cc, m, msg(m, 1, 0, 2), 0, emit, NULL);
	cc_ingress(&cc, m, msg(m, 2, 0, 3), 0, emit, NULL);
	CHECK_EQ(got.n, 2);
	CHECK_EQ(got.msg[0][8], 1);
	CHECK_EQ(got.msg[1][8], 3);
	cc_ingress(&cc, m, msg(m, 1, 0, 4), 0, emit, NULL); /* third: flow 1 done, silently */
	CHECK_EQ(got.n, 2);
	CHECK_EQ(cc_flow_count(&cc), 1);
	cc_ingress(&cc, m, msg(m, 1, 0, 5), 0, emit, NULL); /* a new flow for key 1 */
	CHECK_EQ(got.n, 3);
	CHECK_EQ(got.msg[2][8], 5);
	cc_fini(&cc);
}

static void summary_and_timeout(void)
{
	struct ipn_concast_spec s = spec(IPN_MERGE_SUM, IPN_CONCAST_OUT_SUMMARY, 0, 100);
	struct concast cc;
	cc_init(&cc, &s);
	memset(&got, 0, sizeof(got));
	uint8_t m[16];
	cc_ingress(&cc, m, msg(m, 1, 10, 0), 1000, emit, NULL);
	cc_ingress(&cc, m, msg(m, 2, 1, 0), 1050, emit, NULL);
	cc_ingress(&cc, m, msg(m, 1, 5, 0), 1060, emit, NULL);
	CHECK_EQ(cc_next_deadline(&cc), 1100);
	cc_expire(&cc, 1099, emit, NULL);
	CHECK_EQ(got.n, 0);
	cc_expire(&cc, 1100, emit, NULL);
	CHECK_EQ(got.n, 1);
	CHECK_EQ(got.len[0], sizeof(struct ipn_concast_summary));
	struct ipn_concast_summary sum;
	memcpy(&sum, got.msg[0], sizeof(sum));
	CHECK_EQ(be64toh(sum.key), 1);
	CHECK_EQ(be64toh(sum.value), 15);
	CHECK_EQ(be32toh(sum.count), 2);
	CHECK_EQ(cc_next_deadline(&cc), 1150);
	cc_expire(&cc, 5000, emit, NULL);
	CHECK_EQ(got.n, 2);
	CHECK_EQ(cc_next_deadline(&cc), UINT64_MAX);
	cc_fini(&cc);
}

static void flows(void)
{
	struct ipn_concast_spec s = spec(IPN_MERGE_SUM, IPN_CONCAST_OUT_MESSAGE, 0, 0);
	struct concast cc;
	cc_init(&cc, &s);
	memset(&got, 0, sizeof(got));
	uint8_t m[16];
	cc_ingress(&cc, m, msg(m, 3, 10, 1), 100, emit, NULL);
	cc_ingress(&cc, m, msg(m, 4, 1, 1), 110, emit, NULL);
	struct ipn_flow f;
	CHECK_EQ(cc_flow_get(&cc, 3, 150, &f), 0);
	CHECK_EQ(f.key, 3);
	CHECK_EQ(f.value, 10);
	CHECK_EQ(f.count, 1);
	CHECK_EQ(f.age_ms, 50);
	CHECK_EQ(f.flags, IPN_FLOW_OPEN);
	CHECK_EQ(cc_flow_get(&cc, 5, 150, &f), -2);
	struct ipn_flow list[4];
	CHECK_EQ(cc_flow_list(&cc, 0, 150, list, 4), 2);
	CHECK_EQ(list[0].key, 3);
	CHECK_EQ(list[1].key, 4);
	CHECK_EQ(cc_flow_list(&cc, 1, 150, list, 4), 1);
	CHECK_EQ(list[0].key, 4);

	/* no done count: the flow's own expectation completes it */
	struct ipn_flow set = {.key = 3, .value = 100, .count = 1, .expect = 2, .flags = IPN_FLOW_OPEN};
	CHECK_EQ(cc_flow_set(&cc, &set, 160, emit, NULL), 0);
	CHECK_EQ(got.n, 0);
	cc_ingress(&cc, m, msg(m, 3, 5, 2), 170, emit, NULL);
	CHECK_EQ(got.n, 1);
	CHECK_EQ(cc_field_read(got.msg[0] + 4, IPN_FIELD_U32), 105);
	CHECK_EQ(got.msg[0][8], 1); /* template: the first message, from before the set */

	/* closing a flow drops it without output */
	set = (struct ipn_flow){.key = 4};
	CHECK_EQ(cc_flow_set(&cc, &set, 180, emit, NULL), 0);
	CHECK_EQ(cc_flow_count(&cc), 0);
	CHECK_EQ(cc_flow_set(&cc, &set, 180, emit, NULL), -2);
	/* setting a done state completes at once; no template: nothing to emit */
	set = (struct ipn_flow){.key = 9, .count = 3, .expect = 3, .flags = IPN_FLOW_OPEN};
	CHECK_EQ(cc_flow_set(&cc, &set, 190, emit, NULL), 0);
	CHECK_EQ(cc_flow_count(&cc), 0);
	CHECK_EQ(got.n, 1);

	/* the flow limit */
	cc.max_flows = 2;
	cc_ingress(&cc, m, msg(m, 1, 1, 1), 200, emit, NULL);
	cc_ingress(&cc, m, msg(m, 2, 1, 1), 200, emit, NULL);
	CHECK_EQ(cc_ingress(&cc, m, msg(m, 3, 1, 1), 200, emit, NULL), IPN_DROP_FLOWS);
	CHECK_EQ(cc_ingress(&cc, m, msg(m, 2, 1, 1), 200, emit, NULL), FWD_OK);
	set = (struct ipn_flow){.key = 5, .flags = IPN_FLOW_OPEN};
	CHECK_EQ(cc_flow_set(&cc, &set, 200, emit, NULL), -28);
	cc_fini(&cc);
}

static void fields(void)
{
	/* short messages cannot be merged */
	struct ipn_concast_spec s = spec(IPN_MERGE_SUM, IPN_CONCAST_OUT_MESSAGE, 2, 0);
	struct concast cc;
	cc_init(&cc, &s);
	uint8_t m[16] = {0};
	CHECK_EQ(cc_ingress(&cc, m, 1, 0, emit, NULL), IPN_DROP_CONCAST);
	CHECK_EQ(cc_ingress(&cc, m, 7, 0, emit, NULL), IPN_DROP_CONCAST);
	CHECK_EQ(cc_ingress(&cc, m, 8, 0, emit, NULL), FWD_OK);
	cc_fini(&cc);

	/* little-endian fields and the byte helpers */
	uint8_t b[8];
	cc_field_write(b, IPN_FIELD_U32 | IPN_FIELD_LE, 0x01020304);
	CHECK(b[0] == 4 && b[3] == 1);
	CHECK_EQ(cc_field_read(b, IPN_FIELD_U32 | IPN_FIELD_LE), 0x01020304);
	CHECK_EQ(cc_field_read(b, IPN_FIELD_U16), 0x0403);
	cc_field_write(b, IPN_FIELD_U64, 0x0102030405060708ULL);
	CHECK(b[0] == 1 && b[7] == 8);
	CHECK_EQ(cc_field_read(b, IPN_FIELD_U8), 1);

	/* spec validation */
	const char *why = NULL;
	struct ipn_concast_spec bad = spec(IPN_MERGE_SUM, IPN_CONCAST_OUT_MESSAGE, 2, 0);
	bad.value_type = 0;
	CHECK_EQ(netcfg_check_concast(&bad, 1500, &why), -22);
	bad = spec(IPN_MERGE_SUM, 3, 2, 0);
	CHECK_EQ(netcfg_check_concast(&bad, 1500, &why), -22);
	bad = spec(8, IPN_CONCAST_OUT_MESSAGE, 2, 0);
	CHECK_EQ(netcfg_check_concast(&bad, 1500, &why), -22);
	bad = spec(IPN_MERGE_SUM, IPN_CONCAST_OUT_MESSAGE, 2, 0);
	bad.value_offset = 1498;
	CHECK_EQ(netcfg_check_concast(&bad, 1500, &why), -22);
	bad = spec(IPN_MERGE_SUM, IPN_CONCAST_OUT_MESSAGE, 2, 0);
	bad.key_type = 5;
	CHECK_EQ(netcfg_check_concast(&bad, 1500, &why), -22);
	bad.key_type = IPN_FIELD_U16 | 0x40;
	CHECK_EQ(netcfg_check_concast(&bad, 1500, &why), -22);
	bad = spec(IPN_MERGE_DEDUP, IPN_CONCAST_OUT_MESSAGE, 2, 0);
	bad.value_type = IPN_FIELD_U8;
	CHECK_EQ(netcfg_check_concast(&bad, 1500, &why), -22);
	bad = spec(IPN_MERGE_COUNT, IPN_CONCAST_OUT_SUMMARY, 2, 0);
	bad.receiver_port = -2;
	CHECK_EQ(netcfg_check_concast(&bad, 1500, &why), -22);
	bad.receiver_port = 3;
	CHECK_EQ(netcfg_check_concast(&bad, 1500, &why), 0);
}

int main(void)
{
	merge_functions();
	dedup();
	summary_and_timeout();
	flows();
	fields();
	return check_done("concast");
}
