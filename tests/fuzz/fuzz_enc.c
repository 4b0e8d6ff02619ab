// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer targets for the encoders, one build per protocol (FUZZ_PROTO
 * 5, 9 or 10) plus one mixing options records in (FUZZ_OPTIONS, v9 and
 * IPFIX). The input is a config and a stream of records and clock steps;
 * every PDU is decoded again (v9/IPFIX by tests/unit/enc_parse.h, v5 by
 * its fixed layout) and must carry exactly the records that went in, each
 * field as the record had it, within the mtu, sequence numbers unbroken.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encode.h"
#include "enc_parse.h"
#include "promise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifndef FUZZ_OPTIONS
#define FUZZ_OPTIONS 0
#endif

struct cursor {
	const u8 *p;
	size_t left;
};

static u64 take(struct cursor *c, unsigned int len)
{
	u64 v = 0;

	while (len--) {
		v <<= 8;
		if (c->left) {
			v |= *c->p++;
			c->left--;
		}
	}
	return v;
}

/* What went into the pending PDU, in order. */
enum { K_FLOW, K_STATS, K_IFNAME };
struct sent {
	int kind;
	struct netflow_record r;
	struct netflow_exporter_stats s;
	u32 ifindex;
	char name[24];
	u64 boot_ms;		/* unix ms at uptime 0 when it was added */
};

#define MAX_SENT 160
static struct sent sent[MAX_SENT];
static unsigned int nsent;

static void make_record(struct cursor *c, struct netflow_record *r, int proto)
{
	static const u8 protos[] = { 6, 17, 1, 58, 47, 132, 136, 50 };
	u8 sel = take(c, 1);

	memset(r, 0, sizeof(*r));
	r->family = (sel & 0x80) && proto != 5 ? 6 : 4;
	if (sel & 0x40 && proto == 5 && (sel & 0x20))
		r->family = 6;			/* v5 must refuse it */
	r->protocol = sel & 8 ? take(c, 1) : protos[sel & 7];
	if (r->family == 4) {
		r->src.ip4 = (__force __be32)(u32)take(c, 4);
		r->dst.ip4 = (__force __be32)(u32)take(c, 4);
	} else {
		unsigned int i;

		for (i = 0; i < 16; i++) {
			r->src.b[i] = take(c, 1);
			r->dst.b[i] = take(c, 1);
		}
		r->flow_label = take(c, 3) & 0xfffff;
	}
	r->sport = take(c, 2);
	r->dport = take(c, 2);
	r->packets = take(c, sel & 0x10 ? 8 : 2);
	r->bytes = take(c, sel & 0x10 ? 8 : 3);
	r->last_ms = take(c, sel & 0x04 ? 6 : 4);
	r->first_ms = r->last_ms - take(c, 3);
	r->ifindex_in = take(c, sel & 0x02 ? 4 : 1);
	r->ifindex_out = take(c, sel & 0x02 ? 4 : 1);
	r->tos = take(c, 1) & 0xfc;
	r->tcp_flags = take(c, 1);
	r->end_reason = take(c, 1) % 5 + 1;
	r->direction = take(c, 1) & 1;
}

static bool has_ports(const struct netflow_record *r)
{
	return r->protocol == 6 || r->protocol == 17 || r->protocol == 132 ||
	       r->protocol == 136;
}

static bool is_icmp(const struct netflow_record *r)
{
	return (r->family == 4 && r->protocol == 1) ||
	       (r->family == 6 && r->protocol == 58);
}

/* The value IE @id must have for @r, from the IE's meaning (RFC 7012). */
static u64 want_ie(const struct netflow_record *r, unsigned int id,
		   u64 boot_ms)
{
	switch (id) {
	case 1: return r->bytes;
	case 2: return r->packets;
	case 4: return r->protocol;
	case 5: return r->tos;
	case 6: return r->tcp_flags;
	case 7: return r->sport;
	case 11: case 32: case 139: return r->dport;
	case 10: return r->ifindex_in;
	case 14: return r->ifindex_out;
	case 9: return r->src_mask;
	case 13: return r->dst_mask;
	case 252: return r->phys_in;
	case 253: return r->phys_out;
	case 21: return (u32)r->last_ms;
	case 22: return (u32)r->first_ms;
	case 31: return r->flow_label;
	case 60: return r->family;
	case 61: return r->direction;
	case 136: return r->end_reason;
	case 152: return boot_ms + r->first_ms;
	case 153: return boot_ms + r->last_ms;
	}
	PROMISE(!"unknown IE in a flow template");
	return 0;
}

static u64 mask_len(u64 v, int len)
{
	return len >= 8 ? v : v & ((1ULL << (8 * len)) - 1);
}

static void check_flow(const struct tp_rec *t, const struct netflow_record *r,
		       int proto, u64 boot_ms)
{
	const unsigned char *p = t->p;
	int i, len;
	u64 want;

	PROMISE(tp_has(t, 7) == has_ports(r));
	/* v9 ICMP also puts type/code where v5 did, in the dst port */
	PROMISE(tp_has(t, 11) == (has_ports(r) || (is_icmp(r) && proto == 9)));
	PROMISE(tp_has(t, 6) == has_ports(r));
	PROMISE(tp_has(t, r->family == 4 ? 8 : 27));
	PROMISE(!tp_has(t, r->family == 4 ? 27 : 8));
	PROMISE(tp_has(t, 136) == (proto == 10));
	if (is_icmp(r))
		PROMISE(tp_has(t, 32) || tp_has(t, 139));
	for (i = 0; i < t->t->n; p += t->t->len[i], i++) {
		unsigned int id = t->t->id[i];

		len = t->t->len[i];
		if (id == 8 || id == 27) {
			PROMISE(!memcmp(p, r->src.b, len));
			continue;
		}
		if (id == 12 || id == 28) {
			PROMISE(!memcmp(p, r->dst.b, len));
			continue;
		}
		PROMISE(len <= 8);
		want = mask_len(want_ie(r, id, boot_ms), len);
		if (tp_be(p, len) != want)
			fprintf(stderr, "IE %u: %llu, want %llu\n", id,
				tp_be(p, len), (unsigned long long)want);
		PROMISE(tp_be(p, len) == want);
	}
}

static u32 sat(u64 v, u64 max)
{
	return v > max ? max : v;
}

static void check_v5(const u8 *pdu, unsigned int len,
		     const struct netflow_clock *now, u32 seq, u8 engine)
{
	unsigned int i;

	PROMISE(len == 24 + 48 * nsent);
	PROMISE(nsent >= 1 && nsent <= NETFLOW_V5_MAX_RECORDS);
	PROMISE(tp_be(pdu, 2) == 5);
	PROMISE(tp_be(pdu + 2, 2) == nsent);
	PROMISE(tp_be(pdu + 4, 4) == (u32)now->uptime_ms);
	PROMISE(tp_be(pdu + 8, 4) == (u32)(now->unix_ms / 1000));
	PROMISE(tp_be(pdu + 12, 4) == now->unix_nsecs);
	PROMISE(tp_be(pdu + 16, 4) == seq);
	PROMISE(pdu[21] == engine);
	for (i = 0; i < nsent; i++) {
		const struct netflow_record *r = &sent[i].r;
		const u8 *q = pdu + 24 + 48 * i;

		PROMISE(!memcmp(q, &r->src.ip4, 4));
		PROMISE(!memcmp(q + 4, &r->dst.ip4, 4));
		PROMISE(tp_be(q + 8, 4) == 0);
		PROMISE(tp_be(q + 12, 2) == sat(r->ifindex_in, 0xffff));
		PROMISE(tp_be(q + 14, 2) == sat(r->ifindex_out, 0xffff));
		PROMISE(tp_be(q + 16, 4) == sat(r->packets, 0xffffffff));
		PROMISE(tp_be(q + 20, 4) == sat(r->bytes, 0xffffffff));
		PROMISE(tp_be(q + 24, 4) == (u32)r->first_ms);
		PROMISE(tp_be(q + 28, 4) == (u32)r->last_ms);
		PROMISE(tp_be(q + 32, 2) == r->sport);
		PROMISE(tp_be(q + 34, 2) == r->dport);
		PROMISE(q[37] == r->tcp_flags);
		PROMISE(q[38] == r->protocol);
		PROMISE(q[39] == r->tos);
	}
}

static void check_pdu(struct tp_coll *coll, const u8 *pdu, unsigned int len,
		      const struct netflow_enc *e,
		      const struct netflow_clock *now, u64 *seq)
{
	struct tp_pdu *o = malloc(sizeof(*o));
	unsigned int i;
	int l;

	PROMISE(len > 0);
	if (e->cfg.protocol == 5) {
		check_v5(pdu, len, now, *seq, e->cfg.engine_id & 0xff);
		*seq += nsent;
		free(o);
		return;
	}
	PROMISE(len <= e->limit);
	if (tp_parse(coll, pdu, len, o)) {
		fprintf(stderr, "collector: %s\n", o->err);
		PROMISE(!"PDU a collector rejects");
	}
	PROMISE(o->nrec == (int)nsent);
	PROMISE(o->seq == (u32)*seq);
	PROMISE(o->domain == e->cfg.engine_id);
	PROMISE(o->secs == (u32)(now->unix_ms / 1000));
	if (e->cfg.protocol == 9)
		PROMISE(o->uptime == (u32)now->uptime_ms);
	*seq += e->cfg.protocol == 9 ? 1 : nsent;
	for (i = 0; i < nsent; i++) {
		const struct tp_rec *t = &o->rec[i];
		const struct sent *s = &sent[i];

		switch (s->kind) {
		case K_FLOW:
			PROMISE(t->t->scope == 0);
			check_flow(t, &s->r, e->cfg.protocol, s->boot_ms);
			break;
		case K_STATS:
			PROMISE(t->tid == netflow_enc_tmpl_id(e, NETFLOW_TMPL_STATS));
			PROMISE(t->t->scope == 1);
			PROMISE(tp_get(t, t->t->id[0]) == e->cfg.engine_id);
			PROMISE(tp_get(t, 41) == s->s.exported_messages);
			PROMISE(tp_get(t, 40) == s->s.exported_octets);
			PROMISE(tp_get(t, 42) == s->s.exported_flows);
			PROMISE(tp_get(t, 164) == s->s.ignored_packets);
			PROMISE(tp_get(t, 166) == s->s.notsent_flows);
			PROMISE(tp_get(t, 167) == s->s.notsent_packets);
			PROMISE(tp_get(t, 168) == s->s.notsent_octets);
			break;
		case K_IFNAME: {
			const unsigned char *nm;
			char want[NETFLOW_IFNAME_LEN];

			PROMISE(t->tid == netflow_enc_tmpl_id(e, NETFLOW_TMPL_IFNAME));
			PROMISE(tp_get(t, t->t->id[0]) == s->ifindex);
			nm = tp_field(t, 82, &l);
			PROMISE(nm && l == NETFLOW_IFNAME_LEN);
			/* the name up to its NUL or 16 bytes, zero-padded */
			memset(want, 0, sizeof(want));
			memcpy(want, s->name, strnlen(s->name, sizeof(want)));
			PROMISE(!memcmp(nm, want, sizeof(want)));
			break;
		}
		}
	}
	free(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cursor c = { data, size };
	struct netflow_clock now;
	struct netflow_enc_cfg cfg;
	struct netflow_enc *e;
	struct tp_coll *coll;
	const u8 *pdu;
	u64 seq = 0;
	u8 op;

	if (size < 8)
		return 0;
	memset(&cfg, 0, sizeof(cfg));
#if FUZZ_OPTIONS
	cfg.protocol = take(&c, 1) & 1 ? 10 : 9;
#else
	cfg.protocol = FUZZ_PROTO;
#endif
	cfg.mtu = take(&c, 2);
	cfg.engine_id = take(&c, 4);
	cfg.refresh_rate = take(&c, 1) % 8;
	cfg.timeout_rate_ms = take(&c, 1) * 100;
	now.uptime_ms = take(&c, 5);
	now.unix_ms = 1700000000000ULL + now.uptime_ms + take(&c, 4);
	now.unix_nsecs = (now.unix_ms % 1000) * 1000000 + take(&c, 2) % 1000000;
	e = malloc(sizeof(*e));
	coll = calloc(1, sizeof(*coll));
	coll->version = cfg.protocol == 10 ? 10 : 9;
	netflow_enc_init(e, &cfg);
	nsent = 0;
	while (c.left) {
		struct sent *s = &sent[nsent];
		unsigned int len;
		int rc, retry;

		op = take(&c, 1);
		if (op >= 0xf0) {		/* the clock moves on */
			now.uptime_ms += take(&c, 3);
			now.unix_ms += take(&c, 3);
			continue;
		}
		if (op == 0xef) {
			netflow_enc_force_templates(e);
			continue;
		}
		memset(s, 0, sizeof(*s));
		s->boot_ms = now.unix_ms - now.uptime_ms;
		s->kind = FUZZ_OPTIONS ? op % 3 : K_FLOW;
		if (s->kind == K_FLOW) {
			make_record(&c, &s->r, cfg.protocol);
		} else if (s->kind == K_STATS) {
			s->s.exported_messages = take(&c, 8);
			s->s.exported_octets = take(&c, 8);
			s->s.exported_flows = take(&c, 4);
			s->s.ignored_packets = take(&c, 4);
			s->s.notsent_flows = take(&c, 2);
			s->s.notsent_packets = take(&c, 2);
			s->s.notsent_octets = take(&c, 2);
		} else {
			unsigned int i, n = take(&c, 1) % 21;

			s->ifindex = take(&c, 4);
			for (i = 0; i < n; i++)
				s->name[i] = take(&c, 1);
		}
		for (retry = 0; retry < 2; retry++) {
			if (s->kind == K_FLOW)
				rc = netflow_enc_add(e, &s->r, &now);
			else if (s->kind == K_STATS)
				rc = netflow_enc_add_stats(e, &s->s, &now);
			else
				rc = netflow_enc_add_ifname(e, s->ifindex,
							    s->name, &now);
			if (rc != -ENOSPC)
				break;
			/* full: never on an empty PDU */
			PROMISE(netflow_enc_records(e) == nsent && nsent > 0);
			len = netflow_enc_finish(e, &now, &pdu);
			check_pdu(coll, pdu, len, e, &now, &seq);
			memmove(&sent[0], s, sizeof(*s));
			s = &sent[0];
			nsent = 0;
		}
		if (s->kind == K_FLOW && s->r.family == 6 && cfg.protocol == 5) {
			PROMISE(rc == -EAFNOSUPPORT);
			continue;
		}
		PROMISE(rc == 0);
		nsent++;
		PROMISE(netflow_enc_records(e) == nsent);
		PROMISE(nsent < MAX_SENT);
	}
	if (nsent) {
		unsigned int len = netflow_enc_finish(e, &now, &pdu);

		check_pdu(coll, pdu, len, e, &now, &seq);
	}
	PROMISE(netflow_enc_finish(e, &now, &pdu) == 0);
	free(e);
	free(coll);
	return 0;
}
