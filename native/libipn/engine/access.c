/* SPDX-License-Identifier: GPL-2.0-only */
#include <linux/ipn.h>
#include "access.h"

uint32_t access_rights(const struct access_who *who, uid_t owner, gid_t group, uint32_t mode,
		       uid_t engine_uid)
{
	if (who->uid == 0 || who->uid == engine_uid)
		return IPN_RIGHT_READ | IPN_RIGHT_WRITE | IPN_RIGHT_EXEC;
	if (who->uid == owner)
		return (mode >> 6) & 7;
	bool in_group = who->gid == group;
	for (int i = 0; i < who->ngroups && !in_group; i++)
		in_group = who->groups[i] == group;
	if (in_group)
		return (mode >> 3) & 7;
	return mode & 7;
}
