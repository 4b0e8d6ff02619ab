#!/bin/sh
# promisc: frames for another host that a mirror port receives are metered
# by a raw PREROUTING rule and then dropped: not routed, not delivered, not
# tracked by conntrack. IPv4 and IPv6, under two or three MPLS labels and
# under an in-band 802.1Q tag; malformed and non-IP frames are counted as
# discarded. Only a device put in promiscuous mode by the operator and
# owned by no bridge is a source. The top three label entries are in the
# flow key and go out as 200, 70-72 (tshark checks them on the host,
# promisc.host.sh). The /proc line counts observed and discarded frames;
# flush=2 zeroes them; a bad write keeps the setting.
#
#   [m] eth0 (mirrorgen.py: frames to 02:00:00:00:71:09) === veth mir0
#   [q] eth0 (the same frames) === veth bp0, a port of bridge brx
. "$XT/tests/vm/lib.sh"
. "$XT/tests/vm/cflow_lib.sh"
IPT=iptables-legacy IP6T=ip6tables-legacy
NF=/tmp/nf-promisc FIX=/tmp/nf-promisc-10 PCAP=/tmp/promisc.pcap
OTHER=02:00:00:00:71:09

collector_start $NF 2055
collector_start $FIX 4739
PM=/tmp/pm-promisc
nfacctd_start $PM 2056 src_host,src_port,mpls_label_top,mpls_label_bottom
cap_start $PCAP "udp port 2055 or udp port 4739"
sleep 1
dmesg -C
nf_load promisc=1 inactive_timeout=60 \
	"destination=127.0.0.1:2055/v9,127.0.0.1:4739/ipfix,127.0.0.1:2056/ipfix"
dmesg | grep -q "ipt_NETFLOW: promisc hack is enabled" ||
	fail "no 'promisc hack is enabled' line at load: $(dmesg | tail -3)"
assert_eq "$(sysctl -n net.netflow.promisc)" 1 "promisc read-back"
grep -q "^ipt_NETFLOW (xt-netflow) version [^;]*;.* nel promisc+mpls samp" $PROC ||
	fail "version line lacks the promisc tag: $(head -1 $PROC)"

# "observed discarded" from the /proc line
counts() {
	awk '/^Promisc hack is/ { gsub(/[(),.]/, " "); print $6, $9; f = 1 }
		END { exit !f }' $PROC || fail "no Promisc line in $PROC"
}
grep -q "^Promisc hack is enabled (observed 0 packets, discarded 0)\.$" $PROC ||
	fail "Promisc line: $(grep Promisc $PROC)"

$IP netns add m
$IP link add mir0 type veth peer name eth0 netns m
$IP addr add 10.71.0.1/24 dev mir0
$IP link set mir0 up
ns_exec m $IP link set eth0 up
ethtool -K mir0 gro off >/dev/null 2>&1
ns_exec m ethtool -K eth0 tso off gso off >/dev/null 2>&1
# forwarding on, as on a router: observed frames must still not be routed
fwd4=$(sysctl -n net.ipv4.ip_forward) fwd6=$(sysctl -n net.ipv6.conf.all.forwarding)
sysctl -qw net.ipv4.ip_forward=1
sysctl -qw net.ipv6.conf.all.forwarding=1
$IPT -t raw -A PREROUTING -i mir0 -p udp -j NETFLOW
# udp: not the NDP and MLD of m itself
$IP6T -t raw -A PREROUTING -i mir0 -p udp -j NETFLOW
for t in $IPT $IP6T; do
	$t -t mangle -A PREROUTING -i mir0 -p udp -m conntrack --ctstate UNTRACKED
	$t -A FORWARD -i mir0
	$t -A INPUT -i mir0 -p udp
done
# rule_pkts TOOL TABLE CHAIN: packets of the chain's first rule
rule_pkts() {
	$1 -t "$2" -L "$3" -v -x -n | awk 'NR == 3 { print $1 }'
}
gen() {
	ns_exec m taskset -c 0 python3 "$XT/tests/vm/mirrorgen.py" eth0 $OTHER "$@" ||
		fail "mirrorgen $*"
}

note "mir0 not in promiscuous mode: its frames for other hosts are left alone"
gen udp4 3 4000 > /dev/null
assert_eq "$(counts)" "0 0" "observed, discarded before promisc on"

note "mir0 promisc on: IP (also under MPLS and a tag) metered, the rest discarded"
$IP link set mir0 promisc on
l4=$(gen udp4 5 4001 100)
l6=$(gen udp6 4 4002 100)
m4=$(gen mpls4 3 4003 200)
gen mpls4=1001,2003 1 4003 200 > /dev/null	# another stack: another flow
m6=$(gen mpls6 2 4004 50)
v4=$(gen vlan4 2 4005 100)
gen badsum4 2 4006 > /dev/null
gen shortlen4 1 4007 > /dev/null
gen nonip 3 0 > /dev/null
assert_eq "$(counts)" "23 6" "observed, discarded"
assert_eq "$(rule_pkts $IPT raw PREROUTING)" 11 "IPv4 frames through raw PREROUTING"
assert_eq "$(rule_pkts $IP6T raw PREROUTING)" 6 "IPv6 frames through raw PREROUTING"
assert_eq "$(rule_pkts $IPT mangle PREROUTING)" 11 "IPv4 frames untracked by conntrack"
assert_eq "$(rule_pkts $IP6T mangle PREROUTING)" 6 "IPv6 frames untracked by conntrack"
for t in $IPT $IP6T; do
	assert_eq "$(rule_pkts $t filter FORWARD)" 0 "$t: observed frames forwarded"
	assert_eq "$(rule_pkts $t filter INPUT)" 0 "$t: observed frames delivered"
done

note "a bridge port is no source, even in promiscuous mode"
$IP netns add q
$IP link add brx type bridge
$IP link set brx up
$IP link add bp0 type veth peer name eth0 netns q
$IP link set bp0 master brx up
$IP link set bp0 promisc on
ns_exec q $IP link set eth0 up
ns_exec q taskset -c 0 python3 "$XT/tests/vm/mirrorgen.py" eth0 $OTHER udp4 3 4008 > /dev/null ||
	fail "mirrorgen on q"
assert_eq "$(counts)" "23 6" "observed, discarded after frames on a bridge port"

# the flows dump: the frame's MACs, the tag kept beside the packet, the
# IP ethertype below the MPLS stack
MAC_M=$(ns_exec m cat /sys/class/net/eth0/address)
flows=$(cat ${PROC}_flows)
for row in "$MAC_M,$OTHER 300 0800 17 10.71.0.2,4005 " \
	"$MAC_M,$OTHER 0800 17 10.71.0.2,4003 " \
	"$MAC_M,$OTHER 86dd 17 fd71::2,4004 "; do
	echo "$flows" | grep -q " $row" || fail "no dump row '$row': $flows"
done
echo "ok: dump rows: MACs, VLAN 300, ethertype below MPLS"

note "flush=2 zeroes the counters"
sysctl -qw net.netflow.flush=2 || fail "flush=2"
assert_eq "$(counts)" "0 0" "observed, discarded after flush=2"

note "promisc=0: nothing observed; bad writes keep the setting"
dmesg -C
sysctl -qw net.netflow.promisc=0 || fail "promisc=0"
dmesg | grep -q "ipt_NETFLOW: promisc hack is disabled" || fail "no 'disabled' line"
gen udp4 2 4010 > /dev/null
assert_eq "$(counts)" "0 0" "observed, discarded while off"
grep -q "^Promisc hack is disabled " $PROC || fail "Promisc line says enabled"
for bad in 2 -1 abc; do
	dmesg -C
	printf '%s\n' "$bad" 2>/dev/null > /proc/sys/net/netflow/promisc &&
		fail "promisc write '$bad' accepted"
	assert_eq "$(dmesg | grep -c ipt_NETFLOW)" 1 "dmesg lines for promisc '$bad'"
	assert_eq "$(sysctl -n net.netflow.promisc)" 0 "promisc kept after '$bad'"
done
sysctl -qw net.netflow.promisc=1 || fail "promisc=1"
gen udp4 1 4011 > /dev/null
assert_eq "$(counts)" "1 0" "observed, discarded on again"

sysctl -qw net.netflow.flush=1 || fail "flush"
sleep 2
rules_flush
ns_cleanup
sysctl -qw net.ipv4.ip_forward="$fwd4"
sysctl -qw net.ipv6.conf.all.forwarding="$fwd6"
$IP link del mir0 2>/dev/null
$IP link del brx
dmesg -C
nf_unload
dmesg | grep -q "ipt_NETFLOW: promisc hack is disabled" ||
	fail "unload did not switch promisc off first"
cap_stop $PCAP
nfacctd_stop $PM
collector_stop $NF
collector_kill $FIX

# the collector: each metered flow with the frames' IP packets and bytes
flows=$(nf_flows $NF -A srcport)
echo "$flows"
for f in "4001 5 $((5 * l4))" "4002 4 $((4 * l6))" "4003 4 $((4 * m4))" \
	"4004 2 $((2 * m6))" "4005 2 $((2 * v4))" "4011 1 $l4"; do
	set -- $f
	got=$(echo "$flows" | awk -v p="$1" '$4 == p { n += $6; b += $7 }
		END { print n + 0, b + 0 }')
	assert_eq "$got" "$2 $3" "nfdump: sport $1 packets, bytes"
done
for p in 4000 4006 4007 4008 4010; do
	echo "$flows" | awk -v p=$p '$4 == p { exit 1 }' ||
		fail "a record for sport $p, which must not be metered"
done
# nfdump 1.7: the label stack (label-TC-S) of v9 and IPFIX
for c in $NF $FIX; do
	got=$(nfdump -R $c -q -N -o "fmt:%sp %pkt %mpls1 %mpls2 %mpls3" 2>/dev/null |
		awk '$1 == 4003 || $1 == 4004 { print $1, $2, $3, $4, $5 }' |
		sort | tr '\n' '|')
	assert_eq "$got" "4003 1 1001-5-0 2003-5-1 0-0-0|4003 3 1001-5-0 2002-5-1 0-0-0|4004 2 3003-5-0 4004-5-0 5005-5-1|" \
		"$c: nfdump: MPLS stacks"
done
# nfacctd: the top and bottom labels of IPFIX's 70-72
cat $PM/flows.csv
pm() {	# SPORT: "top/bottom packets" of its records, sorted
	awk -F, -v sp="$1" 'NR == 1 || $1 ~ /^[A-Z_]+$/ {
			for (i = 1; i <= NF; i++) col[$i] = i; next }
		$col["SRC_PORT"] == sp { print $col["MPLS_LABEL_TOP"] "/" \
			$col["MPLS_LABEL_BOTTOM"], $col["PACKETS"] }' $PM/flows.csv |
		sort | tr '\n' '|'
}
assert_eq "$(pm 4003)" "1001/2002 3|1001/2003 1|" "nfacctd: IPv4 under two labels"
assert_eq "$(pm 4004)" "3003/5005 2|" "nfacctd: IPv6 under three labels"
assert_eq "$(pm 4001)" "0/0 5|" "nfacctd: no labels"
{
	echo "MAC_M=$MAC_M OTHER=$OTHER"
} > "$RESULTS/promisc.out.vars"
cp $PCAP "$RESULTS/promisc.out.pcap" || fail "keep the capture"
echo "ok: capture left for promisc.host.sh"
echo "PASS: promisc"
