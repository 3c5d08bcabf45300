// SPDX-License-Identifier: GPL-2.0
/*
 * Abuse: hostile, truncated and impossible option buffers, wrong levels,
 * bad pointers, hostile addresses and ioctls, then storms of concurrent
 * connect/close/resize/destroy. Every call must fail cleanly or work; the
 * kernel must not oops (the guest runs with oops=panic, panic_on_warn) and
 * no object may be left behind.
 */
#include "common.h"
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/un.h>

#define BUF (64 * 1024)

static unsigned char *buf;   /* BUF bytes followed by an inaccessible page */
static unsigned int seed = 12345;
static long calls, crashes_avoided;

static unsigned int rnd(void)
{
	seed = seed * 1103515245 + 12345;
	return seed >> 8;
}

static void fill(size_t n)
{
	size_t i;

	for (i = 0; i < n && i < BUF; i++)
		buf[i] = rnd();
}

static void *bad_ptr(void)
{
	static void *const bad[] = { (void *)1, (void *)0xffffffff81000000UL,
				     (void *)0x7ffffffff000UL, (void *)-1L };

	return bad[rnd() % 4];
}

static const int levels[] = { -1, SOL_IPN, IPN_POLICY_HUB + 5, IPN_POLICY_SWITCH,
			      IPN_POLICY_CONCAST, 4, 99, 263, 0x7fffffff, (int)0x80000000 };
static const unsigned int lens[] = { 0, 1, 3, 4, 5, 8, 16, 39, 40, 100, 175, 176, 177, 479, 480,
				     519, 520, 521, 4096, BUF, 0x7fffffff, 0xffffffff };

/* random option calls on one socket */
static void fuzz_opts(int s, int rounds)
{
	int i;

	for (i = 0; i < rounds; i++) {
		int level = levels[rnd() % (sizeof(levels) / sizeof(levels[0]))];
		int name = rnd() % 3 ? (int)(rnd() % 0x48) : (int)(0x78 + rnd() % 0x20);
		unsigned int len = lens[rnd() % (sizeof(lens) / sizeof(lens[0]))];
		void *val = buf;
		socklen_t l;

		if (level == SOL_IPN && name == IPN_SO_DESTROY)
			continue; /* tried on purpose elsewhere */
		if (rnd() % 8 == 0)
			val = rnd() % 2 ? NULL : bad_ptr();
		else if (len <= BUF)
			fill(len);
		else
			val = buf + BUF - 8; /* runs into the guard page */
		setsockopt(s, level, name, val, len);
		l = len > BUF ? len : len;
		if (rnd() % 8 == 0)
			getsockopt(s, level, name, val, rnd() % 2 ? NULL : bad_ptr());
		else
			getsockopt(s, level, name, len > BUF ? buf + BUF - 8 : val, &l);
		calls += 2;
	}
}

static void fuzz_ioctls(int s, int rounds, int netdevs)
{
	static const unsigned long cmds[] = { IPN_CHECK, IPN_SETPERSIST_NETDEV, IPN_CLRPERSIST_NETDEV,
					      IPN_CONN_NETDEV, IPN_JOIN_NETDEV, IPN_SETPERSIST,
					      SIOCSIFHWADDR, 0, 0x89ff, 0xdeadbeef, _IOW('I', 205, int) };
	int i;

	for (i = 0; i < rounds; i++) {
		unsigned long cmd = cmds[rnd() % (sizeof(cmds) / sizeof(cmds[0]))];
		struct ifreq *ifr = (struct ifreq *)buf;

		if (cmd == IPN_CONN_NETDEV && !netdevs)
			continue;
		fill(sizeof(*ifr));
		if (cmd == IPN_CONN_NETDEV) /* a tap with a valid, unique name */
			snprintf(ifr->ifr_name, IFNAMSIZ, "fz%u", rnd() % 100000);
		if (rnd() % 6 == 0)
			ioctl(s, cmd, bad_ptr());
		else if (rnd() % 6 == 0)
			ioctl(s, cmd, 0);
		else
			ioctl(s, cmd, ifr);
		calls++;
	}
}

static void fuzz_addrs(int s, int rounds)
{
	int i;

	for (i = 0; i < rounds; i++) {
		struct sockaddr_un *sun = (struct sockaddr_un *)buf;
		socklen_t l = rnd() % (sizeof(*sun) + 16);

		fill(sizeof(*sun) + 16);
		if (rnd() % 2)
			sun->sun_family = af_ipn;
		if (rnd() % 3 == 0) { /* a path-like name of up to 108 bytes, maybe unterminated */
			unsigned int n = rnd() % sizeof(sun->sun_path), j;

			for (j = 0; j < n; j++)
				sun->sun_path[j] = "/tmp/ab./"[rnd() % 9];
		}
		if (rnd() % 2)
			bind(s, (struct sockaddr *)sun, l);
		else
			connect(s, (struct sockaddr *)sun, l);
		calls++;
	}
}

static void t_hostile(void)
{
	struct ipn_netconf c;
	const char *hp = tpath("fzhub"), *sp = tpath("fzsw"), *cp = tpath("fzcc");
	int sock[8], i;

	conf_init(&c, IPN_POLICY_CONCAST);
	c.concast.key_type = IPN_FIELD_U32;
	c.concast.merge_fn = IPN_MERGE_SUM;
	c.concast.value_type = IPN_FIELD_U32;
	c.concast.value_offset = 4;
	c.concast.output = IPN_CONCAST_OUT_MESSAGE;
	c.concast.done_count = 3;
	c.concast.done_timeout_ms = 50;
	sock[0] = isock(IPN_ANY);                   /* unbound */
	sock[1] = mknet_policy(hp, IPN_POLICY_HUB); /* managing sockets */
	sock[2] = mknet_policy(sp, IPN_POLICY_SWITCH);
	sock[3] = mknet(cp, &c);
	sock[4] = member(hp, 0);                    /* members */
	sock[5] = member(sp, 0);
	sock[6] = member(cp, 0);
	sock[7] = isock(IPN_POLICY_SWITCH);
	ok(sock[3] >= 0 && sock[6] >= 0, "sockets in every state: unbound, managing, member");
	for (i = 0; i < 8; i++)
		fuzz_opts(sock[i], 4000);
	ok(1, "%ld random option calls (levels, names, lengths, bad pointers) survived", calls);
	calls = 0;
	for (i = 0; i < 8; i++)
		fuzz_ioctls(sock[i], 300, i == 2);
	ok(1, "%ld random ioctls survived", calls);
	calls = 0;
	fuzz_addrs(sock[7], 3000);
	ok(1, "%ld hostile bind/connect addresses survived", calls);

	/* specific impossible sizes, each with its precise error */
	FAILS(setsockopt(sock[2], SOL_IPN, IPN_SO_NETCONF, buf, sizeof(struct ipn_netconf) - 1),
	      EINVAL, "a truncated IPN_SO_NETCONF: EINVAL");
	FAILS(setsockopt(sock[2], SOL_IPN, IPN_SO_NETCONF, (void *)1, sizeof(struct ipn_netconf)),
	      EFAULT, "IPN_SO_NETCONF from a bad pointer: EFAULT");
	FAILS(setsockopt(sock[0], SOL_IPN, IPN_SO_MTU, buf, 3), EINVAL, "a 3-byte int: EINVAL");
	FAILS(setsockopt(sock[0], 99, 1, buf, 4), ENOPROTOOPT, "level 99: ENOPROTOOPT");
	FAILS(setsockopt(sock[0], SOL_IPN, 0x3f, buf, 4), ENOPROTOOPT, "an unknown option: ENOPROTOOPT");
	FAILS(setsockopt(sock[0], IPN_POLICY_SWITCH, IPN_SWITCH_SO_VLAN, buf, 4), ENOTCONN,
	      "a switch option on an unbound socket: ENOTCONN");
	FAILS(setsockopt(sock[1], IPN_POLICY_SWITCH, IPN_SWITCH_SO_VLAN, buf, 520), ENOPROTOOPT,
	      "a switch option on a hub: ENOPROTOOPT");
	{
		socklen_t l = 3;
		int v;

		FAILS(getsockopt(sock[0], SOL_IPN, IPN_SO_MTU, &v, &l), EINVAL, "getsockopt into 3 bytes: EINVAL");
		l = (socklen_t)-1;
		FAILS(getsockopt(sock[0], SOL_IPN, IPN_SO_MTU, &v, &l), EINVAL, "a negative length: EINVAL");
		l = 4;
		FAILS(getsockopt(sock[0], SOL_IPN, IPN_SO_MTU, (void *)1, &l), EFAULT, "into a bad pointer: EFAULT");
		FAILS(getsockopt(sock[0], SOL_IPN, IPN_SO_MTU, &v, (socklen_t *)1), EFAULT,
		      "with a bad length pointer: EFAULT");
		l = 0x7fffffff;
		memset(buf + BUF - 16, 0, 16);
		FAILS(getsockopt(sock[0], SOL_IPN, IPN_SO_NETLIST, buf + BUF - 16, &l), EFAULT,
		      "a listing claiming 2 GiB of room next to a guard page: EFAULT");
	}
	FAILS(send(sock[4], buf, 1 << 30, 0), EMSGSIZE, "a 1 GiB message: EMSGSIZE");
	FAILS(send(sock[4], (void *)1, 100, 0), EFAULT, "a message from a bad pointer: EFAULT");
	FAILS(send(sock[4], buf, 10, MSG_OOB), EOPNOTSUPP, "sending MSG_OOB: EOPNOTSUPP");
	send(sock[4], "abc", 3, 0);
	{
		int m2 = member(hp, 0);

		send(sock[4], "abc", 3, 0);
		FAILS(recv(m2, (void *)1, 100, MSG_DONTWAIT), EFAULT, "receiving into a bad pointer: EFAULT");
		close(m2);
	}
	for (i = 0; i < 8; i++)
		close(sock[i]);
	unlink(hp);
	unlink(sp);
	unlink(cp);
	sh("for i in $(ls /sys/class/net | grep ^fz); do %s link del $i; done 2>/dev/null", IP);
}

/* ---- storms ---- */

static volatile int stop;
static const char *storm_hub, *storm_net, *storm_sw, *storm_cc;
static long ops[8];

static void *churn_members(void *p)
{
	long *n = p;
	char b[64];

	while (!stop) {
		int s = member(storm_hub, IPN_ANY);

		if (s >= 0) {
			send(s, "storm", 5, MSG_DONTWAIT);
			recv(s, b, sizeof(b), MSG_DONTWAIT);
			close(s);
		}
		(*n)++;
	}
	return NULL;
}

static void *churn_manage(void *p)
{
	long *n = p;
	struct ipn_netconf c;

	while (!stop) {
		int s = isock(IPN_ANY);

		if (!ibind(s, storm_hub) && !get_conf(s, &c)) {
			setint(s, SOL_IPN, IPN_SO_CHANGE_NUMNODES, 8 + rnd() % 64);
			c.queue = 1 + rnd() % 16;
			set_conf(s, &c);
		}
		close(s);
		(*n)++;
	}
	return NULL;
}

static void *churn_destroy(void *p)
{
	long *n = p;

	while (!stop) {
		int s = mknet_policy(storm_net, IPN_POLICY_HUB);
		int m = member(storm_net, 0);

		if (rnd() % 2)
			setint(s, SOL_IPN, IPN_SO_DESTROY, 1);
		close(s);
		close(m);
		unlink(storm_net);
		(*n)++;
	}
	return NULL;
}

static void *churn_join_dying(void *p)
{
	long *n = p;

	while (!stop) {
		int s = member(storm_net, 0);

		if (s >= 0) {
			send(s, "x", 1, MSG_DONTWAIT);
			close(s);
		}
		(*n)++;
	}
	return NULL;
}

static void *churn_tables(void *p)
{
	unsigned char f[64];
	long *n = p;
	unsigned int r = 1;

	while (!stop) {
		int sw = member(storm_sw, 0), cc = member(storm_cc, 0), i;

		for (i = 0; i < 50 && sw >= 0 && cc >= 0; i++) {
			r = r * 1103515245 + 12345;
			memset(f, 0, sizeof(f));
			f[0] = r >> 24;      /* random unicast destinations and sources */
			f[0] &= 0xfe;
			f[5] = r;
			f[6] = 0x02;
			f[11] = r >> 8;
			f[12] = 0x88;
			f[13] = 0xb5;
			send(sw, f, 60, MSG_DONTWAIT);
			send(cc, f, 8, MSG_DONTWAIT); /* random concast keys */
		}
		close(sw);
		close(cc);
		(*n)++;
	}
	return NULL;
}

static void *churn_taps(void *p)
{
	long *n = p;

	while (!stop) {
		struct ifreq ifr;
		int s = isock(IPN_ANY);

		if (!ibind(s, storm_hub)) {
			memset(&ifr, 0, sizeof(ifr));
			strcpy(ifr.ifr_name, "ipnstorm%d");
			ifr.ifr_flags = IPN_NODEFLAG_TAP;
			ioctl(s, IPN_CONN_NETDEV, &ifr);
		}
		close(s);
		(*n)++;
	}
	return NULL;
}

/* a reader blocked in recv and a writer blocked in send are woken cleanly */
static void *blocked_recv(void *p)
{
	char b[16];
	int *s = p;

	s[1] = recv(s[0], b, sizeof(b), 0);
	s[2] = errno;
	return NULL;
}

static int sockets_used(void)
{
	char line[128];
	int n = -1;
	FILE *f = fopen("/proc/net/sockstat", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "sockets: used %d", &n) == 1)
			break;
	if (f)
		fclose(f);
	return n;
}

static void t_storm(void)
{
	void *(*fn[])(void *) = { churn_members, churn_members, churn_manage, churn_destroy,
				  churn_join_dying, churn_tables, churn_taps };
	int n = sizeof(fn) / sizeof(fn[0]), i, keep[3], s[3];
	struct ipn_netconf c;
	pthread_t th[8];
	long total = 0;

	storm_hub = tpath("storm");
	storm_net = tpath("dying");
	storm_sw = tpath("stormsw");
	storm_cc = tpath("stormcc");
	keep[0] = mknet_policy(storm_hub, IPN_POLICY_HUB);
	keep[1] = mknet_policy(storm_sw, IPN_POLICY_SWITCH);
	conf_init(&c, IPN_POLICY_CONCAST);
	c.concast.key_type = IPN_FIELD_U32;
	c.concast.merge_fn = IPN_MERGE_COUNT;
	c.concast.output = IPN_CONCAST_OUT_SUMMARY;
	c.concast.done_count = 5;
	c.concast.done_timeout_ms = 20;
	keep[2] = mknet(storm_cc, &c);
	for (i = 0; i < n; i++)
		pthread_create(&th[i], NULL, fn[i], &ops[i]);
	msleep(3000);
	stop = 1;
	for (i = 0; i < n; i++) {
		pthread_join(th[i], NULL);
		total += ops[i];
	}
	ok(total > 100, "3 s of connect/close, resize, destroy, joins to dying networks, "
	   "MAC and flow churn and tap churn: %ld rounds", total);
	for (i = 0; i < 3; i++)
		close(keep[i]);

	/* blocked calls and the network going away */
	unlink(storm_hub);
	keep[0] = mknet_policy(storm_hub, IPN_POLICY_HUB);
	s[0] = member(storm_hub, 0);
	pthread_create(&th[0], NULL, blocked_recv, s);
	msleep(200);
	shutdown(s[0], SHUT_RDWR);
	pthread_join(th[0], NULL);
	ok(s[1] == 0, "shutdown wakes a blocked recv with end of file");
	close(s[0]);
	s[0] = member(storm_hub, 0);
	pthread_create(&th[0], NULL, blocked_recv, s);
	msleep(200);
	setint(keep[0], SOL_IPN, IPN_SO_DESTROY, 1);
	pthread_join(th[0], NULL);
	ok(s[1] == 0, "destroying the network wakes a blocked recv with end of file");
	close(s[0]);
	close(keep[0]);
	unlink(storm_hub);
	unlink(storm_net);
	unlink(storm_sw);
	unlink(storm_cc);
}

int main(void)
{
	struct ipn_objects base = { 0 }, o = { 0 };
	int socks, i;

	tinit("abuse");
	buf = mmap(NULL, BUF + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED || mprotect(buf + BUF, 4096, PROT_NONE))
		return 2;
	get_objects(&base);
	socks = sockets_used();
	t_hostile();
	t_storm();
	sh("for i in $(ls /sys/class/net | grep -E '^(fz|ipnstorm)'); do %s link del $i; done 2>/dev/null", IP);
	for (i = 0; i < 50; i++) { /* concast timers and RCU frees settle */
		get_objects(&o);
		if (!memcmp(&o, &base, sizeof(o)))
			break;
		msleep(100);
	}
	ok(!memcmp(&o, &base, sizeof(o)),
	   "every object is freed: nets %llu ports %llu fdb %llu flows %llu rewrites %llu",
	   (unsigned long long)o.nets, (unsigned long long)o.ports, (unsigned long long)o.fdb,
	   (unsigned long long)o.flows, (unsigned long long)o.rewrites);
	ok(sockets_used() == socks, "every socket is freed (%d in use, %d before)", sockets_used(), socks);
	ok(sh("ls /sys/class/net | grep -qE '^(fz|ipnstorm)'") != 0, "no tap left behind");
	(void)crashes_avoided;
	return tdone();
}
