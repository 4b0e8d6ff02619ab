// SPDX-License-Identifier: GPL-2.0
/*
 * The fixed templates: options (statistics, interface names, sampler) and
 * NAT events, as IE lists. Data only, a leaf: enc_common.c looks them up
 * by slot, enc_options.c and enc_nat.c write records that follow them.
 */
#include "pure.h"
#include "record.h"
#include "encode.h"

/*
 * Statistics: scope, then 41 exportedMessageTotalCount, 40 exportedOctet-
 * TotalCount, 42 exportedFlowRecordTotalCount, 164 ignoredPacketTotalCount,
 * 166/167/168 notSentFlow/Packet/OctetTotalCount, all 64-bit; v9 reuses the
 * IANA numbers (40-42 are its TOTAL_*_EXP). Interface names: scope, then
 * 82 interfaceName. v9 scopes are their own small type space (RFC 3954
 * 6.1: 1 System, 2 Interface); IPFIX scopes are IEs (149
 * observationDomainId, 10 ingressInterface).
 */
static const struct netflow_ie v9_stats[] = {
	{ 1, 4 }, { 41, 8 }, { 40, 8 }, { 42, 8 },
	{ 164, 8 }, { 166, 8 }, { 167, 8 }, { 168, 8 },
};

static const struct netflow_ie ipfix_stats[] = {
	{ 149, 4 }, { 41, 8 }, { 40, 8 }, { 42, 8 },
	{ 164, 8 }, { 166, 8 }, { 167, 8 }, { 168, 8 },
};

static const struct netflow_ie v9_ifname[] = {
	{ 2, 4 }, { 82, NETFLOW_IFNAME_LEN },
};

static const struct netflow_ie ipfix_ifname[] = {
	{ 10, 4 }, { 82, NETFLOW_IFNAME_LEN },
};

/*
 * Sampler, as ipt_NETFLOW sends it. v9: scope System, 48 FLOW_SAMPLER_ID
 * (the mode), 49 FLOW_SAMPLER_MODE (1 deterministic, 2 random), 50
 * FLOW_SAMPLER_RANDOM_INTERVAL (2 bytes). IPFIX (RFC 7014): scope
 * observationDomainId, 302 selectorId, 390 flowSelectorAlgorithm (1
 * systematic count-based, 3 random n-out-of-N), then 396/397 samplingFlow-
 * Interval/Spacing or 309/310 samplingSize/Population. Spacing is N, not
 * the N - 1 RFC 7014 means: what 2.6's collectors were set up for.
 */
static const struct netflow_ie v9_sampler[] = {
	{ 1, 4 }, { 48, 1 }, { 49, 1 }, { 50, 2 },
};

static const struct netflow_ie ipfix_sampler_det[] = {
	{ 149, 4 }, { 302, 1 }, { 390, 1 }, { 396, 1 }, { 397, 2 },
};

static const struct netflow_ie ipfix_sampler_random[] = {
	{ 149, 4 }, { 302, 1 }, { 390, 1 }, { 309, 1 }, { 310, 2 },
};

/*
 * Sampler statistics, IPFIX only (RFC 7014 selector reports), with every
 * statistics record while sampling: scope 302 selectorId, 394/395
 * selectorIDTotalFlowsObserved/Selected, 318/319 selectorIdTotalPkts-
 * Observed/Selected, 152 flowStartMilliseconds (sampling set) and 153
 * flowEndMilliseconds (now). Hash mode decides at export like the others,
 * so 394 is known in every mode and always sent (2.6 omits it for hash).
 */
static const struct netflow_ie ipfix_sampler_stats[] = {
	{ 302, 1 }, { 394, 8 }, { 395, 8 }, { 318, 8 }, { 319, 8 },
	{ 152, 8 }, { 153, 8 },
};

#define OPT_TMPL(a)	{ .ie = a, .n = ARRAY_SIZE(a), .scope = 1 }

/* indexed by slot - NETFLOW_TMPL_FLOWS */
const struct netflow_tmpl netflow_enc_v9_opt_tmpl[] = {
	OPT_TMPL(v9_stats),
	OPT_TMPL(v9_ifname),
	OPT_TMPL(v9_sampler),
	OPT_TMPL(v9_sampler),
	OPT_TMPL(ipfix_sampler_stats),	/* sized only: v9 never sends it */
};

const struct netflow_tmpl netflow_enc_ipfix_opt_tmpl[] = {
	OPT_TMPL(ipfix_stats),
	OPT_TMPL(ipfix_ifname),
	OPT_TMPL(ipfix_sampler_det),
	OPT_TMPL(ipfix_sampler_random),
	OPT_TMPL(ipfix_sampler_stats),
};

/*
 * 323 observationTimeMilliseconds, 8/12 source/destinationIPv4Address
 * (pre-NAT), 225/226 postNATSource/DestinationIPv4Address, 7/11 ports
 * (pre-NAT), 227/228 postNAPTSource/DestinationTransportPort,
 * 4 protocolIdentifier, 230 natEvent. IPv6: 27/28 and 281/282
 * postNATSource/DestinationIPv6Address in place of the IPv4 addresses.
 */
static const struct netflow_ie nat4[] = {
	{ 323, 8 }, { 8, 4 }, { 12, 4 }, { 225, 4 }, { 226, 4 },
	{ 7, 2 }, { 11, 2 }, { 227, 2 }, { 228, 2 }, { 4, 1 }, { 230, 1 },
};

static const struct netflow_ie nat6[] = {
	{ 323, 8 }, { 27, 16 }, { 28, 16 }, { 281, 16 }, { 282, 16 },
	{ 7, 2 }, { 11, 2 }, { 227, 2 }, { 228, 2 }, { 4, 1 }, { 230, 1 },
};

const struct netflow_tmpl netflow_enc_nat_tmpl[] = {
	{ .ie = nat4, .n = ARRAY_SIZE(nat4) },
	{ .ie = nat6, .n = ARRAY_SIZE(nat6) },
};
