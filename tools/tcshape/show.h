/* SPDX-License-Identifier: GPL-2.0 */
/* `tcshape show`: per-tenant configured versus measured rates. */
#ifndef TCSHAPE_SHOW_H
#define TCSHAPE_SHOW_H

#include "tcshape.h"

int ts_class_stats(const char *text, uint64_t *bytes, uint64_t *drops);
int ts_leaf_drops(const char *text, uint64_t *drops);
int ts_show(const struct ts_config *c, double interval);

#endif /* TCSHAPE_SHOW_H */
