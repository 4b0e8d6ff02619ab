#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""SYN+RST pairs of random tuples, written as Ethernet frames to a device.

usage: tcpflood.py DEV SRC DST DSTMAC COUNT [--cpu N] [--seed S]
Each pair is a SYN then a RST from SRC:random to DST:random, a new flow
every time, sent with an AF_PACKET socket (pktgen has no TCP flags). Runs
pinned to CPU N when given, so the receiving softirq runs there. Prints
how many frames it wrote.
"""
import argparse
import os
import random
import socket
import struct

ap = argparse.ArgumentParser()
ap.add_argument("dev")
ap.add_argument("src")
ap.add_argument("dst")
ap.add_argument("dstmac")
ap.add_argument("count", type=int)
ap.add_argument("--cpu", type=int)
ap.add_argument("--seed", type=int, default=1)
a = ap.parse_args()
if a.cpu is not None:
    os.sched_setaffinity(0, {a.cpu})
rng = random.Random(a.seed)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


src = socket.inet_aton(a.src)
dst = socket.inet_aton(a.dst)
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((a.dev, 0))
mac = bytes.fromhex(a.dstmac.replace(":", ""))
eth = mac + s.getsockname()[4][:6] + b"\x08\x00"


def frame(sport, dport, seq, flags):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 5 << 4, flags,
                      8192, 0, 0)
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp),
                     rng.randrange(65536), 0, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return eth + ip + tcp


sent = 0
for _ in range(a.count):
    sport = rng.randrange(1024, 65536)
    dport = rng.randrange(1, 65536)
    seq = rng.randrange(1 << 32)
    s.send(frame(sport, dport, seq, 0x02))        # SYN
    s.send(frame(sport, dport, seq + 1, 0x04))    # RST
    sent += 2
print(sent)
