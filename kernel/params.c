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
	.destination = "127.0.0.1:2055",
};
DEFINE_MUTEX(netflow_cfg_mutex);

module_param_string(destination, netflow_cfg.destination,
		    sizeof(netflow_cfg.destination), 0444);
MODULE_PARM_DESC(destination,
		 "collectors: addr[:port][@src][%dev][/v5|v9|ipfix], separated by , ; space (default 127.0.0.1:2055)");
module_param_named(protocol, netflow_cfg.protocol, uint, 0444);
MODULE_PARM_DESC(protocol, "export protocol: 5, 9 or 10 (IPFIX) (default 5)");
module_param_named(active_timeout, netflow_cfg.active_timeout, uint, 0444);
MODULE_PARM_DESC(active_timeout, "seconds before a long flow is exported (default 1800)");
module_param_named(inactive_timeout, netflow_cfg.inactive_timeout, uint, 0444);
MODULE_PARM_DESC(inactive_timeout, "seconds of idleness before a flow is exported (default 15)");
module_param_named(maxflows, netflow_cfg.maxflows, uint, 0444);
MODULE_PARM_DESC(maxflows, "maximum flows in the table, 0 = unlimited (default 2000000)");
module_param_named(hashsize, netflow_cfg.hashsize, uint, 0444);
MODULE_PARM_DESC(hashsize, "hash buckets, at least 256; 0 = sized from RAM (default 0)");
module_param_named(sndbuf, netflow_cfg.sndbuf, uint, 0444);
MODULE_PARM_DESC(sndbuf, "export socket send buffer bytes, 0 = system default (default 0)");
module_param_named(refresh_rate, netflow_cfg.refresh_rate, uint, 0444);
MODULE_PARM_DESC(refresh_rate, "v9/IPFIX: resend templates every N packets (default 20)");
module_param_named(timeout_rate, netflow_cfg.timeout_rate, uint, 0444);
MODULE_PARM_DESC(timeout_rate, "v9/IPFIX: resend templates every N minutes (default 30)");
module_param_named(engine_id, netflow_cfg.engine_id, uint, 0444);
MODULE_PARM_DESC(engine_id, "v5 engine id, v9 source id, IPFIX observation domain (default 0)");
module_param_named(debug, netflow_cfg.debug, uint, 0644);
MODULE_PARM_DESC(debug, "log verbosity, 0 = quiet (default 0)");
module_param_named(scan_min, netflow_cfg.scan_min, uint, 0444);
MODULE_PARM_DESC(scan_min, "minimum interval between table scans, jiffies (default 1)");
module_param_named(netns, netflow_cfg.netns, uint, 0444);
MODULE_PARM_DESC(netns, "0 = NETFLOW rules only in the host's network namespace (default 0; 1 is not supported yet)");

/* ipt_NETFLOW parameters for features xt-netflow does not have (yet). */
static char *sampler = "";
module_param(sampler, charp, 0444);
MODULE_PARM_DESC(sampler, "not supported: must be empty");
static char *aggregation = "";
module_param(aggregation, charp, 0444);
MODULE_PARM_DESC(aggregation, "not supported: must be empty");
static unsigned int natevents;
module_param(natevents, uint, 0444);
MODULE_PARM_DESC(natevents, "not supported: must be 0");
static int exportcpu = -1;
module_param(exportcpu, int, 0444);
MODULE_PARM_DESC(exportcpu, "accepted and ignored: each CPU exports its own flows");

static bool netflow_params_unsupported(void)
{
	const char *name = sampler[0] ? "sampler" :
			   aggregation[0] ? "aggregation" :
			   natevents ? "natevents" : NULL;

	if (name)
		pr_err("%s is not supported by xt-netflow: remove it from the module options\n",
		       name);
	return name;
}

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

static int params_check_uint(const char *name, unsigned int val,
			     unsigned int lo, unsigned int hi)
{
	if (val >= lo && val <= hi)
		return 0;
	pr_err("%s=%u is out of range %u..%u\n", name, val, lo, hi);
	return -EINVAL;
}

/* Validate everything before anything is built, so a bad load leaves nothing. */
int netflow_params_init(void)
{
	struct netflow_dest_spec dests[NETFLOW_DEST_MAX];
	int err = 0;

	if (netflow_cfg.protocol != 5 && netflow_cfg.protocol != 9 &&
	    netflow_cfg.protocol != 10) {
		pr_err("protocol=%u: only 5, 9 and 10 are supported\n",
		       netflow_cfg.protocol);
		return -EINVAL;
	}
	err |= params_check_uint("active_timeout",
				 netflow_cfg.active_timeout, 1, 86400 * 7);
	err |= params_check_uint("inactive_timeout",
				 netflow_cfg.inactive_timeout, 1, 86400 * 7);
	if (netflow_cfg.hashsize)
		err |= params_check_uint("hashsize", netflow_cfg.hashsize,
					 256, 1U << 26);
	err |= params_check_uint("engine_id", netflow_cfg.engine_id, 0,
				 0xffffffffU);
	err |= params_check_uint("refresh_rate", netflow_cfg.refresh_rate, 0,
				 1000000);
	err |= params_check_uint("timeout_rate", netflow_cfg.timeout_rate, 0,
				 60 * 24 * 7);
	err |= params_check_uint("sndbuf", netflow_cfg.sndbuf, 0, 1U << 30);
	if (netflow_cfg.netns) {
		pr_err("netns=%u is not supported yet: only 0 (NETFLOW refused outside the host's network namespace)\n",
		       netflow_cfg.netns);
		err = -EINVAL;
	}
	if (netflow_params_unsupported())
		return -EINVAL;
	if (err)
		return -EINVAL;
	if (netflow_params_parse_destination(netflow_cfg.destination, dests,
					     "destination") < 0)
		return -EINVAL;
	return 0;
}
