/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The JSON pull reader: values, escapes, nesting, malformed input. */
#include "json.h"

#include "check.h"

static int parse_str(const char *text, char *out, size_t cap)
{
	struct json j;
	json_init(&j, text, strlen(text));
	if (json_string(&j, out, cap))
		return -1;
	return json_done(&j);
}

static int skips(const char *text)
{
	struct json j;
	json_init(&j, text, strlen(text));
	if (json_skip(&j))
		return -1;
	return json_done(&j);
}

int main(void)
{
	char s[64];
	CHECK_EQ_INT(parse_str("\"plain\"", s, sizeof s), 0);
	CHECK_EQ_STR(s, "plain");
	CHECK_EQ_INT(parse_str(" \"a\\\"b\\\\c\\/d\\n\" ", s, sizeof s), 0);
	CHECK_EQ_STR(s, "a\"b\\c/d\n");
	CHECK_EQ_INT(parse_str("\"\\u00e9\\u20ac\\ud83d\\ude00\"", s, sizeof s), 0);
	CHECK_EQ_STR(s, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	CHECK_EQ_INT(parse_str("\"caf\xc3\xa9\"", s, sizeof s), 0);
	CHECK_EQ_STR(s, "caf\xc3\xa9");
	/* truncation, NUL, lone surrogates, control characters, bad escapes */
	CHECK_EQ_INT(parse_str("\"abcdef\"", s, 4), -1);
	CHECK_EQ_INT(parse_str("\"a\\u0000b\"", s, sizeof s), -1);
	CHECK_EQ_INT(parse_str("\"\\udc00\"", s, sizeof s), -1);
	CHECK_EQ_INT(parse_str("\"\\ud800x\"", s, sizeof s), -1);
	CHECK_EQ_INT(parse_str("\"a\nb\"", s, sizeof s), -1);
	CHECK_EQ_INT(parse_str("\"\\q\"", s, sizeof s), -1);
	CHECK_EQ_INT(parse_str("\"open", s, sizeof s), -1);
	CHECK_EQ_INT(parse_str("\"a\" x", s, sizeof s), -1);

	CHECK_EQ_INT(skips("{\"a\": [1, -2.5e3, true, false, null, {\"b\": []}], \"c\": {}}"), 0);
	CHECK_EQ_INT(skips("[1, 2,]"), -1);
	CHECK_EQ_INT(skips("{\"a\" 1}"), -1);
	CHECK_EQ_INT(skips("{\"a\": 1"), -1);
	CHECK_EQ_INT(skips("[tru]"), -1);
	CHECK_EQ_INT(skips("[-]"), -1);
	/* nesting is bounded */
	char deep[200];
	memset(deep, '[', 100);
	memset(deep + 100, ']', 100);
	CHECK_EQ_INT(skips(deep), -1);

	struct json j;
	unsigned long v = 0;
	const char *nums = "[0, 65535, 1.5]";
	json_init(&j, nums, strlen(nums));
	int first = 1;
	CHECK_EQ_INT(json_open(&j, '['), 0);
	CHECK_EQ_INT(json_next(&j, ']', &first, NULL, 0), 1);
	CHECK_EQ_INT(json_uint(&j, &v), 0);
	CHECK_EQ_INT(v, 0);
	CHECK_EQ_INT(json_next(&j, ']', &first, NULL, 0), 1);
	CHECK_EQ_INT(json_uint(&j, &v), 0);
	CHECK_EQ_INT(v, 65535);
	CHECK_EQ_INT(json_next(&j, ']', &first, NULL, 0), 1);
	CHECK_EQ_INT(json_uint(&j, &v), -1);
	return check_report("json");
}
