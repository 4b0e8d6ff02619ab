/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel-side files share: the one configuration struct, per-CPU
 * statistics and each file's entry points, in data-flow order.
 */
#ifndef NETFLOW_H
#define NETFLOW_H

#include <linux/types.h>
#include <linux/percpu.h>
#include <linux/mutex.h>
#include <linux/jump_label.h>
#include "destparse.h"
#include "snmprules.h"
#include "aggrrules.h"
#include "sampler.h"
#include "l2.h"

#define NETFLOW_VERSION		"0.3.0"
#define NETFLOW_DEST_TEXT_MAX	1024
#define NETFLOW_DEBUG_MAX	10

/* The configuration, set by module parameters and changed by sysctl. */
struct netflow_config {
	unsigned int active_timeout;	/* s */
	unsigned int inactive_timeout;	/* s */
	unsigned int maxflows;		/* 0 = unlimited */
	unsigned int hashsize;		/* buckets per CPU table */
	unsigned int sndbuf;		/* 0 = system default */
	unsigned int protocol;		/* 5, 9, 10 */
	unsigned int refresh_rate;	/* templates every N PDUs */
	unsigned int timeout_rate;	/* templates every N minutes */
	unsigned int engine_id;
	unsigned int debug;
	unsigned int scan_min;		/* jiffies */
	unsigned int netns;		/* 0: NETFLOW only in init_net */
	unsigned int natevents;		/* 1: NAT events exported */
	unsigned int physdev;		/* 1: bridge ports (252/253) exported */
	unsigned int mac;		/* 1: MACs in the key, 80/56 exported */
	unsigned int vlan;		/* 1: VLAN tags in the key, exported */
	unsigned int l2;		/* NETFLOW_L2_MAC | NETFLOW_L2_VLAN */
	unsigned int promisc;		/* 1: other hosts' frames metered */
	bool aggr;			/* aggregation rules are set */
	char aggregation[NETFLOW_AGGR_CANON_MAX];	/* canonical text */
	char destination[NETFLOW_DEST_TEXT_MAX];
	char snmp_rules[NETFLOW_SNMP_TEXT_MAX];	/* canonical text */
	/* changed under the exporter's lock (netflow_export_set_sampler) */
	struct netflow_sampler sampler;
	char sampler_text[NETFLOW_SAMPLER_TEXT_MAX];	/* canonical text */
};

extern struct netflow_config netflow_cfg;
/* Serialises configuration changes (sysctl writes, protocol switches). */
extern struct mutex netflow_cfg_mutex;

/*
 * Per-CPU statistics: written only by their own CPU with BH disabled, so
 * no atomics; readers sum them and tolerate a torn snapshot (64-bit only).
 */
struct netflow_cpu_stats {
	u64 pkts;		/* packets handed to the target */
	u64 bytes;		/* their L3 bytes */
	u64 found;		/* lookups that hit a flow */
	u64 created;		/* flows created */
	u64 trunc;		/* headers truncated or malformed */
	u64 frag;		/* non-first fragments */
	u64 alloc_fail;		/* flow allocation failed */
	u64 maxflows;		/* flows evicted because the table was full */
	u64 full;		/* new flows refused: all maxflows objects in use */
	u64 drop_pkts;		/* packets not accounted to any flow */
	u64 drop_bytes;
	u64 promisc_seen;	/* frames for other hosts from promisc devices */
	u64 promisc_drop;	/* of those: not IP, malformed or no memory */
};

DECLARE_PER_CPU(struct netflow_cpu_stats, netflow_stats);

/* Sum of every CPU's statistics. */
void netflow_stats_sum(struct netflow_cpu_stats *sum);
void netflow_stats_zero(void);

/* params.c: module parameters into netflow_cfg */
int netflow_params_init(void);
int netflow_params_parse_destination(const char *text,
				     struct netflow_dest_spec *dests,
				     const char *origin);
/* 0, or -EINVAL after one line naming @origin */
int netflow_params_parse_sampler(const char *text, struct netflow_sampler *s,
				 const char *origin);

/* aggr.c: aggregation rules, applied to a packet's key before lookup */
struct seq_file;
DECLARE_STATIC_KEY_FALSE(netflow_aggr_on);
int netflow_aggr_init(void);
void netflow_aggr_exit(void);
/* New rules from @text; -EINVAL (one line naming @origin) keeps the old. */
int netflow_aggr_set(const char *text, const char *origin);
bool netflow_aggr_enabled(void);
/* Aggregate @key (packet path); the /M prefixes matched, src << 8 | dst */
u16 netflow_aggr_key(struct netflow_key *key);
/* The "aggr#i" lines of /proc/net/stat/ipt_netflow */
void netflow_aggr_show_rules(struct seq_file *m);

/* physdev.c: the bridge ports of a packet, for IEs 252/253 */
struct sk_buff;
void netflow_physdev_ports(const struct sk_buff *skb,
			   const struct net_device *in,
			   const struct net_device *out, u32 *phys_in,
			   u32 *phys_out);

/* l2.c: MACs, VLAN tags and MPLS labels, while mac, vlan or promisc is on */
DECLARE_STATIC_KEY_FALSE(netflow_l2_on);
DECLARE_STATIC_KEY_FALSE(netflow_mpls_on);	/* promisc: label stacks */
void netflow_l2_update(void);

/* promisc.c: other hosts' frames through PRE_ROUTING, then dropped */
int netflow_promisc_init(void);
void netflow_promisc_exit(void);
int netflow_promisc_set(bool on);	/* cfg mutex held */

/* snmp.c: snmp-rules, the exported ifIndex by device name */
struct net_device;
struct seq_file;
int netflow_snmp_init(void);
void netflow_snmp_exit(void);
/* New rules from @text; -EINVAL (one line naming @origin) keeps the old. */
int netflow_snmp_set(const char *text, const char *origin);
bool netflow_snmp_enabled(void);
/* NETFLOW_SNMP_IN/OUT bits of the ends a rule maps, values in *snmp_* */
u8 netflow_snmp_map_devs(const struct net_device *in,
			 const struct net_device *out, u16 *snmp_in,
			 u16 *snmp_out);
/* The ifIndex to export for device @name (@ifindex when no rule maps). */
u32 netflow_snmp_ifindex(const char *name, u32 ifindex);
/* The "SNMP-rule#i" lines of /proc/net/stat/ipt_netflow */
void netflow_snmp_show_rules(struct seq_file *m);

/* target.c */
int netflow_target_init(void);
void netflow_target_exit(void);

/* procfs.c */
int netflow_procfs_init(void);
void netflow_procfs_exit(void);

/* sysctl.c */
int netflow_sysctl_init(void);
void netflow_sysctl_exit(void);

#endif /* NETFLOW_H */
