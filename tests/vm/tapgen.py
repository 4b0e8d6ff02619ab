#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write GSO frames into a tap as qemu/vhost-net does for a guest's TSO.

usage: tapgen.py TAP {tcp4|tcp6|udp4|udp6} FRAMES SEGS MSS
Opens TAP (IFF_TAP | IFF_NO_PI | IFF_VNET_HDR), enables TSO4/TSO6 (and
USO where asked) with TUNSETOFFLOAD, then writes FRAMES frames, each a
virtio_net_hdr (GSO type, gso_size MSS, NEEDS_CSUM) followed by one
Ethernet frame carrying SEGS x MSS payload bytes, from 10.40.0.1 /
fd40::1 port 40000 to 10.40.0.2 / fd40::2 port 5001. Prints "ok" or
"unsupported" (the kernel refused the GSO type: EINVAL).
"""
import errno
import fcntl
import os
import struct
import sys
import time

TUNSETIFF = 0x400454CA
TUNSETOFFLOAD = 0x400454D0
IFF_TAP, IFF_NO_PI, IFF_VNET_HDR = 0x0002, 0x1000, 0x4000
TUN_F_CSUM, TUN_F_TSO4, TUN_F_TSO6 = 0x01, 0x02, 0x04
TUN_F_USO4, TUN_F_USO6 = 0x20, 0x40
GSO = {"tcp4": 1, "tcp6": 4, "udp4": 5, "udp6": 5}


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame(kind, payload):
    v6 = kind.endswith("6")
    tcp = kind.startswith("tcp")
    sport, dport = 40000, 5001
    if tcp:
        # no options: 20 bytes, ACK|PSH
        l4 = struct.pack("!HHIIBBHHH", sport, dport, 1, 1, 5 << 4, 0x18,
                         65535, 0, 0)
        csum_off = 16
    else:
        l4 = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0)
        csum_off = 6
    proto = 6 if tcp else 17
    if v6:
        src = bytes.fromhex("fd400000000000000000000000000001")
        dst = bytes.fromhex("fd400000000000000000000000000002")
        l3 = struct.pack("!IHBB", 6 << 28, len(l4) + len(payload), proto,
                         64) + src + dst
        ethertype = 0x86DD
    else:
        src, dst = bytes([10, 40, 0, 1]), bytes([10, 40, 0, 2])
        hdr = struct.pack("!BBHHHBBH", 0x45, 0, 20 + len(l4) + len(payload),
                          1, 0x4000, 64, proto, 0) + src + dst
        l3 = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
        ethertype = 0x0800
    eth = bytes.fromhex("020000000002020000000001") + struct.pack("!H",
                                                                 ethertype)
    return eth + l3 + l4 + payload, len(eth) + len(l3), csum_off, len(l4)


def main():
    tap, kind = sys.argv[1], sys.argv[2]
    frames, segs, mss = (int(x) for x in sys.argv[3:6])
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", tap.encode(),
                                           IFF_TAP | IFF_NO_PI | IFF_VNET_HDR))
    off = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6
    if kind.startswith("udp"):
        try:
            fcntl.ioctl(fd, TUNSETOFFLOAD, off | TUN_F_USO4 | TUN_F_USO6)
        except OSError as e:
            if e.errno != errno.EINVAL:
                raise
            print("unsupported")
            return
    else:
        fcntl.ioctl(fd, TUNSETOFFLOAD, off)
    # the carrier comes up on attach; the bridge forwards once linkwatch
    # has enabled the port (state 3, forwarding)
    for _ in range(100):
        try:
            with open("/sys/class/net/%s/brport/state" % tap) as f:
                if f.read().strip() == "3":
                    break
        except OSError:
            pass
        time.sleep(0.1)
    pkt, l4off, csum_off, l4len = frame(kind, b"d" * (segs * mss))
    # flags NEEDS_CSUM, gso_type, hdr_len, gso_size, csum_start/offset
    vnet = struct.pack("<BBHHHH", 1, GSO[kind], l4off + l4len, mss, l4off,
                       csum_off)
    for _ in range(frames):
        try:
            os.write(fd, vnet + pkt)
        except OSError as e:
            if e.errno != errno.EINVAL:
                raise
            print("unsupported")
            return
    print("ok")


main()
