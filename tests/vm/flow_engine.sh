#!/bin/sh
# Flow engine behaviour a user checks: timeouts honoured, flush, a full
# table still accounts every packet, live hashsize resize, collector down,
# destination change, unload exports everything. Exact totals throughout.
#
#   [a] 10.20.0.1 ---veth--- 10.20.0.2 [b: root ns]   NETFLOW in b: INPUT, OUTPUT
. "$XT/tests/vm/lib.sh"
GEN="python3 $XT/tests/vm/udpgen.py"
NF=/tmp/nf-engine
nf_load destination=127.0.0.1:2055 protocol=5
ns_pair_host a b 10.20.0.1 10.20.0.2
ns_exec b iptables-legacy -A INPUT -i veth-b -j NETFLOW
ns_exec b iptables-legacy -A OUTPUT -o veth-b -j NETFLOW

# b's NETFLOW rule counters: "packets bytes"
counted() {
	{ ns_exec b iptables-legacy -L INPUT -nvx
	  ns_exec b iptables-legacy -L OUTPUT -nvx; } |
		awk '$3 == "NETFLOW" { p += $1; b += $2 } END { print p + 0, b + 0 }'
}
zero() {
	ns_exec b iptables-legacy -Z
}
# totals of what the collector decoded
received() {
	nf_flows "$1" | awk '{ p += $6; b += $7 } END { print p + 0, b + 0 }'
}

note "inactive timeout: flows leave on their own, no flush"
sysctl -qw net.netflow.inactive_timeout=2
collector_start $NF
zero
ns_exec a ping -c 5 -i 0.1 -q 10.20.0.2 > /dev/null
before=$(snmp outFlows)
# read at once: a loaded host can stall the guest past the 2 s timeout
[ "$(snmp hashFlows)" -ge 1 ] || fail "no live flow right after traffic"
sleep 4
[ "$(snmp hashFlows)" = 0 ] || fail "flows still live 4 s after traffic with a 2 s timeout"
[ "$(snmp outFlows)" -gt "$before" ] || fail "nothing exported by the timeout"
sleep 2
collector_stop $NF
assert_eq "$(received $NF)" "$(counted)" "timeout export: collector vs iptables"

note "a shorter inactive timeout applies to flows already live"
sysctl -qw net.netflow.inactive_timeout=60
ns_exec a ping -c 2 -i 0.1 -q 10.20.0.2 > /dev/null
[ "$(snmp hashFlows)" -ge 1 ] || fail "no live flow"
sysctl -qw net.netflow.inactive_timeout=2
sleep 4
assert_eq "$(snmp hashFlows)" 0 "live flows 4 s after lowering the timeout to 2 s"
sysctl -qw net.netflow.flush=2

note "active timeout: a long flow is exported in pieces"
sysctl -qw net.netflow.active_timeout=2 net.netflow.inactive_timeout=10
collector_start $NF
zero
ns_exec a ping -c 50 -i 0.1 -q 10.20.0.2 > /dev/null
sysctl -qw net.netflow.flush=1
sleep 2
collector_stop $NF
records=$(nf_flows $NF | awk '$1 == "10.20.0.1" && $3 == 1' | wc -l)
[ "$records" -ge 3 ] || fail "a 5 s ping flow with active_timeout=2 gave $records records"
echo "ok: 5 s ping with active_timeout 2 s: $records records"
assert_eq "$(received $NF)" "$(counted)" "active timeout: collector vs iptables"
sysctl -qw net.netflow.active_timeout=1800 net.netflow.inactive_timeout=15

note "sysctl refuses bad values and keeps the old ones"
for kv in active_timeout=0 inactive_timeout=abc hashsize=100 protocol=7 \
	maxflows=-1 flush=3 'destination=10.0.0.1:0' 'destination=bogus' \
	sampler=hash:10 natevents=1; do
	k=${kv%%=*}
	old=$(sysctl -n net.netflow.$k)
	sysctl -qw "net.netflow.$kv" 2>/dev/null && fail "sysctl accepted $kv"
	assert_eq "$(sysctl -n net.netflow.$k)" "$old" "$k after refused $kv"
done
dmesg | grep -q "refused 'abc'" || fail "no log line naming the refused value"

note "maxflows: a flood of new flows into a small table"
sysctl -qw net.netflow.maxflows=100
collector_start $NF
zero
ns_exec a $GEN 10.20.0.2 3000 --ports 3000 --size 64 > /dev/null
sleep 1
sysctl -qw net.netflow.flush=1
sleep 2
collector_stop $NF
[ "$(snmp hashFlows)" = 0 ] || fail "flows left after flush"
evicted=$(awk '$1 ~ /^cpu[0-9]/ { s += $12 } END { print s + 0 }' ${PROC}_snmp)
[ "$evicted" -gt 1000 ] || fail "only $evicted flows evicted for a full table"
echo "ok: $evicted flows evicted early (maxflows)"
assert_eq "$(snmp dropPackets)" 0 "packets not accounted"
assert_eq "$(received $NF)" "$(counted)" "full table: collector vs iptables"
sysctl -qw net.netflow.maxflows=2000000

note "hashsize resized under traffic"
collector_start $NF
zero
ns_exec a $GEN 10.20.0.2 6000 --ports 600 --size 80 > /dev/null &
gen=$!
for hs in 512 65536 256 4096; do
	sleep 0.5
	sysctl -qw net.netflow.hashsize=$hs || fail "hashsize=$hs refused"
	assert_eq "$(sysctl -n net.netflow.hashsize)" $hs "hashsize"
done
wait $gen
grep -q "Hash: size" $PROC || fail "no hash line"
sysctl -qw net.netflow.flush=1
sleep 2
collector_stop $NF
assert_eq "$(received $NF)" "$(counted)" "resize under traffic: collector vs iptables"

note "collector down: failures counted, nothing crashes"
sysctl -qw net.netflow.destination=127.0.0.1:2999
zero
ns_exec a ping -c 3 -i 0.1 -q 10.20.0.2 > /dev/null
sysctl -qw net.netflow.flush=1
sleep 1.5
ns_exec a ping -c 3 -i 0.1 -q 10.20.0.2 > /dev/null
sysctl -qw net.netflow.flush=1
sleep 1.5
lost=$(snmp lostFlows)
[ "$lost" -ge 1 ] || fail "no lost flows counted with the collector down"
cberr=$(awk '$1 == "sock0" { print $6 }' ${PROC}_snmp)
[ "$cberr" -ge 1 ] || fail "ICMP unreachable not counted: $(grep sock0 ${PROC}_snmp)"
echo "ok: collector down: $lost flows lost, $cberr ICMP unreachable errors"
grep "sock0" $PROC

note "destination changed at run time, under traffic: nothing lost"
collector_start $NF 2055
collector_start $NF-b 2056
sysctl -qw net.netflow.destination=127.0.0.1:2055
sysctl -qw net.netflow.flush=2
zero
# one long ping flow spans the change: part goes to each collector
ns_exec a ping -c 150 -i 0.02 -q 10.20.0.2 > /dev/null &
gen=$!
# the ping must have started before the switch, however slow the guest
for _ in $(seq 50); do
	[ "$(snmp hashFlows)" -ge 2 ] && break
	sleep 0.2
done
sleep 0.5
sysctl -qw net.netflow.flush=1
sysctl -qw net.netflow.destination=127.0.0.1:2056
wait $gen
sysctl -qw net.netflow.flush=1
sleep 2
collector_stop $NF
collector_stop $NF-b
a=$(received $NF)
b=$(received $NF-b)
[ "${a% *}" -gt 0 ] || fail "the old destination got nothing"
[ "${b% *}" -gt 0 ] || fail "the new destination got nothing"
sum="$(( ${a% *} + ${b% *} )) $(( ${a#* } + ${b#* } ))"
echo "old collector: $a, new collector: $b"
assert_eq "$sum" "$(counted)" "destination change: both collectors vs iptables"
assert_eq "$(snmp lostFlows)" 0 "lost flows"

note "unload exports every flow still in the table"
sysctl -qw net.netflow.destination=127.0.0.1:2055
collector_start $NF
zero
ns_exec a ping -c 10 -i 0.05 -q 10.20.0.2 > /dev/null
expect=$(counted)
[ "$(snmp hashFlows)" -ge 1 ] || fail "no live flows before unload"
rules_flush
ns_exec b iptables-legacy -F
nf_unload
sleep 1
collector_stop $NF
assert_eq "$(received $NF)" "$expect" "flows exported by rmmod"

note "rmmod under traffic"
nf_load destination=127.0.0.1:2055
ns_exec b iptables-legacy -A INPUT -i veth-b -j NETFLOW
ns_exec a ping -f -w 4 -q 10.20.0.2 > /dev/null &
pf=$!
sleep 1
ns_exec b iptables-legacy -F
nf_unload
wait $pf
ns_cleanup
echo "flow engine scenarios ok"
