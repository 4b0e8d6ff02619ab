#!/bin/sh
# Known traffic between two namespaces over veth: the packets and bytes the
# module counted equal the iptables NETFLOW rule counters, IPv4 and IPv6.
#
#   [ns a] 10.9.0.1 ---veth--- 10.9.0.2 [b: root ns]   NETFLOW on b: INPUT, OUTPUT
. "$XT/tests/vm/lib.sh"
nf_load protocol=10
ns_pair_host a b 10.9.0.1 10.9.0.2
ns_exec a $IP -6 addr add fd00:9::1/64 dev veth-a nodad
ns_exec b $IP -6 addr add fd00:9::2/64 dev veth-b nodad
for fam in iptables-legacy ip6tables-nft; do
	ns_exec b $fam -A INPUT -i veth-b -j NETFLOW
	ns_exec b $fam -A OUTPUT -o veth-b -j NETFLOW
done

ns_exec a ping -c 20 -i 0.01 -s 1000 -q 10.9.0.2 >/dev/null || fail "ping"
ns_exec a ping -c 7 -i 0.01 -s 300 -q fd00:9::2 >/dev/null || fail "ping6"
# UDP to a closed port: ICMP errors come back
ns_exec a sh -c 'for i in $(seq 50); do head -c 512 /dev/zero; done |
	nc -u -w1 -q1 10.9.0.2 9 ' 2>/dev/null

snapshot() {
	{
		ns_exec b iptables-legacy -L INPUT -nvx
		ns_exec b iptables-legacy -L OUTPUT -nvx
		ns_exec b ip6tables-nft -L INPUT -nvx
		ns_exec b ip6tables-nft -L OUTPUT -nvx
	} | awk '$3 == "NETFLOW" { p += $1; b += $2 } END { print p, b }'
	echo "$(snmp inPackets) $(snmp inBytes)"
}
# Background IPv6 chatter (ND, MLD) may land between two reads: read until
# two snapshots agree.
prev=$(snapshot)
for i in 1 2 3 4 5; do
	sleep 1
	cur=$(snapshot)
	[ "$cur" = "$prev" ] && break
	prev=$cur
done
echo "$cur"
rules=$(echo "$cur" | head -n 1)
pkts=${rules% *}
bytes=${rules#* }
[ "$pkts" -ge 54 ] || fail "too few packets seen by the rules: $pkts"
# the module's numbers from the same stable snapshot: a fresh read could
# already include the next ND/MLD packet
mod=$(echo "$cur" | tail -n 1)
assert_eq "${mod% *}" "$pkts" "packets counted by the module"
assert_eq "${mod#* }" "$bytes" "bytes counted by the module"
rules_flush
ns_cleanup
nf_unload
