/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The ABI's rules for network settings (see netcfg.h). */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include "netcfg.h"

int netcfg_terminated(const char *s, size_t cap)
{
	return memchr(s, 0, cap) != NULL;
}

static bool name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '_' || *s == '-' || *s == '.'))
			return false;
	return true;
}

/* Absolute, normalised (no //, /./, /../, trailing / or /. or /..), with room for port sockets. */
static bool path_ok(const char *p)
{
	size_t n = strnlen(p, IPN_PATH_MAX);
	if (n == IPN_PATH_MAX || p[0] != '/' || n > NETCFG_PATH_ROOM || !strcmp(p, "/"))
		return false;
	if (strstr(p, "//") || strstr(p, "/./") || strstr(p, "/../") || p[n - 1] == '/')
		return false;
	return !((n >= 3 && !strcmp(p + n - 3, "/..")) || (n >= 2 && !strcmp(p + n - 2, "/.")));
}

uint32_t netcfg_field_size(uint16_t type)
{
	switch (type & ~IPN_FIELD_LE) {
	case IPN_FIELD_U8: return 1;
	case IPN_FIELD_U16: return 2;
	case IPN_FIELD_U32: return 4;
	case IPN_FIELD_U64: return 8;
	default: return 0;
	}
}

static bool type_ok(uint16_t t)
{
	return (t & ~(IPN_FIELD_LE | 0x7)) == 0 && netcfg_field_size(t) != 0;
}

int netcfg_check_mutable(const struct ipn_net_config *c, const char **why)
{
	if (c->max_ports < 1 || c->max_ports > IPN_PORTS_MAX)
		return *why = "ports must be within 1..65535", -EINVAL;
	if (c->mtu < IPN_MTU_MIN || c->mtu > IPN_MTU_MAX)
		return *why = "mtu must be within 64..9216", -EINVAL;
	if (c->queue < 1 || c->queue > IPN_QUEUE_MAX)
		return *why = "queue must be within 1..65536", -EINVAL;
	if (c->flags & ~(uint32_t)(IPN_NET_LOSSLESS | IPN_NET_PERSISTENT))
		return *why = "unknown network flags", -EINVAL;
	if (c->mode > 0777)
		return *why = "mode must be within 0..0777", -EINVAL;
	if (c->ageing_s > 1000000)
		return *why = "ageing must be at most 1000000 s", -EINVAL;
	if (!netcfg_terminated(c->owner, sizeof(c->owner)))
		return *why = "owner tag too long", -EINVAL;
	return 0;
}

int netcfg_check_concast(const struct ipn_concast_spec *s, uint32_t mtu, const char **why)
{
	if (!type_ok(s->key_type))
		return *why = "concast key type must be u8, u16, u32 or u64", -EINVAL;
	if ((uint32_t)s->key_offset + netcfg_field_size(s->key_type) > mtu)
		return *why = "concast key field lies beyond the MTU", -EINVAL;
	if (s->merge_fn < IPN_MERGE_COUNT || s->merge_fn > IPN_MERGE_DEDUP)
		return *why = "unknown concast merge function", -EINVAL;
	bool needs = s->merge_fn == IPN_MERGE_SUM || s->merge_fn == IPN_MERGE_MIN ||
		     s->merge_fn == IPN_MERGE_MAX;
	if (needs && !s->value_type)
		return *why = "merge function sum/min/max needs a value field", -EINVAL;
	if (s->merge_fn == IPN_MERGE_DEDUP && s->value_type)
		return *why = "merge function dedup takes no value field", -EINVAL;
	if (s->value_type) {
		if (!type_ok(s->value_type))
			return *why = "concast value type must be u8, u16, u32 or u64", -EINVAL;
		if ((uint32_t)s->value_offset + netcfg_field_size(s->value_type) > mtu)
			return *why = "concast value field lies beyond the MTU", -EINVAL;
	}
	if (s->output != IPN_CONCAST_OUT_MESSAGE && s->output != IPN_CONCAST_OUT_SUMMARY)
		return *why = "concast output must be message or summary", -EINVAL;
	if (s->output == IPN_CONCAST_OUT_SUMMARY && mtu < sizeof(struct ipn_concast_summary))
		return *why = "MTU too small for a concast summary", -EINVAL;
	if (s->receiver_port < -1 || s->receiver_port > IPN_PORTS_MAX)
		return *why = "concast receiver port outside -1..65535", -EINVAL;
	if (s->reserved[0] || s->reserved[1])
		return *why = "reserved concast fields must be zero", -EINVAL;
	return 0;
}

int netcfg_check(const struct ipn_net_config *c, const char **why)
{
	if (!netcfg_terminated(c->name, sizeof(c->name)) || !name_ok(c->name))
		return *why = "network name must be 1..63 of [A-Za-z0-9_.-]", -EINVAL;
	if (!netcfg_terminated(c->path, sizeof(c->path)) || !path_ok(c->path))
		return *why = "path must be a normalised absolute path of at most 101 bytes", -EINVAL;
	if (c->policy < IPN_POLICY_HUB || c->policy > IPN_POLICY_MAX)
		return *why = "policy must be hub, switch or concast", -EINVAL;
	int rc = netcfg_check_mutable(c, why);
	if (rc < 0)
		return rc;
	if (c->policy == IPN_POLICY_CONCAST)
		return netcfg_check_concast(&c->concast, c->mtu, why);
	static const struct ipn_concast_spec zero;
	if (memcmp(&c->concast, &zero, sizeof(zero)))
		return *why = "concast spec given for a policy that is not concast", -EINVAL;
	return 0;
}
