/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * IPN access: the network's owner, group and mode decide, from the peer's
 * credentials, r (may receive), w (may send) and x (may manage). As for files,
 * the first matching class counts (owner, then group, then others); root and
 * the engine's own uid get everything. Pure.
 */
#ifndef IPN_ACCESS_H
#define IPN_ACCESS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct access_who {
	uid_t uid;
	gid_t gid;
	const gid_t *groups;
	int ngroups;
};

/* IPN_RIGHT_* bits of `who` on a network owned by uid:gid with `mode`. */
uint32_t access_rights(const struct access_who *who, uid_t owner, gid_t group, uint32_t mode,
		       uid_t engine_uid);

/*
 * The mode shown on disk. A member needs write permission on PATH/ctl to
 * connect whatever rights it gets, so every class with any IPN right gets
 * rw- on the ctl socket and r-x on the directory (rwx for the owner).
 */
uint32_t access_ctl_mode(uint32_t mode);
uint32_t access_dir_mode(uint32_t mode);

#endif
