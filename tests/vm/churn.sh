#!/bin/sh
# A host under churn: a multi-threaded flood of random UDP tuples (IPv4 and
# IPv6, from both CPUs) while every runtime knob changes (hashsize,
# protocol 9/10, destination, maxflows, timeouts, flush), the flow dump is
# read and cpu1 goes offline and online. Then exact conservation: NETFLOW
# rule counters = inPackets = packets both collectors decoded +
# lostPackets + dropPackets. Last, rmmod right after the rules are flushed
# while a flood still runs.
#
#   root ns: v-root 10.60.0.1 fd60::1 ---veth--- eth0 10.60.0.2 fd60::2 [peer]
#   NETFLOW in root OUTPUT -o v-root -p udp (iptables, ip6tables: no ND/MLD
#   chatter in the exact counts); peer drops UDP
. "$XT/tests/vm/lib.sh"
A=/tmp/nf-ca B=/tmp/nf-cb
CPU1=/sys/devices/system/cpu/cpu1/online
FLOOD="python3 $XT/tests/vm/floodgen.py 10.60.0.2 fd60::2"
collector_start $A 2055
collector_start $B 2056
nf_load destination=127.0.0.1:2055 protocol=9 inactive_timeout=2 \
	active_timeout=5
$IP netns add peer
$IP link add v-root type veth peer name eth0 netns peer
$IP addr add 10.60.0.1/24 dev v-root
$IP -6 addr add fd60::1/64 dev v-root nodad
$IP link set v-root up
ns_exec peer $IP addr add 10.60.0.2/24 dev eth0
ns_exec peer $IP -6 addr add fd60::2/64 dev eth0 nodad
ns_exec peer $IP link set eth0 up
ns_exec peer iptables-legacy -A INPUT -p udp -j DROP
ns_exec peer ip6tables-legacy -A INPUT -p udp -j DROP
iptables-legacy -A OUTPUT -o v-root -p udp -j NETFLOW
ip6tables-legacy -A OUTPUT -o v-root -p udp -j NETFLOW
ping -c 1 -W 2 10.60.0.2 > /dev/null || fail "no path to peer"
ping -c 1 -W 2 fd60::2 > /dev/null || fail "no IPv6 path to peer"

note "flood while every knob changes"
taskset -c 0 $FLOOD 40000 --threads 2 --seconds 22 > /tmp/flood0 &
f0=$!
taskset -c 1 $FLOOD 40000 --threads 2 --seconds 22 > /tmp/flood1 &
f1=$!
for step in hashsize=1024 protocol=10 maxflows=300 destination=127.0.0.1:2056 \
	inactive_timeout=1 hashsize=16384 cpu1=0 protocol=9 maxflows=0 flush=1 \
	active_timeout=2 cpu1=1 destination=127.0.0.1:2055 hashsize=4096 \
	protocol=10 inactive_timeout=3 flush=1 maxflows=2000; do
	sleep 1
	case $step in
	cpu1=*) echo "${step#cpu1=}" > $CPU1 || fail "cpu1 ${step#cpu1=}" ;;
	*) sysctl -qw "net.netflow.$step" || fail "sysctl $step" ;;
	esac
	n=$(wc -l < ${PROC}_flows)
	echo "$step: $n lines in the flow dump"
done
wait $f0 || fail "flood on cpu0"
wait $f1 || fail "flood on cpu1"
[ "$(cat $CPU1)" = 1 ] || fail "cpu1 not back online"
note "sent $(cat /tmp/flood0) + $(cat /tmp/flood1) datagrams"
sysctl -qw net.netflow.flush=1
sleep 2
cat $PROC
collector_kill $A
collector_kill $B
counted=$({ iptables-legacy -L OUTPUT -nvx; ip6tables-legacy -L OUTPUT -nvx; } |
	awk '$3 == "NETFLOW" { p += $1 } END { print p + 0 }')
decoded=$({ nf_flows $A; nf_flows $B; } | awk '{ p += $6 } END { print p + 0 }')
lost=$(snmp lostPackets)
drop=$(snmp dropPackets)
note "rules $counted, decoded $decoded, lost $lost, dropped $drop"
[ "$counted" -gt 10000 ] || fail "the flood did not get through: $counted"
assert_eq "$(snmp inPackets)" "$counted" "inPackets vs the rule counters"
assert_eq "$(( decoded + lost + drop ))" "$counted" \
	"decoded + lostPackets + dropPackets vs the rule counters"
assert_eq "$(snmp hashFlows)" 0 "flows left after the flush"

note "rmmod right after the rules are flushed under a flood"
$FLOOD 100000 --threads 2 --seconds 8 > /dev/null &
f0=$!
sleep 2
iptables-legacy -F OUTPUT
ip6tables-legacy -F OUTPUT
nf_unload
wait $f0
ns_cleanup
