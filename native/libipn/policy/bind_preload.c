/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libipn_bind.so: per-process device binding (LD_PRELOAD).
 *
 * A process started under a bind policy gets its inet sockets bound to the
 * policy's device (SO_BINDTODEVICE) when they first name a destination:
 * connect(), sendto()/sendmsg()/sendmmsg() with an address, or listen().
 * The decision is taken there, not at socket(), because exceptions depend on
 * the destination (X11's 6000-6063, loopback, address ranges).
 *
 * Stateless on purpose: whether a socket is bound is asked from the kernel
 * (getsockopt SO_BINDTODEVICE), so fd reuse, dup() and fork() need no
 * bookkeeping, and connected sockets cost nothing (send() is not hooked).
 * A socket already bound to a device, by the program or by us, is left as is.
 *
 * Fails closed: if the device is missing, sockets that should be bound fail
 * with ENODEV rather than silently taking another route.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "bind_policy.h"

#include <dlfcn.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/socket.h>
#include <unistd.h>

static struct ipnb_policy policy;
static int active;    /* 1: bind sockets to policy.device */
static int dev_error; /* errno to fail with when the device is unusable */
static int debug;

static int (*real_connect)(int, const struct sockaddr *, socklen_t);
static ssize_t (*real_sendto)(int, const void *, size_t, int, const struct sockaddr *, socklen_t);
static ssize_t (*real_sendmsg)(int, const struct msghdr *, int);
static int (*real_sendmmsg)(int, struct mmsghdr *, unsigned int, int);
static int (*real_listen)(int, int);

static const char *env_get(const char *name)
{
	return getenv(name);
}

__attribute__((format(printf, 1, 2))) static void say(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n > 0) {
		if ((size_t)n >= sizeof line)
			n = sizeof line - 1;
		/* write(2) directly: stdio may not be usable this early or late */
		ssize_t w = write(2, line, (size_t)n);
		(void)w;
	}
}

static void resolve_real(void)
{
	real_connect = dlsym(RTLD_NEXT, "connect");
	real_sendto = dlsym(RTLD_NEXT, "sendto");
	real_sendmsg = dlsym(RTLD_NEXT, "sendmsg");
	real_sendmmsg = dlsym(RTLD_NEXT, "sendmmsg");
	real_listen = dlsym(RTLD_NEXT, "listen");
}

/* Another library's constructor may call us before ours ran: resolve then. */
#define REAL(f) (real_##f ? real_##f : (resolve_real(), real_##f))

__attribute__((constructor)) static void ipn_bind_init(void)
{
	resolve_real();

	char err[256];
	int rc = ipnb_resolve(&policy, getauxval(AT_SECURE), env_get, err, sizeof err);
	const char *d = getenv(IPNB_ENV_DEBUG);
	debug = rc >= 0 && d && *d && *d != '0';
	if (rc < 0) {
		/* A policy we cannot read must not let traffic take another route. */
		say("ipn-bind: bad policy in " IPNB_ENV_POLICY ": %s (network sockets will fail)\n",
		    err);
		ipnb_default(&policy); /* loopback and unix still work */
		active = 1;
		dev_error = EINVAL;
		return;
	}
	active = rc;
	if (!active)
		return;
	if (!if_nametoindex(policy.device)) {
		say("ipn-bind: device %s does not exist: network sockets will fail\n",
		    policy.device);
		dev_error = ENODEV;
	}
	if (debug)
		say("ipn-bind: binding sockets to %s (%d exceptions)\n", policy.device, policy.nexc);
}

/*
 * Bind `fd` to the device unless it is not an inet socket, is bound already,
 * or its destination `dst` (NULL: the socket's local address, for listen)
 * matches an exception. 0 to go on, -1 with errno to fail the call.
 */
static int maybe_bind(int fd, const struct sockaddr *dst, socklen_t dlen, const char *why)
{
	if (!active)
		return 0;
	if (dst && dst->sa_family != AF_INET && dst->sa_family != AF_INET6)
		return 0; /* unix, netlink, packet, AF_UNSPEC (disconnect) */
	int saved = errno;
	/* Asked first: on the hot path (unconnected UDP, already bound) it is the only syscall. */
	char cur[IFNAMSIZ] = "";
	socklen_t l = sizeof cur;
	if (getsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, cur, &l))
		goto pass; /* not a socket: the real call reports it */
	if (l > 0 && cur[0])
		goto pass; /* bound already */
	int dom = 0, proto = 0;
	l = sizeof dom;
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &dom, &l) || (dom != AF_INET && dom != AF_INET6))
		goto pass;
	l = sizeof proto;
	getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &l);

	struct sockaddr_storage local;
	int exc;
	if (dst) {
		exc = ipnb_excepted(&policy, proto, dst, dlen);
	} else {
		socklen_t ll = sizeof local;
		if (getsockname(fd, (struct sockaddr *)&local, &ll))
			goto pass;
		exc = ipnb_excepted_local(&policy, proto, (struct sockaddr *)&local, ll);
	}
	if (exc) {
		if (debug)
			say("ipn-bind: %s on fd %d: exception, normal route\n", why, fd);
		goto pass;
	}
	if (dev_error) {
		errno = dev_error;
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, policy.device, strlen(policy.device) + 1))
		return -1;
	if (debug)
		say("ipn-bind: %s on fd %d: bound to %s\n", why, fd, policy.device);
	errno = saved;
	return 0;
pass:
	errno = saved;
	return 0;
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	if (addr && maybe_bind(fd, addr, len, "connect"))
		return -1;
	return REAL(connect)(fd, addr, len);
}

ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *addr,
	       socklen_t len)
{
	if (addr && maybe_bind(fd, addr, len, "sendto"))
		return -1;
	return REAL(sendto)(fd, buf, n, flags, addr, len);
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	if (msg && msg->msg_name && maybe_bind(fd, msg->msg_name, msg->msg_namelen, "sendmsg"))
		return -1;
	return REAL(sendmsg)(fd, msg, flags);
}

int sendmmsg(int fd, struct mmsghdr *v, unsigned int n, int flags)
{
	/* One socket, one device: the first message's destination decides. */
	if (v && n && v[0].msg_hdr.msg_name &&
	    maybe_bind(fd, v[0].msg_hdr.msg_name, v[0].msg_hdr.msg_namelen, "sendmmsg"))
		return -1;
	return REAL(sendmmsg)(fd, v, n, flags);
}

int listen(int fd, int backlog)
{
	if (maybe_bind(fd, NULL, 0, "listen"))
		return -1;
	return REAL(listen)(fd, backlog);
}
