// SPDX-License-Identifier: GPL-2.0
/*
 * snmp-rules in the module: the active rule set, swapped under RCU by the
 * parameter and the sysctl, read once per new flow (never per packet).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/netdevice.h>
#include <linux/seq_file.h>
#include "netflow.h"
#include "snmprules.h"

/* NULL while there are no rules: new flows then skip the lookup. */
static struct netflow_snmp_rules __rcu *snmp_active;

static char *snmp_rules = "";
/* the kernel reads "snmp-rules=" as snmp_rules= too */
module_param(snmp_rules, charp, 0444);
MODULE_PARM_DESC(snmp_rules,
		 "exported ifIndex by device name: prefix:base,... (ppp:200 sends ppp11 as 211; default none)");

int netflow_snmp_set(const char *text, const char *origin)
{
	struct netflow_snmp_rules *rs, *old;
	char err[96];

	rs = kmalloc(sizeof(*rs), GFP_KERNEL);
	if (!rs)
		return -ENOMEM;
	if (netflow_snmp_rules_parse(text, rs, err, sizeof(err))) {
		pr_err_ratelimited("%s: refused %s (rules kept)\n", origin,
				   err);
		kfree(rs);
		return -EINVAL;
	}
	netflow_snmp_rules_format(rs, netflow_cfg.snmp_rules,
				  sizeof(netflow_cfg.snmp_rules));
	if (!rs->n) {
		kfree(rs);
		rs = NULL;
	}
	/* writers: the load (alone) and sysctl writes (netflow_cfg_mutex) */
	old = rcu_replace_pointer(snmp_active, rs, true);
	if (old) {
		synchronize_rcu();
		kfree(old);
	}
	return 0;
}

int netflow_snmp_init(void)
{
	return netflow_snmp_set(snmp_rules, "snmp_rules");
}

void netflow_snmp_exit(void)
{
	kfree(rcu_dereference_protected(snmp_active, true));
	RCU_INIT_POINTER(snmp_active, NULL);
}

bool netflow_snmp_enabled(void)
{
	return rcu_access_pointer(snmp_active);
}

/* Both ends of a new flow; under BH off, so in an RCU read section. */
u8 netflow_snmp_map_devs(const struct net_device *in,
			 const struct net_device *out, u16 *snmp_in,
			 u16 *snmp_out)
{
	const struct netflow_snmp_rules *rs;
	u8 mapped = 0;

	rcu_read_lock();
	rs = rcu_dereference(snmp_active);
	if (rs) {
		if (in && netflow_snmp_map(rs, in->name, snmp_in))
			mapped |= NETFLOW_SNMP_IN;
		if (out && netflow_snmp_map(rs, out->name, snmp_out))
			mapped |= NETFLOW_SNMP_OUT;
	}
	rcu_read_unlock();
	return mapped;
}

u32 netflow_snmp_ifindex(const char *name, u32 ifindex)
{
	const struct netflow_snmp_rules *rs;
	u16 v;

	rcu_read_lock();
	rs = rcu_dereference(snmp_active);
	if (rs && netflow_snmp_map(rs, name, &v))
		ifindex = v;
	rcu_read_unlock();
	return ifindex;
}

void netflow_snmp_show_rules(struct seq_file *m)
{
	const struct netflow_snmp_rules *rs;
	unsigned int i;

	rcu_read_lock();
	rs = rcu_dereference(snmp_active);
	for (i = 0; rs && i < rs->n; i++)
		seq_printf(m, "SNMP-rule#%u: prefix '%s' map to %u\n", i,
			   rs->rule[i].prefix, rs->rule[i].base);
	rcu_read_unlock();
}
