// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU packet statistics: the packet path adds to its own CPU's copy,
 * /proc and the exporter's tick read the sum. A leaf: it calls no file.
 */
#include <linux/percpu.h>
#include <linux/string.h>
#include "netflow.h"

DEFINE_PER_CPU(struct netflow_cpu_stats, netflow_stats);

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
		sum->full += READ_ONCE(st->full);
		sum->drop_pkts += READ_ONCE(st->drop_pkts);
		sum->drop_bytes += READ_ONCE(st->drop_bytes);
		sum->promisc_seen += READ_ONCE(st->promisc_seen);
		sum->promisc_drop += READ_ONCE(st->promisc_drop);
	}
}

void netflow_stats_zero(void)
{
	int cpu;

	/* racy against the packet path by design: a reset, not a snapshot */
	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(&netflow_stats, cpu), 0,
		       sizeof(struct netflow_cpu_stats));
}
