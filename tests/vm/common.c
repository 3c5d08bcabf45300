// SPDX-License-Identifier: GPL-2.0
#include "common.h"
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <grp.h>
#include <sys/un.h>
#include <sys/wait.h>

int af_ipn = IPN_FAMILY_DEFAULT;
static const char *suite_name;
static int npass, nfail;

void tinit(const char *suite)
{
	FILE *f = fopen(IPN_FAMILY_PARAM, "r");

	suite_name = suite;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (f) {
		if (fscanf(f, "%d", &af_ipn) != 1)
			af_ipn = IPN_FAMILY_DEFAULT;
		fclose(f);
	}
	printf("# %s (AF_IPN = %d)\n", suite, af_ipn);
}

int tdone(void)
{
	printf("# %s: %d passed, %d failed\n", suite_name, npass, nfail);
	return nfail ? 1 : 0;
}

int ok(int cond, const char *fmt, ...)
{
	va_list ap;

	if (cond)
		npass++;
	else
		nfail++;
	printf("%s %d - ", cond ? "ok" : "not ok", npass + nfail);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	return cond;
}

void diag(const char *fmt, ...)
{
	va_list ap;

	printf("#");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

const char *tpath(const char *name)
{
	static char buf[8][108];
	static int i;
	char *p = buf[i++ % 8];

	snprintf(p, 108, "/tmp/ipnt.%d.%s", (int)getpid(), name);
	unlink(p);
	return p;
}

static socklen_t mkaddr(struct sockaddr_un *sun, const char *path)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = af_ipn;
	memcpy(sun->sun_path, path, strnlen(path, sizeof(sun->sun_path)));
	return sizeof(*sun);
}

int isock(int policy)
{
	return socket(af_ipn, SOCK_RAW, policy);
}

int ibind(int s, const char *path)
{
	struct sockaddr_un sun;
	socklen_t l = mkaddr(&sun, path);

	return bind(s, (struct sockaddr *)&sun, l);
}

int iconnect(int s, const char *path)
{
	struct sockaddr_un sun;
	socklen_t l;

	if (!path)
		return connect(s, NULL, 0);
	l = mkaddr(&sun, path);
	return connect(s, (struct sockaddr *)&sun, l);
}

void conf_init(struct ipn_netconf *c, int policy)
{
	memset(c, 0, sizeof(*c));
	c->policy = policy;
	c->max_ports = IPN_DEFAULT_PORTS;
	c->mtu = IPN_DEFAULT_MTU;
	c->queue = IPN_DEFAULT_QUEUE;
	c->mode = 0777;
	c->ageing_s = IPN_DEFAULT_AGEING;
	c->concast.receiver_port = -1;
}

int set_conf(int s, const struct ipn_netconf *c)
{
	return setsockopt(s, SOL_IPN, IPN_SO_NETCONF, c, sizeof(*c));
}

int get_conf(int s, struct ipn_netconf *c)
{
	socklen_t l = sizeof(*c);

	return getsockopt(s, SOL_IPN, IPN_SO_NETCONF, c, &l);
}

int mknet(const char *path, const struct ipn_netconf *c)
{
	int s = isock(IPN_ANY);

	if (s < 0)
		return -1;
	if (set_conf(s, c) < 0 || ibind(s, path) < 0) {
		int e = errno;

		close(s);
		errno = e;
		return -1;
	}
	return s;
}

int mknet_policy(const char *path, int policy)
{
	struct ipn_netconf c;

	conf_init(&c, policy);
	return mknet(path, &c);
}

int member(const char *path, int policy)
{
	int s = isock(policy);

	if (s < 0)
		return -1;
	if (iconnect(s, path) < 0) {
		int e = errno;

		close(s);
		errno = e;
		return -1;
	}
	return s;
}

int setint(int s, int level, int name, int v)
{
	return setsockopt(s, level, name, &v, sizeof(v));
}

int getint(int s, int level, int name, int *v)
{
	socklen_t l = sizeof(*v);

	return getsockopt(s, level, name, v, &l);
}

int port_of(int s)
{
	int v = -2;

	if (getint(s, SOL_IPN, IPN_SO_PORT, &v) < 0)
		return -2;
	return v;
}

ssize_t rx(int s, void *buf, size_t n)
{
	return recv(s, buf, n, MSG_DONTWAIT);
}

ssize_t rx_wait(int s, void *buf, size_t n, int ms)
{
	struct pollfd p = { .fd = s, .events = POLLIN };

	if (poll(&p, 1, ms) <= 0) {
		errno = ETIMEDOUT;
		return -1;
	}
	return recv(s, buf, n, MSG_DONTWAIT);
}

int readable(int s, int ms)
{
	struct pollfd p = { .fd = s, .events = POLLIN };

	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

int nothing(int s)
{
	char b[16];

	return rx(s, b, sizeof(b)) < 0 && errno == EAGAIN;
}

int drain(int s)
{
	char b[IPN_MTU_MAX];
	int n = 0;

	while (rx(s, b, sizeof(b)) >= 0)
		n++;
	return n;
}

int get_objects(struct ipn_objects *o)
{
	socklen_t l = sizeof(*o);
	int s = isock(IPN_ANY), r;

	if (s < 0)
		return -1;
	r = getsockopt(s, SOL_IPN, IPN_SO_OBJECTS, o, &l);
	close(s);
	return r;
}

int net_info(int s, struct ipn_netent *e)
{
	socklen_t l = sizeof(*e);

	return getsockopt(s, SOL_IPN, IPN_SO_NETINFO, e, &l);
}

int port_list(int s, struct ipn_portent *out, int n)
{
	size_t sz = sizeof(struct ipn_list) + (size_t)n * sizeof(*out);
	struct ipn_list *h = calloc(1, sz);
	socklen_t l = sz;
	int total;

	if (!h)
		return -1;
	if (getsockopt(s, SOL_IPN, IPN_SO_PORTLIST, h, &l) < 0) {
		free(h);
		return -1;
	}
	memcpy(out, h + 1, h->count * sizeof(*out));
	total = h->total;
	free(h);
	return total;
}

pid_t spawn_as(uid_t uid, gid_t gid, int (*fn)(void *), void *arg)
{
	pid_t p = fork();

	if (p == 0) {
		if (setgroups(0, NULL) || setresgid(gid, gid, gid) || setresuid(uid, uid, uid))
			_exit(99);
		_exit(fn(arg));
	}
	return p;
}

int wait_child(pid_t p)
{
	int st;

	if (p < 0 || waitpid(p, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int run_as(uid_t uid, gid_t gid, int (*fn)(void *), void *arg)
{
	return wait_child(spawn_as(uid, gid, fn, arg));
}

pid_t spawn_netns(const char *ns, int (*fn)(void *), void *arg)
{
	char path[128];
	pid_t p;

	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	p = fork();
	if (p == 0) {
		int fd = open(path, O_RDONLY);

		if (fd < 0 || setns(fd, CLONE_NEWNET))
			_exit(98);
		close(fd);
		_exit(fn(arg));
	}
	return p;
}

int in_netns(const char *ns, int (*fn)(void *), void *arg)
{
	return wait_child(spawn_netns(ns, fn, arg));
}

int sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int r;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	r = system(cmd);
	if (r == -1 || !WIFEXITED(r))
		return -1;
	return WEXITSTATUS(r);
}

void msleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
