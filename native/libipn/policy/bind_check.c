/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Bind policy validation for the daemon and `ipnctl exec`. */
#include "ipn.h"

#include <errno.h>
#include <stdlib.h>

#include "bind_policy.h"

int ipn_bind_policy_check(const char *text, char *err, uint32_t errcap)
{
	if (!text)
		return -EINVAL;
	struct ipnb_policy *p = malloc(sizeof *p);
	if (!p)
		return -ENOMEM;
	int rc = ipnb_parse(text, p, err, errcap);
	free(p);
	return rc;
}
