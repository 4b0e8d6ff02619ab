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
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
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

int main(int argc, char **argv)
{
	u32 flows = argc > 1 ? strtoul(argv[1], NULL, 0) : 2000000;
	u64 t0, read_ns = ~0ull, walk_ns = ~0ull, *steps;
	static struct netflow_table t;
	struct netflow_flow *pool;
	struct hlist_head *b;
	u32 nb, i, r, n, longest;
	u64 used;

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
