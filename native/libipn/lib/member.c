/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The client API's entry points. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "member.h"

int ipn_join(const char *path, uint32_t flags, ipn_member **out)
{
	if (!out || !path || path[0] != '/' || strlen(path) > IPN_PATH_MAX - 5)
		return -EINVAL;
	uint32_t shut = IPN_JOIN_RDONLY | IPN_JOIN_WRONLY;
	if ((flags & ~(shut | IPN_JOIN_NONBLOCK)) || (flags & shut) == shut)
		return -EINVAL;
	ipn_member *m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	/* a kernel network's path is its socket node; an engine's, a directory */
	int rc = member_kernel_path(path) ? member_kernel_join(path, flags, m)
					  : member_user_join(path, flags, m);
	if (rc < 0) {
		free(m);
		return rc;
	}
	*out = m;
	return 0;
}

int ipn_member_fd(ipn_member *m)
{
	return m ? m->ops->fd(m) : -EINVAL;
}

int ipn_member_port(ipn_member *m)
{
	return m ? (int)m->port : -EINVAL;
}

int ipn_member_rights(ipn_member *m)
{
	return m ? (int)m->rights : -EINVAL;
}

int ipn_member_mtu(ipn_member *m)
{
	return m ? (int)m->mtu : -EINVAL;
}

ssize_t ipn_send(ipn_member *m, const void *buf, size_t len)
{
	if (!m || (!buf && len) || len > UINT32_MAX)
		return -EINVAL;
	uint32_t l = (uint32_t)len;
	ssize_t r = m->ops->send_batch(m, buf, &l, 1);
	return r == 1 ? (ssize_t)len : (r == 0 ? -EAGAIN : r);
}

ssize_t ipn_recv(ipn_member *m, void *buf, size_t cap)
{
	if (!m || (!buf && cap))
		return -EINVAL;
	uint32_t len;
	int r = m->ops->recv_batch(m, buf, cap, &len, 1);
	return r == 1 ? (ssize_t)len : r;
}

int ipn_send_batch(ipn_member *m, const void *buf, const uint32_t *lens, uint32_t n)
{
	if (!m || (n && (!buf || !lens)))
		return -EINVAL;
	return (int)m->ops->send_batch(m, buf, lens, n);
}

int ipn_recv_batch(ipn_member *m, void *buf, size_t cap, uint32_t *lens, uint32_t max)
{
	if (!m || (max && (!buf || !lens)))
		return -EINVAL;
	return m->ops->recv_batch(m, buf, cap, lens, max);
}

int ipn_member_interrupt(ipn_member *m)
{
	if (!m)
		return -EINVAL;
	m->ops->interrupt(m);
	return 0;
}

int ipn_leave(ipn_member *m)
{
	if (!m)
		return -EINVAL;
	m->ops->leave(m);
	free(m);
	return 0;
}
