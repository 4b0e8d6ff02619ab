// SPDX-License-Identifier: GPL-2.0
/*
 * Flow table core. Packets only touch a flow's counters; expiry is a
 * hashed timing wheel scanned lazily, so its cost follows the flows that
 * come due, not the table size, and no list is reordered per packet.
 */
#include "table_core.h"

static inline bool tick_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

/* When the flow must leave, by either timeout. */
static u32 flow_due(const struct netflow_table *t,
		    const struct netflow_flow *f)
{
	u32 idle = f->last + t->inactive;
	u32 active = f->first + t->active;

	return tick_before(active, idle) ? active : idle;
}

/*
 * The tick a due tick's slot is scanned at, rounded up so a flow never
 * leaves early. Slot times stay full-width ticks: a slot number (ticks >>
 * shift) would wrap at 2^(32 - shift), not where tick_before() wraps.
 */
static u32 slot_time(const struct netflow_table *t, u32 due)
{
	u32 span = 1U << t->slot_shift;

	return (due + span - 1) & ~(span - 1);
}

/* Wheel slot of a slot time: 2^32 is a whole number of wheel laps. */
static u32 slot_index(const struct netflow_table *t, u32 st)
{
	return (st >> t->slot_shift) & (NETFLOW_WHEEL_SLOTS - 1);
}

static void slot_mark(struct netflow_table *t, u32 slot, bool used)
{
	u64 bit = 1ULL << (slot % 64);

	if (used)
		t->used[slot / 64] |= bit;
	else
		t->used[slot / 64] &= ~bit;
}

static void wheel_add(struct netflow_table *t, struct netflow_flow *f,
		      u32 due)
{
	u32 st = slot_time(t, due);

	/* never behind the scan position: such a slot would wait a lap */
	if (tick_before(st, t->wheel_time))
		st = t->wheel_time;
	st = slot_index(t, st);
	list_add_tail(&f->wheel, &t->slots[st]);
	slot_mark(t, st, true);
}

/*
 * Distance from slot @start to the first slot at distance @off or more
 * whose used bit is set, going round the wheel once; -1 if none.
 */
static int slot_next_used(const struct netflow_table *t, u32 start, u32 off)
{
	while (off < NETFLOW_WHEEL_SLOTS) {
		u32 p = (start + off) & (NETFLOW_WHEEL_SLOTS - 1);
		u64 w = t->used[p / 64] >> (p % 64);

		if (w) {
			off += __ffs64(w);
			return off < NETFLOW_WHEEL_SLOTS ? (int)off : -1;
		}
		off += 64 - p % 64;
	}
	return -1;
}

void netflow_table_init(struct netflow_table *t, struct hlist_head *buckets,
			u32 nbuckets, u32 slot_shift, u32 now)
{
	u32 i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < nbuckets; i++)
		INIT_HLIST_HEAD(&buckets[i]);
	t->buckets = buckets;
	t->mask = nbuckets - 1;
	t->slot_shift = slot_shift;
	t->wheel_time = now & ~((1U << slot_shift) - 1);
	t->active = 1800;
	t->inactive = 15;
	for (i = 0; i < NETFLOW_WHEEL_SLOTS; i++)
		INIT_LIST_HEAD(&t->slots[i]);
	INIT_LIST_HEAD(&t->pending);
	INIT_LIST_HEAD(&t->ended);
}

void netflow_table_set_timeouts(struct netflow_table *t, u32 active,
				u32 inactive)
{
	/* flows already slotted are re-slotted when their slot comes up */
	t->active = active;
	t->inactive = inactive;
}

void netflow_table_reslot(struct netflow_table *t)
{
	u32 i;

	/* the scan takes pending first, in budgeted steps, and re-slots */
	for (i = 0; i < NETFLOW_WHEEL_SLOTS; i++)
		list_splice_tail_init(&t->slots[i], &t->pending);
	memset(t->used, 0, sizeof(t->used));
}

void netflow_table_insert(struct netflow_table *t, struct netflow_flow *f)
{
	struct hlist_head *b = &t->buckets[f->hash & t->mask];

	f->state = NETFLOW_FLOW_LIVE;
	f->gen = t->gen;
	t->used_buckets += hlist_empty(b);
	hlist_add_head_rcu(&f->hnode, b);
	wheel_add(t, f, flow_due(t, f));
	t->count++;
}

static void unhash(struct netflow_table *t, struct netflow_flow *f)
{
	hlist_del_rcu(&f->hnode);
	/* a flow still in the old array of a resize is not counted there */
	if (f->gen == t->gen)
		t->used_buckets -= hlist_empty(&t->buckets[f->hash & t->mask]);
	t->count--;
}

void netflow_table_end(struct netflow_table *t, struct netflow_flow *f,
		       u32 now)
{
	unhash(t, f);
	f->state = NETFLOW_FLOW_ENDED;
	f->end_reason = NETFLOW_END_OF_FLOW;
	/* off the wheel: eviction never steps over flows it cannot take */
	list_move_tail(&f->wheel, &t->ended);
	t->nended++;
}

/* Decide one flow of a slot being scanned: out, or to a later slot. */
static bool expire_one(struct netflow_table *t, struct netflow_flow *f,
		       u32 now, struct list_head *out)
{
	u32 due = flow_due(t, f);

	if (tick_before(now, due)) {
		list_del_init(&f->wheel);
		wheel_add(t, f, due);
		return false;
	}
	f->end_reason = tick_before(f->last + t->inactive, f->first + t->active) ?
		NETFLOW_END_IDLE : NETFLOW_END_ACTIVE;
	unhash(t, f);
	list_move_tail(&f->wheel, out);
	return true;
}

unsigned int netflow_table_expire(struct netflow_table *t, u32 now,
				  struct list_head *out, unsigned int budget,
				  bool *more)
{
	unsigned int done = t->nended, seen = 0;
	struct netflow_flow *f, *n;
	u32 i;

	/* ended flows are all due: one splice, whatever their number */
	list_splice_tail_init(&t->ended, out);
	t->nended = 0;
	for (;;) {
		list_for_each_entry_safe(f, n, &t->pending, wheel) {
			/* bound the work, counting re-slotted flows too */
			if (seen == budget) {
				*more = true;
				return done;
			}
			seen++;
			done += expire_one(t, f, now, out);
		}
		/* slots whose time has come: their start tick is <= now */
		if (tick_before(now, t->wheel_time)) {
			*more = false;
			return done;
		}
		i = slot_index(t, t->wheel_time);
		list_splice_tail_init(&t->slots[i], &t->pending);
		slot_mark(t, i, false);
		t->wheel_time += 1U << t->slot_shift;
	}
}

/* The wheel and pending hold live flows only: the first one goes. */
static struct netflow_flow *evict_from(struct netflow_table *t,
				       struct list_head *slot)
{
	struct netflow_flow *f;

	t->evict_steps++;
	if (list_empty(slot))
		return NULL;
	f = list_first_entry(slot, struct netflow_flow, wheel);
	unhash(t, f);
	f->end_reason = NETFLOW_END_LACK_OF_RESOURCES;
	list_del_init(&f->wheel);
	return f;
}

struct netflow_flow *netflow_table_evict(struct netflow_table *t)
{
	u32 start = slot_index(t, t->wheel_time);
	struct netflow_flow *f;
	int off = 0;

	if (!t->count)
		return NULL;
	f = evict_from(t, &t->pending);
	while (!f) {
		u32 s;

		off = slot_next_used(t, start, off);
		if (off < 0)
			return NULL;
		s = (start + off) & (NETFLOW_WHEEL_SLOTS - 1);
		f = evict_from(t, &t->slots[s]);
		/* a stale bit: the slot emptied since, e.g. by FIN or evict */
		if (list_empty(&t->slots[s]))
			slot_mark(t, s, false);
		off++;
	}
	return f;
}

unsigned int netflow_table_drain(struct netflow_table *t,
				 struct list_head *out, u8 reason)
{
	struct netflow_flow *f, *n;
	unsigned int done = 0;
	u32 i;

	done = t->nended;
	list_splice_tail_init(&t->ended, out);
	t->nended = 0;
	for (i = 0; i <= NETFLOW_WHEEL_SLOTS; i++) {
		struct list_head *slot = i == NETFLOW_WHEEL_SLOTS ?
			&t->pending : &t->slots[i];

		list_for_each_entry_safe(f, n, slot, wheel) {
			unhash(t, f);
			f->end_reason = reason;
			list_move_tail(&f->wheel, out);
			done++;
		}
	}
	memset(t->used, 0, sizeof(t->used));
	return done;
}

/* Readers on other CPUs pair buckets and mask by resize_seq. */
static void publish_buckets(struct netflow_table *t, struct hlist_head *b,
			    u32 nbuckets)
{
	WRITE_ONCE(t->resize_seq, t->resize_seq + 1);
	smp_wmb();	/* odd seq visible before the pair changes */
	WRITE_ONCE(t->buckets, b);
	WRITE_ONCE(t->mask, nbuckets - 1);
	smp_wmb();	/* the pair visible before seq is even again */
	WRITE_ONCE(t->resize_seq, t->resize_seq + 1);
}

struct hlist_head *netflow_table_detach(struct netflow_table *t,
					struct hlist_head *fresh,
					struct list_head *out)
{
	struct hlist_head *old = t->buckets;
	u32 i, nbuckets = t->mask + 1;

	/* the flows stay linked in @old, where only RCU readers see them */
	publish_buckets(t, fresh, nbuckets);
	list_splice_tail_init(&t->ended, out);
	list_splice_tail_init(&t->pending, out);
	for (i = 0; i < NETFLOW_WHEEL_SLOTS; i++)
		list_splice_tail_init(&t->slots[i], out);
	memset(t->used, 0, sizeof(t->used));
	t->count = 0;
	t->nended = 0;
	t->used_buckets = 0;
	t->sweep_pos = 0;
	t->sweep_longest = 0;
	return old;
}

void netflow_table_rehash_start(struct netflow_table *t,
				struct hlist_head *buckets, u32 nbuckets)
{
	t->old_buckets = t->buckets;
	t->old_mask = t->mask;
	t->old_pos = 0;
	t->gen++;
	t->used_buckets = 0;
	/* the sweep starts over on the new buckets */
	t->sweep_pos = 0;
	t->sweep_longest = 0;
	publish_buckets(t, buckets, nbuckets);
}

struct hlist_head *netflow_table_rehash_step(struct netflow_table *t,
					     u32 budget)
{
	struct hlist_head *old = t->old_buckets;

	/*
	 * Readers walking an old chain may follow a moved flow into a new
	 * chain and miss some flows: only the /proc dump reads this way.
	 */
	while (budget-- && t->old_pos <= t->old_mask) {
		struct hlist_head *ob = &old[t->old_pos++];

		while (ob->first) {
			struct netflow_flow *f = container_of(ob->first,
						struct netflow_flow, hnode);
			struct hlist_head *b = &t->buckets[f->hash & t->mask];

			hlist_del_rcu(&f->hnode);
			f->gen = t->gen;
			t->used_buckets += hlist_empty(b);
			hlist_add_head_rcu(&f->hnode, b);
		}
	}
	if (t->old_pos <= t->old_mask)
		return NULL;
	t->old_buckets = NULL;
	return old;
}

struct hlist_head *netflow_table_rehash(struct netflow_table *t,
					struct hlist_head *buckets,
					u32 nbuckets)
{
	u32 i;

	for (i = 0; i < nbuckets; i++)
		INIT_HLIST_HEAD(&buckets[i]);
	netflow_table_rehash_start(t, buckets, nbuckets);
	return netflow_table_rehash_step(t, ~0U);
}

void netflow_table_chain_stats(const struct netflow_table *t, u32 *longest,
			       u64 *used_buckets)
{
	u32 i, n, mask, best = 0;
	struct hlist_head *buckets;
	struct netflow_flow *f;
	u64 used = 0;

	netflow_table_snapshot(t, &buckets, &mask);
	for (i = 0; i <= mask; i++) {
		n = 0;
		hlist_for_each_entry_rcu(f, &buckets[i], hnode)
			n++;
		used += n != 0;
		if (n > best)
			best = n;
	}
	*longest = best;
	*used_buckets = used;
}

void netflow_table_chain_sweep(struct netflow_table *t, u32 budget)
{
	struct netflow_flow *f;
	u32 n;

	while (budget--) {
		n = 0;
		hlist_for_each_entry_rcu(f, &t->buckets[t->sweep_pos], hnode)
			n++;
		if (n > t->sweep_longest)
			t->sweep_longest = n;
		if (t->sweep_pos++ == t->mask) {
			WRITE_ONCE(t->longest, t->sweep_longest);
			t->sweep_pos = 0;
			t->sweep_longest = 0;
		}
	}
}
