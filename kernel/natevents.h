/* SPDX-License-Identifier: GPL-2.0 */
/*
 * natevents: conntrack NAT events queued for the exporter (natevents.c).
 */
#ifndef NETFLOW_NATEVENTS_H
#define NETFLOW_NATEVENTS_H

#include <linux/list.h>
#include "record.h"

struct netflow_nat_queued {
	struct list_head list;
	struct netflow_nat_event ev;
};

/* Switch the conntrack notifiers on or off; netflow_cfg_mutex held. */
int netflow_natevents_set(bool on);
/* Move every queued event to @out (struct netflow_nat_queued). */
void netflow_natevents_take(struct list_head *out);
void netflow_natevents_free(struct list_head *events);
void netflow_natevents_counts(u64 *start, u64 *stop, u64 *dropped);
int netflow_natevents_init(void);
void netflow_natevents_exit(void);

#endif /* NETFLOW_NATEVENTS_H */
