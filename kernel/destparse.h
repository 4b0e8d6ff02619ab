/* SPDX-License-Identifier: GPL-2.0 */
/* Parsing of the destination list (module parameter and sysctl). */
#ifndef NETFLOW_DESTPARSE_H
#define NETFLOW_DESTPARSE_H

#include "record.h"

#define NETFLOW_DEST_MAX	16
#define NETFLOW_DEST_PORT	2055
#define NETFLOW_IFNAMSIZ	16

/* One collector, as written by the user. */
struct netflow_dest_spec {
	union netflow_addr addr;
	union netflow_addr src;		/* bind source when has_src */
	char ifname[NETFLOW_IFNAMSIZ];	/* bind device (VRF) when set */
	u16 port;
	u8 family;			/* 4 or 6 */
	u8 has_src;
	u8 protocol;			/* 5, 9, 10; 0 = the global protocol */
};

/*
 * Parse "addr[:port][@src][%dev][/proto]" entries separated by ',', ';',
 * space or tab. Returns the number of distinct destinations, or -EINVAL
 * with @err naming the bad entry.
 */
int netflow_dest_parse(const char *text, struct netflow_dest_spec *out,
		       unsigned int max, char *err, unsigned int errlen);

/* Format one destination back as the user would write it. */
int netflow_dest_format(const struct netflow_dest_spec *d, char *buf,
			unsigned int len);

#endif /* NETFLOW_DESTPARSE_H */
