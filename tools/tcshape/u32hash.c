// SPDX-License-Identifier: GPL-2.0
/*
 * u32 hash layout: where each address lives so a packet is classified in
 * two hash lookups however many tenants there are.
 *
 * Hashed groups (IPv4 /32, IPv6 /128, IPv6 /64) each own a level-1 table
 * (256 buckets keyed on the last byte of one 32-bit word of the address)
 * whose buckets link to level-2 tables keyed on the byte before it. Entries
 * sit in the level-2 buckets, so a bucket only holds addresses that agree
 * on 16 bits; a /16 of hosts puts exactly one entry in each bucket. Other
 * prefixes are few and go to a linear table per family, tried after the
 * hash groups (lower priority), so the most specific entry wins.
 *
 * u32 hash table ids are 12 bits and share one id space per qdisc with the
 * tables u32 allocates itself (0x800 | n), so ours stay below 0x800:
 *   level 2: 0x100 * (group + 1) + last byte  (0x100 .. 0x3ff)
 *   level 1: 0x400 + group
 *   linear:  0x7f0 (IPv4), 0x7f1 (IPv6)
 */
#include <string.h>

#include "plan.h"

static const struct {
	unsigned int prio;
	const char *proto;
	int family;
	int word;		/* which 32-bit word of the address is hashed */
	unsigned int l1;	/* level-1 (or linear) table id */
} groups[TS_G_MAX] = {
	[TS_G4]    = { 10, "ip",   4, 0, 0x400 },
	[TS_G6]    = { 11, "ipv6", 6, 3, 0x401 },
	[TS_G6NET] = { 12, "ipv6", 6, 1, 0x402 },
	[TS_GPFX4] = { 20, "ip",   4, 0, 0x7f0 },
	[TS_GPFX6] = { 21, "ipv6", 6, 0, 0x7f1 },
};

int ts_u32_group(const struct ts_addr *a)
{
	if (a->family == 4)
		return a->len == 32 ? TS_G4 : TS_GPFX4;
	if (a->len == 128)
		return TS_G6;
	return a->len == 64 ? TS_G6NET : TS_GPFX6;
}

int ts_u32_hashed(int group)
{
	return group <= TS_G6NET;
}

unsigned int ts_u32_l1(int group)
{
	return groups[group].l1;
}

unsigned int ts_u32_prio(int group)
{
	return groups[group].prio;
}

const char *ts_u32_proto(int group)
{
	return groups[group].proto;
}

/* Offset in the IP header of the hashed word, for the hashkey option. */
int ts_u32_keyoff(int group, enum ts_dir d)
{
	if (groups[group].family == 4)
		return d == TS_DOWN ? 16 : 12;
	return (d == TS_DOWN ? 24 : 8) + 4 * groups[group].word;
}

void ts_u32_pos(const struct ts_addr *a, struct ts_u32pos *p)
{
	const uint8_t *w;

	memset(p, 0, sizeof(*p));
	p->group = ts_u32_group(a);
	if (!ts_u32_hashed(p->group)) {
		p->htid = groups[p->group].l1;
		return;
	}
	w = a->a + 4 * groups[p->group].word;
	p->l1bucket = w[3];
	p->bucket = w[2];
	p->htid = 0x100 * (p->group + 1) + w[3];
}

/* The selector keys as `tc -j filter show` prints them: value/mask@off. */
char *ts_u32_matchkey(const struct ts_addr *a, enum ts_dir d)
{
	int base = a->family == 4 ? (d == TS_DOWN ? 16 : 12)
				  : (d == TS_DOWN ? 24 : 8);
	char buf[160] = "";
	size_t len = 0;
	int i;

	for (i = 0; i * 32 < a->len; i++) {
		int bits = a->len - i * 32 >= 32 ? 32 : a->len - i * 32;
		uint32_t mask = bits == 32 ? 0xffffffffu
					   : ~(0xffffffffu >> bits);
		uint32_t v = (uint32_t)a->a[4 * i] << 24 |
			     (uint32_t)a->a[4 * i + 1] << 16 |
			     (uint32_t)a->a[4 * i + 2] << 8 | a->a[4 * i + 3];

		len += snprintf(buf + len, sizeof(buf) - len, "%s%x/%x@%d",
				i ? " " : "", v & mask, mask, base + 4 * i);
	}
	return ts_xstrdup(buf);
}

char *ts_u32_match(const struct ts_addr *a, enum ts_dir d)
{
	char s[64];

	ts_addr_str(a, s, sizeof(s));
	if (!strchr(s, '/'))
		return ts_fmt("match %s %s %s/%d",
			      a->family == 4 ? "ip" : "ip6",
			      d == TS_DOWN ? "dst" : "src", s, a->len);
	return ts_fmt("match %s %s %s", a->family == 4 ? "ip" : "ip6",
		      d == TS_DOWN ? "dst" : "src", s);
}
