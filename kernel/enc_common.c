// SPDX-License-Identifier: GPL-2.0
/*
 * Encoder core shared by v5, v9 and IPFIX: PDU lifecycle, set framing,
 * template (re)transmission and the table-driven flow record writer.
 */
#include "pure.h"
#include "record.h"
#include "encode.h"


#define IPPROTO_NUM_ICMP	1
#define IPPROTO_NUM_TCP		6
#define IPPROTO_NUM_UDP		17
#define IPPROTO_NUM_ICMPV6	58
#define IPPROTO_NUM_SCTP	132
#define IPPROTO_NUM_UDPLITE	136

static unsigned int netflow_enc_hdr_len(const struct netflow_enc *e)
{
	switch (e->cfg.protocol) {
	case 5:
		return 24;
	case 9:
		return 20;
	default:
		return 16;
	}
}

/* v9 asks for 4-byte aligned flowsets; IPFIX needs no padding at all. */
static unsigned int netflow_enc_pad(const struct netflow_enc *e,
				    unsigned int len)
{
	return (len + e->align - 1) & ~(e->align - 1U);
}

/*
 * A flow template: the base list with the optional fields switched on,
 * 252/253 (physdev) right after 14 as in ipt_NETFLOW, then the link layer
 * in ipt_NETFLOW's order (MACs, VLAN, ethertype, MPLS), 48 / 302 last.
 * The link-layer fields are in every template while their group is on
 * (zero for a flow without them) where ipt_NETFLOW adds them per flow: one
 * template per flow kind keeps the collector's cache small and stable.
 */
static void netflow_enc_build_flow_tmpl(struct netflow_enc *e,
					unsigned int slot)
{
	bool v9 = e->cfg.protocol == 9;
	const struct netflow_tmpl *base = v9 ? &netflow_enc_v9_tmpl[slot] :
					       &netflow_enc_ipfix_tmpl[slot];
	struct netflow_ie *ie = e->flow_ie[slot];
	unsigned int i, n = 0;

	for (i = 0; i < base->n; i++) {
		ie[n++] = base->ie[i];
		/* IPv4 only: ipt_NETFLOW's place, after the addresses */
		if (base->ie[i].id == 12 && e->cfg.aggr) {
			ie[n++] = (struct netflow_ie){ 9, 1 };
			ie[n++] = (struct netflow_ie){ 13, 1 };
		}
		if (base->ie[i].id == 14 && e->cfg.physdev) {
			ie[n++] = (struct netflow_ie){ 252, 4 };
			ie[n++] = (struct netflow_ie){ 253, 4 };
		}
	}
	if (e->cfg.l2 & NETFLOW_L2_MAC) {
		ie[n++] = (struct netflow_ie){ 80, 6 };
		ie[n++] = (struct netflow_ie){ 56, 6 };
	}
	if ((e->cfg.l2 & NETFLOW_L2_VLAN) && v9) {
		ie[n++] = (struct netflow_ie){ 58, 2 };
	} else if (e->cfg.l2 & NETFLOW_L2_VLAN) {
		ie[n++] = (struct netflow_ie){ 243, 2 };
		ie[n++] = (struct netflow_ie){ 244, 1 };
		ie[n++] = (struct netflow_ie){ 245, 2 };
		ie[n++] = (struct netflow_ie){ 246, 1 };
	}
	if (e->cfg.l2)
		ie[n++] = (struct netflow_ie){ 256, 2 };
	if (e->cfg.l2 & NETFLOW_L2_MPLS) {
		ie[n++] = (struct netflow_ie){ 200, 1 };
		ie[n++] = (struct netflow_ie){ 70, 3 };
		ie[n++] = (struct netflow_ie){ 71, 3 };
		ie[n++] = (struct netflow_ie){ 72, 3 };
	}
	if (e->cfg.sampler_mode)
		ie[n++] = (struct netflow_ie){ v9 ? 48 : 302, 1 };
	e->flow_tmpl[slot].ie = ie;
	e->flow_tmpl[slot].n = n;
	e->flow_tmpl[slot].scope = 0;
}

void netflow_enc_init(struct netflow_enc *e, const struct netflow_enc_cfg *cfg)
{
	unsigned int mtu = cfg->mtu ? cfg->mtu : NETFLOW_MTU_DEFAULT;
	unsigned int slot, i;

	memset(e, 0, sizeof(*e));
	e->cfg = *cfg;
	if (mtu > NETFLOW_PDU_MAX)
		mtu = NETFLOW_PDU_MAX;
	/* below this a template plus one record might not fit at all */
	if (mtu < NETFLOW_MTU_MIN)
		mtu = NETFLOW_MTU_MIN;
	e->limit = mtu;
	e->align = cfg->protocol == 9 ? 4 : 1;
	e->refresh = true;
	if (cfg->protocol != 9 && cfg->protocol != 10)
		return;
	for (slot = 0; slot < NETFLOW_TMPL_FLOWS; slot++)
		netflow_enc_build_flow_tmpl(e, slot);
	/* Record sizes follow from the templates, so the two cannot differ. */
	for (slot = 0; slot < NETFLOW_TMPL_MAX; slot++) {
		const struct netflow_tmpl *t = netflow_enc_tmpl(e, slot);

		e->rec_len[slot] = 0;
		for (i = 0; i < t->n; i++)
			e->rec_len[slot] += t->ie[i].len;
	}
}

/* New flow fields on an empty PDU: the same stream, templates re-sent. */
static void netflow_enc_reconfigure(struct netflow_enc *e,
				    const struct netflow_enc_cfg *cfg)
{
	u32 seq = e->seq, pdus = e->pdus, tmpl_pdu = e->tmpl_pdu;
	u64 tmpl_ms = e->tmpl_ms;

	/* sequence and template clocks go on */
	netflow_enc_init(e, cfg);
	e->refresh = false;
	e->tmpl_due = (1U << NETFLOW_TMPL_MAX) - 1;
	e->seq = seq;
	e->pdus = pdus;
	e->tmpl_pdu = tmpl_pdu;
	e->tmpl_ms = tmpl_ms;
}

void netflow_enc_set_sampler(struct netflow_enc *e, u8 mode, u16 interval)
{
	struct netflow_enc_cfg cfg = e->cfg;

	cfg.sampler_mode = mode;
	cfg.sampler_interval = mode ? interval : 0;
	netflow_enc_reconfigure(e, &cfg);
}

void netflow_enc_set_physdev(struct netflow_enc *e, bool on)
{
	struct netflow_enc_cfg cfg = e->cfg;

	cfg.physdev = on;
	netflow_enc_reconfigure(e, &cfg);
}

void netflow_enc_set_aggr(struct netflow_enc *e, bool on)
{
	struct netflow_enc_cfg cfg = e->cfg;

	cfg.aggr = on;
	netflow_enc_reconfigure(e, &cfg);
}

void netflow_enc_set_l2(struct netflow_enc *e, u8 groups)
{
	struct netflow_enc_cfg cfg = e->cfg;

	cfg.l2 = groups & NETFLOW_L2_GROUPS;
	netflow_enc_reconfigure(e, &cfg);
}

void netflow_enc_force_templates(struct netflow_enc *e)
{
	e->refresh = true;
}

const struct netflow_tmpl *netflow_enc_tmpl(const struct netflow_enc *e,
					    unsigned int slot)
{
	bool v9 = e->cfg.protocol == 9;

	if (slot < NETFLOW_TMPL_FLOWS)
		return &e->flow_tmpl[slot];
	if (slot >= NETFLOW_TMPL_NAT4)
		return &netflow_enc_nat_tmpl[slot - NETFLOW_TMPL_NAT4];
	slot -= NETFLOW_TMPL_FLOWS;
	return v9 ? &netflow_enc_v9_opt_tmpl[slot] :
		    &netflow_enc_ipfix_opt_tmpl[slot];
}

u16 netflow_enc_tmpl_id(const struct netflow_enc *e, unsigned int slot)
{
	unsigned int v = (e->cfg.sampler_mode ? 1 : 0) |
			 (e->cfg.physdev ? 2 : 0) | (e->cfg.aggr ? 4 : 0) |
			 (e->cfg.l2 & NETFLOW_L2_GROUPS) << 3;

	_Static_assert(NETFLOW_TMPL_ID_SAMPLED + (NETFLOW_TMPL_VARIANTS - 1) *
		       NETFLOW_TMPL_FLOWS <=
		       NETFLOW_TMPL_ID_BASE + NETFLOW_TMPL_ID_IPFIX,
		       "v9 and IPFIX template ids do not overlap");

	unsigned int ipfix = e->cfg.protocol == 10 ? NETFLOW_TMPL_ID_IPFIX : 0;

	/* each combination of optional fields: a range of its own */
	if (slot < NETFLOW_TMPL_FLOWS && v)
		return ipfix + NETFLOW_TMPL_ID_SAMPLED +
		       (v - 1) * NETFLOW_TMPL_FLOWS + slot;
	return ipfix + NETFLOW_TMPL_ID_BASE + slot;
}

void netflow_enc_put_uint(u8 *p, unsigned int len, u64 v)
{
	switch (len) {
	case 1:
		*p = v;
		break;
	case 2:
		put_unaligned_be16(v, p);
		break;
	case 3:
		p[0] = v >> 16;
		put_unaligned_be16(v, p + 1);
		break;
	case 4:
		put_unaligned_be32(v, p);
		break;
	case 8:
		put_unaligned_be64(v, p);
		break;
	default:
		memset(p, 0, len);
	}
}

/* First record of a PDU: reserve the header, decide on a template refresh. */
static void netflow_enc_begin(struct netflow_enc *e,
			      const struct netflow_clock *now)
{
	u32 rate = e->cfg.refresh_rate;
	u32 tmo = e->cfg.timeout_rate_ms;

	e->len = netflow_enc_hdr_len(e);
	e->count = 0;
	e->set_off = 0;
	e->set_id = 0;
	e->start_ms = now->uptime_ms;
	if (e->refresh || (rate && e->pdus - e->tmpl_pdu >= rate) ||
	    (tmo && now->uptime_ms - e->tmpl_ms >= tmo)) {
		e->refresh = false;
		e->tmpl_due = (1U << NETFLOW_TMPL_MAX) - 1;
		e->tmpl_pdu = e->pdus;
		e->tmpl_ms = now->uptime_ms;
	}
}

static void netflow_enc_close_set(struct netflow_enc *e)
{
	unsigned int end = netflow_enc_pad(e, e->len);

	if (!e->set_off)
		return;
	memset(e->buf + e->len, 0, end - e->len);
	put_unaligned_be16(end - e->set_off, e->buf + e->set_off + 2);
	e->len = end;
	e->set_off = 0;
	e->set_id = 0;
}

static void netflow_enc_open_set(struct netflow_enc *e, u16 id)
{
	e->set_off = e->len;
	e->set_id = id;
	put_unaligned_be16(id, e->buf + e->len);
	e->len += 4;	/* length is written by netflow_enc_close_set() */
}

/* Bytes of a template set holding only this template, padding included. */
static unsigned int netflow_enc_tmpl_set_len(const struct netflow_enc *e,
					     unsigned int slot)
{
	const struct netflow_tmpl *t = netflow_enc_tmpl(e, slot);

	return netflow_enc_pad(e, 4 + (t->scope ? 6 : 4) + 4 * t->n);
}

static void netflow_enc_put_tmpl(struct netflow_enc *e, unsigned int slot)
{
	const struct netflow_tmpl *t = netflow_enc_tmpl(e, slot);
	bool v9 = e->cfg.protocol == 9;
	u8 *p = e->buf + e->len + 4;
	unsigned int i;

	/* set id: v9 uses 0 and 1, IPFIX 2 and 3 (data, options) */
	netflow_enc_open_set(e, (v9 ? 0 : 2) + (t->scope ? 1 : 0));
	put_unaligned_be16(netflow_enc_tmpl_id(e, slot), p);
	if (!t->scope) {
		put_unaligned_be16(t->n, p + 2);
		p += 4;
	} else if (v9) {
		/* v9 counts scope and option fields in bytes of definitions */
		put_unaligned_be16(4 * t->scope, p + 2);
		put_unaligned_be16(4 * (t->n - t->scope), p + 4);
		p += 6;
	} else {
		put_unaligned_be16(t->n, p + 2);
		put_unaligned_be16(t->scope, p + 4);
		p += 6;
	}
	for (i = 0; i < t->n; i++, p += 4) {
		put_unaligned_be16(t->ie[i].id, p);
		put_unaligned_be16(t->ie[i].len, p + 2);
	}
	e->len = p - e->buf;
	netflow_enc_close_set(e);
	e->tmpl_due &= ~(1U << slot);
	e->count++;
}

/*
 * Room for one data record of @slot, its template first when due. Checks
 * the whole cost before writing anything, so a full PDU stays intact.
 */
u8 *netflow_enc_reserve(struct netflow_enc *e, unsigned int slot,
			const struct netflow_clock *now)
{
	u16 id = netflow_enc_tmpl_id(e, slot);
	bool due, new_set;
	unsigned int len;
	u8 *p;

	if (!e->records)
		netflow_enc_begin(e, now);
	due = e->tmpl_due & (1U << slot);
	new_set = due || e->set_id != id;
	len = e->len;
	if (new_set)
		len = netflow_enc_pad(e, len) + 4 +
		      (due ? netflow_enc_tmpl_set_len(e, slot) : 0);
	len += e->rec_len[slot];
	if (netflow_enc_pad(e, len) > e->limit)
		return NULL;

	if (new_set)
		netflow_enc_close_set(e);
	if (due)
		netflow_enc_put_tmpl(e, slot);
	if (new_set)
		netflow_enc_open_set(e, id);
	p = e->buf + e->len;
	e->len += e->rec_len[slot];
	e->records++;
	e->count++;
	return p;
}

static unsigned int netflow_enc_flow_slot(const struct netflow_record *r)
{
	unsigned int base = r->family == 4 ? NETFLOW_TMPL_V4_PORTS :
					     NETFLOW_TMPL_V6_PORTS;

	switch (r->protocol) {
	case IPPROTO_NUM_TCP:
	case IPPROTO_NUM_UDP:
	case IPPROTO_NUM_SCTP:
	case IPPROTO_NUM_UDPLITE:
		return base;
	case IPPROTO_NUM_ICMP:
		return r->family == 4 ? base + 1 : base + 2;
	case IPPROTO_NUM_ICMPV6:
		return r->family == 6 ? base + 1 : base + 2;
	default:
		return base + 2;
	}
}

/*
 * One switch over the template's fields: the bytes always match the
 * template they claim to follow. @boot_ms is unix ms at uptime zero.
 */
static void netflow_enc_put_flow(u8 *p, const struct netflow_tmpl *t,
				 const struct netflow_record *r, u64 boot_ms,
				 u8 sampler)
{
	unsigned int i;

	for (i = 0; i < t->n; p += t->ie[i].len, i++) {
		u64 v;

		switch (t->ie[i].id) {
		case 8:		/* sourceIPv4Address */
		case 27:	/* sourceIPv6Address */
			memcpy(p, r->src.b, t->ie[i].len);
			continue;
		case 12:	/* destinationIPv4Address */
		case 28:	/* destinationIPv6Address */
			memcpy(p, r->dst.b, t->ie[i].len);
			continue;
		case 1:		/* octetDeltaCount */
			v = r->bytes;
			break;
		case 2:		/* packetDeltaCount */
			v = r->packets;
			break;
		case 4:		/* protocolIdentifier */
			v = r->protocol;
			break;
		case 5:		/* ipClassOfService */
			v = r->tos;
			break;
		case 6:		/* tcpControlBits */
			v = r->tcp_flags;
			break;
		case 7:		/* sourceTransportPort */
			v = r->sport;
			break;
		case 11:	/* destinationTransportPort (v9 ICMP too) */
		case 32:	/* icmpTypeCodeIPv4 */
		case 139:	/* icmpTypeCodeIPv6 */
			v = r->dport;
			break;
		case 10:	/* ingressInterface */
			v = r->ifindex_in;
			break;
		case 14:	/* egressInterface */
			v = r->ifindex_out;
			break;
		case 21:	/* flowEndSysUpTime */
			v = (u32)r->last_ms;
			break;
		case 22:	/* flowStartSysUpTime */
			v = (u32)r->first_ms;
			break;
		case 31:	/* flowLabelIPv6 */
			v = r->flow_label & 0xfffff;
			break;
		case 60:	/* ipVersion */
			v = r->family;
			break;
		case 61:	/* flowDirection */
			v = r->direction;
			break;
		case 9:		/* sourceIPv4PrefixLength */
			v = r->src_mask;
			break;
		case 13:	/* destinationIPv4PrefixLength */
			v = r->dst_mask;
			break;
		case 252:	/* ingressPhysicalInterface */
			v = r->phys_in;
			break;
		case 253:	/* egressPhysicalInterface */
			v = r->phys_out;
			break;
		case 80:	/* destinationMacAddress */
			memcpy(p, r->dst_mac, 6);
			continue;
		case 56:	/* sourceMacAddress */
			memcpy(p, r->src_mac, 6);
			continue;
		case 58:	/* SRC_VLAN (v9), vlanId */
		case 243:	/* dot1qVlanId */
			v = r->vlan[0] & 0xfff;
			break;
		case 244:	/* dot1qPriority */
			v = r->vlan[0] >> 13;
			break;
		case 245:	/* dot1qCustomerVlanId */
			v = r->vlan[1] & 0xfff;
			break;
		case 246:	/* dot1qCustomerPriority */
			v = r->vlan[1] >> 13;
			break;
		case 200:	/* mplsTopLabelTTL */
			v = r->mpls[0] & 0xff;
			break;
		case 70:	/* mplsTopLabelStackSection: label, TC, S */
		case 71:	/* mplsLabelStackSection2 */
		case 72:	/* mplsLabelStackSection3 */
			v = r->mpls[t->ie[i].id - 70] >> 8;
			break;
		case 256:	/* ethernetType: of the L3 metered */
			v = r->family == 4 ? 0x0800 : 0x86dd;
			break;
		case 48:	/* FLOW_SAMPLER_ID (v9) */
		case 302:	/* selectorId (IPFIX) */
			v = sampler;
			break;
		case 136:	/* flowEndReason */
			v = r->end_reason;
			break;
		case 152:	/* flowStartMilliseconds */
			v = boot_ms + r->first_ms;
			break;
		case 153:	/* flowEndMilliseconds */
			v = boot_ms + r->last_ms;
			break;
		default:
			v = 0;
		}
		netflow_enc_put_uint(p, t->ie[i].len, v);
	}
}

int netflow_enc_add(struct netflow_enc *e, const struct netflow_record *r,
		    const struct netflow_clock *now)
{
	unsigned int slot;
	u8 *p;

	if (r->family != 4 && r->family != 6)
		return -EAFNOSUPPORT;
	switch (e->cfg.protocol) {
	case 5:
		return netflow_enc_v5_add(e, r, now);
	case 9:
	case 10:
		break;
	default:
		return -EINVAL;
	}
	slot = netflow_enc_flow_slot(r);
	p = netflow_enc_reserve(e, slot, now);
	if (!p)
		return -ENOSPC;
	netflow_enc_put_flow(p, netflow_enc_tmpl(e, slot), r,
			     now->unix_ms - now->uptime_ms, e->cfg.sampler_mode);
	return 0;
}

unsigned int netflow_enc_finish(struct netflow_enc *e,
				const struct netflow_clock *now,
				const u8 **pdu)
{
	unsigned int len;
	u64 secs = now->unix_ms;

	*pdu = e->buf;
	if (!e->records)
		return 0;
	netflow_enc_close_set(e);
	do_div(secs, 1000);	/* once per PDU */
	switch (e->cfg.protocol) {
	case 5:
		netflow_enc_v5_header(e, now, secs);
		break;
	case 9:
		netflow_enc_v9_header(e, now, secs);
		break;
	default:
		netflow_enc_ipfix_header(e, secs);
	}
	len = e->len;
	e->pdus++;
	e->records = 0;
	e->count = 0;
	e->len = 0;
	return len;
}
