// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/stat/ipt_netflow (people), ipt_netflow_snmp (exporters, fixed
 * keys) and ipt_netflow_flows (live flows, read under RCU: the packet path
 * never waits for a reader).
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/jiffies.h>
#include <net/net_namespace.h>
#include "natevents.h"
#include "netflow.h"
#include "flow.h"
#include "export.h"
#include "compat.h"

static const char *protocol_text(unsigned int p)
{
	return p == 10 ? "IPFIX" : p == 9 ? "NetFlow v9" : "NetFlow v5";
}

/* average chain length of used buckets, x100 (100 = one probe) */
static u64 chain_metric(u64 flows, u64 used)
{
	return used ? div64_u64(flows * 100, used) : 100;
}

static int netflow_status_show(struct seq_file *m, void *v)
{
	struct netflow_export_totals ex;
	struct netflow_flow_totals ft;
	struct netflow_cpu_stats sum;
	u64 nat_start, nat_stop, nat_dropped;
	u64 metric;
	int cpu;

	netflow_stats_sum(&sum);
	netflow_flow_totals(&ft);
	netflow_export_totals(&ex);
	metric = chain_metric(ft.flows, ft.used_buckets);
	/*
	 * 2.6's feature tags, in its order, for scripts that look for them:
	 * ours are runtime switches, so every implemented feature is listed
	 */
	seq_printf(m, "ipt_NETFLOW (xt-netflow) version %s; aggr dir mac nel promisc+mpls samp-h snmp vlan\n",
		   NETFLOW_VERSION);
	seq_printf(m, "Protocol version %u (%s), refresh-rate %u, timeout-rate %u min, engine_id %u\n",
		   netflow_cfg.protocol, protocol_text(netflow_cfg.protocol),
		   netflow_cfg.refresh_rate, netflow_cfg.timeout_rate,
		   netflow_cfg.engine_id);
	seq_printf(m, "Timeouts: active %us, inactive %us. Maxflows %u\n",
		   netflow_cfg.active_timeout, netflow_cfg.inactive_timeout,
		   netflow_cfg.maxflows);
	if (netflow_cfg.sampler.mode)
		seq_printf(m, "Flow sampling mode %s one-out-of %u. Flows selected %llu, discarded %llu. Pkts selected %llu, discarded %llu.\n",
			   netflow_sampler_mode_name(netflow_cfg.sampler.mode),
			   netflow_cfg.sampler.interval, ex.samp_flows_sel,
			   ex.samp_flows - ex.samp_flows_sel, ex.samp_pkts_sel,
			   ex.samp_pkts - ex.samp_pkts_sel);
	else
		seq_puts(m, "Flow sampling is disabled.\n");
	seq_printf(m, "Promisc hack is %s (observed %llu packets, discarded %llu).\n",
		   READ_ONCE(netflow_cfg.promisc) ? "enabled" : "disabled",
		   sum.promisc_seen, sum.promisc_drop);
	netflow_natevents_counts(&nat_start, &nat_stop, &nat_dropped);
	seq_printf(m, "NAT events dropped %llu (queue full or no memory)\n",
		   nat_dropped);
	/* ipt_NETFLOW's line, just before "Flows:" */
	seq_printf(m, "Natevents %s, count start %llu, stop %llu.\n",
		   READ_ONCE(netflow_cfg.natevents) ? "enabled" : "disabled",
		   nat_start, nat_stop);
	/* objects: live, ended, waiting for export or free; <= maxflows */
	seq_printf(m, "Flows: active %llu (peak %llu), mem %lluK, flow object %u bytes; objects %llu, refused new flows %llu\n",
		   ft.flows, ft.peak, ft.memory >> 10,
		   netflow_flow_object_size(), ft.objects, sum.full);
	seq_printf(m, "Hash: size %llu (mem %lluK), metric %llu.%02llu, longest chain %u. InHash: %llu pkt, %llu bytes\n",
		   ft.buckets, (ft.buckets * sizeof(struct hlist_head)) >> 10,
		   metric / 100, metric % 100, ft.longest_chain,
		   sum.pkts - sum.drop_pkts - min(sum.pkts - sum.drop_pkts,
						   ex.pkts),
		   sum.bytes - sum.drop_bytes - min(sum.bytes - sum.drop_bytes,
						     ex.bytes));
	seq_printf(m, "Rate: %llu bits/sec, %llu packets/sec; Avg 1 min: %llu bps, %llu pps; 5 min: %llu bps, %llu pps\n",
		   ex.in_bps, ex.in_pps, ex.in_bps_1m, ex.in_pps_1m,
		   ex.in_bps_5m, ex.in_pps_5m);
	seq_puts(m, "cpu#     pps; <search found new, trunc frag alloc maxflows>, traffic: <pkt, bytes>, drop: <pkt, bytes>\n");
	seq_printf(m, "Total %6llu; %6llu %6llu, %4llu %4llu %4llu %4llu, traffic: %llu, %llu, drop: %llu, %llu\n",
		   ex.in_pps, sum.found, sum.created, sum.trunc, sum.frag,
		   sum.alloc_fail, sum.maxflows, sum.pkts, sum.bytes,
		   sum.drop_pkts, sum.drop_bytes);
	for_each_possible_cpu(cpu) {
		const struct netflow_cpu_stats *st =
			per_cpu_ptr(&netflow_stats, cpu);

		seq_printf(m, "cpu%-2d %6llu; %6llu %6llu, %4llu %4llu %4llu %4llu, traffic: %llu, %llu, drop: %llu, %llu\n",
			   cpu, netflow_export_cpu_pps(cpu),
			   READ_ONCE(st->found), READ_ONCE(st->created),
			   READ_ONCE(st->trunc), READ_ONCE(st->frag),
			   READ_ONCE(st->alloc_fail), READ_ONCE(st->maxflows),
			   READ_ONCE(st->pkts), READ_ONCE(st->bytes),
			   READ_ONCE(st->drop_pkts), READ_ONCE(st->drop_bytes));
	}
	seq_printf(m, "Export: Rate %llu bytes/s; Total %llu pkts, %llu bytes, %llu flows; Errors %llu pkts; Traffic lost %llu pkts, %llu bytes, %llu flows.\n",
		   ex.out_Bps, ex.pdus, ex.pdu_bytes, ex.flows, ex.errors,
		   ex.lost_pkts, ex.lost_bytes, ex.lost_flows);
	netflow_export_show_dests(m, false);
	/* 2.6: aggregation rules after the sockets, snmp-rules at the end */
	netflow_aggr_show_rules(m);
	netflow_snmp_show_rules(m);
	return 0;
}

static int netflow_snmp_show(struct seq_file *m, void *v)
{
	struct netflow_export_totals ex;
	struct netflow_flow_totals ft;
	struct netflow_cpu_stats sum;
	u64 in_flow_pkts, in_flow_bytes, metric;
	int cpu;

	netflow_stats_sum(&sum);
	netflow_flow_totals(&ft);
	netflow_export_totals(&ex);
	in_flow_pkts = sum.pkts - sum.drop_pkts;
	in_flow_bytes = sum.bytes - sum.drop_bytes;
	seq_printf(m, "inBitRate %llu\n", ex.in_bps);
	seq_printf(m, "inPacketRate %llu\n", ex.in_pps);
	seq_printf(m, "inFlows %llu\n", sum.created);
	seq_printf(m, "inPackets %llu\n", sum.pkts);
	seq_printf(m, "inBytes %llu\n", sum.bytes);
	metric = chain_metric(ft.flows, ft.used_buckets);
	/* a decimal like ipt_NETFLOW's: exporters parse it as a float */
	seq_printf(m, "hashMetric %llu.%02llu\n", metric / 100, metric % 100);
	seq_printf(m, "hashMemory %llu\n", ft.memory);
	seq_printf(m, "hashFlows %llu\n", ft.flows);
	seq_printf(m, "hashPackets %llu\n",
		   in_flow_pkts - min(in_flow_pkts, ex.pkts));
	seq_printf(m, "hashBytes %llu\n",
		   in_flow_bytes - min(in_flow_bytes, ex.bytes));
	seq_printf(m, "dropPackets %llu\n", sum.drop_pkts);
	seq_printf(m, "dropBytes %llu\n", sum.drop_bytes);
	seq_printf(m, "outByteRate %llu\n", ex.out_Bps);
	seq_printf(m, "outFlows %llu\n", ex.flows);
	seq_printf(m, "outPackets %llu\n", ex.pdus);
	seq_printf(m, "outBytes %llu\n", ex.pdu_bytes);
	seq_printf(m, "lostFlows %llu\n", ex.lost_flows);
	seq_printf(m, "lostPackets %llu\n", ex.lost_pkts);
	seq_printf(m, "lostBytes %llu\n", ex.lost_bytes);
	seq_printf(m, "errTotal %llu\n", ex.errors);
	for_each_possible_cpu(cpu) {
		const struct netflow_cpu_stats *st =
			per_cpu_ptr(&netflow_stats, cpu);
		struct netflow_flow_totals ct;

		netflow_flow_cpu_totals(cpu, &ct);
		metric = chain_metric(ct.flows, ct.used_buckets);
		/* flows: created on this CPU, so the cpuN lines sum to inFlows */
		seq_printf(m, "cpu%d %llu %llu %llu %llu %llu.%02llu %llu %llu %llu %llu %llu %llu\n",
			   cpu, netflow_export_cpu_pps(cpu),
			   READ_ONCE(st->created),
			   READ_ONCE(st->pkts), READ_ONCE(st->bytes),
			   metric / 100, metric % 100,
			   READ_ONCE(st->drop_pkts), READ_ONCE(st->drop_bytes),
			   READ_ONCE(st->trunc), READ_ONCE(st->frag),
			   READ_ONCE(st->alloc_fail), READ_ONCE(st->maxflows));
	}
	netflow_export_show_dests(m, true);
	seq_printf(m, "sndbufPeak %u\n", ex.sndbuf_peak);
	return 0;
}

/*
 * The flow dump walks every CPU's buckets under RCU: the packet path never
 * waits for it. One seq_file record is one non-empty bucket; the file
 * position encodes (cpu << 32 | bucket) + 1, so a read resumes in O(1).
 */
struct flows_iter {
	int cpu;
	u32 bucket;
};

/* Empty buckets passed before letting the scheduler in (huge tables). */
#define FLOWS_SCAN_BATCH	1024

static loff_t flows_pos(const struct flows_iter *it)
{
	return ((loff_t)it->cpu << 32 | it->bucket) + 1;
}

/* Move @it to the first non-empty bucket at or after it; false at the end. */
static bool flows_find(struct flows_iter *it)
	__must_hold(RCU)
{
	unsigned int scanned = 0;
	struct hlist_head *b;
	u32 n;

	for (; it->cpu < nr_cpu_ids; it->cpu++, it->bucket = 0) {
		if (!cpu_possible(it->cpu))
			continue;
		while ((b = netflow_flow_bucket(it->cpu, it->bucket, &n))) {
			if (!hlist_empty(b))
				return true;
			it->bucket++;
			if (++scanned % FLOWS_SCAN_BATCH == 0) {
				/* safe: no pointer is kept across this */
				rcu_read_unlock();
				cond_resched();
				rcu_read_lock();
			}
		}
	}
	return false;
}

static void *flows_start(struct seq_file *m, loff_t *pos)
	__acquires(RCU)
{
	struct flows_iter *it = m->private;

	rcu_read_lock();
	if (*pos == 0)
		return SEQ_START_TOKEN;
	it->cpu = (*pos - 1) >> 32;
	it->bucket = (u32)(*pos - 1);
	if (!flows_find(it))
		return NULL;
	*pos = flows_pos(it);
	return it;
}

static void *flows_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct flows_iter *it = m->private;

	if (v == SEQ_START_TOKEN) {
		it->cpu = 0;
		it->bucket = 0;
	} else {
		it->bucket++;
	}
	if (!flows_find(it)) {
		/* keep *pos moving even at the end, as seq_file expects */
		++*pos;
		return NULL;
	}
	*pos = flows_pos(it);
	return it;
}

static void flows_stop(struct seq_file *m, void *v)
	__releases(RCU)
{
	rcu_read_unlock();
}

static void flow_addr(struct seq_file *m, const struct netflow_key *k,
		      const union netflow_addr *a, __be16 port)
{
	if (k->family == 4)
		seq_printf(m, " %pI4,%u", &a->ip4, ntohs(port));
	else
		seq_printf(m, " %pI6c,%u", a->b, ntohs(port));
}

static int flows_show(struct seq_file *m, void *v)
{
	const struct flows_iter *it = v;
	struct netflow_record r;
	struct netflow_flow *f;
	struct hlist_head *b;
	u32 now = (u32)jiffies, n;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, "# hash a dev:i,o snmp:i,o mac:src,dst vlan type proto src:ip,port dst:ip,port nexthop tos,tcpflags,options,tcpoptions packets bytes ts:first,last\n");
		return 0;
	}
	b = netflow_flow_bucket(it->cpu, it->bucket, &n);
	if (!b)
		return 0;
	hlist_for_each_entry_rcu(f, b, hnode) {
		const struct netflow_key *k = &f->key;

		/* a: seconds since the last packet; ts: ms ago */
		/* snmp: the ifIndexes exported (snmp-rules applied) */
		netflow_flow_to_record(f, &r, 0, 0);
		seq_printf(m, "%08x %u %u,%u %u,%u %pM,%pM", f->hash,
			   jiffies_to_msecs(now - READ_ONCE(f->last)) / 1000,
			   k->ifindex_in, k->ifindex_out, r.ifindex_in,
			   r.ifindex_out, r.src_mac, r.dst_mac);
		/* as ipt_NETFLOW: whole TCIs, the column only when tagged */
		if (r.vlan[0] && r.vlan[1])
			seq_printf(m, " %u,%u", r.vlan[0], r.vlan[1]);
		else if (r.vlan[0])
			seq_printf(m, " %u", r.vlan[0]);
		seq_printf(m, " %04x %u", k->family == 4 ? 0x0800 : 0x86dd,
			   k->protocol);
		flow_addr(m, k, &k->src, k->sport);
		flow_addr(m, k, &k->dst, k->dport);
		seq_printf(m, " %s %u,%u,0,0 %llu %llu %u,%u\n",
			   k->family == 4 ? "0.0.0.0" : "::", k->tos,
			   READ_ONCE(f->tcp_flags), READ_ONCE(f->packets),
			   READ_ONCE(f->bytes),
			   jiffies_to_msecs(now - READ_ONCE(f->first)),
			   jiffies_to_msecs(now - READ_ONCE(f->last)));
	}
	return 0;
}

static const struct seq_operations netflow_flows_seq_ops = {
	.start = flows_start,
	.next = flows_next,
	.stop = flows_stop,
	.show = flows_show,
};

int netflow_procfs_init(void)
{
	struct proc_dir_entry *dir = init_net.proc_net_stat;

	if (!proc_create_single("ipt_netflow", 0444, dir, netflow_status_show))
		goto err;
	if (!proc_create_single("ipt_netflow_snmp", 0444, dir,
				netflow_snmp_show))
		goto err_status;
	if (!proc_create_seq_private("ipt_netflow_flows", 0400, dir,
				     &netflow_flows_seq_ops,
				     sizeof(struct flows_iter), NULL))
		goto err_snmp;
	return 0;

err_snmp:
	remove_proc_entry("ipt_netflow_snmp", dir);
err_status:
	remove_proc_entry("ipt_netflow", dir);
err:
	return -ENOMEM;
}

void netflow_procfs_exit(void)
{
	struct proc_dir_entry *dir = init_net.proc_net_stat;

	remove_proc_entry("ipt_netflow_flows", dir);
	remove_proc_entry("ipt_netflow_snmp", dir);
	remove_proc_entry("ipt_netflow", dir);
}
