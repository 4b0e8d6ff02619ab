// SPDX-License-Identifier: GPL-2.0
/* Flow engine (first version: per-CPU packet and byte counters). */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include "netflow.h"
#include "flow.h"
#include "export.h"

DEFINE_PER_CPU(struct netflow_cpu_stats, netflow_stats);

void netflow_flow_account(struct sk_buff *skb, u8 family, unsigned int hook,
			  const struct net_device *in,
			  const struct net_device *out)
{
	struct netflow_cpu_stats *st = this_cpu_ptr(&netflow_stats);

	st->pkts++;
	st->bytes += skb->len;
}

bool netflow_export_can_ipv6(void)
{
	return READ_ONCE(netflow_cfg.protocol) != 5;
}

void netflow_stats_sum(struct netflow_cpu_stats *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct netflow_cpu_stats *st =
			per_cpu_ptr(&netflow_stats, cpu);

		sum->pkts += READ_ONCE(st->pkts);
		sum->bytes += READ_ONCE(st->bytes);
		sum->found += READ_ONCE(st->found);
		sum->created += READ_ONCE(st->created);
		sum->trunc += READ_ONCE(st->trunc);
		sum->frag += READ_ONCE(st->frag);
		sum->alloc_fail += READ_ONCE(st->alloc_fail);
		sum->maxflows += READ_ONCE(st->maxflows);
		sum->drop_pkts += READ_ONCE(st->drop_pkts);
		sum->drop_bytes += READ_ONCE(st->drop_bytes);
	}
}

int netflow_flow_init(void)
{
	return 0;
}

void netflow_flow_exit(void)
{
}
