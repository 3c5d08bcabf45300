/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ipn_endpoint_connect on loopback and unix sockets: order, fallback past
 * dead entries, which entry served, malformed lists refused.
 */
#include "ipn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "check.h"

/* A listening TCP socket on 127.0.0.1 or ::1; its port in *port. */
static int listen_tcp(int family, int *port)
{
	int fd = socket(family, SOCK_STREAM, 0);
	struct sockaddr_storage ss = {0};
	socklen_t len;
	if (family == AF_INET) {
		struct sockaddr_in *in = (void *)&ss;
		in->sin_family = AF_INET;
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof *in;
	} else {
		struct sockaddr_in6 *in6 = (void *)&ss;
		in6->sin6_family = AF_INET6;
		in6->sin6_addr = in6addr_loopback;
		len = sizeof *in6;
	}
	if (fd < 0 || bind(fd, (void *)&ss, len) || listen(fd, 4))
		return -1;
	getsockname(fd, (void *)&ss, &len);
	*port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
					: ((struct sockaddr_in6 *)&ss)->sin6_port);
	return fd;
}

/* A TCP port nothing listens on: bind, read the port, close. */
static int dead_port(void)
{
	int port;
	int fd = listen_tcp(AF_INET, &port);
	close(fd);
	return port;
}

int main(void)
{
	char dir[] = "/tmp/ipn-ep-XXXXXX";
	if (!mkdtemp(dir))
		return 2;
	int p4, p6;
	int l4 = listen_tcp(AF_INET, &p4);
	int l6 = listen_tcp(AF_INET6, &p6);
	CHECK(l4 >= 0);
	int dead = dead_port();

	/* a VDE-style network directory with its control socket */
	char net[64], ctl[80];
	snprintf(net, sizeof net, "%s/lab", dir);
	snprintf(ctl, sizeof ctl, "%s/ctl", net);
	mkdir(net, 0755);
	int lu = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", ctl);
	CHECK(bind(lu, (void *)&sun, sizeof sun) == 0 && listen(lu, 4) == 0);

	struct ipn_endpoint_result r = {.size = sizeof r};
	char list[512];

	/* dead inet first, live inet6 second: inet6 serves */
	snprintf(list, sizeof list, "inet 127.0.0.1 %d\ninet6 ::1 %d\ninet 127.0.0.1 %d", dead,
		 p6, p4);
	int fd = ipn_endpoint_connect(list, 1000, &r);
	CHECK(fd >= 0);
	CHECK_EQ_INT(r.index, 1);
	CHECK_EQ_INT(r.family, IPN_EP_INET6);
	CHECK_EQ_INT(r.error, -ECONNREFUSED);
	CHECK(strstr(r.detail, "Connection refused") != NULL);
	CHECK(fd >= 0 && (fcntl(fd, F_GETFL) & O_NONBLOCK) == 0);
	CHECK(fd >= 0 && (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
	close(fd);
	if (l6 < 0)
		fprintf(stderr, "note: no IPv6 loopback here\n");

	/* missing network path, then a live one */
	snprintf(list, sizeof list, "ipn %s/missing\nipn %s\ninet 127.0.0.1 %d", dir, net, p4);
	fd = ipn_endpoint_connect(list, 1000, &r);
	CHECK(fd >= 0);
	CHECK_EQ_INT(r.index, 1);
	CHECK_EQ_INT(r.family, IPN_EP_IPN);
	CHECK_EQ_INT(r.error, -ENOENT);
	close(fd);

	/* the socket itself as the path */
	snprintf(list, sizeof list, "ipn %s", ctl);
	fd = ipn_endpoint_connect(list, 1000, &r);
	CHECK_EQ_INT(r.index, 0);
	close(fd);

	/* the first entry serves when it works */
	snprintf(list, sizeof list, "inet 127.0.0.1 %d\nipn %s", p4, net);
	fd = ipn_endpoint_connect(list, 1000, &r);
	CHECK_EQ_INT(r.index, 0);
	CHECK_EQ_INT(r.family, IPN_EP_INET);
	CHECK_EQ_INT(r.error, 0);
	close(fd);

	/* everything dead: the last error, every failure described */
	snprintf(list, sizeof list, "inet 127.0.0.1 %d\nipn %s/missing", dead, dir);
	CHECK_EQ_INT(ipn_endpoint_connect(list, 1000, &r), -ENOENT);
	CHECK_EQ_INT(r.index, -1);
	CHECK(strstr(r.detail, "inet 127.0.0.1") && strstr(r.detail, "/missing: No such file"));

	/* malformed lists are refused before anything is tried */
	const char *bad[] = {"inet 127.0.0.1", "tcp 127.0.0.1 80", "ipn relative",
			     "inet 127.0.0.1 80 extra", "inet 127.0.0.1 80\n\ninet6 ::1 80", ""};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = ipn_endpoint_connect(bad[i], 100, &r);
		CHECK(rc == -EINVAL || (i == 5 && rc == -ENOENT));
	}
	r.size = 4;
	CHECK_EQ_INT(ipn_endpoint_connect("inet 127.0.0.1 1", 100, &r), -EINVAL);

	close(l4);
	if (l6 >= 0)
		close(l6);
	close(lu);
	unlink(ctl);
	rmdir(net);
	rmdir(dir);
	return check_report("endpoint");
}
