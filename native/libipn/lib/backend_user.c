/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The user backend: requests to ipn-engine over RUNDIR/engine.ctl, starting
 * the engine when nothing answers there.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "backend.h"
#include "unix_dial.h"
#include "ctl_proto.h"

#define REPLY_TIMEOUT_MS 30000

struct user {
	int fd;
	uint32_t seq;
	char rundir[IPN_PATH_MAX];
	uint8_t *buf; /* IPNC_MSG_MAX */
};

static struct user *U(ipn_ctx *ctx)
{
	return ctx->priv;
}

static int dial(const char *rundir)
{
	return unix_dial(rundir, "engine.ctl", SOCK_SEQPACKET);
}

/* One request, one reply; the reply lands in u->buf. */
static int roundtrip(ipn_ctx *ctx, struct ipnc_req *rq)
{
	struct user *u = U(ctx);
	if (u->fd < 0)
		return ctx_fail(ctx, -ENOTCONN, "not connected to the engine");
	rq->magic = IPNC_MAGIC;
	rq->version = IPNC_VERSION;
	rq->seq = ++u->seq;
	if (send(u->fd, rq, sizeof(*rq), MSG_NOSIGNAL) != (ssize_t)sizeof(*rq))
		return ctx_fail(ctx, -ECONNRESET, "the engine went away (%s)", strerror(errno));
	struct pollfd pfd = {u->fd, POLLIN, 0};
	int r = poll(&pfd, 1, REPLY_TIMEOUT_MS);
	if (r == 0)
		return ctx_fail(ctx, -ETIMEDOUT, "the engine did not answer");
	ssize_t n = recv(u->fd, u->buf, IPNC_MSG_MAX, 0);
	if (n <= 0)
		return ctx_fail(ctx, -ECONNRESET, "the engine went away");
	struct ipnc_rep *rp = (struct ipnc_rep *)u->buf;
	if ((size_t)n < sizeof(*rp) || rp->magic != IPNC_MAGIC || rp->seq != rq->seq)
		return ctx_fail(ctx, -EPROTO, "garbled reply from the engine");
	if (rp->result < 0) {
		rp->error[sizeof(rp->error) - 1] = 0;
		return ctx_fail(ctx, rp->result, "%s", rp->error[0] ? rp->error : strerror(-rp->result));
	}
	return rp->result;
}

static const void *items(ipn_ctx *ctx)
{
	return U(ctx)->buf + sizeof(struct ipnc_rep);
}

static const struct ipnc_rep *rep(ipn_ctx *ctx)
{
	return (const struct ipnc_rep *)U(ctx)->buf;
}

static void req_init(struct ipnc_req *rq, uint16_t op, const char *net)
{
	memset(rq, 0, sizeof(*rq));
	rq->op = op;
	if (net)
		snprintf(rq->net, sizeof(rq->net), "%s", net);
}

/* Page through a list reply into out[max]; returns how many exist. */
static int list(ipn_ctx *ctx, uint16_t op, const char *net, void *out, uint32_t max, size_t item)
{
	uint32_t got = 0;
	for (;;) {
		struct ipnc_req rq;
		req_init(&rq, op, net);
		rq.offset = got;
		int rc = roundtrip(ctx, &rq);
		if (rc < 0)
			return rc;
		const struct ipnc_rep *rp = rep(ctx);
		uint32_t n = rp->count;
		if ((size_t)n * item > IPNC_MSG_MAX - sizeof(*rp))
			return ctx_fail(ctx, -EPROTO, "garbled list reply from the engine");
		if (n > max - got)
			n = max - got;
		memcpy((char *)out + (size_t)got * item, items(ctx), n * item);
		got += n;
		if (got >= max || got >= rp->total || rp->count == 0)
			return (int)rp->total;
	}
}

static int u_close(ipn_ctx *ctx)
{
	struct user *u = U(ctx);
	if (u->fd >= 0)
		close(u->fd);
	free(u->buf);
	free(u);
	return 0;
}

static int u_shutdown(ipn_ctx *ctx)
{
	struct ipnc_req rq;
	req_init(&rq, IPNC_SHUTDOWN, NULL);
	int rc = roundtrip(ctx, &rq);
	if (rc < 0)
		return rc;
	/* wait until the engine has gone: its end of our connection closes */
	struct pollfd pfd = {U(ctx)->fd, POLLIN, 0};
	char b;
	while (poll(&pfd, 1, REPLY_TIMEOUT_MS) > 0 && recv(U(ctx)->fd, &b, 1, 0) > 0) {
	}
	return 0;
}

static int with_cfg(ipn_ctx *ctx, uint16_t op, const struct ipn_net_config *cfg)
{
	struct ipnc_req rq;
	req_init(&rq, op, NULL);
	rq.u.cfg = *cfg;
	return roundtrip(ctx, &rq);
}

static int u_net_create(ipn_ctx *ctx, const struct ipn_net_config *cfg)
{
	return with_cfg(ctx, IPNC_NET_CREATE, cfg);
}

static int u_net_update(ipn_ctx *ctx, const struct ipn_net_config *cfg)
{
	return with_cfg(ctx, IPNC_NET_UPDATE, cfg);
}

static int simple(ipn_ctx *ctx, uint16_t op, const char *net, const char *ifname, int32_t port)
{
	struct ipnc_req rq;
	req_init(&rq, op, net);
	if (ifname)
		snprintf(rq.ifname, sizeof(rq.ifname), "%s", ifname);
	rq.port = port;
	return roundtrip(ctx, &rq);
}

static int u_net_destroy(ipn_ctx *ctx, const char *name)
{
	return simple(ctx, IPNC_NET_DESTROY, name, NULL, 0);
}

static int u_net_list(ipn_ctx *ctx, struct ipn_net_info *out, uint32_t max)
{
	return list(ctx, IPNC_NET_LIST, NULL, out, max, sizeof(*out));
}

/* A single-item reply copied to out. */
static int one(ipn_ctx *ctx, int rc, void *out, size_t size)
{
	if (rc < 0)
		return rc;
	if (rep(ctx)->count != 1)
		return ctx_fail(ctx, -EPROTO, "garbled reply from the engine");
	memcpy(out, items(ctx), size);
	return rc;
}

static int u_net_get(ipn_ctx *ctx, const char *name, struct ipn_net_info *out)
{
	return one(ctx, simple(ctx, IPNC_NET_GET, name, NULL, 0), out, sizeof(*out));
}

static int u_vlan_set(ipn_ctx *ctx, const char *net, const struct ipn_port_vlan *v)
{
	struct ipnc_req rq;
	req_init(&rq, IPNC_VLAN_SET, net);
	rq.u.vlan = *v;
	return roundtrip(ctx, &rq);
}

static int u_vlan_get(ipn_ctx *ctx, const char *net, uint32_t port, struct ipn_port_vlan *out)
{
	return one(ctx, simple(ctx, IPNC_VLAN_GET, net, NULL, (int32_t)port), out, sizeof(*out));
}

static int u_port_list(ipn_ctx *ctx, const char *net, struct ipn_port_info *out, uint32_t max)
{
	return list(ctx, IPNC_PORT_LIST, net, out, max, sizeof(*out));
}

static int u_tap_add(ipn_ctx *ctx, const char *net, const char *ifname, int32_t port)
{
	return simple(ctx, IPNC_TAP_ADD, net, ifname, port);
}

static int u_grab_add(ipn_ctx *ctx, const char *net, const char *ifname, int32_t port)
{
	return simple(ctx, IPNC_GRAB_ADD, net, ifname, port);
}

static int u_attach_del(ipn_ctx *ctx, const char *net, const char *ifname)
{
	return simple(ctx, IPNC_ATTACH_DEL, net, ifname, 0);
}

static int u_flow_list(ipn_ctx *ctx, const char *net, struct ipn_flow *out, uint32_t max)
{
	return list(ctx, IPNC_FLOW_LIST, net, out, max, sizeof(*out));
}

static int u_flow_get(ipn_ctx *ctx, const char *net, uint64_t key, struct ipn_flow *out)
{
	struct ipnc_req rq;
	req_init(&rq, IPNC_FLOW_GET, net);
	rq.key = key;
	return one(ctx, roundtrip(ctx, &rq), out, sizeof(*out));
}

static int u_flow_set(ipn_ctx *ctx, const char *net, const struct ipn_flow *flow)
{
	struct ipnc_req rq;
	req_init(&rq, IPNC_FLOW_SET, net);
	rq.u.flow = *flow;
	return roundtrip(ctx, &rq);
}

static const struct ipn_backend_ops user_ops = {
	.close = u_close,
	.shutdown = u_shutdown,
	.net_create = u_net_create,
	.net_update = u_net_update,
	.net_destroy = u_net_destroy,
	.net_list = u_net_list,
	.net_get = u_net_get,
	.vlan_set = u_vlan_set,
	.vlan_get = u_vlan_get,
	.port_list = u_port_list,
	.tap_add = u_tap_add,
	.grab_add = u_grab_add,
	.attach_del = u_attach_del,
	.flow_list = u_flow_list,
	.flow_get = u_flow_get,
	.flow_set = u_flow_set,
};

int backend_user_open(ipn_ctx *ctx, const char *rundir, char *why, size_t cap)
{
	struct user *u = calloc(1, sizeof(*u));
	if (!u || !(u->buf = malloc(IPNC_MSG_MAX))) {
		free(u);
		return -ENOMEM;
	}
	snprintf(u->rundir, sizeof(u->rundir), "%s", rundir);
	u->fd = -1;
	ctx->priv = u;
	ctx->ops = &user_ops;
	/* An engine that is exiting (idle) may refuse or drop us: start one and
	 * try again, a few times. */
	int rc = -ECONNREFUSED;
	for (int attempt = 0; attempt < 4; attempt++) {
		int fd = dial(rundir);
		if (fd == -ENOENT || fd == -ECONNREFUSED) {
			rc = spawn_engine(rundir, why, cap);
			if (rc < 0)
				break;
			continue;
		}
		if (fd < 0) {
			rc = fd;
			snprintf(why, cap, "cannot reach %s/engine.ctl: %s", rundir, strerror(-fd));
			break;
		}
		u->fd = fd;
		struct ipnc_req rq;
		req_init(&rq, IPNC_HELLO, NULL);
		rc = roundtrip(ctx, &rq);
		if (rc >= 0)
			return 0;
		snprintf(why, cap, "%s", ctx->error);
		close(u->fd);
		u->fd = -1;
		if (rc != -ECONNRESET)
			break;
	}
	free(u->buf);
	free(u);
	ctx->priv = NULL;
	return rc;
}
