/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aggregation: "A.B.C.D/M=K" netmask rules (an IPv4 address inside the
 * /M network is cut to its /K prefix) and "P1-P2=P" / "P=Q" port rules
 * (a TCP, UDP, SCTP or UDP-Lite port in P1..P2 becomes P), applied to a
 * packet's key before the lookup so that aggregated flows merge. Pure:
 * parsed and applied the same in the module and in the host unit tests.
 */
#ifndef NETFLOW_AGGRRULES_H
#define NETFLOW_AGGRRULES_H

#include "pure.h"
#include "flowkey.h"

#define NETFLOW_AGGR_TEXT_MAX	1024	/* a value: 1023 chars + NUL */
#define NETFLOW_AGGR_CANON_MAX	1408	/* canonical text of the most rules */
#define NETFLOW_AGGR_NET_MAX	32
#define NETFLOW_AGGR_PORT_MAX	32

struct netflow_aggr_net {
	__be32 net;		/* already masked with match */
	__be32 match;		/* mask of /M */
	__be32 strip;		/* mask of /K */
	u8 match_len, strip_len;
};

struct netflow_aggr_port {
	u16 lo, hi, to;
};

struct netflow_aggr_rules {
	unsigned int n_net, n_port;
	struct netflow_aggr_net net[NETFLOW_AGGR_NET_MAX];
	struct netflow_aggr_port port[NETFLOW_AGGR_PORT_MAX];
};

/* Which rules a packet matched (-1: none), for the usage counters. */
struct netflow_aggr_hit {
	s8 net_src, net_dst, port_src, port_dst;
};

/*
 * Parse @text: rules separated by spaces, commas, semicolons, tabs or
 * newlines; "" is no rules. 0, or -EINVAL with @err naming the first bad
 * rule (the whole value is refused); @out is only complete on success.
 */
int netflow_aggr_parse(const char *text, struct netflow_aggr_rules *out,
		       char *err, unsigned int errlen);

/* Canonical text: net rules, then port rules, comma-separated. */
int netflow_aggr_format(const struct netflow_aggr_rules *rs, char *buf,
			unsigned int len);

static inline int netflow_aggr_net_match(const struct netflow_aggr_rules *rs,
					 __be32 *addr)
{
	unsigned int i;

	for (i = 0; i < rs->n_net; i++) {
		const struct netflow_aggr_net *r = &rs->net[i];

		if ((*addr & r->match) == r->net) {
			*addr &= r->strip;
			return i;
		}
	}
	return -1;
}

static inline int netflow_aggr_port_match(const struct netflow_aggr_rules *rs,
					  __be16 *port)
{
	u16 p = ntohs(*port);
	unsigned int i;

	for (i = 0; i < rs->n_port; i++) {
		if (p >= rs->port[i].lo && p <= rs->port[i].hi) {
			*port = htons(rs->port[i].to);
			return i;
		}
	}
	return -1;
}

/*
 * Aggregate @key in place: the first net rule matching the source, and
 * separately the destination (IPv4 only); the first port rule matching
 * each port (port protocols only). Returns the /M prefix lengths matched,
 * src << 8 | dst (ipt_NETFLOW exports M, not K), 0 when none.
 */
static inline u16 netflow_aggr_apply(const struct netflow_aggr_rules *rs,
				     struct netflow_key *key,
				     struct netflow_aggr_hit *hit)
{
	u16 masks = 0;

	hit->net_src = hit->net_dst = hit->port_src = hit->port_dst = -1;
	if (key->family == 4 && rs->n_net) {
		hit->net_src = netflow_aggr_net_match(rs, &key->src.ip4);
		hit->net_dst = netflow_aggr_net_match(rs, &key->dst.ip4);
		if (hit->net_src >= 0)
			masks |= rs->net[hit->net_src].match_len << 8;
		if (hit->net_dst >= 0)
			masks |= rs->net[hit->net_dst].match_len;
	}
	if (rs->n_port && (key->protocol == 6 || key->protocol == 17 ||
			   key->protocol == 132 || key->protocol == 136)) {
		hit->port_src = netflow_aggr_port_match(rs, &key->sport);
		hit->port_dst = netflow_aggr_port_match(rs, &key->dport);
	}
	return masks;
}

#endif /* NETFLOW_AGGRRULES_H */
