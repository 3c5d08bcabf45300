// SPDX-License-Identifier: GPL-2.0
#include "libt.h"
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

ipn_ctx *ctx;

int lt_open(void)
{
	int rc = ipn_open(IPN_BACKEND_AUTO, NULL, &ctx);

	return rc < 0 ? rc : ipn_ctx_backend(ctx);
}

const char *lt_path(const char *name)
{
	static char buf[8][108];
	static int i, pid;
	char *p = buf[i++ % 8];

	if (!pid)
		pid = getpid(); /* the test's, also in its children */
	snprintf(p, 108, "/tmp/ipnl.%d.%s", pid, name);
	return p;
}

void lt_cfg(struct ipn_net_config *c, const char *name, int policy)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	c->policy = policy;
	c->max_ports = 32;
	c->mtu = 1514;
	c->queue = 256;
	c->mode = 0660;
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->path, sizeof(c->path), "%s", lt_path(name));
	if (policy == IPN_POLICY_CONCAST) {
		c->concast.receiver_port = -1;
		c->concast.output = IPN_CONCAST_OUT_MESSAGE;
	}
}

int lt_net(const char *name, int policy)
{
	struct ipn_net_config c;

	lt_cfg(&c, name, policy);
	return ipn_net_create(ctx, &c);
}

const char *lt_why(void)
{
	static char why[200];

	why[0] = 0;
	ipn_last_error(ctx, why, sizeof(why));
	return why;
}

int lt_err(int rc, int want, const char *text)
{
	const char *why = lt_why();
	int good = rc == want && strstr(why, text);

	if (!good)
		diag("  rc %d (want %d), '%s' (want '%s')", rc, want, why, text);
	return good;
}

static int info(const char *net, struct ipn_net_info *i)
{
	return ipn_net_get(ctx, net, i);
}

uint64_t lt_drops(const char *net, int reason)
{
	struct ipn_net_info i;

	return info(net, &i) ? (uint64_t)-1 : i.stats.drops[reason];
}

uint64_t lt_tx(const char *net)
{
	struct ipn_net_info i;

	return info(net, &i) ? (uint64_t)-1 : i.stats.tx_frames;
}

int lt_members(const char *net)
{
	struct ipn_net_info i;

	return info(net, &i) ? -1 : (int)i.members;
}

const struct ipn_port_info *lt_port(const char *net, uint32_t port)
{
	static struct ipn_port_info p[64];
	int n = ipn_port_list(ctx, net, p, 64), i;

	for (i = 0; i < n && i < 64; i++)
		if (p[i].port == port)
			return &p[i];
	return NULL;
}

ipn_member *lt_join(const char *net, uint32_t flags)
{
	struct ipn_net_info i;
	ipn_member *m;
	int rc;

	if (ipn_net_get(ctx, net, &i) < 0) {
		errno = ENOENT;
		return NULL;
	}
	rc = ipn_join(i.cfg.path, flags | IPN_JOIN_NONBLOCK, &m);
	if (rc < 0) {
		errno = -rc;
		return NULL;
	}
	return m;
}

ssize_t lt_recv(ipn_member *m, void *buf, size_t cap, int ms)
{
	uint64_t end = now_ms() + ms;

	for (;;) {
		ssize_t r = ipn_recv(m, buf, cap);
		int64_t left = (int64_t)(end - now_ms());
		struct pollfd p = { ipn_member_fd(m), POLLIN, 0 };

		if (r != -EAGAIN || left <= 0)
			return r;
		poll(&p, 1, (int)left);
	}
}

int lt_quiet(ipn_member *m)
{
	char b[9216];

	return lt_recv(m, b, sizeof(b), 150) == -EAGAIN;
}

int lt_drain(ipn_member *m)
{
	char b[9216];
	int n = 0;

	while (lt_recv(m, b, sizeof(b), 50) >= 0)
		n++;
	return n;
}
