// SPDX-License-Identifier: GPL-2.0
/*
 * iptables/ip6tables extension for the NETFLOW target (legacy and nft
 * backends). The target has no options, so there is nothing to parse.
 */
#include <stdio.h>
#include <xtables.h>
#include "xt_NETFLOW.h"

static void netflow_tg_help(void)
{
	printf("NETFLOW target takes no options: it meters every packet into\n"
	       "the ipt_NETFLOW flow table and lets it continue.\n"
	       "Collectors and timeouts: sysctl net.netflow.* or module parameters.\n");
}

static struct xtables_target netflow_tg_reg = {
	.family		= NFPROTO_UNSPEC,
	.name		= NETFLOW_TARGET_NAME,
	.version	= XTABLES_VERSION,
	.revision	= NETFLOW_TARGET_REV,
	.size		= XT_ALIGN(NETFLOW_TARGET_SIZE),
	.userspacesize	= XT_ALIGN(NETFLOW_TARGET_SIZE),
	.help		= netflow_tg_help,
};

static void __attribute__((constructor)) netflow_tg_ldr(void)
{
	xtables_register_target(&netflow_tg_reg);
}
