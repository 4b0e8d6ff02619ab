/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flow sampling setting ("deterministic:N", "random:N", "hash:N"): parsed
 * and printed the same in the module and the host unit tests (pure).
 */
#ifndef NETFLOW_SAMPLER_H
#define NETFLOW_SAMPLER_H

#include "pure.h"

#define NETFLOW_SAMPLER_TEXT_MAX	128	/* ipt_NETFLOW's sysctl buffer */
#define NETFLOW_SAMPLER_MIN		2
#define NETFLOW_SAMPLER_MAX		16383	/* 14 bits: the v5 header field */

/* Values of FLOW_SAMPLER_ID (48) and selectorId (302), as ipt_NETFLOW. */
enum netflow_sampler_mode {
	NETFLOW_SAMPLER_OFF = 0,
	NETFLOW_SAMPLER_DETERMINISTIC = 1,
	NETFLOW_SAMPLER_RANDOM = 2,
	NETFLOW_SAMPLER_HASH = 3,
};

struct netflow_sampler {
	u8 mode;		/* enum netflow_sampler_mode */
	u16 interval;		/* one flow out of N; 0 when off */
};

/*
 * The mode is the first character (d, r, h, any case); "", or a value
 * starting with n, o or 0 ("none", "off", "0") is off. N: the decimal
 * digits after the first ':', 2..16383, nothing after them. 0 or -EINVAL
 * with @err saying why; @out is set only on success.
 */
int netflow_sampler_parse(const char *text, struct netflow_sampler *out,
			  char *err, unsigned int errlen);

/* "deterministic:N", "random:N", "hash:N" or "" (off); returns length. */
int netflow_sampler_format(const struct netflow_sampler *s, char *buf,
			   unsigned int len);

const char *netflow_sampler_mode_name(u8 mode);

#endif /* NETFLOW_SAMPLER_H */
