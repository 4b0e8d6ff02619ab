/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tc objects as the planner wants them and as tc reports them. Both sides
 * use the same key (identity) and spec (comparable attributes), so a diff
 * is a sorted merge and a re-apply of the same config is empty.
 */
#ifndef TCSHAPE_PLAN_H
#define TCSHAPE_PLAN_H

#include "tcshape.h"

/* Creation order; deletion runs in reverse. Filters are >= TS_P_FILTER. */
enum ts_phase {
	TS_P_ROOT, TS_P_ROOTCLASS, TS_P_CLASS, TS_P_LEAF, TS_P_HT,
	TS_P_FILTER, TS_P_FW = TS_P_FILTER, TS_P_ENT, TS_P_LINK, TS_P_ROOTLINK,
	TS_P_INGRESS, TS_P_REDIR, TS_P_MAX
};

struct ts_obj {
	int phase;
	char *key;	/* "DEV kind id" */
	char *spec;	/* attributes compared by the diff */
	char *add;	/* tc batch line creating it */
	char *chg;	/* line changing it in place; NULL: delete + add */
	char *del;	/* line deleting it; NULL: leave it (parent owns it) */
	uint32_t id;	/* class minor or u32 handle */
};

struct ts_objs {
	struct ts_obj *v;
	size_t n, cap;
	int sorted;
};

void ts_objs_add(struct ts_objs *o, int phase, char *key, char *spec,
		 char *add, char *chg, char *del, uint32_t id);
void ts_objs_sort(struct ts_objs *o);
const struct ts_obj *ts_objs_find(const struct ts_objs *o, const char *key);
void ts_objs_free(struct ts_objs *o);

/* u32hash.c: where an address lives in the u32 hash tables. */
enum ts_group { TS_G4, TS_G6, TS_G6NET, TS_GPFX4, TS_GPFX6, TS_G_MAX };

struct ts_u32pos {
	int group;
	unsigned int htid;	/* table holding the entry */
	unsigned int bucket;
	unsigned int l1bucket;	/* bucket in the group's level-1 table */
};

int ts_u32_group(const struct ts_addr *a);
void ts_u32_pos(const struct ts_addr *a, struct ts_u32pos *p);
unsigned int ts_u32_l1(int group);
unsigned int ts_u32_prio(int group);
const char *ts_u32_proto(int group);
int ts_u32_keyoff(int group, enum ts_dir d);
int ts_u32_hashed(int group);
char *ts_u32_matchkey(const struct ts_addr *a, enum ts_dir d);
char *ts_u32_match(const struct ts_addr *a, enum ts_dir d);

/* plan.c */
struct ts_tree {
	char dev[TS_DEV_MAX];
	enum ts_dir dir;
	const struct ts_iface *ifc;
	int is_ifb;
};

size_t ts_plan_trees(const struct ts_config *c, struct ts_tree *t);
/* minors (optional): [tree * nt + tenant] = class minor, 0 = not here */
int ts_plan(const struct ts_config *c, const struct ts_objs *cur,
	    struct ts_objs *out, uint16_t *minors);

uint64_t ts_plan_default_rate(const struct ts_iface *f);

/* diff.c */
size_t ts_diff(struct ts_objs *want, struct ts_objs *cur, FILE *batch);

/* state.c: objects read back from tc output. */
int ts_state_qdisc_json(const char *dev, const char *json, struct ts_objs *o,
			char *root_kind, size_t kindlen, int *root_handle);
int ts_state_class_text(const char *dev, const char *text,
			struct ts_objs *o);
int ts_state_filter_json(const char *dev, const char *json, int ingress,
			 struct ts_objs *o);
int ts_state_read(const char *dev, struct ts_objs *o, char *root_kind,
		  size_t kindlen, int *root_handle);
char *ts_run_capture(char *const argv[]);
const char *ts_tc_path(void);

#endif /* TCSHAPE_PLAN_H */
