/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One export destination: socket, encoder, the PDU being filled and its
 * counters. Every call is made under the exporter's lock.
 */
#ifndef NETFLOW_DEST_H
#define NETFLOW_DEST_H

#include <linux/types.h>
#include <linux/seq_file.h>
#include <linux/bitmap.h>
#include "encode.h"
#include "socket.h"

/*
 * Interface names are announced for the ifindexes that exported flows
 * carry, below this bound: a fixed bitmap keeps the tracking O(1) and its
 * memory known; flows on higher ifindexes are exported, unnamed.
 */
#define NETFLOW_IF_TRACKED	4096
/* Options PDUs one destination may send per tick: never a burst. */
#define NETFLOW_OPT_PDUS_PER_TICK	2

/*
 * What every destination adds to and reads, kept by the exporter across
 * destination changes: the losses, and the ifindexes exported flows
 * carried (their names go out as options records).
 */
struct netflow_dest_shared {
	u64 lost_flows, lost_pkts, lost_bytes, errors;
	DECLARE_BITMAP(if_seen, NETFLOW_IF_TRACKED);
};

struct netflow_dest {
	struct netflow_dest_spec spec;
	struct netflow_dest_shared *shared;
	struct netflow_sock sock;
	struct netflow_enc enc;
	u8 protocol;
	/* the PDU being filled: what is lost if its send fails */
	u64 pdu_flows, pdu_pkts, pdu_bytes;
	/* the last PDU sent: an ICMP error reported later is about it */
	u64 prev_flows, prev_pkts, prev_bytes;
	u64 flows;		/* records sent */
	u64 lost_flows, lost_pkts, lost_bytes;
	u64 skipped_v6;		/* IPv6 flows a v5 destination cannot take */
	/* options records (v9/IPFIX), sent from the 1 s tick */
	bool opt_stats_due;	/* new stream: statistics at the next tick */
	u32 opt_pdu;		/* enc.pdus at the last statistics record */
	u64 opt_ms;		/* uptime at the last statistics record */
	u64 opt_records;	/* options records handed to the encoder */
	bool opt_sampler_due;	/* sampler options record at the next tick */
	u64 nat_records;	/* NAT event records (counted in flows too) */
	DECLARE_BITMAP(if_pending, NETFLOW_IF_TRACKED);	/* names to send */
};

/* Parse and open new destinations; nothing changes on failure. */
int netflow_dests_build(const char *text, struct netflow_dest_shared *shared,
			struct netflow_dest **out);
void netflow_dests_free(struct netflow_dest *dests, unsigned int n);
/* The encoder settings of @d from netflow_cfg and its protocol. */
void netflow_dest_enc_cfg(const struct netflow_dest *d,
			  struct netflow_enc_cfg *cfg);

/* Add a record to the PDU being filled; a full PDU is sent first. */
void netflow_dest_add(struct netflow_dest *d, const struct netflow_record *r,
		      const struct netflow_clock *c);
void netflow_dest_add_nat(struct netflow_dest *d,
			  const struct netflow_nat_event *ev,
			  const struct netflow_clock *c);
/* Send the PDU being filled, if any; a failure is counted as lost. */
void netflow_dest_send(struct netflow_dest *d, const struct netflow_clock *c);

/* v9 and IPFIX destinations take options records. */
bool netflow_dest_has_options(const struct netflow_dest *d);
/* A new stream (destination or protocol): statistics and every name. */
void netflow_dest_options_reset(struct netflow_dest *d);
/* This tick's options records; @ignored is the packets the table dropped. */
void netflow_dest_options(struct netflow_dest *d, const struct netflow_clock *c,
			  u64 ignored, const struct netflow_sampler_stats *ss);

void netflow_dest_show(struct seq_file *m, const struct netflow_dest *d,
		       unsigned int i, bool snmp);
void netflow_dest_zero(struct netflow_dest *d);

#endif /* NETFLOW_DEST_H */
