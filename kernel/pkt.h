/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bounded byte access to a packet from its L3 header on. The parser reads
 * only through netflow_pkt_header(), so the same parser runs on an sk_buff
 * in the kernel and on a plain byte array in unit tests and fuzzers.
 */
#ifndef NETFLOW_PKT_H
#define NETFLOW_PKT_H

#include "pure.h"

#ifdef __KERNEL__
#include <linux/skbuff.h>

struct netflow_pkt {
	const struct sk_buff *skb;
	unsigned int nhoff;	/* network header offset from skb->data */
	unsigned int len;	/* bytes available from the network header */
};

/*
 * In netfilter hooks the network header is at skb->data; anything else
 * (a negative offset, or one past the end) leaves an empty packet, which
 * the parser rejects instead of reading out of bounds.
 */
static inline void netflow_pkt_from_skb(struct netflow_pkt *pkt,
					const struct sk_buff *skb)
{
	int nhoff = skb_network_offset(skb);

	pkt->skb = skb;
	if (nhoff < 0 || (unsigned int)nhoff > skb->len) {
		pkt->nhoff = 0;
		pkt->len = 0;
		return;
	}
	pkt->nhoff = nhoff;
	pkt->len = skb->len - nhoff;
}

/*
 * @len bytes at @off from the L3 header, or NULL if they are not all in
 * the packet. May copy into @buf (at least @len bytes) when the skb is not
 * linear there, so the result is valid only as long as @buf is.
 */
static inline const void *netflow_pkt_header(const struct netflow_pkt *pkt,
					     unsigned int off,
					     unsigned int len, void *buf)
{
	if (off > pkt->len || len > pkt->len - off)
		return NULL;
	return skb_header_pointer(pkt->skb, pkt->nhoff + off, len, buf);
}

#else /* !__KERNEL__ */

struct netflow_pkt {
	const u8 *data;		/* first byte of the L3 header */
	unsigned int len;
};

/*
 * Userspace twin of the kernel accessor. Building with NETFLOW_PKT_COPY
 * always copies into @buf, as a non-linear skb would, so the fuzzer also
 * runs the copy path and ASan catches a @buf smaller than @len.
 */
static inline const void *netflow_pkt_header(const struct netflow_pkt *pkt,
					     unsigned int off,
					     unsigned int len, void *buf)
{
	if (off > pkt->len || len > pkt->len - off)
		return NULL;
#ifdef NETFLOW_PKT_COPY
	memcpy(buf, pkt->data + off, len);
	return buf;
#else
	(void)buf;
	return pkt->data + off;
#endif
}

#endif /* __KERNEL__ */

#endif /* NETFLOW_PKT_H */
