#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Frames for another host, as a switch's mirror port delivers them.

usage: mirrorgen.py IFACE DST_MAC KIND COUNT SPORT [PAYLOAD]
KIND: udp4, udp6, mpls4 (labels 1001, 2002 over IPv4; mpls4=L,L,...
other labels), mpls6 (three over IPv6), vlan4 (802.1Q VID 300 in-band), badsum4 (IPv4 header checksum
wrong), shortlen4 (total length past the frame's end), nonip (an
experimental ethertype). Sends COUNT frames from IFACE's MAC, UDP from
10.71.0.2 / fd71::2 port SPORT to 10.71.0.9 / fd71::9 port 5000 with
PAYLOAD bytes (default 100); prints the L3 bytes of one frame.
"""
import socket
import struct
import sys


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ipv4(sport, payload, bad_sum=False, extra_len=0):
    udp = struct.pack("!HHHH", sport, 5000, 8 + len(payload), 0) + payload
    tot = 20 + len(udp)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, tot + extra_len, 1, 0, 64,
                      17, 0, socket.inet_aton("10.71.0.2"),
                      socket.inet_aton("10.71.0.9"))
    s = csum(hdr) ^ (0x1234 if bad_sum else 0)
    return hdr[:10] + struct.pack("!H", s) + hdr[12:] + udp


def ipv6(sport, payload):
    src = socket.inet_pton(socket.AF_INET6, "fd71::2")
    dst = socket.inet_pton(socket.AF_INET6, "fd71::9")
    ulen = 8 + len(payload)
    pseudo = src + dst + struct.pack("!IxxxB", ulen, 17)
    udp = struct.pack("!HHHH", sport, 5000, ulen, 0) + payload
    c = csum(pseudo + udp) or 0xffff
    udp = udp[:6] + struct.pack("!H", c) + udp[8:]
    return struct.pack("!IHBB", 0x60000000, ulen, 17, 64) + src + dst + udp


def mpls(labels):
    out = b""
    for i, label in enumerate(labels):
        bos = 1 if i == len(labels) - 1 else 0
        out += struct.pack("!I", label << 12 | 5 << 9 | bos << 8 | 63 - i)
    return out


def main():
    iface, dst, kind, count, sport = sys.argv[1:6]
    payload = b"m" * (int(sys.argv[6]) if len(sys.argv) > 6 else 100)
    sport = int(sport)
    with open("/sys/class/net/%s/address" % iface) as f:
        src = bytes.fromhex(f.read().strip().replace(":", ""))
    eth = bytes.fromhex(dst.replace(":", "")) + src
    l3 = b""
    if kind == "udp4":
        l3 = ipv4(sport, payload)
        body = struct.pack("!H", 0x0800) + l3
    elif kind == "udp6":
        l3 = ipv6(sport, payload)
        body = struct.pack("!H", 0x86dd) + l3
    elif kind.startswith("mpls4"):
        labels = [1001, 2002]
        if "=" in kind:
            labels = [int(x) for x in kind.split("=")[1].split(",")]
        l3 = ipv4(sport, payload)
        body = struct.pack("!H", 0x8847) + mpls(labels) + l3
    elif kind == "mpls6":
        l3 = ipv6(sport, payload)
        body = struct.pack("!H", 0x8847) + mpls([3003, 4004, 5005]) + l3
    elif kind == "vlan4":
        l3 = ipv4(sport, payload)
        body = struct.pack("!HHH", 0x8100, 300, 0x0800) + l3
    elif kind == "badsum4":
        body = struct.pack("!H", 0x0800) + ipv4(sport, payload, bad_sum=True)
    elif kind == "shortlen4":
        body = struct.pack("!H", 0x0800) + ipv4(sport, payload, extra_len=40)
    elif kind == "nonip":
        body = struct.pack("!H", 0x88b5) + payload
    else:
        sys.exit("unknown kind " + kind)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    for _ in range(int(count)):
        s.send(eth + body)
    print(len(l3))


main()
