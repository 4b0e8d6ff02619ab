// SPDX-License-Identifier: GPL-2.0
/*
 * Planner against golden tc batches. TCSHAPE_UPDATE_GOLDEN=1 rewrites the
 * golden files; review their diff like code.
 */
#include "tshelp.h"

static void golden(const char *name)
{
	char conf[128], gold[128];
	struct ts_config c;
	struct ts_objs none = { 0 };
	char *got, *want;
	size_t n;

	snprintf(conf, sizeof(conf), "golden/%s.conf", name);
	snprintf(gold, sizeof(gold), "golden/%s.batch", name);
	ts_config_init(&c);
	CHECK_EQ(ts_config_load(&c, conf), 0);
	CHECK_EQ(ts_config_check(&c), 0);
	got = th_batch(&c, &none, &n);
	if (getenv("TCSHAPE_UPDATE_GOLDEN"))
		th_write(gold, got);
	want = th_read(gold);
	CHECK(want != NULL);
	if (want && strcmp(got, want)) {
		printf("  %s differs from the plan:\n%s", gold, got);
		CHECK(0);
	}
	free(got);
	free(want);
	ts_config_free(&c);
}

static void test_golden_basic(void)
{
	golden("basic");
}

static void test_golden_wan(void)
{
	golden("wan");
}

/* The same config planned twice (no state) gives the same batch. */
static void test_deterministic(void)
{
	struct ts_config c;
	struct ts_objs none = { 0 };
	char *a, *b;
	size_t n1, n2;

	ts_config_init(&c);
	CHECK_EQ(ts_config_load(&c, "golden/basic.conf"), 0);
	a = th_batch(&c, &none, &n1);
	b = th_batch(&c, &none, &n2);
	CHECK(!strcmp(a, b));
	CHECK_EQ(n1, n2);
	/* no root teardown and every class parented under 1:1 */
	CHECK(!strstr(a, "qdisc del"));
	CHECK(strstr(a, "qdisc add dev eth1 handle ffff: ingress"));
	CHECK(strstr(a, "action mirred egress redirect dev ifb0"));
	CHECK(strstr(a, "match ip src 192.168.1.10/32"));	/* ifb0: up */
	CHECK(strstr(a, "match ip dst 192.168.1.10/32"));	/* eth1: down */
	free(a);
	free(b);
	ts_config_free(&c);
}

int main(void)
{
	RUN_TEST(test_golden_basic);
	RUN_TEST(test_golden_wan);
	RUN_TEST(test_deterministic);
	return UNIT_EXIT();
}
