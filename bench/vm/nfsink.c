// SPDX-License-Identifier: GPL-2.0
/*
 * A local NetFlow sink for the benchmark guest.
 *
 *   nfsink hold PORT
 *       bind *:PORT with the smallest receive buffer and never
 *       read: the exporter's cost ends at the collector's socket.
 *   nfsink count PORT RCVBUF IDLE_MS [TRIGGER]
 *       write "1" to the file TRIGGER (net.netflow.flush) once bound and
 *       print how long the write took ("flush_ns T": the exporter's time,
 *       no process start-up in it); then read NetFlow v5 or v9 PDUs until
 *       IDLE_MS pass without one; check
 *       sequence numbers (v5: flows, v9: PDUs) and print
 *       "pdus N records N lost N first_ns T last_ns T".
 * Prints "ready" once bound, so a script can wait for it.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static unsigned int be16(const unsigned char *p)
{
	return p[0] << 8 | p[1];
}

/* Data records of a v9 PDU: flowsets with id >= 256, 52-byte-ish records. */
static unsigned int v9_records(const unsigned char *p, size_t len,
			       unsigned int count)
{
	size_t off = 20;
	unsigned int tmpl = 0;

	/* header count = data + template records; subtract the templates */
	while (off + 4 <= len) {
		unsigned int id = be16(p + off), l = be16(p + off + 2);

		if (l < 4 || off + l > len)
			break;
		if (id == 0 || id == 1) {
			size_t o = off + 4;

			while (o + 4 <= off + l) {
				unsigned int n = be16(p + o + 2);

				tmpl++;
				o += 4 + 4 * (size_t)n + (id == 1 ? 2 : 0);
				if (id == 1)
					break;	/* one options template per set */
			}
		}
		off += l;
	}
	return count > tmpl ? count - tmpl : 0;
}

int main(int argc, char **argv)
{
	static unsigned char buf[65536];
	unsigned long long pdus = 0, records = 0, lost = 0;
	uint64_t first = 0, last = 0;
	struct sockaddr_in sa;
	uint32_t expect = 0;
	int fd, rcvbuf, idle;
	bool have_seq = false;

	if (argc < 3 || (strcmp(argv[1], "hold") && argc != 5 && argc != 6)) {
		fprintf(stderr, "usage: nfsink hold PORT | count PORT RCVBUF IDLE_MS [TRIGGER]\n");
		return 2;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(atoi(argv[2]));
	sa.sin_addr.s_addr = htonl(INADDR_ANY);	/* 10.0.0.1 and 127.0.0.1 */
	rcvbuf = strcmp(argv[1], "hold") ? atoi(argv[3]) : 1;
	/* FORCE passes rmem_max (root in the guest) */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("bind");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	if (!strcmp(argv[1], "hold")) {
		for (;;)
			pause();
	}
	idle = atoi(argv[4]);
	if (argc == 6) {
		FILE *t = fopen(argv[5], "w");
		uint64_t t0 = now_ns(), t1;

		/* the write returns when every flow has been exported */
		if (!t || fputs("1\n", t) < 0 || fclose(t)) {
			perror(argv[5]);
			return 1;
		}
		t1 = now_ns();
		printf("flush_ns %llu\n", (unsigned long long)(t1 - t0));
	}
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t len;
		unsigned int ver, count, recs;
		uint32_t seq;

		if (poll(&pfd, 1, pdus ? idle : 600000) <= 0)
			break;
		len = recv(fd, buf, sizeof(buf), 0);
		if (len < 24)
			continue;
		last = now_ns();
		if (!pdus)
			first = last;
		pdus++;
		ver = be16(buf);
		count = be16(buf + 2);
		if (ver == 5) {
			seq = be32(buf + 16);
			recs = count;
			/* v5 counts flows: the next PDU starts after these */
			if (have_seq && seq != expect)
				lost += (uint32_t)(seq - expect);
			expect = seq + count;
		} else if (ver == 9) {
			seq = be32(buf + 12);
			recs = v9_records(buf, len, count);
			/* v9 counts PDUs */
			if (have_seq && seq != expect)
				lost += (uint32_t)(seq - expect);
			expect = seq + 1;
		} else {
			continue;
		}
		have_seq = true;
		records += recs;
	}
	printf("pdus %llu records %llu lost %llu first_ns %llu last_ns %llu\n",
	       pdus, records, lost, (unsigned long long)first,
	       (unsigned long long)last);
	return 0;
}
