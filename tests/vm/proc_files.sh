#!/bin/sh
# The three /proc/net/stat files after known traffic: ipt_netflow_snmp has
# every key in ipt_NETFLOW's order and line shapes, its counters agree with
# the human-readable file and with the iptables rule counters, and
# ipt_netflow_flows lists the live flows (long inactive_timeout keeps them
# live). Then many flows while the dump is read in a loop: nothing lost.
#
#   [ns a] 10.9.0.1 / fd00:9::1 ---veth--- 10.9.0.2 / fd00:9::2 [b: root ns]
#                             NETFLOW on b: INPUT, OUTPUT (IPv6: echoes only)
. "$XT/tests/vm/lib.sh"
SNMP=${PROC}_snmp
FLOWS=${PROC}_flows
NF=/tmp/nf-proc
collector_start $NF
nf_load protocol=9 inactive_timeout=600 active_timeout=1800
ns_pair_host a b 10.9.0.1 10.9.0.2
ns_exec a $IP -6 addr add fd00:9::1/64 dev veth-a nodad
ns_exec b $IP -6 addr add fd00:9::2/64 dev veth-b nodad
ns_exec b iptables-legacy -A INPUT -i veth-b -j NETFLOW
ns_exec b iptables-legacy -A OUTPUT -o veth-b -j NETFLOW
# IPv6: only the echoes, so neighbour discovery and MLD chatter, which come
# at any time, stay out of the exact counts
ns_exec b ip6tables-legacy -A INPUT -i veth-b -p ipv6-icmp --icmpv6-type echo-request -j NETFLOW
ns_exec b ip6tables-legacy -A OUTPUT -o veth-b -p ipv6-icmp --icmpv6-type echo-reply -j NETFLOW
# counted, then dropped: no ICMP port unreachable comes back
ns_exec b iptables-legacy -A INPUT -i veth-b -p udp --dport 9999 -j DROP

# Known traffic: 10 pings of 1000 bytes (IP length 1028), 4 IPv6 pings of
# 300 (payload 308, counted 348), 5 UDP datagrams of 100 bytes (128).
ns_exec a ping -c 10 -i 0.05 -s 1000 -q 10.9.0.2 >/dev/null || fail "ping"
ns_exec a ping -c 4 -i 0.05 -s 300 -q fd00:9::2 >/dev/null || fail "ping6"
ns_exec a python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.9.0.1", 40000))
for _ in range(5):
    s.sendto(b"x" * 100, ("10.9.0.2", 9999))
' || fail "udp send"

rule_totals() {
	for t in iptables-legacy ip6tables-legacy; do
		ns_exec b $t -L INPUT -nvx
		ns_exec b $t -L OUTPUT -nvx
	done | awk '$3 == "NETFLOW" { p += $1; b += $2 } END { print p + 0, b + 0 }'
}
# Take the rule counters and the three files together, again until nothing
# moved in between (a late packet would make them disagree).
snapshot() {
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		r1=$(rule_totals)
		cat $SNMP > /tmp/snmp
		cat $PROC > /tmp/human
		cat $FLOWS > /tmp/flows
		rules=$(rule_totals)
		[ "$r1" = "$rules" ] && [ "$(cat $SNMP | sed -n 1,20p | grep -v Rate)" = \
			"$(sed -n 1,20p /tmp/snmp | grep -v Rate)" ] && return
		sleep 1
	done
	fail "traffic never stopped long enough for a snapshot"
}
sleep 1
snapshot
note "snmp"
cat /tmp/snmp
note "status"
cat /tmp/human
note "flows"
cat /tmp/flows

# -- ipt_netflow_snmp: keys, order, shapes (what exporters parse) --
keys="inBitRate inPacketRate inFlows inPackets inBytes hashMetric hashMemory
hashFlows hashPackets hashBytes dropPackets dropBytes outByteRate outFlows
outPackets outBytes lostFlows lostPackets lostBytes errTotal"
got=$(head -n 20 /tmp/snmp | awk '{ print $1 }' | tr '\n' ' ')
assert_eq "$got" "$(echo $keys) " "snmp keys in order"
head -n 20 /tmp/snmp | awk '
	NF != 2 { print "bad line: " $0; exit 1 }
	$1 == "hashMetric" && $2 !~ /^[0-9]+\.[0-9][0-9]$/ { print "bad metric: " $0; exit 1 }
	$1 != "hashMetric" && $2 !~ /^[0-9]+$/ { print "not a number: " $0; exit 1 }' ||
	fail "snmp totals shape"
echo "ok: 20 totals lines are 'key integer' (hashMetric 'N.NN')"
ncpu=$(awk -F- '{ print $NF + 1 }' /sys/devices/system/cpu/possible)
sed -n '21,$p' /tmp/snmp | awk -v ncpu="$ncpu" '
	/^cpu/ { if ($1 != "cpu" (c + 0) || NF != 12 || $6 !~ /^[0-9]+\.[0-9][0-9]$/) {
			print "bad cpu line: " $0; exit 1 }
		for (i = 2; i <= 12; i++) if (i != 6 && $i !~ /^[0-9]+$/) {
			print "bad cpu field: " $0; exit 1 }
		if (s || p) { print "cpu line out of order"; exit 1 }
		c++; next }
	/^sock/ { if ($1 != "sock" (s + 0) || NF != 10 || $2 !~ /:[0-9]+/) {
			print "bad sock line: " $0; exit 1 }
		for (i = 3; i <= 10; i++) if ($i !~ /^[0-9]+$/ || $i > 4294967295) {
			print "bad sock field: " $0; exit 1 }
		if (p) { print "sock line out of order"; exit 1 }
		s++; next }
	/^sndbufPeak [0-9]+$/ { p++; next }
	{ print "unexpected line: " $0; exit 1 }
	END { if (c != ncpu || s != 1 || p != 1) {
		print "cpu " c "/" ncpu ", sock " s "/1, sndbufPeak " p "/1"; exit 1 } }' ||
	fail "snmp cpu/sock/sndbufPeak lines"
echo "ok: $ncpu cpuN lines of 11 values, sock0 of 9, sndbufPeak last"
grep -q '^sock0 127.0.0.1:2055 1 ' /tmp/snmp || fail "sock0 not the connected default collector"
echo "ok: sock0 is 127.0.0.1:2055, active"

# -- counters agree: rules, snmp totals, per-CPU sums, human file --
sn() { awk -v k="$1" '$1 == k { print $2 }' /tmp/snmp; }
assert_eq "$(sn inPackets) $(sn inBytes)" "$rules" "snmp inPackets inBytes = iptables counters"
assert_eq "$(awk '/^cpu/ { f += $3; p += $4; b += $5 } END { print f, p, b }' /tmp/snmp)" \
	"$(sn inFlows) $(sn inPackets) $(sn inBytes)" "sum of cpuN flows packets bytes = totals"
assert_eq "$(sn dropPackets) $(sn lostFlows) $(sn errTotal)" "0 0 0" "nothing dropped, lost or failed"
assert_eq "$(sn inFlows)" "$(( $(sn hashFlows) + $(sn outFlows) ))" "inFlows = hashFlows + outFlows"
[ "$(sn outFlows)" = 0 ] &&
	assert_eq "$(sn hashPackets) $(sn hashBytes)" "$(sn inPackets) $(sn inBytes)" \
		"every packet still in the table (hashPackets, hashBytes)"
hu=$(awk '/^Total / { gsub(/[,;]/, " "); print $4, $10, $11, $13, $14 }' /tmp/human)
assert_eq "$hu" "$(sn inFlows) $(sn inPackets) $(sn inBytes) $(sn dropPackets) $(sn dropBytes)" \
	"human Total line: new, traffic, drop = snmp"
assert_eq "$(sed -n 's/^Flows: active \([0-9]*\) .*/\1/p' /tmp/human)" "$(sn hashFlows)" \
	"human active flows = hashFlows"
assert_eq "$(sed -n 's/^Export: .*Total \([0-9]*\) pkts, \([0-9]*\) bytes, \([0-9]*\) flows; Errors \([0-9]*\) pkts.*/\1 \2 \3 \4/p' /tmp/human)" \
	"$(sn outPackets) $(sn outBytes) $(sn outFlows) $(sn errTotal)" "human Export line = snmp"
grep -q "^ipt_NETFLOW (xt-netflow) version [^;]*; aggr dir mac nel promisc+mpls samp-h snmp vlan$" /tmp/human ||
	fail "no version line with the feature tags: $(sed 1q /tmp/human)"
grep -q "^sock0: 127.0.0.1:2055 v9, sndbuf " /tmp/human || fail "no destination line"
echo "ok: version and destination lines"

# -- ipt_netflow_flows: the live flows of the known traffic --
assert_eq "$(head -n 1 /tmp/flows)" \
	"# hash a dev:i,o snmp:i,o mac:src,dst vlan type proto src:ip,port dst:ip,port nexthop tos,tcpflags,options,tcpoptions packets bytes ts:first,last" \
	"flows dump header"
# untagged veth traffic: no vlan column, mac:src,dst and type present
sed 1d /tmp/flows | awk 'NF != 14 || length($5) != 35 || $5 !~ /^[0-9a-f:]+,[0-9a-f:]+$/ ||
	($6 != "0800" && $6 != "86dd") { print "bad flow line: " $0; exit 1 }' || fail "flow line shape"
assert_eq "$(sed 1d /tmp/flows | wc -l)" "$(sn hashFlows)" "flow lines = hashFlows"
assert_eq "$(sed 1d /tmp/flows | awk '{ p += $(NF - 2); b += $(NF - 1) } END { print p + 0, b + 0 }')" \
	"$(sn hashPackets) $(sn hashBytes)" "flow lines sum to hashPackets hashBytes"
# a flow seen on two CPUs has two lines: sum them
flow_sum() {
	sed 1d /tmp/flows | awk -v pr="$1" -v s="$2" -v d="$3" '
		$7 == pr && index($8, s) == 1 && index($9, d) == 1 { p += $12; b += $13 }
		END { print p + 0, b + 0 }'
}
assert_eq "$(flow_sum 1 10.9.0.1, 10.9.0.2,)" "10 10280" "dump: ICMP echo a->b"
assert_eq "$(flow_sum 1 10.9.0.2, 10.9.0.1,)" "10 10280" "dump: ICMP echo reply b->a"
assert_eq "$(flow_sum 17 10.9.0.1,40000 10.9.0.2,9999)" "5 640" "dump: UDP a:40000->b:9999"
assert_eq "$(flow_sum 58 fd00:9::1, fd00:9::2,)" "4 1392" "dump: ICMPv6 echo a->b"

# -- flush: the dump empties, the collector gets every packet --
sysctl -qw net.netflow.flush=1 || fail "flush"
sleep 2
assert_eq "$(sed 1d $FLOWS | wc -l)" 0 "flows dump empty after flush"
assert_eq "$(snmp hashFlows) $(snmp hashPackets)" "0 0" "hashFlows hashPackets after flush"
assert_eq "$(snmp outFlows)" "$(snmp inFlows)" "outFlows = inFlows after flush"
collector_stop $NF
assert_eq "$(nf_flows $NF | awk '{ p += $6; b += $7 } END { print p + 0, b + 0 }')" \
	"$(snmp inPackets) $(snmp inBytes)" "nfdump totals = inPackets inBytes"

# -- many flows, the dump read in a loop meanwhile: no packet lost --
note "20000 UDP flows while the flows dump is read in a loop"
( while [ ! -e /tmp/stop-reader ]; do cat $FLOWS > /dev/null; done ) &
reader=$!
ns_exec a python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(20000):
    s.sendto(b"y" * 20, ("10.9.0.2", 10000 + i))
' || fail "udp flood"
touch /tmp/stop-reader
wait $reader
sleep 1
snapshot
sn() { awk -v k="$1" '$1 == k { print $2 }' /tmp/snmp; }
assert_eq "$(sn inPackets) $(sn inBytes)" "$rules" \
	"after 20000 flows: inPackets inBytes = iptables counters"
assert_eq "$(sn dropPackets)" 0 "after 20000 flows: no packet dropped"
live=$(sn hashFlows)
[ "$live" -ge 20000 ] || fail "only $live live flows"
assert_eq "$(sed 1d /tmp/flows | wc -l)" "$live" "flows dump lists all $live live flows"
grep '^Flows: \|^Hash: ' $PROC
rules_flush
ns_cleanup
nf_unload
