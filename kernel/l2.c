// SPDX-License-Identifier: GPL-2.0
/*
 * mac and vlan: read a packet's link layer for its flow key. Off (both
 * 0), a patched-out jump on the packet path; on, a few loads from the
 * skb and its Ethernet header per packet.
 */
#include <linux/skbuff.h>
#include <linux/netdevice.h>
#include "compat.h"
#include "netflow.h"

DEFINE_STATIC_KEY_FALSE(netflow_l2_on);

/*
 * The tags first: one the NIC or a vlan-filtering bridge keeps beside the
 * packet (the whole TCI), else the VLAN device the packet came in on or
 * goes out of (its VID: the device stripped the tag); then the in-band
 * tags. The MACs are those of the frame as received, also at FORWARD and
 * POSTROUTING; a local packet has none.
 */
void netflow_l2_capture(const struct sk_buff *skb, struct netflow_l2 *l2)
{
	unsigned int groups = READ_ONCE(netflow_cfg.l2);
	unsigned int ntags = 0;
	const u8 *mh;

	memset(l2, 0, sizeof(*l2));
	if (groups & NETFLOW_L2_VLAN) {
		l2->vlan[0] = skb_vlan_tag_present(skb) ?
			      skb_vlan_tag_get(skb) :
			      netflow_vlan_dev_vid(skb->dev);
		/* a TCI of 0 (priority 0, VID 0) is untagged */
		ntags = l2->vlan[0] ? 1 : 0;
	}
	if (!skb_mac_header_was_set(skb))
		return;
	mh = skb_mac_header(skb);
	/* the header must lie wholly in the head, before the L3 header */
	if (mh < skb->head || skb_network_header(skb) < mh)
		return;
	netflow_l2_from_header(l2, mh, skb_network_header(skb) - mh, groups,
			       ntags);
}

/* After netflow_cfg.l2 changed (process context, cfg mutex held). */
void netflow_l2_update(void)
{
	if (READ_ONCE(netflow_cfg.l2))
		static_branch_enable(&netflow_l2_on);
	else
		static_branch_disable(&netflow_l2_on);
}
