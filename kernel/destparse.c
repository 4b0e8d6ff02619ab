// SPDX-License-Identifier: GPL-2.0
/*
 * Destination list parser. Pure: used by the module parameter, the sysctl
 * and the host unit tests alike, so a value is judged the same everywhere.
 */
#include "destparse.h"

#ifdef __KERNEL__
#include <linux/inet.h>
#define dp_snprintf snprintf

static bool dp_ip4(const char *s, unsigned int len, u8 *out)
{
	const char *end;

	return in4_pton(s, len, out, -1, &end) && end == s + len;
}

static bool dp_ip6(const char *s, unsigned int len, u8 *out)
{
	const char *end;

	return in6_pton(s, len, out, -1, &end) && end == s + len;
}
#else
#include <stdio.h>
#include <arpa/inet.h>
#define dp_snprintf snprintf

static bool dp_copy(const char *s, unsigned int len, char *tmp)
{
	if (len == 0 || len >= 64)
		return false;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	return true;
}

static bool dp_ip4(const char *s, unsigned int len, u8 *out)
{
	char tmp[64];

	return dp_copy(s, len, tmp) && inet_pton(AF_INET, tmp, out) == 1;
}

static bool dp_ip6(const char *s, unsigned int len, u8 *out)
{
	char tmp[64];

	return dp_copy(s, len, tmp) && inet_pton(AF_INET6, tmp, out) == 1;
}
#endif

static bool dp_is_sep(char c)
{
	return c == ',' || c == ';' || c == ' ' || c == '\t' || c == '\n';
}

static int dp_count_char(const char *s, unsigned int len, char c)
{
	int n = 0;

	while (len--)
		n += *s++ == c;
	return n;
}

static bool dp_number(const char *s, unsigned int len, unsigned int maxval,
		      unsigned int *out)
{
	unsigned int v = 0;

	if (len == 0 || len > 5)
		return false;
	while (len--) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (*s++ - '0');
	}
	if (v == 0 || v > maxval)
		return false;
	*out = v;
	return true;
}

/* "v5", "v9", "v10", "ipfix", "5", "9", "10" */
static bool dp_protocol(const char *s, unsigned int len, u8 *out)
{
	unsigned int v;

	if (len == 5 && !memcmp(s, "ipfix", 5)) {
		*out = 10;
		return true;
	}
	if (len > 1 && s[0] == 'v') {
		s++;
		len--;
	}
	if (!dp_number(s, len, 10, &v) || (v != 5 && v != 9 && v != 10))
		return false;
	*out = v;
	return true;
}

/* An address with its family: "1.2.3.4", "2001:db8::1" or "[2001:db8::1]". */
static bool dp_addr(const char *s, unsigned int len, union netflow_addr *a,
		    u8 *family)
{
	memset(a, 0, sizeof(*a));
	if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
		s++;
		len -= 2;
	}
	if (dp_count_char(s, len, ':') == 0) {
		*family = 4;
		return dp_ip4(s, len, a->b);
	}
	*family = 6;
	return dp_ip6(s, len, a->b);
}

static unsigned int dp_span_until(const char *s, unsigned int len,
				  const char *stops)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		if (strchr(stops, s[i]))
			break;
	return i;
}

static int dp_entry(const char *s, unsigned int len,
		    struct netflow_dest_spec *d)
{
	unsigned int host_len, port = NETFLOW_DEST_PORT, i;
	const char *host = s;
	u8 src_family;

	memset(d, 0, sizeof(*d));
	/* The address part ends where a suffix starts. */
	if (s[0] == '[') {
		const char *close = memchr(s, ']', len);

		if (!close)
			return -EINVAL;
		host_len = close - s + 1;
	} else {
		host_len = dp_span_until(s, len, "@%/");
		/* one colon: "addr:port"; several: a bare IPv6 address */
		if (dp_count_char(s, host_len, ':') == 1)
			host_len = dp_span_until(s, host_len, ":");
	}
	if (!dp_addr(host, host_len, &d->addr, &d->family))
		return -EINVAL;
	i = host_len;
	if (i < len && s[i] == ':') {
		unsigned int n = dp_span_until(s + i + 1, len - i - 1, "@%/");

		if (!dp_number(s + i + 1, n, 65535, &port))
			return -EINVAL;
		i += 1 + n;
	}
	d->port = port;
	while (i < len) {
		char kind = s[i++];
		unsigned int n = dp_span_until(s + i, len - i, "@%/");

		if (n == 0)
			return -EINVAL;
		if (kind == '@') {
			if (d->has_src ||
			    !dp_addr(s + i, n, &d->src, &src_family) ||
			    src_family != d->family)
				return -EINVAL;
			d->has_src = 1;
		} else if (kind == '%') {
			if (d->ifname[0] || n >= NETFLOW_IFNAMSIZ)
				return -EINVAL;
			memcpy(d->ifname, s + i, n);
		} else if (kind == '/') {
			if (d->protocol || !dp_protocol(s + i, n, &d->protocol))
				return -EINVAL;
			if (d->protocol == 5 && d->family == 6)
				return -EINVAL;	/* v5 cannot carry IPv6 */
		} else {
			return -EINVAL;
		}
		i += n;
	}
	return 0;
}

static bool dp_same(const struct netflow_dest_spec *a,
		    const struct netflow_dest_spec *b)
{
	return a->family == b->family && a->port == b->port &&
	       !memcmp(&a->addr, &b->addr, sizeof(a->addr)) &&
	       a->has_src == b->has_src &&
	       !memcmp(&a->src, &b->src, sizeof(a->src)) &&
	       !strcmp(a->ifname, b->ifname);
}

int netflow_dest_parse(const char *text, struct netflow_dest_spec *out,
		       unsigned int max, char *err, unsigned int errlen)
{
	unsigned int n = 0, i;
	const char *p = text;

	if (err && errlen)
		err[0] = '\0';
	while (*p) {
		struct netflow_dest_spec d;
		unsigned int len = 0;
		bool dup = false;

		while (*p && dp_is_sep(*p))
			p++;
		while (p[len] && !dp_is_sep(p[len]))
			len++;
		if (!len)
			break;
		if (dp_entry(p, len, &d)) {
			if (err)
				dp_snprintf(err, errlen, "bad destination '%.*s'",
					    (int)min(len, 64u), p);
			return -EINVAL;
		}
		for (i = 0; i < n; i++)
			dup |= dp_same(&out[i], &d);
		if (!dup) {
			if (n == max) {
				if (err)
					dp_snprintf(err, errlen,
						    "more than %u destinations",
						    max);
				return -EINVAL;
			}
			out[n++] = d;
		}
		p += len;
	}
	if (n == 0) {
		if (err)
			dp_snprintf(err, errlen, "no destination given");
		return -EINVAL;
	}
	return n;
}

int netflow_dest_format(const struct netflow_dest_spec *d, char *buf,
			unsigned int len)
{
	int n;

#ifdef __KERNEL__
	if (d->family == 4)
		n = snprintf(buf, len, "%pI4:%u", d->addr.b, d->port);
	else
		n = snprintf(buf, len, "[%pI6c]:%u", d->addr.b, d->port);
#else
	char a[64];

	inet_ntop(d->family == 4 ? AF_INET : AF_INET6, d->addr.b, a, sizeof(a));
	n = snprintf(buf, len, d->family == 4 ? "%s:%u" : "[%s]:%u", a,
		     d->port);
#endif
	if (d->protocol && n >= 0 && (unsigned int)n < len)
		n += snprintf(buf + n, len - n, "/%s",
			      d->protocol == 10 ? "ipfix" :
			      d->protocol == 9 ? "v9" : "v5");
	return n;
}
