/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Members dispatch like contexts: ring members of the engine, or AF_IPN sockets. */
#ifndef IPN_MEMBER_H
#define IPN_MEMBER_H

#include <stdbool.h>
#include "ipn.h"

struct member_ops {
	ssize_t (*send_batch)(ipn_member *m, const void *buf, const uint32_t *lens, uint32_t n);
	int (*recv_batch)(ipn_member *m, void *buf, size_t cap, uint32_t *lens, uint32_t max);
	int (*fd)(ipn_member *m);
	void (*interrupt)(ipn_member *m);
	void (*leave)(ipn_member *m);
};

struct ipn_member {
	const struct member_ops *ops;
	uint32_t port, rights, mtu, flags;
	void *priv;
};

int member_user_join(const char *path, uint32_t flags, ipn_member *m);
/* member_kernel.c: is path a kernel network's node (and the module loaded)? */
bool member_kernel_path(const char *path);
int member_kernel_join(const char *path, uint32_t flags, ipn_member *m);

#endif
