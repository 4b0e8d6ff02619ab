// SPDX-License-Identifier: GPL-2.0
/*
 * sysctl net.netflow.*: the live configuration. A refused write returns
 * -EINVAL, logs one rate-limited line naming the value, and changes nothing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/sysctl.h>
#include <linux/string.h>
#include "netflow.h"
#include "flow.h"
#include "export.h"
#include "natevents.h"
#include "compat.h"

static struct ctl_table_header *netflow_sysctl_hdr;

enum netflow_apply {
	APPLY_TABLE,		/* timeouts, maxflows, hashsize */
	APPLY_SOCKETS,		/* sndbuf */
	APPLY_TEMPLATES,	/* refresh-rate, timeout-rate */
	APPLY_PROTOCOL,
	APPLY_NONE,
};

struct netflow_uint_knob {
	unsigned int *val;
	unsigned int min, max;
	enum netflow_apply apply;
};

static void log_refusal(NETFLOW_CTL_CONST struct ctl_table *table,
			const char *buffer, size_t len, const char *why)
{
	pr_info_ratelimited("sysctl net.netflow.%s: refused '%.*s': %s\n",
			    table->procname, (int)min_t(size_t, len, 64),
			    buffer, why);
}

static size_t trimmed_len(const char *buffer, size_t len)
{
	while (len && (buffer[len - 1] == '\n' || buffer[len - 1] == ' '))
		len--;
	return len;
}

static int apply(enum netflow_apply what)
{
	switch (what) {
	case APPLY_TABLE:
		return netflow_flow_reconfigure();
	case APPLY_SOCKETS:
		return netflow_export_set_destination(netflow_cfg.destination);
	case APPLY_TEMPLATES:
		netflow_export_set_template_rates();
		return 0;
	default:
		return 0;
	}
}

/*
 * Parse one number as the kernel's numeric sysctls do, honouring
 * kernel.sysctl_writes_strict: 1 when the write is ignored (a write at a
 * non-zero offset of the open file, in strict mode), 0 with *val set, or
 * -EINVAL. proc_douintvec() would not move the offset on success, so a
 * second write on the same fd would be parsed as a new value.
 */
static int write_number(void *buffer, size_t *lenp, loff_t *ppos,
			unsigned long *val)
{
	unsigned long v = ULONG_MAX;
	struct ctl_table tmp = {
		.data = &v, .maxlen = sizeof(v), .mode = 0644,
	};
	loff_t pos = *ppos;
	int err;

	err = proc_doulongvec_minmax(&tmp, 1, buffer, lenp, ppos);
	if (err)
		return -EINVAL;
	if (pos && v == ULONG_MAX)
		return 1;
	*val = v;
	return 0;
}

/*
 * flush=1, and every knob before it changes what is exported (format,
 * templates, fields): the table leaves as metered, end reason "forced".
 */
static void export_table_first(void)
{
	netflow_flow_flush(NETFLOW_END_FORCED);
}

static int netflow_uint_handler(NETFLOW_CTL_CONST struct ctl_table *table,
				int write, void *buffer, size_t *lenp,
				loff_t *ppos)
{
	const struct netflow_uint_knob *k = table->extra1;
	size_t len = *lenp;
	unsigned int val, old;
	struct ctl_table tmp = {
		.data = &val, .maxlen = sizeof(val), .mode = table->mode,
	};
	unsigned long v = 0;
	int err;

	if (!write) {
		val = READ_ONCE(*k->val);
		return proc_douintvec(&tmp, write, buffer, lenp, ppos);
	}
	err = write_number(buffer, lenp, ppos, &v);
	if (err > 0)
		return 0;
	val = v;
	if (err || v < k->min || v > k->max ||
	    (k->apply == APPLY_PROTOCOL && val != 5 && val != 9 && val != 10)) {
		if (k->apply == APPLY_PROTOCOL)
			log_refusal(table, buffer, trimmed_len(buffer, len),
				    "protocol must be 5, 9 or 10");
		else
			log_refusal(table, buffer, trimmed_len(buffer, len),
				    "not a number in range");
		return -EINVAL;
	}
	mutex_lock(&netflow_cfg_mutex);
	if (k->apply == APPLY_PROTOCOL) {
		/* the table's flows leave in the old format first */
		export_table_first();
		err = netflow_export_set_protocol(val);
	} else {
		old = *k->val;
		WRITE_ONCE(*k->val, val);
		err = apply(k->apply);
		if (err)
			WRITE_ONCE(*k->val, old);
	}
	mutex_unlock(&netflow_cfg_mutex);
	return err;
}

/*
 * A text setting: a read shows @cur; a write (up to @max bytes, so that a
 * parser sees an overlong value) goes to @set under netflow_cfg_mutex,
 * which applies it and keeps its text, or refuses it (one dmesg line) and
 * keeps the previous setting and text.
 */
static int text_handler(NETFLOW_CTL_CONST struct ctl_table *table, int write,
			void *buffer, size_t *lenp, loff_t *ppos,
			const char *cur, size_t max,
			int (*set)(const char *text))
{
	struct ctl_table tmp = { .maxlen = max, .mode = table->mode };
	loff_t pos = *ppos;
	char *text;
	int err;

	text = kzalloc(max, GFP_KERNEL);
	if (!text)
		return -ENOMEM;
	tmp.data = text;
	mutex_lock(&netflow_cfg_mutex);
	if (!write) {
		strscpy(text, cur, max);
		err = proc_dostring(&tmp, write, buffer, lenp, ppos);
		goto out;
	}
	err = proc_dostring(&tmp, write, buffer, lenp, ppos);
	/* strict mode ignores a write at a non-zero offset: nothing to apply */
	if (!err && !(pos && !text[0]))
		err = set(text);
out:
	mutex_unlock(&netflow_cfg_mutex);
	kfree(text);
	return err;
}

static int destination_set(const char *text)
{
	/* the parser logs which entry it refused */
	int err = netflow_export_set_destination(text);

	if (!err)
		strscpy(netflow_cfg.destination, text, NETFLOW_DEST_TEXT_MAX);
	return err;
}

static int netflow_destination_handler(NETFLOW_CTL_CONST struct ctl_table *table,
				       int write, void *buffer, size_t *lenp,
				       loff_t *ppos)
{
	return text_handler(table, write, buffer, lenp, ppos,
			    netflow_cfg.destination, NETFLOW_DEST_TEXT_MAX,
			    destination_set);
}

static int snmp_rules_set(const char *text)
{
	return netflow_snmp_set(text, "sysctl net.netflow.snmp-rules");
}

/*
 * snmp-rules: a refused write keeps the rules and the text (2.6 shows
 * "parse error" while the old rules keep running).
 */
static int netflow_snmp_rules_handler(NETFLOW_CTL_CONST struct ctl_table *table,
				      int write, void *buffer, size_t *lenp,
				      loff_t *ppos)
{
	/* the destination's size: longer than the rules' limit */
	return text_handler(table, write, buffer, lenp, ppos,
			    netflow_cfg.snmp_rules, NETFLOW_DEST_TEXT_MAX,
			    snmp_rules_set);
}

static int aggregation_set(const char *text)
{
	bool was = netflow_aggr_enabled();
	int err = netflow_aggr_set(text, "sysctl net.netflow.aggregation");

	if (!err && was != netflow_aggr_enabled()) {
		export_table_first();
		netflow_export_set_aggr(!was);
	}
	return err;
}

/*
 * aggregation: a rule that does not parse refuses the whole write (2.6
 * applies the rules before it); rules and text are kept. New rules apply
 * to new packets; setting the first rules or clearing them exports the
 * table, since the IPv4 templates gain or lose 9/13.
 */
static int netflow_aggr_handler(NETFLOW_CTL_CONST struct ctl_table *table,
				int write, void *buffer, size_t *lenp,
				loff_t *ppos)
{
	return text_handler(table, write, buffer, lenp, ppos,
			    netflow_cfg.aggregation, NETFLOW_AGGR_CANON_MAX,
			    aggregation_set);
}

/*
 * sampler: 2.6 switches sampling off on a bad write; here it keeps the
 * sampler and its text. Every accepted write exports the table first.
 */
static int netflow_sampler_handler(NETFLOW_CTL_CONST struct ctl_table *table,
				   int write, void *buffer, size_t *lenp,
				   loff_t *ppos)
{
	/* longer than the limit, so the parser sees an overlong value */
	char text[NETFLOW_SAMPLER_TEXT_MAX * 2] = "";
	struct ctl_table tmp = {
		.data = text, .maxlen = sizeof(text), .mode = table->mode,
	};
	struct netflow_sampler s;
	loff_t pos = *ppos;
	int err;

	mutex_lock(&netflow_cfg_mutex);
	if (!write) {
		strscpy(text, netflow_cfg.sampler_text, sizeof(text));
		err = proc_dostring(&tmp, write, buffer, lenp, ppos);
		goto out;
	}
	err = proc_dostring(&tmp, write, buffer, lenp, ppos);
	/* strict mode ignores a write at a non-zero offset: nothing to apply */
	if (err || (pos && !text[0]))
		goto out;
	err = netflow_params_parse_sampler(text, &s, "sysctl net.netflow.sampler");
	if (err)
		goto out;
	export_table_first();
	netflow_export_set_sampler(&s);
	netflow_sampler_format(&s, netflow_cfg.sampler_text,
			       sizeof(netflow_cfg.sampler_text));
	if (s.mode)
		pr_info("flow sampling %s, one out of %u flows exported\n",
			netflow_sampler_mode_name(s.mode), s.interval);
	else
		pr_info("flow sampling off\n");
out:
	mutex_unlock(&netflow_cfg_mutex);
	return err;
}

static int netflow_flush_handler(NETFLOW_CTL_CONST struct ctl_table *table,
				 int write, void *buffer, size_t *lenp,
				 loff_t *ppos)
{
	unsigned int val = 0;
	struct ctl_table tmp = {
		.data = &val, .maxlen = sizeof(val), .mode = table->mode,
	};
	size_t len = *lenp;
	unsigned long v = 0;
	int err;

	if (!write)
		return proc_douintvec(&tmp, write, buffer, lenp, ppos);
	err = write_number(buffer, lenp, ppos, &v);
	if (err > 0)
		return 0;
	val = v;
	if (err || v > 2) {
		log_refusal(table, buffer, trimmed_len(buffer, len),
			    "write 1 to export every flow, 2 to also zero statistics");
		return -EINVAL;
	}
	/* what it reads: a sysctl.d saved from `sysctl -a` writes it back */
	if (!val)
		return 0;
	mutex_lock(&netflow_cfg_mutex);
	export_table_first();
	if (val == 2) {
		netflow_stats_zero();
		netflow_export_zero();
	}
	mutex_unlock(&netflow_cfg_mutex);
	return 0;
}

/*
 * netns: 0 refuses NETFLOW rules outside init_net. Labelled flows from
 * other namespaces (1) are not supported yet: refused, 0 kept.
 */
static int netflow_netns_handler(NETFLOW_CTL_CONST struct ctl_table *table,
				 int write, void *buffer, size_t *lenp,
				 loff_t *ppos)
{
	unsigned int val = READ_ONCE(netflow_cfg.netns);
	struct ctl_table tmp = {
		.data = &val, .maxlen = sizeof(val), .mode = table->mode,
	};
	size_t len = *lenp;
	int err;

	err = proc_douintvec(&tmp, write, buffer, lenp, ppos);
	if (!write)
		return err;
	if (err || val) {
		log_refusal(table, buffer, trimmed_len(buffer, len),
			    "only 0 is supported yet (NETFLOW refused outside the host's network namespace)");
		return -EINVAL;
	}
	return 0;
}

/*
 * The 0-or-1 switches (natevents, physdev, mac, vlan, promisc): the state,
 * how to change it (cfg mutex held, only on a change) and what a bad
 * write is told. A write equal to the current state changes nothing.
 */
struct netflow_switch {
	bool (*get)(void);
	int (*set)(bool on);
	const char *hint;
};

static int netflow_switch_handler(NETFLOW_CTL_CONST struct ctl_table *table,
				  int write, void *buffer, size_t *lenp,
				  loff_t *ppos)
{
	const struct netflow_switch *sw = table->extra1;
	unsigned int val = sw->get();
	struct ctl_table tmp = {
		.data = &val, .maxlen = sizeof(val), .mode = table->mode,
	};
	size_t len = *lenp;
	unsigned long v = 0;
	int err;

	if (!write)
		return proc_douintvec(&tmp, write, buffer, lenp, ppos);
	err = write_number(buffer, lenp, ppos, &v);
	if (err > 0)
		return 0;
	if (err || v > 1) {
		log_refusal(table, buffer, trimmed_len(buffer, len), sw->hint);
		return -EINVAL;
	}
	mutex_lock(&netflow_cfg_mutex);
	if (v != sw->get())
		err = sw->set(v);
	mutex_unlock(&netflow_cfg_mutex);
	return err;
}

static bool natevents_get(void)
{
	return READ_ONCE(netflow_cfg.natevents);
}

static bool physdev_get(void)
{
	return READ_ONCE(netflow_cfg.physdev);
}

static int physdev_set(bool on)
{
	/* new flows record their ports from now on; the table leaves first */
	WRITE_ONCE(netflow_cfg.physdev, on);
	export_table_first();
	netflow_export_set_physdev(on);
	return 0;
}

/* mac and vlan: one bit of netflow_cfg.l2 each, the other keeps its state */
static bool mac_get(void)
{
	return READ_ONCE(netflow_cfg.l2) & NETFLOW_L2_MAC;
}

static bool vlan_get(void)
{
	return READ_ONCE(netflow_cfg.l2) & NETFLOW_L2_VLAN;
}

static int l2_set(unsigned int bit, bool on)
{
	unsigned int groups = READ_ONCE(netflow_cfg.l2);

	/* the table leaves under the old templates, then the fields change */
	export_table_first();
	netflow_export_set_l2(on ? groups | bit : groups & ~bit);
	return 0;
}

static int mac_set(bool on)
{
	return l2_set(NETFLOW_L2_MAC, on);
}

static int vlan_set(bool on)
{
	return l2_set(NETFLOW_L2_VLAN, on);
}

static bool promisc_get(void)
{
	return READ_ONCE(netflow_cfg.promisc);
}

static const struct netflow_switch switch_natevents = {
	natevents_get, netflow_natevents_set,
	"write 1 to export NAT events, 0 to stop",
};
static const struct netflow_switch switch_physdev = {
	physdev_get, physdev_set,
	"write 1 to export bridge ports (252/253), 0 to stop",
};
static const struct netflow_switch switch_mac = {
	mac_get, mac_set,
	"write 1 to key and export MAC addresses (80/56), 0 to stop",
};
static const struct netflow_switch switch_vlan = {
	vlan_get, vlan_set,
	"write 1 to key and export VLAN tags (58, 243-246), 0 to stop",
};
static const struct netflow_switch switch_promisc = {
	promisc_get, netflow_promisc_set,
	"write 1 to meter other hosts' frames from promiscuous devices, 0 to stop",
};

#define KNOB(name, field, lo, hi, how)					\
	static const struct netflow_uint_knob knob_##name = {		\
		.val = &netflow_cfg.field, .min = lo, .max = hi,	\
		.apply = how,						\
	}

KNOB(active, active_timeout, 1, 86400 * 7, APPLY_TABLE);
KNOB(inactive, inactive_timeout, 1, 86400 * 7, APPLY_TABLE);
KNOB(maxflows, maxflows, 0, 1U << 30, APPLY_TABLE);
KNOB(hashsize, hashsize, 256, 1U << 26, APPLY_TABLE);
KNOB(sndbuf, sndbuf, 0, 1U << 30, APPLY_SOCKETS);
KNOB(protocol, protocol, 5, 10, APPLY_PROTOCOL);
KNOB(refresh, refresh_rate, 0, 1000000, APPLY_TEMPLATES);
KNOB(timeout, timeout_rate, 0, 60 * 24 * 7, APPLY_TEMPLATES);
KNOB(debug, debug, 0, NETFLOW_DEBUG_MAX, APPLY_NONE);
KNOB(scan_min, scan_min, 1, 1000, APPLY_NONE);

#define UINT_ENTRY(proc, name) {					\
	.procname = proc, .mode = 0644,					\
	.proc_handler = netflow_uint_handler, .extra1 = (void *)&knob_##name, \
}

#define SWITCH_ENTRY(proc, name) {					\
	.procname = proc, .mode = 0644,					\
	.proc_handler = netflow_switch_handler,				\
	.extra1 = (void *)&switch_##name,				\
}

static struct ctl_table netflow_sysctl_table[] = {
	UINT_ENTRY("active_timeout", active),
	UINT_ENTRY("inactive_timeout", inactive),
	UINT_ENTRY("maxflows", maxflows),
	UINT_ENTRY("hashsize", hashsize),
	UINT_ENTRY("sndbuf", sndbuf),
	UINT_ENTRY("protocol", protocol),
	UINT_ENTRY("refresh-rate", refresh),
	UINT_ENTRY("timeout-rate", timeout),
	UINT_ENTRY("debug", debug),
	UINT_ENTRY("scan-min", scan_min),
	{
		.procname = "destination", .mode = 0644,
		.proc_handler = netflow_destination_handler,
	},
	{
		.procname = "flush", .mode = 0644,
		.proc_handler = netflow_flush_handler,
	},
	{
		.procname = "netns", .mode = 0644,
		.proc_handler = netflow_netns_handler,
	},
	{
		.procname = "snmp-rules", .mode = 0644,
		.proc_handler = netflow_snmp_rules_handler,
	},
	{
		.procname = "sampler", .mode = 0644,
		.proc_handler = netflow_sampler_handler,
	},
	SWITCH_ENTRY("natevents", natevents),
	SWITCH_ENTRY("physdev", physdev),
	{
		.procname = "aggregation", .mode = 0644,
		.proc_handler = netflow_aggr_handler,
	},
	SWITCH_ENTRY("mac", mac),
	SWITCH_ENTRY("vlan", vlan),
	SWITCH_ENTRY("promisc", promisc),
	NETFLOW_CTL_END
};

int netflow_sysctl_init(void)
{
	netflow_sysctl_hdr = register_sysctl("net/netflow",
					     netflow_sysctl_table);
	return netflow_sysctl_hdr ? 0 : -ENOMEM;
}

void netflow_sysctl_exit(void)
{
	unregister_sysctl_table(netflow_sysctl_hdr);
}
