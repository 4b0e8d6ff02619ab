#!/bin/sh
# TSO frames from a VM's tap, as qemu/vhost-net writes them: a virtio-net
# header (GSO type and size, gso_segs left 0: SKB_GSO_DODGY) and one big
# frame. Bridged with br_netfilter into FORWARD, the module must count the
# segments the frame becomes on the wire, not one packet per write.
#
#   tapgen.py ==> tap0 (IFF_VNET_HDR, TSO4/TSO6/USO) --+
#                                                       br0 (root ns: NETFLOW
#   [b] eth0 ------------------------- veth p-b -------+  in FORWARD)
. "$XT/tests/vm/lib.sh"
NF=/tmp/nf-tap
IPT=iptables-legacy IP6T=ip6tables-legacy
collector_start $NF 2055
nf_load destination=127.0.0.1:2055 protocol=9
modprobe tun && [ -c /dev/net/tun ] || fail "no /dev/net/tun"
sysctl -qw net.bridge.bridge-nf-call-iptables=1
sysctl -qw net.bridge.bridge-nf-call-ip6tables=1
$IP link add br0 type bridge
$IP link set br0 up
$IP netns add b
$IP link add p-b type veth peer name eth0 netns b
$IP link set p-b master br0 up
ns_exec b $IP link set eth0 up
$IP tuntap add dev tap0 mode tap vnet_hdr || fail "tuntap add"
$IP link set tap0 master br0 up
$IPT -A FORWARD -s 10.40.0.1 -j NETFLOW
$IP6T -A FORWARD -s fd40::1 -j NETFLOW

# kind frames segments mss: every segment is 1500 bytes of IP (the TCPv4
# case is the one measured on a real host: 20 x 44 x 1448)
uso=ok
for t in "tcp4 20 44 1448" "tcp6 20 44 1440" "udp4 20 40 1472" "udp6 20 40 1452"; do
	# shellcheck disable=SC2086
	r=$(python3 "$XT/tests/vm/tapgen.py" tap0 $t) || fail "tapgen $t"
	echo "tapgen $t: $r"
	[ "$r" = ok ] || uso=unsupported
	case $t in udp*) ;; *) [ "$r" = ok ] || fail "tap refused TSO frames" ;; esac
done
sleep 1
sysctl -qw net.netflow.flush=1 || fail "flush"
sleep 2
collector_stop $NF
cat $PROC
flows=$(nf_flows $NF -a)
echo "$flows"
$IPT -L FORWARD -nvx
$IP6T -L FORWARD -nvx

# per kind: "proto src" -> expected "pkts bytes" (segments of 1500 bytes)
check() {
	got=$(echo "$flows" | awk -v s="$1" -v p="$2" '$1 == s && $3 == p {
		n += $6; b += $7 } END { print n + 0, b + 0 }')
	assert_eq "$got" "$3" "$4 segments and bytes the collector decoded"
}
check 10.40.0.1 6 "880 1309440" "TCPv4 TSO"
check fd40::1 6 "880 1320000" "TCPv6 TSO"
v4=$(awk '$3 == "NETFLOW" { print $1 }' <<EOF2
$($IPT -L FORWARD -nvx)
EOF2
)
assert_eq "$v4" "$([ $uso = ok ] && echo 40 || echo 20)" "IPv4 frames iptables saw (one per write)"
if [ $uso = ok ]; then
	check 10.40.0.1 17 "800 1200000" "UDP GSO (USO) over IPv4"
	check fd40::1 17 "800 1200000" "UDP GSO (USO) over IPv6"
	pk=3360
else
	note "this kernel's tap has no USO: UDP GSO not checked"
	pk=1760
fi
assert_eq "$(snmp inPackets)" $pk "inPackets"
assert_eq "$(snmp dropPackets)" 0 "dropped packets"
$IPT -F
$IP6T -F
$IP link del tap0
ns_cleanup
$IP link del br0
nf_unload
