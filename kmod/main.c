// SPDX-License-Identifier: GPL-2.0
/*
 * ipn: Inter Process Networking. Module parameters, init and unload.
 */
#include <linux/module.h>
#include <linux/net.h>
#include "ipn_core.h"

int ipn_family = IPN_FAMILY_DEFAULT;
module_param_named(family, ipn_family, int, 0444);
MODULE_PARM_DESC(family, "address family number of AF_IPN (default "
		 __stringify(IPN_FAMILY_DEFAULT) ")");

DEFINE_MUTEX(ipn_mutex);
atomic64_t ipn_objects[IPN_OBJ_MAX];

static int __init ipn_init(void)
{
	int err;

	if (ipn_family <= 0 || ipn_family >= NPROTO) {
		pr_err("ipn: family %d out of range 1..%d\n", ipn_family, NPROTO - 1);
		return -EINVAL;
	}
	err = ipn_net_init();
	if (err)
		return err;
	err = ipn_port_init();
	if (err)
		goto out_net;
	err = ipn_switch_init();
	if (err)
		goto out_port;
	err = ipn_concast_init();
	if (err)
		goto out_switch;
	err = ipn_netdev_init();
	if (err)
		goto out_concast;
	err = ipn_rewrite_init();
	if (err)
		goto out_netdev;
	err = ipn_stats_init();
	if (err)
		goto out_rewrite;
	/* last: sockets exist only once everything they use is ready */
	err = ipn_af_init();
	if (err)
		goto out_stats;
	pr_info("ipn: AF_IPN registered as family %d\n", ipn_family);
	return 0;

out_stats:
	ipn_stats_exit();
out_rewrite:
	ipn_rewrite_exit();
out_netdev:
	ipn_netdev_exit();
out_concast:
	ipn_concast_exit();
out_switch:
	ipn_switch_exit();
out_port:
	ipn_port_exit();
out_net:
	ipn_net_exit();
	return err;
}

static void __exit ipn_exit(void)
{
	/*
	 * Every socket holds a module reference, so none is left here; what
	 * can remain are persistent networks, taps and grabs.
	 */
	ipn_af_exit();
	ipn_net_cleanup_all();
	ipn_stats_exit();
	ipn_rewrite_exit();
	ipn_netdev_exit();
	ipn_concast_exit();
	ipn_switch_exit();
	ipn_port_exit();
	ipn_net_exit();
	pr_info("ipn: unloaded\n");
}

module_init(ipn_init);
module_exit(ipn_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("IPN: Inter Process Networking (AF_IPN sockets)");
