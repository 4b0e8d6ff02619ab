// SPDX-License-Identifier: GPL-2.0
/*
 * xt-netflow: NetFlow v5/v9/IPFIX exporter as an iptables target.
 * Module entry: wires the pieces up in data-flow order, down in reverse.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include "netflow.h"
#include "flow.h"
#include "export.h"
#include "natevents.h"

static int __init netflow_init(void)
{
	int err;

	err = netflow_params_init();
	if (err)
		return err;
	netflow_l2_update();
	err = netflow_snmp_init();
	if (err)
		return err;
	err = netflow_aggr_init();
	if (err)
		goto err_snmp;
	err = netflow_export_init();
	if (err)
		goto err_aggr;
	err = netflow_flow_init();
	if (err)
		goto err_export;
	err = netflow_natevents_init();
	if (err)
		goto err_flow;
	err = netflow_procfs_init();
	if (err)
		goto err_nat;
	err = netflow_sysctl_init();
	if (err)
		goto err_procfs;
	/* Last: packets arrive only once everything behind them is ready. */
	err = netflow_target_init();
	if (err)
		goto err_sysctl;
	/* after the target: observed frames are metered by its rules */
	err = netflow_promisc_init();
	if (err)
		goto err_target;
	pr_info("version %s loaded, destination %s, protocol %u\n",
		NETFLOW_VERSION, netflow_cfg.destination, netflow_cfg.protocol);
	return 0;

err_target:
	netflow_target_exit();
err_sysctl:
	netflow_sysctl_exit();
err_procfs:
	netflow_procfs_exit();
err_nat:
	netflow_natevents_exit();
err_flow:
	netflow_flow_stop();
	netflow_flow_exit();
err_export:
	netflow_export_exit();
err_aggr:
	netflow_aggr_exit();
err_snmp:
	netflow_snmp_exit();
	return err;
}

static void __exit netflow_exit(void)
{
	netflow_promisc_exit();
	netflow_target_exit();
	netflow_sysctl_exit();
	netflow_procfs_exit();
	netflow_natevents_exit();
	/* every flow still in the tables goes to the collectors */
	netflow_flow_stop();
	netflow_export_exit();
	netflow_flow_exit();
	netflow_aggr_exit();
	netflow_snmp_exit();
	pr_info("unloaded\n");
}

module_init(netflow_init);
module_exit(netflow_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("xt-netflow developers");
MODULE_DESCRIPTION("NetFlow v5, v9 and IPFIX exporter (iptables target NETFLOW)");
MODULE_VERSION(NETFLOW_VERSION);
MODULE_ALIAS("ipt_NETFLOW");
MODULE_ALIAS("ip6t_NETFLOW");
MODULE_ALIAS("xt_NETFLOW");
