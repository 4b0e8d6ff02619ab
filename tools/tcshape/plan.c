// SPDX-License-Identifier: GPL-2.0
/*
 * Planner: config (plus what tc has now) -> the desired tc objects.
 * Existing class ids and u32 handles are reused so that editing one tenant
 * touches only that tenant's class and filters.
 */
#include <stdlib.h>
#include <string.h>

#include "plan.h"

#define NODE_MAX 0xfff		/* u32 node ids are 12 bits */

struct ctx {
	const struct ts_config *c;
	const struct ts_objs *cur;
	struct ts_objs *out;
	const struct ts_tree *tr;
	const char *dev;
	uint16_t *minor;	/* per tenant of this tree, 0 = not shaped */
	uint16_t *maxnode;	/* [htid * 256 + bucket] highest node id */
	uint8_t l2used[TS_G_MAX][256];
	uint8_t gused[TS_G_MAX];
};

size_t ts_plan_trees(const struct ts_config *c, struct ts_tree *t)
{
	size_t i, n = 0;

	for (i = 0; i < c->nifc; i++) {
		const struct ts_iface *f = &c->ifc[i];

		memset(&t[n], 0, sizeof(t[n]));
		strcpy(t[n].dev, f->dev);
		t[n].dir = f->egress;
		t[n++].ifc = f;
		if (!f->ifb[0])
			continue;
		memset(&t[n], 0, sizeof(t[n]));
		strcpy(t[n].dev, f->ifb);
		t[n].dir = f->egress == TS_DOWN ? TS_UP : TS_DOWN;
		t[n].ifc = f;
		t[n++].is_ifb = 1;
	}
	return n;
}

static unsigned int quantum(const struct ts_config *c, uint64_t bits)
{
	uint64_t q = bits / 8 / c->r2q;

	/* explicit quantum: no "quantum is big" kernel warnings, DRR >= MTU */
	if (q < TS_MTU_QUANTUM)
		q = TS_MTU_QUANTUM;
	if (q > TS_QUANTUM_MAX)
		q = TS_QUANTUM_MAX;
	return (unsigned int)q;
}

/* Class minor that the current filters give this tenant, or 0. */
static unsigned int cur_minor(struct ctx *x, const struct ts_tenant *t)
{
	const struct ts_obj *o = NULL;
	const char *p;
	char *key;

	if (t->mark) {
		key = ts_fmt("%s fw 0x%x", x->dev, t->mark);
		o = ts_objs_find(x->cur, key);
		free(key);
	}
	if (!o && t->naddr) {
		struct ts_u32pos pos;
		char *mk = ts_u32_matchkey(&t->addr[0], x->tr->dir);

		ts_u32_pos(&t->addr[0], &pos);
		key = ts_fmt("%s ent %x:%x %s", x->dev, pos.htid, pos.bucket,
			     mk);
		o = ts_objs_find(x->cur, key);
		free(key);
		free(mk);
	}
	if (!o)
		return 0;
	p = strstr(o->spec, " 1:");
	return p ? (unsigned int)strtoul(p + 3, NULL, 16) : 0;
}

static int assign_minors(struct ctx *x)
{
	const struct ts_config *c = x->c;
	uint8_t *used = ts_xalloc(0x10000), *had = ts_xalloc(0x10000);
	unsigned int m, next = TS_MINOR_FIRST;
	size_t i;
	int d = x->tr->dir, rc = 0;

	for (i = 0; i < x->cur->n; i++) {
		const struct ts_obj *o = &x->cur->v[i];

		if (o->phase == TS_P_CLASS && !strncmp(o->key, x->dev,
						      strlen(x->dev)))
			had[o->id & 0xffff] = 1;
	}
	for (i = 0; i < c->nt; i++) {
		x->minor[i] = 0;
		if (!c->t[i].dir[d].rate)
			continue;
		m = cur_minor(x, &c->t[i]);
		if (m >= TS_MINOR_FIRST && m <= TS_MINOR_LAST && !used[m]) {
			x->minor[i] = m;
			used[m] = 1;
		}
	}
	/* new tenants: first ids no class has now, then any unused one */
	for (i = 0; i < c->nt; i++) {
		if (!c->t[i].dir[d].rate || x->minor[i])
			continue;
		while (next <= TS_MINOR_LAST && (used[next] || had[next]))
			next++;
		m = next;
		if (m > TS_MINOR_LAST)
			for (m = TS_MINOR_FIRST; m <= TS_MINOR_LAST; m++)
				if (!used[m])
					break;
		if (m > TS_MINOR_LAST) {
			ts_err(c->t[i].file, c->t[i].line, "no free HTB class "
			       "id on %s for tenant %s", x->dev, c->t[i].name);
			rc = -1;
			break;
		}
		x->minor[i] = m;
		used[m] = 1;
	}
	free(used);
	free(had);
	return rc;
}

static void class_obj(struct ctx *x, unsigned int minor, uint64_t rate,
		      uint64_t ceil, int prio)
{
	char r[32], cl[32], tr[32], tc[32], *spec, *line;
	unsigned int q = quantum(x->c, rate);

	ts_rate_str(rate, r, sizeof(r));
	ts_rate_str(ceil, cl, sizeof(cl));
	ts_tc_rate_str(rate, tr, sizeof(tr));
	ts_tc_rate_str(ceil, tc, sizeof(tc));
	line = ts_fmt("dev %s parent 1:1 classid 1:%x htb rate %s ceil %s "
		      "prio %d quantum %u", x->dev, minor, r, cl, prio, q);
	spec = ts_fmt("rate %s ceil %s prio %d quantum %u", tr, tc, prio, q);
	ts_objs_add(x->out, TS_P_CLASS, ts_fmt("%s class 1:%x", x->dev, minor),
		    spec, ts_fmt("class add %s", line),
		    ts_fmt("class change %s", line),
		    ts_fmt("class del dev %s classid 1:%x", x->dev, minor),
		    minor);
	line = ts_fmt("dev %s parent 1:%x handle %x: %s", x->dev, minor, minor,
		      x->c->leaf);
	ts_objs_add(x->out, TS_P_LEAF, ts_fmt("%s leaf 1:%x", x->dev, minor),
		    ts_fmt("%s %x:", x->c->leaf, minor),
		    ts_fmt("qdisc add %s", line),
		    ts_fmt("qdisc replace %s", line), NULL, minor);
}

uint64_t ts_plan_default_rate(const struct ts_iface *f)
{
	/* fixed, not "what tenants leave": one tenant edit, one class edit */
	if (f->defrate)
		return f->defrate;
	return f->rate / 10 < 8000 ? 8000 : f->rate / 10;
}

static void root_objs(struct ctx *x)
{
	const struct ts_iface *f = x->tr->ifc;
	uint64_t def = ts_plan_default_rate(f);
	char r[32], tr[32];
	char *line;

	line = ts_fmt("qdisc replace dev %s root handle 1: htb default 2",
		      x->dev);
	ts_objs_add(x->out, TS_P_ROOT, ts_fmt("%s qdisc root", x->dev),
		    ts_xstrdup("htb 1: default 2"), line, ts_xstrdup(line),
		    ts_fmt("qdisc del dev %s root", x->dev), 1);
	ts_rate_str(f->rate, r, sizeof(r));
	ts_tc_rate_str(f->rate, tr, sizeof(tr));
	line = ts_fmt("dev %s parent 1: classid 1:1 htb rate %s ceil %s "
		      "quantum %u", x->dev, r, r, quantum(x->c, f->rate));
	ts_objs_add(x->out, TS_P_ROOTCLASS, ts_fmt("%s class 1:1", x->dev),
		    ts_fmt("rate %s ceil %s", tr, tr),
		    ts_fmt("class add %s", line),
		    ts_fmt("class change %s", line), NULL, 1);
	class_obj(x, 2, def, f->rate, 3);
}

static void fw_obj(struct ctx *x, uint32_t mark, unsigned int minor)
{
	char *line = ts_fmt("dev %s parent 1: prio 5 protocol all handle 0x%x "
			    "fw classid 1:%x", x->dev, mark, minor);

	ts_objs_add(x->out, TS_P_FW, ts_fmt("%s fw 0x%x", x->dev, mark),
		    ts_fmt("classid 1:%x", minor),
		    ts_fmt("filter add %s", line),
		    ts_fmt("filter replace %s", line),
		    ts_fmt("filter del dev %s parent 1: prio 5 protocol all "
			   "handle 0x%x fw", x->dev, mark), mark);
	free(line);
}

static int ent_obj(struct ctx *x, const struct ts_tenant *t,
		   const struct ts_addr *a, unsigned int minor)
{
	struct ts_u32pos p;
	const struct ts_obj *o;
	char *mk, *key, *m, *line, *pre;
	unsigned int node;
	uint16_t *max;

	ts_u32_pos(a, &p);
	mk = ts_u32_matchkey(a, x->tr->dir);
	key = ts_fmt("%s ent %x:%x %s", x->dev, p.htid, p.bucket, mk);
	free(mk);
	o = ts_objs_find(x->cur, key);
	max = &x->maxnode[p.htid * 256 + p.bucket];
	if (o) {
		node = o->id & NODE_MAX;
	} else if (*max >= NODE_MAX) {
		ts_err(t->file, t->line, "u32 bucket %x:%x on %s is full "
		       "(%d entries); use prefixes", p.htid, p.bucket,
		       x->dev, NODE_MAX);
		free(key);
		return -1;
	} else {
		node = ++*max;
	}
	x->gused[p.group] = 1;
	x->l2used[p.group][p.l1bucket] = 1;
	m = ts_u32_match(a, x->tr->dir);
	pre = ts_fmt("dev %s parent 1: prio %u protocol %s handle %x:%x:%x u32",
		     x->dev, ts_u32_prio(p.group), ts_u32_proto(p.group),
		     p.htid, p.bucket, node);
	line = ts_fmt("%s ht %x:%x: %s flowid 1:%x", pre, p.htid, p.bucket, m,
		      minor);
	ts_objs_add(x->out, TS_P_ENT, key, ts_fmt("flowid 1:%x", minor),
		    ts_fmt("filter add %s", line),
		    ts_fmt("filter replace %s", line),
		    ts_fmt("filter del %s", pre),
		    p.htid << 20 | p.bucket << 12 | node);
	free(m);
	free(line);
	free(pre);
	return 0;
}

static void ht_obj(struct ctx *x, int g, unsigned int htid, int divisor)
{
	ts_objs_add(x->out, TS_P_HT, ts_fmt("%s ht %x", x->dev, htid),
		    ts_fmt("prio %u %s divisor %d", ts_u32_prio(g),
			   ts_u32_proto(g), divisor),
		    ts_fmt("filter add dev %s parent 1: prio %u handle %x: "
			   "protocol %s u32 divisor %d", x->dev,
			   ts_u32_prio(g), htid, ts_u32_proto(g), divisor),
		    NULL, NULL, htid << 20);
}

/* Tables and links of one group; only buckets in use get a table. */
static void group_objs(struct ctx *x, int g)
{
	unsigned int l1 = ts_u32_l1(g), prio = ts_u32_prio(g), b;
	const char *proto = ts_u32_proto(g);
	int off = ts_u32_keyoff(g, x->tr->dir);
	char *hk = ts_xstrdup("");

	if (ts_u32_hashed(g)) {
		free(hk);
		hk = ts_fmt(" hashkey mask 0x000000ff at %d", off);
	}
	ht_obj(x, g, l1, ts_u32_hashed(g) ? 256 : 1);
	ts_objs_add(x->out, TS_P_ROOTLINK, ts_fmt("%s root %u", x->dev, prio),
		    ts_u32_hashed(g) ? ts_fmt("link %x: ff@%d", l1, off)
				     : ts_fmt("link %x:", l1),
		    ts_fmt("filter add dev %s parent 1: prio %u protocol %s "
			   "u32 match u32 0 0%s link %x:", x->dev, prio, proto,
			   hk, l1), NULL, NULL, 0);
	free(hk);
	if (!ts_u32_hashed(g))
		return;
	for (b = 0; b < 256; b++) {
		unsigned int l2 = 0x100 * (g + 1) + b;
		char *pre;

		if (!x->l2used[g][b])
			continue;
		ht_obj(x, g, l2, 256);
		pre = ts_fmt("dev %s parent 1: prio %u protocol %s handle "
			     "%x:%x:1 u32", x->dev, prio, proto, l1, b);
		ts_objs_add(x->out, TS_P_LINK,
			    ts_fmt("%s link %x:%x", x->dev, l1, b),
			    ts_fmt("link %x: ff00@%d", l2, off),
			    ts_fmt("filter add %s ht %x:%x: match u32 0 0 "
				   "hashkey mask 0x0000ff00 at %d link %x:",
				   pre, l1, b, off, l2),
			    NULL, ts_fmt("filter del %s", pre),
			    l1 << 20 | b << 12 | 1);
		free(pre);
	}
}

static void ifb_objs(struct ctx *x)
{
	const char *dev = x->tr->ifc->dev;

	ts_objs_add(x->out, TS_P_INGRESS, ts_fmt("%s ingress", dev),
		    ts_xstrdup("ingress"),
		    ts_fmt("qdisc add dev %s handle ffff: ingress", dev), NULL,
		    ts_fmt("qdisc del dev %s handle ffff: ingress", dev), 0);
	ts_objs_add(x->out, TS_P_REDIR, ts_fmt("%s redirect", dev),
		    ts_fmt("mirred %s", x->dev),
		    ts_fmt("filter add dev %s parent ffff: prio 1 protocol all "
			   "u32 match u32 0 0 action mirred egress redirect "
			   "dev %s", dev, x->dev), NULL, NULL, 0);
}

static void scan_nodes(struct ctx *x)
{
	size_t i, n = strlen(x->dev);

	for (i = 0; i < x->cur->n; i++) {
		const struct ts_obj *o = &x->cur->v[i];
		unsigned int h = o->id >> 20, b = (o->id >> 12) & 0xff;

		if (o->phase != TS_P_ENT || strncmp(o->key, x->dev, n) ||
		    o->key[n] != ' ' || h >= 0x800)
			continue;
		if ((o->id & NODE_MAX) > x->maxnode[h * 256 + b])
			x->maxnode[h * 256 + b] = o->id & NODE_MAX;
	}
}

static int plan_tree(struct ctx *x)
{
	const struct ts_config *c = x->c;
	size_t i, j;
	int d = x->tr->dir, g, rc = 0;

	x->dev = x->tr->dev;
	memset(x->l2used, 0, sizeof(x->l2used));
	memset(x->gused, 0, sizeof(x->gused));
	memset(x->maxnode, 0, 0x800 * 256 * sizeof(*x->maxnode));
	scan_nodes(x);
	if (assign_minors(x))
		return -1;
	root_objs(x);
	for (i = 0; i < c->nt; i++) {
		const struct ts_tenant *t = &c->t[i];

		if (!x->minor[i])
			continue;
		class_obj(x, x->minor[i], t->dir[d].rate, t->dir[d].ceil,
			  t->prio);
		if (t->mark)
			fw_obj(x, t->mark, x->minor[i]);
		for (j = 0; j < t->naddr; j++)
			if (ent_obj(x, t, &t->addr[j], x->minor[i]))
				rc = -1;
	}
	for (g = 0; g < TS_G_MAX; g++)
		if (x->gused[g])
			group_objs(x, g);
	if (x->tr->is_ifb)
		ifb_objs(x);
	return rc;
}

int ts_plan(const struct ts_config *c, const struct ts_objs *cur,
	    struct ts_objs *out, uint16_t *minors)
{
	struct ts_tree *tr = ts_xalloc(2 * c->nifc * sizeof(*tr));
	struct ts_objs none = { 0 };
	struct ctx x = { .c = c, .cur = cur ? cur : &none, .out = out };
	size_t n = ts_plan_trees(c, tr), i;
	int rc = 0;

	x.minor = ts_xalloc((c->nt + 1) * sizeof(*x.minor));
	x.maxnode = ts_xalloc(0x800 * 256 * sizeof(*x.maxnode));
	for (i = 0; i < n && !rc; i++) {
		x.tr = &tr[i];
		rc = plan_tree(&x);
		if (minors)
			memcpy(minors + i * c->nt, x.minor,
			       c->nt * sizeof(*x.minor));
	}
	free(x.maxnode);
	free(x.minor);
	free(tr);
	return rc;
}
