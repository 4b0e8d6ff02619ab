// SPDX-License-Identifier: GPL-2.0
/*
 * snmp-rules parser and matcher. Pure: the module parameter, the sysctl
 * and the host unit tests judge a value the same way.
 */
#include "snmprules.h"

#ifndef __KERNEL__
#include <stdio.h>
#endif

static bool sr_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* One "prefix:base" item, s..s+len, already trimmed of outer spaces. */
static int sr_item(const char *s, unsigned int len,
		   struct netflow_snmp_rule *r, char *err, unsigned int errlen)
{
	const char *colon = memchr(s, ':', len);
	unsigned int plen, i;
	u32 base = 0;

	if (!colon) {
		snprintf(err, errlen, "'%.*s': no ':' (prefix:base)", (int)len, s);
		return -EINVAL;
	}
	plen = colon - s;
	while (plen && sr_space(s[plen - 1]))
		plen--;
	if (!plen || plen > NETFLOW_SNMP_PREFIX_MAX) {
		snprintf(err, errlen, "'%.*s': prefix must be 1..%d characters",
			 (int)len, s, NETFLOW_SNMP_PREFIX_MAX);
		return -EINVAL;
	}
	for (i = 0; i < plen; i++) {
		if (sr_space(s[i]) || s[i] == ':' || s[i] == '/') {
			snprintf(err, errlen, "'%.*s': bad character in prefix",
				 (int)len, s);
			return -EINVAL;
		}
	}
	i = colon - s + 1;
	while (i < len && sr_space(s[i]))
		i++;
	if (i == len) {
		snprintf(err, errlen, "'%.*s': no base number", (int)len, s);
		return -EINVAL;
	}
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9') {
			snprintf(err, errlen, "'%.*s': base is not a number",
				 (int)len, s);
			return -EINVAL;
		}
		base = base * 10 + (s[i] - '0');
		if (base > 0xffff) {
			snprintf(err, errlen, "'%.*s': base must be 0..65535",
				 (int)len, s);
			return -EINVAL;
		}
	}
	memcpy(r->prefix, s, plen);
	r->prefix[plen] = '\0';
	r->base = base;
	return 0;
}

int netflow_snmp_rules_parse(const char *text, struct netflow_snmp_rules *out,
			     char *err, unsigned int errlen)
{
	const char *s = text;

	memset(out, 0, sizeof(*out));
	if (strnlen(text, NETFLOW_SNMP_TEXT_MAX) >= NETFLOW_SNMP_TEXT_MAX) {
		snprintf(err, errlen, "longer than %d characters",
			 NETFLOW_SNMP_TEXT_MAX - 1);
		return -EINVAL;
	}
	for (;;) {
		const char *end = strchr(s, ',');
		unsigned int len;
		int rc;

		if (!end)
			end = s + strlen(s);
		while (s < end && sr_space(*s))
			s++;
		len = end - s;
		while (len && sr_space(s[len - 1]))
			len--;
		if (len) {
			if (out->n == NETFLOW_SNMP_RULES_MAX) {
				snprintf(err, errlen, "more than %d rules",
					 NETFLOW_SNMP_RULES_MAX);
				return -EINVAL;
			}
			rc = sr_item(s, len, &out->rule[out->n], err, errlen);
			if (rc)
				return rc;
			out->n++;
		} else if (*end == ',') {
			snprintf(err, errlen, "empty item");
			return -EINVAL;
		}
		if (!*end)
			return 0;
		s = end + 1;
	}
}

int netflow_snmp_rules_format(const struct netflow_snmp_rules *rs, char *buf,
			      unsigned int len)
{
	unsigned int i, n = 0;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < rs->n && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%s:%u", i ? "," : "",
			      rs->rule[i].prefix, rs->rule[i].base);
	return min(n, len ? len - 1 : 0);
}

bool netflow_snmp_map(const struct netflow_snmp_rules *rs, const char *name,
		      u16 *val)
{
	unsigned int i;

	for (i = 0; i < rs->n; i++) {
		const struct netflow_snmp_rule *r = &rs->rule[i];
		size_t plen = strlen(r->prefix);
		const char *d = name + plen;
		u32 v = 0;

		if (strncmp(name, r->prefix, plen))
			continue;
		/* stop once past 16 bits: a long digit run cannot overflow */
		for (; *d >= '0' && *d <= '9' && v <= 0xffff; d++)
			v = v * 10 + (*d - '0');
		v += r->base;
		if (v > 0xffff)
			return false;
		*val = v;
		return true;
	}
	return false;
}
