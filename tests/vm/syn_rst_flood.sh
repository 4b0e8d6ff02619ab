#!/bin/sh
# A SYN+RST flood of random tuples into a full table: flow objects in every
# state (live, RST-ended, waiting for export or free) stay within maxflows,
# and every packet is exported or counted as dropped.
#
#   [a] 10.23.0.1 ---veth--- 10.23.0.2 [b: root ns] NETFLOW in b: INPUT
#   a writes SYN/RST frames with an AF_PACKET socket, one writer per CPU
. "$XT/tests/vm/lib.sh"
GEN="python3 $XT/tests/vm/udpgen.py"
FLOOD="python3 $XT/tests/vm/tcpflood.py"
NF=/tmp/nf-flood
MAX=2000

counted() {
	ns_exec b iptables-legacy -L INPUT -nvx |
		awk '$3 == "NETFLOW" { p += $1; b += $2 } END { print p + 0, b + 0 }'
}
received() {
	nf_flows "$1" | awk '{ p += $6; b += $7 } END { print p + 0, b + 0 }'
}
# flow objects in any state, from the human /proc file
objects() {
	sed -n 's/^Flows: .*; objects \([0-9]*\),.*/\1/p' $PROC
}
# flows created and not yet exported (live, ended, evicted), from one read
# of the snmp file: the same oracle on any version of the module
unexported() {
	awk '$1 == "inFlows" { i = $2 } $1 == "outFlows" { o = $2 }
		END { print i - o }' ${PROC}_snmp
}
alive() {
	for p in $pids; do
		kill -0 "$p" 2>/dev/null && return 0
	done
	return 1
}

nf_load destination=127.0.0.1:2055 protocol=5 maxflows=$MAX \
	inactive_timeout=120 active_timeout=1800
ns_pair_host a b 10.23.0.1 10.23.0.2
ns_exec b iptables-legacy -A INPUT -i veth-b -j NETFLOW || fail "INPUT rule refused"
[ -n "$(objects)" ] || fail "no objects value in $PROC: $(grep '^Flows' $PROC)"
collector_start $NF

note "fill the table with long-lived UDP flows (more than maxflows=$MAX)"
ncpu=$(nproc)
# each CPU has its own table: fill every one (the receive runs on the
# sender's CPU over veth)
for c in $(seq 0 $((ncpu - 1))); do
	ns_exec a taskset -c $c $GEN 10.23.0.2 3000 --ports 3000 --size 64 > /dev/null
done
o=$(objects)
echo "objects after the fill: $o"
[ "$o" -le $MAX ] || fail "objects $o > maxflows $MAX after the fill"
# live flows keep 7/8 of each CPU's share (the rest is for export)
[ "$(snmp hashFlows)" -ge $((MAX / 2)) ] || fail "tables not full: $(snmp hashFlows) live flows"

note "SYN+RST flood of random tuples, one writer per CPU"
mac=$(ns_exec b cat /sys/class/net/veth-b/address)
pids=""
for c in $(seq 0 $((ncpu - 1))); do
	ns_exec a $FLOOD veth-a 10.23.0.1 10.23.0.2 "$mac" 15000 --cpu $c \
		--seed $((c + 7)) > /tmp/flood.$c &
	pids="$pids $!"
done
peak=0 upeak=0
while alive; do
	u=$(unexported)
	[ "$u" -gt "$upeak" ] && upeak=$u
	o=$(objects)
	[ "${o:-0}" -gt "$peak" ] && peak=$o
	sleep 0.05
done
wait $pids
sent=$(cat /tmp/flood.* | awk '{ s += $1 } END { print s + 0 }')
echo "frames written: $sent; peak unexported flows $upeak, peak objects $peak (maxflows $MAX)"
grep '^Flows' $PROC
[ "$upeak" -le $MAX ] || fail "created-but-unexported flows peaked at $upeak > maxflows $MAX"
[ "$peak" -le $MAX ] || fail "objects peaked at $peak > maxflows $MAX"
evicted=$(awk '$1 ~ /^cpu[0-9]/ { s += $12 } END { print s + 0 }' ${PROC}_snmp)
echo "evicted early: $evicted; dropped: $(snmp dropPackets) packets"
[ "$evicted" -ge 1 ] || fail "no flow evicted by the flood into a full table"

sysctl -qw net.netflow.flush=1
sleep 2
o=$(objects)
collector_stop $NF
read -r rp rb <<EOF
$(counted)
EOF
assert_eq "$(snmp inPackets)" "$rp" "inPackets = rule counter"
[ "$rp" -ge "$sent" ] || fail "rule saw $rp packets, fewer than the $sent frames written"
read -r cp cb <<EOF
$(received $NF)
EOF
assert_eq "$(( cp + $(snmp dropPackets) + $(snmp lostPackets) ))" "$rp" \
	"collector packets + dropPackets + lostPackets = rule counter"
assert_eq "$(( cb + $(snmp dropBytes) + $(snmp lostBytes) ))" "$rb" \
	"collector bytes + dropBytes + lostBytes = rule counter"
assert_eq "$(snmp hashFlows)" 0 "live flows after flush"
[ "$o" -le 0 ] || {
	# the last export's objects wait one RCU grace period
	sleep 1
	o=$(objects)
}
assert_eq "$o" 0 "flow objects after flush and free"
rules_flush
ns_exec b iptables-legacy -F
nf_unload
ns_cleanup
echo "syn+rst flood ok"
