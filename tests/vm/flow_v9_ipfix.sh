#!/bin/sh
# v9 and IPFIX over IPv4 and IPv6 traffic, one exporter feeding four
# collectors at once through per-destination protocols:
#   127.0.0.1:2055/v9     nfcapd
#   [::1]:4739/ipfix      nfcapd listening on IPv6
#   127.0.0.1:2056/ipfix  pmacct nfacctd (a second, independent collector)
#   127.0.0.1:2057/v5     nfcapd (v5 takes the IPv4 flows only)
# Every generated flow is found with its exact packets, bytes and ports;
# every collector's totals equal the NETFLOW rule counters; tshark checks
# the captured stream (sequence numbers, statistics and interface-name
# options records) field by field.
#
#   root ns: v-root 10.30.0.1 fd30::1 ---veth--- eth0 10.30.0.2 fd30::2 [peer]
#   NETFLOW rules in root INPUT/OUTPUT (iptables and ip6tables), per flow
. "$XT/tests/vm/lib.sh"
. "$XT/tests/vm/cflow_lib.sh"
R4=10.30.0.1 P4=10.30.0.2 R6=fd30::1 P6=fd30::2
V9=/tmp/nf-9 FIX=/tmp/nf-10 V5=/tmp/nf-5 PM=/tmp/pm PCAP=/tmp/export.pcap
IPT=iptables-legacy IP6T=ip6tables-legacy

collector_start $V9 2055
collector_start $V5 2057
collector_start $FIX 4739 ::1
nfacctd_start $PM 2056 src_host,dst_host,proto,src_port,dst_port
cap_start $PCAP "udp port 2055 or udp port 4739"
sleep 1

# refresh_rate 3: statistics go out every few PDUs, so the stream shows
# several of them to check, not just the all-zero first one
nf_load "destination=127.0.0.1:2055/v9,[::1]:4739/ipfix,127.0.0.1:2056/ipfix,127.0.0.1:2057/v5" \
	protocol=9 refresh_rate=3

$IP netns add peer
$IP link add v-root type veth peer name eth0 netns peer
$IP addr add $R4/24 dev v-root
$IP -6 addr add $R6/64 dev v-root nodad
$IP link set v-root up
ns_exec peer $IP addr add $P4/24 dev eth0
ns_exec peer $IP -6 addr add $P6/64 dev eth0 nodad
ns_exec peer $IP link set eth0 up
ns_exec peer $IP link set lo up
ethtool -K v-root tso off gso off gro off tx off rx off > /dev/null 2>&1
ns_exec peer ethtool -K eth0 tso off gso off gro off tx off rx off > /dev/null 2>&1

# One rule per generated flow and direction, so each counter is one flow.
$IPT -A INPUT -s $P4 -p udp --dport 9001 -j NETFLOW
$IPT -A INPUT -s $P4 -p tcp --dport 5201 -j NETFLOW
$IPT -A OUTPUT -d $P4 -p tcp --sport 5201 -j NETFLOW
$IPT -A INPUT -s $P4 -p icmp --icmp-type echo-request -j NETFLOW
$IPT -A OUTPUT -d $P4 -p icmp --icmp-type echo-reply -j NETFLOW
$IP6T -A INPUT -s $P6 -p udp --dport 9001 -j NETFLOW ||
	fail "ip6tables NETFLOW refused with v9/IPFIX destinations"
$IP6T -A INPUT -s $P6 -p tcp --dport 5202 -j NETFLOW
$IP6T -A OUTPUT -d $P6 -p tcp --sport 5202 -j NETFLOW
$IP6T -A INPUT -s $P6 -p ipv6-icmp --icmpv6-type echo-request -j NETFLOW
$IP6T -A OUTPUT -d $P6 -p ipv6-icmp --icmpv6-type echo-reply -j NETFLOW

note "traffic: UDP, TCP, ICMP echo over IPv4 and IPv6"
cat > /tmp/udp.py <<'EOF'
import socket, sys
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.bind(("", int(sys.argv[2])))
for _ in range(int(sys.argv[3])):
    s.sendto(b"u" * int(sys.argv[4]), (sys.argv[1], 9001))
EOF
ns_exec peer python3 /tmp/udp.py $R4 40001 40 100 || fail "udp v4"
ns_exec peer python3 /tmp/udp.py $R6 40002 40 100 || fail "udp v6"
iperf3 -s -D -1 -p 5201
iperf3 -s -D -1 -p 5202
sleep 1
ns_exec peer iperf3 -c $R4 -p 5201 -n 256K > /tmp/iperf4.log 2>&1 ||
	fail "iperf3 v4: $(cat /tmp/iperf4.log)"
ns_exec peer iperf3 -6 -c $R6 -p 5202 -n 256K > /tmp/iperf6.log 2>&1 ||
	fail "iperf3 v6: $(cat /tmp/iperf6.log)"
ns_exec peer ping -c 5 -i 0.2 -q $R4 > /dev/null || fail "ping v4"
ns_exec peer ping -6 -c 5 -i 0.2 -q $R6 > /dev/null || fail "ping v6"
sleep 1
sysctl -qw net.netflow.flush=1 || fail "flush"
# two ticks: the last partial PDUs and a statistics record leave
sleep 3
grep sock $PROC

cap_stop $PCAP
collector_stop $V9
collector_stop $V5
collector_kill $FIX

# "pkts bytes" of the NETFLOW rules in CMD CHAIN whose line matches RE
counted() {
	$1 -L "$2" -nvx | awk -v re="$3" '$3 == "NETFLOW" && $0 ~ re {
		p += $1; b += $2 } END { print p + 0, b + 0 }'
}
sum2() {
	echo "$1 $2" | awk '{ print $1 + $3, $2 + $4 }'
}
all4=$(sum2 "$(counted $IPT INPUT .)" "$(counted $IPT OUTPUT .)")
all6=$(sum2 "$(counted $IP6T INPUT .)" "$(counted $IP6T OUTPUT .)")
all=$(sum2 "$all4" "$all6")
note "rule counters: IPv4 $all4, IPv6 $all6"

# per-flow: "src dst proto sport dport pkts bytes" lines from nfdump -a
for c in $V9 $FIX; do
	flows=$(nf_flows $c -a | cut -d' ' -f1-7)
	echo "$flows"
	for want in "$P4 $R4 17 40001 9001 40 5120" \
		"$P6 $R6 17 40002 9001 40 5920" \
		"$P4 $R4 1 0 8.0 5 420" "$R4 $P4 1 0 0.0 5 420" \
		"$P6 $R6 58 0 128.0 5 520" "$R6 $P6 58 0 129.0 5 520"; do
		echo "$flows" | grep -qx "$want" || fail "$c: no flow '$want'"
	done
	echo "ok: $c: UDP and ICMP echo flows, v4 and v6, exact"
	for t in "$IPT INPUT dpt:5201 $P4 $R4 5201 5" \
		"$IPT OUTPUT spt:5201 $R4 $P4 5201 4" \
		"$IP6T INPUT dpt:5202 $P6 $R6 5202 5" \
		"$IP6T OUTPUT spt:5202 $R6 $P6 5202 4"; do
		set -- $t
		seen=$(echo "$flows" | awk -v s=$4 -v d=$5 -v port=$6 -v col=$7 '
			$1 == s && $2 == d && $3 == 6 && $col == port {
				p += $6; b += $7 } END { print p + 0, b + 0 }')
		assert_eq "$seen" "$(counted $1 $2 $3)" "$c: TCP $4 -> $5 port $6"
	done
	assert_eq "$(echo "$flows" | awk '{ p += $6; b += $7 }
		END { print p + 0, b + 0 }')" "$all" "$c: totals vs all rules"
done

v5flows=$(nf_flows $V5 -a | cut -d' ' -f1-7)
echo "$v5flows" | grep -qx "$P4 $R4 17 40001 9001 40 5120" ||
	fail "v5: no UDP flow"
assert_eq "$(echo "$v5flows" | awk '{ p += $6; b += $7 }
	END { print p + 0, b + 0 }')" "$all4" "v5: totals vs IPv4 rules"
skipped=$(awk '/127.0.0.1:2057/ { for (i = 1; i < NF; i++)
	if ($i == "skipped") print $(i + 1) + 0 }' $PROC)
[ "${skipped:-0}" -gt 0 ] || fail "v5 destination skipped no IPv6 flow"
echo "ok: v5 destination skipped $skipped IPv6 flows"

note "nfacctd"
sleep 1
nfacctd_stop $PM
csv=$(awk -F, '$1 == "SRC_IP" { next } { print }' $PM/flows.csv)
echo "$csv"
echo "$csv" | grep -q "^$P4,$R4,40001,9001,udp,40,5120$" || fail "nfacctd: no UDP v4 flow"
echo "$csv" | grep -q "^$P6,$R6,40002,9001,udp,40,5920$" || fail "nfacctd: no UDP v6 flow"
assert_eq "$(echo "$csv" | awk -F, '{ p += $6; b += $7 } END { print p + 0, b + 0 }')" \
	"$all" "nfacctd: totals vs all rules"

note "the stream as tshark decodes it"
fields=$(cflow_fields $PCAP 2055 4739)
streams=$(cflow_check "$fields") || { echo "$streams"; fail "tshark check"; }
echo "$streams"
for k in "2055 9" "4739 10"; do
	n=$(echo "$streams" | awk -v k="$k" '$1 " " $2 == k { print $5 }')
	[ "${n:-0}" -ge 2 ] || fail "stream $k: ${n:-0} statistics records"
	echo "ok: stream $k: $n statistics records, each exact"
done
assert_eq "$(nfcapd_seqerr $V9.log)" 0 "nfcapd v9 sequence errors"
assert_eq "$(nfcapd_seqerr $V5.log)" 0 "nfcapd v5 sequence errors"
assert_eq "$(nfcapd_seqerr $FIX.log)" \
	"$(echo "$streams" | awk '$1 == 4739 { print $6 }')" \
	"nfcapd IPFIX sequence errors (its options-record gaps only)"
ifx=$(cat /sys/class/net/v-root/ifindex)
names=$(echo "$fields" | awk -F '\t' '$1 == 2055 && $10 != "" {
	n = split($9, i, ","); split($10, s, ",")
	for (j = 1; j <= n; j++) print i[j], s[j] }' | sort -u)
echo "$names"
echo "$names" | grep -qx "$ifx v-root" || fail "no interface name for v-root ($ifx)"
echo "ok: interface name options record: $ifx v-root"
grep -iE "template|error" $V9.log $FIX.log $V5.log | grep -v "Sequence Errors:" &&
	fail "nfcapd complained (above)"

rules_flush
ns_cleanup
nf_unload
