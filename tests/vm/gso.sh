#!/bin/sh
# GRO/GSO super-packets: the module counts the segments they carry, as the
# sender's TCP does (TcpOutSegs + RetransSegs: OutSegs leaves out
# retransmissions), where iptables counts one per skb.
#
#   [a] 10.30.0.1 ---veth (offloads ON)--- 10.30.0.2 [b: root ns]NETFLOW: b INPUT tcp
. "$XT/tests/vm/lib.sh"
nf_load
$IP netns add a
ns_host b
$IP link add veth-a netns a type veth peer name veth-b netns b
ns_exec a $IP addr add 10.30.0.1/24 dev veth-a
ns_exec b $IP addr add 10.30.0.2/24 dev veth-b
for n in a b; do
	ns_exec $n $IP link set lo up
	ns_exec $n $IP link set veth-$n up
	ns_exec $n ethtool -K veth-$n tso on gso on gro on tx on rx on >/dev/null 2>&1
done
ns_exec b iptables-legacy -A INPUT -i veth-b -p tcp -j NETFLOW
ns_exec b iperf3 -s -D -1
sleep 1
outsegs() {
	ns_exec a awk '$1 == "Tcp:" && $2 ~ /^[0-9]/ { print $12 + $13 }' /proc/net/snmp
}
segs0=$(outsegs)
ns_exec a iperf3 -c 10.30.0.2 -n 20M -l 64K > /dev/null || fail "iperf3"
sleep 1
segs=$(( $(outsegs) - segs0 ))
ipt=$(ns_exec b iptables-legacy -L INPUT -nvx | awk '$3 == "NETFLOW" { print $1, $2 }')
pkts=$(snmp inPackets)
bytes=$(snmp inBytes)
echo "a: TcpOutSegs + RetransSegs $segs; module $pkts pkts $bytes bytes; iptables $ipt"
assert_eq "$pkts" "$segs" "segments counted by the module vs the sender's"
[ "$pkts" -gt "${ipt% *}" ] || fail "no GRO super-packets seen: test proves nothing"
# every extra segment repeats 52 header bytes (IPv4 20 + TCP 20 + timestamps)
extra=$(( (pkts - ${ipt% *}) * 52 ))
assert_eq "$(( bytes - ${ipt#* } ))" "$extra" "header bytes of the segments iptables did not see"
ns_exec b iptables-legacy -F
ns_cleanup
nf_unload
