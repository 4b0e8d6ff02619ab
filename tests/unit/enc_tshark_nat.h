/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NAT event streams for tshark_check.sh (nat_v5, nat_v9, nat_ipfix): the
 * expected values follow from the events and ipt_NETFLOW's NAT encoding.
 */
#ifndef NETFLOW_ENC_TSHARK_NAT_H
#define NETFLOW_ENC_TSHARK_NAT_H

#include "enc_tshark.h"

enum { NAT_FULL4, NAT_SNAT4, NAT_DNAT4, NAT_SNAT6, NAT_N };

/* Pre/post tuples: MASQUERADE, DNAT, both, and an IPv6 MASQUERADE. */
static struct netflow_nat_event nat_event(int which, int type)
{
	static const u8 v6a[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 };
	static const u8 v6b[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9 };
	static const u8 v6c[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	struct netflow_nat_event ev = {
		.unix_ms = corpus_now.unix_ms - 1500,
		.uptime_ms = corpus_now.uptime_ms - 1500,
		.family = 4, .protocol = 6, .event = type,
		.pre_sport = 40001, .pre_dport = 80,
		.post_sport = 40001, .post_dport = 80,
	};

	ev.pre_src.ip4 = htonl(0x0a000002);	/* 10.0.0.2 */
	ev.pre_dst.ip4 = htonl(0xc6336402);	/* 198.51.100.2 */
	ev.post_src = ev.pre_src;
	ev.post_dst = ev.pre_dst;
	switch (which) {
	case NAT_FULL4:
		ev.post_dst.ip4 = htonl(0x0a000103);	/* 10.0.1.3 */
		ev.post_dport = 8080;
		/* fall through */
	case NAT_SNAT4:
		ev.post_src.ip4 = htonl(0xc0000201);	/* 192.0.2.1 */
		ev.post_sport = 61000;
		break;
	case NAT_DNAT4:
		ev.protocol = 17;
		ev.post_dst.ip4 = htonl(0x0a000103);
		ev.post_dport = 53;
		ev.pre_dport = 5353;
		break;
	case NAT_SNAT6:
		ev.family = 6;
		memcpy(ev.pre_src.b, v6a, 16);
		memcpy(ev.pre_dst.b, v6b, 16);
		memcpy(ev.post_src.b, v6c, 16);
		memcpy(ev.post_dst.b, v6b, 16);
		ev.post_sport = 1024;
		break;
	}
	return ev;
}

static void tx_nat_v5(struct tx *x, const struct netflow_nat_event *ev,
		      __be32 nexthop, unsigned int sas, unsigned int das)
{
	char a[64];

	tx_put(x, "cflow.srcaddr", "%s", inet_ntop(AF_INET, ev->pre_src.b, a, 64));
	tx_put(x, "cflow.dstaddr", "%s", inet_ntop(AF_INET, ev->post_dst.b, a, 64));
	tx_put(x, "cflow.nexthop", "%s", inet_ntop(AF_INET, &nexthop, a, 64));
	tx_put(x, "cflow.packets", "0");
	tx_put(x, "cflow.octets", "0");
	tx_rel(x, "cflow.timestart", ev->uptime_ms);
	tx_rel(x, "cflow.timeend", ev->uptime_ms);
	tx_put(x, "cflow.srcport", "%u", ev->pre_sport);
	tx_put(x, "cflow.dstport", "%u", ev->post_dport);
	tx_put(x, "cflow.tcpflags", "0x%02x", ev->event == 1 ? 0x12 : 0x05);
	tx_put(x, "cflow.protocol", "%u", ev->protocol);
	tx_put(x, "cflow.srcas", "%u", sas);
	tx_put(x, "cflow.dstas", "%u", das);
	x->recs++;
}

static void tx_nat(struct tx *x, const struct netflow_nat_event *ev)
{
	int v6 = ev->family == 6, af = v6 ? AF_INET6 : AF_INET;
	char a[64];

	if (x->proto == 5) {
		if (memcmp(&ev->pre_src, &ev->post_src, 4) ||
		    ev->pre_sport != ev->post_sport)
			tx_nat_v5(x, ev, ev->post_src.ip4, ev->post_sport, 0);
		if (memcmp(&ev->pre_dst, &ev->post_dst, 4) ||
		    ev->pre_dport != ev->post_dport)
			tx_nat_v5(x, ev, ev->pre_dst.ip4, 0, ev->pre_dport);
		return;
	}
	tx_announce(x, v6 ? NETFLOW_TMPL_NAT6 : NETFLOW_TMPL_NAT4);
	tx_abs(x, "cflow.observation_time_milliseconds", ev->unix_ms);
	tx_put(x, v6 ? "cflow.srcaddrv6" : "cflow.srcaddr", "%s",
	       inet_ntop(af, ev->pre_src.b, a, 64));
	tx_put(x, v6 ? "cflow.dstaddrv6" : "cflow.dstaddr", "%s",
	       inet_ntop(af, ev->pre_dst.b, a, 64));
	tx_put(x, v6 ? "cflow.post_nat_source_ipv6_address" :
		       "cflow.post_natsource_ipv4_address", "%s",
	       inet_ntop(af, ev->post_src.b, a, 64));
	tx_put(x, v6 ? "cflow.post_nat_destination_ipv6_address" :
		       "cflow.post_natdestination_ipv4_address", "%s",
	       inet_ntop(af, ev->post_dst.b, a, 64));
	tx_put(x, "cflow.srcport", "%u", ev->pre_sport);
	tx_put(x, "cflow.dstport", "%u", ev->pre_dport);
	tx_put(x, "cflow.post_naptsource_transport_port", "%u", ev->post_sport);
	tx_put(x, "cflow.post_naptdestination_transport_port", "%u",
	       ev->post_dport);
	tx_put(x, "cflow.protocol", "%u", ev->protocol);
	tx_put(x, "cflow.nat_event", "%u", ev->event);
	x->recs++;
}

static void tx_nat_add(struct tx_run *t, int which, int type)
{
	struct netflow_nat_event ev = nat_event(which, type);

	if (t->x.proto == 5 && ev.family != 4)
		return;
	tx_nat(&t->x, &ev);
	t->rc |= netflow_enc_add_nat(&t->e, &ev, &corpus_now);
}

/* Packets: every NAT shape created, two deleted, then forced templates. */
static int tshark_write_nat(const char *dir, int proto, const char *name)
{
	struct netflow_enc_cfg cfg = { .protocol = proto, .engine_id = 7,
				       .refresh_rate = 20 };
	static struct tx_run t;
	char path[512];
	int i;

	memset(&t, 0, sizeof(t));
	t.x.proto = proto;
	t.x.now = &corpus_now;
	snprintf(path, sizeof(path), "%s/%s.pcap", dir, name);
	t.f = pcap_open(path);
	if (!t.f)
		return -1;
	netflow_enc_init(&t.e, &cfg);

	t.x.np++;
	for (i = 0; i < NAT_N; i++)
		tx_nat_add(&t, i, NETFLOW_NAT_CREATE);
	tx_emit(&t);

	t.x.np++;
	tx_nat_add(&t, NAT_DNAT4, NETFLOW_NAT_DELETE);
	tx_nat_add(&t, NAT_SNAT6, NETFLOW_NAT_DELETE);
	tx_emit(&t);

	t.x.np++;
	netflow_enc_force_templates(&t.e);
	t.x.announced = 0;
	tx_nat_add(&t, NAT_FULL4, NETFLOW_NAT_DELETE);
	tx_emit(&t);

	fclose(t.f);
	snprintf(path, sizeof(path), "%s/%s.expect", dir, name);
	return t.rc | tx_write(&t.x, path);
}

static int tshark_write_nat_all(const char *dir)
{
	return tshark_write_nat(dir, 5, "nat_v5") |
	       tshark_write_nat(dir, 9, "nat_v9") |
	       tshark_write_nat(dir, 10, "nat_ipfix");
}

#endif /* NETFLOW_ENC_TSHARK_NAT_H */
