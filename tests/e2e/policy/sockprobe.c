/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Open one socket, do one thing with it, report the device it ended up bound
 * to and who answered. Driven by policy_bind.sh, with and without
 * libipn_bind.so preloaded.
 *
 *   sockprobe tcp|udp|udpconn|udpmsg|listen ADDR PORT
 *   sockprobe serve PORT NAME [ADDR...]
 *
 * tcp: non-blocking connect, wait up to 2 s; udp: sendto; udpconn: connect
 * then send; udpmsg: sendmsg with an address; listen: bind then listen.
 * Prints "dev=NAME|- result=ok|<error> reply=NAME|-". With SOCKPROBE_DEVICE
 * set, the probe binds its socket to that device itself first.
 * serve: answer every TCP connection on [::]:PORT (both families) and every
 * UDP datagram to one of ADDR:PORT (default [::]) with NAME, until killed.
 * UDP answers come from the address asked, as a connected client expects.
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

static int parse_addr(const char *s, int port, struct sockaddr_storage *ss, socklen_t *len);

static int serve(int port, const char *name, int naddr, char **addrs)
{
	struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port)};
	struct pollfd p[17] = {{.fd = socket(AF_INET6, SOCK_STREAM, 0), .events = POLLIN}};
	int zero = 0, one = 1, n = 1;
	setsockopt(p[0].fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
	setsockopt(p[0].fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(p[0].fd, (void *)&a, sizeof a) || listen(p[0].fd, 16)) {
		perror("sockprobe serve: tcp");
		return 2;
	}
	for (int i = 0; i < (naddr ? naddr : 1) && n < 17; i++, n++) {
		struct sockaddr_storage ss;
		socklen_t len;
		if (parse_addr(naddr ? addrs[i] : "::", port, &ss, &len))
			return 2;
		p[n].fd = socket(ss.ss_family, SOCK_DGRAM, 0);
		p[n].events = POLLIN;
		if (ss.ss_family == AF_INET6)
			setsockopt(p[n].fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
		if (bind(p[n].fd, (void *)&ss, len)) {
			perror("sockprobe serve: udp");
			return 2;
		}
	}
	for (;;) {
		if (poll(p, (nfds_t)n, -1) < 0)
			continue;
		if (p[0].revents & POLLIN) {
			int c = accept(p[0].fd, NULL, NULL);
			if (c >= 0) {
				ssize_t w = write(c, name, strlen(name));
				(void)w;
				close(c);
			}
		}
		for (int i = 1; i < n; i++) {
			if (!(p[i].revents & POLLIN))
				continue;
			char buf[512];
			struct sockaddr_storage from;
			socklen_t fl = sizeof from;
			if (recvfrom(p[i].fd, buf, sizeof buf, 0, (void *)&from, &fl) >= 0)
				sendto(p[i].fd, name, strlen(name), 0, (void *)&from, fl);
		}
	}
}

static int parse_addr(const char *s, int port, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *in = (void *)ss;
	struct sockaddr_in6 *in6 = (void *)ss;
	memset(ss, 0, sizeof *ss);
	if (inet_pton(AF_INET, s, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		*len = sizeof *in;
	} else if (inet_pton(AF_INET6, s, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		*len = sizeof *in6;
	} else {
		fprintf(stderr, "sockprobe: bad address %s\n", s);
		return -1;
	}
	return 0;
}

/* The answer of a server, if one comes within 2 s. */
static void read_reply(int fd, char *out, size_t cap)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	snprintf(out, cap, "-");
	if (poll(&p, 1, 2000) != 1)
		return;
	ssize_t n = recv(fd, out, cap - 1, 0);
	if (n > 0)
		out[n] = 0;
	else
		snprintf(out, cap, "-");
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "serve"))
		return serve(atoi(argv[2]), argv[3], argc - 4, argv + 4);
	if (argc != 4) {
		fprintf(stderr, "usage: sockprobe tcp|udp|udpconn|udpmsg|listen ADDR PORT | serve PORT NAME\n");
		return 2;
	}
	const char *op = argv[1];
	struct sockaddr_storage ss;
	socklen_t len;
	if (parse_addr(argv[2], atoi(argv[3]), &ss, &len))
		return 2;
	int tcp = !strcmp(op, "tcp") || !strcmp(op, "listen");
	int fd = socket(ss.ss_family, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("socket");
		return 2;
	}
	const char *own = getenv("SOCKPROBE_DEVICE");
	if (own && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, own, strlen(own) + 1)) {
		perror("sockprobe: SO_BINDTODEVICE");
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
	char reply[64] = "-";
	if (!rc && strcmp(op, "listen"))
		read_reply(fd, reply, sizeof reply);
	char dev[IFNAMSIZ] = "";
	socklen_t dl = sizeof dev;
	if (getsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev, &dl) || !dl)
		dev[0] = 0;
	printf("dev=%s result=%s reply=%s\n", dev[0] ? dev : "-", rc ? strerror(err) : "ok", reply);
	close(fd);
	return 0;
}
