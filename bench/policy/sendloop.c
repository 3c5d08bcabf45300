/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Send COUNT small UDP datagrams as fast as possible and print the rate, to
 * compare a program with and without libipn_bind.so preloaded.
 *
 *   sendloop udp|udpconn ADDR PORT COUNT
 *
 * udp: unconnected sendto() every time (the library checks each one);
 * udpconn: connect() once, then send() (the library is not involved).
 * Prints {"mode": ..., "count": N, "ns": T, "pps": R}.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: sendloop udp|udpconn ADDR PORT COUNT\n");
		return 2;
	}
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[3]))};
	if (inet_pton(AF_INET, argv[2], &a.sin_addr) != 1)
		return 2;
	long count = atol(argv[4]);
	int conn = !strcmp(argv[1], "udpconn");
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (conn && connect(fd, (void *)&a, sizeof a)) {
		perror("connect");
		return 1;
	}
	char msg[64] = "ipn";
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	long sent = 0;
	for (long i = 0; i < count; i++) {
		ssize_t r = conn ? send(fd, msg, sizeof msg, 0)
				 : sendto(fd, msg, sizeof msg, 0, (void *)&a, sizeof a);
		sent += r > 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long long ns = (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
	printf("{\"mode\": \"%s\", \"count\": %ld, \"sent\": %ld, \"ns\": %lld, \"pps\": %.0f}\n",
	       argv[1], count, sent, ns, ns ? sent * 1e9 / (double)ns : 0.0);
	return sent == count ? 0 : 1;
}
