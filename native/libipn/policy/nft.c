/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nftables through libnftables: a script runs as one kernel transaction
 * (nft_run_cmd_from_buffer sends a single batch), so a rewrite table is
 * replaced as a whole or not at all.
 */
#include "ipn.h"

#include <ctype.h>
#include <errno.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static void copy_out(char *dst, uint32_t cap, const char *src)
{
	if (!dst || !cap)
		return;
	snprintf(dst, cap, "%s", src ? src : "");
}

/* libnftables reports failures as text only; recover the errno it quotes. */
static int errno_of(const char *msg)
{
	static const struct {
		const char *text;
		int err;
	} map[] = {
		{"Operation not permitted", EPERM},
		{"No such file or directory", ENOENT},
		{"File exists", EEXIST},
		{"Device or resource busy", EBUSY},
		{"No such device", ENODEV},
		{"Cannot allocate memory", ENOMEM},
	};
	for (size_t i = 0; msg && i < sizeof map / sizeof map[0]; i++)
		if (strstr(msg, map[i].text))
			return map[i].err;
	return EINVAL;
}

/*
 * Ask the kernel for the nftables generation before libnftables runs: where
 * nf_tables is missing, libnftables gives up by calling exit(), which would
 * take the whole daemon down. Returns 0 when nftables answers.
 */
static int nft_available(char *err, uint32_t cap)
{
	int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
	if (s < 0) {
		copy_out(err, cap, "nftables is not available: this kernel has no netfilter netlink");
		return -EAFNOSUPPORT;
	}
	struct {
		struct nlmsghdr nh;
		struct nfgenmsg g;
	} req = {0};
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETGEN;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.nh.nlmsg_seq = 1;
	req.g.nfgen_family = AF_UNSPEC;
	req.g.version = NFNETLINK_V0;
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
	struct timeval tv = {.tv_sec = 2};
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	int rc = -EPROTONOSUPPORT;
	char buf[8192] __attribute__((aligned(4)));
	if (sendto(s, &req, sizeof(req), 0, (struct sockaddr *)&sa, sizeof(sa)) == (ssize_t)sizeof(req)) {
		ssize_t n = recv(s, buf, sizeof(buf), 0);
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; n > 0 && NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);
				rc = e->error;
				break;
			}
			rc = 0; /* a generation answer: nftables is there */
		}
	}
	close(s);
	if (rc < 0)
		copy_out(err, cap, "nftables is not available in this kernel (nf_tables is not loaded)");
	return rc < 0 ? -EPROTONOSUPPORT : 0;
}

static struct nft_ctx *open_ctx(void)
{
	struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!nft)
		return NULL;
	if (nft_ctx_buffer_output(nft) || nft_ctx_buffer_error(nft)) {
		nft_ctx_free(nft);
		return NULL;
	}
	return nft;
}

int ipn_nft_apply(const char *script, uint32_t flags, char *err, uint32_t errcap)
{
	copy_out(err, errcap, "");
	if (!script || (flags & ~(uint32_t)IPN_NFT_CHECK))
		return -EINVAL;
	int avail = nft_available(err, errcap);
	if (avail < 0)
		return avail;
	struct nft_ctx *nft = open_ctx();
	if (!nft)
		return -ENOMEM;
	if (flags & IPN_NFT_CHECK)
		nft_ctx_set_dry_run(nft, true);
	int rc = nft_run_cmd_from_buffer(nft, script);
	const char *msg = nft_ctx_get_error_buffer(nft);
	copy_out(err, errcap, msg);
	rc = rc ? -errno_of(msg) : 0;
	nft_ctx_free(nft);
	return rc;
}

static int identifier(const char *s)
{
	if (!s || !*s || strlen(s) > 64 || !isalpha((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

int ipn_nft_list(const char *family, const char *table, char *buf, uint32_t cap)
{
	if (!identifier(family) || !identifier(table))
		return -EINVAL;
	int avail = nft_available(buf, cap);
	if (avail < 0)
		return avail;
	struct nft_ctx *nft = open_ctx();
	if (!nft)
		return -ENOMEM;
	char cmd[160];
	snprintf(cmd, sizeof cmd, "list table %s %s", family, table);
	int rc = nft_run_cmd_from_buffer(nft, cmd);
	if (rc) {
		rc = -errno_of(nft_ctx_get_error_buffer(nft));
	} else {
		const char *out = nft_ctx_get_output_buffer(nft);
		size_t len = strlen(out);
		copy_out(buf, cap, out);
		rc = len > INT32_MAX ? -EOVERFLOW : (int)len;
	}
	nft_ctx_free(nft);
	return rc;
}
