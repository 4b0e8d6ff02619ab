// SPDX-License-Identifier: GPL-2.0
/*
 * NAT event records (NEL): ipt_NETFLOW's 11-field NAT data template, the
 * same in v9 and IPFIX, and its IPv6 variant with the RFC 8158 elements.
 */
#include "pure.h"
#include "record.h"
#include "encode.h"

static void netflow_enc_put_nat(u8 *p, const struct netflow_tmpl *t,
				const struct netflow_nat_event *ev)
{
	unsigned int i;

	for (i = 0; i < t->n; p += t->ie[i].len, i++) {
		const union netflow_addr *a;
		u64 v;

		switch (t->ie[i].id) {
		case 8:
		case 27:
			a = &ev->pre_src;
			break;
		case 12:
		case 28:
			a = &ev->pre_dst;
			break;
		case 225:
		case 281:
			a = &ev->post_src;
			break;
		case 226:
		case 282:
			a = &ev->post_dst;
			break;
		default:
			a = NULL;
		}
		if (a) {
			memcpy(p, a->b, t->ie[i].len);
			continue;
		}
		switch (t->ie[i].id) {
		case 323:
			v = ev->unix_ms;
			break;
		case 7:
			v = ev->pre_sport;
			break;
		case 11:
			v = ev->pre_dport;
			break;
		case 227:
			v = ev->post_sport;
			break;
		case 228:
			v = ev->post_dport;
			break;
		case 4:
			v = ev->protocol;
			break;
		case 230:
			v = ev->event;
			break;
		default:
			v = 0;
		}
		netflow_enc_put_uint(p, t->ie[i].len, v);
	}
}

int netflow_enc_add_nat(struct netflow_enc *e,
			const struct netflow_nat_event *ev,
			const struct netflow_clock *now)
{
	unsigned int slot;
	u8 *p;

	if (ev->family != 4 && ev->family != 6)
		return -EAFNOSUPPORT;
	switch (e->cfg.protocol) {
	case 5:
		return netflow_enc_v5_add_nat(e, ev);
	case 9:
	case 10:
		break;
	default:
		return -EINVAL;
	}
	slot = ev->family == 4 ? NETFLOW_TMPL_NAT4 : NETFLOW_TMPL_NAT6;
	p = netflow_enc_reserve(e, slot, now);
	if (!p)
		return -ENOSPC;
	netflow_enc_put_nat(p, netflow_enc_tmpl(e, slot), ev);
	return 0;
}
