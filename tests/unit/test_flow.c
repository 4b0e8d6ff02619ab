// SPDX-License-Identifier: GPL-2.0
/*
 * A flow's life as the packet path drives it: netflow_flow_fill() for a
 * new flow, netflow_flow_add() per packet (counters, TCP flags, FIN/RST),
 * netflow_flow_to_record() for the encoders; and a FIN-ended flow on a
 * wheel slot boundary leaving at the very next scan.
 */
#include <stdlib.h>
#include "table_core.h"
#include "unit.h"

static struct netflow_key key6(u8 protocol)
{
	struct netflow_key k;
	unsigned int i;

	memset(&k, 0, sizeof(k));
	k.family = 6;
	k.protocol = protocol;
	for (i = 0; i < 16; i++) {
		k.src.b[i] = 0x20 + i;
		k.dst.b[i] = 0x80 + i;
	}
	k.sport = htons(40001);
	k.dport = htons(443);
	k.ifindex_in = 7;		/* in and out differ: no swap hides */
	k.ifindex_out = 9;
	k.tos = 0xb8;
	return k;
}

/* Every field of a new flow set, whatever the allocator left there. */
static void test_fill(void)
{
	struct netflow_key k = key6(6);
	struct netflow_flow f;

	memset(&f, 0xa5, sizeof(f));
	netflow_flow_fill(&f, &k, 0x1234abcd, 5000, 0xabcde,
			  NETFLOW_DIR_EGRESS);
	CHECK(netflow_key_equal(&f.key, &k));
	CHECK_EQ(f.hash, 0x1234abcd);
	CHECK_EQ(f.first, 5000);
	CHECK_EQ(f.last, 5000);
	CHECK_EQ(f.packets, 0);
	CHECK_EQ(f.bytes, 0);
	CHECK_EQ(f.tcp_flags, 0);
	CHECK_EQ(f.end_reason, 0);
	CHECK_EQ(f.flow_label, 0xabcde);
	CHECK_EQ(f.direction, NETFLOW_DIR_EGRESS);
	netflow_flow_fill(&f, &k, 1, 1, 0, NETFLOW_DIR_INGRESS);
	CHECK_EQ(f.direction, NETFLOW_DIR_INGRESS);
}

/* Counters add up, TCP flags are OR-ed, first stays, last follows. */
static void test_add_counts_and_flags(void)
{
	struct netflow_key k = key6(6);
	struct netflow_flow f;

	netflow_flow_fill(&f, &k, 1, 100, 0, 0);
	CHECK(!netflow_flow_add(&f, 1, 60, 0x02, 100));		/* SYN */
	CHECK(!netflow_flow_add(&f, 1, 52, 0x10, 101));		/* ACK */
	CHECK(!netflow_flow_add(&f, 3, 4500, 0x18, 150));	/* PSH ACK */
	CHECK(!netflow_flow_add(&f, 1, 52, 0x10, 160));
	CHECK_EQ(f.tcp_flags, 0x1a);
	CHECK_EQ(f.packets, 6);
	CHECK_EQ(f.bytes, 60 + 52 + 4500 + 52);
	CHECK_EQ(f.first, 100);
	CHECK_EQ(f.last, 160);
	/* 64-bit counters: no wrap at 2^32 */
	CHECK(!netflow_flow_add(&f, 1, 0xffffffffULL, 0, 170));
	CHECK_EQ(f.bytes, 0xffffffffULL + 4664);
	CHECK_EQ(f.tcp_flags, 0x1a);
}

/* FIN and RST each end a TCP flow, OR-ed in first; never a UDP flow. */
static void test_add_end(void)
{
	static const u8 ends[] = { 0x01, 0x04, 0x11, 0x14, 0x05 };
	static const u8 protos[] = { 17, 132, 136, 1, 58, 47 };
	struct netflow_key k = key6(6);
	struct netflow_flow f;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ends); i++) {
		netflow_flow_fill(&f, &k, 1, 0, 0, 0);
		CHECK(!netflow_flow_add(&f, 1, 40, 0x12, 1));
		CHECK(netflow_flow_add(&f, 1, 40, ends[i], 2));
		CHECK_EQ(f.tcp_flags, 0x12 | ends[i]);
		CHECK_EQ(f.packets, 2);
	}
	/* the parser leaves flags 0 outside TCP; even if not, no end */
	for (i = 0; i < ARRAY_SIZE(protos); i++) {
		k = key6(protos[i]);
		netflow_flow_fill(&f, &k, 1, 0, 0, 0);
		CHECK(!netflow_flow_add(&f, 1, 40, 0, 1));
		CHECK(!netflow_flow_add(&f, 1, 40, 0x05, 2));
		CHECK_EQ(f.packets, 2);
	}
}

/* The encoders see every field of the flow, in and out not swapped. */
static void test_to_record(void)
{
	struct netflow_key k = key6(6);
	struct netflow_record r;
	struct netflow_flow f;

	netflow_flow_fill(&f, &k, 1, 10, 0xfedcb, NETFLOW_DIR_EGRESS);
	netflow_flow_add(&f, 2, 3000, 0x10, 20);
	netflow_flow_add(&f, 1, 40, 0x01, 30);
	f.end_reason = NETFLOW_END_FORCED;
	memset(&r, 0x5a, sizeof(r));
	netflow_flow_to_record(&f, &r, 0x123456789ULL, 0x123456799ULL);
	CHECK(!memcmp(r.src.b, k.src.b, 16));
	CHECK(!memcmp(r.dst.b, k.dst.b, 16));
	CHECK_EQ(r.packets, 3);
	CHECK_EQ(r.bytes, 3040);
	CHECK_EQ(r.first_ms, 0x123456789ULL);
	CHECK_EQ(r.last_ms, 0x123456799ULL);
	CHECK_EQ(r.ifindex_in, 7);
	CHECK_EQ(r.ifindex_out, 9);
	CHECK_EQ(r.flow_label, 0xfedcb);
	CHECK_EQ(r.sport, 40001);		/* host order */
	CHECK_EQ(r.dport, 443);
	CHECK_EQ(r.family, 6);
	CHECK_EQ(r.protocol, 6);
	CHECK_EQ(r.tos, 0xb8);
	CHECK_EQ(r.tcp_flags, 0x11);
	CHECK_EQ(r.end_reason, NETFLOW_END_FORCED);
	CHECK_EQ(r.direction, NETFLOW_DIR_EGRESS);

	/* IPv4: the rest of the address unions stays zero */
	memset(&k, 0, sizeof(k));
	k.family = 4;
	k.protocol = 17;
	k.src.ip4 = htonl(0x0a000001);
	k.dst.ip4 = htonl(0xc0000202);
	k.sport = htons(53);
	k.dport = htons(5353);
	k.ifindex_in = 3;
	k.tos = 0x28;
	netflow_flow_fill(&f, &k, 1, 10, 0, NETFLOW_DIR_INGRESS);
	netflow_flow_add(&f, 1, 76, 0, 10);
	f.end_reason = NETFLOW_END_IDLE;
	memset(&r, 0x5a, sizeof(r));
	netflow_flow_to_record(&f, &r, 1, 2);
	CHECK_EQ(ntohl(r.src.ip4), 0x0a000001);
	CHECK_EQ(ntohl(r.dst.ip4), 0xc0000202);
	CHECK_EQ(r.src.ip6[1] | r.src.ip6[2] | r.src.ip6[3], 0);
	CHECK_EQ(r.ifindex_in, 3);
	CHECK_EQ(r.ifindex_out, 0);
	CHECK_EQ(r.sport, 53);
	CHECK_EQ(r.dport, 5353);
	CHECK_EQ(r.tos, 0x28);
	CHECK_EQ(r.tcp_flags, 0);
	CHECK_EQ(r.flow_label, 0);
	CHECK_EQ(r.end_reason, NETFLOW_END_IDLE);
	CHECK_EQ(r.direction, NETFLOW_DIR_INGRESS);
}

#define NB 16
static struct hlist_head buckets[NB];

/* An Ethernet header with @ntags in-band tags, then IPv4. */
static unsigned int frame(u8 *h, unsigned int ntags)
{
	static const u8 dst[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
	static const u8 src[6] = { 0x02, 0, 0x5e, 0xab, 0xcd, 0xef };
	unsigned int off = 12, i;

	memcpy(h, dst, 6);
	memcpy(h + 6, src, 6);
	for (i = 0; i < ntags; i++, off += 4) {
		put_unaligned_be16(i ? 0x8100 : 0x88a8, h + off);
		put_unaligned_be16((i + 1) << 13 | (100 + i), h + off + 2);
	}
	put_unaligned_be16(0x0800, h + off);
	return off + 2;
}

/* The link layer: MACs, in-band tags into the free slots, nothing else. */
static void test_l2_from_header(void)
{
	struct netflow_l2 l2;
	u8 h[64];
	unsigned int len;

	len = frame(h, 0);
	memset(&l2, 0, sizeof(l2));
	netflow_l2_from_header(&l2, h, len, NETFLOW_L2_MAC | NETFLOW_L2_VLAN,
			       0);
	CHECK_EQ(l2.dst_mac[0], 0x52);
	CHECK_EQ(l2.dst_mac[5], 0x56);
	CHECK_EQ(l2.src_mac[0], 0x02);
	CHECK_EQ(l2.src_mac[5], 0xef);
	CHECK_EQ(l2.vlan[0] | l2.vlan[1], 0);

	/* QinQ: S-tag outer, C-tag inner, whole TCIs */
	len = frame(h, 2);
	memset(&l2, 0, sizeof(l2));
	netflow_l2_from_header(&l2, h, len, NETFLOW_L2_VLAN, 0);
	CHECK_EQ(l2.vlan[0], 1 << 13 | 100);
	CHECK_EQ(l2.vlan[1], 2 << 13 | 101);
	CHECK_EQ(l2.src_mac[0] | l2.dst_mac[0], 0);	/* mac off */

	/* a stripped tag holds slot 0: the first in-band one goes second */
	memset(&l2, 0, sizeof(l2));
	l2.vlan[0] = 7;
	netflow_l2_from_header(&l2, h, len, NETFLOW_L2_VLAN, 1);
	CHECK_EQ(l2.vlan[0], 7);
	CHECK_EQ(l2.vlan[1], 1 << 13 | 100);

	/* three tags: two kept; vlan off: none read */
	len = frame(h, 3);
	memset(&l2, 0, sizeof(l2));
	netflow_l2_from_header(&l2, h, len, NETFLOW_L2_VLAN, 0);
	CHECK_EQ(l2.vlan[1], 2 << 13 | 101);
	memset(&l2, 0, sizeof(l2));
	netflow_l2_from_header(&l2, h, len, NETFLOW_L2_MAC, 0);
	CHECK_EQ(l2.vlan[0], 0);
	CHECK_EQ(l2.dst_mac[0], 0x52);

	/* a tag cut short is not read; no Ethernet header: nothing */
	len = frame(h, 1);
	memset(&l2, 0, sizeof(l2));
	netflow_l2_from_header(&l2, h, 16, NETFLOW_L2_VLAN, 0);
	CHECK_EQ(l2.vlan[0], 0);
	netflow_l2_from_header(&l2, h, 13, NETFLOW_L2_MAC | NETFLOW_L2_VLAN,
			       0);
	CHECK(netflow_l2_zero(&l2));
	netflow_l2_from_header(&l2, h, 0, NETFLOW_L2_MAC, 0);
	CHECK(netflow_l2_zero(&l2));
}

/* An MPLS stack of @n entries after @ntags tags (promisc frames). */
static unsigned int frame_mpls(u8 *h, unsigned int ntags, unsigned int n)
{
	unsigned int off = frame(h, ntags) - 2, i;

	put_unaligned_be16(0x8847, h + off);
	for (i = 0, off += 2; i < n; i++, off += 4)
		put_unaligned_be32((1000 + i) << 12 | 5 << 9 |
				   (i == n - 1) << 8 | (64 - i), h + off);
	return off;
}

/*
 * promisc's labels: up to 3 entries past the tags, whole; a deeper stack
 * keeps its top 3; the stack ends at its bottom entry.
 */
static void test_l2_mpls(void)
{
	struct netflow_mpls m;
	u8 h[96];
	unsigned int len;

	len = frame_mpls(h, 1, 2);
	memset(&m, 0, sizeof(m));
	netflow_mpls_from_header(&m, h, len);
	CHECK_EQ(m.entry[0], 1000 << 12 | 5 << 9 | 64);
	CHECK_EQ(m.entry[1], 1001 << 12 | 5 << 9 | 1 << 8 | 63);
	CHECK_EQ(m.entry[2], 0);
	CHECK(!netflow_mpls_zero(&m));

	/* what follows the bottom entry (a pseudowire control word) is no label */
	len = frame_mpls(h, 0, 1);
	put_unaligned_be32(0x12345678, h + len);
	memset(&m, 0, sizeof(m));
	netflow_mpls_from_header(&m, h, len + 4);
	CHECK_EQ(m.entry[0] >> 12, 1000);
	CHECK_EQ(m.entry[1], 0);

	/* five labels under three tags: the top three entries */
	len = frame_mpls(h, 3, 5);
	memset(&m, 0, sizeof(m));
	netflow_mpls_from_header(&m, h, len);
	CHECK_EQ(m.entry[0] >> 12, 1000);
	CHECK_EQ(m.entry[2] >> 12, 1002);
	CHECK_EQ(m.pad, 0);

	/* an entry cut short is not read; no MPLS type: nothing */
	len = frame_mpls(h, 0, 1);
	memset(&m, 0, sizeof(m));
	netflow_mpls_from_header(&m, h, len - 1);
	CHECK(netflow_mpls_zero(&m));
	len = frame(h, 2);
	netflow_mpls_from_header(&m, h, len);
	CHECK(netflow_mpls_zero(&m));
	netflow_mpls_from_header(&m, h, 13);
	CHECK(netflow_mpls_zero(&m));
}

/*
 * promisc: the labels are in the key. A flow with a stack matches only
 * that stack; a flow without one only a packet without one.
 */
static void test_lookup_mpls(void)
{
	struct netflow_flow_mpls *a = calloc(1, sizeof(*a));
	struct netflow_flow *plain = calloc(1, sizeof(*plain));
	struct netflow_key k = key6(17);
	struct netflow_mpls m, other, none;
	struct netflow_l2 l2, zero;
	struct netflow_record r;
	struct netflow_table t;

	memset(&l2, 0, sizeof(l2));
	memset(&zero, 0, sizeof(zero));
	memset(&m, 0, sizeof(m));
	memset(&none, 0, sizeof(none));
	l2.vlan[0] = 7;
	m.entry[0] = 1 << 12 | 0x1ff;
	other = m;
	other.entry[1] = 2 << 12;
	netflow_table_init(&t, buckets, NB, 4, 0);
	netflow_table_set_timeouts(&t, 60000, 30000);
	netflow_flow_fill(&a->x.base, &k, 5, 0, 0, 0);
	a->x.base.ext = NETFLOW_FLOW_EXT | NETFLOW_FLOW_L2 | NETFLOW_FLOW_MPLS;
	a->x.l2 = l2;
	a->mpls = m;
	netflow_table_insert(&t, &a->x.base);
	CHECK(netflow_table_lookup_l2(&t, &k, &l2, &m, 5) == &a->x.base);
	CHECK(!netflow_table_lookup_l2(&t, &k, &l2, &other, 5));
	CHECK(!netflow_table_lookup_l2(&t, &k, &l2, &none, 5));
	CHECK(!netflow_table_lookup_l2(&t, &k, &zero, &m, 5));

	netflow_flow_fill(plain, &k, 5, 0, 0, 0);
	netflow_table_insert(&t, plain);
	CHECK(netflow_table_lookup_l2(&t, &k, &zero, &none, 5) == plain);
	CHECK(!netflow_table_lookup_l2(&t, &k, &zero, &m, 5));

	/* the record carries the entries; a flow without: zeros */
	memset(&r, 0x5a, sizeof(r));
	netflow_flow_to_record(&a->x.base, &r, 0, 0);
	CHECK_EQ(r.mpls[0], m.entry[0]);
	CHECK_EQ(r.mpls[1], 0);
	CHECK_EQ(r.vlan[0], 7);
	memset(&r, 0x5a, sizeof(r));
	netflow_flow_to_record(plain, &r, 0, 0);
	CHECK_EQ(r.mpls[0] | r.mpls[2], 0);
	free(a);
	free(plain);
}

/*
 * With mac/vlan on, MACs and tags are in the key: the same 5-tuple from
 * another MAC or VLAN is another flow; a flow without link layer (local)
 * matches only a packet without one.
 */
static void test_lookup_l2(void)
{
	struct netflow_flow_ext *a = calloc(1, sizeof(*a));
	struct netflow_flow *plain = calloc(1, sizeof(*plain));
	struct netflow_key k = key6(17);
	struct netflow_l2 l2, zero;
	struct netflow_record r;
	struct netflow_table t;
	LIST_HEAD(out);

	memset(&l2, 0, sizeof(l2));
	memset(&zero, 0, sizeof(zero));
	l2.src_mac[5] = 1;
	l2.vlan[0] = 100;
	netflow_table_init(&t, buckets, NB, 4, 0);
	netflow_table_set_timeouts(&t, 60000, 30000);
	netflow_flow_fill(&a->base, &k, 5, 0, 0, 0);
	a->base.ext = NETFLOW_FLOW_EXT | NETFLOW_FLOW_L2;
	a->l2 = l2;
	netflow_table_insert(&t, &a->base);
	CHECK(netflow_table_lookup_l2(&t, &k, &l2, NULL, 5) == &a->base);
	CHECK(!netflow_table_lookup_l2(&t, &k, &zero, NULL, 5));
	l2.vlan[0] = 101;
	CHECK(!netflow_table_lookup_l2(&t, &k, &l2, NULL, 5));
	l2.vlan[0] = 100;
	l2.src_mac[5] = 2;
	CHECK(!netflow_table_lookup_l2(&t, &k, &l2, NULL, 5));

	netflow_flow_fill(plain, &k, 5, 0, 0, 0);
	netflow_table_insert(&t, plain);
	CHECK(netflow_table_lookup_l2(&t, &k, &zero, NULL, 5) == plain);
	CHECK(!netflow_table_lookup_l2(&t, &k, &l2, NULL, 5));

	/* the record carries them; a flow without: zeros */
	memset(&r, 0x5a, sizeof(r));
	netflow_flow_to_record(&a->base, &r, 0, 0);
	CHECK_EQ(r.src_mac[5], 1);
	CHECK_EQ(r.dst_mac[0], 0);
	CHECK_EQ(r.vlan[0], 100);
	CHECK_EQ(r.vlan[1], 0);
	memset(&r, 0x5a, sizeof(r));
	netflow_flow_to_record(plain, &r, 0, 0);
	CHECK_EQ(r.src_mac[5] | r.dst_mac[0] | r.vlan[0] | r.vlan[1], 0);
	CHECK_EQ(netflow_table_drain(&t, &out, NETFLOW_END_FORCED), 2);
	free(a);
	free(plain);
}

/*
 * A flow that ends (FIN) right after a scan, at any phase of a slot, the
 * slot boundary included: the next scan one slot later exports it, not a
 * scan a whole wheel lap later.
 */
static void test_fin_slot_boundary(void)
{
	const u32 span = 1u << 4;
	struct netflow_table t;
	struct netflow_key k = key6(6);
	u32 base, phase, now;
	LIST_HEAD(out);

	for (base = 0; base < 3 * span; base += span) {
		for (phase = 0; phase < span; phase++) {
			struct netflow_flow *f = calloc(1, sizeof(*f));
			unsigned int n = 0;
			bool more;

			now = 1000 * span + base + phase;
			netflow_table_init(&t, buckets, NB, 4, now - 5 * span);
			netflow_table_set_timeouts(&t, 60000, 30000);
			netflow_flow_fill(f, &k, 1, now - 2 * span, 0, 0);
			netflow_table_insert(&t, f);
			do
				n += netflow_table_expire(&t, now, &out, 64,
							  &more);
			while (more);
			CHECK_EQ(n, 0);
			CHECK(netflow_flow_add(f, 1, 40, 0x01, now));
			netflow_table_end(&t, f, now);
			CHECK_EQ(t.count, 0);
			n = 0;
			do
				n += netflow_table_expire(&t, now + span, &out,
							  64, &more);
			while (more);
			if (n != 1)
				printf("  FIN at %u (slot phase %u) not out by %u\n",
				       now, phase, now + span);
			CHECK_EQ(n, 1);
			CHECK_EQ(f->end_reason, NETFLOW_END_OF_FLOW);
			if (n != 1) {
				/* the wheel still holds it: take it back */
				netflow_table_drain(&t, &out, 0);
			}
			list_del_init(&f->wheel);
			free(f);
		}
	}
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	RUN_TEST(test_fill);
	RUN_TEST(test_add_counts_and_flags);
	RUN_TEST(test_add_end);
	RUN_TEST(test_to_record);
	RUN_TEST(test_l2_from_header);
	RUN_TEST(test_l2_mpls);
	RUN_TEST(test_lookup_mpls);
	RUN_TEST(test_lookup_l2);
	RUN_TEST(test_fin_slot_boundary);
	return UNIT_EXIT();
}
