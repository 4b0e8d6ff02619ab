/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flow engine: one table per CPU, written only by its CPU with BH off,
 * so the packet path takes no lock and writes no shared cache line.
 */
#ifndef NETFLOW_FLOW_H
#define NETFLOW_FLOW_H

#include <linux/skbuff.h>
#include <linux/netdevice.h>
#include "table_core.h"

/* Account one packet; called with BH disabled. */
void netflow_flow_account(struct sk_buff *skb, u8 family, unsigned int hook,
			  const struct net_device *in,
			  const struct net_device *out);

/* Export every flow now (flush), from process context. */
void netflow_flow_flush(u8 reason);

/* Apply timeouts, maxflows and hashsize from netflow_cfg. */
int netflow_flow_reconfigure(void);

/* Totals over every CPU's table. */
struct netflow_flow_totals {
	u64 flows;		/* flows in the tables now */
	u64 objects;		/* flow objects in any state, not yet freed */
	u64 peak;		/* most flows seen at once (sum of CPU peaks) */
	u64 buckets;
	u64 used_buckets;
	u32 longest_chain;
	u64 memory;		/* bytes: flow objects and buckets */
};
/* O(CPUs), no bucket walk: /proc reads cost the same at any table size. */
void netflow_flow_totals(struct netflow_flow_totals *tot);
void netflow_flow_cpu_totals(int cpu, struct netflow_flow_totals *tot);

/* Walk live flows for the /proc dump: cpu, bucket, under rcu_read_lock. */
struct hlist_head *netflow_flow_bucket(int cpu, u32 bucket, u32 *nbuckets);

unsigned int netflow_flow_object_size(void);

int netflow_flow_init(void);
/* Stop the workers: the target must be unregistered already. */
void netflow_flow_stop(void);
void netflow_flow_exit(void);

#endif /* NETFLOW_FLOW_H */
