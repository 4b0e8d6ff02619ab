// SPDX-License-Identifier: GPL-2.0
/* The destination list parser, as module parameter and sysctl see it. */
#include <stdio.h>
#include "destparse.h"
#include "unit.h"

static struct netflow_dest_spec d[NETFLOW_DEST_MAX];
static char err[128];

static int parse(const char *s)
{
	return netflow_dest_parse(s, d, NETFLOW_DEST_MAX, err, sizeof(err));
}

static const char *fmt(int i)
{
	static char buf[96];

	netflow_dest_format(&d[i], buf, sizeof(buf));
	return buf;
}

static void test_good(void)
{
	CHECK_EQ(parse("127.0.0.1:2055"), 1);
	CHECK(!strcmp(fmt(0), "127.0.0.1:2055"));
	CHECK_EQ(parse("10.0.0.1"), 1);
	CHECK_EQ(d[0].port, 2055);
	CHECK_EQ(parse("10.0.0.1:9995, [2001:db8::1]:4739;2001:db8::2\t1.1.1.1:1"), 4);
	CHECK_EQ(d[1].family, 6);
	CHECK_EQ(d[1].port, 4739);
	CHECK_EQ(d[2].port, 2055);	/* bare IPv6: default port */
	CHECK(!strcmp(fmt(1), "[2001:db8::1]:4739"));
	CHECK_EQ(parse("10.0.0.1:2055/v5,[2001:db8::1]:4739/ipfix,10.0.0.2/9"), 3);
	CHECK_EQ(d[0].protocol, 5);
	CHECK_EQ(d[1].protocol, 10);
	CHECK_EQ(d[2].protocol, 9);
	CHECK(!strcmp(fmt(1), "[2001:db8::1]:4739/ipfix"));
	CHECK_EQ(parse("10.0.0.1:2055@10.0.0.9%vrf-blue"), 1);
	CHECK(d[0].has_src);
	CHECK(!strcmp(d[0].ifname, "vrf-blue"));
}

static void test_duplicates(void)
{
	CHECK_EQ(parse("10.0.0.1:2055,10.0.0.1,10.0.0.1:2055 10.0.0.1:2056"), 2);
}

static void test_bad(void)
{
	const char *bad[] = {
		"", " ,; ", "300.1.1.1", "10.0.0.1:0", "10.0.0.1:65536",
		"10.0.0.1:20x5", "[::1", "::g", "10.0.0.1,foo", "1.2.3.4/v7",
		"[::1]:2055/v5", "1.2.3.4@::1", "1.2.3.4%", "1.2.3.4/",
		"1.2.3.4%aaaaaaaaaaaaaaaaaaaa", "1.2.3.4:2055:1",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		int n = parse(bad[i]);

		if (n != -EINVAL)
			printf("  accepted '%s'\n", bad[i]);
		CHECK_EQ(n, -EINVAL);
		CHECK(err[0] != '\0');
	}
	CHECK_EQ(parse("10.0.0.1:2055,bogus"), -EINVAL);
	CHECK(strstr(err, "bogus") != NULL);	/* names the bad entry */
}

static void test_too_many(void)
{
	char buf[512] = "";
	int i;

	for (i = 0; i < NETFLOW_DEST_MAX + 1; i++)
		sprintf(buf + strlen(buf), "10.0.0.%d ", i + 1);
	CHECK_EQ(parse(buf), -EINVAL);
}

/* %dev fits IFNAMSIZ with its NUL: 15 characters do, 16 do not. */
static void test_ifname_length(void)
{
	CHECK_EQ(parse("10.0.0.1%abcdefghijklmno"), 1);
	CHECK_EQ(strlen(d[0].ifname), 15);
	CHECK(!strcmp(d[0].ifname, "abcdefghijklmno"));
	CHECK_EQ(parse("10.0.0.1%abcdefghijklmnop"), -EINVAL);
	CHECK(strstr(err, "abcdefghijklmnop") != NULL);
	CHECK_EQ(parse("[2001:db8::1]:4739%abcdefghijklmnop/ipfix"), -EINVAL);
	CHECK_EQ(parse("10.0.0.1%a"), 1);
	CHECK(!strcmp(d[0].ifname, "a"));
}

int main(void)
{
	RUN_TEST(test_good);
	RUN_TEST(test_duplicates);
	RUN_TEST(test_bad);
	RUN_TEST(test_too_many);
	RUN_TEST(test_ifname_length);
	return UNIT_EXIT();
}
