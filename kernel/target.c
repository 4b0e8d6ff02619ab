// SPDX-License-Identifier: GPL-2.0
/*
 * The NETFLOW iptables target: hands each packet to the flow engine and
 * lets it continue. Registered for IPv4 and IPv6, refused in the nat table.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/skbuff.h>
#include <linux/netfilter.h>
#include <linux/netfilter/x_tables.h>
#include <net/net_namespace.h>
#include "netflow.h"
#include "xt_NETFLOW.h"
#include "flow.h"
#include "export.h"

static unsigned int netflow_tg(struct sk_buff *skb,
			       const struct xt_action_param *par)
{
	/*
	 * The per-CPU table and statistics need BH off on this CPU. Packets
	 * arrive in softirq or under iptables-legacy's local_bh_disable():
	 * skip the disable/enable pair (an out-of-line call) then; nft_compat
	 * in process context (OUTPUT) may run with BH on. softirq_count()
	 * is what the deprecated in_softirq() expands to.
	 */
	if (likely(softirq_count())) {
		netflow_flow_account(skb, xt_family(par), xt_hooknum(par),
				     xt_in(par), xt_out(par));
	} else {
		local_bh_disable();
		netflow_flow_account(skb, xt_family(par), xt_hooknum(par),
				     xt_in(par), xt_out(par));
		local_bh_enable();
	}
	return XT_CONTINUE;
}

static int netflow_tg_check(const struct xt_tgchk_param *par)
{
	/*
	 * A container's (or an unprivileged user namespace's) rule would
	 * feed the host's collector with unlabelled records, and its flows
	 * would evict the host's: refused unless the host allows it.
	 */
	if (!net_eq(par->net, &init_net) && !READ_ONCE(netflow_cfg.netns)) {
		pr_info_ratelimited("NETFLOW refused in a network namespace other than the host's (net.netflow.netns=0)\n");
		return -EPERM;
	}
	if (strcmp(par->table, "nat") == 0) {
		pr_info_ratelimited("NETFLOW is not allowed in the nat table: use raw, mangle or filter\n");
		return -EINVAL;
	}
	if (par->family == NFPROTO_IPV6 &&
	    READ_ONCE(netflow_cfg.protocol) == 5 &&
	    !netflow_export_can_ipv6()) {
		pr_info_ratelimited("NETFLOW in ip6tables needs protocol 9 or 10 (NetFlow v5 has no IPv6): sysctl net.netflow.protocol=10\n");
		return -EINVAL;
	}
	return 0;
}

#define NETFLOW_HOOKS ((1 << NF_INET_PRE_ROUTING) | (1 << NF_INET_LOCAL_IN) | \
		       (1 << NF_INET_FORWARD) | (1 << NF_INET_LOCAL_OUT) | \
		       (1 << NF_INET_POST_ROUTING))

static struct xt_target netflow_tg_reg[] __read_mostly = {
	{
		.name		= NETFLOW_TARGET_NAME,
		.revision	= NETFLOW_TARGET_REV,
		.targetsize	= NETFLOW_TARGET_SIZE,
		.family		= NFPROTO_IPV4,
		.target		= netflow_tg,
		.checkentry	= netflow_tg_check,
		.hooks		= NETFLOW_HOOKS,
		.me		= THIS_MODULE,
	},
	{
		.name		= NETFLOW_TARGET_NAME,
		.revision	= NETFLOW_TARGET_REV,
		.targetsize	= NETFLOW_TARGET_SIZE,
		.family		= NFPROTO_IPV6,
		.target		= netflow_tg,
		.checkentry	= netflow_tg_check,
		.hooks		= NETFLOW_HOOKS,
		.me		= THIS_MODULE,
	},
};

int netflow_target_init(void)
{
	return xt_register_targets(netflow_tg_reg, ARRAY_SIZE(netflow_tg_reg));
}

void netflow_target_exit(void)
{
	xt_unregister_targets(netflow_tg_reg, ARRAY_SIZE(netflow_tg_reg));
}
