/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the kernel module's guest tests: a tiny TAP-like harness
 * ("ok N - what" / "not ok N - what", then "# suite: P passed, F failed")
 * and short forms of the AF_IPN calls.
 */
#ifndef IPN_VM_COMMON_H
#define IPN_VM_COMMON_H

#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <linux/ipn.h>

extern int af_ipn; /* the family number the module registered */

/* ---- harness ---- */
void tinit(const char *suite);
int tdone(void); /* prints the summary; the exit code */
int ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* ok() for a call that must fail with errno e */
#define FAILS(call, e, ...) \
	do { errno = 0; long _r = (long)(call); int _e = errno; \
	     ok(_r < 0 && _e == (e), __VA_ARGS__); \
	     if (!(_r < 0 && _e == (e))) diag("  got %ld, errno %d (%s), want %s", \
					    _r, _e, strerror(_e), strerror(e)); } while (0)
#define WORKS(call, ...) \
	do { errno = 0; long _r = (long)(call); int _e = errno; ok(_r >= 0, __VA_ARGS__); \
	     if (_r < 0) diag("  errno %d (%s)", _e, strerror(_e)); } while (0)

/* ---- AF_IPN ---- */
const char *tpath(const char *name);     /* a fresh path under /tmp for this process */
int isock(int policy);
int ibind(int s, const char *path);
int iconnect(int s, const char *path);   /* path NULL: connect(s, NULL, 0) */
void conf_init(struct ipn_netconf *c, int policy);
int set_conf(int s, const struct ipn_netconf *c);
int get_conf(int s, struct ipn_netconf *c);
/* a managing socket of a new network with these settings (-1 on error) */
int mknet(const char *path, const struct ipn_netconf *c);
int mknet_policy(const char *path, int policy);
int member(const char *path, int policy); /* a connected member (-1 on error) */
int setint(int s, int level, int name, int v);
int getint(int s, int level, int name, int *v);
int port_of(int s);
/* receive without waiting; -1 with EAGAIN when nothing is queued */
ssize_t rx(int s, void *buf, size_t n);
/* wait up to ms for a message */
ssize_t rx_wait(int s, void *buf, size_t n, int ms);
int nothing(int s); /* 1 when nothing is queued */
int readable(int s, int ms); /* 1 when a message waits within ms */
int drain(int s);   /* messages thrown away */
int get_objects(struct ipn_objects *o);
int net_info(int s, struct ipn_netent *e);
/* the port list of s's network into out (max n); returns the total or -1 */
int port_list(int s, struct ipn_portent *out, int n);

/* ---- processes, namespaces, commands ---- */
/* run fn in a child with these ids; its return value is the exit code */
int run_as(uid_t uid, gid_t gid, int (*fn)(void *), void *arg);
pid_t spawn_as(uid_t uid, gid_t gid, int (*fn)(void *), void *arg);
int wait_child(pid_t p); /* its exit code, or 128 + signal */
/* run fn in a child inside network namespace /run/netns/name */
int in_netns(const char *ns, int (*fn)(void *), void *arg);
pid_t spawn_netns(const char *ns, int (*fn)(void *), void *arg);
#define IP "/usr/sbin/ip"
int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msleep(int ms);
uint64_t now_ms(void);

#endif
