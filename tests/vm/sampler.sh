#!/bin/sh
# Flow sampling: deterministic:10 exports exactly 10 of 100 flows to v5,
# v9 and IPFIX collectors, with the v5 header field, the v9/IPFIX selector
# field and the sampler options records as tshark decodes them (on the
# host: sampler.host.sh) and pmacct's nfacctd (records and rate); random:4
# exports about a quarter; a bad write keeps the sampler and its text;
# flipping the sampler under traffic neither crashes nor loses a count.
#
#   root ns: v-root 10.32.0.1 ---veth--- eth0 10.32.0.2 [peer]
#   NETFLOW in root INPUT -i v-root
. "$XT/tests/vm/lib.sh"
. "$XT/tests/vm/cflow_lib.sh"
R=10.32.0.1 P=10.32.0.2
V5=/tmp/nf-5 V9=/tmp/nf-9 FIX=/tmp/nf-10 PCAP=/tmp/samp.pcap PM=/tmp/pm-samp
IPT=iptables-legacy

# -- load: bad values refused with one line naming sampler --
nf_load	# the first load's taint line is not one of the refusals
nf_unload
for bad in deterministic:1 random:16384 x:10 deterministic random:5x; do
	dmesg -C
	insmod "$KO" "sampler=$bad" 2>/dev/null && fail "loaded with sampler=$bad"
	n=$(dmesg | grep -c ipt_NETFLOW)
	[ "$n" = 1 ] || fail "sampler=$bad: $n dmesg lines: $(dmesg | grep ipt_NETFLOW)"
	dmesg | grep ipt_NETFLOW | grep -q sampler || fail "the line does not name sampler"
done
echo "ok: bad sampler values refused at load, one dmesg line each"

$IP netns add peer
$IP link add v-root type veth peer name eth0 netns peer
$IP addr add $R/24 dev v-root
$IP link set v-root up
ns_exec peer $IP addr add $P/24 dev eth0
ns_exec peer $IP link set eth0 up
collector_start $V5 2057
collector_start $V9 2055
collector_start $FIX 4739
nfacctd_start $PM 2056 src_port,sampling_rate
cap_start $PCAP "udp port 2055 or udp port 2057 or udp port 4739"
insmod "$KO" sampler=D:10 inactive_timeout=60 \
	"destination=127.0.0.1:2057/v5,127.0.0.1:2055/v9,127.0.0.1:4739/ipfix,127.0.0.1:2056/v9" ||
	fail "insmod sampler=D:10"
assert_eq "$(sysctl -n net.netflow.sampler)" "deterministic:10" "canonical read-back"

$IPT -A INPUT -i v-root -p udp --dport 9000 -j NETFLOW

# flows PORT0 COUNT: one single-packet UDP flow per source port
cat > /tmp/flows.py <<'EOF'
import socket, sys
base, n = int(sys.argv[2]), int(sys.argv[3])
for p in range(base, base + n):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("", p))
    s.sendto(b"x" * 10, (sys.argv[1], 9000))
    s.close()
EOF
flows() {
	ns_exec peer taskset -c 0 python3 /tmp/flows.py $R "$1" "$2" || fail "udp flows"
}
# wait_pkts N: until the target has seen N packets (softirq may lag)
wait_pkts() {
	for _ in $(seq 50); do
		[ "$(snmp inPackets)" -ge "$1" ] && return 0
		sleep 0.1
	done
	fail "the target saw $(snmp inPackets) packets, expected $1"
}
samp_line() {
	sed -n 's/^Flow sampling //p' $PROC
}

note "deterministic:10, 100 flows"
flows 20000 100
wait_pkts 100
sysctl -qw net.netflow.flush=1 || fail "flush"
assert_eq "$(samp_line)" \
	"mode deterministic one-out-of 10. Flows selected 10, discarded 90. Pkts selected 10, discarded 90." \
	"/proc sampling line"

# -- a bad write keeps the sampler and its text --
for bad in random:1 h:0 q:5 deterministic:99999; do
	dmesg -C
	# one write (sysctl(8) may write twice)
	printf '%s\n' "$bad" 2>/dev/null > /proc/sys/net/netflow/sampler &&
		fail "write '$bad' accepted"
	assert_eq "$(dmesg | grep -c ipt_NETFLOW)" 1 "dmesg lines for '$bad'"
	assert_eq "$(sysctl -n net.netflow.sampler)" "deterministic:10" "text kept after '$bad'"
done
assert_eq "$(samp_line | cut -d. -f1)" "mode deterministic one-out-of 10" "sampler kept"
sleep 2	# a tick: the last PDUs and the options records leave

note "random:4, 400 flows"
sysctl -qw net.netflow.sampler=random:4 || fail "random:4"
assert_eq "$(samp_line)" \
	"mode random one-out-of 4. Flows selected 0, discarded 0. Pkts selected 0, discarded 0." \
	"counters restart on a change"
flows 21000 400
wait_pkts 500
sysctl -qw net.netflow.flush=1 || fail "flush"
sel=$(samp_line | sed 's/.*Flows selected \([0-9]*\), discarded \([0-9]*\).*/\1 \2/')
set -- $sel
assert_eq "$(($1 + $2))" 400 "random: flows observed"
# 400 draws of p = 1/4: mean 100, sd 8.7; 60..140 is beyond 4.5 sd
[ "$1" -ge 60 ] && [ "$1" -le 140 ] || fail "random:4 selected $1 of 400"
echo "ok: random:4 selected $1 of 400"
sleep 2

note "flip the sampler under traffic"
ns_exec peer taskset -c 0 python3 /tmp/flows.py $R 30000 1000 &
gen=$!
for s in hash:3 off deterministic:2 random:100 0 hash:7 ""; do
	sleep 0.3
	sysctl -qw "net.netflow.sampler=$s" || fail "write '$s'"
done
wait $gen || fail "generator"
wait_pkts 1500
sysctl -qw net.netflow.sampler=deterministic:5 || fail "deterministic:5"
flows 25000 50
wait_pkts 1550
sysctl -qw net.netflow.flush=1 || fail "flush"
assert_eq "$(samp_line)" \
	"mode deterministic one-out-of 5. Flows selected 10, discarded 40. Pkts selected 10, discarded 40." \
	"deterministic:5 after the flips"
sleep 2
sysctl -qw net.netflow.sampler=off || fail "off"
assert_eq "$(samp_line)" "is disabled." "/proc when off"
assert_eq "$(sysctl -n net.netflow.sampler)" "" "read-back when off"
sleep 2
cap_stop $PCAP
collector_stop $V5
collector_stop $V9
collector_kill $FIX
nfacctd_stop $PM
rules_flush
ns_cleanup
nf_unload

# nfdump: records per source-port range
count() {
	nfdump -R "$1" -q -N -o "fmt:%sp" 2>/dev/null |
		awk -v lo="$2" -v hi="$3" '$1 >= lo && $1 < hi { n++ } END { print n + 0 }'
}
for c in $V5 $V9 $FIX; do
	assert_eq "$(count $c 20000 20100)" 10 "$c: deterministic:10 records of 100 flows"
	assert_eq "$(count $c 21000 21400)" "$1" "$c: random:4 records = selected"
	assert_eq "$(count $c 25000 25050)" 10 "$c: deterministic:5 records of 50 flows"
done

# nfacctd (v9): the records and the rate it learnt from the sampler options
# (48/49/50 in the options record, 48 in each flow record)
head -n 3 $PM/flows.csv
nfacctd_rates() {
	awk -F, -v lo="$1" -v hi="$2" '$1 == "SRC_PORT" { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["SRC_PORT"] >= lo && $c["SRC_PORT"] < hi { n[$c["SAMPLING_RATE"]]++ }
		END { for (r in n) printf "%s records at rate %s;", n[r], r }' $PM/flows.csv
}
assert_eq "$(nfacctd_rates 20000 20100)" "10 records at rate 10;" "nfacctd: deterministic:10"
assert_eq "$(nfacctd_rates 25000 25050)" "10 records at rate 5;" "nfacctd: deterministic:5"

# the host half (sampler.host.sh) decodes the capture with tshark
cp $PCAP "$RESULTS/sampler.out.pcap" || fail "keep the capture"
echo "random_selected=$1" > "$RESULTS/sampler.out.vars"
echo "ok: capture left for sampler.host.sh"
