// SPDX-License-Identifier: GPL-2.0
/* The sampler setting as the parameter and the sysctl parse it. */
#include <stdio.h>
#include "sampler.h"
#include "unit.h"

static struct netflow_sampler smp;
static char err[128];

static const char *canon(const char *s)
{
	static char buf[NETFLOW_SAMPLER_TEXT_MAX];

	smp.mode = 99;
	if (netflow_sampler_parse(s, &smp, err, sizeof(err)))
		return "EINVAL";
	netflow_sampler_format(&smp, buf, sizeof(buf));
	return buf;
}

static void test_sampler_good(void)
{
	CHECK(!strcmp(canon("deterministic:100"), "deterministic:100"));
	CHECK_EQ(smp.mode, NETFLOW_SAMPLER_DETERMINISTIC);
	CHECK_EQ(smp.interval, 100);
	CHECK(!strcmp(canon("random:1000"), "random:1000"));
	CHECK_EQ(smp.mode, NETFLOW_SAMPLER_RANDOM);
	CHECK(!strcmp(canon("r:50"), "random:50"));
	CHECK(!strcmp(canon("D:2"), "deterministic:2"));
	CHECK(!strcmp(canon("Hash:16383"), "hash:16383"));
	CHECK_EQ(smp.mode, NETFLOW_SAMPLER_HASH);
	CHECK(!strcmp(canon(" random:7\n"), "random:7"));
	CHECK(!strcmp(canon("random:007"), "random:7"));
}

static void test_sampler_off(void)
{
	const char *off[] = { "", "0", "none", "off", "Off", "n", "0:5", "\n" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(off); i++) {
		CHECK(!strcmp(canon(off[i]), ""));
		CHECK_EQ(smp.mode, NETFLOW_SAMPLER_OFF);
		CHECK_EQ(smp.interval, 0);
	}
}

static void test_sampler_bad(void)
{
	const char *bad[] = {
		"deterministic", "deterministic:", "deterministic:1",
		"deterministic:16384", "random:0", "random:-5", "random:5x",
		"random:5 6", "x:10", "1:10", "random:99999999999999999999",
		"random: 5", ":5",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		err[0] = '\0';
		if (strcmp(canon(bad[i]), "EINVAL"))
			printf("  accepted: '%s'\n", bad[i]);
		CHECK(err[0]);
		CHECK_EQ(smp.mode, 99);	/* untouched */
	}
}

int main(void)
{
	RUN_TEST(test_sampler_good);
	RUN_TEST(test_sampler_off);
	RUN_TEST(test_sampler_bad);
	return UNIT_EXIT();
}
