/* SPDX-License-Identifier: GPL-2.0 */
/*
 * snmp-rules: "prefix:base,..." maps a device name to the ifIndex that is
 * exported (ppp11 with ppp:200 is 211). Pure: parsed the same in the
 * module and in the host unit tests.
 */
#ifndef NETFLOW_SNMPRULES_H
#define NETFLOW_SNMPRULES_H

#include "pure.h"

#define NETFLOW_SNMP_TEXT_MAX	256	/* sysctl buffer: 255 chars + NUL */
#define NETFLOW_SNMP_RULES_MAX	64	/* "a:0," is the shortest rule */
#define NETFLOW_SNMP_PREFIX_MAX	15	/* a device name is at most 15 */

/* which ends of a flow a rule mapped (struct netflow_flow ext) */
#define NETFLOW_SNMP_IN		1
#define NETFLOW_SNMP_OUT	2

struct netflow_snmp_rule {
	char prefix[NETFLOW_SNMP_PREFIX_MAX + 1];
	u16 base;
};

struct netflow_snmp_rules {
	unsigned int n;
	struct netflow_snmp_rule rule[NETFLOW_SNMP_RULES_MAX];
};

/*
 * Parse @text (the whole value; whitespace around items is ignored, "" is
 * no rules). 0, or -EINVAL with @err saying which item is bad; @out is
 * only complete on success.
 */
int netflow_snmp_rules_parse(const char *text, struct netflow_snmp_rules *out,
			     char *err, unsigned int errlen);

/* Print the rules back as "p:b,p:b" (the canonical text); returns length. */
int netflow_snmp_rules_format(const struct netflow_snmp_rules *rs, char *buf,
			      unsigned int len);

/*
 * The exported ifIndex of device @name: true with *@val set when a rule
 * matches (the first whose prefix starts the name): base + the decimal
 * digits right after the prefix (0 if none). A sum above 65535 is no
 * match rather than a wrapped alias of another interface.
 */
bool netflow_snmp_map(const struct netflow_snmp_rules *rs, const char *name,
		      u16 *val);

#endif /* NETFLOW_SNMPRULES_H */
