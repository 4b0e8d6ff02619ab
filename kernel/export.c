// SPDX-License-Identifier: GPL-2.0
/*
 * Exporter: one mutex serialises the destinations (dest.c: encoders and
 * sockets); flows reach it in batches from the per-CPU workers, never
 * from the packet path. It owns the totals, the rates, the sampler and
 * the 1 s tick.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/jiffies.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>
#include <linux/netdevice.h>
#include <linux/random.h>
#include <net/net_namespace.h>
#include "netflow.h"
#include "table_core.h"
#include "export.h"
#include "natevents.h"

struct netflow_exporter {
	struct mutex lock;
	struct netflow_dest *dests;
	unsigned int ndests;
	bool can_ipv6;
	struct delayed_work tick;
	u64 flows, pkts, bytes;
	u64 *cpu_last, *cpu_pps;	/* per-CPU packets: last sample, rate */
	struct netflow_dest_shared shared;	/* losses, ifindexes seen */
	/* rates, updated by the tick */
	u64 last_pkts, last_bytes, last_out;
	u64 in_pps, in_bps, out_Bps;
	u64 pps_1m, bps_1m, pps_5m, bps_5m;	/* fixed point << 10 */
	/*
	 * Flow sampling, decided here as flows leave the tables: the packet
	 * path pays nothing, and one countdown under this lock keeps
	 * deterministic mode exactly 1 in N over all CPUs.
	 */
	u32 samp_countdown;
	u64 samp_flows, samp_flows_sel, samp_pkts, samp_pkts_sel;
	u64 samp_start_ms;		/* wall clock when the sampler was set */
};

static struct netflow_exporter exp;

static void export_clock(struct netflow_clock *c, u64 *now_jiffies)
{
	struct timespec64 ts;

	*now_jiffies = get_jiffies_64();
	ktime_get_real_ts64(&ts);
	c->uptime_ms = jiffies64_to_msecs(*now_jiffies - INITIAL_JIFFIES);
	c->unix_ms = (u64)ts.tv_sec * MSEC_PER_SEC + ts.tv_nsec / NSEC_PER_MSEC;
	c->unix_nsecs = ts.tv_nsec;
}

/* Flow ticks are the low 32 bits of jiffies: place them on the uptime. */
static u64 tick_to_ms(u32 tick, u64 now_jiffies, u64 uptime_ms)
{
	u32 ago = (u32)now_jiffies - tick;

	return uptime_ms - min_t(u64, jiffies_to_msecs(ago), uptime_ms);
}

/* Queued NAT events, after the flow records already in the PDUs. */
static void export_nat_locked(const struct netflow_clock *c)
{
	struct netflow_nat_queued *q;
	LIST_HEAD(events);
	unsigned int i, n = 0;

	netflow_natevents_take(&events);
	list_for_each_entry(q, &events, list) {
		if (!(++n & 255))
			cond_resched();
		for (i = 0; i < exp.ndests; i++)
			netflow_dest_add_nat(&exp.dests[i], &q->ev, c);
	}
	netflow_natevents_free(&events);
}

/* A new ifindex: every destination that takes options names it soon. */
static void note_ifindex(u32 ifindex)
{
	unsigned int i;

	if (!ifindex || ifindex >= NETFLOW_IF_TRACKED ||
	    test_bit(ifindex, exp.shared.if_seen))
		return;
	__set_bit(ifindex, exp.shared.if_seen);
	for (i = 0; i < exp.ndests; i++)
		if (netflow_dest_has_options(&exp.dests[i]))
			__set_bit(ifindex, exp.dests[i].if_pending);
}

/* true: export @f; false: sampled out, counted as discarded */
static bool sample_flow(const struct netflow_flow *f, u64 packets)
{
	const struct netflow_sampler *s = &netflow_cfg.sampler;
	bool keep;

	switch (s->mode) {
	case NETFLOW_SAMPLER_DETERMINISTIC:
		keep = !--exp.samp_countdown;
		if (keep)
			exp.samp_countdown = s->interval;
		break;
	case NETFLOW_SAMPLER_RANDOM:
		keep = !get_random_u32_below(s->interval);
		break;
	default:
		/*
		 * hash: the keyed hash of the key picks 1 in N; the same
		 * flow metered on several CPUs is kept or dropped on all
		 */
		keep = !reciprocal_scale(f->hash, s->interval);
	}
	exp.samp_flows++;
	exp.samp_pkts += packets;
	if (keep) {
		exp.samp_flows_sel++;
		exp.samp_pkts_sel += packets;
	}
	return keep;
}

void netflow_export_flows(struct list_head *flows)
{
	struct netflow_record r;
	struct netflow_clock c;
	struct netflow_flow *f;
	unsigned int i, n = 0;
	u64 now_jiffies;

	if (list_empty(flows))
		return;
	mutex_lock(&exp.lock);
	export_clock(&c, &now_jiffies);
	list_for_each_entry(f, flows, wheel) {
		/* a flush of a big table is one long list: stay preemptible */
		if (!(++n & 255))
			cond_resched();
		netflow_flow_to_record(f, &r,
				tick_to_ms(f->first, now_jiffies, c.uptime_ms),
				tick_to_ms(f->last, now_jiffies, c.uptime_ms));
		exp.flows++;
		exp.pkts += r.packets;
		exp.bytes += r.bytes;
		/* names by the device's own ifindex, snmp-rules or not */
		note_ifindex(f->key.ifindex_in);
		note_ifindex(f->key.ifindex_out);
		if (unlikely(netflow_cfg.sampler.mode) &&
		    !sample_flow(f, r.packets))
			continue;
		for (i = 0; i < exp.ndests; i++)
			netflow_dest_add(&exp.dests[i], &r, &c);
	}
	mutex_unlock(&exp.lock);
}

static void flush_locked(void)
{
	struct netflow_clock c;
	u64 now_jiffies;
	unsigned int i;

	export_clock(&c, &now_jiffies);
	for (i = 0; i < exp.ndests; i++)
		netflow_dest_send(&exp.dests[i], &c);
}

void netflow_export_flush(void)
{
	mutex_lock(&exp.lock);
	flush_locked();
	mutex_unlock(&exp.lock);
}

bool netflow_export_can_ipv6(void)
{
	return READ_ONCE(exp.can_ipv6);
}

static void update_can_ipv6(void)
{
	bool v6 = false;
	unsigned int i;

	for (i = 0; i < exp.ndests; i++)
		v6 |= exp.dests[i].protocol != 5;
	WRITE_ONCE(exp.can_ipv6, v6);
}

int netflow_export_set_destination(const char *text)
{
	struct netflow_dest *dests, *old;
	unsigned int old_n, i;
	int n;

	n = netflow_dests_build(text, &exp.shared, &dests);
	if (n < 0)
		return n;
	mutex_lock(&exp.lock);
	flush_locked();
	old = exp.dests;
	old_n = exp.ndests;
	exp.dests = dests;
	exp.ndests = n;
	for (i = 0; i < exp.ndests; i++)
		netflow_dest_options_reset(&exp.dests[i]);
	update_can_ipv6();
	mutex_unlock(&exp.lock);
	netflow_dests_free(old, old_n);
	return 0;
}

int netflow_export_set_protocol(unsigned int protocol)
{
	struct netflow_enc_cfg cfg;
	unsigned int i;

	mutex_lock(&exp.lock);
	flush_locked();
	WRITE_ONCE(netflow_cfg.protocol, protocol);
	for (i = 0; i < exp.ndests; i++) {
		struct netflow_dest *d = &exp.dests[i];

		if (d->spec.protocol)
			continue;
		d->protocol = protocol;
		netflow_dest_enc_cfg(d, &cfg);
		/* a new stream: the sequence and templates start again */
		netflow_enc_init(&d->enc, &cfg);
		netflow_dest_options_reset(d);
	}
	update_can_ipv6();
	mutex_unlock(&exp.lock);
	return 0;
}

static void samp_zero(void)
{
	exp.samp_countdown = 1;	/* the first flow, then every Nth */
	exp.samp_flows = 0;
	exp.samp_flows_sel = 0;
	exp.samp_pkts = 0;
	exp.samp_pkts_sel = 0;
	exp.samp_start_ms = ktime_to_ms(ktime_get_real());
}

void netflow_export_set_sampler(const struct netflow_sampler *s)
{
	unsigned int i;

	mutex_lock(&exp.lock);
	flush_locked();
	netflow_cfg.sampler = *s;
	samp_zero();
	for (i = 0; i < exp.ndests; i++) {
		struct netflow_dest *d = &exp.dests[i];

		netflow_enc_set_sampler(&d->enc, s->mode, s->interval);
		d->opt_sampler_due = true;
	}
	mutex_unlock(&exp.lock);
}

void netflow_export_set_physdev(bool on)
{
	unsigned int i;

	mutex_lock(&exp.lock);
	flush_locked();
	for (i = 0; i < exp.ndests; i++)
		netflow_enc_set_physdev(&exp.dests[i].enc, on);
	mutex_unlock(&exp.lock);
}

void netflow_export_set_aggr(bool on)
{
	unsigned int i;

	mutex_lock(&exp.lock);
	flush_locked();
	for (i = 0; i < exp.ndests; i++)
		netflow_enc_set_aggr(&exp.dests[i].enc, on);
	mutex_unlock(&exp.lock);
}

void netflow_export_set_l2(unsigned int groups)
{
	unsigned int i;

	mutex_lock(&exp.lock);
	flush_locked();
	WRITE_ONCE(netflow_cfg.mac, !!(groups & NETFLOW_L2_MAC));
	WRITE_ONCE(netflow_cfg.vlan, !!(groups & NETFLOW_L2_VLAN));
	WRITE_ONCE(netflow_cfg.l2, groups);
	for (i = 0; i < exp.ndests; i++)
		netflow_enc_set_l2(&exp.dests[i].enc, groups);
	mutex_unlock(&exp.lock);
	netflow_l2_update();
}

void netflow_export_set_template_rates(void)
{
	unsigned int i;

	mutex_lock(&exp.lock);
	for (i = 0; i < exp.ndests; i++) {
		struct netflow_dest *d = &exp.dests[i];

		d->enc.cfg.refresh_rate = netflow_cfg.refresh_rate;
		d->enc.cfg.timeout_rate_ms =
			netflow_cfg.timeout_rate * 60 * MSEC_PER_SEC;
		netflow_enc_force_templates(&d->enc);
	}
	mutex_unlock(&exp.lock);
}

void netflow_export_zero(void)
{
	unsigned int i;

	mutex_lock(&exp.lock);
	exp.flows = 0;
	exp.pkts = 0;
	exp.bytes = 0;
	exp.shared.lost_flows = 0;
	exp.shared.lost_pkts = 0;
	exp.shared.lost_bytes = 0;
	exp.shared.errors = 0;
	for (i = 0; i < exp.ndests; i++)
		netflow_dest_zero(&exp.dests[i]);
	mutex_unlock(&exp.lock);
}

/* EWMA in fixed point (<< 10): avg += (sample - avg) / 2^shift */
static u64 ewma(u64 avg, u64 sample, unsigned int shift)
{
	s64 d = (s64)(sample << 10) - (s64)avg;

	return avg + (d >> shift);
}

static void netflow_export_tick(struct work_struct *w)
{
	struct netflow_sampler_stats ss;
	struct netflow_cpu_stats sum;
	struct netflow_clock c;
	u64 out = 0, now_jiffies;
	unsigned int i;
	int cpu;

	netflow_stats_sum(&sum);
	mutex_lock(&exp.lock);
	for_each_possible_cpu(cpu) {
		u64 p = READ_ONCE(per_cpu_ptr(&netflow_stats, cpu)->pkts);

		exp.cpu_pps[cpu] = p - min(p, exp.cpu_last[cpu]);
		exp.cpu_last[cpu] = p;
	}
	export_clock(&c, &now_jiffies);
	export_nat_locked(&c);
	ss.flows = exp.samp_flows;
	ss.flows_selected = exp.samp_flows_sel;
	ss.packets = exp.samp_pkts;
	ss.packets_selected = exp.samp_pkts_sel;
	ss.start_unix_ms = exp.samp_start_ms;
	for (i = 0; i < exp.ndests; i++)
		netflow_dest_options(&exp.dests[i], &c, sum.drop_pkts, &ss);
	/* the promise: a partly filled PDU leaves within a second */
	flush_locked();
	for (i = 0; i < exp.ndests; i++)
		out += exp.dests[i].sock.st.bytes;
	exp.in_pps = sum.pkts - min(sum.pkts, exp.last_pkts);
	exp.in_bps = (sum.bytes - min(sum.bytes, exp.last_bytes)) * 8;
	exp.out_Bps = out - min(out, exp.last_out);
	exp.last_pkts = sum.pkts;
	exp.last_bytes = sum.bytes;
	exp.last_out = out;
	/* 1/64 and 1/256 per second: time constants of about 1 and 5 min */
	exp.pps_1m = ewma(exp.pps_1m, exp.in_pps, 6);
	exp.bps_1m = ewma(exp.bps_1m, exp.in_bps, 6);
	exp.pps_5m = ewma(exp.pps_5m, exp.in_pps, 8);
	exp.bps_5m = ewma(exp.bps_5m, exp.in_bps, 8);
	mutex_unlock(&exp.lock);
	queue_delayed_work(system_percpu_wq, &exp.tick, HZ);
}

void netflow_export_totals(struct netflow_export_totals *t)
{
	unsigned int i;

	memset(t, 0, sizeof(*t));
	mutex_lock(&exp.lock);
	t->flows = exp.flows;
	t->pkts = exp.pkts;
	t->bytes = exp.bytes;
	t->lost_flows = exp.shared.lost_flows;
	t->lost_pkts = exp.shared.lost_pkts;
	t->lost_bytes = exp.shared.lost_bytes;
	t->errors = exp.shared.errors;
	t->in_pps = exp.in_pps;
	t->in_bps = exp.in_bps;
	t->out_Bps = exp.out_Bps;
	t->in_pps_1m = exp.pps_1m >> 10;
	t->in_bps_1m = exp.bps_1m >> 10;
	t->in_pps_5m = exp.pps_5m >> 10;
	t->in_bps_5m = exp.bps_5m >> 10;
	t->samp_flows = exp.samp_flows;
	t->samp_flows_sel = exp.samp_flows_sel;
	t->samp_pkts = exp.samp_pkts;
	t->samp_pkts_sel = exp.samp_pkts_sel;
	for (i = 0; i < exp.ndests; i++) {
		const struct netflow_sock_stats *s = &exp.dests[i].sock.st;

		t->pdus += s->pdus;
		t->pdu_bytes += s->bytes;
		t->sndbuf_peak = max(t->sndbuf_peak, s->wmem_peak);
	}
	mutex_unlock(&exp.lock);
}

u64 netflow_export_cpu_pps(int cpu)
{
	return READ_ONCE(exp.cpu_pps[cpu]);
}

void netflow_export_show_dests(struct seq_file *m, bool snmp)
{
	unsigned int i;

	mutex_lock(&exp.lock);
	for (i = 0; i < exp.ndests; i++)
		netflow_dest_show(m, &exp.dests[i], i, snmp);
	mutex_unlock(&exp.lock);
}

int netflow_export_init(void)
{
	unsigned int i;
	int n;

	mutex_init(&exp.lock);
	samp_zero();
	exp.cpu_last = kcalloc(nr_cpu_ids, sizeof(u64), GFP_KERNEL);
	exp.cpu_pps = kcalloc(nr_cpu_ids, sizeof(u64), GFP_KERNEL);
	if (!exp.cpu_last || !exp.cpu_pps) {
		n = -ENOMEM;
		goto err;
	}
	n = netflow_dests_build(netflow_cfg.destination, &exp.shared,
				&exp.dests);
	if (n < 0)
		goto err;
	exp.ndests = n;
	for (i = 0; i < exp.ndests; i++)
		netflow_dest_options_reset(&exp.dests[i]);
	update_can_ipv6();
	INIT_DELAYED_WORK(&exp.tick, netflow_export_tick);
	queue_delayed_work(system_percpu_wq, &exp.tick, HZ);
	return 0;

err:
	kfree(exp.cpu_last);
	kfree(exp.cpu_pps);
	return n;
}

void netflow_export_exit(void)
{
	struct netflow_clock c;
	u64 now_jiffies;

	cancel_delayed_work_sync(&exp.tick);
	mutex_lock(&exp.lock);
	export_clock(&c, &now_jiffies);
	export_nat_locked(&c);
	flush_locked();
	mutex_unlock(&exp.lock);
	netflow_dests_free(exp.dests, exp.ndests);
	exp.dests = NULL;
	exp.ndests = 0;
	kfree(exp.cpu_last);
	kfree(exp.cpu_pps);
}
