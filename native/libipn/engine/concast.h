/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Concast: many-to-one. Messages with the same key field form a flow; the
 * merge function folds their value field; when the flow is done (N messages,
 * the flow's own `expect`, or a timeout after its first message) one output
 * goes to the receiver: the first message with the merged value written
 * back, or a struct ipn_concast_summary. `dedup` passes the first message of
 * a flow at once and swallows the rest until the flow is done.
 * Pure: the caller passes the time and an emit callback.
 */
#ifndef IPN_CONCAST_H
#define IPN_CONCAST_H

#include <stdint.h>
#include <linux/ipn.h>
#include "hmap.h"
#include "policy.h"

#define CC_MAX_FLOWS 65536

typedef void (*cc_emit_fn)(void *arg, const uint8_t *msg, uint32_t len);

struct cc_flow;

struct concast {
	struct ipn_concast_spec spec;
	struct hmap flows;          /* key -> struct cc_flow * */
	struct cc_flow *oldest, *newest; /* creation order, which is deadline order */
	uint32_t max_flows;
};

/* Check a spec against the network's MTU; -EINVAL with a reason in *why. */
void cc_init(struct concast *cc, const struct ipn_concast_spec *spec);
void cc_fini(struct concast *cc);
/* Merge one message; emits when its flow completes. FWD_OK or a drop reason. */
int cc_ingress(struct concast *cc, const uint8_t *msg, uint32_t len, uint64_t now_ms,
	       cc_emit_fn emit, void *arg);
/* Complete flows whose timeout passed. */
void cc_expire(struct concast *cc, uint64_t now_ms, cc_emit_fn emit, void *arg);
/* When cc_expire next has work; UINT64_MAX when never. */
uint64_t cc_next_deadline(const struct concast *cc);

uint32_t cc_flow_count(const struct concast *cc);
int cc_flow_get(const struct concast *cc, uint64_t key, uint64_t now_ms, struct ipn_flow *out);
/* Fill up to max flows from index `from` (creation order); returns how many. */
uint32_t cc_flow_list(const struct concast *cc, uint32_t from, uint64_t now_ms,
		      struct ipn_flow *out, uint32_t max);
int cc_flow_set(struct concast *cc, const struct ipn_flow *f, uint64_t now_ms, cc_emit_fn emit,
		void *arg);


uint64_t cc_field_read(const uint8_t *p, uint16_t type);
void cc_field_write(uint8_t *p, uint16_t type, uint64_t v);

#endif
