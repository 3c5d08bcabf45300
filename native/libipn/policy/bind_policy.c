/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Bind policies: parsing the text form and matching destinations. */
#include "bind_policy.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

static int fail(char *err, size_t cap, int line, const char *fmt, ...)
{
	if (err && cap) {
		int n = snprintf(err, cap, "line %d: ", line);
		if (n < 0 || (size_t)n >= cap)
			n = 0;
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err + n, cap - n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* Split off the next whitespace-separated word of `*s` into `out`. */
static int word(const char **s, char *out, size_t cap)
{
	const char *p = *s;
	while (*p == ' ' || *p == '\t')
		p++;
	size_t n = 0;
	while (*p && *p != ' ' && *p != '\t') {
		if (n + 1 >= cap)
			return -1;
		out[n++] = *p++;
	}
	out[n] = 0;
	*s = p;
	return (int)n;
}

static int parse_port(const char *s, char **end, uint16_t *out)
{
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	unsigned long v = strtoul(s, end, 10);
	if (errno || v < 1 || v > 65535)
		return -1;
	*out = (uint16_t)v;
	return 0;
}

/* "a[-b][,c[-d]...]" */
static int parse_ranges(const char *s, struct ipnb_exc *e)
{
	for (;;) {
		char *end;
		struct ipnb_range r;
		if (parse_port(s, &end, &r.lo))
			return -1;
		r.hi = r.lo;
		if (*end == '-' && parse_port(end + 1, &end, &r.hi))
			return -1;
		if (r.hi < r.lo || e->nranges >= IPNB_MAX_RANGES)
			return -1;
		e->ranges[e->nranges++] = r;
		if (*end == 0)
			return 0;
		if (*end != ',')
			return -1;
		s = end + 1;
	}
}

static int parse_cidr(const char *s, struct ipnb_exc *e)
{
	char a[64];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	if (n == 0 || n >= sizeof a)
		return -1;
	memcpy(a, s, n);
	a[n] = 0;
	if (inet_pton(AF_INET, a, e->addr) == 1) {
		e->family = AF_INET;
		e->plen = 32;
	} else if (inet_pton(AF_INET6, a, e->addr) == 1) {
		e->family = AF_INET6;
		e->plen = 128;
	} else {
		return -1;
	}
	if (slash) {
		char *end;
		if (!isdigit((unsigned char)slash[1]))
			return -1;
		unsigned long v = strtoul(slash + 1, &end, 10);
		if (*end || (int)v > e->plen)
			return -1;
		e->plen = (int)v;
	}
	return 0;
}

static int parse_item(const char *s, struct ipnb_policy *p, int line, char *err, size_t cap)
{
	char key[32], a[IPNB_NAME_MAX], b[256], extra[8];
	if (word(&s, key, sizeof key) < 0)
		return fail(err, cap, line, "keyword too long");
	if (!key[0])
		return 0;
	if (word(&s, a, sizeof a) < 0 || word(&s, b, sizeof b) < 0)
		return fail(err, cap, line, "value too long");
	if (word(&s, extra, sizeof extra) != 0)
		return fail(err, cap, line, "unexpected '%s' after '%s'", extra, key);

	if (!strcmp(key, "name") || !strcmp(key, "device") || !strcmp(key, "env")) {
		if (!a[0] || b[0])
			return fail(err, cap, line, "'%s' takes exactly one value", key);
		if (!strcmp(key, "name")) {
			snprintf(p->name, sizeof p->name, "%s", a);
		} else if (!strcmp(key, "device")) {
			if (strlen(a) >= IFNAMSIZ || strchr(a, '/') || strchr(a, ':'))
				return fail(err, cap, line, "'%s' is not an interface name", a);
			snprintf(p->device, sizeof p->device, "%s", a);
		} else {
			for (const char *c = a; *c; c++)
				if (!(isalnum((unsigned char)*c) || *c == '_') || isdigit((unsigned char)a[0]))
					return fail(err, cap, line, "'%s' is not a variable name", a);
			snprintf(p->env, sizeof p->env, "%s", a);
		}
		return 0;
	}
	if (strcmp(key, "except"))
		return fail(err, cap, line, "unknown keyword '%s' (name, device, env, except)", key);
	if (p->nexc >= IPNB_MAX_EXC)
		return fail(err, cap, line, "more than %d exceptions", IPNB_MAX_EXC);
	struct ipnb_exc *e = &p->exc[p->nexc];
	memset(e, 0, sizeof *e);
	if (!strcmp(a, "loopback") || !strcmp(a, "unix")) {
		if (b[0])
			return fail(err, cap, line, "'except %s' takes no value", a);
		e->kind = !strcmp(a, "unix") ? IPNB_EXC_UNIX : IPNB_EXC_LOOPBACK;
	} else if (!strcmp(a, "address")) {
		if (parse_cidr(b, e))
			return fail(err, cap, line, "'%s' is not an address or address/prefix", b);
		e->kind = IPNB_EXC_ADDR;
	} else if (!strcmp(a, "tcp") || !strcmp(a, "udp") || !strcmp(a, "any")) {
		e->proto = !strcmp(a, "tcp") ? IPNB_TCP : !strcmp(a, "udp") ? IPNB_UDP : IPNB_ANY;
		if (parse_ranges(b, e))
			return fail(err, cap, line, "'%s' is not a port list (1-65535, e.g. 6000-6063,7100)",
				    b);
		e->kind = IPNB_EXC_PORT;
	} else {
		return fail(err, cap, line,
			    "unknown exception '%s' (tcp, udp, any, loopback, unix, address)", a);
	}
	p->nexc++;
	return 0;
}

int ipnb_parse(const char *text, struct ipnb_policy *p, char *err, size_t errcap)
{
	memset(p, 0, sizeof *p);
	if (err && errcap)
		err[0] = 0;
	int line = 1;
	const char *s = text;
	while (*s) {
		/* one item: up to ';', '\n' or end; '#' comments to end of line */
		char item[512];
		size_t n = 0;
		int comment = 0;
		while (*s && *s != '\n' && *s != ';') {
			if (*s == '#')
				comment = 1;
			if (!comment) {
				if (n + 1 >= sizeof item)
					return fail(err, errcap, line, "line too long");
				item[n++] = *s == '\r' ? ' ' : *s;
			}
			s++;
		}
		item[n] = 0;
		int rc = parse_item(item, p, line, err, errcap);
		if (rc)
			return rc;
		if (*s == '\n')
			line++;
		if (*s)
			s++;
	}
	return 0;
}

void ipnb_default(struct ipnb_policy *p)
{
	memset(p, 0, sizeof *p);
	snprintf(p->env, sizeof p->env, "%s", IPNB_DEFAULT_ENV);
	p->exc[0].kind = IPNB_EXC_LOOPBACK;
	p->exc[1].kind = IPNB_EXC_UNIX;
	p->nexc = 2;
}

static int prefix_match(const uint8_t *a, const uint8_t *net, int plen)
{
	int full = plen / 8, rest = plen % 8;
	if (memcmp(a, net, full))
		return 0;
	if (!rest)
		return 1;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (a[full] & mask) == (net[full] & mask);
}

/* The destination as an address of one family: IPv4-mapped IPv6 counts as IPv4. */
struct dest {
	int family; /* 0: not an inet destination */
	uint8_t addr[16];
	uint16_t port;
};

static void dest_of(const struct sockaddr *sa, socklen_t len, struct dest *d)
{
	memset(d, 0, sizeof *d);
	if (!sa)
		return;
	if (sa->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const void *)sa;
		d->family = AF_INET;
		memcpy(d->addr, &in->sin_addr, 4);
		d->port = ntohs(in->sin_port);
	} else if (sa->sa_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *in6 = (const void *)sa;
		d->port = ntohs(in6->sin6_port);
		if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
			d->family = AF_INET;
			memcpy(d->addr, in6->sin6_addr.s6_addr + 12, 4);
		} else {
			d->family = AF_INET6;
			memcpy(d->addr, &in6->sin6_addr, 16);
		}
	} else if (sa->sa_family == AF_UNIX) {
		d->family = AF_UNIX;
	}
}

/* Loopback; the unspecified address too when it is a destination (it means this host). */
static int is_loopback(const struct dest *d, int unspecified)
{
	static const uint8_t zero[16];
	if (d->family == AF_INET)
		return d->addr[0] == 127 || (unspecified && !memcmp(d->addr, zero, 4));
	if (d->family == AF_INET6) {
		static const uint8_t one[16] = {[15] = 1};
		return !memcmp(d->addr, one, 16) || (unspecified && !memcmp(d->addr, zero, 16));
	}
	return 0;
}

static int proto_class(int ipproto)
{
	switch (ipproto) {
	case IPPROTO_TCP:
	case IPPROTO_MPTCP:
		return IPNB_TCP;
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
		return IPNB_UDP;
	case IPPROTO_SCTP:
		return IPNB_ANY;
	default:
		return -1; /* no ports: ICMP, raw */
	}
}

static int excepted(const struct ipnb_policy *p, int ipproto, const struct sockaddr *sa,
		    socklen_t len, int local)
{
	struct dest d;
	dest_of(sa, len, &d);
	if (d.family == AF_UNIX)
		return 1; /* binding a unix socket to a device means nothing */
	if (!d.family)
		return 0;
	int pc = proto_class(ipproto);
	for (int i = 0; i < p->nexc; i++) {
		const struct ipnb_exc *e = &p->exc[i];
		switch (e->kind) {
		case IPNB_EXC_LOOPBACK:
			if (is_loopback(&d, !local))
				return 1;
			break;
		case IPNB_EXC_ADDR:
			if (e->family == d.family && prefix_match(d.addr, e->addr, e->plen))
				return 1;
			break;
		case IPNB_EXC_PORT:
			if (pc < 0 || (e->proto != IPNB_ANY && e->proto != pc))
				break;
			for (int r = 0; r < e->nranges; r++)
				if (d.port >= e->ranges[r].lo && d.port <= e->ranges[r].hi)
					return 1;
			break;
		default:
			break;
		}
	}
	return 0;
}

int ipnb_excepted(const struct ipnb_policy *p, int ipproto, const struct sockaddr *sa,
		  socklen_t len)
{
	return excepted(p, ipproto, sa, len, 0);
}

int ipnb_excepted_local(const struct ipnb_policy *p, int ipproto, const struct sockaddr *sa,
			socklen_t len)
{
	return excepted(p, ipproto, sa, len, 1);
}

int ipnb_resolve(struct ipnb_policy *p, unsigned long at_secure, ipnb_getenv_fn get, char *err,
		 size_t errcap)
{
	if (at_secure)
		return 0;
	const char *text = get(IPNB_ENV_POLICY);
	if (text && *text) {
		int rc = ipnb_parse(text, p, err, errcap);
		if (rc)
			return rc;
	} else {
		ipnb_default(p);
	}
	if (!p->device[0]) {
		const char *dev = get(p->env[0] ? p->env : IPNB_DEFAULT_ENV);
		if (!dev || !*dev)
			return 0;
		if (strlen(dev) >= IFNAMSIZ) {
			if (err && errcap)
				snprintf(err, errcap, "'%s' is not an interface name", dev);
			return -EINVAL;
		}
		snprintf(p->device, sizeof p->device, "%s", dev);
	}
	return 1;
}
