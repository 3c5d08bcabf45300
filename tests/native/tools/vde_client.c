/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vde-client: an ordinary libvdeplug program, to prove that any of them joins
 * an ipn network unchanged.
 *
 *   vde-client send URL COUNT [size=N] [dst=MAC] [src=MAC] [vlan=VID] [hex=BYTES]
 *   vde-client recv URL COUNT TIMEOUT_MS [quiet] [src=MAC] [delay_us=N]
 *   vde-client hold URL SECONDS     join, never read, leave
 *
 * Frames sent are Ethernet (type 0x88b5) carrying a 32-bit sequence number,
 * unless hex= gives the exact bytes. recv prints "frame HEX" per frame (not
 * with quiet) and "received N" at the end; exit 0 when COUNT arrived.
 */
#include <errno.h>
#include <libvdeplug.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int mac(const char *s, unsigned char *m)
{
	return sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) == 6;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: vde-client send|recv|hold URL ...\n");
		return 2;
	}
	const char *cmd = argv[1];
	VDECONN *c = vde_open(argv[2], "vde-client", NULL);
	if (!c) {
		fprintf(stderr, "vde-client: vde_open %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	unsigned char f[9216];
	if (!strcmp(cmd, "hold")) {
		sleep((unsigned)atoi(argv[3]));
		vde_close(c);
		return 0;
	}
	if (!strcmp(cmd, "send")) {
		long count = atol(argv[3]);
		size_t size = 60, hexlen = 0;
		unsigned char dst[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
		unsigned char src[6] = {0x02, 0, 0, 0, 0, 0x01};
		int vlan = -1;
		for (int i = 4; i < argc; i++) {
			if (!strncmp(argv[i], "size=", 5)) size = (size_t)atol(argv[i] + 5);
			else if (!strncmp(argv[i], "dst=", 4)) mac(argv[i] + 4, dst);
			else if (!strncmp(argv[i], "src=", 4)) mac(argv[i] + 4, src);
			else if (!strncmp(argv[i], "vlan=", 5)) vlan = atoi(argv[i] + 5);
			else if (!strncmp(argv[i], "hex=", 4)) {
				const char *h = argv[i] + 4;
				for (; h[0] && h[1] && hexlen < sizeof(f); h += 2)
					sscanf(h, "%2hhx", &f[hexlen++]);
			}
		}
		if (size > sizeof(f))
			size = sizeof(f);
		for (long n = 0; n < count; n++) {
			size_t len = hexlen;
			if (!hexlen) {
				memset(f, 0, size);
				memcpy(f, dst, 6);
				memcpy(f + 6, src, 6);
				size_t o = 12;
				if (vlan >= 0) {
					f[12] = 0x81;
					f[13] = 0x00;
					f[14] = (unsigned char)(vlan >> 8);
					f[15] = (unsigned char)vlan;
					o = 16;
				}
				f[o] = 0x88;
				f[o + 1] = 0xb5;
				uint32_t seq = (uint32_t)n;
				memcpy(f + o + 2, &seq, 4);
				len = size;
			}
			if (vde_send(c, f, len, 0) < 0) {
				fprintf(stderr, "vde-client: send: %s\n", strerror(errno));
				return 1;
			}
		}
		printf("sent %ld\n", count);
		vde_close(c);
		return 0;
	}
	if (!strcmp(cmd, "recv") && argc >= 5) {
		long count = atol(argv[3]), got = 0;
		int timeout = atoi(argv[4]), quiet = 0, delay = 0;
		unsigned char want_src[6];
		int filter = 0;
		for (int i = 5; i < argc; i++) {
			if (!strcmp(argv[i], "quiet")) quiet = 1;
			else if (!strncmp(argv[i], "src=", 4)) filter = mac(argv[i] + 4, want_src);
			else if (!strncmp(argv[i], "delay_us=", 9)) delay = atoi(argv[i] + 9);
		}
		printf("ready\n");
		fflush(stdout);
		struct timespec t0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		while (got < count) {
			long left = timeout - ms_since(&t0);
			if (left <= 0)
				break;
			struct pollfd p = {vde_datafd(c), POLLIN, 0};
			if (poll(&p, 1, (int)left) <= 0)
				continue;
			ssize_t r = vde_recv(c, f, sizeof(f), 0);
			if (r <= 0)
				continue;
			if (filter && (r < 12 || memcmp(f + 6, want_src, 6)))
				continue;
			got++;
			if (delay)
				usleep((useconds_t)delay); /* a slow reader */
			if (!quiet) {
				printf("frame ");
				for (ssize_t i = 0; i < r; i++)
					printf("%02x", f[i]);
				printf("\n");
			}
		}
		printf("received %ld\n", got);
		vde_close(c);
		return got == count ? 0 : 1;
	}
	fprintf(stderr, "vde-client: unknown command %s\n", cmd);
	return 2;
}
