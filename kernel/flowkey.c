// SPDX-License-Identifier: GPL-2.0
/*
 * Packet -> flow key, on raw bytes through the bounded pkt.h accessor:
 * IPv4 with options and fragments, IPv6 with a bounded extension walk.
 */
#include "pure.h"
#include "record.h"
#include "pkt.h"
#include "flowkey.h"

/* IANA protocol numbers, spelled here so the file needs no net headers. */
#define FK_PROTO_HOPOPTS	0
#define FK_PROTO_ICMP		1
#define FK_PROTO_TCP		6
#define FK_PROTO_UDP		17
#define FK_PROTO_ROUTING	43
#define FK_PROTO_FRAGMENT	44
#define FK_PROTO_AH		51
#define FK_PROTO_ICMPV6		58
#define FK_PROTO_DSTOPTS	60
#define FK_PROTO_SCTP		132
#define FK_PROTO_UDPLITE	136

#define FK_IPV4_HLEN		20
#define FK_IPV4_MF		0x2000
#define FK_IPV4_OFFSET		0x1fff
#define FK_IPV6_HLEN		40
#define FK_IPV6_FRAG_HLEN	8
#define FK_IPV6_MF		0x0001
#define FK_IPV6_OFFSET		0xfff8
#define FK_DSCP_MASK		0xfc	/* ToS / traffic class without ECN */
#define FK_TCP_NEED		14	/* ports up to the flags byte */
#define FK_TCP_MIN_HLEN		20
#define FK_ICMP_HLEN		8

/*
 * What a later read could not find: the key keeps what L3 gave it and
 * the packet is still accounted, flagged truncated.
 */
static int netflow_parse_trunc(const struct netflow_pkt *pkt, unsigned int off,
			       struct netflow_pktinfo *info)
{
	info->flags |= NETFLOW_PKT_TRUNC;
	info->hdr_len = min(off, pkt->len);
	return NETFLOW_PARSE_PARTIAL;
}

/* already network order; two stores, no field-spanning copy */
static inline void fk_copy_ports(struct netflow_key *key, const u8 *h)
{
	memcpy(&key->sport, h, 2);
	memcpy(&key->dport, h + 2, 2);
}

/*
 * Ports (or ICMP type/code) of the upper-layer header at @off. One read
 * per packet: TCP takes the flags byte in the same access as the ports.
 */
static __always_inline int netflow_parse_l4(const struct netflow_pkt *pkt,
					    unsigned int off, u8 icmp_proto,
					    struct netflow_key *key,
					    struct netflow_pktinfo *info)
{
	u8 buf[FK_TCP_NEED];
	unsigned int hlen;
	const u8 *h;

	if (likely(key->protocol == FK_PROTO_TCP)) {
		h = netflow_pkt_header(pkt, off, FK_TCP_NEED, buf);
		if (unlikely(!h))
			return netflow_parse_trunc(pkt, off, info);
		info->tcp_flags = h[13];
		/* data offset in 32-bit words; a bogus one still costs 20 */
		hlen = max((h[12] >> 4) << 2, FK_TCP_MIN_HLEN);
		fk_copy_ports(key, h);
	} else if (key->protocol == FK_PROTO_UDP ||
		   key->protocol == FK_PROTO_UDPLITE ||
		   key->protocol == FK_PROTO_SCTP) {
		h = netflow_pkt_header(pkt, off, 4, buf);
		if (unlikely(!h))
			return netflow_parse_trunc(pkt, off, info);
		/* SCTP's common header is 12 bytes, the UDPs' 8 */
		hlen = key->protocol == FK_PROTO_SCTP ? 12 : 8;
		fk_copy_ports(key, h);
	} else if (key->protocol == icmp_proto) {
		h = netflow_pkt_header(pkt, off, 2, buf);
		if (unlikely(!h))
			return netflow_parse_trunc(pkt, off, info);
		key->dport = htons(h[0] << 8 | h[1]);
		hlen = FK_ICMP_HLEN;
	} else {
		/* portless (GRE, ESP, no-next-header...): the key is done */
		if (unlikely(off > pkt->len))
			return netflow_parse_trunc(pkt, off, info);
		hlen = 0;
	}
	info->hdr_len = off + hlen;
	return 0;
}

static int netflow_parse_ipv4(const struct netflow_pkt *pkt,
			      struct netflow_key *key,
			      struct netflow_pktinfo *info)
{
	u8 buf[FK_IPV4_HLEN];
	unsigned int ihl;
	const u8 *ip;
	u16 frag;

	ip = netflow_pkt_header(pkt, 0, FK_IPV4_HLEN, buf);
	if (unlikely(!ip || (ip[0] >> 4) != 4))
		return -EINVAL;
	ihl = (ip[0] & 0x0f) << 2;
	if (unlikely(ihl < FK_IPV4_HLEN || ihl > pkt->len))
		return -EINVAL;

	key->family = 4;
	key->tos = ip[1] & FK_DSCP_MASK;
	key->protocol = ip[9];
	memcpy(&key->src.ip4, ip + 12, 4);
	memcpy(&key->dst.ip4, ip + 16, 4);
	/* 0 only on a BIG TCP super-packet: what is there is what it carries */
	info->l3_bytes = get_unaligned_be16(ip + 2);
	if (unlikely(!info->l3_bytes))
		info->l3_bytes = pkt->len;

	frag = get_unaligned_be16(ip + 6);
	if (unlikely(frag & (FK_IPV4_MF | FK_IPV4_OFFSET))) {
		if (frag & FK_IPV4_OFFSET) {
			/* no L4 header here; account it, never drop it */
			info->flags |= NETFLOW_PKT_FRAG_LATER;
			info->hdr_len = ihl;
			return 0;
		}
		info->flags |= NETFLOW_PKT_FRAG_FIRST;
	}
	return netflow_parse_l4(pkt, ihl, FK_PROTO_ICMP, key, info);
}

static bool netflow_ipv6_is_exthdr(u8 nexthdr)
{
	switch (nexthdr) {
	case FK_PROTO_HOPOPTS:
	case FK_PROTO_ROUTING:
	case FK_PROTO_FRAGMENT:
	case FK_PROTO_AH:
	case FK_PROTO_DSTOPTS:
		return true;
	}
	/* ESP and no-next-header end the walk as the flow's protocol */
	return false;
}

static int netflow_parse_ipv6(const struct netflow_pkt *pkt,
			      struct netflow_key *key,
			      struct netflow_pktinfo *info)
{
	u8 buf[FK_IPV6_HLEN], ebuf[FK_IPV6_FRAG_HLEN];
	unsigned int off = FK_IPV6_HLEN, n;
	const u8 *ip, *h;
	u32 word0;
	u16 frag;
	u8 nh;

	ip = netflow_pkt_header(pkt, 0, FK_IPV6_HLEN, buf);
	if (unlikely(!ip || (ip[0] >> 4) != 6))
		return -EINVAL;

	word0 = get_unaligned_be32(ip);	/* version, class, flow label */
	key->family = 6;
	key->tos = (word0 >> 20) & FK_DSCP_MASK;
	info->flow_label = word0 & 0xfffff;
	/* 0 means a jumbogram or BIG TCP: fall back to the bytes present */
	info->l3_bytes = get_unaligned_be16(ip + 4);
	info->l3_bytes = info->l3_bytes ? info->l3_bytes + FK_IPV6_HLEN :
					  pkt->len;
	memcpy(key->src.b, ip + 8, 16);
	memcpy(key->dst.b, ip + 24, 16);
	nh = ip[6];

	/* bounded, so a crafted chain cannot keep us here per packet */
	for (n = 0; netflow_ipv6_is_exthdr(nh); n++) {
		if (unlikely(n == NETFLOW_IPV6_MAX_EXTHDRS))
			goto trunc;
		if (nh == FK_PROTO_FRAGMENT) {
			h = netflow_pkt_header(pkt, off, FK_IPV6_FRAG_HLEN,
					       ebuf);
			if (unlikely(!h))
				goto trunc;
			frag = get_unaligned_be16(h + 2);
			nh = h[0];
			off += FK_IPV6_FRAG_HLEN;
			if (frag & FK_IPV6_OFFSET) {
				/*
				 * No L4 header here; account it, never drop.
				 * Overrides FIRST from a (bogus) earlier
				 * fragment header: the ports are not here.
				 */
				key->protocol = nh;
				info->flags &= ~NETFLOW_PKT_FRAG_FIRST;
				info->flags |= NETFLOW_PKT_FRAG_LATER;
				info->hdr_len = off;
				return 0;
			}
			/* offset 0 without M is an atomic fragment: whole */
			if (frag & FK_IPV6_MF)
				info->flags |= NETFLOW_PKT_FRAG_FIRST;
			continue;
		}
		h = netflow_pkt_header(pkt, off, 2, ebuf);
		if (unlikely(!h))
			goto trunc;
		/* AH counts 4-byte units minus 2, the others 8-byte minus 1 */
		if (nh == FK_PROTO_AH)
			off += (h[1] + 2) << 2;
		else
			off += (h[1] + 1) << 3;
		nh = h[0];
	}
	key->protocol = nh;
	return netflow_parse_l4(pkt, off, FK_PROTO_ICMPV6, key, info);

trunc:
	/* the protocol is the header we could not get past */
	key->protocol = nh;
	return netflow_parse_trunc(pkt, off, info);
}

int netflow_key_parse(const struct netflow_pkt *pkt, u8 family,
		      struct netflow_key *key, struct netflow_pktinfo *info)
{
	/* whole-struct zeroing is what makes memcmp/hash over keys valid */
	memset(key, 0, sizeof(*key));
	memset(info, 0, sizeof(*info));
	if (likely(family == 4))
		return netflow_parse_ipv4(pkt, key, info);
	if (family == 6)
		return netflow_parse_ipv6(pkt, key, info);
	return -EINVAL;
}
