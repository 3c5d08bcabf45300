/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nftables through libnftables: a script runs as one kernel transaction
 * (nft_run_cmd_from_buffer sends a single batch), so a rewrite table is
 * replaced as a whole or not at all.
 */
#include "ipn.h"

#include <ctype.h>
#include <errno.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <string.h>

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
