#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Bounded UDP traffic for scenarios: N datagrams to DST over many ports.

usage: udpgen.py DST COUNT [--ports N] [--size B] [--seconds S]
Sends COUNT datagrams, cycling destination ports DST:10000..10000+N-1, each
from its own source port when --ports > 1, so each port is a new flow.
Stops after COUNT datagrams or S seconds, whichever comes first; prints
how many it sent.
"""
import argparse
import socket
import time

ap = argparse.ArgumentParser()
ap.add_argument("dst")
ap.add_argument("count", type=int)
ap.add_argument("--ports", type=int, default=1)
ap.add_argument("--size", type=int, default=100)
ap.add_argument("--seconds", type=float, default=60)
a = ap.parse_args()
fam = socket.AF_INET6 if ":" in a.dst else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
payload = b"x" * a.size
end = time.monotonic() + a.seconds
sent = 0
while sent < a.count and time.monotonic() < end:
    try:
        s.sendto(payload, (a.dst, 10000 + sent % a.ports))
        sent += 1
    except OSError:
        # ICMP errors from the closed ports come back as send errors
        sent += 1
print(sent)
