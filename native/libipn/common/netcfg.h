/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ABI's rules for network settings, in one place: the user engine
 * enforces them, the kernel backend checks them before the module sees a
 * request, and both refuse with the same words.
 */
#ifndef IPN_NETCFG_H
#define IPN_NETCFG_H

#include <stdint.h>
#include "ipn.h"

/* PATH plus "/65535" must fit sun_path. */
#define NETCFG_PATH_ROOM 101

/* Bytes of a concast field type; 0 for an unknown type. */
uint32_t netcfg_field_size(uint16_t type);
/* Settings that may change on a live network (ports, mtu, queue, flags, access, ageing, owner). */
int netcfg_check_mutable(const struct ipn_net_config *c, const char **why);
/* A concast merge spec for messages of at most `mtu` bytes. */
int netcfg_check_concast(const struct ipn_concast_spec *s, uint32_t mtu, const char **why);
/* Everything of a new network but `size` (name, path, policy, mutable settings, concast spec). */
int netcfg_check(const struct ipn_net_config *c, const char **why);
/* NUL within the first `cap` bytes. */
int netcfg_terminated(const char *s, size_t cap);

#endif
