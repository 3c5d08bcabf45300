/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Bind policy text: parsing, errors, exception matching, activation. */
#include "bind_policy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/un.h>

#include "check.h"

static struct sockaddr_storage ss;

static const struct sockaddr *v4(const char *a, int port, socklen_t *len)
{
	struct sockaddr_in *in = (void *)&ss;
	memset(&ss, 0, sizeof ss);
	in->sin_family = AF_INET;
	in->sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, a, &in->sin_addr);
	*len = sizeof *in;
	return (void *)&ss;
}

static const struct sockaddr *v6(const char *a, int port, socklen_t *len)
{
	struct sockaddr_in6 *in6 = (void *)&ss;
	memset(&ss, 0, sizeof ss);
	in6->sin6_family = AF_INET6;
	in6->sin6_port = htons((uint16_t)port);
	inet_pton(AF_INET6, a, &in6->sin6_addr);
	*len = sizeof *in6;
	return (void *)&ss;
}

static int exc4(const struct ipnb_policy *p, int proto, const char *a, int port)
{
	socklen_t l;
	const struct sockaddr *sa = v4(a, port, &l);
	return ipnb_excepted(p, proto, sa, l);
}

static int exc6(const struct ipnb_policy *p, int proto, const char *a, int port)
{
	socklen_t l;
	const struct sockaddr *sa = v6(a, port, &l);
	return ipnb_excepted(p, proto, sa, l);
}

static void test_parse(void)
{
	struct ipnb_policy p;
	char err[128];
	const char *text = "# usn testers\n"
			   "name usn-testers\n"
			   "device usn0\n"
			   "env ND\n"
			   "except tcp 6000-6063   # X11\n"
			   "except udp 53,5353-5354; except any 1-10\n"
			   "except loopback\n"
			   "except unix\r\n"
			   "except address 10.1.0.0/16\n"
			   "except address fd00::/8\n"
			   "\n";
	CHECK_EQ_INT(ipnb_parse(text, &p, err, sizeof err), 0);
	CHECK_EQ_STR(err, "");
	CHECK_EQ_STR(p.name, "usn-testers");
	CHECK_EQ_STR(p.device, "usn0");
	CHECK_EQ_STR(p.env, "ND");
	CHECK_EQ_INT(p.nexc, 7);
	CHECK_EQ_INT(p.exc[0].kind, IPNB_EXC_PORT);
	CHECK_EQ_INT(p.exc[0].proto, IPNB_TCP);
	CHECK_EQ_INT(p.exc[0].ranges[0].lo, 6000);
	CHECK_EQ_INT(p.exc[0].ranges[0].hi, 6063);
	CHECK_EQ_INT(p.exc[1].nranges, 2);
	CHECK_EQ_INT(p.exc[1].ranges[1].hi, 5354);
	CHECK_EQ_INT(p.exc[2].proto, IPNB_ANY);
	CHECK_EQ_INT(p.exc[5].plen, 16);
	CHECK_EQ_INT(p.exc[6].family, AF_INET6);

	/* empty text: a valid policy with nothing in it */
	CHECK_EQ_INT(ipnb_parse("", &p, err, sizeof err), 0);
	CHECK_EQ_INT(p.nexc, 0);
}

static void bad(const char *text, const char *want)
{
	struct ipnb_policy p;
	char err[160];
	CHECK_EQ_INT(ipnb_parse(text, &p, err, sizeof err), -EINVAL);
	if (!strstr(err, want)) {
		check_failures++;
		fprintf(stderr, "error for \"%s\" is \"%s\", expected it to contain \"%s\"\n", text,
			err, want);
	}
	check_count++;
}

static void test_errors(void)
{
	bad("devise usn0", "line 1: unknown keyword 'devise'");
	bad("device\n", "'device' takes exactly one value");
	bad("device a b", "'device' takes exactly one value");
	bad("device 0123456789abcdef", "not an interface name");
	bad("device a/b", "not an interface name");
	bad("env 1ND", "not a variable name");
	bad("env N-D", "not a variable name");
	bad("name x\nexcept tcp 0-10", "line 2: '0-10' is not a port list");
	bad("except tcp 7000-6000", "is not a port list");
	bad("except tcp 65536", "is not a port list");
	bad("except tcp 80,", "is not a port list");
	bad("except tcp", "is not a port list");
	bad("except sctp 80", "unknown exception 'sctp'");
	bad("except loopback now", "takes no value");
	bad("except address 10.0.0.0/33", "not an address");
	bad("except address fd00::/129", "not an address");
	bad("except address nowhere", "not an address");
	bad("except tcp 1 2", "unexpected '2'");
}

static void test_match(void)
{
	struct ipnb_policy p;
	char err[128];
	CHECK_EQ_INT(ipnb_parse("device usn0; except tcp 6000-6063; except udp 53;"
				"except loopback; except address 10.1.0.0/16; except address fd00::/8",
				&p, err, sizeof err),
		     0);
	/* X11 over TCP keeps its route, other TCP is bound */
	CHECK_EQ_INT(exc4(&p, IPPROTO_TCP, "192.0.2.1", 6000), 1);
	CHECK_EQ_INT(exc4(&p, IPPROTO_TCP, "192.0.2.1", 6063), 1);
	CHECK_EQ_INT(exc4(&p, IPPROTO_TCP, "192.0.2.1", 6064), 0);
	CHECK_EQ_INT(exc4(&p, IPPROTO_TCP, "192.0.2.1", 5999), 0);
	/* the protocol matters */
	CHECK_EQ_INT(exc4(&p, IPPROTO_UDP, "192.0.2.1", 6000), 0);
	CHECK_EQ_INT(exc4(&p, IPPROTO_UDP, "192.0.2.1", 53), 1);
	CHECK_EQ_INT(exc4(&p, IPPROTO_TCP, "192.0.2.1", 53), 0);
	/* ICMP has no ports: port exceptions never match */
	CHECK_EQ_INT(exc4(&p, IPPROTO_ICMP, "192.0.2.1", 53), 0);
	/* loopback and unspecified, both families, and v4-mapped */
	CHECK_EQ_INT(exc4(&p, IPPROTO_TCP, "127.0.0.1", 80), 1);
	CHECK_EQ_INT(exc4(&p, IPPROTO_TCP, "127.3.2.1", 80), 1);
	CHECK_EQ_INT(exc4(&p, IPPROTO_TCP, "0.0.0.0", 80), 1);
	CHECK_EQ_INT(exc6(&p, IPPROTO_TCP, "::1", 80), 1);
	CHECK_EQ_INT(exc6(&p, IPPROTO_TCP, "::", 80), 1);
	CHECK_EQ_INT(exc6(&p, IPPROTO_TCP, "::ffff:127.0.0.1", 80), 1);
	CHECK_EQ_INT(exc6(&p, IPPROTO_TCP, "::2", 80), 0);
	/* address ranges */
	CHECK_EQ_INT(exc4(&p, IPPROTO_TCP, "10.1.255.255", 80), 1);
	CHECK_EQ_INT(exc4(&p, IPPROTO_TCP, "10.2.0.1", 80), 0);
	CHECK_EQ_INT(exc6(&p, IPPROTO_TCP, "::ffff:10.1.2.3", 80), 1);
	CHECK_EQ_INT(exc6(&p, IPPROTO_UDP, "fd12::1", 80), 1);
	CHECK_EQ_INT(exc6(&p, IPPROTO_UDP, "fe80::1", 80), 0);
	CHECK_EQ_INT(exc6(&p, IPPROTO_TCP, "2001:db8::1", 6010), 1);
	/* unix destinations are never bound; short or absent addresses are */
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	CHECK_EQ_INT(ipnb_excepted(&p, 0, (struct sockaddr *)&un, sizeof un), 1);
	socklen_t l;
	const struct sockaddr *sa = v4("127.0.0.1", 80, &l);
	CHECK_EQ_INT(ipnb_excepted(&p, IPPROTO_TCP, sa, 4), 0);
	CHECK_EQ_INT(ipnb_excepted(&p, IPPROTO_TCP, NULL, 0), 0);
	/* a listening socket on the wildcard address is not on loopback */
	sa = v4("0.0.0.0", 7000, &l);
	CHECK_EQ_INT(ipnb_excepted_local(&p, IPPROTO_TCP, sa, l), 0);
	sa = v4("127.0.0.1", 7000, &l);
	CHECK_EQ_INT(ipnb_excepted_local(&p, IPPROTO_TCP, sa, l), 1);
	sa = v6("::", 7000, &l);
	CHECK_EQ_INT(ipnb_excepted_local(&p, IPPROTO_TCP, sa, l), 0);
	sa = v4("0.0.0.0", 6000, &l);
	CHECK_EQ_INT(ipnb_excepted_local(&p, IPPROTO_TCP, sa, l), 1);

	/* prefix lengths that are not byte-aligned */
	CHECK_EQ_INT(ipnb_parse("except address 192.168.4.0/22", &p, err, sizeof err), 0);
	CHECK_EQ_INT(exc4(&p, IPPROTO_TCP, "192.168.7.9", 1), 1);
	CHECK_EQ_INT(exc4(&p, IPPROTO_TCP, "192.168.8.1", 1), 0);
	CHECK_EQ_INT(exc4(&p, IPPROTO_TCP, "192.168.3.255", 1), 0);
	/* "any" covers tcp and udp, and no loopback exception means loopback is bound */
	CHECK_EQ_INT(ipnb_parse("except any 7-9", &p, err, sizeof err), 0);
	CHECK_EQ_INT(exc4(&p, IPPROTO_UDP, "192.0.2.1", 8), 1);
	CHECK_EQ_INT(exc4(&p, IPPROTO_TCP, "192.0.2.1", 9), 1);
	CHECK_EQ_INT(exc4(&p, IPPROTO_TCP, "127.0.0.1", 80), 0);
}

/* A fake environment for ipnb_resolve. */
static const char *env_policy, *env_nd, *env_other;
static const char *fake_getenv(const char *name)
{
	if (!strcmp(name, IPNB_ENV_POLICY))
		return env_policy;
	if (!strcmp(name, "ND"))
		return env_nd;
	if (!strcmp(name, "OTHER"))
		return env_other;
	return NULL;
}

static void test_resolve(void)
{
	struct ipnb_policy p;
	char err[128];

	/* nothing set: inactive */
	env_policy = env_nd = env_other = NULL;
	CHECK_EQ_INT(ipnb_resolve(&p, 0, fake_getenv, err, sizeof err), 0);

	/* ND only: active with the default exceptions (loopback, unix) */
	env_nd = "usn0";
	CHECK_EQ_INT(ipnb_resolve(&p, 0, fake_getenv, err, sizeof err), 1);
	CHECK_EQ_STR(p.device, "usn0");
	CHECK_EQ_INT(p.nexc, 2);
	CHECK_EQ_INT(exc4(&p, IPPROTO_TCP, "127.0.0.1", 6000), 1);
	CHECK_EQ_INT(exc4(&p, IPPROTO_TCP, "192.0.2.1", 6000), 0);

	/* secure execution (setuid, setgid, capabilities): never active */
	CHECK_EQ_INT(ipnb_resolve(&p, 1, fake_getenv, err, sizeof err), 0);
	env_policy = "device usn1";
	CHECK_EQ_INT(ipnb_resolve(&p, 1, fake_getenv, err, sizeof err), 0);

	/* a fixed device wins over the variable */
	CHECK_EQ_INT(ipnb_resolve(&p, 0, fake_getenv, err, sizeof err), 1);
	CHECK_EQ_STR(p.device, "usn1");

	/* a policy naming another variable reads that one */
	env_policy = "env OTHER; except tcp 6000-6063";
	CHECK_EQ_INT(ipnb_resolve(&p, 0, fake_getenv, err, sizeof err), 0);
	env_other = "veth9";
	CHECK_EQ_INT(ipnb_resolve(&p, 0, fake_getenv, err, sizeof err), 1);
	CHECK_EQ_STR(p.device, "veth9");

	/* bad policy text or device variable: an error, not a silent pass */
	env_policy = "device";
	CHECK_EQ_INT(ipnb_resolve(&p, 0, fake_getenv, err, sizeof err), -EINVAL);
	env_policy = NULL;
	env_nd = "a-name-far-too-long-for-linux";
	CHECK_EQ_INT(ipnb_resolve(&p, 0, fake_getenv, err, sizeof err), -EINVAL);
	CHECK(strstr(err, "not an interface name") != NULL);
}

int main(void)
{
	test_parse();
	test_errors();
	test_match();
	test_resolve();
	return check_report("bind_policy");
}
