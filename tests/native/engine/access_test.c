/* SPDX-License-Identifier: GPL-2.0-only */
#include <linux/ipn.h>
#include "../check.h"
#include "access.h"

#define R IPN_RIGHT_READ
#define W IPN_RIGHT_WRITE
#define X IPN_RIGHT_EXEC

int main(void)
{
	gid_t sup[] = {50, 60};
	struct access_who root = {0, 0, NULL, 0};
	struct access_who owner = {1000, 100, NULL, 0};
	struct access_who member = {2000, 200, sup, 2}; /* group 60 supplementary */
	struct access_who primary = {2001, 60, NULL, 0};
	struct access_who other = {65534, 65534, NULL, 0};

	/* owner 1000, group 60, mode 0764: owner rwx, group rw, other r */
	CHECK_EQ(access_rights(&root, 1000, 60, 0764, 0), R | W | X);
	CHECK_EQ(access_rights(&owner, 1000, 60, 0764, 0), R | W | X);
	CHECK_EQ(access_rights(&member, 1000, 60, 0764, 0), R | W);
	CHECK_EQ(access_rights(&primary, 1000, 60, 0764, 0), R | W);
	CHECK_EQ(access_rights(&other, 1000, 60, 0764, 0), R);
	/* send-only, receive-only, nothing */
	CHECK_EQ(access_rights(&other, 0, 0, 0002, 0), W);
	CHECK_EQ(access_rights(&other, 0, 0, 0004, 0), R);
	CHECK_EQ(access_rights(&other, 0, 0, 0770, 0), 0);
	/* the first matching class counts, even when it grants less */
	CHECK_EQ(access_rights(&owner, 1000, 60, 0077, 0), 0);
	/* the engine's own uid manages everything it hosts */
	CHECK_EQ(access_rights(&other, 0, 0, 0, 65534), R | W | X);

	return check_done("access");
}
