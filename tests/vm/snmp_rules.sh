#!/bin/sh
# snmp-rules: flows on ppp-like device names are exported with the mapped
# ifIndex (ppp:200 sends ppp11 as 211) in v5, v9 and IPFIX, in the v9
# interface-name options (decoded on the host: snmp_rules.host.sh) and in
# the flow dump's snmp:i,o column; a bad value is refused at load and on
# write (one dmesg line, rules and text kept); new rules apply to new flows.
#
#   root ns: ppp11 10.31.0.1 ---veth--- eth0 10.31.0.2 [peer]
#   NETFLOW in root INPUT -i ppp11 and OUTPUT -o ppp11
. "$XT/tests/vm/lib.sh"
. "$XT/tests/vm/cflow_lib.sh"
R=10.31.0.1 P=10.31.0.2
V5=/tmp/nf-5 V9=/tmp/nf-9 FIX=/tmp/nf-10 PCAP=/tmp/snmp.pcap
IPT=iptables-legacy

# -- load: bad values refused with one line, nothing loaded --
nf_load	# the first load's taint line is not one of the refusals
nf_unload
for bad in ppp:65536 ppp:-1 ppp "ppp:1,,eth:2" abcdefghijklmnop:1; do
	dmesg -C
	insmod "$KO" "snmp_rules=$bad" 2>/dev/null && fail "loaded with snmp_rules=$bad"
	[ ! -e $PROC ] || fail "snmp_rules=$bad left $PROC"
	n=$(dmesg | grep -c ipt_NETFLOW)
	[ "$n" = 1 ] || fail "snmp_rules=$bad: $n dmesg lines: $(dmesg | grep ipt_NETFLOW)"
	dmesg | grep ipt_NETFLOW | grep -q snmp_rules || fail "the line does not name snmp_rules"
done
echo "ok: bad snmp_rules refused at load, one dmesg line each"

collector_start $V5 2057
collector_start $V9 2055
collector_start $FIX 4739
cap_start $PCAP "udp port 2055"
# "snmp-rules" as 2.6's modprobe.d may spell it; spaces trimmed
insmod "$KO" 'snmp-rules="ppp:200, eth : 100"' inactive_timeout=60 protocol=9 \
	"destination=127.0.0.1:2057/v5,127.0.0.1:2055/v9,127.0.0.1:4739/ipfix" ||
	fail "insmod with snmp-rules"
assert_eq "$(sysctl -n net.netflow.snmp-rules)" "ppp:200,eth:100" "sysctl read-back"
assert_eq "$(grep '^SNMP-rule#' $PROC | tr '\n' '|')" \
	"SNMP-rule#0: prefix 'ppp' map to 200|SNMP-rule#1: prefix 'eth' map to 100|" \
	"/proc rule lines"

$IP netns add peer
$IP link add ppp11 type veth peer name eth0 netns peer
$IP addr add $R/24 dev ppp11
$IP link set ppp11 up
ns_exec peer $IP addr add $P/24 dev eth0
ns_exec peer $IP link set eth0 up
$IPT -A INPUT -i ppp11 -p icmp -j NETFLOW
$IPT -A OUTPUT -o ppp11 -p icmp -j NETFLOW
IDX=$(cat /sys/class/net/ppp11/ifindex)

ns_exec peer taskset -c 0 ping -c 3 -i 0.2 -q $R > /dev/null || fail "ping"
assert_eq "$(sed 1q ${PROC}_flows | awk '{ print $5 }')" "snmp:i,o" "dump header column"
assert_eq "$(sed 1d ${PROC}_flows | awk '{ print $3, $4 }' | sort | tr '\n' '|')" \
	"0,$IDX 0,211|$IDX,0 211,0|" "dump dev:i,o and snmp:i,o"

# -- a bad write keeps the rules and the text --
for bad in ppp:70000 "ppp:1 2" ":5" "ppp:"; do
	dmesg -C
	# one write (sysctl(8) may write twice)
	printf '%s\n' "$bad" 2>/dev/null > /proc/sys/net/netflow/snmp-rules &&
		fail "write '$bad' accepted"
	assert_eq "$(dmesg | grep -c ipt_NETFLOW)" 1 "dmesg lines for '$bad'"
	assert_eq "$(sysctl -n net.netflow.snmp-rules)" "ppp:200,eth:100" "text kept after '$bad'"
done
assert_eq "$(grep -c '^SNMP-rule#' $PROC)" 2 "rules kept after bad writes"

sysctl -qw net.netflow.flush=1 || fail "flush"
# a tick: the interface names go out, translated by the rules of then
sleep 2
# new rules: new flows only
sysctl -qw "net.netflow.snmp-rules=pp:5000" || fail "write pp:5000"
assert_eq "$(grep '^SNMP-rule#' $PROC)" "SNMP-rule#0: prefix 'pp' map to 5000" "new rule line"
ns_exec peer taskset -c 0 ping -c 2 -i 0.2 -q $R > /dev/null || fail "ping 2"
# pp + "p11": no digits right after the prefix, so base + 0
assert_eq "$(sed 1d ${PROC}_flows | awk '{ print $4 }' | sort | tr '\n' '|')" \
	"0,5000|5000,0|" "dump after the new rules"
sysctl -qw net.netflow.flush=1 || fail "flush 2"
sysctl -qw "net.netflow.snmp-rules=" || fail "clear"
assert_eq "$(grep -c '^SNMP-rule#' $PROC)" 0 "no rules after clearing"
ns_exec peer taskset -c 0 ping -c 1 -q $R > /dev/null || fail "ping 3"
sysctl -qw net.netflow.flush=1 || fail "flush 3"
sleep 2
cap_stop $PCAP
collector_stop $V5
collector_stop $V9
collector_kill $FIX
rules_flush
ns_cleanup
nf_unload

# nfdump: "in out pkts" per record, the ICMP echo (8.0) and reply (0.0)
for c in $V5 $V9 $FIX; do
	got=$(nfdump -R $c -q -N -o "fmt:%dp %in %out %pkt" 2>/dev/null |
		awk 'NF == 4 { print $1, $2, $3, $4 }' | sort | tr '\n' '|')
	want=$(printf '%s\n' "0.0 0 211 3" "8.0 211 0 3" "0.0 0 5000 2" \
		"8.0 5000 0 2" "0.0 0 $IDX 1" "8.0 $IDX 0 1" | sort | tr '\n' '|')
	assert_eq "$got" "$want" \
		"$c: exported in/out ifIndex"
done
# the host half (snmp_rules.host.sh) decodes the v9 capture with tshark
cp $PCAP "$RESULTS/snmp_rules.out.pcap" || fail "keep the capture"
echo "ok: capture left for snmp_rules.host.sh"
