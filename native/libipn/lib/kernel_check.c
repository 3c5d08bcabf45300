/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ABI's rules for settings, checked before the module sees them so a
 * refusal says why, in the words the user engine uses. The module checks
 * again; these only explain.
 */
#include <errno.h>
#include <string.h>
#include "kernel.h"
#include "netcfg.h"


int kernel_check_config(const struct ipn_net_config *c, const char **why)
{
	int rc = netcfg_check(c, why);
	if (rc < 0)
		return rc;
	/* The module keeps a flow at most an hour; the engine has no such limit. */
	if (c->policy == IPN_POLICY_CONCAST && c->concast.done_timeout_ms > 3600000)
		return *why = "the kernel module waits at most 3600000 ms for a flow", -EINVAL;
	return 0;
}

int kernel_check_vlan(const struct ipn_port_vlan *v, uint32_t max_ports, const char **why)
{
	if (v->port == 0 || v->port > max_ports)
		return *why = "port outside the network", -EINVAL;
	if (v->pvid > IPN_VLAN_MAX)
		return *why = "pvid outside 0..4094", -EINVAL;
	if ((v->trunk[0] & 1) || (v->trunk[511] & 0x80))
		return *why = "trunk VLANs must be within 1..4094", -EINVAL;
	return 0;
}
