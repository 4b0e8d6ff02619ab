// SPDX-License-Identifier: GPL-2.0
/* sysctl net.netflow.*: live configuration. */
#include <linux/sysctl.h>
#include "netflow.h"

int netflow_sysctl_init(void)
{
	return 0;
}

void netflow_sysctl_exit(void)
{
}
