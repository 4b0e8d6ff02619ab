// SPDX-License-Identifier: GPL-2.0
/* aggregation: the rule parser and what the rules do to a flow key. */
#include <stdio.h>
#include "aggrrules.h"
#include "unit.h"

static struct netflow_aggr_rules rs;
static char err[160];

static int parse(const char *s)
{
	return netflow_aggr_parse(s, &rs, err, sizeof(err));
}

static const char *canon(void)
{
	static char buf[NETFLOW_AGGR_CANON_MAX];

	netflow_aggr_format(&rs, buf, sizeof(buf));
	return buf;
}

static void test_aggr_good(void)
{
	CHECK_EQ(parse(""), 0);
	CHECK_EQ(rs.n_net + rs.n_port, 0);
	CHECK_EQ(parse("192.0.0.0/8=16,10.0.0.0/8=16,80-89=80,3128=80"), 0);
	CHECK_EQ(rs.n_net, 2);
	CHECK_EQ(rs.n_port, 2);
	CHECK(!strcmp(canon(), "192.0.0.0/8=16,10.0.0.0/8=16,80-89=80,3128=80"));
	/* every separator 2.6 takes; the network is stored masked */
	CHECK_EQ(parse(" 10.1.2.3/16=24;\t5000-5999=5000\n0.0.0.0/0=8 "), 0);
	CHECK(!strcmp(canon(), "10.1.0.0/16=24,0.0.0.0/0=8,5000-5999=5000"));
	CHECK_EQ(rs.net[0].match_len, 16);
	CHECK_EQ(rs.net[0].strip_len, 24);
	CHECK_EQ(parse("1.2.3.4/32=32,0=65535,65535-65535=0"), 0);
	CHECK(!strcmp(canon(), "1.2.3.4/32=32,0=65535,65535=0"));
}

static void test_aggr_bad(void)
{
	static const char *const bad[] = {
		"10.0.0.0/33=8", "10.0.0.0/8=33", "256.0.0.0/8=8",
		"10.0.0/8=8", "10.0.0.0/8", "10.0.0.0/8=", "10.0.0.0=8",
		"80-79=80", "80-=80", "-80=80", "80=", "=80", "65536=1",
		"1=65536", "80-89=80x", "abc", "10.0.0.0/8=16,foo",
		"10.0.0.0/8=16 80", "1.2.3.4/-1=8",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		err[0] = '\0';
		if (parse(bad[i]) != -EINVAL)
			printf("  accepted '%s'\n", bad[i]);
		CHECK_EQ(parse(bad[i]), -EINVAL);
		CHECK(err[0] != '\0');
	}
	CHECK(strstr(err, "1.2.3.4/-1=8") != NULL);
}

static void test_aggr_limits(void)
{
	char text[NETFLOW_AGGR_TEXT_MAX + 8];
	unsigned int i, n = 0;

	for (i = 0; i < NETFLOW_AGGR_NET_MAX; i++)
		n += sprintf(text + n, "10.%u.0.0/16=24,", i);
	CHECK_EQ(parse(text), 0);
	sprintf(text + n, "11.0.0.0/8=16");
	CHECK_EQ(parse(text), -EINVAL);
	CHECK(strstr(err, "more than") != NULL);
	memset(text, ' ', NETFLOW_AGGR_TEXT_MAX);
	text[NETFLOW_AGGR_TEXT_MAX] = '\0';
	CHECK_EQ(parse(text), -EINVAL);
	/* the longest canonical text fits its buffer */
	n = 0;
	for (i = 0; i < NETFLOW_AGGR_NET_MAX; i++)
		n += sprintf(text + n, "%u.1.1.1/32=32 ", 200 + i % 50);
	CHECK_EQ(parse(text), 0);
	n = 0;
	{
		struct netflow_aggr_rules full = rs;

		for (i = 0; i < NETFLOW_AGGR_PORT_MAX; i++) {
			full.port[i].lo = 60000;
			full.port[i].hi = 65535;
			full.port[i].to = 65535;
		}
		full.n_port = NETFLOW_AGGR_PORT_MAX;
		rs = full;
		CHECK(strlen(canon()) < NETFLOW_AGGR_CANON_MAX - 1);
	}
}

static struct netflow_key key4(const char *src, const char *dst, u8 proto,
			       u16 sport, u16 dport)
{
	struct netflow_key k;
	unsigned int a, b, c, d;

	memset(&k, 0, sizeof(k));
	k.family = 4;
	k.protocol = proto;
	sscanf(src, "%u.%u.%u.%u", &a, &b, &c, &d);
	k.src.ip4 = htonl(a << 24 | b << 16 | c << 8 | d);
	sscanf(dst, "%u.%u.%u.%u", &a, &b, &c, &d);
	k.dst.ip4 = htonl(a << 24 | b << 16 | c << 8 | d);
	k.sport = htons(sport);
	k.dport = htons(dport);
	return k;
}

static void test_aggr_apply(void)
{
	struct netflow_aggr_hit hit;
	struct netflow_key k, k2;
	u16 masks;

	CHECK_EQ(parse("10.60.0.0/16=24,10.0.0.0/8=16,5000-5999=5000,53=1"), 0);
	k = key4("10.60.1.77", "10.9.8.7", 17, 5123, 53);
	masks = netflow_aggr_apply(&rs, &k, &hit);
	/* first match wins: /16 for the source, /8 for the destination */
	CHECK_EQ(masks, 16 << 8 | 8);
	CHECK_EQ(ntohl(k.src.ip4), 10u << 24 | 60 << 16 | 1 << 8);
	CHECK_EQ(ntohl(k.dst.ip4), 10u << 24 | 9 << 16);
	CHECK_EQ(ntohs(k.sport), 5000);
	CHECK_EQ(ntohs(k.dport), 1);
	CHECK_EQ(hit.net_src, 0);
	CHECK_EQ(hit.net_dst, 1);
	CHECK_EQ(hit.port_src, 0);
	CHECK_EQ(hit.port_dst, 1);
	/* two sources of one /24 and two ports of the range: one key */
	k = key4("10.60.1.5", "192.0.2.1", 6, 5001, 80);
	k2 = key4("10.60.1.200", "192.0.2.1", 6, 5999, 80);
	CHECK_EQ(netflow_aggr_apply(&rs, &k, &hit), 16 << 8);
	CHECK_EQ(hit.net_dst, -1);
	CHECK_EQ(hit.port_dst, -1);
	netflow_aggr_apply(&rs, &k2, &hit);
	CHECK(!memcmp(&k, &k2, sizeof(k)));
	/* ICMP: type/code in dport stay; IPv6: addresses stay */
	k = key4("10.60.1.5", "192.0.2.1", 1, 0, 8 << 8);
	netflow_aggr_apply(&rs, &k, &hit);
	CHECK_EQ(ntohs(k.dport), 8 << 8);
	CHECK_EQ(hit.port_dst, -1);
	memset(&k, 0, sizeof(k));
	k.family = 6;
	k.protocol = 6;
	k.src.ip6[0] = htonl(0x0a3c0000);
	k.sport = htons(5500);
	CHECK_EQ(netflow_aggr_apply(&rs, &k, &hit), 0);
	CHECK_EQ(k.src.ip6[0], htonl(0x0a3c0000));
	CHECK_EQ(ntohs(k.sport), 5000);
}

int main(void)
{
	RUN_TEST(test_aggr_good);
	RUN_TEST(test_aggr_bad);
	RUN_TEST(test_aggr_limits);
	RUN_TEST(test_aggr_apply);
	return UNIT_EXIT();
}
