// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace driver of the flow engine's pure core (flowkey.c, table_core.c,
 * enc_*.c) for callgrind: a deterministic synthetic trace, an uncounted
 * setup, and one counted phase (bench_phase) whose cost the caller
 * differences between two run lengths so fixed costs cancel.
 *
 * usage: bench_core MODE FLOWS N
 *   gen      only make N packets (the generator's cost, subtracted)
 *   hit      N packets to random flows of a table of FLOWS IPv4 flows
 *   hit6     the same with IPv6 flows
 *   new      N packets, each a new IPv4 flow, into a table of FLOWS
 *   full     the same into a table limited to FLOWS: each evicts one
 *   exp5 / expipfix
 *            FLOWS live flows plus N idle ones: expire the N and encode
 *            each (NetFlow v5 / IPFIX), then free it
 *   size     print object sizes (no phase)
 *
 * The per-packet body is netflow_flow_account() of kernel/flow.c without the
 * skb: the same parser, hash input, lookup, flow fill and update helpers
 * (table_core.h), the same hash (flowhash.h) and per-CPU statistics. What
 * differs: a free list stands in for the slab allocator. BENCH_HASH_MUL
 * swaps in a multiply-xor hash (hashmul.h), to show what hashing costs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "table_core.h"
#include "flowkey.h"
#include "encode.h"
#include "hashmul.h"
#include "flowhash.h"

#define HZ		250
#define ACTIVE		(1800 * HZ)
#define INACTIVE	(15 * HZ)
#define SLOT_SHIFT	6		/* flow.c: ilog2(roundup_pow_of_two(HZ/4)) */
#define T0		100000u

struct bench_stats {	/* struct netflow_cpu_stats, as the kernel bumps it */
	u64 pkts, bytes, found, created, trunc, frag, alloc_fail, maxflows;
	u64 drop_pkts, drop_bytes;
};

static struct netflow_table tbl;
static struct bench_stats stats;
#ifdef BENCH_HASH_MUL
static struct bench_hkey hkey = { 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL };
#else
static const struct netflow_hash_secret fhkey = {
	0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL
};
#endif
static struct netflow_flow *pool;	/* the "slab": a free list */
static struct netflow_flow *free_head;
static u32 now = T0;
static u64 rng = 0x9e3779b97f4a7c15ULL;
static u8 pkt4[28], pkt6[48];
static u64 sink;			/* keeps results alive */

static struct netflow_flow *flow_alloc(void)
{
	struct netflow_flow *f = free_head;

	if (f)
		free_head = *(struct netflow_flow **)f;
	return f;
}

static void flow_free(struct netflow_flow *f)
{
	*(struct netflow_flow **)f = free_head;
	free_head = f;
}

static struct netflow_flow *flow_create(const struct netflow_key *key, u32 hash,
					const struct netflow_pktinfo *info)
{
	struct netflow_flow *f;

	if (tbl.limit && tbl.count >= tbl.limit) {
		/* flow.c: the evicted flow goes to export; here, freed */
		f = netflow_table_evict(&tbl);
		if (f) {
			stats.maxflows++;
			flow_free(f);
		}
	}
	f = flow_alloc();
	if (unlikely(!f)) {
		stats.alloc_fail++;
		return NULL;
	}
	netflow_flow_fill(f, key, hash, now, info->flow_label,
			  NETFLOW_DIR_INGRESS);
	netflow_table_insert(&tbl, f);
	stats.created++;
	return f;
}

/* netflow_flow_account() without the skb: one packet from @data. */
static __attribute__((noinline)) void account(const u8 *data, unsigned int len,
					      u8 family)
{
	struct netflow_pkt pkt = { .data = data, .len = len };
	struct netflow_pktinfo info;
	struct netflow_hash_input hin;
	struct netflow_key key;
	struct netflow_flow *f;
	unsigned int hlen;
	const void *hp;
	u32 hash;
	u64 bytes;
	int rc;

	rc = netflow_key_parse(&pkt, family, &key, &info);
	if (unlikely(rc < 0)) {
		stats.pkts++;
		stats.trunc++;
		return;
	}
	bytes = info.l3_bytes;
	if (unlikely(info.flags & (NETFLOW_PKT_TRUNC | NETFLOW_PKT_FRAG_LATER))) {
		stats.trunc += !!(info.flags & NETFLOW_PKT_TRUNC);
		stats.frag += !!(info.flags & NETFLOW_PKT_FRAG_LATER);
	}
	stats.pkts++;
	stats.bytes += bytes;
	key.ifindex_in = 2;
	key.ifindex_out = 0;
	hp = netflow_key_hash_input(&key, &hin, &hlen);
#ifdef BENCH_HASH_MUL
	hash = bench_hash(hp, hlen, &hkey);
#else
	hash = netflow_flow_hash(hp, hlen / 8, NULL, 0, &fhkey);
#endif
	f = netflow_table_lookup(&tbl, &key, hash);
	if (likely(f)) {
		stats.found++;
	} else {
		f = flow_create(&key, hash, &info);
		if (unlikely(!f)) {
			stats.drop_pkts++;
			stats.drop_bytes += bytes;
			return;
		}
	}
	if (netflow_flow_add(f, 1, bytes, info.tcp_flags, now))
		netflow_table_end(&tbl, f, now);
}

/* ---- the synthetic trace: flow i has source address base + i ---- */

static u32 next_rand(u32 range)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (u32)((rng >> 32) % range);
}

static void trace_init(void)
{
	/* IPv4 + UDP, 100 bytes on the wire, 192.0.2.1:53 <- 10.x:40000 */
	static const u8 v4[28] = {
		0x45, 0, 0, 100, 0, 0, 0x40, 0, 64, 17, 0, 0,
		10, 0, 0, 0, 192, 0, 2, 1,
		0x9c, 0x40, 0, 53, 0, 80, 0, 0,
	};
	memcpy(pkt4, v4, sizeof(v4));
	memset(pkt6, 0, sizeof(pkt6));
	pkt6[0] = 0x60;
	pkt6[5] = 60;		/* payload length */
	pkt6[6] = 17;
	pkt6[7] = 64;
	pkt6[8] = 0x20;		/* 2001:db8::/32 */
	pkt6[9] = 0x01;
	pkt6[10] = 0x0d;
	pkt6[11] = 0xb8;
	memcpy(pkt6 + 24, pkt6 + 8, 16);
	pkt6[39] = 1;
	pkt6[40] = 0x9c;
	pkt6[41] = 0x40;
	pkt6[43] = 53;
}

static inline const u8 *make4(u32 i)
{
	put_unaligned_be32(0x0a000000 + i, pkt4 + 12);
	return pkt4;
}

static inline const u8 *make6(u32 i)
{
	put_unaligned_be32(i, pkt6 + 20);
	return pkt6;
}

/* ---- export: record conversion (shared with export.c), encode, free ---- */

static struct netflow_enc enc;
static u32 last_seq;

static void pdu_send(const struct netflow_clock *c)
{
	const u8 *pdu;
	unsigned int len = netflow_enc_finish(&enc, c, &pdu);

	/* read the sequence number as a collector would (v5: 16, IPFIX: 8) */
	if (len >= 24)
		last_seq = get_unaligned_be32(pdu + (enc.cfg.protocol == 5 ? 16 : 8));
	sink += len;
}

static void export_due(void)
{
	struct netflow_clock c = { .uptime_ms = (u64)now * (1000 / HZ),
				   .unix_ms = 1700000000000ULL };
	struct netflow_record r;
	struct netflow_flow *f, *n;
	LIST_HEAD(out);
	bool more;

	do {
		/* the per-CPU worker's batches (NETFLOW_SCAN_BUDGET) */
		netflow_table_expire(&tbl, now, &out, 512, &more);
		list_for_each_entry_safe(f, n, &out, wheel) {
			netflow_flow_to_record(f, &r, (u64)f->first * (1000 / HZ),
					       (u64)f->last * (1000 / HZ));
			if (netflow_enc_add(&enc, &r, &c) == -ENOSPC) {
				pdu_send(&c);
				netflow_enc_add(&enc, &r, &c);
			}
			flow_free(f);
		}
		INIT_LIST_HEAD(&out);
	} while (more);
	pdu_send(&c);
}

/* The counted part: callgrind --toggle-collect=bench_phase. */
static __attribute__((noinline)) void bench_phase(const char *mode, u32 flows,
						  u32 n)
{
	u32 k;

	if (!strcmp(mode, "gen")) {
		for (k = 0; k < n; k++)
			sink += make4(next_rand(flows))[12];
	} else if (!strcmp(mode, "hit")) {
		for (k = 0; k < n; k++)
			account(make4(next_rand(flows)), 28, 4);
	} else if (!strcmp(mode, "gen6")) {
		for (k = 0; k < n; k++)
			sink += make6(next_rand(flows))[20];
	} else if (!strcmp(mode, "hit6")) {
		for (k = 0; k < n; k++)
			account(make6(next_rand(flows)), 48, 6);
	} else if (!strcmp(mode, "gennew")) {
		for (k = 0; k < n; k++) {
			sink += next_rand(flows);
			sink += make4(flows + k)[12];
		}
	} else if (!strcmp(mode, "new") || !strcmp(mode, "full")) {
		/* the same random draw as gennew, so both cost the same */
		for (k = 0; k < n; k++) {
			sink += next_rand(flows);
			account(make4(flows + k), 28, 4);
		}
	} else {
		export_due();
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_core gen|hit|gen6|hit6|gennew|new|full|exp5|expipfix FLOWS N\n"
			"       bench_core size\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct netflow_enc_cfg ecfg = { .mtu = NETFLOW_MTU_DEFAULT };
	struct hlist_head *buckets;
	u32 flows, n, nb, i;
	bool v6;

	if (argc == 2 && !strcmp(argv[1], "size")) {
		printf("flow %zu key %zu bucket %zu\n",
		       sizeof(struct netflow_flow), sizeof(struct netflow_key),
		       sizeof(struct hlist_head));
		return 0;
	}
	if (argc != 4)
		usage();
	flows = strtoul(argv[2], NULL, 0);
	n = strtoul(argv[3], NULL, 0);
	if (!flows || !n)
		usage();
	v6 = !strcmp(argv[1], "hit6") || !strcmp(argv[1], "gen6");

	/* buckets: a power of two >= the flows the phase will see */
	for (nb = 64; nb < flows; nb <<= 1)
		;
	buckets = calloc(nb, sizeof(*buckets));
	pool = calloc((size_t)flows + n, sizeof(*pool));
	if (!buckets || !pool)
		return 1;
	for (i = flows + n; i-- > 0;)
		flow_free(&pool[i]);
	netflow_table_init(&tbl, buckets, nb, SLOT_SHIFT, now);
	netflow_table_set_timeouts(&tbl, ACTIVE, INACTIVE);
	trace_init();

	if (!strcmp(argv[1], "full")) {
		/* the VM's table-full scenario: hour-long timeouts, a limit */
		netflow_table_set_timeouts(&tbl, 3600 * HZ, 3600 * HZ);
		tbl.limit = flows;
	}
	if (!strncmp(argv[1], "exp", 3)) {
		ecfg.protocol = !strcmp(argv[1], "exp5") ? 5 : 10;
		netflow_enc_init(&enc, &ecfg);
		/* n flows go idle at T0 + INACTIVE; flows stay live longer */
		for (i = 0; i < n; i++)
			account(make4(flows + i), 28, 4);
		now = T0 + INACTIVE - 1000;
		for (i = 0; i < flows; i++)
			account(make4(i), 28, 4);
		now = T0 + INACTIVE + (1 << SLOT_SHIFT);
	} else if (strncmp(argv[1], "gen", 3)) {
		/* the generators touch no table: they need no setup */
		for (i = 0; i < flows; i++)
			account(v6 ? make6(i) : make4(i), v6 ? 48 : 28,
				v6 ? 6 : 4);
	}
	bench_phase(argv[1], flows, n);
	if (!strncmp(argv[1], "exp", 3) && tbl.count != flows) {
		fprintf(stderr, "expired %u flows, expected %u\n",
			flows + n - tbl.count, n);
		return 1;
	}
	printf("%s flows=%u n=%u table=%u found=%llu created=%llu seq=%u sink=%llu\n",
	       argv[1], flows, n, tbl.count, (unsigned long long)stats.found,
	       (unsigned long long)stats.created, last_seq,
	       (unsigned long long)sink);
	return 0;
}
