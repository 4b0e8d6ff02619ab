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
. "$XT/tests/vm/lib.sh"
spin_stop	# the boot's busy loop would take a share of every measurement
COUNT=200000 WARM=300000 MEMFLOWS=1048576 EXPFLOWS=1048576
[ -f "$RESULTS/bench_vm.conf" ] && . "$RESULTS/bench_vm.conf"
OUT=$RESULTS/bench_vm.tsv
: > "$OUT"
PG=/proc/net/pktgen
DEV=bench0
SINK=$XT/bench/vm/nfsink
IPT=iptables-legacy
IP6T=ip6tables-legacy

for m in x_tables ip_tables ip6_tables iptable_raw ip6table_raw nf_conntrack \
	xt_conntrack xt_mark dummy pktgen; do
	modprobe "$m" || fail "modprobe $m"
done
[ -x "$SINK" ] || fail "no $SINK: build with make -C bench"
# conntrack sized so the reference never hits its own limits
echo 262144 > /sys/module/nf_conntrack/parameters/hashsize
sysctl -qw net.netfilter.nf_conntrack_max=4000000
sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0

$IP link add $DEV type dummy || fail "dummy"
$IP link set $DEV up
$IP addr add 10.0.0.1/24 dev $DEV
$IP -6 addr add fd00::1/64 dev $DEV nodad
sysctl -qw net.ipv4.conf.$DEV.rp_filter=0
MAC=$(cat /sys/class/net/$DEV/address)

# the packets' destination: bound, never read (drops at the socket buffer)
"$SINK" hold 9 > /tmp/hold9 &
python3 -c '
import socket, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1)
s.bind(("fd00::1", 9))
print("ready", flush=True)
time.sleep(1e9)' > /tmp/hold9v6 &
# the exporter's collector: same, on 127.0.0.1:2055
"$SINK" hold 2055 > /tmp/hold2055 &
holdpid=$!
sleep 1

pg() {
	echo "$2" > "$PG/$1" || fail "pktgen $1: $2"
}

pg kpktgend_0 "rem_device_all"
pg kpktgend_0 "add_device $DEV"
pg $DEV "xmit_mode netif_receive"
pg $DEV "clone_skb 0"
pg $DEV "burst 1"
pg $DEV "delay 0"
pg $DEV "pkt_size 64"
pg $DEV "dst_mac $MAC"
pg $DEV "flag UDPCSUM"

# pg_flow4 SRC_MIN SRC_MAX SPORT_MIN SPORT_MAX RANDOM(0|1)
pg_flow4() {
	pg $DEV "dst 10.0.0.1"
	pg $DEV "src_min $1"
	pg $DEV "src_max $2"
	pg $DEV "udp_src_min $3"
	pg $DEV "udp_src_max $4"
	pg $DEV "udp_dst_min 9"
	pg $DEV "udp_dst_max 9"
	if [ "$5" = 1 ]; then
		pg $DEV "flag IPSRC_RND"
		pg $DEV "flag UDPSRC_RND"
	else
		pg $DEV "flag !IPSRC_RND"
		pg $DEV "flag !UDPSRC_RND"
	fi
}

# pg_flow6 SPORT_MIN SPORT_MAX RANDOM: pktgen has no random IPv6 source,
# so IPv6 flows differ by source port
pg_flow6() {
	pg $DEV "dst6 fd00::1"
	pg $DEV "src6 fd00::2"
	pg $DEV "udp_src_min $1"
	pg $DEV "udp_src_max $2"
	pg $DEV "udp_dst_min 9"
	pg $DEV "udp_dst_max 9"
	if [ "$3" = 1 ]; then
		pg $DEV "flag UDPSRC_RND"
	else
		pg $DEV "flag !UDPSRC_RND"
	fi
}

# run COUNT: one pktgen run, prints its pps
run() {
	pg $DEV "count $1"
	echo start > $PG/pgctrl
	r=$(grep -A1 "Result: OK" $PG/$DEV | sed -n 's/^ *\([0-9]*\)pps.*/\1/p')
	[ -n "$r" ] || { cat $PG/$DEV; fail "pktgen gave no result"; }
	echo "$r"
}

# rule VARIANT FAMILY: the one rule in raw PREROUTING
rule() {
	t=$IPT
	[ "$2" = 6 ] && t=$IP6T
	$IPT -t raw -F PREROUTING
	$IP6T -t raw -F PREROUTING
	case $1 in
	accept) $t -t raw -A PREROUTING -j ACCEPT ;;
	netflow) $t -t raw -A PREROUTING -j NETFLOW ;;
	mark) $t -t raw -A PREROUTING -j MARK --set-xmark 0x1/0xffffffff ;;
	conntrack) $t -t raw -A PREROUTING -m conntrack \
		--ctstate NEW,ESTABLISHED -j ACCEPT ;;
	none) ;;
	esac || fail "rule $1"
}

record() {
	echo "pps $1 $2 $3" >> "$OUT"
	echo "pps $1 $2 $3 ($(awk -v p="$3" 'BEGIN { printf "%.0f", 1e9 / p }') instr/pkt)"
}

# scenario NAME FAMILY WARMUP_COUNT VARIANTS...: pg_flow* set up already
scenario() {
	name=$1 fam=$2 warm=$3
	shift 3
	for v in "$@"; do
		rule "$v" "$fam"
		[ "$warm" -gt 0 ] && run "$warm" > /dev/null
		record "$name" "$v" "$(run "$COUNT")"
	done
	rule none
}

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
