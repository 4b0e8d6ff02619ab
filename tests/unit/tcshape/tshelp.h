/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the tcshape unit tests: files, configs, captured stderr. */
#ifndef TSHELP_H
#define TSHELP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plan.h"
#include "unit.h"

static inline char *th_read(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, n + 1);
	if (fread(buf, 1, n, f) != (size_t)n)
		buf[0] = '\0';
	fclose(f);
	return buf;
}

static inline void th_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
}

/* Loads text as config file `path`; stderr goes to th_err(). */
static inline int th_load(struct ts_config *c, const char *path,
			  const char *text)
{
	int rc;

	th_write(path, text);
	ts_config_init(c);
	fflush(stderr);
	if (!freopen("stderr.tmp", "w", stderr))
		return -2;
	rc = ts_config_load(c, path);
	if (!rc)
		rc = ts_config_check(c);
	fflush(stderr);
	return rc;
}

static inline int th_err_has(const char *needle)
{
	char *s = th_read("stderr.tmp");
	int yes = s && strstr(s, needle);

	if (!yes)
		printf("  stderr lacks '%s': %s", needle, s ? s : "(none)\n");
	free(s);
	return yes;
}

/* The diff batch turning cur into the plan of c, as one string. */
static inline char *th_batch(const struct ts_config *c, struct ts_objs *cur,
			     size_t *lines)
{
	struct ts_objs want = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ts_objs_sort(cur);
	if (ts_plan(c, cur, &want, NULL))
		fputs("PLAN FAILED\n", f);
	*lines = ts_diff(&want, cur, f);
	fclose(f);
	ts_objs_free(&want);
	return buf;
}

#endif /* TSHELP_H */
