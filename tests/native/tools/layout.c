/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ipn-layout: print, as JSON, the size of every struct of the libipn ABI, the
 * offset and size of each field, and the ABI's numbers, so the Deno bindings
 * can check that their layouts and constants match the C compiler's.
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

static int first_const = 1;
#define K(name) printf("%s\n  \"%s\": %lld", first_const ? "" : ",", #name, (long long)(name)), first_const = 0

static void constants(void)
{
	K(IPN_ABI_VERSION);
	K(IPN_BACKEND_AUTO); K(IPN_BACKEND_USER); K(IPN_BACKEND_KERNEL);
	K(IPN_POLICY_HUB); K(IPN_POLICY_SWITCH); K(IPN_POLICY_CONCAST);
	K(IPN_NET_LOSSLESS); K(IPN_NET_PERSISTENT);
	K(IPN_MTU_MIN); K(IPN_MTU_MAX); K(IPN_PORTS_MAX); K(IPN_QUEUE_MAX); K(IPN_VLAN_MAX);
	K(IPN_NAME_MAX); K(IPN_PATH_MAX); K(IPN_IFNAME_MAX);
	K(IPN_RIGHT_READ); K(IPN_RIGHT_WRITE); K(IPN_RIGHT_EXEC);
	K(IPN_FIELD_U8); K(IPN_FIELD_U16); K(IPN_FIELD_U32); K(IPN_FIELD_U64); K(IPN_FIELD_LE);
	K(IPN_MERGE_COUNT); K(IPN_MERGE_SUM); K(IPN_MERGE_MIN); K(IPN_MERGE_MAX);
	K(IPN_MERGE_FIRST); K(IPN_MERGE_LAST); K(IPN_MERGE_DEDUP);
	K(IPN_CONCAST_OUT_MESSAGE); K(IPN_CONCAST_OUT_SUMMARY);
	K(IPN_FLOW_OPEN);
	K(IPN_DROP_QUEUE_FULL); K(IPN_DROP_TOO_BIG); K(IPN_DROP_TOO_SMALL); K(IPN_DROP_NO_WRITE);
	K(IPN_DROP_VLAN); K(IPN_DROP_MALFORMED); K(IPN_DROP_NO_ROUTE); K(IPN_DROP_CONCAST);
	K(IPN_DROP_REFUSED); K(IPN_DROP_FLOWS); K(IPN_DROP_MAX);
	K(IPN_PORT_VDE); K(IPN_PORT_NATIVE); K(IPN_PORT_TAP); K(IPN_PORT_GRAB);
	K(IPN_JOIN_RDONLY); K(IPN_JOIN_WRONLY); K(IPN_JOIN_NONBLOCK);
}

int main(void)
{
	printf("{\"constants\": {");
	constants();
	printf("\n},\n\"structs\": {");
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
	printf("\n}}\n");
	return 0;
}
