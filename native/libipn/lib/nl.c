/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "nl.h"

void *nl_init(struct nl_req *r, int type, int flags, size_t hdrlen)
{
	memset(r, 0, sizeof(*r));
	r->h.nlmsg_type = (unsigned short)type;
	r->h.nlmsg_flags = (unsigned short)(NLM_F_REQUEST | NLM_F_ACK | flags);
	r->h.nlmsg_len = (unsigned)NLMSG_LENGTH(hdrlen);
	r->h.nlmsg_seq = 1;
	return NLMSG_DATA(&r->h);
}

struct rtattr *nl_attr(struct nl_req *r, int type, const void *data, size_t len)
{
	size_t at = NLMSG_ALIGN(r->h.nlmsg_len);
	if (at + RTA_SPACE(len) > sizeof(*r))
		return NULL;
	struct rtattr *a = (struct rtattr *)((char *)r + at);
	a->rta_type = (unsigned short)type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(a), data, len);
	r->h.nlmsg_len = (unsigned)(at + RTA_SPACE(len));
	return a;
}

void nl_nest_end(struct nl_req *r, struct rtattr *nest)
{
	nest->rta_len = (unsigned short)((char *)r + r->h.nlmsg_len - (char *)nest);
}

int nl_talk(struct nl_req *r, int (*fn)(const struct nlmsghdr *h, void *arg), void *arg)
{
	int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (s < 0)
		return -errno;
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
	int rc = 0;
	if (sendto(s, r, r->h.nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		rc = -errno;
		goto out;
	}
	static __thread char buf[32768];
	for (;;) {
		ssize_t n = recv(s, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			goto out;
		}
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE)
				goto out;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);
				rc = e->error; /* 0: the ack */
				goto out;
			}
			if (fn && rc == 0)
				rc = fn(h, arg);
		}
	}
out:
	close(s);
	return rc;
}
