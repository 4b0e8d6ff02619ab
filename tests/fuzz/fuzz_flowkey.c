// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for netflow_key_parse(): byte 0 picks the hook family,
 * the rest is the packet from its L3 header on.
 *
 * The parser is linked twice: as is (the accessor returns pointers into
 * the packet) and built with NETFLOW_PKT_COPY (the accessor copies into
 * the caller's buffer, like a non-linear skb). Both must agree exactly,
 * and every result must keep the promises flowkey.h makes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flowkey.h"
#include "promise.h"

/* kernel/flowkey.c again, built with -DNETFLOW_PKT_COPY (see Makefile) */
int netflow_key_parse_copy(const struct netflow_pkt *pkt, u8 family,
			   struct netflow_key *key,
			   struct netflow_pktinfo *info);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct netflow_pktinfo i1, i2;
	struct netflow_key k1, k2;
	struct netflow_pkt pkt;
	u8 family;
	int r1, r2;

	if (size < 1)
		return 0;
	family = (data[0] & 1) ? 6 : 4;
	pkt.data = data + 1;
	pkt.len = size - 1;

	/* different garbage in: identical bytes out */
	memset(&k1, 0xa5, sizeof(k1));
	memset(&i1, 0xa5, sizeof(i1));
	memset(&k2, 0x5a, sizeof(k2));
	memset(&i2, 0x5a, sizeof(i2));
	r1 = netflow_key_parse(&pkt, family, &k1, &i1);
	r2 = netflow_key_parse_copy(&pkt, family, &k2, &i2);
	PROMISE(r1 == r2);
	PROMISE(!memcmp(&k1, &k2, sizeof(k1)));
	PROMISE(!memcmp(&i1, &i2, sizeof(i1)));

	PROMISE(r1 == 0 || r1 == NETFLOW_PARSE_PARTIAL || r1 == -EINVAL);
	PROMISE(k1.pad == 0 && k1.ifindex_in == 0 && k1.ifindex_out == 0);
	if (r1 < 0) {
		PROMISE(all_zero(&k1, sizeof(k1)));
		PROMISE(all_zero(&i1, sizeof(i1)));
		return 0;
	}
	PROMISE(k1.family == family);
	PROMISE((k1.tos & 0x03) == 0);
	PROMISE(i1.flow_label <= 0xfffff);
	PROMISE(i1.l3_bytes != 0 || pkt.len == 0);
	PROMISE(!(i1.flags & ~(NETFLOW_PKT_FRAG_FIRST |
			       NETFLOW_PKT_FRAG_LATER | NETFLOW_PKT_TRUNC)));
	PROMISE((i1.flags & (NETFLOW_PKT_FRAG_FIRST | NETFLOW_PKT_FRAG_LATER))
		!= (NETFLOW_PKT_FRAG_FIRST | NETFLOW_PKT_FRAG_LATER));
	if (family == 4) {
		PROMISE(all_zero(k1.src.b + 4, 12));
		PROMISE(all_zero(k1.dst.b + 4, 12));
		PROMISE(i1.flow_label == 0);
	}
	if (r1 == NETFLOW_PARSE_PARTIAL) {
		PROMISE(i1.flags & NETFLOW_PKT_TRUNC);
		PROMISE(k1.sport == 0 && k1.dport == 0);
		PROMISE(i1.tcp_flags == 0);
		PROMISE(i1.hdr_len <= pkt.len);
	} else {
		PROMISE(!(i1.flags & NETFLOW_PKT_TRUNC));
	}
	if (i1.flags & NETFLOW_PKT_FRAG_LATER)
		PROMISE(k1.sport == 0 && k1.dport == 0 && i1.tcp_flags == 0);
	return 0;
}
