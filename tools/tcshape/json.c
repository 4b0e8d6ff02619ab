// SPDX-License-Identifier: GPL-2.0
/*
 * Recursive-descent JSON reader, enough for iproute2's output: no unicode
 * escapes beyond passing them through, numbers kept as text.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "tcshape.h"

#define DEPTH_MAX 64

struct rd {
	const char *p;
	int depth;
};

static void ws(struct rd *r)
{
	while (isspace((unsigned char)*r->p))
		r->p++;
}

static char *string(struct rd *r)
{
	const char *s = ++r->p;
	char *out, *o;

	while (*r->p && *r->p != '"')
		r->p += (*r->p == '\\' && r->p[1]) ? 2 : 1;
	if (*r->p != '"')
		return NULL;
	out = o = ts_xalloc(r->p - s + 1);
	for (; s < r->p; s++) {
		if (*s != '\\') {
			*o++ = *s;
			continue;
		}
		s++;
		switch (*s) {
		case 'n':
			*o++ = '\n';
			break;
		case 't':
			*o++ = '\t';
			break;
		default:
			*o++ = *s;	/* \" \\ \/ and \u kept literally */
		}
	}
	r->p++;
	return out;
}

static struct ts_json *value(struct rd *r);

/*
 * Plain text where an object member should be: filters that print with
 * fprintf even under -j (f_fw.c before iproute2 6.8: "options":{handle
 * 0x10 classid 1:10 }). Kept as a string member named "text"; it ends at
 * the next quote or bracket, and a member may follow without a comma.
 */
static struct ts_json *bare_text(struct rd *r)
{
	const char *s = r->p, *e;
	struct ts_json *j;

	while (*r->p && !strchr("\"{}[]", *r->p))
		r->p++;
	for (e = r->p; e > s && (isspace((unsigned char)e[-1]) ||
				 e[-1] == ','); e--)
		;
	if (e == s || (*r->p != '"' && *r->p != '}'))
		return NULL;
	j = ts_xalloc(sizeof(*j));
	j->type = TS_J_STR;
	j->key = ts_xstrdup("text");
	j->val = strndup(s, e - s);
	if (!j->val) {
		free(j->key);
		free(j);
		return NULL;
	}
	return j;
}

static int members(struct rd *r, struct ts_json *j, char close, int named)
{
	struct ts_json **tail = &j->kid;

	r->p++;
	ws(r);
	if (*r->p == close) {
		r->p++;
		return 0;
	}
	for (;;) {
		char *key = NULL;
		struct ts_json *k;

		ws(r);
		if (named && *r->p != '"') {
			k = bare_text(r);
			if (!k)
				return -1;
			*tail = k;
			tail = &k->next;
			if (*r->p == '"')
				continue;
			r->p++;
			return 0;
		}
		if (named) {
			if (*r->p != '"' || !(key = string(r)))
				return -1;
			ws(r);
			if (*r->p++ != ':') {
				free(key);
				return -1;
			}
		}
		k = value(r);
		if (!k) {
			free(key);
			return -1;
		}
		k->key = key;
		*tail = k;
		tail = &k->next;
		ws(r);
		if (*r->p == ',') {
			r->p++;
			continue;
		}
		if (*r->p++ != close)
			return -1;
		return 0;
	}
}

static struct ts_json *value(struct rd *r)
{
	struct ts_json *j;
	const char *s;

	ws(r);
	if (++r->depth > DEPTH_MAX)
		return NULL;
	j = ts_xalloc(sizeof(*j));
	s = r->p;
	if (*s == '{' || *s == '[') {
		j->type = *s == '{' ? TS_J_OBJ : TS_J_ARR;
		if (members(r, j, *s == '{' ? '}' : ']', *s == '{'))
			goto bad;
	} else if (*s == '"') {
		j->type = TS_J_STR;
		j->val = string(r);
		if (!j->val)
			goto bad;
	} else if (!strncmp(s, "null", 4)) {
		r->p += 4;
	} else if (!strncmp(s, "true", 4) || !strncmp(s, "false", 5)) {
		j->type = TS_J_BOOL;
		j->val = ts_xstrdup(*s == 't' ? "true" : "false");
		r->p += *s == 't' ? 4 : 5;
	} else if (*s == '-' || isdigit((unsigned char)*s)) {
		j->type = TS_J_NUM;
		while (*r->p && strchr("+-.eE0123456789", *r->p))
			r->p++;
		j->val = strndup(s, r->p - s);
		if (!j->val)
			goto bad;
	} else {
		goto bad;
	}
	r->depth--;
	return j;
bad:
	ts_json_free(j);
	return NULL;
}

struct ts_json *ts_json_parse(const char *s)
{
	struct rd r = { .p = s };
	struct ts_json *j = value(&r);

	if (!j)
		return NULL;
	ws(&r);
	if (*r.p) {
		ts_json_free(j);
		return NULL;
	}
	return j;
}

void ts_json_free(struct ts_json *j)
{
	while (j) {
		struct ts_json *next = j->next;

		ts_json_free(j->kid);
		free(j->key);
		free(j->val);
		free(j);
		j = next;
	}
}

const struct ts_json *ts_json_get(const struct ts_json *o, const char *key)
{
	const struct ts_json *k;

	if (!o || o->type != TS_J_OBJ)
		return NULL;
	for (k = o->kid; k; k = k->next)
		if (k->key && !strcmp(k->key, key))
			return k;
	return NULL;
}

const char *ts_json_str(const struct ts_json *o, const char *key)
{
	const struct ts_json *k = ts_json_get(o, key);

	return k ? k->val : NULL;
}
