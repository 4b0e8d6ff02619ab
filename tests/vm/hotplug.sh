#!/bin/sh
# CPU hotplug (2 vCPUs; cpu1 is taken offline before the load, as with
# maxcpus=1, so it runs in the same boot as the other scenarios).
# Onlining cpu1 starts its worker and halves each CPU's share of maxflows;
# flows metered on cpu1 (traffic pinned there with taskset) expire and are
# exported; offlining cpu1 with live flows exports them at once; nfdump
# totals equal the rule counters.
#
#   root ns: v-root 10.50.0.1 ---veth--- eth0 10.50.0.2 [peer]
#   NETFLOW in root OUTPUT (to peer) and INPUT (from peer)
. "$XT/tests/vm/lib.sh"
CPU1=/sys/devices/system/cpu/cpu1/online
NF=/tmp/nf-hp
[ -f $CPU1 ] || fail "no cpu1: boot with --smp 2"
[ "$(cat $CPU1)" = 0 ] || echo 0 > $CPU1 || fail "cannot offline cpu1"
assert_eq "$(cat $CPU1)" 0 "cpu1 online at load"
# whatever happens below, later scenarios of the boot get both CPUs back
trap 'echo 1 > $CPU1 2>/dev/null' EXIT
collector_start $NF 2055
nf_load destination=127.0.0.1:2055 protocol=5 maxflows=100 \
	inactive_timeout=2 active_timeout=60
$IP netns add peer
$IP link add v-root type veth peer name eth0 netns peer
$IP addr add 10.50.0.1/24 dev v-root
$IP link set v-root up
ns_exec peer $IP addr add 10.50.0.2/24 dev eth0
ns_exec peer $IP link set eth0 up
ns_exec peer $IP link set lo up
iptables-legacy -A OUTPUT -d 10.50.0.2 -j NETFLOW
iptables-legacy -A INPUT -s 10.50.0.2 -j NETFLOW
# no ICMP port unreachable back: the UDP flows below are exactly 80
ns_exec peer iptables-legacy -A INPUT -p udp -j DROP
ping -c 1 -W 2 10.50.0.2 > /dev/null || fail "no path to peer"

# snmp_cpu N FIELD: created=3 pkts=4 maxflows=12 of the cpuN line
snmp_cpu() {
	awk -v c="cpu$1" -v f="$2" '$1 == c { print $f }' ${PROC}_snmp
}
# wait_flows N S: hashFlows reaches N within S seconds
wait_flows() {
	for _ in $(seq $(( $2 * 4 ))); do
		[ "$(snmp hashFlows)" = "$1" ] && return 0
		sleep 0.25
	done
	return 1
}

note "online cpu1 after load"
echo 1 > $CPU1 || fail "cannot online cpu1"
assert_eq "$(cat $CPU1)" 1 "cpu1 online"
wait_flows 0 10 || fail "the first ping's flows never expired"

note "share of maxflows: 100 over 2 CPUs = 50 on cpu0"
ev0=$(snmp_cpu 0 12)
taskset -c 0 python3 "$XT/tests/vm/udpgen.py" 10.50.0.2 80 --ports 80 > /dev/null
# 50 objects on cpu0 (live flows 7/8 of it): the 80 flows evict and, once
# every object is in use, are refused (counted as dropped). With the share
# left at 100 from the load (one CPU online), none would be evicted.
ev=$(( $(snmp_cpu 0 12) - ev0 ))
[ "$ev" -ge 1 ] && [ "$ev" -le 36 ] ||
	fail "cpu0 evictions for 80 flows into a share of 50: $ev"
echo "ok: cpu0 evictions for 80 flows into a share of 50: $ev"
wait_flows 0 10 || fail "the UDP flows never expired"

note "traffic pinned to cpu1 expires there and is exported"
p1=$(snmp_cpu 1 4)
out0=$(snmp outFlows)
taskset -c 1 ping -c 10 -i 0.2 -q 10.50.0.2 > /dev/null || fail "ping on cpu1"
assert_eq "$(( $(snmp_cpu 1 4) - p1 ))" 20 "packets metered on cpu1"
wait_flows 0 10 || fail "cpu1's flows never expired: no worker on cpu1"
assert_eq "$(( $(snmp outFlows) - out0 ))" 2 "flows exported from cpu1"

note "offline cpu1 with live flows: exported at once"
sysctl -qw net.netflow.inactive_timeout=60 || fail "sysctl inactive_timeout"
taskset -c 1 ping -c 5 -i 0.2 -q 10.50.0.2 > /dev/null || fail "ping on cpu1"
assert_eq "$(snmp hashFlows)" 2 "live flows before offlining cpu1"
out0=$(snmp outFlows)
echo 0 > $CPU1 || fail "cannot offline cpu1"
sleep 0.5
assert_eq "$(snmp hashFlows)" 0 "flows left after offlining cpu1"
assert_eq "$(( $(snmp outFlows) - out0 ))" 2 "flows exported when cpu1 went down"

note "online it again: its worker runs again"
echo 1 > $CPU1 || fail "cannot online cpu1 again"
sysctl -qw net.netflow.inactive_timeout=2
taskset -c 1 ping -c 3 -i 0.2 -q 10.50.0.2 > /dev/null || fail "ping on cpu1"
wait_flows 0 10 || fail "cpu1's flows never expired after the second online"

sysctl -qw net.netflow.flush=1
sleep 1
collector_stop $NF
cat $PROC
counted=$({ iptables-legacy -L INPUT -nvx; iptables-legacy -L OUTPUT -nvx; } |
	awk '$3 == "NETFLOW" { p += $1; b += $2 } END { print p + 0, b + 0 }')
# refused new flows (every maxflows object in use) are counted as dropped
seen=$(nf_flows $NF | awk -v dp="$(snmp dropPackets)" -v db="$(snmp dropBytes)" \
	'{ p += $6; b += $7 } END { print p + dp, b + db }')
assert_eq "$seen" "$counted" "packets and bytes, nfdump + dropped vs iptables"
assert_eq "$(snmp inPackets)" "${counted% *}" "inPackets vs iptables"
assert_eq "$(snmp lostFlows)" 0 "lost flows"
iptables-legacy -F
ns_cleanup
nf_unload
