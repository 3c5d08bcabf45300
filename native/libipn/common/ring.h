/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Single-producer single-consumer rings in memory shared between a native
 * member and the engine. Fixed-size slots; `head` and `tail` are free-running
 * counters. A side that finds nothing to do announces sleep in the ring
 * (cons_sleeping / prod_waiting), re-checks, then blocks on its eventfd; the
 * other side kicks the eventfd only when it sees that announcement, so busy
 * rings cost no system calls.
 *
 * The engine treats everything in shared memory as hostile: it keeps its own
 * copy of the geometry and bounds-checks every counter and length it reads.
 */
#ifndef IPN_RING_H
#define IPN_RING_H

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#define IPN_RING_ALIGN 64

struct ipn_ring {
	_Alignas(IPN_RING_ALIGN) _Atomic uint32_t head; /* written by the producer */
	_Atomic uint32_t prod_waiting;                  /* producer blocks for space */
	_Alignas(IPN_RING_ALIGN) _Atomic uint32_t tail; /* written by the consumer */
	_Atomic uint32_t cons_sleeping;                 /* consumer blocks for data */
	_Alignas(IPN_RING_ALIGN) uint8_t slots[];
};

struct ipn_slot {
	uint32_t len;
	uint32_t reserved;
	uint8_t data[];
};

/* Local view of a ring: geometry never read back from shared memory. */
struct ring_view {
	struct ipn_ring *r;
	uint32_t slots;     /* power of two */
	uint32_t slot_size; /* bytes, header included */
	uint32_t data_max;  /* slot_size - header */
};

static inline uint32_t ring_slot_size(uint32_t mtu)
{
	uint32_t s = (uint32_t)sizeof(struct ipn_slot) + mtu;
	return (s + IPN_RING_ALIGN - 1) & ~(uint32_t)(IPN_RING_ALIGN - 1);
}

static inline size_t ring_bytes(uint32_t slots, uint32_t slot_size)
{
	return sizeof(struct ipn_ring) + (size_t)slots * slot_size;
}

static inline struct ipn_slot *ring_slot(const struct ring_view *v, uint32_t i)
{
	return (struct ipn_slot *)(v->r->slots + (size_t)(i & (v->slots - 1)) * v->slot_size);
}

/* Frames waiting, as the consumer sees them; > slots means corruption. */
static inline uint32_t ring_avail(const struct ring_view *v, uint32_t tail)
{
	return atomic_load_explicit(&v->r->head, memory_order_acquire) - tail;
}

/* Free slots, as the producer sees them; > slots means corruption. */
static inline uint32_t ring_space(const struct ring_view *v, uint32_t head)
{
	return v->slots - (head - atomic_load_explicit(&v->r->tail, memory_order_acquire));
}

/*
 * After publishing: does the consumer sleep? Then the caller kicks it. The
 * full fence pairs with the consumer's in ring_cons_sleep (no lost wakeup).
 */
static inline int ring_publish(const struct ring_view *v, uint32_t head)
{
	atomic_store_explicit(&v->r->head, head, memory_order_release);
	atomic_thread_fence(memory_order_seq_cst);
	if (atomic_load_explicit(&v->r->cons_sleeping, memory_order_relaxed))
		return atomic_exchange(&v->r->cons_sleeping, 0) != 0;
	return 0;
}

/* After consuming: does the producer wait for space? Then the caller kicks it. */
static inline int ring_release(const struct ring_view *v, uint32_t tail)
{
	atomic_store_explicit(&v->r->tail, tail, memory_order_release);
	atomic_thread_fence(memory_order_seq_cst);
	if (atomic_load_explicit(&v->r->prod_waiting, memory_order_relaxed))
		return atomic_exchange(&v->r->prod_waiting, 0) != 0;
	return 0;
}

/* Announce sleep; returns frames that arrived meanwhile (0: really sleep). */
static inline uint32_t ring_cons_sleep(const struct ring_view *v, uint32_t tail)
{
	atomic_store(&v->r->cons_sleeping, 1);
	atomic_thread_fence(memory_order_seq_cst);
	uint32_t n = ring_avail(v, tail);
	if (n)
		atomic_store_explicit(&v->r->cons_sleeping, 0, memory_order_relaxed);
	return n;
}

/* Announce waiting for space; returns space that appeared (0: really wait). */
static inline uint32_t ring_prod_wait(const struct ring_view *v, uint32_t head)
{
	atomic_store(&v->r->prod_waiting, 1);
	atomic_thread_fence(memory_order_seq_cst);
	uint32_t n = ring_space(v, head);
	if (n)
		atomic_store_explicit(&v->r->prod_waiting, 0, memory_order_relaxed);
	return n;
}

#endif
