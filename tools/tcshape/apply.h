/* SPDX-License-Identifier: GPL-2.0 */
/* plan / apply / clear against the running kernel. */
#ifndef TCSHAPE_APPLY_H
#define TCSHAPE_APPLY_H

#include "tcshape.h"

enum ts_mode {
	TS_OFFLINE,	/* plan from nothing: the full batch, no tc calls */
	TS_PLAN,	/* print the diff against what tc has now */
	TS_APPLY,	/* run it */
};

const char *ts_rundir(void);
int ts_lock(void);
int ts_apply(const struct ts_config *c, enum ts_mode mode, int force);
int ts_clear(const struct ts_config *c);

#endif /* TCSHAPE_APPLY_H */
