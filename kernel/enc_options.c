// SPDX-License-Identifier: GPL-2.0
/*
 * Options templates and records for v9 and IPFIX: exporter statistics
 * (scope: this exporter), interface names (scope: ifIndex), the sampler
 * and, IPFIX only, its statistics (scope: selectorId).
 */
#include "pure.h"
#include "record.h"
#include "encode.h"

static bool netflow_enc_has_options(const struct netflow_enc *e)
{
	return e->cfg.protocol == 9 || e->cfg.protocol == 10;
}

int netflow_enc_add_stats(struct netflow_enc *e,
			  const struct netflow_exporter_stats *s,
			  const struct netflow_clock *now)
{
	const struct netflow_tmpl *t;
	unsigned int i;
	u8 *p;

	if (!netflow_enc_has_options(e))
		return -EOPNOTSUPP;
	p = netflow_enc_reserve(e, NETFLOW_TMPL_STATS, now);
	if (!p)
		return -ENOSPC;
	t = netflow_enc_tmpl(e, NETFLOW_TMPL_STATS);
	for (i = 0; i < t->n; p += t->ie[i].len, i++) {
		u64 v;

		switch (t->ie[i].id) {
		case 40:
			v = s->exported_octets;
			break;
		case 41:
			v = s->exported_messages;
			break;
		case 42:
			v = s->exported_flows;
			break;
		case 164:
			v = s->ignored_packets;
			break;
		case 166:
			v = s->notsent_flows;
			break;
		case 167:
			v = s->notsent_packets;
			break;
		case 168:
			v = s->notsent_octets;
			break;
		default:	/* the scope: this exporter's domain */
			v = e->cfg.engine_id;
		}
		netflow_enc_put_uint(p, t->ie[i].len, v);
	}
	return 0;
}

int netflow_enc_add_ifname(struct netflow_enc *e, u32 ifindex,
			   const char *name, const struct netflow_clock *now)
{
	size_t n = strnlen(name, NETFLOW_IFNAME_LEN);
	u8 *p;

	if (!netflow_enc_has_options(e))
		return -EOPNOTSUPP;
	p = netflow_enc_reserve(e, NETFLOW_TMPL_IFNAME, now);
	if (!p)
		return -ENOSPC;
	/* layout fixed by the ifname tables above: ifIndex, then name */
	put_unaligned_be32(ifindex, p);
	memcpy(p + 4, name, n);
	memset(p + 4 + n, 0, NETFLOW_IFNAME_LEN - n);
	return 0;
}

int netflow_enc_add_sampler(struct netflow_enc *e,
			    const struct netflow_clock *now)
{
	u8 mode = e->cfg.sampler_mode;
	bool det = mode == NETFLOW_SAMPLER_DETERMINISTIC;
	unsigned int slot = det ? NETFLOW_TMPL_SAMPLER :
				  NETFLOW_TMPL_SAMPLER_RANDOM;
	const struct netflow_tmpl *t;
	unsigned int i;
	u8 *p;

	if (!netflow_enc_has_options(e) || !mode)
		return -EOPNOTSUPP;
	p = netflow_enc_reserve(e, slot, now);
	if (!p)
		return -ENOSPC;
	t = netflow_enc_tmpl(e, slot);
	for (i = 0; i < t->n; p += t->ie[i].len, i++) {
		u64 v;

		switch (t->ie[i].id) {
		case 48:	/* FLOW_SAMPLER_ID */
		case 302:	/* selectorId */
			v = mode;
			break;
		case 49:	/* FLOW_SAMPLER_MODE: hash shows as random */
			v = det ? 1 : 2;
			break;
		case 390:	/* flowSelectorAlgorithm */
			v = det ? 1 : 3;
			break;
		case 396:	/* samplingFlowInterval */
		case 309:	/* samplingSize */
			v = 1;
			break;
		case 50:	/* FLOW_SAMPLER_RANDOM_INTERVAL */
		case 397:	/* samplingFlowSpacing */
		case 310:	/* samplingPopulation */
			v = e->cfg.sampler_interval;
			break;
		default:	/* the scope: this exporter's domain */
			v = e->cfg.engine_id;
		}
		netflow_enc_put_uint(p, t->ie[i].len, v);
	}
	return 0;
}

int netflow_enc_add_sampler_stats(struct netflow_enc *e,
				  const struct netflow_sampler_stats *s,
				  const struct netflow_clock *now)
{
	const struct netflow_tmpl *t;
	unsigned int i;
	u8 *p;

	if (e->cfg.protocol != 10 || !e->cfg.sampler_mode)
		return -EOPNOTSUPP;
	p = netflow_enc_reserve(e, NETFLOW_TMPL_SAMPLER_STATS, now);
	if (!p)
		return -ENOSPC;
	t = netflow_enc_tmpl(e, NETFLOW_TMPL_SAMPLER_STATS);
	for (i = 0; i < t->n; p += t->ie[i].len, i++) {
		u64 v;

		switch (t->ie[i].id) {
		case 394:
			v = s->flows;
			break;
		case 395:
			v = s->flows_selected;
			break;
		case 318:
			v = s->packets;
			break;
		case 319:
			v = s->packets_selected;
			break;
		case 152:
			v = s->start_unix_ms;
			break;
		case 153:
			v = now->unix_ms;
			break;
		default:	/* the scope: 302 selectorId, the mode */
			v = e->cfg.sampler_mode;
		}
		netflow_enc_put_uint(p, t->ie[i].len, v);
	}
	return 0;
}
