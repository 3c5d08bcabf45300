/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The kernel backend's helpers: family, sockets, listings, attaching. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>
#include "kernel.h"

#define LIST_PAGE 64

int kernel_family(void)
{
	char buf[16] = "";
	int fd = open(IPN_FAMILY_PARAM, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -EAFNOSUPPORT;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	int f = n > 0 ? atoi(buf) : 0;
	return f > 0 ? f : -EAFNOSUPPORT;
}

int kernel_socket(int family)
{
	int s = socket(family, SOCK_RAW | SOCK_CLOEXEC, IPN_ANY);
	return s < 0 ? -errno : s;
}

socklen_t kernel_addr(int family, const char *path, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = (sa_family_t)family;
	size_t n = strlen(path);
	if (n >= sizeof(sun->sun_path))
		return 0;
	memcpy(sun->sun_path, path, n);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
}

/* Any of r, w, x on the node, as the caller is (the engine hides the rest). */
static bool visible(const struct ipn_netent *e)
{
	if (geteuid() == 0)
		return true;
	return faccessat(AT_FDCWD, e->path, R_OK, AT_EACCESS) == 0 ||
	       faccessat(AT_FDCWD, e->path, W_OK, AT_EACCESS) == 0 ||
	       faccessat(AT_FDCWD, e->path, X_OK, AT_EACCESS) == 0;
}

int kernel_listing(ipn_ctx *ctx, int s, int level, int opt, size_t entsize, void **out)
{
	size_t room = sizeof(struct ipn_list) + LIST_PAGE * entsize;
	char *page = malloc(room);
	char *all = NULL;
	uint32_t got = 0;
	*out = NULL;
	if (!page)
		return -ENOMEM;
	for (;;) {
		struct ipn_list *h = (struct ipn_list *)page;
		memset(h, 0, sizeof(*h));
		h->start = got;
		socklen_t len = (socklen_t)room;
		if (getsockopt(s, level, opt, page, &len) < 0) {
			int e = -errno;
			free(page);
			free(all);
			return ctx_fail(ctx, e, "reading a listing from the module: %s", strerror(-e));
		}
		if (h->entsize != entsize || h->count > LIST_PAGE) {
			free(page);
			free(all);
			return ctx_fail(ctx, -EPROTO, "the module's listing does not match this library");
		}
		char *grown = realloc(all, (got + h->count) * entsize + 1);
		if (!grown) {
			free(page);
			free(all);
			return -ENOMEM;
		}
		all = grown;
		memcpy(all + got * entsize, page + sizeof(*h), h->count * entsize);
		got += h->count;
		/* entries may come and go between pages: stop at the end or when none come */
		if (got >= h->total || h->count == 0)
			break;
	}
	free(page);
	*out = all;
	return (int)got;
}

int kernel_netlist(ipn_ctx *ctx, int ls, struct ipn_netent **out)
{
	void *all;
	int n = kernel_listing(ctx, ls, SOL_IPN, IPN_SO_NETLIST, sizeof(struct ipn_netent), &all);
	if (n < 0)
		return n;
	struct ipn_netent *e = all;
	int k = 0;
	for (int i = 0; i < n; i++) {
		e[i].path[sizeof(e[i].path) - 1] = 0;
		e[i].conf.name[sizeof(e[i].conf.name) - 1] = 0;
		e[i].conf.owner[sizeof(e[i].conf.owner) - 1] = 0;
		if (visible(&e[i]))
			e[k++] = e[i];
	}
	*out = e;
	return k;
}

int kernel_find(ipn_ctx *ctx, int ls, const char *name, struct ipn_netent *out)
{
	struct ipn_netent *all;
	int n = kernel_netlist(ctx, ls, &all);
	if (n < 0)
		return n;
	int rc = ctx_fail(ctx, -ENOENT, "no such network");
	for (int i = 0; i < n; i++) {
		if (!strcmp(all[i].conf.name, name)) {
			*out = all[i];
			ctx->error[0] = 0;
			rc = 0;
			break;
		}
	}
	free(all);
	return rc;
}

int kernel_attach(ipn_ctx *ctx, int family, const struct ipn_netent *e, int how)
{
	struct sockaddr_un sun;
	socklen_t len = kernel_addr(family, e->path, &sun);
	if (!len)
		return ctx_fail(ctx, -ENAMETOOLONG, "the network's path is too long");
	int s = kernel_socket(family);
	if (s < 0)
		return ctx_fail(ctx, s, "cannot open an AF_IPN socket: %s", strerror(-s));
	int rc = 0;
	if (setsockopt(s, SOL_IPN, IPN_SO_ATTACH, &how, sizeof(how)) < 0)
		rc = ctx_fail(ctx, -errno, "this ipn module cannot attach to networks (too old?)");
	else if (bind(s, (struct sockaddr *)&sun, len) < 0) {
		int err = errno;
		if (err == EACCES && how == IPN_ATTACH_MANAGE)
			rc = ctx_fail(ctx, -EPERM, "managing this network needs the x right");
		else if (err == EACCES || err == ENOENT || err == EADDRINUSE || err == ECONNREFUSED)
			rc = ctx_fail(ctx, -ENOENT, "no such network");
		else
			rc = ctx_fail(ctx, -err, "cannot attach to %s: %s", e->path, strerror(err));
	}
	if (rc == 0) {
		/* the same network, not another one made at that path since */
		struct ipn_netent now;
		socklen_t l = sizeof(now);
		if (getsockopt(s, SOL_IPN, IPN_SO_NETINFO, &now, &l) < 0 ||
		    strncmp(now.conf.name, e->conf.name, sizeof(now.conf.name)))
			rc = ctx_fail(ctx, -ENOENT, "no such network");
	}
	if (rc < 0) {
		close(s);
		return rc;
	}
	return s;
}

void kernel_info(const struct ipn_netent *e, struct ipn_net_info *o)
{
	memset(o, 0, sizeof(*o));
	struct ipn_net_config *c = &o->cfg;
	c->size = sizeof(*c);
	c->policy = e->conf.policy;
	c->max_ports = e->conf.max_ports;
	c->mtu = e->conf.mtu;
	c->queue = e->conf.queue;
	/* IPN_NET_LINGER is how a network outlives the context: not a setting */
	c->flags = e->conf.flags & (IPN_NET_LOSSLESS | IPN_NET_PERSISTENT);
	c->uid = e->conf.uid;
	c->gid = e->conf.gid;
	c->mode = e->conf.mode & 0777;
	c->ageing_s = e->conf.ageing_s;
	if (c->policy == IPN_POLICY_CONCAST)
		c->concast = e->conf.concast;
	memcpy(c->name, e->conf.name, sizeof(c->name));
	snprintf(c->path, sizeof(c->path), "%s", e->path);
	memcpy(c->owner, e->conf.owner, sizeof(c->owner));
	o->members = e->members;
	o->attachments = e->attachments;
	o->flows = e->flows;
	o->stats = e->stats;
}
