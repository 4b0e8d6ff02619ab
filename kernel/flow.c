// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path: parse a packet to its key, find or create its flow in
 * this CPU's table, count it. BH off, no lock, no shared line written.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netfilter.h>
#include <linux/tcp.h>
#include "netflow.h"
#include "flow.h"
#include "flowcpu.h"
#include "pkt.h"
#include "l2_skb.h"

/*
 * Inlined into its callers: with mac, vlan and promisc off, l2 is NULL
 * there; m (the labels) is NULL unless promisc is on.
 */
static __always_inline struct netflow_flow *
flow_create(struct netflow_cpu *nc, struct netflow_cpu_stats *st,
	    const struct sk_buff *skb, const struct netflow_key *key, u32 hash,
	    u32 now, const struct netflow_pktinfo *info, unsigned int hook,
	    const struct net_device *in, const struct net_device *out,
	    u16 masks, const struct netflow_l2 *l2,
	    const struct netflow_mpls *m)
{
	struct netflow_table *t = &nc->table;
	struct netflow_flow_mpls *xm = NULL;
	struct netflow_flow_ext *x = NULL;
	struct netflow_flow *f;
	unsigned int room;

	/* every object counts: live, ended, evicted, exported until freed */
	room = netflow_table_room(t, nc->allocated -
				  (u32)atomic_read(&nc->freed));
	if (unlikely(room)) {
		if (room & NETFLOW_ROOM_EVICT) {
			/* the flow due soonest leaves early for the new one */
			f = netflow_table_evict(t);
			if (f) {
				list_add_tail(&f->wheel, &nc->ready);
				st->maxflows++;
				nc->ready_len++;
			}
		}
		/* export what waits before the reserve runs out */
		if (!nc->kicked &&
		    (nc->ready_len >= netflow_table_reserve(t->limit) / 2 ||
		     (room & NETFLOW_ROOM_REFUSE)))
			netflow_cpu_kick(nc);
		if (room & NETFLOW_ROOM_REFUSE) {
			st->full++;
			return NULL;
		}
	}
	/* per new flow, not per packet; all off: two reads */
	if (unlikely(m && !netflow_mpls_zero(m))) {
		xm = kmem_cache_alloc(netflow_flow_mpls_cache,
				      GFP_ATOMIC | __GFP_NOWARN);
		x = xm ? &xm->x : NULL;
		f = x ? &x->base : NULL;
	} else if (unlikely(netflow_snmp_enabled() || masks ||
			    READ_ONCE(netflow_cfg.physdev) ||
			    (l2 && !netflow_l2_zero(l2)))) {
		x = kmem_cache_alloc(netflow_flow_ext_cache,
				     GFP_ATOMIC | __GFP_NOWARN);
		f = x ? &x->base : NULL;
	} else {
		f = kmem_cache_alloc(netflow_flow_cache,
				     GFP_ATOMIC | __GFP_NOWARN);
	}
	if (unlikely(!f)) {
		st->alloc_fail++;
		return NULL;
	}
	nc->allocated++;
	netflow_flow_fill(f, key, hash, now, info->flow_label,
			  (hook == NF_INET_LOCAL_OUT ||
			   hook == NF_INET_POST_ROUTING) ?
			  NETFLOW_DIR_EGRESS : NETFLOW_DIR_INGRESS);
	f->cpu = nc->cpu;
	if (unlikely(x)) {
		f->ext = NETFLOW_FLOW_EXT |
			 netflow_snmp_map_devs(in, out, &x->snmp_in,
					       &x->snmp_out);
		if (READ_ONCE(netflow_cfg.physdev)) {
			netflow_physdev_ports(skb, in, out, &x->phys_in,
					      &x->phys_out);
			f->ext |= NETFLOW_FLOW_PHYS;
		}
		if (masks) {
			x->src_mask = masks >> 8;
			x->dst_mask = masks & 0xff;
			f->ext |= NETFLOW_FLOW_AGGR;
		}
		if (l2 && !netflow_l2_zero(l2)) {
			x->l2 = *l2;
			f->ext |= NETFLOW_FLOW_L2;
		}
		if (xm) {
			xm->mpls = *m;
			f->ext |= NETFLOW_FLOW_MPLS;
		}
	}
	netflow_table_insert(t, f);
	st->created++;
	if (t->count > nc->peak)
		nc->peak = t->count;
	return f;
}

/*
 * A GSO packet from a tap/vhost-net (virtio_net_hdr_to_skb() marks it
 * SKB_GSO_DODGY) or from packet sockets comes with gso_segs 0: the
 * segments are the payload after the L3+L4 headers cut into gso_size
 * pieces, the count qdisc_pkt_len_init() derives the same way. This
 * division runs for such packets only; GRO and local TCP set gso_segs.
 * Other GSO types (tunnels, UFO fragments) stay one packet.
 */
static noinline u32 gso_segs_dodgy(const struct sk_buff *skb,
				   unsigned int len, unsigned int hdr_len)
{
	const struct skb_shared_info *sh = skb_shinfo(skb);

	if (!(sh->gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6 |
			      SKB_GSO_UDP_L4)) ||
	    !sh->gso_size || len <= hdr_len)
		return 1;
	return DIV_ROUND_UP(len - hdr_len, sh->gso_size);
}

/* A packet whose key is hashed: its flow @f, or a new one; counted. */
static __always_inline void flow_update(struct netflow_cpu *nc,
					struct netflow_cpu_stats *st,
					const struct sk_buff *skb,
					struct netflow_flow *f,
					const struct netflow_key *key,
					u32 hash,
					const struct netflow_pktinfo *info,
					unsigned int hook,
					const struct net_device *in,
					const struct net_device *out, u16 masks,
					const struct netflow_l2 *l2,
					const struct netflow_mpls *m,
					u32 segs, u64 bytes)
{
	u32 now = (u32)jiffies;

	if (likely(f)) {
		st->found++;
	} else {
		f = flow_create(nc, st, skb, key, hash, now, info, hook, in,
				out, masks, l2, m);
		if (unlikely(!f)) {
			st->drop_pkts += segs;
			st->drop_bytes += bytes;
			return;
		}
	}
	if (netflow_flow_add(f, segs, bytes, info->tcp_flags, now))
		netflow_table_end(&nc->table, f, now);
}

/*
 * mac, vlan or promisc on: the link layer is part of the key. A packet
 * without one (local, ppp, tun) hashes as with all off; one with MACs or
 * tags hashes them after the key's bytes, and a label stack after those.
 * Out of line, so that with all off the packet path is the same code as
 * without the feature; @mpls (promisc on) is a constant in each copy.
 */
static __always_inline void
flow_account_l2_body(struct netflow_cpu *nc, struct netflow_cpu_stats *st,
		     const struct sk_buff *skb, const struct netflow_key *key,
		     const void *hp, unsigned int hlen,
		     const struct netflow_pktinfo *info, unsigned int hook,
		     const struct net_device *in, const struct net_device *out,
		     u16 masks, u32 segs, u64 bytes, bool mpls)
{
	struct netflow_mpls labels;
	struct netflow_l2 l2;
	bool have_mpls = false;
	u64 x[4];
	u32 hash;

	netflow_l2_capture(skb, &l2);
	if (mpls) {
		netflow_mpls_capture(skb, &labels);
		have_mpls = !netflow_mpls_zero(&labels);
	}
	if (netflow_l2_zero(&l2) && !have_mpls) {
		hash = netflow_flow_hash(hp, hlen / 8, NULL, 0,
					 &netflow_hash_key);
	} else if (!have_mpls) {
		hash = netflow_flow_hash(hp, hlen / 8, (const u64 *)&l2, 2,
					 &netflow_hash_key);
	} else {
		memcpy(x, &l2, sizeof(l2));
		memcpy(x + 2, &labels, sizeof(labels));
		hash = netflow_flow_hash(hp, hlen / 8, x, 4,
					 &netflow_hash_key);
	}
	flow_update(nc, st, skb,
		    netflow_table_lookup_l2(&nc->table, key, &l2,
					    mpls ? &labels : NULL, hash),
		    key, hash, info, hook, in, out, masks, &l2,
		    mpls ? &labels : NULL, segs, bytes);
}

/* promisc off: the body without labels, after a patched-out jump */
static noinline void flow_account_l2(struct netflow_cpu *nc,
				     struct netflow_cpu_stats *st,
				     const struct sk_buff *skb,
				     const struct netflow_key *key,
				     const void *hp, unsigned int hlen,
				     const struct netflow_pktinfo *info,
				     unsigned int hook,
				     const struct net_device *in,
				     const struct net_device *out, u16 masks,
				     u32 segs, u64 bytes)
{
	if (static_branch_unlikely(&netflow_mpls_on))
		flow_account_l2_body(nc, st, skb, key, hp, hlen, info, hook,
				     in, out, masks, segs, bytes, true);
	else
		flow_account_l2_body(nc, st, skb, key, hp, hlen, info, hook,
				     in, out, masks, segs, bytes, false);
}

static void flow_account(struct sk_buff *skb, u8 family, unsigned int hook,
			 const struct net_device *in,
			 const struct net_device *out)
{
	struct netflow_cpu_stats *st = this_cpu_ptr(&netflow_stats);
	struct netflow_cpu *nc = this_cpu_ptr(netflow_cpus);
	unsigned int nhoff = skb_network_offset(skb);
	struct netflow_pkt pkt = {
		.skb = skb, .nhoff = nhoff, .len = skb->len - nhoff,
	};
	struct netflow_pktinfo info;
	struct netflow_hash_input hin;
	struct netflow_key key;
	u32 hash, segs = 1;
	unsigned int hlen;
	u16 masks = 0;
	const void *hp;
	u64 bytes;
	int rc;

	rc = netflow_key_parse(&pkt, family == NFPROTO_IPV6 ? 6 : 4, &key,
			       &info);
	if (unlikely(rc < 0)) {
		/* not even an IP header: counted, never read further */
		st->pkts++;
		st->bytes += pkt.len;
		st->trunc++;
		st->drop_pkts++;
		st->drop_bytes += pkt.len;
		return;
	}
	bytes = info.l3_bytes;
	if (skb_is_gso(skb)) {
		/* count what goes on the wire: every segment, its headers */
		segs = skb_shinfo(skb)->gso_segs;
		if (unlikely(!segs))
			segs = gso_segs_dodgy(skb, pkt.len, info.hdr_len);
		bytes = pkt.len + (u64)(segs - 1) * info.hdr_len;
	}
	if (unlikely(info.flags & (NETFLOW_PKT_TRUNC | NETFLOW_PKT_FRAG_LATER))) {
		st->trunc += !!(info.flags & NETFLOW_PKT_TRUNC);
		st->frag += !!(info.flags & NETFLOW_PKT_FRAG_LATER);
	}
	st->pkts += segs;
	st->bytes += bytes;

	key.ifindex_in = in ? in->ifindex : 0;
	key.ifindex_out = out ? out->ifindex : 0;
	/* no rules: a patched-out jump */
	if (static_branch_unlikely(&netflow_aggr_on))
		masks = netflow_aggr_key(&key);
	hp = netflow_key_hash_input(&key, &hin, &hlen);
	/* mac, vlan and promisc off: a patched-out jump */
	if (static_branch_unlikely(&netflow_l2_on)) {
		flow_account_l2(nc, st, skb, &key, hp, hlen, &info, hook, in,
				out, masks, segs, bytes);
		return;
	}
	hash = netflow_flow_hash(hp, hlen / 8, NULL, 0, &netflow_hash_key);
	flow_update(nc, st, skb, netflow_table_lookup(&nc->table, &key, hash),
		    &key, hash, &info, hook, in, out, masks, NULL, NULL, segs,
		    bytes);
}

void netflow_flow_account(struct sk_buff *skb, u8 family, unsigned int hook,
			  const struct net_device *in,
			  const struct net_device *out)
{
	local_lock_nested_bh(&netflow_cpus->bh_lock);
	flow_account(skb, family, hook, in, out);
	local_unlock_nested_bh(&netflow_cpus->bh_lock);
}
