/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The kernel backend: networks of kmod/ipn.ko through AF_IPN sockets.
 *
 * A network made here outlives the context: it is persistent when asked,
 * otherwise it lingers (IPN_NET_LINGER) the way the user engine keeps a
 * network: until a member has joined and the last port left. Its node is
 * the path itself (a socket inode); owner, group and mode are the node's.
 * Every call finds the network by name in the module's listing and
 * attaches a socket to it for the call only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "kernel.h"
#include "netcfg.h"

static int k_close(ipn_ctx *ctx)
{
	struct kern *k = K(ctx);
	close(k->ls);
	free(k);
	return 0;
}

static int k_shutdown(ipn_ctx *ctx)
{
	return ctx_fail(ctx, -EOPNOTSUPP,
			"the kernel backend has no engine to stop (networks end with rmmod ipn)");
}

/* Does a live network (or an AF_UNIX server) answer at path? */
static bool served(int family, const char *path)
{
	struct sockaddr_un sun;
	socklen_t len = kernel_addr(family, path, &sun);
	int how = IPN_ATTACH_READ, s = kernel_socket(family);
	bool up = false;
	if (s >= 0 && len) {
		setsockopt(s, SOL_IPN, IPN_SO_ATTACH, &how, sizeof(how));
		up = bind(s, (struct sockaddr *)&sun, len) == 0 || errno == EACCES;
	}
	if (s >= 0)
		close(s);
	for (int type = SOCK_STREAM; !up && type <= SOCK_DGRAM; type++) {
		s = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
		len = kernel_addr(AF_UNIX, path, &sun);
		if (s < 0 || !len) {
			if (s >= 0)
				close(s);
			continue;
		}
		up = connect(s, (struct sockaddr *)&sun, len) == 0 || errno == EPROTOTYPE;
		close(s);
	}
	return up;
}

/* A node left at path by a network that ended is removed, like the engine's stale directories. */
static int clear_path(ipn_ctx *ctx, int family, const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : ctx_fail(ctx, -errno, "cannot inspect the path");
	if (!S_ISSOCK(st.st_mode))
		return ctx_fail(ctx, -EEXIST, "path exists and is not a network's node");
	if (served(family, path))
		return ctx_fail(ctx, -EEXIST, "another network serves this path");
	if (unlink(path) < 0 && errno != ENOENT)
		return ctx_fail(ctx, -errno, "cannot remove the stale node at the path");
	return 0;
}

static int unique(ipn_ctx *ctx, const struct ipn_net_config *cfg)
{
	struct ipn_netent *all;
	int n = kernel_netlist(ctx, K(ctx)->ls, &all), rc = 0;
	if (n < 0)
		return n;
	for (int i = 0; i < n && !rc; i++) {
		if (!strcmp(all[i].conf.name, cfg->name))
			rc = ctx_fail(ctx, -EEXIST, "a network with this name exists");
		else if (!strcmp(all[i].path, cfg->path))
			rc = ctx_fail(ctx, -EEXIST, "another network serves this path");
	}
	free(all);
	return rc;
}

/* Node owner, group and mode as configured; members follow (IPN_SO_RECHECK). */
static int set_access(ipn_ctx *ctx, int s, const char *path, uint32_t uid, uint32_t gid,
		      uint32_t mode, bool recheck)
{
	struct stat st;
	if (lstat(path, &st) < 0 || !S_ISSOCK(st.st_mode))
		return ctx_fail(ctx, -ENOENT, "the network's node is gone");
	bool owner = st.st_uid != uid || st.st_gid != gid, bits = (st.st_mode & 07777) != mode;
	if (owner && lchown(path, uid, gid) < 0)
		return ctx_fail(ctx, -errno, "cannot give the node to %u:%u: %s", uid, gid, strerror(errno));
	if (bits && chmod(path, mode) < 0)
		return ctx_fail(ctx, -errno, "cannot set the node's mode: %s", strerror(errno));
	int one = 1;
	if (recheck && (owner || bits) && setsockopt(s, SOL_IPN, IPN_SO_RECHECK, &one, sizeof(one)) < 0)
		return ctx_fail(ctx, -errno, "cannot re-evaluate the members' rights: %s", strerror(errno));
	return 0;
}

/* A non-persistent network lingers: it outlives this call until its members came and left. */
static uint32_t kflags(uint32_t flags)
{
	flags &= IPN_NET_LOSSLESS | IPN_NET_PERSISTENT;
	return flags | (flags & IPN_NET_PERSISTENT ? 0 : IPN_NET_LINGER);
}

static int k_net_create(ipn_ctx *ctx, const struct ipn_net_config *cfg)
{
	struct kern *k = K(ctx);
	const char *why = NULL;
	int rc = kernel_check_config(cfg, &why);
	if (rc < 0)
		return ctx_fail(ctx, rc, "%s", why);
	if ((rc = unique(ctx, cfg)) < 0 || (rc = clear_path(ctx, k->family, cfg->path)) < 0)
		return rc;
	struct ipn_netconf nc;
	memset(&nc, 0, sizeof(nc));
	nc.policy = cfg->policy;
	nc.max_ports = cfg->max_ports;
	nc.mtu = cfg->mtu;
	nc.queue = cfg->queue;
	nc.flags = kflags(cfg->flags) | IPN_NET_EXCL;
	nc.mode = 0; /* no rights until set_access: exact, whatever the umask */
	nc.ageing_s = cfg->ageing_s ? cfg->ageing_s : IPN_DEFAULT_AGEING;
	if (cfg->policy == IPN_POLICY_CONCAST)
		nc.concast = cfg->concast;
	memcpy(nc.name, cfg->name, sizeof(nc.name));
	memcpy(nc.owner, cfg->owner, sizeof(nc.owner));
	struct sockaddr_un sun;
	socklen_t len = kernel_addr(k->family, cfg->path, &sun);
	int s = kernel_socket(k->family);
	if (s < 0)
		return ctx_fail(ctx, s, "cannot open an AF_IPN socket: %s", strerror(-s));
	if (setsockopt(s, SOL_IPN, IPN_SO_NETCONF, &nc, sizeof(nc)) < 0) {
		rc = ctx_fail(ctx, -errno, "the kernel module refused these settings: %s", strerror(errno));
	} else if (bind(s, (struct sockaddr *)&sun, len) < 0) {
		int e = errno;
		rc = ctx_fail(ctx, -e, "%s", e == EPERM ? "creating networks needs root (CAP_NET_ADMIN)"
				 : e == EEXIST ? "a network with this name or path exists"
				 : e == ENOENT ? "the path's parent directory does not exist"
				 : e == EADDRINUSE ? "something already serves this path"
				 : strerror(e));
	} else if ((rc = set_access(ctx, s, cfg->path, cfg->uid, cfg->gid, cfg->mode, false)) < 0) {
		int one = 1;
		setsockopt(s, SOL_IPN, IPN_SO_DESTROY, &one, sizeof(one));
		unlink(cfg->path);
	}
	close(s);
	return rc;
}

static int k_net_update(ipn_ctx *ctx, const struct ipn_net_config *cfg)
{
	struct kern *k = K(ctx);
	struct ipn_netent e;
	const char *why = NULL;
	if (!memchr(cfg->name, 0, sizeof(cfg->name)) || !memchr(cfg->path, 0, sizeof(cfg->path)))
		return ctx_fail(ctx, -EINVAL, "unterminated name or path");
	int rc = kernel_find(ctx, k->ls, cfg->name, &e);
	if (rc < 0)
		return rc;
	if (cfg->path[0] && strcmp(cfg->path, e.path))
		return ctx_fail(ctx, -EINVAL, "path cannot change (replace the network)");
	if (cfg->policy && cfg->policy != e.conf.policy)
		return ctx_fail(ctx, -EINVAL, "policy cannot change (replace the network)");
	static const struct ipn_concast_spec zero;
	if (memcmp(&cfg->concast, &zero, sizeof(zero)) &&
	    memcmp(&cfg->concast, &e.conf.concast, sizeof(zero)))
		return ctx_fail(ctx, -EINVAL, "the concast spec cannot change (replace the network)");
	if ((rc = netcfg_check_mutable(cfg, &why)) < 0)
		return ctx_fail(ctx, rc, "%s", why);
	if (e.conf.policy == IPN_POLICY_CONCAST) {
		struct ipn_net_config probe = *cfg;
		probe.policy = IPN_POLICY_CONCAST;
		probe.concast = e.conf.concast;
		memcpy(probe.path, e.path, sizeof(probe.path));
		if (kernel_check_config(&probe, &why) < 0)
			return ctx_fail(ctx, -EINVAL, "the concast fields must stay within the MTU");
	}
	int s = kernel_attach(ctx, k->family, &e, IPN_ATTACH_MANAGE);
	if (s < 0)
		return s;
	struct ipn_netconf nc;
	socklen_t l = sizeof(nc);
	if (getsockopt(s, SOL_IPN, IPN_SO_NETCONF, &nc, &l) < 0) {
		rc = ctx_fail(ctx, -errno, "cannot read the network's settings: %s", strerror(errno));
		goto out;
	}
	nc.max_ports = cfg->max_ports;
	nc.mtu = cfg->mtu;
	nc.queue = cfg->queue;
	nc.flags = kflags(cfg->flags);
	nc.ageing_s = cfg->ageing_s ? cfg->ageing_s : IPN_DEFAULT_AGEING;
	memcpy(nc.owner, cfg->owner, sizeof(nc.owner));
	if (setsockopt(s, SOL_IPN, IPN_SO_NETCONF, &nc, sizeof(nc)) < 0) {
		int err = errno;
		if (err == EADDRINUSE)
			rc = ctx_fail(ctx, -EBUSY, "a port above the new port count is in use");
		else if (err == EPERM)
			rc = ctx_fail(ctx, -EPERM, "a persistent network needs root (CAP_NET_ADMIN)");
		else
			rc = ctx_fail(ctx, -err, "the kernel module refused these settings: %s", strerror(err));
		goto out;
	}
	rc = set_access(ctx, s, e.path, cfg->uid, cfg->gid, cfg->mode, true);
out:
	close(s);
	return rc;
}

static int k_net_destroy(ipn_ctx *ctx, const char *name)
{
	struct kern *k = K(ctx);
	struct ipn_netent e;
	int rc = kernel_find(ctx, k->ls, name, &e);
	if (rc < 0)
		return rc;
	int s = kernel_attach(ctx, k->family, &e, IPN_ATTACH_MANAGE), one = 1;
	if (s < 0)
		return s;
	if (setsockopt(s, SOL_IPN, IPN_SO_DESTROY, &one, sizeof(one)) < 0)
		rc = ctx_fail(ctx, -errno, "cannot destroy the network: %s", strerror(errno));
	close(s);
	/* the node stays behind a destroyed network, as a directory would not: remove it */
	struct stat st;
	if (rc == 0 && lstat(e.path, &st) == 0 && S_ISSOCK(st.st_mode) && !served(k->family, e.path))
		unlink(e.path);
	return rc;
}

static int k_net_list(ipn_ctx *ctx, struct ipn_net_info *out, uint32_t max)
{
	struct ipn_netent *all;
	int n = kernel_netlist(ctx, K(ctx)->ls, &all);
	if (n < 0)
		return n;
	for (int i = 0; i < n && (uint32_t)i < max; i++)
		kernel_info(&all[i], &out[i]);
	free(all);
	return n;
}

static int k_net_get(ipn_ctx *ctx, const char *name, struct ipn_net_info *out)
{
	struct ipn_netent e;
	int rc = kernel_find(ctx, K(ctx)->ls, name, &e);
	if (rc == 0)
		kernel_info(&e, out);
	return rc;
}

static const struct ipn_backend_ops kernel_ops = {
	.close = k_close,
	.shutdown = k_shutdown,
	.net_create = k_net_create,
	.net_update = k_net_update,
	.net_destroy = k_net_destroy,
	.net_list = k_net_list,
	.net_get = k_net_get,
	.vlan_set = kernel_vlan_set,
	.vlan_get = kernel_vlan_get,
	.port_list = kernel_port_list,
	.tap_add = kernel_tap_add,
	.grab_add = kernel_grab_add,
	.attach_del = kernel_attach_del,
	.flow_list = kernel_flow_list,
	.flow_get = kernel_flow_get,
	.flow_set = kernel_flow_set,
};

int backend_kernel_open(ipn_ctx *ctx, char *why, size_t cap)
{
	int family = kernel_family();
	if (family < 0) {
		snprintf(why, cap, "the ipn kernel module is not loaded (no %s); "
			 "load it (insmod ipn.ko) or use the user backend", IPN_FAMILY_PARAM);
		return family;
	}
	int ls = kernel_socket(family);
	if (ls < 0) {
		snprintf(why, cap, "cannot open an AF_IPN socket (family %d): %s", family, strerror(-ls));
		return ls;
	}
	struct kern *k = calloc(1, sizeof(*k));
	if (!k) {
		close(ls);
		return -ENOMEM;
	}
	k->family = family;
	k->ls = ls;
	ctx->priv = k;
	ctx->ops = &kernel_ops;
	return 0;
}
