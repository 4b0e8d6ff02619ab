// SPDX-License-Identifier: GPL-2.0
/*
 * IPFIX (RFC 7011): flow templates and the 16-byte message header.
 * Set framing and record writing live in enc_common.c, shared with v9.
 */
#include "pure.h"
#include "record.h"
#include "encode.h"

/*
 * IANA IEs: 8/12 source/destinationIPv4Address, 27/28 ...IPv6Address,
 * 31 flowLabelIPv6, 7/11 source/destinationTransportPort, 6 tcpControlBits,
 * 32/139 icmpTypeCodeIPv4/IPv6, 4 protocolIdentifier, 5 ipClassOfService,
 * 60 ipVersion, 61 flowDirection, 136 flowEndReason, 10/14 ingress/
 * egressInterface, 2 packetDeltaCount, 1 octetDeltaCount (64-bit),
 * 152/153 flowStart/flowEndMilliseconds (absolute: no sysUptime base).
 */
static const struct netflow_ie ipfix_v4_ports[] = {
	{ 8, 4 }, { 12, 4 }, { 7, 2 }, { 11, 2 }, { 6, 1 },
	{ 4, 1 }, { 5, 1 }, { 60, 1 }, { 61, 1 }, { 136, 1 },
	{ 10, 4 }, { 14, 4 }, { 2, 8 }, { 1, 8 }, { 152, 8 }, { 153, 8 },
};

static const struct netflow_ie ipfix_v4_icmp[] = {
	{ 8, 4 }, { 12, 4 }, { 32, 2 },
	{ 4, 1 }, { 5, 1 }, { 60, 1 }, { 61, 1 }, { 136, 1 },
	{ 10, 4 }, { 14, 4 }, { 2, 8 }, { 1, 8 }, { 152, 8 }, { 153, 8 },
};

static const struct netflow_ie ipfix_v4_other[] = {
	{ 8, 4 }, { 12, 4 },
	{ 4, 1 }, { 5, 1 }, { 60, 1 }, { 61, 1 }, { 136, 1 },
	{ 10, 4 }, { 14, 4 }, { 2, 8 }, { 1, 8 }, { 152, 8 }, { 153, 8 },
};

static const struct netflow_ie ipfix_v6_ports[] = {
	{ 27, 16 }, { 28, 16 }, { 31, 4 }, { 7, 2 }, { 11, 2 }, { 6, 1 },
	{ 4, 1 }, { 5, 1 }, { 60, 1 }, { 61, 1 }, { 136, 1 },
	{ 10, 4 }, { 14, 4 }, { 2, 8 }, { 1, 8 }, { 152, 8 }, { 153, 8 },
};

static const struct netflow_ie ipfix_v6_icmp[] = {
	{ 27, 16 }, { 28, 16 }, { 31, 4 }, { 139, 2 },
	{ 4, 1 }, { 5, 1 }, { 60, 1 }, { 61, 1 }, { 136, 1 },
	{ 10, 4 }, { 14, 4 }, { 2, 8 }, { 1, 8 }, { 152, 8 }, { 153, 8 },
};

static const struct netflow_ie ipfix_v6_other[] = {
	{ 27, 16 }, { 28, 16 }, { 31, 4 },
	{ 4, 1 }, { 5, 1 }, { 60, 1 }, { 61, 1 }, { 136, 1 },
	{ 10, 4 }, { 14, 4 }, { 2, 8 }, { 1, 8 }, { 152, 8 }, { 153, 8 },
};

/* the encoder adds 252/253 (physdev) and 302 (sampling) to a copy */
#define IPFIX_TMPL(a)	{ .ie = a, .n = ARRAY_SIZE(a) }

const struct netflow_tmpl netflow_enc_ipfix_tmpl[NETFLOW_TMPL_FLOWS] = {
	[NETFLOW_TMPL_V4_PORTS] = IPFIX_TMPL(ipfix_v4_ports),
	[NETFLOW_TMPL_V4_ICMP] = IPFIX_TMPL(ipfix_v4_icmp),
	[NETFLOW_TMPL_V4_OTHER] = IPFIX_TMPL(ipfix_v4_other),
	[NETFLOW_TMPL_V6_PORTS] = IPFIX_TMPL(ipfix_v6_ports),
	[NETFLOW_TMPL_V6_ICMP] = IPFIX_TMPL(ipfix_v6_icmp),
	[NETFLOW_TMPL_V6_OTHER] = IPFIX_TMPL(ipfix_v6_other),
};

/* sequence counts data records (options included) sent before this one. */
void netflow_enc_ipfix_header(struct netflow_enc *e, u32 secs)
{
	u8 *p = e->buf;

	put_unaligned_be16(10, p);
	put_unaligned_be16(e->len, p + 2);
	put_unaligned_be32(secs, p + 4);
	put_unaligned_be32(e->seq, p + 8);
	put_unaligned_be32(e->cfg.engine_id, p + 12);
	e->seq += e->records;
}
