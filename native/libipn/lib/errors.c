/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "ipn.h"

int ipn_abi_version(void)
{
	return IPN_ABI_VERSION;
}

const char *ipn_strerror(int err)
{
	if (err < 0)
		err = -err;
	/* strerror is not thread-safe in general; glibc's returns static,
	 * immutable strings for known errors, which is all we produce */
	return strerror(err);
}
