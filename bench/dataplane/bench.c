/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ipn-bench: one process of a data-plane benchmark. bench/dataplane/run.ts
 * starts several and reads the one JSON line each prints.
 *
 *   ipn-bench rx KIND TARGET ID [PEER...]     count frames until 300 ms idle
 *   ipn-bench tx KIND TARGET SIZE SECONDS DSTID [PEER...]
 *   ipn-bench pong KIND TARGET ID [PEER]      echo every frame back
 *   ipn-bench ping KIND TARGET SIZE COUNT DSTID [PEER]
 *
 * KIND: vde | unix | native (transport.h). Frames are Ethernet: receiver ID
 * n has MAC 02:00:00:00:01:n; DSTID 255 means broadcast. A receiver first
 * sends one frame so that switches learn where it is, then prints "ready".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "transport.h"

#define CAP 1600

static void mac_of(uint8_t *m, int id)
{
	if (id == 255) {
		memset(m, 0xff, 6);
		return;
	}
	uint8_t a[6] = {0x02, 0, 0, 0, 1, (uint8_t)id};
	memcpy(m, a, 6);
}

#define HELLO 0xb6 /* ethertype 0x88b6: a receiver announcing itself */

static void frame(uint8_t *f, size_t size, int dst, int src, uint8_t type)
{
	memset(f, 0, size);
	mac_of(f, dst);
	mac_of(f + 6, src);
	f[12] = 0x88;
	f[13] = type;
}

static void peers(struct tp *t, int argc, char **argv, int from)
{
	for (int i = from; i < argc; i++)
		tp_add_peer(t, argv[i]);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: ipn-bench rx|tx|pong|ping KIND TARGET ...\n");
		return 2;
	}
	const char *role = argv[1], *kind = argv[2], *target = argv[3];
	static uint8_t bufs[BATCH * CAP];
	static uint32_t lens[BATCH];
	uint8_t f[CAP];

	if (!strcmp(role, "rx") || !strcmp(role, "pong")) {
		int id = atoi(argv[4]);
		struct tp *t = tp_open(kind, target, 0);
		peers(t, argc, argv, 5);
		frame(f, 60, 255, id, HELLO);
		if (strcmp(kind, "unix"))
			t->ops->send(t, f, 60, 1); /* let a switch learn us */
		printf("ready\n");
		fflush(stdout);
		if (!strcmp(role, "pong")) {
			for (;;) {
				int n = t->ops->recv(t, bufs, CAP, lens, BATCH, -1);
				for (int i = 0; i < n; i++) {
					uint8_t *b = bufs + (size_t)i * CAP;
					uint8_t tmp[6];
					memcpy(tmp, b, 6);
					memcpy(b, b + 6, 6);
					memcpy(b + 6, tmp, 6);
					t->ops->send(t, b, lens[i], 1);
				}
			}
		}
		uint64_t count = 0, bytes = 0, first = 0, last = 0;
		for (;;) {
			int n = t->ops->recv(t, bufs, CAP, lens, BATCH, count ? 300 : 30000);
			if (n <= 0)
				break;
			uint64_t now = now_ns();
			if (!count)
				first = now;
			last = now;
			for (int i = 0; i < n; i++) {
				/* ignore other receivers' hello frames on a hub */
				if (lens[i] >= 14 && bufs[(size_t)i * CAP + 13] == HELLO)
					continue;
				count++;
				bytes += lens[i];
			}
		}
		printf("{\"count\": %llu, \"bytes\": %llu, \"first_ns\": %llu, \"last_ns\": %llu}\n",
		       (unsigned long long)count, (unsigned long long)bytes, (unsigned long long)first,
		       (unsigned long long)last);
		t->ops->close(t);
		return 0;
	}
	if (!strcmp(role, "tx") && argc >= 7) {
		size_t size = (size_t)atoi(argv[4]);
		double secs = atof(argv[5]);
		int dst = atoi(argv[6]);
		char me[108];
		snprintf(me, sizeof(me), "%s.tx", target);
		struct tp *t = tp_open(kind, strcmp(kind, "unix") ? target : me, 1);
		peers(t, argc, argv, 7);
		frame(f, size, dst, 200, 0xb5);
		uint64_t start = now_ns(), end = start + (uint64_t)(secs * 1e9), sent = 0;
		uint64_t now = start;
		while (now < end) {
			int n = t->ops->send(t, f, size, BATCH);
			if (n <= 0)
				break;
			sent += (uint64_t)n;
			now = now_ns();
		}
		printf("{\"sent\": %llu, \"start_ns\": %llu, \"end_ns\": %llu}\n", (unsigned long long)sent,
		       (unsigned long long)start, (unsigned long long)now);
		t->ops->close(t);
		return 0;
	}
	if (!strcmp(role, "ping") && argc >= 7) {
		size_t size = (size_t)atoi(argv[4]);
		int count = atoi(argv[5]), dst = atoi(argv[6]);
		char me[108];
		snprintf(me, sizeof(me), "%s.ping", target);
		struct tp *t = tp_open(kind, strcmp(kind, "unix") ? target : me, 0);
		peers(t, argc, argv, 7);
		frame(f, size, dst, 201, 0xb5);
		if (strcmp(kind, "unix"))
			t->ops->send(t, f, size, 1); /* learned before timing */
		uint64_t *rtt = calloc((size_t)count, sizeof(*rtt));
		int got = 0, lost = 0;
		for (int i = 0; i < count + 200; i++) {
			memcpy(f + 14, &i, 4);
			uint64_t t0 = now_ns();
			t->ops->send(t, f, size, 1);
			int ok = 0;
			while (!ok) {
				int n = t->ops->recv(t, bufs, CAP, lens, 1, 1000);
				if (n <= 0)
					break;
				ok = !memcmp(bufs + 14, &i, 4);
			}
			if (!ok) {
				lost++;
				continue;
			}
			if (i >= 200) /* after a warm-up */
				rtt[got++] = now_ns() - t0;
		}
		qsort(rtt, (size_t)got, sizeof(*rtt), cmp_u64);
		printf("{\"count\": %d, \"lost\": %d, \"p50_ns\": %llu, \"p99_ns\": %llu}\n", got, lost,
		       got ? (unsigned long long)rtt[got / 2] : 0ull,
		       got ? (unsigned long long)rtt[(size_t)got * 99 / 100] : 0ull);
		t->ops->close(t);
		return 0;
	}
	fprintf(stderr, "ipn-bench: bad arguments\n");
	return 2;
}
