/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A strict little v9/IPFIX collector for the encoder tests, written from
 * the RFCs independently of the encoder: it keeps templates across PDUs like
 * a real collector and flags anything a collector would choke on.
 */
#ifndef NETFLOW_ENC_PARSE_H
#define NETFLOW_ENC_PARSE_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "encode.h"

#define TP_MAX_FIELDS	32
#define TP_MAX_TMPL	512
/* v9 ids 256.., IPFIX 768..: one table slot per id of either */
#define TP_IDX(id)	(((id) - 256) % 512)
#define TP_MAX_RECS	128

struct tp_tmpl {
	int n, scope, reclen;
	unsigned short id[TP_MAX_FIELDS], len[TP_MAX_FIELDS];
};

struct tp_rec {
	const struct tp_tmpl *t;
	unsigned int tid;
	const unsigned char *p;
};

struct tp_coll {
	int version;			/* 9 or 10 */
	int have[TP_MAX_TMPL];		/* template id - 256 known */
	struct tp_tmpl tmpl[TP_MAX_TMPL];
};

struct tp_pdu {
	unsigned int version, count, length;
	unsigned long long uptime, secs, seq, domain;
	int ntmpl;			/* template records, options included */
	unsigned int tmpl_ids[TP_MAX_TMPL];
	int nrec;
	struct tp_rec rec[TP_MAX_RECS];
	char err[128];			/* first problem found, "" if none */
};

static inline unsigned long long tp_be(const unsigned char *p, int len)
{
	unsigned long long v = 0;

	while (len--)
		v = v << 8 | *p++;
	return v;
}

/* Note the first problem found; returns -1 for "return tp_fail(...)". */
static inline int tp_fail(struct tp_pdu *o, const char *fmt, ...)
{
	va_list ap;

	if (!o->err[0]) {
		va_start(ap, fmt);
		vsnprintf(o->err, sizeof(o->err), fmt, ap);
		va_end(ap);
	}
	return -1;
}

static inline int tp_template(struct tp_coll *c, struct tp_pdu *o,
			      const unsigned char *p, int left, int opt,
			      int *used)
{
	unsigned int id = tp_be(p, 2);
	int hdr = opt ? 6 : 4, n, scope, i;
	struct tp_tmpl *t;

	if (left < hdr)
		return tp_fail(o, "short template header");
	if (id < 256 || id >= 256 + 2 * 512 || TP_IDX(id) >= TP_MAX_TMPL)
		return tp_fail(o, "template id %u out of range", id);
	if (!opt) {
		n = tp_be(p + 2, 2);
		scope = 0;
	} else if (c->version == 9) {
		scope = tp_be(p + 2, 2) / 4;
		n = scope + tp_be(p + 4, 2) / 4;
	} else {
		n = tp_be(p + 2, 2);
		scope = tp_be(p + 4, 2);
	}
	if (n > TP_MAX_FIELDS || left < hdr + 4 * n || scope > n)
		return tp_fail(o, "bad template %u", id);
	t = &c->tmpl[TP_IDX(id)];
	t->n = n;
	t->scope = scope;
	t->reclen = 0;
	for (i = 0; i < n; i++) {
		t->id[i] = tp_be(p + hdr + 4 * i, 2);
		t->len[i] = tp_be(p + hdr + 4 * i + 2, 2);
		if (t->id[i] & 0x8000)
			return tp_fail(o, "enterprise bit in template %u", id);
		t->reclen += t->len[i];
	}
	c->have[TP_IDX(id)] = 1;
	if (o->ntmpl < TP_MAX_TMPL)
		o->tmpl_ids[o->ntmpl] = id;
	o->ntmpl++;
	*used = hdr + 4 * n;
	return 0;
}

/* Parse one PDU; returns 0 or -1 with o->err set. */
static inline int tp_parse(struct tp_coll *c, const unsigned char *b,
			   unsigned int len, struct tp_pdu *o)
{
	unsigned int hdr = c->version == 9 ? 20 : 16, off, set_len, id;

	memset(o, 0, sizeof(*o));
	if (len < hdr)
		return tp_fail(o, "short PDU");
	o->version = tp_be(b, 2);
	if ((int)o->version != c->version)
		return tp_fail(o, "version %u", o->version);
	if (c->version == 9) {
		o->count = tp_be(b + 2, 2);
		o->uptime = tp_be(b + 4, 4);
		o->secs = tp_be(b + 8, 4);
		o->seq = tp_be(b + 12, 4);
		o->domain = tp_be(b + 16, 4);
	} else {
		o->length = tp_be(b + 2, 2);
		o->secs = tp_be(b + 4, 4);
		o->seq = tp_be(b + 8, 4);
		o->domain = tp_be(b + 12, 4);
		if (o->length != len)
			return tp_fail(o, "length %u != %u", o->length, len);
	}
	for (off = hdr; off < len; off += set_len) {
		const unsigned char *s = b + off;
		int tmpl_set, opt_set, used, left;

		if (len - off < 4)
			return tp_fail(o, "trailing bytes");
		id = tp_be(s, 2);
		set_len = tp_be(s + 2, 2);
		if (set_len < 4 || set_len > len - off)
			return tp_fail(o, "set length %u at %u", set_len, off);
		if (c->version == 9 && (set_len & 3))
			return tp_fail(o, "v9 flowset not 4-aligned");
		tmpl_set = id == (c->version == 9 ? 0u : 2u);
		opt_set = id == (c->version == 9 ? 1u : 3u);
		left = set_len - 4;
		if (tmpl_set || opt_set) {
			const unsigned char *p = s + 4;

			while (left >= (opt_set ? 6 : 4) + 4) {
				if (tp_template(c, o, p, left, opt_set, &used))
					return -1;
				p += used;
				left -= used;
			}
		} else if (id >= 256) {
			const struct tp_tmpl *t;
			const unsigned char *p = s + 4;

			if (id >= 256 + 2 * 512 || TP_IDX(id) >= TP_MAX_TMPL ||
			    !c->have[TP_IDX(id)])
				return tp_fail(o, "data set %u before its template",
					id);
			t = &c->tmpl[TP_IDX(id)];
			while (left >= t->reclen) {
				if (o->nrec >= TP_MAX_RECS)
					return tp_fail(o, "too many records");
				o->rec[o->nrec].t = t;
				o->rec[o->nrec].tid = id;
				o->rec[o->nrec].p = p;
				o->nrec++;
				p += t->reclen;
				left -= t->reclen;
			}
		} else {
			return tp_fail(o, "reserved set id %u", id);
		}
		/* v9 pads to 4 bytes; we emit no IPFIX padding at all */
		if (left && (c->version == 10 || left > 3))
			return tp_fail(o, "%d stray bytes in set %u", left, id);
		while (left--)
			if (s[set_len - 1 - left])
				return tp_fail(o, "non-zero padding");
	}
	if (c->version == 9 && o->count != (unsigned int)(o->ntmpl + o->nrec))
		return tp_fail(o, "v9 count %u != %d", o->count, o->ntmpl + o->nrec);
	return 0;
}

static int tp_missing;

/* Pointer to the value of IE @id in a record, NULL (and noted) if absent. */
static inline const unsigned char *tp_field(const struct tp_rec *r,
					    unsigned int id, int *len)
{
	const unsigned char *p = r->p;
	int i;

	for (i = 0; i < r->t->n; p += r->t->len[i], i++) {
		if (r->t->id[i] == id) {
			*len = r->t->len[i];
			return p;
		}
	}
	tp_missing++;
	*len = 0;
	return NULL;
}

static inline unsigned long long tp_get(const struct tp_rec *r,
					unsigned int id)
{
	int len;
	const unsigned char *p = tp_field(r, id, &len);

	return p ? tp_be(p, len) : ~0ULL;
}

static inline int tp_has(const struct tp_rec *r, unsigned int id)
{
	int i;

	for (i = 0; i < r->t->n; i++)
		if (r->t->id[i] == id)
			return 1;
	return 0;
}

#endif /* NETFLOW_ENC_PARSE_H */
