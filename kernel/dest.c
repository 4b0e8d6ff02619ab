// SPDX-License-Identifier: GPL-2.0
/*
 * One export destination: its socket, its encoder and the PDU being
 * filled, what it sent and lost, and its options records. The exporter
 * (export.c) holds its lock around every call here.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/netdevice.h>
#include <net/net_namespace.h>
#include "netflow.h"
#include "dest.h"

static void dest_lost(struct netflow_dest *d, u64 flows, u64 pkts, u64 bytes)
{
	char name[80];

	d->lost_flows += flows;
	d->lost_pkts += pkts;
	d->lost_bytes += bytes;
	d->shared->lost_flows += flows;
	d->shared->lost_pkts += pkts;
	d->shared->lost_bytes += bytes;
	d->shared->errors++;
	netflow_dest_format(&d->spec, name, sizeof(name));
	pr_warn_ratelimited("export to %s failed: %d (counted as lost)\n",
			    name, d->sock.st.last_err);
}

void netflow_dest_send(struct netflow_dest *d, const struct netflow_clock *c)
{
	const u8 *pdu;
	unsigned int len = netflow_enc_finish(&d->enc, c, &pdu);

	if (!len)
		return;
	/*
	 * An ICMP unreachable for an earlier datagram is reported on the
	 * next send: take it first, so this PDU is not lost to it, and count
	 * the datagram sent before as the lost one.
	 */
	if (netflow_socket_take_error(&d->sock)) {
		/*
		 * The lost datagram may have carried templates: this PDU is
		 * sealed already, so the next one carries them all again.
		 */
		netflow_enc_force_templates(&d->enc);
		dest_lost(d, d->prev_flows, d->prev_pkts, d->prev_bytes);
		d->flows -= min(d->flows, d->prev_flows);
		d->prev_flows = 0;
		d->prev_pkts = 0;
		d->prev_bytes = 0;
	}
	if (netflow_socket_send(&d->sock, pdu, len)) {
		/* its templates never left: the next PDU carries them */
		netflow_enc_force_templates(&d->enc);
		dest_lost(d, d->pdu_flows, d->pdu_pkts, d->pdu_bytes);
		d->prev_flows = 0;
		d->prev_pkts = 0;
		d->prev_bytes = 0;
	} else {
		d->flows += d->pdu_flows;
		d->prev_flows = d->pdu_flows;
		d->prev_pkts = d->pdu_pkts;
		d->prev_bytes = d->pdu_bytes;
	}
	d->pdu_flows = 0;
	d->pdu_pkts = 0;
	d->pdu_bytes = 0;
}

/*
 * The sampler options record; a full PDU is sent first if may_send,
 * else -ENOSPC (the tick's budget is spent).
 */
static int dest_sampler_record(struct netflow_dest *d,
			       const struct netflow_clock *c, bool may_send)
{
	int err = netflow_enc_add_sampler(&d->enc, c);

	if (err == -ENOSPC && may_send) {
		netflow_dest_send(d, c);
		err = netflow_enc_add_sampler(&d->enc, c);
	}
	if (err)
		return err;
	d->opt_records++;
	d->opt_sampler_due = false;
	return 0;
}

void netflow_dest_add(struct netflow_dest *d, const struct netflow_record *r,
		      const struct netflow_clock *c)
{
	int err;

	/*
	 * A collector learns the sampling rate from the sampler record and
	 * applies it to the records that follow: on a new stream it goes
	 * before the first flow, not at the next tick.
	 */
	if (unlikely(d->opt_sampler_due) && d->enc.cfg.sampler_mode &&
	    netflow_dest_has_options(d))
		WARN_ON_ONCE(dest_sampler_record(d, c, true));
	err = netflow_enc_add(&d->enc, r, c);
	if (err == -ENOSPC) {
		netflow_dest_send(d, c);
		err = netflow_enc_add(&d->enc, r, c);
	}
	if (err == -EAFNOSUPPORT) {
		d->skipped_v6++;
		return;
	}
	if (WARN_ON_ONCE(err))
		return;
	d->pdu_flows++;
	d->pdu_pkts += r->packets;
	d->pdu_bytes += r->bytes;
}

/* NAT event records count as flows of the PDU: lost with it if it is. */
void netflow_dest_add_nat(struct netflow_dest *d,
			  const struct netflow_nat_event *ev,
			  const struct netflow_clock *c)
{
	int err = netflow_enc_add_nat(&d->enc, ev, c);

	if (err == -ENOSPC) {
		netflow_dest_send(d, c);
		err = netflow_enc_add_nat(&d->enc, ev, c);
	}
	if (err == -EAFNOSUPPORT) {
		d->skipped_v6++;
		return;
	}
	if (WARN_ON_ONCE(err))
		return;
	d->pdu_flows++;
	d->nat_records++;
}

bool netflow_dest_has_options(const struct netflow_dest *d)
{
	return d->protocol == 9 || d->protocol == 10;
}

/* A new stream (destination or protocol): statistics and every name. */
void netflow_dest_options_reset(struct netflow_dest *d)
{
	d->opt_stats_due = true;
	d->opt_sampler_due = true;
	bitmap_copy(d->if_pending, d->shared->if_seen, NETFLOW_IF_TRACKED);
}

/*
 * Statistics ride the template rhythm (every refresh-rate PDUs or
 * timeout-rate minutes) but at most once a tick; each statistics record
 * re-announces every interface name, as templates are re-announced.
 */
static bool dest_stats_due(const struct netflow_dest *d,
			   const struct netflow_clock *c)
{
	u32 rate = d->enc.cfg.refresh_rate;
	u32 tmo = d->enc.cfg.timeout_rate_ms;

	return d->opt_stats_due || (rate && d->enc.pdus - d->opt_pdu >= rate) ||
	       (tmo && c->uptime_ms - d->opt_ms >= tmo);
}

static void dest_stats(struct netflow_dest *d, struct netflow_exporter_stats *s,
		       u64 ignored)
{
	s->exported_messages = d->sock.st.pdus;
	s->exported_octets = d->sock.st.bytes;
	s->exported_flows = d->flows;
	s->ignored_packets = ignored;
	s->notsent_flows = d->lost_flows;
	s->notsent_packets = d->lost_pkts;
	s->notsent_octets = d->lost_bytes;
}

/* false when the name is gone: the ifindex is forgotten until seen again */
static bool ifindex_name(u32 ifindex, char *name)
{
	struct net_device *dev;

	/* flows carry no namespace: names are those of the initial one */
	rcu_read_lock();
	dev = dev_get_by_index_rcu(&init_net, ifindex);
	if (dev)
		strscpy(name, dev->name, IFNAMSIZ);
	rcu_read_unlock();
	return dev;
}

/*
 * Queue this tick's options records in the PDU being filled; the tick's
 * flush sends it. A full PDU is sent at most NETFLOW_OPT_PDUS_PER_TICK
 * times, and what did not fit waits for the next tick: pacing without a
 * timer of its own.
 */
void netflow_dest_options(struct netflow_dest *d, const struct netflow_clock *c,
			  u64 ignored, const struct netflow_sampler_stats *ss)
{
	unsigned int budget = NETFLOW_OPT_PDUS_PER_TICK;
	struct netflow_exporter_stats s;
	char name[IFNAMSIZ];
	unsigned long i;
	u32 idx;
	int err;

	if (!netflow_dest_has_options(d))
		return;
	if (dest_stats_due(d, c)) {
		dest_stats(d, &s, ignored);
		err = netflow_enc_add_stats(&d->enc, &s, c);
		if (err == -ENOSPC) {
			netflow_dest_send(d, c);
			budget--;
			err = netflow_enc_add_stats(&d->enc, &s, c);
		}
		if (WARN_ON_ONCE(err))
			return;
		d->opt_records++;
		d->opt_stats_due = false;
		d->opt_pdu = d->enc.pdus;
		d->opt_ms = c->uptime_ms;
		bitmap_or(d->if_pending, d->if_pending, d->shared->if_seen,
			  NETFLOW_IF_TRACKED);
		d->opt_sampler_due = true;
		if (d->enc.cfg.sampler_mode && d->enc.cfg.protocol == 10) {
			err = netflow_enc_add_sampler_stats(&d->enc, ss, c);
			if (err == -ENOSPC) {
				if (!budget--)
					return;
				netflow_dest_send(d, c);
				err = netflow_enc_add_sampler_stats(&d->enc,
								    ss, c);
			}
			if (WARN_ON_ONCE(err))
				return;
			d->opt_records++;
		}
	}
	/* on a change, and with every statistics record (template rhythm) */
	if (d->opt_sampler_due && d->enc.cfg.sampler_mode) {
		u32 pdus = d->enc.pdus;

		err = dest_sampler_record(d, c, budget);
		if (err == -ENOSPC)
			return;
		if (WARN_ON_ONCE(err))
			return;
		budget -= d->enc.pdus != pdus;
	}
	d->opt_sampler_due = false;
	for_each_set_bit(i, d->if_pending, NETFLOW_IF_TRACKED) {
		if (!ifindex_name(i, name)) {
			__clear_bit(i, d->shared->if_seen);
			__clear_bit(i, d->if_pending);
			continue;
		}
		/* the ifIndex the flows carry: translated by snmp-rules */
		idx = netflow_snmp_ifindex(name, i);
		err = netflow_enc_add_ifname(&d->enc, idx, name, c);
		if (err == -ENOSPC) {
			if (!budget--)
				return;
			netflow_dest_send(d, c);
			err = netflow_enc_add_ifname(&d->enc, idx, name, c);
		}
		if (WARN_ON_ONCE(err))
			return;
		d->opt_records++;
		__clear_bit(i, d->if_pending);
	}
}

void netflow_dest_enc_cfg(const struct netflow_dest *d,
			  struct netflow_enc_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->protocol = d->protocol;
	cfg->engine_id = netflow_cfg.engine_id;
	cfg->refresh_rate = netflow_cfg.refresh_rate;
	cfg->timeout_rate_ms = netflow_cfg.timeout_rate * 60 * MSEC_PER_SEC;
	cfg->mtu = NETFLOW_MTU_DEFAULT;
	cfg->sampler_mode = netflow_cfg.sampler.mode;
	cfg->sampler_interval = netflow_cfg.sampler.interval;
	cfg->physdev = READ_ONCE(netflow_cfg.physdev);
	cfg->aggr = READ_ONCE(netflow_cfg.aggr);
	cfg->l2 = READ_ONCE(netflow_cfg.l2);
}

void netflow_dests_free(struct netflow_dest *dests, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		netflow_socket_close(&dests[i].sock);
	kvfree(dests);
}

/* Parse and open new destinations; nothing changes on failure. */
int netflow_dests_build(const char *text, struct netflow_dest_shared *shared,
			struct netflow_dest **out)
{
	struct netflow_dest_spec specs[NETFLOW_DEST_MAX];
	struct netflow_dest *dests;
	struct netflow_enc_cfg cfg;
	int n, i, err;

	n = netflow_params_parse_destination(text, specs, "destination");
	if (n < 0)
		return n;
	dests = kvcalloc(n, sizeof(*dests), GFP_KERNEL);
	if (!dests)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct netflow_dest *d = &dests[i];

		d->spec = specs[i];
		d->shared = shared;
		d->protocol = specs[i].protocol ?: netflow_cfg.protocol;
		err = netflow_socket_open(&d->sock, &d->spec,
					  netflow_cfg.sndbuf);
		if (err) {
			netflow_dests_free(dests, i);
			return err;
		}
		netflow_dest_enc_cfg(d, &cfg);
		netflow_enc_init(&d->enc, &cfg);
	}
	*out = dests;
	return n;
}

static const char *protocol_name(u8 p)
{
	return p == 10 ? "ipfix" : p == 9 ? "v9" : "v5";
}

/* One /proc line: "human" (stat) or "snmp" (snmp) layout. */
void netflow_dest_show(struct seq_file *m, const struct netflow_dest *d,
		       unsigned int i, bool snmp)
{
	const struct netflow_sock_stats *s = &d->sock.st;
	char name[80];

	netflow_dest_format(&d->spec, name, sizeof(name));
	if (snmp) {
		seq_printf(m, "sock%u %s %d %llu %llu %llu %llu %d %u %u\n",
			   i, name, d->sock.connected,
			   s->err_connect, s->err_full, s->err_cberr,
			   s->err_other, netflow_socket_sndbuf(&d->sock),
			   netflow_socket_wmem(&d->sock), s->wmem_peak);
		return;
	}
	seq_printf(m, "sock%u: %s %s, sndbuf %d, filled %u, peak %u; sent %llu pkts, %llu bytes, %llu flows; err: sndbuf full %llu, connect %llu, ICMP unreachable %llu, other %llu; lost %llu flows, %llu pkts, %llu bytes; ipv6 skipped %llu; options %llu; nat %llu\n",
		   i, name, protocol_name(d->protocol),
		   netflow_socket_sndbuf(&d->sock),
		   netflow_socket_wmem(&d->sock), s->wmem_peak,
		   s->pdus, s->bytes, d->flows, s->err_full,
		   s->err_connect, s->err_cberr, s->err_other,
		   d->lost_flows, d->lost_pkts, d->lost_bytes,
		   d->skipped_v6, d->opt_records, d->nat_records);
}

void netflow_dest_zero(struct netflow_dest *d)
{
	memset(&d->sock.st, 0, sizeof(d->sock.st));
	d->flows = 0;
	d->lost_flows = 0;
	d->lost_pkts = 0;
	d->lost_bytes = 0;
	d->skipped_v6 = 0;
	d->opt_records = 0;
	d->nat_records = 0;
}
