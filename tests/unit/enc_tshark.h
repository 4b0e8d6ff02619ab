/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Write v5, v9 and IPFIX sample streams as pcaps, plus "<name>.expect":
 * a "#fields" line naming tshark fields, then one tab-separated line per
 * packet of the values tshark should print for them (-T fields). The
 * values come from the corpus and the wire-format rules, not from the
 * encoder's output. tshark_check.sh does the comparing.
 */
#ifndef NETFLOW_ENC_TSHARK_H
#define NETFLOW_ENC_TSHARK_H

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include "encode.h"
#include "enc_corpus.h"
#include "pcap_write.h"

#define TX_FIELDS	64
#define TX_PKTS		4
#define TX_VAL		640

struct tx {
	int proto, nf, np;
	const struct netflow_clock *now;
	unsigned int seq;		/* v5 flows, IPFIX data records */
	unsigned int recs, tmpls;	/* in the current packet */
	unsigned int announced;		/* bit per template slot sent */
	int sampler, interval;		/* enum netflow_sampler_mode, N */
	const char *name[TX_FIELDS];
	char val[TX_PKTS][TX_FIELDS][TX_VAL];
};

/* Append one occurrence of @field to the current packet. */
static void tx_put(struct tx *x, const char *field, const char *fmt, ...)
{
	char *v, buf[128];
	va_list ap;
	int i;

	for (i = 0; i < x->nf && strcmp(x->name[i], field); i++)
		;
	if (i == x->nf && x->nf < TX_FIELDS)
		x->name[x->nf++] = field;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	v = x->val[x->np - 1][i];
	if (*v)
		strncat(v, ",", TX_VAL - strlen(v) - 1);
	strncat(v, buf, TX_VAL - strlen(v) - 1);
}

/* tshark prints relative times as seconds.nanoseconds */
static void tx_rel(struct tx *x, const char *field, unsigned long long ms)
{
	tx_put(x, field, "%llu.%03llu000000", ms / 1000, ms % 1000);
}

/* ... and absolute ones like "Nov 14, 2023 22:11:40.333000000 UTC" */
static void tx_abs(struct tx *x, const char *field, unsigned long long ms)
{
	time_t t = ms / 1000;
	struct tm tm;
	char d[64];

	gmtime_r(&t, &tm);
	strftime(d, sizeof(d), "%b %e, %Y %H:%M:%S", &tm);
	tx_put(x, field, "%s.%03llu000000 UTC", d, ms % 1000);
}

static unsigned long long tx_sat(unsigned long long v, unsigned long long m)
{
	return v > m ? m : v;
}

static void tx_v5_record(struct tx *x, const struct netflow_record *r)
{
	char a[64];

	tx_put(x, "cflow.srcaddr", "%s", inet_ntop(AF_INET, r->src.b, a, 64));
	tx_put(x, "cflow.dstaddr", "%s", inet_ntop(AF_INET, r->dst.b, a, 64));
	tx_put(x, "cflow.nexthop", "0.0.0.0");
	tx_put(x, "cflow.inputint", "%llu", tx_sat(r->ifindex_in, 0xffff));
	tx_put(x, "cflow.outputint", "%llu", tx_sat(r->ifindex_out, 0xffff));
	tx_put(x, "cflow.packets", "%llu", tx_sat(r->packets, 0xffffffff));
	tx_put(x, "cflow.octets", "%llu", tx_sat(r->bytes, 0xffffffff));
	tx_rel(x, "cflow.timestart", r->first_ms);
	tx_rel(x, "cflow.timeend", r->last_ms);
	tx_put(x, "cflow.srcport", "%u", r->sport);
	tx_put(x, "cflow.dstport", "%u", r->dport);
	tx_put(x, "cflow.tcpflags", "0x%02x", r->tcp_flags);
	tx_put(x, "cflow.protocol", "%u", r->protocol);
	tx_put(x, "cflow.tos", "0x%02x", r->tos);
	tx_put(x, "cflow.srcas", "0");
	tx_put(x, "cflow.dstas", "0");
	x->recs++;
}

/* A template goes out before the first record using it. */
static void tx_announce(struct tx *x, unsigned int slot)
{
	if (!(x->announced & 1U << slot)) {
		/* flow templates while sampling: ids of their own */
		tx_put(x, "cflow.template_id", "%u",
		       (x->sampler && slot < NETFLOW_TMPL_FLOWS ?
			256 + NETFLOW_TMPL_MAX : 256) + slot +
		       (x->proto == 10 ? NETFLOW_TMPL_ID_IPFIX : 0));
		x->tmpls++;
	}
	x->announced |= 1U << slot;
}

static void tx_flow_record(struct tx *x, const struct netflow_record *r)
{
	int v6 = r->family == 6, ipfix = x->proto == 10;
	int icmp = r->protocol == (v6 ? 58 : 1);
	int ports = r->protocol == 6 || r->protocol == 17 ||
		    r->protocol == 132 || r->protocol == 136;
	int af = v6 ? AF_INET6 : AF_INET;
	unsigned int slot = (v6 ? 3 : 0) + (ports ? 0 : icmp ? 1 : 2);
	char a[64];

	tx_announce(x, slot);
	tx_put(x, v6 ? "cflow.srcaddrv6" : "cflow.srcaddr", "%s",
	       inet_ntop(af, r->src.b, a, 64));
	tx_put(x, v6 ? "cflow.dstaddrv6" : "cflow.dstaddr", "%s",
	       inet_ntop(af, r->dst.b, a, 64));
	if (v6)
		tx_put(x, "cflow.ipv6flowlabel", "%u", r->flow_label);
	if (ports) {
		tx_put(x, "cflow.srcport", "%u", r->sport);
		tx_put(x, "cflow.dstport", "%u", r->dport);
		tx_put(x, "cflow.tcpflags", "0x%02x", r->tcp_flags);
	} else if (icmp && !ipfix) {
		/* v9 carries it twice: as port 11 and as ICMP_TYPE 32 */
		tx_put(x, "cflow.dstport", "%u", r->dport);
		tx_put(x, "cflow.icmp_type_code_ipv4", "0x%04x", r->dport);
	} else if (icmp && !v6) {
		tx_put(x, "cflow.icmp_type_code_ipv4", "0x%04x", r->dport);
	} else if (icmp) {
		tx_put(x, "cflow.icmp_ipv6_type", "%u", r->dport >> 8);
		tx_put(x, "cflow.icmp_ipv6_code", "%u", r->dport & 0xff);
	}
	tx_put(x, "cflow.protocol", "%u", r->protocol);
	tx_put(x, "cflow.tos", "0x%02x", r->tos);
	tx_put(x, "cflow.ip_version", "%u", r->family);
	tx_put(x, "cflow.direction", "%u", r->direction);
	if (ipfix)
		tx_put(x, "cflow.flow_end_reason", "%u", r->end_reason);
	tx_put(x, "cflow.inputint", "%u", r->ifindex_in);
	tx_put(x, "cflow.outputint", "%u", r->ifindex_out);
	tx_put(x, "cflow.packets", "%llu", (unsigned long long)r->packets);
	tx_put(x, "cflow.octets", "%llu", (unsigned long long)r->bytes);
	if (ipfix) {
		u64 boot = x->now->unix_ms - x->now->uptime_ms;

		tx_abs(x, "cflow.abstimestart", boot + r->first_ms);
		tx_abs(x, "cflow.abstimeend", boot + r->last_ms);
	} else {
		tx_rel(x, "cflow.timestart", r->first_ms);
		tx_rel(x, "cflow.timeend", r->last_ms);
	}
	if (x->sampler)
		tx_put(x, ipfix ? "cflow.selector_id" : "cflow.sampler_id", "%d",
		       x->sampler);
	x->recs++;
}

/* The sampler options record, as ipt_NETFLOW's collectors know it. */
static void tx_sampler(struct tx *x)
{
	int det = x->sampler == NETFLOW_SAMPLER_DETERMINISTIC;

	tx_announce(x, det ? NETFLOW_TMPL_SAMPLER : NETFLOW_TMPL_SAMPLER_RANDOM);
	if (x->proto == 9) {
		tx_put(x, "cflow.scope_system", "00000007");
		tx_put(x, "cflow.sampler_id", "%d", x->sampler);
		tx_put(x, "cflow.sampler_mode", "%d", det ? 1 : 2);
		tx_put(x, "cflow.sampler_random_interval", "%d", x->interval);
	} else {
		tx_put(x, "cflow.od_id", "7");
		tx_put(x, "cflow.selector_id", "%d", x->sampler);
		tx_put(x, "cflow.flow_selector_algorithm", "%d", det ? 1 : 3);
		if (det) {
			tx_put(x, "cflow.sampling_flow_interval", "1");
			tx_put(x, "cflow.sampling_flow_spacing", "%d",
			       x->interval);
		} else {
			tx_put(x, "cflow.sampling_size", "1");
			tx_put(x, "cflow.sampling_population", "%d",
			       x->interval);
		}
	}
	x->recs++;
}

/* IPFIX only: the sampler statistics (selector report) */
static const struct netflow_sampler_stats tx_samp_stats = {
	.flows = 5000, .flows_selected = 50,
	.packets = 1234567, .packets_selected = 12345,
	.start_unix_ms = 1700000000123ULL,
};

static void tx_sampler_stats(struct tx *x)
{
	const struct netflow_sampler_stats *s = &tx_samp_stats;

	tx_announce(x, NETFLOW_TMPL_SAMPLER_STATS);
	tx_put(x, "cflow.selector_id", "%d", x->sampler);
	tx_put(x, "cflow.selectorid_total_flows_observed", "%llu",
	       (unsigned long long)s->flows);
	tx_put(x, "cflow.selectorid_total_flows_selected", "%llu",
	       (unsigned long long)s->flows_selected);
	tx_put(x, "cflow.selector_id_total_pkts_observed", "%llu",
	       (unsigned long long)s->packets);
	tx_put(x, "cflow.selector_id_total_pkts_selected", "%llu",
	       (unsigned long long)s->packets_selected);
	tx_abs(x, "cflow.abstimestart", s->start_unix_ms);
	tx_abs(x, "cflow.abstimeend", x->now->unix_ms);
	x->recs++;
}

static void tx_options(struct tx *x, const struct netflow_exporter_stats *s)
{
	tx_announce(x, NETFLOW_TMPL_STATS);
	if (x->proto == 9)
		tx_put(x, "cflow.scope_system", "00000007");
	else
		tx_put(x, "cflow.od_id", "7");
	tx_put(x, "cflow.packetsexp", "%llu", (unsigned long long)
	       s->exported_messages);
	tx_put(x, "cflow.octetsexp", "%llu", (unsigned long long)
	       s->exported_octets);
	tx_put(x, "cflow.flowsexp", "%llu", (unsigned long long)
	       s->exported_flows);
	tx_put(x, "cflow.ignore_packets", "%llu", (unsigned long long)
	       s->ignored_packets);
	tx_put(x, "cflow.notsent_flows", "%llu", (unsigned long long)
	       s->notsent_flows);
	tx_put(x, "cflow.notsent_packets", "%llu", (unsigned long long)
	       s->notsent_packets);
	tx_put(x, "cflow.notsent_octets", "%llu", (unsigned long long)
	       s->notsent_octets);
	tx_announce(x, NETFLOW_TMPL_IFNAME);
	if (x->proto == 9)
		tx_put(x, "cflow.scope_interface", "2");
	else
		tx_put(x, "cflow.inputint", "2");
	tx_put(x, "cflow.if_name", "eth0");
	x->recs += 2;
}

/*
 * Header fields of the packet just described, whose counts are known now;
 * column order does not matter, only the order within one column.
 */
static void tx_header(struct tx *x)
{
	const struct netflow_clock *now = x->now;

	tx_put(x, "cflow.version", "%d", x->proto);
	if (x->proto == 10) {
		tx_put(x, "cflow.exporttime", "%llu", now->unix_ms / 1000);
		tx_put(x, "cflow.sequence", "%u", x->seq);
		tx_put(x, "cflow.od_id", "7");
		x->seq += x->recs;
	} else {
		tx_put(x, "cflow.count", "%u", x->recs + x->tmpls);
		tx_rel(x, "cflow.sysuptime", now->uptime_ms);
		tx_put(x, "cflow.unix_secs", "%llu", now->unix_ms / 1000);
	}
	if (x->proto == 5) {
		tx_put(x, "cflow.unix_nsecs", "%u", now->unix_nsecs);
		tx_put(x, "cflow.sequence", "%u", x->seq);
		tx_put(x, "cflow.engine_type", "0");
		tx_put(x, "cflow.engine_id", "7");
		tx_put(x, "cflow.samplingmode", "%d",
		       !x->sampler ? 0 : x->sampler == 1 ? 1 : 2);
		tx_put(x, "cflow.samplerate", "%d", x->interval);
		x->seq += x->recs;
	} else if (x->proto == 9) {
		tx_put(x, "cflow.sequence", "%d", x->np - 1);
		tx_put(x, "cflow.source_id", "7");
	}
	x->recs = 0;
	x->tmpls = 0;
}

static int tx_write(const struct tx *x, const char *path)
{
	FILE *f = fopen(path, "w");
	int i, p;

	if (!f)
		return -1;
	fprintf(f, "#fields");
	for (i = 0; i < x->nf; i++)
		fprintf(f, " %s", x->name[i]);
	fprintf(f, "\n");
	for (p = 0; p < x->np; p++)
		for (i = 0; i < x->nf; i++)
			fprintf(f, "%s%s", x->val[p][i],
				i == x->nf - 1 ? "\n" : "\t");
	return fclose(f);
}

static const struct netflow_exporter_stats tx_stats = {
	.exported_messages = 11, .exported_octets = 0x1000000000ULL,
	.exported_flows = 33, .ignored_packets = 44, .notsent_flows = 55,
	.notsent_packets = 66, .notsent_octets = 77,
};

struct tx_run {
	struct netflow_enc e;
	struct tx x;
	FILE *f;
	int rc;
};

static void tx_add(struct tx_run *t, int which)
{
	struct netflow_record r = corpus_rec(which);

	if (t->x.np == 0 || t->x.np > TX_PKTS)
		t->rc = -1;
	else if (t->x.proto == 5)
		tx_v5_record(&t->x, &r);
	else
		tx_flow_record(&t->x, &r);
	t->rc |= netflow_enc_add(&t->e, &r, &corpus_now);
}

static void tx_emit(struct tx_run *t)
{
	const u8 *p;
	unsigned int len = netflow_enc_finish(&t->e, &corpus_now, &p);

	if (!len)
		t->rc = -1;
	pcap_udp(t->f, corpus_now.unix_ms / 1000, p, len);
	tx_header(&t->x);
}

/* Packets: every shape (+ options), a repeat without templates, forced. */
static int tshark_write(const char *dir, int proto, const char *name,
			int sampler, int interval)
{
	struct netflow_enc_cfg cfg = { .protocol = proto, .engine_id = 7,
				       .refresh_rate = 20 };
	static struct tx_run t;
	char path[512];
	int i;

	memset(&t, 0, sizeof(t));
	t.x.proto = proto;
	t.x.now = &corpus_now;
	t.x.sampler = sampler;
	t.x.interval = interval;
	snprintf(path, sizeof(path), "%s/%s.pcap", dir, name);
	t.f = pcap_open(path);
	if (!t.f)
		return -1;
	netflow_enc_init(&t.e, &cfg);
	netflow_enc_set_sampler(&t.e, sampler, interval);

	t.x.np++;
	for (i = 0; i < C_N; i++)
		if (proto != 5 || corpus_rec(i).family == 4)
			tx_add(&t, i);
	if (proto != 5) {
		tx_options(&t.x, &tx_stats);
		t.rc |= netflow_enc_add_stats(&t.e, &tx_stats, &corpus_now);
		t.rc |= netflow_enc_add_ifname(&t.e, 2, "eth0", &corpus_now);
		if (sampler) {
			tx_sampler(&t.x);
			t.rc |= netflow_enc_add_sampler(&t.e, &corpus_now);
		}
		if (sampler && proto == 10) {
			tx_sampler_stats(&t.x);
			t.rc |= netflow_enc_add_sampler_stats(&t.e,
							      &tx_samp_stats,
							      &corpus_now);
		}
	}
	tx_emit(&t);

	t.x.np++;
	tx_add(&t, C_TCP4);
	if (proto != 5)
		tx_add(&t, C_TCP6);
	tx_emit(&t);

	t.x.np++;
	netflow_enc_force_templates(&t.e);
	t.x.announced = 0;
	tx_add(&t, C_ICMP4);
	tx_emit(&t);

	fclose(t.f);
	snprintf(path, sizeof(path), "%s/%s.expect", dir, name);
	return t.rc | tx_write(&t.x, path);
}

static int tshark_write_all(const char *dir)
{
	return tshark_write(dir, 5, "v5", 0, 0) |
	       tshark_write(dir, 9, "v9", 0, 0) |
	       tshark_write(dir, 10, "ipfix", 0, 0) |
	       tshark_write(dir, 5, "v5_sampled", NETFLOW_SAMPLER_DETERMINISTIC,
			    100) |
	       tshark_write(dir, 5, "v5_random", NETFLOW_SAMPLER_HASH, 16383) |
	       tshark_write(dir, 9, "v9_sampled", NETFLOW_SAMPLER_DETERMINISTIC,
			    100) |
	       tshark_write(dir, 9, "v9_random", NETFLOW_SAMPLER_RANDOM, 50) |
	       tshark_write(dir, 10, "ipfix_sampled",
			    NETFLOW_SAMPLER_DETERMINISTIC, 100) |
	       tshark_write(dir, 10, "ipfix_random", NETFLOW_SAMPLER_HASH, 50);
}

#endif /* NETFLOW_ENC_TSHARK_H */
