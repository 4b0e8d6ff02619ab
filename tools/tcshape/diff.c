// SPDX-License-Identifier: GPL-2.0
/*
 * Object lists and the diff between desired and current tc state. Order
 * keeps traffic flowing: classes exist before filters point at them, old
 * filters go before their classes, and the root is never torn down.
 */
#include <stdlib.h>
#include <string.h>

#include "plan.h"

void ts_objs_add(struct ts_objs *o, int phase, char *key, char *spec,
		 char *add, char *chg, char *del, uint32_t id)
{
	struct ts_obj *x;

	if (o->n == o->cap) {
		o->cap = o->cap ? 2 * o->cap : 64;
		o->v = ts_xrealloc(o->v, o->cap * sizeof(*o->v));
	}
	x = &o->v[o->n++];
	x->phase = phase;
	x->key = key;
	x->spec = spec;
	x->add = add;
	x->chg = chg;
	x->del = del;
	x->id = id;
	o->sorted = 0;
}

static int obj_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ts_obj *)a)->key,
		      ((const struct ts_obj *)b)->key);
}

void ts_objs_sort(struct ts_objs *o)
{
	if (o->n)
		qsort(o->v, o->n, sizeof(*o->v), obj_cmp);
	o->sorted = 1;
}

const struct ts_obj *ts_objs_find(const struct ts_objs *o, const char *key)
{
	struct ts_obj k = { .key = (char *)key };
	size_t i;

	if (o->sorted)
		return o->n ? bsearch(&k, o->v, o->n, sizeof(k), obj_cmp)
			    : NULL;
	for (i = 0; i < o->n; i++)
		if (!strcmp(o->v[i].key, key))
			return &o->v[i];
	return NULL;
}

void ts_objs_free(struct ts_objs *o)
{
	size_t i;

	for (i = 0; i < o->n; i++) {
		free(o->v[i].key);
		free(o->v[i].spec);
		free(o->v[i].add);
		free(o->v[i].chg);
		free(o->v[i].del);
	}
	free(o->v);
	memset(o, 0, sizeof(*o));
}

/* One planned batch line, bucketed by phase and step. */
struct step {
	const char **line;
	size_t n, cap;
};

static void push(struct step *s, const char *line)
{
	if (!line)
		return;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->line = ts_xrealloc(s->line, s->cap * sizeof(*s->line));
	}
	s->line[s->n++] = line;
}

enum { ST_ADD, ST_DEL, ST_MAX };

/*
 * Emits the batch turning cur into want and returns its line count; 0 means
 * the state already matches. Objects whose delete line is NULL (leaf qdiscs,
 * hash tables) are left alone: they vanish with their parent.
 */
size_t ts_diff(struct ts_objs *want, struct ts_objs *cur, FILE *batch)
{
	struct step st[ST_MAX][TS_P_MAX];
	size_t i = 0, j = 0, n = 0;
	int p, s;

	memset(st, 0, sizeof(st));
	ts_objs_sort(want);
	ts_objs_sort(cur);
	while (i < want->n || j < cur->n) {
		const struct ts_obj *w = i < want->n ? &want->v[i] : NULL;
		const struct ts_obj *c = j < cur->n ? &cur->v[j] : NULL;
		int r = !w ? 1 : !c ? -1 : strcmp(w->key, c->key);

		if (r < 0) {
			push(&st[ST_ADD][w->phase], w->add);
			i++;
		} else if (r > 0) {
			push(&st[ST_DEL][c->phase], c->del);
			j++;
		} else {
			if (strcmp(w->spec, c->spec)) {
				if (w->chg) {
					push(&st[ST_ADD][w->phase], w->chg);
				} else {
					push(&st[ST_DEL][c->phase], c->del);
					push(&st[ST_ADD][w->phase], w->add);
				}
			}
			i++;
			j++;
			/* a duplicate of the same key in tc is not ours */
			for (; j < cur->n && !strcmp(cur->v[j].key, w->key);
			     j++)
				push(&st[ST_DEL][cur->v[j].phase],
				     cur->v[j].del);
		}
	}
	for (p = 0; p < TS_P_FILTER; p++)
		for (i = 0; i < st[ST_ADD][p].n; i++, n++)
			fprintf(batch, "%s\n", st[ST_ADD][p].line[i]);
	for (p = TS_P_MAX - 1; p >= TS_P_FILTER; p--)
		for (i = 0; i < st[ST_DEL][p].n; i++, n++)
			fprintf(batch, "%s\n", st[ST_DEL][p].line[i]);
	for (p = TS_P_FILTER; p < TS_P_MAX; p++)
		for (i = 0; i < st[ST_ADD][p].n; i++, n++)
			fprintf(batch, "%s\n", st[ST_ADD][p].line[i]);
	for (p = TS_P_FILTER - 1; p >= 0; p--)
		for (i = 0; i < st[ST_DEL][p].n; i++, n++)
			fprintf(batch, "%s\n", st[ST_DEL][p].line[i]);
	for (s = 0; s < ST_MAX; s++)
		for (p = 0; p < TS_P_MAX; p++)
			free(st[s][p].line);
	return n;
}
