// SPDX-License-Identifier: GPL-2.0
/*
 * Import of cbq.init-style class files (KEY=VALUE: DEVICE, RATE, WEIGHT,
 * PRIO, RULE, BOUNDED, ISOLATED, MARK, LEAF). sch_cbq left the kernel in
 * Linux 6.3, so each class becomes an HTB tenant: RATE is the guaranteed
 * rate, BOUNDED=yes (the default) caps ceil at RATE, BOUNDED=no lets the
 * class borrow up to the device bandwidth. WEIGHT and ISOLATED have no HTB
 * counterpart (HTB's quantum follows the rate; guarantees are always kept).
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "tcshape.h"

int ts_kernel_has_cbq(void)
{
	static const char *const ext[] = { "", ".xz", ".zst", ".gz" };
	const char *env = getenv("TCSHAPE_HAVE_CBQ");
	struct utsname u;
	size_t i;
	int yes = 0;

	if (env && *env)
		return atoi(env);
	if (access("/sys/module/sch_cbq", F_OK) == 0)
		return 1;
	if (uname(&u))
		return 0;
	for (i = 0; !yes && i < sizeof(ext) / sizeof(ext[0]); i++) {
		char *p = ts_fmt("/lib/modules/%s/kernel/net/sched/"
				 "sch_cbq.ko%s", u.release, ext[i]);

		yes = access(p, F_OK) == 0;
		free(p);
	}
	return yes;
}

struct cbq_class {
	char dev[TS_DEV_MAX];
	uint64_t bandwidth, rate;
	int prio, bounded, isolated, weight, dir;	/* dir: -1 none */
	uint32_t mark;
};

static int yesno(const char *v, int *out)
{
	if (!strcasecmp(v, "yes") || !strcasecmp(v, "y") || !strcmp(v, "1"))
		*out = 1;
	else if (!strcasecmp(v, "no") || !strcasecmp(v, "n") ||
		 !strcmp(v, "0"))
		*out = 0;
	else
		return -1;
	return 0;
}

/* RULE=[[saddr[/len]][:port[/mask]],][daddr[/len]][:port[/mask]] */
static int parse_rule(char *v, struct ts_tenant *t, struct cbq_class *k,
		      const char *f, int ln)
{
	char *comma = strchr(v, ','), *addr = comma ? v : v;
	struct ts_addr a;
	int dir = TS_DOWN, r;

	if (comma) {
		*comma = '\0';
		if (comma[1]) {
			ts_err(f, ln, "RULE with both source and destination "
			       "is not supported; use one RULE each");
			return -1;
		}
		dir = TS_UP;
	}
	if (strchr(addr, ':') && strchr(addr, '.')) {
		ts_err(f, ln, "RULE port matches are not supported (%s)", v);
		return -1;
	}
	r = ts_parse_addr(addr, &a);
	if (r) {
		ts_err(f, ln, "bad RULE address '%s'%s", addr,
		       r == -2 ? ": host bits set" : "");
		return -1;
	}
	if (k->dir >= 0 && k->dir != dir) {
		ts_err(f, ln, "class mixes source and destination RULEs; "
		       "HTB shapes one direction per device");
		return -1;
	}
	k->dir = dir;
	t->addr = ts_xrealloc(t->addr, (t->naddr + 1) * sizeof(a));
	t->addr[t->naddr++] = a;
	return 0;
}

static int parse_kv(char *key, char *v, struct ts_tenant *t,
		    struct cbq_class *k, const char *f, int ln)
{
	uint32_t x;

	if (!strcmp(key, "DEVICE")) {
		char *bw = strchr(v, ','), *w;

		if (bw)
			*bw++ = '\0';
		w = bw ? strchr(bw, ',') : NULL;
		if (w)
			*w = '\0';
		if (!*v || strlen(v) >= TS_DEV_MAX) {
			ts_err(f, ln, "bad DEVICE '%s'", v);
			return -1;
		}
		strcpy(k->dev, v);
		if (bw && ts_parse_rate(bw, &k->bandwidth)) {
			ts_err(f, ln, "malformed DEVICE bandwidth '%s'", bw);
			return -1;
		}
	} else if (!strcmp(key, "RATE")) {
		if (ts_parse_rate(v, &k->rate)) {
			ts_err(f, ln, "malformed RATE '%s'", v);
			return -1;
		}
	} else if (!strcmp(key, "WEIGHT")) {
		uint64_t w;

		if (ts_parse_rate(v, &w)) {
			ts_err(f, ln, "malformed WEIGHT '%s'", v);
			return -1;
		}
		k->weight = 1;
	} else if (!strcmp(key, "PRIO")) {
		if (ts_parse_u32(v, &x) || x < 1 || x > 8) {
			ts_err(f, ln, "bad PRIO '%s' (1..8)", v);
			return -1;
		}
		k->prio = (int)x - 1;
	} else if (!strcmp(key, "BOUNDED") || !strcmp(key, "ISOLATED")) {
		if (yesno(v, key[0] == 'B' ? &k->bounded : &k->isolated)) {
			ts_err(f, ln, "%s must be yes or no", key);
			return -1;
		}
	} else if (!strcmp(key, "MARK")) {
		if (ts_parse_u32(v, &k->mark) || !k->mark) {
			ts_err(f, ln, "bad MARK '%s'", v);
			return -1;
		}
	} else if (!strcmp(key, "RULE")) {
		return parse_rule(v, t, k, f, ln);
	} else if (strcmp(key, "LEAF") && strcmp(key, "TIME") &&
		   strcmp(key, "PARENT")) {
		ts_err(f, ln, "unknown CBQ parameter %s", key);
		return -1;
	}
	if (!strcmp(key, "TIME") || !strcmp(key, "PARENT"))
		ts_warn(f, ln, "CBQ %s is not supported; ignored", key);
	return 0;
}

static int add_class(struct ts_config *c, struct ts_tenant *t,
		     struct cbq_class *k, const char *f, int have_cbq)
{
	struct ts_iface *ifc;
	char line[160], r[32], l[32];
	int dir = k->dir < 0 ? TS_DOWN : k->dir;

	if (!k->dev[0] || !k->rate) {
		ts_err(f, 0, "CBQ class needs DEVICE and RATE");
		return -1;
	}
	ifc = ts_config_iface(c, k->dev);
	if (!ifc) {
		if (!k->bandwidth) {
			ts_err(f, 0, "first class on %s must give DEVICE=%s,"
			       "BANDWIDTH", k->dev, k->dev);
			return -1;
		}
		ts_rate_str(k->bandwidth, r, sizeof(r));
		snprintf(line, sizeof(line), "iface %s rate %s side %s",
			 k->dev, r, dir == TS_DOWN ? "lan" : "wan");
		if (ts_config_line(c, line, f, 1))
			return -1;
		ifc = ts_config_iface(c, k->dev);
	} else if (!ifc->ifb[0] && (int)ifc->egress != dir) {
		ts_err(f, 0, "%s rules on %s, which shapes the other "
		       "direction", dir == TS_DOWN ? "destination" : "source",
		       k->dev);
		return -1;
	}
	if (!t->naddr && !k->mark) {
		ts_err(f, 0, "CBQ class has neither RULE nor MARK");
		return -1;
	}
	t->mark = k->mark;
	t->prio = k->prio;
	t->dir[dir].rate = k->rate;
	t->dir[dir].ceil = k->bounded ? k->rate : ifc->rate;
	if (t->dir[dir].ceil < t->dir[dir].rate) {
		ts_err(f, 0, "RATE exceeds the bandwidth of %s", k->dev);
		return -1;
	}
	if (!have_cbq) {
		ts_rate_str(t->dir[dir].rate, r, sizeof(r));
		ts_rate_str(t->dir[dir].ceil, l, sizeof(l));
		ts_warn(f, 0, "no sch_cbq in this kernel: class %s is HTB "
			"rate %s ceil %s prio %d%s%s", t->name, r, l, t->prio,
			k->weight ? ", WEIGHT ignored" : "",
			k->isolated ? ", ISOLATED ignored" : "");
	}
	c->t = ts_xrealloc(c->t, (c->nt + 1) * sizeof(*c->t));
	c->t[c->nt++] = *t;
	c->cbq_classes++;
	return 0;
}

static int import_file(struct ts_config *c, const char *path, int have_cbq)
{
	struct cbq_class k = { .prio = 4, .bounded = 1, .dir = -1 };
	struct ts_tenant t = { .prio = 4 };
	const char *base = strrchr(path, '/');
	char line[1024];
	int ln = 0, rc = 0;
	FILE *fp = fopen(path, "r");

	if (!fp) {
		ts_err(path, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	t.file = ts_xstrdup(path);
	t.line = 1;
	snprintf(t.name, sizeof(t.name), "%s", base ? base + 1 : path);
	if (ts_config_tenant(c, t.name)) {
		ts_err(path, 0, "tenant %s defined twice", t.name);
		fclose(fp);
		return -1;
	}
	while (fgets(line, sizeof(line), fp)) {
		char *p = line, *eq, *end;

		ln++;
		while (*p == ' ' || *p == '\t')
			p++;
		end = p + strcspn(p, "#\r\n");
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		*end = '\0';
		if (!*p)
			continue;
		eq = strchr(p, '=');
		if (!eq) {
			ts_err(path, ln, "expected KEY=VALUE");
			rc = -1;
			continue;
		}
		*eq = '\0';
		if (parse_kv(p, eq + 1, &t, &k, t.file, ln))
			rc = -1;
	}
	fclose(fp);
	if (!rc)
		rc = add_class(c, &t, &k, t.file, have_cbq);
	if (rc)
		free(t.addr);
	return rc;
}

static int cbq_name(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return !strncmp(d->d_name, "cbq-", 4) && d->d_name[n - 1] != '~';
}

/* path is one cbq-NNNN.name file or a directory of them (sorted). */
int ts_cbq_import(struct ts_config *c, const char *path, int have_cbq)
{
	struct dirent **ent;
	struct stat st;
	int n, i, rc = 0;

	if (stat(path, &st)) {
		ts_err(path, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return import_file(c, path, have_cbq);
	n = scandir(path, &ent, cbq_name, alphasort);
	if (n < 0) {
		ts_err(path, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		char *p = ts_fmt("%s/%s", path, ent[i]->d_name);

		if (import_file(c, p, have_cbq))
			rc = -1;
		free(p);
		free(ent[i]);
	}
	free(ent);
	if (!n)
		ts_warn(path, 0, "no cbq-* class files");
	return rc;
}
