// SPDX-License-Identifier: GPL-2.0
/* snmp-rules: the parser (as parameter and sysctl see it) and the matcher. */
#include <stdio.h>
#include "snmprules.h"
#include "unit.h"

static struct netflow_snmp_rules rs;
static char err[128];

static int parse(const char *s)
{
	return netflow_snmp_rules_parse(s, &rs, err, sizeof(err));
}

static int map(const char *name)
{
	u16 v;

	return netflow_snmp_map(&rs, name, &v) ? v : -1;
}

static void test_snmp_good(void)
{
	char buf[NETFLOW_SNMP_TEXT_MAX];

	CHECK_EQ(parse(""), 0);
	CHECK_EQ(rs.n, 0);
	CHECK_EQ(parse("eth:100,ppp:200,vlan:300"), 0);
	CHECK_EQ(rs.n, 3);
	CHECK(!strcmp(rs.rule[1].prefix, "ppp"));
	CHECK_EQ(rs.rule[1].base, 200);
	/* 2.6 keeps " ppp" as the prefix: we trim around items */
	CHECK_EQ(parse(" eth : 1 ,\tppp:2 \n"), 0);
	CHECK_EQ(rs.n, 2);
	CHECK(!strcmp(rs.rule[0].prefix, "eth"));
	CHECK(!strcmp(rs.rule[1].prefix, "ppp"));
	CHECK_EQ(rs.rule[0].base, 1);
	netflow_snmp_rules_format(&rs, buf, sizeof(buf));
	CHECK(!strcmp(buf, "eth:1,ppp:2"));
	CHECK_EQ(parse("a:0,b:65535,"), 0);
	CHECK_EQ(rs.rule[1].base, 65535);
	CHECK_EQ(parse("abcdefghijklmno:7"), 0);
}

static void test_snmp_bad(void)
{
	const char *bad[] = {
		"ppp", ":200", "ppp:", "ppp: ", "ppp:-1", "ppp:65536",
		"ppp:99999999999999999999", "ppp:2x", "ppp:200,,eth:1",
		",ppp:1", "p p:1", "abcdefghijklmnop:1", "ppp:1:2", "a:+1",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		err[0] = '\0';
		if (parse(bad[i]) != -EINVAL || !err[0])
			printf("  accepted: '%s'\n", bad[i]);
		CHECK(err[0]);
	}
}

static void test_snmp_limits(void)
{
	char buf[400] = "";
	int i;

	for (i = 0; i < NETFLOW_SNMP_RULES_MAX; i++)
		strcat(buf, "a:1,");
	CHECK_EQ(strlen(buf), 256);
	CHECK_EQ(parse(buf), -EINVAL);	/* over 255 characters */
	buf[255] = '\0';
	CHECK_EQ(parse(buf), 0);
	CHECK_EQ(rs.n, NETFLOW_SNMP_RULES_MAX);
}

static void test_snmp_map(void)
{
	CHECK_EQ(parse("ppp:200,eth:100,veth:5000,e:1"), 0);
	CHECK_EQ(map("ppp11"), 211);
	CHECK_EQ(map("ppp"), 200);
	CHECK_EQ(map("eth0.100"), 100);	/* digits stop at the dot */
	CHECK_EQ(map("eth3"), 103);
	CHECK_EQ(map("veth1"), 5001);	/* first match wins: not "e" */
	CHECK_EQ(map("enp0s3"), 1);	/* "e", no digits right after */
	CHECK_EQ(map("lo"), -1);
	CHECK_EQ(map(""), -1);
	CHECK_EQ(parse("ppp:65500"), 0);
	CHECK_EQ(map("ppp35"), 65535);
	CHECK_EQ(map("ppp36"), -1);	/* no wrap onto another ifIndex */
	CHECK_EQ(map("ppp999999999999"), -1);
}

int main(void)
{
	RUN_TEST(test_snmp_good);
	RUN_TEST(test_snmp_bad);
	RUN_TEST(test_snmp_limits);
	RUN_TEST(test_snmp_map);
	return UNIT_EXIT();
}
