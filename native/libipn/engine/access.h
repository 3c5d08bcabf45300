/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * IPN access: the network's owner, group and mode decide, from the peer's
 * credentials, r (may receive), w (may send) and x (may manage). As for files,
 * the first matching class counts (owner, then group, then others); root and
 * the engine's own uid get everything. Pure.
 *
 * On disk the mode is not enforced by the filesystem: PATH/ctl is 0666 and
 * PATH 0755, owned by the network's owner and group, so every join reaches
 * the engine, which decides from SO_PEERCRED and refuses with a clear error
 * that it also counts. (A receive-only member could not connect to a socket
 * without w, and a refusal by the kernel could be neither explained nor
 * counted.)
 */
#ifndef IPN_ACCESS_H
#define IPN_ACCESS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define ACCESS_CTL_MODE 0666
#define ACCESS_DIR_MODE 0755

struct access_who {
	uid_t uid;
	gid_t gid;
	const gid_t *groups;
	int ngroups;
};

/* IPN_RIGHT_* bits of `who` on a network owned by uid:gid with `mode`. */
uint32_t access_rights(const struct access_who *who, uid_t owner, gid_t group, uint32_t mode,
		       uid_t engine_uid);

#endif
