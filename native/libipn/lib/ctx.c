/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The public control entry points: check arguments, pick the backend,
 * serialise calls on a context, keep the last error's explanation.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "backend.h"

int ctx_fail(ipn_ctx *ctx, int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ctx->error, sizeof(ctx->error), fmt, ap);
	va_end(ap);
	return err;
}

/* Why the last ipn_open() failed (there is no context yet). Process-wide:
 * FFI callers may open on one thread and ask on another. */
static char open_error[IPN_ERR_MAX];
static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;

static bool kernel_module_loaded(void)
{
	return access("/sys/module/ipn", F_OK) == 0;
}

static int open_ctx(uint32_t backend, const char *rundir, ipn_ctx **out)
{
	open_error[0] = 0;
	if (!out)
		return -EINVAL;
	*out = NULL;
	if (backend > IPN_BACKEND_KERNEL) {
		snprintf(open_error, sizeof(open_error), "unknown backend %u", backend);
		return -EINVAL;
	}
	if (rundir && (rundir[0] != '/' || strlen(rundir) > IPN_PATH_MAX - 16)) {
		snprintf(open_error, sizeof(open_error), "rundir must be an absolute path of at most %d bytes",
			 IPN_PATH_MAX - 16);
		return -EINVAL;
	}
	if (backend == IPN_BACKEND_AUTO)
		backend = kernel_module_loaded() ? IPN_BACKEND_KERNEL : IPN_BACKEND_USER;
	ipn_ctx *ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	pthread_mutex_init(&ctx->lock, NULL);
	ctx->backend = backend;
	int rc = backend == IPN_BACKEND_KERNEL
			 ? backend_kernel_open(ctx, open_error, sizeof(open_error))
			 : backend_user_open(ctx, rundir ? rundir : "/run/ipn", open_error, sizeof(open_error));
	if (rc < 0) {
		pthread_mutex_destroy(&ctx->lock);
		free(ctx);
		return rc;
	}
	*out = ctx;
	return 0;
}

int ipn_open(uint32_t backend, const char *rundir, ipn_ctx **out)
{
	pthread_mutex_lock(&open_lock);
	int rc = open_ctx(backend, rundir, out);
	pthread_mutex_unlock(&open_lock);
	return rc;
}

int ipn_close(ipn_ctx *ctx)
{
	if (!ctx)
		return -EINVAL;
	int rc = ctx->ops->close(ctx);
	pthread_mutex_destroy(&ctx->lock);
	free(ctx);
	return rc;
}

int ipn_ctx_backend(ipn_ctx *ctx)
{
	return ctx ? (int)ctx->backend : -EINVAL;
}

int ipn_last_error(ipn_ctx *ctx, char *buf, uint32_t cap)
{
	if (!buf && cap)
		return -EINVAL;
	if (!ctx) {
		pthread_mutex_lock(&open_lock);
		if (cap)
			snprintf(buf, cap, "%s", open_error);
		int n = (int)strlen(open_error);
		pthread_mutex_unlock(&open_lock);
		return n;
	}
	pthread_mutex_lock(&ctx->lock);
	int n = (int)strlen(ctx->error);
	if (cap)
		snprintf(buf, cap, "%s", ctx->error);
	pthread_mutex_unlock(&ctx->lock);
	return n;
}

static bool str_ok(const char *s, size_t cap)
{
	return s && memchr(s, 0, cap) != NULL && *s;
}

/* Run a backend call under the context lock with a fresh error slot. */
#define CALL(ctx, expr)                                  \
	do {                                             \
		pthread_mutex_lock(&(ctx)->lock);         \
		(ctx)->error[0] = 0;                      \
		int rc_ = (expr);                         \
		pthread_mutex_unlock(&(ctx)->lock);       \
		return rc_;                               \
	} while (0)

#define NEED(cond, ctx, msg)                                              \
	do {                                                              \
		if (!(ctx))                                               \
			return -EINVAL;                                   \
		if (!(cond)) {                                            \
			pthread_mutex_lock(&(ctx)->lock);                 \
			int rc_ = ctx_fail((ctx), -EINVAL, "%s", (msg));  \
			pthread_mutex_unlock(&(ctx)->lock);               \
			return rc_;                                       \
		}                                                         \
	} while (0)

int ipn_shutdown(ipn_ctx *ctx)
{
	NEED(1, ctx, "");
	CALL(ctx, ctx->ops->shutdown(ctx));
}

int ipn_net_create(ipn_ctx *ctx, const struct ipn_net_config *cfg)
{
	NEED(cfg && cfg->size == sizeof(*cfg), ctx, "config missing or of the wrong size");
	CALL(ctx, ctx->ops->net_create(ctx, cfg));
}

int ipn_net_update(ipn_ctx *ctx, const struct ipn_net_config *cfg)
{
	NEED(cfg && cfg->size == sizeof(*cfg), ctx, "config missing or of the wrong size");
	CALL(ctx, ctx->ops->net_update(ctx, cfg));
}

int ipn_net_destroy(ipn_ctx *ctx, const char *name)
{
	NEED(str_ok(name, IPN_NAME_MAX), ctx, "network name missing or too long");
	CALL(ctx, ctx->ops->net_destroy(ctx, name));
}

int ipn_net_list(ipn_ctx *ctx, struct ipn_net_info *out, uint32_t max)
{
	NEED(out || !max, ctx, "no buffer");
	CALL(ctx, ctx->ops->net_list(ctx, out, max));
}

int ipn_net_get(ipn_ctx *ctx, const char *name, struct ipn_net_info *out)
{
	NEED(str_ok(name, IPN_NAME_MAX) && out, ctx, "network name or buffer missing");
	CALL(ctx, ctx->ops->net_get(ctx, name, out));
}

int ipn_vlan_set(ipn_ctx *ctx, const char *net, const struct ipn_port_vlan *v)
{
	NEED(str_ok(net, IPN_NAME_MAX) && v, ctx, "network name or vlan missing");
	CALL(ctx, ctx->ops->vlan_set(ctx, net, v));
}

int ipn_vlan_get(ipn_ctx *ctx, const char *net, uint32_t port, struct ipn_port_vlan *out)
{
	NEED(str_ok(net, IPN_NAME_MAX) && out && port <= IPN_PORTS_MAX, ctx,
	     "network name or buffer missing, or port out of range");
	CALL(ctx, ctx->ops->vlan_get(ctx, net, port, out));
}

int ipn_port_list(ipn_ctx *ctx, const char *net, struct ipn_port_info *out, uint32_t max)
{
	NEED(str_ok(net, IPN_NAME_MAX) && (out || !max), ctx, "network name or buffer missing");
	CALL(ctx, ctx->ops->port_list(ctx, net, out, max));
}

int ipn_tap_add(ipn_ctx *ctx, const char *net, const char *ifname, int32_t port)
{
	NEED(str_ok(net, IPN_NAME_MAX) && str_ok(ifname, IPN_IFNAME_MAX), ctx,
	     "network or interface name missing or too long");
	CALL(ctx, ctx->ops->tap_add(ctx, net, ifname, port));
}

int ipn_grab_add(ipn_ctx *ctx, const char *net, const char *ifname, int32_t port)
{
	NEED(str_ok(net, IPN_NAME_MAX) && str_ok(ifname, IPN_IFNAME_MAX), ctx,
	     "network or interface name missing or too long");
	CALL(ctx, ctx->ops->grab_add(ctx, net, ifname, port));
}

int ipn_attach_del(ipn_ctx *ctx, const char *net, const char *ifname)
{
	NEED(str_ok(net, IPN_NAME_MAX) && str_ok(ifname, IPN_IFNAME_MAX), ctx,
	     "network or interface name missing or too long");
	CALL(ctx, ctx->ops->attach_del(ctx, net, ifname));
}

int ipn_flow_list(ipn_ctx *ctx, const char *net, struct ipn_flow *out, uint32_t max)
{
	NEED(str_ok(net, IPN_NAME_MAX) && (out || !max), ctx, "network name or buffer missing");
	CALL(ctx, ctx->ops->flow_list(ctx, net, out, max));
}

int ipn_flow_get(ipn_ctx *ctx, const char *net, uint64_t key, struct ipn_flow *out)
{
	NEED(str_ok(net, IPN_NAME_MAX) && out, ctx, "network name or buffer missing");
	CALL(ctx, ctx->ops->flow_get(ctx, net, key, out));
}

int ipn_flow_set(ipn_ctx *ctx, const char *net, const struct ipn_flow *flow)
{
	NEED(str_ok(net, IPN_NAME_MAX) && flow, ctx, "network name or flow missing");
	CALL(ctx, ctx->ops->flow_set(ctx, net, flow));
}
