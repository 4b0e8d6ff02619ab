// SPDX-License-Identifier: GPL-2.0
/*
 * promisc: frames a mirror port receives for other hosts (PACKET_OTHERHOST)
 * go through the IPv4 or IPv6 PRE_ROUTING hook, so a `-t raw -A PREROUTING
 * -i eth2 -j NETFLOW` rule meters them, and are then dropped: never routed,
 * delivered or tracked. MPLS label stacks and in-band VLAN tags in front of
 * the IP header are skipped; they stay before the network header, where the
 * link-layer capture reads them (the top 3 label entries join the key).
 *
 * Unlike ipt_NETFLOW, which injects such frames from every interface, only
 * a device in the host's namespace that the operator put in promiscuous
 * mode (`ip link set DEV promisc on`) and that no bridge, bond or macvlan
 * owns is a source: a bridge port sees every frame for its VMs as another
 * host's, and those are already metered where the bridge forwards them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ipv6.h>
#include "compat.h"
#include "netflow.h"
#include "export.h"
#include "flow.h"

/* deeper label stacks and tag piles are discarded as malformed */
#define PROMISC_MPLS_MAX	8
#define PROMISC_TAGS_MAX	4
#define MPLS_LS_S		0x100	/* bottom of stack, in the entry's byte 2 */

static bool promisc_enabled;

static bool promisc_source(const struct net_device *dev)
{
	return net_eq(dev_net(dev), &init_net) &&
	       (dev->gflags & IFF_PROMISC) &&
	       !rcu_access_pointer(dev->rx_handler);
}

/* Past in-band tags and an MPLS stack: the IP version's ethertype, or 0. */
static __be16 promisc_skip_to_ip(struct sk_buff *skb)
{
	__be16 proto = skb->protocol;
	int i;

	for (i = 0; eth_type_vlan(proto); i++) {
		if (i == PROMISC_TAGS_MAX || !pskb_may_pull(skb, VLAN_HLEN))
			return 0;
		proto = ((struct vlan_hdr *)skb->data)->h_vlan_encapsulated_proto;
		skb_pull(skb, VLAN_HLEN);
	}
	if (proto == htons(ETH_P_MPLS_UC) || proto == htons(ETH_P_MPLS_MC)) {
		for (i = 0; ; i++) {
			u32 entry;

			if (i == PROMISC_MPLS_MAX || !pskb_may_pull(skb, 4))
				return 0;
			entry = get_unaligned_be32(skb->data);
			skb_pull(skb, 4);
			if (entry & MPLS_LS_S)
				break;
		}
		/* no ethertype below the stack: the IP version says */
		if (!pskb_may_pull(skb, 1))
			return 0;
		switch (skb->data[0] >> 4) {
		case 4:
			return htons(ETH_P_IP);
		case 6:
			return htons(ETH_P_IPV6);
		}
		return 0;
	}
	return proto;
}

/* The receive path's checks (ip_rcv_core): only sane headers are metered. */
static bool promisc_ipv4_ok(struct sk_buff *skb)
{
	const struct iphdr *iph;
	unsigned int len;

	if (!pskb_may_pull(skb, sizeof(*iph)))
		return false;
	iph = (const struct iphdr *)skb->data;
	if (iph->version != 4 || iph->ihl < 5 ||
	    !pskb_may_pull(skb, iph->ihl * 4))
		return false;
	iph = (const struct iphdr *)skb->data;
	if (ip_fast_csum((const u8 *)iph, iph->ihl))
		return false;
	len = ntohs(iph->tot_len);
	if (len > skb->len || len < iph->ihl * 4)
		return false;
	return !pskb_trim_rcsum(skb, len);
}

/* ipv6_rcv_core's: no jumbograms, no multicast source, no loopback. */
static bool promisc_ipv6_ok(struct sk_buff *skb)
{
	const struct ipv6hdr *ip6h;
	unsigned int len;

	if (!pskb_may_pull(skb, sizeof(*ip6h)))
		return false;
	ip6h = (const struct ipv6hdr *)skb->data;
	if (ip6h->version != 6 || ipv6_addr_is_multicast(&ip6h->saddr) ||
	    ipv6_addr_loopback(&ip6h->daddr) || ipv6_addr_loopback(&ip6h->saddr))
		return false;
	len = ntohs(ip6h->payload_len);
	if (!len || len + sizeof(*ip6h) > skb->len)
		return false;
	return !pskb_trim_rcsum(skb, len + sizeof(*ip6h));
}

/* The end of PRE_ROUTING for an observed frame: metered, now dropped. */
static int promisc_done(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	consume_skb(skb);
	return 0;
}

static int promisc_rcv(struct sk_buff *skb, struct net_device *dev,
		       struct packet_type *pt, struct net_device *orig_dev)
{
	u8 pf;

	if (skb->pkt_type != PACKET_OTHERHOST || !promisc_source(dev)) {
		consume_skb(skb);
		return NET_RX_SUCCESS;
	}
	this_cpu_inc(netflow_stats.promisc_seen);
	/* a tap shares the skb with the stack: pull on our own clone */
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb)
		goto discarded;
	skb->protocol = promisc_skip_to_ip(skb);
	if (skb->protocol == htons(ETH_P_IP) && promisc_ipv4_ok(skb))
		pf = NFPROTO_IPV4;
	else if (skb->protocol == htons(ETH_P_IPV6) && promisc_ipv6_ok(skb))
		pf = NFPROTO_IPV6;
	else
		goto drop;
	skb_reset_network_header(skb);
	netflow_skb_untrack(skb);
	NF_HOOK(pf, NF_INET_PRE_ROUTING, dev_net(dev), NULL, skb, dev, NULL,
		promisc_done);
	return NET_RX_SUCCESS;

drop:
	kfree_skb(skb);
discarded:
	this_cpu_inc(netflow_stats.promisc_drop);
	return NET_RX_DROP;
}

static struct packet_type promisc_tap = {
	.type = htons(ETH_P_ALL),
	.func = promisc_rcv,
};

static void promisc_tap_set(bool on)
{
	if (on == promisc_enabled)
		return;
	if (on)
		dev_add_pack(&promisc_tap);
	else
		dev_remove_pack(&promisc_tap);	/* waits for running taps */
	promisc_enabled = on;
	WRITE_ONCE(netflow_cfg.promisc, on);
	pr_info("promisc hack is %s\n", on ? "enabled" : "disabled");
}

/*
 * Caller holds netflow_cfg_mutex. The MPLS fields (200, 70-72) are in
 * the flow templates while promisc is on: in place before the first
 * frame, taken out after the last.
 */
int netflow_promisc_set(bool on)
{
	unsigned int groups = READ_ONCE(netflow_cfg.l2);
	unsigned int want = on ? groups | NETFLOW_L2_MPLS :
				 groups & ~NETFLOW_L2_MPLS;

	if (!on)
		promisc_tap_set(false);
	if (want != groups) {
		/* the table leaves under the old templates first */
		netflow_flow_flush(NETFLOW_END_FORCED);
		netflow_export_set_l2(want);
	}
	promisc_tap_set(on);
	return 0;
}

/* netflow_params_init() already put the MPLS group in netflow_cfg.l2 */
int netflow_promisc_init(void)
{
	mutex_lock(&netflow_cfg_mutex);
	promisc_tap_set(netflow_cfg.promisc);
	mutex_unlock(&netflow_cfg_mutex);
	return 0;
}

/* Before the target goes: the exporter's final flush keeps the layout. */
void netflow_promisc_exit(void)
{
	mutex_lock(&netflow_cfg_mutex);
	promisc_tap_set(false);
	mutex_unlock(&netflow_cfg_mutex);
}
