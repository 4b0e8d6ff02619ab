// SPDX-License-Identifier: GPL-2.0
/*
 * Encoder unit tests: every header and record field for v5, v9 and IPFIX,
 * sequence numbers, PDU limits, template refresh and options records.
 * With NETFLOW_PCAP_DIR set it also writes pcaps for tshark_check.sh.
 */
#include "unit.h"
#include "encode.h"
#include "enc_parse.h"

/* the id a template of @proto has: IPFIX ids follow the v9 ones */
#define TID(proto, id)	((id) + ((proto) == 10 ? NETFLOW_TMPL_ID_IPFIX : 0))
#include "enc_corpus.h"
#include "enc_tshark.h"
#include "enc_tshark_nat.h"

static const u8 *pdu;

static void enc_setup(struct netflow_enc *e, int proto, unsigned int mtu)
{
	struct netflow_enc_cfg cfg = {
		.protocol = proto, .engine_id = 0x1234507, .mtu = mtu,
		.refresh_rate = 20, .timeout_rate_ms = 30 * 60 * 1000,
	};

	netflow_enc_init(e, &cfg);
}

static int add(struct netflow_enc *e, int which)
{
	struct netflow_record r = corpus_rec(which);

	return netflow_enc_add(e, &r, &corpus_now);
}

static void test_v5_fields(void)
{
	static const u8 hdr[24] = {
		0, 5, 0, 2,  0, 0x36, 0xee, 0xfb,	/* count, uptime */
		0x65, 0x53, 0xf1, 0x00,  0x1b, 0x3a, 0x0c, 0x14, /* secs ns */
		0, 0, 0, 0,  0, 0x07, 0, 0 };		/* seq, engine */
	static const u8 rec[48] = {
		192, 0, 2, 1,  198, 51, 100, 2,  0, 0, 0, 0,
		0, 2, 0, 3,  0, 0, 0, 10,  0, 0, 0x05, 0xdc,
		0, 0x35, 0x67, 0xe0,  0, 0x36, 0xee, 0x80,	/* first last */
		0x30, 0x39, 0, 80,  0, 0x1b, 6, 0xb8,
		0, 0, 0, 0,  0, 0, 0, 0 };
	struct netflow_enc e;
	unsigned int len;

	enc_setup(&e, 5, 0);
	CHECK_EQ(add(&e, C_TCP4), 0);
	CHECK_EQ(add(&e, C_ICMP4), 0);
	CHECK_EQ(netflow_enc_records(&e), 2);
	CHECK_EQ(netflow_enc_pdu_start_ms(&e), corpus_now.uptime_ms);
	len = netflow_enc_finish(&e, &corpus_now, &pdu);
	CHECK_EQ(len, 24 + 2 * 48);
	CHECK(!memcmp(pdu, hdr, 24));
	CHECK(!memcmp(pdu + 24, rec, 48));
	/* ICMP: type/code in dst port, source port 0, no out interface */
	CHECK_EQ(tp_be(pdu + 72 + 32, 2), 0);
	CHECK_EQ(tp_be(pdu + 72 + 34, 2), 0x0303);
	CHECK_EQ(tp_be(pdu + 72 + 14, 2), 0);
	CHECK_EQ(pdu[72 + 38], 1);
	CHECK_EQ(netflow_enc_records(&e), 0);
	CHECK_EQ(netflow_enc_finish(&e, &corpus_now, &pdu), 0);
}

static void test_v5_saturate_and_v6(void)
{
	struct netflow_enc e;

	enc_setup(&e, 5, 0);
	CHECK_EQ(add(&e, C_TCP6), -EAFNOSUPPORT);
	CHECK_EQ(add(&e, C_ICMP6), -EAFNOSUPPORT);
	CHECK_EQ(netflow_enc_finish(&e, &corpus_now, &pdu), 0);
	CHECK_EQ(add(&e, C_BIG4), 0);
	CHECK_EQ(add(&e, C_TCP6), -EAFNOSUPPORT);
	CHECK_EQ(netflow_enc_finish(&e, &corpus_now, &pdu), 24 + 48);
	CHECK_EQ(tp_be(pdu + 2, 2), 1);
	CHECK_EQ(tp_be(pdu + 24 + 12, 2), 0xffff);	/* ifindex 70000 */
	CHECK_EQ(tp_be(pdu + 24 + 16, 4), 0xffffffff);
	CHECK_EQ(tp_be(pdu + 24 + 20, 4), 0xffffffff);
	CHECK_EQ(netflow_enc_add_stats(&e, NULL, &corpus_now), -EOPNOTSUPP);
	CHECK_EQ(netflow_enc_add_ifname(&e, 1, "lo", &corpus_now),
		 -EOPNOTSUPP);
}

static void test_v5_full_and_sequence(void)
{
	struct netflow_enc e;
	unsigned int i, len, seq = 0, sent = 0;

	enc_setup(&e, 5, 300);	/* v5 ignores mtu: always 30 records */
	for (i = 0; i < 75; i++) {
		int rc = add(&e, i % 2 ? C_UDP4 : C_TCP4);

		if (rc == -ENOSPC) {
			CHECK_EQ(netflow_enc_records(&e), 30);
			len = netflow_enc_finish(&e, &corpus_now, &pdu);
			CHECK_EQ(len, 24 + 30 * 48);
			CHECK_EQ(tp_be(pdu + 16, 4), seq);
			seq += 30;
			rc = add(&e, i % 2 ? C_UDP4 : C_TCP4);
		}
		CHECK_EQ(rc, 0);
		sent++;
	}
	len = netflow_enc_finish(&e, &corpus_now, &pdu);
	CHECK_EQ(len, 24 + 15 * 48);
	CHECK_EQ(tp_be(pdu + 2, 2), 15);
	CHECK_EQ(tp_be(pdu + 16, 4), 60);
	CHECK_EQ(sent, 75);
}

/* Fields shared by v9 and IPFIX flow records. */
static void check_common(const struct tp_rec *r, int which)
{
	struct netflow_record w = corpus_rec(which);
	int len;

	if (w.family == 4) {
		CHECK(!memcmp(tp_field(r, 8, &len), &w.src.ip4, 4));
		CHECK(!memcmp(tp_field(r, 12, &len), &w.dst.ip4, 4));
		CHECK(!tp_has(r, 27) && !tp_has(r, 31));
		CHECK_EQ(tp_get(r, 60), 4);
	} else {
		CHECK(!memcmp(tp_field(r, 27, &len), w.src.b, 16));
		CHECK(!memcmp(tp_field(r, 28, &len), w.dst.b, 16));
		CHECK_EQ(tp_get(r, 31), 0x12345);
		CHECK(!tp_has(r, 8));
		CHECK_EQ(tp_get(r, 60), 6);
	}
	CHECK_EQ(tp_get(r, 4), w.protocol);
	CHECK_EQ(tp_get(r, 5), w.tos);
	CHECK_EQ(tp_get(r, 61), w.direction);
	CHECK_EQ(tp_get(r, 10), w.ifindex_in);	/* 32-bit: no clamping */
	CHECK_EQ(tp_get(r, 14), w.ifindex_out);
	CHECK_EQ(tp_get(r, 2), w.packets);	/* 64-bit: no saturation */
	CHECK_EQ(tp_get(r, 1), w.bytes);
	tp_field(r, 2, &len);
	CHECK_EQ(len, 8);
	if (w.protocol == 6 || w.protocol == 17) {
		CHECK_EQ(tp_get(r, 7), w.sport);
		CHECK_EQ(tp_get(r, 11), w.dport);
		CHECK_EQ(tp_get(r, 6), w.tcp_flags);
	} else {
		CHECK(!tp_has(r, 7) && !tp_has(r, 6));
	}
}

/* v9 and IPFIX: one of each record shape in one PDU, decoded back. */
static void check_flows(int proto)
{
	struct tp_coll c = { .version = proto };
	struct netflow_enc e;
	struct tp_pdu o;
	unsigned int len;
	int i;

	enc_setup(&e, proto, 0);
	for (i = 0; i < C_N; i++)
		CHECK_EQ(add(&e, i), 0);
	CHECK_EQ(netflow_enc_records(&e), C_N);
	len = netflow_enc_finish(&e, &corpus_now, &pdu);
	CHECK(len > 0 && len <= NETFLOW_MTU_DEFAULT);
	CHECK_EQ(tp_parse(&c, pdu, len, &o), 0);
	if (o.err[0])
		printf("  parse: %s\n", o.err);
	CHECK_EQ(o.version, proto);
	CHECK_EQ(o.seq, 0);
	CHECK_EQ(o.domain, 0x1234507);
	CHECK_EQ(o.secs, 1700000000);
	CHECK_EQ(o.ntmpl, 5);		/* used shapes only: no v6 other */
	CHECK_EQ(o.nrec, C_N);
	if (proto == 9) {
		CHECK_EQ(o.count, 5 + C_N);
		CHECK_EQ(o.uptime, 3600123);
	}
	for (i = 0; i < o.nrec && i < C_N; i++) {
		struct netflow_record w = corpus_rec(i);
		const struct tp_rec *r = &o.rec[i];

		tp_missing = 0;
		check_common(r, i);
		if (proto == 9) {
			CHECK_EQ(tp_get(r, 22), w.first_ms);
			CHECK_EQ(tp_get(r, 21), w.last_ms);
			CHECK(!tp_has(r, 152) && !tp_has(r, 136));
			if (w.protocol == 1 || w.protocol == 58)
				CHECK_EQ(tp_get(r, 11), w.dport);
		} else {
			CHECK_EQ(tp_get(r, 152), CORPUS_BOOT_MS + w.first_ms);
			CHECK_EQ(tp_get(r, 153), CORPUS_BOOT_MS + w.last_ms);
			CHECK_EQ(tp_get(r, 136), w.end_reason);
			CHECK(!tp_has(r, 22));
			CHECK_EQ(tp_has(r, 11),
				 w.protocol == 6 || w.protocol == 17);
			if (w.protocol == 1)
				CHECK_EQ(tp_get(r, 32), w.dport);
			if (w.protocol == 58)
				CHECK_EQ(tp_get(r, 139), w.dport);
		}
		CHECK_EQ(tp_missing, 0);
	}
	/* the same shapes again: no templates, sequence moved on */
	CHECK_EQ(add(&e, C_TCP4), 0);
	CHECK_EQ(add(&e, C_TCP6), 0);
	len = netflow_enc_finish(&e, &corpus_now, &pdu);
	CHECK_EQ(tp_parse(&c, pdu, len, &o), 0);
	CHECK_EQ(o.ntmpl, 0);
	CHECK_EQ(o.nrec, 2);
	CHECK_EQ(o.seq, proto == 9 ? 1 : C_N);
	CHECK_EQ(len, (proto == 9 ? 20 + 4 + 52 + 4 + 76 : 16 + 4 + 58 + 4 + 86));
}

static void test_v9_fields(void)
{
	check_flows(9);
}

static void test_ipfix_fields(void)
{
	check_flows(10);
}

/* Exact template layout: what collectors are configured against. */
static void test_template_layout(void)
{
	static const unsigned short v9_v4[][2] = {
		{ 8, 4 }, { 12, 4 }, { 7, 2 }, { 11, 2 }, { 6, 1 }, { 4, 1 },
		{ 5, 1 }, { 60, 1 }, { 61, 1 }, { 10, 4 }, { 14, 4 },
		{ 2, 8 }, { 1, 8 }, { 22, 4 }, { 21, 4 } };
	static const unsigned short ipfix_v6icmp[][2] = {
		{ 27, 16 }, { 28, 16 }, { 31, 4 }, { 139, 2 }, { 4, 1 },
		{ 5, 1 }, { 60, 1 }, { 61, 1 }, { 136, 1 }, { 10, 4 },
		{ 14, 4 }, { 2, 8 }, { 1, 8 }, { 152, 8 }, { 153, 8 } };
	struct tp_coll c9 = { .version = 9 }, c10 = { .version = 10 };
	struct netflow_enc e;
	struct tp_pdu o;
	unsigned int i, len;
	const struct tp_tmpl *t;

	enc_setup(&e, 9, 0);
	add(&e, C_TCP4);
	len = netflow_enc_finish(&e, &corpus_now, &pdu);
	CHECK_EQ(tp_parse(&c9, pdu, len, &o), 0);
	CHECK_EQ(o.tmpl_ids[0], 256);
	t = &c9.tmpl[0];
	CHECK_EQ(t->n, ARRAY_SIZE(v9_v4));
	for (i = 0; i < ARRAY_SIZE(v9_v4) && (int)i < t->n; i++) {
		CHECK_EQ(t->id[i], v9_v4[i][0]);
		CHECK_EQ(t->len[i], v9_v4[i][1]);
	}
	/* the template flowset right after the header, 4 + 4 + 15 * 4 */
	CHECK_EQ(tp_be(pdu + 20, 2), 0);
	CHECK_EQ(tp_be(pdu + 22, 2), 68);
	CHECK_EQ(tp_be(pdu + 24, 2), 256);
	CHECK_EQ(tp_be(pdu + 26, 2), 15);

	enc_setup(&e, 10, 0);
	add(&e, C_ICMP6);
	len = netflow_enc_finish(&e, &corpus_now, &pdu);
	CHECK_EQ(tp_parse(&c10, pdu, len, &o), 0);
	CHECK_EQ(o.tmpl_ids[0], TID(10, 256 + NETFLOW_TMPL_V6_ICMP));
	CHECK_EQ(tp_be(pdu + 16, 2), 2);		/* template set */
	t = &c10.tmpl[NETFLOW_TMPL_V6_ICMP];
	CHECK_EQ(t->n, ARRAY_SIZE(ipfix_v6icmp));
	for (i = 0; i < ARRAY_SIZE(ipfix_v6icmp) && (int)i < t->n; i++) {
		CHECK_EQ(t->id[i], ipfix_v6icmp[i][0]);
		CHECK_EQ(t->len[i], ipfix_v6icmp[i][1]);
	}
}

/* Does the next PDU (one TCP record) carry its template? */
static int pdu_has_tmpl(struct netflow_enc *e, struct tp_coll *c,
			const struct netflow_clock *now)
{
	struct netflow_record r = corpus_rec(C_TCP4);
	struct tp_pdu o;
	unsigned int len;

	CHECK_EQ(netflow_enc_add(e, &r, now), 0);
	len = netflow_enc_finish(e, now, &pdu);
	CHECK_EQ(tp_parse(c, pdu, len, &o), 0);
	return o.ntmpl;
}

static void test_refresh(void)
{
	struct netflow_enc_cfg cfg = { .protocol = 9, .refresh_rate = 3 };
	struct netflow_clock now = corpus_now;
	struct tp_coll c = { .version = 9 };
	struct netflow_enc e;
	int i;

	/* by count: PDUs 0, 3, 6 */
	netflow_enc_init(&e, &cfg);
	for (i = 0; i < 8; i++)
		CHECK_EQ(pdu_has_tmpl(&e, &c, &now), i % 3 ? 0 : 1);
	/* forced: the very next PDU, then the count restarts from there */
	netflow_enc_force_templates(&e);
	CHECK_EQ(pdu_has_tmpl(&e, &c, &now), 1);
	CHECK_EQ(pdu_has_tmpl(&e, &c, &now), 0);
	CHECK_EQ(pdu_has_tmpl(&e, &c, &now), 0);
	CHECK_EQ(pdu_has_tmpl(&e, &c, &now), 1);

	/* by time only: every 1000 ms of uptime */
	cfg.protocol = 10;
	cfg.refresh_rate = 0;
	cfg.timeout_rate_ms = 1000;
	c.version = 10;
	netflow_enc_init(&e, &cfg);
	CHECK_EQ(pdu_has_tmpl(&e, &c, &now), 1);
	for (i = 0; i < 5; i++)
		CHECK_EQ(pdu_has_tmpl(&e, &c, &now), 0);
	now.uptime_ms += 999;
	CHECK_EQ(pdu_has_tmpl(&e, &c, &now), 0);
	now.uptime_ms += 1;
	CHECK_EQ(pdu_has_tmpl(&e, &c, &now), 1);
	now.uptime_ms += 500;
	CHECK_EQ(pdu_has_tmpl(&e, &c, &now), 0);

	/* neither: templates only once */
	cfg.timeout_rate_ms = 0;
	netflow_enc_init(&e, &cfg);
	CHECK_EQ(pdu_has_tmpl(&e, &c, &now), 1);
	for (i = 0; i < 50; i++)
		CHECK_EQ(pdu_has_tmpl(&e, &c, &now), 0);
}

static const struct netflow_exporter_stats stats = {
	.exported_messages = 11, .exported_octets = 0x1000000000ULL,
	.exported_flows = 33, .ignored_packets = 44, .notsent_flows = 55,
	.notsent_packets = 66, .notsent_octets = 77,
};

static void check_options(int proto)
{
	struct tp_coll c = { .version = proto };
	struct netflow_enc e;
	struct tp_pdu o;
	unsigned int len;
	const struct tp_rec *r;
	int l;

	enc_setup(&e, proto, 0);
	CHECK_EQ(add(&e, C_TCP4), 0);
	CHECK_EQ(netflow_enc_add_stats(&e, &stats, &corpus_now), 0);
	CHECK_EQ(netflow_enc_add_ifname(&e, 2, "eth0", &corpus_now), 0);
	CHECK_EQ(netflow_enc_add_ifname(&e, 70000, "a-very-long-ifname-x",
					&corpus_now), 0);
	CHECK_EQ(netflow_enc_records(&e), 4);
	len = netflow_enc_finish(&e, &corpus_now, &pdu);
	CHECK_EQ(tp_parse(&c, pdu, len, &o), 0);
	if (o.err[0])
		printf("  parse: %s\n", o.err);
	CHECK_EQ(o.ntmpl, 3);
	CHECK_EQ(o.nrec, 4);
	if (o.nrec != 4)
		return;
	tp_missing = 0;
	r = &o.rec[1];
	CHECK_EQ(r->tid, TID(proto, 256 + NETFLOW_TMPL_STATS));
	CHECK_EQ(r->t->scope, 1);
	CHECK_EQ(r->t->id[0], proto == 9 ? 1 : 149);	/* system / domain */
	CHECK_EQ(tp_get(r, r->t->id[0]), 0x1234507);
	CHECK_EQ(tp_get(r, 41), 11);
	CHECK_EQ(tp_get(r, 40), 0x1000000000ULL);
	CHECK_EQ(tp_get(r, 42), 33);
	CHECK_EQ(tp_get(r, 164), 44);
	CHECK_EQ(tp_get(r, 166), 55);
	CHECK_EQ(tp_get(r, 167), 66);
	CHECK_EQ(tp_get(r, 168), 77);
	r = &o.rec[2];
	CHECK_EQ(r->tid, TID(proto, 256 + NETFLOW_TMPL_IFNAME));
	CHECK_EQ(r->t->id[0], proto == 9 ? 2 : 10);	/* interface scope */
	CHECK_EQ(tp_get(r, r->t->id[0]), 2);
	CHECK(!memcmp(tp_field(r, 82, &l), "eth0\0\0\0\0\0\0\0\0\0\0\0\0",
		      16));
	CHECK_EQ(l, 16);
	r = &o.rec[3];
	CHECK_EQ(tp_get(r, r->t->id[0]), 70000);
	CHECK(!memcmp(tp_field(r, 82, &l), "a-very-long-ifna", 16));
	CHECK_EQ(tp_missing, 0);
	/* IPFIX counts options records as data records in the sequence */
	CHECK_EQ(netflow_enc_add_stats(&e, &stats, &corpus_now), 0);
	len = netflow_enc_finish(&e, &corpus_now, &pdu);
	CHECK_EQ(tp_parse(&c, pdu, len, &o), 0);
	CHECK_EQ(o.ntmpl, 0);
	CHECK_EQ(o.seq, proto == 9 ? 1 : 4);
}

static void test_v9_options(void)
{
	check_options(9);
}

static void test_ipfix_options(void)
{
	check_options(10);
}

/* v5: the header's sampling field is mode << 14 | N (hash shows as 2). */
static void test_v5_sampler_header(void)
{
	static const struct { u8 mode; u16 n; u16 field; } c[] = {
		{ NETFLOW_SAMPLER_OFF, 0, 0 },
		{ NETFLOW_SAMPLER_DETERMINISTIC, 100, 0x4064 },
		{ NETFLOW_SAMPLER_RANDOM, 16383, 0xbfff },
		{ NETFLOW_SAMPLER_HASH, 2, 0x8002 },
	};
	struct netflow_enc e;
	unsigned int i, len;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		enc_setup(&e, 5, 0);
		netflow_enc_set_sampler(&e, c[i].mode, c[i].n);
		CHECK_EQ(add(&e, C_TCP4), 0);
		len = netflow_enc_finish(&e, &corpus_now, &pdu);
		CHECK_EQ(len, 24 + 48);
		CHECK_EQ(tp_be(pdu + 22, 2), c[i].field);
		CHECK_EQ(netflow_enc_add_sampler(&e, &corpus_now), -EOPNOTSUPP);
	}
}

/*
 * v9/IPFIX while sampling: flow templates under their own ids with the
 * sampler field (48 / 302) last, carrying the mode; the sampler options
 * record as ipt_NETFLOW sends it. Switching back restores the plain ids.
 */
static void check_sampler(int proto, u8 mode)
{
	struct tp_coll c = { .version = proto };
	unsigned int len, ie = proto == 9 ? 48 : 302;
	bool det = mode == NETFLOW_SAMPLER_DETERMINISTIC;
	const struct tp_rec *r;
	struct netflow_enc e;
	struct tp_pdu o;

	enc_setup(&e, proto, 0);
	CHECK_EQ(add(&e, C_TCP4), 0);
	len = netflow_enc_finish(&e, &corpus_now, &pdu);
	CHECK_EQ(tp_parse(&c, pdu, len, &o), 0);
	CHECK_EQ(netflow_enc_add_sampler(&e, &corpus_now), -EOPNOTSUPP);

	netflow_enc_set_sampler(&e, mode, 100);
	CHECK_EQ(add(&e, C_TCP4), 0);
	CHECK_EQ(netflow_enc_add_sampler(&e, &corpus_now), 0);
	len = netflow_enc_finish(&e, &corpus_now, &pdu);
	CHECK_EQ(tp_parse(&c, pdu, len, &o), 0);
	if (o.err[0])
		printf("  parse: %s\n", o.err);
	/* the sequence goes on: the same stream */
	CHECK_EQ(o.seq, 1);
	CHECK_EQ(o.ntmpl, 2);
	CHECK_EQ(o.nrec, 2);
	if (o.nrec != 2)
		return;
	tp_missing = 0;
	r = &o.rec[0];
	CHECK_EQ(r->tid, TID(proto, NETFLOW_TMPL_ID_SAMPLED + NETFLOW_TMPL_V4_PORTS));
	CHECK_EQ(r->t->id[r->t->n - 1], ie);
	CHECK_EQ(r->t->len[r->t->n - 1], 1);
	CHECK_EQ(tp_get(r, ie), mode);
	CHECK_EQ(tp_get(r, 2), corpus_rec(C_TCP4).packets);
	r = &o.rec[1];
	CHECK_EQ(r->tid, TID(proto, NETFLOW_TMPL_ID_BASE +
		 (det ? NETFLOW_TMPL_SAMPLER : NETFLOW_TMPL_SAMPLER_RANDOM)));
	CHECK_EQ(r->t->scope, 1);
	if (proto == 9) {
		CHECK_EQ(r->t->n, 4);
		CHECK_EQ(r->t->id[0], 1);		/* System */
		CHECK_EQ(tp_get(r, 1), 0x1234507);
		CHECK_EQ(tp_get(r, 48), mode);
		CHECK_EQ(tp_get(r, 49), det ? 1 : 2);
		CHECK_EQ(tp_get(r, 50), 100);
		CHECK_EQ(r->t->len[3], 2);
	} else {
		CHECK_EQ(r->t->n, 5);
		CHECK_EQ(r->t->id[0], 149);
		CHECK_EQ(tp_get(r, 149), 0x1234507);
		CHECK_EQ(tp_get(r, 302), mode);
		CHECK_EQ(tp_get(r, 390), det ? 1 : 3);
		CHECK_EQ(tp_get(r, det ? 396 : 309), 1);
		CHECK_EQ(tp_get(r, det ? 397 : 310), 100);
		CHECK_EQ(r->t->len[4], 2);
	}
	CHECK_EQ(tp_missing, 0);

	netflow_enc_set_sampler(&e, NETFLOW_SAMPLER_OFF, 0);
	CHECK_EQ(add(&e, C_TCP4), 0);
	len = netflow_enc_finish(&e, &corpus_now, &pdu);
	CHECK_EQ(tp_parse(&c, pdu, len, &o), 0);
	CHECK_EQ(o.nrec, 1);
	CHECK_EQ(o.rec[0].tid, TID(proto, NETFLOW_TMPL_ID_BASE + NETFLOW_TMPL_V4_PORTS));
	CHECK(o.rec[0].t->id[o.rec[0].t->n - 1] != ie);
}

/*
 * physdev: 252/253 (4 bytes each) right after 14 in every flow template,
 * under ids of their own, alone and with the sampler field (last).
 */
static int physdev_pdu(struct netflow_enc *e, struct tp_coll *c,
		       const struct netflow_record *rec, struct tp_pdu *o)
{
	unsigned int len;

	CHECK_EQ(netflow_enc_add(e, rec, &corpus_now), 0);
	len = netflow_enc_finish(e, &corpus_now, &pdu);
	CHECK_EQ(tp_parse(c, pdu, len, o), 0);
	if (o->err[0])
		printf("  parse: %s\n", o->err);
	CHECK_EQ(o->nrec, 1);
	return o->nrec == 1;
}

/* index of IE @id in the record's template, -1 if absent */
static int ie_at(const struct tp_rec *r, unsigned int id)
{
	int i;

	for (i = 0; i < r->t->n; i++)
		if (r->t->id[i] == id)
			return i;
	return -1;
}

static void check_physdev(int proto)
{
	struct netflow_record rec = corpus_rec(C_TCP6);
	struct tp_coll c = { .version = proto };
	unsigned int sid = proto == 9 ? 48 : 302;
	const struct tp_rec *r;
	struct netflow_enc e;
	struct tp_pdu o;
	int i;

	rec.phys_in = 70000;
	rec.phys_out = 9;
	enc_setup(&e, proto, 0);
	netflow_enc_set_physdev(&e, true);
	if (!physdev_pdu(&e, &c, &rec, &o))
		return;
	r = &o.rec[0];
	CHECK_EQ(r->tid, TID(proto, NETFLOW_TMPL_ID_PHYSDEV + NETFLOW_TMPL_V6_PORTS));
	i = ie_at(r, 14);
	CHECK(i >= 0 && i + 2 < r->t->n);
	CHECK_EQ(ie_at(r, 252), i + 1);
	CHECK_EQ(ie_at(r, 253), i + 2);
	CHECK_EQ(r->t->len[i + 1], 4);
	CHECK_EQ(r->t->len[i + 2], 4);
	CHECK_EQ(ie_at(r, sid), -1);
	tp_missing = 0;
	CHECK_EQ(tp_get(r, 252), 70000);
	CHECK_EQ(tp_get(r, 253), 9);
	CHECK_EQ(tp_get(r, 10), rec.ifindex_in);
	CHECK_EQ(tp_get(r, 2), rec.packets);
	CHECK_EQ(tp_missing, 0);

	/* and sampling: the selector still last */
	netflow_enc_set_sampler(&e, NETFLOW_SAMPLER_RANDOM, 10);
	if (!physdev_pdu(&e, &c, &rec, &o))
		return;
	r = &o.rec[0];
	CHECK_EQ(r->tid, TID(proto, NETFLOW_TMPL_ID_PHYSDEV_SAMPLED +
		 NETFLOW_TMPL_V6_PORTS));
	CHECK_EQ(ie_at(r, 252), ie_at(r, 14) + 1);
	CHECK_EQ(ie_at(r, sid), r->t->n - 1);
	CHECK_EQ(tp_get(r, 253), 9);

	/* physdev off again: sampled templates without the ports */
	netflow_enc_set_physdev(&e, false);
	if (!physdev_pdu(&e, &c, &rec, &o))
		return;
	r = &o.rec[0];
	CHECK_EQ(r->tid, TID(proto, NETFLOW_TMPL_ID_SAMPLED + NETFLOW_TMPL_V6_PORTS));
	CHECK_EQ(ie_at(r, 252), -1);
	CHECK_EQ(ie_at(r, 253), -1);
	CHECK_EQ(ie_at(r, sid), r->t->n - 1);
}

/* aggregation: 9/13 after 12 in IPv4 templates only; v5 mask bytes */
static void check_aggr(int proto)
{
	struct netflow_record r4 = corpus_rec(C_TCP4), r6 = corpus_rec(C_TCP6);
	struct tp_coll c = { .version = proto };
	const struct tp_rec *r;
	struct netflow_enc e;
	struct tp_pdu o;

	r4.src_mask = 16;
	r4.dst_mask = 8;
	enc_setup(&e, proto, 0);
	netflow_enc_set_aggr(&e, true);
	if (!physdev_pdu(&e, &c, &r4, &o))
		return;
	r = &o.rec[0];
	CHECK_EQ(r->tid, TID(proto, NETFLOW_TMPL_ID_AGGR + NETFLOW_TMPL_V4_PORTS));
	CHECK_EQ(ie_at(r, 9), ie_at(r, 12) + 1);
	CHECK_EQ(ie_at(r, 13), ie_at(r, 12) + 2);
	CHECK_EQ(r->t->len[ie_at(r, 9)], 1);
	tp_missing = 0;
	CHECK_EQ(tp_get(r, 9), 16);
	CHECK_EQ(tp_get(r, 13), 8);
	CHECK_EQ(tp_missing, 0);
	/* IPv6: no prefix lengths */
	if (!physdev_pdu(&e, &c, &r6, &o))
		return;
	r = &o.rec[0];
	CHECK_EQ(r->tid, TID(proto, NETFLOW_TMPL_ID_AGGR + NETFLOW_TMPL_V6_PORTS));
	CHECK_EQ(ie_at(r, 9), -1);
	CHECK_EQ(ie_at(r, 13), -1);
	/* off again: the base template */
	netflow_enc_set_aggr(&e, false);
	if (!physdev_pdu(&e, &c, &r4, &o))
		return;
	CHECK_EQ(o.rec[0].tid, TID(proto, NETFLOW_TMPL_ID_BASE + NETFLOW_TMPL_V4_PORTS));
	CHECK_EQ(ie_at(&o.rec[0], 9), -1);
}

static void test_v9_aggr(void)
{
	check_aggr(9);
}

static void test_ipfix_aggr(void)
{
	check_aggr(10);
}

static void test_v5_aggr_masks(void)
{
	struct netflow_record r4 = corpus_rec(C_TCP4);
	struct netflow_enc e;
	unsigned int len;

	r4.src_mask = 24;
	r4.dst_mask = 32;
	enc_setup(&e, 5, 0);
	CHECK_EQ(netflow_enc_add(&e, &r4, &corpus_now), 0);
	len = netflow_enc_finish(&e, &corpus_now, &pdu);
	CHECK_EQ(len, 24 + 48);
	CHECK_EQ(pdu[24 + 44], 24);
	CHECK_EQ(pdu[24 + 45], 32);
}

/*
 * mac, vlan: after the base fields (and 252/253) in every flow template,
 * MACs, then 58 (v9) or 243-246 (IPFIX), then 256; sampler field last.
 */
static void check_l2(int proto)
{
	struct netflow_record rec = corpus_rec(C_TCP4);
	struct netflow_record r6 = corpus_rec(C_ICMP6);
	static const u8 dmac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	static const u8 smac[6] = { 0x02, 0x00, 0x5e, 0xab, 0xcd, 0xef };
	struct tp_coll c = { .version = proto };
	unsigned int sid = proto == 9 ? 48 : 302;
	const struct tp_rec *r;
	struct netflow_enc e;
	struct tp_pdu o;
	int i;

	memcpy(rec.dst_mac, dmac, 6);
	memcpy(rec.src_mac, smac, 6);
	rec.vlan[0] = 5 << 13 | 100;	/* PCP 5, VID 100 */
	rec.vlan[1] = 3 << 13 | 1 << 12 | 4000;	/* PCP 3, DEI, VID 4000 */
	enc_setup(&e, proto, 0);
	netflow_enc_set_l2(&e, NETFLOW_L2_MAC | NETFLOW_L2_VLAN);
	if (!physdev_pdu(&e, &c, &rec, &o))
		return;
	r = &o.rec[0];
	CHECK_EQ(r->tid, TID(proto, NETFLOW_TMPL_ID_SAMPLED +
		 (((NETFLOW_L2_MAC | NETFLOW_L2_VLAN) << 3) - 1) *
		 NETFLOW_TMPL_FLOWS + NETFLOW_TMPL_V4_PORTS));
	i = ie_at(r, 80);
	CHECK(i > ie_at(r, 14));
	CHECK_EQ(ie_at(r, 56), i + 1);
	CHECK_EQ(r->t->len[i], 6);
	tp_missing = 0;
	CHECK_EQ(tp_get(r, 80), 0x525400123456ULL);
	CHECK_EQ(tp_get(r, 56), 0x02005eabcdefULL);
	if (proto == 9) {
		CHECK_EQ(ie_at(r, 58), i + 2);
		CHECK_EQ(r->t->len[i + 2], 2);
		CHECK_EQ(tp_get(r, 58), 100);
		CHECK_EQ(ie_at(r, 243), -1);
		CHECK_EQ(ie_at(r, 256), i + 3);
	} else {
		CHECK_EQ(ie_at(r, 243), i + 2);
		CHECK_EQ(ie_at(r, 244), i + 3);
		CHECK_EQ(ie_at(r, 245), i + 4);
		CHECK_EQ(ie_at(r, 246), i + 5);
		CHECK_EQ(r->t->len[i + 3], 1);
		CHECK_EQ(tp_get(r, 243), 100);
		CHECK_EQ(tp_get(r, 244), 5);
		CHECK_EQ(tp_get(r, 245), 4000);
		CHECK_EQ(tp_get(r, 246), 3);
		CHECK_EQ(ie_at(r, 58), -1);
		CHECK_EQ(ie_at(r, 256), i + 6);
	}
	CHECK_EQ(tp_get(r, 256), 0x0800);
	CHECK_EQ(ie_at(r, 256), r->t->n - 1);
	CHECK_EQ(tp_get(r, 2), rec.packets);
	CHECK_EQ(tp_missing, 0);

	/* IPv6, untagged, no MACs (a local flow): zeros, ethertype 86dd */
	if (!physdev_pdu(&e, &c, &r6, &o))
		return;
	r = &o.rec[0];
	CHECK_EQ(tp_get(r, 80), 0);
	CHECK_EQ(tp_get(r, 56), 0);
	CHECK_EQ(tp_get(r, proto == 9 ? 58 : 243), 0);
	CHECK_EQ(tp_get(r, 256), 0x86dd);

	/* with every other option: 252/253 after 14, the selector last */
	netflow_enc_set_physdev(&e, true);
	netflow_enc_set_aggr(&e, true);
	netflow_enc_set_sampler(&e, NETFLOW_SAMPLER_DETERMINISTIC, 10);
	if (!physdev_pdu(&e, &c, &rec, &o))
		return;
	r = &o.rec[0];
	/* variant 31: every group but mpls */
	CHECK_EQ(r->tid, TID(proto, NETFLOW_TMPL_ID_SAMPLED +
		 (31 - 1) * NETFLOW_TMPL_FLOWS + NETFLOW_TMPL_V4_PORTS));
	CHECK_EQ(ie_at(r, 252), ie_at(r, 14) + 1);
	CHECK_EQ(ie_at(r, 256), r->t->n - 2);
	CHECK_EQ(ie_at(r, sid), r->t->n - 1);
	CHECK(r->t->n <= NETFLOW_FLOW_IES_MAX);
	CHECK_EQ(tp_get(r, 56), 0x02005eabcdefULL);

	/* promisc's MPLS: 200, 70-72 after 256, before the selector */
	rec.mpls[0] = 16001 << 12 | 2 << 9 | 0xfe;	/* label, TC 2, TTL */
	rec.mpls[1] = 16002 << 12 | 1 << 8 | 0x40;	/* bottom of stack */
	netflow_enc_set_l2(&e, NETFLOW_L2_GROUPS);
	if (!physdev_pdu(&e, &c, &rec, &o))
		return;
	r = &o.rec[0];
	CHECK_EQ(r->tid, TID(proto, NETFLOW_TMPL_ID_SAMPLED +
		 (NETFLOW_TMPL_VARIANTS - 2) * NETFLOW_TMPL_FLOWS +
		 NETFLOW_TMPL_V4_PORTS));
	i = ie_at(r, 200);
	CHECK_EQ(i, ie_at(r, 256) + 1);
	CHECK_EQ(ie_at(r, 70), i + 1);
	CHECK_EQ(ie_at(r, 71), i + 2);
	CHECK_EQ(ie_at(r, 72), i + 3);
	CHECK_EQ(ie_at(r, sid), i + 4);
	CHECK_EQ(r->t->len[i], 1);
	CHECK_EQ(r->t->len[i + 1], 3);
	CHECK(r->t->n <= NETFLOW_FLOW_IES_MAX);
	tp_missing = 0;
	CHECK_EQ(tp_get(r, 200), 0xfe);
	CHECK_EQ(tp_get(r, 70), 16001 << 4 | 2 << 1);
	CHECK_EQ(tp_get(r, 71), 16002 << 4 | 1);
	CHECK_EQ(tp_get(r, 72), 0);
	CHECK_EQ(tp_missing, 0);
	memset(rec.mpls, 0, sizeof(rec.mpls));

	/* vlan only: no MACs */
	netflow_enc_set_l2(&e, NETFLOW_L2_VLAN);
	if (!physdev_pdu(&e, &c, &rec, &o))
		return;
	r = &o.rec[0];
	CHECK_EQ(ie_at(r, 80), -1);
	CHECK_EQ(ie_at(r, 56), -1);
	CHECK(ie_at(r, proto == 9 ? 58 : 243) > 0);
	CHECK_EQ(ie_at(r, 256), r->t->n - 2);

	/* both off: no link-layer field */
	netflow_enc_set_l2(&e, 0);
	if (!physdev_pdu(&e, &c, &rec, &o))
		return;
	r = &o.rec[0];
	CHECK_EQ(ie_at(r, 256), -1);
	CHECK_EQ(ie_at(r, 58), -1);
	CHECK_EQ(ie_at(r, 243), -1);
	CHECK_EQ(ie_at(r, 200), -1);
	CHECK_EQ(ie_at(r, 70), -1);
}

/* every variant of every flow template fits its IE array, own ids */
static void test_tmpl_variants_fit(void)
{
	unsigned int v, slot, proto;

	for (proto = 9; proto <= 10; proto++) {
		for (v = 0; v < NETFLOW_TMPL_VARIANTS; v++) {
			struct netflow_enc e;

			enc_setup(&e, proto, 0);
			netflow_enc_set_sampler(&e, v & 1 ?
						NETFLOW_SAMPLER_RANDOM : 0, 7);
			netflow_enc_set_physdev(&e, v & 2);
			netflow_enc_set_aggr(&e, v & 4);
			netflow_enc_set_l2(&e, v >> 3);
			for (slot = 0; slot < NETFLOW_TMPL_FLOWS; slot++) {
				CHECK(e.flow_tmpl[slot].n <=
				      NETFLOW_FLOW_IES_MAX);
				CHECK_EQ(netflow_enc_tmpl_id(&e, slot),
					 TID(proto, v ? NETFLOW_TMPL_ID_SAMPLED +
					 (v - 1) * NETFLOW_TMPL_FLOWS + slot :
					 NETFLOW_TMPL_ID_BASE + slot));
			}
		}
	}
}

static void test_v9_l2(void)
{
	check_l2(9);
}

static void test_ipfix_l2(void)
{
	check_l2(10);
}

static void test_v9_physdev(void)
{
	check_physdev(9);
}

static void test_ipfix_physdev(void)
{
	check_physdev(10);
}

/* IPFIX only: the selector report with the statistics (v5, v9: none) */
static void test_ipfix_sampler_stats(void)
{
	struct netflow_sampler_stats ss = {
		.flows = 1000, .flows_selected = 10,
		.packets = 123456, .packets_selected = 1234,
		.start_unix_ms = corpus_now.unix_ms - 60000,
	};
	struct tp_coll c = { .version = 10 };
	const struct tp_rec *r;
	struct netflow_enc e;
	unsigned int len;
	struct tp_pdu o;

	enc_setup(&e, 10, 0);
	CHECK_EQ(netflow_enc_add_sampler_stats(&e, &ss, &corpus_now),
		 -EOPNOTSUPP);
	netflow_enc_set_sampler(&e, NETFLOW_SAMPLER_RANDOM, 100);
	CHECK_EQ(netflow_enc_add_sampler_stats(&e, &ss, &corpus_now), 0);
	len = netflow_enc_finish(&e, &corpus_now, &pdu);
	CHECK_EQ(tp_parse(&c, pdu, len, &o), 0);
	if (o.err[0])
		printf("  parse: %s\n", o.err);
	CHECK_EQ(o.nrec, 1);
	if (o.nrec != 1)
		return;
	tp_missing = 0;
	r = &o.rec[0];
	CHECK_EQ(r->tid, TID(10, NETFLOW_TMPL_ID_BASE + NETFLOW_TMPL_SAMPLER_STATS));
	CHECK_EQ(r->t->scope, 1);
	CHECK_EQ(r->t->n, 7);
	CHECK_EQ(r->t->id[0], 302);
	CHECK_EQ(tp_get(r, 302), NETFLOW_SAMPLER_RANDOM);
	CHECK_EQ(tp_get(r, 394), 1000);
	CHECK_EQ(tp_get(r, 395), 10);
	CHECK_EQ(tp_get(r, 318), 123456);
	CHECK_EQ(tp_get(r, 319), 1234);
	CHECK_EQ(tp_get(r, 152), corpus_now.unix_ms - 60000);
	CHECK_EQ(tp_get(r, 153), corpus_now.unix_ms);
	CHECK_EQ(tp_missing, 0);

	enc_setup(&e, 9, 0);
	netflow_enc_set_sampler(&e, NETFLOW_SAMPLER_RANDOM, 100);
	CHECK_EQ(netflow_enc_add_sampler_stats(&e, &ss, &corpus_now),
		 -EOPNOTSUPP);
	enc_setup(&e, 5, 0);
	netflow_enc_set_sampler(&e, NETFLOW_SAMPLER_RANDOM, 100);
	CHECK_EQ(netflow_enc_add_sampler_stats(&e, &ss, &corpus_now),
		 -EOPNOTSUPP);
}

static void test_v9_sampler(void)
{
	check_sampler(9, NETFLOW_SAMPLER_DETERMINISTIC);
	check_sampler(9, NETFLOW_SAMPLER_RANDOM);
	check_sampler(9, NETFLOW_SAMPLER_HASH);
}

static void test_ipfix_sampler(void)
{
	check_sampler(10, NETFLOW_SAMPLER_DETERMINISTIC);
	check_sampler(10, NETFLOW_SAMPLER_RANDOM);
	check_sampler(10, NETFLOW_SAMPLER_HASH);
}

/*
 * A collector's view of a long mixed stream at many mtus: no PDU above
 * the mtu, every data set after its template, nothing lost, sequence
 * numbers continuous, -ENOSPC never on an empty PDU.
 */
static void check_stream(int proto, unsigned int mtu)
{
	struct tp_coll c = { .version = proto };
	struct netflow_clock now = corpus_now;
	unsigned int i, len, seq = 0, got = 0, want = 0, pdus = 0;
	struct netflow_enc e;
	struct tp_pdu o;
	int rc;

	enc_setup(&e, proto, mtu);
	e.cfg.refresh_rate = 4;
	for (i = 0; i < 400; i++) {
		struct netflow_record r = corpus_rec(i * 7 % C_N);
		int retry;

		now.uptime_ms += 10;
		for (retry = 0; retry < 2; retry++) {
			if (i % 37 == 5)
				rc = netflow_enc_add_stats(&e, &stats, &now);
			else if (i % 23 == 7)
				rc = netflow_enc_add_ifname(&e, i, "ppp", &now);
			else
				rc = netflow_enc_add(&e, &r, &now);
			if (rc != -ENOSPC)
				break;
			CHECK(netflow_enc_records(&e) > 0);
			len = netflow_enc_finish(&e, &now, &pdu);
			CHECK(len <= (mtu ? mtu : NETFLOW_MTU_DEFAULT));
			CHECK_EQ(tp_parse(&c, pdu, len, &o), 0);
			CHECK_EQ(o.seq, proto == 9 ? pdus : seq);
			seq += o.nrec;
			got += o.nrec;
			pdus++;
		}
		CHECK_EQ(rc, 0);
		want++;
	}
	len = netflow_enc_finish(&e, &now, &pdu);
	CHECK_EQ(tp_parse(&c, pdu, len, &o), 0);
	if (o.err[0])
		printf("  parse: %s\n", o.err);
	got += o.nrec;
	CHECK_EQ(got, want);
	CHECK(pdus > 0);
}

static void test_mtu_streams(void)
{
	unsigned int mtu;

	for (mtu = NETFLOW_MTU_MIN; mtu <= NETFLOW_PDU_MAX; mtu += 61) {
		check_stream(9, mtu);
		check_stream(10, mtu);
	}
	check_stream(9, 0);
	check_stream(10, 65535);
}

/* The smallest mtu still takes any record with its template. */
static void test_mtu_min(void)
{
	struct netflow_enc e;
	int proto, i;

	for (proto = 9; proto <= 10; proto++) {
		for (i = 0; i < C_N; i++) {
			enc_setup(&e, proto, 1);
			CHECK_EQ(e.limit, NETFLOW_MTU_MIN);
			CHECK_EQ(add(&e, i), 0);
			CHECK(netflow_enc_finish(&e, &corpus_now, &pdu) <=
			      NETFLOW_MTU_MIN);
		}
		enc_setup(&e, proto, 1);
		CHECK_EQ(netflow_enc_add_stats(&e, &stats, &corpus_now), 0);
		enc_setup(&e, proto, 1);
		CHECK_EQ(netflow_enc_add_ifname(&e, 1, "x", &corpus_now), 0);
	}
	enc_setup(&e, 7, 0);
	CHECK_EQ(add(&e, C_TCP4), -EINVAL);
}

/* SCTP and UDP-Lite records carry their ports, in every protocol. */
static void test_sctp_udplite_ports(void)
{
	static const u8 protos[] = { 132, 136 };
	struct netflow_enc e;
	struct tp_pdu o;
	unsigned int len, i;
	int proto, fam;

	for (proto = 9; proto <= 10; proto++) {
		for (fam = 0; fam < 2; fam++) {
			struct tp_coll c = { .version = proto };

			enc_setup(&e, proto, 0);
			for (i = 0; i < ARRAY_SIZE(protos); i++) {
				struct netflow_record r;

				r = corpus_rec(fam ? C_TCP6 : C_TCP4);
				r.protocol = protos[i];
				r.sport = 2905 + i;
				r.dport = 36412 - i;
				r.tcp_flags = 0;
				CHECK_EQ(netflow_enc_add(&e, &r, &corpus_now), 0);
			}
			len = netflow_enc_finish(&e, &corpus_now, &pdu);
			CHECK_EQ(tp_parse(&c, pdu, len, &o), 0);
			if (o.err[0])
				printf("  parse: %s\n", o.err);
			CHECK_EQ(o.nrec, 2);
			for (i = 0; i < 2 && (int)i < o.nrec; i++) {
				tp_missing = 0;
				CHECK_EQ(tp_get(&o.rec[i], 4), protos[i]);
				CHECK_EQ(tp_get(&o.rec[i], 7), 2905 + i);
				CHECK_EQ(tp_get(&o.rec[i], 11), 36412 - i);
				CHECK_EQ(tp_missing, 0);
			}
		}
	}
	enc_setup(&e, 5, 0);
	for (i = 0; i < ARRAY_SIZE(protos); i++) {
		struct netflow_record r = corpus_rec(C_UDP4);

		r.protocol = protos[i];
		r.sport = 2905 + i;
		r.dport = 36412 - i;
		CHECK_EQ(netflow_enc_add(&e, &r, &corpus_now), 0);
	}
	len = netflow_enc_finish(&e, &corpus_now, &pdu);
	CHECK_EQ(len, 24 + 2 * 48);
	for (i = 0; i < ARRAY_SIZE(protos); i++) {
		CHECK_EQ(pdu[24 + 48 * i + 38], protos[i]);
		CHECK_EQ(tp_be(pdu + 24 + 48 * i + 32, 2), 2905 + i);
		CHECK_EQ(tp_be(pdu + 24 + 48 * i + 34, 2), 36412 - i);
	}
}

/*
 * v5 times are 32-bit ms of sysUptime: first/last above 2^24 ms (4.6 h)
 * keep every bit, and past 2^32 ms (49.7 days) uptime, first and last
 * wrap together, as collectors expect. v9 does the same; IPFIX's
 * absolute 64-bit times do not wrap at all.
 */
static void test_long_uptime(void)
{
	static const u64 ups[] = {
		0x1000000ULL + 5000,		/* just past 2^24 ms */
		0xabcdef12ULL,			/* 33 days */
		0x100000000ULL + 0x2345678,	/* 49.7 days + 10 h */
		0x3fedcba987ULL,		/* 8 years */
	};
	struct tp_coll c9 = { .version = 9 }, c10 = { .version = 10 };
	struct netflow_enc e;
	struct tp_pdu o;
	unsigned int i, len;

	for (i = 0; i < ARRAY_SIZE(ups); i++) {
		struct netflow_clock now = corpus_now;
		struct netflow_record r = corpus_rec(C_TCP4);

		now.uptime_ms = ups[i];
		now.unix_ms = CORPUS_BOOT_MS + ups[i];
		r.first_ms = ups[i] - 0x800123;		/* 2.3 h earlier */
		r.last_ms = ups[i] - 17;
		enc_setup(&e, 5, 0);
		CHECK_EQ(netflow_enc_add(&e, &r, &now), 0);
		len = netflow_enc_finish(&e, &now, &pdu);
		CHECK_EQ(len, 24 + 48);
		CHECK_EQ(tp_be(pdu + 4, 4), (u32)ups[i]);
		CHECK_EQ(tp_be(pdu + 24 + 24, 4), (u32)r.first_ms);
		CHECK_EQ(tp_be(pdu + 24 + 28, 4), (u32)r.last_ms);
		/* what a collector computes: age of the flow start */
		CHECK_EQ((u32)(tp_be(pdu + 4, 4) - tp_be(pdu + 24 + 24, 4)),
			 0x800123);

		enc_setup(&e, 9, 0);
		CHECK_EQ(netflow_enc_add(&e, &r, &now), 0);
		len = netflow_enc_finish(&e, &now, &pdu);
		CHECK_EQ(tp_parse(&c9, pdu, len, &o), 0);
		CHECK_EQ(o.uptime, (u32)ups[i]);
		CHECK_EQ(o.nrec, 1);
		if (o.nrec == 1) {
			CHECK_EQ(tp_get(&o.rec[0], 22), (u32)r.first_ms);
			CHECK_EQ(tp_get(&o.rec[0], 21), (u32)r.last_ms);
		}

		enc_setup(&e, 10, 0);
		CHECK_EQ(netflow_enc_add(&e, &r, &now), 0);
		len = netflow_enc_finish(&e, &now, &pdu);
		CHECK_EQ(tp_parse(&c10, pdu, len, &o), 0);
		CHECK_EQ(o.nrec, 1);
		if (o.nrec == 1) {
			CHECK_EQ(tp_get(&o.rec[0], 152),
				 CORPUS_BOOT_MS + r.first_ms);
			CHECK_EQ(tp_get(&o.rec[0], 153),
				 CORPUS_BOOT_MS + r.last_ms);
		}
	}
}

/* NAT template: 11 fields, pre/post tuples where the spec puts them. */
static void check_nat(int proto)
{
	static struct netflow_enc e;
	struct netflow_nat_event ev4 = nat_event(NAT_FULL4, NETFLOW_NAT_CREATE);
	struct netflow_nat_event ev6 = nat_event(NAT_SNAT6, NETFLOW_NAT_DELETE);
	static struct tp_coll c;
	static struct tp_pdu o;
	unsigned int len;
	int l;

	enc_setup(&e, proto, 0);
	CHECK_EQ(netflow_enc_add_nat(&e, &ev4, &corpus_now), 0);
	CHECK_EQ(netflow_enc_add_nat(&e, &ev6, &corpus_now), 0);
	len = netflow_enc_finish(&e, &corpus_now, &pdu);
	memset(&c, 0, sizeof(c));
	c.version = proto;
	CHECK_EQ(tp_parse(&c, pdu, len, &o), 0);
	if (o.err[0])
		printf("  %s\n", o.err);
	CHECK_EQ(o.nrec, 2);
	CHECK_EQ(o.ntmpl, 2);
	if (o.nrec != 2)
		return;
	CHECK_EQ(o.rec[0].tid, TID(proto, 256 + NETFLOW_TMPL_NAT4));
	CHECK_EQ(o.rec[0].t->n, 11);
	CHECK_EQ(o.rec[0].t->reclen, 34);
	CHECK_EQ(o.rec[1].tid, TID(proto, 256 + NETFLOW_TMPL_NAT6));
	CHECK_EQ(tp_get(&o.rec[0], 323), ev4.unix_ms);
	CHECK_EQ(tp_get(&o.rec[0], 8), 0x0a000002);
	CHECK_EQ(tp_get(&o.rec[0], 12), 0xc6336402);
	CHECK_EQ(tp_get(&o.rec[0], 225), 0xc0000201);
	CHECK_EQ(tp_get(&o.rec[0], 226), 0x0a000103);
	CHECK_EQ(tp_get(&o.rec[0], 7), 40001);
	CHECK_EQ(tp_get(&o.rec[0], 11), 80);
	CHECK_EQ(tp_get(&o.rec[0], 227), 61000);
	CHECK_EQ(tp_get(&o.rec[0], 228), 8080);
	CHECK_EQ(tp_get(&o.rec[0], 4), 6);
	CHECK_EQ(tp_get(&o.rec[0], 230), 1);
	CHECK(!memcmp(tp_field(&o.rec[1], 281, &l), ev6.post_src.b, 16));
	CHECK(!memcmp(tp_field(&o.rec[1], 27, &l), ev6.pre_src.b, 16));
	CHECK_EQ(tp_get(&o.rec[1], 227), 1024);
	CHECK_EQ(tp_get(&o.rec[1], 230), 2);
}

static void test_v9_nat(void)
{
	check_nat(9);
}

static void test_ipfix_nat(void)
{
	check_nat(10);
}

/* v5: full NAT is two pseudo-flows, all or none; IPv6 is refused. */
static void test_v5_nat(void)
{
	static struct netflow_enc e;
	struct netflow_nat_event ev = nat_event(NAT_FULL4, NETFLOW_NAT_DELETE);
	struct netflow_nat_event ev6 = nat_event(NAT_SNAT6, NETFLOW_NAT_CREATE);
	unsigned int len, i;

	enc_setup(&e, 5, 0);
	CHECK_EQ(netflow_enc_add_nat(&e, &ev6, &corpus_now), -EAFNOSUPPORT);
	for (i = 0; i < 14; i++)
		CHECK_EQ(netflow_enc_add_nat(&e, &ev, &corpus_now), 0);
	CHECK_EQ(netflow_enc_records(&e), 28);
	ev = nat_event(NAT_SNAT4, NETFLOW_NAT_DELETE);
	CHECK_EQ(netflow_enc_add_nat(&e, &ev, &corpus_now), 0);
	ev = nat_event(NAT_FULL4, NETFLOW_NAT_DELETE);
	CHECK_EQ(netflow_enc_add_nat(&e, &ev, &corpus_now), -ENOSPC);
	len = netflow_enc_finish(&e, &corpus_now, &pdu);
	CHECK_EQ(len, 24 + 29 * 48);
	/* record 0: SNAT half: nexthop post source, src_as post port */
	CHECK_EQ(get_unaligned_be32(pdu + 24 + 8), 0xc0000201);
	CHECK_EQ(get_unaligned_be16(pdu + 24 + 40), 61000);
	CHECK_EQ(get_unaligned_be16(pdu + 24 + 42), 0);
	CHECK_EQ(pdu[24 + 37], 0x05);
	/* record 1: DNAT half: nexthop pre destination, dst_as pre port */
	CHECK_EQ(get_unaligned_be32(pdu + 72 + 4), 0x0a000103);
	CHECK_EQ(get_unaligned_be32(pdu + 72 + 8), 0xc6336402);
	CHECK_EQ(get_unaligned_be16(pdu + 72 + 34), 8080);
	CHECK_EQ(get_unaligned_be16(pdu + 72 + 40), 0);
	CHECK_EQ(get_unaligned_be16(pdu + 72 + 42), 80);
	CHECK_EQ(get_unaligned_be32(pdu + 72 + 16), 0);
	CHECK_EQ(get_unaligned_be32(pdu + 72 + 24), (u32)ev.uptime_ms);
}

static const char *pcap_dir;

static void test_write_pcaps(void)
{
	CHECK_EQ(tshark_write_all(pcap_dir), 0);
	CHECK_EQ(tshark_write_nat_all(pcap_dir), 0);
}

int main(void)
{
	pcap_dir = getenv("NETFLOW_PCAP_DIR");

	RUN_TEST(test_v5_fields);
	RUN_TEST(test_v5_saturate_and_v6);
	RUN_TEST(test_v5_full_and_sequence);
	RUN_TEST(test_v9_fields);
	RUN_TEST(test_ipfix_fields);
	RUN_TEST(test_template_layout);
	RUN_TEST(test_refresh);
	RUN_TEST(test_v9_options);
	RUN_TEST(test_ipfix_options);
	RUN_TEST(test_v5_sampler_header);
	RUN_TEST(test_v9_sampler);
	RUN_TEST(test_ipfix_sampler);
	RUN_TEST(test_ipfix_sampler_stats);
	RUN_TEST(test_v9_l2);
	RUN_TEST(test_ipfix_l2);
	RUN_TEST(test_tmpl_variants_fit);
	RUN_TEST(test_v9_physdev);
	RUN_TEST(test_ipfix_physdev);
	RUN_TEST(test_v9_aggr);
	RUN_TEST(test_ipfix_aggr);
	RUN_TEST(test_v5_aggr_masks);
	RUN_TEST(test_mtu_streams);
	RUN_TEST(test_mtu_min);
	RUN_TEST(test_sctp_udplite_ports);
	RUN_TEST(test_long_uptime);
	RUN_TEST(test_v5_nat);
	RUN_TEST(test_v9_nat);
	RUN_TEST(test_ipfix_nat);
	if (pcap_dir)
		RUN_TEST(test_write_pcaps);
	return UNIT_EXIT();
}
