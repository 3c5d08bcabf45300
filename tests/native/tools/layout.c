/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ipn-layout: print, as JSON, the size of every struct of the libipn ABI and
 * the offset and size of each field, so the Deno bindings can check that
 * their layouts match the C compiler's.
 */
#include <stddef.h>
#include <stdio.h>
#include "ipn.h"

static int first_struct = 1, first_field;

static void open_struct(const char *name, size_t size)
{
	printf("%s\n  \"%s\": {\"size\": %zu, \"fields\": {", first_struct ? "" : ",", name, size);
	first_struct = 0;
	first_field = 1;
}

static void field(const char *name, size_t off, size_t size)
{
	printf("%s\n    \"%s\": [%zu, %zu]", first_field ? "" : ",", name, off, size);
	first_field = 0;
}

#define S(T) open_struct(#T, sizeof(struct T))
#define F(T, f) field(#f, offsetof(struct T, f), sizeof(((struct T *)0)->f))
#define END() printf("\n  }}")

int main(void)
{
	printf("{");
	S(ipn_concast_spec);
	F(ipn_concast_spec, key_type); F(ipn_concast_spec, key_offset);
	F(ipn_concast_spec, merge_fn); F(ipn_concast_spec, value_type);
	F(ipn_concast_spec, value_offset); F(ipn_concast_spec, output);
	F(ipn_concast_spec, done_count); F(ipn_concast_spec, done_timeout_ms);
	F(ipn_concast_spec, receiver_port); F(ipn_concast_spec, reserved);
	END();
	S(ipn_flow);
	F(ipn_flow, key); F(ipn_flow, value); F(ipn_flow, count); F(ipn_flow, expect);
	F(ipn_flow, age_ms); F(ipn_flow, flags); F(ipn_flow, reserved);
	END();
	S(ipn_concast_summary);
	F(ipn_concast_summary, key); F(ipn_concast_summary, value);
	F(ipn_concast_summary, count); F(ipn_concast_summary, reserved);
	END();
	S(ipn_stats);
	F(ipn_stats, rx_frames); F(ipn_stats, rx_bytes); F(ipn_stats, tx_frames);
	F(ipn_stats, tx_bytes); F(ipn_stats, drops);
	END();
	S(ipn_port_vlan);
	F(ipn_port_vlan, port); F(ipn_port_vlan, pvid); F(ipn_port_vlan, reserved);
	F(ipn_port_vlan, trunk);
	END();
	S(ipn_net_config);
	F(ipn_net_config, size); F(ipn_net_config, policy); F(ipn_net_config, max_ports);
	F(ipn_net_config, mtu); F(ipn_net_config, queue); F(ipn_net_config, flags);
	F(ipn_net_config, uid); F(ipn_net_config, gid); F(ipn_net_config, mode);
	F(ipn_net_config, ageing_s); F(ipn_net_config, concast); F(ipn_net_config, name);
	F(ipn_net_config, path); F(ipn_net_config, owner);
	END();
	S(ipn_net_info);
	F(ipn_net_info, cfg); F(ipn_net_info, members); F(ipn_net_info, attachments);
	F(ipn_net_info, flows); F(ipn_net_info, reserved); F(ipn_net_info, stats);
	END();
	S(ipn_port_info);
	F(ipn_port_info, port); F(ipn_port_info, kind); F(ipn_port_info, rights);
	F(ipn_port_info, pid); F(ipn_port_info, uid); F(ipn_port_info, gid);
	F(ipn_port_info, ifname); F(ipn_port_info, descr); F(ipn_port_info, stats);
	END();
	S(ipn_if_info);
	F(ipn_if_info, index); F(ipn_if_info, flags); F(ipn_if_info, mtu); F(ipn_if_info, mac);
	F(ipn_if_info, reserved); F(ipn_if_info, kind);
	END();
	printf("\n}\n");
	return 0;
}
