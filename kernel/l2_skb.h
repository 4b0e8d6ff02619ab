/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A packet's link layer for its flow key (mac, vlan, promisc's MPLS
 * labels): a few loads from the skb and its Ethernet header, inlined into
 * the packet path (a call there costs as much as the loads).
 */
#ifndef NETFLOW_L2_SKB_H
#define NETFLOW_L2_SKB_H

#include <linux/skbuff.h>
#include <linux/netdevice.h>
#include "compat.h"
#include "netflow.h"

/* The frame's link header, wholly in the head before the L3 header. */
static __always_inline const u8 *netflow_l2_header(const struct sk_buff *skb,
						   unsigned int *len)
{
	const u8 *mh;

	if (!skb_mac_header_was_set(skb))
		return NULL;
	mh = skb_mac_header(skb);
	if (mh < skb->head || skb_network_header(skb) < mh)
		return NULL;
	*len = skb_network_header(skb) - mh;
	return mh;
}

/*
 * The tags first: one the NIC or a vlan-filtering bridge keeps beside the
 * packet (the whole TCI), else the VLAN device the packet came in on or
 * goes out of (its VID: the device stripped the tag); then the in-band
 * tags. The MACs are those of the frame as received, also at FORWARD and
 * POSTROUTING; a local packet has none.
 */
static __always_inline void netflow_l2_capture(const struct sk_buff *skb,
					       struct netflow_l2 *l2)
{
	unsigned int groups = READ_ONCE(netflow_cfg.l2);
	unsigned int ntags = 0, len;
	const u8 *mh;

	memset(l2, 0, sizeof(*l2));
	if (groups & NETFLOW_L2_VLAN) {
		l2->vlan[0] = skb_vlan_tag_present(skb) ?
			      skb_vlan_tag_get(skb) :
			      netflow_vlan_dev_vid(skb->dev);
		/* a TCI of 0 (priority 0, VID 0) is untagged */
		ntags = l2->vlan[0] ? 1 : 0;
	}
	mh = netflow_l2_header(skb, &len);
	if (mh)
		netflow_l2_from_header(l2, mh, len, groups, ntags);
}

/* The labels a promisc frame carried between its MACs and its IP header. */
static __always_inline void netflow_mpls_capture(const struct sk_buff *skb,
						 struct netflow_mpls *m)
{
	unsigned int len;
	const u8 *mh;

	memset(m, 0, sizeof(*m));
	mh = netflow_l2_header(skb, &len);
	if (mh)
		netflow_mpls_from_header(m, mh, len);
}

#endif /* NETFLOW_L2_SKB_H */
