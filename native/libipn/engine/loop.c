/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The epoll loop. Each turn: wait, handle the ready batch, run timers, flush
 * every port that got frames (one sendmmsg per port per turn), free what was
 * closed during the turn.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include "engine.h"

#define EV_BATCH 256

struct engine E;

struct deferred {
	struct deferred *next;
	void *obj;
	void (*fn)(void *);
};

uint64_t clock_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int ev_add(struct ev *ev, int fd, uint32_t mask, ev_fn fn)
{
	ev->fn = fn;
	ev->fd = fd;
	ev->mask = mask;
	ev->dead = false;
	struct epoll_event e = {.events = mask, .data.ptr = ev};
	return epoll_ctl(E.epfd, EPOLL_CTL_ADD, fd, &e) < 0 ? -errno : 0;
}

int ev_mod(struct ev *ev, uint32_t mask)
{
	if (ev->mask == mask || ev->dead)
		return 0;
	ev->mask = mask;
	struct epoll_event e = {.events = mask, .data.ptr = ev};
	return epoll_ctl(E.epfd, EPOLL_CTL_MOD, ev->fd, &e) < 0 ? -errno : 0;
}

/* Forget the fd (the owner closes it); pending events for it are skipped. */
void ev_del(struct ev *ev)
{
	if (ev->fd >= 0 && !ev->dead)
		epoll_ctl(E.epfd, EPOLL_CTL_DEL, ev->fd, NULL);
	ev->dead = true;
}

void defer_free(void *obj, void (*fn)(void *))
{
	struct deferred *d = malloc(sizeof(*d));
	if (!d) { /* cannot defer: leak rather than risk a use after free */
		log_msg("out of memory deferring a free");
		return;
	}
	d->obj = obj;
	d->fn = fn;
	d->next = E.deferred;
	E.deferred = d;
}

static void reap_deferred(void)
{
	while (E.deferred) {
		struct deferred *d = E.deferred;
		E.deferred = d->next;
		d->fn(d->obj);
		free(d);
	}
}

static void on_tick(struct ev *ev, uint32_t events)
{
	(void)events;
	uint64_t n;
	if (read(ev->fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		log_msg("tick timer: %m");
	pending_expire();
	for (struct net *nt = E.nets; nt; nt = nt->next)
		if (nt->cfg.policy == IPN_POLICY_SWITCH)
			sw_expire(&nt->sw, E.now);
}

int loop_init(void)
{
	E.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (E.epfd < 0)
		return -errno;
	int t = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (t < 0)
		return -errno;
	struct itimerspec its = {.it_interval = {1, 0}, .it_value = {1, 0}};
	timerfd_settime(t, 0, &its, NULL);
	E.now = clock_ms();
	return ev_add(&E.tick_ev, t, EPOLLIN, on_tick);
}

void loop_run(void)
{
	struct epoll_event evs[EV_BATCH];
	while (!E.stop) {
		/* native members with more to read, or that must be told we sleep */
		int timeout = (E.busy || !native_sleep_all()) ? 0 : -1;
		int n = epoll_wait(E.epfd, evs, EV_BATCH, timeout);
		if (n < 0 && errno != EINTR) {
			log_msg("epoll_wait: %m");
			break;
		}
		E.now = clock_ms();
		for (int i = 0; i < n; i++) {
			struct ev *ev = evs[i].data.ptr;
			if (!ev->dead)
				ev->fn(ev, evs[i].events);
		}
		native_poll_busy();
		port_flush_all();
		reap_deferred();
		if (E.idle_exit && E.had_client && !E.nets && !E.nclients)
			E.stop = true;
	}
}
