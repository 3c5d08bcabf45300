// SPDX-License-Identifier: GPL-2.0
/*
 * libipn's kernel backend, control side, through the ABI only: the backend
 * choice, networks created, listed, read, updated and destroyed with the
 * user engine's numbers, defaults and reasons; a network outliving its
 * context the way the engine keeps it; access with a non-root uid (the
 * cases of tests/e2e/engine_access.sh with native members).
 */
#include "libt.h"
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#define UID 1000
#define GID 1000

static int same_cfg(const struct ipn_net_config *a, const struct ipn_net_config *b)
{
	int good = a->policy == b->policy && a->max_ports == b->max_ports && a->mtu == b->mtu &&
		   a->queue == b->queue && a->flags == b->flags && a->uid == b->uid &&
		   a->gid == b->gid && a->mode == b->mode && !strcmp(a->name, b->name) &&
		   !strcmp(a->path, b->path) && !strcmp(a->owner, b->owner) &&
		   !memcmp(&a->concast, &b->concast, sizeof(a->concast));

	if (!good)
		diag("  got policy %u ports %u mtu %u queue %u flags %u uid %u gid %u mode %o "
		     "name %s path %s owner %s", b->policy, b->max_ports, b->mtu, b->queue, b->flags,
		     b->uid, b->gid, b->mode, b->name, b->path, b->owner);
	return good;
}

static int listed(const char *name)
{
	struct ipn_net_info i[32];
	int n = ipn_net_list(ctx, i, 32), k, found = 0;

	for (k = 0; k < n && k < 32; k++)
		found |= !strcmp(i[k].cfg.name, name);
	return found;
}

static void t_backend(void)
{
	ipn_ctx *c2;
	char why[200];

	ok(lt_open() == IPN_BACKEND_KERNEL, "IPN_BACKEND_AUTO picks the kernel with the module loaded");
	ok(ipn_open(IPN_BACKEND_KERNEL, NULL, &c2) == 0 && ipn_ctx_backend(c2) == IPN_BACKEND_KERNEL,
	   "IPN_BACKEND_KERNEL opens too");
	ipn_close(c2);
	ok(ipn_open(7, NULL, &c2) == -EINVAL && ipn_last_error(NULL, why, sizeof(why)) > 0,
	   "an unknown backend: EINVAL, '%s'", why);
	ok(lt_err(ipn_shutdown(ctx), -EOPNOTSUPP, "no engine to stop"), "ipn_shutdown: EOPNOTSUPP, explained");
}

static void t_create(void)
{
	struct ipn_net_config c, h, k;
	struct ipn_net_info i;
	struct stat st;

	lt_cfg(&c, "lsw", IPN_POLICY_SWITCH);
	c.flags = IPN_NET_PERSISTENT | IPN_NET_LOSSLESS;
	c.max_ports = 48;
	c.mtu = 9000;
	c.queue = 100;
	c.uid = 12;
	c.gid = 34;
	c.mode = 0640;
	c.ageing_s = 60;
	snprintf(c.owner, sizeof(c.owner), "ipnd");
	WORKS(ipn_net_create(ctx, &c), "create a switch: 48 ports, mtu 9000, queue 100, lossless, "
	      "persistent, 12:34 0640, ageing 60, owner ipnd");
	ok(!ipn_net_get(ctx, "lsw", &i) && same_cfg(&c, &i.cfg) && i.cfg.ageing_s == 60,
	   "ipn_net_get gives back every setting");
	ok(!stat(c.path, &st) && S_ISSOCK(st.st_mode) && st.st_uid == 12 && st.st_gid == 34 &&
	   (st.st_mode & 07777) == 0640, "its node: a socket, owned 12:34, mode 0640 (no umask)");
	ok(i.members == 0 && i.attachments == 0 && i.flows == 0 && i.stats.rx_frames == 0,
	   "no member, attachment or flow; counters at 0");

	lt_cfg(&h, "lhub", IPN_POLICY_HUB);
	WORKS(ipn_net_create(ctx, &h), "create a hub with the defaults");
	ok(!ipn_net_get(ctx, "lhub", &i) && same_cfg(&h, &i.cfg) && i.cfg.flags == 0,
	   "read back: not persistent, not lossless");

	lt_cfg(&k, "lcc", IPN_POLICY_CONCAST);
	k.concast.key_type = IPN_FIELD_U16;
	k.concast.merge_fn = IPN_MERGE_SUM;
	k.concast.value_type = IPN_FIELD_U32 | IPN_FIELD_LE;
	k.concast.value_offset = 4;
	k.concast.done_count = 3;
	k.concast.done_timeout_ms = 500;
	k.concast.output = IPN_CONCAST_OUT_SUMMARY;
	k.concast.receiver_port = 2;
	WORKS(ipn_net_create(ctx, &k), "create a concast network");
	ok(!ipn_net_get(ctx, "lcc", &i) && same_cfg(&k, &i.cfg), "its spec reads back");
	{
		struct ipn_net_info all[32];
		int n = ipn_net_list(ctx, all, 32), one = ipn_net_list(ctx, all, 1);

		ok(n == 3 && one == 3 && listed("lsw") && listed("lhub") && listed("lcc"),
		   "ipn_net_list: 3 networks (also with room for 1: it says how many exist)");
	}
}

static void t_create_errors(void)
{
	struct ipn_net_config c;
	const char *f;

	lt_cfg(&c, "lhub", IPN_POLICY_HUB);
	ok(lt_err(ipn_net_create(ctx, &c), -EEXIST, "a network with this name exists"), "same name: EEXIST");
	lt_cfg(&c, "other", IPN_POLICY_HUB);
	snprintf(c.path, sizeof(c.path), "%s", lt_path("lhub"));
	ok(lt_err(ipn_net_create(ctx, &c), -EEXIST, "another network serves this path"), "same path: EEXIST");
	lt_cfg(&c, "bad name", IPN_POLICY_HUB);
	ok(lt_err(ipn_net_create(ctx, &c), -EINVAL, "network name must be"), "a name with a space: EINVAL");
	lt_cfg(&c, "rel", IPN_POLICY_HUB);
	snprintf(c.path, sizeof(c.path), "tmp/rel");
	ok(lt_err(ipn_net_create(ctx, &c), -EINVAL, "path must be"), "a relative path: EINVAL");
	snprintf(c.path, sizeof(c.path), "/tmp//x");
	ok(lt_err(ipn_net_create(ctx, &c), -EINVAL, "normalised"), "an unnormalised path: EINVAL");
	lt_cfg(&c, "pol", 9);
	ok(lt_err(ipn_net_create(ctx, &c), -EINVAL, "policy must be"), "policy 9: EINVAL");
	lt_cfg(&c, "ports", IPN_POLICY_HUB);
	c.max_ports = 0;
	ok(lt_err(ipn_net_create(ctx, &c), -EINVAL, "ports must be within 1..65535"), "0 ports: EINVAL");
	lt_cfg(&c, "mtu", IPN_POLICY_HUB);
	c.mtu = 9217;
	ok(lt_err(ipn_net_create(ctx, &c), -EINVAL, "mtu must be within 64..9216"), "mtu 9217: EINVAL");
	lt_cfg(&c, "queue", IPN_POLICY_HUB);
	c.queue = 0;
	ok(lt_err(ipn_net_create(ctx, &c), -EINVAL, "queue must be"), "queue 0: EINVAL");
	lt_cfg(&c, "flags", IPN_POLICY_HUB);
	c.flags = 0x40;
	ok(lt_err(ipn_net_create(ctx, &c), -EINVAL, "unknown network flags"), "flags 0x40: EINVAL");
	lt_cfg(&c, "mode", IPN_POLICY_HUB);
	c.mode = 01777;
	ok(lt_err(ipn_net_create(ctx, &c), -EINVAL, "mode must be"), "mode 01777: EINVAL");
	lt_cfg(&c, "spec", IPN_POLICY_HUB);
	c.concast.done_count = 1;
	ok(lt_err(ipn_net_create(ctx, &c), -EINVAL, "concast spec given for a policy"),
	   "a concast spec on a hub: EINVAL");
	lt_cfg(&c, "cc", IPN_POLICY_CONCAST);
	c.concast.key_type = IPN_FIELD_U16;
	c.concast.merge_fn = IPN_MERGE_SUM;
	ok(lt_err(ipn_net_create(ctx, &c), -EINVAL, "needs a value field"), "sum without a field: EINVAL");
	c.size = 8;
	ok(lt_err(ipn_net_create(ctx, &c), -EINVAL, "wrong size"), "a config of the wrong size: EINVAL");
	lt_cfg(&c, "file", IPN_POLICY_HUB);
	f = c.path;
	close(open(f, O_CREAT | O_WRONLY, 0600));
	ok(lt_err(ipn_net_create(ctx, &c), -EEXIST, "not a network's node"), "a plain file at the path: EEXIST");
	unlink(f);
	lt_cfg(&c, "noparent", IPN_POLICY_HUB);
	snprintf(c.path, sizeof(c.path), "/tmp/no/such/dir/x");
	ok(lt_err(ipn_net_create(ctx, &c), -ENOENT, "parent directory does not exist"),
	   "a missing parent directory: ENOENT");
	ok(!listed("rel") && !listed("file") && !listed("noparent") && !listed("cc"),
	   "none of them was created");
}

static void t_update(void)
{
	struct ipn_net_config c;
	struct ipn_net_info i;
	ipn_member *m;
	struct stat st;

	ipn_net_get(ctx, "lsw", &i);
	c = i.cfg;
	c.mtu = 1500;
	c.queue = 10;
	c.max_ports = 40;
	c.flags = IPN_NET_PERSISTENT;
	c.ageing_s = 5;
	c.mode = 0664;
	c.uid = 0;
	c.gid = 0;
	snprintf(c.owner, sizeof(c.owner), "someone");
	WORKS(ipn_net_update(ctx, &c), "update mtu, queue, ports, flags, ageing, access, owner");
	ok(!ipn_net_get(ctx, "lsw", &i) && same_cfg(&c, &i.cfg) && i.cfg.ageing_s == 5,
	   "read back");
	ok(!stat(c.path, &st) && st.st_uid == 0 && (st.st_mode & 0777) == 0664, "the node follows");
	c.path[0] = 0;
	c.policy = 0;
	memset(&c.concast, 0, sizeof(c.concast));
	WORKS(ipn_net_update(ctx, &c), "an empty path and policy 0 mean unchanged");
	snprintf(c.path, sizeof(c.path), "/tmp/elsewhere");
	ok(lt_err(ipn_net_update(ctx, &c), -EINVAL, "path cannot change"), "a new path: EINVAL");
	c.path[0] = 0;
	c.policy = IPN_POLICY_HUB;
	ok(lt_err(ipn_net_update(ctx, &c), -EINVAL, "policy cannot change"), "a new policy: EINVAL");
	c.policy = 0;
	m = lt_join("lsw", 0);
	ok(m && ipn_member_port(m) == 1, "a member at port 1");
	ipn_leave(m);
	{
		ipn_member *ms[3];
		int k;

		for (k = 0; k < 3; k++)
			ms[k] = lt_join("lsw", 0);
		c.max_ports = 2;
		ok(lt_err(ipn_net_update(ctx, &c), -EBUSY, "a port above the new port count is in use"),
		   "fewer ports than a member's: EBUSY");
		for (k = 0; k < 3; k++)
			ipn_leave(ms[k]);
	}
	c.max_ports = 40;
	c.mtu = 63;
	ok(lt_err(ipn_net_update(ctx, &c), -EINVAL, "mtu must be"), "mtu 63: EINVAL");
	ipn_net_get(ctx, "lcc", &i);
	c = i.cfg;
	c.concast.done_count = 9;
	ok(lt_err(ipn_net_update(ctx, &c), -EINVAL, "the concast spec cannot change"),
	   "a new concast spec: EINVAL");
	c = i.cfg;
	c.mtu = 64;
	WORKS(ipn_net_update(ctx, &c), "a smaller MTU that still holds the fields");
	snprintf(c.name, sizeof(c.name), "nosuch");
	ok(lt_err(ipn_net_update(ctx, &c), -ENOENT, "no such network"), "an unknown network: ENOENT");
}

/* a network outlives its context the way the engine keeps it */
static void t_lifetime(void)
{
	struct ipn_net_info i;
	ipn_member *m;

	ipn_close(ctx);
	lt_open();
	ok(listed("lhub") && listed("lsw"), "networks outlive the context that made them");
	m = lt_join("lhub", 0);
	ok(m && lt_members("lhub") == 1, "a member joins the (not persistent) hub");
	ipn_leave(m);
	ok(!listed("lhub") && ipn_net_get(ctx, "lhub", &i) == -ENOENT,
	   "it leaves: the hub ends, as the engine ends a network whose last member left");
	m = lt_join("lsw", 0);
	ipn_leave(m);
	ok(listed("lsw"), "the persistent switch stays");
	lt_net("lhub", IPN_POLICY_HUB);
	ok(listed("lhub"), "a new network at the stale node's path");
}

static void t_destroy(void)
{
	struct stat st;
	ipn_member *m = lt_join("lsw", 0);
	char b[64];

	WORKS(ipn_net_destroy(ctx, "lsw"), "destroy the switch with a member");
	ok(ipn_recv(m, b, sizeof(b)) == -ECONNRESET && ipn_send(m, b, 60) == -ECONNRESET,
	   "the member: ECONNRESET");
	ipn_leave(m);
	ok(!listed("lsw") && stat(lt_path("lsw"), &st) < 0, "gone from the list, its node removed");
	ok(lt_err(ipn_net_destroy(ctx, "lsw"), -ENOENT, "no such network"), "destroy again: ENOENT");
	ok(lt_err(ipn_net_get(ctx, "lsw", NULL), -EINVAL, "buffer missing"), "no buffer: EINVAL");
}

/* ---- a non-root uid: engine_access.sh's cases ---- */

static int c_perm(void *arg)
{
	struct ipn_net_config c;
	struct ipn_net_info i;
	ipn_member *m;
	int rc = 0;

	(void)arg;
	if (lt_open() != IPN_BACKEND_KERNEL)
		return 1;
	lt_cfg(&c, "nobodys", IPN_POLICY_HUB);
	if (!lt_err(ipn_net_create(ctx, &c), -EPERM, "needs root"))
		rc |= 2;
	ipn_net_get(ctx, "lx", &i);
	c = i.cfg;
	c.mtu = 1000;
	if (ipn_net_update(ctx, &c) != 0)
		rc |= 4;
	ipn_net_get(ctx, "lr", &i);
	c = i.cfg;
	c.mtu = 1000;
	if (!lt_err(ipn_net_update(ctx, &c), -EPERM, "needs the x right"))
		rc |= 8;
	if (ipn_net_get(ctx, "ln", &i) != -ENOENT || listed("ln"))
		rc |= 16;
	m = lt_join("lw", 0);
	if (!m || ipn_member_rights(m) != IPN_RIGHT_WRITE)
		rc |= 32;
	if (m && ipn_recv(m, &i, 1) != -EPERM)
		rc |= 32;
	ipn_leave(m);
	m = lt_join("lr", 0);
	if (!m || ipn_member_rights(m) != IPN_RIGHT_READ)
		rc |= 64;
	ipn_leave(m);
	if (ipn_join(lt_path("ln"), 0, &m) != -EACCES)
		rc |= 128;
	if (ipn_vlan_set(ctx, "lr", &(struct ipn_port_vlan){ .port = 1, .pvid = 1 }) != -EINVAL)
		rc |= 256; /* a hub: no VLANs, whoever asks */
	return rc;
}

static int c_hold(void *arg)
{
	ipn_member *m;
	char b[64];

	(void)arg;
	m = lt_join("lr", 0);
	if (!m)
		return 1;
	/* wait until the member is disconnected */
	for (int k = 0; k < 100; k++) {
		ssize_t r = lt_recv(m, b, sizeof(b), 100);

		if (r == -ECONNRESET)
			return 0;
	}
	return 2;
}

static void t_access(void)
{
	struct ipn_net_config c;
	struct ipn_net_info i;
	const char *name[] = { "lw", "lr", "ln", "lx" };
	unsigned mode[] = { 0662, 0664, 0660, 0667 };
	int k, rc;
	pid_t p;

	for (k = 0; k < 4; k++) {
		lt_cfg(&c, name[k], IPN_POLICY_HUB);
		c.flags = IPN_NET_PERSISTENT;
		c.mode = mode[k];
		ipn_net_create(ctx, &c);
	}
	rc = run_as(UID, GID, c_perm, NULL);
	ok(rc == 0, "uid 1000: create refused (needs root), x manages, r only cannot manage, "
	   "no right hides the network, w only is send-only, r only receive-only, none refused (%d)", rc);
	ok(lt_drops("ln", IPN_DROP_REFUSED) == 1, "the refusal is counted");
	p = spawn_as(UID, GID, c_hold, NULL);
	for (k = 0; k < 50 && lt_members("lr") != 1; k++)
		msleep(100);
	ok(lt_members("lr") == 1, "uid 1000 holds a member of the 0664 network");
	ipn_net_get(ctx, "lr", &i);
	c = i.cfg;
	c.mode = 0660;
	WORKS(ipn_net_update(ctx, &c), "mode 0664 -> 0660");
	ok(wait_child(p) == 0 && lt_members("lr") == 0, "the member lost its rights: disconnected");
	for (k = 0; k < 4; k++)
		ipn_net_destroy(ctx, name[k]);
}

int main(void)
{
	struct ipn_objects o = { 0 };

	tinit("lib_ctl");
	t_backend();
	t_create();
	t_create_errors();
	t_update();
	t_lifetime();
	t_destroy();
	t_access();
	ipn_net_destroy(ctx, "lhub");
	ipn_net_destroy(ctx, "lcc");
	ok(ipn_net_list(ctx, NULL, 0) == 0, "every network destroyed");
	ipn_close(ctx);
	get_objects(&o);
	ok(o.nets == 0 && o.ports == 0, "nothing left in the module");
	return tdone();
}
