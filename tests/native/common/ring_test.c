/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The shared-memory ring under two threads: a producer and a consumer that
 * both sleep on eventfds through the announce-then-recheck protocol. Every
 * frame must arrive once, in order, with no lost wakeup (a lost wakeup would
 * hang the test, so it runs under a watchdog).
 */
#include <pthread.h>
#include <signal.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "../check.h"
#include "ring.h"

#define SLOTS 64
#define FRAMES 2000000u

static struct ring_view v;
static int data_fd, space_fd;
static uint64_t kicks_data, kicks_space;

static void wait_fd(int fd)
{
	struct pollfd p = {fd, POLLIN, 0};
	poll(&p, 1, -1);
	uint64_t x;
	if (read(fd, &x, sizeof(x)) < 0) {
		/* spurious: the counter was read by an earlier wait */
	}
}

static void *producer(void *arg)
{
	(void)arg;
	uint32_t head = 0;
	for (uint32_t i = 0; i < FRAMES;) {
		uint32_t space = ring_space(&v, head);
		if (!space) {
			if (!ring_prod_wait(&v, head))
				wait_fd(space_fd);
			continue;
		}
		uint32_t burst = 1 + (i % 7); /* vary batch sizes */
		for (; space && burst && i < FRAMES; space--, burst--, i++) {
			struct ipn_slot *s = ring_slot(&v, head++);
			s->len = 4 + (i % 5);
			memcpy(s->data, &i, 4);
		}
		if (ring_publish(&v, head)) {
			kicks_data++;
			uint64_t one = 1;
			if (write(data_fd, &one, 8) < 0)
				abort();
		}
	}
	return NULL;
}

static void alarm_handler(int sig)
{
	(void)sig;
	_exit(3); /* a lost wakeup */
}

int main(void)
{
	v.slots = SLOTS;
	v.slot_size = ring_slot_size(64);
	v.data_max = v.slot_size - (uint32_t)sizeof(struct ipn_slot);
	CHECK_EQ(v.slot_size % 64, 0);
	CHECK(v.data_max >= 64);
	v.r = aligned_alloc(64, ring_bytes(SLOTS, v.slot_size));
	memset(v.r, 0, ring_bytes(SLOTS, v.slot_size));
	data_fd = eventfd(0, EFD_NONBLOCK);
	space_fd = eventfd(0, EFD_NONBLOCK);
	signal(SIGALRM, alarm_handler);
	alarm(60);

	pthread_t t;
	pthread_create(&t, NULL, producer, NULL);
	uint32_t tail = 0, expect = 0, bad = 0, over = 0;
	while (expect < FRAMES) {
		uint32_t n = ring_avail(&v, tail);
		if (!n) {
			if (!ring_cons_sleep(&v, tail))
				wait_fd(data_fd);
			continue;
		}
		over += n > SLOTS;
		for (; n; n--) {
			struct ipn_slot *s = ring_slot(&v, tail++);
			uint32_t got;
			memcpy(&got, s->data, 4);
			bad += got != expect || s->len != 4 + (expect % 5);
			expect++;
		}
		if (ring_release(&v, tail)) {
			kicks_space++;
			uint64_t one = 1;
			if (write(space_fd, &one, 8) < 0)
				abort();
		}
	}
	pthread_join(t, NULL);
	CHECK_EQ(bad, 0);
	CHECK_EQ(over, 0);
	CHECK_EQ(expect, FRAMES);
	CHECK_EQ(ring_avail(&v, tail), 0);
	/* the point of the protocol: far fewer kicks than frames */
	CHECK(kicks_data < FRAMES / 2);
	free(v.r);
	return check_done("ring");
}
