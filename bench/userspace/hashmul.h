/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BENCH_HASH_MUL's stand-in for the flow hash: a multiply-xor over the key's
 * words, unkeyed in effect and not flood-resistant, to show what the keyed
 * hash (kernel/flowhash.h) costs per packet.
 */
#ifndef BENCH_HASHMUL_H
#define BENCH_HASHMUL_H

#include <stdint.h>
#include <string.h>

struct bench_hkey {
	uint64_t k0, k1;
};

/* @len a multiple of 8 (the hash input is 24 or 48 bytes). */
static inline uint32_t bench_hash(const void *data, size_t len,
				  const struct bench_hkey *k)
{
	const uint8_t *p = data;
	uint64_t h = k->k0, w;
	size_t i;

	for (i = 0; i < len; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 32;	/* high input bits reach the low ones */
	}
	return (uint32_t)(h >> 32);
}

#endif /* BENCH_HASHMUL_H */
