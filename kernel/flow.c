// SPDX-License-Identifier: GPL-2.0
/*
 * Flow engine: per-CPU tables (table_core.c), the packet path that feeds
 * them, and per-CPU workers that expire flows into the exporter.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/workqueue.h>
#include <linux/rcupdate.h>
#include <linux/netfilter.h>
#include <linux/tcp.h>
#include <linux/cpu.h>
#include "netflow.h"
#include "flow.h"
#include "export.h"
#include "pkt.h"
#include "flowhash.h"
#include "l2_skb.h"

/* Scan each table about four times a second, or every scan_min jiffies. */
#define NETFLOW_SCAN_BUDGET	512
/* Old buckets a resize moves per BH-off section (about 1k flows). */
#define NETFLOW_REHASH_BUDGET	1024
/* Buckets a worker run looks at for the longest chain shown in /proc. */
#define NETFLOW_SWEEP_BUDGET	4096

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

DEFINE_PER_CPU(struct netflow_cpu_stats, netflow_stats);
static struct netflow_cpu __percpu *netflow_cpus;
static struct kmem_cache *netflow_flow_cache;
/* flows created while an optional per-flow field is on (snmp-rules) */
static struct kmem_cache *netflow_flow_ext_cache;
static struct kmem_cache *netflow_flow_mpls_cache;
static struct workqueue_struct *netflow_wq;
static struct netflow_hash_secret netflow_hash_key __read_mostly;
static bool netflow_stopping;
/* CPUs with a running worker, and the hotplug states that track them */
static unsigned int netflow_cpus_up;
static int netflow_hp_online = -1, netflow_hp_dead = -1;

/* One RCU grace period for a whole batch of exported flows. */
struct netflow_free_batch {
	struct rcu_work rwork;
	struct list_head flows;
};

/* Free flows, crediting each object back to the CPU that made it. */
static void netflow_flows_free(struct list_head *flows)
{
	struct netflow_flow *f, *n;
	int cpu = -1, run = 0;

	list_for_each_entry_safe(f, n, flows, wheel) {
		if (f->cpu != cpu) {
			if (run)
				atomic_add(run, &per_cpu_ptr(netflow_cpus, cpu)->freed);
			cpu = f->cpu;
			run = 0;
		}
		run++;
		if (unlikely(f->ext & NETFLOW_FLOW_EXT))
			kmem_cache_free(f->ext & NETFLOW_FLOW_MPLS ?
					netflow_flow_mpls_cache :
					netflow_flow_ext_cache,
					netflow_flow_ext(f));
		else
			kmem_cache_free(netflow_flow_cache, f);
	}
	if (run)
		atomic_add(run, &per_cpu_ptr(netflow_cpus, cpu)->freed);
	INIT_LIST_HEAD(flows);
}

static void netflow_free_batch_fn(struct work_struct *w)
{
	struct netflow_free_batch *b = container_of(to_rcu_work(w),
					struct netflow_free_batch, rwork);

	netflow_flows_free(&b->flows);
	kfree(b);
}

void netflow_flow_free_list(struct list_head *flows)
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

/*
 * Inlined into its callers: with mac, vlan and promisc off, l2 is NULL
 * there; m (the labels) is NULL unless promisc is on.
 */
static __always_inline struct netflow_flow *
flow_create(struct netflow_cpu *nc, struct netflow_cpu_stats *st,
	    const struct sk_buff *skb, const struct netflow_key *key, u32 hash,
	    u32 now, const struct netflow_pktinfo *info, unsigned int hook,
	    const struct net_device *in, const struct net_device *out,
	    u16 masks, const struct netflow_l2 *l2,
	    const struct netflow_mpls *m)
{
	struct netflow_table *t = &nc->table;
	struct netflow_flow_mpls *xm = NULL;
	struct netflow_flow_ext *x = NULL;
	struct netflow_flow *f;
	unsigned int room;

	/* every object counts: live, ended, evicted, exported until freed */
	room = netflow_table_room(t, nc->allocated -
				  (u32)atomic_read(&nc->freed));
	if (unlikely(room)) {
		if (room & NETFLOW_ROOM_EVICT) {
			/* the flow due soonest leaves early for the new one */
			f = netflow_table_evict(t);
			if (f) {
				list_add_tail(&f->wheel, &nc->ready);
				st->maxflows++;
				nc->ready_len++;
			}
		}
		/* export what waits before the reserve runs out */
		if (!nc->kicked &&
		    (nc->ready_len >= netflow_table_reserve(t->limit) / 2 ||
		     (room & NETFLOW_ROOM_REFUSE))) {
			nc->kicked = true;
			mod_delayed_work_on(nc->cpu, netflow_wq, &nc->work, 0);
		}
		if (room & NETFLOW_ROOM_REFUSE) {
			st->full++;
			return NULL;
		}
	}
	/* per new flow, not per packet; all off: two reads */
	if (unlikely(m && !netflow_mpls_zero(m))) {
		xm = kmem_cache_alloc(netflow_flow_mpls_cache,
				      GFP_ATOMIC | __GFP_NOWARN);
		x = xm ? &xm->x : NULL;
		f = x ? &x->base : NULL;
	} else if (unlikely(netflow_snmp_enabled() || masks ||
			    READ_ONCE(netflow_cfg.physdev) ||
			    (l2 && !netflow_l2_zero(l2)))) {
		x = kmem_cache_alloc(netflow_flow_ext_cache,
				     GFP_ATOMIC | __GFP_NOWARN);
		f = x ? &x->base : NULL;
	} else {
		f = kmem_cache_alloc(netflow_flow_cache,
				     GFP_ATOMIC | __GFP_NOWARN);
	}
	if (unlikely(!f)) {
		st->alloc_fail++;
		return NULL;
	}
	nc->allocated++;
	netflow_flow_fill(f, key, hash, now, info->flow_label,
			  (hook == NF_INET_LOCAL_OUT ||
			   hook == NF_INET_POST_ROUTING) ?
			  NETFLOW_DIR_EGRESS : NETFLOW_DIR_INGRESS);
	f->cpu = nc->cpu;
	if (unlikely(x)) {
		f->ext = NETFLOW_FLOW_EXT |
			 netflow_snmp_map_devs(in, out, &x->snmp_in,
					       &x->snmp_out);
		if (READ_ONCE(netflow_cfg.physdev)) {
			netflow_physdev_ports(skb, in, out, &x->phys_in,
					      &x->phys_out);
			f->ext |= NETFLOW_FLOW_PHYS;
		}
		if (masks) {
			x->src_mask = masks >> 8;
			x->dst_mask = masks & 0xff;
			f->ext |= NETFLOW_FLOW_AGGR;
		}
		if (l2 && !netflow_l2_zero(l2)) {
			x->l2 = *l2;
			f->ext |= NETFLOW_FLOW_L2;
		}
		if (xm) {
			xm->mpls = *m;
			f->ext |= NETFLOW_FLOW_MPLS;
		}
	}
	netflow_table_insert(t, f);
	st->created++;
	if (t->count > nc->peak)
		nc->peak = t->count;
	return f;
}

/*
 * A GSO packet from a tap/vhost-net (virtio_net_hdr_to_skb() marks it
 * SKB_GSO_DODGY) or from packet sockets comes with gso_segs 0: the
 * segments are the payload after the L3+L4 headers cut into gso_size
 * pieces, the count qdisc_pkt_len_init() derives the same way. This
 * division runs for such packets only; GRO and local TCP set gso_segs.
 * Other GSO types (tunnels, UFO fragments) stay one packet.
 */
static noinline u32 gso_segs_dodgy(const struct sk_buff *skb,
				   unsigned int len, unsigned int hdr_len)
{
	const struct skb_shared_info *sh = skb_shinfo(skb);

	if (!(sh->gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6 |
			      SKB_GSO_UDP_L4)) ||
	    !sh->gso_size || len <= hdr_len)
		return 1;
	return DIV_ROUND_UP(len - hdr_len, sh->gso_size);
}

/* A packet whose key is hashed: its flow @f, or a new one; counted. */
static __always_inline void flow_update(struct netflow_cpu *nc,
					struct netflow_cpu_stats *st,
					const struct sk_buff *skb,
					struct netflow_flow *f,
					const struct netflow_key *key,
					u32 hash,
					const struct netflow_pktinfo *info,
					unsigned int hook,
					const struct net_device *in,
					const struct net_device *out, u16 masks,
					const struct netflow_l2 *l2,
					const struct netflow_mpls *m,
					u32 segs, u64 bytes)
{
	u32 now = (u32)jiffies;

	if (likely(f)) {
		st->found++;
	} else {
		f = flow_create(nc, st, skb, key, hash, now, info, hook, in,
				out, masks, l2, m);
		if (unlikely(!f)) {
			st->drop_pkts += segs;
			st->drop_bytes += bytes;
			return;
		}
	}
	if (netflow_flow_add(f, segs, bytes, info->tcp_flags, now))
		netflow_table_end(&nc->table, f, now);
}

/*
 * mac, vlan or promisc on: the link layer is part of the key. A packet
 * without one (local, ppp, tun) hashes as with all off; one with MACs or
 * tags hashes them after the key's bytes, and a label stack after those.
 * Out of line, so that with all off the packet path is the same code as
 * without the feature; @mpls (promisc on) is a constant in each copy.
 */
static __always_inline void
flow_account_l2_body(struct netflow_cpu *nc, struct netflow_cpu_stats *st,
		     const struct sk_buff *skb, const struct netflow_key *key,
		     const void *hp, unsigned int hlen,
		     const struct netflow_pktinfo *info, unsigned int hook,
		     const struct net_device *in, const struct net_device *out,
		     u16 masks, u32 segs, u64 bytes, bool mpls)
{
	struct netflow_mpls labels;
	struct netflow_l2 l2;
	bool have_mpls = false;
	u64 x[4];
	u32 hash;

	netflow_l2_capture(skb, &l2);
	if (mpls) {
		netflow_mpls_capture(skb, &labels);
		have_mpls = !netflow_mpls_zero(&labels);
	}
	if (netflow_l2_zero(&l2) && !have_mpls) {
		hash = netflow_flow_hash(hp, hlen / 8, NULL, 0,
					 &netflow_hash_key);
	} else if (!have_mpls) {
		hash = netflow_flow_hash(hp, hlen / 8, (const u64 *)&l2, 2,
					 &netflow_hash_key);
	} else {
		memcpy(x, &l2, sizeof(l2));
		memcpy(x + 2, &labels, sizeof(labels));
		hash = netflow_flow_hash(hp, hlen / 8, x, 4,
					 &netflow_hash_key);
	}
	flow_update(nc, st, skb,
		    netflow_table_lookup_l2(&nc->table, key, &l2,
					    mpls ? &labels : NULL, hash),
		    key, hash, info, hook, in, out, masks, &l2,
		    mpls ? &labels : NULL, segs, bytes);
}

/* promisc off: the body without labels, after a patched-out jump */
static noinline void flow_account_l2(struct netflow_cpu *nc,
				     struct netflow_cpu_stats *st,
				     const struct sk_buff *skb,
				     const struct netflow_key *key,
				     const void *hp, unsigned int hlen,
				     const struct netflow_pktinfo *info,
				     unsigned int hook,
				     const struct net_device *in,
				     const struct net_device *out, u16 masks,
				     u32 segs, u64 bytes)
{
	if (static_branch_unlikely(&netflow_mpls_on))
		flow_account_l2_body(nc, st, skb, key, hp, hlen, info, hook,
				     in, out, masks, segs, bytes, true);
	else
		flow_account_l2_body(nc, st, skb, key, hp, hlen, info, hook,
				     in, out, masks, segs, bytes, false);
}

static void flow_account(struct sk_buff *skb, u8 family, unsigned int hook,
			 const struct net_device *in,
			 const struct net_device *out)
{
	struct netflow_cpu_stats *st = this_cpu_ptr(&netflow_stats);
	struct netflow_cpu *nc = this_cpu_ptr(netflow_cpus);
	unsigned int nhoff = skb_network_offset(skb);
	struct netflow_pkt pkt = {
		.skb = skb, .nhoff = nhoff, .len = skb->len - nhoff,
	};
	struct netflow_pktinfo info;
	struct netflow_hash_input hin;
	struct netflow_key key;
	u32 hash, segs = 1;
	unsigned int hlen;
	u16 masks = 0;
	const void *hp;
	u64 bytes;
	int rc;

	rc = netflow_key_parse(&pkt, family == NFPROTO_IPV6 ? 6 : 4, &key,
			       &info);
	if (unlikely(rc < 0)) {
		/* not even an IP header: counted, never read further */
		st->pkts++;
		st->bytes += pkt.len;
		st->trunc++;
		st->drop_pkts++;
		st->drop_bytes += pkt.len;
		return;
	}
	bytes = info.l3_bytes;
	if (skb_is_gso(skb)) {
		/* count what goes on the wire: every segment, its headers */
		segs = skb_shinfo(skb)->gso_segs;
		if (unlikely(!segs))
			segs = gso_segs_dodgy(skb, pkt.len, info.hdr_len);
		bytes = pkt.len + (u64)(segs - 1) * info.hdr_len;
	}
	if (unlikely(info.flags & (NETFLOW_PKT_TRUNC | NETFLOW_PKT_FRAG_LATER))) {
		st->trunc += !!(info.flags & NETFLOW_PKT_TRUNC);
		st->frag += !!(info.flags & NETFLOW_PKT_FRAG_LATER);
	}
	st->pkts += segs;
	st->bytes += bytes;

	key.ifindex_in = in ? in->ifindex : 0;
	key.ifindex_out = out ? out->ifindex : 0;
	/* no rules: a patched-out jump */
	if (static_branch_unlikely(&netflow_aggr_on))
		masks = netflow_aggr_key(&key);
	hp = netflow_key_hash_input(&key, &hin, &hlen);
	/* mac, vlan and promisc off: a patched-out jump */
	if (static_branch_unlikely(&netflow_l2_on)) {
		flow_account_l2(nc, st, skb, &key, hp, hlen, &info, hook, in,
				out, masks, segs, bytes);
		return;
	}
	hash = netflow_flow_hash(hp, hlen / 8, NULL, 0, &netflow_hash_key);
	flow_update(nc, st, skb, netflow_table_lookup(&nc->table, &key, hash),
		    &key, hash, &info, hook, in, out, masks, NULL, NULL, segs,
		    bytes);
}

void netflow_flow_account(struct sk_buff *skb, u8 family, unsigned int hook,
			  const struct net_device *in,
			  const struct net_device *out)
{
	local_lock_nested_bh(&netflow_cpus->bh_lock);
	flow_account(skb, family, hook, in, out);
	local_unlock_nested_bh(&netflow_cpus->bh_lock);
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
		netflow_export_flows(&out);
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
	netflow_export_flows(&out);
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
	netflow_export_flows(&out);
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
	struct netflow_cpu_call call = { .reason = NETFLOW_END_FORCED };

	WRITE_ONCE(nc->up, false);
	cancel_delayed_work_sync(&nc->work);
	netflow_cpu_drain(&call);
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
		netflow_export_flows(&out);
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
