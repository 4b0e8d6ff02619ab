/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Export: finished flows become records, encoded per destination (each
 * has its own protocol, sequence and templates) and sent.
 */
#ifndef NETFLOW_EXPORT_H
#define NETFLOW_EXPORT_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/seq_file.h>
#include <linux/bitmap.h>
#include "dest.h"

/* Exporter totals for /proc. */
struct netflow_export_totals {
	u64 flows;		/* flows handed to the exporter */
	u64 pkts, bytes;	/* the traffic those flows carried */
	u64 pdus, pdu_bytes;	/* datagrams sent, all destinations */
	u64 lost_flows, lost_pkts, lost_bytes;
	u64 errors;		/* failed sends */
	u64 in_pps, in_bps;	/* last second */
	u64 in_pps_1m, in_bps_1m, in_pps_5m, in_bps_5m;
	u64 out_Bps;
	u32 sndbuf_peak;
	/* flow sampling since it was last set: observed, selected */
	u64 samp_flows, samp_flows_sel, samp_pkts, samp_pkts_sel;
};

/* Export a list of flows (linked by their wheel member); the caller frees. */
void netflow_export_flows(struct list_head *flows);
/* Send every partly filled PDU now. */
void netflow_export_flush(void);
bool netflow_export_can_ipv6(void);

/* sysctl: new destinations or protocol; -EINVAL keeps the old ones. */
int netflow_export_set_destination(const char *text);
/*
 * The setters below change what the encoders write. The caller exports
 * the table first (netflow_flow_flush), so no flow leaves under a format
 * it was not metered for.
 */
int netflow_export_set_protocol(unsigned int protocol);
/* counters restart, every destination announces the new sampler */
void netflow_export_set_sampler(const struct netflow_sampler *s);
/* bridge ports in the flow templates; netflow_cfg.physdev set already */
void netflow_export_set_physdev(bool on);
/* aggregation rules set or cleared: the masks 9/13 come or go */
void netflow_export_set_aggr(bool on);
/* mac/vlan: new link-layer groups (NETFLOW_L2_*) in key and templates */
void netflow_export_set_l2(unsigned int groups);
/* Reset the template clocks after refresh/timeout rate changes. */
void netflow_export_set_template_rates(void);
void netflow_export_zero(void);

void netflow_export_totals(struct netflow_export_totals *t);
/* Packets per second seen by one CPU over the last second. */
u64 netflow_export_cpu_pps(int cpu);
/* Print one line per destination with @fmt: "human" or "snmp". */
void netflow_export_show_dests(struct seq_file *m, bool snmp);

int netflow_export_init(void);
void netflow_export_exit(void);

#endif /* NETFLOW_EXPORT_H */
