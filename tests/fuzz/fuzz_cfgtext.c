// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the snmp-rules, sampler and aggregation parsers,
 * which judge root-supplied sysctl and parameter text in the kernel. Each
 * result must keep its header's promises; accepted values print back to a
 * text that parses to the same setting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snmprules.h"
#include "sampler.h"
#include "aggrrules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PROMISE(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "broken promise at %s:%d: %s\n", \
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

static void snmp_check(const char *text)
{
	static struct netflow_snmp_rules rs, back;
	char err[128], buf[NETFLOW_SNMP_TEXT_MAX];
	unsigned int i;
	u16 v;

	memset(err, 'x', sizeof(err));
	if (netflow_snmp_rules_parse(text, &rs, err, sizeof(err))) {
		PROMISE(memchr(err, '\0', sizeof(err)) != NULL);
		PROMISE(err[0] != '\0');
		return;
	}
	PROMISE(rs.n <= NETFLOW_SNMP_RULES_MAX);
	for (i = 0; i < rs.n; i++) {
		size_t l = strlen(rs.rule[i].prefix);

		PROMISE(l >= 1 && l <= NETFLOW_SNMP_PREFIX_MAX);
		PROMISE(!strpbrk(rs.rule[i].prefix, " \t\n:,/"));
	}
	/* the canonical text is never longer than what was accepted */
	netflow_snmp_rules_format(&rs, buf, sizeof(buf));
	PROMISE(strlen(buf) <= strlen(text));
	PROMISE(!netflow_snmp_rules_parse(buf, &back, err, sizeof(err)));
	PROMISE(back.n == rs.n);
	for (i = 0; i < rs.n; i++) {
		PROMISE(!strcmp(back.rule[i].prefix, rs.rule[i].prefix));
		PROMISE(back.rule[i].base == rs.rule[i].base);
	}
	/* the input as a device name: a match never wraps below its base */
	if (strlen(text) < 16 && netflow_snmp_map(&rs, text, &v))
		for (i = 0; i < rs.n; i++)
			if (!strncmp(text, rs.rule[i].prefix,
				     strlen(rs.rule[i].prefix))) {
				PROMISE(v >= rs.rule[i].base);
				break;
			}
}

static void sampler_check(const char *text)
{
	struct netflow_sampler s = { .mode = 0xee }, back;
	char err[128], buf[NETFLOW_SAMPLER_TEXT_MAX];

	memset(err, 'x', sizeof(err));
	if (netflow_sampler_parse(text, &s, err, sizeof(err))) {
		PROMISE(memchr(err, '\0', sizeof(err)) != NULL);
		PROMISE(err[0] != '\0');
		PROMISE(s.mode == 0xee);
		return;
	}
	PROMISE(s.mode <= NETFLOW_SAMPLER_HASH);
	PROMISE(s.mode ? s.interval >= NETFLOW_SAMPLER_MIN &&
			 s.interval <= NETFLOW_SAMPLER_MAX : !s.interval);
	netflow_sampler_format(&s, buf, sizeof(buf));
	PROMISE(!netflow_sampler_parse(buf, &back, err, sizeof(err)));
	PROMISE(back.mode == s.mode && back.interval == s.interval);
}

static void aggr_check(const char *text)
{
	static struct netflow_aggr_rules rs, back;
	char err[160], buf[NETFLOW_AGGR_CANON_MAX];
	struct netflow_aggr_hit hit;
	struct netflow_key k;
	unsigned int i;
	u16 masks;

	memset(err, 'x', sizeof(err));
	if (netflow_aggr_parse(text, &rs, err, sizeof(err))) {
		PROMISE(memchr(err, '\0', sizeof(err)) != NULL);
		PROMISE(err[0] != '\0');
		return;
	}
	PROMISE(rs.n_net <= NETFLOW_AGGR_NET_MAX);
	PROMISE(rs.n_port <= NETFLOW_AGGR_PORT_MAX);
	for (i = 0; i < rs.n_net; i++) {
		PROMISE(rs.net[i].match_len <= 32 && rs.net[i].strip_len <= 32);
		PROMISE((rs.net[i].net & rs.net[i].match) == rs.net[i].net);
	}
	for (i = 0; i < rs.n_port; i++)
		PROMISE(rs.port[i].lo <= rs.port[i].hi);
	/* the canonical text fits its buffer and parses back the same */
	PROMISE(netflow_aggr_format(&rs, buf, sizeof(buf)) <
		NETFLOW_AGGR_CANON_MAX - 1);
	PROMISE(!netflow_aggr_parse(buf, &back, err, sizeof(err)));
	PROMISE(!memcmp(&back, &rs, sizeof(rs)));
	/* the text's first bytes as a key: applying twice changes nothing */
	memset(&k, 0, sizeof(k));
	memcpy(&k, text, min(strlen(text), sizeof(k) - 4));
	k.family = 4;
	k.protocol = 17;
	masks = netflow_aggr_apply(&rs, &k, &hit);
	PROMISE((masks >> 8) == (hit.net_src >= 0 ?
				 rs.net[hit.net_src].match_len : 0));
	PROMISE((masks & 0xff) == (hit.net_dst >= 0 ?
				   rs.net[hit.net_dst].match_len : 0));
	if (hit.net_src >= 0)
		PROMISE((k.src.ip4 & ~rs.net[hit.net_src].strip) == 0);
	if (hit.port_src >= 0)
		PROMISE(ntohs(k.sport) == rs.port[hit.port_src].to);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;

	if (size > 1100)
		return 0;
	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	snmp_check(text);
	sampler_check(text);
	aggr_check(text);
	free(text);
	return 0;
}
