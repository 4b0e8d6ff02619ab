// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the snmp-rules and sampler parsers, which judge
 * root-supplied sysctl and parameter text in the kernel. Each result must
 * keep its header's promises; accepted values print back to a text that
 * parses to the same setting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snmprules.h"
#include "sampler.h"

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;

	if (size > 1024)
		return 0;
	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	snmp_check(text);
	sampler_check(text);
	free(text);
	return 0;
}
