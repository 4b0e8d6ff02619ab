#!/bin/sh
# physdev: on a br_netfilter bridge a flow's bridge ports (a VM's tap, a
# veth) go out as IEs 252/253 beside the bridge's 10/14, IPv4 and IPv6, in
# v9 and IPFIX, translated by snmp-rules (tap:300); physdev=0 takes them
# out of the templates again; a bad write is refused and keeps the setting.
# tshark decodes the capture on the host (physdev.host.sh), nfacctd 252/253
# as custom primitives.
#
#   [a] eth0 10.50.0.1 fd50::1 --- veth p-a ---+
#                                               br0 (root ns: NETFLOW in
#   [b] eth0 10.50.0.2 fd50::2 --- veth p-b ---+      FORWARD, -4 and -6)
#   tapgen.py (10.40.0.1 -> 10.40.0.2) ==> tap0 +
. "$XT/tests/vm/lib.sh"
. "$XT/tests/vm/cflow_lib.sh"
IPT=iptables-legacy IP6T=ip6tables-legacy
V9=/tmp/nf-9 FIX=/tmp/nf-10 PCAP=/tmp/physdev.pcap PM=/tmp/pm-physdev

modprobe tun && [ -c /dev/net/tun ] || fail "no /dev/net/tun"
collector_start $V9 2055
collector_start $FIX 4739
# nfacctd has no names for 252/253: custom primitives decode them
nfacctd_start $PM 2056 src_host,dst_host,in_iface,out_iface,physin,physout \
	"name=physin field_type=252 len=4 semantics=u_int
name=physout field_type=253 len=4 semantics=u_int"
cap_start $PCAP "udp port 2055 or udp port 4739"
sleep 1
nf_load physdev=1 snmp_rules=tap:300 inactive_timeout=60 \
	"destination=127.0.0.1:2055/v9,127.0.0.1:4739/ipfix,127.0.0.1:2056/ipfix"
assert_eq "$(sysctl -n net.netflow.physdev)" 1 "physdev read-back"

sysctl -qw net.bridge.bridge-nf-call-iptables=1 || fail "no br_netfilter"
sysctl -qw net.bridge.bridge-nf-call-ip6tables=1
$IP link add br0 type bridge
$IP link set br0 up
for n in a:1 b:2; do
	ns=${n%:*}
	$IP netns add $ns
	$IP link add p-$ns type veth peer name eth0 netns $ns
	$IP link set p-$ns master br0 up
	ns_exec $ns $IP addr add 10.50.0.${n#*:}/24 dev eth0
	ns_exec $ns $IP addr add fd50::${n#*:}/64 dev eth0 nodad
	ns_exec $ns $IP link set eth0 up
done
# static neighbours: no NDP flows beside the pings
mac_a=$(ns_exec a $IP -br link show eth0 | awk '{ print $3 }')
mac_b=$(ns_exec b $IP -br link show eth0 | awk '{ print $3 }')
ns_exec a $IP -6 neigh replace fd50::2 lladdr "$mac_b" dev eth0 nud permanent
ns_exec b $IP -6 neigh replace fd50::1 lladdr "$mac_a" dev eth0 nud permanent
$IP tuntap add dev tap0 mode tap vnet_hdr || fail "tuntap add"
$IP link set tap0 master br0 up
$IPT -A FORWARD -j NETFLOW
$IP6T -A FORWARD -j NETFLOW

ns_exec a ping -c 3 -i 0.2 -q 10.50.0.2 > /dev/null || fail "ping"
ns_exec a ping -6 -c 3 -i 0.2 -q fd50::2 > /dev/null || fail "ping -6"
r=$(python3 "$XT/tests/vm/tapgen.py" tap0 tcp4 1 2 1448) || fail "tapgen"
assert_eq "$r" ok "tapgen"

# -- a bad write is refused, the setting kept --
for bad in 2 -1 abc; do
	dmesg -C
	printf '%s\n' "$bad" 2>/dev/null > /proc/sys/net/netflow/physdev &&
		fail "physdev write '$bad' accepted"
	assert_eq "$(dmesg | grep -c ipt_NETFLOW)" 1 "dmesg lines for '$bad'"
	assert_eq "$(sysctl -n net.netflow.physdev)" 1 "physdev kept after '$bad'"
done
sysctl -qw net.netflow.flush=1 || fail "flush"
sleep 2

# -- off: flows of now on carry no ports, templates lose 252/253 --
sysctl -qw net.netflow.physdev=0 || fail "physdev=0"
assert_eq "$(sysctl -n net.netflow.physdev)" 0 "physdev off"
ns_exec b ping -c 2 -i 0.2 -q 10.50.0.1 > /dev/null || fail "ping 2"
sysctl -qw net.netflow.flush=1 || fail "flush 2"
sleep 2
cap_stop $PCAP
nfacctd_stop $PM
collector_stop $V9
collector_kill $FIX
assert_eq "$(snmp lostFlows)" 0 "lost flows"
{
	echo "BR=$(cat /sys/class/net/br0/ifindex)"
	echo "PA=$(cat /sys/class/net/p-a/ifindex)"
	echo "PB=$(cat /sys/class/net/p-b/ifindex)"
} > "$RESULTS/physdev.out.vars"
cat "$RESULTS/physdev.out.vars"
rules_flush
ns_cleanup
$IP link del tap0
$IP link del br0
nf_unload

# nfdump 1.7 has no field for 252/253: it still decodes the records
for c in $V9 $FIX; do
	n=$(nfdump -R $c -q -N -o "fmt:%sa %da %dp %pkt" 2>/dev/null |
		awk '$1 == "10.50.0.1" && $2 == "10.50.0.2" && $3 == "8.0" {
			p += $4 } END { print p + 0 }')
	assert_eq "$n" 3 "$c: echo requests a -> b"
done
# nfacctd: the bridge ports of a -> b's echo requests (in/out: the bridge;
# sorted)
. "$RESULTS/physdev.out.vars"
cat $PM/flows.csv
n=$(awk -F, 'NR == 1 || $1 ~ /^[A-Z_]+$/ {
		for (i = 1; i <= NF; i++) col[toupper($i)] = i; next }
	$col["SRC_IP"] == "10.50.0.1" && $col["DST_IP"] == "10.50.0.2" {
		print $col["IN_IFACE"], $col["OUT_IFACE"], $col["PHYSIN"],
			$col["PHYSOUT"], $col["PACKETS"] }' $PM/flows.csv | sort -u |
	tr '\n' '|')
# then physdev=0: b's ping, a's 2 replies without ports
assert_eq "$n" "$BR $BR 0 0 2|$BR $BR $PA $PB 3|" \
	"nfacctd: a -> b bridge ports (252/253), then none"
cp $PCAP "$RESULTS/physdev.out.pcap" || fail "keep the capture"
echo "ok: capture left for physdev.host.sh"
