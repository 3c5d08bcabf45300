/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ipn_endpoint_lookup over real files in a temporary run directory. */
#include "ipn.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"

static char dir[] = "/tmp/ipn-ep-table-XXXXXX";

static void write_table(const char *text)
{
	char path[128];
	snprintf(path, sizeof path, "%s/endpoints.json", dir);
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 2;
	}
	char buf[512];

	/* no table yet */
	CHECK_EQ_INT(ipn_endpoint_lookup(dir, "db", buf, sizeof buf), -ENOENT);

	write_table("{\"version\": 1, \"generated\": {\"by\": \"ipnd\"},\n"
		    " \"endpoints\": {\n"
		    "  \"db\": [{\"family\": \"inet\", \"address\": \"10.0.0.2\", \"port\": 5432},\n"
		    "          {\"port\": 5432, \"family\": \"inet6\", \"address\": \"fd00::2\"},\n"
		    "          {\"family\": \"ipn\", \"path\": \"/run/ipn/lab\", \"note\": [1, 2]}],\n"
		    "  \"caf\\u00e9\": [{\"family\": \"ipn\", \"path\": \"/run/ipn/x y\"}]\n"
		    " }}\n");
	int n = ipn_endpoint_lookup(dir, "db", buf, sizeof buf);
	const char *want = "inet 10.0.0.2 5432\ninet6 fd00::2 5432\nipn /run/ipn/lab";
	CHECK_EQ_INT(n, (int)strlen(want));
	CHECK_EQ_STR(buf, want);
	CHECK_EQ_INT(ipn_endpoint_lookup(dir, "caf\xc3\xa9", buf, sizeof buf), 16);
	CHECK_EQ_STR(buf, "ipn /run/ipn/x y");
	CHECK_EQ_INT(ipn_endpoint_lookup(dir, "nope", buf, sizeof buf), -ENOENT);
	CHECK_EQ_INT(ipn_endpoint_lookup(dir, "", buf, sizeof buf), -EINVAL);

	/* too small: the length needed comes back, then a retry fits */
	char small[10];
	n = ipn_endpoint_lookup(dir, "db", small, sizeof small);
	CHECK(n >= (int)sizeof small);
	char *big = malloc((size_t)n + 1);
	CHECK_EQ_INT(ipn_endpoint_lookup(dir, "db", big, (uint32_t)n + 1), (int)strlen(want));
	CHECK_EQ_STR(big, want);
	free(big);

	/* malformed tables and entries are refused, not half-read */
	const char *bad[] = {
		"{\"endpoints\": {\"db\": [{\"family\": \"inet\", \"address\": \"10.0.0.2\"}]}}",
		"{\"endpoints\": {\"db\": [{\"family\": \"inet\", \"address\": \"a b\", \"port\": 1}]}}",
		"{\"endpoints\": {\"db\": [{\"family\": \"ipn\", \"path\": \"relative\"}]}}",
		"{\"endpoints\": {\"db\": [{\"family\": \"smoke\", \"path\": \"/x\"}]}}",
		"{\"endpoints\": {\"db\": [{\"family\": \"inet\", \"address\": \"h\", \"port\": 70000}]}}",
		"{\"endpoints\": {\"db\": []}",
		"{\"endpoints\": {\"db\": []}} trailing",
		"[]",
		"",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		write_table(bad[i]);
		int rc = ipn_endpoint_lookup(dir, "db", buf, sizeof buf);
		if (rc != -EBADMSG)
			fprintf(stderr, "table %zu: got %d\n", i, rc);
		CHECK_EQ_INT(rc, -EBADMSG);
	}

	char path[128];
	snprintf(path, sizeof path, "%s/endpoints.json", dir);
	unlink(path);
	rmdir(dir);
	return check_report("endpoint_table");
}
