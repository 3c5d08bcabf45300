// SPDX-License-Identifier: GPL-2.0
/*
 * ipn: ioctls, as the original IPN numbered them: taps and grabs.
 */
#include <linux/if.h>
#include <linux/sockios.h>
#include <linux/uaccess.h>
#include "ipn_core.h"

int ipn_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	struct ipn_sock *is = ipn_sk(sock->sk);
	void __user *argp = (void __user *)arg;
	char name[IFNAMSIZ];
	struct ifreq ifr;
	u32 kind;
	int err;

	switch (cmd) {
	case IPN_CHECK:
		return IPN_CHECK;
	case IPN_SETPERSIST:
		return ipn_netdev_set_persist(is, arg != 0);
	case IPN_SETPERSIST_NETDEV:
	case IPN_CLRPERSIST_NETDEV:
	case IPN_CONN_NETDEV:
	case IPN_JOIN_NETDEV:
	case SIOCSIFHWADDR:
		if (copy_from_user(&ifr, argp, sizeof(ifr)))
			return -EFAULT;
		ifr.ifr_name[IFNAMSIZ - 1] = 0;
		break;
	default:
		return -ENOIOCTLCMD;
	}

	switch (cmd) {
	case IPN_SETPERSIST_NETDEV:
	case IPN_CLRPERSIST_NETDEV:
		return ipn_netdev_persist_by_name(sock_net(sock->sk), ifr.ifr_name,
						  cmd == IPN_SETPERSIST_NETDEV);
	case IPN_CONN_NETDEV:
		switch (ifr.ifr_flags & (IPN_NODEFLAG_TAP | IPN_NODEFLAG_GRAB)) {
		case IPN_NODEFLAG_TAP:
			kind = IPN_PORTKIND_TAP;
			break;
		case IPN_NODEFLAG_GRAB:
			kind = IPN_PORTKIND_GRAB;
			if (!ifr.ifr_name[0])
				return -EINVAL;
			break;
		default:
			return -EINVAL;
		}
		err = ipn_netdev_connect(is, ifr.ifr_name, kind, name);
		/* the name a tap got (a "%d" template is filled in) */
		if (!err && copy_to_user(((struct ifreq __user *)argp)->ifr_name, name, IFNAMSIZ))
			return -EFAULT;
		return err;
	case IPN_JOIN_NETDEV:
		return ipn_netdev_join(is, ifr.ifr_name);
	default: /* SIOCSIFHWADDR: the MAC address of this socket's tap */
		return ipn_netdev_set_mac(is, &ifr.ifr_hwaddr);
	}
}
