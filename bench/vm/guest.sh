#!/bin/sh
# Benchmark scenarios, run in the guest by tests/vm/bench_vm.sh under
# QEMU -icount shift=0,sleep=off with one vCPU: the guest clock advances
# 1 ns per instruction, so 1e9 / pps = guest instructions per packet.
#
#   pktgen (kpktgend_0, xmit_mode netif_receive, burst 1)
#      |  skb built per packet, dst MAC = bench0's own MAC
#      v
#   bench0 (dummy, 10.0.0.1/24, fd00::1/64) -> ip_rcv / ipv6_rcv
#      -> raw PREROUTING: ONE rule: -j ACCEPT | -j MARK | -j NETFLOW |
#         -m conntrack (MARK: the cost of any rule that calls a target
#         and continues, the floor under NETFLOW)
#      -> local delivery to UDP port 9: a bound socket that never reads
#         (nfsink hold), so every packet ends the same cheap way.
#
# Each scenario runs its variants in the same boot; cost = variant - ACCEPT.
# Writes "pps SCENARIO VARIANT PPS", "mem KEY VALUE", "exp KEY VALUE" lines
# to $RESULTS/bench_vm.tsv. Sizes come from $RESULTS/bench_vm.conf.
COUNT=200000 WARM=300000 MEMFLOWS=1048576
[ -f "$RESULTS/bench_vm.conf" ] && . "$RESULTS/bench_vm.conf"
OUT=$RESULTS/bench_vm.tsv
. "$XT/bench/vm/lib.sh"

# every optional feature off (mac and vlan are on by default, as in
# Debian's 2.6 build: measured below with the defaults)
params="protocol=10 inactive_timeout=3600 active_timeout=3600 hashsize=262144 maxflows=0"
off="mac=0 vlan=0"
nf_load $params $off
note "1 flow"
pg_flow4 10.1.0.1 10.1.0.1 40000 40000 0
scenario flow1 4 1000 accept mark netflow conntrack

note "64k flows: random source over a /16, created by a sequential warm-up"
pg_flow4 10.2.0.0 10.2.255.255 40000 40000 0
rule netflow 4
run 65536 > /dev/null
rule conntrack 4
run 65536 > /dev/null
pg_flow4 10.2.0.0 10.2.255.255 40000 40000 1
scenario flows64k 4 0 accept mark netflow conntrack

note "flood of new flows: random source address and port"
pg_flow4 10.3.0.0 10.3.255.255 1 65535 1
scenario flood 4 0 accept mark netflow conntrack
$IPT -t raw -F PREROUTING
nf_unload

note "table full: maxflows 4096, each new flow evicts one (exported)"
nf_load protocol=10 inactive_timeout=3600 active_timeout=3600 hashsize=4096 maxflows=4096 $off
pg_flow4 10.4.0.0 10.4.255.255 1 65535 1
rule netflow 4
run 8192 > /dev/null
scenario full 4 0 accept netflow
echo 4096 > /proc/sys/net/netfilter/nf_conntrack_max
# conntrack's own full table: early drop of unreplied entries
scenario full 4 0 conntrack
sysctl -qw net.netfilter.nf_conntrack_max=4000000
nf_unload

note "export on: new flows idle out after 1 s, IPFIX to 127.0.0.1:2055"
nf_load protocol=10 inactive_timeout=1 active_timeout=3600 hashsize=262144 maxflows=0 $off
pg_flow4 10.5.0.0 10.5.255.255 1 65535 1
scenario export 4 "$WARM" accept netflow
grep -E "outFlows|lostFlows|errTotal" ${PROC}_snmp | tr '\n' ' '; echo
nf_unload

note "IPv6: 1 flow, then a flood of new flows (random source port)"
nf_load $params $off
pg_flow6 40000 40000 0
scenario v6flow1 6 1000 accept mark netflow conntrack
pg_flow6 1 65535 1
scenario v6flood 6 0 accept netflow conntrack
nf_unload
pg $DEV "flag !IPV6"

# the defaults: mac and vlan on (pktgen's frames carry MACs, no tag)
note "defaults (mac=1 vlan=1): 1 flow, then a flood of new flows"
nf_load $params
pg_flow4 10.1.0.1 10.1.0.1 40000 40000 0
scenario l2flow1 4 1000 accept netflow
pg_flow4 10.3.0.0 10.3.255.255 1 65535 1
scenario l2flood 4 0 accept netflow
$IPT -t raw -F PREROUTING
nf_unload

# every optional feature on at once (issue 15): mac, vlan, snmp-rules, physdev,
# aggregation (rules that are tried on every packet but match none, so
# the flood still makes new flows), random sampling, promisc (its tap sees
# every received frame, the ACCEPT baseline's too: the dummy device is not
# in promiscuous mode, so each is looked at and left alone)
note "every feature on: 1 flow, then a flood of new flows"
nf_load $params snmp_rules=eth:100,dummy:200 physdev=1 sampler=random:10 \
	aggregation=192.0.2.0/24=24,1-10=1 promisc=1
pg_flow4 10.1.0.1 10.1.0.1 40000 40000 0
scenario allon1 4 1000 accept netflow
pg_flow4 10.3.0.0 10.3.255.255 1 65535 1
scenario allonflood 4 0 accept netflow
$IPT -t raw -F PREROUTING
nf_unload

note "memory: $MEMFLOWS IPv4 flows"
nf_load protocol=5 inactive_timeout=3600 active_timeout=3600 \
	hashsize=$MEMFLOWS maxflows=0 sndbuf=4194304 $off
pg $DEV "dst 10.0.0.1"
pg_flow4 10.16.0.0 10.31.255.255 40000 40000 0
rule netflow 4
slab0=$(awk '/^Slab:/ { print $2 }' /proc/meminfo)
run "$MEMFLOWS" > /dev/null
rule none
slab1=$(awk '/^Slab:/ { print $2 }' /proc/meminfo)
cat $PROC | sed -n '1,6p'
flows=$(snmp hashFlows)
echo "mem flows $flows" >> "$OUT"
echo "mem slab_kb_delta $((slab1 - slab0))" >> "$OUT"
echo "mem hashMemory $(snmp hashMemory)" >> "$OUT"
S=/sys/kernel/slab/netflow_flow
for k in object_size slab_size objs_per_slab order; do
	[ -r $S/$k ] && echo "mem $k $(cat $S/$k)" >> "$OUT"
done
echo "mem aliases $(readlink $S)" >> "$OUT"

note "export: flush $flows flows as NetFlow v5 to a reading sink, sndbuf 4 MiB"
kill "$holdpid"
sleep 1
"$SINK" count 2055 268435456 2000 /proc/sys/net/netflow/flush > /tmp/sink.out
cat /tmp/sink.out
echo "exp flows $flows" >> "$OUT"
sed -n 's/^flush_ns /exp flush_ns /p' /tmp/sink.out >> "$OUT"
echo "exp sink $(grep '^pdus' /tmp/sink.out)" >> "$OUT"
for k in outFlows lostFlows errTotal sndbufPeak; do
	echo "exp $k $(snmp $k)" >> "$OUT"
done
grep -E "^sock" ${PROC} >> "$OUT" 2>/dev/null
nf_unload
cat "$OUT"
