#!/bin/sh
# Protocol switches and a destination change under steady traffic lose no
# flow: the flows in the table leave in the old format first, the new
# stream starts with its templates and sequence 0. Collector A sees v9,
# then IPFIX, then v5; the destination moves to collector B, which sees v5
# and then v9. The sum over both collectors equals the rule counters.
#
#   [sa] 10.40.0.1 ---veth--- 10.40.0.2 [sb: root ns]  NETFLOW in sb: INPUT, OUTPUT
#   UDP at 50 pps, a new source port every 25 datagrams, plus ping
. "$XT/tests/vm/lib.sh"
. "$XT/tests/vm/cflow_lib.sh"
A=/tmp/nf-a B=/tmp/nf-b PCAP=/tmp/switch.pcap

collector_start $A 2055
collector_start $B 2056
cap_start $PCAP "udp port 2055 or udp port 2056"
# inactive_timeout 2: finished flows leave within each 3 s phase
nf_load destination=127.0.0.1:2055 protocol=9 refresh_rate=5 inactive_timeout=2
ns_pair_host sa sb 10.40.0.1 10.40.0.2
ns_exec sb iptables-legacy -A INPUT -i veth-sb -j NETFLOW
ns_exec sb iptables-legacy -A OUTPUT -o veth-sb -j NETFLOW

cat > /tmp/steady.py <<'EOF'
import socket, sys, time
n, per = int(sys.argv[2]), 25
for f in range(n // per):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("", 41000 + f))
    for _ in range(per):
        s.sendto(b"s" * 200, (sys.argv[1], 9001))
        time.sleep(0.02)
    s.close()
EOF
# about 16 s of traffic under TCG
ns_exec sa python3 /tmp/steady.py 10.40.0.2 750 &
gen=$!
ns_exec sa ping -c 70 -i 0.2 -q 10.40.0.2 > /dev/null &
png=$!

step() {
	sleep 3
	note "$1"
	sysctl -qw "net.netflow.$1" || fail "sysctl $1"
}
step protocol=10
step protocol=5
step destination=127.0.0.1:2056
step protocol=9
wait $gen || fail "traffic generator"
wait $png
sysctl -qw net.netflow.flush=1
sleep 3
grep sock $PROC
cap_stop $PCAP
collector_kill $A
collector_stop $B

counted=$({ ns_exec sb iptables-legacy -L INPUT -nvx
	ns_exec sb iptables-legacy -L OUTPUT -nvx; } |
	awk '$3 == "NETFLOW" { p += $1; b += $2 } END { print p + 0, b + 0 }')
got_a=$(nf_flows $A | awk '{ p += $6; b += $7 } END { print p + 0, b + 0 }')
got_b=$(nf_flows $B | awk '{ p += $6; b += $7 } END { print p + 0, b + 0 }')
note "collector A $got_a, collector B $got_b, rules $counted"
for g in "$got_a" "$got_b"; do
	[ "${g%% *}" -gt 0 ] || fail "a collector received nothing"
done
assert_eq "$(echo "$got_a $got_b" | awk '{ print $1 + $3, $2 + $4 }')" \
	"$counted" "A + B packets and bytes vs iptables"
udp=$(nf_flows $A; nf_flows $B)
assert_eq "$(echo "$udp" | awk '$3 == 17 && $5 == 9001 { p += $6 }
	END { print p + 0 }')" 750 "UDP datagrams sent = exported"
assert_eq "$(snmp lostFlows)" 0 "lost flows"

fields=$(cflow_fields $PCAP 2055 2056)
streams=$(cflow_check "$fields") || { echo "$streams"; fail "tshark check"; }
echo "$streams"
assert_eq "$(echo "$streams" | awk '$1 == 2055 { printf "%s ", $2 }')" \
	"9 10 5 " "collector A streams in order"
assert_eq "$(echo "$streams" | awk '$1 == 2056 { printf "%s ", $2 }')" \
	"5 9 " "collector B streams in order"
assert_eq "$(nfcapd_seqerr $A.log)" \
	"$(echo "$streams" | awk '$1 == 2055 { n += $6 } END { print n + 0 }')" \
	"nfcapd A sequence errors (IPFIX options-record gaps only)"
assert_eq "$(nfcapd_seqerr $B.log)" 0 "nfcapd B sequence errors"
# every template a data set refers to was decoded: nfcapd says so if not
grep -iE "template|error" $A.log $B.log | grep -v "Sequence Errors:" &&
	fail "nfcapd complained (above)"

rules_flush
ns_cleanup
nf_unload
