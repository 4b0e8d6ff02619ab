// SPDX-License-Identifier: GPL-2.0
/*
 * mac, vlan and promisc's MPLS labels: the switches. Off (all 0), a
 * patched-out jump on the packet path; on, l2_skb.h reads the link layer.
 */
#include <linux/jump_label.h>
#include "netflow.h"

DEFINE_STATIC_KEY_FALSE(netflow_l2_on);
DEFINE_STATIC_KEY_FALSE(netflow_mpls_on);

/* After netflow_cfg.l2 changed (process context, cfg mutex held). */
void netflow_l2_update(void)
{
	unsigned int groups = READ_ONCE(netflow_cfg.l2);

	/* mpls first on and last off: its key words are read only then */
	if (groups & NETFLOW_L2_MPLS)
		static_branch_enable(&netflow_mpls_on);
	if (groups)
		static_branch_enable(&netflow_l2_on);
	else
		static_branch_disable(&netflow_l2_on);
	if (!(groups & NETFLOW_L2_MPLS))
		static_branch_disable(&netflow_mpls_on);
}
