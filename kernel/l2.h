/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The link layer of a flow (mac=1, vlan=1): Ethernet addresses and up to
 * two 802.1Q/802.1ad tags. Like the 5-tuple they tell flows apart (a VM
 * spoofing another's address still has its own MAC); they live in the
 * flow's extension object so the base entry does not grow. With promisc=1
 * also the top of a mirrored frame's MPLS label stack, in a struct of its
 * own so that the MAC/VLAN key does not grow for it. Pure: the header
 * walks are also built in userspace.
 */
#ifndef NETFLOW_L2_H
#define NETFLOW_L2_H

#include "pure.h"

#define NETFLOW_ETH_ALEN	6
#define NETFLOW_ETH_HLEN	14
#define NETFLOW_ETH_P_8021Q	0x8100
#define NETFLOW_ETH_P_8021AD	0x88a8
#define NETFLOW_ETH_P_MPLS_UC	0x8847
#define NETFLOW_ETH_P_MPLS_MC	0x8848
#define NETFLOW_L2_TAGS		2
#define NETFLOW_L2_TAGS_WALK	4	/* tags skipped to find MPLS */
#define NETFLOW_MPLS_DEPTH	3	/* label entries kept, as Debian's 2.6 */
#define NETFLOW_MPLS_BOS	0x100	/* bottom of stack bit of an entry */

/* netflow_cfg.l2 bits: the field groups captured and exported */
#define NETFLOW_L2_MAC		1	/* IEs 80/56 */
#define NETFLOW_L2_VLAN		2	/* 58 (v9); 243-246 (IPFIX) */
#define NETFLOW_L2_MPLS		4	/* 200, 70-72 (promisc) */
#define NETFLOW_L2_GROUPS	(NETFLOW_L2_MAC | NETFLOW_L2_VLAN | NETFLOW_L2_MPLS)

/*
 * Compared and hashed as two u64 words: every byte is defined (zero when
 * absent). A TCI of 0 means untagged, as in ipt_NETFLOW.
 */
struct netflow_l2 {
	u8 dst_mac[NETFLOW_ETH_ALEN];
	u8 src_mac[NETFLOW_ETH_ALEN];
	u16 vlan[NETFLOW_L2_TAGS];	/* whole TCI: PCP, DEI, VID; outer first */
} __aligned(8);

_Static_assert(sizeof(struct netflow_l2) == 16, "l2 is two words");

static inline bool netflow_l2_zero(const struct netflow_l2 *l2)
{
	const u64 *x = (const u64 *)l2;

	return !(x[0] | x[1]);
}

static inline bool netflow_l2_equal(const struct netflow_l2 *a,
				    const struct netflow_l2 *b)
{
	const u64 *x = (const u64 *)a, *y = (const u64 *)b;

	return !((x[0] ^ y[0]) | (x[1] ^ y[1]));
}

/*
 * From the @len bytes of a frame's link header (Ethernet header and any
 * in-band tags, up to the L3 header): the MACs when @groups has
 * NETFLOW_L2_MAC, and in-band tags into the free vlan[] slots when it has
 * NETFLOW_L2_VLAN; @ntags slots are already taken (by a tag the NIC or
 * the VLAN device stripped). A header shorter than Ethernet's (ppp, tun,
 * a local packet) leaves the MACs zero.
 */
static inline void netflow_l2_from_header(struct netflow_l2 *l2,
					  const u8 *hdr, unsigned int len,
					  unsigned int groups,
					  unsigned int ntags)
{
	unsigned int off = 2 * NETFLOW_ETH_ALEN;

	if (len < NETFLOW_ETH_HLEN)
		return;
	if (groups & NETFLOW_L2_MAC) {
		memcpy(l2->dst_mac, hdr, NETFLOW_ETH_ALEN);
		memcpy(l2->src_mac, hdr + NETFLOW_ETH_ALEN, NETFLOW_ETH_ALEN);
	}
	if (!(groups & NETFLOW_L2_VLAN))
		return;
	/* off: the type field; a tag is TPID then TCI, then the next type */
	while (ntags < NETFLOW_L2_TAGS && off + 6 <= len) {
		u16 type = (u16)hdr[off] << 8 | hdr[off + 1];

		if (type != NETFLOW_ETH_P_8021Q && type != NETFLOW_ETH_P_8021AD)
			break;
		l2->vlan[ntags++] = (u16)hdr[off + 2] << 8 | hdr[off + 3];
		off += 4;
	}
}

/*
 * The top label entries of a frame's MPLS stack (label, TC, S, TTL), top
 * first; compared and hashed as two u64 words, all zero for none.
 */
struct netflow_mpls {
	u32 entry[NETFLOW_MPLS_DEPTH];
	u32 pad;
} __aligned(8);

_Static_assert(sizeof(struct netflow_mpls) == 16, "mpls is two words");

static inline bool netflow_mpls_zero(const struct netflow_mpls *m)
{
	const u64 *x = (const u64 *)m;

	return !(x[0] | x[1]);
}

static inline bool netflow_mpls_equal(const struct netflow_mpls *a,
				      const struct netflow_mpls *b)
{
	const u64 *x = (const u64 *)a, *y = (const u64 *)b;

	return !((x[0] ^ y[0]) | (x[1] ^ y[1]));
}

/*
 * From the @len bytes of a frame's link header: past the Ethernet header
 * and up to NETFLOW_L2_TAGS_WALK in-band tags, the top NETFLOW_MPLS_DEPTH
 * entries of an MPLS stack, down to its bottom entry; @m is left as it is
 * (zero) without one.
 */
static inline void netflow_mpls_from_header(struct netflow_mpls *m,
					    const u8 *hdr, unsigned int len)
{
	unsigned int off = 2 * NETFLOW_ETH_ALEN, i;
	u16 type = 0;

	for (i = 0; i <= NETFLOW_L2_TAGS_WALK && off + 2 <= len; i++) {
		type = (u16)hdr[off] << 8 | hdr[off + 1];
		if (type != NETFLOW_ETH_P_8021Q && type != NETFLOW_ETH_P_8021AD)
			break;
		off += 4;
	}
	if (type != NETFLOW_ETH_P_MPLS_UC && type != NETFLOW_ETH_P_MPLS_MC)
		return;
	for (i = 0, off += 2; i < NETFLOW_MPLS_DEPTH && off + 4 <= len;
	     i++, off += 4) {
		m->entry[i] = (u32)hdr[off] << 24 | (u32)hdr[off + 1] << 16 |
			      (u32)hdr[off + 2] << 8 | hdr[off + 3];
		if (m->entry[i] & NETFLOW_MPLS_BOS)
			break;
	}
}

#endif /* NETFLOW_L2_H */
