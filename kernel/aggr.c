// SPDX-License-Identifier: GPL-2.0
/*
 * aggregation in the module: the active rule set and its per-CPU usage
 * counters, swapped under RCU by the parameter and the sysctl. A static
 * key keeps the packet path free of it while there are no rules.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/jump_label.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/seq_file.h>
#include "netflow.h"
#include "aggrrules.h"

#define AGGR_COUNTERS	(NETFLOW_AGGR_NET_MAX + NETFLOW_AGGR_PORT_MAX)

struct netflow_aggr_set {
	struct netflow_aggr_rules rules;
	u64 __percpu *usage;	/* net rules, then port rules */
};

DEFINE_STATIC_KEY_FALSE(netflow_aggr_on);
/* NULL while there are no rules */
static struct netflow_aggr_set __rcu *aggr_active;

static char *aggregation = "";
module_param(aggregation, charp, 0400);
MODULE_PARM_DESC(aggregation,
		 "merge flows: A.B.C.D/M=K (cut addresses in /M to /K), P1-P2=P (ports), ... (default none)");

static void aggr_free(struct netflow_aggr_set *set)
{
	if (!set)
		return;
	free_percpu(set->usage);
	kfree(set);
}

/* Packet path, BH off in the hook (an RCU read section). */
u16 netflow_aggr_key(struct netflow_key *key)
{
	const struct netflow_aggr_set *set = rcu_dereference(aggr_active);
	struct netflow_aggr_hit hit;
	u64 *use;
	u16 masks;

	if (unlikely(!set))
		return 0;
	masks = netflow_aggr_apply(&set->rules, key, &hit);
	use = this_cpu_ptr(set->usage);
	if (hit.net_src >= 0)
		use[hit.net_src]++;
	if (hit.net_dst >= 0)
		use[hit.net_dst]++;
	if (hit.port_src >= 0)
		use[NETFLOW_AGGR_NET_MAX + hit.port_src]++;
	if (hit.port_dst >= 0)
		use[NETFLOW_AGGR_NET_MAX + hit.port_dst]++;
	return masks;
}

bool netflow_aggr_enabled(void)
{
	return rcu_access_pointer(aggr_active);
}

/* Writers: the load (alone) and sysctl writes (netflow_cfg_mutex). */
int netflow_aggr_set(const char *text, const char *origin)
{
	struct netflow_aggr_set *set, *old;
	char err[160];
	bool was = netflow_aggr_enabled();

	set = kzalloc(sizeof(*set), GFP_KERNEL);
	if (!set)
		return -ENOMEM;
	if (netflow_aggr_parse(text, &set->rules, err, sizeof(err))) {
		pr_err_ratelimited("%s: refused %s (rules kept)\n", origin,
				   err);
		kfree(set);
		return -EINVAL;
	}
	if (!set->rules.n_net && !set->rules.n_port) {
		kfree(set);
		set = NULL;
	} else {
		set->usage = __alloc_percpu(sizeof(u64) * AGGR_COUNTERS,
					    sizeof(u64));
		if (!set->usage) {
			kfree(set);
			return -ENOMEM;
		}
	}
	if (set)
		netflow_aggr_format(&set->rules, netflow_cfg.aggregation,
				    sizeof(netflow_cfg.aggregation));
	else
		netflow_cfg.aggregation[0] = '\0';
	old = rcu_replace_pointer(aggr_active, set, true);
	if (set && !was)
		static_branch_enable(&netflow_aggr_on);
	if (old) {
		synchronize_rcu();
		aggr_free(old);
	}
	if (!set && was)
		static_branch_disable(&netflow_aggr_on);
	WRITE_ONCE(netflow_cfg.aggr, !!set);
	return 0;
}

int netflow_aggr_init(void)
{
	return netflow_aggr_set(aggregation, "aggregation");
}

void netflow_aggr_exit(void)
{
	if (netflow_aggr_enabled())
		static_branch_disable(&netflow_aggr_on);
	aggr_free(rcu_dereference_protected(aggr_active, true));
	RCU_INIT_POINTER(aggr_active, NULL);
}

static u64 aggr_usage(const struct netflow_aggr_set *set, unsigned int i)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(set->usage, cpu)[i]);
	return sum;
}

/* ipt_NETFLOW's lines; net and port rules are numbered apart */
void netflow_aggr_show_rules(struct seq_file *m)
{
	const struct netflow_aggr_set *set;
	unsigned int i;

	rcu_read_lock();
	set = rcu_dereference(aggr_active);
	for (i = 0; set && i < set->rules.n_net; i++) {
		const struct netflow_aggr_net *r = &set->rules.net[i];

		seq_printf(m, "aggr#%u net: match %pI4/%u strip %u (usage %llu)\n",
			   i, &r->net, r->match_len, r->strip_len,
			   aggr_usage(set, i));
	}
	for (i = 0; set && i < set->rules.n_port; i++) {
		const struct netflow_aggr_port *r = &set->rules.port[i];

		seq_printf(m, "aggr#%u port: ports %u-%u replace %u (usage %llu)\n",
			   i, r->lo, r->hi, r->to,
			   aggr_usage(set, NETFLOW_AGGR_NET_MAX + i));
	}
	rcu_read_unlock();
}
