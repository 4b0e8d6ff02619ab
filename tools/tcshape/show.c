// SPDX-License-Identifier: GPL-2.0
/*
 * `tcshape show`: configured rate/ceil next to the measured rate of each
 * tenant's class. HTB's own rate estimator is off by default (htb_rate_est),
 * so the rate is measured here from two byte-counter samples.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plan.h"
#include "show.h"

/*
 * The minor of the HTB class a `tc -s` header line belongs to, 0 if none:
 * "class htb 1:MINOR ..." or, for a leaf, "qdisc KIND H: parent 1:MINOR".
 */
static unsigned int header_minor(const char *line, int leaf)
{
	const char *p = line;

	if (!leaf)
		return strncmp(p, "class htb 1:", 12) ? 0 :
			(unsigned int)strtoul(p + 12, NULL, 16) & 0xffff;
	if (strncmp(p, "qdisc ", 6))
		return 0;
	p += 6;				/* past KIND and HANDLE */
	p += strcspn(p, " \n");
	p += strspn(p, " ");
	p += strcspn(p, " \n");
	return strncmp(p, " parent 1:", 10) ? 0 :
		(unsigned int)strtoul(p + 10, NULL, 16) & 0xffff;
}

/*
 * Walks `tc -s class show` (leaf 0: sets bytes and drops) or `tc -s qdisc
 * show` text (leaf 1: raises drops to the leaf's count; bytes unused).
 * The leaf counts every packet it drops; the class only those the leaf
 * reports as dropped on enqueue, and sfq, dropping another flow's packet
 * for room, reports congestion instead.
 */
static int stats_walk(const char *text, int leaf, uint64_t *bytes,
		      uint64_t *drops)
{
	const char *p = text;
	unsigned int minor = 0, m;
	int n = 0;

	while (p && *p) {
		unsigned long long b, d;

		m = header_minor(p, leaf);
		if (m || !strncmp(p, leaf ? "qdisc " : "class ", 6)) {
			minor = m;
		} else if (minor && sscanf(p, " Sent %llu bytes %*u pkt "
					   "(dropped %llu", &b, &d) == 2) {
			if (!leaf)
				bytes[minor] = b;
			if (!leaf || d > drops[minor])
				drops[minor] = d;
			minor = 0;
			n++;
		}
		p = strchr(p, '\n');
		p += !!p;
	}
	return n;
}

/* Fills bytes/drops[minor] from `tc -s class show` text. */
int ts_class_stats(const char *text, uint64_t *bytes, uint64_t *drops)
{
	return stats_walk(text, 0, bytes, drops);
}

/* Raises drops[minor] to the count of the leaf qdisc under 1:minor. */
int ts_leaf_drops(const char *text, uint64_t *drops)
{
	return stats_walk(text, 1, NULL, drops);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * *when is the middle of the tc call: starting tc can take longer than
 * the interval on a slow (emulated) machine, so the wall clock around
 * all samples would understate the rate.
 */
static int sample(const char *dev, uint64_t *bytes, uint64_t *drops,
		  double *when)
{
	char *argv[] = { (char *)ts_tc_path(), "-s", "class", "show", "dev",
			 (char *)dev, NULL };
	double t = now();
	char *out = ts_run_capture(argv);
	int n;

	*when = (t + now()) / 2;
	if (!out)
		return -1;
	n = ts_class_stats(out, bytes, drops);
	free(out);
	argv[2] = "qdisc";
	out = ts_run_capture(argv);
	if (out)
		ts_leaf_drops(out, drops);
	free(out);
	return n;
}

static void row(const char *dev, enum ts_dir d, const char *name,
		unsigned int minor, uint64_t rate, uint64_t ceil,
		double bps, uint64_t bytes, uint64_t drops)
{
	char r[32], c[32], m[32];

	ts_rate_str(rate, r, sizeof(r));
	ts_rate_str(ceil, c, sizeof(c));
	snprintf(m, sizeof(m), "%.3fmbit", bps / 1e6);
	printf("%-10s %-4s %-20s 1:%-5x %10s %10s %12s %14llu %8llu\n", dev,
	       d == TS_DOWN ? "down" : "up", name, minor, r, c, m,
	       (unsigned long long)bytes, (unsigned long long)drops);
}

int ts_show(const struct ts_config *c, double interval)
{
	struct ts_tree *tr = ts_xalloc(2 * c->nifc * sizeof(*tr));
	size_t nt = ts_plan_trees(c, tr), i, k;
	uint16_t *minors = ts_xalloc((c->nt + 1) * nt * sizeof(*minors));
	/* per tree: bytes before, after, drops; all trees sampled together */
	uint64_t *b0 = ts_xalloc(nt * 0x10000 * sizeof(*b0));
	uint64_t *b1 = ts_xalloc(nt * 0x10000 * sizeof(*b1));
	uint64_t *dr = ts_xalloc(nt * 0x10000 * sizeof(*dr));
	double *t0 = ts_xalloc(2 * nt * sizeof(*t0)), *t1 = t0 + nt;
	struct ts_objs cur = { 0 }, want = { 0 };
	char kind[32];
	int rc = 0, handle;

	for (i = 0; i < nt; i++)
		ts_state_read(tr[i].dev, &cur, kind, sizeof(kind), &handle);
	ts_objs_sort(&cur);
	if (ts_plan(c, &cur, &want, minors)) {
		rc = -1;
		goto out;
	}
	printf("%-10s %-4s %-20s %-7s %10s %10s %12s %14s %8s\n", "DEV", "DIR",
	       "TENANT", "CLASS", "RATE", "CEIL", "MEASURED", "BYTES",
	       "DROPS");
	for (i = 0; i < nt; i++)
		if (sample(tr[i].dev, b0 + i * 0x10000, dr + i * 0x10000,
			   &t0[i]) <= 0) {
			ts_err(tr[i].ifc->file, tr[i].ifc->line, "no tcshape "
			       "classes on %s (not applied?)", tr[i].dev);
			rc = -1;
		}
	if (interval > 0) {
		struct timespec ts = { (time_t)interval,
			(long)((interval - (time_t)interval) * 1e9) };

		nanosleep(&ts, NULL);
	}
	for (i = 0; i < nt; i++)
		sample(tr[i].dev, b1 + i * 0x10000, dr + i * 0x10000, &t1[i]);
	for (i = 0; i < nt; i++) {
		double dt = t1[i] > t0[i] ? t1[i] - t0[i] : 1;
		const struct ts_iface *f = tr[i].ifc;
		const uint64_t *x0 = b0 + i * 0x10000, *x1 = b1 + i * 0x10000;
		const uint64_t *xd = dr + i * 0x10000;
		int d = tr[i].dir;

		for (k = 0; k < c->nt; k++) {
			const struct ts_tenant *t = &c->t[k];
			unsigned int m = minors[i * c->nt + k];

			if (m)
				row(tr[i].dev, d, t->name, m, t->dir[d].rate,
				    t->dir[d].ceil,
				    (x1[m] - x0[m]) * 8.0 / dt, x1[m], xd[m]);
		}
		row(tr[i].dev, d, "(default)", 2, ts_plan_default_rate(f),
		    f->rate,
		    (x1[2] - x0[2]) * 8.0 / dt, x1[2], xd[2]);
	}
out:
	ts_objs_free(&cur);
	ts_objs_free(&want);
	free(b0);
	free(b1);
	free(dr);
	free(minors);
	free(t0);
	free(tr);
	return rc;
}
