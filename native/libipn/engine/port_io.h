/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef IPN_PORT_IO_H
#define IPN_PORT_IO_H

#include <sys/socket.h>
#include "engine.h"

#define RX_HEADROOM 4      /* room to re-insert a VLAN tag in front */
#define RX_CMSG_ROOM 64

/* Inspect or fix a received frame (e.g. VLAN from aux data); false drops it. */
typedef bool (*rx_fixup_fn)(struct port *p, struct pkt *k, struct msghdr *m);
/* Is this write error the end of the port? */
typedef bool (*tx_error_fn)(int err);

/* Read and deliver up to RX_BUDGET frames; 1 when the fd is empty, 0 when
 * there may be more, -errno when the fd broke. */
int port_rx_mmsg(struct port *p, int fd, rx_fixup_fn fixup);
/* Write the queue; waits for EPOLLOUT when the fd is full. */
bool port_flush_mmsg(struct port *p, int fd, tx_error_fn fatal);
bool port_flush_writev(struct port *p, int fd, tx_error_fn fatal);
/* Common epoll handler body for fd ports. */
void port_io_event(struct port *p, uint32_t events, int (*rx)(struct port *p));

#endif
