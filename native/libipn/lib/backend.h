/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A context dispatches every control call to its backend: backend_user.c
 * (the ipn-engine process) or backend_kernel.c (AF_IPN sockets of the
 * kernel module). ctx.c validates arguments and serialises calls; backends only
 * implement.
 */
#ifndef IPN_BACKEND_H
#define IPN_BACKEND_H

#include <pthread.h>
#include "ipn.h"

#define IPN_ERR_MAX 160

struct ipn_backend_ops {
	int (*close)(ipn_ctx *ctx);
	int (*shutdown)(ipn_ctx *ctx);
	int (*net_create)(ipn_ctx *ctx, const struct ipn_net_config *cfg);
	int (*net_update)(ipn_ctx *ctx, const struct ipn_net_config *cfg);
	int (*net_destroy)(ipn_ctx *ctx, const char *name);
	int (*net_list)(ipn_ctx *ctx, struct ipn_net_info *out, uint32_t max);
	int (*net_get)(ipn_ctx *ctx, const char *name, struct ipn_net_info *out);
	int (*vlan_set)(ipn_ctx *ctx, const char *net, const struct ipn_port_vlan *v);
	int (*vlan_get)(ipn_ctx *ctx, const char *net, uint32_t port, struct ipn_port_vlan *out);
	int (*port_list)(ipn_ctx *ctx, const char *net, struct ipn_port_info *out, uint32_t max);
	int (*tap_add)(ipn_ctx *ctx, const char *net, const char *ifname, int32_t port);
	int (*grab_add)(ipn_ctx *ctx, const char *net, const char *ifname, int32_t port);
	int (*attach_del)(ipn_ctx *ctx, const char *net, const char *ifname);
	int (*flow_list)(ipn_ctx *ctx, const char *net, struct ipn_flow *out, uint32_t max);
	int (*flow_get)(ipn_ctx *ctx, const char *net, uint64_t key, struct ipn_flow *out);
	int (*flow_set)(ipn_ctx *ctx, const char *net, const struct ipn_flow *flow);
};

struct ipn_ctx {
	const struct ipn_backend_ops *ops;
	uint32_t backend;
	pthread_mutex_t lock;
	char error[IPN_ERR_MAX];
	void *priv;
};

/* Record why the current call failed (printf-style); returns err. */
int ctx_fail(ipn_ctx *ctx, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

int backend_user_open(ipn_ctx *ctx, const char *rundir, char *why, size_t cap);
/* backend_kernel.c: AF_IPN sockets of kmod/ipn.ko; fails when it is not loaded. */
int backend_kernel_open(ipn_ctx *ctx, char *why, size_t cap);

/* spawn.c: start ipn-engine for `rundir`; fills why on failure. */
int spawn_engine(const char *rundir, char *why, size_t cap);

#endif
