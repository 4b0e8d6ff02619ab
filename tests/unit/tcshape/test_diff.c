// SPDX-License-Identifier: GPL-2.0
/*
 * Diff logic on state captured from a real tc (fixtures/, applied from
 * fixtures/state.conf): re-applying changes nothing, one edit is one line,
 * and nothing ever tears down the root.
 */
#include "show.h"
#include "tshelp.h"

static void load_state(struct ts_objs *cur)
{
	char *q = th_read("fixtures/qdisc.json");
	char *c = th_read("fixtures/class.txt");
	char *f = th_read("fixtures/filter.json");
	char kind[16];
	int handle;

	memset(cur, 0, sizeof(*cur));
	CHECK(q && c && f);
	CHECK_EQ(ts_state_qdisc_json("lo", q, cur, kind, sizeof(kind),
				     &handle), 0);
	CHECK(!strcmp(kind, "htb"));
	CHECK_EQ(handle, 1);
	CHECK_EQ(ts_state_class_text("lo", c, cur), 0);
	CHECK_EQ(ts_state_filter_json("lo", f, 0, cur), 0);
	free(q);
	free(c);
	free(f);
}

/* Plans `edit` applied to fixtures/state.conf against the fixture state. */
static char *diff_with(const char *extra, const char *drop, size_t *n)
{
	char *base = th_read("fixtures/state.conf"), *p, *batch;
	struct ts_objs cur;
	struct ts_config c;

	/* drop: "|"-separated line starts to blank out */
	while (drop && *drop) {
		size_t k = strcspn(drop, "|");
		char *pat = strndup(drop, k);

		p = strstr(base, pat);
		if (p)
			memset(p, ' ', strcspn(p, "\n"));
		free(pat);
		drop += k + !!drop[k];
	}
	th_write("/tmp/tcshape-diff.conf", base);
	if (extra) {
		FILE *f = fopen("/tmp/tcshape-diff.conf", "a");

		fputs(extra, f);
		fclose(f);
	}
	ts_config_init(&c);
	CHECK_EQ(ts_config_load(&c, "/tmp/tcshape-diff.conf"), 0);
	CHECK_EQ(ts_config_check(&c), 0);
	load_state(&cur);
	batch = th_batch(&c, &cur, n);
	ts_objs_free(&cur);
	ts_config_free(&c);
	free(base);
	unlink("/tmp/tcshape-diff.conf");
	return batch;
}

static void test_reapply_is_empty(void)
{
	size_t n;
	char *b = diff_with(NULL, NULL, &n);

	CHECK_EQ(n, 0);
	if (n)
		printf("%s", b);
	free(b);
}

static void test_one_rate_one_line(void)
{
	size_t n;
	char *b = diff_with("tenant c 10.0.3.3 down 6mbit/10mbit\n",
			    "tenant c", &n);

	CHECK_EQ(n, 1);
	CHECK(!strcmp(b, "class change dev lo parent 1:1 classid 1:12 htb "
		      "rate 6mbit ceil 10mbit prio 3 quantum 75000\n"));
	free(b);
}

/* Tenant order in the file does not matter: ids come from tc's filters. */
static void test_reorder_is_empty(void)
{
	size_t n;
	char *b = diff_with("tenant a 10.0.0.1,10.0.1.0/24 down 1mbit "
			    "up 2mbit/4mbit prio 2\n", "tenant a", &n);

	CHECK_EQ(n, 0);
	free(b);
}

static void test_remove_tenant(void)
{
	size_t n;
	char *b = diff_with(NULL, "tenant b", &n);

	CHECK(strstr(b, "class del dev lo classid 1:11\n"));
	CHECK(strstr(b, "filter del dev lo parent 1: prio 10 protocol ip "
		      "handle 102::1 u32\n"));
	CHECK(!strstr(b, "qdisc del") && !strstr(b, "class add"));
	/* filters go first, the class last */
	CHECK(strstr(b, "class del") > strstr(b, "filter del"));
	free(b);
}

static void test_move_address(void)
{
	size_t n;
	char *b = diff_with("tenant c 10.0.3.3,10.0.0.2 down 5mbit/10mbit\n"
			    "tenant b 2001:db8::2,2001:db8:1::/64 down 2mbit\n",
			    "tenant b|tenant c", &n);

	/* the address moves in place: one atomic filter replace */
	CHECK(strstr(b, "filter replace dev lo parent 1: prio 10 protocol ip "
		      "handle 102:0:1 u32 ht 102:0: match ip dst 10.0.0.2/32 "
		      "flowid 1:12\n"));
	CHECK(!strstr(b, "del"));
	free(b);
	b = diff_with("tenant c 10.0.3.3 down 5mbit/10mbit\n",
		      "tenant c", &n);
	CHECK_EQ(n, 0);
	free(b);
}

static void test_add_tenant(void)
{
	size_t n;
	char *b = diff_with("tenant d 10.0.0.4 down 3mbit\n", NULL, &n);

	CHECK(strstr(b, "class add dev lo parent 1:1 classid 1:13 htb rate "
		      "3mbit"));
	CHECK(strstr(b, "match ip dst 10.0.0.4/32 flowid 1:13"));
	CHECK(!strstr(b, "del") && !strstr(b, "change"));
	free(b);
}

static void test_json(void)
{
	struct ts_objs o = { 0 };
	char kind[16];
	int h;

	CHECK(ts_state_qdisc_json("x", "[{\"kind\":\"noqueue\",\"handle\":"
				  "\"0:\",\"root\":true}]", &o, kind,
				  sizeof(kind), &h) == 0);
	CHECK(!strcmp(kind, "noqueue") && h == 0 && o.n == 0);
	CHECK(ts_state_qdisc_json("x", "[{\"kind\":", &o, kind, sizeof(kind),
				  &h) < 0);
	CHECK(ts_state_filter_json("x", "[{\"kind\":\"fw\",\"protocol\":"
				   "\"all\",\"pref\":5,\"options\":{\"fh\":"
				   "\"0x20\",\"classid\":\"1:11\"}}]", 0,
				   &o) == 0);
	CHECK(o.n == 1 && !strcmp(o.v[0].key, "x fw 0x20") &&
	      !strcmp(o.v[0].spec, "classid 1:11"));
	ts_objs_free(&o);
}

static void test_class_stats(void)
{
	uint64_t *b = calloc(0x10000, 8), *d = calloc(0x10000, 8);
	char *s = th_read("fixtures/class_stats.txt");

	CHECK(s && ts_class_stats(s, b, d) == 5);
	free(s);
	s = strdup("class htb 1:1a parent 1:1 leaf 1a: prio 3 rate 1Mbit\n"
		   " Sent 123456 bytes 99 pkt (dropped 7, overlimits 1 "
		   "requeues 0)\n");
	CHECK_EQ(ts_class_stats(s, b, d), 1);
	CHECK_EQ(b[0x1a], 123456);
	CHECK_EQ(d[0x1a], 7);
	free(s);
	free(b);
	free(d);
}

int main(void)
{
	RUN_TEST(test_reapply_is_empty);
	RUN_TEST(test_one_rate_one_line);
	RUN_TEST(test_reorder_is_empty);
	RUN_TEST(test_remove_tenant);
	RUN_TEST(test_move_address);
	RUN_TEST(test_add_tenant);
	RUN_TEST(test_json);
	RUN_TEST(test_class_stats);
	return UNIT_EXIT();
}
