// SPDX-License-Identifier: GPL-2.0
/* Flow table core: lookup, timeouts on the wheel, FIN, eviction, rehash. */
#include <stdlib.h>
#include "table_core.h"
#include "flowhash.h"
#include "unit.h"

#define NB 64

static struct hlist_head buckets[NB], buckets2[NB * 4];
static struct netflow_table t;

static struct netflow_flow *mkflow(u32 n, u32 now)
{
	struct netflow_flow *f = calloc(1, sizeof(*f));

	f->key.family = 4;
	f->key.protocol = 6;
	f->key.src.ip4 = htonl(0x0a000000 + n);
	f->key.dst.ip4 = htonl(0x0a000001);
	f->key.sport = htons(1000 + n);
	f->hash = n * 2654435761u;
	f->first = now;
	f->last = now;
	f->packets = 1;
	f->bytes = 100;
	return f;
}

static unsigned int expire_all(u32 now, struct list_head *out)
{
	unsigned int n = 0;
	bool more;

	do
		n += netflow_table_expire(&t, now, out, 7, &more);
	while (more);
	return n;
}

static void free_list(struct list_head *l)
{
	struct netflow_flow *f, *n;

	list_for_each_entry_safe(f, n, l, wheel)
		free(f);
	INIT_LIST_HEAD(l);
}

static void setup(u32 now)
{
	netflow_table_init(&t, buckets, NB, 4, now);
	netflow_table_set_timeouts(&t, 1000, 100);
}

static void test_lookup_insert(void)
{
	struct netflow_flow *f[100];
	LIST_HEAD(out);
	u32 i;

	setup(0);
	for (i = 0; i < 100; i++) {
		f[i] = mkflow(i, 0);
		netflow_table_insert(&t, f[i]);
	}
	CHECK_EQ(t.count, 100);
	for (i = 0; i < 100; i++)
		CHECK(netflow_table_lookup(&t, &f[i]->key, f[i]->hash) == f[i]);
	{
		struct netflow_key k = f[0]->key;

		k.sport = htons(9);	/* a key that is not there */
		CHECK(netflow_table_lookup(&t, &k, f[0]->hash) == NULL);
	}
	CHECK_EQ(netflow_table_drain(&t, &out, NETFLOW_END_FORCED), 100);
	CHECK_EQ(t.count, 0);
	free_list(&out);
}

/* Idle flows leave after the inactive timeout, never before. */
static void test_inactive(void)
{
	struct netflow_flow *a = mkflow(1, 0), *b = mkflow(2, 0);
	LIST_HEAD(out);

	setup(0);
	netflow_table_insert(&t, a);
	netflow_table_insert(&t, b);
	b->last = 60;			/* b saw a packet at 60 */
	CHECK_EQ(expire_all(99, &out), 0);
	CHECK_EQ(expire_all(116, &out), 1);	/* slot rounding: < 16 late */
	CHECK(list_first_entry(&out, struct netflow_flow, wheel) == a);
	CHECK_EQ(a->end_reason, NETFLOW_END_IDLE);
	CHECK_EQ(expire_all(159, &out), 0);
	CHECK_EQ(expire_all(176, &out), 1);
	CHECK_EQ(b->end_reason, NETFLOW_END_IDLE);
	CHECK_EQ(t.count, 0);
	free_list(&out);
}

/* A flow that never idles leaves at the active timeout. */
static void test_active(void)
{
	struct netflow_flow *a = mkflow(1, 0);
	LIST_HEAD(out);
	u32 now;

	setup(0);
	netflow_table_insert(&t, a);
	for (now = 0; now < 1000; now += 10) {
		a->last = now;
		CHECK_EQ(expire_all(now, &out), 0);
	}
	a->last = 1000;
	CHECK_EQ(expire_all(1016, &out), 1);
	CHECK_EQ(a->end_reason, NETFLOW_END_ACTIVE);
	free_list(&out);
}

static void test_fin(void)
{
	struct netflow_flow *a = mkflow(1, 0);
	LIST_HEAD(out);

	setup(0);
	netflow_table_insert(&t, a);
	netflow_table_end(&t, a, 5);
	CHECK(netflow_table_lookup(&t, &a->key, a->hash) == NULL);
	CHECK_EQ(t.count, 0);
	CHECK_EQ(expire_all(20, &out), 1);
	CHECK_EQ(a->end_reason, NETFLOW_END_OF_FLOW);
	free_list(&out);
}

static void test_evict(void)
{
	struct netflow_flow *f[10], *v;
	u32 i;

	setup(0);
	for (i = 0; i < 10; i++) {
		f[i] = mkflow(i, i * 20);
		netflow_table_insert(&t, f[i]);
	}
	v = netflow_table_evict(&t);
	CHECK(v == f[0]);		/* the one due soonest */
	CHECK_EQ(v->end_reason, NETFLOW_END_LACK_OF_RESOURCES);
	CHECK_EQ(t.count, 9);
	CHECK(netflow_table_lookup(&t, &v->key, v->hash) == NULL);
	free(v);
	LIST_HEAD(out);
	netflow_table_drain(&t, &out, NETFLOW_END_FORCED);
	free_list(&out);
}

/* The old full walk of the wheel: what netflow_table_evict() must pick. */
static struct netflow_flow *evict_reference(void)
{
	struct netflow_flow *f;
	u32 i;

	if (!t.count)
		return NULL;
	for (i = 0; i <= NETFLOW_WHEEL_SLOTS; i++) {
		struct list_head *slot = i == 0 ? &t.pending :
			&t.slots[((t.wheel_time >> t.slot_shift) + i - 1) &
				 (NETFLOW_WHEEL_SLOTS - 1)];

		list_for_each_entry(f, slot, wheel)
			if (f->state == NETFLOW_FLOW_LIVE)
				return f;
	}
	return NULL;
}

/*
 * Random inserts, FIN ends, expiry scans, re-slots and evictions with the
 * slot bitmap: every eviction picks what the full walk picks, and never
 * misses a live flow (stale bits, wrapped slots, pending included).
 */
static void test_evict_bitmap(void)
{
	struct netflow_flow *live[400], *v, *want;
	u32 now = 1000, nlive = 0, n = 0, i, step, evicted = 0;
	u64 rng = 12345;
	LIST_HEAD(out);

	setup(now);
	netflow_table_set_timeouts(&t, 5000, 3000);	/* laps of the wheel */
	for (step = 0; step < 20000; step++) {
		u32 op;

		rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
		op = (u32)(rng >> 33) % 100;
		now += (u32)(rng >> 20) % 8;
		if (op < 45 && nlive < 400) {
			live[nlive] = mkflow(n++, now - (u32)(rng >> 40) % 2000);
			netflow_table_insert(&t, live[nlive++]);
		} else if (op < 55 && nlive) {
			i = (u32)(rng >> 24) % nlive;
			netflow_table_end(&t, live[i], now);
			live[i] = live[--nlive];
		} else if (op < 60) {
			expire_all(now, &out);
		} else if (op < 61) {
			netflow_table_reslot(&t);
		} else {
			want = evict_reference();
			v = netflow_table_evict(&t);
			CHECK(v == want);
			if (v != want)
				break;
			if (!v)
				continue;
			evicted++;
			for (i = 0; i < nlive; i++)
				if (live[i] == v)
					live[i] = live[--nlive];
			list_add_tail(&v->wheel, &out);
		}
		/* flows that left (expired or ended) are no longer live */
		for (i = 0; i < nlive; i++)
			if (live[i]->state != NETFLOW_FLOW_LIVE ||
			    live[i]->end_reason)
				live[i] = live[--nlive];
	}
	CHECK(evicted > 1000);
	netflow_table_drain(&t, &out, NETFLOW_END_FORCED);
	CHECK(netflow_table_evict(&t) == NULL);
	free_list(&out);
}

/* Wrap-around of the 32-bit tick counter changes nothing. */
static void test_tick_wrap(void)
{
	u32 start = 0xffffff00u;
	struct netflow_flow *a = mkflow(1, start);
	LIST_HEAD(out);

	setup(start);
	netflow_table_insert(&t, a);
	CHECK_EQ(expire_all(start + 90, &out), 0);
	CHECK_EQ(expire_all(start + 120, &out), 1);
	free_list(&out);
}

/*
 * The real clock crosses 2^32 with the module's slot shift for HZ 100, 250
 * and 1000 (ilog2(roundup_pow_of_two(HZ / 4)): 5, 6, 8). The worker scans
 * every HZ / 4 ticks. Idle, active-timeout and FIN-ended flows are created
 * at every phase before and after the wrap; each must leave by its own
 * reason no earlier than due and at most a slot plus a scan late.
 */
enum wrap_kind { WRAP_IDLE, WRAP_ACTIVE, WRAP_FIN, WRAP_KINDS };

struct wrap_flow {
	struct netflow_flow *f;
	u8 kind;
	bool out;
	u32 due;
};

#define WRAP_MAX 8192

static struct wrap_flow wrap[WRAP_MAX];

static u32 wrap_index(const struct netflow_flow *f)
{
	return ntohl(f->key.src.ip4) - 0x0a000000;
}

static void wrap_run(u32 hz, u32 shift)
{
	u32 step = hz / 4, inactive = 2 * hz, active = 5 * hz;
	u32 start = 0u - 30 * hz, span = 60 * hz, late = (1u << shift) + step;
	u32 t0, now, n = 0, i, bad = 0, kinds[WRAP_KINDS] = { 0 };
	struct netflow_flow *f, *tmp;
	LIST_HEAD(out);

	netflow_table_init(&t, buckets, NB, shift, start);
	netflow_table_set_timeouts(&t, active, inactive);
	for (t0 = 0; t0 <= span + active + 2 * late; t0++) {
		now = start + t0;
		/* a new flow every 7 ticks while the clock crosses the wrap */
		if (t0 < span && t0 % 7 == 0 && n < WRAP_MAX) {
			struct wrap_flow *w = &wrap[n];

			w->f = mkflow(n, now);
			w->kind = n % WRAP_KINDS;
			w->out = false;
			w->due = now + (w->kind == WRAP_ACTIVE ? active :
					w->kind == WRAP_IDLE ? inactive :
					hz / 2);
			netflow_table_insert(&t, w->f);
			n++;
		}
		for (i = 0; i < n; i++) {
			struct wrap_flow *w = &wrap[i];

			if (w->out || w->f->state != NETFLOW_FLOW_LIVE)
				continue;
			/* active flows see a packet every tick */
			if (w->kind == WRAP_ACTIVE)
				w->f->last = now;
			if (w->kind == WRAP_FIN && now == w->due)
				netflow_table_end(&t, w->f, now);
		}
		if (t0 % step)
			continue;
		expire_all(now, &out);
		list_for_each_entry_safe(f, tmp, &out, wheel) {
			struct wrap_flow *w = &wrap[wrap_index(f)];
			u8 want = w->kind == WRAP_IDLE ? NETFLOW_END_IDLE :
				  w->kind == WRAP_ACTIVE ? NETFLOW_END_ACTIVE :
				  NETFLOW_END_OF_FLOW;

			w->out = true;
			if ((s32)(now - w->due) < 0 ||
			    (s32)(now - w->due) > (s32)late ||
			    f->end_reason != want) {
				if (!bad++)
					printf("  hz %u: flow %u kind %u due %#x out at %#x reason %u\n",
					       hz, wrap_index(f), w->kind,
					       w->due, now, f->end_reason);
			} else {
				kinds[w->kind]++;
			}
			list_del_init(&f->wheel);
			free(f);
		}
	}
	for (i = 0; i < n; i++)
		if (!wrap[i].out) {
			if (!bad++)
				printf("  hz %u: flow %u kind %u due %#x never out\n",
				       hz, i, wrap[i].kind, wrap[i].due);
		}
	CHECK_EQ(bad, 0);
	/* every kind was exercised on both sides of the wrap */
	CHECK(kinds[WRAP_IDLE] > 100 && kinds[WRAP_ACTIVE] > 100 &&
	      kinds[WRAP_FIN] > 100);
	CHECK_EQ(t.count, 0);
	/* what never came out (old code) is freed by the drain */
	netflow_table_drain(&t, &out, NETFLOW_END_FORCED);
	free_list(&out);
}

static void test_jiffies_wrap_hz100(void)
{
	wrap_run(100, 5);
}

static void test_jiffies_wrap_hz250(void)
{
	wrap_run(250, 6);
}

static void test_jiffies_wrap_hz1000(void)
{
	wrap_run(1000, 8);
}

/*
 * Eviction across the wrap: idle flows inserted in shuffled order, due on
 * both sides of 2^32, leave a full table in the order they come due.
 */
static void test_evict_wrap(void)
{
	u32 shifts[] = { 4, 5, 6, 8 }, s, i;

	for (s = 0; s < ARRAY_SIZE(shifts); s++) {
		u32 shift = shifts[s], start = 0u - (40u << shift);
		u32 now = start + (30u << shift);
		struct netflow_flow *v;
		LIST_HEAD(out);

		netflow_table_init(&t, buckets, NB, shift, start);
		/* due 31..60 slots after start: the wrap is at slot 40 */
		netflow_table_set_timeouts(&t, 100000, 31u << shift);
		expire_all(now, &out);
		for (i = 0; i < 30; i++)
			netflow_table_insert(&t,
				mkflow(i, start + (((i * 7) % 30) << shift)));
		for (i = 0; i < 30; i++) {
			v = netflow_table_evict(&t);
			CHECK(v != NULL);
			if (!v)
				break;
			/* the i-th to leave is the one seen i slots after start */
			CHECK_EQ(v->last, start + (i << shift));
			free(v);
		}
		CHECK(netflow_table_evict(&t) == NULL);
	}
}

/*
 * 100k live flows at the limit plus 100k FIN/RST-ended ones: each eviction
 * looks at a bounded number of slots and flows, whatever the ended count.
 */
static void test_evict_ended_o1(void)
{
	static struct hlist_head big[1 << 16];
	u32 i, n = 0, now = 5000, most = 0;
	struct netflow_flow *f;
	LIST_HEAD(out);

	netflow_table_init(&t, big, 1 << 16, 4, now);
	netflow_table_set_timeouts(&t, 100000, 3000);
	for (i = 0; i < 100000; i++)
		netflow_table_insert(&t, mkflow(n++, now));
	/* ended at the scan position, where eviction looks first */
	for (i = 0; i < 100000; i++) {
		f = mkflow(n++, now);
		netflow_table_insert(&t, f);
		netflow_table_end(&t, f, now);
	}
	CHECK_EQ(t.count, 100000);
	CHECK_EQ(t.nended, 100000);
	for (i = 0; i < 1000; i++) {
		u64 before = t.evict_steps;

		f = netflow_table_evict(&t);
		CHECK(f && f->state == NETFLOW_FLOW_LIVE &&
		      f->end_reason == NETFLOW_END_LACK_OF_RESOURCES);
		if (!f)
			break;
		if (t.evict_steps - before > most)
			most = t.evict_steps - before;
		list_add_tail(&f->wheel, &out);
	}
	printf("  most steps for one eviction: %u\n", most);
	CHECK(most <= 4);
	CHECK_EQ(t.count, 99000);
	/* the ended flows all leave at the next scan, in one splice */
	CHECK_EQ(netflow_table_expire(&t, now, &out, 1, &(bool){ 0 }), 100000);
	CHECK_EQ(t.nended, 0);
	netflow_table_drain(&t, &out, NETFLOW_END_FORCED);
	free_list(&out);
}

/*
 * A SYN+RST flood of new tuples into a full table, with the exporter
 * freeing what left only every 3000 packets: flow objects in every state
 * (live, ended, out of the table until freed) never exceed the limit, each
 * packet costs a bounded eviction, and every packet is a flow or a drop.
 */
static void test_flood_bounded(void)
{
	static struct hlist_head big[1 << 12];
	u32 limit = 10000, objects = 0, out_n = 0, most = 0, peak = 0;
	u64 pkts = 0, made = 0, refused = 0, evicted = 0;
	u32 i, n = 0, now = 100;
	struct netflow_flow *f;
	LIST_HEAD(out);

	netflow_table_init(&t, big, 1 << 12, 4, now);
	netflow_table_set_timeouts(&t, 100000, 3000);
	t.limit = limit;
	/* long-lived flows fill the live share first */
	while (!netflow_table_room(&t, objects)) {
		netflow_table_insert(&t, mkflow(n++, now));
		objects++;
	}
	CHECK_EQ(objects, limit - netflow_table_reserve(limit));
	for (i = 0; i < 200000; i++) {
		unsigned int room = netflow_table_room(&t, objects);
		u64 before = t.evict_steps;

		pkts++;
		if (room & NETFLOW_ROOM_EVICT) {
			f = netflow_table_evict(&t);
			CHECK(f != NULL);
			list_add_tail(&f->wheel, &out);
			out_n++;
			evicted++;
		}
		if (room & NETFLOW_ROOM_REFUSE) {
			refused++;
		} else {
			/* SYN creates, RST ends */
			f = mkflow(n++, now);
			netflow_table_insert(&t, f);
			netflow_table_end(&t, f, now);
			objects++;
			made++;
		}
		if (t.evict_steps - before > most)
			most = t.evict_steps - before;
		if (objects > peak)
			peak = objects;
		CHECK_EQ(objects, t.count + t.nended + out_n);
		if (i % 3000 == 2999) {
			/* the worker: expire (ended flows), export, free */
			now++;
			out_n += expire_all(now, &out);
			objects -= out_n;
			out_n = 0;
			free_list(&out);
		}
	}
	printf("  peak objects %u of %u, %llu refused, %llu evicted, most steps %u\n",
	       peak, limit, (unsigned long long)refused,
	       (unsigned long long)evicted, most);
	CHECK(peak <= limit);
	CHECK(most <= 4);
	CHECK_EQ(made + refused, pkts);
	CHECK(refused > 0 && evicted > 0);
	netflow_table_drain(&t, &out, NETFLOW_END_FORCED);
	free_list(&out);
}

/* maxflows lowered below the live count: live flows leave, bounded. */
static void test_room_lowered(void)
{
	u32 i, objects = 0, refused = 0;
	LIST_HEAD(out);

	setup(0);
	for (i = 0; i < 100; i++) {
		netflow_table_insert(&t, mkflow(i, 0));
		objects++;
	}
	t.limit = 40;		/* share 35, reserve 5 */
	for (i = 0; i < 200; i++) {
		unsigned int room = netflow_table_room(&t, objects);
		struct netflow_flow *f;

		if (room & NETFLOW_ROOM_EVICT) {
			f = netflow_table_evict(&t);
			/* exported and freed at once */
			free(f);
			objects--;
		}
		if (room & NETFLOW_ROOM_REFUSE) {
			refused++;
			continue;
		}
		netflow_table_insert(&t, mkflow(1000 + i, 0));
		objects++;
	}
	/* refused while evicting down to the limit, then evict-and-create */
	CHECK_EQ(refused, 100 - 39);
	CHECK_EQ(objects, 39);
	CHECK_EQ(t.count, 39);
	netflow_table_drain(&t, &out, NETFLOW_END_FORCED);
	free_list(&out);
}

/*
 * The /proc statistics without a bucket walk: used buckets kept exact by
 * insert, end, evict, expire and rehash; the longest chain from the
 * bounded sweep equals a full walk once the sweep has gone round.
 */
static void test_chain_counters(void)
{
	struct netflow_flow *f[300];
	u32 i, longest, rounds;
	LIST_HEAD(out);
	u64 used;

	setup(0);
	for (i = 0; i < 300; i++) {
		f[i] = mkflow(i, i);
		netflow_table_insert(&t, f[i]);
	}
	for (i = 0; i < 300; i += 3)
		netflow_table_end(&t, f[i], 400);
	for (i = 0; i < 40; i++)
		list_add_tail(&netflow_table_evict(&t)->wheel, &out);
	netflow_table_chain_stats(&t, &longest, &used);
	CHECK_EQ(t.used_buckets, used);
	netflow_table_rehash(&t, buckets2, NB * 4);
	netflow_table_chain_stats(&t, &longest, &used);
	CHECK_EQ(t.used_buckets, used);
	/* a sweep of 100 buckets a step goes round 256 buckets in 3 steps */
	for (rounds = 0; rounds < 3; rounds++)
		netflow_table_chain_sweep(&t, 100);
	CHECK_EQ(t.longest, longest);
	CHECK(longest >= 1);
	expire_all(100000, &out);
	CHECK_EQ(t.used_buckets, 0);
	free_list(&out);
}

/* A flush detaches every flow at once and leaves a working, empty table. */
static void test_detach(void)
{
	static struct hlist_head fresh[NB];
	struct netflow_flow *f[500], *g;
	struct hlist_head *old;
	u32 i, n = 0, live = 0;
	LIST_HEAD(out);

	setup(0);
	for (i = 0; i < 500; i++) {
		f[i] = mkflow(i, i);
		netflow_table_insert(&t, f[i]);
	}
	expire_all(50, &out);		/* scanned slots re-slot their flows */
	CHECK(list_empty(&out));
	for (i = 0; i < 500; i += 5)
		netflow_table_end(&t, f[i], 60);
	old = netflow_table_detach(&t, fresh, &out);
	CHECK(old == buckets);
	CHECK_EQ(t.count, 0);
	CHECK_EQ(t.nended, 0);
	CHECK_EQ(t.used_buckets, 0);
	CHECK(netflow_table_evict(&t) == NULL);
	list_for_each_entry(g, &out, wheel) {
		n++;
		live += !g->end_reason;
	}
	CHECK_EQ(n, 500);
	CHECK_EQ(live, 400);
	for (i = 0; i < 500; i++)
		CHECK(netflow_table_lookup(&t, &f[i]->key, f[i]->hash) == NULL);
	/* the table works on: a new flow is found and expires */
	g = mkflow(1000, 700);
	netflow_table_insert(&t, g);
	CHECK(netflow_table_lookup(&t, &g->key, g->hash) == g);
	CHECK_EQ(expire_all(900, &out), 1);
	free_list(&out);
}

/*
 * A resize in bounded steps with packets between them: every flow stays
 * found (old or new array), new flows and ends during the move are right,
 * and the used-bucket count matches a full walk at the end.
 */
static void test_rehash_steps(void)
{
	static struct hlist_head nb4[NB * 4];
	struct netflow_flow *f[600];
	struct hlist_head *old;
	u32 i, steps = 0, n = 0, longest;
	LIST_HEAD(out);
	u64 used;

	setup(0);
	for (i = 0; i < 400; i++) {
		f[n] = mkflow(n, 0);
		netflow_table_insert(&t, f[n++]);
	}
	netflow_table_rehash_start(&t, nb4, NB * 4);
	do {
		old = netflow_table_rehash_step(&t, 5);
		steps++;
		/* packets between the steps: lookups, new flows, ends */
		for (i = 0; i < n; i++)
			if (f[i]->state == NETFLOW_FLOW_LIVE)
				CHECK(netflow_table_lookup(&t, &f[i]->key,
							   f[i]->hash) == f[i]);
		if (n < 600) {
			f[n] = mkflow(n, 1);
			netflow_table_insert(&t, f[n++]);
		}
		if (steps % 3 == 0)
			netflow_table_end(&t, f[steps], 2);
	} while (!old);
	CHECK(old == buckets);
	CHECK_EQ(steps, NB / 5 + 1);
	CHECK(t.old_buckets == NULL);
	for (i = 0; i < n; i++)
		if (f[i]->state == NETFLOW_FLOW_LIVE)
			CHECK(netflow_table_lookup(&t, &f[i]->key, f[i]->hash) ==
			      f[i]);
	netflow_table_chain_stats(&t, &longest, &used);
	CHECK_EQ(t.used_buckets, used);
	netflow_table_drain(&t, &out, NETFLOW_END_FORCED);
	CHECK_EQ(t.used_buckets, 0);
	free_list(&out);
}

/*
 * The wheel_add clamp: a flow due exactly on a slot boundary the scan has
 * passed goes to the current slot and leaves at the next scan, not a wheel
 * lap (256 slots) later; the same across 2^32.
 */
static void test_wheel_clamp_boundary(void)
{
	u32 starts[] = { 0, 0u - 160 }, i;

	for (i = 0; i < ARRAY_SIZE(starts); i++) {
		u32 s0 = starts[i];
		struct netflow_flow *a;
		LIST_HEAD(out);

		setup(s0);
		CHECK_EQ(expire_all(s0 + 160, &out), 0);
		/* due at s0 + 160, a slot boundary already scanned */
		a = mkflow(1, s0 + 60);
		netflow_table_insert(&t, a);
		CHECK_EQ(expire_all(s0 + 175, &out), 0);
		CHECK_EQ(expire_all(s0 + 176, &out), 1);
		CHECK_EQ(a->end_reason, NETFLOW_END_IDLE);
		netflow_table_drain(&t, &out, NETFLOW_END_FORCED);
		free_list(&out);
	}
}

static void test_rehash(void)
{
	struct netflow_flow *f[200];
	LIST_HEAD(out);
	u32 i, longest;
	u64 used;

	setup(0);
	for (i = 0; i < 200; i++) {
		f[i] = mkflow(i, 0);
		netflow_table_insert(&t, f[i]);
	}
	netflow_table_rehash(&t, buckets2, NB * 4);
	CHECK_EQ(t.mask, NB * 4 - 1);
	for (i = 0; i < 200; i++)
		CHECK(netflow_table_lookup(&t, &f[i]->key, f[i]->hash) == f[i]);
	netflow_table_chain_stats(&t, &longest, &used);
	CHECK(used > 0 && longest >= 1);
	CHECK_EQ(expire_all(200, &out), 200);
	free_list(&out);
}

/* Shorter timeouts apply to flows already in the table. */
static void test_reslot(void)
{
	struct netflow_flow *a = mkflow(1, 0);
	LIST_HEAD(out);

	setup(0);
	netflow_table_set_timeouts(&t, 1000, 500);
	netflow_table_insert(&t, a);
	CHECK_EQ(expire_all(40, &out), 0);
	netflow_table_set_timeouts(&t, 1000, 20);
	netflow_table_reslot(&t);
	CHECK_EQ(expire_all(50, &out), 1);
	CHECK_EQ(a->end_reason, NETFLOW_END_IDLE);
	free_list(&out);
}

/* Many flows: the scan budget bounds each call and loses none. */
static void test_budget(void)
{
	LIST_HEAD(out);
	bool more;
	u32 i, n = 0, calls = 0;

	setup(0);
	for (i = 0; i < 5000; i++)
		netflow_table_insert(&t, mkflow(i, 0));
	do {
		n += netflow_table_expire(&t, 500, &out, 64, &more);
		calls++;
	} while (more);
	CHECK_EQ(n, 5000);
	CHECK(calls >= 5000 / 64);
	CHECK_EQ(t.count, 0);
	free_list(&out);
}

/*
 * IPv4 keys hash on a packed 24-byte input: changing any one byte of a key
 * that can be non-zero must change that input (injective packing), and
 * IPv6 keys hash on the whole key.
 */
static void test_hash_input(void)
{
	struct netflow_hash_input h0, h1;
	struct netflow_key base, k;
	unsigned int len0, len1, i;
	const void *p0, *p1;

	memset(&base, 0, sizeof(base));
	base.src.ip4 = htonl(0x0a000001);
	base.dst.ip4 = htonl(0xc0000201);
	base.sport = htons(40000);
	base.dport = htons(53);
	base.ifindex_in = 2;
	base.ifindex_out = 3;
	base.protocol = 17;
	base.tos = 0x20;
	base.family = 4;
	p0 = netflow_key_hash_input(&base, &h0, &len0);
	CHECK_EQ(len0, 24);
	for (i = 0; i < sizeof(k); i++) {
		/*
		 * IPv4 keys keep bytes 4..15 of each address and the pad zero;
		 * the family byte (46) is tested below.
		 */
		if ((i >= 4 && i < 16) || (i >= 20 && i < 32) || i >= 46)
			continue;
		k = base;
		((u8 *)&k)[i] ^= 0x10;
		p1 = netflow_key_hash_input(&k, &h1, &len1);
		CHECK_EQ(len1, 24);
		CHECK(memcmp(p0, p1, 24) != 0);
	}
	k = base;
	k.family = 6;
	p1 = netflow_key_hash_input(&k, &h1, &len1);
	CHECK_EQ(len1, sizeof(k));
	CHECK(p1 == (const void *)&k);
}

/* SipHash-1-3 on bytes, from the paper, 64-bit result: the reference */
static u64 sip13_ref(const u8 *p, size_t len, u64 k0, u64 k1)
{
	u64 v0 = 0x736f6d6570736575ULL ^ k0, v1 = 0x646f72616e646f6dULL ^ k1;
	u64 v2 = 0x6c7967656e657261ULL ^ k0, v3 = 0x7465646279746573ULL ^ k1;
	u64 m, b = (u64)len << 56;
	size_t i, r;

#define REF_ROUND do {							\
		v0 += v1; v1 = (v1 << 13) | (v1 >> 51); v1 ^= v0;	\
		v0 = (v0 << 32) | (v0 >> 32);				\
		v2 += v3; v3 = (v3 << 16) | (v3 >> 48); v3 ^= v2;	\
		v0 += v3; v3 = (v3 << 21) | (v3 >> 43); v3 ^= v0;	\
		v2 += v1; v1 = (v1 << 17) | (v1 >> 47); v1 ^= v2;	\
		v2 = (v2 << 32) | (v2 >> 32);				\
	} while (0)
	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&m, p + i, 8);
		m = le64toh(m);
		v3 ^= m;
		REF_ROUND;
		v0 ^= m;
	}
	for (r = 0; r < len - i; r++)
		b |= (u64)p[i + r] << (8 * r);
	v3 ^= b;
	REF_ROUND;
	v0 ^= b;
	v2 ^= 0xff;
	for (r = 0; r < 3; r++)
		REF_ROUND;
#undef REF_ROUND
	return v0 ^ v1 ^ v2 ^ v3;
}

/*
 * The table's hash is SipHash-1-3 of the words (little-endian host), folded
 * to 32 bits; the link-layer words hash as if they followed the key.
 */
static void test_flow_hash(void)
{
	const struct netflow_hash_secret k = {
		0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL
	};
	const struct netflow_hash_secret k2 = { 1, 2 };
	u64 w[10], ref;
	unsigned int n, i;

	for (i = 0; i < 10; i++)
		w[i] = 0x0101010101010101ULL * i + 0x1234;
	for (n = 1; n <= 10; n++) {
		ref = sip13_ref((const u8 *)w, n * 8, k.k0, k.k1);
		CHECK_EQ(netflow_flow_hash(w, n, NULL, 0, &k),
			 (u32)(ref ^ (ref >> 32)));
		if (n > 3)
			CHECK_EQ(netflow_flow_hash(w, 3, w + 3, n - 3, &k),
				 netflow_flow_hash(w, n, NULL, 0, &k));
		CHECK(netflow_flow_hash(w, n, NULL, 0, &k) !=
		      netflow_flow_hash(w, n, NULL, 0, &k2));
	}
	/* a zero word more is another input */
	w[3] = 0;
	CHECK(netflow_flow_hash(w, 3, NULL, 0, &k) !=
	      netflow_flow_hash(w, 4, NULL, 0, &k));
}

int main(void)
{
	RUN_TEST(test_flow_hash);
	RUN_TEST(test_lookup_insert);
	RUN_TEST(test_inactive);
	RUN_TEST(test_active);
	RUN_TEST(test_fin);
	RUN_TEST(test_evict);
	RUN_TEST(test_evict_bitmap);
	RUN_TEST(test_tick_wrap);
	RUN_TEST(test_jiffies_wrap_hz100);
	RUN_TEST(test_jiffies_wrap_hz250);
	RUN_TEST(test_jiffies_wrap_hz1000);
	RUN_TEST(test_evict_wrap);
	RUN_TEST(test_evict_ended_o1);
	RUN_TEST(test_flood_bounded);
	RUN_TEST(test_room_lowered);
	RUN_TEST(test_chain_counters);
	RUN_TEST(test_detach);
	RUN_TEST(test_wheel_clamp_boundary);
	RUN_TEST(test_rehash);
	RUN_TEST(test_rehash_steps);
	RUN_TEST(test_budget);
	RUN_TEST(test_reslot);
	RUN_TEST(test_hash_input);
	return UNIT_EXIT();
}
