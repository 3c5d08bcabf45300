/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef IPN_UNIX_DIAL_H
#define IPN_UNIX_DIAL_H

/* Connect a Unix socket of `type` to DIR/NAME; returns the fd or -errno. */
int unix_dial(const char *dir, const char *name, int type);

#endif
