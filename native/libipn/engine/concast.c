/* SPDX-License-Identifier: GPL-2.0-only */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "concast.h"
#include "netcfg.h"

struct cc_flow {
	uint64_t key, value;
	uint32_t count, expect;
	uint64_t first_ms;
	struct cc_flow *prev, *next;
	uint32_t tlen;  /* template message length, 0: none */
	uint8_t *tmpl;
};

uint64_t cc_field_read(const uint8_t *p, uint16_t type)
{
	uint32_t n = netcfg_field_size(type);
	uint64_t v = 0;
	if (type & IPN_FIELD_LE)
		for (uint32_t i = n; i-- > 0;)
			v = v << 8 | p[i];
	else
		for (uint32_t i = 0; i < n; i++)
			v = v << 8 | p[i];
	return v;
}

void cc_field_write(uint8_t *p, uint16_t type, uint64_t v)
{
	uint32_t n = netcfg_field_size(type);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t at = (type & IPN_FIELD_LE) ? i : n - 1 - i;
		p[at] = (uint8_t)(v >> (8 * i));
	}
}


void cc_init(struct concast *cc, const struct ipn_concast_spec *spec)
{
	memset(cc, 0, sizeof(*cc));
	cc->spec = *spec;
	cc->max_flows = CC_MAX_FLOWS;
}

static void unlink_flow(struct concast *cc, struct cc_flow *f)
{
	if (f->prev)
		f->prev->next = f->next;
	else
		cc->oldest = f->next;
	if (f->next)
		f->next->prev = f->prev;
	else
		cc->newest = f->prev;
	hmap_del(&cc->flows, f->key);
	free(f->tmpl);
	free(f);
}

void cc_fini(struct concast *cc)
{
	while (cc->oldest)
		unlink_flow(cc, cc->oldest);
	hmap_free(&cc->flows);
}

static struct cc_flow *find(const struct concast *cc, uint64_t key)
{
	uint64_t *v = hmap_get(&cc->flows, key);
	return v ? (struct cc_flow *)(uintptr_t)*v : NULL;
}

static struct cc_flow *create(struct concast *cc, uint64_t key, uint64_t now)
{
	if (cc->flows.n >= cc->max_flows)
		return NULL;
	struct cc_flow *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	if (hmap_put(&cc->flows, key, (uintptr_t)f) < 0) {
		free(f);
		return NULL;
	}
	f->key = key;
	f->first_ms = now;
	f->prev = cc->newest;
	if (cc->newest)
		cc->newest->next = f;
	else
		cc->oldest = f;
	cc->newest = f;
	return f;
}

static int keep_template(struct cc_flow *f, const uint8_t *msg, uint32_t len)
{
	uint8_t *t = realloc(f->tmpl, len);
	if (!t)
		return -ENOMEM;
	memcpy(t, msg, len);
	f->tmpl = t;
	f->tlen = len;
	return 0;
}

/* Emit the flow's output (if it has one to give) and forget the flow. */
static void complete(struct concast *cc, struct cc_flow *f, cc_emit_fn emit, void *arg)
{
	const struct ipn_concast_spec *s = &cc->spec;
	if (s->merge_fn == IPN_MERGE_DEDUP) {
		/* its output left with the first message */
	} else if (s->output == IPN_CONCAST_OUT_SUMMARY) {
		struct ipn_concast_summary sum = {
			.key = htobe64(f->key),
			.value = htobe64(f->value),
			.count = htobe32(f->count),
		};
		emit(arg, (const uint8_t *)&sum, sizeof(sum));
	} else if (f->tlen) {
		if (s->value_type)
			cc_field_write(f->tmpl + s->value_offset, s->value_type, f->value);
		emit(arg, f->tmpl, f->tlen);
	}
	unlink_flow(cc, f);
}

static bool done(const struct concast *cc, const struct cc_flow *f)
{
	uint32_t want = f->expect ? f->expect : cc->spec.done_count;
	return want && f->count >= want;
}

int cc_ingress(struct concast *cc, const uint8_t *msg, uint32_t len, uint64_t now_ms,
	       cc_emit_fn emit, void *arg)
{
	const struct ipn_concast_spec *s = &cc->spec;
	if ((uint32_t)s->key_offset + netcfg_field_size(s->key_type) > len)
		return IPN_DROP_CONCAST;
	if (s->value_type && (uint32_t)s->value_offset + netcfg_field_size(s->value_type) > len)
		return IPN_DROP_CONCAST;
	uint64_t key = cc_field_read(msg + s->key_offset, s->key_type);
	uint64_t v = s->value_type ? cc_field_read(msg + s->value_offset, s->value_type) : 0;

	struct cc_flow *f = find(cc, key);
	bool fresh = !f;
	if (fresh && !(f = create(cc, key, now_ms)))
		return IPN_DROP_FLOWS;
	bool first = f->count == 0;
	f->count++;
	switch (s->merge_fn) {
	case IPN_MERGE_COUNT: f->value = f->count; break;
	case IPN_MERGE_SUM: f->value += v; break;
	case IPN_MERGE_MIN: f->value = (first || v < f->value) ? v : f->value; break;
	case IPN_MERGE_MAX: f->value = (first || v > f->value) ? v : f->value; break;
	case IPN_MERGE_FIRST: f->value = first ? v : f->value; break;
	case IPN_MERGE_LAST: f->value = v; break;
	case IPN_MERGE_DEDUP: break;
	}
	if (s->merge_fn == IPN_MERGE_DEDUP) {
		if (first)
			emit(arg, msg, len);
	} else if (s->output == IPN_CONCAST_OUT_MESSAGE) {
		/* `last` without a value field outputs the last message itself */
		bool replace = s->merge_fn == IPN_MERGE_LAST && !s->value_type;
		if ((!f->tlen || replace) && keep_template(f, msg, len) < 0) {
			if (fresh)
				unlink_flow(cc, f);
			else
				f->count--;
			return IPN_DROP_FLOWS;
		}
	}
	if (done(cc, f))
		complete(cc, f, emit, arg);
	return FWD_OK;
}

void cc_expire(struct concast *cc, uint64_t now_ms, cc_emit_fn emit, void *arg)
{
	uint32_t t = cc->spec.done_timeout_ms;
	if (!t)
		return;
	while (cc->oldest && now_ms - cc->oldest->first_ms >= t)
		complete(cc, cc->oldest, emit, arg);
}

uint64_t cc_next_deadline(const struct concast *cc)
{
	if (!cc->spec.done_timeout_ms || !cc->oldest)
		return UINT64_MAX;
	return cc->oldest->first_ms + cc->spec.done_timeout_ms;
}

uint32_t cc_flow_count(const struct concast *cc)
{
	return cc->flows.n;
}

static void fill(const struct cc_flow *f, uint64_t now, struct ipn_flow *out)
{
	memset(out, 0, sizeof(*out));
	out->key = f->key;
	out->value = f->value;
	out->count = f->count;
	out->expect = f->expect;
	out->age_ms = now - f->first_ms;
	out->flags = IPN_FLOW_OPEN;
}

int cc_flow_get(const struct concast *cc, uint64_t key, uint64_t now_ms, struct ipn_flow *out)
{
	const struct cc_flow *f = find(cc, key);
	if (!f)
		return -ENOENT;
	fill(f, now_ms, out);
	return 0;
}

uint32_t cc_flow_list(const struct concast *cc, uint32_t from, uint64_t now_ms,
		      struct ipn_flow *out, uint32_t max)
{
	uint32_t i = 0, n = 0;
	for (const struct cc_flow *f = cc->oldest; f && n < max; f = f->next, i++)
		if (i >= from)
			fill(f, now_ms, &out[n++]);
	return n;
}

int cc_flow_set(struct concast *cc, const struct ipn_flow *in, uint64_t now_ms, cc_emit_fn emit,
		void *arg)
{
	struct cc_flow *f = find(cc, in->key);
	if (!(in->flags & IPN_FLOW_OPEN)) {
		if (!f)
			return -ENOENT;
		unlink_flow(cc, f);
		return 0;
	}
	if (!f && !(f = create(cc, in->key, now_ms)))
		return cc->flows.n >= cc->max_flows ? -ENOSPC : -ENOMEM;
	f->value = in->value;
	f->count = in->count;
	f->expect = in->expect;
	if (done(cc, f))
		complete(cc, f, emit, arg);
	return 0;
}
