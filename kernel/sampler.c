// SPDX-License-Identifier: GPL-2.0
/*
 * Flow sampling setting: parser and canonical text. Pure: the module
 * parameter, the sysctl and the host unit tests judge a value alike.
 */
#include "sampler.h"

#ifndef __KERNEL__
#include <stdio.h>
#endif

const char *netflow_sampler_mode_name(u8 mode)
{
	switch (mode) {
	case NETFLOW_SAMPLER_DETERMINISTIC:
		return "deterministic";
	case NETFLOW_SAMPLER_RANDOM:
		return "random";
	case NETFLOW_SAMPLER_HASH:
		return "hash";
	default:
		return "off";
	}
}

static bool smp_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

int netflow_sampler_parse(const char *text, struct netflow_sampler *out,
			  char *err, unsigned int errlen)
{
	size_t len = strnlen(text, NETFLOW_SAMPLER_TEXT_MAX);
	const char *s = text, *colon;
	u32 n = 0;
	u8 mode;
	char c;

	if (len >= NETFLOW_SAMPLER_TEXT_MAX) {
		snprintf(err, errlen, "longer than %d characters",
			 NETFLOW_SAMPLER_TEXT_MAX - 1);
		return -EINVAL;
	}
	while (len && smp_space(s[len - 1]))
		len--;
	while (len && smp_space(*s)) {
		s++;
		len--;
	}
	/* only the first character names the mode, as in ipt_NETFLOW */
	c = len ? s[0] : 'o';
	if (c >= 'A' && c <= 'Z')
		c += 'a' - 'A';
	switch (c) {
	case 'n':
	case 'o':
	case '0':
		out->mode = NETFLOW_SAMPLER_OFF;
		out->interval = 0;
		return 0;
	case 'd':
		mode = NETFLOW_SAMPLER_DETERMINISTIC;
		break;
	case 'r':
		mode = NETFLOW_SAMPLER_RANDOM;
		break;
	case 'h':
		mode = NETFLOW_SAMPLER_HASH;
		break;
	default:
		snprintf(err, errlen,
			 "'%.*s': unknown mode (deterministic, random, hash or off)",
			 (int)len, s);
		return -EINVAL;
	}
	colon = memchr(s, ':', len);
	if (!colon || colon + 1 == s + len) {
		snprintf(err, errlen, "'%.*s': no ':N' (mode:N)", (int)len, s);
		return -EINVAL;
	}
	for (colon++; colon < s + len; colon++) {
		if (*colon < '0' || *colon > '9' || n > NETFLOW_SAMPLER_MAX) {
			n = 0;
			break;
		}
		n = n * 10 + (*colon - '0');
	}
	if (n < NETFLOW_SAMPLER_MIN || n > NETFLOW_SAMPLER_MAX) {
		snprintf(err, errlen, "'%.*s': N must be %d..%d", (int)len, s,
			 NETFLOW_SAMPLER_MIN, NETFLOW_SAMPLER_MAX);
		return -EINVAL;
	}
	out->mode = mode;
	out->interval = n;
	return 0;
}

int netflow_sampler_format(const struct netflow_sampler *s, char *buf,
			   unsigned int len)
{
	int n;

	if (!len)
		return 0;
	if (s->mode == NETFLOW_SAMPLER_OFF) {
		buf[0] = '\0';
		return 0;
	}
	n = snprintf(buf, len, "%s:%u", netflow_sampler_mode_name(s->mode),
		     s->interval);
	return min(n, (int)len - 1);
}
