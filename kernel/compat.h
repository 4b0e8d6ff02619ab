/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place that knows kernel versions. Core code uses the newest API;
 * this file supplies it on older kernels. NETFLOW_HAVE_* come from header
 * probes in kernel/Kbuild (distribution kernels backport API).
 */
#ifndef NETFLOW_COMPAT_H
#define NETFLOW_COMPAT_H

#include <linux/version.h>
#include <linux/timer.h>
#include <linux/proc_fs.h>
#include <linux/workqueue.h>
#include <linux/local_lock.h>

/* <asm/unaligned.h> moved to <linux/unaligned.h> in 6.12 */
#ifdef NETFLOW_HAVE_LINUX_UNALIGNED
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * 6.17 made per-CPU workqueues explicit (WQ_PERCPU; unbound becomes the
 * default later): the expiry workers must stay on their CPU. Debian's
 * 6.12.117 has it backported.
 */
#ifndef NETFLOW_HAVE_WQ_PERCPU
#define WQ_PERCPU 0
#endif

/* 6.17: system_wq is deprecated for the same queue named system_percpu_wq */
#ifndef NETFLOW_HAVE_SYSTEM_PERCPU_WQ
#define system_percpu_wq system_wq
#endif

/*
 * 6.19: kernel_connect()/kernel_bind() take struct sockaddr_unsized *
 * (defined in linux/socket.h with them); before, struct sockaddr *.
 */
#ifndef NETFLOW_HAVE_SOCKADDR_UNSIZED
#define sockaddr_unsized sockaddr
#endif

/*
 * 6.11: local_lock_nested_bh() guards per-CPU data used with BH off; on
 * PREEMPT_RT BH-off may stop excluding other tasks on the CPU (the softirq
 * lock is optional from 6.18). Older kernels always take that lock, so
 * BH-off is enough there: no-ops.
 */
#ifndef NETFLOW_HAVE_LOCAL_LOCK_NESTED_BH
#define local_lock_nested_bh(lock) ((void)(lock))
#define local_unlock_nested_bh(lock) ((void)(lock))
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 17, 0)
#define pde_data(inode) PDE_DATA(inode)
#endif

/* from_timer() was renamed timer_container_of() in 6.16 */
#ifndef timer_container_of
#define timer_container_of(var, timer, field) from_timer(var, timer, field)
#endif

/* del_timer_sync() became timer_delete_sync() in 6.2 (and left in 6.15) */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
#define timer_delete_sync(t) del_timer_sync(t)
#endif

/* sysctl handlers take a const table since 6.11 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define NETFLOW_CTL_CONST const
#else
#define NETFLOW_CTL_CONST
#endif

/* sysctl tables lost their empty terminating entry in 6.6 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 6, 0)
#define NETFLOW_CTL_END { }
#else
#define NETFLOW_CTL_END
#endif

/*
 * The conntrack timestamp extension without a symbol of nf_conntrack, so
 * the module loads without it. 6.1's extensions carry a generation: one
 * left from an unloaded extension type (gen_id set) counts as absent.
 */
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_extend.h>
#include <net/netfilter/nf_conntrack_timestamp.h>

static inline const struct nf_conn_tstamp *
netflow_ct_tstamp(const struct nf_conn *ct)
{
	const struct nf_ct_ext *ext = ct->ext;

	if (!IS_ENABLED(CONFIG_NF_CONNTRACK_TIMESTAMP) || !ext ||
	    !__nf_ct_ext_exist(ext, NF_CT_EXT_TSTAMP))
		return NULL;
#ifdef NETFLOW_HAVE_CT_EXT_GENID
	if (ext->gen_id)
		return NULL;
#endif
	return (const void *)ext + ext->offset[NF_CT_EXT_TSTAMP];
}

/*
 * Bridge ports of a packet br_netfilter passes to iptables; Debian builds
 * br_netfilter as a module (CONFIG_BRIDGE_NETFILTER=m). Under RCU.
 */
#include <linux/netfilter_bridge.h>
static inline bool netflow_bridge_ports(const struct sk_buff *skb,
					struct net *net,
					const struct net_device **in,
					const struct net_device **out)
{
#if IS_ENABLED(CONFIG_BRIDGE_NETFILTER)
	if (!nf_bridge_info_exists(skb))
		return false;
	*in = nf_bridge_get_physindev(skb, net);
	*out = nf_bridge_get_physoutdev(skb);
	return true;
#else
	return false;
#endif
}

/*
 * The VID of a VLAN device that strips its tag on receive (reorder_hdr,
 * the default), 0 for any other device; 0 without 802.1Q support.
 */
#include <linux/if_vlan.h>
static inline u16 netflow_vlan_dev_vid(const struct net_device *dev)
{
#if IS_ENABLED(CONFIG_VLAN_8021Q)
	if (dev && is_vlan_dev(dev) &&
	    (vlan_dev_priv(dev)->flags & VLAN_FLAG_REORDER_HDR))
		return vlan_dev_vlan_id(dev);
#endif
	return 0;
}

/*
 * Mark a packet untracked before it enters PRE_ROUTING, so conntrack and
 * NAT pass it by (promisc frames are another host's traffic).
 */
static inline void netflow_skb_untrack(struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
	nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
#endif
}

#endif /* NETFLOW_COMPAT_H */
