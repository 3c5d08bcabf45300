// SPDX-License-Identifier: GPL-2.0
/*
 * ipn: the hub policy (IPN_BROADCAST in the original): every message goes
 * to every member that may receive, except its sender.
 */
#include "ipn_core.h"

static int hub_init(struct ipn_net *net)
{
	return 0;
}

static void hub_fini(struct ipn_net *net)
{
}

static int hub_route(struct ipn_net *net, struct ipn_port *from, struct sk_buff *skb,
		     struct ipn_route *r)
{
	struct ipn_port *p;

	list_for_each_entry(p, &net->port_list, node) {
		if (p == from || !(p->rights & IPN_RIGHT_READ))
			continue;
		r->variant[r->n] = 0;
		r->dest[r->n++] = p;
	}
	return 0;
}

const struct ipn_policy ipn_policy_hub = {
	.id = IPN_POLICY_HUB,
	.name = "hub",
	.init = hub_init,
	.fini = hub_fini,
	.route = hub_route,
};
