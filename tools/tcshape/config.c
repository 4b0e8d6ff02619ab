// SPDX-License-Identifier: GPL-2.0
/*
 * Line-based config: iface, tenant, r2q, leaf and cbq lines. Every error
 * names file:line; nothing is applied unless the whole config is valid.
 */
#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "tcshape.h"

#define MAX_TOK 64

void ts_config_init(struct ts_config *c)
{
	memset(c, 0, sizeof(*c));
	c->r2q = 10;
	strcpy(c->leaf, "sfq");
}

void ts_config_free(struct ts_config *c)
{
	size_t i;

	for (i = 0; i < c->nt; i++)
		free(c->t[i].addr);
	free(c->t);
	free(c->ifc);
	ts_config_init(c);
}

struct ts_iface *ts_config_iface(struct ts_config *c, const char *dev)
{
	size_t i;

	for (i = 0; i < c->nifc; i++)
		if (!strcmp(c->ifc[i].dev, dev) || !strcmp(c->ifc[i].ifb, dev))
			return &c->ifc[i];
	return NULL;
}

struct ts_tenant *ts_config_tenant(struct ts_config *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nt; i++)
		if (!strcmp(c->t[i].name, name))
			return &c->t[i];
	return NULL;
}

void ts_tenant_del(struct ts_config *c, struct ts_tenant *t)
{
	size_t i = t - c->t;

	free(t->addr);
	memmove(t, t + 1, (c->nt - i - 1) * sizeof(*t));
	c->nt--;
}

static int valid_name(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (!n || n > max)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_.-@:/", *s))
			return 0;
	return 1;
}

/* "RATE" or "RATE/CEIL"; ceil defaults to rate (a hard cap). */
static int parse_rc(const char *s, struct ts_rate *r, const char *f, int ln)
{
	char buf[64], *slash;

	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	if (ts_parse_rate(buf, &r->rate)) {
		ts_err(f, ln, "malformed rate '%s' (want e.g. 10mbit)", buf);
		return -1;
	}
	r->ceil = r->rate;
	if (slash && ts_parse_rate(slash, &r->ceil)) {
		ts_err(f, ln, "malformed ceil '%s' (want e.g. 20mbit)", slash);
		return -1;
	}
	if (r->ceil < r->rate) {
		ts_err(f, ln, "ceil %s is below rate %s", slash, buf);
		return -1;
	}
	return 0;
}

static int parse_iface(struct ts_config *c, char **tok, int n,
		       const char *f, int ln)
{
	struct ts_iface ifc = { .egress = TS_DOWN, .file = f, .line = ln };
	int i;

	if (n < 2 || !valid_name(tok[1], TS_DEV_MAX - 1)) {
		ts_err(f, ln, "iface needs a device name");
		return -1;
	}
	strcpy(ifc.dev, tok[1]);
	for (i = 2; i < n; i += 2) {
		const char *k = tok[i], *v = i + 1 < n ? tok[i + 1] : NULL;

		if (!v) {
			ts_err(f, ln, "'%s' needs a value", k);
			return -1;
		}
		if (!strcmp(k, "rate") || !strcmp(k, "default")) {
			uint64_t *dst = k[0] == 'r' ? &ifc.rate : &ifc.defrate;

			if (ts_parse_rate(v, dst)) {
				ts_err(f, ln, "malformed rate '%s'", v);
				return -1;
			}
		} else if (!strcmp(k, "side") &&
			   (!strcmp(v, "lan") || !strcmp(v, "wan"))) {
			ifc.egress = v[0] == 'l' ? TS_DOWN : TS_UP;
		} else if (!strcmp(k, "ifb") && valid_name(v, TS_DEV_MAX - 1)) {
			strcpy(ifc.ifb, v);
		} else {
			ts_err(f, ln, "bad iface option '%s %s'", k, v);
			return -1;
		}
	}
	if (!ifc.rate) {
		ts_err(f, ln, "iface %s needs 'rate' (the link speed)",
		       ifc.dev);
		return -1;
	}
	if (ifc.defrate > ifc.rate) {
		ts_err(f, ln, "default rate exceeds iface rate");
		return -1;
	}
	if (!strcmp(ifc.ifb, ifc.dev) || ts_config_iface(c, ifc.dev) ||
	    (ifc.ifb[0] && ts_config_iface(c, ifc.ifb))) {
		ts_err(f, ln, "device %s configured twice", ifc.dev);
		return -1;
	}
	c->ifc = ts_xrealloc(c->ifc, (c->nifc + 1) * sizeof(*c->ifc));
	c->ifc[c->nifc++] = ifc;
	return 0;
}

static int parse_addrs(struct ts_tenant *t, const char *list, const char *f,
		       int ln)
{
	char *dup = ts_xstrdup(list), *save = NULL, *s;
	int rc = 0;

	if (!strcmp(list, "-"))
		goto out;
	for (s = strtok_r(dup, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
		struct ts_addr a;
		int r = ts_parse_addr(s, &a);

		if (r) {
			ts_err(f, ln, r == -2 ? "address %s has host bits "
			       "set beyond its prefix" :
			       "malformed address '%s'", s);
			rc = -1;
			break;
		}
		t->addr = ts_xrealloc(t->addr, (t->naddr + 1) * sizeof(a));
		t->addr[t->naddr++] = a;
	}
out:
	free(dup);
	return rc;
}

static int parse_tenant(struct ts_config *c, char **tok, int n,
			const char *f, int ln)
{
	struct ts_tenant t = { .file = f, .line = ln, .prio = 3 };
	int i = 2;

	if (n < 2 || !valid_name(tok[1], TS_NAME_MAX)) {
		ts_err(f, ln, "tenant needs a name ([A-Za-z0-9_.@-], <= %d)",
		       TS_NAME_MAX);
		return -1;
	}
	strcpy(t.name, tok[1]);
	if (ts_config_tenant(c, t.name)) {
		ts_err(f, ln, "tenant %s defined twice", t.name);
		return -1;
	}
	if (n > 2 && strcmp(tok[2], "down") && strcmp(tok[2], "up") &&
	    strcmp(tok[2], "mark") && strcmp(tok[2], "prio")) {
		if (parse_addrs(&t, tok[2], f, ln))
			goto bad;
		i = 3;
	}
	for (; i < n; i += 2) {
		const char *k = tok[i], *v = i + 1 < n ? tok[i + 1] : NULL;
		uint32_t x;

		if (!v) {
			ts_err(f, ln, "'%s' needs a value", k);
			goto bad;
		}
		if (!strcmp(k, "down") || !strcmp(k, "up")) {
			if (parse_rc(v, &t.dir[k[0] == 'd' ? TS_DOWN : TS_UP],
				     f, ln))
				goto bad;
		} else if (!strcmp(k, "mark")) {
			if (ts_parse_u32(v, &t.mark) || !t.mark) {
				ts_err(f, ln, "bad fwmark '%s' (1..0xffffffff)",
				       v);
				goto bad;
			}
		} else if (!strcmp(k, "prio")) {
			if (ts_parse_u32(v, &x) || x > 7) {
				ts_err(f, ln, "bad prio '%s' (0..7)", v);
				goto bad;
			}
			t.prio = (int)x;
		} else {
			ts_err(f, ln, "unknown tenant option '%s'", k);
			goto bad;
		}
	}
	if (!t.naddr && !t.mark) {
		ts_err(f, ln, "tenant %s has neither addresses nor mark",
		       t.name);
		goto bad;
	}
	if (!t.dir[TS_DOWN].rate && !t.dir[TS_UP].rate) {
		ts_err(f, ln, "tenant %s has no 'down' or 'up' rate", t.name);
		goto bad;
	}
	c->t = ts_xrealloc(c->t, (c->nt + 1) * sizeof(*c->t));
	c->t[c->nt++] = t;
	return 0;
bad:
	free(t.addr);
	return -1;
}

int ts_config_line(struct ts_config *c, char *line, const char *f, int ln)
{
	char *tok[MAX_TOK], *save = NULL, *p;
	int n = 0;
	uint32_t x;

	p = strchr(line, '#');
	if (p)
		*p = '\0';
	for (p = strtok_r(line, " \t\r\n", &save); p;
	     p = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == MAX_TOK) {
			ts_err(f, ln, "too many words");
			return -1;
		}
		tok[n++] = p;
	}
	if (!n)
		return 0;
	if (!strcmp(tok[0], "iface"))
		return parse_iface(c, tok, n, f, ln);
	if (!strcmp(tok[0], "tenant"))
		return parse_tenant(c, tok, n, f, ln);
	if (!strcmp(tok[0], "r2q") && n == 2) {
		if (ts_parse_u32(tok[1], &x) || !x || x > 100000) {
			ts_err(f, ln, "bad r2q '%s' (1..100000)", tok[1]);
			return -1;
		}
		c->r2q = x;
		return 0;
	}
	if (!strcmp(tok[0], "leaf") && n == 2) {
		if (strcmp(tok[1], "sfq") && strcmp(tok[1], "fq_codel") &&
		    strcmp(tok[1], "pfifo")) {
			ts_err(f, ln, "leaf must be sfq, fq_codel or pfifo");
			return -1;
		}
		strcpy(c->leaf, tok[1]);
		return 0;
	}
	if (!strcmp(tok[0], "cbq") && n == 2) {
		char *dir, *path;
		int rc;

		if (tok[1][0] == '/')
			return ts_cbq_import(c, tok[1], ts_kernel_has_cbq());
		dir = ts_xstrdup(f);
		path = ts_fmt("%s/%s", dirname(dir), tok[1]);
		rc = ts_cbq_import(c, path, ts_kernel_has_cbq());
		free(path);
		free(dir);
		return rc;
	}
	ts_err(f, ln, "unknown or incomplete line '%s'", tok[0]);
	return -1;
}

int ts_config_load(struct ts_config *c, const char *path)
{
	char line[4096];
	const char *f;
	int ln = 0, rc = 0;
	FILE *fp = fopen(path, "r");

	if (!fp) {
		ts_err(path, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	f = ts_xstrdup(path);	/* lives as long as the tenants citing it */
	while (fgets(line, sizeof(line), fp)) {
		ln++;
		if (!strchr(line, '\n') && !feof(fp)) {
			ts_err(f, ln, "line too long");
			rc = -1;
			break;
		}
		if (ts_config_line(c, line, f, ln))
			rc = -1;
	}
	fclose(fp);
	return rc;
}

struct addr_ref {
	const struct ts_addr *a;
	const struct ts_tenant *t;
};

static int addr_cmp(const void *x, const void *y)
{
	const struct ts_addr *a = ((const struct addr_ref *)x)->a;
	const struct ts_addr *b = ((const struct addr_ref *)y)->a;
	int r;

	if (a->family != b->family)
		return a->family - b->family;
	r = memcmp(a->a, b->a, 16);
	return r ? r : a->len - b->len;
}

static int contains(const struct ts_addr *p, const struct ts_addr *q)
{
	int i;

	if (p->family != q->family || q->len < p->len)
		return 0;
	for (i = 0; i < p->len; i++)
		if ((p->a[i / 8] ^ q->a[i / 8]) & (0x80 >> (i % 8)))
			return 0;
	return 1;
}

/* Sorted sweep with a stack of open prefixes: O(n log n) for 5,000+. */
static int check_overlap(struct ts_config *c)
{
	struct addr_ref *v, **stack;
	size_t n = 0, i, j, sp = 0;
	int rc = 0;

	for (i = 0; i < c->nt; i++)
		n += c->t[i].naddr;
	v = ts_xalloc(n * sizeof(*v));
	stack = ts_xalloc(n * sizeof(*stack));
	for (i = 0, n = 0; i < c->nt; i++)
		for (j = 0; j < c->t[i].naddr; j++) {
			v[n].a = &c->t[i].addr[j];
			v[n++].t = &c->t[i];
		}
	qsort(v, n, sizeof(*v), addr_cmp);
	for (i = 0; i < n; i++) {
		while (sp && !contains(stack[sp - 1]->a, v[i].a))
			sp--;
		if (sp) {
			const struct addr_ref *o = stack[sp - 1];
			char a[64], b[64];

			ts_addr_str(v[i].a, a, sizeof(a));
			ts_addr_str(o->a, b, sizeof(b));
			ts_err(v[i].t->file, v[i].t->line, "address %s of "
			       "tenant %s %s %s of tenant %s (%s:%d)", a,
			       v[i].t->name, strcmp(a, b) ? "overlaps" :
			       "duplicates", b, o->t->name, o->t->file,
			       o->t->line);
			rc = -1;
			continue;
		}
		stack[sp++] = &v[i];
	}
	free(stack);
	free(v);
	return rc;
}

/* Whole-config checks that no single line can make. */
int ts_config_check(struct ts_config *c)
{
	uint64_t sum[2] = { 0, 0 };
	size_t i, j;
	int d, rc = 0;

	if (!c->nifc) {
		ts_err(NULL, 0, "no 'iface' line: nothing to shape");
		return -1;
	}
	if (check_overlap(c))
		rc = -1;
	for (i = 0; i < c->nt; i++) {
		const struct ts_tenant *t = &c->t[i];

		for (j = 0; t->mark && j < i; j++)
			if (c->t[j].mark == t->mark) {
				ts_err(t->file, t->line, "mark 0x%x of %s "
				       "already used by %s (%s:%d)", t->mark,
				       t->name, c->t[j].name, c->t[j].file,
				       c->t[j].line);
				rc = -1;
			}
		for (d = 0; d < 2; d++)
			sum[d] += t->dir[d].rate;
		for (j = 0; j < c->nifc; j++) {
			const struct ts_iface *f = &c->ifc[j];

			for (d = 0; d < 2; d++) {
				char r[32], l[32];

				if (t->dir[d].ceil <= f->rate)
					continue;
				ts_rate_str(t->dir[d].ceil, r, sizeof(r));
				ts_rate_str(f->rate, l, sizeof(l));
				ts_err(t->file, t->line, "%s ceil %s of %s "
				       "exceeds iface %s rate %s",
				       d ? "up" : "down", r, t->name, f->dev,
				       l);
				rc = -1;
			}
		}
	}
	if (c->nt > TS_MINOR_LAST - TS_MINOR_FIRST + 1) {
		ts_err(NULL, 0, "%zu tenants exceed the %d HTB class ids",
		       c->nt, TS_MINOR_LAST - TS_MINOR_FIRST + 1);
		rc = -1;
	}
	for (j = 0; !rc && j < c->nifc; j++)
		for (d = 0; d < 2; d++)
			if (sum[d] > c->ifc[j].rate)
				ts_warn(c->ifc[j].file, c->ifc[j].line,
					"%s rates of all tenants exceed %s: "
					"guarantees are overcommitted",
					d ? "up" : "down", c->ifc[j].dev);
	return rc;
}

static void write_rc(FILE *f, const char *k, const struct ts_rate *r)
{
	char a[32], b[32];

	if (!r->rate)
		return;
	ts_rate_str(r->rate, a, sizeof(a));
	ts_rate_str(r->ceil, b, sizeof(b));
	if (r->rate == r->ceil)
		fprintf(f, " %s %s", k, a);
	else
		fprintf(f, " %s %s/%s", k, a, b);
}

/* The normalised config; what `limit` edits and /run/tcshape keeps. */
void ts_config_write(const struct ts_config *c, FILE *f)
{
	char buf[64];
	size_t i, j;

	fprintf(f, "r2q %u\nleaf %s\n", c->r2q, c->leaf);
	for (i = 0; i < c->nifc; i++) {
		const struct ts_iface *x = &c->ifc[i];

		ts_rate_str(x->rate, buf, sizeof(buf));
		fprintf(f, "iface %s rate %s side %s", x->dev, buf,
			x->egress == TS_DOWN ? "lan" : "wan");
		if (x->ifb[0])
			fprintf(f, " ifb %s", x->ifb);
		if (x->defrate) {
			ts_rate_str(x->defrate, buf, sizeof(buf));
			fprintf(f, " default %s", buf);
		}
		fputc('\n', f);
	}
	for (i = 0; i < c->nt; i++) {
		const struct ts_tenant *t = &c->t[i];

		fprintf(f, "tenant %s ", t->name);
		for (j = 0; j < t->naddr; j++) {
			ts_addr_str(&t->addr[j], buf, sizeof(buf));
			fprintf(f, "%s%s", j ? "," : "", buf);
		}
		if (!t->naddr)
			fputc('-', f);
		if (t->mark)
			fprintf(f, " mark 0x%x", t->mark);
		write_rc(f, "down", &t->dir[TS_DOWN]);
		write_rc(f, "up", &t->dir[TS_UP]);
		fprintf(f, " prio %d\n", t->prio);
	}
}
