/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Wrap encoder PDUs in Ethernet/IPv4/UDP frames (10.0.0.1:40000 ->
 * 10.0.0.2:2055) inside a classic pcap file, so real decoders can read them.
 */
#ifndef NETFLOW_PCAP_WRITE_H
#define NETFLOW_PCAP_WRITE_H

#include <stdio.h>
#include <stdint.h>
#include <string.h>

static inline void pcap_put32(FILE *f, uint32_t v)	/* host order */
{
	fwrite(&v, 4, 1, f);
}

static inline FILE *pcap_open(const char *path)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return NULL;
	pcap_put32(f, 0xa1b2c3d4);		/* microsecond pcap */
	pcap_put32(f, 2 | 4 << 16);		/* version 2.4 */
	pcap_put32(f, 0);			/* thiszone */
	pcap_put32(f, 0);			/* sigfigs */
	pcap_put32(f, 65535);			/* snaplen */
	pcap_put32(f, 1);			/* LINKTYPE_ETHERNET */
	return f;
}

static inline void pcap_be16(uint8_t *p, unsigned int v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static inline void pcap_udp(FILE *f, uint32_t ts_sec, const uint8_t *pdu,
			    unsigned int len)
{
	static const uint8_t eth[14] = {
		2, 0, 0, 0, 0, 2,  2, 0, 0, 0, 0, 1,  0x08, 0x00 };
	uint8_t ip[20] = { 0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 17, 0, 0,
			   10, 0, 0, 1, 10, 0, 0, 2 };
	uint8_t udp[8] = { 0 };
	uint32_t sum = 0;
	int i;

	pcap_be16(ip + 2, 28 + len);
	for (i = 0; i < 20; i += 2)
		sum += ip[i] << 8 | ip[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	pcap_be16(ip + 10, ~sum & 0xffff);
	pcap_be16(udp, 40000);
	pcap_be16(udp + 2, 2055);
	pcap_be16(udp + 4, 8 + len);		/* checksum 0: none */
	pcap_put32(f, ts_sec);
	pcap_put32(f, 0);
	pcap_put32(f, 42 + len);
	pcap_put32(f, 42 + len);
	fwrite(eth, sizeof(eth), 1, f);
	fwrite(ip, sizeof(ip), 1, f);
	fwrite(udp, sizeof(udp), 1, f);
	fwrite(pdu, len, 1, f);
}

#endif /* NETFLOW_PCAP_WRITE_H */
