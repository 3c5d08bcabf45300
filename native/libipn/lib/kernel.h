/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The kernel backend's helpers over AF_IPN sockets of kmod/ipn.ko: the
 * family in use, sockets attached to a network, listings, and the checks
 * that give a refused setting its reason before the module refuses it.
 */
#ifndef IPN_KERNEL_H
#define IPN_KERNEL_H

#include <stdbool.h>
#include <sys/socket.h>
#include "backend.h"

/* A kernel context: the family, and a socket for listings. */
struct kern {
	int family;
	int ls;
};

static inline struct kern *K(ipn_ctx *ctx)
{
	return ctx->priv;
}

/* The family the module registered; -EAFNOSUPPORT when it is not loaded. */
int kernel_family(void);
/* socket(family, SOCK_RAW | SOCK_CLOEXEC, IPN_ANY), or -errno. */
int kernel_socket(int family);
/* Fill a sockaddr_un with family and path; its length, or -ENAMETOOLONG. */
socklen_t kernel_addr(int family, const char *path, struct sockaddr_un *sun);

/*
 * Every network the caller may see (root: all; others: those it has a
 * right on), in a malloc'd array the caller frees. Returns the count.
 */
int kernel_netlist(ipn_ctx *ctx, int ls, struct ipn_netent **out);
/* The entry of network `name`; -ENOENT (explained) when none is visible. */
int kernel_find(ipn_ctx *ctx, int ls, const char *name, struct ipn_netent *out);
/*
 * A socket attached to network `e`: IPN_ATTACH_MANAGE (x right) or
 * IPN_ATTACH_READ. It is checked to be that network (not one made at the
 * same path since). Returns the socket or a negative errno (explained).
 */
int kernel_attach(ipn_ctx *ctx, int family, const struct ipn_netent *e, int how);
/*
 * A listing option (IPN_SO_PORTLIST, IPN_CONCAST_SO_FLOWS) read whole
 * into a malloc'd array of `entsize` entries; returns the count.
 */
int kernel_listing(ipn_ctx *ctx, int s, int level, int opt, size_t entsize, void **out);

/* What the ABI's networks look like, from the module's entry. */
void kernel_info(const struct ipn_netent *e, struct ipn_net_info *out);

/* kernel_ports.c: operations on one network's ports, VLANs and flows */
int kernel_vlan_set(ipn_ctx *ctx, const char *net, const struct ipn_port_vlan *v);
int kernel_vlan_get(ipn_ctx *ctx, const char *net, uint32_t port, struct ipn_port_vlan *out);
int kernel_port_list(ipn_ctx *ctx, const char *net, struct ipn_port_info *out, uint32_t max);
int kernel_tap_add(ipn_ctx *ctx, const char *net, const char *ifname, int32_t port);
int kernel_grab_add(ipn_ctx *ctx, const char *net, const char *ifname, int32_t port);
int kernel_attach_del(ipn_ctx *ctx, const char *net, const char *ifname);
int kernel_flow_list(ipn_ctx *ctx, const char *net, struct ipn_flow *out, uint32_t max);
int kernel_flow_get(ipn_ctx *ctx, const char *net, uint64_t key, struct ipn_flow *out);
int kernel_flow_set(ipn_ctx *ctx, const char *net, const struct ipn_flow *flow);

/* Checks with the reasons the user engine gives (kernel_check.c). */
int kernel_check_config(const struct ipn_net_config *c, const char **why);
int kernel_check_vlan(const struct ipn_port_vlan *v, uint32_t max_ports, const char **why);

#endif
