// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for netflow_key_parse() on hand-built IPv4/IPv6 packets.
 * Every parse runs on an exact-size heap copy so ASan flags any over-read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flowkey.h"
#include "unit.h"

#define GARBAGE_A	0xa5
#define GARBAGE_B	0x5a

static const u8 v4_src[4] = { 10, 0, 0, 1 };
static const u8 v4_dst[4] = { 192, 168, 1, 200 };
static const u8 v6_src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01 };
static const u8 v6_dst[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xff, [15] = 0x02 };

/* Parse @len bytes from an exact-size heap copy into garbage-filled outputs. */
static int parse_fill(const u8 *p, size_t len, u8 family, struct netflow_key *k,
		      struct netflow_pktinfo *i, int fill)
{
	u8 *copy = malloc(len ? len : 1);
	struct netflow_pkt pkt;
	int ret;

	if (!copy)
		abort();
	memcpy(copy, p, len);
	pkt.data = copy;
	pkt.len = len;
	memset(k, fill, sizeof(*k));
	memset(i, fill, sizeof(*i));
	ret = netflow_key_parse(&pkt, family, k, i);
	free(copy);
	return ret;
}

static int parse(const u8 *p, size_t len, u8 family, struct netflow_key *k,
		 struct netflow_pktinfo *i)
{
	return parse_fill(p, len, family, k, i, GARBAGE_A);
}

/* IPv4 header with @optlen bytes of options (NOPs); returns its length. */
static size_t put_ip4(u8 *p, u8 proto, u8 tos, u16 frag, size_t optlen,
		      size_t payload)
{
	size_t hlen = 20 + optlen;

	memset(p, 0, hlen);
	p[0] = 0x40 | (hlen / 4);
	p[1] = tos;
	put_unaligned_be16(hlen + payload, p + 2);
	put_unaligned_be16(0x1234, p + 4);
	put_unaligned_be16(frag, p + 6);
	p[8] = 64;
	p[9] = proto;
	memcpy(p + 12, v4_src, 4);
	memcpy(p + 16, v4_dst, 4);
	memset(p + 20, 1, optlen);
	return hlen;
}

/* IPv6 header; returns 40. */
static size_t put_ip6(u8 *p, u8 nexthdr, u8 tclass, u32 label, size_t payload)
{
	put_unaligned_be32(6u << 28 | (u32)tclass << 20 | label, p);
	put_unaligned_be16(payload, p + 4);
	p[6] = nexthdr;
	p[7] = 64;
	memcpy(p + 8, v6_src, 16);
	memcpy(p + 24, v6_dst, 16);
	return 40;
}

/* TCP header with data offset @doff words; returns 20 (options not written). */
static size_t put_tcp(u8 *p, u16 sport, u16 dport, u8 doff, u8 flags)
{
	memset(p, 0, 20);
	put_unaligned_be16(sport, p);
	put_unaligned_be16(dport, p + 2);
	put_unaligned_be32(1000, p + 4);
	p[12] = doff << 4;
	p[13] = flags;
	return 20;
}

/* Any ports-first header (UDP, UDP-Lite, SCTP) of @len bytes. */
static size_t put_ports(u8 *p, u16 sport, u16 dport, size_t len)
{
	memset(p, 0, len);
	put_unaligned_be16(sport, p);
	put_unaligned_be16(dport, p + 2);
	return len;
}

/* IPv6 extension header (hop-by-hop, routing, dest options) of 8*(l+1). */
static size_t put_ext(u8 *p, u8 nexthdr, u8 l)
{
	size_t len = (l + 1) * 8;

	memset(p, 0, len);
	p[0] = nexthdr;
	p[1] = l;
	return len;
}

static size_t put_frag6(u8 *p, u8 nexthdr, u16 offset8, int more)
{
	memset(p, 0, 8);
	p[0] = nexthdr;
	put_unaligned_be16(offset8 << 3 | (more ? 1 : 0), p + 2);
	put_unaligned_be32(0xdeadbeef, p + 4);
	return 8;
}

static int all_zero(const void *p, size_t len)
{
	const u8 *b = p;

	while (len--)
		if (*b++)
			return 0;
	return 1;
}

/* Checks common to every good IPv4 parse of our addresses. */
static void check_v4_addrs(const struct netflow_key *k)
{
	CHECK(!memcmp(&k->src.ip4, v4_src, 4));
	CHECK(!memcmp(&k->dst.ip4, v4_dst, 4));
	CHECK(all_zero(k->src.b + 4, 12));
	CHECK(all_zero(k->dst.b + 4, 12));
	CHECK_EQ(k->family, 4);
	CHECK_EQ(k->ifindex_in, 0);
	CHECK_EQ(k->ifindex_out, 0);
	CHECK_EQ(k->pad, 0);
}

static void check_v6_addrs(const struct netflow_key *k)
{
	CHECK(!memcmp(k->src.b, v6_src, 16));
	CHECK(!memcmp(k->dst.b, v6_dst, 16));
	CHECK_EQ(k->family, 6);
	CHECK_EQ(k->pad, 0);
}

static void test_ipv4_tcp(void)
{
	struct netflow_pktinfo i;
	struct netflow_key k;
	u8 p[128];
	size_t n;

	n = put_ip4(p, 6, 0, 0x4000 /* DF */, 0, 20 + 12 + 30);
	n += put_tcp(p + n, 40000, 443, 8, 0xd2 /* CWR ECE SYN */);
	n += 12 + 30;
	memset(p + 40, 0, 42);
	CHECK_EQ(parse(p, n, 4, &k, &i), 0);
	check_v4_addrs(&k);
	CHECK_EQ(k.protocol, 6);
	CHECK_EQ(ntohs(k.sport), 40000);
	CHECK_EQ(ntohs(k.dport), 443);
	CHECK_EQ(k.tos, 0);
	CHECK_EQ(i.tcp_flags, 0xd2);
	CHECK_EQ(i.flags, 0);
	CHECK_EQ(i.l3_bytes, 82);
	CHECK_EQ(i.hdr_len, 20 + 32);
	CHECK_EQ(i.flow_label, 0);

	/* all eight flag bits pass through; a bogus data offset costs 20 */
	put_tcp(p + 20, 1, 2, 2, 0xff);
	CHECK_EQ(parse(p, 40, 4, &k, &i), 0);
	CHECK_EQ(i.tcp_flags, 0xff);
	CHECK_EQ(i.hdr_len, 40);
}

static void test_ipv4_ports_protocols(void)
{
	static const struct { u8 proto; size_t hlen; } tab[] = {
		{ 17, 8 }, { 136, 8 }, { 132, 12 },
	};
	struct netflow_pktinfo i;
	struct netflow_key k;
	unsigned int t;
	u8 p[64];
	size_t n;

	for (t = 0; t < ARRAY_SIZE(tab); t++) {
		n = put_ip4(p, tab[t].proto, 0, 0, 0, tab[t].hlen + 4);
		n += put_ports(p + n, 5353, 53, tab[t].hlen + 4);
		CHECK_EQ(parse(p, n, 4, &k, &i), 0);
		check_v4_addrs(&k);
		CHECK_EQ(k.protocol, tab[t].proto);
		CHECK_EQ(ntohs(k.sport), 5353);
		CHECK_EQ(ntohs(k.dport), 53);
		CHECK_EQ(i.tcp_flags, 0);
		CHECK_EQ(i.hdr_len, 20 + tab[t].hlen);
		CHECK_EQ(i.l3_bytes, n);
	}
}

static void test_ipv4_icmp(void)
{
	struct netflow_pktinfo i;
	struct netflow_key k;
	u8 p[64];
	size_t n;

	n = put_ip4(p, 1, 0, 0, 0, 16);
	memset(p + n, 0, 16);
	p[n] = 3;		/* destination unreachable */
	p[n + 1] = 4;		/* fragmentation needed */
	n += 16;
	CHECK_EQ(parse(p, n, 4, &k, &i), 0);
	check_v4_addrs(&k);
	CHECK_EQ(k.protocol, 1);
	CHECK_EQ(k.sport, 0);
	CHECK_EQ(ntohs(k.dport), 0x0304);
	CHECK_EQ(i.hdr_len, 28);

	/* ICMPv6's number means nothing special in IPv4 */
	p[9] = 58;
	CHECK_EQ(parse(p, n, 4, &k, &i), 0);
	CHECK_EQ(k.dport, 0);
	CHECK_EQ(i.hdr_len, 20);
}

static void test_ipv4_other_protocol(void)
{
	struct netflow_pktinfo i;
	struct netflow_key k;
	u8 p[64];
	size_t n;

	n = put_ip4(p, 47 /* GRE */, 0x20, 0, 0, 8);
	memset(p + n, 0xee, 8);
	n += 8;
	CHECK_EQ(parse(p, n, 4, &k, &i), 0);
	check_v4_addrs(&k);
	CHECK_EQ(k.protocol, 47);
	CHECK_EQ(k.sport, 0);
	CHECK_EQ(k.dport, 0);
	CHECK_EQ(k.tos, 0x20);
	CHECK_EQ(i.hdr_len, 20);
	CHECK_EQ(i.flags, 0);

	/* portless with nothing after L3 is still a complete key */
	n = put_ip4(p, 50 /* ESP */, 0, 0, 0, 0);
	CHECK_EQ(parse(p, n, 4, &k, &i), 0);
	CHECK_EQ(k.protocol, 50);
	CHECK_EQ(i.l3_bytes, 20);
}

static void test_ipv4_options(void)
{
	struct netflow_pktinfo i;
	struct netflow_key k;
	u8 p[128];
	size_t n;

	n = put_ip4(p, 17, 0, 0, 40, 8);	/* IHL 15, the maximum */
	n += put_ports(p + n, 67, 68, 8);
	CHECK_EQ(parse(p, n, 4, &k, &i), 0);
	check_v4_addrs(&k);
	CHECK_EQ(ntohs(k.sport), 67);
	CHECK_EQ(ntohs(k.dport), 68);
	CHECK_EQ(i.hdr_len, 68);
	CHECK_EQ(i.l3_bytes, 68);
}

static void test_ipv4_fragments(void)
{
	struct netflow_pktinfo i;
	struct netflow_key k;
	u8 p[64];
	size_t n;

	/* first: MF, offset 0, ports kept */
	n = put_ip4(p, 17, 0, 0x2000, 0, 24);
	n += put_ports(p + n, 1111, 2222, 24);
	CHECK_EQ(parse(p, n, 4, &k, &i), 0);
	CHECK_EQ(i.flags, NETFLOW_PKT_FRAG_FIRST);
	CHECK_EQ(ntohs(k.sport), 1111);
	CHECK_EQ(ntohs(k.dport), 2222);

	/* a tiny first fragment without the ports is truncated, not dropped */
	CHECK_EQ(parse(p, 22, 4, &k, &i), NETFLOW_PARSE_PARTIAL);
	CHECK_EQ(i.flags, NETFLOW_PKT_FRAG_FIRST | NETFLOW_PKT_TRUNC);
	CHECK_EQ(k.sport, 0);

	/* middle: MF, offset 3 (24 bytes); payload is not a header */
	n = put_ip4(p, 17, 0, 0x2000 | 3, 0, 2);
	p[n] = 0xff;
	p[n + 1] = 0xff;
	n += 2;
	CHECK_EQ(parse(p, n, 4, &k, &i), 0);
	check_v4_addrs(&k);
	CHECK_EQ(i.flags, NETFLOW_PKT_FRAG_LATER);
	CHECK_EQ(k.protocol, 17);
	CHECK_EQ(k.sport, 0);
	CHECK_EQ(k.dport, 0);
	CHECK_EQ(i.hdr_len, 20);
	CHECK_EQ(i.l3_bytes, 22);

	/* last: offset only, and DF on a later fragment changes nothing */
	put_unaligned_be16(0x4000 | 0x1fff, p + 6);
	CHECK_EQ(parse(p, n, 4, &k, &i), 0);
	CHECK_EQ(i.flags, NETFLOW_PKT_FRAG_LATER);
	CHECK_EQ(k.sport, 0);
}

static void test_ipv4_ecn_masked(void)
{
	struct netflow_pktinfo i1, i2;
	struct netflow_key k1, k2;
	u8 p[64];
	size_t n;

	n = put_ip4(p, 6, 0xb8 | 0x2 /* EF, ECT(0) */, 0, 0, 20);
	n += put_tcp(p + n, 5, 6, 5, 0x10);
	CHECK_EQ(parse(p, n, 4, &k1, &i1), 0);
	CHECK_EQ(k1.tos, 0xb8);
	p[1] = 0xb8 | 0x3;	/* CE: must stay in the same flow */
	CHECK_EQ(parse_fill(p, n, 4, &k2, &i2, GARBAGE_B), 0);
	CHECK(!memcmp(&k1, &k2, sizeof(k1)));
}

/* Truncate a packet at every length: never an over-read (ASan), right code. */
static void check_every_length(const u8 *p, size_t n, u8 family,
			       size_t l3_min, size_t l4_off, size_t l4_need)
{
	struct netflow_pktinfo i;
	struct netflow_key k;
	size_t len;
	int ret;

	for (len = 0; len <= n; len++) {
		ret = parse(p, len, family, &k, &i);
		if (len < l3_min) {
			CHECK_EQ(ret, -EINVAL);
		} else if (len < l4_off + l4_need) {
			CHECK_EQ(ret, NETFLOW_PARSE_PARTIAL);
			CHECK(i.flags & NETFLOW_PKT_TRUNC);
			CHECK_EQ(k.sport, 0);
			CHECK_EQ(k.dport, 0);
			CHECK_EQ(k.family, family);
			CHECK(i.hdr_len <= len);
		} else {
			CHECK_EQ(ret, 0);
			CHECK_EQ(i.flags & NETFLOW_PKT_TRUNC, 0);
			CHECK(k.sport != 0);
		}
		if (ret >= 0 && len >= l4_off)
			CHECK_EQ(k.protocol, 6);
	}
}

static void test_ipv4_truncated_everywhere(void)
{
	u8 p[128];
	size_t n;

	n = put_ip4(p, 6, 0, 0, 0, 20);
	n += put_tcp(p + n, 1234, 80, 5, 0x02);
	check_every_length(p, n, 4, 20, 20, 14);

	/* with options the L3 header needs all IHL words */
	n = put_ip4(p, 6, 0, 0, 16, 20);
	n += put_tcp(p + n, 1234, 80, 5, 0x02);
	check_every_length(p, n, 4, 36, 36, 14);
}

static void test_ipv4_bad_header(void)
{
	struct netflow_pktinfo i;
	struct netflow_key k;
	u8 p[64];
	size_t n;

	n = put_ip4(p, 6, 0, 0, 0, 20);
	n += put_tcp(p + n, 1, 2, 5, 0);
	p[0] = 0x44;		/* IHL below the minimum */
	CHECK_EQ(parse(p, n, 4, &k, &i), -EINVAL);
	p[0] = 0x4f;		/* IHL 60 in a 40-byte packet */
	CHECK_EQ(parse(p, n, 4, &k, &i), -EINVAL);
	p[0] = 0x65;		/* IPv6 nibble on the IPv4 hook */
	CHECK_EQ(parse(p, n, 4, &k, &i), -EINVAL);
	p[0] = 0x45;
	CHECK_EQ(parse(p, n, 6, &k, &i), -EINVAL);
	CHECK_EQ(parse(p, n, 5, &k, &i), -EINVAL);
	CHECK_EQ(parse(p, n, 0, &k, &i), -EINVAL);
	/* rejected packets still leave defined outputs */
	CHECK(all_zero(&k, sizeof(k)));
	CHECK(all_zero(&i, sizeof(i)));
}

static void test_l3_bytes_fallback(void)
{
	struct netflow_pktinfo i;
	struct netflow_key k;
	u8 p[128];
	size_t n;

	n = put_ip4(p, 6, 0, 0, 0, 60);
	n += put_tcp(p + n, 1, 2, 5, 0x10);
	memset(p + n, 0, 60);
	n += 60;
	put_unaligned_be16(0, p + 2);	/* BIG TCP style */
	CHECK_EQ(parse(p, n, 4, &k, &i), 0);
	CHECK_EQ(i.l3_bytes, n);

	n = put_ip6(p, 6, 0, 0, 0);	/* payload length 0: jumbo/BIG TCP */
	n += put_tcp(p + n, 1, 2, 5, 0x10);
	CHECK_EQ(parse(p, n, 6, &k, &i), 0);
	CHECK_EQ(i.l3_bytes, 60);
}

static void test_ipv6_basic(void)
{
	struct netflow_pktinfo i;
	struct netflow_key k;
	u8 p[128];
	size_t n;

	n = put_ip6(p, 6, 0, 0, 20);
	n += put_tcp(p + n, 50000, 22, 5, 0x18);
	CHECK_EQ(parse(p, n, 6, &k, &i), 0);
	check_v6_addrs(&k);
	CHECK_EQ(k.protocol, 6);
	CHECK_EQ(ntohs(k.sport), 50000);
	CHECK_EQ(ntohs(k.dport), 22);
	CHECK_EQ(i.tcp_flags, 0x18);
	CHECK_EQ(i.hdr_len, 60);
	CHECK_EQ(i.l3_bytes, 60);

	n = put_ip6(p, 17, 0, 0, 12);
	n += put_ports(p + n, 546, 547, 12);
	CHECK_EQ(parse(p, n, 6, &k, &i), 0);
	CHECK_EQ(k.protocol, 17);
	CHECK_EQ(ntohs(k.sport), 546);
	CHECK_EQ(ntohs(k.dport), 547);
	CHECK_EQ(i.hdr_len, 48);
	CHECK_EQ(i.l3_bytes, 52);

	n = put_ip6(p, 58, 0, 0, 8);
	memset(p + n, 0, 8);
	p[n] = 128;		/* echo request */
	n += 8;
	CHECK_EQ(parse(p, n, 6, &k, &i), 0);
	CHECK_EQ(k.protocol, 58);
	CHECK_EQ(k.sport, 0);
	CHECK_EQ(ntohs(k.dport), 128 << 8);
	CHECK_EQ(i.hdr_len, 48);

	/* ICMP (v4) in IPv6 has no type/code meaning */
	p[6] = 1;
	CHECK_EQ(parse(p, n, 6, &k, &i), 0);
	CHECK_EQ(k.dport, 0);

	/* IPv4 nibble on the IPv6 hook */
	p[0] = 0x45;
	CHECK_EQ(parse(p, n, 6, &k, &i), -EINVAL);
	CHECK_EQ(parse(p, 39, 6, &k, &i), -EINVAL);
}

static void test_ipv6_flow_label_tclass(void)
{
	struct netflow_pktinfo i1, i2;
	struct netflow_key k1, k2;
	u8 p[64];
	size_t n;

	n = put_ip6(p, 17, 0x28 | 0x1 /* AF11, ECT(1) */, 0xabcde, 8);
	n += put_ports(p + n, 1, 2, 8);
	CHECK_EQ(parse(p, n, 6, &k1, &i1), 0);
	CHECK_EQ(k1.tos, 0x28);
	CHECK_EQ(i1.flow_label, 0xabcde);
	put_ip6(p, 17, 0x28 | 0x3 /* CE */, 0xabcde, 8);
	CHECK_EQ(parse_fill(p, n, 6, &k2, &i2, GARBAGE_B), 0);
	CHECK(!memcmp(&k1, &k2, sizeof(k1)));
	CHECK_EQ(i2.flow_label, 0xabcde);
}

static void test_ipv6_ext_chain(void)
{
	struct netflow_pktinfo i;
	struct netflow_key k;
	u8 p[256];
	size_t n, l4;

	n = put_ip6(p, 0, 0, 0, 0);
	n += put_ext(p + n, 60, 0);		/* hop-by-hop, 8 */
	n += put_ext(p + n, 43, 1);		/* dest options, 16 */
	n += put_ext(p + n, 6, 2);		/* routing, 24 */
	l4 = n;
	n += put_tcp(p + n, 7, 8, 5, 0x01);
	put_unaligned_be16(n - 40, p + 4);
	CHECK_EQ(parse(p, n, 6, &k, &i), 0);
	check_v6_addrs(&k);
	CHECK_EQ(k.protocol, 6);
	CHECK_EQ(ntohs(k.sport), 7);
	CHECK_EQ(ntohs(k.dport), 8);
	CHECK_EQ(i.tcp_flags, 0x01);
	CHECK_EQ(i.hdr_len, l4 + 20);
	CHECK_EQ(i.l3_bytes, n);
	check_every_length(p, n, 6, 40, l4, 14);
}

static void test_ipv6_fragments(void)
{
	struct netflow_pktinfo i;
	struct netflow_key k;
	u8 p[128];
	size_t n;

	/* first: M set, offset 0: ports kept */
	n = put_ip6(p, 44, 0, 0, 0);
	n += put_frag6(p + n, 17, 0, 1);
	n += put_ports(p + n, 9, 10, 16);
	CHECK_EQ(parse(p, n, 6, &k, &i), 0);
	CHECK_EQ(i.flags, NETFLOW_PKT_FRAG_FIRST);
	CHECK_EQ(k.protocol, 17);
	CHECK_EQ(ntohs(k.sport), 9);
	CHECK_EQ(i.hdr_len, 56);

	/* atomic fragment: offset 0, no M: an ordinary whole packet */
	put_frag6(p + 40, 17, 0, 0);
	CHECK_EQ(parse(p, n, 6, &k, &i), 0);
	CHECK_EQ(i.flags, 0);
	CHECK_EQ(ntohs(k.dport), 10);

	/* later: protocol from the fragment header, no ports, still whole */
	n = put_ip6(p, 44, 0, 0, 10);
	n += put_frag6(p + n, 6, 185, 1);
	p[n] = 0xff;
	p[n + 1] = 0xff;
	n += 2;
	CHECK_EQ(parse(p, n, 6, &k, &i), 0);
	check_v6_addrs(&k);
	CHECK_EQ(i.flags, NETFLOW_PKT_FRAG_LATER);
	CHECK_EQ(k.protocol, 6);
	CHECK_EQ(k.sport, 0);
	CHECK_EQ(k.dport, 0);
	CHECK_EQ(i.tcp_flags, 0);
	CHECK_EQ(i.hdr_len, 48);

	/* a second, non-first fragment header wins over a first one */
	n = put_ip6(p, 44, 0, 0, 0);
	n += put_frag6(p + n, 44, 0, 1);
	n += put_frag6(p + n, 17, 7, 0);
	n += put_ports(p + n, 9, 10, 8);
	CHECK_EQ(parse(p, n, 6, &k, &i), 0);
	CHECK_EQ(i.flags, NETFLOW_PKT_FRAG_LATER);
	CHECK_EQ(k.protocol, 17);
	CHECK_EQ(k.sport, 0);
	CHECK_EQ(i.hdr_len, 56);

	/* fragment header itself cut short */
	CHECK_EQ(parse(p, 46, 6, &k, &i), NETFLOW_PARSE_PARTIAL);
	CHECK_EQ(i.flags, NETFLOW_PKT_TRUNC);
	CHECK_EQ(k.protocol, 44);
}

static void test_ipv6_too_many_exthdrs(void)
{
	struct netflow_pktinfo i;
	struct netflow_key k;
	u8 p[256];
	size_t n;
	int e;

	/* exactly the limit still parses */
	n = put_ip6(p, 60, 0, 0, 0);
	for (e = 0; e < NETFLOW_IPV6_MAX_EXTHDRS; e++)
		n += put_ext(p + n, e == NETFLOW_IPV6_MAX_EXTHDRS - 1 ? 17 : 60,
			     0);
	n += put_ports(p + n, 3, 4, 8);
	CHECK_EQ(parse(p, n, 6, &k, &i), 0);
	CHECK_EQ(k.protocol, 17);
	CHECK_EQ(ntohs(k.sport), 3);

	/* one more is given up on: accounted as truncated */
	n = put_ip6(p, 60, 0, 0, 0);
	for (e = 0; e <= NETFLOW_IPV6_MAX_EXTHDRS; e++)
		n += put_ext(p + n, e == NETFLOW_IPV6_MAX_EXTHDRS ? 17 : 60, 0);
	n += put_ports(p + n, 3, 4, 8);
	CHECK_EQ(parse(p, n, 6, &k, &i), NETFLOW_PARSE_PARTIAL);
	CHECK_EQ(i.flags, NETFLOW_PKT_TRUNC);
	check_v6_addrs(&k);
	CHECK_EQ(k.protocol, 60);
	CHECK_EQ(k.sport, 0);
	CHECK_EQ(i.hdr_len, 40 + 8 * NETFLOW_IPV6_MAX_EXTHDRS);
}

static void test_ipv6_ah_esp(void)
{
	struct netflow_pktinfo i;
	struct netflow_key k;
	u8 p[128];
	size_t n;

	/* AH with length 4: (4 + 2) * 4 = 24 bytes, then UDP */
	n = put_ip6(p, 51, 0, 0, 0);
	memset(p + n, 0, 24);
	p[n] = 17;
	p[n + 1] = 4;
	n += 24;
	n += put_ports(p + n, 500, 4500, 8);
	CHECK_EQ(parse(p, n, 6, &k, &i), 0);
	CHECK_EQ(k.protocol, 17);
	CHECK_EQ(ntohs(k.sport), 500);
	CHECK_EQ(ntohs(k.dport), 4500);
	CHECK_EQ(i.hdr_len, 40 + 24 + 8);

	/* ESP ends the walk as the flow's protocol, without ports */
	n = put_ip6(p, 50, 0, 0, 16);
	memset(p + n, 0x77, 16);
	n += 16;
	CHECK_EQ(parse(p, n, 6, &k, &i), 0);
	CHECK_EQ(k.protocol, 50);
	CHECK_EQ(k.sport, 0);
	CHECK_EQ(i.hdr_len, 40);

	/* as does no-next-header, even after a dest options header */
	n = put_ip6(p, 60, 0, 0, 8);
	n += put_ext(p + n, 59, 0);
	CHECK_EQ(parse(p, n, 6, &k, &i), 0);
	CHECK_EQ(k.protocol, 59);
	CHECK_EQ(i.hdr_len, 48);

	/* ... unless that header claims more than the packet holds */
	p[41] = 3;
	CHECK_EQ(parse(p, n, 6, &k, &i), NETFLOW_PARSE_PARTIAL);
	CHECK_EQ(i.flags, NETFLOW_PKT_TRUNC);
	CHECK_EQ(i.hdr_len, n);

	/* mobility is an upper layer of its own */
	n = put_ip6(p, 135, 0, 0, 8);
	n += put_ext(p + n, 59, 0);
	CHECK_EQ(parse(p, n, 6, &k, &i), 0);
	CHECK_EQ(k.protocol, 135);
	CHECK_EQ(k.dport, 0);
}

static void test_key_padding_zeroed(void)
{
	struct netflow_pktinfo i1, i2;
	struct netflow_key k1, k2;
	u8 p[64];
	size_t n;

	CHECK_EQ(sizeof(struct netflow_key), 48);
	CHECK_EQ(sizeof(struct netflow_pktinfo), 12);

	n = put_ip4(p, 17, 0, 0, 0, 8);
	n += put_ports(p + n, 1, 2, 8);
	CHECK_EQ(parse_fill(p, n, 4, &k1, &i1, GARBAGE_A), 0);
	CHECK_EQ(parse_fill(p, n, 4, &k2, &i2, GARBAGE_B), 0);
	CHECK(!memcmp(&k1, &k2, sizeof(k1)));
	CHECK(!memcmp(&i1, &i2, sizeof(i1)));
	check_v4_addrs(&k1);

	n = put_ip6(p, 17, 0, 0, 8);
	n += put_ports(p + n, 1, 2, 8);
	CHECK_EQ(parse_fill(p, n, 6, &k1, &i1, GARBAGE_A), 0);
	CHECK_EQ(parse_fill(p, n, 6, &k2, &i2, GARBAGE_B), 0);
	CHECK(!memcmp(&k1, &k2, sizeof(k1)));
	CHECK(!memcmp(&i1, &i2, sizeof(i1)));

	/* truncated parses are just as deterministic */
	CHECK_EQ(parse_fill(p, 42, 6, &k1, &i1, GARBAGE_A),
		 NETFLOW_PARSE_PARTIAL);
	CHECK_EQ(parse_fill(p, 42, 6, &k2, &i2, GARBAGE_B),
		 NETFLOW_PARSE_PARTIAL);
	CHECK(!memcmp(&k1, &k2, sizeof(k1)));
	CHECK(!memcmp(&i1, &i2, sizeof(i1)));
}

int main(void)
{
	RUN_TEST(test_ipv4_tcp);
	RUN_TEST(test_ipv4_ports_protocols);
	RUN_TEST(test_ipv4_icmp);
	RUN_TEST(test_ipv4_other_protocol);
	RUN_TEST(test_ipv4_options);
	RUN_TEST(test_ipv4_fragments);
	RUN_TEST(test_ipv4_ecn_masked);
	RUN_TEST(test_ipv4_truncated_everywhere);
	RUN_TEST(test_ipv4_bad_header);
	RUN_TEST(test_l3_bytes_fallback);
	RUN_TEST(test_ipv6_basic);
	RUN_TEST(test_ipv6_flow_label_tclass);
	RUN_TEST(test_ipv6_ext_chain);
	RUN_TEST(test_ipv6_fragments);
	RUN_TEST(test_ipv6_too_many_exthdrs);
	RUN_TEST(test_ipv6_ah_esp);
	RUN_TEST(test_key_padding_zeroed);
	return UNIT_EXIT();
}
