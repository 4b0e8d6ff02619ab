#!/bin/sh
# aggregation: 10.70.0.0/16=24 and 5000-5999=5000 merge UDP flows of
# three sources and three ports into one flow per /24, exported by v5, v9
# and IPFIX with the /16 as mask (v5 bytes, IEs 9/13: nfdump, pmacct's
# nfacctd, and tshark on the host in aggregation.host.sh); /proc rule lines
# count their use;
# a bad write is refused and keeps the rules and text; cleared rules stop
# merging and take 9/13 out of the templates.
#
#   root ns: v-root 10.70.0.1/16 ---veth--- eth0 10.70.1.11, 10.70.1.12,
#            NETFLOW in INPUT                     10.70.2.13 /16 [peer]
. "$XT/tests/vm/lib.sh"
. "$XT/tests/vm/cflow_lib.sh"
R=10.70.0.1 IPT=iptables-legacy
V5=/tmp/nf-5 V9=/tmp/nf-9 FIX=/tmp/nf-10 PCAP=/tmp/aggr.pcap PM=/tmp/pm-aggr
RULES="10.70.0.0/16=24,5000-5999=5000"

collector_start $V5 2057
collector_start $V9 2055
collector_start $FIX 4739
nfacctd_start $PM 2056 src_host,dst_host,src_port,dst_port,src_mask,dst_mask
cap_start $PCAP "udp port 2055 or udp port 2057 or udp port 4739"
nf_load "aggregation=$RULES" inactive_timeout=60 \
	"destination=127.0.0.1:2057/v5,127.0.0.1:2055/v9,127.0.0.1:4739/ipfix,127.0.0.1:2056/ipfix"
assert_eq "$(sysctl -n net.netflow.aggregation)" "$RULES" "read-back"
grep -q '^ipt_NETFLOW .*; aggr ' $PROC || fail "no aggr tag"

$IP netns add peer
$IP link add v-root type veth peer name eth0 netns peer
$IP addr add $R/16 dev v-root
$IP link set v-root up
for a in 10.70.1.11 10.70.1.12 10.70.2.13; do
	ns_exec peer $IP addr add $a/16 dev eth0
done
ns_exec peer $IP link set eth0 up
$IPT -A INPUT -i v-root -p udp --dport 9000 -j NETFLOW

# send SPORT...: one datagram from each source and port to R:9000
send() {
	for a in 10.70.1.11 10.70.1.12 10.70.2.13; do
		for p in "$@"; do
			# one CPU: one table, one record per flow
			echo x | ns_exec peer taskset -c 0 \
				nc -u -w0 -s $a -p $p $R 9000 ||
				fail "nc $a:$p"
		done
	done
}
wait_pkts() {
	for _ in $(seq 50); do
		[ "$(snmp inPackets)" -ge "$1" ] && return 0
		sleep 0.1
	done
	fail "the target saw $(snmp inPackets) packets, expected $1"
}
send 5001 5002 5999
wait_pkts 9
assert_eq "$(grep '^aggr#' $PROC | tr '\n' '|')" \
	"aggr#0 net: match 10.70.0.0/16 strip 24 (usage 18)|aggr#0 port: ports 5000-5999 replace 5000 (usage 9)|" \
	"/proc rule lines: source and destination ends, source ports"

# -- a bad write keeps the rules and the text --
for bad in 10.0.0.0/33=8 "10.70.0.0/16=24 80-70=1" 65536=1 abc; do
	dmesg -C
	printf '%s\n' "$bad" 2>/dev/null > /proc/sys/net/netflow/aggregation &&
		fail "write '$bad' accepted"
	assert_eq "$(dmesg | grep -c ipt_NETFLOW)" 1 "dmesg lines for '$bad'"
	assert_eq "$(sysctl -n net.netflow.aggregation)" "$RULES" "text kept after '$bad'"
done
assert_eq "$(grep -c '^aggr#' $PROC)" 2 "rules kept after bad writes"
sysctl -qw net.netflow.flush=1 || fail "flush"
sleep 2

# -- cleared: no merging, no masks, templates without 9/13 --
sysctl -qw "net.netflow.aggregation=" || fail "clear"
assert_eq "$(grep -c '^aggr#' $PROC)" 0 "no rule lines after clearing"
send 6001
wait_pkts 12
sysctl -qw net.netflow.flush=1 || fail "flush 2"
sleep 2
cap_stop $PCAP
collector_stop $V5
collector_stop $V9
collector_kill $FIX
nfacctd_stop $PM
rules_flush
ns_cleanup
nf_unload

# nfdump: "src sport dst dport pkts [srcmask dstmask]" per record; its v5
# reader drops the mask bytes (tshark checks them on the host)
want="10.70.1.0 5000 10.70.0.0 9000 6 16 16|10.70.1.11 6001 10.70.0.1 9000 1 0 0|10.70.1.12 6001 10.70.0.1 9000 1 0 0|10.70.2.0 5000 10.70.0.0 9000 3 16 16|10.70.2.13 6001 10.70.0.1 9000 1 0 0|"
for c in $V5 $V9 $FIX; do
	got=$(nfdump -R $c -q -N -o "fmt:%sa %sp %da %dp %pkt %smk %dmk" 2>/dev/null |
		awk 'NF == 7 { $1 = $1; print }' | sort | tr '\n' '|')
	if [ $c = $V5 ]; then
		got=$(echo "$got" | tr '|' '\n' | awk 'NF { print $1, $2, $3, $4, $5 }' | tr '\n' '|')
		assert_eq "$got" "$(echo "$want" | tr '|' '\n' | awk 'NF { print $1, $2, $3, $4, $5 }' | tr '\n' '|')" \
			"$c: aggregated flows"
	else
		assert_eq "$got" "$want" "$c: aggregated flows and masks"
	fi
done
# nfacctd: the same records (IPFIX), its columns found by their header names
got=$(awk -F, 'NR == 1 || $1 == "SRC_IP" { for (i = 1; i <= NF; i++) c[$i] = i; next }
	{ k = $c["SRC_IP"] " " $c["SRC_PORT"] " " $c["DST_IP"] " " $c["DST_PORT"]
	  m[k] = $c["SRC_MASK"] " " $c["DST_MASK"]; p[k] += $c["PACKETS"] }
	END { for (k in p) print k, p[k], m[k] }' $PM/flows.csv | sort | tr '\n' '|')
head -n 3 $PM/flows.csv
assert_eq "$got" "$want" "nfacctd: aggregated flows and masks"
cp $PCAP "$RESULTS/aggregation.out.pcap" || fail "keep the capture"
echo "ok: capture left for aggregation.host.sh"
