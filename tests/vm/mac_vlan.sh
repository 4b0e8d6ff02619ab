#!/bin/sh
# mac and vlan (both on by default, as in Debian's 2.6 build): a flow's
# Ethernet addresses and VLAN tags are in its key and go out as 80/56,
# 58 (v9) or 243-246 (IPFIX) and 256, IPv4 and IPv6, in v9 and IPFIX:
#   - a routed VLAN sub-interface (VID from the device: no priority),
#   - a vlan-filtering bridge through br_netfilter (the whole TCI: PCP 3),
#   - a local packet (OUTPUT): no MACs, no tag;
#   - the same UDP 5-tuple from a second MAC: a flow of its own.
# Senders run on CPU 0: a flow seen on two CPUs is still two records.
# mac=0 / vlan=0 take their fields out of the templates; bad writes are
# refused with one dmesg line and keep the setting. tshark decodes the
# capture on the host (mac_vlan.host.sh).
#
#   [a] eth0.100 10.61.0.2 fd61::2 -- eth0 == veth == v-a -- v-a.100 10.61.0.1
#   [b] eth0.200 10.62.0.2 --- veth p-b --+ br0 (vlan_filtering, VID 200
#   [c] eth0.200 10.62.0.3 --- veth p-c --+      tagged on both ports)
# Two tags in one frame (QinQ left in-band) are unit-tested only
# (test_flow: test_l2_from_header): stacked 802.1ad/802.1Q devices over
# veth did not pass traffic reliably in the VM.
. "$XT/tests/vm/lib.sh"
. "$XT/tests/vm/cflow_lib.sh"
IPT=iptables-legacy IP6T=ip6tables-legacy
V9=/tmp/nf-9 FIX=/tmp/nf-10 PCAP=/tmp/mac_vlan.pcap

collector_start $V9 2055
collector_start $FIX 4739
# pmacct nfacctd, a second decoder of the IPFIX stream
PM=/tmp/pm
nfacctd_start $PM 2056 src_mac,dst_mac,vlan,src_host,dst_host
cap_start $PCAP "udp port 2055 or udp port 4739"
sleep 1
nf_load inactive_timeout=60 \
	"destination=127.0.0.1:2055/v9,127.0.0.1:4739/ipfix,127.0.0.1:2056/ipfix"
assert_eq "$(sysctl -n net.netflow.mac)" 1 "mac on by default"
assert_eq "$(sysctl -n net.netflow.vlan)" 1 "vlan on by default"
grep -q "^ipt_NETFLOW (xt-netflow) version [^;]*;.* mac .* vlan$" $PROC ||
	fail "version line lacks the mac and vlan tags"

mac_of() { ns_exec "$1" cat "/sys/class/net/$2/address"; }

# -- a: routed VLAN 100 (egress-qos-map 0:5 is dropped by the receiving
#    device, which reports its VID only) --
$IP netns add a
$IP link add v-a type veth peer name eth0 netns a
$IP link set v-a up
$IP link add link v-a name v-a.100 type vlan id 100
$IP addr add 10.61.0.1/24 dev v-a.100
$IP addr add fd61::1/64 dev v-a.100 nodad
$IP link set v-a.100 up
ns_exec a $IP link set eth0 up
ns_exec a $IP link add link eth0 name eth0.100 type vlan id 100 \
	egress-qos-map 0:5
ns_exec a $IP addr add 10.61.0.2/24 dev eth0.100
ns_exec a $IP addr add fd61::2/64 dev eth0.100 nodad
ns_exec a $IP link set eth0.100 up
# no port unreachable back for the local datagrams to port 7
ns_exec a $IPT -A INPUT -p udp --dport 7 -j DROP
MAC_A=$(mac_of a eth0) MAC_VA=$(cat /sys/class/net/v-a/address)
ns_exec a $IP neigh replace 10.61.0.1 lladdr "$MAC_VA" dev eth0.100 nud permanent
ns_exec a $IP -6 neigh replace fd61::1 lladdr "$MAC_VA" dev eth0.100 nud permanent
$IP neigh replace 10.61.0.2 lladdr "$MAC_A" dev v-a.100 nud permanent
$IP -6 neigh replace fd61::2 lladdr "$MAC_A" dev v-a.100 nud permanent

# -- b, c: a vlan-filtering bridge, VID 200 tagged, PCP 3 from b --
sysctl -qw net.bridge.bridge-nf-call-iptables=1 || fail "no br_netfilter"
# tagged frames reach iptables only with this (2.6 needs it too)
sysctl -qw net.bridge.bridge-nf-filter-vlan-tagged=1
$IP link add br0 type bridge vlan_filtering 1
$IP link set br0 up
for n in b:2:3 c:3:0; do
	ns=${n%%:*} x=${n#*:}
	$IP netns add $ns
	$IP link add p-$ns type veth peer name eth0 netns $ns
	$IP link set p-$ns master br0 up
	bridge vlan add vid 200 dev p-$ns
	ns_exec $ns $IP link set eth0 up
	ns_exec $ns $IP link add link eth0 name eth0.200 type vlan id 200 \
		egress-qos-map 0:${x#*:}
	ns_exec $ns $IP addr add 10.62.0.${x%:*}/24 dev eth0.200
	ns_exec $ns $IP link set eth0.200 up
done
MAC_B=$(mac_of b eth0) MAC_C=$(mac_of c eth0)
ns_exec b $IP neigh replace 10.62.0.3 lladdr "$MAC_C" dev eth0.200 nud permanent
ns_exec c $IP neigh replace 10.62.0.2 lladdr "$MAC_B" dev eth0.200 nud permanent

$IPT -t raw -A PREROUTING -i v-a.100 -j NETFLOW
$IP6T -t raw -A PREROUTING -i v-a.100 -j NETFLOW
$IPT -A FORWARD -i br0 -j NETFLOW
$IPT -A OUTPUT -o v-a.100 -p udp --dport 7 -j NETFLOW

ns_exec a taskset -c 0 ping -c 3 -i 0.2 -q 10.61.0.1 > /dev/null || fail "ping a"
ns_exec a taskset -c 0 ping -6 -c 3 -i 0.2 -q fd61::1 > /dev/null || fail "ping -6 a"
ns_exec b taskset -c 0 ping -c 3 -i 0.2 -q 10.62.0.3 > /dev/null || fail "ping b -> c"
# local: OUTPUT, no Ethernet header yet
taskset -c 0 python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.61.0.1", 5007))
for _ in range(2):
    s.sendto(b"x" * 20, ("10.61.0.2", 7))'
# one UDP 5-tuple, 2 datagrams from each of two source MACs
udp_from_a() {
	ns_exec a taskset -c 0 python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.61.0.2", 5555))
for _ in range(2):
    s.sendto(b"y" * 30, ("10.61.0.1", 9))'
}
udp_from_a
ns_exec a $IP link set eth0 address 02:00:00:00:61:02
udp_from_a

# the flows dump: MACs src,dst, the TCI column when tagged, the type
flows=$(cat ${PROC}_flows)
echo "$flows" | head -1 | grep -q "^# hash a dev:i,o snmp:i,o mac:src,dst vlan type proto " ||
	fail "flows dump header: $(echo "$flows" | head -1)"
echo "$flows" | grep -q " $MAC_B,$MAC_C $((3 << 13 | 200)) 0800 1 10.62.0.2," ||
	fail "no dump row for b -> c with TCI $((3 << 13 | 200)): $flows"
echo "$flows" | grep -q " 00:00:00:00:00:00,00:00:00:00:00:00 0800 17 10.61.0.1,5007 " ||
	fail "no dump row for the local flow without MACs or tag: $flows"
echo "ok: flows dump rows carry mac:src,dst, vlan and type"

# -- bad writes refused, settings kept --
for k in mac vlan; do
	for bad in 2 -1 abc; do
		dmesg -C
		printf '%s\n' "$bad" 2>/dev/null > /proc/sys/net/netflow/$k &&
			fail "$k write '$bad' accepted"
		assert_eq "$(dmesg | grep -c ipt_NETFLOW)" 1 "dmesg lines for $k '$bad'"
		assert_eq "$(sysctl -n net.netflow.$k)" 1 "$k kept after '$bad'"
	done
done
sysctl -qw net.netflow.flush=1 || fail "flush"
sleep 2

# -- mac=0: no 80/56, VLAN still there; then vlan=0: no link layer --
sysctl -qw net.netflow.mac=0 || fail "mac=0"
assert_eq "$(sysctl -n net.netflow.vlan)" 1 "vlan kept by mac=0"
ns_exec b taskset -c 0 ping -c 2 -i 0.2 -q 10.62.0.3 > /dev/null || fail "ping b 2"
sysctl -qw net.netflow.flush=1 || fail "flush 2"
sleep 1
sysctl -qw net.netflow.vlan=0 || fail "vlan=0"
ns_exec c taskset -c 0 ping -c 2 -i 0.2 -q 10.62.0.2 > /dev/null || fail "ping c 3"
sysctl -qw net.netflow.flush=1 || fail "flush 3"
sleep 2
cap_stop $PCAP
sleep 1
nfacctd_stop $PM
collector_stop $V9
collector_kill $FIX
assert_eq "$(snmp lostFlows)" 0 "lost flows"
{
	echo "MAC_A=$MAC_A MAC_VA=$MAC_VA MAC_B=$MAC_B MAC_C=$MAC_C"
} > "$RESULTS/mac_vlan.out.vars"
cat "$RESULTS/mac_vlan.out.vars"
rules_flush
ns_cleanup
$IP link del br0
$IP link del v-a
nf_unload

# nfdump 1.7: MACs in v9 and IPFIX, the VLAN of v9's 58; it does not
# decode IPFIX's 243 (prints 0)
for c in $V9:200 $FIX:0; do
	nfdump -R ${c%:*} -q -N -o "fmt:%sa %da %pkt %ismc %idmc %svln" 2>/dev/null |
		sort > /tmp/nfd
	cat /tmp/nfd
	n=$(awk -v s="$MAC_B" -v d="$MAC_C" -v v=${c#*:} '$1 == "10.62.0.2" &&
		$2 == "10.62.0.3" && $4 == s && $5 == d && $6 == v {
		p += $3 } END { print p + 0 }' /tmp/nfd)
	assert_eq "$n" 3 "${c%:*}: nfdump: b -> c echo requests with MACs (VLAN ${c#*:})"
done
# nfacctd: MACs and the VLAN (243) of IPFIX
csv=$(awk -F, '$1 == "SRC_MAC" { print "header: " $0; next } { print }' $PM/flows.csv)
echo "$csv"
n=$(echo "$csv" | awk -F, -v s="$MAC_B" -v d="$MAC_C" '$1 == s && $2 == d &&
	$3 == 200 && $4 == "10.62.0.2" && $5 == "10.62.0.3" { p += $6 }
	END { print p + 0 }')
assert_eq "$n" 3 "nfacctd: b -> c echo requests with MACs and VLAN 200"
n=$(echo "$csv" | awk -F, -v s="$MAC_A" '$1 == s && $3 == 100 &&
	$4 == "10.61.0.2" { p += $6 } END { print p + 0 }')
assert_eq "$n" 5 "nfacctd: a's packets (3 pings, 2 UDP) from its first MAC, VLAN 100"
cp $PCAP "$RESULTS/mac_vlan.out.pcap" || fail "keep the capture"
echo "ok: capture left for mac_vlan.host.sh"
