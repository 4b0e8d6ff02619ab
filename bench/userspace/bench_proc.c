// SPDX-License-Identifier: GPL-2.0
/*
 * What a read of /proc/net/stat/ipt_netflow{,_snmp} costs at a table size:
 * the statistics it prints now (flow.c cpu_totals_add(): counters the
 * table keeps, and the longest chain from the worker's bounded sweep)
 * against the bucket walk it did before (netflow_table_chain_stats(), done
 * once for the human file and twice for the snmp file). Also the longest
 * step of the sweep the worker runs, with BH off, in its place.
 *
 * usage: bench_proc FLOWS
 *   -> "proc FLOWS read_ns walk_ns sweep_median_ns sweep_max_ns"
 * (the minimum of 5 reads and walks; the sweep steps of one whole round)
 *      bench_proc bh FLOWS
 *   -> "bh FLOWS drain_ns detach_ns reslot_ns rehash_ns step_ns expire_ns"
 * the BH-off sections of one CPU's table of FLOWS: a flush by the old walk
 * and by detach (what flow.c runs), a re-slot, a resize to twice the
 * buckets at once (before) and its longest bounded step (1024 old buckets,
 * flow.c's NETFLOW_REHASH_BUDGET), one budgeted expiry step (512 flows)
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "table_core.h"

/* flow.c's NETFLOW_SWEEP_BUDGET */
#define SWEEP_BUDGET	4096

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static volatile u64 sink;

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static void fill(struct netflow_table *t, struct netflow_flow *pool,
		 u32 flows, u32 now)
{
	u32 i;

	for (i = 0; i < flows; i++) {
		struct netflow_flow *f = &pool[i];

		memset(f, 0, sizeof(*f));
		f->key.family = 4;
		f->key.src.ip4 = i;
		f->hash = (u32)((i + 1) * 0x9e3779b97f4a7c15ull >> 32);
		/* spread over the wheel: every slot has flows */
		f->first = f->last = now - i % 4096;
		netflow_table_insert(t, f);
	}
}

static int bh_sections(u32 flows)
{
	u64 t0, drain, detach, reslot, rehash, step = 0, expire;
	struct hlist_head *b4, *old;
	static struct netflow_table t;
	struct hlist_head *b, *b2, *b3;
	struct netflow_flow *pool;
	u32 nb, now = 100000;
	bool more;
	LIST_HEAD(out);

	for (nb = 64; nb < flows; nb <<= 1)
		;
	b = calloc(nb, sizeof(*b));
	b2 = calloc(nb, sizeof(*b2));
	b3 = calloc(2 * nb, sizeof(*b3));
	b4 = calloc(4 * nb, sizeof(*b4));
	pool = calloc(flows, sizeof(*pool));
	if (!b || !b2 || !b3 || !b4 || !pool)
		return 1;
	netflow_table_init(&t, b, nb, 6, now);
	netflow_table_set_timeouts(&t, 1800 * 250, 15 * 250);
	fill(&t, pool, flows, now);
	t0 = now_ns();
	netflow_table_drain(&t, &out, NETFLOW_END_FORCED);
	drain = now_ns() - t0;
	INIT_LIST_HEAD(&out);
	netflow_table_init(&t, b, nb, 6, now);
	netflow_table_set_timeouts(&t, 1800 * 250, 15 * 250);
	fill(&t, pool, flows, now);
	t0 = now_ns();
	netflow_table_detach(&t, b2, &out);
	detach = now_ns() - t0;
	INIT_LIST_HEAD(&out);
	netflow_table_init(&t, b, nb, 6, now);
	netflow_table_set_timeouts(&t, 1800 * 250, 15 * 250);
	fill(&t, pool, flows, now);
	t0 = now_ns();
	netflow_table_reslot(&t);
	reslot = now_ns() - t0;
	t0 = now_ns();
	netflow_table_rehash(&t, b3, 2 * nb);
	rehash = now_ns() - t0;
	/* and back to 4x in bounded steps, as flow.c resizes */
	t0 = now_ns();
	netflow_table_rehash_start(&t, b4, 4 * nb);
	step = now_ns() - t0;
	do {
		t0 = now_ns();
		old = netflow_table_rehash_step(&t, 1024);
		t0 = now_ns() - t0;
		if (t0 > step)
			step = t0;
	} while (!old);
	t0 = now_ns();
	netflow_table_expire(&t, now + 20 * 250, &out, 512, &more);
	expire = now_ns() - t0;
	printf("bh %u %llu %llu %llu %llu %llu %llu\n", flows,
	       (unsigned long long)drain, (unsigned long long)detach,
	       (unsigned long long)reslot, (unsigned long long)rehash,
	       (unsigned long long)step, (unsigned long long)expire);
	return 0;
}

int main(int argc, char **argv)
{
	u32 flows;
	u64 t0, read_ns = ~0ull, walk_ns = ~0ull, *steps;
	static struct netflow_table t;
	struct netflow_flow *pool;
	struct hlist_head *b;
	u32 nb, i, r, n, longest;
	u64 used;

	if (argc > 2 && !strcmp(argv[1], "bh"))
		return bh_sections(strtoul(argv[2], NULL, 0));
	flows = argc > 1 ? strtoul(argv[1], NULL, 0) : 2000000;
	/* the module's auto size: buckets about the flow count */
	for (nb = 64; nb < flows; nb <<= 1)
		;
	b = calloc(nb, sizeof(*b));
	pool = calloc(flows, sizeof(*pool));
	if (!b || !pool)
		return 1;
	netflow_table_init(&t, b, nb, 6, 1000);
	for (i = 0; i < flows; i++) {
		struct netflow_flow *f = &pool[i];

		f->key.family = 4;
		f->key.src.ip4 = i;
		/* a keyed hash spreads flows like this */
		f->hash = (u32)((i + 1) * 0x9e3779b97f4a7c15ull >> 32);
		f->first = f->last = 1000;
		netflow_table_insert(&t, f);
	}
	for (r = 0; r < 5; r++) {
		t0 = now_ns();
		/* the new read: O(1) per CPU */
		sink += READ_ONCE(t.count) + READ_ONCE(t.used_buckets) +
			READ_ONCE(t.longest) + READ_ONCE(t.sweep_longest);
		t0 = now_ns() - t0;
		if (t0 < read_ns)
			read_ns = t0;
		t0 = now_ns();
		netflow_table_chain_stats(&t, &longest, &used);
		t0 = now_ns() - t0;
		if (t0 < walk_ns)
			walk_ns = t0;
		sink += longest + used;
	}
	n = nb / SWEEP_BUDGET + 1;
	steps = calloc(n, sizeof(*steps));
	if (!steps)
		return 1;
	for (i = 0; i < n; i++) {
		t0 = now_ns();
		netflow_table_chain_sweep(&t, SWEEP_BUDGET);
		steps[i] = now_ns() - t0;
	}
	qsort(steps, n, sizeof(*steps), cmp_u64);
	if (t.longest != longest || t.used_buckets != used) {
		fprintf(stderr, "sweep longest %u used %u, walk %u %llu\n",
			t.longest, t.used_buckets, longest,
			(unsigned long long)used);
		return 1;
	}
	printf("proc %u %llu %llu %llu %llu\n", flows,
	       (unsigned long long)read_ns, (unsigned long long)walk_ns,
	       (unsigned long long)steps[n / 2],
	       (unsigned long long)steps[n - 1]);
	return 0;
}
