#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# Flow records of a NetFlow v9/IPFIX capture as tshark decodes them, one
# line each, for shell oracles:
#   src dst proto sport dport pkts bytes tos flags dir reason in out start end
# tos and flags in decimal, start/end in ms since the epoch (IPFIX absolute
# times), "-" for a field the record does not carry. ICMP records print
# their type/code (type << 8 | code) as dport.
# usage: tshark -n -r PCAP -d udp.port==P,cflow -T json | cflow_records.py
import calendar
import json
import sys
import time

FIELDS = [
    ("cflow.srcaddr", "cflow.srcaddrv6"),
    ("cflow.dstaddr", "cflow.dstaddrv6"),
    ("cflow.protocol",),
    ("cflow.srcport",),
    ("cflow.dstport", "cflow.icmp_type_code_ipv4"),
    ("cflow.packets",),
    ("cflow.octets",),
    ("cflow.tos",),
    ("cflow.tcpflags",),
    ("cflow.direction",),
    ("cflow.flow_end_reason",),
    ("cflow.inputint",),
    ("cflow.outputint",),
]


def abstime_ms(text):
    # "Nov 14, 2023 22:11:40.333000000 UTC" (TZ=UTC)
    text = " ".join(text.split()).replace(" UTC", "")
    whole, _, frac = text.partition(".")
    secs = calendar.timegm(time.strptime(whole, "%b %d, %Y %H:%M:%S"))
    return secs * 1000 + int((frac + "000")[:3])


def number(v):
    return str(int(v, 0)) if v.startswith("0x") else v


def flows(node):
    """Every "Flow N" object under a data set, depth first, in order."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k.startswith("Flow ") and isinstance(v, dict):
                yield v
            else:
                yield from flows(v)
    elif isinstance(node, list):
        for v in node:
            yield from flows(v)


def main():
    for pkt in json.load(sys.stdin):
        layers = pkt["_source"]["layers"]
        cf = layers.get("cflow")
        if cf is None:
            continue
        for f in flows(cf):
            if "cflow.protocol" not in f:
                continue        # options records
            out = []
            for names in FIELDS:
                v = next((f[n] for n in names if n in f), "-")
                out.append(number(v) if v != "-" else v)
            td = f.get("cflow.timedelta_tree", {})
            for n in ("cflow.abstimestart", "cflow.abstimeend"):
                out.append(str(abstime_ms(td[n])) if n in td else "-")
            print(" ".join(out))


main()
