/* SPDX-License-Identifier: GPL-2.0-only */
/* Networks: validation, creation, live updates, destruction. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include "engine.h"
#include "netcfg.h"


struct net *net_find(const char *name)
{
	for (struct net *n = E.nets; n; n = n->next)
		if (!strcmp(n->cfg.name, name))
			return n;
	return NULL;
}

static int check_config(const struct ipn_net_config *c, const char **why)
{
	if (c->size != sizeof(*c))
		return *why = "config size does not match this engine", -EINVAL;
	return netcfg_check(c, why);
}

static void on_concast_timer(struct ev *ev, uint32_t events)
{
	(void)events;
	struct net *n = (struct net *)((char *)ev - offsetof(struct net, timer_ev));
	uint64_t x;
	if (read(ev->fd, &x, sizeof(x)) < 0 && errno != EAGAIN)
		log_msg("%s: timer: %m", n->cfg.name);
	n->timer_at = 0; /* fired: force re-arming */
	concast_expire(n);
}

static void net_free(void *obj)
{
	struct net *n = obj;
	pool_drain(&n->pool);
	portset_free(&n->readers);
	if (n->cfg.policy == IPN_POLICY_SWITCH)
		sw_fini(&n->sw);
	if (n->cfg.policy == IPN_POLICY_CONCAST)
		cc_fini(&n->cc);
	free(n->ports);
	free(n->fwd);
	free(n);
}

int net_create(const struct ipn_net_config *cfg, const char **why)
{
	int rc = check_config(cfg, why);
	if (rc < 0)
		return rc;
	for (struct net *o = E.nets; o; o = o->next) {
		if (!strcmp(o->cfg.name, cfg->name))
			return *why = "a network with this name exists", -EEXIST;
		if (!strcmp(o->cfg.path, cfg->path))
			return *why = "another network serves this path", -EEXIST;
	}
	struct net *n = calloc(1, sizeof(*n));
	if (!n || !(n->fwd = calloc(cfg->max_ports + 1, sizeof(*n->fwd)))) {
		free(n);
		return *why = "out of memory", -ENOMEM;
	}
	n->cfg = *cfg;
	n->timer_fd = -1;
	pool_set_cap(&n->pool, cfg->mtu + 8);
	int ctl = -1;
	rc = dir_create(cfg, &ctl, why);
	if (rc < 0) {
		free(n->fwd);
		free(n);
		return rc;
	}
	if (cfg->policy == IPN_POLICY_SWITCH)
		sw_init(&n->sw, cfg->ageing_s);
	if (cfg->policy == IPN_POLICY_CONCAST) {
		cc_init(&n->cc, &cfg->concast);
		n->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
		if (n->timer_fd >= 0)
			ev_add(&n->timer_ev, n->timer_fd, EPOLLIN, on_concast_timer);
	}
	ev_add(&n->ctl_ev, ctl, EPOLLIN, vde_accept);
	n->next = E.nets;
	E.nets = n;
	E.nnets++;
	log_msg("network %s (%s) created at %s", cfg->name,
		cfg->policy == IPN_POLICY_HUB ? "hub" : cfg->policy == IPN_POLICY_SWITCH ? "switch" : "concast",
		cfg->path);
	return 0;
}

/* Access changed: members keep what they still may, lose the rest. */
static void reevaluate(struct net *n)
{
	for (uint32_t i = 0; i < n->ports_len; i++) {
		struct port *p = n->ports[i];
		if (!p || (p->kind != IPN_PORT_VDE && p->kind != IPN_PORT_NATIVE))
			continue;
		uint32_t r = port_rights(n, p->uid, p->gid, p->groups, p->ngroups) &
			     (IPN_RIGHT_READ | IPN_RIGHT_WRITE);
		if (p->join_flags & IPN_JOIN_RDONLY)
			r &= ~(uint32_t)IPN_RIGHT_WRITE;
		if (p->join_flags & IPN_JOIN_WRONLY)
			r &= ~(uint32_t)IPN_RIGHT_READ;
		if (!r) {
			log_msg("%s: port %u lost its rights and leaves", n->cfg.name, p->no);
			port_close(p);
			if (n->dead)
				return;
			continue;
		}
		p->rights = r;
		if (r & IPN_RIGHT_READ)
			portset_add(&n->readers, p->no);
		else
			portset_del(&n->readers, p->no);
	}
}

int net_update(struct net *n, const struct ipn_net_config *c, const char **why)
{
	if (c->size != sizeof(*c))
		return *why = "config size does not match this engine", -EINVAL;
	if (!netcfg_terminated(c->path, sizeof(c->path)) || (c->path[0] && strcmp(c->path, n->cfg.path)))
		return *why = "path cannot change (replace the network)", -EINVAL;
	if (c->policy && c->policy != n->cfg.policy)
		return *why = "policy cannot change (replace the network)", -EINVAL;
	static const struct ipn_concast_spec zero;
	if (memcmp(&c->concast, &zero, sizeof(zero)) &&
	    memcmp(&c->concast, &n->cfg.concast, sizeof(zero)))
		return *why = "the concast spec cannot change (replace the network)", -EINVAL;
	int rc = netcfg_check_mutable(c, why);
	if (rc < 0)
		return rc;
	for (uint32_t i = c->max_ports + 1; i < n->ports_len; i++)
		if (n->ports[i])
			return *why = "a port above the new port count is in use", -EBUSY;
	if (n->cfg.policy == IPN_POLICY_CONCAST &&
	    (n->cfg.concast.key_offset + netcfg_field_size(n->cfg.concast.key_type) > c->mtu ||
	     n->cfg.concast.value_offset + netcfg_field_size(n->cfg.concast.value_type) > c->mtu))
		return *why = "the concast fields must stay within the MTU", -EINVAL;
	if (c->max_ports != n->cfg.max_ports) {
		struct fwd_dst *f = realloc(n->fwd, (c->max_ports + 1) * sizeof(*f));
		if (!f)
			return *why = "out of memory", -ENOMEM;
		n->fwd = f;
	}
	bool access = c->uid != n->cfg.uid || c->gid != n->cfg.gid || c->mode != n->cfg.mode;
	n->cfg.max_ports = c->max_ports;
	n->cfg.mtu = c->mtu;
	n->cfg.queue = c->queue;
	bool was_lossless = n->cfg.flags & IPN_NET_LOSSLESS;
	n->cfg.flags = c->flags;
	n->cfg.uid = c->uid;
	n->cfg.gid = c->gid;
	n->cfg.mode = c->mode;
	n->cfg.ageing_s = c->ageing_s;
	memcpy(n->cfg.owner, c->owner, sizeof(n->cfg.owner));
	pool_set_cap(&n->pool, c->mtu + 8);
	if (n->cfg.policy == IPN_POLICY_SWITCH)
		sw_set_ageing(&n->sw, c->ageing_s);
	if (was_lossless && !(c->flags & IPN_NET_LOSSLESS))
		for (uint32_t i = 0; i < n->ports_len; i++)
			if (n->ports[i])
				port_drained(n->ports[i]); /* nobody waits any more */
	if (access) {
		dir_apply_access(&n->cfg);
		reevaluate(n);
	}
	log_msg("network %s updated", n->cfg.name);
	return 0;
}

void net_destroy(struct net *n)
{
	if (n->dead)
		return;
	n->dead = true;
	for (uint32_t i = 0; i < n->ports_len; i++)
		if (n->ports[i])
			port_close(n->ports[i]);
	for (struct pending *pd = E.pending, *next; pd; pd = next) {
		next = pd->next;
		if (pd->net == n)
			pending_free(pd);
	}
	ev_del(&n->ctl_ev);
	close(n->ctl_ev.fd);
	if (n->timer_fd >= 0) {
		ev_del(&n->timer_ev);
		close(n->timer_fd);
	}
	dir_remove(&n->cfg);
	for (struct net **pp = &E.nets; *pp; pp = &(*pp)->next)
		if (*pp == n) {
			*pp = n->next;
			break;
		}
	E.nnets--;
	log_msg("network %s destroyed", n->cfg.name);
	defer_free(n, net_free);
}

void net_member_left(struct net *n)
{
	if (!n->dead && !(n->cfg.flags & IPN_NET_PERSISTENT) && n->had_member && !n->members &&
	    !n->attachments)
		net_destroy(n);
}
