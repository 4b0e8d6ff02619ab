/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel facilities the pure logic (flow key parsing, encoders,
 * table core) uses, so the same .c files build in the kernel and, for unit
 * tests, fuzzing and benchmarks, in userspace.
 */
#ifndef NETFLOW_PURE_H
#define NETFLOW_PURE_H

#ifdef __KERNEL__
#include "compat.h"	/* get_unaligned_*() moved in 6.12 */
#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <asm/byteorder.h>
#include <asm/div64.h>
#include <linux/list.h>
#include <linux/rculist.h>
#else
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>
#include <errno.h>
#include <endian.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int32_t s32;
typedef int64_t s64;
typedef uint16_t __be16;
typedef uint32_t __be32;
typedef uint64_t __be64;

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define min(a, b)	((a) < (b) ? (a) : (b))
#define max(a, b)	((a) > (b) ? (a) : (b))
/* n /= base, returns the remainder (the kernel's do_div contract) */
#define do_div(n, base) ({ u32 _rem = (n) % (base); (n) /= (base); _rem; })
#define fallthrough	__attribute__((__fallthrough__))
#define __force
#ifndef __always_inline
#define __always_inline	inline __attribute__((always_inline))
#endif
#define __aligned(n)	__attribute__((aligned(n)))
#define __ffs64(x)	((unsigned int)__builtin_ctzll(x))

#define htons(x)	htobe16(x)
#define ntohs(x)	be16toh(x)
#define htonl(x)	htobe32(x)
#define ntohl(x)	be32toh(x)
#define cpu_to_be16(x)	htobe16(x)
#define cpu_to_be32(x)	htobe32(x)
#define cpu_to_be64(x)	htobe64(x)
#define be16_to_cpu(x)	be16toh(x)
#define be32_to_cpu(x)	be32toh(x)

static inline u16 get_unaligned_be16(const void *p)
{
	u16 v;

	memcpy(&v, p, sizeof(v));
	return be16toh(v);
}

static inline u32 get_unaligned_be32(const void *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return be32toh(v);
}

static inline void put_unaligned_be16(u16 v, void *p)
{
	v = htobe16(v);
	memcpy(p, &v, sizeof(v));
}

static inline void put_unaligned_be32(u32 v, void *p)
{
	v = htobe32(v);
	memcpy(p, &v, sizeof(v));
}

static inline void put_unaligned_be64(u64 v, void *p)
{
	v = htobe64(v);
	memcpy(p, &v, sizeof(v));
}
#include "pure_list.h"
#endif /* __KERNEL__ */

#endif /* NETFLOW_PURE_H */
