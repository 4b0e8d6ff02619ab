// SPDX-License-Identifier: GPL-2.0
/*
 * NetFlow v9 (RFC 3954): flow templates and the 20-byte packet header.
 * Set framing and record writing live in enc_common.c, shared with IPFIX.
 */
#include "pure.h"
#include "record.h"
#include "encode.h"

/*
 * Field types, RFC 3954 names: 8/12 IPV4_SRC/DST_ADDR, 27/28 IPV6_SRC/DST_ADDR,
 * 31 IPV6_FLOW_LABEL, 7/11 L4_SRC/DST_PORT, 6 TCP_FLAGS, 4 PROTOCOL, 5 SRC_TOS,
 * 60 IP_PROTOCOL_VERSION, 61 DIRECTION, 10/14 INPUT/OUTPUT_SNMP, 2 IN_PKTS,
 * 1 IN_BYTES (8 bytes: no wrap), 22/21 FIRST/LAST_SWITCHED (ms of sysUptime).
 * ICMP type << 8 | code goes twice: as 11, where ipt_NETFLOW put it and its
 * users' collectors read it, and as 32 ICMP_TYPE, the only place nfcapd
 * (and RFC 3954 readers) take it from.
 */
static const struct netflow_ie v9_v4_ports[] = {
	{ 8, 4 }, { 12, 4 }, { 7, 2 }, { 11, 2 }, { 6, 1 },
	{ 4, 1 }, { 5, 1 }, { 60, 1 }, { 61, 1 }, { 10, 4 }, { 14, 4 },
	{ 2, 8 }, { 1, 8 }, { 22, 4 }, { 21, 4 },
};

static const struct netflow_ie v9_v4_icmp[] = {
	{ 8, 4 }, { 12, 4 }, { 11, 2 }, { 32, 2 },
	{ 4, 1 }, { 5, 1 }, { 60, 1 }, { 61, 1 }, { 10, 4 }, { 14, 4 },
	{ 2, 8 }, { 1, 8 }, { 22, 4 }, { 21, 4 },
};

static const struct netflow_ie v9_v4_other[] = {
	{ 8, 4 }, { 12, 4 },
	{ 4, 1 }, { 5, 1 }, { 60, 1 }, { 61, 1 }, { 10, 4 }, { 14, 4 },
	{ 2, 8 }, { 1, 8 }, { 22, 4 }, { 21, 4 },
};

static const struct netflow_ie v9_v6_ports[] = {
	{ 27, 16 }, { 28, 16 }, { 31, 3 }, { 7, 2 }, { 11, 2 }, { 6, 1 },
	{ 4, 1 }, { 5, 1 }, { 60, 1 }, { 61, 1 }, { 10, 4 }, { 14, 4 },
	{ 2, 8 }, { 1, 8 }, { 22, 4 }, { 21, 4 },
};

static const struct netflow_ie v9_v6_icmp[] = {
	{ 27, 16 }, { 28, 16 }, { 31, 3 }, { 11, 2 }, { 32, 2 },
	{ 4, 1 }, { 5, 1 }, { 60, 1 }, { 61, 1 }, { 10, 4 }, { 14, 4 },
	{ 2, 8 }, { 1, 8 }, { 22, 4 }, { 21, 4 },
};

static const struct netflow_ie v9_v6_other[] = {
	{ 27, 16 }, { 28, 16 }, { 31, 3 },
	{ 4, 1 }, { 5, 1 }, { 60, 1 }, { 61, 1 }, { 10, 4 }, { 14, 4 },
	{ 2, 8 }, { 1, 8 }, { 22, 4 }, { 21, 4 },
};

/* the encoder adds 252/253 (physdev) and 48 (sampling) to a copy */
#define V9_TMPL(a)	{ .ie = a, .n = ARRAY_SIZE(a) }

const struct netflow_tmpl netflow_enc_v9_tmpl[NETFLOW_TMPL_FLOWS] = {
	[NETFLOW_TMPL_V4_PORTS] = V9_TMPL(v9_v4_ports),
	[NETFLOW_TMPL_V4_ICMP] = V9_TMPL(v9_v4_icmp),
	[NETFLOW_TMPL_V4_OTHER] = V9_TMPL(v9_v4_other),
	[NETFLOW_TMPL_V6_PORTS] = V9_TMPL(v9_v6_ports),
	[NETFLOW_TMPL_V6_ICMP] = V9_TMPL(v9_v6_icmp),
	[NETFLOW_TMPL_V6_OTHER] = V9_TMPL(v9_v6_other),
};

/*
 * count covers template and data records alike; sequence counts packets
 * sent before this one.
 */
void netflow_enc_v9_header(struct netflow_enc *e,
			   const struct netflow_clock *now, u32 secs)
{
	u8 *p = e->buf;

	put_unaligned_be16(9, p);
	put_unaligned_be16(e->count, p + 2);
	put_unaligned_be32(now->uptime_ms, p + 4);
	put_unaligned_be32(secs, p + 8);
	put_unaligned_be32(e->seq, p + 12);
	put_unaligned_be32(e->cfg.engine_id, p + 16);
	e->seq++;
}
