// SPDX-License-Identifier: GPL-2.0
/*
 * u32 hash layout for 5,000 tenants (IPv4 and IPv6): every address lands
 * in the bucket the kernel's u32 hash will look in, buckets stay short,
 * table ids stay in range, and planning takes well under a second.
 */
#include <time.h>

#include "tshelp.h"

#define N 5000

/* u32's hash: ntohl(key & hmask) >> fshift, masked by the divisor. */
static unsigned int khash(const uint8_t *word, uint32_t hmask)
{
	uint32_t v = (uint32_t)word[0] << 24 | word[1] << 16 | word[2] << 8 |
		     word[3];
	unsigned int shift = __builtin_ctz(hmask);

	return ((v & hmask) >> shift) & 0xff;
}

static void make_config(struct ts_config *c)
{
	FILE *f = fopen("/tmp/tcshape-u32.conf", "w");
	int i;

	fprintf(f, "leaf pfifo\niface eth0 rate 10gbit ifb ifb0\n");
	for (i = 0; i < N; i++) {
		/* 4,000 packed hosts plus 1,000 scattered ones */
		if (i < 4000)
			fprintf(f, "tenant t%d 10.1.%d.%d,2001:db8::1:%x",
				i, i / 256, i % 256, i);
		else	/* odd multiplier: a bijection on 172.16.0.0/12 */
			fprintf(f, "tenant t%d 172.%u.%u.%u,2001:db8:0:%x::/64",
				i, 16 + (i * 40503u % 0x100000) / 65536,
				(i * 40503u / 256) % 256, (i * 40503u) % 256,
				i);
		fprintf(f, " down %dkbit up 1mbit\n", 100 + i % 1000);
	}
	fclose(f);
	ts_config_init(c);
	CHECK_EQ(ts_config_load(c, "/tmp/tcshape-u32.conf"), 0);
	CHECK_EQ(ts_config_check(c), 0);
	unlink("/tmp/tcshape-u32.conf");
}

static void test_layout_5000(void)
{
	static uint16_t count[0x800][256];
	struct ts_config c;
	struct ts_objs want = { 0 };
	uint16_t *minor = calloc(2 * N, sizeof(*minor));
	unsigned int max = 0, tables = 0;
	size_t i, j;
	struct timespec t0, t1;
	double ms;

	make_config(&c);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_EQ(ts_plan(&c, NULL, &want, minor), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	printf("  planned %zu objects for %d tenants in %.0f ms\n", want.n, N,
	       ms);
	CHECK(ms < 2000);
	ts_objs_sort(&want);
	for (i = 0; i < c.nt; i++) {
		for (j = 0; j < c.t[i].naddr; j++) {
			const struct ts_addr *a = &c.t[i].addr[j];
			struct ts_u32pos p;
			const uint8_t *w;
			char *mk, *key;
			const struct ts_obj *o;
			char flow[32];

			ts_u32_pos(a, &p);
			CHECK(ts_u32_hashed(p.group));
			w = a->a + (p.group == TS_G4 ? 0 :
				    p.group == TS_G6 ? 12 : 4);
			/* level 1 on the low byte, level 2 on the next */
			CHECK_EQ(p.l1bucket, khash(w, 0x000000ff));
			CHECK_EQ(p.bucket, khash(w, 0x0000ff00));
			CHECK(p.htid > 0 && p.htid < 0x800);
			count[p.htid][p.bucket]++;
			mk = ts_u32_matchkey(a, TS_DOWN);
			key = ts_fmt("eth0 ent %x:%x %s", p.htid, p.bucket, mk);
			o = ts_objs_find(&want, key);
			CHECK(o != NULL);
			snprintf(flow, sizeof(flow), "flowid 1:%x", minor[i]);
			CHECK(o && !strcmp(o->spec, flow));
			if (o && strcmp(o->spec, flow) && !j)
				printf("  %s: %s, want %s\n", key, o->spec,
				       flow);
			free(mk);
			free(key);
		}
	}
	for (i = 0; i < 0x800; i++)
		for (j = 0; j < 256; j++)
			if (count[i][j] > max)
				max = count[i][j];
	for (i = 0; i < want.n; i++)
		if (want.v[i].phase == TS_P_HT && !strncmp(want.v[i].key,
							   "eth0 ", 5))
			tables++;
	printf("  longest bucket %u entries, %u hash tables per device\n",
	       max, tables);
	CHECK(max <= 8);
	CHECK(tables <= 3 * 257 + 2);
	/* class ids distinct and in range */
	for (i = 0; i < c.nt; i++)
		CHECK(minor[i] >= TS_MINOR_FIRST && minor[i] <= TS_MINOR_LAST);
	ts_objs_free(&want);
	ts_config_free(&c);
	free(minor);
}

static void test_bucket_full(void)
{
	FILE *f = fopen("/tmp/tcshape-u32b.conf", "w");
	struct ts_config c;
	struct ts_objs want = { 0 };
	int i;

	/* same last two bytes everywhere: one bucket, past 4095 nodes */
	fprintf(f, "leaf pfifo\niface eth0 rate 10gbit\n");
	for (i = 0; i < 4100; i++)
		fprintf(f, "tenant t%d %d.%d.0.1 down 1mbit\n", i,
			i / 256 + 1, i % 256);
	fclose(f);
	ts_config_init(&c);
	CHECK_EQ(ts_config_load(&c, "/tmp/tcshape-u32b.conf"), 0);
	if (!freopen("/tmp/tcshape-u32b.err", "w", stderr))
		return;
	CHECK(ts_plan(&c, NULL, &want, NULL) < 0);
	fflush(stderr);
	{
		char *s = th_read("/tmp/tcshape-u32b.err");

		CHECK(s && strstr(s, "u32 bucket 101:0 on eth0 is full"));
		free(s);
	}
	unlink("/tmp/tcshape-u32b.conf");
	unlink("/tmp/tcshape-u32b.err");
	ts_objs_free(&want);
	ts_config_free(&c);
}

int main(void)
{
	RUN_TEST(test_layout_5000);
	RUN_TEST(test_bucket_full);
	return UNIT_EXIT();
}
