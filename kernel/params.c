// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters, named and defaulted as ipt_NETFLOW's so existing
 * modprobe.d files keep working. Values land in the one netflow_cfg.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include "netflow.h"

struct netflow_config netflow_cfg = {
	.active_timeout = 1800,
	.inactive_timeout = 15,
	.maxflows = 2000000,
	.hashsize = 0,
	.sndbuf = 0,
	.protocol = 5,
	.refresh_rate = 20,
	.timeout_rate = 30,
	.engine_id = 0,
	.debug = 0,
	.scan_min = 1,
	/* Debian's ipt_NETFLOW 2.6 is built with both */
	.mac = 1,
	.vlan = 1,
	.destination = "127.0.0.1:2055",
};
DEFINE_MUTEX(netflow_cfg_mutex);

module_param_string(destination, netflow_cfg.destination,
		    sizeof(netflow_cfg.destination), 0444);
MODULE_PARM_DESC(destination,
		 "collectors: addr[:port][@src][%dev][/v5|v9|ipfix], separated by , ; space (default 127.0.0.1:2055)");
/*
 * Every number is range-checked as it is parsed, at load and on a write
 * to /sys (debug is writable there): a bad value fails with -EINVAL and
 * the kernel's one line naming the token ("'11' invalid for parameter
 * 'debug'"); nothing is stored.
 */
struct netflow_uint_param {
	unsigned int *val;
	unsigned int min, max;
	bool zero_ok;		/* 0 (auto) besides min..max */
	bool protocol;		/* 5, 9 or 10 only */
};

static bool param_uint_ok(const struct netflow_uint_param *p, unsigned int v)
{
	if (p->protocol)
		return v == 5 || v == 9 || v == 10;
	return (v >= p->min && v <= p->max) || (p->zero_ok && !v);
}

static int param_set_checked(const char *val, const struct kernel_param *kp)
{
	const struct netflow_uint_param *p = kp->arg;
	unsigned int v;

	/* kstrtouint() says -ERANGE on overflow: every refusal is -EINVAL */
	if (kstrtouint(val, 0, &v) || !param_uint_ok(p, v))
		return -EINVAL;
	WRITE_ONCE(*p->val, v);
	return 0;
}

static int param_get_checked(char *buf, const struct kernel_param *kp)
{
	const struct netflow_uint_param *p = kp->arg;

	return scnprintf(buf, PAGE_SIZE, "%u\n", READ_ONCE(*p->val));
}

static const struct kernel_param_ops netflow_param_ops = {
	.set = param_set_checked,
	.get = param_get_checked,
};

#define NETFLOW_PARAM(name, field, lo, hi, zero, proto, perm, desc)	\
	static const struct netflow_uint_param param_##name = {		\
		.val = &netflow_cfg.field, .min = lo, .max = hi,	\
		.zero_ok = zero, .protocol = proto,			\
	};								\
	module_param_cb(name, &netflow_param_ops, (void *)&param_##name, \
			perm);						\
	MODULE_PARM_DESC(name, desc)

NETFLOW_PARAM(protocol, protocol, 5, 10, false, true, 0444,
	      "export protocol: 5, 9 or 10 (IPFIX) (default 5)");
NETFLOW_PARAM(active_timeout, active_timeout, 1, 86400 * 7, false, false,
	      0444, "seconds before a long flow is exported, 1..604800 (default 1800)");
NETFLOW_PARAM(inactive_timeout, inactive_timeout, 1, 86400 * 7, false, false,
	      0444, "seconds of idleness before a flow is exported, 1..604800 (default 15)");
NETFLOW_PARAM(maxflows, maxflows, 0, 1U << 30, false, false, 0444,
	      "most flow objects, 0..2^30, 0 = unlimited (default 2000000)");
/* ipt_NETFLOW: any non-zero value enables; stored as 0 or 1 at init */
NETFLOW_PARAM(natevents, natevents, 0, 0xffffffffU, false, false, 0444,
	      "export NAT events from conntrack: non-zero enables (default 0)");
NETFLOW_PARAM(promisc, promisc, 0, 0xffffffffU, false, false, 0444,
	      "meter frames for other hosts from promiscuous devices via PREROUTING, then drop them: non-zero enables (default 0)");
NETFLOW_PARAM(physdev, physdev, 0, 1, false, false, 0444,
	      "export bridge ports (br_netfilter) as IEs 252/253: 0 or 1 (default 0)");
NETFLOW_PARAM(mac, mac, 0, 1, false, false, 0444,
	      "MAC addresses in the flow key, exported as IEs 80/56: 0 or 1 (default 1)");
NETFLOW_PARAM(vlan, vlan, 0, 1, false, false, 0444,
	      "VLAN tags in the flow key, exported as 58 (v9) or 243-246 (IPFIX): 0 or 1 (default 1)");
NETFLOW_PARAM(hashsize, hashsize, 256, 1U << 26, true, false, 0444,
	      "hash buckets, 256..2^26; 0 = sized from RAM (default 0)");
NETFLOW_PARAM(sndbuf, sndbuf, 0, 1U << 30, false, false, 0444,
	      "export socket send buffer bytes, 0..2^30, 0 = system default (default 0)");
NETFLOW_PARAM(refresh_rate, refresh_rate, 0, 1000000, false, false, 0444,
	      "v9/IPFIX: resend templates every N packets, 0..1000000 (default 20)");
NETFLOW_PARAM(timeout_rate, timeout_rate, 0, 60 * 24 * 7, false, false, 0444,
	      "v9/IPFIX: resend templates every N minutes, 0..10080 (default 30)");
NETFLOW_PARAM(engine_id, engine_id, 0, 0xffffffffU, false, false, 0444,
	      "v5 engine id, v9 source id, IPFIX observation domain (default 0)");
NETFLOW_PARAM(debug, debug, 0, NETFLOW_DEBUG_MAX, false, false, 0644,
	      "log verbosity 0..10, 0 = quiet (default 0)");
/* a huge scan_min would stop expiry: the sysctl's range */
NETFLOW_PARAM(scan_min, scan_min, 1, 1000, false, false, 0444,
	      "minimum interval between table scans, 1..1000 jiffies (default 1)");
NETFLOW_PARAM(netns, netns, 0, 1, false, false, 0444,
	      "0 = NETFLOW rules only in the host's network namespace (default 0; 1 is not supported yet)");

static char *sampler = "";
module_param(sampler, charp, 0444);
MODULE_PARM_DESC(sampler,
		 "flow sampling: deterministic:N, random:N or hash:N, N = 2..16383 (default off)");

static int exportcpu = -1;
module_param(exportcpu, int, 0444);
MODULE_PARM_DESC(exportcpu, "accepted and ignored: each CPU exports its own flows");

int netflow_params_parse_destination(const char *text,
				     struct netflow_dest_spec *dests,
				     const char *origin)
{
	char err[96];
	int n;

	n = netflow_dest_parse(text, dests, NETFLOW_DEST_MAX, err, sizeof(err));
	if (n < 0)
		pr_err_ratelimited("%s: %s\n", origin, err);
	return n;
}

int netflow_params_parse_sampler(const char *text, struct netflow_sampler *s,
				 const char *origin)
{
	char err[96];

	if (netflow_sampler_parse(text, s, err, sizeof(err)) < 0) {
		pr_err_ratelimited("%s: refused %s\n", origin, err);
		return -EINVAL;
	}
	return 0;
}

/* Validate everything before anything is built, so a bad load leaves nothing. */
int netflow_params_init(void)
{
	struct netflow_dest_spec dests[NETFLOW_DEST_MAX];

	/* numbers were checked as they were parsed (netflow_param_ops) */
	if (netflow_cfg.netns) {
		pr_err("netns=%u is not supported yet: only 0 (NETFLOW refused outside the host's network namespace)\n",
		       netflow_cfg.netns);
		return -EINVAL;
	}
	if (netflow_params_parse_sampler(sampler, &netflow_cfg.sampler,
					 "sampler") < 0)
		return -EINVAL;
	netflow_sampler_format(&netflow_cfg.sampler, netflow_cfg.sampler_text,
			       sizeof(netflow_cfg.sampler_text));
	netflow_cfg.natevents = !!netflow_cfg.natevents;
	netflow_cfg.promisc = !!netflow_cfg.promisc;
	netflow_cfg.l2 = (netflow_cfg.mac ? NETFLOW_L2_MAC : 0) |
			 (netflow_cfg.vlan ? NETFLOW_L2_VLAN : 0) |
			 (netflow_cfg.promisc ? NETFLOW_L2_MPLS : 0);
	if (netflow_params_parse_destination(netflow_cfg.destination, dests,
					     "destination") < 0)
		return -EINVAL;
	return 0;
}
