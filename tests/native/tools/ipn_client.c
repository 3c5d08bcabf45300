/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ipn-client: drive libipn from shell tests.
 *
 *   ipn-client [--rundir DIR] COMMAND ARGS...
 *
 * Control: create NAME PATH [k=v...] | update NAME [k=v...] | destroy NAME |
 *   list | get NAME | ports NAME | tap NAME IF [PORT] | grab NAME IF [PORT] |
 *   detach NAME IF | vlan NAME PORT [pvid=N] [trunk=A,B-C] | vlan-get NAME PORT |
 *   flows NAME | flow-get NAME KEY | flow-set NAME KEY [value=] [count=] [expect=] [close] |
 *   shutdown | if-info IF | if-set IF up|down|- [MTU] | addr-add IF CIDR | addr-del IF CIDR |
 *   addrs IF
 * Members (native API): send PATH COUNT HEX [rdonly|wronly] |
 *   recv PATH COUNT TIMEOUT_MS [rdonly|wronly] (prints each frame as hex) |
 *   join PATH [rdonly|wronly] (prints port and rights, then leaves)
 *
 * create keys: policy=hub|switch|concast ports= mtu= queue= lossless persistent
 *   uid= gid= mode=0NNN ageing= owner= key=u16@0[le] merge=fn value=u32@4[le]
 *   count= timeout= output=message|summary receiver=N
 * Output is "key value" lines; errors go to stderr with the engine's reason,
 * exit status 1.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ipn.h"

static const char *rundir = NULL;
static ipn_ctx *ctx;

static void die(const char *what, int rc)
{
	char why[200] = "";
	ipn_last_error(ctx, why, sizeof(why));
	fprintf(stderr, "ipn-client: %s: %s%s%s\n", what, ipn_strerror(rc), why[0] ? ": " : "", why);
	exit(1);
}

static void open_ctx(void)
{
	int rc = ipn_open(IPN_BACKEND_USER, rundir, &ctx);
	if (rc < 0) {
		ctx = NULL;
		die("open", rc);
	}
}

static const char *drop_names[IPN_DROP_MAX] = {
	"queue_full", "too_big", "too_small", "no_write", "vlan", "malformed", "no_route",
	"concast", "refused", "flows",
};

static void print_stats(const char *prefix, const struct ipn_stats *s)
{
	typedef unsigned long long ull;
	printf("%srx_frames %llu\n%srx_bytes %llu\n", prefix, (ull)s->rx_frames, prefix,
	       (ull)s->rx_bytes);
	printf("%stx_frames %llu\n%stx_bytes %llu\n", prefix, (ull)s->tx_frames, prefix,
	       (ull)s->tx_bytes);
	for (int i = 0; i < IPN_DROP_MAX; i++)
		if (drop_names[i])
			printf("%sdrop_%s %llu\n", prefix, drop_names[i], (ull)s->drops[i]);
}

static uint16_t field(const char *v, uint16_t *off)
{
	char t[8];
	unsigned o;
	char le[4] = "";
	if (sscanf(v, "%7[a-z0-9]@%u%3s", t, &o, le) < 2) {
		fprintf(stderr, "ipn-client: bad field %s (want u16@0 or u32@4le)\n", v);
		exit(2);
	}
	*off = (uint16_t)o;
	uint16_t ty = !strcmp(t, "u8") ? IPN_FIELD_U8 : !strcmp(t, "u16") ? IPN_FIELD_U16
		    : !strcmp(t, "u32") ? IPN_FIELD_U32 : !strcmp(t, "u64") ? IPN_FIELD_U64 : 0xff;
	return ty | (strcmp(le, "le") ? 0 : IPN_FIELD_LE);
}

static void apply_kv(struct ipn_net_config *c, int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		char *k = argv[i], *v = strchr(k, '=');
		if (v)
			*v++ = 0;
		else
			v = "";
		unsigned long n = strtoul(v, NULL, 0);
		if (!strcmp(k, "policy"))
			c->policy = !strcmp(v, "hub") ? IPN_POLICY_HUB : !strcmp(v, "switch") ? IPN_POLICY_SWITCH
				  : !strcmp(v, "concast") ? IPN_POLICY_CONCAST : 99;
		else if (!strcmp(k, "ports")) c->max_ports = (uint32_t)n;
		else if (!strcmp(k, "mtu")) c->mtu = (uint32_t)n;
		else if (!strcmp(k, "queue")) c->queue = (uint32_t)n;
		else if (!strcmp(k, "lossless")) c->flags |= IPN_NET_LOSSLESS;
		else if (!strcmp(k, "lossy")) c->flags &= ~(uint32_t)IPN_NET_LOSSLESS;
		else if (!strcmp(k, "persistent")) c->flags |= IPN_NET_PERSISTENT;
		else if (!strcmp(k, "uid")) c->uid = (uint32_t)n;
		else if (!strcmp(k, "gid")) c->gid = (uint32_t)n;
		else if (!strcmp(k, "mode")) c->mode = (uint32_t)strtoul(v, NULL, 8);
		else if (!strcmp(k, "ageing")) c->ageing_s = (uint32_t)n;
		else if (!strcmp(k, "owner")) snprintf(c->owner, sizeof(c->owner), "%s", v);
		else if (!strcmp(k, "key")) c->concast.key_type = field(v, &c->concast.key_offset);
		else if (!strcmp(k, "value")) c->concast.value_type = field(v, &c->concast.value_offset);
		else if (!strcmp(k, "merge")) {
			const char *fns[] = {"", "count", "sum", "min", "max", "first", "last", "dedup"};
			c->concast.merge_fn = 99;
			for (uint16_t f = 1; f < 8; f++)
				if (!strcmp(v, fns[f]))
					c->concast.merge_fn = f;
		} else if (!strcmp(k, "count")) c->concast.done_count = (uint32_t)n;
		else if (!strcmp(k, "timeout")) c->concast.done_timeout_ms = (uint32_t)n;
		else if (!strcmp(k, "output"))
			c->concast.output = !strcmp(v, "summary") ? IPN_CONCAST_OUT_SUMMARY : IPN_CONCAST_OUT_MESSAGE;
		else if (!strcmp(k, "receiver")) c->concast.receiver_port = (int32_t)strtol(v, NULL, 0);
		else {
			fprintf(stderr, "ipn-client: unknown setting %s\n", k);
			exit(2);
		}
	}
}

static void cmd_create(int argc, char **argv)
{
	if (argc < 2)
		exit(2);
	struct ipn_net_config c = {.size = sizeof(c), .policy = IPN_POLICY_SWITCH, .max_ports = 32,
				   .mtu = 1514, .queue = 256, .mode = 0660};
	snprintf(c.name, sizeof(c.name), "%s", argv[0]);
	snprintf(c.path, sizeof(c.path), "%s", argv[1]);
	c.concast.receiver_port = -1;
	apply_kv(&c, argc - 2, argv + 2);
	if (c.policy != IPN_POLICY_CONCAST)
		memset(&c.concast, 0, sizeof(c.concast));
	else if (!c.concast.output)
		c.concast.output = IPN_CONCAST_OUT_MESSAGE;
	int rc = ipn_net_create(ctx, &c);
	if (rc < 0)
		die("create", rc);
}

static void cmd_get(const char *name)
{
	struct ipn_net_info i;
	int rc = ipn_net_get(ctx, name, &i);
	if (rc < 0)
		die("get", rc);
	printf("name %s\npath %s\npolicy %u\nports %u\nmtu %u\nqueue %u\nflags %u\n", i.cfg.name,
	       i.cfg.path, i.cfg.policy, i.cfg.max_ports, i.cfg.mtu, i.cfg.queue, i.cfg.flags);
	printf("uid %u\ngid %u\nmode %04o\nowner %s\nmembers %u\nattachments %u\nflows %u\n", i.cfg.uid,
	       i.cfg.gid, i.cfg.mode, i.cfg.owner, i.members, i.attachments, i.flows);
	print_stats("", &i.stats);
}

static void cmd_update(int argc, char **argv)
{
	struct ipn_net_info i;
	int rc = ipn_net_get(ctx, argv[0], &i);
	if (rc < 0)
		die("get", rc);
	apply_kv(&i.cfg, argc - 1, argv + 1);
	rc = ipn_net_update(ctx, &i.cfg);
	if (rc < 0)
		die("update", rc);
}

static void cmd_list(void)
{
	struct ipn_net_info i[256];
	int n = ipn_net_list(ctx, i, 256);
	if (n < 0)
		die("list", n);
	for (int k = 0; k < n && k < 256; k++)
		printf("%s %s %u\n", i[k].cfg.name, i[k].cfg.path, i[k].members);
}

static void cmd_ports(const char *name)
{
	static struct ipn_port_info p[1024];
	int n = ipn_port_list(ctx, name, p, 1024);
	if (n < 0)
		die("ports", n);
	for (int k = 0; k < n && k < 1024; k++) {
		printf("port %u kind %u rights %u pid %d uid %u ifname %s descr %s\n", p[k].port, p[k].kind,
		       p[k].rights, p[k].pid, p[k].uid, p[k].ifname[0] ? p[k].ifname : "-",
		       p[k].descr[0] ? p[k].descr : "-");
		char pre[32];
		snprintf(pre, sizeof(pre), "port%u.", p[k].port);
		print_stats(pre, &p[k].stats);
	}
}

static void parse_trunk(struct ipn_port_vlan *v, char *s)
{
	for (char *tok = strtok(s, ","); tok; tok = strtok(NULL, ",")) {
		unsigned a, b;
		int k = sscanf(tok, "%u-%u", &a, &b);
		if (k == 1)
			b = a;
		for (unsigned x = a; k >= 1 && x <= b && x < 4096; x++)
			v->trunk[x >> 3] |= (uint8_t)(1u << (x & 7));
	}
}

static void cmd_vlan(int argc, char **argv)
{
	struct ipn_port_vlan v = {.port = (uint32_t)atoi(argv[1]), .pvid = 1};
	for (int i = 2; i < argc; i++) {
		if (!strncmp(argv[i], "pvid=", 5))
			v.pvid = (uint16_t)atoi(argv[i] + 5);
		else if (!strncmp(argv[i], "trunk=", 6))
			parse_trunk(&v, argv[i] + 6);
	}
	int rc = ipn_vlan_set(ctx, argv[0], &v);
	if (rc < 0)
		die("vlan", rc);
}

static void print_flow(const struct ipn_flow *f)
{
	printf("key %llu value %llu count %u expect %u age_ms %llu flags %u\n",
	       (unsigned long long)f->key, (unsigned long long)f->value, f->count, f->expect,
	       (unsigned long long)f->age_ms, f->flags);
}

static void cmd_flows(const char *name)
{
	struct ipn_flow f[512];
	int n = ipn_flow_list(ctx, name, f, 512);
	if (n < 0)
		die("flows", n);
	for (int k = 0; k < n && k < 512; k++)
		print_flow(&f[k]);
}

static void cmd_flow_set(int argc, char **argv)
{
	struct ipn_flow f = {.key = strtoull(argv[1], NULL, 0), .flags = IPN_FLOW_OPEN};
	for (int i = 2; i < argc; i++) {
		if (!strncmp(argv[i], "value=", 6)) f.value = strtoull(argv[i] + 6, NULL, 0);
		else if (!strncmp(argv[i], "count=", 6)) f.count = (uint32_t)atoi(argv[i] + 6);
		else if (!strncmp(argv[i], "expect=", 7)) f.expect = (uint32_t)atoi(argv[i] + 7);
		else if (!strcmp(argv[i], "close")) f.flags = 0;
	}
	int rc = ipn_flow_set(ctx, argv[0], &f);
	if (rc < 0)
		die("flow-set", rc);
}

static uint32_t join_flags(int argc, char **argv, int from)
{
	uint32_t f = 0;
	for (int i = from; i < argc; i++) {
		if (!strcmp(argv[i], "rdonly")) f |= IPN_JOIN_RDONLY;
		if (!strcmp(argv[i], "wronly")) f |= IPN_JOIN_WRONLY;
	}
	return f;
}

static ipn_member *join(const char *path, uint32_t flags)
{
	ipn_member *m;
	int rc = ipn_join(path, flags, &m);
	if (rc < 0) {
		fprintf(stderr, "ipn-client: join %s: %s\n", path, ipn_strerror(rc));
		exit(1);
	}
	return m;
}

static void cmd_send(int argc, char **argv)
{
	ipn_member *m = join(argv[0], join_flags(argc, argv, 3));
	long count = atol(argv[1]);
	const char *hex = argv[2];
	uint8_t buf[9216];
	size_t n = 0;
	for (; hex[0] && hex[1] && n < sizeof(buf); hex += 2)
		sscanf(hex, "%2hhx", &buf[n++]);
	for (long i = 0; i < count; i++) {
		ssize_t r = ipn_send(m, buf, n);
		if (r < 0) {
			fprintf(stderr, "ipn-client: send: %s\n", ipn_strerror((int)r));
			exit(1);
		}
	}
	printf("port %d sent %ld\n", ipn_member_port(m), count);
	ipn_leave(m);
}

static void cmd_recv(int argc, char **argv)
{
	ipn_member *m = join(argv[0], join_flags(argc, argv, 3) | IPN_JOIN_NONBLOCK);
	long count = atol(argv[1]), got = 0;
	int timeout = atoi(argv[2]);
	printf("port %d rights %d\n", ipn_member_port(m), ipn_member_rights(m));
	fflush(stdout);
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	uint8_t buf[9216];
	while (got < count) {
		ssize_t r = ipn_recv(m, buf, sizeof(buf));
		if (r == -EAGAIN) {
			clock_gettime(CLOCK_MONOTONIC, &t);
			long left = timeout - ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000);
			if (left <= 0)
				break;
			struct pollfd p = {ipn_member_fd(m), POLLIN, 0};
			poll(&p, 1, (int)left);
			continue;
		}
		if (r < 0) {
			fprintf(stderr, "ipn-client: recv: %s\n", ipn_strerror((int)r));
			exit(1);
		}
		printf("frame ");
		for (ssize_t i = 0; i < r; i++)
			printf("%02x", buf[i]);
		printf("\n");
		got++;
	}
	printf("received %ld\n", got);
	ipn_leave(m);
}

static void cmd_if(const char *cmd, int argc, char **argv)
{
	int rc = 0;
	if (!strcmp(cmd, "if-info")) {
		struct ipn_if_info i;
		rc = ipn_if_info(argv[0], &i);
		if (rc == 0)
			printf("index %d\nflags 0x%x\nup %d\nmtu %u\nmac %02x:%02x:%02x:%02x:%02x:%02x\nkind %s\n",
			       i.index, i.flags, i.flags & 1, i.mtu, i.mac[0], i.mac[1], i.mac[2], i.mac[3],
			       i.mac[4], i.mac[5], i.kind);
	} else if (!strcmp(cmd, "if-set")) {
		int up = !strcmp(argv[1], "up") ? 1 : !strcmp(argv[1], "down") ? 0 : -1;
		rc = ipn_if_set(argv[0], up, argc > 2 ? atoi(argv[2]) : -1);
	} else if (!strcmp(cmd, "addr-add")) {
		rc = ipn_if_addr_add(argv[0], argv[1]);
	} else if (!strcmp(cmd, "addr-del")) {
		rc = ipn_if_addr_del(argv[0], argv[1]);
	} else {
		char buf[4096];
		rc = ipn_if_addrs(argv[0], buf, sizeof(buf));
		if (rc >= 0)
			fputs(buf, stdout);
	}
	if (rc < 0) {
		fprintf(stderr, "ipn-client: %s: %s\n", cmd, ipn_strerror(rc));
		exit(1);
	}
}

int main(int argc, char **argv)
{
	int i = 1;
	rundir = getenv("IPN_RUNDIR");
	if (argc > 2 && !strcmp(argv[1], "--rundir")) {
		rundir = argv[2];
		i = 3;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: ipn-client [--rundir DIR] COMMAND ...\n");
		return 2;
	}
	const char *cmd = argv[i++];
	int n = argc - i;
	char **a = argv + i;
	/* commands without an engine */
	if (!strncmp(cmd, "if-", 3) || !strncmp(cmd, "addr", 4)) {
		if (n < 1)
			return 2;
		cmd_if(cmd, n, a);
		return 0;
	}
	if (!strcmp(cmd, "send") && n >= 3) { cmd_send(n, a); return 0; }
	if (!strcmp(cmd, "recv") && n >= 3) { cmd_recv(n, a); return 0; }
	if (!strcmp(cmd, "join") && n >= 1) {
		ipn_member *m = join(a[0], join_flags(n, a, 1));
		printf("port %d rights %d\n", ipn_member_port(m), ipn_member_rights(m));
		ipn_leave(m);
		return 0;
	}
	open_ctx();
	int rc = 0;
	if (!strcmp(cmd, "create")) cmd_create(n, a);
	else if (!strcmp(cmd, "update") && n >= 1) cmd_update(n, a);
	else if (!strcmp(cmd, "destroy") && n == 1) rc = ipn_net_destroy(ctx, a[0]);
	else if (!strcmp(cmd, "list")) cmd_list();
	else if (!strcmp(cmd, "get") && n == 1) cmd_get(a[0]);
	else if (!strcmp(cmd, "ports") && n == 1) cmd_ports(a[0]);
	else if ((!strcmp(cmd, "tap") || !strcmp(cmd, "grab")) && n >= 2) {
		int32_t port = n > 2 ? atoi(a[2]) : -1;
		rc = !strcmp(cmd, "tap") ? ipn_tap_add(ctx, a[0], a[1], port) : ipn_grab_add(ctx, a[0], a[1], port);
		if (rc >= 0)
			printf("port %d\n", rc);
	} else if (!strcmp(cmd, "detach") && n == 2) rc = ipn_attach_del(ctx, a[0], a[1]);
	else if (!strcmp(cmd, "vlan") && n >= 2) cmd_vlan(n, a);
	else if (!strcmp(cmd, "vlan-get") && n == 2) {
		struct ipn_port_vlan v;
		rc = ipn_vlan_get(ctx, a[0], (uint32_t)atoi(a[1]), &v);
		if (rc >= 0)
			printf("port %u pvid %u\n", v.port, v.pvid);
	} else if (!strcmp(cmd, "flows") && n == 1) cmd_flows(a[0]);
	else if (!strcmp(cmd, "flow-get") && n == 2) {
		struct ipn_flow f;
		rc = ipn_flow_get(ctx, a[0], strtoull(a[1], NULL, 0), &f);
		if (rc >= 0)
			print_flow(&f);
	} else if (!strcmp(cmd, "flow-set") && n >= 2) cmd_flow_set(n, a);
	else if (!strcmp(cmd, "shutdown")) rc = ipn_shutdown(ctx);
	else {
		fprintf(stderr, "ipn-client: unknown command or arguments: %s\n", cmd);
		return 2;
	}
	if (rc < 0)
		die(cmd, rc);
	ipn_close(ctx);
	return 0;
}
