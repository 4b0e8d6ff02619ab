/* SPDX-License-Identifier: GPL-2.0 */
/* The flow engine: per-CPU flow tables fed by the target. */
#ifndef NETFLOW_FLOW_H
#define NETFLOW_FLOW_H

#include <linux/skbuff.h>
#include <linux/netdevice.h>

/* Account one packet; called with BH disabled. */
void netflow_flow_account(struct sk_buff *skb, u8 family, unsigned int hook,
			  const struct net_device *in,
			  const struct net_device *out);

int netflow_flow_init(void);
void netflow_flow_exit(void);

#endif /* NETFLOW_FLOW_H */
