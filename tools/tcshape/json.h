/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small JSON reader for `tc -j` output. Keys may repeat (u32 prints one
 * "match" per selector key), so objects keep their members in order.
 */
#ifndef TCSHAPE_JSON_H
#define TCSHAPE_JSON_H

enum ts_json_type { TS_J_NULL, TS_J_BOOL, TS_J_NUM, TS_J_STR, TS_J_ARR,
		    TS_J_OBJ };

struct ts_json {
	enum ts_json_type type;
	char *key;		/* member name inside an object */
	char *val;		/* text of a string, number or bool */
	struct ts_json *kid;	/* first member / element */
	struct ts_json *next;
};

struct ts_json *ts_json_parse(const char *s);
void ts_json_free(struct ts_json *j);
const struct ts_json *ts_json_get(const struct ts_json *o, const char *key);
const char *ts_json_str(const struct ts_json *o, const char *key);

#endif /* TCSHAPE_JSON_H */
