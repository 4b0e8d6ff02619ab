/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Export encoders: NetFlow v5, v9 (RFC 3954) and IPFIX (RFC 7011).
 * Pure functions over caller-owned state: records in, one PDU of bytes out.
 */
#ifndef NETFLOW_ENCODE_H
#define NETFLOW_ENCODE_H

#include "pure.h"
#include "record.h"
#include "sampler.h"
#include "l2.h"

#define NETFLOW_PDU_MAX		1500	/* inline buffer, upper bound of mtu */
#define NETFLOW_MTU_MIN		256	/* fits header, any template, 1 record */
#define NETFLOW_MTU_DEFAULT	1400	/* used when cfg->mtu is 0 */
#define NETFLOW_V5_MAX_RECORDS	30
#define NETFLOW_IFNAME_LEN	16	/* interfaceName, fixed size, 0-padded */

struct netflow_enc_cfg {
	u8 protocol;		/* 5, 9 or 10 (IPFIX) */
	u32 engine_id;		/* v5 engine id (low 8 bits), v9 source id,
				 * IPFIX observation domain
				 */
	u32 refresh_rate;	/* resend templates every N PDUs, 0 = never */
	u32 timeout_rate_ms;	/* and after this many ms, 0 = never */
	u16 mtu;		/* max PDU bytes (UDP payload); v5: 30 recs */
	u8 sampler_mode;	/* enum netflow_sampler_mode, 0 = off */
	u16 sampler_interval;	/* one flow out of N */
	bool physdev;		/* 252/253 bridge ports in flow templates */
	bool aggr;		/* 9/13 prefix lengths in IPv4 flow templates */
	u8 l2;			/* NETFLOW_L2_MAC: 80/56; _VLAN: 58 or
				 * 243-246; any: 256; _MPLS: 200, 70-72
				 */
};

/* Exporter totals for the statistics options record (v9/IPFIX). */
struct netflow_exporter_stats {
	u64 exported_messages;	/* IE 41 exportedMessageTotalCount */
	u64 exported_octets;	/* IE 40 exportedOctetTotalCount */
	u64 exported_flows;	/* IE 42 exportedFlowRecordTotalCount */
	u64 ignored_packets;	/* IE 164 ignoredPacketTotalCount */
	u64 notsent_flows;	/* IE 166 notSentFlowTotalCount */
	u64 notsent_packets;	/* IE 167 notSentPacketTotalCount */
	u64 notsent_octets;	/* IE 168 notSentOctetTotalCount */
};

/* Flow sampling since the sampler was last set (IPFIX statistics). */
struct netflow_sampler_stats {
	u64 flows, flows_selected;	/* IEs 394, 395 */
	u64 packets, packets_selected;	/* IEs 318, 319 */
	u64 start_unix_ms;		/* IE 152: when sampling was set */
};

/* Template slots; the wire template id is NETFLOW_TMPL_ID_BASE + slot. */
enum netflow_tmpl_slot {
	NETFLOW_TMPL_V4_PORTS,	/* TCP, UDP, SCTP, UDP-Lite */
	NETFLOW_TMPL_V4_ICMP,
	NETFLOW_TMPL_V4_OTHER,	/* no transport fields */
	NETFLOW_TMPL_V6_PORTS,
	NETFLOW_TMPL_V6_ICMP,
	NETFLOW_TMPL_V6_OTHER,
	NETFLOW_TMPL_FLOWS,	/* slots below are options templates */
	NETFLOW_TMPL_STATS = NETFLOW_TMPL_FLOWS,
	NETFLOW_TMPL_IFNAME,
	NETFLOW_TMPL_SAMPLER,	/* deterministic (IPFIX: RFC 7014 fields) */
	NETFLOW_TMPL_SAMPLER_RANDOM,	/* random and hash */
	NETFLOW_TMPL_SAMPLER_STATS,	/* IPFIX only */
	NETFLOW_TMPL_NAT4,	/* NAT event data templates (v9 and IPFIX) */
	NETFLOW_TMPL_NAT6,
	NETFLOW_TMPL_MAX
};

#define NETFLOW_TMPL_ID_BASE	256
/*
 * Optional fields change a flow template (48 / 302 last while sampling,
 * 252/253 after 10/14 with physdev): each combination has ids of its own,
 * so a collector never applies a cached layout to another.
 */
#define NETFLOW_TMPL_ID_SAMPLED	(NETFLOW_TMPL_ID_BASE + NETFLOW_TMPL_MAX)
#define NETFLOW_TMPL_ID_PHYSDEV	(NETFLOW_TMPL_ID_SAMPLED + NETFLOW_TMPL_FLOWS)
#define NETFLOW_TMPL_ID_PHYSDEV_SAMPLED	\
	(NETFLOW_TMPL_ID_PHYSDEV + NETFLOW_TMPL_FLOWS)
/* then aggregation (9/13) alone, sampled, with physdev, with both */
#define NETFLOW_TMPL_ID_AGGR	\
	(NETFLOW_TMPL_ID_PHYSDEV_SAMPLED + NETFLOW_TMPL_FLOWS)
/*
 * Variant v (bit 0 sampled, 1 physdev, 2 aggregation, 3 mac, 4 vlan,
 * 5 mpls) has ids NETFLOW_TMPL_ID_SAMPLED + (v - 1) * NETFLOW_TMPL_FLOWS +
 * slot.
 */
#define NETFLOW_TMPL_VARIANTS	64
/*
 * IPFIX ids are the v9 ids + this: after a protocol switch a collector
 * that caches templates by exporter, domain and id (tshark does, across
 * versions) never applies a v9 layout to IPFIX data or back.
 */
#define NETFLOW_TMPL_ID_IPFIX	512

struct netflow_ie {
	u16 id;			/* IE / v9 field type, or v9 scope type */
	u16 len;
};

struct netflow_tmpl {
	const struct netflow_ie *ie;
	u8 n;			/* fields, scope fields included */
	u8 scope;		/* leading scope fields; 0 = data template */
};

/* most fields of a flow template: the longest base list plus options */
#define NETFLOW_FLOW_IES_MAX	32

/*
 * Per-destination encoder state; the caller owns it and serialises use.
 * Flow templates are built into it (flow_tmpl[].ie points into flow_ie):
 * initialise it in place, never copy it.
 */
struct netflow_enc {
	struct netflow_enc_cfg cfg;
	u16 limit;		/* effective mtu */
	u16 len;		/* bytes used in buf, header included */
	u16 records;		/* data records pending (flows + options) */
	u16 count;		/* v9 header count: data + template records */
	u16 set_off;		/* open set header offset, 0 = none open */
	u16 set_id;
	u8 align;		/* set padding: 4 for v9, 1 for IPFIX */
	bool refresh;		/* all templates due at the next PDU start */
	u32 tmpl_due;		/* bit per slot: send before its next record */
	u32 seq;		/* next header sequence number */
	u32 pdus;		/* PDUs finished */
	u32 tmpl_pdu;		/* pdus at the last template refresh */
	u64 tmpl_ms;		/* uptime at the last template refresh */
	u64 start_ms;		/* uptime at the first record of this PDU */
	u16 rec_len[NETFLOW_TMPL_MAX];
	struct netflow_tmpl flow_tmpl[NETFLOW_TMPL_FLOWS];
	struct netflow_ie flow_ie[NETFLOW_TMPL_FLOWS][NETFLOW_FLOW_IES_MAX];
	u8 buf[NETFLOW_PDU_MAX];
};

void netflow_enc_init(struct netflow_enc *e, const struct netflow_enc_cfg *cfg);
/* 0; -ENOSPC: finish and retry; -EAFNOSUPPORT: IPv6 in v5 or bad family */
int netflow_enc_add(struct netflow_enc *e, const struct netflow_record *r,
		    const struct netflow_clock *now);
/* Options records (v9/IPFIX); -EOPNOTSUPP for v5, else as netflow_enc_add */
int netflow_enc_add_stats(struct netflow_enc *e,
			  const struct netflow_exporter_stats *s,
			  const struct netflow_clock *now);
int netflow_enc_add_ifname(struct netflow_enc *e, u32 ifindex,
			   const char *name, const struct netflow_clock *now);
/* The sampler options record of cfg.sampler_*; -EOPNOTSUPP when off/v5 */
int netflow_enc_add_sampler(struct netflow_enc *e,
			    const struct netflow_clock *now);
/*
 * The IPFIX sampler statistics record (scope selectorId); -EOPNOTSUPP
 * when sampling is off or for v5 and v9, which have none.
 */
int netflow_enc_add_sampler_stats(struct netflow_enc *e,
				  const struct netflow_sampler_stats *s,
				  const struct netflow_clock *now);
/*
 * New sampler setting, on an empty PDU (after netflow_enc_finish()): the
 * flow templates change, so each is sent again before its next record.
 */
void netflow_enc_set_sampler(struct netflow_enc *e, u8 mode, u16 interval);
/* physdev on or off, likewise on an empty PDU */
void netflow_enc_set_physdev(struct netflow_enc *e, bool on);
/* aggregation (9/13 in IPv4 templates) on or off, likewise */
void netflow_enc_set_aggr(struct netflow_enc *e, bool on);
/* link-layer field groups (NETFLOW_L2_GROUPS bits), likewise */
void netflow_enc_set_l2(struct netflow_enc *e, u8 groups);
/* A NAT event: v9/IPFIX NAT template, v5 one or two pseudo-flows. */
int netflow_enc_add_nat(struct netflow_enc *e,
			const struct netflow_nat_event *ev,
			const struct netflow_clock *now);
/* Seal the pending PDU; returns its length (0 if empty) and resets. */
unsigned int netflow_enc_finish(struct netflow_enc *e,
				const struct netflow_clock *now,
				const u8 **pdu);
/* Next PDU re-sends every template before use (new collector, etc.). */
void netflow_enc_force_templates(struct netflow_enc *e);

static inline unsigned int netflow_enc_records(const struct netflow_enc *e)
{
	return e->records;
}

/* Uptime (ms) of the first pending record (valid while records > 0). */
static inline u64 netflow_enc_pdu_start_ms(const struct netflow_enc *e)
{
	return e->start_ms;
}

/* ---- Shared by the enc_*.c files only ---- */


/* base flow templates; the encoder adds the optional fields to a copy */
extern const struct netflow_tmpl netflow_enc_v9_tmpl[NETFLOW_TMPL_FLOWS];
extern const struct netflow_tmpl netflow_enc_ipfix_tmpl[NETFLOW_TMPL_FLOWS];
extern const struct netflow_tmpl netflow_enc_v9_opt_tmpl[];
extern const struct netflow_tmpl netflow_enc_ipfix_opt_tmpl[];
extern const struct netflow_tmpl netflow_enc_nat_tmpl[];

const struct netflow_tmpl *netflow_enc_tmpl(const struct netflow_enc *e,
					    unsigned int slot);
u16 netflow_enc_tmpl_id(const struct netflow_enc *e, unsigned int slot);
u8 *netflow_enc_reserve(struct netflow_enc *e, unsigned int slot,
			const struct netflow_clock *now);
void netflow_enc_put_uint(u8 *p, unsigned int len, u64 v);
int netflow_enc_v5_add(struct netflow_enc *e, const struct netflow_record *r,
		       const struct netflow_clock *now);
int netflow_enc_v5_add_nat(struct netflow_enc *e,
			   const struct netflow_nat_event *ev);
void netflow_enc_v5_header(struct netflow_enc *e,
			   const struct netflow_clock *now, u32 secs);
void netflow_enc_v9_header(struct netflow_enc *e,
			   const struct netflow_clock *now, u32 secs);
void netflow_enc_ipfix_header(struct netflow_enc *e, u32 secs);

#endif /* NETFLOW_ENCODE_H */
