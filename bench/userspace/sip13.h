/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stand-in for the kernel's hsiphash() on 64-bit: SipHash-1-3 (one
 * compression round per 8-byte word, three finalisation rounds), 32-bit
 * result, written from the SipHash paper's description. Same round count
 * and word count as the kernel's, so instruction counts are comparable.
 * BENCH_HASH_MUL swaps in a multiply-xor hash, to show what hashing costs.
 */
#ifndef BENCH_SIP13_H
#define BENCH_SIP13_H

#include <stdint.h>
#include <string.h>

struct bench_hkey {
	uint64_t k0, k1;
};

#define B_ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define B_SIPROUND						\
	do {							\
		v0 += v1; v1 = B_ROTL(v1, 13); v1 ^= v0;	\
		v0 = B_ROTL(v0, 32);				\
		v2 += v3; v3 = B_ROTL(v3, 16); v3 ^= v2;	\
		v0 += v3; v3 = B_ROTL(v3, 21); v3 ^= v0;	\
		v2 += v1; v1 = B_ROTL(v1, 17); v1 ^= v2;	\
		v2 = B_ROTL(v2, 32);				\
	} while (0)

/* @len a multiple of 8 (the flow key is 48 bytes). */
static inline uint32_t bench_hash(const void *data, size_t len,
				  const struct bench_hkey *k)
{
#ifdef BENCH_HASH_MUL
	const uint8_t *p = data;
	uint64_t h = k->k0, w;
	size_t i;

	for (i = 0; i < len; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 32;	/* high input bits reach the low ones */
	}
	return (uint32_t)(h >> 32);
#else
	uint64_t v0 = 0x736f6d6570736575ULL ^ k->k0;
	uint64_t v1 = 0x646f72616e646f6dULL ^ k->k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ k->k0;
	uint64_t v3 = 0x7465646279746573ULL ^ k->k1;
	const uint8_t *p = data;
	uint64_t m, b = (uint64_t)len << 56;
	size_t i;

	for (i = 0; i < len; i += 8) {
		memcpy(&m, p + i, 8);
		v3 ^= m;
		B_SIPROUND;
		v0 ^= m;
	}
	v3 ^= b;
	B_SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	B_SIPROUND;
	B_SIPROUND;
	B_SIPROUND;
	return (uint32_t)(v0 ^ v1 ^ v2 ^ v3);
#endif
}

#endif /* BENCH_SIP13_H */
