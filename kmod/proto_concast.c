// SPDX-License-Identifier: GPL-2.0
/*
 * ipn: the concast policy, many-to-one merging.
 *
 * Messages with the same key (a field of the message) form a flow. Each
 * message is merged into its flow's value by the merge function; the flow
 * is done after done_count messages (or the flow's own expect) or
 * done_timeout_ms after its first message (without either, only an expect
 * set on the flow completes it). Then the receivers (the port
 * receiver_port, or every member with the r right) get one output: the
 * flow's first message (the last one for `last` without a value field)
 * with the merged value written into its value field, or a struct
 * ipn_concast_summary. `dedup` passes the first message of a flow at once,
 * as it is, and drops the others until the flow is done. The flow state
 * can be read and set (IPN_CONCAST_SO_*).
 */
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/jiffies.h>
#include <linux/hash.h>
#include <asm/unaligned.h>
#include "ipn_core.h"

#define CC_HASH_BITS 8
#define CC_TIMEOUT_MAX 3600000 /* ms */

struct cc_flow {
	struct hlist_node h;
	struct list_head fifo;   /* creation order, which is deadline order */
	u64 key, value;
	u32 count, expect;
	unsigned long first;     /* jiffies of the first message */
	struct sk_buff *msg;     /* kept for IPN_CONCAST_OUT_MESSAGE */
};

struct cc_priv {
	struct ipn_net *net;
	struct hlist_head h[1 << CC_HASH_BITS];
	struct list_head fifo;
	u32 nflows;
	struct timer_list timer;
	bool dying;
};

static struct kmem_cache *cc_flow_cache;

static unsigned int cc_size(u16 type)
{
	switch (type & ~IPN_FIELD_LE) {
	case IPN_FIELD_U8:
		return 1;
	case IPN_FIELD_U16:
		return 2;
	case IPN_FIELD_U32:
		return 4;
	case IPN_FIELD_U64:
		return 8;
	}
	return 0;
}

static bool cc_type_ok(u16 type)
{
	return cc_size(type) && !(type & ~(IPN_FIELD_LE | 0x7));
}

static bool cc_read(const struct sk_buff *skb, u16 type, u16 off, u64 *v)
{
	unsigned int size = cc_size(type);
	bool le = type & IPN_FIELD_LE;
	const u8 *p;

	if (!size || off + size > skb->len)
		return false;
	p = skb->data + off;
	switch (size) {
	case 1:
		*v = *p;
		break;
	case 2:
		*v = le ? get_unaligned_le16(p) : get_unaligned_be16(p);
		break;
	case 4:
		*v = le ? get_unaligned_le32(p) : get_unaligned_be32(p);
		break;
	default:
		*v = le ? get_unaligned_le64(p) : get_unaligned_be64(p);
	}
	return true;
}

static void cc_write(u8 *p, u16 type, u64 v)
{
	bool le = type & IPN_FIELD_LE;

	switch (cc_size(type)) {
	case 1:
		*p = v;
		break;
	case 2:
		if (le)
			put_unaligned_le16(v, p);
		else
			put_unaligned_be16(v, p);
		break;
	case 4:
		if (le)
			put_unaligned_le32(v, p);
		else
			put_unaligned_be32(v, p);
		break;
	case 8:
		if (le)
			put_unaligned_le64(v, p);
		else
			put_unaligned_be64(v, p);
	}
}

int ipn_concast_check(const struct ipn_concast_spec *s, u32 mtu)
{
	if (!cc_type_ok(s->key_type) || s->key_offset + cc_size(s->key_type) > mtu)
		return -EINVAL;
	if (s->merge_fn < IPN_MERGE_COUNT || s->merge_fn > IPN_MERGE_DEDUP)
		return -EINVAL;
	if (s->value_type) {
		if (!cc_type_ok(s->value_type) ||
		    s->value_offset + cc_size(s->value_type) > mtu ||
		    s->merge_fn == IPN_MERGE_DEDUP)
			return -EINVAL;
	} else if (s->merge_fn == IPN_MERGE_SUM || s->merge_fn == IPN_MERGE_MIN ||
		   s->merge_fn == IPN_MERGE_MAX) {
		return -EINVAL;
	}
	if (s->output != IPN_CONCAST_OUT_MESSAGE && s->output != IPN_CONCAST_OUT_SUMMARY)
		return -EINVAL;
	if (s->output == IPN_CONCAST_OUT_SUMMARY && mtu < sizeof(struct ipn_concast_summary))
		return -EINVAL;
	if (s->done_timeout_ms > CC_TIMEOUT_MAX)
		return -EINVAL;
	if (s->receiver_port < -1 || s->receiver_port > IPN_PORTS_MAX)
		return -EINVAL;
	if (s->reserved[0] || s->reserved[1])
		return -EINVAL;
	return 0;
}

static struct cc_flow *cc_find(struct cc_priv *cc, u64 key)
{
	struct cc_flow *f;

	hlist_for_each_entry(f, &cc->h[hash_64(key, CC_HASH_BITS)], h)
		if (f->key == key)
			return f;
	return NULL;
}

/* Keep the timer on the oldest flow's deadline. net->lock held. */
static void cc_arm(struct ipn_net *net, struct cc_priv *cc)
{
	struct cc_flow *head;
	u32 ms = net->conf.concast.done_timeout_ms;

	if (!ms || cc->dying)
		return;
	head = list_first_entry_or_null(&cc->fifo, struct cc_flow, fifo);
	if (head)
		mod_timer(&cc->timer, head->first + msecs_to_jiffies(ms));
	else
		del_timer(&cc->timer);
}

static struct cc_flow *cc_new(struct ipn_net *net, struct cc_priv *cc, u64 key)
{
	struct cc_flow *f;

	if (cc->nflows >= IPN_FLOWS_MAX)
		return NULL;
	f = kmem_cache_zalloc(cc_flow_cache, GFP_ATOMIC);
	if (!f)
		return NULL;
	f->key = key;
	f->first = jiffies;
	hlist_add_head(&f->h, &cc->h[hash_64(key, CC_HASH_BITS)]);
	list_add_tail(&f->fifo, &cc->fifo);
	cc->nflows++;
	ipn_obj_inc(IPN_OBJ_FLOW);
	if (cc->nflows == 1)
		cc_arm(net, cc);
	return f;
}

static void cc_del(struct ipn_net *net, struct cc_priv *cc, struct cc_flow *f)
{
	bool head = list_first_entry(&cc->fifo, struct cc_flow, fifo) == f;

	hlist_del(&f->h);
	list_del(&f->fifo);
	kfree_skb(f->msg);
	kmem_cache_free(cc_flow_cache, f);
	cc->nflows--;
	ipn_obj_dec(IPN_OBJ_FLOW);
	if (head)
		cc_arm(net, cc);
}

/* Who gets merged output. net->lock held. */
static int cc_route(struct ipn_net *net, struct ipn_port *from, struct sk_buff *skb,
		    struct ipn_route *r)
{
	const struct ipn_concast_spec *s = &net->conf.concast;
	struct ipn_port *p;
	u64 v;

	if (skb && (!cc_read(skb, s->key_type, s->key_offset, &v) ||
		    (s->value_type && !cc_read(skb, s->value_type, s->value_offset, &v))))
		return IPN_DROP(IPN_DROP_CONCAST);
	if (s->receiver_port >= 0) { /* port 0 never exists: nobody */
		if (s->receiver_port && (u32)s->receiver_port <= net->conf.max_ports) {
			p = xa_load(&net->ports, s->receiver_port);
			if (p && !p->dead && (p->rights & IPN_RIGHT_READ)) {
				r->variant[0] = 0;
				r->dest[r->n++] = p;
			}
		}
		return 0;
	}
	list_for_each_entry(p, &net->port_list, node) {
		if (p->rights & IPN_RIGHT_READ) {
			r->variant[r->n] = 0;
			r->dest[r->n++] = p;
		}
	}
	return 0;
}

/* Fold value v into a flow that has merged `count` messages so far. */
static u64 cc_merge(u16 fn, u64 old, u64 v, u32 count)
{
	switch (fn) {
	case IPN_MERGE_SUM:
		return count ? old + v : v;
	case IPN_MERGE_MIN:
		return count ? min(old, v) : v;
	case IPN_MERGE_MAX:
		return count ? max(old, v) : v;
	case IPN_MERGE_FIRST:
		return count ? old : v; /* 0 without a value field */
	case IPN_MERGE_LAST:
		return v;
	}
	return count + 1; /* count, dedup */
}

/* The output of a done flow (NULL: nothing to send). net->lock held. */
static struct sk_buff *cc_output(struct ipn_net *net, struct cc_flow *f)
{
	const struct ipn_concast_spec *s = &net->conf.concast;
	struct ipn_concast_summary *sum;
	struct sk_buff *skb;

	if (s->output == IPN_CONCAST_OUT_SUMMARY) {
		skb = alloc_skb(sizeof(*sum), GFP_ATOMIC);
		if (!skb)
			return NULL;
		sum = skb_put_zero(skb, sizeof(*sum));
		sum->key = cpu_to_be64(f->key);
		sum->value = cpu_to_be64(f->value);
		sum->count = cpu_to_be32(f->count);
		return skb;
	}
	if (!f->msg)
		return NULL;
	skb = skb_copy(f->msg, GFP_ATOMIC);
	if (skb && s->value_type && s->merge_fn != IPN_MERGE_DEDUP)
		cc_write(skb->data + s->value_offset, s->value_type, f->value);
	return skb;
}

static bool cc_done(struct ipn_net *net, struct cc_flow *f)
{
	u32 expect = f->expect ? f->expect : net->conf.concast.done_count;

	return expect && f->count >= expect;
}

/* Send a flow's output to the receivers (outside a send). net->lock held. */
static void cc_emit(struct ipn_net *net, struct cc_flow *f, struct sk_buff_head *deferred)
{
	struct ipn_route r = { .dest = net->dest, .variant = net->variant };
	struct sk_buff *out;

	if (net->conf.concast.merge_fn == IPN_MERGE_DEDUP)
		return;
	out = cc_output(net, f);
	if (!out)
		return;
	cc_route(net, NULL, NULL, &r);
	if (r.n)
		ipn_deliver_locked(net, &r, out, deferred, NULL);
	else
		net->stats.drops[IPN_DROP_NO_ROUTE]++;
	consume_skb(out);
}

static struct sk_buff *cc_commit(struct ipn_net *net, struct ipn_port *from,
				 struct sk_buff *skb, struct ipn_route *r)
{
	const struct ipn_concast_spec *s = &net->conf.concast;
	struct cc_priv *cc = net->priv;
	struct sk_buff *out = NULL;
	struct cc_flow *f;
	u64 key, v = 0;

	cc_read(skb, s->key_type, s->key_offset, &key);
	if (s->value_type)
		cc_read(skb, s->value_type, s->value_offset, &v);
	f = cc_find(cc, key);
	if (!f) {
		int reason = cc->nflows >= IPN_FLOWS_MAX ? IPN_DROP_FLOWS : IPN_DROP_NOMEM;

		f = cc_new(net, cc, key);
		if (!f) {
			net->stats.drops[reason]++;
			from->stats.drops[reason]++;
			return NULL;
		}
	}
	f->value = cc_merge(s->merge_fn, f->value, v, f->count);
	/* the output message: the first one, or the last for `last` alone */
	if (!f->msg || (s->merge_fn == IPN_MERGE_LAST && !s->value_type)) {
		kfree_skb(f->msg);
		f->msg = skb_clone(skb, GFP_ATOMIC);
	}
	f->count++;
	if (s->merge_fn == IPN_MERGE_DEDUP && f->count == 1)
		out = skb; /* passes as it is, whatever the output */
	if (cc_done(net, f)) {
		if (s->merge_fn != IPN_MERGE_DEDUP)
			out = cc_output(net, f);
		cc_del(net, cc, f);
	}
	return out;
}

static void cc_timer(struct timer_list *t)
{
	struct cc_priv *cc = from_timer(cc, t, timer);
	struct ipn_net *net = cc->net;
	struct sk_buff_head deferred;
	struct cc_flow *f;
	unsigned long ms;

	__skb_queue_head_init(&deferred);
	rcu_read_lock();
	spin_lock_bh(&net->lock);
	ms = msecs_to_jiffies(net->conf.concast.done_timeout_ms);
	while (!cc->dying && (f = list_first_entry_or_null(&cc->fifo, struct cc_flow, fifo)) &&
	       !time_before(jiffies, f->first + ms)) {
		cc_emit(net, f, &deferred);
		cc_del(net, cc, f);
	}
	cc_arm(net, cc);
	spin_unlock_bh(&net->lock);
	ipn_deliver_deferred(&deferred);
	rcu_read_unlock();
}

static int cc_init(struct ipn_net *net)
{
	struct cc_priv *cc = kzalloc(sizeof(*cc), GFP_KERNEL);

	if (!cc)
		return -ENOMEM;
	cc->net = net;
	INIT_LIST_HEAD(&cc->fifo);
	timer_setup(&cc->timer, cc_timer, 0);
	net->priv = cc;
	return 0;
}

static void cc_fini(struct ipn_net *net)
{
	struct cc_priv *cc = net->priv;
	struct cc_flow *f, *tmp;

	spin_lock_bh(&net->lock);
	cc->dying = true;
	spin_unlock_bh(&net->lock);
	del_timer_sync(&cc->timer);
	list_for_each_entry_safe(f, tmp, &cc->fifo, fifo)
		cc_del(net, cc, f);
	kfree(cc);
}

static void cc_fill(struct cc_flow *f, struct ipn_flow *out)
{
	memset(out, 0, sizeof(*out));
	out->key = f->key;
	out->value = f->value;
	out->count = f->count;
	out->expect = f->expect;
	out->age_ms = jiffies_to_msecs(jiffies - f->first);
	out->flags = IPN_FLOW_OPEN;
}

static int cc_set_flow(struct ipn_net *net, sockptr_t optval, unsigned int optlen)
{
	struct cc_priv *cc = net->priv;
	struct sk_buff_head deferred;
	struct ipn_flow in;
	struct cc_flow *f;
	int err = 0;

	if (optlen < sizeof(in))
		return -EINVAL;
	if (copy_from_sockptr(&in, optval, sizeof(in)))
		return -EFAULT;
	if ((in.flags & ~IPN_FLOW_OPEN) || in.reserved)
		return -EINVAL;
	__skb_queue_head_init(&deferred);
	rcu_read_lock();
	spin_lock_bh(&net->lock);
	f = cc_find(cc, in.key);
	if (!(in.flags & IPN_FLOW_OPEN)) {
		if (f)
			cc_del(net, cc, f);
		else
			err = -ENOENT;
		goto out;
	}
	if (!f)
		f = cc_new(net, cc, in.key);
	if (!f) {
		err = -ENOSPC;
		goto out;
	}
	f->value = in.value;
	f->count = in.count;
	f->expect = in.expect;
	if (cc_done(net, f)) {
		cc_emit(net, f, &deferred);
		cc_del(net, cc, f);
	}
out:
	spin_unlock_bh(&net->lock);
	ipn_deliver_deferred(&deferred);
	rcu_read_unlock();
	return err;
}

static int cc_setsockopt(struct ipn_net *net, struct ipn_sock *is, int optname,
			 sockptr_t optval, unsigned int optlen)
{
	if (optname != IPN_CONCAST_SO_FLOW)
		return -ENOPROTOOPT;
	if (!is->bound)
		return -EPERM;
	return cc_set_flow(net, optval, optlen);
}

static int cc_get_flows(struct ipn_net *net, char __user *optval, int __user *optlen)
{
	struct cc_priv *cc = net->priv;
	struct ipn_flow *ents;
	struct ipn_list hdr;
	struct cc_flow *f;
	u32 room, idx = 0;
	int err;

	err = ipn_list_begin(optval, optlen, sizeof(*ents), IPN_FLOWS_MAX, &hdr, &room);
	if (err)
		return err;
	ents = kvcalloc(max(room, 1U), sizeof(*ents), GFP_KERNEL);
	if (!ents)
		return -ENOMEM;
	spin_lock_bh(&net->lock);
	list_for_each_entry(f, &cc->fifo, fifo) {
		if (idx >= hdr.start && hdr.count < room)
			cc_fill(f, &ents[hdr.count++]);
		idx++;
	}
	spin_unlock_bh(&net->lock);
	hdr.total = idx;
	err = -EFAULT;
	if (!copy_to_user(optval + sizeof(hdr), ents, hdr.count * sizeof(*ents)))
		err = ipn_list_end(optval, optlen, &hdr);
	kvfree(ents);
	return err;
}

static int cc_getsockopt(struct ipn_net *net, struct ipn_sock *is, int optname,
			 char __user *optval, int __user *optlen)
{
	struct ipn_concast_spec spec;
	struct ipn_flow fl;
	struct cc_flow *f;
	int len;

	switch (optname) {
	case IPN_CONCAST_SO_SPEC:
		spec = net->conf.concast; /* not a user copy from the slab object */
		return ipn_opt_put(optval, optlen, &spec, sizeof(spec));
	case IPN_CONCAST_SO_FLOWS:
		return cc_get_flows(net, optval, optlen);
	case IPN_CONCAST_SO_FLOW:
		if (get_user(len, optlen))
			return -EFAULT;
		if (len < (int)sizeof(fl))
			return -EINVAL;
		if (copy_from_user(&fl.key, optval, sizeof(fl.key)))
			return -EFAULT;
		spin_lock_bh(&net->lock);
		f = cc_find(net->priv, fl.key);
		if (f)
			cc_fill(f, &fl);
		spin_unlock_bh(&net->lock);
		if (!f)
			return -ENOENT;
		return ipn_opt_put(optval, optlen, &fl, sizeof(fl));
	}
	return -ENOPROTOOPT;
}

static u32 cc_nflows(struct ipn_net *net)
{
	struct cc_priv *cc = net->priv;
	u32 n;

	spin_lock_bh(&net->lock);
	n = cc->nflows;
	spin_unlock_bh(&net->lock);
	return n;
}

const struct ipn_policy ipn_policy_concast = {
	.id = IPN_POLICY_CONCAST,
	.name = "concast",
	.init = cc_init,
	.fini = cc_fini,
	.route = cc_route,
	.commit = cc_commit,
	.setsockopt = cc_setsockopt,
	.getsockopt = cc_getsockopt,
	.nflows = cc_nflows,
};

int ipn_concast_init(void)
{
	cc_flow_cache = KMEM_CACHE(cc_flow, 0);
	return cc_flow_cache ? 0 : -ENOMEM;
}

void ipn_concast_exit(void)
{
	kmem_cache_destroy(cc_flow_cache);
}
