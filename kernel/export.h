/* SPDX-License-Identifier: GPL-2.0 */
/* Export of finished flows to the collectors. */
#ifndef NETFLOW_EXPORT_H
#define NETFLOW_EXPORT_H

#include <linux/types.h>

/* True when some destination's protocol can carry IPv6 flows. */
bool netflow_export_can_ipv6(void);

#endif /* NETFLOW_EXPORT_H */
