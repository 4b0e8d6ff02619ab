// SPDX-License-Identifier: GPL-2.0
/* /proc/net/stat/ipt_netflow*: status for people and for exporters. */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>
#include "netflow.h"
#include "compat.h"

static int netflow_status_show(struct seq_file *m, void *v)
{
	struct netflow_cpu_stats sum;
	int cpu;

	netflow_stats_sum(&sum);
	seq_printf(m, "ipt_NETFLOW (xt-netflow) version %s\n", NETFLOW_VERSION);
	seq_printf(m, "Protocol version %u, destination %s\n",
		   netflow_cfg.protocol, netflow_cfg.destination);
	seq_printf(m, "Timeouts: active %us, inactive %us. Maxflows %u\n",
		   netflow_cfg.active_timeout, netflow_cfg.inactive_timeout,
		   netflow_cfg.maxflows);
	seq_printf(m, "Total traffic: %llu pkt, %llu bytes\n", sum.pkts,
		   sum.bytes);
	for_each_possible_cpu(cpu) {
		const struct netflow_cpu_stats *st =
			per_cpu_ptr(&netflow_stats, cpu);

		seq_printf(m, "cpu%d traffic: %llu pkt, %llu bytes\n", cpu,
			   READ_ONCE(st->pkts), READ_ONCE(st->bytes));
	}
	return 0;
}

static int netflow_snmp_show(struct seq_file *m, void *v)
{
	struct netflow_cpu_stats sum;

	netflow_stats_sum(&sum);
	seq_printf(m, "inPackets %llu\n", sum.pkts);
	seq_printf(m, "inBytes %llu\n", sum.bytes);
	return 0;
}

int netflow_procfs_init(void)
{
	if (!proc_create_single("ipt_netflow_snmp", 0444,
				init_net.proc_net_stat, netflow_snmp_show))
		return -ENOMEM;
	if (!proc_create_single("ipt_netflow", 0444, init_net.proc_net_stat,
				netflow_status_show))
		return -ENOMEM;
	return 0;
}

void netflow_procfs_exit(void)
{
	remove_proc_entry("ipt_netflow", init_net.proc_net_stat);
	remove_proc_entry("ipt_netflow_snmp", init_net.proc_net_stat);
}
