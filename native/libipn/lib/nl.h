/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A minimal rtnetlink client: build one request, walk the replies. */
#ifndef IPN_NL_H
#define IPN_NL_H

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stddef.h>

struct nl_req {
	struct nlmsghdr h;
	char body[1024];
};

/* Start a request of `type` with `flags` (NLM_F_REQUEST and ACK added) and a
 * fixed header of `hdrlen` bytes; returns the header's address. */
void *nl_init(struct nl_req *r, int type, int flags, size_t hdrlen);
/* Append attribute `type`; returns it (for nesting) or NULL when full. */
struct rtattr *nl_attr(struct nl_req *r, int type, const void *data, size_t len);
void nl_nest_end(struct nl_req *r, struct rtattr *nest);
/* Send and collect: fn sees every reply message of a dump or the data reply.
 * Returns 0 or -errno (the kernel's error for the request). */
int nl_talk(struct nl_req *r, int (*fn)(const struct nlmsghdr *h, void *arg), void *arg);

#endif
