/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the guest tests that drive libipn's kernel backend through
 * the library's ABI (native/libipn/include/ipn.h) only: the control
 * context, networks, native members with waits, frames.
 */
#ifndef IPN_VM_LIBT_H
#define IPN_VM_LIBT_H

#include "common.h"
#include "ipn.h"

extern ipn_ctx *ctx;

/* Open the context with IPN_BACKEND_AUTO; it must pick the kernel. */
int lt_open(void);
/* The defaults the user engine's shell tests use (ipn-client create). */
void lt_cfg(struct ipn_net_config *c, const char *name, int policy);
/* Create network `name` at lt_path(name); its rc. */
int lt_net(const char *name, int policy);
/* Where network `name` lives: /tmp/ipnl.PID.name (left as it is). */
const char *lt_path(const char *name);
/* rc is want and the context's explanation contains text. */
int lt_err(int rc, int want, const char *text);
const char *lt_why(void);
/* A counter of a network or one of its ports. */
uint64_t lt_drops(const char *net, int reason);
uint64_t lt_tx(const char *net);
int lt_members(const char *net);
const struct ipn_port_info *lt_port(const char *net, uint32_t port);

/* A non-blocking member (NULL on failure, errno set). */
ipn_member *lt_join(const char *net, uint32_t flags);
/* The next frame within ms (its length), or -EAGAIN. */
ssize_t lt_recv(ipn_member *m, void *buf, size_t cap, int ms);
/* 1 when nothing arrives within a short while. */
int lt_quiet(ipn_member *m);
/* Frames waiting, thrown away. */
int lt_drain(ipn_member *m);

#endif
