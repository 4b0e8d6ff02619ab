/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One flow table: hash chains for lookup and a timing wheel for expiry.
 * Each CPU owns one; only its CPU changes it (with BH off), readers of
 * other CPUs walk the chains under RCU. Pure: also built in userspace.
 */
#ifndef NETFLOW_TABLE_CORE_H
#define NETFLOW_TABLE_CORE_H

#include "pure.h"
#include "flowkey.h"
#include "snmprules.h"
#include "l2.h"

#define NETFLOW_TCP_END		0x05	/* FIN | RST */
#define NETFLOW_PROTO_TCP	6

/* Slots of the expiry wheel; a flow due further ahead is re-slotted. */
#define NETFLOW_WHEEL_SLOTS	256

enum netflow_flow_state {
	NETFLOW_FLOW_LIVE = 0,
	NETFLOW_FLOW_ENDED,	/* FIN/RST seen: on the ended list */
};

/*
 * What a packet touches (chain link, hash, key, counters) comes first and
 * spans 92 bytes; the expiry-only fields sit behind it.
 */
struct netflow_flow {
	struct hlist_node hnode;	/* hash chain, RCU */
	u32 hash;
	u32 last;			/* ticks of the last packet */
	struct netflow_key key;
	u64 packets;
	u64 bytes;
	u8 tcp_flags;
	u8 state;			/* enum netflow_flow_state */
	u8 end_reason;			/* set when the flow leaves */
	u8 direction;
	u16 cpu;			/* the table it was created in */
	u8 gen;				/* bucket array it is hashed in */
	u8 ext;				/* NETFLOW_FLOW_EXT, NETFLOW_SNMP_IN/OUT */
	u32 first;			/* ticks of the first packet */
	u32 flow_label;
	struct list_head wheel;		/* wheel slot, or an export list */
};

/* optional features never grow it (issue: nothing costs when off) */
_Static_assert(sizeof(void *) != 8 || sizeof(struct netflow_flow) == 120,
	       "the base flow object is 120 bytes on 64-bit");

/* the object is a struct netflow_flow_ext (from the second slab) */
#define NETFLOW_FLOW_EXT	0x80
/* phys_* valid (physdev was on when the flow was created) */
#define NETFLOW_FLOW_PHYS	0x40
/* src_mask/dst_mask valid (an aggregation rule matched) */
#define NETFLOW_FLOW_AGGR	0x20
/* l2 valid and part of the key (mac or vlan was on, the packet had some) */
#define NETFLOW_FLOW_L2		0x10
/* a struct netflow_flow_mpls (third slab): labels in the key (promisc) */
#define NETFLOW_FLOW_MPLS	0x08

/*
 * Per-flow fields of optional features: a flow created while one is on
 * comes from a second slab with them behind the base object, so the base
 * object stays the same size whatever is switched on.
 */
struct netflow_flow_ext {
	struct netflow_flow base;
	u16 snmp_in, snmp_out;		/* snmp-rules ifIndexes, not in the key */
	u32 phys_in, phys_out;		/* physdev: bridge ports, not in the key */
	u8 src_mask, dst_mask;		/* aggregation: /M of the rules matched */
	struct netflow_l2 l2;		/* mac, vlan: in the key */
};

_Static_assert(sizeof(void *) != 8 || sizeof(struct netflow_flow_ext) == 152,
	       "the extension object is 152 bytes on 64-bit");

/* A flow of frames with an MPLS stack (promisc): the labels behind. */
struct netflow_flow_mpls {
	struct netflow_flow_ext x;
	struct netflow_mpls mpls;	/* in the key */
};

static inline struct netflow_flow_ext *
netflow_flow_ext(const struct netflow_flow *f)
{
	return container_of((struct netflow_flow *)f, struct netflow_flow_ext,
			    base);
}

struct netflow_table {
	struct hlist_head *buckets;	/* RCU-published */
	u32 mask;			/* buckets - 1 (a power of two) */
	u32 count;			/* live (hashed) flows */
	u32 used_buckets;		/* buckets holding a flow */
	u32 nended;			/* flows on the ended list */
	u32 limit;			/* most flow objects, 0 = no limit */
	u32 active;			/* active timeout, ticks */
	u32 inactive;			/* inactive timeout, ticks */
	u32 slot_shift;			/* a slot spans 1 << slot_shift ticks */
	u32 wheel_time;			/* tick the next slot is scanned at */
	u32 resize_seq;			/* odd while buckets/mask change */
	/*
	 * A resize moves the old chains over a bounded step at a time: new
	 * flows go to the new array, a lookup that misses there tries the
	 * old one until every old bucket has moved.
	 */
	struct hlist_head *old_buckets;	/* NULL unless resizing */
	u32 old_mask, old_pos;		/* old buckets below old_pos moved */
	u8 gen;				/* counts bucket arrays */
	struct list_head slots[NETFLOW_WHEEL_SLOTS];
	struct list_head pending;	/* a slot detached, being scanned */
	/* FIN/RST-ended flows, unhashed, off the wheel: the scan takes all */
	struct list_head ended;
	u64 evict_steps;		/* slots and flows eviction looked at */
	/*
	 * Longest chain, from a sweep of the buckets a bounded step at a
	 * time by the worker: readers of /proc never walk the buckets.
	 */
	u32 longest;			/* of the last complete sweep */
	u32 sweep_pos, sweep_longest;
	/*
	 * Bit per slot, clear only if the slot is empty (set bits may be
	 * stale): eviction finds the next used slot without walking the
	 * empty ones, which with hour-long timeouts are nearly all of them.
	 */
	u64 used[NETFLOW_WHEEL_SLOTS / 64];
};

void netflow_table_init(struct netflow_table *t, struct hlist_head *buckets,
			u32 nbuckets, u32 slot_shift, u32 now);
void netflow_table_set_timeouts(struct netflow_table *t, u32 active,
				u32 inactive);

/* Six word compares: the kernel's memcmp() is an out-of-line call. */
static inline bool netflow_key_equal(const struct netflow_key *a,
				     const struct netflow_key *b)
{
	const u64 *x = (const u64 *)a, *y = (const u64 *)b;

	_Static_assert(sizeof(*a) == 6 * sizeof(u64), "key is six words");
	return !((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) |
		 (x[3] ^ y[3]) | (x[4] ^ y[4]) | (x[5] ^ y[5]));
}

/* The live flow with this key, or NULL. */
static inline struct netflow_flow *
netflow_table_lookup(const struct netflow_table *t,
		     const struct netflow_key *key, u32 hash)
{
	struct netflow_flow *f;

	hlist_for_each_entry_rcu(f, &t->buckets[hash & t->mask], hnode)
		if (f->hash == hash && netflow_key_equal(&f->key, key))
			return f;
	/* only a new flow's lookup gets here */
	if (unlikely(t->old_buckets))
		hlist_for_each_entry_rcu(f, &t->old_buckets[hash & t->old_mask],
					 hnode)
			if (f->hash == hash && netflow_key_equal(&f->key, key))
				return f;
	return NULL;
}

static inline struct netflow_flow_mpls *
netflow_flow_mpls(const struct netflow_flow *f)
{
	return container_of(netflow_flow_ext(f), struct netflow_flow_mpls, x);
}

/*
 * The key's link-layer part: a flow without one has an all-zero l2; @m,
 * the packet's labels, is NULL (a constant) while promisc is off.
 */
static __always_inline bool netflow_flow_l2_match(const struct netflow_flow *f,
						  const struct netflow_l2 *l2,
						  const struct netflow_mpls *m)
{
	if (m && !(f->ext & NETFLOW_FLOW_MPLS) != netflow_mpls_zero(m))
		return false;
	if (m && (f->ext & NETFLOW_FLOW_MPLS) &&
	    !netflow_mpls_equal(&netflow_flow_mpls(f)->mpls, m))
		return false;
	if (!(f->ext & NETFLOW_FLOW_L2))
		return netflow_l2_zero(l2);
	return netflow_l2_equal(&netflow_flow_ext(f)->l2, l2);
}

/* Lookup while mac, vlan or promisc is on: the link layer is in the key. */
static __always_inline struct netflow_flow *
netflow_table_lookup_l2(const struct netflow_table *t,
			const struct netflow_key *key,
			const struct netflow_l2 *l2,
			const struct netflow_mpls *m, u32 hash)
{
	struct netflow_flow *f;

	hlist_for_each_entry_rcu(f, &t->buckets[hash & t->mask], hnode)
		if (f->hash == hash && netflow_key_equal(&f->key, key) &&
		    netflow_flow_l2_match(f, l2, m))
			return f;
	if (unlikely(t->old_buckets))
		hlist_for_each_entry_rcu(f, &t->old_buckets[hash & t->old_mask],
					 hnode)
			if (f->hash == hash &&
			    netflow_key_equal(&f->key, key) &&
			    netflow_flow_l2_match(f, l2, m))
				return f;
	return NULL;
}

/*
 * For readers on other CPUs (under RCU): a bucket array and mask that
 * belong together, even while the owner resizes the table.
 */
static inline void netflow_table_snapshot(const struct netflow_table *t,
					  struct hlist_head **buckets,
					  u32 *mask)
{
	u32 seq;

	do {
		seq = READ_ONCE(t->resize_seq);
		smp_rmb();	/* seq before the pair: pairs publish_buckets */
		*buckets = READ_ONCE(t->buckets);
		*mask = READ_ONCE(t->mask);
		smp_rmb();	/* the pair before the seq re-check */
	} while ((seq & 1) || seq != READ_ONCE(t->resize_seq));
}

/*
 * The bytes a key is hashed on. An IPv4 key packs into three words (its
 * address unions are 12 zero bytes each), so the keyed hash runs three
 * compression rounds instead of six. The packing is injective: distinct
 * IPv4 keys never share hash input, so the hash stays as hard to collide.
 */
struct netflow_hash_input {
	u64 w[3];
};

static inline const void *netflow_key_hash_input(const struct netflow_key *k,
						 struct netflow_hash_input *in,
						 unsigned int *len)
{
	const u64 *x = (const u64 *)k;

	if (k->family == 6) {
		*len = sizeof(*k);
		return k;
	}
	in->w[0] = (u64)(__force u32)k->src.ip4 << 32 |
		   (__force u32)k->dst.ip4;
	in->w[1] = x[4];	/* ports, ifindex_in */
	in->w[2] = x[5];	/* ifindex_out, protocol, tos, family, pad */
	*len = sizeof(*in);
	return in;
}

/* A new flow's fields before netflow_table_insert(); counters at zero. */
static inline void netflow_flow_fill(struct netflow_flow *f,
				     const struct netflow_key *key, u32 hash,
				     u32 now, u32 flow_label, u8 direction)
{
	f->key = *key;
	f->hash = hash;
	f->first = now;
	f->last = now;
	f->packets = 0;
	f->bytes = 0;
	f->tcp_flags = 0;
	f->end_reason = 0;
	f->flow_label = flow_label;
	f->direction = direction;
	f->ext = 0;
}

/* Account @segs packets; true when they end a TCP flow (FIN or RST). */
static inline bool netflow_flow_add(struct netflow_flow *f, u32 segs,
				    u64 bytes, u8 tcp_flags, u32 now)
{
	f->packets += segs;
	f->bytes += bytes;
	f->last = now;
	f->tcp_flags |= tcp_flags;
	return unlikely(tcp_flags & NETFLOW_TCP_END) &&
	       f->key.protocol == NETFLOW_PROTO_TCP;
}

/* The encoders' view of a flow; times already converted to ms. */
static inline void netflow_flow_to_record(const struct netflow_flow *f,
					  struct netflow_record *r,
					  u64 first_ms, u64 last_ms)
{
	r->src = f->key.src;
	r->dst = f->key.dst;
	r->packets = f->packets;
	r->bytes = f->bytes;
	r->first_ms = first_ms;
	r->last_ms = last_ms;
	r->ifindex_in = f->key.ifindex_in;
	r->ifindex_out = f->key.ifindex_out;
	if (unlikely(f->ext & (NETFLOW_SNMP_IN | NETFLOW_SNMP_OUT))) {
		const struct netflow_flow_ext *x = netflow_flow_ext(f);

		if (f->ext & NETFLOW_SNMP_IN)
			r->ifindex_in = x->snmp_in;
		if (f->ext & NETFLOW_SNMP_OUT)
			r->ifindex_out = x->snmp_out;
	}
	/* a flow from before physdev was on: its in/out devices */
	r->phys_in = r->ifindex_in;
	r->phys_out = r->ifindex_out;
	if (unlikely(f->ext & NETFLOW_FLOW_PHYS)) {
		r->phys_in = netflow_flow_ext(f)->phys_in;
		r->phys_out = netflow_flow_ext(f)->phys_out;
	}
	r->src_mask = 0;
	r->dst_mask = 0;
	if (unlikely(f->ext & NETFLOW_FLOW_AGGR)) {
		r->src_mask = netflow_flow_ext(f)->src_mask;
		r->dst_mask = netflow_flow_ext(f)->dst_mask;
	}
	if (unlikely(f->ext & NETFLOW_FLOW_L2)) {
		const struct netflow_l2 *l2 = &netflow_flow_ext(f)->l2;

		memcpy(r->src_mac, l2->src_mac, sizeof(r->src_mac));
		memcpy(r->dst_mac, l2->dst_mac, sizeof(r->dst_mac));
		r->vlan[0] = l2->vlan[0];
		r->vlan[1] = l2->vlan[1];
	} else {
		memset(r->src_mac, 0, sizeof(r->src_mac));
		memset(r->dst_mac, 0, sizeof(r->dst_mac));
		r->vlan[0] = 0;
		r->vlan[1] = 0;
	}
	if (unlikely(f->ext & NETFLOW_FLOW_MPLS))
		memcpy(r->mpls, netflow_flow_mpls(f)->mpls.entry,
		       sizeof(r->mpls));
	else
		memset(r->mpls, 0, sizeof(r->mpls));
	r->flow_label = f->flow_label;
	r->sport = ntohs(f->key.sport);
	r->dport = ntohs(f->key.dport);
	r->family = f->key.family;
	r->protocol = f->key.protocol;
	r->tos = f->key.tos;
	r->tcp_flags = f->tcp_flags;
	r->end_reason = f->end_reason;
	r->direction = f->direction;
}

/* Link a new flow (key, hash, first and last already set). */
void netflow_table_insert(struct netflow_table *t, struct netflow_flow *f);

/* FIN/RST: unhash the flow now, export it at the next scan. */
void netflow_table_end(struct netflow_table *t, struct netflow_flow *f,
		       u32 now);

/*
 * Move the flows due by @now (idle, active timeout, ended) to @out,
 * unhashed, with end_reason set; returns how many. Looks at @budget flows
 * at most and sets @more when it stopped for that: call again.
 */
unsigned int netflow_table_expire(struct netflow_table *t, u32 now,
				  struct list_head *out, unsigned int budget,
				  bool *more);

/* The live flow due soonest, unhashed, for a full table; NULL if none. */
struct netflow_flow *netflow_table_evict(struct netflow_table *t);

/*
 * maxflows bounds flow objects in every state: live, ended, and out of the
 * table (evicted or expired, being exported, waiting for RCU) until freed.
 * Live flows are evicted once objects reach the limit less a reserve, so
 * what waits for export has room; at the limit itself a new flow is refused
 * (its packet counted as dropped) until the exporter frees objects.
 */
/* What a new flow needs first, as flags. */
enum {
	NETFLOW_ROOM_EVICT = 1,		/* evict the live flow due soonest */
	NETFLOW_ROOM_REFUSE = 2,	/* every object in use: no new flow */
};

/* Objects kept free of live flows for those waiting for export. */
static inline u32 netflow_table_reserve(u32 limit)
{
	u32 r = limit / 8;

	return limit < 2 ? 0 : r < 1 ? 1 : r > 65536 ? 65536 : r;
}

/*
 * Room for one more flow when this table's CPU holds @objects in all.
 * At the limit, live flows over their share (maxflows was lowered) still
 * leave one per refused packet; within the share they are kept.
 */
static inline unsigned int netflow_table_room(const struct netflow_table *t,
					      u32 objects)
{
	u32 limit = t->limit, share;

	if (!limit)
		return 0;
	share = limit - netflow_table_reserve(limit);
	if (objects >= limit)
		return NETFLOW_ROOM_REFUSE |
		       (t->count > share ? NETFLOW_ROOM_EVICT : 0);
	return objects >= share && t->count ? NETFLOW_ROOM_EVICT : 0;
}

/* Every flow to @out with @reason (flush, unload). Returns how many. */
unsigned int netflow_table_drain(struct netflow_table *t,
				 struct list_head *out, u8 reason);

/*
 * Every flow out at once, for a flush, in O(wheel slots) whatever their
 * number: the chains stay in the old bucket array (returned; free it after
 * an RCU grace period), @fresh (all empty, the same size) takes its place,
 * the wheel and ended lists move to @out. Live flows keep end_reason 0:
 * the caller sets the reason afterwards, with BH on.
 */
struct hlist_head *netflow_table_detach(struct netflow_table *t,
					struct hlist_head *fresh,
					struct list_head *out);

/* After new timeouts: every flow is looked at again by the next scans. */
void netflow_table_reslot(struct netflow_table *t);

/*
 * Resize: publish @buckets (all empty: zeroed), new flows go there; then
 * move the old chains with netflow_table_rehash_step(), @budget old
 * buckets at a time, until it returns the old array (free it after an RCU
 * grace period).
 */
void netflow_table_rehash_start(struct netflow_table *t,
				struct hlist_head *buckets, u32 nbuckets);
struct hlist_head *netflow_table_rehash_step(struct netflow_table *t,
					     u32 budget);

/* The whole resize at once (no packet path running); returns the old. */
struct hlist_head *netflow_table_rehash(struct netflow_table *t,
					struct hlist_head *buckets,
					u32 nbuckets);

/* Longest and total chain length, for the hash quality metric. */
void netflow_table_chain_stats(const struct netflow_table *t, u32 *longest,
			       u64 *used_buckets);

/* Owner: look at @budget more buckets for the longest chain. */
void netflow_table_chain_sweep(struct netflow_table *t, u32 budget);

#endif /* NETFLOW_TABLE_CORE_H */
