/* SPDX-License-Identifier: GPL-2.0 */
/* What the kernel target and the iptables extension both see. */
#ifndef XT_NETFLOW_H
#define XT_NETFLOW_H

#define NETFLOW_TARGET_NAME	"NETFLOW"
#define NETFLOW_TARGET_REV	0
/* The target takes no options: its rule data is empty. */
#define NETFLOW_TARGET_SIZE	0

#endif /* XT_NETFLOW_H */
