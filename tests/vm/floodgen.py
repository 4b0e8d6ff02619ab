#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A bounded flood of random UDP tuples from several threads.

usage: floodgen.py DST4 DST6 COUNT [--threads N] [--seconds S]
Each thread sends COUNT datagrams, two of three to DST4 and one to DST6,
to random destination ports from 16 sockets (random source ports), and
stops early after S seconds. Prints the datagrams sent.
"""
import argparse
import random
import socket
import threading
import time

ap = argparse.ArgumentParser()
ap.add_argument("dst4")
ap.add_argument("dst6")
ap.add_argument("count", type=int)
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--seconds", type=float, default=30)
a = ap.parse_args()
end = time.monotonic() + a.seconds
sent = [0] * a.threads


def flood(i):
    rnd = random.Random(i)
    s4 = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(16)]
    s6 = [socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) for _ in range(16)]
    for n in range(a.count):
        if not n & 63 and time.monotonic() > end:
            break
        port = rnd.randrange(1024, 65536)
        try:
            if n % 3 == 2:
                rnd.choice(s6).sendto(b"f" * 64, (a.dst6, port))
            else:
                rnd.choice(s4).sendto(b"f" * 64, (a.dst4, port))
        except OSError:
            pass
        sent[i] += 1


ts = [threading.Thread(target=flood, args=(i,)) for i in range(a.threads)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(sum(sent))
