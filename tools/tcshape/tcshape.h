/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcshape: per-tenant bandwidth limits as Linux HTB traffic control.
 * Data flows one way: config -> plan (desired objects) -> diff against the
 * objects read back from tc -> one tc batch.
 */
#ifndef TCSHAPE_H
#define TCSHAPE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TS_NAME_MAX	32
#define TS_DEV_MAX	16	/* IFNAMSIZ */
#define TS_MINOR_FIRST	0x10	/* 1:1 root, 1:2 default, tenants after */
#define TS_MINOR_LAST	0xfffe	/* leaf major == minor; ffff: is ingress */
#define TS_MTU_QUANTUM	1514
#define TS_QUANTUM_MAX	200000	/* HTB clamps above this anyway */

enum ts_dir { TS_DOWN, TS_UP };	/* DOWN: match dst, UP: match src */

struct ts_addr {
	int family;		/* 4 or 6 */
	uint8_t a[16];		/* network byte order, host bits zeroed */
	int len;		/* prefix length */
};

struct ts_rate {
	uint64_t rate, ceil;	/* bit/s; rate 0 = not shaped this way */
};

struct ts_tenant {
	char name[TS_NAME_MAX + 1];
	struct ts_addr *addr;
	size_t naddr;
	uint32_t mark;		/* 0 = none */
	struct ts_rate dir[2];	/* indexed by enum ts_dir */
	int prio;		/* HTB prio 0..7 */
	const char *file;
	int line;
};

struct ts_iface {
	char dev[TS_DEV_MAX];
	char ifb[TS_DEV_MAX];	/* "" = no ingress shaping */
	uint64_t rate;		/* link rate, bit/s */
	uint64_t defrate;	/* default class rate, 0 = derive */
	enum ts_dir egress;	/* side lan: DOWN, side wan: UP */
	const char *file;
	int line;
};

struct ts_config {
	struct ts_iface *ifc;
	size_t nifc;
	struct ts_tenant *t;
	size_t nt;
	unsigned int r2q;
	char leaf[16];		/* sfq, fq_codel or pfifo */
	int cbq_classes;	/* tenants imported from cbq.init files */
};

/* util.c */
extern const char *ts_prog;
void ts_err(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ts_warn(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void *ts_xalloc(size_t n);
void *ts_xrealloc(void *p, size_t n);
char *ts_xstrdup(const char *s);
char *ts_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int ts_parse_rate(const char *s, uint64_t *bits);
void ts_rate_str(uint64_t bits, char *buf, size_t len);
void ts_tc_rate_str(uint64_t bits, char *buf, size_t len);
int ts_parse_addr(const char *s, struct ts_addr *a);
void ts_addr_str(const struct ts_addr *a, char *buf, size_t len);
int ts_parse_u32(const char *s, uint32_t *v);

/* config.c */
void ts_config_init(struct ts_config *c);
int ts_config_load(struct ts_config *c, const char *path);
int ts_config_line(struct ts_config *c, char *line, const char *file, int ln);
int ts_config_check(struct ts_config *c);
void ts_config_write(const struct ts_config *c, FILE *f);
void ts_config_free(struct ts_config *c);
struct ts_iface *ts_config_iface(struct ts_config *c, const char *dev);
struct ts_tenant *ts_config_tenant(struct ts_config *c, const char *name);
void ts_tenant_del(struct ts_config *c, struct ts_tenant *t);

/* cbq.c */
int ts_cbq_import(struct ts_config *c, const char *path, int have_cbq);
int ts_kernel_has_cbq(void);

#endif /* TCSHAPE_H */
