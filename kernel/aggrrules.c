// SPDX-License-Identifier: GPL-2.0
/*
 * aggregation rule parser. Pure: the module parameter, the sysctl and the
 * host unit tests judge a value the same way. Unlike ipt_NETFLOW, a rule
 * that does not parse refuses the whole value (2.6 keeps the rules before
 * it), and prefixes and ports are range-checked.
 */
#include "aggrrules.h"

#ifndef __KERNEL__
#include <stdio.h>
#endif

static bool ar_sep(char c)
{
	return c == ' ' || c == ',' || c == ';' || c == '\t' || c == '\n';
}

/* A decimal number of s[*i..len) up to @max; false if none or too big. */
static bool ar_num(const char *s, unsigned int len, unsigned int *i,
		   u32 max, u32 *out)
{
	unsigned int start = *i;
	u32 v = 0;

	for (; *i < len && s[*i] >= '0' && s[*i] <= '9'; (*i)++) {
		v = v * 10 + (s[*i] - '0');
		if (v > max)
			return false;
	}
	*out = v;
	return *i > start;
}

static __be32 ar_mask(u32 len)
{
	return htonl(len ? ~0U << (32 - len) : 0);
}

static int ar_net(const char *s, unsigned int len,
		  struct netflow_aggr_rules *out, char *err,
		  unsigned int errlen)
{
	struct netflow_aggr_net *r;
	unsigned int i = 0, k;
	u32 b[4], m, strip;

	for (k = 0; k < 4; k++) {
		if (!ar_num(s, len, &i, 255, &b[k]) ||
		    i == len || s[i] != (k < 3 ? '.' : '/'))
			goto bad;
		i++;
	}
	if (!ar_num(s, len, &i, 32, &m) || i == len || s[i++] != '=' ||
	    !ar_num(s, len, &i, 32, &strip) || i != len)
		goto bad;
	if (out->n_net == NETFLOW_AGGR_NET_MAX) {
		snprintf(err, errlen, "more than %d netmask rules",
			 NETFLOW_AGGR_NET_MAX);
		return -EINVAL;
	}
	r = &out->net[out->n_net++];
	r->match = ar_mask(m);
	r->strip = ar_mask(strip);
	r->net = htonl(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]) & r->match;
	r->match_len = m;
	r->strip_len = strip;
	return 0;
bad:
	snprintf(err, errlen,
		 "'%.*s': not A.B.C.D/M=K (M and K 0..32) or P1-P2=P",
		 (int)len, s);
	return -EINVAL;
}

static int ar_port(const char *s, unsigned int len,
		   struct netflow_aggr_rules *out, char *err,
		   unsigned int errlen)
{
	struct netflow_aggr_port *r;
	unsigned int i = 0;
	u32 lo, hi, to;

	if (!ar_num(s, len, &i, 65535, &lo) || i == len)
		goto bad;
	hi = lo;
	if (s[i] == '-') {
		i++;
		if (!ar_num(s, len, &i, 65535, &hi) || i == len)
			goto bad;
	}
	if (s[i++] != '=' || !ar_num(s, len, &i, 65535, &to) || i != len ||
	    hi < lo)
		goto bad;
	if (out->n_port == NETFLOW_AGGR_PORT_MAX) {
		snprintf(err, errlen, "more than %d port rules",
			 NETFLOW_AGGR_PORT_MAX);
		return -EINVAL;
	}
	r = &out->port[out->n_port++];
	r->lo = lo;
	r->hi = hi;
	r->to = to;
	return 0;
bad:
	snprintf(err, errlen,
		 "'%.*s': not P1-P2=P or P=Q (ports 0..65535, P1 <= P2) or A.B.C.D/M=K",
		 (int)len, s);
	return -EINVAL;
}

int netflow_aggr_parse(const char *text, struct netflow_aggr_rules *out,
		       char *err, unsigned int errlen)
{
	const char *s = text;

	memset(out, 0, sizeof(*out));
	if (strnlen(text, NETFLOW_AGGR_TEXT_MAX) >= NETFLOW_AGGR_TEXT_MAX) {
		snprintf(err, errlen, "longer than %d characters",
			 NETFLOW_AGGR_TEXT_MAX - 1);
		return -EINVAL;
	}
	for (;;) {
		unsigned int len;
		int rc;

		while (*s && ar_sep(*s))
			s++;
		if (!*s)
			return 0;
		for (len = 0; s[len] && !ar_sep(s[len]); len++)
			;
		/* a '/' names a netmask rule, anything else a port rule */
		if (memchr(s, '/', len))
			rc = ar_net(s, len, out, err, errlen);
		else
			rc = ar_port(s, len, out, err, errlen);
		if (rc)
			return rc;
		s += len;
	}
}

int netflow_aggr_format(const struct netflow_aggr_rules *rs, char *buf,
			unsigned int len)
{
	unsigned int i, n = 0;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < rs->n_net && n < len; i++) {
		u32 a = ntohl(rs->net[i].net);

		n += snprintf(buf + n, len - n, "%s%u.%u.%u.%u/%u=%u",
			      n ? "," : "", a >> 24, a >> 16 & 255,
			      a >> 8 & 255, a & 255, rs->net[i].match_len,
			      rs->net[i].strip_len);
	}
	for (i = 0; i < rs->n_port && n < len; i++) {
		const struct netflow_aggr_port *r = &rs->port[i];

		if (r->lo == r->hi)
			n += snprintf(buf + n, len - n, "%s%u=%u",
				      n ? "," : "", r->lo, r->to);
		else
			n += snprintf(buf + n, len - n, "%s%u-%u=%u",
				      n ? "," : "", r->lo, r->hi, r->to);
	}
	return min(n, len ? len - 1 : 0);
}
