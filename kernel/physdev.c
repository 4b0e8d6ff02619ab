// SPDX-License-Identifier: GPL-2.0
/*
 * physdev: on a bridge with br_netfilter, iptables sees the bridge as the
 * in/out device; the port (a VM's tap or vif, a veth) is what names the
 * tenant. Read once per new flow while physdev is on, never per packet.
 */
#include <linux/skbuff.h>
#include <linux/netdevice.h>
#include "compat.h"
#include "netflow.h"

static u32 physdev_index(const struct net_device *dev)
{
	/* snmp-rules translate ports as they do 10/14 */
	return dev ? netflow_snmp_ifindex(dev->name, dev->ifindex) : 0;
}

/*
 * The bridge ports of a bridged packet, else the in/out devices (what
 * ipt_NETFLOW sends); a port that is gone leaves the bridge's value.
 * Under BH off in the netfilter hook: an RCU read section.
 */
void netflow_physdev_ports(const struct sk_buff *skb,
			   const struct net_device *in,
			   const struct net_device *out, u32 *phys_in,
			   u32 *phys_out)
{
	const struct net_device *pin = NULL, *pout = NULL;
	const struct net_device *dev = in ?: out ?: skb->dev;

	if (dev && netflow_bridge_ports(skb, dev_net(dev), &pin, &pout)) {
		in = pin ?: in;
		out = pout ?: out;
	}
	*phys_in = physdev_index(in);
	*phys_out = physdev_index(out);
}
