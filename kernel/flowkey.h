/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Packet -> flow key: the hashable tuple a packet is accounted under, plus
 * the per-packet facts (length, TCP flags, fragment state) that are not.
 */
#ifndef NETFLOW_FLOWKEY_H
#define NETFLOW_FLOWKEY_H

#include "pure.h"
#include "record.h"
#include "pkt.h"

/*
 * The table hashes and compares keys as raw bytes, so the layout has no
 * implicit padding and every byte is defined: netflow_key_parse() zeroes
 * the whole key first (including ifindex_* and pad), and an IPv4 address
 * uses ip4 with the other 12 bytes of the union left zero.
 */
struct netflow_key {
	union netflow_addr src;
	union netflow_addr dst;
	__be16 sport;		/* 0: portless, or a later fragment */
	__be16 dport;		/* ICMP/ICMPv6: htons(type << 8 | code) */
	u32 ifindex_in;		/* set by the caller after parsing */
	u32 ifindex_out;
	u8 protocol;		/* upper layer, past IPv6 ext headers */
	u8 tos;			/* DSCP only: ECN masked so CE does not split */
	u8 family;		/* 4 or 6 */
	u8 pad;			/* always 0 */
} __aligned(8);			/* compared and hashed as u64 words */

_Static_assert(sizeof(struct netflow_key) == 48,
	       "struct netflow_key must have no padding holes");
/* netflow_key_hash_input() packs the last two words as they are */
_Static_assert(offsetof(struct netflow_key, sport) == 32 &&
	       offsetof(struct netflow_key, pad) == 47,
	       "ports start word 4, pad ends word 5");

/* netflow_pktinfo.flags */
#define NETFLOW_PKT_FRAG_FIRST	0x01	/* first fragment: ports are valid */
#define NETFLOW_PKT_FRAG_LATER	0x02	/* non-first fragment: no L4 header */
#define NETFLOW_PKT_TRUNC	0x04	/* L4 header missing or cut short */

struct netflow_pktinfo {
	/*
	 * IPv4 total length or IPv6 payload length + 40, the basis iptables
	 * counts. A zero length field (IPv4 BIG TCP, IPv6 jumbo or BIG TCP
	 * super-packets) falls back to the bytes present in the packet.
	 */
	u32 l3_bytes;
	u16 hdr_len;	/* L3 + L4 header bytes, replayed per GSO segment */
	u8 tcp_flags;	/* all 8 flag bits, CWR and ECE included */
	u8 flags;	/* NETFLOW_PKT_* */
	u32 flow_label;	/* IPv6 only, low 20 bits */
};

/* IPv6 extension headers followed before giving up (bounds the loop). */
#define NETFLOW_IPV6_MAX_EXTHDRS	8

/* netflow_key_parse() results besides 0 (key complete) and -EINVAL. */
#define NETFLOW_PARSE_PARTIAL	1

/*
 * Parse the L3/L4 headers of @pkt for hook family @family (4 or 6; the
 * version nibble must agree). Always fully writes @key and @info.
 *
 * Returns 0 when the key is complete (a non-first fragment is complete
 * with ports 0); NETFLOW_PARSE_PARTIAL when the L3 header is good but the
 * L4 header is missing or short: addresses and protocol are set, ports
 * are 0, NETFLOW_PKT_TRUNC is set, and the packet is still accounted;
 * -EINVAL when there is no usable L3 header: count it as truncated, do not
 * account it to a flow.
 */
int netflow_key_parse(const struct netflow_pkt *pkt, u8 family,
		      struct netflow_key *key, struct netflow_pktinfo *info);

#endif /* NETFLOW_FLOWKEY_H */
