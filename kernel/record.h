/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A finished flow as the encoders see it: plain values, no kernel objects,
 * so encoders are pure functions (record in, bytes out) testable anywhere.
 */
#ifndef NETFLOW_RECORD_H
#define NETFLOW_RECORD_H

#include "pure.h"

/* flowEndReason values (IPFIX IE 136, RFC 5102) */
enum netflow_end_reason {
	NETFLOW_END_IDLE = 1,
	NETFLOW_END_ACTIVE = 2,
	NETFLOW_END_OF_FLOW = 3,	/* FIN or RST seen */
	NETFLOW_END_FORCED = 4,		/* flush, unload, protocol change */
	NETFLOW_END_LACK_OF_RESOURCES = 5,	/* evicted from a full table */
};

enum netflow_direction {
	NETFLOW_DIR_INGRESS = 0,	/* PREROUTING, INPUT, FORWARD */
	NETFLOW_DIR_EGRESS = 1,		/* OUTPUT, POSTROUTING */
};

/* Addresses in network byte order; IPv4 uses ip4 only, rest is zero. */
union netflow_addr {
	__be32 ip4;
	__be32 ip6[4];
	u8 b[16];
};

struct netflow_record {
	union netflow_addr src;
	union netflow_addr dst;
	u64 packets;
	u64 bytes;		/* L3 bytes, as iptables counts */
	u64 first_ms;		/* first packet, ms since boot */
	u64 last_ms;		/* last packet, ms since boot */
	u32 ifindex_in;		/* 0 when unknown */
	u32 ifindex_out;
	u32 phys_in;		/* physdev: bridge ports, else ifindex_in */
	u32 phys_out;		/* and ifindex_out */
	u32 flow_label;		/* IPv6 only, 20 bits */
	u16 sport;		/* host order; 0 for ICMP and portless protocols */
	u16 dport;		/* host order; ICMP: type << 8 | code */
	u8 family;		/* 4 or 6 */
	u8 protocol;		/* IPPROTO_* */
	u8 tos;			/* DSCP bits only: ECN masked out */
	u8 tcp_flags;		/* ORed over the flow */
	u8 end_reason;		/* enum netflow_end_reason */
	u8 direction;		/* enum netflow_direction */
	u8 src_mask, dst_mask;	/* aggregation: /M of the rule matched, or 0 */
	u8 src_mac[6], dst_mac[6];	/* mac: of the frame received, or 0 */
	u16 vlan[2];		/* vlan: whole TCIs, outer first; 0 = none */
	u32 mpls[3];		/* promisc: label stack entries, top first */
};

/* natEvent values (IPFIX IE 230) */
enum netflow_nat_event_type {
	NETFLOW_NAT_CREATE = 1,
	NETFLOW_NAT_DELETE = 2,
};

/*
 * One NAT translation created or deleted (conntrack). Ports are the raw
 * conntrack tuple fields in host order (ICMP: id and type << 8 | code).
 */
struct netflow_nat_event {
	union netflow_addr pre_src, pre_dst;	/* original direction */
	union netflow_addr post_src, post_dst;	/* reply direction, swapped */
	u64 unix_ms;		/* event time, ms since the epoch */
	u64 uptime_ms;		/* the same instant, ms since boot */
	u16 pre_sport, pre_dport;
	u16 post_sport, post_dport;
	u8 family;		/* 4 or 6 */
	u8 protocol;
	u8 event;		/* enum netflow_nat_event_type */
};

/*
 * Time of an export, taken once per PDU by the caller so encoders never
 * read a clock themselves.
 */
struct netflow_clock {
	u64 uptime_ms;		/* ms since boot, same base as first_ms */
	u64 unix_ms;		/* wall clock, ms since the epoch */
	u32 unix_nsecs;		/* residual ns of the wall clock second */
};

#endif /* NETFLOW_RECORD_H */
