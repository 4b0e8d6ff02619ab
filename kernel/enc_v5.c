// SPDX-License-Identifier: GPL-2.0
/*
 * NetFlow v5: fixed 24-byte header and 48-byte IPv4 records, at most 30
 * per PDU. Counters and ifindexes that do not fit saturate.
 */
#include "pure.h"
#include "record.h"
#include "encode.h"

#define V5_HDR_LEN	24
#define V5_REC_LEN	48

static u32 netflow_v5_sat32(u64 v)
{
	return v > 0xffffffffULL ? 0xffffffffU : (u32)v;
}

/* 16-bit ifIndex field: clamp rather than alias another interface. */
static u16 netflow_v5_ifindex(u32 ifindex)
{
	return ifindex > 0xffff ? 0xffff : ifindex;
}

int netflow_enc_v5_add(struct netflow_enc *e, const struct netflow_record *r,
		       const struct netflow_clock *now)
{
	u8 *p;

	if (r->family != 4)
		return -EAFNOSUPPORT;
	if (e->records >= NETFLOW_V5_MAX_RECORDS)
		return -ENOSPC;
	if (!e->records) {
		e->len = V5_HDR_LEN;
		e->start_ms = now->uptime_ms;
	}
	p = e->buf + e->len;
	memcpy(p, &r->src.ip4, 4);
	memcpy(p + 4, &r->dst.ip4, 4);
	memset(p + 8, 0, 4);			/* nexthop: not tracked */
	put_unaligned_be16(netflow_v5_ifindex(r->ifindex_in), p + 12);
	put_unaligned_be16(netflow_v5_ifindex(r->ifindex_out), p + 14);
	put_unaligned_be32(netflow_v5_sat32(r->packets), p + 16);
	put_unaligned_be32(netflow_v5_sat32(r->bytes), p + 20);
	put_unaligned_be32(r->first_ms, p + 24);	/* sysUptime base */
	put_unaligned_be32(r->last_ms, p + 28);
	put_unaligned_be16(r->sport, p + 32);
	put_unaligned_be16(r->dport, p + 34);	/* ICMP: type << 8 | code */
	p[36] = 0;
	p[37] = r->tcp_flags;
	p[38] = r->protocol;
	p[39] = r->tos;
	memset(p + 40, 0, 8);			/* AS numbers, masks, pad */
	p[44] = r->src_mask;			/* aggregation's /M */
	p[45] = r->dst_mask;
	e->len += V5_REC_LEN;
	e->records++;
	return 0;
}

/* flow_sequence counts flows exported before this PDU. */
void netflow_enc_v5_header(struct netflow_enc *e,
			   const struct netflow_clock *now, u32 secs)
{
	u8 *p = e->buf;

	put_unaligned_be16(5, p);
	put_unaligned_be16(e->records, p + 2);
	put_unaligned_be32(now->uptime_ms, p + 4);
	put_unaligned_be32(secs, p + 8);
	put_unaligned_be32(now->unix_nsecs, p + 12);
	put_unaligned_be32(e->seq, p + 16);
	p[20] = 0;				/* engine_type */
	p[21] = e->cfg.engine_id;		/* low 8 bits */
	/* sampling: mode (1 deterministic, 2 random; hash shows as 2) << 14 | N */
	if (e->cfg.sampler_mode)
		put_unaligned_be16((e->cfg.sampler_mode ==
				    NETFLOW_SAMPLER_DETERMINISTIC ? 1 : 2) << 14 |
				   (e->cfg.sampler_interval & 0x3fff), p + 22);
	else
		put_unaligned_be16(0, p + 22);
	e->seq += e->records;
}

/* One NAT pseudo-flow: the caller has checked there is room. */
static void netflow_v5_put_nat(struct netflow_enc *e,
			       const struct netflow_nat_event *ev,
			       __be32 nexthop, u16 src_as, u16 dst_as)
{
	u8 *p = e->buf + e->len;

	memcpy(p, &ev->pre_src.ip4, 4);
	memcpy(p + 4, &ev->post_dst.ip4, 4);
	memcpy(p + 8, &nexthop, 4);
	memset(p + 12, 0, 12);			/* interfaces, packets, octets */
	put_unaligned_be32(ev->uptime_ms, p + 24);
	put_unaligned_be32(ev->uptime_ms, p + 28);
	put_unaligned_be16(ev->pre_sport, p + 32);
	put_unaligned_be16(ev->post_dport, p + 34);
	p[36] = 0;
	/* SYN|ACK marks a translation created, FIN|RST one deleted */
	p[37] = ev->event == NETFLOW_NAT_CREATE ? 0x12 : 0x05;
	p[38] = ev->protocol;
	p[39] = 0;
	put_unaligned_be16(src_as, p + 40);
	put_unaligned_be16(dst_as, p + 42);
	memset(p + 44, 0, 4);			/* masks, pad */
	e->len += V5_REC_LEN;
	e->records++;
}

/*
 * ipt_NETFLOW's v5 NAT encoding: a source translation puts the post-NAT
 * source in nexthop and src_as, a destination translation the pre-NAT
 * destination in nexthop and dst_as; both give two records, all or none.
 */
int netflow_enc_v5_add_nat(struct netflow_enc *e,
			   const struct netflow_nat_event *ev)
{
	bool snat = ev->pre_src.ip4 != ev->post_src.ip4 ||
		    ev->pre_sport != ev->post_sport;
	bool dnat = ev->pre_dst.ip4 != ev->post_dst.ip4 ||
		    ev->pre_dport != ev->post_dport;
	unsigned int n = snat + dnat;

	if (ev->family != 4)
		return -EAFNOSUPPORT;
	if (!n)
		return 0;
	if (e->records + n > NETFLOW_V5_MAX_RECORDS)
		return -ENOSPC;
	if (!e->records) {
		e->len = V5_HDR_LEN;
		e->start_ms = ev->uptime_ms;
	}
	if (snat)
		netflow_v5_put_nat(e, ev, ev->post_src.ip4, ev->post_sport, 0);
	if (dnat)
		netflow_v5_put_nat(e, ev, ev->pre_dst.ip4, 0, ev->pre_dport);
	return 0;
}
