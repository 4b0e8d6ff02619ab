#!/bin/sh
# make check-debug only (its kernel has failslab and fail_page_alloc): a
# flood of new flows while allocations fail.
#  1. failslab on the flow caches only (every 4th allocation fails): each
#     failure shows in /proc's alloc column and its packet in dropPackets;
#     conservation stays exact: rule counters = inPackets = decoded +
#     lostPackets + dropPackets.
#  2. every GFP_ATOMIC slab and page allocation of the kernel fails at 2%
#     (flows, the export's socket buffers, the stack's own): nothing
#     crashes, the same conservation holds, the module unloads and leaks
#     nothing (the guest's kmemleak scan after the scenario).
#
#   root ns: v-root 10.61.0.1 fd61::1 ---veth--- eth0 10.61.0.2 fd61::2 [peer]
. "$XT/tests/vm/lib.sh"
FS=/sys/kernel/debug/failslab
FP=/sys/kernel/debug/fail_page_alloc
[ -d $FS ] && [ -d $FP ] || fail "no failslab/fail_page_alloc: this scenario needs make check-debug's kernel"
A=/tmp/nf-fa
FLOOD="python3 $XT/tests/vm/floodgen.py 10.61.0.2 fd61::2"

inject_off() {
	echo 0 > $FS/probability
	echo 0 > $FP/probability
	for c in netflow_flow netflow_flow_ext netflow_flow_mpls; do
		[ -w /sys/kernel/slab/$c/failslab ] && echo 0 > /sys/kernel/slab/$c/failslab
	done
}
# inject WHAT PERCENT: only atomic allocations (ignore-gfp-wait), silent
inject() {
	for f in $FS $FP; do
		echo 0 > $f/probability
		echo -1 > $f/times
		echo 0 > $f/verbose
		echo 0 > $f/space
		echo 1 > $f/interval
		echo Y > $f/ignore-gfp-wait
	done
	echo Y > $FP/ignore-gfp-highmem
	case $1 in
	flow-cache)
		echo Y > $FS/cache-filter
		for c in netflow_flow netflow_flow_ext netflow_flow_mpls; do
			echo 1 > /sys/kernel/slab/$c/failslab ||
				fail "cannot set failslab on $c (merged cache?)"
		done
		echo "$2" > $FS/probability
		;;
	atomic)
		echo N > $FS/cache-filter
		echo "$2" > $FS/probability
		echo "$2" > $FP/probability
		;;
	esac
}

collector_start $A 2055
nf_load destination=127.0.0.1:2055 protocol=9 inactive_timeout=2 active_timeout=5
$IP netns add peer
$IP link add v-root type veth peer name eth0 netns peer
$IP addr add 10.61.0.1/24 dev v-root
$IP -6 addr add fd61::1/64 dev v-root nodad
$IP link set v-root up
ns_exec peer $IP addr add 10.61.0.2/24 dev eth0
ns_exec peer $IP -6 addr add fd61::2/64 dev eth0 nodad
ns_exec peer $IP link set eth0 up
ns_exec peer iptables-legacy -A INPUT -p udp -j DROP
ns_exec peer ip6tables-legacy -A INPUT -p udp -j DROP
iptables-legacy -A OUTPUT -o v-root -p udp -j NETFLOW
ip6tables-legacy -A OUTPUT -o v-root -p udp -j NETFLOW
ping -c 1 -W 2 10.61.0.2 > /dev/null || fail "no path to peer"
ping -c 1 -W 2 fd61::2 > /dev/null || fail "no IPv6 path to peer"

alloc_fails() {
	awk '$1 == "Total" { gsub(",", ""); print $7 }' $PROC
}
rules_counted() {
	{ iptables-legacy -L OUTPUT -nvx; ip6tables-legacy -L OUTPUT -nvx; } |
		awk '$3 == "NETFLOW" { p += $1 } END { print p + 0 }'
}

note "failslab on the flow caches, 25%"
inject flow-cache 25
$FLOOD 20000 --threads 2 --seconds 8 > /tmp/flood || fail "flood"
inject_off
n=$(alloc_fails)
[ "$n" -gt 0 ] || fail "no allocation failure in /proc's alloc column"
[ "$(snmp dropPackets)" -ge "$n" ] ||
	fail "dropPackets $(snmp dropPackets) below the $n allocation failures"
echo "ok: $n flow allocations failed, each counted"
sysctl -qw net.netflow.flush=1
sleep 3
collector_kill $A
counted=$(rules_counted)
decoded=$(nf_flows $A | awk '{ p += $6 } END { print p + 0 }')
note "flow caches: rules $counted, decoded $decoded, lost $(snmp lostPackets), dropped $(snmp dropPackets)"
[ "$counted" -gt 1000 ] || fail "the flood did not get through: $counted"
assert_eq "$(snmp inPackets)" "$counted" "flow caches: inPackets vs the rule counters"
assert_eq "$(( decoded + $(snmp lostPackets) + $(snmp dropPackets) ))" "$counted" \
	"flow caches: decoded + lostPackets + dropPackets vs the rule counters"

# The stack's own allocations fail too: a PDU whose buffer cannot be had
# is lost and counted (lostPackets); over lo the collector's receive
# needs no allocation of its own, so the count stays exact.
note "every atomic slab and page allocation, 2%"
B=/tmp/nf-fb
collector_start $B 2055
sysctl -qw net.netflow.destination=127.0.0.1:2055 || fail "reopen the destination"
base_in=$(snmp inPackets)
base_lost=$(snmp lostPackets) base_drop=$(snmp dropPackets)
base_rules=$(rules_counted)
inject atomic 2
$FLOOD 20000 --threads 2 --seconds 8 > /tmp/flood || fail "flood"
inject_off
sysctl -qw net.netflow.flush=1
sleep 3
collector_kill $B
counted=$(( $(rules_counted) - base_rules ))
decoded=$(nf_flows $B | awk '{ p += $6 } END { print p + 0 }')
in=$(( $(snmp inPackets) - base_in ))
lost=$(( $(snmp lostPackets) - base_lost ))
drop=$(( $(snmp dropPackets) - base_drop ))
note "atomic: rules $counted, decoded $decoded, lost $lost, dropped $drop"
[ "$counted" -gt 1000 ] || fail "the flood did not get through: $counted"
assert_eq "$in" "$counted" "atomic: inPackets vs the rule counters"
assert_eq "$(( decoded + lost + drop ))" "$counted" \
	"atomic: decoded + lostPackets + dropPackets vs the rule counters"
assert_eq "$(snmp hashFlows)" 0 "flows left after the flush"

iptables-legacy -F OUTPUT
ip6tables-legacy -F OUTPUT
nf_unload
ns_cleanup
echo "ok: unloaded after fault injection"
