/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Open one socket, do one thing with it, report the device it ended up bound
 * to. Driven by policy_bind.sh, with and without libipn_bind.so preloaded.
 *
 *   sockprobe tcp|udp|udpconn|udpmsg|listen ADDR PORT
 *
 * tcp: non-blocking connect, wait up to 2 s; udp: sendto; udpconn: connect
 * then send; udpmsg: sendmsg with an address; listen: bind then listen.
 * Prints "dev=NAME|- result=ok|<error>".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: sockprobe tcp|udp|udpconn|udpmsg|listen ADDR PORT\n");
		return 2;
	}
	const char *op = argv[1];
	struct sockaddr_storage ss = {0};
	socklen_t len;
	int port = atoi(argv[3]);
	struct sockaddr_in *in = (void *)&ss;
	struct sockaddr_in6 *in6 = (void *)&ss;
	if (inet_pton(AF_INET, argv[2], &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		len = sizeof *in;
	} else if (inet_pton(AF_INET6, argv[2], &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		len = sizeof *in6;
	} else {
		fprintf(stderr, "sockprobe: bad address %s\n", argv[2]);
		return 2;
	}
	int tcp = !strcmp(op, "tcp") || !strcmp(op, "listen");
	int fd = socket(ss.ss_family, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("socket");
		return 2;
	}
	int rc = 0;
	const char msg[] = "ipn bind probe";
	if (!strcmp(op, "tcp")) {
		fcntl(fd, F_SETFL, O_NONBLOCK);
		rc = connect(fd, (void *)&ss, len);
		if (rc && errno == EINPROGRESS) {
			struct pollfd p = {.fd = fd, .events = POLLOUT};
			int e = 0;
			socklen_t el = sizeof e;
			if (poll(&p, 1, 2000) == 1 && !getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el))
				rc = e ? (errno = e, -1) : 0;
			else
				rc = (errno = ETIMEDOUT, -1);
		}
	} else if (!strcmp(op, "udp")) {
		rc = sendto(fd, msg, sizeof msg, 0, (void *)&ss, len) < 0 ? -1 : 0;
	} else if (!strcmp(op, "udpconn")) {
		rc = connect(fd, (void *)&ss, len);
		if (!rc)
			rc = send(fd, msg, sizeof msg, 0) < 0 ? -1 : 0;
	} else if (!strcmp(op, "udpmsg")) {
		struct iovec iov = {.iov_base = (void *)msg, .iov_len = sizeof msg};
		struct msghdr mh = {.msg_name = &ss, .msg_namelen = len, .msg_iov = &iov,
				    .msg_iovlen = 1};
		rc = sendmsg(fd, &mh, 0) < 0 ? -1 : 0;
	} else if (!strcmp(op, "listen")) {
		int one = 1;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		rc = bind(fd, (void *)&ss, len);
		if (!rc)
			rc = listen(fd, 1);
	} else {
		fprintf(stderr, "sockprobe: unknown operation %s\n", op);
		return 2;
	}
	int err = errno;
	char dev[IFNAMSIZ] = "";
	socklen_t dl = sizeof dev;
	if (getsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev, &dl) || !dl)
		dev[0] = 0;
	printf("dev=%s result=%s\n", dev[0] ? dev : "-", rc ? strerror(err) : "ok");
	close(fd);
	return 0;
}
