// SPDX-License-Identifier: GPL-2.0
/*
 * The per-CPU lifecycle of the flow tables: allocation, the workers that
 * expire flows into the exporter, drains (flush, hotplug, unload),
 * resizes and timeouts, freeing after RCU, and the totals for /proc.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/workqueue.h>
#include <linux/rcupdate.h>
#include <linux/cpu.h>
#include "netflow.h"
#include "flow.h"
#include "flowcpu.h"
#include "export.h"

/* Scan each table about four times a second, or every scan_min jiffies. */
#define NETFLOW_SCAN_BUDGET	512
/* Old buckets a resize moves per BH-off section (about 1k flows). */
#define NETFLOW_REHASH_BUDGET	1024
/* Buckets a worker run looks at for the longest chain shown in /proc. */
#define NETFLOW_SWEEP_BUDGET	4096

struct netflow_cpu __percpu *netflow_cpus;
struct kmem_cache *netflow_flow_cache;
/* flows created while an optional per-flow field is on (snmp-rules) */
struct kmem_cache *netflow_flow_ext_cache;
struct kmem_cache *netflow_flow_mpls_cache;
struct workqueue_struct *netflow_wq;
struct netflow_hash_secret netflow_hash_key __read_mostly;
static bool netflow_stopping;
/* CPUs with a running worker, and the hotplug states that track them */
static unsigned int netflow_cpus_up;
static int netflow_hp_online = -1, netflow_hp_dead = -1;

/* One RCU grace period for a whole batch of exported flows. */
struct netflow_free_batch {
	struct rcu_work rwork;
	struct list_head flows;
};

/*
 * Flows leave in batches of thousands: kmem_cache_free_bulk() frees a run
 * of objects for about half what one call each costs (make bench-profile).
 */
#define NETFLOW_FREE_BULK	16

struct netflow_free_bulk {
	struct kmem_cache *cache;
	unsigned int n;
	void *obj[NETFLOW_FREE_BULK];
};

static void free_bulk_flush(struct netflow_free_bulk *b)
{
	if (b->n)
		kmem_cache_free_bulk(b->cache, b->n, b->obj);
	b->n = 0;
}

static void free_bulk_add(struct netflow_free_bulk *b, void *obj)
{
	b->obj[b->n++] = obj;
	if (b->n == NETFLOW_FREE_BULK)
		free_bulk_flush(b);
}

/* Free flows, crediting each object back to the CPU that made it. */
static void netflow_flows_free(struct list_head *flows)
{
	struct netflow_free_bulk bulk[3] = {
		{ .cache = netflow_flow_cache },
		{ .cache = netflow_flow_ext_cache },	/* NETFLOW_FLOW_EXT */
		{ .cache = netflow_flow_mpls_cache },	/* and NETFLOW_FLOW_MPLS */
	};
	struct netflow_flow *f, *n;
	int cpu = -1, run = 0;
	unsigned int i;

	list_for_each_entry_safe(f, n, flows, wheel) {
		if (f->cpu != cpu) {
			if (run)
				atomic_add(run, &per_cpu_ptr(netflow_cpus, cpu)->freed);
			cpu = f->cpu;
			run = 0;
		}
		run++;
		if (unlikely(f->ext & NETFLOW_FLOW_EXT))
			free_bulk_add(&bulk[f->ext & NETFLOW_FLOW_MPLS ? 2 : 1],
				      netflow_flow_ext(f));
		else
			free_bulk_add(&bulk[0], f);
	}
	if (run)
		atomic_add(run, &per_cpu_ptr(netflow_cpus, cpu)->freed);
	for (i = 0; i < ARRAY_SIZE(bulk); i++)
		free_bulk_flush(&bulk[i]);
}

static void netflow_free_batch_fn(struct work_struct *w)
{
	struct netflow_free_batch *b = container_of(to_rcu_work(w),
					struct netflow_free_batch, rwork);

	netflow_flows_free(&b->flows);
	kfree(b);
}

static void netflow_flow_free_list(struct list_head *flows)
{
	struct netflow_free_batch *b;

	if (list_empty(flows))
		return;
	b = kmalloc(sizeof(*b), GFP_KERNEL);
	if (b) {
		INIT_LIST_HEAD(&b->flows);
		list_splice_init(flows, &b->flows);
		INIT_RCU_WORK(&b->rwork, netflow_free_batch_fn);
		queue_rcu_work(netflow_wq, &b->rwork);
		return;
	}
	synchronize_rcu();
	netflow_flows_free(flows);
}

/* Export a list of flows, then free them: export only reads them. */
static void netflow_flows_export(struct list_head *flows)
{
	netflow_export_flows(flows);
	netflow_flow_free_list(flows);
}

static unsigned long scan_interval(void)
{
	unsigned long iv = max_t(unsigned long, HZ / 4, 1);

	return max_t(unsigned long, iv, READ_ONCE(netflow_cfg.scan_min));
}

/* Runs on its own CPU: move due flows out under BH-off, export them. */
static void netflow_cpu_work(struct work_struct *w)
{
	struct netflow_cpu *nc = container_of(to_delayed_work(w),
					      struct netflow_cpu, work);
	LIST_HEAD(out);
	bool more;

	do {
		more = false;
		local_bh_disable();
		/* a CPU going offline moves its work: leave the table be */
		if (smp_processor_id() == nc->cpu) {
			local_lock_nested_bh(&netflow_cpus->bh_lock);
			list_splice_tail_init(&nc->ready, &out);
			nc->ready_len = 0;
			nc->kicked = false;
			netflow_table_expire(&nc->table, (u32)jiffies, &out,
					     NETFLOW_SCAN_BUDGET, &more);
			if (!more)
				netflow_table_chain_sweep(&nc->table,
							  NETFLOW_SWEEP_BUDGET);
			local_unlock_nested_bh(&netflow_cpus->bh_lock);
		}
		local_bh_enable();
		netflow_flows_export(&out);
		cond_resched();
	} while (more);
	if (!READ_ONCE(netflow_stopping) && READ_ONCE(nc->up))
		queue_delayed_work_on(nc->cpu, netflow_wq, &nc->work,
				      scan_interval());
}

struct netflow_cpu_call {
	u8 reason;
	struct hlist_head *buckets;
	u32 nbuckets;
};

/*
 * work_on_cpu(): take every flow of this CPU's table out and export. The
 * BH-off section swaps in empty buckets and moves the wheel lists whole,
 * O(wheel slots) at any table size; the flows get their end reason after.
 */
static long netflow_cpu_drain(void *arg)
{
	struct netflow_cpu_call *call = arg;
	struct netflow_cpu *nc = this_cpu_ptr(netflow_cpus);
	struct hlist_head *fresh, *old = NULL;
	struct netflow_flow *f;
	LIST_HEAD(out);
	u32 n;

	/* a resize between here and BH off falls back to the walk */
	n = READ_ONCE(nc->table.mask) + 1;
	fresh = kvcalloc(n, sizeof(*fresh), GFP_KERNEL);
	local_bh_disable();
	local_lock_nested_bh(&netflow_cpus->bh_lock);
	list_splice_tail_init(&nc->ready, &out);
	nc->ready_len = 0;
	if (fresh && nc->table.mask + 1 == n && !nc->table.old_buckets)
		old = netflow_table_detach(&nc->table, fresh, &out);
	else
		netflow_table_drain(&nc->table, &out, call->reason);
	local_unlock_nested_bh(&netflow_cpus->bh_lock);
	local_bh_enable();
	if (old) {
		list_for_each_entry(f, &out, wheel)
			if (!f->end_reason)
				f->end_reason = call->reason;
	} else {
		kvfree(fresh);
	}
	netflow_flows_export(&out);
	if (old) {
		/* /proc readers may still walk the old chains */
		synchronize_rcu();
		kvfree(old);
	}
	return 0;
}

/*
 * An offline CPU runs no packet path: its table and ready list are
 * drained from any CPU. Hotplug is held off by the caller (or the CPU is
 * dead and its state's teardown runs).
 */
static void netflow_cpu_drain_offline(int cpu, u8 reason)
{
	struct netflow_cpu *nc = per_cpu_ptr(netflow_cpus, cpu);
	LIST_HEAD(out);

	list_splice_tail_init(&nc->ready, &out);
	nc->ready_len = 0;
	netflow_table_drain(&nc->table, &out, reason);
	netflow_flows_export(&out);
}

void netflow_flow_flush(u8 reason)
{
	struct netflow_cpu_call call = { .reason = reason };
	int cpu;

	cpus_read_lock();
	for_each_possible_cpu(cpu) {
		if (cpu_online(cpu))
			work_on_cpu(cpu, netflow_cpu_drain, &call);
		else
			netflow_cpu_drain_offline(cpu, reason);
	}
	cpus_read_unlock();
	netflow_export_flush();
}

static u32 buckets_per_cpu(void)
{
	unsigned long total = netflow_cfg.hashsize;

	if (!total) {
		/* about RAM/1024 bytes of buckets, as ipt_NETFLOW sizes it */
		total = (totalram_pages() << PAGE_SHIFT) / 1024 /
			sizeof(struct hlist_head);
		total = clamp_t(unsigned long, total, 256, 1UL << 22);
	}
	total /= num_possible_cpus();
	return roundup_pow_of_two(clamp_t(unsigned long, total, 64, 1UL << 24));
}

static u32 limit_per_cpu(void)
{
	u32 maxflows = READ_ONCE(netflow_cfg.maxflows);

	if (!maxflows)
		return 0;
	/* a share per CPU: each table is only ever written by its CPU */
	return max_t(u32, maxflows / max(netflow_cpus_up, 1U), 1);
}

/* Under the hotplug lock (read or write): netflow_cpus_up is stable. */
static void netflow_set_limits(void)
{
	u32 limit = limit_per_cpu();
	int cpu;

	/* plain stores: the packet path reads them once per new flow */
	for_each_possible_cpu(cpu)
		WRITE_ONCE(per_cpu_ptr(netflow_cpus, cpu)->table.limit, limit);
}

static long netflow_cpu_reslot(void *arg)
{
	struct netflow_cpu *nc = this_cpu_ptr(netflow_cpus);

	local_bh_disable();
	local_lock_nested_bh(&netflow_cpus->bh_lock);
	netflow_table_reslot(&nc->table);
	local_unlock_nested_bh(&netflow_cpus->bh_lock);
	local_bh_enable();
	return 0;
}

static long netflow_cpu_rehash(void *arg)
{
	struct netflow_cpu_call *call = arg;
	struct netflow_cpu *nc = this_cpu_ptr(netflow_cpus);
	struct hlist_head *old;

	/* the new buckets first, then the old chains in bounded steps */
	local_bh_disable();
	local_lock_nested_bh(&netflow_cpus->bh_lock);
	netflow_table_rehash_start(&nc->table, call->buckets, call->nbuckets);
	local_unlock_nested_bh(&netflow_cpus->bh_lock);
	local_bh_enable();
	do {
		local_bh_disable();
		local_lock_nested_bh(&netflow_cpus->bh_lock);
		old = netflow_table_rehash_step(&nc->table,
						NETFLOW_REHASH_BUDGET);
		local_unlock_nested_bh(&netflow_cpus->bh_lock);
		local_bh_enable();
		cond_resched();
	} while (!old);
	call->buckets = old;
	return 0;
}

int netflow_flow_reconfigure(void)
{
	u32 nbuckets = buckets_per_cpu();
	u32 active = READ_ONCE(netflow_cfg.active_timeout) * HZ;
	u32 inactive = READ_ONCE(netflow_cfg.inactive_timeout) * HZ;
	int cpu;

	cpus_read_lock();
	netflow_set_limits();
	cpus_read_unlock();
	for_each_possible_cpu(cpu) {
		struct netflow_cpu *nc = per_cpu_ptr(netflow_cpus, cpu);
		struct netflow_cpu_call call = { .nbuckets = nbuckets };
		bool shorter = active < nc->table.active ||
			       inactive < nc->table.inactive;

		WRITE_ONCE(nc->table.active, active);
		WRITE_ONCE(nc->table.inactive, inactive);
		/* flows slotted by a longer timeout must not wait it out */
		if (shorter && READ_ONCE(nc->table.count)) {
			cpus_read_lock();
			if (cpu_online(cpu))
				work_on_cpu(cpu, netflow_cpu_reslot, NULL);
			else
				netflow_table_reslot(&nc->table);
			cpus_read_unlock();
		}
		if (nc->table.mask + 1 == nbuckets)
			continue;
		call.buckets = kvcalloc(nbuckets, sizeof(struct hlist_head),
					GFP_KERNEL);
		if (!call.buckets)
			return -ENOMEM;
		cpus_read_lock();
		if (cpu_online(cpu)) {
			work_on_cpu(cpu, netflow_cpu_rehash, &call);
		} else {
			/* no packet path runs on an offline CPU */
			struct hlist_head *old = nc->table.buckets;

			netflow_table_rehash(&nc->table, call.buckets, nbuckets);
			call.buckets = old;
		}
		cpus_read_unlock();
		synchronize_rcu();
		kvfree(call.buckets);
	}
	return 0;
}

/* O(1) per CPU: chain statistics come from the table and its sweep. */
static void cpu_totals_add(int cpu, struct netflow_flow_totals *tot)
{
	struct netflow_cpu *nc = per_cpu_ptr(netflow_cpus, cpu);
	u32 longest = max(READ_ONCE(nc->table.longest),
			  READ_ONCE(nc->table.sweep_longest));

	tot->flows += READ_ONCE(nc->table.count);
	tot->objects += (u32)(READ_ONCE(nc->allocated) -
			      (u32)atomic_read(&nc->freed));
	tot->peak += READ_ONCE(nc->peak);
	tot->buckets += (u64)READ_ONCE(nc->table.mask) + 1;
	tot->used_buckets += READ_ONCE(nc->table.used_buckets);
	tot->longest_chain = max(tot->longest_chain, longest);
	tot->memory = tot->objects * netflow_flow_object_size() +
		      tot->buckets * sizeof(struct hlist_head);
}

void netflow_flow_totals(struct netflow_flow_totals *tot)
{
	int cpu;

	memset(tot, 0, sizeof(*tot));
	for_each_possible_cpu(cpu)
		cpu_totals_add(cpu, tot);
}

void netflow_flow_cpu_totals(int cpu, struct netflow_flow_totals *tot)
{
	memset(tot, 0, sizeof(*tot));
	cpu_totals_add(cpu, tot);
}

struct hlist_head *netflow_flow_bucket(int cpu, u32 bucket, u32 *nbuckets)
{
	struct netflow_cpu *nc = per_cpu_ptr(netflow_cpus, cpu);
	struct hlist_head *b;
	u32 mask;

	netflow_table_snapshot(&nc->table, &b, &mask);
	*nbuckets = mask + 1;
	return bucket <= mask ? &b[bucket] : NULL;
}

unsigned int netflow_flow_object_size(void)
{
	return kmem_cache_size(netflow_flow_cache);
}

/*
 * CPUHP_AP_ONLINE_DYN, on the CPU coming up (and on every online CPU at
 * load): start its worker and give every table its share of maxflows.
 */
static int netflow_cpu_online(unsigned int cpu)
{
	struct netflow_cpu *nc = per_cpu_ptr(netflow_cpus, cpu);

	if (!nc->up) {
		WRITE_ONCE(nc->up, true);
		netflow_cpus_up++;
	}
	netflow_set_limits();
	queue_delayed_work_on(cpu, netflow_wq, &nc->work, scan_interval());
	return 0;
}

/*
 * On the dying CPU (and on every CPU at unload): stop its worker, then
 * export its whole table and ready list now rather than when it returns.
 * Flows leave with end reason "forced" (those ended by FIN/RST keep
 * "end of flow"). The other CPUs take over its share of maxflows.
 */
static int netflow_cpu_down_prep(unsigned int cpu)
{
	struct netflow_cpu *nc = per_cpu_ptr(netflow_cpus, cpu);
	struct netflow_cpu_call dying = { .reason = NETFLOW_END_FORCED };

	WRITE_ONCE(nc->up, false);
	cancel_delayed_work_sync(&nc->work);
	netflow_cpu_drain(&dying);
	if (netflow_cpus_up)
		netflow_cpus_up--;
	netflow_set_limits();
	return 0;
}

/*
 * CPUHP_BP_PREPARE_DYN teardown, on a control CPU once the CPU is dead:
 * what its packet path added after down_prep (softirqs run until the
 * end) is exported too.
 */
static int netflow_cpu_dead(unsigned int cpu)
{
	netflow_cpu_drain_offline(cpu, NETFLOW_END_FORCED);
	netflow_export_flush();
	return 0;
}

int netflow_flow_init(void)
{
	u32 nbuckets = buckets_per_cpu();
	int cpu, rc = -ENOMEM;

	get_random_bytes(&netflow_hash_key, sizeof(netflow_hash_key));
	/* hashsize=0 means sized from RAM: show what that came to */
	if (!netflow_cfg.hashsize)
		netflow_cfg.hashsize = nbuckets * num_possible_cpus();
	netflow_flow_cache = KMEM_CACHE(netflow_flow, 0);
	netflow_flow_ext_cache = KMEM_CACHE(netflow_flow_ext, 0);
	netflow_flow_mpls_cache = KMEM_CACHE(netflow_flow_mpls, 0);
	if (!netflow_flow_cache || !netflow_flow_ext_cache ||
	    !netflow_flow_mpls_cache)
		goto err_cache;
	/* per-CPU: each worker expires its own CPU's table */
	netflow_wq = alloc_workqueue("netflow", WQ_PERCPU, 0);
	if (!netflow_wq)
		goto err_cache;
	netflow_cpus = alloc_percpu(struct netflow_cpu);
	if (!netflow_cpus)
		goto err_wq;
	for_each_possible_cpu(cpu) {
		struct netflow_cpu *nc = per_cpu_ptr(netflow_cpus, cpu);
		struct hlist_head *b;

		b = kvcalloc(nbuckets, sizeof(*b), GFP_KERNEL);
		if (!b)
			goto err_buckets;
		/* a wheel slot spans about a quarter second */
		netflow_table_init(&nc->table, b, nbuckets,
				   ilog2(roundup_pow_of_two(HZ / 4 ?: 1)),
				   (u32)jiffies);
		local_lock_init(&nc->bh_lock);
		INIT_LIST_HEAD(&nc->ready);
		INIT_DELAYED_WORK(&nc->work, netflow_cpu_work);
		nc->cpu = cpu;
	}
	netflow_stopping = false;
	netflow_cpus_up = 0;
	netflow_flow_reconfigure();
	rc = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "net/netflow:dead",
				       NULL, netflow_cpu_dead);
	if (rc < 0)
		goto err_buckets;
	netflow_hp_dead = rc;
	/* starts a worker on each online CPU now, and on each CPU onlined */
	rc = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "net/netflow:online",
			       netflow_cpu_online, netflow_cpu_down_prep);
	if (rc < 0)
		goto err_dead;
	netflow_hp_online = rc;
	return 0;

err_dead:
	cpuhp_remove_state_nocalls(netflow_hp_dead);
err_buckets:
	for_each_possible_cpu(cpu)
		kvfree(per_cpu_ptr(netflow_cpus, cpu)->table.buckets);
	free_percpu(netflow_cpus);
err_wq:
	destroy_workqueue(netflow_wq);
err_cache:
	kmem_cache_destroy(netflow_flow_mpls_cache);
	kmem_cache_destroy(netflow_flow_ext_cache);
	kmem_cache_destroy(netflow_flow_cache);
	return rc;
}

void netflow_flow_stop(void)
{
	struct netflow_cpu_call call = { .reason = NETFLOW_END_FORCED };
	int cpu;

	WRITE_ONCE(netflow_stopping, true);
	/* each online CPU stops its worker and exports its table itself */
	cpuhp_remove_state(netflow_hp_online);
	cpuhp_remove_state_nocalls(netflow_hp_dead);
	for_each_possible_cpu(cpu)
		cancel_delayed_work_sync(&per_cpu_ptr(netflow_cpus, cpu)->work);
	/* No packet path runs any more: drain every table from here. */
	for_each_possible_cpu(cpu) {
		struct netflow_cpu *nc = per_cpu_ptr(netflow_cpus, cpu);
		LIST_HEAD(out);

		list_splice_tail_init(&nc->ready, &out);
		netflow_table_drain(&nc->table, &out, call.reason);
		netflow_flows_export(&out);
	}
	netflow_export_flush();
}

void netflow_flow_exit(void)
{
	int cpu;

	/* the free batches wait for a grace period, then run on netflow_wq */
	rcu_barrier();
	destroy_workqueue(netflow_wq);
	for_each_possible_cpu(cpu)
		kvfree(per_cpu_ptr(netflow_cpus, cpu)->table.buckets);
	free_percpu(netflow_cpus);
	kmem_cache_destroy(netflow_flow_mpls_cache);
	kmem_cache_destroy(netflow_flow_ext_cache);
	kmem_cache_destroy(netflow_flow_cache);
}

