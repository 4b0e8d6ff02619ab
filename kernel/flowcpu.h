/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the packet path (flow.c) and the per-CPU lifecycle (flowcpu.c)
 * share: each CPU's table and worker. Only flowcpu.c allocates or frees.
 */
#ifndef NETFLOW_FLOWCPU_H
#define NETFLOW_FLOWCPU_H

#include <linux/workqueue.h>
#include <linux/local_lock.h>
#include <linux/slab.h>
#include "table_core.h"
#include "flowhash.h"

struct netflow_cpu {
	/*
	 * Table, ready list and this CPU's netflow_stats are used with BH
	 * off; on PREEMPT_RT without the softirq lock that alone no longer
	 * keeps a second task on this CPU out. Free on non-RT.
	 */
	local_lock_t bh_lock;
	struct netflow_table table;
	struct list_head ready;		/* evicted, waiting for export */
	u32 ready_len;
	u32 allocated;			/* flow objects made here, ever */
	bool kicked;			/* worker queued early, not run yet */
	struct delayed_work work;
	u32 peak;
	int cpu;
	bool up;		/* its worker runs: set by the hotplug state */
	/*
	 * Objects of this CPU freed after export, by the RCU free batches:
	 * allocated - freed is every object in any state, held to maxflows.
	 * Its own line: the free batches write it from other CPUs.
	 */
	atomic_t freed ____cacheline_aligned_in_smp;
};

extern struct netflow_cpu __percpu *netflow_cpus;
extern struct kmem_cache *netflow_flow_cache;
/* flows created while an optional per-flow field is on (snmp-rules) */
extern struct kmem_cache *netflow_flow_ext_cache;
extern struct kmem_cache *netflow_flow_mpls_cache;
extern struct workqueue_struct *netflow_wq;
extern struct netflow_hash_secret netflow_hash_key;

/* From the packet path: the worker runs now, to export what waits. */
static inline void netflow_cpu_kick(struct netflow_cpu *nc)
{
	if (!nc->kicked) {
		nc->kicked = true;
		mod_delayed_work_on(nc->cpu, netflow_wq, &nc->work, 0);
	}
}

#endif /* NETFLOW_FLOWCPU_H */
