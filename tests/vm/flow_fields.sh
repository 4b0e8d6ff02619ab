#!/bin/sh
# Field oracles: known traffic through every hook of a router, exported as
# IPFIX and decoded by tshark; each record's ifIndex in/out, flowDirection,
# TOS, TCP flags, flowEndReason and absolute times are checked against what
# the traffic was: device ifindexes from /sys, the hook's direction, ping's
# TOS with ECN masked, the OR of the TCP flags seen on the wire, and each
# end reason provoked (1 idle, 2 active, 3 FIN and RST, 4 flush and unload,
# 5 maxflows eviction).
#
#   ns a 10.41.1.2 ---veth--- v-a 10.41.1.1 [root, forwarding]
#                             v-b 10.41.2.1 ---veth--- 10.41.2.2 ns b
#   IPFIX to 127.0.0.1:4739, captured on lo until after rmmod
. "$XT/tests/vm/lib.sh"
. "$XT/tests/vm/cflow_lib.sh"
A=10.41.1.2 RA=10.41.1.1 B=10.41.2.2 RB=10.41.2.1
PCAP=/tmp/fields.pcap TCAP=/tmp/tcp.pcap IPT=iptables-legacy
# tshark wants a writable home
export HOME=/tmp TZ=UTC

sysctl -qw net.ipv4.ip_forward=1
for n in a b; do
	$IP netns add $n
	$IP link add v-$n type veth peer name eth0 netns $n
	ns_exec $n $IP link set lo up
	ns_exec $n $IP link set eth0 up
	$IP link set v-$n up
	ethtool -K v-$n tso off gso off gro off tx off rx off >/dev/null 2>&1
	ns_exec $n ethtool -K eth0 tso off gso off gro off tx off rx off \
		>/dev/null 2>&1
done
$IP addr add $RA/24 dev v-a
$IP addr add $RB/24 dev v-b
ns_exec a $IP addr add $A/24 dev eth0
ns_exec b $IP addr add $B/24 dev eth0
ns_exec a $IP route add default via $RA
ns_exec b $IP route add default via $RB
IFA=$(cat /sys/class/net/v-a/ifindex)
IFB=$(cat /sys/class/net/v-b/ifindex)
note "ifindex: v-a $IFA, v-b $IFB"

cap_start $PCAP "udp port 4739"
cap_start $TCAP "tcp dst port 5301" v-a
nf_load destination=127.0.0.1:4739 protocol=10 active_timeout=1800 \
	inactive_timeout=60

# ins IPTABLES-ARGS...: insert a rule, failing if iptables refuses it
ins() {
	$IPT "$@" -j NETFLOW || fail "iptables $* refused"
}
ins -t mangle -A PREROUTING -i v-a -p udp --dport 7001
ins -A INPUT -i v-a -p udp --dport 7002
ins -A FORWARD -i v-a -o v-b -p udp --dport 7003
ins -A OUTPUT -o v-a -p udp --dport 7004
ins -t mangle -A POSTROUTING -o v-b -p udp --dport 7005
ins -A INPUT -i v-a -p udp --dport 7010:7029
ins -A INPUT -i v-a -p udp --dport 8000:8999
ins -A INPUT -i v-a -p icmp --icmp-type echo-request
ins -A INPUT -i v-a -p tcp --dport 5301
ins -A OUTPUT -o v-a -p tcp --tcp-flags RST RST

cat > /tmp/udp.py <<'EOF'
import socket, sys
dst, sport, dport, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("", sport))
for i in range(n):
    s.sendto(b"u" * 72, (dst, dport))
EOF
cat > /tmp/tcp.py <<'EOF'
import socket, sys
if sys.argv[1] == "server":
    l = socket.socket()
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind(("", 5301))
    l.listen(1)
    open("/tmp/tcp.ready", "w").close()
    c, _ = l.accept()
    while c.recv(65536):
        pass
    c.close()
else:
    c = socket.socket()
    try:
        c.connect((sys.argv[2], int(sys.argv[3])))
    except ConnectionRefusedError:
        sys.exit(0 if sys.argv[1] == "refused" else 1)
    c.sendall(b"t" * 3000)
    c.shutdown(socket.SHUT_WR)
    while c.recv(65536):
        pass
    c.close()
EOF
# in ns a on CPU 0: a flow's packets all meet one CPU's table (on two
# CPUs one connection would be two flows, each with part of the flags)
in_a() {
	ns_exec a taskset -c 0 "$@"
}
udp() {
	in_a python3 /tmp/udp.py "$@" || fail "udp $*"
}

t0=$(date +%s%3N)
note "hooks, TOS, TCP: live until the flush (timeouts 1800/60 s)"
udp $RA 41001 7001 3
udp $RA 41002 7002 4
udp $B 41003 7003 5
taskset -c 0 python3 /tmp/udp.py $A 41004 7004 6 || fail "udp from root"
udp $B 41005 7005 7
in_a ping -c 3 -i 0.2 -q -Q 0x2b $RA > /dev/null || fail "ping -Q"
rm -f /tmp/tcp.ready
python3 /tmp/tcp.py server & srv=$!
for _ in $(seq 20); do [ -e /tmp/tcp.ready ] && break; sleep 0.2; done
in_a python3 /tmp/tcp.py client $RA 5301 || fail "tcp client"
wait $srv
in_a python3 /tmp/tcp.py refused $RA 5399 || fail "tcp to a closed port"
sleep 1
sysctl -qw net.netflow.flush=1 || fail "flush"

note "idle and active timeouts: inactive 1 s, active 3 s"
sysctl -qw net.netflow.inactive_timeout=1 || fail "inactive_timeout=1"
sysctl -qw net.netflow.active_timeout=3 || fail "active_timeout=3"
udp $RA 41011 7011 2
# 25 echo requests over 4.8 s: one active-timeout record at 3 s, the
# rest idle 1 s after the last
in_a ping -c 25 -i 0.2 -q $RA > /dev/null || fail "ping active"
sleep 3

note "maxflows 8: 40 new flows evict the oldest, or are refused"
sysctl -qw net.netflow.inactive_timeout=60 || fail "inactive_timeout=60"
sysctl -qw net.netflow.active_timeout=1800 || fail "active_timeout=1800"
sysctl -qw net.netflow.maxflows=8 || fail "maxflows=8"
cat > /tmp/many.py <<'EOF'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("", 41020))
for p in range(8000, 8040):
    s.sendto(b"m" * 72, (sys.argv[1], p))
EOF
in_a python3 /tmp/many.py $RA || fail "many flows"
sleep 1

note "unload with a live flow"
# the table is full: this new flow evicts one more of the 40
udp $RA 41021 7021 2
evicted=$(awk '$1 == "Total" { gsub(",", ""); print $8 }' $PROC)
dropped=$(awk '$1 == "dropPackets" { print $2 }' ${PROC}_snmp)
note "evicted by maxflows (/proc): $evicted, dropped (refused): $dropped"
grep "^Total" $PROC
rules_flush
ns_cleanup
nf_unload
sleep 1
cap_stop $TCAP
cap_stop $PCAP
t1=$(date +%s%3N)

recs=$(tshark -n -r $PCAP -d udp.port==4739,cflow -T json \
	2>/dev/null | python3 "$XT/tests/vm/cflow_records.py") ||
	fail "decoding the capture"
echo "$recs"
[ -n "$recs" ] || fail "no flow records decoded"

# rec SRC DST PROTO SPORT DPORT: the records of one 5-tuple, fields 6-15
rec() {
	echo "$recs" | awk -v k="$1 $2 $3 $4 $5" \
		'$1 " " $2 " " $3 " " $4 " " $5 == k { $1 = $2 = $3 = $4 = $5 = ""
		sub(/^ +/, ""); print }'
}
# one_rec WHAT SRC DST PROTO SPORT DPORT: exactly one record, fields 6-13
# (pkts bytes tos flags dir reason in out)
one_rec() {
	what=$1
	shift
	r=$(rec "$@")
	[ "$(echo "$r" | grep -c .)" = 1 ] ||
		fail "$what: want one record for $*, got: '$r'"
	echo "$r" | cut -d' ' -f1-8
}
# "pkts bytes tos flags dir reason in out" per hook (UDP: 100-byte packets)
note "ifIndex and direction per hook"
assert_eq "$(one_rec PREROUTING $A $RA 17 41001 7001)" \
	"3 300 0 0 0 4 $IFA 0" "PREROUTING: ingress, in v-a"
assert_eq "$(one_rec INPUT $A $RA 17 41002 7002)" \
	"4 400 0 0 0 4 $IFA 0" "INPUT: ingress, in v-a"
assert_eq "$(one_rec FORWARD $A $B 17 41003 7003)" \
	"5 500 0 0 0 4 $IFA $IFB" "FORWARD: ingress, in v-a, out v-b"
assert_eq "$(one_rec OUTPUT $RA $A 17 41004 7004)" \
	"6 600 0 0 1 4 0 $IFA" "OUTPUT: egress, out v-a"
assert_eq "$(one_rec POSTROUTING $A $B 17 41005 7005)" \
	"7 700 0 0 1 4 $IFA $IFB" "POSTROUTING (forwarded): egress, in v-a, out v-b"

note "TOS: ping -Q 0x2b exports DSCP 0x28, ECN masked"
assert_eq "$(rec $A $RA 1 - 2048 | awk '$3 != 0 { print $1, $3, $5, $6 }')" \
	"3 40 0 4" "ping -Q 0x2b: one record, 3 packets, tos 0x28, flush"

note "TCP flags: the OR of what crossed v-a, FIN ends the flow"
# orflags: the OR of the numbers on stdin (mawk has no or())
orflags() {
	f=0
	while read -r v; do f=$((f | v)); done
	echo $f
}
wire=$(tshark -n -r $TCAP -T fields -e tcp.flags 2>/dev/null | orflags)
tcp=$(echo "$recs" | awk -v a=$A -v r=$RA \
	'$1 == a && $2 == r && $3 == 6 && $5 == 5301')
echo "$tcp"
sport=$(echo "$tcp" | awk 'NR == 1 { print $4 }')
[ -n "$sport" ] || fail "no record of the TCP connection"
assert_eq "$(echo "$tcp" | awk '{ print $9 }' | orflags)" \
	"$wire" "TCP flags OR over the connection's records (wire: $wire)"
assert_eq "$(( wire & 0x1b ))" 27 "SYN, ACK, PSH and FIN on the wire"
assert_eq "$(echo "$tcp" | awk '$9 % 2 == 1 && int($9 / 2) % 2 == 1 { print $9, $11 }')" \
	"$wire 3" "the SYN..FIN record ends with reason 3 (end of flow)"
assert_eq "$(echo "$tcp" | awk '{ p += $6 } END { print p }')" \
	"$(tshark -n -r $TCAP 2>/dev/null | grep -c .)" \
	"TCP packets: records vs wire"
rst=$(echo "$recs" | awk -v a=$A -v r=$RA \
	'$1 == r && $2 == a && $3 == 6 && $4 == 5399 { print $6, $9, $10, $11, $12, $13 }')
assert_eq "$rst" "1 20 1 3 0 $IFA" "RST from root: flags RST|ACK, egress, reason 3"

note "end reasons 1 and 2"
assert_eq "$(one_rec idle $A $RA 17 41011 7011)" "2 200 0 0 0 1 $IFA 0" \
	"UDP idle 1 s: reason 1"
ping=$(echo "$recs" | awk -v a=$A -v r=$RA \
	'$1 == a && $2 == r && $3 == 1 && $8 == 0 { print $6, $11 }')
echo "$ping"
assert_eq "$(echo "$ping" | awk '{ p += $1 } END { print p }')" 25 \
	"ping 4.8 s: every packet exported"
assert_eq "$(echo "$ping" | awk '{ print $2 }' | tr '\n' ' ')" "2 1 " \
	"ping 4.8 s, active 3 s: one active-timeout record, then one idle"

note "end reason 5: maxflows eviction"
many=$(echo "$recs" | awk -v a=$A '$1 == a && $4 == 41020')
# maxflows bounds every object, evicted ones waiting for export included:
# a burst faster than the export has its newest flows refused, counted
# as dropped. Every packet is in a record or in dropPackets.
assert_eq "$(echo "$many" | awk '{ p += $6 } END { print p + 0 }')" \
	"$((40 - dropped))" "40 packets: exported = 40 - dropped ($dropped)"
assert_eq "$(echo "$many" | grep -c .)" "$((40 - dropped))" \
	"one record per metered flow"
[ "${evicted:-0}" -ge 1 ] || fail "maxflows 8: no eviction of 40 flows"
assert_eq "$(echo "$many" | awk '$11 == 5' | grep -c .)" "$evicted" \
	"reason-5 records = evictions counted in /proc"
assert_eq "$(echo "$many" | awk '$11 != 5 && $11 != 4' | grep -c .)" 0 \
	"the rest left at unload (reason 4)"

note "end reason 4 at unload"
assert_eq "$(one_rec unload $A $RA 17 41021 7021)" "2 200 0 0 0 4 $IFA 0" \
	"live flow at rmmod: reason 4"

note "absolute times inside the capture window [$t0, $t1]"
bad=$(echo "$recs" | awk -v t0=$t0 -v t1=$t1 '
	$14 == "-" || $15 == "-" || $14 > $15 || $14 < t0 - 20 || $15 > t1 {
		print }')
[ -z "$bad" ] || fail "records outside the window: $bad"
echo "ok: $(echo "$recs" | grep -c .) records start and end in the window"
assert_eq "$(echo "$recs" | awk '{ print $11 }' | sort -u | tr '\n' ' ')" \
	"1 2 3 4 5 " "every end reason seen"
