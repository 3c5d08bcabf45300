// SPDX-License-Identifier: GPL-2.0
/*
 * ipn: /proc/net/ipn, one line per live network (every namespace sees all
 * of them: networks are named by the filesystem, not by a namespace).
 *
 *   Policy Ports Max Mtu Queue Flags Readers Writers RxFrames TxFrames Drops Name Owner Path
 * Name and Owner print as "-" when empty; Path is last and escaped.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>
#include "ipn_core.h"

static void *ipn_seq_start(struct seq_file *m, loff_t *pos)
{
	mutex_lock(&ipn_mutex);
	return seq_list_start_head(&ipn_nets, *pos);
}

static void *ipn_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	return seq_list_next(v, &ipn_nets, pos);
}

static void ipn_seq_stop(struct seq_file *m, void *v)
{
	mutex_unlock(&ipn_mutex);
}

static int ipn_seq_show(struct seq_file *m, void *v)
{
	struct ipn_net *net;
	struct ipn_stats s;
	u64 drops = 0;
	unsigned int i;

	if (v == &ipn_nets) {
		seq_puts(m, "Policy Ports Max Mtu Queue Flags Readers Writers RxFrames TxFrames Drops Name Owner Path\n");
		return 0;
	}
	net = list_entry(v, struct ipn_net, node);
	if (!ipn_net_live(net))
		return SEQ_SKIP;
	spin_lock_bh(&net->lock);
	s = net->stats;
	spin_unlock_bh(&net->lock);
	for (i = 0; i < IPN_DROP_MAX; i++)
		drops += s.drops[i];
	seq_printf(m, "%s %u %u %u %u %#x %u %u %llu %llu %llu ", net->policy->name,
		   net->nports, net->conf.max_ports, net->conf.mtu, net->conf.queue,
		   net->conf.flags, net->readers, net->writers, s.rx_frames, s.tx_frames, drops);
	seq_escape(m, net->conf.name[0] ? net->conf.name : "-", " \t\n\\");
	seq_putc(m, ' ');
	seq_escape(m, net->conf.owner[0] ? net->conf.owner : "-", " \t\n\\");
	seq_putc(m, ' ');
	seq_path(m, &net->path, " \t\n\\");
	seq_putc(m, '\n');
	return 0;
}

static const struct seq_operations ipn_seq_ops = {
	.start = ipn_seq_start,
	.next = ipn_seq_next,
	.stop = ipn_seq_stop,
	.show = ipn_seq_show,
};

static int __net_init ipn_proc_init(struct net *netns)
{
	if (!proc_create_net("ipn", 0444, netns->proc_net, &ipn_seq_ops,
			     sizeof(struct seq_net_private)))
		return -ENOMEM;
	return 0;
}

static void __net_exit ipn_proc_exit(struct net *netns)
{
	remove_proc_entry("ipn", netns->proc_net);
}

static struct pernet_operations ipn_proc_ops = {
	.init = ipn_proc_init,
	.exit = ipn_proc_exit,
};

int ipn_stats_init(void)
{
	return register_pernet_subsys(&ipn_proc_ops);
}

void ipn_stats_exit(void)
{
	unregister_pernet_subsys(&ipn_proc_ops);
}
