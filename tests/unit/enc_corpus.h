/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sample flows and clocks shared by the encoder unit tests and the tshark
 * cross-check, one of each shape the encoders distinguish.
 */
#ifndef NETFLOW_ENC_CORPUS_H
#define NETFLOW_ENC_CORPUS_H

#include <arpa/inet.h>
#include <string.h>
#include "record.h"

/* 1 h after boot; wall clock 2023-11-14 22:13:20.456789012 UTC */
static const struct netflow_clock corpus_now = {
	.uptime_ms = 3600123,
	.unix_ms = 1700000000456ULL,
	.unix_nsecs = 456789012,
};

#define CORPUS_BOOT_MS	(1700000000456ULL - 3600123)

enum { C_TCP4, C_UDP4, C_ICMP4, C_GRE4, C_TCP6, C_ICMP6, C_BIG4, C_N };

static inline struct netflow_record corpus_rec(int which)
{
	struct netflow_record r;

	memset(&r, 0, sizeof(r));
	r.family = 4;
	r.packets = 10;
	r.bytes = 1500;
	r.first_ms = 3500000;
	r.last_ms = 3600000;
	r.ifindex_in = 2;
	r.ifindex_out = 3;
	r.end_reason = NETFLOW_END_IDLE;
	inet_pton(AF_INET, "192.0.2.1", &r.src.ip4);
	inet_pton(AF_INET, "198.51.100.2", &r.dst.ip4);
	switch (which) {
	case C_TCP4:
		r.protocol = 6;
		r.sport = 12345;
		r.dport = 80;
		r.tcp_flags = 0x1b;
		r.tos = 0xb8;
		r.end_reason = NETFLOW_END_OF_FLOW;
		break;
	case C_UDP4:
		r.protocol = 17;
		r.sport = 5353;
		r.dport = 53;
		r.packets = 1;
		r.bytes = 76;
		r.direction = NETFLOW_DIR_EGRESS;
		r.end_reason = NETFLOW_END_ACTIVE;
		break;
	case C_ICMP4:
		r.protocol = 1;
		r.dport = 3 << 8 | 3;		/* port unreachable */
		r.ifindex_out = 0;
		r.end_reason = NETFLOW_END_FORCED;
		break;
	case C_GRE4:
		r.protocol = 47;
		r.tos = 0x20;
		r.end_reason = NETFLOW_END_LACK_OF_RESOURCES;
		break;
	case C_TCP6:
	case C_ICMP6:
		r.family = 6;
		inet_pton(AF_INET6, "2001:db8::1", r.src.b);
		inet_pton(AF_INET6, "2001:db8:ffff::2", r.dst.b);
		r.flow_label = 0x12345;
		r.protocol = which == C_TCP6 ? 6 : 58;
		r.sport = which == C_TCP6 ? 443 : 0;
		r.dport = which == C_TCP6 ? 50000 : 128 << 8;	/* echo */
		r.tcp_flags = which == C_TCP6 ? 0x12 : 0;
		r.ifindex_in = 100000;			/* > 16 bits */
		break;
	case C_BIG4:
		r.protocol = 17;
		r.sport = 1;
		r.dport = 2;
		r.packets = 0x123456789ULL;		/* > 32 bits */
		r.bytes = 0x20000000000ULL;
		r.ifindex_in = 70000;
		break;
	}
	/* tell records apart: a mixed-up field cannot go unnoticed */
	r.src.b[r.family == 4 ? 3 : 15] += which;
	r.first_ms += which * 1234;
	r.last_ms -= which * 7;
	return r;
}

#endif /* NETFLOW_ENC_CORPUS_H */
