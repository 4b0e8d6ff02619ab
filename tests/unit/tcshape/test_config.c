// SPDX-License-Identifier: GPL-2.0
/*
 * Config parser and CBQ import: good input parses, every bad input is
 * refused with file:line, and the normalised writer round-trips.
 */
#include <sys/stat.h>

#include "apply.h"
#include "tshelp.h"

static void test_rates(void)
{
	uint64_t b = 0;
	char s[32];

	CHECK(!ts_parse_rate("1mbit", &b) && b == 1000000);
	CHECK(!ts_parse_rate("10Mbit", &b) && b == 10000000);
	CHECK(!ts_parse_rate("1.5mbit", &b) && b == 1500000);
	CHECK(!ts_parse_rate("10kbps", &b) && b == 80000);
	CHECK(!ts_parse_rate("1gibit", &b) && b == 1073741824ULL);
	CHECK(ts_parse_rate("10", &b));		/* bare = bytes in tc */
	CHECK(ts_parse_rate("mbit", &b));
	CHECK(ts_parse_rate("10mbitz", &b));
	CHECK(ts_parse_rate("-1mbit", &b));
	ts_rate_str(20000000, s, sizeof(s));
	CHECK(!strcmp(s, "20mbit"));
	ts_tc_rate_str(1234567, s, sizeof(s));
	CHECK(!strcmp(s, "1234Kbit"));	/* what tc prints */
	ts_tc_rate_str(1000000, s, sizeof(s));
	CHECK(!strcmp(s, "1Mbit"));
}

static void test_parse_ok(void)
{
	struct ts_config c;

	CHECK_EQ(th_load(&c, "ok.conf",
			 "r2q 20\nleaf fq_codel\n"
			 "iface eth1 rate 1gbit side lan ifb ifb0\n"
			 "iface eth0 rate 1gbit side wan  # uplink\n"
			 "tenant vps1 10.0.0.1,2001:db8::1 mark 0x10 "
			 "down 10mbit/20mbit up 5mbit prio 2\n"
			 "tenant vps2 - mark 7 up 1mbit\n"), 0);
	CHECK_EQ(c.nifc, 2);
	CHECK_EQ(c.nt, 2);
	CHECK_EQ(c.r2q, 20);
	CHECK(!strcmp(c.leaf, "fq_codel"));
	CHECK(!strcmp(c.ifc[0].ifb, "ifb0"));
	CHECK_EQ(c.ifc[1].egress, TS_UP);
	CHECK_EQ(c.t[0].naddr, 2);
	CHECK_EQ(c.t[0].mark, 0x10);
	CHECK_EQ(c.t[0].dir[TS_DOWN].ceil, 20000000);
	CHECK_EQ(c.t[0].dir[TS_UP].ceil, 5000000);
	CHECK_EQ(c.t[0].prio, 2);
	CHECK_EQ(c.t[1].naddr, 0);
	ts_config_free(&c);
}

static void bad(const char *text, const char *needle)
{
	struct ts_config c;

	CHECK(th_load(&c, "bad.conf", text) < 0);
	CHECK(th_err_has(needle));
	ts_config_free(&c);
}

static void test_errors(void)
{
	const char *ifc = "iface eth0 rate 100mbit\n";
	char buf[512];

	snprintf(buf, sizeof(buf), "%stenant a 10.0.0.1 down 1mbt\n", ifc);
	bad(buf, "bad.conf:2: error: malformed rate '1mbt'");
	snprintf(buf, sizeof(buf), "%stenant a 10.0.0.1 down 2mbit/1mbit\n",
		 ifc);
	bad(buf, "bad.conf:2: error: ceil 1mbit is below rate 2mbit");
	snprintf(buf, sizeof(buf), "%stenant a 10.0.0.1 down 1mbit\n"
		 "tenant b 10.0.0.2,10.0.0.1 down 1mbit\n", ifc);
	bad(buf, "bad.conf:3: error: address 10.0.0.1 of tenant b duplicates "
	    "10.0.0.1 of tenant a (bad.conf:2)");
	snprintf(buf, sizeof(buf), "%stenant a 10.0.0.0/24 down 1mbit\n"
		 "tenant b 10.0.0.9 down 1mbit\n", ifc);
	bad(buf, "overlaps 10.0.0.0/24 of tenant a (bad.conf:2)");
	snprintf(buf, sizeof(buf), "%stenant a 10.0.0.300 down 1mbit\n", ifc);
	bad(buf, "bad.conf:2: error: malformed address '10.0.0.300'");
	snprintf(buf, sizeof(buf), "%stenant a 10.0.0.1/24 down 1mbit\n", ifc);
	bad(buf, "host bits set");
	snprintf(buf, sizeof(buf), "%stenant a 10.0.0.1 down 1gbit\n", ifc);
	bad(buf, "bad.conf:2: error: down ceil 1gbit of a exceeds iface eth0");
	snprintf(buf, sizeof(buf), "%stenant a 10.0.0.1 speed 1mbit\n", ifc);
	bad(buf, "bad.conf:2: error: unknown tenant option 'speed'");
	snprintf(buf, sizeof(buf), "%sshape all\n", ifc);
	bad(buf, "bad.conf:2: error: unknown or incomplete line 'shape'");
	bad("iface eth0 rate fast\n", "bad.conf:1: error: malformed rate");
	bad("tenant a 10.0.0.1 down 1mbit\n", "no 'iface' line");
	snprintf(buf, sizeof(buf), "%stenant a 1.2.3.4 mark 5 down 1mbit\n"
		 "tenant b 1.2.3.5 mark 5 down 1mbit\n", ifc);
	bad(buf, "bad.conf:3: error: mark 0x5 of b already used by a");
}

/* An interface that does not exist is refused before any tc runs. */
static void test_unknown_iface(void)
{
	struct ts_config c;

	CHECK_EQ(th_load(&c, "dev.conf", "iface nosuchdev0 rate 1gbit\n"
			 "tenant a 10.0.0.1 down 1mbit\n"), 0);
	if (!freopen("stderr.tmp", "w", stderr))
		return;
	CHECK(ts_apply(&c, TS_PLAN, 0) < 0);
	fflush(stderr);
	CHECK(th_err_has("dev.conf:1: error: unknown interface nosuchdev0"));
	ts_config_free(&c);
}

static void test_roundtrip(void)
{
	struct ts_config c, d;
	char *a, *b;

	CHECK_EQ(th_load(&c, "rt.conf", "iface eth0 rate 1gbit ifb ifb9 "
			 "default 5mbit\ntenant x 10.1.0.0/16,::1 mark 9 "
			 "down 1500kbit/3mbit prio 0\n"), 0);
	th_write("rt.out", "");
	{
		FILE *f = fopen("rt.out", "w");

		ts_config_write(&c, f);
		fclose(f);
	}
	a = th_read("rt.out");
	CHECK_EQ(th_load(&d, "rt2.conf", a), 0);
	{
		FILE *f = fopen("rt.out", "w");

		ts_config_write(&d, f);
		fclose(f);
	}
	b = th_read("rt.out");
	CHECK(a && b && !strcmp(a, b));
	CHECK(a && strstr(a, "down 1500kbit/3mbit prio 0"));
	free(a);
	free(b);
	ts_config_free(&c);
	ts_config_free(&d);
}

static void test_cbq(void)
{
	struct ts_config c;
	char *s;
	int rc;

	mkdir("cbq.d", 0755);
	th_write("cbq.d/cbq-0002.web", "DEVICE=eth0,10Mbit,1Mbit\n"
		 "RATE=1Mbit\nWEIGHT=100Kbit\nPRIO=5\n"
		 "RULE=192.168.1.10\nRULE=192.168.1.11\n");
	th_write("cbq.d/cbq-0003.mail", "DEVICE=eth0\nRATE=2Mbit\n"
		 "WEIGHT=200Kbit\nPRIO=3\nBOUNDED=no\nISOLATED=yes\n"
		 "RULE=192.168.1.20\n");
	setenv("TCSHAPE_HAVE_CBQ", "0", 1);
	rc = th_load(&c, "cbq.conf", "cbq cbq.d\n");
	CHECK_EQ(rc, 0);
	CHECK_EQ(c.nt, 2);
	CHECK_EQ(c.cbq_classes, 2);
	CHECK_EQ(c.nifc, 1);
	if (c.nt == 2) {
		CHECK_EQ(c.t[0].dir[TS_DOWN].ceil, 1000000);
		CHECK_EQ(c.t[0].naddr, 2);
		CHECK_EQ(c.t[0].prio, 4);
		CHECK_EQ(c.t[1].dir[TS_DOWN].rate, 2000000);
		CHECK_EQ(c.t[1].dir[TS_DOWN].ceil, 10000000);
		CHECK_EQ(c.t[1].prio, 2);
	}
	s = th_read("stderr.tmp");
	/* exactly one warning line per class */
	CHECK(s && strstr(s, "cbq-0002.web: warning: no sch_cbq in this "
			  "kernel: class cbq-0002.web is HTB rate 1mbit ceil "
			  "1mbit prio 4, WEIGHT ignored\n"));
	CHECK(s && strstr(s, "class cbq-0003.mail is HTB rate 2mbit ceil "
			  "10mbit prio 2, WEIGHT ignored, ISOLATED ignored\n"));
	free(s);
	ts_config_free(&c);
	th_write("cbq.d/cbq-0004.bad", "DEVICE=eth0\nRATE=1Mbit\n"
		 "RULE=192.168.1.30:80\n");
	bad("cbq cbq.d\n", "cbq.d/cbq-0004.bad:3: error: RULE port matches");
	unlink("cbq.d/cbq-0004.bad");
	th_write("cbq.d/cbq-0005.bad", "DEVICE=eth0\nRATE=1Mbps0\n");
	bad("cbq cbq.d\n", "cbq.d/cbq-0005.bad:2: error: malformed RATE");
	unlink("cbq.d/cbq-0005.bad");
}

int main(void)
{
	char dir[] = "/tmp/tcshape-unit.XXXXXX";

	/* scratch files live in a private directory, removed by the caller */
	if (!mkdtemp(dir) || chdir(dir))
		return 2;
	RUN_TEST(test_rates);
	RUN_TEST(test_parse_ok);
	RUN_TEST(test_errors);
	RUN_TEST(test_unknown_iface);
	RUN_TEST(test_roundtrip);
	RUN_TEST(test_cbq);
	if (system("rm -rf /tmp/tcshape-unit.??????"))
		printf("  cannot remove scratch dir\n");
	return UNIT_EXIT();
}
