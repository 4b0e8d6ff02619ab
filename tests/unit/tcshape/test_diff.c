// SPDX-License-Identifier: GPL-2.0
/*
 * Diff logic on state captured from a real tc (fixtures/, applied from
 * fixtures/state.conf): re-applying changes nothing, one edit is one line,
 * and nothing ever tears down the root. fixtures/fw_* are fwmark tenants
 * next to a u32 one, as iproute2 6.1 prints them (fw_state.conf).
 */
#include "json.h"
#include "show.h"
#include "tshelp.h"

/* pfx: "" for the u32 fixtures of dev lo, "fw_" for those of dev g1 */
static void load_state(struct ts_objs *cur, const char *pfx, const char *dev)
{
	char *qp = ts_fmt("fixtures/%sqdisc.json", pfx);
	char *cp = ts_fmt("fixtures/%sclass.txt", pfx);
	char *fp = ts_fmt("fixtures/%sfilter.json", pfx);
	char *q = th_read(qp), *c = th_read(cp), *f = th_read(fp);
	char kind[16];
	int handle;

	memset(cur, 0, sizeof(*cur));
	CHECK(q && c && f);
	CHECK_EQ(ts_state_qdisc_json(dev, q, cur, kind, sizeof(kind),
				     &handle), 0);
	CHECK(!strcmp(kind, "htb"));
	CHECK_EQ(handle, 1);
	CHECK_EQ(ts_state_class_text(dev, c, cur), 0);
	CHECK_EQ(ts_state_filter_json(dev, f, 0, cur), 0);
	free(q);
	free(c);
	free(f);
	free(qp);
	free(cp);
	free(fp);
}

/* Plans `edit` applied to fixtures/PFXstate.conf against the PFX state. */
static char *diff_in(const char *pfx, const char *dev, const char *extra,
		     const char *drop, size_t *n)
{
	char *path = ts_fmt("fixtures/%sstate.conf", pfx);
	char *base = th_read(path), *p, *batch;
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
	load_state(&cur, pfx, dev);
	batch = th_batch(&c, &cur, n);
	ts_objs_free(&cur);
	ts_config_free(&c);
	free(base);
	free(path);
	unlink("/tmp/tcshape-diff.conf");
	return batch;
}

static char *diff_with(const char *extra, const char *drop, size_t *n)
{
	return diff_in("", "lo", extra, drop, n);
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
	ts_objs_free(&o);
}

/* fw options as iproute2 6.8 and later print them (f_fw.c json fix). */
static void test_fw_json(void)
{
	struct ts_objs o = { 0 };

	CHECK(ts_state_filter_json("x", "[{\"protocol\":\"all\",\"pref\":5,"
				   "\"kind\":\"fw\",\"chain\":0,\"options\":"
				   "{\"fw\":{\"mark\":\"0x20\",\"mask\":"
				   "\"0xffffffff\"},\"classid\":\"1:11\"}},"
				   "{\"protocol\":\"all\",\"pref\":5,\"kind\":"
				   "\"fw\",\"chain\":0,\"options\":{\"fw\":"
				   "{\"mark\":\"0x30\",\"mask\":\"0xff\"},"
				   "\"classid\":\"1:12\"}}]", 0, &o) == 0);
	CHECK_EQ(o.n, 2);
	if (o.n == 2) {
		CHECK(!strcmp(o.v[0].key, "x fw 0x20"));
		CHECK(!strcmp(o.v[0].spec, "classid 1:11"));
		CHECK(!strcmp(o.v[0].del, "filter del dev x parent 1: prio 5 "
			      "protocol all handle 0x20 fw"));
		/* not what tcshape makes: the spec says so */
		CHECK(!strcmp(o.v[1].spec, "classid 1:12 mask 0xff"));
	}
	ts_objs_free(&o);
}

/*
 * iproute2 6.1 prints fw options with fprintf even under -j:
 * "options":{handle 0x10 classid 1:10 }. Captured from the VM.
 */
static void test_fw_json_6_1(void)
{
	char *f = th_read("fixtures/fw_filter.json");
	struct ts_objs o = { 0 };
	const struct ts_obj *x;
	size_t i, nfw = 0, nent = 0;

	CHECK(f && ts_state_filter_json("g1", f, 0, &o) == 0);
	for (i = 0; i < o.n; i++) {
		nfw += o.v[i].phase == TS_P_FW;
		nent += o.v[i].phase == TS_P_ENT;
	}
	CHECK_EQ(nfw, 3);
	CHECK_EQ(nent, 1);
	x = ts_objs_find(&o, "g1 fw 0x10");
	CHECK(x && !strcmp(x->spec, "classid 1:10") && x->id == 0x10);
	x = ts_objs_find(&o, "g1 fw 0x30");
	CHECK(x && !strcmp(x->spec, "classid 1:12"));
	ts_objs_free(&o);
	free(f);

	CHECK(ts_state_filter_json("x", "[{\"kind\":\"fw\",\"protocol\":"
				   "\"all\",\"pref\":5,\"options\":{handle "
				   "0x7/0xff classid 1:2a }}]", 0, &o) == 0);
	CHECK(o.n == 1 && !strcmp(o.v[0].key, "x fw 0x7") &&
	      !strcmp(o.v[0].spec, "classid 1:2a mask 0xff"));
	ts_objs_free(&o);
}

/* Plain text inside an object: kept as "text", a member may follow it. */
static void test_json_bare_text(void)
{
	struct ts_json *j;

	j = ts_json_parse("{handle 0x10 classid 1:10 \n\"actions\":[1],"
			  "\"b\":\"c\"}");
	CHECK(j && ts_json_str(j, "text") &&
	      !strcmp(ts_json_str(j, "text"), "handle 0x10 classid 1:10"));
	CHECK(j && ts_json_get(j, "actions") && ts_json_str(j, "b") &&
	      !strcmp(ts_json_str(j, "b"), "c"));
	ts_json_free(j);
	CHECK(!ts_json_parse("{handle 0x10"));
	CHECK(!ts_json_parse("{handle [1]}"));
	CHECK(!ts_json_parse("[handle]"));
	CHECK(!ts_json_parse("{ }x"));
}

static void test_fw_reapply_is_empty(void)
{
	size_t n;
	char *b = diff_in("fw_", "g1", NULL, NULL, &n);

	CHECK_EQ(n, 0);
	if (n)
		printf("%s", b);
	free(b);
}

/* A marked tenant keeps its class: the id comes from its fw filter. */
static void test_fw_edit_one_line(void)
{
	size_t n;
	char *b = diff_in("fw_", "g1", "tenant m3 - mark 0x20 down 2mbit\n",
			  "tenant m3", &n);

	CHECK_EQ(n, 1);
	CHECK(!strcmp(b, "class change dev g1 parent 1:1 classid 1:11 htb "
		      "rate 2mbit ceil 2mbit prio 3 quantum 25000\n"));
	free(b);
	b = diff_in("fw_", "g1", "tenant m1 - mark 0x10 down 1mbit up 1mbit\n",
		    "tenant m1", &n);
	CHECK_EQ(n, 0);
	free(b);
}

static void test_fw_remove_mark(void)
{
	size_t n;
	char *b = diff_in("fw_", "g1", "tenant u3 10.0.0.13 down 5mbit\n",
			  "tenant u3", &n);

	/* the address keeps the class, only the fw filter goes */
	CHECK_EQ(n, 1);
	CHECK(!strcmp(b, "filter del dev g1 parent 1: prio 5 protocol all "
		      "handle 0x30 fw\n"));
	free(b);
}

/* The IFB redirect on x0's ingress, captured from the VM. */
static void test_ingress_json(void)
{
	char *f = th_read("fixtures/ingress.json");
	struct ts_objs o = { 0 };

	CHECK(f && ts_state_filter_json("x0", f, 1, &o) == 0);
	CHECK(o.n == 1 && o.v[0].phase == TS_P_REDIR &&
	      !strcmp(o.v[0].key, "x0 redirect") &&
	      !strcmp(o.v[0].spec, "mirred ifb0"));
	ts_objs_free(&o);
	free(f);
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
	/* as make demo saw it: class 69 dropped, its sfq leaf 72 */
	s = strdup("qdisc htb 1: root refcnt 3 r2q 10 default 0x2\n"
		   " Sent 1510902 bytes 1014 pkt (dropped 72, overlimits 1997 "
		   "requeues 0)\n"
		   "qdisc sfq 1a: parent 1:1a limit 127p quantum 1514b\n"
		   " Sent 1510762 bytes 1012 pkt (dropped 72, overlimits 0 "
		   "requeues 0)\n"
		   "qdisc sfq 2: parent 1:2 limit 127p quantum 1514b\n"
		   " Sent 140 bytes 2 pkt (dropped 0, overlimits 0 "
		   "requeues 0)\n");
	d[0x1a] = 69;
	CHECK_EQ(ts_leaf_drops(s, d), 2);
	CHECK_EQ(d[0x1a], 72);
	CHECK_EQ(d[1], 0);
	CHECK_EQ(d[2], 0);
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
	RUN_TEST(test_fw_json);
	RUN_TEST(test_fw_json_6_1);
	RUN_TEST(test_json_bare_text);
	RUN_TEST(test_fw_reapply_is_empty);
	RUN_TEST(test_fw_edit_one_line);
	RUN_TEST(test_fw_remove_mark);
	RUN_TEST(test_ingress_json);
	RUN_TEST(test_class_stats);
	return UNIT_EXIT();
}
