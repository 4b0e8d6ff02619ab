/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flow table's keyed hash: SipHash-1-3 (the rounds of the kernel's
 * hsiphash() on 64-bit) over whole u64 words, inlined into the packet path.
 * hsiphash() is a call with a length loop and a byte tail; here the words
 * are loaded as they are, and the link-layer words are hashed from where
 * they lie instead of being copied behind the key first. Keyed by a random
 * secret drawn at load: a sender cannot choose keys that share a bucket.
 * Pure: the userspace benchmark and tests hash with the same code.
 */
#ifndef NETFLOW_FLOWHASH_H
#define NETFLOW_FLOWHASH_H

#include "pure.h"

struct netflow_hash_secret {
	u64 k0, k1;
};

#define NETFLOW_ROTL64(x, b)	(((x) << (b)) | ((x) >> (64 - (b))))

struct netflow_sip {
	u64 v0, v1, v2, v3;
};

static __always_inline void netflow_sip_round(struct netflow_sip *s)
{
	s->v0 += s->v1;
	s->v1 = NETFLOW_ROTL64(s->v1, 13);
	s->v1 ^= s->v0;
	s->v0 = NETFLOW_ROTL64(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = NETFLOW_ROTL64(s->v3, 16);
	s->v3 ^= s->v2;
	s->v0 += s->v3;
	s->v3 = NETFLOW_ROTL64(s->v3, 21);
	s->v3 ^= s->v0;
	s->v2 += s->v1;
	s->v1 = NETFLOW_ROTL64(s->v1, 17);
	s->v1 ^= s->v2;
	s->v2 = NETFLOW_ROTL64(s->v2, 32);
}

static __always_inline void netflow_sip_word(struct netflow_sip *s, u64 m)
{
	s->v3 ^= m;
	netflow_sip_round(s);
	s->v0 ^= m;
}

/*
 * @n words at @w (3: a packed IPv4 key, 6: an IPv6 key), then @nx words at
 * @x (the link layer, 0 for none). The word count enters the last block,
 * so inputs of different lengths never collide by construction.
 */
static __always_inline u32 netflow_flow_hash(const u64 *w, unsigned int n,
					     const u64 *x, unsigned int nx,
					     const struct netflow_hash_secret *k)
{
	struct netflow_sip s = {
		.v0 = 0x736f6d6570736575ULL ^ k->k0,
		.v1 = 0x646f72616e646f6dULL ^ k->k1,
		.v2 = 0x6c7967656e657261ULL ^ k->k0,
		.v3 = 0x7465646279746573ULL ^ k->k1,
	};
	u64 last = (u64)((n + nx) * 8) << 56;
	unsigned int i;
	u64 h;

	for (i = 0; i < n; i++)
		netflow_sip_word(&s, w[i]);
	for (i = 0; i < nx; i++)
		netflow_sip_word(&s, x[i]);
	netflow_sip_word(&s, last);
	s.v2 ^= 0xff;
	netflow_sip_round(&s);
	netflow_sip_round(&s);
	netflow_sip_round(&s);
	h = s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
	return (u32)(h ^ (h >> 32));
}

#endif /* NETFLOW_FLOWHASH_H */
