// SPDX-License-Identifier: GPL-2.0
/*
 * natevents: NAT translations created and deleted, from conntrack's event
 * notifier in every network namespace, queued for the export tick.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kmod.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_ecache.h>
#include <net/netfilter/nf_conntrack_expect.h>
#include "netflow.h"
#include "record.h"
#include "natevents.h"
#include "compat.h"

/* Events waiting for the export tick: bounded, the rest counted as dropped. */
#define NETFLOW_NAT_QUEUE_MAX	65536

static struct {
	spinlock_t lock;	/* list, len and the counters */
	struct list_head list;
	unsigned int len;
	u64 start, stop, dropped;
} natq = {
	.lock = __SPIN_LOCK_UNLOCKED(natq.lock),
	.list = LIST_HEAD_INIT(natq.list),
};

static bool nat_enabled;	/* under netflow_cfg_mutex */
static unsigned int nat_net_id;

/*
 * conntrack has one notifier per namespace (ctnetlink's when loaded): we
 * take its place and call the one we replaced first. Set before ours is
 * installed, constant while it is.
 */
struct netflow_nat_net {
	const struct nf_ct_event_notifier *saved;
};

static const struct nf_ct_event_notifier netflow_nat_notifier;

static void nat_addr(union netflow_addr *a, const union nf_inet_addr *u,
		     bool v6)
{
	if (v6)
		memcpy(a->ip6, u->ip6, sizeof(a->ip6));
	else
		a->ip4 = u->ip;
}

static u64 nat_event_ns(const struct nf_conn *ct, bool destroy)
{
	const struct nf_conn_tstamp *ts = netflow_ct_tstamp(ct);
	u64 ns = ts ? (destroy ? ts->stop : ts->start) : 0;

	return ns ?: ktime_get_real_ns();
}

static void nat_capture(const struct nf_conn *ct, u8 type)
{
	const struct nf_conntrack_tuple *o = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	const struct nf_conntrack_tuple *r = &ct->tuplehash[IP_CT_DIR_REPLY].tuple;
	bool v6 = nf_ct_l3num(ct) == NFPROTO_IPV6;
	struct netflow_nat_queued *q;
	u64 now_ms, ago_ms;
	unsigned long flags;

	q = kzalloc(sizeof(*q), GFP_ATOMIC);
	spin_lock_irqsave(&natq.lock, flags);
	if (!q || natq.len >= NETFLOW_NAT_QUEUE_MAX) {
		natq.dropped++;
		spin_unlock_irqrestore(&natq.lock, flags);
		kfree(q);
		return;
	}
	natq.len++;
	if (type == NETFLOW_NAT_CREATE)
		natq.start++;
	else
		natq.stop++;
	spin_unlock_irqrestore(&natq.lock, flags);

	q->ev.family = v6 ? 6 : 4;
	q->ev.protocol = o->dst.protonum;
	q->ev.event = type;
	nat_addr(&q->ev.pre_src, &o->src.u3, v6);
	nat_addr(&q->ev.pre_dst, &o->dst.u3, v6);
	/* the reply direction, swapped, is the translated original */
	nat_addr(&q->ev.post_src, &r->dst.u3, v6);
	nat_addr(&q->ev.post_dst, &r->src.u3, v6);
	q->ev.pre_sport = ntohs(o->src.u.all);
	q->ev.pre_dport = ntohs(o->dst.u.all);
	q->ev.post_sport = ntohs(r->dst.u.all);
	q->ev.post_dport = ntohs(r->src.u.all);
	q->ev.unix_ms = div_u64(nat_event_ns(ct, type == NETFLOW_NAT_DELETE),
				NSEC_PER_MSEC);
	/* the same instant on the uptime clock v5 records use */
	now_ms = ktime_get_real_ns();
	now_ms = div_u64(now_ms, NSEC_PER_MSEC);
	ago_ms = now_ms > q->ev.unix_ms ? now_ms - q->ev.unix_ms : 0;
	q->ev.uptime_ms = jiffies64_to_msecs(get_jiffies_64() - INITIAL_JIFFIES);
	q->ev.uptime_ms -= min(ago_ms, q->ev.uptime_ms);

	spin_lock_irqsave(&natq.lock, flags);
	list_add_tail(&q->list, &natq.list);
	spin_unlock_irqrestore(&natq.lock, flags);
}

static int netflow_nat_ct_event(unsigned int events,
				const struct nf_ct_event *item)
{
	const struct nf_conn *ct = item->ct;
	struct netflow_nat_net *nn = net_generic(nf_ct_net(ct), nat_net_id);
	const struct nf_ct_event_notifier *saved = READ_ONCE(nn->saved);
	int ret = saved ? saved->ct_event(events, item) : 0;

	if (!(ct->status & IPS_NAT_MASK))
		return ret;
	if (nf_ct_l3num(ct) != NFPROTO_IPV4 && nf_ct_l3num(ct) != NFPROTO_IPV6)
		return ret;
	/*
	 * A destroy the chained notifier refused is delivered again until it
	 * takes it: count it once, when it does. Destroy wins over new.
	 */
	if (events & BIT(IPCT_DESTROY)) {
		if (ret >= 0)
			nat_capture(ct, NETFLOW_NAT_DELETE);
	} else if (events & (BIT(IPCT_NEW) | BIT(IPCT_RELATED))) {
		nat_capture(ct, NETFLOW_NAT_CREATE);
	}
	return ret;
}

/* Expectations are not NAT events, but the chained notifier wants them. */
static int netflow_nat_exp_event(unsigned int events,
				 const struct nf_exp_event *item)
{
	struct net *net = nf_ct_exp_net(item->exp);
	struct netflow_nat_net *nn = net_generic(net, nat_net_id);
	const struct nf_ct_event_notifier *saved = READ_ONCE(nn->saved);

	return saved && saved->exp_event ? saved->exp_event(events, item) : 0;
}

static const struct nf_ct_event_notifier netflow_nat_notifier = {
	.ct_event = netflow_nat_ct_event,
	.exp_event = netflow_nat_exp_event,
};

/*
 * Pernet init and pre_exit run under pernet_ops_rwsem, as do ctnetlink's
 * (its register/unregister of the notifier happen only there), so the
 * pointer cannot change between our read and our write. ctnetlink, loaded
 * first, initialises a new namespace before us and leaves it after us.
 */
static int __net_init netflow_nat_net_init(struct net *net)
{
	struct netflow_nat_net *nn = net_generic(net, nat_net_id);

	nn->saved = rcu_dereference_protected(net->ct.nf_conntrack_event_cb, 1);
	rcu_assign_pointer(net->ct.nf_conntrack_event_cb, &netflow_nat_notifier);
	return 0;
}

/* Put back exactly what was there; unregistering waits for RCU readers. */
static void __net_exit netflow_nat_net_pre_exit(struct net *net)
{
	struct netflow_nat_net *nn = net_generic(net, nat_net_id);

	if (rcu_access_pointer(net->ct.nf_conntrack_event_cb) ==
	    &netflow_nat_notifier)
		rcu_assign_pointer(net->ct.nf_conntrack_event_cb, nn->saved);
}

static struct pernet_operations netflow_nat_net_ops = {
	.init = netflow_nat_net_init,
	.pre_exit = netflow_nat_net_pre_exit,
	.id = &nat_net_id,
	.size = sizeof(struct netflow_nat_net),
};

/*
 * Since 5.19, nf_conntrack_events=2 ("auto", the default) gives new
 * conntracks the event extension only while a ctnetlink listener exists:
 * without one, no notifier (ours included) hears of them.
 */
static void netflow_nat_check_sysctl(void)
{
	struct net *net;

	rcu_read_lock();
	for_each_net_rcu(net) {
		if (READ_ONCE(net->ct.sysctl_events) != 1) {
			pr_warn("natevents: net.netfilter.nf_conntrack_events is %u in a network namespace: conntrack sends no events there without a ctnetlink listener; set it to 1\n",
				READ_ONCE(net->ct.sysctl_events));
			break;
		}
	}
	rcu_read_unlock();
}

/* Caller holds netflow_cfg_mutex. */
int netflow_natevents_set(bool on)
{
	int err;

	if (on == nat_enabled)
		return 0;
	if (on) {
		/* ctnetlink first: it must not find our notifier in its place */
		request_module("nf_conntrack_netlink");
		err = register_pernet_subsys(&netflow_nat_net_ops);
		if (err)
			return err;
		netflow_nat_check_sysctl();
	} else {
		unregister_pernet_subsys(&netflow_nat_net_ops);
		/* no notifier call of ours is still running */
		synchronize_rcu();
	}
	nat_enabled = on;
	netflow_cfg.natevents = on;
	pr_info("%s natevents.\n", on ? "enable" : "disable");
	return 0;
}

void netflow_natevents_take(struct list_head *out)
{
	unsigned long flags;

	spin_lock_irqsave(&natq.lock, flags);
	list_splice_tail_init(&natq.list, out);
	natq.len = 0;
	spin_unlock_irqrestore(&natq.lock, flags);
}

void netflow_natevents_free(struct list_head *l)
{
	struct netflow_nat_queued *q, *n;

	list_for_each_entry_safe(q, n, l, list)
		kfree(q);
	INIT_LIST_HEAD(l);
}

void netflow_natevents_counts(u64 *start, u64 *stop, u64 *dropped)
{
	unsigned long flags;

	spin_lock_irqsave(&natq.lock, flags);
	*start = natq.start;
	*stop = natq.stop;
	*dropped = natq.dropped;
	spin_unlock_irqrestore(&natq.lock, flags);
}

int netflow_natevents_init(void)
{
	int err;

	mutex_lock(&netflow_cfg_mutex);
	err = netflow_natevents_set(netflow_cfg.natevents);
	mutex_unlock(&netflow_cfg_mutex);
	return err;
}

/* Events still queued leave with the exporter's final flush. */
void netflow_natevents_exit(void)
{
	mutex_lock(&netflow_cfg_mutex);
	netflow_natevents_set(false);
	mutex_unlock(&netflow_cfg_mutex);
}
