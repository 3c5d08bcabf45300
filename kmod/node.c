// SPDX-License-Identifier: GPL-2.0
/*
 * ipn: the filesystem nodes that name networks.
 *
 * A network is a socket inode at a path, like a bound AF_UNIX socket. Its
 * permission bits are the network's access rights: r receive, w send,
 * x manage.
 */
#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/mount.h>
#include <linux/security.h>
#include <linux/capability.h>
#include <linux/fs_struct.h>
#include <linux/cred.h>
#include <net/sock.h>
#include "ipn_core.h"

/* Create the node; -EEXIST when the path is taken. */
int ipn_node_create(const char *name, umode_t mode, struct path *res)
{
	struct user_namespace *mnt_userns;
	struct dentry *dentry;
	struct path parent;
	int err;

	dentry = kern_path_create(AT_FDCWD, name, &parent, 0);
	if (IS_ERR(dentry))
		return PTR_ERR(dentry);
	mode = S_IFSOCK | (mode & 0777 & ~current_umask());
	mnt_userns = mnt_user_ns(parent.mnt);
	err = security_path_mknod(&parent, dentry, mode, 0);
	if (!err)
		err = vfs_mknod(mnt_userns, d_inode(parent.dentry), dentry, mode, 0);
	if (!err) {
		res->mnt = mntget(parent.mnt);
		res->dentry = dget(dentry);
	}
	done_path_create(&parent, dentry);
	return err;
}

int ipn_node_lookup(const char *name, struct path *res)
{
	return kern_path(name, LOOKUP_FOLLOW, res);
}

/* 0 when the caller has the rights in mask (MAY_READ, MAY_WRITE, MAY_EXEC). */
int ipn_node_may(const struct path *path, int mask)
{
	return path_permission(path, mask);
}

/*
 * The manage right: x on the node. CAP_NET_ADMIN counts as x too, since
 * the usual modes (0660) leave no x bit for root's DAC override.
 */
bool ipn_may_manage(const struct path *path)
{
	return !ipn_node_may(path, MAY_EXEC) || capable(CAP_NET_ADMIN);
}

/*
 * The r and w rights `cred` has on the node, less the halves in `shut`
 * (RCV_SHUTDOWN, SEND_SHUTDOWN): what a member with those credentials
 * would get by connecting now.
 */
u8 ipn_node_rights(const struct path *path, const struct cred *cred, u8 shut)
{
	const struct cred *old = override_creds(cred);
	u8 rights = 0;

	if (!(shut & RCV_SHUTDOWN) && !ipn_node_may(path, MAY_READ))
		rights |= IPN_RIGHT_READ;
	if (!(shut & SEND_SHUTDOWN) && !ipn_node_may(path, MAY_WRITE))
		rights |= IPN_RIGHT_WRITE;
	revert_creds(old);
	return rights;
}
